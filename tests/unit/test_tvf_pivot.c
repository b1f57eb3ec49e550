/*
 * Table-valued functions (range), PIVOT and UNPIVOT through lm_sql, with
 * the results, column names and errors of Spark 3.5 (pivot.sql.out and the
 * UNPIVOT examples of Spark's SQL reference).
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
    exec_ok(s, "create temporary view courseSales as select * from values "
               "(\"dotNET\", 2012, 10000), (\"Java\", 2012, 20000), (\"dotNET\", 2012, 5000), "
               "(\"dotNET\", 2013, 48000), (\"Java\", 2013, 30000) "
               "as courseSales(course, year, earnings)");
    exec_ok(s, "create temporary view years as select * from values (2012, 1), (2013, 2) "
               "as years(y, s)");
    exec_ok(s, "create temporary view yearsWithComplexTypes as select * from values "
               "(2012, array(1, 1), map('1', 1), struct(1, 'a')), "
               "(2013, array(2, 2), map('2', 2), struct(2, 'b')) "
               "as yearsWithComplexTypes(y, a, m, s)");
    exec_ok(s, "CREATE TEMP VIEW sales(location, year, q1, q2, q3, q4) AS VALUES "
               "('Toronto', 2020, 100, 80, 70, 150), ('San Francisco', 2020, NULL, 20, 50, 60), "
               "('Toronto', 2021, 110, 90, 80, 170), ('San Francisco', 2021, 70, 120, 85, 105)");
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

/* ---------------------------------------------------------------- range */

static void test_range_end_counts_from_zero(void **state)
{
    assert_schema(*state, "SELECT * FROM range(3)", "struct<id:bigint>");
    assert_rows(*state, "SELECT * FROM range(3)", "0\n1\n2");
}

static void test_range_start_end_step(void **state)
{
    assert_rows(*state, "SELECT id FROM range(1, 10, 4)", "1\n5\n9");
    assert_rows(*state, "SELECT id FROM range(10, 0, -4)", "10\n6\n2");
    assert_rows(*state, "SELECT count(*) FROM range(5, 5)", "0");
}

static void test_range_with_partitions_argument(void **state)
{
    assert_rows(*state, "SELECT id FROM range(0, 2, 1, 4)", "0\n1");
}

static void test_range_in_a_subquery_with_limit(void **state)
{
    assert_rows(*state, "SELECT * FROM (SELECT * FROM range(10) LIMIT 5) WHERE id > 3", "4");
}

static void test_range_near_bigint_max_does_not_overflow(void **state)
{
    assert_rows(*state, "SELECT id FROM range(9223372036854775806, 9223372036854775807)",
                "9223372036854775806");
}

static void test_range_with_wrong_arity(void **state)
{
    assert_rows(*state, "SELECT * FROM range(1, 2, 3, 4, 5)",
                "ERROR WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
}

static void test_range_with_zero_step(void **state)
{
    assert_rows(*state, "SELECT * FROM range(1, 2, 0)", "ERROR requirement failed: step (0) cannot be 0");
}

static void test_unknown_table_valued_function(void **state)
{
    assert_rows(*state, "SELECT * FROM nosuchtvf(1)", "ERROR UNRESOLVABLE_TABLE_VALUED_FUNCTION");
}

/* ---------------------------------------------------------------- pivot */

static void test_pivot_single_aggregate_names_columns_by_value(void **state)
{
    const char *q = "SELECT * FROM (SELECT year, course, earnings FROM courseSales) "
                    "PIVOT (sum(earnings) FOR course IN ('dotNET', 'Java')) ORDER BY year";
    assert_schema(*state, q, "struct<year:int,dotNET:bigint,Java:bigint>");
    assert_rows(*state, q, "2012\t15000\t20000\n2013\t48000\t30000");
}

static void test_pivot_several_aggregates_suffix_their_names(void **state)
{
    const char *q = "SELECT * FROM (SELECT year, course, earnings FROM courseSales) "
                    "PIVOT (sum(earnings), avg(earnings) FOR course IN ('dotNET', 'Java')) "
                    "ORDER BY year";
    assert_schema(*state, q,
                  "struct<year:int,dotNET_sum(earnings):bigint,dotNET_avg(earnings):double,"
                  "Java_sum(earnings):bigint,Java_avg(earnings):double>");
    assert_rows(*state, q, "2012\t15000\t7500.0\t20000\t20000.0\n2013\t48000\t48000.0\t30000\t30000.0");
}

static void test_pivot_without_group_columns_is_one_row(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT course, earnings FROM courseSales) "
                "PIVOT (sum(earnings) FOR course IN ('dotNET', 'Java'))",
                "63000\t50000");
}

