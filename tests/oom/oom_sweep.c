/*
 * Allocation-failure injection, as SQLite's OOM tests do it: every
 * allocation the engine makes while running a statement is made to fail
 * in turn (the N-th malloc/calloc/realloc returns NULL), and each run must
 * end either with the same result as an undisturbed run or with an error
 * status — never a crash — and must leave no allocated block behind.
 *
 * The allocator is interposed in this executable (glibc lets a program
 * define malloc), so the engine is tested exactly as shipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fail_at = -1; /* allocation number to fail, -1: none */
static long counted;      /* allocations seen since arming */
static long live;         /* blocks currently allocated */

static int should_fail(void)
{
    return fail_at >= 0 && ++counted == fail_at;
}

void *malloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_malloc(n);
    if (p)
        live++;
    return p;
}

void *calloc(size_t a, size_t b)
{
    if (should_fail())
        return NULL;
    void *p = __libc_calloc(a, b);
    if (p)
        live++;
    return p;
}

void *realloc(void *q, size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_realloc(q, n);
    if (p && q == NULL)
        live++;
    if (n == 0 && q != NULL && p == NULL)
        live--;
    return p;
}

void free(void *p)
{
    if (p)
        live--;
    __libc_free(p);
}

/* Runs sql in a fresh session; returns the rendered rows (malloc'ed, with
   the allocator disarmed) or NULL when any step failed. */
/* spark.localmode.chaos.seed for the runs, or NULL: the chaos paths
   (exec/chaos.c's row cursor) allocate too. */
static const char *chaos_seed;

static char *run(const char *sql, lm_status *status)
{
    char *text = NULL;
    *status = LM_OK;
    lm_conf *conf = NULL;
    if (chaos_seed) {
        conf = lm_conf_new();
        if (conf == NULL || lm_conf_set(conf, "spark.localmode.chaos.seed", chaos_seed) != LM_OK) {
            lm_conf_free(conf);
            *status = LM_ENOMEM;
            return NULL;
        }
    }
    lm_session *s = lm_session_open(conf, NULL);
    lm_conf_free(conf);
    if (s == NULL) {
        *status = LM_ENOMEM;
        return NULL;
    }
    lm_df *df = NULL;
    lm_rows *rows = NULL;
    lm_status st = lm_sql(s, sql, &df);
    if (st == LM_OK)
        st = lm_df_collect(df, &rows);
    if (st == LM_OK) {
        long saved = fail_at;
        fail_at = -1;
        size_t cap = 256, len = 0;
        text = malloc(cap);
        text[0] = '\0';
        for (int64_t r = 0; r < lm_rows_count(rows); r++)
            for (int c = 0; c < lm_rows_num_columns(rows); c++) {
                char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
                size_t n = strlen(cell);
                while (len + n + 2 > cap)
                    text = realloc(text, cap *= 2);
                memcpy(text + len, cell, n);
                len += n;
                text[len++] = c + 1 < lm_rows_num_columns(rows) ? '\t' : '\n';
                text[len] = '\0';
                free(cell);
            }
        fail_at = saved;
    }
    *status = st;
    lm_rows_free(rows);
    lm_df_free(df);
    lm_session_close(s);
    return text;
}

static const char *const statements[] = {
    "SELECT k, count(*), sum(k) FROM VALUES (1), (2), (1) AS t(k) GROUP BY k ORDER BY k",
    "SELECT upper(v), k + 1, CAST(k AS STRING) || 'x' FROM VALUES (1, 'a'), (2, 'b') AS t(k, v) "
    "WHERE k IN (SELECT 1) ORDER BY 1",
    "SELECT a.k, b.v FROM VALUES (1, 'a'), (2, 'b') AS a(k, v) JOIN VALUES (1, 'z') AS b(k, v) "
    "USING (k)",
    "SELECT collect_list(v), avg(k), percentile(k, 0.5) FROM VALUES (1, 'a'), (2, 'b') AS t(k, v)",
    "SELECT transform(array(1, 2, 3), x -> x * 2), map('a', 1)['a'], named_struct('x', 1).x",
    "SELECT date_format(TIMESTAMP '2020-01-01 10:00:00', 'yyyy-MM'), regexp_replace('abc', 'b', "
    "'X')",
    "WITH c AS (SELECT 1 AS x UNION ALL SELECT 2) SELECT x FROM c EXCEPT SELECT 2",
    "SELECT nope FROM VALUES (1) AS t(k)",
};

static void sweep(const char *sql)
{
    lm_status st;
    /* warm up the process-wide caches (function index, time zones) */
    free(run(sql, &st));
    free(run(sql, &st));
    char *expected = run(sql, &st);
    lm_status expected_status = st;
    long base = live;
    long points = 0;
    for (long n = 1;; n++) {
        fail_at = n;
        counted = 0;
        char *got = run(sql, &st);
        fail_at = -1;
        if (st == LM_OK) {
            if (expected == NULL || got == NULL || strcmp(expected, got) != 0)
                fail_msg("%s\nallocation %ld failed but the result changed:\n%s", sql, n,
                         got ? got : "(none)");
        } else if (st == expected_status) {
            /* the statement fails anyway (an expected analysis error) */
        } else if (st != LM_ENOMEM && st != LM_ERROR) {
            fail_msg("%s\nallocation %ld: unexpected status %d", sql, n, (int)st);
        }
        free(got);
        if (live != base)
            fail_msg("%s\nallocation %ld failed: %ld blocks leaked", sql, n, live - base);
        if (counted < n)
            break;
        points = n;
    }
    free(expected);
    printf("oom: %ld allocation points swept: %s\n", points, sql);
}

static void test_every_allocation_failure_is_clean(void **state)
{
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
        sweep(statements[i]);
}

/* The statements whose operators read their input through the chaos
   cursor (aggregate, join), under a seed. */
static void test_every_allocation_failure_under_chaos_is_clean(void **state)
{
    chaos_seed = "3";
    sweep(statements[0]);
    sweep(statements[2]);
    sweep(statements[3]);
    sweep("SELECT k, first(v), collect_list(v) FROM VALUES (1, 'a'), (2, 'b'), (1, 'c'), "
          "(2, 'd') AS t(k, v) GROUP BY k");
    chaos_seed = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_is_clean),
        cmocka_unit_test(test_every_allocation_failure_under_chaos_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
