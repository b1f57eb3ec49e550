/*
 * The testkit's chaos and RDD helpers: lmt_deterministic (a job run under
 * several chaos seeds, the first seed changing its answer reported with the
 * comparison's report) and lmt_rdd_equal (multiset and ordered RDD
 * equality, the first differing element reported with its counts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "localmode_testkit.h"
#include "rdd_util.h"
#include "testkit_support.h"

/* ------------------------------------------------------------------ RDDs */
static const char *const k4[] = {"a", "b", "b", "c"};
static const int v4[] = {1, 2, 2, 3};

static void test_rdds_equal_as_multisets_whatever_the_order(void **state)
{
    lm_session *s = *state;
    static const char *const k[] = {"b", "c", "a", "b"};
    static const int v[] = {2, 3, 1, 2};
    lm_rdd *a = rt_pairs(s, k, v, 4, 2);
    lm_rdd *e = rt_pairs(s, k4, v4, 4, 3);
    lmt_result r = lmt_rdd_equal(a, e, false);
    assert_int_equal(r.outcome, LMT_EQUAL);
    assert_null(r.report);
    assert_int_equal(r.total, 3); /* distinct elements */
    lmt_assert_rdd_equal(a, e, false);
    lm_rdd_free(a);
    lm_rdd_free(e);
}

static void test_unordered_report_names_the_element_and_both_counts(void **state)
{
    lm_session *s = *state;
    static const char *const k[] = {"a", "b", "c", "c"};
    static const int v[] = {1, 2, 3, 3};
    lm_rdd *a = rt_pairs(s, k, v, 4, 2);
    lm_rdd *e = rt_pairs(s, k4, v4, 4, 2);
    lmt_result r = lmt_rdd_equal(a, e, false);
    assert_int_equal(r.outcome, LMT_DIFFERENT_ROWS);
    assert_string_equal(r.report, "[DIFFERENT_ROWS] RDDs do not match: (b,2): expected 2 times, "
                                  "actual 1 time\n"
                                  "compared in any order; actual 4 elements, expected 4 "
                                  "elements; 2 distinct elements with different counts");
    assert_int_equal(r.differing, 2);
    lmt_result_free(&r);
    lm_rdd_free(a);
    lm_rdd_free(e);
}

static void test_unordered_report_names_an_element_only_actual_has(void **state)
{
    lm_session *s = *state;
    static const char *const k[] = {"a", "b", "b", "c", "z"};
    static const int v[] = {1, 2, 2, 3, 26};
    lm_rdd *a = rt_pairs(s, k, v, 5, 2);
    lm_rdd *e = rt_pairs(s, k4, v4, 4, 2);
    lmt_result r = lmt_rdd_equal(a, e, false);
    assert_string_equal(r.report, "[DIFFERENT_ROWS] RDDs do not match: (z,26): expected 0 times, "
                                  "actual 1 time\n"
                                  "compared in any order; actual 5 elements, expected 4 "
                                  "elements; 1 distinct element with different counts");
    lmt_result_free(&r);
    lm_rdd_free(a);
    lm_rdd_free(e);
}

static void test_ordered_report_names_the_first_differing_position(void **state)
{
    lm_session *s = *state;
    static const char *const k[] = {"a", "b", "c", "b"};
    static const int v[] = {1, 2, 3, 2};
    lm_rdd *a = rt_pairs(s, k, v, 4, 2);
    lm_rdd *e = rt_pairs(s, k4, v4, 4, 2);
    /* the same multiset ... */
    lmt_result r = lmt_rdd_equal(a, e, false);
    assert_int_equal(r.outcome, LMT_EQUAL);
    /* ... in another order */
    r = lmt_rdd_equal(a, e, true);
    assert_int_equal(r.outcome, LMT_DIFFERENT_ROWS);
    assert_string_equal(r.report, "[DIFFERENT_ROWS] RDDs do not match at element 2: expected "
                                  "(b,2), actual (c,3)\n"
                                  "compared in order; actual 4 elements, expected 4 elements; "
                                  "2 positions differ");
    lmt_result_free(&r);
    lm_rdd_free(a);
    lm_rdd_free(e);
}

