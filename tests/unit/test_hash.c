/*
 * Spark's hash() (Murmur3, seed 42) and xxhash64() over every SQL type.
 * Anchors: the examples in Spark's function docs (hash/xxhash64 of
 * ('Spark', array(123), 2)), hash(1) = -559580957, and published
 * Murmur3/XXH64 vectors. Other expectations follow the per-type rules of
 * Spark's InterpretedHashFunction and were computed independently.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hash/hash_walk.h"
#include "hash/murmur3.h"
#include "hash/xxhash64.h"

/* Types built by hand: type.c is not linked into these tests' contract. */
static lm_type t_null = {.id = LM_TYPE_NULL, .refcount = -1};
static lm_type t_bool = {.id = LM_TYPE_BOOLEAN, .refcount = -1};
static lm_type t_byte = {.id = LM_TYPE_BYTE, .refcount = -1};
static lm_type t_int = {.id = LM_TYPE_INT, .refcount = -1};
static lm_type t_long = {.id = LM_TYPE_LONG, .refcount = -1};
static lm_type t_float = {.id = LM_TYPE_FLOAT, .refcount = -1};
static lm_type t_double = {.id = LM_TYPE_DOUBLE, .refcount = -1};
static lm_type t_string = {.id = LM_TYPE_STRING, .refcount = -1};
static lm_type t_binary = {.id = LM_TYPE_BINARY, .refcount = -1};
static lm_type t_date = {.id = LM_TYPE_DATE, .refcount = -1};
static lm_type t_ts = {.id = LM_TYPE_TIMESTAMP, .refcount = -1};
static lm_type t_ts_ntz = {.id = LM_TYPE_TIMESTAMP_NTZ, .refcount = -1};
static lm_type t_cal = {.id = LM_TYPE_INTERVAL, .refcount = -1};
static lm_type t_ym = {.id = LM_TYPE_YM_INTERVAL, .refcount = -1};
static lm_type t_dt = {.id = LM_TYPE_DT_INTERVAL, .refcount = -1, .end_field = LM_DT_SECOND};
static lm_type t_dec10_2 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 10, .scale = 2};
static lm_type t_dec18_0 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 18};
static lm_type t_dec19_0 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 19};
static lm_type t_dec20_0 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 20};
static lm_type t_dec38_0 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 38};
static lm_type t_dec38_2 = {.id = LM_TYPE_DECIMAL, .refcount = -1, .precision = 38, .scale = 2};
static lm_type t_arr_int = {.id = LM_TYPE_ARRAY, .refcount = -1, .elem = &t_int,
                            .contains_null = true};
static lm_type t_arr_arr_int = {.id = LM_TYPE_ARRAY, .refcount = -1, .elem = &t_arr_int,
                                .contains_null = true};
static lm_type t_map_int_str = {.id = LM_TYPE_MAP, .refcount = -1, .key = &t_int,
                                .value = &t_string, .value_contains_null = true};
static lm_field f_int_str[2] = {{.name = "a", .type = &t_int, .nullable = true},
                                {.name = "b", .type = &t_string, .nullable = true}};
static lm_type t_struct = {.id = LM_TYPE_STRUCT, .refcount = -1, .nfields = 2,
                           .fields = f_int_str};

static lm_value v_int(int64_t x)
{
    return lm_value_i64(x);
}

static lm_value v_str(const char *s)
{
    return lm_value_str(s, (int32_t)strlen(s));
}

static int32_t mm(const lm_type *t, lm_value v)
{
    return (int32_t)lm_murmur3_hash_value(t, &v, LM_MURMUR3_SEED);
}

static int64_t xx(const lm_type *t, lm_value v)
{
    return (int64_t)lm_xxhash64_hash_value(t, &v, LM_XXHASH64_SEED);
}

/* ---- Murmur3 primitives ---- */

