/*
 * DataFrame API: sorting, limits, duplicates, set operations, joins,
 * grouping, caching and the row actions, with Spark's results.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/df_fixture.h"

#include "api/df.h"

static lm_df *depts(lm_session *s)
{
    lm_column *cells[] = {lm_lit_string("eng"), lm_lit_string("Engineering"),
                          lm_lit_string("ops"), lm_lit_string("Operations"),
                          lm_lit_string("fin"), lm_lit_string("Finance")};
    return lm_create_dataframe(s, "dept STRING, title STRING", 3, 2, cells);
}

static void test_order_by_defaults_and_explicit_null_order(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *o = lm_df_order_by(p, lm_col("age"), lm_col("name"), NULL);
    assert_true(lm_df_is_sorted(o));
    assert_df_rows(s, o,
                   "Dan\tNULL\tops\nCarol\t29\teng\nEve\t29\thr\nAlice\t34\teng\nBob\t45\tops");
    o = lm_df_sort(p, lm_desc(lm_col("age")), NULL);
    assert_df_rows(s, o,
                   "Bob\t45\tops\nAlice\t34\teng\nCarol\t29\teng\nEve\t29\thr\nDan\tNULL\tops");
    o = lm_df_sort(p, lm_asc_nulls_last(lm_col("age")), lm_desc(lm_col("name")), NULL);
    assert_df_rows(s, o,
                   "Eve\t29\thr\nCarol\t29\teng\nAlice\t34\teng\nBob\t45\tops\nDan\tNULL\tops");
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_order_by_a_column_the_projection_dropped(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *names = lm_df_select(p, lm_col("name"), NULL);
    lm_df *o = lm_df_order_by(names, lm_desc(lm_col("age")), NULL);
    assert_df_schema(o, "struct<name:string>");
    assert_df_rows(s, o, "Bob\nAlice\nCarol\nEve\nDan");
    lm_df_free(names);
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_limit_offset_and_errors(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *o = lm_df_offset(K(lm_df_limit(p, 3)), 1);
    assert_df_rows(s, o, "Bob\t45\tops\nCarol\t29\teng");
    expect_error(s, lm_df_limit(p, -1), "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE");
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_distinct_and_drop_duplicates_keep_first_row(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *d = lm_df_select(p, lm_col("dept"), NULL);
    lm_df *u = lm_df_order_by(K(lm_df_distinct(d)), lm_col("dept"), NULL);
    assert_df_rows(s, u, "eng\nhr\nops");
    lm_df *dd = lm_df_drop_duplicates(p, "dept", NULL);
    assert_df_schema(dd, "struct<name:string,age:int,dept:string>");
    lm_df *sorted = lm_df_order_by(dd, lm_col("dept"), NULL);
    assert_df_rows(s, sorted, "Alice\t34\teng\nEve\t29\thr\nBob\t45\tops");
    lm_df_free(dd);
    expect_error(s, lm_df_drop_duplicates(p, "nope", NULL), "_LEGACY_ERROR_TEMP_1201");
    lm_df_free(d);
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static lm_df *ints(lm_session *s, const char *name, int n, const int *v)
{
    lm_column *cells[16];
    for (int i = 0; i < n; i++)
        cells[i] = lm_lit_int(v[i]);
    return lm_create_dataframe(s, name, n, 1, cells);
}

static void test_union_keeps_duplicates_and_set_ops(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    int av[] = {1, 2, 2, 3}, bv[] = {2, 3, 4};
    lm_df *a = ints(s, "x INT", 4, av), *b = ints(s, "y INT", 3, bv);
    lm_df *u = lm_df_union(a, b);
    assert_df_schema(u, "struct<x:int>");
    assert_df_rows(s, u, "1\n2\n2\n3\n2\n3\n4");
    assert_df_rows(s, lm_df_order_by(K(lm_df_intersect(a, b)), lm_col("x"), NULL), "2\n3");
    assert_df_rows(s, lm_df_order_by(K(lm_df_except_all(a, b)), lm_col("x"), NULL), "1\n2");
    assert_df_rows(s, lm_df_subtract(a, b), "1");
    assert_df_rows(s, lm_df_order_by(K(lm_df_intersect_all(a, b)), lm_col("x"), NULL), "2\n3");
    lm_df_free(a);
    lm_df_free(b);
    release_kept();
    lm_session_close(s);
}

static void test_union_by_name_matches_names_and_fills_missing(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_column *c1[] = {lm_lit_int(1), lm_lit_string("a")};
    lm_column *c2[] = {lm_lit_string("b"), lm_lit_int(2)};
    lm_column *c3[] = {lm_lit_int(3), lm_lit_long(30)};
    lm_df *a = lm_create_dataframe(s, "id INT, v STRING", 1, 2, c1);
    lm_df *b = lm_create_dataframe(s, "v STRING, id INT", 1, 2, c2);
    lm_df *c = lm_create_dataframe(s, "id INT, w BIGINT", 1, 2, c3);
    lm_df *u = lm_df_union_by_name(a, b, false);
    assert_df_schema(u, "struct<id:int,v:string>");
    assert_df_rows(s, u, "1\ta\n2\tb");
    expect_error(s, lm_df_union_by_name(a, c, false), "_LEGACY_ERROR_TEMP_1201");
    u = lm_df_union_by_name(a, c, true);
    assert_df_schema(u, "struct<id:int,v:string,w:bigint>");
    assert_df_rows(s, u, "1\ta\tNULL\n3\tNULL\t30");
    lm_df_free(a);
    lm_df_free(b);
    lm_df_free(c);
    release_kept();
    lm_session_close(s);
}

static void test_join_using_column_names_gives_using_output(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s), *d = depts(s);
    const char *on[] = {"dept"};
    lm_df *j = lm_df_join_using(p, d, 1, on, "inner");
    assert_df_schema(j, "struct<dept:string,name:string,age:int,title:string>");
    assert_df_rows(s, lm_df_order_by(j, lm_col("name"), NULL),
                   "eng\tAlice\t34\tEngineering\nops\tBob\t45\tOperations\n"
                   "eng\tCarol\t29\tEngineering\nops\tDan\tNULL\tOperations");
    lm_df *f = lm_df_join_using(p, d, 1, on, "full_outer");
    assert_df_rows(s,
                   lm_df_order_by(K(lm_df_select(f, lm_col("dept"), lm_col("name"), NULL)),
                                  lm_col("dept"), lm_col("name"), NULL),
                   "eng\tAlice\neng\tCarol\nfin\tNULL\nhr\tEve\nops\tBob\nops\tDan");
    lm_df_free(j);
    lm_df_free(f);
    assert_df_rows(
        s, lm_df_select(K(lm_df_join_using(p, d, 1, on, "left_anti")), lm_col("name"), NULL),
        "Eve");
    assert_df_rows(s, lm_df_select(K(lm_df_join_using(p, d, 1, on, "semi")), lm_col("name"), NULL),
                   "Alice\nBob\nCarol\nDan");
    expect_error(s, lm_df_join_using(p, d, 1, on, "sideways"), "UNSUPPORTED_JOIN_TYPE");
    lm_df_free(p);
    lm_df_free(d);
    release_kept();
    lm_session_close(s);
}

static void test_join_on_expression_with_dataframe_columns(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s), *d = depts(s);
    lm_df *j = lm_df_join(p, d, lm_eq(lm_df_col(p, "dept"), lm_df_col(d, "dept")), "left");
    assert_df_schema(j, "struct<name:string,age:int,dept:string,dept:string,title:string>");
    lm_df *sel = lm_df_select(j, lm_col("name"), lm_col("title"), NULL);
    assert_df_rows(s, sel,
                   "Alice\tEngineering\nBob\tOperations\nCarol\tEngineering\n"
                   "Dan\tOperations\nEve\tNULL");
    expect_error(s, lm_df_select(j, lm_col("dept"), NULL), "AMBIGUOUS_REFERENCE");
    lm_df_free(j);
    lm_df *x = lm_df_cross_join(d, d);
    int64_t n = 0;
    assert_int_equal(lm_df_count(x, &n), LM_OK);
    assert_int_equal(n, 9);
    lm_df_free(x);
    lm_df *pa = lm_df_alias(p, "p"), *da = lm_df_alias(d, "d");
    j = lm_df_join(pa, da, lm_expr_parse("p.dept = d.dept AND d.title LIKE 'E%'"), "inner");
    assert_df_rows(s, lm_df_select(j, lm_col("p.name"), lm_col("d.dept"), NULL),
                   "Alice\teng\nCarol\teng");
    lm_df_free(j);
    lm_df_free(pa);
    lm_df_free(da);
    lm_df_free(p);
    lm_df_free(d);
    release_kept();
    lm_session_close(s);
}

static void test_group_by_agg_names_columns_as_spark(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *g = lm_grouped_agg(lm_df_group_by(p, lm_col("dept"), NULL),
                              lm_fn("sum", lm_col("age"), NULL), lm_fn("avg", lm_col("age"), NULL),
                              lm_alias(lm_fn("max", lm_col("name"), NULL), "last_name"),
                              lm_count_star(), NULL);
    assert_df_schema(g, "struct<dept:string,sum(age):bigint,avg(age):double,last_name:string,"
                        "count(1):bigint>");
    assert_df_rows(s, lm_df_order_by(g, lm_col("dept"), NULL),
                   "eng\t63\t31.5\tCarol\t2\nhr\t29\t29.0\tEve\t1\nops\t45\t45.0\tDan\t2");
    lm_df_free(g);
    g = lm_grouped_count(lm_df_group_by(p, lm_col("dept"), NULL));
    assert_df_schema(g, "struct<dept:string,count:bigint>");
    lm_df_free(g);
    g = lm_grouped_max(lm_df_group_by(p, lm_col("dept"), NULL), NULL);
    assert_df_schema(g, "struct<dept:string,max(age):int>");
    lm_df_free(g);
    g = lm_df_agg(p, lm_fn("min", lm_col("age"), NULL),
                  lm_fn_distinct("count", lm_col("dept"), NULL), NULL);
    assert_df_schema(g, "struct<min(age):int,count(DISTINCT dept):bigint>");
    assert_df_rows(s, g, "29\t3");
    expect_error(s, lm_grouped_sum(lm_df_group_by(p, lm_col("dept"), NULL), "name", NULL),
                 "_LEGACY_ERROR_TEMP_1306");
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_cache_computes_once_for_derived_dataframes(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *base = lm_df_cache(lm_df_filter_expr(p, "age > 20"));
    assert_true(lm_df_is_cached(base));
    lm_df *a = lm_df_select(base, lm_col("name"), NULL);
    lm_df *b = lm_df_filter_expr(base, "dept = 'eng'");
    int64_t n = 0;
    assert_null(base->result);
    assert_int_equal(lm_df_count(a, &n), LM_OK);
    assert_int_equal(n, 4);
    /* running `a` materialised the cached parent, which `b` then reads */
    assert_non_null(base->result);
    struct lm_table *first = base->result;
    assert_df_rows(s, b, "Alice\t34\teng\nCarol\t29\teng");
    assert_ptr_equal(base->result, first);
    lm_df_unpersist(base);
    assert_false(lm_df_is_cached(base));
    lm_df_free(a);
    lm_df_free(base);
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_first_head_take_tail(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_rows *r = NULL;
    assert_int_equal(lm_df_first(p, &r), LM_OK);
    assert_int_equal(lm_rows_count(r), 1);
    char *c = lm_rows_render(r, 0, 0, LM_RENDER_HIVE);
    assert_string_equal(c, "Alice");
    free(c);
    lm_rows_free(r);
    assert_int_equal(lm_df_take(p, 2, &r), LM_OK);
    assert_int_equal(lm_rows_count(r), 2);
    lm_rows_free(r);
    assert_int_equal(lm_df_tail(p, 2, &r), LM_OK);
    assert_int_equal(lm_rows_count(r), 2);
    c = lm_rows_render(r, 0, 0, LM_RENDER_HIVE);
    assert_string_equal(c, "Dan");
    free(c);
    assert_true(lm_rows_is_null(r, 0, 1));
    lm_rows_free(r);
    lm_df *empty = lm_df_filter_expr(p, "age > 100");
    assert_int_equal(lm_df_first(empty, &r), LM_OK);
    assert_int_equal(lm_rows_count(r), 0);
    lm_rows_free(r);
    lm_df_free(empty);
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_show_of_a_derived_dataframe(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *df = lm_df_select(K(lm_df_filter_expr(p, "dept = 'eng'")), lm_col("name"),
                             lm_add(lm_col("age"), lm_lit_int(1)), NULL);
    char *t = lm_df_show_string(df, 20, 20, false);
    assert_string_equal(t, "+-----+---------+\n"
                           "| name|(age + 1)|\n"
                           "+-----+---------+\n"
                           "|Alice|       35|\n"
                           "|Carol|       30|\n"
                           "+-----+---------+\n");
    free(t);
    lm_df_free(df);
    lm_df_free(p);
    release_kept();
    lm_session_close(s);
}

static void test_range_and_table_and_temp_view(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *r = lm_range(s, 0, 5, 2);
    assert_df_schema(r, "struct<id:bigint>");
    assert_int_equal(lm_df_create_or_replace_temp_view(r, "evens"), LM_OK);
    assert_df_rows(s, r, "0\n2\n4");
    assert_rows(s, "SELECT sum(id) FROM evens", "6");
    lm_df *t = lm_read_table(s, "evens");
    assert_df_rows(s, lm_df_filter_expr(t, "id > 0"), "2\n4");
    lm_df_free(t);
    expect_error(s, lm_read_table(s, "nope"), "TABLE_OR_VIEW_NOT_FOUND");
    release_kept();
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_by_defaults_and_explicit_null_order),
        cmocka_unit_test(test_order_by_a_column_the_projection_dropped),
        cmocka_unit_test(test_limit_offset_and_errors),
        cmocka_unit_test(test_distinct_and_drop_duplicates_keep_first_row),
        cmocka_unit_test(test_union_keeps_duplicates_and_set_ops),
        cmocka_unit_test(test_union_by_name_matches_names_and_fills_missing),
        cmocka_unit_test(test_join_using_column_names_gives_using_output),
        cmocka_unit_test(test_join_on_expression_with_dataframe_columns),
        cmocka_unit_test(test_group_by_agg_names_columns_as_spark),
        cmocka_unit_test(test_cache_computes_once_for_derived_dataframes),
        cmocka_unit_test(test_first_head_take_tail),
        cmocka_unit_test(test_show_of_a_derived_dataframe),
        cmocka_unit_test(test_range_and_table_and_temp_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
