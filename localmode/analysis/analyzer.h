/*
 * The analyzer: turns the parser's unresolved plans into resolved ones —
 * names bound to input ordinals, functions looked up, types coerced,
 * aggregates and windows pulled into their own plan nodes — raising Spark's
 * analysis errors (UNRESOLVED_COLUMN.WITH_SUGGESTION, DATATYPE_MISMATCH.*,
 * MISSING_AGGREGATION, ...).
 */
#ifndef LM_ANALYSIS_ANALYZER_H
#define LM_ANALYSIS_ANALYZER_H

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan.h"

struct lm_session;

/* Extra state of a resolved AGGREGATE: the aggregate calls whose results
   follow the group keys in the node's output row. */
typedef struct lm_agg_info {
    int naggs;
    lm_expr **aggs;
    /* grouping sets: the child is an EXPAND and the last key is the grouping id */
    bool has_grouping_id;
} lm_agg_info;

/* Extra state of a resolved WINDOW: one spec shared by its exprs. */
typedef struct lm_window_info {
    int nfuncs;
    lm_expr **funcs;          /* the window function calls (args over child) */
    lm_window_spec *spec;     /* resolved partition/order/frame */
} lm_window_info;

/* EXPAND: projections[i] is one output row per input row. */
typedef struct lm_expand_info {
    int nprojections;
    int width;
    lm_expr ***projections;
} lm_expand_info;

/* GENERATE: the generator call (args over child) and whether the child's
   columns are kept. */
typedef struct lm_generate_info {
    lm_expr *generator;
    bool join;       /* keep the child columns (LATERAL VIEW) */
    bool outer;
    int ngen;        /* number of generated columns */
} lm_generate_info;

/* SAMPLE (resolved): Spark's Sample(lowerBound, upperBound, withReplacement,
   seed). local_sort: randomSplit sorts each input partition by every
   orderable column first, so splits are deterministic. */
typedef struct lm_sample_info {
    double lb, ub;
    bool with_replacement;
    int64_t seed;
    bool local_sort;
} lm_sample_info;
/* TVF range(): the ids start, start + step, ... short of end (step != 0). */
typedef struct lm_range_info {
    int64_t start, end, step;
} lm_range_info;

typedef struct lm_analyzer lm_analyzer;

/*
 * Resolves a query plan. sql is the statement text (for error contexts).
 * The result and all nodes it needs live in arena a.
 */
lm_status lm_analyze(struct lm_session *s, lm_arena *a, const char *sql, lm_plan *query,
                     lm_plan **out, lm_error *err);

/* Resolves a standalone expression against a resolved plan's output (the
   DataFrame API's df.filter("...")). */
lm_status lm_analyze_expr(struct lm_session *s, lm_arena *a, const lm_plan *input,
                          lm_expr *e, lm_expr **out, lm_error *err);

/* Output column helpers for resolved plans. */
int lm_plan_ncols(const lm_plan *p);
const char *lm_plan_col_name(const lm_plan *p, int i);

/* True when Spark would treat the result as ordered (see localmode.h). */
bool lm_plan_is_sorted(const lm_plan *p);

#endif
