/*
 * PySpark's portable_hash, which places pair-RDD keys in partitions.
 * Expected values were printed by CPython 3.11 with PYTHONHASHSEED=0 running
 * PySpark's portable_hash; (None, 1) & 0xffffffff = 219750521 is the
 * example in PySpark's own docstring.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "hash/portable_hash.h"

static int64_t str_hash(const char *s)
{
    int64_t h = 12345;
    assert_true(lm_portable_hash_str(s, strlen(s), &h));
    return h;
}

static void test_int_hash_is_value_except_minus_one(void **state)
{
    (void)state;
    assert_true(lm_portable_hash_i64(0) == 0);
    assert_true(lm_portable_hash_i64(1) == 1);
    assert_true(lm_portable_hash_i64(-1) == -2);
    assert_true(lm_portable_hash_i64(-2) == -2);
    assert_true(lm_portable_hash_i64(123456789012345) == 123456789012345);
}

static void test_int_hash_reduces_modulo_mersenne_61(void **state)
{
    (void)state;
    assert_true(lm_portable_hash_i64(INT64_C(2305843009213693950)) ==
                INT64_C(2305843009213693950));
    assert_true(lm_portable_hash_i64(INT64_C(2305843009213693951)) == 0);
    assert_true(lm_portable_hash_i64(INT64_C(2305843009213693952)) == 1);
    assert_true(lm_portable_hash_i64(INT64_MAX) == 3);
    assert_true(lm_portable_hash_i64(INT64_MIN) == -4);
    /* -(2^61) reduces to -1, which Python maps to -2 */
    assert_true(lm_portable_hash_i64(-INT64_C(2305843009213693952)) == -2);
}

static void test_float_hash_matches_python(void **state)
{
    (void)state;
    assert_true(lm_portable_hash_double(0.0) == 0);
    assert_true(lm_portable_hash_double(-0.0) == 0);
    assert_true(lm_portable_hash_double(2.0) == 2); /* == hash(2) */
    assert_true(lm_portable_hash_double(1.5) == INT64_C(1152921504606846977));
    assert_true(lm_portable_hash_double(-1.5) == INT64_C(-1152921504606846977));
    assert_true(lm_portable_hash_double(0.1) == INT64_C(230584300921369408));
    assert_true(lm_portable_hash_double(1e300) == INT64_C(1224995262755759164));
    assert_true(lm_portable_hash_double(1e20) == INT64_C(848750603811160107));
    assert_true(lm_portable_hash_double(5e-324) == INT64_C(16777216));
    assert_true(lm_portable_hash_double(-2.5e-10) == INT64_C(-699647011998930896));
    assert_true(lm_portable_hash_double(INFINITY) == 314159);
    assert_true(lm_portable_hash_double(-INFINITY) == -314159);
}

static void test_str_hash_is_siphash13_seed_zero(void **state)
{
    (void)state;
    assert_true(str_hash("") == 0);
    assert_true(str_hash("a") == INT64_C(4644417185603328019));
    assert_true(str_hash("Spark") == INT64_C(-4164906574482777297));
    assert_true(str_hash("abcdefgh") == INT64_C(4574395652268504554));
    assert_true(str_hash("hello world!") == INT64_C(839851713330019024));
}

static void test_str_hash_uses_cpython_storage_width(void **state)
{
    (void)state;
    /* Latin-1 (1 byte per char), UCS-2 and UCS-4 forms. */
    assert_true(str_hash("\xc3\xa9") == INT64_C(6047309291227476195));           /* é */
    assert_true(str_hash("na\xc3\xafve caf\xc3\xa9") == INT64_C(-3140414782110216922));
    assert_true(str_hash("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") == INT64_C(7116994712188270));
    assert_true(str_hash("\xf0\x9f\x98\x80x") == INT64_C(-8926728262118538918));
    assert_true(str_hash("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80") ==
                INT64_C(-9169185757432878953));
}

static void test_str_hash_rejects_invalid_utf8(void **state)
{
    int64_t h = 7;
    (void)state;
    assert_false(lm_portable_hash_str("\xff", 1, &h));
    assert_false(lm_portable_hash_str("\xc3", 1, &h));         /* truncated */
    assert_false(lm_portable_hash_str("\xc0\xaf", 2, &h));     /* overlong */
    assert_false(lm_portable_hash_str("\xed\xa0\x80", 3, &h)); /* surrogate */
    assert_true(h == 7);
}

static void test_bytes_hash(void **state)
{
    (void)state;
    assert_true(lm_portable_hash_bytes("", 0) == 0);
    assert_true(lm_portable_hash_bytes("abc", 3) == INT64_C(-4594863902769663758));
    assert_true(lm_portable_hash_bytes("\xff\x00\x01", 3) == INT64_C(-8108522960132608219));
}

static void test_tuple_hash_is_pysparks_loop(void **state)
{
    const int64_t none_one[2] = {LM_PORTABLE_HASH_NONE, 1};
    const int64_t one_two[2] = {1, 2};
    const int64_t m1m1[2] = {-2, -2}; /* (-1, -1): elements hash to -2 */
    int64_t a_one[2], nested[2];
    (void)state;
    assert_true(lm_portable_hash_tuple(2, none_one) == INT64_C(3430028580079870073));
    assert_true((lm_portable_hash_tuple(2, none_one) & 0xffffffff) == 219750521);
    assert_true(lm_portable_hash_tuple(0, NULL) == 3430008);
    assert_true(lm_portable_hash_tuple(1, one_two) == INT64_C(3430019290026));
    assert_true(lm_portable_hash_tuple(2, one_two) == INT64_C(3430029580082870073));
    assert_true(lm_portable_hash_tuple(2, m1m1) == INT64_C(3430030580088870086));
    a_one[0] = str_hash("a");
    a_one[1] = 1;
    assert_true(lm_portable_hash_tuple(2, a_one) == INT64_C(102774922574124034));
    nested[0] = lm_portable_hash_tuple(2, one_two);
    nested[1] = 3;
    assert_true(lm_portable_hash_tuple(2, nested) == INT64_C(1031013823351644674));
}

static void test_partition_is_python_modulo(void **state)
{
    (void)state;
    assert_int_equal(lm_portable_partition(-7, 3), 2);
    assert_int_equal(lm_portable_partition(7, 3), 1);
    assert_int_equal(lm_portable_partition(str_hash("Spark"), 10), 3);
    assert_int_equal(lm_portable_partition(INT64_MIN, 7), 6); /* -2^63 mod 7 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_hash_is_value_except_minus_one),
        cmocka_unit_test(test_int_hash_reduces_modulo_mersenne_61),
        cmocka_unit_test(test_float_hash_matches_python),
        cmocka_unit_test(test_str_hash_is_siphash13_seed_zero),
        cmocka_unit_test(test_str_hash_uses_cpython_storage_width),
        cmocka_unit_test(test_str_hash_rejects_invalid_utf8),
        cmocka_unit_test(test_bytes_hash),
        cmocka_unit_test(test_tuple_hash_is_pysparks_loop),
        cmocka_unit_test(test_partition_is_python_modulo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
