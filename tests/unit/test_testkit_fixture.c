/*
 * Specification of YAML fixtures (lmt_fixture_load*): what a file declares
 * becomes temp views with exactly these values, and every mistake in a
 * file is reported with its file, line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

static const char *PEOPLE_YAML =
    "# people and their orders\n"
    "tables:\n"
    "  people:\n"
    "    schema: \"id INT NOT NULL, name STRING, born DATE,\n"
    "             address STRUCT<city: STRING, zip: INT>, tags ARRAY<STRING>\"\n"
    "    rows:\n"
    "      - [1, Alice, 1990-01-31, {city: Paris, zip: 75001}, [a, b]]\n"
    "      - {id: 2, name: null, address: [Oslo, ~], tags: []}\n"
    "      - {id: 3, name: 'null', tags: [null, '']}\n"
    "  orders:\n"
    "    schema: \"order_id BIGINT, person INT, amount DECIMAL(10,2), paid BOOLEAN,\n"
    "             at TIMESTAMP, score DOUBLE, raw BINARY, attrs MAP<STRING, INT>\"\n"
    "    rows:\n"
    "      - [100, 1, 12.50, yes, 2024-01-01 10:00:00, .nan, !!binary aGVsbG8=, {a: 1}]\n"
    "      - [101, 1, -3, false, 2024-02-29T23:59:59.5, -.inf, bytes, {}]\n"
    "      - [102, 2, 0.01, ~, ~, -0.0, ~, {b: 2, a: ~}]\n";

static char *show(lm_df *df)
{
    return lm_df_show_string(df, 20, 0, false);
}

static void assert_show(lm_session *s, const char *sql, const char *expected)
{
    lm_df *df = lmt_sql(s, sql);
    char *text = show(df);
    if (strcmp(text, expected) != 0)
        fprintf(stderr, "--- got\n%s--- expected\n%s", text, expected);
    assert_string_equal(text, expected);
    free(text);
}

static char *load_error(lm_session *s, const char *yaml)
{
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(s, yaml, "t.yaml", &err);
    if (f != NULL)
        fprintf(stderr, "loaded when an error was expected:\n%s", yaml);
    assert_null(f);
    assert_non_null(err);
    return err;
}

static void assert_load_error(lm_session *s, const char *yaml, const char *expected)
{
    char *err = load_error(s, yaml);
    if (strcmp(err, expected) != 0)
        fprintf(stderr, "--- got\n%s\n--- expected\n%s\n", err, expected);
    assert_string_equal(err, expected);
    free(err);
}

/* -------------------------------------------------------------- loading */

static void test_tables_become_temp_views(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(s, PEOPLE_YAML, "people.yaml", &err);
    assert_null(err);
    assert_non_null(f);
    assert_int_equal(lmt_fixture_num_tables(f), 2);
    assert_string_equal(lmt_fixture_table_name(f, 0), "people");
    assert_string_equal(lmt_fixture_table_name(f, 1), "orders");
    assert_null(lmt_fixture_table_name(f, 2));
    assert_show(s, "SELECT * FROM people",
                "+---+-----+----------+--------------+--------+\n"
                "|id |name |born      |address       |tags    |\n"
                "+---+-----+----------+--------------+--------+\n"
                "|1  |Alice|1990-01-31|{Paris, 75001}|[a, b]  |\n"
                "|2  |NULL |NULL      |{Oslo, null}  |[]      |\n"
                "|3  |null |NULL      |NULL          |[null, ]|\n"
                "+---+-----+----------+--------------+--------+\n");
    lm_df *people = lmt_fixture_df(f, "PEOPLE");
    assert_non_null(people);
    char *schema = lm_df_schema_string(people);
    assert_string_equal(schema, "struct<id:int,name:string,born:date,address:struct<city:string,"
                                "zip:int>,tags:array<string>>");
    free(schema);
    lm_df_free(people);
    lm_df *scalars = lmt_sql(s, "SELECT id, name, born FROM people");
    lmt_assert_rows_equal(
        scalars, "(1, 'Alice', DATE'1990-01-31'), (2, NULL, NULL), (3, 'null', NULL)", NULL);
    assert_null(lmt_fixture_df(f, "nobody"));
    lmt_fixture_free(f);
}

