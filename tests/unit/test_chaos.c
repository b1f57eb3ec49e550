/*
 * Chaos schedules (spark.localmode.chaos.seed / .failTasks): the conf
 * syntax, seeded permutations that replay, order-dependent RDD and
 * DataFrame jobs changing their answer with the seed and keeping it for a
 * seed, injected task failures with retries and Spark's abort message, and
 * the hook DataFrame schedulers call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>

#include "common/chaos.h"
#include "exec/chaos.h"
#include "rdd_util.h"
#include "session/session.h"

/* A session on master with the chaos confs (NULL: unset). */
static lm_session *open_chaos(const char *master, const char *seed, const char *fail)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", master);
    if (seed)
        lm_conf_set(c, LM_CHAOS_SEED_KEY, seed);
    if (fail)
        lm_conf_set(c, LM_CHAOS_FAIL_KEY, fail);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

/* ------------------------------------------------------------------ conf */
static void test_fail_tasks_syntax_reads_rules_and_a_chance(void **state)
{
    (void)state;
    lm_chaos c;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_chaos_parse(&c, "42", "0:1, *:3:2 ,2:*:*,0.25", &e), LM_OK);
    assert_true(c.permute);
    assert_int_equal((int64_t)c.seed, 42);
    assert_int_equal(c.nrules, 3);
    assert_int_equal(c.rules[0].stage, 0);
    assert_int_equal(c.rules[0].partition, 1);
    assert_int_equal(c.rules[0].attempt, 0); /* the first attempt by default */
    assert_int_equal(c.rules[1].stage, -1);
    assert_int_equal(c.rules[1].partition, 3);
    assert_int_equal(c.rules[1].attempt, 2);
    assert_int_equal(c.rules[2].partition, -1);
    assert_int_equal(c.rules[2].attempt, -1);
    assert_true(c.fail_chance == 0.25);
    assert_true(lm_chaos_fails(&c, 0, 9, 1, 0));
    assert_false(lm_chaos_fails(&c, 0, 9, 1, 1) && !lm_chaos_fails(&c, 0, 9, 1, 1));
    assert_true(lm_chaos_fails(&c, 7, 9, 3, 2));
    assert_true(lm_chaos_fails(&c, 2, 9, 5, 4));
    lm_chaos_clear(&c);
    assert_false(lm_chaos_active(&c));
}

static void test_bad_fail_tasks_items_are_named_in_the_error(void **state)
{
    (void)state;
    const char *bad[] = {"x:1", "0:1:2:3", "0:-1", "1.5", "0:", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lm_chaos c;
        lm_error e;
        lm_error_init(&e);
        char spec[64];
        snprintf(spec, sizeof spec, "0:0,%s", bad[i]);
        assert_int_equal(lm_chaos_parse(&c, NULL, spec, &e), LM_ERROR);
        assert_false(lm_chaos_active(&c));
        char want[64];
        snprintf(want, sizeof want, "but has '%s'", bad[i]);
        assert_non_null(strstr(e.message, want));
        assert_string_equal(e.exception, "java.lang.IllegalArgumentException");
        lm_error_clear(&e);
    }
    lm_chaos c;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_chaos_parse(&c, "12x", NULL, &e), LM_ERROR);
    assert_string_equal(e.message, "spark.localmode.chaos.seed should be long, but was 12x");
    lm_error_clear(&e);
    /* "1" alone is a probability (every attempt fails), not a rule */
    assert_int_equal(lm_chaos_parse(&c, NULL, "1", &e), LM_OK);
    assert_true(c.fail_chance == 1.0);
    lm_chaos_clear(&c);
}

