/*
 * Specification of the CSV reader: every CSV fixture of the conformance
 * test data read with the options Spark's CSVSuite uses for it and the
 * schema and rows Spark gives, then the options one by one (delimiters,
 * quoting, nulls, whitespace, line separators, encodings, header names),
 * inference, the parse modes, bad input that must fail cleanly, and the
 * SQL entry points (CREATE TEMPORARY VIEW ... USING csv, csv.`path`).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <zlib.h>
#include <zstd.h>

#include "io_test.h"

static const char *const HEADER_INFER[] = {"header", "true", "inferSchema", "true", NULL};
static const char *const HEADER[] = {"header", "true", NULL};

static const char *const CARS_ROWS[] = {
    "2012|Tesla|S|No comment|NULL",
    "1997|Ford|E350|Go get one now they are going fast|NULL",
    "2015|Chevy|Volt|NULL|NULL",
};

/* ------------------------------------------------------------ cars */

static void test_cars_header_infer_schema_types_year_as_int(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<year:int,make:string,model:string,comment:string,blank:string>");
    expect_rows(df, CARS_ROWS, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_cars_without_header_names_columns_c0_to_c4(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "false", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), kv, NULL);
    expect_schema(df, "struct<_c0:string,_c1:string,_c2:string,_c3:string,_c4:string>");
    static const char *const rows[] = {
        "year|make|model|comment|blank",
        "2012|Tesla|S|No comment|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_cars_old_source_name_reads_as_csv(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "com.databricks.spark.csv", data_path("cars.csv"), NULL, NULL);
    assert_int_equal(count_rows(df), 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_cars_dropmalformed_drops_the_short_row(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"header", "true", "mode", "dropmalformed", "multiLine",
                            ml ? "true" : "false", NULL};
        lm_df *df = read_ok(s, "csv", data_path("cars.csv"), kv, NULL);
        static const char *const rows[] = {
            "2012|Tesla|S|No comment|NULL",
            "1997|Ford|E350|Go get one now they are going fast|NULL",
        };
        expect_rows(df, rows, 2);
        lm_df_free(df);
    }
    lm_session_close(s);
}

static void test_cars_failfast_reports_malformed_record_in_parsing(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"header", "true", "mode", "failfast", "multiLine",
                            ml ? "true" : "false", NULL};
        read_fails(s, "csv", data_path("cars.csv"), kv, NULL);
        assert_string_equal(lm_errclass(s), "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
        assert_string_equal(lm_sqlstate(s), "22023");
        const char *name, *value;
        assert_true(lm_errparam(s, 0, &name, &value));
        assert_string_equal(name, "badRecord");
        assert_string_equal(value, "[2015,Chevy,Volt,null,null]");
        assert_true(lm_errparam(s, 1, &name, &value));
        assert_string_equal(value, "FAILFAST");
        assert_non_null(strstr(lm_errmsg(s), "Parse Mode: FAILFAST. To process malformed records "
                                             "as null result, try setting the option 'mode' as "
                                             "'PERMISSIVE'."));
    }
    lm_session_close(s);
}

static void test_unknown_mode_falls_back_to_permissive(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "mode", "abcd", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), kv, NULL);
    assert_int_equal(count_rows(df), 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_cars_multiline_reads_the_same_rows(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "inferSchema", "true", "multiLine", "true",
                                     NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), kv, NULL);
    expect_schema(df, "struct<year:int,make:string,model:string,comment:string,blank:string>");
    expect_rows(df, CARS_ROWS, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_alternative_delimiter_and_quote(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"quote", "'", "delimiter", "|", "header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-alternative.csv"), kv, NULL);
    expect_schema(df, "struct<year:string,make:string,model:string,comment:string,blank:string>");
    /* the quote is not at the start of " 'No comment'", so it is text */
    static const char *const rows[] = {
        "2012|Tesla|S| 'No comment'|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_tab_delimiter_written_as_escape(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"quote", "\"", "delimiter", "\\t", "header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.tsv"), kv, NULL);
    expect_schema(df, "struct<year:string,make:string,model:string,price:string,comment:string,"
                      "blank:string>");
    static const char *const rows[] = {
        "2012|Tesla|S|80,000.65|NULL|NULL",
        "1997|Ford|E350|35,000|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|5,000.10|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_decimal_column_ignores_thousands_separators(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    /* Spark's DDL test "parsing decimal type": decimal(10,0) rounds 80,000.65 */
    static const char *const kv[] = {"delimiter", "\t", "header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.tsv"), kv,
                        "yearMade double, makeName string, modelName string, priceTag decimal, "
                        "comments string, grp string");
    static const char *const rows[] = {
        "2012.0|Tesla|S|80001|NULL|NULL",
        "1997.0|Ford|E350|35000|Go get one now they are going fast|NULL",
        "2015.0|Chevy|Volt|5000|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_multi_character_delimiter_comma_space(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"quote", "'", "delimiter", ", ", "header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-multichar-delim.csv"), kv, NULL);
    expect_schema(df, "struct<year:string,make:string,model:string,comment:string,blank:string>");
    static const char *const rows[] = {
        "2012|Tesla|S|No comment,|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_crazy_multi_character_delimiter(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"quote", "'", "delimiter", "_/-\\\\_", "header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-multichar-delim-crazy.csv"), kv, NULL);
    expect_rows(df, CARS_ROWS, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_iso_8859_1_with_thorn_delimiter(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const a[] = {"header", "true", "charset", "iso-8859-1", "delimiter",
                                    "\xC3\xBE", NULL};
    static const char *const b[] = {"header", "true", "encoding", "iso-8859-1", "sep", "\xC3\xBE",
                                    NULL};
    const char *const *variants[] = {a, b};
    for (int v = 0; v < 2; v++) {
        lm_df *df = read_ok(s, "csv", data_path("cars_iso-8859-1.csv"), variants[v], NULL);
        static const char *const rows[] = {
            "2012|Tesla|S|No comment|NULL",
            /* the thorn inside quotes is data, not a delimiter */
            "1997|Ford|E350|Go get one now they are \xC3\xBEoing fast|NULL",
            "2015|Chevy|Volt|NULL|NULL",
        };
        expect_rows(df, rows, 3);
        lm_df_free(df);
    }
    lm_session_close(s);
}

static void test_unknown_charset_fails_with_unsupported_charset(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"charset", "1-9588-osi", NULL};
    read_fails(s, "csv", data_path("cars_iso-8859-1.csv"), kv, NULL);
    assert_string_equal(lm_errexception(s), "java.nio.charset.UnsupportedCharsetException");
    assert_non_null(strstr(lm_errmsg(s), "1-9588-osi"));
    lm_session_close(s);
}

static void test_crlf_file_reads_in_both_modes(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"header", "true", "multiLine", ml ? "true" : "false", NULL};
        lm_df *df = read_ok(s, "csv", data_path("cars-crlf.csv"), kv, NULL);
        expect_rows(df, CARS_ROWS, 3);
        lm_df_free(df);
    }
    lm_session_close(s);
}

