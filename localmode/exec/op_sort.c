/*
 * SORT: a stable sort of all input rows by the sort keys (ties keep input
 * order, so results are deterministic).
 */
#include "exec.h"

#include <stdlib.h>

typedef struct sort_row {
    lm_value *vals;   /* the row */
    lm_value *keys;   /* evaluated sort keys */
    int64_t seq;
} sort_row;

typedef struct sort_spec {
    int nkeys;
    lm_expr **keys;
} sort_spec;

static _Thread_local const sort_spec *current;

static int cmp_rows(const void *x, const void *y)
{
    const sort_row *a = x, *b = y;
    for (int i = 0; i < current->nkeys; i++) {
        const lm_expr *k = current->keys[i];
        bool desc = (k->flags & LM_SORT_DESC) != 0;
        bool nulls_first = (k->flags & LM_SORT_NULLS_FIRST) != 0;
        int c = lm_value_compare_nulls(k->args[0]->type, &a->keys[i], &b->keys[i], nulls_first);
        if (c != 0) {
            /* nulls keep their requested place when descending */
            if (desc && !a->keys[i].is_null && !b->keys[i].is_null)
                c = -c;
            return c;
        }
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

lm_status lm_op_sort(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    lm_arena rows;
    lm_arena_init(&rows, 256 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &rows);
    int nin = in->schema->nfields;
    sort_row *all = calloc((size_t)(in->nrows + 1), sizeof *all);
    lm_status st = all ? LM_OK : lm_error_oom(x->err);
    int64_t n = 0;
    for (int b = 0; st == LM_OK && b < in->nbatches; b++) {
        const lm_batch *batch = in->batches[b];
        for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
            sort_row *sr = &all[n];
            sr->vals = lm_arena_alloc(&rows, sizeof(lm_value) * (size_t)(nin + 1));
            sr->keys = lm_arena_alloc(&rows, sizeof(lm_value) * (size_t)(p->nexprs + 1));
            if (sr->vals == NULL || sr->keys == NULL ||
                !lm_batch_get_row(batch, r, sr->vals, &rows)) {
                st = lm_error_oom(x->err);
                break;
            }
            for (int k = 0; st == LM_OK && k < p->nexprs; k++)
                st = lm_eval_expr(&ec, p->exprs[k]->args[0], sr->vals, &sr->keys[k]);
            sr->seq = n++;
        }
    }
    if (st == LM_OK) {
        sort_spec spec = {p->nexprs, p->exprs};
        current = &spec;
        qsort(all, (size_t)n, sizeof *all, cmp_rows);
        current = NULL;
    }
    lm_table *t = st == LM_OK ? lm_table_new(in->schema) : NULL;
    if (st == LM_OK && t == NULL)
        st = lm_error_oom(x->err);
    for (int64_t i = 0; st == LM_OK && i < n; i++)
        if (lm_table_append_row(t, all[i].vals) != LM_OK)
            st = lm_error_oom(x->err);
    free(all);
    lm_arena_free(&rows);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}

lm_status lm_op_sort_topn(lm_exec *x, const lm_plan *sort, lm_table *in, int64_t n,
                          lm_table **out)
{
    lm_table *s = NULL;
    lm_status st = lm_op_sort(x, sort, in, &s);
    if (st != LM_OK)
        return st;
    lm_plan lim = {0};
    lm_expr cnt = {0};
    cnt.value = lm_value_i64(n);
    lim.kind = LM_PLAN_LIMIT;
    lim.cond = &cnt;
    st = lm_op_limit(x, &lim, s, out);
    lm_table_unref(s);
    return st;
}
