/*
 * Specification of the Parquet reader against Spark's own reader
 * fixtures (sql/core/src/test/resources/test-data): the schema Spark
 * derives for each file and the rows Spark's test suites expect. Every
 * test skips when the conformance corpus is not beside the checkout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "parquet_fixture.h"

/* Reads name and checks its schema string and rendered rows (first
   max_rows rows when max_rows > 0). */
static void expect_file(const char *name, lm_parquet_read_opts *o, const char *schema,
                        const char *rows, int64_t nrows)
{
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture(name, o, &err);
    if (t == NULL)
        fail_msg("%s: %s", name, err.message ? err.message : "(no message)");
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, schema);
    free(s);
    assert_int_equal(t->nrows, nrows);
    if (rows) {
        char *r = pq_rows_str(t);
        assert_string_equal(r, rows);
        free(r);
    }
    lm_table_unref(t);
    lm_error_clear(&err);
}

static void test_decimal_in_int32(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("dec-in-i32.parquet");
    expect_file("dec-in-i32.parquet", NULL, "struct<i32_dec:decimal(5,2)>",
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00\n6.00\n7.00\n8.00\n9.00\n"
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00",
                16);
}

static void test_decimal_in_int64(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("dec-in-i64.parquet");
    expect_file("dec-in-i64.parquet", NULL, "struct<i64_dec:decimal(10,2)>",
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00\n6.00\n7.00\n8.00\n9.00\n"
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00",
                16);
}

static void test_decimal_in_fixed_len_byte_array(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("dec-in-fixed-len.parquet");
    expect_file("dec-in-fixed-len.parquet", NULL, "struct<fixed_len_dec:decimal(10,2)>",
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00\n6.00\n7.00\n8.00\n9.00\n"
                "0.00\n1.00\n2.00\n3.00\n4.00\n5.00",
                16);
}

static void test_decimal32_written_as_int64(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("decimal32-written-as-64-bit.snappy.parquet");
    expect_file("decimal32-written-as-64-bit.snappy.parquet", NULL, "struct<_c0:decimal(9,1)>",
                "79205949.2\n98684298.7\n54024799.8\nNULL\n35799107.8\n49413105.9\n"
                "9253639.6\n42684715.7\n-99999999.9\n20448609.4",
                10);
}

static void test_decimal32_written_as_int64_dictionary(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("decimal32-written-as-64-bit-dict.snappy.parquet");
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("decimal32-written-as-64-bit-dict.snappy.parquet", NULL, &err);
    assert_non_null(t);
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, "struct<_c0:decimal(3,1)>");
    free(s);
    assert_int_equal(t->nrows, 2048);
    char *r = pq_rows_str(t);
    assert_memory_equal(r, "75.1\n93.7\n51.1\nNULL\n33.7\n46.7\n8.4\n40.3\n-99.9\n19.0\n", 48);
    free(r);
    lm_table_unref(t);
}

static void test_delta_length_byte_array(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("delta_length_byte_array.parquet");
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("delta_length_byte_array.parquet", NULL, &err);
    assert_non_null(t);
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, "struct<FRUIT:string>");
    free(s);
    assert_int_equal(t->nrows, 1000);
    /* row i is "apple_banana_mango" || i*i */
    char *r = pq_rows_str(t);
    char *line = r;
    for (int i = 0; i < 1000; i++) {
        char want[64];
        snprintf(want, sizeof want, "apple_banana_mango%d", i * i);
        assert_memory_equal(line, want, strlen(want));
        line = strchr(line, '\n');
        if (i < 999)
            assert_non_null(line);
        line = line ? line + 1 : line;
    }
    free(r);
    lm_table_unref(t);
}

static void test_impala_int96_timestamps(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("impala_timestamp.parq");
    expect_file("impala_timestamp.parq", NULL, "struct<ts:timestamp>",
                "2001-01-01 01:01:01\n2002-02-02 02:02:02\n2003-03-03 03:03:03", 3);
}

static void test_nested_array_of_struct_with_array(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("nested-array-struct.parquet");
    expect_file("nested-array-struct.parquet", NULL,
                "struct<primitive:int,myComplex:array<struct<id:int,repeatedMessage:"
                "array<struct<someId:int>>>>>",
                "2 | [{\"id\":1,\"repeatedMessage\":[{\"someId\":3}]}]\n"
                "5 | [{\"id\":4,\"repeatedMessage\":[{\"someId\":6}]}]\n"
                "8 | [{\"id\":7,\"repeatedMessage\":[{\"someId\":9}]}]",
                3);
}

