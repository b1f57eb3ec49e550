/*
 * JSON schema inference, as Spark 3.5's JsonInferSchema: integers are
 * bigint (decimal beyond a long), other numbers double (decimal with
 * prefersDecimal), strings string (timestamp with inferTimestamp when they
 * parse), objects structs with fields sorted by name, arrays the merge of
 * their elements. Records merge with compatibleType: numeric widening,
 * struct fields unioned, arrays merged element-wise, anything else string.
 * Empty strings and nulls count as null, which canonicalisation turns into
 * string (or drops with dropFieldIfAllNull); empty structs are dropped.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"
#include "types/decimal.h"

typedef struct jt jt;
struct jt {
    lm_type_id id; /* LM_TYPE_NULL for NullType */
    int p, s;      /* DECIMAL */
    jt *elem;      /* ARRAY */
    int n;         /* STRUCT fields, sorted by name */
    const char **names;
    int32_t *nlens;
    jt **types;
};

struct json_infer {
    const json_ropts *o;
    lm_error *err;
    lm_arena arena;
    jt *root;
    bool failed;
    io_sampler sm;
};

static jt *mk(json_infer *ji, lm_type_id id)
{
    jt *t = lm_arena_calloc(&ji->arena, 1, sizeof *t);
    if (t)
        t->id = id;
    return t;
}

static jt *mk_dec(json_infer *ji, int p, int s)
{
    jt *t = mk(ji, LM_TYPE_DECIMAL);
    if (t) {
        t->p = p;
        t->s = s;
    }
    return t;
}

/* DecimalType(max(precision, scale), scale) of a BigDecimal, or double
   when it does not fit 38 digits (or has a negative scale). */
static jt *decimal_or_double(json_infer *ji, const char *text, size_t n)
{
    int p, s;
    if (io_java_bigdecimal(text, n, &p, &s) && s >= 0) {
        int prec = p > s ? p : s;
        if (prec <= LM_DECIMAL_MAX_PRECISION)
            return mk_dec(ji, prec, s);
    }
    return mk(ji, LM_TYPE_DOUBLE);
}

static void sort_fields(jt *t)
{
    /* insertion sort: stable, as java.util.Arrays.sort on objects */
    for (int i = 1; i < t->n; i++) {
        const char *nm = t->names[i];
        int32_t nl = t->nlens[i];
        jt *ty = t->types[i];
        int j = i - 1;
        while (j >= 0 && json_name_cmp(t->names[j], (size_t)t->nlens[j], nm, (size_t)nl) > 0) {
            t->names[j + 1] = t->names[j];
            t->nlens[j + 1] = t->nlens[j];
            t->types[j + 1] = t->types[j];
            j--;
        }
        t->names[j + 1] = nm;
        t->nlens[j + 1] = nl;
        t->types[j + 1] = ty;
    }
}

static jt *compatible(json_infer *ji, jt *a, jt *b);

static bool is_integral(lm_type_id id)
{
    return id == LM_TYPE_BYTE || id == LM_TYPE_SHORT || id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

static int num_rank(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE:
        return 1;
    case LM_TYPE_SHORT:
        return 2;
    case LM_TYPE_INT:
        return 3;
    case LM_TYPE_LONG:
        return 4;
    case LM_TYPE_FLOAT:
        return 5;
    case LM_TYPE_DOUBLE:
        return 6;
    default:
        return 0;
    }
}

static bool same(const jt *a, const jt *b)
{
    if (a->id != b->id)
        return false;
    switch (a->id) {
    case LM_TYPE_DECIMAL:
        return a->p == b->p && a->s == b->s;
    case LM_TYPE_ARRAY:
        return same(a->elem, b->elem);
    case LM_TYPE_STRUCT:
        if (a->n != b->n)
            return false;
        for (int i = 0; i < a->n; i++)
            if (a->nlens[i] != b->nlens[i] || memcmp(a->names[i], b->names[i], (size_t)a->nlens[i]) ||
                !same(a->types[i], b->types[i]))
                return false;
        return true;
    default:
        return true;
    }
}

