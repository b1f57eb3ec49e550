/*
 * MapPartitionsRDD: every one-parent, one-to-one transformation (map,
 * flatMap, filter, mapPartitions[WithIndex], mapValues, flatMapValues,
 * keyBy, keys, values, glom). As in Spark they share one RDD class and so
 * one line shape in toDebugString; the kind picks the iterator logic.
 * Element-wise kinds stream; mapPartitions and glom see the whole
 * partition.
 */
#include "rdd_int.h"

#include <stdlib.h>

#include "session/session.h"

typedef struct mp_state {
    rdd_mp_kind kind;
    rdd_mp_fns fns;
} mp_state;

typedef struct mp_iter {
    rdd_iter base;
    lm_rdd *r;
    mp_state *s;
    rdd_iter *in;
    rdd_vec buf;   /* emitted values not yet yielded */
    int64_t bi;
    bool done;
} mp_iter;

/* Runs an emitting callback with t->emit pointed at buf. */
static lm_status emit_each(mp_iter *m, lm_task *t, const lm_value *in)
{
    rdd_vec *saved = t->emit;
    t->emit = &m->buf;
    lm_status st = m->s->fns.each(t, in, m->s->fns.ud);
    t->emit = saved;
    return st;
}

static lm_status mp_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    mp_iter *m = (mp_iter *)it;
    mp_state *s = m->s;
    lm_value v;
    lm_status st;
    switch (s->kind) {
    case RDD_MP_IDENTITY:
        return m->in->next(m->in, t, out, has);
    case RDD_MP_MAP:
    case RDD_MP_KEY_BY:
    case RDD_MP_MAP_VALUES:
    case RDD_MP_KEYS:
    case RDD_MP_VALUES:
        if ((st = m->in->next(m->in, t, &v, has)) != LM_OK || !*has)
            return st;
        if (s->kind == RDD_MP_KEYS || s->kind == RDD_MP_VALUES) {
            if (v.is_null)
                return rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
            *out = s->kind == RDD_MP_KEYS ? *rdd_key(&v) : *rdd_val(&v);
            return LM_OK;
        }
        if (s->kind == RDD_MP_MAP)
            return s->fns.map(t, &v, out, s->fns.ud);
        lm_value r;
        if (s->kind == RDD_MP_KEY_BY) {
            if ((st = s->fns.map(t, &v, &r, s->fns.ud)) != LM_OK)
                return st;
            return lm_task_make_pair(t, &r, &v, out);
        }
        if (v.is_null)
            return rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
        if ((st = s->fns.map(t, rdd_val(&v), &r, s->fns.ud)) != LM_OK)
            return st;
        return lm_task_make_pair(t, rdd_key(&v), &r, out);
    case RDD_MP_FILTER:
        for (;;) {
            if ((st = m->in->next(m->in, t, out, has)) != LM_OK || !*has)
                return st;
            bool keep = false;
            if ((st = s->fns.filter(t, out, &keep, s->fns.ud)) != LM_OK)
                return st;
            if (keep)
                return LM_OK;
        }
    case RDD_MP_FLAT_MAP:
    case RDD_MP_FLAT_MAP_VALUES:
        while (m->bi >= m->buf.n) {
            if (m->done) {
                *has = false;
                return LM_OK;
            }
            m->buf.n = 0;
            m->bi = 0;
            if ((st = m->in->next(m->in, t, &v, has)) != LM_OK)
                return st;
            if (!*has) {
                m->done = true;
                continue;
            }
            if (s->kind == RDD_MP_FLAT_MAP) {
                if ((st = emit_each(m, t, &v)) != LM_OK)
                    return st;
                continue;
            }
            if (v.is_null)
                return rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
            if ((st = emit_each(m, t, rdd_val(&v))) != LM_OK)
                return st;
            for (int64_t i = 0; i < m->buf.n; i++)
                if ((st = lm_task_make_pair(t, rdd_key(&v), &m->buf.v[i], &m->buf.v[i])) !=
                    LM_OK)
                    return st;
        }
        *out = m->buf.v[m->bi++];
        *has = true;
        return LM_OK;
    case RDD_MP_PARTITIONS:
    case RDD_MP_GLOM:
        if (!m->done) {
            m->done = true;
            rdd_vec all = {0};
            if ((st = rdd_iter_drain(m->in, t, &all)) != LM_OK)
                return st;
            if (s->kind == RDD_MP_GLOM) {
                if ((st = lm_task_make_array(t, (int)all.n, all.v, &v)) != LM_OK)
                    return st;
                if ((st = rdd_vec_push(t, &m->buf, &v)) != LM_OK)
                    return st;
            } else {
                rdd_vec *saved = t->emit;
                t->emit = &m->buf;
                st = s->fns.part(t, t->partition, all.v, all.n, s->fns.ud);
                t->emit = saved;
                if (st != LM_OK)
                    return st;
            }
        }
        if (m->bi >= m->buf.n) {
            *has = false;
            return LM_OK;
        }
        *out = m->buf.v[m->bi++];
        *has = true;
        return LM_OK;
    }
    return LM_ERROR;
}

