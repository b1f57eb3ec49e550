/*
 * Pair RDD operations: placement by PySpark's portable_hash, aggregation by
 * key (keys in order of first appearance), joins, cogroup, set operations,
 * sorting with Spark's RangePartitioner, and repartition's round robin.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "session/session.h"
#include "unit/rdd_util.h"

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

static lm_status neg(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(-in->u.i64);
    return LM_OK;
}

static const char *K[] = {"a", "b", "a", "c", "b", "a"};
static const int V[] = {1, 2, 3, 4, 5, 6};

static void test_partition_by_places_ints_by_value(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_type *pt = rdd_pair_type(lm_type_int(), lm_type_int());
    lm_value vals[4];
    lm_struct_value st[4];
    lm_value f[8];
    for (int i = 0; i < 4; i++) {
        f[2 * i] = lm_value_i64(i + 1);
        f[2 * i + 1] = lm_value_i64(10 * (i + 1));
        st[i].n = 2;
        st[i].fields = &f[2 * i];
        vals[i] = lm_value_null();
        vals[i].is_null = false;
        vals[i].u.st = &st[i];
    }
    lm_rdd *r = lm_rdd_parallelize(s, pt, vals, 4, 2);
    lm_rdd *p = lm_rdd_partition_by(r, 2, NULL, NULL);
    assert_text(rt_glom(s, p), "[[(2,20), (4,40)], [(1,10), (3,30)]]");
    /* already partitioned that way: the same RDD comes back */
    lm_rdd *again = lm_rdd_partition_by(p, 2, NULL, NULL);
    assert_ptr_equal(again, p);
    lm_rdd_free(again);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_type_unref(pt);
    lm_session_close(s);
}

