/*
 * Type coercion, as Spark's TypeCoercion rules (non-ANSI) decide it: wider
 * and tightest common types, string promotion, decimal widening, and the
 * implicit casts they insert. Function resolvers (func.h) use these.
 */
#ifndef LM_ANALYSIS_COERCE_H
#define LM_ANALYSIS_COERCE_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan.h"

struct lm_session;

typedef struct lm_resolve_ctx lm_resolve_ctx;
struct lm_resolve_ctx {
    struct lm_session *s;
    struct lm_analyzer *an;   /* the analyzer running, for lambda resolution */
    lm_arena *a;
    const char *sql;
    bool ansi;
};

/* Keeps a type reference alive as long as the arena; returns t. */
lm_type *lm_arena_keep_type(lm_arena *a, lm_type *t);

/* Wraps e in an implicit cast to t (no-op when e already has type t). NULL on OOM. */
lm_expr *lm_coerce_to(lm_resolve_ctx *rc, lm_expr *e, const lm_type *t);

/*
 * Spark's findTightestCommonType: numeric widening without precision loss
 * (no decimals with fractional types), NULL with anything, equal types.
 * Returns a new reference or NULL when there is none.
 */
lm_type *lm_coerce_tightest(const lm_type *a, const lm_type *b);
/* findWiderTypeForTwo: tightest, then decimal widening, then string
   promotion (one side string: string, except complex types). */
lm_type *lm_coerce_wider(const lm_type *a, const lm_type *b);
/* Wider type without string promotion (findWiderTypeWithoutStringPromotion). */
lm_type *lm_coerce_wider_no_string(const lm_type *a, const lm_type *b);
/* The common type of n expressions' types (findWiderCommonType); NULL if none. */
lm_type *lm_coerce_wider_all(lm_expr **es, int n, bool string_promotion);
/* findCommonTypeForBinaryComparison + tightest: the type both sides of a
   comparison are cast to; NULL if incompatible. */
lm_type *lm_coerce_comparison(const lm_type *a, const lm_type *b);
/* Decimal type wide enough for an integral type (byte 3,0 ... long 20,0). */
lm_type *lm_decimal_for(const lm_type *t);

/* Spark's "\"expr\"" quoting of an expression's SQL text for error params. */
char *lm_coerce_quote_sql(lm_resolve_ctx *rc, const lm_expr *e);
/* "\"TYPE\"" */
char *lm_coerce_quote_type(lm_resolve_ctx *rc, const lm_type *t);

/* Raises DATATYPE_MISMATCH.<sub> for call with the given message. */
lm_status lm_coerce_mismatch(lm_resolve_ctx *rc, const lm_expr *call, lm_error *err,
                             const char *subclass, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE for argument i that needs required_type. */
lm_status lm_coerce_unexpected_input(lm_resolve_ctx *rc, const lm_expr *call, int i,
                                     const char *required_type, lm_error *err);

/*
 * Resolves argument `lambda` of a higher-order function whose parameters
 * have the given types (and nullability; NULL means all nullable), as
 * Spark's ResolveLambdaVariables binds them. A LAMBDA must declare exactly
 * nparams parameters (INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH) with
 * distinct names; any other (already resolved) expression becomes a lambda
 * with hidden parameters, as Spark does for transform(a, 0). *out is a
 * resolved LM_EXPR_LAMBDA: args[0] the body, ordinal the slot of its first
 * parameter in lm_eval_ctx.lambda_vars, type/nullable those of the body.
 */
lm_status lm_resolve_lambda(lm_resolve_ctx *rc, lm_expr *lambda, int nparams,
                            lm_type *const *param_types, const bool *param_nullable,
                            lm_expr **out, lm_error *err);

/* Spark's pretty SQL of an expression (generated column names). */
void lm_expr_pretty(lm_strbuf *sb, const lm_expr *e);
/* Spark's Expression.sql (casts always shown, strings quoted). */
void lm_expr_sql(lm_strbuf *sb, const lm_expr *e);
char *lm_expr_pretty_arena(lm_arena *a, const lm_expr *e);
/* Sets the zone timestamp literals print in (this thread); returns the old one. */
const struct lm_tz *lm_expr_pretty_set_tz(const struct lm_tz *tz);

#endif
