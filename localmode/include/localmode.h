/*
 * localmode: Apache Spark's engine as a deterministic, single-process C
 * library. This is the whole public API of the engine.
 *
 * Conventions
 *  - Handles are opaque. Every object returned by an lm_*_new / lm_*_open /
 *    lm_sql / lm_df_* call is owned by the caller and released with the
 *    matching lm_*_free / lm_*_close.
 *  - Calls that can fail return lm_status (or NULL); the cause is kept on
 *    the session: lm_errmsg, lm_errclass, lm_sqlstate, lm_errexception.
 *  - Strings are UTF-8 and NUL-terminated unless a length is given.
 */
#ifndef LOCALMODE_H
#define LOCALMODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LM_VERSION "0.1.0"
#define LM_SPARK_VERSION "3.5.3"

#ifndef LM_COMMON_STATUS_H
#define LM_COMMON_STATUS_H
typedef enum lm_status {
    LM_OK = 0,
    LM_ERROR = 1,
    LM_ENOMEM = 2,
    LM_EIO = 3,
    LM_EUNSUPPORTED = 4
} lm_status;
#endif

typedef struct lm_conf lm_conf;       /* key/value configuration, Spark's keys */
typedef struct lm_session lm_session; /* SparkSession */
typedef struct lm_df lm_df;           /* DataFrame */
typedef struct lm_rows lm_rows;       /* collected rows */

/* ------------------------------------------------------------------ conf */
lm_conf *lm_conf_new(void);
void lm_conf_free(lm_conf *conf);
/* Copies key and value. Returns LM_ENOMEM on allocation failure. */
lm_status lm_conf_set(lm_conf *conf, const char *key, const char *value);
/* Returns the value or NULL; the pointer is valid until the key changes. */
const char *lm_conf_get(const lm_conf *conf, const char *key);

/* --------------------------------------------------------------- session */
/*
 * Opens a session. conf may be NULL (all defaults); it is copied. On
 * failure returns NULL and, when err_out is not NULL, a malloc'ed message
 * the caller frees.
 */
lm_session *lm_session_open(const lm_conf *conf, char **err_out);
void lm_session_close(lm_session *s);

const char *lm_errmsg(const lm_session *s);       /* "" when none */
const char *lm_errclass(const lm_session *s);     /* Spark error class or NULL */
const char *lm_sqlstate(const lm_session *s);     /* SQLSTATE or NULL */
const char *lm_errexception(const lm_session *s); /* JVM exception kind or NULL */
/* Spark's messageParameters of the last error, by index; false past the end. */
bool lm_errparam(const lm_session *s, int i, const char **name, const char **value);
/* Spark's JSON form of the last error as the golden files print it
   (exception line excluded); malloc'ed, caller frees; NULL when none. */
char *lm_errjson(const lm_session *s);

/* Session configuration (SET key=value / spark.conf.set). */
lm_status lm_session_conf_set(lm_session *s, const char *key, const char *value);
/* Returns a malloc'ed string the caller frees, or NULL when unset. */
char *lm_session_conf_get(lm_session *s, const char *key);

/* ------------------------------------------------------------------- SQL */
/*
 * Parses, analyses and (for commands) executes one statement. Queries are
 * lazy: rows are computed by lm_df_collect / lm_df_show. *out receives a
 * DataFrame for every statement (commands yield their result rows, often
 * none).
 */
lm_status lm_sql(lm_session *s, const char *sql, lm_df **out);
void lm_df_free(lm_df *df);

/* ------------------------------------------------------------- DataFrame */
int lm_df_num_columns(const lm_df *df);
const char *lm_df_column_name(const lm_df *df, int i);
/* Spark's catalogString of the schema, e.g. "struct<a:int,b:string>";
   malloc'ed, caller frees. */
char *lm_df_schema_string(const lm_df *df);
/* printSchema() text; malloc'ed, caller frees. */
char *lm_df_tree_string(const lm_df *df);
/*
 * True when Spark would consider the result ordered: the analysed plan
 * reaches a global sort from the root without passing a join, aggregate,
 * generator, sample or distinct.
 */
bool lm_df_is_sorted(const lm_df *df);

/* show(n, truncate, vertical): appends the exact text Spark prints. Returns a
   malloc'ed string the caller frees, or NULL on failure (see lm_errmsg). */
char *lm_df_show_string(lm_df *df, int n, int truncate, bool vertical);
lm_status lm_df_show(lm_df *df, int n, int truncate, bool vertical);

lm_status lm_df_count(lm_df *df, int64_t *out);
lm_status lm_df_collect(lm_df *df, lm_rows **out);

/* ------------------------------------------------------------------ rows */
typedef enum lm_render_mode {
    LM_RENDER_SHOW,  /* as DataFrame.show() casts values to strings */
    LM_RENDER_HIVE   /* as Spark's SQL test runner prints (HiveResult) */
} lm_render_mode;

int64_t lm_rows_count(const lm_rows *rows);
int lm_rows_num_columns(const lm_rows *rows);
bool lm_rows_is_null(const lm_rows *rows, int64_t row, int col);
/* Renders one cell; malloc'ed, caller frees; NULL on allocation failure. */
char *lm_rows_render(const lm_rows *rows, int64_t row, int col, lm_render_mode mode);
void lm_rows_free(lm_rows *rows);

/* ================================================ DataFrame API (issue 3) */
/*
 * Spark's DataFrame API. Transformations are lazy (nothing runs until an
 * action) but analysis is eager, as in Spark: a transformation that names
 * a missing column returns NULL with UNRESOLVED_COLUMN.WITH_SUGGESTION on
 * the session.
 *
 * Ownership
 *  - DataFrames. Every lm_df * returned (by lm_sql, lm_create_dataframe or
 *    a transformation) is one handle the caller releases with lm_df_free.
 *    A derived DataFrame shares its parents' plan nodes and holds a
 *    reference to each parent, so handles may be freed in any order: a
 *    parent's memory goes when its last handle and its last child are gone.
 *    Transformations never consume their DataFrame arguments. A NULL
 *    DataFrame argument makes a transformation return NULL at once (the
 *    error that produced it is already on the session), so calls chain.
 *  - Columns. lm_column handles are built by the lm_col / lm_lit_* /
 *    lm_fn / operator functions below and are *consumed* by every function
 *    that takes them as arguments (builders and DataFrame calls alike),
 *    even when that call fails. Expressions therefore compose without
 *    frees: lm_df_filter(df, lm_gt(lm_col("a"), lm_lit_int(1))). A handle
 *    that is never passed on is released with lm_column_free. A builder
 *    returns NULL only when memory runs out; NULL arguments propagate.
 *    A failed lm_expr_parse returns a handle carrying its ParseException;
 *    the DataFrame call that consumes it reports it on the session.
 *  - Variadic column and name lists end with NULL.
 */
