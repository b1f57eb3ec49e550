/*
 * Internal interface of the aggregate family, which spans several files:
 * aggregate.c (the registry table and the arithmetic / extremum /
 * statistical aggregates), agg_collect.c (collect_list, collect_set,
 * mode), agg_percentile.c (percentile, median, percentile_cont/disc,
 * percentile_approx) and agg_hll.c (approx_count_distinct). Not part of
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

/* spark.sql.legacy.statisticalAggregate: NaN instead of NULL on a division
   by zero in stddev_samp, var_samp, covar_samp, corr, skewness, kurtosis. */
bool agg_legacy_statistical(const lm_eval_ctx *ec);

/* Sorts values of type t in Spark's ascending order (NULLs must have been
   dropped). */
void agg_sort_values(const lm_type *t, lm_value *v, int64_t n);

/* The numeric argument check shared by percentile-like functions: casts
   argument i to DOUBLE when it is numeric, else UNEXPECTED_INPUT_TYPE. */
lm_status agg_expect_double(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err);

/* Reads a constant argument at resolve time; false when it is not foldable. */
bool agg_const_arg(lm_resolve_ctx *rc, const lm_expr *e, lm_value *out);

/* ---------------------------------------------------- agg_collect.c */
lm_status agg_resolve_collect(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_collect_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                             const lm_value *args);
lm_status agg_collect_merge(lm_eval_ctx *ec, const lm_expr *call, void *state,
                            const void *other);
lm_status agg_collect_list_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                 lm_value *out);
lm_status agg_collect_set_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                lm_value *out);
void agg_collect_free(const lm_expr *call, void *state);
size_t agg_collect_state_size(void);

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
lm_status agg_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                               lm_value *out);
void agg_percentile_free(const lm_expr *call, void *state);
size_t agg_percentile_state_size(void);
void agg_percentile_cont_sql(lm_strbuf *sb, const lm_expr *call);

lm_status agg_resolve_approx_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_approx_percentile_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                       const lm_value *args);
lm_status agg_approx_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                      lm_value *out);
void agg_approx_percentile_free(const lm_expr *call, void *state);
size_t agg_approx_percentile_state_size(void);

/* ------------------------------------------------------- agg_hll.c */
lm_status agg_resolve_approx_count_distinct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);
lm_status agg_hll_init(lm_eval_ctx *ec, const lm_expr *call, void *state);
lm_status agg_hll_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                         const lm_value *args);
lm_status agg_hll_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other);
lm_status agg_hll_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out);
void agg_hll_free(const lm_expr *call, void *state);
size_t agg_hll_state_size(void);

#endif
