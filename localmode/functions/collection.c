/*
 * Collection constructors and map functions: array, map, named_struct,
 * struct (also the row constructor `(a, b)`), map_from_arrays,
 * map_from_entries, map_keys, map_values, map_entries, map_concat,
 * map_contains_key, size / cardinality / array_size, element_at,
 * try_element_at and get. The array-manipulation functions are in
 * array.c, higher-order functions in hof.c.
 *
 * Coercion follows Spark 3.5's non-ANSI rules: constructors widen their
 * elements to findWiderCommonType (string promotion included), key lookups
 * meet at the tightest or wider-without-string-promotion type as each Spark
 * expression chooses. Maps are built as ArrayBasedMapBuilder does
 * (coll_util.h): NULL keys and, by default, duplicate keys are errors.
 */
#include <stdio.h>
#include <string.h>

#include "functions/coll_util.h"
#include "functions/families.h"
#include "session/session.h"

/* ------------------------------------------------------------- array() */

static lm_status resolve_array(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *t = cu_keep(rc, lm_coerce_wider_all(call->args, call->nargs, true));
    if (t == NULL)
        return cu_data_diff_types(rc, call, 0, 1, err);
    bool contains_null = false;
    for (int i = 0; i < call->nargs; i++) {
        if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return LM_ERROR;
        contains_null |= call->args[i]->nullable;
    }
    return fn_set_result(rc, call, lm_type_array(t, contains_null), false, err);
}

static lm_status eval_array(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    lm_value *e = fn_values(ec, (size_t)call->nargs);
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, args, sizeof *e * (size_t)call->nargs);
    return fn_out_array(ec, out, e, call->nargs);
}

/* --------------------------------------------------------------- map() */

/* WRONG_NUM_ARGS for map / named_struct, which take key-value pairs. */
static lm_status wrong_pairs(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    char actual[16];
    snprintf(actual, sizeof actual, "%d", call->nargs);
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "42605",
                 "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The %s requires 2n (n > 0) parameters but "
                 "the actual number is %d. Please, refer to "
                 "'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
                 fq, call->nargs);
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "expectedNum", "2n (n > 0)");
    lm_error_param_add(err, "actualNum", actual);
    lm_error_set_context(err, call->start, call->stop);
    return LM_ERROR;
}

/* Widens args[from], args[from+2], ... to one type (the keys or values of
   map()); CREATE_MAP_KEY/VALUE_DIFF_TYPES when impossible. */
static lm_status widen_every_other(lm_resolve_ctx *rc, lm_expr *call, int from, lm_type **out,
                                   lm_error *err)
{
    int n = (call->nargs + 1 - from) / 2;
    lm_expr **es = lm_arena_alloc(rc->a, sizeof *es * (size_t)(n ? n : 1));
    if (es == NULL)
        return fn_oom(err);
    for (int i = 0; i < n; i++)
        es[i] = call->args[from + 2 * i];
    lm_type *t = cu_keep(rc, lm_coerce_wider_all(es, n, true));
    if (t == NULL) {
        lm_strbuf ts;
        lm_strbuf_init(&ts);
        lm_strbuf_putc(&ts, '[');
        for (int i = 0; i < n; i++) {
            if (i)
                lm_strbuf_puts(&ts, ", ");
            lm_strbuf_puts(&ts, fn_type_q(rc, es[i]->type));
        }
        lm_strbuf_putc(&ts, ']');
        const char *fq = cu_fname(rc, call);
        lm_coerce_mismatch(rc, call, err,
                           from == 0 ? "CREATE_MAP_KEY_DIFF_TYPES" : "CREATE_MAP_VALUE_DIFF_TYPES",
                           "The given %s of function %s should all be the same type, but they are "
                           "%s.",
                           from == 0 ? "keys" : "values", fq, lm_strbuf_cstr(&ts));
        lm_error_param_add(err, "functionName", fq);
        lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
        lm_strbuf_free(&ts);
        return LM_ERROR;
    }
    for (int i = from; i < call->nargs; i += 2)
        if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return LM_ERROR;
    *out = t;
    return LM_OK;
}

