/*
 * The vectorized operators: results independent of the number of worker
 * threads (local[1], local[2], local[4] give the same bytes, DESIGN.md §4),
 * top-N equal to the full sort's prefix, hash joins in the nested-loop
 * order with outer/semi/anti variants and residual conditions, and
 * CACHE TABLE keeping a view's rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

/* 100 000 rows (more than one aggregation partition of 65 536 rows) with
   fractional doubles, so that a different summation order would show. */
static lm_session *big_session(const char *master)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", master);
    lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    exec_ok(s, "CREATE TEMPORARY VIEW d AS SELECT * FROM VALUES (0), (1), (2), (3), (4), (5), "
               "(6), (7), (8), (9) AS d(x)");
    exec_ok(s, "CREATE TEMPORARY VIEW g AS SELECT a.x * 10000 + b.x * 1000 + c.x * 100 + e.x * 10 "
               "+ f.x AS id, (a.x * 7 + b.x * 3 + c.x * 11 + e.x + f.x * 5) % 13 AS k, "
               "(b.x * 31 + e.x * 17 + f.x) * 0.37D / 3.0D AS v, a.x * 100 + c.x * 7 + f.x AS w, "
               "concat('s', CAST((c.x * 10 + f.x) % 37 AS STRING)) AS s "
               "FROM d a, d b, d c, d e, d f");
    exec_ok(s, "CACHE TABLE g");
    exec_ok(s, "CREATE TEMPORARY VIEW h AS SELECT * FROM VALUES (0, 1.5D), (1, 2.25D), (3, 0.1D), "
               "(3, 0.2D), (12, 7.0D), (40, 1.0D) AS h(k, f)");
    return s;
}

static const char *const k_queries[] = {
    "SELECT k, count(*), sum(v), avg(v), min(v), max(w), sum(w), avg(w) FROM g GROUP BY k",
    ("SELECT count(*), sum(v), round(sum(v * 2 - w), 6) FROM g WHERE w % 7 <> 3 AND v < 50.0D "
     "AND s LIKE 's1%'"),
    "SELECT g.k, count(*), sum(g.v * h.f) FROM g JOIN h ON g.k = h.k GROUP BY g.k",
    "SELECT id, v, s FROM g ORDER BY v DESC, id LIMIT 7",
    "SELECT count(DISTINCT s), count(DISTINCT k, w) FROM g",
    "SELECT count(*), sum(k) FROM (SELECT DISTINCT s, k FROM g) t",
    "SELECT s, max(v), min(s), first(w) FROM g GROUP BY s ORDER BY s LIMIT 5",
};

static void test_results_do_not_depend_on_the_thread_count(void **state)
{
    lm_session *s1 = big_session("local[1]");
    lm_session *s2 = big_session("local[2]");
    lm_session *s4 = big_session("local[4]");
    for (size_t q = 0; q < sizeof k_queries / sizeof k_queries[0]; q++) {
        char *r1 = run_rows(s1, k_queries[q]);
        char *r2 = run_rows(s2, k_queries[q]);
        char *r4 = run_rows(s4, k_queries[q]);
        if (strncmp(r1, "ERROR", 5) == 0)
            fail_msg("%s: %s", k_queries[q], r1);
        assert_string_equal(r1, r2);
        assert_string_equal(r1, r4);
        free(r1);
        free(r2);
        free(r4);
    }
    lm_session_close(s1);
    lm_session_close(s2);
    lm_session_close(s4);
}

static void test_group_order_is_first_appearance_across_partitions(void **state)
{
    lm_session *s = big_session("local[2]");
    /* id 0 has k 0, id 1 has k 5, id 2 has k 10, id 3 has k 2 (mod 13) */
    assert_rows(s, "SELECT k FROM (SELECT k, count(*) FROM g GROUP BY k) t LIMIT 4", "0\n5\n10\n2");
    assert_rows(s, "SELECT count(*), sum(w) FROM g", "100000\t48600000");
    lm_session_close(s);
}

/* The parallel grouped aggregation (integers of a small range: numbered
   directly; several columns: numbered through per-column dictionaries when
   their combined codes are few; few groups: merged local tables; many
   groups: hash-partitioned) against the sequential pass, which a key the
   worker threads may not evaluate (a regular expression) forces: same groups, same order,
   same sums of doubles to the last bit. */
