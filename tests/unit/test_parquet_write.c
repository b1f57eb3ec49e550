/*
 * Specification of the Parquet writer and of write -> read round trips:
 * every Spark type (nested ones with NULLs at every level) with every
 * codec and timestamp representation, Spark's physical schema mapping and
 * footer metadata, the part-file layout, statistics and row-group
 * skipping, dictionary encoding, mergeSchema, calendar rebasing on write,
 * the lm_read/lm_write entry points, and malformed files (truncations,
 * byte flips, bad offsets) failing with an error instead of crashing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "io/parquet/codec.h"
#include "io/parquet/encoding.h"
#include "io/parquet/meta.h"
#include "io/parquet/thrift.h"
#include "localmode.h"
#include "parquet_fixture.h"
#include "types/datetime.h"

/* ------------------------------------------------------------ builders */

static lm_arena A; /* values of the table under construction */

static lm_value S(const char *s)
{
    return lm_value_str(s, (int32_t)strlen(s));
}

static lm_value N(void)
{
    return lm_value_null();
}

static lm_value I(int64_t x)
{
    return lm_value_i64(x);
}

static lm_value arr(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    lm_array_value *a = lm_arena_alloc(&A, sizeof *a);
    a->n = n;
    a->elems = lm_arena_alloc(&A, sizeof(lm_value) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        a->elems[i] = va_arg(ap, lm_value);
    va_end(ap);
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.arr = a;
    return v;
}

static lm_value st(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    lm_struct_value *s = lm_arena_alloc(&A, sizeof *s);
    s->n = n;
    s->fields = lm_arena_alloc(&A, sizeof(lm_value) * (size_t)n);
    for (int i = 0; i < n; i++)
        s->fields[i] = va_arg(ap, lm_value);
    va_end(ap);
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.st = s;
    return v;
}

/* map(k1, v1, k2, v2, ...) with n entries */
static lm_value map(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    lm_map_value *m = lm_arena_alloc(&A, sizeof *m);
    m->n = n;
    m->keys = lm_arena_alloc(&A, sizeof(lm_value) * (size_t)(n ? n : 1));
    m->values = lm_arena_alloc(&A, sizeof(lm_value) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        m->keys[i] = va_arg(ap, lm_value);
        m->values[i] = va_arg(ap, lm_value);
    }
    va_end(ap);
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.map = m;
    return v;
}

static lm_value date(const char *s)
{
    int32_t d = 0;
    assert_true(lm_date_parse(s, strlen(s), &d));
    return lm_value_i64(d);
}

static lm_value ts(const char *s)
{
    int64_t us = 0;
    assert_true(lm_ts_parse(s, strlen(s), lm_tz_utc(), &us));
    return lm_value_i64(us);
}

static lm_type *parse_schema(const char *json)
{
    lm_type *t = lm_parquet_schema_from_json(json, NULL);
    assert_non_null(t);
    return t;
}

/* A struct schema from "name:type" pairs given as Spark JSON types. */
static lm_type *schema_of(int n, const char **names, lm_type **types)
{
    lm_field fs[64];
    for (int i = 0; i < n; i++) {
        fs[i].name = (char *)names[i];
        fs[i].type = types[i];
        fs[i].nullable = true;
        fs[i].comment = NULL;
        fs[i].metadata = NULL;
    }
    lm_type *t = lm_type_struct(fs, n);
    for (int i = 0; i < n; i++)
        lm_type_unref(types[i]);
    return t;
}

/* Every type Spark writes to Parquet, with NULLs at each nesting level. */
static lm_table *all_types_table(void)
{
    const char *names[] = {"b", "y", "s", "i", "l", "f", "d", "d5", "d15", "d30", "str", "bin",
                           "dt", "ts", "ntz", "ym", "dtv", "arr", "arrs", "m", "stc", "aa"};
    lm_type *sub_elem = parse_schema("{\"type\":\"struct\",\"fields\":[{\"name\":\"c\","
                                     "\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}");
    lm_field sf[2] = {{"a", lm_type_int(), true, NULL, NULL},
                      {"b", lm_type_array(sub_elem, true), true, NULL, NULL}};
    lm_type *inner_arr = lm_type_array(lm_type_int(), true);
    lm_type *types[] = {lm_type_boolean(),
                        lm_type_byte(),
                        lm_type_short(),
                        lm_type_int(),
                        lm_type_long(),
                        lm_type_float(),
                        lm_type_double(),
                        lm_type_decimal(5, 2),
                        lm_type_decimal(15, 3),
                        lm_type_decimal(30, 5),
                        lm_type_string(),
                        lm_type_binary(),
                        lm_type_date(),
                        lm_type_timestamp(),
                        lm_type_timestamp_ntz(),
                        lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH),
                        lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND),
                        lm_type_array(lm_type_int(), true),
                        lm_type_array(lm_type_string(), true),
                        lm_type_map(lm_type_string(), lm_type_int(), true),
                        lm_type_struct(sf, 2),
                        lm_type_array(inner_arr, true)};
    lm_type_unref(sf[1].type);
    lm_type_unref(sub_elem);
    lm_type_unref(inner_arr);
    lm_type *schema = schema_of(22, names, types);
    lm_table *t = lm_table_new(schema);
    lm_type_unref(schema);
    lm_value r1[] = {lm_value_bool(true), I(-128), I(32767), I(-2147483647 - 1),
                     I(INT64_MAX), lm_value_f32(1.5f), lm_value_f64(-2.25),
                     lm_value_dec(-12345), lm_value_dec((lm_int128)123456789012345),
                     lm_value_dec((lm_int128)123456789012345 * 1000000000000000 + 678),
                     S("héllo"), S("\x01\x02"), date("2024-02-29"),
                     ts("2024-03-01 12:34:56.789012"), ts("1999-12-31 23:59:59.5"), I(14),
                     I(INT64_C(90061000001)), arr(3, I(1), N(), I(3)), arr(2, S("x"), S("")),
                     map(2, S("k1"), I(1), S("k2"), N()),
                     st(2, I(7), arr(3, st(1, S("c1")), N(), st(1, N()))),
                     arr(3, arr(2, I(1), I(2)), N(), arr(0))};
    lm_value r2[22];
    for (int i = 0; i < 22; i++)
        r2[i] = N();
    lm_value r3[] = {lm_value_bool(false), I(127), I(-32768), I(0), I(INT64_MIN),
                     lm_value_f32(-0.0f), lm_value_f64(1e300), lm_value_dec(99999),
                     lm_value_dec(-1), lm_value_dec(-((lm_int128)1 << 100)), S(""), S(""),
                     date("1970-01-01"), ts("1970-01-01 00:00:00"), ts("2262-04-11 23:47:16"),
                     I(-25), I(-1), arr(0), arr(1, N()), map(0), st(2, N(), N()),
                     arr(1, arr(1, N()))};
    lm_value r4[] = {lm_value_bool(true), I(0), I(0), I(42), I(42), lm_value_f32(3.25f),
                     lm_value_f64(0.1), lm_value_dec(0), lm_value_dec(0), lm_value_dec(0),
                     S("same"), S("bytes"), date("1900-01-01"), ts("1900-01-01 00:00:00"),
                     ts("1900-01-01 00:00:00"), I(0), I(0), N(), N(), N(), N(), N()};
    assert_int_equal(lm_table_append_row(t, r1), LM_OK);
    assert_int_equal(lm_table_append_row(t, r2), LM_OK);
    assert_int_equal(lm_table_append_row(t, r3), LM_OK);
    assert_int_equal(lm_table_append_row(t, r4), LM_OK);
    return t;
}