static lm_status mp_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    mp_iter *m = rdd_iter_new(t, sizeof *m, mp_next, NULL);
    if (m == NULL)
        return LM_ENOMEM;
    m->r = r;
    m->s = r->state;
    lm_status st = rdd_iterator(r->deps[0].rdd, part, t, &m->in);
    if (st != LM_OK)
        return st;
    *out = &m->base;
    return LM_OK;
}

static void mp_free(lm_rdd *r)
{
    mp_state *s = r->state;
    if (s && s->fns.ud_free)
        s->fns.ud_free(s->fns.ud);
    free(s);
}

static const rdd_ops mp_ops = {"MapPartitionsRDD", mp_open, mp_free};

lm_rdd *rdd_map_partitions_rdd(lm_rdd *r, rdd_mp_kind kind, const lm_type *out_type,
                               const rdd_mp_fns *fns, bool preserves, const char *method,
                               const char *cfunc)
{
    rdd_ctx *ctx = r->ctx;
    mp_state *s = calloc(1, sizeof *s);
    lm_type *owned = NULL;
    const lm_type *type = out_type;
    if (s == NULL)
        goto oom;
    s->kind = kind;
    if (fns)
        s->fns = *fns;
    switch (kind) {
    case RDD_MP_MAP_VALUES:
    case RDD_MP_FLAT_MAP_VALUES: {
        const lm_field *kf = &r->type->fields[0], *vf = &r->type->fields[1];
        lm_field f[2] = {{kf->name, kf->type, kf->nullable, NULL, NULL},
                         {vf->name, (lm_type *)out_type, true, NULL, NULL}};
        type = owned = lm_type_struct(f, 2);
        break;
    }
    case RDD_MP_KEY_BY:
        type = owned = rdd_pair_type(out_type, r->type);
        break;
    case RDD_MP_KEYS:
        type = r->type->fields[0].type;
        break;
    case RDD_MP_VALUES:
        type = r->type->fields[1].type;
        break;
    case RDD_MP_GLOM:
        type = owned = lm_type_array(r->type, true);
        break;
    case RDD_MP_FILTER:
    case RDD_MP_IDENTITY:
        type = r->type;
        break;
    default:
        break;
    }
    if (type == NULL)
        goto oom;
    lm_rdd *c = rdd_new(ctx, &mp_ops, type, r->nparts, method, cfunc);
    lm_type_unref(owned);
    if (c == NULL) {
        if (fns && fns->ud_free)
            fns->ud_free(fns->ud);
        free(s);
        return NULL;
    }
    c->state = s;
    if (preserves)
        c->partitioner = rdd_partitioner_ref(r->partitioner);
    if (rdd_add_dep(c, r, NULL) != LM_OK) {
        lm_rdd_free(c);
        return NULL;
    }
    return c;
oom:
    lm_type_unref(owned);
    if (fns && fns->ud_free)
        fns->ud_free(fns->ud);
    free(s);
    lm_error_oom(&ctx->s->error);
    return NULL;
}

