/*
 * Feature scaling of vector columns: StandardScaler and MinMaxScaler.
 *
 * StandardScaler fits the column means and Spark's unbiased standard
 * deviations (Summarizer's variance with n - 1; 0 for a single row) and
 * transforms (x - mean) / std per withMean / withStd; a zero std scales by
 * 0. Without centering a sparse vector stays sparse, as Spark keeps it.
 *
 * MinMaxScaler fits each feature's min and max (implicit zeros of sparse
 * vectors included) and maps to [min, max] (default [0, 1]); a constant
 * feature maps to (min + max) / 2. Output is dense.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

typedef struct scaler_data {
    int n;
    double *a; /* mean / originalMin */
    double *b; /* std / originalMax */
} scaler_data;

static void scaler_free(void *p)
{
    scaler_data *d = p;
    if (d) {
        free(d->a);
        free(d->b);
        free(d);
    }
}

/* Per-feature statistics of a vector column: sums for mean/variance
   (Welford, for stability) and min/max. */
static lm_status summarize(lm_ml_stage *est, lm_df *df, bool minmax, scaler_data **out)
{
    lm_session *s = est->s;
    const char *in = ml_str(est, "inputCol");
    if (in == NULL)
        return ml_fail(s, ML_EXC_IAE, "inputCol is not set");
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    int col = ml_frame_col_vector(&f, in);
    lm_status st = col < 0 ? LM_ERROR : LM_OK;
    scaler_data *d = calloc(1, sizeof *d);
    double *m2 = NULL, *x = NULL;
    int64_t cnt = 0;
    lm_arena a;
    lm_arena_init(&a, 4096);
    if (st == LM_OK && d == NULL)
        st = lm_error_oom(&s->error);
    for (int64_t r = 0; st == LM_OK && r < f.n; r++) {
        const lm_value *v = ml_frame_cell(&f, r, col);
        ml_vec vec;
        if (v->is_null)
            continue;
        if (!ml_vec_decode(&a, v, &vec)) {
            st = lm_error_oom(&s->error);
            break;
        }
        if (d->a == NULL) {
            d->n = vec.size;
            d->a = calloc((size_t)d->n + 1, sizeof *d->a);
            d->b = calloc((size_t)d->n + 1, sizeof *d->b);
            m2 = calloc((size_t)d->n + 1, sizeof *m2);
            x = calloc((size_t)d->n + 1, sizeof *x);
            if (!d->a || !d->b || !m2 || !x) {
                st = lm_error_oom(&s->error);
                break;
            }
            if (minmax)
                for (int i = 0; i < d->n; i++) {
                    d->a[i] = INFINITY;
                    d->b[i] = -INFINITY;
                }
        } else if (vec.size != d->n) {
            st = ml_fail(s, ML_EXC_IAE,
                         "requirement failed: Dimensions mismatch when adding new sample. "
                         "Expecting %d but got %d.",
                         d->n, vec.size);
            break;
        }
        ml_vec_to_dense(&vec, x);
        cnt++;
        for (int i = 0; i < d->n; i++) {
            if (minmax) {
                if (x[i] < d->a[i])
                    d->a[i] = x[i];
                if (x[i] > d->b[i])
                    d->b[i] = x[i];
            } else {
                double delta = x[i] - d->a[i];
                d->a[i] += delta / (double)cnt;
                m2[i] += delta * (x[i] - d->a[i]);
            }
        }
        lm_arena_free(&a);
    }
    if (st == LM_OK && cnt == 0)
        st = ml_fail(s, ML_EXC_IAE,
                     "requirement failed: Nothing has been added to this summarizer.");
    if (st == LM_OK && !minmax)
        for (int i = 0; i < d->n; i++)
            d->b[i] = cnt > 1 ? sqrt(m2[i] / (double)(cnt - 1)) : 0.0;
    free(m2);
    free(x);
    lm_arena_free(&a);
    ml_frame_free(&f);
    if (st != LM_OK) {
        scaler_free(d);
        return st;
    }
    *out = d;
    return LM_OK;
}

