/*
 * Reading one Parquet file into an lm_table.
 *
 * The whole file is read into memory and its footer decoded. For each row
 * group that the pushed predicates do not rule out, every needed leaf
 * column chunk is decoded page by page into three parallel streams:
 * repetition levels, definition levels and the non-null physical values.
 * Rows are then rebuilt from the streams by a tree of readers that mirrors
 * the requested Spark schema (Dremel's record assembly): a node is NULL
 * when the definition level of its first leaf is below the node's level,
 * a list continues while that leaf's repetition level equals the list's.
 * A NULL or empty node consumes exactly one level entry of every leaf
 * beneath it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "codec.h"
#include "encoding.h"
#include "pq_int.h"
#include "types/decimal.h"

/* A leaf column chunk decoded for one row group. */
typedef struct colbuf {
    int64_t n, cap;        /* level entries */
    uint16_t *def, *rep;
    int64_t nv, vcap;      /* non-null values */
    pq_pv *vals;
    int64_t pos, vpos;     /* assembly cursors */
    int max_def, max_rep;
    bool needed;
} colbuf;

/* How a leaf's physical values become the requested Spark values. */
typedef enum conv {
    CV_BOOL, CV_INT, CV_UINT32, CV_LONG, CV_UINT64_DEC, CV_FLOAT, CV_DOUBLE, CV_FLOAT_DOUBLE,
    CV_DATE, CV_TS_MILLIS, CV_TS_MICROS, CV_NTZ_MILLIS, CV_NTZ_MICROS, CV_INT96, CV_BYTES,
    CV_DEC_INT32, CV_DEC_INT64, CV_DEC_BYTES, CV_YM, CV_DT
} conv;

typedef enum rn_kind { RN_MISSING, RN_LEAF, RN_STRUCT, RN_LIST, RN_MAP } rn_kind;

typedef struct rnode {
    rn_kind kind;
    const lm_type *type;
    int def;          /* the value is non-null when the peek leaf's def >= def */
    int peek;         /* first leaf column read beneath, -1 when none */
    /* LEAF */
    int col;
    conv cv;
    /* STRUCT */
    int n;
    struct rnode **kids;
    /* LIST / MAP */
    int rep_def, rep_level;
    struct rnode *elem, *key, *val;
} rnode;

typedef struct reader {
    const char *path;
    const lm_parquet_read_opts *o;
    lm_error *err;
    const uint8_t *file;
    size_t file_len;
    size_t footer_start;
    lm_arena meta_arena;
    pq_file_meta meta;
    pq_schema schema;
    colbuf *cols;
    lm_parquet_rebase date_mode, int96_mode;
    const char *rebase_tz;
} reader;

/* ------------------------------------------------------------ helpers */

static lm_status oom(reader *r)
{
    return lm_error_oom(r->err);
}

static lm_status corrupt(reader *r, const char *what)
{
    return pq_err_corrupt(r->err, r->path, what);
}

static const char *type_str(const lm_type *t, char *buf, size_t n)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, t);
    snprintf(buf, n, "%s", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return buf;
}

static lm_status convert_error(reader *r, const pq_node *leaf, const lm_type *want)
{
    static const char *pnames[] = {"BOOLEAN", "INT32", "INT64", "INT96",
                                    "FLOAT", "DOUBLE", "BINARY", "FIXED_LEN_BYTE_ARRAY"};
    char tb[256];
    int pt = leaf->e->type;
    lm_error_set(r->err, LM_ERROR, "org.apache.spark.SparkException", "_LEGACY_ERROR_TEMP_2063",
                 NULL,
                 "Parquet column cannot be converted in file %s. Column: [%s], Expected: %s, "
                 "Found: %s.",
                 r->path, leaf->dotted, type_str(want, tb, sizeof tb),
                 pt >= 0 && pt <= 7 ? pnames[pt] : "UNKNOWN");
    return LM_ERROR;
}

/* ---------------------------------------------------- footer and meta */

/* The whole file, through the engine's file I/O (short reads and read
   errors are reported, and tests can inject faults). */
static lm_status load_file(lm_fio_plan *plan, const char *path, uint8_t **data, size_t *len,
                           lm_error *err)
{
    if (access(path, F_OK) != 0)
        return lm_error_set(err, LM_EIO, LM_EXC_ANALYSIS, "PATH_NOT_FOUND", "42K03",
                            "[PATH_NOT_FOUND] Path does not exist: file:%s.", path);
    char *buf = NULL;
    lm_status st = lm_fio_read_all(plan, path, &buf, len, err);
    *data = (uint8_t *)buf;
    return st;
}

/* QueryExecutionErrors.cannotReadFooterForFileError, with the reason
   chained as Spark chains the cause. */
static lm_status footer_error(reader *r, const char *cause)
{
    lm_error_set(r->err, LM_ERROR, "org.apache.spark.SparkException", "CANNOT_READ_FILE_FOOTER",
                 "KD001",
                 "[CANNOT_READ_FILE_FOOTER] Could not read footer for file: file:%s. Please "
                 "ensure that the file is in either ORC or Parquet format. If not, please convert "
                 "it to a valid format. If the file is in the valid format, please check if it is "
                 "corrupt. If it is, you can choose to either ignore it or fix the corruption.\n"
                 "Caused by: %s",
                 r->path, cause);
    char file[4200];
    snprintf(file, sizeof file, "file:%s", r->path);
    lm_error_param_add(r->err, "file", file);
    return LM_ERROR;
}

static lm_status parse_footer(reader *r)
{
    const uint8_t *f = r->file;
    size_t n = r->file_len;
    if (n >= 4 && memcmp(f + n - 4, "PARE", 4) == 0)
        return lm_error_set(r->err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED, NULL, NULL,
                            "Encrypted Parquet files are not supported: %s", r->path);
    if (n < 12)
        return footer_error(r, "java.lang.RuntimeException: the file is too small to be a "
                               "Parquet file (expected magic number PAR1 at head and tail)");
    if (memcmp(f, "PAR1", 4) != 0 || memcmp(f + n - 4, "PAR1", 4) != 0)
        return footer_error(r, "java.lang.RuntimeException: not a Parquet file (expected magic "
                               "number PAR1 at head and tail)");
    uint32_t flen;
    memcpy(&flen, f + n - 8, 4);
    if ((size_t)flen > n - 12)
        return footer_error(r, "java.lang.RuntimeException: corrupted file: the footer index is "
                               "not within the file");
    r->footer_start = n - 8 - flen;
    if (!pq_decode_file_meta(f + r->footer_start, flen, &r->meta_arena, &r->meta))
        return footer_error(r, "java.io.IOException: can not read FileMetaData: malformed "
                               "Thrift data");
    lm_status st = pq_schema_build(&r->meta, &r->meta_arena, &r->schema, r->err);
    if (st == LM_ERROR)
        return footer_error(r, "java.io.IOException: malformed Parquet schema in the footer");
    return st;
}

/* Spark's datetimeRebaseSpec / int96RebaseSpec: files written by Spark
   say which calendar they used; other files follow the configured mode. */
