/*
 * sortByKey and sortBy with Spark's RangePartitioner. Building the
 * partitioner runs a job at once (as in Spark): every partition of the keys
 * is reservoir-sampled (XORShiftRandom seeded byteswap32(index ^ (id <<
 * 16)) where id is the keys RDD's), partitions much larger than average
 * are re-sampled with a Bernoulli sample, and determineBounds walks the
 * weighted, sorted candidates. The partition count may come out below the
 * one asked for, exactly when Spark's does.
 *
 * The RDDs Spark creates while doing this (keys map, sketch, pruning,
 * sample) take RDD ids here too, so later ids match Spark's.
 */
#include "rdd_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "session/session.h"

typedef struct sketch_slot {
    int64_t n;
    rdd_block sample;
} sketch_slot;

typedef struct sketch_job {
    int k;
    int shift;
    const lm_type *key_type;
} sketch_job;

/* SamplingUtils.reservoirSampleAndCount */
static lm_status sketch_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    sketch_job *j = ud;
    sketch_slot *s = slot;
    int32_t seed = rdd_byteswap32(part ^ (j->shift << 16));
    rdd_vec res = {0};
    int64_t l = 0;
    lm_xorshift rnd;
    bool rnd_ready = false;
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        if (l < j->k) {
            if ((st = rdd_vec_push(t, &res, &v)) != LM_OK)
                return st;
            l++;
            continue;
        }
        if (!rnd_ready) {
            lm_xorshift_init(&rnd, seed);
            rnd_ready = true;
        }
        l++;
        int64_t idx = (int64_t)(lm_xorshift_next_double(&rnd) * (double)l);
        if (idx < j->k)
            res.v[idx] = v;
    }
    rdd_block b;
    rdd_block_init(&b);
    for (int64_t i = 0; i < res.n; i++)
        if (rdd_block_push_copy(&b, j->key_type, &res.v[i]) != LM_OK) {
            rdd_block_free(&b);
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        }
    s->n = l;
    s->sample = b;
    return LM_OK;
}

typedef struct cand {
    const lm_value *key;
    float weight;
} cand;

/* Stable (as Scala's sortBy) merge sort by key. */
static void sort_cands(const lm_type *kt, cand *c, cand *tmp, int64_t n)
{
    if (n < 2)
        return;
    int64_t h = n / 2;
    sort_cands(kt, c, tmp, h);
    sort_cands(kt, c + h, tmp, n - h);
    int64_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = lm_value_compare_nulls(kt, c[j].key, c[i].key, true) < 0 ? c[j++] : c[i++];
    while (i < h)
        tmp[k++] = c[i++];
    while (j < n)
        tmp[k++] = c[j++];
    memcpy(c, tmp, sizeof *c * (size_t)n);
}

static lm_status push_cand(cand **c, int64_t *n, int64_t *cap, const lm_value *key, float w)
{
    if (*n == *cap) {
        int64_t nc = *cap ? *cap * 2 : 64;
        cand *x = realloc(*c, sizeof *x * (size_t)nc);
        if (x == NULL)
            return LM_ENOMEM;
        *c = x;
        *cap = nc;
    }
    (*c)[(*n)++] = (cand){key, w};
    return LM_OK;
}

/* RangePartitioner.determineBounds */
static lm_status determine_bounds(rdd_partitioner *p, cand *c, int64_t n, int partitions)
{
    cand *tmp = malloc(sizeof *tmp * (size_t)(n > 0 ? n : 1));
    if (tmp == NULL)
        return LM_ENOMEM;
    sort_cands(p->key_type, c, tmp, n);
    free(tmp);
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += (double)c[i].weight;
    double step = sum / partitions, cum = 0, target = step;
    const lm_value *prev = NULL;
    for (int64_t i = 0, j = 0; i < n && j < partitions - 1; i++) {
        cum += (double)c[i].weight;
        if (cum >= target &&
            (prev == NULL || lm_value_compare_nulls(p->key_type, c[i].key, prev, true) > 0)) {
            if (rdd_block_push_copy(&p->bounds, p->key_type, c[i].key) != LM_OK)
                return LM_ENOMEM;
            target += step;
            j++;
            prev = c[i].key;
        }
    }
    return LM_OK;
}

static lm_status collect_block(lm_rdd *r, rdd_block *out);

