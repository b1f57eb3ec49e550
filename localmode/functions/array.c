/*
 * Array functions: array_contains, array_position, array_remove,
 * array_distinct, array_union, array_intersect, array_except,
 * arrays_overlap, array_join, array_min, array_max, array_repeat,
 * sort_array, slice, flatten, sequence, arrays_zip, shuffle, array_append,
 * array_prepend, array_insert, array_compact, and the array halves of
 * concat and reverse, which the string family's entries call (families.h). array_sort lives with the higher-order functions because
 * it also takes a comparator lambda.
 *
 * Element comparisons use Spark's ordering semantics (NaN equals NaN,
 * -0.0 equals 0.0, lm_value_equal / lm_value_compare). The set-like
 * functions keep first occurrences in input order and at most one NULL,
 * as Spark's ArrayDistinct / ArrayUnion / ArrayIntersect / ArrayExcept do.
 */
#include <stdio.h>
#include <string.h>

#include "common/xorshift.h"
#include "functions/coll_util.h"
#include "functions/families.h"
#include "types/datetime.h"
#include "types/timezone.h"

/* ------------------------------------------------------------ errors */

/* ARRAY_FUNCTION_DIFF_TYPES: "ARRAY" followed by a value of its element type. */
static lm_status array_value_diff(lm_resolve_ctx *rc, lm_expr *call, int arr, int val,
                                  lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    const char *l = fn_type_q(rc, call->args[arr]->type);
    const char *r = fn_type_q(rc, call->args[val]->type);
    lm_coerce_mismatch(rc, call, err, "ARRAY_FUNCTION_DIFF_TYPES",
                       "Input to %s should have been \"ARRAY\" followed by a value with same "
                       "element type, but it's [%s, %s].",
                       fq, l, r);
    lm_error_param_add(err, "dataType", "\"ARRAY\"");
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "leftType", l);
    lm_error_param_add(err, "rightType", r);
    return LM_ERROR;
}

static lm_status binary_array_diff(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    const char *l = fn_type_q(rc, call->args[0]->type), *r = fn_type_q(rc, call->args[1]->type);
    lm_coerce_mismatch(rc, call, err, "BINARY_ARRAY_DIFF_TYPES",
                       "Input to function %s should have been two \"ARRAY\" with same element "
                       "type, but it's [%s, %s].",
                       fq, l, r);
    lm_error_param_add(err, "arrayType", "\"ARRAY\"");
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "leftType", l);
    lm_error_param_add(err, "rightType", r);
    return LM_ERROR;
}

static lm_status invalid_ordering(lm_resolve_ctx *rc, lm_expr *call, const lm_type *t,
                                  lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    const char *q = fn_type_q(rc, t);
    lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                       "The %s does not support ordering on type %s.", fq, q);
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "dataType", q);
    return LM_ERROR;
}

static lm_status null_type(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    lm_coerce_mismatch(rc, call, err, "NULL_TYPE",
                       "Null typed values cannot be used as arguments of %s.", fq);
    lm_error_param_add(err, "functionName", fq);
    return LM_ERROR;
}

/* INVALID_PARAMETER_VALUE.<sub> raised at run time (slice, array_repeat). */
static lm_status invalid_param(lm_eval_ctx *ec, const lm_expr *call, const char *sub,
                               const char *param, const char *detail)
{
    const char *fn = call->fn->name;
    lm_eval_error(ec, LM_EXC_RUNTIME, sub, "22023",
                  "[%s] The value of parameter(s) `%s` in `%s` is invalid: %s", sub, param, fn,
                  detail);
    char p[64], f[64];
    snprintf(p, sizeof p, "`%s`", param);
    snprintf(f, sizeof f, "`%s`", fn);
    lm_error_param_add(ec->err, "parameter", p);
    lm_error_param_add(ec->err, "functionName", f);
    return LM_ERROR;
}

/*
 * Array argument `arr` and value argument `val` meet at the wider type of
 * the element and the value without string promotion (ArrayContains,
 * ArrayPosition, ArrayRemove, ArrayAppend, ArrayInsert). NULL-typed values
 * are refused when null_type_error (array_contains, array_position).
 */
static lm_status coerce_array_value(lm_resolve_ctx *rc, lm_expr *call, int arr, int val,
                                    bool null_type_error, lm_error *err)
{
    const lm_type *at = call->args[arr]->type, *vt = call->args[val]->type;
    if (null_type_error && vt->id == LM_TYPE_NULL)
        return null_type(rc, call, err);
    if (at->id != LM_TYPE_ARRAY)
        return array_value_diff(rc, call, arr, val, err);
    lm_type *et = cu_keep(rc, lm_coerce_wider_no_string(at->elem, vt));
    if (et == NULL)
        return array_value_diff(rc, call, arr, val, err);
    lm_type *nat = cu_array_of(rc, et, at->contains_null);
    if (nat == NULL)
        return fn_oom(err);
    if (fn_cast_arg(rc, call, arr, nat, err) != LM_OK ||
        fn_cast_arg(rc, call, val, et, err) != LM_OK)
        return LM_ERROR;
    return LM_OK;
}

/* Both arguments arrays meeting at their tightest common element type
   (BinaryArrayExpressionWithImplicitCast). */
