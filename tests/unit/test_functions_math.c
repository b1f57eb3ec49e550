/*
 * Specification of math-family functions through SQL: the try_ arithmetic
 * functions (Spark 3.5's TryAdd / TrySubtract / TryMultiply / TryDivide:
 * TRY mode on numbers, TryEval of the datetime / interval rewrite
 * otherwise) and conv's unsigned 64-bit conversions. Expected values are
 * Spark's (try_arithmetic.sql.out, math.sql.out, function documentation).
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

/* ------------------------------------------------------------- try_* */

static void test_try_add_is_null_on_overflow(void **state)
{
    sqlc_check(*state, "SELECT try_add(1, 1), try_add(2147483647, 1), try_add(-2147483648, -1)",
               "struct<try_add(1, 1):int,try_add(2147483647, 1):int,"
               "try_add(-2147483648, -1):int>",
               "2\tNULL\tNULL");
}

static void test_try_functions_name_their_arguments_as_written(void **state)
{
    sqlc_check(*state, "SELECT try_add(2147483647, decimal(1)), try_add(2147483647, \"1\")",
               "struct<try_add(2147483647, 1):decimal(11,0),try_add(2147483647, 1):double>",
               "2147483648\t2.147483648E9");
}

static void test_try_keeps_the_session_semantics_of_its_arguments(void **state)
{
    /* the inner sum wraps (non-ANSI); only the outer addition is TRY */
    sqlc_check(*state, "SELECT try_add(1, (2147483647 + 1))",
               "struct<try_add(1, (2147483647 + 1)):int>", "-2147483647");
}

static void test_try_divide_is_null_on_zero(void **state)
{
    sqlc_check(*state, "SELECT try_divide(1, 0), try_divide(1, decimal(0)), try_divide(1, 0.5)",
               "struct<try_divide(1, 0):double,try_divide(1, 0):decimal(12,11),"
               "try_divide(1, 0.5):decimal(8,6)>",
               "NULL\tNULL\t2.000000");
}

static void test_try_add_on_dates_and_intervals(void **state)
{
    sqlc_check(*state,
               "SELECT try_add(date'2021-01-01', 1), try_add(date'2021-01-01', interval 2 second), "
               "try_add(interval 2 year, date'2021-01-01')",
               "struct<try_add(DATE '2021-01-01', 1):date,"
               "try_add(DATE '2021-01-01', INTERVAL '02' SECOND):timestamp,"
               "try_add(INTERVAL '2' YEAR, DATE '2021-01-01'):date>",
               "2021-01-02\t2021-01-01 00:00:02\t2023-01-01");
    sqlc_check(*state, "SELECT try_add(interval 2147483647 month, interval 2 month)",
               "struct<try_add(INTERVAL '2147483647' MONTH, INTERVAL '2' MONTH):interval month>",
               "NULL");
    sqlc_fails(*state, "SELECT try_add(interval 2 year, interval 2 second)",
               "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_try_multiply_and_divide_intervals(void **state)
{
    sqlc_check(*state,
               "SELECT try_multiply(interval 2 year, 2), try_multiply(interval 2 second, 0), "
               "try_divide(interval 2 year, 2), try_divide(interval 2 second, 0)",
               "struct<try_multiply(INTERVAL '2' YEAR, 2):interval year to month,"
               "try_multiply(INTERVAL '02' SECOND, 0):interval day to second,"
               "try_divide(INTERVAL '2' YEAR, 2):interval year to month,"
               "try_divide(INTERVAL '02' SECOND, 0):interval day to second>",
               "4-0\t0 00:00:00.000000000\t1-0\tNULL");
    sqlc_check(*state,
               "SELECT try_multiply(interval 2147483647 month, 2), "
               "try_divide(interval 2147483647 month, 0.5), "
               "try_multiply(interval 106751991 day, 2)",
               NULL, "NULL\tNULL\tNULL");
}

static void test_try_subtract_intervals(void **state)
{
    sqlc_check(*state,
               "SELECT try_subtract(interval 2 year, interval 3 year), "
               "try_subtract(interval 106751991 day, interval -3 day)",
               "struct<try_subtract(INTERVAL '2' YEAR, INTERVAL '3' YEAR):interval year,"
               "try_subtract(INTERVAL '106751991' DAY, INTERVAL '-3' DAY):interval day>",
               "-1-0\tNULL");
}

/* -------------------------------------------------------------- conv */

static void test_conv_documentation_examples(void **state)
{
    sqlc_check(*state, "SELECT conv('100', 2, 10), conv(-10, 16, -10)", NULL, "4\t-16");
}

static void test_conv_negative_input_wraps_to_unsigned(void **state)
{
    sqlc_check(*state, "SELECT conv('-1', 10, 10), conv('-10', 10, 16)", NULL,
               "18446744073709551615\tFFFFFFFFFFFFFFF6");
}

static void test_conv_of_a_negative_overflow_is_all_ones(void **state)
{
    /* the magnitude overflows 64 bits: NumberConverter keeps -1 */
    sqlc_check(*state, "SELECT conv('-9223372036854775807', 36, 10)",
               "struct<conv(-9223372036854775807, 36, 10):string>", "18446744073709551615");
    sqlc_check(*state, "SELECT conv('9223372036854775807', 36, 10)", NULL,
               "18446744073709551615");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_try_add_is_null_on_overflow),
        cmocka_unit_test(test_try_functions_name_their_arguments_as_written),
        cmocka_unit_test(test_try_keeps_the_session_semantics_of_its_arguments),
        cmocka_unit_test(test_try_divide_is_null_on_zero),
        cmocka_unit_test(test_try_add_on_dates_and_intervals),
        cmocka_unit_test(test_try_multiply_and_divide_intervals),
        cmocka_unit_test(test_try_subtract_intervals),
        cmocka_unit_test(test_conv_documentation_examples),
        cmocka_unit_test(test_conv_negative_input_wraps_to_unsigned),
        cmocka_unit_test(test_conv_of_a_negative_overflow_is_all_ones),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
