/*
 * lm_write: DataFrameWriter.save for the file formats. The DataFrame is
 * computed, checked (save mode, duplicate columns, partition columns, the
 * format's types), split by partitionBy values into col=value folders and
 * written through the commit protocol in commit.c.
 *
 * One task writes everything, so each folder gets one file named as
 * Spark names a task's first file: part-00000-<job uuid>-c000.<ext>.
 * Partition values are written as CAST(value AS STRING), escaped, with
 * null and "" as __HIVE_DEFAULT_PARTITION__, and rows keep their order
 * within each folder.
 */
#include "io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "api/df.h"
#include "render/render.h"
#include "session/session.h"

typedef enum save_mode { SAVE_ERROR, SAVE_OVERWRITE, SAVE_APPEND, SAVE_IGNORE } save_mode;

static lm_status parse_mode(lm_error *err, const char *mode, save_mode *out)
{
    if (mode == NULL || strcasecmp(mode, "error") == 0 || strcasecmp(mode, "errorifexists") == 0 ||
        strcasecmp(mode, "default") == 0) {
        *out = SAVE_ERROR;
        return LM_OK;
    }
    if (strcasecmp(mode, "overwrite") == 0) {
        *out = SAVE_OVERWRITE;
        return LM_OK;
    }
    if (strcasecmp(mode, "append") == 0) {
        *out = SAVE_APPEND;
        return LM_OK;
    }
    if (strcasecmp(mode, "ignore") == 0) {
        *out = SAVE_IGNORE;
        return LM_OK;
    }
    return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                        "Unknown save mode: %s. Accepted save modes are 'overwrite', 'append', "
                        "'ignore', 'error', 'errorifexists', 'default'.",
                        mode);
}

typedef lm_status (*check_fn)(io_write *w);
typedef lm_status (*rows_fn)(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out);

typedef lm_status (*file_fn)(io_write *w, lm_value *const *rows, int64_t nrows,
                             const char *path);
typedef const char *(*ext_fn)(io_write *w);

typedef struct format_def {
    const char *name;
    const char *ext;
    check_fn check;
    rows_fn rows;
    bool has_charset;
    /* binary formats write their files themselves (no text codec) */
    file_fn file;
    ext_fn file_ext;
} format_def;

static const format_def formats[] = {
    {"csv", ".csv", io_csv_write_check, io_csv_write_rows, true, NULL, NULL},
    {"json", ".json", io_json_write_check, io_json_write_rows, true, NULL, NULL},
    {"text", ".txt", io_text_write_check, io_text_write_rows, false, NULL, NULL},
    {"parquet", NULL, io_parquet_write_check, NULL, false, io_parquet_write_file,
     io_parquet_extension},
};

/* Exported for read.c's format-name check: NULL when not a writable format. */
const void *io_format_writer(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(formats[i].name, name) == 0)
            return &formats[i];
    if (strcasecmp(name, "com.databricks.spark.csv") == 0)
        return &formats[0];
    return NULL;
}

/* One output file: its folder (relative, "" for the root) and its rows. */
typedef struct group {
    char *subdir;
    int64_t n, cap;
    lm_value **rows;
} group;

typedef struct writer {
    lm_session *s;
    lm_error *err;
    const format_def *fmt;
    const lm_options *opts;
    lm_table *table;
    lm_arena arena;
    int npart;
    int *part_cols;   /* indexes of the partition columns */
    int ndata;
    int *data_cols;   /* indexes of the data columns */
    lm_type *data_schema;
    int ngroups, gcap;
    group *groups;
} writer;

static group *find_group(writer *w, const char *subdir)
{
    for (int i = 0; i < w->ngroups; i++)
        if (strcmp(w->groups[i].subdir, subdir) == 0)
            return &w->groups[i];
    if (w->ngroups == w->gcap) {
        int cap = w->gcap ? w->gcap * 2 : 8;
        group *ng = realloc(w->groups, sizeof *ng * (size_t)cap);
        if (ng == NULL)
            return NULL;
        w->groups = ng;
        w->gcap = cap;
    }
    group *g = &w->groups[w->ngroups];
    memset(g, 0, sizeof *g);
    g->subdir = lm_arena_strdup(&w->arena, subdir);
    if (g->subdir == NULL)
        return NULL;
    w->ngroups++;
    return g;
}

