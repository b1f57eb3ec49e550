/*
 * Specification of window functions through SQL: ranking and offset
 * functions, aggregates over ROWS and RANGE frames, the default frames
 * Spark fills in (and prints in the column name), named windows, and the
 * frame validation errors. Expected values come from Spark's window.sql
 * golden file.
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
                 "(null, 1L, 1.0D, DATE'2017-08-01', 'a'), (1, 1L, 1.0D, DATE'2017-08-01', 'a'), "
                 "(1, 2L, 2.5D, DATE'2017-08-02', 'a'), "
                 "(2, 2147483650L, 100.001D, DATE'2020-12-31', 'a'), "
                 "(1, null, 1.0D, DATE'2017-08-01', 'b'), (2, 3L, 3.3D, DATE'2017-08-03', 'b'), "
                 "(3, 2147483650L, 100.001D, DATE'2020-12-31', 'b'), "
                 "(null, null, null, null, null), (3, 1L, 1.0D, DATE'2017-08-01', null) "
                 "AS testData(val, val_long, val_double, val_date, cate)");
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW test_ignore_null AS SELECT * FROM VALUES "
                 "('a', 0, null), ('a', 1, 'x'), ('b', 2, null), ('c', 3, null), ('a', 4, 'y'), "
                 "('b', 5, null), ('a', 6, 'z'), ('a', 7, 'v'), ('a', 8, null) "
                 "AS test_ignore_null(content, id, v)");
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW pays AS SELECT * FROM VALUES "
                 "('Diane', 'Accounting', 8435), ('Mary', 'Accounting', 9998), "
                 "('Jeff', 'Accounting', 8992), ('Leslie', 'IT', 8113), ('Lee', 'IT', 5186) "
                 "AS pays(name, dept, salary)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ------------------------------------------------------------ ranking */

static void test_ranking_functions_use_a_rows_frame_to_the_current_row(void **state)
{
    sqlc_check(*state,
               "SELECT val, rank() OVER (ORDER BY val), row_number() OVER (ORDER BY val) "
               "FROM testData WHERE cate = 'a' ORDER BY val",
               "struct<val:int,RANK() OVER (ORDER BY val ASC NULLS FIRST ROWS BETWEEN UNBOUNDED "
               "PRECEDING AND CURRENT ROW):int,row_number() OVER (ORDER BY val ASC NULLS FIRST "
               "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):int>",
               "NULL\t1\t1\n1\t2\t2\n1\t2\t3\n2\t4\t4");
}

static void test_rank_dense_rank_percent_rank_cume_dist_ntile(void **state)
{
    sqlc_check(*state,
               "SELECT val, rank() OVER w r, dense_rank() OVER w dr, percent_rank() OVER w pr, "
               "cume_dist() OVER w cd, ntile(2) OVER w nt FROM testData WHERE cate = 'a' "
               "WINDOW w AS (PARTITION BY cate ORDER BY val) ORDER BY val, nt",
               "struct<val:int,r:int,dr:int,pr:double,cd:double,nt:int>",
               "NULL\t1\t1\t0.0\t0.25\t1\n"
               "1\t2\t2\t0.3333333333333333\t0.75\t1\n"
               "1\t2\t2\t0.3333333333333333\t0.75\t2\n"
               "2\t4\t3\t1.0\t1.0\t2");
}

static void test_ranking_function_needs_an_order(void **state)
{
    sqlc_fails(*state, "SELECT val, row_number() OVER (PARTITION BY cate) FROM testData",
               "_LEGACY_ERROR_TEMP_1037");
}

static void test_ranking_function_rejects_another_frame(void **state)
{
    sqlc_fails(*state,
               "SELECT rank() OVER (ORDER BY val ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
               "FROM testData",
               "_LEGACY_ERROR_TEMP_1036");
}

/* --------------------------------------------------------- aggregates */

static void test_aggregate_default_frame_with_order_is_range_to_current_row(void **state)
{
    sqlc_check(*state,
               "SELECT cate, sum(val) OVER (PARTITION BY cate ORDER BY val) FROM testData "
               "WHERE val IS NOT NULL ORDER BY cate, val",
               "struct<cate:string,sum(val) OVER (PARTITION BY cate ORDER BY val ASC NULLS FIRST "
               "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW):bigint>",
               "NULL\t3\na\t2\na\t2\na\t4\nb\t1\nb\t3\nb\t6");
}

