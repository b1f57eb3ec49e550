/*
 * Specification: the LIBSVM reader and Spark's documented regression and
 * classification examples (LinearRegression and LogisticRegression with
 * regParam 0.3, elasticNetParam 0.8) on fixtures generated in the style
 * of Spark's sample data (fixtures/ml/gen_libsvm.py). Spark's printed
 * numbers belong to its own sample files, so the fits are checked against
 * independent solvers of the objective Spark documents: coordinate
 * descent for the elastic-net least squares, FISTA for the elastic-net
 * logistic loss, both in Spark's standardised space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

#define MAXN 600
#define MAXD 64

static char *fixture(const char *name)
{
    const char *root = getenv("LM_SOURCE_DIR");
    char *p = malloc(512);
    snprintf(p, 512, "%s/fixtures/ml/%s", root ? root : LM_SOURCE_DIR, name);
    return p;
}

/* The data as dense arrays. */
static int load(lm_session *s, const char *name, double (*X)[MAXD], double *y, int *d)
{
    char *path = fixture(name);
    lm_df *df = lm_ml_read_libsvm(s, path, 0);
    free(path);
    assert_non_null(df);
    lm_rows *rows;
    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
    int n = (int)lm_rows_count(rows);
    for (int i = 0; i < n; i++) {
        lm_ml_rows_double(rows, i, 0, &y[i]);
        *d = lm_ml_rows_vector(rows, i, 1, X[i], MAXD);
    }
    lm_rows_free(rows);
    lm_df_free(df);
    return n;
}

static double soft(double z, double g)
{
    return z > g ? z - g : z < -g ? z + g : 0.0;
}

static void test_libsvm_reader_schema_and_rows(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    char *path = fixture("binary_classification_data.txt");
    lm_df *df = lm_ml_read_libsvm(s, path, 0);
    free(path);
    assert_non_null(df);
    char *tree = lm_df_tree_string(df);
    assert_string_equal(tree, "root\n |-- label: double (nullable = true)\n"
                              " |-- features: vector (nullable = true)\n");
    free(tree);
    int64_t n;
    lm_df_count(df, &n);
    assert_int_equal(n, 100);
    lm_df *first = lm_df_limit(df, 1);
    char *t = ml_rows_text(s, first);
    assert_true(strncmp(t, "0.0|(60,[0,1,4,6,10,11,15,", 26) == 0);
    free(t);
    lm_df_free(first);
    lm_df_free(df);
    assert_null(lm_ml_read_libsvm(s, "/nonexistent.txt", 0));
    assert_non_null(strstr(lm_errmsg(s), "PATH_NOT_FOUND"));
    lm_session_close(s);
}

static void test_linear_regression_elastic_net_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double X[MAXN][MAXD], y[MAXN];
    int d, n = load(s, "linear_regression_data.txt", X, y, &d);
    assert_int_equal(n, 501);
    assert_int_equal(d, 10);
    double lambda = 0.3, alpha = 0.8;
    /* standardised, centred coordinate descent */
    double xm[MAXD] = {0}, xs[MAXD] = {0}, ym = 0, ys = 0;
    for (int i = 0; i < n; i++) {
        ym += y[i] / n;
        for (int j = 0; j < d; j++)
            xm[j] += X[i][j] / n;
    }
    for (int i = 0; i < n; i++) {
        ys += (y[i] - ym) * (y[i] - ym) / n;
        for (int j = 0; j < d; j++)
            xs[j] += (X[i][j] - xm[j]) * (X[i][j] - xm[j]) / n;
    }
    ys = sqrt(ys);
    for (int j = 0; j < d; j++)
        xs[j] = sqrt(xs[j]);
    static double Z[MAXN][MAXD], r[MAXN];
    for (int i = 0; i < n; i++) {
        r[i] = (y[i] - ym) / ys;
        for (int j = 0; j < d; j++)
            Z[i][j] = (X[i][j] - xm[j]) / xs[j];
    }
    double b[MAXD] = {0}, l1 = lambda * alpha / ys, l2 = lambda * (1 - alpha) / ys;
    for (int sweep = 0; sweep < 2000; sweep++)
        for (int j = 0; j < d; j++) {
            double rho = 0;
            for (int i = 0; i < n; i++)
                rho += Z[i][j] * (r[i] + Z[i][j] * b[j]) / n;
            double nb = soft(rho, l1) / (1.0 + l2);
            for (int i = 0; i < n; i++)
                r[i] -= Z[i][j] * (nb - b[j]);
            b[j] = nb;
        }
    double coef[MAXD], icpt = ym;
    for (int j = 0; j < d; j++) {
        coef[j] = b[j] * ys / xs[j];
        icpt -= coef[j] * xm[j];
    }
    char *path = fixture("linear_regression_data.txt");
    lm_df *df = lm_ml_read_libsvm(s, path, 0);
    free(path);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", lambda);
    lm_ml_set_double(lr, "elasticNetParam", alpha);
    lm_ml_set_double(lr, "tol", 1e-12);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    assert_non_null(m);
    const double *got;
    double gi;
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", &got), d);
    lm_ml_get_double(m, "intercept", &gi);
    for (int j = 0; j < d; j++) {
        assert_close(got[j], coef[j], 1e-5);
        /* L1 zeroes exactly what the soft threshold zeroes */
        assert_true((got[j] == 0.0) == (coef[j] == 0.0));
    }
    assert_close(gi, icpt, 1e-5);
    /* Spark's example runs maxIter = 10: still within 1e-3 of the optimum */
    lm_ml_set_int(lr, "maxIter", 10);
    lm_ml_set_double(lr, "tol", 1e-6);
    lm_ml_stage *m10 = lm_ml_fit(lr, df);
    const double *g10;
    lm_ml_get_doubles(m10, "coefficients", &g10);
    for (int j = 0; j < d; j++)
        assert_close(g10[j], coef[j], 1e-3);
    int64_t it;
    lm_ml_get_int(m10, "summary.totalIterations", &it);
    assert_true(it >= 1 && it <= 10);
    double rmse, r2;
    lm_ml_get_double(m10, "summary.rootMeanSquaredError", &rmse);
    lm_ml_get_double(m10, "summary.r2", &r2);
    assert_true(rmse > 9.0 && rmse < 11.0); /* the noise level of the data */
    assert_true(r2 > 0.0 && r2 < 0.2);
    lm_ml_free(m10);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static double sigmoid(double m)
{
    return 1.0 / (1.0 + exp(-m));
}

