/*
 * Batch-at-a-time evaluation of resolved expressions.
 *
 * The row interpreter (eval.h) pays a dispatch, a tagged lm_value and a
 * function-pointer call per row and node; over a batch of 2 048 rows most
 * of that is the same decision taken 2 048 times. Here an expression is
 * compiled once into a small tree of typed kernels (column reference,
 * constant, + - * / % on integral and floating types, comparisons, AND /
 * OR / NOT, IS [NOT] NULL, widening numeric casts, string equality and
 * LIKE with a prefix/exact pattern) that each process a whole batch. Any
 * other node becomes a fallback kernel that runs the row interpreter over
 * the batch for that subtree, so every resolved expression can be
 * evaluated here, and the fast kernels give bit-identical results to the
 * row path (tests/unit/test_veval.c checks random expressions both ways).
 *
 * Errors and short circuits: the row interpreter stops evaluating AND/OR
 * and null-intolerant arguments early, and raises errors (ANSI overflow,
 * divide by zero) on the first failing row. Kernels evaluate every row of
 * every argument, so a batch whose vectorized evaluation fails is not
 * reported as failed: callers redo that batch with the row interpreter
 * (lm_vexpr_redo_rows tells them whether that is needed), which raises
 * exactly the error the row path would, or none. Expressions with
 * nondeterministic functions or subqueries must not use this module at
 * all (lm_vexpr_supported), since evaluating them on extra rows would
 * change results.
 */
#ifndef LM_EXPR_VEVAL_H
#define LM_EXPR_VEVAL_H

#include <stdbool.h>

#include "expr/eval.h"
#include "vector/vector.h"

typedef struct lm_vexpr lm_vexpr;

/* False when e has a nondeterministic call or a subquery: such
   expressions stay on the row interpreter (see above). */
bool lm_vexpr_supported(const lm_expr *e);

/*
 * Compiles e for batches whose columns are described by the plan's input.
 * Constant subtrees are evaluated here once. Returns NULL only on
 * allocation failure (error set on ec). The program borrows e; free it
 * with lm_vexpr_free.
 */
lm_vexpr *lm_vexpr_compile(lm_eval_ctx *ec, const lm_expr *e);
void lm_vexpr_free(lm_vexpr *v);

/*
 * Evaluates a compiled expression over every row of b. *out receives a
 * vector of b->nrows values of e->type that the caller owns one reference
 * of and releases with lm_vector_free. A column reference returns the
 * batch's own vector with a new reference instead of a copy, so results
 * are read-only. On failure see the header comment: redo the batch with
 * lm_eval_expr.
 */
lm_status lm_vexpr_eval(lm_eval_ctx *ec, const lm_vexpr *v, const lm_batch *b, lm_vector **out);

/*
 * Evaluates a compiled predicate and writes the indices of the rows where
 * it is TRUE (NULL counts as false) to sel[0..*n), in row order. sel has
 * room for b->nrows entries.
 */
lm_status lm_vexpr_select(lm_eval_ctx *ec, const lm_vexpr *v, const lm_batch *b, int32_t *sel,
                          int32_t *n);

/* True when the program is a plain column reference (output shares the
   input vector). *ordinal receives the column. */
bool lm_vexpr_is_column(const lm_vexpr *v, int *ordinal);
/* True when every node of the program runs a batch kernel (no fallback
   to the row interpreter); used by tests and EXPLAIN-style diagnostics. */
bool lm_vexpr_is_native(const lm_vexpr *v);

/* One-shot convenience: compile, evaluate, free. Same ownership as
   lm_vexpr_eval; falls back to the row interpreter for the whole batch
   when the vectorized evaluation fails, so errors are the row path's. */
lm_status lm_eval_batch(lm_eval_ctx *ec, const lm_expr *e, const lm_batch *b, lm_vector **out);

/*
 * Row interpreter over a batch: evaluates e (via lm_eval_expr) for each
 * row into a new vector. The reference result for tests, and the redo
 * path for operators.
 */
lm_status lm_eval_batch_rows(lm_eval_ctx *ec, const lm_expr *e, const lm_batch *b,
                             lm_vector **out);

/* Marks in need[0..ncols) the input columns e reads (BOUND references,
   also inside lambdas). Returns false when e reads the whole row in ways
   that cannot be listed (subqueries with outer references). */
bool lm_expr_columns(const lm_expr *e, bool *need, int ncols);

#endif
