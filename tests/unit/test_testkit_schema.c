/*
 * Specification of schema comparison (lmt_schema_equal, lmt_schema_equal_ddl
 * and their assertions): every difference on its own line, named by its
 * path, actual first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "localmode_testkit.h"
#include "unit/testkit_support.h"

#include "api/df.h"
#include "catalog/catalog.h"
#include "types/type.h"

static void assert_report(lmt_result r, lmt_outcome outcome, const char *expected)
{
    if (r.outcome != outcome || r.report == NULL || strcmp(r.report, expected) != 0)
        fprintf(stderr, "--- got (%d)\n%s\n--- expected\n%s\n", r.outcome,
                r.report ? r.report : "(equal)", expected);
    assert_int_equal(r.outcome, outcome);
    assert_string_equal(r.report, expected);
    lmt_result_free(&r);
}

static void assert_equal_result(lmt_result r)
{
    if (r.outcome != LMT_EQUAL)
        fprintf(stderr, "%s\n", r.report ? r.report : "?");
    assert_int_equal(r.outcome, LMT_EQUAL);
    lmt_result_free(&r);
}

/* A DataFrame of typed NULL columns: the schema is all these tests need. */
#define NESTED                                                                                     \
    "SELECT CAST(NULL AS INT) AS id, CAST(NULL AS STRING) AS name, "                               \
    "CAST(NULL AS STRUCT<city: STRING, zip: INT>) AS address, "                                    \
    "CAST(NULL AS MAP<STRING, INT>) AS scores, CAST(NULL AS DECIMAL(10,2)) AS amount, "            \
    "CAST(NULL AS ARRAY<STRUCT<sku: STRING, qty: INT>>) AS items"

static void test_equal_schema_passes(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, NESTED);
    lmt_result r =
        lmt_schema_equal_ddl(df,
                             "id INT, name STRING, address STRUCT<city: STRING, zip: INT>, "
                             "scores MAP<STRING, INT>, amount DECIMAL(10,2), "
                             "items ARRAY<STRUCT<sku: STRING, qty: INT>>",
                             NULL);
    assert_int_equal(r.total, 6);
    assert_equal_result(r);
    lmt_assert_schema_equal(df, df, NULL);
}

static void test_nested_type_difference_names_its_path(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, NESTED);
    lmt_result r =
        lmt_schema_equal_ddl(df,
                             "id BIGINT, name STRING, address STRUCT<city: STRING, zip: STRING>, "
                             "scores MAP<STRING, BIGINT>, amount DECIMAL(12,2), "
                             "items ARRAY<STRUCT<sku: STRING, qty: DOUBLE>>",
                             NULL);
    assert_int_equal(r.differing, 5);
    assert_report(r, LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  id: int vs bigint\n"
                  "  address.zip: int vs string\n"
                  "  scores.value: int vs bigint\n"
                  "  amount: decimal(10,2) vs decimal(12,2)\n"
                  "  items.element.qty: int vs double");
}

static void test_missing_and_unexpected_fields(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, NESTED);
    assert_report(lmt_schema_equal_ddl(df,
                                       "id INT, address STRUCT<city: STRING, country: STRING>, "
                                       "scores MAP<STRING, INT>, amount DECIMAL(10,2), "
                                       "items ARRAY<STRUCT<sku: STRING, qty: INT>>, email STRING",
                                       NULL),
                  LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  name: unexpected column (string)\n"
                  "  address.zip: unexpected field (int)\n"
                  "  address.country: missing field (string)\n"
                  "  email: missing column (string)");
}

static void test_nullability_when_not_ignored(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, NESTED);
    const char *ddl =
        "id INT NOT NULL, name STRING, address STRUCT<city: STRING NOT NULL, zip: INT>, "
        "scores MAP<STRING, INT>, amount DECIMAL(10,2), "
        "items ARRAY<STRUCT<sku: STRING, qty: INT>>";
    assert_equal_result(lmt_schema_equal_ddl(df, ddl, NULL));
    lmt_df_opts o = lmt_df_opts_default();
    o.ignore_nullable = false;
    assert_report(lmt_schema_equal_ddl(df, ddl, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  id: nullable vs not null\n"
                  "  address.city: nullable vs not null");
}

/* Element and value nullability cannot be written in DDL; build the types. */
static lm_df *df_of_type(lm_session *s, const char *name, lm_type *t)
{
    lm_field f = {(char *)name, t, true, NULL, NULL};
    lm_type *st = lm_type_struct(&f, 1);
    lm_table *tab = lm_table_new(st);
    lm_type_unref(st);
    return lm_df_from_table(s, tab);
}

