/*
 * Model data as Spark writes it: each MLWriter saves a small DataFrame of
 * its model (a case class such as LinearRegressionModel's
 * Data(intercept, coefficients, scale)) with df.write.parquet(path/data).
 * Our models describe their data as JSON lines (kind->save_data /
 * load_data); this file converts those rows at the boundary, by Spark's
 * data schema, so that the folder holds the Parquet Spark would write and
 * reads back a folder Spark wrote.
 *
 * The schema is given in a small spec form, the DDL of the Scala case
 * class: "name type, ..." with type one of double, int, bigint, tinyint,
 * boolean, string, vector (VectorUDT), matrix (MatrixUDT), array<type>
 * and struct<name type, ...>. Nullability follows Spark's encoders for
 * case classes: primitive fields and primitive array elements are not
 * nullable, everything else is.
 *
 * JSON shapes: a vector is an array of numbers (written dense, as
 * Vectors.dense), a matrix the object {"numRows","numCols","values"} with
 * row-major values (written as a dense matrix with isTransposed = true,
 * which stores row-major values; read back from any dense or sparse
 * layout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "catalog/catalog.h"
#include "ml/ml.h"
#include "session/session.h"

/* ------------------------------------------------------------ the spec */

static void spec_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n')
        (*p)++;
}

static int spec_word(const char **p, char *out, size_t cap)
{
    spec_ws(p);
    size_t n = 0;
    while ((**p >= 'a' && **p <= 'z') || (**p >= 'A' && **p <= 'Z') ||
           (**p >= '0' && **p <= '9') || **p == '_') {
        if (n + 1 < cap)
            out[n++] = **p;
        (*p)++;
    }
    out[n] = '\0';
    return (int)n;
}

static bool spec_primitive(const lm_type *t)
{
    return t->id != LM_TYPE_STRING && t->id != LM_TYPE_ARRAY && t->id != LM_TYPE_STRUCT;
}

static lm_type *spec_fields(const char **p, char close);

/* One type; NULL on a malformed spec or allocation failure. */
static lm_type *spec_type(const char **p)
{
    char w[32];
    spec_word(p, w, sizeof w);
    if (strcmp(w, "double") == 0)
        return lm_type_double();
    if (strcmp(w, "int") == 0)
        return lm_type_int();
    if (strcmp(w, "bigint") == 0)
        return lm_type_long();
    if (strcmp(w, "tinyint") == 0)
        return lm_type_byte();
    if (strcmp(w, "boolean") == 0)
        return lm_type_boolean();
    if (strcmp(w, "string") == 0)
        return lm_type_string();
    if (strcmp(w, "vector") == 0)
        return ml_vector_type();
    if (strcmp(w, "matrix") == 0)
        return ml_matrix_type();
    spec_ws(p);
    if (**p != '<')
        return NULL;
    (*p)++;
    lm_type *t = NULL;
    if (strcmp(w, "array") == 0) {
        lm_type *e = spec_type(p);
        spec_ws(p);
        if (e && **p == '>') {
            (*p)++;
            t = lm_type_array(e, !spec_primitive(e));
        }
        lm_type_unref(e);
    } else if (strcmp(w, "struct") == 0) {
        t = spec_fields(p, '>');
    }
    return t;
}

/* "name type, ..." up to close ('\0' or '>'), as a STRUCT. */
static lm_type *spec_fields(const char **p, char close)
{
    enum { MAXF = 16 };
    lm_field fs[MAXF];
    char names[MAXF][48];
    int n = 0;
    bool ok = true;
    for (;;) {
        if (n == MAXF || spec_word(p, names[n], sizeof names[n]) == 0) {
            ok = false;
            break;
        }
        lm_type *t = spec_type(p);
        if (t == NULL) {
            ok = false;
            break;
        }
        fs[n] = (lm_field){names[n], t, !spec_primitive(t), NULL, NULL};
        n++;
        spec_ws(p);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        ok = **p == close;
        if (ok && close)
            (*p)++;
        break;
    }
    lm_type *st = ok ? lm_type_struct(fs, n) : NULL;
    for (int i = 0; i < n; i++)
        lm_type_unref(fs[i].type);
    return st;
}

