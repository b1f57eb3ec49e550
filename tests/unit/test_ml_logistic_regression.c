/*
 * Specification: LogisticRegression. pyspark's documented binomial
 * example (weighted, regParam 0.01: coefficients [-1.080..., -0.646...],
 * intercept 3.112...), probabilities as the logistic of the margin, and
 * a separable multinomial problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static lm_df *blor_df(lm_session *s)
{
    static const double f0[] = {0.0, 5.0}, f1[] = {1.0, 2.0}, f2[] = {2.0, 1.0}, f3[] = {3.0, 3.0};
    lm_ml_cell cells[] = {ML_D(1.0), ML_D(1.0), ML_DV(2, f0), ML_D(0.0), ML_D(2.0), ML_DV(2, f1),
                          ML_D(1.0), ML_D(3.0), ML_DV(2, f2), ML_D(0.0), ML_D(4.0), ML_DV(2, f3)};
    return lm_ml_create_dataframe(s, "label, weight, features", 4, 3, cells);
}

static void test_logistic_regression_spark_binomial_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = blor_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_double(lr, "regParam", 0.01);
    lm_ml_set_string(lr, "weightCol", "weight");
    lm_ml_stage *m = lm_ml_fit(lr, df);
    assert_non_null(m);
    const double *coef;
    double icpt;
    assert_int_equal(lm_ml_get_doubles(m, "coefficients", &coef), 2);
    lm_ml_get_double(m, "intercept", &icpt);
    assert_close(coef[0], -1.0807, 1e-3);
    assert_close(coef[1], -0.6466, 1e-3);
    assert_close(icpt, 3.1126, 1e-3);
    int64_t k;
    lm_ml_get_int(m, "numClasses", &k);
    assert_int_equal(k, 2);
    lm_df *pred = lm_ml_transform(m, df);
    lm_rows *rows;
    assert_int_equal(lm_df_collect(pred, &rows), LM_OK);
    assert_int_equal(lm_rows_num_columns(rows), 6);
    for (int r = 0; r < 4; r++) {
        double raw[2], prob[2], p;
        assert_int_equal(lm_ml_rows_vector(rows, r, 3, raw, 2), 2);
        assert_int_equal(lm_ml_rows_vector(rows, r, 4, prob, 2), 2);
        assert_true(lm_ml_rows_double(rows, r, 5, &p));
        assert_close(raw[0], -raw[1], 1e-15);
        assert_close(prob[1], 1.0 / (1.0 + exp(-raw[1])), 1e-15);
        assert_close(prob[0] + prob[1], 1.0, 1e-15);
        assert_true(p == (prob[1] > 0.5 ? 1.0 : 0.0));
    }
    lm_rows_free(rows);
    lm_df_free(pred);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

/* The fitted coefficients zero the weighted score (first-order condition). */
static void test_logistic_regression_gradient_vanishes(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = blor_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_string(lr, "weightCol", "weight");
    lm_ml_set_double(lr, "tol", 1e-12);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    const double *coef;
    double icpt;
    lm_ml_get_doubles(m, "coefficients", &coef);
    lm_ml_get_double(m, "intercept", &icpt);
    double X[4][2] = {{0, 5}, {1, 2}, {2, 1}, {3, 3}}, y[4] = {1, 0, 1, 0}, w[4] = {1, 2, 3, 4};
    double g[3] = {0, 0, 0};
    for (int i = 0; i < 4; i++) {
        double p = 1.0 / (1.0 + exp(-(coef[0] * X[i][0] + coef[1] * X[i][1] + icpt)));
        g[0] += w[i] * (p - y[i]) * X[i][0];
        g[1] += w[i] * (p - y[i]) * X[i][1];
        g[2] += w[i] * (p - y[i]);
    }
    for (int j = 0; j < 3; j++)
        assert_true(fabs(g[j]) < 1e-5);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_logistic_regression_threshold(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = blor_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_string(lr, "weightCol", "weight");
    lm_ml_set_double(lr, "threshold", 0.0);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    lm_df *pred = lm_ml_transform(m, df);
    int64_t n;
    double *p = ml_column_doubles(pred, 5, &n);
    for (int i = 0; i < n; i++)
        assert_true(p[i] == 1.0);
    free(p);
    lm_df_free(pred);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

/* Strong L1 zeroes the coefficients; the intercept is the log-odds. */
static void test_logistic_regression_l1_shrinks_to_log_odds(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = blor_df(s);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_string(lr, "weightCol", "weight");
    lm_ml_set_double(lr, "regParam", 10.0);
    lm_ml_set_double(lr, "elasticNetParam", 1.0);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    const double *coef;
    double icpt;
    lm_ml_get_doubles(m, "coefficients", &coef);
    lm_ml_get_double(m, "intercept", &icpt);
    assert_true(coef[0] == 0.0 && coef[1] == 0.0);
    assert_close(icpt, log(4.0 / 6.0), 1e-6);
    lm_ml_free(m);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_logistic_regression_multinomial(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double f[9][2];
    lm_ml_cell cells[18];
    for (int i = 0; i < 9; i++) {
        int c = i % 3;
        f[i][0] = c == 1 ? 3.0 + 0.1 * i : 0.1 * i;
        f[i][1] = c == 2 ? 3.0 - 0.1 * i : -0.05 * i;
        cells[2 * i] = ML_D(c);
        cells[2 * i + 1] = ML_DV(2, f[i]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 9, 2, cells);
    lm_ml_stage *lr = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_double(lr, "regParam", 0.01);
    lm_ml_stage *m = lm_ml_fit(lr, df);
    assert_non_null(m);
    int64_t k;
    lm_ml_get_int(m, "numClasses", &k);
    assert_int_equal(k, 3);
    const double *iv;
    assert_int_equal(lm_ml_get_doubles(m, "interceptVector", &iv), 3);
    assert_close(iv[0] + iv[1] + iv[2], 0.0, 1e-12); /* centred */
    const double *cm;
    assert_int_equal(lm_ml_get_doubles(m, "coefficientMatrix", &cm), 6);
    lm_df *pred = lm_ml_transform(m, df);
    lm_ml_stage *ev = lm_ml_new(s, "MulticlassClassificationEvaluator");
    double acc;
    lm_ml_set_string(ev, "metricName", "accuracy");
    assert_int_equal(lm_ml_evaluate(ev, pred, &acc), LM_OK);
    assert_true(acc == 1.0);
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
        cmocka_unit_test(test_logistic_regression_spark_binomial_example),
        cmocka_unit_test(test_logistic_regression_gradient_vanishes),
        cmocka_unit_test(test_logistic_regression_threshold),
        cmocka_unit_test(test_logistic_regression_l1_shrinks_to_log_odds),
        cmocka_unit_test(test_logistic_regression_multinomial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
