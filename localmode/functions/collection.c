/*
 * Collection functions over arrays, maps and structs: constructors
 * (array, map, struct, named_struct, map_from_*), accessors (size,
 * element_at, map_keys ...), set operations that keep first-occurrence
 * order as Spark's do, sorting, slicing and sequence generation.
 * Element equality is Spark's (NaN equals NaN, -0.0 equals 0.0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"
#include "types/datetime.h"

#define NI LM_FN_NULL_INTOLERANT

lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out);
lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out);

/* concat(array, ...): NULL when any input is NULL. */
lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out)
{
    int32_t n = 0;
    for (int i = 0; i < call->nargs; i++)
        n += args[i].u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int i = 0; i < call->nargs; i++)
        for (int32_t j = 0; j < args[i].u.arr->n; j++)
            e[k++] = args[i].u.arr->elems[j];
    return fn_out_array(ec, out, e, n);
}

lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out)
{
    int32_t n = in->u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++)
        e[i] = in->u.arr->elems[n - 1 - i];
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------------------ helpers */

static lm_status out_map(lm_eval_ctx *ec, lm_value *out, lm_value *k, lm_value *v, int32_t n)
{
    lm_map_value *m = fn_alloc(ec, sizeof *m);
    if (m == NULL)
        return LM_ENOMEM;
    m->n = n;
    m->keys = k;
    m->values = v;
    *out = lm_value_null();
    out->is_null = false;
    out->u.map = m;
    return LM_OK;
}

static lm_status out_struct(lm_eval_ctx *ec, lm_value *out, lm_value *f, int32_t n)
{
    lm_struct_value *s = fn_alloc(ec, sizeof *s);
    if (s == NULL)
        return LM_ENOMEM;
    s->n = n;
    s->fields = f;
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = s;
    return LM_OK;
}

static lm_status diff_types(lm_resolve_ctx *rc, lm_expr *call, int from, int step,
                            lm_error *err)
{
    lm_strbuf ts;
    lm_strbuf_init(&ts);
    for (int i = from; i < call->nargs; i += step) {
        if (i > from)
            lm_strbuf_puts(&ts, ", ");
        lm_strbuf_puts(&ts, fn_type_q(rc, call->args[i]->type));
    }
    char fq[64];
    snprintf(fq, sizeof fq, "`%s`", call->fn->name);
    lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                       "Input to %s should all be the same type, but it's [%s].", fq,
                       lm_strbuf_cstr(&ts));
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
    lm_strbuf_free(&ts);
    return LM_ERROR;
}

/* Common type of args from, from+step, ...; casts them. */
static lm_type *unify(lm_resolve_ctx *rc, lm_expr *call, int from, int step, lm_error *err)
{
    lm_expr *sel[256];
    int n = 0;
    for (int i = from; i < call->nargs && n < 256; i += step)
        sel[n++] = call->args[i];
    lm_type *t = lm_coerce_wider_all(sel, n, true);
    if (t == NULL) {
        diff_types(rc, call, from, step, err);
        return NULL;
    }
    lm_arena_keep_type(rc->a, t);
    for (int i = from; i < call->nargs; i += step)
        if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
            return NULL;
    return t;
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

static int32_t find(const lm_type *t, const lm_value *e, int32_t n, const lm_value *v)
{
    for (int32_t i = 0; i < n; i++)
        if (!e[i].is_null && lm_value_equal(t, &e[i], v))
            return i;
    return -1;
}

static bool has_null(const lm_value *e, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (e[i].is_null)
            return true;
    return false;
}

static lm_expr *lit(lm_resolve_ctx *rc, lm_type *t, lm_value v)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = t;
    e->value = v;
    e->resolved = true;
    e->nullable = v.is_null;
    return e;
}

static lm_status add_arg(lm_resolve_ctx *rc, lm_expr *call, lm_expr *arg, lm_error *err)
{
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * (size_t)(call->nargs + 2));
    if (args == NULL || arg == NULL)
        return fn_oom(err);
    memcpy(args, call->args, sizeof *args * (size_t)call->nargs);
    args[call->nargs] = arg;
    call->args = args;
    call->nargs++;
    return LM_OK;
}

/* ------------------------------------------------------------ array */

static lm_status resolve_array(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type *et = call->nargs ? unify(rc, call, 0, 1, err) : lm_type_null();
    if (et == NULL)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(et, call->nargs == 0 || fn_args_nullable(call)),
                         false, err);
}

static lm_status eval_array(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    lm_value *e = fn_values(ec, (size_t)call->nargs);
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, a, sizeof *e * (size_t)call->nargs);
    return fn_out_array(ec, out, e, call->nargs);
}

/* ------------------------------------------------------------ map */

static lm_status null_map_key(lm_eval_ctx *ec)
{
    lm_eval_error(ec, LM_EXC_RUNTIME, "NULL_MAP_KEY", "2200E",
                  "[NULL_MAP_KEY] Cannot use null as map key.");
    return LM_ERROR;
}

static lm_status dup_map_key(lm_eval_ctx *ec, const lm_type *kt, const lm_value *k)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    fn_append_as_string(&sb, kt, k, ec->tz, false);
    lm_eval_error(ec, LM_EXC_RUNTIME, "DUPLICATED_MAP_KEY", "23505",
                  "[DUPLICATED_MAP_KEY] Duplicate map key %s was found, please check the input "
                  "data. If you want to remove the duplicated keys, you can set "
                  "\"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at "
                  "last takes precedence.",
                  lm_strbuf_cstr(&sb));
    lm_error_param_add(ec->err, "key", lm_strbuf_cstr(&sb));
    lm_error_param_add(ec->err, "mapKeyDedupPolicy", "\"spark.sql.mapKeyDedupPolicy\"");
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

