/*
 * Writing an lm_table as a Parquet file the way Spark 3.5 does
 * (ParquetWriteSupport + parquet-mr's v1 writer):
 *   - schema: SparkToParquetSchemaConverter with writeLegacyFormat=false
 *     (3-level lists "list"/"element", maps "key_value"/"key"/"value",
 *     decimals as INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision, byte and
 *     short as INT32 with INT(8|16), timestamps per outputTimestampType,
 *     timestamp_ntz as INT64 TIMESTAMP(MICROS,false), ANSI intervals as
 *     plain INT32/INT64); a nullable field is OPTIONAL, else REQUIRED;
 *   - values are shredded into repetition/definition levels (Dremel);
 *   - each column chunk gets a PLAIN dictionary page and PLAIN_DICTIONARY
 *     data pages when the dictionary stays under the page size and pays
 *     for itself, else PLAIN data pages; levels are RLE;
 *   - chunk statistics: null_count, min_value/max_value (plus the old
 *     min/max for signed-order types);
 *   - footer key/value metadata: org.apache.spark.version and the Spark
 *     schema JSON (org.apache.spark.sql.parquet.row.metadata).
 * A field declared non-nullable that holds a NULL anyway is written as
 * OPTIONAL rather than producing a file that cannot represent it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "common/fileio.h"
#include "encoding.h"
#include "pq_int.h"
#include "types/datetime.h"

#define PQ_CREATED_BY "localmode version 0.1.0 (Spark 3.5.3 compatible)"
#define PQ_PAGE_ROW_LIMIT 20000

typedef enum wn_kind { WN_LEAF, WN_STRUCT, WN_LIST, WN_MAP } wn_kind;

typedef struct wleaf {
    int index;
    const lm_type *type;
    int ptype;
    int32_t type_length;
    int max_def, max_rep;
    char **path;
    int npath;
    /* buffered entries of the current row group */
    uint16_t *def, *rep;
    int64_t n, cap;
    pq_pv *vals;
    int64_t nv, vcap;
    int64_t approx_bytes;
} wleaf;

typedef struct wnode {
    wn_kind kind;
    const lm_type *type;
    const char *name;
    bool optional;
    bool saw_null;
    int def;              /* definition level when the value is present */
    int rep_def, rep_level; /* LIST/MAP: the repeated group's levels */
    int n;
    struct wnode **kids;  /* STRUCT fields; LIST [elem]; MAP [key, value] */
    wleaf *leaf;
} wnode;

typedef struct writer {
    const lm_parquet_write_opts *o;
    lm_error *err;
    int codec;
    lm_arena a;       /* schema, nodes, paths */
    lm_arena vals;    /* per-row-group value copies (INT96, FLBA) */
    wnode *root;
    int nleaves;
    wleaf **leaves;
    /* schema elements */
    pq_schema_elem *elems;
    int nelems, elem_cap;
    bool legacy_dt, legacy_96;
    lm_file *f;
    int64_t offset;
    pq_row_group *groups;
    int ngroups, group_cap;
    int64_t nrows_total, group_rows;
} writer;

static lm_status w_oom(writer *w)
{
    return lm_error_oom(w->err);
}

/* ------------------------------------------------------------- schema */

