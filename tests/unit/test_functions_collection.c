/*
 * Collection functions through lm_sql: constructors (array, map, struct,
 * named_struct, the row constructor), map functions, size, element_at and
 * the array functions, with the rows, schemas (Spark's generated column
 * names) and error classes Spark 3.5 gives in its default, non-ANSI mode.
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
    exec_ok(s, "CREATE TEMPORARY VIEW tbl_x AS VALUES "
               "(1, NAMED_STRUCT('C', 'gamma', 'D', 'delta')), "
               "(2, NAMED_STRUCT('C', 'epsilon', 'D', 'eta')) AS T(ID, ST)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ------------------------------------------------------------ constructors */

static void test_array_widens_elements_and_names_the_call(void **state)
{
    assert_schema(*state, "SELECT array(1, 2L, NULL)",
                  "struct<array(1, 2, NULL):array<bigint>>");
    assert_rows(*state, "SELECT array(1, 2L, NULL)", "[1,2,null]");
}

static void test_array_promotes_numbers_to_string(void **state)
{
    assert_rows(*state, "SELECT array(1, 'a')", "[\"1\",\"a\"]");
}

static void test_empty_array_has_void_elements(void **state)
{
    assert_schema(*state, "SELECT array()", "struct<array():array<void>>");
    assert_rows(*state, "SELECT array()", "[]");
}

static void test_array_of_incompatible_types_is_data_diff_types(void **state)
{
    assert_rows(*state, "SELECT array(1, array(2))", "ERROR DATATYPE_MISMATCH.DATA_DIFF_TYPES");
}

static void test_map_builds_entries_in_order(void **state)
{
    assert_schema(*state, "SELECT map(1, 'a', 2, 'b')", "struct<map(1, a, 2, b):map<int,string>>");
    assert_rows(*state, "SELECT map(1, 'a', 2, 'b')", "{1:\"a\",2:\"b\"}");
}

