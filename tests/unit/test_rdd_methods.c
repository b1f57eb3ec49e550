/*
 * One direct specification per RDD method that the other RDD suites reach
 * only through examples: the context (range, emptyRDD, sc.union of many,
 * defaultParallelism), mapPartitions, flatMapValues, keyBy, groupBy,
 * sortBy, the set operations on pairs, zipWithIndex / zipWithUniqueId,
 * glom, coalesce and repartition contents, partitionBy of strings and
 * longs, seeded sample and randomSplit, histogram, population and sample
 * statistics, top / takeOrdered, aggregate with a tuple zero, lookup,
 * persist levels, ids and names, saveAsTextFile's layout, textFile over
 * folders and lists, the task context, local-mode retries and
 * createDataFrame with a schema.
 *
 * Expected values are the examples of PySpark's documentation (rdd.py,
 * context.py) where there is one; partition placement is
 * portable_hash(k) % n as Python 3.11 computes it with PYTHONHASHSEED=0;
 * sample, randomSplit and repartition follow the Scala RDD's algorithms
 * (PartitionwiseSampledRDD + BernoulliSampler, BernoulliCellSampler with
 * seed + partition, round robin from java.util.Random(byteswap32(p))),
 * recomputed here from the JVM generators checked in test_rdd_lineage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "unit/rdd_util.h"

/* ---------------------------------------------------------- helpers */

static lm_session *open_with(const char *master, const char *key, const char *value)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", master);
    lm_conf_set(c, key, value);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

/* parallelize of LONG values */
static lm_rdd *longs(lm_session *s, const int64_t *x, int n, int slices)
{
    lm_value v[64];
    assert_true(n <= 64);
    for (int i = 0; i < n; i++)
        v[i] = lm_value_i64(x[i]);
    return lm_rdd_parallelize(s, lm_type_long(), v, n, slices);
}

/* (LONG key, LONG value) pairs */
static lm_rdd *long_pairs(lm_session *s, const int64_t *k, const int64_t *v, int n, int slices)
{
    lm_type *pt = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_value *vals = calloc((size_t)n + 1, sizeof *vals);
    lm_struct_value *st = calloc((size_t)n + 1, sizeof *st);
    lm_value *f = calloc((size_t)(2 * n) + 1, sizeof *f);
    for (int i = 0; i < n; i++) {
        f[2 * i] = lm_value_i64(k[i]);
        f[2 * i + 1] = lm_value_i64(v[i]);
        st[i].n = 2;
        st[i].fields = &f[2 * i];
        vals[i] = lm_value_null();
        vals[i].is_null = false;
        vals[i].u.st = &st[i];
    }
    lm_rdd *r = lm_rdd_parallelize(s, pt, vals, n, slices);
    lm_type_unref(pt);
    free(vals);
    free(st);
    free(f);
    return r;
}

/* An RDD of the rows of a query (a two-column query is a pair RDD). */
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

/* the keys of r.partitionBy(n) per partition */
static char *key_placement(lm_session *s, lm_rdd *r, int n)
{
    lm_rdd *p = lm_rdd_partition_by(r, n, NULL, NULL);
    assert_non_null(p);
    lm_rdd *k = lm_rdd_keys(p);
    char *t = rt_glom(s, k);
    lm_rdd_free(k);
    lm_rdd_free(p);
    return t;
}

static void rm_rf(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* a file's bytes (NUL-terminated, malloc'ed) */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* ---------------------------------------------------------- callbacks */

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

static lm_status first_field(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = in->u.st->fields[0];
    return LM_OK;
}

static lm_status second_field(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = in->u.st->fields[1];
    return LM_OK;
}

static lm_status square(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(in->u.i64 * in->u.i64);
    return LM_OK;
}

static lm_status mod2(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(in->u.i64 % 2);
    return LM_OK;
}

static lm_status array_len(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(in->u.arr->n);
    return LM_OK;
}

