/*
 * Declarative test files for `localmode test` (test_file.c loads them,
 * cmd_test.c runs them): fixtures (the testkit's YAML format), then test
 * cases, each a SQL query or a job file with what its result must be.
 *
 *   fixtures: fixtures/orders.yaml          # relative to the test file
 *   tables: {...}                           # or inline, same format
 *   conf: {spark.sql.ansi.enabled: true}
 *   tests:
 *     - name: revenue per day
 *       sql: SELECT day, sum(amount) AS revenue FROM orders GROUP BY day
 *       expect:
 *         schema: "day DATE, revenue DOUBLE"
 *         rows: [[2024-01-01, 30.0]]
 *       options: {check_row_order: false, rtol: 1.0e-6}
 *     - name: a bad column
 *       sql: SELECT nope FROM orders
 *       expect: {error: UNRESOLVED_COLUMN.WITH_SUGGESTION}
 */
#ifndef LM_CLI_TEST_FILE_H
#define LM_CLI_TEST_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "localmode_testkit.h"

typedef struct tf_kv {
    const char *key, *value;
} tf_kv;

typedef struct tf_case {
    const char *name;
    int line, col; /* the case */
    int index;     /* 1-based within its file */
    /* what runs: a job file (path resolved against the test file), then
       sql; either may be absent, not both */
    const char *sql;
    const char *job;
    int nvars;
    const char **vars; /* "k=v" */
    const char *view;  /* job: the view checked (default: last step) */
    bool sinks;        /* job: write the sinks too */
    const char *skip;  /* skip: REASON; NULL when the test runs */
    int nconf;
    tf_kv *conf;
    /* expectations (NULL / -1 when absent) */
    const char *error, *message;
    const char *schema;     /* DDL */
    const char *values;     /* VALUES body */
    const char *table;      /* a view to compare with */
    const char *expect_sql; /* a query to compare with */
    int64_t count;
    bool has_rows;
    int rows_key_line, rows_key_col, rows_end_line, rows_end_col; /* 0-based marks */
    lmt_df_opts opts;
} tf_case;

typedef struct tf_file {
    lm_arena arena;
    const char *path;
    const char *text; /* the file, for fixtures written inline */
    int nfixtures;
    const char **fixtures; /* resolved paths */
    bool has_tables;       /* inline `tables:` */
    int tables_line, tables_end_line, tables_end_col;
    int nconf;
    tf_kv *conf;
    int ncases;
    tf_case *cases;
    char *error; /* the file could not be loaded: file:line:col: why */
} tf_file;

/* Loads a test file; always returns a file (NULL only when out of
   memory), with error set when it is unusable. */
tf_file *tf_load(const char *path);
void tf_free(tf_file *f);

/*
 * The fixture text for what a test file writes inline, with every other
 * line blanked so that the testkit's messages point into the test file:
 * the top-level `tables:` (tables) or a case's expected `rows:` as a table
 * named __expected__ of the given schema (rows). malloc'ed. For rows the
 * text starts with two header lines: tf_fix_lines() corrects a message.
 */
char *tf_tables_text(const tf_file *f);
char *tf_rows_text(const tf_file *f, const tf_case *c, const char *schema_ddl);
/* Rewrites "PATH:LINE:COL: ..." of a message about tf_rows_text's text to
   the test file's lines. malloc'ed. */
char *tf_fix_lines(const char *msg, const char *path);

#endif
