/*
 * Specification of + - * / on dates, timestamps and intervals through SQL:
 * the expression Spark 3.5's analyzer puts in place of the operator
 * (ResolveBinaryArithmetic) decides the result type and the generated
 * column name (date_add(...), `ts + INTERVAL ...` without parentheses,
 * `(ts1 - ts2)` ...), and the session time zone decides how timestamps
 * move. Expected values follow Spark's expression sources and golden files
 * (extract.sql, try_arithmetic.sql, promoteStrings.sql).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"

static int setup(void **state)
{
    *state = sqlc_open(); /* America/Los_Angeles */
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ------------------------------------------------------ date and days */

static void test_date_plus_days_is_date_add(void **state)
{
    sqlc_check(*state, "select date'2021-01-01' + 1, 1 + date'2021-01-01', date'2021-01-01' - 1",
               "struct<date_add(DATE '2021-01-01', 1):date,date_add(DATE '2021-01-01', 1):date,"
               "date_sub(DATE '2021-01-01', 1):date>",
               "2021-01-02\t2021-01-02\t2020-12-31");
}

static void test_date_plus_string_is_an_error_on_the_double(void **state)
{
    /* PromoteStrings makes '1' a DOUBLE, which date_add does not take */
    sqlc_fails(*state, "select date'2021-01-01' + '1'", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    sqlc_fails(*state, "select '1' + date'2021-01-01'", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    sqlc_fails(*state, "select date'2021-01-01' - '1'", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    sqlc_fails(*state, "select date'2021-01-01' + 1L", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_date_minus_date_is_an_interval_day(void **state)
{
    sqlc_check(*state,
               "select date'2021-01-01' - date'2020-12-01', '2021-01-01' - date'2020-12-31'",
               "struct<(DATE '2021-01-01' - DATE '2020-12-01'):interval day,"
               "(2021-01-01 - DATE '2020-12-31'):interval day>",
               "31 00:00:00.000000000\t1 00:00:00.000000000");
}

/* ------------------------------------------------ date and intervals */

static void test_date_plus_day_interval_stays_a_date(void **state)
{
    sqlc_check(*state, "select date'2021-01-01' + interval 2 day, date'2021-01-01' - interval 2 day",
               "struct<date_add(DATE '2021-01-01', extractansiintervaldays(INTERVAL '2' DAY)):date,"
               "date_add(DATE '2021-01-01', (- extractansiintervaldays(INTERVAL '2' DAY))):date>",
               "2021-01-03\t2020-12-30");
}

static void test_date_plus_time_interval_is_a_timestamp(void **state)
{
    sqlc_check(*state,
               "select date'2021-01-01' + interval 2 hour, interval 2 hour + date'2021-01-01', "
               "date'2021-01-01' - interval 2 hour",
               "struct<DATE '2021-01-01' + INTERVAL '02' HOUR:timestamp,"
               "DATE '2021-01-01' + INTERVAL '02' HOUR:timestamp,"
               "DATE '2021-01-01' - INTERVAL '02' HOUR:timestamp>",
               "2021-01-01 02:00:00\t2021-01-01 02:00:00\t2020-12-31 22:00:00");
}

static void test_date_plus_months_clamps_to_the_month_end(void **state)
{
    sqlc_check(*state,
               "select date'2021-03-31' + interval 1 month, interval 1 month + date'2021-03-31', "
               "date'2021-03-31' - interval 1 month",
               "struct<DATE '2021-03-31' + INTERVAL '1' MONTH:date,"
               "DATE '2021-03-31' + INTERVAL '1' MONTH:date,"
               "DATE '2021-03-31' - INTERVAL '1' MONTH:date>",
               "2021-04-30\t2021-04-30\t2021-02-28");
}

/* ------------------------------------------- timestamps and intervals */

static void test_timestamp_plus_interval_keeps_its_type(void **state)
{
    sqlc_check(*state,
               "select timestamp'2021-01-01 00:00:00' + interval 2 year, "
               "timestamp_ntz'2021-01-01 00:00:00' - interval '1 02:00:00' day to second",
               "struct<TIMESTAMP '2021-01-01 00:00:00' + INTERVAL '2' YEAR:timestamp,"
               "TIMESTAMP_NTZ '2021-01-01 00:00:00' - INTERVAL '1 02:00:00' DAY TO SECOND:"
               "timestamp_ntz>",
               "2023-01-01 00:00:00\t2020-12-30 22:00:00");
}

static void test_timestamp_adds_days_on_the_local_calendar(void **state)
{
    /* 2021-03-14 is the spring-forward day in Los Angeles: whole days move
       the local date-time, hours move the instant, a gap skips forward */
    sqlc_check(*state,
               "select timestamp'2021-03-14 01:00:00' + interval 1 day, "
               "timestamp'2021-03-14 01:00:00' + interval 2 hour, "
               "timestamp'2021-03-13 02:30:00' + interval 1 day",
               NULL, "2021-03-15 01:00:00\t2021-03-14 04:00:00\t2021-03-14 03:30:00");
}

static void test_string_minus_interval_is_a_string(void **state)
{
    sqlc_check(*state, "select '2011-05-06 07:08:09' - interval 30 day",
               "struct<2011-05-06 07:08:09 - INTERVAL '30' DAY:string>", "2011-04-06 07:08:09");
}

static void test_extract_of_a_datetime_difference_names_it_bare(void **state)
{
    sqlc_check(*state,
               "select extract(day from c - j) from values ('2011-05-06 07:08:09', "
               "interval 32 day) t(c, j)",
               "struct<extract(day FROM c - j):int>", "4");
}

static void test_year_month_plus_day_time_is_rejected(void **state)
{
    sqlc_fails(*state, "select interval 2 year + interval 2 second",
               "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

/* --------------------------------------------- timestamp differences */

static void test_timestamp_difference_is_day_to_second(void **state)
{
    sqlc_check(*state,
               "select timestamp'2021-01-02 03:00:00' - timestamp'2021-01-01 00:00:00', "
               "timestamp'2021-01-01 12:00:00' - date'2021-01-01'",
               "struct<(TIMESTAMP '2021-01-02 03:00:00' - TIMESTAMP '2021-01-01 00:00:00'):"
               "interval day to second,(TIMESTAMP '2021-01-01 12:00:00' - DATE '2021-01-01'):"
               "interval day to second>",
               "1 03:00:00.000000000\t0 12:00:00.000000000");
}

static void test_timestamp_difference_is_between_local_date_times(void **state)
{
    sqlc_check(*state,
               "select timestamp'2021-03-15 01:00:00' - timestamp'2021-03-14 01:00:00'", NULL,
               "1 00:00:00.000000000");
}

static void test_timestamp_minus_timestamp_ntz_meets_at_ntz(void **state)
{
    sqlc_check(*state,
               "select timestamp_ntz'2021-01-01 10:00:00' - timestamp'2021-01-01 08:00:00'",
               NULL, "0 02:00:00.000000000");
}

static void test_timestamp_minus_a_string_is_rejected(void **state)
{
    sqlc_fails(*state, "select timestamp'2021-01-01 00:00:00' - '2021-01-01'",
               "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

/* ------------------------------------------------ interval arithmetic */

static void test_intervals_add_at_their_common_type(void **state)
{
    sqlc_check(*state,
               "select interval 1 day + interval 2 hour, interval 1 year - interval 2 month",
               "struct<(INTERVAL '1' DAY + INTERVAL '02' HOUR):interval day to hour,"
               "(INTERVAL '1' YEAR - INTERVAL '2' MONTH):interval year to month>",
               "1 02:00:00.000000000\t0-10");
}

static void test_interval_times_number_is_the_full_interval_type(void **state)
{
    sqlc_check(*state,
               "select interval 2 year * 2, 2 * interval 2 second, interval 10 day / 4",
               "struct<(INTERVAL '2' YEAR * 2):interval year to month,"
               "(INTERVAL '02' SECOND * 2):interval day to second,"
               "(INTERVAL '10' DAY / 4):interval day to second>",
               "4-0\t0 00:00:04.000000000\t2 12:00:00.000000000");
}

static void test_interval_division_rounds_half_up(void **state)
{
    sqlc_check(*state,
               "select interval 1 month / 0.3, interval 5 month / 2, interval -5 month / 2, "
               "interval 1 month * 1.5",
               NULL, "0-3\t0-3\t-0-3\t0-2");
}

static void test_interval_overflow_and_division_by_zero_are_errors(void **state)
{
    sqlc_fails(*state, "select interval 2 year / 0", "INTERVAL_DIVIDED_BY_ZERO");
    sqlc_fails(*state, "select interval 2147483647 month + interval 1 month",
               "ARITHMETIC_OVERFLOW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_plus_days_is_date_add),
        cmocka_unit_test(test_date_plus_string_is_an_error_on_the_double),
        cmocka_unit_test(test_date_minus_date_is_an_interval_day),
        cmocka_unit_test(test_date_plus_day_interval_stays_a_date),
        cmocka_unit_test(test_date_plus_time_interval_is_a_timestamp),
        cmocka_unit_test(test_date_plus_months_clamps_to_the_month_end),
        cmocka_unit_test(test_timestamp_plus_interval_keeps_its_type),
        cmocka_unit_test(test_timestamp_adds_days_on_the_local_calendar),
        cmocka_unit_test(test_string_minus_interval_is_a_string),
        cmocka_unit_test(test_extract_of_a_datetime_difference_names_it_bare),
        cmocka_unit_test(test_year_month_plus_day_time_is_rejected),
        cmocka_unit_test(test_timestamp_difference_is_day_to_second),
        cmocka_unit_test(test_timestamp_difference_is_between_local_date_times),
        cmocka_unit_test(test_timestamp_minus_timestamp_ntz_meets_at_ntz),
        cmocka_unit_test(test_timestamp_minus_a_string_is_rejected),
        cmocka_unit_test(test_intervals_add_at_their_common_type),
        cmocka_unit_test(test_interval_times_number_is_the_full_interval_type),
        cmocka_unit_test(test_interval_division_rounds_half_up),
        cmocka_unit_test(test_interval_overflow_and_division_by_zero_are_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
