/*
 * Actions: the operations that run jobs and hand results to the caller.
 * Per-partition results are merged on the driver in partition order (Spark
 * merges in task completion order; with one thread that is the same), so
 * results do not depend on the thread count. Driver-side merges call the
 * user's functions with a driver task context (partition -1).
 */
#include "rdd_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/rowset.h"
#include "session/session.h"

/* ------------------------------------------------------------- helpers */
typedef struct block_slot {
    rdd_block b;
    bool has;
} block_slot;

static void free_slots(block_slot *s, int n)
{
    for (int i = 0; s && i < n; i++)
        rdd_block_free(&s[i].b);
    free(s);
}

/* Drains at most `limit` (< 0: all) elements into a fresh block, stored
   in the slot only when the task succeeds. */
static lm_status drain_to_slot(lm_task *t, rdd_iter *it, const lm_type *type, int64_t limit,
                               block_slot *slot)
{
    rdd_block b;
    rdd_block_init(&b);
    lm_status st = LM_OK;
    while (limit < 0 || b.n < limit) {
        lm_value v;
        bool has;
        if ((st = it->next(it, t, &v, &has)) != LM_OK || !has)
            break;
        if (rdd_block_push_copy(&b, type, &v) != LM_OK) {
            st = rdd_task_error(t, LM_ENOMEM, "out of memory");
            break;
        }
    }
    /* a doomed attempt (chaos) that stopped at its limit fails here,
       before it publishes */
    if (st == LM_OK && t->doomed && !t->chaos_fired)
        st = rdd_task_chaos_fire(t);
    if (st != LM_OK) {
        rdd_block_free(&b);
        return st;
    }
    slot->b = b;
    slot->has = true;
    return LM_OK;
}

typedef struct collect_job {
    const lm_type *type;
    int64_t limit;
} collect_job;

static lm_status collect_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    collect_job *j = ud;
    return drain_to_slot(t, it, j->type, j->limit, slot);
}

/* Runs a collect-like job over parts (NULL: all) and appends results in
   partition order to out. */
static lm_status collect_parts(lm_rdd *r, const int *parts, int n, int64_t limit,
                               rdd_block *out)
{
    block_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    collect_job j = {r->type, limit};
    lm_status st = rdd_run_job(r, parts, n, collect_task, &j, slots, sizeof *slots);
    int cnt = parts ? n : r->nparts;
    for (int k = 0; st == LM_OK && k < cnt; k++) {
        block_slot *s = &slots[parts ? parts[k] : k];
        for (int64_t e = 0; e < s->b.n && st == LM_OK; e++)
            if (rdd_block_push_copy(out, r->type, &s->b.v[e]) != LM_OK)
                st = lm_error_oom(&r->ctx->s->error);
    }
    free_slots(slots, r->nparts);
    return st;
}

lm_status rdd_collect_list(lm_rdd *r, lm_value_list **out)
{
    *out = NULL;
    lm_value_list *l = rdd_value_list_new(r->type);
    if (l == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = collect_parts(r, NULL, 0, -1, &l->b);
    if (st != LM_OK) {
        lm_value_list_free(l);
        return st;
    }
    *out = l;
    return LM_OK;
}

/* A one-value list (copy of v). */
static lm_status single(lm_rdd *r, const lm_type *type, const lm_value *v, lm_value_list **out)
{
    lm_value_list *l = rdd_value_list_new(type);
    if (l == NULL || (v && rdd_block_push_copy(&l->b, type, v) != LM_OK)) {
        lm_value_list_free(l);
        return lm_error_oom(&r->ctx->s->error);
    }
    *out = l;
    return LM_OK;
}

/* A driver-side failure of a user merge function. */
static lm_status driver_fail(lm_rdd *r, lm_task *t, lm_status st)
{
    lm_session *s = r->ctx->s;
    if (t->err.message)
        lm_error_move(&s->error, &t->err);
    else
        rdd_fail(s, st, RDD_EXC_RUNTIME, "merge function failed with status %d", (int)st);
    return st;
}

static lm_status empty_collection(lm_rdd *r)
{
    return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_UNSUPPORTED, "empty collection");
}