static void test_legacy_two_level_repeated_int(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("old-repeated-int.parquet");
    expect_file("old-repeated-int.parquet", NULL, "struct<repeatedInt:array<int>>", "[1,2,3]", 1);
}

static void test_legacy_two_level_repeated_message(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("old-repeated-message.parquet");
    expect_file("old-repeated-message.parquet", NULL,
                "struct<inner:array<struct<one:string,two:string,three:string>>>",
                "[{\"one\":\"First inner\",\"two\":null,\"three\":null},"
                "{\"one\":null,\"two\":\"Second inner\",\"three\":null},"
                "{\"one\":null,\"two\":null,\"three\":\"Third inner\"}]",
                1);
}

static void test_protobuf_repeated_string(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("proto-repeated-string.parquet");
    expect_file("proto-repeated-string.parquet", NULL, "struct<myString:array<string>>",
                "[\"hello\",\"world\"]\n[\"good\",\"bye\"]\n[\"one\",\"two\",\"three\"]", 3);
}

static void test_protobuf_repeated_struct(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("proto-repeated-struct.parquet");
    expect_file("proto-repeated-struct.parquet", NULL,
                "struct<inner:array<struct<one:string,two:string,three:string>>>",
                "[{\"one\":\"0 - 1\",\"two\":\"0 - 2\",\"three\":\"0 - 3\"},"
                "{\"one\":\"1 - 1\",\"two\":\"1 - 2\",\"three\":\"1 - 3\"}]",
                1);
}

static void test_protobuf_struct_with_array_many(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("proto-struct-with-array-many.parquet");
    expect_file("proto-struct-with-array-many.parquet", NULL,
                "struct<inner:array<struct<one:string,two:string,three:string>>>",
                "[{\"one\":\"0 - 0 - 1\",\"two\":\"0 - 0 - 2\",\"three\":\"0 - 0 - 3\"},"
                "{\"one\":\"0 - 1 - 1\",\"two\":\"0 - 1 - 2\",\"three\":\"0 - 1 - 3\"}]\n"
                "[{\"one\":\"1 - 0 - 1\",\"two\":\"1 - 0 - 2\",\"three\":\"1 - 0 - 3\"},"
                "{\"one\":\"1 - 1 - 1\",\"two\":\"1 - 1 - 2\",\"three\":\"1 - 1 - 3\"}]\n"
                "[{\"one\":\"2 - 0 - 1\",\"two\":\"2 - 0 - 2\",\"three\":\"2 - 0 - 3\"},"
                "{\"one\":\"2 - 1 - 1\",\"two\":\"2 - 1 - 2\",\"three\":\"2 - 1 - 3\"}]",
                3);
}

static void test_protobuf_struct_with_array(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("proto-struct-with-array.parquet");
    /* an empty repeated field reads as an empty array, an absent optional
       message as NULL */
    expect_file("proto-struct-with-array.parquet", NULL,
                "struct<optionalPrimitive:int,requiredPrimitive:int,repeatedPrimitive:array<int>,"
                "optionalMessage:struct<someId:int>,requiredMessage:struct<someId:int>,"
                "repeatedMessage:array<struct<someId:int>>>",
                "10 | 9 | [] | NULL | {\"someId\":9} | [{\"someId\":9},{\"someId\":10}]", 1);
}