static lm_status coerce_two_arrays(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *a = call->args[0]->type, *b = call->args[1]->type;
    if (a->id != LM_TYPE_ARRAY || b->id != LM_TYPE_ARRAY)
        return binary_array_diff(rc, call, err);
    lm_type *et = cu_keep(rc, lm_coerce_tightest(a->elem, b->elem));
    if (et == NULL)
        return binary_array_diff(rc, call, err);
    lm_type *na = cu_array_of(rc, et, a->contains_null), *nb = cu_array_of(rc, et, b->contains_null);
    if (na == NULL || nb == NULL)
        return fn_oom(err);
    if (fn_cast_arg(rc, call, 0, na, err) != LM_OK || fn_cast_arg(rc, call, 1, nb, err) != LM_OK)
        return LM_ERROR;
    return LM_OK;
}

static const lm_type *elem_type(const lm_expr *call, int i)
{
    return call->args[i]->type->elem;
}

/* ---------------------------------------- array_contains, array_position */

static lm_status resolve_array_contains(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_array_value(rc, call, 0, 1, true, err) != LM_OK)
        return LM_ERROR;
    bool pos = call->fn->name[6] == 'p';
    return fn_set_result(rc, call, pos ? lm_type_long() : lm_type_boolean(),
                         fn_args_nullable(call) || (!pos && call->args[0]->type->contains_null),
                         err);
}

static lm_status eval_array_contains(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                     lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    const lm_type *et = elem_type(call, 0);
    bool saw_null = false;
    for (int32_t i = 0; i < a->n; i++) {
        if (a->elems[i].is_null) {
            saw_null = true;
        } else if (lm_value_equal(et, &a->elems[i], &args[1])) {
            *out = lm_value_bool(true);
            return LM_OK;
        }
    }
    *out = saw_null ? lm_value_null() : lm_value_bool(false);
    return LM_OK;
}

static lm_status eval_array_position(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                     lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    const lm_type *et = elem_type(call, 0);
    for (int32_t i = 0; i < a->n; i++)
        if (!a->elems[i].is_null && lm_value_equal(et, &a->elems[i], &args[1])) {
            *out = lm_value_i64(i + 1);
            return LM_OK;
        }
    *out = lm_value_i64(0);
    return LM_OK;
}

/* -------------------------------------------------------- array_remove */

static lm_status resolve_array_remove(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_array_value(rc, call, 0, 1, false, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_array_remove(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    const lm_type *et = elem_type(call, 0);
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < a->n; i++)
        if (a->elems[i].is_null || !lm_value_equal(et, &a->elems[i], &args[1]))
            e[n++] = a->elems[i];
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------ distinct and set ops */

static lm_status resolve_array_distinct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

/* Appends the distinct elements of a not yet in `seen` to out. */
static lm_status add_distinct(cu_vset *seen, bool *null_seen, const lm_array_value *a,
                              lm_value *out, int32_t *n)
{
    for (int32_t i = 0; i < a->n; i++) {
        const lm_value *v = &a->elems[i];
        if (v->is_null) {
            if (!*null_seen)
                out[(*n)++] = *v;
            *null_seen = true;
            continue;
        }
        int32_t idx;
        bool added;
        if (cu_vset_add(seen, v, &idx, &added) != LM_OK)
            return LM_ENOMEM;
        if (added)
            out[(*n)++] = *v;
    }
    return LM_OK;
}

static lm_status eval_array_distinct(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                     lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    cu_vset seen;
    cu_vset_init(&seen, ec, elem_type(call, 0));
    bool null_seen = false;
    int32_t n = 0;
    if (add_distinct(&seen, &null_seen, a, e, &n) != LM_OK)
        return LM_ENOMEM;
    return fn_out_array(ec, out, e, n);
}

static lm_status resolve_set_op(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_two_arrays(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_type *a = call->args[0]->type, *b = call->args[1]->type;
    bool cn;
    switch (call->fn->name[6]) {
    case 'u': cn = a->contains_null || b->contains_null; break; /* array_union */
    case 'i': cn = a->contains_null && b->contains_null; break; /* array_intersect */
    default: cn = a->contains_null; break;                      /* array_except */
    }
    return fn_set_result(rc, call, lm_type_array(a->elem, cn), fn_args_nullable(call), err);
}

static lm_status eval_array_union(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                  lm_value *out)
{
    const lm_array_value *a = args[0].u.arr, *b = args[1].u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n + (size_t)b->n);
    if (e == NULL)
        return LM_ENOMEM;
    cu_vset seen;
    cu_vset_init(&seen, ec, elem_type(call, 0));
    bool null_seen = false;
    int32_t n = 0;
    if (add_distinct(&seen, &null_seen, a, e, &n) != LM_OK ||
        add_distinct(&seen, &null_seen, b, e, &n) != LM_OK)
        return LM_ENOMEM;
    return fn_out_array(ec, out, e, n);
}

/* array_intersect keeps a's distinct elements found in b; array_except
   those not found in b. */
static lm_status eval_intersect_except(lm_eval_ctx *ec, const lm_expr *call,
                                       const lm_value *args, lm_value *out, bool keep_found)
{
    const lm_array_value *a = args[0].u.arr, *b = args[1].u.arr;
    const lm_type *et = elem_type(call, 0);
    cu_vset inb, seen;
    cu_vset_init(&inb, ec, et);
    cu_vset_init(&seen, ec, et);
    bool b_null = false, null_done = false;
    for (int32_t i = 0; i < b->n; i++) {
        int32_t idx;
        bool added;
        if (b->elems[i].is_null)
            b_null = true;
        else if (cu_vset_add(&inb, &b->elems[i], &idx, &added) != LM_OK)
            return LM_ENOMEM;
    }
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < a->n; i++) {
        const lm_value *v = &a->elems[i];
        if (v->is_null) {
            if (!null_done && b_null == keep_found)
                e[n++] = *v;
            null_done = true;
            continue;
        }
        if ((cu_vset_find(&inb, v) >= 0) != keep_found)
            continue;
        int32_t idx;
        bool added;
        if (cu_vset_add(&seen, v, &idx, &added) != LM_OK)
            return LM_ENOMEM;
        if (added)
            e[n++] = *v;
    }
    return fn_out_array(ec, out, e, n);
}

static lm_status eval_array_intersect(lm_eval_ctx *ec, const lm_expr *call,
                                      const lm_value *args, lm_value *out)
{
    return eval_intersect_except(ec, call, args, out, true);
}

static lm_status eval_array_except(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    return eval_intersect_except(ec, call, args, out, false);
}

static lm_status resolve_arrays_overlap(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_two_arrays(rc, call, err) != LM_OK)
        return LM_ERROR;
    bool nullable = fn_args_nullable(call) || call->args[0]->type->contains_null ||
                    call->args[1]->type->contains_null;
    return fn_set_result(rc, call, lm_type_boolean(), nullable, err);
}

