/*
 * The WINDOW operator's two paths give the same rows in the same order:
 * the column path (typed keys, hash partitioning, typed ranking loops,
 * window group limit) against the row path it replaced, which stays the
 * reference (spark.localmode.test.windowRowPath). Queries have no outer
 * ORDER BY, so the window's own output order is compared; the data has
 * NULLs, NaN, -0.0 and 0.0, duplicates, dates, decimals and arrays.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"

static int setup(void **state)
{
    lm_session *s = sqlc_open();
    sqlc_exec(s,
              "CREATE OR REPLACE TEMPORARY VIEW t AS SELECT id, "
              "CASE WHEN id % 17 = 0 THEN NULL ELSE concat('k', CAST(id * 7 % 13 AS STRING)) END "
              "AS s, "
              "CASE WHEN id % 11 = 0 THEN NULL ELSE CAST(id * 31 % 9 AS INT) END AS i, "
              "CASE WHEN id % 23 = 0 THEN CAST('NaN' AS DOUBLE) WHEN id % 19 = 0 THEN -0.0D "
              "WHEN id % 29 = 0 THEN 0.0D WHEN id % 13 = 0 THEN NULL "
              "ELSE CAST(id * 37 % 101 AS DOUBLE) / 4 END AS d, "
              "CAST(id * 53 % 7 AS BIGINT) AS l, "
              "CASE WHEN id % 7 = 0 THEN NULL ELSE date_add(DATE'2020-01-01', "
              "CAST(id * 3 % 40 AS INT)) END AS dt, "
              "CAST(id * 13 % 50 AS DECIMAL(10,2)) / 3 AS dec, id % 2 = 0 AS b, "
              "CASE WHEN id % 5 = 0 THEN array(id % 3, id % 2) ELSE array(id % 4) END AS arr "
              "FROM range(0, 700)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static char *rows_on(lm_session *s, const char *sql, bool row_path)
{
    sqlc_exec(s, row_path ? "SET spark.localmode.test.windowRowPath=true"
                          : "SET spark.localmode.test.windowRowPath=false");
    char *schema = NULL;
    char *out = sqlc_rows(s, sql, &schema);
    if (out == NULL)
        fprintf(stderr, "%s\n-> %s\n", sql, lm_errmsg(s));
    assert_non_null(out);
    free(schema);
    return out;
}

/* Runs every query on both paths and compares the text of the rows. */
static void same_on_both_paths(lm_session *s, const char *const *queries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *col = rows_on(s, queries[i], false);
        char *row = rows_on(s, queries[i], true);
        if (strcmp(col, row) != 0)
            fprintf(stderr, "paths differ: %s\n", queries[i]);
        assert_string_equal(col, row);
        free(col);
        free(row);
    }
    sqlc_exec(s, "SET spark.localmode.test.windowRowPath=false");
}

static void test_ranking_functions_match_the_row_path(void **state)
{
    static const char *const q[] = {
        "SELECT id, row_number() OVER (PARTITION BY s ORDER BY d DESC) FROM t",
        "SELECT id, rank() OVER (PARTITION BY s ORDER BY d), dense_rank() OVER (PARTITION BY s "
        "ORDER BY d) FROM t",
        "SELECT id, rank() OVER w, percent_rank() OVER w, cume_dist() OVER w FROM t "
        "WINDOW w AS (PARTITION BY i ORDER BY d DESC NULLS FIRST, l)",
        "SELECT id, ntile(3) OVER (PARTITION BY s, i ORDER BY id), ntile(7) OVER (PARTITION BY "
        "s, i ORDER BY id) FROM t",
        "SELECT id, row_number() OVER (ORDER BY d), rank() OVER (ORDER BY d) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY d ORDER BY s NULLS LAST) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY dt ORDER BY dec DESC, b) FROM t",
        "SELECT id, dense_rank() OVER (PARTITION BY b, l ORDER BY dt NULLS LAST) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY arr ORDER BY id DESC) FROM t",
        "SELECT id, rank() OVER (PARTITION BY l ORDER BY arr, id) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY CAST(d AS FLOAT) ORDER BY id) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY named_struct('a', i, 'b', s) ORDER BY id) "
        "FROM t",
        "SELECT id, row_number() OVER (PARTITION BY s ORDER BY CAST(d AS FLOAT) DESC NULLS "
        "FIRST, CAST(i AS SMALLINT)) FROM t",
        "SELECT id, row_number() OVER (PARTITION BY upper(s) ORDER BY d * 2 DESC, id % 5) FROM t",
        "SELECT id, cume_dist() OVER (PARTITION BY s ORDER BY d) FROM t WHERE 1 = 0",
    };
    same_on_both_paths(*state, q, sizeof q / sizeof q[0]);
}

