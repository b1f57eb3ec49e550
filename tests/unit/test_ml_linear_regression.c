/*
 * Specification: LinearRegression. Spark's documented example (y = x
 * with weights, solver "normal": coefficient 1, intercept 0), and
 * closed forms of the objective Spark documents for the rest: OLS
 * against an independent QR solve, ridge with Spark's label-scaled
 * penalty, lasso's soft threshold, and the summary's textbook metrics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

#define N 60
#define D 3

/* Deterministic data: y = 1.5 + 2 x0 - 3 x1 + 0.5 x2 + noise. */
static double X[N][D], Y[N];

static void make_data(void)
{
    uint64_t st = 12345;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            X[i][j] = (double)(st >> 11) / 9007199254740992.0 * 4.0 - 2.0 + j;
        }
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        double noise = (double)(st >> 11) / 9007199254740992.0 - 0.5;
        Y[i] = 1.5 + 2 * X[i][0] - 3 * X[i][1] + 0.5 * X[i][2] + noise;
    }
}

static lm_df *data_df(lm_session *s)
{
    make_data();
    lm_ml_cell cells[2 * N];
    for (int i = 0; i < N; i++) {
        cells[2 * i] = ML_D(Y[i]);
        cells[2 * i + 1] = ML_DV(D, X[i]);
    }
    return lm_ml_create_dataframe(s, "label, features", N, 2, cells);
}

/* Least squares of Y on [1, X] by modified Gram-Schmidt QR. */
static void qr_ols(double *beta)
{
    double A[N][D + 1], R[D + 1][D + 1] = {{0}}, qty[D + 1] = {0};
    for (int i = 0; i < N; i++) {
        A[i][0] = 1.0;
        for (int j = 0; j < D; j++)
            A[i][j + 1] = X[i][j];
    }
    for (int k = 0; k <= D; k++) {
        double nrm = 0;
        for (int i = 0; i < N; i++)
            nrm += A[i][k] * A[i][k];
        R[k][k] = sqrt(nrm);
        for (int i = 0; i < N; i++)
            A[i][k] /= R[k][k];
        for (int j = k + 1; j <= D; j++) {
            double r = 0;
            for (int i = 0; i < N; i++)
                r += A[i][k] * A[i][j];
            R[k][j] = r;
            for (int i = 0; i < N; i++)
                A[i][j] -= r * A[i][k];
        }
        for (int i = 0; i < N; i++)
            qty[k] += A[i][k] * Y[i];
    }
    for (int k = D; k >= 0; k--) {
        double v = qty[k];
        for (int j = k + 1; j <= D; j++)
            v -= R[k][j] * beta[j];
        beta[k] = v / R[k][k];
    }
}

static void get_model(lm_ml_stage *m, double *icpt, const double **coef)
{
    assert_non_null(m);
    assert_int_equal(lm_ml_get_double(m, "intercept", icpt), LM_OK);
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", coef), D);
}

/* pyspark LinearRegression example: weighted, solver "normal". */
static void test_linear_regression_spark_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double one[] = {1.0};
    lm_ml_cell cells[] = {ML_D(1.0), ML_D(2.0), ML_DV(1, one),
                          ML_D(0.0), ML_D(2.0), ML_SV(1, 0, NULL, NULL)};
    lm_df *df = lm_ml_create_dataframe(s, "label, weight, features", 2, 3, cells);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", 0.0);
    lm_ml_set_string(lr, "solver", "normal");
    lm_ml_set_string(lr, "weightCol", "weight");
    lm_ml_stage *m = lm_ml_fit(lr, df);
    assert_non_null(m);
    double icpt;
    const double *coef;
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", &coef), 1);
    lm_ml_get_double(m, "intercept", &icpt);
    assert_close(coef[0], 1.0, 1e-3);
    assert_close(icpt, 0.0, 1e-3);
    static const double minus1[] = {-1.0};
    lm_ml_cell tc[] = {ML_DV(1, minus1)};
    lm_df *test = lm_ml_create_dataframe(s, "features", 1, 1, tc);
    lm_df *pred = lm_ml_transform(m, test);
    double *p;
    int64_t n;
    p = ml_column_doubles(pred, 1, &n);
    assert_int_equal(n, 1);
    assert_close(p[0], -1.0, 1e-3);
    free(p);
    lm_df_free(pred);
    lm_df_free(test);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_linear_regression_ols_matches_qr(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = data_df(s);
    double beta[D + 1];
    qr_ols(beta);
    const char *solvers[] = {"auto", "normal", "l-bfgs"};
    for (int k = 0; k < 3; k++) {
        lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
        lm_ml_set_string(lr, "solver", solvers[k]);
        lm_ml_stage *m = lm_ml_fit(lr, df);
        double icpt;
        const double *coef;
        get_model(m, &icpt, &coef);
        double tol = k < 2 ? 1e-10 : 1e-5;
        assert_close(icpt, beta[0], tol);
        for (int j = 0; j < D; j++)
            assert_close(coef[j], beta[j + 1], tol);
        lm_ml_free(m);
        lm_ml_free(lr);
    }
    lm_df_free(df);
    lm_session_close(s);
}

