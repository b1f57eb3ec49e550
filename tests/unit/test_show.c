/*
 * Dataset.show() text, as Spark prints it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

static char *show(lm_session *s, const char *sql, int n, int truncate, bool vertical)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK)
        fail_msg("%s", lm_errmsg(s));
    char *text = lm_df_show_string(df, n, truncate, vertical);
    lm_df_free(df);
    return text;
}

static void test_show_right_aligns_cells_with_minimum_width_three(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT 1 AS a, 'x' AS b", 20, 20, false);
    assert_string_equal(t, "+---+---+\n"
                           "|  a|  b|\n"
                           "+---+---+\n"
                           "|  1|  x|\n"
                           "+---+---+\n");
    free(t);
    lm_session_close(s);
}

static void test_show_truncates_long_cells_to_twenty_characters(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT 'abcdefghijklmnopqrstuvwxyz' AS long_text", 20, 20, false);
    assert_string_equal(t, "+--------------------+\n"
                           "|           long_text|\n"
                           "+--------------------+\n"
                           "|abcdefghijklmnopq...|\n"
                           "+--------------------+\n");
    free(t);
    lm_session_close(s);
}

static void test_show_without_truncation_left_aligns(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT 'abc' AS name, 12345 AS n", 20, 0, false);
    assert_string_equal(t, "+----+-----+\n"
                           "|name|n    |\n"
                           "+----+-----+\n"
                           "|abc |12345|\n"
                           "+----+-----+\n");
    free(t);
    lm_session_close(s);
}

static void test_show_prints_null_and_footer_when_rows_remain(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT * FROM VALUES (1, NULL), (2, 'b'), (3, 'c') AS t(id, v)", 2, 20,
                   false);
    assert_string_equal(t, "+---+----+\n"
                           "| id|   v|\n"
                           "+---+----+\n"
                           "|  1|NULL|\n"
                           "|  2|   b|\n"
                           "+---+----+\n"
                           "only showing top 2 rows\n");
    free(t);
    lm_session_close(s);
}

static void test_show_one_row_footer_is_singular(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT * FROM VALUES (1), (2) AS t(id)", 1, 20, false);
    assert_string_equal(t, "+---+\n"
                           "| id|\n"
                           "+---+\n"
                           "|  1|\n"
                           "+---+\n"
                           "only showing top 1 row\n");
    free(t);
    lm_session_close(s);
}

static void test_show_vertical_lists_records(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT 1 AS a, 'xyz' AS bb", 20, 20, true);
    assert_string_equal(t, "-RECORD 0--\n"
                           " a   | 1   \n"
                           " bb  | xyz \n");
    free(t);
    lm_session_close(s);
}

static void test_show_renders_doubles_and_decimals_like_java(void **state)
{
    lm_session *s = fixture_session();
    char *t = show(s, "SELECT 1.0E7D AS d, 0.001D AS e, CAST(3.1 AS DECIMAL(5,2)) AS m", 20, 20,
                   false);
    assert_string_equal(t, "+-----+-----+----+\n"
                           "|    d|    e|   m|\n"
                           "+-----+-----+----+\n"
                           "|1.0E7|0.001|3.10|\n"
                           "+-----+-----+----+\n");
    free(t);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_show_right_aligns_cells_with_minimum_width_three),
        cmocka_unit_test(test_show_truncates_long_cells_to_twenty_characters),
        cmocka_unit_test(test_show_without_truncation_left_aligns),
        cmocka_unit_test(test_show_prints_null_and_footer_when_rows_remain),
        cmocka_unit_test(test_show_one_row_footer_is_singular),
        cmocka_unit_test(test_show_vertical_lists_records),
        cmocka_unit_test(test_show_renders_doubles_and_decimals_like_java),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