static lm_status resolve_map(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs % 2)
        return wrong_pairs(rc, call, err);
    lm_type *kt, *vt;
    if (widen_every_other(rc, call, 0, &kt, err) != LM_OK ||
        widen_every_other(rc, call, 1, &vt, err) != LM_OK)
        return LM_ERROR;
    if (kt->id == LM_TYPE_MAP) {
        const char *q = fn_type_q(rc, kt);
        lm_coerce_mismatch(rc, call, err, "INVALID_MAP_KEY_TYPE",
                           "The key of map cannot be/contain %s.", q);
        lm_error_param_add(err, "keyType", q);
        return LM_ERROR;
    }
    bool vnull = false;
    for (int i = 1; i < call->nargs; i += 2)
        vnull |= call->args[i]->nullable;
    return fn_set_result(rc, call, lm_type_map(kt, vt, vnull), false, err);
}

static lm_status eval_map(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                          lm_value *out)
{
    cu_map_builder b;
    cu_mb_init(&b, ec, call->type->key);
    for (int i = 0; i + 1 < call->nargs; i += 2)
        if (cu_mb_put(&b, &args[i], &args[i + 1]) != LM_OK)
            return LM_ERROR;
    return cu_mb_finish(&b, out);
}

/* ------------------------------------------------ named_struct, struct */

static lm_status resolve_named_struct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs % 2)
        return wrong_pairs(rc, call, err);
    int n = call->nargs / 2;
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(n ? n : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < n; i++) {
        const lm_expr *ne = call->args[2 * i];
        lm_value v;
        if (ne->type->id != LM_TYPE_STRING || !fn_const_value(rc, ne, &v)) {
            lm_strbuf ts;
            lm_strbuf_init(&ts);
            lm_strbuf_putc(&ts, '[');
            for (int k = 0; k < n; k++) {
                if (k)
                    lm_strbuf_puts(&ts, ", ");
                char *q = lm_coerce_quote_sql(rc, call->args[2 * k]);
                lm_strbuf_puts(&ts, q ? q : "");
            }
            lm_strbuf_putc(&ts, ']');
            lm_coerce_mismatch(rc, call, err, "CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
                               "Only foldable `STRING` expressions are allowed to appear at odd "
                               "position, but they are %s.",
                               lm_strbuf_cstr(&ts));
            lm_error_param_add(err, "inputExprs", lm_strbuf_cstr(&ts));
            lm_strbuf_free(&ts);
            return LM_ERROR;
        }
        if (v.is_null) {
            lm_coerce_mismatch(rc, call, err, "UNEXPECTED_NULL",
                               "The %s must not be null.", lm_coerce_quote_sql(rc, ne));
            lm_error_param_add(err, "exprName", lm_coerce_quote_sql(rc, ne));
            return LM_ERROR;
        }
        fs[i].name = lm_arena_strndup(rc->a, v.u.str.ptr, (size_t)v.u.str.len);
        fs[i].type = call->args[2 * i + 1]->type;
        fs[i].nullable = call->args[2 * i + 1]->nullable;
        if (fs[i].name == NULL)
            return fn_oom(err);
    }
    return fn_set_result(rc, call, lm_type_struct(fs, n), false, err);
}

static lm_status eval_named_struct(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    int n = call->nargs / 2;
    lm_value *f = fn_values(ec, (size_t)n);
    if (f == NULL)
        return LM_ENOMEM;
    for (int i = 0; i < n; i++)
        f[i] = args[2 * i + 1];
    return cu_out_struct(ec, out, f, n);
}

/* The field name Spark's CreateStruct gives argument i: an alias or a
   named expression's name, else col1, col2, ... */
static const char *struct_field_name(lm_resolve_ctx *rc, const lm_expr *a, int i)
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
    return lm_arena_printf(rc->a, "col%d", i + 1);
}

static lm_status resolve_struct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    int n = call->nargs;
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(n ? n : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < n; i++) {
        fs[i].name = (char *)struct_field_name(rc, call->args[i], i);
        fs[i].type = call->args[i]->type;
        fs[i].nullable = call->args[i]->nullable;
        if (fs[i].name == NULL)
            return fn_oom(err);
    }
    return fn_set_result(rc, call, lm_type_struct(fs, n), false, err);
}

