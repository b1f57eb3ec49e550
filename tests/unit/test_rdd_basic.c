/*
 * RDD creation, element-wise transformations and the basic actions, with
 * the partition contents Spark gives (ParallelCollectionRDD.slice,
 * CoalescedRDD, range).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>

#include "session/session.h"
#include "unit/rdd_util.h"

static lm_status times_ten(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(in->u.i64 * 10);
    return LM_OK;
}

static lm_status is_even(lm_task *t, const lm_value *in, bool *keep, void *ud)
{
    (void)t;
    (void)ud;
    *keep = in->u.i64 % 2 == 0;
    return LM_OK;
}

static lm_status repeat_n(lm_task *t, const lm_value *in, void *ud)
{
    (void)ud;
    for (int64_t i = 0; i < in->u.i64; i++) {
        lm_status st = lm_task_emit(t, in);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

static lm_status sum_partition(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)ud;
    int64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += in[i].u.i64;
    lm_value v = lm_value_i64(index * 1000 + s);
    return lm_task_emit(t, &v);
}

static void test_parallelize_slices_as_spark(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 5, 3);
    assert_int_equal(lm_rdd_num_partitions(r), 3);
    assert_text(rt_glom(s, r), "[[1], [2, 3], [4, 5]]");
    lm_rdd_free(r);
    r = rt_ints(s, 1, 10, 4);
    assert_text(rt_glom(s, r), "[[1, 2], [3, 4, 5], [6, 7], [8, 9, 10]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_parallelize_default_slices_is_thread_count(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[3]");
    lm_rdd *r = rt_ints(s, 1, 7, 0);
    assert_int_equal(lm_rdd_num_partitions(r), 3);
    assert_text(rt_glom(s, r), "[[1, 2], [3, 4], [5, 6, 7]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_repartition_to_zero_rejected(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 3, 1);
    assert_null(lm_rdd_repartition(r, 0));
    assert_string_equal(lm_errmsg(s),
                        "requirement failed: Number of partitions (0) must be positive.");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_range_splits_like_spark_context_range(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = lm_rdd_range(s, 0, 10, 3, 2);
    assert_text(rt_glom(s, r), "[[0, 3], [6, 9]]");
    lm_rdd_free(r);
    r = lm_rdd_range(s, 10, 0, -4, 2);
    assert_text(rt_collect(s, r), "[10, 6, 2]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_map_filter_flatmap(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *m = lm_rdd_map(r, lm_type_long(), times_ten, NULL);
    assert_text(rt_collect(s, m), "[10, 20, 30, 40]");
    lm_rdd *f = lm_rdd_filter(r, is_even, NULL);
    assert_text(rt_collect(s, f), "[2, 4]");
    lm_rdd *fm = lm_rdd_flat_map(r, lm_type_int(), repeat_n, NULL);
    assert_text(rt_collect(s, fm), "[1, 2, 2, 3, 3, 3, 4, 4, 4, 4]");
    lm_rdd_free(m);
    lm_rdd_free(f);
    lm_rdd_free(fm);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_map_partitions_with_index(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 6, 3);
    lm_rdd *m = lm_rdd_map_partitions_with_index(r, lm_type_long(), sum_partition, NULL, false);
    assert_text(rt_collect(s, m), "[3, 1007, 2011]");
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_count_first_take_reduce_fold(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[4]");
    lm_rdd *r = rt_ints(s, 1, 10, 4);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(r, &n), LM_OK);
    assert_int_equal(n, 10);
    lm_value_list *l;
    assert_int_equal(lm_rdd_first(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take(r, 5, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1, 2, 3, 4, 5]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_reduce(r, add, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[55]");
    lm_value_list_free(l);
    /* fold adds the zero once per partition and once on the driver */
    lm_value one = lm_value_i64(1);
    assert_int_equal(lm_rdd_fold(r, &one, add, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[60]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_tree_reduce(r, add, NULL, 2, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[55]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_first_of_empty_is_empty_collection(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = lm_rdd_empty(s, lm_type_int());
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_first(r, &l), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "empty collection");
    bool empty = false;
    assert_int_equal(lm_rdd_is_empty(r, &empty), LM_OK);
    assert_true(empty);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_min_max_top_take_ordered(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    int vals[] = {10, 4, 2, 12, 3};
    lm_value v[5];
    for (int i = 0; i < 5; i++)
        v[i] = lm_value_i64(vals[i]);
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_int(), v, 5, 2);
    lm_value_list *l;
    assert_int_equal(lm_rdd_top(r, 1, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[12]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take_ordered(r, 2, NULL, NULL, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[2, 3]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_min(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[2]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_max(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[12]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_coalesce_groups_by_position(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 10, 5);
    lm_rdd *c = lm_rdd_coalesce(r, 2, false);
    assert_int_equal(lm_rdd_num_partitions(c), 2);
    assert_text(rt_glom(s, c), "[[1, 2, 3, 4], [5, 6, 7, 8, 9, 10]]");
    lm_rdd *c3 = lm_rdd_coalesce(r, 3, false);
    assert_text(rt_glom(s, c3), "[[1, 2], [3, 4, 5, 6], [7, 8, 9, 10]]");
    lm_rdd *big = lm_rdd_coalesce(r, 8, false);
    assert_int_equal(lm_rdd_num_partitions(big), 5);
    lm_rdd_free(c);
    lm_rdd_free(c3);
    lm_rdd_free(big);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_union_zip_cartesian_zip_with_index(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *a = rt_ints(s, 1, 3, 2), *b = rt_ints(s, 4, 6, 2);
    lm_rdd *u = lm_rdd_union(a, b);
    assert_int_equal(lm_rdd_num_partitions(u), 4);
    assert_text(rt_collect(s, u), "[1, 2, 3, 4, 5, 6]");
    lm_rdd *z = lm_rdd_zip(a, b);
    assert_text(rt_collect(s, z), "[(1,4), (2,5), (3,6)]");
    lm_rdd *c = lm_rdd_cartesian(a, b);
    assert_int_equal(lm_rdd_num_partitions(c), 4);
    assert_text(rt_collect(s, c), "[(1,4), (1,5), (1,6), (2,4), (3,4), (2,5), (2,6), (3,5), (3,6)]");
    lm_rdd *zi = lm_rdd_zip_with_index(u);
    assert_text(rt_collect(s, zi), "[(1,0), (2,1), (3,2), (4,3), (5,4), (6,5)]");
    lm_rdd *zu = lm_rdd_zip_with_unique_id(u);
    assert_text(rt_collect(s, zu), "[(1,0), (2,1), (3,5), (4,2), (5,3), (6,7)]");
    lm_rdd_free(zu);
    lm_rdd_free(zi);
    lm_rdd_free(c);
    lm_rdd_free(z);
    lm_rdd_free(u);
    lm_rdd_free(a);
    lm_rdd_free(b);
    lm_session_close(s);
}

static void test_zip_unequal_partitions_fails(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *a = rt_ints(s, 1, 3, 2), *b = rt_ints(s, 4, 6, 3);
    assert_null(lm_rdd_zip(a, b));
    assert_string_equal(lm_errmsg(s),
                        "Can't zip RDDs with unequal numbers of partitions: List(2, 3)");
    lm_rdd_free(a);
    lm_rdd_free(b);
    lm_session_close(s);
}

static void test_stats_sum_mean_histogram(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 5, 2);
    double sum = 0, mean = 0;
    assert_int_equal(lm_rdd_sum(r, &sum), LM_OK);
    assert_true(sum == 15.0);
    assert_int_equal(lm_rdd_mean(r, &mean), LM_OK);
    assert_true(mean == 3.0);
    lm_stat_counter st;
    assert_int_equal(lm_rdd_stats(r, &st), LM_OK);
    assert_text(lm_stats_string(&st),
                "(count: 5, mean: 3.000000, stdev: 1.414214, max: 5.000000, min: 1.000000)");
    assert_true(lm_stats_sample_variance(&st) == 2.5);
    double *b;
    int64_t *c;
    int nb;
    assert_int_equal(lm_rdd_histogram(r, 2, &b, &c, &nb), LM_OK);
    assert_int_equal(nb, 2);
    assert_true(b[0] == 1.0 && b[1] == 3.0 && b[2] == 5.0);
    assert_int_equal(c[0], 2);
    assert_int_equal(c[1], 3);
    free(b);
    free(c);
    double edges[] = {0, 2, 4, 10};
    int64_t cnt[3];
    assert_int_equal(lm_rdd_histogram_buckets(r, edges, 4, false, cnt), LM_OK);
    assert_int_equal(cnt[0], 1);
    assert_int_equal(cnt[1], 2);
    assert_int_equal(cnt[2], 2);
    lm_rdd_free(r);
    lm_session_close(s);
}

static atomic_int calls;

static lm_status counted(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    atomic_fetch_add(&calls, 1);
    *out = *in;
    return LM_OK;
}

static void test_cached_rdd_computed_once(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 6, 2);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), counted, NULL);
    atomic_store(&calls, 0);
    int64_t n;
    lm_rdd_count(m, &n);
    lm_rdd_count(m, &n);
    assert_int_equal(atomic_load(&calls), 12); /* not cached: twice */
    assert_int_equal(lm_rdd_cache(m), LM_OK);
    atomic_store(&calls, 0);
    lm_rdd_count(m, &n);
    lm_rdd_count(m, &n);
    assert_text(rt_collect(s, m), "[1, 2, 3, 4, 5, 6]");
    assert_int_equal(atomic_load(&calls), 6);
    lm_rdd_unpersist(m);
    lm_rdd_count(m, &n);
    assert_int_equal(atomic_load(&calls), 12);
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_take_reads_only_what_it_needs(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 100, 4);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), counted, NULL);
    atomic_store(&calls, 0);
    lm_value_list *l;
    assert_int_equal(lm_rdd_take(m, 3, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1, 2, 3]");
    lm_value_list_free(l);
    assert_int_equal(atomic_load(&calls), 3);
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_results_do_not_depend_on_threads(void **state)
{
    (void)state;
    const char *masters[] = {"local", "local[2]", "local[8]"};
    for (int i = 0; i < 3; i++) {
        lm_session *s = rt_open(masters[i]);
        lm_rdd *r = rt_ints(s, 1, 20, 7);
        lm_rdd *m = lm_rdd_map(r, lm_type_long(), times_ten, NULL);
        assert_text(rt_collect(s, m), "[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, "
                                      "130, 140, 150, 160, 170, 180, 190, 200]");
        lm_rdd_free(m);
        lm_rdd_free(r);
        lm_session_close(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallelize_slices_as_spark),
        cmocka_unit_test(test_parallelize_default_slices_is_thread_count),
        cmocka_unit_test(test_repartition_to_zero_rejected),
        cmocka_unit_test(test_range_splits_like_spark_context_range),
        cmocka_unit_test(test_map_filter_flatmap),
        cmocka_unit_test(test_map_partitions_with_index),
        cmocka_unit_test(test_count_first_take_reduce_fold),
        cmocka_unit_test(test_first_of_empty_is_empty_collection),
        cmocka_unit_test(test_min_max_top_take_ordered),
        cmocka_unit_test(test_coalesce_groups_by_position),
        cmocka_unit_test(test_union_zip_cartesian_zip_with_index),
        cmocka_unit_test(test_zip_unequal_partitions_fails),
        cmocka_unit_test(test_stats_sum_mean_histogram),
        cmocka_unit_test(test_cached_rdd_computed_once),
        cmocka_unit_test(test_take_reads_only_what_it_needs),
        cmocka_unit_test(test_results_do_not_depend_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
