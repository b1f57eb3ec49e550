/*
 * localmode testkit: unit testing of localmode jobs with cmocka. This is the
 * whole public API of liblocalmode_testkit.
 *
 * What it gives a test suite, and the tools it stands in for:
 *  - a warm session shared by the tests of one process, with per-test
 *    configuration overrides and temp views cleaned up after each test
 *    (spark-testing-base's SharedSparkContext, pyspark's ReusedSQLTestCase,
 *    Spark's withSQLConf), or a fresh session per test;
 *  - DataFrame, schema, column and row assertions that print a report a
 *    person reads at a glance (pyspark.testing's assertDataFrameEqual and
 *    assertSchemaEqual, chispa, spark-fast-tests);
 *  - YAML fixtures that declare tables (schema as Spark DDL, rows as lists
 *    or maps) and register them as temp views;
 *  - seeded random DataFrames for a schema and property checks that shrink
 *    a failing input (spark-testing-base's DataframeGenerator + ScalaCheck).
 *
 * Conventions
 *  - Include <stdarg.h> <stddef.h> <setjmp.h> <stdint.h> <cmocka.h> before
 *    this header when using the lmt_unit_test macros.
 *  - The lmt_assert_* macros fail the running cmocka test (print_error +
 *    _fail) with a report; each has a non-failing lmt_*_equal form that
 *    returns an lmt_result holding the same report.
 *  - Objects handed out by lmt_sql and lmt_load_fixture are owned by the
 *    running test: lmt_teardown frees them (objects made outside a test,
 *    e.g. in a group setup, are freed at exit). Never free them yourself.
 *    Everything else follows localmode.h: the caller frees.
 *  - Options structs come from lmt_*_opts_default(); passing NULL means
 *    the defaults.
 */
#ifndef LOCALMODE_TESTKIT_H
#define LOCALMODE_TESTKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "localmode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The engine's value type (types/value.h); only lmt_rows_equal_values
   needs it, so the public header does not depend on its layout. */
struct lm_value;

/* =============================================================== sessions */
/*
 * The shared session of this process: opened on first use with the
 * testkit's configuration, closed at exit. The testkit configuration is
 * Spark's defaults plus what makes tests reproducible on any machine:
 *   spark.master                  local[2]
 *   spark.app.name                localmode-testkit
 *   spark.sql.session.timeZone    UTC
 *   spark.sql.shuffle.partitions  4
 *   spark.sql.warehouse.dir       <lmt_tmpdir()>/warehouse
 * Returns NULL (and prints why on stderr) if the session cannot be opened.
 */
lm_session *lmt_session_get(void);
/* Sets a key of the testkit configuration used by lmt_session_get (before
   its first call) and by every fresh session. */
lm_status lmt_session_conf(const char *key, const char *value);
/* Opens a new session with the testkit configuration; close it with
   lm_session_close after freeing its DataFrames. NULL on failure. */
lm_session *lmt_session_new(void);

/*
 * A scratch directory private to this process (mkdtemp under $TMPDIR), so
 * suites run by `ctest -j` never share files. Created on first use and
 * removed with its contents at exit. NULL if it cannot be created.
 */
const char *lmt_tmpdir(void);

/*
 * cmocka fixtures. Group: *state = the shared session. Per test: lmt_setup
 * puts the shared session in *state and remembers the catalog; lmt_teardown
 * restores every lmt_with_conf override, drops the temp views and tables
 * the test created and frees the objects the test owns. The _fresh pair
 * opens a new session for the test instead and closes it afterwards.
 * Each returns 0, or -1 (after printing why) when the session cannot be had.
 */
int lmt_group_setup(void **state);
int lmt_group_teardown(void **state);
int lmt_setup(void **state);
int lmt_teardown(void **state);
int lmt_setup_fresh(void **state);
int lmt_teardown_fresh(void **state);

/* cmocka_unit_test with the testkit's per-test setup and teardown. */
#define lmt_unit_test(f) cmocka_unit_test_setup_teardown(f, lmt_setup, lmt_teardown)
#define lmt_unit_test_fresh(f)                                                                     \
    cmocka_unit_test_setup_teardown(f, lmt_setup_fresh, lmt_teardown_fresh)