static lm_status unsupported_type(writer *w, const char *col, const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_sql_string(&sb, t);
    lm_error_set(w->err, LM_ERROR, LM_EXC_ANALYSIS, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                 "0A000",
                 "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Parquet datasource doesn't support "
                 "the column `%s` of the type \"%s\".",
                 col, lm_strbuf_cstr(&sb));
    lm_error_param_add(w->err, "columnName", col);
    lm_error_param_add(w->err, "columnType", lm_strbuf_cstr(&sb));
    lm_error_param_add(w->err, "format", "Parquet");
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

static wnode *wn_build(writer *w, const lm_type *t, const char *name, bool nullable,
                       const char *top)
{
    wnode *n = lm_arena_calloc(&w->a, 1, sizeof *n);
    if (n == NULL) {
        w_oom(w);
        return NULL;
    }
    n->type = t;
    n->name = name;
    n->optional = nullable;
    switch (t->id) {
    case LM_TYPE_STRUCT:
        n->kind = WN_STRUCT;
        n->n = t->nfields;
        n->kids = lm_arena_calloc(&w->a, (size_t)(n->n ? n->n : 1), sizeof(wnode *));
        if (n->kids == NULL) {
            w_oom(w);
            return NULL;
        }
        if (t->nfields == 0) {
            /* DataSourceUtils.verifySchema: no empty schema, nested or not */
            lm_error_set(w->err, LM_ERROR, LM_EXC_ANALYSIS,
                         "EMPTY_SCHEMA_NOT_SUPPORTED_FOR_DATASOURCE", "0A000",
                         "[EMPTY_SCHEMA_NOT_SUPPORTED_FOR_DATASOURCE] The Parquet datasource does "
                         "not support writing empty or nested empty schemas. Please make sure the "
                         "data schema has at least one or more column(s).");
            lm_error_param_add(w->err, "format", "Parquet");
            return NULL;
        }
        for (int i = 0; i < t->nfields; i++) {
            n->kids[i] = wn_build(w, t->fields[i].type, t->fields[i].name, t->fields[i].nullable,
                                  top ? top : t->fields[i].name);
            if (n->kids[i] == NULL)
                return NULL;
        }
        return n;
    case LM_TYPE_ARRAY:
        n->kind = WN_LIST;
        n->n = 1;
        n->kids = lm_arena_calloc(&w->a, 1, sizeof(wnode *));
        if (n->kids == NULL) {
            w_oom(w);
            return NULL;
        }
        n->kids[0] = wn_build(w, t->elem, "element", t->contains_null, top);
        return n->kids[0] ? n : NULL;
    case LM_TYPE_MAP:
        n->kind = WN_MAP;
        n->n = 2;
        n->kids = lm_arena_calloc(&w->a, 2, sizeof(wnode *));
        if (n->kids == NULL) {
            w_oom(w);
            return NULL;
        }
        if ((n->kids[0] = wn_build(w, t->key, "key", false, top)) == NULL ||
            (n->kids[1] = wn_build(w, t->value, "value", t->value_contains_null, top)) == NULL)
            return NULL;
        return n;
    case LM_TYPE_NULL:
    case LM_TYPE_INTERVAL:
        unsupported_type(w, top ? top : name, t);
        return NULL;
    default:
        n->kind = WN_LEAF;
        return n;
    }
}

/* Marks nodes that hold a NULL although declared non-nullable. */
static void wn_scan(wnode *n, const lm_value *v)
{
    if (v->is_null) {
        n->saw_null = true;
        return;
    }
    switch (n->kind) {
    case WN_STRUCT:
        for (int i = 0; i < n->n && i < v->u.st->n; i++)
            wn_scan(n->kids[i], &v->u.st->fields[i]);
        break;
    case WN_LIST:
        for (int32_t i = 0; i < v->u.arr->n; i++)
            wn_scan(n->kids[0], &v->u.arr->elems[i]);
        break;
    case WN_MAP:
        for (int32_t i = 0; i < v->u.map->n; i++) {
            wn_scan(n->kids[0], &v->u.map->keys[i]);
            wn_scan(n->kids[1], &v->u.map->values[i]);
        }
        break;
    default:
        break;
    }
}

static pq_schema_elem *add_elem(writer *w, const char *name, int repetition)
{
    if (w->nelems == w->elem_cap) {
        int cap = w->elem_cap ? w->elem_cap * 2 : 16;
        pq_schema_elem *ne = realloc(w->elems, sizeof *ne * (size_t)cap);
        if (ne == NULL)
            return NULL;
        w->elems = ne;
        w->elem_cap = cap;
    }
    pq_schema_elem *e = &w->elems[w->nelems++];
    memset(e, 0, sizeof *e);
    e->name = (char *)name;
    e->type = -1;
    e->repetition = repetition;
    e->converted = -1;
    return e;
}

static int min_bytes_for_precision(int p)
{
    int n = 1;
    for (;;) {
        /* 2^(8n-1) >= 10^p */
        lm_int128 lim = (lm_int128)1 << (8 * n - 1 < 126 ? 8 * n - 1 : 126);
        lm_int128 pow = 1;
        for (int i = 0; i < p; i++)
            pow *= 10;
        if (lim >= pow || n >= 16)
            return n;
        n++;
    }
}

static lm_status set_leaf_elem(writer *w, pq_schema_elem *e, wleaf *lf, const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN: e->type = PQ_BOOLEAN; break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
        e->type = PQ_INT32;
        e->logical = PQ_LT_INTEGER;
        e->lt_bit_width = t->id == LM_TYPE_BYTE ? 8 : 16;
        e->lt_signed = true;
        e->converted = t->id == LM_TYPE_BYTE ? PQ_CT_INT_8 : PQ_CT_INT_16;
        break;
    case LM_TYPE_INT: case LM_TYPE_YM_INTERVAL: e->type = PQ_INT32; break;
    case LM_TYPE_LONG: case LM_TYPE_DT_INTERVAL: e->type = PQ_INT64; break;
    case LM_TYPE_FLOAT: e->type = PQ_FLOAT; break;
    case LM_TYPE_DOUBLE: e->type = PQ_DOUBLE; break;
    case LM_TYPE_STRING:
        e->type = PQ_BYTE_ARRAY;
        e->logical = PQ_LT_STRING;
        e->converted = PQ_CT_UTF8;
        break;
    case LM_TYPE_BINARY: e->type = PQ_BYTE_ARRAY; break;
    case LM_TYPE_DATE:
        e->type = PQ_INT32;
        e->logical = PQ_LT_DATE;
        e->converted = PQ_CT_DATE;
        break;
    case LM_TYPE_TIMESTAMP:
        if (w->o->timestamp_type == LM_PQ_TS_INT96) {
            e->type = PQ_INT96;
            break;
        }
        e->type = PQ_INT64;
        e->logical = PQ_LT_TIMESTAMP;
        e->lt_utc = true;
        e->lt_unit = w->o->timestamp_type == LM_PQ_TS_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS;
        e->converted = e->lt_unit == PQ_UNIT_MILLIS ? PQ_CT_TIMESTAMP_MILLIS
                                                    : PQ_CT_TIMESTAMP_MICROS;
        break;
    case LM_TYPE_TIMESTAMP_NTZ:
        e->type = PQ_INT64;
        e->logical = PQ_LT_TIMESTAMP;
        e->lt_utc = false;
        e->lt_unit = PQ_UNIT_MICROS;
        break;
    case LM_TYPE_DECIMAL:
        e->logical = PQ_LT_DECIMAL;
        e->converted = PQ_CT_DECIMAL;
        e->lt_precision = e->precision = t->precision;
        e->lt_scale = e->scale = t->scale;
        if (t->precision <= 9)
            e->type = PQ_INT32;
        else if (t->precision <= 18)
            e->type = PQ_INT64;
        else {
            e->type = PQ_FIXED_LEN_BYTE_ARRAY;
            e->type_length = min_bytes_for_precision(t->precision);
        }
        break;
    default:
        return unsupported_type(w, e->name, t);
    }
    lf->ptype = e->type;
    lf->type_length = e->type_length;
    return LM_OK;
}

/* Emits the schema elements of n (depth first) and assigns levels. */
static lm_status wn_schema(writer *w, wnode *n, int parent_def, int parent_rep, char **path,
                           int depth)
{
    if (depth >= 60)
        return lm_error_set(w->err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED, NULL, NULL,
                            "Type nesting too deep for Parquet");
    bool opt = n->optional || n->saw_null;
    n->def = parent_def + (opt ? 1 : 0);
    pq_schema_elem *e = add_elem(w, n->name, opt ? PQ_OPTIONAL : PQ_REQUIRED);
    if (e == NULL)
        return w_oom(w);
    int idx = w->nelems - 1;
    path[depth] = (char *)n->name;
    switch (n->kind) {
    case WN_LEAF: {
        wleaf *lf = lm_arena_calloc(&w->a, 1, sizeof *lf);
        char **p = lm_arena_alloc(&w->a, sizeof(char *) * (size_t)(depth + 1));
        if (lf == NULL || p == NULL)
            return w_oom(w);
        memcpy(p, path, sizeof(char *) * (size_t)(depth + 1));
        lf->path = p;
        lf->npath = depth + 1;
        lf->type = n->type;
        lf->max_def = n->def;
        lf->max_rep = parent_rep;
        lf->index = w->nleaves;
        n->leaf = lf;
        wleaf **nl = realloc(w->leaves, sizeof(wleaf *) * (size_t)(w->nleaves + 1));
        if (nl == NULL)
            return w_oom(w);
        w->leaves = nl;
        w->leaves[w->nleaves++] = lf;
        return set_leaf_elem(w, e, lf, n->type);
    }
    case WN_STRUCT:
        e->num_children = n->n;
        for (int i = 0; i < n->n; i++) {
            lm_status st = wn_schema(w, n->kids[i], n->def, parent_rep, path, depth + 1);
            if (st != LM_OK)
                return st;
        }
        return LM_OK;
    case WN_LIST:
    case WN_MAP: {
        bool is_map = n->kind == WN_MAP;
        e->num_children = 1;
        e->logical = is_map ? PQ_LT_MAP : PQ_LT_LIST;
        e->converted = is_map ? PQ_CT_MAP : PQ_CT_LIST;
        pq_schema_elem *r = add_elem(w, is_map ? "key_value" : "list", PQ_REPEATED);
        if (r == NULL)
            return w_oom(w);
        r->num_children = n->n;
        n->rep_def = n->def + 1;
        n->rep_level = parent_rep + 1;
        path[depth + 1] = is_map ? "key_value" : "list";
        for (int i = 0; i < n->n; i++) {
            lm_status st = wn_schema(w, n->kids[i], n->rep_def, n->rep_level, path, depth + 2);
            if (st != LM_OK)
                return st;
        }
        (void)idx;
        return LM_OK;
    }
    }
    return LM_OK;
}

