/*
 * RDD behaviours beyond the basics: PySpark's portable_hash placement of
 * keys of every hashable type, custom partitioners, aggregate /
 * aggregateByKey / combineByKey / countByValue / treeReduce / takeSample /
 * takeOrdered / isEmpty, numeric statistics of float, double and decimal
 * RDDs, checkpoints of typed rows, shared variables, and text inputs.
 * Expected values are PySpark's documented examples and, for placement,
 * portable_hash(k) % n as Python 3.11 computes it (PYTHONHASHSEED=0).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* An RDD of (k, v) rows from a query whose first column is the key. */
static lm_rdd *sql_rdd(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK)
        fail_msg("%s: %s", sql, lm_errmsg(s));
    lm_rdd *r = lm_df_to_rdd(df);
    lm_df_free(df);
    assert_non_null(r);
    return r;
}

/* partitionBy(3).glom() of the keys of a query, as text. */
static char *placement(lm_session *s, const char *sql)
{
    lm_rdd *r = sql_rdd(s, sql);
    lm_rdd *k = lm_rdd_keys(r);
    lm_rdd *p = lm_rdd_partition_by(r, 3, NULL, NULL);
    lm_rdd *pk = lm_rdd_keys(p);
    char *t = rt_glom(s, pk);
    lm_rdd_free(pk);
    lm_rdd_free(p);
    lm_rdd_free(k);
    lm_rdd_free(r);
    return t;
}

/* ---------------------------------------------------------- placement */

static void test_portable_hash_places_booleans_floats_and_decimals(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* hash(True) = 1, hash(False) = 0 */
    assert_text(placement(s, "SELECT * FROM VALUES (true, 1), (false, 2) AS t(k, v)"),
                "[[false], [true], []]");
    /* hash(1.5) = 1152921504606846977, hash(-2.0) = -2 (Python's -1 rule) */
    assert_text(placement(s, "SELECT * FROM VALUES (1.5D, 1), (-2.0D, 2), (0.1D, 3), "
                             "(CAST(1.5 AS FLOAT), 4) AS t(k, v)"),
                "[[], [-2.0, 0.1], [1.5, 1.5]]");
    /* Decimal hashes equal their numeric value's hash */
    assert_text(placement(s, "SELECT * FROM VALUES (1.50BD, 1), (-2.25BD, 2), (0.01BD, 3), "
                             "(12345.67BD, 4) AS t(k, v)"),
                "[[12345.67], [], [1.50, -2.25, 0.01]]");
    lm_session_close(s);
}

static void test_portable_hash_places_dates_tuples_and_nulls(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* hash(date) hashes its 4 state bytes */
    assert_text(placement(s, "SELECT * FROM VALUES (DATE'2020-01-02', 1), (DATE'1999-12-31', 2), "
                             "(DATE'1970-01-01', 3) AS t(k, v)"),
                "[[1999-12-31], [2020-01-02, 1970-01-01], []]");
    /* a struct key is a tuple; None hashes to 0 */
    assert_text(placement(s, "SELECT named_struct('a', a, 'b', b) AS k, 0 AS v FROM VALUES "
                             "(1, 'a'), (2, 'b'), (3, NULL) AS t(a, b)"),
                "[[(2,b)], [(3,null)], [(1,a)]]");
    assert_text(placement(s, "SELECT CAST(NULL AS INT) AS k, 1 AS v"), "[[null], [], []]");
    lm_session_close(s);
}

static int64_t by_value(const lm_value *key, void *ud)
{
    (void)ud;
    return key->u.i64;
}

