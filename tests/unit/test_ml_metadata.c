/*
 * Specification: column metadata and ML attributes. Field metadata is
 * part of the schema (df.schema.json prints it), survives plain selects,
 * aliases and filters of the column (Spark's AttributeReference / Alias
 * keep it) and is dropped by expressions. StringIndexer writes a nominal
 * attribute with its labels, VectorAssembler an attribute group; key
 * order is the one Spark 3.5 (Scala 2.12) prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

#define NOMINAL_ABC "{\"ml_attr\":{\"vals\":[\"a\",\"b\",\"c\"],\"type\":\"nominal\",\"name\":\"idx\"}}"

static lm_df *labelled(lm_session *s)
{
    static const double v0[] = {1.0, 2.0}, v1[] = {3.0, 4.0};
    lm_ml_cell cells[] = {ML_D(0.0), ML_DV(2, v0), ML_D(1.0), ML_DV(2, v1)};
    return lm_ml_create_dataframe(s, "label, features", 2, 2, cells);
}

static void assert_metadata(lm_df *df, const char *col, const char *expected)
{
    char *m = lm_ml_column_metadata(df, col);
    assert_non_null(m);
    assert_string_equal(m, expected);
    free(m);
}

static void test_schema_json_prints_types_and_empty_metadata(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = labelled(s);
    char *j = lm_ml_schema_json(df);
    assert_string_equal(
        j, "{\"type\":\"struct\",\"fields\":[{\"name\":\"label\",\"type\":\"double\",\"nullable\":"
           "true,\"metadata\":{}},{\"name\":\"features\",\"type\":{\"type\":\"udt\",\"class\":"
           "\"org.apache.spark.ml.linalg.VectorUDT\",\"pyClass\":\"pyspark.ml.linalg.VectorUDT\","
           "\"sqlType\":{\"type\":\"struct\",\"fields\":[{\"name\":\"type\",\"type\":\"byte\","
           "\"nullable\":false,\"metadata\":{}},{\"name\":\"size\",\"type\":\"integer\","
           "\"nullable\":true,\"metadata\":{}},{\"name\":\"indices\",\"type\":{\"type\":"
           "\"array\",\"elementType\":\"integer\",\"containsNull\":false},\"nullable\":true,"
           "\"metadata\":{}},{\"name\":\"values\",\"type\":{\"type\":\"array\",\"elementType\":"
           "\"double\",\"containsNull\":false},\"nullable\":true,\"metadata\":{}}]}},"
           "\"nullable\":true,\"metadata\":{}}]}");
    free(j);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_with_metadata_sets_one_column(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = labelled(s);
    lm_df *m = lm_ml_with_metadata(df, "label", NOMINAL_ABC);
    assert_non_null(m);
    assert_metadata(m, "label", NOMINAL_ABC);
    assert_metadata(m, "features", "{}");
    assert_metadata(df, "label", "{}"); /* the input is unchanged */
    assert_null(lm_ml_column_metadata(m, "nope"));
    assert_string_equal(lm_errmsg(s), "nope does not exist. Available: label, features");
    assert_null(lm_ml_with_metadata(df, "label", "[1]"));
    lm_df_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_metadata_survives_select_alias_and_filter(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = labelled(s);
    lm_df *m = lm_ml_with_metadata(df, "label", NOMINAL_ABC);
    lm_df *sel = lm_df_select(m, lm_col("features"), lm_col("label"), NULL);
    assert_metadata(sel, "label", NOMINAL_ABC);
    lm_df *al = lm_df_select(m, lm_alias(lm_col("label"), "y"), NULL);
    assert_metadata(al, "y", NOMINAL_ABC);
    lm_df *fl = lm_df_filter_expr(m, "label > 0");
    assert_metadata(fl, "label", NOMINAL_ABC);
    lm_df *fs = lm_df_select(fl, lm_col("label"), NULL);
    assert_metadata(fs, "label", NOMINAL_ABC);
    lm_df *ex = lm_df_select_expr(m, "label + 1 AS label", NULL);
    assert_metadata(ex, "label", "{}"); /* an expression has no metadata */
    char *j = lm_ml_schema_json(al);
    assert_string_equal(j, "{\"type\":\"struct\",\"fields\":[{\"name\":\"y\",\"type\":\"double\","
                           "\"nullable\":true,\"metadata\":" NOMINAL_ABC "}]}");
    free(j);
    lm_df_free(ex);
    lm_df_free(fs);
    lm_df_free(fl);
    lm_df_free(al);
    lm_df_free(sel);
    lm_df_free(m);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_json_prints_types_and_empty_metadata),
        cmocka_unit_test(test_with_metadata_sets_one_column),
        cmocka_unit_test(test_metadata_survives_select_alias_and_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
