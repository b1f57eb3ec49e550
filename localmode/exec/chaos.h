/*
 * Chaos for DataFrame execution: the hook through which operators and the
 * scheduler apply the session's chaos schedule (policy and conf syntax in
 * common/chaos.h, spark.localmode.chaos.seed / .failTasks).
 *
 * Two kinds of caller:
 *
 *  - A partitioned scheduler (tasks per partition, exchanges between
 *    stages) calls exec_chaos_arrival where a reduce-side task merges the
 *    outputs of the map-side partitions, iterating them in the order it
 *    returns instead of 0..n-1, and exec_chaos_task at the end of every task
 *    attempt, after the task consumed its input and before it publishes its
 *    output, retrying the attempt (or aborting the stage) on LM_ERROR as for
 *    any task failure. `position` is the stage's position in the query (0
 *    for the first stage run), so schedules replay whatever ran before.
 *
 *  - The single-threaded operators (aggregate, join) read their input
 *    through an exec_row_cursor. Without chaos it walks the table in order.
 *    With a seed it walks the table as a reduce task would receive it from
 *    an exchange: cut into spark.sql.shuffle.partitions contiguous slices
 *    (at most one per row), which arrive in a seeded order, each slice's
 *    rows in their order. So first(), last(), collect_list() after a
 *    groupBy, or anything downstream of a join's output order, shows the
 *    answers a cluster can give.
 */
#ifndef LM_EXEC_CHAOS_H
#define LM_EXEC_CHAOS_H

#include "common/chaos.h"
#include "exec.h"

typedef struct exec_chaos {
    lm_chaos c;
    int slices; /* spark.sql.shuffle.partitions: map-side slices of an input */
} exec_chaos;

/* Reads the session's chaos confs into *out (off when unset); on a bad
   value records the error in x->err and returns LM_ERROR. */
lm_status exec_chaos_get(lm_exec *x, exec_chaos *out);
void exec_chaos_clear(exec_chaos *c);

/* order[i] = the i-th of n map-side partitions to reach reduce partition
   `part` of the exchange feeding the stage at `position`. Identity when
   no seed is set. */
void exec_chaos_arrival(const exec_chaos *c, int position, int part, int n, int *order);

/* LM_OK, or LM_ERROR with the injected failure in x->err when the schedule
   fails this attempt of task `part` of stage `stage_id`. */
lm_status exec_chaos_task(lm_exec *x, const exec_chaos *c, int stage_id, int position, int part,
                          int attempt);

/* ------------------------------------------------- single-threaded operators */
/* Salts keeping the decisions of different inputs independent. */
typedef enum exec_chaos_input {
    EXEC_CHAOS_AGG_INPUT = 1,
    EXEC_CHAOS_JOIN_LEFT = 2,
    EXEC_CHAOS_JOIN_RIGHT = 3
} exec_chaos_input;

typedef struct exec_row_cursor {
    const lm_table *t;
    /* chaos only (NULL otherwise): */
    int *order;           /* slices in arrival order */
    int nslices;
    int64_t nrows;
    int64_t *batch_start; /* first global row of each batch, nbatches + 1 */
    int k;                /* slices taken */
    int64_t next, end;    /* global rows left in the current slice */
    /* the walk */
    int b;                /* current batch */
    int32_t r;            /* next row in it (no chaos) */
} exec_row_cursor;

/*
 * Opens a cursor over `in` (borrowed) for the input `which` of an operator.
 * LM_ERROR on a bad chaos conf, LM_ENOMEM; both recorded in x->err.
 */
lm_status exec_row_cursor_open(lm_exec *x, const lm_table *in, exec_chaos_input which,
                               exec_row_cursor *cur);
/* The next row as (batch, row index); false at the end. */
bool exec_row_cursor_next(exec_row_cursor *cur, const lm_batch **batch, int32_t *row);
void exec_row_cursor_close(exec_row_cursor *cur);

#endif
