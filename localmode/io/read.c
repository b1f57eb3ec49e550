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
#include "api/dfapi.h"
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
    if (strcasecmp(format, "parquet") == 0) {
        *display = "Parquet";
        return io_parquet_read;
    }
    return NULL;
}

bool io_is_file_format(const char *name)
{
    const char *d;
    return reader_of(name, &d) != NULL || strcasecmp(name, "parquet") == 0 ||
           strcasecmp(name, "orc") == 0;
}

/* A heap copy of a type. Types the parser builds live in its arena (their
   reference counts are no-ops), so a schema that outlives the statement
   must be rebuilt from the constructors. New reference; NULL on OOM. */
static lm_type *clone_type(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_DECIMAL:
        return lm_type_decimal(t->precision, t->scale);
    case LM_TYPE_YM_INTERVAL:
        return lm_type_ym_interval(t->start_field, t->end_field);
    case LM_TYPE_DT_INTERVAL:
        return lm_type_dt_interval(t->start_field, t->end_field);
    case LM_TYPE_ARRAY: {
        lm_type *e = clone_type(t->elem);
        lm_type *a = e ? lm_type_array(e, t->contains_null) : NULL;
        lm_type_unref(e);
        return a;
    }
    case LM_TYPE_MAP: {
        lm_type *k = clone_type(t->key), *v = clone_type(t->value);
        lm_type *m = k && v ? lm_type_map(k, v, t->value_contains_null) : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return m;
    }
    case LM_TYPE_STRUCT: {
        lm_field *fs = calloc((size_t)t->nfields + 1, sizeof *fs);
        if (fs == NULL)
            return NULL;
        bool ok = true;
        for (int i = 0; i < t->nfields && ok; i++) {
            fs[i] = t->fields[i];
            fs[i].type = clone_type(t->fields[i].type);
            ok = fs[i].type != NULL;
        }
        lm_type *st = ok ? lm_type_struct(fs, t->nfields) : NULL;
        for (int i = 0; i < t->nfields; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return st;
    }
    default:
        return lm_type_primitive(t->id);
    }
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

lm_status io_read_table(lm_session *s, lm_error *err, const char *format,
                        const char *const *paths, int npaths, const lm_options *opts,
                        const lm_type *user, lm_table **out)
{
    *out = NULL;
    if (format == NULL)
        format = "parquet"; /* spark.sql.sources.default */
    const char *display = NULL;
    read_fn fn = reader_of(format, &display);
    if (fn == NULL) {
        if (strcasecmp(format, "orc") == 0 || strcasecmp(format, "avro") == 0)
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
    lm_status rc = LM_OK;
    lm_type *user_copy = NULL;
    if (user) {
        user_copy = clone_type(user);
        if (user_copy == NULL)
            rc = lm_error_oom(err);
        user = user_copy;
    }
    /* paths: the arguments, else the "path" option */
    char **plist = lm_arena_calloc(&a, (size_t)npaths + 2, sizeof *plist);
    int np = 0;
    if (plist == NULL)
        rc = lm_error_oom(err);
    for (int i = 0; rc == LM_OK && i < npaths; i++)
        if (paths[i] && (plist[np++] = lm_arena_strdup(&a, paths[i])) == NULL)
            rc = lm_error_oom(err);
    const char *opt_path = io_opt(opts, "path");
    if (rc == LM_OK && np == 0 && opt_path &&
        (plist[np++] = lm_arena_strdup(&a, opt_path)) == NULL)
        rc = lm_error_oom(err);
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
    lm_fio_plan *faults = NULL;
    if (rc == LM_OK)
        rc = io_fault_plan(s, err, &faults);
    if (rc == LM_OK) {
        io_read r = {s, err, opts, &src, data, texts, faults};
        rc = fn(&r, out);
    }
    lm_fio_plan_free(faults);
    for (int f = 0; texts && f < src.nfiles; f++)
        io_buf_free(&texts[f]);
    free(texts);
    if (listed)
        io_source_free(&src);
    lm_type_unref(data);
    lm_type_unref(user_copy);
    lm_arena_free(&a);
    return rc;
}

lm_status lm_read_paths(lm_session *s, const char *format, const char *const *paths, int npaths,
                        const lm_options *opts, const char *schema_ddl, lm_df **out)
{
    *out = NULL;
    lm_error *err = &s->error;
    lm_error_clear(err);
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_type *user = NULL;
    lm_status rc = LM_OK;
    if (schema_ddl)
        rc = lm_parse_table_schema(schema_ddl, &a, &user, err);
    lm_table *table = NULL;
    if (rc == LM_OK)
        rc = io_read_table(s, err, format, paths, npaths, opts, user, &table);
    lm_arena_free(&a);
    if (rc != LM_OK)
        return rc;
    /* a relation, not a result: the DataFrame can be transformed, and a
       file relation is scanned with what the query pushes down */
    *out = dfapi_df_of_table(s, table, "Relation");
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
