/*
 * Specification of the aggregate functions through SQL: Spark 3.5's
 * result types, generated column names, NULL and overflow behaviour
 * (spark.sql.ansi.enabled=false), and the analysis errors of aggregate
 * queries. Expected values are Spark's (its golden files and function
 * documentation).
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
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW testData AS SELECT * FROM VALUES "
                 "(1, 1), (1, 2), (2, 1), (1, 1), (null, 2), (1, null), (null, null) "
                 "AS testData(a, b)");
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW aggr AS SELECT * FROM VALUES "
                 "(0, 0), (0, 10), (0, 20), (0, 30), (0, 40), (1, 10), (1, 20), (2, 10), "
                 "(2, 20), (2, 25), (2, 30), (3, 60), (4, null) AS aggr(k, v)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ------------------------------------------------------------- count */

static void test_count_counts_rows_where_every_argument_is_non_null(void **state)
{
    sqlc_check(*state,
               "SELECT count(*), count(1), count(null), count(a), count(b), count(a + b), "
               "count(a, b) FROM testData",
               "struct<count(1):bigint,count(1):bigint,count(NULL):bigint,count(a):bigint,"
               "count(b):bigint,count((a + b)):bigint,count(a, b):bigint>",
               "7\t7\t0\t5\t5\t4\t4");
}

static void test_count_distinct_counts_distinct_non_null_tuples(void **state)
{
    sqlc_check(*state,
               "SELECT count(DISTINCT a), count(DISTINCT a, b), count(DISTINCT *) FROM testData",
               "struct<count(DISTINCT a):bigint,count(DISTINCT a, b):bigint,"
               "count(DISTINCT a, b):bigint>",
               "2\t3\t3");
}

static void test_count_without_arguments_needs_the_legacy_conf(void **state)
{
    sqlc_fails(*state, "SELECT count() FROM testData", "WRONG_NUM_ARGS.WITH_SUGGESTION");
}

static void test_count_of_qualified_star_is_rejected(void **state)
{
    sqlc_fails(*state, "SELECT count(testData.*) FROM testData", "_LEGACY_ERROR_TEMP_1021");
}

/* --------------------------------------------------------------- sum */

static void test_sum_result_types_follow_the_input(void **state)
{
    sqlc_check(*state,
               "SELECT sum(a), sum(CAST(a AS DOUBLE)), sum(CAST(a AS DECIMAL(5,2))), "
               "sum(CAST(a AS STRING)) FROM testData",
               "struct<sum(a):bigint,sum(CAST(a AS DOUBLE)):double,"
               "sum(CAST(a AS DECIMAL(5,2))):decimal(15,2),sum(CAST(a AS STRING)):double>",
               "6\t6.0\t6.00\t6.0");
}

static void test_sum_of_no_rows_is_null_and_count_is_zero(void **state)
{
    sqlc_check(*state, "SELECT sum(a), count(a) FROM testData WHERE a > 100", NULL, "NULL\t0");
}

static void test_sum_of_longs_wraps_around_on_overflow(void **state)
{
    sqlc_check(*state, "SELECT sum(x) FROM VALUES (9223372036854775807L), (1L) AS v(x)",
               "struct<sum(x):bigint>", "-9223372036854775808");
}

static void test_decimal_sum_that_overflows_is_null(void **state)
{
    sqlc_check(*state,
               "SELECT sum(x) FROM VALUES "
               "(CAST('99999999999999999999999999999999999999' AS DECIMAL(38,0))), "
               "(CAST(1 AS DECIMAL(38,0))) AS v(x)",
               "struct<sum(x):decimal(38,0)>", "NULL");
}

