/*
 * Specification of the MLlib steps of job files (job/job_ml.c):
 * random_split, fit, transform and evaluate, as they load (the checks made
 * against the MLlib registry before anything runs, with positions and
 * suggestions), as they run (the views and metrics they define, errors
 * at the Param or step), and as the PySpark program they translate to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job.h"
#include "localmode_testkit.h"

static job *load(const char *yaml)
{
    char *err = NULL;
    job *j = job_load_string(yaml, "ml.yaml", NULL, 0, &err);
    if (j == NULL)
        fail_msg("unexpected load error: %s", err);
    return j;
}

static void assert_load_error(const char *yaml, const char *expected)
{
    char *err = NULL;
    job *j = job_load_string(yaml, "ml.yaml", NULL, 0, &err);
    assert_null(j);
    assert_non_null(err);
    assert_string_equal(err, expected);
    free(err);
}

/* y = 2x + 1 exactly; c is a category (a: 3 rows, b: 2 rows) */
#define DATA                                                                                       \
    "steps:\n"                                                                                     \
    "  - name: points\n"                                                                           \
    "    sql: SELECT * FROM VALUES (1.0D, 'a', 3.0D), (2.0D, 'b', 5.0D), (3.0D, 'a', 7.0D),\n"     \
    "         (4.0D, 'a', 9.0D), (5.0D, 'b', 11.0D) AS t(x, c, y)\n"

/* ---------------------------------------------------------------- load */

static void test_stages_are_pyspark_classes_with_their_params(void **state)
{
    (void)state;
    job *j = load(DATA "  - name: model\n"
                       "    fit:\n"
                       "      - StringIndexer: {inputCol: c, outputCol: ci, handleInvalid: keep}\n"
                       "      - VectorAssembler: {inputCols: [x, ci], outputCol: features}\n"
                       "      - LinearRegression: {labelCol: y, maxIter: 5, regParam: 0.1}\n"
                       "  - {name: pred, from: points, transform: model}\n");
    assert_int_equal(j->nsteps, 3);
    const job_ml_step *fit = j->steps[1].ml;
    assert_non_null(fit);
    assert_int_equal(fit->kind, JOB_ML_FIT);
    assert_int_equal(fit->nstages, 3);
    assert_string_equal(fit->stages[1].cls.s, "VectorAssembler");
    assert_true(fit->stages[1].params[0].is_list);
    assert_int_equal(fit->stages[1].params[0].nvalues, 2);
    assert_string_equal(fit->stages[1].params[0].values[1].s, "ci");
    assert_string_equal(fit->stages[2].params[2].name.s, "regParam");
    assert_int_equal(fit->stages[2].params[2].line, 9);
    /* fit reads the previous step; transform names the model's step */
    assert_string_equal(j->steps[1].input, "points");
    const job_ml_step *tr = j->steps[2].ml;
    assert_int_equal(tr->kind, JOB_ML_TRANSFORM);
    assert_int_equal(tr->model_step, 1);
    assert_string_equal(j->steps[2].view, "pred");
    job_free(j);
}

static void test_random_split_names_a_view_per_weight(void **state)
{
    (void)state;
    job *j = load(DATA "  - randomSplit: {weights: [3, 1], seed: -7, into: [train, test]}\n"
                       "  - {name: n, from: test, select: x}\n");
    const job_ml_step *sp = j->steps[1].ml;
    assert_int_equal(sp->kind, JOB_ML_SPLIT);
    assert_int_equal(sp->nweights, 2);
    assert_true(sp->weights[0] == 3.0 && sp->weights[1] == 1.0);
    assert_int_equal(sp->seed, -7);
    assert_string_equal(sp->into[1].s, "test");
    job_free(j);
}

