/*
 * The function registry. Every SQL function and operator is one table entry
 * (name, arity, how it resolves its types, its kernel), as STYLE.md asks;
 * families of functions live in their own files under functions/ and add
 * their tables through lm_func_register_all.
 */
#ifndef LM_EXPR_FUNC_H
#define LM_EXPR_FUNC_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "plan/plan.h"

typedef struct lm_eval_ctx lm_eval_ctx;
typedef struct lm_resolve_ctx lm_resolve_ctx;

typedef enum lm_fn_kind {
    LM_FN_SCALAR,
    LM_FN_AGGREGATE,
    LM_FN_WINDOW,     /* ranking / offset functions: row_number, rank, lag ... */
    LM_FN_GENERATOR   /* explode, posexplode, inline, stack ... */
} lm_fn_kind;

/* How a call prints in generated column names (Spark's Expression.sql). */
typedef enum lm_fn_style {
    LM_STYLE_CALL = 0,   /* name(a, b) */
    LM_STYLE_INFIX,      /* (a op b) */
    LM_STYLE_PREFIX,     /* (op a), e.g. (- a), (NOT a) */
    LM_STYLE_PREFIX_BARE,/* opa, e.g. ~a */
    LM_STYLE_POSTFIX,    /* (a op), e.g. (a IS NULL) */
    LM_STYLE_CUSTOM      /* def->sql prints it */
} lm_fn_style;

enum {
    LM_FN_NULL_INTOLERANT = 1 << 0, /* any NULL argument gives NULL without calling eval */
    LM_FN_NONDETERMINISTIC = 1 << 1,
    LM_FN_LAZY = 1 << 2,            /* eval_lazy evaluates its own arguments */
    LM_FN_HIGHER_ORDER = 1 << 3,    /* takes lambda arguments (resolved by its resolve) */
};

typedef struct lm_agg_state lm_agg_state;

struct lm_func_def {
    const char *name;      /* lower-case SQL name */
    lm_fn_kind kind;
    int min_args, max_args; /* max -1: variadic */
    int flags;
    lm_fn_style style;
    const char *symbol;    /* operator text for INFIX/PREFIX/POSTFIX styles */

    /*
     * Type checking and coercion: args of call are resolved; may replace
     * call->args[i] (e.g. wrap in casts, allocating from rc's arena) and
     * must set call->type and call->nullable. Errors use Spark's classes.
     */
    lm_status (*resolve)(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);

    /* Scalar kernel on evaluated arguments (non-NULL ones when NULL_INTOLERANT). */
    lm_status (*eval)(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                      lm_value *out);
    /* For LAZY functions: evaluates args itself with lm_eval_expr. */
    lm_status (*eval_lazy)(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                           lm_value *out);

    /* Aggregates: state is state_size bytes, zeroed before init. */
    size_t state_size;
    lm_status (*agg_init)(lm_eval_ctx *ec, const lm_expr *call, void *state);
    lm_status (*agg_update)(lm_eval_ctx *ec, const lm_expr *call, void *state,
                            const lm_value *args);
    lm_status (*agg_merge)(lm_eval_ctx *ec, const lm_expr *call, void *state,
                           const void *other);
    lm_status (*agg_final)(lm_eval_ctx *ec, const lm_expr *call, void *state,
                           lm_value *out);
    /* Releases what the state holds outside the eval arena (may be NULL). */
    void (*agg_free)(const lm_expr *call, void *state);

    /* Custom printing for LM_STYLE_CUSTOM. */
    void (*sql)(lm_strbuf *sb, const lm_expr *call);
    /* Name to print when it differs from the looked-up name (e.g. "count"). */
    const char *pretty;
};

/* Looks up a function by case-insensitive name; NULL when unknown. */
const lm_func_def *lm_func_lookup(const char *name);
/* Whether fn takes lambda arguments (transform, filter, aggregate ...). */
bool lm_func_is_higher_order(const lm_func_def *fn);
/* Calls fn for every registered function (SHOW FUNCTIONS). */
void lm_func_foreach(void (*fn)(const lm_func_def *, void *), void *arg);

/* Each family file provides its table; the registry collects them. */
typedef struct lm_func_table {
    const lm_func_def *defs;
    size_t count;
} lm_func_table;

#endif