static void test_permutations_replay_for_a_seed_and_vary_across_seeds(void **state)
{
    (void)state;
    lm_chaos a, b, off;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_chaos_parse(&a, "7", NULL, &e), LM_OK);
    assert_int_equal(lm_chaos_parse(&b, "8", NULL, &e), LM_OK);
    assert_int_equal(lm_chaos_parse(&off, NULL, NULL, &e), LM_OK);
    int p1[16], p2[16], p3[16], id[16];
    lm_chaos_permutation(&a, LM_CHAOS_ARRIVAL, 0, 3, p1, 16);
    lm_chaos_permutation(&a, LM_CHAOS_ARRIVAL, 0, 3, p2, 16);
    lm_chaos_permutation(&b, LM_CHAOS_ARRIVAL, 0, 3, p3, 16);
    lm_chaos_permutation(&off, LM_CHAOS_ARRIVAL, 0, 3, id, 16);
    assert_memory_equal(p1, p2, sizeof p1);
    assert_memory_not_equal(p1, p3, sizeof p1);
    int seen[16] = {0};
    for (int i = 0; i < 16; i++) {
        assert_int_equal(id[i], i);
        seen[p1[i]]++;
    }
    for (int i = 0; i < 16; i++)
        assert_int_equal(seen[i], 1);
    /* another decision point of the same seed is an independent draw */
    lm_chaos_permutation(&a, LM_CHAOS_ARRIVAL, 0, 4, p2, 16);
    assert_memory_not_equal(p1, p2, sizeof p1);
    lm_chaos_clear(&a);
    lm_chaos_clear(&b);
}

/* ------------------------------------------------------------------- RDD */
static const char *const keys[] = {"a", "b", "a", "b", "a", "b", "a", "b"};
static const int vals[] = {1, 2, 3, 4, 5, 6, 7, 8};

/* groupByKey over 4 map partitions into 1 reduce partition. */
static char *group_by_key_under(const char *seed)
{
    lm_session *s = open_chaos("local[2]", seed, NULL);
    lm_rdd *r = rt_pairs(s, keys, vals, 8, 4);
    lm_rdd *g = lm_rdd_group_by_key(r, 1);
    char *text = rt_collect(s, g);
    lm_rdd_free(g);
    lm_rdd_free(r);
    lm_session_close(s);
    return text;
}

static void test_group_by_key_values_follow_the_seeded_shuffle_arrival(void **state)
{
    (void)state;
    assert_text(group_by_key_under(NULL), "[(a,[1, 3, 5, 7]), (b,[2, 4, 6, 8])]");
    assert_text(group_by_key_under("1"), "[(a,[7, 3, 5, 1]), (b,[8, 4, 6, 2])]");
    assert_text(group_by_key_under("2"), "[(a,[1, 5, 7, 3]), (b,[2, 6, 8, 4])]");
    /* the same seed replays the same arrival order */
    assert_text(group_by_key_under("1"), "[(a,[7, 3, 5, 1]), (b,[8, 4, 6, 2])]");
}

static void test_a_seed_replays_within_one_session(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[2]", "1", NULL);
    for (int i = 0; i < 3; i++) {
        lm_rdd *r = rt_pairs(s, keys, vals, 8, 4);
        lm_rdd *g = lm_rdd_group_by_key(r, 1);
        assert_text(rt_collect(s, g), "[(a,[7, 3, 5, 1]), (b,[8, 4, 6, 2])]");
        lm_rdd_free(g);
        lm_rdd_free(r);
    }
    lm_session_close(s);
}

static lm_status concat(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                        void *ud)
{
    (void)ud;
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.*s%.*s", (int)a->u.str.len, a->u.str.ptr,
                     (int)b->u.str.len, b->u.str.ptr);
    return lm_task_make_string(t, buf, (size_t)n, out);
}

/* reduce with a non-commutative function: partials merge on the driver in
   the order results arrive. */
static char *reduce_under(const char *seed)
{
    static const char *const letters[] = {"a", "b", "c", "d", "e", "f"};
    lm_session *s = open_chaos("local[3]", seed, NULL);
    lm_rdd *r = rt_strings(s, letters, 6, 6);
    lm_value_list *l = NULL;
    char *text = lm_rdd_reduce(r, concat, NULL, &l) == LM_OK ? rt_list_text(s, l)
                                                              : strdup(lm_errmsg(s));
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
    return text;
}

static void test_non_commutative_reduce_depends_on_result_arrival(void **state)
{
    (void)state;
    assert_text(reduce_under(NULL), "[abcdef]");
    assert_text(reduce_under("3"), "[bfecda]");
    assert_text(reduce_under("4"), "[bdfaec]");
    assert_text(reduce_under("3"), "[bfecda]");
}

/* Records the partitions in the order tasks ran (one worker thread). */
typedef struct run_log {
    pthread_mutex_t lock;
    char text[256];
} run_log;