static jt *merge_structs(json_infer *ji, jt *a, jt *b)
{
    jt *t = mk(ji, LM_TYPE_STRUCT);
    if (t == NULL)
        return NULL;
    int cap = a->n + b->n;
    t->names = lm_arena_calloc(&ji->arena, (size_t)cap + 1, sizeof *t->names);
    t->nlens = lm_arena_calloc(&ji->arena, (size_t)cap + 1, sizeof *t->nlens);
    t->types = lm_arena_calloc(&ji->arena, (size_t)cap + 1, sizeof *t->types);
    if (t->names == NULL || t->nlens == NULL || t->types == NULL)
        return NULL;
    int i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i >= a->n   ? 1
                : j >= b->n ? -1
                            : json_name_cmp(a->names[i], (size_t)a->nlens[i], b->names[j],
                                            (size_t)b->nlens[j]);
        if (c == 0) {
            t->names[t->n] = a->names[i];
            t->nlens[t->n] = a->nlens[i];
            t->types[t->n] = compatible(ji, a->types[i], b->types[j]);
            if (t->types[t->n] == NULL)
                return NULL;
            i++;
            j++;
        } else if (c < 0) {
            t->names[t->n] = a->names[i];
            t->nlens[t->n] = a->nlens[i];
            t->types[t->n] = a->types[i];
            i++;
        } else {
            t->names[t->n] = b->names[j];
            t->nlens[t->n] = b->nlens[j];
            t->types[t->n] = b->types[j];
            j++;
        }
        t->n++;
    }
    return t;
}

/* JsonInferSchema.compatibleType */
static jt *compatible(json_infer *ji, jt *a, jt *b)
{
    if (same(a, b))
        return a;
    if (a->id == LM_TYPE_NULL)
        return b;
    if (b->id == LM_TYPE_NULL)
        return a;
    int ra = num_rank(a->id), rb = num_rank(b->id);
    if (ra && rb)
        return ra >= rb ? a : b;
    if ((a->id == LM_TYPE_DOUBLE && b->id == LM_TYPE_DECIMAL) ||
        (a->id == LM_TYPE_DECIMAL && b->id == LM_TYPE_DOUBLE))
        return mk(ji, LM_TYPE_DOUBLE);
    if (a->id == LM_TYPE_DECIMAL && b->id == LM_TYPE_DECIMAL) {
        int scale = a->s > b->s ? a->s : b->s;
        int range = a->p - a->s > b->p - b->s ? a->p - a->s : b->p - b->s;
        if (range + scale > LM_DECIMAL_MAX_PRECISION)
            return mk(ji, LM_TYPE_DOUBLE);
        return mk_dec(ji, range + scale, scale);
    }
    if (is_integral(a->id) && b->id == LM_TYPE_DECIMAL) {
        int p, s;
        lm_decimal_type_for_integral(a->id, &p, &s);
        if (b->p - b->s >= p - s && b->s >= s)
            return b;
        jt *d = mk_dec(ji, p, s);
        return d ? compatible(ji, d, b) : NULL;
    }
    if (a->id == LM_TYPE_DECIMAL && is_integral(b->id))
        return compatible(ji, b, a);
    if (a->id == LM_TYPE_STRUCT && b->id == LM_TYPE_STRUCT)
        return merge_structs(ji, a, b);
    if (a->id == LM_TYPE_ARRAY && b->id == LM_TYPE_ARRAY) {
        jt *t = mk(ji, LM_TYPE_ARRAY);
        if (t == NULL || (t->elem = compatible(ji, a->elem, b->elem)) == NULL)
            return NULL;
        return t;
    }
    if ((a->id == LM_TYPE_TIMESTAMP || a->id == LM_TYPE_TIMESTAMP_NTZ || a->id == LM_TYPE_DATE) &&
        (b->id == LM_TYPE_TIMESTAMP || b->id == LM_TYPE_TIMESTAMP_NTZ || b->id == LM_TYPE_DATE)) {
        if ((a->id == LM_TYPE_DATE && b->id == LM_TYPE_TIMESTAMP_NTZ) ||
            (a->id == LM_TYPE_TIMESTAMP_NTZ && b->id == LM_TYPE_DATE))
            return mk(ji, LM_TYPE_TIMESTAMP_NTZ);
        return mk(ji, LM_TYPE_TIMESTAMP);
    }
    return mk(ji, LM_TYPE_STRING);
}

