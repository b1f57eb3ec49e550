/*
 * Specification of the Parquet -> Spark type mapping (Spark 3.5's
 * ParquetToSparkSchemaConverter): every physical type with its legacy
 * converted types and logical types, the reader confs that change the
 * mapping, the errors with Spark's classes and parquetType text, and the
 * group layouts Spark accepts for lists and maps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/parquet/pq_int.h"

/* A one-column schema: root + the element(s) given. */
typedef struct sch {
    pq_schema_elem e[16];
    int n;
} sch;

static pq_schema_elem *add(sch *s, const char *name, int type, int rep, int nchildren,
                           int converted)
{
    pq_schema_elem *e = &s->e[s->n++];
    memset(e, 0, sizeof *e);
    e->name = (char *)name;
    e->type = type;
    e->repetition = rep;
    e->num_children = nchildren;
    e->converted = converted;
    return e;
}

static void root(sch *s, int nchildren)
{
    s->n = 0;
    pq_schema_elem *r = add(s, "spark_schema", -1, -1, nchildren, -1);
    (void)r;
}

/* Converts the schema; returns the catalog string (malloc'ed) or NULL with
   err set. */
static char *convert(sch *s, const pq_convert_opts *o, lm_error *err)
{
    pq_file_meta m;
    memset(&m, 0, sizeof m);
    m.schema = s->e;
    m.nschema = s->n;
    lm_arena a;
    lm_arena_init(&a, 4096);
    pq_schema tree;
    char *out = NULL;
    if (pq_schema_build(&m, &a, &tree, err) == LM_OK) {
        lm_type *t = pq_node_to_type(tree.root, o, err);
        if (t) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_catalog_string(&sb, t);
            out = lm_strbuf_detach(&sb);
            lm_type_unref(t);
        }
    }
    lm_arena_free(&a);
    return out;
}

static const pq_convert_opts DEFAULTS = {false, true, true, false};

/* One primitive column "c": expected type string, or NULL and the error
   class (and parquetType parameter when given). */
static void prim(int type, int32_t len, int converted, int logical, void (*setup)(pq_schema_elem *),
                 const pq_convert_opts *o, const char *want, const char *err_class,
                 const char *parquet_type)
{
    sch s;
    root(&s, 1);
    pq_schema_elem *e = add(&s, "c", type, PQ_OPTIONAL, 0, converted);
    e->type_length = len;
    e->logical = logical;
    if (setup)
        setup(e);
    lm_error err;
    lm_error_init(&err);
    char *got = convert(&s, o ? o : &DEFAULTS, &err);
    if (want) {
        if (got == NULL)
            fail_msg("expected %s, got error %s", want, err.message);
        char full[256];
        snprintf(full, sizeof full, "struct<c:%s>", want);
        assert_string_equal(got, full);
    } else {
        if (got)
            fail_msg("expected an error, got %s", got);
        if (err_class)
            assert_string_equal(err.error_class, err_class);
        else
            assert_null(err.error_class);
        if (parquet_type) {
            assert_int_equal(err.nparams, 1);
            assert_string_equal(err.params[0].value, parquet_type);
        }
    }
    free(got);
    lm_error_clear(&err);
}

static void dec_9_2(pq_schema_elem *e) { e->precision = 9; e->scale = 2; }
static void dec_10_2(pq_schema_elem *e) { e->precision = 10; e->scale = 2; }
static void dec_18_4(pq_schema_elem *e) { e->precision = 18; e->scale = 4; }
static void dec_25_3(pq_schema_elem *e) { e->precision = 25; e->scale = 3; }
static void dec_11_2(pq_schema_elem *e) { e->precision = 11; e->scale = 2; }
static void ts_micros_local(pq_schema_elem *e) { e->lt_unit = PQ_UNIT_MICROS; e->lt_utc = false; }
static void ts_millis_utc(pq_schema_elem *e) { e->lt_unit = PQ_UNIT_MILLIS; e->lt_utc = true; }
static void ts_nanos_utc(pq_schema_elem *e) { e->lt_unit = PQ_UNIT_NANOS; e->lt_utc = true; }
static void int8_unsigned(pq_schema_elem *e) { e->lt_bit_width = 8; e->lt_signed = false; }
static void int16_signed(pq_schema_elem *e) { e->lt_bit_width = 16; e->lt_signed = true; }