/*
 * Spark's withSQLConf: sets key/value pairs on the session, remembering the
 * values they replace; lmt_restore_conf (called by lmt_teardown) puts the
 * old values back, unsetting keys that were unset. Pairs end with NULL,
 * which the macro adds:
 *     lmt_with_conf(s, "spark.sql.ansi.enabled", "true");
 * Returns the first failing status (with lm_errmsg set) or LM_OK.
 */
lm_status lmt_with_conf_list(lm_session *s, const char *key, ...);
#define lmt_with_conf(s, ...) lmt_with_conf_list((s), __VA_ARGS__, (const char *)NULL)
void lmt_restore_conf(lm_session *s);

/* ============================================================ SQL helpers */
/*
 * Runs one statement; on failure fails the test with the engine's message.
 * The DataFrame is owned by the running test (see Conventions).
 */
lm_df *lmt_sql_at(lm_session *s, const char *sql, const char *file, int line);
#define lmt_sql(s, sql) lmt_sql_at((s), (sql), __FILE__, __LINE__)
/* Runs a statement and, if it is a query, computes it; fails the test on an
   error (a command such as CREATE TEMPORARY VIEW, or a query expected to run). */
void lmt_exec_at(lm_session *s, const char *sql, const char *file, int line);
#define lmt_exec(s, sql) lmt_exec_at((s), (sql), __FILE__, __LINE__)
/* Fails the test unless the statement (analysis or execution) fails with
   this Spark error class, e.g. "UNRESOLVED_COLUMN.WITH_SUGGESTION". */
void lmt_assert_sql_error_at(lm_session *s, const char *sql, const char *error_class,
                             const char *file, int line);
#define lmt_assert_sql_error(s, sql, error_class)                                                  \
    lmt_assert_sql_error_at((s), (sql), (error_class), __FILE__, __LINE__)

/* ============================================================= assertions */
typedef enum lmt_color {
    LMT_COLOR_AUTO = 0, /* assertions: when stderr is a terminal and NO_COLOR is
                           unset or empty; the *_equal forms: never */
    LMT_COLOR_ALWAYS,
    LMT_COLOR_NEVER
} lmt_color;

typedef enum lmt_format {
    LMT_FORMAT_AUTO = 0, /* COMPACT when the environment has LMT_COMPACT=1 */
    LMT_FORMAT_FULL,     /* report with side-by-side table */
    LMT_FORMAT_COMPACT   /* one line, for CI logs */
} lmt_format;

typedef struct lmt_df_opts {
    bool check_row_order;              /* default false: rows compared as a multiset */
    bool ignore_column_order;          /* default false: match top-level columns by name */
    bool ignore_nullable;              /* default true, at every nesting level */
    bool ignore_metadata;              /* default false: column comments must match */
    bool ignore_column_names;          /* default false: columns matched by position */
    bool ignore_column_types;          /* default false: values compared across types */
    const char *const *ignore_columns; /* NULL-terminated names left out, or NULL */
    double rtol;                       /* default 1e-5 */
    double atol;                       /* default 1e-8: |a-e| <= atol + rtol*|e| */
    int max_errors;                    /* differing rows shown; default 0 = all */
    bool show_only_diff;               /* default false: equal rows shown too */
    lmt_color color;
    lmt_format format;
} lmt_df_opts;

lmt_df_opts lmt_df_opts_default(void);

typedef enum lmt_outcome {
    LMT_EQUAL = 0,
    LMT_DIFFERENT_SCHEMA,  /* [DIFFERENT_SCHEMA] */
    LMT_DIFFERENT_ROWS,    /* [DIFFERENT_ROWS] */
    LMT_DIFFERENT_COLUMNS, /* [DIFFERENT_COLUMNS]: lmt_column_equal */
    LMT_PROPERTY_FAILED,   /* [PROPERTY_FAILED]: lmt_property_check */
    LMT_ERROR,             /* the engine failed or the arguments are wrong */
    LMT_NONDETERMINISTIC   /* [NONDETERMINISTIC]: lmt_deterministic */
} lmt_outcome;

/* What a comparison found. report is NULL when equal, else a malloc'ed
   text starting with "[OUTCOME]"; free with lmt_result_free. */
