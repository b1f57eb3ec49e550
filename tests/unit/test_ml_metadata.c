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

/* cat: a b a c a b -> frequencyDesc labels a, b, c */
static lm_df *categories(lm_session *s)
{
    static const char *cats[] = {"a", "b", "a", "c", "a", "b"};
    static const double xs[] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5};
    static const double v[] = {0.0, 7.0};
    lm_ml_cell cells[18];
    for (int r = 0; r < 6; r++) {
        cells[r * 3] = ML_S(cats[r]);
        cells[r * 3 + 1] = ML_D(xs[r]);
        cells[r * 3 + 2] = ML_DV(2, v);
    }
    return lm_ml_create_dataframe(s, "cat, x, v", 6, 3, cells);
}

static lm_df *indexed(lm_session *s, lm_df *df, const char *handle)
{
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(si, "inputCol", "cat");
    lm_ml_set_string(si, "outputCol", "idx");
    if (handle)
        lm_ml_set_string(si, "handleInvalid", handle);
    lm_df *out = fit_transform(si, df);
    lm_ml_free(si);
    return out;
}

static void test_string_indexer_writes_nominal_attribute(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = categories(s);
    lm_df *ix = indexed(s, df, NULL);
    assert_metadata(ix, "idx", NOMINAL_ABC);
    assert_metadata(ix, "cat", "{}");
    lm_df *keep = indexed(s, df, "keep");
    assert_metadata(keep, "idx",
                    "{\"ml_attr\":{\"vals\":[\"a\",\"b\",\"c\",\"__unknown\"],\"type\":"
                    "\"nominal\",\"name\":\"idx\"}}");
    lm_df_free(keep);
    lm_df_free(ix);
    lm_df_free(df);
    lm_session_close(s);
}

static lm_df *assembled(lm_session *s, lm_df *df, int n, const char *const *cols)
{
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    lm_ml_set_strings(va, "inputCols", n, cols);
    lm_ml_set_string(va, "outputCol", "features");
    lm_df *out = lm_ml_transform(va, df);
    lm_ml_free(va);
    return out;
}

static void test_vector_assembler_builds_attribute_group(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = categories(s);
    lm_df *ix = indexed(s, df, NULL);
    static const char *const cols[] = {"idx", "x", "v"};
    lm_df *va = assembled(s, ix, 3, cols);
    assert_metadata(va, "features",
                    "{\"ml_attr\":{\"attrs\":{\"numeric\":[{\"idx\":1,\"name\":\"x\"},{\"idx\":2,"
                    "\"name\":\"v_0\"},{\"idx\":3,\"name\":\"v_1\"}],\"nominal\":[{\"vals\":[\"a\","
                    "\"b\",\"c\"],\"idx\":0,\"name\":\"idx\"}]},\"num_attrs\":4}}");
    /* a vector input with a group passes its attributes on, renamed */
    static const char *const again[] = {"x", "features"};
    lm_ml_stage *rn = lm_ml_new(s, "VectorAssembler");
    lm_ml_set_strings(rn, "inputCols", 2, again);
    lm_ml_set_string(rn, "outputCol", "f2");
    lm_df *va3 = lm_ml_transform(rn, va);
    assert_metadata(va3, "f2",
                    "{\"ml_attr\":{\"attrs\":{\"numeric\":[{\"idx\":0,\"name\":\"x\"},{\"idx\":2,"
                    "\"name\":\"features_x\"},{\"idx\":3,\"name\":\"features_v_0\"},{\"idx\":4,"
                    "\"name\":\"features_v_1\"}],\"nominal\":[{\"vals\":[\"a\",\"b\",\"c\"],"
                    "\"idx\":1,\"name\":\"features_idx\"}]},\"num_attrs\":5}}");
    lm_df_free(va3);
    lm_ml_free(rn);
    lm_df_free(va);
    lm_df_free(ix);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_index_to_string_reads_labels_from_metadata(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = categories(s);
    lm_df *ix = indexed(s, df, NULL);
    lm_ml_stage *its = lm_ml_new(s, "IndexToString");
    lm_ml_set_string(its, "inputCol", "idx");
    lm_ml_set_string(its, "outputCol", "back");
    lm_df *back = lm_ml_transform(its, ix);
    assert_cols(s, back, "idx", "back", "0.0|a\n1.0|b\n0.0|a\n2.0|c\n0.0|a\n1.0|b");
    assert_metadata(back, "back", "{}");
    /* a plain double column has no attribute: Spark's cast fails */
    lm_ml_stage *its2 = lm_ml_new(s, "IndexToString");
    lm_ml_set_string(its2, "inputCol", "x");
    lm_ml_set_string(its2, "outputCol", "back");
    assert_null(lm_ml_transform(its2, ix));
    assert_string_equal(lm_errmsg(s),
                        "class org.apache.spark.ml.attribute.UnresolvedAttribute$ cannot be cast "
                        "to class org.apache.spark.ml.attribute.NominalAttribute");
    lm_ml_free(its2);
    lm_ml_free(its);
    lm_df_free(back);
    lm_df_free(ix);
    lm_df_free(df);
    lm_session_close(s);
}

/* Spark keeps field metadata in the Parquet footer's schema and reads it
   back: ML attributes survive a save and a load. */
static void test_metadata_survives_a_parquet_round_trip(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT 1.0D AS idx, 'x' AS s", &df), LM_OK);
    lm_df *m = lm_ml_with_metadata(df, "idx", NOMINAL_ABC);
    assert_non_null(m);
    char dir[] = "/tmp/lm_ml_meta_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/out", dir);
    assert_int_equal(lm_write(m, "parquet", path, NULL, NULL, NULL, 0), LM_OK);
    lm_df *back = NULL;
    assert_int_equal(lm_read(s, "parquet", path, NULL, NULL, &back), LM_OK);
    assert_metadata(back, "idx", NOMINAL_ABC);
    assert_metadata(back, "s", "{}");
    lm_df_free(back);
    lm_df_free(m);
    lm_df_free(df);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_json_prints_types_and_empty_metadata),
        cmocka_unit_test(test_with_metadata_sets_one_column),
        cmocka_unit_test(test_metadata_survives_select_alias_and_filter),
        cmocka_unit_test(test_string_indexer_writes_nominal_attribute),
        cmocka_unit_test(test_vector_assembler_builds_attribute_group),
        cmocka_unit_test(test_index_to_string_reads_labels_from_metadata),
        cmocka_unit_test(test_metadata_survives_a_parquet_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
