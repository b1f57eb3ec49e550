/*
 * Internal interface shared by the analyzer's files (scopes, name
 * resolution, query blocks). Not part of any public contract.
 */
#ifndef LM_ANALYSIS_ANALYZER_INT_H
#define LM_ANALYSIS_ANALYZER_INT_H

#include <stdint.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "expr/func.h"
#include "session/session.h"

/* One visible column. */
typedef struct an_col {
    const char *name;
    char **qual;      /* NULL-terminated, may be NULL */
    lm_type *type;
    bool nullable;
    bool hidden;      /* only qualified references see it */
} an_col;

/* The columns an expression can see: the input row of an operator, and
   the scopes of enclosing queries for correlated references. */
typedef struct an_scope {
    int ncols;
    an_col *cols;
    struct an_scope *outer;
    /* select-list aliases visible to GROUP BY / HAVING / ORDER BY */
    int nalias;
    lm_expr **aliases;
} an_scope;

typedef struct an_cte_frame {
    int nctes;
    lm_cte *ctes;
    struct an_cte_frame *up;
    /* the scopes around the WITH: a WITH inside a subquery defines CTEs
       that may read the enclosing query's columns */
    struct an_scope *outer;
} an_cte_frame;

typedef struct an_lambda_frame {
    int nparams;
    char **params;
    lm_type **types;
    bool *nullable;   /* per parameter; NULL: all nullable */
    int first_slot;
    struct an_lambda_frame *up;
} an_lambda_frame;

struct lm_analyzer {
    lm_session *s;
    lm_arena *a;
    lm_error *err;
    const char *sql;
    lm_resolve_ctx rc;
    an_cte_frame *ctes;
    an_lambda_frame *lambdas;
    an_scope *cur_scope;       /* scope of the call being resolved, for lambdas */
    int view_depth;
};

/* allocation helpers (NULL on OOM, error recorded) */
void *an_alloc(lm_analyzer *an, size_t size);
lm_expr *an_new_expr(lm_analyzer *an, lm_expr_kind kind);
lm_plan *an_new_plan(lm_analyzer *an, lm_plan_kind kind);
lm_expr *an_bound(lm_analyzer *an, int ordinal, const char *name, lm_type *type, bool nullable);
lm_expr *an_literal(lm_analyzer *an, lm_type *type, lm_value v);
char *an_strdup(lm_analyzer *an, const char *s);

/* Sets the output columns of a resolved plan. quals may be NULL. */
bool an_set_output(lm_analyzer *an, lm_plan *p, int n, const char *const *names,
                   lm_type *const *types, const bool *nullable, char ***quals);
an_scope *an_scope_of(lm_analyzer *an, const lm_plan *p, an_scope *outer);
an_scope *an_scope_join(lm_analyzer *an, const lm_plan *l, const lm_plan *r, an_scope *outer);

/* expressions */
lm_expr *an_resolve_expr(lm_analyzer *an, an_scope *sc, lm_expr *e);
bool an_expr_equal(const lm_expr *a, const lm_expr *b);
bool an_contains_agg(const lm_expr *e);
/* An aggregate call over outer columns only (e.g. min(outer.x) in a
   correlated subquery's WHERE): it belongs to the enclosing query. */
bool an_is_outer_agg(const lm_expr *e);
/* Contains an aggregate call that is not an outer aggregate. */
bool an_contains_local_agg(const lm_expr *e);
bool an_contains_window(const lm_expr *e);
bool an_is_foldable(const lm_expr *e);
bool an_expand_stars(lm_analyzer *an, an_scope *sc, lm_expr **in, int nin, lm_expr ***out,
                     int *nout);
/* The output name Spark gives a select-list expression. */
const char *an_output_name(lm_analyzer *an, const lm_expr *e);

