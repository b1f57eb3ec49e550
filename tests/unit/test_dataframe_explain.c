/*
 * explain() and SQL EXPLAIN: Spark's section headers, tree indentation and
 * name#id attributes, ids numbered leaves-first from 0 (explain.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/df_fixture.h"

static void test_extended_explain_of_select_over_filter(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *f = lm_df_filter_expr(p, "age > 30");
    lm_df *a = lm_df_select(f, lm_col("name"),
                            lm_alias(lm_add(lm_col("age"), lm_lit_int(1)), "next"), NULL);
    char *t = lm_df_explain_string(a, "extended");
    assert_string_equal(t, "== Parsed Logical Plan ==\n"
                           "'Project ['name, ('age + 1) AS next#3]\n"
                           "+- Filter (age#1 > 30)\n"
                           "   +- LocalRelation [name#0, age#1, dept#2]\n"
                           "\n"
                           "== Analyzed Logical Plan ==\n"
                           "name: string, next: int\n"
                           "Project [name#0, (age#1 + 1) AS next#3]\n"
                           "+- Filter (age#1 > 30)\n"
                           "   +- LocalRelation [name#0, age#1, dept#2]\n"
                           "\n"
                           "== Optimized Logical Plan ==\n"
                           "LocalRelation [name#0, next#3]\n"
                           "\n"
                           "== Physical Plan ==\n"
                           "LocalTableScan [name#0, next#3]\n");
    free(t);
    t = lm_df_explain_string(a, "simple");
    assert_string_equal(t, "== Physical Plan ==\nLocalTableScan [name#0, next#3]\n");
    free(t);
    lm_df_free(a);
    lm_df_free(f);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_explain_of_sorted_aggregate_shows_exchanges(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *g = lm_grouped_agg(lm_df_group_by(p, lm_col("dept"), NULL),
                              lm_fn("sum", lm_col("age"), NULL), NULL);
    lm_df *o = lm_df_order_by(g, lm_col("dept"), NULL);
    char *t = lm_df_explain_string(o, "extended");
    assert_string_equal(
        t, "== Parsed Logical Plan ==\n"
           "'Sort ['dept ASC NULLS FIRST], true\n"
           "+- Aggregate [dept#2], [dept#2, sum(age#1) AS sum(age)#3L]\n"
           "   +- LocalRelation [name#0, age#1, dept#2]\n"
           "\n"
           "== Analyzed Logical Plan ==\n"
           "dept: string, sum(age): bigint\n"
           "Sort [dept#2 ASC NULLS FIRST], true\n"
           "+- Aggregate [dept#2], [dept#2, sum(age#1) AS sum(age)#3L]\n"
           "   +- LocalRelation [name#0, age#1, dept#2]\n"
           "\n"
           "== Optimized Logical Plan ==\n"
           "Sort [dept#2 ASC NULLS FIRST], true\n"
           "+- Aggregate [dept#2], [dept#2, sum(age#1) AS sum(age)#3L]\n"
           "   +- LocalRelation [name#0, age#1, dept#2]\n"
           "\n"
           "== Physical Plan ==\n"
           "AdaptiveSparkPlan isFinalPlan=false\n"
           "+- *(1) Sort [dept#2 ASC NULLS FIRST], true, 0\n"
           "   +- Exchange rangepartitioning(dept#2 ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, "
           "[plan_id=1]\n"
           "      +- *(2) HashAggregate(keys=[dept#2], functions=[sum(age#1)])\n"
           "         +- Exchange hashpartitioning(dept#2, 200), ENSURE_REQUIREMENTS, [plan_id=2]\n"
           "            +- *(3) HashAggregate(keys=[dept#2], functions=[partial_sum(age#1)])\n"
           "               +- LocalTableScan [name#0, age#1, dept#2]\n");
    free(t);
    lm_df_free(o);
    lm_df_free(g);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_explain_join_prints_both_sides(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_column *c1[] = {lm_lit_long(1)}, *c2[] = {lm_lit_long(1)};
    lm_df *a = lm_create_dataframe(s, "k BIGINT", 1, 1, c1);
    lm_df *b = lm_create_dataframe(s, "k BIGINT", 1, 1, c2);
    lm_df *j = lm_df_join(a, b, lm_eq(lm_df_col(a, "k"), lm_df_col(b, "k")), "inner");
    char *t = lm_df_explain_string(j, "extended");
    const char *analyzed = "== Analyzed Logical Plan ==\n"
                           "k: bigint, k: bigint\n"
                           "Join Inner, (k#0L = k#1L)\n"
                           ":- LocalRelation [k#0L]\n"
                           "+- LocalRelation [k#1L]\n";
    assert_non_null(strstr(t, analyzed));
    free(t);
    lm_df_free(j);
    lm_df_free(a);
    lm_df_free(b);
    lm_session_close(s);
}

static void test_explain_limit_is_global_over_local(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *l = lm_df_limit(p, 2);
    char *t = lm_df_explain_string(l, "extended");
    assert_non_null(strstr(t, "== Analyzed Logical Plan ==\n"
                              "name: string, age: int, dept: string\n"
                              "GlobalLimit 2\n"
                              "+- LocalLimit 2\n"
                              "   +- LocalRelation [name#0, age#1, dept#2]\n"));
    free(t);
    assert_null(lm_df_explain_string(l, "verbose"));
    lm_df_free(l);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_sql_explain_returns_one_plan_row(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    assert_schema(s, "EXPLAIN SELECT 1 AS a", "struct<plan:string>");
    assert_rows(s, "EXPLAIN EXTENDED SELECT a + 1 AS b FROM VALUES (1), (2) AS t(a) WHERE a > 1",
                "== Parsed Logical Plan ==\n"
                "'Project [('a + 1) AS b#1]\n"
                "+- 'Filter ('a > 1)\n"
                "   +- 'SubqueryAlias t\n"
                "      +- 'UnresolvedInlineTable\n"
                "\n"
                "== Analyzed Logical Plan ==\n"
                "b: int\n"
                "Project [(a#0 + 1) AS b#1]\n"
                "+- Filter (a#0 > 1)\n"
                "   +- SubqueryAlias t\n"
                "      +- LocalRelation [a#0]\n"
                "\n"
                "== Optimized Logical Plan ==\n"
                "LocalRelation [b#1]\n"
                "\n"
                "== Physical Plan ==\n"
                "LocalTableScan [b#1]\n");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extended_explain_of_select_over_filter),
        cmocka_unit_test(test_explain_of_sorted_aggregate_shows_exchanges),
        cmocka_unit_test(test_explain_join_prints_both_sides),
        cmocka_unit_test(test_explain_limit_is_global_over_local),
        cmocka_unit_test(test_sql_explain_returns_one_plan_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
