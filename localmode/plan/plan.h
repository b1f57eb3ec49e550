/*
 * Logical plans and expressions. The SQL parser and the DataFrame API build
 * *unresolved* trees (names as written); the analyzer turns them into
 * *resolved* trees (bound column ordinals, result types, function
 * definitions), as Spark's AstBuilder and Analyzer do. Both forms use the
 * structs below.
 *
 * Memory: every node, string and array of a tree lives in one lm_arena owned
 * by whoever built the tree (a statement, a DataFrame). Trees are immutable
 * once built; later phases build new nodes instead of editing. Type
 * references held by nodes are registered with lm_arena_on_free.
 *
 * Source positions: start/stop are 0-based inclusive byte offsets into the
 * statement text (Spark's queryContext uses them), -1 when synthetic.
 */
#ifndef LM_PLAN_PLAN_H
#define LM_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "types/type.h"
#include "types/value.h"

typedef struct lm_expr lm_expr;
typedef struct lm_plan lm_plan;
typedef struct lm_func_def lm_func_def;   /* function registry entry */
typedef struct lm_table lm_table;         /* catalog table data */

/* ---------------------------------------------------------------- exprs */

typedef enum lm_expr_kind {
    LM_EXPR_LITERAL,         /* value + type */
    LM_EXPR_COLUMN,          /* unresolved name: parts[0..nparts) e.g. t.a.b */
    LM_EXPR_STAR,            /* `*` (nparts 0) or `t.*` (parts = qualifier) */
    LM_EXPR_ALIAS,           /* args[0] AS name; multi-alias `AS (a, b)` in parts */
    LM_EXPR_CALL,            /* function or operator `name` applied to args */
    LM_EXPR_CAST,            /* CAST(args[0] AS type); flags LM_CAST_TRY for try_cast */
    LM_EXPR_CASE,            /* CASE: args = [operand] w1 t1 w2 t2 ... [else] */
    LM_EXPR_IN,              /* args[0] IN (args[1..]) */
    LM_EXPR_IN_SUBQUERY,     /* (args[0..nargs)) IN (subquery) */
    LM_EXPR_EXISTS,          /* EXISTS (subquery) */
    LM_EXPR_SCALAR_SUBQUERY, /* (subquery) */
    LM_EXPR_LAMBDA,          /* parts = parameter names, args[0] = body */
    LM_EXPR_LAMBDA_VAR,      /* name; resolved: ordinal = variable slot */
    LM_EXPR_FIELD,           /* args[0].name (struct field / map key by name) */
    LM_EXPR_SUBSCRIPT,       /* args[0][args[1]] */
    LM_EXPR_SORT,            /* args[0] with flags LM_SORT_DESC / LM_SORT_NULLS_* */
    LM_EXPR_INTERVAL_UNIT,   /* unresolved `INTERVAL 'x' DAY`-style pieces are
                                turned into LITERALs by the parser; unused */
    /* resolved-only kinds */
    LM_EXPR_BOUND,           /* input column `ordinal` of the child row */
    LM_EXPR_OUTER,           /* column `ordinal` of the enclosing query `depth` levels up */
    LM_EXPR_GROUPING_ID,     /* Spark's spark_grouping_id produced by Expand */
    LM_EXPR__COUNT
} lm_expr_kind;

/* flags */
enum {
    LM_CAST_TRY = 1 << 0,           /* try_cast */
    LM_CAST_ANSI = 1 << 1,          /* ANSI cast semantics (errors instead of NULL) */
    LM_CASE_HAS_OPERAND = 1 << 2,   /* CASE x WHEN ... */
    LM_CASE_HAS_ELSE = 1 << 3,
    LM_SORT_DESC = 1 << 4,
    LM_SORT_NULLS_FIRST = 1 << 5,   /* explicit or defaulted by the parser */
    LM_SORT_NULLS_EXPLICIT = 1 << 6,
    LM_IN_NOT = 1 << 7,             /* NOT IN, for IN and IN_SUBQUERY */
    LM_CALL_IGNORE_NULLS = 1 << 8,  /* first(x) IGNORE NULLS, lag(...) IGNORE NULLS */
    LM_CALL_RESPECT_NULLS = 1 << 9,
    LM_CALL_STAR_ARG = 1 << 10,     /* count(*) written with a star */
    LM_CALL_OPERATOR = 1 << 11,     /* written as an operator (a + b), not a call */
    /*
     * LITERAL whose value the analyzer must still compute from `text`:
     * `type` says what kind (DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY for
     * X'..', DECIMAL for 1.5 / 1.5BD, INTERVAL for every interval literal).
     * Intervals: text = the quoted or reconstructed payload ("1-2",
     * "1 day 2 hours"), parts = unit range as written in lower case
     * ({"year","month"} for YEAR TO MONTH, {"day"} for '3' DAY, none for
     * the multi-unit form). The parser keeps literal parsing out of the
     * grammar so that datetime and decimal rules live in one place.
     */
    LM_LIT_UNPARSED = 1 << 12,
    /* CALL "struct" written as a row constructor `(a, b)` (Spark's
       CreateStruct from rowConstructor): VALUES rows and `(a, b) IN (...)`
       unpack it. */
    LM_CALL_ROW = 1 << 13,
    /* CAST inserted by type coercion: invisible in generated column names,
       as Spark's usePrettyExpression hides casts the user did not write */
    LM_CAST_IMPLICIT = 1 << 14,
};