/* true on a common non-NULL element; else NULL when both are non-empty
   and one holds a NULL; else false. */
static lm_status eval_arrays_overlap(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                     lm_value *out)
{
    const lm_array_value *a = args[0].u.arr, *b = args[1].u.arr;
    const lm_type *et = elem_type(call, 0);
    cu_vset s;
    cu_vset_init(&s, ec, et);
    bool has_null = false;
    for (int32_t i = 0; i < a->n; i++) {
        int32_t idx;
        bool added;
        if (a->elems[i].is_null)
            has_null = true;
        else if (cu_vset_add(&s, &a->elems[i], &idx, &added) != LM_OK)
            return LM_ENOMEM;
    }
    for (int32_t i = 0; i < b->n; i++) {
        if (b->elems[i].is_null)
            has_null = true;
        else if (cu_vset_find(&s, &b->elems[i]) >= 0) {
            *out = lm_value_bool(true);
            return LM_OK;
        }
    }
    *out = (has_null && a->n > 0 && b->n > 0) ? lm_value_null() : lm_value_bool(false);
    return LM_OK;
}

/* ---------------------------------------------------------- array_join */

static lm_status resolve_array_join(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *as = cu_array_of(rc, lm_type_string(), true);
    if (as == NULL)
        return fn_oom(err);
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL || (t->id == LM_TYPE_ARRAY && fn_implicit_ok(t->elem, lm_type_string()) &&
                                  !lm_type_is_complex(t->elem))) {
        lm_type *target = t->id == LM_TYPE_ARRAY ? cu_array_of(rc, lm_type_string(), t->contains_null) : as;
        if (target == NULL || fn_cast_arg(rc, call, 0, target, err) != LM_OK)
            return LM_ERROR;
    } else {
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY<STRING>\"", err);
    }
    for (int i = 1; i < call->nargs; i++)
        if (call->args[i]->type->id != LM_TYPE_STRING &&
            fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), fn_args_nullable(call), err);
}

static lm_status eval_array_join(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    const lm_value *repl = call->nargs > 2 ? &args[2] : NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    bool first = true;
    for (int32_t i = 0; i < a->n; i++) {
        const lm_value *v = &a->elems[i];
        if (v->is_null) {
            if (repl == NULL)
                continue;
            v = repl;
        }
        if (!first)
            lm_strbuf_append(&sb, args[1].u.str.ptr, (size_t)args[1].u.str.len);
        lm_strbuf_append(&sb, v->u.str.ptr, (size_t)v->u.str.len);
        first = false;
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------- array_min, array_max */

static lm_status resolve_array_extreme(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *et = elem_type(call, 0);
    if (!lm_type_is_orderable(et))
        return invalid_ordering(rc, call, et, err);
    return fn_set_result(rc, call, lm_type_ref((lm_type *)et), true, err);
}

static lm_status eval_array_extreme(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                    lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    const lm_type *et = elem_type(call, 0);
    int sign = call->fn->name[7] == 'a' ? 1 : -1; /* array_max / array_min */
    *out = lm_value_null();
    for (int32_t i = 0; i < a->n; i++) {
        const lm_value *v = &a->elems[i];
        if (v->is_null)
            continue;
        if (out->is_null || sign * lm_value_compare(et, v, out) > 0)
            *out = *v;
    }
    return LM_OK;
}

/* -------------------------------------------------------- array_repeat */

static lm_status resolve_array_repeat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(call->args[0]->type, call->args[0]->nullable),
                         call->args[1]->nullable, err);
}

/* Spark's ByteArrayMethods.MAX_ROUNDED_ARRAY_LENGTH */
#define MAX_ARRAY_LENGTH 2147483632