static const char *ALL_TYPES_SCHEMA =
    "struct<b:boolean,y:tinyint,s:smallint,i:int,l:bigint,f:float,d:double,d5:decimal(5,2),"
    "d15:decimal(15,3),d30:decimal(30,5),str:string,bin:binary,dt:date,ts:timestamp,"
    "ntz:timestamp_ntz,ym:interval year to month,dtv:interval day to second,arr:array<int>,"
    "arrs:array<string>,m:map<string,int>,stc:struct<a:int,b:array<struct<c:string>>>,"
    "aa:array<array<int>>>";

static int setup(void **state)
{
    (void)state;
    lm_arena_init(&A, 1 << 14);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lm_arena_free(&A);
    return 0;
}

/* Writes t to a temporary file with opts, reads it back and checks the
   schema (exactly, nullability included) and every row. */
static void round_trip(const lm_table *t, const lm_parquet_write_opts *opts)
{
    const char *dir = pq_tmpdir();
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/t.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    if (lm_parquet_write_file_opts(t, path, opts, &err) != LM_OK)
        fail_msg("write: %s", err.message);
    lm_table *back = NULL;
    if (lm_parquet_read_file(path, NULL, &back, &err) != LM_OK)
        fail_msg("read: %s", err.message);
    assert_true(lm_type_equal(back->schema, t->schema));
    assert_int_equal(back->nrows, t->nrows);
    char *want = pq_rows_str(t), *got = pq_rows_str(back);
    assert_string_equal(got, want);
    free(want);
    free(got);
    lm_table_unref(back);
    lm_error_clear(&err);
    pq_rm_rf(dir);
}

/* ------------------------------------------------------- round trips */

static void test_every_type_round_trips_with_every_codec(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, ALL_TYPES_SCHEMA);
    free(s);
    static const char *codecs[] = {"none", "uncompressed", "snappy", "gzip", "zstd"};
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        lm_parquet_write_opts o;
        lm_parquet_write_opts_init(&o);
        o.compression = codecs[c];
        round_trip(t, &o);
    }
    lm_table_unref(t);
}

static void test_every_type_round_trips_without_dictionary(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.dictionary = false;
    round_trip(t, &o);
    lm_table_unref(t);
}

static void test_timestamps_round_trip_as_int96_micros_and_millis(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.timestamp_type = LM_PQ_TS_MICROS;
    round_trip(t, &o);
    lm_table_unref(t);
    /* millis keep only whole milliseconds */
    lm_field f = {"ts", lm_type_timestamp(), true, NULL, NULL};
    lm_type *schema = lm_type_struct(&f, 1);
    t = lm_table_new(schema);
    lm_value v = ts("2001-02-03 04:05:06.789");
    assert_int_equal(lm_table_append_row(t, &v), LM_OK);
    v = ts("1969-12-31 23:59:59.999");
    assert_int_equal(lm_table_append_row(t, &v), LM_OK);
    o.timestamp_type = LM_PQ_TS_MILLIS;
    round_trip(t, &o);
    lm_table_unref(t);
    lm_type_unref(schema);
}

