/*
 * End-to-end SQL queries through lm_sql: name resolution, projections,
 * filters, joins, set operations, ordering and the catalog statements,
 * with the rows, schemas and error classes Spark gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

static int setup(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW t AS SELECT * FROM VALUES (1, 'a', 2.5), (2, 'b', NULL), "
               "(1, 'c', 3.0) AS t(k, v, d)");
    exec_ok(s, "CREATE TEMPORARY VIEW u AS SELECT * FROM VALUES (1, 'one'), (3, 'three') AS u(k, name)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_literal_columns_are_named_as_spark_prints_them(void **state)
{
    assert_schema(*state, "SELECT 1, 'x', 1.5, 2L, NULL, true",
                  "struct<1:int,x:string,1.5:decimal(2,1),2:bigint,NULL:void,true:boolean>");
}

static void test_arithmetic_names_and_types(void **state)
{
    assert_schema(*state, "SELECT k + 1, k * d, -k, k / 2 FROM t",
                  "struct<(k + 1):int,(k * d):decimal(13,1),(- k):int,(k / 2):double>");
}

static void test_where_filters_with_three_valued_logic(void **state)
{
    assert_rows(*state, "SELECT v FROM t WHERE d > 2.6 OR d IS NULL ORDER BY v", "b\nc");
}

static void test_order_by_desc_puts_nulls_last(void **state)
{
    assert_rows(*state, "SELECT d FROM t ORDER BY d DESC", "3.0\n2.5\nNULL");
}

static void test_order_by_asc_puts_nulls_first(void **state)
{
    assert_rows(*state, "SELECT d FROM t ORDER BY d", "NULL\n2.5\n3.0");
}

static void test_order_by_column_not_in_select_list(void **state)
{
    assert_rows(*state, "SELECT v FROM t ORDER BY d DESC NULLS FIRST", "b\nc\na");
}

/* ORDER BY ALL sorts by every output column with the item's direction;
   a column or alias named `all` wins, an outer column does not (Spark's
   ResolveReferencesInSort order); SORT BY has no ALL form. */
