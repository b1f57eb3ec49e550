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

static lm_status read_all(io_read *r, lm_parquet_read_opts *opts, lm_table **out);

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

lm_status io_parquet_read(io_read *r, lm_table **out)
{
    *out = NULL;
    lm_parquet_read_opts o;
    lm_status rc = read_opts(r, &o);
    if (rc != LM_OK)
        return rc;
    lm_fio_plan *plan = NULL;
    rc = lm_fio_plan_parse(lm_conf_get(r->s->conf, LM_FIO_FAULTS_KEY), &plan, r->err);
    if (rc != LM_OK)
        return rc;
    o.fio = plan;
    rc = read_all(r, &o, out);
    lm_fio_plan_free(plan);
    return rc;
}

static lm_status read_all(io_read *r, lm_parquet_read_opts *opts, lm_table **out)
{
    lm_parquet_read_opts o = *opts;
    lm_status rc = LM_OK;
    lm_type *data = NULL;
    if (r->user_schema)
        data = lm_type_ref((lm_type *)r->user_schema);
    else {
        /* the first file in path order, or all of them with mergeSchema */
        const char **paths = calloc((size_t)r->src->nfiles + 1, sizeof *paths);
        if (paths == NULL)
            return lm_error_oom(r->err);
        for (int f = 0; f < r->src->nfiles; f++)
            paths[f] = r->src->files[f].path;
        qsort(paths, (size_t)r->src->nfiles, sizeof *paths, cmp_path);
        rc = lm_parquet_infer_schema(paths, o.merge_schema ? r->src->nfiles : 1, &o, &data,
                                     r->err);
        free(paths);
        /* DataSource.resolveRelation: no duplicate column names in the
           inferred data schema */
        if (rc == LM_OK)
            rc = io_check_duplicate_columns(r->err, data, o.case_sensitive);
        if (rc != LM_OK) {
            lm_type_unref(data);
            return rc;
        }
    }
    io_sink sink;
    lm_type *parsed = NULL;
    rc = io_sink_init(&sink, r->err, data, NULL, r->src, IO_FAILFAST, &parsed);
    lm_arena a;
    lm_arena_init(&a, 1 << 14);
    for (int f = 0; rc == LM_OK && f < r->src->nfiles; f++) {
        lm_table *t = lm_table_new(parsed);
        if (t == NULL) {
            rc = lm_error_oom(r->err);
            break;
        }
        rc = pq_read_file_into(r->src->files[f].path, &o, parsed, t, r->err);
        lm_value *row = calloc((size_t)parsed->nfields + 1, sizeof *row);
        if (rc == LM_OK && row == NULL)
            rc = lm_error_oom(r->err);
        for (int b = 0; rc == LM_OK && b < t->nbatches; b++) {
            for (int32_t i = 0; rc == LM_OK && i < t->batches[b]->nrows; i++) {
                if (!lm_batch_get_row(t->batches[b], i, row, &a))
                    rc = lm_error_oom(r->err);
                else
                    rc = io_sink_row(&sink, f, row);
            }
            lm_arena_free(&a);
            lm_arena_init(&a, 1 << 14);
        }
        free(row);
        lm_table_unref(t);
    }
    lm_arena_free(&a);
    if (rc == LM_OK) {
        *out = io_sink_finish(&sink);
        if (*out == NULL)
            rc = lm_error_oom(r->err);
    }
    io_sink_free(&sink);
    lm_type_unref(parsed);
    lm_type_unref(data);
    return rc;
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
