/*
 * Spark 3 datetime patterns: formatting (date_format), strict parsing
 * (to_timestamp, to_date) and the pattern errors Spark raises.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "types/datetime.h"
#include "types/datetime_format.h"

static const lm_tz *la(void)
{
    return lm_tz_get("America/Los_Angeles", NULL);
}

/* 2021-07-11 06:30:45.678 in Los Angeles (PDT) */
#define TS 1626010245678000LL

static void assert_format(const char *pattern, int64_t micros, const char *expected)
{
    lm_error err;
    lm_error_init(&err);
    lm_dtf *f = lm_dtf_compile(pattern, false, &err);
    if (f == NULL)
        fail_msg("%s: %s", pattern, err.message);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_dtf_format_ts(f, &sb, micros, la());
    assert_string_equal(lm_strbuf_cstr(&sb), expected);
    lm_strbuf_free(&sb);
    lm_dtf_free(f);
}

static lm_dtf_result parse_ts(const char *pattern, const char *s, int64_t *out)
{
    lm_error err;
    lm_error_init(&err);
    lm_dtf *f = lm_dtf_compile(pattern, true, &err);
    if (f == NULL)
        fail_msg("%s: %s", pattern, err.message);
    lm_dtf_result r = lm_dtf_parse_ts(f, s, strlen(s), la(), out);
    lm_dtf_free(f);
    return r;
}

static void assert_parses_to(const char *pattern, const char *s, const char *expected)
{
    int64_t v = 0;
    assert_int_equal(parse_ts(pattern, s, &v), LM_DTF_OK);
    char buf[LM_TS_BUF];
    lm_ts_format(buf, v, la());
    assert_string_equal(buf, expected);
}

static void assert_pattern_error(const char *pattern, bool parsing, const char *exception,
                                 const char *error_class, const char *message)
{
    lm_error err;
    lm_error_init(&err);
    assert_null(lm_dtf_compile(pattern, parsing, &err));
    assert_string_equal(err.exception, exception);
    if (error_class != NULL)
        assert_string_equal(err.error_class, error_class);
    else
        assert_null(err.error_class);
    if (message != NULL)
        assert_string_equal(err.message, message);
    lm_error_clear(&err);
}

static void test_format_numeric_fields(void **state)
{
    (void)state;
    assert_format("yyyy-MM-dd HH:mm:ss.SSS", TS, "2021-07-11 06:30:45.678");
    assert_format("y", TS, "2021");
    assert_format("yy/M/d H:m:s", TS, "21/7/11 6:30:45");
    assert_format("D DDD", TS, "192 192");
    assert_format("SSSSSS S", TS, "678000 6");
    assert_format("hh:mm a k K", TS, "06:30 AM 6 6");
    assert_format("h a k", TS - 6LL * 3600 * 1000000 - 30LL * 60 * 1000000, "12 AM 24");
    assert_format("Q QQ QQQ QQQQ", TS, "3 03 Q3 3rd quarter");
}

static void test_format_text_fields(void **state)
{
    (void)state;
    assert_format("EEE, MMM d, yyyy", TS, "Sun, Jul 11, 2021");
    assert_format("EEEE MMMM G", TS, "Sunday July AD");
    assert_format("yyyy'T'HH''mm", TS, "2021T06'30");
    assert_format("'o''clock'", TS, "o'clock");
}

static void test_format_zones_and_offsets(void **state)
{
    (void)state;
    assert_format("XXX xx Z ZZZZ O OOOO", TS, "-07:00 -0700 -0700 GMT-07:00 GMT-7 GMT-07:00");
    assert_format("VV", TS, "America/Los_Angeles");
    lm_dtf *f = lm_dtf_compile("X XXX x", false, NULL);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_dtf_format_ts(f, &sb, TS, lm_tz_utc());
    assert_string_equal(lm_strbuf_cstr(&sb), "Z Z +00");
    lm_strbuf_free(&sb);
    lm_dtf_free(f);
}

static void test_format_years_beyond_four_digits(void **state)
{
    (void)state;
    int64_t far;
    assert_true(lm_ts_from_local(12345, 1, 2, 0, 0, 0, 0, la(), &far));
    assert_format("yyyy-MM-dd", far, "+12345-01-02");
    assert_format("y", far, "12345");
}