/* --------------------------------------------------------------- actions */
lm_status lm_rdd_collect(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    return rdd_collect_list(r, out);
}

static lm_status count_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    (void)ud;
    int64_t n = 0;
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        n++;
    }
    *(int64_t *)slot = n;
    return LM_OK;
}

lm_status lm_rdd_count(lm_rdd *r, int64_t *out)
{
    if (r == NULL)
        return LM_ERROR;
    int64_t *c = calloc((size_t)r->nparts + 1, sizeof *c);
    if (c == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = rdd_run_job(r, NULL, 0, count_task, NULL, c, sizeof *c);
    *out = 0;
    for (int i = 0; st == LM_OK && i < r->nparts; i++)
        *out += c[i];
    free(c);
    return st;
}

/* RDD.take: scan one partition, then estimate how many more are needed
   (x1.5, capped by spark.rdd.limit.scaleUpFactor), quadrupling when
   nothing was found. Each task reads only as far as it must. */
static lm_status take_into(lm_rdd *r, int num, rdd_block *buf)
{
    if (num <= 0)
        return LM_OK;
    int total = r->nparts, scanned = 0;
    int64_t scale = r->ctx->scale_up_factor;
    int *parts = calloc((size_t)total + 1, sizeof *parts);
    if (parts == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = LM_OK;
    while (buf->n < num && scanned < total && st == LM_OK) {
        int64_t try_n = 1;
        int64_t left = num - buf->n;
        if (scanned > 0) {
            if (buf->n == 0) {
                try_n = scanned * scale;
            } else {
                try_n = (int64_t)ceil(1.5 * (double)left * scanned / (double)buf->n);
                if (try_n > scanned * scale)
                    try_n = scanned * scale;
            }
        }
        int end = scanned + try_n < total ? (int)(scanned + try_n) : total;
        int np = 0;
        for (int p = scanned; p < end; p++)
            parts[np++] = p;
        rdd_block got;
        rdd_block_init(&got);
        st = collect_parts(r, parts, np, left, &got);
        for (int64_t e = 0; st == LM_OK && e < got.n && buf->n < num; e++)
            if (rdd_block_push_copy(buf, r->type, &got.v[e]) != LM_OK)
                st = lm_error_oom(&r->ctx->s->error);
        rdd_block_free(&got);
        scanned += np;
    }
    free(parts);
    return st;
}

lm_status lm_rdd_take(lm_rdd *r, int n, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    lm_value_list *l = rdd_value_list_new(r->type);
    if (l == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = take_into(r, n, &l->b);
    if (st != LM_OK) {
        lm_value_list_free(l);
        return st;
    }
    *out = l;
    return LM_OK;
}

lm_status lm_rdd_first(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    lm_status st = lm_rdd_take(r, 1, out);
    if (st == LM_OK && (*out)->b.n == 0) {
        lm_value_list_free(*out);
        *out = NULL;
        return empty_collection(r);
    }
    return st;
}

lm_status lm_rdd_is_empty(lm_rdd *r, bool *out)
{
    if (r == NULL)
        return LM_ERROR;
    if (r->nparts == 0) {
        *out = true;
        return LM_OK;
    }
    rdd_block b;
    rdd_block_init(&b);
    lm_status st = take_into(r, 1, &b);
    *out = b.n == 0;
    rdd_block_free(&b);
    return st;
}

/* ---------------------------------------------------------- takeOrdered */
typedef struct ordered_job {
    const lm_type *type;      /* element */
    const lm_type *key_type;  /* NULL: order by the element itself */
    lm_map_fn key_fn;
    void *ud;
    int n;
    int dir;                  /* 1 ascending, -1 descending (top) */
} ordered_job;

typedef struct keyed_val {
    lm_value key, val;
} keyed_val;

static void sort_kv(const ordered_job *j, keyed_val *v, keyed_val *tmp, int64_t n)
{
    if (n < 2)
        return;
    int64_t h = n / 2;
    sort_kv(j, v, tmp, h);
    sort_kv(j, v + h, tmp, n - h);
    const lm_type *kt = j->key_type ? j->key_type : j->type;
    int64_t a = 0, b = h, k = 0;
    while (a < h && b < n)
        tmp[k++] = lm_value_compare_nulls(kt, &v[b].key, &v[a].key, true) * j->dir < 0 ? v[b++]
                                                                                      : v[a++];
    while (a < h)
        tmp[k++] = v[a++];
    while (b < n)
        tmp[k++] = v[b++];
    memcpy(v, tmp, sizeof *v * (size_t)n);
}

/* Sorts vals[0..n) stably by key (computed with key_fn in task t). */
static lm_status order_values(const ordered_job *j, lm_task *t, const lm_value *vals, int64_t n,
                              keyed_val **out)
{
    keyed_val *kv = lm_task_alloc(t, sizeof *kv * (size_t)(n + 1));
    keyed_val *tmp = lm_task_alloc(t, sizeof *tmp * (size_t)(n + 1));
    if (kv == NULL || tmp == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        kv[i].val = vals[i];
        kv[i].key = vals[i];
        if (j->key_fn) {
            lm_status st = j->key_fn(t, &vals[i], &kv[i].key, j->ud);
            if (st != LM_OK)
                return st;
        }
    }
    sort_kv(j, kv, tmp, n);
    *out = kv;
    return LM_OK;
}

static lm_status ordered_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    ordered_job *j = ud;
    rdd_vec all = {0};
    lm_status st = rdd_iter_drain(it, t, &all);
    keyed_val *kv = NULL;
    if (st == LM_OK)
        st = order_values(j, t, all.v, all.n, &kv);
    if (st != LM_OK)
        return st;
    rdd_vec top = {0};
    for (int64_t i = 0; i < all.n && i < j->n && st == LM_OK; i++)
        st = rdd_vec_push(t, &top, &kv[i].val);
    if (st != LM_OK)
        return st;
    block_slot tmp = {0};
    rdd_iter *ai = rdd_iter_array(t, top.v, top.n);
    if (ai == NULL)
        return LM_ENOMEM;
    if ((st = drain_to_slot(t, ai, j->type, -1, &tmp)) != LM_OK)
        return st;
    *(block_slot *)slot = tmp;
    return LM_OK;
}

static lm_status take_ordered(lm_rdd *r, int n, const lm_type *key_type, lm_map_fn key_fn,
                              void *ud, int dir, lm_value_list **out)
{
    lm_value_list *l = rdd_value_list_new(r->type);
    if (l == NULL)
        return lm_error_oom(&r->ctx->s->error);
    if (n <= 0 || r->nparts == 0) {
        *out = l;
        return LM_OK;
    }
    ordered_job j = {r->type, key_fn ? key_type : NULL, key_fn, ud, n, dir};
    block_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL) {
        lm_value_list_free(l);
        return lm_error_oom(&r->ctx->s->error);
    }
    lm_status st = rdd_run_job(r, NULL, 0, ordered_task, &j, slots, sizeof *slots);
    if (st == LM_OK) {
        lm_task t;
        rdd_task_init(&t, r->ctx, -1, -1, 0, -1);
        rdd_vec all = {0};
        for (int p = 0; p < r->nparts && st == LM_OK; p++)
            for (int64_t e = 0; e < slots[p].b.n && st == LM_OK; e++)
                st = rdd_vec_push(&t, &all, &slots[p].b.v[e]);
        keyed_val *kv = NULL;
        if (st == LM_OK)
            st = order_values(&j, &t, all.v, all.n, &kv);
        for (int64_t i = 0; st == LM_OK && i < all.n && i < n; i++)
            if (rdd_block_push_copy(&l->b, r->type, &kv[i].val) != LM_OK)
                st = LM_ENOMEM;
        if (st != LM_OK)
            driver_fail(r, &t, st);
        rdd_task_release(&t);
    }
    free_slots(slots, r->nparts);
    if (st != LM_OK) {
        lm_value_list_free(l);
        return st;
    }
    *out = l;
    return LM_OK;
}

lm_status lm_rdd_take_ordered(lm_rdd *r, int n, const lm_type *key_type, lm_map_fn key_fn,
                              void *ud, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    return take_ordered(r, n, key_type, key_fn, ud, 1, out);
}

lm_status lm_rdd_top(lm_rdd *r, int n, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    return take_ordered(r, n, NULL, NULL, NULL, -1, out);
}

/* ----------------------------------------------------------- takeSample */
/* Utils.randomizeInPlace: Fisher-Yates from the end with java.util.Random. */
static void randomize(lm_value *v, int64_t n, lm_jrandom *rnd)
{
    for (int64_t i = n - 1; i >= 1; i--) {
        int32_t j = lm_jrandom_next_int_bound(rnd, (int32_t)(i + 1));
        lm_value tmp = v[i];
        v[i] = v[j];
        v[j] = tmp;
    }
}

lm_status lm_rdd_take_sample(lm_rdd *r, bool with_replacement, int n, int64_t seed,
                             lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    if (n < 0)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "requirement failed: Negative number of elements requested");
    lm_value_list *l = rdd_value_list_new(r->type);
    if (l == NULL)
        return lm_error_oom(&r->ctx->s->error);
    *out = l;
    if (n == 0)
        return LM_OK;
    int64_t count;
    lm_status st = lm_rdd_count(r, &count);
    if (st != LM_OK || count == 0)
        goto done;
    lm_jrandom rnd;
    lm_jrandom_init(&rnd, seed);
    if (!with_replacement && n >= count) {
        if ((st = collect_parts(r, NULL, 0, -1, &l->b)) == LM_OK)
            randomize(l->b.v, l->b.n, &rnd);
        goto done;
    }
    double fraction = rdd_fraction_for_sample_size(n, count, with_replacement);
    for (;;) {
        lm_rdd *s = rdd_sample_internal(r, with_replacement, fraction,
                                        lm_jrandom_next_int(&rnd), "takeSample", __func__);
        if (s == NULL) {
            st = LM_ERROR;
            break;
        }
        rdd_block_free(&l->b);
        rdd_block_init(&l->b);
        st = collect_parts(s, NULL, 0, -1, &l->b);
        lm_rdd_free(s);
        if (st != LM_OK || l->b.n >= n)
            break;
    }
    if (st == LM_OK) {
        randomize(l->b.v, l->b.n, &rnd);
        if (l->b.n > n)
            l->b.n = n;
    }
done:
    if (st != LM_OK) {
        lm_value_list_free(l);
        *out = NULL;
    }
    return st;
}