/* JsonInferSchema.inferField */
static jt *infer(json_infer *ji, const json_node *nd)
{
    const json_ropts *o = ji->o;
    switch (nd->kind) {
    case JN_NULL:
        return mk(ji, LM_TYPE_NULL);
    case JN_STRING: {
        if (nd->n == 0)
            return mk(ji, LM_TYPE_NULL);
        if (o->prefers_decimal) {
            int p, s;
            if (io_java_bigdecimal(nd->text, (size_t)nd->n, &p, &s) && s >= 0 && p >= s &&
                p <= LM_DECIMAL_MAX_PRECISION)
                return mk_dec(ji, p, s);
        }
        if (o->infer_timestamp) {
            int64_t m;
            if (io_parse_timestamp(&o->dt, nd->text, (size_t)nd->n, &m) == IO_PARSE_OK)
                return mk(ji, LM_TYPE_TIMESTAMP);
        }
        return mk(ji, LM_TYPE_STRING);
    }
    case JN_INT:
        if (o->primitives_as_string)
            return mk(ji, LM_TYPE_STRING);
        if (nd->num == JNUM_BIG)
            return decimal_or_double(ji, nd->text, (size_t)nd->n);
        return mk(ji, LM_TYPE_LONG);
    case JN_FLOAT:
        if (o->primitives_as_string)
            return mk(ji, LM_TYPE_STRING);
        if (o->prefers_decimal && nd->num == JNUM_DOUBLE)
            return decimal_or_double(ji, nd->text, (size_t)nd->n);
        return mk(ji, LM_TYPE_DOUBLE);
    case JN_TRUE:
    case JN_FALSE:
        return mk(ji, o->primitives_as_string ? LM_TYPE_STRING : LM_TYPE_BOOLEAN);
    case JN_ARRAY: {
        jt *e = mk(ji, LM_TYPE_NULL);
        for (int i = 0; i < nd->n && e; i++) {
            jt *k = infer(ji, &nd->kids[i]);
            e = k ? compatible(ji, e, k) : NULL;
        }
        jt *t = e ? mk(ji, LM_TYPE_ARRAY) : NULL;
        if (t)
            t->elem = e;
        return t;
    }
    case JN_OBJECT: {
        jt *t = mk(ji, LM_TYPE_STRUCT);
        if (t == NULL)
            return NULL;
        t->names = lm_arena_calloc(&ji->arena, (size_t)nd->n + 1, sizeof *t->names);
        t->nlens = lm_arena_calloc(&ji->arena, (size_t)nd->n + 1, sizeof *t->nlens);
        t->types = lm_arena_calloc(&ji->arena, (size_t)nd->n + 1, sizeof *t->types);
        if (t->names == NULL || t->nlens == NULL || t->types == NULL)
            return NULL;
        for (int i = 0; i < nd->n; i++) {
            char *nm = lm_arena_strndup(&ji->arena, nd->keys[i], (size_t)nd->klens[i]);
            jt *ft = infer(ji, &nd->kids[i]);
            if (nm == NULL || ft == NULL)
                return NULL;
            t->names[i] = nm;
            t->nlens[i] = nd->klens[i];
            t->types[i] = ft;
        }
        t->n = nd->n;
        sort_fields(t);
        return t;
    }
    default:
        return mk(ji, LM_TYPE_STRING);
    }
}

json_infer *json_infer_new(const json_ropts *o, lm_error *err)
{
    json_infer *ji = calloc(1, sizeof *ji);
    if (ji == NULL) {
        lm_error_oom(err);
        return NULL;
    }
    ji->o = o;
    ji->err = err;
    lm_arena_init(&ji->arena, 8192);
    ji->root = mk(ji, LM_TYPE_STRUCT);
    io_sampler_init(&ji->sm, o->sampling_ratio);
    if (ji->root == NULL) {
        json_infer_free(ji);
        lm_error_oom(err);
        return NULL;
    }
    return ji;
}

void json_infer_free(json_infer *ji)
{
    if (ji == NULL)
        return;
    lm_arena_free(&ji->arena);
    free(ji);
}

/* withCorruptField: a struct root meets a non-struct record. */
static lm_status with_corrupt(json_infer *ji, jt *st, jt **out)
{
    const json_ropts *o = ji->o;
    if (o->mode == IO_DROPMALFORMED) {
        *out = st;
        return LM_OK;
    }
    if (o->mode == IO_FAILFAST)
        return lm_error_set(ji->err, LM_ERROR, IO_EXC_SPARK, "_LEGACY_ERROR_TEMP_2165", NULL,
                            "Malformed records are detected in schema inference. Parse Mode: "
                            "FAILFAST.");
    size_t cl = strlen(o->corrupt_col);
    for (int i = 0; i < st->n; i++)
        if ((size_t)st->nlens[i] == cl && memcmp(st->names[i], o->corrupt_col, cl) == 0) {
            *out = st;
            return LM_OK;
        }
    jt *c = mk(ji, LM_TYPE_STRUCT);
    jt *s = mk(ji, LM_TYPE_STRING);
    if (c == NULL || s == NULL)
        return lm_error_oom(ji->err);
    c->n = 1;
    c->names = lm_arena_alloc(&ji->arena, sizeof *c->names);
    c->nlens = lm_arena_alloc(&ji->arena, sizeof *c->nlens);
    c->types = lm_arena_alloc(&ji->arena, sizeof *c->types);
    if (c->names == NULL || c->nlens == NULL || c->types == NULL)
        return lm_error_oom(ji->err);
    c->names[0] = o->corrupt_col;
    c->nlens[0] = (int32_t)cl;
    c->types[0] = s;
    *out = merge_structs(ji, st, c);
    return *out ? LM_OK : lm_error_oom(ji->err);
}