static void rebase_modes(reader *r)
{
    const pq_kv *ver = pq_meta_find_kv(&r->meta, PQ_SPARK_VERSION_KEY);
    const pq_kv *tz = pq_meta_find_kv(&r->meta, PQ_SPARK_TIMEZONE_KEY);
    r->rebase_tz = tz && tz->value ? tz->value : r->o->session_tz;
    if (ver && ver->value) {
        bool legacy_dt = strcmp(ver->value, "3.0.0") < 0 ||
                         pq_meta_find_kv(&r->meta, PQ_SPARK_LEGACY_DATETIME) != NULL;
        bool legacy_96 = strcmp(ver->value, "3.1.0") < 0 ||
                         pq_meta_find_kv(&r->meta, PQ_SPARK_LEGACY_INT96) != NULL;
        r->date_mode = legacy_dt ? LM_PQ_REBASE_LEGACY : LM_PQ_REBASE_CORRECTED;
        r->int96_mode = legacy_96 ? LM_PQ_REBASE_LEGACY : LM_PQ_REBASE_CORRECTED;
    } else {
        r->date_mode = r->o->datetime_rebase;
        r->int96_mode = r->o->int96_rebase;
    }
}

static pq_convert_opts convert_opts(const lm_parquet_read_opts *o)
{
    pq_convert_opts c = {o->binary_as_string, o->int96_as_timestamp, o->infer_timestamp_ntz,
                         o->nanos_as_long};
    return c;
}

/* The file's Spark schema: the stored Spark schema when it parses, else
   the converted Parquet schema. New reference. */
static lm_type *file_schema(reader *r)
{
    const pq_kv *kv = pq_meta_find_kv(&r->meta, PQ_SPARK_ROW_METADATA);
    if (kv && kv->value) {
        /* text that is not a schema falls back to the Parquet schema, as
           Spark does; running out of memory is an error */
        lm_error jerr;
        lm_error_init(&jerr);
        lm_type *t = lm_parquet_schema_from_json(kv->value, &jerr);
        lm_status js = jerr.status;
        lm_error_clear(&jerr);
        if (t)
            return t;
        if (js == LM_ENOMEM) {
            oom(r);
            return NULL;
        }
    }
    pq_convert_opts co = convert_opts(r->o);
    return pq_node_to_type(r->schema.root, &co, r->err);
}

/* ------------------------------------------------------- reader tree */

static const pq_node *find_child(const pq_node *n, const char *name, bool case_sensitive)
{
    const pq_node *hit = NULL;
    for (int i = 0; i < n->nchildren; i++) {
        const char *cn = n->children[i]->e->name;
        if (case_sensitive ? strcmp(cn, name) == 0 : strcasecmp(cn, name) == 0) {
            if (case_sensitive || strcmp(cn, name) == 0)
                return n->children[i];
            if (hit == NULL)
                hit = n->children[i];
        }
    }
    return hit;
}

static bool leaf_conv(const pq_node *leaf, const lm_type *t, conv *cv)
{
    const pq_schema_elem *e = leaf->e;
    int pt = e->type;
    bool unsigned_int = e->logical == PQ_LT_INTEGER && !e->lt_signed;
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        *cv = CV_BOOL;
        return pt == PQ_BOOLEAN;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
        *cv = CV_INT;
        return pt == PQ_INT32;
    case LM_TYPE_LONG:
        *cv = pt == PQ_INT64 ? CV_LONG : unsigned_int ? CV_UINT32 : CV_INT;
        return pt == PQ_INT64 || pt == PQ_INT32;
    case LM_TYPE_FLOAT:
        *cv = CV_FLOAT;
        return pt == PQ_FLOAT;
    case LM_TYPE_DOUBLE:
        *cv = pt == PQ_FLOAT ? CV_FLOAT_DOUBLE : CV_DOUBLE;
        return pt == PQ_DOUBLE || pt == PQ_FLOAT;
    case LM_TYPE_DECIMAL:
        if (pt == PQ_INT64 && unsigned_int)
            *cv = CV_UINT64_DEC;
        else
            *cv = pt == PQ_INT32 ? CV_DEC_INT32 : pt == PQ_INT64 ? CV_DEC_INT64 : CV_DEC_BYTES;
        return pt == PQ_INT32 || pt == PQ_INT64 || pt == PQ_BYTE_ARRAY ||
               pt == PQ_FIXED_LEN_BYTE_ARRAY;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        *cv = CV_BYTES;
        return pt == PQ_BYTE_ARRAY || pt == PQ_FIXED_LEN_BYTE_ARRAY;
    case LM_TYPE_DATE:
        *cv = CV_DATE;
        return pt == PQ_INT32;
    case LM_TYPE_TIMESTAMP:
        if (pt == PQ_INT96) {
            *cv = CV_INT96;
            return true;
        }
        *cv = e->logical == PQ_LT_TIMESTAMP && e->lt_unit == PQ_UNIT_MILLIS ? CV_TS_MILLIS
                                                                             : CV_TS_MICROS;
        return pt == PQ_INT64;
    case LM_TYPE_TIMESTAMP_NTZ:
        *cv = e->logical == PQ_LT_TIMESTAMP && e->lt_unit == PQ_UNIT_MILLIS ? CV_NTZ_MILLIS
                                                                             : CV_NTZ_MICROS;
        return pt == PQ_INT64;
    case LM_TYPE_YM_INTERVAL:
        *cv = CV_YM;
        return pt == PQ_INT32;
    case LM_TYPE_DT_INTERVAL:
        *cv = CV_DT;
        return pt == PQ_INT64;
    default:
        return false;
    }
}

static rnode *rn_new(reader *r, lm_arena *a, rn_kind kind, const lm_type *t, int def)
{
    rnode *n = lm_arena_calloc(a, 1, sizeof *n);
    if (n == NULL) {
        oom(r);
        return NULL;
    }
    n->kind = kind;
    n->type = t;
    n->def = def;
    n->peek = -1;
    n->col = -1;
    return n;
}

static rnode *build_rnode(reader *r, lm_arena *a, const lm_type *t, const pq_node *pn,
                          int parent_def);

static rnode *build_struct(reader *r, lm_arena *a, const lm_type *t, const pq_node *pn, int def)
{
    rnode *n = rn_new(r, a, RN_STRUCT, t, def);
    if (n == NULL)
        return NULL;
    n->n = t->nfields;
    n->kids = lm_arena_calloc(a, (size_t)(t->nfields ? t->nfields : 1), sizeof(rnode *));
    if (n->kids == NULL) {
        oom(r);
        return NULL;
    }
    for (int i = 0; i < t->nfields; i++) {
        const pq_node *c = pn ? find_child(pn, t->fields[i].name, r->o->case_sensitive) : NULL;
        if (pn == r->schema.root && r->o->columns_wanted && !r->o->columns_wanted[i])
            c = NULL; /* pruned: read as absent */
        n->kids[i] = build_rnode(r, a, t->fields[i].type, c, def);
        if (n->kids[i] == NULL)
            return NULL;
        if (n->peek < 0)
            n->peek = n->kids[i]->peek;
    }
    return n;
}