static void test_sum_of_boolean_is_a_type_mismatch(void **state)
{
    sqlc_fails(*state, "SELECT sum(x) FROM VALUES (true) AS v(x)",
               "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

/* --------------------------------------------------------------- avg */

static void test_avg_returns_double_or_wider_decimal(void **state)
{
    sqlc_check(*state, "SELECT avg(a), avg(CAST(a AS DECIMAL(5,2))), mean(b) FROM testData",
               "struct<avg(a):double,avg(CAST(a AS DECIMAL(5,2))):decimal(9,6),mean(b):double>",
               "1.2\t1.200000\t1.4");
}

static void test_avg_of_decimals_rounds_half_up_to_scale_plus_four(void **state)
{
    sqlc_check(*state,
               "SELECT avg(x) FROM VALUES (CAST(1 AS DECIMAL(3,0))), (CAST(1 AS DECIMAL(3,0))), "
               "(CAST(2 AS DECIMAL(3,0))) AS v(x)",
               "struct<avg(x):decimal(7,4)>", "1.3333");
}

/* ----------------------------------------------------- min, max, by */

static void test_min_max_keep_the_input_type(void **state)
{
    sqlc_check(*state,
               "SELECT min(s), max(s), min(d), max(d) FROM VALUES "
               "('b', DATE'2020-01-02'), ('a', DATE'2021-01-01'), (NULL, NULL) AS v(s, d)",
               "struct<min(s):string,max(s):string,min(d):date,max(d):date>",
               "a\tb\t2020-01-02\t2021-01-01");
}

static void test_max_by_and_min_by_pick_the_value_of_the_extreme_row(void **state)
{
    sqlc_check(*state,
               "SELECT max_by(x, y), min_by(x, y) FROM VALUES ('a', 10), ('b', 50), ('c', 20) "
               "AS tab(x, y)",
               "struct<max_by(x, y):string,min_by(x, y):string>", "b\ta");
}

/* ------------------------------------------------------- first, last */

static void test_first_and_last_respect_nulls_unless_asked(void **state)
{
    sqlc_check(*state,
               "SELECT first(x) f, first(x) IGNORE NULLS fi, first(x, true) ft, last(x) l, "
               "last(x, true) lt, any_value(x, true) av FROM VALUES (NULL), (1), (2), (NULL) "
               "AS v(x)",
               "struct<f:int,fi:int,ft:int,l:int,lt:int,av:int>", "NULL\t1\t1\tNULL\t2\t1");
}

static void test_first_is_named_after_its_input_only(void **state)
{
    sqlc_check(*state, "SELECT first(a), last_value(b) FROM testData",
               "struct<first(a):int,last_value(b):int>", "1\tNULL");
}

/* ----------------------------------------------------------- boolean */

static void test_boolean_aggregates(void **state)
{
    sqlc_check(*state,
               "SELECT bool_and(x), every(x), bool_or(x), some(x), any(x), count_if(x) "
               "FROM VALUES (true), (false), (NULL), (true) AS v(x)",
               "struct<bool_and(x):boolean,every(x):boolean,bool_or(x):boolean,"
               "some(x):boolean,any(x):boolean,count_if(x):bigint>",
               "false\tfalse\ttrue\ttrue\ttrue\t2");
}

/* -------------------------------------------------------- statistics */

static void test_stddev_and_variance(void **state)
{
    sqlc_check(*state,
               "SELECT stddev(c), stddev_pop(c), var_samp(c), var_pop(c), std(c), variance(c) "
               "FROM VALUES (1), (2), (3) AS tab(c)",
               "struct<stddev(c):double,stddev_pop(c):double,var_samp(c):double,"
               "var_pop(c):double,std(c):double,variance(c):double>",
               "1.0\t0.816496580927726\t1.0\t0.6666666666666666\t1.0\t1.0");
}

static void test_sample_statistics_of_one_row_are_null(void **state)
{
    sqlc_check(*state,
               "SELECT stddev_samp(c), var_samp(c), covar_samp(c, c), stddev_pop(c) "
               "FROM VALUES (1) AS tab(c)",
               NULL, "NULL\tNULL\tNULL\t0.0");
}

static void test_sample_statistics_of_one_row_are_nan_under_legacy_conf(void **state)
{
    lm_session *s = *state;
    assert_int_equal(lm_session_conf_set(s, "spark.sql.legacy.statisticalAggregate", "true"),
                     LM_OK);
    sqlc_check(s, "SELECT stddev_samp(c), var_samp(c) FROM VALUES (1) AS tab(c)", NULL, "NaN\tNaN");
    assert_int_equal(lm_session_conf_set(s, "spark.sql.legacy.statisticalAggregate", "false"),
                     LM_OK);
}

/* Values of window.sql.out, where Spark updates the moments row by row in
   one pass, as a single-partition aggregate does. */
static void test_skewness_and_kurtosis(void **state)
{
    sqlc_check(*state,
               "SELECT skewness(col), kurtosis(col) FROM VALUES (1.0D), (3.3D), (100.001D) "
               "AS tab(col)",
               "struct<skewness(col):double,kurtosis(col):double>",
               "0.7057890433107311\t-1.4999999999999984");
}

static void test_covariance_and_correlation(void **state)
{
    sqlc_check(*state,
               "SELECT covar_pop(c1, c2), covar_samp(c1, c2), corr(c1, c2) "
               "FROM VALUES (3, 2), (3, 3), (6, 4) AS tab(c1, c2)",
               "struct<covar_pop(c1, c2):double,covar_samp(c1, c2):double,corr(c1, c2):double>",
               "1.0\t1.5\t0.8660254037844387");
}

static void test_corr_of_a_constant_column_is_null(void **state)
{
    sqlc_check(*state, "SELECT corr(x, y) FROM VALUES (1, 1), (1, 2) AS v(x, y)", NULL, "NULL");
}

static void test_regression_functions(void **state)
{
    sqlc_check(*state,
               "SELECT regr_count(y, x), regr_avgx(y, x), regr_avgy(y, x), regr_slope(y, x), "
               "regr_intercept(y, x) FROM VALUES (1, 2), (2, 4), (3, 6), (NULL, 8) AS v(y, x)",
               "struct<regr_count(y, x):bigint,regr_avgx(y, x):double,regr_avgy(y, x):double,"
               "regr_slope(y, x):double,regr_intercept(y, x):double>",
               "3\t4.0\t2.0\t0.5\t0.0");
}

/* ------------------------------------------------------- collections */

static void test_collect_list_and_set_skip_nulls(void **state)
{
    sqlc_check(*state, "SELECT collect_list(b), collect_set(b), array_agg(a) FROM testData",
               "struct<collect_list(b):array<int>,collect_set(b):array<int>,"
               "array_agg(a):array<int>>",
               "[1,2,1,1,2]\t[1,2]\t[1,1,2,1,1]");
}

static void test_mode_is_the_most_frequent_value(void **state)
{
    sqlc_check(*state, "SELECT mode(col) FROM VALUES (0), (10), (10) AS tab(col)",
               "struct<mode(col):int>", "10");
}

/* -------------------------------------------------------- percentiles */

static void test_percentile_interpolates(void **state)
{
    sqlc_check(*state, "SELECT percentile(col, 0.3), median(col) FROM VALUES (0), (10) AS tab(col)",
               "struct<percentile(col, 0.3, 1):double,median(col):double>", "3.0\t5.0");
}

static void test_percentile_cont_and_disc_within_group(void **state)
{
    sqlc_check(*state,
               "SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY v), "
               "percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC), "
               "percentile_disc(0.25) WITHIN GROUP (ORDER BY v) FROM aggr",
               "struct<percentile_cont(0.25) WITHIN GROUP (ORDER BY v):double,"
               "percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC):double,"
               "percentile_disc(0.25) WITHIN GROUP (ORDER BY v):double>",
               "10.0\t30.0\t10.0");
}

static void test_percentile_rejects_percentages_out_of_range(void **state)
{
    sqlc_fails(*state, "SELECT percentile(v, 1.5) FROM aggr",
               "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
}

static void test_percentile_approx_keeps_the_input_type(void **state)
{
    sqlc_check(*state,
               "SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10) "
               "AS tab(col)",
               "struct<percentile_approx(col, 0.5, 100):int>", "7");
    sqlc_check(*state, "SELECT percentile_approx(DISTINCT a, 0.8) FROM testData",
               "struct<percentile_approx(DISTINCT a, 0.8, 10000):int>", "2");
}

static void test_approx_count_distinct(void **state)
{
    sqlc_check(*state,
               "SELECT approx_count_distinct(col1) FROM VALUES (1), (1), (2), (2), (3) "
               "tab(col1)",
               "struct<approx_count_distinct(col1):bigint>", "3");
}

/* count_min_sketch: the serialised header (version 1, total count, depth,
   width, the row multipliers from java.util.Random(seed)) and a table
   whose every row counts each non-NULL value once. */
static void test_count_min_sketch(void **state)
{
    /* eps 0.5 -> width 4; confidence 0.5 -> depth 1; Random(1).nextInt(2^31 - 1) */
    sqlc_check(*state, "SELECT hex(count_min_sketch(a, 0.5d, 0.5d, 1)) FROM testData WHERE a > 5",
               "struct<hex(count_min_sketch(a, 0.5, 0.5, 1)):string>",
               "0000000100000000000000000000000100000004000000005D8D6AB9"
               "0000000000000000000000000000000000000000000000000000000000000000");
    /* five non-NULL values of a; depth 2 at confidence 0.75 */
    sqlc_check(*state,
               "SELECT substr(hex(s), 1, 40), length(s) FROM (SELECT count_min_sketch(a, 0.5d, "
               "0.75d, 1) AS s FROM testData) t",
               "struct<substr(hex(s), 1, 40):string,length(s):int>",
               "0000000100000000000000050000000200000004\t100");
    sqlc_fails(*state, "SELECT count_min_sketch(a, 0d, 0.5d, 1) FROM testData",
               "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
    sqlc_fails(*state, "SELECT count_min_sketch(a, 0.5d, 1d, 1) FROM testData",
               "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE");
    sqlc_fails(*state, "SELECT count_min_sketch(a, b, 0.5d, 1) FROM testData",
               "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
    sqlc_fails(*state, "SELECT count_min_sketch(1.5d, 0.5d, 0.5d, 1)",
               "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

/* ------------------------------------------------ aggregate queries */

static void test_filter_clause_selects_the_rows_an_aggregate_sees(void **state)
{
    sqlc_check(*state, "SELECT count(b) FILTER (WHERE a >= 2), count(b) FROM testData",
               "struct<count(b) FILTER (WHERE (a >= 2)):bigint,count(b):bigint>", "1\t5");
}

static void test_group_by_with_having_on_an_alias(void **state)
{
    sqlc_check(*state, "SELECT k, count(v) AS cnt FROM aggr GROUP BY k HAVING cnt > 1 ORDER BY k",
               "struct<k:int,cnt:bigint>", "0\t5\n1\t2\n2\t4");
}

static void test_group_by_all_groups_by_the_non_aggregate_items(void **state)
{
    sqlc_check(*state, "SELECT k, sum(v) FROM aggr GROUP BY ALL ORDER BY k",
               "struct<k:int,sum(v):bigint>", "0\t100\n1\t30\n2\t85\n3\t60\n4\tNULL");
}

static void test_column_outside_group_by_is_missing_aggregation(void **state)
{
    sqlc_fails(*state, "SELECT a, b, count(*) FROM testData GROUP BY a", "MISSING_AGGREGATION");
}

static void test_column_without_group_by_is_missing_group_by(void **state)
{
    sqlc_fails(*state, "SELECT a, count(b) FROM testData", "MISSING_GROUP_BY");
}

static void test_nested_aggregate_is_rejected(void **state)
{
    sqlc_fails(*state, "SELECT sum(count(a)) FROM testData", "NESTED_AGGREGATE_FUNCTION");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_counts_rows_where_every_argument_is_non_null),
        cmocka_unit_test(test_count_distinct_counts_distinct_non_null_tuples),
        cmocka_unit_test(test_count_without_arguments_needs_the_legacy_conf),
        cmocka_unit_test(test_count_of_qualified_star_is_rejected),
        cmocka_unit_test(test_sum_result_types_follow_the_input),
        cmocka_unit_test(test_sum_of_no_rows_is_null_and_count_is_zero),
        cmocka_unit_test(test_sum_of_longs_wraps_around_on_overflow),
        cmocka_unit_test(test_decimal_sum_that_overflows_is_null),
        cmocka_unit_test(test_sum_of_boolean_is_a_type_mismatch),
        cmocka_unit_test(test_avg_returns_double_or_wider_decimal),
        cmocka_unit_test(test_avg_of_decimals_rounds_half_up_to_scale_plus_four),
        cmocka_unit_test(test_min_max_keep_the_input_type),
        cmocka_unit_test(test_max_by_and_min_by_pick_the_value_of_the_extreme_row),
        cmocka_unit_test(test_first_and_last_respect_nulls_unless_asked),
        cmocka_unit_test(test_first_is_named_after_its_input_only),
        cmocka_unit_test(test_boolean_aggregates),
        cmocka_unit_test(test_stddev_and_variance),
        cmocka_unit_test(test_sample_statistics_of_one_row_are_null),
        cmocka_unit_test(test_sample_statistics_of_one_row_are_nan_under_legacy_conf),
        cmocka_unit_test(test_skewness_and_kurtosis),
        cmocka_unit_test(test_covariance_and_correlation),
        cmocka_unit_test(test_corr_of_a_constant_column_is_null),
        cmocka_unit_test(test_regression_functions),
        cmocka_unit_test(test_collect_list_and_set_skip_nulls),
        cmocka_unit_test(test_mode_is_the_most_frequent_value),
        cmocka_unit_test(test_percentile_interpolates),
        cmocka_unit_test(test_percentile_cont_and_disc_within_group),
        cmocka_unit_test(test_percentile_rejects_percentages_out_of_range),
        cmocka_unit_test(test_percentile_approx_keeps_the_input_type),
        cmocka_unit_test(test_approx_count_distinct),
        cmocka_unit_test(test_count_min_sketch),
        cmocka_unit_test(test_filter_clause_selects_the_rows_an_aggregate_sees),
        cmocka_unit_test(test_group_by_with_having_on_an_alias),
        cmocka_unit_test(test_group_by_all_groups_by_the_non_aggregate_items),
        cmocka_unit_test(test_column_outside_group_by_is_missing_aggregation),
        cmocka_unit_test(test_column_without_group_by_is_missing_group_by),
        cmocka_unit_test(test_nested_aggregate_is_rejected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
