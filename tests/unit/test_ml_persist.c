/*
 * Specification: ML save/load (metadata JSON as Spark's
 * DefaultParamsWriter, model data as Spark's Parquet under data/ with each
 * model's Spark data schema), for a fitted pipeline and single stages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
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


#define VEC "struct<type:tinyint,size:int,indices:array<int>,values:array<double>>"
#define MAT                                                                                        \
    "struct<type:tinyint,numRows:int,numCols:int,colPtrs:array<int>,rowIndices:array<int>,"       \
    "values:array<double>,isTransposed:boolean>"

/* data/ holds one part-00000-<uuid>-c000.snappy.parquet and _SUCCESS, as
   Spark's df.write.parquet; returns the data schema's catalogString as
   spark.read.parquet(path/data) gives it. */
static char *data_schema(lm_session *s, const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/data", path);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int parts = 0, success = 0, other = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (n[0] == '.' || strcmp(n, "_SUCCESS") == 0) {
            success += n[0] != '.';
            continue;
        }
        /* part-00000- + 36-character uuid + -c000.snappy.parquet */
        if (strncmp(n, "part-00000-", 11) == 0 && len == 11 + 36 + 20 &&
            strcmp(n + 47, "-c000.snappy.parquet") == 0)
            parts++;
        else
            other++;
    }
    closedir(d);
    assert_int_equal(parts, 1);
    assert_int_equal(success, 1);
    assert_int_equal(other, 0);
    lm_df *df = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &df), LM_OK);
    char *schema = lm_df_schema_string(df);
    lm_df_free(df);
    return schema;
}

#define assert_data_schema(s, path, want)                                                          \
    do {                                                                                           \
        char *got_ = data_schema((s), (path));                                                     \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

/* Saves model, loads it back and checks column col of both
   transformations of df are equal; returns the path (removed by the
   caller) so the folder can be inspected. */
static void round_trip(lm_session *s, lm_ml_stage *model, lm_df *df, const char *col,
                       const char *path)
{
    rm_rf(path);
    assert_int_equal(lm_ml_save(model, path, false), LM_OK);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    assert_string_equal(lm_ml_class(back), lm_ml_class(model));
    lm_df *a = lm_ml_transform(model, df), *b = lm_ml_transform(back, df);
    assert_non_null(a);
    assert_non_null(b);
    char *ta = cols_text(s, a, col, NULL), *tb = cols_text(s, b, col, NULL);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    lm_df_free(a);
    lm_df_free(b);
    lm_ml_free(back);
}

/* label, features (2 dense), c (string), x (double, one NULL) */
static lm_df *small_data(lm_session *s)
{
    static const double f[8][2] = {{0, 1}, {1, 0}, {2, 1}, {3, 3},
                                   {8, 9}, {9, 8}, {10, 10}, {11, 9}};
    static const char *cats[] = {"a", "b", "b", "c"};
    lm_ml_cell cells[8 * 4];
    for (int i = 0; i < 8; i++) {
        cells[4 * i] = ML_D(i >= 4);
        cells[4 * i + 1] = ML_DV(2, f[i]);
        cells[4 * i + 2] = ML_S(cats[i % 4]);
        cells[4 * i + 3] = i == 2 ? ML_NULL() : ML_D(i * 1.5);
    }
    return lm_ml_create_dataframe(s, "label, features, c, x", 8, 4, cells);
}

static lm_ml_stage *fit_one(lm_session *s, const char *cls, lm_df *df)
{
    lm_ml_stage *est = lm_ml_new(s, cls);
    if (strcmp(cls, "StringIndexer") == 0) {
        lm_ml_set_string(est, "inputCol", "c");
        lm_ml_set_string(est, "outputCol", "out");
    } else if (strcmp(cls, "Imputer") == 0) {
        const char *in[] = {"x"}, *out[] = {"out"};
        lm_ml_set_strings(est, "inputCols", 1, in);
        lm_ml_set_strings(est, "outputCols", 1, out);
    } else if (strcmp(cls, "OneHotEncoder") == 0) {
        const char *in[] = {"label"}, *out[] = {"out"};
        lm_ml_set_strings(est, "inputCols", 1, in);
        lm_ml_set_strings(est, "outputCols", 1, out);
    } else if (strcmp(cls, "KMeans") == 0) {
        lm_ml_set_int(est, "k", 2);
        lm_ml_set_int(est, "seed", 1);
    } else if (strcmp(cls, "StandardScaler") == 0 || strcmp(cls, "MinMaxScaler") == 0 ||
               strcmp(cls, "IDF") == 0) {
        lm_ml_set_string(est, "inputCol", "features");
        lm_ml_set_string(est, "outputCol", "out");
    }
    lm_ml_stage *m = lm_ml_fit(est, df);
    assert_non_null(m);
    lm_ml_free(est);
    return m;
}

static void test_linear_regression_data_is_spark_parquet(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    lm_ml_stage *m = fit_one(s, "LinearRegression", df);
    char *path = tmp_path("linreg_data");
    round_trip(s, m, df, "prediction", path);
    assert_data_schema(s, path, "struct<intercept:double,coefficients:" VEC ",scale:double>");
    rm_rf(path);
    free(path);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_logistic_regression_data_is_spark_parquet(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    lm_ml_stage *m = fit_one(s, "LogisticRegression", df);
    char *path = tmp_path("logreg_data");
    round_trip(s, m, df, "probability", path);
    assert_data_schema(s, path,
                       "struct<numClasses:int,numFeatures:int,interceptVector:" VEC
                       ",coefficientMatrix:" MAT ",isMultinomial:boolean>");
    /* binomial: two classes, one row of coefficients */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/data", path);
    lm_df *d = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &d), LM_OK);
    char *t = cols_text(s, d, "numClasses", "isMultinomial");
    assert_string_equal(t, "2|false");
    free(t);
    lm_df_free(d);
    rm_rf(path);
    free(path);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_string_indexer_data_is_labels_array(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    lm_ml_stage *m = fit_one(s, "StringIndexer", df);
    char *path = tmp_path("indexer_data");
    round_trip(s, m, df, "out", path);
    assert_data_schema(s, path, "struct<labelsArray:array<array<string>>>");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/data", path);
    lm_df *d = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &d), LM_OK);
    char *t = cols_text(s, d, "labelsArray", NULL);
    assert_string_equal(t, "[[b, a, c]]");
    free(t);
    lm_df_free(d);
    rm_rf(path);
    free(path);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_kmeans_data_is_one_row_per_center(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    lm_ml_stage *m = fit_one(s, "KMeans", df);
    char *path = tmp_path("kmeans_data");
    round_trip(s, m, df, "prediction", path);
    assert_data_schema(s, path, "struct<clusterIdx:int,clusterCenter:" VEC ">");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/data", path);
    lm_df *d = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &d), LM_OK);
    int64_t n = 0;
    assert_int_equal(lm_df_count(d, &n), LM_OK);
    assert_int_equal(n, 2);
    lm_df_free(d);
    rm_rf(path);
    free(path);
    lm_ml_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

