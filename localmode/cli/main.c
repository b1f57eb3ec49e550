/*
 * The localmode command line: subcommand dispatch, --version and --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int usage(FILE *f)
{
    fputs("usage: localmode COMMAND [options]\n"
          "\n"
          "Commands:\n"
          "  sql       run Spark SQL on the embedded engine (shell, -e, -f)\n"
          "  run       run a job file (YAML: sources, steps, sinks)\n"
          "  test      run declarative test files (YAML) and report TAP or JUnit XML\n"
          "  explain   print a query's plan as Spark does, or as a Graphviz graph\n"
          "  env       print the resolved Spark environment and where each value came from\n"
          "  profile   run a SQL job under callgrind and print where the instructions go\n"
          "  submit    run a SQL or YAML job locally, or hand it to a cluster's Spark\n"
          "\n"
          "  localmode COMMAND --help   options of a command\n"
          "  localmode --version        the version and the Spark semantics it follows\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("localmode %s (Spark %s semantics)\n", LM_VERSION, LM_SPARK_VERSION);
        return CLI_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
        return usage(stdout);
    if (strcmp(cmd, "sql") == 0)
        return cli_cmd_sql(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0)
        return cli_cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return cli_cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0)
        return cli_cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "env") == 0)
        return cli_cmd_env(argc - 2, argv + 2);
    if (strcmp(cmd, "submit") == 0)
        return cli_cmd_submit(argc - 2, argv + 2);
    if (strcmp(cmd, "profile") == 0)
        return cli_cmd_profile(argc - 2, argv + 2, argv[0]);
    fprintf(stderr, "localmode: unknown command '%s'\n", cmd);
    return usage(stderr);
}
