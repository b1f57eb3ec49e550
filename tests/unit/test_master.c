/*
 * Specification of master URL parsing (localmode/conf/master.h): Spark
 * 3.5's SparkContext.createTaskScheduler grammar and messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/master.h"

static const lm_master_opts EIGHT_CORES = {8, 0, 0, 0};

static lm_master parse_ok(const char *url)
{
    lm_master m;
    lm_error err;
    lm_error_init(&err);
    lm_status st = lm_master_parse(url, &EIGHT_CORES, &m, &err);
    if (st != LM_OK)
        fail_msg("%s: %s", url, err.message);
    lm_error_clear(&err);
    return m;
}

static void assert_parse_error(const char *url, const lm_master_opts *opts,
                               const char *exception, const char *message)
{
    lm_master m;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_master_parse(url, opts ? opts : &EIGHT_CORES, &m, &err), LM_ERROR);
    assert_string_equal(err.message, message);
    assert_string_equal(err.exception, exception);
    lm_error_clear(&err);
    lm_master_clear(&m);
}

static void test_local_is_one_thread_one_attempt(void **state)
{
    (void)state;
    lm_master m = parse_ok("local");
    assert_int_equal(m.kind, LM_MASTER_LOCAL);
    assert_int_equal(m.threads, 1);
    assert_int_equal(m.max_failures, 1);
    assert_false(m.all_cores);
    assert_string_equal(m.url, "local");
    assert_true(lm_master_is_local(&m));
    lm_master_clear(&m);
}

static void test_local_n_uses_n_threads(void **state)
{
    (void)state;
    lm_master m = parse_ok("local[4]");
    assert_int_equal(m.kind, LM_MASTER_LOCAL);
    assert_int_equal(m.threads, 4);
    assert_int_equal(m.max_failures, 1);
    lm_master_clear(&m);
}

static void test_local_star_uses_machine_cores(void **state)
{
    (void)state;
    lm_master m = parse_ok("local[*]");
    assert_int_equal(m.threads, 8);
    assert_true(m.all_cores);
    assert_int_equal(m.max_failures, 1);
    lm_master_clear(&m);
}

static void test_local_star_without_opts_asks_the_system(void **state)
{
    (void)state;
    lm_master m;
    assert_int_equal(lm_master_parse("local[*]", NULL, &m, NULL), LM_OK);
    assert_true(m.threads >= 1);
    lm_master_clear(&m);
}

static void test_local_n_f_sets_task_attempts(void **state)
{
    (void)state;
    lm_master m = parse_ok("local[2,3]");
    assert_int_equal(m.threads, 2);
    assert_int_equal(m.max_failures, 3);
    lm_master_clear(&m);
    m = parse_ok("local[*, 5]");
    assert_int_equal(m.threads, 8);
    assert_int_equal(m.max_failures, 5);
    lm_master_clear(&m);
    m = parse_ok("local[3 ,\t2]");
    assert_int_equal(m.threads, 3);
    assert_int_equal(m.max_failures, 2);
    lm_master_clear(&m);
}

static void test_local_zero_threads_is_refused(void **state)
{
    (void)state;
    assert_parse_error("local[0]", NULL, "org.apache.spark.SparkException",
                       "Asked to run locally with 0 threads");
}

static void test_local_zero_threads_with_failures_fails_the_cpus_check(void **state)
{
    (void)state;
    assert_parse_error("local[0,1]", NULL, "org.apache.spark.SparkException",
                       "The number of cores per executor (=0) has to be >= the number of cpus "
                       "per task = 1.");
}

static void test_task_cpus_above_threads_is_refused(void **state)
{
    (void)state;
    lm_master_opts opts = {8, 2, 0, 0};
    assert_parse_error("local", &opts, "org.apache.spark.SparkException",
                       "The number of cores per executor (=1) has to be >= the number of cpus "
                       "per task = 2.");
    assert_parse_error("local[2, 1]", &(lm_master_opts){8, 3, 0, 0},
                       "org.apache.spark.SparkException",
                       "The number of cores per executor (=2) has to be >= the number of cpus "
                       "per task = 3.");
}

static void test_thread_count_overflow_is_a_number_format_error(void **state)
{
    (void)state;
    assert_parse_error("local[99999999999]", NULL, "java.lang.NumberFormatException",
                       "For input string: \"99999999999\"");
}

static void test_malformed_local_forms_cannot_be_parsed(void **state)
{
    (void)state;
    const char *bad[] = {"local[]",     "local[-1]",  "local[ 2]", "local[2 ]", "local[2",
                         "local[2]x",   "local[a]",   "local[2,]", "local[,2]", "local[2,*]",
                         "Local",       " local",     "local ",    "local[1.5]", "local[2,3,4]",
                         "localhost",   "",           "foo"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expected[128];
        snprintf(expected, sizeof expected, "Could not parse Master URL: '%s'", bad[i]);
        assert_parse_error(bad[i], NULL, "org.apache.spark.SparkException", expected);
    }
}

static void test_local_cluster_describes_workers(void **state)
{
    (void)state;
    lm_master m = parse_ok("local-cluster[2, 3, 2048]");
    assert_int_equal(m.kind, LM_MASTER_LOCAL_CLUSTER);
    assert_int_equal(m.workers, 2);
    assert_int_equal(m.cores_per_worker, 3);
    assert_int_equal(m.memory_per_worker_mb, 2048);
    assert_int_equal(m.threads, 6);
    assert_int_equal(m.max_failures, 4);
    assert_true(lm_master_is_local(&m));
    lm_master_clear(&m);
}

static void test_local_cluster_needs_executor_memory_per_worker(void **state)
{
    (void)state;
    assert_parse_error("local-cluster[1,1,512]", NULL, "org.apache.spark.SparkException",
                       "Asked to launch cluster with 512 MiB/worker but requested 1024 "
                       "MiB/executor");
    lm_master m;
    lm_master_opts opts = {8, 0, 0, 256};
    assert_int_equal(lm_master_parse("local-cluster[1,1,512]", &opts, &m, NULL), LM_OK);
    lm_master_clear(&m);
}

static void test_standalone_splits_master_list(void **state)
{
    (void)state;
    lm_master m = parse_ok("spark://h1:7077,h2:7078");
    assert_int_equal(m.kind, LM_MASTER_STANDALONE);
    assert_int_equal(m.nurls, 2);
    assert_string_equal(m.urls[0], "spark://h1:7077");
    assert_string_equal(m.urls[1], "spark://h2:7078");
    assert_int_equal(m.max_failures, 4);
    assert_false(lm_master_is_local(&m));
    lm_master_clear(&m);
}

static void test_cluster_managers_are_recognised(void **state)
{
    (void)state;
    struct {
        const char *url;
        lm_master_kind kind;
        const char *name;
    } cases[] = {
        {"yarn", LM_MASTER_YARN, "yarn"},
        {"k8s://https://10.0.0.1:443", LM_MASTER_K8S, "k8s"},
        {"mesos://zk://h:2181", LM_MASTER_MESOS, "mesos"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lm_master m = parse_ok(cases[i].url);
        assert_int_equal(m.kind, cases[i].kind);
        assert_string_equal(lm_master_kind_name(m.kind), cases[i].name);
        assert_false(lm_master_is_local(&m));
        lm_master_clear(&m);
    }
    assert_parse_error("yarn-client", NULL, "org.apache.spark.SparkException",
                       "Could not parse Master URL: 'yarn-client'");
}

static void test_missing_master_asks_for_one(void **state)
{
    (void)state;
    assert_parse_error(NULL, NULL, "org.apache.spark.SparkException",
                       "A master URL must be set in your configuration");
}

static void test_max_failures_of_cluster_masters_come_from_conf(void **state)
{
    (void)state;
    lm_master m;
    lm_master_opts opts = {8, 0, 7, 0};
    assert_int_equal(lm_master_parse("spark://h:7077", &opts, &m, NULL), LM_OK);
    assert_int_equal(m.max_failures, 7);
    lm_master_clear(&m);
    assert_int_equal(lm_master_parse("local[2]", &opts, &m, NULL), LM_OK);
    assert_int_equal(m.max_failures, 1);
    lm_master_clear(&m);
}

static void test_long_and_binary_urls_do_not_crash(void **state)
{
    (void)state;
    size_t n = 100000;
    char *url = malloc(n + 1);
    memset(url, '[', n);
    url[n] = '\0';
    lm_master m;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_master_parse(url, NULL, &m, &err), LM_ERROR);
    lm_error_clear(&err);
    lm_master_clear(&m);
    free(url);
    assert_int_equal(lm_master_parse("local[\xff]", NULL, &m, NULL), LM_ERROR);
    lm_master_clear(&m);
    assert_int_equal(lm_master_parse("spark://a\nb", NULL, &m, NULL), LM_ERROR);
    lm_master_clear(&m);
}

static void test_submit_check_accepts_spark_prefixes(void **state)
{
    (void)state;
    const char *ok[] = {"yarn", "local", "local[2]", "localfoo", "spark://h:1", "sparkle",
                        "k8s://x", "mesos://x"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(lm_master_check_submit(ok[i], NULL), LM_OK);
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_master_check_submit("foo", &err), LM_ERROR);
    assert_string_equal(err.message,
                        "Master must either be yarn or start with spark, mesos, k8s, or local");
    lm_error_clear(&err);
    assert_int_equal(lm_master_check_submit("yarn-cluster", NULL), LM_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_is_one_thread_one_attempt),
        cmocka_unit_test(test_local_n_uses_n_threads),
        cmocka_unit_test(test_local_star_uses_machine_cores),
        cmocka_unit_test(test_local_star_without_opts_asks_the_system),
        cmocka_unit_test(test_local_n_f_sets_task_attempts),
        cmocka_unit_test(test_local_zero_threads_is_refused),
        cmocka_unit_test(test_local_zero_threads_with_failures_fails_the_cpus_check),
        cmocka_unit_test(test_task_cpus_above_threads_is_refused),
        cmocka_unit_test(test_thread_count_overflow_is_a_number_format_error),
        cmocka_unit_test(test_malformed_local_forms_cannot_be_parsed),
        cmocka_unit_test(test_local_cluster_describes_workers),
        cmocka_unit_test(test_local_cluster_needs_executor_memory_per_worker),
        cmocka_unit_test(test_standalone_splits_master_list),
        cmocka_unit_test(test_cluster_managers_are_recognised),
        cmocka_unit_test(test_missing_master_asks_for_one),
        cmocka_unit_test(test_max_failures_of_cluster_masters_come_from_conf),
        cmocka_unit_test(test_long_and_binary_urls_do_not_crash),
        cmocka_unit_test(test_submit_check_accepts_spark_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
