/*
 * Parquet as a file data source of lm_read / lm_write (io/read.c and
 * io/write.c): the reader options and session confs mapped onto the
 * module's options (ParquetOptions + SQLConf), schema inference over the
 * listed files, partition values through the shared row sink, and the
 * writer of one output file with Spark's compression naming.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "io/io.h"
#include "pq_int.h"
#include "session/session.h"

static const char *conf_or(const lm_session *s, const char *key, const char *legacy)
{
    const char *v = lm_conf_get(s->conf, key);
    if (v == NULL && legacy)
        v = lm_conf_get(s->conf, legacy);
    return v;
}

static lm_status rebase_mode(lm_error *err, const char *v, lm_parquet_rebase *out)
{
    if (v == NULL)
        return LM_OK;
    if (strcasecmp(v, "EXCEPTION") == 0)
        *out = LM_PQ_REBASE_EXCEPTION;
    else if (strcasecmp(v, "CORRECTED") == 0)
        *out = LM_PQ_REBASE_CORRECTED;
    else if (strcasecmp(v, "LEGACY") == 0)
        *out = LM_PQ_REBASE_LEGACY;
    else
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "The value of datetime rebase mode should be one of EXCEPTION, "
                            "CORRECTED, LEGACY, but was %s",
                            v);
    return LM_OK;
}

/* ParquetOptions and the session's parquet confs. */
static lm_status read_opts(io_read *r, lm_parquet_read_opts *o)
{
    lm_session *s = r->s;
    lm_parquet_read_opts_init(o);
    o->binary_as_string = session_conf_bool(s, "spark.sql.parquet.binaryAsString", false);
    o->int96_as_timestamp = session_conf_bool(s, "spark.sql.parquet.int96AsTimestamp", true);
    o->infer_timestamp_ntz =
        session_conf_bool(s, "spark.sql.parquet.inferTimestampNTZ.enabled", true);
    o->nanos_as_long = session_conf_bool(s, "spark.sql.legacy.parquet.nanosAsLong", false);
    o->case_sensitive = s->case_sensitive;
    o->session_tz = s->tz_name;
    lm_status rc = io_opt_bool(r->err, r->opts, "mergeSchema",
                               session_conf_bool(s, "spark.sql.parquet.mergeSchema", false),
                               &o->merge_schema);
    const char *dt = io_opt(r->opts, "datetimeRebaseMode");
    if (dt == NULL)
        dt = conf_or(s, "spark.sql.parquet.datetimeRebaseModeInRead",
                     "spark.sql.legacy.parquet.datetimeRebaseModeInRead");
    const char *i96 = io_opt(r->opts, "int96RebaseMode");
    if (i96 == NULL)
        i96 = conf_or(s, "spark.sql.parquet.int96RebaseModeInRead",
                      "spark.sql.legacy.parquet.int96RebaseModeInRead");
    if (rc == LM_OK)
        rc = rebase_mode(r->err, dt, &o->datetime_rebase);
    if (rc == LM_OK)
        rc = rebase_mode(r->err, i96, &o->int96_rebase);
    return rc;
}


static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A Parquet relation as Spark keeps one: the schema is settled when the
 * relation is defined (from the footers), the rows are read when a query
 * scans it, with the columns and filters the query pushes down.
 */
typedef struct pq_deferred {
    lm_table_source base;
    io_source src;          /* the listed files, moved from the definition */
    lm_type *data;          /* data schema: the user's or the files' */
    lm_parquet_read_opts o; /* session_tz points at tz */
    char *tz;
    char *faults;           /* the test fault plan's text at definition, or NULL */
} pq_deferred;

static void deferred_destroy(lm_table_source *base)
{
    pq_deferred *d = (pq_deferred *)base;
    io_source_free(&d->src);
    lm_type_unref(d->data);
    free(d->tz);
    free(d->faults);
    free(d);
}

