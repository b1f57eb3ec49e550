/*
 * The WINDOW operator's row path: every input row read as values, the
 * rows sorted by one comparison sort (partition keys, then ORDER BY keys,
 * then input position), and each partition's functions computed on values
 * (window_frame.c). It evaluates keys row by row in input order and
 * function arguments row by row in window order, partition by partition,
 * which is what a nondeterministic argument (rand()) or a subquery needs
 * to give the same values as always; everything else takes the column
 * path (op_window.c), which gives the same results. Tests compare the two
 * (spark.localmode.test.windowRowPath).
 */
#include "exec/window_int.h"

#include <stdlib.h>
#include <string.h>

#include "expr/func.h"
#include "functions/families.h"

typedef struct win_row {
    lm_value *vals; /* the input row */
    lm_value *keys; /* partition keys, then order keys */
    int64_t seq;
} win_row;

static _Thread_local const lm_window_spec *g_spec;

/* Order of two ORDER BY values in the window's sort direction. */
static int order_cmp(const lm_expr *sort, const lm_value *a, const lm_value *b)
{
    bool desc = (sort->flags & LM_SORT_DESC) != 0;
    bool nulls_first = (sort->flags & LM_SORT_NULLS_FIRST) != 0;
    int c = lm_value_compare_nulls(sort->args[0]->type, a, b, nulls_first);
    if (desc && !a->is_null && !b->is_null)
        c = -c;
    return c;
}


