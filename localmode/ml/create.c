/*
 * Vectors in and out of DataFrames: createDataFrame over ML cells (the C
 * form of spark.createDataFrame([(1.0, Vectors.dense(...))], [...])),
 * pyspark.ml.functions.array_to_vector / vector_to_array, and reading
 * vector and numeric cells of collected rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "catalog/catalog.h"
#include "ml/ml.h"
#include "session/session.h"

/* Splits "a, b" into trimmed malloc'ed names; count or -1. */
static int split_names(const char *text, char ***out)
{
    int cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    char **v = calloc((size_t)cap + 1, sizeof *v);
    if (v == NULL)
        return -1;
    int n = 0;
    const char *p = text;
    for (;;) {
        const char *e = strchr(p, ',');
        if (e == NULL)
            e = p + strlen(p);
        const char *b = p, *f = e;
        while (b < f && (*b == ' ' || *b == '\t'))
            b++;
        while (f > b && (f[-1] == ' ' || f[-1] == '\t'))
            f--;
        v[n] = malloc((size_t)(f - b) + 1);
        if (v[n] == NULL)
            break;
        memcpy(v[n], b, (size_t)(f - b));
        v[n++][f - b] = '\0';
        if (*e == '\0') {
            *out = v;
            return n;
        }
        p = e + 1;
    }
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return -1;
}

static lm_type *cell_type(lm_ml_cell_kind k)
{
    switch (k) {
    case LM_ML_DOUBLE:
        return lm_type_double();
    case LM_ML_LONG:
        return lm_type_long();
    case LM_ML_STRING:
        return lm_type_string();
    case LM_ML_DENSE:
    case LM_ML_SPARSE:
        return ml_vector_type();
    default:
        return lm_type_null();
    }
}

static bool same_kind(lm_ml_cell_kind a, lm_ml_cell_kind b)
{
    bool va = a == LM_ML_DENSE || a == LM_ML_SPARSE, vb = b == LM_ML_DENSE || b == LM_ML_SPARSE;
    return a == b || (va && vb);
}

