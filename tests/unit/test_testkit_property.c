/*
 * Specification of generated DataFrames (lmt_gen_df) and property checks
 * (lmt_property_check): determinism by seed, the schema and NOT NULL
 * honoured, edge values produced, and failing inputs shrunk to the
 * smallest one that still fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

#include "api/df.h"
#include "types/value.h"

/* ------------------------------------------------------------ properties */

static int64_t count_of(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    int64_t n = -1;
    if (lm_sql(s, sql, &df) == LM_OK)
        lm_df_count(df, &n);
    lm_df_free(df);
    return n;
}

static bool no_null_b(lm_session *s, lm_df *input, void *ctx, char **why)
{
    (void)input;
    (void)ctx;
    int64_t n = count_of(s, "SELECT * FROM input WHERE b IS NULL");
    if (n == 0)
        return true;
    char buf[64];
    snprintf(buf, sizeof buf, "%lld row(s) with a NULL b", (long long)n);
    *why = strdup(buf);
    return false;
}

static bool a_not_negative(lm_session *s, lm_df *input, void *ctx, char **why)
{
    (void)input;
    (void)ctx;
    (void)why;
    return count_of(s, "SELECT * FROM input WHERE a < 0") == 0;
}

/* A true property: filtering never adds rows. */
static bool filter_never_adds_rows(lm_session *s, lm_df *input, void *ctx, char **why)
{
    (void)why;
    int *calls = ctx;
    (*calls)++;
    int64_t all = 0;
    if (lm_df_count(input, &all) != LM_OK)
        return false;
    return count_of(s, "SELECT * FROM orders WHERE amount > 10") <= all;
}

static void test_a_true_property_passes_every_trial(void **state)
{
    lm_session *s = *state;
    int calls = 0;
    lmt_property_opts o = lmt_property_opts_default();
    o.view = "orders";
    lmt_result r =
        lmt_property_check(s, "id INT, amount DOUBLE", filter_never_adds_rows, &calls, &o);
    assert_int_equal(r.outcome, LMT_EQUAL);
    assert_null(r.report);
    assert_int_equal(r.total, 100);
    assert_int_equal(calls, 100);
    /* the input view does not outlive the check */
    lmt_assert_sql_error(s, "SELECT * FROM orders", "TABLE_OR_VIEW_NOT_FOUND");
    calls = 0;
    lmt_assert_property(s, "id INT, amount DOUBLE", filter_never_adds_rows, &calls, &o);
}

static void test_failing_input_is_shrunk_to_one_simple_row(void **state)
{
    lm_session *s = *state;
    lmt_property_opts o = lmt_property_opts_default();
    lmt_result r = lmt_property_check(s, "a INT NOT NULL, b STRING", no_null_b, NULL, &o);
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    assert_string_equal(r.report,
                        "[PROPERTY_FAILED] Property failed on trial 18 of 100 (seed 42; reproduce "
                        "with LMT_SEED=42)\n"
                        "1 row(s) with a NULL b\n"
                        "smallest failing input (view `input`, 1 row, shrunk from 3 in 3 steps):\n"
                        "+---+----+\n"
                        "|a  |b   |\n"
                        "+---+----+\n"
                        "|0  |NULL|\n"
                        "+---+----+");
    lmt_result_free(&r);
}

static void test_numbers_shrink_toward_zero(void **state)
{
    lm_session *s = *state;
    lmt_result r = lmt_property_check(s, "a INT NOT NULL, b DOUBLE, c ARRAY<STRING>",
                                      a_not_negative, NULL, NULL);
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    /* -1 is the simplest negative int: halving it gives 0, which passes */
    assert_non_null(strstr(r.report, "+---+----+----+\n"
                                     "|a  |b   |c   |\n"
                                     "+---+----+----+\n"
                                     "|-1 |NULL|NULL|\n"
                                     "+---+----+----+"));
    lmt_result_free(&r);
}

static bool no_rows(lm_session *s, lm_df *input, void *ctx, char **why)
{
    (void)s;
    (void)ctx;
    (void)why;
    int64_t n = 0;
    return lm_df_count(input, &n) == LM_OK && n == 0;
}

static bool some_rows(lm_session *s, lm_df *input, void *ctx, char **why)
{
    return !no_rows(s, input, ctx, why);
}

