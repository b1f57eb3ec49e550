/*
 * Higher-order functions and lambdas through lm_sql: transform, filter,
 * exists, forall, aggregate/reduce, zip_with, the map functions and
 * array_sort, with the values, schemas and errors of Spark 3.5's golden
 * file higher-order-functions.sql.out and typeCoercion/mapZipWith.sql.out.
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
    exec_ok(s, "create or replace temporary view nested as values "
               "(1, array(32, 97), array(array(12, 99), array(123, 42), array(1))), "
               "(2, array(77, -76), array(array(6, 96, 65), array(-1, -2))), "
               "(3, array(12), array(array(17))) as t(x, ys, zs)");
    exec_ok(s, "create or replace temporary view nested_maps as values "
               "(1, map(1, 1, 2, 2, 3, 3)), (2, map(4, 4, 5, 5, 6, 6)) as t(x, ys)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_transform_squares_elements(void **state)
{
    assert_schema(*state, "select transform(ys, y -> y * y) as v from nested",
                  "struct<v:array<int>>");
    assert_rows(*state, "select transform(ys, y -> y * y) as v from nested order by x",
                "[1024,9409]\n[5929,5776]\n[144]");
}

static void test_transform_with_index(void **state)
{
    assert_rows(*state, "select transform(ys, (y, i) -> y + i) as v from nested order by x",
                "[32,98]\n[77,-75]\n[12]");
}

static void test_transform_body_reads_row_columns(void **state)
{
    assert_rows(*state, "select transform(zs, z -> concat(ys, z)) as v from nested order by x",
                "[[32,97,12,99],[32,97,123,42],[32,97,1]]\n[[77,-76,6,96,65],[77,-76,-1,-2]]\n"
                "[[12,17]]");
}

static void test_transform_with_constant_function(void **state)
{
    assert_rows(*state, "select transform(ys, 0) as v from nested order by x", "[0,0]\n[0,0]\n[0]");
}

static void test_transform_of_null_is_null(void **state)
{
    assert_rows(*state, "select transform(cast(null as array<int>), x -> x + 1) as v", "NULL");
}

static void test_nested_lambdas(void **state)
{
    assert_rows(*state,
                "select transform(zs, z -> filter(z, zz -> zz > 50)) as v from nested order by x",
                "[[99],[123],[]]\n[[96,65],[]]\n[[]]");
}

static void test_filter_keeps_matching_elements(void **state)
{
    assert_rows(*state, "select filter(ys, y -> y > 30) as v from nested order by x",
                "[32,97]\n[77]\n[]");
}

static void test_exists_and_forall(void **state)
{
    assert_rows(*state, "select exists(ys, y -> y > 30) as v from nested order by x",
                "true\ntrue\nfalse");
    assert_rows(*state, "select forall(ys, y -> y > 0) as v from nested order by x",
                "true\nfalse\ntrue");
}

static void test_exists_is_three_valued(void **state)
{
    assert_rows(*state, "select exists(array(1, NULL), y -> y > 5), exists(array(1, NULL), y -> y = 1)",
                "NULL\ttrue");
}

static void test_aggregate_with_outer_column(void **state)
{
    assert_schema(*state, "select aggregate(ys, 0, (y, a) -> y + a + x) as v from nested",
                  "struct<v:int>");
    assert_rows(*state, "select aggregate(ys, 0, (y, a) -> y + a + x) as v from nested order by x",
                "131\n5\n15");
}

static void test_aggregate_with_struct_accumulator_and_finish(void **state)
{
    assert_rows(*state,
                "select reduce(ys, (0 as sum, 0 as n), (acc, x) -> (acc.sum + x, acc.n + 1), "
                "acc -> acc.sum / acc.n) as v from nested order by x",
                "64.5\n0.5\n12.0");
}

static void test_aggregate_names_the_identity_finish(void **state)
{
    assert_schema(*state, "select aggregate(array(1, 2), 0, (acc, x) -> acc + x)",
                  "struct<aggregate(array(1, 2), 0, lambdafunction((namedlambdavariable() + "
                  "namedlambdavariable()), namedlambdavariable(), namedlambdavariable()), "
                  "lambdafunction(namedlambdavariable(), namedlambdavariable())):int>");
}

static void test_aggregate_merge_must_keep_the_accumulator_type(void **state)
{
    assert_rows(*state, "select aggregate(array(1.5D), 0, (acc, x) -> acc + x)",
                "ERROR DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

static void test_zip_with_pads_the_shorter_array(void **state)
{
    assert_rows(*state, "select zip_with(ys, zs, (a, b) -> a + size(b)) as v from nested order by x",
                "[34,99,null]\n[80,-74]\n[13]");
}

static void test_transform_keys_and_values(void **state)
{
    assert_rows(*state, "select transform_keys(ys, (k, v) -> k + 1) as v from nested_maps order by x",
                "{2:1,3:2,4:3}\n{5:4,6:5,7:6}");
    assert_rows(*state,
                "select transform_values(ys, (k, v) -> k + v) as v from nested_maps order by x",
                "{1:2,2:4,3:6}\n{4:8,5:10,6:12}");
}

static void test_transform_keys_duplicate_is_an_error(void **state)
{
    assert_rows(*state, "select transform_keys(map(1, 1, 2, 2), (k, v) -> 0)",
                "ERROR DUPLICATED_MAP_KEY");
}

static void test_map_filter(void **state)
{
    assert_rows(*state, "select map_filter(map(1, 0, 2, 2, 3, -1), (k, v) -> k > v)",
                "{1:0,3:-1}");
}

static void test_map_zip_with_widens_keys(void **state)
{
    assert_schema(*state,
                  "SELECT map_zip_with(map(2Y, 1Y), map(2S, 1S), (k, v1, v2) -> struct(k, v1, v2)) m",
                  "struct<m:map<smallint,struct<k:smallint,v1:tinyint,v2:smallint>>>");
    assert_rows(*state,
                "SELECT map_zip_with(map(1, 'a', 2, 'b'), map(2, 'x', 3, 'y'), "
                "(k, v1, v2) -> concat_ws('-', v1, v2))",
                "{1:\"a\",2:\"b-x\",3:\"y\"}");
}

static void test_map_zip_with_refuses_lossy_key_types(void **state)
{
    assert_rows(*state,
                "SELECT map_zip_with(map(9.99999999999999999999999999999999999, 1), map(2, 1), "
                "(k, v1, v2) -> struct(k, v1, v2))",
                "ERROR DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES");
}

static void test_array_sort_default_puts_nulls_last(void **state)
{
    assert_rows(*state, "select array_sort(array('b', 'd', NULL, 'c', 'a'))",
                "[\"a\",\"b\",\"c\",\"d\",null]");
}

static void test_array_sort_with_comparator(void **state)
{
    assert_rows(*state,
                "select array_sort(array(5, 6, 1), (left, right) -> case when left < right then "
                "-1 when left > right then 1 else 0 end)",
                "[1,5,6]");
    assert_rows(*state,
                "select array_sort(array('bc', 'ab', 'dc'), (left, right) -> case when left is "
                "null and right is null then 0 when left is null then -1 when right is null then "
                "1 when left < right then 1 when left > right then -1 else 0 end)",
                "[\"dc\",\"bc\",\"ab\"]");
}

static void test_lambda_in_plain_function_is_refused(void **state)
{
    assert_rows(*state, "select abs(x -> x)",
                "ERROR INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION");
    /* under expressions that are not function calls too (fuzz_sql found
       the cast one reading the lambda's missing type) */
    assert_rows(*state, "select cast(x -> x as int)",
                "ERROR INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION");
    assert_rows(*state, "select exists(cast(nul -> y > 1 as array<int>), y -> y > 30) as v",
                "ERROR INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION");
    assert_rows(*state, "select x -> x as v",
                "ERROR INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION");
}

