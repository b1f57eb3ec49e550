/*
 * Specification: StringIndexer, StringIndexerModel, IndexToString.
 * Data and results of pyspark's StringIndexer documentation example.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static lm_df *letters(lm_session *s)
{
    lm_ml_cell cells[] = {ML_L(0), ML_S("a"), ML_L(1), ML_S("b"), ML_L(2), ML_S("c"),
                          ML_L(3), ML_S("a"), ML_L(4), ML_S("a"), ML_L(5), ML_S("c")};
    return lm_ml_create_dataframe(s, "id, label", 6, 2, cells);
}

static lm_ml_stage *indexer(lm_session *s, const char *order, const char *handle)
{
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    lm_ml_set_string(si, "inputCol", "label");
    lm_ml_set_string(si, "outputCol", "indexed");
    if (order)
        assert_int_equal(lm_ml_set_string(si, "stringOrderType", order), LM_OK);
    if (handle)
        assert_int_equal(lm_ml_set_string(si, "handleInvalid", handle), LM_OK);
    return si;
}

static void assert_labels(lm_ml_stage *m, const char *joined)
{
    const char *const *labels;
    int n = lm_ml_get_strings(m, "labels", &labels);
    char buf[256] = "";
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, labels[i]);
    }
    assert_string_equal(buf, joined);
}

static void test_indexer_frequency_desc_orders_by_count(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = letters(s);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    assert_non_null(m);
    assert_string_equal(lm_ml_class(m), "StringIndexerModel");
    assert_string_equal(lm_ml_uid(m), lm_ml_uid(si));
    assert_labels(m, "a,c,b");
    lm_df *out = lm_ml_transform(m, df);
    assert_cols(s, out, "label", "indexed", "a|0.0\nb|2.0\nc|1.0\na|0.0\na|0.0\nc|1.0");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_indexer_order_types(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = letters(s);
    const char *orders[] = {"frequencyAsc", "alphabetDesc", "alphabetAsc"};
    const char *want[] = {"b,c,a", "c,b,a", "a,b,c"};
    for (int i = 0; i < 3; i++) {
        lm_ml_stage *si = indexer(s, orders[i], NULL);
        lm_ml_stage *m = lm_ml_fit(si, df);
        assert_labels(m, want[i]);
        lm_ml_free(m);
        lm_ml_free(si);
    }
    lm_df_free(df);
    lm_session_close(s);
}

/* Equal counts are ordered alphabetically, under frequencyDesc and Asc. */
static void test_indexer_ties_break_alphabetically(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("z"), ML_S("b"), ML_S("y"), ML_S("b"), ML_S("a")};
    lm_df *df = lm_ml_create_dataframe(s, "label", 5, 1, cells);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    assert_labels(m, "b,a,y,z");
    lm_ml_free(m);
    lm_ml_free(si);
    si = indexer(s, "frequencyAsc", NULL);
    m = lm_ml_fit(si, df);
    assert_labels(m, "a,y,z,b");
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

static lm_df *with_unseen(lm_session *s)
{
    lm_ml_cell cells[] = {ML_S("a"), ML_S("d"), ML_NULL(), ML_S("c")};
    return lm_ml_create_dataframe(s, "label", 4, 1, cells);
}

static void test_indexer_handle_invalid(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = letters(s);
    lm_df *test = with_unseen(s);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    assert_null(lm_ml_transform(m, test));
    assert_string_equal(lm_errexception(s), "org.apache.spark.SparkException");
    assert_string_equal(
        lm_errmsg(s), "Unseen label: d. To handle unseen labels, set Param handleInvalid to keep.");
    lm_ml_set_string(m, "handleInvalid", "skip");
    lm_df *out = lm_ml_transform(m, test);
    assert_cols(s, out, "label", "indexed", "a|0.0\nc|1.0");
    lm_df_free(out);
    lm_ml_set_string(m, "handleInvalid", "keep");
    out = lm_ml_transform(m, test);
    assert_cols(s, out, "label", "indexed", "a|0.0\nd|3.0\nNULL|3.0\nc|1.0");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(test);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_indexer_null_in_error_mode(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("a"), ML_NULL()};
    lm_df *df = lm_ml_create_dataframe(s, "label", 2, 1, cells);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    assert_labels(m, "a");
    assert_null(lm_ml_transform(m, df));
    assert_string_equal(lm_errmsg(s), "StringIndexer encountered NULL value. To handle or skip "
                                      "NULLS, try setting StringIndexer.handleInvalid.");
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

/* Numeric columns are indexed by their string cast. */
static void test_indexer_numeric_input(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_D(2.0), ML_D(1.5), ML_D(2.0)};
    lm_df *df = lm_ml_create_dataframe(s, "label", 3, 1, cells);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    assert_labels(m, "2.0,1.5");
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_indexer_multiple_columns(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("x"), ML_S("p"), ML_S("y"), ML_S("q"), ML_S("y"), ML_S("q")};
    lm_df *df = lm_ml_create_dataframe(s, "a, b", 3, 2, cells);
    lm_ml_stage *si = lm_ml_new(s, "StringIndexer");
    const char *in[] = {"a", "b"}, *out[] = {"ai", "bi"};
    lm_ml_set_strings(si, "inputCols", 2, in);
    lm_ml_set_strings(si, "outputCols", 2, out);
    lm_df *res = fit_transform(si, df);
    assert_cols(s, res, "ai", "bi", "1.0|1.0\n0.0|0.0\n0.0|0.0");
    lm_df_free(res);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_index_to_string_maps_back(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = letters(s);
    lm_ml_stage *si = indexer(s, NULL, NULL);
    lm_ml_stage *m = lm_ml_fit(si, df);
    lm_df *idx = lm_ml_transform(m, df);
    const char *const *labels;
    int n = lm_ml_get_strings(m, "labels", &labels);
    lm_ml_stage *its = lm_ml_new(s, "IndexToString");
    lm_ml_set_string(its, "inputCol", "indexed");
    lm_ml_set_string(its, "outputCol", "orig");
    lm_ml_set_strings(its, "labels", n, labels);
    lm_df *back = lm_ml_transform(its, idx);
    assert_cols(s, back, "indexed", "orig", "0.0|a\n2.0|b\n1.0|c\n0.0|a\n0.0|a\n1.0|c");
    lm_df_free(back);
    /* an index past the labels fails as Spark's "Unseen index" */
    lm_ml_set_strings(its, "labels", 1, labels);
    assert_null(lm_ml_transform(its, idx));
    assert_string_equal(lm_errmsg(s), "Unseen index: 2.0 ??");
    lm_ml_free(its);
    lm_df_free(idx);
    lm_ml_free(m);
    lm_ml_free(si);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indexer_frequency_desc_orders_by_count),
        cmocka_unit_test(test_indexer_order_types),
        cmocka_unit_test(test_indexer_ties_break_alphabetically),
        cmocka_unit_test(test_indexer_handle_invalid),
        cmocka_unit_test(test_indexer_null_in_error_mode),
        cmocka_unit_test(test_indexer_numeric_input),
        cmocka_unit_test(test_indexer_multiple_columns),
        cmocka_unit_test(test_index_to_string_maps_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
