/*
 * Specification of the text source and of path handling shared by every
 * format: lines as rows of `value`, wholetext, lineSep, raw bytes, several
 * paths and globs, partition discovery (column types, nulls, escapes,
 * basePath, conflicts) and the text writer's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <zlib.h>

#include "io_test.h"

static void test_text_file_lines_become_value_rows(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "text", data_path("text-suite.txt"), NULL, NULL);
    expect_schema(df, "struct<value:string>");
    static const char *const rows[] = {"This is a test file for the text data source", "1+1",
                                       "\xe6\x95\xb0\xe6\x8d\xae\xe7\xa0\x96\xe5\xa4\xb4",
                                       "\"doh\""};
    expect_rows(df, rows, 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_several_paths_and_globs(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char list[2048];
    snprintf(list, sizeof list, "%s,%s", data_path("text-suite.txt"), data_path("text-suite2.txt"));
    lm_df *df = read_ok(s, "text", list, NULL, NULL);
    assert_int_equal(count_rows(df), 5);
    lm_df_free(df);
    df = read_ok(s, "text", data_path("text-suite*.txt"), NULL, NULL);
    static const char *const rows[] = {
        "This is a test file for the text data source", "1+1",
        "\xe6\x95\xb0\xe6\x8d\xae\xe7\xa0\x96\xe5\xa4\xb4", "\"doh\"",
        "This is another file for testing multi path loading."};
    expect_rows(df, rows, 5);
    lm_df_free(df);
    df = read_ok(s, "text", data_path("text-suite{,2}.txt"), NULL, NULL);
    assert_int_equal(count_rows(df), 5);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_wholetext_reads_a_file_as_one_row(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const kv[] = {"wholetext", "true", NULL};
    lm_df *df = read_ok(s, "text", data_path("text-suite.txt"), kv, NULL);
    static const char *const rows[] = {
        "This is a test file for the text data source\n1+1\n"
        "\xe6\x95\xb0\xe6\x8d\xae\xe7\xa0\x96\xe5\xa4\xb4\n\"doh\"\n"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_partitioned_folders_add_typed_columns(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "text", data_path("text-partitioned"), NULL, NULL);
    expect_schema(df, "struct<value:string,year:int>");
    static const char *const rows[] = {"2014-test|2014", "2015-test|2015"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    /* a partition folder read directly is the base: no column */
    df = read_ok(s, "text", data_path("text-partitioned/year=2014"), NULL, NULL);
    expect_schema(df, "struct<value:string>");
    lm_df_free(df);
    /* ... unless basePath says where the table starts */
    const char *kv[] = {"basePath", data_path("text-partitioned"), NULL};
    df = read_ok(s, "text", data_path("text-partitioned/year=2014"), kv, NULL);
    expect_schema(df, "struct<value:string,year:int>");
    static const char *const one[] = {"2014-test|2014"};
    expect_rows(df, one, 1);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_select_from_text_path(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT value FROM text.`%s` WHERE year = 2015",
             data_path("text-partitioned"));
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, sql, &df), LM_OK);
    static const char *const rows[] = {"2015-test"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    lm_session_close(s);
}

/* The PostgreSQL regression tables are tab-separated text: read as text
   and as CSV with a tab delimiter and inference. */
static void test_postgresql_tables(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    static const char *const names[] = {"postgresql/agg.data", "postgresql/onek.data",
                                        "postgresql/tenk.data"};
    static const int64_t counts[] = {4, 1000, 10000};
    for (int i = 0; i < 3; i++) {
        lm_df *df = read_ok(s, "text", data_path(names[i]), NULL, NULL);
        assert_int_equal(count_rows(df), counts[i]);
        lm_df_free(df);
    }
    static const char *const tab[] = {"delimiter", "\\t", "inferSchema", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("postgresql/agg.data"), tab, NULL);
    expect_schema(df, "struct<_c0:int,_c1:double>");
    static const char *const rows[] = {"56|7.8", "100|99.097", "0|0.09561", "42|324.78"};
    expect_rows(df, rows, 4);
    lm_df_free(df);
    df = read_ok(s, "csv", data_path("postgresql/tenk.data"), tab, NULL);
    expect_schema(df, "struct<_c0:int,_c1:int,_c2:int,_c3:int,_c4:int,_c5:int,_c6:int,_c7:int,"
                      "_c8:int,_c9:int,_c10:int,_c11:int,_c12:int,_c13:string,_c14:string,"
                      "_c15:string>");
    assert_int_equal(count_rows(df), 10000);
    lm_df_free(df);
    lm_session_close(s);
}

/* --------------------------------------------------- on local files */

static char *make_file(const char *dir, const char *rel, const char *content, size_t len)
{
    char *p = join_path(dir, rel);
    /* create the parent folders */
    for (char *c = p + strlen(dir) + 1; *c; c++) {
        if (*c == '/') {
            *c = '\0';
            mkdir(p, 0755);
            *c = '/';
        }
    }
    write_file(p, content, len);
    return p;
}