/* Every other model kind round-trips, with Spark's data schema. */
static void test_feature_and_bayes_models_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *cls, *col, *schema;
    } cases[] = {
        {"StandardScaler", "out", "struct<std:" VEC ",mean:" VEC ">"},
        {"MinMaxScaler", "out", "struct<originalMin:" VEC ",originalMax:" VEC ">"},
        {"IDF", "out", "struct<idf:" VEC ",docFreq:array<bigint>,numDocs:bigint>"},
        {"OneHotEncoder", "out", "struct<categorySizes:array<int>>"},
        {"NaiveBayes", "probability", "struct<pi:" VEC ",theta:" MAT ",sigma:" MAT ">"},
        {"Imputer", "out", "struct<x:double>"}, /* surrogateDF: a column per input */
    };
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lm_ml_stage *m = fit_one(s, cases[i].cls, df);
        char *path = tmp_path("model_data");
        round_trip(s, m, df, cases[i].col, path);
        if (cases[i].schema)
            assert_data_schema(s, path, cases[i].schema);
        rm_rf(path);
        free(path);
        lm_ml_free(m);
    }
    lm_df_free(df);
    lm_session_close(s);
}

/* A folder saved by an earlier version (data/part-00000.json) still loads. */
static void test_json_lines_data_still_loads(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = small_data(s);
    lm_ml_stage *m = fit_one(s, "StringIndexer", df);
    char *path = tmp_path("old_layout");
    rm_rf(path);
    assert_int_equal(lm_ml_save(m, path, false), LM_OK);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s/data' && mkdir '%s/data' && "
             "printf '{\"labels\":[\"c\",\"b\",\"a\"]}\\n' > '%s/data/part-00000.json'",
             path, path, path);
    assert_int_equal(system(cmd), 0);
    lm_ml_stage *back = lm_ml_load(s, path);
    assert_non_null(back);
    const char *const *labels = NULL;
    int n = lm_ml_get_strings(back, "labels", &labels);
    assert_int_equal(n, 3);
    assert_string_equal(labels[0], "c");
    lm_ml_free(back);
    rm_rf(path);
    free(path);
    lm_ml_free(m);
    lm_df_free(df);
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
        cmocka_unit_test(test_linear_regression_data_is_spark_parquet),
        cmocka_unit_test(test_logistic_regression_data_is_spark_parquet),
        cmocka_unit_test(test_string_indexer_data_is_labels_array),
        cmocka_unit_test(test_kmeans_data_is_one_row_per_center),
        cmocka_unit_test(test_feature_and_bayes_models_round_trip),
        cmocka_unit_test(test_json_lines_data_still_loads),
        cmocka_unit_test(test_load_missing_path_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