static void test_map_with_odd_arguments_is_wrong_num_args(void **state)
{
    assert_rows(*state, "SELECT map(1, 'a', 2)", "ERROR WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
}

static void test_map_duplicate_key_fails_by_default(void **state)
{
    assert_rows(*state, "SELECT map(1, 'a', 1, 'b')", "ERROR DUPLICATED_MAP_KEY");
}

static void test_map_duplicate_key_last_wins_when_configured(void **state)
{
    lm_session *s = fixture_session();
    lm_session_conf_set(s, "spark.sql.mapKeyDedupPolicy", "LAST_WIN");
    assert_rows(s, "SELECT map(1, 'a', 2, 'b', 1, 'c')", "{1:\"c\",2:\"b\"}");
    lm_session_close(s);
}

static void test_map_null_key_is_null_map_key(void **state)
{
    assert_rows(*state, "SELECT map(CAST(NULL AS INT), 1)", "ERROR NULL_MAP_KEY");
}

static void test_struct_names_fields_col1_or_by_alias(void **state)
{
    assert_schema(*state, "SELECT STRUCT('alpha', 'beta') ST",
                  "struct<ST:struct<col1:string,col2:string>>");
    assert_schema(*state, "SELECT STRUCT('alpha' AS A, 'beta' AS B) ST",
                  "struct<ST:struct<A:string,B:string>>");
    assert_rows(*state, "SELECT STRUCT('alpha' AS A, 'beta' AS B) ST",
                "{\"A\":\"alpha\",\"B\":\"beta\"}");
}

static void test_struct_star_expands_struct_fields(void **state)
{
    assert_schema(*state, "SELECT ID, STRUCT(ST.*, CAST(ID AS STRING) AS E) NST FROM tbl_x",
                  "struct<ID:int,NST:struct<C:string,D:string,E:string>>");
    assert_rows(*state, "SELECT ID, STRUCT(ST.*).C FROM tbl_x ORDER BY ID",
                "1\tgamma\n2\tepsilon");
}

static void test_struct_field_of_call_keeps_the_call_in_its_name(void **state)
{
    assert_schema(*state, "SELECT STRUCT(ST.C as STC, ST.D as STD).STD FROM tbl_x",
                  "struct<struct(ST.C AS STC, ST.D AS STD).STD:string>");
}

static void test_named_struct_uses_its_literal_names(void **state)
{
    assert_schema(*state, "SELECT named_struct('a', 1, 'b', 'x')",
                  "struct<named_struct(a, 1, b, x):struct<a:int,b:string>>");
    assert_rows(*state, "SELECT named_struct('a', 1, 'b', 'x')", "{\"a\":1,\"b\":\"x\"}");
}

static void test_row_constructor_is_a_named_struct(void **state)
{
    assert_schema(*state, "SELECT (1, 'a')",
                  "struct<named_struct(col1, 1, col2, a):struct<col1:int,col2:string>>");
}

/* ---------------------------------------------------------------- maps */

static void test_map_keys_values_entries(void **state)
{
    assert_rows(*state,
                "SELECT map_keys(map(1, 'a', 2, 'b')), map_values(map(1, 'a', 2, 'b')), "
                "map_entries(map(1, 'a'))",
                "[1,2]\t[\"a\",\"b\"]\t[{\"key\":1,\"value\":\"a\"}]");
    assert_schema(*state, "SELECT map_entries(map(1, 'a'))",
                  "struct<map_entries(map(1, a)):array<struct<key:int,value:string>>>");
}

static void test_map_from_arrays_and_entries(void **state)
{
    assert_rows(*state, "SELECT map_from_arrays(array(1, 2), array('a', 'b'))",
                "{1:\"a\",2:\"b\"}");
    assert_rows(*state, "SELECT map_from_entries(array(struct(1, 'a'), struct(2, 'b')))",
                "{1:\"a\",2:\"b\"}");
}

static void test_map_concat_fails_on_duplicate_keys(void **state)
{
    assert_rows(*state, "SELECT map_concat(map(1, 'a'), map(2, 'b'))", "{1:\"a\",2:\"b\"}");
    assert_rows(*state, "SELECT map_concat(map(1, 'a'), map(1, 'b'))",
                "ERROR DUPLICATED_MAP_KEY");
}

static void test_map_contains_key_widens_without_string_promotion(void **state)
{
    assert_rows(*state, "SELECT map_contains_key(map(1, 'a', 2, 'b'), 1.0)", "true");
    assert_rows(*state, "SELECT map_contains_key(map(1, 'a', 2, 'b'), 5)", "false");
    assert_rows(*state, "SELECT map_contains_key(map(1, 'a', 2, 'b'), '1')",
                "ERROR DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES");
}

static void test_map_subscript_and_element_at_miss_is_null(void **state)
{
    assert_schema(*state, "select map(1, 'a', 2, 'b')[5]",
                  "struct<map(1, a, 2, b)[5]:string>");
    assert_rows(*state, "select element_at(map(1, 'a', 2, 'b'), 5)", "NULL");
}

/* ---------------------------------------------------------- size, get */

static void test_size_of_null_is_minus_one_by_default(void **state)
{
    assert_rows(*state, "SELECT size(array(1, 2)), size(map(1, 2)), size(NULL)", "2\t1\t-1");
    assert_schema(*state, "SELECT size(NULL)", "struct<size(NULL):int>");
}

static void test_size_of_null_is_null_without_legacy_flag(void **state)
{
    lm_session *s = fixture_session();
    lm_session_conf_set(s, "spark.sql.legacy.sizeOfNull", "false");
    assert_rows(s, "SELECT cardinality(CAST(NULL AS ARRAY<INT>))", "NULL");
    lm_session_close(s);
}

static void test_element_at_counts_from_one_and_from_the_end(void **state)
{
    assert_rows(*state,
                "SELECT element_at(array(1, 2, 3), 1), element_at(array(1, 2, 3), -1), "
                "element_at(array(1, 2, 3), 4)",
                "1\t3\tNULL");
}

static void test_element_at_zero_is_invalid_index_of_zero(void **state)
{
    assert_rows(*state, "SELECT try_element_at(array(1, 2, 3), 0)", "ERROR INVALID_INDEX_OF_ZERO");
}

static void test_element_at_out_of_bounds_fails_in_ansi_mode(void **state)
{
    lm_session *s = fixture_session();
    lm_session_conf_set(s, "spark.sql.ansi.enabled", "true");
    assert_rows(s, "SELECT element_at(array(1, 2, 3), 4)",
                "ERROR INVALID_ARRAY_INDEX_IN_ELEMENT_AT");
    assert_rows(s, "SELECT try_element_at(array(1, 2, 3), 4)", "NULL");
    lm_session_close(s);
}

static void test_get_is_zero_based_and_lenient(void **state)
{
    assert_rows(*state, "SELECT get(array(1, 2, 3), 0), get(array(1, 2, 3), 3)", "1\tNULL");
}

/* ------------------------------------------------------ array functions */

static void test_array_contains_three_valued(void **state)
{
    assert_rows(*state,
                "SELECT array_contains(array(1, 2), 2), array_contains(array(1, NULL), 3), "
                "array_contains(array(1, 2), 3)",
                "true\tNULL\tfalse");
}

static void test_array_contains_null_value_is_null_type(void **state)
{
    assert_rows(*state, "SELECT array_contains(array(1), NULL)", "ERROR DATATYPE_MISMATCH.NULL_TYPE");
}

static void test_array_contains_string_in_int_array_is_diff_types(void **state)
{
    assert_rows(*state, "SELECT array_contains(array(1), 'a')",
                "ERROR DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES");
}

static void test_array_position_is_one_based_bigint(void **state)
{
    assert_schema(*state, "SELECT array_position(array(3, 2, 1), 1)",
                  "struct<array_position(array(3, 2, 1), 1):bigint>");
    assert_rows(*state,
                "SELECT array_position(array(3, 2, 1), 1), array_position(array(3, 2, 1), 5)",
                "3\t0");
}

static void test_array_set_functions_keep_first_occurrences(void **state)
{
    assert_rows(*state,
                "SELECT array_distinct(array(1, 2, 3, NULL, 3, NULL)), "
                "array_union(array(1, 2, 3), array(1, 3, 5)), "
                "array_intersect(array(1, 2, 3), array(1, 3, 5)), "
                "array_except(array(1, 2, 3), array(1, 3, 5))",
                "[1,2,3,null]\t[1,2,3,5]\t[1,3]\t[2]");
}

static void test_arrays_overlap_null_when_undecided(void **state)
{
    assert_rows(*state,
                "SELECT arrays_overlap(array(1, 2, 3), array(3, 4, 5)), "
                "arrays_overlap(array(1, NULL), array(3)), arrays_overlap(array(1), array(2))",
                "true\tNULL\tfalse");
}

static void test_array_join_skips_or_replaces_nulls(void **state)
{
    assert_rows(*state,
                "SELECT array_join(array('hello', NULL, 'world'), ' '), "
                "array_join(array('hello', NULL, 'world'), ' ', ','), array_join(array(1, 2), '-')",
                "hello world\thello , world\t1-2");
}

static void test_array_min_max_ignore_nulls(void **state)
{
    assert_rows(*state, "SELECT array_max(array(1, 20, NULL, 3)), array_min(array(1, 20, NULL, 3))",
                "20\t1");
}

static void test_array_remove_and_compact(void **state)
{
    assert_rows(*state,
                "SELECT array_remove(array(1, 2, 3, NULL, 3), 3), array_compact(array(1, NULL, 2))",
                "[1,2,null]\t[1,2]");
}

static void test_array_repeat(void **state)
{
    assert_rows(*state, "SELECT array_repeat('123', 2), array_repeat(1, -1)", "[\"123\",\"123\"]\t[]");
}

static void test_sort_array_nulls_first_ascending_last_descending(void **state)
{
    assert_rows(*state,
                "SELECT sort_array(array('b', 'd', NULL, 'c', 'a'), true), "
                "sort_array(array('b', 'd', NULL, 'c', 'a'), false)",
                "[null,\"a\",\"b\",\"c\",\"d\"]\t[\"d\",\"c\",\"b\",\"a\",null]");
}

static void test_slice_counts_from_either_end(void **state)
{
    assert_rows(*state,
                "SELECT slice(array(1, 2, 3, 4), 2, 2), slice(array(1, 2, 3, 4), -2, 2), "
                "slice(array(1, 2, 3, 4), 5, 1)",
                "[2,3]\t[3,4]\t[]");
}

static void test_slice_start_zero_is_invalid_parameter(void **state)
{
    assert_rows(*state, "SELECT slice(array(1, 2), 0, 1)", "ERROR INVALID_PARAMETER_VALUE.START");
}

static void test_flatten_is_null_when_an_inner_array_is(void **state)
{
    assert_rows(*state,
                "SELECT flatten(array(array(1, 2), array(3, 4))), "
                "flatten(array(array(1), CAST(NULL AS ARRAY<INT>)))",
                "[1,2,3,4]\tNULL");
}

static void test_sequence_of_integers_and_dates(void **state)
{
    assert_rows(*state, "SELECT sequence(1, 5), sequence(5, 1), sequence(1, 9, 4)",
                "[1,2,3,4,5]\t[5,4,3,2,1]\t[1,5,9]");
    assert_rows(*state,
                "SELECT sequence(DATE'2018-01-01', DATE'2018-03-01', interval 1 month)",
                "[2018-01-01,2018-02-01,2018-03-01]");
}

static void test_arrays_zip_names_fields_by_position(void **state)
{
    assert_schema(*state, "SELECT arrays_zip(array(1, 2, 3), array(2, 3))",
                  "struct<arrays_zip(array(1, 2, 3), array(2, 3)):"
                  "array<struct<0:int,1:int>>>");
    assert_rows(*state, "SELECT arrays_zip(array(1, 2, 3), array(2, 3))",
                "[{\"0\":1,\"1\":2},{\"0\":2,\"1\":3},{\"0\":3,\"1\":null}]");
}

static void test_array_append_prepend_insert(void **state)
{
    assert_rows(*state,
                "SELECT array_append(array('b', 'd', 'c', 'a'), 'd'), "
                "array_prepend(array(1, 2), 0), array_insert(array(1, 2, 3, 4), 5, 5), "
                "array_insert(array(5, 4, 3, 2), -1, 1), array_insert(array(5, 3, 2, 1), -4, 4)",
                "[\"b\",\"d\",\"c\",\"a\",\"d\"]\t[0,1,2]\t[1,2,3,4,5]\t[5,4,3,2,1]\t[5,4,3,2,1]");
}

static void test_array_insert_pads_with_nulls(void **state)
{
    assert_rows(*state, "SELECT array_insert(array(1, 2), 4, 9), array_insert(array(1), -3, 9)",
                "[1,2,null,9]\t[9,null,1]");
}

static void test_shuffle_keeps_the_elements(void **state)
{
    assert_rows(*state, "SELECT sort_array(shuffle(array(3, 1, 2)))", "[1,2,3]");
}

static void test_concat_and_reverse_of_arrays(void **state)
{
    assert_rows(*state, "SELECT concat(array(1, 2), array(3)), reverse(array(2, 1, 4, 3))",
                "[1,2,3]\t[3,4,1,2]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_widens_elements_and_names_the_call),
        cmocka_unit_test(test_array_promotes_numbers_to_string),
        cmocka_unit_test(test_empty_array_has_void_elements),
        cmocka_unit_test(test_array_of_incompatible_types_is_data_diff_types),
        cmocka_unit_test(test_map_builds_entries_in_order),
        cmocka_unit_test(test_map_with_odd_arguments_is_wrong_num_args),
        cmocka_unit_test(test_map_duplicate_key_fails_by_default),
        cmocka_unit_test(test_map_duplicate_key_last_wins_when_configured),
        cmocka_unit_test(test_map_null_key_is_null_map_key),
        cmocka_unit_test(test_struct_names_fields_col1_or_by_alias),
        cmocka_unit_test(test_struct_star_expands_struct_fields),
        cmocka_unit_test(test_struct_field_of_call_keeps_the_call_in_its_name),
        cmocka_unit_test(test_named_struct_uses_its_literal_names),
        cmocka_unit_test(test_row_constructor_is_a_named_struct),
        cmocka_unit_test(test_map_keys_values_entries),
        cmocka_unit_test(test_map_from_arrays_and_entries),
        cmocka_unit_test(test_map_concat_fails_on_duplicate_keys),
        cmocka_unit_test(test_map_contains_key_widens_without_string_promotion),
        cmocka_unit_test(test_map_subscript_and_element_at_miss_is_null),
        cmocka_unit_test(test_size_of_null_is_minus_one_by_default),
        cmocka_unit_test(test_size_of_null_is_null_without_legacy_flag),
        cmocka_unit_test(test_element_at_counts_from_one_and_from_the_end),
        cmocka_unit_test(test_element_at_zero_is_invalid_index_of_zero),
        cmocka_unit_test(test_element_at_out_of_bounds_fails_in_ansi_mode),
        cmocka_unit_test(test_get_is_zero_based_and_lenient),
        cmocka_unit_test(test_array_contains_three_valued),
        cmocka_unit_test(test_array_contains_null_value_is_null_type),
        cmocka_unit_test(test_array_contains_string_in_int_array_is_diff_types),
        cmocka_unit_test(test_array_position_is_one_based_bigint),
        cmocka_unit_test(test_array_set_functions_keep_first_occurrences),
        cmocka_unit_test(test_arrays_overlap_null_when_undecided),
        cmocka_unit_test(test_array_join_skips_or_replaces_nulls),
        cmocka_unit_test(test_array_min_max_ignore_nulls),
        cmocka_unit_test(test_array_remove_and_compact),
        cmocka_unit_test(test_array_repeat),
        cmocka_unit_test(test_sort_array_nulls_first_ascending_last_descending),
        cmocka_unit_test(test_slice_counts_from_either_end),
        cmocka_unit_test(test_slice_start_zero_is_invalid_parameter),
        cmocka_unit_test(test_flatten_is_null_when_an_inner_array_is),
        cmocka_unit_test(test_sequence_of_integers_and_dates),
        cmocka_unit_test(test_arrays_zip_names_fields_by_position),
        cmocka_unit_test(test_array_append_prepend_insert),
        cmocka_unit_test(test_array_insert_pads_with_nulls),
        cmocka_unit_test(test_shuffle_keeps_the_elements),
        cmocka_unit_test(test_concat_and_reverse_of_arrays),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
