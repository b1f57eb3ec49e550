/*
 * NaiveBayes / NaiveBayesModel (modelType multinomial or bernoulli) with
 * additive smoothing, as Spark's:
 *   pi_c       = log(n_c + lambda) - log(N + K lambda)
 *   theta_c,j  = log(s_c,j + lambda) - log(sum_j s_c,j + d lambda)   (multinomial)
 *              = log(s_c,j + lambda) - log(n_c + 2 lambda)             (bernoulli)
 * with n_c the weight of class c, s_c,j its weighted feature sums, K the
 * number of labels present. rawPrediction is pi + theta x (bernoulli:
 * x log p + (1 - x) log(1 - p)); probability its softmax; prediction the
 * argmax. Multinomial needs non-negative features, bernoulli 0/1 values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

static const ml_param_def k_params[] = {
    P_STR("featuresCol", "features"),
    P_STR("labelCol", "label"),
    P_STR("predictionCol", "prediction"),
    P_STR("probabilityCol", "probability"),
    P_STR("rawPredictionCol", "rawPrediction"),
    P_DBL("smoothing", 1.0, ML_R_GE, 0, 0),
    P_CHOICE("modelType", "multinomial", "multinomial|bernoulli"),
    P_DBLS_R("thresholds", ML_R_GE, 0, 0),
    P_STR_NODEF("weightCol"),
};

typedef struct nb_data {
    int k, d;
    double *pi;    /* k */
    double *theta; /* k x d */
    double *neg;   /* bernoulli: log(1 - exp(theta)) */
    bool bernoulli;
} nb_data;

static void nb_free(void *p)
{
    nb_data *d = p;
    if (d) {
        free(d->pi);
        free(d->theta);
        free(d->neg);
        free(d);
    }
}

static bool nb_derive(nb_data *d)
{
    if (!d->bernoulli)
        return true;
    d->neg = malloc(sizeof *d->neg * ((size_t)d->k * d->d + 1));
    if (d->neg == NULL)
        return false;
    for (size_t i = 0; i < (size_t)d->k * d->d; i++)
        d->neg[i] = log1p(-exp(d->theta[i]));
    return true;
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    ml_instances in;
    if (ml_instances_load(est, df, ml_str(est, "labelCol"),
                          ml_is_set(est, "weightCol") ? ml_str(est, "weightCol") : NULL,
                          ml_str(est, "featuresCol"), &in) != LM_OK)
        return LM_ERROR;
    bool bern = strcmp(ml_str(est, "modelType"), "bernoulli") == 0;
    double lambda = ml_num(est, "smoothing");
    int d = in.d, k = 0;
    lm_status rc = LM_OK;
    for (int64_t r = 0; r < in.n && rc == LM_OK; r++) {
        if (in.y[r] < 0 || in.y[r] != floor(in.y[r]))
            rc = ml_fail(s, ML_EXC_IAE,
                         "requirement failed: Classification labels should be "
                         "in [0 to ...], but got %g",
                         in.y[r]);
        if ((int)in.y[r] + 1 > k)
            k = (int)in.y[r] + 1;
        for (int j = 0; j < d && rc == LM_OK; j++) {
            double v = in.x[(size_t)r * d + j];
            if (!bern && v < 0)
                rc = ml_fail(s, ML_EXC_IAE,
                             "requirement failed: Naive Bayes requires nonnegative feature "
                             "values but found %g.",
                             v);
            if (bern && v != 0.0 && v != 1.0)
                rc = ml_fail(s, ML_EXC_IAE,
                             "requirement failed: Bernoulli naive Bayes requires 0 or 1 feature "
                             "values but found %g.",
                             v);
        }
    }
    nb_data *m = calloc(1, sizeof *m);
    double *n = calloc((size_t)k + 1, sizeof *n), *sums = calloc((size_t)k * d + 1, sizeof *sums);
    if (rc == LM_OK && (!m || !n || !sums))
        rc = lm_error_oom(&s->error);
    if (rc == LM_OK) {
        for (int64_t r = 0; r < in.n; r++) {
            int c = (int)in.y[r];
            n[c] += in.w[r];
            for (int j = 0; j < d; j++)
                sums[(size_t)c * d + j] += in.w[r] * in.x[(size_t)r * d + j];
        }
        int present = 0;
        double total = 0;
        for (int c = 0; c < k; c++) {
            present += n[c] > 0;
            total += n[c];
        }
        m->k = k;
        m->d = d;
        m->bernoulli = bern;
        m->pi = calloc((size_t)k + 1, sizeof *m->pi);
        m->theta = calloc((size_t)k * d + 1, sizeof *m->theta);
        if (!m->pi || !m->theta) {
            rc = lm_error_oom(&s->error);
        } else {
            double pil = log(total + present * lambda);
            for (int c = 0; c < k; c++) {
                m->pi[c] = log(n[c] + lambda) - pil;
                double row = 0;
                for (int j = 0; j < d; j++)
                    row += sums[(size_t)c * d + j];
                double denom = bern ? log(n[c] + 2.0 * lambda) : log(row + d * lambda);
                for (int j = 0; j < d; j++)
                    m->theta[(size_t)c * d + j] = log(sums[(size_t)c * d + j] + lambda) - denom;
            }
            if (!nb_derive(m))
                rc = lm_error_oom(&s->error);
        }
    }
    free(n);
    free(sums);
    ml_instances_free(&in);
    if (rc != LM_OK) {
        nb_free(m);
        return rc;
    }
    model->data = m;
    return LM_OK;
}

