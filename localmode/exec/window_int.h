/*
 * Internal interface of the WINDOW operator, shared by its column path
 * (op_window.c) and its row path (window_rows.c): the frames of one
 * partition and the functions computed on values over them
 * (window_frame.c).
 */
#ifndef LM_EXEC_WINDOW_INT_H
#define LM_EXEC_WINDOW_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/analyzer.h"
#include "exec/exec.h"

/* The frame of a window specification with its constant offsets. */
typedef struct win_frame_ctx {
    const lm_window_spec *w;
    lm_value lo_off, hi_off; /* offsets of PRECEDING / FOLLOWING bounds */
} win_frame_ctx;

lm_status win_frame_init(lm_eval_ctx *ec, const lm_window_spec *w, win_frame_ctx *fc);

/* True when frames compare ORDER BY values (a RANGE frame with an offset):
   win_partition_eval then reads okeys. */
bool win_frame_reads_keys(const lm_window_spec *w);

/*
 * Computes the window functions funcs[k] with skip[k] false (skip may be
 * NULL) for one partition of n rows in window order, on values:
 *   - ps[i] / pe[i]: the peer group [ps, pe) of row i;
 *   - okeys[i]: the first ORDER BY value of row i (only read when
 *     win_frame_reads_keys; may be NULL otherwise);
 *   - argv[k][i * nargs + j]: argument j of funcs[k] on row i;
 *   - fs, fe: scratch for n frame bounds each;
 *   - out[k][0..n): the results, payloads in ec->arena.
 */
lm_status win_partition_eval(lm_eval_ctx *ec, const win_frame_ctx *fc,
                             const lm_window_info *info, const bool *skip, int64_t n,
                             const int64_t *ps, const int64_t *pe, const lm_value *okeys,
                             lm_value *const *argv, int64_t *fs, int64_t *fe, lm_value **out);

/* The row path: every input row as values, one comparison sort, the
   functions on values. Used when an argument or key must be evaluated row
   by row in window order (nondeterministic calls, subqueries), and by
   tests as the reference (spark.localmode.test.windowRowPath). */
lm_status win_op_rows(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out);

#endif