static void test_thrift_compat_sets_maps_and_nested(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("parquet-thrift-compat.snappy.parquet");
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("parquet-thrift-compat.snappy.parquet", NULL, &err);
    assert_non_null(t);
    char *s = pq_schema_str(t->schema);
    assert_string_equal(
        s, "struct<boolColumn:boolean,byteColumn:int,shortColumn:int,intColumn:int,"
           "longColumn:bigint,doubleColumn:double,binaryColumn:string,stringColumn:string,"
           "enumColumn:string,maybeBoolColumn:boolean,maybeByteColumn:int,maybeShortColumn:int,"
           "maybeIntColumn:int,maybeLongColumn:bigint,maybeDoubleColumn:double,"
           "maybeBinaryColumn:string,maybeStringColumn:string,maybeEnumColumn:string,"
           "stringsColumn:array<string>,intSetColumn:array<int>,intToStringColumn:map<int,string>,"
           "complexColumn:map<int,array<struct<nestedIntsColumn:array<int>,"
           "nestedStringColumn:string>>>>");
    free(s);
    assert_int_equal(t->nrows, 10);
    char *r = pq_rows_str(t);
    /* row 1: nullable(x) columns are set since 1 % 3 != 0 */
    const char *row1 =
        "false | 1 | 2 | 3 | 10 | 1.2 | val_1 | val_1 | HEARTS | false | 1 | 2 | 3 | 10 | 1.2 | "
        "val_1 | val_1 | HEARTS | [\"arr_1\",\"arr_2\",\"arr_3\"] | [1] | "
        "{1:\"val_1\",2:\"val_2\",3:\"val_3\"} | "
        "{1:[{\"nestedIntsColumn\":[1,2,3],\"nestedStringColumn\":\"val_1\"},"
        "{\"nestedIntsColumn\":[2,3,4],\"nestedStringColumn\":\"val_2\"},"
        "{\"nestedIntsColumn\":[3,4,5],\"nestedStringColumn\":\"val_3\"}],";
    const char *second = strchr(r, '\n');
    assert_non_null(second);
    assert_memory_equal(second + 1, row1, strlen(row1));
    /* row 0: i % 3 == 0, the maybe* columns are NULL */
    assert_memory_equal(r, "true | 0 | 1 | 2 | 0 | 0.2 | val_0 | val_0 | SPADES | NULL | NULL", 64);
    free(r);
    lm_table_unref(t);
}

static void test_statistics_with_null_count_but_no_min_max(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("parquet-1217.parquet");
    /* PARQUET-1217: the row group has null counts but no min/max; a pushed
       col > 0 must not skip it (Spark: count is 2) */
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    lm_parquet_pred p = {"col", LM_PQ_GT, lm_value_i64(0)};
    o.preds = &p;
    o.npreds = 1;
    expect_file("parquet-1217.parquet", &o, "struct<col:int>", "-1\n0\n1\n2\nNULL", 5);
    assert_int_equal(o.row_groups_read, 1);
    assert_int_equal(o.row_groups_skipped, 0);
}

static void test_tagged_int_and_long(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("tagged_int.parquet");
    PQ_SKIP_IF_MISSING("tagged_long.parquet");
    expect_file("tagged_int.parquet", NULL, "struct<_c0:int>", "1\n2\n3\n4", 4);
    expect_file("tagged_long.parquet", NULL, "struct<_c0:bigint>", "1\n2\n3\n4", 4);
}

static void test_timestamp_millis_in_int64(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("timemillis-in-i64.parquet");
    /* plain and dictionary pages mixed; every value is 10 ms */
    expect_file("timemillis-in-i64.parquet", NULL, "struct<time:timestamp>",
                "1970-01-01 00:00:00.01\n1970-01-01 00:00:00.01\n1970-01-01 00:00:00.01", 3);
}

static void test_timestamp_nanos_is_illegal_by_default(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("timestamp-nanos.parquet");
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("timestamp-nanos.parquet", NULL, &err);
    assert_null(t);
    assert_string_equal(err.error_class, "PARQUET_TYPE_ILLEGAL");
    assert_int_equal(err.nparams, 1);
    assert_string_equal(err.params[0].name, "parquetType");
    assert_string_equal(err.params[0].value, "INT64 (TIMESTAMP(NANOS,true))");
    lm_error_clear(&err);
}

static void test_timestamp_nanos_as_long(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("timestamp-nanos.parquet");
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.nanos_as_long = true;
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("timestamp-nanos.parquet", &o, &err);
    assert_non_null(t);
    int fi = lm_type_field_index(t->schema, "birthday");
    assert_true(fi >= 0);
    assert_int_equal(t->schema->fields[fi].type->id, LM_TYPE_LONG);
    /* Spark's test: the largest birthday is 1668537129123534758 */
    int64_t mx = INT64_MIN;
    for (int b = 0; b < t->nbatches; b++) {
        lm_vector *v = t->batches[b]->cols[fi];
        for (int32_t i = 0; i < v->length; i++)
            if (!lm_vector_is_null(v, i) && ((int64_t *)v->data)[i] > mx)
                mx = ((int64_t *)v->data)[i];
    }
    assert_true(mx == INT64_C(1668537129123534758));
    lm_table_unref(t);
}