/* -------------------------------------------------------- reduce family */
typedef struct fold_job {
    const lm_type *type;     /* of the partial results */
    lm_reduce_fn seq;        /* folds elements into the partial */
    void *ud;
    const lm_value *zero;    /* NULL: reduceLeft (no zero) */
} fold_job;

static lm_status fold_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    fold_job *j = ud;
    lm_value acc;
    bool have = false;
    if (j->zero) {
        acc = *j->zero;
        have = true;
    }
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        if (!have) {
            acc = v;
            have = true;
            continue;
        }
        lm_value nacc;
        if ((st = j->seq(t, &acc, &v, &nacc, j->ud)) != LM_OK)
            return st;
        acc = nacc;
    }
    block_slot tmp = {0};
    if (have) {
        rdd_iter *one = rdd_iter_array(t, &acc, 1);
        if (one == NULL)
            return LM_ENOMEM;
        lm_status st = drain_to_slot(t, one, j->type, -1, &tmp);
        if (st != LM_OK)
            return st;
    }
    *(block_slot *)slot = tmp;
    return LM_OK;
}

/* Runs fold_job on every partition and merges the partials on the driver
   with comb, starting from zero when given. */
static lm_status fold_merge(lm_rdd *r, fold_job *j, lm_reduce_fn comb, lm_value_list **out,
                            bool need_value)
{
    block_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = rdd_run_job(r, NULL, 0, fold_task, j, slots, sizeof *slots);
    if (st != LM_OK) {
        free_slots(slots, r->nparts);
        return st;
    }
    lm_task t;
    rdd_task_init(&t, r->ctx, -1, -1, 0, -1);
    lm_value acc;
    bool have = false;
    if (j->zero) {
        acc = *j->zero;
        have = true;
    }
    /* partials merge in the order they reached the driver (chaos), else
       in partition order */
    rdd_ctx *ctx = r->ctx;
    int nmerge = ctx->result_order ? ctx->nresult_order : r->nparts;
    for (int k = 0; k < nmerge && st == LM_OK; k++) {
        int p = ctx->result_order ? ctx->result_order[k] : k;
        if (!slots[p].has)
            continue;
        if (!have) {
            acc = slots[p].b.v[0];
            have = true;
            continue;
        }
        lm_value nacc;
        if ((st = comb(&t, &acc, &slots[p].b.v[0], &nacc, j->ud)) == LM_OK)
            acc = nacc;
    }
    if (st != LM_OK)
        driver_fail(r, &t, st);
    else if (!have && need_value)
        st = empty_collection(r);
    else
        st = single(r, j->type, have ? &acc : NULL, out);
    rdd_task_release(&t);
    free_slots(slots, r->nparts);
    return st;
}

