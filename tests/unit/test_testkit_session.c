/*
 * Specification of the testkit's sessions: the shared session and its
 * configuration, lmt_with_conf overrides and their restoration, what the
 * per-test teardown puts back in the catalog, fresh sessions, the scratch
 * folder, and the SQL helpers that fail a test.
 *
 * Tests of the setup/teardown pair call it by hand (they are plain cmocka
 * tests), so each one runs a whole "test" inside itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

static void assert_conf(lm_session *s, const char *key, const char *expected)
{
    char *v = lm_session_conf_get(s, key);
    if (expected == NULL) {
        assert_null(v);
    } else {
        assert_non_null(v);
        assert_string_equal(v, expected);
    }
    free(v);
}

/* Whether a query over `view` runs. */
static bool view_exists(lm_session *s, const char *view)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", view);
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK)
        return false;
    lm_df_free(df);
    return true;
}

static void run(lm_session *s, const char *sql)
{
    lm_df *df = tks_sql(s, sql);
    assert_non_null(df);
    lm_df_free(df);
}

/* ---------------------------------------------------------- the session */

static void test_shared_session_is_one_per_process(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    assert_non_null(s);
    assert_ptr_equal(lmt_session_get(), s);
}

static void test_testkit_configuration(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    assert_conf(s, "spark.master", "local[2]");
    assert_conf(s, "spark.sql.session.timeZone", "UTC");
    assert_conf(s, "spark.sql.shuffle.partitions", "4");
    char *wh = lm_session_conf_get(s, "spark.sql.warehouse.dir");
    assert_non_null(wh);
    const char *dir = lmt_tmpdir();
    assert_true(strncmp(wh, dir, strlen(dir)) == 0);
    assert_string_equal(wh + strlen(dir), "/warehouse");
    free(wh);
}

static void test_scratch_folder_is_private_to_the_process(void **state)
{
    (void)state;
    const char *dir = lmt_tmpdir();
    assert_non_null(dir);
    assert_ptr_equal(lmt_tmpdir(), dir);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    char mark[32];
    snprintf(mark, sizeof mark, "/lmt-%ld-", (long)getpid());
    assert_non_null(strstr(dir, mark));
    /* a forked child that exits normally leaves its parent's folder alone */
    pid_t pid = fork();
    if (pid == 0) {
        lmt_tmpdir();
        exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_int_equal(stat(dir, &st), 0);
}

static void test_fresh_sessions_are_separate(void **state)
{
    (void)state;
    lm_session *a = lmt_session_new(), *b = lmt_session_new();
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, lmt_session_get());
    run(a, "CREATE TEMPORARY VIEW only_in_a AS SELECT 1 AS x");
    assert_true(view_exists(a, "only_in_a"));
    assert_false(view_exists(b, "only_in_a"));
    assert_conf(b, "spark.sql.session.timeZone", "UTC");
    lm_session_close(a);
    lm_session_close(b);
}

/* ------------------------------------------------------- conf overrides */

static void test_with_conf_sets_and_restore_puts_back(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    assert_conf(s, "spark.sql.ansi.enabled", NULL);
    assert_int_equal(
        lmt_with_conf(s, "spark.sql.ansi.enabled", "true", "spark.sql.shuffle.partitions", "7"),
        LM_OK);
    assert_conf(s, "spark.sql.ansi.enabled", "true");
    assert_conf(s, "spark.sql.shuffle.partitions", "7");
    /* the override takes effect: ANSI division by zero fails */
    lm_df *df = tks_sql(s, "SELECT 1 / 0 AS q");
    int64_t n = 0;
    assert_int_equal(lm_df_count(df, &n), LM_ERROR);
    assert_string_equal(lm_errclass(s), "DIVIDE_BY_ZERO");
    lm_df_free(df);
    lmt_restore_conf(s);
    assert_conf(s, "spark.sql.ansi.enabled", NULL);
    assert_conf(s, "spark.sql.shuffle.partitions", "4");
    df = tks_sql(s, "SELECT 1 / 0 AS q");
    assert_int_equal(lm_df_count(df, &n), LM_OK);
    lm_df_free(df);
}