/* ArrayBasedMapBuilder: NULL keys fail, duplicates fail (EXCEPTION policy). */
static lm_status build_map(lm_eval_ctx *ec, const lm_type *kt, const lm_value *keys,
                           const lm_value *vals, int32_t n, lm_value *out)
{
    lm_value *k = fn_values(ec, (size_t)n), *v = fn_values(ec, (size_t)n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++) {
        if (keys[i].is_null)
            return null_map_key(ec);
        if (find(kt, k, m, &keys[i]) >= 0)
            return dup_map_key(ec, kt, &keys[i]);
        k[m] = keys[i];
        v[m++] = vals[i];
    }
    return out_map(ec, out, k, v, m);
}

static lm_status resolve_map(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs % 2 != 0) {
        lm_coerce_mismatch(rc, call, err, "WRONG_NUM_ARGS",
                           "map expects a positive even number of arguments.");
        return LM_ERROR;
    }
    lm_type *kt = call->nargs ? unify(rc, call, 0, 2, err) : lm_type_null();
    if (kt == NULL)
        return LM_ERROR;
    lm_type *vt = call->nargs ? unify(rc, call, 1, 2, err) : lm_type_null();
    if (vt == NULL)
        return LM_ERROR;
    if (kt->id == LM_TYPE_MAP) {
        lm_coerce_mismatch(rc, call, err, "INVALID_MAP_KEY_TYPE",
                           "The input key of map is of map type.");
        return LM_ERROR;
    }
    bool vnull = call->nargs == 0;
    for (int i = 1; i < call->nargs; i += 2)
        vnull |= call->args[i]->nullable;
    return fn_set_result(rc, call, lm_type_map(kt, vt, vnull), false, err);
}

static lm_status eval_map(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    int32_t n = call->nargs / 2;
    lm_value *k = fn_values(ec, (size_t)n), *v = fn_values(ec, (size_t)n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        k[i] = a[2 * i];
        v[i] = a[2 * i + 1];
    }
    return build_map(ec, call->type->key, k, v, n, out);
}

static lm_status resolve_map_from_arrays(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK || expect_array(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    const lm_type *k = call->args[0]->type, *v = call->args[1]->type;
    return fn_set_result(rc, call, lm_type_map(k->elem, v->elem, v->contains_null),
                         fn_args_nullable(call), err);
}

static lm_status eval_map_from_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                      lm_value *out)
{
    if (a[0].u.arr->n != a[1].u.arr->n) {
        lm_eval_error(ec, LM_EXC_RUNTIME, "_LEGACY_ERROR_TEMP_2128", NULL,
                      "The key array and value array of MapData must have the same length.");
        return LM_ERROR;
    }
    return build_map(ec, call->type->key, a[0].u.arr->elems, a[1].u.arr->elems, a[0].u.arr->n, out);
}

static lm_status resolve_map_from_entries(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_STRUCT || t->elem->nfields != 2)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY\" of pair \"STRUCT\"", err);
    const lm_type *st = t->elem;
    return fn_set_result(rc, call,
                         lm_type_map(st->fields[0].type, st->fields[1].type, st->fields[1].nullable),
                         true, err);
}

