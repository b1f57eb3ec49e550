/*
 * Job files: an ETL job declared in YAML (sources, steps, sinks), loaded,
 * validated and run on a session, or translated to the PySpark program
 * Spark would run. The command line (`localmode run`, `submit`, `test`,
 * `explain`) is the user; nothing here prints.
 *
 *   name: daily_sales
 *   vars:    {date: 2024-01-01}          # ${date}; --var date=... wins
 *   conf:    {spark.sql.shuffle.partitions: 4}
 *   sources:
 *     - {name: orders, format: csv, path: "in/${date}.csv",
 *        options: {header: true}, schema: "id INT, amount DOUBLE"}
 *   steps:
 *     - name: clean                      # registers the result as a view
 *       sql: SELECT * FROM orders WHERE amount IS NOT NULL
 *     - name: big
 *       from: clean                      # default: the previous step
 *       filter: amount > 100             # ops run in the order written
 *       select: [id, amount]
 *   sinks:
 *     - {from: big, format: parquet, path: out, mode: overwrite}
 *
 * docs/cli.md is the user's reference; this header is the contract for the
 * code. Every DataFrame-style op compiles to one Spark SQL SELECT over the
 * result of the op before it (job_step_sql), so the job runs the same SQL
 * here and, through the generated PySpark script, on a cluster.
 *
 * Memory: a job and everything in it lives in the job's arena; job_free
 * releases it. Error strings handed out are malloc'ed; the caller frees.
 */
#ifndef LM_JOB_JOB_H
#define LM_JOB_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strbuf.h"
#include "localmode.h"

/*
 * A string read from the job file, after ${var} substitution, with what
 * it takes to map an offset in it back to the file (for error messages
 * that point into a SQL text). line/col are 1-based, as editors count.
 */
typedef struct job_text {
    char *s;       /* substituted text (NUL-terminated) */
    char *raw;     /* the scalar as written, before substitution */
    int line, col; /* where the scalar starts in the file */
    /* offset mapping: raw is the scalar as libyaml read it (before
       substitution); block_indent > 0 for a literal block (`|`), whose
       line i sits at file line `line + 1 + i`, column block_indent + 1;
       flat_col > 0 when the raw text sits on one line from that column */
    int block_indent;
    int flat_col;
    int nsubs; /* substitutions: output offset, raw offset, lengths */
    int *sub_out, *sub_raw, *sub_out_len, *sub_raw_len;
} job_text;

/* Maps an offset into t->s to a file position (falls back to the scalar's
   start when the text cannot be mapped exactly). */
void job_text_locate(const job_text *t, int offset, int *line, int *col);

typedef struct job_kv {
    char *key;
    job_text value;
} job_kv;

typedef struct job_source {
    job_text name;
    int line, col;   /* the item */
    job_text format; /* csv, json, text, parquet */
    int npaths;
    job_text *paths; /* path: a scalar or a list; 0 when options.path is used */
    int noptions;
    job_kv *options;
    job_text schema; /* DDL; s NULL when absent */
} job_source;

typedef enum job_op_kind {
    JOB_OP_FILTER,    /* filter / where: one condition */
    JOB_OP_SELECT,    /* select: expressions (window functions welcome) */
    JOB_OP_DEDUPE,    /* dedupe: key columns, or [] for whole rows */
    JOB_OP_JOIN,      /* join: {with, on | using, how, as} */
    JOB_OP_AGGREGATE, /* aggregate: {group_by, agg} */
    JOB_OP_ORDER_BY,  /* order_by: sort expressions */
    JOB_OP_LIMIT      /* limit: a row count */
} job_op_kind;

typedef struct job_op {
    job_op_kind kind;
    const char *key; /* the key as written (filter / where ...) */
    int line, col;   /* the key */
    int nitems;
    job_text *items; /* condition / expressions / columns / aggregates */
    int nkeys;
    job_text *keys; /* aggregate: group_by */
    /* join */
    job_text with;  /* the view joined */
    job_text alias; /* `as`, s NULL when absent */
    job_text how;   /* inner (default), left, right, full, semi, anti, cross */
    job_text on;    /* s NULL when using */
    int nusing;
    job_text *using_cols;
    int64_t limit;
} job_op;

/*
 * MLlib steps (job_ml.c): a step whose key is `random_split`, `fit`,
 * `transform` or `evaluate` runs pyspark.ml through the C API instead of
 * SQL. Stages are written as pyspark builds them: the class name and its
 * Params by Spark's names, `- StringIndexer: {inputCol: city}`.
 */
typedef enum job_ml_kind {
    JOB_ML_SPLIT,     /* random_split: {weights, seed, into}: a view per weight */
    JOB_ML_FIT,       /* fit: [stages]: Pipeline(stages).fit(input), a model named `name` */
    JOB_ML_TRANSFORM, /* transform: MODEL, or [stages] (Pipeline fit and transform) */
    JOB_ML_EVALUATE   /* evaluate: [evaluators]: a view (metric, value) */
} job_ml_kind;