lm_status lm_rdd_reduce(lm_rdd *r, lm_reduce_fn f, void *ud, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    fold_job j = {r->type, f, ud, NULL};
    return fold_merge(r, &j, f, out, true);
}

lm_status lm_rdd_fold(lm_rdd *r, const lm_value *zero, lm_reduce_fn f, void *ud,
                      lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    fold_job j = {r->type, f, ud, zero};
    return fold_merge(r, &j, f, out, true);
}

lm_status lm_rdd_aggregate(lm_rdd *r, const lm_type *u_type, const lm_value *zero,
                           lm_reduce_fn seq, lm_reduce_fn comb, void *ud, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    fold_job j = {u_type, seq, ud, zero};
    return fold_merge(r, &j, comb, out, true);
}

/*
 * treeReduce: per-partition reduceLeft, then Spark's treeAggregate levels
 * (scale = max(ceil(P^(1/depth)), 2); while P > scale + ceil(P/scale),
 * partial i folds into i % (P/scale), in partition order), then a final
 * fold. Spark runs the levels as foldByKey shuffles; the combination order
 * is the same, so is the result.
 */
lm_status lm_rdd_tree_reduce(lm_rdd *r, lm_reduce_fn f, void *ud, int depth,
                             lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    if (depth < 1)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "requirement failed: Depth must be greater than or equal to 1 but got "
                        "%d.",
                        depth);
    fold_job j = {r->type, f, ud, NULL};
    block_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = rdd_run_job(r, NULL, 0, fold_task, &j, slots, sizeof *slots);
    if (st != LM_OK) {
        free_slots(slots, r->nparts);
        return st;
    }
    lm_task t;
    rdd_task_init(&t, r->ctx, -1, -1, 0, -1);
    int n = r->nparts;
    lm_value *vals = lm_task_alloc(&t, sizeof *vals * (size_t)(n + 1));
    bool *has = lm_task_alloc(&t, sizeof *has * (size_t)(n + 1));
    if (vals == NULL || has == NULL)
        st = LM_ENOMEM;
    for (int p = 0; st == LM_OK && p < n; p++) {
        has[p] = slots[p].has;
        if (has[p])
            vals[p] = slots[p].b.v[0];
    }
    int scale = (int)ceil(pow((double)n, 1.0 / depth));
    if (scale < 2)
        scale = 2;
    while (st == LM_OK && n > scale + (int)ceil((double)n / scale)) {
        int cur = n / scale;
        for (int i = cur; i < n && st == LM_OK; i++) {
            int k = i % cur;
            if (!has[i])
                continue;
            if (!has[k]) {
                vals[k] = vals[i];
                has[k] = true;
                continue;
            }
            lm_value m;
            if ((st = f(&t, &vals[k], &vals[i], &m, ud)) == LM_OK)
                vals[k] = m;
        }
        n = cur;
    }
    lm_value acc;
    bool have = false;
    for (int p = 0; p < n && st == LM_OK; p++) {
        if (!has[p])
            continue;
        if (!have) {
            acc = vals[p];
            have = true;
            continue;
        }
        lm_value m;
        if ((st = f(&t, &acc, &vals[p], &m, ud)) == LM_OK)
            acc = m;
    }
    if (st != LM_OK)
        driver_fail(r, &t, st);
    else if (!have)
        st = empty_collection(r);
    else
        st = single(r, r->type, &acc, out);
    rdd_task_release(&t);
    free_slots(slots, r->nparts);
    return st;
}

