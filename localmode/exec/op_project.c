/*
 * PROJECT: evaluates the select list over each input batch. Plain column
 * references hand the input vector on (no copy); other expressions run as
 * batch kernels (expr/veval.h). Output columns nobody reads (see the need
 * mask in exec_batch.h) are placeholders. Batches are independent, so
 * tasks of a few batches run on the worker threads and the outputs are
 * put back in input order.
 *
 * A batch whose vectorized evaluation fails is redone row by row with the
 * interpreter, which raises the error the row path raises (or none, when
 * the failure came from evaluating a row the row path would skip).
 * Expressions the batch evaluator must not touch (subqueries,
 * nondeterministic calls) run row by row throughout, in one task.
 */
#include "exec.h"

#include <stdlib.h>

#include "exec/exec_batch.h"
#include "expr/veval.h"

typedef struct project_run {
    lm_exec *x;
    const lm_plan *p;
    const lm_table *in;
    const bool *need;
    lm_vexpr **progs;     /* NULL: row path */
    exec_parts parts;
    lm_batch **outs;      /* one per input batch */
} project_run;

/* The row interpreter over one batch: the reference semantics. */
static lm_status project_rows(lm_eval_ctx *ec, const lm_plan *p, const lm_batch *batch,
                              lm_batch **out)
{
    int nin = batch->ncols;
    lm_value *row = calloc((size_t)(nin + 1), sizeof *row);
    lm_value *res = calloc((size_t)(p->nexprs + 1), sizeof *res);
    lm_batch *nb = lm_batch_new(p->schema, batch->nrows);
    lm_status st = (row && res && nb) ? LM_OK : lm_error_oom(ec->err);
    for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
        if (!lm_batch_get_row(batch, r, row, ec->arena)) {
            st = lm_error_oom(ec->err);
            break;
        }
        for (int i = 0; st == LM_OK && i < p->nexprs; i++)
            st = lm_eval_expr(ec, p->exprs[i], row, &res[i]);
        if (st == LM_OK && lm_batch_append_row(nb, res) != LM_OK)
            st = lm_error_oom(ec->err);
        if ((r & 255) == 255)
            lm_arena_free(ec->arena);
    }
    free(row);
    free(res);
    if (st != LM_OK) {
        lm_batch_free(nb);
        return st;
    }
    *out = nb;
    return LM_OK;
}

static lm_status project_batch(project_run *pr, lm_eval_ctx *ec, const lm_batch *batch,
                               lm_batch **out)
{
    const lm_plan *p = pr->p;
    if (pr->progs == NULL)
        return project_rows(ec, p, batch, out);
    lm_batch *nb = exec_batch_alloc(p->nexprs, batch->nrows);
    if (nb == NULL)
        return lm_error_oom(ec->err);
    lm_status st = LM_OK;
    for (int i = 0; st == LM_OK && i < p->nexprs; i++) {
        if (!exec_needed(pr->need, i)) {
            nb->cols[i] = exec_placeholder(batch->nrows);
            if (nb->cols[i] == NULL)
                st = lm_error_oom(ec->err);
        } else {
            st = lm_vexpr_eval(ec, pr->progs[i], batch, &nb->cols[i]);
        }
    }
    if (st == LM_OK) {
        *out = nb;
        return LM_OK;
    }
    for (int i = 0; i < nb->ncols; i++)
        if (nb->cols[i] == NULL)
            nb->cols[i] = exec_placeholder(0);
    lm_batch_free(nb);
    if (st == LM_ENOMEM)
        return st;
    lm_error_clear(ec->err);
    return project_rows(ec, p, batch, out);
}

static lm_status project_task(void *arg, int task, lm_eval_ctx *ec)
{
    project_run *pr = arg;
    for (int b = pr->parts.first[task]; b < pr->parts.first[task + 1]; b++) {
        lm_status st = project_batch(pr, ec, pr->in->batches[b], &pr->outs[b]);
        if (st != LM_OK)
            return st;
        lm_arena_free(ec->arena);
    }
    return LM_OK;
}

lm_status lm_op_project_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                             lm_table **out)
{
    project_run pr = {0};
    pr.x = x;
    pr.p = p;
    pr.in = in;
    pr.need = need;
    bool vec = true, safe = true;
    for (int i = 0; i < p->nexprs; i++) {
        vec &= lm_vexpr_supported(p->exprs[i]);
        safe &= exec_expr_thread_safe(p->exprs[i]);
    }
    lm_status st = LM_OK;
    lm_table *t = lm_table_new(p->schema);
    pr.outs = calloc((size_t)in->nbatches + 1, sizeof *pr.outs);
    if (t == NULL || pr.outs == NULL ||
        !exec_partitions(in, vec && safe ? EXEC_TASK_ROWS : INT64_MAX, &pr.parts))
        st = lm_error_oom(x->err);
    if (st == LM_OK && vec) {
        pr.progs = calloc((size_t)p->nexprs + 1, sizeof *pr.progs);
        if (pr.progs == NULL)
            st = lm_error_oom(x->err);
        lm_arena scratch;
        lm_arena_init(&scratch, 4096);
        lm_eval_ctx ec;
        lm_exec_eval_ctx(x, &ec, &scratch);
        for (int i = 0; st == LM_OK && i < p->nexprs; i++)
            if ((pr.progs[i] = lm_vexpr_compile(&ec, p->exprs[i])) == NULL)
                st = LM_ENOMEM;
        lm_arena_free(&scratch);
    }
    if (st == LM_OK)
        st = exec_run_tasks(x, pr.parts.n, vec && safe, project_task, &pr);
    if (st == LM_OK && exec_table_take(t, pr.outs, in->nbatches) != LM_OK)
        st = lm_error_oom(x->err);
    for (int b = 0; pr.outs && b < in->nbatches; b++)
        lm_batch_free(pr.outs[b]);
    free(pr.outs);
    for (int i = 0; pr.progs && i < p->nexprs; i++)
        lm_vexpr_free(pr.progs[i]);
    free(pr.progs);
    exec_parts_free(&pr.parts);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}

lm_status lm_op_project(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    return lm_op_project_cols(x, p, in, NULL, out);
}
