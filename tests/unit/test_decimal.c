/*
 * Decimals as Spark 3.5 (>= 3.5.1) computes them: parsing, rendering,
 * HALF_UP rescaling, exact arithmetic fitted to the analyzer's result type,
 * and the result-type rules themselves. Expected values were checked
 * against java.math.BigDecimal doing what Spark's Decimal does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "types/decimal.h"

/* Unscaled value from its integer digits ("-123"). */
static lm_int128 U(const char *digits)
{
    lm_int128 v = 0;
    assert_true(lm_decimal_parse_to(digits, strlen(digits), 38, 0, &v));
    return v;
}

/* The decimal written at scale, in a rotating buffer so two can coexist. */
static const char *str(lm_int128 v, int scale)
{
    static char bufs[4][LM_DECIMAL_BUFSZ];
    static int k;
    char *b = bufs[k++ % 4];
    int n = lm_decimal_to_string(b, v, scale);
    assert_int_equal(n, (int)strlen(b));
    return b;
}

#define S(lit) lit, sizeof(lit) - 1

/* ---- to_string ---- */

static void test_to_string_pads_to_scale(void **state)
{
    (void)state;
    assert_string_equal(str(3090, 2), "30.90");
    assert_string_equal(str(100, 6), "0.000100");
    assert_string_equal(str(U("-89900000000000000000"), 17), "-899.00000000000000000");
    assert_string_equal(str(0, 0), "0");
    assert_string_equal(str(0, 3), "0.000");
    assert_string_equal(str(-5, 1), "-0.5");
    assert_string_equal(str(12345, 0), "12345");
    assert_string_equal(str(U("-99999999999999999999999999999999999999"), 38),
                        "-0.99999999999999999999999999999999999999");
    assert_string_equal(str(U("99999999999999999999999999999999999999"), 0),
                        "99999999999999999999999999999999999999");
}

/* ---- parse (exact) ---- */

static void expect_parse(const char *s, const char *unscaled, int p, int sc)
{
    lm_int128 v;
    int pp, ss;
    assert_true(lm_decimal_parse(s, strlen(s), &v, &pp, &ss));
    assert_string_equal(str(v, 0), unscaled);
    assert_int_equal(pp, p);
    assert_int_equal(ss, sc);
}

static void test_parse_gives_bigdecimal_precision_and_scale(void **state)
{
    (void)state;
    expect_parse("1.50", "150", 3, 2);
    expect_parse("-12.345", "-12345", 5, 3);
    expect_parse("007", "7", 1, 0);
    expect_parse("+0.5", "5", 1, 1);
    expect_parse("1.", "1", 1, 0);
    expect_parse(".25", "25", 2, 2);
    expect_parse(" 42 ", "42", 2, 0);
    expect_parse("1.5e-3", "15", 4, 4); /* 0.0015 */
    expect_parse("12.5E1", "125", 3, 0);
}

static void test_parse_precision_below_scale_is_raised(void **state)
{
    (void)state;
    /* BigDecimal("0.01") has precision 1, scale 2; Spark's Decimal uses 2,2. */
    expect_parse("0.01", "1", 2, 2);
    expect_parse("0.000", "0", 3, 3);
    expect_parse("-0", "0", 1, 0);
}

static void test_parse_negative_scale_becomes_zero(void **state)
{
    (void)state;
    /* BigDecimal("1e3") = 1 x 10^3 (scale -3); Spark multiplies it out. */
    expect_parse("1e3", "1000", 4, 0);
    expect_parse("1.2E+5", "120000", 6, 0);
}

