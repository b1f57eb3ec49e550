/*
 * `localmode profile FILE.sql`: runs the job under valgrind's callgrind
 * with collection switched on only while statements execute (callgrind
 * client requests), so instruction counts are the job's own, not process
 * start-up or parsing of the command line. Prints the top functions and
 * the engine operators by inclusive instructions and keeps callgrind.out
 * for kcachegrind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

static int run_child(char *const argv[], const char *out_path)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (out_path) {
            FILE *f = freopen(out_path, "w", stdout);
            (void)f;
        }
        /* the tools' own chatter is not part of the report */
        FILE *e = freopen("/dev/null", "w", stderr);
        (void)e;
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Prints the lines of callgrind_annotate's report that matter: the total
   and the top functions, then the operators (lm_op_*) among them. */
static void summarize(const char *report_path, int top)
{
    FILE *f = fopen(report_path, "r");
    if (f == NULL)
        return;
    char line[4096];
    int shown = 0;
    bool in_table = false;
    char ops[64][512];
    int nops = 0;
    printf("Top functions by instructions (inclusive):\n");
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "PROGRAM TOTALS")) {
            printf("  %s", line);
            continue;
        }
        if (strstr(line, "file:function")) {
            in_table = true;
            continue;
        }
        if (!in_table || line[0] == '-' || line[0] == '\n')
            continue;
        /* the frames every run has (process start, CLI) say nothing */
        if (strstr(line, "below main") || strstr(line, "libc-start") ||
            strstr(line, "libc_start_call_main") || strstr(line, "/cli/") || strstr(line, "???:0x"))
            continue;
        if (shown < top) {
            printf("  %s", line);
            shown++;
        }
        if (strstr(line, ":lm_op_") && !strstr(line, "=>") && nops < 64)
            snprintf(ops[nops++], sizeof ops[0], "%.500s", line);
    }
    fclose(f);
    if (nops) {
        printf("Operators:\n");
        for (int i = 0; i < nops; i++)
            printf("  %s", ops[i]);
    }
}

int cli_cmd_profile(int argc, char **argv, const char *self)
{
    const char *file = NULL, *out = "callgrind.out.localmode";
    int top = 25;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
            top = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--help") == 0) {
            puts("usage: localmode profile [--out FILE] [--top N] JOB.sql\n"
                 "Runs JOB.sql under valgrind --tool=callgrind, counting instructions only while\n"
                 "statements execute; prints the top functions and operators and keeps FILE\n"
                 "(default callgrind.out.localmode) for kcachegrind.");
            return CLI_OK;
        } else if (argv[i][0] != '-' && file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "localmode profile: unknown argument '%s'\n", argv[i]);
            return CLI_USAGE;
        }
    }
    if (file == NULL) {
        fprintf(stderr, "localmode profile: a job file is needed\n");
        return CLI_USAGE;
    }
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "localmode profile: cannot read %s: %s\n", file, strerror(errno));
        return CLI_FAILED;
    }
    char outopt[1024];
    snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s", out);
    char *vg[] = {"valgrind", "--tool=callgrind", "--collect-atstart=no", outopt, "-q",
                  (char *)self, "sql", "--profile-collect", "--output", "tsv", "-f",
                  (char *)file, NULL};
    int rc = run_child(vg, "/dev/null");
    if (rc == 127 || rc < 0) {
        fprintf(stderr, "localmode profile: valgrind could not be run (install valgrind)\n");
        return CLI_FAILED;
    }
    if (rc != 0) {
        fprintf(stderr, "localmode profile: the job failed under callgrind (exit %d)\n", rc);
        return CLI_FAILED;
    }
    char report[1100];
    snprintf(report, sizeof report, "%s.txt", out);
    char *an[] = {"callgrind_annotate", "--inclusive=yes", (char *)out, NULL};
    if (run_child(an, report) != 0) {
        fprintf(stderr, "localmode profile: callgrind_annotate failed on %s\n", out);
        return CLI_FAILED;
    }
    summarize(report, top);
    printf("Raw profile: %s (open with kcachegrind); report: %s\n", out, report);
    return CLI_OK;
}
