/*
 * Specification of the testkit's DataFrame comparisons (lmt_df_equal and
 * lmt_assert_df_equal): Spark SQL equality, tolerance, multiset matching of
 * unordered rows, every option, and the exact text of each report.
 */
#define _XOPEN_SOURCE 700 /* posix_openpt: a terminal for the colour test */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

/* Report text of a comparison that must fail with `outcome`; the result is
   freed, the text is returned (freed by the caller). */
static char *report_of(lmt_result r, lmt_outcome outcome)
{
    if (r.outcome != outcome)
        fprintf(stderr, "unexpected outcome %d:\n%s\n", r.outcome, r.report ? r.report : "(equal)");
    assert_int_equal(r.outcome, outcome);
    assert_non_null(r.report);
    return r.report;
}

static void assert_report(lmt_result r, lmt_outcome outcome, const char *expected)
{
    char *text = report_of(r, outcome);
    if (strcmp(text, expected) != 0)
        fprintf(stderr, "--- got\n%s\n--- expected\n%s\n", text, expected);
    assert_string_equal(text, expected);
    free(text);
}

/* The outcome of a comparison whose report does not matter here. */
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
    assert_null(r.report);
    lmt_result_free(&r);
}

#define PEOPLE "SELECT * FROM VALUES (1, 'alice', 1.5D), (2, 'bob', 2.0D), (3, 'carol', 3.0D) "

static lmt_df_opts full(void)
{
    lmt_df_opts o = lmt_df_opts_default();
    o.format = LMT_FORMAT_FULL;
    o.color = LMT_COLOR_NEVER;
    return o;
}

/* ------------------------------------------------------------ defaults */

static void test_defaults_follow_pyspark(void **state)
{
    (void)state;
    lmt_df_opts o = lmt_df_opts_default();
    assert_false(o.check_row_order);
    assert_true(o.ignore_nullable);
    assert_false(o.ignore_column_order);
    assert_false(o.ignore_metadata);
    assert_false(o.ignore_column_names);
    assert_false(o.ignore_column_types);
    assert_null(o.ignore_columns);
    assert_true(o.rtol == 1e-5);
    assert_true(o.atol == 1e-8);
    assert_int_equal(o.max_errors, 0);
    assert_false(o.show_only_diff);
}

/* ---------------------------------------------------------- equal rows */

static void test_identical_frames_are_equal(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lm_df *e = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lmt_result r = lmt_df_equal(a, e, NULL);
    assert_int_equal(r.total, 3);
    assert_equal_result(r);
    lmt_assert_df_equal(a, e, NULL);
}

static void test_row_order_is_ignored_by_default(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (3, 'carol', 3.0D), (1, 'alice', 1.5D), "
                          "(2, 'bob', 2.0D) AS t(id, name, score)");
    assert_equal_result(lmt_df_equal(a, e, NULL));
}

static void test_different_cell_report_marks_the_cells(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'alice', 1.5D), (2, 'bobby', 2.0D), "
                          "(3, 'carol', 3.0D) AS t(id, name, score)");
    lmt_df_opts o = full();
    lmt_result r = lmt_df_equal(a, e, &o);
    assert_int_equal(r.differing, 1);
    assert_int_equal(r.total, 3);
    assert_report(r, LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (33.33333 %)\n"
                  "rows compared in any order; actual 3 rows, expected 3 rows\n"
                  "  | actual             || expected\n"
                  "  | id | name  | score || id | name  | score\n"
                  "--+----+-------+-------++----+-------+-------\n"
                  "  | 1  | alice | 1.5   || 1  | alice | 1.5\n"
                  "! | 2  | bob   | 2.0   || 2  | bobby | 2.0\n"
                  "  |    | ^^^   |       ||    | ^^^^^ |\n"
                  "  | 3  | carol | 3.0   || 3  | carol | 3.0");
}

