/*
 * Specification of the JSON reader: every JSON fixture of the conformance
 * test data with the options and results of Spark's JsonSuite, schema
 * inference (bigint/double/decimal, sorted struct fields, merging, nulls
 * and empty values), value conversion (strict token types, any value into
 * a string column, special floats, partial results), the parse modes and
 * _corrupt_record, Jackson's optional syntax, encodings and BOMs, and input
 * that must fail cleanly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "io_test.h"

/* Reads JSON text written to a temporary file. */
static lm_df *read_json(lm_session *s, const char *content, size_t len, const char *const *kv,
                        const char *ddl, char **dir_out)
{
    char *dir = temp_dir();
    char *f = join_path(dir, "data.json");
    write_file(f, content, len);
    lm_df *df = read_ok(s, "json", f, kv, ddl);
    free(f);
    *dir_out = dir;
    return df;
}

static lm_status read_json_fails(lm_session *s, const char *content, const char *const *kv,
                                 const char *ddl)
{
    char *dir = temp_dir();
    char *f = join_path(dir, "data.json");
    write_file(f, content, strlen(content));
    lm_status rc = read_fails(s, "json", f, kv, ddl);
    io_remove_tree(dir);
    free(f);
    free(dir);
    return rc;
}

static void done(lm_df *df, char *dir)
{
    lm_df_free(df);
    io_remove_tree(dir);
    free(dir);
}

#define JSON(s, text, kv, ddl, dirp) read_json(s, text, strlen(text), kv, ddl, dirp)

/* ---------------------------------------------------------- fixtures */

