/*
 * The aggregate family: the registry table of every aggregate function,
 * and the kernels of the arithmetic, extremum, boolean and statistical
 * aggregates (count, sum, avg, min, max, first/last, bool_and/or,
 * count_if, max_by/min_by, the central moments, covariance, correlation
 * and the regr_* family). Collections, percentiles and HyperLogLog++
 * live in agg_collect.c, agg_percentile.c and agg_hll.c (agg_internal.h
 * states the contract every kernel keeps).
 *
 * Result types, nullability and NULL/NaN edge cases follow Spark 3.5 with
 * spark.sql.ansi.enabled=false: sum of integers wraps, a decimal sum that
 * overflows is NULL, and the sample statistics of a single row are NULL
 * unless spark.sql.legacy.statisticalAggregate asks for NaN.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions/agg_internal.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "session/session.h"
#include "types/decimal.h"

/* ------------------------------------------------------------ helpers */

bool agg_vals_push(agg_vals *a, const lm_value *v)
{
    if (a->n == a->cap) {
        int64_t nc = a->cap ? a->cap * 2 : 16;
        lm_value *nv = realloc(a->v, sizeof *nv * (size_t)nc);
        if (nv == NULL)
            return false;
        a->v = nv;
        a->cap = nc;
    }
    a->v[a->n++] = *v;
    return true;
}

void agg_vals_free(agg_vals *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

bool agg_legacy_statistical(const lm_eval_ctx *ec)
{
    return ec->session &&
           session_conf_bool(ec->session, "spark.sql.legacy.statisticalAggregate", false);
}

lm_status agg_expect_double(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (t->id == LM_TYPE_DOUBLE)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_double(), "\"DOUBLE\"", err);
}


/* Copies a value into the state arena so it outlives the input batch. */
static lm_status keep_value(lm_eval_ctx *ec, const lm_type *t, const lm_value *src, lm_value *dst)
{
    if (!lm_value_copy(ec->arena, t, src, dst))
        return lm_error_oom(ec->err);
    return LM_OK;
}

/* The SQL type list Spark prints for sum/avg's TypeCollection. */
static const char k_numeric_or_interval[] =
    "(\"NUMERIC\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL DAY TO SECOND\")";

/* Integer division rounding half away from zero (Guava's HALF_UP), as
   Spark divides interval sums by the row count. */
static int64_t div_half_up(int64_t a, int64_t b)
{
    int64_t q = a / b, r = a % b;
    int64_t ar = r < 0 ? -r : r, ab = b < 0 ? -b : b;
    if (ar >= ab - ar)
        q += ((a < 0) != (b < 0)) ? -1 : 1;
    return q;
}

/* --------------------------------------------------------------- count */

/* count(a, b, ...) counts the rows where every argument is non-NULL;
   count(*) reaches here as count(1). */
static lm_status resolve_count(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    /* count() is only accepted (and counts nothing) under
       spark.sql.legacy.allowParameterlessCount */
    if (call->nargs == 0 &&
        !(rc->s && session_conf_bool(rc->s, "spark.sql.legacy.allowParameterlessCount", false))) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "WRONG_NUM_ARGS.WITH_SUGGESTION", "42605",
                     "[WRONG_NUM_ARGS.WITH_SUGGESTION] The `count` requires  >= 1 parameters but "
                     "the actual number is 0. If you have to call this function with 0 "
                     "parameters, set the legacy configuration "
                     "\"spark.sql.legacy.allowParameterlessCount\" to \"true\".");
        lm_error_param_add(err, "functionName", "`count`");
        lm_error_param_add(err, "expectedNum", " >= 1");
        lm_error_param_add(err, "actualNum", "0");
        lm_error_param_add(err, "legacyNum", "0");
        lm_error_param_add(err, "legacyConfKey", "\"spark.sql.legacy.allowParameterlessCount\"");
        lm_error_param_add(err, "legacyConfValue", "\"true\"");
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status count_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                              const lm_value *args)
{
    if (call->nargs == 0)
        return LM_OK;
    for (int i = 0; i < call->nargs; i++)
        if (args[i].is_null)
            return LM_OK;
    (*(int64_t *)state)++;
    return LM_OK;
}

static lm_status count_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    *(int64_t *)state += *(const int64_t *)other;
    return LM_OK;
}

static lm_status count_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    *out = lm_value_i64(*(int64_t *)state);
    return LM_OK;
}

