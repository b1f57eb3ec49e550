/*
 * Row-at-a-time evaluation of resolved expressions. Operators call it per
 * row of a batch; values it produces live in the context's arena, which the
 * caller resets between batches.
 */
#ifndef LM_EXPR_EVAL_H
#define LM_EXPR_EVAL_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan.h"

struct lm_tz;
struct lm_session;
struct lm_exec;

typedef struct lm_eval_ctx lm_eval_ctx;
struct lm_eval_ctx {
    struct lm_session *session;
    lm_arena *arena;          /* results of this evaluation live here */
    lm_error *err;
    const struct lm_tz *tz;   /* session time zone */
    bool ansi;                /* spark.sql.ansi.enabled */
    /* correlated subqueries: rows of the enclosing queries, innermost last */
    int nouter;
    const lm_value *outer[16];
    /* lambda variables of higher-order functions, by slot */
    lm_value lambda_vars[16];
    struct lm_exec *exec;     /* to run subqueries */
};

lm_status lm_eval_expr(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out);

/* Evaluates a predicate: NULL counts as false. */
lm_status lm_eval_predicate(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, bool *out);

/* Constant folding: evaluates an expression that reads no columns. */
lm_status lm_eval_constant(lm_eval_ctx *ec, const lm_expr *e, lm_value *out);

/* Errors raised while evaluating, with Spark's classes. */
lm_status lm_eval_error(lm_eval_ctx *ec, const char *exception, const char *error_class,
                        const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Hook implemented by the executor: runs a subquery expression's plan with
   the current outer rows. */
lm_status lm_exec_subquery(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row,
                           lm_value *out);

#endif
