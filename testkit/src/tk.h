/*
 * Internal interfaces shared by the testkit's files. Names carry the `tk_`
 * prefix; nothing here is part of the public API (localmode_testkit.h).
 *
 * The testkit reads the engine's internals (api/df.h for collected rows and
 * schemas, types/value.h for values) because comparing values precisely
 * needs their types, which the public API only offers as text.
 */
#ifndef LMT_TK_H
#define LMT_TK_H

#include <stdbool.h>
#include <stdint.h>

#include "localmode_testkit.h"

#include "api/df.h"
#include "common/strbuf.h"
#include "types/type.h"
#include "types/value.h"

struct lm_tz;

/* ------------------------------------------------------------ session.c */
typedef enum tk_owned_kind { TK_OWN_DF, TK_OWN_FIXTURE } tk_owned_kind;
/* Hands obj to the running test (freed by lmt_teardown), or to the process
   (freed at exit) outside a test. Returns false on allocation failure, in
   which case the caller still owns obj. */
bool tk_own(tk_owned_kind kind, void *obj, lm_session *s);

/* ------------------------------------------------------------- compare.c */
/* How values are compared: tolerances for floating and decimal values, and
   the time zone used when values of different types are compared as text. */
typedef struct tk_cmp {
    double rtol, atol;
    const struct lm_tz *tz;
} tk_cmp;

/*
 * Spark SQL equality of a (of type ta) and b (of type tb), null-safe, with
 * tolerance on finite floating and decimal values; b is the expected side
 * (the relative tolerance scales with |b|). Values of different types are
 * compared numerically when both are numbers, structurally when both are
 * arrays / maps / structs of the same width, otherwise by their text.
 */
bool tk_value_equal(const tk_cmp *c, const lm_type *ta, const lm_value *a, const lm_type *tb,
                    const lm_value *b);
/*
 * A hash consistent with tk_value_equal for two values of the same type:
 * map entries are combined without regard to order, NaN and -0.0 are
 * canonical, and with approx set floating and decimal values contribute
 * nothing (tolerance makes equal values differ in their bits).
 */
uint64_t tk_value_hash(const lm_type *t, const lm_value *v, bool approx);

/* -------------------------------------------------------------- report.c */
/* Report settings resolved from lmt_df_opts and the environment. */
typedef struct tk_style {
    bool color;
    bool compact;
    int max_errors;
    bool show_only_diff;
} tk_style;

tk_style tk_style_resolve(lmt_color color, lmt_format format, int max_errors, bool show_only_diff,
                          bool for_terminal);

/* One column of a side-by-side table: where it lives on each side. */
typedef struct tk_col {
    const char *aname, *ename; /* header text of each side */
    int acol, ecol;            /* column index in each side's rows */
    const lm_type *atype, *etype;
} tk_col;

/* One line of the table: a row index on each side (-1 when that side has
   no row) and whether it differs. */
typedef struct tk_line {
    int64_t a, e;
    bool differ;
} tk_line;

typedef struct tk_table {
    const char *alabel, *elabel; /* "actual" / "expected" */
    int ncols;
    const tk_col *cols;
    lm_value *const *arows; /* rows of each side */
    lm_value *const *erows;
    int64_t nlines;
    const tk_line *lines;
    bool numbered;     /* ordered comparison: show the line number */
    const tk_cmp *cmp; /* to mark differing cells */
} tk_table;

/* Renders a value as a report cell: show() text, NULL as NULL, strings
   quoted when their text would mislead ("", "NULL", edge blanks). */
void tk_render_cell(lm_strbuf *sb, const lm_type *t, const lm_value *v, const struct lm_tz *tz);
/* Appends the side-by-side table (full format). */
void tk_table_render(lm_strbuf *sb, const tk_table *t, const tk_style *st);
/* Appends the differing lines as "; actual (..) vs expected (..)" items for
   the one-line format, at most `limit` of them. */
void tk_table_render_compact(lm_strbuf *sb, const tk_table *t, int limit);
/* "(33.33333 %)" */
void tk_percent(lm_strbuf *sb, int64_t differing, int64_t total);

