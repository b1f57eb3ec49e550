/*
 * Shared variables: broadcast values (read-only copies every task sees) and
 * accumulators (long, double, collection). A task's additions go to a
 * task-local list and are applied when its stage succeeds, in partition
 * order, so a retried attempt never counts twice and double sums do not
 * depend on thread timing. Recomputing an RDD (no cache) adds again, as in
 * Spark.
 */
#include "rdd_int.h"

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

struct lm_broadcast {
    int64_t id;
    lm_type *type;
    rdd_block b;
};

lm_broadcast *lm_rdd_broadcast(lm_session *s, const lm_type *type, const lm_value *value)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return NULL;
    lm_broadcast *b = calloc(1, sizeof *b);
    if (b == NULL) {
        lm_error_oom(&s->error);
        return NULL;
    }
    rdd_block_init(&b->b);
    if (rdd_block_push_copy(&b->b, type, value) != LM_OK) {
        rdd_block_free(&b->b);
        free(b);
        lm_error_oom(&s->error);
        return NULL;
    }
    b->type = lm_type_ref((lm_type *)type);
    b->id = ctx->next_broadcast_id++;
    return b;
}

const lm_value *lm_broadcast_value(const lm_broadcast *b)
{
    return &b->b.v[0];
}

int64_t lm_broadcast_id(const lm_broadcast *b)
{
    return b->id;
}

void lm_broadcast_free(lm_broadcast *b)
{
    if (b == NULL)
        return;
    rdd_block_free(&b->b);
    lm_type_unref(b->type);
    free(b);
}

/* ------------------------------------------------------------ accumulators */
typedef enum { ACC_LONG, ACC_DOUBLE, ACC_COLLECTION } acc_kind;

struct lm_accumulator {
    acc_kind kind;
    char *name;
    int64_t lsum, count;
    double dsum;
    lm_type *type;  /* COLLECTION */
    rdd_block vals; /* COLLECTION */
};

struct rdd_acc_update {
    lm_accumulator *acc;
    int64_t l;
    double d;
    rdd_block *v; /* one value (collection) */
    rdd_acc_update *next;
};

static lm_accumulator *acc_new(lm_session *s, acc_kind kind, const char *name)
{
    if (rdd_ctx_get(s) == NULL)
        return NULL;
    lm_accumulator *a = calloc(1, sizeof *a);
    if (a == NULL || (name && (a->name = strdup(name)) == NULL)) {
        free(a);
        lm_error_oom(&s->error);
        return NULL;
    }
    a->kind = kind;
    rdd_block_init(&a->vals);
    return a;
}

lm_accumulator *lm_accumulator_long(lm_session *s, const char *name)
{
    return acc_new(s, ACC_LONG, name);
}

lm_accumulator *lm_accumulator_double(lm_session *s, const char *name)
{
    return acc_new(s, ACC_DOUBLE, name);
}

lm_accumulator *lm_accumulator_collection(lm_session *s, const char *name,
                                          const lm_type *elem_type)
{
    lm_accumulator *a = acc_new(s, ACC_COLLECTION, name);
    if (a)
        a->type = lm_type_ref((lm_type *)elem_type);
    return a;
}

static void apply_one(lm_accumulator *a, int64_t l, double d, const lm_value *v)
{
    switch (a->kind) {
    case ACC_LONG:
        a->lsum = (int64_t)((uint64_t)a->lsum + (uint64_t)l);
        a->count++;
        break;
    case ACC_DOUBLE:
        a->dsum += d;
        a->count++;
        break;
    case ACC_COLLECTION:
        if (rdd_block_push_copy(&a->vals, a->type, v) == LM_OK)
            a->count++;
        break;
    }
}

/* Queues an update in the task (appended, so order is kept). */
static lm_status queue(lm_task *t, lm_accumulator *a, int64_t l, double d, const lm_value *v)
{
    if (t == NULL || t->partition < 0) {
        apply_one(a, l, d, v);
        return LM_OK;
    }
    rdd_acc_update *u = calloc(1, sizeof *u);
    if (u == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    u->acc = a;
    u->l = l;
    u->d = d;
    if (v) {
        u->v = malloc(sizeof *u->v);
        if (u->v == NULL) {
            free(u);
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        }
        rdd_block_init(u->v);
        if (rdd_block_push_copy(u->v, a->type, v) != LM_OK) {
            rdd_block_free(u->v);
            free(u->v);
            free(u);
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        }
    }
    rdd_acc_update **tail = &t->acc;
    while (*tail)
        tail = &(*tail)->next;
    *tail = u;
    return LM_OK;
}

lm_status lm_accumulator_add_long(lm_task *t, lm_accumulator *a, int64_t v)
{
    return queue(t, a, v, (double)v, NULL);
}

lm_status lm_accumulator_add_double(lm_task *t, lm_accumulator *a, double v)
{
    return queue(t, a, (int64_t)v, v, NULL);
}

lm_status lm_accumulator_add_value(lm_task *t, lm_accumulator *a, const lm_value *v)
{
    if (a->kind != ACC_COLLECTION) {
        if (t)
            return rdd_task_error(t, LM_ERROR, "not a collection accumulator");
        return LM_ERROR;
    }
    return queue(t, a, 0, 0, v);
}

void rdd_acc_apply_updates(rdd_acc_update *u)
{
    for (rdd_acc_update *x = u; x; x = x->next)
        apply_one(x->acc, x->l, x->d, x->v ? &x->v->v[0] : NULL);
    rdd_acc_free_updates(u);
}

void rdd_acc_free_updates(rdd_acc_update *u)
{
    while (u) {
        rdd_acc_update *next = u->next;
        if (u->v) {
            rdd_block_free(u->v);
            free(u->v);
        }
        free(u);
        u = next;
    }
}

int64_t lm_accumulator_long_value(const lm_accumulator *a)
{
    return a->kind == ACC_DOUBLE ? (int64_t)a->dsum : a->lsum;
}

double lm_accumulator_double_value(const lm_accumulator *a)
{
    return a->kind == ACC_DOUBLE ? a->dsum : (double)a->lsum;
}

int64_t lm_accumulator_count(const lm_accumulator *a)
{
    return a->count;
}

double lm_accumulator_avg(const lm_accumulator *a)
{
    return (a->kind == ACC_DOUBLE ? a->dsum : (double)a->lsum) / (double)a->count;
}

lm_status lm_accumulator_values(const lm_accumulator *a, lm_value_list **out)
{
    if (a->kind != ACC_COLLECTION)
        return LM_ERROR;
    lm_value_list *l = rdd_value_list_new(a->type);
    if (l == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < a->vals.n; i++)
        if (rdd_block_push_copy(&l->b, a->type, &a->vals.v[i]) != LM_OK) {
            lm_value_list_free(l);
            return LM_ENOMEM;
        }
    *out = l;
    return LM_OK;
}

void lm_accumulator_reset(lm_accumulator *a)
{
    a->lsum = a->count = 0;
    a->dsum = 0;
    rdd_block_free(&a->vals);
    rdd_block_init(&a->vals);
}

const char *lm_accumulator_name(const lm_accumulator *a)
{
    return a->name;
}

void lm_accumulator_free(lm_accumulator *a)
{
    if (a == NULL)
        return;
    rdd_block_free(&a->vals);
    lm_type_unref(a->type);
    free(a->name);
    free(a);
}