static void test_overriding_a_key_twice_restores_the_first_value(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    lmt_with_conf(s, "spark.sql.session.timeZone", "Europe/Paris");
    lmt_with_conf(s, "spark.sql.session.timeZone", "Asia/Tokyo");
    assert_conf(s, "spark.sql.session.timeZone", "Asia/Tokyo");
    lmt_restore_conf(s);
    assert_conf(s, "spark.sql.session.timeZone", "UTC");
}

static void test_with_conf_needs_a_value_per_key(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    assert_int_equal(lmt_with_conf_list(s, "spark.sql.caseSensitive", (const char *)NULL),
                     LM_ERROR);
    assert_string_equal(lm_errmsg(s), "lmt_with_conf: no value for key spark.sql.caseSensitive");
    lmt_restore_conf(s);
}

/* -------------------------------------------------------- per-test reset */

static void test_teardown_drops_what_the_test_created(void **state)
{
    (void)state;
    void *st = NULL;
    assert_int_equal(lmt_setup(&st), 0);
    lm_session *s = st;
    assert_ptr_equal(s, lmt_session_get());
    run(s, "CREATE TEMPORARY VIEW made_in_test AS SELECT 1 AS x");
    run(s, "CREATE GLOBAL TEMPORARY VIEW global_made_in_test AS SELECT 1 AS x");
    lmt_with_conf(s, "spark.sql.caseSensitive", "true");
    lm_df *owned = lmt_sql(s, "SELECT * FROM made_in_test");
    assert_non_null(owned);
    assert_int_equal(lmt_teardown(&st), 0);
    assert_false(view_exists(s, "made_in_test"));
    assert_false(view_exists(s, "global_temp.global_made_in_test"));
    assert_conf(s, "spark.sql.caseSensitive", NULL);
}

static void test_teardown_restores_what_existed_before(void **state)
{
    (void)state;
    lm_session *s = lmt_session_get();
    run(s, "CREATE TEMPORARY VIEW kept AS SELECT 1 AS x");
    run(s, "CREATE TEMPORARY VIEW replaced AS SELECT 'old' AS v");
    run(s, "CREATE TEMPORARY VIEW dropped AS SELECT 2 AS y");
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(
        s, "tables:\n  fx:\n    schema: \"id INT\"\n    rows: [[1], [2]]\n", "fx.yaml", &err);
    assert_non_null(f);

    void *st = NULL;
    assert_int_equal(lmt_setup(&st), 0);
    run(s, "CREATE OR REPLACE TEMPORARY VIEW replaced AS SELECT 'new' AS v");
    run(s, "DROP VIEW dropped");
    run(s, "DROP VIEW fx");
    assert_int_equal(lmt_teardown(&st), 0);

    assert_true(view_exists(s, "kept"));
    lm_df *r = tks_sql(s, "SELECT * FROM replaced");
    lmt_assert_rows_equal(r, "('old')", NULL);
    lm_df *d = tks_sql(s, "SELECT * FROM dropped");
    lmt_assert_rows_equal(d, "(2)", NULL);
    lm_df *x = tks_sql(s, "SELECT * FROM fx");
    lmt_assert_rows_equal(x, "1, 2", NULL);
    lm_df_free(r);
    lm_df_free(d);
    lm_df_free(x);
    run(s, "DROP VIEW kept");
    run(s, "DROP VIEW replaced");
    run(s, "DROP VIEW dropped");
    run(s, "DROP VIEW fx");
    lmt_fixture_free(f);
}

/* DataFrames from lmt_sql live until the teardown; valgrind checks they
   are freed there. */
static void test_dataframes_from_lmt_sql_belong_to_the_test(void **state)
{
    lm_session *s = *state;
    for (int i = 0; i < 10; i++)
        assert_non_null(lmt_sql(s, "SELECT 1 AS x"));
}