static lm_status log_partition(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)in;
    (void)n;
    run_log *l = ud;
    pthread_mutex_lock(&l->lock);
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s%d.%d", len ? " " : "", index,
             lm_task_attempt(t));
    pthread_mutex_unlock(&l->lock);
    return LM_OK;
}

static char *task_order_under(const char *master, const char *seed, const char *fail)
{
    lm_session *s = open_chaos(master, seed, fail);
    lm_rdd *r = rt_ints(s, 1, 6, 6);
    run_log l = {PTHREAD_MUTEX_INITIALIZER, ""};
    lm_status st = lm_rdd_foreach_partition(r, log_partition, &l);
    char *text = strdup(st == LM_OK ? l.text : lm_errmsg(s));
    lm_rdd_free(r);
    lm_session_close(s);
    return text;
}

static void test_tasks_launch_in_seeded_order(void **state)
{
    (void)state;
    assert_text(task_order_under("local[1]", NULL, NULL), "0.0 1.0 2.0 3.0 4.0 5.0");
    assert_text(task_order_under("local[1]", "5", NULL), "0.0 4.0 2.0 3.0 1.0 5.0");
    assert_text(task_order_under("local[1]", "5", NULL), "0.0 4.0 2.0 3.0 1.0 5.0");
}

static void test_failed_attempts_are_retried_after_running_their_input(void **state)
{
    (void)state;
    /* the doomed attempts ran (their side effects are visible), then were
       retried in a later round */
    assert_text(task_order_under("local[1,2]", NULL, "0:1,0:4"),
                "0.0 1.0 2.0 3.0 4.0 5.0 1.1 4.1");
    assert_text(task_order_under("local[1,3]", NULL, "*:2:*"),
                "Job aborted due to stage failure: Task 2 in stage 0.0 failed 3 times, most "
                "recent failure: Lost task 2.2 in stage 0.0 (TID 7) (localhost executor "
                "driver): org.apache.spark.localmode.ChaosInjectedFailure: Injected failure "
                "of task 2.2 in stage 0.0 (TID 7): spark.localmode.chaos.failTasks\n"
                "Driver stacktrace:");
}

static void test_probabilistic_failures_replay_with_the_seed(void **state)
{
    (void)state;
    char *first = task_order_under("local[1,8]", "11", "0.4");
    char *again = task_order_under("local[1,8]", "11", "0.4");
    char *other = task_order_under("local[1,8]", "12", "0.4");
    assert_string_equal(first, again);
    assert_string_not_equal(first, other);
    /* some attempt failed and was retried */
    assert_non_null(strstr(first, ".1"));
    free(first);
    free(again);
    free(other);
}

/* A non-idempotent job: a side-effect counter sees a retried task twice,
   while an accumulator (counted once per successful task) does not. */
typedef struct counts {
    pthread_mutex_t lock;
    int64_t side_effects;
    lm_accumulator *acc;
} counts;

static lm_status count_each(lm_task *t, const lm_value *in, void *ud)
{
    counts *c = ud;
    pthread_mutex_lock(&c->lock);
    c->side_effects++;
    pthread_mutex_unlock(&c->lock);
    return lm_accumulator_add_long(t, c->acc, in->u.i64);
}

