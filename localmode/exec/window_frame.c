/*
 * The frames of a window partition and the window functions computed on
 * values over them, for both paths of the WINDOW operator (window_int.h):
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
#include "exec/window_int.h"

#include <stdlib.h>
#include <string.h>

#include "expr/func.h"
#include "functions/families.h"
#include "types/datetime.h"

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
static int64_t search(const lm_expr *sort, const lm_value *okeys, int64_t lo, int64_t hi,
                      const lm_value *bound, bool strict)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int c = order_cmp(sort, &okeys[mid], bound);
        if (c < 0 || (strict && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Row i's frame [*fs, *fe) inside a partition of n rows starting at rows. */
static void frame_of(lm_eval_ctx *ec, const win_frame_ctx *fc, const lm_value *okeys, int64_t n,
                     int64_t i,
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
            if (sort->flags & LM_SORT_DESC)
                sign = -sign;
            lm_value bound;
            if (!range_bound(ec, sort->args[0]->type, b->offset->type, &okeys[i], off,
                             sign, &bound)) {
                r = side ? n : 0;
                break;
            }
            r = search(sort, okeys, 0, n, &bound, side == 1);
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

/* ------------------------------------------------------ a partition */

static lm_status const_offset(lm_eval_ctx *ec, const lm_frame_bound *b, lm_value *out)
{
    *out = lm_value_null();
    if (b->kind != LM_BOUND_PRECEDING && b->kind != LM_BOUND_FOLLOWING)
        return LM_OK;
    return lm_eval_constant(ec, b->offset, out);
}

lm_status win_frame_init(lm_eval_ctx *ec, const lm_window_spec *w, win_frame_ctx *fc)
{
    memset(fc, 0, sizeof *fc);
    fc->w = w;
    lm_status st = const_offset(ec, &w->frame_start, &fc->lo_off);
    if (st == LM_OK)
        st = const_offset(ec, &w->frame_end, &fc->hi_off);
    return st;
}

static bool value_bound(const lm_frame_bound *b)
{
    return b->kind == LM_BOUND_PRECEDING || b->kind == LM_BOUND_FOLLOWING;
}

bool win_frame_reads_keys(const lm_window_spec *w)
{
    return w->frame_type != LM_FRAME_ROWS && w->norder > 0 &&
           (value_bound(&w->frame_start) || value_bound(&w->frame_end));
}

lm_status win_partition_eval(lm_eval_ctx *ec, const win_frame_ctx *fc,
                             const lm_window_info *info, const bool *skip, int64_t n,
                             const int64_t *ps, const int64_t *pe, const lm_value *okeys,
                             lm_value *const *argv, int64_t *fs, int64_t *fe, lm_value **out)
{
    const lm_window_spec *w = fc->w;
    for (int64_t i = 0; i < n; i++)
        frame_of(ec, fc, okeys, n, i, ps, pe, &fs[i], &fe[i]);
    lm_status st = LM_OK;
    for (int k = 0; st == LM_OK && k < info->nfuncs; k++) {
        if (skip && skip[k])
            continue;
        const lm_expr *f = info->funcs[k];
        if (f->fn->kind == LM_FN_WINDOW) {
            lm_window_input in = {n, ps, pe, f->nargs, argv[k], fs, fe};
            st = lm_window_eval(ec, f, &in, out[k]);
        } else {
            st = window_agg(ec, f, w, argv[k], n, fs, fe, out[k]);
        }
    }
    return st;
}
