/*
 * Helpers shared by the data source suites (test_csv.c, test_json.c,
 * test_text.c, test_write.c): paths of the reader fixtures, reading with
 * options given inline, and checking a DataFrame's schema and rows as text
 * ("v1|v2|..." per row, NULL for nulls, values rendered as Spark's SQL test
 * runner prints them).
 *
 * Include after <cmocka.h>.
 */
#ifndef LM_TESTS_IO_TEST_H
#define LM_TESTS_IO_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "localmode.h"

#define IO_DATA_DIR LM_SOURCE_DIR "/../shared/conformance/test-data"

static char io_path_buf[4][1024];
static int io_path_next;

/* Path of a fixture (a small rotating buffer, valid for a few calls). */
__attribute__((unused)) static const char *data_path(const char *name)
{
    char *b = io_path_buf[io_path_next++ & 3];
    snprintf(b, 1024, "%s/%s", IO_DATA_DIR, name);
    return b;
}

__attribute__((unused)) static bool have_data(void)
{
    struct stat st;
    if (stat(IO_DATA_DIR, &st) != 0) {
        print_message("test data not found at %s: skipped\n", IO_DATA_DIR);
        return false;
    }
    return true;
}

#define REQUIRE_DATA()                                                                            \
    do {                                                                                           \
        if (!have_data())                                                                          \
            skip();                                                                                \
    } while (0)

static lm_session *open_session(void)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    assert_non_null(s);
    return s;
}

/* Options from a NULL-terminated key, value, key, value ... list. */
__attribute__((unused)) static lm_options *opts_of(const char *const *kv)
{
    lm_options *o = lm_options_new();
    assert_non_null(o);
    for (int i = 0; kv && kv[i]; i += 2)
        assert_int_equal(lm_options_set(o, kv[i], kv[i + 1]), LM_OK);
    return o;
}

/* Reads and asserts success; the caller frees the DataFrame. */
__attribute__((unused)) static lm_df *read_ok(lm_session *s, const char *fmt, const char *path, const char *const *kv,
                      const char *ddl)
{
    lm_options *o = opts_of(kv);
    lm_df *df = NULL;
    lm_status rc = lm_read(s, fmt, path, o, ddl, &df);
    if (rc != LM_OK)
        print_message("read %s failed: %s\n", path, lm_errmsg(s));
    lm_options_free(o);
    assert_int_equal(rc, LM_OK);
    assert_non_null(df);
    return df;
}

/* Reads and asserts failure; returns the status. */
__attribute__((unused)) static lm_status read_fails(lm_session *s, const char *fmt, const char *path,
                            const char *const *kv, const char *ddl)
{
    lm_options *o = opts_of(kv);
    lm_df *df = NULL;
    lm_status rc = lm_read(s, fmt, path, o, ddl, &df);
    lm_options_free(o);
    assert_int_not_equal(rc, LM_OK);
    assert_null(df);
    return rc;
}

__attribute__((unused)) static void expect_schema(const lm_df *df, const char *expected)
{
    char *sc = lm_df_schema_string(df);
    assert_non_null(sc);
    assert_string_equal(sc, expected);
    free(sc);
}

/* Collects and compares every row ("a|b|NULL"), in order. */
__attribute__((unused)) static void expect_rows(lm_df *df, const char *const *expected, int n)
{
    lm_rows *rows = NULL;
    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
    if (lm_rows_count(rows) != n) {
        for (int64_t r = 0; r < lm_rows_count(rows); r++) {
            print_message("  row %lld:", (long long)r);
            for (int c = 0; c < lm_rows_num_columns(rows); c++) {
                char *v = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
                print_message(" [%s]", lm_rows_is_null(rows, r, c) ? "NULL" : v);
                free(v);
            }
            print_message("\n");
        }
    }
    assert_int_equal(lm_rows_count(rows), n);
    char line[4096];
    for (int64_t r = 0; r < n; r++) {
        line[0] = '\0';
        for (int c = 0; c < lm_rows_num_columns(rows); c++) {
            char *v = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
            if (c)
                strncat(line, "|", sizeof line - strlen(line) - 1);
            strncat(line, lm_rows_is_null(rows, r, c) ? "NULL" : v, sizeof line - strlen(line) - 1);
            free(v);
        }
        assert_string_equal(line, expected[r]);
    }
    lm_rows_free(rows);
}

__attribute__((unused)) static int64_t count_rows(lm_df *df)
{
    int64_t n = -1;
    assert_int_equal(lm_df_count(df, &n), LM_OK);
    return n;
}

/* A fresh temporary folder; the caller removes it with io_remove_tree. */
__attribute__((unused)) static char *temp_dir(void)
{
    char tmpl[] = "/tmp/lm-io-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

__attribute__((unused)) static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

__attribute__((unused)) static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Whole content of a file, NUL-terminated; *len its size. */
__attribute__((unused)) static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return b;
}

#endif
