/*
 * The DataFrame and collected-rows handles behind the public API.
 */
#ifndef LM_API_DF_H
#define LM_API_DF_H

#include "catalog/catalog.h"
#include "localmode.h"
#include "plan/plan.h"

struct lm_df {
    lm_session *session;
    lm_arena arena;        /* owns the plan trees */
    lm_plan *plan;         /* resolved; NULL for commands that carry rows */
    lm_table *result;      /* computed rows, cached after the first action */
    lm_type *schema;       /* output schema (reference) */
    bool sorted;
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

#endif
