/*
 * Conditional functions: coalesce and its aliases, if, nullif, nvl2,
 * greatest/least, typeof, assert_true and raise_error. The branches of
 * coalesce, if and nvl2 are evaluated lazily (LM_FN_LAZY), as Spark's
 * codegen does, so an error in an unused branch is never raised.
 */
#include <stdio.h>
#include <string.h>

#include "expr/cast.h"
#include "functions/families.h"
#include "functions/fn_util.h"

/* DATA_DIFF_TYPES for a function whose inputs must share one type. */
static lm_status data_diff_types(lm_resolve_ctx *rc, lm_expr *call, int from, const char *fname,
                                 lm_error *err)
{
    lm_strbuf ts;
    lm_strbuf_init(&ts);
    for (int i = from; i < call->nargs; i++) {
        if (i > from)
            lm_strbuf_puts(&ts, ", ");
        lm_strbuf_puts(&ts, fn_type_q(rc, call->args[i]->type));
    }
    char fq[64];
    snprintf(fq, sizeof fq, "`%s`", fname);
    lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                       "Input to %s should all be the same type, but it's [%s].", fq,
                       lm_strbuf_cstr(&ts));
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
    lm_strbuf_free(&ts);
    return LM_ERROR;
}

/* Casts args[from..] to their wider common type; sets *out (kept). */
static lm_status widen_args(lm_resolve_ctx *rc, lm_expr *call, int from, bool string_promotion,
                            const char *fname, lm_type **out, lm_error *err)
{
    lm_type *t = lm_coerce_wider_all(call->args + from, call->nargs - from, string_promotion);
    if (t == NULL)
        return data_diff_types(rc, call, from, fname, err);
    lm_arena_keep_type(rc->a, t);
    for (int i = from; i < call->nargs; i++)
        if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return LM_ERROR;
    *out = t;
    return LM_OK;
}

/* ------------------------------------------------------------ coalesce */

static lm_status resolve_coalesce(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *t = NULL;
    if (widen_args(rc, call, 0, true, call->fn->pretty ? call->fn->pretty : call->fn->name, &t,
                   err) != LM_OK)
        return LM_ERROR;
    bool nullable = true;
    for (int i = 0; i < call->nargs; i++)
        if (!call->args[i]->nullable)
            nullable = false;
    call->type = t;
    call->nullable = nullable;
    return LM_OK;
}

static lm_status eval_coalesce(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                               lm_value *out)
{
    for (int i = 0; i < call->nargs; i++) {
        lm_status st = lm_eval_expr(ec, call->args[i], row, out);
        if (st != LM_OK)
            return st;
        if (!out->is_null)
            return LM_OK;
    }
    *out = lm_value_null();
    return LM_OK;
}

/* ------------------------------------------------------------ if */

static lm_status expect_boolean(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (t->id == LM_TYPE_NULL)
        return fn_cast_arg(rc, call, i, lm_type_boolean(), err);
    if (t->id != LM_TYPE_BOOLEAN)
        return lm_coerce_unexpected_input(rc, call, i, "\"BOOLEAN\"", err);
    return LM_OK;
}

static lm_status resolve_if(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_boolean(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    lm_type *t = lm_coerce_wider(call->args[1]->type, call->args[2]->type);
    if (t == NULL) {
        const char *a = fn_type_q(rc, call->args[1]->type), *b = fn_type_q(rc, call->args[2]->type);
        lm_coerce_mismatch(rc, call, err, "TYPE_CHECK_FAILURE_WITH_HINT",
                           "Input to `if` should all be the same type, but it's [%s, %s].", a, b);
        return LM_ERROR;
    }
    lm_arena_keep_type(rc->a, t);
    if (fn_cast_arg(rc, call, 1, t, err) != LM_OK || fn_cast_arg(rc, call, 2, t, err) != LM_OK)
        return LM_ERROR;
    call->type = t;
    call->nullable = call->args[1]->nullable || call->args[2]->nullable;
    return LM_OK;
}

static lm_status eval_if(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row, lm_value *out)
{
    lm_value c;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &c);
    if (st != LM_OK)
        return st;
    return lm_eval_expr(ec, call->args[(!c.is_null && c.u.b) ? 1 : 2], row, out);
}

/* Spark prints If as (IF(p, a, b)). */
static void sql_if(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_puts(sb, "(IF(");
    for (int i = 0; i < call->nargs; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        lm_expr_pretty(sb, call->args[i]);
    }
    lm_strbuf_puts(sb, "))");
}