typedef struct lm_column lm_column;   /* Column */
typedef struct lm_window lm_window;   /* WindowSpec */
typedef struct lm_grouped lm_grouped; /* RelationalGroupedDataset */

/* ---- columns */
/* A column by name: "a", "t.a" (qualified after lm_df_alias), "s.f"
   (struct field), "*" or "t.*"; backticks quote a part with dots. */
lm_column *lm_col(const char *name);
/* df["a"]: a column bound to df's output, so that joins of DataFrames with
   common column names can tell the sides apart. */
lm_column *lm_df_col(lm_df *df, const char *name);
lm_column *lm_lit_int(int32_t v);
lm_column *lm_lit_long(int64_t v);
lm_column *lm_lit_double(double v);
lm_column *lm_lit_string(const char *v); /* NULL gives a NULL string */
lm_column *lm_lit_bool(bool v);
lm_column *lm_lit_null(void);
/* A SQL expression, parsed as functions.expr() does ("a + 1", "x AS y"). */
lm_column *lm_expr_parse(const char *text);
/* Any registered function: lm_fn("upper", lm_col("b"), NULL). */
lm_column *lm_fn(const char *name, ...);
lm_column *lm_fnv(const char *name, int n, lm_column **args);
/* count(DISTINCT ...), sum(DISTINCT ...). */
lm_column *lm_fn_distinct(const char *name, ...);
/* count(*) as functions.count("*") builds it: printed count(1). */
lm_column *lm_count_star(void);
/* Operators (Spark's Column methods): + - * / % = != < <= > >= <=> and or. */
lm_column *lm_add(lm_column *a, lm_column *b);
lm_column *lm_sub(lm_column *a, lm_column *b);
lm_column *lm_mul(lm_column *a, lm_column *b);
lm_column *lm_div(lm_column *a, lm_column *b);
lm_column *lm_mod(lm_column *a, lm_column *b);
lm_column *lm_eq(lm_column *a, lm_column *b);
lm_column *lm_ne(lm_column *a, lm_column *b);
lm_column *lm_lt(lm_column *a, lm_column *b);
lm_column *lm_le(lm_column *a, lm_column *b);
lm_column *lm_gt(lm_column *a, lm_column *b);
lm_column *lm_ge(lm_column *a, lm_column *b);
lm_column *lm_eq_null_safe(lm_column *a, lm_column *b);
lm_column *lm_and(lm_column *a, lm_column *b);
lm_column *lm_or(lm_column *a, lm_column *b);
lm_column *lm_not(lm_column *a);
lm_column *lm_neg(lm_column *a);
lm_column *lm_is_null(lm_column *a);
lm_column *lm_is_not_null(lm_column *a);
/* a IN (values...), NULL-terminated. */
lm_column *lm_isin(lm_column *a, ...);
lm_column *lm_like(lm_column *a, const char *pattern);
lm_column *lm_alias(lm_column *a, const char *name);
/* CAST to a type written as Spark's DDL ("int", "decimal(10,2)"). */
lm_column *lm_cast(lm_column *a, const char *type);
/* Sort orders; plain columns sort ascending, NULLs first. */
lm_column *lm_asc(lm_column *a);
lm_column *lm_desc(lm_column *a);
lm_column *lm_asc_nulls_first(lm_column *a);
lm_column *lm_asc_nulls_last(lm_column *a);
lm_column *lm_desc_nulls_first(lm_column *a);
lm_column *lm_desc_nulls_last(lm_column *a);
/* when(cond, value)[.when(cond, value)...][.otherwise(value)]: lm_when
   starts a CASE (base NULL) or adds a branch to base. */
lm_column *lm_when(lm_column *base, lm_column *cond, lm_column *value);
lm_column *lm_otherwise(lm_column *base, lm_column *value);
/* f OVER w; consumes both. */
lm_column *lm_over(lm_column *f, lm_window *w);
void lm_column_free(lm_column *c);

/* ---- window specifications (Window.partitionBy(...).orderBy(...)) */
#define LM_WINDOW_UNBOUNDED_PRECEDING INT64_MIN
#define LM_WINDOW_UNBOUNDED_FOLLOWING INT64_MAX
#define LM_WINDOW_CURRENT_ROW 0
lm_window *lm_window_new(void);
/* Each adds (consumes) columns, NULL-terminated, and returns w. */
lm_window *lm_window_partition_by(lm_window *w, ...);
lm_window *lm_window_order_by(lm_window *w, ...);
lm_window *lm_window_rows_between(lm_window *w, int64_t start, int64_t end);
lm_window *lm_window_range_between(lm_window *w, int64_t start, int64_t end);
void lm_window_free(lm_window *w);

/* ---- creating DataFrames */
/*
 * createDataFrame(rows, schema): nrows x ncols literal columns (lm_lit_*),
 * row-major, all consumed. schema is a DDL string ("a INT, b STRING"),
 * cells are cast to its types; or a list of names ("a, b") / NULL, and the
 * types are inferred from the literals, per column the wider type of its
 * non-NULL cells (names _1, _2, ... when NULL). Columns are nullable.
 */
lm_df *lm_create_dataframe(lm_session *s, const char *schema, int64_t nrows, int ncols,
                           lm_column **cells);
/* spark.range(start, end, step): one bigint column `id`. */
lm_df *lm_range(lm_session *s, int64_t start, int64_t end, int64_t step);
/* spark.table(name). */
lm_df *lm_read_table(lm_session *s, const char *name);
/* createOrReplaceTempView: the view reads this DataFrame's plan. */
lm_status lm_df_create_or_replace_temp_view(lm_df *df, const char *name);

/* ---- transformations (each returns a new handle, or NULL on error) */
lm_df *lm_df_select(lm_df *df, ...);                    /* columns */
lm_df *lm_df_selectv(lm_df *df, int n, lm_column **cols);
lm_df *lm_df_select_expr(lm_df *df, ...);               /* SQL strings */
lm_df *lm_df_filter(lm_df *df, lm_column *cond);
lm_df *lm_df_filter_expr(lm_df *df, const char *cond);  /* filter("a > 1") */
#define lm_df_where lm_df_filter
lm_df *lm_df_with_column(lm_df *df, const char *name, lm_column *c);
lm_df *lm_df_with_column_renamed(lm_df *df, const char *existing, const char *name);
lm_df *lm_df_drop(lm_df *df, ...);                      /* column names */
lm_df *lm_df_alias(lm_df *df, const char *alias);
lm_df *lm_df_order_by(lm_df *df, ...);                  /* columns */
lm_df *lm_df_order_byv(lm_df *df, int n, lm_column **cols);
#define lm_df_sort lm_df_order_by
lm_df *lm_df_limit(lm_df *df, int32_t n);
lm_df *lm_df_offset(lm_df *df, int32_t n);
lm_df *lm_df_distinct(lm_df *df);
/* dropDuplicates(subset...): with no names, every column. Keeps the first
   row of each key in input order, as Spark's first(). */
