/*
 * Internal interface of the DataFrame API files (column.c, dataframe.c,
 * grouped.c, na.c, stat.c, sample.c, explain.c): the column handle and the
 * helpers every transformation uses to derive a new DataFrame from its
 * parents. Not part of the public contract.
 */
#ifndef LM_API_DFAPI_H
#define LM_API_DFAPI_H

#include "api/df.h"
#include "common/error.h"
#include "plan/plan.h"

/*
 * A column handle: an unresolved expression tree (plan.h) living in the
 * handle's own arena, plus the handles it was built from (their arenas hold
 * the sub-trees it points to). The call that consumes a handle takes the
 * whole tree of handles; a DataFrame keeps the handles its plan was built
 * from, because resolved trees still point at names and literal bytes of
 * the unresolved ones.
 *
 * A failed parse (lm_expr_parse) yields a handle carrying the error; it
 * travels through the builders and is reported on the session by the
 * DataFrame call that consumes it, so builders never need a session.
 */
struct lm_column {
    lm_arena arena;
    lm_expr *expr;
    lm_error *err; /* deferred error, NULL when none */
    int nkids;
    lm_column **kids;
};

/* A window specification under construction (lm_window_*). */
struct lm_window {
    lm_arena arena;
    lm_window_spec spec;
    lm_error *err;
    int nkids;
    lm_column **kids;
};

/* GroupedData: the parent, the grouping keys and how they group. */
struct lm_grouped {
    lm_df *df; /* reference held */
    lm_grouping_kind kind;
    int nkeys;
    lm_column **keys;
    /* pivot */
    lm_column *pivot_col;
    int npivot_values;
    lm_column **pivot_values;
};

/* ------------------------------------------------------------ columns */

/* Takes ownership of c's error, if any, and records it on s. Returns
   LM_OK when c is usable; a NULL c is an allocation failure. */
lm_status dfapi_column_check(lm_session *s, lm_column *c);
/* A column holding an already built expression (plain COLUMN / literal). */
lm_column *dfapi_column_new(void);
/* A COLUMN reference to one name part list split on dots (backticks
   quote a part), as Spark's UnresolvedAttribute.quotedString parses. */
lm_expr *dfapi_column_ref(lm_arena *a, const char *name);
/* An expression over the given arena; NULL on OOM. */
lm_expr *dfapi_expr_new(lm_arena *a, lm_expr_kind kind);

/* ---------------------------------------------------------- dataframes */

/* A fresh DataFrame over session s (refcount 1, no plan yet). */
lm_df *dfapi_df_new(lm_session *s);
/* Makes child hold a reference to parent (keeps its arena alive). */
lm_status dfapi_df_add_parent(lm_df *child, lm_df *parent);
/* Moves column handles into the DataFrame's ownership. Frees them (and
   records an allocation failure) if that fails. */
lm_status dfapi_df_own(lm_df *df, int n, lm_column **cols);
/*
 * Analyses the unresolved plan `u` (whose children may be resolved plans
 * of parent DataFrames) into df->plan, keeps u as the DataFrame's parsed
 * plan and sets the schema. On failure frees df and returns NULL with the
 * error on the session.
 */
lm_df *dfapi_df_finish(lm_df *df, lm_plan *u);
/* Installs an already resolved plan (for nodes the API builds itself). */
lm_df *dfapi_df_finish_resolved(lm_df *df, lm_plan *logical, lm_plan *resolved);
/* A DataFrame over a relation of t (takes the reference): a file read, a
   local relation. label names the relation for explain. NULL on OOM. */
lm_df *dfapi_df_of_table(lm_session *s, lm_table *t, const char *label);
/* A new unresolved plan node in df's arena. */
lm_plan *dfapi_plan_new(lm_df *df, lm_plan_kind kind);
/* BOUND reference to column i of a resolved plan, in arena a. */
lm_expr *dfapi_bound(lm_arena *a, const lm_plan *p, int i);
/* Replaces df-bound column references (lm_df_col) in e by BOUND
   references into the row formed by `left` (and `right` after it), so
   that columns with the same name on both sides of a join stay distinct. */
lm_expr *dfapi_bind_df_columns(lm_arena *a, lm_expr *e, const lm_plan *left, const lm_plan *right);
/* Index of the column named `name` in df's output (case-insensitive), or -1. */
int dfapi_find_column(const lm_df *df, const char *name);
/* Collects a NULL-terminated va_list of column handles into an array in
   df's arena (the handles themselves are moved into df). */

/* Computes df (with persisted ancestors reused) into df->result. */
lm_status dfapi_compute(lm_df *df);

/* GroupedData.agg over an array of aggregate columns (consumes g and aggs). */
lm_df *dfapi_grouped_aggv(lm_grouped *g, int n, lm_column **aggs);

/* ------------------------------------------------------------- explain */

/* Spark's plan text for mode "simple", "extended", "formatted"... into sb. */
lm_status dfapi_explain(lm_session *s, const lm_plan *parsed, const lm_plan *analyzed,
                        const char *mode, lm_strbuf *sb);

#endif
