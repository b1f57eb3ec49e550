/*
 * Reading several Parquet files as one relation: expanding directories to
 * their data files, choosing the schema as Spark's ParquetUtils.inferSchema
 * does (the first file's, or with mergeSchema the union of every file's by
 * StructType.merge), and reading every file with that schema (columns a
 * file lacks read as NULL). Like every file source, the resulting schema
 * is made nullable throughout (DataSource.resolveRelation's asNullable).
 *
 * Partition discovery (k=v folders) and globbing belong to the shared
 * data-source layer; here a directory contributes its non-hidden regular
 * files, sorted by name.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pq_int.h"


typedef struct file_list {
    char **v;
    int n, cap;
} file_list;

static bool fl_add(file_list *l, const char *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        char **nv = realloc(l->v, sizeof(char *) * (size_t)cap);
        if (nv == NULL)
            return false;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    if (l->v[l->n] == NULL)
        return false;
    l->n++;
    return true;
}

static void fl_free(file_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static lm_status expand(const char *const *paths, int n, file_list *out, lm_error *err)
{
    for (int i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0)
            return lm_error_set(err, LM_EIO, LM_EXC_ANALYSIS, "PATH_NOT_FOUND", "42K03",
                                "[PATH_NOT_FOUND] Path does not exist: file:%s.", paths[i]);
        if (!S_ISDIR(sb.st_mode)) {
            if (!fl_add(out, paths[i]))
                return lm_error_oom(err);
            continue;
        }
        DIR *d = opendir(paths[i]);
        if (d == NULL)
            return lm_error_set(err, LM_EIO, NULL, NULL, NULL, "Cannot list %s", paths[i]);
        file_list here = {0};
        struct dirent *de;
        lm_status st = LM_OK;
        while ((de = readdir(d)) != NULL && st == LM_OK) {
            /* Spark's file index skips names starting with _ or . */
            if (de->d_name[0] == '_' || de->d_name[0] == '.')
                continue;
            size_t len = strlen(paths[i]) + strlen(de->d_name) + 2;
            char *full = malloc(len);
            if (full == NULL) {
                st = lm_error_oom(err);
                break;
            }
            snprintf(full, len, "%s/%s", paths[i], de->d_name);
            struct stat fs;
            if (stat(full, &fs) == 0 && S_ISREG(fs.st_mode) && !fl_add(&here, full))
                st = lm_error_oom(err);
            free(full);
        }
        closedir(d);
        if (here.n > 1)
            qsort(here.v, (size_t)here.n, sizeof(char *), cmp_str);
        for (int k = 0; k < here.n && st == LM_OK; k++)
            if (!fl_add(out, here.v[k]))
                st = lm_error_oom(err);
        fl_free(&here);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_type *as_nullable(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_STRUCT: {
        lm_field *fs = calloc((size_t)(t->nfields ? t->nfields : 1), sizeof *fs);
        if (fs == NULL)
            return NULL;
        bool ok = true;
        for (int i = 0; i < t->nfields; i++) {
            fs[i] = t->fields[i];
            fs[i].nullable = true;
            fs[i].type = as_nullable(t->fields[i].type);
            ok = ok && fs[i].type;
        }
        lm_type *r = ok ? lm_type_struct(fs, t->nfields) : NULL;
        for (int i = 0; i < t->nfields; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return r;
    }
    case LM_TYPE_ARRAY: {
        lm_type *e = as_nullable(t->elem);
        lm_type *r = e ? lm_type_array(e, true) : NULL;
        lm_type_unref(e);
        return r;
    }
    case LM_TYPE_MAP: {
        lm_type *k = as_nullable(t->key);
        lm_type *v = k ? as_nullable(t->value) : NULL;
        lm_type *r = v ? lm_type_map(k, v, true) : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return r;
    }
    default:
        return lm_type_ref((lm_type *)t);
    }
}

static lm_type *merge_error(const lm_type *a, const lm_type *b, lm_error *err)
{
    lm_strbuf sa, sb;
    lm_strbuf_init(&sa);
    lm_strbuf_init(&sb);
    lm_type_sql_string(&sa, a);
    lm_type_sql_string(&sb, b);
    lm_error_set(err, LM_ERROR, "org.apache.spark.SparkException",
                 "CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE", "42825",
                 "[CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE] Failed to merge incompatible data types "
                 "\"%s\" and \"%s\".",
                 lm_strbuf_cstr(&sa), lm_strbuf_cstr(&sb));
    char qa[256], qb[256];
    snprintf(qa, sizeof qa, "\"%s\"", lm_strbuf_cstr(&sa));
    snprintf(qb, sizeof qb, "\"%s\"", lm_strbuf_cstr(&sb));
    lm_error_param_add(err, "left", qa);
    lm_error_param_add(err, "right", qb);
    lm_strbuf_free(&sa);
    lm_strbuf_free(&sb);
    return NULL;
}

/* StructType.merge: fields of a in order merged with b's namesakes, then
   b's new fields; nested types merged recursively; atomic types must be
   equal (decimals with the same precision and scale). */
