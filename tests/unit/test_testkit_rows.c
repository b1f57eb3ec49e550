/*
 * Specification of the comparisons against literal rows (lmt_rows_equal,
 * lmt_rows_equal_values), of two columns of one DataFrame
 * (lmt_column_equal), and of nested values (structs, arrays, maps) built
 * from YAML fixtures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

#include "api/df.h"
#include "catalog/catalog.h"
#include "types/value.h"

static void assert_report(lmt_result r, lmt_outcome outcome, const char *expected)
{
    if (r.outcome != outcome || r.report == NULL || strcmp(r.report, expected) != 0)
        fprintf(stderr, "--- got (%d)\n%s\n--- expected\n%s\n", r.outcome,
                r.report ? r.report : "(equal)", expected);
    assert_int_equal(r.outcome, outcome);
    assert_string_equal(r.report, expected);
    lmt_result_free(&r);
}

static lmt_outcome outcome_of(lmt_result r)
{
    lmt_outcome o = r.outcome;
    lmt_result_free(&r);
    return o;
}

static void assert_equal_result(lmt_result r)
{
    if (r.outcome != LMT_EQUAL)
        fprintf(stderr, "%s\n", r.report ? r.report : "?");
    assert_int_equal(r.outcome, LMT_EQUAL);
    lmt_result_free(&r);
}

static lmt_df_opts full(void)
{
    lmt_df_opts o = lmt_df_opts_default();
    o.format = LMT_FORMAT_FULL;
    o.color = LMT_COLOR_NEVER;
    return o;
}

#define ORDERS                                                                                     \
    "SELECT * FROM VALUES (1L, 'books', 12.5D, DATE'2024-01-31'), "                                \
    "(2L, 'games', 30.0D, DATE'2024-02-29') AS t(id, category, amount, day)"

/* ---------------------------------------------------------- literal rows */

static void test_literal_rows_match_across_types(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, ORDERS);
    /* 1 is an int and 12.5 a decimal(3,1), '2024-01-31' a string: they
       match the bigint, double and date columns by value */
    assert_equal_result(lmt_rows_equal(df,
                                       "(2, 'games', 30, '2024-02-29'), "
                                       "(1, 'books', 12.5, '2024-01-31')",
                                       NULL));
    lmt_assert_rows_equal(df,
                          "(1, 'books', 12.5, DATE'2024-01-31'), (2, 'games', 30.0, "
                          "DATE'2024-02-29')",
                          NULL);
}

static void test_literal_rows_report_uses_the_actual_names(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, ORDERS);
    lmt_df_opts o = full();
    o.check_row_order = true;
    assert_report(lmt_rows_equal(df,
                                 "(1, 'books', 12.5, '2024-01-31'), "
                                 "(2, 'games', 31.0, '2024-02-29')",
                                 &o),
                  LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (50.00000 %)\n"
                  "rows compared in order; actual 2 rows, expected 2 rows\n"
                  "    | actual                              || expected\n"
                  "    | id | category | amount | day        || id | category | amount | day\n"
                  "----+----+----------+--------+------------++----+----------+--------+"
                  "------------\n"
                  "  1 | 1  | books    | 12.5   | 2024-01-31 || 1  | books    | 12.5   | "
                  "2024-01-31\n"
                  "! 2 | 2  | games    | 30.0   | 2024-02-29 || 2  | games    | 31.0   | "
                  "2024-02-29\n"
                  "    |    |          | ^^^^   |            ||    |          | ^^^^   |");
}

static void test_literal_rows_single_column(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT * FROM VALUES (3), (1), (2) AS t(n)");
    assert_equal_result(lmt_rows_equal(df, "1, 2, 3", NULL));
    lmt_df_opts o = full();
    o.check_row_order = true;
    assert_int_equal(outcome_of(lmt_rows_equal(df, "1, 2, 3", &o)), LMT_DIFFERENT_ROWS);
}

static void test_literal_rows_with_nulls(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT * FROM VALUES (1, CAST(NULL AS STRING)) AS t(id, v)");
    assert_equal_result(lmt_rows_equal(df, "(1, NULL)", NULL));
    assert_report(lmt_rows_equal(df, "(1, 'x')", NULL), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 1 row, expected 1 row\n"
                  "  | actual    || expected\n"
                  "  | id | v    || id | v\n"
                  "--+----+------++----+---\n"
                  "! | 1  | NULL || 1  | x\n"
                  "  |    | ^^^^ ||    | ^");
}

