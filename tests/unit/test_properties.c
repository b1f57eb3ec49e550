/*
 * Specification of the spark-defaults.conf reader
 * (localmode/conf/properties.h): java.util.Properties.load, then Spark's
 * trimExceptCRLF on values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/properties.h"

/* Parses text; returns the store (caller frees). */
static lm_conf *parse(const char *text)
{
    lm_conf *c = lm_conf_new();
    lm_error err;
    lm_error_init(&err);
    if (lm_properties_parse(text, strlen(text), c, &err) != LM_OK)
        fail_msg("parse failed: %s", err.message);
    lm_error_clear(&err);
    return c;
}

static void assert_single(const char *text, const char *key, const char *value)
{
    lm_conf *c = parse(text);
    const char *k, *v;
    if (lm_conf_size(c) != 1)
        fail_msg("%s: %zu properties", text, lm_conf_size(c));
    lm_conf_at(c, 0, &k, &v);
    assert_string_equal(k, key);
    assert_string_equal(v, value);
    lm_conf_free(c);
}

static void test_separators_equals_colon_and_blank(void **state)
{
    (void)state;
    assert_single("spark.master=local[2]", "spark.master", "local[2]");
    assert_single("spark.master = local[2]", "spark.master", "local[2]");
    assert_single("spark.master: local[2]", "spark.master", "local[2]");
    assert_single("spark.master local[2]", "spark.master", "local[2]");
    assert_single("spark.master\t\tlocal[2]", "spark.master", "local[2]");
    assert_single("   \t spark.master=x", "spark.master", "x");
    assert_single("spark.master \f= x", "spark.master", "x");
}

static void test_only_the_first_separator_counts(void **state)
{
    (void)state;
    assert_single("k==v", "k", "=v");
    assert_single("k : : v", "k", ": v");
    assert_single("k = a=b", "k", "a=b");
    assert_single("k v w", "k", "v w");
}

static void test_key_without_value_is_empty(void **state)
{
    (void)state;
    assert_single("spark.flag", "spark.flag", "");
    assert_single("spark.flag=", "spark.flag", "");
    assert_single("spark.flag   ", "spark.flag", "");
}

static void test_comments_and_blank_lines_are_skipped(void **state)
{
    (void)state;
    lm_conf *c = parse("# comment\n! also a comment\n\n   \n  # indented comment\na=1\n");
    assert_int_equal(lm_conf_size(c), 1);
    assert_string_equal(lm_conf_get(c, "a"), "1");
    lm_conf_free(c);
}

static void test_hash_inside_a_value_is_kept(void **state)
{
    (void)state;
    assert_single("k=a # not a comment", "k", "a # not a comment");
}

static void test_backslash_continues_a_line_and_drops_leading_blanks(void **state)
{
    (void)state;
    assert_single("k=a,\\\n    b,\\\n\tc", "k", "a,b,c");
    assert_single("k=a\\\r\n  b", "k", "ab");
    assert_single("k=a\\\r  b", "k", "ab");
    assert_single("k\\\n  =v", "k", "v");
}

static void test_even_backslashes_do_not_continue(void **state)
{
    (void)state;
    lm_conf *c = parse("a=x\\\\\nb=y");
    assert_string_equal(lm_conf_get(c, "a"), "x\\");
    assert_string_equal(lm_conf_get(c, "b"), "y");
    lm_conf_free(c);
}

static void test_comment_lines_never_continue(void **state)
{
    (void)state;
    lm_conf *c = parse("# comment \\\nk=v\n");
    assert_int_equal(lm_conf_size(c), 1);
    assert_string_equal(lm_conf_get(c, "k"), "v");
    lm_conf_free(c);
}

static void test_continuation_line_starting_with_hash_is_content(void **state)
{
    (void)state;
    assert_single("k=a\\\n#b", "k", "a#b");
}

static void test_continuation_into_empty_line_ends_the_value(void **state)
{
    (void)state;
    lm_conf *c = parse("k=a\\\n\nx=y");
    assert_string_equal(lm_conf_get(c, "k"), "a");
    assert_string_equal(lm_conf_get(c, "x"), "y");
    lm_conf_free(c);
}