static lm_status eval_struct(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                             lm_value *out)
{
    lm_value *f = fn_values(ec, (size_t)call->nargs);
    if (f == NULL)
        return LM_ENOMEM;
    memcpy(f, args, sizeof *f * (size_t)call->nargs);
    return cu_out_struct(ec, out, f, call->nargs);
}

/*
 * struct(a, b AS x) prints its values with their aliases, as Spark's
 * CreateNamedStruct tagged with the `struct` alias does; the row
 * constructor `(a, b)` is an untagged CreateNamedStruct and prints as
 * named_struct(col1, a, col2, b).
 */
static void sql_struct(lm_strbuf *sb, const lm_expr *call)
{
    bool row = (call->flags & LM_CALL_ROW) != 0 && call->type != NULL &&
               call->type->id == LM_TYPE_STRUCT;
    lm_strbuf_puts(sb, row ? "named_struct(" : "struct(");
    for (int i = 0; i < call->nargs; i++) {
        const lm_expr *a = call->args[i];
        if (i)
            lm_strbuf_puts(sb, ", ");
        if (row) {
            lm_strbuf_puts(sb, call->type->fields[i].name);
            lm_strbuf_puts(sb, ", ");
        }
        if (a->kind == LM_EXPR_ALIAS && !row) {
            lm_expr_pretty(sb, a->args[0]);
            lm_strbuf_printf(sb, " AS %s", a->name);
        } else {
            lm_expr_pretty(sb, a);
        }
    }
    lm_strbuf_putc(sb, ')');
}

/* ---------------------------------------------------- map_from_arrays */

static lm_status resolve_map_from_arrays(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK || cu_need_array(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    const lm_type *k = call->args[0]->type, *v = call->args[1]->type;
    return fn_set_result(rc, call, lm_type_map(k->elem, v->elem, v->contains_null),
                         fn_args_nullable(call), err);
}

static lm_status eval_map_from_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                      lm_value *out)
{
    const lm_array_value *k = args[0].u.arr, *v = args[1].u.arr;
    if (k->n != v->n)
        return lm_eval_error(ec, LM_EXC_RUNTIME, "_LEGACY_ERROR_TEMP_2160", NULL,
                             "The key array and value array of MapData must have the same "
                             "length.");
    cu_map_builder b;
    cu_mb_init(&b, ec, call->type->key);
    for (int32_t i = 0; i < k->n; i++)
        if (cu_mb_put(&b, &k->elems[i], &v->elems[i]) != LM_OK)
            return LM_ERROR;
    return cu_mb_finish(&b, out);
}

/* --------------------------------------------------- map_from_entries */

static lm_status resolve_map_from_entries(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_STRUCT || t->elem->nfields != 2)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY\" of pair \"STRUCT\"", err);
    const lm_type *st = t->elem;
    return fn_set_result(rc, call,
                         lm_type_map(st->fields[0].type, st->fields[1].type, st->fields[1].nullable),
                         call->args[0]->nullable || t->contains_null, err);
}