static bool group_add(group *g, lm_value *row)
{
    if (g->n == g->cap) {
        int64_t cap = g->cap ? g->cap * 2 : 64;
        lm_value **nr = realloc(g->rows, sizeof *nr * (size_t)cap);
        if (nr == NULL)
            return false;
        g->rows = nr;
        g->cap = cap;
    }
    g->rows[g->n++] = row;
    return true;
}

/* Splits the table's rows into groups by partition folder. */
static lm_status split_rows(writer *w)
{
    const lm_type *st = w->table->schema;
    lm_strbuf sb, tmp;
    lm_strbuf_init(&sb);
    lm_strbuf_init(&tmp);
    lm_status rc = LM_OK;
    lm_value *full = lm_arena_calloc(&w->arena, (size_t)st->nfields + 1, sizeof *full);
    if (full == NULL)
        rc = lm_error_oom(w->err);
    if (rc == LM_OK && w->table->nrows == 0 && w->npart == 0 && find_group(w, "") == NULL)
        rc = lm_error_oom(w->err);
    for (int b = 0; rc == LM_OK && b < w->table->nbatches; b++) {
        const lm_batch *bt = w->table->batches[b];
        for (int32_t r = 0; rc == LM_OK && r < bt->nrows; r++) {
            if (!lm_batch_get_row(bt, r, full, &w->arena)) {
                rc = lm_error_oom(w->err);
                break;
            }
            lm_value *data = lm_arena_calloc(&w->arena, (size_t)w->ndata + 1, sizeof *data);
            if (data == NULL) {
                rc = lm_error_oom(w->err);
                break;
            }
            for (int i = 0; i < w->ndata; i++)
                if (!lm_value_copy(&w->arena, st->fields[w->data_cols[i]].type,
                                   &full[w->data_cols[i]], &data[i]))
                    rc = lm_error_oom(w->err);
            lm_strbuf_reset(&sb);
            for (int p = 0; p < w->npart; p++) {
                int c = w->part_cols[p];
                if (p)
                    lm_strbuf_putc(&sb, '/');
                io_escape_path_name(&sb, st->fields[c].name, strlen(st->fields[c].name));
                lm_strbuf_putc(&sb, '=');
                lm_strbuf_reset(&tmp);
                if (!full[c].is_null)
                    lm_render(&tmp, st->fields[c].type, &full[c], LM_STYLE_CAST, w->s->tz);
                if (full[c].is_null || tmp.len == 0)
                    lm_strbuf_puts(&sb, IO_DEFAULT_PARTITION);
                else
                    io_escape_path_name(&sb, tmp.data, tmp.len);
            }
            group *g = lm_strbuf_ok(&sb) ? find_group(w, lm_strbuf_cstr(&sb)) : NULL;
            if (g == NULL || !group_add(g, data))
                rc = lm_error_oom(w->err);
        }
    }
    lm_strbuf_free(&sb);
    lm_strbuf_free(&tmp);
    return rc;
}

