/*
 * The conformance runner's skip list, baseline and report lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conformance/report.h"

static void test_skips_select_by_index_or_text_prefix(void **state)
{
    (void)state;
    const char *text = "# comment\n"
                       "\n"
                       "cast.sql | DESC FUNCTION boolean | documentation text\n"
                       "a.sql | #3 | third\n"
                       "* | 7 | seventh everywhere\n";
    report_skips s;
    char *err = NULL;
    assert_int_equal(report_skips_parse(text, &s, &err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(report_skip_reason(&s, "cast.sql", 50, "DESC FUNCTION boolean"),
                        "documentation text");
    assert_null(report_skip_reason(&s, "cast.sql", 50, "DESC FUNCTION EXTENDED boolean"));
    assert_null(report_skip_reason(&s, "other.sql", 50, "DESC FUNCTION boolean"));
    assert_string_equal(report_skip_reason(&s, "a.sql", 3, "SELECT 1"), "third");
    assert_null(report_skip_reason(&s, "a.sql", 4, "SELECT 1"));
    assert_string_equal(report_skip_reason(&s, "b.sql", 7, "SELECT 1"), "seventh everywhere");
    report_skips_free(&s);
}

static void test_skips_need_a_reason(void **state)
{
    (void)state;
    report_skips s;
    char *err = NULL;
    assert_int_equal(report_skips_parse("cast.sql | 3 |\n", &s, &err), -1);
    assert_non_null(strstr(err, "line 1"));
    free(err);
    err = NULL;
    assert_int_equal(report_skips_parse("\ncast.sql 3 reason\n", &s, &err), -1);
    assert_non_null(strstr(err, "line 2"));
    free(err);
}

static void test_baseline_round_trips_through_a_file(void **state)
{
    (void)state;
    report_baseline b;
    assert_int_equal(report_baseline_parse("# header\nz.sql 3\na/b.sql\t0\n", &b, NULL), 0);
    size_t v = 99;
    assert_true(report_baseline_get(&b, "z.sql", &v));
    assert_int_equal(v, 3);
    assert_true(report_baseline_get(&b, "a/b.sql", &v));
    assert_int_equal(v, 0);
    assert_false(report_baseline_get(&b, "missing.sql", &v));
    assert_int_equal(report_baseline_set(&b, "z.sql", 5), 0);
    assert_int_equal(report_baseline_set(&b, "m.sql", 1), 0);

    char path[] = "/tmp/lm_baseline_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(report_baseline_write(&b, path, NULL), 0);
    report_baseline_free(&b);

    FILE *f = fopen(path, "r");
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* entries come sorted by name, after the comment header */
    assert_non_null(strstr(buf, "\na/b.sql 0\nm.sql 1\nz.sql 5\n"));
    assert_true(buf[0] == '#');

    assert_int_equal(report_baseline_load(path, &b, NULL), 0);
    assert_int_equal(b.n, 3);
    report_baseline_free(&b);
    unlink(path);
    assert_int_equal(report_baseline_load(path, &b, NULL), 0); /* missing: empty */
    assert_int_equal(b.n, 0);
}

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, arg);
    fclose(f);
    return buf;
}

typedef struct files_arg {
    const report_file *files;
    size_t n;
} files_arg;

static void print_summary(FILE *f, const void *arg)
{
    const files_arg *a = arg;
    report_print_summary(f, a->files, a->n);
}

static void print_first(FILE *f, const void *arg)
{
    const files_arg *a = arg;
    report_print_file(f, &a->files[0]);
}

static void test_report_lines_have_the_documented_shape(void **state)
{
    (void)state;
    report_file files[2] = {{.name = (char *)"a.sql", .total = 3},
                            {.name = (char *)"sub/b.sql", .total = 5}};
    files[0].counts[COMPARE_PASS] = 2;
    files[0].counts[COMPARE_FAIL_ROWS] = 1;
    files[1].counts[COMPARE_PASS] = 1;
    files[1].counts[COMPARE_SKIPPED] = 4;
    files_arg a = {files, 2};

    char *line = capture(print_first, &a);
    assert_string_equal(line, "a.sql: 2/3\n");
    free(line);

    char *summary = capture(print_summary, &a);
    const char *last = strstr(summary, "conformance:");
    assert_non_null(last);
    assert_string_equal(last, "conformance: 3/8 statements passed (37.5%)\n");
    assert_non_null(strstr(summary, "fail-rows=1"));
    assert_non_null(strstr(summary, "skipped=4"));
    free(summary);
}

static void test_files_below_baseline_are_regressions(void **state)
{
    (void)state;
    report_file files[2] = {{.name = (char *)"a.sql", .total = 3},
                            {.name = (char *)"new.sql", .total = 5}};
    files[0].counts[COMPARE_PASS] = 2;
    report_baseline b;
    assert_int_equal(report_baseline_parse("a.sql 3\n", &b, NULL), 0);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(report_check_baseline(devnull, &b, files, 2), 1);
    files[0].counts[COMPARE_PASS] = 3;
    assert_int_equal(report_check_baseline(devnull, &b, files, 2), 0);
    fclose(devnull);
    report_baseline_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skips_select_by_index_or_text_prefix),
        cmocka_unit_test(test_skips_need_a_reason),
        cmocka_unit_test(test_baseline_round_trips_through_a_file),
        cmocka_unit_test(test_report_lines_have_the_documented_shape),
        cmocka_unit_test(test_files_below_baseline_are_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
