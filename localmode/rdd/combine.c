/*
 * Narrow RDDs over several partitions or parents: UnionRDD and
 * PartitionerAwareUnionRDD (SparkContext.union), CoalescedRDD (Spark's
 * DefaultPartitionCoalescer without locality: parent partitions split by
 * position), ZippedPartitionsRDD2 (zip), CartesianRDD, ZippedWithIndexRDD,
 * zipWithUniqueId and PartitionPruningRDD.
 */
#include "rdd_int.h"

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/* A partition made of (parent, parent partition) pieces read in order. */
typedef struct piece {
    int dep, part;
} piece;

typedef struct pieces_state {
    int *start; /* nparts + 1 offsets into p */
    piece *p;
} pieces_state;

typedef struct concat_iter {
    rdd_iter base;
    lm_rdd *r;
    int cur, end;
    rdd_iter *in;
} concat_iter;

static lm_status concat_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    concat_iter *c = (concat_iter *)it;
    pieces_state *s = c->r->state;
    for (;;) {
        if (c->in) {
            lm_status st = c->in->next(c->in, t, out, has);
            if (st != LM_OK || *has)
                return st;
            c->in = NULL;
            c->cur++;
        }
        if (c->cur >= c->end) {
            *has = false;
            return LM_OK;
        }
        const piece *pc = &s->p[c->cur];
        lm_status st = rdd_iterator(c->r->deps[pc->dep].rdd, pc->part, t, &c->in);
        if (st != LM_OK)
            return st;
    }
}

static lm_status pieces_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    pieces_state *s = r->state;
    concat_iter *c = rdd_iter_new(t, sizeof *c, concat_next, NULL);
    if (c == NULL)
        return LM_ENOMEM;
    c->r = r;
    c->cur = s->start[part];
    c->end = s->start[part + 1];
    *out = &c->base;
    return LM_OK;
}

static void pieces_free(lm_rdd *r)
{
    pieces_state *s = r->state;
    if (s == NULL)
        return;
    free(s->start);
    free(s->p);
    free(s);
}

static const rdd_ops union_ops = {"UnionRDD", pieces_open, pieces_free};
static const rdd_ops aware_union_ops = {"PartitionerAwareUnionRDD", pieces_open, pieces_free};
static const rdd_ops coalesced_ops = {"CoalescedRDD", pieces_open, pieces_free};
static const rdd_ops pruning_ops = {"PartitionPruningRDD", pieces_open, pieces_free};

static pieces_state *pieces_new(int nparts, int npieces)
{
    pieces_state *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->start = calloc((size_t)nparts + 1, sizeof *s->start);
    s->p = calloc((size_t)npieces + 1, sizeof *s->p);
    if (s->start == NULL || s->p == NULL) {
        free(s->start);
        free(s->p);
        free(s);
        return NULL;
    }
    return s;
}

