/*
 * Specification: ML vectors as a column type (Spark's VectorUDT) and
 * VectorAssembler.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_fixture.h"

static const double V12[] = {1.0, 2.0};
static const int I02[] = {0, 2};
static const double V13[] = {1.0, 3.0};

static lm_df *vectors_df(lm_session *s)
{
    lm_ml_cell cells[] = {
        ML_D(1.0), ML_DV(2, V12), ML_D(2.0), ML_SV(3, 2, I02, V13), ML_D(3.0), ML_NULL(),
    };
    return lm_ml_create_dataframe(s, "id, features", 3, 2, cells);
}

static void test_vector_show_prints_dense_and_sparse_forms(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = vectors_df(s);
    char *text = lm_df_show_string(df, 20, 20, false);
    assert_string_equal(text, "+---+-------------------+\n"
                              "| id|           features|\n"
                              "+---+-------------------+\n"
                              "|1.0|          [1.0,2.0]|\n"
                              "|2.0|(3,[0,2],[1.0,3.0])|\n"
                              "|3.0|               NULL|\n"
                              "+---+-------------------+\n");
    free(text);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_vector_print_schema_says_vector(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = vectors_df(s);
    char *tree = lm_df_tree_string(df);
    assert_string_equal(tree, "root\n"
                              " |-- id: double (nullable = true)\n"
                              " |-- features: vector (nullable = true)\n");
    free(tree);
    /* catalogString is the UDT's sqlType */
    char *cat = lm_df_schema_string(df);
    assert_string_equal(cat, "struct<id:double,features:struct<type:tinyint,size:int,"
                             "indices:array<int>,values:array<double>>>");
    free(cat);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_vector_cast_to_string_is_to_string(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = vectors_df(s);
    lm_df *c = lm_df_select(df, lm_cast(lm_col("features"), "string"), NULL);
    assert_ml_rows(s, c, "[1.0,2.0]\n(3,[0,2],[1.0,3.0])\nNULL");
    lm_df_free(c);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_vector_array_round_trip(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = vectors_df(s);
    lm_df *a = lm_ml_vector_to_array(df, "features", "arr");
    lm_df *sel = lm_df_select(a, lm_col("arr"), NULL);
    assert_ml_rows(s, sel, "[1.0, 2.0]\n[1.0, 0.0, 3.0]\nNULL");
    lm_df *back = lm_ml_array_to_vector(sel, "arr", "v");
    lm_df *v = lm_df_select(back, lm_col("v"), NULL);
    assert_ml_rows(s, v, "[1.0,2.0]\n[1.0,0.0,3.0]\nNULL");
    lm_df_free(v);
    lm_df_free(back);
    lm_df_free(sel);
    lm_df_free(a);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_vector_rows_accessors(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = vectors_df(s);
    lm_rows *rows;
    assert_int_equal(lm_df_collect(df, &rows), LM_OK);
    double out[4];
    assert_int_equal(lm_ml_rows_vector(rows, 1, 1, out, 4), 3);
    assert_true(out[0] == 1.0 && out[1] == 0.0 && out[2] == 3.0);
    assert_int_equal(lm_ml_rows_vector(rows, 2, 1, out, 4), -1);
    double d;
    assert_true(lm_ml_rows_double(rows, 2, 0, &d));
    assert_true(d == 3.0);
    lm_rows_free(rows);
    lm_df_free(df);
    lm_session_close(s);
}

/* pyspark VectorAssembler docstring: (1, 0, 3) -> [1.0,0.0,3.0] */
static void test_assembler_concatenates_numbers(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_L(1), ML_L(0), ML_L(3)};
    lm_df *df = lm_ml_create_dataframe(s, "a, b, c", 1, 3, cells);
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"a", "b", "c"};
    assert_int_equal(lm_ml_set_strings(va, "inputCols", 3, in), LM_OK);
    assert_int_equal(lm_ml_set_string(va, "outputCol", "features"), LM_OK);
    lm_df *out = lm_ml_transform(va, df);
    assert_ml_rows(s, out, "1|0|3|[1.0,0.0,3.0]");
    lm_df_free(out);
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

/* The output is Vector.compressed: sparse when that is smaller. */
static void test_assembler_output_is_compressed(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double z5[] = {0, 0, 0, 0, 7};
    lm_ml_cell cells[] = {ML_D(0.0), ML_DV(5, z5)};
    lm_df *df = lm_ml_create_dataframe(s, "x, v", 1, 2, cells);
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"x", "v"};
    lm_ml_set_strings(va, "inputCols", 2, in);
    lm_ml_set_string(va, "outputCol", "f");
    lm_df *out = lm_ml_transform(va, df);
    lm_df *f = lm_df_select(out, lm_col("f"), NULL);
    assert_ml_rows(s, f, "(6,[5],[7.0])");
    lm_df_free(f);
    lm_df_free(out);
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

static lm_df *with_invalid(lm_session *s)
{
    lm_ml_cell cells[] = {
        ML_D(1.0), ML_D(2.0), ML_D(NAN), ML_D(4.0), ML_NULL(), ML_D(6.0),
    };
    return lm_ml_create_dataframe(s, "a, b", 3, 2, cells);
}

static lm_ml_stage *assembler(lm_session *s, const char *handle)
{
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"a", "b"};
    lm_ml_set_strings(va, "inputCols", 2, in);
    lm_ml_set_string(va, "outputCol", "f");
    if (handle)
        assert_int_equal(lm_ml_set_string(va, "handleInvalid", handle), LM_OK);
    return va;
}

