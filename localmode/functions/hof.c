/*
 * Higher-order functions: transform, filter, exists, forall, aggregate /
 * reduce, zip_with, map_filter, map_zip_with, transform_keys,
 * transform_values and array_sort with a comparator. Their LAMBDA
 * arguments are resolved through lm_resolve_lambda (analysis/coerce.h);
 * the kernels are LAZY: they evaluate the collection arguments, bind each
 * element to the lambda's variable slots in ec->lambda_vars and evaluate
 * the body per element.
 */
#include <stdlib.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"

lm_status fn_array_sort_default(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out);

static lm_status lambda_arg(lm_resolve_ctx *rc, lm_expr *call, int i, int nparams,
                            lm_type *const *types, lm_error *err)
{
    lm_expr *l = call->args[i];
    if (l->kind != LM_EXPR_LAMBDA) {
        /* a plain expression acts as a lambda ignoring its arguments, as
           Spark wraps it: transform(a, 0) maps every element to 0 */
        lm_expr *w = lm_arena_calloc(rc->a, 1, sizeof *w);
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
        if (w == NULL || args == NULL)
            return lm_error_oom(err);
        w->kind = LM_EXPR_LAMBDA;
        w->start = l->start;
        w->stop = l->stop;
        args[0] = l;
        w->args = args;
        w->nargs = 1;
        w->type = l->type;
        w->nullable = l->nullable;
        w->resolved = true;
        call->args[i] = w;
        return LM_OK;
    }
    lm_expr *out;
    if (lm_resolve_lambda(rc, l, nparams, types, &out, err) != LM_OK)
        return LM_ERROR;
    call->args[i] = out;
    return LM_OK;
}

static lm_status expect_array(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_ARRAY)
        return LM_OK;
    if (call->args[i]->type->id == LM_TYPE_NULL) {
        lm_type *t = lm_type_array(lm_type_null(), true);
        lm_arena_keep_type(rc->a, t);
        return fn_cast_arg(rc, call, i, t, err);
    }
    return lm_coerce_unexpected_input(rc, call, i, "\"ARRAY\"", err);
}

static lm_status expect_map(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_MAP)
        return LM_OK;
    return lm_coerce_unexpected_input(rc, call, i, "\"MAP\"", err);
}

static lm_status check_boolean_body(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id != LM_TYPE_BOOLEAN && call->args[i]->type->id != LM_TYPE_NULL)
        return lm_coerce_unexpected_input(rc, call, i, "\"BOOLEAN\"", err);
    return LM_OK;
}

/* Binds vars and evaluates the lambda body. */
static lm_status apply(lm_eval_ctx *ec, const lm_expr *lambda, const lm_value *row,
                       const lm_value *vars, int n, lm_value *out)
{
    int slot = lambda->ordinal;
    for (int i = 0; i < n && i < lambda->nparts && slot + i < 16; i++)
        ec->lambda_vars[slot + i] = vars[i];
    return lm_eval_expr(ec, lambda->args[0], row, out);
}

/* ------------------------------------------------------ transform/filter */

