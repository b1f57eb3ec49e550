/*
 * Specification of the string functions on BINARY arguments through SQL:
 * which overload Spark 3.5 picks (btrim, lpad/rpad, concat / ||, elt under
 * spark.sql.function.concatBinaryAsString / eltOutputAsString), the
 * generated column names, and to_binary / try_to_binary with their formats.
 * Expected values are Spark's (string-functions.sql.out,
 * try-string-functions.sql.out, typeCoercion/native/concat.sql.out and
 * elt.sql.out).
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

/* ------------------------------------------------------------- btrim */

static void test_btrim_of_binary_is_a_string(void **state)
{
    sqlc_check(*state, "SELECT btrim(encode(' xyz ', 'utf-8'))",
               "struct<btrim(encode( xyz , utf-8)):string>", "xyz");
    sqlc_check(*state, "SELECT btrim(encode('yxTomxx', 'utf-8'), encode('xyz', 'utf-8'))",
               "struct<btrim(encode(yxTomxx, utf-8), encode(xyz, utf-8)):string>", "Tom");
}

/* ---------------------------------------------------------- lpad/rpad */

static void test_binary_pad_defaults_to_a_zero_byte_named_x00(void **state)
{
    sqlc_check(*state, "SELECT hex(lpad(unhex('aabb'), 5))",
               "struct<hex(lpad(unhex(aabb), 5, X'00')):string>", "000000AABB");
    sqlc_check(*state, "SELECT hex(rpad(unhex('aabb'), 5))",
               "struct<hex(rpad(unhex(aabb), 5, X'00')):string>", "AABB000000");
    sqlc_check(*state, "SELECT hex(lpad(unhex(''), 5)), hex(lpad(unhex('aabbcc'), 2))", NULL,
               "0000000000\tAABB");
}

static void test_binary_pad_with_a_binary_pad_stays_binary(void **state)
{
    sqlc_check(*state, "SELECT hex(lpad(unhex('aabbcc'), 5, unhex('1020')))",
               "struct<hex(lpad(unhex(aabbcc), 5, unhex(1020))):string>", "1020AABBCC");
    sqlc_check(*state, "SELECT typeof(rpad(unhex('aa'), 3, 'x'))", NULL, "string");
}

static void test_string_pad_defaults_to_a_space(void **state)
{
    sqlc_check(*state, "SELECT lpad('hi', 5)", "struct<lpad(hi, 5,  ):string>", "   hi");
}

/* -------------------------------------------------------- concat / elt */

static void test_concat_of_binaries_is_binary_unless_configured(void **state)
{
    lm_session *s = *state;
    sqlc_check(s, "SELECT typeof(x'61' || x'62'), typeof(concat(x'61', 'b'))", NULL,
               "binary\tstring");
    /* a NULL argument is not a binary one */
    sqlc_check(s, "SELECT typeof(concat(x'61', NULL))", NULL, "string");
    sqlc_exec(s, "SET spark.sql.function.concatBinaryAsString=true");
    sqlc_check(s,
               "SELECT (col1 || col2) col FROM (SELECT encode(string(id), 'utf-8') col1, "
               "encode(string(id + 1), 'utf-8') col2 FROM range(2))",
               "struct<col:string>", "01\n12");
    sqlc_exec(s, "SET spark.sql.function.concatBinaryAsString=false");
    sqlc_check(s, "SELECT typeof(x'61' || x'62')", NULL, "binary");
}

static void test_elt_of_binaries_is_binary_unless_configured(void **state)
{
    lm_session *s = *state;
    sqlc_check(s, "SELECT typeof(elt(1, x'61', x'62')), typeof(elt(1, x'61', 'b'))", NULL,
               "binary\tstring");
    sqlc_exec(s, "SET spark.sql.function.eltOutputAsString=true");
    sqlc_check(s, "SELECT elt(2, encode('a', 'utf-8'), encode('b', 'utf-8')) col",
               "struct<col:string>", "b");
    sqlc_exec(s, "SET spark.sql.function.eltOutputAsString=false");
}

/* ---------------------------------------------------------- to_binary */