/* pn may be NULL (column absent from the file): the node reads as NULL. */
static rnode *build_rnode(reader *r, lm_arena *a, const lm_type *t, const pq_node *pn,
                          int parent_def)
{
    if (pn == NULL)
        return rn_new(r, a, RN_MISSING, t, 0);
    int def = pn->def;
    (void)parent_def;
    switch (t->id) {
    case LM_TYPE_STRUCT:
        if (pn->leaf >= 0 || pq_is_list(pn) || pq_is_map(pn))
            break;
        return build_struct(r, a, t, pn, def);
    case LM_TYPE_ARRAY: {
        const pq_node *rep, *el;
        if (!pq_list_shape(pn, &rep, &el))
            break;
        rnode *n = rn_new(r, a, RN_LIST, t, rep == pn ? pn->parent->def : def);
        if (n == NULL)
            return NULL;
        n->rep_def = rep->def;
        n->rep_level = rep->rep;
        if (el == rep && rep->leaf < 0 && t->elem->id == LM_TYPE_STRUCT)
            n->elem = build_struct(r, a, t->elem, rep, rep->def);
        else if (el == rep && rep->leaf >= 0) {
            conv cv;
            if (!leaf_conv(rep, t->elem, &cv)) {
                convert_error(r, rep, t->elem);
                return NULL;
            }
            n->elem = rn_new(r, a, RN_LEAF, t->elem, rep->def);
            if (n->elem) {
                n->elem->col = rep->leaf;
                n->elem->peek = rep->leaf;
                n->elem->cv = cv;
            }
        } else if (el == rep) {
            /* a repeated LIST/MAP group that is itself the element (the
               legacy 2-level layout of nested collections) */
            n->elem = pq_is_list(rep) || pq_is_map(rep) ? build_rnode(r, a, t->elem, rep, rep->def)
                                                        : NULL;
        } else
            n->elem = build_rnode(r, a, t->elem, el, rep->def);
        if (n->elem == NULL) {
            if (r->err->status == LM_OK)
                convert_error(r, rep, t);
            return NULL;
        }
        n->peek = n->elem->peek;
        return n;
    }
    case LM_TYPE_MAP: {
        const pq_node *kv, *k, *v;
        if (!pq_map_shape(pn, &kv, &k, &v))
            break;
        rnode *n = rn_new(r, a, RN_MAP, t, def);
        if (n == NULL)
            return NULL;
        n->rep_def = kv->def;
        n->rep_level = kv->rep;
        n->key = build_rnode(r, a, t->key, k, kv->def);
        n->val = n->key ? build_rnode(r, a, t->value, v, kv->def) : NULL;
        if (n->val == NULL)
            return NULL;
        n->peek = n->key->peek >= 0 ? n->key->peek : n->val->peek;
        return n;
    }
    default:
        if (pn->leaf < 0)
            break;
        if (pn->e->repetition == PQ_REPEATED)
            break;
        conv cv;
        if (!leaf_conv(pn, t, &cv)) {
            convert_error(r, pn, t);
            return NULL;
        }
        rnode *n = rn_new(r, a, RN_LEAF, t, def);
        if (n == NULL)
            return NULL;
        n->col = pn->leaf;
        n->peek = pn->leaf;
        n->cv = cv;
        return n;
    }
    char tb[256];
    lm_error_set(r->err, LM_ERROR, "org.apache.spark.SparkException", "_LEGACY_ERROR_TEMP_2063",
                 NULL,
                 "Parquet column cannot be converted in file %s. Column: [%s], Expected: %s, "
                 "Found: %s.",
                 r->path, pn->dotted, type_str(t, tb, sizeof tb), pn->leaf >= 0 ? "primitive" : "group");
    return NULL;
}

static void mark_needed(reader *r, const rnode *n)
{
    if (n == NULL)
        return;
    if (n->kind == RN_LEAF)
        r->cols[n->col].needed = true;
    for (int i = 0; i < n->n; i++)
        mark_needed(r, n->kids[i]);
    mark_needed(r, n->elem);
    mark_needed(r, n->key);
    mark_needed(r, n->val);
}

/* ------------------------------------------------------ page decoding */

static bool cb_grow_levels(colbuf *c, int64_t extra)
{
    /* always allocated, even for an empty page, so level pointers are valid */
    if (c->n + extra <= c->cap && c->def)
        return true;
    int64_t cap = c->cap ? c->cap : 1024;
    while (cap < c->n + extra)
        cap *= 2;
    uint16_t *d = realloc(c->def, sizeof(uint16_t) * (size_t)cap);
    if (d == NULL)
        return false;
    c->def = d;
    uint16_t *rp = realloc(c->rep, sizeof(uint16_t) * (size_t)cap);
    if (rp == NULL)
        return false;
    c->rep = rp;
    c->cap = cap;
    return true;
}

static bool cb_grow_vals(colbuf *c, int64_t extra)
{
    if (c->nv + extra <= c->vcap && c->vals)
        return true;
    int64_t cap = c->vcap ? c->vcap : 1024;
    while (cap < c->nv + extra)
        cap *= 2;
    pq_pv *v = realloc(c->vals, sizeof(pq_pv) * (size_t)cap);
    if (v == NULL)
        return false;
    c->vals = v;
    c->vcap = cap;
    return true;
}

static void cb_free(colbuf *c)
{
    free(c->def);
    free(c->rep);
    free(c->vals);
    int md = c->max_def, mr = c->max_rep;
    bool needed = c->needed;
    memset(c, 0, sizeof *c);
    c->max_def = md;
    c->max_rep = mr;
    c->needed = needed;
}

/* Decodes levels of a v1 page: RLE with a 4-byte length, or the legacy
   bit packing. Returns the bytes consumed, or -1. */
static int64_t v1_levels(const uint8_t *p, size_t len, int encoding, int max, int64_t n,
                         uint16_t *out, uint32_t *tmp)
{
    int bw = pq_bit_width((uint64_t)max);
    int64_t used;
    if (encoding == PQ_ENC_RLE) {
        if (len < 4)
            return -1;
        uint32_t l;
        memcpy(&l, p, 4);
        if (l > len - 4 || !pq_rle_decode(p + 4, l, bw, tmp, n))
            return -1;
        used = 4 + (int64_t)l;
    } else if (encoding == PQ_ENC_BIT_PACKED) {
        used = (n * bw + 7) / 8;
        if ((uint64_t)used > len || !pq_bitpacked_legacy_decode(p, (size_t)used, bw, tmp, n))
            return -1;
    } else
        return -1;
    for (int64_t i = 0; i < n; i++) {
        if (tmp[i] > (uint32_t)max)
            return -1;
        out[i] = (uint16_t)tmp[i];
    }
    return used;
}

typedef struct dict {
    pq_pv *vals;
    int64_t n;
    bool present;
} dict;