/* count_if(cond): rows where cond is true. */
static lm_status resolve_count_if(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_BOOLEAN &&
        fn_expect(rc, call, 0, lm_type_boolean(), "\"BOOLEAN\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status count_if_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                 const lm_value *args)
{
    if (!args[0].is_null && args[0].u.b)
        (*(int64_t *)state)++;
    return LM_OK;
}

/* ----------------------------------------------------------- sum / avg */

typedef struct sum_state {
    bool seen;     /* a non-NULL input arrived */
    bool overflow; /* decimal sum left its buffer precision: NULL */
    int64_t n;     /* avg: rows counted */
    int64_t i;     /* integral sum, interval months / micros */
    double d;      /* double sum (also avg of non-decimal numbers) */
    lm_int128 dec; /* decimal sum at the input scale */
} sum_state;

/* The checks Sum and Average share: numeric or ANSI interval input,
   strings read as DOUBLE. Sets *in to the (possibly cast) input type. */
static lm_status sum_input(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    switch (t->id) {
    case LM_TYPE_NULL:
    case LM_TYPE_STRING:
    case LM_TYPE_TIMESTAMP:
        /* Spark's implicit cast for a NUMERIC parameter: strings and
           timestamps (seconds) become DOUBLE */
        return fn_cast_arg(rc, call, 0, lm_type_double(), err);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
    case LM_TYPE_DECIMAL:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return LM_OK;
    default:
        return lm_coerce_unexpected_input(rc, call, 0, k_numeric_or_interval, err);
    }
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* sum: bigint for integers, double for floating point, decimal(p+10, s)
   (at most 38 digits) for decimals, the interval type for intervals. */
static lm_status resolve_sum(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (sum_input(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_type *t = call->args[0]->type;
    lm_type *rt;
    if (lm_type_is_integral(t))
        rt = lm_type_long();
    else if (t->id == LM_TYPE_DECIMAL)
        rt = lm_type_decimal(min_int(38, t->precision + 10), t->scale);
    else if (t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL)
        rt = fn_tref(t);
    else
        rt = lm_type_double();
    return fn_set_result(rc, call, rt, true, err);
}

static lm_status interval_overflow(lm_eval_ctx *ec, bool months)
{
    return fn_overflow_error(ec, months ? "integer overflow" : "long overflow", NULL);
}

/* Adds one input to a sum buffer; Sum and Average share it. The decimal
   buffer may hold one digit more than the result type (Spark's Add on the
   buffer type) before the sum becomes NULL. */
static lm_status sum_add(lm_eval_ctx *ec, const lm_type *t, int buf_precision, sum_state *s,
                         const lm_value *v, bool avg)
{
    if (v->is_null)
        return LM_OK;
    s->seen = true;
    s->n++;
    switch (t->id) {
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        if (avg) {
            /* Average keeps a double sum even for integers */
            s->d += (double)v->u.i64;
        } else {
            int64_t r;
            if (__builtin_add_overflow(s->i, v->u.i64, &r)) {
                if (fn_ansi(ec))
                    return fn_overflow_error(ec, "long overflow",
                                             "Use 'try_sum' to tolerate "
                                             "overflow and return NULL "
                                             "instead.");
                r = (int64_t)((uint64_t)s->i + (uint64_t)v->u.i64);
            }
            s->i = r;
        }
        break;
    case LM_TYPE_FLOAT:
        s->d += (double)v->u.f32;
        break;
    case LM_TYPE_DOUBLE:
        s->d += v->u.f64;
        break;
    case LM_TYPE_DECIMAL:
        if (!s->overflow) {
            lm_int128 r = s->dec + v->u.dec;
            if (!lm_decimal_fits(r, min_int(38, buf_precision + 1)))
                s->overflow = true;
            else
                s->dec = r;
        }
        break;
    case LM_TYPE_YM_INTERVAL: {
        int64_t r = s->i + v->u.i64;
        if (r > INT32_MAX || r < INT32_MIN)
            return interval_overflow(ec, true);
        s->i = r;
        break;
    }
    case LM_TYPE_DT_INTERVAL:
        if (__builtin_add_overflow(s->i, v->u.i64, &s->i))
            return interval_overflow(ec, false);
        break;
    default:
        break;
    }
    return LM_OK;
}

static lm_status sum_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    return sum_add(ec, call->args[0]->type, call->type->precision, state, &args[0], false);
}

static lm_status sum_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    sum_state *s = state;
    const sum_state *o = other;
    if (!o->seen)
        return LM_OK;
    const lm_type *t = call->args[0]->type;
    s->n += o->n;
    s->d += o->d;
    if (t->id == LM_TYPE_DECIMAL) {
        s->overflow |= o->overflow;
        if (!s->overflow) {
            lm_int128 r = s->dec + o->dec;
            if (!lm_decimal_fits(r, 38))
                s->overflow = true;
            else
                s->dec = r;
        }
    } else {
        s->i = (int64_t)((uint64_t)s->i + (uint64_t)o->i);
    }
    s->seen = true;
    return LM_OK;
}

static lm_status decimal_sum_overflow(lm_eval_ctx *ec, const lm_type *rt, lm_value *out)
{
    if (fn_ansi(ec))
        return fn_decimal_out_of_range(ec, "sum", rt->precision, rt->scale);
    *out = lm_value_null();
    return LM_OK;
}

static lm_status sum_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    sum_state *s = state;
    const lm_type *rt = call->type;
    if (!s->seen) {
        *out = lm_value_null();
        return LM_OK;
    }
    switch (rt->id) {
    case LM_TYPE_LONG:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        *out = lm_value_i64(s->i);
        break;
    case LM_TYPE_DECIMAL:
        if (s->overflow || !lm_decimal_fits(s->dec, rt->precision))
            return decimal_sum_overflow(ec, rt, out);
        *out = lm_value_dec(s->dec);
        break;
    default:
        *out = lm_value_f64(s->d);
        break;
    }
    return LM_OK;
}

/* avg: double, decimal(p+4, s+4) (bounded to 38) for decimals, the
   interval type for intervals. */
static lm_status resolve_avg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (sum_input(rc, call, err) != LM_OK)
        return LM_ERROR;
    const lm_type *t = call->args[0]->type;
    lm_type *rt;
    if (t->id == LM_TYPE_DECIMAL)
        rt = lm_type_decimal(min_int(38, t->precision + 4), min_int(38, t->scale + 4));
    else if (t->id == LM_TYPE_YM_INTERVAL) /* the widest interval of the kind */
        rt = lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH);
    else if (t->id == LM_TYPE_DT_INTERVAL)
        rt = lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND);
    else
        rt = lm_type_double();
    return fn_set_result(rc, call, rt, true, err);
}

static lm_status avg_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    const lm_type *t = call->args[0]->type;
    int bp = t->id == LM_TYPE_DECIMAL ? min_int(38, t->precision + 10) : 0;
    return sum_add(ec, t, bp, state, &args[0], true);
}

/*
 * Spark divides the decimal(p+10, s) sum by the count cast to
 * decimal(20, 0) with Divide's result type (scale max(6, s + 21), reduced
 * to fit 38 digits), then casts that quotient to decimal(p+4, s+4): two
 * HALF_UP roundings, reproduced here.
 */
