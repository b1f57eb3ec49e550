/*
 * Value storage of the RDD layer: blocks (values that own their payloads,
 * for cache, shuffle output and results), task-memory vectors, the basic
 * iterators, and the lm_value_list results handed to callers.
 */
#include "rdd_int.h"

#include <stdlib.h>
#include <string.h>

void rdd_block_init(rdd_block *b)
{
    lm_arena_init(&b->arena, 16 * 1024);
    b->v = NULL;
    b->n = b->cap = 0;
}

void rdd_block_free(rdd_block *b)
{
    lm_arena_free(&b->arena);
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

static lm_status block_grow(rdd_block *b)
{
    if (b->n < b->cap)
        return LM_OK;
    int64_t cap = b->cap ? b->cap * 2 : 16;
    lm_value *v = realloc(b->v, sizeof *v * (size_t)cap);
    if (v == NULL)
        return LM_ENOMEM;
    b->v = v;
    b->cap = cap;
    return LM_OK;
}

lm_status rdd_block_push(rdd_block *b, const lm_value *v)
{
    if (block_grow(b) != LM_OK)
        return LM_ENOMEM;
    b->v[b->n++] = *v;
    return LM_OK;
}

lm_status rdd_block_push_copy(rdd_block *b, const lm_type *t, const lm_value *v)
{
    if (block_grow(b) != LM_OK)
        return LM_ENOMEM;
    if (!lm_value_copy(&b->arena, t, v, &b->v[b->n]))
        return LM_ENOMEM;
    b->n++;
    return LM_OK;
}

int64_t rdd_block_bytes(const rdd_block *b)
{
    return (int64_t)b->arena.total + b->n * (int64_t)sizeof(lm_value);
}

lm_status rdd_vec_push(lm_task *t, rdd_vec *vec, const lm_value *v)
{
    if (vec->n == vec->cap) {
        int64_t cap = vec->cap ? vec->cap * 2 : 16;
        lm_value *nv = lm_arena_alloc(&t->arena, sizeof *nv * (size_t)cap);
        if (nv == NULL)
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        if (vec->n)
            memcpy(nv, vec->v, sizeof *nv * (size_t)vec->n);
        vec->v = nv;
        vec->cap = cap;
    }
    vec->v[vec->n++] = *v;
    return LM_OK;
}

/* ------------------------------------------------------------ iterators */
void *rdd_iter_new(lm_task *t, size_t size,
                   lm_status (*next)(rdd_iter *, lm_task *, lm_value *, bool *),
                   void (*close)(rdd_iter *))
{
    rdd_iter *it = lm_arena_calloc(&t->arena, 1, size);
    if (it == NULL) {
        rdd_task_error(t, LM_ENOMEM, "out of memory");
        return NULL;
    }
    it->next = next;
    it->close = close;
    it->next_open = t->iters;
    t->iters = it;
    return it;
}

typedef struct array_iter {
    rdd_iter base;
    const lm_value *v;
    int64_t n, i;
} array_iter;

static lm_status array_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    (void)t;
    array_iter *a = (array_iter *)it;
    if (a->i >= a->n) {
        *has = false;
        return LM_OK;
    }
    *out = a->v[a->i++];
    *has = true;
    return LM_OK;
}

rdd_iter *rdd_iter_array(lm_task *t, const lm_value *values, int64_t n)
{
    array_iter *a = rdd_iter_new(t, sizeof *a, array_next, NULL);
    if (a == NULL)
        return NULL;
    a->v = values;
    a->n = n;
    return &a->base;
}

lm_status rdd_iter_drain(rdd_iter *it, lm_task *t, rdd_vec *out)
{
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            return LM_OK;
        if ((st = rdd_vec_push(t, out, &v)) != LM_OK)
            return st;
    }
}

/* ---------------------------------------------------------- value lists */
lm_value_list *rdd_value_list_new(const lm_type *t)
{
    lm_value_list *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->type = lm_type_ref((lm_type *)t);
    rdd_block_init(&l->b);
    return l;
}

rdd_block *rdd_value_list_block(lm_value_list *l)
{
    return &l->b;
}

int64_t lm_value_list_count(const lm_value_list *l)
{
    return l ? l->b.n : 0;
}

const lm_value *lm_value_list_at(const lm_value_list *l, int64_t i)
{
    return l && i >= 0 && i < l->b.n ? &l->b.v[i] : NULL;
}

const lm_type *lm_value_list_type(const lm_value_list *l)
{
    return l ? l->type : NULL;
}

void lm_value_list_free(lm_value_list *l)
{
    if (l == NULL)
        return;
    rdd_block_free(&l->b);
    lm_type_unref(l->type);
    free(l);
}