static void test_parallel_grouping_equals_the_sequential_pass(void **state)
{
    /* a small integer range (numbered directly), a large one with few and
       with many groups, strings with few and many, several columns; the
       keys of many groups (second field 1) are compared on the groups
       whose key hash falls in one of 23 classes, to keep the text small */
    static const struct {
        const char *key;
        bool many;
    } keys[] = {{"k", false},
                {"w", false},
                {"id % 50000", true},
                {"(id % 3) * 1000000000", false},
                {"id * 1000", true},
                {"s", false},
                {"CAST(id AS STRING)", true},
                {"s, k", false},
                {"w, s, k", false},
                {"id * 1000, k", true},
                {"k, (id % 3) * 1000000000", false}};
    /* typed aggregates only (run side by side), then with a generic one */
    static const char *const aggs[] = {"count(*), sum(v), avg(v), min(v), max(w), avg(w)",
                                       "sum(v), first(id), avg(v)"};
    lm_session *s = big_session("local[2]");
    for (size_t q = 0; q < 2 * sizeof keys / sizeof keys[0]; q++) {
        const char *key = keys[q / 2].key, *agg = aggs[q % 2];
        const char *cut = keys[q / 2].many ? "WHERE hk % 23 = 0" : "";
        char par[512], seq[512];
        snprintf(par, sizeof par,
                 "SELECT * FROM (SELECT %s, %s, hash(%s) AS hk FROM g GROUP BY %s) t %s", key,
                 agg, key, key, cut);
        /* rlike keeps the aggregation off the worker threads: the
           sequential pass, kernels still on */
        snprintf(seq, sizeof seq,
                 "SELECT * FROM (SELECT %s, %s, hash(%s) AS hk FROM g GROUP BY %s, "
                 "CAST(rlike(s, '^z') AS INT)) t %s",
                 key, agg, key, key, cut);
        char *rp = run_rows(s, par);
        char *rs = run_rows(s, seq);
        if (strncmp(rp, "ERROR", 5) == 0)
            fail_msg("%s: %s", par, rp);
        assert_string_equal(rp, rs);
        free(rp);
        free(rs);
    }
    lm_session_close(s);
}

static void test_top_n_is_the_prefix_of_the_full_sort(void **state)
{
    lm_session *s = big_session("local[2]");
    char *full = run_rows(s, "SELECT id FROM (SELECT id, v FROM g ORDER BY v, id DESC) t LIMIT 3");
    char *top = run_rows(s, "SELECT id FROM g ORDER BY v, id DESC LIMIT 3");
    assert_string_equal(full, top);
    assert_string_equal(top, "90900\n90800\n90700");
    free(full);
    free(top);
    lm_session_close(s);
}

/* Unique INT right keys take a probe of their own (one match at most per
   left row); the same join on string keys runs through hashed chains. */
static void test_join_on_unique_keys_matches_the_hashed_join(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW ul AS SELECT CAST(id % 53 AS INT) AS k, id FROM range(9000)");
    exec_ok(s, "CREATE TEMPORARY VIEW ur AS SELECT CAST(id * 2 AS INT) AS k, concat('r', "
               "CAST(id AS STRING)) AS y FROM range(20)");
    char *direct = run_rows(s, "SELECT id, y, ur.k FROM ul JOIN ur ON ul.k = ur.k");
    char *hashed = run_rows(s, "SELECT id, y, ur.k FROM ul JOIN ur ON CAST(ul.k AS STRING) = "
                               "CAST(ur.k AS STRING)");
    assert_string_equal(direct, hashed);
    free(direct);
    free(hashed);
    assert_rows(s, "SELECT count(*), sum(id), count(DISTINCT y) FROM ul JOIN ur ON ul.k = ur.k",
                "3400\t15291500\t20");
    lm_session_close(s);
}

static int setup_small(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW l AS SELECT * FROM VALUES (1, 'a'), (2, 'b'), (NULL, 'c'), "
               "(3, 'd'), (1, 'e') AS l(k, x)");
    exec_ok(s, "CREATE TEMPORARY VIEW r AS SELECT * FROM VALUES (3, 'R3'), (1, 'R1a'), "
               "(NULL, 'Rn'), (1, 'R1b'), (5, 'R5') AS r(k, y)");
    *state = s;
    return 0;
}