static void test_murmur3_hash_int_matches_spark(void **state)
{
    (void)state;
    assert_int_equal((int32_t)lm_murmur3_hash_int(1, 42), -559580957);
    assert_int_equal(lm_murmur3_hash_int(0, 42), 0x379fae8fu);
    assert_int_equal(lm_murmur3_hash_int(-1, 42), 0xa0590e3du);
    assert_int_equal((int32_t)lm_murmur3_hash_int(INT32_MIN, 42), 723455942);
}

static void test_murmur3_hash_long_matches_spark(void **state)
{
    (void)state;
    assert_int_equal(lm_murmur3_hash_long(1, 42), 0x99f0149du);
    assert_int_equal(lm_murmur3_hash_long(0, 42), 0x9c67b85du);
    assert_int_equal(lm_murmur3_hash_long(-1, 42), 0xc8008529u);
    assert_int_equal((int32_t)lm_murmur3_hash_long(1234567890123456789, 42), -2017768400);
}

static void test_murmur3_hash_bytes_legacy_tail(void **state)
{
    (void)state;
    assert_int_equal(lm_murmur3_hash_bytes("", 0, 42), 142593372u);
    assert_int_equal(lm_murmur3_hash_bytes("abc", 3, 42), 1322437556u);
    assert_int_equal(lm_murmur3_hash_bytes("hello", 5, 42), 3286402344u);
    /* Trailing bytes >= 0x80 are sign-extended as Java bytes. */
    assert_int_equal((int32_t)lm_murmur3_hash_bytes("\xc3\xa9", 2, 42), 2119106806);
}

static void test_murmur3_hash_bytes2_is_standard_murmur3(void **state)
{
    (void)state;
    /* Published MurmurHash3_x86_32 vectors. */
    assert_int_equal(lm_murmur3_hash_bytes2("", 0, 0), 0u);
    assert_int_equal(lm_murmur3_hash_bytes2("", 0, 1), 0x514e28b7u);
    assert_int_equal(lm_murmur3_hash_bytes2("a", 1, 0), 1009084850u);
    assert_int_equal(lm_murmur3_hash_bytes2("abc", 3, 0), 3017643002u);
    assert_int_equal(lm_murmur3_hash_bytes2("abcd", 4, 0), 1139631978u);
    assert_int_equal(lm_murmur3_hash_bytes2("hello", 5, 0), 613153351u);
    assert_int_equal(lm_murmur3_hash_bytes2("Some Larger String!", 19, 123), 3193508780u);
}

static void test_murmur3_legacy_and_standard_agree_on_whole_words(void **state)
{
    (void)state;
    assert_int_equal(lm_murmur3_hash_bytes("abcdefgh", 8, 42),
                     lm_murmur3_hash_bytes2("abcdefgh", 8, 42));
    assert_int_not_equal(lm_murmur3_hash_bytes("abc", 3, 42),
                         lm_murmur3_hash_bytes2("abc", 3, 42));
}

static void check_bigint_bytes(lm_int128 v, const char *hex)
{
    uint8_t out[16];
    char got[33];
    size_t n = hash_decimal_bytes(v, out);
    for (size_t i = 0; i < n; i++)
        snprintf(got + 2 * i, 3, "%02x", out[i]);
    got[2 * n] = '\0';
    assert_string_equal(got, hex);
}

static void test_decimal_bytes_match_java_biginteger_to_byte_array(void **state)
{
    lm_int128 nines = 0;
    (void)state;
    for (int i = 0; i < 38; i++)
        nines = nines * 10 + 9;
    /* Expected values printed by java.math.BigInteger.toByteArray. */
    check_bigint_bytes(0, "00");
    check_bigint_bytes(127, "7f");
    check_bigint_bytes(128, "0080");
    check_bigint_bytes(-1, "ff");
    check_bigint_bytes(-128, "80");
    check_bigint_bytes(-129, "ff7f");
    check_bigint_bytes(12345, "3039");
    check_bigint_bytes(-12345, "cfc7");
    check_bigint_bytes(nines, "4b3b4ca85a86c47a098a223fffffffff");
    check_bigint_bytes(-nines, "b4c4b357a5793b85f675ddc000000001");
}