static lm_type *merge_types(const lm_type *a, const lm_type *b, lm_error *err)
{
    if (a->id != b->id)
        return merge_error(a, b, err);
    switch (a->id) {
    case LM_TYPE_STRUCT: {
        int cap = a->nfields + b->nfields;
        lm_field *fs = calloc((size_t)(cap ? cap : 1), sizeof *fs);
        if (fs == NULL) {
            lm_error_oom(err);
            return NULL;
        }
        int n = 0;
        bool ok = true;
        for (int i = 0; i < a->nfields && ok; i++) {
            fs[n] = a->fields[i];
            int j = -1;
            for (int k = 0; k < b->nfields; k++)
                if (strcmp(b->fields[k].name, a->fields[i].name) == 0)
                    j = k;
            if (j >= 0) {
                fs[n].type = merge_types(a->fields[i].type, b->fields[j].type, err);
                fs[n].nullable = a->fields[i].nullable || b->fields[j].nullable;
            } else
                fs[n].type = lm_type_ref(a->fields[i].type);
            ok = fs[n].type != NULL;
            n++;
        }
        for (int k = 0; k < b->nfields && ok; k++) {
            bool seen = false;
            for (int i = 0; i < a->nfields; i++)
                if (strcmp(b->fields[k].name, a->fields[i].name) == 0)
                    seen = true;
            if (!seen) {
                fs[n] = b->fields[k];
                fs[n].type = lm_type_ref(b->fields[k].type);
                n++;
            }
        }
        lm_type *r = ok ? lm_type_struct(fs, n) : NULL;
        for (int i = 0; i < n; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return r;
    }
    case LM_TYPE_ARRAY: {
        lm_type *e = merge_types(a->elem, b->elem, err);
        lm_type *r = e ? lm_type_array(e, a->contains_null || b->contains_null) : NULL;
        lm_type_unref(e);
        return r;
    }
    case LM_TYPE_MAP: {
        lm_type *k = merge_types(a->key, b->key, err);
        lm_type *v = k ? merge_types(a->value, b->value, err) : NULL;
        lm_type *r = v ? lm_type_map(k, v, a->value_contains_null || b->value_contains_null)
                       : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return r;
    }
    default:
        if (!lm_type_same_ignoring_nullable(a, b))
            return merge_error(a, b, err);
        return lm_type_ref((lm_type *)a);
    }
}

static lm_status schema_of(const file_list *files, const lm_parquet_read_opts *o, lm_type **out,
                           lm_error *err)
{
    if (o->schema) {
        *out = lm_type_ref((lm_type *)o->schema);
        return LM_OK;
    }
    if (files->n == 0)
        return lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "UNABLE_TO_INFER_SCHEMA", "42KD9",
                            "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for Parquet. It must "
                            "be specified manually.");
    lm_type *acc = NULL;
    int upto = o->merge_schema ? files->n : 1;
    for (int i = 0; i < upto; i++) {
        lm_type *t = pq_read_file_schema(files->v[i], o, err);
        if (t == NULL) {
            lm_type_unref(acc);
            return err->status != LM_OK ? err->status : LM_ERROR;
        }
        if (acc == NULL)
            acc = t;
        else {
            lm_type *m = merge_types(acc, t, err);
            lm_type_unref(acc);
            lm_type_unref(t);
            if (m == NULL)
                return err->status != LM_OK ? err->status : LM_ERROR;
            acc = m;
        }
    }
    *out = as_nullable(acc);
    lm_type_unref(acc);
    return *out ? LM_OK : lm_error_oom(err);
}

lm_status lm_parquet_infer_schema(const char *const *paths, int npaths,
                                  const lm_parquet_read_opts *opts, lm_type **out, lm_error *err)
{
    lm_parquet_read_opts o;
    if (opts)
        o = *opts;
    else
        lm_parquet_read_opts_init(&o);
    file_list files = {0};
    *out = NULL;
    lm_status st = expand(paths, npaths, &files, err);
    if (st == LM_OK)
        st = schema_of(&files, &o, out, err);
    fl_free(&files);
    return st;
}

lm_status lm_parquet_read_paths(const char *const *paths, int npaths,
                                lm_parquet_read_opts *opts, lm_table **out, lm_error *err)
{
    lm_parquet_read_opts local;
    if (opts == NULL) {
        lm_parquet_read_opts_init(&local);
        opts = &local;
    }
    *out = NULL;
    file_list files = {0};
    lm_type *schema = NULL;
    lm_status st = expand(paths, npaths, &files, err);
    if (st == LM_OK)
        st = schema_of(&files, opts, &schema, err);
    if (st == LM_OK) {
        *out = lm_table_new(schema);
        if (*out == NULL)
            st = lm_error_oom(err);
    }
    for (int i = 0; i < files.n && st == LM_OK; i++)
        st = pq_read_file_into(files.v[i], opts, schema, *out, err);
    if (st != LM_OK) {
        lm_table_unref(*out);
        *out = NULL;
    }
    lm_type_unref(schema);
    fl_free(&files);
    return st;
}