static void test_offset_and_aggregate_functions_match_the_row_path(void **state)
{
    static const char *const q[] = {
        "SELECT id, lag(d) OVER (PARTITION BY s ORDER BY id), lead(s, 2, 'zz') OVER (PARTITION "
        "BY i ORDER BY d) FROM t",
        "SELECT id, lag(d, 1) IGNORE NULLS OVER (PARTITION BY s ORDER BY id), nth_value(d, 2) "
        "OVER (PARTITION BY s ORDER BY id) FROM t",
        "SELECT id, sum(d) OVER (PARTITION BY s ORDER BY id), count(*) OVER (PARTITION BY s), "
        "avg(i) OVER (PARTITION BY s ORDER BY d) FROM t",
        "SELECT id, sum(i) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 "
        "FOLLOWING), max(d) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN CURRENT ROW AND "
        "UNBOUNDED FOLLOWING) FROM t",
        "SELECT id, count(d) OVER (PARTITION BY s ORDER BY i DESC RANGE BETWEEN 2 PRECEDING AND "
        "1 FOLLOWING), sum(d) OVER (ORDER BY d RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW) "
        "FROM t",
        "SELECT id, first_value(d) OVER (PARTITION BY i ORDER BY s), last_value(s) OVER "
        "(PARTITION BY i ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) "
        "FROM t",
        "SELECT id, collect_list(id) OVER (PARTITION BY l ORDER BY d ROWS BETWEEN 1 PRECEDING "
        "AND 1 FOLLOWING) FROM t WHERE id < 200",
        "SELECT id, sum(id) OVER (PARTITION BY s ORDER BY id DESC), lag(id, 2, -1) OVER "
        "(PARTITION BY s ORDER BY id DESC), row_number() OVER (PARTITION BY s ORDER BY id DESC) "
        "FROM t",
        "SELECT id, rank() OVER (ORDER BY dt DESC), lead(id) OVER (ORDER BY dt DESC) FROM t",
    };
    same_on_both_paths(*state, q, sizeof q / sizeof q[0]);
}

