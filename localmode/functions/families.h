/*
 * The function families. Each file under functions/ exports one table of
 * registry entries (func.h); expr/func_registry.c collects them. The
 * window and generator families also define the small kernel interfaces
 * the executor calls, documented here.
 */
#ifndef LM_FUNCTIONS_FAMILIES_H
#define LM_FUNCTIONS_FAMILIES_H

#include <stdint.h>

#include "expr/eval.h"
#include "expr/func.h"

extern const lm_func_table lm_funcs_operators;
extern const lm_func_table lm_funcs_conditional;
extern const lm_func_table lm_funcs_math;
extern const lm_func_table lm_funcs_string;
extern const lm_func_table lm_funcs_number_format;
extern const lm_func_table lm_funcs_regexp;
extern const lm_func_table lm_funcs_aggregate;
extern const lm_func_table lm_funcs_collection;
extern const lm_func_table lm_funcs_array;
extern const lm_func_table lm_funcs_hof;
extern const lm_func_table lm_funcs_datetime;
extern const lm_func_table lm_funcs_misc;
extern const lm_func_table lm_funcs_window;
extern const lm_func_table lm_funcs_generator;

/* ------------------------------------------------ per-partition state
 *
 * Nondeterministic functions seeded per partition (rand, randn, uuid,
 * shuffle, monotonically_increasing_id, spark_partition_id) keep their
 * state per thread: the executor calls lm_func_partition_begin before
 * evaluating the rows of partition `partition_index` on a thread, which
 * resets that state (Spark seeds each partition with seed + index).
 */
void lm_func_partition_begin(int partition_index);
int lm_func_partition_index(void);
/* A subquery run once per outer row starts its seeded generators afresh
   each time, as the single run Spark makes of it would: the states made
   after lm_func_state_mark are dropped by lm_func_state_release. */
int lm_func_state_mark(void);
void lm_func_state_release(int mark);

/* ------------------------------------------------ arrays in concat/reverse
 *
 * concat and reverse (string family) delegate array arguments here
 * (functions/array.c): the result array lives in ec->arena.
 */
lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out);
lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out);

/* ------------------------------------------------------------ windows
 *
 * Ranking and offset functions (row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile, lag, lead, nth_value) are LM_FN_WINDOW
 * entries: `resolve` types them, and the executor computes a whole
 * partition at once with lm_window_eval:
 *
 *   - rows are the partition's rows in window ORDER BY order;
 *   - peer_start[i] / peer_end[i] bound the peer group of row i (rows
 *     whose ORDER BY keys equal row i's: [peer_start, peer_end));
 *   - args[i * nargs + j] is argument j of the call evaluated on row i
 *     (lag/lead: input, offset, default; ntile: buckets; nth_value: input, n);
 *   - frame_start[i] / frame_end[i] bound row i's frame [start, end), only
 *     read by nth_value (may be NULL for the others; NULL means the whole
 *     partition up to the current row's peers, Spark's default frame with
 *     ORDER BY);
 *   - out receives n values, allocated by the caller; payloads live in
 *     ec->arena.
 *
 * first_value / last_value / first / last / aggregates OVER a window are
 * ordinary LM_FN_AGGREGATE entries: the executor runs them over each
 * row's frame.
 */
typedef struct lm_window_input {
    int64_t n;
    const int64_t *peer_start;
    const int64_t *peer_end;
    int nargs;
    const lm_value *args;
    const int64_t *frame_start;
    const int64_t *frame_end;
} lm_window_input;

/* Computes the window function `call` (call->fn->kind == LM_FN_WINDOW) for
   every row of one partition. */
lm_status lm_window_eval(lm_eval_ctx *ec, const lm_expr *call, const lm_window_input *in,
                         lm_value *out);

/*
 * Ranking functions as typed loops, for an executor that works on
 * columns: row_number, rank, dense_rank and ntile give INT values in
 * ints[0..n), percent_rank and cume_dist DOUBLE values in dbls[0..n),
 * for one partition of n rows with the peer groups described above
 * (peer_start / peer_end are only read by the functions that need them:
 * not by row_number and ntile, for which they may be NULL). buckets is
 * ntile's constant argument. lm_window_eval computes these functions with
 * the same loops.
 */
typedef enum lm_window_rank {
    LM_WINDOW_RANK_NONE, /* not a ranking function: lm_window_eval or an aggregate */
    LM_WINDOW_ROW_NUMBER,
    LM_WINDOW_RANK,
    LM_WINDOW_DENSE_RANK,
    LM_WINDOW_PERCENT_RANK,
    LM_WINDOW_CUME_DIST,
    LM_WINDOW_NTILE
} lm_window_rank;

lm_window_rank lm_window_rank_of(const lm_expr *call);
/* True for the kinds whose values are DOUBLE (percent_rank, cume_dist). */
bool lm_window_rank_is_double(lm_window_rank kind);
void lm_window_rank_fill(lm_window_rank kind, int64_t buckets, int64_t n,
                         const int64_t *peer_start, const int64_t *peer_end, int32_t *ints,
                         double *dbls);

/* --------------------------------------------------------- generators
 *
 * explode, explode_outer, posexplode(_outer), inline(_outer), stack are
 * LM_FN_GENERATOR entries. `resolve` sets call->type to a STRUCT whose
 * fields are the generated columns with Spark's default names (col; pos,
 * col; key, value; col0, col1 ... for stack; the struct's fields for
 * inline). `eval` (called like a scalar kernel on the evaluated
 * arguments, never short-circuited on NULL) returns an ARRAY of those
 * structs: the generated rows, in order. The _outer variants return one
 * all-NULL row instead of none. The generator's array lives in ec->arena.
 */

#endif