static void test_arrays_of_structs_fixture(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "json", data_path("with-array-fields.json"), NULL, NULL);
    expect_schema(df, "struct<id:bigint,intervals:array<struct<endTime:bigint,startTime:bigint>>,"
                      "ints:array<bigint>>");
    static const char *const rows[] = {
        "1|[{\"endTime\":211,\"startTime\":111},{\"endTime\":221,\"startTime\":121}]|[11,12,13,14]",
        "2|[{\"endTime\":212,\"startTime\":112},{\"endTime\":222,\"startTime\":122}]|[21,22,23,24]",
        "3|[{\"endTime\":213,\"startTime\":113},{\"endTime\":223,\"startTime\":123}]|[31,32,33,34]",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_objects_infer_structs_and_read_as_maps(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "json", data_path("with-map-fields.json"), NULL, NULL);
    expect_schema(df, "struct<id:bigint,intervals:struct<a:struct<endTime:bigint,startTime:bigint>,"
                      "b:struct<endTime:bigint,startTime:bigint>>>");
    static const char *const rows[] = {
        "1|{\"a\":{\"endTime\":211,\"startTime\":111},\"b\":{\"endTime\":221,\"startTime\":121}}",
        "2|{\"a\":{\"endTime\":212,\"startTime\":112},\"b\":{\"endTime\":222,\"startTime\":122}}",
        "3|{\"a\":{\"endTime\":213,\"startTime\":113},\"b\":{\"endTime\":223,\"startTime\":123}}",
        "4|{\"a\":null,\"b\":null}",
        "5|NULL",
    };
    expect_rows(df, rows, 5);
    lm_df_free(df);
    df = read_ok(s, "json", data_path("with-map-fields.json"), NULL,
                 "id bigint, intervals map<string, struct<startTime: bigint, endTime: bigint>>");
    static const char *const maps[] = {
        "1|{\"a\":{\"startTime\":111,\"endTime\":211},\"b\":{\"startTime\":121,\"endTime\":221}}",
        "2|{\"a\":{\"startTime\":112,\"endTime\":212},\"b\":{\"startTime\":122,\"endTime\":222}}",
        "3|{\"a\":{\"startTime\":113,\"endTime\":213},\"b\":{\"startTime\":123,\"endTime\":223}}",
        "4|{}",
        "5|NULL",
    };
    expect_rows(df, maps, 5);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_invalid_utf8_line_is_a_corrupt_record(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "json", data_path("malformed_utf8.json"), NULL, NULL);
    expect_schema(df, "struct<_corrupt_record:string,a:bigint>");
    static const char *const rows[] = {"NULL|1", "NULL|1", "\x80|NULL"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_invalid_utf8_dropmalformed_with_and_without_schema(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"mode", "DROPMALFORMED", "encoding", "utf-8", NULL};
    static const char *const rows[] = {"1", "1"};
    lm_df *df = read_ok(s, "json", data_path("malformed_utf8.json"), kv, "a INT");
    expect_rows(df, rows, 2);
    lm_df_free(df);
    df = read_ok(s, "json", data_path("malformed_utf8.json"), kv, NULL);
    expect_schema(df, "struct<a:bigint>");
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_invalid_utf8_failfast_fails_schema_inference(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"mode", "FAILFAST", NULL};
    read_fails(s, "json", data_path("malformed_utf8.json"), kv, NULL);
    assert_string_equal(lm_errmsg(s), "Malformed records are detected in schema inference. Parse "
                                      "Mode: FAILFAST.");
    read_fails(s, "json", data_path("malformed_utf8.json"), kv, "a INT");
    assert_string_equal(lm_errclass(s), "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(value, "[null]");
    lm_session_close(s);
}

static const char *const CHRIS_DOUG[] = {"Chris|Baird", "Doug|Rood"};
static const char *const NAME_DDL = "firstName string, lastName string";

static void test_utf16_with_bom_multiline(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"multiline", "true", "encoding", "UTF-16", NULL};
    lm_df *df = read_ok(s, "json", data_path("utf16WithBOM.json"), kv, NAME_DDL);
    expect_rows(df, CHRIS_DOUG, 2);
    lm_df_free(df);
    /* Jackson detects the encoding from the BOM when none is given */
    static const char *const auto_kv[] = {"multiLine", "true", NULL};
    df = read_ok(s, "json", data_path("utf16WithBOM.json"), auto_kv, NULL);
    expect_schema(df, "struct<firstName:string,lastName:string>");
    expect_rows(df, CHRIS_DOUG, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_utf32be_with_bom_detected(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"multiline", "true", NULL};
    lm_df *df = read_ok(s, "json", data_path("utf32BEWithBOM.json"), kv, NAME_DDL);
    expect_rows(df, CHRIS_DOUG, 1);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_utf16le_with_user_encoding_in_any_case(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const encs[] = {"UTF-16LE", "uTf-16lE"};
    for (int i = 0; i < 2; i++) {
        const char *kv[] = {"multiline", "true", "encoding", encs[i], NULL};
        lm_df *df = read_ok(s, "json", data_path("utf16LE.json"), kv, NAME_DDL);
        expect_rows(df, CHRIS_DOUG, 1);
        lm_df_free(df);
    }
    /* without a BOM, Jackson's zero-byte heuristics find UTF-16LE */
    static const char *const detect[] = {"multiline", "true", NULL};
    lm_df *df = read_ok(s, "json", data_path("utf16LE.json"), detect, NAME_DDL);
    expect_rows(df, CHRIS_DOUG, 1);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_encoding_restrictions(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const bad[] = {"encoding", "UTF-128", "lineSep", "\n", NULL};
    read_fails(s, "json", data_path("utf16LE.json"), bad, NULL);
    assert_string_equal(lm_errexception(s), "java.nio.charset.UnsupportedCharsetException");
    assert_non_null(strstr(lm_errmsg(s), "UTF-128"));
    static const char *const nosep[] = {"encoding", "UTF-16LE", NULL};
    read_fails(s, "json", data_path("utf16LE.json"), nosep, NULL);
    assert_non_null(strstr(lm_errmsg(s), "The lineSep option must be specified for the UTF-16LE "
                                         "encoding"));
    static const char *const deny[] = {"encoding", "UTF-32", "multiLine", "false", NULL};
    read_fails(s, "json", data_path("utf16LE.json"), deny, NULL);
    assert_non_null(strstr(lm_errmsg(s), "encoding must not be included in the denyList"));
    /* the wrong byte order garbles the text: a malformed record */
    static const char *const wrong[] = {"mode", "FAILFAST", "multiline", "true", "encoding",
                                        "UTF-16BE", NULL};
    read_fails(s, "json", data_path("utf16LE.json"), wrong, NAME_DDL);
    assert_string_equal(lm_errclass(s), "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
    lm_session_close(s);
}

static void test_every_json_fixture_reads_in_every_mode(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    DIR *d = opendir(IO_DATA_DIR);
    assert_non_null(d);
    struct dirent *de;
    int files = 0;
    static const char *const modes[] = {"PERMISSIVE", "DROPMALFORMED", "FAILFAST"};
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        files++;
        for (int m = 0; m < 3; m++) {
            for (int ml = 0; ml < 2; ml++) {
                const char *kv[] = {"mode", modes[m], "multiLine", ml ? "true" : "false", NULL};
                lm_options *o = opts_of(kv);
                lm_df *df = NULL;
                lm_status rc = lm_read(s, "json", data_path(de->d_name), o, NULL, &df);
                if (rc == LM_OK) {
                    lm_rows *rows = NULL;
                    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
                    lm_rows_free(rows);
                    lm_df_free(df);
                } else {
                    assert_int_equal(m, 2);
                    assert_non_null(lm_errmsg(s));
                }
                lm_options_free(o);
            }
        }
    }
    closedir(d);
    assert_true(files >= 6);
    lm_session_close(s);
}

/* ---------------------------------------------------------- inference */

static void test_numbers_infer_bigint_double_and_decimal(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"i\":1,\"big\":92233720368547758070,\"d\":1.5,\"e\":1e3,\"mix\":1}\n"
                     "{\"i\":2147483648,\"big\":1,\"d\":2,\"e\":2,\"mix\":2.5}\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<big:decimal(20,0),d:double,e:double,i:bigint,mix:double>");
    static const char *const rows[] = {"92233720368547758070|1.5|1000.0|1|1.0",
                                       "1|2.0|2.0|2147483648|2.5"};
    expect_rows(df, rows, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_conflicting_types_become_string(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"a\":1,\"b\":true,\"c\":[1],\"d\":{\"x\":1}}\n"
                     "{\"a\":\"x\",\"b\":2,\"c\":3,\"d\":[1]}\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<a:string,b:string,c:string,d:string>");
    /* values read into a string column keep their JSON text */
    static const char *const rows[] = {"1|true|[1]|{\"x\":1}", "x|2|3|[1]"};
    expect_rows(df, rows, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_struct_fields_are_sorted_and_merged(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"z\":1,\"a\":{\"y\":1,\"b\":null}}\n"
                     "{\"m\":\"s\",\"a\":{\"c\":[1.5],\"b\":2}}\n"
                     "{\"B\":1}\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<B:bigint,a:struct<b:bigint,c:array<double>,y:bigint>,m:string,z:"
                      "bigint>");
    static const char *const rows[] = {
        "NULL|{\"b\":null,\"c\":null,\"y\":1}|NULL|1",
        "NULL|{\"b\":2,\"c\":[1.5],\"y\":null}|s|NULL",
        "1|NULL|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    done(df, dir);
    lm_session_close(s);
}

static void test_arrays_merge_element_types(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "{\"a\":[1,2.5,null]}\n{\"a\":[]}\n{\"a\":[[1]]}\n{\"b\":[[],[1]]}\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<a:array<string>,b:array<array<bigint>>>");
    static const char *const rows[] = {"[\"1\",\"2.5\",null]|NULL", "[]|NULL", "[\"[1]\"]|NULL",
                                       "NULL|[[],[1]]"};
    expect_rows(df, rows, 4);
    done(df, dir);
    lm_session_close(s);
}

static void test_nulls_and_empty_strings_infer_string(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "{\"a\":null,\"b\":\"\",\"c\":{}}\n{\"a\":null,\"b\":1}\n", NULL, NULL,
                     &dir);
    /* "" counts as null, so b is bigint; the empty struct c disappears */
    expect_schema(df, "struct<a:string,b:bigint>");
    done(df, dir);
    lm_session_close(s);
}

static void test_drop_field_if_all_null(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"dropFieldIfAllNull", "true", NULL};
    char *dir;
    lm_df *df = JSON(s,
                     "{\"a\":null, \"b\":1, \"c\":3.0}\n{\"a\":null, \"b\":null, \"c\":\"string\"}\n"
                     "{\"a\":null, \"b\":null, \"c\":null}\n",
                     kv, NULL, &dir);
    expect_schema(df, "struct<b:bigint,c:string>");
    static const char *const rows[] = {"1|3.0", "NULL|string", "NULL|NULL"};
    expect_rows(df, rows, 3);
    done(df, dir);
    df = JSON(s,
              "{\"a\":[2, 1], \"b\":[null, null], \"c\":null, \"d\":[[], [null]], \"e\":[[], null, "
              "[[]]]}\n{\"a\":[null], \"b\":[null], \"c\":[], \"d\":[null, []], \"e\":null}\n"
              "{\"a\":null, \"b\":null, \"c\":[], \"d\":null, \"e\":[null, [], null]}\n",
              kv, NULL, &dir);
    expect_schema(df, "struct<a:array<bigint>>");
    static const char *const arr[] = {"[2,1]", "[null]", "NULL"};
    expect_rows(df, arr, 3);
    done(df, dir);
    df = JSON(s,
              "{\"a\":{\"a1\": 1, \"a2\":\"string\"}, \"b\":{}}\n{\"a\":{\"a1\": 2, \"a2\":null}, "
              "\"b\":{\"b1\":[null]}}\n{\"a\":null, \"b\":null}\n",
              kv, NULL, &dir);
    expect_schema(df, "struct<a:struct<a1:bigint,a2:string>>");
    static const char *const st[] = {"{\"a1\":1,\"a2\":\"string\"}", "{\"a1\":2,\"a2\":null}",
                                     "NULL"};
    expect_rows(df, st, 3);
    done(df, dir);
    lm_session_close(s);
}

static void test_primitives_as_string_and_prefers_decimal(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const pas[] = {"primitivesAsString", "true", NULL};
    char *dir;
    lm_df *df = JSON(s, "{\"a\":1,\"b\":1.50,\"c\":true,\"d\":[1],\"e\":null}\n", pas, NULL, &dir);
    expect_schema(df, "struct<a:string,b:string,c:string,d:array<string>,e:string>");
    static const char *const rows[] = {"1|1.50|true|[\"1\"]|NULL"};
    expect_rows(df, rows, 1);
    done(df, dir);
    static const char *const pd[] = {"prefersDecimal", "true", NULL};
    df = JSON(s, "{\"a\":1.50,\"b\":\"2.25\",\"c\":0.001}\n{\"a\":10.5,\"c\":1}\n", pd, NULL, &dir);
    /* 1.50 is decimal(3,2) and 10.5 decimal(3,1): merged decimal(4,2); a
       bigint widens decimal(3,3) to decimal(23,3) */
    expect_schema(df, "struct<a:decimal(4,2),b:decimal(3,2),c:decimal(23,3)>");
    static const char *const dec[] = {"1.50|2.25|0.001", "10.50|NULL|1.000"};
    expect_rows(df, dec, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_infer_timestamp_option(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"inferTimestamp", "true", NULL};
    char *dir;
    lm_df *df = JSON(s,
                     "{\"a\":\"2018-12-17T10:11:12.123-01:00\"}\n"
                     "{\"a\":\"2018-12-16T22:23:24.123-02:00\"}\n{\"a\":null}\n",
                     kv, NULL, &dir);
    expect_schema(df, "struct<a:timestamp>");
    static const char *const rows[] = {"2018-12-17 11:11:12.123", "2018-12-17 00:23:24.123",
                                       "NULL"};
    expect_rows(df, rows, 3);
    done(df, dir);
    df = JSON(s, "{\"a\":\"2018-12-17T10:11:12.123-01:00\"}\n{\"a\":1}\n", kv, NULL, &dir);
    expect_schema(df, "struct<a:string>");
    done(df, dir);
    /* off by default */
    df = JSON(s, "{\"a\":\"2018-12-17T10:11:12.123-01:00\"}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<a:string>");
    done(df, dir);
    lm_session_close(s);
}

static void test_duplicate_keys_fail_the_inferred_schema(void **state)
{
    (void)state;
    lm_session *s = open_session();
    read_json_fails(s, "{\"aaa\": 0, \"BBB\": 1}\n{\"AAA\": 2, \"bbb\": 3}\n", NULL, NULL);
    assert_string_equal(lm_errclass(s), "COLUMN_ALREADY_EXISTS");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(value, "`aaa`");
    /* case-sensitive analysis keeps them apart */
    assert_int_equal(lm_session_conf_set(s, "spark.sql.caseSensitive", "true"), LM_OK);
    char *dir;
    lm_df *df = JSON(s, "{\"aaa\": 0, \"BBB\": 1}\n{\"AAA\": 2, \"bbb\": 3}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<AAA:bigint,BBB:bigint,aaa:bigint,bbb:bigint>");
    done(df, dir);
    lm_session_close(s);
}

/* ------------------------------------------------------- conversion */

static void test_strict_token_types_and_partial_results(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"a\":\"-\",\"b\":[0, 1, 2],\"c\":\"abc\"}\n"
                     "{\"a\":0.1,\"b\":{},\"c\":\"def\"}\n",
                     NULL, "a double, b array<int>, c string, _corrupt_record string", &dir);
    static const char *const rows[] = {
        "NULL|[0,1,2]|abc|{\"a\":\"-\",\"b\":[0, 1, 2],\"c\":\"abc\"}",
        "0.1|NULL|def|{\"a\":0.1,\"b\":{},\"c\":\"def\"}",
    };
    expect_rows(df, rows, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_values_into_typed_columns(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"b\":true,\"t\":1,\"s\":300,\"i\":2147483647,\"l\":-9223372036854775808,"
                     "\"f\":1.5,\"d\":1e300,\"m\":12.345,\"ts\":1,\"dt\":\"2020-01-02\",\"bin\":"
                     "\"YWJj\",\"str\":{\"k\":[1,2.50,\"x\",null,true]}}\n"
                     "{\"t\":128,\"i\":2147483648,\"m\":\"1,234.5\",\"ts\":\"2020-1-12 3:23:34.12\","
                     "\"dt\":\"2020-1-12 T\"}\n",
                     NULL,
                     "b boolean, t tinyint, s smallint, i int, l bigint, f float, d double, "
                     "m decimal(5,1), ts timestamp, dt date, bin binary, str string",
                     &dir);
    static const char *const rows[] = {
        "true|1|300|2147483647|-9223372036854775808|1.5|1.0E300|12.3|1970-01-01 00:00:01|"
        "2020-01-02|abc|{\"k\":[1,2.50,\"x\",null,true]}",
        /* Jackson reads bytes as -128..255, wrapping 128 to -128 */
        "NULL|-128|NULL|NULL|NULL|NULL|NULL|1234.5|2020-01-12 03:23:34.12|2020-01-12|NULL|NULL",
    };
    expect_rows(df, rows, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_special_float_strings(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s,
                     "{\"a\": \"NaN\"}\n{\"a\": \"+INF\"}\n{\"a\": \"-INF\"}\n{\"a\": \"Infinity\"}\n"
                     "{\"a\": \"+Infinity\"}\n{\"a\": \"-Infinity\"}\n{\"a\": NaN}\n{\"a\": -Infinity}"
                     "\n",
                     NULL, "a double", &dir);
    static const char *const rows[] = {"NaN",      "Infinity", "-Infinity", "Infinity",
                                       "Infinity", "-Infinity", "NaN",      "-Infinity"};
    expect_rows(df, rows, 8);
    done(df, dir);
    /* case matters */
    static const char *const ff[] = {"mode", "FAILFAST", NULL};
    read_json_fails(s, "{\"a\": \"nan\"}\n", ff, "a float");
    assert_string_equal(lm_errclass(s), "MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_STRING_AS_DATATYPE");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(name, "badRecord");
    assert_string_equal(value, "{\"a\": \"nan\"}");
    assert_true(lm_errparam(s, 3, &name, &value));
    assert_string_equal(name, "fieldValue");
    assert_string_equal(value, "'nan'");
    lm_session_close(s);
}

static void test_empty_strings_only_for_string_and_binary(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const ff[] = {"mode", "FAILFAST", NULL};
    static const char *const types[] = {"boolean", "int", "bigint", "double", "decimal(10,0)",
                                        "timestamp", "date", "array<int>", "struct<f1:int>"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char ddl[64];
        snprintf(ddl, sizeof ddl, "a %s", types[i]);
        read_json_fails(s, "{\"a\":\"\"}\n", ff, ddl);
        assert_string_equal(lm_errclass(s), "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
        const char *name, *value;
        assert_true(lm_errparam(s, 0, &name, &value));
        assert_string_equal(value, "[null]");
    }
    char *dir;
    lm_df *df = JSON(s, "{\"a\":\"\"}\n", ff, "a string", &dir);
    static const char *const empty[] = {""};
    expect_rows(df, empty, 1);
    done(df, dir);
    lm_session_close(s);
}

static void test_root_arrays_give_one_row_per_element(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "[{\"a\":\"str_a_1\"}]\n[{\"a\":\"str_a_2\"}, {\"b\":\"str_b_3\"}]\n[]\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<a:string,b:string>");
    static const char *const rows[] = {"str_a_1|NULL", "str_a_2|NULL", "NULL|str_b_3"};
    expect_rows(df, rows, 3);
    done(df, dir);
    /* a null element spoils the whole record */
    df = JSON(s, "[{\"a\": \"str\"}, null, {\"a\": \"str\"}]\n", NULL, "a string", &dir);
    static const char *const one[] = {"NULL"};
    expect_rows(df, one, 1);
    done(df, dir);
    static const char *const ff[] = {"mode", "failfast", NULL};
    read_json_fails(s, "[{\"a\": \"str\"}, null]\n", ff, "a string");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(value, "[null]");
    /* partial results per element (SPARK-44079) */
    const char *data = "[{\"a\": \"incorrect\", \"b\": \"correct\"}, {\"a\": \"incorrect\", \"b\": "
                       "\"correct\"}]";
    static const char *const ml[] = {"mode", "PERMISSIVE", "multiline", "true", NULL};
    df = JSON(s, data, ml, "a int, b string, _corrupt_record string", &dir);
    char expect0[512];
    snprintf(expect0, sizeof expect0, "NULL|correct|%s", data);
    const char *const two[] = {expect0, expect0};
    expect_rows(df, two, 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_corrupt_records_in_permissive_mode(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "{\"a\":1}\n{\"a\":\n1\n\"str\"\nnull\n{\"a\":2}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string,a:bigint>");
    static const char *const rows[] = {"NULL|1", "{\"a\":|NULL", "1|NULL", "\"str\"|NULL",
                                       "null|NULL", "NULL|2"};
    expect_rows(df, rows, 6);
    done(df, dir);
    static const char *const named[] = {"columnNameOfCorruptRecord", "_bad", NULL};
    df = JSON(s, "{\"a\":1}\n{oops}\n", named, NULL, &dir);
    expect_schema(df, "struct<_bad:string,a:bigint>");
    done(df, dir);
    static const char *const drop[] = {"mode", "DROPMALFORMED", NULL};
    df = JSON(s, "{\"a\":1}\n{oops}\n[1,2]\n", drop, NULL, &dir);
    expect_schema(df, "struct<a:bigint>");
    static const char *const one[] = {"1"};
    expect_rows(df, one, 1);
    done(df, dir);
    lm_session_close(s);
}

static void test_corrupt_column_must_be_string(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"columnNameOfCorruptRecord", "_unparsed", NULL};
    read_json_fails(s, "{\"a\":1}\n", kv, "a string, _unparsed int");
    assert_string_equal(lm_errclass(s), "_LEGACY_ERROR_TEMP_1097");
    lm_session_close(s);
}

static void test_leading_nulls_are_corrupt_records(void **state)
{
    (void)state;
    lm_session *s = open_session();
    const char bad[] = "\0\0\0A\x01" "AAA";
    char content[64];
    memcpy(content, bad, 8);
    memcpy(content + 8, "\n{\"a\":1}\n", 9);
    char *dir;
    lm_df *df = read_json(s, content, 17, NULL, "a int, _corrupt_record string", &dir);
    lm_rows *rows = NULL;
    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
    assert_int_equal(lm_rows_count(rows), 2);
    assert_true(lm_rows_is_null(rows, 0, 0));
    char *v = lm_rows_render(rows, 0, 1, LM_RENDER_HIVE);
    assert_memory_equal(v, bad, 8);
    free(v);
    assert_false(lm_rows_is_null(rows, 1, 0));
    lm_rows_free(rows);
    done(df, dir);
    lm_session_close(s);
}

/* ------------------------------------------------------ JSON syntax */

static void test_jackson_features(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    /* single quotes are allowed by default */
    lm_df *df = JSON(s, "{'a': 'x', \"b\": 1}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<a:string,b:bigint>");
    done(df, dir);
    static const char *const nosq[] = {"allowSingleQuotes", "false", NULL};
    df = JSON(s, "{'a': 'x'}\n{\"b\": 1}\n", nosq, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string,b:bigint>");
    done(df, dir);
    /* comments */
    df = JSON(s, "{\"a\": 1 /* c */}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string>");
    done(df, dir);
    static const char *const com[] = {"allowComments", "true", NULL};
    df = JSON(s, "{\"a\": 1 /* c */} // end\n", com, NULL, &dir);
    expect_schema(df, "struct<a:bigint>");
    done(df, dir);
    /* unquoted names */
    static const char *const unq[] = {"allowUnquotedFieldNames", "true", NULL};
    df = JSON(s, "{a: 1, $b_2: 2}\n", unq, NULL, &dir);
    expect_schema(df, "struct<$b_2:bigint,a:bigint>");
    done(df, dir);
    /* leading zeros */
    df = JSON(s, "{\"a\": 007}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string>");
    done(df, dir);
    static const char *const lz[] = {"allowNumericLeadingZeros", "true", NULL};
    df = JSON(s, "{\"a\": 007}\n", lz, NULL, &dir);
    static const char *const seven[] = {"7"};
    expect_rows(df, seven, 1);
    done(df, dir);
    /* backslash escaping of any character, raw control characters */
    static const char *const bs[] = {"allowBackslashEscapingAnyCharacter", "true", NULL};
    df = JSON(s, "{\"a\": \"\\q\"}\n", bs, NULL, &dir);
    static const char *const q[] = {"q"};
    expect_rows(df, q, 1);
    done(df, dir);
    df = JSON(s, "{\"a\": \"x\ty\"}\n", NULL, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string>");
    done(df, dir);
    static const char *const ctrl[] = {"allowUnquotedControlChars", "true", NULL};
    df = JSON(s, "{\"a\": \"x\ty\"}\n", ctrl, NULL, &dir);
    static const char *const tab[] = {"x\ty"};
    expect_rows(df, tab, 1);
    done(df, dir);
    /* NaN can be turned off */
    static const char *const nonum[] = {"allowNonNumericNumbers", "false", NULL};
    df = JSON(s, "{\"a\": NaN}\n", nonum, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string>");
    done(df, dir);
    /* text after the first value of a line is ignored */
    df = JSON(s, "{\"a\": 1} trailing\n", NULL, NULL, &dir);
    expect_schema(df, "struct<a:bigint>");
    done(df, dir);
    /* escapes, surrogate pairs */
    df = JSON(s, "{\"a\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"}\n", NULL, NULL, &dir);
    static const char *const esc[] = {"\xC3\xA9\xF0\x9F\x98\x80\n\""};
    expect_rows(df, esc, 1);
    done(df, dir);
    lm_session_close(s);
}

static void test_deep_nesting_fails_without_crashing(void **state)
{
    (void)state;
    lm_session *s = open_session();
    size_t depth = 5000;
    char *buf = malloc(depth * 2 + 16);
    size_t k = 0;
    memcpy(buf + k, "{\"a\":", 5);
    k += 5;
    for (size_t i = 0; i < depth; i++)
        buf[k++] = '[';
    for (size_t i = 0; i < depth; i++)
        buf[k++] = ']';
    buf[k++] = '}';
    buf[k++] = '\n';
    char *dir;
    lm_df *df = read_json(s, buf, k, NULL, NULL, &dir);
    expect_schema(df, "struct<_corrupt_record:string>");
    done(df, dir);
    free(buf);
    lm_session_close(s);
}

static void test_truncated_documents_are_corrupt(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const cases[] = {"{", "{\"a\"", "{\"a\":", "{\"a\":[1,", "{\"a\":\"x",
                                        "{\"a\":1,}", "[1,]", "{\"a\":-}", "{\"a\":1.}",
                                        "{\"a\":tru}", "{\"a\":\"\\u12\"}"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir;
        lm_df *df = JSON(s, cases[i], NULL, "a string, _corrupt_record string", &dir);
        char expect[64];
        snprintf(expect, sizeof expect, "NULL|%s", cases[i]);
        const char *const rows[] = {expect};
        expect_rows(df, rows, 1);
        done(df, dir);
    }
    lm_session_close(s);
}

/* Random inputs built from JSON's special characters: never a crash. */
static void test_random_input_never_crashes(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "fuzz.json");
    static const char alphabet[] = {'{', '}', '[', ']', ':', ',', '"', '\'', '\\', 'a', '1', '-',
                                    '.', 'e', 'n', 'u', 'l', 't', '\n', ' ', (char)0xff,
                                    (char)0xc3, '\0', '/', '*', 'N', 'I'};
    uint32_t seed = 777;
    static const char *const modes[] = {"PERMISSIVE", "DROPMALFORMED", "FAILFAST"};
    for (int round = 0; round < 200; round++) {
        char buf[256];
        size_t n;
        seed = seed * 1103515245u + 12345u;
        if (round % 4 == 0) {
            /* mutate a valid document */
            static const char doc[] = "{\"a\":[1,{\"b\":\"x\"},2.5e3],\"c\":null,\"d\":{\"e\":true}}\n";
            memcpy(buf, doc, sizeof doc - 1);
            n = sizeof doc - 1;
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 16) % n] = alphabet[(seed >> 8) % sizeof alphabet];
            }
        } else {
            n = (seed >> 16) % sizeof buf;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                buf[i] = alphabet[(seed >> 16) % sizeof alphabet];
            }
        }
        write_file(f, buf, n);
        const char *ddl = round % 3 == 0 ? NULL
                                         : "a array<int>, c string, d struct<e: boolean>, "
                                           "_corrupt_record string";
        const char *kv[] = {"mode", modes[round % 3], "multiLine", round & 1 ? "true" : "false",
                            "allowComments", round & 2 ? "true" : "false", NULL};
        lm_options *o = opts_of(kv);
        lm_df *df = NULL;
        if (lm_read(s, "json", f, o, ddl, &df) == LM_OK) {
            lm_rows *rows = NULL;
            assert_int_equal(lm_df_collect(df, &rows), LM_OK);
            lm_rows_free(rows);
            lm_df_free(df);
        } else {
            assert_true(strlen(lm_errmsg(s)) > 0);
        }
        lm_options_free(o);
    }
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

/* -------------------------------------------------------------- lines */

static void test_line_separators(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "{\"f\": \"a\", \"f0\": 1}\r{\"f\": \"c\",  \"f0\": 2}\r\n{\"f\": \"d\",  "
                        "\"f0\": 3}\n",
                     NULL, NULL, &dir);
    expect_schema(df, "struct<f:string,f0:bigint>");
    static const char *const rows[] = {"a|1", "c|2", "d|3"};
    expect_rows(df, rows, 3);
    done(df, dir);
    static const char *const seps[] = {"|", "::", "!!!@3", "\x1e", "\xec\x95\x84"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        char data[256];
        snprintf(data, sizeof data,
                 "\n  {\"f\":\n\"a\", \"f0\": 1}%s{\"f\":\n\n\"c\",  \"f0\": 2}%s{\"f\": \"d\",  "
                 "\"f0\": 3}\n%s",
                 seps[i], seps[i], seps[i]);
        const char *kv[] = {"lineSep", seps[i], NULL};
        df = JSON(s, data, kv, NULL, &dir);
        expect_schema(df, "struct<f:string,f0:bigint>");
        expect_rows(df, rows, 3);
        done(df, dir);
    }
    lm_session_close(s);
}

static void test_blank_lines_are_not_records(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = JSON(s, "{ \"a\" : 1 }\n\n     { \"a\" : 2 }\n \t \n", NULL, NULL, &dir);
    assert_int_equal(count_rows(df), 2);
    done(df, dir);
    lm_session_close(s);
}

static void test_multiline_reads_one_document_per_file(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"multiLine", "true", NULL};
    char *dir;
    lm_df *df = JSON(s, "{\n  \"a\": 1,\n  \"b\": [\n 1,\n 2]\n}\n", kv, NULL, &dir);
    expect_schema(df, "struct<a:bigint,b:array<bigint>>");
    static const char *const rows[] = {"1|[1,2]"};
    expect_rows(df, rows, 1);
    done(df, dir);
    lm_session_close(s);
}

static void test_select_from_json_path(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT id FROM json.`%s` WHERE id > 3",
             data_path("with-map-fields.json"));
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    static const char *const rows[] = {"4", "5"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    snprintf(sql, sizeof sql,
             "CREATE TEMPORARY VIEW jt USING json OPTIONS (path '%s', multiLine 'true')",
             data_path("utf16WithBOM.json"));
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    lm_df_free(df);
    assert_int_equal(lm_sql(s, "SELECT lastName FROM jt ORDER BY lastName", &df), LM_OK);
    static const char *const names[] = {"Baird", "Rood"};
    expect_rows(df, names, 2);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrays_of_structs_fixture),
        cmocka_unit_test(test_objects_infer_structs_and_read_as_maps),
        cmocka_unit_test(test_invalid_utf8_line_is_a_corrupt_record),
        cmocka_unit_test(test_invalid_utf8_dropmalformed_with_and_without_schema),
        cmocka_unit_test(test_invalid_utf8_failfast_fails_schema_inference),
        cmocka_unit_test(test_utf16_with_bom_multiline),
        cmocka_unit_test(test_utf32be_with_bom_detected),
        cmocka_unit_test(test_utf16le_with_user_encoding_in_any_case),
        cmocka_unit_test(test_encoding_restrictions),
        cmocka_unit_test(test_every_json_fixture_reads_in_every_mode),
        cmocka_unit_test(test_numbers_infer_bigint_double_and_decimal),
        cmocka_unit_test(test_conflicting_types_become_string),
        cmocka_unit_test(test_struct_fields_are_sorted_and_merged),
        cmocka_unit_test(test_arrays_merge_element_types),
        cmocka_unit_test(test_nulls_and_empty_strings_infer_string),
        cmocka_unit_test(test_drop_field_if_all_null),
        cmocka_unit_test(test_primitives_as_string_and_prefers_decimal),
        cmocka_unit_test(test_infer_timestamp_option),
        cmocka_unit_test(test_duplicate_keys_fail_the_inferred_schema),
        cmocka_unit_test(test_strict_token_types_and_partial_results),
        cmocka_unit_test(test_values_into_typed_columns),
        cmocka_unit_test(test_special_float_strings),
        cmocka_unit_test(test_empty_strings_only_for_string_and_binary),
        cmocka_unit_test(test_root_arrays_give_one_row_per_element),
        cmocka_unit_test(test_corrupt_records_in_permissive_mode),
        cmocka_unit_test(test_corrupt_column_must_be_string),
        cmocka_unit_test(test_leading_nulls_are_corrupt_records),
        cmocka_unit_test(test_jackson_features),
        cmocka_unit_test(test_deep_nesting_fails_without_crashing),
        cmocka_unit_test(test_truncated_documents_are_corrupt),
        cmocka_unit_test(test_random_input_never_crashes),
        cmocka_unit_test(test_line_separators),
        cmocka_unit_test(test_blank_lines_are_not_records),
        cmocka_unit_test(test_multiline_reads_one_document_per_file),
        cmocka_unit_test(test_select_from_json_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