/* ----------------------------------------------------------- shredding */

static bool leaf_push(wleaf *lf, int r, int d)
{
    if (lf->n == lf->cap) {
        int64_t cap = lf->cap ? lf->cap * 2 : 1024;
        uint16_t *nd = realloc(lf->def, sizeof(uint16_t) * (size_t)cap);
        if (nd == NULL)
            return false;
        lf->def = nd;
        uint16_t *nr = realloc(lf->rep, sizeof(uint16_t) * (size_t)cap);
        if (nr == NULL)
            return false;
        lf->rep = nr;
        lf->cap = cap;
    }
    lf->def[lf->n] = (uint16_t)d;
    lf->rep[lf->n] = (uint16_t)r;
    lf->n++;
    lf->approx_bytes += 1;
    return true;
}

static bool emit_null(wnode *n, int r, int d)
{
    if (n->kind == WN_LEAF)
        return leaf_push(n->leaf, r, d);
    for (int i = 0; i < n->n; i++)
        if (!emit_null(n->kids[i], r, d))
            return false;
    return true;
}

/* Spark writes timestamps/dates as they are (CORRECTED), rebased
   (LEGACY), or refuses ancient values (EXCEPTION, the default). */
static lm_status leaf_value(writer *w, wleaf *lf, const lm_value *v, pq_pv *pv)
{
    switch (lf->type->id) {
    case LM_TYPE_BOOLEAN: pv->u.b = v->u.b; break;
    case LM_TYPE_BYTE: case LM_TYPE_SHORT: case LM_TYPE_INT: case LM_TYPE_YM_INTERVAL:
        pv->u.i32 = (int32_t)v->u.i64;
        break;
    case LM_TYPE_DATE: {
        int32_t d = (int32_t)v->u.i64;
        if (d < PQ_LAST_SWITCH_JULIAN_DAY) {
            if (w->o->datetime_rebase == LM_PQ_REBASE_EXCEPTION)
                return pq_err_rebase_write(w->err, false);
            if (w->o->datetime_rebase == LM_PQ_REBASE_LEGACY)
                d = pq_rebase_gregorian_to_julian_days(d);
        }
        pv->u.i32 = d;
        break;
    }
    case LM_TYPE_LONG: case LM_TYPE_DT_INTERVAL: case LM_TYPE_TIMESTAMP_NTZ:
        pv->u.i64 = v->u.i64;
        break;
    case LM_TYPE_TIMESTAMP: {
        int64_t us = v->u.i64;
        bool i96 = lf->ptype == PQ_INT96;
        lm_parquet_rebase mode = i96 ? w->o->int96_rebase : w->o->datetime_rebase;
        if (us < PQ_LAST_SWITCH_JULIAN_TS) {
            if (mode == LM_PQ_REBASE_EXCEPTION)
                return pq_err_rebase_write(w->err, i96);
            if (mode == LM_PQ_REBASE_LEGACY)
                us = pq_rebase_gregorian_to_julian_micros(us, "UTC");
        }
        if (i96) {
            uint8_t *b = lm_arena_alloc(&w->vals, 12);
            if (b == NULL)
                return w_oom(w);
            int64_t day = lm_floor_div(us, INT64_C(86400000000));
            int64_t nanos = lm_floor_mod(us, INT64_C(86400000000)) * 1000;
            int32_t jd = (int32_t)(day + 2440588);
            memcpy(b, &nanos, 8);
            memcpy(b + 8, &jd, 4);
            pv->u.bin.p = b;
            pv->u.bin.len = 12;
        } else if (w->o->timestamp_type == LM_PQ_TS_MILLIS)
            pv->u.i64 = lm_floor_div(us, 1000);
        else
            pv->u.i64 = us;
        break;
    }
    case LM_TYPE_FLOAT: pv->u.f = v->u.f32; break;
    case LM_TYPE_DOUBLE: pv->u.d = v->u.f64; break;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        pv->u.bin.p = (const uint8_t *)v->u.str.ptr;
        pv->u.bin.len = v->u.str.len;
        break;
    case LM_TYPE_DECIMAL:
        if (lf->ptype == PQ_INT32)
            pv->u.i32 = (int32_t)v->u.dec;
        else if (lf->ptype == PQ_INT64)
            pv->u.i64 = (int64_t)v->u.dec;
        else {
            int n = lf->type_length;
            uint8_t *b = lm_arena_alloc(&w->vals, (size_t)n);
            if (b == NULL)
                return w_oom(w);
            lm_int128 x = v->u.dec;
            for (int i = n - 1; i >= 0; i--) {
                b[i] = (uint8_t)(x & 0xff);
                x >>= 8; /* arithmetic shift keeps the sign */
            }
            pv->u.bin.p = b;
            pv->u.bin.len = n;
        }
        break;
    default:
        return unsupported_type(w, lf->path[0], lf->type);
    }
    return LM_OK;
}