/* Decodes the values part of a data page: n non-null values. */
static lm_status page_values(reader *r, const pq_node *leaf, colbuf *c, const dict *d, int enc,
                             const uint8_t *p, size_t len, int64_t n, lm_arena *a)
{
    if (!cb_grow_vals(c, n))
        return oom(r);
    pq_pv *out = c->vals + c->nv;
    if (enc == PQ_ENC_PLAIN_DICTIONARY || enc == PQ_ENC_RLE_DICTIONARY) {
        if (!d->present)
            return corrupt(r, "dictionary-encoded page without a dictionary page");
        if (n > 0) {
            if (len < 1)
                return corrupt(r, "truncated dictionary indices");
            uint32_t *idx = malloc(sizeof(uint32_t) * (size_t)n);
            if (idx == NULL)
                return oom(r);
            bool ok = pq_rle_decode(p + 1, len - 1, p[0], idx, n);
            for (int64_t i = 0; ok && i < n; i++) {
                if (idx[i] >= (uint64_t)d->n)
                    ok = false;
                else
                    out[i] = d->vals[idx[i]];
            }
            free(idx);
            if (!ok)
                return corrupt(r, "bad dictionary indices");
        }
    } else if (!pq_decode_values(enc, leaf->e->type, leaf->e->type_length, p, len, n, out, a)) {
        return corrupt(r, "bad page values");
    }
    c->nv += n;
    return LM_OK;
}

#define PQ_MAX_PAGE_VALUES (INT64_C(1) << 27)

static lm_status read_chunk(reader *r, const pq_column_chunk *cc, const pq_node *leaf,
                            colbuf *c, lm_arena *a)
{
    if (!cc->has_meta)
        return corrupt(r, "column chunk without metadata");
    if (cc->file_path)
        return lm_error_set(r->err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED, NULL, NULL,
                            "Parquet column chunks in other files are not supported (%s)",
                            r->path);
    const pq_column_meta *m = &cc->meta;
    if (m->type != leaf->e->type)
        return corrupt(r, "column chunk type differs from the schema");
    int64_t start = m->data_page_offset;
    if (m->has_dictionary_page_offset && m->dictionary_page_offset > 0 &&
        m->dictionary_page_offset < start)
        start = m->dictionary_page_offset;
    int64_t len = m->total_compressed_size;
    if (start < 4 || len < 0 || (uint64_t)start > r->footer_start ||
        (uint64_t)len > r->footer_start - (uint64_t)start)
        return corrupt(r, "column chunk offsets point outside the file");
    if (m->num_values < 0 || m->num_values > INT32_MAX)
        return corrupt(r, "bad value count");
    const uint8_t *p = r->file + start, *end = p + len;
    dict d = {0};
    int64_t seen = 0;
    uint32_t *tmp = NULL;
    lm_status st = LM_OK;
    while (seen < m->num_values && p < end) {
        pq_page_header h;
        size_t used;
        if (!pq_decode_page_header(p, (size_t)(end - p), &h, &used)) {
            st = corrupt(r, "malformed page header");
            break;
        }
        p += used;
        if ((int64_t)h.compressed_size > end - p) {
            st = corrupt(r, "page size past the end of the column chunk");
            break;
        }
        const uint8_t *body = p;
        p += h.compressed_size;
        if (h.type == PQ_PAGE_INDEX)
            continue;
        if (h.type == PQ_PAGE_DICTIONARY) {
            if (!h.has_dict || d.present || h.dict.num_values < 0 ||
                h.dict.num_values > PQ_MAX_PAGE_VALUES) {
                st = corrupt(r, "bad dictionary page");
                break;
            }
            uint8_t *buf = lm_arena_alloc(a, (size_t)h.uncompressed_size + 1);
            if (buf == NULL) {
                st = oom(r);
                break;
            }
            st = pq_decompress(m->codec, body, (size_t)h.compressed_size, buf,
                               (size_t)h.uncompressed_size, r->err);
            if (st != LM_OK)
                break;
            d.vals = lm_arena_alloc(a, sizeof(pq_pv) * (size_t)(h.dict.num_values + 1));
            if (d.vals == NULL) {
                st = oom(r);
                break;
            }
            if (!pq_decode_values(PQ_ENC_PLAIN, leaf->e->type, leaf->e->type_length, buf,
                                  (size_t)h.uncompressed_size, h.dict.num_values, d.vals, a)) {
                st = corrupt(r, "bad dictionary page values");
                break;
            }
            d.n = h.dict.num_values;
            d.present = true;
            continue;
        }
        if (h.type != PQ_PAGE_DATA && h.type != PQ_PAGE_DATA_V2)
            continue;
        bool v2 = h.type == PQ_PAGE_DATA_V2;
        if ((v2 && !h.has_v2) || (!v2 && !h.has_data)) {
            st = corrupt(r, "data page without its header");
            break;
        }
        int64_t nvals = v2 ? h.v2.num_values : h.data.num_values;
        if (nvals < 0 || nvals > PQ_MAX_PAGE_VALUES || nvals > m->num_values - seen) {
            st = corrupt(r, "bad page value count");
            break;
        }
        if (!cb_grow_levels(c, nvals)) {
            st = oom(r);
            break;
        }
        free(tmp);
        tmp = malloc(sizeof(uint32_t) * (size_t)(nvals ? nvals : 1));
        if (tmp == NULL) {
            st = oom(r);
            break;
        }
        const uint8_t *vp;
        size_t vlen;
        uint16_t *defs = c->def + c->n, *reps = c->rep + c->n;
        if (!v2) {
            uint8_t *buf = lm_arena_alloc(a, (size_t)h.uncompressed_size + 1);
            if (buf == NULL) {
                st = oom(r);
                break;
            }
            st = pq_decompress(m->codec, body, (size_t)h.compressed_size, buf,
                               (size_t)h.uncompressed_size, r->err);
            if (st != LM_OK)
                break;
            size_t off = 0, blen = (size_t)h.uncompressed_size;
            if (c->max_rep > 0) {
                int64_t u = v1_levels(buf, blen, h.data.rep_encoding, c->max_rep, nvals, reps, tmp);
                if (u < 0) {
                    st = corrupt(r, "bad repetition levels");
                    break;
                }
                off += (size_t)u;
            } else
                memset(reps, 0, sizeof(uint16_t) * (size_t)nvals);
            if (c->max_def > 0) {
                int64_t u = v1_levels(buf + off, blen - off, h.data.def_encoding, c->max_def,
                                      nvals, defs, tmp);
                if (u < 0) {
                    st = corrupt(r, "bad definition levels");
                    break;
                }
                off += (size_t)u;
            } else
                for (int64_t i = 0; i < nvals; i++)
                    defs[i] = 0;
            vp = buf + off;
            vlen = blen - off;
        } else {
            int32_t rl = h.v2.rep_len, dl = h.v2.def_len;
            if (rl < 0 || dl < 0 || (int64_t)rl + dl > h.compressed_size ||
                (int64_t)rl + dl > h.uncompressed_size) {
                st = corrupt(r, "bad v2 level lengths");
                break;
            }
            bool ok = true;
            if (c->max_rep > 0) {
                ok = pq_rle_decode(body, (size_t)rl, pq_bit_width((uint64_t)c->max_rep), tmp, nvals);
                for (int64_t i = 0; ok && i < nvals; i++) {
                    ok = tmp[i] <= (uint32_t)c->max_rep;
                    reps[i] = (uint16_t)tmp[i];
                }
            } else
                memset(reps, 0, sizeof(uint16_t) * (size_t)nvals);
            if (ok && c->max_def > 0) {
                ok = pq_rle_decode(body + rl, (size_t)dl, pq_bit_width((uint64_t)c->max_def), tmp,
                                   nvals);
                for (int64_t i = 0; ok && i < nvals; i++) {
                    ok = tmp[i] <= (uint32_t)c->max_def;
                    defs[i] = (uint16_t)tmp[i];
                }
            } else if (ok)
                for (int64_t i = 0; i < nvals; i++)
                    defs[i] = 0;
            if (!ok) {
                st = corrupt(r, "bad v2 page levels");
                break;
            }
            size_t clen = (size_t)h.compressed_size - (size_t)rl - (size_t)dl;
            size_t ulen = (size_t)h.uncompressed_size - (size_t)rl - (size_t)dl;
            const uint8_t *src = body + rl + dl;
            if (h.v2.is_compressed && m->codec != PQ_CODEC_UNCOMPRESSED) {
                uint8_t *buf = lm_arena_alloc(a, ulen + 1);
                if (buf == NULL) {
                    st = oom(r);
                    break;
                }
                st = pq_decompress(m->codec, src, clen, buf, ulen, r->err);
                if (st != LM_OK)
                    break;
                vp = buf;
                vlen = ulen;
            } else {
                vp = src;
                vlen = clen;
            }
        }
        int64_t nonnull = 0;
        for (int64_t i = 0; i < nvals; i++)
            if (defs[i] == c->max_def)
                nonnull++;
        if (c->n == 0 && nvals > 0 && reps[0] != 0) {
            st = corrupt(r, "column chunk does not start a record");
            break;
        }
        int enc = v2 ? h.v2.encoding : h.data.encoding;
        st = page_values(r, leaf, c, &d, enc, vp, vlen, nonnull, a);
        if (st != LM_OK)
            break;
        c->n += nvals;
        seen += nvals;
    }
    free(tmp);
    if (st == LM_OK && seen != m->num_values)
        st = corrupt(r, "column chunk ends before all its values");
    return st;
}