static void test_ordered_report_past_the_end_of_an_rdd(void **state)
{
    lm_session *s = *state;
    lm_rdd *a = rt_ints(s, 1, 3, 2);
    lm_rdd *e = rt_ints(s, 1, 4, 2);
    lmt_result r = lmt_rdd_equal(a, e, true);
    assert_string_equal(r.report, "[DIFFERENT_ROWS] RDDs do not match at element 3: expected 4, "
                                  "actual none\n"
                                  "compared in order; actual 3 elements, expected 4 elements; "
                                  "1 position differs");
    lmt_result_free(&r);
    lm_rdd_free(a);
    lm_rdd_free(e);
}

static lm_status widen(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(in->u.i64);
    return LM_OK;
}

static void test_elements_of_different_types_compare_by_value(void **state)
{
    lm_session *s = *state;
    lm_rdd *ints = rt_ints(s, 1, 5, 2);
    lm_rdd *longs = lm_rdd_map(ints, lm_type_long(), widen, NULL);
    lmt_assert_rdd_equal(longs, ints, true);
    lmt_assert_rdd_equal(longs, ints, false);
    lm_rdd_free(longs);
    lm_rdd_free(ints);
}

static lm_status fail_all(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)in;
    (void)out;
    (void)ud;
    return lm_task_fail(t, "nope");
}

static void test_a_failing_rdd_is_an_error(void **state)
{
    lm_session *s = *state;
    lm_rdd *ints = rt_ints(s, 1, 2, 1);
    lm_rdd *bad = lm_rdd_map(ints, lm_type_int(), fail_all, NULL);
    lmt_result r = lmt_rdd_equal(bad, ints, false);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_non_null(strstr(r.report, "[ERROR] cannot collect the actual RDD: Job aborted due to "
                                     "stage failure"));
    lmt_result_free(&r);
    lm_rdd_free(bad);
    lm_rdd_free(ints);
}

static lm_rdd *g_left, *g_right;
static void failing_rdd_assertion(void **state)
{
    (void)state;
    lmt_assert_rdd_equal(g_left, g_right, false);
}

static void test_rdd_assertion_fails_the_test_with_the_report(void **state)
{
    lm_session *s = *state;
    g_left = rt_ints(s, 1, 3, 1);
    g_right = rt_ints(s, 1, 4, 1);
    tks_child c = tks_run_child(failing_rdd_assertion, "failing_rdd_assertion", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[DIFFERENT_ROWS] RDDs do not match: 4: expected 1 time, "
                                     "actual 0 times"));
    free(c.output);
    lm_rdd_free(g_left);
    lm_rdd_free(g_right);
}

/* ------------------------------------------------------------ determinism */
static lm_df *first_after_group_by(lm_session *s, void *ctx)
{
    (void)ctx;
    lm_df *df = NULL;
    lm_sql(s,
           "SELECT k, first(v) AS f FROM VALUES (1, 'a'), (2, 'b'), (1, 'c'), (2, 'd'), "
           "(1, 'e'), (2, 'f'), (1, 'g'), (2, 'h') AS t(k, v) GROUP BY k",
           &df);
    return df;
}

static lm_df *order_free_aggregates(lm_session *s, void *ctx)
{
    (void)ctx;
    lm_df *df = NULL;
    lm_sql(s,
           "SELECT k, count(*) AS n, sum(v) AS s, max(v) AS m FROM VALUES (1, 10), (2, 20), "
           "(1, 30), (2, 40), (1, 50) AS t(k, v) GROUP BY k",
           &df);
    return df;
}

static void test_order_free_job_is_deterministic(void **state)
{
    (void)state;
    lmt_result r = lmt_deterministic(order_free_aggregates, NULL, (const int64_t[]){1, 2, 3, 4}, 4,
                                     NULL);
    assert_int_equal(r.outcome, LMT_EQUAL);
    assert_null(r.report);
    lmt_assert_deterministic(order_free_aggregates, NULL, 5, 6, 7);
}

