/*
 * WINDOW: evaluates the window calls of one specification (partition,
 * order, frame) and appends their results to every input row, as Spark's
 * WindowExec does. Rows are sorted stably by the partition keys, then the
 * ORDER BY keys; each partition is computed at once:
 *
 *   - ranking and offset functions (LM_FN_WINDOW) get the partition's
 *     peer groups, arguments and frames and fill all rows
 *     (lm_window_eval, functions/window.c);
 *   - aggregates run over each row's frame with their agg_init / update /
 *     final kernels: once for a frame covering the whole partition,
 *     incrementally for frames starting at UNBOUNDED PRECEDING (the end
 *     only moves forward), and recomputed per row otherwise, reusing the
 *     previous result when two rows share a frame.
 *
 * RANGE frames with value offsets compare the single ORDER BY key with the
 * current row's key plus the offset (minus it when descending), adding
 * days, months or intervals for dates and timestamps as Spark's
 * DateAdd/TimeAdd do.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "expr/func.h"
#include "functions/families.h"
#include "types/datetime.h"

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

/* ------------------------------------------------------ range bounds */

/* ts + (months, days, micros) in local time of tz (TimeAdd). */
static bool ts_add(int64_t ts, const lm_interval *iv, const lm_tz *tz, bool ntz, int64_t *out)
{
    int64_t local = ts;
    if (iv->months != 0 || iv->days != 0) {
        if (!ntz && !lm_ts_to_ntz(ts, tz, &local))
            return false;
        const int64_t day = 86400LL * 1000000LL;
        int64_t d = lm_floor_div(local, day), tod = lm_floor_mod(local, day);
        int32_t nd;
        if (!lm_date_add_months((int32_t)d, iv->months, &nd))
            return false;
        local = ((int64_t)nd + iv->days) * day + tod;
        if (!ntz && !lm_ts_ntz_to_ts(local, tz, &local))
            return false;
    }
    return !__builtin_add_overflow(local, iv->micros, out);
}

/*
 * key + off, off being the frame offset (negative for PRECEDING, negated
 * again for a descending order). False when the bound cannot be computed
 * (overflow): the caller treats it as unbounded.
 */
static bool range_bound(lm_eval_ctx *ec, const lm_type *kt, const lm_type *ot, const lm_value *key,
                        const lm_value *off, int sign, lm_value *out)
{
    *out = *key;
    if (key->is_null || off->is_null)
        return true;
    switch (kt->id) {
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        out->u.i64 = key->u.i64 + sign * off->u.i64;
        return true;
    case LM_TYPE_FLOAT:
        out->u.f32 = key->u.f32 + (float)sign * off->u.f32;
        return true;
    case LM_TYPE_DOUBLE:
        out->u.f64 = key->u.f64 + sign * off->u.f64;
        return true;
    case LM_TYPE_DECIMAL:
        out->u.dec = key->u.dec + sign * off->u.dec;
        return true;
    case LM_TYPE_DATE:
        if (ot->id == LM_TYPE_YM_INTERVAL) {
            int32_t d;
            if (!lm_date_add_months((int32_t)key->u.i64, (int32_t)(sign * off->u.i64), &d))
                return false;
            out->u.i64 = d;
        } else {
            out->u.i64 = key->u.i64 + sign * off->u.i64;
        }
        return true;
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ: {
        lm_interval iv = {0, 0, 0};
        if (ot->id == LM_TYPE_INTERVAL) {
            iv = off->u.iv;
        } else if (ot->id == LM_TYPE_YM_INTERVAL) {
            iv.months = (int32_t)off->u.i64;
        } else {
            iv.micros = off->u.i64;
        }
        iv.months *= sign;
        iv.days *= sign;
        iv.micros *= sign;
        return ts_add(key->u.i64, &iv, ec->tz, kt->id == LM_TYPE_TIMESTAMP_NTZ, &out->u.i64);
    }
    default:
        return false;
    }
}

/* First row in [lo, hi) whose order key is at or after (after, when
   strict) bound in sort order. */
