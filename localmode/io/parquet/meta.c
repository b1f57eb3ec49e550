/*
 * Decoding and encoding of Parquet's Thrift structures (FileMetaData,
 * SchemaElement, RowGroup, ColumnChunk, ColumnMetaData, Statistics,
 * KeyValue, PageHeader and its three page kinds). Field numbers follow
 * parquet.thrift; unknown fields are skipped so newer writers' extras
 * (bloom filters, column indexes, encryption) do not disturb us.
 */
#include "meta.h"

#include <string.h>

#include "thrift.h"

/* A decoding pass: the reader plus the arena that receives copies. */
typedef struct md {
    th_reader r;
    lm_arena *a;
    bool oom;
} md;

static char *md_string(md *m)
{
    int32_t n;
    const uint8_t *p = th_binary(&m->r, &n);
    if (m->r.failed)
        return NULL;
    char *s = lm_arena_strndup(m->a, (const char *)p, (size_t)n);
    if (s == NULL)
        m->oom = true;
    return s;
}

static const uint8_t *md_bytes(md *m, int32_t *len)
{
    const uint8_t *p = th_binary(&m->r, len);
    if (m->r.failed)
        return NULL;
    uint8_t *c = lm_arena_alloc(m->a, (size_t)*len + 1);
    if (c == NULL) {
        m->oom = true;
        return NULL;
    }
    memcpy(c, p, (size_t)*len);
    return c;
}

static bool md_ok(md *m)
{
    return !m->r.failed && !m->oom;
}

/* Allocates an array for a list of n elements of size sz. */
static void *md_array(md *m, int32_t n, size_t sz)
{
    void *p = lm_arena_calloc(m->a, n ? (size_t)n : 1, sz);
    if (p == NULL)
        m->oom = true;
    return p;
}

/* An empty-struct union member (TimeUnit, etc.): returns the member id. */
static int md_union_id(md *m)
{
    int16_t last = 0, id;
    int t, which = 0;
    if (!th_enter(&m->r))
        return 0;
    while (th_field(&m->r, &last, &t, &id)) {
        if (which == 0)
            which = id;
        th_skip(&m->r, t);
    }
    th_leave(&m->r);
    return which;
}

static void md_logical(md *m, pq_schema_elem *e)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (t != TH_STRUCT) {
            th_skip(&m->r, t);
            continue;
        }
        e->logical = id;
        /* parse the member struct */
        int16_t l2 = 0, id2;
        int t2;
        if (!th_enter(&m->r))
            return;
        while (th_field(&m->r, &l2, &t2, &id2)) {
            if (id == PQ_LT_DECIMAL && id2 == 1 && t2 == TH_I32)
                e->lt_scale = th_i32(&m->r);
            else if (id == PQ_LT_DECIMAL && id2 == 2 && t2 == TH_I32)
                e->lt_precision = th_i32(&m->r);
            else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && id2 == 1 &&
                     (t2 == TH_TRUE || t2 == TH_FALSE))
                e->lt_utc = t2 == TH_TRUE;
            else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && id2 == 2 && t2 == TH_STRUCT)
                e->lt_unit = md_union_id(m);
            else if (id == PQ_LT_INTEGER && id2 == 1 && t2 == TH_BYTE) {
                if (m->r.p < m->r.end)
                    e->lt_bit_width = (int8_t)*m->r.p++;
                else
                    th_skip(&m->r, t2);
            } else if (id == PQ_LT_INTEGER && id2 == 2 && (t2 == TH_TRUE || t2 == TH_FALSE))
                e->lt_signed = t2 == TH_TRUE;
            else
                th_skip(&m->r, t2);
        }
        th_leave(&m->r);
    }
    th_leave(&m->r);
}

static void md_schema_elem(md *m, pq_schema_elem *e)
{
    int16_t last = 0, id;
    int t;
    e->type = -1;
    e->repetition = -1;
    e->converted = -1;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            e->type = th_i32(&m->r);
        else if (id == 2 && t == TH_I32)
            e->type_length = th_i32(&m->r);
        else if (id == 3 && t == TH_I32)
            e->repetition = th_i32(&m->r);
        else if (id == 4 && t == TH_BINARY)
            e->name = md_string(m);
        else if (id == 5 && t == TH_I32)
            e->num_children = th_i32(&m->r);
        else if (id == 6 && t == TH_I32)
            e->converted = th_i32(&m->r);
        else if (id == 7 && t == TH_I32)
            e->scale = th_i32(&m->r);
        else if (id == 8 && t == TH_I32)
            e->precision = th_i32(&m->r);
        else if (id == 9 && t == TH_I32) {
            e->field_id = th_i32(&m->r);
            e->has_field_id = true;
        } else if (id == 10 && t == TH_STRUCT)
            md_logical(m, e);
        else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
    if (e->name == NULL && md_ok(m)) {
        e->name = lm_arena_strdup(m->a, "");
        if (e->name == NULL)
            m->oom = true;
    }
}