static void test_nulls_at_every_nesting_level_round_trip(void **state)
{
    (void)state;
    lm_type *t = parse_schema(
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":{\"type\":\"map\",\"keyType\":"
        "\"string\",\"valueType\":{\"type\":\"array\",\"elementType\":{\"type\":\"struct\","
        "\"fields\":[{\"name\":\"p\",\"type\":{\"type\":\"array\",\"elementType\":\"long\","
        "\"containsNull\":true},\"nullable\":true,\"metadata\":{}}]},\"containsNull\":true},"
        "\"valueContainsNull\":true},\"nullable\":true,\"metadata\":{}}]}");
    lm_table *tb = lm_table_new(t);
    lm_value rows[] = {
        N(),
        map(0),
        map(1, S("a"), N()),
        map(1, S("a"), arr(0)),
        map(1, S("a"), arr(1, N())),
        map(1, S("a"), arr(1, st(1, N()))),
        map(1, S("a"), arr(1, st(1, arr(0)))),
        map(1, S("a"), arr(1, st(1, arr(1, N())))),
        map(2, S("a"), arr(2, st(1, arr(2, I(1), N())), N()), S("b"), arr(1, st(1, arr(1, I(5))))),
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(lm_table_append_row(tb, &rows[i]), LM_OK);
    char *text = pq_rows_str(tb);
    assert_string_equal(text, "NULL\n{}\n{\"a\":null}\n{\"a\":[]}\n{\"a\":[null]}\n"
                              "{\"a\":[{\"p\":null}]}\n{\"a\":[{\"p\":[]}]}\n"
                              "{\"a\":[{\"p\":[null]}]}\n"
                              "{\"a\":[{\"p\":[1,null]},null],\"b\":[{\"p\":[5]}]}");
    free(text);
    round_trip(tb, NULL);
    lm_table_unref(tb);
    lm_type_unref(t);
}

static void test_many_rows_span_pages_and_row_groups(void **state)
{
    (void)state;
    lm_field fs[3] = {{"id", lm_type_long(), false, NULL, NULL},
                      {"name", lm_type_string(), true, NULL, NULL},
                      {"tags", NULL, true, NULL, NULL}};
    fs[2].type = lm_type_array(lm_type_string(), true);
    lm_type *schema = lm_type_struct(fs, 3);
    lm_type_unref(fs[2].type);
    lm_table *t = lm_table_new(schema);
    char buf[64];
    for (int i = 0; i < 30000; i++) {
        snprintf(buf, sizeof buf, "name-%d", i % 977);
        lm_value row[3] = {I(i), i % 11 == 0 ? N() : S(buf),
                           i % 5 == 0 ? arr(0) : arr(2, S(buf), i % 3 ? S("t") : N())};
        assert_int_equal(lm_table_append_row(t, row), LM_OK);
        if (i % 1000 == 999) {
            lm_arena_free(&A);
            lm_arena_init(&A, 1 << 14);
        }
    }
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.page_size = 4096;
    o.row_group_size = 100000;
    round_trip(t, &o);
    lm_table_unref(t);
    lm_type_unref(schema);
}

static void test_empty_table_writes_a_readable_file(void **state)
{
    (void)state;
    lm_field f = {"a", lm_type_int(), true, NULL, NULL};
    lm_type *schema = lm_type_struct(&f, 1);
    lm_table *t = lm_table_new(schema);
    round_trip(t, NULL);
    lm_table_unref(t);
    lm_type_unref(schema);
}

/* --------------------------------------------- physical schema, footer */

typedef struct file_meta {
    uint8_t *data;
    lm_arena a;
    pq_file_meta m;
} file_meta;

static void load_meta(const char *path, file_meta *fm)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    fm->data = malloc((size_t)n);
    assert_int_equal(fread(fm->data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_memory_equal(fm->data, "PAR1", 4);
    assert_memory_equal(fm->data + n - 4, "PAR1", 4);
    uint32_t flen;
    memcpy(&flen, fm->data + n - 8, 4);
    lm_arena_init(&fm->a, 4096);
    assert_true(pq_decode_file_meta(fm->data + n - 8 - flen, flen, &fm->a, &fm->m));
}

static void free_meta(file_meta *fm)
{
    lm_arena_free(&fm->a);
    free(fm->data);
}

static const pq_schema_elem *elem(const pq_file_meta *m, const char *name, int nth)
{
    for (int i = 0; i < m->nschema; i++)
        if (strcmp(m->schema[i].name, name) == 0 && nth-- == 0)
            return &m->schema[i];
    fail_msg("no schema element %s", name);
    return NULL;
}

static void test_spark_physical_schema_and_footer_metadata(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    const char *dir = pq_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/t.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    file_meta fm;
    load_meta(path, &fm);
    const pq_file_meta *m = &fm.m;
    assert_string_equal(m->schema[0].name, "spark_schema");
    assert_int_equal(m->num_rows, 4);
    assert_int_equal(m->nrow_groups, 1);
    /* byte/short: INT32 annotated INT(8|16, signed) */
    assert_int_equal(elem(m, "y", 0)->type, PQ_INT32);
    assert_int_equal(elem(m, "y", 0)->converted, PQ_CT_INT_8);
    assert_int_equal(elem(m, "s", 0)->converted, PQ_CT_INT_16);
    /* decimals by precision */
    assert_int_equal(elem(m, "d5", 0)->type, PQ_INT32);
    assert_int_equal(elem(m, "d15", 0)->type, PQ_INT64);
    assert_int_equal(elem(m, "d30", 0)->type, PQ_FIXED_LEN_BYTE_ARRAY);
    assert_int_equal(elem(m, "d30", 0)->type_length, 13);
    assert_int_equal(elem(m, "d30", 0)->precision, 30);
    assert_int_equal(elem(m, "d30", 0)->scale, 5);
    /* strings are UTF8, binary is not annotated */
    assert_int_equal(elem(m, "str", 0)->converted, PQ_CT_UTF8);
    assert_int_equal(elem(m, "bin", 0)->converted, -1);
    assert_int_equal(elem(m, "dt", 0)->converted, PQ_CT_DATE);
    /* spark.sql.parquet.outputTimestampType is INT96 in Spark 3.5 */
    assert_int_equal(elem(m, "ts", 0)->type, PQ_INT96);
    const pq_schema_elem *ntz = elem(m, "ntz", 0);
    assert_int_equal(ntz->type, PQ_INT64);
    assert_int_equal(ntz->logical, PQ_LT_TIMESTAMP);
    assert_false(ntz->lt_utc);
    assert_int_equal(ntz->lt_unit, PQ_UNIT_MICROS);
    assert_int_equal(elem(m, "ym", 0)->type, PQ_INT32);
    assert_int_equal(elem(m, "dtv", 0)->type, PQ_INT64);
    /* 3-level lists and maps */
    const pq_schema_elem *arr_e = elem(m, "arr", 0);
    assert_int_equal(arr_e->converted, PQ_CT_LIST);
    assert_int_equal(arr_e->repetition, PQ_OPTIONAL);
    assert_int_equal(elem(m, "list", 0)->repetition, PQ_REPEATED);
    assert_int_equal(elem(m, "element", 0)->repetition, PQ_OPTIONAL);
    assert_int_equal(elem(m, "m", 0)->converted, PQ_CT_MAP);
    assert_int_equal(elem(m, "key_value", 0)->repetition, PQ_REPEATED);
    assert_int_equal(elem(m, "key", 0)->repetition, PQ_REQUIRED);
    assert_int_equal(elem(m, "value", 0)->repetition, PQ_OPTIONAL);
    /* footer key/value metadata */
    const pq_kv *ver = pq_meta_find_kv(m, "org.apache.spark.version");
    assert_non_null(ver);
    assert_string_equal(ver->value, "3.5.3");
    const pq_kv *rm = pq_meta_find_kv(m, "org.apache.spark.sql.parquet.row.metadata");
    assert_non_null(rm);
    assert_memory_equal(rm->value,
                        "{\"type\":\"struct\",\"fields\":[{\"name\":\"b\",\"type\":\"boolean\","
                        "\"nullable\":true,\"metadata\":{}},{\"name\":\"y\",\"type\":\"byte\"",
                        108);
    assert_non_null(strstr(rm->value, "{\"name\":\"ym\",\"type\":\"interval year to month\""));
    assert_non_null(strstr(rm->value, "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":"
                                      "\"integer\",\"valueContainsNull\":true}"));
    assert_non_null(m->created_by);
    assert_memory_equal(m->created_by, "localmode version ", 18);
    free_meta(&fm);
    lm_table_unref(t);
    pq_rm_rf(dir);
}

static void test_statistics_min_max_and_null_count(void **state)
{
    (void)state;
    lm_field fs[2] = {{"n", lm_type_int(), true, NULL, NULL}, {"s", lm_type_string(), true, NULL, NULL}};
    lm_type *schema = lm_type_struct(fs, 2);
    lm_table *t = lm_table_new(schema);
    lm_value rows[][2] = {{I(5), S("pear")}, {N(), S("apple")}, {I(-3), N()}, {I(12), S("zoo")}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(lm_table_append_row(t, rows[i]), LM_OK);
    const char *dir = pq_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/t.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file(t, path, "none", &err), LM_OK);
    file_meta fm;
    load_meta(path, &fm);
    const pq_stats *sn = &fm.m.row_groups[0].columns[0].meta.stats;
    assert_true(sn->has_min && sn->has_null_count);
    int32_t mn, mx;
    memcpy(&mn, sn->min, 4);
    memcpy(&mx, sn->max, 4);
    assert_int_equal(mn, -3);
    assert_int_equal(mx, 12);
    assert_int_equal(sn->null_count, 1);
    const pq_stats *ss = &fm.m.row_groups[0].columns[1].meta.stats;
    assert_int_equal(ss->min_len, 5);
    assert_memory_equal(ss->min, "apple", 5);
    assert_memory_equal(ss->max, "zoo", 3);
    assert_int_equal(ss->null_count, 1);
    free_meta(&fm);
    lm_table_unref(t);
    lm_type_unref(schema);
    pq_rm_rf(dir);
}

/* Three row groups of 1000 ids each (0..2999). */
static const char *three_groups(char *path, size_t n)
{
    lm_field fs[2] = {{"id", lm_type_long(), false, NULL, NULL}, {"tag", lm_type_string(), true, NULL, NULL}};
    lm_type *schema = lm_type_struct(fs, 2);
    lm_table *t = lm_table_new(schema);
    for (int i = 0; i < 3000; i++) {
        lm_value row[2] = {I(i), S(i < 1000 ? "a" : i < 2000 ? "b" : "c")};
        assert_int_equal(lm_table_append_row(t, row), LM_OK);
    }
    const char *dir = pq_tmpdir();
    snprintf(path, n, "%s/t.parquet", dir);
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    /* the writer counts 15 bytes per row here (8 + 1 for the id, 5 + 1 for
       the tag): a row group per 1000 rows */
    o.row_group_size = 15000;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file_opts(t, path, &o, &err), LM_OK);
    lm_table_unref(t);
    lm_type_unref(schema);
    return dir;
}

static int64_t read_with(const char *path, lm_parquet_pred *preds, int n, int64_t *skipped)
{
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.preds = preds;
    o.npreds = n;
    lm_table *t = NULL;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_read_file(path, &o, &t, &err), LM_OK);
    int64_t rows = t->nrows;
    *skipped = o.row_groups_skipped;
    assert_int_equal(o.row_groups_read + o.row_groups_skipped, 3);
    lm_table_unref(t);
    return rows;
}