static lm_type *spec_parse(lm_session *s, const char *spec)
{
    const char *p = spec;
    lm_type *t = spec_fields(&p, '\0');
    if (t == NULL)
        ml_fail(s, ML_EXC_IAE, "bad model data schema: %s", spec);
    return t;
}

/* ------------------------------------------------- JSON rows -> values */

static bool json_value(lm_arena *a, const lm_type *t, const ml_json *j, lm_value *out);

static bool alloc_struct(lm_arena *a, int n, lm_value *out)
{
    lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
    lm_value *f = lm_arena_alloc(a, sizeof *f * (size_t)(n + 1));
    if (sv == NULL || f == NULL)
        return false;
    sv->n = n;
    sv->fields = f;
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = sv;
    return true;
}

static bool doubles_value(lm_arena *a, const ml_json *arr, lm_value *out)
{
    lm_type *ad = lm_type_array(lm_type_double(), false);
    bool ok = ad && json_value(a, ad, arr, out);
    lm_type_unref(ad);
    return ok;
}

/* {"numRows","numCols","values"} -> a dense, row-major (transposed) matrix */
static bool matrix_value(lm_arena *a, const ml_json *j, lm_value *out)
{
    if (!alloc_struct(a, 7, out))
        return false;
    lm_value *f = out->u.st->fields;
    f[0] = lm_value_i64(1);
    f[1] = lm_value_i64((int64_t)ml_json_num(j, "numRows", 0));
    f[2] = lm_value_i64((int64_t)ml_json_num(j, "numCols", 0));
    f[3] = lm_value_null();
    f[4] = lm_value_null();
    f[6] = lm_value_bool(true);
    const ml_json *v = ml_json_get(j, "values");
    static const ml_json empty = {ML_J_ARR, false, 0, NULL, 0, NULL, NULL};
    return doubles_value(a, v ? v : &empty, &f[5]);
}

static bool json_value(lm_arena *a, const lm_type *t, const ml_json *j, lm_value *out)
{
    *out = lm_value_null();
    if (j == NULL || j->type == ML_J_NULL)
        return true;
    if (ml_is_vector_type(t)) {
        if (j->type != ML_J_ARR)
            return true;
        double *x = lm_arena_alloc(a, sizeof *x * (size_t)(j->n + 1));
        if (x == NULL)
            return false;
        for (int i = 0; i < j->n; i++)
            x[i] = j->items[i].num;
        return ml_dense_value(a, j->n, x, out);
    }
    if (ml_is_matrix_type(t))
        return j->type != ML_J_OBJ || matrix_value(a, j, out);
    switch (t->id) {
    case LM_TYPE_STRUCT:
        if (j->type != ML_J_OBJ)
            return true;
        if (!alloc_struct(a, t->nfields, out))
            return false;
        for (int i = 0; i < t->nfields; i++)
            if (!json_value(a, t->fields[i].type, ml_json_get(j, t->fields[i].name),
                            &out->u.st->fields[i]))
                return false;
        return true;
    case LM_TYPE_ARRAY: {
        if (j->type != ML_J_ARR)
            return true;
        lm_array_value *arr = lm_arena_alloc(a, sizeof *arr);
        lm_value *el = lm_arena_alloc(a, sizeof *el * (size_t)(j->n + 1));
        if (arr == NULL || el == NULL)
            return false;
        for (int i = 0; i < j->n; i++)
            if (!json_value(a, t->elem, &j->items[i], &el[i]))
                return false;
        arr->n = j->n;
        arr->elems = el;
        out->is_null = false;
        out->u.arr = arr;
        return true;
    }
    case LM_TYPE_STRING:
        if (j->type == ML_J_STR)
            *out = lm_value_str(j->str, (int32_t)strlen(j->str));
        return true;
    case LM_TYPE_BOOLEAN:
        *out = lm_value_bool(j->type == ML_J_BOOL ? j->b : j->num != 0.0);
        return true;
    case LM_TYPE_DOUBLE:
        *out = lm_value_f64(j->num);
        return true;
    default: /* the integer types */
        *out = lm_value_i64((int64_t)j->num);
        return true;
    }
}