static void test_boolean_float_double(void **state)
{
    (void)state;
    prim(PQ_BOOLEAN, 0, -1, 0, NULL, NULL, "boolean", NULL, NULL);
    prim(PQ_FLOAT, 0, -1, 0, NULL, NULL, "float", NULL, NULL);
    prim(PQ_DOUBLE, 0, -1, 0, NULL, NULL, "double", NULL, NULL);
}

static void test_int32_annotations(void **state)
{
    (void)state;
    prim(PQ_INT32, 0, -1, 0, NULL, NULL, "int", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_INT_8, 0, NULL, NULL, "tinyint", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_INT_16, 0, NULL, NULL, "smallint", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_INT_32, 0, NULL, NULL, "int", NULL, NULL);
    /* unsigned types widen to hold every value */
    prim(PQ_INT32, 0, PQ_CT_UINT_8, 0, NULL, NULL, "smallint", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_UINT_16, 0, NULL, NULL, "int", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_UINT_32, 0, NULL, NULL, "bigint", NULL, NULL);
    prim(PQ_INT32, 0, -1, PQ_LT_INTEGER, int8_unsigned, NULL, "smallint", NULL, NULL);
    prim(PQ_INT32, 0, -1, PQ_LT_INTEGER, int16_signed, NULL, "smallint", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_DATE, 0, NULL, NULL, "date", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_DECIMAL, 0, dec_9_2, NULL, "decimal(9,2)", NULL, NULL);
    prim(PQ_INT32, 0, PQ_CT_TIME_MILLIS, 0, NULL, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "INT32 (TIME(MILLIS,true))");
}

static void test_int32_decimal_too_wide(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    sch s;
    root(&s, 1);
    pq_schema_elem *e = add(&s, "c", PQ_INT32, PQ_OPTIONAL, 0, PQ_CT_DECIMAL);
    dec_10_2(e);
    assert_null(convert(&s, &DEFAULTS, &err));
    assert_string_equal(err.message,
                        "Invalid decimal precision: INT32 cannot store 10 digits (max 9)");
    lm_error_clear(&err);
}

static void test_int64_annotations(void **state)
{
    (void)state;
    prim(PQ_INT64, 0, -1, 0, NULL, NULL, "bigint", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_INT_64, 0, NULL, NULL, "bigint", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_UINT_64, 0, NULL, NULL, "decimal(20,0)", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_DECIMAL, 0, dec_18_4, NULL, "decimal(18,4)", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_TIMESTAMP_MILLIS, 0, NULL, NULL, "timestamp", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_TIMESTAMP_MICROS, 0, NULL, NULL, "timestamp", NULL, NULL);
    prim(PQ_INT64, 0, -1, PQ_LT_TIMESTAMP, ts_millis_utc, NULL, "timestamp", NULL, NULL);
    prim(PQ_INT64, 0, -1, PQ_LT_TIMESTAMP, ts_micros_local, NULL, "timestamp_ntz", NULL, NULL);
    prim(PQ_INT64, 0, PQ_CT_TIME_MICROS, 0, NULL, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "INT64 (TIME(MICROS,true))");
    prim(PQ_INT64, 0, -1, PQ_LT_TIMESTAMP, ts_nanos_utc, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "INT64 (TIMESTAMP(NANOS,true))");
}

