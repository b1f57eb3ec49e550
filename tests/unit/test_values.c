/*
 * Specification of value ordering, equality, hashing and deep copy, with
 * Spark's edge cases: NaN above everything and equal to itself, -0.0 equal
 * to 0.0, unsigned byte order for strings, element-wise arrays, nested
 * nulls first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "types/type.h"
#include "types/value.h"

static lm_value S(const char *s)
{
    return lm_value_str(s, (int32_t)strlen(s));
}

static lm_value arr_of(lm_array_value *av, lm_value *elems, int32_t n)
{
    av->n = n;
    av->elems = elems;
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.arr = av;
    return v;
}

static lm_value struct_of(lm_struct_value *sv, lm_value *fields, int32_t n)
{
    sv->n = n;
    sv->fields = fields;
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.st = sv;
    return v;
}

static int cmp(const lm_type *t, lm_value a, lm_value b)
{
    return lm_value_compare(t, &a, &b);
}

/* ---- floating point ---- */

static void test_nan_is_greatest_and_equal_to_nan(void **state)
{
    (void)state;
    const lm_type *d = lm_type_double();
    lm_value nan = lm_value_f64(NAN), nan2 = lm_value_f64(-NAN);
    assert_int_equal(cmp(d, nan, nan2), 0);
    assert_true(cmp(d, nan, lm_value_f64(INFINITY)) > 0);
    assert_true(cmp(d, lm_value_f64(INFINITY), nan) < 0);
    assert_true(cmp(d, lm_value_f64(-INFINITY), lm_value_f64(-1e308)) < 0);
    assert_true(lm_value_equal(d, &nan, &nan2));

    const lm_type *f = lm_type_float();
    assert_int_equal(cmp(f, lm_value_f32(NAN), lm_value_f32(NAN)), 0);
    assert_true(cmp(f, lm_value_f32(NAN), lm_value_f32(3.4e38f)) > 0);
    assert_true(cmp(f, lm_value_f32(1.5f), lm_value_f32(2.5f)) < 0);
}

static void test_negative_zero_equals_zero(void **state)
{
    (void)state;
    lm_value nz = lm_value_f64(-0.0), z = lm_value_f64(0.0);
    assert_int_equal(cmp(lm_type_double(), nz, z), 0);
    assert_true(lm_value_equal(lm_type_double(), &nz, &z));
    assert_int_equal(cmp(lm_type_float(), lm_value_f32(-0.0f), lm_value_f32(0.0f)), 0);
}

static void test_hash_consistent_for_nan_and_negative_zero(void **state)
{
    (void)state;
    uint64_t seed = 42;
    lm_value nan1 = lm_value_f64(NAN), nan2 = lm_value_f64(-NAN), nan3;
    uint64_t bits = 0x7ff0000000000123ULL; /* a signalling-pattern NaN */
    double d;
    memcpy(&d, &bits, sizeof d);
    nan3 = lm_value_f64(d);
    assert_true(lm_value_equal(lm_type_double(), &nan1, &nan3));
    assert_true(lm_value_hash(lm_type_double(), &nan1, seed) ==
                lm_value_hash(lm_type_double(), &nan2, seed));
    assert_true(lm_value_hash(lm_type_double(), &nan1, seed) ==
                lm_value_hash(lm_type_double(), &nan3, seed));
    lm_value nz = lm_value_f64(-0.0), z = lm_value_f64(0.0);
    assert_true(lm_value_hash(lm_type_double(), &nz, seed) ==
                lm_value_hash(lm_type_double(), &z, seed));
    lm_value fnz = lm_value_f32(-0.0f), fz = lm_value_f32(0.0f);
    assert_true(lm_value_hash(lm_type_float(), &fnz, seed) ==
                lm_value_hash(lm_type_float(), &fz, seed));
    lm_value one = lm_value_f64(1.0);
    assert_true(lm_value_hash(lm_type_double(), &one, seed) !=
                lm_value_hash(lm_type_double(), &z, seed));
}

/* ---- integers, decimals, booleans, intervals ---- */

