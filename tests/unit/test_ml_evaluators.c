/*
 * Specification: RegressionEvaluator, BinaryClassificationEvaluator,
 * MulticlassClassificationEvaluator on the data of pyspark's
 * documentation examples (rmse 2.842..., r2 0.993..., mae 2.649...;
 * areaUnderROC 0.708..., areaUnderPR 0.833...; f1 0.66..., accuracy
 * 0.66..., weightedPrecision 0.68..., weightedRecall 0.66...).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static double eval(lm_ml_stage *ev, lm_df *df, const char *metric)
{
    if (metric)
        assert_int_equal(lm_ml_set_string(ev, "metricName", metric), LM_OK);
    double v = NAN;
    assert_int_equal(lm_ml_evaluate(ev, df, &v), LM_OK);
    return v;
}

static void test_regression_evaluator_metrics(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    double pl[][2] = {{-28.98343821, -27.0},
                      {20.21491975, 21.5},
                      {-25.98418959, -22.0},
                      {30.69731842, 33.0},
                      {74.69283752, 71.0}};
    lm_ml_cell cells[10];
    for (int i = 0; i < 5; i++) {
        cells[2 * i] = ML_D(pl[i][0]);
        cells[2 * i + 1] = ML_D(pl[i][1]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "raw, label", 5, 2, cells);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    lm_ml_set_string(ev, "predictionCol", "raw");
    assert_close(eval(ev, df, NULL), 2.842485408190637, 1e-12);
    assert_false(lm_ml_is_larger_better(ev));
    assert_close(eval(ev, df, "r2"), 0.9939111025985887, 1e-12);
    assert_true(lm_ml_is_larger_better(ev));
    assert_close(eval(ev, df, "mae"), 2.6496454299999996, 1e-12);
    assert_close(eval(ev, df, "mse"), 2.842485408190637 * 2.842485408190637, 1e-12);
    assert_close(eval(ev, df, "var"), 1490.8300418309766, 1e-12);
    lm_ml_free(ev);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_binary_evaluator_areas(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    double sl[][2] = {{0.1, 0.0}, {0.1, 1.0}, {0.4, 0.0}, {0.6, 0.0},
                      {0.6, 1.0}, {0.6, 1.0}, {0.8, 1.0}};
    static double raw[7][2];
    lm_ml_cell cells[14];
    for (int i = 0; i < 7; i++) {
        raw[i][0] = 1.0 - sl[i][0];
        raw[i][1] = sl[i][0];
        cells[2 * i] = ML_DV(2, raw[i]);
        cells[2 * i + 1] = ML_D(sl[i][1]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "raw, label", 7, 2, cells);
    lm_ml_stage *ev = lm_ml_new(s, "BinaryClassificationEvaluator");
    lm_ml_set_string(ev, "rawPredictionCol", "raw");
    assert_close(eval(ev, df, NULL), 0.7083333333333333, 1e-12);
    assert_close(eval(ev, df, "areaUnderPR"), 0.8339285714285714, 1e-12);
    assert_true(lm_ml_is_larger_better(ev));
    lm_ml_free(ev);
    lm_df_free(df);
    lm_session_close(s);
}

/* A perfect ranking has area 1; a score column may be a plain double. */
static void test_binary_evaluator_perfect_and_numeric_scores(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_D(0.9), ML_D(1.0), ML_D(0.8), ML_D(1.0),
                          ML_D(0.2), ML_D(0.0), ML_D(0.1), ML_D(0.0)};
    lm_df *df = lm_ml_create_dataframe(s, "score, label", 4, 2, cells);
    lm_ml_stage *ev = lm_ml_new(s, "BinaryClassificationEvaluator");
    lm_ml_set_string(ev, "rawPredictionCol", "score");
    assert_close(eval(ev, df, NULL), 1.0, 1e-15);
    assert_close(eval(ev, df, "areaUnderPR"), 1.0, 1e-15);
    lm_ml_free(ev);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_multiclass_evaluator_metrics(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    double pl[][2] = {{0, 0}, {0, 1}, {0, 0}, {1, 0}, {1, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 0}};
    lm_ml_cell cells[18];
    for (int i = 0; i < 9; i++) {
        cells[2 * i] = ML_D(pl[i][0]);
        cells[2 * i + 1] = ML_D(pl[i][1]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "prediction, label", 9, 2, cells);
    lm_ml_stage *ev = lm_ml_new(s, "MulticlassClassificationEvaluator");
    assert_close(eval(ev, df, NULL), 0.6613756613756614, 1e-12);
    assert_close(eval(ev, df, "accuracy"), 0.6666666666666666, 1e-12);
    assert_close(eval(ev, df, "weightedPrecision"), 0.6851851851851851, 1e-12);
    assert_close(eval(ev, df, "weightedRecall"), 0.6666666666666667, 1e-12);
    lm_ml_set_double(ev, "metricLabel", 1.0);
    assert_close(eval(ev, df, "truePositiveRateByLabel"), 0.75, 1e-12);
    assert_close(eval(ev, df, "hammingLoss"), 1.0 / 3.0, 1e-12);
    assert_false(lm_ml_is_larger_better(ev));
    lm_ml_free(ev);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_evaluator_missing_column(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_D(1.0)};
    lm_df *df = lm_ml_create_dataframe(s, "label", 1, 1, cells);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    double v;
    assert_int_equal(lm_ml_evaluate(ev, df, &v), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "prediction does not exist"));
    lm_ml_free(ev);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_evaluator_metrics),
        cmocka_unit_test(test_binary_evaluator_areas),
        cmocka_unit_test(test_binary_evaluator_perfect_and_numeric_scores),
        cmocka_unit_test(test_multiclass_evaluator_metrics),
        cmocka_unit_test(test_evaluator_missing_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