static void md_stats(md *m, pq_stats *s)
{
    int16_t last = 0, id;
    int t;
    const uint8_t *min_old = NULL, *max_old = NULL;
    int32_t min_old_len = 0, max_old_len = 0;
    bool has_min_new = false, has_max_new = false;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_BINARY)
            max_old = md_bytes(m, &max_old_len);
        else if (id == 2 && t == TH_BINARY)
            min_old = md_bytes(m, &min_old_len);
        else if (id == 3 && t == TH_I64) {
            s->null_count = th_zigzag(&m->r);
            s->has_null_count = true;
        } else if (id == 5 && t == TH_BINARY) {
            s->max = md_bytes(m, &s->max_len);
            has_max_new = true;
        } else if (id == 6 && t == TH_BINARY) {
            s->min = md_bytes(m, &s->min_len);
            has_min_new = true;
        } else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
    /* The new fields win; the old ones are kept for signed-order types
       and flagged so the reader can decide whether to trust them. */
    if (has_min_new && has_max_new) {
        s->has_min = s->has_max = true;
    } else if (min_old && max_old) {
        s->min = min_old;
        s->min_len = min_old_len;
        s->max = max_old;
        s->max_len = max_old_len;
        s->has_min = s->has_max = true;
        s->legacy = true;
    }
}

static void md_column_meta(md *m, pq_column_meta *c)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            c->type = th_i32(&m->r);
        else if (id == 2 && t == TH_LIST) {
            int et;
            int32_t n = th_list(&m->r, &et);
            c->encodings = md_array(m, n, sizeof(int32_t));
            for (int32_t i = 0; i < n && md_ok(m); i++)
                c->encodings[i] = th_i32(&m->r);
            c->nencodings = md_ok(m) ? n : 0;
        } else if (id == 3 && t == TH_LIST) {
            int et;
            int32_t n = th_list(&m->r, &et);
            c->path = md_array(m, n, sizeof(char *));
            for (int32_t i = 0; i < n && md_ok(m); i++)
                c->path[i] = md_string(m);
            c->npath = md_ok(m) ? n : 0;
        } else if (id == 4 && t == TH_I32)
            c->codec = th_i32(&m->r);
        else if (id == 5 && t == TH_I64)
            c->num_values = th_zigzag(&m->r);
        else if (id == 6 && t == TH_I64)
            c->total_uncompressed_size = th_zigzag(&m->r);
        else if (id == 7 && t == TH_I64)
            c->total_compressed_size = th_zigzag(&m->r);
        else if (id == 9 && t == TH_I64)
            c->data_page_offset = th_zigzag(&m->r);
        else if (id == 11 && t == TH_I64) {
            c->dictionary_page_offset = th_zigzag(&m->r);
            c->has_dictionary_page_offset = true;
        } else if (id == 12 && t == TH_STRUCT)
            md_stats(m, &c->stats);
        else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
}

static void md_column_chunk(md *m, pq_column_chunk *c)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_BINARY)
            c->file_path = md_string(m);
        else if (id == 2 && t == TH_I64)
            c->file_offset = th_zigzag(&m->r);
        else if (id == 3 && t == TH_STRUCT) {
            md_column_meta(m, &c->meta);
            c->has_meta = true;
        } else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
}

static void md_row_group(md *m, pq_row_group *g)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_LIST) {
            int et;
            int32_t n = th_list(&m->r, &et);
            if (et != TH_STRUCT && n > 0) {
                m->r.failed = true;
                break;
            }
            g->columns = md_array(m, n, sizeof(pq_column_chunk));
            for (int32_t i = 0; i < n && md_ok(m); i++)
                md_column_chunk(m, &g->columns[i]);
            g->ncolumns = md_ok(m) ? n : 0;
        } else if (id == 2 && t == TH_I64)
            g->total_byte_size = th_zigzag(&m->r);
        else if (id == 3 && t == TH_I64)
            g->num_rows = th_zigzag(&m->r);
        else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
}

