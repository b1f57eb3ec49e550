/*
 * `localmode run JOB.yaml`: loads a job file (job/job.h), runs it on the
 * embedded engine and reports the first failure as
 * "job.yaml:12:5: step \"clean\": [ERROR_CLASS] message". --check stops
 * after defining the steps (every source read, every step analysed,
 * nothing written); --metrics prints what each sink's job did.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/metrics.h"
#include "job/job.h"

static int usage(FILE *f)
{
    fputs("usage: localmode run [options] JOB.yaml\n"
          "Runs a job file: sources read into views, steps (SQL or DataFrame ops), sinks\n"
          "written. See docs/cli.md for the file format.\n"
          "\n"
          "  --var NAME=VALUE     set the job variable ${NAME} (repeatable; wins over `vars:`)\n"
          "  --check              read the sources and analyse every step; write nothing\n"
          "  --metrics            print each job's operators, rows and time on stderr\n"
          "  --master URL         master URL (local, local[N], local[*] ...)\n"
          "  --conf KEY=VALUE     a Spark configuration setting (repeatable); the job's\n"
          "                       `conf:` wins, as settings in code win over --conf in Spark\n"
          "  --help               this text\n"
          "Exit status: 0 success, 1 the job is invalid or failed, 2 usage error.\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

typedef struct run_ctx {
    cli_metrics *metrics;
} run_ctx;

static void action_begin(void *ctx, const job_sink *k)
{
    run_ctx *r = ctx;
    bool named = !(k->label[0] >= '0' && k->label[0] <= '9');
    if (strcmp(k->format.s, "console") == 0)
        cli_metrics_label(r->metrics, "sink %s%s%s: console", named ? "\"" : "", k->label,
                          named ? "\"" : "");
    else
        cli_metrics_label(r->metrics, "sink %s%s%s: %s %s", named ? "\"" : "", k->label,
                          named ? "\"" : "", k->format.s, k->path.s);
}

static void action_end(void *ctx, const job_sink *k, bool ok)
{
    (void)ctx;
    (void)k;
    (void)ok;
}

int cli_cmd_run(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    const char *file = NULL;
    bool check = false, metrics = false;
    const char **vars = calloc((size_t)argc + 1, sizeof *vars);
    int nvars = 0;
    int rc = CLI_OK;
    if (vars == NULL) {
        cli_opts_free(&o);
        return CLI_FAILED;
    }
    for (int i = 0; i < argc;) {
        int used = cli_common_option(&o, argc, argv, i);
        if (used < 0) {
            rc = CLI_USAGE;
            goto out;
        }
        if (used > 0) {
            i += used;
            continue;
        }
        if (strcmp(argv[i], "--var") == 0 && i + 1 < argc) {
            vars[nvars++] = argv[i + 1];
            i += 2;
            continue;
        }
        if (strcmp(argv[i], "--check") == 0) {
            check = true;
        } else if (strcmp(argv[i], "--metrics") == 0) {
            metrics = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            rc = usage(stdout);
            goto out;
        } else if (argv[i][0] != '-' && file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "localmode run: unknown argument '%s'\n", argv[i]);
            rc = usage(stderr);
            goto out;
        }
        i++;
    }
    if (file == NULL) {
        fprintf(stderr, "localmode run: a job file is needed\n");
        rc = usage(stderr);
        goto out;
    }
    char *err = NULL;
    job *j = job_load_file(file, vars, nvars, &err);
    if (j == NULL) {
        fprintf(stderr, "%s\n", err);
        /* a malformed --var is a usage error; the rest is the job's */
        rc = strncmp(err, "--var", 5) == 0 ? CLI_USAGE : CLI_FAILED;
        free(err);
        goto out;
    }
    rc = cli_run_job(j, &o, check, metrics);
    job_free(j);
out:
    free(vars);
    cli_opts_free(&o);
    return rc;
}

int cli_run_job(const struct job *j, const cli_opts *o, bool check, bool metrics)
{
    lm_session *s = cli_open_session(o);
    if (s == NULL)
        return CLI_FAILED;
    bool progress = cli_progress_wanted(s);
    cli_metrics *m = metrics || progress ? cli_metrics_new(s, progress) : NULL;
    run_ctx ctx = {m};
    job_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.skip_sinks = check;
    ro.action_begin = action_begin;
    ro.action_end = action_end;
    ro.ctx = &ctx;
    char *err = NULL;
    int rc = job_run(s, j, &ro, &err) == LM_OK ? CLI_OK : CLI_FAILED;
    if (rc != CLI_OK)
        fprintf(stderr, "%s\n", err ? err : "the job failed");
    free(err);
    fflush(stdout);
    if (metrics)
        cli_metrics_print(m, stderr);
    cli_metrics_free(m);
    lm_session_close(s);
    return rc;
}
