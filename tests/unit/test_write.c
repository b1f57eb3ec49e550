/*
 * Specification of the writers: Spark's output layout (part-00000-<uuid>-
 * c000.<ext>, _SUCCESS, col=value folders), the save modes, the CSV and
 * JSON text of values and the options that shape it, compression and
 * encodings, write -> read round trips, and atomicity: a write that fails
 * leaves the target exactly as it was and no staging files behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <regex.h>

#include "io_test.h"

static lm_df *sql_df(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    lm_status rc = lm_sql(s, sql, &df);
    if (rc != LM_OK)
        print_message("%s\n", lm_errmsg(s));
    assert_int_equal(rc, LM_OK);
    return df;
}

static lm_status write_df(lm_df *df, const char *fmt, const char *path, const char *mode,
                          const char *const *kv, const char *const *pb, int npb)
{
    lm_options *o = opts_of(kv);
    lm_status rc = lm_write(df, fmt, path, mode, o, pb, npb);
    lm_options_free(o);
    return rc;
}

/* Names in a folder, sorted, joined by ','. */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return strdup("<missing>");
    char *names[64];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 64)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            names[n++] = strdup(de->d_name);
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    char *out = calloc(1, 8192);
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strncat(out, names[i], 8191 - strlen(out));
        free(names[i]);
    }
    return out;
}

/* The only part file of a folder. */
static char *part_file(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    char *found = NULL;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "part-", 5) == 0) {
            assert_null(found);
            found = join_path(dir, de->d_name);
        }
    }
    closedir(d);
    assert_non_null(found);
    return found;
}

