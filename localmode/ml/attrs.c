/*
 * ML attributes: the column metadata Spark's ML stages write and read
 * (org.apache.spark.ml.attribute). A scalar column carries one attribute
 * under "ml_attr" (StringIndexer: nominal, with its labels); a vector
 * column carries an attribute group (VectorAssembler: the attributes of
 * its slots by type, and their count). Trees read categorical features
 * from the group, IndexToString its labels from the attribute.
 *
 * Key order. Spark builds metadata with MetadataBuilder, whose map is a
 * Scala 2.12 mutable.HashMap, and Metadata.json prints the immutable copy
 * of it: up to four keys in the mutable map's iteration order (buckets
 * from the last down, newest first within a bucket), more keys in the
 * immutable HashMap's trie order. scala_order reproduces both, so
 * {"vals":[..],"type":"nominal","name":"x"} prints as Spark prints it.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"

/* ------------------------------------------------------------ key order */

static uint32_t java_hash(const char *s)
{
    uint32_t h = 0;
    for (; *s; s++)
        h = 31 * h + (unsigned char)*s; /* keys are ASCII: one UTF-16 unit each */
    return h;
}

static uint32_t reverse_bytes(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

/* mutable.HashTable.index for a 16-slot table (seed 4): byteswap32,
   rotate right by 4, top 4 bits. */
static int mutable_bucket(const char *key)
{
    uint32_t h = java_hash(key) * 0x9e3775cdu;
    h = reverse_bytes(h) * 0x9e3775cdu;
    uint32_t r = (h >> 4) | (h << 28);
    return (int)(r >> 28);
}

/* immutable.HashMap.improve */
static uint32_t trie_hash(const char *key)
{
    uint32_t h = java_hash(key);
    h = h + ~(h << 9);
    h = h ^ (h >> 14);
    h = h + (h << 4);
    return h ^ (h >> 10);
}

static int trie_cmp(uint32_t a, uint32_t b)
{
    for (int level = 0; level < 32; level += 5) {
        uint32_t x = (a >> level) & 31, y = (b >> level) & 31;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* order[0..n): the print order of keys given in insertion order. */
static void scala_order(int n, const char *const *keys, int *order)
{
    int k = 0;
    if (n <= 4) {
        for (int b = 15; b >= 0; b--)
            for (int i = n - 1; i >= 0; i--) /* newest first in a bucket */
                if (mutable_bucket(keys[i]) == b)
                    order[k++] = i;
        return;
    }
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++) /* insertion sort: n is tiny */
        for (int j = i; j > 0 && trie_cmp(trie_hash(keys[order[j - 1]]),
                                          trie_hash(keys[order[j]])) > 0;
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* An object being built: members as key + rendered JSON value. */
#define OBJ_MAX 12
typedef struct obj {
    int n;
    const char *keys[OBJ_MAX];
    char *vals[OBJ_MAX];
} obj;

static void obj_put(obj *o, const char *key, lm_strbuf *val)
{
    if (o->n < OBJ_MAX) {
        o->keys[o->n] = key;
        o->vals[o->n++] = lm_strbuf_detach(val);
    } else {
        lm_strbuf_free(val);
    }
}

static void obj_render(lm_strbuf *sb, obj *o)
{
    int order[OBJ_MAX];
    scala_order(o->n, o->keys, order);
    lm_strbuf_putc(sb, '{');
    for (int i = 0; i < o->n; i++) {
        if (i)
            lm_strbuf_putc(sb, ',');
        lm_json_string(sb, o->keys[order[i]]);
        lm_strbuf_putc(sb, ':');
        lm_strbuf_puts(sb, o->vals[order[i]] ? o->vals[order[i]] : "null");
    }
    lm_strbuf_putc(sb, '}');
    for (int i = 0; i < o->n; i++)
        free(o->vals[i]);
    o->n = 0;
}

static void put_str(obj *o, const char *key, const char *v)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_json_string(&sb, v);
    obj_put(o, key, &sb);
}

static void put_long(obj *o, const char *key, int64_t v)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%lld", (long long)v);
    obj_put(o, key, &sb);
}

/* ------------------------------------------------------------ writing */

static const char *const k_type_names[] = {"", "numeric", "nominal", "binary"};
static const char *const k_stat_keys[4] = {"min", "max", "std", "sparsity"};

/* Attribute.toMetadataImpl(withType): members in the order Spark puts them. */
static void attr_render(lm_strbuf *sb, const ml_attribute *at, bool with_type, int idx)
{
    obj o = {0};
    if (with_type)
        put_str(&o, "type", k_type_names[at->kind]);
    if (at->name != NULL)
        put_str(&o, "name", at->name);
    if (idx >= 0)
        put_long(&o, "idx", idx);
    if (at->kind == ML_AT_NUMERIC) {
        for (int k = 0; k < 4; k++)
            if (at->has_stat & (1u << k)) {
                lm_strbuf v;
                lm_strbuf_init(&v);
                ml_json_double(&v, at->stat[k]);
                obj_put(&o, k_stat_keys[k], &v);
            }
    } else {
        if (at->kind == ML_AT_NOMINAL && at->ord >= 0) {
            lm_strbuf v;
            lm_strbuf_init(&v);
            lm_strbuf_puts(&v, at->ord ? "true" : "false");
            obj_put(&o, "ord", &v);
        }
        if (at->kind == ML_AT_NOMINAL && at->num_vals >= 0)
            put_long(&o, "num_vals", at->num_vals);
        if (at->nvals >= 0) {
            lm_strbuf v;
            lm_strbuf_init(&v);
            lm_strbuf_putc(&v, '[');
            for (int i = 0; i < at->nvals; i++) {
                if (i)
                    lm_strbuf_putc(&v, ',');
                lm_json_string(&v, at->vals[i]);
            }
            lm_strbuf_putc(&v, ']');
            obj_put(&o, "vals", &v);
        }
    }
    obj_render(sb, &o);
}

char *ml_attr_metadata(const ml_attribute *at)
{
    /* numeric attributes leave their type out: it is the default */
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "{\"ml_attr\":");
    attr_render(&sb, at, at->kind != ML_AT_NUMERIC, -1);
    lm_strbuf_putc(&sb, '}');
    return lm_strbuf_detach(&sb);
}

static bool is_default_numeric(const ml_attribute *at)
{
    return at->kind == ML_AT_NUMERIC && at->name == NULL && at->has_stat == 0;
}

char *ml_attr_group_metadata(int n, const ml_attribute *attrs)
{
    /* AttributeGroup.toMetadataImpl: attributes grouped by type with their
       index, unnamed numeric ones without statistics left out */
    obj groups = {0};
    for (int kind = ML_AT_NUMERIC; kind <= ML_AT_BINARY; kind++) {
        lm_strbuf arr;
        lm_strbuf_init(&arr);
        lm_strbuf_putc(&arr, '[');
        int k = 0;
        for (int i = 0; i < n; i++) {
            if ((int)attrs[i].kind != kind || is_default_numeric(&attrs[i]))
                continue;
            if (k++)
                lm_strbuf_putc(&arr, ',');
            attr_render(&arr, &attrs[i], false, i);
        }
        lm_strbuf_putc(&arr, ']');
        if (k > 0)
            obj_put(&groups, k_type_names[kind], &arr);
        else
            lm_strbuf_free(&arr);
    }
    obj group = {0};
    lm_strbuf g;
    lm_strbuf_init(&g);
    obj_render(&g, &groups);
    obj_put(&group, "attrs", &g);
    put_long(&group, "num_attrs", n);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "{\"ml_attr\":");
    obj_render(&sb, &group);
    lm_strbuf_putc(&sb, '}');
    return lm_strbuf_detach(&sb);
}

