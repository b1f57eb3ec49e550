/*
 * The window family: ranking functions (row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile) and offset functions (lag, lead,
 * nth_value). Each is an LM_FN_WINDOW entry whose `resolve` types the call
 * and checks its constant arguments; lm_window_eval computes a whole
 * partition at once from the peer groups and frames the executor found
 * (families.h). The frame each function requires (ROWS UNBOUNDED
 * PRECEDING AND CURRENT ROW for ranking, a one-row offset frame for
 * lag/lead) is filled in by the analyzer (analysis/resolve_window.c).
 *
 * Aggregates used as window functions (sum(x) OVER ...) and
 * first_value/last_value/any_value are aggregate entries (aggregate.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"

/* ------------------------------------------------------------ resolve */

/* A window function used without OVER. */
static lm_status without_over(lm_expr *call, lm_error *err)
{
    char name[80];
    snprintf(name, sizeof name, "`%s`", call->fn->name);
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE", "42601",
                 "[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function %s requires an OVER "
                 "clause.",
                 name);
    lm_error_param_add(err, "funcName", name);
    lm_error_set_context(err, call->start, call->stop);
    return LM_ERROR;
}

/* row_number, rank, ...: no arguments of their own (Spark's RankLike takes
   the ORDER BY keys as hidden children; an argument written here is
   replaced by them, so it is dropped). */
static lm_status resolve_ranking(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->window == NULL)
        return without_over(call, err);
    call->nargs = 0;
    const char *n = call->fn->name;
    bool dbl = strcmp(n, "percent_rank") == 0 || strcmp(n, "cume_dist") == 0;
    return fn_set_result(rc, call, dbl ? lm_type_double() : lm_type_int(), false, err);
}

/* RankLike prints its name in upper case: RANK(), DENSE_RANK(), PERCENT_RANK(). */
static void sql_rank_like(lm_strbuf *sb, const lm_expr *call)
{
    for (const char *p = call->fn->name; *p; p++)
        lm_strbuf_putc(sb, (char)toupper((unsigned char)*p));
    lm_strbuf_puts(sb, "()");
}

/* NON_FOLDABLE_INPUT for an argument that must be a constant. */
static lm_status non_foldable(lm_resolve_ctx *rc, lm_expr *call, int i, const char *name,
                              lm_error *err)
{
    const char *tq = fn_type_q(rc, call->args[i]->type);
    char *ex = lm_coerce_quote_sql(rc, call->args[i]);
    lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                       "the input %s should be a foldable %s expression; however, got %s.", name,
                       tq, ex ? ex : "");
    lm_error_param_add(err, "inputName", name);
    lm_error_param_add(err, "inputType", tq);
    lm_error_param_add(err, "inputExpr", ex);
    return LM_ERROR;
}

static lm_status value_out_of_range(lm_resolve_ctx *rc, lm_expr *call, const char *name,
                                    const char *range, int64_t v, lm_error *err)
{
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", (long long)v);
    lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                       "The %s must be between %s (current value = %s).", name, range, cur);
    lm_error_param_add(err, "exprName", name);
    lm_error_param_add(err, "valueRange", range);
    lm_error_param_add(err, "currentValue", cur);
    return LM_ERROR;
}

/* ntile(n): n a constant INT above zero (default 1). */
static lm_status resolve_ntile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->window == NULL)
        return without_over(call, err);
    if (call->nargs == 0) {
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
        lm_expr *one = lm_arena_calloc(rc->a, 1, sizeof *one);
        if (args == NULL || one == NULL)
            return fn_oom(err);
        one->kind = LM_EXPR_LITERAL;
        one->start = one->stop = -1;
        one->type = lm_type_int();
        one->value = lm_value_i64(1);
        one->resolved = true;
        args[0] = one;
        call->args = args;
        call->nargs = 1;
    }
    lm_value v;
    if (!fn_const_value(rc, call->args[0], &v))
        return non_foldable(rc, call, 0, "buckets", err);
    if (call->args[0]->type->id != LM_TYPE_INT)
        return lm_coerce_unexpected_input(rc, call, 0, "\"INT\"", err);
    if (v.is_null || v.u.i64 <= 0)
        return value_out_of_range(rc, call, "buckets", "(0, 2147483647]", v.is_null ? 0 : v.u.i64,
                                  err);
    return fn_set_result(rc, call, lm_type_int(), false, err);
}

