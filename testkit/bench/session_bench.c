/*
 * How much a shared session saves: runs the same 100-test cmocka suite of
 * small DataFrame tests with the shared session (lmt_unit_test) and with a
 * fresh session per test (lmt_unit_test_fresh), alternately, in one
 * process, and prints the median wall time of each. The figures in
 * docs/testing.md come from this program:
 *
 *     ./build/testkit/lmt_session_bench [repetitions]
 *
 * Each test is what a typical unit test of a job does: register an input
 * as a temp view, run a small join / filter / projection, compare the
 * result with an expected DataFrame.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "localmode_testkit.h"

#define NTESTS 100

static void small_job_test(void **state)
{
    lm_session *s = *state;
    lmt_exec(s, "CREATE OR REPLACE TEMPORARY VIEW orders AS SELECT * FROM VALUES "
                "(1, 10, 12.5D), (2, 20, 30.0D), (3, 10, 7.5D), (4, 30, 2.0D) "
                "AS t(id, customer, amount)");
    lm_df *actual =
        lmt_sql(s, "SELECT o.id, c.name, o.amount * 1.2D AS gross, "
                   "CASE WHEN o.amount > 10 THEN 'big' ELSE 'small' END AS size "
                   "FROM orders o JOIN VALUES (10, 'ann'), (20, 'bob') AS c(customer, name) "
                   "ON o.customer = c.customer WHERE o.amount > 5");
    lm_df *expected = lmt_sql(s, "SELECT * FROM VALUES (1, 'ann', 15.0D, 'big'), "
                                 "(2, 'bob', 36.0D, 'big'), (3, 'ann', 9.0D, 'small') "
                                 "AS t(id, name, gross, size)");
    lmt_assert_df_equal(actual, expected, NULL);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char names[NTESTS][16];

/* Runs the suite once; returns its wall time in milliseconds. */
static double run_suite(bool fresh, int *failures)
{
    struct CMUnitTest tests[NTESTS];
    for (int i = 0; i < NTESTS; i++) {
        tests[i].name = names[i];
        tests[i].test_func = small_job_test;
        tests[i].setup_func = fresh ? lmt_setup_fresh : lmt_setup;
        tests[i].teardown_func = fresh ? lmt_teardown_fresh : lmt_teardown;
        tests[i].initial_state = NULL;
    }
    /* cmocka reports every test on stdout; keep the benchmark's output to
       its figures */
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    double t0 = now_ms();
    *failures = _cmocka_run_group_tests(fresh ? "fresh" : "shared", tests, NTESTS, NULL, NULL);
    double t1 = now_ms();
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(devnull);
    return t1 - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1 || reps > 100)
        reps = 5;
    for (int i = 0; i < NTESTS; i++)
        snprintf(names[i], sizeof names[i], "test_%03d", i);
    double shared[100], fresh[100];
    int failures = 0, f;
    /* warm-up: the first suite pays for opening the shared session */
    double first = run_suite(false, &f);
    failures += f;
    for (int r = 0; r < reps; r++) {
        fresh[r] = run_suite(true, &f);
        failures += f;
        shared[r] = run_suite(false, &f);
        failures += f;
    }
    qsort(shared, (size_t)reps, sizeof *shared, cmp_double);
    qsort(fresh, (size_t)reps, sizeof *fresh, cmp_double);
    /* what a fresh session costs by itself */
    double open_close = 0;
    enum { NOPEN = 1000 };
    double t0 = now_ms();
    for (int i = 0; i < NOPEN; i++)
        lm_session_close(lmt_session_new());
    open_close = (now_ms() - t0) / NOPEN;
    printf("100 small DataFrame tests, median of %d runs\n", reps);
    printf("  shared session (lmt_unit_test):               %7.1f ms  (%.3f ms/test; first run "
           "%.1f ms)\n",
           shared[reps / 2], shared[reps / 2] / NTESTS, first);
    printf("  fresh session per test (lmt_unit_test_fresh): %7.1f ms  (%.3f ms/test)\n",
           fresh[reps / 2], fresh[reps / 2] / NTESTS);
    printf("  one session open + close:                     %7.3f ms\n", open_close);
    printf("  failures: %d\n", failures);
    return failures != 0;
}