/* ---------------------------------------------------------- assembly */

typedef struct asm_ctx {
    reader *r;
    lm_arena *a;
    lm_status st;
} asm_ctx;

static int cur_def(const colbuf *c)
{
    return c->def[c->pos];
}

static void consume_null(asm_ctx *x, const rnode *n)
{
    if (n == NULL)
        return;
    switch (n->kind) {
    case RN_LEAF: {
        colbuf *c = &x->r->cols[n->col];
        if (c->pos < c->n)
            c->pos++;
        break;
    }
    case RN_STRUCT:
        for (int i = 0; i < n->n; i++)
            consume_null(x, n->kids[i]);
        break;
    case RN_LIST:
        consume_null(x, n->elem);
        break;
    case RN_MAP:
        consume_null(x, n->key);
        consume_null(x, n->val);
        break;
    default:
        break;
    }
}

static lm_int128 be_decimal(const uint8_t *p, int32_t len)
{
    lm_int128 v = len > 0 && (p[0] & 0x80) ? -1 : 0;
    for (int32_t i = 0; i < len; i++)
        v = (lm_int128)(((unsigned __int128)v << 8) | p[i]);
    return v;
}

/* DateTimeUtils.millisToMicros: Math.multiplyExact, so overflow fails. */
static bool millis_to_micros(asm_ctx *x, int64_t ms, int64_t *us)
{
    if (__builtin_mul_overflow(ms, 1000, us)) {
        x->st = lm_error_set(x->r->err, LM_ERROR, "java.lang.ArithmeticException", NULL, NULL,
                             "long overflow");
        return false;
    }
    return true;
}

static bool convert_leaf(asm_ctx *x, const rnode *n, const pq_pv *pv, lm_value *out)
{
    reader *r = x->r;
    switch (n->cv) {
    case CV_BOOL: *out = lm_value_bool(pv->u.b); return true;
    case CV_INT:
        switch (n->type->id) {
        case LM_TYPE_BYTE: *out = lm_value_i64((int8_t)pv->u.i32); break;
        case LM_TYPE_SHORT: *out = lm_value_i64((int16_t)pv->u.i32); break;
        default: *out = lm_value_i64(pv->u.i32);
        }
        return true;
    case CV_UINT32: *out = lm_value_i64((uint32_t)pv->u.i32); return true;
    case CV_LONG: *out = lm_value_i64(pv->u.i64); return true;
    case CV_UINT64_DEC: *out = lm_value_dec((lm_int128)(uint64_t)pv->u.i64); return true;
    case CV_FLOAT: *out = lm_value_f32(pv->u.f); return true;
    case CV_DOUBLE: *out = lm_value_f64(pv->u.d); return true;
    case CV_FLOAT_DOUBLE: *out = lm_value_f64(pv->u.f); return true;
    case CV_YM: *out = lm_value_i64(pv->u.i32); return true;
    case CV_DT: *out = lm_value_i64(pv->u.i64); return true;
    case CV_DATE: {
        int32_t d = pv->u.i32;
        if (d < PQ_LAST_SWITCH_JULIAN_DAY) {
            if (r->date_mode == LM_PQ_REBASE_EXCEPTION) {
                x->st = pq_err_rebase_read(r->err, false);
                return false;
            }
            if (r->date_mode == LM_PQ_REBASE_LEGACY)
                d = pq_rebase_julian_to_gregorian_days(d);
        }
        *out = lm_value_i64(d);
        return true;
    }
    case CV_TS_MILLIS:
    case CV_TS_MICROS:
    case CV_INT96: {
        int64_t us;
        bool i96 = n->cv == CV_INT96;
        if (i96) {
            int64_t nanos;
            int32_t jd;
            memcpy(&nanos, pv->u.bin.p, 8);
            memcpy(&jd, pv->u.bin.p + 8, 4);
            /* Julian day 2440588 is 1970-01-01; Java's long arithmetic wraps */
            us = (int64_t)((uint64_t)((int64_t)jd - 2440588) * UINT64_C(86400000000) +
                           (uint64_t)(nanos / 1000));
        } else if (n->cv == CV_TS_MILLIS) {
            if (!millis_to_micros(x, pv->u.i64, &us))
                return false;
        } else
            us = pv->u.i64;
        lm_parquet_rebase mode = i96 ? r->int96_mode : r->date_mode;
        if (us < PQ_LAST_SWITCH_JULIAN_TS) {
            if (mode == LM_PQ_REBASE_EXCEPTION) {
                x->st = pq_err_rebase_read(r->err, i96);
                return false;
            }
            if (mode == LM_PQ_REBASE_LEGACY)
                us = pq_rebase_julian_to_gregorian_micros(us, r->rebase_tz);
        }
        *out = lm_value_i64(us);
        return true;
    }
    case CV_NTZ_MILLIS: {
        int64_t us;
        if (!millis_to_micros(x, pv->u.i64, &us))
            return false;
        *out = lm_value_i64(us);
        return true;
    }
    case CV_NTZ_MICROS: *out = lm_value_i64(pv->u.i64); return true;
    case CV_BYTES:
        *out = lm_value_str((const char *)pv->u.bin.p, pv->u.bin.len);
        return true;
    case CV_DEC_INT32: *out = lm_value_dec(pv->u.i32); return true;
    case CV_DEC_INT64: *out = lm_value_dec(pv->u.i64); return true;
    case CV_DEC_BYTES:
        if (pv->u.bin.len > 16) {
            x->st = corrupt(r, "decimal wider than 16 bytes");
            return false;
        }
        *out = lm_value_dec(be_decimal(pv->u.bin.p, pv->u.bin.len));
        return true;
    }
    return false;
}