static void test_parse_rejects_bad_text_and_too_many_digits(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    assert_false(lm_decimal_parse(S(""), &v, &p, &s));
    assert_false(lm_decimal_parse(S("."), &v, &p, &s));
    assert_false(lm_decimal_parse(S("1e"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("1.0d"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("NaN"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("Infinity"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("1,5"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("0x10"), &v, &p, &s));
    /* 39 digits */
    assert_false(lm_decimal_parse(S("123456789012345678901234567890123456789"), &v, &p, &s));
    assert_false(lm_decimal_parse(S("1e38"), &v, &p, &s));
    expect_parse("99999999999999999999999999999999999999", "99999999999999999999999999999999999999",
                 38, 0);
}

/* ---- parse_to: cast string -> decimal(p,s) ---- */

static void test_parse_to_rounds_half_up(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_parse_to(S("1.005"), 5, 2, &v));
    assert_string_equal(str(v, 2), "1.01");
    assert_true(lm_decimal_parse_to(S("-2.5"), 5, 0, &v));
    assert_string_equal(str(v, 0), "-3");
    assert_true(lm_decimal_parse_to(S("2.4999999999999999999999999999999999999999999"), 5, 0, &v));
    assert_string_equal(str(v, 0), "2");
    assert_true(lm_decimal_parse_to(S(" 12.3 "), 10, 3, &v));
    assert_string_equal(str(v, 3), "12.300");
    assert_true(lm_decimal_parse_to(S("1e-50"), 10, 2, &v));
    assert_string_equal(str(v, 2), "0.00");
    assert_true(lm_decimal_parse_to(S("5e-3"), 10, 2, &v));
    assert_string_equal(str(v, 2), "0.01");
}

static void test_parse_to_overflow_and_garbage_fail(void **state)
{
    (void)state;
    lm_int128 v;
    assert_false(lm_decimal_parse_to(S("999.995"), 5, 2, &v)); /* rounds to 1000.00 */
    assert_true(lm_decimal_parse_to(S("999.994"), 5, 2, &v));
    assert_string_equal(str(v, 2), "999.99");
    assert_false(lm_decimal_parse_to(S("12345678901"), 10, 0, &v));
    assert_false(lm_decimal_parse_to(S("abc"), 10, 0, &v));
    assert_false(lm_decimal_parse_to(S("1.2.3"), 10, 0, &v));
    /* more than 38 integral digits fails fast, even for zero */
    assert_false(lm_decimal_parse_to(S("0e50"), 10, 0, &v));
}

/* ---- rescale ---- */

static void test_rescale_rounds_half_up_away_from_zero(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_rescale(25, 1, 5, 0, &v)); /* 2.5 */
    assert_string_equal(str(v, 0), "3");
    assert_true(lm_decimal_rescale(-25, 1, 5, 0, &v)); /* -2.5 */
    assert_string_equal(str(v, 0), "-3");
    assert_true(lm_decimal_rescale(-24, 1, 5, 0, &v));
    assert_string_equal(str(v, 0), "-2");
    assert_true(lm_decimal_rescale(12345, 3, 5, 1, &v)); /* 12.345 */
    assert_string_equal(str(v, 1), "12.3");
    assert_true(lm_decimal_rescale(12355, 3, 5, 2, &v));
    assert_string_equal(str(v, 2), "12.36");
}

static void test_rescale_up_and_overflow(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_rescale(123, 0, 6, 3, &v));
    assert_string_equal(str(v, 3), "123.000");
    assert_false(lm_decimal_rescale(1234, 0, 6, 3, &v));
    assert_false(lm_decimal_rescale(9995, 2, 3, 1, &v)); /* 99.95 -> 100.0 */
    assert_true(lm_decimal_rescale(U("99999999999999999999999999999999999999"), 0, 38, 0, &v));
    assert_false(lm_decimal_rescale(U("99999999999999999999999999999999999999"), 0, 38, 1, &v));
}

static void test_rescale_other_modes(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_rescale_mode(25, 1, 5, 0, LM_ROUND_HALF_EVEN, &v));
    assert_string_equal(str(v, 0), "2");
    assert_true(lm_decimal_rescale_mode(35, 1, 5, 0, LM_ROUND_HALF_EVEN, &v));
    assert_string_equal(str(v, 0), "4");
    assert_true(lm_decimal_rescale_mode(-21, 1, 5, 0, LM_ROUND_FLOOR, &v));
    assert_string_equal(str(v, 0), "-3");
    assert_true(lm_decimal_rescale_mode(21, 1, 5, 0, LM_ROUND_CEILING, &v));
    assert_string_equal(str(v, 0), "3");
    assert_true(lm_decimal_rescale_mode(-29, 1, 5, 0, LM_ROUND_DOWN, &v));
    assert_string_equal(str(v, 0), "-2");
}

/* ---- round / bround / floor / ceil ---- */

static void test_round_to_scale_including_negative(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_round(12345, 2, 1, LM_ROUND_HALF_UP, &v)); /* 123.45 */
    assert_string_equal(str(v, 1), "123.5");
    assert_true(lm_decimal_round(12345, 2, 1, LM_ROUND_HALF_EVEN, &v));
    assert_string_equal(str(v, 1), "123.4");
    assert_true(lm_decimal_round(12345, 2, -1, LM_ROUND_HALF_UP, &v));
    assert_string_equal(str(v, 0), "120");
    assert_true(lm_decimal_round(-12345, 2, 0, LM_ROUND_FLOOR, &v));
    assert_string_equal(str(v, 0), "-124");
    assert_true(lm_decimal_round(-12345, 2, 0, LM_ROUND_CEILING, &v));
    assert_string_equal(str(v, 0), "-123");
    assert_true(lm_decimal_round(12345, 2, 5, LM_ROUND_HALF_UP, &v)); /* no-op */
    assert_string_equal(str(v, 2), "123.45");
    assert_true(lm_decimal_round(5, 0, -1, LM_ROUND_HALF_UP, &v));
    assert_string_equal(str(v, 0), "10");
    assert_true(lm_decimal_round(5, 0, -1, LM_ROUND_HALF_EVEN, &v));
    assert_string_equal(str(v, 0), "0");
    /* 38 nines rounded to tens needs 39 digits */
    assert_false(lm_decimal_round(U("99999999999999999999999999999999999999"), 0, -1,
                                  LM_ROUND_HALF_UP, &v));
    assert_true(lm_decimal_round(U("99999999999999999999999999999999999995"), 1, 0,
                                 LM_ROUND_CEILING, &v));
    assert_string_equal(str(v, 0), "10000000000000000000000000000000000000");
}

