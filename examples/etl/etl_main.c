/*
 * The ETL example as a C program: daily sales by category, written as
 * Parquet partitioned by day.
 *
 *   etl_dataframe [INPUT_DIR [OUTPUT_DIR]]   (default fixtures/etl out/daily_sales_c)
 */
#include <stdio.h>
#include <stdlib.h>

#include "daily_sales.h"

int main(int argc, char **argv)
{
    const char *input = argc > 1 ? argv[1] : "fixtures/etl";
    const char *output = argc > 2 ? argv[2] : "out/daily_sales_c";
    char *err = NULL;
    lm_conf *conf = lm_conf_new();
    if (conf == NULL || lm_conf_set(conf, "spark.master", "local[2]") != LM_OK) {
        lm_conf_free(conf);
        return 1;
    }
    lm_session *s = lm_session_open(conf, &err);
    lm_conf_free(conf);
    if (s == NULL) {
        fprintf(stderr, "etl: %s\n", err ? err : "cannot open a session");
        free(err);
        return 1;
    }
    int rc = 0;
    if (etl_write_daily_sales(s, input, output) != LM_OK) {
        fprintf(stderr, "etl: %s\n", lm_errmsg(s));
        rc = 1;
    } else {
        printf("wrote %s\n", output);
    }
    lm_session_close(s);
    return rc;
}
