/*
 * LinearRegression / LinearRegressionModel with elastic net, as Spark
 * fits it through WeightedLeastSquares (Spark's choice for "auto" and
 * "normal" whenever there are at most 4096 features):
 *
 *   minimise  1/(2 sum w) sum w (x.b + c - y)^2
 *             + lambda ((1 - alpha)/2 |b|^2 + alpha |b|_1)
 *
 * solved in the standardised space: features divided by their weighted
 * population std (a zero-variance feature gets coefficient 0), label by
 * its population std delta; the penalty is lambda / delta, and without
 * `standardization` each feature's penalty is divided by its std (L1) or
 * its variance (L2) so the penalty applies to the original scale.
 *  - L2 only (alpha = 0 or lambda = 0): the normal equations
 *    [A'A/n + ridge, a-bar; a-bar', 1] [b; c] = [A'y/n; y-bar] solved by
 *    Cholesky (packed, as LAPACK's dppsv). A singular system falls back to
 *    L-BFGS under "auto", as Spark does.
 *  - L1 in play: OWL-QN on the same quadratic objective, the intercept
 *    profiled out as c = y-bar - a-bar.b (Spark's NormalEquationCostFun).
 * solver = "l-bfgs" minimises the same objective with L-BFGS / OWL-QN.
 * A constant label gives zero coefficients and intercept = its mean
 * (with fitIntercept, or when the mean is 0), as Spark.
 *
 * The training summary follows LinearRegressionTrainingSummary: rmse,
 * mse, mae, r2 (through the origin without intercept), r2adj,
 * explainedVariance, objective history and iteration count, and the
 * predictions with a `residuals` column.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

#define MAX_NORMAL_FEATURES 4096

static const ml_param_def k_params[] = {
    P_STR("featuresCol", "features"),
    P_STR("labelCol", "label"),
    P_STR("predictionCol", "prediction"),
    P_INT("maxIter", 100, ML_R_GE, 0, 0),
    P_DBL("regParam", 0.0, ML_R_GE, 0, 0),
    P_DBL("elasticNetParam", 0.0, ML_R_GE | ML_R_LE, 0, 1),
    P_DBL("tol", 1e-6, ML_R_GE, 0, 0),
    P_BOOL("fitIntercept", 1),
    P_BOOL("standardization", 1),
    P_CHOICE("solver", "auto", "auto|normal|l-bfgs"),
    P_STR_NODEF("weightCol"),
    P_INT("aggregationDepth", 2, ML_R_GE, 2, 0),
    P_CHOICE("loss", "squaredError", "squaredError"),
    P_DBL("epsilon", 1.35, ML_R_GT, 1, 0),
    P_DBL("maxBlockSizeInMB", 0.0, ML_R_GE, 0, 0),
};

typedef struct lr_data {
    int d;
    double *coef;
    double intercept;
    /* training summary */
    bool has_summary;
    ml_reg_metrics m;
    double r2adj;
    int iterations;
    int nhistory;
    double *history;
} lr_data;

static void lr_free(void *p)
{
    lr_data *d = p;
    if (d) {
        free(d->coef);
        free(d->history);
        free(d);
    }
}

#define AP(i, j) ((size_t)(i) + (size_t)(j) * ((size_t)(j) + 1) / 2)

/* The standardised normal-equation objective over b (the intercept
   profiled out when fitted). */
typedef struct ne {
    int d;
    bool intercept;
    const double *aa; /* packed d x d, ridge included */
    const double *ab; /* d */
    const double *abar;
    double bbar, bbbar;
} ne;