static void test_lines_blank_lines_and_separators(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = make_file(dir, "a.txt", "a\r\nb\rc\n\nd", 10);
    lm_df *df = read_ok(s, "text", f, NULL, NULL);
    static const char *const rows[] = {"a", "b", "c", "", "d"};
    expect_rows(df, rows, 5);
    lm_df_free(df);
    static const char *const kv[] = {"lineSep", ",", NULL};
    char *g = make_file(dir, "b.txt", "x,y,\nz,", 7);
    df = read_ok(s, "text", g, kv, NULL);
    static const char *const split[] = {"x", "y", "\nz"};
    expect_rows(df, split, 3);
    lm_df_free(df);
    /* an empty file has no rows; a BOM is not part of the first line */
    char *e = make_file(dir, "e.txt", "", 0);
    df = read_ok(s, "text", e, NULL, NULL);
    assert_int_equal(count_rows(df), 0);
    lm_df_free(df);
    char *bom = make_file(dir, "bom.txt", "\xEF\xBB\xBFhi\n", 6);
    df = read_ok(s, "text", bom, NULL, NULL);
    static const char *const hi[] = {"hi"};
    expect_rows(df, hi, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(g);
    free(e);
    free(bom);
    free(dir);
    lm_session_close(s);
}

static void test_text_keeps_invalid_utf8_bytes(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = make_file(dir, "a.txt", "a\xff\xfe" "b\n", 5);
    lm_df *df = read_ok(s, "text", f, NULL, NULL);
    static const char *const rows[] = {"a\xff\xfe" "b"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_text_schema_must_be_one_string(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    lm_df *df = read_ok(s, "text", data_path("text-suite2.txt"), NULL, "line STRING");
    expect_schema(df, "struct<line:string>");
    lm_df_free(df);
    read_fails(s, "text", data_path("text-suite2.txt"), NULL, "a STRING, b STRING");
    assert_string_equal(lm_errmsg(s), "Text data source supports only a single column, and you "
                                      "have 2 columns.");
    read_fails(s, "text", data_path("text-suite2.txt"), NULL, "a INT");
    assert_string_equal(lm_errclass(s), "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE");
    lm_session_close(s);
}

static void test_gzip_text(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f = join_path(dir, "a.txt.gz");
    gzFile g = gzopen(f, "wb");
    gzwrite(g, "one\ntwo\n", 8);
    gzclose(g);
    lm_df *df = read_ok(s, "text", f, NULL, NULL);
    static const char *const rows[] = {"one", "two"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    io_remove_tree(dir);
    free(f);
    free(dir);
    lm_session_close(s);
}

static void test_partition_value_types(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *files[8];
    files[0] = make_file(dir, "i=1/l=1/d=1.5/dt=2024-01-31/ts=2024-01-31 10%3A00%3A00/s=x/n=7/f",
                         "r1\n", 3);
    files[1] = make_file(dir,
                         "i=2/l=3000000000/d=2/dt=2024-02-01/ts=2024-02-01 11%3A30%3A00/s=a%2Fb/"
                         "n=__HIVE_DEFAULT_PARTITION__/f",
                         "r2\n", 3);
    lm_df *df = read_ok(s, "text", dir, NULL, NULL);
    expect_schema(df, "struct<value:string,i:int,l:bigint,d:double,dt:date,ts:timestamp,s:string,"
                      "n:int>");
    static const char *const rows[] = {
        "r1|1|1|1.5|2024-01-31|2024-01-31 10:00:00|x|7",
        "r2|2|3000000000|2.0|2024-02-01|2024-02-01 11:30:00|a/b|NULL",
    };
    expect_rows(df, rows, 2);
    lm_df_free(df);
    /* a user schema sets partition column types and moves them last */
    df = read_ok(s, "text", dir, NULL, "i string, value string");
    expect_schema(df, "struct<value:string,i:string,l:bigint,d:double,dt:date,ts:timestamp,s:"
                      "string,n:int>");
    lm_df_free(df);
    /* type inference can be switched off */
    assert_int_equal(
        lm_session_conf_set(s, "spark.sql.sources.partitionColumnTypeInference.enabled", "false"),
        LM_OK);
    df = read_ok(s, "text", dir, NULL, NULL);
    expect_schema(df, "struct<value:string,i:string,l:string,d:string,dt:string,ts:string,s:"
                      "string,n:string>");
    lm_df_free(df);
    io_remove_tree(dir);
    for (int i = 0; i < 2; i++)
        free(files[i]);
    free(dir);
    lm_session_close(s);
}

static void test_partition_types_widen_across_folders(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *a = make_file(dir, "p=1/f", "a\n", 2);
    char *b = make_file(dir, "p=2.5/f", "b\n", 2);
    char *c = make_file(dir, "q=x/f", "c\n", 2);
    /* p=... next to q=...: conflicting column names */
    read_fails(s, "text", dir, NULL, NULL);
    assert_non_null(strstr(lm_errmsg(s), "Conflicting partition column names detected"));
    io_remove_tree(c);
    lm_df *df = read_ok(s, "text", dir, NULL, NULL);
    expect_schema(df, "struct<value:string,p:double>");
    static const char *const rows[] = {"a|1.0", "b|2.5"};
    expect_rows(df, rows, 2);
    lm_df_free(df);
    char *d = make_file(dir, "p=2024-01-01/f", "d\n", 2);
    df = read_ok(s, "text", dir, NULL, NULL);
    expect_schema(df, "struct<value:string,p:string>");
    lm_df_free(df);
    io_remove_tree(dir);
    free(a);
    free(b);
    free(c);
    free(d);
    free(dir);
    lm_session_close(s);
}

static void test_hidden_and_temporary_files_are_ignored(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *f[5];
    f[0] = make_file(dir, "part-00000", "kept\n", 5);
    f[1] = make_file(dir, "_SUCCESS", "", 0);
    f[2] = make_file(dir, ".part-00000.crc", "crc\n", 4);
    f[3] = make_file(dir, "_temporary/0/part-00001", "partial\n", 8);
    f[4] = make_file(dir, "x.txt._COPYING_", "copying\n", 8);
    lm_df *df = read_ok(s, "text", dir, NULL, NULL);
    static const char *const rows[] = {"kept"};
    expect_rows(df, rows, 1);
    lm_df_free(df);
    io_remove_tree(dir);
    for (int i = 0; i < 5; i++)
        free(f[i]);
    free(dir);
    lm_session_close(s);
}

static void test_files_are_read_largest_first(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *a = make_file(dir, "part-00000", "a\n", 2);
    char *b = make_file(dir, "part-00001", "bb\nbb\n", 6);
    char *c = make_file(dir, "part-00002", "c\n", 2);
    /* FileSourceScanExec orders splits by size, descending */
    lm_df *df = read_ok(s, "text", dir, NULL, NULL);
    static const char *const rows[] = {"bb", "bb", "a", "c"};
    expect_rows(df, rows, 4);
    lm_df_free(df);
    io_remove_tree(dir);
    free(a);
    free(b);
    free(c);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------------- writing */

static lm_df *sql_df(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    lm_status rc = lm_sql(s, sql, &df);
    if (rc != LM_OK)
        print_message("%s\n", lm_errmsg(s));
    assert_int_equal(rc, LM_OK);
    return df;
}

/* The single part file of a written folder. */
static char *part_file(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls %s | grep '^part-'", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char name[512] = {0};
    assert_non_null(fgets(name, sizeof name, p));
    pclose(p);
    name[strcspn(name, "\n")] = '\0';
    return join_path(dir, name);
}

static void test_text_writer_writes_lines(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "t");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES ('a'), (NULL), ('b c') AS t(v)");
    assert_int_equal(lm_write(df, "text", out, NULL, NULL, NULL, 0), LM_OK);
    char *pf = part_file(out);
    assert_non_null(strstr(pf, "-c000.txt"));
    size_t n;
    char *content = slurp(pf, &n);
    assert_string_equal(content, "a\n\nb c\n");
    free(content);
    free(pf);
    static const char *const kv[] = {"lineSep", "|", NULL};
    lm_options *o = opts_of(kv);
    assert_int_equal(lm_write(df, "text", out, "overwrite", o, NULL, 0), LM_OK);
    lm_options_free(o);
    pf = part_file(out);
    content = slurp(pf, &n);
    assert_string_equal(content, "a||b c|");
    free(content);
    free(pf);
    lm_df_free(df);
    df = sql_df(s, "SELECT 'a' AS v, 1 AS x");
    assert_int_equal(lm_write(df, "text", out, "overwrite", NULL, NULL, 0), LM_ERROR);
    assert_string_equal(lm_errclass(s), "_LEGACY_ERROR_TEMP_1290");
    lm_df_free(df);
    df = sql_df(s, "SELECT 1 AS v");
    assert_int_equal(lm_write(df, "text", out, "overwrite", NULL, NULL, 0), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource "
                                      "doesn't support the column `v` of the type \"INT\".");
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_file_lines_become_value_rows),
        cmocka_unit_test(test_several_paths_and_globs),
        cmocka_unit_test(test_wholetext_reads_a_file_as_one_row),
        cmocka_unit_test(test_partitioned_folders_add_typed_columns),
        cmocka_unit_test(test_select_from_text_path),
        cmocka_unit_test(test_postgresql_tables),
        cmocka_unit_test(test_lines_blank_lines_and_separators),
        cmocka_unit_test(test_text_keeps_invalid_utf8_bytes),
        cmocka_unit_test(test_text_schema_must_be_one_string),
        cmocka_unit_test(test_gzip_text),
        cmocka_unit_test(test_partition_value_types),
        cmocka_unit_test(test_partition_types_widen_across_folders),
        cmocka_unit_test(test_hidden_and_temporary_files_are_ignored),
        cmocka_unit_test(test_files_are_read_largest_first),
        cmocka_unit_test(test_text_writer_writes_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