static lm_rdd *pieces_rdd(rdd_ctx *ctx, const rdd_ops *ops, const lm_type *type, int nparts,
                          pieces_state *s, lm_rdd *const *parents, int nparents,
                          const char *method, const char *cfunc)
{
    if (s == NULL) {
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    lm_rdd *r = rdd_new(ctx, ops, type, nparts, method, cfunc);
    if (r == NULL) {
        pieces_free(&(lm_rdd){.state = s});
        return NULL;
    }
    r->state = s;
    for (int i = 0; i < nparents; i++)
        if (rdd_add_dep(r, parents[i], NULL) != LM_OK) {
            lm_rdd_free(r);
            return NULL;
        }
    return r;
}

/* SparkContext.union: empty inputs are dropped; inputs sharing one
   partitioner give a PartitionerAwareUnionRDD (partition i = every
   input's partition i), else partitions are concatenated. */
lm_rdd *rdd_union2(rdd_ctx *ctx, lm_rdd *const *rdds, int n, const char *method,
                   const char *cfunc)
{
    for (int i = 1; i < n; i++)
        if (!lm_type_equal(rdds[i]->type, rdds[0]->type)) {
            rdd_fail(ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                     "union needs RDDs of one element type");
            return NULL;
        }
    lm_rdd **ne = calloc((size_t)n + 1, sizeof *ne);
    if (ne == NULL) {
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    int m = 0, total = 0;
    for (int i = 0; i < n; i++)
        if (rdds[i]->nparts > 0) {
            ne[m++] = rdds[i];
            total += rdds[i]->nparts;
        }
    bool aware = m > 0;
    for (int i = 0; i < m && aware; i++)
        aware = ne[i]->partitioner && rdd_partitioner_equal(ne[i]->partitioner,
                                                           ne[0]->partitioner);
    lm_rdd *r;
    if (aware) {
        int np = ne[0]->partitioner->n;
        pieces_state *s = pieces_new(np, np * m);
        for (int p = 0; s && p < np; p++) {
            s->start[p] = p * m;
            for (int i = 0; i < m; i++)
                s->p[p * m + i] = (piece){i, p};
        }
        if (s)
            s->start[np] = np * m;
        r = pieces_rdd(ctx, &aware_union_ops, rdds[0]->type, np, s, ne, m, method, cfunc);
        if (r)
            r->partitioner = rdd_partitioner_ref(ne[0]->partitioner);
    } else {
        pieces_state *s = pieces_new(total, total);
        int k = 0;
        for (int i = 0; s && i < m; i++)
            for (int p = 0; p < ne[i]->nparts; p++) {
                s->start[k] = k;
                s->p[k++] = (piece){i, p};
            }
        if (s)
            s->start[total] = total;
        r = pieces_rdd(ctx, &union_ops, rdds[0]->type, total, s, ne, m, method, cfunc);
    }
    free(ne);
    return r;
}

lm_rdd *lm_rdd_union_all(lm_session *s, lm_rdd *const *rdds, int n)
{
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL)
        return NULL;
    if (n <= 0) {
        rdd_fail(s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "union needs at least one RDD");
        return NULL;
    }
    return rdd_union2(ctx, rdds, n, "union", __func__);
}

lm_rdd *lm_rdd_union(lm_rdd *a, lm_rdd *b)
{
    if (a == NULL || b == NULL)
        return NULL;
    lm_rdd *two[2] = {a, b};
    return rdd_union2(a->ctx, two, 2, "union", __func__);
}

/* DefaultPartitionCoalescer with no preferred locations: group i takes
   parent partitions [i*P/n, (i+1)*P/n); with n >= P each keeps its own. */
lm_rdd *rdd_coalesce_internal(lm_rdd *r, int n, const char *method, const char *cfunc)
{
    int p = r->nparts;
    int groups = n < p ? n : p;
    pieces_state *s = pieces_new(groups, p);
    for (int i = 0; s && i < groups; i++) {
        int from = (int)(((int64_t)i * p) / groups);
        int to = (int)(((int64_t)(i + 1) * p) / groups);
        s->start[i] = from;
        for (int j = from; j < to; j++)
            s->p[j] = (piece){0, j};
    }
    if (s)
        s->start[groups] = p;
    return pieces_rdd(r->ctx, &coalesced_ops, r->type, groups, s, &r, 1, method, cfunc);
}

lm_rdd *rdd_partition_pruning(lm_rdd *r, const bool *keep, const char *method,
                              const char *cfunc)
{
    int k = 0;
    for (int i = 0; i < r->nparts; i++)
        k += keep[i];
    pieces_state *s = pieces_new(k, k);
    int j = 0;
    for (int i = 0; s && i < r->nparts; i++)
        if (keep[i]) {
            s->start[j] = j;
            s->p[j++] = (piece){0, i};
        }
    if (s)
        s->start[k] = k;
    return pieces_rdd(r->ctx, &pruning_ops, r->type, k, s, &r, 1, method, cfunc);
}

/* ----------------------------------------------------------------- zip */
typedef struct zip_iter {
    rdd_iter base;
    rdd_iter *a, *b;
} zip_iter;

static lm_status zip_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    zip_iter *z = (zip_iter *)it;
    lm_value x, y;
    bool hx, hy;
    lm_status st = z->a->next(z->a, t, &x, &hx);
    if (st == LM_OK)
        st = z->b->next(z->b, t, &y, &hy);
    if (st != LM_OK)
        return st;
    if (hx != hy) {
        lm_error_set(&t->err, LM_ERROR, RDD_EXC_SPARK, NULL, NULL,
                     "Can only zip RDDs with same number of elements in each partition");
        return LM_ERROR;
    }
    *has = hx;
    return hx ? lm_task_make_pair(t, &x, &y, out) : LM_OK;
}

