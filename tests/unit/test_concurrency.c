/*
 * Concurrency: what the process shares, used from many threads at once, for
 * ThreadSanitizer (ci/tsan.sh) to check. Each test starts its threads
 * before anything else in the process touched the shared state, so the
 * first-use paths race too: the function registry (pthread_once), the
 * time-zone cache, singleton types' reference counts. Inside sessions, the
 * RDD scheduler's worker threads share caches, accumulators, broadcasts,
 * the memory cap, spill file names, chaos schedules and fault plans.
 *
 * Under a plain build these are functional tests: every thread must get
 * the answer a single thread gets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>

#include "rdd_util.h"

#define NTHREADS 4

static const char *const zones[NTHREADS] = {"America/Los_Angeles", "Europe/Paris", "Asia/Tokyo",
                                            "Australia/Lord_Howe"};

typedef struct job {
    int id;
    char *out; /* what the thread computed, or its error */
} job;

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

/* SQL in a session of its own time zone: first use of the registry, the
   zone cache and date functions, from every thread at once. */
static void *sql_worker(void *arg)
{
    job *j = arg;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", zones[j->id]);
    lm_conf_set(c, "spark.master", "local[2]");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    if (s == NULL) {
        j->out = strdup("no session");
        return NULL;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int round = 0; round < 3; round++) {
        char *t = sql_text(s, "SELECT date_format(TIMESTAMP '2024-03-31 01:30:00', 'yyyy-MM-dd "
                              "HH:mm') AS local, unix_timestamp(TIMESTAMP '2024-01-01 00:00:00') "
                              "AS epoch, upper(concat('a', 'b')) AS s, sort_array(array(3, 1, 2)) "
                              "AS a, k, count(*) AS n FROM VALUES (1), (2), (1) AS t(k) GROUP BY "
                              "k ORDER BY k");
        if (round == 0)
            lm_strbuf_puts(&sb, t);
        free(t);
    }
    j->out = lm_strbuf_detach(&sb);
    lm_session_close(s);
    return NULL;
}

static void run_threads(void *(*fn)(void *), job *jobs)
{
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        jobs[i].id = i;
        jobs[i].out = NULL;
        assert_int_equal(pthread_create(&th[i], NULL, fn, &jobs[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
}

static void test_sessions_on_threads_share_registry_and_zones(void **state)
{
    (void)state;
    job jobs[NTHREADS];
    run_threads(sql_worker, jobs);
    /* the epoch of a local timestamp depends on the zone; the rest not */
    for (int i = 0; i < NTHREADS; i++) {
        assert_non_null(strstr(jobs[i].out, "|AB |[1, 2, 3]|1  |2  |"));
        free(jobs[i].out);
    }
}

/* ------------------------------------------------------------------ RDDs */
static lm_status square(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    lm_accumulator *acc = ud;
    *out = lm_value_i64(in->u.i64 * in->u.i64);
    return lm_accumulator_add_long(t, acc, 1);
}

static lm_status mod_key(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value k = lm_value_i64(in->u.i64 % 7);
    return lm_task_make_pair(t, &k, in, out);
}

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

/* A job with worker threads on shared state: a cached parent read by a
   cartesian product, an accumulator, a shuffle, a spilling sort, chaos. */
static void *rdd_worker(void *arg)
{
    job *j = arg;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[4,4]");
    lm_conf_set(c, "spark.driver.memory", "16k");
    lm_conf_set(c, "spark.localmode.chaos.seed", "7");
    lm_conf_set(c, "spark.localmode.chaos.failTasks", "0.2");
    lm_conf_set(c, "spark.localmode.test.ioFaults", "write:PARTIAL");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_accumulator *acc = lm_accumulator_long(s, "calls");
    lm_rdd *r = rt_ints(s, 1, 400, 8);
    lm_rdd *sq = lm_rdd_map(r, lm_type_long(), square, acc);
    lm_rdd_cache(sq);
    lm_rdd *small = rt_ints(s, 1, 3, 3);
    lm_rdd *cart = lm_rdd_cartesian(sq, small);
    int64_t n = 0;
    lm_status st = lm_rdd_count(cart, &n);
    lm_type *pt = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_rdd *kv = lm_rdd_map(sq, pt, mod_key, NULL);
    lm_type_unref(pt);
    lm_rdd *sums = kv ? lm_rdd_reduce_by_key(kv, add, NULL, 3) : NULL;
    lm_rdd *sorted = sums ? lm_rdd_sort_by_key(sums, true, 2) : NULL;
    lm_rdd *grouped = kv ? lm_rdd_group_by_key(kv, 4) : NULL;
    int64_t ngroups = 0;
    if (st == LM_OK && grouped)
        st = lm_rdd_count(grouped, &ngroups);
    char *text = st == LM_OK && sorted ? rt_collect(s, sorted) : strdup(lm_errmsg(s));
    lm_strbuf_printf(&sb, "%lld %lld %lld %s", (long long)n, (long long)ngroups,
                     (long long)lm_accumulator_long_value(acc), text);
    free(text);
    lm_rdd_free(grouped);
    lm_rdd_free(sorted);
    lm_rdd_free(sums);
    lm_rdd_free(kv);
    lm_rdd_free(cart);
    lm_rdd_free(small);
    lm_rdd_free(sq);
    lm_rdd_free(r);
    lm_accumulator_free(acc);
    lm_session_close(s);
    j->out = lm_strbuf_detach(&sb);
    return NULL;
}

static void test_rdd_jobs_on_threads_with_chaos_and_spills(void **state)
{
    (void)state;
    job jobs[NTHREADS];
    run_threads(rdd_worker, jobs);
    for (int i = 0; i < NTHREADS; i++) {
        /* the map ran once per element: the cache is filled once, failed
           attempts' updates are dropped */
        /* squares mod 7 are 0, 1, 2 or 4 */
        assert_string_equal(jobs[i].out,
                            "1200 4 400 [(0,3104885), (1,6209885), (2,6049201), (4,6049429)]");
        free(jobs[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sessions_on_threads_share_registry_and_zones),
        cmocka_unit_test(test_rdd_jobs_on_threads_with_chaos_and_spills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
