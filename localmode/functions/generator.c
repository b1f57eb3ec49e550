/*
 * Generators: explode, posexplode, inline and stack, with their _outer
 * forms. resolve gives the generated columns as a STRUCT type (Spark's
 * default names col / pos / key / value / col0 ...); eval returns the
 * generated rows as an ARRAY of such structs (see families.h).
 */
#include <stdio.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"

static bool is_outer(const lm_expr *call)
{
    size_t n = strlen(call->fn->name);
    return n > 6 && strcmp(call->fn->name + n - 6, "_outer") == 0;
}

static bool is_pos(const lm_expr *call)
{
    return strncmp(call->fn->name, "posexplode", 10) == 0;
}

static lm_status resolve_explode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    lm_field fs[3];
    int n = 0;
    if (is_pos(call))
        fs[n++] = (lm_field){"pos", lm_type_int(), false, NULL};
    if (t->id == LM_TYPE_ARRAY) {
        fs[n++] = (lm_field){"col", t->elem, t->contains_null || is_outer(call), NULL};
    } else if (t->id == LM_TYPE_MAP) {
        fs[n++] = (lm_field){"key", t->key, is_outer(call), NULL};
        fs[n++] = (lm_field){"value", t->value, t->value_contains_null || is_outer(call), NULL};
    } else {
        return lm_coerce_unexpected_input(rc, call, 0, "(\"ARRAY\" or \"MAP\")", err);
    }
    if (is_outer(call) && is_pos(call))
        fs[0].nullable = true;
    return fn_set_result(rc, call, lm_type_struct(fs, n), false, err);
}

static lm_status out_row(lm_eval_ctx *ec, lm_value *dst, const lm_value *vals, int n)
{
    lm_struct_value *s = fn_alloc(ec, sizeof *s);
    lm_value *f = fn_values(ec, (size_t)n);
    if (s == NULL || f == NULL)
        return LM_ENOMEM;
    memcpy(f, vals, sizeof *f * (size_t)n);
    s->n = n;
    s->fields = f;
    *dst = lm_value_null();
    dst->is_null = false;
    dst->u.st = s;
    return LM_OK;
}

/* One all-NULL row, which the _outer forms give for no input. */
static lm_status null_row(lm_eval_ctx *ec, const lm_expr *call, lm_value *out)
{
    int n = call->type->nfields;
    lm_value vals[64];
    for (int i = 0; i < n && i < 64; i++)
        vals[i] = lm_value_null();
    lm_value *rows = fn_values(ec, 1);
    if (rows == NULL)
        return LM_ENOMEM;
    lm_status st = out_row(ec, &rows[0], vals, n);
    if (st != LM_OK)
        return st;
    return fn_out_array(ec, out, rows, 1);
}

static lm_status eval_explode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const lm_type *t = call->args[0]->type;
    int32_t n = a[0].is_null ? 0 : (t->id == LM_TYPE_ARRAY ? a[0].u.arr->n : a[0].u.map->n);
    if (n == 0)
        return is_outer(call) ? null_row(ec, call, out) : fn_out_array(ec, out, fn_values(ec, 0), 0);
    lm_value *rows = fn_values(ec, (size_t)n);
    if (rows == NULL)
        return LM_ENOMEM;
    bool pos = is_pos(call);
    for (int32_t i = 0; i < n; i++) {
        lm_value vals[3];
        int k = 0;
        if (pos)
            vals[k++] = lm_value_i64(i);
        if (t->id == LM_TYPE_ARRAY)
            vals[k++] = a[0].u.arr->elems[i];
        else {
            vals[k++] = a[0].u.map->keys[i];
            vals[k++] = a[0].u.map->values[i];
        }
        lm_status st = out_row(ec, &rows[i], vals, k);
        if (st != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, rows, n);
}

static lm_status resolve_inline(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_STRUCT)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY<STRUCT>\"", err);
    lm_type *st = fn_tref(t->elem);
    if (is_outer(call)) {
        lm_type_unref(st);
        lm_field fs[64];
        int n = t->elem->nfields < 64 ? t->elem->nfields : 64;
        for (int i = 0; i < n; i++) {
            fs[i] = t->elem->fields[i];
            fs[i].nullable = true;
        }
        st = lm_type_struct(fs, n);
    }
    return fn_set_result(rc, call, st, false, err);
}

