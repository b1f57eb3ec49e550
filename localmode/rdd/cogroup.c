/*
 * Two-input key operations: CoGroupedRDD (cogroup, and through it join,
 * leftOuterJoin, rightOuterJoin, fullOuterJoin, intersection) and
 * SubtractedRDD (subtractByKey, subtract). An input already partitioned
 * like the output is read directly (a narrow dependency); any other input
 * is shuffled. Keys come out in order of first appearance, the first
 * input's before the second's.
 */
#include "rdd_int.h"

#include <stdlib.h>
#include <string.h>

#include "exec/rowset.h"
#include "session/session.h"

/* Reads input i of r for partition part: narrow parent or shuffle. */
static lm_status open_input(lm_rdd *r, int i, int part, lm_task *t, rdd_iter **out)
{
    const rdd_dep *d = &r->deps[i];
    if (d->shuffle == NULL)
        return rdd_iterator(d->rdd, part, t, out);
    *out = rdd_shuffle_reader(d->shuffle, part, t);
    return *out ? LM_OK : LM_ENOMEM;
}

/* Adds input i of r to r as narrow or shuffle dependency. */
static lm_status add_input(lm_rdd *r, lm_rdd *in, rdd_partitioner *part)
{
    if (rdd_partitioner_equal(in->partitioner, part))
        return rdd_add_dep(r, in, NULL);
    rdd_shuffle *sh = calloc(1, sizeof *sh);
    if (sh == NULL)
        return lm_error_oom(&r->ctx->s->error);
    sh->id = r->ctx->next_shuffle_id++;
    sh->part = rdd_partitioner_ref(part);
    sh->out_value_type = lm_type_ref(in->type);
    return rdd_add_dep(r, in, sh);
}

/* Groups every input's values by key: out[k] per key, lists per input. */
typedef struct groups {
    lm_rowset set;
    lm_type *kt;
    rdd_vec keys;
    rdd_vec *lists; /* nkeys * ninputs */
    int64_t cap;
    int ninputs;
} groups;

static lm_status group_inputs(lm_rdd *r, int part, lm_task *t, groups *g)
{
    memset(g, 0, sizeof *g);
    g->kt = r->type->fields[0].type;
    g->ninputs = r->ndeps;
    lm_rowset_init(&g->set, 1, &g->kt);
    lm_status st = LM_OK;
    for (int i = 0; i < r->ndeps && st == LM_OK; i++) {
        rdd_iter *it;
        if ((st = open_input(r, i, part, t, &it)) != LM_OK)
            break;
        for (;;) {
            lm_value v;
            bool has;
            if ((st = it->next(it, t, &v, &has)) != LM_OK || !has)
                break;
            if (v.is_null) {
                st = rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
                break;
            }
            int64_t idx;
            bool ins;
            if (!lm_rowset_upsert(&g->set, rdd_key(&v), &idx, &ins)) {
                st = rdd_task_error(t, LM_ENOMEM, "out of memory");
                break;
            }
            if (ins) {
                if ((st = rdd_vec_push(t, &g->keys, rdd_key(&v))) != LM_OK)
                    break;
                if ((idx + 1) * g->ninputs > g->cap) {
                    int64_t cap = g->cap ? g->cap * 2 : 64 * g->ninputs;
                    rdd_vec *n = realloc(g->lists, sizeof *n * (size_t)cap);
                    if (n == NULL) {
                        st = rdd_task_error(t, LM_ENOMEM, "out of memory");
                        break;
                    }
                    memset(n + g->cap, 0, sizeof *n * (size_t)(cap - g->cap));
                    g->lists = n;
                    g->cap = cap;
                }
            }
            if ((st = rdd_vec_push(t, &g->lists[idx * g->ninputs + i], rdd_val(&v))) != LM_OK)
                break;
        }
    }
    return st;
}

static void groups_free(groups *g)
{
    lm_rowset_free(&g->set);
    free(g->lists);
}

