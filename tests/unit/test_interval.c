/*
 * Interval text forms and parsers, with expectations from Spark's golden
 * files (cast.sql.out, extract.sql.out, literals.sql.out) and Spark's own
 * parser messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "types/datetime.h"
#include "types/interval.h"

static void assert_cal_text(int32_t months, int32_t days, int64_t micros, const char *expected)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_interval iv = {months, days, micros};
    lm_interval_format(&sb, &iv);
    assert_string_equal(lm_strbuf_cstr(&sb), expected);
    lm_strbuf_free(&sb);
}

static void assert_ym_text(int32_t months, lm_interval_style style, int s, int e,
                           const char *expected)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_interval_ym_format(&sb, months, style, s, e);
    assert_string_equal(lm_strbuf_cstr(&sb), expected);
    lm_strbuf_free(&sb);
}

static void assert_dt_text(int64_t micros, lm_interval_style style, int s, int e,
                           const char *expected)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_interval_dt_format(&sb, micros, style, s, e);
    assert_string_equal(lm_strbuf_cstr(&sb), expected);
    lm_strbuf_free(&sb);
}

static lm_interval parse_ok(const char *s)
{
    lm_interval iv = {0, 0, 0};
    lm_error err;
    lm_error_init(&err);
    if (!lm_interval_parse(s, strlen(s), &iv, &err))
        fail_msg("%s: %s", s, err.message);
    lm_error_clear(&err);
    return iv;
}

static void assert_parse_error(const char *s, const char *message)
{
    lm_interval iv;
    lm_error err;
    lm_error_init(&err);
    assert_false(lm_interval_parse(s, strlen(s), &iv, &err));
    assert_string_equal(err.exception, "java.lang.IllegalArgumentException");
    assert_string_equal(err.message, message);
    lm_error_clear(&err);
}

static void test_calendar_interval_to_string(void **state)
{
    (void)state;
    assert_cal_text(0, 0, 0, "0 seconds");
    assert_cal_text(14, 25, 5 * LM_MICROS_PER_HOUR + 6 * LM_MICROS_PER_MINUTE + 7008009,
                    "1 years 2 months 25 days 5 hours 6 minutes 7.008009 seconds");
    assert_cal_text(0, 0, -1000000, "-1 seconds");
    assert_cal_text(3, 0, LM_MICROS_PER_HOUR, "3 months 1 hours");
    assert_cal_text(-13, -1, -1500000, "-1 years -1 months -1 days -1.5 seconds");
}

static void test_year_month_hive_and_ansi_forms(void **state)
{
    (void)state;
    assert_ym_text(14, LM_INTERVAL_HIVE, LM_YM_YEAR, LM_YM_MONTH, "1-2");
    assert_ym_text(-10, LM_INTERVAL_HIVE, LM_YM_YEAR, LM_YM_MONTH, "-0-10");
    assert_ym_text(12, LM_INTERVAL_HIVE, LM_YM_YEAR, LM_YM_YEAR, "1-0");
    assert_ym_text(37, LM_INTERVAL_ANSI, LM_YM_YEAR, LM_YM_MONTH, "INTERVAL '3-1' YEAR TO MONTH");
    assert_ym_text(12, LM_INTERVAL_ANSI, LM_YM_YEAR, LM_YM_YEAR, "INTERVAL '1' YEAR");
    assert_ym_text(-1000, LM_INTERVAL_ANSI, LM_YM_MONTH, LM_YM_MONTH, "INTERVAL '-1000' MONTH");
    assert_ym_text(-122, LM_INTERVAL_ANSI, LM_YM_YEAR, LM_YM_MONTH,
                   "INTERVAL '-10-2' YEAR TO MONTH");
}

static void test_day_time_hive_and_ansi_forms(void **state)
{
    (void)state;
    int64_t x = LM_MICROS_PER_DAY + 2 * LM_MICROS_PER_HOUR + 3 * LM_MICROS_PER_MINUTE + 4001000;
    assert_dt_text(x, LM_INTERVAL_HIVE, LM_DT_DAY, LM_DT_SECOND, "1 02:03:04.001000000");
    assert_dt_text(-(23 * LM_MICROS_PER_HOUR + 59 * LM_MICROS_PER_SECOND), LM_INTERVAL_HIVE,
                   LM_DT_DAY, LM_DT_SECOND, "-0 23:00:59.000000000");
    assert_dt_text(LM_MICROS_PER_DAY, LM_INTERVAL_HIVE, LM_DT_DAY, LM_DT_DAY,
                   "1 00:00:00.000000000");
    int64_t y = 123 * LM_MICROS_PER_DAY + 12 * LM_MICROS_PER_HOUR + 34 * LM_MICROS_PER_MINUTE +
                56789123;
    assert_dt_text(y, LM_INTERVAL_ANSI, LM_DT_DAY, LM_DT_SECOND,
                   "INTERVAL '123 12:34:56.789123' DAY TO SECOND");
    assert_dt_text(3 * LM_MICROS_PER_DAY + 1000000, LM_INTERVAL_ANSI, LM_DT_DAY, LM_DT_SECOND,
                   "INTERVAL '3 00:00:01' DAY TO SECOND");
    assert_dt_text(-10123456, LM_INTERVAL_ANSI, LM_DT_SECOND, LM_DT_SECOND,
                   "INTERVAL '-10.123456' SECOND");
    assert_dt_text(10 * LM_MICROS_PER_DAY, LM_INTERVAL_ANSI, LM_DT_DAY, LM_DT_DAY,
                   "INTERVAL '10' DAY");
    assert_dt_text(23 * LM_MICROS_PER_HOUR + 59 * LM_MICROS_PER_MINUTE + 59000000,
                   LM_INTERVAL_ANSI, LM_DT_HOUR, LM_DT_SECOND,
                   "INTERVAL '23:59:59' HOUR TO SECOND");
    assert_dt_text(INT64_MIN, LM_INTERVAL_HIVE, LM_DT_DAY, LM_DT_SECOND,
                   "-106751991 04:00:54.775808000");
    assert_dt_text(INT64_MIN, LM_INTERVAL_ANSI, LM_DT_DAY, LM_DT_SECOND,
                   "INTERVAL '-106751991 04:00:54.775808' DAY TO SECOND");
}

static void test_multi_unit_strings_parse(void **state)
{
    (void)state;
    lm_interval iv = parse_ok("1 day 2 hours");
    assert_int_equal(iv.days, 1);
    assert_int_equal(iv.micros, 2 * LM_MICROS_PER_HOUR);
    iv = parse_ok("-1 year 2 months");
    assert_int_equal(iv.months, -10);
    iv = parse_ok("interval 3 month 1 hour");
    assert_int_equal(iv.months, 3);
    assert_int_equal(iv.micros, LM_MICROS_PER_HOUR);
    iv = parse_ok("1 week");
    assert_int_equal(iv.days, 7);
    iv = parse_ok("1.5 seconds");
    assert_int_equal(iv.micros, 1500000);
    iv = parse_ok("  -.5 SECOND 10 milliseconds 7 microsecond ");
    assert_int_equal(iv.micros, -500000 + 10000 + 7);
    iv = parse_ok("1.123456789 second");
    assert_int_equal(iv.micros, 1123456);
}

static void test_multi_unit_strings_reject_with_spark_messages(void **state)
{
    (void)state;
    assert_parse_error("1 dayz", "Error parsing '1 dayz' to interval, invalid unit 'dayz'");
    assert_parse_error("1.5 days",
                       "Error parsing '1.5 days' to interval, 'days' cannot have fractional part");
    assert_parse_error("1", "Error parsing '1' to interval, expect a unit name after '1' but hit EOL");
    assert_parse_error("", "Error parsing '' to interval, interval string cannot be empty");
    assert_parse_error("interval", "Error parsing 'interval' to interval, interval string cannot be empty");
    assert_parse_error("intervalx 1 day",
                       "Error parsing 'intervalx 1 day' to interval, invalid interval prefix intervalx");
    assert_parse_error("a day", "Error parsing 'a day' to interval, unrecognized number 'a'");
    assert_parse_error("1x day", "Error parsing '1x day' to interval, invalid value '1x'");
    assert_parse_error("1 day -",
                       "Error parsing '1 day -' to interval, expect a number after '-' but hit EOL");
    assert_parse_error("0.1234567890 second",
                       "Error parsing '0.1234567890 second' to interval, interval can only support "
                       "nanosecond precision, '0.1234567890' is out of range");
}

static void test_cast_string_to_year_month(void **state)
{
    (void)state;
    int32_t m;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_interval_parse_ym("1-2", 3, 0, 1, &m, &err), LM_OK);
    assert_int_equal(m, 14);
    assert_int_equal(lm_interval_parse_ym("-0-10", 5, 0, 1, &m, &err), LM_OK);
    assert_int_equal(m, -10);
    const char *lit = "interval '3-1' year to month";
    assert_int_equal(lm_interval_parse_ym(lit, strlen(lit), 0, 1, &m, &err), LM_OK);
    assert_int_equal(m, 37);
    lit = "INTERVAL -'-3-1' YEAR TO MONTH";
    assert_int_equal(lm_interval_parse_ym(lit, strlen(lit), 0, 1, &m, &err), LM_OK);
    assert_int_equal(m, 37);
    assert_int_equal(lm_interval_parse_ym("5", 1, 0, 0, &m, &err), LM_OK);
    assert_int_equal(m, 60);
    assert_int_equal(lm_interval_parse_ym("-5", 2, 1, 1, &m, &err), LM_OK);
    assert_int_equal(m, -5);
    assert_int_equal(lm_interval_parse_ym("1-12", 4, 0, 1, &m, &err), LM_ERROR);
    assert_string_equal(err.message, "Error parsing interval year-month string: requirement "
                                     "failed: month 12 outside range [0, 11]");
    assert_int_equal(lm_interval_parse_ym("1 2", 3, 0, 1, &m, &err), LM_ERROR);
    assert_string_equal(err.message,
                        "Interval string does not match year-month format of `[+|-]y-m`, "
                        "`INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH` when cast to interval year to "
                        "month: 1 2");
    lm_error_clear(&err);
}

static void test_cast_string_to_day_time(void **state)
{
    (void)state;
    int64_t us;
    lm_error err;
    lm_error_init(&err);
    const char *s = "interval '3 00:00:01' day to second";
    assert_int_equal(lm_interval_parse_dt(s, strlen(s), 0, 3, &us, &err), LM_OK);
    assert_int_equal(us, 3 * LM_MICROS_PER_DAY + 1000000);
    s = "-1 02:03:04.123";
    assert_int_equal(lm_interval_parse_dt(s, strlen(s), 0, 3, &us, &err), LM_OK);
    assert_int_equal(us, -93784123000LL);
    s = "123 12:34:56.789123123";
    assert_int_equal(lm_interval_parse_dt(s, strlen(s), 0, 3, &us, &err), LM_OK);
    assert_int_equal(us, 123 * LM_MICROS_PER_DAY + 45296789123LL);
    assert_int_equal(lm_interval_parse_dt("10", 2, 1, 1, &us, &err), LM_OK);
    assert_int_equal(us, 10 * LM_MICROS_PER_HOUR);
    assert_int_equal(lm_interval_parse_dt("-10.5", 5, 3, 3, &us, &err), LM_OK);
    assert_int_equal(us, -10500000);
    assert_int_equal(lm_interval_parse_dt("100:30", 6, 1, 2, &us, &err), LM_OK);
    assert_int_equal(us, 100 * LM_MICROS_PER_HOUR + 30 * LM_MICROS_PER_MINUTE);
    assert_int_equal(lm_interval_parse_dt("1 24:00", 7, 0, 2, &us, &err), LM_ERROR);
    assert_string_equal(err.message, "requirement failed: hour 24 outside range [0, 23]");
    assert_int_equal(lm_interval_parse_dt("1 2:03", 6, 0, 1, &us, &err), LM_ERROR);
    assert_string_equal(err.message,
                        "Interval string does not match day-time format of `[+|-]d h`, "
                        "`INTERVAL [+|-]'[+|-]d h' DAY TO HOUR` when cast to interval day to "
                        "hour: 1 2:03, set spark.sql.legacy.fromDayTimeString.enabled to true "
                        "to restore the behavior before Spark 3.0.");
    lm_error_clear(&err);
}

static void literal(const char *text, int nunits, const char *const *units, bool from_string,
                    lm_type_id kind, int s, int e, int64_t value)
{
    lm_type_id k;
    int sf, ef;
    lm_value v;
    lm_error err;
    lm_error_init(&err);
    if (lm_interval_literal(text, nunits, units, from_string, false, NULL, &k, &sf, &ef, &v,
                            &err) != LM_OK)
        fail_msg("%s: %s", text, err.message);
    assert_int_equal(k, kind);
    assert_int_equal(sf, s);
    assert_int_equal(ef, e);
    assert_int_equal(v.u.i64, value);
    lm_error_clear(&err);
}

static void literal_error(const char *text, int nunits, const char *const *units,
                          bool from_string, const char *source, const char *error_class,
                          const char *param, const char *param_value)
{
    lm_type_id k;
    int sf, ef;
    lm_value v;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_interval_literal(text, nunits, units, from_string, false, source, &k,
                                         &sf, &ef, &v, &err),
                     LM_ERROR);
    assert_string_equal(err.exception, "org.apache.spark.sql.catalyst.parser.ParseException");
    assert_string_equal(err.error_class, error_class);
    bool found = false;
    for (int i = 0; i < err.nparams; i++)
        if (strcmp(err.params[i].name, param) == 0) {
            assert_string_equal(err.params[i].value, param_value);
            found = true;
        }
    assert_true(found);
    lm_error_clear(&err);
}

static void test_interval_literals_are_ansi_types(void **state)
{
    (void)state;
    const char *day[] = {"day"};
    const char *second[] = {"SECOND"};
    const char *ym[] = {"year", "month"};
    const char *ds[] = {"day", "second"};
    const char *hs[] = {"hour", "second"};
    /* INTERVAL '1 day' -> interval day */
    literal("1 day", 0, NULL, true, LM_TYPE_DT_INTERVAL, LM_DT_DAY, LM_DT_DAY, LM_MICROS_PER_DAY);
    /* interval 10 year 20 month -> interval year to month, 11 years 8 months */
    literal("10 year 20 month", 0, NULL, false, LM_TYPE_YM_INTERVAL, LM_YM_YEAR, LM_YM_MONTH, 140);
    literal("30 day 40 hour 50 minute 6.7890 second", 0, NULL, false, LM_TYPE_DT_INTERVAL,
            LM_DT_DAY, LM_DT_SECOND,
            30 * LM_MICROS_PER_DAY + 40 * LM_MICROS_PER_HOUR + 50 * LM_MICROS_PER_MINUTE + 6789000);
    literal("2 weeks", 0, NULL, true, LM_TYPE_DT_INTERVAL, LM_DT_DAY, LM_DT_DAY,
            14 * LM_MICROS_PER_DAY);
    literal("3", 1, day, false, LM_TYPE_DT_INTERVAL, LM_DT_DAY, LM_DT_DAY, 3 * LM_MICROS_PER_DAY);
    literal("-10.123456", 1, second, false, LM_TYPE_DT_INTERVAL, LM_DT_SECOND, LM_DT_SECOND,
            -10123456);
    literal("-10-2", 2, ym, false, LM_TYPE_YM_INTERVAL, LM_YM_YEAR, LM_YM_MONTH, -122);
    literal("--10-2", 2, ym, false, LM_TYPE_YM_INTERVAL, LM_YM_YEAR, LM_YM_MONTH, 122);
    literal("-1 02:03:04.123", 2, ds, false, LM_TYPE_DT_INTERVAL, LM_DT_DAY, LM_DT_SECOND,
            -93784123000LL);
    literal("23:59:59", 2, hs, false, LM_TYPE_DT_INTERVAL, LM_DT_HOUR, LM_DT_SECOND,
            86399LL * 1000000);
}

