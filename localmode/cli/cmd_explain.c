/*
 * `localmode explain`: the plan of a query without running it, as Spark's
 * EXPLAIN prints it (simple: the physical plan; --extended: parsed,
 * analysed, optimised and physical), or with --dot as a Graphviz graph of
 * the physical operators and stages (explain_dot.c).
 *
 * From -e or -f, every statement runs except queries, which are explained
 * (so a script's CREATE VIEW ... USING csv sets up what its query reads).
 * A job file (.yaml) is loaded and run without its sinks; each sink's
 * input is explained, or the last step's when there are no sinks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "cli/cli.h"
#include "cli/explain_dot.h"
#include "job/job.h"

typedef struct explain_opts {
    bool extended, dot;
    int count; /* plans printed so far */
} explain_opts;

static int usage(FILE *f)
{
    fputs("usage: localmode explain [options] [-e \"SQL\" | -f FILE | JOB.yaml]\n"
          "Prints the plan of each query as Spark's EXPLAIN does; other statements (CREATE\n"
          "VIEW, SET ...) run first. A job file is run without its sinks and each sink's\n"
          "input is explained. SQL comes from standard input without -e or -f.\n"
          "\n"
          "  -e SQL               the statements to explain\n"
          "  -f FILE              a SQL file, or a job file (.yaml / .yml)\n"
          "  --extended           parsed, analyzed, optimized and physical plans\n"
          "  --dot                a Graphviz digraph of the physical operators and stages\n"
          "                       (render with: dot -Tsvg -o plan.svg)\n"
          "  --var NAME=VALUE     a job variable (job files)\n"
          "  --master URL, --conf KEY=VALUE   as for `localmode sql`\n"
          "Exit status: 0 success, 1 a statement failed, 2 usage error.\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

/* Prints one DataFrame's plan; title (or NULL) names it for job files. */
static int explain_df(lm_session *s, lm_df *df, const char *title, explain_opts *e)
{
    if (e->dot) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        char name[32];
        snprintf(name, sizeof name, "plan_%d", e->count + 1);
        if (title)
            lm_strbuf_printf(&sb, "// %s\n", title);
        lm_status st = cli_plan_dot(s, df->plan, name, &sb);
        if (st == LM_OK)
            fputs(lm_strbuf_cstr(&sb), stdout);
        lm_strbuf_free(&sb);
        if (st != LM_OK) {
            fprintf(stderr, "Error: out of memory\n");
            return CLI_FAILED;
        }
    } else {
        char *text = lm_df_explain_string(df, e->extended ? "extended" : "simple");
        if (text == NULL) {
            fprintf(stderr, "Error: %s\n", lm_errmsg(s));
            return CLI_FAILED;
        }
        if (e->count)
            putchar('\n');
        if (title)
            printf("== %s ==\n", title);
        fputs(text, stdout);
        free(text);
    }
    e->count++;
    return CLI_OK;
}

static int explain_script(lm_session *s, const char *text, explain_opts *e)
{
    const char *p = text;
    while (*p) {
        const char *next;
        bool complete;
        size_t n = cli_next_statement(p, &next, &complete);
        if (!cli_blank(p, n)) {
            char *sql = strndup(p, n);
            lm_df *df = NULL;
            if (sql == NULL || lm_sql(s, sql, &df) != LM_OK) {
                fprintf(stderr, "Error: %s\n", sql ? lm_errmsg(s) : "out of memory");
                free(sql);
                lm_df_free(df);
                return CLI_FAILED;
            }
            free(sql);
            int rc = df->plan ? explain_df(s, df, NULL, e) : CLI_OK;
            lm_df_free(df);
            if (rc != CLI_OK)
                return rc;
        }
        p = next;
    }
    if (e->count == 0) {
        fprintf(stderr, "localmode explain: no query to explain\n");
        return CLI_FAILED;
    }
    return CLI_OK;
}

static int explain_job(const char *file, const char *const *vars, int nvars, const cli_opts *o,
                       explain_opts *e)
{
    char *err = NULL;
    job *j = job_load_file(file, vars, nvars, &err);
    if (j == NULL) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return CLI_FAILED;
    }
    lm_session *s = cli_open_session(o);
    if (s == NULL) {
        job_free(j);
        return CLI_FAILED;
    }
    job_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.skip_sinks = true;
    int rc = CLI_OK;
    if (job_run(s, j, &ro, &err) != LM_OK) {
        fprintf(stderr, "%s\n", err ? err : "the job failed");
        rc = CLI_FAILED;
    }
    free(err);
    /* what each sink writes, or the last step */
    int n = j->nsinks ? j->nsinks : 1;
    for (int i = 0; rc == CLI_OK && i < n; i++) {
        const char *view = j->nsinks   ? j->sinks[i].input
                           : j->nsteps ? j->steps[j->nsteps - 1].view
                                       : j->sources[j->nsources - 1].name.s;
        char title[300];
        if (j->nsinks)
            snprintf(title, sizeof title, "sink %s: %s", j->sinks[i].label, view);
        else
            snprintf(title, sizeof title, "%s", view);
        lm_df *df = lm_read_table(s, view);
        if (df == NULL) {
            fprintf(stderr, "Error: %s\n", lm_errmsg(s));
            rc = CLI_FAILED;
            break;
        }
        rc = explain_df(s, df, title, e);
        lm_df_free(df);
    }
    lm_session_close(s);
    job_free(j);
    return rc;
}