/* ------------------------------------------------------- CoGroupedRDD */
static lm_status cogroup_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    groups g;
    lm_status st = group_inputs(r, part, t, &g);
    rdd_vec res = {0};
    for (int64_t k = 0; st == LM_OK && k < g.set.count; k++) {
        lm_value arrs[8], val, pair;
        for (int i = 0; i < g.ninputs && st == LM_OK; i++) {
            rdd_vec *l = &g.lists[k * g.ninputs + i];
            st = lm_task_make_array(t, (int)l->n, l->v, &arrs[i]);
        }
        if (st == LM_OK)
            st = lm_task_make_struct(t, g.ninputs, arrs, &val);
        if (st == LM_OK)
            st = lm_task_make_pair(t, &g.keys.v[k], &val, &pair);
        if (st == LM_OK)
            st = rdd_vec_push(t, &res, &pair);
    }
    groups_free(&g);
    if (st != LM_OK)
        return st;
    *out = rdd_iter_array(t, res.v, res.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static const rdd_ops cogroup_ops = {"CoGroupedRDD", cogroup_open, NULL};

/* cogroup = CoGroupedRDD(Seq(a, b), part).mapValues(arrays to a tuple);
   the second step only reshapes in Spark, so here it passes through. */
lm_rdd *rdd_cogroup(lm_rdd *a, lm_rdd *b, rdd_partitioner *part, const char *method,
                    const char *cfunc)
{
    rdd_ctx *ctx = a->ctx;
    lm_type *va = lm_type_array(a->type->fields[1].type, true);
    lm_type *vb = lm_type_array(b->type->fields[1].type, true);
    lm_type *vt = va && vb ? rdd_pair_type(va, vb) : NULL;
    lm_type *pt = vt ? rdd_pair_type(a->type->fields[0].type, vt) : NULL;
    lm_type_unref(va);
    lm_type_unref(vb);
    lm_type_unref(vt);
    if (pt == NULL) {
        rdd_partitioner_unref(part);
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    lm_rdd *cg = rdd_new(ctx, &cogroup_ops, pt, part->n, method, cfunc);
    lm_type_unref(pt);
    if (cg == NULL) {
        rdd_partitioner_unref(part);
        return NULL;
    }
    cg->partitioner = part;
    if (add_input(cg, a, part) != LM_OK || add_input(cg, b, part) != LM_OK) {
        lm_rdd_free(cg);
        return NULL;
    }
    lm_rdd *mv = rdd_map_partitions_rdd(cg, RDD_MP_IDENTITY, NULL, NULL, true, method, cfunc);
    lm_rdd_free(cg);
    return mv;
}

static bool check_pairs(lm_rdd *a, lm_rdd *b, const char *method)
{
    if (a == NULL || b == NULL)
        return false;
    if (rdd_require_pair(a, method) || rdd_require_pair(b, method))
        return false;
    if (!lm_type_same_ignoring_nullable(a->type->fields[0].type, b->type->fields[0].type)) {
        rdd_fail(a->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "%s needs keys of one type", method);
        return false;
    }
    return true;
}

static rdd_partitioner *two_partitioner(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    lm_rdd *both[2] = {a, b};
    rdd_partitioner *p = num_partitions > 0 ? rdd_partitioner_hash(num_partitions)
                                            : rdd_default_partitioner(both, 2);
    if (p == NULL)
        lm_error_oom(&a->ctx->s->error);
    return p;
}

lm_rdd *lm_rdd_cogroup(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    if (!check_pairs(a, b, "cogroup"))
        return NULL;
    rdd_partitioner *p = two_partitioner(a, b, num_partitions);
    return p ? rdd_cogroup(a, b, p, "cogroup", __func__) : NULL;
}

/* ------------------------------------------------------------- joins */
typedef enum { J_INNER, J_LEFT, J_RIGHT, J_FULL } join_kind;

/* flatMapValues over (vs, ws): the pairs Spark's join family yields. */
static lm_status join_values(lm_task *t, const lm_value *in, void *ud)
{
    join_kind k = (join_kind)(intptr_t)ud;
    const lm_array_value *vs = in->u.st->fields[0].u.arr, *ws = in->u.st->fields[1].u.arr;
    lm_value nul = lm_value_null(), pair;
    lm_status st = LM_OK;
    if (vs->n == 0 && ws->n == 0)
        return LM_OK;
    if (ws->n == 0 && (k == J_LEFT || k == J_FULL)) {
        for (int i = 0; i < vs->n && st == LM_OK; i++)
            if ((st = lm_task_make_pair(t, &vs->elems[i], &nul, &pair)) == LM_OK)
                st = lm_task_emit(t, &pair);
        return st;
    }
    if (vs->n == 0 && (k == J_RIGHT || k == J_FULL)) {
        for (int j = 0; j < ws->n && st == LM_OK; j++)
            if ((st = lm_task_make_pair(t, &nul, &ws->elems[j], &pair)) == LM_OK)
                st = lm_task_emit(t, &pair);
        return st;
    }
    for (int i = 0; i < vs->n && st == LM_OK; i++)
        for (int j = 0; j < ws->n && st == LM_OK; j++)
            if ((st = lm_task_make_pair(t, &vs->elems[i], &ws->elems[j], &pair)) == LM_OK)
                st = lm_task_emit(t, &pair);
    return st;
}

static lm_rdd *join(lm_rdd *a, lm_rdd *b, int num_partitions, join_kind k, const char *method,
                    const char *cfunc)
{
    if (!check_pairs(a, b, method))
        return NULL;
    rdd_partitioner *p = two_partitioner(a, b, num_partitions);
    lm_rdd *cg = p ? rdd_cogroup(a, b, p, method, cfunc) : NULL;
    if (cg == NULL)
        return NULL;
    lm_type *vt = rdd_pair_type(a->type->fields[1].type, b->type->fields[1].type);
    lm_rdd *j = NULL;
    if (vt) {
        rdd_mp_fns fns = {.each = join_values, .ud = (void *)(intptr_t)k};
        j = rdd_map_partitions_rdd(cg, RDD_MP_FLAT_MAP_VALUES, vt, &fns, true, method, cfunc);
    } else {
        lm_error_oom(&a->ctx->s->error);
    }
    lm_type_unref(vt);
    lm_rdd_free(cg);
    return j;
}

lm_rdd *lm_rdd_join(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    return join(a, b, num_partitions, J_INNER, "join", __func__);
}

lm_rdd *lm_rdd_left_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    return join(a, b, num_partitions, J_LEFT, "leftOuterJoin", __func__);
}

lm_rdd *lm_rdd_right_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    return join(a, b, num_partitions, J_RIGHT, "rightOuterJoin", __func__);
}