/* ------------------------------------------------------------ public API */
static bool check_fn(lm_rdd *r, const void *f, const char *method)
{
    if (r == NULL)
        return false;
    if (f == NULL) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "%s needs a function", method);
        return false;
    }
    return true;
}

lm_rdd *lm_rdd_map(lm_rdd *r, const lm_type *out_type, lm_map_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "map"))
        return NULL;
    rdd_mp_fns fns = {.map = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_MAP, out_type, &fns, false, "map", __func__);
}

lm_rdd *lm_rdd_flat_map(lm_rdd *r, const lm_type *out_type, lm_each_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "flatMap"))
        return NULL;
    rdd_mp_fns fns = {.each = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_FLAT_MAP, out_type, &fns, false, "flatMap",
                                  __func__);
}

lm_rdd *lm_rdd_filter(lm_rdd *r, lm_filter_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "filter"))
        return NULL;
    rdd_mp_fns fns = {.filter = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_FILTER, NULL, &fns, true, "filter", __func__);
}

lm_rdd *lm_rdd_map_partitions(lm_rdd *r, const lm_type *out_type, lm_partition_fn f, void *ud,
                              bool preserves_partitioning)
{
    if (!check_fn(r, (const void *)f, "mapPartitions"))
        return NULL;
    rdd_mp_fns fns = {.part = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, out_type, &fns,
                                  preserves_partitioning, "mapPartitions", __func__);
}

lm_rdd *lm_rdd_map_partitions_with_index(lm_rdd *r, const lm_type *out_type,
                                         lm_partition_fn f, void *ud,
                                         bool preserves_partitioning)
{
    if (!check_fn(r, (const void *)f, "mapPartitionsWithIndex"))
        return NULL;
    rdd_mp_fns fns = {.part = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, out_type, &fns,
                                  preserves_partitioning, "mapPartitionsWithIndex", __func__);
}

lm_rdd *lm_rdd_map_values(lm_rdd *r, const lm_type *value_type, lm_map_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "mapValues") || rdd_require_pair(r, "mapValues"))
        return NULL;
    rdd_mp_fns fns = {.map = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_MAP_VALUES, value_type, &fns, true, "mapValues",
                                  __func__);
}

lm_rdd *lm_rdd_flat_map_values(lm_rdd *r, const lm_type *value_type, lm_each_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "flatMapValues") || rdd_require_pair(r, "flatMapValues"))
        return NULL;
    rdd_mp_fns fns = {.each = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_FLAT_MAP_VALUES, value_type, &fns, true,
                                  "flatMapValues", __func__);
}

lm_rdd *lm_rdd_key_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud)
{
    if (!check_fn(r, (const void *)f, "keyBy"))
        return NULL;
    rdd_mp_fns fns = {.map = f, .ud = ud};
    return rdd_map_partitions_rdd(r, RDD_MP_KEY_BY, key_type, &fns, false, "keyBy", __func__);
}

lm_rdd *lm_rdd_keys(lm_rdd *r)
{
    if (r == NULL || rdd_require_pair(r, "keys"))
        return NULL;
    return rdd_map_partitions_rdd(r, RDD_MP_KEYS, NULL, NULL, false, "keys", __func__);
}

lm_rdd *lm_rdd_values(lm_rdd *r)
{
    if (r == NULL || rdd_require_pair(r, "values"))
        return NULL;
    return rdd_map_partitions_rdd(r, RDD_MP_VALUES, NULL, NULL, false, "values", __func__);
}

lm_rdd *lm_rdd_glom(lm_rdd *r)
{
    if (r == NULL)
        return NULL;
    return rdd_map_partitions_rdd(r, RDD_MP_GLOM, NULL, NULL, false, "glom", __func__);
}
