/*
 * SORT: a stable sort of all input rows by the sort keys (ties keep input
 * order, so results are deterministic), and its ORDER BY ... LIMIT n form,
 * top-N, which keeps the n first rows of that same order in a bounded
 * heap instead of sorting everything.
 *
 * Keys are evaluated per batch as vectors (expr/veval.h) and compared by
 * type (int64, double with Spark's NaN and -0.0 ordering, bytes for
 * strings, lm_value_compare for the rest); rows are sorted as (batch, row)
 * references with the input position as the last key, and the output is
 * gathered column by column from those references.
 */
#include "exec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec_batch.h"
#include "exec/key_kind.h"
#include "expr/veval.h"

typedef struct sort_key {
    exec_key_kind kind;
    const lm_type *type;
    bool desc, nulls_first;
    lm_vector **vecs;      /* per input batch */
} sort_key;

typedef struct sort_ctx {
    int nkeys;
    sort_key *keys;
    const int64_t *base;   /* first global row index of each batch */
    lm_arena *arena;       /* lm_vector_get of nested values */
} sort_ctx;


/* Spark's ordering of two rows; the input position breaks ties. */
static int cmp_refs(const sort_ctx *c, exec_rowref a, exec_rowref b)
{
    for (int k = 0; k < c->nkeys; k++) {
        const sort_key *sk = &c->keys[k];
        const lm_vector *va = sk->vecs[a.batch], *vb = sk->vecs[b.batch];
        bool na = lm_vector_is_null(va, a.row), nb = lm_vector_is_null(vb, b.row);
        if (na || nb) {
            if (na && nb)
                continue;
            /* nulls keep their requested place whatever the direction */
            return (na == sk->nulls_first) ? -1 : 1;
        }
        int r;
        switch (sk->kind) {
        case EXEC_KEY_I64:
        case EXEC_KEY_F64:
        case EXEC_KEY_STR:
            r = exec_key_cmp(sk->kind, va, a.row, vb, b.row);
            break;
        default: {
            lm_value x, y;
            lm_vector_get(va, a.row, &x, c->arena);
            lm_vector_get(vb, b.row, &y, c->arena);
            r = lm_value_compare(sk->type, &x, &y);
            break;
        }
        }
        if (r != 0)
            return sk->desc ? -r : r;
    }
    int64_t pa = c->base[a.batch] + a.row, pb = c->base[b.batch] + b.row;
    return (pa > pb) - (pa < pb);
}

/* Bottom-up merge sort: stable and no global comparator context. */
static void merge_sort(const sort_ctx *c, exec_rowref *v, exec_rowref *tmp, int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp_refs(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, sizeof *v * (size_t)n);
    }
}

