/*
 * Aggregate functions (LM_FN_AGGREGATE). The executor zeroes a state of
 * def->state_size bytes, calls agg_init, agg_update per input row (the
 * evaluated arguments, NULLs included: each function applies Spark's NULL
 * rule itself), agg_merge to combine partial states of the same call, and
 * agg_final once. DISTINCT and FILTER are the executor's business.
 *
 * States that grow (collect_list, percentile, min/max of strings ...) own
 * a private arena and arrays outside the evaluation arena, which agg_free
 * releases. Numerically sensitive aggregates use Spark's update and merge
 * formulas (Welford-style central moments, co-moments for covariance and
 * correlation) so results match to the last bit where Spark's do.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/cast.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "hash/xxhash64.h"

/* ------------------------------------------------------------ helpers */

/* A growable list of deep-copied values (and an optional second value per
   entry) in a private arena. */
typedef struct vlist {
    lm_arena *a;
    lm_value *v;
    lm_value *w;
    int64_t n, cap;
} vlist;

static bool vl_push(vlist *l, const lm_type *t, const lm_value *v, const lm_type *t2,
                    const lm_value *w)
{
    if (l->a == NULL) {
        l->a = malloc(sizeof *l->a);
        if (l->a == NULL)
            return false;
        lm_arena_init(l->a, 16 * 1024);
    }
    if (l->n == l->cap) {
        int64_t cap = l->cap ? l->cap * 2 : 16;
        lm_value *nv = realloc(l->v, sizeof *nv * (size_t)cap);
        if (nv == NULL)
            return false;
        l->v = nv;
        if (t2 != NULL || l->w != NULL) {
            lm_value *nw = realloc(l->w, sizeof *nw * (size_t)cap);
            if (nw == NULL)
                return false;
            l->w = nw;
        }
        l->cap = cap;
    }
    if (!lm_value_copy(l->a, t, v, &l->v[l->n]))
        return false;
    if (t2 != NULL && !lm_value_copy(l->a, t2, w, &l->w[l->n]))
        return false;
    l->n++;
    return true;
}

static void vl_free(vlist *l)
{
    if (l->a) {
        lm_arena_free(l->a);
        free(l->a);
    }
    free(l->v);
    free(l->w);
    memset(l, 0, sizeof *l);
}

static lm_status oom(lm_eval_ctx *ec)
{
    return lm_error_oom(ec->err);
}

static lm_type *arg_type(const lm_expr *call, int i)
{
    return call->args[i]->type;
}

/* Numeric input for double aggregates (strings cast as Spark would). */
static bool as_double(lm_eval_ctx *ec, const lm_type *t, const lm_value *v, double *out)
{
    if (v->is_null)
        return false;
    *out = fn_to_double(t, v);
    return true;
}

/* ------------------------------------------------------------ count */

typedef struct count_state {
    int64_t n;
} count_state;

static lm_status resolve_count(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status count_update(lm_eval_ctx *ec, const lm_expr *call, void *s, const lm_value *a)
{
    for (int i = 0; i < call->nargs; i++)
        if (a[i].is_null)
            return LM_OK;
    ((count_state *)s)->n++;
    return LM_OK;
}

static lm_status count_if_update(lm_eval_ctx *ec, const lm_expr *call, void *s, const lm_value *a)
{
    if (!a[0].is_null && a[0].u.b)
        ((count_state *)s)->n++;
    return LM_OK;
}

static lm_status count_merge(lm_eval_ctx *ec, const lm_expr *call, void *s, const void *o)
{
    ((count_state *)s)->n += ((const count_state *)o)->n;
    return LM_OK;
}

static lm_status count_final(lm_eval_ctx *ec, const lm_expr *call, void *s, lm_value *out)
{
    *out = lm_value_i64(((count_state *)s)->n);
    return LM_OK;
}

static lm_status resolve_count_if(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_boolean(), err) != LM_OK)
            return LM_ERROR;
    } else if (t->id != LM_TYPE_BOOLEAN)
        return lm_coerce_unexpected_input(rc, call, 0, "\"BOOLEAN\"", err);
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

/* ------------------------------------------------------------ sum / avg */

typedef struct sum_state {
    bool any;
    bool overflow;
    int64_t n;
    int64_t l;
    double d;
    lm_int128 dec;
    lm_interval iv;
} sum_state;

static lm_status resolve_sum_avg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool avg = call->fn->name[0] == 'a' || call->fn->name[0] == 'm';
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    }
    if (!lm_type_is_numeric(t) && t->id != LM_TYPE_YM_INTERVAL && t->id != LM_TYPE_DT_INTERVAL)
        return lm_coerce_unexpected_input(
            rc, call, 0, "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\")",
            err);
    lm_type *r;
    if (t->id == LM_TYPE_DECIMAL) {
        int p = t->precision + (avg ? 4 : 10), s = t->scale + (avg ? 4 : 0);
        r = lm_type_decimal(p > 38 ? 38 : p, s > 38 ? 38 : s);
    } else if (lm_type_is_integral(t))
        r = avg ? lm_type_double() : lm_type_long();
    else if (lm_type_is_fractional(t))
        r = lm_type_double();
    else
        r = fn_tref(t);
    return fn_set_result(rc, call, r, true, err);
}

