/*
 * The ETL example's three forms write the same rows: the job file
 * (job.yaml, through the job runner `localmode run` uses), the SQL script
 * (etl.sql, statement by statement as `localmode sql -f` runs it) and the
 * C program (daily_sales.c, DataFrame API). The job's and the program's
 * Parquet output is read back and compared with the testkit; the SQL
 * script's final query is compared with the job's output by column name
 * (Parquet puts the partition column `day` last).
 *
 * On the committed fixture the figures are spelled out too. They were
 * checked against an independent computation (Python's csv, re, datetime
 * and decimal modules applying the same cleaning rules): 90 322 lines
 * survive cleaning, 88 535 orders after deduplication, 1 183 (day,
 * category) groups, 261 030 units, revenue 30 635 860.49.
 *
 * ETL_INPUT names another input folder (the memcheck run uses a small
 * sample from etl_gen); the figures are then not checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daily_sales.h"
#include "job/job.h"
#include "localmode_testkit.h"

static const char *input_dir(void)
{
    const char *e = getenv("ETL_INPUT");
    return e && *e ? e : ETL_SOURCE_DIR "/fixtures/etl";
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static lm_df *read_parquet(lm_session *s, const char *path)
{
    lm_df *df = NULL;
    if (lm_read(s, "parquet", path, NULL, NULL, &df) != LM_OK)
        fail_msg("reading %s: %s", path, lm_errmsg(s));
    return df;
}

/* The job file, with the input and output given as variables. */
static void run_job(const char *out)
{
    char vin[4096], vout[4096];
    snprintf(vin, sizeof vin, "input=%s", input_dir());
    snprintf(vout, sizeof vout, "output=%s", out);
    const char *vars[] = {vin, vout};
    char *err = NULL;
    job *j = job_load_file(ETL_SOURCE_DIR "/examples/etl/job.yaml", vars, 2, &err);
    if (j == NULL)
        fail_msg("%s", err);
    lm_session *s = lmt_session_new();
    assert_non_null(s);
    if (job_run(s, j, NULL, &err) != LM_OK)
        fail_msg("%s", err);
    free(err);
    job_free(j);
    lm_session_close(s);
}

/*
 * etl.sql reads fixtures/etl/ relative to the repository root: the
 * statements run there, with the input folder swapped in when another
 * is given. Statements end with `;` at the end of a line.
 */
static lm_df *run_sql_script(lm_session *s)
{
    FILE *f = fopen(ETL_SOURCE_DIR "/examples/etl/etl.sql", "r");
    assert_non_null(f);
    char *text = NULL;
    size_t cap = 0, len = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "--", 2) == 0)
            continue;
        size_t n = strlen(line);
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
        memcpy(text + len, line, n + 1);
        len += n;
    }
    fclose(f);
    lm_df *last = NULL;
    char *p = text;
    while (p && *p) {
        char *end = strstr(p, ";\n");
        if (end)
            *end = '\0';
        if (strspn(p, " \t\r\n") < strlen(p)) {
            /* point the script at the input under test */
            char *sql = NULL;
            const char *at = strstr(p, "'fixtures/etl/");
            if (at) {
                size_t n = strlen(p) + strlen(input_dir()) + 1;
                sql = malloc(n);
                assert_non_null(sql);
                snprintf(sql, n, "%.*s'%s/%s", (int)(at - p), p, input_dir(),
                         at + strlen("'fixtures/etl/"));
            }
            lm_df_free(last);
            last = NULL;
            if (lm_sql(s, sql ? sql : p, &last) != LM_OK)
                fail_msg("etl.sql: %s", lm_errmsg(s));
            free(sql);
        }
        p = end ? end + 2 : NULL;
    }
    free(text);
    return last;
}

static lm_df *query(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK)
        fail_msg("%s: %s", sql, lm_errmsg(s));
    return df;
}

static void test_job_sql_and_dataframe_programs_write_the_same_rows(void **state)
{
    (void)state;
    const char *tmp = lmt_tmpdir();
    assert_non_null(tmp);
    char *out_job = path_in(tmp, "job");
    char *out_c = path_in(tmp, "c");

    run_job(out_job);

    lm_session *s = lmt_session_new();
    assert_non_null(s);
    if (etl_write_daily_sales(s, input_dir(), out_c) != LM_OK)
        fail_msg("daily_sales.c: %s", lm_errmsg(s));
    lm_session_close(s);

    s = lmt_session_new();
    assert_non_null(s);
    lm_df *from_job = read_parquet(s, out_job);
    lm_df *from_c = read_parquet(s, out_c);
    lm_df *from_sql = run_sql_script(s);

    lmt_assert_schema_equal_ddl(from_job,
                                "category STRING, revenue DECIMAL(31,2), units BIGINT, "
                                "orders BIGINT, revenue_7d DECIMAL(38,2), rank_in_day INT, "
                                "share_of_day DECIMAL(36,4), day DATE",
                                NULL);
    lmt_assert_df_equal(from_c, from_job, NULL);
    lmt_df_opts by_name = lmt_df_opts_default();
    by_name.ignore_column_order = true;
    lmt_assert_df_equal(from_sql, from_job, &by_name);

    if (getenv("ETL_INPUT") == NULL) {
        /* the committed fixture's figures */
        lm_df_create_or_replace_temp_view(from_job, "daily_sales");
        lm_df *totals = query(s, "SELECT count(*), count(DISTINCT day), count(DISTINCT category), "
                                 "sum(orders), sum(units), sum(revenue) FROM daily_sales");
        lmt_assert_rows_equal(totals, "(1183, 91, 13, 88535, 261030, 30635860.49)", NULL);
        lm_df *some = query(s, "SELECT day, category, revenue, units, orders, revenue_7d, "
                               "rank_in_day, share_of_day FROM daily_sales "
                               "WHERE (day = DATE'2024-01-01' AND category = 'Beauty') "
                               "OR (day = DATE'2024-03-31' AND category = 'Unknown')");
        lmt_assert_rows_equal(
            some,
            "(DATE'2024-01-01', 'Beauty', 22830.12, 202, 67, 22830.12, 9, 0.0728),"
            "(DATE'2024-03-31', 'Unknown', 147.84, 16, 6, 2048.37, 13, 0.0004)",
            NULL);
        lm_df_free(totals);
        lm_df_free(some);
    }
    lm_df_free(from_job);
    lm_df_free(from_c);
    lm_df_free(from_sql);
    lm_session_close(s);
    free(out_job);
    free(out_c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_sql_and_dataframe_programs_write_the_same_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
