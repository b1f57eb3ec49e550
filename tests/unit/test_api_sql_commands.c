/*
 * Specification of the SQL commands lm_sql runs itself (api/sql.c): views,
 * tables, INSERT with and without a column list, DROP, SHOW TABLES,
 * CACHE/UNCACHE, SET/RESET and EXPLAIN, with Spark 3.5's results and
 * error classes (TEMP_TABLE_OR_VIEW_ALREADY_EXISTS, TABLE_OR_VIEW_NOT_FOUND,
 * INSERT_COLUMN_ARITY_MISMATCH.*, CREATE_VIEW_COLUMN_ARITY_MISMATCH.* ...).
 * Each test opens its own session so catalog contents do not leak.
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
    *state = fixture_session();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ---------------------------------------------------------- views */

static void test_a_temporary_view_cannot_be_created_twice(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TEMPORARY VIEW v1 AS SELECT 1 AS a");
    assert_rows(s, "CREATE TEMPORARY VIEW v1 AS SELECT 2 AS a",
                "ERROR TEMP_TABLE_OR_VIEW_ALREADY_EXISTS");
    exec_ok(s, "CREATE OR REPLACE TEMPORARY VIEW v1 AS SELECT 2 AS a");
    assert_rows(s, "SELECT * FROM v1", "2");
}

static void test_view_column_lists_must_match_the_query(void **state)
{
    lm_session *s = *state;
    assert_rows(s, "CREATE TEMPORARY VIEW v2(x, y) AS SELECT 1",
                "ERROR CREATE_VIEW_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS");
    assert_rows(s, "CREATE TEMPORARY VIEW v2(x) AS SELECT 1, 2",
                "ERROR CREATE_VIEW_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS");
    exec_ok(s, "CREATE TEMPORARY VIEW v2(x COMMENT 'c', y) AS SELECT 1, 2");
    assert_schema(s, "SELECT * FROM v2", "struct<x:int,y:int>");
}

static void test_a_persistent_view_if_not_exists_keeps_the_first_definition(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE VIEW pv AS SELECT 1 AS a");
    assert_rows(s, "CREATE VIEW pv AS SELECT 1 AS a", "ERROR TABLE_OR_VIEW_ALREADY_EXISTS");
    exec_ok(s, "CREATE VIEW IF NOT EXISTS pv AS SELECT 5 AS a");
    assert_rows(s, "SELECT * FROM pv", "1");
    assert_rows(s, "CREATE VIEW pv2(q, r) AS SELECT 1",
                "ERROR CREATE_VIEW_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS");
}

/* ---------------------------------------------------------- tables */

static void test_create_table_as_select_if_not_exists_and_or_replace(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE t1 AS SELECT 1 AS a, 'x' AS b");
    assert_rows(s, "CREATE TABLE t1 AS SELECT 2 AS a, 'y' AS b",
                "ERROR TABLE_OR_VIEW_ALREADY_EXISTS");
    exec_ok(s, "CREATE TABLE IF NOT EXISTS t1 AS SELECT 2 AS a, 'y' AS b");
    assert_rows(s, "SELECT * FROM t1", "1\tx");
    exec_ok(s, "CREATE OR REPLACE TABLE t1 AS SELECT 3 AS a, 'z' AS b");
    assert_rows(s, "SELECT * FROM t1", "3\tz");
}

static void test_insert_appends_and_overwrite_replaces(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE t2 (a INT, b STRING)");
    exec_ok(s, "INSERT INTO t2 VALUES (1, 'p'), (2, 'q')");
    exec_ok(s, "INSERT INTO t2 SELECT 3, 'r'");
    assert_rows(s, "SELECT * FROM t2 ORDER BY a", "1\tp\n2\tq\n3\tr");
    exec_ok(s, "INSERT OVERWRITE t2 VALUES (9, 'z')");
    assert_rows(s, "SELECT * FROM t2", "9\tz");
}

static void test_insert_with_a_column_list_maps_values_by_name(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE t3 (a INT, b STRING)");
    exec_ok(s, "INSERT INTO t3 (b, a) VALUES ('r', 7)");
    assert_rows(s, "SELECT * FROM t3", "7\tr");
}

static void test_insert_fills_columns_left_out_of_the_list_with_null(void **state)
{
    /* Spark 3.4+: the missing columns take their default, NULL */
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE t4 (a INT, b STRING)");
    exec_ok(s, "INSERT INTO t4 (a) VALUES (8)");
    exec_ok(s, "INSERT INTO t4 (B) SELECT 'x'");
    assert_rows(s, "SELECT * FROM t4 ORDER BY a", "NULL\tx\n8\tNULL");
}