lm_df *lm_df_drop_duplicates(lm_df *df, ...);
lm_df *lm_df_union(lm_df *df, lm_df *other);          /* = unionAll: keeps duplicates */
#define lm_df_union_all lm_df_union
lm_df *lm_df_union_by_name(lm_df *df, lm_df *other, bool allow_missing_columns);
lm_df *lm_df_intersect(lm_df *df, lm_df *other);
lm_df *lm_df_intersect_all(lm_df *df, lm_df *other);
lm_df *lm_df_except_all(lm_df *df, lm_df *other);
lm_df *lm_df_subtract(lm_df *df, lm_df *other);       /* EXCEPT DISTINCT */
/*
 * join. how: "inner", "left"/"left_outer"/"leftouter", "right"/..., "full"/
 * "outer"/"full_outer"/..., "left_semi"/"semi", "left_anti"/"anti", "cross".
 * lm_df_join: on an expression (NULL = no condition). lm_df_join_using: on
 * column names, Spark's USING output (keys first, coalesced for full joins).
 */
lm_df *lm_df_join(lm_df *df, lm_df *other, lm_column *on, const char *how);
lm_df *lm_df_join_using(lm_df *df, lm_df *other, int n, const char *const *names,
                        const char *how);
lm_df *lm_df_cross_join(lm_df *df, lm_df *other);
/* sample(withReplacement=false, fraction, seed): Spark's Bernoulli cell
   sampler over XORShiftRandom(seed + partition index). */
lm_df *lm_df_sample(lm_df *df, double fraction, int64_t seed);
/* randomSplit(weights, seed): n DataFrames into out[0..n). */
lm_status lm_df_random_split(lm_df *df, int n, const double *weights, int64_t seed,
                             lm_df **out);

/* ---- grouping: the lm_grouped handle is consumed by the aggregating call */
lm_grouped *lm_df_group_by(lm_df *df, ...);             /* columns */
lm_grouped *lm_df_rollup(lm_df *df, ...);
lm_grouped *lm_df_cube(lm_df *df, ...);
/* pivot(col, values...): values as literal columns; NULL-terminated. */
lm_grouped *lm_grouped_pivot(lm_grouped *g, const char *column, ...);
lm_df *lm_grouped_agg(lm_grouped *g, ...);              /* aggregate columns */
lm_df *lm_grouped_count(lm_grouped *g);                 /* column `count` */
/* sum/avg/mean/min/max over the named columns (all numeric columns when
   none are named), named as Spark: sum(v), avg(v), min(v), max(v). */
lm_df *lm_grouped_sum(lm_grouped *g, ...);
lm_df *lm_grouped_avg(lm_grouped *g, ...);
lm_df *lm_grouped_min(lm_grouped *g, ...);
lm_df *lm_grouped_max(lm_grouped *g, ...);
void lm_grouped_free(lm_grouped *g);
/* df.agg(...): a global aggregate. */
lm_df *lm_df_agg(lm_df *df, ...);

/* ---- na functions (DataFrameNaFunctions) */
/* na.drop(how, thresh, subset): how "any" or "all"; thresh >= 0 overrides
   how (keep rows with at least thresh non-null, non-NaN values). */
lm_df *lm_df_na_drop(lm_df *df, const char *how, int thresh, int nsubset,
                     const char *const *subset);
/* na.fill(value, subset): numeric fill applies to numeric columns, string
   fill to string columns, boolean fill to boolean columns. */
lm_df *lm_df_na_fill_double(lm_df *df, double v, int nsubset, const char *const *subset);
lm_df *lm_df_na_fill_long(lm_df *df, int64_t v, int nsubset, const char *const *subset);
lm_df *lm_df_na_fill_string(lm_df *df, const char *v, int nsubset, const char *const *subset);
lm_df *lm_df_na_fill_bool(lm_df *df, bool v, int nsubset, const char *const *subset);
/* na.replace(to_replace, value, subset) for string columns (or for numeric
   columns with the _double form); n pairs. */
lm_df *lm_df_na_replace_string(lm_df *df, int n, const char *const *from,
                               const char *const *to, int nsubset, const char *const *subset);
lm_df *lm_df_na_replace_double(lm_df *df, int n, const double *from, const double *to,
                               int nsubset, const char *const *subset);

/* ---- statistics */
/* describe(cols...) and summary(stats...): all values as strings, as Spark. */
lm_df *lm_df_describe(lm_df *df, ...);
lm_df *lm_df_summary(lm_df *df, ...);

/* ---- caching */
lm_df *lm_df_cache(lm_df *df);        /* = persist(); returns df itself */
lm_df *lm_df_persist(lm_df *df);
lm_df *lm_df_unpersist(lm_df *df);
bool lm_df_is_cached(const lm_df *df);

/* ---- actions and schema */
/* first(): the first row, or an empty lm_rows when there is none. */
lm_status lm_df_first(lm_df *df, lm_rows **out);
lm_status lm_df_head(lm_df *df, int n, lm_rows **out);
#define lm_df_take lm_df_head
lm_status lm_df_tail(lm_df *df, int n, lm_rows **out);
/* Spark's simpleString of column i's type ("int", "bigint", "array<string>");
   malloc'ed, caller frees; NULL when i is out of range. */
char *lm_df_column_type(const lm_df *df, int i);
/* dtypes as "name:type" pairs joined by ", "; malloc'ed, caller frees. */
char *lm_df_dtypes_string(const lm_df *df);
/*
 * explain(mode) text: mode "simple" (physical plan only) or "extended"
 * (parsed, analyzed, optimized and physical plans). Attributes print as
 * Spark's name#id; see explain.c for how ids are numbered. malloc'ed,
 * caller frees; NULL on failure.
 */
char *lm_df_explain_string(lm_df *df, const char *mode);


/* ========================================= readers and writers (issue 6) */
/*
 * Options of a data source read or write (DataFrameReader.option /
 * DataFrameWriter.option): keys are case-insensitive, values copied; a NULL
 * value means "unset" as Spark's null does. The caller frees the object.
 */
typedef struct lm_options lm_options;
lm_options *lm_options_new(void);
/* Returns LM_ENOMEM on allocation failure. */
lm_status lm_options_set(lm_options *o, const char *key, const char *value);
void lm_options_free(lm_options *o);

