/*
 * Generators through lm_sql: explode, posexplode, inline, stack and their
 * _outer forms, in a SELECT list (Spark's ExtractGenerator), in LATERAL
 * VIEW [OUTER] and as table-valued functions, with Spark's generated
 * column names, row order and errors.
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
    exec_ok(s, "CREATE TEMPORARY VIEW t AS SELECT * FROM VALUES "
               "(1, array(10, 20), map('a', 1)), (2, array(), map()), (3, NULL, NULL) "
               "AS t(id, arr, m)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ----------------------------------------------------- in a SELECT list */

static void test_explode_array_names_its_column_col(void **state)
{
    assert_schema(*state, "SELECT explode(array(10, 20))", "struct<col:int>");
    assert_rows(*state, "SELECT explode(array(10, 20))", "10\n20");
}

static void test_explode_map_yields_key_and_value(void **state)
{
    assert_schema(*state, "SELECT explode(map('a', 1, 'b', 2))", "struct<key:string,value:int>");
    assert_rows(*state, "SELECT explode(map('a', 1, 'b', 2))", "a\t1\nb\t2");
}

static void test_posexplode_numbers_from_zero(void **state)
{
    assert_schema(*state, "SELECT posexplode(array(10, 20))", "struct<pos:int,col:int>");
    assert_rows(*state, "SELECT posexplode(array(10, 20))", "0\t10\n1\t20");
}

static void test_generator_keeps_other_select_items(void **state)
{
    assert_schema(*state, "SELECT id, explode(arr) AS x, id + 1 FROM t",
                  "struct<id:int,x:int,(id + 1):int>");
    assert_rows(*state, "SELECT id, explode(arr) AS x, id + 1 FROM t", "1\t10\t2\n1\t20\t2");
}

static void test_multi_alias_names_every_generated_column(void **state)
{
    assert_schema(*state, "SELECT posexplode(map('a', 1)) AS (p, k, v)",
                  "struct<p:int,k:string,v:int>");
}

static void test_wrong_number_of_aliases_is_an_error(void **state)
{
    assert_rows(*state, "SELECT posexplode(array(1)) AS x", "ERROR _LEGACY_ERROR_TEMP_1029");
}

static void test_explode_outer_keeps_rows_without_elements(void **state)
{
    assert_rows(*state, "SELECT id, explode_outer(arr) FROM t",
                "1\t10\n1\t20\n2\tNULL\n3\tNULL");
}

static void test_posexplode_outer_on_null_map(void **state)
{
    assert_rows(*state, "SELECT id, posexplode_outer(m) FROM t WHERE id > 1",
                "2\tNULL\tNULL\tNULL\n3\tNULL\tNULL\tNULL");
}

static void test_inline_uses_struct_field_names(void **state)
{
    assert_schema(*state, "SELECT inline(array(struct(1, 'a'), struct(2, 'b')))",
                  "struct<col1:int,col2:string>");
    assert_rows(*state, "SELECT inline(array(struct(1, 'a'), struct(2, 'b')))", "1\ta\n2\tb");
}

static void test_inline_outer_of_empty_array(void **state)
{
    assert_rows(*state,
                "SELECT inline_outer(CAST(array() AS ARRAY<STRUCT<a: INT, b: STRING>>))",
                "NULL\tNULL");
}

static void test_stack_fills_missing_cells_with_null(void **state)
{
    assert_schema(*state, "SELECT stack(2, 1, 2, 3)", "struct<col0:int,col1:int>");
    assert_rows(*state, "SELECT stack(2, 1, 2, 3)", "1\t2\n3\tNULL");
}

static void test_stack_columns_must_share_a_type(void **state)
{
    assert_rows(*state, "SELECT stack(2, 1, 'a')",
                "ERROR DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES");
}

static void test_generator_over_an_aggregate(void **state)
{
    assert_rows(*state, "SELECT explode(collect_list(id)) AS i FROM t", "1\n2\n3");
}

static void test_two_generators_are_refused(void **state)
{
    assert_rows(*state, "SELECT explode(array(1)), explode(array(2))",
                "ERROR UNSUPPORTED_GENERATOR.MULTI_GENERATOR");
}

static void test_nested_generator_is_refused(void **state)
{
    assert_rows(*state, "SELECT explode(array(1)) + 1",
                "ERROR UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS");
}