typedef struct lmt_result {
    lmt_outcome outcome;
    char *report;
    int64_t differing; /* differing rows (or fields, for schemas) */
    int64_t total;     /* rows (or fields) compared */
} lmt_result;

void lmt_result_free(lmt_result *r);
/* Fails the running test with r's report unless r is LMT_EQUAL; frees r.
   (The lmt_assert_* forms build their report for the terminal: colour when
   stderr is one, see lmt_color.) */
void lmt_check_at(lmt_result r, const char *file, int line);
#define lmt_check(r) lmt_check_at((r), __FILE__, __LINE__)

/*
 * DataFrame equality, Spark SQL semantics: NULL equals NULL, NaN equals
 * NaN, -0.0 equals 0.0, an infinity equals only itself, and finite
 * floating and decimal values (also inside structs, arrays and maps) are
 * equal when |actual - expected| <= atol + rtol * |expected|. Maps are
 * equal regardless of entry order. Without check_row_order the rows are
 * matched as a multiset (duplicates counted), never by sorting their text.
 * The schemas are compared first (see lmt_schema_equal).
 */
lmt_result lmt_df_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts);
void lmt_assert_df_equal_at(lm_df *actual, lm_df *expected, const lmt_df_opts *opts,
                            const char *file, int line);
#define lmt_assert_df_equal(actual, expected, opts)                                                \
    lmt_assert_df_equal_at((actual), (expected), (opts), __FILE__, __LINE__)

/*
 * Schema equality with the same options (ignore_nullable, ignore_metadata,
 * ignore_column_order/names/types, ignore_columns). The report lists every
 * difference by path: `address.zip: int vs string`, `tags.element:
 * nullable vs not null`, `amount: decimal(10,2) vs decimal(12,2)`.
 */
lmt_result lmt_schema_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts);
/* The expected schema as Spark DDL: "id INT NOT NULL, name STRING". */
lmt_result lmt_schema_equal_ddl(lm_df *actual, const char *expected_ddl, const lmt_df_opts *opts);
void lmt_assert_schema_equal_at(lm_df *actual, lm_df *expected, const lmt_df_opts *opts,
                                const char *file, int line);
void lmt_assert_schema_equal_ddl_at(lm_df *actual, const char *expected_ddl,
                                    const lmt_df_opts *opts, const char *file, int line);
#define lmt_assert_schema_equal(actual, expected, opts)                                            \
    lmt_assert_schema_equal_at((actual), (expected), (opts), __FILE__, __LINE__)
#define lmt_assert_schema_equal_ddl(actual, ddl, opts)                                             \
    lmt_assert_schema_equal_ddl_at((actual), (ddl), (opts), __FILE__, __LINE__)

/* Two columns of one DataFrame, row by row (chispa's assert_column_equality);
   rtol/atol apply, as assert_approx_column_equality. */
lmt_result lmt_column_equal(lm_df *df, const char *col1, const char *col2, const lmt_df_opts *opts);
void lmt_assert_column_equal_at(lm_df *df, const char *col1, const char *col2,
                                const lmt_df_opts *opts, const char *file, int line);
#define lmt_assert_column_equal(df, col1, col2, opts)                                              \
    lmt_assert_column_equal_at((df), (col1), (col2), (opts), __FILE__, __LINE__)

/*
 * The rows of actual against literal rows written as the body of a VALUES
 * clause: "(1, 'a'), (2, NULL)" (one column: "1, 2, 3"). Names and types of
 * the literals do not matter: values are compared across types (numbers
 * numerically, other mismatched types by their text), so 1 matches a bigint
 * 1 and '2024-01-31' matches a date.
 */
lmt_result lmt_rows_equal(lm_df *actual, const char *values_sql, const lmt_df_opts *opts);
/* The same with values given as nrows x ncols cells (row-major), each of
   the type of actual's column. */
lmt_result lmt_rows_equal_values(lm_df *actual, const struct lm_value *cells, int64_t nrows,
                                 const lmt_df_opts *opts);
void lmt_assert_rows_equal_at(lm_df *actual, const char *values_sql, const lmt_df_opts *opts,
                              const char *file, int line);
void lmt_assert_rows_equal_values_at(lm_df *actual, const struct lm_value *cells, int64_t nrows,
                                     const lmt_df_opts *opts, const char *file, int line);
