/*
 * The civil calendar, Spark's date arithmetic, the default string forms of
 * dates and timestamps, and Spark's lenient string -> date/timestamp casts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "types/datetime.h"

static const lm_tz *la(void)
{
    return lm_tz_get("America/Los_Angeles", NULL);
}

static int32_t d(const char *s)
{
    int32_t out = 0;
    if (!lm_date_parse(s, strlen(s), &out))
        fail_msg("date %s did not parse", s);
    return out;
}

static int64_t ts(const char *s)
{
    int64_t out = 0;
    if (!lm_ts_parse(s, strlen(s), la(), &out))
        fail_msg("timestamp %s did not parse", s);
    return out;
}

static void assert_date_text(int32_t days, const char *expected)
{
    char buf[LM_DATE_BUF];
    lm_date_format(buf, days);
    assert_string_equal(buf, expected);
}

static void assert_ts_text(int64_t micros, const char *expected)
{
    char buf[LM_TS_BUF];
    lm_ts_format(buf, micros, la());
    assert_string_equal(buf, expected);
}

static void test_civil_round_trip_at_extremes(void **state)
{
    (void)state;
    assert_int_equal(lm_date_from_civil(1970, 1, 1), 0);
    assert_int_equal(lm_date_from_civil(1582, 10, 10), -141432); /* proleptic, no Julian gap */
    assert_int_equal(lm_date_from_civil(1, 1, 1), -719162);
    assert_int_equal(lm_date_from_civil(9999, 12, 31), 2932896);
    assert_date_text(INT32_MAX, "+5881580-07-11");
    assert_date_text(INT32_MIN, "-5877641-06-23");
    for (int64_t days = -800000; days < 800000; days += 97) {
        int64_t y;
        int m, dd;
        lm_date_to_civil(days, &y, &m, &dd);
        assert_int_equal(lm_date_from_civil(y, m, dd), days);
    }
}

static void test_date_format_signs_years_outside_four_digits(void **state)
{
    (void)state;
    assert_date_text(d("2016-03-12"), "2016-03-12");
    assert_date_text((int32_t)lm_date_from_civil(999999, 3, 18), "+999999-03-18");
    assert_date_text((int32_t)lm_date_from_civil(-1, 1, 28), "-0001-01-28");
    assert_date_text((int32_t)lm_date_from_civil(0, 1, 1), "0000-01-01");
    assert_date_text((int32_t)lm_date_from_civil(10000, 1, 1), "+10000-01-01");
}

static void test_ts_format_trims_fraction(void **state)
{
    (void)state;
    /* 2021-07-11 06:30:45.678 PDT */
    assert_ts_text(1626010245678000LL, "2021-07-11 06:30:45.678");
    assert_ts_text(1626010245000000LL, "2021-07-11 06:30:45");
    assert_ts_text(1626010245000001LL, "2021-07-11 06:30:45.000001");
    assert_ts_text(0, "1969-12-31 16:00:00");
    char buf[LM_TS_BUF];
    lm_ts_ntz_format(buf, -1);
    assert_string_equal(buf, "1969-12-31 23:59:59.999999");
}

static void test_fields_and_weeks(void **state)
{
    (void)state;
    int32_t x = d("2008-12-28");
    assert_int_equal(lm_date_year(x), 2008);
    assert_int_equal(lm_date_month(x), 12);
    assert_int_equal(lm_date_day_of_month(x), 28);
    assert_int_equal(lm_date_quarter(x), 4);
    assert_int_equal(lm_date_day_of_year(x), 363);
    assert_int_equal(lm_date_day_of_week(x), 1); /* Sunday */
    assert_int_equal(lm_date_weekday(x), 6);
    assert_int_equal(lm_date_iso_week(x), 52);
    assert_int_equal(lm_date_iso_week(d("2010-01-03")), 53);
    assert_int_equal(lm_date_iso_week_year(d("2010-01-03")), 2009);
    lm_datetime_fields f;
    lm_ts_fields(ts("2011-05-06 07:08:09.1234567"), la(), &f);
    assert_int_equal(f.hour, 7);
    assert_int_equal(f.minute, 8);
    assert_int_equal(f.second, 9);
    assert_int_equal(f.micros, 123456);
}

static void test_add_months_clamps_to_month_end(void **state)
{
    (void)state;
    int32_t out;
    assert_true(lm_date_add_months(d("2019-01-31"), 1, &out));
    assert_date_text(out, "2019-02-28");
    assert_true(lm_date_add_months(d("2020-02-29"), 12, &out));
    assert_date_text(out, "2021-02-28");
    assert_true(lm_date_add_months(d("2020-03-31"), -1, &out));
    assert_date_text(out, "2020-02-29");
    assert_false(lm_date_add_months(INT32_MAX, 12, &out));
}