static void test_row_groups_skipped_by_pushed_predicates(void **state)
{
    (void)state;
    char path[512];
    const char *dir = three_groups(path, sizeof path);
    int64_t skipped;
    lm_parquet_pred eq = {"id", LM_PQ_EQ, I(1500)};
    assert_int_equal(read_with(path, &eq, 1, &skipped), 1000);
    assert_int_equal(skipped, 2);
    lm_parquet_pred lt = {"ID", LM_PQ_LT, I(1000)}; /* names resolve case-insensitively */
    assert_int_equal(read_with(path, &lt, 1, &skipped), 1000);
    assert_int_equal(skipped, 2);
    lm_parquet_pred ge = {"id", LM_PQ_GE, I(999)};
    assert_int_equal(read_with(path, &ge, 1, &skipped), 3000);
    assert_int_equal(skipped, 0);
    lm_parquet_pred gt = {"id", LM_PQ_GT, I(2999)};
    assert_int_equal(read_with(path, &gt, 1, &skipped), 0);
    assert_int_equal(skipped, 3);
    lm_parquet_pred str[2] = {{"tag", LM_PQ_EQ, S("b")}, {"id", LM_PQ_LE, I(2500)}};
    assert_int_equal(read_with(path, str, 2, &skipped), 1000);
    assert_int_equal(skipped, 2);
    lm_parquet_pred isnull = {"tag", LM_PQ_IS_NULL, N()};
    assert_int_equal(read_with(path, &isnull, 1, &skipped), 0);
    assert_int_equal(skipped, 3);
    lm_parquet_pred notnull = {"tag", LM_PQ_IS_NOT_NULL, N()};
    assert_int_equal(read_with(path, &notnull, 1, &skipped), 3000);
    assert_int_equal(skipped, 0);
    pq_rm_rf(dir);
}

static void test_dictionary_for_repeated_values_plain_for_unique(void **state)
{
    (void)state;
    char path[512];
    const char *dir = three_groups(path, sizeof path);
    file_meta fm;
    load_meta(path, &fm);
    const pq_column_meta *id = &fm.m.row_groups[0].columns[0].meta;
    const pq_column_meta *tag = &fm.m.row_groups[0].columns[1].meta;
    assert_int_equal(id->encodings[0], PQ_ENC_PLAIN);
    assert_false(id->has_dictionary_page_offset);
    assert_int_equal(tag->encodings[0], PQ_ENC_PLAIN_DICTIONARY);
    assert_true(tag->has_dictionary_page_offset);
    assert_int_equal(tag->codec, PQ_CODEC_SNAPPY);
    free_meta(&fm);
    pq_rm_rf(dir);
}

/* ------------------------------------------------------------- layout */

static void test_write_dir_lays_out_part_file_and_success(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    const char *base = pq_tmpdir();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out", base);
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.compression = "gzip";
    char *file = NULL;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_dir(t, dir, &o, &file, &err), LM_OK);
    const char *name = strrchr(file, '/') + 1;
    /* part-00000-<36-char uuid>-c000.gz.parquet */
    assert_int_equal(strlen(name), strlen("part-00000-") + 36 + strlen("-c000.gz.parquet"));
    assert_memory_equal(name, "part-00000-", 11);
    assert_string_equal(name + 11 + 36, "-c000.gz.parquet");
    char p[600];
    snprintf(p, sizeof p, "%s/_SUCCESS", dir);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/_temporary", dir);
    assert_int_not_equal(access(p, F_OK), 0);
    /* reading the folder reads the part file */
    const char *paths[] = {dir};
    lm_table *back = NULL;
    assert_int_equal(lm_parquet_read_paths(paths, 1, NULL, &back, &err), LM_OK);
    assert_int_equal(back->nrows, 4);
    lm_table_unref(back);
    free(file);
    lm_table_unref(t);
    pq_rm_rf(base);
}

/* -------------------------------------------------------- mergeSchema */

static void write_one(const char *path, const char *json, lm_value *row)
{
    lm_type *schema = parse_schema(json);
    lm_table *t = lm_table_new(schema);
    assert_int_equal(lm_table_append_row(t, row), LM_OK);
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    lm_table_unref(t);
    lm_type_unref(schema);
}

#define F(n, t) "{\"name\":\"" n "\",\"type\":" t ",\"nullable\":true,\"metadata\":{}}"

static void test_merge_schema_unions_columns_of_all_files(void **state)
{
    (void)state;
    const char *dir = pq_tmpdir();
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/part-1.parquet", dir);
    snprintf(p2, sizeof p2, "%s/part-2.parquet", dir);
    lm_value r1[] = {I(1), S("one")};
    write_one(p1, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("b", "\"string\"") "]}",
              r1);
    lm_value r2[] = {I(2), lm_value_f64(2.5)};
    write_one(p2, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("c", "\"double\"") "]}",
              r2);
    const char *paths[] = {dir};
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    lm_table *t = NULL;
    lm_error err;
    lm_error_init(&err);
    /* without mergeSchema: the first file's schema */
    assert_int_equal(lm_parquet_read_paths(paths, 1, &o, &t, &err), LM_OK);
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, "struct<a:int,b:string>");
    free(s);
    char *r = pq_rows_str(t);
    assert_string_equal(r, "1 | one\n2 | NULL");
    free(r);
    lm_table_unref(t);
    o.merge_schema = true;
    assert_int_equal(lm_parquet_read_paths(paths, 1, &o, &t, &err), LM_OK);
    s = pq_schema_str(t->schema);
    assert_string_equal(s, "struct<a:int,b:string,c:double>");
    free(s);
    r = pq_rows_str(t);
    assert_string_equal(r, "1 | one | NULL\n2 | NULL | 2.5");
    free(r);
    lm_table_unref(t);
    /* an incompatible type fails as StructType.merge does */
    char p3[512];
    snprintf(p3, sizeof p3, "%s/part-3.parquet", dir);
    lm_value r3[] = {I(3)};
    write_one(p3, "{\"type\":\"struct\",\"fields\":[" F("a", "\"long\"") "]}", r3);
    assert_int_not_equal(lm_parquet_read_paths(paths, 1, &o, &t, &err), LM_OK);
    assert_string_equal(err.error_class, "CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE");
    lm_error_clear(&err);
    pq_rm_rf(dir);
}

