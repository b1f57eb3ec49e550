/*
 * Window functions: ranking (row_number, rank, dense_rank, percent_rank,
 * cume_dist, ntile) and offset (lag, lead, nth_value) functions. They are
 * LM_FN_WINDOW entries: resolve types them; lm_window_eval (families.h)
 * computes one whole partition, because every result depends on the row's
 * position among its peers rather than on the row alone.
 */
#include <stdio.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"

static lm_status resolve_rank(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *n = call->fn->name;
    bool dbl = strcmp(n, "percent_rank") == 0 || strcmp(n, "cume_dist") == 0;
    return fn_set_result(rc, call, dbl ? lm_type_double() : lm_type_int(), false, err);
}

static lm_status resolve_ntile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 0, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    lm_value v;
    if (!fn_const_value(rc, call->args[0], &v)) {
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input buckets should be a foldable \"INT\" expression.");
        return LM_ERROR;
    }
    if (v.is_null || v.u.i64 <= 0) {
        lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                           "The `buckets` must be between 1 and 2147483647.");
        return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_int(), false, err);
}

/* lag(x[, offset[, default]]): Spark fills in offset 1 and default NULL
   and prints them (lag(x, 1, NULL)). */
static lm_status resolve_offset(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs < 3) {
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 3);
        if (args == NULL)
            return fn_oom(err);
        for (int i = 0; i < call->nargs; i++)
            args[i] = call->args[i];
        for (int i = call->nargs; i < 3; i++) {
            lm_expr *l = lm_arena_calloc(rc->a, 1, sizeof *l);
            if (l == NULL)
                return fn_oom(err);
            l->kind = LM_EXPR_LITERAL;
            l->start = l->stop = -1;
            l->resolved = true;
            if (i == 1) {
                l->type = lm_type_int();
                l->value = lm_value_i64(1);
            } else {
                l->type = lm_type_null();
                l->value = lm_value_null();
                l->nullable = true;
            }
            args[i] = l;
        }
        call->args = args;
        call->nargs = 3;
    }
    if (call->args[1]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    if (!fn_is_literal(call->args[1])) {
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input offset should be a foldable \"INT\" expression.");
        return LM_ERROR;
    }
    if (fn_cast_arg(rc, call, 2, call->args[0]->type, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status resolve_nth_value(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[1]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    lm_value v;
    if (!fn_const_value(rc, call->args[1], &v) || v.is_null || v.u.i64 <= 0) {
        lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                           "The `offset` must be between 1 and 2147483647.");
        return LM_ERROR;
    }
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static bool ignore_nulls(const lm_expr *call)
{
    return (call->flags & LM_CALL_IGNORE_NULLS) != 0;
}

lm_status lm_window_eval(lm_eval_ctx *ec, const lm_expr *call, const lm_window_input *in,
                         lm_value *out)
{
    const char *name = call->fn->name;
    int64_t n = in->n;
    int na = in->nargs;
    if (strcmp(name, "row_number") == 0) {
        for (int64_t i = 0; i < n; i++)
            out[i] = lm_value_i64(i + 1);
    } else if (strcmp(name, "rank") == 0) {
        for (int64_t i = 0; i < n; i++)
            out[i] = lm_value_i64(in->peer_start[i] + 1);
    } else if (strcmp(name, "dense_rank") == 0) {
        int64_t r = 0;
        for (int64_t i = 0; i < n; i++) {
            if (i == 0 || in->peer_start[i] == i)
                r++;
            out[i] = lm_value_i64(r);
        }
    } else if (strcmp(name, "percent_rank") == 0) {
        for (int64_t i = 0; i < n; i++)
            out[i] = lm_value_f64(n <= 1 ? 0.0 : (double)in->peer_start[i] / (double)(n - 1));
    } else if (strcmp(name, "cume_dist") == 0) {
        for (int64_t i = 0; i < n; i++)
            out[i] = lm_value_f64((double)in->peer_end[i] / (double)n);
    } else if (strcmp(name, "ntile") == 0) {
        int64_t k = n > 0 && !in->args[0].is_null ? in->args[0].u.i64 : 1;
        if (k <= 0)
            k = 1;
        int64_t size = n / k, rem = n % k;
        for (int64_t i = 0; i < n; i++) {
            int64_t b;
            if (i < rem * (size + 1))
                b = i / (size + 1) + 1;
            else
                b = rem + (size ? (i - rem * (size + 1)) / size : 0) + 1;
            out[i] = lm_value_i64(b);
        }
    } else if (strcmp(name, "lag") == 0 || strcmp(name, "lead") == 0) {
        int sign = name[1] == 'a' ? -1 : 1;
        for (int64_t i = 0; i < n; i++) {
            const lm_value *row = &in->args[i * na];
            int64_t off = row[1].is_null ? 1 : row[1].u.i64;
            lm_value dflt = row[2];
            if (!ignore_nulls(call)) {
                int64_t j = i + sign * off;
                out[i] = (j >= 0 && j < n) ? in->args[j * na] : dflt;
                continue;
            }
            /* IGNORE NULLS: the off-th non-null value in that direction */
            int64_t seen = 0, j = i;
            out[i] = dflt;
            if (off == 0) {
                out[i] = row[0];
                continue;
            }
            int64_t step = sign * (off > 0 ? 1 : -1), want = off > 0 ? off : -off;
            for (j = i + step; j >= 0 && j < n; j += step)
                if (!in->args[j * na].is_null && ++seen == want) {
                    out[i] = in->args[j * na];
                    break;
                }
        }
    } else if (strcmp(name, "nth_value") == 0) {
        for (int64_t i = 0; i < n; i++) {
            int64_t fs = in->frame_start ? in->frame_start[i] : 0;
            int64_t fe = in->frame_end ? in->frame_end[i] : in->peer_end[i];
            int64_t k = in->args[i * na + 1].u.i64;
            out[i] = lm_value_null();
            int64_t seen = 0;
            for (int64_t j = fs; j < fe; j++) {
                const lm_value *v = &in->args[j * na];
                if (ignore_nulls(call) && v->is_null)
                    continue;
                if (++seen == k) {
                    out[i] = *v;
                    break;
                }
            }
        }
    } else {
        return lm_eval_error(ec, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                             "%s is not a window function", name);
    }
    return LM_OK;
}

static const lm_func_def k_defs[] = {
    {.name = "row_number", .kind = LM_FN_WINDOW, .min_args = 0, .max_args = 0,
     .resolve = resolve_rank, .pretty = "row_number"},
    {.name = "rank", .kind = LM_FN_WINDOW, .min_args = 0, .max_args = 0,
     .resolve = resolve_rank, .pretty = "RANK"}, /* Spark prints RANK() */
    {.name = "dense_rank", .kind = LM_FN_WINDOW, .min_args = 0, .max_args = 0,
     .resolve = resolve_rank, .pretty = "DENSE_RANK"}, /* Spark prints RANK() */
    {.name = "percent_rank", .kind = LM_FN_WINDOW, .min_args = 0, .max_args = 0,
     .resolve = resolve_rank, .pretty = "PERCENT_RANK"}, /* Spark prints RANK() */
    {.name = "cume_dist", .kind = LM_FN_WINDOW, .min_args = 0, .max_args = 0,
     .resolve = resolve_rank, .pretty = "cume_dist"},
    {.name = "ntile", .kind = LM_FN_WINDOW, .min_args = 1, .max_args = 1,
     .resolve = resolve_ntile, .pretty = "ntile"},
    {.name = "lag", .kind = LM_FN_WINDOW, .min_args = 1, .max_args = 3,
     .resolve = resolve_offset, .pretty = "lag"},
    {.name = "lead", .kind = LM_FN_WINDOW, .min_args = 1, .max_args = 3,
     .resolve = resolve_offset, .pretty = "lead"},
    {.name = "nth_value", .kind = LM_FN_WINDOW, .min_args = 2, .max_args = 2,
     .resolve = resolve_nth_value, .pretty = "nth_value"},
};

const lm_func_table lm_funcs_window = {k_defs, sizeof k_defs / sizeof k_defs[0]};