static void test_interval_literal_errors(void **state)
{
    (void)state;
    const char *day[] = {"day"};
    const char *yd[] = {"year", "day"};
    const char *dh[] = {"day", "hour"};
    literal_error("3 month 1 hour", 0, NULL, false, "interval 3 month 1 hour",
                  "_LEGACY_ERROR_TEMP_0029", "literal", "interval 3 month 1 hour");
    literal_error("1 dayz", 0, NULL, true, NULL, "INVALID_TYPED_LITERAL", "value", "'1 dayz'");
    literal_error("1 day", 1, day, false, NULL, "_LEGACY_ERROR_TEMP_0026", "value", "1 day");
    literal_error("1-1", 2, yd, false, NULL, "_LEGACY_ERROR_TEMP_0028", "to", "day");
    literal_error("1 2:03", 2, dh, false, NULL, "_LEGACY_ERROR_TEMP_0063", "msg",
                  "Interval string does not match day-time format of `[+|-]d h`, "
                  "`INTERVAL [+|-]'[+|-]d h' DAY TO HOUR` when cast to interval day to hour: "
                  "1 2:03, set spark.sql.legacy.fromDayTimeString.enabled to true to restore "
                  "the behavior before Spark 3.0.");
}

static void test_legacy_interval_literals_are_calendar_intervals(void **state)
{
    (void)state;
    lm_type_id k;
    int sf, ef;
    lm_value v;
    assert_int_equal(lm_interval_literal("1 year 2 days", 0, NULL, false, true, NULL, &k, &sf,
                                         &ef, &v, NULL),
                     LM_OK);
    assert_int_equal(k, LM_TYPE_INTERVAL);
    assert_int_equal(v.u.iv.months, 12);
    assert_int_equal(v.u.iv.days, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_interval_to_string),
        cmocka_unit_test(test_year_month_hive_and_ansi_forms),
        cmocka_unit_test(test_day_time_hive_and_ansi_forms),
        cmocka_unit_test(test_multi_unit_strings_parse),
        cmocka_unit_test(test_multi_unit_strings_reject_with_spark_messages),
        cmocka_unit_test(test_cast_string_to_year_month),
        cmocka_unit_test(test_cast_string_to_day_time),
        cmocka_unit_test(test_interval_literals_are_ansi_types),
        cmocka_unit_test(test_interval_literal_errors),
        cmocka_unit_test(test_legacy_interval_literals_are_calendar_intervals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