static void test_literal_rows_of_another_width(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT * FROM VALUES (1, 'a') AS t(id, v)");
    assert_report(lmt_rows_equal(df, "(1, 'a', true)", NULL), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  column count: 2 vs 3");
}

static void test_unreadable_literal_rows_are_an_error(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT 1 AS id");
    lmt_result r = lmt_rows_equal(df, "(1,", NULL);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_true(
        strncmp(r.report, "[ERROR] cannot read the expected rows: [PARSE_SYNTAX_ERROR]", 59) == 0);
    lmt_result_free(&r);
}

static void test_rows_as_value_cells(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT * FROM VALUES (1, 'a', 0.5D), (2, NULL, 1.5D) AS t(id, v, x)");
    lm_value cells[] = {
        lm_value_i64(2), lm_value_null(),      lm_value_f64(1.5),
        lm_value_i64(1), lm_value_str("a", 1), lm_value_f64(0.5 + 1e-9),
    };
    assert_equal_result(lmt_rows_equal_values(df, cells, 2, NULL));
    lmt_assert_rows_equal_values(df, cells, 2, NULL);
    cells[4] = lm_value_str("b", 1);
    assert_report(lmt_rows_equal_values(df, cells, 2, NULL), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (50.00000 %)\n"
                  "rows compared in any order; actual 2 rows, expected 2 rows\n"
                  "  | actual          || expected\n"
                  "  | id | v    | x   || id | v    | x\n"
                  "--+----+------+-----++----+------+-------------\n"
                  "! | 1  | a    | 0.5 || 1  | b    | 0.500000001\n"
                  "  |    | ^    |     ||    | ^    |\n"
                  "  | 2  | NULL | 1.5 || 2  | NULL | 1.5");
    assert_int_equal(outcome_of(lmt_rows_equal_values(df, cells, 1, NULL)), LMT_DIFFERENT_ROWS);
}

/* -------------------------------------------------------------- columns */

static void test_column_equality(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT n, n * 2 - n AS same, n + 1 AS next, CAST(n AS DOUBLE) AS d "
                           "FROM VALUES (1), (2), (CAST(NULL AS INT)) AS t(n)");
    assert_equal_result(lmt_column_equal(df, "n", "same", NULL));
    assert_equal_result(lmt_column_equal(df, "N", "d", NULL));
    lmt_assert_column_equal(df, "n", "same", NULL);
    lmt_df_opts o = full();
    lmt_result r = lmt_column_equal(df, "n", "next", &o);
    assert_int_equal(r.differing, 2);
    assert_int_equal(r.total, 3);
    assert_report(r, LMT_DIFFERENT_COLUMNS,
                  "[DIFFERENT_COLUMNS] Columns `n` and `next` do not match: (66.66667 %)\n"
                  "2 of 3 rows differ\n"
                  "    | n    || next\n"
                  "----+------++------\n"
                  "! 1 | 1    || 2\n"
                  "    | ^    || ^\n"
                  "! 2 | 2    || 3\n"
                  "    | ^    || ^\n"
                  "  3 | NULL || NULL");
    o.format = LMT_FORMAT_COMPACT;
    assert_report(lmt_column_equal(df, "n", "next", &o), LMT_DIFFERENT_COLUMNS,
                  "[DIFFERENT_COLUMNS] Columns `n` and `next` do not match: (66.66667 %) in 2 of 3 "
                  "rows; row 1: n (1) != next (2); row 2: n (2) != next (3)");
}

static void test_column_equality_with_tolerance(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT * FROM VALUES (0.1D, 0.10000001D) AS t(a, b)");
    assert_equal_result(lmt_column_equal(df, "a", "b", NULL));
    lmt_df_opts o = full();
    o.rtol = o.atol = 0;
    assert_int_equal(outcome_of(lmt_column_equal(df, "a", "b", &o)), LMT_DIFFERENT_COLUMNS);
}

static void test_unknown_column_is_an_error(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT 1 AS a, 2 AS b");
    assert_report(lmt_column_equal(df, "a", "zz", NULL), LMT_ERROR,
                  "[ERROR] column `zz` not found; the columns are `a`, `b`");
}

/* -------------------------------------------------------- nested values */

static const char *NESTED_FIXTURE =
    "tables:\n"
    "  actual:\n"
    "    schema: \"k INT, m MAP<STRING, DOUBLE>, s STRUCT<x: DOUBLE, y: ARRAY<DOUBLE>>\"\n"
    "    rows:\n"
    "      - [1, {p: 1.0, q: 2.0}, {x: 1.0, y: [1.0, 2.0]}]\n"
    "      - [2, {p: 1.0}, {x: 1.0, y: [3.0]}]\n"
    "  reordered:\n"
    "    schema: \"k INT, m MAP<STRING, DOUBLE>, s STRUCT<x: DOUBLE, y: ARRAY<DOUBLE>>\"\n"
    "    rows:\n"
    "      - [2, {p: 1.0}, {x: 1.0, y: [3.0]}]\n"
    "      - [1, {q: 2.0000001, p: 1.0}, {x: 1.0000001, y: [1.0, 2.00000001]}]\n"
    "  different:\n"
    "    schema: \"k INT, m MAP<STRING, DOUBLE>, s STRUCT<x: DOUBLE, y: ARRAY<DOUBLE>>\"\n"
    "    rows:\n"
    "      - [1, {p: 1.0, q: 2.0}, {x: 1.0, y: [1.0, 2.0]}]\n"
    "      - [2, {p: 1.0}, {x: 1.0, y: [3.0, 4.0]}]\n";