static void test_ordered_report_numbers_the_rows(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (2, 'bob', 2.0D), (1, 'alice', 1.5D), "
                          "(3, 'carol', 3.0D) AS t(id, name, score)");
    lmt_df_opts o = full();
    assert_equal_result(lmt_df_equal(a, e, &o));
    o.check_row_order = true;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (66.66667 %)\n"
                  "rows compared in order; actual 3 rows, expected 3 rows\n"
                  "    | actual             || expected\n"
                  "    | id | name  | score || id | name  | score\n"
                  "----+----+-------+-------++----+-------+-------\n"
                  "! 1 | 1  | alice | 1.5   || 2  | bob   | 2.0\n"
                  "    | ^  | ^^^^^ | ^^^   || ^  | ^^^   | ^^^\n"
                  "! 2 | 2  | bob   | 2.0   || 1  | alice | 1.5\n"
                  "    | ^  | ^^^   | ^^^   || ^  | ^^^^^ | ^^^\n"
                  "  3 | 3  | carol | 3.0   || 3  | carol | 3.0");
}

static void test_unmatched_rows_without_a_likely_partner_stand_alone(void **state)
{
    lm_session *s = *state;
    lm_df *a =
        lmt_sql(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b'), (5, 'e'), (6, 'f') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (4, 'd'), (1, 'a'), (2, 'b') AS t(id, v)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (60.00000 %)\n"
                  "rows compared in any order; actual 4 rows, expected 3 rows\n"
                  "  | actual || expected\n"
                  "  | id | v || id | v\n"
                  "--+----+---++----+---\n"
                  "  | 1  | a || 1  | a\n"
                  "  | 2  | b || 2  | b\n"
                  "! | 5  | e ||    |\n"
                  "! | 6  | f ||    |\n"
                  "! |    |   || 4  | d");
}

static void test_unmatched_rows_pair_with_the_most_alike(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'x', 10), (2, 'y', 20), (3, 'z', 30) "
                          "AS t(id, v, n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (3, 'z', 31), (2, 'y', 21), (1, 'x', 10) "
                          "AS t(id, v, n)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (66.66667 %)\n"
                  "rows compared in any order; actual 3 rows, expected 3 rows\n"
                  "  | actual      || expected\n"
                  "  | id | v | n  || id | v | n\n"
                  "--+----+---+----++----+---+----\n"
                  "  | 1  | x | 10 || 1  | x | 10\n"
                  "! | 2  | y | 20 || 2  | y | 21\n"
                  "  |    |   | ^^ ||    |   | ^^\n"
                  "! | 3  | z | 30 || 3  | z | 31\n"
                  "  |    |   | ^^ ||    |   | ^^");
}

static void test_row_counts_differ_in_order(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1), (2) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1), (2), (3) AS t(n)");
    lmt_df_opts o = full();
    o.check_row_order = true;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (33.33333 %)\n"
                  "rows compared in order; actual 2 rows, expected 3 rows\n"
                  "    | actual || expected\n"
                  "    | n      || n\n"
                  "----+--------++---\n"
                  "  1 | 1      || 1\n"
                  "  2 | 2      || 2\n"
                  "! 3 |        || 3");
}

static void test_duplicates_are_counted(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1), (1), (2) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1), (2), (2) AS t(n)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (33.33333 %)\n"
                  "rows compared in any order; actual 3 rows, expected 3 rows\n"
                  "  | actual || expected\n"
                  "  | n      || n\n"
                  "--+--------++---\n"
                  "  | 1      || 1\n"
                  "! | 1      || 2\n"
                  "  | ^      || ^\n"
                  "  | 2      || 2");
    lm_df *same = lmt_sql(s, "SELECT * FROM VALUES (2), (1), (1) AS t(n)");
    assert_equal_result(lmt_df_equal(a, same, NULL));
}

static void test_empty_frames_are_equal(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1) AS t(n) WHERE n > 5");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (2) AS t(n) WHERE n > 5");
    assert_equal_result(lmt_df_equal(a, e, NULL));
    lm_df *one = lmt_sql(s, "SELECT * FROM VALUES (2) AS t(n)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, one, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 0 rows, expected 1 row\n"
                  "  | actual || expected\n"
                  "  | n      || n\n"
                  "--+--------++---\n"
                  "! |        || 2");
}

/* --------------------------------------------------- Spark SQL equality */

