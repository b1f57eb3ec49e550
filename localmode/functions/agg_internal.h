/*
 * Internal interface of the aggregate family, which spans several files:
 * aggregate.c (the registry table and the arithmetic / extremum /
 * statistical aggregates), agg_collect.c (collect_list, collect_set,
 * mode), agg_percentile.c (percentile, median, percentile_cont/disc,
 * percentile_approx), agg_hll.c (approx_count_distinct) and agg_cms.c
 * (count_min_sketch). Not part of
 * any contract outside functions/.
 *
 * Contract every aggregate kernel keeps (op_aggregate.c and op_window.c
 * rely on it):
 *   - agg_init/update/merge run with ec->arena pointing at an arena that
 *     lives as long as the state, so payloads (strings, arrays) copied
 *     there stay valid;
 *   - agg_final may be called several times while updates continue (a
 *     window's growing frame asks for the result after every row), so it
 *     never invalidates the state; its result lives in ec->arena;
 *   - memory a state owns outside the arena is released by agg_free.
 */
#ifndef LM_FUNCTIONS_AGG_INTERNAL_H
#define LM_FUNCTIONS_AGG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "functions/fn_util.h"

/* A growable array of values owned by a state (malloc'ed, freed by
   agg_vals_free); payloads live in the state arena. */
typedef struct agg_vals {
    lm_value *v;
    int64_t n, cap;
} agg_vals;

bool agg_vals_push(agg_vals *a, const lm_value *v);
void agg_vals_free(agg_vals *a);

struct lm_rowset;

/* States of the aggregates defined outside aggregate.c (the registry table
   needs their sizes). */
typedef struct agg_collect_state {
    agg_vals vals;          /* collect_list: all values; set / mode: distinct values */
    struct lm_rowset *seen; /* collect_set / mode: index of the distinct values */
    int64_t *counts;        /* mode: occurrences of each distinct value */
    int64_t ncounts;
} agg_collect_state;

typedef struct agg_pct_state {
    agg_vals vals; /* values, each with its frequency */
    int64_t *freq;
    int64_t fcap;
} agg_pct_state;

typedef struct agg_gk_stat {
    double value;
    int64_t g, delta;
} agg_gk_stat;

/* Spark's QuantileSummaries: sampled statistics plus the head buffer of
   values not inserted yet. */
typedef struct agg_gk_state {
    agg_gk_stat *sampled;
    int64_t nsampled;
    int64_t count; /* values inserted into sampled */
    double *head;
    int64_t nhead, headcap;
} agg_gk_state;

typedef struct agg_hll_state {
    int p;
    uint8_t *reg; /* 2^p registers (malloc'ed) */
} agg_hll_state;

typedef struct agg_cms_state {
    int32_t depth, width;
    int64_t total;
    int64_t *mult;  /* per row: its hash multiplier (malloc'ed) */
    int64_t *table; /* depth x width counts, row by row (malloc'ed) */
} agg_cms_state;

/* spark.sql.legacy.statisticalAggregate: NaN instead of NULL on a division
   by zero in stddev_samp, var_samp, covar_samp, corr, skewness, kurtosis. */
bool agg_legacy_statistical(const lm_eval_ctx *ec);

/* The numeric argument check shared by percentile-like functions: casts
   argument i to DOUBLE when it is numeric, else UNEXPECTED_INPUT_TYPE. */
lm_status agg_expect_double(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err);

/* ---------------------------------------------------- agg_collect.c */
lm_status agg_resolve_collect(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_collect_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                             const lm_value *args);
lm_status agg_collect_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other);
lm_status agg_collect_list_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
lm_status agg_collect_set_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
void agg_collect_free(const lm_expr *call, void *state);

lm_status agg_resolve_mode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_mode_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);

/* ------------------------------------------------- agg_percentile.c */
lm_status agg_resolve_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_resolve_median(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_resolve_percentile_cont(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_resolve_percentile_disc(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_percentile_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                const lm_value *args);
lm_status agg_percentile_merge(lm_eval_ctx *ec, const lm_expr *call, void *state,
                               const void *other);
lm_status agg_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
void agg_percentile_free(const lm_expr *call, void *state);
void agg_percentile_cont_sql(lm_strbuf *sb, const lm_expr *call);

lm_status agg_resolve_approx_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_approx_percentile_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                       const lm_value *args);
lm_status agg_approx_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                      lm_value *out);
void agg_approx_percentile_free(const lm_expr *call, void *state);

/* ------------------------------------------------------- agg_hll.c */
lm_status agg_resolve_approx_count_distinct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_hll_init(lm_eval_ctx *ec, const lm_expr *call, void *state);
lm_status agg_hll_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args);
lm_status agg_hll_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other);
lm_status agg_hll_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
void agg_hll_free(const lm_expr *call, void *state);

/* ------------------------------------------------------- agg_cms.c */
lm_status agg_resolve_count_min_sketch(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_cms_init(lm_eval_ctx *ec, const lm_expr *call, void *state);
lm_status agg_cms_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args);
lm_status agg_cms_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other);
lm_status agg_cms_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
void agg_cms_free(const lm_expr *call, void *state);

#endif
