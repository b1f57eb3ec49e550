/*
 * Internal interface of the localmode command line: one file per
 * subcommand, shared option handling and result printing.
 */
#ifndef LM_CLI_CLI_H
#define LM_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "localmode.h"

/* Exit codes, as the CLI documents them. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

typedef enum cli_format { CLI_TABLE, CLI_TSV, CLI_CSV, CLI_JSON } cli_format;

typedef struct cli_opts {
    const char *master;   /* --master */
    lm_conf *conf;        /* --conf k=v, in order */
    cli_format format;    /* --output */
    int truncate;         /* --truncate (table format) */
    bool timing;          /* --timing: query_time_s=... for the last statement */
    int timing_runs;      /* --timing-runs R: the last statement runs R times, median reported */
    bool profile_collect; /* running under `localmode profile`: toggle callgrind */
    bool metrics;         /* --metrics: per-job summary on stderr */
    struct cli_metrics *observer; /* metrics / progress bar, when on */
} cli_opts;

/* Parses the options every engine subcommand shares; returns how many
   arguments it consumed at argv[i] (0 when argv[i] is not one of them,
   -1 on a malformed option, after printing why). */
int cli_common_option(cli_opts *o, int argc, char **argv, int i);
void cli_opts_init(cli_opts *o);
void cli_opts_free(cli_opts *o);

/* Opens a session from the resolved environment (SPARK_CONF_DIR,
   PYSPARK_SUBMIT_ARGS, MASTER ...) with the command line on top. */
lm_session *cli_open_session(const cli_opts *o);

/* Prints a result in the chosen format. */
lm_status cli_print(lm_df *df, const cli_opts *o, FILE *out);

/* The length of the next `;`-terminated statement at p (a `;` inside
   quotes or comments does not count); *next is past its terminator,
   *complete false when the text ran out first. */
size_t cli_next_statement(const char *p, const char **next, bool *complete);
/* Whether s[0..n) holds only blanks and -- comments. */
bool cli_blank(const char *s, size_t n);
/* Reads a whole stream; malloc'ed, NULL on failure. */
char *cli_read_all(FILE *f);

/* Runs a script of `;`-separated statements; stops at the first error. */
int cli_run_script(lm_session *s, const char *text, const cli_opts *o);

struct job;
/* Runs a loaded job on a session opened from o; check: define the views
   only; metrics: print the per-job summary on stderr. */
int cli_run_job(const struct job *j, const cli_opts *o, bool check, bool metrics);

int cli_cmd_sql(int argc, char **argv);
int cli_cmd_run(int argc, char **argv);
int cli_cmd_test(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv);
int cli_cmd_env(int argc, char **argv);
int cli_cmd_profile(int argc, char **argv, const char *self);
int cli_cmd_submit(int argc, char **argv);

#endif
