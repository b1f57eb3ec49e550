/*
 * JOIN. Output order, whatever the algorithm: left rows in order, each
 * followed by its matches in right order; unmatched right rows of
 * right/full joins come last, in right order.
 *
 * Equi-joins (the condition has conjuncts `left.col = right.col`) build a
 * hash table on the right input: one chain per hash slot, in right order,
 * keys read straight from the column vectors. Left batches probe it (in
 * tasks on the worker threads when the condition is thread-safe and no
 * right row needs to remember it matched), the remaining conjuncts are
 * evaluated on the candidate pairs only, and the output columns are
 * gathered from the left batch and the right table; columns nobody reads
 * become placeholders. Other joins use nested loops over rows.
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

static lm_status join_nested(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out)
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

/* ------------------------------------------------------------ hash join */

#include <math.h>
#include <stdatomic.h>

#include "exec/chaos.h"
#include "exec/exec_batch.h"
#include "exec/key_kind.h"
#include "expr/func.h"

typedef struct hjoin {
    lm_exec *x;
    const lm_plan *p;
    const lm_table *L, *R;
    const bool *need;
    int nl, nr;
    int nkeys;
    int *lkey, *rkey;          /* column ordinals on each side */
    exec_key_kind *kind;
    const lm_type **ktype;
    int nresid;
    const lm_expr **resid;     /* conjuncts left for candidate pairs */
    /* build side */
    int64_t nrows;
    exec_rowref *rows;         /* right rows by index */
    uint64_t *rhash;
    uint8_t *rnull;            /* right rows with a NULL key */
    int64_t *head, *next;      /* chains: index + 1, 0 ends */
    uint64_t mask;
    /* set by every probe task that matches the right row: atomic, since
       tasks of different left batches may match the same row at once */
    atomic_bool *rmatched;
    bool track_matched;        /* RIGHT / FULL: rmatched is needed */
    int64_t *rkey_i64;         /* one integral key: the right rows' keys */
    /* one integral key over a small range: chains start at dhead[key -
       dmin] (index + 1), no hashing on either side */
    int64_t *dhead;
    int64_t dmin, drange;
    bool unique;               /* direct chains of one row each (unique right keys) */
    /* probe */
    exec_parts parts;
    lm_batch **outs;           /* one per left batch */
} hjoin;

static inline double vget_f64(const lm_vector *v, int32_t i)
{
    return exec_key_double(exec_vector_f64(v, i));
}

static uint64_t key_hash(const hjoin *hj, int k, const lm_vector *v, int32_t i, uint64_t h,
                         lm_arena *a)
{
    uint64_t x;
    switch (hj->kind[k]) {
    case EXEC_KEY_I64: x = lm_mix64((uint64_t)exec_vector_i64(v, i) + 0x632be59bd9b4e019ULL); break;
    case EXEC_KEY_F64: {
        double d = vget_f64(v, i);
        memcpy(&x, &d, sizeof x);
        x = lm_mix64(x);
        break;
    }
    case EXEC_KEY_STR: {
        const int32_t *off = v->data;
        const char *p = v->heap + off[i];
        int32_t n = off[i + 1] - off[i];
        x = 0xcbf29ce484222325ULL ^ (uint64_t)n;
        int32_t j = 0;
        for (; j + 8 <= n; j += 8) {
            uint64_t w;
            memcpy(&w, p + j, 8);
            x = lm_mix64(x ^ w);
        }
        uint64_t t = 0;
        for (int q = 0; j + q < n; q++)
            t |= (uint64_t)(unsigned char)p[j + q] << (8 * q);
        x = lm_mix64(x ^ t);
        break;
    }
    default: {
        lm_value val;
        lm_vector_get(v, i, &val, a);
        x = lm_value_hash(hj->ktype[k], &val, 0);
        break;
    }
    }
    return lm_mix64(h * 31 + x);
}

/* Hashes key k of rows [0, n) of v into h, column at a time (the same
   values key_hash gives); null[i] is set for NULL keys. */