static void test_malformed_row_group_file_offset_still_reads(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("malformed-file-offset.parquet");
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("malformed-file-offset.parquet", NULL, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 3650);
    char *s = pq_schema_str(t->schema);
    assert_string_equal(s, "struct<Date:timestamp_ntz,Temp:double>");
    free(s);
    lm_table_unref(t);
}

/* ---------------------------------------------- calendar rebasing */

static void test_spark_2_4_5_dates_fail_in_default_exception_mode(void **state)
{
    (void)state;
    static const char *files[] = {"before_1582_date_v2_4_5.snappy.parquet",
                                  "before_1582_timestamp_micros_v2_4_5.snappy.parquet",
                                  "before_1582_timestamp_millis_v2_4_5.snappy.parquet",
                                  "before_1582_timestamp_int96_plain_v2_4_5.snappy.parquet",
                                  "before_1582_timestamp_int96_dict_v2_4_5.snappy.parquet"};
    PQ_SKIP_IF_MISSING(files[0]);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        lm_error err;
        lm_error_init(&err);
        lm_table *t = pq_read_fixture(files[i], NULL, &err);
        assert_null(t);
        assert_string_equal(err.error_class,
                            "INCONSISTENT_BEHAVIOR_CROSS_VERSION.READ_ANCIENT_DATETIME");
        assert_string_equal(err.exception, "org.apache.spark.SparkUpgradeException");
        lm_error_clear(&err);
    }
}

static void test_ancient_dates_rebased_in_legacy_mode(void **state)
{
    (void)state;
    static const char *files[] = {"before_1582_date_v2_4_5.snappy.parquet",
                                  "before_1582_date_v2_4_6.snappy.parquet",
                                  "before_1582_date_v3_2_0.snappy.parquet"};
    PQ_SKIP_IF_MISSING(files[0]);
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.datetime_rebase = LM_PQ_REBASE_LEGACY;
    for (size_t i = 0; i < 3; i++)
        expect_file(files[i], &o, "struct<dict:date,plain:date>",
                    "1001-01-01 | 1001-01-01\n1001-01-01 | 1001-01-02\n1001-01-01 | 1001-01-03\n"
                    "1001-01-01 | 1001-01-04\n1001-01-01 | 1001-01-05\n1001-01-01 | 1001-01-06\n"
                    "1001-01-01 | 1001-01-07\n1001-01-01 | 1001-01-08",
                    8);
}

static void test_files_that_record_their_calendar_read_in_default_mode(void **state)
{
    (void)state;
    /* 2.4.6+ files carry org.apache.spark.version (and 3.x legacy writes
       org.apache.spark.legacyDateTime), which decides the rebase */
    PQ_SKIP_IF_MISSING("before_1582_date_v2_4_6.snappy.parquet");
    expect_file("before_1582_date_v2_4_6.snappy.parquet", NULL, "struct<dict:date,plain:date>",
                NULL, 8);
    expect_file("before_1582_date_v3_2_0.snappy.parquet", NULL, "struct<dict:date,plain:date>",
                NULL, 8);
}

/* The timestamp files were written in America/Los_Angeles; read in that
   session zone they show the local time written, 01:02:03.123456. */
static void expect_ts_la(const char *name, lm_parquet_read_opts *o, const char *frac)
{
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture(name, o, &err);
    if (t == NULL)
        fail_msg("%s: %s", name, err.message);
    char *r = pq_rows_str_tz(t, "America/Los_Angeles");
    char want[2048] = "";
    for (int i = 0; i < 8; i++) {
        char line[128];
        snprintf(line, sizeof line, "%s1001-01-01 01:02:03.%s | 1001-01-0%d 01:02:03.%s",
                 i ? "\n" : "", frac, i + 1, frac);
        strcat(want, line);
    }
    assert_string_equal(r, want);
    free(r);
    lm_table_unref(t);
    lm_error_clear(&err);
}