static lm_status eval_map_from_entries(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                       lm_value *out)
{
    int32_t n = a[0].u.arr->n;
    lm_value *k = fn_values(ec, (size_t)n), *v = fn_values(ec, (size_t)n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        const lm_value *e = &a[0].u.arr->elems[i];
        if (e->is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        k[i] = e->u.st->fields[0];
        v[i] = e->u.st->fields[1];
    }
    return build_map(ec, call->type->key, k, v, n, out);
}

static lm_status resolve_map_part(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *m = call->args[0]->type;
    const char *n = call->fn->name;
    lm_type *t;
    if (strcmp(n, "map_keys") == 0)
        t = lm_type_array(m->key, false);
    else if (strcmp(n, "map_values") == 0)
        t = lm_type_array(m->value, m->value_contains_null);
    else {
        lm_field fs[2] = {{"key", m->key, false, NULL}, {"value", m->value, m->value_contains_null, NULL}};
        lm_type *st = lm_type_struct(fs, 2);
        t = lm_type_array(st, false);
        lm_type_unref(st);
    }
    return fn_set_result(rc, call, t, call->args[0]->nullable, err);
}

static lm_status eval_map_part(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    const lm_map_value *m = a[0].u.map;
    const char *n = call->fn->name;
    lm_value *e = fn_values(ec, (size_t)m->n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < m->n; i++) {
        if (strcmp(n, "map_keys") == 0)
            e[i] = m->keys[i];
        else if (strcmp(n, "map_values") == 0)
            e[i] = m->values[i];
        else {
            lm_value *f = fn_values(ec, 2);
            if (f == NULL)
                return LM_ENOMEM;
            f[0] = m->keys[i];
            f[1] = m->values[i];
            lm_status st = out_struct(ec, &e[i], f, 2);
            if (st != LM_OK)
                return st;
        }
    }
    return fn_out_array(ec, out, e, m->n);
}

static lm_status resolve_map_concat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (expect_map(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    lm_type *t = call->nargs ? unify(rc, call, 0, 1, err) : NULL;
    if (call->nargs == 0)
        t = lm_type_map(lm_type_string(), lm_type_string(), false);
    else if (t == NULL)
        return LM_ERROR;
    else
        lm_type_ref(t);
    return fn_set_result(rc, call, t, fn_args_nullable(call), err);
}

static lm_status eval_map_concat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    int32_t n = 0;
    for (int i = 0; i < call->nargs; i++)
        n += a[i].u.map->n;
    lm_value *k = fn_values(ec, (size_t)n), *v = fn_values(ec, (size_t)n);
    if (k == NULL || v == NULL)
        return LM_ENOMEM;
    int32_t j = 0;
    for (int i = 0; i < call->nargs; i++)
        for (int32_t x = 0; x < a[i].u.map->n; x++) {
            k[j] = a[i].u.map->keys[x];
            v[j++] = a[i].u.map->values[x];
        }
    return build_map(ec, call->type->key, k, v, n, out);
}

static lm_status resolve_map_contains_key(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_map(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (fn_cast_arg(rc, call, 1, call->args[0]->type->key, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), fn_args_nullable(call), err);
}

static lm_status eval_map_contains_key(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                       lm_value *out)
{
    const lm_map_value *m = a[0].u.map;
    *out = lm_value_bool(find(call->args[0]->type->key, m->keys, m->n, &a[1]) >= 0);
    return LM_OK;
}

/* ------------------------------------------------------------ structs */

/* struct(a, b, 1): fields named after columns, else col1, col2 ... */
static lm_status resolve_struct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(call->nargs ? call->nargs : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < call->nargs; i++) {
        const lm_expr *e = call->args[i];
        if ((e->kind == LM_EXPR_BOUND || e->kind == LM_EXPR_OUTER || e->kind == LM_EXPR_ALIAS ||
             e->kind == LM_EXPR_FIELD) && e->name)
            fs[i].name = e->name;
        else
            fs[i].name = lm_arena_printf(rc->a, "col%d", i + 1);
        fs[i].type = e->type;
        fs[i].nullable = e->nullable;
    }
    return fn_set_result(rc, call, lm_type_struct(fs, call->nargs), false, err);
}

static lm_status eval_struct(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    int32_t n = call->fn->name[0] == 'n' ? call->nargs / 2 : call->nargs;
    lm_value *f = fn_values(ec, (size_t)n);
    if (f == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++)
        f[i] = call->fn->name[0] == 'n' ? a[2 * i + 1] : a[i];
    return out_struct(ec, out, f, n);
}

static lm_status resolve_named_struct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs % 2 != 0) {
        lm_coerce_mismatch(rc, call, err, "WRONG_NUM_ARGS",
                           "named_struct expects an even number of arguments.");
        return LM_ERROR;
    }
    int n = call->nargs / 2;
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(n ? n : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < n; i++) {
        lm_value v;
        if (!fn_const_value(rc, call->args[2 * i], &v) || v.is_null ||
            call->args[2 * i]->type->id != LM_TYPE_STRING) {
            lm_coerce_mismatch(rc, call, err, "CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
                               "Only foldable `STRING` expressions are allowed to appear at odd "
                               "position.");
            return LM_ERROR;
        }
        fs[i].name = lm_arena_strndup(rc->a, v.u.str.ptr, (size_t)v.u.str.len);
        fs[i].type = call->args[2 * i + 1]->type;
        fs[i].nullable = call->args[2 * i + 1]->nullable;
    }
    return fn_set_result(rc, call, lm_type_struct(fs, n), false, err);
}

/* ------------------------------------------------------------ size */

static lm_status resolve_size(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_type_id id = call->args[0]->type->id;
    if (id != LM_TYPE_ARRAY && id != LM_TYPE_MAP && id != LM_TYPE_NULL)
        return lm_coerce_unexpected_input(rc, call, 0, "(\"ARRAY\" or \"MAP\")", err);
    /* spark.sql.legacy.sizeOfNull is true unless ANSI: size(NULL) = -1 */
    return fn_set_result(rc, call, lm_type_int(), rc->ansi && call->args[0]->nullable, err);
}

static lm_status eval_size(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    if (a[0].is_null) {
        *out = ec->ansi ? lm_value_null() : lm_value_i64(-1);
        return LM_OK;
    }
    lm_type_id id = call->args[0]->type->id;
    *out = lm_value_i64(id == LM_TYPE_MAP ? a[0].u.map->n : id == LM_TYPE_ARRAY ? a[0].u.arr->n : -1);
    return LM_OK;
}

/* ------------------------------------------------- element access */