/* nvl2(a, b, c) = if(a IS NOT NULL, b, c) */
static lm_status resolve_nvl2(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *t = lm_coerce_wider(call->args[1]->type, call->args[2]->type);
    if (t == NULL)
        return data_diff_types(rc, call, 1, "nvl2", err);
    lm_arena_keep_type(rc->a, t);
    if (fn_cast_arg(rc, call, 1, t, err) != LM_OK || fn_cast_arg(rc, call, 2, t, err) != LM_OK)
        return LM_ERROR;
    call->type = t;
    call->nullable = call->args[1]->nullable || call->args[2]->nullable;
    return LM_OK;
}

static lm_status eval_nvl2(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                           lm_value *out)
{
    lm_value c;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &c);
    if (st != LM_OK)
        return st;
    return lm_eval_expr(ec, call->args[c.is_null ? 2 : 1], row, out);
}

/* nullif(a, b) = if(a = b, NULL, a): the comparison coerces, the result
   keeps a's type. */
static lm_status resolve_nullif(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *at = call->args[0]->type;
    lm_type *ct = lm_coerce_comparison(at, call->args[1]->type);
    if (ct == NULL) {
        const char *l = fn_type_q(rc, at), *r = fn_type_q(rc, call->args[1]->type);
        lm_coerce_mismatch(rc, call, err, "BINARY_OP_DIFF_TYPES",
                           "the left and right operands of the binary operator have incompatible "
                           "types (%s and %s).",
                           l, r);
        lm_error_param_add(err, "left", l);
        lm_error_param_add(err, "right", r);
        return LM_ERROR;
    }
    lm_arena_keep_type(rc->a, ct);
    /* keep the original first argument for the result; compare casts */
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 3);
    if (args == NULL)
        return fn_oom(err);
    args[0] = call->args[0];
    args[1] = lm_coerce_to(rc, call->args[1], ct);
    args[2] = lm_coerce_to(rc, call->args[0], ct);
    if (args[1] == NULL || args[2] == NULL)
        return fn_oom(err);
    call->args = args;
    call->nargs = 2; /* args[2] is the comparison form of args[0] */
    call->aux = args[2];
    call->type = at;
    call->nullable = true;
    return LM_OK;
}

static lm_status eval_nullif(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                             lm_value *out)
{
    lm_value a, ac, b;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &a);
    if (st != LM_OK)
        return st;
    if ((st = lm_eval_expr(ec, (const lm_expr *)call->aux, row, &ac)) != LM_OK ||
        (st = lm_eval_expr(ec, call->args[1], row, &b)) != LM_OK)
        return st;
    if (!ac.is_null && !b.is_null &&
        lm_value_compare(call->args[1]->type, &ac, &b) == 0)
        *out = lm_value_null();
    else
        *out = a;
    return LM_OK;
}

/* ------------------------------------------------------ greatest/least */

static lm_status resolve_greatest(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *t = NULL;
    if (widen_args(rc, call, 0, false, call->fn->name, &t, err) != LM_OK)
        return LM_ERROR;
    if (t->id == LM_TYPE_MAP) {
        lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                           "The `%s` does not support ordering on type %s.", call->fn->name,
                           fn_type_q(rc, t));
        return LM_ERROR;
    }
    bool nullable = true;
    for (int i = 0; i < call->nargs; i++)
        if (!call->args[i]->nullable)
            nullable = false;
    call->type = t;
    call->nullable = nullable;
    return LM_OK;
}

static lm_status eval_extreme(const lm_expr *call, const lm_value *args, lm_value *out, int sign)
{
    *out = lm_value_null();
    for (int i = 0; i < call->nargs; i++) {
        if (args[i].is_null)
            continue;
        if (out->is_null || sign * lm_value_compare(call->type, &args[i], out) > 0)
            *out = args[i];
    }
    return LM_OK;
}

static lm_status eval_greatest(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    return eval_extreme(call, args, out, 1);
}

static lm_status eval_least(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    return eval_extreme(call, args, out, -1);
}

/* ------------------------------------------------------------ typeof */

static lm_status resolve_typeof(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_string(), false, err);
}

static lm_status eval_typeof(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                             lm_value *out)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, call->args[0]->type);
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------ assert_true, raise_error */

/* Spark 3.5 raises a plain java.lang.RuntimeException carrying the
   message (no error class) for raise_error and assert_true. */