static lm_status avg_decimal_final(lm_eval_ctx *ec, const lm_expr *call, const sum_state *s,
                                   lm_value *out)
{
    const lm_type *t = call->args[0]->type, *rt = call->type;
    int sp = min_int(38, t->precision + 10), ss = t->scale;
    if (s->overflow || !lm_decimal_fits(s->dec, sp))
        return decimal_sum_overflow(ec, rt, out);
    int dscale = ss + 21 > 6 ? ss + 21 : 6;
    int dprec = sp - ss + dscale;
    fn_dec_adjust(&dprec, &dscale);
    lm_int128 q, r;
    if (lm_decimal_div(s->dec, ss, (lm_int128)s->n, 0, dprec, dscale, &q) != LM_DEC_OK ||
        !lm_decimal_rescale(q, dscale, rt->precision, rt->scale, &r))
        return decimal_sum_overflow(ec, rt, out);
    *out = lm_value_dec(r);
    return LM_OK;
}

static lm_status avg_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    sum_state *s = state;
    if (s->n == 0) {
        *out = lm_value_null();
        return LM_OK;
    }
    switch (call->type->id) {
    case LM_TYPE_DECIMAL:
        return avg_decimal_final(ec, call, s, out);
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        *out = lm_value_i64(div_half_up(s->i, s->n));
        return LM_OK;
    default:
        *out = lm_value_f64(s->d / (double)s->n);
        return LM_OK;
    }
}

/* ---------------------------------------------------- min, max, max_by */

typedef struct extremum_state {
    bool set;
    lm_value v;   /* the extreme value (min/max) or the value kept (max_by) */
    lm_value key; /* max_by/min_by: the ordering value */
} extremum_state;

/* Spark's checkForOrderingExpr: maps (and anything holding one) are not
   orderable. */
static lm_status expect_orderable(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (lm_type_is_orderable(t) || t->id == LM_TYPE_NULL)
        return LM_OK;
    char fname[64];
    snprintf(fname, sizeof fname, "`%s`", call->fn->name);
    const char *tq = fn_type_q(rc, t);
    lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                       "The %s does not support ordering on type %s.", fname, tq);
    lm_error_param_add(err, "functionName", fname);
    lm_error_param_add(err, "dataType", tq);
    return LM_ERROR;
}

static lm_status resolve_min_max(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_orderable(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status extremum_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                 const lm_value *args, int sign)
{
    extremum_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    const lm_type *t = call->args[0]->type;
    if (s->set && sign * lm_value_compare(t, &args[0], &s->v) <= 0)
        return LM_OK;
    s->set = true;
    return keep_value(ec, t, &args[0], &s->v);
}

static lm_status max_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    return extremum_update(ec, call, state, args, 1);
}

static lm_status min_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    return extremum_update(ec, call, state, args, -1);
}

static lm_status max_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const extremum_state *o = other;
    return o->set ? extremum_update(ec, call, state, &o->v, 1) : LM_OK;
}

static lm_status min_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const extremum_state *o = other;
    return o->set ? extremum_update(ec, call, state, &o->v, -1) : LM_OK;
}

static lm_status extremum_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    extremum_state *s = state;
    *out = s->set ? s->v : lm_value_null();
    return LM_OK;
}

/* max_by(x, y) / min_by(x, y): the x of the row with the largest /
   smallest y; the first such row wins ties, NULL orderings are skipped. */
static lm_status resolve_max_by(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_orderable(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status by_update(lm_eval_ctx *ec, const lm_expr *call, extremum_state *s,
                           const lm_value *x, const lm_value *y, int sign)
{
    if (y->is_null)
        return LM_OK;
    const lm_type *kt = call->args[1]->type;
    if (s->set && sign * lm_value_compare(kt, y, &s->key) <= 0)
        return LM_OK;
    s->set = true;
    lm_status st = keep_value(ec, kt, y, &s->key);
    if (st != LM_OK)
        return st;
    if (x->is_null) {
        s->v = lm_value_null();
        return LM_OK;
    }
    return keep_value(ec, call->args[0]->type, x, &s->v);
}

static lm_status max_by_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                               const lm_value *args)
{
    return by_update(ec, call, state, &args[0], &args[1], 1);
}

static lm_status min_by_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                               const lm_value *args)
{
    return by_update(ec, call, state, &args[0], &args[1], -1);
}

static lm_status max_by_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const extremum_state *o = other;
    return o->set ? by_update(ec, call, state, &o->v, &o->key, 1) : LM_OK;
}

static lm_status min_by_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const extremum_state *o = other;
    return o->set ? by_update(ec, call, state, &o->v, &o->key, -1) : LM_OK;
}

/* ------------------------------------------------ first, last, any_value */

/*
 * first(x[, ignoreNulls]) and friends. The ignore-nulls choice, written
 * as a boolean literal second argument or as IGNORE NULLS, becomes the
 * LM_CALL_IGNORE_NULLS flag and the argument is dropped: Spark keeps it as
 * a field, not a child, so the column is named first(x) either way.
 */
static lm_status resolve_first_last(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        lm_value v;
        const lm_expr *a = call->args[1];
        if (a->type->id != LM_TYPE_BOOLEAN || !fn_is_literal(a) || !fn_const_value(rc, a, &v) ||
            v.is_null) {
            char msg[160];
            snprintf(msg, sizeof msg, "The second argument in %s should be a boolean literal.",
                     call->fn->name);
            lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1093", NULL, "%s",
                         msg);
            lm_error_param_add(err, "funcName", call->fn->name);
            lm_error_set_context(err, call->start, call->stop);
            return LM_ERROR;
        }
        if (v.u.b)
            call->flags |= LM_CALL_IGNORE_NULLS;
        call->nargs = 1;
    }
    call->flags &= ~LM_CALL_RESPECT_NULLS;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

typedef struct first_state {
    bool set;
    lm_value v;
} first_state;