static void test_user_schema_selects_and_nulls_missing_columns(void **state)
{
    (void)state;
    const char *dir = pq_tmpdir();
    char p1[512];
    snprintf(p1, sizeof p1, "%s/x.parquet", dir);
    lm_value r1[] = {I(1), S("one")};
    write_one(p1, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("b", "\"string\"") "]}",
              r1);
    lm_type *user = parse_schema("{\"type\":\"struct\",\"fields\":[" F("B", "\"string\"") ","
                                 F("zz", "\"date\"") "]}");
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.schema = user;
    lm_table *t = NULL;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_read_file(p1, &o, &t, &err), LM_OK);
    char *r = pq_rows_str(t);
    assert_string_equal(r, "one | NULL");
    free(r);
    lm_table_unref(t);
    lm_type_unref(user);
    pq_rm_rf(dir);
}

/* ------------------------------------------------------------ rebase */

static void test_ancient_dates_fail_to_write_by_default(void **state)
{
    (void)state;
    lm_field f = {"d", lm_type_date(), true, NULL, NULL};
    lm_type *schema = lm_type_struct(&f, 1);
    lm_table *t = lm_table_new(schema);
    lm_value v = date("1001-01-01");
    assert_int_equal(lm_table_append_row(t, &v), LM_OK);
    const char *dir = pq_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/t.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    assert_int_not_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    assert_string_equal(err.error_class,
                        "INCONSISTENT_BEHAVIOR_CROSS_VERSION.WRITE_ANCIENT_DATETIME");
    assert_int_not_equal(access(path, F_OK), 0); /* nothing left behind */
    lm_error_clear(&err);
    /* LEGACY: stored in the hybrid calendar, marked, read back the same */
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.datetime_rebase = LM_PQ_REBASE_LEGACY;
    round_trip(t, &o);
    /* CORRECTED: stored as is */
    o.datetime_rebase = LM_PQ_REBASE_CORRECTED;
    round_trip(t, &o);
    lm_table_unref(t);
    lm_type_unref(schema);
    pq_rm_rf(dir);
}

static void test_unsupported_types_are_refused(void **state)
{
    (void)state;
    lm_field f = {"v", lm_type_null(), true, NULL, NULL};
    lm_type *schema = lm_type_struct(&f, 1);
    lm_table *t = lm_table_new(schema);
    const char *dir = pq_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/t.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    assert_int_not_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    assert_string_equal(err.error_class, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE");
    lm_error_clear(&err);
    assert_int_not_equal(lm_parquet_write_file(t, path, "lzo", &err), LM_OK);
    lm_error_clear(&err);
    lm_table_unref(t);
    lm_type_unref(schema);
    /* empty schemas, at the top or nested, as DataSourceUtils.verifySchema */
    lm_type *empty = lm_type_struct(NULL, 0);
    t = lm_table_new(empty);
    assert_int_not_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    assert_string_equal(err.error_class, "EMPTY_SCHEMA_NOT_SUPPORTED_FOR_DATASOURCE");
    lm_error_clear(&err);
    lm_table_unref(t);
    lm_field nf[2] = {{"a", lm_type_int(), true, NULL, NULL}, {"b", empty, true, NULL, NULL}};
    schema = lm_type_struct(nf, 2);
    t = lm_table_new(schema);
    assert_int_not_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    assert_string_equal(err.error_class, "EMPTY_SCHEMA_NOT_SUPPORTED_FOR_DATASOURCE");
    assert_int_not_equal(access(path, F_OK), 0);
    lm_error_clear(&err);
    lm_table_unref(t);
    lm_type_unref(schema);
    lm_type_unref(empty);
    pq_rm_rf(dir);
}

/* ------------------------------------------------ lm_read / lm_write */

static void test_lm_write_and_lm_read_parquet(void **state)
{
    (void)state;
    lm_session *s = lm_session_open(NULL, NULL);
    assert_non_null(s);
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s,
                            "SELECT * FROM VALUES (1, 'a', array(1, 2), named_struct('x', 1.5D)),"
                            " (2, 'b', array(), null), (3, null, null, named_struct('x', 2.0D))"
                            " AS t(id, name, xs, st)",
                            &df),
                     LM_OK);
    const char *base = pq_tmpdir();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out", base);
    lm_options *opts = lm_options_new();
    lm_options_set(opts, "compression", "zstd");
    assert_int_equal(lm_write(df, "parquet", dir, "overwrite", opts, NULL, 0), LM_OK);
    DIR *d = opendir(dir);
    struct dirent *de;
    int parts = 0, success = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 13 && strcmp(de->d_name + n - 13, ".zstd.parquet") == 0)
            parts++;
        if (strcmp(de->d_name, "_SUCCESS") == 0)
            success++;
    }
    closedir(d);
    assert_int_equal(parts, 1);
    assert_int_equal(success, 1);
    lm_df *back = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &back), LM_OK);
    char *schema = lm_df_schema_string(back);
    assert_string_equal(schema, "struct<id:int,name:string,xs:array<int>,st:struct<x:double>>");
    free(schema);
    char *shown = lm_df_show_string(back, 20, 20, false);
    assert_string_equal(shown, "+---+----+------+-----+\n"
                               "| id|name|    xs|   st|\n"
                               "+---+----+------+-----+\n"
                               "|  1|   a|[1, 2]|{1.5}|\n"
                               "|  2|   b|    []| NULL|\n"
                               "|  3|NULL|  NULL|{2.0}|\n"
                               "+---+----+------+-----+\n");
    free(shown);
    /* SQL forms over the same folder */
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT sum(id) AS s FROM parquet.`%s`", dir);
    lm_df *q = NULL;
    assert_int_equal(lm_sql(s, sql, &q), LM_OK);
    shown = lm_df_show_string(q, 20, 20, false);
    assert_string_equal(shown, "+---+\n|  s|\n+---+\n|  6|\n+---+\n");
    free(shown);
    lm_df_free(q);
    snprintf(sql, sizeof sql, "CREATE TEMPORARY VIEW pv USING parquet OPTIONS (path '%s')", dir);
    assert_int_equal(lm_sql(s, sql, &q), LM_OK);
    lm_df_free(q);
    assert_int_equal(lm_sql(s, "SELECT name FROM pv WHERE id = 2", &q), LM_OK);
    shown = lm_df_show_string(q, 20, 20, false);
    assert_string_equal(shown, "+----+\n|name|\n+----+\n|   b|\n+----+\n");
    free(shown);
    lm_df_free(q);
    lm_df_free(back);
    /* partitionBy puts each id in its own folder */
    snprintf(dir, sizeof dir, "%s/parts", base);
    const char *pby[] = {"id"};
    assert_int_equal(lm_write(df, "parquet", dir, NULL, NULL, pby, 1), LM_OK);
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &back), LM_OK);
    schema = lm_df_schema_string(back);
    assert_string_equal(schema, "struct<name:string,xs:array<int>,st:struct<x:double>,id:int>");
    free(schema);
    int64_t n = 0;
    assert_int_equal(lm_df_count(back, &n), LM_OK);
    assert_int_equal(n, 3);
    lm_df_free(back);
    /* a bad codec name is refused before anything is written */
    lm_options_set(opts, "compression", "fancy");
    snprintf(dir, sizeof dir, "%s/bad", base);
    assert_int_not_equal(lm_write(df, "parquet", dir, NULL, opts, NULL, 0), LM_OK);
    assert_non_null(strstr(lm_errmsg(s), "Codec [fancy] is not available"));
    assert_int_not_equal(access(dir, F_OK), 0);
    lm_options_free(opts);
    lm_df_free(df);
    lm_session_close(s);
    pq_rm_rf(base);
}