static lm_status too_long_array(lm_eval_ctx *ec, const lm_expr *call, int64_t n)
{
    char len[32], max[32];
    snprintf(len, sizeof len, "%lld", (long long)n);
    snprintf(max, sizeof max, "%d", MAX_ARRAY_LENGTH);
    lm_eval_error(ec, LM_EXC_RUNTIME, "COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER", "54000",
                  "[COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER] Can't create array with %s "
                  "elements which exceeding the array size limit %s, the value of parameter(s) "
                  "`count` in `%s` is invalid.",
                  len, max, call->fn->name);
    lm_error_param_add(ec->err, "numberOfElements", len);
    lm_error_param_add(ec->err, "maxRoundedArrayLength", max);
    return LM_ERROR;
}

static lm_status eval_array_repeat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    if (args[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int64_t n = args[1].u.i64 < 0 ? 0 : args[1].u.i64;
    /* arrays live in memory here; refuse sizes no machine could build */
    if (n > MAX_ARRAY_LENGTH || n > (1 << 26))
        return too_long_array(ec, call, n);
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        e[i] = args[0];
    return fn_out_array(ec, out, e, (int32_t)n);
}

/* ----------------------------------------------------------- sort_array */

static lm_status resolve_sort_array(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_ARRAY)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY\"", err);
    const lm_type *et = elem_type(call, 0);
    if (!lm_type_is_orderable(et))
        return invalid_ordering(rc, call, et, err);
    if (call->nargs == 2) {
        const lm_expr *asc = call->args[1];
        if (asc->kind != LM_EXPR_LITERAL || asc->type->id != LM_TYPE_BOOLEAN)
            return lm_coerce_unexpected_input(rc, call, 1, "\"BOOLEAN\"", err);
    }
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

typedef struct order_ctx {
    const lm_type *t;
    bool desc;
} order_ctx;

/* Ascending puts NULLs first, descending last (NULL is the smallest value). */
static int cmp_order(void *ctx, const lm_value *a, const lm_value *b, lm_status *st)
{
    const order_ctx *o = ctx;
    int c = lm_value_compare_nulls(o->t, a, b, true);
    return o->desc ? -c : c;
}

static lm_status eval_sort_array(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    if (args[0].is_null || (call->nargs == 2 && args[1].is_null)) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *a = args[0].u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    if (a->n)
        memcpy(e, a->elems, sizeof *e * (size_t)a->n);
    order_ctx o = {elem_type(call, 0), call->nargs == 2 && !args[1].u.b};
    lm_status st = cu_sort(ec, e, a->n, cmp_order, &o);
    return st == LM_OK ? fn_out_array(ec, out, e, a->n) : st;
}

/* ---------------------------------------------------------------- slice */

static lm_status resolve_slice(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK || cu_need_int(rc, call, 1, err) != LM_OK ||
        cu_need_int(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_slice(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    int64_t start = args[1].u.i64, len = args[2].u.i64;
    if (start == 0)
        return invalid_param(ec, call, "INVALID_PARAMETER_VALUE.START", "start",
                             "Expects a positive or a negative value for `start`, but got 0.");
    if (len < 0) {
        char d[96];
        snprintf(d, sizeof d, "Expects `length` greater than or equal to 0, but got %lld.",
                 (long long)len);
        invalid_param(ec, call, "INVALID_PARAMETER_VALUE.LENGTH", "length", d);
        char l[32];
        snprintf(l, sizeof l, "%lld", (long long)len);
        lm_error_param_add(ec->err, "length", l);
        return LM_ERROR;
    }
    int64_t from = start < 0 ? start + a->n : start - 1;
    if (from < 0 || from >= a->n)
        return cu_out_empty_array(ec, out);
    int64_t n = a->n - from < len ? a->n - from : len;
    return fn_out_array(ec, out, a->elems + from, (int32_t)n);
}

/* -------------------------------------------------------------- flatten */

static lm_status resolve_flatten(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_ARRAY)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY\" of \"ARRAY\"", err);
    return fn_set_result(rc, call, lm_type_ref(t->elem),
                         call->args[0]->nullable || t->contains_null, err);
}