static lm_status min_fn(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                        void *ud)
{
    (void)t;
    *out = lm_value_compare_nulls(ud, a, b, true) <= 0 ? *a : *b;
    return LM_OK;
}

static lm_status max_fn(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                        void *ud)
{
    (void)t;
    *out = lm_value_compare_nulls(ud, a, b, true) >= 0 ? *a : *b;
    return LM_OK;
}

lm_status lm_rdd_min(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    return lm_rdd_reduce(r, min_fn, r->type, out);
}

lm_status lm_rdd_max(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    return lm_rdd_reduce(r, max_fn, r->type, out);
}

/* -------------------------------------------------------------- foreach */
typedef struct each_job {
    lm_each_fn each;
    lm_partition_fn part;
    void *ud;
} each_job;

static lm_status each_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)slot;
    each_job *j = ud;
    if (j->part) {
        /* a doomed attempt (chaos) fails once the callback has run, so its
           side effects happen as a cluster's failed attempt's would */
        t->chaos_defer = true;
        rdd_vec all = {0};
        lm_status st = rdd_iter_drain(it, t, &all);
        if (st == LM_OK)
            st = j->part(t, part, all.v, all.n, j->ud);
        if (st == LM_OK && t->doomed && !t->chaos_fired)
            st = rdd_task_chaos_fire(t);
        return st;
    }
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK || !has)
            return st;
        if ((st = j->each(t, &v, j->ud)) != LM_OK)
            return st;
    }
}