static lm_status each_elem(lm_task *t, const lm_value *in, void *ud)
{
    (void)ud;
    for (int i = 0; i < in->u.arr->n; i++) {
        lm_status st = lm_task_emit(t, &in->u.arr->elems[i]);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_status pair_with_self(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    return lm_task_make_pair(t, in, in, out);
}

/* def f(iterator): yield sum(iterator) */
static lm_status sum_of_partition(lm_task *t, int index, const lm_value *in, int64_t n,
                                  void *ud)
{
    (void)index;
    (void)ud;
    int64_t s = 0;
    for (int64_t i = 0; i < n; i++)
        s += in[i].u.i64;
    lm_value v = lm_value_i64(s);
    return lm_task_emit(t, &v);
}

static lm_status copy_partition(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)index;
    (void)ud;
    for (int64_t i = 0; i < n; i++) {
        lm_status st = lm_task_emit(t, &in[i]);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

/* def f(splitIndex, iterator): yield splitIndex */
static lm_status split_index(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)in;
    (void)n;
    (void)ud;
    lm_value v = lm_value_i64(index);
    return lm_task_emit(t, &v);
}

/* ---------------------------------------------------------- context */

static void test_parallelize_slices_by_position(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* sc.parallelize(range(10), 3).glom().collect() */
    lm_rdd *r = rt_ints(s, 0, 9, 3);
    assert_text(rt_glom(s, r), "[[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]");
    lm_rdd_free(r);
    /* sc.parallelize([0, 2, 3, 4, 6], 5).glom().collect() */
    const int64_t five[] = {0, 2, 3, 4, 6};
    r = longs(s, five, 5, 5);
    assert_text(rt_glom(s, r), "[[0], [2], [3], [4], [6]]");
    lm_rdd_free(r);
    /* sc.parallelize(range(0, 6, 2), 5).glom().collect() */
    const int64_t three[] = {0, 2, 4};
    r = longs(s, three, 3, 5);
    assert_text(rt_glom(s, r), "[[], [0], [], [2], [4]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_range_follows_python_range(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = lm_rdd_range(s, 0, 5, 1, 0);
    assert_int_equal(lm_rdd_num_partitions(r), 2);
    assert_text(rt_collect(s, r), "[0, 1, 2, 3, 4]");
    lm_rdd_free(r);
    r = lm_rdd_range(s, 2, 4, 1, 0);
    assert_text(rt_collect(s, r), "[2, 3]");
    lm_rdd_free(r);
    r = lm_rdd_range(s, 1, 7, 2, 0);
    assert_text(rt_collect(s, r), "[1, 3, 5]");
    lm_rdd_free(r);
    r = lm_rdd_range(s, 0, 10, 1, 3);
    assert_text(rt_glom(s, r), "[[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_empty_rdd_has_no_partitions(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = lm_rdd_empty(s, lm_type_int());
    assert_int_equal(lm_rdd_num_partitions(r), 0);
    int64_t n = -1;
    assert_int_equal(lm_rdd_count(r, &n), LM_OK);
    assert_int_equal(n, 0);
    assert_text(rt_collect(s, r), "[]");
    assert_text(rt_glom(s, r), "[]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_union_of_many_concatenates_partitions(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *rs[3] = {rt_ints(s, 1, 2, 1), rt_ints(s, 3, 5, 2), rt_ints(s, 6, 6, 1)};
    lm_rdd *u = lm_rdd_union_all(s, rs, 3);
    assert_non_null(u);
    assert_int_equal(lm_rdd_num_partitions(u), 4);
    assert_text(rt_glom(s, u), "[[1, 2], [3], [4, 5], [6]]");
    char *d = lm_rdd_to_debug_string(u);
    assert_non_null(strstr(d, "UnionRDD[3] at union at"));
    free(d);
    /* element types must agree */
    const char *w[] = {"x"};
    lm_rdd *str = rt_strings(s, w, 1, 1);
    lm_rdd *mixed[2] = {rs[0], str};
    assert_null(lm_rdd_union_all(s, mixed, 2));
    lm_rdd_free(str);
    lm_rdd_free(u);
    for (int i = 0; i < 3; i++)
        lm_rdd_free(rs[i]);
    lm_session_close(s);
}

static void test_default_parallelism_follows_the_master(void **state)
{
    (void)state;
    const char *masters[] = {"local", "local[3]", "local[4,2]"};
    const int expect[] = {1, 3, 4};
    for (int i = 0; i < 3; i++) {
        lm_session *s = rt_open(masters[i]);
        assert_int_equal(lm_rdd_default_parallelism(s), expect[i]);
        lm_session_close(s);
    }
    /* spark.default.parallelism wins over the thread count */
    lm_session *s = open_with("local[2]", "spark.default.parallelism", "5");
    assert_int_equal(lm_rdd_default_parallelism(s), 5);
    lm_rdd *r = rt_ints(s, 1, 10, 0);
    assert_int_equal(lm_rdd_num_partitions(r), 5);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- narrow */

static void test_map_partitions_sums_each_partition(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *m = lm_rdd_map_partitions(r, lm_type_long(), sum_of_partition, NULL, false);
    assert_text(rt_collect(s, m), "[3, 7]");
    lm_rdd_free(m);
    lm_rdd *r4 = rt_ints(s, 1, 4, 4);
    lm_rdd *idx = lm_rdd_map_partitions_with_index(r4, lm_type_long(), split_index, NULL, false);
    double sum = 0;
    assert_int_equal(lm_rdd_sum(idx, &sum), LM_OK);
    assert_true(sum == 6.0);
    lm_rdd_free(idx);
    lm_rdd_free(r4);
    lm_rdd_free(r);
    lm_session_close(s);
}

static int shuffles_in(lm_rdd *r)
{
    char *d = lm_rdd_to_debug_string(r);
    int n = 0;
    for (const char *p = d; (p = strstr(p, "ShuffledRDD")) != NULL; p++)
        n++;
    free(d);
    return n;
}

static void test_map_partitions_preserving_partitioning_avoids_a_shuffle(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"a", "b", "a"};
    const int v[] = {1, 2, 3};
    lm_rdd *r = rt_pairs(s, k, v, 3, 1);
    lm_rdd *p = lm_rdd_partition_by(r, 2, NULL, NULL);
    const lm_type *pt = lm_rdd_element_type(p);
    lm_rdd *kept = lm_rdd_map_partitions(p, pt, copy_partition, NULL, true);
    lm_rdd *lost = lm_rdd_map_partitions(p, pt, copy_partition, NULL, false);
    lm_rdd *rk = lm_rdd_reduce_by_key(kept, add, NULL, 2);
    lm_rdd *rl = lm_rdd_reduce_by_key(lost, add, NULL, 2);
    /* the partitioner survives preservesPartitioning=True only */
    assert_int_equal(shuffles_in(rk), 1);
    assert_int_equal(shuffles_in(rl), 2);
    assert_text(rt_glom(s, rk), "[[(b,2)], [(a,4)]]");
    assert_text(rt_glom(s, rl), "[[(b,2)], [(a,4)]]");
    lm_rdd_free(rl);
    lm_rdd_free(rk);
    lm_rdd_free(lost);
    lm_rdd_free(kept);
    lm_rdd_free(p);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_flat_map_values_and_map_values_of_lists(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *x = sql_rdd(s, "SELECT * FROM VALUES ('a', array('x', 'y', 'z')), "
                           "('b', array('p', 'r')) AS t(k, v)");
    lm_rdd *f = lm_rdd_flat_map_values(x, lm_type_string(), each_elem, NULL);
    assert_non_null(f);
    assert_text(rt_collect(s, f), "[(a,x), (a,y), (a,z), (b,p), (b,r)]");
    lm_rdd *len = lm_rdd_map_values(x, lm_type_long(), array_len, NULL);
    assert_text(rt_collect(s, len), "[(a,3), (b,2)]");
    /* the key is kept untouched: still a pair RDD of (string, long) */
    lm_rdd *keys = lm_rdd_keys(len);
    assert_text(rt_collect(s, keys), "[a, b]");
    lm_rdd_free(keys);
    lm_rdd_free(len);
    lm_rdd_free(f);
    lm_rdd_free(x);
    lm_session_close(s);
}

static void test_key_by_pairs_each_element_with_its_key(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* x = sc.parallelize(range(0, 3)).keyBy(lambda x: x * x) */
    lm_rdd *r = lm_rdd_range(s, 0, 3, 1, 1);
    lm_rdd *x = lm_rdd_key_by(r, lm_type_long(), square, NULL);
    assert_text(rt_collect(s, x), "[(0,0), (1,1), (4,2)]");
    /* y = sc.parallelize(zip(range(0, 5), range(0, 5))); x.cogroup(y) */
    lm_rdd *r5 = lm_rdd_range(s, 0, 5, 1, 1);
    lm_type *pt = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_rdd *y = lm_rdd_map(r5, pt, pair_with_self, NULL);
    lm_type_unref(pt);
    lm_rdd *cg = lm_rdd_cogroup(x, y, 1);
    lm_rdd *sorted = lm_rdd_sort_by_key(cg, true, 1);
    assert_text(rt_collect(s, sorted), "[(0,([0],[0])), (1,([1],[1])), (2,([],[2])), "
                                       "(3,([],[3])), (4,([2],[4]))]");
    lm_rdd_free(sorted);
    lm_rdd_free(cg);
    lm_rdd_free(y);
    lm_rdd_free(r5);
    lm_rdd_free(x);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_glom_and_coalesce_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    assert_text(rt_glom(s, r), "[[1, 2], [3, 4]]");
    lm_rdd_free(r);
    r = rt_ints(s, 1, 5, 3);
    assert_text(rt_glom(s, r), "[[1], [2, 3], [4, 5]]");
    lm_rdd *c1 = lm_rdd_coalesce(r, 1, false);
    assert_text(rt_glom(s, c1), "[[1, 2, 3, 4, 5]]");
    /* no locality: parent partitions [i*3/2, (i+1)*3/2) merge in order */
    lm_rdd *c2 = lm_rdd_coalesce(r, 2, false);
    assert_text(rt_glom(s, c2), "[[1], [2, 3, 4, 5]]");
    char *d = lm_rdd_to_debug_string(c2);
    assert_non_null(strstr(d, "CoalescedRDD"));
    assert_null(strstr(d, "ShuffledRDD"));
    free(d);
    lm_rdd_free(c2);
    lm_rdd_free(c1);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* Scala's coalesce(n, shuffle = true): parent partition p deals its
   elements round robin to (start + 1), (start + 2), ... mod n, start =
   new java.util.Random(byteswap32(p)).nextInt(n). */
static char *round_robin_reference(const int *const *parts, const int *sizes, int nparts, int n)
{
    lm_strbuf out[16];
    int count[16] = {0};
    for (int i = 0; i < n; i++)
        lm_strbuf_init(&out[i]);
    for (int p = 0; p < nparts; p++) {
        lm_jrandom rnd;
        lm_jrandom_init(&rnd, rdd_byteswap32(p));
        int pos = lm_jrandom_next_int_bound(&rnd, n);
        for (int i = 0; i < sizes[p]; i++) {
            pos++;
            int target = pos % n;
            lm_strbuf_printf(&out[target], "%s%d", count[target]++ ? ", " : "", parts[p][i]);
        }
    }
    lm_strbuf all;
    lm_strbuf_init(&all);
    lm_strbuf_putc(&all, '[');
    for (int i = 0; i < n; i++) {
        char *t = lm_strbuf_detach(&out[i]);
        lm_strbuf_printf(&all, "%s[%s]", i ? ", " : "", t ? t : "");
        free(t);
    }
    lm_strbuf_putc(&all, ']');
    return lm_strbuf_detach(&all);
}

static void test_repartition_deals_each_partition_round_robin(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* rdd = sc.parallelize([1, 2, 3, 4, 5, 6, 7], 4) */
    lm_rdd *r = rt_ints(s, 1, 7, 4);
    assert_text(rt_glom(s, r), "[[1], [2, 3], [4, 5], [6, 7]]");
    const int p0[] = {1}, p1[] = {2, 3}, p2[] = {4, 5}, p3[] = {6, 7};
    const int *parts[] = {p0, p1, p2, p3};
    const int sizes[] = {1, 2, 2, 2};
    lm_rdd *two = lm_rdd_repartition(r, 2);
    assert_int_equal(lm_rdd_num_partitions(two), 2);
    char *expect = round_robin_reference(parts, sizes, 4, 2);
    assert_text(rt_glom(s, two), expect);
    free(expect);
    lm_rdd *ten = lm_rdd_repartition(r, 10);
    assert_int_equal(lm_rdd_num_partitions(ten), 10);
    expect = round_robin_reference(parts, sizes, 4, 10);
    assert_text(rt_glom(s, ten), expect);
    free(expect);
    lm_rdd_free(ten);
    lm_rdd_free(two);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- set operations */

static void test_distinct_and_union_keep_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const int64_t x[] = {1, 1, 2, 3};
    lm_rdd *r = longs(s, x, 4, 2);
    lm_rdd *d = lm_rdd_distinct(r, 1);
    assert_text(rt_collect(s, d), "[1, 2, 3]");
    /* distinct() keeps the parent's partition count */
    lm_rdd *d0 = lm_rdd_distinct(r, 0);
    assert_int_equal(lm_rdd_num_partitions(d0), 2);
    lm_rdd *u = lm_rdd_union(r, r);
    assert_text(rt_collect(s, u), "[1, 1, 2, 3, 1, 1, 2, 3]");
    lm_rdd_free(u);
    lm_rdd_free(d0);
    lm_rdd_free(d);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_intersection_drops_duplicates(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const int64_t a[] = {1, 10, 2, 3, 4, 5, 1}, b[] = {1, 6, 2, 3, 7, 8};
    lm_rdd *r1 = longs(s, a, 7, 2), *r2 = longs(s, b, 6, 2);
    lm_rdd *i = lm_rdd_intersection(r1, r2, 1);
    /* sorted(rdd1.intersection(rdd2).collect()) */
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_take_ordered(i, 10, NULL, NULL, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1, 2, 3]");
    lm_value_list_free(l);
    lm_rdd_free(i);
    lm_rdd_free(r1);
    lm_rdd_free(r2);
    lm_session_close(s);
}

static void test_subtract_and_subtract_by_key_of_pairs(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *x = sql_rdd(s, "SELECT * FROM VALUES ('a', 1), ('b', 4), ('b', 5), ('a', 3) "
                           "AS t(k, v)");
    lm_rdd *x2 = sql_rdd(s, "SELECT * FROM VALUES ('a', 1), ('b', 4), ('b', 5), ('a', 2) "
                            "AS t(k, v)");
    lm_rdd *y = sql_rdd(s, "SELECT * FROM VALUES ('a', 3), ('c', CAST(NULL AS INT)) AS t(k, v)");
    /* sorted(x.subtract(y).collect()) */
    lm_rdd *sub = lm_rdd_subtract(x, y, 1);
    assert_non_null(sub);
    assert_text(rt_collect(s, sub), "[(a,1), (b,4), (b,5)]");
    /* sorted(x.subtractByKey(y).collect()) */
    lm_rdd *sbk = lm_rdd_subtract_by_key(x2, y, 1);
    assert_text(rt_collect(s, sbk), "[(b,4), (b,5)]");
    lm_rdd_free(sbk);
    lm_rdd_free(sub);
    lm_rdd_free(y);
    lm_rdd_free(x2);
    lm_rdd_free(x);
    lm_session_close(s);
}

static void test_cartesian_and_zip_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 2, 1);
    lm_rdd *c = lm_rdd_cartesian(r, r);
    assert_text(rt_collect(s, c), "[(1,1), (1,2), (2,1), (2,2)]");
    lm_rdd *x = lm_rdd_range(s, 0, 5, 1, 2), *y = lm_rdd_range(s, 1000, 1005, 1, 2);
    lm_rdd *z = lm_rdd_zip(x, y);
    assert_text(rt_collect(s, z), "[(0,1000), (1,1001), (2,1002), (3,1003), (4,1004)]");
    lm_rdd_free(z);
    lm_rdd_free(y);
    lm_rdd_free(x);
    lm_rdd_free(c);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_zip_with_index_and_unique_id_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *abcd[] = {"a", "b", "c", "d", "e"};
    lm_rdd *r4 = rt_strings(s, abcd, 4, 3);
    lm_rdd *zi = lm_rdd_zip_with_index(r4);
    assert_text(rt_collect(s, zi), "[(a,0), (b,1), (c,2), (d,3)]");
    /* [a], [b, c], [d, e]: partition k gives ids k, k + 3, k + 6, ... */
    lm_rdd *r5 = rt_strings(s, abcd, 5, 3);
    lm_rdd *zu = lm_rdd_zip_with_unique_id(r5);
    assert_text(rt_collect(s, zu), "[(a,0), (b,1), (c,4), (d,2), (e,5)]");
    lm_rdd_free(zu);
    lm_rdd_free(r5);
    lm_rdd_free(zi);
    lm_rdd_free(r4);
    lm_session_close(s);
}

/* ---------------------------------------------------------- by key */

static void test_group_by_places_groups_by_portable_hash(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* rdd = sc.parallelize([1, 1, 2, 3, 5, 8]); rdd.groupBy(lambda x: x % 2) */
    const int64_t x[] = {1, 1, 2, 3, 5, 8};
    lm_rdd *r = longs(s, x, 6, 2);
    lm_rdd *g = lm_rdd_group_by(r, lm_type_long(), mod2, NULL, 2);
    assert_non_null(g);
    assert_text(rt_glom(s, g), "[[(0,[2, 8])], [(1,[1, 1, 3, 5])]]");
    lm_rdd_free(g);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_sort_by_orders_by_the_key_function(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)] */
    const char *k[] = {"a", "b", "1", "d", "2"};
    const int v[] = {1, 2, 3, 4, 5};
    lm_rdd *r = rt_pairs(s, k, v, 5, 2);
    lm_rdd *by0 = lm_rdd_sort_by(r, lm_type_string(), first_field, NULL, true, 0);
    assert_text(rt_collect(s, by0), "[(1,3), (2,5), (a,1), (b,2), (d,4)]");
    lm_rdd *by1 = lm_rdd_sort_by(r, lm_type_int(), second_field, NULL, true, 0);
    assert_text(rt_collect(s, by1), "[(a,1), (b,2), (1,3), (d,4), (2,5)]");
    lm_rdd *desc = lm_rdd_sort_by(r, lm_type_int(), second_field, NULL, false, 1);
    assert_text(rt_collect(s, desc), "[(2,5), (d,4), (1,3), (b,2), (a,1)]");
    /* sortByKey().first() and sortByKey(True, 2) */
    lm_rdd *sk = lm_rdd_sort_by_key(r, true, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_first(sk, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[(1,3)]");
    lm_value_list_free(l);
    assert_text(rt_collect(s, sk), "[(1,3), (2,5), (a,1), (b,2), (d,4)]");
    lm_rdd_free(sk);
    lm_rdd_free(desc);
    lm_rdd_free(by1);
    lm_rdd_free(by0);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_partition_by_places_strings_by_portable_hash(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"apple", "banana", "cherry", "date", "elderberry",
                       "fig",   "",       "h\xc3\xa9llo", "\xe6\x97\xa5\xe6\x9c\xac"};
    const int v[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    lm_rdd *r = rt_pairs(s, k, v, 9, 2);
    /* [portable_hash(k) % 4 for k in keys] with PYTHONHASHSEED=0 */
    assert_text(key_placement(s, r, 4), "[[apple, banana, , h\xc3\xa9llo], "
                                        "[fig, \xe6\x97\xa5\xe6\x9c\xac], [cherry, date], "
                                        "[elderberry]]");
    assert_text(key_placement(s, r, 3), "[[], [fig, \xe6\x97\xa5\xe6\x9c\xac], "
                                        "[apple, banana, cherry, date, elderberry, "
                                        "h\xc3\xa9llo]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_partition_by_places_longs_by_portable_hash(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* hash(n) is n modulo 2**61 - 1, with -1 mapped to -2 */
    const int64_t k[] = {0,
                         1,
                         -1,
                         -2,
                         7,
                         10,
                         INT64_C(2147483648),
                         INT64_C(2305843009213693951),
                         INT64_C(2305843009213693952),
                         -5,
                         INT64_MAX,
                         INT64_MIN};
    int64_t v[12] = {0};
    lm_rdd *r = long_pairs(s, k, v, 12, 3);
    assert_text(key_placement(s, r, 3),
                "[[0, 2305843009213693951, 9223372036854775807], "
                "[1, -1, -2, 7, 10, 2305843009213693952, -5], "
                "[2147483648, -9223372036854775808]]");
    assert_text(key_placement(s, r, 4),
                "[[0, 2147483648, 2305843009213693951, -9223372036854775808], "
                "[1, 2305843009213693952], [-1, -2, 10], [7, -5, 9223372036854775807]]");
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_lookup_finds_every_value_of_a_key(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* rdd = sc.parallelize(zip(l, l), 10) with l = range(1000) */
    lm_rdd *l = lm_rdd_range(s, 0, 1000, 1, 10);
    lm_type *pt = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_rdd *r = lm_rdd_map(l, pt, pair_with_self, NULL);
    lm_value key = lm_value_i64(42);
    lm_value_list *out = NULL;
    assert_int_equal(lm_rdd_lookup(r, &key, &out), LM_OK);
    assert_text(rt_list_text(s, out), "[42]");
    lm_value_list_free(out);
    lm_rdd *sorted = lm_rdd_sort_by_key(r, true, 0);
    assert_int_equal(lm_rdd_lookup(sorted, &key, &out), LM_OK);
    assert_text(rt_list_text(s, out), "[42]");
    lm_value_list_free(out);
    key = lm_value_i64(1000);
    assert_int_equal(lm_rdd_lookup(sorted, &key, &out), LM_OK);
    assert_text(rt_list_text(s, out), "[]");
    lm_value_list_free(out);
    lm_rdd_free(sorted);
    lm_rdd_free(r);
    lm_type_unref(pt);
    lm_rdd_free(l);
    lm_session_close(s);
}

/* ---------------------------------------------------------- sampling */

/* Scala's rdd.sample(false, f, seed) for f in (0.4, 1): partition p is
   sampled by XORShiftRandom(the p-th nextLong of java.util.Random(seed)),
   keeping an element when nextDouble() <= f. */
static char *bernoulli_reference(int from, int per_part, int nparts, double f, int64_t seed)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '[');
    lm_jrandom seeds;
    lm_jrandom_init(&seeds, seed);
    bool first = true;
    for (int p = 0; p < nparts; p++) {
        lm_xorshift x;
        lm_xorshift_init(&x, lm_jrandom_next_long(&seeds));
        for (int i = 0; i < per_part; i++) {
            int e = from + p * per_part + i;
            if (lm_xorshift_next_double(&x) <= f) {
                lm_strbuf_printf(&sb, "%s%d", first ? "" : ", ", e);
                first = false;
            }
        }
    }
    lm_strbuf_putc(&sb, ']');
    return lm_strbuf_detach(&sb);
}

static void test_sample_without_replacement_is_sparks_bernoulli_sampler(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 40, 4);
    const int64_t seeds[] = {0, 7, 42};
    for (int i = 0; i < 3; i++) {
        lm_rdd *smp = lm_rdd_sample(r, false, 0.5, seeds[i]);
        char *expect = bernoulli_reference(1, 10, 4, 0.5, seeds[i]);
        assert_text(rt_collect(s, smp), expect);
        free(expect);
        lm_rdd_free(smp);
    }
    /* fraction 0 keeps nothing, fraction 1 keeps everything in order */
    lm_rdd *none = lm_rdd_sample(r, false, 0.0, 1);
    assert_text(rt_collect(s, none), "[]");
    lm_rdd *all = lm_rdd_sample(r, false, 1.0, 1);
    char *whole = rt_collect(s, r);
    assert_text(rt_collect(s, all), whole);
    free(whole);
    assert_null(lm_rdd_sample(r, false, -0.1, 1));
    assert_null(lm_rdd_sample(r, false, 1.5, 1));
    lm_rdd_free(all);
    lm_rdd_free(none);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_sample_with_replacement_repeats_elements_in_order(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 50, 2);
    lm_rdd *a = lm_rdd_sample(r, true, 2.0, 5), *b = lm_rdd_sample(r, true, 2.0, 5);
    lm_value_list *la = NULL;
    assert_int_equal(lm_rdd_collect(a, &la), LM_OK);
    char *ta = rt_list_text(s, la), *tb = rt_collect(s, b);
    assert_string_equal(ta, tb); /* same seed, same sample */
    free(ta);
    free(tb);
    /* a Poisson sampler yields each element 0..k times where it stands */
    int64_t n = lm_value_list_count(la);
    assert_true(n > 50 && n < 150);
    bool repeats = false;
    for (int64_t i = 1; i < n; i++) {
        int64_t prev = lm_value_list_at(la, i - 1)->u.i64, cur = lm_value_list_at(la, i)->u.i64;
        assert_true(cur >= prev);
        repeats |= cur == prev;
    }
    assert_true(repeats);
    lm_value_list_free(la);
    lm_rdd_free(b);
    lm_rdd_free(a);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_random_split_cuts_one_draw_per_element_by_weight(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 30, 3);
    const double w[] = {1.0, 2.0};
    lm_rdd *parts[2] = {NULL, NULL};
    const int64_t seed = 11;
    assert_int_equal(lm_rdd_random_split(r, w, 2, seed, parts), LM_OK);
    /* normalised cumulative weights [0, 1/3, 1]; partition p draws from
       XORShiftRandom(seed + p); x in [lb, ub) goes to that split */
    double ub0 = 1.0 / 3.0, ub1 = ub0 + 2.0 / 3.0;
    lm_strbuf sb[2];
    bool first[2] = {true, true};
    for (int i = 0; i < 2; i++) {
        lm_strbuf_init(&sb[i]);
        lm_strbuf_putc(&sb[i], '[');
    }
    for (int p = 0; p < 3; p++) {
        lm_xorshift x;
        lm_xorshift_init(&x, seed + p);
        for (int i = 0; i < 10; i++) {
            double d = lm_xorshift_next_double(&x);
            int k = d < ub0 ? 0 : (d < ub1 ? 1 : -1);
            if (k < 0)
                continue;
            lm_strbuf_printf(&sb[k], "%s%d", first[k] ? "" : ", ", 1 + p * 10 + i);
            first[k] = false;
        }
    }
    for (int i = 0; i < 2; i++) {
        lm_strbuf_putc(&sb[i], ']');
        char *expect = lm_strbuf_detach(&sb[i]);
        assert_text(rt_collect(s, parts[i]), expect);
        free(expect);
        lm_rdd_free(parts[i]);
    }
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- numbers */

static void test_histogram_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    /* rdd = sc.parallelize(range(51)) */
    lm_rdd *r = rt_ints(s, 0, 50, 0);
    double *b = NULL;
    int64_t *c = NULL;
    int nb = 0;
    assert_int_equal(lm_rdd_histogram(r, 2, &b, &c, &nb), LM_OK);
    assert_int_equal(nb, 2);
    assert_true(b[0] == 0.0 && b[1] == 25.0 && b[2] == 50.0);
    /* the last bucket is closed: 50 counts in [25, 50] */
    assert_int_equal(c[0], 25);
    assert_int_equal(c[1], 26);
    free(b);
    free(c);
    const double uneven[] = {0, 5, 25, 50};
    int64_t cu[3];
    assert_int_equal(lm_rdd_histogram_buckets(r, uneven, 4, false, cu), LM_OK);
    assert_int_equal(cu[0], 5);
    assert_int_equal(cu[1], 20);
    assert_int_equal(cu[2], 26);
    const double even[] = {0, 15, 30, 45, 60};
    int64_t ce[4];
    for (int e = 0; e < 2; e++) {
        assert_int_equal(lm_rdd_histogram_buckets(r, even, 5, e == 1, ce), LM_OK);
        assert_int_equal(ce[0], 15);
        assert_int_equal(ce[1], 15);
        assert_int_equal(ce[2], 15);
        assert_int_equal(ce[3], 6);
    }
    /* values outside the edges are not counted */
    const double inner[] = {10, 20};
    int64_t ci[1];
    assert_int_equal(lm_rdd_histogram_buckets(r, inner, 2, false, ci), LM_OK);
    assert_int_equal(ci[0], 11);
    lm_rdd_free(r);
    /* one distinct value: the buckets are [min, min] holding everything */
    const int64_t fives[] = {5, 5, 5};
    r = longs(s, fives, 3, 2);
    assert_int_equal(lm_rdd_histogram(r, 3, &b, &c, &nb), LM_OK);
    assert_int_equal(nb, 1);
    assert_true(b[0] == 5.0 && b[1] == 5.0);
    assert_int_equal(c[0], 3);
    free(b);
    free(c);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_stats_population_and_sample_spread(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 3, 2);
    lm_stat_counter st;
    assert_int_equal(lm_rdd_stats(r, &st), LM_OK);
    assert_int_equal(st.count, 3);
    assert_true(st.mean == 2.0);
    assert_true(st.min == 1.0 && st.max == 3.0);
    /* stdev() / variance() divide by n, sampleStdev() / sampleVariance() by n - 1 */
    assert_true(fabs(lm_stats_stdev(&st) - 0.816496580927726) < 1e-15);
    assert_true(fabs(lm_stats_variance(&st) - 0.6666666666666666) < 1e-15);
    assert_true(lm_stats_sample_stdev(&st) == 1.0);
    assert_true(lm_stats_sample_variance(&st) == 1.0);
    assert_text(lm_stats_string(&st),
                "(count: 3, mean: 2.000000, stdev: 0.816497, max: 3.000000, min: 1.000000)");
    lm_rdd_free(r);
    /* a single element has no sample variance */
    const int64_t one[] = {4};
    r = longs(s, one, 1, 1);
    assert_int_equal(lm_rdd_stats(r, &st), LM_OK);
    assert_true(lm_stats_variance(&st) == 0.0);
    assert_true(isnan(lm_stats_sample_variance(&st)));
    lm_rdd_free(r);
    /* stats() reduces one StatCounter per partition: empty partitions give
       count 0 and a NaN variance, no partitions at all "empty collection" */
    lm_value none[1];
    lm_rdd *e = lm_rdd_parallelize(s, lm_type_double(), none, 0, 2);
    assert_int_equal(lm_rdd_stats(e, &st), LM_OK);
    assert_int_equal(st.count, 0);
    assert_true(isnan(lm_stats_variance(&st)));
    lm_rdd_free(e);
    e = lm_rdd_empty(s, lm_type_double());
    assert_int_equal(lm_rdd_stats(e, &st), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "empty collection");
    lm_rdd_free(e);
    lm_session_close(s);
}

static void test_sum_min_max_of_doubles(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *rows = sql_rdd(s, "SELECT x, 0 FROM VALUES (1.0D), (5.0D), (43.0D), (10.0D) AS t(x)");
    lm_rdd *r = lm_rdd_keys(rows);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_max(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[43.0]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_min(r, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1.0]");
    lm_value_list_free(l);
    double sum = 0, mean = 0;
    assert_int_equal(lm_rdd_sum(r, &sum), LM_OK);
    assert_true(sum == 59.0);
    assert_int_equal(lm_rdd_mean(r, &mean), LM_OK);
    assert_true(mean == 14.75);
    lm_rdd_free(r);
    lm_rdd_free(rows);
    /* the sum of an empty RDD is 0 */
    lm_rdd *e = lm_rdd_empty(s, lm_type_double());
    assert_int_equal(lm_rdd_sum(e, &sum), LM_OK);
    assert_true(sum == 0.0);
    lm_rdd_free(e);
    lm_session_close(s);
}

static void test_top_and_take_ordered_pyspark_examples(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 2, 6, 2);
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_top(r, 2, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[6, 5]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take(r, 10, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[2, 3, 4, 5, 6]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_take(r, 0, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    const int64_t x[] = {10, 1, 2, 9, 3, 4, 5, 6, 7};
    r = longs(s, x, 9, 2);
    assert_int_equal(lm_rdd_take_ordered(r, 6, NULL, NULL, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[1, 2, 3, 4, 5, 6]");
    lm_value_list_free(l);
    assert_int_equal(lm_rdd_top(r, 20, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[10, 9, 7, 6, 5, 4, 3, 2, 1]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    const char *w[] = {"b", "a", "d", "c"};
    r = rt_strings(s, w, 4, 2);
    assert_int_equal(lm_rdd_top(r, 3, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[d, c, b]");
    lm_value_list_free(l);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* seqOp = lambda x, y: (x[0] + y, x[1] + 1) */
static lm_status seq_sum_count(lm_task *t, const lm_value *acc, const lm_value *x, lm_value *out,
                               void *ud)
{
    (void)ud;
    lm_value f[2] = {lm_value_i64(acc->u.st->fields[0].u.i64 + x->u.i64),
                     lm_value_i64(acc->u.st->fields[1].u.i64 + 1)};
    return lm_task_make_pair(t, &f[0], &f[1], out);
}

/* combOp = lambda x, y: (x[0] + y[0], x[1] + y[1]) */
static lm_status comb_sum_count(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                                void *ud)
{
    (void)ud;
    lm_value f[2] = {lm_value_i64(a->u.st->fields[0].u.i64 + b->u.st->fields[0].u.i64),
                     lm_value_i64(a->u.st->fields[1].u.i64 + b->u.st->fields[1].u.i64)};
    return lm_task_make_pair(t, &f[0], &f[1], out);
}

static void test_aggregate_with_a_tuple_zero(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_type *ut = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_value zf[2] = {lm_value_i64(0), lm_value_i64(0)};
    lm_struct_value zst = {2, zf};
    lm_value zero = lm_value_null();
    zero.is_null = false;
    zero.u.st = &zst;
    lm_value_list *l = NULL;
    assert_int_equal(lm_rdd_aggregate(r, ut, &zero, seq_sum_count, comb_sum_count, NULL, &l),
                     LM_OK);
    assert_text(rt_list_text(s, l), "[(10,4)]");
    lm_value_list_free(l);
    /* an empty RDD gives the zero */
    lm_rdd *e = lm_rdd_empty(s, lm_type_int());
    assert_int_equal(lm_rdd_aggregate(e, ut, &zero, seq_sum_count, comb_sum_count, NULL, &l),
                     LM_OK);
    assert_text(rt_list_text(s, l), "[(0,0)]");
    lm_value_list_free(l);
    lm_value z = lm_value_i64(0);
    assert_int_equal(lm_rdd_fold(e, &z, add, NULL, &l), LM_OK);
    assert_text(rt_list_text(s, l), "[0]");
    lm_value_list_free(l);
    lm_rdd_free(e);
    lm_type_unref(ut);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- persistence */

static atomic_int calls;

static lm_status counted(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    atomic_fetch_add(&calls, 1);
    *out = *in;
    return LM_OK;
}

static void test_persist_records_the_level_and_computes_once(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    lm_rdd *r = rt_ints(s, 1, 4, 2);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), counted, NULL);
    assert_int_equal(lm_rdd_storage_level(m), LM_STORAGE_NONE);
    assert_int_equal(lm_rdd_persist(m, LM_STORAGE_MEMORY_AND_DISK), LM_OK);
    assert_int_equal(lm_rdd_storage_level(m), LM_STORAGE_MEMORY_AND_DISK);
    /* the same level again is fine; another level is refused */
    assert_int_equal(lm_rdd_persist(m, LM_STORAGE_MEMORY_AND_DISK), LM_OK);
    assert_int_equal(lm_rdd_persist(m, LM_STORAGE_DISK_ONLY), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "Cannot change storage level of an RDD after it was "
                                      "already assigned a level");
    assert_int_equal(lm_rdd_cache(m), LM_ERROR);
    atomic_store(&calls, 0);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(m, &n), LM_OK);
    assert_int_equal(lm_rdd_count(m, &n), LM_OK);
    assert_int_equal(atomic_load(&calls), 4);
    char *d = lm_rdd_to_debug_string(m);
    assert_non_null(strstr(d, "MapPartitionsRDD[1] at map at lm_rdd_map "
                              "[Disk Memory Deserialized 1x Replicated]"));
    assert_non_null(strstr(d, "    CachedPartitions: 2; MemorySize: "));
    free(d);
    /* unpersist forgets the level; a new level can then be set */
    assert_int_equal(lm_rdd_unpersist(m), LM_OK);
    assert_int_equal(lm_rdd_storage_level(m), LM_STORAGE_NONE);
    assert_int_equal(lm_rdd_persist(m, LM_STORAGE_DISK_ONLY), LM_OK);
    d = lm_rdd_to_debug_string(m);
    assert_non_null(strstr(d, "[Disk Serialized 1x Replicated]"));
    free(d);
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

static void test_storage_level_descriptions(void **state)
{
    (void)state;
    const lm_storage_level lv[] = {LM_STORAGE_MEMORY_ONLY_2, LM_STORAGE_MEMORY_ONLY_SER,
                                   LM_STORAGE_MEMORY_AND_DISK_SER, LM_STORAGE_OFF_HEAP};
    const char *text[] = {"[Memory Deserialized 2x Replicated]",
                          "[Memory Serialized 1x Replicated]",
                          "[Disk Memory Serialized 1x Replicated]",
                          "[Disk Memory (off heap) Serialized 1x Replicated]"};
    lm_session *s = rt_open("local");
    for (int i = 0; i < 4; i++) {
        lm_rdd *r = rt_ints(s, 1, 2, 1);
        assert_int_equal(lm_rdd_persist(r, lv[i]), LM_OK);
        char *d = lm_rdd_to_debug_string(r);
        assert_non_null(strstr(d, text[i]));
        free(d);
        lm_rdd_free(r);
    }
    lm_session_close(s);
}

/* ---------------------------------------------------------- introspection */

static void test_ids_count_up_and_names_are_kept(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *a = rt_ints(s, 1, 2, 1);
    lm_rdd *b = lm_rdd_map(a, lm_type_int(), counted, NULL);
    lm_rdd *c = lm_rdd_range(s, 0, 3, 1, 1);
    assert_int_equal(lm_rdd_id(a), 0);
    assert_int_equal(lm_rdd_id(b), 1);
    /* SparkContext.range is a parallelize plus a mapPartitionsWithIndex */
    assert_int_equal(lm_rdd_id(c), 3);
    assert_null(lm_rdd_name(b));
    assert_int_equal(lm_rdd_set_name(b, "doubled"), LM_OK);
    assert_string_equal(lm_rdd_name(b), "doubled");
    assert_int_equal(lm_rdd_set_name(b, "renamed"), LM_OK);
    assert_string_equal(lm_rdd_name(b), "renamed");
    char *d = lm_rdd_to_debug_string(b);
    assert_non_null(strstr(d, "(1) renamed MapPartitionsRDD[1] at map at"));
    free(d);
    /* a new session numbers from 0 again */
    lm_session *s2 = rt_open("local");
    lm_rdd *e = lm_rdd_empty(s2, lm_type_int());
    assert_int_equal(lm_rdd_id(e), 0);
    lm_rdd_free(e);
    lm_session_close(s2);
    lm_rdd_free(c);
    lm_rdd_free(b);
    lm_rdd_free(a);
    lm_session_close(s);
}

static lm_status task_info(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value f[4] = {lm_value_i64(in->u.i64), lm_value_i64(lm_task_partition(t)),
                     lm_value_i64(lm_task_stage(t)), lm_value_i64(lm_task_id(t))};
    return lm_task_make_struct(t, 4, f, out);
}

static void test_task_context_reports_partition_stage_and_tid(void **state)
{
    (void)state;
    lm_session *s = rt_open("local");
    lm_rdd *r = rt_ints(s, 1, 3, 2);
    lm_field fs[4] = {{"x", lm_type_long(), false, NULL, NULL},
                      {"partition", lm_type_long(), false, NULL, NULL},
                      {"stage", lm_type_long(), false, NULL, NULL},
                      {"tid", lm_type_long(), false, NULL, NULL}};
    lm_type *st = lm_type_struct(fs, 4);
    lm_rdd *m = lm_rdd_map(r, st, task_info, NULL);
    /* job 0 = stage 0 (TIDs 0, 1); job 1 = stage 1 (TIDs 2, 3) */
    assert_text(rt_collect(s, m), "[(1,0,0,0), (2,1,0,1), (3,1,0,1)]");
    assert_text(rt_collect(s, m), "[(1,0,1,2), (2,1,1,3), (3,1,1,3)]");
    lm_rdd_free(m);
    lm_type_unref(st);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- files */

static int non_hidden_entries(const char *dir, char names[][32], int max)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(e->d_name);
        assert_true(n < max && len < 32);
        memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    /* sort for a stable comparison */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char t[32];
                memcpy(t, names[i], 32);
                memcpy(names[i], names[j], 32);
                memcpy(names[j], t, 32);
            }
    return n;
}

static void test_save_as_text_file_writes_a_part_per_partition(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    char dir[] = "/tmp/lm_rdd_methods_save_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[256], p[600];
    snprintf(out, sizeof out, "%s/out", dir);
    /* [[], [1], [2]]: the empty partition still writes its (empty) part */
    lm_rdd *r = rt_ints(s, 1, 2, 3);
    assert_int_equal(lm_rdd_save_as_text_file(r, out, NULL), LM_OK);
    char names[8][32];
    int n = non_hidden_entries(out, names, 8);
    assert_int_equal(n, 4);
    assert_string_equal(names[0], "_SUCCESS");
    assert_string_equal(names[1], "part-00000");
    assert_string_equal(names[2], "part-00001");
    assert_string_equal(names[3], "part-00002");
    const char *content[] = {"", "", "1\n", "2\n"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", out, names[i]);
        char *text = read_file(p);
        assert_string_equal(text, content[i]);
        free(text);
    }
    /* pairs are written as Scala's tuple text */
    const char *k[] = {"a", "b"};
    const int v[] = {1, 2};
    lm_rdd *pr = rt_pairs(s, k, v, 2, 1);
    snprintf(out, sizeof out, "%s/pairs", dir);
    assert_int_equal(lm_rdd_save_as_text_file(pr, out, NULL), LM_OK);
    snprintf(p, sizeof p, "%s/part-00000", out);
    char *text = read_file(p);
    assert_string_equal(text, "(a,1)\n(b,2)\n");
    free(text);
    /* gzip parts are named .gz and read back by textFile */
    snprintf(out, sizeof out, "%s/gz", dir);
    assert_int_equal(lm_rdd_save_as_text_file(r, out, "gzip"), LM_OK);
    n = non_hidden_entries(out, names, 8);
    assert_int_equal(n, 4);
    assert_string_equal(names[1], "part-00000.gz");
    assert_string_equal(names[3], "part-00002.gz");
    lm_rdd *back = lm_rdd_text_file(s, out, 0);
    assert_text(rt_collect(s, back), "[1, 2]");
    lm_rdd_free(back);
    lm_rdd_free(pr);
    lm_rdd_free(r);
    rm_rf(dir);
    lm_session_close(s);
}

static void test_text_file_reads_folders_and_path_lists(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    char dir[] = "/tmp/lm_rdd_methods_txt_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[512];
    snprintf(p, sizeof p, "%s/b.txt", dir);
    write_file(p, "three\nfour");
    snprintf(p, sizeof p, "%s/a.txt", dir);
    write_file(p, "one\ntwo\n");
    /* Hadoop's input filter skips names starting with _ or . */
    snprintf(p, sizeof p, "%s/_SUCCESS", dir);
    write_file(p, "hidden\n");
    snprintf(p, sizeof p, "%s/.a.txt.crc", dir);
    write_file(p, "hidden\n");
    lm_rdd *t = lm_rdd_text_file(s, dir, 1);
    assert_non_null(t);
    assert_int_equal(lm_rdd_num_partitions(t), 2);
    assert_text(rt_collect(s, t), "[one, two, three, four]");
    lm_rdd_free(t);
    /* several paths, comma-separated, in the order given */
    snprintf(p, sizeof p, "%s/b.txt,%s/a.txt", dir, dir);
    t = lm_rdd_text_file(s, p, 1);
    assert_non_null(t);
    assert_text(rt_collect(s, t), "[three, four, one, two]");
    lm_rdd_free(t);
    /* wholeTextFiles of the folder: one (path, content) per file */
    lm_rdd *w = lm_rdd_whole_text_files(s, dir, 1);
    assert_non_null(w);
    lm_rdd *contents = lm_rdd_values(w);
    assert_text(rt_collect(s, contents), "[one\ntwo\n, three\nfour]");
    lm_rdd_free(contents);
    lm_rdd_free(w);
    rm_rf(dir);
    lm_session_close(s);
}

/* ---------------------------------------------------------- resilience */

static lm_status fail_first_attempt(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    if (lm_task_attempt(t) == 0)
        return lm_task_fail(t, "first attempt");
    *out = *in;
    return LM_OK;
}

static void test_local_mode_ignores_task_max_failures(void **state)
{
    (void)state;
    /* Spark's local[N] scheduler allows one attempt whatever
       spark.task.maxFailures says; local[N,F] gives F */
    lm_session *s = open_with("local[2]", "spark.task.maxFailures", "4");
    lm_rdd *r = rt_ints(s, 1, 2, 1);
    lm_rdd *m = lm_rdd_map(r, lm_type_int(), fail_first_attempt, NULL);
    int64_t n = 0;
    assert_int_equal(lm_rdd_count(m, &n), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "Task 0 in stage 0.0 failed 1 times"));
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
    s = rt_open("local[2,2]");
    r = rt_ints(s, 1, 2, 1);
    m = lm_rdd_map(r, lm_type_int(), fail_first_attempt, NULL);
    assert_text(rt_collect(s, m), "[1, 2]");
    lm_rdd_free(m);
    lm_rdd_free(r);
    lm_session_close(s);
}

/* ---------------------------------------------------------- bridges */

static void test_create_data_frame_takes_names_from_the_schema(void **state)
{
    (void)state;
    lm_session *s = rt_open("local[2]");
    const char *k[] = {"a", "b"};
    const int v[] = {1, 2};
    lm_rdd *r = rt_pairs(s, k, v, 2, 2);
    lm_field fs[2] = {{"name", lm_type_string(), true, NULL, NULL}, {"n", lm_type_int(), true, NULL, NULL}};
    lm_type *schema = lm_type_struct(fs, 2);
    lm_df *df = lm_rdd_to_df(r, schema);
    assert_non_null(df);
    assert_text(lm_df_show_string(df, 20, 20, false), "+----+---+\n"
                                                       "|name|  n|\n"
                                                       "+----+---+\n"
                                                       "|   a|  1|\n"
                                                       "|   b|  2|\n"
                                                       "+----+---+\n");
    /* and back: df.rdd keeps the rows and the partitions */
    lm_rdd *back = lm_df_to_rdd(df);
    assert_non_null(back);
    assert_text(rt_glom(s, back), "[[(a,1)], [(b,2)]]");
    lm_rdd_free(back);
    lm_df_free(df);
    /* a schema whose field types differ is refused */
    lm_field bad[2] = {{"name", lm_type_string(), true, NULL, NULL}, {"n", lm_type_string(), true, NULL, NULL}};
    lm_type *wrong = lm_type_struct(bad, 2);
    assert_null(lm_rdd_to_df(r, wrong));
    lm_type_unref(wrong);
    lm_type_unref(schema);
    lm_rdd_free(r);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallelize_slices_by_position),
        cmocka_unit_test(test_range_follows_python_range),
        cmocka_unit_test(test_empty_rdd_has_no_partitions),
        cmocka_unit_test(test_union_of_many_concatenates_partitions),
        cmocka_unit_test(test_default_parallelism_follows_the_master),
        cmocka_unit_test(test_map_partitions_sums_each_partition),
        cmocka_unit_test(test_map_partitions_preserving_partitioning_avoids_a_shuffle),
        cmocka_unit_test(test_flat_map_values_and_map_values_of_lists),
        cmocka_unit_test(test_key_by_pairs_each_element_with_its_key),
        cmocka_unit_test(test_glom_and_coalesce_pyspark_examples),
        cmocka_unit_test(test_repartition_deals_each_partition_round_robin),
        cmocka_unit_test(test_distinct_and_union_keep_pyspark_examples),
        cmocka_unit_test(test_intersection_drops_duplicates),
        cmocka_unit_test(test_subtract_and_subtract_by_key_of_pairs),
        cmocka_unit_test(test_cartesian_and_zip_pyspark_examples),
        cmocka_unit_test(test_zip_with_index_and_unique_id_pyspark_examples),
        cmocka_unit_test(test_group_by_places_groups_by_portable_hash),
        cmocka_unit_test(test_sort_by_orders_by_the_key_function),
        cmocka_unit_test(test_partition_by_places_strings_by_portable_hash),
        cmocka_unit_test(test_partition_by_places_longs_by_portable_hash),
        cmocka_unit_test(test_lookup_finds_every_value_of_a_key),
        cmocka_unit_test(test_sample_without_replacement_is_sparks_bernoulli_sampler),
        cmocka_unit_test(test_sample_with_replacement_repeats_elements_in_order),
        cmocka_unit_test(test_random_split_cuts_one_draw_per_element_by_weight),
        cmocka_unit_test(test_histogram_pyspark_examples),
        cmocka_unit_test(test_stats_population_and_sample_spread),
        cmocka_unit_test(test_sum_min_max_of_doubles),
        cmocka_unit_test(test_top_and_take_ordered_pyspark_examples),
        cmocka_unit_test(test_aggregate_with_a_tuple_zero),
        cmocka_unit_test(test_persist_records_the_level_and_computes_once),
        cmocka_unit_test(test_storage_level_descriptions),
        cmocka_unit_test(test_ids_count_up_and_names_are_kept),
        cmocka_unit_test(test_task_context_reports_partition_stage_and_tid),
        cmocka_unit_test(test_save_as_text_file_writes_a_part_per_partition),
        cmocka_unit_test(test_text_file_reads_folders_and_path_lists),
        cmocka_unit_test(test_local_mode_ignores_task_max_failures),
        cmocka_unit_test(test_create_data_frame_takes_names_from_the_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