static int64_t search(const lm_expr *sort, win_row *rows, int nkey, int64_t lo, int64_t hi,
                      const lm_value *bound, bool strict)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int c = order_cmp(sort, &rows[mid].keys[nkey], bound);
        if (c < 0 || (strict && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct frame_ctx {
    const lm_window_spec *w;
    lm_value lo_off, hi_off; /* constant offsets of value bounds */
} frame_ctx;

/* Row i's frame [*fs, *fe) inside a partition of n rows starting at rows. */
static void frame_of(lm_eval_ctx *ec, const frame_ctx *fc, win_row *rows, int64_t n, int64_t i,
                     const int64_t *ps, const int64_t *pe, int64_t *fs, int64_t *fe)
{
    const lm_window_spec *w = fc->w;
    for (int side = 0; side < 2; side++) {
        const lm_frame_bound *b = side ? &w->frame_end : &w->frame_start;
        const lm_value *off = side ? &fc->hi_off : &fc->lo_off;
        int64_t r;
        switch (b->kind) {
        case LM_BOUND_UNBOUNDED_PRECEDING:
            r = 0;
            break;
        case LM_BOUND_UNBOUNDED_FOLLOWING:
            r = n;
            break;
        case LM_BOUND_CURRENT_ROW:
            if (w->frame_type == LM_FRAME_ROWS)
                r = side ? i + 1 : i;
            else
                r = side ? pe[i] : ps[i];
            break;
        default: {
            int sign = b->kind == LM_BOUND_PRECEDING ? -1 : 1;
            if (w->frame_type == LM_FRAME_ROWS) {
                int64_t k = off->is_null ? 0 : off->u.i64;
                r = i + sign * k + (side ? 1 : 0);
                break;
            }
            const lm_expr *sort = w->order[0];
            int nkey = w->npartition;
            if (sort->flags & LM_SORT_DESC)
                sign = -sign;
            lm_value bound;
            if (!range_bound(ec, sort->args[0]->type, b->offset->type, &rows[i].keys[nkey], off,
                             sign, &bound)) {
                r = side ? n : 0;
                break;
            }
            r = search(sort, rows, nkey, 0, n, &bound, side == 1);
            break;
        }
        }
        if (r < 0)
            r = 0;
        if (r > n)
            r = n;
        if (side)
            *fe = r;
        else
            *fs = r;
    }
    if (*fe < *fs)
        *fe = *fs;
}

/* ------------------------------------------------------ aggregates */

static lm_status agg_over(lm_eval_ctx *ec, const lm_expr *f, const lm_value *argv, int64_t from,
                          int64_t to, void *state, bool init)
{
    lm_status st = LM_OK;
    if (init) {
        memset(state, 0, f->fn->state_size ? f->fn->state_size : 1);
        if (f->fn->agg_init && (st = f->fn->agg_init(ec, f, state)) != LM_OK)
            return st;
    }
    for (int64_t j = from; j < to && st == LM_OK; j++)
        st = f->fn->agg_update(ec, f, state, &argv[j * f->nargs]);
    return st;
}

static void agg_release(const lm_expr *f, void *state)
{
    if (f->fn->agg_free)
        f->fn->agg_free(f, state);
}

/* Runs aggregate f over every row's frame of one partition. */
static lm_status window_agg(lm_eval_ctx *ec, const lm_expr *f, const lm_window_spec *w,
                            const lm_value *argv, int64_t n, const int64_t *fs, const int64_t *fe,
                            lm_value *out)
{
    void *state = calloc(1, f->fn->state_size ? f->fn->state_size : 1);
    if (state == NULL)
        return lm_error_oom(ec->err);
    lm_status st = LM_OK;
    bool whole = w->frame_start.kind == LM_BOUND_UNBOUNDED_PRECEDING &&
                 w->frame_end.kind == LM_BOUND_UNBOUNDED_FOLLOWING;
    if (whole) {
        lm_value v = lm_value_null();
        if ((st = agg_over(ec, f, argv, 0, n, state, true)) == LM_OK)
            st = f->fn->agg_final(ec, f, state, &v);
        for (int64_t i = 0; i < n; i++)
            out[i] = v;
        agg_release(f, state);
    } else if (w->frame_start.kind == LM_BOUND_UNBOUNDED_PRECEDING) {
        /* growing frame: the end never moves back */
        int64_t upto = 0;
        st = agg_over(ec, f, argv, 0, 0, state, true);
        for (int64_t i = 0; st == LM_OK && i < n; i++) {
            if (fe[i] > upto) {
                st = agg_over(ec, f, argv, upto, fe[i], state, false);
                upto = fe[i];
            }
            if (st == LM_OK)
                st = f->fn->agg_final(ec, f, state, &out[i]);
        }
        agg_release(f, state);
    } else {
        for (int64_t i = 0; st == LM_OK && i < n; i++) {
            if (i > 0 && fs[i] == fs[i - 1] && fe[i] == fe[i - 1]) {
                out[i] = out[i - 1];
                continue;
            }
            st = agg_over(ec, f, argv, fs[i], fe[i], state, true);
            if (st == LM_OK)
                st = f->fn->agg_final(ec, f, state, &out[i]);
            agg_release(f, state);
        }
    }
    free(state);
    return st;
}

/* ------------------------------------------------------ the operator */

typedef struct win_run {
    lm_exec *x;
    const lm_window_info *info;
    frame_ctx fc;
    lm_eval_ctx ec;
    lm_value **results; /* per function: one value per row of the partition */
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
    for (int64_t i = 0; i < n; i++)
        frame_of(ec, &wr->fc, rows, n, i, wr->ps, wr->pe, &wr->fs[i], &wr->fe[i]);
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
        if (st != LM_OK)
            break;
        if (f->fn->kind == LM_FN_WINDOW) {
            lm_window_input in = {n, wr->ps, wr->pe, na, argv, wr->fs, wr->fe};
            st = lm_window_eval(ec, f, &in, wr->results[k]);
        } else {
            st = window_agg(ec, f, w, argv, n, wr->fs, wr->fe, wr->results[k]);
        }
    }
    return st;
}

static lm_status const_offset(lm_eval_ctx *ec, const lm_frame_bound *b, lm_value *out)
{
    *out = lm_value_null();
    if (b->kind != LM_BOUND_PRECEDING && b->kind != LM_BOUND_FOLLOWING)
        return LM_OK;
    return lm_eval_constant(ec, b->offset, out);
}

lm_status lm_op_window(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
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
    wr.fc.w = w;
    lm_exec_eval_ctx(x, &wr.ec, &rows_arena);
    int64_t total = in->nrows;
    win_row *rows = calloc((size_t)(total + 1), sizeof *rows);
    wr.results = calloc((size_t)(info->nfuncs + 1), sizeof *wr.results);
    wr.ps = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.pe = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.fs = calloc((size_t)(total + 1), sizeof(int64_t));
    wr.fe = calloc((size_t)(total + 1), sizeof(int64_t));
    lm_value *res = calloc((size_t)(width + 1), sizeof *res);
    lm_table *t = lm_table_new(p->schema);
    lm_status st = (rows && wr.results && wr.ps && wr.pe && wr.fs && wr.fe && res && t)
                       ? LM_OK
                       : lm_error_oom(x->err);
    if (st == LM_OK)
        st = const_offset(&wr.ec, &w->frame_start, &wr.fc.lo_off);
    if (st == LM_OK)
        st = const_offset(&wr.ec, &w->frame_end, &wr.fc.hi_off);
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
