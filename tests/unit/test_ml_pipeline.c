/*
 * Specification: Pipeline, ParamGridBuilder, CrossValidator,
 * TrainValidationSplit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

/* y = 2 x + 1 with a category string column. */
static lm_df *cat_df(lm_session *s, int n)
{
    lm_ml_cell *cells = calloc((size_t)n * 3, sizeof *cells);
    static const char *cats[] = {"red", "green", "blue"};
    for (int i = 0; i < n; i++) {
        double x = (double)(i % 17) / 3.0;
        cells[3 * i] = ML_D(2 * x + 1 + (i % 3) * 0.5);
        cells[3 * i + 1] = ML_D(x);
        cells[3 * i + 2] = ML_S(cats[i % 3]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, x, color", n, 3, cells);
    free(cells);
    return df;
}

static lm_ml_stage *make_pipeline(lm_session *s, lm_ml_stage **lr_out)
{
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(si, "inputCol", "color");
    lm_ml_set_string(si, "outputCol", "color_idx");
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"x", "color_idx"};
    lm_ml_set_strings(va, "inputCols", 2, in);
    lm_ml_set_string(va, "outputCol", "features");
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_stage *p = lm_ml_new(s, "Pipeline");
    lm_ml_stage *stages[] = {si, va, lr};
    assert_int_equal(lm_ml_set_stages(p, "stages", 3, stages), LM_OK);
    lm_ml_free(si);
    lm_ml_free(va);
    *lr_out = lr;
    return p;
}

static void test_pipeline_fits_stages_in_order(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = cat_df(s, 30);
    lm_ml_stage *lr;
    lm_ml_stage *p = make_pipeline(s, &lr);
    lm_ml_stage *m = lm_ml_fit(p, df);
    assert_non_null(m);
    assert_string_equal(lm_ml_class(m), "PipelineModel");
    int64_t n;
    lm_ml_get_int(m, "numStages", &n);
    assert_int_equal(n, 3);
    lm_ml_stage *s0 = lm_ml_pipeline_stage(m, 0), *s2 = lm_ml_pipeline_stage(m, 2);
    assert_string_equal(lm_ml_class(s0), "StringIndexerModel");
    assert_string_equal(lm_ml_class(s2), "LinearRegressionModel");
    /* y = 2x + 1 + 0.5 * (i % 3): red 0, green 0.5, blue 1.0; indexes by
       frequency then name: blue 0, green 1, red 2 -> coefficient -0.5 */
    const double *coef;
    assert_int_equal(lm_ml_get_doubles(s2, "coefficients", &coef), 2);
    assert_close(coef[0], 2.0, 1e-9);
    assert_close(coef[1], -0.5, 1e-9);
    lm_df *out = lm_ml_transform(m, df);
    assert_int_equal(lm_df_num_columns(out), 6);
    assert_string_equal(lm_df_column_name(out, 5), "prediction");
    lm_df_free(out);
    lm_ml_free(s0);
    lm_ml_free(s2);
    lm_ml_free(m);
    lm_ml_free(p);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_param_grid_order_last_varies_fastest(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_param_grid *g = lm_param_grid_new();
    double regs[] = {0.0, 0.5, 1.0};
    bool fits[] = {true, false};
    assert_int_equal(lm_param_grid_add_doubles(g, lr, "regParam", 3, regs), LM_OK);
    assert_int_equal(lm_param_grid_add_bools(g, lr, "fitIntercept", 2, fits), LM_OK);
    assert_int_equal(lm_param_grid_size(g), 6);
    assert_int_equal(lm_param_grid_add_doubles(g, lr, "nope", 1, regs), LM_ERROR);
    lm_param_grid_free(g);
    lm_ml_free(lr);
    lm_session_close(s);
}

static void test_cross_validator_picks_best_and_refits(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = cat_df(s, 60);
    lm_ml_stage *lr;
    lm_ml_stage *p = make_pipeline(s, &lr);
    lm_param_grid *g = lm_param_grid_new();
    double regs[] = {10.0, 0.0, 1.0};
    lm_param_grid_add_doubles(g, lr, "regParam", 3, regs);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    lm_ml_stage *cv = lm_ml_new(s, "CrossValidator");
    assert_int_equal(lm_ml_set_stages(cv, "estimator", 1, &p), LM_OK);
    assert_int_equal(lm_ml_set_stages(cv, "evaluator", 1, &ev), LM_OK);
    assert_int_equal(lm_ml_set_param_grid(cv, "estimatorParamMaps", g), LM_OK);
    lm_ml_set_int(cv, "numFolds", 3);
    lm_ml_set_int(cv, "seed", 42);
    lm_ml_stage *m = lm_ml_fit(cv, df);
    assert_non_null(m);
    const double *avg;
    assert_int_equal(lm_ml_get_doubles(m, "avgMetrics", &avg), 3);
    /* rmse: unregularised fits best, the heaviest penalty worst */
    assert_true(avg[1] < avg[2] && avg[2] < avg[0]);
    int64_t best;
    lm_ml_get_int(m, "bestIndex", &best);
    assert_int_equal(best, 1);
    lm_ml_stage *bm = lm_ml_best_model(m);
    assert_string_equal(lm_ml_class(bm), "PipelineModel");
    lm_df *out = lm_ml_transform(m, df);
    double rmse;
    assert_int_equal(lm_ml_evaluate(ev, out, &rmse), LM_OK);
    assert_true(rmse < 1e-9);
    lm_df_free(out);
    lm_ml_free(bm);
    /* the same seed gives the same metrics */
    lm_ml_stage *m2 = lm_ml_fit(cv, df);
    const double *avg2;
    lm_ml_get_doubles(m2, "avgMetrics", &avg2);
    for (int i = 0; i < 3; i++)
        assert_true(avg[i] == avg2[i]);
    lm_ml_free(m2);
    lm_ml_free(m);
    lm_ml_free(cv);
    lm_ml_free(ev);
    lm_param_grid_free(g);
    lm_ml_free(p);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_train_validation_split(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = cat_df(s, 40);
    lm_ml_stage *lr;
    lm_ml_stage *p = make_pipeline(s, &lr);
    lm_param_grid *g = lm_param_grid_new();
    double regs[] = {5.0, 0.0};
    lm_param_grid_add_doubles(g, lr, "regParam", 2, regs);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    lm_ml_set_string(ev, "metricName", "r2");
    lm_ml_stage *tvs = lm_ml_new(s, "TrainValidationSplit");
    lm_ml_set_stages(tvs, "estimator", 1, &p);
    lm_ml_set_stages(tvs, "evaluator", 1, &ev);
    lm_ml_set_param_grid(tvs, "estimatorParamMaps", g);
    lm_ml_set_double(tvs, "trainRatio", 0.8);
    lm_ml_stage *m = lm_ml_fit(tvs, df);
    assert_non_null(m);
    const double *vm;
    assert_int_equal(lm_ml_get_doubles(m, "validationMetrics", &vm), 2);
    assert_true(vm[1] > vm[0]);
    int64_t best;
    lm_ml_get_int(m, "bestIndex", &best);
    assert_int_equal(best, 1);
    lm_ml_free(m);
    lm_ml_free(tvs);
    lm_ml_free(ev);
    lm_param_grid_free(g);
    lm_ml_free(p);
    lm_ml_free(lr);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_fits_stages_in_order),
        cmocka_unit_test(test_param_grid_order_last_varies_fastest),
        cmocka_unit_test(test_cross_validator_picks_best_and_refits),
        cmocka_unit_test(test_train_validation_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