static char *part_text(const char *dir)
{
    char *pf = part_file(dir);
    char *t = slurp(pf, NULL);
    free(pf);
    return t;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* ------------------------------------------------------------- layout */

static void test_csv_output_layout_matches_spark(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, v)");
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, NULL, 0), LM_OK);
    char *names = listing(out);
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^_SUCCESS,part-00000-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]"
                             "{3}-[0-9a-f]{12}-c000\\.csv$",
                             REG_EXTENDED),
                     0);
    assert_int_equal(regexec(&re, names, 0, NULL, 0), 0);
    regfree(&re);
    free(names);
    char *t = part_text(out);
    assert_string_equal(t, "1,a\n2,b\n");
    free(t);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_values_and_header(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT 1 AS a, 'x,y' AS b, CAST(NULL AS STRING) AS c, '' AS d, 1.5D AS "
                          "e, 1.0E10 AS f, DATE'2020-01-02' AS g, TIMESTAMP'2020-01-02 03:04:05.5' "
                          "AS h, 1.25BD AS i, true AS j, CAST(0.0000001 AS DECIMAL(9,8)) AS k");
    static const char *const kv[] = {"header", "true", NULL};
    assert_int_equal(write_df(df, "csv", out, NULL, kv, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "a,b,c,d,e,f,g,h,i,j,k\n"
                           "1,\"x,y\",,\"\",1.5,1.0E10,2020-01-02,2020-01-02T03:04:05.500Z,1.25,"
                           "true,1.0E-7\n");
    free(t);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_quote_all_and_escape_quotes(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT 'test \"quote\"' AS a, 123 AS b, 'it \"works\"!' AS c, "
                          "'\"very\" well' AS d");
    static const char *const all[] = {"quote", "\"", "escape", "\"", "quoteAll", "true", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", all, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "\"test \"\"quote\"\"\",\"123\",\"it \"\"works\"\"!\",\"\"\"very\"\" "
                           "well\"\n");
    free(t);
    static const char *const esc[] = {"quote", "\"", "escape", "\"", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", esc, NULL, 0), LM_OK);
    t = part_text(out);
    assert_string_equal(t, "\"test \"\"quote\"\"\",123,\"it \"\"works\"\"!\",\"\"\"very\"\" "
                           "well\"\n");
    free(t);
    static const char *const noesc[] = {"quote", "\"", "escapeQuotes", "false", "escape", "\"",
                                        NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", noesc, NULL, 0), LM_OK);
    t = part_text(out);
    assert_string_equal(t, "test \"quote\",123,it \"works\"!,\"\"\"very\"\" well\"\n");
    free(t);
    /* the default escape is a backslash */
    assert_int_equal(write_df(df, "csv", out, "overwrite", NULL, NULL, 0), LM_OK);
    t = part_text(out);
    assert_string_equal(t, "\"test \\\"quote\\\"\",123,\"it \\\"works\\\"!\",\"\\\"very\\\" "
                           "well\"\n");
    free(t);
    /* and it reads back */
    lm_df *back = read_ok(s, "csv", out, NULL, NULL);
    static const char *const rows[] = {"test \"quote\"|123|it \"works\"!|\"very\" well"};
    expect_rows(back, rows, 1);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_nulls_and_empty_strings(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    /* SPARK-37575: null as nothing, "" as a quoted empty string */
    lm_df *df = sql_df(s, "SELECT 'Tesla' AS make, CAST(NULL AS STRING) AS comment, '' AS blank");
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "Tesla,,\"\"\n");
    free(t);
    lm_df_free(df);
    /* SPARK-17916 / SPARK-25241 round trips */
    df = sql_df(s, "SELECT * FROM VALUES (1, 'John Doe'), (2, ''), (3, '-'), (4, CAST(NULL AS "
                   "STRING)) AS t(id, name)");
    static const char *const nv[] = {"nullValue", "-", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", nv, NULL, 0), LM_OK);
    lm_df *back = read_ok(s, "csv", out, nv, "id int, name string");
    static const char *const r1[] = {"1|John Doe", "2|", "3|NULL", "4|NULL"};
    expect_rows(back, r1, 4);
    lm_df_free(back);
    static const char *const ev[] = {"emptyValue", "-", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", ev, NULL, 0), LM_OK);
    back = read_ok(s, "csv", out, ev, "id int, name string");
    static const char *const r2[] = {"1|John Doe", "2|-", "3|-", "4|NULL"};
    expect_rows(back, r2, 4);
    lm_df_free(back);
    assert_int_equal(write_df(df, "csv", out, "overwrite", NULL, NULL, 0), LM_OK);
    back = read_ok(s, "csv", out, NULL, "id int, name string");
    static const char *const r3[] = {"1|John Doe", "2|NULL", "3|-", "4|NULL"};
    expect_rows(back, r3, 4);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_write_trims_whitespace_by_default(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT ' a' AS a, 'b  ' AS b, ' c ' AS c");
    static const char *const cases[4][3] = {{NULL, NULL, "a,b,c\n"},
                                            {"false", "false", " a,b  , c \n"},
                                            {"false", "true", " a,b, c\n"},
                                            {"true", "false", "a,b  ,c \n"}};
    for (int i = 0; i < 4; i++) {
        const char *kv[5] = {NULL};
        if (cases[i][0]) {
            kv[0] = "ignoreLeadingWhiteSpace";
            kv[1] = cases[i][0];
            kv[2] = "ignoreTrailingWhiteSpace";
            kv[3] = cases[i][1];
        }
        assert_int_equal(write_df(df, "csv", out, "overwrite", kv, NULL, 0), LM_OK);
        char *t = part_text(out);
        assert_string_equal(t, cases[i][2]);
        free(t);
    }
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_date_and_timestamp_patterns(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT DATE'2015-08-26' AS d, TIMESTAMP'2015-08-26 18:00:00' AS t");
    static const char *const kv[] = {"dateFormat", "yyyy/MM/dd", "timestampFormat",
                                     "yyyy/MM/dd HH:mm", NULL};
    assert_int_equal(write_df(df, "csv", out, NULL, kv, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "2015/08/26,2015/08/26 18:00\n");
    free(t);
    static const char *const tz[] = {"timestampFormat", "yyyy/MM/dd HH:mm", "timeZone",
                                     "America/Los_Angeles", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", tz, NULL, 0), LM_OK);
    t = part_text(out);
    assert_string_equal(t, "2015-08-26,2015/08/26 11:00\n");
    free(t);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_line_separator_and_delimiter(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES ('a', 1), ('b', 2) AS t(x, y)");
    static const char *const kv[] = {"lineSep", "!", "sep", "\\t", NULL};
    assert_int_equal(write_df(df, "csv", out, NULL, kv, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "a\t1!b\t2!");
    free(t);
    lm_df *back = read_ok(s, "csv", out, kv, NULL);
    static const char *const rows[] = {"a|1", "b|2"};
    expect_rows(back, rows, 2);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_csv_rejects_nested_types(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = read_ok(s, "json", data_path("with-array-fields.json"), NULL, NULL);
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, NULL, 0), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource "
                                      "doesn't support the column `intervals` of the type "
                                      "\"ARRAY<STRUCT<endTime: BIGINT, startTime: BIGINT>>\".");
    assert_false(exists(out));
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------------ JSON */

static void test_json_values_omit_nulls(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "json");
    lm_df *df = sql_df(s, "SELECT 1 AS a, 'x\"y\\n\\u0001' AS b, CAST(NULL AS STRING) AS c, "
                          "CAST('NaN' AS DOUBLE) AS d, 1.0E10 AS e, DATE'2020-01-02' AS f, "
                          "TIMESTAMP'2020-01-02 03:04:05' AS g, 12.50BD AS h, false AS i");
    assert_int_equal(write_df(df, "json", out, NULL, NULL, NULL, 0), LM_OK);
    char *names = listing(out);
    assert_non_null(strstr(names, "-c000.json"));
    free(names);
    char *t = part_text(out);
    assert_string_equal(t, "{\"a\":1,\"b\":\"x\\\"y\\n\\u0001\",\"d\":\"NaN\",\"e\":1.0E10,"
                           "\"f\":\"2020-01-02\",\"g\":\"2020-01-02T03:04:05.000Z\",\"h\":12.50,"
                           "\"i\":false}\n");
    free(t);
    static const char *const kv[] = {"ignoreNullFields", "false", "lineSep", "|", NULL};
    assert_int_equal(write_df(df, "json", out, "overwrite", kv, NULL, 0), LM_OK);
    t = part_text(out);
    assert_non_null(strstr(t, "\"c\":null,"));
    assert_int_equal(t[strlen(t) - 1], '|');
    free(t);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_json_round_trip_of_nested_values(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "json");
    static const char *const files[] = {"with-array-fields.json", "with-map-fields.json"};
    for (int i = 0; i < 2; i++) {
        lm_df *df = read_ok(s, "json", data_path(files[i]), NULL, NULL);
        assert_int_equal(write_df(df, "json", out, "overwrite", NULL, NULL, 0), LM_OK);
        lm_df *back = read_ok(s, "json", out, NULL, NULL);
        char *a = lm_df_schema_string(df), *b = lm_df_schema_string(back);
        assert_string_equal(a, b);
        free(a);
        free(b);
        lm_rows *ra = NULL, *rb = NULL;
        assert_int_equal(lm_df_collect(df, &ra), LM_OK);
        assert_int_equal(lm_df_collect(back, &rb), LM_OK);
        assert_int_equal(lm_rows_count(ra), lm_rows_count(rb));
        for (int64_t r = 0; r < lm_rows_count(ra); r++)
            for (int c = 0; c < lm_rows_num_columns(ra); c++) {
                char *x = lm_rows_render(ra, r, c, LM_RENDER_HIVE);
                char *y = lm_rows_render(rb, r, c, LM_RENDER_HIVE);
                assert_string_equal(x, y);
                free(x);
                free(y);
            }
        lm_rows_free(ra);
        lm_rows_free(rb);
        lm_df_free(back);
        lm_df_free(df);
    }
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_json_write_in_utf16_and_utf32(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "json");
    lm_df *df = sql_df(s, "SELECT 'a' AS _1, 1 AS _2");
    static const char *const u16[] = {"encoding", "UTF-16", NULL};
    assert_int_equal(write_df(df, "json", out, NULL, u16, NULL, 0), LM_OK);
    size_t n;
    char *pf = part_file(out);
    char *t = slurp(pf, &n);
    /* Java's UTF-16 encoder: a big-endian BOM, then big-endian units */
    const char *txt = "{\"_1\":\"a\",\"_2\":1}\n";
    assert_int_equal(n, 2 + 2 * strlen(txt));
    assert_int_equal((unsigned char)t[0], 0xFE);
    assert_int_equal((unsigned char)t[1], 0xFF);
    for (size_t i = 0; i < strlen(txt); i++) {
        assert_int_equal(t[2 + 2 * i], 0);
        assert_int_equal(t[3 + 2 * i], txt[i]);
    }
    free(t);
    free(pf);
    static const char *const u32[] = {"encoding", "UTF-32BE", NULL};
    assert_int_equal(write_df(df, "json", out, "overwrite", u32, NULL, 0), LM_OK);
    pf = part_file(out);
    t = slurp(pf, &n);
    assert_int_equal(n, 4 * strlen(txt));
    free(t);
    free(pf);
    /* read back with the encoding and a line separator */
    static const char *const r32[] = {"encoding", "UTF-32BE", "lineSep", "\n", NULL};
    lm_df *back = read_ok(s, "json", out, r32, NULL);
    static const char *const rows[] = {"a|1"};
    expect_rows(back, rows, 1);
    lm_df_free(back);
    static const char *const bad[] = {"encoding", "UTF-128", NULL};
    assert_int_equal(write_df(df, "json", out, "overwrite", bad, NULL, 0), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "UTF-128"));
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* SPARK-36831: ANSI intervals are written as CAST(... AS STRING) gives
   them and read back through the same cast. */
static void test_ansi_intervals_round_trip(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT 1 AS d, INTERVAL '1-2' YEAR TO MONTH AS i, INTERVAL '1 "
                          "02:03:04' DAY TO SECOND AS j");
    static const char *const fmts[] = {"csv", "json"};
    for (int f = 0; f < 2; f++) {
        assert_int_equal(write_df(df, fmts[f], out, "overwrite", NULL, NULL, 0), LM_OK);
        char *t = part_text(out);
        assert_string_equal(t, f == 0 ? "1,INTERVAL '1-2' YEAR TO MONTH,INTERVAL '1 02:03:04' DAY "
                                        "TO SECOND\n"
                                      : "{\"d\":1,\"i\":\"INTERVAL '1-2' YEAR TO MONTH\",\"j\":"
                                        "\"INTERVAL '1 02:03:04' DAY TO SECOND\"}\n");
        free(t);
        lm_df *back = read_ok(s, fmts[f], out, NULL,
                              "d int, i interval year to month, j interval day to second");
        static const char *const rows[] = {"1|1-2|1 02:03:04.000000000"};
        expect_rows(back, rows, 1);
        lm_df_free(back);
    }
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------ round trips */

static void test_cars_round_trip_through_csv(void **state)
{
    (void)state;
    REQUIRE_DATA();
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    static const char *const h[] = {"header", "true", NULL};
    lm_df *df = read_ok(s, "csv", data_path("cars.csv"), h, NULL);
    assert_int_equal(write_df(df, "csv", out, NULL, h, NULL, 0), LM_OK);
    lm_df *back = read_ok(s, "csv", out, h, NULL);
    expect_schema(back, "struct<year:string,make:string,model:string,comment:string,blank:string>");
    static const char *const rows[] = {"2012|Tesla|S|No comment|NULL",
                                       "1997|Ford|E350|Go get one now they are going fast|NULL",
                                       "2015|Chevy|Volt|NULL|NULL"};
    expect_rows(back, rows, 3);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_typed_round_trip_with_inference(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 10000000000, 1.5D, DATE'2020-01-02', "
                          "TIMESTAMP'2020-01-02 03:04:05', true, 'x'), (2, NULL, NULL, NULL, NULL, "
                          "false, NULL) AS t(i, l, d, dt, ts, b, s)");
    static const char *const kv[] = {"header", "true", "inferSchema", "true", NULL};
    assert_int_equal(write_df(df, "csv", out, NULL, kv, NULL, 0), LM_OK);
    lm_df *back = read_ok(s, "csv", out, kv, NULL);
    expect_schema(back,
                  "struct<i:int,l:bigint,d:double,dt:date,ts:timestamp,b:boolean,s:string>");
    static const char *const rows[] = {"1|10000000000|1.5|2020-01-02|2020-01-02 03:04:05|true|x",
                                       "2|NULL|NULL|NULL|NULL|false|NULL"};
    expect_rows(back, rows, 2);
    lm_df_free(back);
    /* the same through JSON, with the schema given */
    char *jout = join_path(dir, "json");
    assert_int_equal(write_df(df, "json", jout, NULL, NULL, NULL, 0), LM_OK);
    back = read_ok(s, "json", jout, NULL,
                   "i int, l bigint, d double, dt date, ts timestamp, b boolean, s string");
    expect_rows(back, rows, 2);
    lm_df_free(back);
    free(jout);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_empty_dataframe_writes_header_only(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 'a') AS t(x, y) WHERE x > 5");
    static const char *const h[] = {"header", "true", NULL};
    assert_int_equal(write_df(df, "csv", out, NULL, h, NULL, 0), LM_OK);
    char *t = part_text(out);
    assert_string_equal(t, "x,y\n");
    free(t);
    lm_df *back = read_ok(s, "csv", out, h, NULL);
    expect_schema(back, "struct<x:string,y:string>");
    assert_int_equal(count_rows(back), 0);
    lm_df_free(back);
    char *jout = join_path(dir, "json");
    assert_int_equal(write_df(df, "json", jout, NULL, NULL, NULL, 0), LM_OK);
    t = part_text(jout);
    assert_string_equal(t, "");
    free(t);
    free(jout);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------ compression */

static void test_compression_codecs(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "csv");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)");
    static const char *const codecs[][2] = {{"gZiP", ".csv.gz"}, {"zstd", ".csv.zst"},
                                            {"deflate", ".csv.deflate"}, {"none", "-c000.csv"}};
    for (int i = 0; i < 4; i++) {
        const char *kv[] = {"compression", codecs[i][0], NULL};
        assert_int_equal(write_df(df, "csv", out, "overwrite", kv, NULL, 0), LM_OK);
        char *pf = part_file(out);
        size_t l = strlen(pf), e = strlen(codecs[i][1]);
        assert_string_equal(pf + l - e, codecs[i][1]);
        free(pf);
        lm_df *back = read_ok(s, "csv", out, NULL, "x int, y string");
        static const char *const rows[] = {"1|a", "2|b"};
        expect_rows(back, rows, 2);
        lm_df_free(back);
    }
    static const char *const bad[] = {"compression", "xyz", NULL};
    assert_int_equal(write_df(df, "csv", out, "overwrite", bad, NULL, 0), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "Codec [xyz] is not available."));
    /* the failed write left the previous output alone */
    lm_df *back = read_ok(s, "csv", out, NULL, "x int, y string");
    assert_int_equal(count_rows(back), 2);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------------ modes */

static void test_save_modes(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *one = sql_df(s, "SELECT 1 AS x");
    lm_df *two = sql_df(s, "SELECT 2 AS x");
    assert_int_equal(write_df(one, "csv", out, "errorifexists", NULL, NULL, 0), LM_OK);
    /* error / errorifexists / default refuse an existing path */
    static const char *const errs[] = {NULL, "error", "errorifexists", "default", "ERROR"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(write_df(two, "csv", out, errs[i], NULL, NULL, 0), LM_ERROR);
        assert_string_equal(lm_errclass(s), "PATH_ALREADY_EXISTS");
        assert_string_equal(lm_sqlstate(s), "42K04");
        char expect[1200];
        snprintf(expect, sizeof expect,
                 "[PATH_ALREADY_EXISTS] Path file:%s already exists. Set mode as \"overwrite\" "
                 "to overwrite the existing path.",
                 out);
        assert_string_equal(lm_errmsg(s), expect);
    }
    /* ignore leaves it */
    assert_int_equal(write_df(two, "csv", out, "ignore", NULL, NULL, 0), LM_OK);
    lm_df *back = read_ok(s, "csv", out, NULL, "x int");
    static const char *const r1[] = {"1"};
    expect_rows(back, r1, 1);
    lm_df_free(back);
    /* append adds a second part file */
    assert_int_equal(write_df(two, "csv", out, "append", NULL, NULL, 0), LM_OK);
    back = read_ok(s, "csv", out, NULL, "x int");
    assert_int_equal(count_rows(back), 2);
    lm_df_free(back);
    char *names = listing(out);
    assert_int_equal(strncmp(names, "_SUCCESS,part-00000-", 20), 0);
    assert_non_null(strstr(names + 20, ",part-00000-"));
    free(names);
    /* overwrite replaces everything */
    assert_int_equal(write_df(two, "csv", out, "overwrite", NULL, NULL, 0), LM_OK);
    back = read_ok(s, "csv", out, NULL, "x int");
    static const char *const r2[] = {"2"};
    expect_rows(back, r2, 1);
    lm_df_free(back);
    /* append to a new path creates it; ignore writes when absent */
    char *fresh = join_path(dir, "fresh");
    assert_int_equal(write_df(one, "csv", fresh, "ignore", NULL, NULL, 0), LM_OK);
    assert_true(exists(fresh));
    /* unknown mode */
    assert_int_equal(write_df(one, "csv", out, "upsert", NULL, NULL, 0), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "Unknown save mode: upsert. Accepted save modes are "
                                      "'overwrite', 'append', 'ignore', 'error', 'errorifexists', "
                                      "'default'.");
    free(fresh);
    lm_df_free(one);
    lm_df_free(two);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_duplicate_columns_cannot_be_written(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *df = sql_df(s, "SELECT 's1' a, 's2' a");
    static const char *const fmts[] = {"csv", "json", "text"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(write_df(df, fmts[i], out, NULL, NULL, NULL, 0), LM_ERROR);
        assert_string_equal(lm_errclass(s), "COLUMN_ALREADY_EXISTS");
        assert_false(exists(out));
    }
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------ partitionBy */

static void test_partition_by_writes_hive_folders(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 'a', 2024), (2, 'b', 2024), (3, 'c/d', 2025), "
                          "(4, 'e', NULL), (5, '', 2025), (6, 'a', 2024) AS t(id, s, y)");
    static const char *const pb[] = {"y", "s"};
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, pb, 2), LM_OK);
    char *names = listing(out);
    assert_string_equal(names, "_SUCCESS,y=2024,y=2025,y=__HIVE_DEFAULT_PARTITION__");
    free(names);
    char *sub = join_path(out, "y=2025");
    names = listing(sub);
    assert_string_equal(names, "s=__HIVE_DEFAULT_PARTITION__,s=c%2Fd");
    free(names);
    free(sub);
    /* data files hold only the other columns, in the rows' order */
    sub = join_path(out, "y=2024/s=a");
    char *t = part_text(sub);
    assert_string_equal(t, "1\n6\n");
    free(t);
    free(sub);
    lm_df *back = read_ok(s, "csv", out, NULL, "id int");
    expect_schema(back, "struct<id:int,y:int,s:string>");
    static const char *const rows[] = {"1|2024|a", "6|2024|a", "2|2024|b", "5|2025|NULL",
                                       "3|2025|c/d", "4|NULL|e"};
    expect_rows(back, rows, 6);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_partition_by_checks_columns(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *df = sql_df(s, "SELECT 1 AS a, 2 AS b");
    static const char *const missing[] = {"c"};
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, missing, 1), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "Partition column `c` not found in schema "
                                      "struct<a:int,b:int>");
    static const char *const all[] = {"a", "B"};
    assert_int_equal(write_df(df, "csv", out, NULL, NULL, all, 2), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "Cannot use all columns for partition columns");
    assert_false(exists(out));
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

/* ------------------------------------------------------- atomicity */

static void test_failed_overwrite_leaves_target_unchanged(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *good = sql_df(s, "SELECT * FROM VALUES (1), (2) AS t(x)");
    assert_int_equal(write_df(good, "csv", out, NULL, NULL, NULL, 0), LM_OK);
    char *before = listing(out);
    char *content = part_text(out);
    /* java.time cannot print an offset for a local date-time: the task fails
       after it has started writing */
    lm_df *bad = sql_df(s, "SELECT * FROM VALUES (1, TIMESTAMP_NTZ'2020-12-12 12:12:12') AS "
                           "t(x, ts)");
    static const char *const kv[] = {"timestampNTZFormat", "yyyy-MM-dd HH:mm:ss XXX", NULL};
    static const char *const modes[] = {"overwrite", "append"};
    for (int m = 0; m < 2; m++) {
        assert_int_equal(write_df(bad, "csv", out, modes[m], kv, NULL, 0), LM_ERROR);
        assert_string_equal(lm_errclass(s), "TASK_WRITE_FAILED");
        assert_non_null(strstr(lm_errmsg(s), "Unsupported field: OffsetSeconds"));
        char *after = listing(out);
        assert_string_equal(after, before);
        free(after);
        char *c2 = part_text(out);
        assert_string_equal(c2, content);
        free(c2);
    }
    /* the same failure with partitionBy, into folders */
    static const char *const pb[] = {"x"};
    assert_int_equal(write_df(bad, "json", out, "overwrite", kv, pb, 1), LM_ERROR);
    char *after = listing(out);
    assert_string_equal(after, before);
    free(after);
    /* a new path that fails is not left behind */
    char *fresh = join_path(dir, "fresh");
    assert_int_equal(write_df(bad, "csv", fresh, NULL, kv, NULL, 0), LM_ERROR);
    assert_false(exists(fresh));
    free(fresh);
    free(before);
    free(content);
    lm_df_free(bad);
    lm_df_free(good);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

static void test_unwritable_target_fails_cleanly(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *file = join_path(dir, "afile");
    write_file(file, "x", 1);
    char *under = join_path(file, "sub");
    lm_df *df = sql_df(s, "SELECT 1 AS x");
    /* a path below a regular file cannot be created */
    assert_int_equal(write_df(df, "csv", under, NULL, NULL, NULL, 0), LM_EIO);
    assert_non_null(strstr(lm_errmsg(s), "Mkdirs failed to create"));
    char *names = listing(dir);
    assert_string_equal(names, "afile");
    free(names);
    /* a read-only folder (effective unless running as root) */
    char *ro = join_path(dir, "ro");
    mkdir(ro, 0755);
    char *target = join_path(ro, "out");
    chmod(ro, 0555);
    lm_status rc = write_df(df, "csv", target, NULL, NULL, NULL, 0);
    if (geteuid() != 0) {
        assert_int_equal(rc, LM_EIO);
        assert_false(exists(target));
    }
    chmod(ro, 0755);
    /* overwrite of a file turns it into the output folder */
    assert_int_equal(write_df(df, "csv", file, "overwrite", NULL, NULL, 0), LM_OK);
    lm_df *back = read_ok(s, "csv", file, NULL, "x int");
    static const char *const rows[] = {"1"};
    expect_rows(back, rows, 1);
    lm_df_free(back);
    names = listing(dir);
    assert_non_null(strstr(names, "afile"));
    assert_null(strstr(names, "displaced"));
    free(names);
    lm_df_free(df);
    io_remove_tree(dir);
    free(ro);
    free(target);
    free(file);
    free(under);
    free(dir);
    lm_session_close(s);
}

static void test_commit_leaves_no_staging_folder(void **state)
{
    (void)state;
    lm_session *s = open_session();
    char *dir = temp_dir();
    char *out = join_path(dir, "out");
    lm_df *df = sql_df(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, p)");
    static const char *const pb[] = {"p"};
    assert_int_equal(write_df(df, "json", out, NULL, NULL, pb, 1), LM_OK);
    assert_int_equal(write_df(df, "json", out, "append", NULL, pb, 1), LM_OK);
    char *tmp = join_path(out, "_temporary");
    assert_false(exists(tmp));
    free(tmp);
    char *names = listing(out);
    assert_string_equal(names, "_SUCCESS,p=a,p=b");
    free(names);
    lm_df *back = read_ok(s, "json", out, NULL, NULL);
    expect_schema(back, "struct<x:bigint,p:string>");
    assert_int_equal(count_rows(back), 4);
    lm_df_free(back);
    lm_df_free(df);
    io_remove_tree(dir);
    free(out);
    free(dir);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_output_layout_matches_spark),
        cmocka_unit_test(test_csv_values_and_header),
        cmocka_unit_test(test_csv_quote_all_and_escape_quotes),
        cmocka_unit_test(test_csv_nulls_and_empty_strings),
        cmocka_unit_test(test_csv_write_trims_whitespace_by_default),
        cmocka_unit_test(test_csv_date_and_timestamp_patterns),
        cmocka_unit_test(test_csv_line_separator_and_delimiter),
        cmocka_unit_test(test_csv_rejects_nested_types),
        cmocka_unit_test(test_json_values_omit_nulls),
        cmocka_unit_test(test_json_round_trip_of_nested_values),
        cmocka_unit_test(test_json_write_in_utf16_and_utf32),
        cmocka_unit_test(test_ansi_intervals_round_trip),
        cmocka_unit_test(test_cars_round_trip_through_csv),
        cmocka_unit_test(test_typed_round_trip_with_inference),
        cmocka_unit_test(test_empty_dataframe_writes_header_only),
        cmocka_unit_test(test_compression_codecs),
        cmocka_unit_test(test_save_modes),
        cmocka_unit_test(test_duplicate_columns_cannot_be_written),
        cmocka_unit_test(test_partition_by_writes_hive_folders),
        cmocka_unit_test(test_partition_by_checks_columns),
        cmocka_unit_test(test_failed_overwrite_leaves_target_unchanged),
        cmocka_unit_test(test_unwritable_target_fails_cleanly),
        cmocka_unit_test(test_commit_leaves_no_staging_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