static void test_nan_equals_nan_and_negative_zero_equals_zero(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (CAST('NaN' AS DOUBLE), CAST('-0.0' AS DOUBLE), "
                          "CAST('Infinity' AS DOUBLE), CAST(NULL AS DOUBLE)) AS t(a, b, c, d)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (CAST('NaN' AS DOUBLE), 0.0D, "
                          "CAST('Infinity' AS DOUBLE), CAST(NULL AS DOUBLE)) AS t(a, b, c, d)");
    lmt_df_opts exact = full();
    exact.rtol = exact.atol = 0;
    assert_equal_result(lmt_df_equal(a, e, NULL));
    assert_equal_result(lmt_df_equal(a, e, &exact));
}

static void test_infinity_equals_only_itself(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (CAST('Infinity' AS DOUBLE)) AS t(x)");
    lm_df *neg = lmt_sql(s, "SELECT * FROM VALUES (CAST('-Infinity' AS DOUBLE)) AS t(x)");
    lm_df *big = lmt_sql(s, "SELECT * FROM VALUES (1.7976931348623157E308D) AS t(x)");
    lm_df *nan = lmt_sql(s, "SELECT * FROM VALUES (CAST('NaN' AS DOUBLE)) AS t(x)");
    lmt_df_opts loose = full();
    loose.rtol = 1.0;
    loose.atol = 1e300;
    assert_int_equal(outcome_of(lmt_df_equal(a, neg, &loose)), LMT_DIFFERENT_ROWS);
    assert_int_equal(outcome_of(lmt_df_equal(a, big, &loose)), LMT_DIFFERENT_ROWS);
    assert_int_equal(outcome_of(lmt_df_equal(nan, big, &loose)), LMT_DIFFERENT_ROWS);
}

static void test_null_equals_only_null(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (CAST(NULL AS STRING)), ('x') AS t(v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES ('x'), (CAST(NULL AS STRING)) AS t(v)");
    assert_equal_result(lmt_df_equal(a, e, NULL));
    lm_df *text = lmt_sql(s, "SELECT * FROM VALUES ('NULL'), ('x') AS t(v)");
    lmt_df_opts o = full();
    /* the string "NULL" is quoted so it cannot be mistaken for a NULL */
    assert_report(lmt_df_equal(a, text, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (50.00000 %)\n"
                  "rows compared in any order; actual 2 rows, expected 2 rows\n"
                  "  | actual || expected\n"
                  "  | v      || v\n"
                  "--+--------++--------\n"
                  "! | NULL   || \"NULL\"\n"
                  "  | ^^^^   || ^^^^^^\n"
                  "  | x      || x");
}

static void test_misleading_strings_are_quoted(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, ''), (2, 'b ') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, ' '), (2, 'b') AS t(id, v)");
    lmt_df_opts o = full();
    o.check_row_order = true;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in order; actual 2 rows, expected 2 rows\n"
                  "    | actual    || expected\n"
                  "    | id | v    || id | v\n"
                  "----+----+------++----+-----\n"
                  "! 1 | 1  | \"\"   || 1  | \" \"\n"
                  "    |    | ^^   ||    | ^^^\n"
                  "! 2 | 2  | \"b \" || 2  | b\n"
                  "    |    | ^^^^ ||    | ^");
}

static void test_hidden_characters_are_escaped(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES ('a\\tb'), ('line\\nbreak'), ('\"q\"'), "
                          "('x\\u0001') AS t(v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES ('a b'), ('line break'), ('q'), ('x') AS t(v)");
    lmt_df_opts o = full();
    o.check_row_order = true;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in order; actual 4 rows, expected 4 rows\n"
                  "    | actual        || expected\n"
                  "    | v             || v\n"
                  "----+---------------++------------\n"
                  "! 1 | \"a\\tb\"        || a b\n"
                  "    | ^^^^^^        || ^^^\n"
                  "! 2 | \"line\\nbreak\" || line break\n"
                  "    | ^^^^^^^^^^^^^ || ^^^^^^^^^^\n"
                  "! 3 | \"\\\"q\\\"\"       || q\n"
                  "    | ^^^^^^^       || ^\n"
                  "! 4 | \"x\\x01\"       || x\n"
                  "    | ^^^^^^^       || ^");
}