lm_df *lm_ml_create_dataframe(lm_session *s, const char *names, int64_t nrows, int ncols,
                              const lm_ml_cell *cells)
{
    lm_error_clear(&s->error);
    char **nm = NULL;
    int nn = names ? split_names(names, &nm) : 0;
    if (nn < 0) {
        lm_error_oom(&s->error);
        return NULL;
    }
    lm_field *fs = calloc((size_t)ncols + 1, sizeof *fs);
    char(*defname)[16] = calloc((size_t)ncols + 1, sizeof *defname);
    lm_value *row = calloc((size_t)ncols + 1, sizeof *row);
    lm_table *t = NULL;
    lm_df *df = NULL;
    lm_arena a;
    lm_arena_init(&a, 4096);
    if (fs == NULL || defname == NULL || row == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    if (names && nn != ncols) {
        ml_fail(s, ML_EXC_IAE, "%d names for %d columns", nn, ncols);
        goto out;
    }
    for (int c = 0; c < ncols; c++) {
        lm_ml_cell_kind k = LM_ML_NULL;
        for (int64_t r = 0; r < nrows && k == LM_ML_NULL; r++)
            k = cells[r * ncols + c].kind;
        for (int64_t r = 0; r < nrows; r++) {
            lm_ml_cell_kind rk = cells[r * ncols + c].kind;
            if (rk != LM_ML_NULL && !same_kind(rk, k)) {
                ml_fail(s, "org.apache.spark.sql.AnalysisException",
                        "[CANNOT_MERGE_TYPE] Can not merge type of column %d.", c + 1);
                goto out;
            }
        }
        snprintf(defname[c], sizeof defname[c], "_%d", c + 1);
        fs[c].name = names ? nm[c] : defname[c];
        fs[c].type = cell_type(k);
        fs[c].nullable = true;
        if (fs[c].type == NULL) {
            lm_error_oom(&s->error);
            goto out;
        }
    }
    lm_type *st = lm_type_struct(fs, ncols);
    t = st ? lm_table_new(st) : NULL;
    lm_type_unref(st);
    if (t == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    for (int64_t r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            const lm_ml_cell *x = &cells[r * ncols + c];
            bool ok = true;
            switch (x->kind) {
            case LM_ML_DOUBLE:
                row[c] = lm_value_f64(x->d);
                break;
            case LM_ML_LONG:
                row[c] = lm_value_i64(x->l);
                break;
            case LM_ML_STRING:
                row[c] = x->s ? lm_value_str(x->s, (int32_t)strlen(x->s)) : lm_value_null();
                break;
            case LM_ML_DENSE:
                ok = ml_dense_value(&a, x->size, x->values, &row[c]);
                break;
            case LM_ML_SPARSE: {
                for (int i = 0; i < x->nnz; i++)
                    if (x->indices[i] < 0 || x->indices[i] >= x->size ||
                        (i > 0 && x->indices[i] <= x->indices[i - 1])) {
                        ml_fail(s, ML_EXC_IAE,
                                "requirement failed: Index %d out of bounds or not increasing "
                                "for vector of size %d",
                                x->indices[i], x->size);
                        goto out;
                    }
                int32_t *idx = lm_arena_alloc(&a, sizeof *idx * ((size_t)x->nnz + 1));
                ok = idx != NULL;
                for (int i = 0; ok && i < x->nnz; i++)
                    idx[i] = x->indices[i];
                ok = ok && ml_sparse_value(&a, x->size, x->nnz, idx, x->values, &row[c]);
                break;
            }
            default:
                row[c] = lm_value_null();
                break;
            }
            if (!ok) {
                lm_error_oom(&s->error);
                goto out;
            }
        }
        if (lm_table_append_row(t, row) != LM_OK) {
            lm_error_oom(&s->error);
            goto out;
        }
        lm_arena_free(&a);
    }
    df = ml_df_from_table(s, t);
    t = NULL;
out:
    lm_table_unref(t);
    lm_arena_free(&a);
    for (int c = 0; fs && c < ncols; c++)
        if (fs[c].type && ml_is_vector_type(fs[c].type))
            lm_type_unref(fs[c].type);
    free(fs);
    free(defname);
    free(row);
    for (int i = 0; i < nn; i++)
        free(nm[i]);
    free(nm);
    return df;
}

/* array_to_vector / vector_to_array over collected rows. */
static lm_df *convert(lm_df *df, const char *in, const char *out_name, bool to_vector)
{
    if (df == NULL)
        return NULL;
    lm_session *s = df->session;
    lm_error_clear(&s->error);
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return NULL;
    lm_df *res = NULL;
    int c = ml_frame_col(&f, in);
    const lm_type *it = c >= 0 ? ml_frame_type(&f, c) : NULL;
    lm_type *ot = to_vector ? ml_vector_type() : lm_type_array(lm_type_double(), false);
    ml_out o;
    if (c < 0 || ot == NULL)
        goto done;
    if (to_vector ? !(it->id == LM_TYPE_ARRAY && lm_type_is_numeric(it->elem))
                  : !ml_is_vector_type(it)) {
        ml_fail(s, ML_EXC_IAE, "requirement failed: Column %s must be of type %s.", in,
                to_vector ? "array<double>" : "vector");
        goto done;
    }
    const char *names[1] = {out_name};
    if (ml_out_begin(&o, &f, 1, names, &ot) != LM_OK)
        goto done;
    for (int64_t r = 0; r < f.n; r++) {
        const lm_value *v = ml_frame_cell(&f, r, c);
        lm_value nv = lm_value_null();
        bool ok = true;
        if (!v->is_null && to_vector) {
            int32_t n = v->u.arr->n;
            double *x = lm_arena_alloc(&o.scratch, sizeof *x * ((size_t)n + 1));
            ok = x != NULL;
            for (int32_t i = 0; ok && i < n; i++)
                if (!ml_cell_double(it->elem, &v->u.arr->elems[i], &x[i])) {
                    ml_fail(s, ML_EXC_SPARK, "array_to_vector: the array contains a null");
                    ml_out_abort(&o);
                    goto done;
                }
            ok = ok && ml_dense_value(&o.scratch, n, x, &nv);
        } else if (!v->is_null) {
            ml_vec x;
            ok = ml_vec_decode(&o.scratch, v, &x);
            double *d = ok ? lm_arena_alloc(&o.scratch, sizeof *d * ((size_t)x.size + 1)) : NULL;
            lm_array_value *arr = d ? lm_arena_alloc(&o.scratch, sizeof *arr) : NULL;
            lm_value *el =
                arr ? lm_arena_alloc(&o.scratch, sizeof *el * ((size_t)x.size + 1)) : NULL;
            ok = el != NULL;
            if (ok) {
                ml_vec_to_dense(&x, d);
                for (int32_t i = 0; i < x.size; i++)
                    el[i] = lm_value_f64(d[i]);
                arr->n = x.size;
                arr->elems = el;
                nv.is_null = false;
                nv.u.arr = arr;
            }
        }
        if (!ok || ml_out_row(&o, &f, r, &nv) != LM_OK) {
            lm_error_oom(&s->error);
            ml_out_abort(&o);
            goto done;
        }
    }
    res = ml_out_finish(&o);
done:
    lm_type_unref(ot);
    ml_frame_free(&f);
    return res;
}

lm_df *lm_ml_array_to_vector(lm_df *df, const char *in, const char *out)
{
    return convert(df, in, out, true);
}

lm_df *lm_ml_vector_to_array(lm_df *df, const char *in, const char *out)
{
    return convert(df, in, out, false);
}

int lm_ml_rows_vector(const lm_rows *rows, int64_t row, int col, double *out, int cap)
{
    if (rows == NULL || row < 0 || row >= rows->n || col < 0 || col >= rows->ncols)
        return -1;
    if (!ml_is_vector_type(rows->table->schema->fields[col].type))
        return -1;
    const lm_value *v = &rows->rows[row][col];
    if (v->is_null)
        return -1;
    lm_arena a;
    lm_arena_init(&a, 1024);
    ml_vec x;
    int n = -1;
    if (ml_vec_decode(&a, v, &x)) {
        double *d = lm_arena_alloc(&a, sizeof *d * ((size_t)x.size + 1));
        if (d) {
            ml_vec_to_dense(&x, d);
            for (int i = 0; i < x.size && i < cap; i++)
                out[i] = d[i];
            n = x.size;
        }
    }
    lm_arena_free(&a);
    return n;
}

bool lm_ml_rows_double(const lm_rows *rows, int64_t row, int col, double *out)
{
    if (rows == NULL || row < 0 || row >= rows->n || col < 0 || col >= rows->ncols)
        return false;
    return ml_cell_double(rows->table->schema->fields[col].type, &rows->rows[row][col], out);
}