static lm_status first_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                              const lm_value *args)
{
    first_state *s = state;
    if (s->set)
        return LM_OK;
    if (args[0].is_null) {
        if (call->flags & LM_CALL_IGNORE_NULLS)
            return LM_OK;
        s->set = true;
        s->v = lm_value_null();
        return LM_OK;
    }
    s->set = true;
    return keep_value(ec, call->args[0]->type, &args[0], &s->v);
}

static lm_status first_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    first_state *s = state;
    const first_state *o = other;
    if (!s->set && o->set)
        *s = *o;
    return LM_OK;
}

static lm_status last_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                             const lm_value *args)
{
    first_state *s = state;
    if (args[0].is_null) {
        if (call->flags & LM_CALL_IGNORE_NULLS)
            return LM_OK;
        s->set = true;
        s->v = lm_value_null();
        return LM_OK;
    }
    s->set = true;
    return keep_value(ec, call->args[0]->type, &args[0], &s->v);
}

static lm_status last_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    first_state *s = state;
    const first_state *o = other;
    if (o->set && (!o->v.is_null || !(call->flags & LM_CALL_IGNORE_NULLS)))
        *s = *o;
    return LM_OK;
}

static lm_status first_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    first_state *s = state;
    *out = s->set ? s->v : lm_value_null();
    return LM_OK;
}

/* Spark prints first(x), never the ignore-nulls choice. */
static void sql_first_last(lm_strbuf *sb, const lm_expr *call)
{
    const char *name = call->fn->pretty ? call->fn->pretty : call->fn->name;
    lm_strbuf_printf(sb, "%s(", name);
    if (call->distinct)
        lm_strbuf_puts(sb, "DISTINCT ");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_putc(sb, ')');
}

/* ----------------------------------------------------- bool_and, bool_or */

typedef struct bool_state {
    bool seen;
    bool v;
} bool_state;

static lm_status resolve_bool_agg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_BOOLEAN &&
        fn_expect(rc, call, 0, lm_type_boolean(), "\"BOOLEAN\"", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), true, err);
}

static lm_status bool_and_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                 const lm_value *args)
{
    bool_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    s->v = s->seen ? (s->v && args[0].u.b) : args[0].u.b;
    s->seen = true;
    return LM_OK;
}

static lm_status bool_or_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                const lm_value *args)
{
    bool_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    s->v = s->seen ? (s->v || args[0].u.b) : args[0].u.b;
    s->seen = true;
    return LM_OK;
}

static lm_status bool_and_merge(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                const void *other)
{
    const bool_state *o = other;
    lm_value v = lm_value_bool(o->v);
    return o->seen ? bool_and_update(ec, call, state, &v) : LM_OK;
}

static lm_status bool_or_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const bool_state *o = other;
    lm_value v = lm_value_bool(o->v);
    return o->seen ? bool_or_update(ec, call, state, &v) : LM_OK;
}

static lm_status bool_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    bool_state *s = state;
    *out = s->seen ? lm_value_bool(s->v) : lm_value_null();
    return LM_OK;
}

/* -------------------------------------------- bit_and, bit_or, bit_xor */

/* Spark's BitAndAgg/BitOrAgg/BitXorAgg: integral input, result of the same
   type, NULL when every input is NULL. */
typedef struct bit_state {
    bool seen;
    int64_t v;
} bit_state;

static lm_status resolve_bit_agg(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (!lm_type_is_integral(call->args[0]->type))
        return lm_coerce_unexpected_input(rc, call, 0, "\"INTEGRAL\"", err);
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

static lm_status bit_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                            const lm_value *args)
{
    bit_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    int64_t x = args[0].u.i64;
    char op = call->fn->name[4]; /* bit_[a]nd, bit_[o]r, bit_[x]or */
    if (!s->seen)
        s->v = x;
    else
        s->v = op == 'a' ? (s->v & x) : op == 'o' ? (s->v | x) : (s->v ^ x);
    s->seen = true;
    return LM_OK;
}

static lm_status bit_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const bit_state *o = other;
    lm_value v = lm_value_i64(o->v);
    return o->seen ? bit_update(ec, call, state, &v) : LM_OK;
}

static lm_status bit_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    bit_state *s = state;
    if (!s->seen) {
        *out = lm_value_null();
        return LM_OK;
    }
    /* the result keeps the input's width (xor of tinyints stays a tinyint) */
    int64_t v = s->v;
    switch (call->type->id) {
    case LM_TYPE_BYTE: v = (int8_t)v; break;
    case LM_TYPE_SHORT: v = (int16_t)v; break;
    case LM_TYPE_INT: v = (int32_t)v; break;
    default: break;
    }
    *out = lm_value_i64(v);
    return LM_OK;
}

/* ------------------------------------------------------- central moments */

/*
 * One-pass central moments (n, mean, M2, M3, M4), updated and merged as
 * Spark's CentralMomentAgg does (Meng 2015), so the floating-point results
 * agree to the last bit.
 */
typedef struct moment_state {
    double n, avg, m2, m3, m4;
} moment_state;

static lm_status resolve_double_stat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (agg_expect_double(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_double(), true, err);
}

static void moment_add(moment_state *s, double x, int order)
{
    double n = s->n + 1.0;
    double delta = x - s->avg;
    double delta_n = delta / n;
    double avg = s->avg + delta_n;
    double m2 = s->m2 + delta * (delta - delta_n);
    double delta2 = delta * delta, delta_n2 = delta_n * delta_n;
    double m3 = 0.0, m4 = 0.0;
    if (order >= 3)
        m3 = s->m3 - 3.0 * delta_n * m2 + delta * (delta2 - delta_n2);
    if (order >= 4)
        m4 = s->m4 - 4.0 * delta_n * m3 - 6.0 * delta_n2 * m2 +
             delta * (delta * delta2 - delta_n * delta_n2);
    s->n = n;
    s->avg = avg;
    s->m2 = m2;
    s->m3 = m3;
    s->m4 = m4;
}