static void test_lm_read_parquet_options_and_confs(void **state)
{
    (void)state;
    lm_session *s = lm_session_open(NULL, NULL);
    const char *dir = pq_tmpdir();
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/part-1.parquet", dir);
    snprintf(p2, sizeof p2, "%s/part-2.parquet", dir);
    lm_value r1[] = {I(1), S("one")};
    write_one(p1, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("b", "\"binary\"") "]}",
              r1);
    lm_value r2[] = {I(2), lm_value_f64(2.5)};
    write_one(p2, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("c", "\"double\"") "]}",
              r2);
    lm_options *o = lm_options_new();
    lm_options_set(o, "mergeSchema", "true");
    lm_df *df = NULL;
    assert_int_equal(lm_read(s, "parquet", dir, o, NULL, &df), LM_OK);
    char *schema = lm_df_schema_string(df);
    assert_string_equal(schema, "struct<a:int,b:binary,c:double>");
    free(schema);
    lm_df_free(df);
    /* spark.sql.parquet.mergeSchema is the option's default */
    lm_df *q = NULL;
    assert_int_equal(lm_sql(s, "SET spark.sql.parquet.mergeSchema=true", &q), LM_OK);
    lm_df_free(q);
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &df), LM_OK);
    schema = lm_df_schema_string(df);
    assert_string_equal(schema, "struct<a:int,b:binary,c:double>");
    free(schema);
    lm_df_free(df);
    /* the option wins over the conf */
    lm_options_set(o, "mergeSchema", "false");
    assert_int_equal(lm_read(s, "parquet", dir, o, NULL, &df), LM_OK);
    schema = lm_df_schema_string(df);
    assert_string_equal(schema, "struct<a:int,b:binary>");
    free(schema);
    lm_df_free(df);
    /* a user schema picks columns by name */
    assert_int_equal(lm_read(s, "parquet", p1, NULL, "b STRING, a INT", &df), LM_OK);
    char *shown = lm_df_show_string(df, 20, 20, false);
    assert_string_equal(shown, "+---+---+\n|  b|  a|\n+---+---+\n|one|  1|\n+---+---+\n");
    free(shown);
    lm_df_free(df);
    lm_options_free(o);
    /* the calendar options of ParquetOptions */
    if (pq_fixture("before_1582_date_v2_4_5.snappy.parquet")) {
        char f[1024];
        snprintf(f, sizeof f, "%s", pq_fixture("before_1582_date_v2_4_5.snappy.parquet"));
        /* the footer defines the relation; the dates fail when rows are read,
           at the action, as in Spark */
        assert_int_equal(lm_read(s, "parquet", f, NULL, NULL, &df), LM_OK);
        int64_t count = 0;
        assert_int_not_equal(lm_df_count(df, &count), LM_OK);
        assert_string_equal(lm_errclass(s),
                            "INCONSISTENT_BEHAVIOR_CROSS_VERSION.READ_ANCIENT_DATETIME");
        lm_df_free(df);
        lm_options *legacy = lm_options_new();
        lm_options_set(legacy, "datetimeRebaseMode", "LEGACY");
        assert_int_equal(lm_read(s, "parquet", f, legacy, NULL, &df), LM_OK);
        int64_t n = 0;
        assert_int_equal(lm_df_count(df, &n), LM_OK);
        assert_int_equal(n, 8);
        lm_df_free(df);
        lm_options_free(legacy);
        assert_int_equal(lm_sql(s, "SET spark.sql.parquet.datetimeRebaseModeInRead=CORRECTED", &q),
                         LM_OK);
        lm_df_free(q);
        assert_int_equal(lm_read(s, "parquet", f, NULL, NULL, &df), LM_OK);
        lm_df_free(df);
    }
    /* columns differing only in case: a duplicate unless case-sensitive */
    char p3[512];
    snprintf(p3, sizeof p3, "%s/dup.parquet", dir);
    lm_value r3[] = {I(1), I(2)};
    write_one(p3, "{\"type\":\"struct\",\"fields\":[" F("a", "\"integer\"") "," F("A", "\"integer\"") "]}",
              r3);
    assert_int_not_equal(lm_read(s, "parquet", p3, NULL, NULL, &df), LM_OK);
    assert_string_equal(lm_errclass(s), "COLUMN_ALREADY_EXISTS");
    assert_int_equal(lm_sql(s, "SET spark.sql.caseSensitive=true", &q), LM_OK);
    lm_df_free(q);
    assert_int_equal(lm_read(s, "parquet", p3, NULL, NULL, &df), LM_OK);
    lm_df_free(df);
    lm_session_close(s);
    pq_rm_rf(dir);
}

static void test_io_faults_fail_cleanly(void **state)
{
    (void)state;
    lm_session *s = lm_session_open(NULL, NULL);
    lm_df *df = NULL, *q = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, name)", &df),
                     LM_OK);
    const char *base = pq_tmpdir();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out", base);
    /* a full disk while the part file is written: the save fails and the
       target is not left behind */
    assert_int_equal(lm_sql(s, "SET spark.localmode.test.ioFaults=write:ENOSPC:.parquet", &q),
                     LM_OK);
    lm_df_free(q);
    assert_int_not_equal(lm_write(df, "parquet", dir, NULL, NULL, NULL, 0), LM_OK);
    assert_non_null(strstr(lm_errmsg(s), "No space left on device"));
    assert_int_not_equal(access(dir, F_OK), 0);
    /* a file that reads short is an error, not fewer rows */
    assert_int_equal(lm_sql(s, "SET spark.localmode.test.ioFaults=", &q), LM_OK);
    lm_df_free(q);
    assert_int_equal(lm_write(df, "parquet", dir, NULL, NULL, NULL, 0), LM_OK);
    assert_int_equal(lm_sql(s, "SET spark.localmode.test.ioFaults=read:SHORT:.parquet", &q),
                     LM_OK);
    lm_df_free(q);
    lm_df *back = NULL;
    assert_int_not_equal(lm_read(s, "parquet", dir, NULL, NULL, &back), LM_OK);
    assert_string_equal(lm_errexception(s), "java.io.EOFException");
    assert_non_null(strstr(lm_errmsg(s), "Unexpected end of file"));
    assert_int_equal(lm_sql(s, "SET spark.localmode.test.ioFaults=", &q), LM_OK);
    lm_df_free(q);
    assert_int_equal(lm_read(s, "parquet", dir, NULL, NULL, &back), LM_OK);
    int64_t n = 0;
    assert_int_equal(lm_df_count(back, &n), LM_OK);
    assert_int_equal(n, 2);
    lm_df_free(back);
    lm_df_free(df);
    lm_session_close(s);
    pq_rm_rf(base);
}