static lm_status sum_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    sum_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    const lm_type *t = arg_type(call, 0);
    bool avg = call->fn->name[0] == 'a' || call->fn->name[0] == 'm';
    s->any = true;
    s->n++;
    switch (t->id) {
    case LM_TYPE_DECIMAL:
        /* the buffer is DECIMAL(p + 10, s): overflow makes the sum NULL */
        if (__builtin_add_overflow(s->dec, a[0].u.dec, &s->dec) ||
            !fn_dec_fits(s->dec, t->precision + 10 > 38 ? 38 : t->precision + 10))
            s->overflow = true;
        break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        if (avg && lm_type_is_integral(t)) {
            s->d += (double)a[0].u.i64;
        } else if (__builtin_add_overflow(s->l, a[0].u.i64, &s->l)) {
            if (ec->ansi || !lm_type_is_integral(t))
                return fn_overflow_error(ec, "long overflow", NULL);
            s->l = (int64_t)((uint64_t)s->l); /* wrapped by the builtin */
        }
        break;
    default:
        s->d += fn_to_double(t, &a[0]);
        break;
    }
    return LM_OK;
}

static lm_status sum_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    sum_state *s = st;
    const sum_state *o = ot;
    if (!o->any)
        return LM_OK;
    s->any = true;
    s->n += o->n;
    s->overflow |= o->overflow;
    s->d += o->d;
    if (__builtin_add_overflow(s->l, o->l, &s->l) && ec->ansi)
        return fn_overflow_error(ec, "long overflow", NULL);
    if (__builtin_add_overflow(s->dec, o->dec, &s->dec))
        s->overflow = true;
    return LM_OK;
}

static lm_status sum_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    sum_state *s = st;
    const lm_type *t = arg_type(call, 0);
    const lm_type *r = call->type;
    bool avg = call->fn->name[0] == 'a' || call->fn->name[0] == 'm';
    *out = lm_value_null();
    if (!s->any)
        return LM_OK;
    if (t->id == LM_TYPE_DECIMAL) {
        if (s->overflow) {
            if (ec->ansi) {
                char b[FN_DEC_BUF];
                fn_dec_format(b, s->dec, t->scale);
                return fn_decimal_out_of_range(ec, b, r->precision, r->scale);
            }
            return LM_OK;
        }
        lm_int128 v;
        if (avg) {
            if (!fn_dec_div(s->dec, t->scale, s->n, 0, r->scale, &v) || !fn_dec_fits(v, r->precision))
                return LM_OK;
        } else {
            v = s->dec;
            if (!fn_dec_fits(v, r->precision)) {
                if (ec->ansi) {
                    char b[FN_DEC_BUF];
                    fn_dec_format(b, v, t->scale);
                    return fn_decimal_out_of_range(ec, b, r->precision, r->scale);
                }
                return LM_OK;
            }
        }
        *out = lm_value_dec(v);
        return LM_OK;
    }
    if (r->id == LM_TYPE_LONG) {
        *out = lm_value_i64(s->l);
        return LM_OK;
    }
    if (r->id == LM_TYPE_YM_INTERVAL || r->id == LM_TYPE_DT_INTERVAL) {
        if (avg) {
            /* average of intervals rounds half up */
            double q = (double)s->l / (double)s->n;
            *out = lm_value_i64((int64_t)llround(q));
        } else
            *out = lm_value_i64(s->l);
        return LM_OK;
    }
    if (avg) {
        double sum = lm_type_is_integral(t) || lm_type_is_fractional(t) ? s->d : (double)s->l;
        *out = lm_value_f64(sum / (double)s->n);
        return LM_OK;
    }
    *out = lm_value_f64(s->d);
    return LM_OK;
}

/* ------------------------------------------------------------ min / max */

typedef struct minmax_state {
    bool any;
    lm_value v;
    lm_value by;    /* max_by/min_by: the ordering value */
    lm_arena *a;
} minmax_state;

static lm_status resolve_minmax(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_MAP) {
        lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                           "The `%s` does not support ordering on type %s.", call->fn->name,
                           fn_type_q(rc, t));
        return LM_ERROR;
    }
    return fn_set_result(rc, call, fn_tref(t), true, err);
}

static bool keep(minmax_state *s, const lm_type *t, const lm_value *v, lm_value *dst)
{
    if (s->a == NULL) {
        s->a = malloc(sizeof *s->a);
        if (s->a == NULL)
            return false;
        lm_arena_init(s->a, 4096);
    }
    /* values are small and replaced rarely; the private arena grows with
       each replacement, which is fine for per-group states */
    return lm_value_copy(s->a, t, v, dst);
}

static lm_status minmax_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    minmax_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    const lm_type *t = arg_type(call, 0);
    int sign = call->fn->name[1] == 'a' ? 1 : -1;
    if (!s->any || sign * lm_value_compare(t, &a[0], &s->v) > 0) {
        if (!keep(s, t, &a[0], &s->v))
            return oom(ec);
        s->any = true;
    }
    return LM_OK;
}

static lm_status minmax_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    const minmax_state *o = ot;
    if (!o->any)
        return LM_OK;
    return minmax_update(ec, call, st, &o->v);
}