static lm_status eval_flatten(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                              lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    int64_t total = 0;
    for (int32_t i = 0; i < a->n; i++) {
        if (a->elems[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        total += a->elems[i].u.arr->n;
    }
    if (total > MAX_ARRAY_LENGTH)
        return too_long_array(ec, call, total);
    lm_value *e = fn_values(ec, (size_t)total);
    if (e == NULL)
        return LM_ENOMEM;
    int64_t n = 0;
    for (int32_t i = 0; i < a->n; i++) {
        const lm_array_value *in = a->elems[i].u.arr;
        if (in->n)
            memcpy(e + n, in->elems, sizeof *e * (size_t)in->n);
        n += in->n;
    }
    return fn_out_array(ec, out, e, (int32_t)n);
}

/* ------------------------------------------------------------- sequence */

static bool is_interval(const lm_type *t)
{
    return t->id == LM_TYPE_INTERVAL || t->id == LM_TYPE_YM_INTERVAL ||
           t->id == LM_TYPE_DT_INTERVAL;
}

static lm_status sequence_wrong_types(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_strbuf ts;
    lm_strbuf_init(&ts);
    lm_strbuf_putc(&ts, '[');
    for (int i = 0; i < call->nargs; i++) {
        if (i)
            lm_strbuf_puts(&ts, ", ");
        lm_strbuf_puts(&ts, fn_type_q(rc, call->args[i]->type));
    }
    lm_strbuf_putc(&ts, ']');
    const char *fq = cu_fname(rc, call);
    lm_coerce_mismatch(rc, call, err, "SEQUENCE_WRONG_INPUT_TYPES",
                       "%s uses the wrong parameter type. The parameter type must conform to:\n"
                       "1. The start and stop expressions must resolve to the same type.\n"
                       "2. If start and stop expressions resolve to the \"DATE\" or "
                       "\"TIMESTAMP\" type\nthen the step expression must resolve to the "
                       "\"INTERVAL\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL DAY TO SECOND\" "
                       "type,\notherwise to the same type as the start and stop expressions.",
                       fq);
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "startType", "(\"TIMESTAMP\" or \"TIMESTAMP_NTZ\" or \"DATE\")");
    lm_error_param_add(err, "stepType", lm_strbuf_cstr(&ts));
    lm_error_param_add(err, "otherStartType", "\"INTERVAL\"");
    lm_strbuf_free(&ts);
    return LM_ERROR;
}

static lm_status resolve_sequence(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    /* start, stop and an integral step meet at their wider common type */
    lm_expr *co[3];
    int nco = 0;
    for (int i = 0; i < call->nargs; i++)
        if (!(i == 2 && is_interval(call->args[i]->type)))
            co[nco++] = call->args[i];
    lm_type *t = cu_keep(rc, lm_coerce_wider_all(co, nco, true));
    if (t == NULL)
        return sequence_wrong_types(rc, call, err);
    bool temporal = t->id == LM_TYPE_DATE || t->id == LM_TYPE_TIMESTAMP ||
                    t->id == LM_TYPE_TIMESTAMP_NTZ;
    if (!lm_type_is_integral(t) && !temporal)
        return sequence_wrong_types(rc, call, err);
    if (call->nargs == 3 && (temporal != is_interval(call->args[2]->type)))
        return sequence_wrong_types(rc, call, err);
    for (int i = 0; i < call->nargs; i++)
        if (!(i == 2 && temporal) && fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(t, false), fn_args_nullable(call), err);
}

static lm_status illegal_sequence(lm_eval_ctx *ec, const char *start, const char *stop,
                                  const char *step)
{
    return lm_eval_error(ec, "java.lang.IllegalArgumentException", NULL, NULL,
                         "Illegal sequence boundaries: %s to %s by %s", start, stop, step);
}

static lm_status too_long_sequence(lm_eval_ctx *ec, int64_t n)
{
    return lm_eval_error(ec, LM_EXC_RUNTIME, "_LEGACY_ERROR_TEMP_2161", NULL,
                         "Too long sequence: %lld. Should be <= %d", (long long)n,
                         MAX_ARRAY_LENGTH);
}

/* Integral sequences: step defaults to 1 or -1; arithmetic in 64 bits with
   the result wrapped to the element type as Spark's Long/Int code does. */
static lm_status eval_sequence_integral(lm_eval_ctx *ec, const lm_expr *call,
                                        const lm_value *args, lm_value *out)
{
    int64_t start = args[0].u.i64, stop = args[1].u.i64;
    int64_t step = call->nargs == 3 ? args[2].u.i64 : (start <= stop ? 1 : -1);
    if (!((step > 0 && start <= stop) || (step < 0 && start >= stop) ||
          (step == 0 && start == stop))) {
        char a[32], b[32], c[32];
        snprintf(a, sizeof a, "%lld", (long long)start);
        snprintf(b, sizeof b, "%lld", (long long)stop);
        snprintf(c, sizeof c, "%lld", (long long)step);
        return illegal_sequence(ec, a, b, c);
    }
    __int128 len = step == 0 ? 1 : ((__int128)stop - start) / step + 1;
    if (len > MAX_ARRAY_LENGTH || len > (1 << 26))
        return too_long_sequence(ec, (int64_t)len);
    lm_value *e = fn_values(ec, (size_t)len);
    if (e == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < (int64_t)len; i++)
        e[i] = lm_value_i64(start + i * step);
    return fn_out_array(ec, out, e, (int32_t)len);
}

/* Adds months, days and microseconds to a timestamp the way Spark's
   timestampAddInterval does: months and days on the local date-time in
   zone tz (NULL for TIMESTAMP_NTZ), then the microseconds. */
static bool ts_add(int64_t micros, int32_t months, int32_t days, int64_t us, const lm_tz *tz,
                   int64_t *out)
{
    lm_datetime_fields f;
    if (tz)
        lm_ts_fields(micros, tz, &f);
    else
        lm_ts_ntz_fields(micros, &f);
    int32_t d = f.days;
    if (months && !lm_date_add_months(d, months, &d))
        return false;
    d += days;
    int64_t local = (int64_t)d * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
    int64_t secs = tz ? lm_tz_local_to_utc_seconds(tz, local, f.offset) : local;
    *out = secs * 1000000 + f.micros + us;
    return true;
}

static lm_status eval_sequence_temporal(lm_eval_ctx *ec, const lm_expr *call,
                                        const lm_value *args, lm_value *out)
{
    const lm_type *t = call->type->elem;
    bool is_date = t->id == LM_TYPE_DATE;
    const lm_tz *tz = t->id == LM_TYPE_TIMESTAMP ? ec->tz : NULL;
    int64_t start = args[0].u.i64, stop = args[1].u.i64;
    if (is_date) {
        /* dates step through midnights in UTC, as Spark's DateType path */
        start *= 86400000000LL;
        stop *= 86400000000LL;
    }
    int32_t months = 0, days = 0;
    int64_t us = 0;
    if (call->nargs == 3) {
        const lm_type *st = call->args[2]->type;
        if (st->id == LM_TYPE_INTERVAL) {
            months = args[2].u.iv.months;
            days = args[2].u.iv.days;
            us = args[2].u.iv.micros;
        } else if (st->id == LM_TYPE_YM_INTERVAL) {
            months = (int32_t)args[2].u.i64;
        } else {
            us = args[2].u.i64;
        }
    } else {
        days = start <= stop ? 1 : -1;
    }
    if (is_date && us % 86400000000LL != 0)
        return lm_eval_error(ec, "java.lang.IllegalArgumentException", NULL, NULL,
                             "sequence step must be a day interval if start and end values are "
                             "dates");
    /* the step's sign and a length estimate use 28-day months for growth
       (the shortest month), as Spark's estimate does */
    __int128 step_est = (__int128)us + (__int128)days * 86400000000LL +
                        (__int128)months * 28 * 86400000000LL;
    if (!((step_est > 0 && start <= stop) || (step_est < 0 && start >= stop) ||
          (step_est == 0 && start == stop))) {
        char a[64], b[64], c[64];
        snprintf(a, sizeof a, "%lld", (long long)start);
        snprintf(b, sizeof b, "%lld", (long long)stop);
        snprintf(c, sizeof c, "%lld", (long long)step_est);
        return illegal_sequence(ec, a, b, c);
    }
    int64_t est = step_est == 0 ? 1 : (int64_t)(((__int128)stop - start) / step_est + 1);
    if (est > (1 << 26))
        return too_long_sequence(ec, est);
    lm_value *e = fn_values(ec, (size_t)est + 1);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    int64_t cur = start;
    int sign = step_est >= 0 ? 1 : -1;
    while (n <= est && (sign > 0 ? cur <= stop : cur >= stop)) {
        e[n] = lm_value_i64(is_date ? lm_floor_div(cur, 86400000000LL) : cur);
        n++;
        if (step_est == 0)
            break;
        if (!ts_add(start, months * n, days * n, us * n, is_date ? NULL : tz, &cur))
            break;
    }
    return fn_out_array(ec, out, e, n);
}

static lm_status eval_sequence(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    if (lm_type_is_integral(call->type->elem))
        return eval_sequence_integral(ec, call, args, out);
    return eval_sequence_temporal(ec, call, args, out);
}

/* ----------------------------------------------------------- arrays_zip */

/* Field names of ArraysZip: a named argument's name, else its position. */
static const char *zip_field_name(lm_resolve_ctx *rc, const lm_expr *a, int i)
{
    switch (a->kind) {
    case LM_EXPR_ALIAS:
    case LM_EXPR_BOUND:
    case LM_EXPR_OUTER:
    case LM_EXPR_FIELD:
    case LM_EXPR_LAMBDA_VAR:
        if (a->name)
            return a->name;
        break;
    default:
        break;
    }
    return lm_arena_printf(rc->a, "%d", i);
}

static lm_status resolve_arrays_zip(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    int n = call->nargs;
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(n ? n : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < n; i++) {
        if (cu_need_array(rc, call, i, err) != LM_OK)
            return LM_ERROR;
        fs[i].name = (char *)zip_field_name(rc, call->args[i], i);
        fs[i].type = call->args[i]->type->elem;
        fs[i].nullable = true;
        if (fs[i].name == NULL)
            return fn_oom(err);
    }
    lm_type *st = cu_keep(rc, lm_type_struct(fs, n));
    if (st == NULL)
        return fn_oom(err);
    return fn_set_result(rc, call, lm_type_array(st, false), fn_args_nullable(call), err);
}

static lm_status eval_arrays_zip(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    int32_t len = 0;
    for (int i = 0; i < call->nargs; i++) {
        if (args[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        if (args[i].u.arr->n > len)
            len = args[i].u.arr->n;
    }
    lm_value *e = fn_values(ec, (size_t)len);
    lm_value *f = fn_values(ec, (size_t)len * (size_t)(call->nargs ? call->nargs : 1));
    if (e == NULL || f == NULL)
        return LM_ENOMEM;
    for (int32_t r = 0; r < len; r++) {
        lm_value *row = f + (size_t)r * (size_t)call->nargs;
        for (int i = 0; i < call->nargs; i++)
            row[i] = r < args[i].u.arr->n ? args[i].u.arr->elems[r] : lm_value_null();
        if (cu_out_struct(ec, &e[r], row, call->nargs) != LM_OK)
            return LM_ENOMEM;
    }
    return fn_out_array(ec, out, e, len);
}

/* -------------------------------------------------------------- shuffle */

/*
 * shuffle follows Spark's RandomIndicesGenerator: a Fisher-Yates pass
 * driven by XORShiftRandom(seed + partition index), whose seed is scrambled
 * with Scala's MurmurHash3.bytesHash. Spark picks the seed at random when
 * the query is analysed; localmode uses the optional second argument, else
 * 0, so results are reproducible. The generator state carries over from
 * row to row within one execution, as it does within a Spark task.
 */
typedef struct shuffle_state {
    const void *exec; /* the execution the state belongs to */
    int64_t seed;
    lm_xorshift x;
} shuffle_state;

static lm_status resolve_shuffle(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    shuffle_state *s = lm_arena_calloc(rc->a, 1, sizeof *s);
    if (s == NULL)
        return fn_oom(err);
    if (call->nargs == 2) {
        lm_value v;
        if (!lm_type_is_integral(call->args[1]->type) || !fn_const_value(rc, call->args[1], &v))
            return lm_coerce_unexpected_input(rc, call, 1, "\"BIGINT\"", err);
        s->seed = v.is_null ? 0 : v.u.i64;
    }
    call->aux = s;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

static lm_status eval_shuffle(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                              lm_value *out)
{
    shuffle_state *s = call->aux;
    if (s->exec != (const void *)ec->exec || s->x.seed == 0) {
        s->exec = ec->exec;
        /* Spark seeds each partition's generator with seed + partition index */
        lm_xorshift_init(&s->x, s->seed + lm_func_partition_index());
    }
    const lm_array_value *a = args[0].u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    int32_t *idx = fn_alloc(ec, sizeof *idx * (size_t)(a->n ? a->n : 1));
    if (e == NULL || idx == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < a->n; i++)
        idx[i] = i;
    for (int32_t i = a->n - 1; i >= 1; i--) {
        int32_t j = lm_xorshift_next_int(&s->x, i + 1);
        int32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    for (int32_t i = 0; i < a->n; i++)
        e[i] = a->elems[idx[i]];
    return fn_out_array(ec, out, e, a->n);
}

/* ------------------------------------- array_append, prepend, insert */

static lm_status resolve_array_append(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_array_value(rc, call, 0, 1, false, err) != LM_OK)
        return LM_ERROR;
    const lm_type *at = call->args[0]->type;
    return fn_set_result(rc, call,
                         lm_type_array(at->elem, at->contains_null || call->args[1]->nullable),
                         call->args[0]->nullable, err);
}

static lm_status eval_array_append(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    if (args[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *a = args[0].u.arr;
    bool prepend = call->fn->name[6] == 'p';
    lm_value *e = fn_values(ec, (size_t)a->n + 1);
    if (e == NULL)
        return LM_ENOMEM;
    if (a->n)
        memcpy(e + (prepend ? 1 : 0), a->elems, sizeof *e * (size_t)a->n);
    e[prepend ? 0 : a->n] = args[1];
    return fn_out_array(ec, out, e, a->n + 1);
}

static lm_status resolve_array_insert(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (coerce_array_value(rc, call, 0, 2, false, err) != LM_OK ||
        cu_need_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    const lm_type *at = call->args[0]->type;
    /* positions past the end pad with NULLs, so the result may hold NULLs */
    return fn_set_result(rc, call, lm_type_array(at->elem, true),
                         call->args[0]->nullable || call->args[1]->nullable, err);
}

/*
 * array_insert(arr, pos, v): 1-based; pos 0 is INVALID_INDEX_OF_ZERO;
 * negative positions count from the end with -1 appending (Spark 3.5's
 * default, spark.sql.legacy.negativeIndexInArrayInsert=false); positions
 * beyond either end pad with NULLs.
 */
static lm_status eval_array_insert(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    if (args[0].is_null || args[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *a = args[0].u.arr;
    int64_t pos = args[1].u.i64;
    if (pos == 0)
        return lm_eval_error(ec, LM_EXC_RUNTIME, "INVALID_INDEX_OF_ZERO", "22003",
                             "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be "
                             "either < 0 or > 0 (the first element has index 1).");
    bool legacy = cu_conf_bool(ec, "spark.sql.legacy.negativeIndexInArrayInsert", false);
    int64_t at; /* 0-based slot of v in the result */
    int64_t total;
    int64_t lead = 0; /* NULLs put before the original elements */
    if (pos > 0) {
        at = pos - 1;
        total = at >= a->n ? at + 1 : (int64_t)a->n + 1;
    } else {
        /* elements that follow v: -1 appends (none follow) unless legacy */
        int64_t from_end = legacy ? -pos : -pos - 1;
        if (from_end > a->n) {
            lead = from_end - a->n;
            at = 0;
            total = (int64_t)a->n + lead + 1;
        } else {
            at = a->n - from_end;
            total = (int64_t)a->n + 1;
        }
    }
    if (total > (1 << 26))
        return too_long_array(ec, call, total);
    lm_value *e = fn_values(ec, (size_t)total);
    if (e == NULL)
        return LM_ENOMEM;
    if (lead) {
        /* v first, NULLs up to the original elements, then the array */
        e[0] = args[2];
        for (int64_t i = 1; i <= lead; i++)
            e[i] = lm_value_null();
        for (int32_t i = 0; i < a->n; i++)
            e[lead + 1 + i] = a->elems[i];
        return fn_out_array(ec, out, e, (int32_t)total);
    }
    for (int64_t i = 0; i < total; i++) {
        if (i == at)
            e[i] = args[2];
        else if (i < at)
            e[i] = i < a->n ? a->elems[i] : lm_value_null();
        else
            e[i] = a->elems[i - 1];
    }
    return fn_out_array(ec, out, e, (int32_t)total);
}

static lm_status resolve_array_compact(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(call->args[0]->type), call->args[0]->nullable,
                         err);
}

static lm_status eval_array_compact(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                    lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t n = 0;
    for (int32_t i = 0; i < a->n; i++)
        if (!a->elems[i].is_null)
            e[n++] = a->elems[i];
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------ concat and reverse of arrays */

/* The array half of concat (the string family resolves the call and
   delegates here once every argument is an array): NULL if any input is. */
lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out)
{
    int64_t total = 0;
    for (int i = 0; i < call->nargs; i++) {
        if (args[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        total += args[i].u.arr->n;
    }
    if (total > MAX_ARRAY_LENGTH) {
        char n[32], m[32];
        snprintf(n, sizeof n, "%lld", (long long)total);
        snprintf(m, sizeof m, "%d", MAX_ARRAY_LENGTH);
        lm_eval_error(ec, LM_EXC_RUNTIME, "COLLECTION_SIZE_LIMIT_EXCEEDED.FUNCTION", "54000",
                      "[COLLECTION_SIZE_LIMIT_EXCEEDED.FUNCTION] Can't create array with %s "
                      "elements which exceeding the array size limit %s, unsuccessful try to "
                      "create arrays in the function `concat`.",
                      n, m);
        lm_error_param_add(ec->err, "numberOfElements", n);
        lm_error_param_add(ec->err, "maxRoundedArrayLength", m);
        lm_error_param_add(ec->err, "functionName", "`concat`");
        return LM_ERROR;
    }
    lm_value *e = fn_values(ec, (size_t)total);
    if (e == NULL)
        return LM_ENOMEM;
    int64_t k = 0;
    for (int i = 0; i < call->nargs; i++) {
        const lm_array_value *a = args[i].u.arr;
        if (a->n)
            memcpy(e + k, a->elems, sizeof *e * (size_t)a->n);
        k += a->n;
    }
    return fn_out_array(ec, out, e, (int32_t)total);
}

/* The array half of reverse. */
lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out)
{
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *a = in->u.arr;
    lm_value *e = fn_values(ec, (size_t)a->n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < a->n; i++)
        e[i] = a->elems[a->n - 1 - i];
    return fn_out_array(ec, out, e, a->n);
}

/* ------------------------------------------------------------ table */

static const lm_func_def k_defs[] = {
    {.name = "array_contains", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_contains, .eval = eval_array_contains},
    {.name = "array_position", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_contains, .eval = eval_array_position},
    {.name = "array_remove", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_remove, .eval = eval_array_remove},
    {.name = "array_distinct", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_distinct, .eval = eval_array_distinct},
    {.name = "array_union", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_set_op, .eval = eval_array_union},
    {.name = "array_intersect", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_set_op, .eval = eval_array_intersect},
    {.name = "array_except", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_set_op, .eval = eval_array_except},
    {.name = "arrays_overlap", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_arrays_overlap, .eval = eval_arrays_overlap},
    {.name = "array_join", .min_args = 2, .max_args = 3, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_join, .eval = eval_array_join},
    {.name = "array_max", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_extreme, .eval = eval_array_extreme},
    {.name = "array_min", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_extreme, .eval = eval_array_extreme},
    {.name = "array_repeat", .min_args = 2, .max_args = 2, .resolve = resolve_array_repeat,
     .eval = eval_array_repeat},
    {.name = "sort_array", .min_args = 1, .max_args = 2, .resolve = resolve_sort_array,
     .eval = eval_sort_array},
    {.name = "slice", .min_args = 3, .max_args = 3, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_slice, .eval = eval_slice},
    {.name = "flatten", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_flatten, .eval = eval_flatten},
    {.name = "sequence", .min_args = 2, .max_args = 3, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_sequence, .eval = eval_sequence},
    {.name = "arrays_zip", .min_args = 0, .max_args = -1, .resolve = resolve_arrays_zip,
     .eval = eval_arrays_zip},
    {.name = "shuffle", .min_args = 1, .max_args = 2,
     .flags = LM_FN_NULL_INTOLERANT | LM_FN_NONDETERMINISTIC, .resolve = resolve_shuffle,
     .eval = eval_shuffle},
    {.name = "array_append", .min_args = 2, .max_args = 2, .resolve = resolve_array_append,
     .eval = eval_array_append},
    {.name = "array_prepend", .min_args = 2, .max_args = 2, .resolve = resolve_array_append,
     .eval = eval_array_append},
    {.name = "array_insert", .min_args = 3, .max_args = 3, .resolve = resolve_array_insert,
     .eval = eval_array_insert},
    {.name = "array_compact", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_array_compact, .eval = eval_array_compact},
};

const lm_func_table lm_funcs_array = {k_defs, sizeof k_defs / sizeof k_defs[0]};