static int moment_order(const lm_expr *call)
{
    const char *n = call->fn->name;
    if (strcmp(n, "kurtosis") == 0)
        return 4;
    if (strcmp(n, "skewness") == 0)
        return 3;
    return 2;
}

static lm_status moment_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                               const lm_value *args)
{
    if (!args[0].is_null)
        moment_add(state, args[0].u.f64, moment_order(call));
    return LM_OK;
}

static lm_status moment_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    moment_state *l = state;
    const moment_state *r = other;
    int order = moment_order(call);
    double n1 = l->n, n2 = r->n, n = n1 + n2;
    double delta = r->avg - l->avg;
    double delta_n = n == 0.0 ? 0.0 : delta / n;
    double avg = l->avg + delta_n * n2;
    double m2 = l->m2 + r->m2 + delta * delta_n * n1 * n2;
    double m3 = 0.0, m4 = 0.0;
    if (order >= 3)
        m3 = l->m3 + r->m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) +
             3.0 * delta_n * (n1 * r->m2 - n2 * l->m2);
    if (order >= 4)
        m4 = l->m4 + r->m4 +
             delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2) +
             6.0 * delta_n * delta_n * (n1 * n1 * r->m2 + n2 * n2 * l->m2) +
             4.0 * delta_n * (n1 * r->m3 - n2 * l->m3);
    l->n = n;
    l->avg = avg;
    l->m2 = m2;
    l->m3 = m3;
    l->m4 = m4;
    return LM_OK;
}

/* NULL, or NaN under the legacy statistical conf, for a division by zero. */
static void div_zero_result(lm_eval_ctx *ec, lm_value *out)
{
    *out = agg_legacy_statistical(ec) ? lm_value_f64(NAN) : lm_value_null();
}

static lm_status var_pop_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->m2 / s->n);
    return LM_OK;
}

static lm_status var_samp_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->n == 1.0)
        div_zero_result(ec, out);
    else
        *out = lm_value_f64(s->m2 / (s->n - 1.0));
    return LM_OK;
}

static lm_status stddev_pop_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(sqrt(s->m2 / s->n));
    return LM_OK;
}

static lm_status stddev_samp_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->n == 1.0)
        div_zero_result(ec, out);
    else
        *out = lm_value_f64(sqrt(s->m2 / (s->n - 1.0)));
    return LM_OK;
}

static lm_status skewness_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->m2 == 0.0)
        div_zero_result(ec, out);
    else
        *out = lm_value_f64(sqrt(s->n) * s->m3 / sqrt(s->m2 * s->m2 * s->m2));
    return LM_OK;
}

static lm_status kurtosis_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    moment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->m2 == 0.0)
        div_zero_result(ec, out);
    else
        *out = lm_value_f64(s->n * s->m4 / (s->m2 * s->m2) - 3.0);
    return LM_OK;
}

/* ------------------------------------------ covariance, corr and regr_* */

/* Co-moments of (x, y) pairs where both are non-NULL, as Spark's
   Covariance and PearsonCorrelation buffers. For the regr_* functions
   the first argument is y and the second x; they keep the same buffer
   with the roles named by the caller. */
typedef struct comoment_state {
    double n, xavg, yavg, ck, xmk, ymk;
} comoment_state;

static void comoment_add(comoment_state *s, double x, double y)
{
    double n = s->n + 1.0;
    double dx = x - s->xavg, dx_n = dx / n;
    double dy = y - s->yavg, dy_n = dy / n;
    double xavg = s->xavg + dx_n, yavg = s->yavg + dy_n;
    s->ck += dx * (y - yavg);
    s->xmk += dx * (x - xavg);
    s->ymk += dy * (y - yavg);
    s->n = n;
    s->xavg = xavg;
    s->yavg = yavg;
}

static lm_status comoment_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                 const lm_value *args)
{
    if (args[0].is_null || args[1].is_null)
        return LM_OK;
    comoment_add(state, args[0].u.f64, args[1].u.f64);
    return LM_OK;
}

/* regr_*(y, x): x is the second argument. */
static lm_status regr_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                             const lm_value *args)
{
    if (args[0].is_null || args[1].is_null)
        return LM_OK;
    comoment_add(state, args[1].u.f64, args[0].u.f64);
    return LM_OK;
}

static lm_status comoment_merge(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                const void *other)
{
    comoment_state *l = state;
    const comoment_state *r = other;
    double n1 = l->n, n2 = r->n, n = n1 + n2;
    double dx = r->xavg - l->xavg, dx_n = n == 0.0 ? 0.0 : dx / n;
    double dy = r->yavg - l->yavg, dy_n = n == 0.0 ? 0.0 : dy / n;
    l->xavg += dx_n * n2;
    l->yavg += dy_n * n2;
    l->ck += r->ck + dx * dy_n * n1 * n2;
    l->xmk += r->xmk + dx * dx_n * n1 * n2;
    l->ymk += r->ymk + dy * dy_n * n1 * n2;
    l->n = n;
    return LM_OK;
}

static lm_status covar_pop_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->ck / s->n);
    return LM_OK;
}

static lm_status covar_samp_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->n == 1.0)
        div_zero_result(ec, out);
    else
        *out = lm_value_f64(s->ck / (s->n - 1.0));
    return LM_OK;
}

static lm_status corr_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    if (s->n == 0.0)
        *out = lm_value_null();
    else if (s->n == 1.0)
        div_zero_result(ec, out);
    else {
        /* Spark's Divide: a zero divisor gives NULL (a constant column) */
        double d = sqrt(s->xmk * s->ymk);
        *out = d == 0.0 ? lm_value_null() : lm_value_f64(s->ck / d);
    }
    return LM_OK;
}

/* regr_count(y, x): pairs where both are non-NULL. */
static lm_status regr_count_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = lm_value_i64((int64_t)s->n);
    return LM_OK;
}

