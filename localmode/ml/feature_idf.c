/*
 * IDF / IDFModel: inverse document frequency weights of term-frequency
 * vectors. Fitting counts, per index, the documents (rows) where the
 * entry is non-zero; with m documents the weight is Spark's smoothed
 * log((m + 1) / (df + 1)), or 0 when df < minDocFreq. Transforming
 * multiplies each entry by its weight, keeping sparse vectors sparse.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_INT("minDocFreq", 0, ML_R_GE, 0, 0),
};

typedef struct idf_data {
    int n;
    double *idf;
    double *doc_freq;
    double num_docs;
} idf_data;

static void idf_free(void *p)
{
    idf_data *d = p;
    if (d) {
        free(d->idf);
        free(d->doc_freq);
        free(d);
    }
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    const char *in = ml_str(est, "inputCol");
    ml_frame f;
    if (in == NULL)
        return ml_fail(s, ML_EXC_IAE, "inputCol is not set");
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    int col = ml_frame_col_vector(&f, in);
    idf_data *d = calloc(1, sizeof *d);
    lm_status st = col < 0 ? LM_ERROR : d ? LM_OK : lm_error_oom(&s->error);
    lm_arena a;
    lm_arena_init(&a, 4096);
    for (int64_t r = 0; st == LM_OK && r < f.n; r++) {
        const lm_value *v = ml_frame_cell(&f, r, col);
        ml_vec vec;
        if (v->is_null)
            continue;
        if (!ml_vec_decode(&a, v, &vec)) {
            st = lm_error_oom(&s->error);
            break;
        }
        if (d->doc_freq == NULL) {
            d->n = vec.size;
            d->doc_freq = calloc((size_t)d->n + 1, sizeof *d->doc_freq);
            d->idf = calloc((size_t)d->n + 1, sizeof *d->idf);
            if (d->doc_freq == NULL || d->idf == NULL) {
                st = lm_error_oom(&s->error);
                break;
            }
        } else if (vec.size != d->n) {
            st = ml_fail(s, ML_EXC_IAE,
                         "requirement failed: Dimensions mismatch when adding new sample. "
                         "Expecting %d but got %d.",
                         d->n, vec.size);
            break;
        }
        d->num_docs += 1;
        for (int32_t k = 0; k < vec.nnz; k++)
            if (vec.val[k] > 0.0 || vec.val[k] < 0.0)
                d->doc_freq[vec.idx ? vec.idx[k] : k] += 1;
        lm_arena_free(&a);
    }
    lm_arena_free(&a);
    ml_frame_free(&f);
    if (st == LM_OK && d->doc_freq == NULL)
        st = ml_fail(s, ML_EXC_IAE,
                     "requirement failed: Nothing has been added to this summarizer.");
    if (st != LM_OK) {
        idf_free(d);
        return st;
    }
    double min_df = (double)ml_int(est, "minDocFreq");
    for (int i = 0; i < d->n; i++)
        d->idf[i] =
            d->doc_freq[i] >= min_df ? log((d->num_docs + 1.0) / (d->doc_freq[i] + 1.0)) : 0.0;
    model->data = d;
    return LM_OK;
}

static lm_status idf_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                          lm_value *out, bool *skip)
{
    const idf_data *d = p;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    ml_vec v;
    if (!ml_vec_decode(a, in, &v))
        return LM_ENOMEM;
    if (v.size != d->n)
        return LM_ERROR;
    for (int32_t k = 0; k < v.nnz; k++)
        v.val[k] *= d->idf[v.idx ? v.idx[k] : k];
    return ml_vec_encode(a, &v, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    lm_type *vt = ml_vector_type();
    lm_type *types[1] = {vt};
    lm_df *r = vt ? ml_map_columns(st, df, &io, types, idf_cell, st->data) : NULL;
    if (r == NULL && st->s->error.status == LM_OK)
        ml_fail(st->s, ML_EXC_IAE, "IDF: vector size differs from the fitted size %d",
                ((idf_data *)st->data)->n);
    lm_type_unref(vt);
    return r;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const idf_data *d = st->data;
    if (strcmp(name, "idf") == 0)
        return ml_attr_doubles(out, d->n, d->idf);
    if (strcmp(name, "docFreq") == 0)
        return ml_attr_doubles(out, d->n, d->doc_freq);
    if (strcmp(name, "numDocs") == 0) {
        out->type = ML_A_INT;
        out->i = (int64_t)d->num_docs;
        return true;
    }
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const idf_data *d = st->data;
    lm_strbuf_puts(sb, "{\"idf\":");
    ml_json_doubles(sb, d->n, d->idf);
    lm_strbuf_puts(sb, ",\"docFreq\":");
    ml_json_doubles(sb, d->n, d->doc_freq);
    lm_strbuf_printf(sb, ",\"numDocs\":%lld}\n", (long long)d->num_docs);
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    idf_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    const ml_json *row = rows->n ? &rows->items[0] : NULL;
    d->n = ml_json_read_doubles(ml_json_get(row, "idf"), &d->idf);
    int nf = ml_json_read_doubles(ml_json_get(row, "docFreq"), &d->doc_freq);
    d->num_docs = ml_json_num(row, "numDocs", 0);
    if (d->n < 0 || nf != d->n) {
        idf_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "IDFModel data is incomplete");
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_idf = {
    .name = "IDF",
    .java_class = "org.apache.spark.ml.feature.IDF",
    .uid_prefix = "idf",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "IDFModel",
    .fit = fit,
};

const ml_kind ml_kind_idf_model = {
    .name = "IDFModel",
    .java_class = "org.apache.spark.ml.feature.IDFModel",
    .uid_prefix = "idf",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = idf_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "idf vector, docFreq array<bigint>, numDocs bigint",
};