/* ----------------------------------------------------------- tolerance */

static void test_tolerance_on_doubles(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1000.0D) AS t(x)");
    lm_df *near = lmt_sql(s, "SELECT * FROM VALUES (1000.009D) AS t(x)");
    lm_df *far = lmt_sql(s, "SELECT * FROM VALUES (1000.02D) AS t(x)");
    /* |a - e| <= 1e-8 + 1e-5 * 1000.009 = 0.01000009 */
    assert_equal_result(lmt_df_equal(a, near, NULL));
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, far, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 1 row, expected 1 row\n"
                  "  | actual || expected\n"
                  "  | x      || x\n"
                  "--+--------++---------\n"
                  "! | 1000.0 || 1000.02\n"
                  "  | ^^^^^^ || ^^^^^^^");
    o.rtol = 0;
    o.atol = 0.05;
    assert_equal_result(lmt_df_equal(a, far, &o));
    o.atol = 0;
    assert_int_equal(outcome_of(lmt_df_equal(a, near, &o)), LMT_DIFFERENT_ROWS);
}

static void test_relative_tolerance_scales_with_expected(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (0.0D) AS t(x)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (10.0D) AS t(x)");
    lmt_df_opts o = full();
    o.rtol = 1.0;
    o.atol = 0;
    /* |0 - 10| <= 1.0 * |10|, but |10 - 0| > 1.0 * |0| */
    assert_equal_result(lmt_df_equal(a, e, &o));
    assert_int_equal(outcome_of(lmt_df_equal(e, a, &o)), LMT_DIFFERENT_ROWS);
}

static void test_tolerance_on_floats_and_decimals(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (CAST(1.000001 AS DECIMAL(10,6)), "
                          "CAST(2.5 AS FLOAT)) AS t(d, f)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (CAST(1.000000 AS DECIMAL(10,6)), "
                          "CAST(2.500001 AS FLOAT)) AS t(d, f)");
    assert_equal_result(lmt_df_equal(a, e, NULL));
    lmt_df_opts exact = full();
    exact.rtol = exact.atol = 0;
    assert_report(lmt_df_equal(a, e, &exact), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 1 row, expected 1 row\n"
                  "  | actual         || expected\n"
                  "  | d        | f   || d        | f\n"
                  "--+----------+-----++----------+----------\n"
                  "! | 1.000001 | 2.5 || 1.000000 | 2.500001\n"
                  "  | ^^^^^^^^ | ^^^ || ^^^^^^^^ | ^^^^^^^^");
}

static void test_integers_are_exact(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (100000000L) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (100000001L) AS t(n)");
    assert_int_equal(outcome_of(lmt_df_equal(a, e, NULL)), LMT_DIFFERENT_ROWS);
}

/* Tolerance that chains (a~b, b~c, a!~c) still finds the pairing that
   matches every row, which greedy pairing would miss. */
static void test_tolerant_matching_finds_a_perfect_pairing(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1.0D), (1.5D) AS t(x)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1.0D), (2.0D) AS t(x)");
    lmt_df_opts o = full();
    o.rtol = 0;
    o.atol = 0.6;
    /* pass 1 pairs 1.0 with 1.0 exactly; 1.5 then needs 2.0 (within 0.6) */
    assert_equal_result(lmt_df_equal(a, e, &o));
    lm_df *a2 = lmt_sql(s, "SELECT * FROM VALUES (1.0D), (0.5D) AS t(x)");
    lm_df *e2 = lmt_sql(s, "SELECT * FROM VALUES (1.0D), (1.5D) AS t(x)");
    /* 0.5 only fits 1.0, so 1.0 must move to 1.5: an augmenting path */
    assert_equal_result(lmt_df_equal(a2, e2, &o));
}

/* ------------------------------------------------------------- options */

static void test_ignore_column_order(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'x') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES ('x', 1) AS t(v, id)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  column order: id, v vs v, id");
    o.ignore_column_order = true;
    assert_equal_result(lmt_df_equal(a, e, &o));
}

