/*
 * Specification of the string functions (functions/string.c) through
 * lm_sql: the examples of Spark's function documentation, Java's rules
 * where Spark defers to them (case mapping, charsets, java.util.Formatter,
 * java.net.URI), and the analysis errors Spark 3.5 raises for bad
 * arguments. Binary results are compared through hex().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

static int setup(void **state)
{
    *state = fixture_session();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ---------------------------------------------------------- concat */

static void test_concat_ws_skips_nulls_and_flattens_arrays(void **state)
{
    assert_rows(*state,
                "SELECT concat_ws(' ', 'Spark', 'SQL'), concat_ws('s'), "
                "concat_ws('/', 'foo', null, 'bar'), concat_ws(',', array('a', 'b'), 'c'), "
                "concat_ws(NULL, 'a')",
                "Spark SQL\t\tfoo/bar\ta,b,c\tNULL");
}

static void test_concat_ws_casts_array_elements_to_string(void **state)
{
    assert_rows(*state,
                "SELECT concat_ws(',', array(1, 2), 3), concat_ws('-', array('x', NULL, 'y'))",
                "1,2,3\tx-y");
}

static void test_concat_of_arrays_widens_the_element_type(void **state)
{
    assert_rows(*state, "SELECT concat(1, 'a'), concat(array(1), array(2))", "1a\t[1,2]");
    assert_schema(*state, "SELECT concat(array(1), array('a'))",
                  "struct<concat(array(1), array(a)):array<string>>");
}

static void test_concat_of_a_string_and_an_array_is_data_diff_types(void **state)
{
    /* each child is an allowed type, but they differ */
    assert_rows(*state, "SELECT concat('a', array(1))", "ERROR DATATYPE_MISMATCH.DATA_DIFF_TYPES");
    assert_rows(*state, "SELECT concat(array(1), array(array(1)))",
                "ERROR DATATYPE_MISMATCH.DATA_DIFF_TYPES");
}