static void test_parse_strict_forms(void **state)
{
    (void)state;
    assert_parses_to("yyyy-MM-dd HH:mm:ss", "2016-12-31 00:12:00", "2016-12-31 00:12:00");
    assert_parses_to("yyyyMMdd", "20190101", "2019-01-01 00:00:00");
    assert_parses_to("yyyyMMddHHmmss", "20190101123456", "2019-01-01 12:34:56");
    assert_parses_to("yyyy-MM-dd HH:mm:ss.SSS", "2019-01-01 10:00:00.5", "2019-01-01 10:00:00.5");
    assert_parses_to("dd/MMM/yyyy hh:mm a", "05/jan/2020 01:05 pm", "2020-01-05 13:05:00");
    assert_parses_to("HH:mm", "10:30", "1970-01-01 10:30:00");
    assert_parses_to("yyyy-MM-dd HH:mm:ss XXX", "2019-01-01 10:00:00 +08:00",
                     "2018-12-31 18:00:00");
    assert_parses_to("yyyy-MM-dd HH:mm:ss VV", "2019-01-01 10:00:00 UTC", "2019-01-01 02:00:00");
    assert_parses_to("yyyy-MM-dd[ HH:mm]", "2019-01-01", "2019-01-01 00:00:00");
    assert_parses_to("yyyy-MM-dd[ HH:mm]", "2019-01-01 08:15", "2019-01-01 08:15:00");
    assert_parses_to("yyyy-MM-dd HH:mm", "2019-03-10 02:30", "2019-03-10 03:30:00");
    assert_parses_to("yy-MM-dd", "19-05-06", "2019-05-06 00:00:00");
    assert_parses_to("yyyy DDD", "2020 060", "2020-02-29 00:00:00");
}

static void test_parse_rejects_mismatches(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(parse_ts("yyyy-MM-dd", "2019-02-30", &v), LM_DTF_FAIL);
    assert_int_equal(parse_ts("yyyy-MM-dd", "2019-01-01 10:00", &v), LM_DTF_FAIL);
    assert_int_equal(parse_ts("yyyy-MM-dd", "abc", &v), LM_DTF_FAIL);
    assert_int_equal(parse_ts("HH:mm", "25:00", &v), LM_DTF_FAIL);
    /* Spark 2 would have read these: Spark 3.5 raises SparkUpgradeException */
    assert_int_equal(parse_ts("yyyy-MM-dd", "2019-1-1", &v), LM_DTF_UPGRADE);
    lm_error err;
    lm_error_init(&err);
    lm_dtf_upgrade_error(&err, "2019-1-1", 8);
    assert_string_equal(err.error_class,
                        "INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER");
    lm_error_clear(&err);
}

static void test_parse_date_and_ntz(void **state)
{
    (void)state;
    lm_dtf *f = lm_dtf_compile("yyyy-MM-dd HH:mm:ss XXX", true, NULL);
    int32_t days;
    int64_t us;
    assert_int_equal(lm_dtf_parse_date(f, "2016-12-31 23:00:00 +08:00", 26, &days), LM_DTF_OK);
    char buf[LM_DATE_BUF];
    lm_date_format(buf, days);
    assert_string_equal(buf, "2016-12-31");
    assert_int_equal(lm_dtf_parse_ntz(f, "2016-12-31 23:00:00 +08:00", 26, false, &us),
                     LM_DTF_FAIL);
    assert_int_equal(lm_dtf_parse_ntz(f, "2016-12-31 23:00:00 +08:00", 26, true, &us),
                     LM_DTF_OK);
    char tbuf[LM_TS_BUF];
    lm_ts_ntz_format(tbuf, us);
    assert_string_equal(tbuf, "2016-12-31 23:00:00");
    lm_dtf_free(f);
}

static void test_unsupported_patterns_fail_as_spark(void **state)
{
    (void)state;
    assert_pattern_error("YYYY-MM-dd", false, "org.apache.spark.SparkUpgradeException",
                         "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION", NULL);
    assert_pattern_error("MMMMM", false, "org.apache.spark.SparkUpgradeException",
                         "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION", NULL);
    assert_pattern_error("EEE yyyy", true, "org.apache.spark.SparkUpgradeException",
                         "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION", NULL);
    assert_pattern_error("yyyy-nn", false, "java.lang.IllegalArgumentException", NULL,
                         "Illegal pattern character: n");
    assert_pattern_error("yyyy-ee", false, "java.lang.IllegalArgumentException", NULL,
                         "All week-based patterns are unsupported since Spark 3.0, detected: e, "
                         "Please use the SQL function EXTRACT instead");
    assert_pattern_error("yyyy-MM-dd'", false, "java.lang.IllegalArgumentException", NULL, NULL);
    /* java.time rejects '#', SimpleDateFormat took it as text: upgrade error */
    assert_pattern_error("yyyy#", false, "org.apache.spark.SparkUpgradeException",
                         "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION", NULL);
    assert_pattern_error("qq", true, "java.lang.IllegalArgumentException", NULL,
                         "Illegal pattern character: q");
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
        cmocka_unit_test(test_format_numeric_fields),
        cmocka_unit_test(test_format_text_fields),
        cmocka_unit_test(test_format_zones_and_offsets),
        cmocka_unit_test(test_format_years_beyond_four_digits),
        cmocka_unit_test(test_parse_strict_forms),
        cmocka_unit_test(test_parse_rejects_mismatches),
        cmocka_unit_test(test_parse_date_and_ntz),
        cmocka_unit_test(test_unsupported_patterns_fail_as_spark),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
