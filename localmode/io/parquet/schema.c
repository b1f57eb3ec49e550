/*
 * The Parquet schema tree and its mapping to Spark types, with the rules
 * of Spark 3.5's ParquetToSparkSchemaConverter:
 *   - INT32: INT(8/16/32, signed) -> tinyint/smallint/int; unsigned 8/16/32
 *     -> smallint/int/bigint; DATE; DECIMAL (<= 9 digits)
 *   - INT64: signed -> bigint, unsigned -> decimal(20,0); DECIMAL (<= 18);
 *     TIMESTAMP(MILLIS|MICROS) -> timestamp when adjusted to UTC, else
 *     timestamp_ntz (when inference of NTZ is on); NANOS -> bigint only
 *     with spark.sql.legacy.parquet.nanosAsLong, else illegal
 *   - INT96 -> timestamp (spark.sql.parquet.int96AsTimestamp)
 *   - BINARY: STRING/ENUM/JSON -> string, DECIMAL, BSON/none -> binary
 *     (string with binaryAsString)
 *   - FIXED_LEN_BYTE_ARRAY: DECIMAL (by byte width), none -> binary
 *   - groups: LIST (3-level and the legacy 2-level forms), MAP /
 *     MAP_KEY_VALUE, plain structs; a bare repeated field is a non-null
 *     array of non-null elements.
 * Legacy converted types are first mapped to the logical type they stand
 * for, as parquet-mr does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "pq_int.h"

lm_status pq_err_corrupt(lm_error *err, const char *path, const char *what)
{
    return lm_error_set(err, LM_ERROR, "org.apache.spark.SparkException", NULL, NULL,
                        "Could not read Parquet file %s: %s", path ? path : "", what);
}

/* Normalises a legacy converted type into the logical-type fields. */
static void normalise(pq_schema_elem *e)
{
    if (e->logical != PQ_LT_NONE || e->converted < 0)
        return;
    switch (e->converted) {
    case PQ_CT_UTF8: e->logical = PQ_LT_STRING; break;
    case PQ_CT_MAP: case PQ_CT_MAP_KEY_VALUE: e->logical = PQ_LT_MAP; break;
    case PQ_CT_LIST: e->logical = PQ_LT_LIST; break;
    case PQ_CT_ENUM: e->logical = PQ_LT_ENUM; break;
    case PQ_CT_DECIMAL:
        e->logical = PQ_LT_DECIMAL;
        e->lt_precision = e->precision;
        e->lt_scale = e->scale;
        break;
    case PQ_CT_DATE: e->logical = PQ_LT_DATE; break;
    case PQ_CT_TIME_MILLIS: case PQ_CT_TIME_MICROS:
        e->logical = PQ_LT_TIME;
        e->lt_utc = true;
        e->lt_unit = e->converted == PQ_CT_TIME_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS;
        break;
    case PQ_CT_TIMESTAMP_MILLIS: case PQ_CT_TIMESTAMP_MICROS:
        e->logical = PQ_LT_TIMESTAMP;
        e->lt_utc = true;
        e->lt_unit = e->converted == PQ_CT_TIMESTAMP_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS;
        break;
    case PQ_CT_UINT_8: case PQ_CT_UINT_16: case PQ_CT_UINT_32: case PQ_CT_UINT_64:
    case PQ_CT_INT_8: case PQ_CT_INT_16: case PQ_CT_INT_32: case PQ_CT_INT_64: {
        static const int widths[] = {8, 16, 32, 64};
        int k = e->converted >= PQ_CT_INT_8 ? e->converted - PQ_CT_INT_8
                                            : e->converted - PQ_CT_UINT_8;
        e->logical = PQ_LT_INTEGER;
        e->lt_bit_width = widths[k];
        e->lt_signed = e->converted >= PQ_CT_INT_8;
        break;
    }
    case PQ_CT_JSON: e->logical = PQ_LT_JSON; break;
    case PQ_CT_BSON: e->logical = PQ_LT_BSON; break;
    case PQ_CT_INTERVAL: e->logical = -PQ_CT_INTERVAL; break; /* no logical type */
    default: break;
    }
}

