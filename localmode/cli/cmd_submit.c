/*
 * `localmode submit JOB`: where the resolved master is local, the job runs
 * on the embedded engine; otherwise it is handed to the real cluster with
 * the same master and settings, as a user would run it by hand:
 *  - a SQL job (.sql) through $SPARK_HOME/bin/spark-sql -f JOB.sql;
 *  - a job file (.yaml) through $SPARK_HOME/bin/spark-submit SCRIPT.py,
 *    where SCRIPT.py is the job translated to PySpark (job/job_pyspark.c):
 *    the same SQL localmode runs, sources read with spark.read, sinks
 *    written with df.write. The job's `conf:` goes into the script (code
 *    wins over --conf in Spark), the command line's --conf onto
 *    spark-submit's.
 * --dry-run prints the command (and the generated script) instead.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/env.h"
#include "job/job.h"

static void print_quoted(FILE *f, const char *s)
{
    if (*s && strpbrk(s, " \t\n'\"\\$`*?[]{}()<>|&;#~") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int usage(FILE *f)
{
    fputs("usage: localmode submit [options] [--dry-run] JOB.sql | JOB.yaml\n"
          "Runs the job on the embedded engine when the resolved master is local;\n"
          "otherwise hands it to the cluster with the same master and settings:\n"
          "a SQL job through $SPARK_HOME/bin/spark-sql -f, a job file through\n"
          "$SPARK_HOME/bin/spark-submit with the job translated to a PySpark script.\n"
          "\n"
          "  --master URL         master URL (local[N], spark://..., yarn, k8s://...)\n"
          "  --conf KEY=VALUE     a Spark setting (repeatable), passed on to Spark\n"
          "  --var NAME=VALUE     a job variable (job files)\n"
          "  --script FILE        where to write the PySpark script (job files; default\n"
          "                       $TMPDIR/localmode-JOBNAME.py)\n"
          "  --dry-run            print the command (and the script) instead of running it\n"
          "Exit status: 0 success, 1 the job failed, 2 usage error.\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

static char *slurp(const char *file)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL)
        return NULL;
    char *text = cli_read_all(f);
    fclose(f);
    return text;
}

/* A SQL job on the embedded engine. */
static int run_sql_local(const cli_opts *o, const char *file)
{
    lm_session *s = cli_open_session(o);
    if (s == NULL)
        return CLI_FAILED;
    char *text = slurp(file);
    int rc;
    if (text == NULL) {
        fprintf(stderr, "localmode: cannot read %s: %s\n", file, strerror(errno));
        rc = CLI_FAILED;
    } else {
        cli_opts tsv;
        cli_opts_init(&tsv);
        rc = cli_run_script(s, text, &tsv);
        cli_opts_free(&tsv);
    }
    free(text);
    lm_session_close(s);
    return rc;
}

