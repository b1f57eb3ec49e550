/*
 * Chaos for DataFrame execution: reading the schedule from the session and
 * the row cursor that replays an exchange's arrival order for the
 * single-threaded operators. See chaos.h for the contract with callers.
 */
#include "chaos.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "session/session.h"

lm_status exec_chaos_get(lm_exec *x, exec_chaos *out)
{
    memset(out, 0, sizeof *out);
    const lm_conf *conf = x->session->conf;
    lm_status st = lm_chaos_parse(&out->c, lm_conf_get(conf, LM_CHAOS_SEED_KEY),
                                  lm_conf_get(conf, LM_CHAOS_FAIL_KEY), x->err);
    out->slices = x->session->shuffle_partitions > 0 ? x->session->shuffle_partitions : 1;
    return st;
}

void exec_chaos_clear(exec_chaos *c)
{
    lm_chaos_clear(&c->c);
}

void exec_chaos_arrival(const exec_chaos *c, int position, int part, int n, int *order)
{
    lm_chaos_permutation(&c->c, LM_CHAOS_ARRIVAL, position, part, order, n);
}

lm_status exec_chaos_task(lm_exec *x, const exec_chaos *c, int stage_id, int position, int part,
                          int attempt)
{
    if (!lm_chaos_fails(&c->c, stage_id, position, part, attempt))
        return LM_OK;
    return lm_error_set(x->err, LM_ERROR, LM_CHAOS_EXC, NULL, NULL,
                        "Injected failure of task %d.%d in stage %d.0: "
                        "spark.localmode.chaos.failTasks",
                        part, attempt, stage_id);
}

/* ------------------------------------------------------------- cursor */
static int64_t slice_bound(const exec_row_cursor *cur, int s)
{
    /* slice s covers [s*n/S, (s+1)*n/S): sizes differ by at most one */
    return (int64_t)((__int128)cur->nrows * s / cur->nslices);
}

lm_status exec_row_cursor_open(lm_exec *x, const lm_table *in, exec_chaos_input which,
                               exec_row_cursor *cur)
{
    memset(cur, 0, sizeof *cur);
    cur->t = in;
    exec_chaos ch;
    lm_status st = exec_chaos_get(x, &ch);
    if (st != LM_OK || !ch.c.permute || in->nrows < 2) {
        exec_chaos_clear(&ch);
        return st;
    }
    int64_t nslices = ch.slices < in->nrows ? ch.slices : in->nrows;
    cur->nrows = in->nrows;
    cur->nslices = (int)nslices;
    cur->order = malloc(sizeof *cur->order * (size_t)nslices);
    cur->batch_start = malloc(sizeof *cur->batch_start * (size_t)(in->nbatches + 1));
    if (cur->order == NULL || cur->batch_start == NULL) {
        exec_chaos_clear(&ch);
        exec_row_cursor_close(cur);
        return lm_error_oom(x->err);
    }
    /* the input's size keeps inputs of different shapes independent */
    lm_chaos_permutation(&ch.c, LM_CHAOS_ROWS, which, in->nrows, cur->order, cur->nslices);
    exec_chaos_clear(&ch);
    int64_t g = 0;
    for (int b = 0; b < in->nbatches; b++) {
        cur->batch_start[b] = g;
        g += in->batches[b]->nrows;
    }
    cur->batch_start[in->nbatches] = g;
    return LM_OK;
}

bool exec_row_cursor_next(exec_row_cursor *cur, const lm_batch **batch, int32_t *row)
{
    const lm_table *t = cur->t;
    if (cur->order == NULL) {
        while (cur->b < t->nbatches && cur->r >= t->batches[cur->b]->nrows) {
            cur->b++;
            cur->r = 0;
        }
        if (cur->b >= t->nbatches)
            return false;
        *batch = t->batches[cur->b];
        *row = cur->r++;
        return true;
    }
    if (cur->next >= cur->end) {
        if (cur->k >= cur->nslices)
            return false;
        int s = cur->order[cur->k++];
        cur->next = slice_bound(cur, s);
        cur->end = slice_bound(cur, s + 1);
        /* the batch holding the slice's first row: binary search */
        int lo = 0, hi = t->nbatches - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (cur->batch_start[mid] <= cur->next)
                lo = mid;
            else
                hi = mid - 1;
        }
        cur->b = lo;
    }
    while (cur->next >= cur->batch_start[cur->b + 1])
        cur->b++;
    *batch = t->batches[cur->b];
    *row = (int32_t)(cur->next - cur->batch_start[cur->b]);
    cur->next++;
    return true;
}

void exec_row_cursor_close(exec_row_cursor *cur)
{
    free(cur->order);
    free(cur->batch_start);
    cur->order = NULL;
    cur->batch_start = NULL;
}
