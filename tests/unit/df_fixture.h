/*
 * Helpers for DataFrame API specification tests: a small people table,
 * rows rendered as the SQL test runner prints them, errors as their class.
 */
#ifndef LM_TESTS_DF_FIXTURE_H
#define LM_TESTS_DF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"
#include "unit/sql_fixture.h"

/* Rows joined by '\n', cells by '\t'; "ERROR <class>" when df is NULL or
   the action fails. Frees df. */
static inline char *df_rows(lm_session *s, lm_df *df)
{
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    lm_rows *rows = NULL;
    if (df == NULL || lm_df_collect(df, &rows) != LM_OK) {
        snprintf(out, cap, "ERROR %s", lm_errclass(s) ? lm_errclass(s) : lm_errmsg(s));
        lm_df_free(df);
        return out;
    }
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        for (int c = 0; c < lm_rows_num_columns(rows); c++) {
            char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
            size_t need = len + strlen(cell) + 3;
            while (need > cap)
                out = realloc(out, cap *= 2);
            if (c)
                out[len++] = '\t';
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
    lm_df_free(df);
    return out;
}

#define assert_df_rows(s, df, expected)                                                            \
    do {                                                                                           \
        char *got_ = df_rows((s), (df));                                                           \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

/* Schema as catalog string (does not free df). */
#define assert_df_schema(df, expected)                                                             \
    do {                                                                                           \
        assert_non_null(df);                                                                       \
        char *got_ = lm_df_schema_string(df);                                                      \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

/* people(name string, age int, dept string), five rows, one NULL age. */
static inline lm_df *people(lm_session *s)
{
    lm_column *cells[] = {
        lm_lit_string("Alice"), lm_lit_int(34),       lm_lit_string("eng"),   lm_lit_string("Bob"),
        lm_lit_int(45),         lm_lit_string("ops"), lm_lit_string("Carol"), lm_lit_int(29),
        lm_lit_string("eng"),   lm_lit_string("Dan"), lm_lit_null(),          lm_lit_string("ops"),
        lm_lit_string("Eve"),   lm_lit_int(29),       lm_lit_string("hr"),
    };
    lm_df *df = lm_create_dataframe(s, "name STRING, age INT, dept STRING", 5, 3, cells);
    if (df == NULL)
        fail_msg("people: %s", lm_errmsg(s));
    return df;
}

/* Intermediate DataFrames of a chain, released by release_kept(). */
static lm_df *kept_[64];
static int nkept_;
static inline lm_df *K(lm_df *df)
{
    if (df && nkept_ < 64)
        kept_[nkept_++] = df;
    return df;
}
static inline void release_kept(void)
{
    while (nkept_ > 0)
        lm_df_free(kept_[--nkept_]);
}

static inline void expect_error(lm_session *s, lm_df *df, const char *cls)
{
    if (df != NULL) {
        lm_df_free(df);
        fail_msg("expected error %s", cls);
    }
    assert_string_equal(lm_errclass(s) ? lm_errclass(s) : "(none)", cls);
}

#endif