static lm_status minmax_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    minmax_state *s = st;
    if (!s->any) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (!lm_value_copy(ec->arena, call->type, &s->v, out))
        return oom(ec);
    return LM_OK;
}

static void minmax_free(const lm_expr *call, void *st)
{
    minmax_state *s = st;
    if (s->a) {
        lm_arena_free(s->a);
        free(s->a);
        s->a = NULL;
    }
}

/* max_by(x, ord) / min_by(x, ord) */
static lm_status resolve_by(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status by_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    minmax_state *s = st;
    if (a[1].is_null)
        return LM_OK;
    int sign = call->fn->name[1] == 'a' ? 1 : -1;
    const lm_type *ot = arg_type(call, 1);
    if (!s->any || sign * lm_value_compare(ot, &a[1], &s->by) > 0) {
        if (!keep(s, ot, &a[1], &s->by) || !keep(s, arg_type(call, 0), &a[0], &s->v))
            return oom(ec);
        s->any = true;
    }
    return LM_OK;
}

static lm_status by_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    const minmax_state *o = ot;
    if (!o->any)
        return LM_OK;
    lm_value a[2] = {o->v, o->by};
    return by_update(ec, call, st, a);
}

/* ------------------------------------------------------------ first/last */

typedef struct first_state {
    bool set;
    minmax_state m;
} first_state;

static bool ignore_nulls(const lm_expr *call)
{
    if (call->flags & LM_CALL_IGNORE_NULLS)
        return true;
    if (call->nargs == 2 && call->args[1]->kind == LM_EXPR_LITERAL &&
        !call->args[1]->value.is_null)
        return call->args[1]->value.u.b;
    return strcmp(call->fn->name, "any_value") == 0 ? false : false;
}

static lm_status resolve_first(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        const lm_type *t = call->args[1]->type;
        if (t->id != LM_TYPE_BOOLEAN || !fn_is_literal(call->args[1]))
            return lm_coerce_unexpected_input(rc, call, 1, "\"BOOLEAN\"", err);
    }
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status first_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    first_state *s = st;
    bool last = strncmp(call->fn->name, "last", 4) == 0;
    if (a[0].is_null && ignore_nulls(call))
        return LM_OK;
    if (s->set && !last)
        return LM_OK;
    if (!keep(&s->m, arg_type(call, 0), &a[0], &s->m.v))
        return oom(ec);
    s->set = true;
    return LM_OK;
}

static lm_status first_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    const first_state *o = ot;
    first_state *s = st;
    bool last = strncmp(call->fn->name, "last", 4) == 0;
    if (!o->set || (s->set && !last))
        return LM_OK;
    if (!keep(&s->m, arg_type(call, 0), &o->m.v, &s->m.v))
        return oom(ec);
    s->set = true;
    return LM_OK;
}

static lm_status first_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    first_state *s = st;
    if (!s->set) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (!lm_value_copy(ec->arena, call->type, &s->m.v, out))
        return oom(ec);
    return LM_OK;
}

static void first_free(const lm_expr *call, void *st)
{
    minmax_free(call, &((first_state *)st)->m);
}

static void sql_first(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_puts(sb, call->fn->pretty ? call->fn->pretty : call->fn->name);
    lm_strbuf_putc(sb, '(');
    if (call->distinct)
        lm_strbuf_puts(sb, "DISTINCT ");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_putc(sb, ')');
    if (ignore_nulls(call))
        lm_strbuf_puts(sb, " IGNORE NULLS");
}

/* ------------------------------------------------------------ booleans */

typedef struct bool_state {
    bool any;
    bool v;
} bool_state;

static lm_status resolve_bool_agg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_boolean(), err) != LM_OK)
            return LM_ERROR;
    } else if (t->id != LM_TYPE_BOOLEAN)
        return lm_coerce_unexpected_input(rc, call, 0, "\"BOOLEAN\"", err);
    return fn_set_result(rc, call, lm_type_boolean(), true, err);
}

static bool is_and(const lm_expr *call)
{
    const char *n = call->fn->name;
    return strcmp(n, "bool_and") == 0 || strcmp(n, "every") == 0;
}

static lm_status bool_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    bool_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    if (!s->any)
        s->v = a[0].u.b;
    else
        s->v = is_and(call) ? (s->v && a[0].u.b) : (s->v || a[0].u.b);
    s->any = true;
    return LM_OK;
}

static lm_status bool_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    const bool_state *o = ot;
    if (!o->any)
        return LM_OK;
    lm_value v = lm_value_bool(o->v);
    return bool_update(ec, call, st, &v);
}

static lm_status bool_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    bool_state *s = st;
    *out = s->any ? lm_value_bool(s->v) : lm_value_null();
    return LM_OK;
}

/* ------------------------------------------------------------ moments */

typedef struct moment_state {
    double n, avg, m2, m3, m4;
} moment_state;

static lm_status resolve_double_agg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (fn_expect(rc, call, i, lm_type_double(), "\"DOUBLE\"", err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_double(), true, err);
}

static int moment_order(const lm_expr *call)
{
    const char *n = call->fn->name;
    if (strcmp(n, "skewness") == 0)
        return 3;
    if (strcmp(n, "kurtosis") == 0)
        return 4;
    return 2;
}