static lm_expr *null_literal(lm_resolve_ctx *rc)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = lm_type_null();
    e->value = lm_value_null();
    e->nullable = true;
    e->resolved = true;
    return e;
}

/*
 * lag/lead(input[, offset[, default]]): the offset a constant INT
 * (default 1), the default NULL or castable to the input's type. The
 * call is normalised to three arguments, as Spark prints it:
 * lag(v, 1, NULL).
 */
static lm_status resolve_lag_lead(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->window == NULL)
        return without_over(call, err);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 3);
    if (args == NULL)
        return fn_oom(err);
    for (int i = 0; i < call->nargs; i++)
        args[i] = call->args[i];
    if (call->nargs < 2) {
        lm_expr *one = null_literal(rc);
        if (one == NULL)
            return fn_oom(err);
        one->type = lm_type_int();
        one->value = lm_value_i64(1);
        one->nullable = false;
        args[1] = one;
    }
    if (call->nargs < 3 && (args[2] = null_literal(rc)) == NULL)
        return fn_oom(err);
    call->args = args;
    call->nargs = 3;
    if (call->args[1]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    const lm_type *it = call->args[0]->type;
    if (call->args[2]->type->id != LM_TYPE_NULL &&
        !lm_type_same_ignoring_nullable(call->args[2]->type, it)) {
        if (!fn_implicit_ok(call->args[2]->type, it)) {
            char req[256];
            snprintf(req, sizeof req, "(%s or \"VOID\")", fn_type_q(rc, it));
            return lm_coerce_unexpected_input(rc, call, 2, req, err);
        }
        if (fn_cast_arg(rc, call, 2, it, err) != LM_OK)
            return LM_ERROR;
    }
    if (!fn_const_value(rc, call->args[1], NULL))
        return non_foldable(rc, call, 1, "offset", err);
    bool nullable = call->args[0]->nullable || call->args[2]->nullable;
    return fn_set_result(rc, call, fn_tref(it), nullable, err);
}

/* lag(v, 1, NULL): the ignore-nulls choice is not part of the name. */
static void sql_lag_lead(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_printf(sb, "%s(", call->fn->name);
    for (int i = 0; i < call->nargs; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        lm_expr_pretty(sb, call->args[i]);
    }
    lm_strbuf_putc(sb, ')');
}

/* nth_value(input, offset): offset a constant INT above zero. */
static lm_status resolve_nth_value(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->window == NULL)
        return without_over(call, err);
    if (call->args[1]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    lm_value v;
    if (!fn_const_value(rc, call->args[1], &v))
        return non_foldable(rc, call, 1, "offset", err);
    if (v.is_null || v.u.i64 <= 0)
        return value_out_of_range(rc, call, "offset", "(0, 9223372036854775807]",
                                  v.is_null ? 0 : v.u.i64, err);
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

/* NthValue.sql: nth_value(v, 2) ignore nulls */
static void sql_nth_value(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_puts(sb, "nth_value(");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, ", ");
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_putc(sb, ')');
    if (call->flags & LM_CALL_IGNORE_NULLS)
        lm_strbuf_puts(sb, " ignore nulls");
}

/* ------------------------------------------------------------ kernels */

lm_window_rank lm_window_rank_of(const lm_expr *call)
{
    static const struct {
        const char *name;
        lm_window_rank kind;
    } k_ranks[] = {
        {"row_number", LM_WINDOW_ROW_NUMBER},     {"rank", LM_WINDOW_RANK},
        {"dense_rank", LM_WINDOW_DENSE_RANK},     {"percent_rank", LM_WINDOW_PERCENT_RANK},
        {"cume_dist", LM_WINDOW_CUME_DIST},       {"ntile", LM_WINDOW_NTILE},
    };
    if (call->kind != LM_EXPR_CALL || call->fn == NULL || call->fn->kind != LM_FN_WINDOW)
        return LM_WINDOW_RANK_NONE;
    for (size_t i = 0; i < sizeof k_ranks / sizeof k_ranks[0]; i++)
        if (strcmp(call->fn->name, k_ranks[i].name) == 0)
            return k_ranks[i].kind;
    return LM_WINDOW_RANK_NONE;
}