static lm_df *map_vectors(lm_ml_stage *st, lm_df *df, ml_cell_fn fn)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    lm_type *vt = ml_vector_type();
    lm_type *types[1] = {vt};
    lm_df *r = vt ? ml_map_columns(st, df, &io, types, fn, st) : NULL;
    lm_type_unref(vt);
    return r;
}

static lm_status check_size(lm_ml_stage *st, const scaler_data *d, const ml_vec *v)
{
    if (v->size != d->n)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: Number of features must be %d but got %d", d->n,
                       v->size);
    return LM_OK;
}

/* ------------------------------------------------------------ StandardScaler */

static const ml_param_def k_std_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_BOOL("withMean", 0),
    P_BOOL("withStd", 1),
};

static lm_status std_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    scaler_data *d;
    if (summarize(est, df, false, &d) != LM_OK)
        return LM_ERROR;
    model->data = d;
    return LM_OK;
}

static lm_status std_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                          lm_value *out, bool *skip)
{
    lm_ml_stage *st = p;
    const scaler_data *d = st->data;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    ml_vec v;
    if (!ml_vec_decode(a, in, &v))
        return LM_ENOMEM;
    if (check_size(st, d, &v) != LM_OK)
        return LM_ERROR;
    bool with_mean = ml_bool(st, "withMean"), with_std = ml_bool(st, "withStd");
    if (!with_mean && v.idx != NULL) {
        for (int32_t k = 0; with_std && k < v.nnz; k++)
            v.val[k] *= d->b[v.idx[k]] != 0.0 ? 1.0 / d->b[v.idx[k]] : 0.0;
        return ml_vec_encode(a, &v, out) ? LM_OK : LM_ENOMEM;
    }
    double *x = lm_arena_alloc(a, sizeof *x * ((size_t)v.size + 1));
    if (x == NULL)
        return LM_ENOMEM;
    ml_vec_to_dense(&v, x);
    for (int k = 0; k < v.size; k++) {
        if (with_mean)
            x[k] -= d->a[k];
        if (with_std)
            x[k] *= d->b[k] != 0.0 ? 1.0 / d->b[k] : 0.0;
    }
    return ml_dense_value(a, v.size, x, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *std_transform(lm_ml_stage *st, lm_df *df)
{
    return map_vectors(st, df, std_cell);
}

static bool std_attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const scaler_data *d = st->data;
    if (strcmp(name, "mean") == 0)
        return ml_attr_doubles(out, d->n, d->a);
    if (strcmp(name, "std") == 0)
        return ml_attr_doubles(out, d->n, d->b);
    return false;
}

static lm_status save_pair(const lm_ml_stage *st, lm_strbuf *sb, const char *ka, const char *kb)
{
    const scaler_data *d = st->data;
    lm_strbuf_printf(sb, "{\"%s\":", kb);
    ml_json_doubles(sb, d->n, d->b);
    lm_strbuf_printf(sb, ",\"%s\":", ka);
    ml_json_doubles(sb, d->n, d->a);
    lm_strbuf_puts(sb, "}\n");
    return LM_OK;
}

static lm_status load_pair(lm_ml_stage *st, const ml_json *rows, const char *ka, const char *kb)
{
    scaler_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    const ml_json *row = rows->n ? &rows->items[0] : NULL;
    int na = ml_json_read_doubles(ml_json_get(row, ka), &d->a);
    int nb = ml_json_read_doubles(ml_json_get(row, kb), &d->b);
    if (na < 0 || na != nb) {
        scaler_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "%s data is incomplete", st->kind->name);
    }
    d->n = na;
    st->data = d;
    return LM_OK;
}

static lm_status std_save(const lm_ml_stage *st, lm_strbuf *sb)
{
    return save_pair(st, sb, "mean", "std");
}

static lm_status std_load(lm_ml_stage *st, const ml_json *rows)
{
    return load_pair(st, rows, "mean", "std");
}

const ml_kind ml_kind_standard_scaler = {
    .name = "StandardScaler",
    .java_class = "org.apache.spark.ml.feature.StandardScaler",
    .uid_prefix = "stdScal",
    .role = ML_ESTIMATOR,
    .params = k_std_params,
    .nparams = NPARAMS(k_std_params),
    .model_kind = "StandardScalerModel",
    .fit = std_fit,
};

