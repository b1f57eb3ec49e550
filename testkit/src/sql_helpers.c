/*
 * SQL helpers for test bodies: run a statement or fail the test with the
 * engine's message, and expect a statement to fail with a given Spark
 * error class (what Spark's own suites do with checkError).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "session/session.h"

/* "[SQL_ERROR] <message>\n  in: <statement>" */
static char *sql_failure(lm_session *s, const char *what, const char *sql)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[SQL_ERROR] %s: %s\n  in: %s", what, lm_errmsg(s), sql);
    return lm_strbuf_detach(&sb);
}

static void fail_with(char *text, const char *file, int line)
{
    /* the message is copied to the stack so nothing is left allocated
       when the test longjmps out */
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", text ? text : "[SQL_ERROR] out of memory");
    free(text);
    tk_fail(buf, file, line);
}

lm_df *lmt_sql_at(lm_session *s, const char *sql, const char *file, int line)
{
    lm_df *df = NULL;
    if (s == NULL)
        tk_fail("[SQL_ERROR] no session", file, line);
    if (lm_sql(s, sql, &df) != LM_OK)
        fail_with(sql_failure(s, "the statement failed", sql), file, line);
    if (!tk_own(TK_OWN_DF, df, s)) {
        lm_df_free(df);
        tk_fail("[SQL_ERROR] out of memory", file, line);
    }
    return df;
}

void lmt_exec_at(lm_session *s, const char *sql, const char *file, int line)
{
    lm_df *df = NULL;
    if (s == NULL)
        tk_fail("[SQL_ERROR] no session", file, line);
    if (lm_sql(s, sql, &df) != LM_OK)
        fail_with(sql_failure(s, "the statement failed", sql), file, line);
    int64_t n = 0;
    lm_status st = lm_df_count(df, &n);
    lm_df_free(df);
    if (st != LM_OK)
        fail_with(sql_failure(s, "the query failed", sql), file, line);
}

void lmt_assert_sql_error_at(lm_session *s, const char *sql, const char *error_class,
                             const char *file, int line)
{
    lm_df *df = NULL;
    if (s == NULL)
        tk_fail("[SQL_ERROR] no session", file, line);
    lm_status st = lm_sql(s, sql, &df);
    if (st == LM_OK) {
        int64_t n = 0;
        st = lm_df_count(df, &n);
        lm_df_free(df);
    }
    if (st == LM_OK) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb,
                         "[SQL_ERROR] expected error class %s, but the statement succeeded\n"
                         "  in: %s",
                         error_class, sql);
        fail_with(lm_strbuf_detach(&sb), file, line);
    }
    const char *got = lm_errclass(s);
    if (got != NULL && strcmp(got, error_class) == 0)
        return;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[SQL_ERROR] expected error class %s, got %s: %s\n  in: %s", error_class,
                     got ? got : "none", lm_errmsg(s), sql);
    fail_with(lm_strbuf_detach(&sb), file, line);
}