static void test_unknown_stage_or_param_fails_with_a_suggestion(void **state)
{
    (void)state;
    assert_load_error(DATA "  - name: m\n    fit:\n      - LinearRegresion: {labelCol: y}\n",
                      "ml.yaml:7:9: step \"m\": unknown stage `LinearRegresion` in `fit` (did "
                      "you mean `LinearRegression`?)");
    assert_load_error(DATA "  - name: m\n    fit:\n      - LinearRegression: {maxIters: 3}\n",
                      "ml.yaml:7:28: step \"m\": unknown param `maxIters` in LinearRegression "
                      "(did you mean `maxIter`?)");
    assert_load_error(DATA "  - name: m\n    evaluate: [{RegressionEvaluatr: {}}]\n",
                      "ml.yaml:6:17: step \"m\": unknown evaluator `RegressionEvaluatr` in "
                      "`evaluate` (did you mean `RegressionEvaluator`?)");
    /* nothing close: the list of Params */
    assert_load_error(DATA "  - name: m\n    transform: [{Tokenizer: {pattern: x}}]\n",
                      "ml.yaml:6:30: step \"m\": unknown param `pattern` in Tokenizer (expected "
                      "`inputCol`, `outputCol`)");
}

static void test_param_values_are_checked_against_their_types(void **state)
{
    (void)state;
    assert_load_error(DATA "  - name: m\n    fit: {LinearRegression: {regParam: high}}\n",
                      "ml.yaml:6:40: step \"m\": LinearRegression `regParam` must be a number, "
                      "got `high`");
    assert_load_error(DATA "  - name: m\n    fit: {LinearRegression: {maxIter: 2.5}}\n",
                      "ml.yaml:6:39: step \"m\": LinearRegression `maxIter` must be an integer, "
                      "got `2.5`");
    assert_load_error(DATA "  - name: m\n    fit: {LinearRegression: {fitIntercept: maybe}}\n",
                      "ml.yaml:6:44: step \"m\": LinearRegression `fitIntercept` must be true or "
                      "false, got `maybe`");
    assert_load_error(DATA "  - name: m\n    fit: [{VectorAssembler: {inputCols: x}}]\n",
                      "ml.yaml:6:41: step \"m\": VectorAssembler `inputCols` must be a list "
                      "([a, b]), found a scalar");
    assert_load_error(DATA "  - name: m\n    fit: [{StringIndexer: {inputCol: [c]}}]\n",
                      "ml.yaml:6:38: step \"m\": StringIndexer `inputCol` must be a scalar, "
                      "found a list");
}

static void test_ml_step_shape_errors(void **state)
{
    (void)state;
    assert_load_error(DATA "  - fit: [LinearRegression]\n",
                      "ml.yaml:5:5: step 2: a `fit` step needs a `name`: the model's, for "
                      "`transform:` steps");
    assert_load_error(DATA "  - {name: m, fit: [RegressionEvaluator]}\n",
                      "ml.yaml:5:21: step \"m\": `RegressionEvaluator` is an evaluator, not "
                      "allowed in `fit`: evaluators go under `evaluate`");
    assert_load_error(DATA "  - {name: m, fit: [LinearRegressionModel]}\n",
                      "ml.yaml:5:21: step \"m\": `LinearRegressionModel` is a model, not allowed "
                      "in `fit`: name its estimator, and fit it");
    assert_load_error(DATA "  - {name: m, fit: [LinearRegression], select: x}\n",
                      "ml.yaml:5:40: step \"m\": a step has `fit` or `select`, not both: split "
                      "it in two steps");
    assert_load_error(DATA "  - {name: p, transform: nomodel}\n",
                      "ml.yaml:5:26: step \"p\": no model `nomodel`: `transform` names a `fit` "
                      "step before it (or lists stages)");
    assert_load_error(DATA "  - random_split: {weights: [0.5, 0.5], into: [a, b]}\n",
                      "ml.yaml:5:5: step 2: `random_split` needs `seed` (as in {weights: [0.8, "
                      "0.2], seed: 42, into: [train, test]}; the seed keeps the split "
                      "reproducible)");
    assert_load_error(DATA "  - random_split: {weights: [0.5, 0.5], seed: 1, into: [a]}\n",
                      "ml.yaml:5:56: step 2: `into` must list a view name per weight (2), as "
                      "[train, test]");
    assert_load_error(DATA "  - random_split: {weights: [0.5, 0.5], seed: 1, into: [a, points]}\n",
                      "ml.yaml:5:60: step 2: name `points` is already used by the step at line "
                      "2");
    assert_load_error(DATA "  - random_split: {weights: [1, 1], seed: 1, into: [a, b], by: x}\n",
                      "ml.yaml:5:60: step 2: unknown key `by` in `random_split` (expected "
                      "`weights`, `seed`, `into`)");
    /* the step after a model or a split says which view it reads */
    assert_load_error(DATA "  - {name: m, fit: [LinearRegression]}\n  - {name: q, filter: x > 1}\n",
                      "ml.yaml:6:5: step \"q\": the step before is a `fit` step (a model, not a "
                      "view): say which view to read with `from:`");
    assert_load_error(DATA "  - randomSplit: {weights: [1, 1], seed: 1, into: [a, b]}\n"
                           "sinks:\n  - {format: console}\n",
                      "ml.yaml:7:5: sink 1: the last step is a `randomSplit` step (several "
                      "views): say which view the sink writes with `from:`");
}