static lm_parquet_op pq_op_of(lm_scan_op op)
{
    switch (op) {
    case LM_SCAN_EQ: return LM_PQ_EQ;
    case LM_SCAN_LT: return LM_PQ_LT;
    case LM_SCAN_LE: return LM_PQ_LE;
    case LM_SCAN_GT: return LM_PQ_GT;
    case LM_SCAN_GE: return LM_PQ_GE;
    case LM_SCAN_IS_NULL: return LM_PQ_IS_NULL;
    default: return LM_PQ_IS_NOT_NULL;
    }
}

/* True when a file whose partition column holds v has no row passing f. */
static bool partition_excludes(const lm_type *t, const lm_value *v, const lm_scan_filter *f)
{
    if (f->op == LM_SCAN_IS_NULL)
        return !v->is_null;
    if (f->op == LM_SCAN_IS_NOT_NULL)
        return v->is_null;
    if (v->is_null || f->literal.is_null)
        return true;
    int c = lm_value_compare(t, v, &f->literal);
    switch (f->op) {
    case LM_SCAN_EQ: return c != 0;
    case LM_SCAN_LT: return c >= 0;
    case LM_SCAN_LE: return c > 0;
    case LM_SCAN_GT: return c <= 0;
    default: return c < 0;
    }
}

static bool file_excluded(const pq_deferred *d, const io_sink *k, int file,
                          const lm_scan_request *req)
{
    int part = d->src.files[file].part;
    if (part < 0)
        return false;
    for (int i = 0; i < req->nfilters; i++)
        for (int p = 0; p < k->npart; p++)
            if (k->part_to_full[p] == req->filters[i].column &&
                partition_excludes(d->src.part_schema->fields[p].type, &d->src.part_values[part][p],
                                   &req->filters[i]))
                return true;
    return false;
}

/* Every file appended as decoded into one table of the output schema. */
static lm_status read_direct(pq_deferred *d, lm_parquet_read_opts *o, const lm_type *parsed,
                             const lm_type *schema, lm_scan_request *req, lm_table **out,
                             lm_error *err)
{
    lm_table *res = lm_table_new(schema);
    if (res == NULL)
        return lm_error_oom(err);
    lm_status rc = LM_OK;
    for (int f = 0; rc == LM_OK && f < d->src.nfiles; f++) {
        req->files_read++;
        rc = pq_read_file_into(d->src.files[f].path, o, parsed, res, err);
    }
    if (rc == LM_OK)
        *out = res;
    else
        lm_table_unref(res);
    return rc;
}

/* Each file not excluded by its partition values, row by row through the
   sink, which adds the partition columns. */
static lm_status read_through_sink(pq_deferred *d, lm_parquet_read_opts *o, const lm_type *parsed,
                                   io_sink *sink, lm_scan_request *req, lm_table **out,
                                   lm_error *err)
{
    lm_value *row = calloc((size_t)parsed->nfields + 1, sizeof *row);
    if (row == NULL)
        return lm_error_oom(err);
    lm_status rc = LM_OK;
    lm_arena a;
    lm_arena_init(&a, 1 << 14);
    for (int f = 0; rc == LM_OK && f < d->src.nfiles; f++) {
        if (file_excluded(d, sink, f, req)) {
            req->files_skipped++;
            continue;
        }
        req->files_read++;
        lm_table *t = lm_table_new(parsed);
        if (t == NULL) {
            rc = lm_error_oom(err);
            break;
        }
        rc = pq_read_file_into(d->src.files[f].path, o, parsed, t, err);
        for (int b = 0; rc == LM_OK && b < t->nbatches; b++) {
            for (int32_t i = 0; rc == LM_OK && i < t->batches[b]->nrows; i++) {
                if (!lm_batch_get_row(t->batches[b], i, row, &a))
                    rc = lm_error_oom(err);
                else
                    rc = io_sink_row(sink, f, row);
            }
            lm_arena_free(&a);
            lm_arena_init(&a, 1 << 14);
        }
        lm_table_unref(t);
    }
    lm_arena_free(&a);
    free(row);
    if (rc == LM_OK && (*out = io_sink_finish(sink)) == NULL)
        rc = lm_error_oom(err);
    return rc;
}