static void test_integral_and_decimal_order(void **state)
{
    (void)state;
    assert_true(cmp(lm_type_long(), lm_value_i64(INT64_MIN), lm_value_i64(INT64_MAX)) < 0);
    assert_true(cmp(lm_type_int(), lm_value_i64(-1), lm_value_i64(0)) < 0);
    assert_int_equal(cmp(lm_type_date(), lm_value_i64(19000), lm_value_i64(19000)), 0);
    lm_type *dec = lm_type_decimal(38, 2);
    lm_int128 big = (lm_int128)1 << 100;
    assert_true(cmp(dec, lm_value_dec(-big), lm_value_dec(big)) < 0);
    assert_true(cmp(dec, lm_value_dec(big + 1), lm_value_dec(big)) > 0);
    lm_value a = lm_value_dec(big), b = lm_value_dec(big);
    assert_true(lm_value_equal(dec, &a, &b));
    assert_true(lm_value_hash(dec, &a, 1) == lm_value_hash(dec, &b, 1));
    lm_value c = lm_value_dec(big + ((lm_int128)1 << 64));
    assert_true(lm_value_hash(dec, &a, 1) != lm_value_hash(dec, &c, 1));
    lm_type_unref(dec);
    assert_true(cmp(lm_type_boolean(), lm_value_bool(false), lm_value_bool(true)) < 0);
}

static void test_calendar_interval_order_months_days_micros(void **state)
{
    (void)state;
    const lm_type *t = lm_type_calendar_interval();
    lm_value a = lm_value_null(), b = lm_value_null();
    a.is_null = b.is_null = false;
    a.u.iv = (lm_interval){ 1, 0, 0 };
    b.u.iv = (lm_interval){ 0, 400, 999999999 };
    assert_true(lm_value_compare(t, &a, &b) > 0);
    b.u.iv = (lm_interval){ 1, 0, 1 };
    assert_true(lm_value_compare(t, &a, &b) < 0);
    a.u.iv = (lm_interval){ 1, 2, 1 };
    assert_true(lm_value_compare(t, &a, &b) > 0);
    b.u.iv = (lm_interval){ 1, 2, 1 };
    assert_true(lm_value_equal(t, &a, &b));
    assert_true(lm_value_hash(t, &a, 0) == lm_value_hash(t, &b, 0));
}

/* ---- strings and binary ---- */

static void test_strings_compare_as_unsigned_bytes(void **state)
{
    (void)state;
    const lm_type *s = lm_type_string();
    /* "é" is C3 A9: above every ASCII byte under unsigned comparison */
    assert_true(cmp(s, S("\xc3\xa9"), S("z")) > 0);
    assert_true(cmp(s, S("\x7f"), S("\x80")) < 0);
    assert_true(cmp(s, S("abc"), S("abd")) < 0);
    assert_true(cmp(s, S("ab"), S("abc")) < 0); /* prefix first */
    assert_true(cmp(s, S(""), S("a")) < 0);
    assert_int_equal(cmp(s, S(""), S("")), 0);
    assert_true(cmp(s, S("B"), S("a")) < 0); /* case-sensitive, byte order */
    const lm_type *b = lm_type_binary();
    lm_value x = lm_value_str("\x00\xff", 2), y = lm_value_str("\x00\x01", 2);
    assert_true(lm_value_compare(b, &x, &y) > 0);
    lm_value z = lm_value_str("\x00", 1);
    assert_true(lm_value_compare(b, &z, &y) < 0);
}

static void test_string_equality_and_hash(void **state)
{
    (void)state;
    const lm_type *s = lm_type_string();
    char buf1[] = "hello world, long enough for words", buf2[] = "hello world, long enough for words";
    lm_value a = S(buf1), b = S(buf2), c = S("hello world, long enough for wordz");
    assert_true(lm_value_equal(s, &a, &b));
    assert_false(lm_value_equal(s, &a, &c));
    assert_true(lm_value_hash(s, &a, 7) == lm_value_hash(s, &b, 7));
    assert_true(lm_value_hash(s, &a, 7) != lm_value_hash(s, &c, 7));
    lm_value e1 = lm_value_str(NULL, 0), e2 = S("");
    assert_true(lm_value_equal(s, &e1, &e2));
    assert_true(lm_value_hash(s, &e1, 7) == lm_value_hash(s, &e2, 7));
    /* a trailing zero byte is part of a binary value */
    lm_value z1 = lm_value_str("a", 1), z2 = lm_value_str("a\0", 2);
    assert_false(lm_value_equal(lm_type_binary(), &z1, &z2));
    assert_true(lm_value_hash(lm_type_binary(), &z1, 7) != lm_value_hash(lm_type_binary(), &z2, 7));
}

/* ---- nulls ---- */