#define lmt_assert_rows_equal(actual, values_sql, opts)                                            \
    lmt_assert_rows_equal_at((actual), (values_sql), (opts), __FILE__, __LINE__)
#define lmt_assert_rows_equal_values(actual, cells, nrows, opts)                                   \
    lmt_assert_rows_equal_values_at((actual), (cells), (nrows), (opts), __FILE__, __LINE__)

/* =============================================================== fixtures */
/*
 * A YAML fixture file declares tables:
 *
 *   tables:
 *     people:
 *       schema: "id INT NOT NULL, name STRING, born DATE,
 *                address STRUCT<city: STRING, zip: INT>, tags ARRAY<STRING>"
 *       rows:
 *         - [1, Alice, 1990-01-31, {city: Paris, zip: 75001}, [a, b]]
 *         - {id: 2, name: null}          # columns left out are NULL
 *
 * Scalars are read as Spark's ANSI CAST from string reads them (so dates,
 * timestamps in the session time zone, decimals, NaN / Infinity, booleans
 * yes/no/true/false); `null`, `~` and empty values are NULL; quoted text is
 * always a string. Structs are maps by field name or lists by position,
 * maps are YAML mappings, `!!binary` scalars are base64.
 * Every table becomes a temp view of its name. Errors name the file, line
 * and column: "people.yaml:7:12: table `people`, row 2, column `id`: ...".
 * A relative path is looked up under $LMT_FIXTURE_DIR when that is set.
 */
typedef struct lmt_fixture lmt_fixture;

/* On failure returns NULL and, if err is not NULL, a malloc'ed message. */
lmt_fixture *lmt_fixture_load(lm_session *s, const char *path, char **err);
/* The same from YAML text; name is used in messages in place of a file. */
lmt_fixture *lmt_fixture_load_string(lm_session *s, const char *yaml, const char *name, char **err);
int lmt_fixture_num_tables(const lmt_fixture *f);
const char *lmt_fixture_table_name(const lmt_fixture *f, int i);
/* A new DataFrame over the table's rows (the caller frees it); NULL if no
   table has that name. */
lm_df *lmt_fixture_df(const lmt_fixture *f, const char *table);
/* Frees the handle; the temp views stay registered. */
void lmt_fixture_free(lmt_fixture *f);

/* Loads a fixture or fails the test; the handle is owned by the test. */
lmt_fixture *lmt_load_fixture_at(lm_session *s, const char *path, const char *file, int line);
#define lmt_load_fixture(s, path) lmt_load_fixture_at((s), (path), __FILE__, __LINE__)

/* =================================================== property-based data */
typedef struct lmt_gen_opts {
    int min_rows;     /* default 0 */
    int max_rows;     /* default 20 */
    double null_rate; /* chance of NULL in a nullable slot; default 0.1 */
    double edge_rate; /* chance of an edge value (0, -1, max, NaN, -0.0, "",
                         0001-01-01, 9999-12-31 ...); default 0.3 */
    int max_elems;    /* array / map sizes 0..max_elems; default 4 */
    int max_string;   /* string lengths 0..max_string bytes; default 12 */
} lmt_gen_opts;

lmt_gen_opts lmt_gen_opts_default(void);

/*
 * A DataFrame of random rows for a DDL schema ("a INT, b DOUBLE NOT NULL,
 * c ARRAY<STRING>"); the same seed gives the same rows. The caller frees
 * it. NULL on a bad schema (err receives a malloc'ed message if not NULL).
 */
lm_df *lmt_gen_df(lm_session *s, const char *schema_ddl, uint64_t seed, const lmt_gen_opts *opts,
                  char **err);

/*
 * A property over one input DataFrame (also registered as a temp view, see
 * lmt_property_opts.view). Returns true when it holds; on false it may set
 * *why to a malloc'ed explanation (e.g. the report of an lmt_*_equal).
 * It must not keep or free input.
 */
typedef bool (*lmt_property_fn)(lm_session *s, lm_df *input, void *ctx, char **why);

