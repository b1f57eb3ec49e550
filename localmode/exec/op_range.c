/*
 * RANGE: the table-valued function range(start, end, step) as Spark's
 * Range operator produces it: ids start + i * step for every i that stays
 * short of end, in order. Arithmetic is done in 128 bits so ranges near
 * the ends of BIGINT neither overflow nor loop.
 */
#include "exec.h"

#include "analysis/analyzer.h"

lm_status lm_op_range(lm_exec *x, const lm_plan *p, lm_table **out)
{
    const lm_range_info *r = p->aux;
    lm_table *t = lm_table_new(p->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    __int128 span = (__int128)r->end - r->start;
    __int128 n = 0;
    if ((span > 0 && r->step > 0) || (span < 0 && r->step < 0))
        n = (span + r->step + (r->step > 0 ? -1 : 1)) / r->step;
    lm_batch *b = NULL;
    for (__int128 i = 0; i < n; i++) {
        if (b == NULL || b->nrows == LM_BATCH_ROWS) {
            int32_t cap = n - i < LM_BATCH_ROWS ? (int32_t)(n - i) : LM_BATCH_ROWS;
            b = lm_batch_new(t->schema, cap);
            if (b == NULL || lm_table_append_batch(t, b) != LM_OK) {
                lm_batch_free(b);
                lm_table_unref(t);
                return lm_error_oom(x->err);
            }
        }
        lm_value v = lm_value_i64((int64_t)(r->start + i * r->step));
        if (lm_batch_append_row(b, &v) != LM_OK) {
            lm_table_unref(t);
            return lm_error_oom(x->err);
        }
        t->nrows++;
    }
    *out = t;
    return LM_OK;
}
