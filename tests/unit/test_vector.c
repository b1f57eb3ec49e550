/*
 * Specification of columnar vectors and batches: every type survives a
 * round trip (append then get), nulls at every nesting level included;
 * append_from copies rows exactly; reset and truncate reuse buffers;
 * growth is amortised and an allocation failure leaves the vector intact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <valgrind/valgrind.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "types/type.h"
#include "types/value.h"
#include "vector/vector.h"

static lm_value S(const char *s)
{
    return lm_value_str(s, (int32_t)strlen(s));
}

static lm_value iv(int32_t months, int32_t days, int64_t micros)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.iv = (lm_interval){ months, days, micros };
    return v;
}

/* Value builders backed by an arena, so tests can nest them freely. */
static lm_value A(lm_arena *a, int32_t n, const lm_value *elems)
{
    lm_array_value *av = lm_arena_alloc(a, sizeof *av);
    av->n = n;
    av->elems = lm_arena_alloc(a, (size_t)n * sizeof *av->elems);
    if (n)
        memcpy(av->elems, elems, (size_t)n * sizeof *elems);
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.arr = av;
    return v;
}

static lm_value ST(lm_arena *a, int32_t n, const lm_value *fields)
{
    lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
    sv->n = n;
    sv->fields = lm_arena_alloc(a, (size_t)n * sizeof *sv->fields);
    memcpy(sv->fields, fields, (size_t)n * sizeof *fields);
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.st = sv;
    return v;
}

static lm_value M(lm_arena *a, int32_t n, const lm_value *keys, const lm_value *values)
{
    lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
    mv->n = n;
    mv->keys = lm_arena_alloc(a, (size_t)n * sizeof *mv->keys);
    mv->values = lm_arena_alloc(a, (size_t)n * sizeof *mv->values);
    if (n) {
        memcpy(mv->keys, keys, (size_t)n * sizeof *keys);
        memcpy(mv->values, values, (size_t)n * sizeof *values);
    }
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.map = mv;
    return v;
}

/*
 * Appends vals to a new vector of type t, reads every row back and checks
 * it equals the input; then copies the vector row by row with append_from
 * and checks the copy too. Uses lm_value_equal, so NaN == NaN.
 */
static void round_trip(const lm_type *t, const lm_value *vals, int32_t n, int32_t capacity)
{
    lm_vector *v = lm_vector_new(t, capacity);
    assert_non_null(v);
    for (int32_t i = 0; i < n; i++)
        assert_int_equal(lm_vector_append(v, &vals[i]), LM_OK);
    assert_int_equal(v->length, n);

    lm_vector *copy = lm_vector_new(t, 0);
    assert_non_null(copy);
    for (int32_t i = 0; i < n; i++)
        assert_int_equal(lm_vector_append_from(copy, v, i), LM_OK);
    assert_int_equal(copy->length, n);

    lm_arena a;
    lm_arena_init(&a, 0);
    for (int32_t i = 0; i < n; i++) {
        lm_value got, got2;
        assert_true(lm_vector_get(v, i, &got, &a));
        assert_true(lm_vector_get(copy, i, &got2, &a));
        assert_int_equal(lm_vector_is_null(v, i), vals[i].is_null);
        assert_int_equal(got.is_null, vals[i].is_null);
        assert_true(lm_value_equal(t, &got, &vals[i]));
        assert_true(lm_value_equal(t, &got2, &vals[i]));
    }
    lm_arena_free(&a);
    lm_vector_free(copy);
    lm_vector_free(v);
}

/* ---- primitives ---- */

static void test_round_trip_integral_types(void **state)
{
    (void)state;
    lm_value b[] = { lm_value_bool(true), lm_value_null(), lm_value_bool(false) };
    round_trip(lm_type_boolean(), b, 3, 1);
    lm_value i8[] = { lm_value_i64(-128), lm_value_i64(127), lm_value_null(), lm_value_i64(0) };
    round_trip(lm_type_byte(), i8, 4, 2);
    lm_value i16[] = { lm_value_i64(-32768), lm_value_null(), lm_value_i64(32767) };
    round_trip(lm_type_short(), i16, 3, 0);
    lm_value i32[] = { lm_value_i64(INT32_MIN), lm_value_i64(INT32_MAX), lm_value_null() };
    round_trip(lm_type_int(), i32, 3, 8);
    lm_value i64[] = { lm_value_i64(INT64_MIN), lm_value_null(), lm_value_i64(INT64_MAX) };
    round_trip(lm_type_long(), i64, 3, 3);
}