static void test_concat_of_a_map_is_an_unexpected_input_type(void **state)
{
    lm_session *s = *state;
    assert_rows(s, "SELECT concat(array(1), map(1, 2))",
                "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    bool found = false;
    for (int i = 0; lm_errparam(s, i, &name, &value); i++)
        if (strcmp(name, "paramIndex") == 0) {
            assert_string_equal(value, "2");
            found = true;
        }
    assert_true(found);
}

/* ---------------------------------------------------------- lengths, case */

static void test_lengths_count_characters_bytes_and_bits(void **state)
{
    assert_rows(*state,
                "SELECT length('Spark SQL '), length(x'537061726b2053514c'), "
                "char_length('Spark SQL '), octet_length('Spark SQL'), bit_length('Spark SQL'), "
                "octet_length(x'0102'), bit_length(x'0102'), len('\xC3\xA9')",
                "10\t9\t10\t9\t72\t2\t16\t1");
}

static void test_upper_and_lower_map_latin_greek_and_cyrillic_letters(void **state)
{
    assert_rows(*state,
                "SELECT upper('\xC3\xA0\xC3\xA9\xC3\xAE\xC3\xBF'), lower('\xC3\x80\xC3\x89\xC3\x8E'), "
                "upper('\xCF\x89\xCF\x83\xCF\x82'), upper('\xD0\xBF\xD1\x80\xD0\xB8'), "
                "lower('\xD0\x81\xD0\x96')",
                /* ÀÉÎŸ àéî ΩΣΣ ПРИ ёж */
                "\xC3\x80\xC3\x89\xC3\x8E\xC5\xB8\t\xC3\xA0\xC3\xA9\xC3\xAE\t"
                "\xCE\xA9\xCE\xA3\xCE\xA3\t\xD0\x9F\xD0\xA0\xD0\x98\t\xD1\x91\xD0\xB6");
}

static void test_latin_extended_a_pairs_capitals_on_even_or_odd_code_points(void **state)
{
    /* U+0100..U+0137 put the capital first on even code points (Ā ā);
       U+0139..U+0148 and U+0179..U+017E on odd ones (Ĺ ĺ, Ź ź). */
    assert_rows(*state,
                "SELECT upper('\xC4\x81\xC4\xBA\xC5\xBA'), lower('\xC4\x80\xC4\xB9\xC5\xB9\xC5\xB8')",
                "\xC4\x80\xC4\xB9\xC5\xB9\t\xC4\x81\xC4\xBA\xC5\xBA\xC3\xBF");
}

static void test_lower_of_a_word_final_capital_sigma_is_final_sigma(void **state)
{
    /* Java's String.toLowerCase: ΣΑΣ ΟΔΟΣ -> σας οδος */
    assert_rows(*state,
                "SELECT lower('\xCE\xA3\xCE\x91\xCE\xA3 \xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3'), "
                "lower('\xCE\xA3')",
                "\xCF\x83\xCE\xB1\xCF\x82 \xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82\t\xCF\x83");
}

static void test_upper_of_micro_sign_long_s_and_dotless_i(void **state)
{
    /* µ ſ ı -> Μ S I */
    assert_rows(*state, "SELECT upper('\xC2\xB5\xC5\xBF\xC4\xB1')", "\xCE\x9CSI");
}

static void test_initcap_capitalises_after_spaces_only(void **state)
{
    assert_rows(*state, "SELECT initcap('sPark sql'), initcap('hello-world foo_bar')",
                "Spark Sql\tHello-world Foo_bar");
}

/* ---------------------------------------------------------- padding, repeat */

static void test_space_and_repeat(void **state)
{
    assert_rows(*state,
                "SELECT concat(space(2), '1'), space(-1), length(space(3)), repeat('123', 2), "
                "repeat('a', -1)",
                "  1\t\t3\t123123\t");
}

static void test_lpad_and_rpad_cut_or_fill_with_the_pad(void **state)
{
    assert_rows(*state,
                "SELECT lpad('hi', 5, '?" "?'), lpad('hi', 1, '?" "?'), rpad('hi', 5, '?" "?'), "
                "lpad('hi', 5), rpad('hi', 5, '')",
                "???hi\th\thi???\t   hi\thi");
}

static void test_binary_padding_uses_zero_bytes_by_default(void **state)
{
    assert_rows(*state,
                "SELECT hex(lpad(unhex('aabb'), 5)), hex(rpad(unhex('aabb'), 5, unhex('1122')))",
                "000000AABB\tAABB112211");
}

/* ---------------------------------------------------------- trimming */

static void test_trim_forms_remove_characters_of_a_set(void **state)
{
    /* The two-argument forms take the characters first: ltrim(trimStr, str). */
    assert_rows(*state,
                "SELECT btrim('    SparkSQL   '), btrim('SSparkSQLS', 'SL'), "
                "trim(BOTH 'SL' FROM 'SSparkSQLS'), trim(LEADING FROM '  x  '), "
                "trim(TRAILING 'x' FROM 'xxaxx'), ltrim('x', 'xxaxx'), rtrim('  a  ')",
                "SparkSQL\tparkSQ\tparkSQ\tx  \txxa\taxx\t  a");
}

/* ---------------------------------------------------------- substrings */

static void test_substring_counts_from_one_or_from_the_end(void **state)
{
    assert_rows(*state,
                "SELECT substring('Spark SQL', 5), substring('Spark SQL', -3), "
                "substring('Spark SQL', 5, 1), substring('Spark SQL' FROM 5 FOR 1), "
                "substr('abc', 0, 2), substr('abc', -5, 3), substr('abc', 2, -1), "
                "hex(substr(x'010203', 2))",
                "k SQL\tSQL\tk\tk\tab\ta\t\t0203");
}

static void test_left_and_right(void **state)
{
    assert_rows(*state,
                "SELECT left('Spark SQL', 3), right('Spark SQL', 3), left('abc', -1), "
                "right('abc', 0), right(NULL, 1), left('abc', 100)",
                "Spa\tSQL\t\t\tNULL\tabc");
}

static void test_instr_and_locate_are_one_based_and_zero_when_absent(void **state)
{
    assert_rows(*state,
                "SELECT instr('SparkSQL', 'SQL'), locate('bar', 'foobarbar'), "
                "locate('bar', 'foobarbar', 5), position('bar' IN 'foobarbar'), "
                "locate('bar', 'foobarbar', 0), locate('', 'abc'), locate('a', NULL), instr('abc', '')",
                "6\t4\t7\t4\t0\t1\tNULL\t1");
}

static void test_split_part_counts_parts_from_either_end(void **state)
{
    assert_rows(*state,
                "SELECT split_part('11.12.13', '.', 3), split_part('11.12.13', '.', -1), "
                "split_part('11.12.13', '.', 5), split_part('11.12.13', '', 1), "
                "split_part('11.12.13', '.', -5)",
                "13\t13\t\t11.12.13\t");
}

static void test_split_part_of_part_zero_is_invalid_index_of_zero(void **state)
{
    assert_rows(*state, "SELECT split_part('a', '.', 0)", "ERROR INVALID_INDEX_OF_ZERO");
}

static void test_substring_index_keeps_parts_before_or_after_the_nth_delimiter(void **state)
{
    assert_rows(*state,
                "SELECT substring_index('www.apache.org', '.', 2), "
                "substring_index('www.apache.org', '.', -2), substring_index('www.apache.org', '.', 0), "
                "substring_index('www.apache.org', '', 1), substring_index('a.b', '.', 10), "
                "substring_index('a.b', '.', -10)",
                "www.apache\tapache.org\t\t\ta.b\ta.b");
}

static void test_contains_startswith_endswith_on_strings_and_binaries(void **state)
{
    assert_rows(*state,
                "SELECT contains('Spark SQL', 'Spark'), startswith('Spark SQL', 'SQL'), "
                "endswith('Spark SQL', 'SQL'), contains(x'537061726b2053514c', x'537061726b'), "
                "startswith(x'0102', x'01'), endswith(x'0102', x'01'), contains('a', NULL)",
                "true\tfalse\ttrue\ttrue\ttrue\tfalse\tNULL");
}

/* ---------------------------------------------------------- replacement */

static void test_replace_and_translate(void **state)
{
    assert_rows(*state,
                "SELECT replace('ABCabc', 'abc', 'DEF'), replace('ABCabc', 'abc'), "
                "replace('abc', '', 'x'), translate('AaBbCc', 'abc', '123'), "
                "translate('abc', 'ab', 'x'), translate('a\xC3\xA9', '\xC3\xA9', 'e')",
                "ABCDEF\tABC\tabc\tA1B2C3\txc\tae");
}

static void test_overlay_replaces_a_range_of_strings_and_binaries(void **state)
{
    assert_rows(*state,
                "SELECT overlay('Spark SQL' PLACING '_' FROM 6), "
                "overlay('Spark SQL' PLACING 'CORE' FROM 7), "
                "overlay('Spark SQL' PLACING 'ANSI ' FROM 7 FOR 0), "
                "overlay('Spark SQL' PLACING 'tructured' FROM 2 FOR 4), "
                "hex(overlay(x'1234567890' PLACING x'abcd' FROM 3))",
                "Spark_SQL\tSpark CORE\tSpark ANSI SQL\tStructured SQL\t1234ABCD90");
}

/* ---------------------------------------------------------- codes, charsets */

static void test_ascii_and_chr(void **state)
{
    /* chr takes the code modulo 256; negative codes give "". */
    assert_rows(*state,
                "SELECT ascii('222'), ascii(''), ascii('\xC3\xA9'), chr(65), char(256 + 66), "
                "chr(-1), length(chr(0))",
                "50\t0\t233\tA\tB\t\t1");
}

static void test_base64_round_trip(void **state)
{
    assert_rows(*state,
                "SELECT base64('Spark SQL'), base64(x'537061726b2053514c'), "
                "unbase64('U3BhcmsgU1FM')",
                "U3BhcmsgU1FM\tU3BhcmsgU1FM\tSpark SQL");
}

static void test_encode_to_single_byte_and_utf16_charsets(void **state)
{
    /* Unmappable characters become '?'; Java's UTF-16 writes a BE BOM. */
    assert_rows(*state,
                "SELECT hex(encode('abc', 'US-ASCII')), hex(encode('\xC3\xA9', 'ISO-8859-1')), "
                "hex(encode('\xC3\xA9', 'US-ASCII')), hex(encode('ab', 'UTF-16BE')), "
                "hex(encode('ab', 'UTF-16LE')), hex(encode('ab', 'UTF-16')), "
                "hex(encode('\xF0\x9F\x98\x80', 'UTF-16BE'))",
                "616263\tE9\t3F\t00610062\t61006200\tFEFF00610062\tD83DDE00");
}

static void test_decode_from_single_byte_and_utf16_charsets(void **state)
{
    assert_rows(*state,
                "SELECT decode(encode('abc', 'UTF-16'), 'UTF-16'), decode(X'FFFE6100', 'UTF-16'), "
                "decode(X'E9', 'ISO-8859-1'), decode(X'E9', 'US-ASCII'), "
                "decode(X'D83DDE00', 'UTF-16BE'), decode(X'6100', 'utf-16le')",
                "abc\ta\t\xC3\xA9\t\xEF\xBF\xBD\t\xF0\x9F\x98\x80\ta");
}

static void test_decode_with_search_pairs_is_a_case_expression(void **state)
{
    assert_rows(*state,
                "SELECT decode(2, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, "
                "'Seattle', 'Non domestic'), "
                "decode(6, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, 'Seattle', "
                "'Non domestic'), "
                "decode(6, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, 'Seattle'), "
                "decode(null, 6, 'Spark', NULL, 'SQL', 4, 'rocks')",
                "San Francisco\tNon domestic\tNULL\tSQL");
    assert_schema(*state, "SELECT decode('a', 'utf-8', 1)", "struct<decode(a, utf-8, 1):int>");
}

static void test_decode_with_results_of_no_common_type_is_data_diff_types(void **state)
{
    assert_rows(*state, "SELECT decode(1, 1, 'a', 2, array(1))",
                "ERROR DATATYPE_MISMATCH.DATA_DIFF_TYPES");
}

static void test_to_binary_reads_hex_utf8_and_base64(void **state)
{
    /* hex is the default format; an odd digit count gets a leading 0 */
    assert_rows(*state,
                "SELECT to_binary('abc', 'utf-8'), hex(to_binary('537061726b2053514c', 'hex')), "
                "hex(to_binary('U3Bhcms=', 'base64')), hex(to_binary('abc')), "
                "try_to_binary('zz', 'hex')",
                "abc\t537061726B2053514C\t537061726B\t0ABC\tNULL");
}

static void test_to_binary_errors(void **state)
{
    assert_rows(*state, "SELECT to_binary('zz', 'hex')", "ERROR CONVERSION_INVALID_INPUT");
    assert_rows(*state, "SELECT to_binary('a', 'bogus')", "ERROR DATATYPE_MISMATCH.INVALID_ARG_VALUE");
}

/* ---------------------------------------------------------- phonetics, sets */

static void test_soundex_skips_h_and_w_and_keeps_non_letters(void **state)
{
    assert_rows(*state,
                "SELECT soundex('Miller'), soundex('Ashcraft'), soundex('Tymczak'), soundex(''), "
                "soundex('123'), soundex('Rob-ert')",
                "M460\tA261\tT522\t\t123\tR163");
}

static void test_levenshtein_with_and_without_a_threshold(void **state)
{
    assert_rows(*state,
                "SELECT levenshtein('kitten', 'sitting'), levenshtein('kitten', 'sitting', 2), "
                "levenshtein('kitten', 'sitting', 4), levenshtein('', 'abc')",
                "3\t-1\t3\t3");
}

static void test_elt_picks_the_nth_argument_as_a_string(void **state)
{
    assert_rows(*state,
                "SELECT elt(1, 'scala', 'java'), elt(2, 'a', 1), elt(3, 'a', 'b'), elt(0, 'a'), "
                "elt(NULL, 'a')",
                "scala\t1\tNULL\tNULL\tNULL");
}

static void test_find_in_set_is_one_based_and_refuses_commas(void **state)
{
    assert_rows(*state,
                "SELECT find_in_set('ab','abc,b,ab,c,def'), find_in_set('a,b', 'a,b'), "
                "find_in_set('', ''), find_in_set('x', 'a')",
                "3\t0\t1\t0");
}

static void test_luhn_check(void **state)
{
    assert_rows(*state,
                "SELECT luhn_check('8112189876'), luhn_check('79927398713'), "
                "luhn_check('79927398714'), luhn_check(''), luhn_check('12a')",
                "true\ttrue\tfalse\tfalse\tfalse");
}

static void test_mask_replaces_character_classes(void **state)
{
    assert_rows(*state,
                "SELECT mask('abcd-EFGH-8765-4321'), mask('abcd-EFGH-8765-4321', 'Q'), "
                "mask('AbCD123-@$#', 'Q', 'q'), mask('AbCD123-@$#', 'Q', 'q', 'd'), "
                "mask('AbCD123-@$#', 'Q', 'q', 'd', 'o'), mask('AbCD123-@$#', NULL, NULL, NULL, NULL), "
                "mask(NULL)",
                "xxxx-XXXX-nnnn-nnnn\txxxx-QQQQ-nnnn-nnnn\tQqQQnnn-@$#\tQqQQddd-@$#\tQqQQdddoooo\t"
                "AbCD123-@$#\tNULL");
    assert_schema(*state, "SELECT mask('a')", "struct<mask(a, X, x, n, NULL):string>");
}

static void test_mask_replacement_must_be_one_constant_character(void **state)
{
    assert_rows(*state, "SELECT mask('abc', 'QQ')", "ERROR DATATYPE_MISMATCH.INPUT_SIZE_NOT_ONE");
    assert_rows(*state, "SELECT mask('abc', 'X', 'x', 'n', '')",
                "ERROR DATATYPE_MISMATCH.INPUT_SIZE_NOT_ONE");
    assert_rows(*state, "SELECT mask(c, c) FROM VALUES ('a') t(c)",
                "ERROR DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
}

/* ---------------------------------------------------------- formatting */

static void test_format_number_rounds_half_even_with_grouping(void **state)
{
    assert_rows(*state,
                "SELECT format_number(12332.123456, 4), format_number(-1.5, 0), "
                "format_number(5, -1), format_number(1234567, 0), "
                "format_number(CAST(12.5 AS FLOAT), 1), "
                "format_number(12345678901234567890123.1BD, 2)",
                "12,332.1235\t-2\tNULL\t1,234,567\t12.5\t12,345,678,901,234,567,890,123.10");
}

static void test_format_number_of_nan_and_infinity(void **state)
{
    assert_rows(*state,
                "SELECT format_number(CAST('NaN' AS DOUBLE), 2), format_number(1e308 * 10, 2)",
                "NaN\t\xE2\x88\x9E");
}

static void test_format_string_integer_conversions_and_flags(void **state)
{
    assert_rows(*state,
                "SELECT format_string('Hello World %d %s', 100, 'days'), "
                "format_string('%5d|%-5d|%05d', 42, 42, 42), format_string('%,d', 1234567), "
                "format_string('%+d', 5), format_string('%x %X %o', 255, 255, 8), "
                "format_string('% d', 5), format_string('%x', -1)",
                "Hello World 100 days\t   42|42   |00042\t1,234,567\t+5\tff FF 10\t 5\tffffffff");
}

static void test_format_string_floating_point_conversions(void **state)
{
    assert_rows(*state,
                "SELECT format_string('%.2f', 3.14159), format_string('%e', 12345.678), "
                "format_string('%E', 12345.678), format_string('%10.3f', 3.14159), "
                "format_string('%,.2f', 1234567.891)",
                "3.14\t1.234568e+04\t1.234568E+04\t     3.142\t1,234,567.89");
}

static void test_format_string_booleans_characters_nulls_and_positions(void **state)
{
    assert_rows(*state,
                "SELECT format_string('%b %b %s', true, null, null), format_string('%c', 65), "
                "format_string('%S', 'abc'), format_string('%2$s %1$s', 'a', 'b'), "
                "printf('%s', 'p'), format_string('%d|%f', null, null), format_string('%B', false)",
                "true false null\tA\tABC\tb a\tp\tnull|null\tFALSE");
}

static void test_format_string_widths_precision_percent_and_newline(void **state)
{
    assert_rows(*state,
                "SELECT format_string('%10s|%-10s|', 'ab', 'cd'), format_string('%.1s', 'abc'), "
                "format_string('%%|%n|')",
                "        ab|cd        |\ta\t%|\n|");
}

/* ---------------------------------------------------------- URLs */

static void test_url_encode_and_decode(void **state)
{
    assert_rows(*state,
                "SELECT url_encode('https://spark.apache.org'), "
                "url_decode('https%3A%2F%2Fspark.apache.org'), url_decode('a+b%20c')",
                "https%3A%2F%2Fspark.apache.org\thttps://spark.apache.org\ta b c");
}

static void test_url_decode_of_a_bad_escape_is_cannot_decode_url(void **state)
{
    assert_rows(*state, "SELECT url_decode('%zz')", "ERROR CANNOT_DECODE_URL");
}

static void test_parse_url_extracts_each_part(void **state)
{
    const char *u = "'http://user:pw@h.org:8080/p/a?x=1&y=2#frag'";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT parse_url(%s, 'HOST'), parse_url(%s, 'QUERY'), parse_url(%s, 'USERINFO'), "
             "parse_url(%s, 'REF'), parse_url(%s, 'AUTHORITY'), parse_url(%s, 'FILE'), "
             "parse_url(%s, 'PROTOCOL'), parse_url(%s, 'PATH')",
             u, u, u, u, u, u, u, u);
    assert_rows(*state, sql,
                "h.org\tx=1&y=2\tuser:pw\tfrag\tuser:pw@h.org:8080\t/p/a?x=1&y=2\thttp\t/p/a");
}

static void test_parse_url_query_keys_and_unknown_parts(void **state)
{
    assert_rows(*state,
                "SELECT parse_url('http://spark.apache.org/path?query=1', 'QUERY', 'query'), "
                "parse_url('http://h.org/p?x=1&y=2', 'QUERY', 'y'), "
                "parse_url('http://h.org/p?x=1', 'QUERY', 'z'), parse_url('http://h.org', 'BOGUS'), "
                "parse_url('inva lid://x', 'HOST')",
                "1\t2\tNULL\tNULL\tNULL");
}

static void test_parse_url_keeps_the_brackets_of_an_ipv6_host(void **state)
{
    assert_rows(*state,
                "SELECT parse_url('http://[::1]:80/', 'HOST'), parse_url('http://u@[::1]/', 'HOST')",
                "[::1]\t[::1]");
}

static void test_ansi_mode_raises_for_elt_and_parse_url(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "SET spark.sql.ansi.enabled=true");
    assert_rows(s, "SELECT elt(3, 'a', 'b')", "ERROR INVALID_ARRAY_INDEX");
    assert_rows(s, "SELECT parse_url('inva lid://x', 'HOST')", "ERROR INVALID_URL");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concat_ws_skips_nulls_and_flattens_arrays),
        cmocka_unit_test(test_concat_ws_casts_array_elements_to_string),
        cmocka_unit_test(test_concat_of_arrays_widens_the_element_type),
        cmocka_unit_test(test_concat_of_a_string_and_an_array_is_data_diff_types),
        cmocka_unit_test(test_concat_of_a_map_is_an_unexpected_input_type),
        cmocka_unit_test(test_lengths_count_characters_bytes_and_bits),
        cmocka_unit_test(test_upper_and_lower_map_latin_greek_and_cyrillic_letters),
        cmocka_unit_test(test_latin_extended_a_pairs_capitals_on_even_or_odd_code_points),
        cmocka_unit_test(test_lower_of_a_word_final_capital_sigma_is_final_sigma),
        cmocka_unit_test(test_upper_of_micro_sign_long_s_and_dotless_i),
        cmocka_unit_test(test_initcap_capitalises_after_spaces_only),
        cmocka_unit_test(test_space_and_repeat),
        cmocka_unit_test(test_lpad_and_rpad_cut_or_fill_with_the_pad),
        cmocka_unit_test(test_binary_padding_uses_zero_bytes_by_default),
        cmocka_unit_test(test_trim_forms_remove_characters_of_a_set),
        cmocka_unit_test(test_substring_counts_from_one_or_from_the_end),
        cmocka_unit_test(test_left_and_right),
        cmocka_unit_test(test_instr_and_locate_are_one_based_and_zero_when_absent),
        cmocka_unit_test(test_split_part_counts_parts_from_either_end),
        cmocka_unit_test(test_split_part_of_part_zero_is_invalid_index_of_zero),
        cmocka_unit_test(test_substring_index_keeps_parts_before_or_after_the_nth_delimiter),
        cmocka_unit_test(test_contains_startswith_endswith_on_strings_and_binaries),
        cmocka_unit_test(test_replace_and_translate),
        cmocka_unit_test(test_overlay_replaces_a_range_of_strings_and_binaries),
        cmocka_unit_test(test_ascii_and_chr),
        cmocka_unit_test(test_base64_round_trip),
        cmocka_unit_test(test_encode_to_single_byte_and_utf16_charsets),
        cmocka_unit_test(test_decode_from_single_byte_and_utf16_charsets),
        cmocka_unit_test(test_decode_with_search_pairs_is_a_case_expression),
        cmocka_unit_test(test_decode_with_results_of_no_common_type_is_data_diff_types),
        cmocka_unit_test(test_to_binary_reads_hex_utf8_and_base64),
        cmocka_unit_test(test_to_binary_errors),
        cmocka_unit_test(test_soundex_skips_h_and_w_and_keeps_non_letters),
        cmocka_unit_test(test_levenshtein_with_and_without_a_threshold),
        cmocka_unit_test(test_elt_picks_the_nth_argument_as_a_string),
        cmocka_unit_test(test_find_in_set_is_one_based_and_refuses_commas),
        cmocka_unit_test(test_luhn_check),
        cmocka_unit_test(test_mask_replaces_character_classes),
        cmocka_unit_test(test_mask_replacement_must_be_one_constant_character),
        cmocka_unit_test(test_format_number_rounds_half_even_with_grouping),
        cmocka_unit_test(test_format_number_of_nan_and_infinity),
        cmocka_unit_test(test_format_string_integer_conversions_and_flags),
        cmocka_unit_test(test_format_string_floating_point_conversions),
        cmocka_unit_test(test_format_string_booleans_characters_nulls_and_positions),
        cmocka_unit_test(test_format_string_widths_precision_percent_and_newline),
        cmocka_unit_test(test_url_encode_and_decode),
        cmocka_unit_test(test_url_decode_of_a_bad_escape_is_cannot_decode_url),
        cmocka_unit_test(test_parse_url_extracts_each_part),
        cmocka_unit_test(test_parse_url_query_keys_and_unknown_parts),
        cmocka_unit_test(test_parse_url_keeps_the_brackets_of_an_ipv6_host),
        cmocka_unit_test(test_ansi_mode_raises_for_elt_and_parse_url),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
