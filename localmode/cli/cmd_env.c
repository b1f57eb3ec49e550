/*
 * `localmode env`: the environment as Spark would resolve it — master,
 * SPARK_HOME, configuration directory and every setting with where it
 * came from — so a user sees why a job runs where it runs.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/env.h"

int cli_cmd_env(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    for (int i = 0; i < argc;) {
        int used = cli_common_option(&o, argc, argv, i);
        if (used <= 0) {
            if (used == 0 && strcmp(argv[i], "--help") == 0) {
                puts("usage: localmode env [--master URL] [--conf KEY=VALUE]...\n"
                     "Prints the resolved Spark environment and where each value came from.");
                cli_opts_free(&o);
                return CLI_OK;
            }
            if (used == 0)
                fprintf(stderr, "localmode env: unknown argument '%s'\n", argv[i]);
            cli_opts_free(&o);
            return CLI_USAGE;
        }
        i += used;
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
        rc = CLI_FAILED;
    } else {
        char *text = lm_env_describe(&env);
        if (text)
            fputs(text, stdout);
        free(text);
    }
    lm_resolved_env_free(&env);
    lm_error_clear(&err);
    cli_opts_free(&o);
    return rc;
}