static void test_ignore_column_names_compares_by_position(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'x') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'x') AS t(key, value)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  id: unexpected column (int)\n"
                  "  v: unexpected column (string)\n"
                  "  key: missing column (int)\n"
                  "  value: missing column (string)");
    o.ignore_column_names = true;
    assert_equal_result(lmt_df_equal(a, e, &o));
    lm_df *three = lmt_sql(s, "SELECT * FROM VALUES (1, 'x', 2) AS t(a, b, c)");
    assert_report(lmt_df_equal(a, three, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  column count: 2 vs 3");
}

static void test_ignore_column_types_compares_values(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 2.5D, DATE'2024-01-31') AS t(n, x, d)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1L, 2.5BD, '2024-01-31') AS t(n, x, d)");
    lmt_df_opts o = full();
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  n: int vs bigint\n"
                  "  x: double vs decimal(2,1)\n"
                  "  d: date vs string");
    o.ignore_column_types = true;
    assert_equal_result(lmt_df_equal(a, e, &o));
    lm_df *other = lmt_sql(s, "SELECT * FROM VALUES (1L, 2.5BD, '2024-02-01') AS t(n, x, d)");
    assert_report(lmt_df_equal(a, other, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 1 row, expected 1 row\n"
                  "  | actual               || expected\n"
                  "  | n | x   | d          || n | x   | d\n"
                  "--+---+-----+------------++---+-----+------------\n"
                  "! | 1 | 2.5 | 2024-01-31 || 1 | 2.5 | 2024-02-01\n"
                  "  |   |     | ^^^^^^^^^^ ||   |     | ^^^^^^^^^^");
}

static void test_ignore_nullable_is_on_by_default(void **state)
{
    lm_session *s = *state;
    /* an inline table column is nullable only when it holds a NULL */
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1), (2) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1), (2), (CAST(NULL AS INT)) AS t(n) "
                          "WHERE n IS NOT NULL");
    assert_equal_result(lmt_df_equal(a, e, NULL));
    lmt_df_opts o = full();
    o.ignore_nullable = false;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  n: not null vs nullable");
}

static void test_ignore_columns_leaves_columns_out(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'x', TIMESTAMP'2024-01-01 10:00:00') "
                          "AS t(id, v, loaded_at)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'x', TIMESTAMP'2030-01-01 00:00:00') "
                          "AS t(id, v, loaded_at)");
    assert_int_equal(outcome_of(lmt_df_equal(a, e, NULL)), LMT_DIFFERENT_ROWS);
    static const char *const skip[] = {"LOADED_AT", NULL};
    lmt_df_opts o = full();
    o.ignore_columns = skip;
    assert_equal_result(lmt_df_equal(a, e, &o));
    lm_df *fewer = lmt_sql(s, "SELECT * FROM VALUES (1, 'x') AS t(id, v)");
    assert_equal_result(lmt_df_equal(a, fewer, &o));
}

static void test_max_errors_and_show_only_diff(void **state)
{
    lm_session *s = *state;
    lm_df *a =
        lmt_sql(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd') AS t(id, v)");
    lm_df *e =
        lmt_sql(s, "SELECT * FROM VALUES (1, 'a'), (2, 'B'), (3, 'C'), (4, 'D') AS t(id, v)");
    lmt_df_opts o = full();
    o.check_row_order = true;
    o.max_errors = 2;
    o.show_only_diff = true;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (75.00000 %)\n"
                  "rows compared in order; actual 4 rows, expected 4 rows\n"
                  "    | actual || expected\n"
                  "    | id | v || id | v\n"
                  "----+----+---++----+---\n"
                  "! 2 | 2  | b || 2  | B\n"
                  "    |    | ^ ||    | ^\n"
                  "! 3 | 3  | c || 3  | C\n"
                  "    |    | ^ ||    | ^\n"
                  "(1 more differing row not shown: max_errors = 2)\n"
                  "(1 equal row not shown)");
}

