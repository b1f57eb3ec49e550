/*
 * VALUES: an inline table of constant rows.
 */
#include "exec.h"

#include <stdlib.h>

lm_status lm_op_values(lm_exec *x, const lm_plan *p, lm_table **out)
{
    lm_table *t = lm_table_new(p->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    lm_arena scratch;
    lm_arena_init(&scratch, 4096);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    lm_value *row = calloc((size_t)(p->ncols + 1), sizeof *row);
    lm_status st = row ? LM_OK : lm_error_oom(x->err);
    for (int r = 0; st == LM_OK && r < p->nrows; r++) {
        for (int c = 0; st == LM_OK && c < p->ncols; c++)
            st = lm_eval_expr(&ec, p->rows[r][c], NULL, &row[c]);
        if (st == LM_OK && lm_table_append_row(t, row) != LM_OK)
            st = lm_error_oom(x->err);
    }
    free(row);
    lm_arena_free(&scratch);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
