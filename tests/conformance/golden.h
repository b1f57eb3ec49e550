/*
 * Spark SQL golden files: reading `results/NAME.sql.out` into (statement,
 * schema, output) blocks and splitting `inputs/NAME.sql` into statements
 * exactly as Spark's SQLQueryTestSuite does (shared/conformance/README.md,
 * sections 2 and 3). Nothing here knows about the engine, so the unit test
 * and the engine-free self-check can use it on its own.
 *
 * Ownership: every struct filled by a golden_* call owns its strings and is
 * released with the matching *_free, which is safe on a zeroed struct.
 * Functions returning int give 0 on success and -1 on failure with a
 * malloc'ed message in *err (caller frees).
 */
#ifndef LM_CONFORMANCE_GOLDEN_H
#define LM_CONFORMANCE_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct golden_block {
    char *sql;    /* statement text, trimmed at both ends */
    char *schema; /* schema string, trimmed at both ends */
    char *output; /* output block, trailing whitespace removed */
} golden_block;

typedef struct golden_file {
    golden_block *blocks;
    size_t nblocks;
} golden_file;

/* Parses the text of a .sql.out file. */
int golden_parse(const char *text, golden_file *out, char **err);
void golden_file_free(golden_file *g);

/* A golden block describes a failure when its schema is `struct<>` and it
   has output (commands have `struct<>` and no output). */
bool golden_block_is_error(const golden_block *b);
/* First line of an error block's output: the JVM exception class.
   Malloc'ed; caller frees. */
char *golden_error_exception(const golden_block *b);
/* The `"errorClass" : "..."` value of an error block's JSON, or NULL when
   the message is not JSON. Malloc'ed; caller frees. */
char *golden_error_class(const golden_block *b);

typedef struct golden_conf {
    char *key;
    char *value;
} golden_conf;

typedef struct golden_script {
    char **stmts; /* statements as the golden file spells them */
    size_t nstmts;
    golden_conf *confs; /* --SET pairs in file order */
    size_t nconfs;
} golden_script;

/*
 * Returns the text of inputs/NAME for an --IMPORT NAME directive (malloc'ed,
 * the splitter frees it), or NULL when it cannot be read.
 */
typedef char *(*golden_read_fn)(void *ctx, const char *name);

/* Splits the text of a .sql input. read_import may be NULL when the text
   has no --IMPORT directive; an unreadable import is an error. */
int golden_split(const char *text, golden_read_fn read_import, void *ctx, golden_script *out,
                 char **err);
void golden_script_free(golden_script *s);

/*
 * Compares the statements split from the input with the golden blocks.
 * Returns true when they agree; otherwise *first_diff receives the 0-based
 * index of the first disagreement (== the shorter count when one list is a
 * prefix of the other).
 */
bool golden_split_agrees(const golden_script *s, const golden_file *g, size_t *first_diff);

/*
 * Loads one test case of a corpus folder (holding inputs/ and results/):
 * results/NAME.out into g and inputs/NAME into s, resolving --IMPORT under
 * inputs/. When inputs/NAME does not exist, s is empty (no --SET) and
 * *has_input is false.
 */
int golden_load_case(const char *corpus, const char *name, golden_file *g, golden_script *s,
                     bool *has_input, char **err);

/* Reads a whole file; malloc'ed NUL-terminated text or NULL (errno set). */
char *golden_read_file(const char *path);

/*
 * Lists every `*.sql.out` under results_dir, recursively, as paths relative
 * to it with the `.out` suffix removed (e.g. "subquery/in-subquery/in-basic.sql"),
 * sorted bytewise. *names is malloc'ed, each entry too; free with
 * golden_names_free.
 */
int golden_list_corpus(const char *results_dir, char ***names, size_t *count, char **err);
void golden_names_free(char **names, size_t count);

#endif
