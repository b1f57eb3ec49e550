/*
 * EXPAND (grouping sets): every input row is emitted once per projection,
 * in projection order, as Spark's ExpandExec does; the analyzer's
 * projections null out the keys a grouping set leaves out and append the
 * grouping id (analysis/resolve_grouping.c).
 */
#include "exec.h"

#include <stdlib.h>

#include "analysis/analyzer.h"

lm_status lm_op_expand(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    const lm_expand_info *info = p->aux;
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    int nin = in->schema->nfields;
    lm_value *row = calloc((size_t)(nin + 1), sizeof *row);
    lm_value *res = calloc((size_t)(info->width + 1), sizeof *res);
    lm_table *t = lm_table_new(p->schema);
    lm_status st = (row && res && t) ? LM_OK : lm_error_oom(x->err);
    for (int b = 0; st == LM_OK && b < in->nbatches; b++) {
        const lm_batch *batch = in->batches[b];
        for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
            if (!lm_batch_get_row(batch, r, row, &scratch)) {
                st = lm_error_oom(x->err);
                break;
            }
            for (int k = 0; st == LM_OK && k < info->nprojections; k++) {
                for (int c = 0; st == LM_OK && c < info->width; c++)
                    st = lm_eval_expr(&ec, info->projections[k][c], row, &res[c]);
                if (st == LM_OK && lm_table_append_row(t, res) != LM_OK)
                    st = lm_error_oom(x->err);
            }
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