static void hash_rows(const hjoin *hj, int k, const lm_vector *v, int32_t n, uint64_t *h,
                      uint8_t *null, lm_arena *a)
{
    if (hj->kind[k] == EXEC_KEY_I64 && v->type->id != LM_TYPE_NULL) {
        for (int32_t i = 0; i < n; i++) {
            bool nl = lm_vector_is_null(v, i);
            null[i] |= nl;
            uint64_t x = lm_mix64((uint64_t)(nl ? 0 : exec_vector_i64(v, i)) + 0x632be59bd9b4e019ULL);
            h[i] = lm_mix64((k ? h[i] : 0) * 31 + x);
        }
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        bool nl = lm_vector_is_null(v, i);
        null[i] |= nl;
        h[i] = nl ? 0 : key_hash(hj, k, v, i, k ? h[i] : 0, a);
    }
}

/* SQL `=` on two non-null keys (NaN = NaN and -0.0 = 0.0, as Spark). */
static bool key_equal(const hjoin *hj, int k, const lm_vector *a, int32_t i, const lm_vector *b,
                      int32_t j, lm_arena *ar)
{
    switch (hj->kind[k]) {
    case EXEC_KEY_I64: return exec_vector_i64(a, i) == exec_vector_i64(b, j);
    case EXEC_KEY_F64: {
        double x = vget_f64(a, i), y = vget_f64(b, j);
        return x == y || (isnan(x) && isnan(y));
    }
    case EXEC_KEY_STR: {
        const int32_t *oa = a->data, *ob = b->data;
        int32_t la = oa[i + 1] - oa[i], lb = ob[j + 1] - ob[j];
        return la == lb && (la == 0 || memcmp(a->heap + oa[i], b->heap + ob[j], (size_t)la) == 0);
    }
    default: {
        lm_value x, y;
        lm_vector_get(a, i, &x, ar);
        lm_vector_get(b, j, &y, ar);
        return lm_value_compare(hj->ktype[k], &x, &y) == 0;
    }
    }
}

static void collect_conjuncts(const lm_expr *e, const lm_expr **out, int *n, int cap)
{
    if (e->kind == LM_EXPR_CALL && e->fn && !strcmp(e->fn->name, "and") && e->nargs == 2) {
        collect_conjuncts(e->args[0], out, n, cap);
        collect_conjuncts(e->args[1], out, n, cap);
    } else if (*n < cap) {
        out[(*n)++] = e;
    }
}

/* Splits the condition into equi-join keys and residual conjuncts; false
   when there is no key (nested loops then). */
static bool plan_keys(hjoin *hj)
{
    const lm_expr *conj[64];
    int n = 0;
    collect_conjuncts(hj->p->cond, conj, &n, 64);
    if (n >= 64)
        return false;
    hj->lkey = calloc((size_t)n + 1, sizeof *hj->lkey);
    hj->rkey = calloc((size_t)n + 1, sizeof *hj->rkey);
    hj->kind = calloc((size_t)n + 1, sizeof *hj->kind);
    hj->ktype = calloc((size_t)n + 1, sizeof *hj->ktype);
    hj->resid = calloc((size_t)n + 1, sizeof *hj->resid);
    if (!hj->lkey || !hj->rkey || !hj->kind || !hj->ktype || !hj->resid)
        return false;
    for (int i = 0; i < n; i++) {
        const lm_expr *e = conj[i];
        bool key = e->kind == LM_EXPR_CALL && e->fn && e->nargs == 2 &&
                   (!strcmp(e->fn->name, "=") || !strcmp(e->fn->name, "==")) &&
                   e->args[0]->kind == LM_EXPR_BOUND && e->args[1]->kind == LM_EXPR_BOUND &&
                   lm_type_equal(e->args[0]->type, e->args[1]->type);
        if (key) {
            int a = e->args[0]->ordinal, b = e->args[1]->ordinal;
            if (a >= hj->nl && b < hj->nl) {
                int t = a;
                a = b;
                b = t;
            }
            key = a < hj->nl && b >= hj->nl && b < hj->nl + hj->nr;
            if (key) {
                hj->lkey[hj->nkeys] = a;
                hj->rkey[hj->nkeys] = b - hj->nl;
                hj->ktype[hj->nkeys] = e->args[0]->type;
                hj->kind[hj->nkeys] = exec_key_kind_of(e->args[0]->type);
                hj->nkeys++;
                continue;
            }
        }
        hj->resid[hj->nresid++] = e;
    }
    return hj->nkeys > 0;
}

/* Whether the right keys (rkey_i64) span a range small enough to index
   chains directly: a few slots per row at most. */