static void test_backslash_at_end_of_input_is_dropped(void **state)
{
    (void)state;
    assert_single("k=abc\\", "k", "abc");
}

static void test_line_endings_cr_lf_and_crlf(void **state)
{
    (void)state;
    lm_conf *c = parse("a=1\rb=2\r\nc=3\nd=4");
    assert_int_equal(lm_conf_size(c), 4);
    assert_string_equal(lm_conf_get(c, "a"), "1");
    assert_string_equal(lm_conf_get(c, "b"), "2");
    assert_string_equal(lm_conf_get(c, "c"), "3");
    assert_string_equal(lm_conf_get(c, "d"), "4");
    lm_conf_free(c);
}

static void test_escapes_in_values(void **state)
{
    (void)state;
    assert_single("k=a\\tb\\nc\\rd\\fe", "k", "a\tb\nc\rd\fe");
    assert_single("k=\\q\\\\", "k", "q\\");
    assert_single("k=\\u0041\\u00e9", "k", "A\xc3\xa9");
    assert_single("k=\\u20AC", "k", "\xe2\x82\xac");
    assert_single("k=\\uD83D\\uDE00", "k", "\xf0\x9f\x98\x80");
}

static void test_lone_surrogates_and_nul_become_replacement_chars(void **state)
{
    (void)state;
    assert_single("k=a\\uD83Db", "k", "a\xef\xbf\xbd" "b");
    assert_single("k=a\\uDE00", "k", "a\xef\xbf\xbd");
    assert_single("k=a\\u0000b", "k", "a\xef\xbf\xbd" "b");
}

static void test_escaped_separators_belong_to_the_key(void **state)
{
    (void)state;
    assert_single("my\\ key=v", "my key", "v");
    assert_single("a\\=b=c", "a=b", "c");
    assert_single("a\\:b c", "a:b", "c");
    assert_single("\\#notcomment=v", "#notcomment", "v");
}

static void test_values_are_trimmed_except_escaped_line_breaks(void **state)
{
    (void)state;
    assert_single("k=  v  ", "k", "v");
    assert_single("k=v\\u0020\\t", "k", "v");
    assert_single("k=\\n v \\n", "k", "\n v \n");
    assert_single("k=\\r", "k", "\r");
}

static void test_keys_are_not_trimmed(void **state)
{
    (void)state;
    assert_single("\\ k=v", " k", "v");
}

static void test_later_duplicate_replaces_value(void **state)
{
    (void)state;
    lm_conf *c = parse("a=1\nb=2\na=3\n");
    const char *k, *v;
    assert_int_equal(lm_conf_size(c), 2);
    lm_conf_at(c, 0, &k, &v);
    assert_string_equal(k, "a");
    assert_string_equal(v, "3");
    lm_conf_free(c);
}

static void test_malformed_unicode_escape_is_an_error(void **state)
{
    (void)state;
    const char *bad[] = {"k=\\u12", "k=\\uXYZW", "k\\u=v", "k=\\u00G0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lm_conf *c = lm_conf_new();
        lm_error err;
        lm_error_init(&err);
        assert_int_equal(lm_properties_parse(bad[i], strlen(bad[i]), c, &err), LM_ERROR);
        assert_string_equal(err.message, "Malformed \\uxxxx encoding.");
        assert_string_equal(err.exception, "java.lang.IllegalArgumentException");
        lm_error_clear(&err);
        lm_conf_free(c);
    }
}

