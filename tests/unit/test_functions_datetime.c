/*
 * Specification of datetime-family functions through SQL: date_part /
 * datepart / extract field rules (a foldable string field, else Spark
 * 3.5's requireLiteralParameter error naming the function as called).
 * Expected values are Spark's (extract.sql.out, function documentation).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"

static int setup(void **state)
{
    *state = sqlc_open();
    return 0;
}

static int teardown(void **state)
{
    lm_session_close(*state);
    return 0;
}

static void test_date_part_field_may_be_any_foldable_string(void **state)
{
    sqlc_check(*state, "select date_part('YEAR', date'2019-08-12'), date_part(concat('mon', 'th'), "
                       "date'2019-08-12')",
               NULL, "2019\t8");
    sqlc_check(*state, "select date_part(null, date'2019-08-12')",
               "struct<date_part(NULL, DATE '2019-08-12'):double>", "NULL");
}

static void test_date_part_field_from_a_column_is_rejected(void **state)
{
    sqlc_fails(*state, "select date_part(c, c) from values ('2011-05-06') t(c)",
               "_LEGACY_ERROR_TEMP_1100");
    sqlc_fails(*state, "select date_part(i, i) from values (interval 1 year) t(i)",
               "_LEGACY_ERROR_TEMP_1100");
    sqlc_fails(*state, "select datepart(1, date'2019-08-12')", "_LEGACY_ERROR_TEMP_1100");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_part_field_may_be_any_foldable_string),
        cmocka_unit_test(test_date_part_field_from_a_column_is_rejected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