static void test_custom_partition_function_places_by_its_hash(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = sql_rdd(s, "SELECT * FROM VALUES (5, 'x'), (-1, 'y'), (3, 'z') AS t(k, v)");
    lm_rdd *p = lm_rdd_partition_by(r, 3, by_value, NULL);
    /* Python's modulo: -1 % 3 = 2 */
    assert_text(rt_glom(s, p), "[[(3,z)], [], [(5,x), (-1,y)]]");
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_reduce_by_key_on_a_partitioned_rdd_needs_no_shuffle(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"a", "b", "a", "c"};
    const int v[] = {1, 2, 3, 4};
    lm_rdd *r = rt_pairs(s, k, v, 4, 2);
    lm_rdd *p = lm_rdd_partition_by(r, 2, NULL, NULL);
    lm_rdd *red = lm_rdd_reduce_by_key(p, add, NULL, 2);
    char *d = lm_rdd_to_debug_string(red);
    /* one shuffle only: the partitionBy's */
    char *first = strstr(d, "ShuffledRDD");
    assert_non_null(first);
    assert_null(strstr(first + 1, "ShuffledRDD"));
    free(d);
    assert_text(rt_glom(s, red), "[[(b,2), (c,4)], [(a,4)]]");
    /* distinct keeps whole elements: both (a,1) and (a,3) */
    lm_rdd *dist = lm_rdd_distinct(p, 2);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(dist, &n), LM_OK);
    assert_int_equal(n, 4);
    lm_rdd_free(dist);
    lm_rdd_free(red);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_union_of_co_partitioned_rdds_keeps_the_partitioner(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"a", "b"};
    const int v1[] = {1, 2}, v2[] = {3, 4};
    lm_rdd *a = rt_pairs(s, k, v1, 2, 1), *b = rt_pairs(s, k, v2, 2, 1);
    lm_rdd *pa = lm_rdd_partition_by(a, 2, NULL, NULL), *pb = lm_rdd_partition_by(b, 2, NULL, NULL);
    lm_rdd *u = lm_rdd_union(pa, pb);
    /* PartitionerAwareUnionRDD: partition i of the union is partition i of each */
    assert_int_equal(lm_rdd_num_partitions(u), 2);
    assert_text(rt_glom(s, u), "[[(b,2), (b,4)], [(a,1), (a,3)]]");
    assert_null(lm_rdd_union_all(s, NULL, 0));
    lm_rdd_free(u);
    lm_rdd_free(pb);
    lm_rdd_free(pa);
    lm_rdd_free(b);
    lm_rdd_free(a);
    lm_session_close(s);
}

/* ---------------------------------------------------------- aggregation */

