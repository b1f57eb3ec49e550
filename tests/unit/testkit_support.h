/*
 * Helpers shared by the testkit's own suites (tests/unit/test_testkit_*.c).
 *
 * lmt_assert_* fail the running cmocka test, which cannot be observed from
 * inside that test; tks_run_child runs one test function in a forked
 * process under its own cmocka group and hands back everything it printed
 * and whether it failed, so the failing forms are specified end to end.
 */
#ifndef TESTKIT_SUPPORT_H
#define TESTKIT_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "localmode_testkit.h"

/* Output of a child test: its stdout and stderr together (malloc'ed) and
   cmocka's count of failed tests (its exit status). */
typedef struct tks_child {
    char *output;
    int failed;
} tks_child;

static inline tks_child tks_run_child(void (*test)(void **), const char *name, bool fresh)
{
    tks_child r = {NULL, -1};
    int fds[2];
    if (pipe(fds) != 0)
        return r;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return r;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        struct CMUnitTest tests[1] = {{name, test, fresh ? lmt_setup_fresh : lmt_setup,
                                       fresh ? lmt_teardown_fresh : lmt_teardown, NULL}};
        int failed = _cmocka_run_group_tests("child", tests, 1, NULL, NULL);
        /* exit, not _exit: the child's testkit state is freed (its scratch
           folder belongs to the parent and stays) and coverage data is
           written */
        exit(failed);
    }
    close(fds[1]);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(fds[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 1024) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (buf)
        buf[len] = '\0';
    r.output = buf;
    r.failed = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/* Runs a statement that must succeed; the caller frees the DataFrame. */
static inline lm_df *tks_sql(lm_session *s, const char *sql)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK) {
        fprintf(stderr, "tks_sql: %s\n  in: %s\n", lm_errmsg(s), sql);
        return NULL;
    }
    return df;
}

#endif