/* plans */
lm_plan *an_analyze_plan(lm_analyzer *an, lm_plan *p, an_scope *outer);
lm_plan *an_analyze_block(lm_analyzer *an, lm_plan *top, lm_plan *sort, an_scope *outer);
lm_plan *an_resolve_join(lm_analyzer *an, lm_plan *u, an_scope *outer);
lm_plan *an_resolve_distinct(lm_analyzer *an, lm_plan *child);
lm_plan *an_resolve_sort(lm_analyzer *an, lm_plan *u, an_scope *outer);
lm_plan *an_resolve_tvf(lm_analyzer *an, lm_plan *u, an_scope *outer);
lm_plan *an_resolve_generate(lm_analyzer *an, lm_plan *u, an_scope *outer);
lm_plan *an_resolve_pivot(lm_analyzer *an, lm_plan *u, an_scope *outer);
lm_plan *an_resolve_unpivot(lm_analyzer *an, lm_plan *u, an_scope *outer);
/* A GENERATE of gen (resolved over child) keeping child's columns when
   join; generated columns named by names (nnames 0: the defaults) and
   qualified by qualifier (may be NULL). */
lm_plan *an_make_generate(lm_analyzer *an, lm_plan *child, lm_expr *gen, bool join, bool outer,
                          const char *qualifier, int nnames, char *const *names, int start,
                          int stop);
/* Moves a generator of a select list (items over *cur) into a GENERATE
   below it: *cur, *items and *n are replaced; *gen_at / *gen_count tell
   which item became how many columns (count 0 when there was none). */
/* Index (>= 0) of the generated column named `name` of the generator among
   the select items (*item receives the item), or -1. */
int an_generator_field(lm_analyzer *an, lm_expr **items, int n, const char *name, int *item);
/* False (UNSUPPORTED_GENERATOR.OUTSIDE_SELECT raised) when e holds a
   generator; clause names where e was written. */
bool an_no_generator(lm_analyzer *an, const lm_expr *e, const char *clause);
bool an_extract_generator(lm_analyzer *an, lm_plan **cur, lm_expr ***items, int *n, int *gen_at,
                          int *gen_count);
lm_expr *an_resolve_literal(lm_analyzer *an, lm_expr *e);
lm_expr *an_resolve_subquery(lm_analyzer *an, an_scope *sc, lm_expr *e);
/* windows (resolve_window.c) */
struct expr_list;
lm_plan *an_build_window(lm_analyzer *an, lm_plan *child, struct expr_list *wins);
/* Replaces `OVER w` by the WINDOW clause's definition of w in an unresolved
   expression (node: the PROJECT/AGGREGATE holding the clause). */
lm_expr *an_substitute_windows(lm_analyzer *an, const lm_plan *node, lm_expr *e);
/* Validates a resolved window call and fills in its frame. */
lm_status an_resolve_window_call(lm_analyzer *an, lm_expr *c);

/* grouping sets (resolve_grouping.c); a set is a bitmask over the keys with
   bit n-1-i set when key i is left out, Spark's grouping id */
uint64_t an_grouping_mask(const int *idx, int n, int nkeys);
bool an_grouping_has_duplicates(const uint64_t *masks, int nsets);
bool an_grouping_key_nullable(const uint64_t *masks, int nsets, int nkeys, int i);
lm_plan *an_build_expand(lm_analyzer *an, lm_plan *child, lm_expr **keys, int nkeys,
                         const uint64_t *masks, int nsets);
bool an_is_grouping_call(const lm_expr *e);
bool an_contains_grouping_call(const lm_expr *e);
lm_status an_unsupported_grouping(lm_analyzer *an, const lm_expr *e);
/* Rewrites grouping()/grouping_id() over the aggregate row whose column
   gid_ordinal holds the grouping id (-1: not in grouping sets, an error). */
lm_expr *an_rewrite_grouping(lm_analyzer *an, const lm_expr *e, lm_expr **keys, int nkeys,
                             int gid_ordinal);

/* spark.sql.legacy.ctePrecedencePolicy=EXCEPTION's check of nested WITHs */
lm_status an_check_cte_policy(lm_analyzer *an, const lm_plan *query);

/* errors */
lm_status an_error(lm_analyzer *an, int start, int stop, const char *error_class,
                   const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