bool lm_window_rank_is_double(lm_window_rank kind)
{
    return kind == LM_WINDOW_PERCENT_RANK || kind == LM_WINDOW_CUME_DIST;
}

/* Spark's NTile: buckets of n / k rows, the first n % k of them one row
   larger. */
static void ntile_fill(int64_t k, int64_t n, int32_t *out)
{
    int64_t size = n / k, padding = n % k;
    int64_t bucket = 0, threshold = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i >= threshold) {
            threshold += size + (bucket < padding ? 1 : 0);
            bucket++;
        }
        out[i] = (int32_t)bucket;
    }
}

void lm_window_rank_fill(lm_window_rank kind, int64_t buckets, int64_t n,
                         const int64_t *peer_start, const int64_t *peer_end, int32_t *ints,
                         double *dbls)
{
    int64_t dense = 0;
    switch (kind) {
    case LM_WINDOW_ROW_NUMBER:
        for (int64_t i = 0; i < n; i++)
            ints[i] = (int32_t)(i + 1);
        break;
    case LM_WINDOW_RANK:
        for (int64_t i = 0; i < n; i++)
            ints[i] = (int32_t)(peer_start[i] + 1);
        break;
    case LM_WINDOW_DENSE_RANK:
        for (int64_t i = 0; i < n; i++) {
            if (i == peer_start[i])
                dense++;
            ints[i] = (int32_t)dense;
        }
        break;
    case LM_WINDOW_PERCENT_RANK:
        for (int64_t i = 0; i < n; i++)
            dbls[i] = n > 1 ? (double)peer_start[i] / (double)(n - 1) : 0.0;
        break;
    case LM_WINDOW_CUME_DIST: /* rows up to the last peer over the partition size */
        for (int64_t i = 0; i < n; i++)
            dbls[i] = (double)peer_end[i] / (double)n;
        break;
    case LM_WINDOW_NTILE:
        ntile_fill(buckets > 0 ? buckets : 1, n, ints);
        break;
    default:
        break;
    }
}

/* The ranking functions through lm_window_rank_fill, as values. */
static lm_status rank_kernel(lm_eval_ctx *ec, const lm_window_input *in, lm_value *out,
                             lm_window_rank kind)
{
    if (in->n == 0)
        return LM_OK;
    bool dbl = lm_window_rank_is_double(kind);
    int32_t *ints = dbl ? NULL : lm_arena_alloc(ec->arena, sizeof *ints * (size_t)in->n);
    double *dbls = dbl ? lm_arena_alloc(ec->arena, sizeof *dbls * (size_t)in->n) : NULL;
    if (ints == NULL && dbls == NULL)
        return lm_error_oom(ec->err);
    int64_t buckets = 1;
    if (kind == LM_WINDOW_NTILE && !in->args[0].is_null)
        buckets = in->args[0].u.i64;
    lm_window_rank_fill(kind, buckets, in->n, in->peer_start, in->peer_end, ints, dbls);
    for (int64_t i = 0; i < in->n; i++)
        out[i] = dbl ? lm_value_f64(dbls[i]) : lm_value_i64(ints[i]);
    return LM_OK;
}

/*
 * lead (dir 1) / lag (dir -1): the input `offset` rows away, the default
 * (evaluated on the current row) when that row is outside the partition.
 * With IGNORE NULLS the offset counts non-NULL inputs only, and offset 0
 * is the current row's input.
 */