static void test_first_after_group_by_is_reported_with_its_seed(void **state)
{
    (void)state;
    /* seed 1 keeps the answer of the run without chaos, seed 3 changes it
       (slices arrive 3 1 0 2: g and h come first) */
    lmt_result r = lmt_deterministic(first_after_group_by, NULL, (const int64_t[]){1, 3, 4}, 3,
                                     NULL);
    assert_int_equal(r.outcome, LMT_NONDETERMINISTIC);
    assert_string_equal(r.report,
                        "[NONDETERMINISTIC] The answer changed under "
                        "spark.localmode.chaos.seed=3 (seed 2 of 3; actual = that run, expected = "
                        "the run without chaos)\n"
                        "[DIFFERENT_ROWS] Results do not match: (100.00000 %)\n"
                        "rows compared in any order; actual 2 rows, expected 2 rows\n"
                        "  | actual || expected\n"
                        "  | k | f  || k | f\n"
                        "--+---+----++---+---\n"
                        "! | 1 | g  || 1 | a\n"
                        "  |   | ^  ||   | ^\n"
                        "! | 2 | h  || 2 | b\n"
                        "  |   | ^  ||   | ^");
    assert_int_equal(r.differing, 2);
    lmt_result_free(&r);
}

static void test_compact_report_is_one_line(void **state)
{
    (void)state;
    lmt_df_opts o = lmt_df_opts_default();
    o.format = LMT_FORMAT_COMPACT;
    lmt_result r = lmt_deterministic(first_after_group_by, NULL, (const int64_t[]){3}, 1, &o);
    assert_int_equal(r.outcome, LMT_NONDETERMINISTIC);
    assert_null(strchr(r.report, '\n'));
    assert_non_null(strstr(r.report, "seed=3 (seed 1 of 1; actual = that run, expected = the run "
                                     "without chaos); [DIFFERENT_ROWS]"));
    lmt_result_free(&r);
}

/* An RDD job: groupByKey's value lists depend on shuffle arrival. */
static lm_df *group_by_key_job(lm_session *s, void *ctx)
{
    (void)ctx;
    static const char *const k[] = {"a", "b", "a", "b", "a", "b"};
    static const int v[] = {1, 2, 3, 4, 5, 6};
    lm_rdd *r = rt_pairs(s, k, v, 6, 3);
    lm_rdd *g = lm_rdd_group_by_key(r, 2);
    lm_df *df = lm_rdd_to_df(g, lm_rdd_element_type(g));
    lm_rdd_free(g);
    lm_rdd_free(r);
    return df;
}

static void test_rdd_job_depending_on_shuffle_arrival_is_reported(void **state)
{
    (void)state;
    lmt_result r = lmt_deterministic(group_by_key_job, NULL, (const int64_t[]){1, 2, 3}, 3, NULL);
    assert_int_equal(r.outcome, LMT_NONDETERMINISTIC);
    assert_non_null(strstr(r.report, "[NONDETERMINISTIC] The answer changed under "
                                     "spark.localmode.chaos.seed=1 (seed 1 of 3;"));
    assert_non_null(strstr(r.report, "[DIFFERENT_ROWS]"));
    lmt_result_free(&r);
}

/* A job that carries its own chaos: task attempts fail with a chance
   drawn from the seed (none without one), retried on local[2,F]. */
static lm_df *flaky_count_job(lm_session *s, void *ctx)
{
    const char *master = ctx;
    if (lm_session_conf_set(s, "spark.master", master) != LM_OK ||
        lm_session_conf_set(s, "spark.localmode.chaos.failTasks", "0.5") != LM_OK)
        return NULL;
    lm_rdd *r = rt_ints(s, 1, 40, 8);
    int64_t n = 0;
    lm_df *df = NULL;
    if (lm_rdd_count(r, &n) == LM_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %lld AS n", (long long)n);
        lm_sql(s, sql, &df);
    }
    lm_rdd_free(r);
    return df;
}

static void test_retried_idempotent_job_is_deterministic(void **state)
{
    (void)state;
    lmt_assert_deterministic(flaky_count_job, "local[2,64]", 1, 2, 3);
}

static void test_a_job_failing_under_chaos_is_reported_with_the_error(void **state)
{
    (void)state;
    /* one attempt per task: the first injected failure aborts the job */
    lmt_result r = lmt_deterministic(flaky_count_job, "local[2]", (const int64_t[]){8}, 1, NULL);
    assert_int_equal(r.outcome, LMT_NONDETERMINISTIC);
    assert_non_null(strstr(r.report, "[NONDETERMINISTIC] The job failed under "
                                     "spark.localmode.chaos.seed=8 (seed 1 of 1; it succeeds "
                                     "without chaos)\nJob aborted due to stage failure: "));
    assert_non_null(strstr(r.report, "org.apache.spark.localmode.ChaosInjectedFailure: Injected "
                                     "failure of task "));
    lmt_result_free(&r);
}