static void test_months_between_follows_spark(void **state)
{
    (void)state;
    int64_t a = ts("1997-02-28 10:30:00"), b = ts("1996-10-30");
    assert_true(lm_ts_months_between(a, b, true, la()) == 3.94959677);
    assert_true(lm_ts_months_between(a, b, false, la()) == 3.9495967741935485);
    /* both month ends: whole months */
    assert_true(lm_ts_months_between(ts("2019-02-28"), ts("2019-01-31"), true, la()) == 1.0);
}

static void test_last_day_next_day_trunc(void **state)
{
    (void)state;
    int32_t out;
    assert_date_text(lm_date_last_day(d("2020-02-10")), "2020-02-29");
    assert_true(lm_date_next_day(d("2015-01-14"), "TU", 2, &out));
    assert_date_text(out, "2015-01-20");
    assert_true(lm_date_next_day(d("2015-01-20"), "tuesday", 7, &out));
    assert_date_text(out, "2015-01-27");
    assert_false(lm_date_next_day(d("2015-01-20"), "xx", 2, &out));
    assert_true(lm_date_trunc(d("2019-08-14"), lm_trunc_level_parse("week", 4), &out));
    assert_date_text(out, "2019-08-12");
    assert_true(lm_date_trunc(d("2019-08-14"), lm_trunc_level_parse("QUARTER", 7), &out));
    assert_date_text(out, "2019-07-01");
    assert_true(lm_date_trunc(d("2019-08-14"), lm_trunc_level_parse("yy", 2), &out));
    assert_date_text(out, "2019-01-01");
    assert_false(lm_date_trunc(d("2019-08-14"), lm_trunc_level_parse("DAY", 3), &out));
    assert_int_equal(lm_trunc_level_parse("decade", 6), LM_TRUNC_INVALID);
    int64_t t;
    assert_true(lm_ts_trunc(ts("2015-03-05 09:32:05.359"), LM_TRUNC_HOUR, la(), &t));
    assert_ts_text(t, "2015-03-05 09:00:00");
    assert_true(lm_ts_trunc(ts("2015-03-05 09:32:05.359"), LM_TRUNC_MILLISECOND, la(), &t));
    assert_ts_text(t, "2015-03-05 09:32:05.359");
    assert_true(lm_ts_trunc(ts("2015-03-05 09:32:05.359"), LM_TRUNC_MONTH, la(), &t));
    assert_ts_text(t, "2015-03-01 00:00:00");
    /* second 01:30 PST of 2019-11-03 truncates to 01:00 PST, not PDT */
    int64_t second_pass = ts("2019-11-03 01:30:00") + 3600LL * 1000000;
    assert_true(lm_ts_trunc(second_pass, LM_TRUNC_HOUR, la(), &t));
    assert_int_equal(t, second_pass - 1800LL * 1000000);
}

static void test_string_to_date_forms(void **state)
{
    (void)state;
    int32_t out;
    assert_date_text(d("2015"), "2015-01-01");
    assert_date_text(d("2015-3"), "2015-03-01");
    assert_date_text(d(" 2015-03-18 "), "2015-03-18");
    assert_date_text(d("2015-03-18T12:03:17"), "2015-03-18");
    assert_date_text(d("2015-03-18 anything"), "2015-03-18");
    assert_date_text(d("+12345-01-02"), "+12345-01-02");
    assert_date_text(d("-0001-01-28"), "-0001-01-28");
    assert_false(lm_date_parse("2015-02-29", 10, &out));
    assert_false(lm_date_parse("2015-13-01", 10, &out));
    assert_false(lm_date_parse("015-03-18", 9, &out));
    assert_false(lm_date_parse("2015-03x", 8, &out));
    assert_date_text(d("2015-03 "), "2015-03-01");
    assert_false(lm_date_parse("2015/03/18", 10, &out));
    assert_false(lm_date_parse("mar 11 2016", 11, &out));
    assert_false(lm_date_parse("", 0, &out));
    assert_false(lm_date_parse("2015-03-18X", 11, &out));
}