static void test_round_trip_floating_and_decimal(void **state)
{
    (void)state;
    lm_value f[] = { lm_value_f32(1.5f), lm_value_f32(NAN), lm_value_null(), lm_value_f32(-0.0f),
                     lm_value_f32(INFINITY) };
    round_trip(lm_type_float(), f, 5, 1);
    lm_value d[] = { lm_value_f64(1e300), lm_value_null(), lm_value_f64(NAN),
                     lm_value_f64(-INFINITY), lm_value_f64(5e-324) };
    round_trip(lm_type_double(), d, 5, 1);
    lm_type *dec = lm_type_decimal(38, 6);
    lm_int128 big = (lm_int128)99999999999999999LL * 1000000000000000000LL + 999;
    lm_value x[] = { lm_value_dec(big), lm_value_dec(-big), lm_value_null(), lm_value_dec(0) };
    round_trip(dec, x, 4, 1);
    lm_type_unref(dec);
}

static void test_round_trip_datetime_and_intervals(void **state)
{
    (void)state;
    lm_value days[] = { lm_value_i64(-719162), lm_value_i64(2932896), lm_value_null() };
    round_trip(lm_type_date(), days, 3, 1);
    lm_value us[] = { lm_value_i64(-62135596800000000LL), lm_value_null(),
                      lm_value_i64(253402300799999999LL) };
    round_trip(lm_type_timestamp(), us, 3, 1);
    round_trip(lm_type_timestamp_ntz(), us, 3, 1);
    lm_value months[] = { lm_value_i64(-178956970), lm_value_null(), lm_value_i64(14) };
    round_trip(lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH), months, 3, 1);
    lm_value micros[] = { lm_value_i64(INT64_MIN), lm_value_i64(86400000000LL), lm_value_null() };
    round_trip(lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND), micros, 3, 1);
    lm_value cal[] = { iv(1, 2, 3), lm_value_null(), iv(-14, INT32_MIN, INT64_MAX) };
    round_trip(lm_type_calendar_interval(), cal, 3, 1);
}

static void test_round_trip_strings_and_binary(void **state)
{
    (void)state;
    lm_value s[] = { S("hello"), S(""), lm_value_null(), S("\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"),
                     S("") };
    round_trip(lm_type_string(), s, 5, 1);
    lm_value b[] = { lm_value_str("\0\1\2", 3), lm_value_null(), lm_value_str("\xff", 1),
                     lm_value_str(NULL, 0) };
    round_trip(lm_type_binary(), b, 4, 0);
}

static void test_string_offsets_and_heap_layout(void **state)
{
    (void)state;
    lm_vector *v = lm_vector_new(lm_type_string(), 4);
    lm_value vals[] = { S("ab"), lm_value_null(), S("cde"), S("") };
    for (int i = 0; i < 4; i++)
        assert_int_equal(lm_vector_append(v, &vals[i]), LM_OK);
    const int32_t *off = v->data;
    /* Arrow layout: offsets[length + 1], a null has an empty slot */
    assert_int_equal(off[0], 0);
    assert_int_equal(off[1], 2);
    assert_int_equal(off[2], 2);
    assert_int_equal(off[3], 5);
    assert_int_equal(off[4], 5);
    assert_int_equal(v->heap_len, 5);
    assert_memory_equal(v->heap, "abcde", 5);
    /* validity: bit set = valid, LSB first -> rows 0, 2, 3 valid */
    assert_int_equal(v->validity[0] & 0x0f, 0x0d);
    lm_vector_free(v);
}

static void test_null_type_vector_is_all_null(void **state)
{
    (void)state;
    lm_vector *v = lm_vector_new(lm_type_null(), 0);
    lm_value n = lm_value_null();
    for (int i = 0; i < 20; i++)
        assert_int_equal(lm_vector_append(v, &n), LM_OK);
    assert_int_equal(v->length, 20);
    assert_null(v->data);
    lm_value got = lm_value_i64(1);
    assert_true(lm_vector_get(v, 19, &got, NULL));
    assert_true(got.is_null);
    assert_true(lm_vector_is_null(v, 0));
    lm_vector *copy = lm_vector_new(lm_type_null(), 1);
    assert_int_equal(lm_vector_append_from(copy, v, 3), LM_OK);
    assert_true(lm_vector_is_null(copy, 0));
    lm_vector_free(copy);
    lm_vector_free(v);
}