static lm_status eval_map_from_entries(lm_eval_ctx *ec, const lm_expr *call,
                                       const lm_value *args, lm_value *out)
{
    const lm_array_value *a = args[0].u.arr;
    /* a NULL entry makes the whole map NULL (checked before any key) */
    for (int32_t i = 0; i < a->n; i++)
        if (a->elems[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
    cu_map_builder b;
    cu_mb_init(&b, ec, call->type->key);
    for (int32_t i = 0; i < a->n; i++) {
        const lm_struct_value *e = a->elems[i].u.st;
        if (cu_mb_put(&b, &e->fields[0], &e->fields[1]) != LM_OK)
            return LM_ERROR;
    }
    return cu_mb_finish(&b, out);
}

/* ------------------------------------- map_keys, map_values, map_entries */

static lm_status resolve_map_keys(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *m = call->args[0]->type;
    return fn_set_result(rc, call, lm_type_array(m->key, false), call->args[0]->nullable, err);
}

static lm_status resolve_map_values(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *m = call->args[0]->type;
    return fn_set_result(rc, call, lm_type_array(m->value, m->value_contains_null),
                         call->args[0]->nullable, err);
}

static lm_status resolve_map_entries(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *m = call->args[0]->type;
    lm_field fs[2] = {{"key", m->key, false, NULL, NULL},
                      {"value", m->value, m->value_contains_null, NULL, NULL}};
    lm_type *st = cu_keep(rc, lm_type_struct(fs, 2));
    if (st == NULL)
        return fn_oom(err);
    return fn_set_result(rc, call, lm_type_array(st, false), call->args[0]->nullable, err);
}

static lm_status eval_map_keys(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    const lm_map_value *m = args[0].u.map;
    return fn_out_array(ec, out, m->keys, m->n);
}

static lm_status eval_map_values(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    const lm_map_value *m = args[0].u.map;
    return fn_out_array(ec, out, m->values, m->n);
}

static lm_status eval_map_entries(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                  lm_value *out)
{
    const lm_map_value *m = args[0].u.map;
    lm_value *e = fn_values(ec, (size_t)m->n);
    lm_value *kv = fn_values(ec, 2 * (size_t)m->n);
    if (e == NULL || kv == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < m->n; i++) {
        kv[2 * i] = m->keys[i];
        kv[2 * i + 1] = m->values[i];
        if (cu_out_struct(ec, &e[i], &kv[2 * i], 2) != LM_OK)
            return LM_ENOMEM;
    }
    return fn_out_array(ec, out, e, m->n);
}

/* ---------------------------------------------------------- map_concat */

static lm_status resolve_map_concat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 0)
        return fn_set_result(rc, call, lm_type_map(lm_type_string(), lm_type_string(), false),
                             false, err);
    bool all_maps = true;
    for (int i = 0; i < call->nargs; i++)
        all_maps &= cu_is_map(call->args[i]);
    lm_type *t = all_maps ? cu_keep(rc, lm_coerce_wider_all(call->args, call->nargs, true)) : NULL;
    if (t == NULL) {
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
        lm_coerce_mismatch(rc, call, err, "MAP_CONCAT_DIFF_TYPES",
                           "The %s should all be of type map, but it's %s.", fq,
                           lm_strbuf_cstr(&ts));
        lm_error_param_add(err, "functionName", fq);
        lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
        lm_strbuf_free(&ts);
        return LM_ERROR;
    }
    for (int i = 0; i < call->nargs; i++)
        if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_ref(t), fn_args_nullable(call), err);
}

static lm_status eval_map_concat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    cu_map_builder b;
    cu_mb_init(&b, ec, call->type->key);
    for (int i = 0; i < call->nargs; i++) {
        const lm_map_value *m = args[i].u.map;
        for (int32_t k = 0; k < m->n; k++)
            if (cu_mb_put(&b, &m->keys[k], &m->values[k]) != LM_OK)
                return LM_ERROR;
    }
    return cu_mb_finish(&b, out);
}

/* ---------------------------------------------------- map_contains_key */

/* MAP_FUNCTION_DIFF_TYPES: the key argument does not meet the map's keys. */
static lm_status map_diff_types(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    const char *l = fn_type_q(rc, call->args[0]->type), *r = fn_type_q(rc, call->args[1]->type);
    lm_coerce_mismatch(rc, call, err, "MAP_FUNCTION_DIFF_TYPES",
                       "Input to %s should have been \"MAP\" followed by a value with same key "
                       "type, but it's [%s, %s].",
                       fq, l, r);
    lm_error_param_add(err, "dataType", "\"MAP\"");
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "leftType", l);
    lm_error_param_add(err, "rightType", r);
    return LM_ERROR;
}

static lm_status null_type_arg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *fq = cu_fname(rc, call);
    lm_coerce_mismatch(rc, call, err, "NULL_TYPE",
                       "Null typed values cannot be used as arguments of %s.", fq);
    lm_error_param_add(err, "functionName", fq);
    return LM_ERROR;
}

/* Casts the map argument 0 to MAP<k, V> and argument 1 to k. */
static lm_status cast_map_key(lm_resolve_ctx *rc, lm_expr *call, lm_type *k, lm_error *err)
{
    const lm_type *m = call->args[0]->type;
    lm_type *mt = cu_keep(rc, lm_type_map(k, m->value, m->value_contains_null));
    if (mt == NULL)
        return fn_oom(err);
    if (fn_cast_arg(rc, call, 0, mt, err) != LM_OK || fn_cast_arg(rc, call, 1, k, err) != LM_OK)
        return LM_ERROR;
    return LM_OK;
}