static void test_fresh_session_per_test_starts_empty(void **state)
{
    lm_session *s = *state;
    assert_ptr_not_equal(s, lmt_session_get());
    run(lmt_session_get(), "CREATE TEMPORARY VIEW in_shared AS SELECT 1 AS x");
    assert_false(view_exists(s, "in_shared"));
    run(lmt_session_get(), "DROP VIEW in_shared");
    lmt_exec(s, "CREATE TEMPORARY VIEW in_fresh AS SELECT 1 AS x");
    lm_df *df = lmt_sql(s, "SELECT * FROM in_fresh");
    lmt_assert_rows_equal(df, "1", NULL);
    lmt_with_conf(s, "spark.sql.ansi.enabled", "true");
}

/* ------------------------------------------------------------ SQL helpers */

static void test_sql_helpers_pass(void **state)
{
    lm_session *s = *state;
    lmt_exec(s, "CREATE TEMPORARY VIEW helper_view AS SELECT 1 AS x");
    lmt_exec(s, "SELECT x + 1 FROM helper_view");
    lmt_assert_sql_error(s, "SELECT nope FROM helper_view", "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    lmt_with_conf(s, "spark.sql.ansi.enabled", "true");
    lmt_assert_sql_error(s, "SELECT x / 0 FROM helper_view", "DIVIDE_BY_ZERO");
}

static void child_bad_sql(void **state)
{
    lmt_sql(*state, "SELECT * FROM no_such_view");
}

static void child_exec_runtime_error(void **state)
{
    lmt_with_conf(*state, "spark.sql.ansi.enabled", "true");
    lmt_exec(*state, "SELECT 1 / 0");
}

static void child_wrong_error_class(void **state)
{
    lmt_assert_sql_error(*state, "SELECT * FROM no_such_view", "PARSE_SYNTAX_ERROR");
}

static void child_no_error(void **state)
{
    lmt_assert_sql_error(*state, "SELECT 1", "DIVIDE_BY_ZERO");
}

static void test_sql_helpers_fail_the_test_with_the_engine_message(void **state)
{
    (void)state;
    tks_child c = tks_run_child(child_bad_sql, "child_bad_sql", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(
        strstr(c.output, "[SQL_ERROR] the statement failed: [TABLE_OR_VIEW_NOT_FOUND] The table or "
                         "view `no_such_view` cannot be found."));
    assert_non_null(strstr(c.output, "\n  in: SELECT * FROM no_such_view\n"));
    free(c.output);

    c = tks_run_child(child_exec_runtime_error, "child_exec_runtime_error", true);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[SQL_ERROR] the query failed: [DIVIDE_BY_ZERO] Division by "
                                     "zero."));
    free(c.output);

    c = tks_run_child(child_wrong_error_class, "child_wrong_error_class", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[SQL_ERROR] expected error class PARSE_SYNTAX_ERROR, got "
                                     "TABLE_OR_VIEW_NOT_FOUND: [TABLE_OR_VIEW_NOT_FOUND]"));
    free(c.output);

    c = tks_run_child(child_no_error, "child_no_error", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[SQL_ERROR] expected error class DIVIDE_BY_ZERO, but the "
                                     "statement succeeded\n  in: SELECT 1\n"));
    free(c.output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_session_is_one_per_process),
        cmocka_unit_test(test_testkit_configuration),
        cmocka_unit_test(test_scratch_folder_is_private_to_the_process),
        cmocka_unit_test(test_fresh_sessions_are_separate),
        cmocka_unit_test(test_with_conf_sets_and_restore_puts_back),
        cmocka_unit_test(test_overriding_a_key_twice_restores_the_first_value),
        cmocka_unit_test(test_with_conf_needs_a_value_per_key),
        cmocka_unit_test(test_teardown_drops_what_the_test_created),
        cmocka_unit_test(test_teardown_restores_what_existed_before),
        lmt_unit_test(test_dataframes_from_lmt_sql_belong_to_the_test),
        lmt_unit_test_fresh(test_fresh_session_per_test_starts_empty),
        lmt_unit_test(test_sql_helpers_pass),
        cmocka_unit_test(test_sql_helpers_fail_the_test_with_the_engine_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