/*
 * spark.read.format(format).options(opts).schema(schema_ddl).load(path).
 * format: "csv", "json" or "text" ("parquet" reports LM_EUNSUPPORTED).
 * path: a file, a folder (read recursively, skipping names that start with
 * '_' or '.'), or a Hadoop glob; several comma-separated; NULL takes the
 * "path" option. Folders named col=value become partition columns.
 * schema_ddl: "a INT, b STRING", or NULL to infer as Spark does.
 * The files are read at once; *out is a DataFrame over their rows, which
 * the caller frees with lm_df_free. Errors carry Spark's classes
 * (PATH_NOT_FOUND, UNABLE_TO_INFER_SCHEMA, MALFORMED_RECORD_IN_PARSING ...).
 */
lm_status lm_read(lm_session *s, const char *format, const char *path, const lm_options *opts,
                  const char *schema_ddl, lm_df **out);
/* The same with the paths as an array (no comma splitting). */
lm_status lm_read_paths(lm_session *s, const char *format, const char *const *paths, int npaths,
                        const lm_options *opts, const char *schema_ddl, lm_df **out);

/*
 * df.write.format(format).mode(mode).options(opts).partitionBy(...).save(path).
 * mode: "error"/"errorifexists" (default when NULL), "overwrite", "append"
 * or "ignore". Output is laid out as Spark's (part-00000-<uuid>-c000.csv,
 * _SUCCESS, col=value folders) and committed atomically: it is staged in
 * <path>/_temporary and published on success; on failure the target is
 * left as it was and the staging files are removed.
 */
lm_status lm_write(lm_df *df, const char *format, const char *path, const char *mode,
                   const lm_options *opts, const char *const *partition_by, int npartition_by);


/* ========================================================= RDD (issue 5) */
/*
 * Resilient Distributed Datasets: Spark's RDD API over lm_value elements.
 *
 * Model. An RDD is a lazy, partitioned collection of values of one element
 * type (an lm_type; pair RDDs have a STRUCT of two fields, key then value).
 * Transformations only record lineage; actions run a job: stages split at
 * shuffles, one task per partition, tasks of a stage on the worker threads
 * of the session's master (`local` = 1, `local[N]`, `local[*]`, and
 * `local[N,F]` for F attempts per task). Results are assembled in partition
 * order, so output never depends on the thread count. A failed task is
 * retried from lineage up to F times; then the job fails with Spark's
 * "Job aborted due to stage failure: ..." message and writes nothing.
 *
 * Where several keys meet in one partition (reduceByKey, groupByKey,
 * cogroup, ...), keys come out in order of first appearance (map partitions
 * in order, elements in order), as PySpark's dict-based merge gives them;
 * hash partitioning places keys with PySpark's portable_hash.
 *
 * Types and values are those of types/type.h and types/value.h.
 *
 * Ownership
 *  - lm_rdd handles are owned by the caller and released with lm_rdd_free;
 *    an RDD keeps its parents alive, so parents may be freed first. Free
 *    every RDD, broadcast and accumulator before closing the session.
 *  - Element types passed in are borrowed (the engine takes references).
 *  - Values passed to lm_rdd_parallelize / broadcasts are deep-copied.
 *    Zero values (fold, aggregate, foldByKey, aggregateByKey) and lookup
 *    keys are borrowed for the call; lazy transformations deep-copy them.
 *    Strings (paths, commands, names, codecs) are copied where kept.
 *  - `ud` (user data) pointers are borrowed and must stay valid while any
 *    RDD built with them can still compute. Callbacks may run concurrently
 *    on several threads (one task per thread), so shared ud must be
 *    thread-safe; use accumulators to count or collect from tasks.
 *  - Action results (lm_value_list) are owned by the caller:
 *    lm_value_list_free.
 *
 * Callbacks
 *  - receive an lm_task (the TaskContext), input values valid for the whole
 *    task (never modify them), and their ud;
 *  - write results into *out, or emit them with lm_task_emit; a result may
 *    point into its input value, into lm_task_alloc'ed memory (valid until
 *    the task ends), into a broadcast value, or into static memory;
 *  - return LM_OK, or fail the task: `return lm_task_fail(t, "msg")`
 *    (any non-OK status fails the task; the attempt is retried);
 *  - must not call RDD functions themselves (no nested jobs).
 */
typedef struct lm_type lm_type;   /* types/type.h */
typedef struct lm_value lm_value; /* types/value.h */
typedef struct lm_rdd lm_rdd;
typedef struct lm_task lm_task;
typedef struct lm_value_list lm_value_list;
typedef struct lm_broadcast lm_broadcast;
typedef struct lm_accumulator lm_accumulator;

/* Who owns what, per callback (the rules above in short): every input
   pointer is the engine's, read-only and valid until the task ends; the
   callback frees nothing it is given and hands back nothing the engine
   would free: results are shallow values whose payload lives in the input,
   in lm_task_alloc memory, in a broadcast or in static memory, and the
   engine deep-copies what it keeps past the task (cache, shuffle, collect). */

/* out = f(in). *out is uninitialised on entry; it may alias in's payload. */
typedef lm_status (*lm_map_fn)(lm_task *t, const lm_value *in, lm_value *out, void *ud);
/* emits 0..n values with lm_task_emit (flatMap, flatMapValues, foreach);
   emitted payloads must live until the task ends */
typedef lm_status (*lm_each_fn)(lm_task *t, const lm_value *in, void *ud);
/* *keep = predicate(in) */
typedef lm_status (*lm_filter_fn)(lm_task *t, const lm_value *in, bool *keep, void *ud);
/* a whole partition in[0..n), index = partition number; emits its output
   with lm_task_emit. The array and its values are the engine's. */
typedef lm_status (*lm_partition_fn)(lm_task *t, int index, const lm_value *in, int64_t n,
                                     void *ud);
/* out = f(a, b): reduce, fold, merge functions. a and b are the engine's
   (a may be an earlier out, or the zero value); out may alias
   either's payload, and must not modify them in place. */
typedef lm_status (*lm_reduce_fn)(lm_task *t, const lm_value *a, const lm_value *b,
                                  lm_value *out, void *ud);
/* a key's hash for partitionBy: the key goes to hash % n (Python's modulo);
   NULL stands for PySpark's portable_hash. key is borrowed; the function
   gets no task, so it must not allocate what it cannot free itself, and it
   must be pure and thread-safe (it runs in every map task). */
typedef int64_t (*lm_partition_func)(const lm_value *key, void *ud);

/* ---- task context (inside callbacks) */
int lm_task_partition(const lm_task *t);  /* partition index */
int lm_task_attempt(const lm_task *t);    /* 0 for the first attempt */
int lm_task_stage(const lm_task *t);      /* stage id */
int64_t lm_task_id(const lm_task *t);     /* TID */
/* Scratch memory valid until the task ends; NULL on allocation failure. */
void *lm_task_alloc(lm_task *t, size_t size);
/* Appends a value to the callback's output (flatMap-like callbacks). The
   value is copied shallowly: its payload must live as long as the task. */