/* ------------------------------------------------------------ reading */

static const ml_json *ml_attr_json(lm_arena *a, const lm_field *f)
{
    if (f->metadata == NULL)
        return NULL;
    const ml_json *m = ml_json_parse(a, f->metadata, false);
    const ml_json *at = m ? ml_json_get(m, "ml_attr") : NULL;
    return at && at->type == ML_J_OBJ ? at : NULL;
}

static void attr_parse(lm_arena *a, const ml_json *j, ml_attr_kind kind, ml_attribute *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->nvals = -1;
    out->num_vals = -1;
    out->ord = -1;
    out->name = ml_json_str(j, "name");
    if (kind == ML_AT_NUMERIC) {
        for (int k = 0; k < 4; k++) {
            const ml_json *v = ml_json_get(j, k_stat_keys[k]);
            if (v && v->type == ML_J_NUM) {
                out->has_stat |= 1u << k;
                out->stat[k] = v->num;
            }
        }
        return;
    }
    const ml_json *ord = ml_json_get(j, "ord");
    if (kind == ML_AT_NOMINAL && ord && ord->type == ML_J_BOOL)
        out->ord = ord->b;
    const ml_json *nv = ml_json_get(j, "num_vals");
    if (kind == ML_AT_NOMINAL && nv && nv->type == ML_J_NUM)
        out->num_vals = (int64_t)nv->num;
    const ml_json *vals = ml_json_get(j, "vals");
    if (vals && vals->type == ML_J_ARR) {
        out->vals = lm_arena_calloc(a, (size_t)vals->n + 1, sizeof *out->vals);
        if (out->vals == NULL)
            return;
        out->nvals = vals->n;
        for (int i = 0; i < vals->n; i++)
            out->vals[i] = vals->items[i].type == ML_J_STR ? vals->items[i].str : "";
    }
}

