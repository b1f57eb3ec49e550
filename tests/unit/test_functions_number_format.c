/*
 * Specification of the number-format functions through SQL: to_number,
 * try_to_number, to_char and to_varchar with Spark 3.5's format patterns,
 * result types, generated column names and errors. Expected values are
 * Spark's (its function documentation and string-functions.sql.out).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"

static int setup(void **state)
{
    *state = sqlc_open();
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ---------------------------------------------------------- to_number */

static void test_to_number_type_is_decimal_of_the_format_digits(void **state)
{
    sqlc_check(*state, "select to_number('454', '000')", "struct<to_number(454, 000):decimal(3,0)>",
               "454");
    sqlc_check(*state, "select to_number('454.2', '000.0')",
               "struct<to_number(454.2, 000.0):decimal(4,1)>", "454.2");
    sqlc_check(*state, "select to_number('454.00', '000.00')",
               "struct<to_number(454.00, 000.00):decimal(5,2)>", "454.00");
    sqlc_check(*state, "select to_number('12,454', '00,000')",
               "struct<to_number(12,454, 00,000):decimal(5,0)>", "12454");
}

static void test_to_number_reads_signs_currency_and_brackets(void **state)
{
    sqlc_check(*state, "select to_number('$78.12', '$00.00')",
               "struct<to_number($78.12, $00.00):decimal(4,2)>", "78.12");
    sqlc_check(*state, "select to_number('+454', 'S000'), to_number('-454', 'S000')", NULL,
               "454\t-454");
    sqlc_check(*state, "select to_number('12,454.8-', '00,000.9MI')",
               "struct<to_number(12,454.8-, 00,000.9MI):decimal(6,1)>", "-12454.8");
    sqlc_check(*state, "select to_number('00,454.8-', '00,000.9MI')", NULL, "-454.8");
    sqlc_check(*state, "select to_number('<00,454.8>', '00,000.9PR')",
               "struct<to_number(<00,454.8>, 00,000.9PR):decimal(6,1)>", "-454.8");
    sqlc_check(*state, "select to_number('12,454.8-', '99,999.9S')", NULL, "-12454.8");
}

static void test_to_number_nines_allow_fewer_digits_zeros_exactly_as_many(void **state)
{
    sqlc_check(*state, "select to_number('454', '999'), to_number('4', '999')", NULL, "454\t4");
    sqlc_check(*state, "select to_number('.01', '99.99'), to_number('5', '9.99')", NULL,
               "0.01\t5.00");
    sqlc_fails(*state, "select to_number('4', '000')", "INVALID_FORMAT.MISMATCH_INPUT");
    sqlc_fails(*state, "select to_number('4541', '999')", "INVALID_FORMAT.MISMATCH_INPUT");
}

static void test_to_number_format_is_case_insensitive_and_skips_whitespace(void **state)
{
    sqlc_check(*state, "select to_number('1,234.5', '9g999d9'), to_number(' 4 5 4 ', '999')",
               NULL, "1234.5\t454");
}

static void test_to_number_mismatch_is_an_error_and_try_gives_null(void **state)
{
    sqlc_fails(*state, "select to_number('-454', '999')", "INVALID_FORMAT.MISMATCH_INPUT");
    sqlc_fails(*state, "select to_number('454', '$999')", "INVALID_FORMAT.MISMATCH_INPUT");
    sqlc_check(*state, "select try_to_number('-454', '999'), try_to_number('454', '999')",
               "struct<try_to_number(-454, 999):decimal(3,0),"
               "try_to_number(454, 999):decimal(3,0)>",
               "NULL\t454");
}

static void test_to_number_of_a_null_format_is_a_null_decimal(void **state)
{
    sqlc_check(*state, "select to_number('1', null)", "struct<to_number(1, NULL):decimal(10,0)>",
               "NULL");
    sqlc_check(*state, "select to_number(null, '999')", "struct<to_number(NULL, 999):decimal(3,0)>",
               "NULL");
}

static void test_invalid_formats_are_analysis_errors(void **state)
{
    sqlc_fails(*state, "select to_number('1', '')", "INVALID_FORMAT.EMPTY");
    sqlc_fails(*state, "select to_number('1', '$')", "INVALID_FORMAT.WRONG_NUM_DIGIT");
    sqlc_fails(*state, "select to_number('1', '9$')", "INVALID_FORMAT.CUR_MUST_BEFORE_DIGIT");
    sqlc_fails(*state, "select to_number('1', '9,,9')", "INVALID_FORMAT.CONT_THOUSANDS_SEPS");
    sqlc_fails(*state, "select to_number('1', ',99')", "INVALID_FORMAT.CONT_THOUSANDS_SEPS");
    sqlc_fails(*state, "select to_number('1', '9.9,9')",
               "INVALID_FORMAT.THOUSANDS_SEPS_MUST_BEFORE_DEC");
    sqlc_fails(*state, "select to_number('1', '9.9.9')", "INVALID_FORMAT.WRONG_NUM_TOKEN");
    sqlc_fails(*state, "select to_number('1', 'S9S')", "INVALID_FORMAT.WRONG_NUM_TOKEN");
    sqlc_fails(*state, "select to_number('1', '9X')", "INVALID_FORMAT.UNEXPECTED_TOKEN");
    sqlc_fails(*state, "select to_number('1', '9S9')", "INVALID_FORMAT.UNEXPECTED_TOKEN");
    sqlc_check(*state, "select to_number('-1+', 'MI9S')", NULL, "-1");
}

