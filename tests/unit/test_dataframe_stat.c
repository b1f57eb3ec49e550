/*
 * DataFrame API: na functions, describe/summary, sample and randomSplit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/df_fixture.h"

static lm_df *gaps(lm_session *s)
{
    lm_column *cells[] = {
        lm_lit_string("a"),
        lm_lit_double(1.0),
        lm_lit_int(1),
        lm_lit_null(),
        lm_lit_double(0.0 / 0.0),
        lm_lit_null(),
        lm_lit_string("c"),
        lm_lit_null(),
        lm_lit_int(3),
        lm_lit_null(),
        lm_lit_null(),
        lm_lit_null(),
    };
    lm_df *df = lm_create_dataframe(s, "s STRING, d DOUBLE, i INT", 4, 3, cells);
    if (df == NULL)
        fail_msg("%s", lm_errmsg(s));
    return df;
}

static void test_na_drop_any_all_and_thresh(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *g = gaps(s);
    assert_df_rows(s, lm_df_na_drop(g, "any", -1, 0, NULL), "a\t1.0\t1");
    assert_df_rows(s, lm_df_na_drop(g, "all", -1, 0, NULL), "a\t1.0\t1\nc\tNULL\t3");
    assert_df_rows(s, lm_df_na_drop(g, "any", 2, 0, NULL), "a\t1.0\t1\nc\tNULL\t3");
    const char *sub[] = {"i"};
    assert_df_rows(s, lm_df_na_drop(g, "any", -1, 1, sub), "a\t1.0\t1\nc\tNULL\t3");
    const char *bad[] = {"zz"};
    expect_error(s, lm_df_na_drop(g, "any", -1, 1, bad), "_LEGACY_ERROR_TEMP_1201");
    lm_df_free(g);
    lm_session_close(s);
}

static void test_na_fill_by_type(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *g = gaps(s);
    lm_df *f = lm_df_na_fill_double(g, 2.5, 0, NULL);
    assert_df_schema(f, "struct<s:string,d:double,i:int>");
    assert_df_rows(s, f, "a\t1.0\t1\nNULL\t2.5\t2\nc\t2.5\t3\nNULL\t2.5\t2");
    assert_df_rows(s, lm_df_na_fill_string(g, "?", 0, NULL),
                   "a\t1.0\t1\n?\tNaN\tNULL\nc\tNULL\t3\n?\tNULL\tNULL");
    const char *sub[] = {"i"};
    assert_df_rows(s, lm_df_na_fill_long(g, 0, 1, sub),
                   "a\t1.0\t1\nNULL\tNaN\t0\nc\tNULL\t3\nNULL\tNULL\t0");
    lm_df_free(g);
    lm_session_close(s);
}

static void test_na_replace_strings_and_numbers(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    const char *from[] = {"eng", "hr"}, *to[] = {"engineering", "people"};
    lm_df *r = lm_df_na_replace_string(p, 2, from, to, 0, NULL);
    assert_df_rows(s, lm_df_select(K(r), lm_col("dept"), NULL),
                   "engineering\nops\nengineering\nops\npeople");
    double df_[] = {29}, dt[] = {30};
    assert_df_rows(
        s, lm_df_select(K(lm_df_na_replace_double(p, 1, df_, dt, 0, NULL)), lm_col("age"), NULL),
        "34\n45\n30\nNULL\n30");
    release_kept();
    lm_df_free(p);
    lm_session_close(s);
}

static void test_describe_gives_spark_statistics_as_strings(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *d = lm_df_describe(p, NULL);
    assert_df_schema(d, "struct<summary:string,name:string,age:string,dept:string>");
    assert_df_rows(s, d,
                   "count\t5\t4\t5\n"
                   "mean\tNULL\t34.25\tNULL\n"
                   "stddev\tNULL\t7.544313531837517\tNULL\n"
                   "min\tAlice\t29\teng\n"
                   "max\tEve\t45\tops");
    d = lm_df_describe(p, "age", NULL);
    assert_df_schema(d, "struct<summary:string,age:string>");
    lm_df_free(d);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_summary_with_chosen_statistics(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *a = lm_df_select(p, lm_col("age"), NULL);
    assert_df_rows(s, lm_df_summary(a, "min", "50%", "count_distinct", NULL),
                   "min\t29\n50%\t29\ncount_distinct\t3");
    expect_error(s, lm_df_summary(a, "median", NULL), "(none)");
    lm_df_free(a);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_sample_is_deterministic_for_a_seed(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *r = lm_range(s, 0, 100, 1);
    lm_df *a = lm_df_sample(r, 0.3, 42), *b = lm_df_sample(r, 0.3, 42);
    char *x = df_rows(s, a), *y = df_rows(s, b);
    assert_string_equal(x, y);
    free(x);
    free(y);
    int64_t n = 0;
    lm_df *all = lm_df_sample(r, 1.0, 7), *none = lm_df_sample(r, 0.0, 7);
    assert_int_equal(lm_df_count(all, &n), LM_OK);
    assert_int_equal(n, 100);
    assert_int_equal(lm_df_count(none, &n), LM_OK);
    assert_int_equal(n, 0);
    lm_df_free(all);
    lm_df_free(none);
    expect_error(s, lm_df_sample(r, 1.5, 1), "(none)");
    lm_df_free(r);
    lm_session_close(s);
}

static void test_random_split_partitions_the_rows(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *r = lm_range(s, 0, 50, 1);
    lm_df *parts[3];
    double w[] = {1, 2, 2};
    assert_int_equal(lm_df_random_split(r, 3, w, 11, parts), LM_OK);
    int64_t total = 0;
    for (int i = 0; i < 3; i++) {
        int64_t n = 0;
        assert_int_equal(lm_df_count(parts[i], &n), LM_OK);
        total += n;
    }
    assert_int_equal(total, 50);
    lm_df *u = lm_df_distinct(K(lm_df_union(K(lm_df_union(parts[0], parts[1])), parts[2])));
    int64_t n = 0;
    assert_int_equal(lm_df_count(u, &n), LM_OK);
    assert_int_equal(n, 50);
    lm_df_free(u);
    for (int i = 0; i < 3; i++)
        lm_df_free(parts[i]);
    release_kept();
    lm_df_free(r);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_na_drop_any_all_and_thresh),
        cmocka_unit_test(test_na_fill_by_type),
        cmocka_unit_test(test_na_replace_strings_and_numbers),
        cmocka_unit_test(test_describe_gives_spark_statistics_as_strings),
        cmocka_unit_test(test_summary_with_chosen_statistics),
        cmocka_unit_test(test_sample_is_deterministic_for_a_seed),
        cmocka_unit_test(test_random_split_partitions_the_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
