/*
 * How the conformance runner judges a statement: row order, trailing
 * whitespace, JDK double text, schema types vs names, error classes
 * (shared/conformance/README.md sections 3.2, 3.4 and quirks 1, 2, 6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conformance/compare.h"

static void test_utf16_order_puts_supplementary_chars_before_fffd(void **state)
{
    (void)state;
    /* U+1F600 is the surrogate pair D83D DE00, below U+FFFD in UTF-16
       although above it as a code point (and in UTF-8 bytes). */
    assert_true(compare_utf16("\xF0\x9F\x98\x80", "\xEF\xBF\xBD") < 0);
    assert_true(strcmp("\xF0\x9F\x98\x80", "\xEF\xBF\xBD") > 0);
    assert_true(compare_utf16("a", "ab") < 0);
    assert_true(compare_utf16("B", "a") < 0);
    assert_int_equal(compare_utf16("x\ty", "x\ty"), 0);
}

static void test_unsorted_rows_are_sorted_as_text(void **state)
{
    (void)state;
    const char *rows[] = {"9", "NULL", "10", "-5", "Z", "a", "M"};
    char *out = compare_render_output(rows, 7, false);
    /* "-5" before "10" before "9"; NULL between M and O, before lower case */
    assert_string_equal(out, "-5\n10\n9\nM\nNULL\nZ\na");
    free(out);
}

static void test_sorted_rows_keep_engine_order(void **state)
{
    (void)state;
    const char *rows[] = {"2", "1"};
    char *out = compare_render_output(rows, 2, true);
    assert_string_equal(out, "2\n1");
    free(out);
}

static void test_trailing_whitespace_of_the_block_is_removed(void **state)
{
    (void)state;
    const char *rows[] = {"a\t", "b\t\t"};
    char *out = compare_render_output(rows, 2, true);
    assert_string_equal(out, "a\t\nb");
    free(out);
    const char *empty[] = {""};
    out = compare_render_output(empty, 1, false);
    assert_string_equal(out, "");
    free(out);
}

static void test_long_jdk_double_text_equals_shortest_form(void **state)
{
    (void)state;
    assert_true(compare_output_equal("4.6116860184273879E18", "4.611686018427388E18"));
    assert_true(compare_output_equal("1\t[-4.6566128730773926E-10,2.0]",
                                     "1\t[-4.656612873077393E-10,2.0]"));
    assert_true(compare_output_equal("0.30000000000000004", "0.30000000000000004"));
}

static void test_other_numeric_differences_still_fail(void **state)
{
    (void)state;
    assert_false(compare_output_equal("0.1", "0.2"));
    assert_false(compare_output_equal("30.90", "30.9"));      /* decimal scale */
    assert_false(compare_output_equal("1", "1.0"));           /* int vs double */
    assert_false(compare_output_equal("1.0E10", "1.0E10\n")); /* extra row */
    assert_false(compare_output_equal("[1.0,2.0]", "[1.0;2.0]"));
}

static void test_same_lines_ignores_order(void **state)
{
    (void)state;
    assert_true(compare_same_lines("1\tb\n2\ta", "2\ta\n1\tb"));
    assert_false(compare_same_lines("1\n1\n2", "1\n2\n2"));
}

static void test_schema_types_are_read_despite_odd_names(void **state)
{
    (void)state;
    char **t = compare_schema_types("struct<to_binary(, base64):binary,count(1):bigint,"
                                    "m:map<int,struct<a:int,b:array<string>>>,"
                                    "x:interval day to second,d:decimal(38,17)>",
                                    5);
    assert_non_null(t);
    assert_string_equal(t[0], "binary");
    assert_string_equal(t[1], "bigint");
    assert_string_equal(t[2], "map<int,struct<a:int,b:array<string>>>");
    assert_string_equal(t[3], "interval day to second");
    assert_string_equal(t[4], "decimal(38,17)");
    compare_types_free(t, 5);
    /* a name may swallow what looks like a column: the count decides */
    t = compare_schema_types("struct<a:int,b:int>", 1);
    assert_non_null(t);
    assert_string_equal(t[0], "int");
    compare_types_free(t, 1);
    assert_null(compare_schema_types("struct<a:int,b:int>", 3));
    assert_null(compare_schema_types("struct<a:integer>", 1));
    t = compare_schema_types("struct<>", 0);
    assert_non_null(t);
    compare_types_free(t, 0);
}

