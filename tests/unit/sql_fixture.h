/*
 * Helpers for specification tests that drive SQL through the public API.
 */
#ifndef LM_TESTS_SQL_FIXTURE_H
#define LM_TESTS_SQL_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "localmode.h"

static inline lm_session *fixture_session(void)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", "America/Los_Angeles");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

/* Runs sql and returns its rows rendered as the SQL test runner prints
   them (cells joined by tabs, rows by newlines), or "ERROR <class>". */
static inline char *run_rows(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    if (lm_sql(s, sql, &df) != LM_OK) {
        snprintf(out, cap, "ERROR %s", lm_errclass(s) ? lm_errclass(s) : lm_errmsg(s));
        return out;
    }
    lm_rows *rows = NULL;
    if (lm_df_collect(df, &rows) != LM_OK) {
        snprintf(out, cap, "ERROR %s", lm_errclass(s) ? lm_errclass(s) : lm_errmsg(s));
        lm_df_free(df);
        return out;
    }
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        for (int c = 0; c < lm_rows_num_columns(rows); c++) {
            char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
            size_t need = len + strlen(cell) + 3;
            if (need > cap) {
                while (need > cap)
                    cap *= 2;
                out = realloc(out, cap);
            }
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

/* The result schema as Spark's catalog string, or "ERROR <class>". */
static inline char *run_schema(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK) {
        char *e = malloc(256);
        snprintf(e, 256, "ERROR %s", lm_errclass(s) ? lm_errclass(s) : "?");
        return e;
    }
    char *r = lm_df_schema_string(df);
    lm_df_free(df);
    return r;
}

static inline void exec_ok(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    lm_status st = lm_sql(s, sql, &df);
    if (st != LM_OK)
        fail_msg("%s: %s", sql, lm_errmsg(s));
    lm_df_free(df);
}

#define assert_rows(s, sql, expected)                                                             \
    do {                                                                                           \
        char *got_ = run_rows((s), (sql));                                                         \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

#define assert_schema(s, sql, expected)                                                           \
    do {                                                                                           \
        char *got_ = run_schema((s), (sql));                                                       \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

#endif