const ml_kind ml_kind_standard_scaler_model = {
    .name = "StandardScalerModel",
    .java_class = "org.apache.spark.ml.feature.StandardScalerModel",
    .uid_prefix = "stdScal",
    .role = ML_MODEL,
    .params = k_std_params,
    .nparams = NPARAMS(k_std_params),
    .transform = std_transform,
    .free_data = scaler_free,
    .attr = std_attr,
    .save_data = std_save,
    .load_data = std_load,
    .data_schema = "std vector, mean vector",
};

/* ------------------------------------------------------------ MinMaxScaler */

static const ml_param_def k_mm_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_DBL("min", 0.0, ML_R_NONE, 0, 0),
    P_DBL("max", 1.0, ML_R_NONE, 0, 0),
};

static lm_status mm_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    if (!(ml_num(est, "min") < ml_num(est, "max")))
        return ml_fail(est->s, ML_EXC_IAE,
                       "requirement failed: The specified min(%g) is larger or equal to max(%g)",
                       ml_num(est, "min"), ml_num(est, "max"));
    scaler_data *d;
    if (summarize(est, df, true, &d) != LM_OK)
        return LM_ERROR;
    model->data = d;
    return LM_OK;
}

static lm_status mm_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                         lm_value *out, bool *skip)
{
    lm_ml_stage *st = p;
    const scaler_data *d = st->data;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    ml_vec v;
    if (!ml_vec_decode(a, in, &v))
        return LM_ENOMEM;
    if (check_size(st, d, &v) != LM_OK)
        return LM_ERROR;
    double lo = ml_num(st, "min"), hi = ml_num(st, "max");
    double scale = hi - lo, constant = (hi + lo) / 2;
    double *x = lm_arena_alloc(a, sizeof *x * ((size_t)v.size + 1));
    if (x == NULL)
        return LM_ENOMEM;
    ml_vec_to_dense(&v, x);
    for (int k = 0; k < v.size; k++) {
        if (isnan(x[k]))
            continue;
        double range = d->b[k] - d->a[k];
        x[k] = range != 0.0 ? (x[k] - d->a[k]) * (scale / range) + lo : constant;
    }
    return ml_dense_value(a, v.size, x, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *mm_transform(lm_ml_stage *st, lm_df *df)
{
    return map_vectors(st, df, mm_cell);
}

static bool mm_attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const scaler_data *d = st->data;
    if (strcmp(name, "originalMin") == 0)
        return ml_attr_doubles(out, d->n, d->a);
    if (strcmp(name, "originalMax") == 0)
        return ml_attr_doubles(out, d->n, d->b);
    return false;
}

static lm_status mm_save(const lm_ml_stage *st, lm_strbuf *sb)
{
    return save_pair(st, sb, "originalMin", "originalMax");
}

static lm_status mm_load(lm_ml_stage *st, const ml_json *rows)
{
    return load_pair(st, rows, "originalMin", "originalMax");
}

const ml_kind ml_kind_min_max_scaler = {
    .name = "MinMaxScaler",
    .java_class = "org.apache.spark.ml.feature.MinMaxScaler",
    .uid_prefix = "minMaxScal",
    .role = ML_ESTIMATOR,
    .params = k_mm_params,
    .nparams = NPARAMS(k_mm_params),
    .model_kind = "MinMaxScalerModel",
    .fit = mm_fit,
};

const ml_kind ml_kind_min_max_scaler_model = {
    .name = "MinMaxScalerModel",
    .java_class = "org.apache.spark.ml.feature.MinMaxScalerModel",
    .uid_prefix = "minMaxScal",
    .role = ML_MODEL,
    .params = k_mm_params,
    .nparams = NPARAMS(k_mm_params),
    .transform = mm_transform,
    .free_data = scaler_free,
    .attr = mm_attr,
    .save_data = mm_save,
    .load_data = mm_load,
    .data_schema = "originalMin vector, originalMax vector",
};