/* ------------------------------------------------- malformed files */

static lm_status read_bytes(const char *path, const uint8_t *data, size_t n, lm_error *err)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    lm_table *t = NULL;
    lm_status st = lm_parquet_read_file(path, NULL, &t, err);
    lm_table_unref(t);
    return st;
}

static uint8_t *written_bytes(const char *dir, size_t *n, const char *codec)
{
    lm_table *t = all_types_table();
    char path[512];
    snprintf(path, sizeof path, "%s/good.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file(t, path, codec, &err), LM_OK);
    lm_table_unref(t);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void test_truncated_files_and_bad_magic_fail_cleanly(void **state)
{
    (void)state;
    const char *dir = pq_tmpdir();
    size_t n;
    uint8_t *good = written_bytes(dir, &n, "snappy");
    char path[512];
    snprintf(path, sizeof path, "%s/bad.parquet", dir);
    lm_error err;
    lm_error_init(&err);
    /* every proper prefix fails */
    for (size_t len = 0; len < n; len++) {
        assert_int_not_equal(read_bytes(path, good, len, &err), LM_OK);
        assert_non_null(err.message);
        lm_error_clear(&err);
    }
    /* bad head magic */
    uint8_t *copy = malloc(n + 1); /* + 1: never a zero-size block */
    memcpy(copy, good, n);
    copy[0] = 'X';
    assert_int_not_equal(read_bytes(path, copy, n, &err), LM_OK);
    assert_non_null(strstr(err.message, "magic number"));
    assert_string_equal(err.error_class, "CANNOT_READ_FILE_FOOTER");
    assert_string_equal(err.sqlstate, "KD001");
    lm_error_clear(&err);
    /* footer length beyond the file */
    memcpy(copy, good, n);
    uint32_t big = (uint32_t)n;
    memcpy(copy + n - 8, &big, 4);
    assert_int_not_equal(read_bytes(path, copy, n, &err), LM_OK);
    assert_non_null(strstr(err.message, "footer"));
    lm_error_clear(&err);
    /* the first page header's compressed size made huge: the page is past
       the end of its chunk */
    memcpy(copy, good, n);
    pq_page_header h;
    size_t used;
    assert_true(pq_decode_page_header(copy + 4, n - 4, &h, &used));
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    h.compressed_size = 1 << 30;
    pq_encode_page_header(&sb, &h, NULL);
    if (sb.len == used) {
        memcpy(copy + 4, sb.data, used);
        assert_int_not_equal(read_bytes(path, copy, n, &err), LM_OK);
        assert_non_null(strstr(err.message, "past the end"));
        lm_error_clear(&err);
    }
    lm_strbuf_free(&sb);
    free(copy);
    free(good);
    pq_rm_rf(dir);
}

static void test_random_byte_flips_never_crash(void **state)
{
    (void)state;
    static const char *codecs[] = {"none", "snappy", "gzip", "zstd"};
    const char *dir = pq_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/flip.parquet", dir);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    int failures = 0, total = 0;
    for (int c = 0; c < 4; c++) {
        size_t n;
        uint8_t *good = written_bytes(dir, &n, codecs[c]);
        uint8_t *copy = malloc(n);
        for (int iter = 0; iter < 150; iter++) {
            memcpy(copy, good, n);
            int flips = 1 + iter % 4;
            for (int k = 0; k < flips; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                size_t pos = (size_t)(seed >> 33) % n;
                copy[pos] ^= (uint8_t)(1u << ((seed >> 20) & 7));
            }
            lm_error err;
            lm_error_init(&err);
            lm_status st = read_bytes(path, copy, n, &err);
            if (st != LM_OK) {
                assert_non_null(err.message);
                failures++;
            }
            total++;
            lm_error_clear(&err);
        }
        free(copy);
        free(good);
    }
    /* some flips land in values and still read; many break structure */
    assert_true(failures > 0);
    assert_true(failures < total);
    pq_rm_rf(dir);
}

/* -------------------------------------------------- codec internals */

static void test_rle_hybrid_round_trips_every_bit_width(void **state)
{
    (void)state;
    uint64_t seed = 42;
    for (int bw = 0; bw <= 20; bw++) {
        int64_t n = 1000 + bw * 37;
        uint32_t *v = malloc(sizeof(uint32_t) * (size_t)n), *back = malloc(sizeof(uint32_t) * (size_t)n);
        uint32_t mask = bw == 32 ? 0xffffffffu : (uint32_t)((1ull << bw) - 1);
        for (int64_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1;
            /* long runs and random stretches alternate */
            v[i] = (i / 50) % 2 ? (uint32_t)(i / 100) & mask : (uint32_t)(seed >> 40) & mask;
        }
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        pq_rle_encode(&sb, v, n, bw);
        assert_true(pq_rle_decode((const uint8_t *)sb.data, sb.len, bw, back, n));
        assert_memory_equal(v, back, sizeof(uint32_t) * (size_t)n);
        lm_strbuf_free(&sb);
        free(v);
        free(back);
    }
}

/* DELTA_BYTE_ARRAY of "Hello", "Help", "Helpful": prefix lengths 0,3,4
   and suffix lengths 5,1,3 as DELTA_BINARY_PACKED blocks (128 values, 4
   miniblocks), then the suffixes. */
static void test_delta_byte_array_and_delta_binary_packed(void **state)
{
    (void)state;
    static const uint8_t page[] = {
        /* prefixes: header, min delta 1, widths 2,0,0,0, packed 2,0 */
        0x80, 0x01, 0x04, 0x03, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        /* suffix lengths: first 5, min delta -4, width 3, packed 0,6 */
        0x80, 0x01, 0x04, 0x03, 0x0a, 0x07, 0x03, 0x00, 0x00, 0x00,
        0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        'H', 'e', 'l', 'l', 'o', 'p', 'f', 'u', 'l'};
    lm_arena a;
    lm_arena_init(&a, 1024);
    pq_pv out[3];
    assert_true(pq_decode_values(PQ_ENC_DELTA_BYTE_ARRAY, PQ_BYTE_ARRAY, 0, page, sizeof page, 3,
                                 out, &a));
    assert_int_equal(out[0].u.bin.len, 5);
    assert_memory_equal(out[0].u.bin.p, "Hello", 5);
    assert_int_equal(out[1].u.bin.len, 4);
    assert_memory_equal(out[1].u.bin.p, "Help", 4);
    assert_int_equal(out[2].u.bin.len, 7);
    assert_memory_equal(out[2].u.bin.p, "Helpful", 7);
    /* the first block alone is a DELTA_BINARY_PACKED int column 0, 3, 4 */
    assert_true(pq_decode_values(PQ_ENC_DELTA_BINARY_PACKED, PQ_INT32, 0, page, 18, 3, out, &a));
    assert_int_equal(out[0].u.i32, 0);
    assert_int_equal(out[1].u.i32, 3);
    assert_int_equal(out[2].u.i32, 4);
    /* asking for more values than the header holds, or cutting the data, fails */
    assert_false(pq_decode_values(PQ_ENC_DELTA_BINARY_PACKED, PQ_INT32, 0, page, 18, 4, out, &a));
    assert_false(pq_decode_values(PQ_ENC_DELTA_BYTE_ARRAY, PQ_BYTE_ARRAY, 0, page,
                                  sizeof page - 1, 3, out, &a));
    /* BYTE_STREAM_SPLIT: the bytes of 1.5f and -2.0f interleaved */
    float f[2] = {1.5f, -2.0f};
    uint8_t raw[8], split[8];
    memcpy(raw, f, 8);
    for (int i = 0; i < 2; i++)
        for (int b = 0; b < 4; b++)
            split[b * 2 + i] = raw[i * 4 + b];
    assert_true(pq_decode_values(PQ_ENC_BYTE_STREAM_SPLIT, PQ_FLOAT, 0, split, 8, 2, out, &a));
    assert_true(out[0].u.f == 1.5f);
    assert_true(out[1].u.f == -2.0f);
    lm_arena_free(&a);
}

/* Our snappy encoder against libsnappy's decoder, and every codec both
   ways, on random, repetitive and run-heavy data of awkward sizes. */
static void test_codecs_round_trip(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 15, 16, 17, 100, 65535, 65536, 65537, 200003};
    static const int codecs[] = {PQ_CODEC_UNCOMPRESSED, PQ_CODEC_SNAPPY, PQ_CODEC_GZIP,
                                 PQ_CODEC_ZSTD};
    uint64_t seed = 7;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[si];
            uint8_t *src = malloc(n + 1), *back = malloc(n + 1);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                src[i] = kind == 0   ? (uint8_t)(seed >> 56)
                         : kind == 1 ? (uint8_t)("abcabcabd"[i % 9])
                                     : (uint8_t)((i / 1000) & 0xff);
            }
            for (int c = 0; c < 4; c++) {
                lm_strbuf sb;
                lm_strbuf_init(&sb);
                lm_error err;
                lm_error_init(&err);
                assert_int_equal(pq_compress(codecs[c], src, n, &sb, &err), LM_OK);
                assert_int_equal(pq_decompress(codecs[c], (const uint8_t *)(sb.data ? sb.data : ""),
                                               sb.len, back, n, &err),
                                 LM_OK);
                if (n)
                    assert_memory_equal(src, back, n);
                if (kind == 1 && n > 1000 && codecs[c] == PQ_CODEC_SNAPPY)
                    assert_true(sb.len < n / 4); /* repeats compress */
                lm_strbuf_free(&sb);
            }
            free(src);
            free(back);
        }
    }
}