static void test_string_to_timestamp_forms(void **state)
{
    (void)state;
    int64_t out;
    assert_ts_text(ts("2016-03-11 20:54:00.000"), "2016-03-11 20:54:00");
    assert_int_equal(ts("2016-03-11 20:54:00"), 1457758440000000LL);
    assert_ts_text(ts("2016-03-11T20:54"), "2016-03-11 20:54:00");
    assert_ts_text(ts("2016-03-11"), "2016-03-11 00:00:00");
    assert_ts_text(ts("2016-03"), "2016-03-01 00:00:00");
    assert_ts_text(ts("2016"), "2016-01-01 00:00:00");
    assert_ts_text(ts("2016-03-11 20:54:00.1234567"), "2016-03-11 20:54:00.123456");
    assert_ts_text(ts("2016-03-11 20:54:00Z"), "2016-03-11 12:54:00");
    assert_ts_text(ts("2016-03-11T20:54:00+08:00"), "2016-03-11 04:54:00");
    assert_ts_text(ts("2016-03-11 20:54:00 UTC"), "2016-03-11 12:54:00");
    assert_ts_text(ts("2016-03-11 20:54:00.5 Europe/Paris"), "2016-03-11 11:54:00.5");
    assert_ts_text(ts("2016-03-11 20:54:00GMT+1"), "2016-03-11 11:54:00");
    assert_ts_text(ts("2019-03-10 02:30:00"), "2019-03-10 03:30:00");
    assert_false(lm_ts_parse("2016-33-11 20:54:00.000", 23, la(), &out));
    assert_false(lm_ts_parse("2016-03-11 25:00:00", 19, la(), &out));
    assert_false(lm_ts_parse("2016-03-11 20:54:00 Mars/X", 26, la(), &out));
    assert_false(lm_ts_parse("2016-03-11 20:54 UTC", 20, la(), &out));
    assert_false(lm_ts_parse("abc", 3, la(), &out));
    /* time-only strings take today's date */
    assert_true(lm_ts_parse("12:34:56", 8, la(), &out));
    assert_true(lm_ts_parse("T12:34", 6, la(), &out));
}

static void test_string_to_timestamp_ntz(void **state)
{
    (void)state;
    int64_t out;
    assert_true(lm_ts_ntz_parse("2011-05-06 07:08:09.1234567", 27, false, &out));
    char buf[LM_TS_BUF];
    lm_ts_ntz_format(buf, out);
    assert_string_equal(buf, "2011-05-06 07:08:09.123456");
    assert_false(lm_ts_ntz_parse("2011-05-06 07:08:09+01:00", 25, false, &out));
    assert_true(lm_ts_ntz_parse("2011-05-06 07:08:09+01:00", 25, true, &out));
    lm_ts_ntz_format(buf, out);
    assert_string_equal(buf, "2011-05-06 07:08:09");
    assert_false(lm_ts_ntz_parse("07:08:09", 8, true, &out));
    assert_true(lm_ts_string_has_zone("2011-05-06 07:08:09 UTC", 23));
    assert_false(lm_ts_string_has_zone("2011-05-06 07:08:09", 19));
}

static void test_date_timestamp_conversions(void **state)
{
    (void)state;
    int64_t out;
    assert_true(lm_date_to_ts(d("2019-03-10"), la(), &out));
    assert_ts_text(out, "2019-03-10 00:00:00");
    assert_int_equal(lm_ts_to_date(ts("2019-03-10 23:59:59"), la()), d("2019-03-10"));
    /* a day starting in a gap starts at the transition (America/Sao_Paulo 2018-11-04) */
    const lm_tz *sp = lm_tz_get("America/Sao_Paulo", NULL);
    assert_true(lm_date_to_ts(d("2018-11-04"), sp, &out));
    assert_int_equal(out, 1541300400000000LL);
    assert_true(lm_ts_to_ntz(0, la(), &out));
    assert_int_equal(out, -8LL * 3600 * 1000000);
    assert_true(lm_ts_ntz_to_ts(-8LL * 3600 * 1000000, la(), &out));
    assert_int_equal(out, 0);
}

static int teardown(void **state)
{
    (void)state;
    lm_tz_registry_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_round_trip_at_extremes),
        cmocka_unit_test(test_date_format_signs_years_outside_four_digits),
        cmocka_unit_test(test_ts_format_trims_fraction),
        cmocka_unit_test(test_fields_and_weeks),
        cmocka_unit_test(test_add_months_clamps_to_month_end),
        cmocka_unit_test(test_months_between_follows_spark),
        cmocka_unit_test(test_last_day_next_day_trunc),
        cmocka_unit_test(test_string_to_date_forms),
        cmocka_unit_test(test_string_to_timestamp_forms),
        cmocka_unit_test(test_string_to_timestamp_ntz),
        cmocka_unit_test(test_date_timestamp_conversions),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
