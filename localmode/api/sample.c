/*
 * sample() and randomSplit(): resolved SAMPLE nodes (Spark's
 * Sample(lowerBound, upperBound, withReplacement, seed, child)) executed by
 * exec/op_sample.c with Spark's Bernoulli cell sampler.
 */
#include <stdlib.h>

#include "analysis/analyzer.h"
#include "api/dfapi.h"
#include "session/session.h"

/* Spark's RandomSampler.roundingEpsilon: slop for computed fractions. */
#define ROUNDING_EPSILON 1e-6

static lm_df *sample_node(lm_df *df, double lb, double ub, int64_t seed, bool local_sort)
{
    lm_df *d = dfapi_df_new(df->session);
    if (d == NULL)
        return NULL;
    if (dfapi_df_add_parent(d, df) != LM_OK) {
        lm_df_free(d);
        return NULL;
    }
    lm_plan *p = dfapi_plan_new(d, LM_PLAN_SAMPLE);
    lm_sample_info *si = p ? lm_arena_calloc(&d->arena, 1, sizeof *si) : NULL;
    if (si == NULL) {
        lm_df_free(d);
        return NULL;
    }
    si->lb = lb;
    si->ub = ub;
    si->seed = seed;
    si->local_sort = local_sort;
    p->resolved = true;
    p->child = df->plan;
    p->aux = si;
    p->has_seed = true;
    p->seed = seed;
    p->schema = df->plan->schema;
    p->qualifiers = df->plan->qualifiers;
    return dfapi_df_finish_resolved(d, p, p);
}

lm_df *lm_df_sample(lm_df *df, double fraction, int64_t seed)
{
    if (df == NULL || df->plan == NULL)
        return NULL;
    lm_session *s = df->session;
    lm_error_clear(&s->error);
    if (!(fraction >= 0.0 - ROUNDING_EPSILON && fraction <= 1.0 + ROUNDING_EPSILON)) {
        lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                     "requirement failed: Sampling fraction (%g) must be on interval [0, 1] "
                     "without replacement",
                     fraction);
        return NULL;
    }
    return sample_node(df, 0.0, fraction, seed, false);
}

/* Dataset.randomSplit: weights normalised to cumulative bounds; split i
   samples [bound i, bound i+1) from the same seeded draws, so the splits
   partition the rows. */
lm_status lm_df_random_split(lm_df *df, int n, const double *weights, int64_t seed, lm_df **out)
{
    if (df == NULL || df->plan == NULL)
        return LM_ERROR;
    lm_session *s = df->session;
    lm_error_clear(&s->error);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (weights[i] < 0)
            return lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL,
                                NULL,
                                "requirement failed: Weights must be nonnegative, but got "
                                "[%g]",
                                weights[i]);
        sum += weights[i];
    }
    if (n < 1 || sum <= 0)
        return lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                            "requirement failed: Sum of weights must be positive, but got %g", sum);
    double lb = 0;
    for (int i = 0; i < n; i++) {
        double ub = lb + weights[i] / sum;
        out[i] = sample_node(df, lb, i == n - 1 ? ub : ub, seed, true);
        if (out[i] == NULL) {
            for (int j = 0; j < i; j++) {
                lm_df_free(out[j]);
                out[j] = NULL;
            }
            return s->error.status ? s->error.status : LM_ENOMEM;
        }
        lb = ub;
    }
    return LM_OK;
}