static void test_schemas_differ_by_names_or_by_types(void **state)
{
    (void)state;
    assert_int_equal(compare_schemas("struct<a:int>", "struct<a:int>", 1), COMPARE_SCHEMA_EQUAL);
    assert_int_equal(compare_schemas("struct<(a + 1):int>", "struct<(a+1):int>", 1),
                     COMPARE_SCHEMA_NAMES);
    assert_int_equal(compare_schemas("struct<a:bigint>", "struct<a:int>", 1), COMPARE_SCHEMA_TYPES);
    assert_int_equal(compare_schemas("struct<a:int,b:int>", "struct<a:int>", 1),
                     COMPARE_SCHEMA_TYPES);
}

/* ------------------------------------------------------ whole statements */

static golden_block block(const char *schema, const char *output)
{
    golden_block b = {
        .sql = (char *)"SELECT ...", .schema = (char *)schema, .output = (char *)output};
    return b;
}

static compare_actual success(const char *schema, int ncols, const char *const *rows, size_t n,
                              bool sorted)
{
    compare_actual a = {
        .schema = schema, .ncols = ncols, .rows = rows, .nrows = n, .sorted = sorted};
    return a;
}

static void test_statement_passes_with_same_schema_and_sorted_text(void **state)
{
    (void)state;
    golden_block b = block("struct<k:int,v:string>", "1\ta\n2\tb");
    const char *rows[] = {"2\tb", "1\ta"};
    compare_actual a = success("struct<k:int,v:string>", 2, rows, 2, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_PASS);
}

static void test_statement_in_wrong_order_is_order_only(void **state)
{
    (void)state;
    golden_block b = block("struct<k:int>", "2\n1");
    const char *rows[] = {"1", "2"};
    compare_actual a = success("struct<k:int>", 1, rows, 2, true);
    assert_int_equal(compare_statement(&b, &a), COMPARE_ORDER_ONLY);
}

static void test_statement_with_wrong_values_fails_rows(void **state)
{
    (void)state;
    golden_block b = block("struct<k:int>", "1\n2");
    const char *rows[] = {"1", "3"};
    compare_actual a = success("struct<k:int>", 1, rows, 2, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_FAIL_ROWS);
}

static void test_statement_with_wrong_type_fails_schema_types(void **state)
{
    (void)state;
    golden_block b = block("struct<k:bigint>", "1");
    const char *rows[] = {"1"};
    compare_actual a = success("struct<k:int>", 1, rows, 1, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_FAIL_SCHEMA_TYPES);
}

static void test_statement_right_but_for_a_name_fails_schema_names(void **state)
{
    (void)state;
    golden_block b = block("struct<sum(k):bigint>", "5050");
    const char *rows[] = {"5050"};
    compare_actual a = success("struct<SUM(k):bigint>", 1, rows, 1, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_FAIL_SCHEMA_NAMES);
    const char *wrong[] = {"5051"};
    a = success("struct<SUM(k):bigint>", 1, wrong, 1, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_FAIL_ROWS);
}

static void test_command_with_no_output_passes(void **state)
{
    (void)state;
    golden_block b = block("struct<>", "");
    compare_actual a = success("struct<>", 0, NULL, 0, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_PASS);
}

static const char parse_error_output[] = "org.apache.spark.sql.catalyst.parser.ParseException\n"
                                         "{\n"
                                         "  \"errorClass\" : \"PARSE_SYNTAX_ERROR\",\n"
                                         "  \"sqlState\" : \"42601\"\n"
                                         "}";

