/*
 * The DataFrame and collected-rows handles behind the public API.
 *
 * A DataFrame is reference counted: the caller's handle is one reference,
 * and every DataFrame derived from it holds one more (parents[]), because
 * the derived plan points into the parent's arena. Column handles a
 * transformation consumed are kept in `owned` for the same reason.
 */
#ifndef LM_API_DF_H
#define LM_API_DF_H

#include "catalog/catalog.h"
#include "localmode.h"
#include "plan/plan.h"

struct lm_df {
    lm_session *session;
    int refcount;
    lm_arena arena;        /* owns the plan trees */
    lm_plan *plan;         /* resolved; NULL for commands that carry rows */
    lm_plan *logical;      /* as defined, before analysis (explain's parsed plan); may be NULL */
    lm_table *result;      /* computed rows, cached after the first action */
    lm_type *schema;       /* output schema (reference) */
    bool sorted;
    bool persisted;        /* cache()/persist(): derived plans reuse result */
    int nparents;
    lm_df *parents[2];
    int nowned;
    lm_column **owned;     /* consumed column handles (malloc'ed array) */
};

struct lm_rows {
    lm_table *table;
    lm_arena arena;
    int64_t n;
    int ncols;
    lm_value **rows;
    const struct lm_tz *tz;
};

/* A DataFrame over already computed rows (command output). Takes the table. */
lm_df *lm_df_from_table(lm_session *s, lm_table *t);
/* Ensures df->result is computed. */
lm_status lm_df_compute(lm_df *df);
/* Collected rows [from, to) of a computed table (to clipped). */
lm_status lm_rows_from_table(lm_session *s, lm_table *t, int64_t from, int64_t to,
                             lm_rows **out);

#endif