static void test_confs_change_the_mapping(void **state)
{
    (void)state;
    pq_convert_opts o = DEFAULTS;
    o.infer_timestamp_ntz = false;
    prim(PQ_INT64, 0, -1, PQ_LT_TIMESTAMP, ts_micros_local, &o, "timestamp", NULL, NULL);
    o = DEFAULTS;
    o.nanos_as_long = true;
    prim(PQ_INT64, 0, -1, PQ_LT_TIMESTAMP, ts_nanos_utc, &o, "bigint", NULL, NULL);
    o = DEFAULTS;
    o.binary_as_string = true;
    prim(PQ_BYTE_ARRAY, 0, -1, 0, NULL, &o, "string", NULL, NULL);
    o = DEFAULTS;
    o.int96_as_timestamp = false;
    prim(PQ_INT96, 0, -1, 0, NULL, &o, NULL, NULL, NULL);
}

static void test_int96_and_binary_annotations(void **state)
{
    (void)state;
    prim(PQ_INT96, 0, -1, 0, NULL, NULL, "timestamp", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, -1, 0, NULL, NULL, "binary", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, PQ_CT_UTF8, 0, NULL, NULL, "string", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, PQ_CT_ENUM, 0, NULL, NULL, "string", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, PQ_CT_JSON, 0, NULL, NULL, "string", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, PQ_CT_BSON, 0, NULL, NULL, "binary", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, -1, PQ_LT_STRING, NULL, NULL, "string", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, PQ_CT_DECIMAL, 0, dec_25_3, NULL, "decimal(25,3)", NULL, NULL);
    prim(PQ_BYTE_ARRAY, 0, -1, PQ_LT_UUID, NULL, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "BINARY (UUID)");
}

static void test_fixed_len_byte_array_annotations(void **state)
{
    (void)state;
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 16, -1, 0, NULL, NULL, "binary", NULL, NULL);
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 5, PQ_CT_DECIMAL, 0, dec_11_2, NULL, "decimal(11,2)", NULL, NULL);
    /* 4 bytes hold at most 9 digits */
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 4, PQ_CT_DECIMAL, 0, dec_10_2, NULL, NULL, NULL, NULL);
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 12, PQ_CT_INTERVAL, 0, NULL, NULL, NULL,
         "PARQUET_TYPE_NOT_SUPPORTED", "FIXED_LEN_BYTE_ARRAY (INTERVAL)");
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 16, -1, PQ_LT_UUID, NULL, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "FIXED_LEN_BYTE_ARRAY (UUID)");
    prim(PQ_FIXED_LEN_BYTE_ARRAY, 2, -1, PQ_LT_FLOAT16, NULL, NULL, NULL, "PARQUET_TYPE_ILLEGAL",
         "FIXED_LEN_BYTE_ARRAY (FLOAT16)");
}

/* -------------------------------------------------------------- groups */

static void expect_schema(sch *s, const char *want)
{
    lm_error err;
    lm_error_init(&err);
    char *got = convert(s, &DEFAULTS, &err);
    if (want == NULL) {
        assert_null(got);
        assert_non_null(err.message);
    } else {
        if (got == NULL)
            fail_msg("%s", err.message);
        assert_string_equal(got, want);
    }
    free(got);
    lm_error_clear(&err);
}

static void test_three_level_lists(void **state)
{
    (void)state;
    sch s;
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 1, PQ_CT_LIST);
    add(&s, "list", -1, PQ_REPEATED, 1, -1);
    add(&s, "element", PQ_INT32, PQ_OPTIONAL, 0, -1);
    expect_schema(&s, "struct<a:array<int>>");
    /* a required element makes containsNull false */
    lm_error err;
    lm_error_init(&err);
    s.e[3].repetition = PQ_REQUIRED;
    pq_file_meta m = {.schema = s.e, .nschema = s.n};
    lm_arena a;
    lm_arena_init(&a, 1024);
    pq_schema tree;
    assert_int_equal(pq_schema_build(&m, &a, &tree, &err), LM_OK);
    lm_type *t = pq_node_to_type(tree.root, &DEFAULTS, &err);
    assert_false(t->fields[0].type->contains_null);
    assert_true(t->fields[0].nullable);
    lm_type_unref(t);
    lm_arena_free(&a);
}