static lm_status deferred_scan(lm_table_source *base, lm_scan_request *req, lm_table **out,
                               lm_error *err)
{
    pq_deferred *d = (pq_deferred *)base;
    *out = NULL;
    lm_parquet_read_opts o = d->o;
    lm_fio_plan *plan = NULL;
    lm_status rc = lm_fio_plan_parse(d->faults, &plan, err);
    if (rc != LM_OK)
        return rc;
    o.fio = plan;
    io_sink sink;
    lm_type *parsed = NULL;
    rc = io_sink_init(&sink, err, d->data, NULL, &d->src, IO_FAILFAST, &parsed);
    int nparsed = rc == LM_OK ? parsed->nfields : 0;
    bool *wanted = calloc((size_t)nparsed + 1, sizeof *wanted);
    lm_parquet_pred *preds = calloc((size_t)req->nfilters + 1, sizeof *preds);
    if (rc == LM_OK && (wanted == NULL || preds == NULL))
        rc = lm_error_oom(err);
    /* a data column a partition column overrides is never read */
    for (int i = 0; rc == LM_OK && i < nparsed; i++)
        wanted[i] = sink.overlap_part[i] < 0 && (req->need == NULL || req->need[sink.data_to_full[i]]);
    int np = 0;
    for (int f = 0; rc == LM_OK && f < req->nfilters; f++)
        for (int i = 0; i < nparsed; i++)
            if (wanted[i] && sink.data_to_full[i] == req->filters[f].column)
                preds[np++] = (lm_parquet_pred){parsed->fields[i].name,
                                                pq_op_of(req->filters[f].op),
                                                req->filters[f].literal};
    o.preds = preds;
    o.npreds = np;
    o.columns_wanted = wanted;
    /* without partition columns the files' batches are the output as they
       are decoded: no per-row copy through the sink */
    bool direct = rc == LM_OK && sink.npart == 0 && sink.nfull == nparsed;
    for (int i = 0; direct && i < nparsed; i++)
        direct = sink.data_to_full[i] == i;
    if (rc == LM_OK && direct)
        rc = read_direct(d, &o, parsed, sink.table->schema, req, out, err);
    else if (rc == LM_OK)
        rc = read_through_sink(d, &o, parsed, &sink, req, out, err);
    req->row_groups_read += o.row_groups_read;
    req->row_groups_skipped += o.row_groups_skipped;
    if (parsed)
        io_sink_free(&sink);
    free(wanted);
    free(preds);
    lm_type_unref(parsed);
    lm_fio_plan_free(plan);
    return rc;
}

/* The data schema: the user's, else the first file's in path order (all
   files' merged with mergeSchema). New reference. */
static lm_status data_schema(io_read *r, lm_parquet_read_opts *o, lm_type **out)
{
    *out = NULL;
    if (r->user_schema) {
        *out = lm_type_ref((lm_type *)r->user_schema);
        return LM_OK;
    }
    const char **paths = calloc((size_t)r->src->nfiles + 1, sizeof *paths);
    if (paths == NULL)
        return lm_error_oom(r->err);
    for (int f = 0; f < r->src->nfiles; f++)
        paths[f] = r->src->files[f].path;
    qsort(paths, (size_t)r->src->nfiles, sizeof *paths, cmp_path);
    lm_status rc = lm_parquet_infer_schema(paths, o->merge_schema ? r->src->nfiles : 1, o, out,
                                           r->err);
    free(paths);
    /* DataSource.resolveRelation: no duplicate column names in the
       inferred data schema */
    if (rc == LM_OK)
        rc = io_check_duplicate_columns(r->err, *out, o->case_sensitive);
    if (rc != LM_OK) {
        lm_type_unref(*out);
        *out = NULL;
    }
    return rc;
}