/* CentralMomentAgg.update */
static lm_status moment_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    moment_state *s = st;
    double x;
    if (!as_double(ec, arg_type(call, 0), &a[0], &x))
        return LM_OK;
    int k = moment_order(call);
    double n = s->n + 1;
    double delta = x - s->avg;
    double deltaN = delta / n;
    double avg = s->avg + deltaN;
    double m2 = s->m2 + delta * (delta - deltaN);
    double delta2 = delta * delta;
    double deltaN2 = deltaN * deltaN;
    double m3 = s->m3;
    if (k >= 3)
        m3 = s->m3 - 3.0 * deltaN * m2 + delta * (delta2 - deltaN2);
    double m4 = s->m4;
    if (k >= 4)
        m4 = s->m4 - 4.0 * deltaN * m3 - 6.0 * deltaN2 * m2 +
             delta * (delta * delta2 - deltaN * deltaN2);
    s->n = n;
    s->avg = avg;
    s->m2 = m2;
    s->m3 = m3;
    s->m4 = m4;
    return LM_OK;
}

/* CentralMomentAgg.merge */
static lm_status moment_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    moment_state *s = st;
    const moment_state *o = ot;
    if (o->n == 0)
        return LM_OK;
    int k = moment_order(call);
    double n1 = s->n, n2 = o->n, n = n1 + n2;
    double delta = o->avg - s->avg;
    double deltaN = n == 0 ? 0 : delta / n;
    double avg = s->avg + deltaN * n2;
    double m2 = s->m2 + o->m2 + delta * deltaN * n1 * n2;
    double m3 = s->m3, m4 = s->m4;
    if (k >= 3)
        m3 = s->m3 + o->m3 + deltaN * deltaN * delta * n1 * n2 * (n1 - n2) +
             3.0 * deltaN * (n1 * o->m2 - n2 * s->m2);
    if (k >= 4)
        m4 = s->m4 + o->m4 +
             deltaN * deltaN * deltaN * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2) +
             6.0 * deltaN * deltaN * (n1 * n1 * o->m2 + n2 * n2 * s->m2) +
             4.0 * deltaN * (n1 * o->m3 - n2 * s->m3);
    s->n = n;
    s->avg = avg;
    s->m2 = m2;
    s->m3 = m3;
    s->m4 = m4;
    return LM_OK;
}

static lm_status moment_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    moment_state *s = st;
    const char *nm = call->fn->name;
    *out = lm_value_null();
    if (s->n == 0)
        return LM_OK;
    bool pop = strstr(nm, "_pop") != NULL;
    bool sd = strncmp(nm, "std", 3) == 0;
    if (strcmp(nm, "skewness") == 0) {
        if (s->m2 == 0)
            return LM_OK;
        *out = lm_value_f64(sqrt(s->n) * s->m3 / sqrt(s->m2 * s->m2 * s->m2));
        return LM_OK;
    }
    if (strcmp(nm, "kurtosis") == 0) {
        if (s->m2 == 0)
            return LM_OK;
        *out = lm_value_f64(s->n * s->m4 / (s->m2 * s->m2) - 3.0);
        return LM_OK;
    }
    double v;
    if (pop)
        v = s->m2 / s->n;
    else {
        if (s->n == 1)
            return LM_OK;
        v = s->m2 / (s->n - 1);
    }
    *out = lm_value_f64(sd ? sqrt(v) : v);
    return LM_OK;
}

/* covariance and correlation */
typedef struct comoment_state {
    double n, xavg, yavg, ck, xmk, ymk;
} comoment_state;

static lm_status comoment_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    comoment_state *s = st;
    double x, y;
    if (!as_double(ec, arg_type(call, 0), &a[0], &x) || !as_double(ec, arg_type(call, 1), &a[1], &y))
        return LM_OK;
    double n = s->n + 1;
    double dx = x - s->xavg;
    double dxN = dx / n;
    double dy = y - s->yavg;
    double dyN = dy / n;
    double xavg = s->xavg + dxN;
    double yavg = s->yavg + dyN;
    s->ck += dx * (y - yavg);
    s->xmk += dx * (x - xavg);
    s->ymk += dy * (y - yavg);
    s->n = n;
    s->xavg = xavg;
    s->yavg = yavg;
    return LM_OK;
}

static lm_status comoment_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    comoment_state *s = st;
    const comoment_state *o = ot;
    if (o->n == 0)
        return LM_OK;
    double n1 = s->n, n2 = o->n, n = n1 + n2;
    double dx = o->xavg - s->xavg, dxN = dx / n;
    double dy = o->yavg - s->yavg, dyN = dy / n;
    s->xavg += dxN * n2;
    s->yavg += dyN * n2;
    s->ck += o->ck + dx * dyN * n1 * n2;
    s->xmk += o->xmk + dx * dxN * n1 * n2;
    s->ymk += o->ymk + dy * dyN * n1 * n2;
    s->n = n;
    return LM_OK;
}