typedef struct builder {
    const pq_file_meta *m;
    lm_arena *a;
    int pos;
    int nleaves;
    lm_error *err;
    bool oom, bad;
} builder;

static pq_node *build_node(builder *b, pq_node *parent, int depth)
{
    if (b->pos >= b->m->nschema || depth > 100) {
        b->bad = true;
        return NULL;
    }
    pq_schema_elem *e = &b->m->schema[b->pos++];
    normalise(e);
    pq_node *n = lm_arena_calloc(b->a, 1, sizeof *n);
    if (n == NULL) {
        b->oom = true;
        return NULL;
    }
    n->e = e;
    n->parent = parent;
    n->leaf = -1;
    int rep = parent && e->repetition >= 0 ? e->repetition : PQ_REQUIRED;
    n->def = (parent ? parent->def : 0) + (rep != PQ_REQUIRED && parent ? 1 : 0);
    n->rep = (parent ? parent->rep : 0) + (rep == PQ_REPEATED && parent ? 1 : 0);
    if (parent == NULL)
        n->dotted = "";
    else if (parent->parent == NULL)
        n->dotted = e->name;
    else
        n->dotted = lm_arena_printf(b->a, "%s.%s", parent->dotted, e->name);
    if (n->dotted == NULL) {
        b->oom = true;
        return NULL;
    }
    bool group = e->type < 0 || (parent == NULL);
    if (group) {
        if (e->num_children < 0 || e->num_children > b->m->nschema - b->pos ||
            (parent != NULL && e->num_children == 0)) {
            b->bad = true;
            return NULL;
        }
        n->nchildren = e->num_children;
        n->children = lm_arena_calloc(b->a, (size_t)(n->nchildren ? n->nchildren : 1),
                                      sizeof(pq_node *));
        if (n->children == NULL) {
            b->oom = true;
            return NULL;
        }
        for (int i = 0; i < n->nchildren; i++) {
            n->children[i] = build_node(b, n, depth + 1);
            if (n->children[i] == NULL)
                return NULL;
        }
    } else {
        if (e->type > PQ_FIXED_LEN_BYTE_ARRAY) {
            b->bad = true;
            return NULL;
        }
        n->leaf = b->nleaves++;
    }
    return n;
}

static void collect_leaves(pq_node *n, pq_node **out)
{
    if (n->leaf >= 0)
        out[n->leaf] = n;
    for (int i = 0; i < n->nchildren; i++)
        collect_leaves(n->children[i], out);
}

lm_status pq_schema_build(const pq_file_meta *m, lm_arena *a, pq_schema *out, lm_error *err)
{
    builder b = {.m = m, .a = a, .err = err};
    out->root = build_node(&b, NULL, 0);
    if (b.oom)
        return lm_error_oom(err);
    if (out->root == NULL || b.bad || b.pos != m->nschema)
        return lm_error_set(err, LM_ERROR, "org.apache.spark.SparkException", NULL, NULL,
                            "Malformed Parquet schema in the file footer");
    out->nleaves = b.nleaves;
    out->leaves = lm_arena_calloc(a, (size_t)(b.nleaves ? b.nleaves : 1), sizeof(pq_node *));
    if (out->leaves == NULL)
        return lm_error_oom(err);
    collect_leaves(out->root, out->leaves);
    return LM_OK;
}

/* ------------------------------------------------------ type conversion */

static const char *ptype_name(int t)
{
    static const char *names[] = {"BOOLEAN", "INT32", "INT64", "INT96",
                                  "FLOAT", "DOUBLE", "BINARY", "FIXED_LEN_BYTE_ARRAY"};
    return t >= 0 && t <= 7 ? names[t] : "UNKNOWN";
}

