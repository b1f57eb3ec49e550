/*
 * Specification of the case mappings behind lower(), upper() and
 * initcap(): Java's String.toLowerCase / toUpperCase (full mappings,
 * final sigma, dotted capital I) and Character.toTitleCase, over every
 * script, from the generated tables of functions/unicode_case.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/sql_check.h"
#include "functions/unicode_case.h"

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

static void test_simple_mappings_cover_all_scripts(void **state)
{
    (void)state;
    assert_int_equal(fn_uc_lower('A'), 'a');
    assert_int_equal(fn_uc_lower(0x47A), 0x47B);   /* Cyrillic round omega */
    assert_int_equal(fn_uc_lower(0x38F), 0x3CE);   /* Greek omega with tonos */
    assert_int_equal(fn_uc_lower(0x1EC0), 0x1EC1); /* Vietnamese E circumflex grave */
    assert_int_equal(fn_uc_lower(0x531), 0x561);   /* Armenian ayb */
    assert_int_equal(fn_uc_lower(0x10A0), 0x2D00); /* Georgian an */
    assert_int_equal(fn_uc_lower(0xFF21), 0xFF41); /* fullwidth A */
    assert_int_equal(fn_uc_lower(0x10400), 0x10428); /* Deseret long I */
    assert_int_equal(fn_uc_upper(0x101), 0x100);
    assert_int_equal(fn_uc_upper(0x3C2), 0x3A3);   /* final sigma */
    assert_int_equal(fn_uc_upper(0xFF), 0x178);
    assert_int_equal(fn_uc_upper('1'), '1');
    assert_int_equal(fn_uc_title(0x1C6), 0x1C5);   /* dz with caron: title Dz */
    assert_int_equal(fn_uc_upper(0x1C6), 0x1C4);
}

static void test_upper_uses_full_mappings(void **state)
{
    sqlc_check(*state, "select upper('straße'), upper('ﬀ'), upper('ŉ')", NULL,
               "STRASSE\tFF\tʼN");
}

static void test_lower_handles_sigma_and_dotted_i(void **state)
{
    sqlc_check(*state, "select lower('ΟΔΟΣ ΟΔΟΣΑ Σ'), length(lower('İ'))", NULL,
               "οδος οδοσα σ\t2");
}

static void test_initcap_title_cases_word_starts(void **state)
{
    sqlc_check(*state, "select initcap('ǆemal wORLD'), initcap('sPark sql')", NULL,
               "ǅemal World\tSpark Sql");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_mappings_cover_all_scripts),
        cmocka_unit_test(test_upper_uses_full_mappings),
        cmocka_unit_test(test_lower_handles_sigma_and_dotted_i),
        cmocka_unit_test(test_initcap_title_cases_word_starts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