static void test_aggregate_default_frame_without_order_is_the_partition(void **state)
{
    sqlc_check(*state,
               "SELECT val, sum(val) OVER (), avg(val) OVER () FROM testData "
               "WHERE cate = 'b' ORDER BY val",
               "struct<val:int,sum(val) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
               "FOLLOWING):bigint,avg(val) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
               "FOLLOWING):double>",
               "1\t6\t2.0\n2\t6\t2.0\n3\t6\t2.0");
}

static void test_rows_frame_of_the_current_row(void **state)
{
    sqlc_check(*state,
               "SELECT val, cate, count(val) OVER(PARTITION BY cate ORDER BY val ROWS CURRENT "
               "ROW) FROM testData ORDER BY cate, val",
               "struct<val:int,cate:string,count(val) OVER (PARTITION BY cate ORDER BY val ASC "
               "NULLS FIRST ROWS BETWEEN CURRENT ROW AND CURRENT ROW):bigint>",
               "NULL\tNULL\t0\n3\tNULL\t1\nNULL\ta\t0\n1\ta\t1\n1\ta\t1\n2\ta\t1\n"
               "1\tb\t1\n2\tb\t1\n3\tb\t1");
}

static void test_rows_frame_with_unbounded_start(void **state)
{
    sqlc_check(*state,
               "SELECT val, cate, sum(val) OVER(PARTITION BY cate ORDER BY val ROWS BETWEEN "
               "UNBOUNDED PRECEDING AND 1 FOLLOWING) FROM testData ORDER BY cate, val",
               NULL,
               "NULL\tNULL\t3\n3\tNULL\t3\nNULL\ta\t1\n1\ta\t2\n1\ta\t4\n2\ta\t4\n"
               "1\tb\t3\n2\tb\t6\n3\tb\t6");
}

static void test_range_frame_with_value_offsets(void **state)
{
    sqlc_check(*state,
               "SELECT val, cate, count(val) OVER(PARTITION BY cate ORDER BY val RANGE 1 "
               "PRECEDING) FROM testData ORDER BY cate, val",
               "struct<val:int,cate:string,count(val) OVER (PARTITION BY cate ORDER BY val ASC "
               "NULLS FIRST RANGE BETWEEN 1 PRECEDING AND CURRENT ROW):bigint>",
               "NULL\tNULL\t0\n3\tNULL\t1\nNULL\ta\t0\n1\ta\t2\n1\ta\t2\n2\ta\t3\n"
               "1\tb\t1\n2\tb\t2\n3\tb\t2");
    sqlc_check(*state,
               "SELECT val, cate, sum(val) OVER(PARTITION BY cate ORDER BY val DESC RANGE BETWEEN "
               "CURRENT ROW AND 1 FOLLOWING) FROM testData ORDER BY cate, val",
               NULL,
               "NULL\tNULL\tNULL\n3\tNULL\t3\nNULL\ta\tNULL\n1\ta\t2\n1\ta\t2\n2\ta\t4\n"
               "1\tb\t1\n2\tb\t3\n3\tb\t5");
}

static void test_range_frame_over_doubles_longs_and_dates(void **state)
{
    sqlc_check(*state,
               "SELECT val_double, cate, sum(val_double) OVER(PARTITION BY cate ORDER BY "
               "val_double RANGE BETWEEN CURRENT ROW AND 2.5 FOLLOWING) FROM testData "
               "WHERE cate = 'b' ORDER BY val_double",
               NULL, "1.0\tb\t4.3\n3.3\tb\t3.3\n100.001\tb\t100.001");
    sqlc_check(*state,
               "SELECT val_long, sum(val_long) OVER(PARTITION BY cate ORDER BY val_long RANGE "
               "BETWEEN CURRENT ROW AND 2147483648 FOLLOWING) FROM testData WHERE cate = 'a' "
               "ORDER BY val_long",
               NULL, "1\t4\n1\t4\n2\t2147483652\n2147483650\t2147483650");
    sqlc_check(*state,
               "SELECT val_date, max(val_date) OVER(PARTITION BY cate ORDER BY val_date RANGE "
               "BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM testData WHERE cate = 'a' "
               "ORDER BY val_date",
               "struct<val_date:date,max(val_date) OVER (PARTITION BY cate ORDER BY val_date ASC "
               "NULLS FIRST RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING):date>",
               "2017-08-01\t2017-08-02\n2017-08-01\t2017-08-02\n2017-08-02\t2017-08-02\n"
               "2020-12-31\t2020-12-31");
}

