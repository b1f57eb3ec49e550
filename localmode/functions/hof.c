/*
 * Higher-order functions: transform, filter, exists, forall,
 * aggregate / reduce, zip_with, map_filter, map_zip_with, transform_keys,
 * transform_values and array_sort (with or without a comparator).
 *
 * Resolution follows Spark's order: the non-lambda arguments are checked
 * and coerced first (their errors print the lambda unresolved, with its
 * parameter names), then each lambda is bound with lm_resolve_lambda to
 * parameter types derived from them. Kernels are lazy: they evaluate the
 * collection arguments themselves, store each element in the lambda's
 * variable slots (lm_eval_ctx.lambda_vars) and evaluate the body against
 * the current input row, so lambda bodies may read the row's columns.
 */
#include <stdio.h>
#include <string.h>

#include "functions/coll_util.h"
#include "functions/families.h"

/* ------------------------------------------------------------ helpers */

/* Binds argument i as a lambda of n parameters. */
static lm_status bind_lambda(lm_resolve_ctx *rc, lm_expr *call, int i, int n,
                             lm_type *const *types, const bool *nullable, lm_error *err)
{
    lm_expr *r;
    if (lm_resolve_lambda(rc, call->args[i], n, types, nullable, &r, err) != LM_OK)
        return LM_ERROR;
    call->args[i] = r;
    return LM_OK;
}

/* Number of parameters a lambda argument declares (0 for a plain value). */
static int lambda_arity(const lm_expr *e)
{
    return e->kind == LM_EXPR_LAMBDA ? e->nparts : 0;
}

static lm_status apply(lm_eval_ctx *ec, const lm_expr *lam, const lm_value *row,
                       const lm_value *vals, int n, lm_value *out)
{
    for (int i = 0; i < n; i++)
        ec->lambda_vars[lam->ordinal + i] = vals[i];
    return lm_eval_expr(ec, lam->args[0], row, out);
}

/* The lambda's body must be BOOLEAN (filter, exists, forall, map_filter). */
static lm_status expect_boolean_body(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (t->id == LM_TYPE_BOOLEAN || t->id == LM_TYPE_NULL)
        return LM_OK;
    return lm_coerce_unexpected_input(rc, call, i, "\"BOOLEAN\"", err);
}

static lm_status eval_arg(lm_eval_ctx *ec, const lm_expr *call, int i, const lm_value *row,
                          lm_value *out)
{
    return lm_eval_expr(ec, call->args[i], row, out);
}

/* ----------------------------------------------------------- transform */

/* Binds argument 1 with (element) or (element, index) parameters. */
static lm_status bind_element_lambda(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *at = call->args[0]->type;
    lm_type *types[2] = {at->elem, lm_type_int()};
    bool nullable[2] = {at->contains_null, false};
    int n = lambda_arity(call->args[1]) == 2 ? 2 : 1;
    return bind_lambda(rc, call, 1, n, types, nullable, err);
}