static lm_status comoment_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    comoment_state *s = st;
    const char *nm = call->fn->name;
    *out = lm_value_null();
    if (s->n == 0)
        return LM_OK;
    if (strcmp(nm, "corr") == 0) {
        if (s->n == 1 || s->xmk * s->ymk == 0)
            return LM_OK;
        *out = lm_value_f64(s->ck / sqrt(s->xmk * s->ymk));
    } else if (strcmp(nm, "covar_pop") == 0) {
        *out = lm_value_f64(s->ck / s->n);
    } else {
        if (s->n == 1)
            return LM_OK;
        *out = lm_value_f64(s->ck / (s->n - 1));
    }
    return LM_OK;
}

/* ------------------------------------------------------------ collect */

typedef struct list_state {
    vlist l;
} list_state;

static lm_status resolve_collect(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (strcmp(call->fn->name, "collect_set") == 0 && call->args[0]->type->id == LM_TYPE_MAP) {
        lm_coerce_mismatch(rc, call, err, "UNSUPPORTED_INPUT_TYPE",
                           "The input of `collect_set` can't be \"MAP\" type data.");
        return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_array(call->args[0]->type, false), false, err);
}

static bool is_set(const lm_expr *call)
{
    return strcmp(call->fn->name, "collect_set") == 0;
}

static bool list_contains(const vlist *l, const lm_type *t, const lm_value *v)
{
    for (int64_t i = 0; i < l->n; i++)
        if (lm_value_equal(t, &l->v[i], v))
            return true;
    return false;
}

static lm_status collect_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    list_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    const lm_type *t = arg_type(call, 0);
    if (is_set(call) && list_contains(&s->l, t, &a[0]))
        return LM_OK;
    if (!vl_push(&s->l, t, &a[0], NULL, NULL))
        return oom(ec);
    return LM_OK;
}

static lm_status collect_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    const list_state *o = ot;
    for (int64_t i = 0; i < o->l.n; i++) {
        lm_status r = collect_update(ec, call, st, &o->l.v[i]);
        if (r != LM_OK)
            return r;
    }
    return LM_OK;
}

static lm_status collect_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    list_state *s = st;
    lm_value *e = fn_values(ec, (size_t)s->l.n);
    if (e == NULL)
        return LM_ENOMEM;
    const lm_type *t = arg_type(call, 0);
    for (int64_t i = 0; i < s->l.n; i++)
        if (!lm_value_copy(ec->arena, t, &s->l.v[i], &e[i]))
            return oom(ec);
    return fn_out_array(ec, out, e, (int32_t)s->l.n);
}

static void list_free(const lm_expr *call, void *st)
{
    vl_free(&((list_state *)st)->l);
}

/* ------------------------------------------------------------ mode */

static lm_status mode_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    list_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    const lm_type *t = arg_type(call, 0);
    for (int64_t i = 0; i < s->l.n; i++)
        if (lm_value_equal(t, &s->l.v[i], &a[0])) {
            s->l.w[i].u.i64++;
            return LM_OK;
        }
    lm_value one = lm_value_i64(1);
    if (!vl_push(&s->l, t, &a[0], lm_type_long(), &one))
        return oom(ec);
    return LM_OK;
}

static lm_status mode_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    list_state *s = st;
    const list_state *o = ot;
    const lm_type *t = arg_type(call, 0);
    for (int64_t j = 0; j < o->l.n; j++) {
        bool found = false;
        for (int64_t i = 0; i < s->l.n && !found; i++)
            if (lm_value_equal(t, &s->l.v[i], &o->l.v[j])) {
                s->l.w[i].u.i64 += o->l.w[j].u.i64;
                found = true;
            }
        if (!found && !vl_push(&s->l, t, &o->l.v[j], lm_type_long(), &o->l.w[j]))
            return oom(ec);
    }
    return LM_OK;
}

static lm_status mode_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    list_state *s = st;
    int64_t best = -1;
    for (int64_t i = 0; i < s->l.n; i++)
        if (best < 0 || s->l.w[i].u.i64 > s->l.w[best].u.i64)
            best = i;
    if (best < 0) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (!lm_value_copy(ec->arena, call->type, &s->l.v[best], out))
        return oom(ec);
    return LM_OK;
}

static lm_status resolve_mode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

/* ------------------------------------------------------------ percentiles */

static lm_status resolve_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool approx = strstr(call->fn->name, "approx") != NULL;
    bool median = strcmp(call->fn->name, "median") == 0;
    const lm_type *t = call->args[0]->type;
    if (!lm_type_is_numeric(t) && !(approx && (t->id == LM_TYPE_DATE || t->id == LM_TYPE_TIMESTAMP ||
                                               t->id == LM_TYPE_TIMESTAMP_NTZ)) &&
        t->id != LM_TYPE_YM_INTERVAL && t->id != LM_TYPE_DT_INTERVAL) {
        if (fn_expect(rc, call, 0, lm_type_double(), "\"NUMERIC\"", err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    }
    bool array = false;
    if (!median) {
        lm_value p;
        const lm_type *pt = call->args[1]->type;
        if (!fn_const_value(rc, call->args[1], &p)) {
            lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                               "the input percentage should be a foldable \"DOUBLE\" expression.");
            return LM_ERROR;
        }
        if (pt->id == LM_TYPE_ARRAY) {
            array = true;
            lm_type *at = lm_type_array(lm_type_double(), false);
            lm_arena_keep_type(rc->a, at);
            if (fn_cast_arg(rc, call, 1, at, err) != LM_OK)
                return LM_ERROR;
        } else if (fn_expect(rc, call, 1, lm_type_double(), "\"DOUBLE\"", err) != LM_OK)
            return LM_ERROR;
    }
    lm_type *et = approx ? fn_tref(t)
                         : (t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL)
                               ? fn_tref(t)
                               : lm_type_double();
    lm_type *r = et;
    if (array) {
        r = lm_type_array(et, false);
        lm_type_unref(et);
    }
    return fn_set_result(rc, call, r, true, err);
}