/* Whatever the generator drew, each value shrinks to its type's zero. */
static void test_every_type_shrinks_to_its_zero(void **state)
{
    lm_session *s = *state;
    lmt_result r = lmt_property_check(
        s,
        "i INT NOT NULL, d DOUBLE NOT NULL, f FLOAT NOT NULL, dec DECIMAL(5,2) NOT NULL, "
        "s STRING NOT NULL, b BINARY NOT NULL, dt DATE NOT NULL, ts TIMESTAMP NOT NULL, "
        "arr ARRAY<INT> NOT NULL, m MAP<STRING, INT> NOT NULL, "
        "st STRUCT<x: INT NOT NULL, y: STRING> NOT NULL, ok BOOLEAN NOT NULL",
        no_rows, NULL, NULL);
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    const char *table =
        "+---+---+---+----+---+---+----------+-------------------+---+---+---------+-----+\n"
        "|i  |d  |f  |dec |s  |b  |dt        |ts                 |arr|m  |st       |ok   |\n"
        "+---+---+---+----+---+---+----------+-------------------+---+---+---------+-----+\n"
        "|0  |0.0|0.0|0.00|   |[] |1970-01-01|1970-01-01 00:00:00|[] |{} |{0, null}|false|\n"
        "+---+---+---+----+---+---+----------+-------------------+---+---+---------+-----+";
    if (strstr(r.report, table) == NULL)
        fprintf(stderr, "%s\n", r.report);
    assert_non_null(strstr(r.report, table));
    lmt_result_free(&r);
}

static void test_an_empty_input_can_be_the_failure(void **state)
{
    lm_session *s = *state;
    lmt_property_opts o = lmt_property_opts_default();
    o.gen.min_rows = 0;
    setenv("LMT_COMPACT", "1", 1);
    lmt_result r = lmt_property_check(s, "a INT", some_rows, NULL, &o);
    unsetenv("LMT_COMPACT");
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    assert_string_equal(r.report, "[PROPERTY_FAILED] Property failed on trial 1 of 100 (seed 42; "
                                  "reproduce with LMT_SEED=42); smallest input: no rows");
    lmt_result_free(&r);
}

static void test_seed_and_trials_come_from_the_environment(void **state)
{
    lm_session *s = *state;
    setenv("LMT_SEED", "7", 1);
    lmt_result r = lmt_property_check(s, "a INT NOT NULL, b STRING", no_null_b, NULL, NULL);
    unsetenv("LMT_SEED");
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    assert_non_null(strstr(r.report, "(seed 7; reproduce with LMT_SEED=7)"));
    lmt_result_free(&r);
    int calls = 0;
    setenv("LMT_TRIALS", "5", 1);
    r = lmt_property_check(s, "id INT, amount DOUBLE", filter_never_adds_rows, &calls, NULL);
    unsetenv("LMT_TRIALS");
    assert_int_equal(r.outcome, LMT_EQUAL);
    assert_int_equal(calls, 5);
}

static void test_compact_property_report(void **state)
{
    lm_session *s = *state;
    setenv("LMT_COMPACT", "1", 1);
    lmt_result r = lmt_property_check(s, "a INT NOT NULL, b STRING", no_null_b, NULL, NULL);
    unsetenv("LMT_COMPACT");
    assert_int_equal(r.outcome, LMT_PROPERTY_FAILED);
    assert_string_equal(r.report, "[PROPERTY_FAILED] Property failed on trial 18 of 100 (seed 42; "
                                  "reproduce with LMT_SEED=42): 1 row(s) with a NULL b; smallest "
                                  "input: (0, NULL)");
    lmt_result_free(&r);
}

static void test_bad_property_schema_is_an_error(void **state)
{
    lm_session *s = *state;
    lmt_result r = lmt_property_check(s, "a NOPE", no_null_b, NULL, NULL);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_true(strncmp(r.report, "[ERROR] bad schema for the property: ", 37) == 0);
    lmt_result_free(&r);
}

static void child_property(void **state)
{
    lmt_assert_property(*state, "a INT NOT NULL, b STRING", no_null_b, NULL, NULL);
}

static void test_property_assertion_fails_the_test(void **state)
{
    (void)state;
    tks_child c = tks_run_child(child_property, "child_property", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[PROPERTY_FAILED] Property failed on trial 18 of 100"));
    assert_non_null(strstr(c.output, "|0  |NULL|\n"));
    free(c.output);
}

/* ------------------------------------------------------------ generators */

static void test_same_seed_same_rows(void **state)
{
    lm_session *s = *state;
    const char *schema = "i INT, d DOUBLE, s STRING, dt DATE, ts TIMESTAMP, dec DECIMAL(5,2), "
                         "arr ARRAY<INT>, m MAP<STRING, INT>, st STRUCT<x: INT, y: STRING>";
    lm_df *a = lmt_gen_df(s, schema, 7, NULL, NULL);
    lm_df *b = lmt_gen_df(s, schema, 7, NULL, NULL);
    lm_df *c = lmt_gen_df(s, schema, 8, NULL, NULL);
    char *text = lm_df_schema_string(a);
    assert_string_equal(text,
                        "struct<i:int,d:double,s:string,dt:date,ts:timestamp,dec:decimal(5,2),"
                        "arr:array<int>,m:map<string,int>,st:struct<x:int,y:string>>");
    free(text);
    lmt_df_opts exact = lmt_df_opts_default();
    exact.check_row_order = true;
    exact.rtol = exact.atol = 0;
    lmt_assert_df_equal(a, b, &exact);
    lmt_result r = lmt_df_equal(a, c, &exact);
    assert_int_equal(r.outcome, LMT_DIFFERENT_ROWS);
    lmt_result_free(&r);
    lm_df_free(a);
    lm_df_free(b);
    lm_df_free(c);
}

static void test_row_count_and_not_null_are_honoured(void **state)
{
    lm_session *s = *state;
    lmt_gen_opts g = lmt_gen_opts_default();
    g.min_rows = 3;
    g.max_rows = 6;
    g.null_rate = 0.9;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        lm_df *df = lmt_gen_df(s, "a INT NOT NULL, b STRING", seed, &g, NULL);
        int64_t n = 0;
        assert_int_equal(lm_df_count(df, &n), LM_OK);
        assert_true(n >= 3 && n <= 6);
        lm_rows *rows = NULL;
        assert_int_equal(lm_df_collect(df, &rows), LM_OK);
        for (int64_t i = 0; i < lm_rows_count(rows); i++)
            assert_false(lm_rows_is_null(rows, i, 0));
        lm_rows_free(rows);
        lm_df_free(df);
    }
}

