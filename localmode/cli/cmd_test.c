#include "cli/cli.h"
int cli_cmd_test(int argc, char **argv) { (void)argc; (void)argv; return CLI_USAGE; }
