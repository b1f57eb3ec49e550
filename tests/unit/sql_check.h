/*
 * Helpers for cmocka specifications that drive SQL through the public
 * API: run a statement, render its rows as Spark's SQL test runner prints
 * them (HiveResult: cells joined by a tab, rows by a newline, in result
 * order) and compare rows, schema (catalogString) and error classes with
 * values spelled out in the test. Include after cmocka.h.
 */
#ifndef LM_TESTS_UNIT_SQL_CHECK_H
#define LM_TESTS_UNIT_SQL_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

/* A session in the conformance corpus' time zone. */
static inline lm_session *sqlc_open(void)
{
    lm_conf *c = lm_conf_new();
    assert_non_null(c);
    assert_int_equal(lm_conf_set(c, "spark.sql.session.timeZone", "America/Los_Angeles"), LM_OK);
    char *err = NULL;
    lm_session *s = lm_session_open(c, &err);
    lm_conf_free(c);
    if (s == NULL) {
        fprintf(stderr, "session: %s\n", err ? err : "?");
        free(err);
    }
    assert_non_null(s);
    return s;
}

/* Runs a statement that must succeed and discards its result. */
static inline void sqlc_exec(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    lm_status st = lm_sql(s, sql, &df);
    if (st != LM_OK)
        fprintf(stderr, "%s\n-> %s\n", sql, lm_errmsg(s));
    assert_int_equal(st, LM_OK);
    lm_df_free(df);
}

/* Rows rendered as text (malloc'ed); NULL when the statement failed. */
static inline char *sqlc_rows(lm_session *s, const char *sql, char **schema)
{
    lm_df *df = NULL;
    lm_rows *rows = NULL;
    if (schema)
        *schema = NULL;
    if (lm_sql(s, sql, &df) != LM_OK)
        return NULL;
    if (lm_df_collect(df, &rows) != LM_OK) {
        lm_df_free(df);
        return NULL;
    }
    if (schema)
        *schema = lm_df_schema_string(df);
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        for (int c = 0; c < lm_rows_num_columns(rows); c++) {
            char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
            assert_non_null(cell);
            size_t n = strlen(cell);
            while (len + n + 3 > cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            if (c)
                out[len++] = '\t';
            memcpy(out + len, cell, n);
            len += n;
            out[len] = '\0';
            free(cell);
        }
        if (r + 1 < lm_rows_count(rows)) {
            out[len++] = '\n';
            out[len] = '\0';
        }
    }
    lm_rows_free(rows);
    lm_df_free(df);
    return out;
}

/* Asserts the rows (and the schema unless NULL) of a query. */
static inline void sqlc_check(lm_session *s, const char *sql, const char *schema,
                              const char *expected)
{
    char *got_schema = NULL;
    char *got = sqlc_rows(s, sql, &got_schema);
    if (got == NULL)
        fprintf(stderr, "%s\n-> %s\n", sql, lm_errmsg(s));
    assert_non_null(got);
    if (schema)
        assert_string_equal(got_schema, schema);
    assert_string_equal(got, expected);
    free(got);
    free(got_schema);
}

/* Asserts that a query fails with an error class. */
static inline void sqlc_fails(lm_session *s, const char *sql, const char *error_class)
{
    char *got = sqlc_rows(s, sql, NULL);
    if (got != NULL)
        fprintf(stderr, "%s\n-> unexpectedly gave: %s\n", sql, got);
    assert_null(got);
    assert_non_null(lm_errclass(s));
    assert_string_equal(lm_errclass(s), error_class);
}

#endif