static void test_logistic_regression_elastic_net_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double X[MAXN][MAXD], y[MAXN];
    int d, n = load(s, "binary_classification_data.txt", X, y, &d);
    assert_int_equal(n, 100);
    double lambda = 0.3, alpha = 0.8;
    /* Spark standardises by the unbiased std, without centring */
    double xm[MAXD] = {0}, xs[MAXD] = {0};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            xm[j] += X[i][j] / n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            xs[j] += (X[i][j] - xm[j]) * (X[i][j] - xm[j]) / (n - 1);
    for (int j = 0; j < d; j++)
        xs[j] = sqrt(xs[j]);
    static double Z[MAXN][MAXD];
    double fro = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            Z[i][j] = xs[j] > 0 ? X[i][j] / xs[j] : 0.0;
            fro += Z[i][j] * Z[i][j];
        }
    fro += n; /* the intercept column */
    double L = 0.25 * fro / n + lambda * (1 - alpha);
    double step = 1.0 / L;
    /* FISTA on theta = (b, c) */
    double th[MAXD + 1] = {0}, prev[MAXD + 1] = {0}, v[MAXD + 1] = {0}, g[MAXD + 1];
    double tk = 1.0;
    for (int it = 0; it < 20000; it++) {
        memset(g, 0, sizeof g);
        for (int i = 0; i < n; i++) {
            double m = v[d];
            for (int j = 0; j < d; j++)
                m += Z[i][j] * v[j];
            double e = sigmoid(m) - y[i];
            for (int j = 0; j < d; j++)
                g[j] += e * Z[i][j] / n;
            g[d] += e / n;
        }
        for (int j = 0; j < d; j++)
            g[j] += lambda * (1 - alpha) * v[j];
        memcpy(prev, th, sizeof th);
        for (int j = 0; j < d; j++)
            th[j] = soft(v[j] - step * g[j], step * lambda * alpha);
        th[d] = v[d] - step * g[d];
        double tn = (1 + sqrt(1 + 4 * tk * tk)) / 2;
        for (int j = 0; j <= d; j++)
            v[j] = th[j] + (tk - 1) / tn * (th[j] - prev[j]);
        tk = tn;
    }
    char *path = fixture("binary_classification_data.txt");
    lm_df *df = lm_ml_read_libsvm(s, path, 0);
    free(path);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_double(lr, "regParam", lambda);
    lm_ml_set_double(lr, "elasticNetParam", alpha);
    lm_ml_set_double(lr, "tol", 1e-12);
    lm_ml_set_int(lr, "maxIter", 1000);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    assert_non_null(m);
    const double *got;
    double gi;
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", &got), d);
    lm_ml_get_double(m, "intercept", &gi);
    int nonzero = 0;
    for (int j = 0; j < d; j++) {
        double want = xs[j] > 0 ? th[j] / xs[j] : 0.0;
        assert_close(got[j], want, 1e-5);
        nonzero += got[j] != 0.0;
    }
    assert_close(gi, th[d], 1e-4);
    assert_true(nonzero > 0 && nonzero < d); /* sparse, as Spark's example prints */
    lm_df *pred = lm_ml_transform(m, df);
    lm_ml_stage *ev = lm_ml_new(s, "BinaryClassificationEvaluator");
    double auc;
    assert_int_equal(lm_ml_evaluate(ev, pred, &auc), LM_OK);
    assert_true(auc > 0.8);
    lm_ml_free(ev);
    lm_df_free(pred);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libsvm_reader_schema_and_rows),
        cmocka_unit_test(test_linear_regression_elastic_net_example),
        cmocka_unit_test(test_logistic_regression_elastic_net_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