static lm_status predict(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const nb_data *m = st->data;
    if (x->size != m->d)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: The number of features %d does "
                       "not match the model's %d",
                       x->size, m->d);
    double *raw = lm_arena_alloc(a, sizeof *raw * (size_t)m->k);
    double *prob = lm_arena_alloc(a, sizeof *prob * (size_t)m->k);
    double *xd = lm_arena_alloc(a, sizeof *xd * ((size_t)m->d + 1));
    if (!raw || !prob || !xd)
        return LM_ENOMEM;
    ml_vec_to_dense(x, xd);
    double mx = -INFINITY;
    for (int c = 0; c < m->k; c++) {
        double v = m->pi[c];
        for (int j = 0; j < m->d; j++) {
            size_t i = (size_t)c * m->d + j;
            v += m->bernoulli ? xd[j] * m->theta[i] + (1 - xd[j]) * m->neg[i] : xd[j] * m->theta[i];
        }
        raw[c] = v;
        mx = v > mx ? v : mx;
    }
    double se = 0;
    for (int c = 0; c < m->k; c++)
        se += (prob[c] = exp(raw[c] - mx));
    int best = 0;
    double *thr;
    int nthr = ml_nums(st, "thresholds", &thr);
    for (int c = 0; c < m->k; c++) {
        prob[c] /= se;
        double sc = nthr == m->k ? prob[c] / thr[c] : prob[c];
        double sb = nthr == m->k ? prob[best] / thr[best] : prob[best];
        if (sc > sb)
            best = c;
    }
    if (!ml_dense_value(a, m->k, raw, &out[0]) || !ml_dense_value(a, m->k, prob, &out[1]))
        return LM_ENOMEM;
    out[2] = lm_value_f64(best);
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    const char *names[3] = {ml_str(st, "rawPredictionCol"), ml_str(st, "probabilityCol"),
                            ml_str(st, "predictionCol")};
    lm_type *vt = ml_vector_type();
    lm_type *types[3] = {vt, vt, lm_type_double()};
    lm_df *r = vt ? ml_predict_columns(st, df, 3, names, types, predict) : NULL;
    lm_type_unref(vt);
    return r;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const nb_data *m = st->data;
    if (strcmp(name, "pi") == 0)
        return ml_attr_doubles(out, m->k, m->pi);
    if (strcmp(name, "theta") == 0)
        return ml_attr_doubles(out, m->k * m->d, m->theta);
    if (strcmp(name, "numClasses") == 0 || strcmp(name, "numFeatures") == 0) {
        out->type = ML_A_INT;
        out->i = name[3] == 'C' ? m->k : m->d;
        return true;
    }
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const nb_data *m = st->data;
    lm_strbuf_puts(sb, "{\"pi\":");
    ml_json_doubles(sb, m->k, m->pi);
    lm_strbuf_printf(sb, ",\"theta\":{\"numRows\":%d,\"numCols\":%d,\"values\":", m->k, m->d);
    ml_json_doubles(sb, m->k * m->d, m->theta);
    /* sigma is GaussianNB's; the other model types save it empty, as Spark */
    lm_strbuf_puts(sb, "},\"sigma\":{\"numRows\":0,\"numCols\":0,\"values\":[]}}\n");
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    nb_data *m = calloc(1, sizeof *m);
    if (m == NULL)
        return lm_error_oom(&st->s->error);
    const ml_json *row = rows->n ? &rows->items[0] : NULL;
    const ml_json *th = ml_json_get(row, "theta");
    m->k = ml_json_read_doubles(ml_json_get(row, "pi"), &m->pi);
    m->d = (int)ml_json_num(th, "numCols", 0);
    int nt = ml_json_read_doubles(ml_json_get(th, "values"), &m->theta);
    m->bernoulli = strcmp(ml_str(st, "modelType"), "bernoulli") == 0;
    if (m->k < 0 || nt != m->k * m->d || !nb_derive(m)) {
        nb_free(m);
        return ml_fail(st->s, ML_EXC_IAE, "NaiveBayesModel data is incomplete");
    }
    st->data = m;
    return LM_OK;
}

const ml_kind ml_kind_naive_bayes = {
    .name = "NaiveBayes",
    .java_class = "org.apache.spark.ml.classification.NaiveBayes",
    .uid_prefix = "nb",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "NaiveBayesModel",
    .fit = fit,
};

const ml_kind ml_kind_naive_bayes_model = {
    .name = "NaiveBayesModel",
    .java_class = "org.apache.spark.ml.classification.NaiveBayesModel",
    .uid_prefix = "nb",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = nb_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "pi vector, theta matrix, sigma matrix",
};