static lm_status zip_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    zip_iter *z = rdd_iter_new(t, sizeof *z, zip_next, NULL);
    if (z == NULL)
        return LM_ENOMEM;
    lm_status st = rdd_iterator(r->deps[0].rdd, part, t, &z->a);
    if (st == LM_OK)
        st = rdd_iterator(r->deps[1].rdd, part, t, &z->b);
    *out = &z->base;
    return st;
}

static const rdd_ops zip_ops = {"ZippedPartitionsRDD2", zip_open, NULL};

static lm_rdd *two_parent_rdd(const rdd_ops *ops, lm_rdd *a, lm_rdd *b, int nparts,
                              const char *method, const char *cfunc)
{
    lm_type *pt = rdd_pair_type(a->type, b->type);
    if (pt == NULL) {
        lm_error_oom(&a->ctx->s->error);
        return NULL;
    }
    lm_rdd *r = rdd_new(a->ctx, ops, pt, nparts, method, cfunc);
    lm_type_unref(pt);
    if (r && (rdd_add_dep(r, a, NULL) != LM_OK || rdd_add_dep(r, b, NULL) != LM_OK)) {
        lm_rdd_free(r);
        return NULL;
    }
    return r;
}

lm_rdd *lm_rdd_zip(lm_rdd *a, lm_rdd *b)
{
    if (a == NULL || b == NULL)
        return NULL;
    if (a->nparts != b->nparts) {
        rdd_fail(a->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "Can't zip RDDs with unequal numbers of partitions: List(%d, %d)", a->nparts,
                 b->nparts);
        return NULL;
    }
    return two_parent_rdd(&zip_ops, a, b, a->nparts, "zip", __func__);
}

/* ----------------------------------------------------------- cartesian */
/* Partition i*n2 + j pairs every x of a's partition i with every y of b's
   partition j (b's partition is read once per task). */
typedef struct cart_iter {
    rdd_iter base;
    rdd_iter *a;
    rdd_vec bv;
    lm_value x;
    int64_t j;
    bool have_x;
} cart_iter;

static lm_status cart_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    cart_iter *c = (cart_iter *)it;
    for (;;) {
        if (c->have_x && c->j < c->bv.n)
            break;
        bool hx;
        lm_status st = c->a->next(c->a, t, &c->x, &hx);
        if (st != LM_OK)
            return st;
        if (!hx) {
            *has = false;
            return LM_OK;
        }
        c->have_x = true;
        c->j = 0;
    }
    *has = true;
    return lm_task_make_pair(t, &c->x, &c->bv.v[c->j++], out);
}

static lm_status cart_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    int n2 = r->deps[1].rdd->nparts;
    cart_iter *c = rdd_iter_new(t, sizeof *c, cart_next, NULL);
    if (c == NULL)
        return LM_ENOMEM;
    rdd_iter *b;
    lm_status st = rdd_iterator(r->deps[1].rdd, part % n2, t, &b);
    if (st == LM_OK)
        st = rdd_iter_drain(b, t, &c->bv);
    if (st == LM_OK)
        st = rdd_iterator(r->deps[0].rdd, part / n2, t, &c->a);
    *out = &c->base;
    return st;
}

static const rdd_ops cart_ops = {"CartesianRDD", cart_open, NULL};

lm_rdd *lm_rdd_cartesian(lm_rdd *a, lm_rdd *b)
{
    if (a == NULL || b == NULL)
        return NULL;
    return two_parent_rdd(&cart_ops, a, b, a->nparts * b->nparts, "cartesian", __func__);
}

/* -------------------------------------------------------- zipWithIndex */
typedef struct zwi_state {
    int64_t *start; /* first index of each partition */
} zwi_state;

