/*
 * Generators: explode, explode_outer, posexplode, posexplode_outer,
 * inline, inline_outer and stack, following the kernel contract of
 * families.h: `resolve` types the call as a STRUCT of the generated columns
 * with Spark's default names (col; key, value; pos; the struct's fields for
 * inline; col0, col1, ... for stack) and `eval` returns the generated rows
 * as an ARRAY of such structs. The executor (exec/op_generate.c) joins
 * them to the input row; the _outer variants yield one all-NULL row when
 * there is nothing to generate, as Spark's GeneratorOuter does.
 */
#include <stdio.h>
#include <string.h>

#include "functions/coll_util.h"
#include "functions/families.h"

static bool is_outer(const lm_expr *call)
{
    const char *n = call->fn->name;
    size_t len = strlen(n);
    return len > 6 && strcmp(n + len - 6, "_outer") == 0;
}

/* The generated rows: n structs of width w over the values in f. */
static lm_status out_rows(lm_eval_ctx *ec, lm_value *out, lm_value *f, int32_t n, int w)
{
    lm_value *rows = fn_values(ec, (size_t)n);
    if (rows == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++)
        if (cu_out_struct(ec, &rows[i], f + (size_t)i * (size_t)w, w) != LM_OK)
            return LM_ENOMEM;
    return fn_out_array(ec, out, rows, n);
}

/* One all-NULL row of width w (the _outer variants on empty input). */
static lm_status null_row(lm_eval_ctx *ec, lm_value *out, int w)
{
    lm_value *f = fn_values(ec, (size_t)(w ? w : 1));
    if (f == NULL)
        return LM_ENOMEM;
    for (int i = 0; i < w; i++)
        f[i] = lm_value_null();
    return out_rows(ec, out, f, 1, w);
}

/* ------------------------------------------------- explode, posexplode */

static lm_status resolve_explode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (cu_need_array(rc, call, 0, err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    } else if (t->id != LM_TYPE_ARRAY && t->id != LM_TYPE_MAP) {
        return lm_coerce_unexpected_input(rc, call, 0, "(\"ARRAY\" or \"MAP\")", err);
    }
    bool pos = call->fn->name[0] == 'p';
    bool outer = is_outer(call);
    lm_field fs[3];
    int n = 0;
    if (pos)
        fs[n++] = (lm_field){"pos", lm_type_int(), outer, NULL, NULL};
    if (t->id == LM_TYPE_ARRAY) {
        fs[n++] = (lm_field){"col", t->elem, outer || t->contains_null, NULL, NULL};
    } else {
        fs[n++] = (lm_field){"key", t->key, outer, NULL, NULL};
        fs[n++] = (lm_field){"value", t->value, outer || t->value_contains_null, NULL, NULL};
    }
    return fn_set_result(rc, call, lm_type_struct(fs, n), false, err);
}

static lm_status eval_explode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                              lm_value *out)
{
    int w = call->type->nfields;
    bool pos = call->fn->name[0] == 'p';
    int32_t n = 0;
    if (!args[0].is_null)
        n = call->args[0]->type->id == LM_TYPE_MAP ? args[0].u.map->n : args[0].u.arr->n;
    if (n == 0)
        return is_outer(call) ? null_row(ec, out, w) : cu_out_empty_array(ec, out);
    lm_value *f = fn_values(ec, (size_t)n * (size_t)w);
    if (f == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        lm_value *r = f + (size_t)i * (size_t)w;
        int k = 0;
        if (pos)
            r[k++] = lm_value_i64(i);
        if (call->args[0]->type->id == LM_TYPE_MAP) {
            r[k++] = args[0].u.map->keys[i];
            r[k++] = args[0].u.map->values[i];
        } else {
            r[k++] = args[0].u.arr->elems[i];
        }
    }
    return out_rows(ec, out, f, n, w);
}

/* -------------------------------------------------------------- inline */

static lm_status resolve_inline(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_STRUCT)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY<STRUCT>\"", err);
    const lm_type *st = t->elem;
    bool all_nullable = t->contains_null || is_outer(call);
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(st->nfields ? st->nfields : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < st->nfields; i++) {
        fs[i] = st->fields[i];
        fs[i].nullable = st->fields[i].nullable || all_nullable;
    }
    return fn_set_result(rc, call, lm_type_struct(fs, st->nfields), false, err);
}

static lm_status eval_inline(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                             lm_value *out)
{
    int w = call->type->nfields;
    int32_t n = args[0].is_null ? 0 : args[0].u.arr->n;
    if (n == 0)
        return is_outer(call) ? null_row(ec, out, w) : cu_out_empty_array(ec, out);
    lm_value *rows = fn_values(ec, (size_t)n);
    if (rows == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        const lm_value *e = &args[0].u.arr->elems[i];
        if (e->is_null) {
            /* a NULL struct generates a row of NULLs */
            lm_value *f = fn_values(ec, (size_t)(w ? w : 1));
            if (f == NULL)
                return LM_ENOMEM;
            for (int k = 0; k < w; k++)
                f[k] = lm_value_null();
            if (cu_out_struct(ec, &rows[i], f, w) != LM_OK)
                return LM_ENOMEM;
        } else {
            rows[i] = *e;
        }
    }
    return fn_out_array(ec, out, rows, n);
}