static void test_pivot_value_and_aggregate_aliases(void **state)
{
    assert_schema(*state,
                  "SELECT * FROM (SELECT year y, course c, earnings e FROM courseSales) "
                  "PIVOT (sum(e) s, avg(e) a FOR y IN (2012 as firstYear, 2013 secondYear))",
                  "struct<c:string,firstYear_s:bigint,firstYear_a:double,secondYear_s:bigint,"
                  "secondYear_a:double>");
}

static void test_pivot_missing_combination_is_null(void **state)
{
    const char *q = "SELECT * FROM (SELECT course, year, earnings, s FROM courseSales "
                    "JOIN years ON year = y) PIVOT (sum(earnings) FOR s IN (1, 2)) "
                    "ORDER BY course, year";
    assert_schema(*state, q, "struct<course:string,year:int,1:bigint,2:bigint>");
    assert_rows(*state, q,
                "Java\t2012\t20000\tNULL\nJava\t2013\tNULL\t30000\n"
                "dotNET\t2012\t15000\tNULL\ndotNET\t2013\tNULL\t48000");
}

static void test_pivot_count_of_missing_combination_is_null(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT course, year FROM courseSales) "
                "PIVOT (count(*) FOR year IN (2012, 2014)) ORDER BY course",
                "Java\t1\tNULL\ndotNET\t2\tNULL");
}

static void test_pivot_on_several_columns(void **state)
{
    const char *q = "SELECT * FROM (SELECT course, year, earnings, s FROM courseSales "
                    "JOIN years ON year = y) "
                    "PIVOT (sum(earnings) FOR (course, year) IN (('dotNET', 2012), ('Java', 2013))) "
                    "ORDER BY s";
    assert_schema(*state, q, "struct<s:int,{dotNET, 2012}:bigint,{Java, 2013}:bigint>");
    assert_rows(*state, q, "1\t15000\tNULL\n2\tNULL\t30000");
}

static void test_pivot_of_complex_aggregate_masks_its_input(void **state)
{
    const char *q = "SELECT * FROM (SELECT course, year, a FROM courseSales "
                    "JOIN yearsWithComplexTypes ON year = y) "
                    "PIVOT (min(a) FOR course IN ('dotNET', 'Java')) ORDER BY year";
    assert_schema(*state, q, "struct<year:int,dotNET:array<int>,Java:array<int>>");
    assert_rows(*state, q, "2012\t[1,1]\t[1,1]\n2013\t[2,2]\t[2,2]");
}

static void test_pivot_on_array_values(void **state)
{
    assert_schema(*state,
                  "SELECT * FROM (SELECT earnings, year, a FROM courseSales "
                  "JOIN yearsWithComplexTypes ON year = y) "
                  "PIVOT (sum(earnings) FOR a IN (array(1, 1), array(2, 2)))",
                  "struct<year:int,[1, 1]:bigint,[2, 2]:bigint>");
}

static void test_pivot_requires_aggregate_expressions(void **state)
{
    assert_rows(*state, "SELECT * FROM courseSales PIVOT (abs(earnings) FOR year IN (2012, 2013))",
                "ERROR _LEGACY_ERROR_TEMP_1006");
}

static void test_pivot_values_must_be_literals(void **state)
{
    assert_rows(*state, "SELECT * FROM courseSales PIVOT (sum(earnings) FOR year IN (course, 2013))",
                "ERROR NON_LITERAL_PIVOT_VALUES");
}

static void test_pivot_value_type_must_match(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT course, year, earnings, s FROM courseSales "
                "JOIN years ON year = y) "
                "PIVOT (sum(earnings) FOR (course, year) IN ('dotNET', 'Java'))",
                "ERROR PIVOT_VALUE_DATA_TYPE_MISMATCH");
}

static void test_pivot_on_map_column_is_refused(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT earnings, year, m FROM courseSales "
                "JOIN yearsWithComplexTypes ON year = y) "
                "PIVOT (sum(earnings) FOR m IN (map('1', 1), map('2', 2)))",
                "ERROR INCOMPARABLE_PIVOT_COLUMN");
}

static void test_pivot_nested_aggregate_is_refused(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT year, course, earnings FROM courseSales) "
                "PIVOT (sum(avg(earnings)) FOR course IN ('dotNET', 'Java'))",
                "ERROR NESTED_AGGREGATE_FUNCTION");
}

