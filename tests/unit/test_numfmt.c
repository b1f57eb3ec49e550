/*
 * Number text: Java's Double/Float.toString output and Spark's non-ANSI
 * string-to-number casts. Expected strings are what the JVM (JDK 19+) and
 * Spark 3.5 produce.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "types/numfmt.h"

static const char *fmt_d(double d)
{
    static char buf[LM_NUMFMT_BUFSZ];
    int n = lm_format_double(buf, d);
    assert_int_equal(n, (int)strlen(buf));
    return buf;
}

static const char *fmt_f(float f)
{
    static char buf[LM_NUMFMT_BUFSZ];
    int n = lm_format_float(buf, f);
    assert_int_equal(n, (int)strlen(buf));
    return buf;
}

/* ---- Double.toString ---- */

static void test_double_integral_values_keep_point_zero(void **state)
{
    (void)state;
    assert_string_equal(fmt_d(1.0), "1.0");
    assert_string_equal(fmt_d(0.0), "0.0");
    assert_string_equal(fmt_d(-0.0), "-0.0");
    assert_string_equal(fmt_d(100.0), "100.0");
    assert_string_equal(fmt_d(-42.0), "-42.0");
    assert_string_equal(fmt_d(1234567.0), "1234567.0");
    assert_string_equal(fmt_d(9999999.0), "9999999.0");
}