static void test_ancient_timestamps_rebased_in_session_zone(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("before_1582_timestamp_micros_v2_4_5.snappy.parquet");
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.datetime_rebase = o.int96_rebase = LM_PQ_REBASE_LEGACY;
    o.session_tz = "America/Los_Angeles";
    static const char *versions[] = {"2_4_5", "2_4_6", "3_2_0"};
    for (int v = 0; v < 3; v++) {
        char name[128];
        snprintf(name, sizeof name, "before_1582_timestamp_micros_v%s.snappy.parquet", versions[v]);
        expect_ts_la(name, &o, "123456");
        snprintf(name, sizeof name, "before_1582_timestamp_millis_v%s.snappy.parquet", versions[v]);
        expect_ts_la(name, &o, "123");
        snprintf(name, sizeof name, "before_1582_timestamp_int96_plain_v%s.snappy.parquet",
                 versions[v]);
        expect_ts_la(name, &o, "123456");
        snprintf(name, sizeof name, "before_1582_timestamp_int96_dict_v%s.snappy.parquet",
                 versions[v]);
        expect_ts_la(name, &o, "123456");
    }
}

static void test_corrected_mode_reads_julian_days_as_they_are(void **state)
{
    (void)state;
    PQ_SKIP_IF_MISSING("before_1582_date_v2_4_5.snappy.parquet");
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    o.datetime_rebase = LM_PQ_REBASE_CORRECTED;
    /* Julian 1001-01-01 is proleptic Gregorian 1001-01-07 */
    lm_error err;
    lm_error_init(&err);
    lm_table *t = pq_read_fixture("before_1582_date_v2_4_5.snappy.parquet", &o, &err);
    assert_non_null(t);
    char *r = pq_rows_str(t);
    assert_memory_equal(r, "1001-01-07 | 1001-01-07\n1001-01-07 | 1001-01-08", 47);
    free(r);
    lm_table_unref(t);
}

/* ---------------------------------------------- every fixture, safely */

static void test_every_fixture_reads_or_fails_cleanly(void **state)
{
    (void)state;
    const char *dir_path = pq_fixture(".");
    if (dir_path == NULL)
        skip();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", dir_path);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int files = 0, ok = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (!(n > 8 && strcmp(de->d_name + n - 8, ".parquet") == 0) &&
            !(n > 5 && strcmp(de->d_name + n - 5, ".parq") == 0))
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        lm_error err;
        lm_error_init(&err);
        lm_table *t = NULL;
        lm_status st = lm_parquet_read_file(path, NULL, &t, &err);
        files++;
        if (st == LM_OK)
            ok++;
        else
            assert_non_null(err.message);
        lm_table_unref(t);
        lm_error_clear(&err);
    }
    closedir(d);
    /* 36 fixtures; the five 2.4.5 files and timestamp-nanos fail as in Spark */
    assert_int_equal(files, 36);
    assert_int_equal(ok, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_in_int32),
        cmocka_unit_test(test_decimal_in_int64),
        cmocka_unit_test(test_decimal_in_fixed_len_byte_array),
        cmocka_unit_test(test_decimal32_written_as_int64),
        cmocka_unit_test(test_decimal32_written_as_int64_dictionary),
        cmocka_unit_test(test_delta_length_byte_array),
        cmocka_unit_test(test_impala_int96_timestamps),
        cmocka_unit_test(test_nested_array_of_struct_with_array),
        cmocka_unit_test(test_legacy_two_level_repeated_int),
        cmocka_unit_test(test_legacy_two_level_repeated_message),
        cmocka_unit_test(test_protobuf_repeated_string),
        cmocka_unit_test(test_protobuf_repeated_struct),
        cmocka_unit_test(test_protobuf_struct_with_array_many),
        cmocka_unit_test(test_protobuf_struct_with_array),
        cmocka_unit_test(test_thrift_compat_sets_maps_and_nested),
        cmocka_unit_test(test_statistics_with_null_count_but_no_min_max),
        cmocka_unit_test(test_tagged_int_and_long),
        cmocka_unit_test(test_timestamp_millis_in_int64),
        cmocka_unit_test(test_timestamp_nanos_is_illegal_by_default),
        cmocka_unit_test(test_timestamp_nanos_as_long),
        cmocka_unit_test(test_malformed_row_group_file_offset_still_reads),
        cmocka_unit_test(test_spark_2_4_5_dates_fail_in_default_exception_mode),
        cmocka_unit_test(test_ancient_dates_rebased_in_legacy_mode),
        cmocka_unit_test(test_files_that_record_their_calendar_read_in_default_mode),
        cmocka_unit_test(test_ancient_timestamps_rebased_in_session_zone),
        cmocka_unit_test(test_corrected_mode_reads_julian_days_as_they_are),
        cmocka_unit_test(test_every_fixture_reads_or_fails_cleanly),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lm_tz_registry_shutdown();
    return rc;
}