static lm_status resolve_map_contains_key(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[1]->type->id == LM_TYPE_NULL)
        return null_type_arg(rc, call, err);
    if (!cu_is_map(call->args[0]))
        return map_diff_types(rc, call, err);
    lm_type *k = cu_keep(rc, lm_coerce_wider_no_string(call->args[0]->type->key,
                                                       call->args[1]->type));
    if (k == NULL)
        return map_diff_types(rc, call, err);
    if (cast_map_key(rc, call, k, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), fn_args_nullable(call), err);
}

static int32_t map_find(const lm_type *mt, const lm_map_value *m, const lm_value *k)
{
    for (int32_t i = 0; i < m->n; i++)
        if (lm_value_equal(mt->key, &m->keys[i], k))
            return i;
    return -1;
}

static lm_status eval_map_contains_key(lm_eval_ctx *ec, const lm_expr *call,
                                       const lm_value *args, lm_value *out)
{
    *out = lm_value_bool(map_find(call->args[0]->type, args[0].u.map, &args[1]) >= 0);
    return LM_OK;
}

/* ---------------------------------------------------------------- size */

/* Spark's legacySizeOfNull: spark.sql.legacy.sizeOfNull (default true)
   and not ANSI; then size(NULL) is -1 instead of NULL. */
static bool legacy_size_of_null(bool ansi, const lm_session *s)
{
    if (ansi)
        return false;
    return s == NULL || session_conf_bool(s, "spark.sql.legacy.sizeOfNull", true);
}

static lm_status resolve_size(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (cu_need_array(rc, call, 0, err) != LM_OK)
            return LM_ERROR;
    } else if (t->id != LM_TYPE_ARRAY && t->id != LM_TYPE_MAP) {
        return lm_coerce_unexpected_input(rc, call, 0, "(\"ARRAY\" or \"MAP\")", err);
    }
    bool legacy = legacy_size_of_null(rc->ansi, rc->s);
    /* the legacy flag is fixed at analysis, as Spark binds it in Size */
    call->aux = legacy ? (void *)call : NULL;
    return fn_set_result(rc, call, lm_type_int(), legacy ? false : call->args[0]->nullable, err);
}

static lm_status eval_size(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out)
{
    if (args[0].is_null) {
        *out = call->aux ? lm_value_i64(-1) : lm_value_null();
        return LM_OK;
    }
    int32_t n = call->args[0]->type->id == LM_TYPE_MAP ? args[0].u.map->n : args[0].u.arr->n;
    *out = lm_value_i64(n);
    return LM_OK;
}

