/*
 * lm_read: DataFrameReader.load for the file formats. Paths are resolved
 * and partitions discovered (source.c), the user's DDL schema parsed, the
 * format's reader run, and the rows wrapped in a DataFrame. Reading is
 * eager - the files are parsed here, not at the first action - which also
 * means a malformed file fails at lm_read rather than at collect.
 */
#include "io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/df.h"
#include "session/session.h"
#include "sql/parser.h"

typedef lm_status (*read_fn)(io_read *r, lm_table **out);

static read_fn reader_of(const char *format, const char **display)
{
    if (strcasecmp(format, "csv") == 0 || strcasecmp(format, "com.databricks.spark.csv") == 0) {
        *display = "CSV";
        return io_csv_read;
    }
    if (strcasecmp(format, "json") == 0) {
        *display = "JSON";
        return io_json_read;
    }
    if (strcasecmp(format, "text") == 0) {
        *display = "Text";
        return io_text_read;
    }
    return NULL;
}

bool io_is_file_format(const char *name)
{
    const char *d;
    return reader_of(name, &d) != NULL || strcasecmp(name, "parquet") == 0 ||
           strcasecmp(name, "orc") == 0;
}

/* The data schema: the user's schema without the partition columns, which
   Spark appends at the end with the user's types. */
static lm_type *data_schema_of(const lm_type *user, const io_source *src)
{
    lm_field *fs = calloc((size_t)user->nfields + 1, sizeof *fs);
    if (fs == NULL)
        return NULL;
    int n = 0;
    for (int i = 0; i < user->nfields; i++) {
        if (src->part_schema && lm_type_field_index(src->part_schema, user->fields[i].name) >= 0)
            continue;
        fs[n] = user->fields[i];
        fs[n].nullable = true;
        n++;
    }
    lm_type *t = lm_type_struct(fs, n);
    free(fs);
    return t;
}

lm_status lm_read_paths(lm_session *s, const char *format, const char *const *paths, int npaths,
                        const lm_options *opts, const char *schema_ddl, lm_df **out)
{
    *out = NULL;
    lm_error *err = &s->error;
    lm_error_clear(err);
    if (format == NULL)
        format = "parquet"; /* spark.sql.sources.default */
    const char *display = NULL;
    read_fn fn = reader_of(format, &display);
    if (fn == NULL) {
        if (strcasecmp(format, "parquet") == 0 || strcasecmp(format, "orc") == 0 ||
            strcasecmp(format, "avro") == 0)
            return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                                "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                                "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not read %s yet.",
                                format);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "DATA_SOURCE_NOT_FOUND", "42K02",
                     "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: %s. Please find "
                     "packages at `https://spark.apache.org/third-party-projects.html`.",
                     format);
        lm_error_param_add(err, "provider", format);
        return LM_ERROR;
    }
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_type *user = NULL;
    lm_status rc = LM_OK;
    if (schema_ddl) {
        rc = lm_parse_table_schema(schema_ddl, &a, &user, err);
        /* the parsed type lives in the arena freed below: keep a heap copy */
        if (rc == LM_OK && (user = lm_type_clone(user)) == NULL)
            rc = lm_error_oom(err);
    }
    /* paths: the arguments, else the "path" option */
    char **plist = NULL;
    int np = 0;
    if (rc == LM_OK) {
        const char *opt_path = io_opt(opts, "path");
        plist = lm_arena_calloc(&a, (size_t)npaths + 2, sizeof *plist);
        if (plist == NULL)
            rc = lm_error_oom(err);
        for (int i = 0; rc == LM_OK && i < npaths; i++)
            if (paths[i] && (plist[np++] = lm_arena_strdup(&a, paths[i])) == NULL)
                rc = lm_error_oom(err);
        if (rc == LM_OK && np == 0 && opt_path && (plist[np++] = lm_arena_strdup(&a, opt_path)) == NULL)
            rc = lm_error_oom(err);
    }
    io_source src;
    memset(&src, 0, sizeof src);
    bool listed = false;
    if (rc == LM_OK) {
        rc = io_source_list(s, err, plist, np, opts, user, &src);
        listed = true;
    }
    if (rc == LM_OK && src.nfiles == 0 && user == NULL && fn != io_text_read) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "UNABLE_TO_INFER_SCHEMA", "42KD9",
                     "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for %s. It must be specified "
                     "manually.",
                     display);
        lm_error_param_add(err, "format", display);
        rc = LM_ERROR;
    }
    lm_type *data = NULL;
    if (rc == LM_OK && user) {
        data = data_schema_of(user, &src);
        if (data == NULL)
            rc = lm_error_oom(err);
    }
    io_buf *texts = NULL;
    if (rc == LM_OK) {
        texts = calloc((size_t)src.nfiles + 1, sizeof *texts);
        if (texts == NULL)
            rc = lm_error_oom(err);
    }
    lm_table *table = NULL;
    if (rc == LM_OK) {
        io_read r = {s, err, opts, &src, data, texts};
        rc = fn(&r, &table);
    }
    for (int f = 0; texts && f < src.nfiles; f++)
        io_buf_free(&texts[f]);
    free(texts);
    if (listed)
        io_source_free(&src);
    lm_type_unref(data);
    lm_type_unref(user);
    lm_arena_free(&a);
    if (rc != LM_OK)
        return rc;
    *out = lm_df_from_table(s, table);
    return *out ? LM_OK : lm_error_oom(err);
}

lm_status lm_read(lm_session *s, const char *format, const char *path, const lm_options *opts,
                  const char *schema_ddl, lm_df **out)
{
    *out = NULL;
    if (path == NULL)
        return lm_read_paths(s, format, NULL, 0, opts, schema_ddl, out);
    /* several paths may be given comma-separated */
    char *copy = strdup(path);
    if (copy == NULL)
        return lm_error_oom(&s->error);
    int n = 1;
    for (char *p = copy; *p; p++)
        n += *p == ',';
    const char **list = calloc((size_t)n + 1, sizeof *list);
    if (list == NULL) {
        free(copy);
        return lm_error_oom(&s->error);
    }
    /* split at commas outside glob braces ("a.csv,{b,c}.csv" is two paths) */
    int k = 0, depth = 0;
    char *tok = copy;
    for (char *p = copy;; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && depth > 0)
            depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            bool end = *p == '\0';
            *p = '\0';
            if (*tok)
                list[k++] = tok;
            if (end)
                break;
            tok = p + 1;
        }
    }
    lm_status rc = lm_read_paths(s, format, list, k, opts, schema_ddl, out);
    free(list);
    free(copy);
    return rc;
}