lm_status io_parquet_read(io_read *r, lm_table **out)
{
    *out = NULL;
    pq_deferred *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(r->err);
    d->base.refcount = 1;
    d->base.format = "Parquet";
    d->base.scan = deferred_scan;
    d->base.destroy = deferred_destroy;
    lm_arena_init(&d->src.arena, 64);
    lm_status rc = read_opts(r, &d->o);
    if (rc == LM_OK && r->s->tz_name && (d->tz = strdup(r->s->tz_name)) == NULL)
        rc = lm_error_oom(r->err);
    d->o.session_tz = d->tz;
    const char *faults = lm_conf_get(r->s->conf, LM_FIO_FAULTS_KEY);
    if (rc == LM_OK && faults && (d->faults = strdup(faults)) == NULL)
        rc = lm_error_oom(r->err);
    if (rc == LM_OK) {
        /* the footers are read now, as Spark infers the schema when the
           relation is defined; a fault plan applies to them too */
        lm_fio_plan *plan = NULL;
        rc = lm_fio_plan_parse(d->faults, &plan, r->err);
        lm_parquet_read_opts o = d->o;
        o.fio = plan;
        if (rc == LM_OK)
            rc = data_schema(r, &o, &d->data);
        lm_fio_plan_free(plan);
    }
    io_sink sink;
    lm_type *parsed = NULL;
    if (rc == LM_OK)
        rc = io_sink_init(&sink, r->err, d->data, NULL, r->src, IO_FAILFAST, &parsed);
    if (rc != LM_OK) {
        deferred_destroy(&d->base);
        return rc;
    }
    /* the relation's schema is the sink's: data columns then partition
       columns; the listing moves into the relation */
    lm_arena_free(&d->src.arena);
    d->src = *r->src;
    memset(r->src, 0, sizeof *r->src);
    lm_arena_init(&r->src->arena, 64);
    *out = lm_table_new_deferred(sink.table->schema, &d->base);
    io_sink_free(&sink);
    lm_type_unref(parsed);
    return *out ? LM_OK : lm_error_oom(r->err);
}

/* ------------------------------------------------------------- write */

/* The codec: `compression`, else `parquet.compression`, else
   spark.sql.parquet.compression.codec, else snappy. */
static const char *codec_name(io_write *w)
{
    const char *c = io_opt(w->opts, "compression");
    if (c == NULL)
        c = io_opt(w->opts, "parquet.compression");
    if (c == NULL)
        c = lm_conf_get(w->s->conf, "spark.sql.parquet.compression.codec");
    return c ? c : "snappy";
}

lm_status io_parquet_write_check(io_write *w)
{
    const char *c = codec_name(w);
    int codec = pq_codec_from_name(c);
    if (codec < 0 && strcasecmp(c, "lz4raw") != 0)
        return lm_error_set(w->err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Codec [%s] is not available. Available codecs are uncompressed, lzo, "
                            "brotli, lz4, gzip, lz4raw, lz4_raw, snappy, none, zstd.",
                            c);
    if (codec != PQ_CODEC_UNCOMPRESSED && codec != PQ_CODEC_SNAPPY && codec != PQ_CODEC_GZIP &&
        codec != PQ_CODEC_ZSTD)
        return lm_error_set(w->err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                            "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                            "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not write Parquet "
                            "with the %s codec.",
                            c);
    for (int i = 0; i < w->schema->nfields; i++) {
        const lm_type *t = w->schema->fields[i].type;
        if (t->id == LM_TYPE_NULL || t->id == LM_TYPE_INTERVAL)
            return io_unsupported_type_error(w->err, "Parquet", w->schema->fields[i].name, t);
    }
    /* the empty-schema check and nested types are the writer's own */
    return pq_check_schema(w->schema, w->err);
}