typedef enum lm_frame_type { LM_FRAME_NONE = 0, LM_FRAME_ROWS, LM_FRAME_RANGE } lm_frame_type;
typedef enum lm_frame_bound_kind {
    LM_BOUND_UNBOUNDED_PRECEDING,
    LM_BOUND_PRECEDING,   /* expr PRECEDING */
    LM_BOUND_CURRENT_ROW,
    LM_BOUND_FOLLOWING,   /* expr FOLLOWING */
    LM_BOUND_UNBOUNDED_FOLLOWING
} lm_frame_bound_kind;

typedef struct lm_frame_bound {
    lm_frame_bound_kind kind;
    lm_expr *offset; /* PRECEDING / FOLLOWING */
} lm_frame_bound;

typedef struct lm_window_spec {
    char *ref_name;            /* OVER w, or OVER (w ...): a named window; may be NULL */
    int npartition;
    lm_expr **partition;
    int norder;
    lm_expr **order;           /* LM_EXPR_SORT nodes */
    lm_frame_type frame_type;  /* NONE when no frame clause was written */
    lm_frame_bound frame_start, frame_end;
} lm_window_spec;

struct lm_expr {
    lm_expr_kind kind;
    int flags;
    int start, stop;           /* source span, -1 if synthetic */

    char *name;                /* CALL: function name as written (lower-cased for
                                  lookup by the analyzer); ALIAS / FIELD /
                                  LAMBDA_VAR: the name */
    int nparts;
    char **parts;              /* COLUMN / STAR name parts; multi-alias names;
                                  LAMBDA parameter names */
    int nargs;
    lm_expr **args;

    lm_plan *subquery;         /* IN_SUBQUERY / EXISTS / SCALAR_SUBQUERY */
    lm_window_spec *window;    /* CALL ... OVER (...) */
    lm_expr *filter;           /* CALL: aggregate FILTER (WHERE ...) */
    bool distinct;             /* CALL: aggregate DISTINCT */
    int norder;                /* CALL: WITHIN GROUP (ORDER BY ...), e.g.
                                  percentile_cont(0.25) WITHIN GROUP (ORDER BY x) */
    lm_expr **order;           /*   LM_EXPR_SORT nodes; 0 / NULL when absent */

    lm_value value;            /* LITERAL */
    lm_type *type;             /* LITERAL: its type; CAST: target type;
                                  resolved nodes: result type */
    char *text;                /* LITERAL: Spark's printed form for generated
                                  column names (e.g. "128" for 128Y,
                                  "DATE '2020-01-01'"); may be NULL */
    /* filled by the analyzer */
    bool resolved;
    bool nullable;
    const lm_func_def *fn;
    int ordinal;               /* BOUND / OUTER / LAMBDA_VAR */
    int depth;                 /* OUTER */
    void *aux;                 /* per-function compiled state (regex, ...) */
    /* subquery expressions evaluated over a row other than the one they
       were resolved against (e.g. an aggregate's output row): the outer
       row the subquery expects is rebuilt by evaluating outer_map[i] into
       column outer_ordinals[i] of a row outer_width wide */
    int nouter_map;
    int outer_width;
    int *outer_ordinals;
    lm_expr **outer_map;
};

/* ---------------------------------------------------------------- plans */

