/*
 * The expression interpreter. Resolved trees are small and evaluated per
 * row; functions carry their own kernels (func.h), so this file only knows
 * the structural node kinds: literals, column references, casts, CASE, IN,
 * field and element access, lambdas and subqueries.
 */
#include "eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "expr/cast.h"
#include "expr/func.h"

lm_status lm_eval_error(lm_eval_ctx *ec, const char *exception, const char *error_class,
                        const char *sqlstate, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lm_status st = lm_error_vset(ec->err, LM_ERROR, exception, error_class, sqlstate, fmt, ap);
    va_end(ap);
    return st;
}

static lm_status eval_call(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out)
{
    const lm_func_def *fn = e->fn;
    if (fn->flags & LM_FN_LAZY)
        return fn->eval_lazy(ec, e, row, out);
    if (fn->eval == NULL)
        /* an aggregate or window call the analyzer left in a row expression */
        return lm_error_set(ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                            "[INTERNAL_ERROR] %s cannot be evaluated row by row", fn->name);
    lm_value stack[8];
    lm_value *args = stack;
    if (e->nargs > 8) {
        args = lm_arena_alloc(ec->arena, sizeof *args * (size_t)e->nargs);
        if (args == NULL)
            return lm_error_oom(ec->err);
    }
    for (int i = 0; i < e->nargs; i++) {
        lm_status st = lm_eval_expr(ec, e->args[i], row, &args[i]);
        if (st != LM_OK)
            return st;
        if (args[i].is_null && (fn->flags & LM_FN_NULL_INTOLERANT)) {
            *out = lm_value_null();
            return LM_OK;
        }
    }
    return fn->eval(ec, e, args, out);
}

/* CASE [operand] WHEN w THEN t ... [ELSE e] END: the first true branch wins. */
static lm_status eval_case(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out)
{
    int i = 0;
    int n = e->nargs;
    bool has_else = (e->flags & LM_CASE_HAS_ELSE) != 0;
    if (has_else)
        n--;
    lm_value operand = lm_value_null();
    if (e->flags & LM_CASE_HAS_OPERAND) {
        lm_status st = lm_eval_expr(ec, e->args[0], row, &operand);
        if (st != LM_OK)
            return st;
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        lm_value w;
        lm_status st = lm_eval_expr(ec, e->args[i], row, &w);
        if (st != LM_OK)
            return st;
        bool hit;
        if (e->flags & LM_CASE_HAS_OPERAND)
            hit = !w.is_null && !operand.is_null &&
                  lm_value_equal(e->args[i]->type, &operand, &w);
        else
            hit = !w.is_null && w.u.b;
        if (hit)
            return lm_eval_expr(ec, e->args[i + 1], row, out);
    }
    if (has_else)
        return lm_eval_expr(ec, e->args[e->nargs - 1], row, out);
    *out = lm_value_null();
    return LM_OK;
}

