/*
 * Options shared by the engine subcommands and session set-up from the
 * environment, resolved as Spark resolves it (conf/env.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/env.h"

void cli_opts_init(cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->conf = lm_conf_new();
    o->format = CLI_TABLE;
    o->truncate = 20;
}

void cli_opts_free(cli_opts *o)
{
    lm_conf_free(o->conf);
}

static bool parse_format(const char *s, cli_format *out)
{
    static const struct {
        const char *name;
        cli_format f;
    } names[] = {{"table", CLI_TABLE}, {"tsv", CLI_TSV}, {"csv", CLI_CSV}, {"json", CLI_JSON}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

int cli_common_option(cli_opts *o, int argc, char **argv, int i)
{
    const char *a = argv[i];
    bool has_value = i + 1 < argc;
    if (strcmp(a, "--master") == 0 || strcmp(a, "--conf") == 0 || strcmp(a, "--output") == 0 ||
        strcmp(a, "--truncate") == 0) {
        if (!has_value) {
            fprintf(stderr, "localmode: %s needs a value\n", a);
            return -1;
        }
    }
    if (strcmp(a, "--master") == 0) {
        o->master = argv[i + 1];
        return 2;
    }
    if (strcmp(a, "--conf") == 0) {
        const char *kv = argv[i + 1];
        const char *eq = strchr(kv, '=');
        if (eq == NULL || eq == kv) {
            fprintf(stderr, "localmode: --conf expects key=value, got '%s'\n", kv);
            return -1;
        }
        char *key = strndup(kv, (size_t)(eq - kv));
        lm_status st = key ? lm_conf_set(o->conf, key, eq + 1) : LM_ENOMEM;
        free(key);
        return st == LM_OK ? 2 : -1;
    }
    if (strcmp(a, "--output") == 0) {
        if (!parse_format(argv[i + 1], &o->format)) {
            fprintf(stderr, "localmode: --output must be table, tsv, csv or json, got '%s'\n",
                    argv[i + 1]);
            return -1;
        }
        return 2;
    }
    if (strcmp(a, "--truncate") == 0) {
        char *end;
        long n = strtol(argv[i + 1], &end, 10);
        if (*end != '\0' || n < 0 || n > 1000000) {
            fprintf(stderr, "localmode: --truncate expects a number of characters, got '%s'\n",
                    argv[i + 1]);
            return -1;
        }
        o->truncate = (int)n;
        return 2;
    }
    if (strcmp(a, "--timing") == 0) {
        o->timing = true;
        return 1;
    }
    if (strcmp(a, "--timing-runs") == 0 && i + 1 < argc) {
        char *end;
        long n = strtol(argv[i + 1], &end, 10);
        if (*end != '\0' || n < 1 || n > 1000) {
            fprintf(stderr, "localmode: --timing-runs expects a number of runs (1-1000), got '%s'\n",
                    argv[i + 1]);
            return -1;
        }
        o->timing = true;
        o->timing_runs = (int)n;
        return 2;
    }
    return 0;
}

lm_session *cli_open_session(const cli_opts *o)
{
    lm_env_input in;
    memset(&in, 0, sizeof in);
    in.master = o->master;
    in.conf = o->conf;
    in.explicit_origin = "command line";
    lm_resolved_env env;
    lm_error err;
    lm_error_init(&err);
    if (lm_env_resolve(&in, &env, &err) != LM_OK) {
        fprintf(stderr, "localmode: %s\n", err.message ? err.message : "cannot resolve the environment");
        lm_error_clear(&err);
        lm_resolved_env_free(&env);
        return NULL;
    }
    for (int i = 0; i < env.nwarnings; i++)
        fprintf(stderr, "WARN: %s\n", env.warnings[i]);
    char *msg = NULL;
    lm_session *s = lm_session_open(env.conf, &msg);
    lm_resolved_env_free(&env);
    if (s == NULL) {
        fprintf(stderr, "localmode: %s\n", msg ? msg : "cannot open a session");
        free(msg);
    }
    return s;
}