static bool assemble(asm_ctx *x, const rnode *n, lm_value *out);

/* Reads the repeated entries of a list or map into a growing arena array. */
static bool assemble_repeated(asm_ctx *x, const rnode *n, lm_value *out)
{
    colbuf *pc = &x->r->cols[n->peek];
    int32_t cnt = 0, cap = 4;
    bool is_map = n->kind == RN_MAP;
    lm_value *keys = lm_arena_alloc(x->a, sizeof(lm_value) * (size_t)cap);
    lm_value *vals = is_map ? lm_arena_alloc(x->a, sizeof(lm_value) * (size_t)cap) : NULL;
    if (keys == NULL || (is_map && vals == NULL))
        goto nomem;
    for (;;) {
        if (cnt == cap) {
            int32_t nc = cap * 2;
            lm_value *nk = lm_arena_alloc(x->a, sizeof(lm_value) * (size_t)nc);
            lm_value *nv = is_map ? lm_arena_alloc(x->a, sizeof(lm_value) * (size_t)nc) : NULL;
            if (nk == NULL || (is_map && nv == NULL))
                goto nomem;
            memcpy(nk, keys, sizeof(lm_value) * (size_t)cnt);
            if (is_map)
                memcpy(nv, vals, sizeof(lm_value) * (size_t)cnt);
            keys = nk;
            vals = nv;
            cap = nc;
        }
        if (is_map) {
            if (!assemble(x, n->key, &keys[cnt]) || !assemble(x, n->val, &vals[cnt]))
                return false;
        } else if (!assemble(x, n->elem, &keys[cnt]))
            return false;
        cnt++;
        if (pc->pos >= pc->n || pc->rep[pc->pos] != n->rep_level)
            break;
    }
    if (is_map) {
        lm_map_value *mv = lm_arena_alloc(x->a, sizeof *mv);
        if (mv == NULL)
            goto nomem;
        mv->n = cnt;
        mv->keys = keys;
        mv->values = vals;
        *out = lm_value_null();
        out->is_null = false;
        out->u.map = mv;
    } else {
        lm_array_value *av = lm_arena_alloc(x->a, sizeof *av);
        if (av == NULL)
            goto nomem;
        av->n = cnt;
        av->elems = keys;
        *out = lm_value_null();
        out->is_null = false;
        out->u.arr = av;
    }
    return true;
nomem:
    x->st = oom(x->r);
    return false;
}

static bool assemble(asm_ctx *x, const rnode *n, lm_value *out)
{
    *out = lm_value_null();
    if (n->kind == RN_MISSING || n->peek < 0)
        return true;
    colbuf *pc = &x->r->cols[n->peek];
    if (pc->pos >= pc->n) {
        x->st = corrupt(x->r, "fewer level entries than the schema needs");
        return false;
    }
    int d = cur_def(pc);
    if (d < n->def) {
        consume_null(x, n);
        return true;
    }
    switch (n->kind) {
    case RN_LEAF: {
        colbuf *c = &x->r->cols[n->col];
        c->pos++;
        if (c->vpos >= c->nv) {
            x->st = corrupt(x->r, "fewer values than definition levels");
            return false;
        }
        return convert_leaf(x, n, &c->vals[c->vpos++], out);
    }
    case RN_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(x->a, sizeof *sv);
        lm_value *fs = lm_arena_alloc(x->a, sizeof(lm_value) * (size_t)(n->n ? n->n : 1));
        if (sv == NULL || fs == NULL) {
            x->st = oom(x->r);
            return false;
        }
        for (int i = 0; i < n->n; i++)
            if (!assemble(x, n->kids[i], &fs[i]))
                return false;
        sv->n = n->n;
        sv->fields = fs;
        out->is_null = false;
        out->u.st = sv;
        return true;
    }
    case RN_LIST:
    case RN_MAP:
        if (d < n->rep_def) {
            /* present but empty */
            consume_null(x, n);
            if (n->kind == RN_MAP) {
                lm_map_value *mv = lm_arena_calloc(x->a, 1, sizeof *mv);
                if (mv == NULL)
                    return (x->st = oom(x->r)), false;
                out->u.map = mv;
            } else {
                lm_array_value *av = lm_arena_calloc(x->a, 1, sizeof *av);
                if (av == NULL)
                    return (x->st = oom(x->r)), false;
                out->u.arr = av;
            }
            out->is_null = false;
            return true;
        }
        return assemble_repeated(x, n, out);
    default:
        return true;
    }
}

/* ----------------------------------------------------- row-group skip */

/* Decodes a statistics value of a leaf into a Spark value; false when it
   cannot be trusted or decoded. */
static bool stat_value(const rnode *n, const pq_node *leaf, const uint8_t *p, int32_t len,
                       lm_value *out)
{
    pq_pv pv;
    int pt = leaf->e->type;
    if ((pt == PQ_INT32 || pt == PQ_FLOAT) && len == 4)
        memcpy(&pv.u.i32, p, 4);
    else if ((pt == PQ_INT64 || pt == PQ_DOUBLE) && len == 8)
        memcpy(&pv.u.i64, p, 8);
    else if (pt == PQ_BOOLEAN && len == 1)
        pv.u.b = p[0] != 0;
    else if (pt == PQ_BYTE_ARRAY || pt == PQ_FIXED_LEN_BYTE_ARRAY) {
        pv.u.bin.p = p;
        pv.u.bin.len = len;
    } else
        return false;
    switch (n->cv) {
    case CV_BOOL: *out = lm_value_bool(pv.u.b); return true;
    case CV_INT: case CV_UINT32: case CV_DATE: case CV_YM:
        *out = lm_value_i64(n->cv == CV_UINT32 ? (int64_t)(uint32_t)pv.u.i32 : pv.u.i32);
        return true;
    case CV_LONG: case CV_DT: case CV_TS_MICROS: case CV_NTZ_MICROS:
        *out = lm_value_i64(pv.u.i64);
        return true;
    case CV_TS_MILLIS: case CV_NTZ_MILLIS: {
        int64_t us;
        if (__builtin_mul_overflow(pv.u.i64, 1000, &us))
            return false;
        *out = lm_value_i64(us);
        return true;
    }
    case CV_FLOAT:
        if (pv.u.f != pv.u.f)
            return false;
        *out = lm_value_f32(pv.u.f);
        return true;
    case CV_FLOAT_DOUBLE:
        if (pv.u.f != pv.u.f)
            return false;
        *out = lm_value_f64(pv.u.f);
        return true;
    case CV_DOUBLE:
        if (pv.u.d != pv.u.d)
            return false;
        *out = lm_value_f64(pv.u.d);
        return true;
    case CV_BYTES: *out = lm_value_str((const char *)p, len); return true;
    case CV_DEC_INT32: *out = lm_value_dec(pv.u.i32); return true;
    case CV_DEC_INT64: *out = lm_value_dec(pv.u.i64); return true;
    case CV_DEC_BYTES:
        if (len > 16)
            return false;
        *out = lm_value_dec(be_decimal(p, len));
        return true;
    default:
        return false;
    }
}

