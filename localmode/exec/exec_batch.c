/*
 * Batch plumbing for the vectorized operators (see exec_batch.h): gathers,
 * placeholders, fixed-size partitions and the worker-thread task runner.
 */
#include "exec_batch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "conf/master.h"
#include "exec/chaos.h"
#include "expr/veval.h"
#include "expr/func.h"
#include "session/session.h"

lm_batch *exec_batch_alloc(int ncols, int32_t nrows)
{
    lm_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->cols = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *b->cols);
    if (b->cols == NULL) {
        free(b);
        return NULL;
    }
    b->ncols = ncols;
    b->nrows = nrows;
    return b;
}

lm_vector *exec_placeholder(int32_t n)
{
    lm_vector *v = lm_vector_new(lm_type_null(), 0);
    if (v)
        v->length = n;
    return v;
}

static inline bool bit(const uint8_t *bits, int32_t i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}

/* Fixed-width gather: values and validity bits copied row by row without
   going through lm_value. */
/* Rows [0, n) valid; the bits past row n stay clear, as appends expect. */
static void set_valid_prefix(uint8_t *bits, int32_t n)
{
    memset(bits, 0xFF, (size_t)n / 8);
    if (n % 8)
        bits[n / 8] = (uint8_t)((1u << (n % 8)) - 1);
}