static void test_scalars_are_read_as_spark_casts_them(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(s, PEOPLE_YAML, "people.yaml", &err);
    assert_non_null(f);
    assert_show(s, "SELECT * FROM orders",
                "+--------+------+------+-----+---------------------+---------+----------------+"
                "-------------------+\n"
                "|order_id|person|amount|paid |at                   |score    |raw             |"
                "attrs              |\n"
                "+--------+------+------+-----+---------------------+---------+----------------+"
                "-------------------+\n"
                "|100     |1     |12.50 |true |2024-01-01 10:00:00  |NaN      |[68 65 6C 6C 6F]|"
                "{a -> 1}           |\n"
                "|101     |1     |-3.00 |false|2024-02-29 23:59:59.5|-Infinity|[62 79 74 65 73]|"
                "{}                 |\n"
                "|102     |2     |0.01  |NULL |NULL                 |-0.0     |NULL            |"
                "{b -> 2, a -> null}|\n"
                "+--------+------+------+-----+---------------------+---------+----------------+"
                "-------------------+\n");
    lmt_fixture_free(f);
}

static void test_fixture_file_and_fixture_dir(void **state)
{
    lm_session *s = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/small.yaml", lmt_tmpdir());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("tables:\n  small:\n    schema: \"n INT\"\n    rows: [[1], [2]]\n", fp);
    fclose(fp);
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load(s, path, &err);
    assert_non_null(f);
    lmt_fixture_free(f);
    setenv("LMT_FIXTURE_DIR", lmt_tmpdir(), 1);
    lmt_fixture *g = lmt_load_fixture(s, "small.yaml");
    unsetenv("LMT_FIXTURE_DIR");
    assert_non_null(g);
    lm_df *df = lmt_sql(s, "SELECT * FROM small");
    lmt_assert_rows_equal(df, "1, 2", NULL);
}

static void test_missing_file(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    assert_null(lmt_fixture_load(s, "/nonexistent/x.yaml", &err));
    assert_string_equal(err, "/nonexistent/x.yaml: cannot read the fixture file");
    free(err);
}

static void child_load_missing(void **state)
{
    lmt_load_fixture(*state, "/nonexistent/x.yaml");
}

static void test_load_fixture_fails_the_test(void **state)
{
    (void)state;
    tks_child c = tks_run_child(child_load_missing, "child_load_missing", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[FIXTURE_ERROR] /nonexistent/x.yaml: cannot read the fixture "
                                     "file\n"));
    free(c.output);
}

static void test_loading_is_all_or_nothing(void **state)
{
    lm_session *s = *state;
    char *err = load_error(s, "tables:\n"
                              "  first_ok:\n"
                              "    schema: \"a INT\"\n"
                              "  second_bad:\n"
                              "    schema: \"a INT\"\n"
                              "    rows: [[x]]\n");
    free(err);
    lmt_assert_sql_error(s, "SELECT * FROM first_ok", "TABLE_OR_VIEW_NOT_FOUND");
}

/* --------------------------------------------------------------- errors */

static void test_value_errors_name_file_line_and_column(void **state)
{
    lm_session *s = *state;
    assert_load_error(s,
                      "tables:\n"
                      "  t:\n"
                      "    schema: \"id INT, address STRUCT<city: STRING, zip: INT>\"\n"
                      "    rows:\n"
                      "      - [1, {city: Paris, zip: 75001}]\n"
                      "      - [abc, {city: Oslo}]\n",
                      "t.yaml:6:10: table `t`, row 2, column `id`, 'abc' cannot be read as int "
                      "(CAST_INVALID_INPUT)");
    assert_load_error(s,
                      "tables:\n"
                      "  t:\n"
                      "    schema: \"id INT, address STRUCT<city: STRING, zip: INT>\"\n"
                      "    rows:\n"
                      "      - [1, {city: Paris, zip: 75OO1}]\n",
                      "t.yaml:5:32: table `t`, row 1, column `address.zip`, '75OO1' cannot be read "
                      "as int (CAST_INVALID_INPUT)");
    assert_load_error(
        s, "tables:\n  t:\n    schema: \"d DATE\"\n    rows: [[2024-02-30]]\n",
        "t.yaml:4:13: table `t`, row 1, column `d`, '2024-02-30' cannot be read as date "
        "(CAST_INVALID_INPUT)");
    assert_load_error(s, "tables:\n  t:\n    schema: \"n TINYINT\"\n    rows: [[300]]\n",
                      "t.yaml:4:13: table `t`, row 1, column `n`, '300' cannot be read as tinyint "
                      "(CAST_INVALID_INPUT)");
}