static lm_status resolve_array_elem(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    /* array_contains(arr, v), array_position, array_remove: value meets element type */
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    const lm_type *et = call->args[0]->type->elem;
    const lm_type *vt = call->args[1]->type;
    if (!lm_type_same_ignoring_nullable(et, vt)) {
        lm_type *w = lm_coerce_wider_no_string(et, vt);
        if (w == NULL) {
            const char *a = fn_type_q(rc, call->args[0]->type), *b = fn_type_q(rc, vt);
            lm_coerce_mismatch(rc, call, err, "ARRAY_FUNCTION_DIFF_TYPES",
                               "Input to `%s` should have been \"ARRAY\" followed by a value "
                               "with same element type, but it's [%s, %s].",
                               call->fn->name, a, b);
            lm_error_param_add(err, "functionName", call->fn->name);
            lm_error_param_add(err, "dataType", "\"ARRAY\"");
            lm_error_param_add(err, "leftType", a);
            lm_error_param_add(err, "rightType", b);
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, w);
        lm_type *at = lm_type_array(w, call->args[0]->type->contains_null);
        lm_arena_keep_type(rc->a, at);
        if (fn_cast_arg(rc, call, 0, at, err) != LM_OK || fn_cast_arg(rc, call, 1, w, err) != LM_OK)
            return LM_ERROR;
    }
    const char *n = call->fn->name;
    if (strcmp(n, "array_contains") == 0)
        return fn_set_result(rc, call, lm_type_boolean(), true, err);
    if (strcmp(n, "array_position") == 0)
        return fn_set_result(rc, call, lm_type_long(), fn_args_nullable(call), err);
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_array_contains(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                     lm_value *out)
{
    const lm_array_value *arr = a[0].u.arr;
    if (find(call->args[1]->type, arr->elems, arr->n, &a[1]) >= 0)
        *out = lm_value_bool(true);
    else
        *out = has_null(arr->elems, arr->n) ? lm_value_null() : lm_value_bool(false);
    return LM_OK;
}

static lm_status eval_array_position(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                     lm_value *out)
{
    *out = lm_value_i64(find(call->args[1]->type, a[0].u.arr->elems, a[0].u.arr->n, &a[1]) + 1);
    return LM_OK;
}

static lm_status eval_array_remove(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    const lm_array_value *arr = a[0].u.arr;
    lm_value *e = fn_values(ec, (size_t)arr->n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int32_t i = 0; i < arr->n; i++)
        if (arr->elems[i].is_null || !lm_value_equal(call->args[1]->type, &arr->elems[i], &a[1]))
            e[k++] = arr->elems[i];
    return fn_out_array(ec, out, e, k);
}

static lm_status resolve_element_at(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_ARRAY) {
        if (fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
            return LM_ERROR;
        return fn_set_result(rc, call, fn_tref(t->elem), true, err);
    }
    if (t->id == LM_TYPE_MAP) {
        if (fn_cast_arg(rc, call, 1, t->key, err) != LM_OK)
            return LM_ERROR;
        return fn_set_result(rc, call, fn_tref(t->value), true, err);
    }
    return lm_coerce_unexpected_input(rc, call, 0, "(\"ARRAY\" or \"MAP\")", err);
}

static lm_status eval_element_at(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    bool try_ = call->fn->name[0] == 't';
    *out = lm_value_null();
    if (call->args[0]->type->id == LM_TYPE_MAP) {
        const lm_map_value *m = a[0].u.map;
        int32_t i = find(call->args[1]->type, m->keys, m->n, &a[1]);
        if (i >= 0)
            *out = m->values[i];
        return LM_OK;
    }
    const lm_array_value *arr = a[0].u.arr;
    int64_t idx = a[1].u.i64;
    if (idx == 0) {
        lm_eval_error(ec, "org.apache.spark.SparkRuntimeException", "INVALID_INDEX_OF_ZERO", "22003",
                      "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < "
                      "0 or > 0 (the first element has index 1).");
        return LM_ERROR;
    }
    int64_t i = idx > 0 ? idx - 1 : arr->n + idx;
    if (i < 0 || i >= arr->n) {
        if (ec->ansi && !try_) {
            lm_eval_error(ec, "org.apache.spark.SparkArrayIndexOutOfBoundsException",
                          "INVALID_ARRAY_INDEX_IN_ELEMENT_AT", "22003",
                          "[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index %lld is out of bounds. "
                          "The array has %d elements. Use `try_element_at` to tolerate accessing "
                          "element at invalid index and return NULL instead. If necessary set "
                          "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                          (long long)idx, arr->n);
            return LM_ERROR;
        }
        return LM_OK;
    }
    *out = arr->elems[i];
    return LM_OK;
}

/* ------------------------------------------------------ set operations */

static lm_status resolve_array1(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), call->args[0]->nullable, err);
}