lm_status ml_data_write_parquet(lm_session *s, const char *spec, const char *rows,
                                const char *dir)
{
    lm_type *schema = spec_parse(s, spec);
    if (schema == NULL)
        return LM_ERROR;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_status rc = LM_OK;
    ml_json *js = ml_json_parse(&a, rows, true);
    lm_table *t = js ? lm_table_new(schema) : NULL;
    lm_value *row = lm_arena_alloc(&a, sizeof *row * (size_t)(schema->nfields + 1));
    if (js == NULL || t == NULL || row == NULL)
        rc = lm_error_oom(&s->error);
    for (int r = 0; rc == LM_OK && r < js->n; r++) {
        lm_arena ra;
        lm_arena_init(&ra, 1024);
        bool ok = true;
        for (int c = 0; ok && c < schema->nfields; c++)
            ok = json_value(&ra, schema->fields[c].type,
                            ml_json_get(&js->items[r], schema->fields[c].name), &row[c]);
        if (!ok || lm_table_append_row(t, row) != LM_OK)
            rc = lm_error_oom(&s->error);
        lm_arena_free(&ra);
    }
    lm_type_unref(schema);
    lm_arena_free(&a);
    if (rc != LM_OK) {
        lm_table_unref(t);
        return rc;
    }
    lm_df *df = ml_df_from_table(s, t);
    if (df == NULL)
        return LM_ERROR;
    rc = lm_write(df, "parquet", dir, "error", NULL, NULL, 0);
    lm_df_free(df);
    return rc;
}

/* ------------------------------------------------- values -> JSON rows */

static void put_value(lm_strbuf *sb, const lm_type *t, const lm_value *v);

static int64_t int_at(const lm_value *arr, int i)
{
    return arr->u.arr->elems[i].u.i64;
}

/* Any dense or sparse (CSC, or CSR when transposed) matrix as the
   row-major {"numRows","numCols","values"} object. */
static void put_matrix(lm_strbuf *sb, const lm_value *v)
{
    const lm_value *f = v->u.st->fields;
    int64_t nr = f[1].u.i64, nc = f[2].u.i64;
    bool tr = !f[6].is_null && f[6].u.b;
    size_t n = (size_t)(nr * nc);
    double *x = calloc(n + 1, sizeof *x);
    if (x == NULL || f[5].is_null) {
        free(x);
        sb->failed = true;
        return;
    }
    const lm_array_value *vals = f[5].u.arr;
    if (f[0].u.i64 == 1) {
        for (int64_t i = 0; i < nr; i++)
            for (int64_t j = 0; j < nc; j++) {
                int64_t k = tr ? i * nc + j : j * nr + i;
                if (k < vals->n)
                    x[i * nc + j] = vals->elems[k].u.f64;
            }
    } else if (!f[3].is_null && !f[4].is_null) {
        /* colPtrs index the major dimension: columns, or rows if transposed */
        int64_t major = tr ? nr : nc;
        for (int64_t m = 0; m < major && m + 1 < f[3].u.arr->n; m++)
            for (int64_t k = int_at(&f[3], (int)m); k < int_at(&f[3], (int)m + 1); k++) {
                int64_t minor = int_at(&f[4], (int)k);
                int64_t i = tr ? m : minor, j = tr ? minor : m;
                if (i < nr && j < nc && k < vals->n)
                    x[i * nc + j] = vals->elems[k].u.f64;
            }
    }
    lm_strbuf_printf(sb, "{\"numRows\":%lld,\"numCols\":%lld,\"values\":", (long long)nr,
                     (long long)nc);
    ml_json_doubles(sb, (int)n, x);
    lm_strbuf_putc(sb, '}');
    free(x);
}