static lm_status resolve_regr_count(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < 2; i++)
        if (agg_expect_double(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status regr_avgx_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->xavg);
    return LM_OK;
}

static lm_status regr_avgy_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->yavg);
    return LM_OK;
}

static lm_status regr_sxx_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->xmk);
    return LM_OK;
}

static lm_status regr_syy_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->ymk);
    return LM_OK;
}

static lm_status regr_sxy_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = s->n == 0.0 ? lm_value_null() : lm_value_f64(s->ck);
    return LM_OK;
}

static lm_status regr_slope_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    *out = (s->n == 0.0 || s->xmk == 0.0) ? lm_value_null() : lm_value_f64(s->ck / s->xmk);
    return LM_OK;
}

static lm_status regr_intercept_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                      lm_value *out)
{
    comoment_state *s = state;
    if (s->n == 0.0 || s->xmk == 0.0)
        *out = lm_value_null();
    else
        *out = lm_value_f64(s->yavg - s->ck / s->xmk * s->xavg);
    return LM_OK;
}

static lm_status regr_r2_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    comoment_state *s = state;
    if (s->n == 0.0 || s->xmk == 0.0)
        *out = lm_value_null();
    else if (s->ymk == 0.0)
        *out = lm_value_f64(1.0);
    else
        *out = lm_value_f64(s->ck * s->ck / (s->xmk * s->ymk));
    return LM_OK;
}

/* ------------------------------------------------- grouping, grouping_id */

/*
 * grouping(col) and grouping_id(cols...) only mean something under
 * grouping sets, where the analyzer rewrites them (resolve_grouping.c) to
 * read the grouping id, passed as their last argument; grouping() finds
 * its bit shift in call->aux. They are typed here like any call.
 */
static lm_status resolve_grouping(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_byte(), false, err);
}

static lm_status resolve_grouping_id(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status eval_grouping(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    int shift = (int)(intptr_t)call->aux;
    *out = lm_value_i64((args[call->nargs - 1].u.i64 >> shift) & 1);
    return LM_OK;
}

static lm_status eval_grouping_id(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                  lm_value *out)
{
    *out = args[call->nargs - 1];
    return LM_OK;
}

/* Prints the user's arguments, not the grouping id the rewrite appended. */
static void sql_grouping(lm_strbuf *sb, const lm_expr *call)
{
    int n = call->nargs;
    if (n > 0 && call->args[n - 1]->kind == LM_EXPR_BOUND && call->args[n - 1]->name &&
        strcmp(call->args[n - 1]->name, "spark_grouping_id") == 0)
        n--;
    lm_strbuf_printf(sb, "%s(", call->fn->name);
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        lm_expr_pretty(sb, call->args[i]);
    }
    lm_strbuf_putc(sb, ')');
}

/* ------------------------------------------------------------- table */

/* One registry entry per function, kept compact. */
/* clang-format off */
#define AGG .kind = LM_FN_AGGREGATE