static int teardown_small(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_inner_hash_join_keeps_left_order_then_right_order(void **state)
{
    assert_rows(*state, "SELECT x, y FROM l JOIN r ON l.k = r.k",
                "a\tR1a\na\tR1b\nd\tR3\ne\tR1a\ne\tR1b");
}

static void test_left_and_full_hash_joins_pad_with_nulls(void **state)
{
    assert_rows(*state, "SELECT x, y FROM l LEFT JOIN r ON l.k = r.k",
                "a\tR1a\na\tR1b\nb\tNULL\nc\tNULL\nd\tR3\ne\tR1a\ne\tR1b");
    assert_rows(*state, "SELECT x, y FROM l FULL JOIN r ON l.k = r.k",
                "a\tR1a\na\tR1b\nb\tNULL\nc\tNULL\nd\tR3\ne\tR1a\ne\tR1b\nNULL\tRn\nNULL\tR5");
}

static void test_semi_and_anti_hash_joins(void **state)
{
    assert_rows(*state, "SELECT x FROM l LEFT SEMI JOIN r ON l.k = r.k", "a\nd\ne");
    assert_rows(*state, "SELECT x FROM l LEFT ANTI JOIN r ON l.k = r.k", "b\nc");
}

static void test_residual_condition_filters_candidate_pairs(void **state)
{
    assert_rows(*state, "SELECT x, y FROM l JOIN r ON l.k = r.k AND y > 'R1a'",
                "a\tR1b\nd\tR3\ne\tR1b");
}

static void test_cache_table_keeps_the_rows_of_a_view(void **state)
{
    exec_ok(*state, "CREATE TEMPORARY VIEW c AS SELECT k * 10 AS z FROM l WHERE k IS NOT NULL");
    exec_ok(*state, "CACHE TABLE c");
    assert_rows(*state, "SELECT sum(z), count(*) FROM c", "70\t4");
    exec_ok(*state, "UNCACHE TABLE c");
    assert_rows(*state, "SELECT sum(z) FROM c", "70");
}

/* a view over rows registered from a DataFrame (as a job's source is):
   the cached copy must report the rows it holds */
static void test_cache_table_over_a_dataframe_view_keeps_its_rows(void **state)
{
    lm_df *df = NULL;
    assert_int_equal(lm_sql(*state, "SELECT * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c') AS t(id, s)",
                            &df),
                     LM_OK);
    assert_int_equal(lm_df_create_or_replace_temp_view(df, "src"), LM_OK);
    lm_df_free(df);
    exec_ok(*state, "CREATE OR REPLACE TEMPORARY VIEW picked AS SELECT id, s FROM src WHERE id > 1");
    exec_ok(*state, "CACHE TABLE picked");
    assert_rows(*state, "SELECT * FROM picked", "2\tb\n3\tc");
    assert_rows(*state, "SELECT count(*) FROM picked", "2");
    lm_df *cached = lm_read_table(*state, "picked");
    assert_non_null(cached);
    int64_t n = -1;
    assert_int_equal(lm_df_count(cached, &n), LM_OK);
    assert_int_equal(n, 2);
    lm_df_free(cached);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_do_not_depend_on_the_thread_count),
        cmocka_unit_test(test_group_order_is_first_appearance_across_partitions),
        cmocka_unit_test(test_parallel_grouping_equals_the_sequential_pass),
        cmocka_unit_test(test_top_n_is_the_prefix_of_the_full_sort),
        cmocka_unit_test(test_join_on_unique_keys_matches_the_hashed_join),
        cmocka_unit_test_setup_teardown(test_inner_hash_join_keeps_left_order_then_right_order,
                                        setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_left_and_full_hash_joins_pad_with_nulls, setup_small,
                                        teardown_small),
        cmocka_unit_test_setup_teardown(test_semi_and_anti_hash_joins, setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_residual_condition_filters_candidate_pairs,
                                        setup_small, teardown_small),
        cmocka_unit_test_setup_teardown(test_cache_table_keeps_the_rows_of_a_view, setup_small,
                                        teardown_small),
        cmocka_unit_test_setup_teardown(test_cache_table_over_a_dataframe_view_keeps_its_rows,
                                        setup_small, teardown_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