/* -------------------------------------------------------------- schema.c */
typedef struct tk_schema_opts {
    bool ignore_nullable, ignore_metadata, ignore_column_order, ignore_column_names,
        ignore_column_types;
    const char *const *ignore_columns;
} tk_schema_opts;

/*
 * Compares two struct schemas, appending one line per difference ("  path:
 * what vs what\n") to sb; returns the number of differences. When the
 * schemas match, fills the column mapping: for the n compared columns,
 * acol[i] / ecol[i] are their indexes in each schema.
 */
int tk_schema_diff(lm_strbuf *sb, const lm_type *actual, const lm_type *expected,
                   const tk_schema_opts *o, int *acol, int *ecol, int *n);

/* --------------------------------------------------------------- assert.c */
/* lmt_df_equal with the report built for the terminal (assertions) or not. */
lmt_result tk_df_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts, bool terminal);
/* An lmt_result of outcome whose report is text (copied); out of memory
   gives an [ERROR] result. */
lmt_result tk_result_text(lmt_outcome outcome, const char *text, int64_t differing, int64_t total);

/* ---------------------------------------------------------------- match.c */
/*
 * Matches the rows of two sides as multisets under tk_value_equal over the
 * given columns: on return ma[i] is the expected row matched to actual row
 * i (or -1) and me[j] the actual row matched to expected row j (or -1).
 * The matching is maximal: exact matches first (by hash), then tolerant
 * matches found by augmenting paths within buckets of rows equal on their
 * exact columns. Returns false on allocation failure.
 */
bool tk_match_rows(const tk_cmp *c, const tk_col *cols, int ncols, lm_value *const *arows,
                   int64_t na, lm_value *const *erows, int64_t ne, int64_t *ma, int64_t *me);
/* Whether two rows are equal on the given columns. */
bool tk_rows_equal(const tk_cmp *c, const tk_col *cols, int ncols, const lm_value *a,
                   const lm_value *e);

/* ------------------------------------------------------------------ gen.c */
/* xoshiro256** seeded through splitmix64: small, fast, and the same
   sequence on every platform, so a seed reproduces a failing input. */
typedef struct tk_rng {
    uint64_t s[4];
} tk_rng;

void tk_rng_seed(tk_rng *r, uint64_t seed);
uint64_t tk_rng_next(tk_rng *r);
/* splitmix64 of x: derives independent seeds (one per trial). */
uint64_t tk_mix64(uint64_t x);
/* Generates nrows rows of schema (a struct) into arena memory; *rows gets
   an arena array of row pointers. Returns false on allocation failure. */
bool tk_gen_rows(const lm_type *schema, tk_rng *r, const lmt_gen_opts *o, int64_t nrows,
                 lm_arena *a, lm_value ***rows);
/* Generates one value of type t (not NULL unless t is the NULL type). */
bool tk_gen_value(const lm_type *t, tk_rng *r, const lmt_gen_opts *o, lm_arena *a, lm_value *out);
/* A table holding copies of the rows. NULL on allocation failure. */
lm_table *tk_table_of_rows(const lm_type *schema, lm_value *const *rows, int64_t n);

/* --------------------------------------------------------------- assert.c */
/* Prints text through cmocka (line by line, as cmocka truncates long
   messages) and fails the running test at file:line. Does not return. */
void tk_fail(const char *text, const char *file, int line);

/* ------------------------------------------------------------------ util */
/* A refcounted deep copy of a type made by the parser (whose types live in
   an arena). NULL on allocation failure. */
lm_type *tk_type_clone(const lm_type *t);
/* Parses a DDL schema into a refcounted struct type; on failure returns
   NULL and a malloc'ed message in *err (if err). */
lm_type *tk_parse_schema(const char *ddl, char **err);
/* A DataFrame over a table (takes the table); also used for generated
   inputs. NULL on allocation failure. */
lm_df *tk_df_from_table(lm_session *s, lm_table *t);
/* Registers t as the temp view `name` of s (replacing one of that name). */
lm_status tk_register_view(lm_session *s, const char *name, lm_table *t);

#endif