static void test_invalid_utf8_reads_as_replacement_chars(void **state)
{
    (void)state;
    assert_single("k=a\xff" "b", "k", "a\xef\xbf\xbd" "b");
    assert_single("k=\xe2\x82", "k", "\xef\xbf\xbd");
    assert_single("k=\xc3\xa9", "k", "\xc3\xa9");
    assert_single("k=\xed\xa0\x80", "k", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_nul_bytes_in_input_do_not_truncate(void **state)
{
    (void)state;
    const char text[] = "a=1\0\nb=2";
    lm_conf *c = lm_conf_new();
    assert_int_equal(lm_properties_parse(text, sizeof text - 1, c, NULL), LM_OK);
    assert_string_equal(lm_conf_get(c, "a"), "1\xef\xbf\xbd");
    assert_string_equal(lm_conf_get(c, "b"), "2");
    lm_conf_free(c);
}

static void test_very_long_lines_are_read(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *text = malloc(n + 3);
    memcpy(text, "k=", 2);
    memset(text + 2, 'v', n);
    text[n + 2] = '\0';
    lm_conf *c = parse(text);
    assert_int_equal(strlen(lm_conf_get(c, "k")), n);
    lm_conf_free(c);
    free(text);
}

static void test_empty_input_has_no_properties(void **state)
{
    (void)state;
    lm_conf *c = parse("");
    assert_int_equal(lm_conf_size(c), 0);
    lm_conf_free(c);
    c = parse("\n\n  \n# x");
    assert_int_equal(lm_conf_size(c), 0);
    lm_conf_free(c);
}

static void test_load_reports_missing_file_and_folder(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_properties_load("/nonexistent/spark-defaults.conf", c, &err), LM_ERROR);
    assert_string_equal(err.message,
                        "requirement failed: Properties file /nonexistent/spark-defaults.conf "
                        "does not exist");
    lm_error_clear(&err);
    assert_int_equal(lm_properties_load("/tmp", c, &err), LM_ERROR);
    assert_string_equal(err.message, "requirement failed: Properties file /tmp is not a normal file");
    lm_error_clear(&err);
    lm_conf_free(c);
}

static void test_load_reads_a_file(void **state)
{
    (void)state;
    char path[] = "/tmp/lm_props_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "# defaults\nspark.master  local[3]\nspark.driver.memory=2g\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    lm_conf *c = lm_conf_new();
    assert_int_equal(lm_properties_load(path, c, NULL), LM_OK);
    assert_string_equal(lm_conf_get(c, "spark.master"), "local[3]");
    assert_string_equal(lm_conf_get(c, "spark.driver.memory"), "2g");
    lm_conf_free(c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separators_equals_colon_and_blank),
        cmocka_unit_test(test_only_the_first_separator_counts),
        cmocka_unit_test(test_key_without_value_is_empty),
        cmocka_unit_test(test_comments_and_blank_lines_are_skipped),
        cmocka_unit_test(test_hash_inside_a_value_is_kept),
        cmocka_unit_test(test_backslash_continues_a_line_and_drops_leading_blanks),
        cmocka_unit_test(test_even_backslashes_do_not_continue),
        cmocka_unit_test(test_comment_lines_never_continue),
        cmocka_unit_test(test_continuation_line_starting_with_hash_is_content),
        cmocka_unit_test(test_continuation_into_empty_line_ends_the_value),
        cmocka_unit_test(test_backslash_at_end_of_input_is_dropped),
        cmocka_unit_test(test_line_endings_cr_lf_and_crlf),
        cmocka_unit_test(test_escapes_in_values),
        cmocka_unit_test(test_lone_surrogates_and_nul_become_replacement_chars),
        cmocka_unit_test(test_escaped_separators_belong_to_the_key),
        cmocka_unit_test(test_values_are_trimmed_except_escaped_line_breaks),
        cmocka_unit_test(test_keys_are_not_trimmed),
        cmocka_unit_test(test_later_duplicate_replaces_value),
        cmocka_unit_test(test_malformed_unicode_escape_is_an_error),
        cmocka_unit_test(test_invalid_utf8_reads_as_replacement_chars),
        cmocka_unit_test(test_nul_bytes_in_input_do_not_truncate),
        cmocka_unit_test(test_very_long_lines_are_read),
        cmocka_unit_test(test_empty_input_has_no_properties),
        cmocka_unit_test(test_load_reports_missing_file_and_folder),
        cmocka_unit_test(test_load_reads_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
