/*
 * The ETL example's pipeline with the C DataFrame API (daily_sales.c):
 * the same job as job.yaml and etl.sql.
 */
#ifndef ETL_DAILY_SALES_H
#define ETL_DAILY_SALES_H

#include "localmode.h"

/*
 * Reads input_dir/orders.csv and input_dir/products.csv, cleans, casts,
 * deduplicates, enriches and aggregates them, and returns the daily sales
 * by category (not yet written) in *out, which the caller frees. Sets the
 * session's time zone to UTC, as the job does. On failure returns the
 * status; the message is on the session (lm_errmsg).
 */
lm_status etl_daily_sales(lm_session *s, const char *input_dir, lm_df **out);

/* etl_daily_sales, then the result written as Parquet partitioned by day
   (mode overwrite) to output_dir. */
lm_status etl_write_daily_sales(lm_session *s, const char *input_dir, const char *output_dir);

#endif
