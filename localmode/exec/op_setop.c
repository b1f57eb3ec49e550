/*
 * UNION / INTERSECT / EXCEPT, with ALL (multiset) or DISTINCT semantics.
 * Rows compare with grouping equality (NULLs equal, NaN equal).
 */
#include "exec.h"

#include <stdlib.h>

#include "exec/rowset.h"

static lm_status scan(lm_exec *x, lm_table *t, lm_arena *a, lm_value *row,
                      lm_status (*fn)(void *, const lm_value *), void *arg)
{
    for (int b = 0; b < t->nbatches; b++) {
        for (int32_t r = 0; r < t->batches[b]->nrows; r++) {
            if (!lm_batch_get_row(t->batches[b], r, row, a))
                return lm_error_oom(x->err);
            lm_status st = fn(arg, row);
            if (st != LM_OK)
                return st;
        }
        lm_arena_free(a);
    }
    return LM_OK;
}

typedef struct setop_run {
    lm_exec *x;
    lm_rowset set;
    int64_t *left_count;   /* per distinct row */
    int64_t *right_count;
    int64_t cap;
    bool right_side;
} setop_run;

static lm_status count_row(void *arg, const lm_value *row)
{
    setop_run *s = arg;
    int64_t idx;
    bool inserted;
    if (s->right_side) {
        idx = lm_rowset_find(&s->set, row);
        if (idx >= 0)
            s->right_count[idx]++;
        return LM_OK;
    }
    if (!lm_rowset_upsert(&s->set, row, &idx, &inserted))
        return lm_error_oom(s->x->err);
    if (idx >= s->cap) {
        int64_t nc = s->cap ? s->cap * 2 : 64;
        int64_t *a = realloc(s->left_count, sizeof *a * (size_t)nc);
        if (a == NULL)
            return lm_error_oom(s->x->err);
        s->left_count = a;
        int64_t *b = realloc(s->right_count, sizeof *b * (size_t)nc);
        if (b == NULL)
            return lm_error_oom(s->x->err);
        s->right_count = b;
        for (int64_t i = s->cap; i < nc; i++)
            s->left_count[i] = s->right_count[i] = 0;
        s->cap = nc;
    }
    s->left_count[idx]++;
    return LM_OK;
}

typedef struct append_ctx {
    lm_exec *x;
    lm_table *t;
} append_ctx;

static lm_status append_row(void *arg, const lm_value *row)
{
    append_ctx *c = arg;
    return lm_table_append_row(c->t, row) == LM_OK ? LM_OK : lm_error_oom(c->x->err);
}

lm_status lm_op_setop(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out)
{
    int w = p->schema->nfields;
    lm_table *t = lm_table_new(p->schema);
    lm_value *row = calloc((size_t)(w + 1), sizeof *row);
    lm_type **types = calloc((size_t)(w + 1), sizeof *types);
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_status st = (t && row && types) ? LM_OK : lm_error_oom(x->err);
    for (int i = 0; st == LM_OK && i < w; i++)
        types[i] = p->schema->fields[i].type;
    if (st == LM_OK && p->setop == LM_SETOP_UNION && p->all) {
        append_ctx c = {x, t};
        st = scan(x, l, &scratch, row, append_row, &c);
        if (st == LM_OK)
            st = scan(x, r, &scratch, row, append_row, &c);
    } else if (st == LM_OK) {
        setop_run s = {0};
        s.x = x;
        lm_rowset_init(&s.set, w, types);
        st = scan(x, l, &scratch, row, count_row, &s);
        if (st == LM_OK && p->setop == LM_SETOP_UNION) {
            /* the right side's new rows join the set too */
            st = scan(x, r, &scratch, row, count_row, &s);
        } else if (st == LM_OK) {
            s.right_side = true;
            st = scan(x, r, &scratch, row, count_row, &s);
        }
        for (int64_t i = 0; st == LM_OK && i < s.set.count; i++) {
            int64_t lc = s.left_count[i], rc = s.right_count[i], times;
            switch (p->setop) {
            case LM_SETOP_UNION:
                times = 1;
                break;
            case LM_SETOP_INTERSECT:
                times = p->all ? (lc < rc ? lc : rc) : (rc > 0 ? 1 : 0);
                break;
            default:
                times = p->all ? (lc > rc ? lc - rc : 0) : (rc == 0 ? 1 : 0);
                break;
            }
            for (int64_t k = 0; k < times && st == LM_OK; k++)
                if (lm_table_append_row(t, s.set.rows[i]) != LM_OK)
                    st = lm_error_oom(x->err);
        }
        free(s.left_count);
        free(s.right_count);
        lm_rowset_free(&s.set);
    }
    free(row);
    free(types);
    lm_arena_free(&scratch);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