static void test_explode_of_a_string_is_a_type_error(void **state)
{
    assert_rows(*state, "SELECT explode('a')", "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_order_by_a_generated_column(void **state)
{
    assert_rows(*state, "SELECT explode(array(3, 1, 2)) ORDER BY col", "1\n2\n3");
    assert_rows(*state, "SELECT 1 AS z, posexplode(array(5, 6)) ORDER BY pos DESC",
                "1\t1\t6\n1\t0\t5");
    assert_rows(*state, "SELECT posexplode(array(5, 6)) AS (p, v) ORDER BY v DESC", "1\t6\n0\t5");
}

static void test_generator_outside_the_select_list_is_refused(void **state)
{
    assert_rows(*state, "SELECT id FROM t ORDER BY explode(arr)",
                "ERROR UNSUPPORTED_GENERATOR.OUTSIDE_SELECT");
    assert_rows(*state, "SELECT count(*) FROM t GROUP BY explode(arr)",
                "ERROR UNSUPPORTED_GENERATOR.OUTSIDE_SELECT");
}

/* --------------------------------------------------------- LATERAL VIEW */

static void test_lateral_view_joins_each_row_with_its_elements(void **state)
{
    assert_rows(*state, "SELECT id, x FROM t LATERAL VIEW explode(arr) v AS x", "1\t10\n1\t20");
}

static void test_lateral_view_default_names_are_qualified_by_the_view(void **state)
{
    assert_schema(*state, "SELECT v.col FROM t LATERAL VIEW explode(arr) v", "struct<col:int>");
}

static void test_lateral_view_outer_keeps_every_row(void **state)
{
    assert_rows(*state, "SELECT id, x FROM t LATERAL VIEW OUTER explode(arr) v AS x",
                "1\t10\n1\t20\n2\tNULL\n3\tNULL");
}

static void test_lateral_views_chain(void **state)
{
    assert_rows(*state,
                "SELECT a, b FROM VALUES (1) AS t(x) LATERAL VIEW explode(array(1, 2)) u AS a "
                "LATERAL VIEW explode(array(a * 10)) w AS b",
                "1\t10\n2\t20");
}

static void test_lateral_view_with_non_generator_is_refused(void **state)
{
    assert_rows(*state, "SELECT * FROM t LATERAL VIEW abs(id) v",
                "ERROR UNSUPPORTED_GENERATOR.NOT_GENERATOR");
}

static void test_lateral_view_alias_count_must_match(void **state)
{
    assert_rows(*state, "SELECT * FROM t LATERAL VIEW posexplode(arr) v AS a",
                "ERROR _LEGACY_ERROR_TEMP_1029");
}

/* ----------------------------------------------- table-valued functions */

static void test_explode_in_from(void **state)
{
    assert_schema(*state, "SELECT * FROM explode(array(10, 20))", "struct<col:int>");
    assert_rows(*state, "SELECT * FROM explode(array(10, 20))", "10\n20");
}

static void test_generator_in_from_takes_column_aliases(void **state)
{
    assert_schema(*state, "SELECT * FROM posexplode(array('a')) AS g(p, v)", "struct<p:int,v:string>");
}

static void test_inline_and_stack_in_from(void **state)
{
    assert_rows(*state, "SELECT * FROM inline(array(struct(1, 'a'))), stack(2, 'x', 'y')",
                "1\ta\tx\n1\ta\ty");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_explode_array_names_its_column_col),
        cmocka_unit_test(test_explode_map_yields_key_and_value),
        cmocka_unit_test(test_posexplode_numbers_from_zero),
        cmocka_unit_test(test_generator_keeps_other_select_items),
        cmocka_unit_test(test_multi_alias_names_every_generated_column),
        cmocka_unit_test(test_wrong_number_of_aliases_is_an_error),
        cmocka_unit_test(test_explode_outer_keeps_rows_without_elements),
        cmocka_unit_test(test_posexplode_outer_on_null_map),
        cmocka_unit_test(test_inline_uses_struct_field_names),
        cmocka_unit_test(test_inline_outer_of_empty_array),
        cmocka_unit_test(test_stack_fills_missing_cells_with_null),
        cmocka_unit_test(test_stack_columns_must_share_a_type),
        cmocka_unit_test(test_generator_over_an_aggregate),
        cmocka_unit_test(test_two_generators_are_refused),
        cmocka_unit_test(test_nested_generator_is_refused),
        cmocka_unit_test(test_explode_of_a_string_is_a_type_error),
        cmocka_unit_test(test_order_by_a_generated_column),
        cmocka_unit_test(test_generator_outside_the_select_list_is_refused),
        cmocka_unit_test(test_lateral_view_joins_each_row_with_its_elements),
        cmocka_unit_test(test_lateral_view_default_names_are_qualified_by_the_view),
        cmocka_unit_test(test_lateral_view_outer_keeps_every_row),
        cmocka_unit_test(test_lateral_views_chain),
        cmocka_unit_test(test_lateral_view_with_non_generator_is_refused),
        cmocka_unit_test(test_lateral_view_alias_count_must_match),
        cmocka_unit_test(test_explode_in_from),
        cmocka_unit_test(test_generator_in_from_takes_column_aliases),
        cmocka_unit_test(test_inline_and_stack_in_from),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