lm_status lm_task_emit(lm_task *t, const lm_value *v);
/* Value builders: copy their inputs' top level into task memory. */
lm_status lm_task_make_string(lm_task *t, const char *s, size_t len, lm_value *out);
lm_status lm_task_make_struct(lm_task *t, int n, const lm_value *fields, lm_value *out);
lm_status lm_task_make_pair(lm_task *t, const lm_value *k, const lm_value *v, lm_value *out);
lm_status lm_task_make_array(lm_task *t, int n, const lm_value *elems, lm_value *out);
/* Fails the task with java.lang.RuntimeException: <message>; returns LM_ERROR. */
lm_status lm_task_fail(lm_task *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- context */
/* Threads of the master; spark.default.parallelism when set. */
int lm_rdd_default_parallelism(lm_session *s);
/* Call site shown by toDebugString ("map at <site>"); NULL: the C function. */
lm_status lm_rdd_set_call_site(lm_session *s, const char *site);
/* Folder under which checkpoints go (created if missing). */
lm_status lm_rdd_set_checkpoint_dir(lm_session *s, const char *dir);

/* num_slices <= 0: default parallelism. Slices as ParallelCollectionRDD. */
lm_rdd *lm_rdd_parallelize(lm_session *s, const lm_type *type, const lm_value *values,
                           int64_t n, int num_slices);
/* LONG values start, start+step, ... < end (> end for negative step). */
lm_rdd *lm_rdd_range(lm_session *s, int64_t start, int64_t end, int64_t step, int num_slices);
lm_rdd *lm_rdd_empty(lm_session *s, const lm_type *type);
/* Lines of text files (a file, a folder, a glob, or several comma-separated),
   one partition per Hadoop split. min_partitions <= 0: min(parallelism, 2).
   Files ending in .gz are decompressed and not split. */
lm_rdd *lm_rdd_text_file(lm_session *s, const char *path, int min_partitions);
/* (path, content) pairs, STRUCT<_1:string,_2:string>, path as "file:/..." */
lm_rdd *lm_rdd_whole_text_files(lm_session *s, const char *path, int min_partitions);
/* SparkContext.union: all RDDs must have the same element type. */
lm_rdd *lm_rdd_union_all(lm_session *s, lm_rdd *const *rdds, int n);

void lm_rdd_free(lm_rdd *r);

/* ---- transformations (lazy; return a new RDD or NULL, see lm_errmsg) */
lm_rdd *lm_rdd_map(lm_rdd *r, const lm_type *out_type, lm_map_fn f, void *ud);
lm_rdd *lm_rdd_flat_map(lm_rdd *r, const lm_type *out_type, lm_each_fn f, void *ud);
lm_rdd *lm_rdd_filter(lm_rdd *r, lm_filter_fn f, void *ud);
lm_rdd *lm_rdd_map_partitions(lm_rdd *r, const lm_type *out_type, lm_partition_fn f, void *ud,
                              bool preserves_partitioning);
/* as map_partitions; the callback's index argument is the partition */
lm_rdd *lm_rdd_map_partitions_with_index(lm_rdd *r, const lm_type *out_type,
                                         lm_partition_fn f, void *ud,
                                         bool preserves_partitioning);
/* pair RDDs: f sees the value; the key is kept */
lm_rdd *lm_rdd_map_values(lm_rdd *r, const lm_type *value_type, lm_map_fn f, void *ud);
lm_rdd *lm_rdd_flat_map_values(lm_rdd *r, const lm_type *value_type, lm_each_fn f, void *ud);
/* (f(x), x) */
lm_rdd *lm_rdd_key_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud);
lm_rdd *lm_rdd_keys(lm_rdd *r);
lm_rdd *lm_rdd_values(lm_rdd *r);
/* one ARRAY value per partition */
lm_rdd *lm_rdd_glom(lm_rdd *r);
/* num_partitions <= 0: Spark's default (the parent's partition count) */
lm_rdd *lm_rdd_distinct(lm_rdd *r, int num_partitions);
lm_rdd *lm_rdd_union(lm_rdd *a, lm_rdd *b);
lm_rdd *lm_rdd_intersection(lm_rdd *a, lm_rdd *b, int num_partitions);
lm_rdd *lm_rdd_subtract(lm_rdd *a, lm_rdd *b, int num_partitions);
lm_rdd *lm_rdd_subtract_by_key(lm_rdd *a, lm_rdd *b, int num_partitions);
/* (x, y) pairs, STRUCT<_1,_2> */
lm_rdd *lm_rdd_cartesian(lm_rdd *a, lm_rdd *b);
lm_rdd *lm_rdd_zip(lm_rdd *a, lm_rdd *b);
/* (x, index) with index a LONG; zipWithIndex runs a job to count partitions */
lm_rdd *lm_rdd_zip_with_index(lm_rdd *r);
lm_rdd *lm_rdd_zip_with_unique_id(lm_rdd *r);
/* Spark's Bernoulli (gap) and Poisson samplers, XORShiftRandom-seeded */
lm_rdd *lm_rdd_sample(lm_rdd *r, bool with_replacement, double fraction, int64_t seed);
/* fills out[0..n) with new RDDs (each freed by the caller) */
lm_status lm_rdd_random_split(lm_rdd *r, const double *weights, int n, int64_t seed,
                              lm_rdd **out);
/* sortBy: key_type/f give the sort key; num_partitions <= 0: the parent's */
lm_rdd *lm_rdd_sort_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud,
                       bool ascending, int num_partitions);
lm_rdd *lm_rdd_sort_by_key(lm_rdd *r, bool ascending, int num_partitions);
/* (k, ARRAY of elements) */
lm_rdd *lm_rdd_group_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud,
                        int num_partitions);
lm_rdd *lm_rdd_group_by_key(lm_rdd *r, int num_partitions);
lm_rdd *lm_rdd_reduce_by_key(lm_rdd *r, lm_reduce_fn f, void *ud, int num_partitions);
lm_rdd *lm_rdd_fold_by_key(lm_rdd *r, const lm_value *zero, lm_reduce_fn f, void *ud,
                           int num_partitions);
/* seq(U, V) -> U, comb(U, U) -> U; zero and the combined values of type u_type */
lm_rdd *lm_rdd_aggregate_by_key(lm_rdd *r, const lm_type *u_type, const lm_value *zero,
                                lm_reduce_fn seq, lm_reduce_fn comb, void *ud,
                                int num_partitions);
/* create(V) -> C, merge_value(C, V) -> C, merge_combiners(C, C) -> C */
lm_rdd *lm_rdd_combine_by_key(lm_rdd *r, const lm_type *c_type, lm_map_fn create,
                              lm_reduce_fn merge_value, lm_reduce_fn merge_combiners,
                              void *ud, int num_partitions);