/* ---- hash(...) over SQL values ---- */

static void test_spark_hash_doc_example(void **state)
{
    /* SELECT hash('Spark', array(123), 2) -> -1321691492 */
    lm_value e123 = v_int(123);
    lm_array_value arr = {.n = 1, .elems = &e123};
    lm_value arrv = lm_value_null();
    const lm_type *types[3] = {&t_string, &t_arr_int, &t_int};
    lm_value vals[3];
    (void)state;
    arrv.is_null = false;
    arrv.u.arr = &arr;
    vals[0] = v_str("Spark");
    vals[1] = arrv;
    vals[2] = v_int(2);
    assert_int_equal(lm_spark_hash(3, types, vals), -1321691492);
}

static void test_spark_hash_of_int_one(void **state)
{
    const lm_type *types[1] = {&t_int};
    lm_value vals[1] = {v_int(1)};
    (void)state;
    assert_int_equal(lm_spark_hash(1, types, vals), -559580957);
}

static void test_spark_hash_null_leaves_seed(void **state)
{
    lm_value null = lm_value_null();
    const lm_type *types[2] = {&t_int, &t_int};
    lm_value vals[2] = {lm_value_null(), v_int(1)};
    (void)state;
    assert_int_equal(lm_murmur3_hash_value(&t_int, &null, 42), 42u);
    assert_int_equal(lm_murmur3_hash_value(&t_null, &null, 7), 7u);
    assert_int_equal(lm_spark_hash(1, types, vals), 42);
    /* hash(NULL, 1) = hash(1) */
    assert_int_equal(lm_spark_hash(2, types, vals), -559580957);
    assert_int_equal(lm_spark_hash(0, NULL, NULL), 42);
}

static void test_spark_hash_boolean_as_int(void **state)
{
    (void)state;
    assert_int_equal(mm(&t_bool, lm_value_bool(true)), -559580957);
    assert_int_equal(mm(&t_bool, lm_value_bool(false)), 933211791);
}

static void test_spark_hash_small_integrals_and_date_as_int(void **state)
{
    (void)state;
    assert_int_equal(mm(&t_byte, v_int(-5)), 1369497261);
    assert_int_equal(mm(&t_date, v_int(19000)), -779492372);
    assert_int_equal(mm(&t_ym, v_int(-1)), (int32_t)lm_murmur3_hash_int(-1, 42));
}

static void test_spark_hash_long_timestamp_and_daytime_as_long(void **state)
{
    (void)state;
    assert_int_equal(mm(&t_long, v_int(-1)), -939490007);
    assert_int_equal(mm(&t_ts, v_int(1700000000123456)), -1935367823);
    assert_int_equal(mm(&t_ts_ntz, v_int(1700000000123456)), -1935367823);
    assert_int_equal(mm(&t_dt, v_int(1)), (int32_t)0x99f0149du);
    /* long 1 and int 1 differ: the width is part of the hash. */
    assert_int_not_equal(mm(&t_long, v_int(1)), mm(&t_int, v_int(1)));
}

static void test_spark_hash_double_normalises_negative_zero_and_nan(void **state)
{
    double other_nan;
    uint64_t bits = UINT64_C(0x7ff0000000000001); /* a non-canonical NaN */
    (void)state;
    memcpy(&other_nan, &bits, sizeof other_nan);
    assert_int_equal(mm(&t_double, lm_value_f64(0.0)), -1670924195);
    assert_int_equal(mm(&t_double, lm_value_f64(-0.0)), -1670924195);
    assert_int_equal(mm(&t_double, lm_value_f64(1.5)), 1290763749);
    assert_int_equal(mm(&t_double, lm_value_f64(NAN)), -1281358385);
    assert_int_equal(mm(&t_double, lm_value_f64(other_nan)), -1281358385);
}