/* value IN (list): SQL three-valued logic, NULL when nothing matches but a NULL was seen. */
static lm_status eval_in(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out)
{
    lm_value v;
    lm_status st = lm_eval_expr(ec, e->args[0], row, &v);
    if (st != LM_OK)
        return st;
    if (v.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    bool saw_null = false;
    for (int i = 1; i < e->nargs; i++) {
        lm_value x;
        st = lm_eval_expr(ec, e->args[i], row, &x);
        if (st != LM_OK)
            return st;
        if (x.is_null) {
            saw_null = true;
            continue;
        }
        if (lm_value_equal(e->args[0]->type, &v, &x)) {
            *out = lm_value_bool(!(e->flags & LM_IN_NOT));
            return LM_OK;
        }
    }
    if (saw_null)
        *out = lm_value_null();
    else
        *out = lm_value_bool((e->flags & LM_IN_NOT) != 0);
    return LM_OK;
}

static lm_status eval_subscript(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row,
                                lm_value *out)
{
    lm_value base, idx;
    lm_status st = lm_eval_expr(ec, e->args[0], row, &base);
    if (st == LM_OK)
        st = lm_eval_expr(ec, e->args[1], row, &idx);
    if (st != LM_OK)
        return st;
    *out = lm_value_null();
    if (base.is_null || idx.is_null)
        return LM_OK;
    const lm_type *bt = e->args[0]->type;
    if (bt->id == LM_TYPE_ARRAY) {
        int64_t i = idx.u.i64;
        if (i < 0 || i >= base.u.arr->n) {
            if (ec->ansi)
                return lm_eval_error(ec, "org.apache.spark.SparkArrayIndexOutOfBoundsException",
                                     "INVALID_ARRAY_INDEX", "22003",
                                     "The index %lld is out of bounds. The array has %d elements.",
                                     (long long)i, base.u.arr->n);
            return LM_OK;
        }
        *out = base.u.arr->elems[i];
        return LM_OK;
    }
    if (bt->id == LM_TYPE_MAP) {
        lm_map_value *m = base.u.map;
        /* the last entry wins, as Spark's map lookup scans keys in order
           and maps built by map() keep the last duplicate */
        for (int32_t i = m->n - 1; i >= 0; i--) {
            if (lm_value_equal(bt->key, &m->keys[i], &idx)) {
                *out = m->values[i];
                return LM_OK;
            }
        }
    }
    return LM_OK;
}

lm_status lm_eval_expr(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        *out = e->value;
        return LM_OK;
    case LM_EXPR_BOUND:
        *out = row[e->ordinal];
        return LM_OK;
    case LM_EXPR_OUTER: {
        int level = ec->nouter - e->depth;
        if (level < 0 || level >= ec->nouter)
            return lm_error_set(ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                                "outer reference without an enclosing row");
        *out = ec->outer[level][e->ordinal];
        return LM_OK;
    }
    case LM_EXPR_LAMBDA_VAR:
        *out = ec->lambda_vars[e->ordinal];
        return LM_OK;
    case LM_EXPR_ALIAS:
        return lm_eval_expr(ec, e->args[0], row, out);
    case LM_EXPR_CALL:
        return eval_call(ec, e, row, out);
    case LM_EXPR_CAST: {
        lm_value v;
        lm_status st = lm_eval_expr(ec, e->args[0], row, &v);
        if (st != LM_OK)
            return st;
        if (v.is_null) {
            *out = v;
            return LM_OK;
        }
        int mode = (e->flags & LM_CAST_TRY) ? 1 : (e->flags & LM_CAST_ANSI) ? 2 : 0;
        return lm_cast_value(ec, e->args[0]->type, e->type, &v, out, mode);
    }
    case LM_EXPR_CASE:
        return eval_case(ec, e, row, out);
    case LM_EXPR_IN:
        return eval_in(ec, e, row, out);
    case LM_EXPR_FIELD: {
        lm_value base;
        lm_status st = lm_eval_expr(ec, e->args[0], row, &base);
        if (st != LM_OK)
            return st;
        if (base.is_null)
            *out = lm_value_null();
        else
            *out = base.u.st->fields[e->ordinal];
        return LM_OK;
    }
    case LM_EXPR_SUBSCRIPT:
        return eval_subscript(ec, e, row, out);
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
        return lm_exec_subquery(ec, e, row, out);
    default:
        return lm_error_set(ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                            "cannot evaluate expression kind %d", (int)e->kind);
    }
}

lm_status lm_eval_predicate(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, bool *out)
{
    lm_value v;
    lm_status st = lm_eval_expr(ec, e, row, &v);
    *out = st == LM_OK && !v.is_null && v.u.b;
    return st;
}

lm_status lm_eval_constant(lm_eval_ctx *ec, const lm_expr *e, lm_value *out)
{
    return lm_eval_expr(ec, e, NULL, out);
}