static void test_insert_arity_and_column_list_errors(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE t5 (a INT, b STRING)");
    assert_rows(s, "INSERT INTO t5 VALUES (1)",
                "ERROR INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS");
    assert_rows(s, "INSERT INTO t5 VALUES (1, 'a', 2)",
                "ERROR INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS");
    assert_rows(s, "INSERT INTO t5 (a) VALUES (1, 2)",
                "ERROR INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS");
    assert_rows(s, "INSERT INTO t5 (a, a) VALUES (1, 2)", "ERROR COLUMN_ALREADY_EXISTS");
    assert_rows(s, "INSERT INTO t5 (c) VALUES (1)", "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert_rows(s, "SELECT count(*) FROM t5", "0");
}

static void test_insert_into_a_missing_table_or_a_view_is_not_found(void **state)
{
    lm_session *s = *state;
    assert_rows(s, "INSERT INTO missing VALUES (1)", "ERROR TABLE_OR_VIEW_NOT_FOUND");
    exec_ok(s, "CREATE TEMPORARY VIEW iv AS SELECT 1 AS a");
    assert_rows(s, "INSERT INTO iv VALUES (1)", "ERROR TABLE_OR_VIEW_NOT_FOUND");
}

static void test_drop_of_a_missing_object_needs_if_exists(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE d1 (a INT)");
    exec_ok(s, "DROP TABLE d1");
    assert_rows(s, "DROP TABLE d1", "ERROR TABLE_OR_VIEW_NOT_FOUND");
    exec_ok(s, "DROP TABLE IF EXISTS d1");
    exec_ok(s, "CREATE TEMPORARY VIEW dv AS SELECT 1");
    exec_ok(s, "DROP VIEW dv");
    assert_rows(s, "DROP VIEW dv", "ERROR TABLE_OR_VIEW_NOT_FOUND");
    exec_ok(s, "DROP VIEW IF EXISTS dv");
    assert_rows(s, "SELECT * FROM dv", "ERROR TABLE_OR_VIEW_NOT_FOUND");
}

/* ---------------------------------------------------------- SHOW TABLES */

static void make_catalog(lm_session *s)
{
    exec_ok(s, "CREATE TABLE t2 (a INT)");
    exec_ok(s, "CREATE TABLE t1 (a INT)");
    exec_ok(s, "CREATE TABLE x1 (a INT)");
    exec_ok(s, "CREATE TEMPORARY VIEW v1 AS SELECT 1");
    exec_ok(s, "CREATE TEMPORARY VIEW tv AS SELECT 1");
}

static void test_show_tables_lists_tables_then_temporary_views_by_name(void **state)
{
    lm_session *s = *state;
    make_catalog(s);
    assert_schema(s, "SHOW TABLES", "struct<namespace:string,tableName:string,isTemporary:string>");
    assert_rows(s, "SHOW TABLES",
                "default\tt1\tfalse\ndefault\tt2\tfalse\ndefault\tx1\tfalse\n"
                "\ttv\ttrue\n\tv1\ttrue");
}

static void test_show_tables_like_filters_with_stars_and_alternatives(void **state)
{
    lm_session *s = *state;
    make_catalog(s);
    assert_rows(s, "SHOW TABLES LIKE 't*'", "default\tt1\tfalse\ndefault\tt2\tfalse\n\ttv\ttrue");
    /* case-insensitive, trimmed, '|' separates patterns */
    assert_rows(s, "SHOW TABLES LIKE ' T1|v* '", "default\tt1\tfalse\n\tv1\ttrue");
    /* the rest of the pattern is a regular expression */
    assert_rows(s, "SHOW TABLES LIKE 'x.'", "default\tx1\tfalse");
    assert_rows(s, "SHOW TABLES LIKE '('", "");
}

/* ---------------------------------------------------------- cache, conf */

static void test_cache_and_uncache_need_an_existing_relation(void **state)
{
    lm_session *s = *state;
    exec_ok(s, "CREATE TABLE c1 (a INT)");
    exec_ok(s, "CACHE TABLE c1");
    exec_ok(s, "CACHE LAZY TABLE c1");
    exec_ok(s, "UNCACHE TABLE c1");
    assert_rows(s, "CACHE TABLE nope", "ERROR TABLE_OR_VIEW_NOT_FOUND");
    assert_rows(s, "UNCACHE TABLE nope", "ERROR TABLE_OR_VIEW_NOT_FOUND");
    exec_ok(s, "UNCACHE TABLE IF EXISTS nope");
    exec_ok(s, "CACHE TABLE c3 AS SELECT 1 AS z");
    assert_rows(s, "SELECT * FROM c3", "1");
}

static void test_set_shows_and_reset_restores_a_conf(void **state)
{
    lm_session *s = *state;
    assert_rows(s, "SET spark.sql.shuffle.partitions=5", "spark.sql.shuffle.partitions\t5");
    assert_rows(s, "SET spark.sql.shuffle.partitions", "spark.sql.shuffle.partitions\t5");
    exec_ok(s, "RESET spark.sql.shuffle.partitions");
    assert_rows(s, "SET spark.my.key", "spark.my.key\t<undefined>");
    exec_ok(s, "SET spark.my.key=v");
    exec_ok(s, "RESET");
    assert_rows(s, "SET spark.my.key", "spark.my.key\t<undefined>");
}

static void test_explain_returns_the_plan_as_one_string_row(void **state)
{
    lm_session *s = *state;
    assert_schema(s, "EXPLAIN SELECT 1", "struct<plan:string>");
    char *plan = run_rows(s, "EXPLAIN EXTENDED SELECT 1");
    assert_non_null(strstr(plan, "== Parsed Logical Plan ==\n'Project [unresolvedalias(1, None)]\n"
                                 "+- 'OneRowRelation\n"));
    assert_non_null(strstr(plan, "== Analyzed Logical Plan ==\n1: int\n"));
    assert_non_null(strstr(plan, "== Physical Plan =="));
    free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_temporary_view_cannot_be_created_twice, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_view_column_lists_must_match_the_query, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_persistent_view_if_not_exists_keeps_the_first_definition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_table_as_select_if_not_exists_and_or_replace,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_appends_and_overwrite_replaces, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_insert_with_a_column_list_maps_values_by_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_insert_fills_columns_left_out_of_the_list_with_null,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_arity_and_column_list_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_insert_into_a_missing_table_or_a_view_is_not_found,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_of_a_missing_object_needs_if_exists, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_show_tables_lists_tables_then_temporary_views_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show_tables_like_filters_with_stars_and_alternatives,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_and_uncache_need_an_existing_relation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_set_shows_and_reset_restores_a_conf, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_explain_returns_the_plan_as_one_string_row, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
