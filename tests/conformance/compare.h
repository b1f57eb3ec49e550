/*
 * Judging one statement: the engine's result (already rendered to text)
 * against a golden block, with Spark's rules for row order, trailing
 * whitespace and JDK-dependent double text (shared/conformance/README.md,
 * sections 3.2, 3.4 and quirks 1, 2 and 6). Engine-free, so the unit test
 * covers it completely.
 */
#ifndef LM_CONFORMANCE_COMPARE_H
#define LM_CONFORMANCE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "golden.h"

typedef enum compare_result {
    COMPARE_PASS = 0,
    COMPARE_FAIL_ROWS,
    COMPARE_FAIL_SCHEMA_TYPES,
    COMPARE_FAIL_SCHEMA_NAMES, /* types and rows right, a column name differs */
    COMPARE_ORDER_ONLY,        /* same lines, different order */
    COMPARE_EXPECTED_ERROR,    /* expected an error, the statement succeeded */
    COMPARE_UNEXPECTED_ERROR,
    COMPARE_WRONG_ERROR_CLASS,
    COMPARE_SKIPPED,
    COMPARE_CRASHED, /* the process died or timed out before the statement finished */
    COMPARE__COUNT
} compare_result;

/* "pass", "fail-rows", ... as the report prints them. */
const char *compare_result_name(compare_result r);

/* What the engine produced for one statement, as text. */
typedef struct compare_actual {
    bool failed;             /* lm_sql or collecting the rows failed */
    const char *error_class; /* lm_errclass when failed; may be NULL */
    const char *exception;   /* lm_errexception when failed; may be NULL */
    const char *schema;      /* lm_df_schema_string when it succeeded */
    int ncols;
    const char *const *rows; /* each row: its cells rendered and joined by TAB */
    size_t nrows;
    bool sorted; /* lm_df_is_sorted */
} compare_actual;

/*
 * Classifies the statement. Precedence when several things are wrong:
 * schema types, then rows (order-only when only the order differs), then
 * column names; so fail-schema-names means "everything else is right".
 */
compare_result compare_statement(const golden_block *expected, const compare_actual *actual);

/* The output block Spark would write: rows sorted as text unless sorted,
   joined with '\n', trailing whitespace removed. Malloc'ed; NULL on OOM. */
char *compare_render_output(const char *const *rows, size_t nrows, bool sorted);

/* Java String.compareTo order (UTF-16 code units) for UTF-8 text. */
int compare_utf16(const char *a, const char *b);

/* Exact text equality, or equality after reading tokens that both look like
   Java double text as numbers (quirk 6: pre-JDK-19 Double.toString digits). */
bool compare_output_equal(const char *expected, const char *actual);

/* True when both texts hold the same lines, in any order. */
bool compare_same_lines(const char *a, const char *b);

typedef enum compare_schema_diff {
    COMPARE_SCHEMA_EQUAL,
    COMPARE_SCHEMA_NAMES, /* same column types, different names */
    COMPARE_SCHEMA_TYPES  /* a type or the column count differs */
} compare_schema_diff;

/* Compares two catalog strings, knowing the actual column count. When the
   expected string also reads as more columns than that, the column count
   differs and the result is COMPARE_SCHEMA_TYPES. */
compare_schema_diff compare_schemas(const char *expected, const char *actual, int ncols);

/*
 * Splits a catalog string `struct<n1:t1,...>` into its ncols column types.
 * Names are free text (they can hold ',' ':' and brackets) but types follow
 * Spark's grammar, so the first reading with exactly ncols well-formed types
 * wins. Returns a malloc'ed array of ncols malloc'ed strings, or NULL when
 * no such reading exists. Free with compare_types_free.
 */
char **compare_schema_types(const char *schema, int ncols);
void compare_types_free(char **types, int ncols);

#endif
