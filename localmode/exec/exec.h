/*
 * Execution of resolved plans. Each physical operator lives in its own
 * file (op_*.c) and materialises its output as an lm_table; operators run
 * their input first and read it batch by batch. Results are produced in a
 * deterministic order: input order, then partition order for shuffles.
 */
#ifndef LM_EXEC_EXEC_H
#define LM_EXEC_EXEC_H

#include "catalog/catalog.h"
#include "common/error.h"
#include "expr/eval.h"
#include "plan/plan.h"

struct lm_session;

typedef struct lm_exec {
    struct lm_session *session;
    lm_error *err;
    lm_arena *arena;       /* plan-lifetime scratch (subquery caches) */
    /* rows of enclosing queries while a correlated subquery runs */
    int nouter;
    const lm_value *outer[16];
    /* Results of persisted DataFrames (df.cache()): sets *out to a table
       (borrowed) to use instead of running p, or NULL. May be NULL. */
    lm_status (*cached)(void *ctx, const lm_plan *p, lm_table **out);
    void *cached_ctx;
    /* The condition of the filter directly above the file relation about
       to run (through aliases), offered to its scan; NULL otherwise. */
    const lm_expr *scan_cond;
    /* Totals of what file scans skipped, over the executor's life. */
    int64_t scan_files_read, scan_files_skipped;
    int64_t scan_row_groups_read, scan_row_groups_skipped;
    /* The window group limit a filter offers the WINDOW node win_limit_node
       below it (through projections): keep the rows whose function
       win_limit_func lies in [win_limit_lo, win_limit_hi]. */
    const lm_plan *win_limit_node;
    int win_limit_func;
    int64_t win_limit_lo, win_limit_hi;
    /* Results of uncorrelated subqueries, run once per query
       (exec/subq_cache.h); NULL: every evaluation runs the plan. */
    struct exec_subq_cache *subq;
} lm_exec;

/* Runs a resolved plan; *out is a new table the caller unrefs. */
lm_status lm_exec_plan(lm_exec *x, const lm_plan *p, lm_table **out);

/*
 * An observer of execution (the CLI's --metrics and progress bar), set on
 * the session (lm_session.exec_hook; NULL when none). lm_exec_plan calls
 * enter before a node runs and leave after it, with its output table, or
 * NULL when it failed; nodes nest, so a node's children report between its
 * enter and leave. Subqueries run from expressions report too, possibly on
 * worker threads: the callbacks must be thread-safe. They must not keep
 * the table or call into the engine.
 */
typedef struct lm_exec_hook {
    void (*enter)(void *ctx, const lm_plan *p);
    void (*leave)(void *ctx, const lm_plan *p, const lm_table *out);
    void *ctx;
} lm_exec_hook;

/* Sets up an evaluation context for one batch of work. */
void lm_exec_eval_ctx(lm_exec *x, lm_eval_ctx *ec, lm_arena *scratch);

/* Operators: each runs its input(s) and produces its output table. */
lm_status lm_op_project(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_filter(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
/* need: the output columns the parent reads (NULL: all) */
lm_status lm_op_aggregate(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                          lm_table **out);
lm_status lm_op_sort(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_limit(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_join(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out);
lm_status lm_op_setop(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out);
lm_status lm_op_values(lm_exec *x, const lm_plan *p, lm_table **out);
lm_status lm_op_sample(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_range(lm_exec *x, const lm_plan *p, lm_table **out);
lm_status lm_op_generate(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_expand(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
lm_status lm_op_window(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);
/* WINDOW producing only the columns need marks (NULL: all; the others are
   placeholders) and, when limit_func >= 0, only the rows whose value of
   that ranking function (row_number, rank, dense_rank) lies in
   [limit_lo, limit_hi]: the window group limit a filter above asked for
   (exec.c). */
lm_status lm_op_window_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                            int limit_func, int64_t limit_lo, int64_t limit_hi, lm_table **out);
/* When filter's condition starts with a comparison of a ranking column of
   a WINDOW below it (through projections and aliases) with a constant
   below spark.sql.optimizer.windowGroupLimitThreshold, sets *node to that
   WINDOW and the function and range of values to keep; else *node = NULL. */
void lm_window_group_limit(lm_exec *x, const lm_plan *filter, const lm_plan **node, int *func,
                           int64_t *lo, int64_t *hi);

/* A relation whose rows are in files (table->source): reads the columns
   need marks (NULL: all) with the simple conjuncts of cond (may be NULL)
   pushed into the read. */
lm_status lm_op_scan(lm_exec *x, const lm_plan *p, const bool *need, const lm_expr *cond,
                     lm_table **out);

/* Column-pruning variants (exec_batch.h): need[i] says whether output
   column i is read above; NULL means every column. */
lm_status lm_op_project_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                             lm_table **out);
lm_status lm_op_filter_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                            lm_table **out);
lm_status lm_op_join_cols(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r,
                          const bool *need, lm_table **out);
/* ORDER BY ... LIMIT n: the first n rows of the stable sort, without
   sorting everything. */
lm_status lm_op_sort_topn(lm_exec *x, const lm_plan *sort, lm_table *in, int64_t n,
                          lm_table **out);

/* Row access helpers shared by operators. */
typedef struct lm_row_iter {
    const lm_table *t;
    int batch;
    int32_t row;
} lm_row_iter;

#endif