static bool direct_range(hjoin *hj)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t j = 0; j < hj->nrows; j++)
        if (!hj->rnull[j]) {
            lo = hj->rkey_i64[j] < lo ? hj->rkey_i64[j] : lo;
            hi = hj->rkey_i64[j] > hi ? hj->rkey_i64[j] : hi;
        }
    if (lo > hi)
        return false;
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t limit = 4 * (uint64_t)hj->nrows > 4096 ? 4 * (uint64_t)hj->nrows : 4096;
    if (span >= limit || span >= (1u << 26))
        return false;
    hj->dmin = lo;
    hj->drange = (int64_t)span + 1;
    return true;
}

static lm_status build(hjoin *hj)
{
    const lm_table *R = hj->R;
    hj->nrows = R->nrows;
    int64_t nslots = 16;
    while (nslots < 2 * hj->nrows)
        nslots *= 2;
    hj->mask = (uint64_t)nslots - 1;
    hj->rows = malloc(sizeof *hj->rows * ((size_t)hj->nrows + 1));
    hj->rhash = malloc(sizeof *hj->rhash * ((size_t)hj->nrows + 1));
    hj->next = calloc((size_t)hj->nrows + 1, sizeof *hj->next);
    hj->head = calloc((size_t)nslots, sizeof *hj->head);
    hj->rmatched = calloc((size_t)hj->nrows + 1, sizeof *hj->rmatched);
    hj->rnull = calloc((size_t)hj->nrows + 1, 1);
    if (!hj->rows || !hj->rhash || !hj->next || !hj->head || !hj->rmatched || !hj->rnull)
        return lm_error_oom(hj->x->err);
    lm_arena a;
    lm_arena_init(&a, 4096);
    int64_t idx = 0;
    for (int b = 0; b < R->nbatches; b++) {
        const lm_batch *rb = R->batches[b];
        uint64_t *h = malloc(sizeof *h * ((size_t)rb->nrows + 1));
        uint8_t *null = calloc((size_t)rb->nrows + 1, 1);
        if (h == NULL || null == NULL) {
            free(h);
            free(null);
            lm_arena_free(&a);
            return lm_error_oom(hj->x->err);
        }
        for (int k = 0; k < hj->nkeys; k++)
            hash_rows(hj, k, rb->cols[hj->rkey[k]], rb->nrows, h, null, &a);
        for (int32_t r = 0; r < rb->nrows; r++, idx++) {
            hj->rows[idx] = (exec_rowref){b, r};
            hj->rhash[idx] = h[r];
            hj->rnull[idx] = null[r];
        }
        free(h);
        free(null);
        lm_arena_free(&a);
    }
    /* one integral key: the keys in one flat array, compared in place of
       the hashes (a probe then touches one array fewer) */
    if (hj->nkeys == 1 && hj->kind[0] == EXEC_KEY_I64) {
        hj->rkey_i64 = malloc(sizeof *hj->rkey_i64 * ((size_t)hj->nrows + 1));
        if (hj->rkey_i64 == NULL) {
            lm_arena_free(&a);
            return lm_error_oom(hj->x->err);
        }
        for (int64_t j = 0; j < hj->nrows; j++) {
            const lm_vector *v = R->batches[hj->rows[j].batch]->cols[hj->rkey[0]];
            hj->rkey_i64[j] = hj->rnull[j] ? 0 : exec_vector_i64(v, hj->rows[j].row);
        }
    }
    if (hj->rkey_i64 && direct_range(hj)) {
        hj->dhead = calloc((size_t)hj->drange + 1, sizeof *hj->dhead);
        if (hj->dhead == NULL) {
            lm_arena_free(&a);
            return lm_error_oom(hj->x->err);
        }
        for (int64_t i = hj->nrows - 1; i >= 0; i--) {
            if (hj->rnull[i])
                continue;
            int64_t *head = &hj->dhead[hj->rkey_i64[i] - hj->dmin];
            hj->next[i] = *head;
            *head = i + 1;
        }
        hj->unique = hj->nrows > 0;
        for (int64_t i = 0; hj->unique && i < hj->nrows; i++)
            hj->unique = hj->next[i] == 0;
        lm_arena_free(&a);
        return LM_OK;
    }
    /* chains in right order: link from the last row back */
    for (int64_t i = hj->nrows - 1; i >= 0; i--) {
        if (hj->rnull[i])
            continue; /* a NULL key matches nothing */
        uint64_t s = hj->rhash[i] & hj->mask;
        hj->next[i] = hj->head[s];
        hj->head[s] = i + 1;
    }
    lm_arena_free(&a);
    return LM_OK;
}