static void test_format_must_be_foldable(void **state)
{
    sqlc_check(*state, "select to_number('45', concat('9', '9'))",
               "struct<to_number(45, concat(9, 9)):decimal(2,0)>", "45");
    sqlc_fails(*state, "select to_number('45', f) from values ('99') t(f)",
               "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
    sqlc_fails(*state, "select to_char(45, f) from values ('99') t(f)",
               "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
}

/* ------------------------------------------------------------ to_char */

static void test_to_char_documentation_examples(void **state)
{
    sqlc_check(*state,
               "select to_char(454, '999'), to_char(454.00, '000D00'), to_char(12454, '99G999'), "
               "to_char(78.12, '$99.99'), to_char(-12454.8, '99G999D9S')",
               "struct<to_char(454, 999):string,to_char(454.00, 000D00):string,"
               "to_char(12454, 99G999):string,to_char(78.12, $99.99):string,"
               "to_char(-12454.8, 99G999D9S):string>",
               "454\t454.00\t12,454\t$78.12\t12,454.8-");
}

static void test_to_char_pads_with_zeros_or_spaces(void **state)
{
    sqlc_check(*state,
               "select to_char(454, '0000'), to_char(454, '9999'), to_char(4, '0.00'), "
               "to_char(0.4542, '.0000'), to_char(454, '99,999')",
               NULL, "0454\t 454\t4.00\t.4542\t   454");
}

static void test_to_char_places_signs_next_to_the_digits(void **state)
{
    sqlc_check(*state,
               "select to_char(-454, 'S9999'), to_char(454, 'S9999'), to_char(-454, '9999MI'), "
               "to_char(454, '9999MI'), to_char(12454.8, '99,999.9S')",
               NULL, " -454\t +454\t 454-\t 454 \t12,454.8+");
    sqlc_check(*state, "select to_char(-454, '9999PR'), to_char(454, '9999PR')", NULL,
               " <454>\t 454  ");
}

static void test_to_char_overflow_prints_hashes(void **state)
{
    sqlc_check(*state, "select to_char(123456, '999'), to_char(1.25, '9.9')", NULL, "###\t#.#");
}

static void test_to_varchar_is_to_char(void **state)
{
    sqlc_check(*state, "select to_varchar(12454, '99G999')",
               "struct<to_char(12454, 99G999):string>", "12,454");
}

static void test_to_char_of_datetime_is_date_format(void **state)
{
    sqlc_check(*state, "select to_char(date'2016-04-08', 'y')",
               "struct<date_format(DATE '2016-04-08', y):string>", "2016");
}

static void test_to_char_of_binary_encodes_it(void **state)
{
    sqlc_check(*state,
               "select to_char(x'537061726b2053514c', 'base64'), "
               "to_char(x'537061726b2053514c', 'hex'), to_char(encode('abc', 'utf-8'), 'utf-8')",
               "struct<base64(X'537061726B2053514C'):string,hex(X'537061726B2053514C'):string,"
               "decode(encode(abc, utf-8), utf-8):string>",
               "U3BhcmsgU1FM\t537061726B2053514C\tabc");
    sqlc_fails(*state, "select to_char(x'00', 'octal')", "INVALID_PARAMETER_VALUE.BINARY_FORMAT");
    sqlc_fails(*state, "select to_char(x'00', f) from values ('hex') t(f)",
               "NON_FOLDABLE_ARGUMENT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_number_type_is_decimal_of_the_format_digits),
        cmocka_unit_test(test_to_number_reads_signs_currency_and_brackets),
        cmocka_unit_test(test_to_number_nines_allow_fewer_digits_zeros_exactly_as_many),
        cmocka_unit_test(test_to_number_format_is_case_insensitive_and_skips_whitespace),
        cmocka_unit_test(test_to_number_mismatch_is_an_error_and_try_gives_null),
        cmocka_unit_test(test_to_number_of_a_null_format_is_a_null_decimal),
        cmocka_unit_test(test_invalid_formats_are_analysis_errors),
        cmocka_unit_test(test_format_must_be_foldable),
        cmocka_unit_test(test_to_char_documentation_examples),
        cmocka_unit_test(test_to_char_pads_with_zeros_or_spaces),
        cmocka_unit_test(test_to_char_places_signs_next_to_the_digits),
        cmocka_unit_test(test_to_char_overflow_prints_hashes),
        cmocka_unit_test(test_to_varchar_is_to_char),
        cmocka_unit_test(test_to_char_of_datetime_is_date_format),
        cmocka_unit_test(test_to_char_of_binary_encodes_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