/* compatibleRootType */
static lm_status root_merge(json_infer *ji, jt *a, jt *b, jt **out)
{
    if (a->id == LM_TYPE_ARRAY)
        return root_merge(ji, a->elem, b, out);
    if (b->id == LM_TYPE_ARRAY)
        return root_merge(ji, a, b->elem, out);
    if (a->id == LM_TYPE_STRUCT && b->id == LM_TYPE_NULL) {
        *out = a;
        return LM_OK;
    }
    if (a->id == LM_TYPE_NULL && b->id == LM_TYPE_STRUCT) {
        *out = b;
        return LM_OK;
    }
    if (a->id == LM_TYPE_STRUCT && b->id != LM_TYPE_STRUCT)
        return with_corrupt(ji, a, out);
    if (b->id == LM_TYPE_STRUCT && a->id != LM_TYPE_STRUCT)
        return with_corrupt(ji, b, out);
    *out = compatible(ji, a, b);
    return *out ? LM_OK : lm_error_oom(ji->err);
}

lm_status json_infer_add(json_infer *ji, const json_node *root, bool parse_failed)
{
    if (!io_sampler_keep(&ji->sm))
        return LM_OK;
    jt *t;
    if (parse_failed) {
        if (ji->o->mode == IO_DROPMALFORMED)
            return LM_OK;
        if (ji->o->mode == IO_FAILFAST)
            return lm_error_set(ji->err, LM_ERROR, IO_EXC_SPARK, "_LEGACY_ERROR_TEMP_2165", NULL,
                                "Malformed records are detected in schema inference. Parse Mode: "
                                "FAILFAST.");
        jt *s = mk(ji, LM_TYPE_STRUCT);
        if (s == NULL)
            return lm_error_oom(ji->err);
        return with_corrupt(ji, s, &t) == LM_OK ? root_merge(ji, ji->root, t, &ji->root)
                                                 : ji->err->status;
    }
    if (root == NULL)
        return LM_OK; /* empty record: NullType, discarded */
    t = infer(ji, root);
    if (t == NULL)
        return lm_error_oom(ji->err);
    return root_merge(ji, ji->root, t, &ji->root);
}

/* canonicalizeType: NULL when the type disappears. */
static lm_type *canon(json_infer *ji, const jt *t, bool *oom)
{
    switch (t->id) {
    case LM_TYPE_NULL:
        if (ji->o->drop_field_if_all_null)
            return NULL;
        return lm_type_string();
    case LM_TYPE_ARRAY: {
        lm_type *e = canon(ji, t->elem, oom);
        if (e == NULL)
            return NULL;
        lm_type *a = lm_type_array(e, true);
        lm_type_unref(e);
        if (a == NULL)
            *oom = true;
        return a;
    }
    case LM_TYPE_STRUCT: {
        lm_field *fs = calloc((size_t)t->n + 1, sizeof *fs);
        if (fs == NULL) {
            *oom = true;
            return NULL;
        }
        int k = 0;
        for (int i = 0; i < t->n && !*oom; i++) {
            if (t->nlens[i] == 0)
                continue;
            lm_type *ft = canon(ji, t->types[i], oom);
            if (ft == NULL)
                continue;
            fs[k].name = (char *)t->names[i];
            fs[k].type = ft;
            fs[k].nullable = true;
            k++;
        }
        lm_type *st = NULL;
        if (!*oom && k > 0) {
            st = lm_type_struct(fs, k);
            if (st == NULL)
                *oom = true;
        }
        for (int i = 0; i < k; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return st;
    }
    case LM_TYPE_DECIMAL: {
        lm_type *d = lm_type_decimal(t->p, t->s);
        if (d == NULL)
            *oom = true;
        return d;
    }
    default:
        return lm_type_primitive(t->id);
    }
}

lm_status json_infer_finish(json_infer *ji, lm_type **out)
{
    bool oom = false;
    lm_type *t = canon(ji, ji->root, &oom);
    if (oom) {
        lm_type_unref(t);
        return lm_error_oom(ji->err);
    }
    if (t == NULL || t->id != LM_TYPE_STRUCT) {
        lm_type_unref(t);
        t = lm_type_struct(NULL, 0);
        if (t == NULL)
            return lm_error_oom(ji->err);
    }
    *out = t;
    return LM_OK;
}