/* Residual conjuncts on one candidate pair, through the row interpreter. */
static lm_status residual(hjoin *hj, lm_eval_ctx *ec, const lm_batch *lb, int32_t i,
                          exec_rowref rr, lm_value *row, bool *ok)
{
    *ok = true;
    if (hj->nresid == 0)
        return LM_OK;
    if (!lm_batch_get_row(lb, i, row, ec->arena) ||
        !lm_batch_get_row(hj->R->batches[rr.batch], rr.row, row + hj->nl, ec->arena))
        return lm_error_oom(ec->err);
    for (int k = 0; k < hj->nresid && *ok; k++) {
        lm_status st = lm_eval_predicate(ec, hj->resid[k], row, ok);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

typedef struct pairs {
    int64_t n, cap;
    int32_t *l;
    exec_rowref *r;
} pairs;

static bool pairs_grow(pairs *p)
{
    {
        int64_t nc = p->cap ? p->cap * 2 : 1024;
        int32_t *nl = realloc(p->l, sizeof *nl * (size_t)nc);
        if (nl == NULL)
            return false;
        p->l = nl;
        exec_rowref *nr = realloc(p->r, sizeof *nr * (size_t)nc);
        if (nr == NULL)
            return false;
        p->r = nr;
        p->cap = nc;
    }
    return true;
}

static inline bool pairs_push(pairs *p, int32_t l, exec_rowref r)
{
    if (p->n == p->cap && !pairs_grow(p))
        return false;
    p->l[p->n] = l;
    p->r[p->n] = r;
    p->n++;
    return true;
}

/* An inner join's probe when every right key is unique: at most one
   match per left row, so room for n pairs is made once and the loop has
   no branch on the match (a row that matches nothing is written and not
   counted). The left keys have no NULL. */
static bool probe_unique(hjoin *hj, const int64_t *key, int32_t n, pairs *pr)
{
    while (pr->cap < pr->n + n)
        if (!pairs_grow(pr))
            return false;
    const int64_t *dhead = hj->dhead;
    const exec_rowref *rrefs = hj->rows;
    uint64_t dmin = (uint64_t)hj->dmin, drange = (uint64_t)hj->drange;
    int32_t *pl = pr->l;
    exec_rowref *prr = pr->r;
    int64_t m = pr->n;
    for (int32_t i = 0; i < n; i++) {
        uint64_t at = (uint64_t)key[i] - dmin;
        int64_t e = at < drange ? dhead[at] : 0;
        pl[m] = i;
        prr[m] = rrefs[e > 0 ? e - 1 : 0];
        m += e != 0;
    }
    pr->n = m;
    return true;
}

/* The probe of a batch through direct chains (one integral key of a small
   range, no residual conjunct): keys read once per batch, no hashing. */
static bool probe_direct(hjoin *hj, const lm_batch *lb, pairs *pr, bool semi, bool anti,
                         bool keep_unmatched)
{
    const lm_vector *kv = lb->cols[hj->lkey[0]];
    int32_t n = lb->nrows;
    int64_t *key = malloc(sizeof *key * ((size_t)n + 1));
    uint8_t *valid = malloc((size_t)n + 1);
    bool ok = key != NULL && valid != NULL;
    bool no_nulls = lm_vector_no_nulls(kv);
    if (ok && no_nulls && (kv->type->id == LM_TYPE_INT || kv->type->id == LM_TYPE_DATE) &&
        hj->unique && !semi && !anti && !keep_unmatched && !hj->track_matched) {
        for (int32_t i = 0; i < n; i++)
            key[i] = ((const int32_t *)kv->data)[i];
        ok = probe_unique(hj, key, n, pr);
        free(key);
        free(valid);
        return ok;
    }
    if (ok) {
        lm_vector_valid_bytes(kv, n, valid);
        if (kv->type->id == LM_TYPE_INT || kv->type->id == LM_TYPE_DATE)
            for (int32_t i = 0; i < n; i++)
                key[i] = ((const int32_t *)kv->data)[i];
        else
            for (int32_t i = 0; i < n; i++)
                key[i] = valid[i] ? exec_vector_i64(kv, i) : 0;
    }
    const exec_rowref none = {0, -1};
    /* the table's arrays in locals: the stores into the pairs could
       otherwise alias them and force a reload per row */
    const int64_t *dhead = hj->dhead, *next = hj->next;
    const exec_rowref *rrefs = hj->rows;
    uint64_t dmin = (uint64_t)hj->dmin, drange = (uint64_t)hj->drange;
    bool track = hj->track_matched;
    atomic_bool *matched = hj->rmatched;
    for (int32_t i = 0; ok && i < n; i++) {
        int64_t e = 0;
        uint64_t at = (uint64_t)key[i] - dmin;
        if (valid[i] && at < drange)
            e = dhead[at];
        if (semi || anti) {
            if ((e != 0) == semi)
                ok = pairs_push(pr, i, none);
            if (e != 0 && track)
                atomic_store_explicit(&matched[e - 1], true, memory_order_relaxed);
            continue;
        }
        if (e == 0) {
            if (keep_unmatched)
                ok = pairs_push(pr, i, none);
            continue;
        }
        int64_t m = pr->n;
        int32_t *pl = pr->l;
        exec_rowref *prr = pr->r;
        do {
            if (m == pr->cap) {
                pr->n = m;
                if (!pairs_grow(pr)) {
                    ok = false;
                    break;
                }
                pl = pr->l;
                prr = pr->r;
            }
            pl[m] = i;
            prr[m] = rrefs[e - 1];
            m++;
            if (track)
                atomic_store_explicit(&matched[e - 1], true, memory_order_relaxed);
            e = next[e - 1];
        } while (e);
        pr->n = m;
    }
    free(key);
    free(valid);
    return ok;
}

static lm_status emit_pairs(hjoin *hj, lm_eval_ctx *ec, const lm_batch *lb, const pairs *pr,
                            bool left_only, lm_batch **out)
{
    int32_t m = (int32_t)pr->n;
    *out = NULL;
    if (m == 0)
        return LM_OK;
    int nc = left_only ? hj->nl : hj->nl + hj->nr;
    lm_batch *b = exec_batch_alloc(nc, m);
    if (b == NULL)
        return lm_error_oom(ec->err);
    bool ok = true;
    for (int c = 0; ok && c < nc; c++) {
        if (!exec_needed(hj->need, c))
            b->cols[c] = exec_placeholder(m);
        else if (c < hj->nl)
            b->cols[c] = m == lb->nrows && left_only ? lm_vector_ref(lb->cols[c])
                                                     : exec_gather(lb->cols[c], pr->l, m);
        else
            b->cols[c] = exec_gather_refs(hj->R, c - hj->nl, hj->R->schema->fields[c - hj->nl].type,
                                          pr->r, m);
        ok = b->cols[c] != NULL;
    }
    if (!ok) {
        for (int c = 0; c < nc; c++)
            if (b->cols[c] == NULL)
                b->cols[c] = exec_placeholder(0);
        lm_batch_free(b);
        return lm_error_oom(ec->err);
    }
    *out = b;
    return LM_OK;
}

static lm_status probe_batch(hjoin *hj, lm_eval_ctx *ec, const lm_batch *lb, lm_batch **out)
{
    lm_join_type jt = hj->p->join_type;
    bool semi = jt == LM_JOIN_LEFT_SEMI, anti = jt == LM_JOIN_LEFT_ANTI;
    bool keep_unmatched = jt == LM_JOIN_LEFT || jt == LM_JOIN_FULL;
    pairs pr = {0};
    lm_value *row = calloc((size_t)(hj->nl + hj->nr) + 1, sizeof *row);
    uint64_t *hs = malloc(sizeof *hs * ((size_t)lb->nrows + 1));
    uint8_t *nulls = calloc((size_t)lb->nrows + 1, 1);
    lm_status st = row && hs && nulls ? LM_OK : lm_error_oom(ec->err);
    const int64_t *rk = hj->rkey_i64;
    const lm_vector *lk_vec = lb->cols[hj->lkey[0]];
    if (st == LM_OK && hj->dhead && hj->nresid == 0) {
        if (!probe_direct(hj, lb, &pr, semi, anti, keep_unmatched))
            st = lm_error_oom(ec->err);
        goto emit;
    }
    if (st == LM_OK && hj->dhead) {
        for (int32_t i = 0; i < lb->nrows; i++)
            nulls[i] = lm_vector_is_null(lk_vec, i);
    }
    for (int k = 0; st == LM_OK && !hj->dhead && k < hj->nkeys; k++)
        hash_rows(hj, k, lb->cols[hj->lkey[k]], lb->nrows, hs, nulls, ec->arena);
    for (int32_t i = 0; st == LM_OK && i < lb->nrows; i++) {
        uint64_t h = hj->dhead ? 0 : hs[i];
        bool null = nulls[i];
        bool matched = false;
        int64_t lk = rk && !null ? exec_vector_i64(lk_vec, i) : 0;
        int64_t first;
        if (null)
            first = 0;
        else if (hj->dhead)
            first = (uint64_t)lk - (uint64_t)hj->dmin < (uint64_t)hj->drange ? hj->dhead[lk - hj->dmin] : 0;
        else
            first = hj->head[h & hj->mask];
        for (int64_t e = first; st == LM_OK && e; e = hj->next[e - 1]) {
            int64_t j = e - 1;
            exec_rowref rr;
            if (rk) {
                if (rk[j] != lk)
                    continue;
                rr = hj->rows[j];
            } else {
                if (hj->rhash[j] != h)
                    continue;
                rr = hj->rows[j];
                const lm_batch *rb = hj->R->batches[rr.batch];
                bool eq = true;
                for (int k = 0; k < hj->nkeys && eq; k++)
                    eq = key_equal(hj, k, lb->cols[hj->lkey[k]], i, rb->cols[hj->rkey[k]], rr.row,
                                   ec->arena);
                if (!eq)
                    continue;
            }
            bool ok;
            if ((st = residual(hj, ec, lb, i, rr, row, &ok)) != LM_OK || !ok)
                continue;
            matched = true;
            if (hj->track_matched)
                atomic_store_explicit(&hj->rmatched[j], true, memory_order_relaxed);
            if (semi || anti)
                break;
            if (!pairs_push(&pr, i, rr))
                st = lm_error_oom(ec->err);
        }
        if (st != LM_OK)
            break;
        if ((semi && matched) || (anti && !matched) || (keep_unmatched && !matched))
            if (!pairs_push(&pr, i, (exec_rowref){0, -1}))
                st = lm_error_oom(ec->err);
        if ((i & 255) == 255)
            lm_arena_free(ec->arena);
    }
emit:
    if (st == LM_OK)
        st = emit_pairs(hj, ec, lb, &pr, semi || anti, out);
    free(pr.l);
    free(pr.r);
    free(row);
    free(hs);
    free(nulls);
    return st;
}

static lm_status probe_task(void *arg, int task, lm_eval_ctx *ec)
{
    hjoin *hj = arg;
    for (int b = hj->parts.first[task]; b < hj->parts.first[task + 1]; b++) {
        lm_status st = probe_batch(hj, ec, hj->L->batches[b], &hj->outs[b]);
        if (st != LM_OK)
            return st;
        lm_arena_free(ec->arena);
    }
    return LM_OK;
}

/* Unmatched right rows of RIGHT / FULL joins, after all left rows. */
static lm_status right_rest(hjoin *hj, lm_table *t)
{
    exec_rowref *refs = malloc(sizeof *refs * ((size_t)hj->nrows + 1));
    exec_rowref *nulls = malloc(sizeof *nulls * ((size_t)hj->nrows + 1));
    if (refs == NULL || nulls == NULL) {
        free(refs);
        free(nulls);
        return lm_error_oom(hj->x->err);
    }
    int64_t n = 0;
    for (int64_t j = 0; j < hj->nrows; j++)
        if (!atomic_load_explicit(&hj->rmatched[j], memory_order_relaxed)) {
            refs[n] = hj->rows[j];
            nulls[n] = (exec_rowref){0, -1};
            n++;
        }
    lm_status st = LM_OK;
    for (int64_t lo = 0; st == LM_OK && lo < n; lo += LM_BATCH_ROWS) {
        int32_t m = (int32_t)(n - lo < LM_BATCH_ROWS ? n - lo : LM_BATCH_ROWS);
        lm_batch *b = exec_batch_alloc(hj->nl + hj->nr, m);
        bool ok = b != NULL;
        for (int c = 0; ok && c < hj->nl + hj->nr; c++) {
            if (!exec_needed(hj->need, c))
                b->cols[c] = exec_placeholder(m);
            else if (c < hj->nl)
                b->cols[c] = exec_gather_refs(hj->L, c, hj->L->schema->fields[c].type, nulls + lo, m);
            else
                b->cols[c] = exec_gather_refs(hj->R, c - hj->nl,
                                              hj->R->schema->fields[c - hj->nl].type, refs + lo, m);
            ok = b->cols[c] != NULL;
        }
        if (!ok || lm_table_append_batch(t, b) != LM_OK) {
            for (int c = 0; b && c < b->ncols; c++)
                if (b->cols[c] == NULL)
                    b->cols[c] = exec_placeholder(0);
            lm_batch_free(b);
            st = lm_error_oom(hj->x->err);
        }
    }
    free(refs);
    free(nulls);
    return st;
}

static void hjoin_free(hjoin *hj)
{
    free(hj->lkey);
    free(hj->rkey);
    free(hj->kind);
    free(hj->ktype);
    free(hj->resid);
    free(hj->rows);
    free(hj->rhash);
    free(hj->head);
    free(hj->next);
    free(hj->rmatched);
    free(hj->rnull);
    free(hj->rkey_i64);
    free(hj->dhead);
    for (int b = 0; hj->outs && b < hj->L->nbatches; b++)
        lm_batch_free(hj->outs[b]);
    free(hj->outs);
    exec_parts_free(&hj->parts);
}

static lm_status join_cols(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r,
                          const bool *need, lm_table **out);

/* Under chaos each side is read in its exchange's arrival order
   (exec/chaos.h), as a shuffled join sees it. */
lm_status lm_op_join_cols(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r,
                          const bool *need, lm_table **out)
{
    lm_table *lo = NULL, *ro = NULL;
    lm_status st = exec_input_order(x, l, EXEC_CHAOS_JOIN_LEFT, &lo);
    if (st == LM_OK)
        st = exec_input_order(x, r, EXEC_CHAOS_JOIN_RIGHT, &ro);
    if (st == LM_OK)
        st = join_cols(x, p, lo, ro, need, out);
    lm_table_unref(lo);
    lm_table_unref(ro);
    return st;
}

static lm_status join_cols(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r,
                          const bool *need, lm_table **out)
{
    hjoin hj = {0};
    hj.x = x;
    hj.p = p;
    hj.L = l;
    hj.R = r;
    hj.need = need;
    hj.nl = l->schema->nfields;
    hj.nr = r->schema->nfields;
    if (p->cond == NULL || p->join_type == LM_JOIN_CROSS || !plan_keys(&hj)) {
        hjoin_free(&hj);
        return join_nested(x, p, l, r, out);
    }
    lm_join_type jt = p->join_type;
    hj.track_matched = jt == LM_JOIN_RIGHT || jt == LM_JOIN_FULL;
    lm_status st = build(&hj);
    bool parallel = jt != LM_JOIN_RIGHT && jt != LM_JOIN_FULL && exec_expr_thread_safe(p->cond);
    lm_table *t = lm_table_new(p->schema);
    hj.outs = calloc((size_t)l->nbatches + 1, sizeof *hj.outs);
    if (st == LM_OK && (t == NULL || hj.outs == NULL ||
                        !exec_partitions(l, parallel ? EXEC_TASK_ROWS : INT64_MAX, &hj.parts)))
        st = lm_error_oom(x->err);
    if (st == LM_OK)
        st = exec_run_tasks(x, hj.parts.n, parallel, probe_task, &hj);
    if (st == LM_OK && exec_table_take(t, hj.outs, l->nbatches) != LM_OK)
        st = lm_error_oom(x->err);
    if (st == LM_OK && (jt == LM_JOIN_RIGHT || jt == LM_JOIN_FULL))
        st = right_rest(&hj, t);
    hjoin_free(&hj);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}

lm_status lm_op_join(lm_exec *x, const lm_plan *p, lm_table *l, lm_table *r, lm_table **out)
{
    return lm_op_join_cols(x, p, l, r, NULL, out);
}
