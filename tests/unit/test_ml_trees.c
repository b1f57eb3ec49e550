/*
 * Specification: DecisionTreeClassifier, DecisionTreeRegressor,
 * RandomForestClassifier. pyspark's documented examples (two rows,
 * maxDepth 2: 3 nodes, depth 1, featureImportances [1.0], [-1.0] -> 0.0
 * with probability [1.0, 0.0]) and textbook splits: the threshold is the
 * midpoint between the classes, gini/variance gains as defined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "unit/ml_steps.h"

static lm_df *two_rows(lm_session *s)
{
    static const double one[] = {1.0};
    lm_ml_cell cells[] = {ML_D(1.0), ML_DV(1, one), ML_D(0.0), ML_SV(1, 0, NULL, NULL)};
    return lm_ml_create_dataframe(s, "label, features", 2, 2, cells);
}

static lm_df *one_feature(lm_session *s, double x)
{
    static double v[1];
    v[0] = x;
    lm_ml_cell cells[] = {ML_DV(1, v)};
    return lm_ml_create_dataframe(s, "features", 1, 1, cells);
}

static void test_decision_tree_classifier_spark_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = two_rows(s);
    lm_ml_stage *dt = lm_ml_new(s, "DecisionTreeClassifier");
    lm_ml_set_int(dt, "maxDepth", 2);
    lm_ml_stage *m = lm_ml_fit(dt, df);
    assert_non_null(m);
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 3);
    lm_ml_get_int(m, "depth", &v);
    assert_int_equal(v, 1);
    lm_ml_get_int(m, "numClasses", &v);
    assert_int_equal(v, 2);
    const double *imp;
    assert_int_equal(lm_ml_get_doubles(m, "featureImportances", &imp), 1);
    assert_true(imp[0] == 1.0);
    lm_df *t0 = one_feature(s, -1.0);
    lm_df *p0 = lm_ml_transform(m, t0);
    assert_cols(s, p0, "rawPrediction", "probability", "[1.0,0.0]|[1.0,0.0]");
    assert_cols(s, p0, "prediction", NULL, "0.0");
    lm_df *t1 = one_feature(s, 1.0);
    lm_df *p1 = lm_ml_transform(m, t1);
    assert_cols(s, p1, "prediction", NULL, "1.0");
    lm_df_free(p0);
    lm_df_free(p1);
    lm_df_free(t0);
    lm_df_free(t1);
    lm_ml_free(m);
    lm_ml_free(dt);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_decision_tree_regressor_spark_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = two_rows(s);
    lm_ml_stage *dt = lm_ml_new(s, "DecisionTreeRegressor");
    lm_ml_set_int(dt, "maxDepth", 2);
    lm_ml_stage *m = lm_ml_fit(dt, df);
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 3);
    lm_ml_get_int(m, "depth", &v);
    assert_int_equal(v, 1);
    lm_df *t0 = one_feature(s, -1.0), *t1 = one_feature(s, 1.0);
    lm_df *p0 = lm_ml_transform(m, t0), *p1 = lm_ml_transform(m, t1);
    assert_cols(s, p0, "prediction", NULL, "0.0");
    assert_cols(s, p1, "prediction", NULL, "1.0");
    lm_df_free(p0);
    lm_df_free(p1);
    lm_df_free(t0);
    lm_df_free(t1);
    lm_ml_free(m);
    lm_ml_free(dt);
    lm_df_free(df);
    lm_session_close(s);
}

/* x in 0..9, label = x >= 6: one split at the midpoint 5.5, pure leaves. */
static void test_decision_tree_splits_at_midpoint(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double xs[10][2];
    lm_ml_cell cells[20];
    for (int i = 0; i < 10; i++) {
        xs[i][0] = (i * 7) % 10; /* a permutation of 0..9 */
        xs[i][1] = 3.0;          /* a constant feature never splits */
        cells[2 * i] = ML_D(xs[i][0] >= 6 ? 1.0 : 0.0);
        cells[2 * i + 1] = ML_DV(2, xs[i]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 10, 2, cells);
    lm_ml_stage *dt = lm_ml_new(s, "DecisionTreeClassifier");
    lm_ml_stage *m = lm_ml_fit(dt, df);
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 3);
    const double *imp;
    lm_ml_get_doubles(m, "featureImportances", &imp);
    assert_true(imp[0] == 1.0 && imp[1] == 0.0);
    static const double a[] = {5.5, 3.0}, b[] = {5.50001, 3.0};
    lm_ml_cell tc[] = {ML_DV(2, a), ML_DV(2, b)};
    lm_df *test = lm_ml_create_dataframe(s, "features", 2, 1, tc);
    lm_df *p = lm_ml_transform(m, test);
    assert_cols(s, p, "prediction", NULL, "0.0\n1.0");
    lm_df_free(p);
    lm_df_free(test);
    lm_ml_free(m);
    /* maxDepth 0: a single leaf predicting the majority */
    lm_ml_set_int(dt, "maxDepth", 0);
    m = lm_ml_fit(dt, df);
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 1);
    lm_ml_free(m);
    lm_ml_free(dt);
    lm_df_free(df);
    lm_session_close(s);
}