static lm_status user_error(lm_eval_ctx *ec, const char *msg, size_t n)
{
    lm_eval_error(ec, "java.lang.RuntimeException", NULL, NULL, "%.*s", (int)n, msg);
    return LM_ERROR;
}

static lm_status resolve_raise_error(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_STRING &&
        fn_expect(rc, call, 0, lm_type_string(), "\"STRING\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_null(), true, err);
}

static lm_status eval_raise_error(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                  lm_value *out)
{
    if (args[0].is_null)
        return user_error(ec, "null", 4);
    return user_error(ec, args[0].u.str.ptr, (size_t)args[0].u.str.len);
}

static lm_status resolve_assert_true(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_boolean(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 2 && call->args[1]->type->id != LM_TYPE_STRING &&
        fn_expect(rc, call, 1, lm_type_string(), "\"STRING\"", err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 1) {
        /* Spark adds the default message as a second argument, quoting the
           condition as the query wrote it; it shows in the column name */
        const lm_expr *c = call->args[0];
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_putc(&sb, '\'');
        /* a cast prints as Spark's Cast.toString, cast(child as type),
           however the query spelled it (boolean(1) included) */
        bool cast = c->kind == LM_EXPR_CAST && c->nargs == 1;
        if (cast) {
            lm_strbuf_puts(&sb, "cast(");
            c = c->args[0];
        }
        if (rc->sql && c->start >= 0 && c->stop >= c->start &&
            (size_t)c->stop < strlen(rc->sql))
            lm_strbuf_append(&sb, rc->sql + c->start, (size_t)(c->stop - c->start + 1));
        else
            lm_expr_sql(&sb, c);
        if (cast) {
            lm_strbuf_puts(&sb, " as ");
            lm_type_catalog_string(&sb, call->args[0]->type);
            lm_strbuf_putc(&sb, ')');
        }
        lm_strbuf_puts(&sb, "' is not true!");
        char *msg = lm_arena_strdup(rc->a, lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        lm_expr *lit = msg ? lm_arena_calloc(rc->a, 1, sizeof *lit) : NULL;
        lm_expr **args = lm_arena_alloc(rc->a, 2 * sizeof *args);
        if (lit == NULL || args == NULL)
            return fn_oom(err);
        lit->kind = LM_EXPR_LITERAL;
        lit->start = lit->stop = -1;
        lit->type = lm_type_string();
        lit->value = lm_value_str(msg, (int32_t)strlen(msg));
        lit->resolved = true;
        args[0] = call->args[0];
        args[1] = lit;
        call->args = args;
        call->nargs = 2;
    }
    return fn_set_result(rc, call, lm_type_null(), true, err);
}

static lm_status eval_assert_true(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                  lm_value *out)
{
    *out = lm_value_null();
    if (!args[0].is_null && args[0].u.b)
        return LM_OK;
    if (call->nargs == 2) {
        if (args[1].is_null)
            return user_error(ec, "null", 4);
        return user_error(ec, args[1].u.str.ptr, (size_t)args[1].u.str.len);
    }
    const char *m = call->aux;
    return user_error(ec, m, strlen(m));
}

/* ------------------------------------------------------ cast aliases */

/* int(x), string(x), date(x) ...: Spark's castAlias functions are casts
   the user wrote, so the call turns into a CAST node and prints as one. */
static lm_status resolve_cast_alias(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    static const struct {
        const char *name;
        lm_type *(*type)(void);
    } k[] = {{"boolean", lm_type_boolean}, {"tinyint", lm_type_byte}, {"smallint", lm_type_short},
             {"int", lm_type_int}, {"bigint", lm_type_long}, {"float", lm_type_float},
             {"double", lm_type_double}, {"string", lm_type_string}, {"binary", lm_type_binary},
             {"date", lm_type_date}, {"timestamp", lm_type_timestamp}};
    lm_type *to = NULL;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(k[i].name, call->fn->name) == 0)
            to = k[i].type();
    if (to == NULL) /* decimal(x) */
        to = lm_arena_keep_type(rc->a, lm_type_decimal(10, 0));
    if (to == NULL)
        return fn_oom(err);
    const lm_type *from = call->args[0]->type;
    if (!(rc->ansi ? lm_cast_can_ansi(from, to) : lm_cast_can(from, to))) {
        const char *f = fn_type_q(rc, from), *t = fn_type_q(rc, to);
        lm_coerce_mismatch(rc, call, err, "CAST_WITHOUT_SUGGESTION", "cannot cast %s to %s.", f, t);
        lm_error_param_add(err, "srcType", f);
        lm_error_param_add(err, "targetType", t);
        return LM_ERROR;
    }
    call->kind = LM_EXPR_CAST;
    call->fn = NULL;
    call->type = to;
    call->nullable = true;
    return LM_OK;
}

/* ------------------------------------------------------------ table */

/* equal_null(a, b): a <=> b under a function's name */
static lm_status resolve_equal_null(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *a = call->args[0]->type, *b = call->args[1]->type;
    if (!lm_type_same_ignoring_nullable(a, b)) {
        lm_type *t = lm_coerce_comparison(a, b);
        if (t == NULL) {
            char *l = lm_coerce_quote_type(rc, a), *r = lm_coerce_quote_type(rc, b);
            lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                               "Input to `equal_null` should all be the same type, but it's [%s, "
                               "%s].", l ? l : "", r ? r : "");
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, t);
        if (fn_cast_arg(rc, call, 0, t, err) != LM_OK || fn_cast_arg(rc, call, 1, t, err) != LM_OK)
            return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_boolean(), false, err);
}

static lm_status eval_equal_null(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    if (a[0].is_null || a[1].is_null)
        *out = lm_value_bool(a[0].is_null && a[1].is_null);
    else
        *out = lm_value_bool(lm_value_equal(call->args[0]->type, &a[0], &a[1]));
    return LM_OK;
}

static const lm_func_def k_defs[] = {
    {.name = "equal_null", .min_args = 2, .max_args = 2, .resolve = resolve_equal_null,
     .eval = eval_equal_null, .pretty = "equal_null"},
    {.name = "coalesce", .min_args = 1, .max_args = -1, .flags = LM_FN_LAZY,
     .resolve = resolve_coalesce, .eval_lazy = eval_coalesce, .pretty = "coalesce"},
    {.name = "nvl", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_coalesce, .eval_lazy = eval_coalesce, .pretty = "nvl"},
    {.name = "ifnull", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_coalesce, .eval_lazy = eval_coalesce, .pretty = "ifnull"},
    {.name = "nvl2", .min_args = 3, .max_args = 3, .flags = LM_FN_LAZY,
     .resolve = resolve_nvl2, .eval_lazy = eval_nvl2, .pretty = "nvl2"},
    {.name = "nullif", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_nullif, .eval_lazy = eval_nullif, .pretty = "nullif"},
    {.name = "if", .min_args = 3, .max_args = 3, .flags = LM_FN_LAZY, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_if, .eval_lazy = eval_if, .sql = sql_if},
    {.name = "iff", .min_args = 3, .max_args = 3, .flags = LM_FN_LAZY, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_if, .eval_lazy = eval_if, .sql = sql_if},
    {.name = "greatest", .min_args = 2, .max_args = -1, .resolve = resolve_greatest,
     .eval = eval_greatest, .pretty = "greatest"},
    {.name = "least", .min_args = 2, .max_args = -1, .resolve = resolve_greatest,
     .eval = eval_least, .pretty = "least"},
    {.name = "typeof", .min_args = 1, .max_args = 1, .resolve = resolve_typeof,
     .eval = eval_typeof, .pretty = "typeof"},
    {.name = "raise_error", .min_args = 1, .max_args = 1, .flags = LM_FN_NONDETERMINISTIC,
     .resolve = resolve_raise_error, .eval = eval_raise_error, .pretty = "raise_error"},
#define CAST_ALIAS(nm) {.name = nm, .min_args = 1, .max_args = 1, .resolve = resolve_cast_alias}
    CAST_ALIAS("boolean"), CAST_ALIAS("tinyint"), CAST_ALIAS("smallint"), CAST_ALIAS("int"),
    CAST_ALIAS("bigint"), CAST_ALIAS("float"), CAST_ALIAS("double"), CAST_ALIAS("decimal"),
    CAST_ALIAS("string"), CAST_ALIAS("binary"), CAST_ALIAS("date"), CAST_ALIAS("timestamp"),
    {.name = "assert_true", .min_args = 1, .max_args = 2, .flags = LM_FN_NONDETERMINISTIC,
     .resolve = resolve_assert_true, .eval = eval_assert_true, .pretty = "assert_true"},
};

const lm_func_table lm_funcs_conditional = {k_defs, sizeof k_defs / sizeof k_defs[0]};