static ml_attr_kind kind_named(const char *t)
{
    if (t == NULL || strcmp(t, "numeric") == 0)
        return ML_AT_NUMERIC;
    if (strcmp(t, "nominal") == 0)
        return ML_AT_NOMINAL;
    if (strcmp(t, "binary") == 0)
        return ML_AT_BINARY;
    return ML_AT_UNRESOLVED;
}

void ml_attr_from_field(lm_arena *a, const lm_field *f, ml_attribute *out)
{
    /* Attribute.fromStructField: the attribute named after the column */
    const ml_json *j = ml_attr_json(a, f);
    if (j == NULL) {
        memset(out, 0, sizeof *out);
        out->kind = ML_AT_UNRESOLVED;
        out->nvals = -1;
        out->num_vals = -1;
        out->ord = -1;
        return;
    }
    attr_parse(a, j, kind_named(ml_json_str(j, "type")), out);
    out->name = f->name;
}

int ml_attr_group_from_field(lm_arena *a, const lm_field *f, ml_attribute **attrs)
{
    /* AttributeGroup.fromStructField: attributes when "attrs" is there
       (slots not listed are unnamed numeric), else only num_attrs */
    *attrs = NULL;
    const ml_json *j = ml_attr_json(a, f);
    if (j == NULL)
        return -1;
    int n = (int)ml_json_num(j, "num_attrs", -1);
    const ml_json *groups = ml_json_get(j, "attrs");
    if (groups == NULL || groups->type != ML_J_OBJ || n < 0)
        return n;
    ml_attribute *at = lm_arena_calloc(a, (size_t)n + 1, sizeof *at);
    if (at == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        at[i].kind = ML_AT_NUMERIC;
        at[i].nvals = -1;
        at[i].num_vals = -1;
        at[i].ord = -1;
    }
    for (int kind = ML_AT_NUMERIC; kind <= ML_AT_BINARY; kind++) {
        const ml_json *arr = ml_json_get(groups, k_type_names[kind]);
        for (int k = 0; arr && arr->type == ML_J_ARR && k < arr->n; k++) {
            int idx = (int)ml_json_num(&arr->items[k], "idx", -1);
            if (idx >= 0 && idx < n)
                attr_parse(a, &arr->items[k], (ml_attr_kind)kind, &at[idx]);
        }
    }
    *attrs = at;
    return n;
}

int ml_attr_num_values(const ml_attribute *at)
{
    if (at->kind == ML_AT_BINARY)
        return 2;
    if (at->kind != ML_AT_NOMINAL)
        return 0;
    if (at->num_vals >= 0)
        return (int)at->num_vals;
    return at->nvals; /* -1: unknown */
}
