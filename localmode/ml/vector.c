/*
 * ML vectors as a column type. Spark's VectorUDT stores a vector as the
 * struct<type:tinyint,size:int,indices:array<int>,values:array<double>>
 * (type 0 = sparse with size and indices, 1 = dense with only values); we
 * store the same struct, marked with the `vector` UDT so that printSchema
 * shows "vector" and show()/CAST print DenseVector.toString "[1.0,2.0]" and
 * SparseVector.toString "(3,[0,2],[1.0,3.0])" with Java's double text.
 */
#include "ml/ml.h"

#include <string.h>

#include "types/numfmt.h"

enum { VEC_SPARSE = 0, VEC_DENSE = 1 };

void ml_put_double(lm_strbuf *sb, double d)
{
    char buf[LM_NUMFMT_BUFSZ];
    lm_format_double(buf, d);
    lm_strbuf_puts(sb, buf);
}

void ml_vec_to_string(lm_strbuf *sb, const ml_vec *v)
{
    if (v->idx == NULL) {
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->size; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            ml_put_double(sb, v->val[i]);
        }
        lm_strbuf_putc(sb, ']');
        return;
    }
    lm_strbuf_printf(sb, "(%d,[", v->size);
    for (int32_t i = 0; i < v->nnz; i++)
        lm_strbuf_printf(sb, i ? ",%d" : "%d", v->idx[i]);
    lm_strbuf_puts(sb, "],[");
    for (int32_t i = 0; i < v->nnz; i++) {
        if (i)
            lm_strbuf_putc(sb, ',');
        ml_put_double(sb, v->val[i]);
    }
    lm_strbuf_puts(sb, "])");
}

/* The UDT's toString hook: decodes into a small local arena. */
static void vector_udt_to_string(lm_strbuf *sb, const void *value)
{
    const lm_value *v = value;
    lm_arena a;
    lm_arena_init(&a, 1024);
    ml_vec x;
    if (ml_vec_decode(&a, v, &x))
        ml_vec_to_string(sb, &x);
    else
        sb->failed = true;
    lm_arena_free(&a);
}

static const lm_udt k_vector_udt = {
    "vector",
    "org.apache.spark.ml.linalg.VectorUDT",
    vector_udt_to_string,
};

lm_type *ml_vector_type(void)
{
    lm_type *ai = lm_type_array(lm_type_int(), false);
    lm_type *ad = lm_type_array(lm_type_double(), false);
    lm_type *t = NULL;
    if (ai && ad) {
        lm_field fs[4] = {
            {"type", lm_type_byte(), false, NULL, NULL},
            {"size", lm_type_int(), true, NULL, NULL},
            {"indices", ai, true, NULL, NULL},
            {"values", ad, true, NULL, NULL},
        };
        t = lm_type_udt(fs, 4, &k_vector_udt);
    }
    lm_type_unref(ai);
    lm_type_unref(ad);
    return t;
}

bool ml_is_vector_type(const lm_type *t)
{
    return t != NULL && t->id == LM_TYPE_STRUCT && t->udt == &k_vector_udt;
}

bool ml_vec_decode(lm_arena *a, const lm_value *v, ml_vec *out)
{
    memset(out, 0, sizeof *out);
    if (v->is_null || v->u.st == NULL || v->u.st->n != 4)
        return false;
    const lm_value *f = v->u.st->fields;
    if (f[0].is_null || f[3].is_null)
        return false;
    const lm_array_value *vals = f[3].u.arr;
    int32_t nnz = vals->n;
    out->nnz = nnz;
    out->val = lm_arena_alloc(a, sizeof(double) * (size_t)(nnz + 1));
    if (out->val == NULL)
        return false;
    for (int32_t i = 0; i < nnz; i++)
        out->val[i] = vals->elems[i].u.f64;
    if (f[0].u.i64 == VEC_DENSE) {
        out->size = nnz;
        return true;
    }
    if (f[1].is_null || f[2].is_null || f[2].u.arr->n != nnz)
        return false;
    out->size = (int32_t)f[1].u.i64;
    out->idx = lm_arena_alloc(a, sizeof(int32_t) * (size_t)(nnz + 1));
    if (out->idx == NULL)
        return false;
    for (int32_t i = 0; i < nnz; i++)
        out->idx[i] = (int32_t)f[2].u.arr->elems[i].u.i64;
    return true;
}

/* An ARRAY value of n numbers (ints when idx, else doubles). */
static bool array_value(lm_arena *a, int32_t n, const int32_t *idx, const double *val,
                        lm_value *out)
{
    lm_array_value *arr = lm_arena_alloc(a, sizeof *arr);
    lm_value *el = lm_arena_alloc(a, sizeof *el * (size_t)(n + 1));
    if (arr == NULL || el == NULL)
        return false;
    for (int32_t i = 0; i < n; i++)
        el[i] = idx ? lm_value_i64(idx[i]) : lm_value_f64(val[i]);
    arr->n = n;
    arr->elems = el;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = arr;
    return true;
}

