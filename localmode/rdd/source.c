/*
 * RDDs made from the driver's data: parallelize (ParallelCollectionRDD),
 * range (SparkContext.range: a one-element-per-slice parallelize mapped to
 * the slice's numbers) and emptyRDD.
 *
 * Slicing is ParallelCollectionRDD.slice's: slice i of n elements in k
 * slices holds positions [i*n/k, (i+1)*n/k) computed in 64-bit, so the
 * remainder spreads over the later slices (5 in 3: [0], [1,2], [3,4]).
 */
#include "rdd_int.h"

#include <stdlib.h>

#include "session/session.h"

typedef struct pc_state {
    rdd_block data;
    int64_t *start; /* nparts + 1 offsets into data */
} pc_state;

static lm_status pc_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    pc_state *s = r->state;
    *out = rdd_iter_array(t, s->data.v + s->start[part], s->start[part + 1] - s->start[part]);
    return *out ? LM_OK : LM_ENOMEM;
}

static void pc_free(lm_rdd *r)
{
    pc_state *s = r->state;
    if (s == NULL)
        return;
    rdd_block_free(&s->data);
    free(s->start);
    free(s);
}

static const rdd_ops pc_ops = {"ParallelCollectionRDD", pc_open, pc_free};

lm_rdd *rdd_parallelize_internal(rdd_ctx *ctx, const lm_type *type, const lm_value *values,
                                 int64_t n, int slices, const char *method, const char *cfunc)
{
    if (slices < 1) {
        rdd_fail(ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "Positive number of partitions required");
        return NULL;
    }
    pc_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    rdd_block_init(&s->data);
    s->start = calloc((size_t)slices + 1, sizeof *s->start);
    lm_status st = s->start ? LM_OK : LM_ENOMEM;
    for (int64_t i = 0; i < n && st == LM_OK; i++)
        st = rdd_block_push_copy(&s->data, type, &values[i]);
    if (st != LM_OK) {
        rdd_block_free(&s->data);
        free(s->start);
        free(s);
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    for (int i = 0; i <= slices; i++)
        s->start[i] = (int64_t)(((__int128)i * n) / slices);
    lm_rdd *r = rdd_new(ctx, &pc_ops, type, slices, method, cfunc);
    if (r == NULL) {
        rdd_block_free(&s->data);
        free(s->start);
        free(s);
        return NULL;
    }
    r->state = s;
    return r;
}

lm_rdd *lm_rdd_parallelize(lm_session *s, const lm_type *type, const lm_value *values,
                           int64_t n, int num_slices)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return NULL;
    if (type == NULL || (n > 0 && values == NULL)) {
        rdd_fail(s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "parallelize needs a type and values");
        return NULL;
    }
    return rdd_parallelize_internal(ctx, type, values, n,
                                    num_slices > 0 ? num_slices : ctx->default_parallelism,
                                    "parallelize", __func__);
}

/* ----------------------------------------------------------------- range */
typedef struct range_ud {
    int64_t start, step;
    __int128 nelems;
    int slices;
} range_ud;

/* The numbers of slice i: positions [i*N/k, (i+1)*N/k) of the progression,
   as SparkContext.range computes them with BigInt. */
static lm_status range_part(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)in;
    (void)n;
    range_ud *u = ud;
    if (u->nelems <= 0)
        return LM_OK;
    __int128 from = ((__int128)index * u->nelems) / u->slices;
    __int128 to = ((__int128)(index + 1) * u->nelems) / u->slices;
    for (__int128 k = from; k < to; k++) {
        lm_value v = lm_value_i64((int64_t)(u->start + k * u->step));
        lm_status st = lm_task_emit(t, &v);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

lm_rdd *lm_rdd_range(lm_session *s, int64_t start, int64_t end, int64_t step, int num_slices)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return NULL;
    if (step == 0) {
        rdd_fail(s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "requirement failed: step cannot be 0");
        return NULL;
    }
    int slices = num_slices > 0 ? num_slices : ctx->default_parallelism;
    range_ud *u = calloc(1, sizeof *u);
    if (u == NULL) {
        lm_error_oom(&s->error);
        return NULL;
    }
    __int128 span = (__int128)end - start;
    u->start = start;
    u->step = step;
    u->slices = slices;
    if (span % step == 0 || ((end > start) != (step > 0)))
        u->nelems = span / step;
    else
        u->nelems = span / step + 1;
    /* parallelize(0 until numSlices, numSlices).mapPartitionsWithIndex(...) */
    lm_value *idx = calloc((size_t)slices, sizeof *idx);
    if (idx == NULL) {
        free(u);
        lm_error_oom(&s->error);
        return NULL;
    }
    for (int i = 0; i < slices; i++)
        idx[i] = lm_value_i64(i);
    lm_rdd *pc = rdd_parallelize_internal(ctx, lm_type_int(), idx, slices, slices, "range",
                                          __func__);
    free(idx);
    if (pc == NULL) {
        free(u);
        return NULL;
    }
    rdd_mp_fns fns = {.part = range_part, .ud = u, .ud_free = free};
    lm_rdd *r = rdd_map_partitions_rdd(pc, RDD_MP_PARTITIONS, lm_type_long(), &fns, false,
                                       "range", __func__);
    lm_rdd_free(pc);
    return r;
}

/* ----------------------------------------------------------------- empty */
static lm_status empty_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    (void)r;
    (void)part;
    *out = rdd_iter_array(t, NULL, 0);
    return *out ? LM_OK : LM_ENOMEM;
}

static const rdd_ops empty_ops = {"EmptyRDD", empty_open, NULL};

lm_rdd *lm_rdd_empty(lm_session *s, const lm_type *type)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return NULL;
    return rdd_new(ctx, &empty_ops, type, 0, "emptyRDD", __func__);
}