static void test_pivot_unknown_column(void **state)
{
    assert_rows(*state,
                "SELECT * FROM (SELECT course, earnings FROM courseSales) "
                "PIVOT (sum(earnings) FOR year IN (2012, 2013))",
                "ERROR UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

/* -------------------------------------------------------------- unpivot */

static void test_unpivot_excludes_nulls_by_default(void **state)
{
    const char *q = "SELECT * FROM sales UNPIVOT (sales FOR quarter IN (q1, q2, q3, q4)) "
                    "WHERE year = 2020";
    assert_schema(*state, q, "struct<location:string,year:int,quarter:string,sales:int>");
    assert_rows(*state, q,
                "Toronto\t2020\tq1\t100\nToronto\t2020\tq2\t80\nToronto\t2020\tq3\t70\n"
                "Toronto\t2020\tq4\t150\nSan Francisco\t2020\tq2\t20\n"
                "San Francisco\t2020\tq3\t50\nSan Francisco\t2020\tq4\t60");
}

static void test_unpivot_include_nulls_with_aliases(void **state)
{
    assert_rows(*state,
                "SELECT * FROM sales UNPIVOT INCLUDE NULLS (sales FOR quarter IN "
                "(q1 AS `Jan-Mar`, q2 AS `Apr-Jun`, q3 AS `Jul-Sep`, sales.q4 AS `Oct-Dec`)) "
                "WHERE location = 'San Francisco' AND year = 2020",
                "San Francisco\t2020\tJan-Mar\tNULL\nSan Francisco\t2020\tApr-Jun\t20\n"
                "San Francisco\t2020\tJul-Sep\t50\nSan Francisco\t2020\tOct-Dec\t60");
}

static void test_unpivot_several_value_columns(void **state)
{
    const char *q = "SELECT * FROM sales UNPIVOT EXCLUDE NULLS ((first_quarter, second_quarter) "
                    "FOR half_of_the_year IN ((q1, q2) AS H1, (q3, q4) AS H2)) WHERE year = 2021";
    assert_schema(*state, q,
                  "struct<location:string,year:int,half_of_the_year:string,first_quarter:int,"
                  "second_quarter:int>");
    assert_rows(*state, q,
                "Toronto\t2021\tH1\t110\t90\nToronto\t2021\tH2\t80\t170\n"
                "San Francisco\t2021\tH1\t70\t120\nSan Francisco\t2021\tH2\t85\t105");
}

static void test_unpivot_names_unaliased_tuples_by_their_columns(void **state)
{
    assert_rows(*state,
                "SELECT DISTINCT h FROM sales UNPIVOT ((a, b) FOR h IN ((q1, q2), (q3, q4))) u "
                "ORDER BY h",
                "q1_q2\nq3_q4");
}

static void test_unpivot_widens_value_types(void **state)
{
    assert_schema(*state,
                  "SELECT * FROM VALUES (1, 2L) AS t(a, b) UNPIVOT (v FOR k IN (a, b))",
                  "struct<k:string,v:bigint>");
}

static void test_unpivot_value_size_must_match(void **state)
{
    assert_rows(*state, "SELECT * FROM sales UNPIVOT ((a, b) FOR h IN ((q1, q2), q3))",
                "ERROR UNPIVOT_VALUE_SIZE_MISMATCH");
}

static void test_unpivot_values_need_a_common_type(void **state)
{
    assert_rows(*state, "SELECT * FROM sales UNPIVOT (v FOR k IN (location, q1))",
                "ERROR UNPIVOT_VALUE_DATA_TYPE_MISMATCH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_end_counts_from_zero),
        cmocka_unit_test(test_range_start_end_step),
        cmocka_unit_test(test_range_with_partitions_argument),
        cmocka_unit_test(test_range_in_a_subquery_with_limit),
        cmocka_unit_test(test_range_near_bigint_max_does_not_overflow),
        cmocka_unit_test(test_range_with_wrong_arity),
        cmocka_unit_test(test_range_with_zero_step),
        cmocka_unit_test(test_unknown_table_valued_function),
        cmocka_unit_test(test_pivot_single_aggregate_names_columns_by_value),
        cmocka_unit_test(test_pivot_several_aggregates_suffix_their_names),
        cmocka_unit_test(test_pivot_without_group_columns_is_one_row),
        cmocka_unit_test(test_pivot_value_and_aggregate_aliases),
        cmocka_unit_test(test_pivot_missing_combination_is_null),
        cmocka_unit_test(test_pivot_count_of_missing_combination_is_null),
        cmocka_unit_test(test_pivot_on_several_columns),
        cmocka_unit_test(test_pivot_of_complex_aggregate_masks_its_input),
        cmocka_unit_test(test_pivot_on_array_values),
        cmocka_unit_test(test_pivot_requires_aggregate_expressions),
        cmocka_unit_test(test_pivot_values_must_be_literals),
        cmocka_unit_test(test_pivot_value_type_must_match),
        cmocka_unit_test(test_pivot_on_map_column_is_refused),
        cmocka_unit_test(test_pivot_nested_aggregate_is_refused),
        cmocka_unit_test(test_pivot_unknown_column),
        cmocka_unit_test(test_unpivot_excludes_nulls_by_default),
        cmocka_unit_test(test_unpivot_include_nulls_with_aliases),
        cmocka_unit_test(test_unpivot_several_value_columns),
        cmocka_unit_test(test_unpivot_names_unaliased_tuples_by_their_columns),
        cmocka_unit_test(test_unpivot_widens_value_types),
        cmocka_unit_test(test_unpivot_value_size_must_match),
        cmocka_unit_test(test_unpivot_values_need_a_common_type),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