/* --------------------------------------------------------------- stack */

static lm_status resolve_stack(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_value nv;
    const lm_expr *n0 = call->args[0];
    if (n0->type->id != LM_TYPE_INT)
        return lm_coerce_unexpected_input(rc, call, 0, "\"INT\"", err);
    if (!fn_const_value(rc, n0, &nv)) {
        const char *q = lm_coerce_quote_sql(rc, n0);
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input n should be a foldable \"INT\" expression; however, got %s.",
                           q);
        lm_error_param_add(err, "inputName", "`n`");
        lm_error_param_add(err, "inputType", "\"INT\"");
        lm_error_param_add(err, "inputExpr", q);
        return LM_ERROR;
    }
    int64_t rows = nv.is_null ? 0 : nv.u.i64;
    int nvals = call->nargs - 1;
    int w = rows > 0 ? (int)((nvals + rows - 1) / rows) : 0;
    if (rows <= 0) {
        lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                           "The `n` must be between [1, %d], but got %lld.", nvals > 0 ? nvals : 1,
                           (long long)rows);
        return LM_ERROR;
    }
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(w ? w : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int j = 0; j < w; j++) {
        fs[j].name = lm_arena_printf(rc->a, "col%d", j);
        fs[j].type = lm_type_null();
        fs[j].nullable = true;
        if (fs[j].name == NULL)
            return fn_oom(err);
        /* the column's type is its first non-NULL-typed value's */
        for (int i = 1 + j; i < call->nargs; i += w)
            if (call->args[i]->type->id != LM_TYPE_NULL) {
                fs[j].type = call->args[i]->type;
                break;
            }
        for (int i = 1 + j; i < call->nargs; i += w) {
            const lm_type *vt = call->args[i]->type;
            if (vt->id == LM_TYPE_NULL) {
                if (fn_cast_arg(rc, call, i, fs[j].type, err) != LM_OK)
                    return LM_ERROR;
            } else if (!lm_type_equal(vt, fs[j].type)) {
                char ci[16], li[16], ri[16];
                snprintf(ci, sizeof ci, "%d", j);
                snprintf(li, sizeof li, "%d", j + 1);
                snprintf(ri, sizeof ri, "%d", i);
                const char *lt = fn_type_q(rc, fs[j].type), *rt = fn_type_q(rc, vt);
                lm_coerce_mismatch(rc, call, err, "STACK_COLUMN_DIFF_TYPES",
                                   "The data type of the column (%s) do not have the same type: "
                                   "%s (%s) <> %s (%s).",
                                   ci, lt, li, rt, ri);
                lm_error_param_add(err, "columnIndex", ci);
                lm_error_param_add(err, "leftParamIndex", li);
                lm_error_param_add(err, "leftType", lt);
                lm_error_param_add(err, "rightParamIndex", ri);
                lm_error_param_add(err, "rightType", rt);
                return LM_ERROR;
            }
        }
    }
    call->aux = (void *)(intptr_t)rows;
    return fn_set_result(rc, call, lm_type_struct(fs, w), false, err);
}

static lm_status eval_stack(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    int32_t rows = (int32_t)(intptr_t)call->aux;
    int w = call->type->nfields;
    lm_value *f = fn_values(ec, (size_t)rows * (size_t)(w ? w : 1));
    if (f == NULL)
        return LM_ENOMEM;
    for (int32_t r = 0; r < rows; r++)
        for (int j = 0; j < w; j++) {
            int i = 1 + r * w + j;
            f[(size_t)r * (size_t)w + (size_t)j] = i < call->nargs ? args[i] : lm_value_null();
        }
    return out_rows(ec, out, f, rows, w);
}

/* ------------------------------------------------------------ table */

static const lm_func_def k_defs[] = {
    {.name = "explode", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_explode, .eval = eval_explode},
    {.name = "explode_outer", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_explode, .eval = eval_explode},
    {.name = "posexplode", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_explode, .eval = eval_explode},
    {.name = "posexplode_outer", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_explode, .eval = eval_explode},
    {.name = "inline", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_inline, .eval = eval_inline},
    {.name = "inline_outer", .kind = LM_FN_GENERATOR, .min_args = 1, .max_args = 1,
     .resolve = resolve_inline, .eval = eval_inline},
    {.name = "stack", .kind = LM_FN_GENERATOR, .min_args = 2, .max_args = -1,
     .resolve = resolve_stack, .eval = eval_stack},
};

const lm_func_table lm_funcs_generator = {k_defs, sizeof k_defs / sizeof k_defs[0]};
