/*
 * The conformance runner's bookkeeping: the explicit skip list
 * (tests/conformance/skips.txt), the per-file pass-count baseline
 * (tests/conformance/baseline.txt) and the printed report. Engine-free.
 *
 * Ownership: structs are filled by the load and parse calls and released with the
 * matching free call (safe on zeroed structs). int-returning calls give 0 on
 * success and -1 with a malloc'ed message in *err.
 */
#ifndef LM_CONFORMANCE_REPORT_H
#define LM_CONFORMANCE_REPORT_H

#include <stdio.h>

#include "compare.h"

/* One skip: `file | selector | reason`. The selector is a 1-based statement
   index (`12` or `#12`) or a prefix of the statement text. */
typedef struct report_skip {
    char *file;
    size_t index; /* 0 when the selector is a prefix */
    char *prefix; /* NULL when the selector is an index */
    char *reason;
} report_skip;

typedef struct report_skips {
    report_skip *v;
    size_t n;
} report_skips;

int report_skips_parse(const char *text, report_skips *out, char **err);
/* A missing file is an empty list. */
int report_skips_load(const char *path, report_skips *out, char **err);
void report_skips_free(report_skips *s);
/* The reason when statement number index1 (1-based) with text sql of file
   is skipped; NULL otherwise. */
const char *report_skip_reason(const report_skips *s, const char *file, size_t index1,
                               const char *sql);

/* `file passed` lines; '#' starts a comment line. */
typedef struct report_baseline_entry {
    char *file;
    size_t passed;
} report_baseline_entry;

typedef struct report_baseline {
    report_baseline_entry *v;
    size_t n;
} report_baseline;

int report_baseline_parse(const char *text, report_baseline *out, char **err);
/* A missing file is an empty baseline. */
int report_baseline_load(const char *path, report_baseline *out, char **err);
void report_baseline_free(report_baseline *b);
/* Returns false when the file has no entry. */
bool report_baseline_get(const report_baseline *b, const char *file, size_t *passed);
int report_baseline_set(report_baseline *b, const char *file, size_t passed);
/* Writes entries sorted by file name, after a comment header. */
int report_baseline_write(const report_baseline *b, const char *path, char **err);

/* Prints `split-check: NAME: ...` describing the first statement where the
   split input and the golden file disagree; returns true when they agree. */
bool report_split_check(FILE *f, const char *name, const golden_script *s, const golden_file *g);

/* Tally of one golden file. */
typedef struct report_file {
    char *name; /* e.g. "subquery/in-subquery/in-basic.sql" */
    size_t total;
    size_t counts[COMPARE__COUNT];
} report_file;

/* `name: passed/total` */
void report_print_file(FILE *f, const report_file *rf);
/* With verbose, the per-category counts of one file on one line. */
void report_print_file_categories(FILE *f, const report_file *rf);
/* `categories: pass=N fail-rows=N ...` over all files, then the final
   line `conformance: P/T statements passed (X.X%)`. */
void report_print_summary(FILE *f, const report_file *files, size_t n);
/* Prints one line per file whose pass count is below its baseline and
   returns how many there are. */
size_t report_check_baseline(FILE *f, const report_baseline *b, const report_file *files, size_t n);

#endif
