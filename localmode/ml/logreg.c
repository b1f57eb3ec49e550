/*
 * LogisticRegression / LogisticRegressionModel, binomial and multinomial,
 * with elastic-net regularisation, as Spark's:
 *
 *   minimise  1/(sum w) sum w loss(x, y) + lambda ((1 - alpha)/2 |B|^2 + alpha |B|_1)
 *
 * over the coefficients of the features scaled by their weighted
 * population std (Spark optimises in that space; without `standardization`
 * the penalty of feature j is divided by std_j^2 (L2) or std_j (L1) so it
 * applies to the original scale). Intercepts are not penalised and start
 * at Spark's initial values (the log-odds of the class weights). L-BFGS,
 * or OWL-QN when the L1 part is non-zero, with Spark's memory (10) and
 * tolerance.
 *  - binomial (family "binomial", or "auto" with at most 2 classes): loss
 *    log(1 + e^m) - y m with m = x.b + c; rawPrediction [-m, m],
 *    probability [1 - s(m), s(m)], prediction 1 when probability > threshold;
 *  - multinomial: softmax over K classes; intercepts are centred (they
 *    are never penalised) and, without L2, so are the coefficients of each
 *    feature across classes, as Spark makes the solution unique;
 *    rawPrediction are the margins, prediction their argmax.
 * The number of classes is max(label) + 1; labels must be 0, 1, ...
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
    P_INT("maxIter", 100, ML_R_GE, 0, 0),
    P_DBL("regParam", 0.0, ML_R_GE, 0, 0),
    P_DBL("elasticNetParam", 0.0, ML_R_GE | ML_R_LE, 0, 1),
    P_DBL("tol", 1e-6, ML_R_GE, 0, 0),
    P_BOOL("fitIntercept", 1),
    P_BOOL("standardization", 1),
    P_DBL("threshold", 0.5, ML_R_GE | ML_R_LE, 0, 1),
    P_DBLS_R("thresholds", ML_R_GE, 0, 0),
    P_STR_NODEF("weightCol"),
    P_CHOICE("family", "auto", "auto|binomial|multinomial"),
    P_INT("aggregationDepth", 2, ML_R_GE, 2, 0),
    P_DBL("maxBlockSizeInMB", 0.0, ML_R_GE, 0, 0),
};

typedef struct lg_data {
    int d, k; /* features; classes (2 for binomial) */
    bool multinomial;
    double *coef; /* K x d row-major (binomial: 1 x d) */
    double *icpt; /* K (binomial: 1) */
    int iterations, nhistory;
    double *history;
} lg_data;

static void lg_free(void *p)
{
    lg_data *d = p;
    if (d) {
        free(d->coef);
        free(d->icpt);
        free(d->history);
        free(d);
    }
}

typedef struct lg_problem {
    const ml_instances *in;
    const double *std; /* feature stds */
    double wsum;
    int d, k, rows; /* rows: coefficient rows (1 binomial, K multinomial) */
    bool intercept, multi;
    double l2;         /* per-coordinate L2 applied with l2w */
    const double *l2w; /* d weights (1/std^2 without standardization) */
    double *margins;   /* scratch K */
} lg_problem;

