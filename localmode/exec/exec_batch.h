/*
 * Batch plumbing shared by the vectorized operators: building batches out
 * of (shared) vectors, gathering selected rows, placeholder columns for
 * pruned columns, the partitioning of an input table into tasks, and the
 * worker threads that run tasks (local[N]).
 *
 * Column pruning: operators receive a `need` mask over their output
 * columns (NULL means all). A column nobody above reads is produced as a
 * placeholder: a NULL-typed vector of the batch's length, which reads as
 * all-NULL and costs no buffers. Placeholders never reach a caller: the
 * root of a plan is always run with every column needed.
 *
 * Determinism: an input table is cut into tasks by a fixed number of rows
 * (exec_partitions), never by the thread count, and results are assembled
 * in task order, so local[1] and local[8] give the same bytes.
 */
#ifndef LM_EXEC_EXEC_BATCH_H
#define LM_EXEC_EXEC_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/exec.h"
#include "vector/vector.h"

/* A batch of ncols empty column slots (cols[i] NULL) and nrows rows; the
   caller fills every slot with a vector reference. */
lm_batch *exec_batch_alloc(int ncols, int32_t nrows);

/* A NULL-typed vector of n rows: a pruned column. */
lm_vector *exec_placeholder(int32_t n);

/* A new vector holding rows sel[0..n) of src, in that order. */
lm_vector *exec_gather(const lm_vector *src, const int32_t *sel, int32_t n);

/* Rows given as (batch, row) pairs of a table; row -1 appends a NULL. */
typedef struct exec_rowref {
    int32_t batch;
    int32_t row;
} exec_rowref;
lm_vector *exec_gather_refs(const lm_table *t, int col, const lm_type *type,
                            const exec_rowref *refs, int32_t n);

/* Whether column i of an operator's output is needed. */
static inline bool exec_needed(const bool *need, int i)
{
    return need == NULL || need[i];
}

/* Input partitions: [first, end) batch ranges of about `rows` rows each. */
typedef struct exec_parts {
    int n;
    int *first;   /* n + 1 entries: partition i is batches [first[i], first[i+1]) */
} exec_parts;
bool exec_partitions(const lm_table *t, int64_t rows, exec_parts *out);
void exec_parts_free(exec_parts *p);

/* Rows per aggregation partition; fixed so results do not depend on N. */
#define EXEC_PART_ROWS (64 * 1024)
/* Rows per task of per-row operators (filter, project): any size gives
   the same result, smaller balances better. */
#define EXEC_TASK_ROWS (16 * 1024)

/* Worker threads the session's master asks for (local[N]); at least 1. */
int exec_threads(lm_exec *x);

/*
 * Runs fn(arg, task, ec) for task = 0..ntasks-1 on up to exec_threads(x)
 * threads. Each call gets its own evaluation context, error slot and
 * scratch arena (reset between tasks). Returns the error of the lowest
 * failing task, moved to x->err, so the error reported does not depend on
 * scheduling either. With one thread or one task everything runs here.
 */
typedef lm_status (*exec_task_fn)(void *arg, int task, lm_eval_ctx *ec);
lm_status exec_run_tasks(lm_exec *x, int ntasks, bool parallel_ok, exec_task_fn fn, void *arg);

/* True when expressions may be evaluated concurrently: no subqueries,
   no nondeterministic calls, no per-call compiled state (regexes). */
bool exec_expr_thread_safe(const lm_expr *e);

/* An operator's input in the order it reads it: `in` itself (a new
   reference), or under chaos (exec/chaos.h) a copy of its rows in the
   arrival order of the exchange that would feed the operator. */
lm_status exec_input_order(lm_exec *x, lm_table *in, int which, lm_table **out);

/* Evaluates e over every batch of t: vecs[b] receives batch b's vector
   (the caller frees each; entries of a failed call may be NULL). Kernels
   (expr/veval.h) where they apply, else, or to redo a batch whose kernels
   failed, the row interpreter, so errors are the row path's. scratch is
   reset after each batch. */
lm_status exec_eval_column(lm_exec *x, const lm_expr *e, const lm_table *t, lm_vector **vecs,
                           lm_arena *scratch);

/* Appends the batches to t in order (takes them); NULL entries skipped. */
lm_status exec_table_take(lm_table *t, lm_batch **batches, int n);

#endif
