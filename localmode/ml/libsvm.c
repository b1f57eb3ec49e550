/*
 * The LIBSVM text format (spark.read.format("libsvm"), MLUtils
 * .loadLibSVMFile): one example per line, "label i1:v1 i2:v2 ..." with
 * one-based, increasing indices; blank lines and '#' comments are skipped.
 * The DataFrame has Spark's schema: label double, features vector (sparse,
 * of numFeatures, or the largest index when numFeatures <= 0).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "ml/params.h"

typedef struct svm_row {
    double label;
    int nnz;
    int32_t *idx;
    double *val;
} svm_row;

static void rows_free(svm_row *r, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        free(r[i].idx);
        free(r[i].val);
    }
    free(r);
}

/* Parses one line into row; false with a message in err on bad input. */
static bool parse_line(char *line, svm_row *row, char *err, size_t errlen)
{
    char *p = line, *end;
    row->label = strtod(p, &end);
    if (end == p) {
        snprintf(err, errlen, "cannot parse the label of \"%s\"", line);
        return false;
    }
    p = end;
    int cap = 8;
    row->idx = malloc(sizeof *row->idx * (size_t)cap);
    row->val = malloc(sizeof *row->val * (size_t)cap);
    row->nnz = 0;
    while (row->idx && row->val) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n' || *p == '\r' || *p == '#')
            return true;
        long ix = strtol(p, &end, 10);
        if (end == p || *end != ':' || ix < 1 || ix > INT32_MAX) {
            snprintf(err, errlen, "bad index in \"%s\"", p);
            return false;
        }
        p = end + 1;
        double v = strtod(p, &end);
        if (end == p) {
            snprintf(err, errlen, "bad value in \"%s\"", p);
            return false;
        }
        p = end;
        if (row->nnz > 0 && ix - 1 <= row->idx[row->nnz - 1]) {
            snprintf(err, errlen,
                     "indices should be one-based and in ascending order; found current=%ld, "
                     "previous=%d",
                     ix, row->idx[row->nnz - 1] + 1);
            return false;
        }
        if (row->nnz == cap) {
            cap *= 2;
            int32_t *ni = realloc(row->idx, sizeof *ni * (size_t)cap);
            if (ni)
                row->idx = ni;
            double *nv = ni ? realloc(row->val, sizeof *nv * (size_t)cap) : NULL;
            if (nv)
                row->val = nv;
            if (!ni || !nv)
                break;
        }
        row->idx[row->nnz] = (int32_t)(ix - 1);
        row->val[row->nnz++] = v;
    }
    snprintf(err, errlen, "out of memory");
    return false;
}

lm_df *lm_ml_read_libsvm(lm_session *s, const char *path, int num_features)
{
    lm_error_clear(&s->error);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        ml_fail(s, "org.apache.spark.sql.AnalysisException",
                "[PATH_NOT_FOUND] Path does not exist: file:%s.", path);
        return NULL;
    }
    int64_t n = 0, cap = 64;
    svm_row *rows = calloc((size_t)cap, sizeof *rows);
    char *line = NULL;
    size_t lcap = 0;
    char err[256];
    bool ok = rows != NULL;
    int maxidx = 0;
    while (ok && getline(&line, &lcap, f) > 0) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n' || *p == '\r' || *p == '#')
            continue;
        if (n == cap) {
            svm_row *nr = realloc(rows, sizeof *nr * (size_t)(cap * 2));
            if (nr == NULL) {
                ok = false;
                snprintf(err, sizeof err, "out of memory");
                break;
            }
            rows = nr;
            memset(rows + cap, 0, sizeof *rows * (size_t)cap);
            cap *= 2;
        }
        ok = parse_line(p, &rows[n], err, sizeof err);
        if (rows[n].nnz > 0 && rows[n].idx[rows[n].nnz - 1] + 1 > maxidx)
            maxidx = rows[n].idx[rows[n].nnz - 1] + 1;
        n++;
    }
    free(line);
    fclose(f);
    if (!ok) {
        ml_fail(s, ML_EXC_SPARK, "%s: %s", path, err);
        rows_free(rows, n);
        return NULL;
    }
    int size = num_features > 0 ? num_features : maxidx;
    if (maxidx > size) {
        ml_fail(s, ML_EXC_IAE, "requirement failed: an index %d exceeds numFeatures %d", maxidx,
                size);
        rows_free(rows, n);
        return NULL;
    }
    lm_type *vt = ml_vector_type();
    lm_field fs[2] = {{"label", lm_type_double(), true, NULL, NULL}, {"features", vt, true, NULL, NULL}};
    lm_type *st = vt ? lm_type_struct(fs, 2) : NULL;
    lm_table *t = st ? lm_table_new(st) : NULL;
    lm_type_unref(st);
    lm_type_unref(vt);
    lm_arena a;
    lm_arena_init(&a, 4096);
    ok = t != NULL;
    for (int64_t i = 0; ok && i < n; i++) {
        lm_value v[2];
        v[0] = lm_value_f64(rows[i].label);
        ok = ml_sparse_value(&a, size, rows[i].nnz, rows[i].idx, rows[i].val, &v[1]) &&
             lm_table_append_row(t, v) == LM_OK;
        lm_arena_free(&a);
    }
    lm_arena_free(&a);
    rows_free(rows, n);
    if (!ok) {
        lm_table_unref(t);
        lm_error_oom(&s->error);
        return NULL;
    }
    return ml_df_from_table(s, t);
}