const char *io_parquet_extension(io_write *w)
{
    switch (pq_codec_from_name(codec_name(w))) {
    case PQ_CODEC_SNAPPY: return ".snappy.parquet";
    case PQ_CODEC_GZIP: return ".gz.parquet";
    case PQ_CODEC_ZSTD: return ".zstd.parquet";
    default: return ".parquet";
    }
}

static lm_status write_opts(io_write *w, lm_parquet_write_opts *o)
{
    lm_session *s = w->s;
    lm_parquet_write_opts_init(o);
    o->compression = codec_name(w);
    const char *ts = lm_conf_get(s->conf, "spark.sql.parquet.outputTimestampType");
    if (ts && strcasecmp(ts, "TIMESTAMP_MICROS") == 0)
        o->timestamp_type = LM_PQ_TS_MICROS;
    else if (ts && strcasecmp(ts, "TIMESTAMP_MILLIS") == 0)
        o->timestamp_type = LM_PQ_TS_MILLIS;
    else if (ts && strcasecmp(ts, "INT96") != 0)
        return lm_error_set(w->err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "The value of spark.sql.parquet.outputTimestampType should be one of "
                            "INT96, TIMESTAMP_MICROS, TIMESTAMP_MILLIS, but was %s",
                            ts);
    const char *dict = io_opt(w->opts, "parquet.enable.dictionary");
    if (dict)
        o->dictionary = strcasecmp(dict, "false") != 0;
    /* parquet-mr's sizes, which Spark passes from the options to the
       writer's Hadoop configuration */
    const char *sizes[2] = {io_opt(w->opts, "parquet.block.size"),
                            io_opt(w->opts, "parquet.page.size")};
    int64_t *dest[2] = {&o->row_group_size, &o->page_size};
    for (int i = 0; i < 2; i++) {
        if (sizes[i] == NULL)
            continue;
        char *end = NULL;
        long long v = strtoll(sizes[i], &end, 10);
        if (end == sizes[i] || *end != '\0' || v <= 0)
            return lm_error_set(w->err, LM_ERROR, "java.lang.NumberFormatException", NULL, NULL,
                                "For input string: \"%s\"", sizes[i]);
        *dest[i] = v;
    }
    lm_status rc = rebase_mode(w->err,
                               conf_or(s, "spark.sql.parquet.datetimeRebaseModeInWrite",
                                       "spark.sql.legacy.parquet.datetimeRebaseModeInWrite"),
                               &o->datetime_rebase);
    if (rc == LM_OK)
        rc = rebase_mode(w->err,
                         conf_or(s, "spark.sql.parquet.int96RebaseModeInWrite",
                                 "spark.sql.legacy.parquet.int96RebaseModeInWrite"),
                         &o->int96_rebase);
    return rc;
}

lm_status io_parquet_write_file(io_write *w, lm_value *const *rows, int64_t nrows,
                                const char *path)
{
    lm_parquet_write_opts o;
    lm_status rc = write_opts(w, &o);
    if (rc != LM_OK)
        return rc;
    lm_fio_plan *plan = NULL;
    rc = lm_fio_plan_parse(lm_conf_get(w->s->conf, LM_FIO_FAULTS_KEY), &plan, w->err);
    if (rc != LM_OK)
        return rc;
    o.fio = plan;
    lm_table *t = lm_table_new(w->schema);
    if (t == NULL)
        rc = lm_error_oom(w->err);
    for (int64_t i = 0; i < nrows && rc == LM_OK; i++)
        if (lm_table_append_row(t, rows[i]) != LM_OK)
            rc = lm_error_oom(w->err);
    if (rc == LM_OK)
        rc = lm_parquet_write_file_opts(t, path, &o, w->err);
    lm_table_unref(t);
    lm_fio_plan_free(plan);
    return rc;
}