/* hash % num_partitions with f (NULL: portable_hash) */
lm_rdd *lm_rdd_partition_by(lm_rdd *r, int num_partitions, lm_partition_func f, void *ud);
lm_rdd *lm_rdd_repartition(lm_rdd *r, int num_partitions);
/* shuffle = false: Spark's CoalescedRDD grouping of parent partitions */
lm_rdd *lm_rdd_coalesce(lm_rdd *r, int num_partitions, bool shuffle);
/* (k, (v, w)); outer joins give NULL for the missing side */
lm_rdd *lm_rdd_join(lm_rdd *a, lm_rdd *b, int num_partitions);
lm_rdd *lm_rdd_left_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions);
lm_rdd *lm_rdd_right_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions);
lm_rdd *lm_rdd_full_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions);
/* (k, (ARRAY of v, ARRAY of w)) */
lm_rdd *lm_rdd_cogroup(lm_rdd *a, lm_rdd *b, int num_partitions);
/* Each partition's elements (as text, one per line) go to `/bin/sh -c
   command`'s stdin; its stdout lines are the STRING elements. At most
   max_output_bytes per partition are read (<= 0: 64 MiB). */
lm_rdd *lm_rdd_pipe(lm_rdd *r, const char *command, int64_t max_output_bytes);

/* ---- actions */
lm_status lm_rdd_collect(lm_rdd *r, lm_value_list **out);
lm_status lm_rdd_count(lm_rdd *r, int64_t *out);
lm_status lm_rdd_first(lm_rdd *r, lm_value_list **out);
lm_status lm_rdd_take(lm_rdd *r, int n, lm_value_list **out);
/* smallest n by the type's ordering, or by key_fn's key when not NULL */
lm_status lm_rdd_take_ordered(lm_rdd *r, int n, const lm_type *key_type, lm_map_fn key_fn,
                              void *ud, lm_value_list **out);
lm_status lm_rdd_top(lm_rdd *r, int n, lm_value_list **out);
lm_status lm_rdd_take_sample(lm_rdd *r, bool with_replacement, int n, int64_t seed,
                             lm_value_list **out);
lm_status lm_rdd_reduce(lm_rdd *r, lm_reduce_fn f, void *ud, lm_value_list **out);
lm_status lm_rdd_tree_reduce(lm_rdd *r, lm_reduce_fn f, void *ud, int depth,
                             lm_value_list **out);
lm_status lm_rdd_fold(lm_rdd *r, const lm_value *zero, lm_reduce_fn f, void *ud,
                      lm_value_list **out);
lm_status lm_rdd_aggregate(lm_rdd *r, const lm_type *u_type, const lm_value *zero,
                           lm_reduce_fn seq, lm_reduce_fn comb, void *ud,
                           lm_value_list **out);
lm_status lm_rdd_foreach(lm_rdd *r, lm_each_fn f, void *ud);
lm_status lm_rdd_foreach_partition(lm_rdd *r, lm_partition_fn f, void *ud);
lm_status lm_rdd_min(lm_rdd *r, lm_value_list **out);
lm_status lm_rdd_max(lm_rdd *r, lm_value_list **out);
/* (key, count) pairs, count a LONG, keys in order of first appearance */
lm_status lm_rdd_count_by_key(lm_rdd *r, lm_value_list **out);
lm_status lm_rdd_count_by_value(lm_rdd *r, lm_value_list **out);
/* (key, value) pairs with distinct keys, the last value of a key winning */
lm_status lm_rdd_collect_as_map(lm_rdd *r, lm_value_list **out);
lm_status lm_rdd_lookup(lm_rdd *r, const lm_value *key, lm_value_list **out);
lm_status lm_rdd_is_empty(lm_rdd *r, bool *out);

/* numeric RDDs (any numeric element type), as DoubleRDDFunctions */
typedef struct lm_stat_counter {
    int64_t count;
    double mean, m2, max, min;
} lm_stat_counter;
lm_status lm_rdd_sum(lm_rdd *r, double *out);
lm_status lm_rdd_mean(lm_rdd *r, double *out);
lm_status lm_rdd_stats(lm_rdd *r, lm_stat_counter *out);
double lm_stats_variance(const lm_stat_counter *s);
double lm_stats_stdev(const lm_stat_counter *s);
double lm_stats_sample_variance(const lm_stat_counter *s);
double lm_stats_sample_stdev(const lm_stat_counter *s);
/* StatCounter.toString; malloc'ed, caller frees */
char *lm_stats_string(const lm_stat_counter *s);
/* bucket_count evenly spaced buckets: *buckets (n + 1 or 2 edges) and
   *counts, malloc'ed, caller frees both; *nbuckets receives the count */
lm_status lm_rdd_histogram(lm_rdd *r, int bucket_count, double **buckets, int64_t **counts,
                           int *nbuckets);
/* given edges buckets[0..n); counts[0..n-1) */
lm_status lm_rdd_histogram_buckets(lm_rdd *r, const double *buckets, int n, bool even,
                                   int64_t *counts);

/* part-NNNNN files and _SUCCESS, committed by rename; codec NULL or "gzip" */
lm_status lm_rdd_save_as_text_file(lm_rdd *r, const char *path, const char *codec);

/* ---- persistence */
typedef enum lm_storage_level {
    LM_STORAGE_NONE = 0,
    LM_STORAGE_MEMORY_ONLY,
    LM_STORAGE_MEMORY_ONLY_2,
    LM_STORAGE_MEMORY_ONLY_SER,
    LM_STORAGE_MEMORY_AND_DISK,
    LM_STORAGE_MEMORY_AND_DISK_SER,
    LM_STORAGE_DISK_ONLY,
    LM_STORAGE_OFF_HEAP
} lm_storage_level;
/* Every level keeps the data in memory; the level is recorded and shown. */
lm_status lm_rdd_persist(lm_rdd *r, lm_storage_level level);
lm_status lm_rdd_cache(lm_rdd *r);
lm_status lm_rdd_unpersist(lm_rdd *r);
lm_storage_level lm_rdd_storage_level(const lm_rdd *r);
/* Marks r; the next job that computes r writes it under the checkpoint
   dir and truncates its lineage. */
lm_status lm_rdd_checkpoint(lm_rdd *r);
bool lm_rdd_is_checkpointed(const lm_rdd *r);

/* ---- introspection */
int lm_rdd_num_partitions(const lm_rdd *r);
int lm_rdd_id(const lm_rdd *r);
const lm_type *lm_rdd_element_type(const lm_rdd *r);
const char *lm_rdd_name(const lm_rdd *r); /* NULL unless set */
lm_status lm_rdd_set_name(lm_rdd *r, const char *name);
/* Spark's toDebugString; malloc'ed, caller frees */
char *lm_rdd_to_debug_string(lm_rdd *r);