static double ne_cost(void *ud, const double *b, double *g)
{
    const ne *e = ud;
    int d = e->d;
    double c = 0.0;
    if (e->intercept) {
        c = e->bbar;
        for (int j = 0; j < d; j++)
            c -= e->abar[j] * b[j];
    }
    double loss = 0.5 * e->bbbar - (e->intercept ? e->bbar * c : 0.0);
    double quad = e->intercept ? c * c : 0.0;
    for (int j = 0; j < d; j++) {
        double aab = 0.0;
        for (int i = 0; i < d; i++)
            aab += e->aa[i <= j ? AP(i, j) : AP(j, i)] * b[i];
        if (e->intercept)
            aab += e->abar[j] * c;
        quad += b[j] * aab + (e->intercept ? b[j] * e->abar[j] * c : 0.0);
        loss -= e->ab[j] * b[j];
        g[j] = aab - e->ab[j];
    }
    return loss + 0.5 * quad;
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
    const char *solver = ml_str(est, "solver");
    if (d > MAX_NORMAL_FEATURES && strcmp(solver, "normal") == 0) {
        ml_instances_free(&in);
        return ml_fail(s, ML_EXC_IAE,
                       "requirement failed: In order to take the normal equation approach "
                       "efficiently, we set the max number of features to 4096 but got %d.",
                       d);
    }
    bool fit_icpt = ml_bool(est, "fitIntercept"), standardize = ml_bool(est, "standardization");
    double reg = ml_num(est, "regParam"), alpha = ml_num(est, "elasticNetParam");
    size_t tri = (size_t)d * ((size_t)d + 1) / 2;
    lr_data *res = calloc(1, sizeof *res);
    double *asum = calloc((size_t)d + 1, sizeof *asum),
           *absum = calloc((size_t)d + 1, sizeof *absum);
    double *aasum = calloc(tri + 1, sizeof *aasum), *astd = calloc((size_t)d + 1, sizeof *astd);
    double *abar = calloc((size_t)d + 1, sizeof *abar), *ab = calloc((size_t)d + 2, sizeof *ab);
    double *aa = calloc(tri + (size_t)d + 2, sizeof *aa),
           *beta = calloc((size_t)d + 2, sizeof *beta);
    double *l1 = calloc((size_t)d + 1, sizeof *l1);
    lm_status rc = LM_OK;
    if (!res || !asum || !absum || !aasum || !astd || !abar || !ab || !aa || !beta || !l1 ||
        !(res->coef = calloc((size_t)d + 1, sizeof *res->coef))) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    res->d = d;
    /* WeightedLeastSquares.Aggregator: weighted sums of a, b, ab, aa' */
    double wsum = 0, bsum = 0, bbsum = 0;
    for (int64_t r = 0; r < in.n; r++) {
        double w = in.w[r], y = in.y[r];
        const double *x = in.x + (size_t)r * (size_t)d;
        wsum += w;
        bsum += w * y;
        bbsum += w * y * y;
        for (int j = 0; j < d; j++) {
            asum[j] += w * x[j];
            absum[j] += w * y * x[j];
            for (int i = 0; i <= j; i++)
                aasum[AP(i, j)] += w * x[i] * x[j];
        }
    }
    if (!(wsum > 0)) {
        rc = ml_fail(s, ML_EXC_IAE, "requirement failed: Sum of weights cannot be zero.");
        goto out;
    }
    double raw_bbar = bsum / wsum;
    double raw_bstd = sqrt(fmax(bbsum / wsum - raw_bbar * raw_bbar, 0.0));
    for (int j = 0; j < d; j++) {
        double m = asum[j] / wsum;
        astd[j] = sqrt(fmax(aasum[AP(j, j)] / wsum - m * m, 0.0));
    }
    res->history = calloc(1, sizeof *res->history);
    res->nhistory = 1;
    if (res->history == NULL) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    if (raw_bstd == 0.0 && (fit_icpt || raw_bbar == 0.0)) {
        res->intercept = raw_bbar;
        goto summary;
    }
    if (raw_bstd == 0.0 && reg > 0.0) {
        rc = ml_fail(s, ML_EXC_IAE,
                     "requirement failed: The standard deviation of the label is "
                     "zero. Model cannot be regularized when labels are "
                     "standardized.");
        goto out;
    }
    double bstd = raw_bstd == 0.0 ? fabs(raw_bbar) : raw_bstd;
    double bbar = raw_bbar / bstd, bbbar = bbsum / wsum / (bstd * bstd);
    for (int j = 0; j < d; j++) {
        abar[j] = astd[j] == 0.0 ? 0.0 : asum[j] / wsum / astd[j];
        ab[j] = astd[j] == 0.0 ? 0.0 : absum[j] / wsum / (astd[j] * bstd);
        for (int i = 0; i <= j; i++)
            aa[AP(i, j)] = astd[i] == 0.0 || astd[j] == 0.0
                               ? 0.0
                               : aasum[AP(i, j)] / wsum / (astd[i] * astd[j]);
    }
    double eff = reg / bstd, eff_l1 = alpha * eff, eff_l2 = (1.0 - alpha) * eff;
    for (int j = 0; j < d; j++) {
        double lambda = eff_l2;
        if (!standardize)
            lambda = astd[j] != 0.0 ? lambda / (astd[j] * astd[j]) : 0.0;
        aa[AP(j, j)] += lambda;
        l1[j] = standardize ? eff_l1 : astd[j] != 0.0 ? eff_l1 / astd[j] : 0.0;
    }
    bool use_qn =
        strcmp(solver, "l-bfgs") == 0 || (alpha != 0.0 && reg != 0.0) || d > MAX_NORMAL_FEATURES;
    double c = 0.0;
    if (!use_qn) {
        /* [aa, abar; abar', 1] packed, with the intercept as the last unknown */
        int k = d + (fit_icpt ? 1 : 0);
        double *m = calloc((size_t)k * ((size_t)k + 1) / 2 + 1, sizeof *m);
        if (m == NULL) {
            rc = lm_error_oom(&s->error);
            goto out;
        }
        memcpy(m, aa, sizeof *m * tri);
        memcpy(beta, ab, sizeof *beta * (size_t)d);
        if (fit_icpt) {
            for (int j = 0; j < d; j++)
                m[AP(j, d)] = abar[j];
            m[AP(d, d)] = 1.0;
            beta[d] = bbar;
        }
        bool ok = ml_cholesky_solve_packed(k, m, beta);
        free(m);
        if (ok) {
            c = fit_icpt ? beta[d] : 0.0;
        } else if (strcmp(solver, "auto") == 0) {
            use_qn = true; /* Spark retries with the quasi-Newton solver */
            memset(l1, 0, sizeof *l1 * (size_t)d);
            eff_l1 = 0.0;
        } else {
            rc = ml_fail(s, "org.apache.spark.ml.optim.SingularMatrixException",
                         "LAPACK.dppsv returned 1 because A is not positive definite. Is A "
                         "derived from a singular matrix (e.g. collinear column values)?");
            goto out;
        }
    }
    if (use_qn) {
        memset(beta, 0, sizeof *beta * ((size_t)d + 2));
        ne e = {d, fit_icpt, aa, ab, abar, bbar, bbbar};
        ml_optim_opts o = {(int)ml_int(est, "maxIter"), 10, ml_num(est, "tol"),
                           eff_l1 != 0.0 ? l1 : NULL};
        ml_optim_result r;
        if (ml_minimize(s, d, beta, ne_cost, &e, &o, &r) != LM_OK) {
            rc = LM_ERROR;
            goto out;
        }
        free(res->history);
        res->history = r.history;
        res->nhistory = r.nhistory;
        res->iterations = r.nhistory - 1;
        if (fit_icpt) {
            c = bbar;
            for (int j = 0; j < d; j++)
                c -= abar[j] * beta[j];
        }
    }
    for (int j = 0; j < d; j++)
        res->coef[j] = astd[j] != 0.0 ? beta[j] * bstd / astd[j] : 0.0;
    res->intercept = fit_icpt ? c * bstd : 0.0;
summary:;
    /* training summary over the training rows */
    double *pred = malloc(sizeof *pred * ((size_t)in.n + 1));
    if (pred == NULL) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    for (int64_t r = 0; r < in.n; r++) {
        double p = res->intercept;
        for (int j = 0; j < d; j++)
            p += in.x[(size_t)r * (size_t)d + (size_t)j] * res->coef[j];
        pred[r] = p;
    }
    ml_regression_metrics(in.n, pred, in.y, in.w, !fit_icpt, &res->m);
    free(pred);
    double dof = fit_icpt ? 1.0 : 0.0;
    res->r2adj = 1 - (1 - res->m.r2) * ((double)in.n - dof) / ((double)in.n - d - dof);
    res->has_summary = true;
    model->data = res;
    res = NULL;
    /* summary.residuals / predictions */
    {
        lm_df *pred_df = lm_ml_transform(model, df);
        lm_column *resid = pred_df ? lm_alias(lm_sub(lm_col(ml_str(est, "labelCol")),
                                                     lm_col(ml_str(est, "predictionCol"))),
                                              "residuals")
                                   : NULL;
        model->summary_df = pred_df ? lm_df_select(pred_df, lm_col("*"), resid, NULL) : NULL;
        lm_df_free(pred_df);
        if (model->summary_df == NULL)
            rc = LM_ERROR;
    }
out:
    lr_free(res);
    free(asum);
    free(absum);
    free(aasum);
    free(astd);
    free(abar);
    free(ab);
    free(aa);
    free(beta);
    free(l1);
    ml_instances_free(&in);
    return rc;
}