static void test_nested_values_use_tolerance_and_ignore_map_order(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(s, NESTED_FIXTURE, "nested.yaml", &err);
    assert_non_null(f);
    lm_df *a = lmt_fixture_df(f, "actual"), *r = lmt_fixture_df(f, "reordered");
    lm_df *d = lmt_fixture_df(f, "different");
    assert_equal_result(lmt_df_equal(a, r, NULL));
    lmt_df_opts o = full();
    o.rtol = o.atol = 0;
    assert_int_equal(outcome_of(lmt_df_equal(a, r, &o)), LMT_DIFFERENT_ROWS);
    o = full();
    assert_report(
        lmt_df_equal(a, d, &o), LMT_DIFFERENT_ROWS,
        "[DIFFERENT_ROWS] Results do not match: (50.00000 %)\n"
        "rows compared in any order; actual 2 rows, expected 2 rows\n"
        "  | actual                                       || expected\n"
        "  | k | m                    | s                 || k | m                    | s\n"
        "--+---+----------------------+-------------------++---+----------------------+"
        "-------------------\n"
        "  | 1 | {p -> 1.0, q -> 2.0} | {1.0, [1.0, 2.0]} || 1 | {p -> 1.0, q -> 2.0} | "
        "{1.0, [1.0, 2.0]}\n"
        "! | 2 | {p -> 1.0}           | {1.0, [3.0]}      || 2 | {p -> 1.0}           | "
        "{1.0, [3.0, 4.0]}\n"
        "  |   |                      | ^^^^^^^^^^^^      ||   |                      | "
        "^^^^^^^^^^^^^^^^^");
    lm_df_free(a);
    lm_df_free(r);
    lm_df_free(d);
    lmt_fixture_free(f);
}

/* A one-column double DataFrame: x = i * 0.1 * factor, optionally reversed,
   with row `bump` (if >= 0) moved by 1000, away from every other row. */
static lm_df *doubles(lm_session *s, int n, double factor, bool reversed, int bump)
{
    lm_field f = {"x", lm_type_double(), true, NULL, NULL};
    lm_type *st = lm_type_struct(&f, 1);
    lm_table *t = lm_table_new(st);
    lm_type_unref(st);
    for (int i = 0; i < n; i++) {
        int k = reversed ? n - 1 - i : i;
        lm_value v = lm_value_f64(k * 0.1 * factor + (k == bump ? 1000.0 : 0.0));
        assert_int_equal(lm_table_append_row(t, &v), LM_OK);
    }
    return lm_df_from_table(s, t);
}

/* Thousands of rows that differ only within the tolerance fall in one
   bucket; they are matched through a sorted window, not pair by pair. */
static void test_large_frames_match_within_tolerance(void **state)
{
    lm_session *s = *state;
    lm_df *a = doubles(s, 3000, 1.0, false, -1);
    lm_df *near = doubles(s, 3000, 1.0 + 1e-9, true, -1);
    lm_df *bumped = doubles(s, 3000, 1.0 + 1e-9, true, 1234);
    assert_equal_result(lmt_df_equal(a, near, NULL));
    lmt_df_opts o = full();
    o.show_only_diff = true;
    lmt_result r = lmt_df_equal(a, bumped, &o);
    assert_int_equal(r.outcome, LMT_DIFFERENT_ROWS);
    assert_int_equal(r.differing, 1);
    assert_int_equal(r.total, 3000);
    assert_non_null(strstr(r.report, "! | 123.4  || 1123.4000001234\n"));
    lmt_result_free(&r);
    lm_df_free(a);
    lm_df_free(near);
    lm_df_free(bumped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_literal_rows_match_across_types),
        lmt_unit_test(test_literal_rows_report_uses_the_actual_names),
        lmt_unit_test(test_literal_rows_single_column),
        lmt_unit_test(test_literal_rows_with_nulls),
        lmt_unit_test(test_literal_rows_of_another_width),
        lmt_unit_test(test_unreadable_literal_rows_are_an_error),
        lmt_unit_test(test_rows_as_value_cells),
        lmt_unit_test(test_column_equality),
        lmt_unit_test(test_column_equality_with_tolerance),
        lmt_unit_test(test_unknown_column_is_an_error),
        lmt_unit_test(test_nested_values_use_tolerance_and_ignore_map_order),
        lmt_unit_test(test_large_frames_match_within_tolerance),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