/* Evaluates the sort keys of every batch. */
static lm_status eval_keys(lm_exec *x, const lm_plan *p, const lm_table *in, sort_ctx *c,
                           lm_arena *scratch)
{
    c->nkeys = p->nexprs;
    c->keys = calloc((size_t)p->nexprs + 1, sizeof *c->keys);
    if (c->keys == NULL)
        return lm_error_oom(x->err);
    for (int k = 0; k < p->nexprs; k++) {
        const lm_expr *se = p->exprs[k], *ke = se->args[0];
        sort_key *sk = &c->keys[k];
        sk->type = ke->type;
        sk->kind = exec_key_kind_of(ke->type);
        sk->desc = (se->flags & LM_SORT_DESC) != 0;
        sk->nulls_first = (se->flags & LM_SORT_NULLS_FIRST) != 0;
        sk->vecs = calloc((size_t)in->nbatches + 1, sizeof *sk->vecs);
        if (sk->vecs == NULL)
            return lm_error_oom(x->err);
        lm_status st = exec_eval_column(x, ke, in, sk->vecs, scratch);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static void free_keys(sort_ctx *c, int nbatches)
{
    for (int k = 0; c->keys && k < c->nkeys; k++) {
        for (int b = 0; c->keys[k].vecs && b < nbatches; b++)
            lm_vector_free(c->keys[k].vecs[b]);
        free(c->keys[k].vecs);
    }
    free(c->keys);
}

/* Output rows in the order of refs, column by column. */
static lm_status gather_output(lm_exec *x, const lm_table *in, const exec_rowref *refs, int64_t n,
                               lm_table **out)
{
    lm_table *t = lm_table_new(in->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    int nc = in->schema->nfields;
    for (int64_t lo = 0; lo < n; lo += LM_BATCH_ROWS) {
        int32_t m = (int32_t)(n - lo < LM_BATCH_ROWS ? n - lo : LM_BATCH_ROWS);
        lm_batch *b = exec_batch_alloc(nc, m);
        bool ok = b != NULL;
        for (int c = 0; ok && c < nc; c++) {
            b->cols[c] = exec_gather_refs(in, c, in->schema->fields[c].type, refs + lo, m);
            ok = b->cols[c] != NULL;
        }
        if (!ok || lm_table_append_batch(t, b) != LM_OK) {
            for (int c = 0; b && c < nc; c++)
                if (b->cols[c] == NULL)
                    b->cols[c] = exec_placeholder(0);
            lm_batch_free(b);
            lm_table_unref(t);
            return lm_error_oom(x->err);
        }
    }
    *out = t;
    return LM_OK;
}

static int64_t *batch_bases(const lm_table *in)
{
    int64_t *base = calloc((size_t)in->nbatches + 1, sizeof *base);
    for (int b = 0; base && b < in->nbatches; b++)
        base[b + 1] = base[b] + in->batches[b]->nrows;
    return base;
}

lm_status lm_op_sort(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    return lm_op_sort_topn(x, p, in, -1, out);
}

/* Max-heap on cmp_refs: the worst kept row sits at the root. */
static void sift_down(const sort_ctx *c, exec_rowref *h, int64_t n, int64_t i)
{
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && cmp_refs(c, h[l], h[m]) > 0)
            m = l;
        if (r < n && cmp_refs(c, h[r], h[m]) > 0)
            m = r;
        if (m == i)
            return;
        exec_rowref t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(const sort_ctx *c, exec_rowref *h, int64_t i)
{
    while (i > 0) {
        int64_t parent = (i - 1) / 2;
        if (cmp_refs(c, h[i], h[parent]) <= 0)
            return;
        exec_rowref t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

lm_status lm_op_sort_topn(lm_exec *x, const lm_plan *sort, lm_table *in, int64_t limit,
                          lm_table **out)
{
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    sort_ctx c = {0};
    int64_t *base = batch_bases(in);
    c.base = base;
    c.arena = &scratch;
    lm_status st = base ? eval_keys(x, sort, in, &c, &scratch) : lm_error_oom(x->err);
    int64_t total = base ? base[in->nbatches] : 0;
    bool topn = limit >= 0 && limit < total;
    int64_t cap = topn ? limit : total;
    exec_rowref *refs = st == LM_OK ? malloc(sizeof *refs * ((size_t)cap + 1)) : NULL;
    exec_rowref *tmp = st == LM_OK && !topn ? malloc(sizeof *tmp * ((size_t)cap + 1)) : NULL;
    if (st == LM_OK && (refs == NULL || (!topn && tmp == NULL)))
        st = lm_error_oom(x->err);
    int64_t n = 0;
    if (st == LM_OK && topn) {
        for (int b = 0; b < in->nbatches && limit > 0; b++) {
            for (int32_t r = 0; r < in->batches[b]->nrows; r++) {
                exec_rowref ref = {b, r};
                if (n < limit) {
                    refs[n] = ref;
                    sift_up(&c, refs, n++);
                } else if (cmp_refs(&c, ref, refs[0]) < 0) {
                    refs[0] = ref;
                    sift_down(&c, refs, n, 0);
                }
            }
            lm_arena_free(&scratch);
        }
        tmp = malloc(sizeof *tmp * ((size_t)n + 1));
        if (tmp == NULL)
            st = lm_error_oom(x->err);
    } else if (st == LM_OK) {
        for (int b = 0; b < in->nbatches; b++)
            for (int32_t r = 0; r < in->batches[b]->nrows; r++)
                refs[n++] = (exec_rowref){b, r};
    }
    if (st == LM_OK) {
        merge_sort(&c, refs, tmp, n);
        if (limit >= 0 && n > limit)
            n = limit;
        st = gather_output(x, in, refs, n, out);
    }
    free(refs);
    free(tmp);
    free_keys(&c, in->nbatches);
    free(base);
    lm_arena_free(&scratch);
    return st;
}
