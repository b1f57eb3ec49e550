/*
 * Sessions: configuration checks at open and on SET, with Spark's messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "unit/sql_fixture.h"

static char *open_error(const char *key, const char *value)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, key, value);
    char *err = NULL;
    lm_session *s = lm_session_open(c, &err);
    lm_conf_free(c);
    lm_session_close(s);
    return err;
}

static void test_invalid_master_url_fails_open_with_spark_message(void **state)
{
    char *err = open_error("spark.master", "foo");
    assert_non_null(err);
    assert_string_equal(err, "Could not parse Master URL: 'foo'");
    free(err);
}

static void test_non_boolean_conf_fails_open(void **state)
{
    char *err = open_error("spark.sql.ansi.enabled", "maybe");
    assert_non_null(err);
    assert_string_equal(err, "spark.sql.ansi.enabled should be boolean, but was maybe");
    free(err);
}

static void test_local_master_opens(void **state)
{
    char *err = open_error("spark.master", "local[2]");
    assert_null(err);
}

static void test_set_rejects_invalid_value_and_keeps_old_one(void **state)
{
    lm_session *s = fixture_session();
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SET spark.sql.shuffle.partitions=0", &df), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "'0' in spark.sql.shuffle.partitions is invalid. The value "
                                      "of spark.sql.shuffle.partitions must be positive");
    assert_rows(s, "SET spark.sql.shuffle.partitions", "spark.sql.shuffle.partitions\t<undefined>");
    lm_session_close(s);
}

static void test_malformed_decimal_literal_is_a_parse_error(void **state)
{
    lm_session *s = fixture_session();
    assert_rows(s, "SELECT 1234567890123456789012345678901234567890.0",
                "ERROR DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION");
    lm_session_close(s);
}

static void test_invalid_date_literal_is_invalid_typed_literal(void **state)
{
    lm_session *s = fixture_session();
    assert_rows(s, "SELECT DATE 'mar 11 2016'", "ERROR INVALID_TYPED_LITERAL");
    assert_string_equal(lm_errexception(s), "org.apache.spark.sql.catalyst.parser.ParseException");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_master_url_fails_open_with_spark_message),
        cmocka_unit_test(test_non_boolean_conf_fails_open),
        cmocka_unit_test(test_local_master_opens),
        cmocka_unit_test(test_set_rejects_invalid_value_and_keeps_old_one),
        cmocka_unit_test(test_malformed_decimal_literal_is_a_parse_error),
        cmocka_unit_test(test_invalid_date_literal_is_invalid_typed_literal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
