/*
 * Lineage text (toDebugString), task retries and Spark's job-abort message,
 * seeded sampling, shared variables, text files in and out, pipe and the
 * DataFrame bridges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/session.h"
#include "unit/rdd_util.h"

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

static lm_status pair_one(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value one = lm_value_i64(1);
    return lm_task_make_pair(t, in, &one, out);
}

static void test_debug_string_shows_shuffle_branches(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd_set_call_site(s, "wc.c:10");
    const char *w[] = {"a", "b", "a"};
    lm_rdd *r = rt_strings(s, w, 3, 2);
    lm_type *pt = rdd_pair_type(lm_type_string(), lm_type_int());
    lm_rdd *p = lm_rdd_map(r, pt, pair_one, NULL);
    lm_rdd *red = lm_rdd_reduce_by_key(p, add, NULL, 0);
    lm_rdd *k = lm_rdd_keys(red);
    assert_text(lm_rdd_to_debug_string(k),
                "(2) MapPartitionsRDD[3] at keys at wc.c:10 []\n"
                " |  ShuffledRDD[2] at reduceByKey at wc.c:10 []\n"
                " +-(2) MapPartitionsRDD[1] at map at wc.c:10 []\n"
                "    |  ParallelCollectionRDD[0] at parallelize at wc.c:10 []");
    assert_int_equal(lm_rdd_cache(k), LM_OK);
    lm_rdd_set_name(k, "words");
    assert_text(lm_rdd_to_debug_string(k),
                "(2) words MapPartitionsRDD[3] at keys at wc.c:10 [Memory Deserialized 1x "
                "Replicated]\n"
                " |  ShuffledRDD[2] at reduceByKey at wc.c:10 [Memory Deserialized 1x "
                "Replicated]\n"
                " +-(2) MapPartitionsRDD[1] at map at wc.c:10 [Memory Deserialized 1x "
                "Replicated]\n"
                "    |  ParallelCollectionRDD[0] at parallelize at wc.c:10 [Memory "
                "Deserialized 1x Replicated]");
    lm_rdd_free(k);
    lm_rdd_free(red);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_type_unref(pt);
    lm_session_close(s);
}

static void test_debug_string_call_site_defaults_to_c_function(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 2, 1);
    assert_text(lm_rdd_to_debug_string(r),
                "(1) ParallelCollectionRDD[0] at parallelize at lm_rdd_parallelize []");
    lm_rdd_free(r);
    lm_session_close(s);
}

static lm_status flaky(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    if (lm_task_partition(t) == 1 && lm_task_attempt(t) < 2)
        return lm_task_fail(t, "boom %d", lm_task_attempt(t));
    *out = *in;
    return LM_OK;
}

static lm_status always_fails(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)in;
    (void)out;
    (void)ud;
    if (lm_task_partition(t) == 1)
        return lm_task_fail(t, "boom");
    *out = *in;
    return LM_OK;
}

static void test_failed_task_is_retried_from_lineage(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2,3]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), flaky, NULL);
    assert_text(rt_collect(s, m), "[1, 2, 3, 4]");
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_job_aborts_after_max_failures(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2,2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), always_fails, NULL);
    int64_t n;
    assert_int_equal(lm_rdd_count(m, &n), LM_ERROR);
    assert_string_equal(lm_errmsg(s),
                        "Job aborted due to stage failure: Task 1 in stage 0.0 failed 2 times, "
                        "most recent failure: Lost task 1.1 in stage 0.0 (TID 2) (localhost "
                        "executor driver): java.lang.RuntimeException: boom\n"
                        "Driver stacktrace:");
    assert_string_equal(lm_errexception(s), "org.apache.spark.SparkException");
    /* a failed save leaves nothing behind */
    char dir[] = "/tmp/lm_rdd_fail_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[128];
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(lm_rdd_save_as_text_file(m, out, NULL), LM_ERROR);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    rmdir(dir);
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_random_generators_match_the_jvm(void **state)
{
    (void)state;
    /* java.util.Random(42).nextInt() and XORShiftRandom(0).nextDouble(),
       the first value of Spark's rand(0) in partition 0 */
    lm_jrandom j;
    lm_jrandom_init(&j, 42);
    assert_int_equal(lm_jrandom_next_int(&j), -1170105035);
    lm_xorshift x;
    lm_xorshift_init(&x, 0);
    double d = lm_xorshift_next_double(&x);
    assert_true(d == 0.7604953758285915 || d == 0.5234194256885571);
}

