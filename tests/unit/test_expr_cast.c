/*
 * Specification of CAST (expr/cast.c and the analyzer's cast check) as
 * Spark 3.5 defines it: Cast.canCast / canAnsiCast decide what may be
 * cast, the non-ANSI conversions wrap, truncate or give NULL, ANSI mode
 * raises CAST_OVERFLOW / CAST_INVALID_INPUT / NUMERIC_VALUE_OUT_OF_RANGE
 * with the value printed as toSQLValue does, and try_cast gives NULL.
 * Expected values follow Spark's Cast rules and the golden file cast.sql.
 * The session zone is America/Los_Angeles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "common/strbuf.h"
#include "functions/fn_util.h"
#include "types/type.h"
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

/* Runs sql in a fresh ANSI session; returns the rows or "ERROR <class>"
   and copies the message into msg. */
static char *ansi_rows(const char *sql, char *msg, size_t cap)
{
    lm_session *s = fixture_session();
    exec_ok(s, "SET spark.sql.ansi.enabled=true");
    char *r = run_rows(s, sql);
    snprintf(msg, cap, "%s", lm_errmsg(s));
    lm_session_close(s);
    return r;
}

/* Asserts the rows (or error class) of sql in an ANSI session and, when
   msg_part is not NULL, that the message contains it. */