static void test_shape_errors(void **state)
{
    lm_session *s = *state;
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n    rows:\n      - {a: 1, b: 2}\n",
                      "t.yaml:5:16: table `t`, row 1, unknown column `b`");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n    rows:\n      - [1, 2]\n",
                      "t.yaml:5:9: table `t`, row 1, 2 values for 1 column");
    assert_load_error(
        s, "tables:\n  t:\n    schema: \"a INT, b INT\"\n    rows:\n      - 7\n",
        "t.yaml:5:9: table `t`, row 1, expected a list or a mapping of columns, found "
        "a scalar");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a ARRAY<INT>\"\n    rows: [[5]]\n",
                      "t.yaml:4:13: table `t`, row 1, column `a`, expected a list for array<int>, "
                      "found a scalar");
    assert_load_error(s, "tables:\n  t:\n    schema: \"m MAP<STRING, INT>\"\n    rows: [[[1]]]\n",
                      "t.yaml:4:13: table `t`, row 1, column `m`, expected a mapping for "
                      "map<string,int>, found a list");
    assert_load_error(s,
                      "tables:\n  t:\n    schema: \"m MAP<STRING, INT>\"\n"
                      "    rows: [[{a: 1, a: 2}]]\n",
                      "t.yaml:4:20: table `t`, row 1, column `m`, duplicate map key");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n    rows:\n      - {a: 1, a: 2}\n",
                      "t.yaml:5:16: table `t`, row 1, column `a`, given twice");
}

static void test_null_errors(void **state)
{
    lm_session *s = *state;
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT NOT NULL\"\n    rows: [[~]]\n",
                      "t.yaml:4:13: table `t`, row 1, column `a`, null in a NOT NULL column");
    assert_load_error(s,
                      "tables:\n  t:\n    schema: \"a INT NOT NULL, b INT\"\n"
                      "    rows: [{b: 1}]\n",
                      "t.yaml:4:12: table `t`, row 1, column `a`, no value for a NOT NULL column");
    assert_load_error(s,
                      "tables:\n  t:\n    schema: \"s STRUCT<x: INT NOT NULL>\"\n"
                      "    rows: [[{x: null}]]\n",
                      "t.yaml:4:17: table `t`, row 1, column `s.x`, null in a NOT NULL field");
}

static void test_document_errors(void **state)
{
    lm_session *s = *state;
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\n",
                      "t.yaml:4:1: YAML error: found unexpected end of stream while scanning a "
                      "quoted scalar (line 3)");
    assert_load_error(s, "table:\n  t: {}\n",
                      "t.yaml:1:1: unknown key `table` (expected `tables`)");
    assert_load_error(s, "- 1\n", "t.yaml:1:1: expected a mapping with `tables`, found a list");
    assert_load_error(s, "", "t.yaml: empty document (expected `tables:`)");
    assert_load_error(s, "tables: [1]\n", "t.yaml:1:9: `tables` must map table names to tables");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n    row: []\n",
                      "t.yaml:4:5: table `t`, unknown key `row` (a table has `schema` and `rows`)");
    assert_load_error(s, "tables:\n  t:\n    rows: []\n",
                      "t.yaml:3:5: table `t`, `schema` must be a DDL string such as \"id INT, name "
                      "STRING\"");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n  T:\n    schema: \"a INT\"\n",
                      "t.yaml:4:3: table `T` declared twice");
    assert_load_error(s, "tables:\n  t:\n    schema: \"a INT\"\n    rows: {a: 1}\n",
                      "t.yaml:4:11: table `t`, `rows` must be a list");
    char *err = load_error(s, "tables:\n  t:\n    schema: \"a INTEGR\"\n");
    assert_true(strncmp(err, "t.yaml:3:13: table `t`, bad schema: [UNSUPPORTED_DATATYPE]", 58) ==
                0);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_tables_become_temp_views),
        lmt_unit_test(test_scalars_are_read_as_spark_casts_them),
        lmt_unit_test(test_fixture_file_and_fixture_dir),
        lmt_unit_test(test_missing_file),
        cmocka_unit_test(test_load_fixture_fails_the_test),
        lmt_unit_test(test_loading_is_all_or_nothing),
        lmt_unit_test(test_value_errors_name_file_line_and_column),
        lmt_unit_test(test_shape_errors),
        lmt_unit_test(test_null_errors),
        lmt_unit_test(test_document_errors),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