static void test_sample_is_deterministic_and_split_partitions_data(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 100, 4);
    lm_rdd *a = lm_rdd_sample(r, false, 0.2, 7), *b = lm_rdd_sample(r, false, 0.2, 7);
    char *ta = rt_collect(s, a), *tb = rt_collect(s, b);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    lm_rdd *parts[2];
    double w[2] = {0.3, 0.7};
    assert_int_equal(lm_rdd_random_split(r, w, 2, 11, parts), LM_OK);
    int64_t n0, n1;
    lm_rdd_count(parts[0], &n0);
    lm_rdd_count(parts[1], &n1);
    assert_int_equal(n0 + n1, 100);
    lm_value_list *l;
    assert_int_equal(lm_rdd_take_sample(r, false, 5, 3, &l), LM_OK);
    assert_int_equal(lm_value_list_count(l), 5);
    lm_value_list_free(l);
    lm_rdd *wr = lm_rdd_sample(r, true, 0.5, 1);
    int64_t nw;
    assert_int_equal(lm_rdd_count(wr, &nw), LM_OK);
    assert_true(nw > 10 && nw < 100);
    lm_rdd_free(wr);
    lm_rdd_free(parts[0]);
    lm_rdd_free(parts[1]);
    lm_rdd_free(a);
    lm_rdd_free(b);
    lm_rdd_free(r);
    lm_session_close(s);
}

static lm_status count_even(lm_task *t, const lm_value *in, void *ud)
{
    if (in->u.i64 % 2 == 0)
        return lm_accumulator_add_long(t, ud, 1);
    return LM_OK;
}

static lm_status add_broadcast(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    *out = lm_value_i64(in->u.i64 + lm_broadcast_value(ud)->u.i64);
    return LM_OK;
}