static void test_legacy_two_level_lists(void **state)
{
    (void)state;
    sch s;
    /* repeated primitive */
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 1, PQ_CT_LIST);
    add(&s, "element", PQ_INT32, PQ_REPEATED, 0, -1);
    expect_schema(&s, "struct<a:array<int>>");
    /* repeated group of two fields is the element */
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 1, PQ_CT_LIST);
    add(&s, "pair", -1, PQ_REPEATED, 2, -1);
    add(&s, "x", PQ_INT32, PQ_OPTIONAL, 0, -1);
    add(&s, "y", PQ_BYTE_ARRAY, PQ_OPTIONAL, 0, PQ_CT_UTF8);
    expect_schema(&s, "struct<a:array<struct<x:int,y:string>>>");
    /* parquet-avro's "array" and parquet-thrift's "<name>_tuple" */
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 1, PQ_CT_LIST);
    add(&s, "array", -1, PQ_REPEATED, 1, -1);
    add(&s, "x", PQ_INT32, PQ_OPTIONAL, 0, -1);
    expect_schema(&s, "struct<a:array<struct<x:int>>>");
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 1, PQ_CT_LIST);
    add(&s, "a_tuple", -1, PQ_REPEATED, 1, -1);
    add(&s, "x", PQ_INT32, PQ_OPTIONAL, 0, -1);
    expect_schema(&s, "struct<a:array<struct<x:int>>>");
    /* a repeated field outside any LIST is a non-null array of it */
    root(&s, 1);
    add(&s, "r", -1, PQ_REPEATED, 1, -1);
    add(&s, "x", PQ_INT64, PQ_REQUIRED, 0, -1);
    expect_schema(&s, "struct<r:array<struct<x:bigint>>>");
}

static void test_maps(void **state)
{
    (void)state;
    sch s;
    root(&s, 1);
    add(&s, "m", -1, PQ_OPTIONAL, 1, PQ_CT_MAP);
    add(&s, "key_value", -1, PQ_REPEATED, 2, -1);
    add(&s, "key", PQ_BYTE_ARRAY, PQ_REQUIRED, 0, PQ_CT_UTF8);
    add(&s, "value", PQ_INT32, PQ_OPTIONAL, 0, -1);
    expect_schema(&s, "struct<m:map<string,int>>");
    /* the legacy MAP_KEY_VALUE annotation */
    s.e[1].converted = PQ_CT_MAP_KEY_VALUE;
    expect_schema(&s, "struct<m:map<string,int>>");
}

static void test_invalid_groups_fail(void **state)
{
    (void)state;
    sch s;
    /* a LIST with two children */
    root(&s, 1);
    add(&s, "a", -1, PQ_OPTIONAL, 2, PQ_CT_LIST);
    add(&s, "x", PQ_INT32, PQ_REPEATED, 0, -1);
    add(&s, "y", PQ_INT32, PQ_REPEATED, 0, -1);
    expect_schema(&s, NULL);
    /* a MAP whose repeated group has one field */
    root(&s, 1);
    add(&s, "m", -1, PQ_OPTIONAL, 1, PQ_CT_MAP);
    add(&s, "key_value", -1, PQ_REPEATED, 1, -1);
    add(&s, "key", PQ_INT32, PQ_REQUIRED, 0, -1);
    expect_schema(&s, NULL);
    /* children counts that run past the element list */
    root(&s, 3);
    add(&s, "a", PQ_INT32, PQ_OPTIONAL, 0, -1);
    expect_schema(&s, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boolean_float_double),
        cmocka_unit_test(test_int32_annotations),
        cmocka_unit_test(test_int32_decimal_too_wide),
        cmocka_unit_test(test_int64_annotations),
        cmocka_unit_test(test_confs_change_the_mapping),
        cmocka_unit_test(test_int96_and_binary_annotations),
        cmocka_unit_test(test_fixed_len_byte_array_annotations),
        cmocka_unit_test(test_three_level_lists),
        cmocka_unit_test(test_legacy_two_level_lists),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_invalid_groups_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