static void test_window_group_limit_matches_the_row_path(void **state)
{
    static const char *const q[] = {
        "SELECT * FROM (SELECT id, s, d, row_number() OVER (PARTITION BY s ORDER BY d DESC) AS "
        "rn FROM t) WHERE rn <= 2",
        "SELECT * FROM (SELECT id, s, d, rank() OVER (PARTITION BY s ORDER BY i) AS r FROM t) "
        "WHERE r <= 3",
        "SELECT * FROM (SELECT id, s, d, dense_rank() OVER (PARTITION BY s ORDER BY i) AS r "
        "FROM t) WHERE r < 3 AND id > 5",
        "SELECT * FROM (SELECT id, s, rank() OVER (ORDER BY i) AS r, row_number() OVER (ORDER "
        "BY i) AS rn FROM t) WHERE r <= 1",
        "SELECT * FROM (SELECT id, s, row_number() OVER (PARTITION BY s ORDER BY d) AS rn, "
        "sum(d) OVER (PARTITION BY s ORDER BY d) AS sd FROM t) WHERE rn = 1",
        "SELECT count(*), sum(rn) FROM (SELECT id, row_number() OVER (PARTITION BY i ORDER BY d "
        "DESC) AS rn FROM t) WHERE 2 >= rn",
        "SELECT * FROM (SELECT id, rank() OVER (PARTITION BY l ORDER BY d) AS r FROM t) WHERE "
        "r = 0",
        "SELECT * FROM (SELECT id, rank() OVER (PARTITION BY l ORDER BY d) AS r FROM t) WHERE "
        "CAST(r AS BIGINT) < 2L",
        "SELECT * FROM (SELECT id, row_number() OVER (PARTITION BY l ORDER BY d) AS rn FROM t) "
        "WHERE rn > 95",
        /* keys without NULLs, partitions many times the limit: top rows
           picked without a sort, ties of the last place for rank only */
        "SELECT * FROM (SELECT id, l, row_number() OVER (PARTITION BY l ORDER BY id % 10 DESC) "
        "AS rn FROM t) WHERE rn <= 3",
        "SELECT * FROM (SELECT id, l, rank() OVER (PARTITION BY l ORDER BY id % 10) AS r FROM t) "
        "WHERE r <= 2",
        "SELECT * FROM (SELECT id, rank() OVER (PARTITION BY l ORDER BY id % 10) AS r, "
        "row_number() OVER (PARTITION BY l ORDER BY id % 10) AS rn FROM t) WHERE rn <= 4",
        "SELECT * FROM (SELECT id, row_number() OVER (PARTITION BY l ORDER BY id % 10 DESC) AS "
        "rn, rank() OVER (PARTITION BY l ORDER BY id % 10 DESC) AS r FROM t) WHERE r <= 1",
        "SELECT * FROM (SELECT id, row_number() OVER (PARTITION BY b ORDER BY "
        "CAST(id * 37 % 101 AS DOUBLE) / 4) AS rn FROM t) WHERE rn = 2",
        "SELECT * FROM (SELECT id, row_number() OVER (ORDER BY id * 7 % 50) AS rn FROM t) "
        "WHERE rn < 6",
    };
    same_on_both_paths(*state, q, sizeof q / sizeof q[0]);
}

/* Partitions in key order (NULL first), rows in ORDER BY order, ties
   (-0.0 and 0.0 are equal) in input order; DESC puts NaN first and NULL
   last. */
static void test_output_order_is_partition_then_order_then_input(void **state)
{
    sqlc_check(*state,
               "SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM VALUES "
               "('b', 1.0D), (NULL, 2.0D), ('a', 3.0D), ('b', CAST('NaN' AS DOUBLE)), "
               "('a', -0.0D), ('a', 0.0D), ('b', NULL) AS v(k, v)",
               "struct<k:string,v:double,rn:int>",
               "NULL\t2.0\t1\n"
               "a\t3.0\t1\na\t-0.0\t2\na\t0.0\t3\n"
               "b\tNaN\t1\nb\t1.0\t2\nb\tNULL\t3");
}

/* rank() <= 2 keeps every tie of the second place; the filter above still
   decides. */
static void test_group_limit_keeps_ties_of_rank(void **state)
{
    sqlc_check(*state,
               "SELECT k, v, r FROM (SELECT k, v, rank() OVER (PARTITION BY k ORDER BY v) AS r "
               "FROM VALUES ('a', 1), ('a', 2), ('b', 5), ('a', 2), ('a', 3), ('b', 4), "
               "('b', 4) AS v(k, v)) WHERE r <= 2",
               "struct<k:string,v:int,r:int>",
               "a\t1\t1\na\t2\t2\na\t2\t2\nb\t4\t1\nb\t4\t1");
}

/* The anchor benchmark's query shape: two rows per partition. */
static void test_group_limit_on_row_number_counts_two_rows_per_partition(void **state)
{
    sqlc_check(*state,
               "SELECT count(*) AS n, sum(rn) AS s_rn FROM (SELECT s, d, row_number() OVER "
               "(PARTITION BY s ORDER BY d DESC) AS rn FROM t) WHERE rn <= 2",
               "struct<n:bigint,s_rn:bigint>", "28\t42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranking_functions_match_the_row_path),
        cmocka_unit_test(test_offset_and_aggregate_functions_match_the_row_path),
        cmocka_unit_test(test_window_group_limit_matches_the_row_path),
        cmocka_unit_test(test_output_order_is_partition_then_order_then_input),
        cmocka_unit_test(test_group_limit_keeps_ties_of_rank),
        cmocka_unit_test(test_group_limit_on_row_number_counts_two_rows_per_partition),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