static void test_accumulators_and_broadcast(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[4]");
    lm_rdd *r = rt_ints(s, 1, 10, 4);
    lm_accumulator *acc = lm_accumulator_long(s, "evens");
    assert_int_equal(lm_rdd_foreach(r, count_even, acc), LM_OK);
    assert_int_equal(lm_accumulator_long_value(acc), 5);
    lm_value hundred = lm_value_i64(100);
    lm_broadcast *b = lm_rdd_broadcast(s, lm_type_long(), &hundred);
    lm_rdd *m = lm_rdd_map(r, lm_type_long(), add_broadcast, b);
    lm_value_list *l;
    assert_int_equal(lm_rdd_take(m, 2, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[101, 102]");
    lm_value_list_free(l);
    lm_rdd_free(m);
    lm_broadcast_free(b);
    lm_accumulator_free(acc);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_save_and_read_text_files(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    char dir[] = "/tmp/lm_rdd_io_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[128], path[200];
    snprintf(out, sizeof out, "%s/out", dir);
    lm_rdd *r = rt_ints(s, 1, 5, 2);
    assert_int_equal(lm_rdd_save_as_text_file(r, out, NULL), LM_OK);
    struct stat st;
    snprintf(path, sizeof path, "%s/_SUCCESS", out);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/part-00001", out);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(lm_rdd_save_as_text_file(r, out, NULL), LM_ERROR);
    lm_rdd *t = lm_rdd_text_file(s, out, 0);
    /* 4 + 6 bytes, goal 5: the 6-byte part is cut (6/5 > 1.1), so 3 splits */
    assert_int_equal(lm_rdd_num_partitions(t), 3);
    assert_text(rt_collect(s, t), "[1, 2, 3, 4, 5]");
    lm_rdd_free(t);
    char gz[128];
    snprintf(gz, sizeof gz, "%s/gz", dir);
    assert_int_equal(lm_rdd_save_as_text_file(r, gz, "gzip"), LM_OK);
    t = lm_rdd_text_file(s, gz, 0);
    assert_text(rt_collect(s, t), "[1, 2, 3, 4, 5]");
    lm_rdd_free(t);
    /* a 12-byte file in splits [0,6) and [6,12): a split reads the lines
       starting in (start, end], so "ef" at offset 6 is the first split's */
    snprintf(path, sizeof path, "%s/lines.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("ab\ncd\nef\r\ngh", f);
    fclose(f);
    t = lm_rdd_text_file(s, path, 2);
    assert_text(rt_glom(s, t), "[[ab, cd, ef], [gh]]");
    lm_rdd_free(t);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_pipe_through_shell(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *p = lm_rdd_pipe(r, "sed 's/^/x/'", 0);
    assert_text(rt_collect(s, p), "[x1, x2, x3, x4]");
    lm_rdd *bad = lm_rdd_pipe(r, "exit 3", 0);
    int64_t n;
    assert_int_equal(lm_rdd_count(bad, &n), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "Subprocess exited with status 3. Command ran: exit 3"));
    lm_rdd_free(bad);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_dataframe_bridges(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c') AS t(x, y)",
                            &df),
                     LM_OK);
    lm_rdd *r = lm_df_to_rdd(df);
    assert_non_null(r);
    assert_int_equal(lm_rdd_num_partitions(r), 2);
    assert_text(rt_collect(s, r), "[(1,a), (2,b), (3,c)]");
    lm_df *back = lm_rdd_to_df(r, lm_rdd_element_type(r));
    assert_non_null(back);
    int64_t n = 0;
    assert_int_equal(lm_df_count(back, &n), LM_OK);
    assert_int_equal(n, 3);
    lm_df_free(back);
    lm_rdd_free(r);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_checkpoint_truncates_lineage(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    char dir[] = "/tmp/lm_rdd_ck_XXXXXX";
    assert_non_null(mkdtemp(dir));
    lm_rdd *r = rt_ints(s, 1, 3, 1);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), flaky, NULL);
    assert_int_equal(lm_rdd_checkpoint(m), LM_ERROR);
    assert_int_equal(lm_rdd_set_checkpoint_dir(s, dir), LM_OK);
    assert_int_equal(lm_rdd_checkpoint(m), LM_OK);
    int64_t n;
    assert_int_equal(lm_rdd_count(m, &n), LM_OK);
    assert_true(lm_rdd_is_checkpointed(m));
    char *d = lm_rdd_to_debug_string(m);
    assert_non_null(strstr(d, "ReliableCheckpointRDD"));
    assert_null(strstr(d, "ParallelCollectionRDD"));
    free(d);
    assert_text(rt_collect(s, m), "[1, 2, 3]");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debug_string_shows_shuffle_branches),
        cmocka_unit_test(test_debug_string_call_site_defaults_to_c_function),
        cmocka_unit_test(test_failed_task_is_retried_from_lineage),
        cmocka_unit_test(test_job_aborts_after_max_failures),
        cmocka_unit_test(test_random_generators_match_the_jvm),
        cmocka_unit_test(test_sample_is_deterministic_and_split_partitions_data),
        cmocka_unit_test(test_accumulators_and_broadcast),
        cmocka_unit_test(test_save_and_read_text_files),
        cmocka_unit_test(test_pipe_through_shell),
        cmocka_unit_test(test_dataframe_bridges),
        cmocka_unit_test(test_checkpoint_truncates_lineage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