static lm_status path_exists_error(lm_error *err, const char *path)
{
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "PATH_ALREADY_EXISTS", "42K04",
                 "[PATH_ALREADY_EXISTS] Path file:%s already exists. Set mode as \"overwrite\" to "
                 "overwrite the existing path.",
                 path);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "file:%s", path);
    lm_error_param_add(err, "outputPath", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

static lm_status write_failed(lm_error *err, const char *dir)
{
    /* keep the cause (already in err) in the message, as Spark chains it */
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[TASK_WRITE_FAILED] Task failed while writing rows to file:%s.", dir);
    if (err->message && err->message[0]) {
        lm_strbuf_puts(&sb, "\nCaused by: ");
        if (err->exception)
            lm_strbuf_printf(&sb, "%s: ", err->exception);
        lm_strbuf_puts(&sb, err->message);
    }
    char *msg = lm_strbuf_detach(&sb);
    lm_status st = err->status == LM_ENOMEM ? LM_ENOMEM : LM_ERROR;
    lm_error_set(err, st, IO_EXC_SPARK, "TASK_WRITE_FAILED", "58030", "%s", msg ? msg : "");
    free(msg);
    char path[4200];
    snprintf(path, sizeof path, "file:%s", dir);
    lm_error_param_add(err, "path", path);
    return st;
}

/* Writes every group as a file of the staging area. */
static lm_status write_files(writer *w, io_job *job, io_write *iw)
{
    char name[128];
    snprintf(name, sizeof name, "part-00000-%s-c000%s", job->uuid, w->fmt->file_ext(iw));
    lm_status rc = LM_OK;
    for (int g = 0; g < w->ngroups && rc == LM_OK; g++) {
        char *path = io_job_file(job, w->groups[g].subdir, name);
        if (path == NULL)
            return lm_error_set(w->err, LM_EIO, "java.io.IOException", NULL, NULL,
                                "Mkdirs failed to create %s", w->groups[g].subdir);
        rc = w->fmt->file(iw, w->groups[g].rows, w->groups[g].n, path);
        free(path);
    }
    return rc;
}

static lm_status write_groups(writer *w, io_job *job, io_write *iw)
{
    if (w->fmt->file)
        return write_files(w, job, iw);
    io_codec codec;
    lm_status rc = io_opt_codec(w->err, w->opts, &codec);
    if (rc != LM_OK)
        return rc;
    static const char *const cs_keys[] = {"encoding", "charset", NULL};
    const char *charset = w->fmt->has_charset ? io_opt_any(w->opts, cs_keys) : NULL;
    char name[128];
    snprintf(name, sizeof name, "part-00000-%s-c000%s%s", job->uuid, w->fmt->ext, codec.extension);
    for (int g = 0; g < w->ngroups && rc == LM_OK; g++) {
        io_buf out = {0};
        rc = w->fmt->rows(iw, w->groups[g].rows, w->groups[g].n, &out);
        if (rc == LM_OK && out.data == NULL && !io_buf_append(&out, "", 0))
            rc = lm_error_oom(w->err);
        if (rc == LM_OK && charset)
            rc = io_encode(w->err, charset, &out);
        char *path = NULL;
        if (rc == LM_OK) {
            path = io_job_file(job, w->groups[g].subdir, name);
            if (path == NULL)
                rc = lm_error_set(w->err, LM_EIO, "java.io.IOException", NULL, NULL,
                                  "Mkdirs failed to create %s", w->groups[g].subdir);
        }
        if (rc == LM_OK)
            rc = io_write_file(w->err, iw->faults, path, out.data, out.len, &codec);
        free(path);
        io_buf_free(&out);
    }
    return rc;
}

static lm_status prepare(writer *w, const char *const *partition_by, int npartition_by)
{
    const lm_type *st = w->table->schema;
    lm_status rc = io_check_duplicate_columns(w->err, st, w->s->case_sensitive);
    if (rc != LM_OK)
        return rc;
    w->part_cols = lm_arena_calloc(&w->arena, (size_t)npartition_by + 1, sizeof(int));
    w->data_cols = lm_arena_calloc(&w->arena, (size_t)st->nfields + 1, sizeof(int));
    if (w->part_cols == NULL || w->data_cols == NULL)
        return lm_error_oom(w->err);
    for (int p = 0; p < npartition_by; p++) {
        int idx = -1;
        for (int i = 0; i < st->nfields; i++) {
            bool same = w->s->case_sensitive ? strcmp(st->fields[i].name, partition_by[p]) == 0
                                             : strcasecmp(st->fields[i].name, partition_by[p]) == 0;
            if (same)
                idx = i;
        }
        if (idx < 0) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_catalog_string(&sb, st);
            lm_error_set(w->err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1113", NULL,
                         "Partition column `%s` not found in schema %s", partition_by[p],
                         lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return LM_ERROR;
        }
        if (lm_type_is_complex(st->fields[idx].type)) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_sql_string(&sb, st->fields[idx].type);
            lm_error_set(w->err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1153", NULL,
                         "Cannot use %s for partition column", lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return LM_ERROR;
        }
        w->part_cols[w->npart++] = idx;
    }
    if (w->npart > 0 && w->npart >= st->nfields)
        return lm_error_set(w->err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1120", NULL,
                            "Cannot use all columns for partition columns");
    lm_field *fs = calloc((size_t)st->nfields + 1, sizeof *fs);
    if (fs == NULL)
        return lm_error_oom(w->err);
    for (int i = 0; i < st->nfields; i++) {
        bool is_part = false;
        for (int p = 0; p < w->npart; p++)
            is_part |= w->part_cols[p] == i;
        if (is_part)
            continue;
        fs[w->ndata] = st->fields[i];
        w->data_cols[w->ndata++] = i;
    }
    w->data_schema = lm_type_struct(fs, w->ndata);
    free(fs);
    return w->data_schema ? LM_OK : lm_error_oom(w->err);
}

lm_status lm_write(lm_df *df, const char *format, const char *path, const char *mode,
                   const lm_options *opts, const char *const *partition_by, int npartition_by)
{
    if (df == NULL)
        return LM_ERROR;
    lm_session *s = df->session;
    lm_error *err = &s->error;
    lm_error_clear(err);
    if (path == NULL)
        path = io_opt(opts, "path");
    if (path == NULL)
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Expected exactly one path to be specified, but got: ");
    save_mode sm = SAVE_ERROR;
    lm_status rc = parse_mode(err, mode, &sm);
    if (rc != LM_OK)
        return rc;
    const format_def *fmt = format ? io_format_writer(format) : NULL;
    if (fmt == NULL) {
        if (format && (strcasecmp(format, "orc") == 0 || strcasecmp(format, "avro") == 0))
            return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                                "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                                "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not write %s yet.",
                                format);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "DATA_SOURCE_NOT_FOUND", "42K02",
                     "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find "
                     "packages at `https://spark.apache.org/third-party-projects.html`.",
                     format ? format : "(null)");
        lm_error_param_add(err, "provider", format ? format : "");
        return LM_ERROR;
    }
    char *dir = io_abs_path(path);
    if (dir == NULL)
        return lm_error_oom(err);
    struct stat st;
    bool exists = stat(dir, &st) == 0;
    if (exists && sm == SAVE_ERROR) {
        rc = path_exists_error(err, dir);
        free(dir);
        return rc;
    }
    if (exists && sm == SAVE_IGNORE) {
        free(dir);
        return LM_OK;
    }
    rc = lm_df_compute(df);
    if (rc != LM_OK) {
        free(dir);
        return rc;
    }
    writer w;
    memset(&w, 0, sizeof w);
    w.s = s;
    w.err = err;
    w.fmt = fmt;
    w.opts = opts;
    w.table = df->result;
    lm_arena_init(&w.arena, 64 * 1024);
    rc = prepare(&w, partition_by, npartition_by);
    io_write iw = {s, err, opts, w.data_schema, NULL, NULL};
    if (rc == LM_OK)
        rc = io_fault_plan(s, err, &iw.faults);
    if (rc == LM_OK)
        rc = io_opt_zone(err, opts, s, &iw.tz);
    if (rc == LM_OK)
        rc = fmt->check(&iw);
    io_codec codec;
    if (rc == LM_OK && fmt->file == NULL)
        rc = io_opt_codec(err, opts, &codec);
    static const char *const cs_keys[] = {"encoding", "charset", NULL};
    if (rc == LM_OK && fmt->has_charset && io_opt_any(opts, cs_keys))
        rc = io_charset_check(err, io_opt_any(opts, cs_keys));
    if (rc == LM_OK)
        rc = split_rows(&w);
    if (rc == LM_OK) {
        io_job job;
        rc = io_job_begin(&job, err, dir, sm == SAVE_OVERWRITE, iw.faults);
        if (rc == LM_OK) {
            rc = write_groups(&w, &job, &iw);
            if (rc != LM_OK) {
                io_job_abort(&job);
                rc = write_failed(err, dir);
            } else {
                rc = io_job_commit(&job);
            }
        }
        io_job_free(&job);
    }
    lm_fio_plan_free(iw.faults);
    for (int g = 0; g < w.ngroups; g++)
        free(w.groups[g].rows);
    free(w.groups);
    lm_type_unref(w.data_schema);
    lm_arena_free(&w.arena);
    free(dir);
    return rc;
}