/* Over a few seeds the edge cases a job must survive all show up. */
static void test_edge_values_are_generated(void **state)
{
    lm_session *s = *state;
    lmt_gen_opts g = lmt_gen_opts_default();
    g.min_rows = g.max_rows = 50;
    g.edge_rate = 0.5;
    bool nan = false, neg_zero = false, inf = false, empty = false, null = false;
    bool first_day = false, last_day = false, int_min = false;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        lm_df *df = lmt_gen_df(s, "d DOUBLE, s STRING, dt DATE, i INT", seed, &g, NULL);
        lm_rows *rows = NULL;
        assert_int_equal(lm_df_collect(df, &rows), LM_OK);
        for (int64_t r = 0; r < rows->n; r++) {
            const lm_value *v = rows->rows[r];
            null |= v[0].is_null;
            if (!v[0].is_null) {
                nan |= isnan(v[0].u.f64);
                neg_zero |= v[0].u.f64 == 0 && signbit(v[0].u.f64);
                inf |= isinf(v[0].u.f64);
            }
            empty |= !v[1].is_null && v[1].u.str.len == 0;
            first_day |= !v[2].is_null && v[2].u.i64 == -719162;
            last_day |= !v[2].is_null && v[2].u.i64 == 2932896;
            int_min |= !v[3].is_null && v[3].u.i64 == INT32_MIN;
        }
        lm_rows_free(rows);
        lm_df_free(df);
    }
    assert_true(nan);
    assert_true(neg_zero);
    assert_true(inf);
    assert_true(empty);
    assert_true(null);
    assert_true(first_day);
    assert_true(last_day);
    assert_true(int_min);
}

static void test_every_type_can_be_generated(void **state)
{
    lm_session *s = *state;
    lmt_gen_opts g = lmt_gen_opts_default();
    g.min_rows = g.max_rows = 30;
    lm_df *df =
        lmt_gen_df(s,
                   "t TINYINT, sm SMALLINT, l BIGINT, f FLOAT, b BINARY, ntz TIMESTAMP_NTZ, "
                   "ym INTERVAL YEAR TO MONTH, ds INTERVAL DAY TO SECOND, "
                   "m MAP<INT, ARRAY<STRUCT<a: DATE>>>",
                   11, &g, NULL);
    assert_non_null(df);
    int64_t n = 0;
    assert_int_equal(lm_df_count(df, &n), LM_OK);
    assert_int_equal(n, 30);
    char *text = lm_df_schema_string(df);
    assert_string_equal(text, "struct<t:tinyint,sm:smallint,l:bigint,f:float,b:binary,"
                              "ntz:timestamp_ntz,ym:interval year to month,"
                              "ds:interval day to second,m:map<int,array<struct<a:date>>>>");
    free(text);
    lm_df_free(df);
}

static void test_bad_generator_schema(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    assert_null(lmt_gen_df(s, "a INT,", 1, NULL, &err));
    assert_non_null(err);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_a_true_property_passes_every_trial),
        lmt_unit_test(test_failing_input_is_shrunk_to_one_simple_row),
        lmt_unit_test(test_numbers_shrink_toward_zero),
        lmt_unit_test(test_every_type_shrinks_to_its_zero),
        lmt_unit_test(test_an_empty_input_can_be_the_failure),
        lmt_unit_test(test_seed_and_trials_come_from_the_environment),
        lmt_unit_test(test_compact_property_report),
        lmt_unit_test(test_bad_property_schema_is_an_error),
        cmocka_unit_test(test_property_assertion_fails_the_test),
        lmt_unit_test(test_same_seed_same_rows),
        lmt_unit_test(test_row_count_and_not_null_are_honoured),
        lmt_unit_test(test_edge_values_are_generated),
        lmt_unit_test(test_every_type_can_be_generated),
        lmt_unit_test(test_bad_generator_schema),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