static lm_status shred(writer *w, wnode *n, const lm_value *v, int r, int parent_def)
{
    if (v->is_null)
        return emit_null(n, r, parent_def) ? LM_OK : w_oom(w);
    switch (n->kind) {
    case WN_LEAF: {
        wleaf *lf = n->leaf;
        if (lf->nv == lf->vcap) {
            int64_t cap = lf->vcap ? lf->vcap * 2 : 1024;
            pq_pv *nv = realloc(lf->vals, sizeof(pq_pv) * (size_t)cap);
            if (nv == NULL)
                return w_oom(w);
            lf->vals = nv;
            lf->vcap = cap;
        }
        lm_status st = leaf_value(w, lf, v, &lf->vals[lf->nv]);
        if (st != LM_OK)
            return st;
        if (!leaf_push(lf, r, n->def))
            return w_oom(w);
        const pq_pv *pv = &lf->vals[lf->nv++];
        lf->approx_bytes += lf->ptype == PQ_BYTE_ARRAY ? 4 + pv->u.bin.len
                            : lf->ptype == PQ_INT64 || lf->ptype == PQ_DOUBLE ? 8
                            : lf->ptype == PQ_INT96 ? 12
                            : lf->ptype == PQ_FIXED_LEN_BYTE_ARRAY ? lf->type_length
                                                                    : 4;
        return LM_OK;
    }
    case WN_STRUCT:
        for (int i = 0; i < n->n; i++) {
            lm_status st = shred(w, n->kids[i], &v->u.st->fields[i], r, n->def);
            if (st != LM_OK)
                return st;
        }
        return LM_OK;
    case WN_LIST:
    case WN_MAP: {
        bool is_map = n->kind == WN_MAP;
        int32_t cnt = is_map ? v->u.map->n : v->u.arr->n;
        if (cnt == 0)
            return emit_null(n, r, n->def) ? LM_OK : w_oom(w);
        for (int32_t i = 0; i < cnt; i++) {
            int rr = i == 0 ? r : n->rep_level;
            lm_status st;
            if (is_map) {
                st = shred(w, n->kids[0], &v->u.map->keys[i], rr, n->rep_def);
                if (st == LM_OK)
                    st = shred(w, n->kids[1], &v->u.map->values[i], rr, n->rep_def);
            } else
                st = shred(w, n->kids[0], &v->u.arr->elems[i], rr, n->rep_def);
            if (st != LM_OK)
                return st;
        }
        return LM_OK;
    }
    }
    return LM_OK;
}

/* --------------------------------------------------------- statistics */

static int cmp_bytes(const pq_pv *a, const pq_pv *b)
{
    int32_t n = a->u.bin.len < b->u.bin.len ? a->u.bin.len : b->u.bin.len;
    int c = n ? memcmp(a->u.bin.p, b->u.bin.p, (size_t)n) : 0;
    if (c)
        return c;
    return (a->u.bin.len > b->u.bin.len) - (a->u.bin.len < b->u.bin.len);
}

static lm_int128 flba_decimal(const pq_pv *v)
{
    lm_int128 x = v->u.bin.len > 0 && (v->u.bin.p[0] & 0x80) ? -1 : 0;
    for (int32_t i = 0; i < v->u.bin.len; i++)
        x = (lm_int128)(((unsigned __int128)x << 8) | v->u.bin.p[i]);
    return x;
}

/* Compares two physical values in the column's sort order. */
static int cmp_pv(const wleaf *lf, const pq_pv *a, const pq_pv *b)
{
    switch (lf->ptype) {
    case PQ_BOOLEAN: return (int)a->u.b - (int)b->u.b;
    case PQ_INT32: return (a->u.i32 > b->u.i32) - (a->u.i32 < b->u.i32);
    case PQ_INT64: return (a->u.i64 > b->u.i64) - (a->u.i64 < b->u.i64);
    case PQ_FLOAT: return (a->u.f > b->u.f) - (a->u.f < b->u.f);
    case PQ_DOUBLE: return (a->u.d > b->u.d) - (a->u.d < b->u.d);
    case PQ_FIXED_LEN_BYTE_ARRAY: {
        lm_int128 x = flba_decimal(a), y = flba_decimal(b);
        return (x > y) - (x < y);
    }
    default: return cmp_bytes(a, b);
    }
}

static void stats_bytes(writer *w, const wleaf *lf, const pq_pv *v, const uint8_t **p,
                        int32_t *len)
{
    switch (lf->ptype) {
    case PQ_BOOLEAN: {
        uint8_t *b = lm_arena_alloc(&w->vals, 1);
        if (b)
            *b = v->u.b;
        *p = b;
        *len = 1;
        break;
    }
    case PQ_INT32:
    case PQ_FLOAT: {
        uint8_t *b = lm_arena_alloc(&w->vals, 4);
        if (b)
            memcpy(b, &v->u.i32, 4);
        *p = b;
        *len = 4;
        break;
    }
    case PQ_INT64:
    case PQ_DOUBLE: {
        uint8_t *b = lm_arena_alloc(&w->vals, 8);
        if (b)
            memcpy(b, &v->u.i64, 8);
        *p = b;
        *len = 8;
        break;
    }
    default:
        *p = v->u.bin.p;
        *len = v->u.bin.len;
    }
}

static void compute_stats(writer *w, const wleaf *lf, pq_stats *s)
{
    memset(s, 0, sizeof *s);
    s->has_null_count = true;
    s->null_count = lf->n - lf->nv;
    if (lf->ptype == PQ_INT96 || lf->nv == 0)
        return;
    const pq_pv *mn = NULL, *mx = NULL;
    for (int64_t i = 0; i < lf->nv; i++) {
        const pq_pv *v = &lf->vals[i];
        if (lf->ptype == PQ_FLOAT && v->u.f != v->u.f)
            continue;
        if (lf->ptype == PQ_DOUBLE && v->u.d != v->u.d)
            continue;
        if (mn == NULL || cmp_pv(lf, v, mn) < 0)
            mn = v;
        if (mx == NULL || cmp_pv(lf, v, mx) > 0)
            mx = v;
    }
    if (mn == NULL)
        return;
    /* parquet-mr leaves out min/max larger than 4 KiB */
    if ((lf->ptype == PQ_BYTE_ARRAY) && (mn->u.bin.len > 4096 || mx->u.bin.len > 4096))
        return;
    stats_bytes(w, lf, mn, &s->min, &s->min_len);
    stats_bytes(w, lf, mx, &s->max, &s->max_len);
    if (s->min == NULL || s->max == NULL)
        return;
    /* -0.0/+0.0: min is written as -0.0 and max as +0.0 (PARQUET-1222) */
    if (lf->ptype == PQ_FLOAT || lf->ptype == PQ_DOUBLE) {
        uint8_t *mnb = (uint8_t *)s->min, *mxb = (uint8_t *)s->max;
        if (lf->ptype == PQ_FLOAT) {
            float f;
            memcpy(&f, mnb, 4);
            if (f == 0) { f = -0.0f; memcpy(mnb, &f, 4); }
            memcpy(&f, mxb, 4);
            if (f == 0) { f = 0.0f; memcpy(mxb, &f, 4); }
        } else {
            double d;
            memcpy(&d, mnb, 8);
            if (d == 0) { d = -0.0; memcpy(mnb, &d, 8); }
            memcpy(&d, mxb, 8);
            if (d == 0) { d = 0.0; memcpy(mxb, &d, 8); }
        }
    }
    s->has_min = s->has_max = true;
    s->legacy = lf->ptype == PQ_INT32 || lf->ptype == PQ_INT64 || lf->ptype == PQ_FLOAT ||
                lf->ptype == PQ_DOUBLE || lf->ptype == PQ_BOOLEAN;
}

