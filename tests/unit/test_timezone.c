/*
 * Zone ids as Spark's getZoneId resolves them, offsets from the tz
 * database (including the POSIX footer rule past the table), and java.time's
 * gap/overlap rules for local date-times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "types/datetime.h"
#include "types/timezone.h"

static const lm_tz *zone(const char *id)
{
    lm_error err;
    lm_error_init(&err);
    const lm_tz *tz = lm_tz_get(id, &err);
    if (tz == NULL)
        fail_msg("zone %s: %s", id, err.message);
    lm_error_clear(&err);
    return tz;
}

static void assert_zone_id(const char *id, const char *expected)
{
    assert_string_equal(lm_tz_id(zone(id)), expected);
}

static void assert_invalid_zone(const char *id, const char *exception)
{
    lm_error err;
    lm_error_init(&err);
    assert_null(lm_tz_get(id, &err));
    assert_int_equal(err.status, LM_ERROR);
    assert_string_equal(err.exception, exception);
    lm_error_clear(&err);
}

static void test_zone_ids_resolve_as_java_prints_them(void **state)
{
    (void)state;
    assert_zone_id("America/Los_Angeles", "America/Los_Angeles");
    assert_zone_id("UTC", "UTC");
    assert_zone_id("Z", "Z");
    assert_zone_id("GMT", "GMT");
    assert_zone_id("+08:00", "+08:00");
    assert_zone_id("-0800", "-08:00");
    assert_zone_id("+8", "+08:00");
    assert_zone_id("+00:00", "Z");
    assert_zone_id("+05:30:15", "+05:30:15");
    assert_zone_id("GMT+8", "GMT+08:00");
    assert_zone_id("UTC+05:30", "UTC+05:30");
    assert_zone_id("UT-3", "UT-03:00");
    assert_zone_id("UTC+0", "UTC");
}

static void test_spark_fixes_single_digit_hour_and_minute(void **state)
{
    (void)state;
    assert_zone_id("+8:00", "+08:00");
    assert_zone_id("-08:0", "-08:00");
    assert_zone_id("GMT+8:00", "GMT+08:00");
}

static void test_short_ids_map_as_java_short_ids(void **state)
{
    (void)state;
    assert_zone_id("PST", "America/Los_Angeles");
    assert_zone_id("EST", "-05:00");
    assert_zone_id("CTT", "Asia/Shanghai");
}

static void test_invalid_zone_ids_fail_with_java_exceptions(void **state)
{
    (void)state;
    assert_invalid_zone("Mars/Olympus", "java.time.zone.ZoneRulesException");
    assert_invalid_zone("america/los_angeles", "java.time.zone.ZoneRulesException");
    assert_invalid_zone("+19:00", "java.time.DateTimeException");
    assert_invalid_zone("+8:00:0", "java.time.DateTimeException");
    assert_invalid_zone("GMT+", "java.time.DateTimeException");
    assert_invalid_zone("1abc", "java.time.DateTimeException");
    assert_invalid_zone("posixrules", "java.time.zone.ZoneRulesException");
    assert_invalid_zone("../etc/passwd", "java.time.DateTimeException");
}

static void test_same_id_returns_same_zone(void **state)
{
    (void)state;
    assert_ptr_equal(zone("Europe/Paris"), zone("Europe/Paris"));
    assert_ptr_equal(zone("PST"), zone("America/Los_Angeles"));
}

static void test_los_angeles_offsets(void **state)
{
    (void)state;
    const lm_tz *la = zone("America/Los_Angeles");
    /* 2019-03-10T10:00:00Z is 02:00 PST -> PDT */
    assert_int_equal(lm_tz_utc_offset_seconds(la, 1552212000 - 1), -8 * 3600);
    assert_int_equal(lm_tz_utc_offset_seconds(la, 1552212000), -7 * 3600);
    /* 1800: local mean time -7:52:58 */
    assert_int_equal(lm_tz_utc_offset_seconds(la, -5364662400LL), -(7 * 3600 + 52 * 60 + 58));
    /* 2100-07-01: past the table, from the footer rule PST8PDT,M3.2.0,M11.1.0 */
    assert_int_equal(lm_tz_utc_offset_seconds(la, 4118083200LL), -7 * 3600);
    assert_int_equal(lm_tz_utc_offset_seconds(la, 4102444800LL), -8 * 3600);
}

static void test_southern_hemisphere_footer_rule(void **state)
{
    (void)state;
    const lm_tz *syd = zone("Australia/Sydney");
    /* 2200-01-15 (summer, AEDT +11) and 2200-07-15 (winter, AEST +10) */
    assert_int_equal(lm_tz_utc_offset_seconds(syd, 7259328000LL), 11 * 3600);
    assert_int_equal(lm_tz_utc_offset_seconds(syd, 7274966400LL), 10 * 3600);
}

static void test_local_time_in_gap_moves_forward(void **state)
{
    (void)state;
    /* 2019-03-10 02:30 does not exist in Los Angeles: 03:30 PDT = 10:30Z */
    const lm_tz *la = zone("America/Los_Angeles");
    int64_t local = 1552185000; /* 2019-03-10T02:30:00 as local seconds */
    assert_int_equal(lm_tz_local_to_utc_seconds(la, local, LM_TZ_NO_PREFERRED), 1552213800);
}

static void test_local_time_in_overlap_takes_earlier_offset(void **state)
{
    (void)state;
    /* 2019-11-03 01:30 happens twice: Java keeps PDT (-7) = 08:30Z */
    const lm_tz *la = zone("America/Los_Angeles");
    int64_t local = 1572744600; /* 2019-11-03T01:30:00 */
    assert_int_equal(lm_tz_local_to_utc_seconds(la, local, LM_TZ_NO_PREFERRED), 1572769800);
    /* a preferred offset that is valid wins (ZonedDateTime.truncatedTo) */
    assert_int_equal(lm_tz_local_to_utc_seconds(la, local, -8 * 3600), 1572773400);
}

static void test_fixed_offset_conversions(void **state)
{
    (void)state;
    const lm_tz *z = zone("+05:30");
    assert_int_equal(lm_tz_utc_offset_seconds(z, 0), 19800);
    assert_int_equal(lm_tz_local_to_utc_seconds(z, 19800, LM_TZ_NO_PREFERRED), 0);
    int32_t off = 0;
    assert_true(lm_tz_is_fixed(z, &off));
    assert_int_equal(off, 19800);
    assert_false(lm_tz_is_fixed(zone("Europe/Paris"), NULL));
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
        cmocka_unit_test(test_zone_ids_resolve_as_java_prints_them),
        cmocka_unit_test(test_spark_fixes_single_digit_hour_and_minute),
        cmocka_unit_test(test_short_ids_map_as_java_short_ids),
        cmocka_unit_test(test_invalid_zone_ids_fail_with_java_exceptions),
        cmocka_unit_test(test_same_id_returns_same_zone),
        cmocka_unit_test(test_los_angeles_offsets),
        cmocka_unit_test(test_southern_hemisphere_footer_rule),
        cmocka_unit_test(test_local_time_in_gap_moves_forward),
        cmocka_unit_test(test_local_time_in_overlap_takes_earlier_offset),
        cmocka_unit_test(test_fixed_offset_conversions),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