/* ---- results */
int64_t lm_value_list_count(const lm_value_list *l);
const lm_value *lm_value_list_at(const lm_value_list *l, int64_t i);
const lm_type *lm_value_list_type(const lm_value_list *l);
void lm_value_list_free(lm_value_list *l);

/* ---- shared variables */
/* The value is deep-copied; lm_broadcast_value stays valid until freed. */
lm_broadcast *lm_rdd_broadcast(lm_session *s, const lm_type *type, const lm_value *value);
const lm_value *lm_broadcast_value(const lm_broadcast *b);
int64_t lm_broadcast_id(const lm_broadcast *b);
void lm_broadcast_free(lm_broadcast *b);

/* Updates made by a task count once, when the task succeeds, merged in
   partition order; t may be NULL to add from the driver. */
lm_accumulator *lm_accumulator_long(lm_session *s, const char *name);
lm_accumulator *lm_accumulator_double(lm_session *s, const char *name);
lm_accumulator *lm_accumulator_collection(lm_session *s, const char *name,
                                          const lm_type *elem_type);
lm_status lm_accumulator_add_long(lm_task *t, lm_accumulator *a, int64_t v);
lm_status lm_accumulator_add_double(lm_task *t, lm_accumulator *a, double v);
lm_status lm_accumulator_add_value(lm_task *t, lm_accumulator *a, const lm_value *v);
int64_t lm_accumulator_long_value(const lm_accumulator *a);  /* sum */
double lm_accumulator_double_value(const lm_accumulator *a); /* sum */
int64_t lm_accumulator_count(const lm_accumulator *a);
double lm_accumulator_avg(const lm_accumulator *a);
/* collection accumulators: the values added, in merge order (a copy) */
lm_status lm_accumulator_values(const lm_accumulator *a, lm_value_list **out);
void lm_accumulator_reset(lm_accumulator *a);
const char *lm_accumulator_name(const lm_accumulator *a);
void lm_accumulator_free(lm_accumulator *a);

/* ---- DataFrame bridges */
/* df.rdd: rows as STRUCT values of the DataFrame's schema */
lm_rdd *lm_df_to_rdd(lm_df *df);
/* createDataFrame(rdd, schema): schema a STRUCT whose field types match
   the RDD's STRUCT elements (names are taken from schema) */
lm_df *lm_rdd_to_df(lm_rdd *r, const lm_type *schema);


/* ======================================================== MLlib (issue 9) */
/*
 * pyspark.ml in C. Every Transformer, Estimator, Model and Evaluator is an
 * lm_ml_stage created by its pyspark class name and configured through
 * its Params by Spark's names:
 *
 *   lm_ml_stage *lr = lm_ml_new(s, "LinearRegression");
 *   lm_ml_set_double(lr, "regParam", 0.3);
 *   lm_ml_stage *model = lm_ml_fit(lr, train);          // a LinearRegressionModel
 *   lm_df *pred = lm_ml_transform(model, test);
 *
 * Classes: VectorAssembler, StringIndexer, IndexToString, OneHotEncoder,
 * StandardScaler, MinMaxScaler, Bucketizer, Imputer, Tokenizer,
 * RegexTokenizer, StopWordsRemover, HashingTF, IDF, PolynomialExpansion,
 * LinearRegression, LogisticRegression, DecisionTreeClassifier,
 * DecisionTreeRegressor, RandomForestClassifier, NaiveBayes, KMeans,
 * Pipeline, CrossValidator, TrainValidationSplit, RegressionEvaluator,
 * BinaryClassificationEvaluator, MulticlassClassificationEvaluator
 * (docs/ml.md lists what each supports).
 *
 * Vectors are a column type (Spark's VectorUDT): printSchema shows
 * "vector", show() prints [1.0,2.0] or (3,[0,2],[1.0,3.0]).
 *
 * Ownership: stages are handles released with lm_ml_free. A stage given
 * to another (Pipeline stages, CrossValidator estimator/evaluator) is
 * referenced, not consumed: the caller still frees its own handle.
 * Strings and arrays returned by the getters belong to the stage.
 * Transform and fit compute eagerly and return new handles.
 */
typedef struct lm_ml_stage lm_ml_stage;     /* Transformer, Estimator, Model, Evaluator */
typedef struct lm_param_grid lm_param_grid; /* ParamGridBuilder */

/* A stage by pyspark.ml class name ("StringIndexer"); NULL (error on the
   session) for unknown names. Models come from lm_ml_fit / lm_ml_load. */
lm_ml_stage *lm_ml_new(lm_session *s, const char *class_name);
void lm_ml_free(lm_ml_stage *st);
const char *lm_ml_class(const lm_ml_stage *st); /* "LinearRegressionModel" */
const char *lm_ml_uid(const lm_ml_stage *st);   /* "linReg_1a2b3c4d5e6f" */

/* Params by name. An unknown name fails with NoSuchElementException, an
   invalid value with IllegalArgumentException ("<uid> parameter regParam
   given invalid value -1.0."). */
lm_status lm_ml_set_int(lm_ml_stage *st, const char *param, int64_t v);
lm_status lm_ml_set_double(lm_ml_stage *st, const char *param, double v);
lm_status lm_ml_set_bool(lm_ml_stage *st, const char *param, bool v);
lm_status lm_ml_set_string(lm_ml_stage *st, const char *param, const char *v);
lm_status lm_ml_set_strings(lm_ml_stage *st, const char *param, int n, const char *const *v);
lm_status lm_ml_set_doubles(lm_ml_stage *st, const char *param, int n, const double *v);
/* Pipeline "stages"; CrossValidator / TrainValidationSplit "estimator"
   and "evaluator" (n = 1). */
lm_status lm_ml_set_stages(lm_ml_stage *st, const char *param, int n,
                           lm_ml_stage *const *stages);
bool lm_ml_is_set(const lm_ml_stage *st, const char *param);

/*
 * Getters read a fitted model's attributes first, then Params (set value
 * or default). Attributes by model (names as in pyspark):
 *   LinearRegressionModel    coefficients, intercept, numFeatures,
 *                            summary.rootMeanSquaredError, summary.meanSquaredError,
 *                            summary.meanAbsoluteError, summary.r2, summary.r2adj,
 *                            summary.explainedVariance, summary.totalIterations,
 *                            summary.objectiveHistory
 *   LogisticRegressionModel  coefficients, intercept (binomial), coefficientMatrix
 *                            (row-major), interceptVector, numClasses, numFeatures,
 *                            summary.totalIterations, summary.objectiveHistory
 *   StringIndexerModel       labels;  IDFModel idf, docFreq, numDocs
 *   StandardScalerModel      mean, std;  MinMaxScalerModel originalMin, originalMax
 *   ImputerModel             surrogates;  OneHotEncoderModel categorySizes
 *   NaiveBayesModel          pi, theta (row-major), numClasses
 *   KMeansModel              clusterCenters (row-major), k, trainingCost
 *   Decision tree / forest   numNodes, depth, featureImportances, numTrees, numClasses
 *   CrossValidatorModel      avgMetrics, stdMetrics, bestIndex;  TrainValidationSplitModel
 *                            validationMetrics, bestIndex
 */