typedef enum lm_plan_kind {
    LM_PLAN_UNRESOLVED_RELATION, /* parts: (catalog.)(db.)name */
    LM_PLAN_RELATION,            /* resolved: table */
    LM_PLAN_ONE_ROW,             /* SELECT without FROM */
    LM_PLAN_VALUES,              /* inline table: nrows x ncols exprs in rows */
    LM_PLAN_TVF,                 /* table-valued function `name`(exprs), e.g. range(10) */
    LM_PLAN_PROJECT,             /* exprs */
    LM_PLAN_FILTER,              /* cond; having = true for HAVING */
    LM_PLAN_AGGREGATE,           /* group_by exprs, exprs = output list */
    LM_PLAN_SORT,                /* exprs = LM_EXPR_SORT list; global */
    LM_PLAN_LIMIT,               /* count */
    LM_PLAN_OFFSET,              /* count */
    LM_PLAN_DISTINCT,
    LM_PLAN_JOIN,                /* left/right, join_type, cond, using */
    LM_PLAN_SETOP,               /* UNION / INTERSECT / EXCEPT */
    LM_PLAN_SUBQUERY_ALIAS,      /* alias (+ column aliases in names) */
    LM_PLAN_WITH,                /* CTE definitions + body (child) */
    LM_PLAN_WINDOW,              /* resolved: window exprs appended to child output */
    LM_PLAN_GENERATE,            /* LATERAL VIEW / explode in select list */
    LM_PLAN_PIVOT,
    LM_PLAN_SAMPLE,
    LM_PLAN_EXPAND,              /* resolved: grouping sets */
    LM_PLAN_UNPIVOT,             /* UNPIVOT: names = value columns, name = name column,
                                    pivot_values = IN columns (a COLUMN, or a row
                                    `struct` of COLUMNs, maybe in an ALIAS),
                                    outer = INCLUDE NULLS */
    LM_PLAN__COUNT
} lm_plan_kind;

typedef enum lm_join_type {
    LM_JOIN_INNER, LM_JOIN_LEFT, LM_JOIN_RIGHT, LM_JOIN_FULL,
    LM_JOIN_LEFT_SEMI, LM_JOIN_LEFT_ANTI, LM_JOIN_CROSS
} lm_join_type;

typedef enum lm_setop_kind { LM_SETOP_UNION, LM_SETOP_INTERSECT, LM_SETOP_EXCEPT } lm_setop_kind;

typedef enum lm_grouping_kind {
    LM_GROUPING_PLAIN, LM_GROUPING_ROLLUP, LM_GROUPING_CUBE, LM_GROUPING_SETS, LM_GROUPING_ALL
} lm_grouping_kind;

typedef struct lm_cte {
    char *name;
    int ncols;
    char **cols;     /* WITH t(a, b) AS (...); may be 0 */
    lm_plan *plan;
} lm_cte;

typedef struct lm_named_window {
    char *name;
    lm_window_spec *spec;
} lm_named_window;

struct lm_plan {
    lm_plan_kind kind;
    int start, stop;

    lm_plan *child;               /* unary nodes; WITH body; JOIN/SETOP left */
    lm_plan *right;               /* JOIN / SETOP right */

    int nparts;
    char **parts;                 /* UNRESOLVED_RELATION name; SUBQUERY_ALIAS alias */
    int nnames;
    char **names;                 /* column aliases: VALUES AS t(a,b), alias t(a,b),
                                     JOIN USING (a, b), GENERATE column aliases */
    char *name;                   /* TVF name; GENERATE table alias */

    int nexprs;
    lm_expr **exprs;              /* PROJECT / AGGREGATE output / SORT orders /
                                     TVF args / PIVOT aggregates / WINDOW exprs */
    lm_expr *cond;                /* FILTER condition / JOIN condition /
                                     LIMIT, OFFSET count / GENERATE generator /
                                     SAMPLE fraction or rows */

    /* AGGREGATE */
    lm_grouping_kind grouping;
    int ngroup;
    lm_expr **group_by;           /* plain keys; for ROLLUP/CUBE the keys */
    int nsets;
    int *set_sizes;               /* GROUPING SETS: set i has set_sizes[i] exprs */
    lm_expr ***sets;

    /* VALUES */
    int nrows, ncols;
    lm_expr ***rows;
    int *row_lens;                /* VALUES: per-row lengths, set only when the rows
                                     differ in length (ncols = length of row 0);
                                     Spark fails such a table in analysis */

    /* JOIN */
    lm_join_type join_type;
    bool natural;

    /* SETOP */
    lm_setop_kind setop;
    bool all;                     /* UNION ALL / INTERSECT ALL / EXCEPT ALL */
    bool by_name;                 /* unionByName */
    bool allow_missing;           /* unionByName(allowMissingColumns) */

    /* FILTER */
    bool having;

