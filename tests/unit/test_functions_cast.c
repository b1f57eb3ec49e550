/*
 * Specification of casts through SQL where the analyzer and the cast
 * kernels meet: the name of a select item that is a cast straight over a
 * column (Spark's ResolveAliases names it after the column), and numbers
 * cast to ANSI intervals. Expected values are Spark's (cast.sql.out).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"

static int setup(void **state)
{
    *state = sqlc_open();
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_cast_over_a_column_is_named_after_the_column(void **state)
{
    sqlc_check(*state, "select cast(ym as interval year to month) from values(-122S) as t(ym)",
               "struct<ym:interval year to month>", "-10-2");
    sqlc_check(*state, "select cast(dt as interval hour to second) from values(100Y) as t(dt)",
               "struct<dt:interval hour to second>", "0 00:01:40.000000000");
    sqlc_check(*state, "select cast(a as string), try_cast(a as int) from values ('7') t(a)",
               "struct<a:string,a:int>", "7\t7");
}

static void test_cast_of_an_expression_keeps_the_cast_in_the_name(void **state)
{
    sqlc_check(*state, "select cast(a + 1 as string), cast(1Y as interval year) from values (1) t(a)",
               "struct<CAST((a + 1) AS STRING):string,CAST(1 AS INTERVAL YEAR):interval year>",
               "2\t1-0");
}

static void test_decimal_to_day_time_interval_keeps_whole_end_units(void **state)
{
    sqlc_check(*state,
               "select cast(80.654321BD as interval hour to minute), "
               "cast(10.123456BD as interval day to second), "
               "cast(10.654321BD as interval month), cast(-10.123456BD as interval year to month)",
               "struct<CAST(80.654321 AS INTERVAL HOUR TO MINUTE):interval hour to minute,"
               "CAST(10.123456 AS INTERVAL DAY TO SECOND):interval day to second,"
               "CAST(10.654321 AS INTERVAL MONTH):interval month,"
               "CAST(-10.123456 AS INTERVAL YEAR TO MONTH):interval year to month>",
               "0 01:20:00.000000000\t0 00:00:10.123456000\t0-11\t-0-10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cast_over_a_column_is_named_after_the_column),
        cmocka_unit_test(test_cast_of_an_expression_keeps_the_cast_in_the_name),
        cmocka_unit_test(test_decimal_to_day_time_interval_keeps_whole_end_units),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