static void test_compact_format_is_one_line(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, PEOPLE "AS t(id, name, score)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'alice', 1.5D), (2, 'bobby', 2.0D), "
                          "(4, 'dan', 3.0D) AS t(id, name, score)");
    lmt_df_opts o = full();
    o.format = LMT_FORMAT_COMPACT;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (66.66667 %) actual 3 rows, expected 3 "
                  "rows; actual (2, bob, 2.0) != expected (2, bobby, 2.0); actual (3, carol, 3.0) "
                  "!= expected (4, dan, 3.0)");
    o.check_row_order = true;
    lm_df *longer = lmt_sql(s, PEOPLE ", (4, 'dan', 4.0D) AS t(id, name, score)");
    assert_report(lmt_df_equal(a, longer, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (25.00000 %) actual 3 rows, expected 4 "
                  "rows (in order); row 4: missing (4, dan, 4.0)");
}

static void test_compact_format_from_environment(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (2) AS t(n)");
    lmt_df_opts o = lmt_df_opts_default();
    setenv("LMT_COMPACT", "1", 1);
    lmt_result r = lmt_df_equal(a, e, &o);
    unsetenv("LMT_COMPACT");
    assert_report(r, LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %) actual 1 row, expected 1 "
                  "row; actual (1) != expected (2)");
    lm_df *x = lmt_sql(s, "SELECT * FROM VALUES (1) AS t(m)");
    setenv("LMT_COMPACT", "1", 1);
    r = lmt_df_equal(a, x, &o);
    unsetenv("LMT_COMPACT");
    assert_report(r, LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected): n: unexpected "
                  "column (int); m: missing column (int)");
}

static void test_color_marks_cells_instead_of_carets(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'a') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'b') AS t(id, v)");
    lmt_df_opts o = full();
    o.color = LMT_COLOR_ALWAYS;
    assert_report(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS,
                  "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                  "rows compared in any order; actual 1 row, expected 1 row\n"
                  "  | actual || expected\n"
                  "  | id | v || id | v\n"
                  "--+----+---++----+---\n"
                  "\033[1;31m!\033[0m | 1  | \033[31ma\033[0m || 1  | \033[32mb\033[0m");
    /* the non-failing form never colours on its own */
    o.color = LMT_COLOR_AUTO;
    char *text = report_of(lmt_df_equal(a, e, &o), LMT_DIFFERENT_ROWS);
    assert_null(strchr(text, '\033'));
    free(text);
}

/* ---------------------------------------------------------------- errors */

static void test_engine_failure_is_an_error_result(void **state)
{
    lm_session *s = *state;
    lmt_with_conf(s, "spark.sql.ansi.enabled", "true");
    lm_df *a = lmt_sql(s, "SELECT 1 / n AS q FROM VALUES (0) AS t(n)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1.0D) AS t(q)");
    char *text = report_of(lmt_df_equal(a, e, NULL), LMT_ERROR);
    assert_true(strncmp(text, "[ERROR] cannot compute actual: [DIVIDE_BY_ZERO]", 47) == 0);
    free(text);
    assert_report(lmt_df_equal(NULL, e, NULL), LMT_ERROR, "[ERROR] the actual DataFrame is NULL");
}

/* ------------------------------------------- the failing assertion form */

static void child_failing_assert(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'a') AS t(id, v)");
    lm_df *e = lmt_sql(s, "SELECT * FROM VALUES (1, 'b') AS t(id, v)");
    lmt_assert_df_equal(a, e, NULL);
    fprintf(stderr, "not reached\n");
}

static void child_passing_assert(void **state)
{
    lm_session *s = *state;
    lm_df *a = lmt_sql(s, "SELECT * FROM VALUES (1, 'a') AS t(id, v)");
    lmt_assert_df_equal(a, a, NULL);
}

static void test_assertion_fails_the_test_with_the_report(void **state)
{
    (void)state;
    tks_child c = tks_run_child(child_failing_assert, "child_failing_assert", false);
    assert_non_null(c.output);
    assert_int_equal(c.failed, 1);
    /* stderr is a pipe here: no colour */
    assert_non_null(strstr(c.output, "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                                     "rows compared in any order; actual 1 row, expected 1 row\n"
                                     "  | actual || expected\n"
                                     "  | id | v || id | v\n"
                                     "--+----+---++----+---\n"
                                     "! | 1  | a || 1  | b\n"
                                     "  |    | ^ ||    | ^\n"));
    assert_non_null(strstr(c.output, "test_testkit_assert.c:"));
    assert_non_null(strstr(c.output, "[  FAILED  ] child_failing_assert"));
    assert_null(strstr(c.output, "not reached"));
    free(c.output);
    c = tks_run_child(child_passing_assert, "child_passing_assert", false);
    assert_int_equal(c.failed, 0);
    assert_non_null(strstr(c.output, "[       OK ] child_passing_assert"));
    free(c.output);
}