static lm_df *failing_job(lm_session *s, void *ctx)
{
    (void)ctx;
    lm_df *df = NULL;
    lm_sql(s, "SELECT nope FROM VALUES (1) AS t(k)", &df);
    return df;
}

static void test_a_job_failing_without_chaos_is_an_error(void **state)
{
    (void)state;
    lmt_result r = lmt_deterministic(failing_job, NULL, (const int64_t[]){1}, 1, NULL);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_non_null(strstr(r.report, "[ERROR] the job failed without chaos: [UNRESOLVED_COLUMN"));
    lmt_result_free(&r);
}

static lm_df *seed_sensitive_failure(lm_session *s, void *ctx)
{
    (void)ctx;
    /* a job that breaks only when its groups arrive in another order */
    lm_df *df = NULL;
    lm_sql(s,
           "SELECT assert_true(first(v) = 'a') AS ok FROM VALUES (1, 'a'), (1, 'b'), (1, 'c'), "
           "(1, 'd') AS t(k, v) GROUP BY k",
           &df);
    return df;
}

static void test_a_job_failing_only_under_a_seed_is_nondeterministic(void **state)
{
    (void)state;
    lmt_result r = lmt_deterministic(seed_sensitive_failure, NULL,
                                     (const int64_t[]){1, 2, 3, 4, 5, 6}, 6, NULL);
    assert_int_equal(r.outcome, LMT_NONDETERMINISTIC);
    assert_non_null(strstr(r.report, "[NONDETERMINISTIC] The job failed under "
                                     "spark.localmode.chaos.seed="));
    assert_non_null(strstr(r.report, "it succeeds without chaos)\n"));
    lmt_result_free(&r);
}

static void test_no_seed_is_an_error(void **state)
{
    (void)state;
    lmt_result r = lmt_deterministic(order_free_aggregates, NULL, NULL, 0, NULL);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_string_equal(r.report,
                        "[ERROR] lmt_deterministic: a job and at least one seed are needed");
    lmt_result_free(&r);
}

static void failing_determinism_assertion(void **state)
{
    (void)state;
    lmt_assert_deterministic(first_after_group_by, NULL, 3);
}

static void test_determinism_assertion_fails_the_test(void **state)
{
    (void)state;
    tks_child c = tks_run_child(failing_determinism_assertion, "failing", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[NONDETERMINISTIC] The answer changed under "
                                     "spark.localmode.chaos.seed=3"));
    free(c.output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_rdds_equal_as_multisets_whatever_the_order),
        lmt_unit_test(test_unordered_report_names_the_element_and_both_counts),
        lmt_unit_test(test_unordered_report_names_an_element_only_actual_has),
        lmt_unit_test(test_ordered_report_names_the_first_differing_position),
        lmt_unit_test(test_ordered_report_past_the_end_of_an_rdd),
        lmt_unit_test(test_elements_of_different_types_compare_by_value),
        lmt_unit_test(test_a_failing_rdd_is_an_error),
        lmt_unit_test(test_rdd_assertion_fails_the_test_with_the_report),
        lmt_unit_test(test_order_free_job_is_deterministic),
        lmt_unit_test(test_first_after_group_by_is_reported_with_its_seed),
        lmt_unit_test(test_compact_report_is_one_line),
        lmt_unit_test(test_rdd_job_depending_on_shuffle_arrival_is_reported),
        lmt_unit_test(test_retried_idempotent_job_is_deterministic),
        lmt_unit_test(test_a_job_failing_under_chaos_is_reported_with_the_error),
        lmt_unit_test(test_a_job_failing_without_chaos_is_an_error),
        lmt_unit_test(test_a_job_failing_only_under_a_seed_is_nondeterministic),
        lmt_unit_test(test_no_seed_is_an_error),
        lmt_unit_test(test_determinism_assertion_fails_the_test),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