static void md_kv(md *m, pq_kv *kv)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(&m->r))
        return;
    while (th_field(&m->r, &last, &t, &id)) {
        if (id == 1 && t == TH_BINARY)
            kv->key = md_string(m);
        else if (id == 2 && t == TH_BINARY)
            kv->value = md_string(m);
        else
            th_skip(&m->r, t);
    }
    th_leave(&m->r);
    if (kv->key == NULL && md_ok(m))
        kv->key = lm_arena_strdup(m->a, "");
}

bool pq_decode_file_meta(const uint8_t *p, size_t n, lm_arena *a, pq_file_meta *out)
{
    md m = {.a = a};
    th_reader_init(&m.r, p, n);
    memset(out, 0, sizeof *out);
    int16_t last = 0, id;
    int t;
    bool have_schema = false;
    while (th_field(&m.r, &last, &t, &id) && md_ok(&m)) {
        if (id == 1 && t == TH_I32)
            out->version = th_i32(&m.r);
        else if (id == 2 && t == TH_LIST) {
            int et;
            int32_t cnt = th_list(&m.r, &et);
            if (et != TH_STRUCT || cnt == 0) {
                m.r.failed = true;
                break;
            }
            out->schema = md_array(&m, cnt, sizeof(pq_schema_elem));
            for (int32_t i = 0; i < cnt && md_ok(&m); i++)
                md_schema_elem(&m, &out->schema[i]);
            out->nschema = md_ok(&m) ? cnt : 0;
            have_schema = true;
        } else if (id == 3 && t == TH_I64)
            out->num_rows = th_zigzag(&m.r);
        else if (id == 4 && t == TH_LIST) {
            int et;
            int32_t cnt = th_list(&m.r, &et);
            if (et != TH_STRUCT && cnt > 0) {
                m.r.failed = true;
                break;
            }
            out->row_groups = md_array(&m, cnt, sizeof(pq_row_group));
            for (int32_t i = 0; i < cnt && md_ok(&m); i++)
                md_row_group(&m, &out->row_groups[i]);
            out->nrow_groups = md_ok(&m) ? cnt : 0;
        } else if (id == 5 && t == TH_LIST) {
            int et;
            int32_t cnt = th_list(&m.r, &et);
            if (et != TH_STRUCT && cnt > 0) {
                m.r.failed = true;
                break;
            }
            out->kv = md_array(&m, cnt, sizeof(pq_kv));
            for (int32_t i = 0; i < cnt && md_ok(&m); i++)
                md_kv(&m, &out->kv[i]);
            out->nkv = md_ok(&m) ? cnt : 0;
        } else if (id == 6 && t == TH_BINARY)
            out->created_by = md_string(&m);
        else
            th_skip(&m.r, t);
    }
    return md_ok(&m) && have_schema;
}

static void md_page_data(th_reader *r, pq_data_page_header *d)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(r))
        return;
    while (th_field(r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            d->num_values = th_i32(r);
        else if (id == 2 && t == TH_I32)
            d->encoding = th_i32(r);
        else if (id == 3 && t == TH_I32)
            d->def_encoding = th_i32(r);
        else if (id == 4 && t == TH_I32)
            d->rep_encoding = th_i32(r);
        else
            th_skip(r, t);
    }
    th_leave(r);
}