/* parquet-mr's LogicalTypeAnnotation.toString, for Spark's messages. */
static void annotation_string(lm_strbuf *sb, const pq_schema_elem *e)
{
    static const char *units[] = {"", "MILLIS", "MICROS", "NANOS"};
    int u = e->lt_unit >= 1 && e->lt_unit <= 3 ? e->lt_unit : 0;
    switch (e->logical) {
    case PQ_LT_STRING: lm_strbuf_puts(sb, "STRING"); break;
    case PQ_LT_MAP: lm_strbuf_puts(sb, "MAP"); break;
    case PQ_LT_LIST: lm_strbuf_puts(sb, "LIST"); break;
    case PQ_LT_ENUM: lm_strbuf_puts(sb, "ENUM"); break;
    case PQ_LT_DECIMAL:
        lm_strbuf_printf(sb, "DECIMAL(%d,%d)", e->lt_precision, e->lt_scale);
        break;
    case PQ_LT_DATE: lm_strbuf_puts(sb, "DATE"); break;
    case PQ_LT_TIME:
        lm_strbuf_printf(sb, "TIME(%s,%s)", units[u], e->lt_utc ? "true" : "false");
        break;
    case PQ_LT_TIMESTAMP:
        lm_strbuf_printf(sb, "TIMESTAMP(%s,%s)", units[u], e->lt_utc ? "true" : "false");
        break;
    case PQ_LT_INTEGER:
        lm_strbuf_printf(sb, "INTEGER(%d,%s)", e->lt_bit_width, e->lt_signed ? "true" : "false");
        break;
    case PQ_LT_UNKNOWN: lm_strbuf_puts(sb, "UNKNOWN"); break;
    case PQ_LT_JSON: lm_strbuf_puts(sb, "JSON"); break;
    case PQ_LT_BSON: lm_strbuf_puts(sb, "BSON"); break;
    case PQ_LT_UUID: lm_strbuf_puts(sb, "UUID"); break;
    case PQ_LT_FLOAT16: lm_strbuf_puts(sb, "FLOAT16"); break;
    case -PQ_CT_INTERVAL: lm_strbuf_puts(sb, "INTERVAL"); break;
    default: break;
    }
}

static lm_type *type_error(lm_error *err, const pq_schema_elem *e, bool not_implemented)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, ptype_name(e->type));
    if (e->logical != PQ_LT_NONE) {
        lm_strbuf_puts(&sb, " (");
        annotation_string(&sb, e);
        lm_strbuf_putc(&sb, ')');
    }
    const char *ts = lm_strbuf_cstr(&sb);
    if (not_implemented) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "PARQUET_TYPE_NOT_SUPPORTED", "42846",
                     "[PARQUET_TYPE_NOT_SUPPORTED] Parquet type not yet supported: %s.", ts);
    } else {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "PARQUET_TYPE_ILLEGAL", "42846",
                     "[PARQUET_TYPE_ILLEGAL] Illegal Parquet type: %s.", ts);
    }
    lm_error_param_add(err, "parquetType", ts);
    lm_strbuf_free(&sb);
    return NULL;
}

static lm_type *conversion_error(lm_error *err, const char *msg)
{
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, NULL, NULL, "%s", msg);
    return NULL;
}

static lm_type *decimal_type(const pq_schema_elem *e, int max_precision, lm_error *err)
{
    int p = e->lt_precision, s = e->lt_scale;
    if (max_precision >= 0 && (p < 1 || p > max_precision)) {
        char buf[200];
        snprintf(buf, sizeof buf, "Invalid decimal precision: %s cannot store %d digits (max %d)",
                 ptype_name(e->type), p, max_precision);
        return conversion_error(err, buf);
    }
    lm_type *t = lm_type_decimal(p, s);
    if (t == NULL) {
        char buf[160];
        snprintf(buf, sizeof buf, "Invalid decimal type DECIMAL(%d,%d) in a Parquet file", p, s);
        return conversion_error(err, buf);
    }
    return t;
}

/* Bytes needed to store any unscaled decimal of this many digits; the
   largest precision a FIXED_LEN_BYTE_ARRAY(n) can hold is the inverse. */