static lm_status run_each(lm_rdd *r, each_job *j)
{
    char *slots = calloc((size_t)r->nparts + 1, 1);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = rdd_run_job(r, NULL, 0, each_task, j, slots, 1);
    free(slots);
    return st;
}

lm_status lm_rdd_foreach(lm_rdd *r, lm_each_fn f, void *ud)
{
    if (r == NULL)
        return LM_ERROR;
    each_job j = {f, NULL, ud};
    return run_each(r, &j);
}

lm_status lm_rdd_foreach_partition(lm_rdd *r, lm_partition_fn f, void *ud)
{
    if (r == NULL)
        return LM_ERROR;
    each_job j = {NULL, f, ud};
    return run_each(r, &j);
}

/* ------------------------------------------------------------ pair actions */
static lm_status one_long(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)in;
    (void)ud;
    *out = lm_value_i64(1);
    return LM_OK;
}

static lm_status add_long(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                          void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64((int64_t)((uint64_t)a->u.i64 + (uint64_t)b->u.i64));
    return LM_OK;
}

/* mapValues(_ => 1L).reduceByKey(_ + _).collect() */
lm_status lm_rdd_count_by_key(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL || rdd_require_pair(r, "countByKey"))
        return LM_ERROR;
    rdd_mp_fns fns = {.map = one_long};
    lm_rdd *ones = rdd_map_partitions_rdd(r, RDD_MP_MAP_VALUES, lm_type_long(), &fns, true,
                                          "countByKey", __func__);
    if (ones == NULL)
        return LM_ERROR;
    rdd_agg *a = rdd_agg_new(lm_type_long());
    rdd_partitioner *p = rdd_default_partitioner(&ones, 1);
    lm_rdd *red = NULL;
    if (a && p) {
        a->merge_value = a->merge_comb = add_long;
        red = rdd_combine_by_key(ones, p, a, true, "countByKey", __func__);
    } else {
        rdd_agg_free(a);
        rdd_partitioner_unref(p);
        lm_error_oom(&r->ctx->s->error);
    }
    lm_rdd_free(ones);
    if (red == NULL)
        return LM_ERROR;
    lm_status st = rdd_collect_list(red, out);
    lm_rdd_free(red);
    return st;
}

static lm_status with_null(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value n = lm_value_null();
    return lm_task_make_pair(t, in, &n, out);
}