/* True when the row group's statistics prove no row satisfies pred. */
static bool pred_excludes(reader *r, const pq_row_group *g, const rnode *top,
                          const lm_type *schema, const lm_parquet_pred *pred)
{
    int fi = r->o->case_sensitive ? -1 : lm_type_field_index(schema, pred->column);
    if (r->o->case_sensitive)
        for (int i = 0; i < schema->nfields; i++)
            if (strcmp(schema->fields[i].name, pred->column) == 0)
                fi = i;
    if (fi < 0 || (r->o->columns_wanted && !r->o->columns_wanted[fi]))
        return false;
    const rnode *n = top->kids[fi];
    if (n->kind == RN_MISSING)
        return pred->op == LM_PQ_IS_NOT_NULL || (pred->op != LM_PQ_IS_NULL);
    if (n->kind != RN_LEAF || n->col >= g->ncolumns || !g->columns[n->col].has_meta)
        return false;
    const pq_node *leaf = r->schema.leaves[n->col];
    const pq_column_meta *m = &g->columns[n->col].meta;
    const pq_stats *s = &m->stats;
    if (pred->op == LM_PQ_IS_NULL)
        return s->has_null_count && s->null_count == 0;
    if (pred->op == LM_PQ_IS_NOT_NULL)
        return s->has_null_count && s->null_count == m->num_values;
    if (s->has_null_count && s->null_count == m->num_values && m->num_values > 0)
        return true; /* only NULLs: no comparison is true */
    if (!s->has_min || !s->has_max)
        return false;
    /* The deprecated min/max were compared as signed bytes by old writers:
       useless for strings, binary and unsigned integers. */
    int pt = leaf->e->type;
    bool unsigned_int = leaf->e->logical == PQ_LT_INTEGER && !leaf->e->lt_signed;
    if (s->legacy && (pt == PQ_BYTE_ARRAY || pt == PQ_FIXED_LEN_BYTE_ARRAY || unsigned_int))
        return false;
    if (pt == PQ_INT96)
        return false;
    bool datetime = n->cv == CV_DATE || n->cv == CV_TS_MICROS || n->cv == CV_TS_MILLIS;
    if (datetime && r->date_mode == LM_PQ_REBASE_LEGACY)
        return false;
    lm_value mn, mx;
    if (!stat_value(n, leaf, s->min, s->min_len, &mn) ||
        !stat_value(n, leaf, s->max, s->max_len, &mx))
        return false;
    if (pred->literal.is_null)
        return true; /* a comparison with NULL is never true */
    const lm_type *t = n->type;
    int cmin = lm_value_compare(t, &pred->literal, &mn);
    int cmax = lm_value_compare(t, &pred->literal, &mx);
    switch (pred->op) {
    case LM_PQ_EQ: return cmin < 0 || cmax > 0;
    case LM_PQ_LT: return cmin <= 0; /* col < lit impossible when min >= lit */
    case LM_PQ_LE: return cmin < 0;
    case LM_PQ_GT: return cmax >= 0;
    case LM_PQ_GE: return cmax > 0;
    default: return false;
    }
}

/* ------------------------------------------------------------- driver */

/* Bytes per value when a top-level field is a flat leaf whose physical
   values are stored as they are (INT from INT32, LONG from INT64, DOUBLE
   from DOUBLE): those skip the record assembly. 0 otherwise. */
static int flat_fixed_width(const reader *r, const rnode *n, const lm_vector *v)
{
    if (n->kind != RN_LEAF || n->peek != n->col || r->cols[n->col].max_rep != 0 ||
        v->length != 0 || v->capacity < 1)
        return 0;
    if (n->cv == CV_INT && n->type->id == LM_TYPE_INT && v->type->id == LM_TYPE_INT)
        return 4;
    if (n->cv == CV_LONG && n->type->id == LM_TYPE_LONG && v->type->id == LM_TYPE_LONG)
        return 8;
    if (n->cv == CV_DOUBLE && n->type->id == LM_TYPE_DOUBLE && v->type->id == LM_TYPE_DOUBLE)
        return 8;
    return 0;
}

/* m records of a flat leaf straight into v (capacity >= m): the same
   level and value checks as assemble's, without an lm_value per value. */
static lm_status decode_flat(reader *r, const rnode *n, lm_vector *v, int32_t m, int width)
{
    colbuf *c = &r->cols[n->col];
    if (v->capacity < m)
        return corrupt(r, "batch smaller than its row count");
    for (int32_t i = 0; i < m; i++) {
        if (c->pos >= c->n)
            return corrupt(r, "fewer level entries than the schema needs");
        int d = c->def[c->pos++];
        uint8_t bit = (uint8_t)(1u << (i & 7));
        if (d < n->def) {
            memset((char *)v->data + (size_t)i * (size_t)width, 0, (size_t)width);
            v->validity[i >> 3] &= (uint8_t)~bit;
            continue;
        }
        if (c->vpos >= c->nv)
            return corrupt(r, "fewer values than definition levels");
        const pq_pv *pv = &c->vals[c->vpos++];
        if (width == 4)
            ((int32_t *)v->data)[i] = pv->u.i32;
        else if (n->cv == CV_LONG)
            ((int64_t *)v->data)[i] = pv->u.i64;
        else
            ((double *)v->data)[i] = pv->u.d;
        v->validity[i >> 3] |= bit;
    }
    v->length = m;
    return LM_OK;
}