lm_rdd *lm_rdd_full_outer_join(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    return join(a, b, num_partitions, J_FULL, "fullOuterJoin", __func__);
}

/* ------------------------------------------------------- intersection */
static lm_status with_null(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value n = lm_value_null();
    return lm_task_make_pair(t, in, &n, out);
}

static lm_status both_sides(lm_task *t, const lm_value *in, bool *keep, void *ud)
{
    (void)t;
    (void)ud;
    const lm_value *g = rdd_val(in);
    *keep = g->u.st->fields[0].u.arr->n > 0 && g->u.st->fields[1].u.arr->n > 0;
    return LM_OK;
}

static lm_rdd *keyed_null(lm_rdd *r, const char *method, const char *cfunc)
{
    lm_type *pt = rdd_pair_type(r->type, lm_type_null());
    if (pt == NULL) {
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    rdd_mp_fns fns = {.map = with_null};
    lm_rdd *m = rdd_map_partitions_rdd(r, RDD_MP_MAP, pt, &fns, false, method, cfunc);
    lm_type_unref(pt);
    return m;
}

/* map(v => (v, null)).cogroup(...).filter(both non-empty).keys */
lm_rdd *lm_rdd_intersection(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    if (a == NULL || b == NULL)
        return NULL;
    lm_rdd *ma = keyed_null(a, "intersection", __func__);
    lm_rdd *mb = ma ? keyed_null(b, "intersection", __func__) : NULL;
    lm_rdd *out = NULL;
    if (mb) {
        rdd_partitioner *p = two_partitioner(ma, mb, num_partitions);
        lm_rdd *cg = p ? rdd_cogroup(ma, mb, p, "intersection", __func__) : NULL;
        rdd_mp_fns fns = {.filter = both_sides};
        lm_rdd *f = cg ? rdd_map_partitions_rdd(cg, RDD_MP_FILTER, NULL, &fns, true,
                                                "intersection", __func__)
                       : NULL;
        out = f ? rdd_map_partitions_rdd(f, RDD_MP_KEYS, NULL, NULL, false, "intersection",
                                         __func__)
                : NULL;
        lm_rdd_free(f);
        lm_rdd_free(cg);
    }
    lm_rdd_free(ma);
    lm_rdd_free(mb);
    return out;
}

/* ------------------------------------------------------- SubtractedRDD */
static lm_status subtracted_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    groups g;
    lm_status st = group_inputs(r, part, t, &g);
    rdd_vec res = {0};
    for (int64_t k = 0; st == LM_OK && k < g.set.count; k++) {
        rdd_vec *mine = &g.lists[k * 2], *other = &g.lists[k * 2 + 1];
        if (other->n > 0)
            continue;
        for (int64_t i = 0; i < mine->n && st == LM_OK; i++) {
            lm_value pair;
            if ((st = lm_task_make_pair(t, &g.keys.v[k], &mine->v[i], &pair)) == LM_OK)
                st = rdd_vec_push(t, &res, &pair);
        }
    }
    groups_free(&g);
    if (st != LM_OK)
        return st;
    *out = rdd_iter_array(t, res.v, res.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static const rdd_ops subtracted_ops = {"SubtractedRDD", subtracted_open, NULL};

static lm_rdd *subtracted(lm_rdd *a, lm_rdd *b, rdd_partitioner *p, const char *method,
                          const char *cfunc)
{
    lm_rdd *r = rdd_new(a->ctx, &subtracted_ops, a->type, p->n, method, cfunc);
    if (r == NULL) {
        rdd_partitioner_unref(p);
        return NULL;
    }
    r->partitioner = p;
    if (add_input(r, a, p) != LM_OK || add_input(r, b, p) != LM_OK) {
        lm_rdd_free(r);
        return NULL;
    }
    return r;
}

lm_rdd *lm_rdd_subtract_by_key(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    if (!check_pairs(a, b, "subtractByKey"))
        return NULL;
    rdd_partitioner *p = num_partitions > 0 ? rdd_partitioner_hash(num_partitions)
                         : a->partitioner   ? rdd_partitioner_ref(a->partitioner)
                                            : rdd_partitioner_hash(a->nparts);
    if (p == NULL) {
        lm_error_oom(&a->ctx->s->error);
        return NULL;
    }
    return subtracted(a, b, p, "subtractByKey", __func__);
}

/* map(x => (x, null)).subtractByKey(other.map((_, null)), p).keys */
lm_rdd *lm_rdd_subtract(lm_rdd *a, lm_rdd *b, int num_partitions)
{
    if (a == NULL || b == NULL)
        return NULL;
    rdd_partitioner *p = num_partitions > 0 ? rdd_partitioner_hash(num_partitions)
                         : a->partitioner   ? rdd_partitioner_ref(a->partitioner)
                                            : rdd_partitioner_hash(a->nparts);
    lm_rdd *ma = p ? keyed_null(a, "subtract", __func__) : NULL;
    lm_rdd *mb = ma ? keyed_null(b, "subtract", __func__) : NULL;
    lm_rdd *out = NULL;
    if (mb) {
        lm_rdd *s = subtracted(ma, mb, p, "subtract", __func__);
        p = NULL;
        out = s ? rdd_map_partitions_rdd(s, RDD_MP_KEYS, NULL, NULL, false, "subtract",
                                         __func__)
                : NULL;
        lm_rdd_free(s);
    }
    rdd_partitioner_unref(p);
    lm_rdd_free(ma);
    lm_rdd_free(mb);
    if (out == NULL && a->ctx->s->error.message == NULL)
        lm_error_oom(&a->ctx->s->error);
    return out;
}