static void test_aggregate_applies_seq_then_comb(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_value zero = lm_value_i64(0);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_aggregate(r, lm_type_long(), &zero, add, add, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[10]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_aggregate_by_key_uses_the_zero_once_per_key_and_partition(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* [(a,1),(a,2)] and [(b,3),(a,4)]: a = (10+1+2) + (10+4), b = 10+3 */
    const char *k[] = {"a", "a", "b", "a"};
    const int v[] = {1, 2, 3, 4};
    lm_rdd *r = rt_pairs(s, k, v, 4, 2);
    lm_value zero = lm_value_i64(10);
    lm_rdd *a = lm_rdd_aggregate_by_key(r, lm_type_int(), &zero, add, add, NULL, 1);
    assert_text(rt_collect(s, a), "[(a,27), (b,13)]");
    lm_rdd_free(a);
    lm_rdd_free(r);
    lm_session_close(s);
}

static lm_status to_list(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    return lm_task_make_array(t, 1, in, out);
}

static lm_status append(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                        void *ud)
{
    (void)ud;
    int n = a->u.arr->n;
    lm_value *e = lm_task_alloc(t, sizeof *e * (size_t)(n + 1));
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, a->u.arr->elems, sizeof *e * (size_t)n);
    e[n] = *b;
    return lm_task_make_array(t, n + 1, e, out);
}

static lm_status extend(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                        void *ud)
{
    (void)ud;
    int n = a->u.arr->n, m = b->u.arr->n;
    lm_value *e = lm_task_alloc(t, sizeof *e * (size_t)(n + m + 1));
    if (e == NULL)
        return LM_ENOMEM;
    memcpy(e, a->u.arr->elems, sizeof *e * (size_t)n);
    memcpy(e + n, b->u.arr->elems, sizeof *e * (size_t)m);
    return lm_task_make_array(t, n + m, e, out);
}

static void test_combine_by_key_builds_lists(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* PySpark: [("a", 1), ("b", 1), ("a", 2)] -> [('a', [1, 2]), ('b', [1])] */
    const char *k[] = {"a", "b", "a"};
    const int v[] = {1, 1, 2};
    lm_rdd *r = rt_pairs(s, k, v, 3, 2);
    lm_type *lt = lm_type_array(lm_type_int(), true);
    lm_rdd *c = lm_rdd_combine_by_key(r, lt, to_list, append, extend, NULL, 1);
    assert_text(rt_collect(s, c), "[(a,[1, 2]), (b,[1])]");
    /* merge_combiners is required */
    assert_null(lm_rdd_combine_by_key(r, lt, to_list, append, NULL, NULL, 1));
    lm_type_unref(lt);
    lm_rdd_free(c);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_count_by_value_counts_each_element(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_value e[5] = {lm_value_i64(1), lm_value_i64(2), lm_value_i64(1), lm_value_i64(2),
                     lm_value_i64(2)};
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_int(), e, 5, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_count_by_value(r, &l), LM_OK);
    /* countByValue is a map: its order is not part of the contract */
    assert_int_equal(lm_value_list_count(l), 2);
    char *t = rt_list_text(s, l);
    assert_non_null(strstr(t, "(1,2)"));
    assert_non_null(strstr(t, "(2,3)"));
    free(t);
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_tree_reduce_gives_the_same_sum_at_every_depth(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_value e[9];
    const int x[9] = {-5, -4, -3, -2, -1, 1, 2, 3, 4};
    for (int i = 0; i < 9; i++)
        e[i] = lm_value_i64(x[i]);
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_int(), e, 9, 10);
    const int depths[] = {1, 2, 5};
    for (int i = 0; i < 3; i++) {
        lm_value_list *l = NULL;
        assert_int_equal(lm_rdd_tree_reduce(r, add, NULL, depths[i], &l), LM_OK);
        assert_text(rt_list_text(s, l), "[-5]");
        lm_value_list_free(l);
    }
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_tree_reduce(r, add, NULL, 0, &l), LM_ERROR);
    lm_rdd *empty = lm_rdd_empty(s, lm_type_int());
    assert_int_equal(lm_rdd_tree_reduce(empty, add, NULL, 2, &l), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "empty collection"));
    lm_rdd_free(empty);
    lm_rdd_free(r);
    lm_session_close(s);
}

static lm_status count_partition(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)index;
    (void)in;
    return lm_accumulator_add_long(t, ud, n > 0 ? 1 : 0);
}

static void test_foreach_partition_sees_every_non_empty_partition(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 3, 5);
    lm_accumulator *a = lm_accumulator_long(s, "parts");
    assert_int_equal(lm_rdd_foreach_partition(r, count_partition, a), LM_OK);
    assert_int_equal(lm_accumulator_long_value(a), 3);
    lm_accumulator_free(a);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- actions */

static bool all_distinct_in_range(const lm_value_list *l, int lo, int hi)
{
    for (int64_t i = 0; i < lm_value_list_count(l); i++) {
        int64_t v = lm_value_list_at(l, i)->u.i64;
        if (v < lo || v > hi)
            return false;
        for (int64_t j = 0; j < i; j++)
            if (lm_value_list_at(l, j)->u.i64 == v)
                return false;
    }
    return true;
}