static void test_blank_header_names_become_c_index(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("cars-blank-column-name.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<_c0:int,_c1:string,make:string,customer:string,comment:string>");
    static const char *const rows[] = {"2012|Tesla|S|bill|blank", "2013|Tesla|S|c|something"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static const char *const CARS_DDL =
    "year int, make string not null, model string not null, comment string, blank string";

static void test_empty_value_option_fills_quoted_empty_fields(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "emptyValue", "empty", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-empty-value.csv"), kv, CARS_DDL);
    expect_schema(df, "struct<year:int,make:string,model:string,comment:string,blank:string>");
    static const char *const rows[] = {
        "2012|Tesla|S|empty|empty",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|NULL|empty",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_default_empty_values_read_as_null(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("cars-empty-value.csv"), HEADER, NULL);
    static const char *const rows[] = {
        "2012|Tesla|S|NULL|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_null_value_option(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "nullValue", "null", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-null.csv"), kv, CARS_DDL);
    static const char *const rows[] = {
        "2012|Tesla|S|NULL|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "NULL|Chevy|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_extra_tokens_keep_the_leading_fields(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "false", "comment", "~", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-malformed.csv"), kv, NULL);
    static const char *const rows[] = {
        "year|make|model|comment|blank",
        "2012|Tesla|S|No comment|NULL",
        "1997|Ford|E350|Go get one now they are going fast|NULL",
        "2015|Chevy|NULL|NULL|NULL",
    };
    expect_rows(df, rows, 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_unbalanced_quotes_with_quoting_off(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "quote", "", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars-unbalanced-quotes.csv"), kv, NULL);
    static const char *const rows[] = {
        "\"2012|Tesla|S|No comment|NULL",
        "1997|Ford|E350|Go get one now they are going fast\"|NULL",
        "\"2015|\"Chevy\"|Volt|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_unbalanced_quotes_with_default_quote_never_crash(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("cars-unbalanced-quotes.csv"), HEADER, NULL);
    /* an unterminated quoted value runs to the end of its line; a closing
       quote followed by text makes the whole value literal */
    static const char *const rows[] = {
        "2012,Tesla,S,No comment|NULL|NULL|NULL|NULL",
        "1997|Ford|E350|Go get one now they are going fast\"|NULL",
        "\"2015,\"Chevy\"|Volt|NULL|NULL|NULL",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

/* --------------------------------------------------------- inference */

static void test_infers_booleans_case_insensitively(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("bool.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<bool:boolean>");
    static const char *const rows[] = {"true", "false", "true"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_infers_decimal_only_beyond_long(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"comment", "~", "header", "true", "inferSchema", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("decimal.csv"), kv, NULL);
    expect_schema(df, "struct<decimal:decimal(20,0),long:bigint,double:double>");
    static const char *const rows[] = {
        "1|1|0.1",
        "1|9223372036854775807|1.0",
        "92233720368547758070|1|9.223372036854776E19",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_sparse_columns_still_infer_int(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("simple_sparse.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<A:int,B:int,C:int,D:int>");
    static const char *const rows[] = {"1|NULL|NULL|NULL", "NULL|1|NULL|NULL", "NULL|NULL|1|NULL",
                                       "NULL|NULL|NULL|1"};
    expect_rows(df, rows, 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_comment_lines_are_skipped(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const rows[] = {
        "1|2|3|4|5.01|2015-08-20 15:57:00",
        "6|7|8|9|0|2015-08-21 16:58:01",
        "1|2|3|4|5|2015-08-23 18:00:42",
    };
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"comment", "~", "header", "false", "multiLine", ml ? "true" : "false",
                            NULL};
        lm_df *df = read_ok(s, "csv", data_path("comments.csv"), kv, NULL);
        expect_rows(df, rows, 3);
        lm_df_free(df);
    }
    static const char *const kv[] = {"comment", "~", "header", "false", "inferSchema", "true",
                                     "timestampFormat", "yyyy-MM-dd HH:mm:ss", NULL};
    lm_df *df = read_ok(s, "csv", data_path("comments.csv"), kv, NULL);
    expect_schema(df, "struct<_c0:int,_c1:int,_c2:int,_c3:int,_c4:double,_c5:timestamp>");
    static const char *const typed[] = {
        "1|2|3|4|5.01|2015-08-20 15:57:00",
        "6|7|8|9|0.0|2015-08-21 16:58:01",
        "1|2|3|4|5.0|2015-08-23 18:00:42",
    };
    expect_rows(df, typed, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_timestamps_inferred_with_custom_pattern(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "inferSchema", "true", "timestampFormat",
                                     "dd/MM/yyyy HH:mm", NULL};
    lm_df *df = read_ok(s, "csv", data_path("dates.csv"), kv, NULL);
    expect_schema(df, "struct<date:timestamp>");
    static const char *const rows[] = {"2015-08-26 18:00:00", "2014-10-27 18:30:00",
                                       "2016-01-28 20:00:00"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_dates_read_with_custom_date_format(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "dateFormat", "dd/MM/yyyy HH:mm", NULL};
    lm_df *df = read_ok(s, "csv", data_path("dates.csv"), kv, "date date");
    static const char *const rows[] = {"2015-08-26", "2014-10-27", "2016-01-28"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_dates_and_timestamps_mixed_infer_timestamp(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("date-infer-schema.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<date:date,timestamp-date:timestamp,date-timestamp:timestamp>");
    static const char *const rows[] = {
        "2001-09-08|2014-10-27 18:30:00|1765-03-28 00:00:00",
        "1941-01-02|2000-09-14 01:01:00|1423-11-12 23:41:00",
        "0293-11-07|1995-06-25 00:00:00|2016-01-28 20:00:00",
    };
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_prefer_date_false_infers_timestamps(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "inferSchema", "true", "preferDate",
                                     "false", NULL};
    lm_df *df = read_ok(s, "csv", data_path("date-infer-schema.csv"), kv, NULL);
    expect_schema(df, "struct<date:timestamp,timestamp-date:timestamp,date-timestamp:timestamp>");
    lm_df_free(df);
    lm_session_close(s);
}

static void test_timestamp_format_makes_dates_strings(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    /* with a strict timestampFormat a date cannot be a timestamp (SPARK-40474) */
    static const char *const kv[] = {"header", "true", "inferSchema", "true", "timestampFormat",
                                     "yyyy-MM-dd'T'HH:mm:ss", NULL};
    lm_df *df = read_ok(s, "csv", data_path("date-infer-schema.csv"), kv, NULL);
    expect_schema(df, "struct<date:date,timestamp-date:string,date-timestamp:string>");
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------ comments, blanks */

static void test_empty_comment_option_disables_comments(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"comment", "", "header", "false", NULL};
    lm_df *df = read_ok(s, "csv", data_path("disable_comments.csv"), kv, NULL);
    static const char *const rows[] = {"#1|2|3", "4|5|6"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_whitespace_only_and_comment_lines_are_skipped(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"multiLine", "false", "header", "true", "comment", "#",
                                     "ignoreLeadingWhiteSpace", "false", "ignoreTrailingWhiteSpace",
                                     "false", NULL};
    lm_df *df = read_ok(s, "csv", data_path("comments-whitespaces.csv"), kv, "colA STRING");
    static const char *const rows[] = {" \"a\" "};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_empty_file_gives_empty_schema(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"header", "true", "multiLine", ml ? "true" : "false", NULL};
        lm_df *df = read_ok(s, "csv", data_path("empty.csv"), kv, NULL);
        expect_schema(df, "struct<>");
        assert_int_equal(count_rows(df), 0);
        lm_df_free(df);
    }
    lm_df *df = read_ok(s, "csv", data_path("empty.csv"), NULL, "column STRING NOT NULL");
    assert_int_equal(lm_df_num_columns(df), 1);
    assert_int_equal(count_rows(df), 0);
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------------ bad records */

static void test_short_row_dropped_by_dropmalformed(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "mode", "DROPMALFORMED", NULL};
    lm_df *df = read_ok(s, "csv", data_path("malformedRow.csv"), kv, NULL);
    static const char *const rows[] = {"apple|red|1|3", "banana|yellow|2|4", "orange|orange|3|5"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_numbers_with_special_values_and_dropmalformed(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "mode", "DROPMALFORMED", "nullValue", "--",
                                     "nanValue", "NAN", "negativeInf", "-INF", "positiveInf", "INF",
                                     NULL};
    /* Spark's count() of this file is 8 only because column pruning skips
       parsing; reading the rows drops the three values "223823.NAN",
       "223823.INF" and "223823.-INF", which are not floats */
    lm_df *df = read_ok(s, "csv", data_path("numbers.csv"), kv,
                        "int int, long bigint, float float, double double");
    static const char *const rows[] = {
        "8|1000000|1.042|2.38485450374E7",
        "NULL|34232323|98.343|184721.23987223",
        "34|NULL|98.343|184721.23987223",
        "34|43323123|NULL|184721.23987223",
        "34|43323123|223823.95|NULL",
    };
    expect_rows(df, rows, 5);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_nan_and_infinity_option_values(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "n.csv");
    write_file(f, "NAN,INF,-INF,NaN,Infinity\n", 26);
    static const char *const kv[] = {"nanValue", "NAN", "negativeInf", "-INF", "positiveInf", "INF",
                                     NULL};
    lm_df *df = read_ok(s, "csv", f, kv, "a double, b double, c float, d double, e double");
    static const char *const rows[] = {"NaN|Infinity|-Infinity|NaN|Infinity"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_unescaped_quotes_are_kept_literally(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("unescaped-quotes.csv"), NULL, NULL);
    static const char *const rows[] = {"\"a\"b|ccc|ddd", "ab|cc\"c|ddd\""};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_malformed_value_is_null_in_permissive_mode(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"mode", "abcd", "multiLine", ml ? "true" : "false", NULL};
        lm_df *df = read_ok(s, "csv", data_path("value-malformed.csv"), kv, "a int, b date");
        static const char *const rows[] = {"0|NULL", "1|1983-08-04"};
        expect_rows(df, rows, 2);
        lm_df_free(df);
    }
    lm_session_close(s);
}

static void test_corrupt_record_column_holds_the_line(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"mode", "Permissive", "columnNameOfCorruptRecord", "_unparsed",
                            "multiLine", ml ? "true" : "false", NULL};
        lm_df *df = read_ok(s, "csv", data_path("value-malformed.csv"), kv,
                            "a int, b date, _unparsed string");
        static const char *const rows[] = {"0|NULL|0,2013-111_11 12:13:14", "1|1983-08-04|NULL"};
        expect_rows(df, rows, 2);
        lm_df_free(df);
        /* in the middle of the schema too */
        df = read_ok(s, "csv", data_path("value-malformed.csv"), kv,
                     "a int, _unparsed string, b date");
        static const char *const mid[] = {"0|0,2013-111_11 12:13:14|NULL", "1|NULL|1983-08-04"};
        expect_rows(df, mid, 2);
        lm_df_free(df);
    }
    /* the default name comes from spark.sql.columnNameOfCorruptRecord */
    lm_df *df = read_ok(s, "csv", data_path("value-malformed.csv"), NULL,
                        "a int, b date, _corrupt_record string");
    static const char *const rows[] = {"0|NULL|0,2013-111_11 12:13:14", "1|1983-08-04|NULL"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_corrupt_record_column_must_be_a_string(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"columnNameOfCorruptRecord", "_unparsed", NULL};
    read_fails(s, "csv", data_path("value-malformed.csv"), kv, "a int, b date, _unparsed int");
    assert_string_equal(lm_errclass(s), "_LEGACY_ERROR_TEMP_1097");
    lm_session_close(s);
}

static void test_bad_value_after_good_value_is_not_reused(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("bad_after_good.csv"), NULL, "col1 string, col2 date");
    static const char *const rows[] = {"good record|1999-08-01", "bad record|NULL"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_char_csv_reads_two_string_columns(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "csv", data_path("char.csv"), HEADER_INFER, NULL);
    expect_schema(df, "struct<color:string,name:string>");
    static const char *const rows[] = {"pink|Bob", "blue|Mike", "grey|Tom"};
    expect_rows(df, rows, 3);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_failfast_on_a_bad_double_shows_the_partial_row(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "d.csv");
    write_file(f, "10u12\n", 6);
    static const char *const ff[] = {"mode", "FAILFAST", NULL};
    read_fails(s, "csv", f, ff, "a DOUBLE");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(value, "[null]");
    static const char *const dm[] = {"mode", "DROPMALFORMED", NULL};
    lm_df *df = read_ok(s, "csv", f, dm, "a FLOAT");
    assert_int_equal(count_rows(df), 0);
    lm_df_free(df);
    df = read_ok(s, "csv", f, NULL, "a FLOAT");
    static const char *const rows[] = {"NULL"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

/* Every CSV fixture reads (or fails with a message) in every mode and
   with or without inference: no crash, no leak. */
static void test_every_csv_fixture_reads_in_every_mode(void **state)
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
        if (n < 5 || (strcmp(de->d_name + n - 4, ".csv") != 0 && strcmp(de->d_name + n - 4, ".tsv")))
            continue;
        files++;
        for (int m = 0; m < 3; m++) {
            for (int v = 0; v < 4; v++) {
                const char *kv[] = {"mode", modes[m], "header", v & 1 ? "true" : "false",
                                    "inferSchema", v & 1 ? "true" : "false", "multiLine",
                                    v & 2 ? "true" : "false", NULL};
                lm_options *o = opts_of(kv);
                lm_df *df = NULL;
                lm_status rc = lm_read(s, "csv", data_path(de->d_name), o, NULL, &df);
                if (rc == LM_OK) {
                    lm_rows *rows = NULL;
                    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
                    lm_rows_free(rows);
                    lm_df_free(df);
                } else {
                    /* only FAILFAST may refuse a fixture, with Spark's class */
                    assert_int_equal(m, 2);
                    assert_string_equal(lm_errclass(s),
                                        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
                }
                lm_options_free(o);
            }
        }
    }
    closedir(d);
    assert_true(files >= 25);
    lm_session_close(s);
}

/* ------------------------------------------------- options on text */

static lm_df *read_text(lm_session *s, const char *content, const char *const *kv,
                        const char *ddl, char **dir_out)
{
    char *dir = temp_dir();
    char *f = join_path(dir, "data.csv");
    write_file(f, content, strlen(content));
    lm_df *df = read_ok(s, "csv", f, kv, ddl);
    free(f);
    *dir_out = dir;
    return df;
}

static void done_text(lm_df *df, char *dir)
{
    lm_df_free(df);
    io_remove_tree(dir);
    free(dir);
}

static void test_duplicate_header_names_get_their_index(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s, "a,A,c,A,b,B\n", HEADER, NULL, &dir);
    expect_schema(df, "struct<a0:string,A1:string,c:string,A3:string,b4:string,B5:string>");
    done_text(df, dir);
    assert_int_equal(lm_session_conf_set(s, "spark.sql.caseSensitive", "true"), LM_OK);
    df = read_text(s, "a,a,c,A,b,B\n", HEADER, NULL, &dir);
    expect_schema(df, "struct<a0:string,a1:string,c:string,A:string,b:string,B:string>");
    done_text(df, dir);
    lm_session_close(s);
}

static void test_whitespace_options_when_reading(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const combos[3][5] = {
        {"true", "true", "a|b|c"}, {"false", "true", " a|b| c"}, {"true", "false", "a|b  |c "}};
    for (int i = 0; i < 3; i++) {
        const char *kv[] = {"ignoreLeadingWhiteSpace", combos[i][0], "ignoreTrailingWhiteSpace",
                            combos[i][1], NULL};
        char *dir;
        lm_df *df = read_text(s, " a,b  , c \n", kv, NULL, &dir);
        const char *rows[] = {combos[i][2]};
        expect_rows(df, rows, 1);
        done_text(df, dir);
    }
    lm_session_close(s);
}

static void test_default_line_separators_cr_crlf_lf(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"inferSchema", "true", NULL};
    char *dir;
    lm_df *df = read_text(s, "\"a\",1\r\"c\",2\r\n\"d\",3\n", kv, NULL, &dir);
    expect_schema(df, "struct<_c0:string,_c1:int>");
    static const char *const rows[] = {"a|1", "c|2", "d|3"};
    expect_rows(df, rows, 3);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_custom_line_separator_makes_newlines_data(void **state)
{
    (void)state;
    lm_session *s = open_session();
    for (int ml = 0; ml < 2; ml++) {
        const char *kv[] = {"lineSep", "|", "multiLine", ml ? "true" : "false", NULL};
        char *dir;
        lm_df *df = read_text(s, "\"a\",1|\nc,2|\"\nd\",3", kv, "_c0 string, _c1 bigint", &dir);
        static const char *const rows[] = {"a|1", "\nc|2", "\nd|3"};
        expect_rows(df, rows, 3);
        done_text(df, dir);
    }
    static const char *const empty[] = {"lineSep", "", NULL};
    static const char *const lng[] = {"lineSep", "123", NULL};
    REQUIRE_DATA();
    read_fails(s, "csv", data_path("cars.csv"), empty, NULL);
    read_fails(s, "csv", data_path("cars.csv"), lng, NULL);
    assert_non_null(strstr(lm_errmsg(s), "'lineSep' can contain only 1 character"));
    lm_session_close(s);
}

static void test_multiline_quoted_values_keep_line_breaks(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "multiLine", "true", NULL};
    char *dir;
    lm_df *df = read_text(s,
                          "\"\nstring\",\"integer\n\n\n\",\"long\n\n\",\"bigInteger\",double,"
                          "boolean,null\n"
                          "\"this is a\nsimple\nstring.\",\"\n\n10\",\"\n21474836470\","
                          "\"92233720368547758070\",\"\n\n1.7976931348623157E308\",true,\n",
                          kv, NULL, &dir);
    assert_int_equal(lm_df_num_columns(df), 7);
    assert_string_equal(lm_df_column_name(df, 0), "\nstring");
    assert_string_equal(lm_df_column_name(df, 1), "integer\n\n\n");
    assert_string_equal(lm_df_column_name(df, 2), "long\n\n");
    static const char *const rows[] = {"this is a\nsimple\nstring.|\n\n10|\n21474836470|"
                                       "92233720368547758070|\n\n1.7976931348623157E308|true|NULL"};
    expect_rows(df, rows, 1);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_quote_escapes_and_escape_of_escape(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"quote", "\"", "escape", "\\", "charToEscapeQuoteEscaping",
                                     "#", NULL};
    char *dir;
    lm_df *df = read_text(s, "\"You are \\\"beautiful\\\"\"\n\"Yes, #\\\\\"in the inside\\\"#\\\"\"\n",
                          kv, NULL, &dir);
    static const char *const rows[] = {"You are \"beautiful\"", "Yes, \\\"in the inside\"\\\""};
    expect_rows(df, rows, 2);
    done_text(df, dir);
    /* with escape = quote, a doubled quote is a quote */
    static const char *const dq[] = {"escape", "\"", NULL};
    df = read_text(s, "\"a\"\"b\",\"\"\"c\"\"\"\n", dq, NULL, &dir);
    static const char *const rows2[] = {"a\"b|\"c\""};
    expect_rows(df, rows2, 1);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_stop_at_closing_quote_handling(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "true", "inferSchema", "true",
                                     "unescapedQuoteHandling", "STOP_AT_CLOSING_QUOTE", NULL};
    char *dir;
    lm_df *df = read_text(s, "c1,c2\n\"a,\"\"b,c\"\"\",\"xyz\"\n\"a,b,c\",\"x\"\"yz\"\"\"\n", kv,
                          NULL, &dir);
    static const char *const rows[] = {"a,\"\"b,c\"\"|xyz", "a,b,c|x\"\"yz\"\""};
    expect_rows(df, rows, 2);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_backslash_delimiter(void **state)
{
    (void)state;
    lm_session *s = open_session();
    static const char *const kv[] = {"delimiter", "\\\\", "inferSchema", "true", NULL};
    char *dir;
    lm_df *df = read_text(s, "abc\\1\n", kv, NULL, &dir);
    expect_schema(df, "struct<_c0:string,_c1:int>");
    static const char *const rows[] = {"abc|1"};
    expect_rows(df, rows, 1);
    done_text(df, dir);
    static const char *const bad[] = {"delimiter", "\\", NULL};
    REQUIRE_DATA();
    read_fails(s, "csv", data_path("cars.csv"), bad, NULL);
    assert_non_null(strstr(lm_errmsg(s), "Single backslash is prohibited"));
    lm_session_close(s);
}

static void test_mixed_types_infer_string(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s, "col_mixed_types\n2012\n1997\nTrue\n", HEADER_INFER, NULL, &dir);
    expect_schema(df, "struct<col_mixed_types:string>");
    done_text(df, dir);
    /* a comma is not a decimal separator for inference (SPARK-27512) */
    static const char *const pipe[] = {"delimiter", "|", "inferSchema", "true", NULL};
    df = read_text(s, "1,2\n", pipe, NULL, &dir);
    expect_schema(df, "struct<_c0:string>");
    done_text(df, dir);
    lm_session_close(s);
}

static void test_fewer_tokens_fill_nulls_and_more_are_cut(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s, "1\n", NULL, "a int, b int", &dir);
    static const char *const rows[] = {"1|NULL"};
    expect_rows(df, rows, 1);
    done_text(df, dir);
    df = read_text(s, "1,2\n", NULL, "c0 int", &dir);
    static const char *const rows2[] = {"1"};
    expect_rows(df, rows2, 1);
    done_text(df, dir);
    df = read_text(s, "a\n", NULL, "a string, b string, unparsed string", &dir);
    lm_df_free(df);
    io_remove_tree(dir);
    free(dir);
    static const char *const corrupt[] = {"columnNameOfCorruptRecord", "unparsed", NULL};
    df = read_text(s, "a\n", corrupt, "a string, b string, unparsed string", &dir);
    static const char *const rows3[] = {"a|NULL|a"};
    expect_rows(df, rows3, 1);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_enforce_schema_false_checks_the_header(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "h.csv");
    write_file(f, "f1,f2\n1.0,1234.5\n", 17);
    static const char *const kv[] = {"header", "true", "enforceSchema", "false", NULL};
    read_fails(s, "csv", f, kv, "f2 double, f1 double");
    assert_non_null(strstr(lm_errmsg(s), "CSV header does not conform to the schema.\n Header: "
                                         "f1, f2\n Schema: f2, f1\nExpected: f2 but found: f1"));
    read_fails(s, "csv", f, kv, "f1 double");
    assert_non_null(strstr(lm_errmsg(s), "Header length: 2, schema size: 1"));
    lm_df *df = read_ok(s, "csv", f, kv, "F1 double, f2 double");
    static const char *const rows[] = {"1.0|1234.5"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    /* enforceSchema=true (default): the header is only a warning */
    df = read_ok(s, "csv", f, HEADER, "f2 double, f1 double");
    static const char *const swapped[] = {"1.0|1234.5"};
    expect_rows(df, swapped, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_sampling_ratio_must_be_positive(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const neg[] = {"inferSchema", "true", "samplingRatio", "-1", NULL};
    read_fails(s, "csv", data_path("cars.csv"), neg, NULL);
    assert_non_null(strstr(lm_errmsg(s), "samplingRatio (-1.0) should be greater than 0"));
    static const char *const zero[] = {"inferSchema", "true", "samplingRatio", "0", NULL};
    read_fails(s, "csv", data_path("cars.csv"), zero, NULL);
    assert_non_null(strstr(lm_errmsg(s), "samplingRatio (0.0) should be greater than 0"));
    static const char *const one[] = {"inferSchema", "true", "samplingRatio", "1.0", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), one, NULL);
    assert_int_equal(count_rows(df), 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_boolean_option_must_be_true_or_false(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"header", "yes", NULL};
    read_fails(s, "csv", data_path("cars.csv"), kv, NULL);
    assert_string_equal(lm_errmsg(s), "header flag can be true or false");
    static const char *const q[] = {"quote", "ab", NULL};
    read_fails(s, "csv", data_path("cars.csv"), q, NULL);
    assert_string_equal(lm_errmsg(s), "quote cannot be more than one character");
    lm_session_close(s);
}

static void test_unsupported_column_types_are_rejected(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    read_fails(s, "csv", data_path("cars.csv"), NULL, "a array<int>");
    assert_string_equal(lm_errclass(s), "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE");
    assert_string_equal(lm_errmsg(s), "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource "
                                      "doesn't support the column `a` of the type \"ARRAY<INT>\".");
    lm_session_close(s);
}

static void test_datetime_casts_without_patterns(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s,
                          "d,ts_ltz,ts_ntz\n2021,2021,2021\n2021-01,2021-01 ,2021-01\n 2021-2-1,"
                          "2021-3-02,2021-10-1\n2021-8-18 00:00:00,2021-8-18 21:44:30Z,"
                          "2021-8-18T21:44:30.123\n",
                          HEADER, "d date, ts_ltz timestamp_ltz, ts_ntz timestamp_ntz", &dir);
    static const char *const rows[] = {
        "2021-01-01|2021-01-01 00:00:00|2021-01-01 00:00:00",
        "2021-01-01|2021-01-01 00:00:00|2021-01-01 00:00:00",
        "2021-02-01|2021-03-02 00:00:00|2021-10-01 00:00:00",
        "2021-08-18|2021-08-18 21:44:30|2021-08-18 21:44:30.123",
    };
    expect_rows(df, rows, 4);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_timestamp_ntz_rejects_zoned_values(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s,
                          "2020-12-12T12:12:12.000\n2020-12-12T17:12:12.000Z\n"
                          "2020-12-12T17:12:12.000+05:00\n2020-12-12T12:12:12.000\n",
                          NULL, "col0 TIMESTAMP_NTZ", &dir);
    static const char *const rows[] = {"2020-12-12 12:12:12", "NULL", "NULL",
                                       "2020-12-12 12:12:12"};
    expect_rows(df, rows, 4);
    done_text(df, dir);
    lm_session_close(s);
}

/* ------------------------------------------------------- bad input */

static void test_invalid_utf8_becomes_replacement_characters(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir;
    lm_df *df = read_text(s, "a\xff" "b,\xe2\x82\n", NULL, NULL, &dir);
    static const char *const rows[] = {"a\xEF\xBF\xBD" "b|\xEF\xBF\xBD"};
    expect_rows(df, rows, 1);
    done_text(df, dir);
    lm_session_close(s);
}

static void test_control_bytes_do_not_break_parsing(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "c.csv");
    write_file(f, "\x01\x00\x01" "234\n", 7);
    lm_df *df = read_ok(s, "csv", f, NULL, "a int");
    static const char *const rows[] = {"NULL"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    df = read_ok(s, "csv", f, NULL, "a int, _corrupt_record string");
    lm_rows *rs = NULL;
    assert_int_equal(lm_df_collect(df, &rs), LM_OK);
    assert_true(lm_rows_is_null(rs, 0, 0));
    char *v = lm_rows_render(rs, 0, 1, LM_RENDER_HIVE);
    assert_memory_equal(v, "\x01\x00\x01" "234", 6);
    free(v);
    lm_rows_free(rs);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_huge_line_reads(void **state)
{
    (void)state;
    lm_session *s = open_session();
    size_t n = 4 * 1024 * 1024;
    char *big = malloc(n + 8);
    memset(big, 'x', n);
    memcpy(big + n, ",1\n", 4);
    char *dir;
    lm_df *df = read_text(s, big, NULL, "a string, b int", &dir);
    lm_rows *rs = NULL;
    assert_int_equal(lm_df_collect(df, &rs), LM_OK);
    assert_int_equal(lm_rows_count(rs), 1);
    char *v = lm_rows_render(rs, 0, 0, LM_RENDER_HIVE);
    assert_int_equal(strlen(v), n);
    free(v);
    lm_rows_free(rs);
    done_text(df, dir);
    free(big);
    lm_session_close(s);
}

static void test_too_many_columns_fail_cleanly(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "w.csv");
    write_file(f, "1,2,3,4,5\n", 10);
    static const char *const kv[] = {"maxColumns", "3", NULL};
    read_fails(s, "csv", f, kv, NULL);
    assert_non_null(strstr(lm_errmsg(s), "exceeded limit of 3 columns"));
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_gzip_and_zstd_files_are_decompressed(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    const char *csv = "a,b\n1,x\n2,y\n";
    /* gzip */
    char *gz = join_path(dir, "d.csv.gz");
    gzFile g = gzopen(gz, "wb");
    gzwrite(g, csv, (unsigned)strlen(csv));
    gzclose(g);
    lm_df *df = read_ok(s, "csv", gz, HEADER_INFER, NULL);
    expect_schema(df, "struct<a:int,b:string>");
    static const char *const rows[] = {"1|x", "2|y"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    /* zstd */
    char *zs = join_path(dir, "d.csv.zst");
    char zbuf[256];
    size_t zn = ZSTD_compress(zbuf, sizeof zbuf, csv, strlen(csv), 3);
    write_file(zs, zbuf, zn);
    df = read_ok(s, "csv", zs, HEADER_INFER, NULL);
    expect_rows(df, rows, 2);
    lm_df_free(df);
    /* a truncated gzip file fails as Hadoop's codec does */
    size_t len;
    char *raw = slurp(gz, &len);
    write_file(gz, raw, len / 2);
    read_fails(s, "csv", gz, NULL, NULL);
    assert_non_null(strstr(lm_errmsg(s), "Unexpected end of input stream"));
    free(raw);
    /* garbage with a .zst name */
    write_file(zs, "not zstd", 8);
    read_fails(s, "csv", zs, NULL, NULL);
    io_remove_tree(dir);
    free(gz);
    free(zs);
    free(dir);
    lm_session_close(s);
}

/* Random inputs built from CSV's special characters: every mode and
   layout reads them or fails with a message, never crashes (run under
   valgrind by the memcheck label). */
static void test_random_input_never_crashes(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "fuzz.csv");
    static const char alphabet[] = {',', '"', '\\', '\n', '\r', 'a', '1', ' ', '#', '\'', '\t',
                                    (char)0xff, (char)0xc3, '\0', '-', '.', 'e', ':'};
    uint32_t seed = 12345;
    static const char *const modes[] = {"PERMISSIVE", "DROPMALFORMED", "FAILFAST"};
    for (int round = 0; round < 150; round++) {
        char buf[256];
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % sizeof alphabet];
        }
        write_file(f, buf, n);
        const char *ddl = round % 3 == 0 ? NULL : "a int, b string, c date, _corrupt_record string";
        const char *kv[] = {"mode", modes[round % 3], "multiLine", round & 1 ? "true" : "false",
                            "header", round & 2 ? "true" : "false", "inferSchema",
                            round & 4 ? "true" : "false", "comment", round & 8 ? "#" : "", NULL};
        lm_options *o = opts_of(kv);
        lm_df *df = NULL;
        if (lm_read(s, "csv", f, o, ddl, &df) == LM_OK) {
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

/* ------------------------------------------------------------ paths */

static void test_missing_path_fails_with_path_not_found(void **state)
{
    (void)state;
    lm_session *s = open_session();
    read_fails(s, "csv", "/nonexistent/dir/file.csv", NULL, NULL);
    assert_string_equal(lm_errclass(s), "PATH_NOT_FOUND");
    assert_string_equal(lm_sqlstate(s), "42K03");
    assert_string_equal(lm_errmsg(s),
                        "[PATH_NOT_FOUND] Path does not exist: file:/nonexistent/dir/file.csv.");
    lm_session_close(s);
}

static void test_folders_globs_and_path_lists(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *a = join_path(dir, "a.csv"), *b = join_path(dir, "b.csv");
    char *hidden = join_path(dir, ".hidden.csv"), *under = join_path(dir, "_SUCCESS");
    write_file(a, "1\n2\n3\n", 6);
    write_file(b, "4\n", 2);
    write_file(hidden, "99\n", 3);
    write_file(under, "", 0);
    /* a folder: hidden and _ files skipped, larger files first */
    lm_df *df = read_ok(s, "csv", dir, NULL, "v int");
    static const char *const all[] = {"1", "2", "3", "4"};
    expect_rows(df, all, 4);
    lm_df_free(df);
    /* a glob */
    char glob[1024];
    snprintf(glob, sizeof glob, "%s/[b]*.csv", dir);
    df = read_ok(s, "csv", glob, NULL, "v int");
    static const char *const only_b[] = {"4"};
    expect_rows(df, only_b, 1);
    lm_df_free(df);
    /* comma-separated list, and the array variant */
    char list[2100];
    snprintf(list, sizeof list, "%s,%s", b, a);
    df = read_ok(s, "csv", list, NULL, "v int");
    expect_rows(df, all, 4);
    lm_df_free(df);
    const char *paths[] = {b, a};
    assert_int_equal(lm_read_paths(s, "csv", paths, 2, NULL, "v int", &df), LM_OK);
    expect_rows(df, all, 4);
    lm_df_free(df);
    /* a glob that matches nothing */
    snprintf(glob, sizeof glob, "%s/*.nothing", dir);
    read_fails(s, "csv", glob, NULL, "v int");
    assert_string_equal(lm_errclass(s), "PATH_NOT_FOUND");
    io_remove_tree(dir);
    free(a);
    free(b);
    free(hidden);
    free(under);
    free(dir);
    lm_session_close(s);
}

static void test_no_files_cannot_infer_a_schema(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    read_fails(s, "csv", dir, NULL, NULL);
    assert_string_equal(lm_errclass(s), "UNABLE_TO_INFER_SCHEMA");
    assert_string_equal(lm_errmsg(s), "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. "
                                      "It must be specified manually.");
    lm_df *df = read_ok(s, "csv", dir, NULL, "a int");
    assert_int_equal(count_rows(df), 0);
    lm_df_free(df);
    io_remove_tree(dir);
    free(dir);
    lm_session_close(s);
}

static void test_unknown_format_is_data_source_not_found(void **state)
{
    (void)state;
    lm_session *s = open_session();
    read_fails(s, "xyz", "/tmp", NULL, NULL);
    assert_string_equal(lm_errclass(s), "DATA_SOURCE_NOT_FOUND");
    lm_session_close(s);
}

/* --------------------------------------------------------------- SQL */

static void test_create_temporary_view_using_csv(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE TEMPORARY VIEW carsTable USING csv OPTIONS (path \"%s\", header \"true\", "
             "inferSchema \"true\")",
             data_path("cars.csv"));
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    lm_df_free(df);
    assert_int_equal(lm_sql(s, "SELECT make FROM carsTable WHERE year > 2000 ORDER BY make", &df),
                     LM_OK);
    static const char *const rows[] = {"Chevy", "Tesla"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    /* with a column list for the schema */
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE TEMPORARY VIEW carsTable (yearMade double, makeName string, "
             "modelName string, comments string, blank string) USING csv OPTIONS (path \"%s\", "
             "header \"true\")",
             data_path("cars.csv"));
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    lm_df_free(df);
    assert_int_equal(lm_sql(s, "SELECT * FROM carsTable", &df), LM_OK);
    expect_schema(df, "struct<yearMade:double,makeName:string,modelName:string,comments:string,"
                      "blank:string>");
    assert_int_equal(count_rows(df), 3);
    lm_df_free(df);
    /* an empty file with a schema counts zero rows */
    snprintf(sql, sizeof sql,
             "CREATE TEMPORARY VIEW emptyTable (yearMade double, makeName string) USING csv "
             "OPTIONS (path \"%s\", header \"false\")",
             data_path("empty.csv"));
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    lm_df_free(df);
    assert_int_equal(lm_sql(s, "SELECT * FROM emptyTable", &df), LM_OK);
    assert_int_equal(count_rows(df), 0);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_select_from_csv_path(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT _c0, _c1 FROM csv.`%s` WHERE _c0 = 'year'",
             data_path("cars.csv"));
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    static const char *const rows[] = {"year|make"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    assert_int_not_equal(lm_sql(s, "SELECT * FROM csv.`/no/such/file.csv`", &df), LM_OK);
    assert_string_equal(lm_errclass(s), "PATH_NOT_FOUND");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cars_header_infer_schema_types_year_as_int),
        cmocka_unit_test(test_cars_without_header_names_columns_c0_to_c4),
        cmocka_unit_test(test_cars_old_source_name_reads_as_csv),
        cmocka_unit_test(test_cars_dropmalformed_drops_the_short_row),
        cmocka_unit_test(test_cars_failfast_reports_malformed_record_in_parsing),
        cmocka_unit_test(test_unknown_mode_falls_back_to_permissive),
        cmocka_unit_test(test_cars_multiline_reads_the_same_rows),
        cmocka_unit_test(test_alternative_delimiter_and_quote),
        cmocka_unit_test(test_tab_delimiter_written_as_escape),
        cmocka_unit_test(test_decimal_column_ignores_thousands_separators),
        cmocka_unit_test(test_multi_character_delimiter_comma_space),
        cmocka_unit_test(test_crazy_multi_character_delimiter),
        cmocka_unit_test(test_iso_8859_1_with_thorn_delimiter),
        cmocka_unit_test(test_unknown_charset_fails_with_unsupported_charset),
        cmocka_unit_test(test_crlf_file_reads_in_both_modes),
        cmocka_unit_test(test_blank_header_names_become_c_index),
        cmocka_unit_test(test_empty_value_option_fills_quoted_empty_fields),
        cmocka_unit_test(test_default_empty_values_read_as_null),
        cmocka_unit_test(test_null_value_option),
        cmocka_unit_test(test_extra_tokens_keep_the_leading_fields),
        cmocka_unit_test(test_unbalanced_quotes_with_quoting_off),
        cmocka_unit_test(test_unbalanced_quotes_with_default_quote_never_crash),
        cmocka_unit_test(test_infers_booleans_case_insensitively),
        cmocka_unit_test(test_infers_decimal_only_beyond_long),
        cmocka_unit_test(test_sparse_columns_still_infer_int),
        cmocka_unit_test(test_comment_lines_are_skipped),
        cmocka_unit_test(test_timestamps_inferred_with_custom_pattern),
        cmocka_unit_test(test_dates_read_with_custom_date_format),
        cmocka_unit_test(test_dates_and_timestamps_mixed_infer_timestamp),
        cmocka_unit_test(test_prefer_date_false_infers_timestamps),
        cmocka_unit_test(test_timestamp_format_makes_dates_strings),
        cmocka_unit_test(test_empty_comment_option_disables_comments),
        cmocka_unit_test(test_whitespace_only_and_comment_lines_are_skipped),
        cmocka_unit_test(test_empty_file_gives_empty_schema),
        cmocka_unit_test(test_short_row_dropped_by_dropmalformed),
        cmocka_unit_test(test_numbers_with_special_values_and_dropmalformed),
        cmocka_unit_test(test_nan_and_infinity_option_values),
        cmocka_unit_test(test_unescaped_quotes_are_kept_literally),
        cmocka_unit_test(test_malformed_value_is_null_in_permissive_mode),
        cmocka_unit_test(test_corrupt_record_column_holds_the_line),
        cmocka_unit_test(test_corrupt_record_column_must_be_a_string),
        cmocka_unit_test(test_bad_value_after_good_value_is_not_reused),
        cmocka_unit_test(test_char_csv_reads_two_string_columns),
        cmocka_unit_test(test_failfast_on_a_bad_double_shows_the_partial_row),
        cmocka_unit_test(test_every_csv_fixture_reads_in_every_mode),
        cmocka_unit_test(test_duplicate_header_names_get_their_index),
        cmocka_unit_test(test_whitespace_options_when_reading),
        cmocka_unit_test(test_default_line_separators_cr_crlf_lf),
        cmocka_unit_test(test_custom_line_separator_makes_newlines_data),
        cmocka_unit_test(test_multiline_quoted_values_keep_line_breaks),
        cmocka_unit_test(test_quote_escapes_and_escape_of_escape),
        cmocka_unit_test(test_stop_at_closing_quote_handling),
        cmocka_unit_test(test_backslash_delimiter),
        cmocka_unit_test(test_mixed_types_infer_string),
        cmocka_unit_test(test_fewer_tokens_fill_nulls_and_more_are_cut),
        cmocka_unit_test(test_enforce_schema_false_checks_the_header),
        cmocka_unit_test(test_sampling_ratio_must_be_positive),
        cmocka_unit_test(test_boolean_option_must_be_true_or_false),
        cmocka_unit_test(test_unsupported_column_types_are_rejected),
        cmocka_unit_test(test_datetime_casts_without_patterns),
        cmocka_unit_test(test_timestamp_ntz_rejects_zoned_values),
        cmocka_unit_test(test_invalid_utf8_becomes_replacement_characters),
        cmocka_unit_test(test_control_bytes_do_not_break_parsing),
        cmocka_unit_test(test_huge_line_reads),
        cmocka_unit_test(test_too_many_columns_fail_cleanly),
        cmocka_unit_test(test_gzip_and_zstd_files_are_decompressed),
        cmocka_unit_test(test_random_input_never_crashes),
        cmocka_unit_test(test_missing_path_fails_with_path_not_found),
        cmocka_unit_test(test_folders_globs_and_path_lists),
        cmocka_unit_test(test_no_files_cannot_infer_a_schema),
        cmocka_unit_test(test_unknown_format_is_data_source_not_found),
        cmocka_unit_test(test_create_temporary_view_using_csv),
        cmocka_unit_test(test_select_from_csv_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
