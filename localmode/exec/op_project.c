/*
 * PROJECT: evaluates the select list for every input row.
 */
#include "exec.h"

#include <stdlib.h>

lm_status lm_op_project(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    lm_table *t = lm_table_new(p->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    int nin = in->schema->nfields;
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    lm_value *row = calloc((size_t)(nin + 1), sizeof *row);
    lm_value *res = calloc((size_t)(p->nexprs + 1), sizeof *res);
    lm_status st = (row && res) ? LM_OK : lm_error_oom(x->err);
    for (int b = 0; st == LM_OK && b < in->nbatches; b++) {
        const lm_batch *batch = in->batches[b];
        for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
            if (!lm_batch_get_row(batch, r, row, &scratch)) {
                st = lm_error_oom(x->err);
                break;
            }
            for (int i = 0; st == LM_OK && i < p->nexprs; i++)
                st = lm_eval_expr(&ec, p->exprs[i], row, &res[i]);
            if (st == LM_OK && lm_table_append_row(t, res) != LM_OK)
                st = lm_error_oom(x->err);
        }
        lm_arena_free(&scratch);
    }
    free(row);
    free(res);
    lm_arena_free(&scratch);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