static void test_statistics_over_a_growing_frame(void **state)
{
    sqlc_check(*state,
               "SELECT val, stddev(val) OVER w sd, var_samp(val) OVER w vs, "
               "collect_list(val) OVER w cl, collect_set(val) OVER w cs FROM testData "
               "WHERE cate = 'b' WINDOW w AS (PARTITION BY cate ORDER BY val) ORDER BY val",
               "struct<val:int,sd:double,vs:double,cl:array<int>,cs:array<int>>",
               "1\tNULL\tNULL\t[1]\t[1]\n2\t0.7071067811865476\t0.5\t[1,2]\t[1,2]\n"
               "3\t1.0\t1.0\t[1,2,3]\t[1,2,3]");
}

/* ------------------------------------------------------------ offsets */

static void test_lag_and_lead_run_in_one_row_frames(void **state)
{
    sqlc_check(*state,
               "SELECT id, lag(v) OVER (ORDER BY id), lead(v, 2) OVER (ORDER BY id) "
               "FROM test_ignore_null WHERE id < 3 ORDER BY id",
               "struct<id:int,lag(v, 1, NULL) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN -1 "
               "FOLLOWING AND -1 FOLLOWING):string,lead(v, 2, NULL) OVER (ORDER BY id ASC NULLS "
               "FIRST ROWS BETWEEN 2 FOLLOWING AND 2 FOLLOWING):string>",
               "0\tNULL\tNULL\n1\tNULL\tNULL\n2\tx\tNULL");
}

static void test_lag_default_applies_outside_the_partition(void **state)
{
    sqlc_check(*state,
               "SELECT id, lag(id, 1, -1) OVER (ORDER BY id) FROM test_ignore_null "
               "WHERE id < 3 ORDER BY id",
               NULL, "0\t-1\n1\t0\n2\t1");
}

static void test_lag_lead_and_nth_value_ignoring_nulls(void **state)
{
    sqlc_check(*state,
               "SELECT id, v, lead(v, 1) IGNORE NULLS OVER w lead_1, "
               "lag(v, 1) IGNORE NULLS OVER w lag_1, nth_value(v, 2) IGNORE NULLS OVER w nth_2, "
               "first_value(v) IGNORE NULLS OVER w fv, last_value(v) IGNORE NULLS OVER w lv "
               "FROM test_ignore_null WINDOW w AS (ORDER BY id) ORDER BY id",
               "struct<id:int,v:string,lead_1:string,lag_1:string,nth_2:string,fv:string,"
               "lv:string>",
               "0\tNULL\tx\tNULL\tNULL\tNULL\tNULL\n"
               "1\tx\ty\tNULL\tNULL\tx\tx\n"
               "2\tNULL\ty\tx\tNULL\tx\tx\n"
               "3\tNULL\ty\tx\tNULL\tx\tx\n"
               "4\ty\tz\tx\ty\tx\ty\n"
               "5\tNULL\tz\ty\ty\tx\ty\n"
               "6\tz\tv\ty\ty\tx\tz\n"
               "7\tv\tNULL\tz\ty\tx\tv\n"
               "8\tNULL\tNULL\tv\ty\tx\tv");
}

static void test_nth_value_over_a_sliding_frame(void **state)
{
    sqlc_check(*state,
               "SELECT id, nth_value(v, 2) IGNORE NULLS OVER (ORDER BY id ROWS BETWEEN 2 "
               "PRECEDING AND 2 FOLLOWING) FROM test_ignore_null ORDER BY id",
               NULL, "0\tNULL\n1\tNULL\n2\ty\n3\ty\n4\tz\n5\tz\n6\tz\n7\tv\n8\tv");
}

static void test_lag_rejects_a_frame(void **state)
{
    sqlc_fails(*state,
               "SELECT lag(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
               "FROM test_ignore_null",
               "_LEGACY_ERROR_TEMP_1035");
}

/* ------------------------------------------------------ named windows */

static void test_named_window_is_substituted(void **state)
{
    sqlc_check(*state,
               "SELECT name, first_value(name) OVER w top, sum(salary) OVER w running "
               "FROM pays WINDOW w AS (PARTITION BY dept ORDER BY salary DESC) "
               "ORDER BY dept, salary DESC",
               "struct<name:string,top:string,running:bigint>",
               "Mary\tMary\t9998\nJeff\tMary\t18990\nDiane\tMary\t27425\n"
               "Leslie\tLeslie\t8113\nLee\tLeslie\t13299");
}

static void test_undefined_window_name_is_an_error(void **state)
{
    sqlc_fails(*state, "SELECT sum(salary) OVER w FROM pays", "_LEGACY_ERROR_TEMP_1004");
}

/* ----------------------------------------------------- with aggregates */

static void test_window_over_aggregated_rows(void **state)
{
    sqlc_check(*state,
               "SELECT dept, sum(salary) s, rank() OVER (ORDER BY sum(salary) DESC) r "
               "FROM pays GROUP BY dept ORDER BY r",
               "struct<dept:string,s:bigint,r:int>", "Accounting\t27425\t1\nIT\t13299\t2");
}