static lm_status resolve_array2(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK || expect_array(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    lm_type *t = unify(rc, call, 0, 1, err);
    if (t == NULL)
        return LM_ERROR;
    if (strcmp(call->fn->name, "arrays_overlap") == 0)
        return fn_set_result(rc, call, lm_type_boolean(), true, err);
    return fn_set_result(rc, call, fn_tref(t), fn_args_nullable(call), err);
}

/* Appends v unless already present (NULL counted once). */
static void add_distinct(const lm_type *t, lm_value *e, int32_t *k, const lm_value *v, bool *seen_null)
{
    if (v->is_null) {
        if (!*seen_null) {
            e[(*k)++] = *v;
            *seen_null = true;
        }
        return;
    }
    if (find(t, e, *k, v) < 0)
        e[(*k)++] = *v;
}

static lm_status eval_setop(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    const char *n = call->fn->name;
    const lm_type *t = call->args[0]->type->elem;
    const lm_array_value *x = a[0].u.arr;
    const lm_array_value *y = call->nargs > 1 ? a[1].u.arr : NULL;
    int32_t cap = x->n + (y ? y->n : 0);
    lm_value *e = fn_values(ec, (size_t)cap);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    bool seen_null = false;
    if (strcmp(n, "array_distinct") == 0) {
        for (int32_t i = 0; i < x->n; i++)
            add_distinct(t, e, &k, &x->elems[i], &seen_null);
    } else if (strcmp(n, "array_union") == 0) {
        for (int32_t i = 0; i < x->n; i++)
            add_distinct(t, e, &k, &x->elems[i], &seen_null);
        for (int32_t i = 0; i < y->n; i++)
            add_distinct(t, e, &k, &y->elems[i], &seen_null);
    } else if (strcmp(n, "array_intersect") == 0) {
        bool ynull = has_null(y->elems, y->n);
        for (int32_t i = 0; i < x->n; i++) {
            const lm_value *v = &x->elems[i];
            bool in_y = v->is_null ? ynull : find(t, y->elems, y->n, v) >= 0;
            if (in_y)
                add_distinct(t, e, &k, v, &seen_null);
        }
    } else if (strcmp(n, "array_except") == 0) {
        bool ynull = has_null(y->elems, y->n);
        for (int32_t i = 0; i < x->n; i++) {
            const lm_value *v = &x->elems[i];
            bool in_y = v->is_null ? ynull : find(t, y->elems, y->n, v) >= 0;
            if (!in_y)
                add_distinct(t, e, &k, v, &seen_null);
        }
    } else if (strcmp(n, "arrays_overlap") == 0) {
        bool xn = has_null(x->elems, x->n), yn = has_null(y->elems, y->n);
        for (int32_t i = 0; i < x->n; i++)
            if (!x->elems[i].is_null && find(t, y->elems, y->n, &x->elems[i]) >= 0) {
                *out = lm_value_bool(true);
                return LM_OK;
            }
        *out = ((xn && y->n > 0) || (yn && x->n > 0)) ? lm_value_null() : lm_value_bool(false);
        return LM_OK;
    } else if (strcmp(n, "array_compact") == 0) {
        for (int32_t i = 0; i < x->n; i++)
            if (!x->elems[i].is_null)
                e[k++] = x->elems[i];
    }
    return fn_out_array(ec, out, e, k);
}

/* ------------------------------------------------------ join, min, max */

static lm_status resolve_array_join(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (call->args[0]->type->elem->id != LM_TYPE_STRING) {
        lm_type *at = lm_type_array(lm_type_string(), true);
        lm_arena_keep_type(rc->a, at);
        if (fn_expect(rc, call, 0, at, "\"ARRAY<STRING>\"", err) != LM_OK)
            return LM_ERROR;
    }
    for (int i = 1; i < call->nargs; i++)
        if (fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), fn_args_nullable(call), err);
}

static lm_status eval_array_join(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    for (int i = 0; i < call->nargs; i++)
        if (a[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    bool first = true;
    const lm_array_value *x = a[0].u.arr;
    for (int32_t i = 0; i < x->n; i++) {
        const lm_value *v = &x->elems[i];
        if (v->is_null && call->nargs < 3)
            continue;
        if (!first)
            lm_strbuf_append(&sb, a[1].u.str.ptr, (size_t)a[1].u.str.len);
        first = false;
        if (v->is_null)
            v = &a[2];
        lm_strbuf_append(&sb, v->u.str.ptr, (size_t)v->u.str.len);
    }
    return fn_out_sb(ec, out, &sb);
}

static lm_status resolve_array_minmax(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type->elem), true, err);
}

static lm_status eval_array_minmax(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    int sign = strcmp(call->fn->name, "array_max") == 0 ? 1 : -1;
    const lm_type *t = call->type;
    *out = lm_value_null();
    for (int32_t i = 0; i < a[0].u.arr->n; i++) {
        const lm_value *v = &a[0].u.arr->elems[i];
        if (!v->is_null && (out->is_null || sign * lm_value_compare(t, v, out) > 0))
            *out = *v;
    }
    return LM_OK;
}

/* ------------------------------------------------------------ sorting */

static _Thread_local const lm_type *g_elem;
static _Thread_local bool g_desc, g_nulls_first;

static int cmp_elem(const void *x, const void *y)
{
    const lm_value *a = x, *b = y;
    if (a->is_null || b->is_null) {
        if (a->is_null && b->is_null)
            return 0;
        return (a->is_null ? -1 : 1) * (g_nulls_first ? 1 : -1);
    }
    int c = lm_value_compare(g_elem, a, b);
    return g_desc ? -c : c;
}

static lm_status sort_values(lm_eval_ctx *ec, const lm_type *t, const lm_array_value *x, bool asc,
                             bool nulls_first, lm_value *out)
{
    lm_value *e = fn_values(ec, (size_t)x->n);
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, x->elems, sizeof *e * (size_t)x->n);
    g_elem = t;
    g_desc = !asc;
    g_nulls_first = nulls_first;
    /* stable order for equal keys: a merge sort would do; qsort on equal
       values only permutes indistinguishable elements */
    qsort(e, (size_t)x->n, sizeof *e, cmp_elem);
    return fn_out_array(ec, out, e, x->n);
}

static lm_status resolve_sort_array(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 1 && add_arg(rc, call, lit(rc, lm_type_boolean(), lm_value_bool(true)), err) != LM_OK)
        return LM_ERROR;
    if (call->args[1]->type->id != LM_TYPE_BOOLEAN)
        return lm_coerce_unexpected_input(rc, call, 1, "\"BOOLEAN\"", err);
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), call->args[0]->nullable, err);
}

