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
/* (declarations of the DataFrame transformation API go here) */


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
/* (declarations of the RDD API go here) */


/* ======================================================== MLlib (issue 9) */
/* (declarations of the ML API go here) */


#ifdef __cplusplus
}
#endif
#endif