/* A step function is learned exactly by a regression tree. */
static void test_decision_tree_regressor_step(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double xs[12][1];
    lm_ml_cell cells[24];
    for (int i = 0; i < 12; i++) {
        xs[i][0] = i;
        cells[2 * i] = ML_D(i < 4 ? 1.0 : i < 8 ? 5.0 : -2.0);
        cells[2 * i + 1] = ML_DV(1, xs[i]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 12, 2, cells);
    lm_ml_stage *dt = lm_ml_new(s, "DecisionTreeRegressor");
    lm_ml_stage *m = lm_ml_fit(dt, df);
    lm_df *p = lm_ml_transform(m, df);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    double rmse;
    lm_ml_evaluate(ev, p, &rmse);
    assert_true(rmse == 0.0);
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 5);
    lm_ml_free(ev);
    lm_df_free(p);
    lm_ml_free(m);
    lm_ml_free(dt);
    lm_df_free(df);
    lm_session_close(s);
}

/* Few distinct values but maxBins smaller: thresholds by equal weight. */
static void test_decision_tree_max_bins_limits_thresholds(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static double xs[40][1];
    lm_ml_cell cells[80];
    for (int i = 0; i < 40; i++) {
        xs[i][0] = i;
        cells[2 * i] = ML_D(i >= 13 ? 1.0 : 0.0);
        cells[2 * i + 1] = ML_DV(1, xs[i]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, features", 40, 2, cells);
    lm_ml_stage *dt = lm_ml_new(s, "DecisionTreeClassifier");
    lm_ml_set_int(dt, "maxBins", 4);
    lm_ml_set_int(dt, "maxDepth", 1);
    lm_ml_stage *m = lm_ml_fit(dt, df);
    /* thresholds 9.5, 19.5, 29.5: the best of them is 9.5 */
    static const double a[] = {9.5}, b[] = {10.0};
    lm_ml_cell tc[] = {ML_DV(1, a), ML_DV(1, b)};
    lm_df *test = lm_ml_create_dataframe(s, "features", 2, 1, tc);
    lm_df *p = lm_ml_transform(m, test);
    assert_cols(s, p, "prediction", NULL, "0.0\n1.0");
    lm_df_free(p);
    lm_df_free(test);
    lm_ml_free(m);
    lm_ml_free(dt);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_random_forest_spark_example(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = two_rows(s);
    lm_ml_stage *rf = lm_ml_new(s, "RandomForestClassifier");
    lm_ml_set_int(rf, "numTrees", 3);
    lm_ml_set_int(rf, "maxDepth", 2);
    lm_ml_set_int(rf, "seed", 42);
    lm_ml_stage *m = lm_ml_fit(rf, df);
    assert_non_null(m);
    int64_t v;
    lm_ml_get_int(m, "numTrees", &v);
    assert_int_equal(v, 3);
    const double *imp;
    assert_int_equal(lm_ml_get_doubles(m, "featureImportances", &imp), 1);
    assert_true(imp[0] == 1.0);
    lm_df *t0 = one_feature(s, -1.0), *t1 = one_feature(s, 1.0);
    lm_df *p0 = lm_ml_transform(m, t0), *p1 = lm_ml_transform(m, t1);
    assert_cols(s, p0, "prediction", NULL, "0.0");
    assert_cols(s, p1, "prediction", NULL, "1.0");
    /* the same seed grows the same forest */
    lm_ml_stage *m2 = lm_ml_fit(rf, df);
    lm_df *q1 = lm_ml_transform(m2, t1);
    char *a = cols_text(s, p1, "probability", NULL), *b = cols_text(s, q1, "probability", NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    lm_df_free(q1);
    lm_ml_free(m2);
    lm_df_free(p0);
    lm_df_free(p1);
    lm_df_free(t0);
    lm_df_free(t1);
    lm_ml_free(m);
    lm_ml_free(rf);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_random_forest_bad_strategy(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = two_rows(s);
    lm_ml_stage *rf = lm_ml_new(s, "RandomForestClassifier");
    lm_ml_set_string(rf, "featureSubsetStrategy", "most");
    assert_null(lm_ml_fit(rf, df));
    assert_non_null(strstr(lm_errmsg(s), "featureSubsetStrategy given invalid value most"));
    lm_ml_free(rf);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_tree_models_save_and_load(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = two_rows(s);
    lm_ml_stage *rf = lm_ml_new(s, "RandomForestClassifier");
    lm_ml_set_int(rf, "numTrees", 4);
    lm_ml_stage *m = lm_ml_fit(rf, df);
    char path[128];
    snprintf(path, sizeof path, "/tmp/lm_ml_rf_%d", (int)getpid());
    assert_int_equal(lm_ml_save(m, path, true), LM_OK);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    lm_df *p1 = lm_ml_transform(m, df), *p2 = lm_ml_transform(back, df);
    char *a = cols_text(s, p1, "rawPrediction", "prediction");
    char *b = cols_text(s, p2, "rawPrediction", "prediction");
    assert_string_equal(a, b);
    free(a);
    free(b);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", path);
    assert_int_equal(system(cmd), 0);
    lm_df_free(p1);
    lm_df_free(p2);
    lm_ml_free(back);
    lm_ml_free(m);
    lm_ml_free(rf);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_tree_classifier_spark_example),
        cmocka_unit_test(test_decision_tree_regressor_spark_example),
        cmocka_unit_test(test_decision_tree_splits_at_midpoint),
        cmocka_unit_test(test_decision_tree_regressor_step),
        cmocka_unit_test(test_decision_tree_max_bins_limits_thresholds),
        cmocka_unit_test(test_random_forest_spark_example),
        cmocka_unit_test(test_random_forest_bad_strategy),
        cmocka_unit_test(test_tree_models_save_and_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