static void test_reduce_by_key_and_group_by_key(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_pairs(s, K, V, 6, 2);
    lm_rdd *red = lm_rdd_reduce_by_key(r, add, NULL, 1);
    assert_text(rt_collect(s, red), "[(a,10), (b,7), (c,4)]");
    lm_rdd *g = lm_rdd_group_by_key(r, 1);
    assert_text(rt_collect(s, g), "[(a,[1, 3, 6]), (b,[2, 5]), (c,[4])]");
    lm_value zero = lm_value_i64(100);
    lm_rdd *fb = lm_rdd_fold_by_key(r, &zero, add, NULL, 1);
    /* the zero is used once per key per map partition */
    assert_text(rt_collect(s, fb), "[(a,210), (b,207), (c,104)]");
    lm_value_list *l;
    assert_int_equal(lm_rdd_count_by_key(r, &l), LM_OK);
    /* two hash partitions (portable_hash): b and c land in 0, a in 1 */
    assert_text(rt_list_text(s, l), "[(b,2), (c,1), (a,3)]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_collect_as_map(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[(a,6), (b,5), (c,4)]");
    lm_value_list_free(l);
    lm_value key = lm_value_str("b", 1);
    assert_int_equal(lm_rdd_lookup(r, &key, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[2, 5]");
    lm_value_list_free(l);
    lm_rdd_free(fb);
    lm_rdd_free(g);
    lm_rdd_free(red);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_map_values_keys_values(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_pairs(s, K, V, 3, 1);
    lm_rdd *m = lm_rdd_map_values(r, lm_type_int(), neg, NULL);
    assert_text(rt_collect(s, m), "[(a,-1), (b,-2), (a,-3)]");
    lm_rdd *k = lm_rdd_keys(r), *v = lm_rdd_values(r);
    assert_text(rt_collect(s, k), "[a, b, a]");
    assert_text(rt_collect(s, v), "[1, 2, 3]");
    lm_rdd_free(m);
    lm_rdd_free(k);
    lm_rdd_free(v);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_joins_and_cogroup(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *ka[] = {"a", "b", "c"}, *kb[] = {"a", "a", "d"};
    int va[] = {1, 2, 3}, vb[] = {10, 11, 40};
    lm_rdd *a = rt_pairs(s, ka, va, 3, 2), *b = rt_pairs(s, kb, vb, 3, 2);
    lm_rdd *j = lm_rdd_join(a, b, 1);
    assert_text(rt_collect(s, j), "[(a,(1,10)), (a,(1,11))]");
    lm_rdd *lj = lm_rdd_left_outer_join(a, b, 1);
    assert_text(rt_collect(s, lj), "[(a,(1,10)), (a,(1,11)), (b,(2,null)), (c,(3,null))]");
    lm_rdd *rj = lm_rdd_right_outer_join(a, b, 1);
    assert_text(rt_collect(s, rj), "[(a,(1,10)), (a,(1,11)), (d,(null,40))]");
    lm_rdd *fj = lm_rdd_full_outer_join(a, b, 1);
    assert_text(rt_collect(s, fj),
                "[(a,(1,10)), (a,(1,11)), (b,(2,null)), (c,(3,null)), (d,(null,40))]");
    lm_rdd *cg = lm_rdd_cogroup(a, b, 1);
    assert_text(rt_collect(s, cg),
                "[(a,([1],[10, 11])), (b,([2],[])), (c,([3],[])), (d,([],[40]))]");
    lm_rdd *sb = lm_rdd_subtract_by_key(a, b, 1);
    assert_text(rt_collect(s, sb), "[(b,2), (c,3)]");
    lm_rdd_free(sb);
    lm_rdd_free(cg);
    lm_rdd_free(fj);
    lm_rdd_free(rj);
    lm_rdd_free(lj);
    lm_rdd_free(j);
    lm_rdd_free(a);
    lm_rdd_free(b);
    lm_session_close(s);
}

static void test_distinct_intersection_subtract(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *x[] = {"b", "a", "b", "c", "a"}, *y[] = {"c", "a", "z"};
    lm_rdd *a = rt_strings(s, x, 5, 2), *b = rt_strings(s, y, 3, 2);
    lm_rdd *d = lm_rdd_distinct(a, 1);
    assert_text(rt_collect(s, d), "[b, a, c]");
    lm_rdd *i = lm_rdd_intersection(a, b, 1);
    assert_text(rt_collect(s, i), "[a, c]");
    lm_rdd *sub = lm_rdd_subtract(a, b, 1);
    assert_text(rt_collect(s, sub), "[b, b]");
    lm_rdd_free(sub);
    lm_rdd_free(i);
    lm_rdd_free(d);
    lm_rdd_free(a);
    lm_rdd_free(b);
    lm_session_close(s);
}

static void test_sort_by_key_ranges_and_orders(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"d", "b", "e", "a", "c", "f"};
    int v[] = {4, 2, 5, 1, 3, 6};
    lm_rdd *r = rt_pairs(s, k, v, 6, 3);
    lm_rdd *asc = lm_rdd_sort_by_key(r, true, 2);
    assert_int_equal(lm_rdd_num_partitions(asc), 2);
    assert_text(rt_glom(s, asc), "[[(a,1), (b,2), (c,3)], [(d,4), (e,5), (f,6)]]");
    lm_rdd *desc = lm_rdd_sort_by_key(r, false, 1);
    assert_text(rt_collect(s, desc), "[(f,6), (e,5), (d,4), (c,3), (b,2), (a,1)]");
    lm_rdd_free(desc);
    lm_rdd_free(asc);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_sort_by_asks_fewer_partitions_when_few_keys(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 3, 1);
    lm_rdd *sorted = lm_rdd_sort_by(r, lm_type_long(), neg, NULL, true, 10);
    /* 3 keys give 3 bounds, so 4 partitions (the last empty), not 10 */
    assert_int_equal(lm_rdd_num_partitions(sorted), 4);
    assert_text(rt_glom(s, sorted), "[[3], [2], [1], []]");
    lm_rdd_free(sorted);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_repartition_round_robin_from_random_start(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 6, 1);
    lm_rdd *p = lm_rdd_repartition(r, 3);
    assert_int_equal(lm_rdd_num_partitions(p), 3);
    int64_t n;
    assert_int_equal(lm_rdd_count(p, &n), LM_OK);
    assert_int_equal(n, 6);
    /* java.util.Random(byteswap32(0)).nextInt(3) starts partition 0's run */
    lm_jrandom rnd;
    lm_jrandom_init(&rnd, rdd_byteswap32(0));
    int start = lm_jrandom_next_int_bound(&rnd, 3);
    char expect[3][32] = {"", "", ""};
    for (int i = 1; i <= 6; i++) {
        int part = (start + i) % 3;
        char buf[8];
        snprintf(buf, sizeof buf, "%s%d", expect[part][0] ? ", " : "", i);
        strcat(expect[part], buf);
    }
    char full[128];
    snprintf(full, sizeof full, "[[%s], [%s], [%s]]", expect[0], expect[1], expect[2]);
    assert_text(rt_glom(s, p), full);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_by_places_ints_by_value),
        cmocka_unit_test(test_reduce_by_key_and_group_by_key),
        cmocka_unit_test(test_map_values_keys_values),
        cmocka_unit_test(test_joins_and_cogroup),
        cmocka_unit_test(test_distinct_intersection_subtract),
        cmocka_unit_test(test_sort_by_key_ranges_and_orders),
        cmocka_unit_test(test_sort_by_asks_fewer_partitions_when_few_keys),
        cmocka_unit_test(test_repartition_round_robin_from_random_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