/* ----------------------------------------------------------------- run */

static void test_fit_transform_evaluate_a_pipeline(void **state)
{
    lm_session *s = *state;
    job *j = load(DATA "  - name: model\n"
                       "    fit:\n"
                       "      - StringIndexer: {inputCol: c, outputCol: ci}\n"
                       "      - VectorAssembler: {inputCols: [x], outputCol: features}\n"
                       "      - LinearRegression: {labelCol: y}\n"
                       "  - {name: pred, from: points, transform: model}\n"
                       "  - name: metrics\n"
                       "    evaluate:\n"
                       "      - RegressionEvaluator: {labelCol: y}\n"
                       "      - RegressionEvaluator: {labelCol: y, metricName: r2}\n"
                       "      - RegressionEvaluator: {labelCol: y, metricName: mae}\n");
    char *err = NULL;
    if (job_run(s, j, NULL, &err) != LM_OK)
        fail_msg("%s", err);
    /* StringIndexer orders by frequency: a (3 rows) -> 0, b -> 1; the fit is exact */
    lmt_assert_rows_equal(lmt_sql(s, "SELECT x, ci, round(prediction, 9) FROM pred"),
                          "(1.0D, 0.0D, 3.0D), (2.0D, 1.0D, 5.0D), (3.0D, 0.0D, 7.0D), "
                          "(4.0D, 0.0D, 9.0D), (5.0D, 1.0D, 11.0D)",
                          NULL);
    /* a row per evaluator, in the order written (rmse is the default metricName) */
    lmt_df_opts o = lmt_df_opts_default();
    o.check_row_order = true;
    o.atol = 1e-9;
    lmt_assert_rows_equal(lmt_sql(s, "SELECT metric, value FROM metrics"),
                          "('rmse', 0.0D), ('r2', 1.0D), ('mae', 0.0D)", &o);
    job_free(j);
}

static void test_transform_with_stages_fits_them_on_its_input(void **state)
{
    lm_session *s = *state;
    job *j = load(DATA "  - name: indexed\n"
                       "    transform:\n"
                       "      - StringIndexer: {inputCol: c, outputCol: ci, "
                       "stringOrderType: alphabetDesc}\n");
    char *err = NULL;
    if (job_run(s, j, NULL, &err) != LM_OK)
        fail_msg("%s", err);
    lmt_assert_rows_equal(lmt_sql(s, "SELECT DISTINCT c, ci FROM indexed"),
                          "('a', 1.0D), ('b', 0.0D)", NULL);
    job_free(j);
}

static void test_random_split_is_dataset_random_split(void **state)
{
    lm_session *s = *state;
    job *j = load("steps:\n  - {name: r, sql: SELECT id FROM range(100)}\n"
                  "  - random_split: {weights: [0.7, 0.3], seed: 11, into: [tr, te]}\n");
    char *err = NULL;
    if (job_run(s, j, NULL, &err) != LM_OK)
        fail_msg("%s", err);
    /* the same rows as Dataset.randomSplit with the seed, disjoint and complete */
    lm_df *r = lmt_sql(s, "SELECT * FROM r");
    lm_df *parts[2];
    double w[2] = {0.7, 0.3};
    assert_int_equal(lm_df_random_split(r, 2, w, 11, parts), LM_OK);
    lmt_assert_df_equal(lmt_sql(s, "SELECT * FROM tr"), parts[0], NULL);
    lmt_assert_df_equal(lmt_sql(s, "SELECT * FROM te"), parts[1], NULL);
    lmt_assert_rows_equal(lmt_sql(s, "SELECT count(*), count(DISTINCT id) FROM (SELECT * FROM tr "
                                     "UNION ALL SELECT * FROM te)"),
                          "(100L, 100L)", NULL);
    lm_df_free(parts[0]);
    lm_df_free(parts[1]);
    job_free(j);
}