static lm_status pct_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    list_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    bool approx = strstr(call->fn->name, "approx") != NULL;
    bool median = strcmp(call->fn->name, "median") == 0;
    int64_t freq = 1;
    if (!approx && !median && call->nargs == 3) {
        if (a[2].is_null)
            return LM_OK;
        freq = a[2].u.i64;
        if (freq < 0) {
            lm_eval_error(ec, LM_EXC_RUNTIME, "_LEGACY_ERROR_TEMP_2013", NULL,
                          "Negative values found in %lld", (long long)freq);
            return LM_ERROR;
        }
        if (freq == 0)
            return LM_OK;
    }
    lm_value w = lm_value_i64(freq);
    if (!vl_push(&s->l, arg_type(call, 0), &a[0], lm_type_long(), &w))
        return oom(ec);
    return LM_OK;
}

static lm_status pct_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    list_state *s = st;
    const list_state *o = ot;
    for (int64_t i = 0; i < o->l.n; i++)
        if (!vl_push(&s->l, arg_type(call, 0), &o->l.v[i], lm_type_long(), &o->l.w[i]))
            return oom(ec);
    return LM_OK;
}

static _Thread_local const lm_type *g_sort_type;

static int cmp_pair(const void *x, const void *y)
{
    const lm_value *a = x, *b = y;
    return lm_value_compare(g_sort_type, a, b);
}

static double pct_exact(const lm_value *sorted, const int64_t *acc, int64_t nd, const lm_type *t,
                        int64_t total, double p)
{
    double position = (double)(total - 1) * p;
    int64_t lower = (int64_t)floor(position), higher = (int64_t)ceil(position);
    /* value at 0-based rank r */
    double lo = 0, hi = 0;
    for (int64_t i = 0; i < nd; i++)
        if (acc[i] > lower) {
            lo = fn_to_double(t, &sorted[i]);
            break;
        }
    for (int64_t i = 0; i < nd; i++)
        if (acc[i] > higher) {
            hi = fn_to_double(t, &sorted[i]);
            break;
        }
    if (lower == higher)
        return lo;
    return ((double)higher - position) * lo + (position - (double)lower) * hi;
}

static lm_status pct_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    list_state *s = st;
    bool approx = strstr(call->fn->name, "approx") != NULL;
    bool median = strcmp(call->fn->name, "median") == 0;
    const lm_type *t = arg_type(call, 0);
    *out = lm_value_null();
    if (s->l.n == 0)
        return LM_OK;
    /* sort values with their weights */
    int64_t n = s->l.n;
    lm_value *pairs = malloc(sizeof *pairs * (size_t)n * 2);
    if (pairs == NULL)
        return oom(ec);
    lm_value *vals = malloc(sizeof *vals * (size_t)n);
    int64_t *idx = malloc(sizeof *idx * (size_t)n);
    if (vals == NULL || idx == NULL) {
        free(pairs);
        free(vals);
        free(idx);
        return oom(ec);
    }
    /* sort indices by value: simple merge via qsort on a struct array */
    typedef struct {
        lm_value v;
        int64_t w;
    } vw;
    vw *arr = (vw *)pairs;
    for (int64_t i = 0; i < n; i++) {
        arr[i].v = s->l.v[i];
        arr[i].w = s->l.w[i].u.i64;
    }
    g_sort_type = t;
    qsort(arr, (size_t)n, sizeof *arr, cmp_pair);
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++) {
        total += arr[i].w;
        vals[i] = arr[i].v;
        idx[i] = total;
    }
    lm_value pv = median ? lm_value_f64(0.5) : lm_value_null();
    const lm_value *ps;
    int32_t np;
    bool array = call->type->id == LM_TYPE_ARRAY;
    lm_value one;
    if (median) {
        one = pv;
        ps = &one;
        np = 1;
    } else {
        lm_value p;
        lm_status stt = lm_eval_expr(ec, call->args[1], NULL, &p);
        if (stt != LM_OK || p.is_null) {
            free(pairs);
            free(vals);
            free(idx);
            return stt;
        }
        if (array) {
            ps = p.u.arr->elems;
            np = p.u.arr->n;
        } else {
            one = p;
            ps = &one;
            np = 1;
        }
    }
    lm_value *res = fn_values(ec, (size_t)np);
    lm_status rs = LM_OK;
    for (int32_t k = 0; res && k < np; k++) {
        double p = ps[k].u.f64;
        if (p < 0 || p > 1) {
            rs = lm_eval_error(ec, LM_EXC_ANALYSIS, "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "42K09",
                               "The percentage must be between [0.0, 1.0].");
            break;
        }
        if (approx) {
            /* QuantileSummaries.query on an exact summary */
            int64_t rank = (int64_t)ceil(p * (double)total);
            int64_t target = rank <= 0 ? 0 : rank - 1;
            if (p <= 1.0 / 10000)
                target = 0;
            int64_t pos = 0;
            while (pos < n - 1 && idx[pos] <= target)
                pos++;
            if (!lm_value_copy(ec->arena, t, &vals[pos], &res[k]))
                rs = oom(ec);
        } else {
            double v = pct_exact(vals, idx, n, t, total, p);
            if (t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL)
                res[k] = lm_value_i64((int64_t)llround(v));
            else
                res[k] = lm_value_f64(v);
        }
    }
    free(pairs);
    free(vals);
    free(idx);
    if (res == NULL)
        return LM_ENOMEM;
    if (rs != LM_OK)
        return rs;
    if (array)
        return fn_out_array(ec, out, res, np);
    *out = res[0];
    return LM_OK;
}

