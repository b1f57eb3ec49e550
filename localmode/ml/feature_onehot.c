/*
 * OneHotEncoder / OneHotEncoderModel (Spark 3's estimator form). Fitting
 * finds each column's number of categories as max(value) + 1 (Spark reads
 * it from ML attribute metadata when present, which localmode does not
 * carry, and otherwise computes exactly this); values must be
 * non-negative integers. Transforming writes a sparse vector of
 * size categories - 1 with dropLast (the last category is the empty
 * vector), plus one slot for invalid values with handleInvalid = "keep",
 * as OneHotEncoderModel's configured sizes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"), P_STR_NODEF("outputCol"),
    P_STRS("inputCols"),     P_STRS("outputCols"),
    P_BOOL("dropLast", 1),   P_CHOICE("handleInvalid", "error", "error|keep"),
};

typedef struct ohe_data {
    int n;
    double *sizes; /* categorySizes, as doubles for the attribute getter */
} ohe_data;

static void ohe_free(void *p)
{
    ohe_data *d = p;
    if (d) {
        free(d->sizes);
        free(d);
    }
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    ml_io io;
    if (ml_io_cols(est, &io) != LM_OK)
        return LM_ERROR;
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    ohe_data *d = calloc(1, sizeof *d);
    lm_status st =
        d && (d->sizes = calloc((size_t)io.n, sizeof *d->sizes)) ? LM_OK : lm_error_oom(&s->error);
    for (int c = 0; st == LM_OK && c < io.n; c++) {
        int col = ml_frame_col_numeric(&f, io.in[c]);
        if (col < 0) {
            st = LM_ERROR;
            break;
        }
        double mx = -1;
        for (int64_t r = 0; r < f.n && st == LM_OK; r++) {
            double v;
            if (!ml_cell_double(ml_frame_type(&f, col), ml_frame_cell(&f, r, col), &v))
                continue;
            if (v < 0 || v != floor(v) || isnan(v)) {
                lm_strbuf sb;
                lm_strbuf_init(&sb);
                ml_put_double(&sb, v);
                st = ml_fail(s, ML_EXC_SPARK,
                             "Values to assign categories must be non-negative integers, but "
                             "got %s in column %s.",
                             lm_strbuf_cstr(&sb), io.in[c]);
                lm_strbuf_free(&sb);
            }
            if (v > mx)
                mx = v;
        }
        d->sizes[c] = mx + 1;
        d->n = c + 1;
    }
    ml_frame_free(&f);
    if (st != LM_OK) {
        ohe_free(d);
        return st;
    }
    model->data = d;
    return LM_OK;
}

typedef struct ohe_ctx {
    lm_ml_stage *st;
    const ohe_data *d;
    bool keep, drop_last;
} ohe_ctx;

static lm_status encode(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                        lm_value *out, bool *skip)
{
    ohe_ctx *x = p;
    int64_t orig = (int64_t)x->d->sizes[i];
    int64_t size = x->drop_last && !x->keep ? orig - 1 : !x->drop_last && x->keep ? orig + 1 : orig;
    double v;
    if (!ml_cell_double(t, in, &v))
        v = NAN;
    int64_t idx;
    if (v >= 0 && v < (double)orig) {
        idx = (int64_t)v;
    } else if (x->keep) {
        idx = orig;
    } else {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        ml_put_double(&sb, v);
        lm_status r = v < 0 ? ml_fail(x->st->s, ML_EXC_SPARK,
                                      "Negative value: %s. Input can't be negative. To handle "
                                      "invalid values, set Param handleInvalid to keep",
                                      lm_strbuf_cstr(&sb))
                            : ml_fail(x->st->s, ML_EXC_SPARK,
                                      "Unseen value: %s. To handle unseen values, set Param "
                                      "handleInvalid to keep.",
                                      lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return r;
    }
    int32_t ix = (int32_t)idx;
    double one = 1.0;
    bool ok = idx < size ? ml_sparse_value(a, (int32_t)size, 1, &ix, &one, out)
                         : ml_sparse_value(a, (int32_t)size, 0, NULL, NULL, out);
    return ok ? LM_OK : LM_ENOMEM;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    const ohe_data *d = st->data;
    if (io.n != d->n) {
        ml_fail(st->s, ML_EXC_IAE, "the model was fitted on %d columns, not %d", d->n, io.n);
        return NULL;
    }
    ohe_ctx x = {st, d, strcmp(ml_str(st, "handleInvalid"), "keep") == 0, ml_bool(st, "dropLast")};
    lm_type *vt = ml_vector_type();
    lm_type *types[ML_IO_MAX];
    for (int i = 0; i < io.n; i++)
        types[i] = vt;
    lm_df *r = vt ? ml_map_columns(st, df, &io, types, encode, &x) : NULL;
    lm_type_unref(vt);
    return r;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const ohe_data *d = st->data;
    if (strcmp(name, "categorySizes") == 0)
        return ml_attr_doubles(out, d->n, d->sizes);
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const ohe_data *d = st->data;
    lm_strbuf_puts(sb, "{\"categorySizes\":");
    ml_json_doubles(sb, d->n, d->sizes);
    lm_strbuf_puts(sb, "}\n");
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    ohe_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    d->n = rows->n ? ml_json_read_doubles(ml_json_get(&rows->items[0], "categorySizes"), &d->sizes)
                   : -1;
    if (d->n < 0) {
        ohe_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "OneHotEncoderModel data has no categorySizes");
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_one_hot_encoder = {
    .name = "OneHotEncoder",
    .java_class = "org.apache.spark.ml.feature.OneHotEncoder",
    .uid_prefix = "oneHotEncoder",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "OneHotEncoderModel",
    .fit = fit,
};

const ml_kind ml_kind_one_hot_encoder_model = {
    .name = "OneHotEncoderModel",
    .java_class = "org.apache.spark.ml.feature.OneHotEncoderModel",
    .uid_prefix = "oneHotEncoder",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = ohe_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "categorySizes array<int>",
};