static lm_status read_row_group(reader *r, int gi, const rnode *top, lm_table *t)
{
    const pq_row_group *g = &r->meta.row_groups[gi];
    if (g->ncolumns != r->schema.nleaves)
        return corrupt(r, "row group column count differs from the schema");
    lm_arena pages;
    lm_arena_init(&pages, 1 << 16);
    lm_status st = LM_OK;
    for (int c = 0; c < r->schema.nleaves && st == LM_OK; c++) {
        colbuf *cb = &r->cols[c];
        if (!cb->needed)
            continue;
        st = read_chunk(r, &g->columns[c], r->schema.leaves[c], cb, &pages);
    }
    int64_t nrows = 0;
    if (st == LM_OK) {
        /* every needed column must hold the same number of records */
        int64_t want = -1;
        for (int c = 0; c < r->schema.nleaves; c++) {
            colbuf *cb = &r->cols[c];
            if (!cb->needed)
                continue;
            int64_t recs = 0;
            for (int64_t i = 0; i < cb->n; i++)
                if (cb->rep[i] == 0)
                    recs++;
            if (want < 0)
                want = recs;
            else if (recs != want) {
                st = corrupt(r, "columns of a row group hold different row counts");
                break;
            }
        }
        nrows = want < 0 ? g->num_rows : want;
        if (nrows < 0 || nrows > INT32_MAX)
            st = corrupt(r, "bad row count");
    }
    if (st == LM_OK) {
        /* Column by column, a batch at a time: a top-level field reads
           only the leaves beneath it, so each field's records can be
           assembled on their own, straight into its vector. */
        lm_arena vals;
        lm_arena_init(&vals, 1 << 16);
        asm_ctx x = {r, &vals, LM_OK};
        for (int64_t base = 0; st == LM_OK && base < nrows; base += LM_BATCH_ROWS) {
            int32_t m = (int32_t)(nrows - base < LM_BATCH_ROWS ? nrows - base : LM_BATCH_ROWS);
            lm_batch *b = lm_batch_new(t->schema, m);
            if (b == NULL) {
                st = oom(r);
                break;
            }
            for (int f = 0; f < top->n && st == LM_OK; f++) {
                int fast = flat_fixed_width(r, top->kids[f], b->cols[f]);
                if (fast > 0) {
                    st = decode_flat(r, top->kids[f], b->cols[f], m, fast);
                    continue;
                }
                for (int32_t i = 0; i < m; i++) {
                    lm_value v;
                    if (!assemble(&x, top->kids[f], &v)) {
                        st = x.st != LM_OK ? x.st : corrupt(r, "assembly failed");
                        break;
                    }
                    if (lm_vector_append(b->cols[f], &v) != LM_OK) {
                        st = oom(r);
                        break;
                    }
                }
                lm_arena_free(&vals);
                lm_arena_init(&vals, 1 << 16);
            }
            b->nrows = m;
            if (st == LM_OK && lm_table_append_batch(t, b) != LM_OK)
                st = oom(r);
            if (st != LM_OK && (t->nbatches == 0 || t->batches[t->nbatches - 1] != b))
                lm_batch_free(b);
        }
        lm_arena_free(&vals);
    }
    for (int c = 0; c < r->schema.nleaves; c++)
        cb_free(&r->cols[c]);
    lm_arena_free(&pages);
    return st;
}

void lm_parquet_read_opts_init(lm_parquet_read_opts *o)
{
    memset(o, 0, sizeof *o);
    o->int96_as_timestamp = true;
    o->infer_timestamp_ntz = true;
    o->datetime_rebase = LM_PQ_REBASE_EXCEPTION;
    o->int96_rebase = LM_PQ_REBASE_EXCEPTION;
}

static void reader_close(reader *r, uint8_t *data)
{
    free(r->cols);
    lm_arena_free(&r->meta_arena);
    free(data);
}

static lm_status reader_open(reader *r, const char *path, const lm_parquet_read_opts *o,
                             uint8_t **data, lm_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->o = o;
    r->err = err;
    lm_arena_init(&r->meta_arena, 1 << 14);
    size_t len = 0;
    lm_status st = load_file(o->fio, path, data, &len, err);
    if (st != LM_OK)
        return st;
    r->file = *data;
    r->file_len = len;
    st = parse_footer(r);
    if (st != LM_OK)
        return st;
    rebase_modes(r);
    r->cols = calloc((size_t)(r->schema.nleaves ? r->schema.nleaves : 1), sizeof(colbuf));
    if (r->cols == NULL)
        return oom(r);
    for (int c = 0; c < r->schema.nleaves; c++) {
        r->cols[c].max_def = r->schema.leaves[c]->def;
        r->cols[c].max_rep = r->schema.leaves[c]->rep;
    }
    return LM_OK;
}

/* n rows of NULLs in every column, a batch at a time. */
static lm_status append_null_rows(reader *r, lm_table *t, int64_t n)
{
    for (int64_t base = 0; base < n; base += LM_BATCH_ROWS) {
        int32_t m = (int32_t)(n - base < LM_BATCH_ROWS ? n - base : LM_BATCH_ROWS);
        lm_batch *b = lm_batch_new(t->schema, m);
        if (b == NULL)
            return oom(r);
        for (int c = 0; c < b->ncols; c++)
            for (int32_t i = 0; i < m; i++)
                if (lm_vector_append_null(b->cols[c]) != LM_OK) {
                    lm_batch_free(b);
                    return oom(r);
                }
        b->nrows = m;
        if (lm_table_append_batch(t, b) != LM_OK) {
            lm_batch_free(b);
            return oom(r);
        }
    }
    return LM_OK;
}

/* Reads one file with the given target schema (NULL: the file's) into t
   (created when *t is NULL). */
static lm_status read_into(const char *path, lm_parquet_read_opts *o, const lm_type *target,
                           lm_table **t, lm_error *err)
{
    reader r;
    uint8_t *data = NULL;
    lm_status st = reader_open(&r, path, o, &data, err);
    lm_type *own = NULL;
    if (st == LM_OK && target == NULL) {
        own = file_schema(&r);
        if (own == NULL)
            st = err->status != LM_OK ? err->status : LM_ERROR;
        target = own;
    }
    lm_arena tree;
    lm_arena_init(&tree, 4096);
    rnode *top = NULL;
    if (st == LM_OK) {
        top = build_struct(&r, &tree, target, r.schema.root, 0);
        if (top == NULL)
            st = err->status != LM_OK ? err->status : LM_ERROR;
    }
    if (st == LM_OK && *t == NULL) {
        *t = lm_table_new(target);
        if (*t == NULL)
            st = oom(&r);
    }
    if (st == LM_OK) {
        mark_needed(&r, top);
        for (int g = 0; g < r.meta.nrow_groups && st == LM_OK; g++) {
            bool skip = false;
            for (int p = 0; p < o->npreds && !skip; p++)
                skip = pred_excludes(&r, &r.meta.row_groups[g], top, target, &o->preds[p]);
            if (skip) {
                o->row_groups_skipped++;
                continue;
            }
            o->row_groups_read++;
            if (top->n == 0 || top->peek < 0) {
                /* no column of the file is read: rows of NULLs */
                st = append_null_rows(&r, *t, r.meta.row_groups[g].num_rows);
                continue;
            }
            st = read_row_group(&r, g, top, *t);
        }
    }
    lm_arena_free(&tree);
    lm_type_unref(own);
    reader_close(&r, data);
    return st;
}

lm_status lm_parquet_read_file(const char *path, lm_parquet_read_opts *opts,
                               lm_table **out, lm_error *err)
{
    lm_parquet_read_opts o;
    if (opts)
        o = *opts;
    else
        lm_parquet_read_opts_init(&o);
    *out = NULL;
    lm_status st = read_into(path, &o, opts ? opts->schema : NULL, out, err);
    if (opts) {
        /* the statistics are the one thing a read writes back */
        opts->row_groups_read = o.row_groups_read;
        opts->row_groups_skipped = o.row_groups_skipped;
    }
    if (st != LM_OK) {
        lm_table_unref(*out);
        *out = NULL;
    }
    return st;
}

/* The file's schema without reading rows (new reference). */
lm_type *pq_read_file_schema(const char *path, const lm_parquet_read_opts *o, lm_error *err)
{
    reader r;
    uint8_t *data = NULL;
    lm_type *t = NULL;
    if (reader_open(&r, path, o, &data, err) == LM_OK)
        t = file_schema(&r);
    reader_close(&r, data);
    return t;
}

/* Reads one file into an existing table of the target schema. */
lm_status pq_read_file_into(const char *path, lm_parquet_read_opts *o, const lm_type *target,
                            lm_table *t, lm_error *err)
{
    return read_into(path, o, target, &t, err);
}