/* ------------------------------------------------------------ HLL++ */

#define HLL_MAXP 16
typedef struct hll_state {
    int p;
    uint8_t reg[1 << HLL_MAXP];
} hll_state;

static lm_status resolve_hll(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2 && fn_expect(rc, call, 1, lm_type_double(), "\"DOUBLE\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static int hll_p(lm_eval_ctx *ec, const lm_expr *call)
{
    double rsd = 0.05;
    if (call->nargs == 2) {
        lm_value v;
        if (lm_eval_expr(ec, call->args[1], NULL, &v) == LM_OK && !v.is_null)
            rsd = v.u.f64;
    }
    int p = (int)ceil(2.0 * log(1.106 / rsd) / log(2.0));
    if (p < 4)
        p = 4;
    if (p > HLL_MAXP)
        p = HLL_MAXP;
    return p;
}

static lm_status hll_init(lm_eval_ctx *ec, const lm_expr *call, void *st)
{
    ((hll_state *)st)->p = hll_p(ec, call);
    return LM_OK;
}

static lm_status hll_update(lm_eval_ctx *ec, const lm_expr *call, void *st, const lm_value *a)
{
    hll_state *s = st;
    if (a[0].is_null)
        return LM_OK;
    uint64_t x = lm_xxhash64_hash_value(arg_type(call, 0), &a[0], LM_XXHASH64_SEED);
    int p = s->p;
    uint64_t idx = x >> (64 - p);
    uint64_t w = (x << p) | ((uint64_t)1 << (p - 1));
    int pw = __builtin_clzll(w) + 1;
    if (pw > s->reg[idx])
        s->reg[idx] = (uint8_t)pw;
    return LM_OK;
}

static lm_status hll_merge(lm_eval_ctx *ec, const lm_expr *call, void *st, const void *ot)
{
    hll_state *s = st;
    const hll_state *o = ot;
    for (int i = 0; i < (1 << s->p); i++)
        if (o->reg[i] > s->reg[i])
            s->reg[i] = o->reg[i];
    return LM_OK;
}

static lm_status hll_final(lm_eval_ctx *ec, const lm_expr *call, void *st, lm_value *out)
{
    static const double thresholds[] = {10, 20, 40, 80, 220, 400, 900, 1800, 3100,
                                        6500, 11500, 20000, 50000, 120000, 350000};
    hll_state *s = st;
    int m = 1 << s->p;
    double alpha;
    switch (s->p) {
    case 4: alpha = 0.673; break;
    case 5: alpha = 0.697; break;
    case 6: alpha = 0.709; break;
    default: alpha = 0.7213 / (1.0 + 1.079 / m); break;
    }
    double zinv = 0;
    int v = 0;
    for (int i = 0; i < m; i++) {
        zinv += 1.0 / (double)((uint64_t)1 << s->reg[i]);
        if (s->reg[i] == 0)
            v++;
    }
    double e = alpha * m * m / zinv;
    double est = e;
    if (v > 0) {
        double h = m * log((double)m / v);
        if (h <= thresholds[s->p - 4])
            est = h;
    }
    *out = lm_value_i64((int64_t)llround(est));
    return LM_OK;
}

/* ------------------------------------------------------------ table */

#define AGG(nm, res, sz, upd, mrg, fin, fr) \
    {.name = nm, .kind = LM_FN_AGGREGATE, .min_args = 1, .max_args = 1, .resolve = res, \
     .state_size = sz, .agg_update = upd, .agg_merge = mrg, .agg_final = fin, .agg_free = fr, \
     .pretty = nm}
#define AGG2(nm, res, sz, upd, mrg, fin, fr) \
    {.name = nm, .kind = LM_FN_AGGREGATE, .min_args = 2, .max_args = 2, .resolve = res, \
     .state_size = sz, .agg_update = upd, .agg_merge = mrg, .agg_final = fin, .agg_free = fr, \
     .pretty = nm}
#define FIRST(nm) \
    {.name = nm, .kind = LM_FN_AGGREGATE, .min_args = 1, .max_args = 2, \
     .style = LM_STYLE_CUSTOM, .resolve = resolve_first, .state_size = sizeof(first_state), \
     .agg_update = first_update, .agg_merge = first_merge, .agg_final = first_final, \
     .agg_free = first_free, .sql = sql_first, .pretty = nm}
#define MOMENT(nm) AGG(nm, resolve_double_agg, sizeof(moment_state), moment_update, moment_merge, \
                       moment_final, NULL)
#define COMOMENT(nm) AGG2(nm, resolve_double_agg, sizeof(comoment_state), comoment_update, \
                          comoment_merge, comoment_final, NULL)

