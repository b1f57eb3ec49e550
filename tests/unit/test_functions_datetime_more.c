/*
 * Specification of the date and time functions (functions/datetime.c)
 * through lm_sql, in a session whose time zone is America/Los_Angeles,
 * the zone Spark's function documentation examples are written in. The
 * expected values are those examples and Spark 3.5's documented rules
 * (non-ANSI: invalid input gives NULL; ANSI: Spark's error classes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

static int setup(void **state)
{
    *state = fixture_session();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ---------------------------------------------------------- arithmetic */

static void test_date_add_and_date_sub_shift_by_days(void **state)
{
    assert_rows(*state,
                "SELECT date_add('2016-07-30', 1), date_sub('2016-07-30', 1), "
                "dateadd('2016-07-30', 1)",
                "2016-07-31\t2016-07-29\t2016-07-31");
}

static void test_date_add_casts_a_string_day_count_and_truncates_timestamps(void **state)
{
    assert_rows(*state,
                "SELECT date_add(DATE'2016-07-30', '2'), date_add(DATE'2016-07-30', NULL), "
                "date_add(TIMESTAMP'2016-07-30 23:00:00', 1Y)",
                "2016-08-01\tNULL\t2016-07-31");
    assert_schema(*state, "SELECT date_add('2016-07-30', 1)",
                  "struct<date_add(2016-07-30, 1):date>");
}