static void test_injected_failure_surfaces_a_non_idempotent_side_effect(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[2,2]", NULL, "*:1:0");
    lm_rdd *r = rt_ints(s, 1, 10, 2);
    counts c = {PTHREAD_MUTEX_INITIALIZER, 0, lm_accumulator_long(s, "sum")};
    assert_int_equal(lm_rdd_foreach(r, count_each, &c), LM_OK);
    assert_int_equal(c.side_effects, 15); /* partition 1 (6..10) ran twice */
    assert_int_equal(lm_accumulator_long_value(c.acc), 55);
    lm_accumulator_free(c.acc);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_map_stage_failure_is_retried_and_the_shuffle_is_whole(void **state)
{
    (void)state;
    /* stage 0 is groupByKey's map stage, stage 1 its result stage */
    lm_session *s = open_chaos("local[2,2]", NULL, "0:2,1:0");
    lm_rdd *r = rt_pairs(s, keys, vals, 8, 4);
    lm_rdd *g = lm_rdd_group_by_key(r, 1);
    assert_text(rt_collect(s, g), "[(a,[1, 3, 5, 7]), (b,[2, 4, 6, 8])]");
    lm_rdd_free(g);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_take_fails_a_doomed_attempt_that_stops_early(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[1,1]", NULL, "*:0:0");
    lm_rdd *r = rt_ints(s, 1, 10, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_take(r, 2, &l), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "Injected failure of task 0.0 in stage 0.0"));
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_bad_chaos_conf_fails_the_job_with_its_message(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[2]", NULL, "0:one");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    int64_t n;
    assert_int_equal(lm_rdd_count(r, &n), LM_ERROR);
    assert_string_equal(lm_errmsg(s),
                        "spark.localmode.chaos.failTasks should be a comma-separated list of "
                        "STAGE:PARTITION[:ATTEMPT] (numbers or *) or of a probability between 0 "
                        "and 1, but has '0:one'");
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ------------------------------------------------------------- DataFrames */
static char *sql_text(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    char *out = NULL;
    if (lm_sql(s, sql, &df) == LM_OK)
        out = lm_df_show_string(df, 20, 0, false);
    if (out == NULL)
        out = strdup(lm_errmsg(s));
    lm_df_free(df);
    return out;
}

static char *sql_under(const char *seed, const char *sql)
{
    lm_session *s = open_chaos("local[2]", seed, NULL);
    lm_session_conf_set(s, "spark.sql.shuffle.partitions", "4");
    char *text = sql_text(s, sql);
    lm_session_close(s);
    return text;
}

#define FIRST_SQL                                                                                  \
    "SELECT k, first(v) AS f, collect_list(v) AS l FROM VALUES (1, 'a'), (2, 'b'), (1, 'c'), "    \
    "(2, 'd'), (1, 'e'), (2, 'f'), (1, 'g'), (2, 'h') AS t(k, v) GROUP BY k ORDER BY k"

static void test_first_after_group_by_changes_with_the_seed(void **state)
{
    (void)state;
    assert_text(sql_under(NULL, FIRST_SQL), "+---+---+------------+\n"
                                            "|k  |f  |l           |\n"
                                            "+---+---+------------+\n"
                                            "|1  |a  |[a, c, e, g]|\n"
                                            "|2  |b  |[b, d, f, h]|\n"
                                            "+---+---+------------+\n");
    /* 4 slices (a,b) (c,d) (e,f) (g,h) arriving 3 1 0 2, then 1 0 3 2 */
    assert_text(sql_under("3", FIRST_SQL), "+---+---+------------+\n"
                                           "|k  |f  |l           |\n"
                                           "+---+---+------------+\n"
                                           "|1  |g  |[g, c, a, e]|\n"
                                           "|2  |h  |[h, d, b, f]|\n"
                                           "+---+---+------------+\n");
    assert_text(sql_under("4", FIRST_SQL), "+---+---+------------+\n"
                                           "|k  |f  |l           |\n"
                                           "+---+---+------------+\n"
                                           "|1  |c  |[c, a, g, e]|\n"
                                           "|2  |d  |[d, b, h, f]|\n"
                                           "+---+---+------------+\n");
    /* the same seed, the same answer */
    assert_text(sql_under("3", FIRST_SQL), "+---+---+------------+\n"
                                           "|k  |f  |l           |\n"
                                           "+---+---+------------+\n"
                                           "|1  |g  |[g, c, a, e]|\n"
                                           "|2  |h  |[h, d, b, f]|\n"
                                           "+---+---+------------+\n");
}

static void test_order_independent_aggregates_do_not_change(void **state)
{
    (void)state;
    const char *sql = "SELECT k, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi, "
                      "sort_array(collect_set(v)) AS vs FROM range(100) AS r(v) "
                      "CROSS JOIN VALUES (1), (2) AS t(k) GROUP BY k ORDER BY k";
    char *base = sql_under(NULL, sql);
    for (int seed = 1; seed <= 5; seed++) {
        char sd[8];
        snprintf(sd, sizeof sd, "%d", seed);
        char *got = sql_under(sd, sql);
        assert_string_equal(got, base);
        free(got);
    }
    free(base);
}

static void test_join_output_order_follows_the_seed(void **state)
{
    (void)state;
    const char *sql = "SELECT a.k, collect_list(b.w) AS ws FROM VALUES (1), (2) AS a(k) "
                      "JOIN VALUES (1, 'x'), (2, 'y'), (1, 'z'), (2, 'u'), (1, 'v') AS b(k, w) "
                      "ON a.k = b.k GROUP BY a.k ORDER BY a.k";
    assert_text(sql_under(NULL, sql), "+---+---------+\n"
                                      "|k  |ws       |\n"
                                      "+---+---------+\n"
                                      "|1  |[x, z, v]|\n"
                                      "|2  |[y, u]   |\n"
                                      "+---+---------+\n");
    assert_text(sql_under("2", sql), "+---+---------+\n"
                                     "|k  |ws       |\n"
                                     "+---+---------+\n"
                                     "|1  |[v, x, z]|\n"
                                     "|2  |[u, y]   |\n"
                                     "+---+---------+\n");
    assert_text(sql_under("7", sql), "+---+---------+\n"
                                     "|k  |ws       |\n"
                                     "+---+---------+\n"
                                     "|1  |[z, x, v]|\n"
                                     "|2  |[u, y]   |\n"
                                     "+---+---------+\n");
}

static void test_bad_seed_is_refused_when_set(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[2]", NULL, NULL);
    assert_int_equal(lm_session_conf_set(s, LM_CHAOS_SEED_KEY, "soon"), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "spark.localmode.chaos.seed should be long, but was soon");
    lm_session_close(s);
}

static void test_exec_hook_for_partitioned_schedulers(void **state)
{
    (void)state;
    lm_session *s = open_chaos("local[2]", "3", "1:2");
    lm_error err;
    lm_error_init(&err);
    lm_exec x = {0};
    x.session = s;
    x.err = &err;
    exec_chaos c;
    assert_int_equal(exec_chaos_get(&x, &c), LM_OK);
    int o1[8], o2[8];
    exec_chaos_arrival(&c, 1, 0, 8, o1);
    exec_chaos_arrival(&c, 1, 0, 8, o2);
    assert_memory_equal(o1, o2, sizeof o1);
    exec_chaos_arrival(&c, 1, 1, 8, o2);
    assert_memory_not_equal(o1, o2, sizeof o1);
    assert_int_equal(exec_chaos_task(&x, &c, 0, 0, 2, 0), LM_OK);
    assert_int_equal(exec_chaos_task(&x, &c, 1, 1, 2, 1), LM_OK);
    assert_int_equal(exec_chaos_task(&x, &c, 1, 1, 2, 0), LM_ERROR);
    assert_string_equal(err.message, "Injected failure of task 2.0 in stage 1.0: "
                                     "spark.localmode.chaos.failTasks");
    assert_string_equal(err.exception, LM_CHAOS_EXC);
    exec_chaos_clear(&c);
    lm_error_clear(&err);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_tasks_syntax_reads_rules_and_a_chance),
        cmocka_unit_test(test_bad_fail_tasks_items_are_named_in_the_error),
        cmocka_unit_test(test_permutations_replay_for_a_seed_and_vary_across_seeds),
        cmocka_unit_test(test_group_by_key_values_follow_the_seeded_shuffle_arrival),
        cmocka_unit_test(test_a_seed_replays_within_one_session),
        cmocka_unit_test(test_non_commutative_reduce_depends_on_result_arrival),
        cmocka_unit_test(test_tasks_launch_in_seeded_order),
        cmocka_unit_test(test_failed_attempts_are_retried_after_running_their_input),
        cmocka_unit_test(test_probabilistic_failures_replay_with_the_seed),
        cmocka_unit_test(test_injected_failure_surfaces_a_non_idempotent_side_effect),
        cmocka_unit_test(test_map_stage_failure_is_retried_and_the_shuffle_is_whole),
        cmocka_unit_test(test_take_fails_a_doomed_attempt_that_stops_early),
        cmocka_unit_test(test_bad_chaos_conf_fails_the_job_with_its_message),
        cmocka_unit_test(test_first_after_group_by_changes_with_the_seed),
        cmocka_unit_test(test_order_independent_aggregates_do_not_change),
        cmocka_unit_test(test_join_output_order_follows_the_seed),
        cmocka_unit_test(test_bad_seed_is_refused_when_set),
        cmocka_unit_test(test_exec_hook_for_partitioned_schedulers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