static void test_errors_compare_by_error_class(void **state)
{
    (void)state;
    golden_block b = block("struct<>", parse_error_output);
    compare_actual a = {.failed = true,
                        .error_class = "PARSE_SYNTAX_ERROR",
                        .exception = "org.apache.spark.sql.AnalysisException"};
    assert_int_equal(compare_statement(&b, &a), COMPARE_PASS);
    a.error_class = "UNRESOLVED_COLUMN.WITH_SUGGESTION";
    assert_int_equal(compare_statement(&b, &a), COMPARE_WRONG_ERROR_CLASS);
    a.error_class = NULL;
    assert_int_equal(compare_statement(&b, &a), COMPARE_WRONG_ERROR_CLASS);
}

static void test_plain_errors_compare_by_exception_kind(void **state)
{
    (void)state;
    golden_block b = block("struct<>", "java.lang.RuntimeException\n'false' is not true!");
    compare_actual a = {.failed = true, .exception = "java.lang.RuntimeException"};
    assert_int_equal(compare_statement(&b, &a), COMPARE_PASS);
    a.exception = "org.apache.spark.SparkRuntimeException";
    assert_int_equal(compare_statement(&b, &a), COMPARE_WRONG_ERROR_CLASS);
}

static void test_success_where_spark_failed_is_expected_error(void **state)
{
    (void)state;
    golden_block b = block("struct<>", parse_error_output);
    const char *rows[] = {"1"};
    compare_actual a = success("struct<a:int>", 1, rows, 1, false);
    assert_int_equal(compare_statement(&b, &a), COMPARE_EXPECTED_ERROR);
}

static void test_failure_where_spark_succeeded_is_unexpected_error(void **state)
{
    (void)state;
    golden_block b = block("struct<a:int>", "1");
    compare_actual a = {.failed = true, .error_class = "UNSUPPORTED_FEATURE"};
    assert_int_equal(compare_statement(&b, &a), COMPARE_UNEXPECTED_ERROR);
}

static void test_result_names_are_the_report_spellings(void **state)
{
    (void)state;
    assert_string_equal(compare_result_name(COMPARE_PASS), "pass");
    assert_string_equal(compare_result_name(COMPARE_EXPECTED_ERROR),
                        "expected-error-but-succeeded");
    assert_string_equal(compare_result_name(COMPARE_FAIL_SCHEMA_NAMES), "fail-schema-names");
    assert_string_equal(compare_result_name(COMPARE__COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16_order_puts_supplementary_chars_before_fffd),
        cmocka_unit_test(test_unsorted_rows_are_sorted_as_text),
        cmocka_unit_test(test_sorted_rows_keep_engine_order),
        cmocka_unit_test(test_trailing_whitespace_of_the_block_is_removed),
        cmocka_unit_test(test_long_jdk_double_text_equals_shortest_form),
        cmocka_unit_test(test_other_numeric_differences_still_fail),
        cmocka_unit_test(test_same_lines_ignores_order),
        cmocka_unit_test(test_schema_types_are_read_despite_odd_names),
        cmocka_unit_test(test_schemas_differ_by_names_or_by_types),
        cmocka_unit_test(test_statement_passes_with_same_schema_and_sorted_text),
        cmocka_unit_test(test_statement_in_wrong_order_is_order_only),
        cmocka_unit_test(test_statement_with_wrong_values_fails_rows),
        cmocka_unit_test(test_statement_with_wrong_type_fails_schema_types),
        cmocka_unit_test(test_statement_right_but_for_a_name_fails_schema_names),
        cmocka_unit_test(test_command_with_no_output_passes),
        cmocka_unit_test(test_errors_compare_by_error_class),
        cmocka_unit_test(test_plain_errors_compare_by_exception_kind),
        cmocka_unit_test(test_success_where_spark_failed_is_expected_error),
        cmocka_unit_test(test_failure_where_spark_succeeded_is_unexpected_error),
        cmocka_unit_test(test_result_names_are_the_report_spellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