static void test_double_plain_between_1e_minus3_and_1e7(void **state)
{
    (void)state;
    assert_string_equal(fmt_d(0.001), "0.001");
    assert_string_equal(fmt_d(0.1), "0.1");
    assert_string_equal(fmt_d(123456.789), "123456.789");
    assert_string_equal(fmt_d(1.0 / 3.0), "0.3333333333333333");
    assert_string_equal(fmt_d(2.0 / 3.0), "0.6666666666666666");
    assert_string_equal(fmt_d(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(fmt_d(-1.5), "-1.5");
    assert_string_equal(fmt_d(3.141592653589793), "3.141592653589793");
}

static void test_double_scientific_outside_plain_range(void **state)
{
    (void)state;
    assert_string_equal(fmt_d(1.0e7), "1.0E7");
    assert_string_equal(fmt_d(2.35e10), "2.35E10");
    assert_string_equal(fmt_d(1.0e-4), "1.0E-4");
    assert_string_equal(fmt_d(1.0e-5), "1.0E-5");
    assert_string_equal(fmt_d(9.99e-4), "9.99E-4");
    assert_string_equal(fmt_d(-1.25e-7), "-1.25E-7");
    assert_string_equal(fmt_d(1.0e21), "1.0E21");
    assert_string_equal(fmt_d(1.0e23), "1.0E23");
    assert_string_equal(fmt_d(2.0e23), "2.0E23");
    assert_string_equal(fmt_d(12345678.0), "1.2345678E7");
}

static void test_double_extremes(void **state)
{
    (void)state;
    assert_string_equal(fmt_d(4.9e-324), "4.9E-324");
    assert_string_equal(fmt_d(DBL_MAX), "1.7976931348623157E308");
    assert_string_equal(fmt_d(DBL_MIN), "2.2250738585072014E-308");
    assert_string_equal(fmt_d(9007199254740993.0), "9.007199254740992E15");
    assert_string_equal(fmt_d((double)INT64_MAX), "9.223372036854776E18");
}

static void test_double_special_values(void **state)
{
    (void)state;
    assert_string_equal(fmt_d(NAN), "NaN");
    assert_string_equal(fmt_d(INFINITY), "Infinity");
    assert_string_equal(fmt_d(-INFINITY), "-Infinity");
}

/* ---- Float.toString ---- */

static void test_float_uses_float_shortest_digits(void **state)
{
    (void)state;
    assert_string_equal(fmt_f(0.1f), "0.1");
    assert_string_equal(fmt_f(1.0f), "1.0");
    assert_string_equal(fmt_f(-0.0f), "-0.0");
    assert_string_equal(fmt_f(3.14f), "3.14");
    assert_string_equal(fmt_f(1.0e10f), "1.0E10");
    assert_string_equal(fmt_f(FLT_MAX), "3.4028235E38");
    assert_string_equal(fmt_f(1.4e-45f), "1.4E-45");
    assert_string_equal(fmt_f(16777217.0f), "1.6777216E7");
    assert_string_equal(fmt_f(1.0f / 3.0f), "0.33333334");
    assert_string_equal(fmt_f(NAN), "NaN");
    assert_string_equal(fmt_f(-INFINITY), "-Infinity");
}

static void test_shortest_digits_reports_digits_and_exponent(void **state)
{
    (void)state;
    char dg[24];
    int e;
    assert_int_equal(lm_double_shortest_digits(123.45, dg, &e), 5);
    assert_string_equal(dg, "12345");
    assert_int_equal(e, 2);
    assert_int_equal(lm_double_shortest_digits(1e-10, dg, &e), 1);
    assert_string_equal(dg, "1");
    assert_int_equal(e, -10);
    assert_int_equal(lm_float_shortest_digits(0.1f, dg, &e), 1);
    assert_string_equal(dg, "1");
    assert_int_equal(e, -1);
}

/* Every double printed must parse back to itself. */
static void test_double_format_round_trips(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (!isfinite(d))
            continue;
        const char *s = fmt_d(d);
        double back;
        assert_true(lm_parse_double(s, strlen(s), &back));
        assert_memory_equal(&back, &d, sizeof d);
        float f = (float)d;
        if (isfinite(f)) {
            const char *t = fmt_f(f);
            float fb;
            assert_true(lm_parse_float(t, strlen(t), &fb));
            assert_memory_equal(&fb, &f, sizeof f);
        }
    }
}

/* ---- string -> integral ---- */

#define S(lit) lit, sizeof(lit) - 1

static void test_parse_long_trims_whitespace_and_controls(void **state)
{
    (void)state;
    int64_t v;
    assert_true(lm_parse_long(S(" 12 "), &v));
    assert_int_equal(v, 12);
    assert_true(lm_parse_long(S("\t\n-7\r\x01"), &v));
    assert_int_equal(v, -7);
    assert_true(lm_parse_long(S("+5\x7f"), &v));
    assert_int_equal(v, 5);
    assert_false(lm_parse_long(S("1 2"), &v));
    assert_false(lm_parse_long(S(""), &v));
    assert_false(lm_parse_long(S("   "), &v));
}

static void test_parse_long_truncates_fraction(void **state)
{
    (void)state;
    int64_t v;
    assert_true(lm_parse_long(S("1.9"), &v));
    assert_int_equal(v, 1);
    assert_true(lm_parse_long(S("-1.9"), &v));
    assert_int_equal(v, -1);
    assert_true(lm_parse_long(S("1."), &v));
    assert_int_equal(v, 1);
    assert_true(lm_parse_long(S("."), &v));
    assert_int_equal(v, 0);
    assert_true(lm_parse_long(S("-.5"), &v));
    assert_int_equal(v, 0);
    assert_false(lm_parse_long(S("1.2.3"), &v));
    assert_false(lm_parse_long(S("1.x"), &v));
}

static void test_parse_long_rejects_exponent_and_junk(void **state)
{
    (void)state;
    int64_t v;
    assert_false(lm_parse_long(S("1e2"), &v));
    assert_false(lm_parse_long(S("abc"), &v));
    assert_false(lm_parse_long(S("-"), &v));
    assert_false(lm_parse_long(S("+"), &v));
    assert_false(lm_parse_long(S("--1"), &v));
    assert_false(lm_parse_long(S("0x10"), &v));
}

static void test_parse_long_overflow_fails(void **state)
{
    (void)state;
    int64_t v;
    assert_true(lm_parse_long(S("9223372036854775807"), &v));
    assert_int_equal(v, INT64_MAX);
    assert_true(lm_parse_long(S("-9223372036854775808"), &v));
    assert_true(v == INT64_MIN);
    assert_false(lm_parse_long(S("9223372036854775808"), &v));
    assert_false(lm_parse_long(S("-9223372036854775809"), &v));
    assert_false(lm_parse_long(S("99999999999999999999"), &v));
    assert_true(lm_parse_long(S("00000000000000000000001"), &v));
    assert_int_equal(v, 1);
}

static void test_parse_int_short_byte_ranges(void **state)
{
    (void)state;
    int32_t i;
    int16_t s;
    int8_t b;
    assert_true(lm_parse_int(S("2147483647"), &i));
    assert_int_equal(i, INT32_MAX);
    assert_true(lm_parse_int(S("-2147483648"), &i));
    assert_int_equal(i, INT32_MIN);
    assert_false(lm_parse_int(S("2147483648"), &i));
    assert_true(lm_parse_short(S("-32768"), &s));
    assert_int_equal(s, -32768);
    assert_false(lm_parse_short(S("32768"), &s));
    assert_true(lm_parse_byte(S(" 127.99 "), &b));
    assert_int_equal(b, 127);
    assert_false(lm_parse_byte(S("128"), &b));
    assert_true(lm_parse_byte(S("-128"), &b));
    assert_int_equal(b, -128);
}

/* ---- string -> double/float ---- */

static void test_parse_double_java_syntax(void **state)
{
    (void)state;
    double d;
    assert_true(lm_parse_double(S("1.5"), &d));
    assert_true(d == 1.5);
    assert_true(lm_parse_double(S(" 12 "), &d));
    assert_true(d == 12.0);
    assert_true(lm_parse_double(S("1.0d"), &d));
    assert_true(d == 1.0);
    assert_true(lm_parse_double(S("2F"), &d));
    assert_true(d == 2.0);
    assert_true(lm_parse_double(S(".5"), &d));
    assert_true(d == 0.5);
    assert_true(lm_parse_double(S("5."), &d));
    assert_true(d == 5.0);
    assert_true(lm_parse_double(S("-1e3"), &d));
    assert_true(d == -1000.0);
    assert_true(lm_parse_double(S("1E+2"), &d));
    assert_true(d == 100.0);
    assert_true(lm_parse_double(S("0.1"), &d));
    assert_true(d == 0.1);
    assert_true(lm_parse_double(S("-0"), &d));
    assert_true(d == 0.0 && signbit(d));
}

static void test_parse_double_rejects_bad_text(void **state)
{
    (void)state;
    double d;
    assert_false(lm_parse_double(S(""), &d));
    assert_false(lm_parse_double(S("."), &d));
    assert_false(lm_parse_double(S("e5"), &d));
    assert_false(lm_parse_double(S("1e"), &d));
    assert_false(lm_parse_double(S("1.0dd"), &d));
    assert_false(lm_parse_double(S("1,5"), &d));
    assert_false(lm_parse_double(S("abc"), &d));
    assert_false(lm_parse_double(S("1 2"), &d));
    assert_false(lm_parse_double(S("-nan"), &d));
    assert_false(lm_parse_double(S("Infinityd"), &d));
    assert_false(lm_parse_double(S("0x10"), &d)); /* hex needs p exponent */
}

static void test_parse_double_infinity_and_nan_spellings(void **state)
{
    (void)state;
    double d;
    assert_true(lm_parse_double(S("  Infinity"), &d));
    assert_true(isinf(d) && d > 0);
    assert_true(lm_parse_double(S("-Infinity"), &d));
    assert_true(isinf(d) && d < 0);
    assert_true(lm_parse_double(S("inf"), &d));
    assert_true(isinf(d) && d > 0);
    assert_true(lm_parse_double(S("+INF"), &d));
    assert_true(isinf(d) && d > 0);
    assert_true(lm_parse_double(S("-inf"), &d));
    assert_true(isinf(d) && d < 0);
    assert_true(lm_parse_double(S("+infinity"), &d));
    assert_true(isinf(d) && d > 0);
    assert_true(lm_parse_double(S("-InFiNiTy "), &d));
    assert_true(isinf(d) && d < 0);
    assert_true(lm_parse_double(S("NaN"), &d));
    assert_true(isnan(d));
    assert_true(lm_parse_double(S("nan"), &d));
    assert_true(isnan(d));
    assert_true(lm_parse_double(S("-NaN"), &d)); /* Java accepts a signed NaN */
    assert_true(isnan(d));
}

static void test_parse_double_hex_floats(void **state)
{
    (void)state;
    double d;
    assert_true(lm_parse_double(S("0x1p3"), &d));
    assert_true(d == 8.0);
    assert_true(lm_parse_double(S("-0X1.8P1d"), &d));
    assert_true(d == -3.0);
    assert_true(lm_parse_double(S("0x.8p1"), &d));
    assert_true(d == 1.0);
    assert_false(lm_parse_double(S("0xp1"), &d));
}

static void test_parse_double_range_limits(void **state)
{
    (void)state;
    double d;
    assert_true(lm_parse_double(S("1e400"), &d));
    assert_true(isinf(d));
    assert_true(lm_parse_double(S("1e-400"), &d));
    assert_true(d == 0.0);
    assert_true(lm_parse_double(S("4.9E-324"), &d));
    assert_true(d == 4.9e-324);
    assert_true(lm_parse_double(S("1.7976931348623157E308"), &d));
    assert_true(d == DBL_MAX);
    assert_true(lm_parse_double(S("0.000000000000000000000000000001e30"), &d));
    assert_true(d == 1.0);
    assert_true(lm_parse_double(S("1e99999999999999999999"), &d));
    assert_true(isinf(d));
}

static void test_parse_float_rounds_once_from_text(void **state)
{
    (void)state;
    float f;
    assert_true(lm_parse_float(S("0.1"), &f));
    assert_true(f == 0.1f);
    /* 1.00000005960464477550 lies just above the float halfway point
       between 1 and 1+2^-23; rounding through double would tie to 1. */
    assert_true(lm_parse_float(S("1.00000005960464477550"), &f));
    assert_true(f == 1.00000011920928955078125f);
    assert_true(lm_parse_float(S("3.4028235e38"), &f));
    assert_true(f == FLT_MAX);
    /* past FLT_MAX + half an ulp: rounds to infinity */
    assert_true(lm_parse_float(S("3.4028236e38"), &f));
    assert_true(isinf(f));
    assert_true(lm_parse_float(S("1e39"), &f));
    assert_true(isinf(f));
    assert_true(lm_parse_float(S("-inf"), &f));
    assert_true(isinf(f) && f < 0);
    assert_false(lm_parse_float(S("x"), &f));
}

/* ---- string -> boolean ---- */

static void test_parse_bool_spellings(void **state)
{
    (void)state;
    static const char *const yes[] = {"t", "true", "TRUE", "y", "Yes", "1", " true\t"};
    static const char *const no[] = {"f", "false", "False", "n", "NO", "0", "\nno "};
    static const char *const bad[] = {"", "tru", "2", "yess", "on", "off", "-1", "t r"};
    bool b;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        assert_true(lm_parse_bool(yes[i], strlen(yes[i]), &b));
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        assert_true(lm_parse_bool(no[i], strlen(no[i]), &b));
        assert_false(b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(lm_parse_bool(bad[i], strlen(bad[i]), &b));
}

/* Short decimals take an exact shortcut (digits and power of ten both
   exact doubles); its results must be strtod's, bit for bit, at and
   around its limits (15 digits, exponents +-22). */
static void test_parse_double_shortcut_matches_strtod(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "0.1", "4.35", "-0.3", "123456789012345", "123456789012345e-22", "1e22", "9e22",
        "999999999999999e22", "1e23", "1e-22", "1e-23", "1234567890123456", "0.000001",
        "3.141592653589793", "2.2250738585072014e-308", "1.7976931348623157e308", "00012.500",
        "5e-324", "1.5e+5", "-0.0"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        double got = 0, want = strtod(texts[i], NULL);
        assert_true(lm_parse_double(texts[i], strlen(texts[i]), &got));
        assert_memory_equal(&got, &want, sizeof got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_double_integral_values_keep_point_zero),
        cmocka_unit_test(test_double_plain_between_1e_minus3_and_1e7),
        cmocka_unit_test(test_double_scientific_outside_plain_range),
        cmocka_unit_test(test_double_extremes),
        cmocka_unit_test(test_double_special_values),
        cmocka_unit_test(test_float_uses_float_shortest_digits),
        cmocka_unit_test(test_shortest_digits_reports_digits_and_exponent),
        cmocka_unit_test(test_double_format_round_trips),
        cmocka_unit_test(test_parse_long_trims_whitespace_and_controls),
        cmocka_unit_test(test_parse_long_truncates_fraction),
        cmocka_unit_test(test_parse_long_rejects_exponent_and_junk),
        cmocka_unit_test(test_parse_long_overflow_fails),
        cmocka_unit_test(test_parse_int_short_byte_ranges),
        cmocka_unit_test(test_parse_double_java_syntax),
        cmocka_unit_test(test_parse_double_rejects_bad_text),
        cmocka_unit_test(test_parse_double_infinity_and_nan_spellings),
        cmocka_unit_test(test_parse_double_hex_floats),
        cmocka_unit_test(test_parse_double_range_limits),
        cmocka_unit_test(test_parse_float_rounds_once_from_text),
        cmocka_unit_test(test_parse_bool_spellings),
        cmocka_unit_test(test_parse_double_shortcut_matches_strtod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