static bool struct_value(lm_arena *a, lm_value *fields, lm_value *out)
{
    lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
    lm_value *f = lm_arena_alloc(a, sizeof *f * 4);
    if (sv == NULL || f == NULL)
        return false;
    memcpy(f, fields, sizeof *f * 4);
    sv->n = 4;
    sv->fields = f;
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = sv;
    return true;
}

bool ml_dense_value(lm_arena *a, int32_t n, const double *x, lm_value *out)
{
    lm_value f[4];
    f[0] = lm_value_i64(VEC_DENSE);
    f[1] = lm_value_null();
    f[2] = lm_value_null();
    return array_value(a, n, NULL, x, &f[3]) && struct_value(a, f, out);
}

bool ml_sparse_value(lm_arena *a, int32_t size, int32_t nnz, const int32_t *idx, const double *val,
                     lm_value *out)
{
    lm_value f[4];
    f[0] = lm_value_i64(VEC_SPARSE);
    f[1] = lm_value_i64(size);
    return array_value(a, nnz, idx, NULL, &f[2]) && array_value(a, nnz, NULL, val, &f[3]) &&
           struct_value(a, f, out);
}

bool ml_vec_encode(lm_arena *a, const ml_vec *v, lm_value *out)
{
    if (v->idx == NULL)
        return ml_dense_value(a, v->size, v->val, out);
    return ml_sparse_value(a, v->size, v->nnz, v->idx, v->val, out);
}

bool ml_compressed_value(lm_arena *a, int32_t n, const double *x, lm_value *out)
{
    int32_t nnz = 0;
    for (int32_t i = 0; i < n; i++)
        nnz += x[i] != 0.0;
    if (!(1.5 * (nnz + 1.0) < n))
        return ml_dense_value(a, n, x, out);
    int32_t *idx = lm_arena_alloc(a, sizeof *idx * (size_t)(nnz + 1));
    double *val = lm_arena_alloc(a, sizeof *val * (size_t)(nnz + 1));
    if (idx == NULL || val == NULL)
        return false;
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
        if (x[i] != 0.0) {
            idx[k] = i;
            val[k++] = x[i];
        }
    return ml_sparse_value(a, n, nnz, idx, val, out);
}

void ml_vec_to_dense(const ml_vec *v, double *x)
{
    if (v->idx == NULL) {
        memcpy(x, v->val, sizeof *x * (size_t)v->size);
        return;
    }
    memset(x, 0, sizeof *x * (size_t)v->size);
    for (int32_t i = 0; i < v->nnz; i++)
        x[v->idx[i]] = v->val[i];
}

double ml_vec_dot(const ml_vec *v, const double *w)
{
    double s = 0.0;
    if (v->idx == NULL)
        for (int32_t i = 0; i < v->size; i++)
            s += v->val[i] * w[i];
    else
        for (int32_t i = 0; i < v->nnz; i++)
            s += v->val[i] * w[v->idx[i]];
    return s;
}

/* ============================================================ matrices */

/* Spark's MatrixUDT sqlType: struct<type:tinyint,numRows:int,numCols:int,
   colPtrs:array<int>,rowIndices:array<int>,values:array<double>,
   isTransposed:boolean> (type 0 = sparse CSC/CSR, 1 = dense). Only model
   data (LogisticRegression's coefficientMatrix, NaiveBayes' theta) uses
   it, so show() prints a one-line form rather than Breeze's grid. */
static void matrix_udt_to_string(lm_strbuf *sb, const void *value)
{
    const lm_value *v = value;
    if (v->is_null || v->u.st == NULL || v->u.st->n != 7) {
        sb->failed = true;
        return;
    }
    const lm_value *f = v->u.st->fields;
    lm_strbuf_printf(sb, "%lld x %lld %s matrix", (long long)f[1].u.i64, (long long)f[2].u.i64,
                     f[0].u.i64 == 1 ? "dense" : "sparse");
}

static const lm_udt k_matrix_udt = {
    "matrix",
    "org.apache.spark.ml.linalg.MatrixUDT",
    matrix_udt_to_string,
};

lm_type *ml_matrix_type(void)
{
    lm_type *ai = lm_type_array(lm_type_int(), false);
    lm_type *ad = lm_type_array(lm_type_double(), false);
    lm_type *t = NULL;
    if (ai && ad) {
        lm_field fs[7] = {
            {"type", lm_type_byte(), false, NULL, NULL},
            {"numRows", lm_type_int(), false, NULL, NULL},
            {"numCols", lm_type_int(), false, NULL, NULL},
            {"colPtrs", ai, true, NULL, NULL},
            {"rowIndices", ai, true, NULL, NULL},
            {"values", ad, true, NULL, NULL},
            {"isTransposed", lm_type_boolean(), false, NULL, NULL},
        };
        t = lm_type_udt(fs, 7, &k_matrix_udt);
    }
    lm_type_unref(ai);
    lm_type_unref(ad);
    return t;
}

bool ml_is_matrix_type(const lm_type *t)
{
    return t != NULL && t->id == LM_TYPE_STRUCT && t->udt == &k_matrix_udt;
}
