/*
 * Specification: OneHotEncoder, StandardScaler, MinMaxScaler, Bucketizer,
 * Imputer, Tokenizer, RegexTokenizer, StopWordsRemover, HashingTF, IDF and
 * PolynomialExpansion. Expected values are those of pyspark's
 * documentation examples where they exist, otherwise worked by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static lm_ml_stage *stage(lm_session *s, const char *cls, const char *in, const char *out)
{
    lm_ml_stage *st = lm_ml_new(s, cls);
    assert_non_null(st);
    if (in)
        assert_int_equal(lm_ml_set_string(st, "inputCol", in), LM_OK);
    if (out)
        assert_int_equal(lm_ml_set_string(st, "outputCol", out), LM_OK);
    return st;
}

/* ------------------------------------------------------------ OneHotEncoder */

static lm_df *categories(lm_session *s)
{
    lm_ml_cell cells[] = {ML_D(0.0), ML_D(1.0), ML_D(2.0)};
    return lm_ml_create_dataframe(s, "input", 3, 1, cells);
}

static void test_one_hot_drop_last(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = categories(s);
    lm_ml_stage *ohe = stage(s, "OneHotEncoder", "input", "output");
    lm_ml_stage *m = lm_ml_fit(ohe, df);
    const double *sizes;
    assert_int_equal(lm_ml_get_doubles(m, "categorySizes", &sizes), 1);
    assert_true(sizes[0] == 3.0);
    lm_df *out = lm_ml_transform(m, df);
    assert_cols(s, out, "output", NULL, "(2,[0],[1.0])\n(2,[1],[1.0])\n(2,[],[])");
    lm_df_free(out);
    lm_ml_set_bool(m, "dropLast", false);
    out = lm_ml_transform(m, df);
    assert_cols(s, out, "output", NULL, "(3,[0],[1.0])\n(3,[1],[1.0])\n(3,[2],[1.0])");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(ohe);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_one_hot_invalid(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = categories(s);
    lm_ml_cell cells[] = {ML_D(5.0)};
    lm_df *test = lm_ml_create_dataframe(s, "input", 1, 1, cells);
    lm_ml_stage *ohe = stage(s, "OneHotEncoder", "input", "output");
    lm_ml_stage *m = lm_ml_fit(ohe, df);
    assert_null(lm_ml_transform(m, test));
    assert_string_equal(lm_errmsg(s), "Unseen value: 5.0. To handle unseen values, set Param "
                                      "handleInvalid to keep.");
    lm_ml_set_string(m, "handleInvalid", "keep");
    lm_df *out = lm_ml_transform(m, test);
    /* keep + dropLast: size stays 3, the invalid slot is the dropped one */
    assert_cols(s, out, "output", NULL, "(3,[],[])");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(ohe);
    lm_df_free(test);
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------------------ scalers */

static lm_df *zero_two(lm_session *s)
{
    static const double v0[] = {0.0}, v2[] = {2.0};
    lm_ml_cell cells[] = {ML_DV(1, v0), ML_DV(1, v2)};
    return lm_ml_create_dataframe(s, "a", 2, 1, cells);
}

static void test_standard_scaler_unbiased_std(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = zero_two(s);
    lm_ml_stage *sc = stage(s, "StandardScaler", "a", "scaled");
    lm_ml_stage *m = lm_ml_fit(sc, df);
    const double *mean, *std;
    assert_int_equal(lm_ml_get_doubles(m, "mean", &mean), 1);
    assert_int_equal(lm_ml_get_doubles(m, "std", &std), 1);
    assert_true(mean[0] == 1.0);
    assert_close(std[0], 1.4142135623730951, 1e-15);
    lm_df *out = lm_ml_transform(m, df);
    assert_cols(s, out, "scaled", NULL, "[0.0]\n[1.414213562373095]");
    lm_df_free(out);
    lm_ml_set_bool(m, "withMean", true);
    out = lm_ml_transform(m, df);
    assert_cols(s, out, "scaled", NULL, "[-0.7071067811865475]\n[0.7071067811865475]");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(sc);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_standard_scaler_keeps_sparse_without_mean(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const int i1[] = {1};
    static const double v4[] = {4.0}, v2[] = {2.0};
    lm_ml_cell cells[] = {ML_SV(2, 1, i1, v4), ML_SV(2, 1, i1, v2)};
    lm_df *df = lm_ml_create_dataframe(s, "a", 2, 1, cells);
    lm_ml_stage *sc = stage(s, "StandardScaler", "a", "scaled");
    lm_df *out = fit_transform(sc, df);
    /* std of column 1 is sqrt(2): 4/sqrt(2), 2/sqrt(2); column 0 has std 0 */
    assert_cols(s, out, "scaled", NULL, "(2,[1],[2.82842712474619])\n(2,[1],[1.414213562373095])");
    lm_df_free(out);
    lm_ml_free(sc);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_min_max_scaler(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double a[] = {0.0, 5.0}, b[] = {2.0, 5.0}, c[] = {1.0, 5.0};
    lm_ml_cell cells[] = {ML_DV(2, a), ML_DV(2, b), ML_DV(2, c)};
    lm_df *df = lm_ml_create_dataframe(s, "a", 3, 1, cells);
    lm_ml_stage *sc = stage(s, "MinMaxScaler", "a", "scaled");
    lm_ml_stage *m = lm_ml_fit(sc, df);
    const double *mn, *mx;
    assert_int_equal(lm_ml_get_doubles(m, "originalMin", &mn), 2);
    assert_int_equal(lm_ml_get_doubles(m, "originalMax", &mx), 2);
    assert_true(mn[0] == 0.0 && mx[0] == 2.0 && mn[1] == 5.0 && mx[1] == 5.0);
    lm_df *out = lm_ml_transform(m, df);
    /* a constant feature maps to (min + max) / 2 */
    assert_cols(s, out, "scaled", NULL, "[0.0,0.5]\n[1.0,0.5]\n[0.5,0.5]");
    lm_df_free(out);
    lm_ml_set_double(m, "min", -1.0);
    out = lm_ml_transform(m, df);
    assert_cols(s, out, "scaled", NULL, "[-1.0,0.0]\n[1.0,0.0]\n[0.0,0.0]");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(sc);
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------------------ Bucketizer */

static lm_df *bucket_values(lm_session *s)
{
    lm_ml_cell cells[] = {ML_D(0.1), ML_D(0.4), ML_D(1.2), ML_D(1.5), ML_D(NAN), ML_D(1e9)};
    return lm_ml_create_dataframe(s, "values", 6, 1, cells);
}

static lm_ml_stage *bucketizer(lm_session *s, const char *handle)
{
    static const double splits[] = {-INFINITY, 0.5, 1.4, INFINITY};
    lm_ml_stage *b = stage(s, "Bucketizer", "values", "buckets");
    lm_ml_set_doubles(b, "splits", 4, splits);
    if (handle)
        lm_ml_set_string(b, "handleInvalid", handle);
    return b;
}

static void test_bucketizer_keep_puts_nan_in_extra_bucket(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = bucket_values(s);
    lm_ml_stage *b = bucketizer(s, "keep");
    lm_df *out = lm_ml_transform(b, df);
    assert_cols(s, out, "values", "buckets",
                "0.1|0.0\n0.4|0.0\n1.2|1.0\n1.5|2.0\nNaN|3.0\n1.0E9|2.0");
    lm_df_free(out);
    lm_ml_set_string(b, "handleInvalid", "skip");
    out = lm_ml_transform(b, df);
    assert_cols(s, out, "buckets", NULL, "0.0\n0.0\n1.0\n2.0\n2.0");
    lm_df_free(out);
    lm_ml_set_string(b, "handleInvalid", "error");
    assert_null(lm_ml_transform(b, df));
    assert_string_equal(lm_errmsg(s), "Bucketizer encountered NaN value. To handle or skip NaNs, "
                                      "try setting Bucketizer.handleInvalid.");
    lm_ml_free(b);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_bucketizer_bounds(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double splits[] = {0.0, 1.0, 2.0};
    lm_ml_cell cells[] = {ML_D(2.0), ML_D(0.0), ML_D(3.0)};
    lm_df *df = lm_ml_create_dataframe(s, "values", 2, 1, cells);
    lm_ml_stage *b = stage(s, "Bucketizer", "values", "buckets");
    lm_ml_set_doubles(b, "splits", 3, splits);
    lm_df *out = lm_ml_transform(b, df);
    /* the last split belongs to the last bucket */
    assert_cols(s, out, "buckets", NULL, "1.0\n0.0");
    lm_df_free(out);
    lm_df *bad = lm_ml_create_dataframe(s, "values", 1, 1, cells + 2);
    assert_null(lm_ml_transform(b, bad));
    assert_string_equal(lm_errmsg(s), "Feature value 3.0 out of Bucketizer bounds [0.0, 2.0]. "
                                      "Check your features, or loosen the lower/upper bound "
                                      "constraints.");
    lm_df_free(bad);
    lm_ml_free(b);
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------------------ Imputer */

static lm_df *imputer_data(lm_session *s)
{
    lm_ml_cell cells[] = {ML_D(1.0), ML_D(NAN), ML_D(2.0), ML_D(NAN), ML_D(NAN),
                          ML_D(3.0), ML_D(4.0), ML_D(4.0), ML_D(5.0), ML_D(5.0)};
    return lm_ml_create_dataframe(s, "a, b", 5, 2, cells);
}

static lm_ml_stage *imputer(lm_session *s, const char *strategy)
{
    lm_ml_stage *im = lm_ml_new(s, "Imputer");
    const char *in[] = {"a", "b"}, *out[] = {"out_a", "out_b"};
    lm_ml_set_strings(im, "inputCols", 2, in);
    lm_ml_set_strings(im, "outputCols", 2, out);
    if (strategy)
        assert_int_equal(lm_ml_set_string(im, "strategy", strategy), LM_OK);
    return im;
}

static void test_imputer_mean(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = imputer_data(s);
    lm_ml_stage *im = imputer(s, NULL);
    lm_ml_stage *m = lm_ml_fit(im, df);
    const double *sur;
    assert_int_equal(lm_ml_get_doubles(m, "surrogates", &sur), 2);
    assert_true(sur[0] == 3.0 && sur[1] == 4.0);
    lm_df *out = lm_ml_transform(m, df);
    assert_cols(s, out, "out_a", "out_b", "1.0|4.0\n2.0|4.0\n3.0|3.0\n4.0|4.0\n5.0|5.0");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(im);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_imputer_median_and_mode(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = imputer_data(s);
    lm_ml_stage *im = imputer(s, "median");
    lm_ml_stage *m = lm_ml_fit(im, df);
    const double *sur;
    lm_ml_get_doubles(m, "surrogates", &sur);
    assert_true(sur[0] == 2.0 && sur[1] == 4.0);
    lm_ml_free(m);
    lm_ml_free(im);
    im = imputer(s, "mode");
    m = lm_ml_fit(im, df);
    lm_ml_get_doubles(m, "surrogates", &sur);
    /* all counts tie: the smallest value */
    assert_true(sur[0] == 1.0 && sur[1] == 3.0);
    lm_ml_free(m);
    lm_ml_free(im);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_imputer_keeps_integer_type(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_L(1), ML_NULL(), ML_L(4)};
    lm_df *df = lm_ml_create_dataframe(s, "a", 3, 1, cells);
    lm_ml_stage *im = stage(s, "Imputer", "a", "b");
    lm_df *out = fit_transform(im, df);
    /* mean 2.5 cast back to bigint */
    assert_cols(s, out, "a", "b", "1|1\nNULL|2\n4|4");
    char *schema = lm_df_schema_string(out);
    assert_string_equal(schema, "struct<a:bigint,b:bigint>");
    free(schema);
    lm_df_free(out);
    lm_ml_free(im);
    lm_df_free(df);
    lm_session_close(s);
}

/* ------------------------------------------------------------ text */

static void test_tokenizer_splits_on_single_whitespace(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("a b c"), ML_S("Hello  World "), ML_S(" x")};
    lm_df *df = lm_ml_create_dataframe(s, "text", 3, 1, cells);
    lm_ml_stage *t = stage(s, "Tokenizer", "text", "words");
    lm_df *out = lm_ml_transform(t, df);
    assert_cols(s, out, "words", NULL, "[a, b, c]\n[hello, , world]\n[, x]");
    lm_df_free(out);
    lm_ml_free(t);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_regex_tokenizer(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("A B  c"), ML_S("Hi, I am here")};
    lm_df *df = lm_ml_create_dataframe(s, "text", 2, 1, cells);
    lm_ml_stage *t = stage(s, "RegexTokenizer", "text", "words");
    lm_df *out = lm_ml_transform(t, df);
    assert_cols(s, out, "words", NULL, "[a, b, c]\n[hi,, i, am, here]");
    lm_df_free(out);
    lm_ml_set_string(t, "pattern", "\\w+");
    lm_ml_set_bool(t, "gaps", false);
    lm_ml_set_int(t, "minTokenLength", 2);
    out = lm_ml_transform(t, df);
    assert_cols(s, out, "words", NULL, "[]\n[hi, am, here]");
    lm_df_free(out);
    lm_ml_free(t);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_stop_words_remover(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("I saw the red balloon")};
    lm_df *df = lm_ml_create_dataframe(s, "text", 1, 1, cells);
    lm_ml_stage *t = stage(s, "Tokenizer", "text", "raw");
    lm_df *tok = lm_ml_transform(t, df);
    lm_ml_stage *sw = stage(s, "StopWordsRemover", "raw", "filtered");
    lm_df *out = lm_ml_transform(sw, tok);
    assert_cols(s, out, "filtered", NULL, "[saw, red, balloon]");
    lm_df_free(out);
    const char *mine[] = {"SAW"};
    lm_ml_set_strings(sw, "stopWords", 1, mine);
    out = lm_ml_transform(sw, tok);
    assert_cols(s, out, "filtered", NULL, "[i, the, red, balloon]");
    lm_df_free(out);
    lm_ml_set_bool(sw, "caseSensitive", true);
    out = lm_ml_transform(sw, tok);
    assert_cols(s, out, "filtered", NULL, "[i, saw, the, red, balloon]");
    lm_df_free(out);
    lm_ml_free(sw);
    lm_ml_free(t);
    lm_df_free(tok);
    lm_df_free(df);
    lm_session_close(s);
}

/* pyspark HashingTF example: ["a","b","c"], numFeatures 10 ->
   (b -> 5, a -> 7, c -> 8)
   SparseVector(10, {5: 1.0, 7: 1.0, 8: 1.0}) */
static void test_hashing_tf_indices_match_spark(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_ml_cell cells[] = {ML_S("a b c"), ML_S("a a b")};
    lm_df *df = lm_ml_create_dataframe(s, "text", 2, 1, cells);
    lm_ml_stage *t = stage(s, "Tokenizer", "text", "words");
    lm_df *words = lm_ml_transform(t, df);
    lm_ml_stage *h = stage(s, "HashingTF", "words", "tf");
    lm_ml_set_int(h, "numFeatures", 10);
    lm_df *out = lm_ml_transform(h, words);
    assert_cols(s, out, "tf", NULL, "(10,[5,7,8],[1.0,1.0,1.0])\n(10,[5,7],[1.0,2.0])");
    lm_df_free(out);
    lm_ml_set_bool(h, "binary", true);
    out = lm_ml_transform(h, words);
    assert_cols(s, out, "tf", NULL, "(10,[5,7,8],[1.0,1.0,1.0])\n(10,[5,7],[1.0,1.0])");
    lm_df_free(out);
    lm_ml_free(h);
    lm_ml_free(t);
    lm_df_free(words);
    lm_df_free(df);
    lm_session_close(s);
}

/* pyspark IDF example: minDocFreq 3 -> idf [0.0, 0.0], docFreq [2, 3] */
static void test_idf_smoothed_weights(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double a[] = {1.0, 2.0}, b[] = {0.0, 1.0}, c[] = {3.0, 0.2};
    lm_ml_cell cells[] = {ML_DV(2, a), ML_DV(2, b), ML_DV(2, c)};
    lm_df *df = lm_ml_create_dataframe(s, "tf", 3, 1, cells);
    lm_ml_stage *idf = stage(s, "IDF", "tf", "idf");
    lm_ml_set_int(idf, "minDocFreq", 3);
    lm_ml_stage *m = lm_ml_fit(idf, df);
    const double *w, *dfreq;
    assert_int_equal(lm_ml_get_doubles(m, "idf", &w), 2);
    assert_int_equal(lm_ml_get_doubles(m, "docFreq", &dfreq), 2);
    assert_true(w[0] == 0.0 && w[1] == 0.0 && dfreq[0] == 2 && dfreq[1] == 3);
    int64_t nd;
    assert_int_equal(lm_ml_get_int(m, "numDocs", &nd), LM_OK);
    assert_int_equal(nd, 3);
    lm_ml_free(m);
    lm_ml_set_int(idf, "minDocFreq", 0);
    m = lm_ml_fit(idf, df);
    lm_ml_get_doubles(m, "idf", &w);
    assert_close(w[0], log(4.0 / 3.0), 1e-15);
    lm_df *out = lm_ml_transform(m, df);
    assert_cols(s, out, "idf", NULL,
                "[0.28768207245178085,0.0]\n[0.0,0.0]\n[0.8630462173553426,0.0]");
    lm_df_free(out);
    lm_ml_free(m);
    lm_ml_free(idf);
    lm_df_free(df);
    lm_session_close(s);
}

/* pyspark PolynomialExpansion example: [0.5, 2.0] -> [0.5, 0.25, 2.0, 1.0, 4.0] */
static void test_polynomial_expansion_order(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    static const double x[] = {0.5, 2.0};
    static const int i1[] = {1};
    static const double v3[] = {3.0};
    lm_ml_cell cells[] = {ML_DV(2, x), ML_SV(2, 1, i1, v3)};
    lm_df *df = lm_ml_create_dataframe(s, "dense", 2, 1, cells);
    lm_ml_stage *p = stage(s, "PolynomialExpansion", "dense", "expanded");
    lm_df *out = lm_ml_transform(p, df);
    assert_cols(s, out, "expanded", NULL, "[0.5,0.25,2.0,1.0,4.0]\n(5,[2,4],[3.0,9.0])");
    lm_df_free(out);
    lm_ml_set_int(p, "degree", 3);
    out = lm_ml_transform(p, df);
    assert_cols(s, out, "expanded", NULL,
                "[0.5,0.25,0.125,2.0,1.0,0.5,4.0,2.0,8.0]\n(9,[3,6,8],[3.0,9.0,27.0])");
    lm_df_free(out);
    lm_ml_free(p);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_hot_drop_last),
        cmocka_unit_test(test_one_hot_invalid),
        cmocka_unit_test(test_standard_scaler_unbiased_std),
        cmocka_unit_test(test_standard_scaler_keeps_sparse_without_mean),
        cmocka_unit_test(test_min_max_scaler),
        cmocka_unit_test(test_bucketizer_keep_puts_nan_in_extra_bucket),
        cmocka_unit_test(test_bucketizer_bounds),
        cmocka_unit_test(test_imputer_mean),
        cmocka_unit_test(test_imputer_median_and_mode),
        cmocka_unit_test(test_imputer_keeps_integer_type),
        cmocka_unit_test(test_tokenizer_splits_on_single_whitespace),
        cmocka_unit_test(test_regex_tokenizer),
        cmocka_unit_test(test_stop_words_remover),
        cmocka_unit_test(test_hashing_tf_indices_match_spark),
        cmocka_unit_test(test_idf_smoothed_weights),
        cmocka_unit_test(test_polynomial_expansion_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