static void test_assembler_error_mode_fails_on_nan(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = with_invalid(s);
    lm_ml_stage *va = assembler(s, NULL);
    assert_null(lm_ml_transform(va, df));
    assert_string_equal(lm_errexception(s), "org.apache.spark.SparkException");
    assert_non_null(strstr(lm_errmsg(s), "Encountered NaN while assembling a row with "
                                         "handleInvalid = \"error\""));
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_assembler_skip_drops_null_and_nan_rows(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = with_invalid(s);
    lm_ml_stage *va = assembler(s, "skip");
    lm_df *out = lm_ml_transform(va, df);
    assert_ml_rows(s, out, "1.0|2.0|[1.0,2.0]");
    lm_df_free(out);
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_assembler_keep_writes_nan(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = with_invalid(s);
    lm_ml_stage *va = assembler(s, "keep");
    lm_df *out = lm_ml_transform(va, df);
    lm_df *f = lm_df_select(out, lm_col("f"), NULL);
    assert_ml_rows(s, f, "[1.0,2.0]\n[NaN,4.0]\n[NaN,6.0]");
    lm_df_free(f);
    lm_df_free(out);
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_assembler_rejects_bad_handle_invalid(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    assert_int_equal(lm_ml_set_string(va, "handleInvalid", "drop"), LM_ERROR);
    assert_string_equal(lm_errexception(s), "java.lang.IllegalArgumentException");
    char want[128];
    snprintf(want, sizeof want, "%s parameter handleInvalid given invalid value drop.",
             lm_ml_uid(va));
    assert_string_equal(lm_errmsg(s), want);
    assert_int_equal(lm_ml_set_string(va, "nope", "x"), LM_ERROR);
    assert_string_equal(lm_errmsg(s), "Param nope does not exist.");
    lm_ml_free(va);
    lm_session_close(s);
}

static void test_assembler_missing_column_fails(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = with_invalid(s);
    lm_ml_stage *va = lm_ml_new(s, "VectorAssembler");
    const char *in[] = {"a", "zz"};
    lm_ml_set_strings(va, "inputCols", 2, in);
    lm_ml_set_string(va, "outputCol", "f");
    assert_null(lm_ml_transform(va, df));
    assert_non_null(strstr(lm_errmsg(s), "zz does not exist"));
    lm_ml_free(va);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_unknown_class_fails(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    assert_null(lm_ml_new(s, "NoSuchThing"));
    assert_string_equal(lm_errmsg(s), "unknown ML class: NoSuchThing");
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_show_prints_dense_and_sparse_forms),
        cmocka_unit_test(test_vector_print_schema_says_vector),
        cmocka_unit_test(test_vector_cast_to_string_is_to_string),
        cmocka_unit_test(test_vector_array_round_trip),
        cmocka_unit_test(test_vector_rows_accessors),
        cmocka_unit_test(test_assembler_concatenates_numbers),
        cmocka_unit_test(test_assembler_output_is_compressed),
        cmocka_unit_test(test_assembler_error_mode_fails_on_nan),
        cmocka_unit_test(test_assembler_skip_drops_null_and_nan_rows),
        cmocka_unit_test(test_assembler_keep_writes_nan),
        cmocka_unit_test(test_assembler_rejects_bad_handle_invalid),
        cmocka_unit_test(test_assembler_missing_column_fails),
        cmocka_unit_test(test_unknown_class_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