static void put_vector(lm_strbuf *sb, const lm_value *v)
{
    lm_arena a;
    lm_arena_init(&a, 1024);
    ml_vec x;
    double *d = NULL;
    if (ml_vec_decode(&a, v, &x) &&
        (d = lm_arena_alloc(&a, sizeof *d * (size_t)(x.size + 1))) != NULL) {
        ml_vec_to_dense(&x, d);
        ml_json_doubles(sb, x.size, d);
    } else {
        sb->failed = true;
    }
    lm_arena_free(&a);
}

static void put_value(lm_strbuf *sb, const lm_type *t, const lm_value *v)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    if (ml_is_vector_type(t)) {
        put_vector(sb, v);
        return;
    }
    if (ml_is_matrix_type(t)) {
        put_matrix(sb, v);
        return;
    }
    switch (t->id) {
    case LM_TYPE_STRUCT:
        lm_strbuf_putc(sb, '{');
        for (int i = 0; i < t->nfields && i < v->u.st->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            ml_json_string(sb, t->fields[i].name);
            lm_strbuf_putc(sb, ':');
            put_value(sb, t->fields[i].type, &v->u.st->fields[i]);
        }
        lm_strbuf_putc(sb, '}');
        return;
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            put_value(sb, t->elem, &v->u.arr->elems[i]);
        }
        lm_strbuf_putc(sb, ']');
        return;
    case LM_TYPE_STRING: {
        char *z = malloc((size_t)v->u.str.len + 1);
        if (z == NULL) {
            sb->failed = true;
            return;
        }
        memcpy(z, v->u.str.ptr, (size_t)v->u.str.len);
        z[v->u.str.len] = '\0';
        ml_json_string(sb, z);
        free(z);
        return;
    }
    case LM_TYPE_BOOLEAN:
        lm_strbuf_puts(sb, v->u.b ? "true" : "false");
        return;
    case LM_TYPE_DOUBLE:
        ml_json_double(sb, v->u.f64);
        return;
    default:
        lm_strbuf_printf(sb, "%lld", (long long)v->u.i64);
        return;
    }
}

lm_status ml_data_read_parquet(lm_session *s, const char *spec, const char *dir,
                               const char *extra, char **out)
{
    *out = NULL;
    lm_type *schema = spec_parse(s, spec);
    if (schema == NULL)
        return LM_ERROR;
    lm_df *df = NULL;
    lm_rows *rows = NULL;
    lm_status rc = lm_read(s, "parquet", dir, NULL, NULL, &df);
    if (rc == LM_OK)
        rc = lm_df_collect(df, &rows);
    int *col = rc == LM_OK ? calloc((size_t)schema->nfields + 1, sizeof *col) : NULL;
    if (rc == LM_OK && col == NULL)
        rc = lm_error_oom(&s->error);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (rc == LM_OK) {
        /* the file's columns by name: Spark matches case class fields so */
        const lm_type *fs = rows->table->schema;
        for (int c = 0; c < schema->nfields; c++) {
            col[c] = -1;
            for (int k = 0; k < fs->nfields; k++)
                if (strcmp(fs->fields[k].name, schema->fields[c].name) == 0)
                    col[c] = k;
        }
        for (int64_t r = 0; r < rows->n; r++) {
            lm_strbuf_putc(&sb, '{');
            bool first = true;
            for (int c = 0; c < schema->nfields; c++) {
                if (col[c] < 0)
                    continue;
                lm_strbuf_puts(&sb, first ? "" : ",");
                first = false;
                ml_json_string(&sb, schema->fields[c].name);
                lm_strbuf_putc(&sb, ':');
                put_value(&sb, schema->fields[c].type, &rows->rows[r][col[c]]);
            }
            if (extra && *extra)
                lm_strbuf_printf(&sb, "%s%s", first ? "" : ",", extra);
            lm_strbuf_puts(&sb, "}\n");
        }
        if (!lm_strbuf_ok(&sb))
            rc = lm_error_oom(&s->error);
        else
            *out = lm_strbuf_detach(&sb);
    }
    lm_strbuf_free(&sb);
    free(col);
    lm_rows_free(rows);
    lm_df_free(df);
    lm_type_unref(schema);
    return rc;
}
