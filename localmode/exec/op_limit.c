/*
 * LIMIT and OFFSET: keep a prefix, or drop one, of the input in order.
 */
#include "exec.h"

#include <stdlib.h>

lm_status lm_op_limit(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    int64_t n = p->cond->value.u.i64;
    int64_t from = p->kind == LM_PLAN_OFFSET ? n : 0;
    int64_t to = p->kind == LM_PLAN_LIMIT ? n : INT64_MAX;
    lm_table *t = lm_table_new(in->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    int64_t seen = 0;
    lm_status st = LM_OK;
    for (int b = 0; st == LM_OK && b < in->nbatches && seen < to; b++) {
        const lm_batch *batch = in->batches[b];
        lm_batch *nb = NULL;
        for (int32_t r = 0; r < batch->nrows && seen < to; r++, seen++) {
            if (seen < from)
                continue;
            if (nb == NULL && (nb = lm_batch_new(in->schema, batch->nrows)) == NULL) {
                st = lm_error_oom(x->err);
                break;
            }
            if (lm_batch_append_from(nb, batch, r) != LM_OK) {
                st = lm_error_oom(x->err);
                break;
            }
        }
        if (nb && (st != LM_OK || lm_table_append_batch(t, nb) != LM_OK)) {
            lm_batch_free(nb);
            if (st == LM_OK)
                st = lm_error_oom(x->err);
        }
    }
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