static void test_window_result_filtered_by_an_outer_query(void **state)
{
    sqlc_check(*state,
               "SELECT * FROM (SELECT cate, val, dense_rank() OVER (PARTITION BY cate ORDER BY "
               "val) AS r FROM testData) WHERE r <= 2 ORDER BY cate, r, val",
               "struct<cate:string,val:int,r:int>",
               "NULL\tNULL\t1\nNULL\t3\t2\na\tNULL\t1\na\t1\t2\na\t1\t2\nb\t1\t1\nb\t2\t2");
}

/* ------------------------------------------------------ frame errors */

static void test_frame_validation_errors(void **state)
{
    lm_session *s = *state;
    sqlc_fails(s,
               "SELECT count(val) OVER (PARTITION BY cate RANGE BETWEEN CURRENT ROW AND 1 "
               "FOLLOWING) FROM testData",
               "DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER");
    sqlc_fails(s,
               "SELECT count(val) OVER (PARTITION BY cate ORDER BY val, cate RANGE BETWEEN "
               "CURRENT ROW AND 1 FOLLOWING) FROM testData",
               "DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER");
    sqlc_fails(s,
               "SELECT count(val) OVER (PARTITION BY cate ROWS BETWEEN UNBOUNDED FOLLOWING "
               "AND 1 FOLLOWING) FROM testData",
               "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_INVALID_BOUND");
    sqlc_fails(s,
               "SELECT count(val) OVER (PARTITION BY cate ORDER BY val RANGE BETWEEN 1 "
               "FOLLOWING AND 1 PRECEDING) FROM testData",
               "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON");
    sqlc_fails(s,
               "SELECT sum(val_long) OVER (PARTITION BY cate ORDER BY val_long ROWS BETWEEN "
               "CURRENT ROW AND 2147483648 FOLLOWING) FROM testData",
               "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE");
    sqlc_fails(s,
               "SELECT count(1) OVER (ORDER BY CAST(1 AS STRING) RANGE BETWEEN CURRENT ROW "
               "AND 1 FOLLOWING) FROM testData",
               "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE");
    sqlc_fails(s,
               "SELECT count(val) FILTER (WHERE val > 1) OVER (PARTITION BY cate) "
               "FROM testData",
               "_LEGACY_ERROR_TEMP_1030");
}

static void test_range_offset_is_cast_to_the_order_type(void **state)
{
    sqlc_check(*state,
               "SELECT COUNT(*) OVER (PARTITION BY 1 ORDER BY cast(1 as tinyint) DESC RANGE "
               "BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM VALUES (1) AS t(x)",
               "struct<count(1) OVER (PARTITION BY 1 ORDER BY CAST(1 AS TINYINT) DESC NULLS LAST "
               "RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING):bigint>",
               "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranking_functions_use_a_rows_frame_to_the_current_row),
        cmocka_unit_test(test_rank_dense_rank_percent_rank_cume_dist_ntile),
        cmocka_unit_test(test_ranking_function_needs_an_order),
        cmocka_unit_test(test_ranking_function_rejects_another_frame),
        cmocka_unit_test(test_aggregate_default_frame_with_order_is_range_to_current_row),
        cmocka_unit_test(test_aggregate_default_frame_without_order_is_the_partition),
        cmocka_unit_test(test_rows_frame_of_the_current_row),
        cmocka_unit_test(test_rows_frame_with_unbounded_start),
        cmocka_unit_test(test_range_frame_with_value_offsets),
        cmocka_unit_test(test_range_frame_over_doubles_longs_and_dates),
        cmocka_unit_test(test_statistics_over_a_growing_frame),
        cmocka_unit_test(test_lag_and_lead_run_in_one_row_frames),
        cmocka_unit_test(test_lag_default_applies_outside_the_partition),
        cmocka_unit_test(test_lag_lead_and_nth_value_ignoring_nulls),
        cmocka_unit_test(test_nth_value_over_a_sliding_frame),
        cmocka_unit_test(test_lag_rejects_a_frame),
        cmocka_unit_test(test_named_window_is_substituted),
        cmocka_unit_test(test_undefined_window_name_is_an_error),
        cmocka_unit_test(test_window_over_aggregated_rows),
        cmocka_unit_test(test_window_result_filtered_by_an_outer_query),
        cmocka_unit_test(test_frame_validation_errors),
        cmocka_unit_test(test_range_offset_is_cast_to_the_order_type),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
