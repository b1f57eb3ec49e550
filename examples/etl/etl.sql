-- Daily sales by category from a shop's raw order export, as Spark SQL.
-- The same pipeline as job.yaml and daily_sales.c; run it from the
-- repository root:
--
--   localmode sql -f examples/etl/etl.sql          (prints the result)
--   spark-sql -f examples/etl/etl.sql              (the same on Spark)
--
-- Spark would write the result with
--   CREATE TABLE daily_sales USING parquet PARTITIONED BY (day)
--   LOCATION 'out/daily_sales' AS SELECT * FROM daily_sales;
-- localmode does not write tables to files from SQL yet, so the script
-- ends with the query; job.yaml writes the Parquet.

SET spark.sql.session.timeZone = UTC;

-- Everything is read as text: the export is too dirty for inferSchema.
CREATE TEMPORARY VIEW raw_orders (
  order_id STRING, order_ts STRING, customer_id STRING, product_id STRING,
  quantity STRING, unit_price STRING, channel STRING, store_id STRING)
USING csv OPTIONS (path 'fixtures/etl/orders.csv', header 'true');

CREATE TEMPORARY VIEW products (
  product_id STRING, product_name STRING, category STRING, list_price DECIMAL(10,2))
USING csv OPTIONS (path 'fixtures/etl/products.csv', header 'true');

-- Clean and cast: four timestamp layouts, prices with "$" or padding, ids
-- in any case; unreadable values become NULL and are filtered out.
CREATE TEMPORARY VIEW cleaned AS
SELECT order_id,
       CASE
         WHEN order_ts RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$'
           THEN to_timestamp(order_ts, 'yyyy-MM-dd HH:mm:ss')
         WHEN order_ts RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$'
           THEN to_timestamp(order_ts, "yyyy-MM-dd'T'HH:mm:ss")
         WHEN order_ts RLIKE '^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}$'
           THEN to_timestamp(order_ts, 'dd/MM/yyyy HH:mm')
         WHEN order_ts RLIKE '^[0-9]{4}/[0-9]{2}/[0-9]{2}$'
           THEN to_timestamp(order_ts, 'yyyy/MM/dd')
       END AS order_ts,
       upper(trim(product_id)) AS product_id,
       CAST(trim(quantity) AS INT) AS quantity,
       CAST(regexp_replace(trim(unit_price), '^[$]', '') AS DECIMAL(10,2)) AS unit_price,
       lower(trim(channel)) AS channel
FROM raw_orders;

-- The export sends some orders twice: keep the first line of each order
-- (dropDuplicates(["order_id"]) as Spark plans it).
CREATE TEMPORARY VIEW orders AS
SELECT o.* FROM (
  SELECT first(struct(*)) AS o
  FROM cleaned
  WHERE order_ts IS NOT NULL AND quantity > 0 AND unit_price > 0
  GROUP BY order_id);

-- Enrich with the product dimension; unknown products keep their sales.
CREATE TEMPORARY VIEW enriched AS
SELECT order_id,
       to_date(order_ts) AS day,
       coalesce(category, 'Unknown') AS category,
       channel,
       quantity,
       quantity * unit_price AS amount
FROM orders LEFT JOIN products USING (product_id);

CREATE TEMPORARY VIEW daily AS
SELECT day, category, sum(amount) AS revenue, sum(quantity) AS units, count(*) AS orders
FROM enriched
GROUP BY day, category;

-- Trends: a 7-day moving revenue per category, the category's rank and
-- share of the day.
CREATE TEMPORARY VIEW daily_sales AS
SELECT day, category, revenue, units, orders,
       sum(revenue) OVER (PARTITION BY category ORDER BY day
                          ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS revenue_7d,
       rank() OVER (PARTITION BY day ORDER BY revenue DESC) AS rank_in_day,
       round(revenue / sum(revenue) OVER (PARTITION BY day), 4) AS share_of_day
FROM daily;

SELECT * FROM daily_sales ORDER BY day, category;