static void test_spark_hash_float_normalises_negative_zero_and_nan(void **state)
{
    (void)state;
    assert_int_equal(mm(&t_float, lm_value_f32(-0.0f)), 933211791); /* hashInt(0) */
    assert_int_equal(mm(&t_float, lm_value_f32(1.5f)), -221251528);
    assert_int_equal(mm(&t_float, lm_value_f32(NAN)), -349261430);
    assert_int_equal(mm(&t_float, lm_value_f32(-NAN)), -349261430);
}

static void test_spark_hash_small_decimal_hashes_unscaled_long(void **state)
{
    (void)state;
    /* 123.45 as decimal(10,2): unscaled 12345 hashed as a long */
    assert_int_equal(mm(&t_dec10_2, lm_value_dec(12345)), 1416086240);
    assert_int_equal(mm(&t_dec18_0, lm_value_dec(12345)), 1416086240);
}

static void test_spark_hash_large_decimal_hashes_bigint_bytes(void **state)
{
    lm_int128 nines = 0; /* 10^38 - 1, the largest decimal(38,0) */
    (void)state;
    for (int i = 0; i < 38; i++)
        nines = nines * 10 + 9;
    /* Precision > 18: BigInteger.toByteArray of the unscaled value. */
    assert_int_equal(mm(&t_dec38_0, lm_value_dec(12345)), 589679666);
    assert_int_equal(mm(&t_dec38_2, lm_value_dec(12345)), 589679666);
    assert_int_equal(mm(&t_dec19_0, lm_value_dec(-128)), 775851899);
    assert_int_equal(mm(&t_dec20_0, lm_value_dec(0)), -783713497);
    assert_int_equal(mm(&t_dec38_0, lm_value_dec(nines)), -817514053);
    assert_int_equal(mm(&t_dec38_0, lm_value_dec(-nines)), 1400911110);
    /* Same unscaled value, different precision class, different hash. */
    assert_int_not_equal(mm(&t_dec18_0, lm_value_dec(12345)),
                         mm(&t_dec19_0, lm_value_dec(12345)));
}

static void test_spark_hash_string_and_binary_hash_bytes(void **state)
{
    const char snowman[] = "Spark SQL \xe2\x98\x83";
    (void)state;
    assert_int_equal(mm(&t_string, v_str("")), 142593372);
    assert_int_equal(mm(&t_string, v_str(snowman)), -1467481001);
    assert_int_equal(mm(&t_binary, v_str(snowman)), -1467481001);
}

static void test_spark_hash_array_skips_null_elements(void **state)
{
    lm_value elems[3] = {v_int(1), lm_value_null(), v_int(2)};
    lm_array_value arr = {.n = 3, .elems = elems};
    lm_array_value empty = {.n = 0, .elems = NULL};
    lm_value v = lm_value_null();
    (void)state;
    v.is_null = false;
    v.u.arr = &arr;
    assert_int_equal(mm(&t_arr_int, v), -222940379);
    v.u.arr = &empty;
    assert_int_equal(mm(&t_arr_int, v), 42);
}

static void test_spark_hash_nested_array_flattens_in_order(void **state)
{
    lm_value a1[1] = {v_int(1)}, a2[2] = {v_int(2), v_int(3)};
    lm_array_value in1 = {.n = 1, .elems = a1}, in2 = {.n = 2, .elems = a2};
    lm_value outer_elems[2] = {lm_value_null(), lm_value_null()};
    lm_array_value outer = {.n = 2, .elems = outer_elems};
    lm_value v = lm_value_null();
    (void)state;
    outer_elems[0].is_null = false;
    outer_elems[0].u.arr = &in1;
    outer_elems[1].is_null = false;
    outer_elems[1].u.arr = &in2;
    v.is_null = false;
    v.u.arr = &outer;
    /* array(array(1), array(2, 3)) hashes as 1, 2, 3 chained. */
    assert_int_equal(mm(&t_arr_arr_int, v), -912918097);
}

