/*
 * Sampling transformations: sample (PartitionwiseSampledRDD: partition i's
 * sampler seeded with the i-th nextLong of java.util.Random(seed)) and
 * randomSplit (one BernoulliCellSampler range per weight, partition i
 * seeded seed + i, so the splits partition the data exactly).
 */
#include "rdd_int.h"

#include <stdlib.h>

#include "session/session.h"

typedef struct sample_state {
    bool with_replacement;
    double fraction;
    int64_t *seeds; /* per partition */
} sample_state;

typedef struct sample_iter {
    rdd_iter base;
    rdd_iter *in;
    rdd_sampler *s;
    lm_value cur;
    int left; /* copies of cur still to yield */
} sample_iter;

static lm_status sample_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    sample_iter *si = (sample_iter *)it;
    while (si->left == 0) {
        lm_status st = si->in->next(si->in, t, &si->cur, has);
        if (st != LM_OK || !*has)
            return st;
        si->left = rdd_sampler_next(si->s);
    }
    si->left--;
    *out = si->cur;
    *has = true;
    return LM_OK;
}

static lm_status sample_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    sample_state *s = r->state;
    sample_iter *si = rdd_iter_new(t, sizeof *si, sample_next, NULL);
    if (si == NULL)
        return LM_ENOMEM;
    si->s = s->with_replacement ? rdd_sampler_poisson(t, s->fraction, s->seeds[part])
                                : rdd_sampler_bernoulli(t, s->fraction, s->seeds[part]);
    if (si->s == NULL)
        return LM_ENOMEM;
    *out = &si->base;
    return rdd_iterator(r->deps[0].rdd, part, t, &si->in);
}

static void sample_free(lm_rdd *r)
{
    sample_state *s = r->state;
    if (s)
        free(s->seeds);
    free(s);
}

static const rdd_ops sample_ops = {"PartitionwiseSampledRDD", sample_open, sample_free};

lm_rdd *rdd_sample_internal(lm_rdd *r, bool with_replacement, double fraction, int64_t seed,
                            const char *method, const char *cfunc)
{
    if (!(fraction >= 0.0)) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: Fraction must be nonnegative, but got %g", fraction);
        return NULL;
    }
    if (!with_replacement && fraction > 1.0 + 1e-6) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: Sampling fraction (%g) must be on interval [0, 1]",
                 fraction);
        return NULL;
    }
    sample_state *s = calloc(1, sizeof *s);
    if (s == NULL || (s->seeds = calloc((size_t)r->nparts + 1, sizeof *s->seeds)) == NULL) {
        free(s);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    s->with_replacement = with_replacement;
    s->fraction = fraction;
    lm_jrandom rnd;
    lm_jrandom_init(&rnd, seed);
    for (int i = 0; i < r->nparts; i++)
        s->seeds[i] = lm_jrandom_next_long(&rnd);
    lm_rdd *c = rdd_new(r->ctx, &sample_ops, r->type, r->nparts, method, cfunc);
    if (c == NULL) {
        sample_free(&(lm_rdd){.state = s});
        return NULL;
    }
    c->state = s;
    c->partitioner = rdd_partitioner_ref(r->partitioner);
    if (rdd_add_dep(c, r, NULL) != LM_OK) {
        lm_rdd_free(c);
        return NULL;
    }
    return c;
}

lm_rdd *lm_rdd_sample(lm_rdd *r, bool with_replacement, double fraction, int64_t seed)
{
    if (r == NULL)
        return NULL;
    return rdd_sample_internal(r, with_replacement, fraction, seed, "sample", __func__);
}

/* ----------------------------------------------------------- randomSplit */
typedef struct cell_ud {
    double lb, ub;
    int64_t seed;
} cell_ud;

static lm_status cell_part(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    cell_ud *c = ud;
    rdd_sampler *s = rdd_sampler_cell(t, c->lb, c->ub, c->seed + index);
    if (s == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        if (rdd_sampler_next(s)) {
            lm_status st = lm_task_emit(t, &in[i]);
            if (st != LM_OK)
                return st;
        }
    return LM_OK;
}

lm_status lm_rdd_random_split(lm_rdd *r, const double *weights, int n, int64_t seed,
                              lm_rdd **out)
{
    if (r == NULL)
        return LM_ERROR;
    double sum = 0;
    bool neg = false;
    for (int i = 0; i < n; i++) {
        sum += weights[i];
        neg |= weights[i] < 0;
    }
    if (neg || n <= 0)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "requirement failed: Weights must be nonnegative");
    if (!(sum > 0))
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "requirement failed: Sum of weights must be positive");
    /* normalizedCumWeights = weights.map(_ / sum).scanLeft(0.0)(_ + _) */
    double lb = 0.0;
    for (int i = 0; i < n; i++) {
        double ub = lb + weights[i] / sum;
        cell_ud *c = calloc(1, sizeof *c);
        if (c == NULL) {
            for (int j = 0; j < i; j++)
                lm_rdd_free(out[j]);
            return lm_error_oom(&r->ctx->s->error);
        }
        c->lb = lb;
        c->ub = ub;
        c->seed = seed;
        rdd_mp_fns fns = {.part = cell_part, .ud = c, .ud_free = free};
        out[i] = rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, r->type, &fns, true,
                                        "randomSplit", __func__);
        if (out[i] == NULL) {
            for (int j = 0; j < i; j++)
                lm_rdd_free(out[j]);
            return LM_ERROR;
        }
        lb = ub;
    }
    return LM_OK;
}
