/*
 * Specification: NaiveBayes, on pyspark's documented example (weighted,
 * smoothing 1: pi [-0.81..., -0.58...], theta [[-0.91..., -0.51...],
 * [-0.40..., -1.09...]]; [1, 0] -> prediction 1.0, probability
 * [0.32..., 0.67...], rawPrediction [-1.72..., -0.99...]).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static void test_naive_bayes_spark_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double a[] = {0.0, 0.0}, b[] = {0.0, 1.0}, c[] = {1.0, 0.0};
    lm_ml_cell cells[] = {ML_D(0.0),   ML_D(0.1), ML_DV(2, a), ML_D(0.0),  ML_D(0.5),
                          ML_DV(2, b), ML_D(1.0), ML_D(1.0),   ML_DV(2, c)};
    lm_df *df = lm_ml_create_dataframe(s, "label, weight, features", 3, 3, cells);
    lm_ml_stage *nb = lm_ml_new(s, "NaiveBayes");
    lm_ml_set_double(nb, "smoothing", 1.0);
    lm_ml_set_string(nb, "weightCol", "weight");
    lm_ml_stage *m = lm_ml_fit(nb, df);
    assert_non_null(m);
    const double *pi, *theta;
    assert_int_equal(lm_ml_get_doubles(m, "pi", &pi), 2);
    assert_int_equal(lm_ml_get_doubles(m, "theta", &theta), 4);
    assert_close(pi[0], log(1.6 / 3.6), 1e-12);
    assert_close(pi[1], log(2.0 / 3.6), 1e-12);
    assert_close(theta[0], log(1.0 / 2.5), 1e-12);
    assert_close(theta[1], log(1.5 / 2.5), 1e-12);
    assert_close(theta[2], log(2.0 / 3.0), 1e-12);
    assert_close(theta[3], log(1.0 / 3.0), 1e-12);
    lm_ml_cell tc[] = {ML_DV(2, c)};
    lm_df *test = lm_ml_create_dataframe(s, "features", 1, 1, tc);
    lm_df *out = lm_ml_transform(m, test);
    lm_rows *rows;
    assert_int_equal(lm_df_collect(out, &rows), LM_OK);
    double raw[2], prob[2], p;
    lm_ml_rows_vector(rows, 0, 1, raw, 2);
    lm_ml_rows_vector(rows, 0, 2, prob, 2);
    lm_ml_rows_double(rows, 0, 3, &p);
    assert_true(p == 1.0);
    assert_close(raw[0], -1.7272, 1e-3);
    assert_close(raw[1], -0.9933, 1e-3);
    assert_close(prob[0], 0.3244, 1e-3);
    assert_close(prob[1], 0.6756, 1e-3);
    lm_rows_free(rows);
    lm_df_free(out);
    lm_df_free(test);
    lm_ml_free(m);
    lm_ml_free(nb);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_naive_bayes_rejects_negative_features(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double a[] = {-1.0};
    lm_ml_cell cells[] = {ML_D(0.0), ML_DV(1, a)};
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 1, 2, cells);
    lm_ml_stage *nb = lm_ml_new(s, "NaiveBayes");
    assert_null(lm_ml_fit(nb, df));
    assert_non_null(strstr(lm_errmsg(s), "nonnegative feature values"));
    lm_ml_free(nb);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_naive_bayes_spark_example),
        cmocka_unit_test(test_naive_bayes_rejects_negative_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