static void test_null_placement(void **state)
{
    (void)state;
    const lm_type *t = lm_type_int();
    lm_value n = lm_value_null(), one = lm_value_i64(1), n2 = lm_value_null();
    assert_true(lm_value_compare_nulls(t, &n, &one, true) < 0);
    assert_true(lm_value_compare_nulls(t, &one, &n, true) > 0);
    assert_true(lm_value_compare_nulls(t, &n, &one, false) > 0);
    assert_true(lm_value_compare_nulls(t, &one, &n, false) < 0);
    assert_int_equal(lm_value_compare_nulls(t, &n, &n2, true), 0);
    assert_int_equal(lm_value_compare_nulls(t, &n, &n2, false), 0);
    /* null-safe equality: two nulls are equal, null never equals a value */
    assert_true(lm_value_equal(t, &n, &n2));
    assert_false(lm_value_equal(t, &n, &one));
    assert_true(lm_value_hash(t, &n, 3) == lm_value_hash(t, &n2, 3));
    lm_value zero = lm_value_i64(0);
    assert_false(lm_value_equal(t, &n, &zero));
}

/* ---- arrays, structs, maps ---- */

static void test_arrays_elementwise_then_length(void **state)
{
    (void)state;
    lm_type *t = lm_type_array(lm_type_int(), true);
    lm_array_value a1, a2;
    lm_value e1[] = { lm_value_i64(1), lm_value_i64(2) };
    lm_value e2[] = { lm_value_i64(1), lm_value_i64(2), lm_value_i64(0) };
    assert_true(cmp(t, arr_of(&a1, e1, 2), arr_of(&a2, e2, 3)) < 0); /* shorter prefix first */
    lm_value e3[] = { lm_value_i64(1), lm_value_i64(3) };
    assert_true(cmp(t, arr_of(&a1, e3, 2), arr_of(&a2, e2, 3)) > 0); /* [1,3] > [1,2,0] */
    assert_int_equal(cmp(t, arr_of(&a1, e1, 0), arr_of(&a2, e2, 0)), 0);
    /* a null element sorts first */
    lm_value e4[] = { lm_value_i64(1), lm_value_null() };
    assert_true(cmp(t, arr_of(&a1, e4, 2), arr_of(&a2, e1, 2)) < 0);
    lm_value e5[] = { lm_value_i64(1), lm_value_null() };
    lm_value x = arr_of(&a1, e4, 2), y = arr_of(&a2, e5, 2);
    assert_true(lm_value_equal(t, &x, &y));
    assert_true(lm_value_hash(t, &x, 9) == lm_value_hash(t, &y, 9));
    lm_type_unref(t);
}

static void test_array_of_doubles_uses_nan_rules(void **state)
{
    (void)state;
    lm_type *t = lm_type_array(lm_type_double(), false);
    lm_array_value a1, a2;
    lm_value e1[] = { lm_value_f64(NAN), lm_value_f64(-0.0) };
    lm_value e2[] = { lm_value_f64(-NAN), lm_value_f64(0.0) };
    lm_value x = arr_of(&a1, e1, 2), y = arr_of(&a2, e2, 2);
    assert_true(lm_value_equal(t, &x, &y));
    assert_true(lm_value_hash(t, &x, 5) == lm_value_hash(t, &y, 5));
    lm_type_unref(t);
}

static void test_structs_fieldwise_with_nested_nulls_first(void **state)
{
    (void)state;
    lm_field fs[] = { { "a", lm_type_int(), true, NULL, NULL }, { "b", lm_type_string(), true, NULL, NULL } };
    lm_type *t = lm_type_struct(fs, 2);
    lm_struct_value s1, s2;
    lm_value f1[] = { lm_value_i64(1), S("b") };
    lm_value f2[] = { lm_value_i64(1), S("c") };
    lm_value f3[] = { lm_value_i64(0), S("z") };
    lm_value f4[] = { lm_value_null(), S("a") };
    assert_true(cmp(t, struct_of(&s1, f1, 2), struct_of(&s2, f2, 2)) < 0);
    assert_true(cmp(t, struct_of(&s1, f1, 2), struct_of(&s2, f3, 2)) > 0);
    assert_true(cmp(t, struct_of(&s1, f4, 2), struct_of(&s2, f3, 2)) < 0);
    lm_value f5[] = { lm_value_i64(1), S("b") };
    lm_value x = struct_of(&s1, f1, 2), y = struct_of(&s2, f5, 2);
    assert_true(lm_value_equal(t, &x, &y));
    assert_true(lm_value_hash(t, &x, 0) == lm_value_hash(t, &y, 0));
    /* the outer null rule is separate from the nested one */
    lm_value n = lm_value_null();
    assert_true(lm_value_compare_nulls(t, &x, &n, false) < 0);
    lm_type_unref(t);
}

