/*
 * FILTER: keeps the rows whose condition is true (NULL counts as false).
 * The condition runs as a batch kernel and yields a selection of row
 * indices; a batch where every row passes is handed on with its vectors
 * shared, otherwise the needed columns are gathered and the others become
 * placeholders (exec_batch.h). Batches are independent: tasks run on the
 * worker threads and outputs keep input order. A batch whose vectorized
 * evaluation fails is redone with the row interpreter (see op_project.c).
 */
#include "exec.h"

#include <stdlib.h>

#include "exec/exec_batch.h"
#include "expr/veval.h"

typedef struct filter_run {
    const lm_plan *p;
    const lm_table *in;
    const bool *need;
    lm_vexpr *prog;       /* NULL: row path */
    exec_parts parts;
    lm_batch **outs;
} filter_run;

static lm_status select_rows(lm_eval_ctx *ec, const lm_expr *cond, const lm_batch *batch,
                             int32_t *sel, int32_t *n)
{
    lm_value *row = calloc((size_t)batch->ncols + 1, sizeof *row);
    if (row == NULL)
        return lm_error_oom(ec->err);
    lm_status st = LM_OK;
    *n = 0;
    for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
        if (!lm_batch_get_row(batch, r, row, ec->arena)) {
            st = lm_error_oom(ec->err);
            break;
        }
        bool keep;
        st = lm_eval_predicate(ec, cond, row, &keep);
        if (st == LM_OK && keep)
            sel[(*n)++] = r;
        if ((r & 255) == 255)
            lm_arena_free(ec->arena);
    }
    free(row);
    return st;
}

static lm_status filter_batch(filter_run *fr, lm_eval_ctx *ec, const lm_batch *batch,
                              lm_batch **out)
{
    int32_t sel_buf[LM_BATCH_ROWS];
    int32_t *sel = batch->nrows <= LM_BATCH_ROWS ? sel_buf
                                                 : malloc(sizeof *sel * ((size_t)batch->nrows + 1));
    if (sel == NULL)
        return lm_error_oom(ec->err);
    int32_t n = 0;
    lm_status st = fr->prog ? lm_vexpr_select(ec, fr->prog, batch, sel, &n) : LM_ERROR;
    if (fr->prog == NULL || (st != LM_OK && st != LM_ENOMEM)) {
        lm_error_clear(ec->err);
        st = select_rows(ec, fr->p->cond, batch, sel, &n);
    }
    *out = NULL;
    if (st == LM_OK && n > 0) {
        lm_batch *nb = exec_batch_alloc(batch->ncols, n);
        if (nb == NULL)
            st = lm_error_oom(ec->err);
        for (int c = 0; st == LM_OK && c < batch->ncols; c++) {
            if (!exec_needed(fr->need, c))
                nb->cols[c] = exec_placeholder(n);
            else if (n == batch->nrows)
                nb->cols[c] = lm_vector_ref(batch->cols[c]);
            else
                nb->cols[c] = exec_gather(batch->cols[c], sel, n);
            if (nb->cols[c] == NULL)
                st = lm_error_oom(ec->err);
        }
        if (st == LM_OK) {
            *out = nb;
        } else if (nb) {
            for (int c = 0; c < nb->ncols; c++)
                if (nb->cols[c] == NULL)
                    nb->cols[c] = exec_placeholder(0);
            lm_batch_free(nb);
        }
    }
    if (sel != sel_buf)
        free(sel);
    return st;
}

static lm_status filter_task(void *arg, int task, lm_eval_ctx *ec)
{
    filter_run *fr = arg;
    for (int b = fr->parts.first[task]; b < fr->parts.first[task + 1]; b++) {
        lm_status st = filter_batch(fr, ec, fr->in->batches[b], &fr->outs[b]);
        if (st != LM_OK)
            return st;
        lm_arena_free(ec->arena);
    }
    return LM_OK;
}

lm_status lm_op_filter_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                            lm_table **out)
{
    filter_run fr = {0};
    fr.p = p;
    fr.in = in;
    fr.need = need;
    bool vec = lm_vexpr_supported(p->cond), safe = exec_expr_thread_safe(p->cond);
    lm_status st = LM_OK;
    lm_table *t = lm_table_new(in->schema);
    fr.outs = calloc((size_t)in->nbatches + 1, sizeof *fr.outs);
    if (t == NULL || fr.outs == NULL ||
        !exec_partitions(in, vec && safe ? EXEC_TASK_ROWS : INT64_MAX, &fr.parts))
        st = lm_error_oom(x->err);
    if (st == LM_OK && vec) {
        lm_arena scratch;
        lm_arena_init(&scratch, 4096);
        lm_eval_ctx ec;
        lm_exec_eval_ctx(x, &ec, &scratch);
        if ((fr.prog = lm_vexpr_compile(&ec, p->cond)) == NULL)
            st = LM_ENOMEM;
        lm_arena_free(&scratch);
    }
    if (st == LM_OK)
        st = exec_run_tasks(x, fr.parts.n, vec && safe, filter_task, &fr);
    if (st == LM_OK && exec_table_take(t, fr.outs, in->nbatches) != LM_OK)
        st = lm_error_oom(x->err);
    for (int b = 0; fr.outs && b < in->nbatches; b++)
        lm_batch_free(fr.outs[b]);
    free(fr.outs);
    lm_vexpr_free(fr.prog);
    exec_parts_free(&fr.parts);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}

lm_status lm_op_filter(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    return lm_op_filter_cols(x, p, in, NULL, out);
}