static void test_an_invalid_param_value_fails_at_the_value(void **state)
{
    lm_session *s = *state;
    job *j = load(DATA "  - name: m\n"
                       "    fit:\n"
                       "      - LinearRegression: {labelCol: y, regParam: -1}\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_ERROR);
    /* Spark's validator message, with the stage's uid */
    if (strstr(err, "ml.yaml:7:51: step \"m\": ") == NULL)
        fail_msg("%s", err);
    assert_non_null(strstr(err, "parameter regParam given invalid value -1.0."));
    free(err);
    job_free(j);
}

static void test_a_failing_fit_is_reported_at_the_step(void **state)
{
    lm_session *s = *state;
    job *j = load(DATA "  - name: m\n"
                       "    fit:\n"
                       "      - VectorAssembler: {inputCols: [z], outputCol: f}\n"
                       "      - LinearRegression: {labelCol: y, featuresCol: f}\n");
    char *err = NULL;
    assert_int_equal(job_run(s, j, NULL, &err), LM_ERROR);
    assert_string_equal(err, "ml.yaml:6:5: step \"m\": fit: z does not exist. Available: x, c, "
                             "y");
    free(err);
    job_free(j);
}

/* ------------------------------------------------------------- PySpark */

static void test_ml_steps_translate_to_pyspark_ml(void **state)
{
    (void)state;
    job *j = load(DATA "  - randomSplit: {weights: [0.8, 0.2], seed: 42, into: [train, test]}\n"
                       "  - name: model\n"
                       "    from: train\n"
                       "    fit:\n"
                       "      - VectorAssembler: {inputCols: [x], outputCol: features}\n"
                       "      - LinearRegression: {labelCol: y, regParam: 0.1, fitIntercept: "
                       "false}\n"
                       "  - {name: pred, from: test, transform: model}\n"
                       "  - {name: metrics, evaluate: {RegressionEvaluator: {labelCol: y}}}\n");
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    job_to_pyspark(j, &sb);
    const char *py = lm_strbuf_cstr(&sb);
    const char *expected[] = {
        "from pyspark.ml import Pipeline\n"
        "from pyspark.ml.feature import VectorAssembler\n"
        "from pyspark.ml.regression import LinearRegression\n"
        "from pyspark.ml.evaluation import RegressionEvaluator\n",
        "_parts = spark.table(\"points\").randomSplit([0.8, 0.2], seed=42)\n"
        "_parts[0].createOrReplaceTempView(\"train\")\n"
        "_parts[1].createOrReplaceTempView(\"test\")\n",
        "models = {}\n"
        "models[\"model\"] = Pipeline(stages=[\n"
        "    VectorAssembler(inputCols=[\"x\"], outputCol=\"features\"),\n"
        "    LinearRegression(labelCol=\"y\", regParam=0.1, fitIntercept=False),\n"
        "]).fit(spark.table(\"train\"))\n",
        "models[\"model\"].transform(spark.table(\"test\")).createOrReplaceTempView(\"pred\")\n",
        ("_df = spark.table(\"pred\")\n_evaluators = [\n"
         "    RegressionEvaluator(labelCol=\"y\"),\n]\n"),
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strstr(py, expected[i]) == NULL)
            fail_msg("missing:\n%s\nin:\n%s", expected[i], py);
    lm_strbuf_free(&sb);
    job_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_are_pyspark_classes_with_their_params),
        cmocka_unit_test(test_random_split_names_a_view_per_weight),
        cmocka_unit_test(test_unknown_stage_or_param_fails_with_a_suggestion),
        cmocka_unit_test(test_param_values_are_checked_against_their_types),
        cmocka_unit_test(test_ml_step_shape_errors),
        lmt_unit_test(test_fit_transform_evaluate_a_pipeline),
        lmt_unit_test(test_transform_with_stages_fits_them_on_its_input),
        lmt_unit_test(test_random_split_is_dataset_random_split),
        lmt_unit_test(test_an_invalid_param_value_fails_at_the_value),
        lmt_unit_test(test_a_failing_fit_is_reported_at_the_step),
        cmocka_unit_test(test_ml_steps_translate_to_pyspark_ml),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
