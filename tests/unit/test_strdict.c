/*
 * Dictionary codes of cached string columns (vector/strdict.h): equal
 * strings get equal codes across batches, NULL has a code of its own, a
 * column with too many values stays plain, any change to a vector drops
 * its codes, and queries over a coded (cached) table give the same bytes
 * as over the same rows uncoded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "api/df.h"
#include "catalog/catalog.h"
#include "session/session.h"
#include "unit/sql_fixture.h"
#include "vector/strdict.h"

static lm_vector *strings(const char *const *vals, int n)
{
    lm_vector *v = lm_vector_new(lm_type_string(), n);
    for (int i = 0; i < n; i++) {
        if (vals[i] == NULL) {
            assert_int_equal(lm_vector_append_null(v), LM_OK);
            continue;
        }
        lm_value val = lm_value_str(vals[i], (int32_t)strlen(vals[i]));
        assert_int_equal(lm_vector_append(v, &val), LM_OK);
    }
    return v;
}

static void test_equal_strings_share_a_code_across_vectors(void **state)
{
    (void)state;
    const char *a[] = {"x", "yy", NULL, "x", ""};
    const char *b[] = {"yy", "zzzzzzzzzzzzzzzzzzzz", NULL, ""};
    lm_vector *v[2] = {strings(a, 5), strings(b, 4)};
    assert_true(lm_strdict_encode(v, 2, 100));
    assert_non_null(v[0]->codes);
    assert_ptr_equal(v[0]->dict, v[1]->dict);
    const lm_strdict *d = v[0]->dict;
    assert_int_equal(d->size, 5); /* x, yy, NULL, "", z... */
    assert_int_equal(v[0]->codes[0], v[0]->codes[3]);
    assert_int_equal(v[0]->codes[1], v[1]->codes[0]);
    assert_int_equal(v[0]->codes[2], d->null_code);
    assert_int_equal(v[1]->codes[2], d->null_code);
    assert_int_equal(v[0]->codes[4], v[1]->codes[3]);
    assert_int_not_equal(v[0]->codes[4], d->null_code);
    assert_int_equal(lm_strdict_find(d, "yy", 2), v[0]->codes[1]);
    assert_int_equal(lm_strdict_find(d, "zzzzzzzzzzzzzzzzzzzz", 20), v[1]->codes[1]);
    assert_int_equal(lm_strdict_find(d, "", 0), v[0]->codes[4]);
    assert_int_equal(lm_strdict_find(d, "y", 1), -1);
    /* encoding again leaves the codes alone */
    int32_t *before = v[0]->codes;
    assert_true(lm_strdict_encode(v, 2, 100));
    assert_ptr_equal(v[0]->codes, before);
    lm_vector_free(v[0]);
    lm_vector_free(v[1]);
}

static void test_many_values_stay_plain_and_growth_keeps_codes_right(void **state)
{
    (void)state;
    enum { N = 3000 };
    static char buf[N][16];
    const char *vals[N];
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "k%d", i % 1000);
        vals[i] = buf[i];
    }
    lm_vector *v = strings(vals, N);
    assert_true(lm_strdict_encode(&v, 1, 999));
    assert_null(v->codes);
    assert_true(lm_strdict_encode(&v, 1, 1000));
    assert_non_null(v->codes);
    assert_int_equal(v->dict->size, 1000);
    for (int i = 0; i < N; i++) {
        assert_int_equal(v->codes[i], v->codes[i % 1000]);
        assert_int_equal(lm_strdict_find(v->dict, buf[i], (int32_t)strlen(buf[i])), v->codes[i]);
    }
    lm_vector_free(v);
}

static void test_changing_a_vector_drops_its_codes(void **state)
{
    (void)state;
    const char *a[] = {"p", "q", "p"};
    lm_vector *v[2] = {strings(a, 3), strings(a, 3)};
    assert_true(lm_strdict_encode(v, 2, 10));
    lm_value val = lm_value_str("r", 1);
    assert_int_equal(lm_vector_append(v[0], &val), LM_OK);
    assert_null(v[0]->codes);
    assert_null(v[0]->dict);
    assert_non_null(v[1]->codes); /* the dictionary lives on with v[1] */
    lm_vector_truncate(v[1], 1);
    assert_null(v[1]->codes);
    lm_vector_free(v[0]);
    lm_vector_free(v[1]);
}

static void test_non_string_vectors_are_not_coded(void **state)
{
    (void)state;
    lm_vector *v = lm_vector_new(lm_type_int(), 4);
    lm_value one = lm_value_i64(1);
    assert_int_equal(lm_vector_append(v, &one), LM_OK);
    assert_true(lm_strdict_encode(&v, 1, 10));
    assert_null(v->codes);
    lm_vector_free(v);
}

/* 20 000 rows over several batches and aggregation partitions; s has 41
   values and NULLs, t 7 values, u ~5 000 values, k is an integer. */
static lm_session *coded_session(bool cache)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[2]");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    exec_ok(s, "CREATE TEMPORARY VIEW g AS SELECT id, "
               "CASE WHEN id % 53 = 0 THEN NULL ELSE concat('s', CAST((id * 7) % 41 AS STRING)) "
               "END AS s, concat('t', CAST(id % 7 AS STRING)) AS t, "
               "concat('u', CAST((id * 13) % 5003 AS STRING)) AS u, id % 11 AS k, "
               "CAST(id % 97 AS DOUBLE) / 8.0D AS v FROM range(20000)");
    if (cache)
        exec_ok(s, "CACHE TABLE g");
    return s;
}