static lm_status resolve_transform(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK || bind_element_lambda(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_expr *f = call->args[1];
    return fn_set_result(rc, call, lm_type_array(f->type, f->nullable), call->args[0]->nullable,
                         err);
}

static lm_status eval_transform(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                lm_value *out)
{
    lm_value av;
    lm_status st = eval_arg(ec, call, 0, row, &av);
    if (st != LM_OK || av.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_array_value *a = av.u.arr;
    const lm_expr *f = call->args[1];
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < a->n; i++) {
        lm_value v[2] = {a->elems[i], lm_value_i64(i)};
        if ((st = apply(ec, f, row, v, f->nparts, &e[i])) != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, e, a->n);
}

/* -------------------------------------------------------------- filter */

static lm_status resolve_filter(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK || bind_element_lambda(rc, call, err) != LM_OK ||
        expect_boolean_body(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

static lm_status eval_filter(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                             lm_value *out)
{
    lm_value av;
    lm_status st = eval_arg(ec, call, 0, row, &av);
    if (st != LM_OK || av.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_array_value *a = av.u.arr;
    const lm_expr *f = call->args[1];
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < a->n; i++) {
        lm_value v[2] = {a->elems[i], lm_value_i64(i)}, keep;
        if ((st = apply(ec, f, row, v, f->nparts, &keep)) != LM_OK)
            return st;
        if (!keep.is_null && keep.u.b)
            e[n++] = a->elems[i];
    }
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------------ exists, forall */

static lm_status resolve_exists(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *at = call->args[0]->type;
    lm_type *types[1] = {at->elem};
    bool nullable[1] = {at->contains_null};
    if (bind_lambda(rc, call, 1, 1, types, nullable, err) != LM_OK ||
        expect_boolean_body(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(),
                         call->args[0]->nullable || call->args[1]->nullable, err);
}

/*
 * exists: true when the predicate holds for some element; forall: false
 * when it fails for some element. Otherwise a NULL predicate result makes
 * the answer NULL (three-valued logic; exists honours
 * spark.sql.legacy.followThreeValuedLogicInArrayExists, default true).
 */
static lm_status eval_quantifier(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                 lm_value *out, bool want)
{
    lm_value av;
    lm_status st = eval_arg(ec, call, 0, row, &av);
    if (st != LM_OK || av.is_null) {
        *out = lm_value_null();
        return st;
    }
    bool three_valued = !want ||
                        cu_conf_bool(ec, "spark.sql.legacy.followThreeValuedLogicInArrayExists",
                                     true);
    const lm_array_value *a = av.u.arr;
    bool saw_null = false;
    for (int32_t i = 0; i < a->n; i++) {
        lm_value r;
        if ((st = apply(ec, call->args[1], row, &a->elems[i], 1, &r)) != LM_OK)
            return st;
        if (r.is_null)
            saw_null = true;
        else if (r.u.b == want) {
            *out = lm_value_bool(want);
            return LM_OK;
        }
    }
    *out = saw_null && three_valued ? lm_value_null() : lm_value_bool(!want);
    return LM_OK;
}

static lm_status eval_exists(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                             lm_value *out)
{
    return eval_quantifier(ec, call, row, out, true);
}

static lm_status eval_forall(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                             lm_value *out)
{
    return eval_quantifier(ec, call, row, out, false);
}

/* ---------------------------------------------------- aggregate, reduce */

/* DataType.equalsStructurally ignoring nullability: struct field names do
   not matter, so (acc.sum + x, acc.n + 1) may feed a (sum, n) accumulator. */
static bool same_structure(const lm_type *a, const lm_type *b)
{
    if (a->id != b->id)
        return false;
    switch (a->id) {
    case LM_TYPE_ARRAY:
        return same_structure(a->elem, b->elem);
    case LM_TYPE_MAP:
        return same_structure(a->key, b->key) && same_structure(a->value, b->value);
    case LM_TYPE_STRUCT:
        if (a->nfields != b->nfields)
            return false;
        for (int i = 0; i < a->nfields; i++)
            if (!same_structure(a->fields[i].type, b->fields[i].type))
                return false;
        return true;
    default:
        return lm_type_same_ignoring_nullable(a, b);
    }
}

static lm_status resolve_aggregate(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *at = call->args[0]->type;
    lm_type *zt = call->args[1]->type;
    /* the accumulator is typed as the zero value and always nullable */
    lm_type *types[2] = {zt, at->elem};
    bool nullable[2] = {true, at->contains_null};
    if (bind_lambda(rc, call, 2, 2, types, nullable, err) != LM_OK)
        return LM_ERROR;
    const lm_expr *merge = call->args[2];
    if (!same_structure(zt, merge->type))
        return lm_coerce_unexpected_input(rc, call, 2, fn_type_q(rc, zt), err);
    if (call->nargs == 4) {
        lm_type *ft[1] = {zt};
        bool fnull[1] = {true};
        if (bind_lambda(rc, call, 3, 1, ft, fnull, err) != LM_OK)
            return LM_ERROR;
    } else {
        /* Spark fills in the identity finish, and prints it */
        lm_expr *id = lm_arena_calloc(rc->a, 1, sizeof *id);
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 4);
        lm_expr **body = lm_arena_alloc(rc->a, sizeof *body);
        char **parts = lm_arena_alloc(rc->a, sizeof *parts);
        lm_expr *var = lm_arena_calloc(rc->a, 1, sizeof *var);
        if (id == NULL || args == NULL || body == NULL || parts == NULL || var == NULL)
            return fn_oom(err);
        var->kind = LM_EXPR_LAMBDA_VAR;
        var->start = var->stop = -1;
        var->name = parts[0] = "acc";
        var->value = lm_value_null();
        var->type = zt;
        var->nullable = true;
        var->resolved = true;
        /* the identity's variable lives in the merge lambda's first slot,
           which is free once merging is done */
        var->ordinal = merge->ordinal;
        body[0] = var;
        id->kind = LM_EXPR_LAMBDA;
        id->start = id->stop = -1;
        id->value = lm_value_null();
        id->nparts = 1;
        id->parts = parts;
        id->nargs = 1;
        id->args = body;
        id->ordinal = merge->ordinal;
        id->type = zt;
        id->nullable = true;
        id->resolved = true;
        memcpy(args, call->args, sizeof *args * 3);
        args[3] = id;
        call->args = args;
        call->nargs = 4;
    }
    const lm_expr *fin = call->args[3];
    return fn_set_result(rc, call, lm_type_ref(fin->type),
                         call->args[0]->nullable || fin->nullable, err);
}

static lm_status eval_aggregate(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                lm_value *out)
{
    lm_value av, acc;
    lm_status st = eval_arg(ec, call, 0, row, &av);
    if (st != LM_OK || av.is_null) {
        *out = lm_value_null();
        return st;
    }
    if ((st = eval_arg(ec, call, 1, row, &acc)) != LM_OK)
        return st;
    const lm_array_value *a = av.u.arr;
    for (int32_t i = 0; i < a->n; i++) {
        lm_value v[2] = {acc, a->elems[i]};
        if ((st = apply(ec, call->args[2], row, v, 2, &acc)) != LM_OK)
            return st;
    }
    return apply(ec, call->args[3], row, &acc, 1, out);
}

/* ------------------------------------------------------------ zip_with */

static lm_status resolve_zip_with(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK || cu_need_array(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    lm_type *types[2] = {call->args[0]->type->elem, call->args[1]->type->elem};
    if (bind_lambda(rc, call, 2, 2, types, NULL, err) != LM_OK)
        return LM_ERROR;
    const lm_expr *f = call->args[2];
    return fn_set_result(rc, call, lm_type_array(f->type, f->nullable),
                         call->args[0]->nullable || call->args[1]->nullable, err);
}

static lm_status eval_zip_with(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                               lm_value *out)
{
    lm_value x, y;
    lm_status st = eval_arg(ec, call, 0, row, &x);
    if (st == LM_OK && !x.is_null)
        st = eval_arg(ec, call, 1, row, &y);
    if (st != LM_OK || x.is_null || y.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_array_value *a = x.u.arr, *b = y.u.arr;
    int32_t n = a->n > b->n ? a->n : b->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        lm_value v[2] = {i < a->n ? a->elems[i] : lm_value_null(),
                         i < b->n ? b->elems[i] : lm_value_null()};
        if ((st = apply(ec, call->args[2], row, v, 2, &e[i])) != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, e, n);
}

/* ---------------------------------------------------------- map_filter */

/* Binds argument 1 with (key, value) parameters of map argument 0. */
static lm_status bind_entry_lambda(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *mt = call->args[0]->type;
    lm_type *types[2] = {mt->key, mt->value};
    bool nullable[2] = {false, mt->value_contains_null};
    return bind_lambda(rc, call, 1, 2, types, nullable, err);
}

static lm_status resolve_map_filter(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK || bind_entry_lambda(rc, call, err) != LM_OK ||
        expect_boolean_body(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

static lm_status eval_map_filter(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                 lm_value *out)
{
    lm_value mv;
    lm_status st = eval_arg(ec, call, 0, row, &mv);
    if (st != LM_OK || mv.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_map_value *m = mv.u.map;
    lm_value *k = fn_values(ec, (size_t)m->n), *v = fn_values(ec, (size_t)m->n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < m->n; i++) {
        lm_value kv[2] = {m->keys[i], m->values[i]}, keep;
        if ((st = apply(ec, call->args[1], row, kv, 2, &keep)) != LM_OK)
            return st;
        if (!keep.is_null && keep.u.b) {
            k[n] = m->keys[i];
            v[n++] = m->values[i];
        }
    }
    return cu_out_map(ec, out, k, v, n);
}

/* ------------------------------------- transform_keys, transform_values */

static lm_status resolve_transform_keys(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK || bind_entry_lambda(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_type *mt = call->args[0]->type;
    if (call->args[1]->type->id == LM_TYPE_MAP) {
        const char *q = fn_type_q(rc, call->args[1]->type);
        lm_coerce_mismatch(rc, call, err, "INVALID_MAP_KEY_TYPE",
                           "The key of map cannot be/contain %s.", q);
        lm_error_param_add(err, "keyType", q);
        return LM_ERROR;
    }
    return fn_set_result(rc, call,
                         lm_type_map(call->args[1]->type, mt->value, mt->value_contains_null),
                         call->args[0]->nullable, err);
}

static lm_status resolve_transform_values(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK || bind_entry_lambda(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_expr *f = call->args[1];
    return fn_set_result(rc, call, lm_type_map(call->args[0]->type->key, f->type, f->nullable),
                         call->args[0]->nullable, err);
}

static lm_status eval_transform_map(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                    lm_value *out, bool keys)
{
    lm_value mv;
    lm_status st = eval_arg(ec, call, 0, row, &mv);
    if (st != LM_OK || mv.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_map_value *m = mv.u.map;
    if (keys) {
        /* new keys go through the map builder: NULL or repeated keys fail */
        cu_map_builder b;
        cu_mb_init(&b, ec, call->type->key);
        for (int32_t i = 0; i < m->n; i++) {
            lm_value kv[2] = {m->keys[i], m->values[i]}, nk;
            if ((st = apply(ec, call->args[1], row, kv, 2, &nk)) != LM_OK)
                return st;
            if ((st = cu_mb_put(&b, &nk, &m->values[i])) != LM_OK)
                return st;
        }
        return cu_mb_finish(&b, out);
    }
    lm_value *v = fn_values(ec, (size_t)m->n);
    if (v == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < m->n; i++) {
        lm_value kv[2] = {m->keys[i], m->values[i]};
        if ((st = apply(ec, call->args[1], row, kv, 2, &v[i])) != LM_OK)
            return st;
    }
    return cu_out_map(ec, out, m->keys, v, m->n);
}

static lm_status eval_transform_keys(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                     lm_value *out)
{
    return eval_transform_map(ec, call, row, out, true);
}

static lm_status eval_transform_values(lm_eval_ctx *ec, const lm_expr *call,
                                       const lm_value *row, lm_value *out)
{
    return eval_transform_map(ec, call, row, out, false);
}

/* -------------------------------------------------------- map_zip_with */

/* Spark's Cast.forceNullable: whether casting from -> to can produce NULL
   from a non-NULL value (then MapZipWithCoercion refuses the key type). */
static bool force_nullable(const lm_type *from, const lm_type *to)
{
    if (from->id == LM_TYPE_NULL)
        return false;
    if (from->id == LM_TYPE_STRING)
        return to->id != LM_TYPE_BINARY && to->id != LM_TYPE_STRING;
    if (to->id == LM_TYPE_STRING)
        return false;
    if ((from->id == LM_TYPE_FLOAT || from->id == LM_TYPE_DOUBLE) && to->id == LM_TYPE_TIMESTAMP)
        return true;
    if (from->id == LM_TYPE_TIMESTAMP && to->id == LM_TYPE_DATE)
        return false;
    if (to->id == LM_TYPE_DATE)
        return true;
    if (from->id == LM_TYPE_DATE)
        return to->id != LM_TYPE_TIMESTAMP;
    if (to->id == LM_TYPE_INTERVAL)
        return true;
    if (to->id == LM_TYPE_DECIMAL) {
        if (from->id == LM_TYPE_BOOLEAN)
            return false;
        lm_type *d = lm_type_is_integral(from) || from->id == LM_TYPE_DECIMAL
                         ? lm_decimal_for(from)
                         : NULL;
        if (d == NULL)
            return true;
        bool tighter = (d->precision - d->scale) <= (to->precision - to->scale) &&
                       d->scale <= to->scale;
        lm_type_unref(d);
        return !tighter;
    }
    if (lm_type_is_fractional(from) && lm_type_is_integral(to))
        return true;
    return false;
}

static lm_status map_zip_diff(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    const char *l = fn_type_q(rc, call->args[0]->type->key);
    const char *r = fn_type_q(rc, call->args[1]->type->key);
    lm_coerce_mismatch(rc, call, err, "MAP_ZIP_WITH_DIFF_TYPES",
                       "Input to the %s should have been two maps with compatible key types, but "
                       "it's [%s, %s].",
                       fq, l, r);
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "leftType", l);
    lm_error_param_add(err, "rightType", r);
    return LM_ERROR;
}

static lm_status resolve_map_zip_with(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK || cu_need_map(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    const lm_type *l = call->args[0]->type, *r = call->args[1]->type;
    if (!lm_type_same_ignoring_nullable(l->key, r->key)) {
        lm_type *k = cu_keep(rc, lm_coerce_wider(l->key, r->key));
        if (k == NULL || force_nullable(l->key, k) || force_nullable(r->key, k))
            return map_zip_diff(rc, call, err);
        for (int i = 0; i < 2; i++) {
            const lm_type *m = call->args[i]->type;
            lm_type *nm = cu_keep(rc, lm_type_map(k, m->value, m->value_contains_null));
            if (nm == NULL || fn_cast_arg(rc, call, i, nm, err) != LM_OK)
                return LM_ERROR;
        }
        l = call->args[0]->type;
        r = call->args[1]->type;
    }
    lm_type *types[3] = {l->key, l->value, r->value};
    bool nullable[3] = {false, true, true};
    if (bind_lambda(rc, call, 2, 3, types, nullable, err) != LM_OK)
        return LM_ERROR;
    const lm_expr *f = call->args[2];
    return fn_set_result(rc, call, lm_type_map(l->key, f->type, f->nullable),
                         call->args[0]->nullable || call->args[1]->nullable, err);
}

/* Keys of the first map in order, then the second map's other keys; the
   missing side's value is NULL. */
static lm_status eval_map_zip_with(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                   lm_value *out)
{
    lm_value x, y;
    lm_status st = eval_arg(ec, call, 0, row, &x);
    if (st == LM_OK && !x.is_null)
        st = eval_arg(ec, call, 1, row, &y);
    if (st != LM_OK || x.is_null || y.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_map_value *a = x.u.map, *b = y.u.map;
    const lm_type *kt = call->type->key;
    cu_vset keys;
    cu_vset_init(&keys, ec, kt);
    int32_t cap = a->n + b->n;
    int32_t *ia = fn_alloc(ec, sizeof *ia * (size_t)(cap ? cap : 1));
    int32_t *ib = fn_alloc(ec, sizeof *ib * (size_t)(cap ? cap : 1));
    if (ia == NULL || ib == NULL)
        return LM_ENOMEM;
    for (int k = 0; k < 2; k++) {
        const lm_map_value *m = k ? b : a;
        for (int32_t i = 0; i < m->n; i++) {
            int32_t idx;
            bool added;
            if (cu_vset_add(&keys, &m->keys[i], &idx, &added) != LM_OK)
                return LM_ENOMEM;
            if (added) {
                ia[idx] = -1;
                ib[idx] = -1;
            }
            if (k)
                ib[idx] = i;
            else if (ia[idx] < 0)
                ia[idx] = i;
        }
    }
    int32_t n = keys.n;
    lm_value *vals = fn_values(ec, (size_t)n);
    if (vals == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        lm_value v[3] = {keys.vals[i], ia[i] >= 0 ? a->values[ia[i]] : lm_value_null(),
                         ib[i] >= 0 ? b->values[ib[i]] : lm_value_null()};
        if ((st = apply(ec, call->args[2], row, v, 3, &vals[i])) != LM_OK)
            return st;
    }
    return cu_out_map(ec, out, n ? keys.vals : vals, vals, n);
}

/* ---------------------------------------------------------- array_sort */

static lm_status resolve_array_sort(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *at = call->args[0]->type;
    if (call->nargs == 1) {
        if (!lm_type_is_orderable(at->elem)) {
            const char *fq = cu_fname(rc, call), *q = fn_type_q(rc, at->elem);
            lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                               "The %s does not support ordering on type %s.", fq, q);
            lm_error_param_add(err, "functionName", fq);
            lm_error_param_add(err, "dataType", q);
            return LM_ERROR;
        }
    } else {
        lm_type *types[2] = {at->elem, at->elem};
        bool nullable[2] = {at->contains_null, at->contains_null};
        if (bind_lambda(rc, call, 1, 2, types, nullable, err) != LM_OK)
            return LM_ERROR;
        if (call->args[1]->type->id != LM_TYPE_INT)
            return lm_coerce_unexpected_input(rc, call, 1, "\"INT\"", err);
    }
    return fn_set_result(rc, call, lm_type_ref((lm_type *)at), call->args[0]->nullable, err);
}

typedef struct sort_ctx {
    lm_eval_ctx *ec;
    const lm_expr *call;
    const lm_value *row;
} sort_ctx;

/* The default comparator: ascending, NULLs last. */
static int cmp_default(void *ctx, const lm_value *a, const lm_value *b, lm_status *st)
{
    const sort_ctx *s = ctx;
    return lm_value_compare_nulls(s->call->args[0]->type->elem, a, b, false);
}

static lm_status comparator_null(lm_eval_ctx *ec, const lm_type *t, const lm_value *a,
                                 const lm_value *b)
{
    lm_strbuf x, y;
    lm_strbuf_init(&x);
    lm_strbuf_init(&y);
    fn_append_as_string(&x, t, a, ec->tz, false);
    fn_append_as_string(&y, t, b, ec->tz, false);
    lm_eval_error(ec, "org.apache.spark.SparkException", "COMPARATOR_RETURNS_NULL", "22004",
                  "[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a comparison "
                  "between %s and %s. It should return a positive integer for \"greater than\", 0 "
                  "for \"equal\" and a negative integer for \"less than\". To revert to deprecated "
                  "behavior where NULL is treated as 0 (equal), you must set "
                  "\"spark.sql.legacy.allowNullComparisonResultInArraySort\" to \"true\".",
                  lm_strbuf_cstr(&x), lm_strbuf_cstr(&y));
    lm_error_param_add(ec->err, "firstValue", lm_strbuf_cstr(&x));
    lm_error_param_add(ec->err, "secondValue", lm_strbuf_cstr(&y));
    lm_strbuf_free(&x);
    lm_strbuf_free(&y);
    return LM_ERROR;
}

static int cmp_lambda(void *ctx, const lm_value *a, const lm_value *b, lm_status *st)
{
    const sort_ctx *s = ctx;
    lm_value v[2] = {*a, *b}, r;
    if ((*st = apply(s->ec, s->call->args[1], s->row, v, 2, &r)) != LM_OK)
        return 0;
    if (r.is_null) {
        if (cu_conf_bool(s->ec, "spark.sql.legacy.allowNullComparisonResultInArraySort", false))
            return 0;
        *st = comparator_null(s->ec, s->call->args[0]->type->elem, a, b);
        return 0;
    }
    return r.u.i64 < 0 ? -1 : r.u.i64 > 0;
}

static lm_status eval_array_sort(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                                 lm_value *out)
{
    lm_value av;
    lm_status st = eval_arg(ec, call, 0, row, &av);
    if (st != LM_OK || av.is_null) {
        *out = lm_value_null();
        return st;
    }
    const lm_array_value *a = av.u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    if (a->n)
        memcpy(e, a->elems, sizeof *e * (size_t)a->n);
    sort_ctx s = {ec, call, row};
    st = cu_sort(ec, e, a->n, call->nargs == 2 ? cmp_lambda : cmp_default, &s);
    return st == LM_OK ? fn_out_array(ec, out, e, a->n) : st;
}

/*
 * array_sort(a) is ArraySort(a, default comparator) in Spark, and its
 * generated name spells the comparator lambda out.
 */
static void sql_array_sort(lm_strbuf *sb, const lm_expr *call)
{
    static const char *const v = "namedlambdavariable()";
    lm_strbuf_puts(sb, "array_sort(");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, ", ");
    if (call->nargs == 2) {
        lm_expr_pretty(sb, call->args[1]);
    } else {
        lm_strbuf_printf(sb,
                         "lambdafunction((IF(((%s IS NULL) AND (%s IS NULL)), 0, (IF((%s IS NULL), "
                         "1, (IF((%s IS NULL), -1, (IF((%s < %s), -1, (IF((%s > %s), 1, "
                         "0)))))))))), %s, %s)",
                         v, v, v, v, v, v, v, v, v, v);
    }
    lm_strbuf_putc(sb, ')');
}

/* ------------------------------------------------------------ table */

#define HOF (LM_FN_LAZY | LM_FN_HIGHER_ORDER)

static const lm_func_def k_defs[] = {
    {.name = "transform", .min_args = 2, .max_args = 2, .flags = HOF,
     .resolve = resolve_transform, .eval_lazy = eval_transform},
    {.name = "filter", .min_args = 2, .max_args = 2, .flags = HOF, .resolve = resolve_filter,
     .eval_lazy = eval_filter},
    {.name = "exists", .min_args = 2, .max_args = 2, .flags = HOF, .resolve = resolve_exists,
     .eval_lazy = eval_exists},
    {.name = "forall", .min_args = 2, .max_args = 2, .flags = HOF, .resolve = resolve_exists,
     .eval_lazy = eval_forall},
    {.name = "aggregate", .min_args = 3, .max_args = 4, .flags = HOF,
     .resolve = resolve_aggregate, .eval_lazy = eval_aggregate},
    {.name = "reduce", .min_args = 3, .max_args = 4, .flags = HOF, .resolve = resolve_aggregate,
     .eval_lazy = eval_aggregate},
    {.name = "zip_with", .min_args = 3, .max_args = 3, .flags = HOF,
     .resolve = resolve_zip_with, .eval_lazy = eval_zip_with},
    {.name = "map_filter", .min_args = 2, .max_args = 2, .flags = HOF,
     .resolve = resolve_map_filter, .eval_lazy = eval_map_filter},
    {.name = "map_zip_with", .min_args = 3, .max_args = 3, .flags = HOF,
     .resolve = resolve_map_zip_with, .eval_lazy = eval_map_zip_with},
    {.name = "transform_keys", .min_args = 2, .max_args = 2, .flags = HOF,
     .resolve = resolve_transform_keys, .eval_lazy = eval_transform_keys},
    {.name = "transform_values", .min_args = 2, .max_args = 2, .flags = HOF,
     .resolve = resolve_transform_values, .eval_lazy = eval_transform_values},
    {.name = "array_sort", .min_args = 1, .max_args = 2, .flags = HOF, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_array_sort, .eval_lazy = eval_array_sort, .sql = sql_array_sort},
};

const lm_func_table lm_funcs_hof = {k_defs, sizeof k_defs / sizeof k_defs[0]};
