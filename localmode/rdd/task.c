/*
 * The task context handed to callbacks (Spark's TaskContext), its memory
 * and value builders, and RDD.iterator: the one place that decides whether
 * a partition comes from the cache, from a checkpoint, or is computed.
 */
#include "rdd_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void rdd_task_init(lm_task *t, rdd_ctx *ctx, int stage, int partition, int attempt,
                   int64_t tid)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->stage = stage;
    t->partition = partition;
    t->attempt = attempt;
    t->tid = tid;
    lm_arena_init(&t->arena, 64 * 1024);
    lm_error_init(&t->err);
}

void rdd_task_release(lm_task *t)
{
    /* Newest first, so an iterator is closed before the ones it reads. */
    for (rdd_iter *it = t->iters; it; it = it->next_open)
        if (it->close)
            it->close(it);
    t->iters = NULL;
    rdd_acc_free_updates(t->acc);
    t->acc = NULL;
    lm_arena_free(&t->arena);
    lm_error_clear(&t->err);
}

lm_status rdd_task_error(lm_task *t, lm_status st, const char *fmt, ...)
{
    if (t->err.message != NULL)
        return st; /* keep the first cause */
    va_list ap;
    va_start(ap, fmt);
    lm_error_vset(&t->err, st, st == LM_ENOMEM ? "java.lang.OutOfMemoryError" : RDD_EXC_SPARK,
                  NULL, NULL, fmt, ap);
    va_end(ap);
    return st;
}

lm_status rdd_task_chaos_fire(lm_task *t)
{
    t->chaos_fired = true;
    if (t->err.message == NULL)
        lm_error_set(&t->err, LM_ERROR, LM_CHAOS_EXC, NULL, NULL,
                     "Injected failure of task %d.%d in stage %d.0 (TID %lld): "
                     "spark.localmode.chaos.failTasks",
                     t->partition, t->attempt, t->stage, (long long)t->tid);
    return LM_ERROR;
}

int lm_task_partition(const lm_task *t)
{
    return t->partition;
}

int lm_task_attempt(const lm_task *t)
{
    return t->attempt;
}

int lm_task_stage(const lm_task *t)
{
    return t->stage;
}

int64_t lm_task_id(const lm_task *t)
{
    return t->tid;
}

void *lm_task_alloc(lm_task *t, size_t size)
{
    return lm_arena_alloc(&t->arena, size ? size : 1);
}

lm_status lm_task_emit(lm_task *t, const lm_value *v)
{
    if (t->emit == NULL)
        return rdd_task_error(t, LM_ERROR, "lm_task_emit called outside an emitting callback");
    return rdd_vec_push(t, t->emit, v);
}

lm_status lm_task_make_string(lm_task *t, const char *s, size_t len, lm_value *out)
{
    char *p = lm_arena_strndup(&t->arena, s, len);
    if (p == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    *out = lm_value_str(p, (int32_t)len);
    return LM_OK;
}

lm_status lm_task_make_struct(lm_task *t, int n, const lm_value *fields, lm_value *out)
{
    lm_struct_value *st = lm_arena_alloc(&t->arena, sizeof *st);
    lm_value *f = lm_arena_alloc(&t->arena, sizeof *f * (size_t)(n > 0 ? n : 1));
    if (st == NULL || f == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    if (n > 0)
        memcpy(f, fields, sizeof *f * (size_t)n);
    st->n = n;
    st->fields = f;
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = st;
    return LM_OK;
}

lm_status lm_task_make_pair(lm_task *t, const lm_value *k, const lm_value *v, lm_value *out)
{
    lm_value f[2] = {*k, *v};
    return lm_task_make_struct(t, 2, f, out);
}

lm_status lm_task_make_array(lm_task *t, int n, const lm_value *elems, lm_value *out)
{
    lm_array_value *a = lm_arena_alloc(&t->arena, sizeof *a);
    lm_value *e = lm_arena_alloc(&t->arena, sizeof *e * (size_t)(n > 0 ? n : 1));
    if (a == NULL || e == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    if (n > 0)
        memcpy(e, elems, sizeof *e * (size_t)n);
    a->n = n;
    a->elems = e;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = a;
    return LM_OK;
}

lm_status lm_task_fail(lm_task *t, const char *fmt, ...)
{
    if (t->err.message != NULL)
        return LM_ERROR;
    va_list ap;
    va_start(ap, fmt);
    lm_error_vset(&t->err, LM_ERROR, RDD_EXC_RUNTIME, NULL, NULL, fmt, ap);
    va_end(ap);
    return LM_ERROR;
}

/* ------------------------------------------------------------ iterator */
/*
 * Spark's RDD.iterator: a persisted RDD reads (or fills) its cache slot,
 * then a checkpointed RDD reads its checkpoint, else the partition is
 * computed. The slot's lock is held while the partition is computed, so a
 * partition wanted by several tasks at once (cartesian) is computed once.
 */
lm_status rdd_iterator(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    if (r->level != LM_STORAGE_NONE && r->cache != NULL) {
        rdd_cache_slot *slot = &r->cache[part];
        pthread_mutex_lock(&slot->lock);
        if (!slot->done && t->doomed) {
            /* An attempt the chaos schedule fails computes the partition
               but does not fill the slot: which of several tasks reaches
               an empty slot first depends on thread timing, and the
               accumulator updates the cached computation carries must
               not (a doomed attempt's updates are dropped). */
            pthread_mutex_unlock(&slot->lock);
            if (r->ckpt_rdd)
                return rdd_iterator(r->ckpt_rdd, part, t, out);
            return r->ops->open(r, part, t, out);
        }
        if (!slot->done) {
            rdd_iter *src;
            lm_status st = r->ckpt_rdd ? rdd_iterator(r->ckpt_rdd, part, t, &src)
                                       : r->ops->open(r, part, t, &src);
            while (st == LM_OK) {
                lm_value v;
                bool has;
                st = src->next(src, t, &v, &has);
                if (st != LM_OK || !has)
                    break;
                if (rdd_block_push_copy(&slot->data, r->type, &v) != LM_OK)
                    st = rdd_task_error(t, LM_ENOMEM, "out of memory");
            }
            if (st != LM_OK) {
                rdd_block_free(&slot->data);
                rdd_block_init(&slot->data);
                pthread_mutex_unlock(&slot->lock);
                return st;
            }
            slot->done = true;
        }
        pthread_mutex_unlock(&slot->lock);
        *out = rdd_iter_array(t, slot->data.v, slot->data.n);
        return *out ? LM_OK : LM_ENOMEM;
    }
    if (r->ckpt_rdd)
        return rdd_iterator(r->ckpt_rdd, part, t, out);
    return r->ops->open(r, part, t, out);
}
