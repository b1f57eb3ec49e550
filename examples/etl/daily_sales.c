/*
 * Daily sales by category from a shop's raw order export, written with
 * localmode's DataFrame API as a Spark developer writes it with PySpark or
 * Scala: read, clean and cast (F.when / rlike / to_timestamp), filter,
 * dropDuplicates, join with the product dimension, groupBy().agg(), window
 * functions, write partitioned Parquet. The same pipeline as job.yaml and
 * etl.sql; test_etl.c checks that the three write the same rows.
 *
 * Every transformation returns a new DataFrame or NULL, and a NULL input
 * makes the next call return NULL at once, so the chain is checked once at
 * the end; handles are freed in any order (localmode.h, Ownership).
 */
#include <stdio.h>

#include "daily_sales.h"

#define ORDERS_SCHEMA                                                                              \
    "order_id STRING, order_ts STRING, customer_id STRING, product_id STRING, "                    \
    "quantity STRING, unit_price STRING, channel STRING, store_id STRING"
#define PRODUCTS_SCHEMA                                                                            \
    "product_id STRING, product_name STRING, category STRING, list_price DECIMAL(10,2)"

/*
 * spark.read.option("header", true).schema(...).csv(path), kept as a temp
 * view and read back with spark.table: lm_read's DataFrame holds rows that
 * the DataFrame API cannot transform yet (sources are not relations in
 * the engine), while a view's can.
 */
static lm_df *read_csv(lm_session *s, const char *dir, const char *file, const char *schema,
                       const char *view)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    lm_options *o = lm_options_new();
    lm_df *df = NULL, *table = NULL;
    if (o && lm_options_set(o, "header", "true") == LM_OK &&
        lm_read(s, "csv", path, o, schema, &df) == LM_OK &&
        lm_df_create_or_replace_temp_view(df, view) == LM_OK)
        table = lm_read_table(s, view);
    lm_options_free(o);
    lm_df_free(df);
    return table;
}

/* when(order_ts rlike regex, to_timestamp(order_ts, pattern)) */
static lm_column *layout(lm_column *base, const char *regex, const char *pattern)
{
    return lm_when(base, lm_fn("rlike", lm_col("order_ts"), lm_lit_string(regex), NULL),
                   lm_fn("to_timestamp", lm_col("order_ts"), lm_lit_string(pattern), NULL));
}

/* The export's four timestamp layouts; anything else becomes NULL. */
static lm_column *parse_order_ts(void)
{
    lm_column *ts = layout(NULL, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
                           "yyyy-MM-dd HH:mm:ss");
    ts = layout(ts, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$",
                "yyyy-MM-dd'T'HH:mm:ss");
    ts = layout(ts, "^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}$", "dd/MM/yyyy HH:mm");
    ts = layout(ts, "^[0-9]{4}/[0-9]{2}/[0-9]{2}$", "yyyy/MM/dd");
    return lm_alias(ts, "order_ts");
}

static lm_column *trimmed(const char *name)
{
    return lm_fn("trim", lm_col(name), NULL);
}

lm_status etl_daily_sales(lm_session *s, const char *input_dir, lm_df **out)
{
    *out = NULL;
    if (lm_session_conf_set(s, "spark.sql.session.timeZone", "UTC") != LM_OK)
        return LM_ERROR;
    lm_df *raw = read_csv(s, input_dir, "orders.csv", ORDERS_SCHEMA, "raw_orders");
    lm_df *products = read_csv(s, input_dir, "products.csv", PRODUCTS_SCHEMA, "products");

    /* clean and cast: unreadable values become NULL */
    lm_df *cleaned =
        lm_df_select(raw, lm_col("order_id"), parse_order_ts(),
                     lm_alias(lm_fn("upper", trimmed("product_id"), NULL), "product_id"),
                     lm_alias(lm_cast(trimmed("quantity"), "int"), "quantity"),
                     lm_alias(lm_cast(lm_fn("regexp_replace", trimmed("unit_price"),
                                            lm_lit_string("^[$]"), lm_lit_string(""), NULL),
                                      "decimal(10,2)"),
                              "unit_price"),
                     lm_alias(lm_fn("lower", trimmed("channel"), NULL), "channel"), NULL);
    lm_df *valid = lm_df_filter(cleaned, lm_and(lm_and(lm_is_not_null(lm_col("order_ts")),
                                                       lm_gt(lm_col("quantity"), lm_lit_int(0))),
                                                lm_gt(lm_col("unit_price"), lm_lit_int(0))));
    /* the export sends some orders twice */
    lm_df *orders = lm_df_drop_duplicates(valid, "order_id", NULL);

    /* enrich; unknown products keep their sales */
    const char *key[] = {"product_id"};
    lm_df *joined = lm_df_join_using(orders, products, 1, key, "left");
    lm_df *enriched = lm_df_select(
        joined, lm_col("order_id"), lm_alias(lm_fn("to_date", lm_col("order_ts"), NULL), "day"),
        lm_alias(lm_fn("coalesce", lm_col("category"), lm_lit_string("Unknown"), NULL), "category"),
        lm_col("channel"), lm_col("quantity"),
        lm_alias(lm_mul(lm_col("quantity"), lm_col("unit_price")), "amount"), NULL);

    lm_df *daily = lm_grouped_agg(lm_df_group_by(enriched, lm_col("day"), lm_col("category"), NULL),
                                  lm_alias(lm_fn("sum", lm_col("amount"), NULL), "revenue"),
                                  lm_alias(lm_fn("sum", lm_col("quantity"), NULL), "units"),
                                  lm_alias(lm_count_star(), "orders"), NULL);

    /* trends: 7-day moving revenue, rank and share of the day */
    lm_window *last7 = lm_window_rows_between(
        lm_window_order_by(lm_window_partition_by(lm_window_new(), lm_col("category"), NULL),
                           lm_col("day"), NULL),
        -6, LM_WINDOW_CURRENT_ROW);
    lm_window *by_revenue =
        lm_window_order_by(lm_window_partition_by(lm_window_new(), lm_col("day"), NULL),
                           lm_desc(lm_col("revenue")), NULL);
    lm_window *whole_day = lm_window_partition_by(lm_window_new(), lm_col("day"), NULL);
    lm_df *result = lm_df_select(
        daily, lm_col("day"), lm_col("category"), lm_col("revenue"), lm_col("units"),
        lm_col("orders"),
        lm_alias(lm_over(lm_fn("sum", lm_col("revenue"), NULL), last7), "revenue_7d"),
        lm_alias(lm_over(lm_fn("rank", NULL), by_revenue), "rank_in_day"),
        lm_alias(lm_fn("round",
                       lm_div(lm_col("revenue"),
                              lm_over(lm_fn("sum", lm_col("revenue"), NULL), whole_day)),
                       lm_lit_int(4), NULL),
                 "share_of_day"),
        NULL);

    lm_df *steps[] = {raw, products, cleaned, valid, orders, joined, enriched, daily};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        lm_df_free(steps[i]);
    *out = result;
    return result ? LM_OK : LM_ERROR;
}

lm_status etl_write_daily_sales(lm_session *s, const char *input_dir, const char *output_dir)
{
    lm_df *result;
    lm_status st = etl_daily_sales(s, input_dir, &result);
    const char *by_day[] = {"day"};
    if (st == LM_OK)
        st = lm_write(result, "parquet", output_dir, "overwrite", NULL, by_day, 1);
    lm_df_free(result);
    return st;
}
