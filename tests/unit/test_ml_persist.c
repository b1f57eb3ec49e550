/*
 * Specification: ML save/load (metadata JSON as Spark's
 * DefaultParamsWriter, model data as JSON lines), for a fitted pipeline
 * and single stages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "unit/ml_steps.h"

static char *tmp_path(const char *name)
{
    char *p = malloc(256);
    snprintf(p, 256, "/tmp/lm_ml_persist_%d_%s", (int)getpid(), name);
    return p;
}

static void rm_rf(const char *p)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
    assert_int_equal(system(cmd), 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *b = calloc(1, 65536);
    size_t n = fread(b, 1, 65535, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

static void test_save_writes_spark_metadata(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    char *path = tmp_path("lr");
    rm_rf(path);
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_double(lr, "regParam", 0.3);
    assert_int_equal(lm_ml_save(lr, path, false), LM_OK);
    char meta[512];
    snprintf(meta, sizeof meta, "%s/metadata/part-00000", path);
    char *text = slurp(meta);
    char want[256];
    snprintf(want, sizeof want,
             "{\"class\":\"org.apache.spark.ml.regression.LinearRegression\",\"timestamp\":0,"
             "\"sparkVersion\":\"3.5.3\",\"uid\":\"%s\",\"paramMap\":{\"regParam\":0.3},",
             lm_ml_uid(lr));
    assert_true(strncmp(text, want, strlen(want)) == 0);
    assert_non_null(strstr(text, "\"defaultParamMap\":{\"featuresCol\":\"features\""));
    free(text);
    /* a second save without overwrite fails as Spark's */
    assert_int_equal(lm_ml_save(lr, path, false), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "already exists"));
    assert_int_equal(lm_ml_save(lr, path, true), LM_OK);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    assert_string_equal(lm_ml_class(back), "LinearRegression");
    assert_string_equal(lm_ml_uid(back), lm_ml_uid(lr));
    double v;
    lm_ml_get_double(back, "regParam", &v);
    assert_true(v == 0.3);
    lm_ml_free(back);
    lm_ml_free(lr);
    rm_rf(path);
    free(path);
    lm_session_close(s);
}

static void test_fitted_pipeline_round_trip(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    char *path = tmp_path("pipe");
    rm_rf(path);
    lm_ml_cell cells[24];
    static const char *cats[] = {"a", "b", "c"};
    for (int i = 0; i < 8; i++) {
        cells[3 * i] = ML_D(i % 2);
        cells[3 * i + 1] = ML_D(i * 0.5 + (i % 2));
        cells[3 * i + 2] = ML_S(cats[i % 3]);
    }
    lm_df *df = lm_ml_create_dataframe(s, "label, x, c", 8, 3, cells);
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(si, "inputCol", "c");
    lm_ml_set_string(si, "outputCol", "ci");
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"x", "ci"};
    lm_ml_set_strings(va, "inputCols", 2, in);
    lm_ml_set_string(va, "outputCol", "features");
    lm_ml_stage *lg = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_double(lg, "regParam", 0.1);
    lm_ml_stage *p = lm_ml_new(s, "Pipeline");
    lm_ml_stage *stages[] = {si, va, lg};
    lm_ml_set_stages(p, "stages", 3, stages);
    lm_ml_stage *m = lm_ml_fit(p, df);
    assert_non_null(m);
    assert_int_equal(lm_ml_save(m, path, false), LM_OK);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    assert_string_equal(lm_ml_class(back), "PipelineModel");
    lm_df *a = lm_ml_transform(m, df), *b = lm_ml_transform(back, df);
    char *ta = cols_text(s, a, "probability", "prediction");
    char *tb = cols_text(s, b, "probability", "prediction");
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    lm_df_free(a);
    lm_df_free(b);
    lm_ml_free(back);
    /* the saved pipeline (unfitted) loads with its stages */
    rm_rf(path);
    assert_int_equal(lm_ml_save(p, path, false), LM_OK);
    back = lm_ml_load(s, path);
    assert_non_null(back);
    lm_ml_stage *m2 = lm_ml_fit(back, df);
    assert_non_null(m2);
    lm_ml_free(m2);
    lm_ml_free(back);
    lm_ml_free(m);
    lm_ml_free(p);
    lm_ml_free(si);
    lm_ml_free(va);
    lm_ml_free(lg);
    lm_df_free(df);
    rm_rf(path);
    free(path);
    lm_session_close(s);
}

static void test_load_missing_path_fails(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    assert_null(lm_ml_load(s, "/nonexistent/model"));
    assert_non_null(strstr(lm_errmsg(s), "Input path does not exist"));
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_writes_spark_metadata),
        cmocka_unit_test(test_fitted_pipeline_round_trip),
        cmocka_unit_test(test_load_missing_path_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