    /* SORT */
    bool global;                  /* ORDER BY (true) vs SORT BY (false) */

    /* GENERATE */
    bool outer;

    /* WITH */
    int nctes;
    lm_cte *ctes;

    /* named windows (WINDOW w AS (...)) attached to the SELECT they belong to */
    int nwindows;
    lm_named_window *windows;

    /* PIVOT: exprs = aggregates (maybe aliased), pivot_cols = FOR columns,
       pivot_values = IN values (maybe aliased) */
    int npivot_cols;
    lm_expr **pivot_cols;
    int npivot_values;
    lm_expr **pivot_values;

    /* SAMPLE: percent (cond literal) or ROWS; seed when repeatable */
    bool sample_rows;
    bool has_seed;
    int64_t seed;

    /* filled by the analyzer */
    bool resolved;
    lm_type *schema;              /* STRUCT of the output columns */
    char ***qualifiers;           /* per output column: NULL-terminated qualifier
                                     parts (e.g. {"t", NULL}); may be NULL */
    bool *hidden;                 /* per output column: seen only by qualified
                                     references and qualified stars, as
                                     Spark's hidden USING-join key columns;
                                     NULL when none is hidden */
    lm_table *table;              /* RELATION */
    void *aux;
};

/* ----------------------------------------------------------- statements */

typedef enum lm_stmt_kind {
    LM_STMT_QUERY,               /* query */
    LM_STMT_CREATE_VIEW,         /* name, query, replace, temporary, global, if_not_exists,
                                    col_names; or provider+options (USING csv OPTIONS) */
    LM_STMT_CREATE_TABLE,        /* name, columns (schema), provider, options, query (CTAS),
                                    partition_by, if_not_exists, replace */
    LM_STMT_INSERT,              /* name, query, overwrite, col_names */
    LM_STMT_DROP_VIEW,           /* name, if_exists */
    LM_STMT_DROP_TABLE,
    LM_STMT_SET,                 /* key (NULL: list all), value (NULL: show one) */
    LM_STMT_RESET,               /* key (NULL: all) */
    LM_STMT_SHOW_TABLES,         /* like pattern in value_text */
    LM_STMT_SHOW_COLUMNS,
    LM_STMT_SHOW_FUNCTIONS,
    LM_STMT_DESCRIBE,            /* DESCRIBE [TABLE] name, or DESCRIBE QUERY query; extended */
    LM_STMT_DESCRIBE_FUNCTION,   /* name, extended */
    LM_STMT_EXPLAIN,             /* query or inner statement; explain_mode */
    LM_STMT_CACHE,               /* name, lazy, optional query (CACHE TABLE t AS SELECT) */
    LM_STMT_UNCACHE,             /* name, if_exists */
    LM_STMT_USE,                 /* name */
    LM_STMT_CREATE_DATABASE,     /* name, if_not_exists, comment, location, options */
    LM_STMT_DROP_DATABASE,       /* name, if_exists, cascade */
    LM_STMT_CLEAR_CACHE          /* CLEAR CACHE */
} lm_stmt_kind;

typedef struct lm_option {
    char *key;
    char *value;
} lm_option;

typedef struct lm_stmt {
    lm_stmt_kind kind;
    int start, stop;
    const char *text;            /* the whole statement text */

    lm_plan *query;
    int nparts;
    char **parts;                /* object name */
    bool replace, temporary, global, if_not_exists, if_exists, overwrite;
    bool lazy, extended;
    int ncols;
    char **col_names;            /* view column list / INSERT column list */
    lm_type *columns;            /* CREATE TABLE (a INT, ...): a STRUCT; NULL if none */
    char *provider;              /* USING csv */
    int noptions;
    lm_option *options;          /* OPTIONS (k 'v', ...) and TBLPROPERTIES */
    int npartition_by;
    char **partition_by;
    char *key;                   /* SET / RESET key */
    char *value;                 /* SET value; SHOW TABLES LIKE pattern */
    char *explain_mode;          /* "simple" (default), "extended", "codegen", "cost", "formatted" */
    struct lm_stmt *inner;       /* EXPLAIN of a non-query statement */
    char *location;              /* CREATE TABLE / DATABASE ... LOCATION 'path'; NULL if none */
    char *comment;               /* CREATE TABLE / DATABASE ... COMMENT 'text'; NULL if none */
    bool cascade;                /* DROP DATABASE ... CASCADE */
    bool by_name;                /* INSERT INTO t BY NAME query */
} lm_stmt;

#endif