lm_status lm_ml_get_double(const lm_ml_stage *st, const char *name, double *out);
lm_status lm_ml_get_int(const lm_ml_stage *st, const char *name, int64_t *out);
const char *lm_ml_get_string(const lm_ml_stage *st, const char *name); /* NULL if none */
/* Arrays: the count (or -1 on error) and *out pointing into the stage. */
int lm_ml_get_doubles(const lm_ml_stage *st, const char *name, const double **out);
int lm_ml_get_strings(const lm_ml_stage *st, const char *name, const char *const **out);

/* PipelineModel.stages[i] and CrossValidatorModel / TrainValidationSplitModel
   .bestModel, as new handles (NULL when out of range / not such a model). */
lm_ml_stage *lm_ml_pipeline_stage(lm_ml_stage *pipeline_model, int i);
lm_ml_stage *lm_ml_best_model(lm_ml_stage *tuned_model);

/* Transformer.transform / Model.transform: a new DataFrame, or NULL. */
lm_df *lm_ml_transform(lm_ml_stage *st, lm_df *df);
/* Estimator.fit: a new model stage (same uid as the estimator), or NULL. */
lm_ml_stage *lm_ml_fit(lm_ml_stage *est, lm_df *df);
/* Evaluator.evaluate and isLargerBetter. */
lm_status lm_ml_evaluate(lm_ml_stage *ev, lm_df *df, double *out);
bool lm_ml_is_larger_better(const lm_ml_stage *ev);
/* A model's training summary rows (LinearRegressionModel: its
   predictions plus a `residuals` column; LogisticRegressionModel: its
   predictions); a new handle, or NULL when the model has no summary. */
lm_df *lm_ml_summary(lm_ml_stage *model);

/* MLWritable.save (overwrite: write().overwrite()) and MLReadable.load
   for any stage, models and pipelines included. Layout: metadata/part-00000
   (Spark's metadata JSON) and data/part-00000.json (JSON lines; Spark
   writes Parquet there). */
lm_status lm_ml_save(lm_ml_stage *st, const char *path, bool overwrite);
lm_ml_stage *lm_ml_load(lm_session *s, const char *path);

/* ParamGridBuilder: addGrid per (stage, Param); maps are built in
   pyspark's order (the last Param added varies fastest). */
lm_param_grid *lm_param_grid_new(void);
lm_status lm_param_grid_add_doubles(lm_param_grid *g, lm_ml_stage *stage, const char *param,
                                    int n, const double *values);
lm_status lm_param_grid_add_ints(lm_param_grid *g, lm_ml_stage *stage, const char *param, int n,
                                 const int64_t *values);
lm_status lm_param_grid_add_bools(lm_param_grid *g, lm_ml_stage *stage, const char *param, int n,
                                  const bool *values);
lm_status lm_param_grid_add_strings(lm_param_grid *g, lm_ml_stage *stage, const char *param,
                                   int n, const char *const *values);
int lm_param_grid_size(const lm_param_grid *g);
void lm_param_grid_free(lm_param_grid *g);
/* CrossValidator / TrainValidationSplit "estimatorParamMaps" (copied). */
lm_status lm_ml_set_param_grid(lm_ml_stage *st, const char *param, const lm_param_grid *g);

/* ---- vectors in DataFrames */
typedef enum lm_ml_cell_kind {
    LM_ML_NULL,   /* NULL of the column's type */
    LM_ML_DOUBLE, /* double column */
    LM_ML_LONG,   /* bigint column */
    LM_ML_STRING, /* string column */
    LM_ML_DENSE,  /* Vectors.dense(values[0..size)) */
    LM_ML_SPARSE  /* Vectors.sparse(size, indices[0..nnz), values[0..nnz)) */
} lm_ml_cell_kind;
typedef struct lm_ml_cell {
    lm_ml_cell_kind kind;
    double d;
    int64_t l;
    const char *s;
    int size, nnz;
    const int *indices;
    const double *values;
} lm_ml_cell;
/* createDataFrame for ML data: names "label, features", nrows x ncols
   cells row-major; a column's type is its first non-NULL cell's kind
   (vector for DENSE/SPARSE). Cells are copied. */
lm_df *lm_ml_create_dataframe(lm_session *s, const char *names, int64_t nrows, int ncols,
                              const lm_ml_cell *cells);
/* spark.read.format("libsvm").option("numFeatures", n).load(path):
   label double, features vector (sparse); num_features <= 0 infers the
   largest index. */
lm_df *lm_ml_read_libsvm(lm_session *s, const char *path, int num_features);
/* pyspark.ml.functions.array_to_vector / vector_to_array: the column
   `in` converted into a new column `out` (dense vector / array<double>). */
lm_df *lm_ml_array_to_vector(lm_df *df, const char *in, const char *out);
lm_df *lm_ml_vector_to_array(lm_df *df, const char *in, const char *out);
/* A collected vector cell: returns its size (-1 when NULL or not a
   vector) and writes min(size, cap) dense values to out. */
int lm_ml_rows_vector(const lm_rows *rows, int64_t row, int col, double *out, int cap);
/* A collected numeric cell as a double (false when NULL / not numeric). */
bool lm_ml_rows_double(const lm_rows *rows, int64_t row, int col, double *out);

/* ---- column metadata (ML attributes) */
/* df.schema.json(): Spark's schema JSON with each field's metadata, where
   the ML attributes show ({"ml_attr":{"vals":[..],"type":"nominal",..}}
   from StringIndexer, attribute groups from VectorAssembler). malloc'ed,
   caller frees; NULL on allocation failure. */
char *lm_ml_schema_json(const lm_df *df);
/* df.schema[col].metadata.json(): "{}" when the column has none;
   malloc'ed; NULL (error on the session) when there is no such column. */
char *lm_ml_column_metadata(lm_df *df, const char *col);
/* df.withMetadata(col, metadata): a new DataFrame whose column `col`
   carries the metadata JSON object (replacing what it had), e.g. an
   attribute group marking categorical features for the tree learners. */
lm_df *lm_ml_with_metadata(lm_df *df, const char *col, const char *json);


#ifdef __cplusplus
}
#endif
#endif