/* Runs child_failing_assert with stderr on a pseudo-terminal and returns
   what it printed there (malloc'ed). */
static char *run_on_terminal(bool no_color)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char *name = ptsname(master);
    assert_non_null(name);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        int slave = open(name, O_RDWR | O_NOCTTY);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(slave, STDERR_FILENO);
        dup2(devnull, STDOUT_FILENO);
        if (no_color)
            setenv("NO_COLOR", "1", 1);
        else
            unsetenv("NO_COLOR");
        struct CMUnitTest t[1] = {{"tty", child_failing_assert, lmt_setup, lmt_teardown, NULL}};
        int failed = _cmocka_run_group_tests("tty", t, 1, NULL, NULL);
        fflush(stderr);
        close(slave);
        exit(failed);
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        ssize_t n = read(master, buf + len, cap - len - 1);
        if (n > 0) {
            len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; /* EIO once the child has closed the terminal */
    }
    buf[len] = '\0';
    int status = 0;
    waitpid(pid, &status, 0);
    close(master);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    return buf;
}

static void test_color_on_a_terminal_unless_no_color(void **state)
{
    (void)state;
    char *out = run_on_terminal(false);
    assert_non_null(strstr(out, "\033[31ma\033[0m"));
    assert_non_null(strstr(out, "\033[32mb\033[0m"));
    free(out);
    out = run_on_terminal(true);
    assert_non_null(strstr(out, "[DIFFERENT_ROWS]"));
    assert_null(strchr(out, '\033'));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_follow_pyspark),
        lmt_unit_test(test_identical_frames_are_equal),
        lmt_unit_test(test_row_order_is_ignored_by_default),
        lmt_unit_test(test_different_cell_report_marks_the_cells),
        lmt_unit_test(test_ordered_report_numbers_the_rows),
        lmt_unit_test(test_unmatched_rows_without_a_likely_partner_stand_alone),
        lmt_unit_test(test_unmatched_rows_pair_with_the_most_alike),
        lmt_unit_test(test_row_counts_differ_in_order),
        lmt_unit_test(test_duplicates_are_counted),
        lmt_unit_test(test_empty_frames_are_equal),
        lmt_unit_test(test_nan_equals_nan_and_negative_zero_equals_zero),
        lmt_unit_test(test_infinity_equals_only_itself),
        lmt_unit_test(test_null_equals_only_null),
        lmt_unit_test(test_misleading_strings_are_quoted),
        lmt_unit_test(test_hidden_characters_are_escaped),
        lmt_unit_test(test_tolerance_on_doubles),
        lmt_unit_test(test_relative_tolerance_scales_with_expected),
        lmt_unit_test(test_tolerance_on_floats_and_decimals),
        lmt_unit_test(test_integers_are_exact),
        lmt_unit_test(test_tolerant_matching_finds_a_perfect_pairing),
        lmt_unit_test(test_ignore_column_order),
        lmt_unit_test(test_ignore_column_names_compares_by_position),
        lmt_unit_test(test_ignore_column_types_compares_values),
        lmt_unit_test(test_ignore_nullable_is_on_by_default),
        lmt_unit_test(test_ignore_columns_leaves_columns_out),
        lmt_unit_test(test_max_errors_and_show_only_diff),
        lmt_unit_test(test_compact_format_is_one_line),
        lmt_unit_test(test_compact_format_from_environment),
        lmt_unit_test(test_color_marks_cells_instead_of_carets),
        lmt_unit_test(test_engine_failure_is_an_error_result),
        cmocka_unit_test(test_assertion_fails_the_test_with_the_report),
        cmocka_unit_test(test_color_on_a_terminal_unless_no_color),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
