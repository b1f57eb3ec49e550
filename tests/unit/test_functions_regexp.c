/*
 * Specification of the pattern-matching functions through SQL: ILIKE with
 * Java's Unicode lower-casing on both sides, regexp_substr's NULL for an
 * empty match. Expected values are Spark's (ilike.sql.out,
 * regexp-functions.sql.out, function documentation).
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

static void test_ilike_folds_every_script(void **state)
{
    sqlc_check(*state, "select 'ЀЁЂѺΏỀ' ilike 'ѐёђѻώề'",
               "struct<ilike(ЀЁЂѺΏỀ, ѐёђѻώề):boolean>", "true");
    sqlc_check(*state, "select 'ՁԱԲ' ilike 'ձաբ', 'ΣΑΣ' ilike 'σας', 'Spark' ilike '_PARK'", NULL,
               "true\ttrue\ttrue");
}

static void test_ilike_any_and_all_fold_too(void **state)
{
    sqlc_check(*state, "select 'ΆΛΦΑ' ilike any ('ά%', 'x'), 'ΆΛΦΑ' ilike all ('%λ%', '%Α')",
               NULL, "true\ttrue");
}

static void test_regexp_substr_of_an_empty_match_is_null(void **state)
{
    sqlc_check(*state,
               "SELECT regexp_substr('1a 2b 14m', ''), regexp_substr('1a 2b 14m', '\\\\d+'), "
               "regexp_substr('1a 2b 14m', 'x')",
               "struct<regexp_substr(1a 2b 14m, ):string,regexp_substr(1a 2b 14m, \\d+):string,"
               "regexp_substr(1a 2b 14m, x):string>",
               "NULL\t1\tNULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ilike_folds_every_script),
        cmocka_unit_test(test_ilike_any_and_all_fold_too),
        cmocka_unit_test(test_regexp_substr_of_an_empty_match_is_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