static void assert_ansi(const char *sql, const char *expected, const char *msg_part)
{
    char msg[1024];
    char *got = ansi_rows(sql, msg, sizeof msg);
    assert_string_equal(got, expected);
    free(got);
    if (msg_part != NULL && strstr(msg, msg_part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", msg, msg_part);
}

/* ---------------------------------------------------------- booleans */

static void test_boolean_casts_to_one_or_zero(void **state)
{
    /* to a timestamp, true is one microsecond after the epoch */
    assert_rows(*state,
                "SELECT CAST(true AS INT), CAST(false AS BIGINT), CAST(true AS DOUBLE), "
                "CAST(true AS DECIMAL(3,1)), CAST(true AS FLOAT), CAST(true AS TIMESTAMP)",
                "1\t0\t1.0\t1.0\t1.0\t1969-12-31 16:00:00.000001");
}

static void test_numbers_cast_to_boolean_by_comparing_with_zero(void **state)
{
    assert_rows(*state,
                "SELECT CAST(1.5F AS BOOLEAN), CAST(0.0D AS BOOLEAN), CAST(0.00BD AS BOOLEAN), "
                "CAST(2.5BD AS BOOLEAN), CAST(DATE'2020-01-01' AS BOOLEAN)",
                "true\tfalse\tfalse\ttrue\tNULL");
}

/* ---------------------------------------------------------- date and time */

static void test_timestamp_ntz_date_and_timestamp_convert_through_the_session_zone(void **state)
{
    assert_rows(*state,
                "SELECT CAST(TIMESTAMP_NTZ'2020-01-01 12:00:00' AS DATE), "
                "CAST(TIMESTAMP_NTZ'2020-01-01 00:00:00' AS TIMESTAMP), "
                "CAST(DATE'2020-01-01' AS TIMESTAMP_NTZ), "
                "CAST(TIMESTAMP'2020-01-01 10:00:00' AS TIMESTAMP_NTZ)",
                "2020-01-01\t2020-01-01 00:00:00\t2020-01-01 00:00:00\t2020-01-01 10:00:00");
}

static void test_numbers_cast_to_timestamps_as_seconds_since_the_epoch(void **state)
{
    assert_rows(*state,
                "SELECT CAST(1 AS TIMESTAMP), CAST(1.5D AS TIMESTAMP), "
                "CAST(CAST('NaN' AS DOUBLE) AS TIMESTAMP), CAST(1.5BD AS TIMESTAMP), "
                "CAST(-1Y AS TIMESTAMP), CAST(2.5F AS TIMESTAMP)",
                "1969-12-31 16:00:01\t1969-12-31 16:00:01.5\tNULL\t1969-12-31 16:00:01.5\t"
                "1969-12-31 15:59:59\t1969-12-31 16:00:02.5");
}

static void test_timestamps_cast_to_numbers_as_seconds_since_the_epoch(void **state)
{
    /* integral results are floored; fractional ones keep the micros */
    assert_rows(*state,
                "SELECT CAST(TIMESTAMP'2020-01-01 00:00:00' AS BIGINT), "
                "CAST(TIMESTAMP'2020-01-01 00:00:00' AS INT), "
                "CAST(TIMESTAMP'2020-01-01 00:00:00.5' AS DOUBLE), "
                "CAST(TIMESTAMP'1969-12-31 15:59:59.5' AS BIGINT), "
                "CAST(TIMESTAMP'2020-01-01 00:00:00.5' AS DECIMAL(20,3))",
                "1577865600\t1577865600\t1.5778656005E9\t-1\t1577865600.500");
}

static void test_dates_cast_to_numbers_are_null(void **state)
{
    assert_rows(*state, "SELECT CAST(DATE'2020-01-01' AS INT)", "NULL");
}

/* ---------------------------------------------------------- numbers */

static void test_integral_narrowing_wraps_around(void **state)
{
    assert_rows(*state,
                "SELECT CAST(300 AS TINYINT), CAST(70000 AS SMALLINT), CAST(3000000000L AS INT), "
                "CAST(12345678901234.5BD AS INT)",
                "44\t4464\t-1294967296\t1942892530");
}

static void test_floating_point_to_integral_truncates_and_saturates(void **state)
{
    /* Java's (int)/(long) conversions; smaller types narrow the int */
    assert_rows(*state,
                "SELECT CAST(1.9D AS BIGINT), CAST(-1.9F AS SMALLINT), CAST(1e10 AS INT), "
                "CAST(-1e20 AS BIGINT), CAST(CAST('NaN' AS DOUBLE) AS INT), CAST(1e10 AS SMALLINT)",
                "1\t-1\t2147483647\t-9223372036854775808\t0\t-1");
}

static void test_decimal_to_integral_truncates_toward_zero(void **state)
{
    assert_rows(*state, "SELECT CAST(1.9 AS INT), CAST(-1.9 AS INT)", "1\t-1");
}

static void test_strings_to_integral_trim_and_drop_the_fraction(void **state)
{
    assert_rows(*state,
                "SELECT CAST(' 12 ' AS INT), CAST('1.9' AS INT), CAST('x' AS INT), "
                "CAST('128' AS TINYINT)",
                "12\t1\tNULL\tNULL");
}

static void test_decimal_targets_round_half_up_or_give_null(void **state)
{
    assert_rows(*state,
                "SELECT CAST(123.456 AS DECIMAL(4,1)), CAST(123.456 AS DECIMAL(2,1)), "
                "CAST(1e40 AS DECIMAL(38,0)), CAST(CAST('Infinity' AS DOUBLE) AS DECIMAL(10,2)), "
                "CAST(' 1.25 ' AS DECIMAL(3,1)), CAST('1e2' AS DECIMAL(5,0)), "
                "CAST(100000 AS DECIMAL(3,0)), CAST(12345678901L AS DECIMAL(5,0))",
                "123.5\tNULL\tNULL\tNULL\t1.3\t100\tNULL\tNULL");
}

static void test_fractional_targets_and_special_strings(void **state)
{
    assert_rows(*state,
                "SELECT CAST(1.5 AS FLOAT), CAST(123456789012345678901234567890.5BD AS DOUBLE), "
                "CAST('1e400' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-Infinity' AS FLOAT), "
                "CAST('nan' AS DOUBLE)",
                "1.5\t1.2345678901234568E29\tInfinity\tInfinity\t-Infinity\tNaN");
}

/* ---------------------------------------------------------- intervals */

static void test_intervals_cast_to_numbers_in_their_end_unit(void **state)
{
    assert_rows(*state,
                "SELECT CAST(INTERVAL '3' YEAR AS INT), CAST(INTERVAL '1-6' YEAR TO MONTH AS INT), "
                "CAST(INTERVAL '40' MONTH AS BIGINT), CAST(INTERVAL '2' DAY AS INT), "
                "CAST(INTERVAL '1 02' DAY TO HOUR AS INT), CAST(INTERVAL '90' MINUTE AS SMALLINT), "
                "CAST(INTERVAL '12:30' HOUR TO MINUTE AS BIGINT), "
                "CAST(INTERVAL '10' DAY AS DECIMAL(5,1)), "
                "CAST(INTERVAL '1-6' YEAR TO MONTH AS DECIMAL(6,2))",
                "3\t18\t40\t2\t26\t90\t750\t10.0\t18.00");
}

static void test_interval_overflow_raises_even_without_ansi(void **state)
{
    lm_session *s = *state;
    assert_rows(s, "SELECT CAST(INTERVAL '1000' YEAR AS TINYINT)", "ERROR CAST_OVERFLOW");
    assert_non_null(strstr(lm_errmsg(s), "The value INTERVAL '1000' YEAR of the type "
                                         "\"INTERVAL YEAR\" cannot be cast to \"TINYINT\""));
    assert_rows(s, "SELECT CAST(3000000000L AS INTERVAL YEAR)", "ERROR CAST_OVERFLOW");
    assert_rows(s, "SELECT CAST(99999999999.5 AS INTERVAL YEAR)", "ERROR CAST_OVERFLOW");
}

static void test_numbers_cast_to_single_field_intervals(void **state)
{
    assert_rows(*state,
                "SELECT CAST(3 AS INTERVAL YEAR), CAST(15 AS INTERVAL MONTH), "
                "CAST(2 AS INTERVAL DAY), CAST(1.5 AS INTERVAL HOUR), CAST(90 AS INTERVAL MINUTE), "
                "CAST(1.5 AS INTERVAL SECOND)",
                /* like cast.sql's 80.654321 minutes -> 01:20, a number cast to an
                   interval ending at HOUR keeps whole hours */
                "3-0\t1-3\t2 00:00:00.000000000\t0 01:00:00.000000000\t0 01:30:00.000000000\t"
                "0 00:00:01.500000000");
    assert_rows(*state, "SELECT CAST(CAST(1.5 AS INTERVAL HOUR) AS INTERVAL MINUTE)",
                "0 01:00:00.000000000");
}

static void test_decimal_years_become_rounded_months(void **state)
{
    /* decimalToYearMonthInterval: value * 12 months, then HALF_UP */
    assert_rows(*state,
                "SELECT CAST(2.5 AS INTERVAL YEAR), CAST(2.04 AS INTERVAL YEAR), "
                "CAST(-10.123456BD AS INTERVAL YEAR TO MONTH), CAST(10.654321BD AS INTERVAL MONTH), "
                "CAST(0.0000015 AS INTERVAL SECOND)",
                "2-6\t2-0\t-0-10\t0-11\t0 00:00:00.000002000");
}

static void test_hive_output_of_an_interval_stops_at_its_end_field(void **state)
{
    /* cast.sql: 80.654321 minutes as HOUR TO MINUTE prints 01:20:00 */
    assert_rows(*state, "SELECT CAST(80.654321BD AS INTERVAL HOUR TO MINUTE)",
                "0 01:20:00.000000000");
}

static void test_narrowing_an_interval_truncates_to_the_new_end_field(void **state)
{
    assert_rows(*state,
                "SELECT CAST(INTERVAL '1-6' YEAR TO MONTH AS INTERVAL YEAR), "
                "CAST(INTERVAL '1 12:30:45' DAY TO SECOND AS INTERVAL DAY TO HOUR), "
                "CAST(INTERVAL '1 12:30:45' DAY TO SECOND AS INTERVAL HOUR)",
                "1-0\t1 12:00:00.000000000\t1 12:00:00.000000000");
}

static void test_strings_cast_to_intervals(void **state)
{
    assert_rows(*state,
                "SELECT CAST('1-2' AS INTERVAL YEAR TO MONTH), "
                "CAST('1 02:03:04' AS INTERVAL DAY TO SECOND), CAST('1 day 2 hours' AS INTERVAL)",
                "1-2\t1 02:03:04.000000000\t1 days 2 hours");
}

static void test_a_malformed_ansi_interval_string_fails_in_every_mode(void **state)
{
    lm_session *s = *state;
    lm_df *df = NULL;
    lm_rows *rows = NULL;
    assert_int_equal(lm_sql(s, "SELECT CAST('bad' AS INTERVAL YEAR TO MONTH)", &df), LM_OK);
    assert_int_not_equal(lm_df_collect(df, &rows), LM_OK);
    assert_non_null(strstr(lm_errmsg(s), "year-month"));
    lm_df_free(df);
}

/* ---------------------------------------------------------- complex types */

static void test_complex_types_cast_element_by_element(void **state)
{
    assert_rows(*state,
                "SELECT CAST(array(1, 2) AS array<string>), CAST(map('a', 1) AS map<string, double>), "
                "CAST(named_struct('a', 1, 'b', '2') AS struct<x:string, y:int>), "
                "CAST(array('1', 'x') AS array<int>)",
                "[\"1\",\"2\"]\t{\"a\":1.0}\t{\"x\":\"1\",\"y\":2}\t[1,null]");
}

static void test_complex_types_cast_to_string_with_braces_and_arrows(void **state)
{
    assert_rows(*state,
                "SELECT CAST(array(1) AS string), CAST(map(1, 'a', 2, NULL) AS string), "
                "CAST(named_struct('a', 1, 'b', NULL) AS string), "
                "CAST(array(array(1, NULL)) AS string), "
                "CAST(map(1, named_struct('x', DATE'2020-01-01')) AS string)",
                "[1]\t{1 -> a, 2 -> null}\t{1, null}\t[[1, null]]\t{1 -> {2020-01-01}}");
}

static void test_scalars_cast_to_string(void **state)
{
    assert_rows(*state,
                "SELECT CAST(TIMESTAMP_NTZ'2020-01-01 10:00:00' AS STRING), "
                "CAST(INTERVAL '1-2' YEAR TO MONTH AS STRING), "
                "CAST(INTERVAL '1 02:03:04.5' DAY TO SECOND AS STRING), CAST(X'4142' AS STRING), "
                "CAST(1.0E10 AS STRING), CAST(CAST(1.5 AS FLOAT) AS STRING), CAST(NULL AS STRING)",
                "2020-01-01 10:00:00\tINTERVAL '1-2' YEAR TO MONTH\t"
                "INTERVAL '1 02:03:04.5' DAY TO SECOND\tAB\t1.0E10\t1.5\tNULL");
}

static void test_integers_cast_to_big_endian_binary(void **state)
{
    assert_rows(*state,
                "SELECT hex(CAST(65 AS BINARY)), hex(CAST(1L AS BINARY)), hex(CAST(1Y AS BINARY)), "
                "hex(CAST(1S AS BINARY)), CAST('abc' AS BINARY)",
                "00000041\t0000000000000001\t01\t0001\tabc");
}

/* ---------------------------------------------------------- analysis */

static void test_casts_spark_does_not_allow_are_cast_without_suggestion(void **state)
{
    const char *sqls[] = {
        "SELECT CAST(array(1) AS map<int,int>)",
        "SELECT CAST(map(1, 2) AS array<int>)",
        "SELECT CAST(named_struct('a', 1) AS struct<a:int, b:int>)",
        "SELECT CAST(1 AS DATE)",
        "SELECT CAST(X'01' AS INT)",
        "SELECT try_cast(1 AS DATE)",
    };
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++)
        assert_rows(*state, sqls[i], "ERROR DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION");
}

static void test_ansi_casts_between_dates_and_numbers_suggest_a_function(void **state)
{
    assert_ansi("SELECT CAST(1 AS DATE)", "ERROR DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION",
                "`DATE_FROM_UNIX_DATE`");
    assert_ansi("SELECT CAST(DATE'2020-01-01' AS INT)",
                "ERROR DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION", "`UNIX_DATE`");
}

static void test_ansi_refuses_legacy_only_casts_and_names_the_conf(void **state)
{
    assert_ansi("SELECT CAST(true AS TIMESTAMP)",
                "ERROR DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION", "\"spark.sql.ansi.enabled\"");
    assert_ansi("SELECT CAST(1 AS BINARY)", "ERROR DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION",
                NULL);
    assert_ansi("SELECT CAST(X'01' AS INT)", "ERROR DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                NULL);
}

static void test_ansi_keeps_casts_between_timestamps_and_numbers(void **state)
{
    assert_ansi("SELECT CAST(1 AS TIMESTAMP), CAST(TIMESTAMP'2020-01-01 00:00:00' AS BIGINT)",
                "1969-12-31 16:00:01\t1577865600", NULL);
}

/* ---------------------------------------------------------- ANSI errors */

static void test_ansi_overflow_prints_the_value_as_a_sql_literal(void **state)
{
    assert_ansi("SELECT CAST(128S AS TINYINT)", "ERROR CAST_OVERFLOW",
                "The value 128S of the type \"SMALLINT\" cannot be cast to \"TINYINT\"");
    assert_ansi("SELECT CAST(3000000000L AS INT)", "ERROR CAST_OVERFLOW", "The value 3000000000L ");
    assert_ansi("SELECT CAST(1e10D AS INT)", "ERROR CAST_OVERFLOW", "The value 1.0E10D ");
    assert_ansi("SELECT CAST(TIMESTAMP'2020-01-01 00:00:00' AS SMALLINT)", "ERROR CAST_OVERFLOW",
                "The value TIMESTAMP '2020-01-01 00:00:00' of the type \"TIMESTAMP\"");
}

static void test_ansi_overflow_prints_floats_bare_and_nan_as_nan(void **state)
{
    /* toSQLValue: a float without Literal.sql's suffix, NaN as NaN */
    assert_ansi("SELECT CAST(CAST(1e10 AS FLOAT) AS INT)", "ERROR CAST_OVERFLOW",
                "The value 1.0E10 of the type \"FLOAT\"");
    assert_ansi("SELECT CAST(CAST('NaN' AS DOUBLE) AS INT)", "ERROR CAST_OVERFLOW",
                "The value NaN of the type \"DOUBLE\"");
}

static void test_ansi_malformed_strings_are_cast_invalid_input(void **state)
{
    assert_ansi("SELECT CAST('x' AS INT)", "ERROR CAST_INVALID_INPUT",
                "The value 'x' of the type \"STRING\" cannot be cast to \"INT\"");
    assert_ansi("SELECT CAST('2020-13-45' AS DATE)", "ERROR CAST_INVALID_INPUT", NULL);
    assert_ansi("SELECT CAST('x' AS TIMESTAMP)", "ERROR CAST_INVALID_INPUT", NULL);
    assert_ansi("SELECT CAST('nope' AS BOOLEAN)", "ERROR CAST_INVALID_INPUT", NULL);
    assert_ansi("SELECT CAST('abc' AS DECIMAL(3,1))", "ERROR CAST_INVALID_INPUT", NULL);
    assert_ansi("SELECT CAST(array('1', 'x') AS array<int>)", "ERROR CAST_INVALID_INPUT", NULL);
}

static void test_ansi_decimal_overflow_is_numeric_value_out_of_range(void **state)
{
    assert_ansi("SELECT CAST(123.456 AS DECIMAL(2,1))", "ERROR NUMERIC_VALUE_OUT_OF_RANGE",
                "123.456 cannot be represented as Decimal(2, 1)");
}

static void test_try_cast_gives_null_instead_of_failing(void **state)
{
    assert_rows(*state,
                "SELECT try_cast('x' AS INT), try_cast(300 AS TINYINT), "
                "try_cast('2020-13-01' AS DATE), try_cast(INTERVAL '1000' YEAR AS TINYINT), "
                "try_cast(3000000000L AS INTERVAL YEAR)",
                "NULL\tNULL\tNULL\tNULL\tNULL");
    assert_schema(*state, "SELECT try_cast('x' AS INT)", "struct<TRY_CAST(x AS INT):int>");
}

/* ---------------------------------------------------------- literal text */

static void test_ansi_interval_literal_text(void **state)
{
    (void)state;
    const struct {
        bool ym;
        int64_t v;
        int sf, ef;
        const char *text;
    } k[] = {
        {true, 14, LM_YM_YEAR, LM_YM_MONTH, "INTERVAL '1-2' YEAR TO MONTH"},
        {true, -14, LM_YM_YEAR, LM_YM_MONTH, "INTERVAL '-1-2' YEAR TO MONTH"},
        {true, 36, LM_YM_YEAR, LM_YM_YEAR, "INTERVAL '3' YEAR"},
        {true, 40, LM_YM_MONTH, LM_YM_MONTH, "INTERVAL '40' MONTH"},
        {false, 93784500000LL, LM_DT_DAY, LM_DT_SECOND, "INTERVAL '1 02:03:04.5' DAY TO SECOND"},
        {false, -93780000000LL, LM_DT_DAY, LM_DT_MINUTE, "INTERVAL '-1 02:03' DAY TO MINUTE"},
        {false, 93600000000LL, LM_DT_HOUR, LM_DT_HOUR, "INTERVAL '26' HOUR"},
        {false, 3723000000LL, LM_DT_HOUR, LM_DT_SECOND, "INTERVAL '01:02:03' HOUR TO SECOND"},
        {false, 150000000LL, LM_DT_MINUTE, LM_DT_SECOND, "INTERVAL '02:30' MINUTE TO SECOND"},
        {false, 1000001LL, LM_DT_SECOND, LM_DT_SECOND, "INTERVAL '01.000001' SECOND"},
        {false, 172800000000LL, LM_DT_DAY, LM_DT_HOUR, "INTERVAL '2 00' DAY TO HOUR"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        if (k[i].ym)
            fn_append_ym_interval(&sb, k[i].v, k[i].sf, k[i].ef);
        else
            fn_append_dt_interval(&sb, k[i].v, k[i].sf, k[i].ef);
        assert_string_equal(lm_strbuf_cstr(&sb), k[i].text);
        lm_strbuf_free(&sb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boolean_casts_to_one_or_zero),
        cmocka_unit_test(test_numbers_cast_to_boolean_by_comparing_with_zero),
        cmocka_unit_test(test_timestamp_ntz_date_and_timestamp_convert_through_the_session_zone),
        cmocka_unit_test(test_numbers_cast_to_timestamps_as_seconds_since_the_epoch),
        cmocka_unit_test(test_timestamps_cast_to_numbers_as_seconds_since_the_epoch),
        cmocka_unit_test(test_dates_cast_to_numbers_are_null),
        cmocka_unit_test(test_integral_narrowing_wraps_around),
        cmocka_unit_test(test_floating_point_to_integral_truncates_and_saturates),
        cmocka_unit_test(test_decimal_to_integral_truncates_toward_zero),
        cmocka_unit_test(test_strings_to_integral_trim_and_drop_the_fraction),
        cmocka_unit_test(test_decimal_targets_round_half_up_or_give_null),
        cmocka_unit_test(test_fractional_targets_and_special_strings),
        cmocka_unit_test(test_intervals_cast_to_numbers_in_their_end_unit),
        cmocka_unit_test(test_interval_overflow_raises_even_without_ansi),
        cmocka_unit_test(test_numbers_cast_to_single_field_intervals),
        cmocka_unit_test(test_decimal_years_become_rounded_months),
        cmocka_unit_test(test_hive_output_of_an_interval_stops_at_its_end_field),
        cmocka_unit_test(test_narrowing_an_interval_truncates_to_the_new_end_field),
        cmocka_unit_test(test_strings_cast_to_intervals),
        cmocka_unit_test(test_a_malformed_ansi_interval_string_fails_in_every_mode),
        cmocka_unit_test(test_complex_types_cast_element_by_element),
        cmocka_unit_test(test_complex_types_cast_to_string_with_braces_and_arrows),
        cmocka_unit_test(test_scalars_cast_to_string),
        cmocka_unit_test(test_integers_cast_to_big_endian_binary),
        cmocka_unit_test(test_casts_spark_does_not_allow_are_cast_without_suggestion),
        cmocka_unit_test(test_ansi_casts_between_dates_and_numbers_suggest_a_function),
        cmocka_unit_test(test_ansi_refuses_legacy_only_casts_and_names_the_conf),
        cmocka_unit_test(test_ansi_keeps_casts_between_timestamps_and_numbers),
        cmocka_unit_test(test_ansi_overflow_prints_the_value_as_a_sql_literal),
        cmocka_unit_test(test_ansi_overflow_prints_floats_bare_and_nan_as_nan),
        cmocka_unit_test(test_ansi_malformed_strings_are_cast_invalid_input),
        cmocka_unit_test(test_ansi_decimal_overflow_is_numeric_value_out_of_range),
        cmocka_unit_test(test_try_cast_gives_null_instead_of_failing),
        cmocka_unit_test(test_ansi_interval_literal_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