static void test_fixed_width_null_slots_are_zeroed(void **state)
{
    (void)state;
    lm_vector *v = lm_vector_new(lm_type_long(), 1);
    lm_value x = lm_value_i64(-1), n = lm_value_null();
    assert_int_equal(lm_vector_append(v, &x), LM_OK);
    assert_int_equal(lm_vector_append(v, &n), LM_OK);
    assert_int_equal(((int64_t *)v->data)[1], 0);
    lm_vector_free(v);
}

/* ---- nested ---- */

/* array<struct<a:int, b:array<string>>> with nulls at every level. */
static void test_round_trip_array_of_struct_with_nulls_everywhere(void **state)
{
    (void)state;
    lm_type *arr_s = lm_type_array(lm_type_string(), true);
    lm_field fs[] = { { "a", lm_type_int(), true, NULL, NULL }, { "b", arr_s, true, NULL, NULL } };
    lm_type *st = lm_type_struct(fs, 2);
    lm_type *t = lm_type_array(st, true);

    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value strs[] = { S("x"), lm_value_null(), S("") };
    lm_value s1f[] = { lm_value_i64(1), A(&a, 3, strs) };
    lm_value s2f[] = { lm_value_null(), lm_value_null() }; /* struct of nulls */
    lm_value s3f[] = { lm_value_i64(3), A(&a, 0, NULL) };  /* empty inner array */
    lm_value elems[] = { ST(&a, 2, s1f), lm_value_null(), ST(&a, 2, s2f), ST(&a, 2, s3f) };
    lm_value rows[] = {
        A(&a, 4, elems),     /* mixed */
        lm_value_null(),     /* null array */
        A(&a, 0, NULL),      /* empty array */
        A(&a, 1, elems + 1), /* array holding one null struct */
        A(&a, 2, elems + 2),
    };
    round_trip(t, rows, 5, 1);
    round_trip(t, rows, 5, 64);

    /* the element struct's children have the element count as length:
       a null struct element still occupies a slot in each field child */
    lm_vector *v = lm_vector_new(t, 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(lm_vector_append(v, &rows[i]), LM_OK);
    lm_vector *sv = v->children[0];
    assert_int_equal(sv->length, 4 + 0 + 0 + 1 + 2);
    assert_int_equal(sv->children[0]->length, sv->length);
    assert_int_equal(sv->children[1]->length, sv->length);
    assert_true(lm_vector_is_null(sv, 1));
    lm_vector_free(v);

    lm_arena_free(&a);
    lm_type_unref(t);
    lm_type_unref(st);
    lm_type_unref(arr_s);
}

static void test_round_trip_maps(void **state)
{
    (void)state;
    lm_type *arr_i = lm_type_array(lm_type_int(), true);
    lm_type *t = lm_type_map(lm_type_string(), arr_i, true);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value ints[] = { lm_value_i64(1), lm_value_null(), lm_value_i64(3) };
    lm_value keys[] = { S("k1"), S("k2"), S("k3") };
    lm_value values[] = { A(&a, 3, ints), lm_value_null(), A(&a, 0, NULL) };
    lm_value rows[] = { M(&a, 3, keys, values), lm_value_null(), M(&a, 0, NULL, NULL),
                        M(&a, 1, keys + 1, values + 1) };
    round_trip(t, rows, 4, 1);
    lm_arena_free(&a);
    lm_type_unref(t);
    lm_type_unref(arr_i);
}

static void test_round_trip_struct_of_struct_and_map(void **state)
{
    (void)state;
    lm_type *m = lm_type_map(lm_type_int(), lm_type_double(), true);
    lm_field inner_f[] = { { "x", lm_type_boolean(), true, NULL, NULL }, { "m", m, true, NULL, NULL } };
    lm_type *inner = lm_type_struct(inner_f, 2);
    lm_type *dec = lm_type_decimal(10, 2);
    lm_field outer_f[] = { { "s", inner, true, NULL, NULL }, { "d", dec, true, NULL, NULL },
                           { "c", lm_type_calendar_interval(), true, NULL, NULL } };
    lm_type *t = lm_type_struct(outer_f, 3);

    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value mk[] = { lm_value_i64(7) }, mv[] = { lm_value_f64(NAN) };
    lm_value in1[] = { lm_value_bool(true), M(&a, 1, mk, mv) };
    lm_value in2[] = { lm_value_null(), lm_value_null() };
    lm_value o1[] = { ST(&a, 2, in1), lm_value_dec(12345), iv(1, 2, 3) };
    lm_value o2[] = { lm_value_null(), lm_value_null(), lm_value_null() };
    lm_value o3[] = { ST(&a, 2, in2), lm_value_dec(-1), lm_value_null() };
    lm_value rows[] = { ST(&a, 3, o1), lm_value_null(), ST(&a, 3, o2), ST(&a, 3, o3) };
    round_trip(t, rows, 4, 1);
    lm_arena_free(&a);
    lm_type_unref(t);
    lm_type_unref(dec);
    lm_type_unref(inner);
    lm_type_unref(m);
}

static void test_struct_value_shorter_than_type_reads_as_nulls(void **state)
{
    (void)state;
    lm_field fs[] = { { "a", lm_type_int(), true, NULL, NULL }, { "b", lm_type_int(), true, NULL, NULL } };
    lm_type *t = lm_type_struct(fs, 2);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value one[] = { lm_value_i64(1) };
    lm_value row = ST(&a, 1, one);
    lm_vector *v = lm_vector_new(t, 1);
    assert_int_equal(lm_vector_append(v, &row), LM_OK);
    lm_value got;
    assert_true(lm_vector_get(v, 0, &got, &a));
    assert_int_equal(got.u.st->n, 2);
    assert_int_equal(got.u.st->fields[0].u.i64, 1);
    assert_true(got.u.st->fields[1].is_null);
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_type_unref(t);
}

/* ---- append_from, reset, truncate ---- */

static void test_append_from_self_and_selected_rows(void **state)
{
    (void)state;
    lm_type *t = lm_type_array(lm_type_string(), true);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value s[] = { S("a"), lm_value_null(), S("ccc") };
    lm_value rows[] = { A(&a, 3, s), lm_value_null(), A(&a, 1, s + 2) };
    lm_vector *v = lm_vector_new(t, 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(lm_vector_append(v, &rows[i]), LM_OK);
    /* appending a vector's own rows grows (and reallocates) its buffers
       while reading from them */
    for (int k = 0; k < 50; k++)
        assert_int_equal(lm_vector_append_from(v, v, k % 3), LM_OK);
    assert_int_equal(v->length, 53);
    for (int i = 0; i < 53; i++) {
        lm_value got;
        assert_true(lm_vector_get(v, i, &got, &a));
        int src = i < 3 ? i : (i - 3) % 3;
        assert_true(lm_value_equal(t, &got, &rows[src]));
    }
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_type_unref(t);
}

static void test_reset_keeps_buffers_and_empties(void **state)
{
    (void)state;
    lm_type *t = lm_type_array(lm_type_string(), true);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value s[] = { S("first"), S("second") };
    lm_value row = A(&a, 2, s);
    lm_vector *v = lm_vector_new(t, 4);
    for (int i = 0; i < 100; i++)
        assert_int_equal(lm_vector_append(v, &row), LM_OK);
    int32_t cap = v->capacity;
    void *data = v->data;
    lm_vector_reset(v);
    assert_int_equal(v->length, 0);
    assert_int_equal(v->children[0]->length, 0);
    assert_int_equal(v->children[0]->heap_len, 0);
    assert_int_equal(v->capacity, cap);
    assert_ptr_equal(v->data, data);
    lm_value s2[] = { S("z") };
    lm_value row2 = A(&a, 1, s2);
    assert_int_equal(lm_vector_append(v, &row2), LM_OK);
    lm_value got;
    assert_true(lm_vector_get(v, 0, &got, &a));
    assert_true(lm_value_equal(t, &got, &row2));
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_type_unref(t);
}

static void test_truncate_drops_rows_and_nested_data(void **state)
{
    (void)state;
    lm_field fs[] = { { "s", lm_type_string(), true, NULL, NULL } };
    lm_type *st = lm_type_struct(fs, 1);
    lm_type *t = lm_type_array(st, true);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value f1[] = { S("abc") }, f2[] = { S("defg") };
    lm_value e[] = { ST(&a, 1, f1), ST(&a, 1, f2) };
    lm_value rows[] = { A(&a, 1, e), A(&a, 2, e) };
    lm_vector *v = lm_vector_new(t, 0);
    assert_int_equal(lm_vector_append(v, &rows[0]), LM_OK);
    assert_int_equal(lm_vector_append(v, &rows[1]), LM_OK);
    lm_vector_truncate(v, 1);
    assert_int_equal(v->length, 1);
    assert_int_equal(v->children[0]->length, 1);
    assert_int_equal(v->children[0]->children[0]->heap_len, 3);
    lm_vector_truncate(v, 5); /* longer than length: no-op */
    assert_int_equal(v->length, 1);
    assert_int_equal(lm_vector_append(v, &rows[1]), LM_OK);
    lm_value got;
    assert_true(lm_vector_get(v, 1, &got, &a));
    assert_true(lm_value_equal(t, &got, &rows[1]));
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_type_unref(t);
    lm_type_unref(st);
}

/* ---- growth ---- */

static void test_ten_thousand_rows_grow_from_zero(void **state)
{
    (void)state;
    lm_type *arr = lm_type_array(lm_type_long(), true);
    lm_vector *vs = lm_vector_new(lm_type_string(), 0);
    lm_vector *vi = lm_vector_new(lm_type_int(), 0);
    lm_vector *va = lm_vector_new(arr, 0);
    lm_arena a;
    lm_arena_init(&a, 0);
    char buf[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(buf, sizeof buf, "row-%d", i);
        lm_value s = i % 7 == 0 ? lm_value_null() : S(buf);
        lm_value x = i % 11 == 0 ? lm_value_null() : lm_value_i64(i * 3);
        lm_value el[] = { lm_value_i64(i), lm_value_null(), lm_value_i64(-i) };
        lm_value ar = A(&a, i % 4, el);
        assert_int_equal(lm_vector_append(vs, &s), LM_OK);
        assert_int_equal(lm_vector_append(vi, &x), LM_OK);
        assert_int_equal(lm_vector_append(va, &ar), LM_OK);
    }
    assert_int_equal(vs->length, 10000);
    assert_true(vs->capacity >= 10000);
    for (int i = 0; i < 10000; i++) {
        lm_value s, x, ar;
        assert_true(lm_vector_get(vs, i, &s, &a));
        assert_true(lm_vector_get(vi, i, &x, &a));
        assert_true(lm_vector_get(va, i, &ar, &a));
        if (i % 7 == 0) {
            assert_true(s.is_null);
        } else {
            snprintf(buf, sizeof buf, "row-%d", i);
            assert_int_equal(s.u.str.len, (int32_t)strlen(buf));
            assert_memory_equal(s.u.str.ptr, buf, strlen(buf));
        }
        if (i % 11 == 0)
            assert_true(x.is_null);
        else
            assert_int_equal(x.u.i64, i * 3);
        assert_int_equal(ar.u.arr->n, i % 4);
        if (i % 4 >= 1)
            assert_int_equal(ar.u.arr->elems[0].u.i64, i);
        if (i % 4 >= 2)
            assert_true(ar.u.arr->elems[1].is_null);
        if (i % 4 == 3)
            assert_int_equal(ar.u.arr->elems[2].u.i64, -i);
    }
    lm_arena_free(&a);
    lm_vector_free(va);
    lm_vector_free(vi);
    lm_vector_free(vs);
    lm_type_unref(arr);
}

/* ---- batches ---- */

static lm_type *sample_schema(void)
{
    lm_type *arr = lm_type_array(lm_type_string(), true);
    lm_field fs[] = { { "id", lm_type_long(), false, NULL, NULL },
                      { "name", lm_type_string(), true, NULL, NULL },
                      { "tags", arr, true, NULL, NULL },
                      { "score", lm_type_double(), true, NULL, NULL } };
    lm_type *schema = lm_type_struct(fs, 4);
    lm_type_unref(arr);
    return schema;
}

static void test_batch_round_trip_append_from_and_reset(void **state)
{
    (void)state;
    lm_type *schema = sample_schema();
    lm_batch *b = lm_batch_new(schema, LM_BATCH_ROWS);
    assert_non_null(b);
    assert_int_equal(b->ncols, 4);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value tags[] = { S("x"), lm_value_null() };
    lm_value rows[3][4] = {
        { lm_value_i64(1), S("ann"), A(&a, 2, tags), lm_value_f64(0.5) },
        { lm_value_i64(2), lm_value_null(), lm_value_null(), lm_value_f64(NAN) },
        { lm_value_i64(3), S(""), A(&a, 0, NULL), lm_value_null() },
    };
    for (int r = 0; r < 3; r++)
        assert_int_equal(lm_batch_append_row(b, rows[r]), LM_OK);
    assert_int_equal(b->nrows, 3);

    lm_batch *c = lm_batch_new(schema, 0);
    assert_int_equal(lm_batch_append_from(c, b, 2), LM_OK);
    assert_int_equal(lm_batch_append_from(c, b, 0), LM_OK);
    assert_int_equal(lm_batch_append_from(c, b, 1), LM_OK);
    assert_int_equal(c->nrows, 3);

    static const int order[] = { 2, 0, 1 };
    for (int r = 0; r < 3; r++) {
        lm_value got[4], got2[4];
        assert_true(lm_batch_get_row(b, r, got, &a));
        assert_true(lm_batch_get_row(c, r, got2, &a));
        for (int k = 0; k < 4; k++) {
            const lm_type *ft = schema->fields[k].type;
            assert_true(lm_value_equal(ft, &got[k], &rows[r][k]));
            assert_true(lm_value_equal(ft, &got2[k], &rows[order[r]][k]));
        }
    }
    lm_batch_reset(b);
    assert_int_equal(b->nrows, 0);
    for (int k = 0; k < 4; k++)
        assert_int_equal(b->cols[k]->length, 0);
    assert_int_equal(lm_batch_append_row(b, rows[1]), LM_OK);
    assert_int_equal(b->nrows, 1);

    lm_batch_free(c);
    lm_batch_free(b);
    lm_arena_free(&a);
    lm_type_unref(schema);
}

static void test_batch_requires_struct_schema(void **state)
{
    (void)state;
    assert_null(lm_batch_new(lm_type_int(), 4));
    lm_type *empty = lm_type_struct(NULL, 0);
    lm_batch *b = lm_batch_new(empty, 4);
    assert_non_null(b);
    assert_int_equal(b->ncols, 0);
    assert_int_equal(lm_batch_append_row(b, NULL), LM_OK);
    assert_int_equal(b->nrows, 1);
    lm_batch_free(b);
    lm_type_unref(empty);
}

/* ---- allocation failure ---- */

/* Under AddressSanitizer (LM_SANITIZE=address) malloc must return NULL as
   libc's does, or the allocation-failure test would abort instead of
   seeing LM_ENOMEM. ASan reads this hook at start-up; without ASan it is
   an unused function. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Caps the address space a little above what the process uses now, so a
   large allocation fails for real. Returns false if the limit can't be set. */
static bool limit_address_space(struct rlimit *saved, size_t headroom)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return false;
    char line[256];
    unsigned long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %lu kB", &kb) == 1)
            break;
    fclose(f);
    if (kb == 0 || getrlimit(RLIMIT_AS, saved) != 0)
        return false;
    struct rlimit rl = *saved;
    rl.rlim_cur = (rlim_t)kb * 1024 + headroom;
    return setrlimit(RLIMIT_AS, &rl) == 0;
}

static void test_allocation_failure_leaves_vectors_intact(void **state)
{
    (void)state;
    /* valgrind's own allocator cannot live under an address-space cap */
    if (RUNNING_ON_VALGRIND)
        skip();
    lm_type *arr = lm_type_array(lm_type_string(), true);
    lm_vector *long_v = lm_vector_new(lm_type_long(), 4);
    lm_vector *str_v = lm_vector_new(lm_type_string(), 4);
    lm_vector *arr_v = lm_vector_new(arr, 4);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_value x = lm_value_i64(42);
    lm_value small[] = { S("ok"), S("fine") };
    lm_value row = A(&a, 2, small);
    assert_int_equal(lm_vector_append(long_v, &x), LM_OK);
    assert_int_equal(lm_vector_append(str_v, &small[0]), LM_OK);
    assert_int_equal(lm_vector_append(arr_v, &row), LM_OK);

    /* a source string too big to copy under the limit; malloc'ed before
       the limit is set and never touched, so it costs no memory */
    size_t huge = (size_t)1 << 29;
    char *big = malloc(huge);
    assert_non_null(big);
    big[0] = 'B';
    big[huge - 1] = 'E';
    lm_value bigv = lm_value_str(big, (int32_t)huge);
    lm_value mixed[] = { S("kept?"), S("no"), bigv };
    lm_value bad_row = A(&a, 3, mixed);

    struct rlimit saved;
    if (!limit_address_space(&saved, (size_t)64 << 20)) {
        free(big);
        skip();
    }
    /* 2^28 rows of int64: the validity bitmap (32 MiB) may fit, the
       2 GiB value buffer cannot */
    lm_status st_reserve = lm_vector_reserve(long_v, 1 << 28);
    lm_status st_str = lm_vector_append(str_v, &bigv);
    lm_status st_arr = lm_vector_append(arr_v, &bad_row);
    setrlimit(RLIMIT_AS, &saved);
    free(big);

    assert_int_equal(st_reserve, LM_ENOMEM);
    assert_int_equal(long_v->capacity, 4);
    assert_int_equal(long_v->length, 1);
    assert_int_equal(st_str, LM_ENOMEM);
    assert_int_equal(str_v->length, 1);
    assert_int_equal(str_v->heap_len, 2);
    assert_int_equal(st_arr, LM_ENOMEM);
    assert_int_equal(arr_v->length, 1);
    assert_int_equal(arr_v->children[0]->length, 2); /* partial elements undone */
    assert_int_equal(arr_v->children[0]->heap_len, 6);

    /* and the vectors still work */
    for (int i = 0; i < 40; i++) {
        assert_int_equal(lm_vector_append(long_v, &x), LM_OK);
        assert_int_equal(lm_vector_append(str_v, &small[1]), LM_OK);
        assert_int_equal(lm_vector_append(arr_v, &row), LM_OK);
    }
    lm_value got;
    assert_true(lm_vector_get(arr_v, 1, &got, &a));
    assert_true(lm_value_equal(arr, &got, &row));
    assert_true(lm_vector_get(str_v, 1, &got, &a));
    assert_true(lm_value_equal(lm_type_string(), &got, &small[1]));
    assert_true(lm_vector_get(long_v, 40, &got, &a));
    assert_int_equal(got.u.i64, 42);

    lm_arena_free(&a);
    lm_vector_free(arr_v);
    lm_vector_free(str_v);
    lm_vector_free(long_v);
    lm_type_unref(arr);
}

/* Byte-per-row validity for every NULL pattern of a bitmap byte, a
   partial last byte, and the all-valid answer. */
static void test_valid_bytes_expand_every_bit_pattern(void **state)
{
    (void)state;
    for (int pattern = 0; pattern < 256; pattern++) {
        lm_vector *v = lm_vector_new(lm_type_int(), 16);
        assert_non_null(v);
        for (int32_t i = 0; i < 11; i++) {
            bool valid = i < 8 ? (pattern >> i) & 1 : i != 9;
            lm_value x = valid ? lm_value_i64(i) : lm_value_null();
            assert_int_equal(lm_vector_append(v, &x), LM_OK);
        }
        uint8_t out[11];
        bool all = lm_vector_valid_bytes(v, 11, out);
        for (int32_t i = 0; i < 11; i++)
            assert_int_equal(out[i], !lm_vector_is_null(v, i));
        assert_false(all);
        assert_int_equal(lm_vector_valid_bytes(v, 8, out), pattern == 255);
        lm_vector_free(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_integral_types),
        cmocka_unit_test(test_round_trip_floating_and_decimal),
        cmocka_unit_test(test_round_trip_datetime_and_intervals),
        cmocka_unit_test(test_round_trip_strings_and_binary),
        cmocka_unit_test(test_string_offsets_and_heap_layout),
        cmocka_unit_test(test_null_type_vector_is_all_null),
        cmocka_unit_test(test_fixed_width_null_slots_are_zeroed),
        cmocka_unit_test(test_round_trip_array_of_struct_with_nulls_everywhere),
        cmocka_unit_test(test_round_trip_maps),
        cmocka_unit_test(test_round_trip_struct_of_struct_and_map),
        cmocka_unit_test(test_struct_value_shorter_than_type_reads_as_nulls),
        cmocka_unit_test(test_append_from_self_and_selected_rows),
        cmocka_unit_test(test_reset_keeps_buffers_and_empties),
        cmocka_unit_test(test_truncate_drops_rows_and_nested_data),
        cmocka_unit_test(test_ten_thousand_rows_grow_from_zero),
        cmocka_unit_test(test_batch_round_trip_append_from_and_reset),
        cmocka_unit_test(test_batch_requires_struct_schema),
        cmocka_unit_test(test_allocation_failure_leaves_vectors_intact),
        cmocka_unit_test(test_valid_bytes_expand_every_bit_pattern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
