/*
 * `localmode submit JOB.sql`: where the resolved master is local, the job
 * runs on the embedded engine; otherwise it is handed to the real cluster
 * through $SPARK_HOME/bin/spark-sql with the same master and settings, as
 * a user would run it by hand. --dry-run prints that command instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/env.h"

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

int cli_cmd_submit(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    const char *file = NULL;
    bool dry_run = false;
    for (int i = 0; i < argc;) {
        int used = cli_common_option(&o, argc, argv, i);
        if (used < 0) {
            cli_opts_free(&o);
            return CLI_USAGE;
        }
        if (used > 0) {
            i += used;
            continue;
        }
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = true;
        } else if (strcmp(argv[i], "--help") == 0) {
            puts("usage: localmode submit [--master URL] [--conf KEY=VALUE]... [--dry-run] JOB.sql\n"
                 "Runs JOB.sql on the embedded engine when the resolved master is local;\n"
                 "otherwise runs $SPARK_HOME/bin/spark-sql with the same master and settings.\n"
                 "--dry-run prints the command instead of running it.");
            cli_opts_free(&o);
            return CLI_OK;
        } else if (argv[i][0] != '-' && file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "localmode submit: unknown argument '%s'\n", argv[i]);
            cli_opts_free(&o);
            return CLI_USAGE;
        }
        i++;
    }
    if (file == NULL) {
        fprintf(stderr, "localmode submit: a job file is needed\n");
        cli_opts_free(&o);
        return CLI_USAGE;
    }
    size_t fl = strlen(file);
    if (fl < 4 || strcmp(file + fl - 4, ".sql") != 0) {
        fprintf(stderr, "localmode submit: only SQL job files (.sql) can be submitted\n");
        cli_opts_free(&o);
        return CLI_USAGE;
    }
    lm_env_input in;
    memset(&in, 0, sizeof in);
    in.master = o.master;
    in.conf = o.conf;
    in.explicit_origin = "command line";
    lm_resolved_env env;
    lm_error err;
    lm_error_init(&err);
    int rc = CLI_OK;
    if (lm_env_resolve(&in, &env, &err) != LM_OK) {
        fprintf(stderr, "localmode: %s\n", err.message ? err.message : "cannot resolve");
        lm_error_clear(&err);
        lm_resolved_env_free(&env);
        cli_opts_free(&o);
        return CLI_FAILED;
    }
    if (lm_master_is_local(&env.master)) {
        lm_resolved_env_free(&env);
        if (dry_run) {
            printf("embedded engine: localmode sql -f ");
            print_quoted(stdout, file);
            putchar('\n');
            cli_opts_free(&o);
            return CLI_OK;
        }
        char *args[] = {"-f", (char *)file};
        /* same settings, embedded engine */
        lm_session *s = cli_open_session(&o);
        cli_opts_free(&o);
        if (s == NULL)
            return CLI_FAILED;
        FILE *f = fopen(args[1], "rb");
        if (f == NULL) {
            fprintf(stderr, "localmode: cannot read %s: %s\n", file, strerror(errno));
            lm_session_close(s);
            return CLI_FAILED;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (text && fread(text, 1, (size_t)n, f) == (size_t)n) {
            text[n] = '\0';
            cli_opts tsv;
            cli_opts_init(&tsv);
            rc = cli_run_script(s, text, &tsv);
            cli_opts_free(&tsv);
        } else {
            rc = CLI_FAILED;
        }
        free(text);
        fclose(f);
        lm_session_close(s);
        return rc;
    }
    if (env.spark_home == NULL) {
        char *home = NULL;
        const char *origin = NULL;
        if (lm_env_find_spark_home(&in, &home, &origin, &err) != LM_OK) {
            fprintf(stderr, "localmode submit: %s\n", err.message ? err.message : "SPARK_HOME not found");
            lm_error_clear(&err);
            lm_resolved_env_free(&env);
            cli_opts_free(&o);
            return CLI_FAILED;
        }
        env.spark_home = home;
    }
    size_t hl = strlen(env.spark_home) + 32;
    char *tool = malloc(hl);
    snprintf(tool, hl, "%s/bin/spark-sql", env.spark_home);
    /* argv: spark-sql --master M [--conf k=v]... -f FILE */
    int nconf = 0;
    const char *k, *v;
    while (lm_conf_at(o.conf, (size_t)nconf, &k, &v))
        nconf++;
    char **args = calloc((size_t)(6 + 2 * nconf), sizeof *args);
    int a = 0;
    args[a++] = tool;
    args[a++] = "--master";
    args[a++] = env.master.url;
    char **kv = calloc((size_t)(nconf + 1), sizeof *kv);
    for (int i = 0; i < nconf; i++) {
        lm_conf_at(o.conf, (size_t)i, &k, &v);
        size_t n = strlen(k) + strlen(v) + 2;
        kv[i] = malloc(n);
        snprintf(kv[i], n, "%s=%s", k, v);
        args[a++] = "--conf";
        args[a++] = kv[i];
    }
    args[a++] = "-f";
    args[a++] = (char *)file;
    args[a] = NULL;
    if (dry_run) {
        for (int i = 0; i < a; i++) {
            if (i)
                putchar(' ');
            print_quoted(stdout, args[i]);
        }
        putchar('\n');
    } else if (access(tool, X_OK) != 0) {
        fprintf(stderr, "localmode submit: %s is not an executable: is SPARK_HOME right?\n", tool);
        rc = CLI_FAILED;
    } else {
        fflush(stdout);
        execv(tool, args);
        fprintf(stderr, "localmode submit: cannot run %s: %s\n", tool, strerror(errno));
        rc = CLI_FAILED;
    }
    for (int i = 0; i < nconf; i++)
        free(kv[i]);
    free(kv);
    free(args);
    free(tool);
    lm_resolved_env_free(&env);
    cli_opts_free(&o);
    return rc;
}