static void test_date_add_refuses_a_bigint_day_count(void **state)
{
    /* DateAdd expects INT, SMALLINT or TINYINT and does not narrow. */
    assert_rows(*state, "SELECT date_add('2016-07-30', 1L)",
                "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    assert_rows(*state, "SELECT date_sub('2016-07-30', 1.5)",
                "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_datediff_counts_days_from_the_second_to_the_first(void **state)
{
    assert_rows(*state,
                "SELECT datediff('2009-07-31', '2009-07-30'), datediff('2009-07-30', '2009-07-31')",
                "1\t-1");
    assert_schema(*state, "SELECT datediff('2009-07-31', '2009-07-30')",
                  "struct<datediff(2009-07-31, 2009-07-30):int>");
}

static void test_add_months_clamps_to_the_last_day_of_the_month(void **state)
{
    assert_rows(*state,
                "SELECT add_months('2016-08-31', 1), add_months(DATE'2016-01-31', -11), "
                "add_months('2016-08-31', 1.5)",
                "2016-09-30\t2015-02-28\t2016-09-30");
}

static void test_months_between_rounds_to_eight_digits_unless_told_not_to(void **state)
{
    assert_rows(*state,
                "SELECT months_between('1997-02-28 10:30:00', '1996-10-30'), "
                "months_between('1997-02-28 10:30:00', '1996-10-30', false)",
                "3.94959677\t3.9495967741935485");
    assert_schema(*state, "SELECT months_between('1997-02-28 10:30:00', '1996-10-30')",
                  "struct<months_between(1997-02-28 10:30:00, 1996-10-30, true):double>");
}

static void test_months_between_is_whole_for_same_day_or_both_month_ends(void **state)
{
    assert_rows(*state,
                "SELECT months_between(DATE'2020-03-31', DATE'2020-02-29'), "
                "months_between('2020-01-15', '2020-03-15'), "
                "months_between(TIMESTAMP'2020-01-31 10:00:00', TIMESTAMP'2020-02-29 12:00:00')",
                "1.0\t-2.0\t-1.0");
}

static void test_last_day_is_the_end_of_the_month(void **state)
{
    assert_rows(*state, "SELECT last_day('2009-01-12'), last_day(DATE'2020-02-10')",
                "2009-01-31\t2020-02-29");
}

static void test_next_day_takes_short_and_long_day_names(void **state)
{
    assert_rows(*state,
                "SELECT next_day('2015-01-14', 'TU'), next_day('2015-01-14', 'sunday'), "
                "next_day('2015-01-14', 'xx')",
                "2015-01-20\t2015-01-18\tNULL");
}

/* ---------------------------------------------------------- fields */

static void test_date_fields_of_a_string(void **state)
{
    assert_rows(*state,
                "SELECT year('2016-07-30'), quarter('2016-08-31'), month('2016-07-30'), "
                "day('2009-07-30'), dayofmonth('2009-07-30')",
                "2016\t3\t7\t30\t30");
}

static void test_day_of_week_weekday_day_of_year_and_week_of_year(void **state)
{
    /* dayofweek: 1 = Sunday; weekday: 0 = Monday; ISO weeks. */
    assert_rows(*state,
                "SELECT dayofweek('2009-07-30'), dayofyear('2016-04-09'), weekday('2009-07-30'), "
                "weekofyear('2008-02-20')",
                "5\t100\t3\t8");
}

static void test_time_fields_of_timestamps_and_timestamp_ntz(void **state)
{
    assert_rows(*state,
                "SELECT hour('2009-07-30 12:58:59'), minute('2009-07-30 12:58:59'), "
                "second('2009-07-30 12:58:59'), hour(TIMESTAMP_NTZ'2009-07-30 12:58:59'), "
                "year(TIMESTAMP'2009-12-31 23:30:00')",
                "12\t58\t59\t12\t2009");
}

static void test_extract_iso_day_of_week_and_week_based_year(void **state)
{
    assert_rows(*state,
                "SELECT extract(DOW_ISO FROM DATE'2009-07-30'), "
                "extract(YEAROFWEEK FROM DATE'2005-01-01')",
                "4\t2004");
}

static void test_date_part_of_an_unknown_field_is_invalid_extract_field(void **state)
{
    assert_rows(*state, "SELECT date_part('weekday', DATE'2009-07-30')",
                "ERROR INVALID_EXTRACT_FIELD");
}

/* ---------------------------------------------------------- truncation */

static void test_date_trunc_truncates_timestamps_to_a_unit(void **state)
{
    assert_rows(*state,
                "SELECT date_trunc('YEAR', '2015-03-05T09:32:05.359'), "
                "date_trunc('MM', '2015-03-05T09:32:05.359'), "
                "date_trunc('DD', '2015-03-05T09:32:05.359'), "
                "date_trunc('HOUR', '2015-03-05T09:32:05.359'), "
                "date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456')",
                "2015-01-01 00:00:00\t2015-03-01 00:00:00\t2015-03-05 00:00:00\t"
                "2015-03-05 09:00:00\t2015-03-05 09:32:05.123");
}

static void test_date_trunc_keeps_timestamp_ntz_and_nulls_unknown_units(void **state)
{
    assert_rows(*state,
                "SELECT date_trunc('WEEK', TIMESTAMP_NTZ'2015-03-05 09:32:05'), "
                "date_trunc('bogus', '2015-03-05T09:32:05')",
                "2015-03-02 00:00:00\tNULL");
    assert_schema(*state, "SELECT date_trunc('WEEK', TIMESTAMP_NTZ'2015-03-05 09:32:05')",
                  "struct<date_trunc(WEEK, TIMESTAMP_NTZ '2015-03-05 09:32:05'):timestamp_ntz>");
}

static void test_trunc_truncates_dates_to_week_quarter_month_or_year(void **state)
{
    /* trunc has no day level: 'DD' gives NULL. */
    assert_rows(*state,
                "SELECT trunc('2019-08-04', 'week'), trunc('2019-08-04', 'quarter'), "
                "trunc('2009-02-12', 'MM'), trunc('2015-10-27', 'YEAR'), trunc('2015-10-27', 'DD')",
                "2019-07-29\t2019-07-01\t2009-02-01\t2015-01-01\tNULL");
}

/* ---------------------------------------------------------- epoch */

static void test_timestamp_seconds_millis_and_micros_from_the_epoch(void **state)
{
    assert_rows(*state,
                "SELECT timestamp_seconds(1230219000), timestamp_seconds(1230219000.123), "
                "timestamp_millis(1230219000123), timestamp_micros(1230219000123123)",
                "2008-12-25 07:30:00\t2008-12-25 07:30:00.123\t2008-12-25 07:30:00.123\t"
                "2008-12-25 07:30:00.123123");
}

static void test_timestamp_seconds_of_floating_point_and_nan(void **state)
{
    assert_rows(*state,
                "SELECT timestamp_seconds(CAST(1230219000.5 AS DOUBLE)), "
                "timestamp_seconds(CAST('NaN' AS DOUBLE)), timestamp_seconds(1.5F), "
                "timestamp_seconds('1')",
                "2008-12-25 07:30:00.5\tNULL\t1969-12-31 16:00:01.5\t1969-12-31 16:00:01");
}

static void test_unix_seconds_millis_micros_and_date(void **state)
{
    assert_rows(*state,
                "SELECT unix_seconds(TIMESTAMP('1970-01-01 00:00:01Z')), "
                "unix_millis(TIMESTAMP('1970-01-01 00:00:01Z')), "
                "unix_micros(TIMESTAMP('1970-01-01 00:00:01Z')), unix_date(DATE('1970-01-02'))",
                "1\t1000\t1000000\t1");
    assert_schema(*state, "SELECT unix_date(DATE'1970-01-02'), unix_seconds(TIMESTAMP'1970-01-01 00:00:00Z')",
                  "struct<unix_date(DATE '1970-01-02'):int,"
                  "unix_seconds(TIMESTAMP '1969-12-31 16:00:00'):bigint>");
}

static void test_unix_timestamp_parses_in_the_session_zone(void **state)
{
    /* 2016-04-08 00:00 PDT is 07:00 UTC. */
    assert_rows(*state,
                "SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd'), "
                "to_unix_timestamp('2016-04-08', 'yyyy-MM-dd'), unix_timestamp('2016-04-08 00:00:00'), "
                "unix_timestamp(DATE'2016-04-08'), unix_timestamp(TIMESTAMP'2016-04-08 00:00:01')",
                "1460098800\t1460098800\t1460098800\t1460098800\t1460098801");
}

static void test_unix_timestamp_of_bad_text_ntz_and_null(void **state)
{
    assert_rows(*state,
                "SELECT unix_timestamp('bad', 'yyyy-MM-dd'), "
                "unix_timestamp(TIMESTAMP_NTZ'1970-01-01 00:00:01'), unix_timestamp(NULL), "
                "unix_timestamp() > 1600000000",
                "NULL\t1\tNULL\ttrue");
}

static void test_from_unixtime_formats_in_the_session_zone(void **state)
{
    assert_rows(*state,
                "SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss'), from_unixtime(0), "
                "from_unixtime(1460098800, 'yyyy-MM-dd'), from_unixtime(NULL)",
                "1969-12-31 16:00:00\t1969-12-31 16:00:00\t2016-04-08\tNULL");
    assert_schema(*state, "SELECT from_unixtime(0)", "struct<from_unixtime(0):string>");
}

static void test_date_format_of_dates_and_timestamps(void **state)
{
    assert_rows(*state,
                "SELECT date_format('2016-04-08', 'y'), "
                "date_format(TIMESTAMP_NTZ'2016-04-08 10:00:00', 'HH:mm'), "
                "date_format(TIMESTAMP'2016-04-08 10:00:00', 'EEEE MMM d')",
                "2016\t10:00\tFriday Apr 8");
}

/* ---------------------------------------------------------- constructors */

static void test_make_date_gives_null_for_invalid_fields(void **state)
{
    assert_rows(*state,
                "SELECT make_date(2013, 7, 15), make_date(2019, 7, NULL), make_date(2019, 13, 1), "
                "make_date(2019, 2, 30)",
                "2013-07-15\tNULL\tNULL\tNULL");
}

static void test_make_timestamp_in_the_session_or_a_given_zone(void **state)
{
    assert_rows(*state,
                "SELECT make_timestamp(2014, 12, 28, 6, 30, 45.887), "
                "make_timestamp(2014, 12, 28, 6, 30, 45.887, 'CET'), "
                "make_timestamp(2019, 6, 30, 23, 59, 1), make_timestamp(null, 7, 22, 15, 30, 0)",
                "2014-12-28 06:30:45.887\t2014-12-27 21:30:45.887\t2019-06-30 23:59:01\tNULL");
}

static void test_make_timestamp_takes_sixty_seconds_as_the_next_minute(void **state)
{
    assert_rows(*state,
                "SELECT make_timestamp(2019, 6, 30, 23, 59, 60), "
                "make_timestamp_ntz(2019, 6, 30, 23, 59, 60)",
                "2019-07-01 00:00:00\t2019-07-01 00:00:00");
}

static void test_make_timestamp_gives_null_for_invalid_fields_and_zones(void **state)
{
    assert_rows(*state,
                "SELECT make_timestamp(2019, 13, 1, 0, 0, 0), make_timestamp(2019, 1, 1, 0, 0, 61), "
                "make_timestamp(2019, 1, 1, 0, 0, 0, 'No/Such_Zone')",
                "NULL\tNULL\tNULL");
}

static void test_make_timestamp_ntz_has_no_zone(void **state)
{
    assert_rows(*state, "SELECT make_timestamp_ntz(2014, 12, 28, 6, 30, 45.887)",
                "2014-12-28 06:30:45.887");
    assert_schema(*state, "SELECT make_timestamp_ntz(2014, 12, 28, 6, 30, 45.887)",
                  "struct<make_timestamp_ntz(2014, 12, 28, 6, 30, 45.887):timestamp_ntz>");
}

/* ---------------------------------------------------------- zones */

static void test_from_utc_timestamp_shows_a_utc_instant_in_a_zone(void **state)
{
    /* '2016-08-31' is read in the session zone; the conversion itself is
       between UTC and the named zone, as DateTimeUtils.fromUTCTime. */
    assert_rows(*state,
                "SELECT from_utc_timestamp('2016-08-31', 'Asia/Seoul'), "
                "from_utc_timestamp(TIMESTAMP'2017-07-14 02:40:00.0', 'GMT+1')",
                "2016-08-31 09:00:00\t2017-07-14 03:40:00");
}

static void test_to_utc_timestamp_reads_a_wall_time_of_a_zone_as_utc(void **state)
{
    assert_rows(*state,
                "SELECT to_utc_timestamp('2016-08-31', 'Asia/Seoul'), "
                "to_utc_timestamp(TIMESTAMP'2017-07-14 02:40:00.0', 'GMT+1')",
                "2016-08-30 15:00:00\t2017-07-14 01:40:00");
}

static void test_current_timezone_is_the_session_zone(void **state)
{
    assert_rows(*state, "SELECT current_timezone()", "America/Los_Angeles");
}

static void test_current_date_and_timestamps_have_spark_types(void **state)
{
    assert_rows(*state,
                "SELECT typeof(current_date()), typeof(current_timestamp()), "
                "typeof(localtimestamp()), typeof(now()), typeof(curdate())",
                "date\ttimestamp\ttimestamp_ntz\ttimestamp\tdate");
    assert_rows(*state, "SELECT current_date() = current_date(), current_date() IS NULL",
                "true\tfalse");
}

/* ---------------------------------------------------------- parsing */

static void test_to_date_with_and_without_a_pattern(void **state)
{
    assert_rows(*state,
                "SELECT to_date('2009-07-30 04:17:52'), to_date('2016-12-31', 'yyyy-MM-dd'), "
                "to_date('12/31/2016', 'MM/dd/yyyy'), to_date('garbage', 'yyyy-MM-dd'), "
                "to_date(TIMESTAMP'2016-12-31 23:00:00')",
                "2009-07-30\t2016-12-31\t2016-12-31\tNULL\t2016-12-31");
}

static void test_to_timestamp_family_parses_into_its_own_type(void **state)
{
    assert_rows(*state,
                "SELECT to_timestamp('2016-12-31 00:12:00'), to_timestamp('2016-12-31', 'yyyy-MM-dd'), "
                "to_timestamp_ntz('2016-12-31 00:12:00'), to_timestamp_ltz('2016-12-31 00:12:00'), "
                "to_timestamp_ntz('2016-12-31', 'yyyy-MM-dd'), to_timestamp(DATE'2016-12-31', 'yyyy')",
                "2016-12-31 00:12:00\t2016-12-31 00:00:00\t2016-12-31 00:12:00\t"
                "2016-12-31 00:12:00\t2016-12-31 00:00:00\t2016-12-31 00:00:00");
    assert_schema(*state,
                  "SELECT to_timestamp_ntz('2016-12-31 00:12:00'), to_timestamp_ltz('2016-12-31')",
                  "struct<to_timestamp_ntz(2016-12-31 00:12:00):timestamp_ntz,"
                  "to_timestamp_ltz(2016-12-31):timestamp>");
}

static void test_to_date_of_an_int_is_a_type_mismatch(void **state)
{
    assert_rows(*state, "SELECT to_date(1)", "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_text_the_legacy_parser_read_differently_is_an_upgrade_error(void **state)
{
    assert_rows(*state, "SELECT to_timestamp('1', 'yy')",
                "ERROR INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER");
}

static void test_ansi_mode_fails_on_unparsable_timestamps(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "SET spark.sql.ansi.enabled=true");
    assert_rows(s, "SELECT to_timestamp('garbage', 'yyyy-MM-dd')", "ERROR CANNOT_PARSE_TIMESTAMP");
    assert_rows(s, "SELECT to_date('garbage')", "ERROR CAST_INVALID_INPUT");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_add_and_date_sub_shift_by_days),
        cmocka_unit_test(test_date_add_casts_a_string_day_count_and_truncates_timestamps),
        cmocka_unit_test(test_date_add_refuses_a_bigint_day_count),
        cmocka_unit_test(test_datediff_counts_days_from_the_second_to_the_first),
        cmocka_unit_test(test_add_months_clamps_to_the_last_day_of_the_month),
        cmocka_unit_test(test_months_between_rounds_to_eight_digits_unless_told_not_to),
        cmocka_unit_test(test_months_between_is_whole_for_same_day_or_both_month_ends),
        cmocka_unit_test(test_last_day_is_the_end_of_the_month),
        cmocka_unit_test(test_next_day_takes_short_and_long_day_names),
        cmocka_unit_test(test_date_fields_of_a_string),
        cmocka_unit_test(test_day_of_week_weekday_day_of_year_and_week_of_year),
        cmocka_unit_test(test_time_fields_of_timestamps_and_timestamp_ntz),
        cmocka_unit_test(test_extract_iso_day_of_week_and_week_based_year),
        cmocka_unit_test(test_date_part_of_an_unknown_field_is_invalid_extract_field),
        cmocka_unit_test(test_date_trunc_truncates_timestamps_to_a_unit),
        cmocka_unit_test(test_date_trunc_keeps_timestamp_ntz_and_nulls_unknown_units),
        cmocka_unit_test(test_trunc_truncates_dates_to_week_quarter_month_or_year),
        cmocka_unit_test(test_timestamp_seconds_millis_and_micros_from_the_epoch),
        cmocka_unit_test(test_timestamp_seconds_of_floating_point_and_nan),
        cmocka_unit_test(test_unix_seconds_millis_micros_and_date),
        cmocka_unit_test(test_unix_timestamp_parses_in_the_session_zone),
        cmocka_unit_test(test_unix_timestamp_of_bad_text_ntz_and_null),
        cmocka_unit_test(test_from_unixtime_formats_in_the_session_zone),
        cmocka_unit_test(test_date_format_of_dates_and_timestamps),
        cmocka_unit_test(test_make_date_gives_null_for_invalid_fields),
        cmocka_unit_test(test_make_timestamp_in_the_session_or_a_given_zone),
        cmocka_unit_test(test_make_timestamp_takes_sixty_seconds_as_the_next_minute),
        cmocka_unit_test(test_make_timestamp_gives_null_for_invalid_fields_and_zones),
        cmocka_unit_test(test_make_timestamp_ntz_has_no_zone),
        cmocka_unit_test(test_from_utc_timestamp_shows_a_utc_instant_in_a_zone),
        cmocka_unit_test(test_to_utc_timestamp_reads_a_wall_time_of_a_zone_as_utc),
        cmocka_unit_test(test_current_timezone_is_the_session_zone),
        cmocka_unit_test(test_current_date_and_timestamps_have_spark_types),
        cmocka_unit_test(test_to_date_with_and_without_a_pattern),
        cmocka_unit_test(test_to_timestamp_family_parses_into_its_own_type),
        cmocka_unit_test(test_to_date_of_an_int_is_a_type_mismatch),
        cmocka_unit_test(test_text_the_legacy_parser_read_differently_is_an_upgrade_error),
        cmocka_unit_test(test_ansi_mode_fails_on_unparsable_timestamps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