static void test_spark_hash_struct_chains_fields(void **state)
{
    lm_value fields[2] = {v_int(7), v_str("abc")};
    lm_struct_value st = {.n = 2, .fields = fields};
    lm_value v = lm_value_null();
    (void)state;
    v.is_null = false;
    v.u.st = &st;
    assert_int_equal(mm(&t_struct, v), 2145440308);
    fields[1] = lm_value_null();
    assert_int_equal(mm(&t_struct, v), mm(&t_int, v_int(7)));
}

static void test_spark_hash_map_hashes_key_then_value(void **state)
{
    lm_value keys[2] = {v_int(1), v_int(2)};
    lm_value vals[2] = {v_str("a"), lm_value_null()};
    lm_map_value m = {.n = 2, .keys = keys, .values = vals};
    lm_value v = lm_value_null();
    (void)state;
    v.is_null = false;
    v.u.map = &m;
    assert_int_equal(mm(&t_map_int_str, v), -355304976);
}

static void test_spark_hash_calendar_interval_micros_days_months(void **state)
{
    lm_value v = lm_value_null();
    (void)state;
    v.is_null = false;
    v.u.iv.months = 1;
    v.u.iv.days = 2;
    v.u.iv.micros = 3;
    assert_int_equal(mm(&t_cal, v), 2116328997);
}

static void test_hash_partition_is_pmod(void **state)
{
    (void)state;
    assert_int_equal(lm_hash_partition(-559580957, 200), 43);
    assert_int_equal(lm_hash_partition(-1, 200), 199);
    assert_int_equal(lm_hash_partition(INT32_MIN, 7), 5); /* -2147483648 mod 7 */
    assert_int_equal(lm_hash_partition(10, 5), 0);
    assert_int_equal(lm_hash_partition(123, 1), 0);
}

/* ---- xxhash64 ---- */

static void test_xxhash64_bytes_match_reference_xxh64(void **state)
{
    const char *fox = "The quick brown fox jumps over the lazy dog";
    (void)state;
    assert_true(lm_xxhash64_hash_bytes("", 0, 0) == UINT64_C(0xef46db3751d8e999));
    assert_true(lm_xxhash64_hash_bytes("a", 1, 0) == UINT64_C(0xd24ec4f1a98c6e5b));
    assert_true(lm_xxhash64_hash_bytes("abc", 3, 0) == UINT64_C(0x44bc2cf5ad770999));
    assert_true((int64_t)lm_xxhash64_hash_bytes(fox, strlen(fox), 42) ==
                INT64_C(-6152153990451020481));
}