static const lm_func_def k_defs[] = {
    {.name = "count", AGG, .min_args = 0, .max_args = -1, .pretty = "count",
     .resolve = resolve_count, .state_size = sizeof(int64_t), .agg_update = count_update,
     .agg_merge = count_merge, .agg_final = count_final},
    {.name = "count_if", AGG, .min_args = 1, .max_args = 1, .pretty = "count_if",
     .resolve = resolve_count_if, .state_size = sizeof(int64_t), .agg_update = count_if_update,
     .agg_merge = count_merge, .agg_final = count_final},
    {.name = "sum", AGG, .min_args = 1, .max_args = 1, .pretty = "sum", .resolve = resolve_sum,
     .state_size = sizeof(sum_state), .agg_update = sum_update, .agg_merge = sum_merge,
     .agg_final = sum_final},
    {.name = "avg", AGG, .min_args = 1, .max_args = 1, .pretty = "avg", .resolve = resolve_avg,
     .state_size = sizeof(sum_state), .agg_update = avg_update, .agg_merge = sum_merge,
     .agg_final = avg_final},
    {.name = "mean", AGG, .min_args = 1, .max_args = 1, .pretty = "mean", .resolve = resolve_avg,
     .state_size = sizeof(sum_state), .agg_update = avg_update, .agg_merge = sum_merge,
     .agg_final = avg_final},
    {.name = "max", AGG, .min_args = 1, .max_args = 1, .pretty = "max",
     .resolve = resolve_min_max, .state_size = sizeof(extremum_state), .agg_update = max_update,
     .agg_merge = max_merge, .agg_final = extremum_final},
    {.name = "min", AGG, .min_args = 1, .max_args = 1, .pretty = "min",
     .resolve = resolve_min_max, .state_size = sizeof(extremum_state), .agg_update = min_update,
     .agg_merge = min_merge, .agg_final = extremum_final},
    {.name = "max_by", AGG, .min_args = 2, .max_args = 2, .pretty = "max_by",
     .resolve = resolve_max_by, .state_size = sizeof(extremum_state),
     .agg_update = max_by_update, .agg_merge = max_by_merge, .agg_final = extremum_final},
    {.name = "min_by", AGG, .min_args = 2, .max_args = 2, .pretty = "min_by",
     .resolve = resolve_max_by, .state_size = sizeof(extremum_state),
     .agg_update = min_by_update, .agg_merge = min_by_merge, .agg_final = extremum_final},
    {.name = "first", AGG, .min_args = 1, .max_args = 2, .pretty = "first",
     .flags = LM_FN_NONDETERMINISTIC, .style = LM_STYLE_CUSTOM, .sql = sql_first_last,
     .resolve = resolve_first_last, .state_size = sizeof(first_state),
     .agg_update = first_update, .agg_merge = first_merge, .agg_final = first_final},
    {.name = "first_value", AGG, .min_args = 1, .max_args = 2, .pretty = "first_value",
     .flags = LM_FN_NONDETERMINISTIC, .style = LM_STYLE_CUSTOM, .sql = sql_first_last,
     .resolve = resolve_first_last, .state_size = sizeof(first_state),
     .agg_update = first_update, .agg_merge = first_merge, .agg_final = first_final},
    {.name = "any_value", AGG, .min_args = 1, .max_args = 2, .pretty = "any_value",
     .flags = LM_FN_NONDETERMINISTIC, .style = LM_STYLE_CUSTOM, .sql = sql_first_last,
     .resolve = resolve_first_last, .state_size = sizeof(first_state),
     .agg_update = first_update, .agg_merge = first_merge, .agg_final = first_final},
    {.name = "last", AGG, .min_args = 1, .max_args = 2, .pretty = "last",
     .flags = LM_FN_NONDETERMINISTIC, .style = LM_STYLE_CUSTOM, .sql = sql_first_last,
     .resolve = resolve_first_last, .state_size = sizeof(first_state),
     .agg_update = last_update, .agg_merge = last_merge, .agg_final = first_final},
    {.name = "last_value", AGG, .min_args = 1, .max_args = 2, .pretty = "last_value",
     .flags = LM_FN_NONDETERMINISTIC, .style = LM_STYLE_CUSTOM, .sql = sql_first_last,
     .resolve = resolve_first_last, .state_size = sizeof(first_state),
     .agg_update = last_update, .agg_merge = last_merge, .agg_final = first_final},
    {.name = "bit_and", AGG, .min_args = 1, .max_args = 1, .pretty = "bit_and",
     .resolve = resolve_bit_agg, .state_size = sizeof(bit_state), .agg_update = bit_update,
     .agg_merge = bit_merge, .agg_final = bit_final},
    {.name = "bit_or", AGG, .min_args = 1, .max_args = 1, .pretty = "bit_or",
     .resolve = resolve_bit_agg, .state_size = sizeof(bit_state), .agg_update = bit_update,
     .agg_merge = bit_merge, .agg_final = bit_final},
    {.name = "bit_xor", AGG, .min_args = 1, .max_args = 1, .pretty = "bit_xor",
     .resolve = resolve_bit_agg, .state_size = sizeof(bit_state), .agg_update = bit_update,
     .agg_merge = bit_merge, .agg_final = bit_final},
    {.name = "bool_and", AGG, .min_args = 1, .max_args = 1, .pretty = "bool_and",
     .resolve = resolve_bool_agg, .state_size = sizeof(bool_state),
     .agg_update = bool_and_update, .agg_merge = bool_and_merge, .agg_final = bool_final},
    {.name = "every", AGG, .min_args = 1, .max_args = 1, .pretty = "every",
     .resolve = resolve_bool_agg, .state_size = sizeof(bool_state),
     .agg_update = bool_and_update, .agg_merge = bool_and_merge, .agg_final = bool_final},
    {.name = "bool_or", AGG, .min_args = 1, .max_args = 1, .pretty = "bool_or",
     .resolve = resolve_bool_agg, .state_size = sizeof(bool_state),
     .agg_update = bool_or_update, .agg_merge = bool_or_merge, .agg_final = bool_final},
    {.name = "some", AGG, .min_args = 1, .max_args = 1, .pretty = "some",
     .resolve = resolve_bool_agg, .state_size = sizeof(bool_state),
     .agg_update = bool_or_update, .agg_merge = bool_or_merge, .agg_final = bool_final},
    {.name = "any", AGG, .min_args = 1, .max_args = 1, .pretty = "any",
     .resolve = resolve_bool_agg, .state_size = sizeof(bool_state),
     .agg_update = bool_or_update, .agg_merge = bool_or_merge, .agg_final = bool_final},
    {.name = "stddev", AGG, .min_args = 1, .max_args = 1, .pretty = "stddev",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = stddev_samp_final},
    {.name = "std", AGG, .min_args = 1, .max_args = 1, .pretty = "std",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = stddev_samp_final},
    {.name = "stddev_samp", AGG, .min_args = 1, .max_args = 1, .pretty = "stddev_samp",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = stddev_samp_final},
    {.name = "stddev_pop", AGG, .min_args = 1, .max_args = 1, .pretty = "stddev_pop",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = stddev_pop_final},
    {.name = "variance", AGG, .min_args = 1, .max_args = 1, .pretty = "variance",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = var_samp_final},
    {.name = "var_samp", AGG, .min_args = 1, .max_args = 1, .pretty = "var_samp",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = var_samp_final},
    {.name = "var_pop", AGG, .min_args = 1, .max_args = 1, .pretty = "var_pop",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = var_pop_final},
    {.name = "skewness", AGG, .min_args = 1, .max_args = 1, .pretty = "skewness",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = skewness_final},
    {.name = "kurtosis", AGG, .min_args = 1, .max_args = 1, .pretty = "kurtosis",
     .resolve = resolve_double_stat, .state_size = sizeof(moment_state),
     .agg_update = moment_update, .agg_merge = moment_merge, .agg_final = kurtosis_final},
    {.name = "covar_pop", AGG, .min_args = 2, .max_args = 2, .pretty = "covar_pop",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = comoment_update, .agg_merge = comoment_merge, .agg_final = covar_pop_final},
    {.name = "covar_samp", AGG, .min_args = 2, .max_args = 2, .pretty = "covar_samp",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = comoment_update, .agg_merge = comoment_merge, .agg_final = covar_samp_final},
    {.name = "corr", AGG, .min_args = 2, .max_args = 2, .pretty = "corr",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = comoment_update, .agg_merge = comoment_merge, .agg_final = corr_final},
    {.name = "regr_count", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_count",
     .resolve = resolve_regr_count, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_count_final},
    {.name = "regr_avgx", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_avgx",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_avgx_final},
    {.name = "regr_avgy", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_avgy",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_avgy_final},
    {.name = "regr_sxx", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_sxx",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_sxx_final},
    {.name = "regr_syy", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_syy",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_syy_final},
    {.name = "regr_sxy", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_sxy",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_sxy_final},
    {.name = "regr_slope", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_slope",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_slope_final},
    {.name = "regr_intercept", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_intercept",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge,
     .agg_final = regr_intercept_final},
    {.name = "collect_list", AGG, .min_args = 1, .max_args = 1, .pretty = "collect_list",
     .flags = LM_FN_NONDETERMINISTIC, .resolve = agg_resolve_collect,
     .state_size = sizeof(agg_collect_state), .agg_update = agg_collect_update,
     .agg_merge = agg_collect_merge, .agg_final = agg_collect_list_final,
     .agg_free = agg_collect_free},
    {.name = "array_agg", AGG, .min_args = 1, .max_args = 1, .pretty = "array_agg",
     .flags = LM_FN_NONDETERMINISTIC, .resolve = agg_resolve_collect,
     .state_size = sizeof(agg_collect_state), .agg_update = agg_collect_update,
     .agg_merge = agg_collect_merge, .agg_final = agg_collect_list_final,
     .agg_free = agg_collect_free},
    {.name = "collect_set", AGG, .min_args = 1, .max_args = 1, .pretty = "collect_set",
     .flags = LM_FN_NONDETERMINISTIC, .resolve = agg_resolve_collect,
     .state_size = sizeof(agg_collect_state), .agg_update = agg_collect_update,
     .agg_merge = agg_collect_merge, .agg_final = agg_collect_set_final,
     .agg_free = agg_collect_free},
    {.name = "mode", AGG, .min_args = 1, .max_args = 1, .pretty = "mode",
     .resolve = agg_resolve_mode, .state_size = sizeof(agg_collect_state),
     .agg_update = agg_collect_update, .agg_merge = agg_collect_merge,
     .agg_final = agg_mode_final, .agg_free = agg_collect_free},
    {.name = "percentile", AGG, .min_args = 2, .max_args = 3, .pretty = "percentile",
     .resolve = agg_resolve_percentile, .state_size = sizeof(agg_pct_state),
     .agg_update = agg_percentile_update, .agg_merge = agg_percentile_merge,
     .agg_final = agg_percentile_final, .agg_free = agg_percentile_free},
    {.name = "median", AGG, .min_args = 1, .max_args = 1, .pretty = "median",
     .resolve = agg_resolve_median, .state_size = sizeof(agg_pct_state),
     .agg_update = agg_percentile_update, .agg_merge = agg_percentile_merge,
     .agg_final = agg_percentile_final, .agg_free = agg_percentile_free},
    {.name = "percentile_cont", AGG, .min_args = 1, .max_args = 1, .style = LM_STYLE_CUSTOM,
     .sql = agg_percentile_cont_sql, .resolve = agg_resolve_percentile_cont,
     .state_size = sizeof(agg_pct_state), .agg_update = agg_percentile_update,
     .agg_merge = agg_percentile_merge, .agg_final = agg_percentile_final,
     .agg_free = agg_percentile_free},
    {.name = "percentile_disc", AGG, .min_args = 1, .max_args = 1, .style = LM_STYLE_CUSTOM,
     .sql = agg_percentile_cont_sql, .resolve = agg_resolve_percentile_disc,
     .state_size = sizeof(agg_pct_state), .agg_update = agg_percentile_update,
     .agg_merge = agg_percentile_merge, .agg_final = agg_percentile_final,
     .agg_free = agg_percentile_free},
    {.name = "percentile_approx", AGG, .min_args = 2, .max_args = 3,
     .pretty = "percentile_approx", .resolve = agg_resolve_approx_percentile,
     .state_size = sizeof(agg_gk_state), .agg_update = agg_approx_percentile_update,
     .agg_final = agg_approx_percentile_final, .agg_free = agg_approx_percentile_free},
    {.name = "approx_percentile", AGG, .min_args = 2, .max_args = 3,
     .pretty = "approx_percentile", .resolve = agg_resolve_approx_percentile,
     .state_size = sizeof(agg_gk_state), .agg_update = agg_approx_percentile_update,
     .agg_final = agg_approx_percentile_final, .agg_free = agg_approx_percentile_free},
    {.name = "approx_count_distinct", AGG, .min_args = 1, .max_args = 2,
     .pretty = "approx_count_distinct", .resolve = agg_resolve_approx_count_distinct,
     .state_size = sizeof(agg_hll_state), .agg_init = agg_hll_init, .agg_update = agg_hll_update,
     .agg_merge = agg_hll_merge, .agg_final = agg_hll_final, .agg_free = agg_hll_free},
    {.name = "count_min_sketch", AGG, .min_args = 4, .max_args = 4,
     .pretty = "count_min_sketch", .resolve = agg_resolve_count_min_sketch,
     .state_size = sizeof(agg_cms_state), .agg_init = agg_cms_init, .agg_update = agg_cms_update,
     .agg_merge = agg_cms_merge, .agg_final = agg_cms_final, .agg_free = agg_cms_free},
    {.name = "grouping", AGG, .min_args = 1, .max_args = 1, .style = LM_STYLE_CUSTOM,
     .sql = sql_grouping, .resolve = resolve_grouping, .eval = eval_grouping},
    {.name = "grouping_id", AGG, .min_args = 0, .max_args = -1, .style = LM_STYLE_CUSTOM,
     .sql = sql_grouping, .resolve = resolve_grouping_id, .eval = eval_grouping_id},
    {.name = "regr_r2", AGG, .min_args = 2, .max_args = 2, .pretty = "regr_r2",
     .resolve = resolve_double_stat, .state_size = sizeof(comoment_state),
     .agg_update = regr_update, .agg_merge = comoment_merge, .agg_final = regr_r2_final},
};

/* clang-format on */

const lm_func_table lm_funcs_aggregate = {k_defs, sizeof k_defs / sizeof k_defs[0]};