static int cmp_rows(const void *x, const void *y)
{
    const win_row *a = x, *b = y;
    const lm_window_spec *w = g_spec;
    for (int i = 0; i < w->npartition; i++) {
        int c = lm_value_compare_nulls(w->partition[i]->type, &a->keys[i], &b->keys[i], true);
        if (c)
            return c;
    }
    for (int i = 0; i < w->norder; i++) {
        int k = w->npartition + i;
        int c = order_cmp(w->order[i], &a->keys[k], &b->keys[k]);
        if (c)
            return c;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_partition(const lm_window_spec *w, const win_row *a, const win_row *b)
{
    for (int i = 0; i < w->npartition; i++)
        if (lm_value_compare_nulls(w->partition[i]->type, &a->keys[i], &b->keys[i], true) != 0)
            return false;
    return true;
}

static bool peers(const lm_window_spec *w, const win_row *a, const win_row *b)
{
    for (int i = 0; i < w->norder; i++) {
        int k = w->npartition + i;
        if (order_cmp(w->order[i], &a->keys[k], &b->keys[k]) != 0)
            return false;
    }
    return true;
}

/* ------------------------------------------------------ the operator */

typedef struct win_run {
    lm_exec *x;
    const lm_window_info *info;
    win_frame_ctx fc;
    lm_eval_ctx ec;
    lm_value **results; /* per function: one value per row of the partition */
    lm_value **argv;    /* per function: its arguments on each row of the partition */
    int64_t *ps, *pe, *fs, *fe;
} win_run;

/* Computes every function for rows[0..n) (one partition). */
static lm_status run_partition(win_run *wr, win_row *rows, int64_t n)
{
    const lm_window_spec *w = wr->info->spec;
    lm_eval_ctx *ec = &wr->ec;
    for (int64_t i = 0; i < n; i++) {
        wr->ps[i] = (i > 0 && peers(w, &rows[i - 1], &rows[i])) ? wr->ps[i - 1] : i;
    }
    for (int64_t i = n - 1; i >= 0; i--)
        wr->pe[i] = (i + 1 < n && wr->ps[i + 1] == wr->ps[i]) ? wr->pe[i + 1] : i + 1;
    lm_value *okeys = NULL;
    if (win_frame_reads_keys(w)) {
        if ((okeys = lm_arena_alloc(ec->arena, sizeof *okeys * (size_t)(n + 1))) == NULL)
            return lm_error_oom(ec->err);
        for (int64_t i = 0; i < n; i++)
            okeys[i] = rows[i].keys[w->npartition];
    }
    lm_status st = LM_OK;
    for (int k = 0; st == LM_OK && k < wr->info->nfuncs; k++) {
        const lm_expr *f = wr->info->funcs[k];
        int na = f->nargs;
        lm_value *argv = lm_arena_alloc(ec->arena, sizeof(lm_value) * (size_t)(n * na + 1));
        wr->results[k] = lm_arena_alloc(ec->arena, sizeof(lm_value) * (size_t)(n + 1));
        if (argv == NULL || wr->results[k] == NULL)
            return lm_error_oom(ec->err);
        for (int64_t i = 0; st == LM_OK && i < n; i++)
            for (int a = 0; st == LM_OK && a < na; a++)
                st = lm_eval_expr(ec, f->args[a], rows[i].vals, &argv[i * na + a]);
        wr->argv[k] = argv;
    }
    if (st != LM_OK)
        return st;
    return win_partition_eval(ec, &wr->fc, wr->info, NULL, n, wr->ps, wr->pe, okeys, wr->argv,
                              wr->fs, wr->fe, wr->results);
}

lm_status win_op_rows(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    const lm_window_info *info = p->aux;
    const lm_window_spec *w = info->spec;
    int nkeys = w->npartition + w->norder, nin = in->schema->nfields;
    int width = nin + info->nfuncs;
    lm_arena rows_arena, part;
    lm_arena_init(&rows_arena, 256 * 1024);
    lm_arena_init(&part, 64 * 1024);
    win_run wr;
    memset(&wr, 0, sizeof wr);
    wr.x = x;
    wr.info = info;
    lm_exec_eval_ctx(x, &wr.ec, &rows_arena);
    int64_t total = in->nrows;
    win_row *rows = calloc((size_t)(total + 1), sizeof *rows);
    wr.results = calloc((size_t)(info->nfuncs + 1), sizeof *wr.results);
    wr.argv = calloc((size_t)(info->nfuncs + 1), sizeof *wr.argv);
    wr.ps = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.pe = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.fs = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.fe = calloc((size_t)(total + 1), sizeof(int64_t));
    lm_value *res = calloc((size_t)(width + 1), sizeof *res);
    lm_table *t = lm_table_new(p->schema);
    lm_status st = (rows && wr.results && wr.argv && wr.ps && wr.pe && wr.fs && wr.fe && res && t)
                       ? LM_OK
                       : lm_error_oom(x->err);
    if (st == LM_OK)
        st = win_frame_init(&wr.ec, w, &wr.fc);
    int64_t n = 0;
    for (int b = 0; st == LM_OK && b < in->nbatches; b++) {
        const lm_batch *batch = in->batches[b];
        for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
            win_row *wrow = &rows[n];
            wrow->vals = lm_arena_alloc(&rows_arena, sizeof(lm_value) * (size_t)(nin + 1));
            wrow->keys = lm_arena_alloc(&rows_arena, sizeof(lm_value) * (size_t)(nkeys + 1));
            if (wrow->vals == NULL || wrow->keys == NULL ||
                !lm_batch_get_row(batch, r, wrow->vals, &rows_arena)) {
                st = lm_error_oom(x->err);
                break;
            }
            for (int k = 0; st == LM_OK && k < w->npartition; k++)
                st = lm_eval_expr(&wr.ec, w->partition[k], wrow->vals, &wrow->keys[k]);
            for (int k = 0; st == LM_OK && k < w->norder; k++)
                st = lm_eval_expr(&wr.ec, w->order[k]->args[0], wrow->vals,
                                  &wrow->keys[w->npartition + k]);
            wrow->seq = n++;
        }
    }
    if (st == LM_OK) {
        const lm_window_spec *saved = g_spec;
        g_spec = w;
        qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
        g_spec = saved;
    }
    wr.ec.arena = &part;
    for (int64_t start = 0; st == LM_OK && start < n;) {
        int64_t end = start + 1;
        while (end < n && same_partition(w, &rows[start], &rows[end]))
            end++;
        st = run_partition(&wr, rows + start, end - start);
        for (int64_t i = start; st == LM_OK && i < end; i++) {
            memcpy(res, rows[i].vals, sizeof(lm_value) * (size_t)nin);
            for (int k = 0; k < info->nfuncs; k++)
                res[nin + k] = wr.results[k][i - start];
            if (lm_table_append_row(t, res) != LM_OK)
                st = lm_error_oom(x->err);
        }
        lm_arena_free(&part);
        start = end;
    }
    free(rows);
    free(wr.results);
    free(wr.argv);
    free(wr.ps);
    free(wr.pe);
    free(wr.fs);
    free(wr.fe);
    free(res);
    lm_arena_free(&part);
    lm_arena_free(&rows_arena);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