static bool is_job_file(const char *f)
{
    size_t n = strlen(f);
    return (n > 5 && strcmp(f + n - 5, ".yaml") == 0) || (n > 4 && strcmp(f + n - 4, ".yml") == 0);
}

int cli_cmd_explain(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    explain_opts e = {false, false, 0};
    const char *expr = NULL, *file = NULL;
    const char **vars = calloc((size_t)argc + 1, sizeof *vars);
    int nvars = 0, rc = CLI_OK;
    char *text = NULL;
    lm_session *s = NULL;
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
        const char *a = argv[i];
        if (strcmp(a, "-e") == 0 && i + 1 < argc) {
            expr = argv[++i];
        } else if (strcmp(a, "-f") == 0 && i + 1 < argc) {
            file = argv[++i];
        } else if (strcmp(a, "--var") == 0 && i + 1 < argc) {
            vars[nvars++] = argv[++i];
        } else if (strcmp(a, "--extended") == 0) {
            e.extended = true;
        } else if (strcmp(a, "--dot") == 0) {
            e.dot = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            rc = usage(stdout);
            goto out;
        } else if (a[0] != '-' && file == NULL && expr == NULL) {
            file = a;
        } else {
            fprintf(stderr, "localmode explain: unknown argument '%s'\n", a);
            rc = usage(stderr);
            goto out;
        }
        i++;
    }
    if (expr && file) {
        fprintf(stderr, "localmode explain: -e and -f cannot be used together\n");
        rc = CLI_USAGE;
        goto out;
    }
    if (e.extended && e.dot) {
        fprintf(stderr, "localmode explain: --dot draws the physical plan; drop --extended\n");
        rc = CLI_USAGE;
        goto out;
    }
    if (file && is_job_file(file)) {
        rc = explain_job(file, vars, nvars, &o, &e);
        goto out;
    }
    if (file) {
        FILE *f = fopen(file, "rb");
        if (f == NULL) {
            fprintf(stderr, "localmode: cannot read %s: %s\n", file, strerror(errno));
            rc = CLI_FAILED;
            goto out;
        }
        text = cli_read_all(f);
        fclose(f);
    } else if (expr == NULL) {
        text = cli_read_all(stdin);
    }
    if (expr == NULL && text == NULL) {
        rc = CLI_FAILED;
        goto out;
    }
    if ((s = cli_open_session(&o)) == NULL) {
        rc = CLI_FAILED;
        goto out;
    }
    rc = explain_script(s, expr ? expr : text, &e);
out:
    if (s)
        lm_session_close(s);
    free(text);
    free(vars);
    cli_opts_free(&o);
    return rc;
}