static lm_status resolve_array_size(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (cu_need_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    call->aux = NULL;
    return fn_set_result(rc, call, lm_type_int(), call->args[0]->nullable, err);
}

/* ------------------------------------------- element_at, try_element_at, get */

enum { ELEM_AT = 0, ELEM_TRY = 1, ELEM_GET = 2 };

static int elem_mode(const lm_expr *call)
{
    const char *n = call->fn->name;
    return n[0] == 't' ? ELEM_TRY : n[0] == 'g' ? ELEM_GET : ELEM_AT;
}

static lm_status resolve_element_at(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *b = call->args[0]->type, *k = call->args[1]->type;
    int mode = elem_mode(call);
    if (b->id == LM_TYPE_ARRAY) {
        /* ElementAt accepts integral indexes other than BIGINT */
        if ((lm_type_is_integral(k) && k->id != LM_TYPE_LONG) || k->id == LM_TYPE_NULL) {
            if (fn_cast_arg(rc, call, 1, lm_type_int(), err) != LM_OK)
                return LM_ERROR;
        } else {
            return lm_coerce_unexpected_input(rc, call, 1, "\"INT\"", err);
        }
        return fn_set_result(rc, call, lm_type_ref(b->elem), true, err);
    }
    if (b->id == LM_TYPE_MAP && mode != ELEM_GET) {
        lm_type *kt = cu_keep(rc, lm_coerce_tightest(b->key, k));
        if (kt == NULL || k->id == LM_TYPE_NULL)
            return map_diff_types(rc, call, err);
        if (cast_map_key(rc, call, kt, err) != LM_OK)
            return LM_ERROR;
        return fn_set_result(rc, call, lm_type_ref(b->value), true, err);
    }
    return lm_coerce_unexpected_input(rc, call, 0,
                                      mode == ELEM_GET ? "\"ARRAY\"" : "(\"ARRAY\" or \"MAP\")",
                                      err);
}

static lm_status eval_element_at(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                 lm_value *out)
{
    *out = lm_value_null();
    int mode = elem_mode(call);
    if (call->args[0]->type->id == LM_TYPE_MAP) {
        int32_t i = map_find(call->args[0]->type, args[0].u.map, &args[1]);
        if (i >= 0)
            *out = args[0].u.map->values[i];
        return LM_OK;
    }
    const lm_array_value *a = args[0].u.arr;
    int64_t idx = args[1].u.i64;
    if (mode == ELEM_GET) {
        /* get() is 0-based and never fails */
        if (idx >= 0 && idx < a->n)
            *out = a->elems[idx];
        return LM_OK;
    }
    if (idx == 0)
        return lm_eval_error(ec, LM_EXC_RUNTIME, "INVALID_INDEX_OF_ZERO", "22003",
                             "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be "
                             "either < 0 or > 0 (the first element has index 1).");
    if (idx > a->n || idx < -(int64_t)a->n) {
        if (mode == ELEM_AT && ec->ansi) {
            char iv[32], sz[32];
            snprintf(iv, sizeof iv, "%lld", (long long)idx);
            snprintf(sz, sizeof sz, "%d", a->n);
            lm_eval_error(ec, "org.apache.spark.SparkArrayIndexOutOfBoundsException",
                          "INVALID_ARRAY_INDEX_IN_ELEMENT_AT", "22003",
                          "[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index %s is out of bounds. The "
                          "array has %s elements. Use `try_element_at` to tolerate accessing "
                          "element at invalid index and return NULL instead. If necessary set "
                          "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                          iv, sz);
            lm_error_param_add(ec->err, "indexValue", iv);
            lm_error_param_add(ec->err, "arraySize", sz);
            lm_error_param_add(ec->err, "ansiConfig", "\"spark.sql.ansi.enabled\"");
            return LM_ERROR;
        }
        return LM_OK;
    }
    *out = a->elems[idx > 0 ? idx - 1 : a->n + idx];
    return LM_OK;
}

/* ------------------------------------------------------------ table */

static const lm_func_def k_defs[] = {
    {.name = "array", .min_args = 0, .max_args = -1, .resolve = resolve_array,
     .eval = eval_array},
    {.name = "map", .min_args = 0, .max_args = -1, .resolve = resolve_map, .eval = eval_map},
    {.name = "named_struct", .min_args = 0, .max_args = -1, .resolve = resolve_named_struct,
     .eval = eval_named_struct},
    {.name = "struct", .min_args = 0, .max_args = -1, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_struct, .eval = eval_struct, .sql = sql_struct},
    {.name = "map_from_arrays", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_from_arrays, .eval = eval_map_from_arrays},
    {.name = "map_from_entries", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_from_entries, .eval = eval_map_from_entries},
    {.name = "map_keys", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_keys, .eval = eval_map_keys},
    {.name = "map_values", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_values, .eval = eval_map_values},
    {.name = "map_entries", .min_args = 1, .max_args = 1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_entries, .eval = eval_map_entries},
    {.name = "map_concat", .min_args = 0, .max_args = -1, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_concat, .eval = eval_map_concat},
    {.name = "map_contains_key", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_map_contains_key, .eval = eval_map_contains_key},
    {.name = "size", .min_args = 1, .max_args = 1, .resolve = resolve_size, .eval = eval_size},
    {.name = "cardinality", .min_args = 1, .max_args = 1, .resolve = resolve_size,
     .eval = eval_size},
    {.name = "array_size", .min_args = 1, .max_args = 1, .resolve = resolve_array_size,
     .eval = eval_size},
    {.name = "element_at", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_element_at, .eval = eval_element_at},
    {.name = "try_element_at", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_element_at, .eval = eval_element_at},
    {.name = "get", .min_args = 2, .max_args = 2, .flags = LM_FN_NULL_INTOLERANT,
     .resolve = resolve_element_at, .eval = eval_element_at},
};

const lm_func_table lm_funcs_collection = {k_defs, sizeof k_defs / sizeof k_defs[0]};