static lm_status predict(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const lr_data *d = st->data;
    if (x->size != d->d)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: BLAS.dot(x: Vector, y:Vector) "
                       "was given Vectors with non-matching sizes: x.size = %d, "
                       "y.size = %d",
                       x->size, d->d);
    out[0] = lm_value_f64(ml_vec_dot(x, d->coef) + d->intercept);
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    const char *names[1] = {ml_str(st, "predictionCol")};
    lm_type *types[1] = {lm_type_double()};
    return ml_predict_columns(st, df, 1, names, types, predict);
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const lr_data *d = st->data;
    if (strcmp(name, "coefficients") == 0)
        return ml_attr_doubles(out, d->d, d->coef);
    if (strcmp(name, "intercept") == 0)
        return ml_attr_double(out, d->intercept);
    if (strcmp(name, "numFeatures") == 0) {
        out->type = ML_A_INT;
        out->i = d->d;
        return true;
    }
    if (strncmp(name, "summary.", 8) != 0 || !d->has_summary)
        return false;
    name += 8;
    if (strcmp(name, "rootMeanSquaredError") == 0)
        return ml_attr_double(out, d->m.rmse);
    if (strcmp(name, "meanSquaredError") == 0)
        return ml_attr_double(out, d->m.mse);
    if (strcmp(name, "meanAbsoluteError") == 0)
        return ml_attr_double(out, d->m.mae);
    if (strcmp(name, "r2") == 0)
        return ml_attr_double(out, d->m.r2);
    if (strcmp(name, "r2adj") == 0)
        return ml_attr_double(out, d->r2adj);
    if (strcmp(name, "explainedVariance") == 0)
        return ml_attr_double(out, d->m.var);
    if (strcmp(name, "numInstances") == 0 || strcmp(name, "totalIterations") == 0) {
        out->type = ML_A_INT;
        out->i = name[0] == 'n' ? d->m.count : d->iterations;
        return true;
    }
    if (strcmp(name, "objectiveHistory") == 0)
        return ml_attr_doubles(out, d->nhistory, d->history);
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const lr_data *d = st->data;
    lm_strbuf_puts(sb, "{\"intercept\":");
    ml_json_double(sb, d->intercept);
    lm_strbuf_puts(sb, ",\"coefficients\":");
    ml_json_doubles(sb, d->d, d->coef);
    lm_strbuf_puts(sb, ",\"scale\":1.0}\n");
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    lr_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&st->s->error);
    const ml_json *row = rows->n ? &rows->items[0] : NULL;
    d->d = ml_json_read_doubles(ml_json_get(row, "coefficients"), &d->coef);
    d->intercept = ml_json_num(row, "intercept", 0.0);
    if (d->d < 0) {
        lr_free(d);
        return ml_fail(st->s, ML_EXC_IAE, "LinearRegressionModel data has no coefficients");
    }
    st->data = d;
    return LM_OK;
}

const ml_kind ml_kind_linear_regression = {
    .name = "LinearRegression",
    .java_class = "org.apache.spark.ml.regression.LinearRegression",
    .uid_prefix = "linReg",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "LinearRegressionModel",
    .fit = fit,
};

const ml_kind ml_kind_linear_regression_model = {
    .name = "LinearRegressionModel",
    .java_class = "org.apache.spark.ml.regression.LinearRegressionModel",
    .uid_prefix = "linReg",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = lr_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "intercept double, coefficients vector, scale double",
};