static int max_precision_for_bytes(int n)
{
    if (n <= 0)
        return 0;
    if (n >= 16)
        return 38;
    /* floor(log10(2^(8n-1) - 1)) */
    lm_int128 v = ((lm_int128)1 << (8 * n - 1)) - 1;
    int d = 0;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static lm_type *primitive_type(const pq_node *n, const pq_convert_opts *o, lm_error *err)
{
    const pq_schema_elem *e = n->e;
    int lt = e->logical;
    switch (e->type) {
    case PQ_BOOLEAN:
        return lt == PQ_LT_NONE ? lm_type_boolean() : type_error(err, e, false);
    case PQ_FLOAT:
        return lt == PQ_LT_NONE ? lm_type_float() : type_error(err, e, false);
    case PQ_DOUBLE:
        return lt == PQ_LT_NONE ? lm_type_double() : type_error(err, e, false);
    case PQ_INT32:
        if (lt == PQ_LT_NONE)
            return lm_type_int();
        if (lt == PQ_LT_INTEGER && e->lt_signed) {
            switch (e->lt_bit_width) {
            case 8: return lm_type_byte();
            case 16: return lm_type_short();
            case 32: return lm_type_int();
            default: return type_error(err, e, false);
            }
        }
        if (lt == PQ_LT_INTEGER) {
            switch (e->lt_bit_width) {
            case 8: return lm_type_short();
            case 16: return lm_type_int();
            case 32: return lm_type_long();
            default: return type_error(err, e, false);
            }
        }
        if (lt == PQ_LT_DATE)
            return lm_type_date();
        if (lt == PQ_LT_DECIMAL)
            return decimal_type(e, 9, err);
        if (lt == PQ_LT_TIMESTAMP && e->lt_unit == PQ_UNIT_MILLIS)
            return type_error(err, e, true);
        return type_error(err, e, false);
    case PQ_INT64:
        if (lt == PQ_LT_NONE)
            return lm_type_long();
        if (lt == PQ_LT_INTEGER && e->lt_bit_width == 64)
            return e->lt_signed ? lm_type_long() : lm_type_decimal(20, 0);
        if (lt == PQ_LT_DECIMAL)
            return decimal_type(e, 18, err);
        if (lt == PQ_LT_TIMESTAMP &&
            (e->lt_unit == PQ_UNIT_MILLIS || e->lt_unit == PQ_UNIT_MICROS)) {
            if (e->lt_utc || !o->infer_timestamp_ntz)
                return lm_type_timestamp();
            return lm_type_timestamp_ntz();
        }
        if (lt == PQ_LT_TIMESTAMP && e->lt_unit == PQ_UNIT_NANOS && o->nanos_as_long)
            return lm_type_long();
        return type_error(err, e, false);
    case PQ_INT96:
        if (!o->int96_as_timestamp)
            return conversion_error(err, "INT96 is not supported unless it's interpreted as "
                                         "timestamp. Please try to set "
                                         "spark.sql.parquet.int96AsTimestamp to true.");
        return lm_type_timestamp();
    case PQ_BYTE_ARRAY:
        if (lt == PQ_LT_STRING || lt == PQ_LT_ENUM || lt == PQ_LT_JSON)
            return lm_type_string();
        if (lt == PQ_LT_NONE)
            return o->binary_as_string ? lm_type_string() : lm_type_binary();
        if (lt == PQ_LT_BSON)
            return lm_type_binary();
        if (lt == PQ_LT_DECIMAL)
            return decimal_type(e, -1, err);
        return type_error(err, e, false);
    case PQ_FIXED_LEN_BYTE_ARRAY:
        if (lt == PQ_LT_DECIMAL)
            return decimal_type(e, max_precision_for_bytes(e->type_length), err);
        if (lt == -PQ_CT_INTERVAL)
            return type_error(err, e, true);
        if (lt == PQ_LT_NONE)
            return lm_type_binary();
        return type_error(err, e, false);
    default:
        return type_error(err, e, false);
    }
}

bool pq_is_list(const pq_node *n)
{
    return n->leaf < 0 && n->e->logical == PQ_LT_LIST;
}

bool pq_is_map(const pq_node *n)
{
    return n->leaf < 0 && n->e->logical == PQ_LT_MAP;
}

bool pq_list_shape(const pq_node *n, const pq_node **repeated, const pq_node **elem)
{
    if (n->parent && n->e->repetition == PQ_REPEATED && !pq_is_list(n) && !pq_is_map(n)) {
        *repeated = *elem = n; /* a bare repeated field */
        return true;
    }
    if (!pq_is_list(n) || n->nchildren != 1)
        return false;
    const pq_node *r = n->children[0];
    if (r->e->repetition != PQ_REPEATED)
        return false;
    *repeated = r;
    /* Spark's isElementType: the legacy 2-level forms keep the element
       in the repeated node itself. */
    bool two_level = r->leaf >= 0 || r->nchildren > 1 || strcmp(r->e->name, "array") == 0;
    if (!two_level) {
        char tuple[512];
        snprintf(tuple, sizeof tuple, "%s_tuple", n->e->name);
        two_level = strcmp(r->e->name, tuple) == 0;
    }
    if (two_level || r->nchildren != 1)
        *elem = r;
    else
        *elem = r->children[0];
    return true;
}

bool pq_map_shape(const pq_node *n, const pq_node **kv, const pq_node **key,
                  const pq_node **value)
{
    if (!pq_is_map(n) || n->nchildren != 1)
        return false;
    const pq_node *r = n->children[0];
    if (r->leaf >= 0 || r->e->repetition != PQ_REPEATED || r->nchildren != 2)
        return false;
    *kv = r;
    *key = r->children[0];
    *value = r->children[1];
    return true;
}

bool pq_node_nullable(const pq_node *n)
{
    return n->e->repetition != PQ_REQUIRED;
}

static lm_type *node_type(const pq_node *n, const pq_convert_opts *o, lm_error *err, bool as_elem);

static lm_type *struct_type(const pq_node *n, const pq_convert_opts *o, lm_error *err)
{
    lm_field *fs = calloc((size_t)(n->nchildren ? n->nchildren : 1), sizeof *fs);
    if (fs == NULL) {
        lm_error_oom(err);
        return NULL;
    }
    lm_type *res = NULL;
    int i;
    for (i = 0; i < n->nchildren; i++) {
        const pq_node *c = n->children[i];
        fs[i].name = c->e->name;
        fs[i].type = node_type(c, o, err, false);
        if (fs[i].type == NULL)
            break;
        fs[i].nullable = c->e->repetition == PQ_OPTIONAL;
    }
    if (i == n->nchildren) {
        res = lm_type_struct(fs, n->nchildren);
        if (res == NULL)
            lm_error_oom(err);
    }
    for (int k = 0; k < i; k++)
        lm_type_unref(fs[k].type);
    free(fs);
    return res;
}

static lm_type *invalid(lm_error *err, const char *what, const pq_node *n)
{
    char buf[600];
    snprintf(buf, sizeof buf, "Invalid %s type: %s", what, n->dotted);
    return conversion_error(err, buf);
}

/* as_elem: the node is being converted as a list element/map part, so its
   own repetition does not make it an array. */
static lm_type *node_type(const pq_node *n, const pq_convert_opts *o, lm_error *err, bool as_elem)
{
    if (!as_elem && n->parent && n->e->repetition == PQ_REPEATED) {
        lm_type *e = node_type(n, o, err, true);
        if (e == NULL)
            return NULL;
        lm_type *t = lm_type_array(e, false);
        lm_type_unref(e);
        return t;
    }
    if (n->leaf >= 0)
        return primitive_type(n, o, err);
    if (pq_is_list(n)) {
        const pq_node *r, *el;
        if (!pq_list_shape(n, &r, &el))
            return invalid(err, "list", n);
        lm_type *e = node_type(el, o, err, true);
        if (e == NULL)
            return NULL;
        lm_type *t = lm_type_array(e, el != r && el->e->repetition == PQ_OPTIONAL);
        lm_type_unref(e);
        return t;
    }
    if (pq_is_map(n)) {
        const pq_node *kv, *k, *v;
        if (!pq_map_shape(n, &kv, &k, &v))
            return invalid(err, "map", n);
        lm_type *kt = node_type(k, o, err, false);
        lm_type *vt = kt ? node_type(v, o, err, false) : NULL;
        lm_type *t = vt ? lm_type_map(kt, vt, v->e->repetition == PQ_OPTIONAL) : NULL;
        lm_type_unref(kt);
        lm_type_unref(vt);
        return t;
    }
    if (n->e->logical != PQ_LT_NONE && n->parent)
        return type_error(err, n->e, false);
    return struct_type(n, o, err);
}

lm_type *pq_node_to_type(const pq_node *n, const pq_convert_opts *o, lm_error *err)
{
    if (n->parent == NULL)
        return struct_type(n, o, err);
    return node_type(n, o, err, false);
}