static void test_maps_compare_entry_by_entry(void **state)
{
    (void)state;
    lm_type *t = lm_type_map(lm_type_string(), lm_type_int(), true);
    lm_value k1[] = { S("a"), S("b") }, v1[] = { lm_value_i64(1), lm_value_i64(2) };
    lm_value k2[] = { S("a"), S("b") }, v2[] = { lm_value_i64(1), lm_value_null() };
    lm_map_value m1 = { 2, k1, v1 }, m2 = { 2, k2, v2 };
    lm_value x = lm_value_null(), y = lm_value_null();
    x.is_null = y.is_null = false;
    x.u.map = &m1;
    y.u.map = &m2;
    assert_true(lm_value_compare(t, &x, &y) > 0);
    assert_false(lm_value_equal(t, &x, &y));
    m2.values[1] = lm_value_i64(2);
    assert_true(lm_value_equal(t, &x, &y));
    assert_true(lm_value_hash(t, &x, 0) == lm_value_hash(t, &y, 0));
    m2.n = 1;
    assert_true(lm_value_compare(t, &x, &y) > 0);
    lm_type_unref(t);
}

/* ---- copy ---- */

static void test_copy_is_deep(void **state)
{
    (void)state;
    lm_field fs[] = { { "s", lm_type_string(), true, NULL, NULL }, { "i", lm_type_int(), true, NULL, NULL } };
    lm_type *st = lm_type_struct(fs, 2);
    lm_type *arr = lm_type_array(st, true);
    char text[] = "mutable";
    lm_struct_value sv[2];
    lm_value f0[] = { lm_value_str(text, 7), lm_value_i64(5) };
    lm_value f1[] = { lm_value_null(), lm_value_null() };
    lm_value elems[] = { struct_of(&sv[0], f0, 2), struct_of(&sv[1], f1, 2), lm_value_null() };
    lm_array_value av;
    lm_value src = arr_of(&av, elems, 3);

    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value dst;
    assert_true(lm_value_copy(&a, arr, &src, &dst));
    assert_true(lm_value_equal(arr, &src, &dst));
    text[0] = 'M'; /* the copy does not share the source's bytes */
    f0[1] = lm_value_i64(6);
    assert_false(lm_value_equal(arr, &src, &dst));
    assert_memory_equal(dst.u.arr->elems[0].u.st->fields[0].u.str.ptr, "mutable", 7);
    assert_int_equal(dst.u.arr->elems[0].u.st->fields[1].u.i64, 5);
    assert_true(dst.u.arr->elems[1].u.st->fields[0].is_null);
    assert_true(dst.u.arr->elems[2].is_null);

    /* copying in place (dst aliases src) is allowed */
    lm_value s = lm_value_str(text, 7);
    assert_true(lm_value_copy(&a, lm_type_string(), &s, &s));
    assert_ptr_not_equal(s.u.str.ptr, text);
    assert_memory_equal(s.u.str.ptr, "Mutable", 7);
    lm_arena_free(&a);
    lm_type_unref(arr);
    lm_type_unref(st);
}

static void test_copy_of_map_and_null(void **state)
{
    (void)state;
    lm_type *t = lm_type_map(lm_type_int(), lm_type_binary(), true);
    lm_value k[] = { lm_value_i64(1) }, v[] = { lm_value_str("\x01\x02", 2) };
    lm_map_value m = { 1, k, v };
    lm_value src = lm_value_null(), dst;
    src.is_null = false;
    src.u.map = &m;
    lm_arena a;
    lm_arena_init(&a, 0);
    assert_true(lm_value_copy(&a, t, &src, &dst));
    assert_true(lm_value_equal(t, &src, &dst));
    assert_ptr_not_equal(dst.u.map->values, v);
    lm_value n = lm_value_null();
    assert_true(lm_value_copy(&a, t, &n, &dst));
    assert_true(dst.is_null);
    lm_arena_free(&a);
    lm_type_unref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nan_is_greatest_and_equal_to_nan),
        cmocka_unit_test(test_negative_zero_equals_zero),
        cmocka_unit_test(test_hash_consistent_for_nan_and_negative_zero),
        cmocka_unit_test(test_integral_and_decimal_order),
        cmocka_unit_test(test_calendar_interval_order_months_days_micros),
        cmocka_unit_test(test_strings_compare_as_unsigned_bytes),
        cmocka_unit_test(test_string_equality_and_hash),
        cmocka_unit_test(test_null_placement),
        cmocka_unit_test(test_arrays_elementwise_then_length),
        cmocka_unit_test(test_array_of_doubles_uses_nan_rules),
        cmocka_unit_test(test_structs_fieldwise_with_nested_nulls_first),
        cmocka_unit_test(test_maps_compare_entry_by_entry),
        cmocka_unit_test(test_copy_is_deep),
        cmocka_unit_test(test_copy_of_map_and_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