static void md_page_dict(th_reader *r, pq_dict_page_header *d)
{
    int16_t last = 0, id;
    int t;
    if (!th_enter(r))
        return;
    while (th_field(r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            d->num_values = th_i32(r);
        else if (id == 2 && t == TH_I32)
            d->encoding = th_i32(r);
        else
            th_skip(r, t);
    }
    th_leave(r);
}

static void md_page_v2(th_reader *r, pq_data_page_v2_header *d)
{
    int16_t last = 0, id;
    int t;
    d->is_compressed = true;
    if (!th_enter(r))
        return;
    while (th_field(r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            d->num_values = th_i32(r);
        else if (id == 2 && t == TH_I32)
            d->num_nulls = th_i32(r);
        else if (id == 3 && t == TH_I32)
            d->num_rows = th_i32(r);
        else if (id == 4 && t == TH_I32)
            d->encoding = th_i32(r);
        else if (id == 5 && t == TH_I32)
            d->def_len = th_i32(r);
        else if (id == 6 && t == TH_I32)
            d->rep_len = th_i32(r);
        else if (id == 7 && (t == TH_TRUE || t == TH_FALSE))
            d->is_compressed = t == TH_TRUE;
        else
            th_skip(r, t);
    }
    th_leave(r);
}

bool pq_decode_page_header(const uint8_t *p, size_t n, pq_page_header *out, size_t *used)
{
    th_reader r;
    th_reader_init(&r, p, n);
    memset(out, 0, sizeof *out);
    out->type = -1;
    int16_t last = 0, id;
    int t;
    while (th_field(&r, &last, &t, &id)) {
        if (id == 1 && t == TH_I32)
            out->type = th_i32(&r);
        else if (id == 2 && t == TH_I32)
            out->uncompressed_size = th_i32(&r);
        else if (id == 3 && t == TH_I32)
            out->compressed_size = th_i32(&r);
        else if (id == 5 && t == TH_STRUCT) {
            md_page_data(&r, &out->data);
            out->has_data = true;
        } else if (id == 7 && t == TH_STRUCT) {
            md_page_dict(&r, &out->dict);
            out->has_dict = true;
        } else if (id == 8 && t == TH_STRUCT) {
            md_page_v2(&r, &out->v2);
            out->has_v2 = true;
        } else
            th_skip(&r, t);
    }
    if (r.failed || out->type < 0 || out->compressed_size < 0 || out->uncompressed_size < 0)
        return false;
    *used = (size_t)(r.p - p);
    return true;
}

const pq_kv *pq_meta_find_kv(const pq_file_meta *m, const char *key)
{
    for (int i = 0; i < m->nkv; i++)
        if (m->kv[i].key && strcmp(m->kv[i].key, key) == 0)
            return &m->kv[i];
    return NULL;
}

/* ------------------------------------------------------------ encoding */

static void enc_stats(th_writer *w, int16_t fid, const pq_stats *s)
{
    th_w_struct_field(w, fid);
    /* The deprecated min/max are written too when the caller marks them
       legacy-safe (signed comparisons), as parquet-mr does, so that old
       readers can still prune. */
    if (s->has_max && s->legacy)
        th_w_binary(w, 1, s->max, (size_t)s->max_len);
    if (s->has_min && s->legacy)
        th_w_binary(w, 2, s->min, (size_t)s->min_len);
    if (s->has_null_count)
        th_w_i64(w, 3, s->null_count);
    if (s->has_max)
        th_w_binary(w, 5, s->max, (size_t)s->max_len);
    if (s->has_min)
        th_w_binary(w, 6, s->min, (size_t)s->min_len);
    th_w_struct_end(w);
}

static void enc_schema_elem(th_writer *w, const pq_schema_elem *e)
{
    th_w_struct_begin(w);
    if (e->type >= 0)
        th_w_i32(w, 1, e->type);
    if (e->type == PQ_FIXED_LEN_BYTE_ARRAY)
        th_w_i32(w, 2, e->type_length);
    if (e->repetition >= 0)
        th_w_i32(w, 3, e->repetition);
    th_w_string(w, 4, e->name);
    if (e->type < 0)
        th_w_i32(w, 5, e->num_children);
    if (e->converted >= 0)
        th_w_i32(w, 6, e->converted);
    if (e->converted == PQ_CT_DECIMAL) {
        th_w_i32(w, 7, e->scale);
        th_w_i32(w, 8, e->precision);
    }
    if (e->logical != PQ_LT_NONE) {
        th_w_struct_field(w, 10);
        th_w_struct_field(w, (int16_t)e->logical);
        switch (e->logical) {
        case PQ_LT_DECIMAL:
            th_w_i32(w, 1, e->lt_scale);
            th_w_i32(w, 2, e->lt_precision);
            break;
        case PQ_LT_TIME:
        case PQ_LT_TIMESTAMP:
            th_w_bool(w, 1, e->lt_utc);
            th_w_struct_field(w, 2);
            th_w_struct_field(w, (int16_t)e->lt_unit);
            th_w_struct_end(w);
            th_w_struct_end(w);
            break;
        case PQ_LT_INTEGER:
            th_w_field(w, 1, TH_BYTE);
            lm_strbuf_putc(w->out, (char)e->lt_bit_width);
            th_w_bool(w, 2, e->lt_signed);
            break;
        default:
            break;
        }
        th_w_struct_end(w);
        th_w_struct_end(w);
    }
    th_w_struct_end(w);
}

static void enc_column_chunk(th_writer *w, const pq_column_chunk *c)
{
    const pq_column_meta *cm = &c->meta;
    th_w_struct_begin(w);
    th_w_i64(w, 2, c->file_offset);
    th_w_struct_field(w, 3);
    th_w_i32(w, 1, cm->type);
    th_w_list(w, 2, TH_I32, cm->nencodings);
    for (int i = 0; i < cm->nencodings; i++)
        th_w_elem_i32(w, cm->encodings[i]);
    th_w_list(w, 3, TH_BINARY, cm->npath);
    for (int i = 0; i < cm->npath; i++)
        th_w_elem_binary(w, cm->path[i], strlen(cm->path[i]));
    th_w_i32(w, 4, cm->codec);
    th_w_i64(w, 5, cm->num_values);
    th_w_i64(w, 6, cm->total_uncompressed_size);
    th_w_i64(w, 7, cm->total_compressed_size);
    th_w_i64(w, 9, cm->data_page_offset);
    if (cm->has_dictionary_page_offset)
        th_w_i64(w, 11, cm->dictionary_page_offset);
    if (cm->stats.has_null_count || cm->stats.has_min)
        enc_stats(w, 12, &cm->stats);
    th_w_struct_end(w);
    th_w_struct_end(w);
}

void pq_encode_file_meta(lm_strbuf *out, const pq_file_meta *m)
{
    th_writer w;
    th_writer_init(&w, out);
    th_w_i32(&w, 1, m->version);
    th_w_list(&w, 2, TH_STRUCT, m->nschema);
    for (int i = 0; i < m->nschema; i++)
        enc_schema_elem(&w, &m->schema[i]);
    th_w_i64(&w, 3, m->num_rows);
    th_w_list(&w, 4, TH_STRUCT, m->nrow_groups);
    for (int g = 0; g < m->nrow_groups; g++) {
        const pq_row_group *rg = &m->row_groups[g];
        th_w_struct_begin(&w);
        th_w_list(&w, 1, TH_STRUCT, rg->ncolumns);
        for (int c = 0; c < rg->ncolumns; c++)
            enc_column_chunk(&w, &rg->columns[c]);
        th_w_i64(&w, 2, rg->total_byte_size);
        th_w_i64(&w, 3, rg->num_rows);
        th_w_struct_end(&w);
    }
    if (m->nkv) {
        th_w_list(&w, 5, TH_STRUCT, m->nkv);
        for (int i = 0; i < m->nkv; i++) {
            th_w_struct_begin(&w);
            th_w_string(&w, 1, m->kv[i].key);
            if (m->kv[i].value)
                th_w_string(&w, 2, m->kv[i].value);
            th_w_struct_end(&w);
        }
    }
    if (m->created_by)
        th_w_string(&w, 6, m->created_by);
    /* column_orders: TYPE_ORDER for every leaf, so readers trust min/max. */
    int nleaves = 0;
    for (int i = 1; i < m->nschema; i++)
        if (m->schema[i].type >= 0)
            nleaves++;
    th_w_list(&w, 7, TH_STRUCT, nleaves);
    for (int i = 0; i < nleaves; i++) {
        th_w_struct_begin(&w);
        th_w_struct_field(&w, 1);
        th_w_struct_end(&w);
        th_w_struct_end(&w);
    }
    th_w_struct_end(&w); /* the outer struct's STOP */
}

void pq_encode_page_header(lm_strbuf *out, const pq_page_header *h, const pq_stats *stats)
{
    th_writer w;
    th_writer_init(&w, out);
    th_w_i32(&w, 1, h->type);
    th_w_i32(&w, 2, h->uncompressed_size);
    th_w_i32(&w, 3, h->compressed_size);
    if (h->type == PQ_PAGE_DATA) {
        th_w_struct_field(&w, 5);
        th_w_i32(&w, 1, h->data.num_values);
        th_w_i32(&w, 2, h->data.encoding);
        th_w_i32(&w, 3, h->data.def_encoding);
        th_w_i32(&w, 4, h->data.rep_encoding);
        if (stats)
            enc_stats(&w, 5, stats);
        th_w_struct_end(&w);
    } else if (h->type == PQ_PAGE_DICTIONARY) {
        th_w_struct_field(&w, 7);
        th_w_i32(&w, 1, h->dict.num_values);
        th_w_i32(&w, 2, h->dict.encoding);
        th_w_struct_end(&w);
    }
    th_w_struct_end(&w);
}