static const lm_func_def k_defs[] = {
    {.name = "count", .kind = LM_FN_AGGREGATE, .min_args = 1, .max_args = -1,
     .resolve = resolve_count, .state_size = sizeof(count_state), .agg_update = count_update,
     .agg_merge = count_merge, .agg_final = count_final, .pretty = "count"},
    AGG("count_if", resolve_count_if, sizeof(count_state), count_if_update, count_merge,
        count_final, NULL),
    AGG("sum", resolve_sum_avg, sizeof(sum_state), sum_update, sum_merge, sum_final, NULL),
    AGG("avg", resolve_sum_avg, sizeof(sum_state), sum_update, sum_merge, sum_final, NULL),
    AGG("mean", resolve_sum_avg, sizeof(sum_state), sum_update, sum_merge, sum_final, NULL),
    AGG("min", resolve_minmax, sizeof(minmax_state), minmax_update, minmax_merge, minmax_final,
        minmax_free),
    AGG("max", resolve_minmax, sizeof(minmax_state), minmax_update, minmax_merge, minmax_final,
        minmax_free),
    AGG2("max_by", resolve_by, sizeof(minmax_state), by_update, by_merge, minmax_final,
         minmax_free),
    AGG2("min_by", resolve_by, sizeof(minmax_state), by_update, by_merge, minmax_final,
         minmax_free),
    FIRST("first"), FIRST("first_value"), FIRST("last"), FIRST("last_value"),
    FIRST("any_value"),
    AGG("bool_and", resolve_bool_agg, sizeof(bool_state), bool_update, bool_merge, bool_final,
        NULL),
    AGG("every", resolve_bool_agg, sizeof(bool_state), bool_update, bool_merge, bool_final, NULL),
    AGG("bool_or", resolve_bool_agg, sizeof(bool_state), bool_update, bool_merge, bool_final,
        NULL),
    AGG("some", resolve_bool_agg, sizeof(bool_state), bool_update, bool_merge, bool_final, NULL),
    AGG("any", resolve_bool_agg, sizeof(bool_state), bool_update, bool_merge, bool_final, NULL),
    MOMENT("stddev"), MOMENT("std"), MOMENT("stddev_samp"), MOMENT("stddev_pop"),
    MOMENT("variance"), MOMENT("var_samp"), MOMENT("var_pop"), MOMENT("skewness"),
    MOMENT("kurtosis"),
    COMOMENT("corr"), COMOMENT("covar_pop"), COMOMENT("covar_samp"),
    AGG("collect_list", resolve_collect, sizeof(list_state), collect_update, collect_merge,
        collect_final, list_free),
    AGG("array_agg", resolve_collect, sizeof(list_state), collect_update, collect_merge,
        collect_final, list_free),
    AGG("collect_set", resolve_collect, sizeof(list_state), collect_update, collect_merge,
        collect_final, list_free),
    AGG("mode", resolve_mode, sizeof(list_state), mode_update, mode_merge, mode_final, list_free),
    {.name = "percentile", .kind = LM_FN_AGGREGATE, .min_args = 2, .max_args = 3,
     .resolve = resolve_percentile, .state_size = sizeof(list_state), .agg_update = pct_update,
     .agg_merge = pct_merge, .agg_final = pct_final, .agg_free = list_free,
     .pretty = "percentile"},
    {.name = "percentile_approx", .kind = LM_FN_AGGREGATE, .min_args = 2, .max_args = 3,
     .resolve = resolve_percentile, .state_size = sizeof(list_state), .agg_update = pct_update,
     .agg_merge = pct_merge, .agg_final = pct_final, .agg_free = list_free,
     .pretty = "percentile_approx"},
    {.name = "approx_percentile", .kind = LM_FN_AGGREGATE, .min_args = 2, .max_args = 3,
     .resolve = resolve_percentile, .state_size = sizeof(list_state), .agg_update = pct_update,
     .agg_merge = pct_merge, .agg_final = pct_final, .agg_free = list_free,
     .pretty = "approx_percentile"},
    AGG("median", resolve_percentile, sizeof(list_state), pct_update, pct_merge, pct_final,
        list_free),
    {.name = "approx_count_distinct", .kind = LM_FN_AGGREGATE, .min_args = 1, .max_args = 2,
     .resolve = resolve_hll, .state_size = sizeof(hll_state), .agg_init = hll_init,
     .agg_update = hll_update, .agg_merge = hll_merge, .agg_final = hll_final,
     .pretty = "approx_count_distinct"},
};

const lm_func_table lm_funcs_aggregate = {k_defs, sizeof k_defs / sizeof k_defs[0]};
