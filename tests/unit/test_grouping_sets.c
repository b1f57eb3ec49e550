/*
 * Specification of grouping sets through SQL: ROLLUP, CUBE, GROUPING
 * SETS (alone, mixed with plain keys, with repeated sets), the grouping
 * id behind grouping(), grouping_id() and grouping__id, and the errors
 * of grouping functions outside grouping sets. Expected values come from
 * Spark's group-analytics.sql golden file.
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
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW courseSales AS SELECT * FROM VALUES "
                 "('dotNET', 2012, 10000), ('Java', 2012, 20000), ('dotNET', 2012, 5000), "
                 "('dotNET', 2013, 48000), ('Java', 2013, 30000) "
                 "AS courseSales(course, year, earnings)");
    sqlc_exec(s, "CREATE OR REPLACE TEMPORARY VIEW testData AS SELECT * FROM VALUES "
                 "(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2) AS testData(a, b)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_rollup_adds_subtotals_and_a_grand_total(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, SUM(earnings) FROM courseSales GROUP BY ROLLUP(course, year) "
               "ORDER BY course, year",
               "struct<course:string,year:int,sum(earnings):bigint>",
               "NULL\tNULL\t113000\nJava\tNULL\t50000\nJava\t2012\t20000\nJava\t2013\t30000\n"
               "dotNET\tNULL\t63000\ndotNET\t2012\t15000\ndotNET\t2013\t48000");
}

static void test_cube_groups_by_every_subset_of_the_keys(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, SUM(earnings) FROM courseSales GROUP BY CUBE(course, year) "
               "ORDER BY course, year",
               NULL,
               "NULL\tNULL\t113000\nNULL\t2012\t35000\nNULL\t2013\t78000\nJava\tNULL\t50000\n"
               "Java\t2012\t20000\nJava\t2013\t30000\ndotNET\tNULL\t63000\ndotNET\t2012\t15000\n"
               "dotNET\t2013\t48000");
}

static void test_grouping_sets_with_an_empty_set(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, SUM(earnings) FROM courseSales GROUP BY course, year "
               "GROUPING SETS(course, year, ()) ORDER BY course, year",
               "struct<course:string,year:int,sum(earnings):bigint>",
               "NULL\tNULL\t113000\nNULL\t2012\t35000\nNULL\t2013\t78000\nJava\tNULL\t50000\n"
               "dotNET\tNULL\t63000");
}

static void test_with_rollup_after_plain_keys(void **state)
{
    sqlc_check(*state, "SELECT a, b, SUM(b) FROM testData GROUP BY a, b WITH ROLLUP ORDER BY a, b",
               "struct<a:int,b:int,sum(b):bigint>",
               "NULL\tNULL\t9\n1\tNULL\t3\n1\t1\t1\n1\t2\t2\n2\tNULL\t3\n2\t1\t1\n2\t2\t2\n"
               "3\tNULL\t3\n3\t1\t1\n3\t2\t2");
}

static void test_expressions_and_aliases_as_grouping_keys(void **state)
{
    sqlc_check(*state,
               "SELECT a + b AS k, b, SUM(a - b) FROM testData GROUP BY ROLLUP(k, b) "
               "ORDER BY k, b",
               "struct<k:int,b:int,sum((a - b)):bigint>",
               "NULL\tNULL\t3\n2\tNULL\t0\n2\t1\t0\n3\tNULL\t0\n3\t1\t1\n3\t2\t-1\n"
               "4\tNULL\t2\n4\t1\t2\n4\t2\t0\n5\tNULL\t1\n5\t2\t1");
}

static void test_repeated_sets_repeat_their_rows(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, SUM(earnings) FROM courseSales GROUP BY course, "
               "CUBE(course, year) ORDER BY course, year",
               NULL,
               "Java\tNULL\t50000\nJava\tNULL\t50000\nJava\t2012\t20000\nJava\t2012\t20000\n"
               "Java\t2013\t30000\nJava\t2013\t30000\ndotNET\tNULL\t63000\ndotNET\tNULL\t63000\n"
               "dotNET\t2012\t15000\ndotNET\t2012\t15000\ndotNET\t2013\t48000\n"
               "dotNET\t2013\t48000");
}

static void test_grouping_and_grouping_id_read_the_grouping_id(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, GROUPING(course), GROUPING(year), GROUPING_ID(course, year) "
               "FROM courseSales GROUP BY CUBE(course, year) ORDER BY course, year",
               "struct<course:string,year:int,grouping(course):tinyint,grouping(year):tinyint,"
               "grouping_id(course, year):bigint>",
               "NULL\tNULL\t1\t1\t3\nNULL\t2012\t1\t0\t2\nNULL\t2013\t1\t0\t2\n"
               "Java\tNULL\t0\t1\t1\nJava\t2012\t0\t0\t0\nJava\t2013\t0\t0\t0\n"
               "dotNET\tNULL\t0\t1\t1\ndotNET\t2012\t0\t0\t0\ndotNET\t2013\t0\t0\t0");
}

static void test_grouping_id_virtual_column(void **state)
{
    sqlc_check(*state,
               "SELECT course, year, grouping__id FROM courseSales GROUP BY CUBE(course, year) "
               "ORDER BY grouping__id, course, year",
               "struct<course:string,year:int,grouping__id:bigint>",
               "Java\t2012\t0\nJava\t2013\t0\ndotNET\t2012\t0\ndotNET\t2013\t0\nJava\tNULL\t1\n"
               "dotNET\tNULL\t1\nNULL\t2012\t2\nNULL\t2013\t2\nNULL\tNULL\t3");
}

static void test_grouping_functions_in_having_and_order_by(void **state)
{
    sqlc_check(*state,
               "SELECT course, year FROM courseSales GROUP BY CUBE(course, year) "
               "HAVING GROUPING(year) = 1 AND GROUPING_ID(course, year) > 0 ORDER BY course, year",
               "struct<course:string,year:int>", "NULL\tNULL\nJava\tNULL\ndotNET\tNULL");
    sqlc_check(*state,
               "SELECT course, year FROM courseSales GROUP BY CUBE(course, year) "
               "ORDER BY GROUPING(course), GROUPING(year), course, year",
               NULL,
               "Java\t2012\nJava\t2013\ndotNET\t2012\ndotNET\t2013\nJava\tNULL\ndotNET\tNULL\n"
               "NULL\t2012\nNULL\t2013\nNULL\tNULL");
}

static void test_grouping_outside_grouping_sets_is_an_error(void **state)
{
    sqlc_fails(*state,
               "SELECT course, year, GROUPING(course) FROM courseSales GROUP BY course, year",
               "UNSUPPORTED_GROUPING_EXPRESSION");
    sqlc_fails(*state,
               "SELECT course, year FROM courseSales GROUP BY course, year "
               "HAVING GROUPING_ID(course) > 0",
               "UNSUPPORTED_GROUPING_EXPRESSION");
}

static void test_grouping_id_must_list_the_keys_in_order(void **state)
{
    sqlc_fails(*state,
               "SELECT GROUPING_ID(year, course) FROM courseSales GROUP BY CUBE(course, year)",
               "GROUPING_ID_COLUMN_MISMATCH");
}

static void test_empty_set_inside_rollup_is_a_parse_error(void **state)
{
    sqlc_fails(*state,
               "SELECT course, year, SUM(earnings) FROM courseSales "
               "GROUP BY ROLLUP(course, year, (course, year), ())",
               "_LEGACY_ERROR_TEMP_0051");
}

static void test_grouping_sets_by_ordinal(void **state)
{
    sqlc_check(*state, "SELECT a, b, count(1) FROM testData GROUP BY rollup(1, 2) ORDER BY a, b",
               "struct<a:int,b:int,count(1):bigint>",
               "NULL\tNULL\t6\n1\tNULL\t2\n1\t1\t1\n1\t2\t1\n2\tNULL\t2\n2\t1\t1\n2\t2\t1\n"
               "3\tNULL\t2\n3\t1\t1\n3\t2\t1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rollup_adds_subtotals_and_a_grand_total),
        cmocka_unit_test(test_cube_groups_by_every_subset_of_the_keys),
        cmocka_unit_test(test_grouping_sets_with_an_empty_set),
        cmocka_unit_test(test_with_rollup_after_plain_keys),
        cmocka_unit_test(test_expressions_and_aliases_as_grouping_keys),
        cmocka_unit_test(test_repeated_sets_repeat_their_rows),
        cmocka_unit_test(test_grouping_and_grouping_id_read_the_grouping_id),
        cmocka_unit_test(test_grouping_id_virtual_column),
        cmocka_unit_test(test_grouping_functions_in_having_and_order_by),
        cmocka_unit_test(test_grouping_outside_grouping_sets_is_an_error),
        cmocka_unit_test(test_grouping_id_must_list_the_keys_in_order),
        cmocka_unit_test(test_empty_set_inside_rollup_is_a_parse_error),
        cmocka_unit_test(test_grouping_sets_by_ordinal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
