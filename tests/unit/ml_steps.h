/*
 * Shorthands for the MLlib tests: building a stage with a few Params and
 * fitting/transforming in one call, so each test reads as the pyspark
 * example it mirrors.
 */
#ifndef LM_TESTS_ML_STEPS_H
#define LM_TESTS_ML_STEPS_H

#include "unit/ml_fixture.h"

/* Fits est on df and transforms df with the model; frees the model. */
static inline lm_df *fit_transform(lm_ml_stage *est, lm_df *df)
{
    lm_ml_stage *m = lm_ml_fit(est, df);
    if (m == NULL)
        return NULL;
    lm_df *out = lm_ml_transform(m, df);
    lm_ml_free(m);
    return out;
}

/* Rows of the named columns of df (df is not freed). */
static inline char *cols_text(lm_session *s, lm_df *df, const char *a, const char *b)
{
    lm_df *sel =
        b ? lm_df_select(df, lm_col(a), lm_col(b), NULL) : lm_df_select(df, lm_col(a), NULL);
    char *t = ml_rows_text(s, sel);
    lm_df_free(sel);
    return t;
}

#define assert_cols(s, df, a, b, expected)                                                         \
    do {                                                                                           \
        char *got_ = cols_text((s), (df), (a), (b));                                               \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

#endif