/* theta = [rows x d coefficients (standardised space), rows intercepts] */
static double lg_cost(void *ud, const double *th, double *g)
{
    lg_problem *p = ud;
    int d = p->d, R = p->rows;
    size_t nth = (size_t)R * (size_t)d + (p->intercept ? (size_t)R : 0);
    memset(g, 0, sizeof *g * nth);
    const double *b = th, *c = th + (size_t)R * (size_t)d;
    double loss = 0.0;
    for (int64_t r = 0; r < p->in->n; r++) {
        const double *x = p->in->x + (size_t)r * (size_t)d;
        double w = p->in->w[r], y = p->in->y[r];
        if (w == 0.0)
            continue;
        for (int k = 0; k < R; k++) {
            double m = p->intercept ? c[k] : 0.0;
            for (int j = 0; j < d; j++)
                if (p->std[j] != 0.0)
                    m += b[(size_t)k * d + j] * x[j] / p->std[j];
            p->margins[k] = m;
        }
        if (!p->multi) {
            double m = p->margins[0];
            /* log(1 + e^m) - y m, computed without overflow */
            double l = m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
            loss += w * (l - y * m);
            double mult = w * (1.0 / (1.0 + exp(-m)) - y);
            for (int j = 0; j < d; j++)
                if (p->std[j] != 0.0)
                    g[j] += mult * x[j] / p->std[j];
            if (p->intercept)
                g[d] += mult;
        } else {
            double mx = p->margins[0];
            for (int k = 1; k < R; k++)
                mx = p->margins[k] > mx ? p->margins[k] : mx;
            double se = 0.0;
            for (int k = 0; k < R; k++)
                se += exp(p->margins[k] - mx);
            int yk = (int)y;
            loss += w * (log(se) + mx - p->margins[yk]);
            for (int k = 0; k < R; k++) {
                double mult = w * (exp(p->margins[k] - mx) / se - (k == yk ? 1.0 : 0.0));
                for (int j = 0; j < d; j++)
                    if (p->std[j] != 0.0)
                        g[(size_t)k * d + j] += mult * x[j] / p->std[j];
                if (p->intercept)
                    g[(size_t)R * d + k] += mult;
            }
        }
    }
    loss /= p->wsum;
    for (size_t i = 0; i < nth; i++)
        g[i] /= p->wsum;
    if (p->l2 != 0.0)
        for (int k = 0; k < R; k++)
            for (int j = 0; j < d; j++) {
                double v = b[(size_t)k * d + j], lam = p->l2 * p->l2w[j];
                loss += 0.5 * lam * v * v;
                g[(size_t)k * d + j] += lam * v;
            }
    return loss;
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    ml_instances in;
    if (ml_instances_load(est, df, ml_str(est, "labelCol"),
                          ml_is_set(est, "weightCol") ? ml_str(est, "weightCol") : NULL,
                          ml_str(est, "featuresCol"), &in) != LM_OK)
        return LM_ERROR;
    int d = in.d;
    double maxlabel = 0;
    for (int64_t r = 0; r < in.n; r++) {
        if (in.y[r] < 0 || in.y[r] != floor(in.y[r])) {
            ml_instances_free(&in);
            return ml_fail(s, ML_EXC_SPARK,
                           "Classification labels should be in [0 to %d]. Found %lld invalid "
                           "labels.",
                           (int)maxlabel, 1LL);
        }
        if (in.y[r] > maxlabel)
            maxlabel = in.y[r];
    }
    int nclasses = (int)maxlabel + 1;
    const char *family = ml_str(est, "family");
    bool multi =
        strcmp(family, "multinomial") == 0 || (strcmp(family, "auto") == 0 && nclasses > 2);
    if (!multi && nclasses > 2) {
        ml_instances_free(&in);
        return ml_fail(s, ML_EXC_IAE,
                       "requirement failed: Binomial family only supports 1 or 2 outcome "
                       "classes but found %d.",
                       nclasses);
    }
    if (!multi && nclasses < 2)
        nclasses = 2;
    int R = multi ? nclasses : 1;
    bool fit_icpt = ml_bool(est, "fitIntercept"), standardize = ml_bool(est, "standardization");
    double reg = ml_num(est, "regParam"), alpha = ml_num(est, "elasticNetParam");
    size_t nth = (size_t)R * (size_t)d + (fit_icpt ? (size_t)R : 0);
    double *stdv = calloc((size_t)d + 1, sizeof *stdv), *mean = calloc((size_t)d + 1, sizeof *mean);
    double *l2w = calloc((size_t)d + 1, sizeof *l2w), *th = calloc(nth + 1, sizeof *th);
    double *l1 = calloc(nth + 1, sizeof *l1), *margins = calloc((size_t)R + 1, sizeof *margins);
    double *cw = calloc((size_t)nclasses + 1, sizeof *cw);
    lg_data *res = calloc(1, sizeof *res);
    lm_status rc = LM_OK;
    if (!stdv || !mean || !l2w || !th || !l1 || !margins || !cw || !res) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    double wsum = 0;
    for (int64_t r = 0; r < in.n; r++) {
        wsum += in.w[r];
        cw[(int)in.y[r]] += in.w[r];
        for (int j = 0; j < d; j++)
            mean[j] += in.w[r] * in.x[(size_t)r * d + j];
    }
    for (int j = 0; j < d; j++)
        mean[j] /= wsum;
    for (int64_t r = 0; r < in.n; r++)
        for (int j = 0; j < d; j++) {
            double e = in.x[(size_t)r * d + j] - mean[j];
            stdv[j] += in.w[r] * e * e;
        }
    /* Spark's summarizer std is the unbiased weighted std */
    double wsq = 0;
    for (int64_t r = 0; r < in.n; r++)
        wsq += in.w[r] * in.w[r];
    double denom = wsum - wsq / wsum;
    for (int j = 0; j < d; j++)
        stdv[j] = denom > 0 ? sqrt(stdv[j] / denom) : 0.0;
    for (int j = 0; j < d; j++) {
        l2w[j] = standardize ? 1.0 : stdv[j] != 0.0 ? 1.0 / (stdv[j] * stdv[j]) : 0.0;
        double l1v = standardize ? 1.0 : stdv[j] != 0.0 ? 1.0 / stdv[j] : 0.0;
        for (int k = 0; k < R; k++)
            l1[(size_t)k * d + j] = alpha * reg * l1v;
    }
    /* initial intercepts: log-odds (binomial) / log class priors centred
       (multinomial), as Spark */
    if (fit_icpt) {
        if (!multi) {
            if (cw[1] > 0 && cw[0] > 0)
                th[(size_t)d] = log(cw[1] / cw[0]);
        } else {
            double sum = 0;
            int nz = 0;
            for (int k = 0; k < R; k++)
                if (cw[k] > 0) {
                    sum += log(cw[k] / wsum);
                    nz++;
                }
            for (int k = 0; k < R; k++)
                th[(size_t)R * d + k] = cw[k] > 0 ? log(cw[k] / wsum) - sum / nz : 0.0;
        }
    }
    res->d = d;
    res->k = multi ? nclasses : 2;
    res->multinomial = multi;
    res->coef = calloc((size_t)R * (size_t)d + 1, sizeof *res->coef);
    res->icpt = calloc((size_t)R + 1, sizeof *res->icpt);
    if (!res->coef || !res->icpt) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    /* a single class: Spark's closed form (infinite intercept) */
    int present = 0;
    for (int k = 0; k < nclasses; k++)
        present += cw[k] > 0;
    if (!multi && present < 2 && fit_icpt) {
        res->icpt[0] = cw[1] > 0 ? INFINITY : -INFINITY;
        res->history = calloc(1, sizeof *res->history);
        res->nhistory = 1;
    } else {
        lg_problem p = {&in, stdv,   wsum, d, nclasses, R, fit_icpt, multi, (1.0 - alpha) * reg,
                        l2w, margins};
        ml_optim_opts o = {(int)ml_int(est, "maxIter"), 10, ml_num(est, "tol"),
                           alpha * reg != 0.0 ? l1 : NULL};
        ml_optim_result r;
        if (ml_minimize(s, (int)nth, th, lg_cost, &p, &o, &r) != LM_OK) {
            rc = LM_ERROR;
            goto out;
        }
        res->history = r.history;
        res->nhistory = r.nhistory;
        res->iterations = r.nhistory - 1;
        for (int k = 0; k < R; k++) {
            for (int j = 0; j < d; j++)
                res->coef[(size_t)k * d + j] =
                    stdv[j] != 0.0 ? th[(size_t)k * d + j] / stdv[j] : 0.0;
            res->icpt[k] = fit_icpt ? th[(size_t)R * d + k] : 0.0;
        }
        if (multi) {
            double m = 0;
            for (int k = 0; k < R; k++)
                m += res->icpt[k] / R;
            for (int k = 0; fit_icpt && k < R; k++)
                res->icpt[k] -= m;
            if ((1.0 - alpha) * reg == 0.0)
                for (int j = 0; j < d; j++) {
                    double cm = 0;
                    for (int k = 0; k < R; k++)
                        cm += res->coef[(size_t)k * d + j] / R;
                    for (int k = 0; k < R; k++)
                        res->coef[(size_t)k * d + j] -= cm;
                }
        }
    }
    model->data = res;
    res = NULL;
    model->summary_df = lm_ml_transform(model, df);
    if (model->summary_df == NULL)
        rc = LM_ERROR;
out:
    lg_free(res);
    free(stdv);
    free(mean);
    free(l2w);
    free(th);
    free(l1);
    free(margins);
    free(cw);
    ml_instances_free(&in);
    return rc;
}