static rdd_partitioner *range_partitioner(lm_rdd *r, int partitions, bool ascending)
{
    rdd_ctx *ctx = r->ctx;
    rdd_partitioner *p = rdd_partitioner_hash(1);
    if (p == NULL) {
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    p->kind = RDD_PART_RANGE;
    p->ascending = ascending;
    p->key_type = lm_type_ref(r->type->fields[0].type);
    if (partitions <= 1)
        return p;
    double sample_size = fmin(20.0 * partitions, 1e6);
    double per = ceil(3.0 * sample_size / r->nparts);
    int k = per > INT32_MAX ? INT32_MAX : (int)per;
    lm_rdd *keys = rdd_map_partitions_rdd(r, RDD_MP_KEYS, NULL, NULL, false, "sortByKey",
                                          __func__);
    if (keys == NULL) {
        rdd_partitioner_unref(p);
        return NULL;
    }
    ctx->next_rdd_id++; /* the sketch's mapPartitionsWithIndex */
    sketch_job job = {k, keys->id, p->key_type};
    sketch_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    cand *c = NULL;
    int64_t nc = 0, cap = 0;
    lm_status st = slots ? rdd_run_job(keys, NULL, 0, sketch_task, &job, slots, sizeof *slots)
                         : lm_error_oom(&ctx->s->error);
    int64_t total = 0;
    for (int i = 0; st == LM_OK && i < r->nparts; i++)
        total += slots[i].n;
    rdd_block resampled;
    rdd_block_init(&resampled);
    if (st == LM_OK && total > 0) {
        double fraction = fmin(sample_size / (double)(total > 1 ? total : 1), 1.0);
        bool *imbalanced = calloc((size_t)r->nparts + 1, sizeof *imbalanced);
        bool any = false;
        if (imbalanced == NULL)
            st = lm_error_oom(&ctx->s->error);
        for (int i = 0; st == LM_OK && i < r->nparts; i++) {
            if (fraction * (double)slots[i].n > (double)k) {
                imbalanced[i] = any = true;
                continue;
            }
            float w = (float)((double)slots[i].n / (double)slots[i].sample.n);
            for (int64_t e = 0; e < slots[i].sample.n && st == LM_OK; e++)
                if (push_cand(&c, &nc, &cap, &slots[i].sample.v[e], w) != LM_OK)
                    st = lm_error_oom(&ctx->s->error);
        }
        if (st == LM_OK && any) {
            lm_rdd *km = rdd_map_partitions_rdd(r, RDD_MP_KEYS, NULL, NULL, false,
                                                "sortByKey", __func__);
            lm_rdd *pr = km ? rdd_partition_pruning(km, imbalanced, "sortByKey", __func__)
                            : NULL;
            lm_rdd *sm = pr ? rdd_sample_internal(pr, false, fraction,
                                                  rdd_byteswap32(-r->id - 1), "sortByKey",
                                                  __func__)
                            : NULL;
            st = sm ? collect_block(sm, &resampled) : LM_ERROR;
            lm_rdd_free(sm);
            lm_rdd_free(pr);
            lm_rdd_free(km);
            float w = (float)(1.0 / fraction);
            for (int64_t e = 0; st == LM_OK && e < resampled.n; e++)
                if (push_cand(&c, &nc, &cap, &resampled.v[e], w) != LM_OK)
                    st = lm_error_oom(&ctx->s->error);
        }
        free(imbalanced);
        if (st == LM_OK && determine_bounds(p, c, nc, partitions) != LM_OK)
            st = lm_error_oom(&ctx->s->error);
        p->n = (int)p->bounds.n + 1;
    }
    free(c);
    rdd_block_free(&resampled);
    for (int i = 0; slots && i < r->nparts; i++)
        rdd_block_free(&slots[i].sample);
    free(slots);
    lm_rdd_free(keys);
    if (st != LM_OK) {
        rdd_partitioner_unref(p);
        return NULL;
    }
    return p;
}

typedef struct collect_slot {
    rdd_block b;
} collect_slot;

static lm_status collect_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    const lm_type *type = ud;
    collect_slot *s = slot;
    rdd_block b;
    rdd_block_init(&b);
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st == LM_OK && !has) {
            s->b = b;
            return LM_OK;
        }
        if (st == LM_OK && rdd_block_push_copy(&b, type, &v) != LM_OK)
            st = rdd_task_error(t, LM_ENOMEM, "out of memory");
        if (st != LM_OK) {
            rdd_block_free(&b);
            return st;
        }
    }
}

static lm_status collect_block(lm_rdd *r, rdd_block *out)
{
    collect_slot *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    lm_status st = rdd_run_job(r, NULL, 0, collect_task, r->type, slots, sizeof *slots);
    for (int i = 0; i < r->nparts; i++) {
        for (int64_t e = 0; st == LM_OK && e < slots[i].b.n; e++)
            if (rdd_block_push_copy(out, r->type, &slots[i].b.v[e]) != LM_OK)
                st = lm_error_oom(&r->ctx->s->error);
        rdd_block_free(&slots[i].b);
    }
    free(slots);
    return st;
}

static lm_rdd *sort_by_key(lm_rdd *r, bool ascending, int num_partitions, const char *method,
                           const char *cfunc)
{
    int n = num_partitions > 0 ? num_partitions : r->nparts;
    rdd_partitioner *p = range_partitioner(r, n, ascending);
    if (p == NULL)
        return NULL;
    return rdd_shuffled(r, p, NULL, false, ascending ? 1 : -1, method, cfunc);
}

lm_rdd *lm_rdd_sort_by_key(lm_rdd *r, bool ascending, int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "sortByKey"))
        return NULL;
    return sort_by_key(r, ascending, num_partitions, "sortByKey", __func__);
}

lm_rdd *lm_rdd_sort_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud,
                       bool ascending, int num_partitions)
{
    if (r == NULL)
        return NULL;
    rdd_mp_fns fns = {.map = f, .ud = ud};
    lm_rdd *kb = rdd_map_partitions_rdd(r, RDD_MP_KEY_BY, key_type, &fns, false, "sortBy",
                                        __func__);
    if (kb == NULL)
        return NULL;
    lm_rdd *sorted = sort_by_key(kb, ascending, num_partitions > 0 ? num_partitions : r->nparts,
                                 "sortBy", __func__);
    lm_rdd_free(kb);
    if (sorted == NULL)
        return NULL;
    lm_rdd *v = rdd_map_partitions_rdd(sorted, RDD_MP_VALUES, NULL, NULL, false, "sortBy",
                                       __func__);
    lm_rdd_free(sorted);
    return v;
}
