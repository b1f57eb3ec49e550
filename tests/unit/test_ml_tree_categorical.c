/*
 * Specification: trees on categorical features. A StringIndexer output
 * assembled by VectorAssembler is nominal, so the tree learners split it
 * by category sets (Spark's categoricalFeaturesInfo). The data: category
 * x (3 rows), y (2 rows), z (1 row) -> indices 0, 1, 2, with labels such
 * that y differs from x and z: the categorical split {1} | {0, 2} is
 * perfect, while thresholds on the indices can only cut {0} | {1, 2} or
 * {0, 1} | {2}.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "unit/ml_steps.h"

/* cat, label -> features with a nominal attribute (3 values) */
static lm_df *features(lm_session *s, const double *labels)
{
    static const char *cats[] = {"x", "x", "x", "y", "y", "z"};
    lm_ml_cell cells[12];
    for (int r = 0; r < 6; r++) {
        cells[r * 2] = ML_S(cats[r]);
        cells[r * 2 + 1] = ML_D(labels[r]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "cat, label", 6, 2, cells);
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(si, "inputCol", "cat");
    lm_ml_set_string(si, "outputCol", "idx");
    lm_df *ix = fit_transform(si, df);
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    static const char *const in[] = {"idx"};
    lm_ml_set_strings(va, "inputCols", 1, in);
    lm_ml_set_string(va, "outputCol", "features");
    lm_df *out = lm_ml_transform(va, ix);
    lm_ml_free(va);
    lm_ml_free(si);
    lm_df_free(ix);
    lm_df_free(df);
    return out;
}

static lm_ml_stage *fit(lm_session *s, const char *cls, lm_df *df, int depth)
{
    lm_ml_stage *est = lm_ml_new(s, cls);
    lm_ml_set_int(est, "maxDepth", depth);
    lm_ml_stage *m = lm_ml_fit(est, df);
    lm_ml_free(est);
    return m;
}

static const double k_reg[] = {10, 10, 10, 0, 0, 10};

static void test_regressor_splits_by_category_set(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = features(s, k_reg);
    lm_ml_stage *m = fit(s, "DecisionTreeRegressor", df, 1);
    assert_non_null(m);
    lm_df *p = lm_ml_transform(m, df);
    /* ordered by mean label: y (0) < x (10) = z (10): left = {1.0} */
    assert_cols(s, p, "idx", "prediction", "0.0|10.0\n0.0|10.0\n0.0|10.0\n1.0|0.0\n1.0|0.0\n2.0|10.0");
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 3);
    lm_df_free(p);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_same_indices_without_metadata_split_by_threshold(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = features(s, k_reg);
    lm_df *plain = lm_ml_with_metadata(df, "features", "{}");
    lm_ml_stage *m = fit(s, "DecisionTreeRegressor", plain, 1);
    lm_df *p = lm_ml_transform(m, plain);
    /* continuous: x <= 0.5 gains 11.11 (vs 2.22 for 1.5); y and z share
       the right leaf, mean 10/3 */
    assert_cols(s, p, "idx", "prediction",
                "0.0|10.0\n0.0|10.0\n0.0|10.0\n1.0|3.3333333333333335\n1.0|3.3333333333333335\n"
                "2.0|3.3333333333333335");
    lm_df_free(p);
    lm_ml_free(m);
    lm_df_free(plain);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_binary_classifier_orders_by_count_of_label_one(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double y[] = {1, 1, 1, 0, 0, 1};
    lm_df *df = features(s, y);
    lm_ml_stage *m = fit(s, "DecisionTreeClassifier", df, 1);
    assert_non_null(m);
    lm_df *p = lm_ml_transform(m, df);
    assert_cols(s, p, "idx", "prediction", "0.0|1.0\n0.0|1.0\n0.0|1.0\n1.0|0.0\n1.0|0.0\n2.0|1.0");
    assert_cols(s, p, "rawPrediction", NULL,
                "[0.0,4.0]\n[0.0,4.0]\n[0.0,4.0]\n[2.0,0.0]\n[2.0,0.0]\n[0.0,4.0]");
    lm_df_free(p);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_multiclass_few_categories_tries_subsets(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    /* 3 classes; maxBins min(32, 6 rows) = 6 -> up to 3 categories are
       unordered; the subset {1} separates class 0 */
    static const double y[] = {2, 2, 2, 0, 0, 1};
    lm_df *df = features(s, y);
    lm_ml_stage *m = fit(s, "DecisionTreeClassifier", df, 2);
    assert_non_null(m);
    lm_df *p = lm_ml_transform(m, df);
    assert_cols(s, p, "idx", "prediction", "0.0|2.0\n0.0|2.0\n0.0|2.0\n1.0|0.0\n1.0|0.0\n2.0|1.0");
    int64_t v;
    lm_ml_get_int(m, "numNodes", &v);
    assert_int_equal(v, 5);
    lm_df_free(p);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_more_categories_than_max_bins_fails(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = features(s, k_reg);
    lm_ml_stage *est = lm_ml_new(s, "DecisionTreeRegressor");
    lm_ml_set_int(est, "maxBins", 2);
    assert_null(lm_ml_fit(est, df));
    assert_string_equal(lm_errmsg(s),
                        "requirement failed: DecisionTree requires maxBins (= 2) to be at least as "
                        "large as the number of values in each categorical feature, but "
                        "categorical feature 0 has 3 values. Considering remove this and other "
                        "categorical features with a large number of values, or add more "
                        "training examples.");
    lm_ml_free(est);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_categorical_split_saved_and_loaded(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = features(s, k_reg);
    lm_ml_stage *m = fit(s, "DecisionTreeRegressor", df, 1);
    char dir[] = "/tmp/lm_ml_catXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/m", dir);
    assert_int_equal(lm_ml_save(m, path, true), LM_OK);
    /* Spark's NodeData rows in Parquet: the root splits {1} | {0,2} */
    char data[96];
    snprintf(data, sizeof data, "%s/data", path);
    lm_df *nodes = NULL;
    assert_int_equal(lm_read(s, "parquet", data, NULL, NULL, &nodes), LM_OK);
    char *got = cols_text(s, nodes, "id", "split");
    assert_non_null(strstr(got, "0|{0, [1.0], 3}\n"));
    free(got);
    lm_df_free(nodes);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    lm_df *p = lm_ml_transform(back, df);
    assert_cols(s, p, "idx", "prediction", "0.0|10.0\n0.0|10.0\n0.0|10.0\n1.0|0.0\n1.0|0.0\n2.0|10.0");
    lm_df_free(p);
    lm_ml_free(back);
    lm_ml_free(m);
    lm_df_free(df);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressor_splits_by_category_set),
        cmocka_unit_test(test_same_indices_without_metadata_split_by_threshold),
        cmocka_unit_test(test_binary_classifier_orders_by_count_of_label_one),
        cmocka_unit_test(test_multiclass_few_categories_tries_subsets),
        cmocka_unit_test(test_more_categories_than_max_bins_fails),
        cmocka_unit_test(test_categorical_split_saved_and_loaded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