/* --------------------------------------------------------- dictionary */

static uint64_t pv_hash(const wleaf *lf, const pq_pv *v)
{
    const uint8_t *p;
    size_t n;
    switch (lf->ptype) {
    case PQ_INT32: case PQ_FLOAT: p = (const uint8_t *)&v->u.i32; n = 4; break;
    case PQ_INT64: case PQ_DOUBLE: p = (const uint8_t *)&v->u.i64; n = 8; break;
    default: p = v->u.bin.p; n = (size_t)v->u.bin.len; break;
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static bool pv_same(const wleaf *lf, const pq_pv *a, const pq_pv *b)
{
    switch (lf->ptype) {
    case PQ_INT32: case PQ_FLOAT: return a->u.i32 == b->u.i32; /* bitwise */
    case PQ_INT64: case PQ_DOUBLE: return a->u.i64 == b->u.i64;
    default:
        return a->u.bin.len == b->u.bin.len &&
               (a->u.bin.len == 0 || memcmp(a->u.bin.p, b->u.bin.p, (size_t)a->u.bin.len) == 0);
    }
}

static int64_t plain_size(const wleaf *lf, const pq_pv *v)
{
    switch (lf->ptype) {
    case PQ_BOOLEAN: return 1; /* an eighth, really; pages stay small anyway */
    case PQ_INT32: case PQ_FLOAT: return 4;
    case PQ_INT64: case PQ_DOUBLE: return 8;
    case PQ_INT96: return 12;
    case PQ_FIXED_LEN_BYTE_ARRAY: return lf->type_length;
    default: return 4 + v->u.bin.len;
    }
}

/* Builds the dictionary: *ndict distinct values (indices into lf->vals)
   and one index per value. Returns false when a dictionary should not be
   used (too large, or no smaller than PLAIN), or on allocation failure. */
static bool build_dict(writer *w, const wleaf *lf, int64_t **dict_out, int64_t *ndict,
                       uint32_t **idx_out)
{
    if (!w->o->dictionary || lf->ptype == PQ_BOOLEAN || lf->nv == 0)
        return false;
    int64_t cap = 16;
    while (cap < lf->nv * 2)
        cap *= 2;
    int64_t *slots = malloc(sizeof(int64_t) * (size_t)cap);
    int64_t *dict = malloc(sizeof(int64_t) * (size_t)lf->nv);
    uint32_t *idx = malloc(sizeof(uint32_t) * (size_t)lf->nv);
    if (slots == NULL || dict == NULL || idx == NULL)
        goto no;
    memset(slots, 0xff, sizeof(int64_t) * (size_t)cap);
    int64_t nd = 0, dict_bytes = 0, plain_bytes = 0;
    for (int64_t i = 0; i < lf->nv; i++) {
        const pq_pv *v = &lf->vals[i];
        plain_bytes += plain_size(lf, v);
        uint64_t h = pv_hash(lf, v) & (uint64_t)(cap - 1);
        while (slots[h] >= 0 && !pv_same(lf, &lf->vals[dict[slots[h]]], v))
            h = (h + 1) & (uint64_t)(cap - 1);
        if (slots[h] < 0) {
            slots[h] = nd;
            dict[nd++] = i;
            dict_bytes += plain_size(lf, v);
            if (dict_bytes > w->o->page_size)
                goto no;
        }
        idx[i] = (uint32_t)slots[h];
    }
    int64_t idx_bytes = (lf->nv * pq_bit_width((uint64_t)(nd - 1)) + 7) / 8 + 1;
    if (dict_bytes + idx_bytes >= plain_bytes)
        goto no;
    free(slots);
    *dict_out = dict;
    *ndict = nd;
    *idx_out = idx;
    return true;
no:
    free(slots);
    free(dict);
    free(idx);
    return false;
}

/* ------------------------------------------------------------- output */

static lm_status out_bytes(writer *w, const void *p, size_t n)
{
    if (n && lm_fio_write(w->f, p, n, w->err) != LM_OK)
        return w->err->status != LM_OK ? w->err->status : LM_EIO;
    w->offset += (int64_t)n;
    return LM_OK;
}

/* Compresses body and writes header + body; adds the sizes to the chunk. */
static lm_status write_page(writer *w, pq_page_header *h, lm_strbuf *body, pq_column_meta *cm)
{
    lm_strbuf comp, head;
    lm_strbuf_init(&comp);
    lm_strbuf_init(&head);
    if (!lm_strbuf_ok(body)) {
        lm_strbuf_free(&comp);
        return w_oom(w);
    }
    lm_status st = pq_compress(w->codec, (const uint8_t *)body->data, body->len, &comp, w->err);
    if (st == LM_OK) {
        h->uncompressed_size = (int32_t)body->len;
        h->compressed_size = (int32_t)comp.len;
        pq_encode_page_header(&head, h, NULL);
        if (!lm_strbuf_ok(&head))
            st = w_oom(w);
    }
    if (st == LM_OK)
        st = out_bytes(w, head.data, head.len);
    if (st == LM_OK)
        st = out_bytes(w, comp.data, comp.len);
    if (st == LM_OK) {
        cm->total_compressed_size += (int64_t)(head.len + comp.len);
        cm->total_uncompressed_size += (int64_t)(head.len + body->len);
    }
    lm_strbuf_free(&comp);
    lm_strbuf_free(&head);
    return st;
}

static lm_status write_chunk(writer *w, wleaf *lf, pq_column_chunk *cc)
{
    pq_column_meta *cm = &cc->meta;
    memset(cc, 0, sizeof *cc);
    cc->has_meta = true;
    cm->type = lf->ptype;
    cm->codec = w->codec;
    cm->path = lf->path;
    cm->npath = lf->npath;
    cm->num_values = lf->n;
    compute_stats(w, lf, &cm->stats);
    int64_t *dict = NULL, ndict = 0;
    uint32_t *idx = NULL;
    bool use_dict = build_dict(w, lf, &dict, &ndict, &idx);
    lm_status st = LM_OK;
    lm_strbuf body;
    lm_strbuf_init(&body);
    int64_t chunk_start = w->offset;
    if (use_dict) {
        cm->has_dictionary_page_offset = true;
        cm->dictionary_page_offset = w->offset;
        pq_pv *dv = malloc(sizeof(pq_pv) * (size_t)ndict);
        if (dv == NULL)
            st = w_oom(w);
        for (int64_t i = 0; st == LM_OK && i < ndict; i++)
            dv[i] = lf->vals[dict[i]];
        if (st == LM_OK) {
            pq_plain_encode(&body, lf->ptype, lf->type_length, dv, ndict);
            pq_page_header h = {.type = PQ_PAGE_DICTIONARY};
            h.dict.num_values = (int32_t)ndict;
            h.dict.encoding = PQ_ENC_PLAIN_DICTIONARY;
            st = write_page(w, &h, &body, cm);
        }
        free(dv);
    }
    cm->data_page_offset = w->offset;
    int bw = use_dict ? pq_bit_width((uint64_t)(ndict - 1)) : 0;
    int64_t i = 0, vi = 0;
    uint32_t *lv = malloc(sizeof(uint32_t) * (size_t)(lf->n ? lf->n : 1));
    if (lv == NULL && st == LM_OK)
        st = w_oom(w);
    while (st == LM_OK && i < lf->n) {
        /* a page ends at a record boundary once it is big enough */
        int64_t j = i, bytes = 0, recs = 0, vstart = vi, vend = vi;
        while (j < lf->n) {
            if (lf->rep[j] == 0) {
                if (j > i && (bytes >= w->o->page_size || recs >= PQ_PAGE_ROW_LIMIT))
                    break;
                recs++;
            }
            if (lf->def[j] == lf->max_def) {
                bytes += use_dict ? 2 : plain_size(lf, &lf->vals[vend]);
                vend++;
            }
            j++;
        }
        lm_strbuf_reset(&body);
        if (lf->max_rep > 0) {
            lm_strbuf lev;
            lm_strbuf_init(&lev);
            for (int64_t k = i; k < j; k++)
                lv[k - i] = lf->rep[k];
            pq_rle_encode(&lev, lv, j - i, pq_bit_width((uint64_t)lf->max_rep));
            if (!lm_strbuf_ok(&lev)) {
                lm_strbuf_free(&lev);
                st = w_oom(w);
                break;
            }
            uint32_t l = (uint32_t)lev.len;
            lm_strbuf_append(&body, (const char *)&l, 4);
            lm_strbuf_append(&body, lev.data ? lev.data : "", lev.len);
            lm_strbuf_free(&lev);
        }
        if (lf->max_def > 0) {
            lm_strbuf lev;
            lm_strbuf_init(&lev);
            for (int64_t k = i; k < j; k++)
                lv[k - i] = lf->def[k];
            pq_rle_encode(&lev, lv, j - i, pq_bit_width((uint64_t)lf->max_def));
            if (!lm_strbuf_ok(&lev)) {
                lm_strbuf_free(&lev);
                st = w_oom(w);
                break;
            }
            uint32_t l = (uint32_t)lev.len;
            lm_strbuf_append(&body, (const char *)&l, 4);
            lm_strbuf_append(&body, lev.data ? lev.data : "", lev.len);
            lm_strbuf_free(&lev);
        }
        if (use_dict) {
            lm_strbuf_putc(&body, (char)bw);
            pq_rle_encode(&body, idx + vstart, vend - vstart, bw);
        } else
            pq_plain_encode(&body, lf->ptype, lf->type_length, lf->vals + vstart, vend - vstart);
        pq_page_header h = {.type = PQ_PAGE_DATA};
        h.data.num_values = (int32_t)(j - i);
        h.data.encoding = use_dict ? PQ_ENC_PLAIN_DICTIONARY : PQ_ENC_PLAIN;
        h.data.def_encoding = PQ_ENC_RLE;
        h.data.rep_encoding = PQ_ENC_RLE;
        st = write_page(w, &h, &body, cm);
        i = j;
        vi = vend;
    }
    if (lf->n == 0 && st == LM_OK) {
        /* an empty chunk still needs one (empty) page for some readers */
        pq_page_header h = {.type = PQ_PAGE_DATA};
        h.data.encoding = PQ_ENC_PLAIN;
        h.data.def_encoding = h.data.rep_encoding = PQ_ENC_RLE;
        lm_strbuf_reset(&body);
        st = write_page(w, &h, &body, cm);
    }
    free(lv);
    lm_strbuf_free(&body);
    free(dict);
    free(idx);
    (void)chunk_start;
    int32_t *encs = lm_arena_alloc(&w->a, sizeof(int32_t) * 3);
    if (encs == NULL)
        return st != LM_OK ? st : w_oom(w);
    cm->encodings = encs;
    cm->nencodings = 0;
    if (use_dict)
        encs[cm->nencodings++] = PQ_ENC_PLAIN_DICTIONARY;
    else
        encs[cm->nencodings++] = PQ_ENC_PLAIN;
    encs[cm->nencodings++] = PQ_ENC_RLE;
    encs[cm->nencodings++] = PQ_ENC_BIT_PACKED;
    cc->file_offset = cm->has_dictionary_page_offset ? cm->dictionary_page_offset
                                                     : cm->data_page_offset;
    return st;
}

/* Writes the buffered rows as one row group. The statistics bytes point
   into w->vals and leaf buffers, so they are copied into w->a first. */
static lm_status flush_group(writer *w)
{
    if (w->group_rows == 0 && w->ngroups > 0)
        return LM_OK;
    if (w->group_rows == 0)
        return LM_OK; /* an empty file has no row group */
    if (w->ngroups == w->group_cap) {
        int cap = w->group_cap ? w->group_cap * 2 : 4;
        pq_row_group *ng = realloc(w->groups, sizeof *ng * (size_t)cap);
        if (ng == NULL)
            return w_oom(w);
        w->groups = ng;
        w->group_cap = cap;
    }
    pq_row_group *g = &w->groups[w->ngroups];
    memset(g, 0, sizeof *g);
    g->columns = lm_arena_calloc(&w->a, (size_t)(w->nleaves ? w->nleaves : 1),
                                 sizeof(pq_column_chunk));
    if (g->columns == NULL)
        return w_oom(w);
    g->ncolumns = w->nleaves;
    g->num_rows = w->group_rows;
    lm_status st = LM_OK;
    for (int c = 0; c < w->nleaves && st == LM_OK; c++) {
        wleaf *lf = w->leaves[c];
        st = write_chunk(w, lf, &g->columns[c]);
        if (st != LM_OK)
            break;
        pq_stats *s = &g->columns[c].meta.stats;
        if (s->has_min) {
            uint8_t *mn = lm_arena_alloc(&w->a, (size_t)s->min_len + 1);
            uint8_t *mx = lm_arena_alloc(&w->a, (size_t)s->max_len + 1);
            if (mn == NULL || mx == NULL)
                return w_oom(w);
            memcpy(mn, s->min, (size_t)s->min_len);
            memcpy(mx, s->max, (size_t)s->max_len);
            s->min = mn;
            s->max = mx;
        }
        g->total_byte_size += g->columns[c].meta.total_uncompressed_size;
        lf->n = lf->nv = 0;
        lf->approx_bytes = 0;
    }
    if (st != LM_OK)
        return st;
    w->ngroups++;
    w->group_rows = 0;
    lm_arena_free(&w->vals);
    lm_arena_init(&w->vals, 1 << 16);
    return LM_OK;
}

static lm_status write_footer(writer *w, const lm_type *schema)
{
    pq_file_meta m;
    memset(&m, 0, sizeof m);
    m.version = 1;
    m.schema = w->elems;
    m.nschema = w->nelems;
    m.num_rows = w->nrows_total;
    m.row_groups = w->groups;
    m.nrow_groups = w->ngroups;
    char *json = lm_parquet_schema_to_json(schema);
    if (json == NULL)
        return w_oom(w);
    pq_kv kv[4];
    int nkv = 0;
    kv[nkv++] = (pq_kv){PQ_SPARK_VERSION_KEY, "3.5.3"};
    kv[nkv++] = (pq_kv){PQ_SPARK_ROW_METADATA, json};
    if (w->legacy_dt)
        kv[nkv++] = (pq_kv){PQ_SPARK_LEGACY_DATETIME, ""};
    if (w->legacy_96)
        kv[nkv++] = (pq_kv){PQ_SPARK_LEGACY_INT96, ""};
    m.kv = kv;
    m.nkv = nkv;
    m.created_by = PQ_CREATED_BY;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    pq_encode_file_meta(&sb, &m);
    free(json);
    if (!lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return w_oom(w);
    }
    uint32_t flen = (uint32_t)sb.len;
    lm_status st = out_bytes(w, sb.data, sb.len);
    if (st == LM_OK)
        st = out_bytes(w, &flen, 4);
    if (st == LM_OK)
        st = out_bytes(w, "PAR1", 4);
    lm_strbuf_free(&sb);
    return st;
}

static void writer_free(writer *w);

static lm_status write_table(writer *w, const lm_table *t)
{
    const lm_type *schema = t->schema;
    w->root = wn_build(w, schema, "spark_schema", false, NULL);
    if (w->root == NULL)
        return w->err->status != LM_OK ? w->err->status : LM_ERROR;
    w->root->optional = false;
    /* pass 1: find NULLs in non-nullable positions */
    lm_arena scratch;
    lm_arena_init(&scratch, 1 << 16);
    lm_value *row = malloc(sizeof(lm_value) * (size_t)(schema->nfields ? schema->nfields : 1));
    if (row == NULL) {
        lm_arena_free(&scratch);
        return w_oom(w);
    }
    lm_status st = LM_OK;
    for (int b = 0; b < t->nbatches && st == LM_OK; b++) {
        const lm_batch *bt = t->batches[b];
        for (int32_t i = 0; i < bt->nrows; i++) {
            if (!lm_batch_get_row(bt, i, row, &scratch)) {
                st = w_oom(w);
                break;
            }
            for (int f = 0; f < schema->nfields; f++)
                wn_scan(w->root->kids[f], &row[f]);
        }
        lm_arena_free(&scratch);
        lm_arena_init(&scratch, 1 << 16);
    }
    char *path[64];
    if (st == LM_OK) {
        /* the root element is REQUIRED-less: no repetition field */
        pq_schema_elem *re = add_elem(w, "spark_schema", -1);
        if (re == NULL)
            st = w_oom(w);
        else
            re->num_children = schema->nfields;
        for (int f = 0; f < schema->nfields && st == LM_OK; f++)
            st = wn_schema(w, w->root->kids[f], 0, 0, path, 0);
    }
    /* the header */
    if (st == LM_OK)
        st = out_bytes(w, "PAR1", 4);
    /* pass 2: shred and write row groups */
    for (int b = 0; b < t->nbatches && st == LM_OK; b++) {
        const lm_batch *bt = t->batches[b];
        for (int32_t i = 0; i < bt->nrows && st == LM_OK; i++) {
            if (!lm_batch_get_row(bt, i, row, &scratch)) {
                st = w_oom(w);
                break;
            }
            for (int f = 0; f < schema->nfields && st == LM_OK; f++)
                st = shred(w, w->root->kids[f], &row[f], 0, 0);
            w->group_rows++;
            w->nrows_total++;
            int64_t bytes = 0;
            for (int c = 0; c < w->nleaves; c++)
                bytes += w->leaves[c]->approx_bytes;
            if (st == LM_OK && bytes >= w->o->row_group_size)
                st = flush_group(w);
        }
        /* batch rows point into this batch only: scratch holds nested
           copies, strings point into the table's vectors */
        if (st == LM_OK) {
            lm_arena_free(&scratch);
            lm_arena_init(&scratch, 1 << 16);
        }
    }
    if (st == LM_OK)
        st = flush_group(w);
    if (st == LM_OK)
        st = write_footer(w, schema);
    free(row);
    lm_arena_free(&scratch);
    return st;
}

lm_status pq_check_schema(const lm_type *schema, lm_error *err)
{
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    writer w;
    memset(&w, 0, sizeof w);
    w.o = &o;
    w.err = err;
    lm_arena_init(&w.a, 1 << 12);
    lm_arena_init(&w.vals, 1 << 12);
    lm_status st = LM_OK;
    w.root = wn_build(&w, schema, "spark_schema", false, NULL);
    if (w.root == NULL)
        st = err->status != LM_OK ? err->status : LM_ERROR;
    char *path[64];
    for (int f = 0; st == LM_OK && f < schema->nfields; f++)
        st = wn_schema(&w, w.root->kids[f], 0, 0, path, 0);
    writer_free(&w);
    return st;
}

void lm_parquet_write_opts_init(lm_parquet_write_opts *o)
{
    memset(o, 0, sizeof *o);
    o->compression = "snappy";
    o->timestamp_type = LM_PQ_TS_INT96;
    o->datetime_rebase = LM_PQ_REBASE_EXCEPTION;
    o->int96_rebase = LM_PQ_REBASE_EXCEPTION;
    o->dictionary = true;
    o->page_size = 1 << 20;
    o->row_group_size = 128 << 20;
}

static void writer_free(writer *w)
{
    for (int c = 0; c < w->nleaves; c++) {
        free(w->leaves[c]->def);
        free(w->leaves[c]->rep);
        free(w->leaves[c]->vals);
    }
    free(w->leaves);
    free(w->elems);
    free(w->groups);
    lm_arena_free(&w->vals);
    lm_arena_free(&w->a);
}

lm_status lm_parquet_write_file_opts(const lm_table *t, const char *path,
                                     const lm_parquet_write_opts *opts, lm_error *err)
{
    lm_parquet_write_opts o;
    if (opts)
        o = *opts;
    else
        lm_parquet_write_opts_init(&o);
    if (o.page_size <= 0)
        o.page_size = 1 << 20;
    if (o.row_group_size <= 0)
        o.row_group_size = 128 << 20;
    writer w;
    memset(&w, 0, sizeof w);
    w.o = &o;
    w.err = err;
    w.codec = pq_codec_from_name(o.compression);
    if (w.codec < 0 || (w.codec != PQ_CODEC_UNCOMPRESSED && w.codec != PQ_CODEC_SNAPPY &&
                        w.codec != PQ_CODEC_GZIP && w.codec != PQ_CODEC_ZSTD))
        return lm_error_set(err, LM_ERROR, LM_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Codec [%s] is not available. Available codecs are uncompressed, "
                            "snappy, gzip, zstd, none.",
                            o.compression ? o.compression : "");
    w.legacy_dt = o.datetime_rebase == LM_PQ_REBASE_LEGACY;
    w.legacy_96 = o.int96_rebase == LM_PQ_REBASE_LEGACY;
    lm_arena_init(&w.a, 1 << 14);
    lm_arena_init(&w.vals, 1 << 16);
    /* a temporary name in the same folder, renamed when complete */
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (tmp == NULL) {
        writer_free(&w);
        return lm_error_oom(err);
    }
    snprintf(tmp, plen + 32, "%s.%ld.tmp", path, (long)getpid());
    w.f = lm_fio_create(o.fio, tmp, err);
    lm_status st;
    if (w.f == NULL)
        st = err->status != LM_OK ? err->status : LM_EIO;
    else {
        st = write_table(&w, t);
        if (st == LM_OK)
            st = lm_fio_close(w.f, err);
        else
            lm_fio_discard(w.f);
        if (st == LM_OK)
            st = lm_fio_rename(o.fio, tmp, path, err);
        if (st != LM_OK)
            remove(tmp);
    }
    free(tmp);
    writer_free(&w);
    return st;
}

lm_status lm_parquet_write_file(const lm_table *t, const char *path, const char *codec,
                                lm_error *err)
{
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    if (codec)
        o.compression = codec;
    return lm_parquet_write_file_opts(t, path, &o, err);
}

/* A random (version 4) UUID as Spark puts in part file names. */
static void make_uuid(char out[37])
{
    uint8_t b[16];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, b, sizeof b) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof b) {
        uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        for (int i = 0; i < 16; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            b[i] = (uint8_t)(x >> 56);
        }
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

lm_status lm_parquet_write_dir(const lm_table *t, const char *dir,
                               const lm_parquet_write_opts *opts, char **file_out,
                               lm_error *err)
{
    lm_parquet_write_opts o;
    if (opts)
        o = *opts;
    else
        lm_parquet_write_opts_init(&o);
    int codec = pq_codec_from_name(o.compression);
    char *created = NULL;
    if (lm_fio_mkdirs(o.fio, dir, &created, err) != LM_OK)
        return err->status != LM_OK ? err->status : LM_EIO;
    char uuid[37];
    make_uuid(uuid);
    const char *ext = codec >= 0 ? pq_codec_extension(codec) : "";
    size_t n = strlen(dir) + 128;
    char *tmpdir = malloc(n), *tmpfile = malloc(n), *final = malloc(n), *success = malloc(n);
    lm_status st = LM_OK;
    if (!tmpdir || !tmpfile || !final || !success)
        st = lm_error_oom(err);
    if (st == LM_OK) {
        snprintf(tmpdir, n, "%s/_temporary", dir);
        char name[96];
        snprintf(name, sizeof name, "part-00000-%s-c000%s%s.parquet", uuid, *ext ? "." : "", ext);
        snprintf(tmpfile, n, "%s/%s", tmpdir, name);
        snprintf(final, n, "%s/%s", dir, name);
        snprintf(success, n, "%s/_SUCCESS", dir);
        st = lm_fio_mkdirs(o.fio, tmpdir, NULL, err);
    }
    if (st == LM_OK)
        st = lm_parquet_write_file_opts(t, tmpfile, &o, err);
    if (st == LM_OK)
        st = lm_fio_rename(o.fio, tmpfile, final, err);
    if (st == LM_OK) {
        lm_file *f = lm_fio_create(o.fio, success, err);
        st = f ? lm_fio_close(f, err) : (err->status != LM_OK ? err->status : LM_EIO);
    }
    if (tmpdir)
        lm_fio_remove_tree(tmpdir);
    /* a failed job leaves the file system as it found it */
    if (st != LM_OK && created)
        lm_fio_remove_tree(created);
    free(created);
    if (st == LM_OK && file_out) {
        *file_out = final;
        final = NULL;
    }
    free(tmpdir);
    free(tmpfile);
    free(final);
    free(success);
    return st;
}