static void test_lambda_with_wrong_arity_is_refused(void **state)
{
    assert_rows(*state, "select filter(array(1), (x, y, z) -> true)",
                "ERROR INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH");
}

static void test_lambda_parameters_shadow_columns(void **state)
{
    assert_rows(*state, "select transform(ys, all -> all * all) as v from values (array(32, 97)) as t(ys)",
                "[1024,9409]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transform_squares_elements),
        cmocka_unit_test(test_transform_with_index),
        cmocka_unit_test(test_transform_body_reads_row_columns),
        cmocka_unit_test(test_transform_with_constant_function),
        cmocka_unit_test(test_transform_of_null_is_null),
        cmocka_unit_test(test_nested_lambdas),
        cmocka_unit_test(test_filter_keeps_matching_elements),
        cmocka_unit_test(test_exists_and_forall),
        cmocka_unit_test(test_exists_is_three_valued),
        cmocka_unit_test(test_aggregate_with_outer_column),
        cmocka_unit_test(test_aggregate_with_struct_accumulator_and_finish),
        cmocka_unit_test(test_aggregate_names_the_identity_finish),
        cmocka_unit_test(test_aggregate_merge_must_keep_the_accumulator_type),
        cmocka_unit_test(test_zip_with_pads_the_shorter_array),
        cmocka_unit_test(test_transform_keys_and_values),
        cmocka_unit_test(test_transform_keys_duplicate_is_an_error),
        cmocka_unit_test(test_map_filter),
        cmocka_unit_test(test_map_zip_with_widens_keys),
        cmocka_unit_test(test_map_zip_with_refuses_lossy_key_types),
        cmocka_unit_test(test_array_sort_default_puts_nulls_last),
        cmocka_unit_test(test_array_sort_with_comparator),
        cmocka_unit_test(test_lambda_in_plain_function_is_refused),
        cmocka_unit_test(test_lambda_with_wrong_arity_is_refused),
        cmocka_unit_test(test_lambda_parameters_shadow_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