typedef struct job_ml_param {
    job_text name;
    int line, col; /* the value */
    bool is_list;
    int nvalues;
    job_text *values; /* one for a scalar */
} job_ml_param;

typedef struct job_ml_stage {
    job_text cls; /* pyspark.ml class name, checked against the registry */
    int nparams;
    job_ml_param *params;
} job_ml_stage;

typedef struct job_ml_step {
    job_ml_kind kind;
    const char *key; /* as written */
    int line, col;   /* the key */
    int nstages;
    job_ml_stage *stages; /* fit, transform (a list), evaluate */
    job_text model;       /* transform: a fit step's name; s NULL with stages */
    int model_step;       /* its index in steps[] */
    int nweights;         /* random_split */
    double *weights;
    int64_t seed;
    int ninto;
    job_text *into;
} job_ml_step;

typedef struct job_step {
    job_text name;     /* s NULL for an unnamed step */
    const char *view;  /* the view holding its result: name, or step<N> */
    int index;         /* 1-based */
    int line, col;     /* the item */
    job_text from;     /* s NULL: the previous step (or the only source) */
    const char *input; /* resolved input view (from, previous step ...) */
    job_text sql;      /* s NULL for an op step */
    int nops;
    job_op *ops;
    bool cache;
    job_ml_step *ml; /* an MLlib step, else NULL */
} job_step;

typedef struct job_sink {
    const char *label; /* name: if given, else "<n>" (1-based) */
    int line, col;     /* the item */
    job_text from;     /* s NULL: the last step */
    const char *input; /* resolved view */
    job_text format;   /* csv, json, text, parquet, console */
    job_text path;
    job_text mode; /* s NULL: errorifexists, Spark's default */
    int npartition_by;
    job_text *partition_by;
    int noptions;
    job_kv *options;
} job_sink;

typedef struct job {
    lm_arena arena;
    const char *file; /* as given, for messages */
    const char *dir;  /* its folder: ${job_dir} */
    const char *name; /* name:, else the file's base name */
    int nvars;
    job_kv *vars; /* defaults merged with the overrides */
    int nconf;
    job_kv *conf;
    int nsources;
    job_source *sources;
    int nsteps;
    job_step *steps;
    int nsinks;
    job_sink *sinks;
} job;

/*
 * Loads and validates a job file. vars are "key=value" overrides (--var),
 * n of them. On failure returns NULL and *err gets a malloc'ed message
 * "file:line:col: what is wrong".
 */
job *job_load_file(const char *path, const char *const *vars, int nvars, char **err);
/* The same from text; `file` names it in messages and sets ${job_dir}. */
job *job_load_string(const char *text, const char *file, const char *const *vars, int nvars,
                     char **err);
void job_free(job *j);

/* ------------------------------------------------------------------ SQL */

/*
 * A span of generated SQL that came from the job file: errors whose query
 * context falls inside it point at the file.
 */
typedef struct job_sqlmap {
    int start, len;       /* in the generated SQL */
    const job_text *text; /* the fragment's source */
} job_sqlmap;

typedef struct job_sql {
    lm_strbuf sql;
    int nmaps, cap;
    job_sqlmap *maps;
} job_sql;

void job_sql_init(job_sql *q);
void job_sql_free(job_sql *q);

/*
 * The SQL of step i, whose ops [0, nops) are compiled (nops = all of them:
 * the whole step). A `sql:` step is its statement. Op steps nest: each op
 * is a SELECT over the one before, the rows named after the step's input
 * view so that `on:` conditions and qualified columns read as in Spark
 * code (`clean.id = dims.id`). Returns false when out of memory.
 */
bool job_step_sql(const job *j, int i, int nops, job_sql *out);

/* Maps a query-context offset of q (or -1) to a file position; returns
   false when the offset is not inside a fragment from the file. */
bool job_sql_locate(const job_sql *q, int offset, int *line, int *col);

/* ------------------------------------------------------------------ run */

typedef struct job_run_opts {
    /* a source whose name is already a view is not read (tests give their
       fixtures the sources' names) */
    bool keep_existing_views;
    bool skip_sinks; /* define the views only */
    /* called around each sink's write (an action: one Spark job) */
    void (*action_begin)(void *ctx, const job_sink *k);
    void (*action_end)(void *ctx, const job_sink *k, bool ok);
    void *ctx;
    /* where `console` sinks print (stdout when NULL) */
    void *console; /* FILE * */
} job_run_opts;

/*
 * Runs the job on s: applies its conf, reads the sources into temp views,
 * defines every step as a temp view (analysis is eager, so a bad column
 * fails at its step), then writes the sinks in order. On failure returns
 * the status and *err a malloc'ed "file:line:col: step \"x\": message"
 * (the session keeps the engine's error class: lm_errclass).
 */
lm_status job_run(lm_session *s, const job *j, const job_run_opts *o, char **err);

/* ------------------------------------------------------------- PySpark */

/* The PySpark program equivalent to the job, appended to sb. */
void job_to_pyspark(const job *j, lm_strbuf *sb);

#endif