static void test_xxhash64_int_and_long_equal_hashing_le_bytes(void **state)
{
    const uint8_t one32[4] = {1, 0, 0, 0};
    const uint8_t one64[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    (void)state;
    assert_true(lm_xxhash64_hash_int(1, 42) == lm_xxhash64_hash_bytes(one32, 4, 42));
    assert_true(lm_xxhash64_hash_long(1, 42) == lm_xxhash64_hash_bytes(one64, 8, 42));
    assert_true((int64_t)lm_xxhash64_hash_int(1, 42) == INT64_C(-6698625589789238999));
    assert_true((int64_t)lm_xxhash64_hash_long(1, 42) == INT64_C(-7001672635703045582));
}

static void test_xxhash64_doc_example(void **state)
{
    /* SELECT xxhash64('Spark', array(123), 2) -> 5602566077635097486 */
    lm_value e123 = v_int(123);
    lm_array_value arr = {.n = 1, .elems = &e123};
    const lm_type *types[3] = {&t_string, &t_arr_int, &t_int};
    lm_value vals[3];
    (void)state;
    vals[0] = v_str("Spark");
    vals[1] = lm_value_null();
    vals[1].is_null = false;
    vals[1].u.arr = &arr;
    vals[2] = v_int(2);
    assert_true(lm_spark_xxhash64(3, types, vals) == INT64_C(5602566077635097486));
}

static void test_xxhash64_per_type_rules(void **state)
{
    lm_int128 nines = 0;
    lm_value fields[2] = {v_int(7), v_str("abc")};
    lm_struct_value st = {.n = 2, .fields = fields};
    lm_value sv = lm_value_null(), iv = lm_value_null();
    const lm_type *types[1] = {&t_int};
    lm_value null = lm_value_null();
    (void)state;
    for (int i = 0; i < 38; i++)
        nines = nines * 10 + 9;
    sv.is_null = false;
    sv.u.st = &st;
    iv.is_null = false;
    iv.u.iv.months = 1;
    iv.u.iv.days = 2;
    iv.u.iv.micros = 3;
    assert_true(xx(&t_string, v_str("")) == INT64_C(-7444071767201028348));
    assert_true(xx(&t_double, lm_value_f64(-0.0)) == INT64_C(-5252525462095825812));
    assert_true(xx(&t_double, lm_value_f64(NAN)) == INT64_C(-3127944061524951246));
    assert_true(xx(&t_float, lm_value_f32(1.5f)) == INT64_C(6163473420726370430));
    assert_true(xx(&t_dec38_0, lm_value_dec(nines)) == INT64_C(-47190729175993179));
    assert_true(xx(&t_struct, sv) == INT64_C(5240695107142043672));
    assert_true(xx(&t_cal, iv) == INT64_C(-1782737096691691539));
    assert_true(lm_xxhash64_hash_value(&t_int, &null, 42) == 42);
    assert_true(lm_spark_xxhash64(1, types, &null) == 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_murmur3_hash_int_matches_spark),
        cmocka_unit_test(test_murmur3_hash_long_matches_spark),
        cmocka_unit_test(test_murmur3_hash_bytes_legacy_tail),
        cmocka_unit_test(test_murmur3_hash_bytes2_is_standard_murmur3),
        cmocka_unit_test(test_murmur3_legacy_and_standard_agree_on_whole_words),
        cmocka_unit_test(test_decimal_bytes_match_java_biginteger_to_byte_array),
        cmocka_unit_test(test_spark_hash_doc_example),
        cmocka_unit_test(test_spark_hash_of_int_one),
        cmocka_unit_test(test_spark_hash_null_leaves_seed),
        cmocka_unit_test(test_spark_hash_boolean_as_int),
        cmocka_unit_test(test_spark_hash_small_integrals_and_date_as_int),
        cmocka_unit_test(test_spark_hash_long_timestamp_and_daytime_as_long),
        cmocka_unit_test(test_spark_hash_double_normalises_negative_zero_and_nan),
        cmocka_unit_test(test_spark_hash_float_normalises_negative_zero_and_nan),
        cmocka_unit_test(test_spark_hash_small_decimal_hashes_unscaled_long),
        cmocka_unit_test(test_spark_hash_large_decimal_hashes_bigint_bytes),
        cmocka_unit_test(test_spark_hash_string_and_binary_hash_bytes),
        cmocka_unit_test(test_spark_hash_array_skips_null_elements),
        cmocka_unit_test(test_spark_hash_nested_array_flattens_in_order),
        cmocka_unit_test(test_spark_hash_struct_chains_fields),
        cmocka_unit_test(test_spark_hash_map_hashes_key_then_value),
        cmocka_unit_test(test_spark_hash_calendar_interval_micros_days_months),
        cmocka_unit_test(test_hash_partition_is_pmod),
        cmocka_unit_test(test_xxhash64_bytes_match_reference_xxh64),
        cmocka_unit_test(test_xxhash64_int_and_long_equal_hashing_le_bytes),
        cmocka_unit_test(test_xxhash64_doc_example),
        cmocka_unit_test(test_xxhash64_per_type_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