typedef struct zwi_iter {
    rdd_iter base;
    rdd_iter *in;
    int64_t next_index;
} zwi_iter;

static lm_status zwi_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    zwi_iter *z = (zwi_iter *)it;
    lm_value v;
    lm_status st = z->in->next(z->in, t, &v, has);
    if (st != LM_OK || !*has)
        return st;
    lm_value idx = lm_value_i64(z->next_index++);
    return lm_task_make_pair(t, &v, &idx, out);
}

static lm_status zwi_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    zwi_state *s = r->state;
    zwi_iter *z = rdd_iter_new(t, sizeof *z, zwi_next, NULL);
    if (z == NULL)
        return LM_ENOMEM;
    z->next_index = s->start[part];
    *out = &z->base;
    return rdd_iterator(r->deps[0].rdd, part, t, &z->in);
}

static void zwi_free(lm_rdd *r)
{
    zwi_state *s = r->state;
    if (s)
        free(s->start);
    free(s);
}

static const rdd_ops zwi_ops = {"ZippedWithIndexRDD", zwi_open, zwi_free};

static lm_status count_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    (void)ud;
    int64_t n = 0;
    for (;;) {
        lm_value v;
        bool has;
        lm_status st = it->next(it, t, &v, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        n++;
    }
    *(int64_t *)slot = n;
    return LM_OK;
}

/* Spark computes the start indices when the RDD is built: a job counting
   every partition but the last. */
lm_rdd *lm_rdd_zip_with_index(lm_rdd *r)
{
    if (r == NULL)
        return NULL;
    int n = r->nparts;
    zwi_state *s = calloc(1, sizeof *s);
    int64_t *counts = calloc((size_t)n + 1, sizeof *counts);
    int *parts = calloc((size_t)n + 1, sizeof *parts);
    if (s == NULL || counts == NULL || parts == NULL ||
        (s->start = calloc((size_t)n + 1, sizeof *s->start)) == NULL) {
        free(s);
        free(counts);
        free(parts);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    lm_status st = LM_OK;
    if (n > 1) {
        for (int i = 0; i < n - 1; i++)
            parts[i] = i;
        st = rdd_run_job(r, parts, n - 1, count_task, NULL, counts, sizeof *counts);
    }
    free(parts);
    if (st != LM_OK) {
        free(counts);
        zwi_free(&(lm_rdd){.state = s});
        return NULL;
    }
    for (int i = 1; i < n; i++)
        s->start[i] = s->start[i - 1] + counts[i - 1];
    free(counts);
    lm_type *pt = rdd_pair_type(r->type, lm_type_long());
    lm_rdd *z = pt ? rdd_new(r->ctx, &zwi_ops, pt, n, "zipWithIndex", __func__) : NULL;
    lm_type_unref(pt);
    if (z == NULL) {
        zwi_free(&(lm_rdd){.state = s});
        return NULL;
    }
    z->state = s;
    if (rdd_add_dep(z, r, NULL) != LM_OK) {
        lm_rdd_free(z);
        return NULL;
    }
    return z;
}

typedef struct zwu_ud {
    int64_t n;
} zwu_ud;

/* Items of partition k get ids k, n+k, 2n+k, ... */
static lm_status zwu_part(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    zwu_ud *z = ud;
    for (int64_t i = 0; i < n; i++) {
        lm_value id = lm_value_i64(i * z->n + index), pair;
        lm_status st = lm_task_make_pair(t, &in[i], &id, &pair);
        if (st == LM_OK)
            st = lm_task_emit(t, &pair);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

lm_rdd *lm_rdd_zip_with_unique_id(lm_rdd *r)
{
    if (r == NULL)
        return NULL;
    zwu_ud *z = calloc(1, sizeof *z);
    lm_type *pt = rdd_pair_type(r->type, lm_type_long());
    if (z == NULL || pt == NULL) {
        free(z);
        lm_type_unref(pt);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    z->n = r->nparts;
    rdd_mp_fns fns = {.part = zwu_part, .ud = z, .ud_free = free};
    lm_rdd *c = rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, pt, &fns, false,
                                       "zipWithUniqueId", __func__);
    lm_type_unref(pt);
    return c;
}