static lm_status eval_inline(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    int32_t n = a[0].is_null ? 0 : a[0].u.arr->n;
    if (n == 0)
        return is_outer(call) ? null_row(ec, call, out) : fn_out_array(ec, out, fn_values(ec, 0), 0);
    lm_value *rows = fn_values(ec, (size_t)n);
    if (rows == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        const lm_value *e = &a[0].u.arr->elems[i];
        if (e->is_null) {
            lm_value vals[64];
            for (int k = 0; k < call->type->nfields && k < 64; k++)
                vals[k] = lm_value_null();
            lm_status st = out_row(ec, &rows[i], vals, call->type->nfields);
            if (st != LM_OK)
                return st;
        } else
            rows[i] = *e;
    }
    return fn_out_array(ec, out, rows, n);
}

/* stack(n, v1, v2, ...): n rows of ceil(k / n) columns col0, col1 ... */
static lm_status resolve_stack(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_value nv;
    if (call->args[0]->type->id != LM_TYPE_INT || !fn_const_value(rc, call->args[0], &nv) ||
        nv.is_null || nv.u.i64 <= 0) {
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the number of rows must be a positive constant integer.");
        return LM_ERROR;
    }
    int rows = (int)nv.u.i64;
    int vals = call->nargs - 1;
    int cols = (vals + rows - 1) / rows;
    if (cols > 64)
        cols = 64;
    lm_field fs[64];
    for (int c = 0; c < cols; c++) {
        lm_expr *sel[256];
        int k = 0;
        for (int r = 0; r < rows && k < 256; r++) {
            int i = 1 + r * cols + c;
            if (i < call->nargs)
                sel[k++] = call->args[i];
        }
        lm_type *t = lm_coerce_wider_all(sel, k, false);
        if (t == NULL) {
            lm_coerce_mismatch(rc, call, err, "STACK_COLUMN_DIFF_TYPES",
                               "The data type of the column (%d) do not have the same type.", c);
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, t);
        bool nullable = k < rows;
        for (int r = 0; r < rows; r++) {
            int i = 1 + r * cols + c;
            if (i < call->nargs) {
                if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
                    return LM_ERROR;
                nullable |= call->args[i]->nullable;
            }
        }
        fs[c].name = lm_arena_printf(rc->a, "col%d", c);
        fs[c].type = t;
        fs[c].nullable = nullable;
        fs[c].comment = NULL;
    }
    return fn_set_result(rc, call, lm_type_struct(fs, cols), false, err);
}

static lm_status eval_stack(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    int rows = (int)a[0].u.i64, cols = call->type->nfields;
    lm_value *r = fn_values(ec, (size_t)rows);
    if (r == NULL)
        return LM_ENOMEM;
    for (int i = 0; i < rows; i++) {
        lm_value vals[64];
        for (int c = 0; c < cols; c++) {
            int k = 1 + i * cols + c;
            vals[c] = k < call->nargs ? a[k] : lm_value_null();
        }
        lm_status st = out_row(ec, &r[i], vals, cols);
        if (st != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, r, rows);
}

#define GEN(nm, mn, mx, rs, ev) \
    {.name = nm, .kind = LM_FN_GENERATOR, .min_args = mn, .max_args = mx, .resolve = rs, \
     .eval = ev, .pretty = nm}

static const lm_func_def k_defs[] = {
    GEN("explode", 1, 1, resolve_explode, eval_explode),
    GEN("explode_outer", 1, 1, resolve_explode, eval_explode),
    GEN("posexplode", 1, 1, resolve_explode, eval_explode),
    GEN("posexplode_outer", 1, 1, resolve_explode, eval_explode),
    GEN("inline", 1, 1, resolve_inline, eval_inline),
    GEN("inline_outer", 1, 1, resolve_inline, eval_inline),
    GEN("stack", 2, -1, resolve_stack, eval_stack),
};

const lm_func_table lm_funcs_generator = {k_defs, sizeof k_defs / sizeof k_defs[0]};