/* dst's validity for rows sel[0..n) of src; without a NULL in src, set. */
static void gather_validity(lm_vector *dst, const lm_vector *src, const int32_t *sel, int32_t n)
{
    if (lm_vector_no_nulls(src)) {
        set_valid_prefix(dst->validity, n);
        return;
    }
    memset(dst->validity, 0, ((size_t)n + 7) / 8);
    for (int32_t i = 0; i < n; i++)
        if (bit(src->validity, sel[i]))
            dst->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static void gather_fixed(lm_vector *dst, const lm_vector *src, int width, const int32_t *sel,
                         int32_t n)
{
    char *d = dst->data;
    const char *s = src->data;
    switch (width) {
    case 1:
        for (int32_t i = 0; i < n; i++)
            d[i] = s[sel[i]];
        break;
    case 4:
        for (int32_t i = 0; i < n; i++)
            ((int32_t *)(void *)d)[i] = ((const int32_t *)(const void *)s)[sel[i]];
        break;
    case 8:
        for (int32_t i = 0; i < n; i++)
            ((int64_t *)(void *)d)[i] = ((const int64_t *)(const void *)s)[sel[i]];
        break;
    default:
        for (int32_t i = 0; i < n; i++)
            memcpy(d + (size_t)i * (size_t)width, s + (size_t)sel[i] * (size_t)width,
                   (size_t)width);
        break;
    }
    gather_validity(dst, src, sel, n);
    dst->length = n;
}

lm_vector *exec_gather(const lm_vector *src, const int32_t *sel, int32_t n)
{
    if (src->type->id == LM_TYPE_NULL)
        return exec_placeholder(n);
    lm_vector *v = lm_vector_new(src->type, n > 0 ? n : 1);
    if (v == NULL)
        return NULL;
    int width = lm_type_fixed_width(src->type);
    if (width > 0) {
        gather_fixed(v, src, width, sel, n);
        return v;
    }
    if (src->type->id == LM_TYPE_STRING || src->type->id == LM_TYPE_BINARY) {
        const int32_t *so = src->data;
        int64_t total = 0;
        for (int32_t i = 0; i < n; i++)
            total += so[sel[i] + 1] - so[sel[i]];
        if (total > INT32_MAX) {
            lm_vector_free(v);
            return NULL;
        }
        if (total > v->heap_cap) {
            char *h = realloc(v->heap, (size_t)total);
            if (h == NULL) {
                lm_vector_free(v);
                return NULL;
            }
            v->heap = h;
            v->heap_cap = total;
        }
        int32_t *off = v->data;
        int32_t pos = 0;
        gather_validity(v, src, sel, n);
        off[0] = 0;
        for (int32_t i = 0; i < n; i++) {
            int32_t a = so[sel[i]], len = so[sel[i] + 1] - a;
            if (len > 0)
                memcpy(v->heap + pos, src->heap + a, (size_t)len);
            pos += len;
            off[i + 1] = pos;
        }
        v->heap_len = pos;
        v->length = n;
        return v;
    }
    for (int32_t i = 0; i < n; i++)
        if (lm_vector_append_from(v, src, sel[i]) != LM_OK) {
            lm_vector_free(v);
            return NULL;
        }
    return v;
}

lm_vector *exec_gather_refs(const lm_table *t, int col, const lm_type *type,
                            const exec_rowref *refs, int32_t n)
{
    lm_vector *v = lm_vector_new(type, n > 0 ? n : 1);
    if (v == NULL)
        return NULL;
    int width = lm_type_fixed_width(type);
    if (width == 8 || width == 4) {
        /* per source batch, once: its column, and whether it has a NULL */
        const lm_vector **src = malloc(sizeof *src * ((size_t)t->nbatches + 1));
        uint8_t *dense = malloc((size_t)t->nbatches + 1);
        if (src == NULL || dense == NULL) {
            free(src);
            free(dense);
            lm_vector_free(v);
            return NULL;
        }
        bool all_dense = true;
        for (int b = 0; b < t->nbatches; b++) {
            const lm_vector *s = t->batches[b]->cols[col];
            src[b] = s->type->id == type->id ? s : NULL;
            dense[b] = src[b] && lm_vector_no_nulls(s);
            all_dense &= dense[b];
        }
        if (all_dense) {
            /* only the padding rows (row -1) are NULL: set every bit, then
               clear theirs */
            set_valid_prefix(v->validity, n);
            for (int32_t i = 0; i < n; i++) {
                const exec_rowref *r = &refs[i];
                if (r->row < 0) {
                    v->validity[i >> 3] &= (uint8_t)~(1u << (i & 7));
                    if (width == 8)
                        ((int64_t *)v->data)[i] = 0;
                    else
                        ((int32_t *)v->data)[i] = 0;
                } else if (width == 8) {
                    ((int64_t *)v->data)[i] = ((const int64_t *)src[r->batch]->data)[r->row];
                } else {
                    ((int32_t *)v->data)[i] = ((const int32_t *)src[r->batch]->data)[r->row];
                }
            }
            free(src);
            free(dense);
            v->length = n;
            return v;
        }
        memset(v->validity, 0, ((size_t)n + 7) / 8);
        for (int32_t i = 0; i < n; i++) {
            const exec_rowref *r = &refs[i];
            const lm_vector *s = r->row >= 0 ? src[r->batch] : NULL;
            bool valid = s && (dense[r->batch] || bit(s->validity, r->row));
            if (width == 8)
                ((int64_t *)v->data)[i] = valid ? ((const int64_t *)s->data)[r->row] : 0;
            else
                ((int32_t *)v->data)[i] = valid ? ((const int32_t *)s->data)[r->row] : 0;
            if (valid)
                v->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
        free(src);
        free(dense);
        v->length = n;
        return v;
    }
    for (int32_t i = 0; i < n; i++) {
        const exec_rowref *r = &refs[i];
        lm_status st = r->row < 0 ? lm_vector_append_null(v)
                                  : lm_vector_append_from(v, t->batches[r->batch]->cols[col], r->row);
        if (st != LM_OK) {
            lm_vector_free(v);
            return NULL;
        }
    }
    return v;
}

bool exec_partitions(const lm_table *t, int64_t rows, exec_parts *out)
{
    out->n = 0;
    out->first = malloc(sizeof *out->first * (size_t)(t->nbatches + 2));
    if (out->first == NULL)
        return false;
    int64_t acc = 0;
    out->first[0] = 0;
    for (int b = 0; b < t->nbatches; b++) {
        acc += t->batches[b]->nrows;
        if (acc >= rows) {
            out->first[++out->n] = b + 1;
            acc = 0;
        }
    }
    if (acc > 0 || out->n == 0)
        out->first[++out->n] = t->nbatches;
    return true;
}

void exec_parts_free(exec_parts *p)
{
    free(p->first);
    p->first = NULL;
    p->n = 0;
}

int exec_threads(lm_exec *x)
{
    const char *url = x->session ? lm_conf_get(x->session->conf, "spark.master") : NULL;
    if (url == NULL)
        url = "local[*]";
    lm_error err;
    lm_error_init(&err);
    lm_master m;
    int n = 1;
    if (lm_master_parse(url, NULL, &m, &err) == LM_OK && m.threads > 0)
        n = m.threads;
    lm_master_clear(&m);
    lm_error_clear(&err);
    return n > 64 ? 64 : n;
}

bool exec_expr_thread_safe(const lm_expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
    case LM_EXPR_OUTER:
        return false;
    case LM_EXPR_CALL:
        if (e->fn == NULL || (e->fn->flags & LM_FN_NONDETERMINISTIC) || e->aux != NULL)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!exec_expr_thread_safe(e->args[i]))
            return false;
    if (!exec_expr_thread_safe(e->filter))
        return false;
    for (int i = 0; i < e->norder; i++)
        if (!exec_expr_thread_safe(e->order[i]))
            return false;
    return true;
}

lm_status exec_table_take(lm_table *t, lm_batch **batches, int n)
{
    for (int i = 0; i < n; i++) {
        if (batches[i] == NULL)
            continue;
        if (lm_table_append_batch(t, batches[i]) != LM_OK) {
            for (int k = i; k < n; k++) {
                lm_batch_free(batches[k]);
                batches[k] = NULL;
            }
            return LM_ENOMEM;
        }
        batches[i] = NULL;
    }
    return LM_OK;
}

lm_status exec_input_order(lm_exec *x, lm_table *in, int which, lm_table **out)
{
    exec_row_cursor cur;
    lm_status st = exec_row_cursor_open(x, in, (exec_chaos_input)which, &cur);
    if (st != LM_OK)
        return st;
    if (cur.order == NULL) {
        exec_row_cursor_close(&cur);
        *out = lm_table_ref(in);
        return LM_OK;
    }
    exec_rowref *refs = malloc(sizeof *refs * ((size_t)in->nrows + 1));
    int64_t n = 0;
    const lm_batch *batch;
    int32_t r;
    /* the cursor yields batches of `in`: find their index once per row */
    while (refs && exec_row_cursor_next(&cur, &batch, &r)) {
        int b = cur.b < in->nbatches && in->batches[cur.b] == batch ? cur.b : -1;
        for (int k = 0; b < 0 && k < in->nbatches; k++)
            if (in->batches[k] == batch)
                b = k;
        refs[n++] = (exec_rowref){b, r};
    }
    exec_row_cursor_close(&cur);
    lm_table *t = refs ? lm_table_new(in->schema) : NULL;
    int nc = in->schema->nfields;
    for (int64_t lo = 0; t && lo < n; lo += LM_BATCH_ROWS) {
        int32_t m = (int32_t)(n - lo < LM_BATCH_ROWS ? n - lo : LM_BATCH_ROWS);
        lm_batch *b = exec_batch_alloc(nc, m);
        bool ok = b != NULL;
        for (int c = 0; ok && c < nc; c++)
            ok = (b->cols[c] = exec_gather_refs(in, c, in->schema->fields[c].type, refs + lo, m)) != NULL;
        if (!ok || lm_table_append_batch(t, b) != LM_OK) {
            for (int c = 0; b && c < nc; c++)
                if (b->cols[c] == NULL)
                    b->cols[c] = exec_placeholder(0);
            lm_batch_free(b);
            lm_table_unref(t);
            t = NULL;
        }
    }
    free(refs);
    if (t == NULL)
        return lm_error_oom(x->err);
    *out = t;
    return LM_OK;
}

/* ------------------------------------------------------------ tasks */

typedef struct task_pool {
    lm_exec *x;
    exec_task_fn fn;
    void *arg;
    int ntasks;
    _Atomic int next;
    lm_error *errs;       /* per task */
    lm_status *status;    /* per task */
    _Atomic int failed_min; /* lowest failed task so far, ntasks if none */
} task_pool;

static void run_one(task_pool *tp, int task, lm_arena *scratch)
{
    lm_eval_ctx ec;
    lm_exec_eval_ctx(tp->x, &ec, scratch);
    ec.err = &tp->errs[task];
    tp->status[task] = tp->fn(tp->arg, task, &ec);
    lm_arena_free(scratch);
    if (tp->status[task] != LM_OK) {
        int cur = atomic_load(&tp->failed_min);
        while (task < cur && !atomic_compare_exchange_weak(&tp->failed_min, &cur, task))
            ;
    }
}

static void *worker(void *p)
{
    task_pool *tp = p;
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    for (;;) {
        int task = atomic_fetch_add(&tp->next, 1);
        /* tasks after a failed one are skipped; lower ones still run so
           the reported error is the first in task order */
        if (task >= tp->ntasks || task > atomic_load(&tp->failed_min))
            break;
        run_one(tp, task, &scratch);
    }
    lm_arena_free(&scratch);
    return NULL;
}

lm_status exec_run_tasks(lm_exec *x, int ntasks, bool parallel_ok, exec_task_fn fn, void *arg)
{
    if (ntasks <= 0)
        return LM_OK;
    task_pool tp = {0};
    tp.x = x;
    tp.fn = fn;
    tp.arg = arg;
    tp.ntasks = ntasks;
    atomic_init(&tp.next, 0);
    atomic_init(&tp.failed_min, ntasks);
    tp.errs = calloc((size_t)ntasks, sizeof *tp.errs);
    tp.status = calloc((size_t)ntasks, sizeof *tp.status);
    if (tp.errs == NULL || tp.status == NULL) {
        free(tp.errs);
        free(tp.status);
        return lm_error_oom(x->err);
    }
    for (int i = 0; i < ntasks; i++)
        lm_error_init(&tp.errs[i]);
    int nthreads = parallel_ok ? exec_threads(x) : 1;
    if (nthreads > ntasks)
        nthreads = ntasks;
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&th[started], NULL, worker, &tp) != 0)
            break;
        started++;
    }
    worker(&tp);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    lm_status st = LM_OK;
    int f = atomic_load(&tp.failed_min);
    if (f < ntasks) {
        st = tp.status[f];
        lm_error_move(x->err, &tp.errs[f]);
    }
    for (int i = 0; i < ntasks; i++)
        lm_error_clear(&tp.errs[i]);
    free(tp.errs);
    free(tp.status);
    return st;
}

lm_status exec_eval_column(lm_exec *x, const lm_expr *e, const lm_table *t, lm_vector **vecs,
                           lm_arena *scratch)
{
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, scratch);
    lm_vexpr *prog = NULL;
    if (lm_vexpr_supported(e) && (prog = lm_vexpr_compile(&ec, e)) == NULL)
        return LM_ENOMEM;
    lm_status st = LM_OK;
    for (int b = 0; st == LM_OK && b < t->nbatches; b++) {
        st = prog ? lm_vexpr_eval(&ec, prog, t->batches[b], &vecs[b]) : LM_ERROR;
        if (st != LM_OK && st != LM_ENOMEM) {
            lm_error_clear(x->err);
            st = lm_eval_batch_rows(&ec, e, t->batches[b], &vecs[b]);
        }
        lm_arena_free(scratch);
    }
    lm_vexpr_free(prog);
    return st;
}