static lm_status resolve_transform(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    lm_type *types[2] = {call->args[0]->type->elem, lm_type_int()};
    if (lambda_arg(rc, call, 1, 2, types, err) != LM_OK)
        return LM_ERROR;
    const char *n = call->fn->name;
    if (strcmp(n, "transform") == 0)
        return fn_set_result(rc, call, lm_type_array(call->args[1]->type, call->args[1]->nullable),
                             call->args[0]->nullable, err);
    if (check_boolean_body(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    if (strcmp(n, "filter") == 0)
        return fn_set_result(rc, call, fn_tref(call->args[0]->type), call->args[0]->nullable, err);
    return fn_set_result(rc, call, lm_type_boolean(), true, err);
}

static lm_status eval_transform(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                lm_value *out)
{
    lm_value arr;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &arr);
    if (st != LM_OK)
        return st;
    if (arr.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const char *n = call->fn->name;
    int32_t len = arr.u.arr->n;
    bool is_transform = strcmp(n, "transform") == 0, is_filter = strcmp(n, "filter") == 0;
    bool exists = strcmp(n, "exists") == 0;
    lm_value *e = fn_values(ec, (size_t)len);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    bool saw_null = false;
    for (int32_t i = 0; i < len; i++) {
        lm_value vars[2] = {arr.u.arr->elems[i], lm_value_i64(i)}, r;
        if ((st = apply(ec, call->args[1], row, vars, 2, &r)) != LM_OK)
            return st;
        if (is_transform) {
            e[k++] = r;
        } else if (is_filter) {
            if (!r.is_null && r.u.b)
                e[k++] = arr.u.arr->elems[i];
        } else if (r.is_null) {
            saw_null = true;
        } else if (exists && r.u.b) {
            *out = lm_value_bool(true);
            return LM_OK;
        } else if (!exists && !r.u.b) {
            *out = lm_value_bool(false);
            return LM_OK;
        }
    }
    if (is_transform || is_filter)
        return fn_out_array(ec, out, e, k);
    *out = saw_null ? lm_value_null() : lm_value_bool(!exists);
    return LM_OK;
}

/* ------------------------------------------------------ aggregate */

static lm_status resolve_aggregate(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    lm_type *acc = call->args[1]->type;
    lm_type *types[2] = {acc, call->args[0]->type->elem};
    if (lambda_arg(rc, call, 2, 2, types, err) != LM_OK)
        return LM_ERROR;
    if (!lm_type_same_ignoring_nullable(call->args[2]->type, acc)) {
        /* the merge result decides the accumulator type when the zero
           value widens to it (aggregate(a, 0, (acc, x) -> acc + x) on longs) */
        lm_type *w = lm_coerce_wider(acc, call->args[2]->type);
        if (w == NULL) {
            lm_coerce_unexpected_input(rc, call, 2, fn_type_q(rc, acc), err);
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, w);
        if (fn_cast_arg(rc, call, 1, w, err) != LM_OK)
            return LM_ERROR;
        lm_type *t2[2] = {w, call->args[0]->type->elem};
        /* re-resolve the merge lambda with the widened accumulator */
        lm_expr *l = call->args[2];
        l->resolved = false;
        if (lm_resolve_lambda(rc, l, 2, t2, &call->args[2], err) != LM_OK)
            return LM_ERROR;
        acc = w;
    }
    lm_type *result = acc;
    if (call->nargs == 4) {
        lm_type *ft[1] = {acc};
        if (lambda_arg(rc, call, 3, 1, ft, err) != LM_OK)
            return LM_ERROR;
        result = call->args[3]->type;
    }
    return fn_set_result(rc, call, fn_tref(result), true, err);
}

static lm_status eval_aggregate(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                lm_value *out)
{
    lm_value arr, acc;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &arr);
    if (st != LM_OK)
        return st;
    if (arr.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    if ((st = lm_eval_expr(ec, call->args[1], row, &acc)) != LM_OK)
        return st;
    for (int32_t i = 0; i < arr.u.arr->n; i++) {
        lm_value vars[2] = {acc, arr.u.arr->elems[i]};
        if ((st = apply(ec, call->args[2], row, vars, 2, &acc)) != LM_OK)
            return st;
    }
    if (call->nargs == 4)
        return apply(ec, call->args[3], row, &acc, 1, out);
    *out = acc;
    return LM_OK;
}

/* ------------------------------------------------------ zip_with */

static lm_status resolve_zip_with(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK || expect_array(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    lm_type *types[2] = {call->args[0]->type->elem, call->args[1]->type->elem};
    if (lambda_arg(rc, call, 2, 2, types, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(call->args[2]->type, call->args[2]->nullable),
                         call->args[0]->nullable || call->args[1]->nullable, err);
}

static lm_status eval_zip_with(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                               lm_value *out)
{
    lm_value a, b;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &a);
    if (st == LM_OK)
        st = lm_eval_expr(ec, call->args[1], row, &b);
    if (st != LM_OK)
        return st;
    if (a.is_null || b.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int32_t n = a.u.arr->n > b.u.arr->n ? a.u.arr->n : b.u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        lm_value vars[2] = {i < a.u.arr->n ? a.u.arr->elems[i] : lm_value_null(),
                            i < b.u.arr->n ? b.u.arr->elems[i] : lm_value_null()};
        if ((st = apply(ec, call->args[2], row, vars, 2, &e[i])) != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------------ map functions */

static lm_status resolve_map_hof(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *m = call->args[0]->type;
    lm_type *types[2] = {m->key, m->value};
    if (lambda_arg(rc, call, 1, 2, types, err) != LM_OK)
        return LM_ERROR;
    const char *n = call->fn->name;
    lm_type *t;
    if (strcmp(n, "map_filter") == 0) {
        if (check_boolean_body(rc, call, 1, err) != LM_OK)
            return LM_ERROR;
        t = fn_tref(m);
    } else if (strcmp(n, "transform_keys") == 0)
        t = lm_type_map(call->args[1]->type, m->value, m->value_contains_null);
    else
        t = lm_type_map(m->key, call->args[1]->type, call->args[1]->nullable);
    return fn_set_result(rc, call, t, call->args[0]->nullable, err);
}

static lm_status eval_map_hof(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                              lm_value *out)
{
    lm_value mv;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &mv);
    if (st != LM_OK)
        return st;
    if (mv.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_map_value *m = mv.u.map;
    const char *n = call->fn->name;
    lm_value *k = fn_values(ec, (size_t)m->n), *v = fn_values(ec, (size_t)m->n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    int32_t j = 0;
    for (int32_t i = 0; i < m->n; i++) {
        lm_value vars[2] = {m->keys[i], m->values[i]}, r;
        if ((st = apply(ec, call->args[1], row, vars, 2, &r)) != LM_OK)
            return st;
        if (strcmp(n, "map_filter") == 0) {
            if (!r.is_null && r.u.b) {
                k[j] = m->keys[i];
                v[j++] = m->values[i];
            }
        } else if (strcmp(n, "transform_keys") == 0) {
            if (r.is_null) {
                lm_eval_error(ec, LM_EXC_RUNTIME, "NULL_MAP_KEY", "2200E",
                              "[NULL_MAP_KEY] Cannot use null as map key.");
                return LM_ERROR;
            }
            for (int32_t x = 0; x < j; x++)
                if (lm_value_equal(call->type->key, &k[x], &r)) {
                    lm_eval_error(ec, LM_EXC_RUNTIME, "DUPLICATED_MAP_KEY", "23505",
                                  "[DUPLICATED_MAP_KEY] Duplicate map key was found, please "
                                  "check the input data.");
                    return LM_ERROR;
                }
            k[j] = r;
            v[j++] = m->values[i];
        } else {
            k[j] = m->keys[i];
            v[j++] = r;
        }
    }
    lm_map_value *res = fn_alloc(ec, sizeof *res);
    if (res == NULL)
        return LM_ENOMEM;
    res->n = j;
    res->keys = k;
    res->values = v;
    *out = lm_value_null();
    out->is_null = false;
    out->u.map = res;
    return LM_OK;
}

static lm_status resolve_map_zip_with(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_map(rc, call, 0, err) != LM_OK || expect_map(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    const lm_type *a = call->args[0]->type, *b = call->args[1]->type;
    if (!lm_type_same_ignoring_nullable(a->key, b->key)) {
        lm_type *w = lm_coerce_wider(a->key, b->key);
        if (w == NULL) {
            lm_coerce_mismatch(rc, call, err, "MAP_ZIP_WITH_DIFF_TYPES",
                               "Input to the `map_zip_with` should have been two maps with "
                               "compatible key types, but it's [%s, %s].",
                               fn_type_q(rc, a->key), fn_type_q(rc, b->key));
            lm_error_param_add(err, "functionName", "`map_zip_with`");
            lm_error_param_add(err, "leftType", fn_type_q(rc, a->key));
            lm_error_param_add(err, "rightType", fn_type_q(rc, b->key));
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, w);
        lm_type *ma = lm_type_map(w, a->value, a->value_contains_null);
        lm_type *mb = lm_type_map(w, b->value, b->value_contains_null);
        lm_arena_keep_type(rc->a, ma);
        lm_arena_keep_type(rc->a, mb);
        if (fn_cast_arg(rc, call, 0, ma, err) != LM_OK || fn_cast_arg(rc, call, 1, mb, err) != LM_OK)
            return LM_ERROR;
        a = ma;
        b = mb;
    }
    lm_type *types[3] = {a->key, a->value, b->value};
    if (lambda_arg(rc, call, 2, 3, types, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_map(a->key, call->args[2]->type, true),
                         fn_args_nullable(call), err);
}

static lm_status eval_map_zip_with(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                   lm_value *out)
{
    lm_value av, bv;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &av);
    if (st == LM_OK)
        st = lm_eval_expr(ec, call->args[1], row, &bv);
    if (st != LM_OK)
        return st;
    if (av.is_null || bv.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_type *kt = call->type->key;
    const lm_map_value *a = av.u.map, *b = bv.u.map;
    int32_t cap = a->n + b->n, n = 0;
    lm_value *k = fn_values(ec, (size_t)cap), *v = fn_values(ec, (size_t)cap);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    for (int pass = 0; pass < 2; pass++) {
        const lm_map_value *m = pass ? b : a;
        for (int32_t i = 0; i < m->n; i++) {
            bool dup = false;
            for (int32_t x = 0; x < n && !dup; x++)
                dup = lm_value_equal(kt, &k[x], &m->keys[i]);
            if (!dup)
                k[n++] = m->keys[i];
        }
    }
    for (int32_t i = 0; i < n; i++) {
        lm_value v1 = lm_value_null(), v2 = lm_value_null();
        for (int32_t x = 0; x < a->n; x++)
            if (lm_value_equal(kt, &a->keys[x], &k[i]))
                v1 = a->values[x];
        for (int32_t x = 0; x < b->n; x++)
            if (lm_value_equal(kt, &b->keys[x], &k[i]))
                v2 = b->values[x];
        lm_value vars[3] = {k[i], v1, v2};
        if ((st = apply(ec, call->args[2], row, vars, 3, &v[i])) != LM_OK)
            return st;
    }
    lm_map_value *res = fn_alloc(ec, sizeof *res);
    if (res == NULL)
        return LM_ENOMEM;
    res->n = n;
    res->keys = k;
    res->values = v;
    *out = lm_value_null();
    out->is_null = false;
    out->u.map = res;
    return LM_OK;
}

/* ------------------------------------------------------ array_sort */

static lm_status resolve_array_sort(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 2) {
        lm_type *types[2] = {call->args[0]->type->elem, call->args[0]->type->elem};
        if (lambda_arg(rc, call, 1, 2, types, err) != LM_OK)
            return LM_ERROR;
        if (call->args[1]->type->id != LM_TYPE_INT)
            return lm_coerce_unexpected_input(rc, call, 1, "\"INT\"", err);
    }
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), call->args[0]->nullable, err);
}

static lm_status eval_array_sort(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                 lm_value *out)
{
    lm_value arr;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &arr);
    if (st != LM_OK)
        return st;
    if (arr.is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (call->nargs == 1)
        return fn_array_sort_default(ec, call, &arr, out);
    /* insertion sort with the user comparator (stable, as Java's TimSort) */
    int32_t n = arr.u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, arr.u.arr->elems, sizeof *e * (size_t)n);
    for (int32_t i = 1; i < n; i++) {
        lm_value x = e[i];
        int32_t j = i - 1;
        while (j >= 0) {
            lm_value vars[2] = {e[j], x}, r;
            if ((st = apply(ec, call->args[1], row, vars, 2, &r)) != LM_OK)
                return st;
            if (r.is_null) {
                lm_eval_error(ec, LM_EXC_RUNTIME, "COMPARATOR_RETURNS_NULL", "22004",
                              "[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a "
                              "comparison between elements.");
                return LM_ERROR;
            }
            if (r.u.i64 <= 0)
                break;
            e[j + 1] = e[j];
            j--;
        }
        e[j + 1] = x;
    }
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------------------ table */

#define HOF(nm, mn, mx, res, ev) \
    {.name = nm, .min_args = mn, .max_args = mx, .flags = LM_FN_LAZY, .resolve = res, \
     .eval_lazy = ev, .pretty = nm}

static const lm_func_def k_defs[] = {
    HOF("transform", 2, 2, resolve_transform, eval_transform),
    HOF("filter", 2, 2, resolve_transform, eval_transform),
    HOF("exists", 2, 2, resolve_transform, eval_transform),
    HOF("forall", 2, 2, resolve_transform, eval_transform),
    HOF("aggregate", 3, 4, resolve_aggregate, eval_aggregate),
    HOF("reduce", 3, 4, resolve_aggregate, eval_aggregate),
    HOF("zip_with", 3, 3, resolve_zip_with, eval_zip_with),
    HOF("map_filter", 2, 2, resolve_map_hof, eval_map_hof),
    HOF("transform_keys", 2, 2, resolve_map_hof, eval_map_hof),
    HOF("transform_values", 2, 2, resolve_map_hof, eval_map_hof),
    HOF("map_zip_with", 3, 3, resolve_map_zip_with, eval_map_zip_with),
    HOF("array_sort", 1, 2, resolve_array_sort, eval_array_sort),
};

const lm_func_table lm_funcs_hof = {k_defs, sizeof k_defs / sizeof k_defs[0]};
