/*
 * PolynomialExpansion: all monomials of the features up to `degree`
 * (without the constant), in Spark's order: the expansion recurses from
 * the last feature, so (x, y) of degree 2 gives [x, x^2, y, x*y, y^2].
 * The output has C(n + degree, degree) - 1 entries; sparse inputs give
 * sparse outputs of their non-zero monomials.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_INT("degree", 2, ML_R_GE, 1, 0),
};

/* C(n + degree, degree) */
static int64_t poly_size(int n, int degree)
{
    int64_t r = 1;
    for (int i = 1; i <= degree; i++)
        r = r * (n + i) / i;
    return r;
}

/* PolynomialExpansion.expandDense: fills out[cur..] for features
   [0, last] with total degree <= degree, times mult; returns the index
   after this block. */
static int64_t expand(const double *x, int last, int degree, double mult, double *out, int64_t cur)
{
    if (mult == 0.0) {
        /* nothing: the block stays zero */
    } else if (degree == 0 || last < 0) {
        if (cur >= 0)
            out[cur] = mult;
    } else {
        double v = x[last];
        double alpha = mult;
        int64_t start = cur;
        for (int i = 0; i <= degree && alpha != 0.0; i++) {
            start = expand(x, last - 1, degree - i, alpha, out, start);
            alpha *= v;
        }
    }
    return cur + poly_size(last + 1, degree);
}

static lm_status poly_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                           lm_value *out, bool *skip)
{
    lm_ml_stage *st = p;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int degree = (int)ml_int(st, "degree");
    ml_vec v;
    if (!ml_vec_decode(a, in, &v))
        return LM_ENOMEM;
    int64_t n = poly_size(v.size, degree) - 1;
    if (n > INT32_MAX - 1)
        return ml_fail(st->s, ML_EXC_IAE, "PolynomialExpansion output is too large");
    double *x = lm_arena_alloc(a, sizeof *x * ((size_t)v.size + 1));
    double *res = lm_arena_calloc(a, (size_t)n + 1, sizeof *res);
    if (x == NULL || res == NULL)
        return LM_ENOMEM;
    ml_vec_to_dense(&v, x);
    /* the constant term sits at -1 and is dropped */
    expand(x, v.size - 1, degree, 1.0, res, -1);
    if (v.idx == NULL)
        return ml_dense_value(a, (int32_t)n, res, out) ? LM_OK : LM_ENOMEM;
    int32_t nnz = 0;
    for (int64_t k = 0; k < n; k++)
        nnz += res[k] != 0.0;
    int32_t *idx = lm_arena_alloc(a, sizeof *idx * ((size_t)nnz + 1));
    double *val = lm_arena_alloc(a, sizeof *val * ((size_t)nnz + 1));
    if (idx == NULL || val == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int64_t j = 0; j < n; j++)
        if (res[j] != 0.0) {
            idx[k] = (int32_t)j;
            val[k++] = res[j];
        }
    return ml_sparse_value(a, (int32_t)n, nnz, idx, val, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    lm_type *vt = ml_vector_type();
    lm_type *types[1] = {vt};
    lm_df *r = vt ? ml_map_columns(st, df, &io, types, poly_cell, st) : NULL;
    lm_type_unref(vt);
    return r;
}

const ml_kind ml_kind_polynomial_expansion = {
    .name = "PolynomialExpansion",
    .java_class = "org.apache.spark.ml.feature.PolynomialExpansion",
    .uid_prefix = "poly",
    .role = ML_TRANSFORMER,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
};