/* sort_array: NULLs first ascending, last descending. */
static lm_status eval_sort_array(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    if (a[0].is_null || a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    bool asc = a[1].u.b;
    return sort_values(ec, call->args[0]->type->elem, a[0].u.arr, asc, asc, out);
}

/* array_sort without comparator: ascending, NULLs last. */
static lm_status eval_array_sort(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    return sort_values(ec, call->args[0]->type->elem, a[0].u.arr, true, false, out);
}

/* ------------------------------------------------------------ slicing */

static lm_status resolve_slice(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK ||
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK ||
        fn_expect(rc, call, 2, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_slice(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    const lm_array_value *x = a[0].u.arr;
    int64_t start = a[1].u.i64, len = a[2].u.i64;
    if (start == 0) {
        lm_eval_error(ec, LM_EXC_RUNTIME, "INVALID_PARAMETER_VALUE.START", "22023",
                      "[INVALID_PARAMETER_VALUE.START] The value of parameter(s) `start` in "
                      "`slice` is invalid: Expects a positive or a negative value for `start`, "
                      "but got 0.");
        return LM_ERROR;
    }
    if (len < 0) {
        lm_eval_error(ec, LM_EXC_RUNTIME, "INVALID_PARAMETER_VALUE.LENGTH", "22023",
                      "[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter(s) `length` in "
                      "`slice` is invalid: Expects `length` greater than or equal to 0, but got "
                      "%lld.",
                      (long long)len);
        return LM_ERROR;
    }
    int64_t s = start > 0 ? start - 1 : x->n + start;
    if (s < 0 || s >= x->n)
        return fn_out_array(ec, out, fn_values(ec, 0), 0);
    int64_t e = s + len > x->n ? x->n : s + len;
    return fn_out_array(ec, out, x->elems + s, (int32_t)(e - s));
}

static lm_status resolve_flatten(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_ARRAY || t->elem->id != LM_TYPE_ARRAY)
        return lm_coerce_unexpected_input(rc, call, 0, "\"ARRAY\" of \"ARRAY\"", err);
    return fn_set_result(rc, call, fn_tref(t->elem), true, err);
}

static lm_status eval_flatten(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const lm_array_value *x = a[0].u.arr;
    int32_t n = 0;
    for (int32_t i = 0; i < x->n; i++) {
        if (x->elems[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        n += x->elems[i].u.arr->n;
    }
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int32_t i = 0; i < x->n; i++)
        for (int32_t j = 0; j < x->elems[i].u.arr->n; j++)
            e[k++] = x->elems[i].u.arr->elems[j];
    return fn_out_array(ec, out, e, n);
}

static lm_status resolve_array_repeat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(call->args[0]->type, call->args[0]->nullable),
                         call->args[1]->nullable, err);
}

static lm_status eval_array_repeat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    if (a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int64_t n = a[1].u.i64 < 0 ? 0 : a[1].u.i64;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        e[i] = a[0];
    return fn_out_array(ec, out, e, (int32_t)n);
}

/* array_append(arr, v), array_prepend(arr, v) */
static lm_status resolve_append(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_array(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    int vi = call->nargs - 1;
    const lm_type *et = call->args[0]->type->elem;
    lm_type *w = lm_coerce_wider(et, call->args[vi]->type);
    if (w == NULL)
        return lm_coerce_unexpected_input(rc, call, vi, fn_type_q(rc, et), err);
    lm_arena_keep_type(rc->a, w);
    lm_type *at = lm_type_array(w, true);
    lm_arena_keep_type(rc->a, at);
    if (fn_cast_arg(rc, call, 0, at, err) != LM_OK || fn_cast_arg(rc, call, vi, w, err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 3 && fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(at), call->args[0]->nullable, err);
}

static lm_status eval_append(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    if (a[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *x = a[0].u.arr;
    bool prepend = strcmp(call->fn->name, "array_prepend") == 0;
    lm_value *e = fn_values(ec, (size_t)x->n + 1);
    if (e == NULL)
        return LM_ENOMEM;
    if (prepend) {
        e[0] = a[1];
        memcpy(e + 1, x->elems, sizeof *e * (size_t)x->n);
    } else {
        memcpy(e, x->elems, sizeof *e * (size_t)x->n);
        e[x->n] = a[1];
    }
    return fn_out_array(ec, out, e, x->n + 1);
}

/* array_insert(arr, pos, v): 1-based, negative from the end, padding with NULLs. */
static lm_status eval_insert(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    if (a[0].is_null || a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *x = a[0].u.arr;
    int64_t pos = a[1].u.i64;
    if (pos == 0) {
        lm_eval_error(ec, "org.apache.spark.SparkRuntimeException", "INVALID_INDEX_OF_ZERO", "22003",
                      "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < "
                      "0 or > 0 (the first element has index 1).");
        return LM_ERROR;
    }
    int64_t idx, n, off = 0;
    if (pos > 0) {
        idx = pos - 1;
        n = idx >= x->n ? idx + 1 : x->n + 1;
    } else if (-pos > x->n) {
        /* before the start: item first, NULL padding, then the elements */
        off = -pos - x->n;
        n = x->n + off + 1;
        idx = 0;
    } else {
        idx = x->n + pos + 1;
        n = x->n + 1;
    }
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        e[i] = lm_value_null();
    if (off > 0) {
        for (int64_t i = 0; i < x->n; i++)
            e[off + 1 + i] = x->elems[i];
    } else {
        for (int64_t i = 0; i < x->n; i++)
            e[i < idx ? i : i + 1] = x->elems[i];
    }
    e[idx] = a[2];
    return fn_out_array(ec, out, e, (int32_t)n);
}

/* ------------------------------------------------------------ sequence */

static lm_status resolve_sequence(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *s = call->args[0]->type;
    if (lm_type_is_integral(s) || lm_type_is_integral(call->args[1]->type)) {
        lm_type *w = unify(rc, call, 0, 1, err);
        if (w == NULL)
            return LM_ERROR;
        if (!lm_type_is_integral(w))
            return lm_coerce_unexpected_input(rc, call, 0, "\"INTEGRAL\"", err);
        return fn_set_result(rc, call, lm_type_array(w, false), fn_args_nullable(call), err);
    }
    if (s->id == LM_TYPE_DATE || s->id == LM_TYPE_TIMESTAMP || s->id == LM_TYPE_TIMESTAMP_NTZ) {
        if (fn_cast_arg(rc, call, 1, s, err) != LM_OK)
            return LM_ERROR;
        return fn_set_result(rc, call, lm_type_array(call->args[0]->type, false),
                             fn_args_nullable(call), err);
    }
    return lm_coerce_unexpected_input(rc, call, 0, "(\"INTEGRAL\" or \"DATE\" or \"TIMESTAMP\")",
                                      err);
}

static lm_status eval_sequence(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    const lm_type *t = call->args[0]->type;
    if (lm_type_is_integral(t)) {
        int64_t start = a[0].u.i64, stop = a[1].u.i64;
        int64_t step = call->nargs == 3 ? a[2].u.i64 : (start <= stop ? 1 : -1);
        if (step == 0 || (step > 0 && start > stop) || (step < 0 && start < stop)) {
            if (start == stop) {
                lm_value *e = fn_values(ec, 1);
                if (e == NULL)
                    return LM_ENOMEM;
                e[0] = a[0];
                return fn_out_array(ec, out, e, 1);
            }
            lm_eval_error(ec, "org.apache.spark.SparkRuntimeException",
                          "_LEGACY_ERROR_TEMP_2142", NULL,
                          "Illegal sequence boundaries: %lld to %lld by %lld", (long long)start,
                          (long long)stop, (long long)step);
            return LM_ERROR;
        }
        int64_t n = (stop - start) / step + 1;
        if (n > 10000000) {
            lm_eval_error(ec, "org.apache.spark.SparkRuntimeException",
                          "COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER", "54000",
                          "Unsuccessful try to create array with %lld elements.", (long long)n);
            return LM_ERROR;
        }
        lm_value *e = fn_values(ec, (size_t)n);
        if (e == NULL)
            return LM_ENOMEM;
        for (int64_t i = 0; i < n; i++)
            e[i] = lm_value_i64(start + i * step);
        return fn_out_array(ec, out, e, (int32_t)n);
    }
    /* dates / timestamps: step is an interval (default 1 day) */
    int32_t months = 0, days = 1;
    int64_t micros = 0;
    if (call->nargs == 3) {
        const lm_type *st = call->args[2]->type;
        days = 0;
        if (st->id == LM_TYPE_INTERVAL) {
            months = a[2].u.iv.months;
            days = a[2].u.iv.days;
            micros = a[2].u.iv.micros;
        } else if (st->id == LM_TYPE_YM_INTERVAL)
            months = (int32_t)a[2].u.i64;
        else
            micros = a[2].u.i64;
    } else if (a[0].u.i64 > a[1].u.i64)
        days = -1;
    int64_t cap = 1024, n = 0;
    lm_value *e = fn_values(ec, (size_t)cap);
    if (e == NULL)
        return LM_ENOMEM;
    const lm_tz *tz = ec->tz ? ec->tz : lm_tz_utc();
    bool up = months > 0 || days > 0 || micros > 0;
    for (int64_t i = 0; n < 10000000; i++) {
        int64_t v;
        if (t->id == LM_TYPE_DATE) {
            int32_t d;
            if (!lm_date_add_months((int32_t)a[0].u.i64, (int32_t)(months * i), &d))
                break;
            v = lm_date_add_days(d, (int32_t)(days * i + micros * i / LM_MICROS_PER_DAY));
        } else {
            lm_datetime_fields f;
            lm_ts_fields(a[0].u.i64, tz, &f);
            int32_t d;
            if (!lm_date_add_months(f.days, (int32_t)(months * i), &d))
                break;
            d = lm_date_add_days(d, (int32_t)(days * i));
            int64_t y;
            int mo, dd;
            lm_date_to_civil(d, &y, &mo, &dd);
            if (!lm_ts_from_local(y, mo, dd, f.hour, f.minute, f.second, f.micros, tz, &v))
                break;
            v += micros * i;
        }
        if (up ? v > a[1].u.i64 : v < a[1].u.i64)
            break;
        if (n == cap) {
            lm_value *ne = fn_values(ec, (size_t)cap * 2);
            if (ne == NULL)
                return LM_ENOMEM;
            memcpy(ne, e, sizeof *e * (size_t)n);
            e = ne;
            cap *= 2;
        }
        e[n++] = lm_value_i64(v);
        if (!up && !(months < 0 || days < 0 || micros < 0))
            break;
    }
    return fn_out_array(ec, out, e, (int32_t)n);
}

/* ------------------------------------------------------------ zip, shuffle */

static lm_status resolve_arrays_zip(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_field *fs = lm_arena_calloc(rc->a, (size_t)(call->nargs ? call->nargs : 1), sizeof *fs);
    if (fs == NULL)
        return fn_oom(err);
    for (int i = 0; i < call->nargs; i++) {
        if (expect_array(rc, call, i, err) != LM_OK)
            return LM_ERROR;
        const lm_expr *e = call->args[i];
        fs[i].name = (e->kind == LM_EXPR_BOUND || e->kind == LM_EXPR_ALIAS) && e->name
                         ? e->name
                         : lm_arena_printf(rc->a, "%d", i);
        fs[i].type = e->type->elem;
        fs[i].nullable = true;
    }
    lm_type *st = lm_type_struct(fs, call->nargs);
    lm_type *t = lm_type_array(st, false);
    lm_type_unref(st);
    return fn_set_result(rc, call, t, fn_args_nullable(call), err);
}

static lm_status eval_arrays_zip(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    int32_t n = 0;
    for (int i = 0; i < call->nargs; i++) {
        if (a[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
        if (a[i].u.arr->n > n)
            n = a[i].u.arr->n;
    }
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t r = 0; r < n; r++) {
        lm_value *f = fn_values(ec, (size_t)call->nargs);
        if (f == NULL)
            return LM_ENOMEM;
        for (int i = 0; i < call->nargs; i++)
            f[i] = r < a[i].u.arr->n ? a[i].u.arr->elems[r] : lm_value_null();
        lm_status st = out_struct(ec, &e[r], f, call->nargs);
        if (st != LM_OK)
            return st;
    }
    return fn_out_array(ec, out, e, n);
}

/* ------------------------------------------------------------ table */

#define FN(nm, mn, mx, fl, res, ev) \
    {.name = nm, .min_args = mn, .max_args = mx, .flags = fl, .resolve = res, .eval = ev, \
     .pretty = nm}

static const lm_func_def k_defs[] = {
    FN("array", 0, -1, 0, resolve_array, eval_array),
    FN("map", 0, -1, 0, resolve_map, eval_map),
    FN("struct", 0, -1, 0, resolve_struct, eval_struct),
    FN("named_struct", 0, -1, 0, resolve_named_struct, eval_struct),
    FN("map_from_arrays", 2, 2, NI, resolve_map_from_arrays, eval_map_from_arrays),
    FN("map_from_entries", 1, 1, NI, resolve_map_from_entries, eval_map_from_entries),
    FN("map_keys", 1, 1, NI, resolve_map_part, eval_map_part),
    FN("map_values", 1, 1, NI, resolve_map_part, eval_map_part),
    FN("map_entries", 1, 1, NI, resolve_map_part, eval_map_part),
    FN("map_concat", 0, -1, NI, resolve_map_concat, eval_map_concat),
    FN("map_contains_key", 2, 2, NI, resolve_map_contains_key, eval_map_contains_key),
    FN("size", 1, 1, 0, resolve_size, eval_size),
    FN("cardinality", 1, 1, 0, resolve_size, eval_size),
    FN("array_contains", 2, 2, NI, resolve_array_elem, eval_array_contains),
    FN("array_position", 2, 2, NI, resolve_array_elem, eval_array_position),
    FN("array_remove", 2, 2, NI, resolve_array_elem, eval_array_remove),
    FN("element_at", 2, 2, NI, resolve_element_at, eval_element_at),
    FN("try_element_at", 2, 2, NI, resolve_element_at, eval_element_at),
    FN("array_distinct", 1, 1, NI, resolve_array1, eval_setop),
    FN("array_compact", 1, 1, NI, resolve_array1, eval_setop),
    FN("array_union", 2, 2, NI, resolve_array2, eval_setop),
    FN("array_intersect", 2, 2, NI, resolve_array2, eval_setop),
    FN("array_except", 2, 2, NI, resolve_array2, eval_setop),
    FN("arrays_overlap", 2, 2, NI, resolve_array2, eval_setop),
    FN("array_join", 2, 3, 0, resolve_array_join, eval_array_join),
    FN("array_max", 1, 1, NI, resolve_array_minmax, eval_array_minmax),
    FN("array_min", 1, 1, NI, resolve_array_minmax, eval_array_minmax),
    FN("sort_array", 1, 2, 0, resolve_sort_array, eval_sort_array),
    FN("slice", 3, 3, NI, resolve_slice, eval_slice),
    FN("flatten", 1, 1, NI, resolve_flatten, eval_flatten),
    FN("array_repeat", 2, 2, 0, resolve_array_repeat, eval_array_repeat),
    FN("array_append", 2, 2, 0, resolve_append, eval_append),
    FN("array_prepend", 2, 2, 0, resolve_append, eval_append),
    FN("array_insert", 3, 3, 0, resolve_append, eval_insert),
    FN("sequence", 2, 3, NI, resolve_sequence, eval_sequence),
    FN("arrays_zip", 0, -1, 0, resolve_arrays_zip, eval_arrays_zip),
};

const lm_func_table lm_funcs_collection = {k_defs, sizeof k_defs / sizeof k_defs[0]};

/* array_sort without a comparator is used by hof.c. */
lm_status fn_array_sort_default(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out);
lm_status fn_array_sort_default(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    return eval_array_sort(ec, call, a, out);
}