static void test_to_binary_names_only_the_written_arguments(void **state)
{
    sqlc_check(*state, "select to_binary('FF'), try_to_binary('')",
               "struct<to_binary(FF):binary,try_to_binary():binary>", "\xef\xbf\xbd\t");
    sqlc_check(*state, "select hex(to_binary('737472696E67', 'hex'))",
               "struct<hex(to_binary(737472696E67, hex)):string>", "737472696E67");
}

static void test_to_binary_hex_takes_a_leading_zero_nibble(void **state)
{
    sqlc_check(*state, "select hex(to_binary('123')), hex(to_binary('12345'))", NULL,
               "0123\t012345");
    sqlc_fails(*state, "select to_binary('GG')", "CONVERSION_INVALID_INPUT");
    sqlc_check(*state, "select try_to_binary('GG'), try_to_binary('01 AF', 'hex')", NULL,
               "NULL\tNULL");
}

static void test_to_binary_base64_follows_rfc4648_with_whitespace(void **state)
{
    sqlc_check(*state,
               "select hex(to_binary('', 'base64')), hex(to_binary('  ', 'base64')), "
               "hex(to_binary(' ab cd ', 'base64')), hex(to_binary(' ab c=', 'base64'))",
               NULL, "\t\t69B71D\t69B7");
    /* the two '=' of a padded group must be adjacent */
    sqlc_fails(*state, "select to_binary(' ab cdef= = ', 'base64')", "CONVERSION_INVALID_INPUT");
    sqlc_fails(*state, "select to_binary('a', 'base64')", "CONVERSION_INVALID_INPUT");
    sqlc_fails(*state, "select to_binary('abcd=', 'base64')", "CONVERSION_INVALID_INPUT");
    sqlc_fails(*state, "select to_binary('ab==f', 'base64')", "CONVERSION_INVALID_INPUT");
    sqlc_check(*state, "select try_to_binary('a?', 'base64'), hex(to_binary('ab==', 'base64'))",
               NULL, "NULL\t69");
}

static void test_to_binary_folds_a_foldable_format(void **state)
{
    sqlc_check(*state, "select to_binary('abc', concat('utf', '-8'))",
               "struct<to_binary(abc, concat(utf, -8)):binary>", "abc");
    sqlc_fails(*state, "select to_binary(' ab cdef= = ', substr('base64whynot', 0, 6))",
               "CONVERSION_INVALID_INPUT");
    sqlc_check(*state, "select try_to_binary(' ab cdef= = ', replace('HEX0', '0'))",
               "struct<try_to_binary( ab cdef= = , replace(HEX0, 0, )):binary>", "NULL");
    sqlc_fails(*state, "SELECT to_binary('abc', f) FROM VALUES ('hex') t(f)",
               "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
}

static void test_to_binary_format_values(void **state)
{
    sqlc_check(*state, "select to_binary('abc', 'Hex') is null, to_binary('abc', null)", NULL,
               "false\tNULL");
    sqlc_fails(*state, "select to_binary('abc', 'invalidFormat')",
               "DATATYPE_MISMATCH.INVALID_ARG_VALUE");
    sqlc_fails(*state, "select to_binary('abc', 1)", "DATATYPE_MISMATCH.INVALID_ARG_VALUE");
    sqlc_check(*state, "select try_to_binary('abc', 'invalidFormat'), try_to_binary('abc', 1)",
               NULL, "NULL\tNULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_btrim_of_binary_is_a_string),
        cmocka_unit_test(test_binary_pad_defaults_to_a_zero_byte_named_x00),
        cmocka_unit_test(test_binary_pad_with_a_binary_pad_stays_binary),
        cmocka_unit_test(test_string_pad_defaults_to_a_space),
        cmocka_unit_test(test_concat_of_binaries_is_binary_unless_configured),
        cmocka_unit_test(test_elt_of_binaries_is_binary_unless_configured),
        cmocka_unit_test(test_to_binary_names_only_the_written_arguments),
        cmocka_unit_test(test_to_binary_hex_takes_a_leading_zero_nibble),
        cmocka_unit_test(test_to_binary_base64_follows_rfc4648_with_whitespace),
        cmocka_unit_test(test_to_binary_folds_a_foldable_format),
        cmocka_unit_test(test_to_binary_format_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