static void test_take_sample_sizes_follow_pyspark(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 0, 9, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_take_sample(r, true, 20, 1, &l), LM_OK);
    assert_int_equal(lm_value_list_count(l), 20);
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take_sample(r, false, 5, 2, &l), LM_OK);
    assert_int_equal(lm_value_list_count(l), 5);
    assert_true(all_distinct_in_range(l, 0, 9));
    lm_value_list_free(l);
    /* more than there is, without replacement: every element once */
    assert_int_equal(lm_rdd_take_sample(r, false, 15, 3, &l), LM_OK);
    assert_int_equal(lm_value_list_count(l), 10);
    assert_true(all_distinct_in_range(l, 0, 9));
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take_sample(r, false, 0, 3, &l), LM_OK);
    assert_int_equal(lm_value_list_count(l), 0);
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take_sample(r, false, -1, 3, &l), LM_ERROR);
    /* the same seed gives the same sample */
    lm_value_list *a = NULL, *b = NULL;
    assert_int_equal(lm_rdd_take_sample(r, false, 4, 7, &a), LM_OK);
    assert_int_equal(lm_rdd_take_sample(r, false, 4, 7, &b), LM_OK);
    char *ta = rt_list_text(s, a), *tb = rt_list_text(s, b);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    lm_value_list_free(a);
    lm_value_list_free(b);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_take_ordered_by_a_key_function(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_value e[9];
    const int x[9] = {10, 1, 2, 9, 3, 4, 5, 6, 7};
    for (int i = 0; i < 9; i++)
        e[i] = lm_value_i64(x[i]);
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_int(), e, 9, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_take_ordered(r, 6, lm_type_long(), neg, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[10, 9, 7, 6, 5, 4]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

static lm_status above_90(lm_task *t, const lm_value *in, bool *keep, void *ud)
{
    (void)t;
    (void)ud;
    *keep = in->u.i64 > 90;
    return LM_OK;
}

static void test_take_scans_more_partitions_until_it_has_enough(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* PySpark: sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3) */
    lm_rdd *r = rt_ints(s, 0, 99, 100);
    lm_rdd *f = lm_rdd_filter(r, above_90, NULL);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_take(f, 3, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[91, 92, 93]");
    lm_value_list_free(l);
    bool empty = true;
    assert_int_equal(lm_rdd_is_empty(f, &empty), LM_OK);
    assert_false(empty);
    lm_rdd *none = lm_rdd_empty(s, lm_type_int());
    assert_int_equal(lm_rdd_is_empty(none, &empty), LM_OK);
    assert_true(empty);
    lm_rdd_free(none);
    lm_rdd_free(f);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_coalesce_with_shuffle_and_repartition(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 5, 3);
    lm_rdd *c = lm_rdd_coalesce(r, 1, true);
    assert_text(rt_glom(s, c), "[[1, 2, 3, 4, 5]]");
    assert_null(lm_rdd_coalesce(r, 0, true));
    lm_rdd *rp = lm_rdd_repartition(r, 2);
    assert_int_equal(lm_rdd_num_partitions(rp), 2);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(rp, &n), LM_OK);
    assert_int_equal(n, 5);
    lm_rdd_free(rp);
    lm_rdd_free(c);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- numbers */

static void test_stats_of_floating_point_and_decimal_rdds(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *q[] = {
        "SELECT CAST(x AS DOUBLE), 0 FROM VALUES (1), (2), (3), (4) AS t(x)",
        "SELECT CAST(x AS FLOAT), 0 FROM VALUES (1), (2), (3), (4) AS t(x)",
        "SELECT CAST(x AS DECIMAL(4,2)), 0 FROM VALUES (1), (2), (3), (4) AS t(x)",
    };
    for (int i = 0; i < 3; i++) {
        lm_rdd *rows = sql_rdd(s, q[i]);
        lm_rdd *r = lm_rdd_keys(rows);
        assert_non_null(r);
        lm_stat_counter st;
        assert_int_equal(lm_rdd_stats(r, &st), LM_OK);
        assert_int_equal(st.count, 4);
        assert_true(st.mean == 2.5);
        assert_true(st.min == 1.0 && st.max == 4.0);
        assert_true(fabs(lm_stats_sample_stdev(&st) - 1.2909944487358056) < 1e-12);
        lm_rdd_free(r);
        lm_rdd_free(rows);
    }
    lm_session_close(s);
}

static void test_numeric_actions_refuse_non_numeric_and_empty_rdds(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *words[] = {"a", "b"};
    lm_rdd *r = rt_strings(s, words, 2, 1);
    double d = 0;
    assert_int_equal(lm_rdd_sum(r, &d), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "numeric"));
    lm_rdd *e = lm_rdd_empty(s, lm_type_double());
    double *b = NULL;
    int64_t *c = NULL;
    int nb = 0;
    assert_int_equal(lm_rdd_histogram(e, 2, &b, &c, &nb), LM_ERROR);
    lm_rdd *x = rt_ints(s, 1, 3, 1);
    assert_int_equal(lm_rdd_histogram(x, 0, &b, &c, &nb), LM_ERROR);
    /* a single edge is no bucket */
    int64_t counts[2];
    const double one[] = {3.0};
    assert_int_equal(lm_rdd_histogram_buckets(x, one, 1, false, counts), LM_ERROR);
    lm_rdd_free(x);
    lm_rdd_free(e);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_stat_counter_text_prints_non_finite_values(void **state)
{
    (void)state;
    lm_stat_counter st = {.count = 1, .mean = NAN, .m2 = 0, .max = INFINITY, .min = -INFINITY};
    char *t = lm_stats_string(&st);
    assert_non_null(strstr(t, "mean: NaN"));
    assert_non_null(strstr(t, "max: Infinity"));
    assert_non_null(strstr(t, "min: -Infinity"));
    free(t);
}

/* ---------------------------------------------------------- checkpoints */

static void test_checkpoint_keeps_rows_of_every_type(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    char dir[] = "/tmp/lm_rdd_cktypes_XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(lm_rdd_set_checkpoint_dir(s, dir), LM_OK);
    lm_rdd *r = sql_rdd(s, "SELECT true AS b, CAST(1.5 AS FLOAT) AS f, 2.25D AS d, 3.50BD AS m, "
                           "'x' AS s, array(1, NULL) AS a, map('k', 2) AS mp, "
                           "named_struct('p', 1, 'q', 'r') AS st, NULL AS n, "
                           "DATE'2020-01-02' AS dt, X'0102' AS bin");
    char *before = rt_collect(s, r);
    assert_int_equal(lm_rdd_checkpoint(r), LM_OK);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(r, &n), LM_OK);
    assert_true(lm_rdd_is_checkpointed(r));
    char *after = rt_collect(s, r);
    assert_string_equal(after, before);
    free(before);
    free(after);
    lm_rdd_free(r);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_session_close(s);
}

/* ---------------------------------------------------------- shared variables */

static lm_status add_half(lm_task *t, const lm_value *in, void *ud)
{
    return lm_accumulator_add_double(t, ud, (double)in->u.i64 / 2);
}

static lm_status collect_odd(lm_task *t, const lm_value *in, void *ud)
{
    if (in->u.i64 % 2)
        return lm_accumulator_add_value(t, ud, in);
    return LM_OK;
}

static void test_double_and_collection_accumulators(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_accumulator *d = lm_accumulator_double(s, "halves");
    assert_string_equal(lm_accumulator_name(d), "halves");
    assert_int_equal(lm_rdd_foreach(r, add_half, d), LM_OK);
    assert_true(lm_accumulator_double_value(d) == 5.0);
    assert_int_equal(lm_accumulator_count(d), 4);
    assert_true(lm_accumulator_avg(d) == 1.25);
    lm_accumulator_reset(d);
    assert_true(lm_accumulator_double_value(d) == 0.0);
    assert_int_equal(lm_accumulator_count(d), 0);

    lm_accumulator *c = lm_accumulator_collection(s, "odds", lm_type_int());
    assert_int_equal(lm_rdd_foreach(r, collect_odd, c), LM_OK);
    lm_value_list *l = NULL;
    assert_int_equal(lm_accumulator_values(c, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1, 3]");
    lm_value_list_free(l);
    /* adding a value to a number accumulator from the driver fails */
    lm_value one = lm_value_i64(1);
    assert_int_equal(lm_accumulator_add_value(NULL, d, &one), LM_ERROR);
    assert_int_equal(lm_accumulator_values(d, &l), LM_ERROR);
    assert_int_equal(lm_accumulator_add_value(NULL, c, &one), LM_OK);
    assert_int_equal(lm_accumulator_count(c), 3);
    lm_accumulator_free(c);
    lm_accumulator_free(d);

    lm_value v = lm_value_i64(7);
    lm_broadcast *b1 = lm_rdd_broadcast(s, lm_type_int(), &v);
    lm_broadcast *b2 = lm_rdd_broadcast(s, lm_type_int(), &v);
    assert_true(lm_broadcast_id(b2) == lm_broadcast_id(b1) + 1);
    lm_broadcast_free(b2);
    lm_broadcast_free(b1);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- text input */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_text_file_reads_globs_and_reports_missing_paths(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    char dir[] = "/tmp/lm_rdd_txt_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/a.txt", dir);
    write_file(p, "one\ntwo\n");
    snprintf(p, sizeof p, "%s/b.txt", dir);
    write_file(p, "three\n");
    snprintf(p, sizeof p, "%s/c.log", dir);
    write_file(p, "skip\n");
    snprintf(p, sizeof p, "file://%s/*.txt", dir);
    lm_rdd *t = lm_rdd_text_file(s, p, 1);
    assert_non_null(t);
    assert_text(rt_collect(s, t), "[one, two, three]");
    lm_rdd_free(t);

    snprintf(p, sizeof p, "%s/nothing*.txt", dir);
    assert_null(lm_rdd_text_file(s, p, 1));
    assert_non_null(strstr(lm_errmsg(s), "Input Pattern"));
    snprintf(p, sizeof p, "%s/missing.txt", dir);
    assert_null(lm_rdd_text_file(s, p, 1));
    assert_non_null(strstr(lm_errmsg(s), "Input path does not exist: file:"));

    snprintf(p, sizeof p, "%s/*.txt", dir);
    lm_rdd *w = lm_rdd_whole_text_files(s, p, 1);
    assert_non_null(w);
    lm_rdd *contents = lm_rdd_values(w);
    assert_text(rt_collect(s, contents), "[one\ntwo\n, three\n]");
    lm_rdd *names = lm_rdd_keys(w);
    char *nm = rt_collect(s, names);
    assert_non_null(strstr(nm, "file:/tmp/lm_rdd_txt_"));
    assert_non_null(strstr(nm, "/a.txt"));
    free(nm);
    lm_rdd_free(names);
    lm_rdd_free(contents);
    lm_rdd_free(w);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portable_hash_places_booleans_floats_and_decimals),
        cmocka_unit_test(test_portable_hash_places_dates_tuples_and_nulls),
        cmocka_unit_test(test_custom_partition_function_places_by_its_hash),
        cmocka_unit_test(test_reduce_by_key_on_a_partitioned_rdd_needs_no_shuffle),
        cmocka_unit_test(test_union_of_co_partitioned_rdds_keeps_the_partitioner),
        cmocka_unit_test(test_aggregate_applies_seq_then_comb),
        cmocka_unit_test(test_aggregate_by_key_uses_the_zero_once_per_key_and_partition),
        cmocka_unit_test(test_combine_by_key_builds_lists),
        cmocka_unit_test(test_count_by_value_counts_each_element),
        cmocka_unit_test(test_tree_reduce_gives_the_same_sum_at_every_depth),
        cmocka_unit_test(test_foreach_partition_sees_every_non_empty_partition),
        cmocka_unit_test(test_take_sample_sizes_follow_pyspark),
        cmocka_unit_test(test_take_ordered_by_a_key_function),
        cmocka_unit_test(test_take_scans_more_partitions_until_it_has_enough),
        cmocka_unit_test(test_coalesce_with_shuffle_and_repartition),
        cmocka_unit_test(test_stats_of_floating_point_and_decimal_rdds),
        cmocka_unit_test(test_numeric_actions_refuse_non_numeric_and_empty_rdds),
        cmocka_unit_test(test_stat_counter_text_prints_non_finite_values),
        cmocka_unit_test(test_checkpoint_keeps_rows_of_every_type),
        cmocka_unit_test(test_double_and_collection_accumulators),
        cmocka_unit_test(test_text_file_reads_globs_and_reports_missing_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