static void test_element_and_value_nullability(void **state)
{
    lm_session *s = *state;
    lm_type *a1 = lm_type_array(lm_type_int(), true), *a2 = lm_type_array(lm_type_int(), false);
    lm_type *m1 = lm_type_map(lm_type_string(), lm_type_int(), false);
    lm_type *m2 = lm_type_map(lm_type_string(), lm_type_int(), true);
    lm_df *x = df_of_type(s, "tags", a1), *y = df_of_type(s, "tags", a2);
    lm_df *p = df_of_type(s, "m", m1), *q = df_of_type(s, "m", m2);
    lmt_df_opts o = lmt_df_opts_default();
    assert_equal_result(lmt_schema_equal(x, y, &o));
    o.ignore_nullable = false;
    assert_report(lmt_schema_equal(x, y, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  tags.element: nullable vs not null");
    assert_report(lmt_schema_equal(p, q, &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  m.value: not null vs nullable");
    lm_df_free(x);
    lm_df_free(y);
    lm_df_free(p);
    lm_df_free(q);
    lm_type_unref(a1);
    lm_type_unref(a2);
    lm_type_unref(m1);
    lm_type_unref(m2);
}

static void test_field_order_inside_a_struct_matters(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT CAST(NULL AS STRUCT<a: INT, b: INT>) AS s");
    lmt_df_opts o = lmt_df_opts_default();
    o.ignore_column_order = true; /* top-level only, as pyspark's ignoreColumnOrder */
    assert_report(lmt_schema_equal_ddl(df, "s STRUCT<b: INT, a: INT>", &o), LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  s: field order: a, b vs b, a");
}

static void test_comments_are_metadata(void **state)
{
    lm_session *s = *state;
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load_string(
        s, "tables:\n  t:\n    schema: \"name STRING COMMENT 'full name', id INT\"\n", "t.yaml",
        &err);
    assert_non_null(f);
    lm_df *df = lmt_fixture_df(f, "t");
    assert_report(lmt_schema_equal_ddl(df, "name STRING, id INT COMMENT 'key'", NULL),
                  LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  name: comment 'full name' vs none\n"
                  "  id: comment none vs 'key'");
    lmt_df_opts o = lmt_df_opts_default();
    o.ignore_metadata = true;
    assert_equal_result(lmt_schema_equal_ddl(df, "name STRING, id INT COMMENT 'key'", &o));
    lm_df_free(df);
    lmt_fixture_free(f);
}

static void test_names_that_are_not_plain_words_are_quoted(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT CAST(NULL AS STRUCT<`zip code`: INT>) AS `home address`");
    assert_report(lmt_schema_equal_ddl(df, "`home address` STRUCT<`zip code`: STRING>", NULL),
                  LMT_DIFFERENT_SCHEMA,
                  "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):\n"
                  "  `home address`.`zip code`: int vs string");
}

static void test_options_apply_to_schemas(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT 1 AS id, 'x' AS v, 2 AS extra");
    lmt_df_opts o = lmt_df_opts_default();
    static const char *const skip[] = {"extra", NULL};
    o.ignore_columns = skip;
    o.ignore_column_order = true;
    assert_equal_result(lmt_schema_equal_ddl(df, "v STRING, id INT", &o));
    o.ignore_column_order = false;
    o.ignore_column_names = true;
    o.ignore_column_types = true;
    assert_equal_result(lmt_schema_equal_ddl(df, "key BIGINT, value STRING", &o));
}

static void test_compact_schema_report(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, NESTED);
    lmt_df_opts o = lmt_df_opts_default();
    o.format = LMT_FORMAT_COMPACT;
    assert_report(
        lmt_schema_equal_ddl(df,
                             "id INT, name STRING, address STRUCT<city: STRING, zip: STRING>, "
                             "scores MAP<STRING, INT>, amount DECIMAL(10,3), "
                             "items ARRAY<STRUCT<sku: STRING, qty: INT>>",
                             &o),
        LMT_DIFFERENT_SCHEMA,
        "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected): address.zip: int vs "
        "string; amount: decimal(10,2) vs decimal(10,3)");
}

static void test_bad_expected_ddl_is_an_error(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT 1 AS id");
    lmt_result r = lmt_schema_equal_ddl(df, "id INTEGR", NULL);
    assert_int_equal(r.outcome, LMT_ERROR);
    assert_true(strncmp(r.report, "[ERROR] cannot parse the expected schema: ", 42) == 0);
    lmt_result_free(&r);
}

static void child_schema_assert(void **state)
{
    lm_session *s = *state;
    lm_df *df = lmt_sql(s, "SELECT 1 AS id");
    lmt_assert_schema_equal_ddl(df, "id STRING", NULL);
}

static void test_schema_assertion_fails_the_test(void **state)
{
    (void)state;
    tks_child c = tks_run_child(child_schema_assert, "child_schema_assert", false);
    assert_int_equal(c.failed, 1);
    assert_non_null(strstr(c.output, "[DIFFERENT_SCHEMA] Schemas do not match (actual vs "
                                     "expected):\n  id: int vs string\n"));
    free(c.output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_equal_schema_passes),
        lmt_unit_test(test_nested_type_difference_names_its_path),
        lmt_unit_test(test_missing_and_unexpected_fields),
        lmt_unit_test(test_nullability_when_not_ignored),
        lmt_unit_test(test_element_and_value_nullability),
        lmt_unit_test(test_field_order_inside_a_struct_matters),
        lmt_unit_test(test_comments_are_metadata),
        lmt_unit_test(test_names_that_are_not_plain_words_are_quoted),
        lmt_unit_test(test_options_apply_to_schemas),
        lmt_unit_test(test_compact_schema_report),
        lmt_unit_test(test_bad_expected_ddl_is_an_error),
        cmocka_unit_test(test_schema_assertion_fails_the_test),
    };
    return cmocka_run_group_tests(tests, lmt_group_setup, lmt_group_teardown);
}