static void test_order_by_all(void **state)
{
    assert_rows(*state, "SELECT k, v FROM t ORDER BY ALL", "1\ta\n1\tc\n2\tb");
    assert_rows(*state, "SELECT k, d FROM t ORDER BY ALL DESC NULLS LAST",
                "2\tNULL\n1\t3.0\n1\t2.5");
    assert_rows(*state, "SELECT k, count(*) FROM t GROUP BY k ORDER BY all DESC",
                "2\t1\n1\t2");
    assert_rows(*state, "SELECT k FROM u UNION ALL SELECT k FROM t ORDER BY ALL",
                "1\n1\n1\n2\n3");
    assert_rows(*state, "SELECT v, k AS all FROM t ORDER BY all DESC, v", "b\t2\na\t1\nc\t1");
    assert_rows(*state, "SELECT v, k AS all FROM t ORDER BY all DESC", "b\t2\na\t1\nc\t1");
    assert_rows(*state, "SELECT v FROM (SELECT v, d AS all FROM t) x ORDER BY all", "b\na\nc");
    assert_rows(*state, "SELECT (SELECT v FROM t ORDER BY all DESC LIMIT 1) FROM "
                        "(SELECT 7 AS all) o", "c");
    assert_rows(*state, "SELECT v FROM t SORT BY all", "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

/* An ORDER BY name over an aggregate reads its output, or a grouped input
   column; any other input column is unresolved (as in HAVING). */
static void test_order_by_over_an_aggregate(void **state)
{
    assert_rows(*state, "SELECT count(*) c FROM t GROUP BY k ORDER BY k", "2\n1");
    assert_rows(*state, "SELECT count(*) c FROM t GROUP BY k ORDER BY max(d) DESC, c", "2\n1");
    assert_rows(*state, "SELECT sum(k) s FROM t ORDER BY k",
                "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert_rows(*state, "SELECT v, count(*) FROM t GROUP BY v ORDER BY d",
                "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

/* A WITH inside a subquery defines CTEs that may read the enclosing
   query's columns; a top-level CTE cannot. */
static void test_cte_in_a_subquery_reads_outer_columns(void **state)
{
    assert_rows(*state, "SELECT k, (WITH x AS (SELECT * FROM u WHERE u.k = t.k) SELECT max(name) "
                        "FROM x) FROM t ORDER BY v",
                "1\tone\n2\tNULL\n1\tone");
    assert_rows(*state, "WITH x AS (SELECT * FROM u WHERE u.k = t.k) SELECT k, (SELECT max(name) "
                        "FROM x) FROM t",
                "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

/* current_date, current_timestamp and current_user (user, session_user)
   need no braces when no column has the name; a column wins. */
static void test_literal_functions_without_braces(void **state)
{
    assert_rows(*state, "SELECT current_date = current_date(), user = current_user(), "
                        "session_user = current_user(), CURRENT_TIMESTAMP IS NOT NULL",
                "true\ttrue\ttrue\ttrue");
    char *schema = run_schema(*state, "SELECT current_date, current_timestamp FROM t LIMIT 1");
    assert_string_equal(schema, "struct<current_date():date,current_timestamp():timestamp>");
    free(schema);
    assert_rows(*state, "SELECT current_date FROM (SELECT 5 AS current_date) x", "5");
    assert_rows(*state, "SELECT count(*) OVER (ORDER BY current_date) FROM u", "2\n2");
}

/* assert_true's default message quotes a cast as Spark's Cast.toString. */
static void test_assert_true_names_a_cast_as_spark_prints_it(void **state)
{
    char *schema = run_schema(*state, "SELECT assert_true(true), assert_true(boolean(k)) FROM t");
    assert_string_equal(schema, "struct<assert_true(true, 'true' is not true!):void,"
                                "assert_true(k, 'cast(k as boolean)' is not true!):void>");
    free(schema);
}

/* Seeded generators start afresh with every query and every run of a
   subquery; an uncorrelated subquery runs once per query, as Spark runs
   it (so rand() inside it has one set of values). */
static void test_seeded_generators_and_subqueries_run_as_spark_runs_them(void **state)
{
    char *a = run_rows(*state, "SELECT rand(7), randn(7), shuffle(array(1, 2, 3, 4, 5), 3)");
    char *b = run_rows(*state, "SELECT rand(7), randn(7), shuffle(array(1, 2, 3, 4, 5), 3)");
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_rows(*state, "WITH r AS (SELECT k, rand(0) AS x FROM t) "
                        "SELECT count(*) FROM r WHERE x IN (SELECT x FROM r)", "3");
    assert_rows(*state, "WITH r AS (SELECT rand(0) AS x FROM t) "
                        "SELECT count(DISTINCT (SELECT sum(x) FROM r)) FROM t", "1");
    assert_rows(*state, "SELECT v, (SELECT count(*) FROM u WHERE u.k = t.k) FROM t ORDER BY v",
                "a\t1\nb\t0\nc\t1");
}

static void test_limit_and_offset(void **state)
{
    assert_rows(*state, "SELECT v FROM t ORDER BY v LIMIT 2 OFFSET 1", "b\nc");
}

static void test_inner_join_on_condition(void **state)
{
    assert_rows(*state, "SELECT t.v, u.name FROM t JOIN u ON t.k = u.k ORDER BY t.v",
                "a\tone\nc\tone");
}

static void test_left_join_keeps_unmatched_rows(void **state)
{
    assert_rows(*state, "SELECT t.v, u.name FROM t LEFT JOIN u ON t.k = u.k ORDER BY t.v",
                "a\tone\nb\tNULL\nc\tone");
}

static void test_full_join_using_coalesces_the_key(void **state)
{
    assert_schema(*state, "SELECT * FROM t FULL JOIN u USING (k)",
                  "struct<k:int,v:string,d:decimal(2,1),name:string>");
    assert_rows(*state, "SELECT k, name FROM t FULL JOIN u USING (k) ORDER BY k, name",
                "1\tone\n1\tone\n2\tNULL\n3\tthree");
}

static void test_qualified_star_after_using_join_keeps_each_sides_key(void **state)
{
    assert_schema(*state, "SELECT u.*, t.k FROM t JOIN u USING (k)",
                  "struct<k:int,name:string,k:int>");
    assert_rows(*state, "SELECT u.k, u.name FROM t RIGHT JOIN u USING (k) ORDER BY u.k, t.v",
                "1\tone\n1\tone\n3\tthree");
}

static void test_semi_and_anti_joins(void **state)
{
    assert_rows(*state, "SELECT v FROM t LEFT SEMI JOIN u ON t.k = u.k ORDER BY v", "a\nc");
    assert_rows(*state, "SELECT v FROM t LEFT ANTI JOIN u ON t.k = u.k", "b");
}

static void test_union_removes_duplicates_and_union_all_keeps_them(void **state)
{
    assert_rows(*state, "SELECT k FROM t UNION SELECT k FROM u ORDER BY k", "1\n2\n3");
    assert_rows(*state, "SELECT k FROM t UNION ALL SELECT k FROM u ORDER BY k", "1\n1\n1\n2\n3");
}

static void test_intersect_and_except(void **state)
{
    assert_rows(*state, "SELECT k FROM t INTERSECT SELECT k FROM u", "1");
    assert_rows(*state, "SELECT k FROM t EXCEPT SELECT k FROM u", "2");
    assert_rows(*state, "SELECT k FROM t INTERSECT ALL SELECT k FROM VALUES 1, 1, 1 AS x(k)",
                "1\n1");
}

static void test_union_widens_column_types(void **state)
{
    assert_schema(*state, "SELECT 1 AS x UNION SELECT 2L", "struct<x:bigint>");
}

static void test_like_any_all_and_their_negations(void **state)
{
    assert_rows(*state, "SELECT v FROM t WHERE v LIKE ANY ('a%', 'c') ORDER BY v", "a\nc");
    assert_rows(*state, "SELECT v FROM t WHERE v NOT ILIKE ALL ('A', 'B') ORDER BY v", "c");
    assert_rows(*state, "SELECT 'x' LIKE ALL ('x', NULL), 'x' LIKE ANY ('y', NULL), "
                        "'x' LIKE ANY ('x', NULL)",
                "NULL\tNULL\ttrue");
}

static void test_in_list_and_case(void **state)
{
    assert_rows(*state,
                "SELECT v, CASE WHEN k IN (2, 3) THEN 'hit' ELSE 'miss' END FROM t ORDER BY v",
                "a\tmiss\nb\thit\nc\tmiss");
}

static void test_scalar_and_correlated_subqueries(void **state)
{
    assert_rows(*state, "SELECT (SELECT k FROM u WHERE name = 'three')", "3");
    assert_rows(*state,
                "SELECT v FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k) ORDER BY v",
                "a\nc");
    assert_rows(*state, "SELECT v FROM t WHERE k IN (SELECT k FROM u) ORDER BY v", "a\nc");
    assert_rows(*state, "SELECT v FROM t WHERE k NOT IN (SELECT k FROM u)", "b");
}

static void test_correlated_subquery_over_an_aggregate_reads_group_keys(void **state)
{
    assert_rows(*state,
                "SELECT d, k FROM t GROUP BY d, k HAVING EXISTS (SELECT 1 FROM u WHERE u.k = t.k) "
                "ORDER BY d",
                "2.5\t1\n3.0\t1");
}

static void test_outer_aggregate_in_a_having_subquery_is_computed_by_the_outer_query(void **state)
{
    /* min(t.d) belongs to the outer GROUP BY k: 2.5 for k = 1, NULL for k = 2 */
    assert_rows(*state,
                "SELECT k FROM t GROUP BY k HAVING EXISTS (SELECT 1 FROM u WHERE u.k < min(t.d)) "
                "ORDER BY k",
                "1");
}

static void test_correlated_set_operation_in_exists_is_refused(void **state)
{
    assert_rows(*state,
                "SELECT v FROM t WHERE EXISTS (SELECT k FROM u WHERE u.k = t.k UNION "
                "SELECT k FROM u WHERE u.k = t.k + 1)",
                "ERROR UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.ACCESSING_OUTER_QUERY_COLUMN_IS_NOT_"
                "ALLOWED");
}

static void test_cte_is_visible_in_its_query(void **state)
{
    assert_rows(*state, "WITH x AS (SELECT k * 10 AS k10 FROM t) SELECT k10 FROM x ORDER BY 1",
                "10\n10\n20");
}

static void test_nested_cte_redefining_an_outer_name_is_ambiguous_by_default(void **state)
{
    assert_rows(*state, "WITH t AS (SELECT 1), t2 AS (WITH t AS (SELECT 2) SELECT * FROM t) "
                        "SELECT * FROM t2",
                "ERROR AMBIGUOUS_ALIAS_IN_NESTED_CTE");
}

static void test_group_by_ordinal_with_star_is_refused(void **state)
{
    assert_rows(*state, "SELECT * FROM t GROUP BY k, v, d, 1", "ERROR STAR_GROUP_BY_POS");
}

static void test_unknown_column_reports_suggestions(void **state)
{
    lm_session *s = *state;
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT kk FROM t", &df), LM_ERROR);
    assert_string_equal(lm_errclass(s), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert_string_equal(lm_sqlstate(s), "42703");
    const char *name, *value;
    assert_true(lm_errparam(s, 0, &name, &value));
    assert_string_equal(name, "objectName");
    assert_string_equal(value, "`kk`");
}

static void test_unknown_table_is_table_or_view_not_found(void **state)
{
    assert_rows(*state, "SELECT * FROM nope", "ERROR TABLE_OR_VIEW_NOT_FOUND");
}

static void test_syntax_error_is_parse_syntax_error(void **state)
{
    assert_rows(*state, "SELECT FROM WHERE", "ERROR PARSE_SYNTAX_ERROR");
}

static void test_ambiguous_column_in_join(void **state)
{
    assert_rows(*state, "SELECT k FROM t JOIN u ON t.k = u.k", "ERROR AMBIGUOUS_REFERENCE");
}

static void test_create_table_insert_and_select(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE tab (id INT, name STRING) USING parquet");
    exec_ok(s, "INSERT INTO tab VALUES (1, 'x'), (2, NULL)");
    exec_ok(s, "INSERT INTO tab SELECT 3, 'z'");
    assert_rows(s, "SELECT * FROM tab ORDER BY id", "1\tx\n2\tNULL\n3\tz");
    exec_ok(s, "DROP TABLE tab");
    assert_rows(s, "SELECT * FROM tab", "ERROR TABLE_OR_VIEW_NOT_FOUND");
}

static void test_describe_lists_columns_types_and_comments(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE described (id INT COMMENT 'the id', tags ARRAY<STRING>) USING parquet");
    assert_schema(s, "DESCRIBE described", "struct<col_name:string,data_type:string,comment:string>");
    assert_rows(s, "DESCRIBE TABLE described", "id\tint\tthe id\ntags\tarray<string>\tNULL");
    assert_rows(s, "DESC QUERY SELECT id + 1 AS n FROM described", "n\tint\tNULL");
    exec_ok(s, "DROP TABLE described");
    assert_rows(s, "DESCRIBE described", "ERROR TABLE_OR_VIEW_NOT_FOUND");
}

static void test_set_echoes_key_and_value(void **state)
{
    assert_rows(*state, "SET spark.sql.shuffle.partitions=4", "spark.sql.shuffle.partitions\t4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_columns_are_named_as_spark_prints_them),
        cmocka_unit_test(test_arithmetic_names_and_types),
        cmocka_unit_test(test_where_filters_with_three_valued_logic),
        cmocka_unit_test(test_order_by_desc_puts_nulls_last),
        cmocka_unit_test(test_order_by_asc_puts_nulls_first),
        cmocka_unit_test(test_order_by_column_not_in_select_list),
        cmocka_unit_test(test_order_by_all),
        cmocka_unit_test(test_order_by_over_an_aggregate),
        cmocka_unit_test(test_cte_in_a_subquery_reads_outer_columns),
        cmocka_unit_test(test_literal_functions_without_braces),
        cmocka_unit_test(test_assert_true_names_a_cast_as_spark_prints_it),
        cmocka_unit_test(test_seeded_generators_and_subqueries_run_as_spark_runs_them),
        cmocka_unit_test(test_limit_and_offset),
        cmocka_unit_test(test_inner_join_on_condition),
        cmocka_unit_test(test_left_join_keeps_unmatched_rows),
        cmocka_unit_test(test_full_join_using_coalesces_the_key),
        cmocka_unit_test(test_qualified_star_after_using_join_keeps_each_sides_key),
        cmocka_unit_test(test_semi_and_anti_joins),
        cmocka_unit_test(test_union_removes_duplicates_and_union_all_keeps_them),
        cmocka_unit_test(test_intersect_and_except),
        cmocka_unit_test(test_union_widens_column_types),
        cmocka_unit_test(test_like_any_all_and_their_negations),
        cmocka_unit_test(test_in_list_and_case),
        cmocka_unit_test(test_scalar_and_correlated_subqueries),
        cmocka_unit_test(test_correlated_subquery_over_an_aggregate_reads_group_keys),
        cmocka_unit_test(test_outer_aggregate_in_a_having_subquery_is_computed_by_the_outer_query),
        cmocka_unit_test(test_correlated_set_operation_in_exists_is_refused),
        cmocka_unit_test(test_cte_is_visible_in_its_query),
        cmocka_unit_test(test_nested_cte_redefining_an_outer_name_is_ambiguous_by_default),
        cmocka_unit_test(test_group_by_ordinal_with_star_is_refused),
        cmocka_unit_test(test_unknown_column_reports_suggestions),
        cmocka_unit_test(test_unknown_table_is_table_or_view_not_found),
        cmocka_unit_test(test_syntax_error_is_parse_syntax_error),
        cmocka_unit_test(test_ambiguous_column_in_join),
        cmocka_unit_test(test_create_table_insert_and_select),
        cmocka_unit_test(test_describe_lists_columns_types_and_comments),
        cmocka_unit_test(test_set_echoes_key_and_value),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