static const char *const k_coded_queries[] = {
    "SELECT s, count(*), sum(v), min(k), max(v) FROM g GROUP BY s",
    "SELECT t, s, count(*), sum(k) FROM g GROUP BY t, s",
    "SELECT s, k, avg(v) FROM g GROUP BY s, k",
    "SELECT count(*) FROM (SELECT DISTINCT u, s FROM g) x",
    "SELECT u, count(*) FROM g GROUP BY u ORDER BY u LIMIT 9",
    "SELECT s, t, u, count(*) FROM g GROUP BY s, t, u ORDER BY 4 DESC, 1, 2, 3 LIMIT 5",
    "SELECT s, collect_list(k)[0], count(DISTINCT t) FROM g GROUP BY s",
    "SELECT upper(s), count(*) FROM g GROUP BY upper(s)",
    "SELECT s, count(*) FROM g WHERE id % 3 = 1 GROUP BY s",
    /* comparisons with a constant on codes: NULL rows never pass */
    "SELECT count(*), sum(k) FROM g WHERE s = 's7'",
    "SELECT count(*), sum(k) FROM g WHERE s <> 's7' AND k > 2",
    "SELECT count(*) FROM g WHERE s = 'absent'",
    "SELECT count(*) FROM g WHERE s <> 'absent'",
    "SELECT count(*) FROM g WHERE NOT (s = 's3') AND t <> 't1'",
    /* windows partitioned by a coded key */
    "SELECT s, id, row_number() OVER (PARTITION BY s ORDER BY v DESC, id) FROM g",
    "SELECT count(*), sum(rn), sum(id) FROM (SELECT id, row_number() OVER (PARTITION BY s "
    "ORDER BY v DESC) AS rn FROM g) x WHERE rn <= 2",
    "SELECT t, id, sum(k) OVER (PARTITION BY t ORDER BY id ROWS BETWEEN 2 PRECEDING AND "
    "CURRENT ROW) FROM g WHERE id < 3000",
    /* keys nobody reads above the aggregate are not kept */
    "SELECT count(*), sum(n) FROM (SELECT k, count(*) AS n FROM g GROUP BY k) x",
    "SELECT sum(n), max(m) FROM (SELECT s, k, count(*) AS n, max(v) AS m FROM g GROUP BY s, k) x",
    "SELECT count(*), sum(n) FROM (SELECT u, s, k, count(*) AS n FROM g GROUP BY u, s, k) x",
};

static void test_coded_columns_give_the_same_rows(void **state)
{
    (void)state;
    lm_session *plain = coded_session(false);
    lm_session *coded = coded_session(true);
    for (size_t q = 0; q < sizeof k_coded_queries / sizeof k_coded_queries[0]; q++) {
        char *a = run_rows(plain, k_coded_queries[q]);
        char *b = run_rows(coded, k_coded_queries[q]);
        if (strncmp(a, "ERROR", 5) == 0)
            fail_msg("%s: %s", k_coded_queries[q], a);
        if (strcmp(a, b) != 0)
            fail_msg("%s:\nplain:\n%.400s\ncoded:\n%.400s", k_coded_queries[q], a, b);
        free(a);
        free(b);
    }
    /* first-row order of groups, the NULL group included (row 0 is NULL) */
    assert_rows(coded, "SELECT s FROM (SELECT s, count(*) FROM g GROUP BY s) x LIMIT 3",
                "NULL\ns7\ns14");
    lm_session_close(plain);
    lm_session_close(coded);
}

static void test_cache_table_codes_repeating_strings_only(void **state)
{
    (void)state;
    lm_session *s = coded_session(true);
    lm_catalog_entry *e = lm_catalog_find(&s->catalog, NULL, "g");
    assert_non_null(e);
    assert_non_null(e->table);
    const lm_batch *b = e->table->batches[0];
    assert_null(b->cols[0]->codes);     /* id: not a string */
    assert_non_null(b->cols[1]->codes); /* s: 41 values and NULL */
    assert_int_equal(b->cols[1]->dict->size, 42);
    assert_non_null(b->cols[3]->codes); /* u: 5 003 values of 20 000 rows */
    lm_session_close(s);
}

static void test_persisted_dataframe_codes_its_strings(void **state)
{
    (void)state;
    lm_session *s = coded_session(false);
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT s, t, id FROM g", &df), LM_OK);
    lm_df_persist(df);
    int64_t n = 0;
    assert_int_equal(lm_df_count(df, &n), LM_OK);
    assert_int_equal(n, 20000);
    const lm_batch *b = df->result->batches[0];
    assert_non_null(b->cols[0]->codes);
    assert_non_null(b->cols[1]->codes);
    assert_null(b->cols[2]->codes);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_strings_share_a_code_across_vectors),
        cmocka_unit_test(test_many_values_stay_plain_and_growth_keeps_codes_right),
        cmocka_unit_test(test_changing_a_vector_drops_its_codes),
        cmocka_unit_test(test_non_string_vectors_are_not_coded),
        cmocka_unit_test(test_coded_columns_give_the_same_rows),
        cmocka_unit_test(test_cache_table_codes_repeating_strings_only),
        cmocka_unit_test(test_persisted_dataframe_codes_its_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