typedef struct lmt_property_opts {
    int trials;       /* default 100; the environment's LMT_TRIALS wins */
    uint64_t seed;    /* default 42; the environment's LMT_SEED wins */
    const char *view; /* temp view of the input, dropped afterwards; default "input" */
    int max_shrinks;  /* property runs spent shrinking; default 1000 */
    lmt_gen_opts gen;
} lmt_property_opts;

lmt_property_opts lmt_property_opts_default(void);

/*
 * Runs fn over `trials` generated inputs. On the first failure it shrinks
 * the input (fewer rows, then simpler values: NULL, zero, empty, shorter)
 * while the property still fails, and reports [PROPERTY_FAILED] with the
 * seed to reproduce it and the smallest failing input as a table.
 */
lmt_result lmt_property_check(lm_session *s, const char *schema_ddl, lmt_property_fn fn, void *ctx,
                              const lmt_property_opts *opts);
#define lmt_assert_property(s, schema_ddl, fn, ctx, opts)                                          \
    lmt_check_at(lmt_property_check((s), (schema_ddl), (fn), (ctx), (opts)), __FILE__, __LINE__)

/* ================================================================== RDDs */
/*
 * Two RDDs hold the same elements (spark-testing-base's assertRDDEquals and
 * assertRDDEqualsWithOrder). Both are collected. Elements are equal as in
 * lmt_df_equal without tolerance (NULL = NULL, NaN = NaN, maps in any
 * order); values of different element types compare across types.
 *  - unordered: as multisets. The report names the first element (in
 *    expected's order, then actual's) whose number of occurrences differs,
 *    with both counts: "(b,2): expected 1 time, actual 2 times".
 *  - ordered: element by element. The report names the first index where
 *    they differ, with both elements (or "none" past an RDD's end).
 * Elements are written as Spark prints them (Scala's toString: "(a,1)",
 * "[1, 2]"). Reports start with [DIFFERENT_ROWS], or [ERROR] when a job
 * fails; they are two lines, or one joined by "; " under LMT_COMPACT=1.
 */
lmt_result lmt_rdd_equal(lm_rdd *actual, lm_rdd *expected, bool ordered);
void lmt_assert_rdd_equal_at(lm_rdd *actual, lm_rdd *expected, bool ordered, const char *file,
                             int line);
#define lmt_assert_rdd_equal(actual, expected, ordered)                                            \
    lmt_assert_rdd_equal_at((actual), (expected), (ordered), __FILE__, __LINE__)

/* =========================================================== determinism */
/*
 * A job whose answer is checked for determinism: builds a DataFrame on the
 * session it is given (a fresh session with the testkit configuration and
 * the chaos seed already set) and returns it, or NULL after a failure
 * (lm_errmsg(s) says why). The helper computes and frees the DataFrame.
 * RDD jobs return lm_rdd_to_df(...) of their result, whose job runs inside
 * the callback under the seed. A job may set further confs on s, e.g.
 * spark.localmode.chaos.failTasks or spark.master "local[2,4]".
 */
typedef lm_df *(*lmt_job_fn)(lm_session *s, void *ctx);

/*
 * Runs job once without chaos (the expected answer), then once per seed
 * with spark.localmode.chaos.seed set (DESIGN.md §4: task order, shuffle
 * arrival and result order permuted, failTasks drawn from the seed), each
 * in its own fresh session so a seed replays its schedule exactly. Answers
 * are compared with lmt_df_equal and opts (NULL: defaults, rows in any
 * order). On the first seed whose answer differs, or whose job fails,
 * returns [NONDETERMINISTIC] naming the seed, followed by the comparison's
 * report (actual = the seed's answer, expected = the answer without chaos).
 * [ERROR] when the job fails without chaos.
 */
lmt_result lmt_deterministic(lmt_job_fn job, void *ctx, const int64_t *seeds, int nseeds,
                             const lmt_df_opts *opts);
void lmt_assert_deterministic_at(lmt_job_fn job, void *ctx, const int64_t *seeds, int nseeds,
                                 const lmt_df_opts *opts, const char *file, int line);
/* lmt_assert_deterministic(job, ctx, seed, ...): at least one seed. */
#define lmt_assert_deterministic(job, ctx, ...)                                                    \
    lmt_assert_deterministic_at((job), (ctx), (const int64_t[]){__VA_ARGS__},                      \
                                (int)(sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)),   \
                                NULL, __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif
#endif