/* ---- arithmetic ---- */

static void test_add_sub_align_scales(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    lm_decimal_result_add(5, 2, 5, 3, &p, &s); /* 123.45 + 12.345 */
    assert_int_equal(p, 7);
    assert_int_equal(s, 3);
    assert_int_equal(lm_decimal_add(12345, 2, 12345, 3, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "135.795");
    assert_int_equal(lm_decimal_sub(12345, 2, 12345, 3, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "111.105");
    assert_int_equal(lm_decimal_sub(-1, 0, 1, 0, 2, 0, &v), LM_DEC_OK);
    assert_string_equal(str(v, 0), "-2");
}

static void test_add_overflows_at_38_digits(void **state)
{
    (void)state;
    lm_int128 v;
    lm_int128 max = U("99999999999999999999999999999999999999");
    assert_int_equal(lm_decimal_add(max, 0, 1, 0, 38, 0, &v), LM_DEC_OVERFLOW);
    assert_int_equal(lm_decimal_sub(-max, 0, 1, 0, 38, 0, &v), LM_DEC_OVERFLOW);
    assert_int_equal(lm_decimal_add(max, 0, -1, 0, 38, 0, &v), LM_DEC_OK);
    /* decimal(38,0) + decimal(38,38): (38,0) after adjustment, exact sum
       needs 76 digits before rounding */
    int p, s;
    lm_decimal_result_add(38, 0, 38, 38, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    assert_int_equal(lm_decimal_add(U("1234"), 0, U("50000000000000000000000000000000000000"), 38,
                                    p, s, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, s), "1234.500000");
}

static void test_mul_38_digit_operands(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    lm_decimal_result_mul(38, 18, 38, 18, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    /* 12345678901234567890.123456789012345678 * 0.987654321098765432
       = 12193263113702179521.262002752126200274322511812221002896 */
    assert_int_equal(lm_decimal_mul(U("12345678901234567890123456789012345678"), 18,
                                    U("987654321098765432"), 18, p, s, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, s), "12193263113702179521.262003");
    /* 40 integral digits do not fit decimal(38,6) */
    assert_int_equal(lm_decimal_mul(U("-99999999999999999999999999999999999999"), 18,
                                    U("-99999999999999999999999999999999999999"), 18, p, s, &v),
                     LM_DEC_OVERFLOW);
}

static void test_mul_rounds_once_like_spark_3_5_1(void **state)
{
    (void)state;
    /* SPARK-45786: -14120025096157587712113961295153.858047 * -0.4652 is
       6568635674732509803675414794505.5747634644 exactly, so ...574763
       (3.5.0 rounded to 38 digits first and printed ...574764). */
    lm_int128 v;
    int p, s;
    lm_decimal_result_mul(38, 6, 4, 4, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    assert_int_equal(lm_decimal_mul(U("-14120025096157587712113961295153858047"), 6, U("-4652"), 4,
                                    p, s, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, s), "6568635674732509803675414794505.574763");
}

static void test_mul_small_values(void **state)
{
    (void)state;
    lm_int128 v;
    assert_int_equal(lm_decimal_mul(-15, 1, 25, 1, 5, 2, &v), LM_DEC_OK); /* -1.5 * 2.5 */
    assert_string_equal(str(v, 2), "-3.75");
    assert_int_equal(lm_decimal_mul(-15, 1, 25, 1, 5, 1, &v), LM_DEC_OK);
    assert_string_equal(str(v, 1), "-3.8");
}

static void test_div_result_type_and_value(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    lm_decimal_result_div(10, 2, 10, 2, &p, &s);
    assert_int_equal(p, 23);
    assert_int_equal(s, 13);
    assert_int_equal(lm_decimal_div(1000, 2, 300, 2, p, s, &v), LM_DEC_OK); /* 10.00 / 3.00 */
    assert_string_equal(str(v, s), "3.3333333333333");
    assert_int_equal(lm_decimal_div(200, 2, 300, 2, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "0.6666666666667");
    assert_int_equal(lm_decimal_div(-200, 2, 300, 2, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "-0.6666666666667");
}

static void test_div_38_digit_operands(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    lm_decimal_result_div(38, 18, 38, 18, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    assert_int_equal(lm_decimal_div(U("12345678901234567890123456789012345678"), 18,
                                    U("987654321098765432"), 18, p, s, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, s), "12499999886093750002.814453");
    lm_decimal_result_div(38, 0, 1, 0, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    assert_int_equal(lm_decimal_div(U("99999999999999999999999999999999999999"), 0, 7, 0, p, s, &v),
                     LM_DEC_OVERFLOW); /* 14285714285714285714285714285714285714.142857 */
    lm_decimal_result_div(9, 9, 31, 1, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 37);
    /* SPARK-45786's division: exact HALF_UP gives ...520 (3.5.0 gave 521) */
    assert_int_equal(lm_decimal_div(-172787979, 9, U("5337046655450189577882949057965"), 1, p, s, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, s), "-0.0000000000000000000000000000003237520");
}

static void test_div_by_zero_and_overflow(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    assert_int_equal(lm_decimal_div(1, 0, 0, 2, 10, 6, &v), LM_DEC_DIV_ZERO);
    lm_decimal_result_div(1, 0, 38, 38, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    /* 1 / 1e-38 = 1e38: 39 integral digits */
    assert_int_equal(lm_decimal_div(1, 0, 1, 38, p, s, &v), LM_DEC_OVERFLOW);
}

static void test_rem_and_pmod_signs(void **state)
{
    (void)state;
    lm_int128 v;
    int p, s;
    lm_decimal_result_rem(2, 1, 1, 0, &p, &s); /* -7.5 % 2 */
    assert_int_equal(p, 2);
    assert_int_equal(s, 1);
    assert_int_equal(lm_decimal_rem(-75, 1, 2, 0, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "-1.5");
    assert_int_equal(lm_decimal_pmod(-75, 1, 2, 0, p, s, &v), LM_DEC_OK);
    assert_string_equal(str(v, s), "0.5");
    assert_int_equal(lm_decimal_rem(-7, 0, -3, 0, 1, 0, &v), LM_DEC_OK);
    assert_string_equal(str(v, 0), "-1");
    assert_int_equal(lm_decimal_pmod(-7, 0, 3, 0, 1, 0, &v), LM_DEC_OK);
    assert_string_equal(str(v, 0), "2");
    assert_int_equal(lm_decimal_pmod(7, 0, -3, 0, 1, 0, &v), LM_DEC_OK);
    assert_string_equal(str(v, 0), "1");
    assert_int_equal(lm_decimal_pmod(-7, 0, -3, 0, 1, 0, &v), LM_DEC_OK);
    assert_string_equal(str(v, 0), "-1");
    assert_int_equal(lm_decimal_rem(1, 0, 0, 0, 1, 0, &v), LM_DEC_DIV_ZERO);
    assert_int_equal(lm_decimal_pmod(1, 0, 0, 0, 1, 0, &v), LM_DEC_DIV_ZERO);
    /* remainder of wide operands: 98765432109876543210.987654321098765432
       % 12345678901234567890.123456789012345678 */
    assert_int_equal(lm_decimal_rem(U("98765432109876543210987654321098765432"), 18,
                                    U("12345678901234567890123456789012345678"), 18, 38, 18, &v),
                     LM_DEC_OK);
    assert_string_equal(str(v, 18), "900000000090.000000009000000008");
}

/* ---- compare ---- */

static void test_compare_across_scales(void **state)
{
    (void)state;
    assert_int_equal(lm_decimal_compare(150, 2, 15, 1), 0);
    assert_int_equal(lm_decimal_compare(151, 2, 15, 1), 1);
    assert_int_equal(lm_decimal_compare(-151, 2, -15, 1), -1);
    assert_int_equal(lm_decimal_compare(-1, 0, 1, 38), -1);
    assert_int_equal(lm_decimal_compare(U("99999999999999999999999999999999999999"), 0,
                                        U("99999999999999999999999999999999999999"), 38),
                     1);
    assert_int_equal(lm_decimal_compare(U("10000000000000000000000000000000000000"), 37, 1, 0), 0);
    assert_int_equal(lm_decimal_compare(0, 5, 0, 0), 0);
}

/* ---- conversions ---- */

static void test_from_int64(void **state)
{
    (void)state;
    lm_int128 v;
    assert_true(lm_decimal_from_int64(INT64_MIN, 20, 0, &v));
    assert_string_equal(str(v, 0), "-9223372036854775808");
    assert_true(lm_decimal_from_int64(42, 10, 2, &v));
    assert_string_equal(str(v, 2), "42.00");
    assert_false(lm_decimal_from_int64(123, 4, 2, &v));
}

static void test_to_int64_truncates_and_flags_overflow(void **state)
{
    (void)state;
    int64_t x;
    assert_true(lm_decimal_to_int64(-19, 1, &x));
    assert_int_equal(x, -1);
    assert_true(lm_decimal_to_int64(U("9223372036854775807999"), 3, &x));
    assert_int_equal(x, INT64_MAX);
    /* BigDecimal.longValue wraps: 12345678901234567890 -> -6101065172474983726 */
    assert_false(lm_decimal_to_int64(U("12345678901234567890"), 0, &x));
    assert_int_equal(x, -6101065172474983726LL);
    assert_false(lm_decimal_to_int64(U("99999999999999999999999999999999999999"), 0, &x));
    assert_int_equal(x, 687399551400673279LL);
}

static void test_to_double_is_correctly_rounded(void **state)
{
    (void)state;
    assert_true(lm_decimal_to_double(1, 1) == 0.1);
    assert_true(lm_decimal_to_double(-12345, 2) == -123.45);
    assert_true(lm_decimal_to_double(U("12345678901234567890123456789012345678"), 10) ==
                1.2345678901234569e27);
    assert_true(lm_decimal_to_float(1, 1) == 0.1f);
}

static void test_from_double_uses_shortest_text(void **state)
{
    (void)state;
    lm_int128 v;
    /* 0.1 + 0.2 prints 0.30000000000000004 and converts from that text */
    assert_true(lm_decimal_from_double(0.1 + 0.2, 38, 18, &v));
    assert_string_equal(str(v, 18), "0.300000000000000040");
    assert_true(lm_decimal_from_double(0.1, 38, 30, &v));
    assert_string_equal(str(v, 30), "0.100000000000000000000000000000");
    assert_true(lm_decimal_from_double(1e-5, 10, 4, &v));
    assert_string_equal(str(v, 4), "0.0000");
    assert_true(lm_decimal_from_double(2.5, 10, 0, &v));
    assert_string_equal(str(v, 0), "3");
    assert_true(lm_decimal_from_double(-2.5, 10, 0, &v));
    assert_string_equal(str(v, 0), "-3");
    assert_true(lm_decimal_from_double((double)0.1f, 10, 9, &v));
    assert_string_equal(str(v, 9), "0.100000001");
    assert_true(lm_decimal_from_double(1e10, 11, 0, &v));
    assert_string_equal(str(v, 0), "10000000000");
    assert_false(lm_decimal_from_double(1e10, 10, 0, &v));
    assert_false(lm_decimal_from_double(NAN, 10, 0, &v));
    assert_false(lm_decimal_from_double(INFINITY, 38, 0, &v));
    assert_false(lm_decimal_from_double(1e300, 38, 0, &v));
    assert_true(lm_decimal_from_double(-0.0, 5, 2, &v));
    assert_string_equal(str(v, 2), "0.00");
}

/* ---- result types ---- */

static void test_adjust_precision_scale(void **state)
{
    (void)state;
    int p, s;
    lm_decimal_adjust_precision_scale(20, 5, &p, &s);
    assert_int_equal(p, 20);
    assert_int_equal(s, 5);
    lm_decimal_adjust_precision_scale(77, 36, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    lm_decimal_adjust_precision_scale(40, 4, &p, &s); /* scale below 6 kept */
    assert_int_equal(p, 38);
    assert_int_equal(s, 4);
    lm_decimal_adjust_precision_scale(45, 20, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 13);
    lm_decimal_bounded(50, 40, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 38);
}

static void test_result_types_for_each_operator(void **state)
{
    (void)state;
    int p, s;
    lm_decimal_result_add(10, 2, 5, 4, &p, &s);
    assert_int_equal(p, 13);
    assert_int_equal(s, 4);
    lm_decimal_result_sub(38, 10, 38, 10, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 9);
    lm_decimal_result_mul(10, 2, 10, 2, &p, &s);
    assert_int_equal(p, 21);
    assert_int_equal(s, 4);
    lm_decimal_result_mul(38, 10, 38, 10, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 6);
    lm_decimal_result_div(20, 0, 10, 0, &p, &s); /* bigint-sized / int-sized */
    assert_int_equal(p, 31);
    assert_int_equal(s, 11);
    lm_decimal_result_div(5, 5, 3, 0, &p, &s);
    assert_int_equal(p, 9);
    assert_int_equal(s, 9);
    lm_decimal_result_rem(10, 2, 5, 4, &p, &s);
    assert_int_equal(p, 5);
    assert_int_equal(s, 4);
    lm_decimal_result_pmod(38, 0, 38, 38, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 38);
    lm_decimal_result_wider(10, 2, 5, 4, &p, &s);
    assert_int_equal(p, 12);
    assert_int_equal(s, 4);
    lm_decimal_result_wider(38, 0, 38, 38, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 38);
}

static void test_decimal_types_for_numeric_types(void **state)
{
    (void)state;
    int p, s;
    static const struct {
        lm_type_id id;
        int p, s;
    } cases[] = {{LM_TYPE_BYTE, 3, 0},  {LM_TYPE_SHORT, 5, 0},  {LM_TYPE_INT, 10, 0},
                 {LM_TYPE_LONG, 20, 0}, {LM_TYPE_FLOAT, 14, 7}, {LM_TYPE_DOUBLE, 30, 15}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(lm_decimal_type_for_integral(cases[i].id, &p, &s));
        assert_int_equal(p, cases[i].p);
        assert_int_equal(s, cases[i].s);
    }
    assert_false(lm_decimal_type_for_integral(LM_TYPE_STRING, &p, &s));
    lm_decimal_type_for_literal(2, &p, &s);
    assert_int_equal(p, 1);
    assert_int_equal(s, 0);
    lm_decimal_type_for_literal(-12345, &p, &s);
    assert_int_equal(p, 5);
    lm_decimal_type_for_literal(0, &p, &s);
    assert_int_equal(p, 1);
    lm_decimal_type_for_literal(INT64_MIN, &p, &s);
    assert_int_equal(p, 19);
}

static void test_digits_and_fits(void **state)
{
    (void)state;
    assert_int_equal(lm_decimal_digits(0), 1);
    assert_int_equal(lm_decimal_digits(-999), 3);
    assert_int_equal(lm_decimal_digits(1000), 4);
    assert_int_equal(lm_decimal_digits(U("99999999999999999999999999999999999999")), 38);
    assert_true(lm_decimal_fits(999, 3));
    assert_false(lm_decimal_fits(-1000, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_string_pads_to_scale),
        cmocka_unit_test(test_parse_gives_bigdecimal_precision_and_scale),
        cmocka_unit_test(test_parse_precision_below_scale_is_raised),
        cmocka_unit_test(test_parse_negative_scale_becomes_zero),
        cmocka_unit_test(test_parse_rejects_bad_text_and_too_many_digits),
        cmocka_unit_test(test_parse_to_rounds_half_up),
        cmocka_unit_test(test_parse_to_overflow_and_garbage_fail),
        cmocka_unit_test(test_rescale_rounds_half_up_away_from_zero),
        cmocka_unit_test(test_rescale_up_and_overflow),
        cmocka_unit_test(test_rescale_other_modes),
        cmocka_unit_test(test_round_to_scale_including_negative),
        cmocka_unit_test(test_add_sub_align_scales),
        cmocka_unit_test(test_add_overflows_at_38_digits),
        cmocka_unit_test(test_mul_38_digit_operands),
        cmocka_unit_test(test_mul_rounds_once_like_spark_3_5_1),
        cmocka_unit_test(test_mul_small_values),
        cmocka_unit_test(test_div_result_type_and_value),
        cmocka_unit_test(test_div_38_digit_operands),
        cmocka_unit_test(test_div_by_zero_and_overflow),
        cmocka_unit_test(test_rem_and_pmod_signs),
        cmocka_unit_test(test_compare_across_scales),
        cmocka_unit_test(test_from_int64),
        cmocka_unit_test(test_to_int64_truncates_and_flags_overflow),
        cmocka_unit_test(test_to_double_is_correctly_rounded),
        cmocka_unit_test(test_from_double_uses_shortest_text),
        cmocka_unit_test(test_adjust_precision_scale),
        cmocka_unit_test(test_result_types_for_each_operator),
        cmocka_unit_test(test_decimal_types_for_numeric_types),
        cmocka_unit_test(test_digits_and_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