/* Summary metrics as their definitions; residuals = label - prediction. */
static void test_linear_regression_summary(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = data_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_stage *m = lm_ml_fit(lr, df);
    double beta[D + 1];
    qr_ols(beta);
    double sse = 0, sae = 0, ybar = 0, sst = 0;
    for (int i = 0; i < N; i++)
        ybar += Y[i] / N;
    for (int i = 0; i < N; i++) {
        double p = beta[0];
        for (int j = 0; j < D; j++)
            p += beta[j + 1] * X[i][j];
        sse += (Y[i] - p) * (Y[i] - p);
        sae += fabs(Y[i] - p);
        sst += (Y[i] - ybar) * (Y[i] - ybar);
    }
    double v;
    lm_ml_get_double(m, "summary.rootMeanSquaredError", &v);
    assert_close(v, sqrt(sse / N), 1e-9);
    lm_ml_get_double(m, "summary.meanSquaredError", &v);
    assert_close(v, sse / N, 1e-9);
    lm_ml_get_double(m, "summary.meanAbsoluteError", &v);
    assert_close(v, sae / N, 1e-9);
    lm_ml_get_double(m, "summary.r2", &v);
    assert_close(v, 1 - sse / sst, 1e-9);
    lm_ml_get_double(m, "summary.r2adj", &v);
    assert_close(v, 1 - (sse / sst) * (N - 1.0) / (N - D - 1.0), 1e-9);
    int64_t it;
    lm_ml_get_int(m, "summary.totalIterations", &it);
    assert_int_equal(it, 0); /* Cholesky: no iterations, history [0.0] */
    lm_df *sum = lm_ml_summary(m);
    assert_non_null(sum);
    assert_int_equal(lm_df_num_columns(sum), 4);
    assert_string_equal(lm_df_column_name(sum, 3), "residuals");
    int64_t n;
    double *res = ml_column_doubles(sum, 3, &n);
    double *pred = ml_column_doubles(sum, 2, &n);
    assert_int_equal(n, N);
    assert_close(res[7], Y[7] - pred[7], 1e-12);
    free(res);
    free(pred);
    lm_df_free(sum);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

/* Ridge without standardization: Spark's objective is
   1/2n |y - Xb - c|^2 + (lambda / sigma_y) / 2 |b|^2, so
   b = (Xc'Xc/n + lambda/sigma_y I)^-1 Xc'yc/n on centered data. */
static void test_linear_regression_ridge_closed_form(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = data_df(s);
    double lambda = 0.7;
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", lambda);
    lm_ml_set_bool(lr, "standardization", false);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    double icpt;
    const double *coef;
    get_model(m, &icpt, &coef);
    double xm[D] = {0}, ym = 0;
    for (int i = 0; i < N; i++) {
        ym += Y[i] / N;
        for (int j = 0; j < D; j++)
            xm[j] += X[i][j] / N;
    }
    double sy = 0;
    for (int i = 0; i < N; i++)
        sy += (Y[i] - ym) * (Y[i] - ym) / N;
    sy = sqrt(sy);
    double A[D][D + 1] = {{0}};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            for (int k = 0; k < D; k++)
                A[j][k] += (X[i][j] - xm[j]) * (X[i][k] - xm[k]) / N;
            A[j][D] += (X[i][j] - xm[j]) * (Y[i] - ym) / N;
        }
    for (int j = 0; j < D; j++)
        A[j][j] += lambda / sy;
    /* Gauss-Jordan on the small system */
    for (int c = 0; c < D; c++) {
        for (int r = 0; r < D; r++) {
            if (r == c)
                continue;
            double f = A[r][c] / A[c][c];
            for (int k = c; k <= D; k++)
                A[r][k] -= f * A[c][k];
        }
    }
    double want_icpt = ym;
    for (int j = 0; j < D; j++) {
        double b = A[j][D] / A[j][j];
        assert_close(coef[j], b, 1e-9);
        want_icpt -= b * xm[j];
    }
    assert_close(icpt, want_icpt, 1e-9);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

/* Lasso on one feature: the standardized coefficient is the soft
   threshold S(rho, lambda / sigma_y) of the correlation-scale slope. */
static void test_linear_regression_lasso_soft_threshold(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    make_data();
    lm_ml_cell cells[2 * N];
    double xs[N][1];
    for (int i = 0; i < N; i++) {
        xs[i][0] = X[i][0];
        cells[2 * i] = ML_D(Y[i]);
        cells[2 * i + 1] = ML_DV(1, xs[i]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, features", N, 2, cells);
    double xm = 0, ym = 0, sx = 0, sy = 0, cxy = 0;
    for (int i = 0; i < N; i++) {
        xm += xs[i][0] / N;
        ym += Y[i] / N;
    }
    for (int i = 0; i < N; i++) {
        sx += (xs[i][0] - xm) * (xs[i][0] - xm) / N;
        sy += (Y[i] - ym) * (Y[i] - ym) / N;
        cxy += (xs[i][0] - xm) * (Y[i] - ym) / N;
    }
    sx = sqrt(sx);
    sy = sqrt(sy);
    double lambda = 0.3, rho = cxy / (sx * sy);
    double bstd = rho > 0 ? fmax(rho - lambda / sy, 0) : fmin(rho + lambda / sy, 0);
    double want = bstd * sy / sx;
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", lambda);
    lm_ml_set_double(lr, "elasticNetParam", 1.0);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    double icpt;
    const double *coef;
    assert_non_null(m);
    lm_ml_get_doubles(m, "coefficients", &coef);
    lm_ml_get_double(m, "intercept", &icpt);
    assert_close(coef[0], want, 1e-5);
    assert_close(icpt, ym - want * xm, 1e-5);
    int64_t it;
    lm_ml_get_int(m, "summary.totalIterations", &it);
    assert_true(it > 0);
    const double *hist;
    int nh = lm_ml_get_doubles(m, "summary.objectiveHistory", &hist);
    assert_int_equal(nh, it + 1);
    /* the objective never increases */
    for (int i = 1; i < nh; i++)
        assert_true(hist[i] <= hist[i - 1] + 1e-12);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

/* A large L1 penalty zeroes every coefficient: the intercept is the mean. */
static void test_linear_regression_large_l1_gives_mean(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = data_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", 1000.0);
    lm_ml_set_double(lr, "elasticNetParam", 1.0);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    double icpt, ym = 0;
    const double *coef;
    get_model(m, &icpt, &coef);
    for (int i = 0; i < N; i++)
        ym += Y[i] / N;
    for (int j = 0; j < D; j++)
        assert_true(coef[j] == 0.0);
    assert_close(icpt, ym, 1e-12);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_linear_regression_constant_label(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double a[] = {1.0, 2.0}, b[] = {3.0, 1.0};
    lm_ml_cell cells[] = {ML_D(4.0), ML_DV(2, a), ML_D(4.0), ML_DV(2, b)};
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 2, 2, cells);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_stage *m = lm_ml_fit(lr, df);
    double icpt;
    const double *coef;
    assert_non_null(m);
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", &coef), 2);
    lm_ml_get_double(m, "intercept", &icpt);
    assert_true(coef[0] == 0.0 && coef[1] == 0.0 && icpt == 4.0);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_linear_regression_invalid_params(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    assert_int_equal(lm_ml_set_double(lr, "regParam", -1.0), LM_ERROR);
    char want[128];
    snprintf(want, sizeof want, "%s parameter regParam given invalid value -1.0.", lm_ml_uid(lr));
    assert_string_equal(lm_errmsg(s), want);
    assert_int_equal(lm_ml_set_double(lr, "elasticNetParam", 1.5), LM_ERROR);
    assert_int_equal(lm_ml_set_string(lr, "solver", "sgd"), LM_ERROR);
    double v;
    assert_int_equal(lm_ml_get_double(lr, "tol", &v), LM_OK);
    assert_true(v == 1e-6);
    int64_t it;
    assert_int_equal(lm_ml_get_int(lr, "maxIter", &it), LM_OK);
    assert_int_equal(it, 100);
    lm_ml_free(lr);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_regression_spark_example),
        cmocka_unit_test(test_linear_regression_ols_matches_qr),
        cmocka_unit_test(test_linear_regression_summary),
        cmocka_unit_test(test_linear_regression_ridge_closed_form),
        cmocka_unit_test(test_linear_regression_lasso_soft_threshold),
        cmocka_unit_test(test_linear_regression_large_l1_gives_mean),
        cmocka_unit_test(test_linear_regression_constant_label),
        cmocka_unit_test(test_linear_regression_invalid_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
