/*
 * Helpers for the MLlib specification tests: a session, cell builders for
 * lm_ml_create_dataframe, rows rendered as show() prints them, and
 * tolerance checks for numbers Spark documents.
 */
#ifndef LM_TESTS_ML_FIXTURE_H
#define LM_TESTS_ML_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

static inline lm_session *ml_session(void)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[1]");
    lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

static inline lm_ml_cell ML_D(double d)
{
    lm_ml_cell c = {0};
    c.kind = LM_ML_DOUBLE;
    c.d = d;
    return c;
}

static inline lm_ml_cell ML_L(int64_t l)
{
    lm_ml_cell c = {0};
    c.kind = LM_ML_LONG;
    c.l = l;
    return c;
}

static inline lm_ml_cell ML_S(const char *s)
{
    lm_ml_cell c = {0};
    c.kind = s ? LM_ML_STRING : LM_ML_NULL;
    c.s = s;
    return c;
}

static inline lm_ml_cell ML_NULL(void)
{
    lm_ml_cell c = {0};
    c.kind = LM_ML_NULL;
    return c;
}

/* Vectors.dense over a static array. */
static inline lm_ml_cell ML_DV(int n, const double *v)
{
    lm_ml_cell c = {0};
    c.kind = LM_ML_DENSE;
    c.size = n;
    c.values = v;
    return c;
}

static inline lm_ml_cell ML_SV(int size, int nnz, const int *idx, const double *v)
{
    lm_ml_cell c = {0};
    c.kind = LM_ML_SPARSE;
    c.size = size;
    c.nnz = nnz;
    c.indices = idx;
    c.values = v;
    return c;
}

/* Rows as show() renders cells: cells joined by '|', rows by '\n';
   "ERROR <message>" when df is NULL. Does not free df. */
static inline char *ml_rows_text(lm_session *s, lm_df *df)
{
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    lm_rows *rows = NULL;
    if (df == NULL || lm_df_collect(df, &rows) != LM_OK) {
        const char *m = lm_errmsg(s);
        out = realloc(out, strlen(m) + 16);
        snprintf(out, strlen(m) + 16, "ERROR %s", m);
        return out;
    }
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        for (int c = 0; c < lm_rows_num_columns(rows); c++) {
            char *cell = lm_rows_render(rows, r, c, LM_RENDER_SHOW);
            size_t need = len + strlen(cell) + 3;
            while (need > cap)
                out = realloc(out, cap *= 2);
            if (c)
                out[len++] = '|';
            memcpy(out + len, cell, strlen(cell));
            len += strlen(cell);
            out[len] = '\0';
            free(cell);
        }
        if (r + 1 < lm_rows_count(rows))
            out[len++] = '\n';
        out[len] = '\0';
    }
    lm_rows_free(rows);
    return out;
}

#define assert_ml_rows(s, df, expected)                                                            \
    do {                                                                                           \
        char *got_ = ml_rows_text((s), (df));                                                      \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

/* |got - want| <= tol * max(1, |want|) */
#define assert_close(got, want, tol)                                                               \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        double s_ = fabs(w_) > 1.0 ? fabs(w_) : 1.0;                                               \
        if (!(fabs(g_ - w_) <= (tol)*s_)) {                                                        \
            fprintf(stderr, "%s = %.17g, expected %.17g (tol %g)\n", #got, g_, w_, (double)(tol)); \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* One column of a DataFrame as doubles (malloc'ed); count in *n. */
static inline double *ml_column_doubles(lm_df *df, int col, int64_t *n)
{
    lm_rows *rows = NULL;
    *n = 0;
    if (df == NULL || lm_df_collect(df, &rows) != LM_OK)
        return NULL;
    *n = lm_rows_count(rows);
    double *v = calloc((size_t)*n + 1, sizeof *v);
    for (int64_t r = 0; r < *n; r++)
        if (!lm_ml_rows_double(rows, r, col, &v[r]))
            v[r] = NAN;
    lm_rows_free(rows);
    return v;
}

#endif