static lm_status predict(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const lg_data *d = st->data;
    if (x->size != d->d)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: Number of features %d does not match the model's %d",
                       x->size, d->d);
    int K = d->k;
    double *raw = lm_arena_alloc(a, sizeof *raw * (size_t)K);
    double *prob = lm_arena_alloc(a, sizeof *prob * (size_t)K);
    if (raw == NULL || prob == NULL)
        return LM_ENOMEM;
    double pred;
    double *thr;
    int nthr = ml_nums(st, "thresholds", &thr);
    if (!d->multinomial) {
        double m = ml_vec_dot(x, d->coef) + d->icpt[0];
        raw[0] = -m;
        raw[1] = m;
        prob[1] = 1.0 / (1.0 + exp(-m));
        prob[0] = 1.0 - prob[1];
        double t = nthr == 2 ? 1.0 / (1.0 + thr[0] / thr[1]) : ml_num(st, "threshold");
        pred = prob[1] > t ? 1.0 : 0.0;
    } else {
        double mx = -INFINITY;
        for (int k = 0; k < K; k++) {
            raw[k] = d->icpt[k];
            for (int32_t i = 0; i < x->nnz; i++)
                raw[k] += x->val[i] * d->coef[(size_t)k * d->d + (x->idx ? x->idx[i] : i)];
            mx = raw[k] > mx ? raw[k] : mx;
        }
        double se = 0;
        for (int k = 0; k < K; k++)
            se += (prob[k] = exp(raw[k] - mx));
        for (int k = 0; k < K; k++)
            prob[k] /= se;
        int best = 0;
        for (int k = 1; k < K; k++) {
            double a1 = nthr == K ? prob[k] / thr[k] : raw[k];
            double a0 = nthr == K ? prob[best] / thr[best] : raw[best];
            if (a1 > a0)
                best = k;
        }
        pred = best;
    }
    if (!ml_dense_value(a, K, raw, &out[0]) || !ml_dense_value(a, K, prob, &out[1]))
        return LM_ENOMEM;
    out[2] = lm_value_f64(pred);
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
    const lg_data *d = st->data;
    int R = d->multinomial ? d->k : 1;
    if (strcmp(name, "coefficients") == 0 && !d->multinomial)
        return ml_attr_doubles(out, d->d, d->coef);
    if (strcmp(name, "intercept") == 0 && !d->multinomial)
        return ml_attr_double(out, d->icpt[0]);
    if (strcmp(name, "coefficientMatrix") == 0)
        return ml_attr_doubles(out, R * d->d, d->coef);
    if (strcmp(name, "interceptVector") == 0)
        return ml_attr_doubles(out, R, d->icpt);
    if (strcmp(name, "numClasses") == 0 || strcmp(name, "numFeatures") == 0 ||
        strcmp(name, "summary.totalIterations") == 0) {
        out->type = ML_A_INT;
        out->i = name[0] == 's' ? d->iterations : name[3] == 'C' ? d->k : d->d;
        return true;
    }
    if (strcmp(name, "summary.objectiveHistory") == 0)
        return ml_attr_doubles(out, d->nhistory, d->history);
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const lg_data *d = st->data;
    int R = d->multinomial ? d->k : 1;
    lm_strbuf_printf(sb, "{\"numClasses\":%d,\"numFeatures\":%d,\"isMultinomial\":%s,", d->k, d->d,
                     d->multinomial ? "true" : "false");
    lm_strbuf_puts(sb, "\"interceptVector\":");
    ml_json_doubles(sb, R, d->icpt);
    lm_strbuf_printf(sb, ",\"coefficientMatrix\":{\"numRows\":%d,\"numCols\":%d,\"values\":", R,
                     d->d);
    ml_json_doubles(sb, R * d->d, d->coef);
    lm_strbuf_puts(sb, "}}\n");
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    lg_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    const ml_json *row = rows->n ? &rows->items[0] : NULL;
    d->k = (int)ml_json_num(row, "numClasses", 0);
    d->d = (int)ml_json_num(row, "numFeatures", 0);
    d->multinomial = ml_json_num(row, "isMultinomial", 0) != 0;
    int R = d->multinomial ? d->k : 1;
    int ni = ml_json_read_doubles(ml_json_get(row, "interceptVector"), &d->icpt);
    int nc = ml_json_read_doubles(ml_json_get(ml_json_get(row, "coefficientMatrix"), "values"),
                                  &d->coef);
    if (ni != R || nc != R * d->d) {
        lg_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "LogisticRegressionModel data is incomplete");
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_logistic_regression = {
    .name = "LogisticRegression",
    .java_class = "org.apache.spark.ml.classification.LogisticRegression",
    .uid_prefix = "logreg",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "LogisticRegressionModel",
    .fit = fit,
};

const ml_kind ml_kind_logistic_regression_model = {
    .name = "LogisticRegressionModel",
    .java_class = "org.apache.spark.ml.classification.LogisticRegressionModel",
    .uid_prefix = "logreg",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = lg_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "numClasses int, numFeatures int, interceptVector vector, "
                   "coefficientMatrix matrix, isMultinomial boolean",
};