lm_status lm_rdd_count_by_value(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL)
        return LM_ERROR;
    lm_type *pt = rdd_pair_type(r->type, lm_type_null());
    if (pt == NULL)
        return lm_error_oom(&r->ctx->s->error);
    rdd_mp_fns fns = {.map = with_null};
    lm_rdd *m = rdd_map_partitions_rdd(r, RDD_MP_MAP, pt, &fns, false, "countByValue",
                                       __func__);
    lm_type_unref(pt);
    if (m == NULL)
        return LM_ERROR;
    lm_status st = lm_rdd_count_by_key(m, out);
    lm_rdd_free(m);
    return st;
}

lm_status lm_rdd_collect_as_map(lm_rdd *r, lm_value_list **out)
{
    if (r == NULL || rdd_require_pair(r, "collectAsMap"))
        return LM_ERROR;
    lm_value_list *all;
    lm_status st = rdd_collect_list(r, &all);
    if (st != LM_OK)
        return st;
    lm_type *kt = r->type->fields[0].type;
    lm_rowset set;
    lm_rowset_init(&set, 1, &kt);
    int64_t *pos = calloc((size_t)all->b.n + 1, sizeof *pos);
    lm_value_list *l = rdd_value_list_new(r->type);
    if (pos == NULL || l == NULL)
        st = lm_error_oom(&r->ctx->s->error);
    int64_t nk = 0;
    for (int64_t i = 0; st == LM_OK && i < all->b.n; i++) {
        int64_t idx;
        bool ins;
        if (!lm_rowset_upsert(&set, rdd_key(&all->b.v[i]), &idx, &ins)) {
            st = lm_error_oom(&r->ctx->s->error);
            break;
        }
        if (ins)
            nk++;
        pos[idx] = i; /* the last value of a key wins */
    }
    for (int64_t k = 0; st == LM_OK && k < nk; k++)
        if (rdd_block_push_copy(&l->b, r->type, &all->b.v[pos[k]]) != LM_OK)
            st = lm_error_oom(&r->ctx->s->error);
    lm_rowset_free(&set);
    free(pos);
    lm_value_list_free(all);
    if (st != LM_OK) {
        lm_value_list_free(l);
        return st;
    }
    *out = l;
    return LM_OK;
}

typedef struct lookup_ud {
    const lm_type *key_type;
    const lm_value *key;
} lookup_ud;

static lm_status key_matches(lm_task *t, const lm_value *in, bool *keep, void *ud)
{
    (void)t;
    lookup_ud *u = ud;
    *keep = lm_value_equal(u->key_type, rdd_key(in), u->key);
    return LM_OK;
}

/* With a known partitioner only the key's partition is scanned. */
lm_status lm_rdd_lookup(lm_rdd *r, const lm_value *key, lm_value_list **out)
{
    if (r == NULL || rdd_require_pair(r, "lookup"))
        return LM_ERROR;
    lookup_ud u = {r->type->fields[0].type, key};
    rdd_mp_fns fns = {.filter = key_matches, .ud = &u};
    lm_rdd *f = rdd_map_partitions_rdd(r, RDD_MP_FILTER, NULL, &fns, true, "lookup", __func__);
    lm_rdd *v = f ? rdd_map_partitions_rdd(f, RDD_MP_VALUES, NULL, NULL, false, "lookup",
                                           __func__)
                  : NULL;
    lm_status st = LM_ERROR;
    if (v && r->partitioner) {
        lm_task t;
        rdd_task_init(&t, r->ctx, -1, -1, 0, -1);
        int p = 0;
        st = rdd_partition_of(r->partitioner, u.key_type, key, &t, &p);
        if (st != LM_OK)
            driver_fail(r, &t, st);
        rdd_task_release(&t);
        lm_value_list *l = st == LM_OK ? rdd_value_list_new(v->type) : NULL;
        if (st == LM_OK && l == NULL)
            st = lm_error_oom(&r->ctx->s->error);
        if (st == LM_OK && (st = collect_parts(v, &p, 1, -1, &l->b)) == LM_OK)
            *out = l;
        else
            lm_value_list_free(l);
    } else if (v) {
        st = rdd_collect_list(v, out);
    }
    lm_rdd_free(v);
    lm_rdd_free(f);
    return st;
}
