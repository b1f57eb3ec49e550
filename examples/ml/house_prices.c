/*
 * The ML example: predict house prices from fixtures/ml/houses.csv.
 *
 *   load the CSV (spark.read.csv with a schema) -> split train/test
 *   (randomSplit, seed 42) -> fit a pipeline on train: index `city`
 *   (StringIndexer), one-hot encode it, assemble features
 *   (VectorAssembler), LinearRegression -> evaluate RMSE and r2 on test
 *   -> classify "expensive" houses with LogisticRegression (areaUnderROC).
 *
 * house_prices.yaml is the same program as a job file (`localmode run`);
 * the CTest example_ml_job_matches_c checks that both print the same
 * metrics.
 *
 * Usage: ml_house_prices [path/to/houses.csv]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

/* spark.read.options(header=True).schema(...).csv(path), plus the label
   of the classification: expensive = price > 300. The rows go through a
   temp view, as in the ETL example: lm_read's DataFrame cannot be
   transformed yet, a view's can. */
static lm_df *load_csv(lm_session *s, const char *path)
{
    lm_options *opts = lm_options_new();
    lm_df *raw = NULL, *view = NULL, *df = NULL;
    if (opts && lm_options_set(opts, "header", "true") == LM_OK &&
        lm_read(s, "csv", path, opts, "sqft DOUBLE, rooms BIGINT, city STRING, price DOUBLE",
                &raw) == LM_OK &&
        lm_df_create_or_replace_temp_view(raw, "raw_houses") == LM_OK &&
        (view = lm_read_table(s, "raw_houses")) != NULL)
        df = lm_df_select_expr(view, "sqft", "rooms", "city", "price",
                               "CAST(price > 300 AS DOUBLE) AS expensive", NULL);
    lm_options_free(opts);
    lm_df_free(view);
    lm_df_free(raw);
    return df;
}

static int fail(lm_session *s, const char *what)
{
    fprintf(stderr, "%s failed: %s\n", what, lm_errmsg(s));
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "fixtures/ml/houses.csv";
    lm_conf *conf = lm_conf_new();
    lm_conf_set(conf, "spark.master", "local[1]");
    lm_session *s = lm_session_open(conf, NULL);
    lm_conf_free(conf);
    if (s == NULL)
        return 1;
    int rc = 0;
    lm_df *df = load_csv(s, path);
    if (df == NULL)
        return fail(s, "load");

    /* features: StringIndexer(city) + VectorAssembler */
    lm_ml_stage *indexer = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(indexer, "inputCol", "city");
    lm_ml_set_string(indexer, "outputCol", "city_idx");
    lm_ml_stage *onehot = lm_ml_new(s, "OneHotEncoder");
    lm_ml_set_string(onehot, "inputCol", "city_idx");
    lm_ml_set_string(onehot, "outputCol", "city_vec");
    lm_ml_stage *assembler = lm_ml_new(s, "VectorAssembler");
    const char *inputs[] = {"sqft", "rooms", "city_vec"};
    lm_ml_set_strings(assembler, "inputCols", 3, inputs);
    lm_ml_set_string(assembler, "outputCol", "features");
    lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
    lm_ml_set_string(lr, "labelCol", "price");
    lm_ml_stage *pipeline = lm_ml_new(s, "Pipeline");
    lm_ml_stage *stages[] = {indexer, onehot, assembler, lr};
    lm_ml_set_stages(pipeline, "stages", 4, stages);

    /* train/test split with a seed */
    lm_df *split[2] = {NULL, NULL};
    double weights[] = {0.8, 0.2};
    if (lm_df_random_split(df, 2, weights, 42, split) != LM_OK) {
        rc = fail(s, "randomSplit");
        goto out;
    }
    int64_t ntrain = 0, ntest = 0;
    lm_df_count(split[0], &ntrain);
    lm_df_count(split[1], &ntest);
    printf("rows: %lld train, %lld test\n", (long long)ntrain, (long long)ntest);

    lm_ml_stage *model = lm_ml_fit(pipeline, split[0]);
    if (model == NULL) {
        rc = fail(s, "fit");
        goto out;
    }
    lm_ml_stage *lrm = lm_ml_pipeline_stage(model, 3);
    const double *coef;
    int nc = lm_ml_get_doubles(lrm, "coefficients", &coef);
    double icpt = 0;
    lm_ml_get_double(lrm, "intercept", &icpt);
    printf("coefficients:");
    for (int i = 0; i < nc; i++)
        printf(" %.4f", coef[i]);
    printf("\nintercept: %.4f\n", icpt);

    lm_df *pred = lm_ml_transform(model, split[1]);
    lm_ml_stage *ev = lm_ml_new(s, "RegressionEvaluator");
    lm_ml_set_string(ev, "labelCol", "price");
    double rmse = 0, r2 = 0;
    if (pred == NULL || lm_ml_evaluate(ev, pred, &rmse) != LM_OK) {
        rc = fail(s, "evaluate");
    } else {
        lm_ml_set_string(ev, "metricName", "r2");
        lm_ml_evaluate(ev, pred, &r2);
        printf("test RMSE: %.12g\ntest r2: %.12g\n", rmse, r2);
        lm_df *shown = lm_df_select(pred, lm_col("city"), lm_col("features"), lm_col("price"),
                                    lm_col("prediction"), NULL);
        lm_df_show(shown, 5, 20, false);
        lm_df_free(shown);
    }

    /* classification: is the house expensive? */
    lm_ml_stage *logreg = lm_ml_new(s, "LogisticRegression");
    lm_ml_set_string(logreg, "labelCol", "expensive");
    lm_ml_set_double(logreg, "regParam", 0.01);
    lm_ml_stage *cpipe = lm_ml_new(s, "Pipeline");
    lm_ml_stage *cstages[] = {indexer, onehot, assembler, logreg};
    lm_ml_set_stages(cpipe, "stages", 4, cstages);
    lm_ml_stage *cmodel = lm_ml_fit(cpipe, split[0]);
    lm_df *cpred = cmodel ? lm_ml_transform(cmodel, split[1]) : NULL;
    lm_ml_stage *bev = lm_ml_new(s, "BinaryClassificationEvaluator");
    lm_ml_set_string(bev, "labelCol", "expensive");
    double auc = 0;
    if (cpred == NULL || lm_ml_evaluate(bev, cpred, &auc) != LM_OK)
        rc = fail(s, "classification");
    else
        printf("test areaUnderROC: %.12g\n", auc);

    lm_ml_free(bev);
    lm_df_free(cpred);
    lm_ml_free(cmodel);
    lm_ml_free(cpipe);
    lm_ml_free(logreg);
    lm_ml_free(ev);
    lm_df_free(pred);
    lm_ml_free(lrm);
    lm_ml_free(model);
out:
    lm_df_free(split[0]);
    lm_df_free(split[1]);
    lm_ml_free(pipeline);
    lm_ml_free(lr);
    lm_ml_free(assembler);
    lm_ml_free(onehot);
    lm_ml_free(indexer);
    lm_df_free(df);
    lm_session_close(s);
    return rc;
}