static void test_thrift_page_header_round_trip(void **state)
{
    (void)state;
    pq_page_header h = {.type = PQ_PAGE_DATA, .uncompressed_size = 70000, .compressed_size = 123};
    h.data.num_values = 20000;
    h.data.encoding = PQ_ENC_PLAIN_DICTIONARY;
    h.data.def_encoding = PQ_ENC_RLE;
    h.data.rep_encoding = PQ_ENC_RLE;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    pq_encode_page_header(&sb, &h, NULL);
    pq_page_header back;
    size_t used;
    assert_true(pq_decode_page_header((const uint8_t *)sb.data, sb.len, &back, &used));
    assert_int_equal(used, sb.len);
    assert_int_equal(back.type, PQ_PAGE_DATA);
    assert_int_equal(back.uncompressed_size, 70000);
    assert_int_equal(back.compressed_size, 123);
    assert_true(back.has_data);
    assert_int_equal(back.data.num_values, 20000);
    assert_int_equal(back.data.encoding, PQ_ENC_PLAIN_DICTIONARY);
    /* every truncation of the header is refused */
    for (size_t k = 0; k < sb.len; k++)
        assert_false(pq_decode_page_header((const uint8_t *)sb.data, k, &back, &used));
    lm_strbuf_free(&sb);
}

static void test_schema_json_round_trip(void **state)
{
    (void)state;
    lm_table *t = all_types_table();
    char *json = lm_parquet_schema_to_json(t->schema);
    lm_type *back = lm_parquet_schema_from_json(json, NULL);
    assert_non_null(back);
    assert_true(lm_type_equal(back, t->schema));
    lm_type_unref(back);
    free(json);
    /* field metadata (ML attributes) is written, and a reader that does
       not keep it still parses past it */
    const char *with_meta =
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"idx\",\"type\":\"double\","
        "\"nullable\":false,\"metadata\":{\"ml_attr\":{\"vals\":[\"a\",\"b\"],"
        "\"type\":\"nominal\",\"name\":\"idx\"}}}]}";
    back = lm_parquet_schema_from_json(with_meta, NULL);
    assert_non_null(back);
    assert_int_equal(back->nfields, 1);
    assert_int_equal(back->fields[0].type->id, LM_TYPE_DOUBLE);
    lm_type_unref(back);
    lm_error err;
    lm_error_init(&err);
    assert_null(lm_parquet_schema_from_json("{\"type\":\"struct\",\"fields\":[{", &err));
    lm_error_clear(&err);
    lm_table_unref(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_type_round_trips_with_every_codec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_type_round_trips_without_dictionary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timestamps_round_trip_as_int96_micros_and_millis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nulls_at_every_nesting_level_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_rows_span_pages_and_row_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_table_writes_a_readable_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spark_physical_schema_and_footer_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statistics_min_max_and_null_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_groups_skipped_by_pushed_predicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dictionary_for_repeated_values_plain_for_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_dir_lays_out_part_file_and_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_schema_unions_columns_of_all_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_schema_selects_and_nulls_missing_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ancient_dates_fail_to_write_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_types_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lm_write_and_lm_read_parquet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lm_read_parquet_options_and_confs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_io_faults_fail_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_files_and_bad_magic_fail_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_byte_flips_never_crash, setup, teardown),
        cmocka_unit_test(test_rle_hybrid_round_trips_every_bit_width),
        cmocka_unit_test(test_delta_byte_array_and_delta_binary_packed),
        cmocka_unit_test(test_codecs_round_trip),
        cmocka_unit_test(test_thrift_page_header_round_trip),
        cmocka_unit_test_setup_teardown(test_schema_json_round_trip, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lm_tz_registry_shutdown();
    return rc;
}