static char *script_path(const job *j, const char *given)
{
    if (given)
        return strdup(given);
    const char *tmp = getenv("TMPDIR");
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%s/localmode-", tmp && *tmp ? tmp : "/tmp");
    for (const char *p = j->name; *p; p++)
        lm_strbuf_putc(&sb, (isalnum((unsigned char)*p) || *p == '_' || *p == '-') ? *p : '_');
    lm_strbuf_puts(&sb, ".py");
    return lm_strbuf_detach(&sb);
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

int cli_cmd_submit(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    const char *file = NULL, *script = NULL;
    bool dry_run = false;
    const char **vars = calloc((size_t)argc + 1, sizeof *vars);
    int nvars = 0;
    if (vars == NULL) {
        cli_opts_free(&o);
        return CLI_FAILED;
    }
    int rc = CLI_OK;
    lm_resolved_env env;
    memset(&env, 0, sizeof env);
    bool have_env = false;
    job *j = NULL;
    char *tool = NULL, *py = NULL, *pytext = NULL;
    char **kv = NULL, **args = NULL;
    int nconf = 0;
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
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = true;
        } else if (strcmp(argv[i], "--var") == 0 && i + 1 < argc) {
            vars[nvars++] = argv[++i];
        } else if (strcmp(argv[i], "--script") == 0 && i + 1 < argc) {
            script = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            rc = usage(stdout);
            goto out;
        } else if (argv[i][0] != '-' && file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "localmode submit: unknown argument '%s'\n", argv[i]);
            rc = CLI_USAGE;
            goto out;
        }
        i++;
    }
    if (file == NULL) {
        fprintf(stderr, "localmode submit: a job file is needed\n");
        rc = CLI_USAGE;
        goto out;
    }
    bool yaml = ends_with(file, ".yaml") || ends_with(file, ".yml");
    if (!yaml && !ends_with(file, ".sql")) {
        fprintf(stderr, "localmode submit: the job must be a SQL file (.sql) or a job file "
                        "(.yaml)\n");
        rc = CLI_USAGE;
        goto out;
    }
    if (!yaml && (nvars || script)) {
        fprintf(stderr, "localmode submit: --var and --script are for job files (.yaml)\n");
        rc = CLI_USAGE;
        goto out;
    }
    if (yaml) {
        char *err = NULL;
        j = job_load_file(file, vars, nvars, &err);
        if (j == NULL) {
            fprintf(stderr, "%s\n", err);
            rc = strncmp(err, "--var", 5) == 0 ? CLI_USAGE : CLI_FAILED;
            free(err);
            goto out;
        }
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        job_to_pyspark(j, &sb);
        pytext = lm_strbuf_detach(&sb);
        if (pytext == NULL) {
            rc = CLI_FAILED;
            goto out;
        }
    }
    lm_env_input in;
    memset(&in, 0, sizeof in);
    in.master = o.master;
    in.conf = o.conf;
    in.explicit_origin = "command line";
    lm_error err;
    lm_error_init(&err);
    if (lm_env_resolve(&in, &env, &err) != LM_OK) {
        fprintf(stderr, "localmode: %s\n", err.message ? err.message : "cannot resolve");
        lm_error_clear(&err);
        have_env = true;
        rc = CLI_FAILED;
        goto out;
    }
    have_env = true;
    if (lm_master_is_local(&env.master)) {
        if (dry_run) {
            printf("embedded engine: localmode %s ", yaml ? "run" : "sql -f");
            for (int i = 0; i < nvars; i++) {
                fputs("--var ", stdout);
                print_quoted(stdout, vars[i]);
                putchar(' ');
            }
            print_quoted(stdout, file);
            putchar('\n');
            if (yaml)
                printf("# ---- PySpark equivalent\n%s", pytext);
        } else if (yaml) {
            rc = cli_run_job(j, &o, false, false);
        } else {
            rc = run_sql_local(&o, file);
        }
        goto out;
    }
    if (env.spark_home == NULL) {
        char *home = NULL;
        const char *origin = NULL;
        if (lm_env_find_spark_home(&in, &home, &origin, &err) != LM_OK) {
            fprintf(stderr, "localmode submit: %s\n",
                    err.message ? err.message : "SPARK_HOME not found");
            lm_error_clear(&err);
            rc = CLI_FAILED;
            goto out;
        }
        env.spark_home = home;
    }
    size_t hl = strlen(env.spark_home) + 32;
    tool = malloc(hl);
    if (tool == NULL) {
        rc = CLI_FAILED;
        goto out;
    }
    snprintf(tool, hl, "%s/bin/%s", env.spark_home, yaml ? "spark-submit" : "spark-sql");
    if (yaml && (py = script_path(j, script)) == NULL) {
        rc = CLI_FAILED;
        goto out;
    }
    /* argv: TOOL --master M [--conf k=v]... (-f FILE | SCRIPT.py) */
    const char *k, *v;
    while (lm_conf_at(o.conf, (size_t)nconf, &k, &v))
        nconf++;
    args = calloc((size_t)(6 + 2 * nconf), sizeof *args);
    kv = calloc((size_t)(nconf + 1), sizeof *kv);
    if (args == NULL || kv == NULL) {
        rc = CLI_FAILED;
        goto out;
    }
    int a = 0;
    args[a++] = tool;
    args[a++] = "--master";
    args[a++] = env.master.url;
    for (int i = 0; i < nconf; i++) {
        lm_conf_at(o.conf, (size_t)i, &k, &v);
        size_t n = strlen(k) + strlen(v) + 2;
        if ((kv[i] = malloc(n)) == NULL) {
            rc = CLI_FAILED;
            goto out;
        }
        snprintf(kv[i], n, "%s=%s", k, v);
        args[a++] = "--conf";
        args[a++] = kv[i];
    }
    if (yaml) {
        args[a++] = py;
    } else {
        args[a++] = "-f";
        args[a++] = (char *)file;
    }
    args[a] = NULL;
    if (dry_run) {
        for (int i = 0; i < a; i++) {
            if (i)
                putchar(' ');
            print_quoted(stdout, args[i]);
        }
        putchar('\n');
        if (yaml)
            printf("# ---- %s\n%s", py, pytext);
    } else if (access(tool, X_OK) != 0) {
        fprintf(stderr, "localmode submit: %s is not an executable: is SPARK_HOME right?\n", tool);
        rc = CLI_FAILED;
    } else if (yaml && !write_file(py, pytext)) {
        fprintf(stderr, "localmode submit: cannot write %s: %s\n", py, strerror(errno));
        rc = CLI_FAILED;
    } else {
        fflush(stdout);
        execv(tool, args);
        fprintf(stderr, "localmode submit: cannot run %s: %s\n", tool, strerror(errno));
        rc = CLI_FAILED;
    }
out:
    for (int i = 0; kv && i < nconf; i++)
        free(kv[i]);
    free(kv);
    free(args);
    free(tool);
    free(py);
    free(pytext);
    job_free(j);
    if (have_env)
        lm_resolved_env_free(&env);
    free(vars);
    cli_opts_free(&o);
    return rc;
}