static void offset_kernel(const lm_expr *call, const lm_window_input *in, lm_value *out, int dir)
{
    int na = in->nargs;
    bool ignore = (call->flags & LM_CALL_IGNORE_NULLS) != 0;
    for (int64_t i = 0; i < in->n; i++) {
        const lm_value *row = &in->args[i * na];
        int64_t off = row[1].is_null ? 0 : row[1].u.i64 * dir;
        if (!ignore || off == 0) {
            int64_t j = i + off;
            out[i] = (j >= 0 && j < in->n) ? in->args[j * na] : row[2];
            continue;
        }
        int64_t step = off > 0 ? 1 : -1, need = off > 0 ? off : -off;
        int64_t j = i;
        out[i] = row[2];
        while (need > 0) {
            j += step;
            if (j < 0 || j >= in->n)
                break;
            if (!in->args[j * na].is_null && --need == 0)
                out[i] = in->args[j * na];
        }
    }
}

/* nth_value over each row's frame (default: partition start to the last
   peer of the current row). */
static void nth_value_kernel(const lm_expr *call, const lm_window_input *in, lm_value *out)
{
    int na = in->nargs;
    bool ignore = (call->flags & LM_CALL_IGNORE_NULLS) != 0;
    for (int64_t i = 0; i < in->n; i++) {
        int64_t fs = in->frame_start ? in->frame_start[i] : 0;
        int64_t fe = in->frame_end ? in->frame_end[i] : in->peer_end[i];
        int64_t nth = in->args[i * na + 1].u.i64, count = 0;
        out[i] = lm_value_null();
        for (int64_t j = fs; j < fe; j++) {
            const lm_value *v = &in->args[j * na];
            if (ignore && v->is_null)
                continue;
            if (++count == nth) {
                out[i] = *v;
                break;
            }
        }
    }
}

lm_status lm_window_eval(lm_eval_ctx *ec, const lm_expr *call, const lm_window_input *in,
                         lm_value *out)
{
    lm_window_rank kind = lm_window_rank_of(call);
    if (kind != LM_WINDOW_RANK_NONE)
        return rank_kernel(ec, in, out, kind);
    const char *n = call->fn->name;
    if (strcmp(n, "lead") == 0)
        offset_kernel(call, in, out, 1);
    else if (strcmp(n, "lag") == 0)
        offset_kernel(call, in, out, -1);
    else if (strcmp(n, "nth_value") == 0)
        nth_value_kernel(call, in, out);
    else
        return lm_eval_error(ec, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                             "[INTERNAL_ERROR] %s is not a window function kernel", n);
    return LM_OK;
}

/* ------------------------------------------------------------- table */

/* One registry entry per function, kept compact. */
/* clang-format off */
#define WIN .kind = LM_FN_WINDOW

static const lm_func_def k_defs[] = {
    {.name = "row_number", WIN, .min_args = 0, .max_args = 0, .pretty = "row_number",
     .resolve = resolve_ranking},
    {.name = "rank", WIN, .min_args = 0, .max_args = -1, .style = LM_STYLE_CUSTOM,
     .sql = sql_rank_like, .resolve = resolve_ranking},
    {.name = "dense_rank", WIN, .min_args = 0, .max_args = -1, .style = LM_STYLE_CUSTOM,
     .sql = sql_rank_like, .resolve = resolve_ranking},
    {.name = "percent_rank", WIN, .min_args = 0, .max_args = -1, .style = LM_STYLE_CUSTOM,
     .sql = sql_rank_like, .resolve = resolve_ranking},
    {.name = "cume_dist", WIN, .min_args = 0, .max_args = 0, .pretty = "cume_dist",
     .resolve = resolve_ranking},
    {.name = "ntile", WIN, .min_args = 0, .max_args = 1, .pretty = "ntile",
     .resolve = resolve_ntile},
    {.name = "lag", WIN, .min_args = 1, .max_args = 3, .style = LM_STYLE_CUSTOM,
     .sql = sql_lag_lead, .resolve = resolve_lag_lead},
    {.name = "lead", WIN, .min_args = 1, .max_args = 3, .style = LM_STYLE_CUSTOM,
     .sql = sql_lag_lead, .resolve = resolve_lag_lead},
    {.name = "nth_value", WIN, .min_args = 2, .max_args = 2, .style = LM_STYLE_CUSTOM,
     .sql = sql_nth_value, .resolve = resolve_nth_value},
};

/* clang-format on */

const lm_func_table lm_funcs_window = {k_defs, sizeof k_defs / sizeof k_defs[0]};
