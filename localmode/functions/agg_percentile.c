/*
 * Percentiles. Exact ones — percentile(col, p[, frequency]), median(col),
 * percentile_cont(p) / percentile_disc(p) WITHIN GROUP (ORDER BY col
 * [DESC]) — keep every (value, frequency) pair and compute from the sorted
 * accumulated counts as Spark's PercentileBase does: linear interpolation
 * between the values at floor and ceil of (count - 1) * p, or for
 * percentile_disc the value at ceil(count * p) (the pre-3.5 rule under
 * spark.sql.legacy.percentileDiscCalculation).
 *
 * percentile_approx / approx_percentile(col, p[, accuracy]) is Spark's
 * Greenwald-Khanna summary (QuantileSummaries) with relative error
 * 1 / accuracy, a 50 000-value head buffer and compression at 10 000
 * samples, queried the same way, so small inputs give Spark's answers.
 *
 * Percentages are constants, checked and read once at resolve time into
 * call->aux (a pct_spec).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions/agg_internal.h"
#include "functions/decimal_ops.h"
#include "session/session.h"

typedef struct pct_spec {
    int n;
    double *p;
    bool array;      /* the percentage was an array: the result is too */
    bool reverse;    /* WITHIN GROUP (ORDER BY col DESC) */
    bool discrete;   /* percentile_disc */
    double accuracy; /* percentile_approx */
} pct_spec;

static const char k_numeric_or_ansi[] =
    "(\"NUMERIC\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL DAY TO SECOND\")";

static bool is_ansi_interval(const lm_type *t)
{
    return t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL;
}

static lm_expr *literal(lm_resolve_ctx *rc, lm_type *t, lm_value v)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = t;
    e->value = v;
    e->nullable = v.is_null;
    e->resolved = true;
    return e;
}

/* Appends a literal argument (percentile's frequency, percentile_approx's
   accuracy), which Spark prints in the column name. */
static lm_status append_arg(lm_resolve_ctx *rc, lm_expr *call, lm_expr *e, lm_error *err)
{
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * (size_t)(call->nargs + 1));
    if (args == NULL || e == NULL)
        return fn_oom(err);
    memcpy(args, call->args, sizeof *args * (size_t)call->nargs);
    args[call->nargs] = e;
    call->args = args;
    call->nargs++;
    return LM_OK;
}

/*
 * Checks the percentage argument i (a DOUBLE or an array of DOUBLE,
 * constant, not NULL, within [0, 1]) and reads it into a new pct_spec.
 */
static pct_spec *read_percentages(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    bool array = t->id == LM_TYPE_ARRAY;
    if (array) {
        if (!lm_type_is_numeric(t->elem) && t->elem->id != LM_TYPE_NULL) {
            lm_coerce_unexpected_input(rc, call, i, "\"ARRAY<DOUBLE>\"", err);
            return NULL;
        }
        lm_type *at = lm_type_array(lm_type_double(), false);
        if (at == NULL || lm_arena_keep_type(rc->a, at) == NULL)
            return (fn_oom(err), NULL);
        if (!lm_type_same_ignoring_nullable(t, at) && fn_cast_arg(rc, call, i, at, err) != LM_OK)
            return NULL;
    } else if (t->id != LM_TYPE_DOUBLE &&
               fn_expect(rc, call, i, lm_type_double(), "\"DOUBLE\"", err) != LM_OK) {
        return NULL;
    }
    lm_value v;
    if (!fn_const_value(rc, call->args[i], &v)) {
        const char *tq = fn_type_q(rc, call->args[i]->type);
        char *ex = lm_coerce_quote_sql(rc, call->args[i]);
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input `percentage` should be a foldable %s expression; however, "
                           "got %s.",
                           tq, ex ? ex : "");
        lm_error_param_add(err, "inputName", "`percentage`");
        lm_error_param_add(err, "inputType", tq);
        lm_error_param_add(err, "inputExpr", ex);
        return NULL;
    }
    if (v.is_null) {
        lm_coerce_mismatch(rc, call, err, "UNEXPECTED_NULL", "The percentage must not be null.");
        lm_error_param_add(err, "exprName", "percentage");
        return NULL;
    }
    pct_spec *ps = lm_arena_calloc(rc->a, 1, sizeof *ps);
    int n = array ? v.u.arr->n : 1;
    double *p = lm_arena_calloc(rc->a, (size_t)(n ? n : 1), sizeof *p);
    if (ps == NULL || p == NULL)
        return (fn_oom(err), NULL);
    for (int k = 0; k < n; k++) {
        const lm_value *e = array ? &v.u.arr->elems[k] : &v;
        p[k] = e->is_null ? NAN : e->u.f64;
        if (!(p[k] >= 0.0 && p[k] <= 1.0)) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_expr_sql(&sb, call->args[i]);
            lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                               "The percentage must be between [0.0, 1.0] (current value = %s).",
                               lm_strbuf_cstr(&sb));
            lm_error_param_add(err, "exprName", "percentage");
            lm_error_param_add(err, "valueRange", "[0.0, 1.0]");
            lm_error_param_add(err, "currentValue", lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return NULL;
        }
    }
    ps->n = n;
    ps->p = p;
    ps->array = array;
    return ps;
}

/* The exact percentiles' shared checks: args = (col, percentage[, freq]). */
static lm_status resolve_exact(lm_resolve_ctx *rc, lm_expr *call, bool reverse, bool discrete,
                               lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
    } else if (!lm_type_is_numeric(t) && !is_ansi_interval(t)) {
        return lm_coerce_unexpected_input(rc, call, 0, k_numeric_or_ansi, err);
    }
    pct_spec *ps = read_percentages(rc, call, 1, err);
    if (ps == NULL)
        return LM_ERROR;
    ps->reverse = reverse;
    ps->discrete = discrete;
    call->aux = ps;
    if (call->nargs == 3 && !lm_type_is_integral(call->args[2]->type) &&
        fn_expect(rc, call, 2, lm_type_long(), "\"INTEGRAL\"", err) != LM_OK)
        return LM_ERROR;
    const lm_type *ct = call->args[0]->type;
    /* intervals come back as the widest interval of their kind */
    lm_type *et = ct->id == LM_TYPE_YM_INTERVAL   ? lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH)
                  : ct->id == LM_TYPE_DT_INTERVAL ? lm_type_dt_interval(LM_DT_DAY, LM_DT_SECOND)
                                                  : lm_type_double();
    lm_type *rt = et;
    if (ps->array) {
        rt = lm_type_array(et, false);
        lm_type_unref(et);
    }
    if (reverse)
        call->flags |= LM_SORT_DESC; /* distinguishes ORDER BY x DESC for equality */
    return fn_set_result(rc, call, rt, true, err);
}

lm_status agg_resolve_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2 &&
        append_arg(rc, call, literal(rc, lm_type_long(), lm_value_i64(1)), err) != LM_OK)
        return LM_ERROR;
    return resolve_exact(rc, call, false, false, err);
}

lm_status agg_resolve_median(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_expr *half = literal(rc, lm_type_double(), lm_value_f64(0.5));
    if (append_arg(rc, call, half, err) != LM_OK)
        return LM_ERROR;
    lm_status st = resolve_exact(rc, call, false, false, err);
    call->nargs = 1; /* printed median(col); the kernel reads call->aux */
    return st;
}

/* percentile_cont(p) WITHIN GROUP (ORDER BY col): internally (col, p). */
static lm_status resolve_within_group(lm_resolve_ctx *rc, lm_expr *call, bool discrete,
                                      lm_error *err)
{
    if (call->norder != 1) {
        char name[64];
        snprintf(name, sizeof name, "`%s`", call->fn->name);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS,
                     "INVALID_INVERSE_DISTRIBUTION_FUNCTION."
                     "WITHIN_GROUP_MISSING",
                     "42K0K",
                     "[INVALID_INVERSE_DISTRIBUTION_FUNCTION.WITHIN_GROUP_MISSING] Invalid inverse "
                     "distribution function %s. WITHIN GROUP is required for inverse "
                     "distribution function.",
                     name);
        lm_error_param_add(err, "funcName", name);
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
    if (args == NULL)
        return fn_oom(err);
    args[0] = call->order[0]->args[0];
    args[1] = call->args[0];
    call->args = args;
    call->nargs = 2;
    return resolve_exact(rc, call, (call->order[0]->flags & LM_SORT_DESC) != 0, discrete, err);
}

lm_status agg_resolve_percentile_cont(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return resolve_within_group(rc, call, false, err);
}

lm_status agg_resolve_percentile_disc(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return resolve_within_group(rc, call, true, err);
}

/* percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC) */
void agg_percentile_cont_sql(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_printf(sb, "%s(", call->fn->name);
    if (call->nargs == 2) {
        lm_expr_pretty(sb, call->args[1]);
        lm_strbuf_puts(sb, ") WITHIN GROUP (ORDER BY ");
        lm_expr_pretty(sb, call->args[0]);
        if (call->flags & LM_SORT_DESC)
            lm_strbuf_puts(sb, " DESC");
    } else if (call->nargs == 1) {
        lm_expr_pretty(sb, call->args[0]);
    }
    lm_strbuf_putc(sb, ')');
}

/* ----------------------------------------------------- exact state */

typedef agg_pct_state pct_state;

static lm_status pct_add(lm_eval_ctx *ec, const lm_type *t, pct_state *s, const lm_value *v,
                         int64_t f)
{
    if (s->vals.n == s->fcap) {
        int64_t nc = s->fcap ? s->fcap * 2 : 16;
        int64_t *nf = realloc(s->freq, sizeof *nf * (size_t)nc);
        if (nf == NULL)
            return lm_error_oom(ec->err);
        s->freq = nf;
        s->fcap = nc;
    }
    s->freq[s->vals.n] = f;
    if (!agg_vals_push(&s->vals, v))
        return lm_error_oom(ec->err);
    (void)t;
    return LM_OK;
}

lm_status agg_percentile_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                const lm_value *args)
{
    if (args[0].is_null)
        return LM_OK;
    int64_t f = 1;
    if (call->nargs >= 3) {
        if (args[2].is_null)
            return LM_OK;
        f = args[2].u.i64;
        if (f < 0) {
            char *s = lm_expr_pretty_arena(ec->arena, call->args[2]);
            lm_eval_error(ec, LM_EXC_RUNTIME, "_LEGACY_ERROR_TEMP_2013", NULL,
                          "Negative values found in %s", s ? s : "");
            lm_error_param_add(ec->err, "frequencyExpression", s);
            return LM_ERROR;
        }
        if (f == 0)
            return LM_OK;
    }
    /* numbers and intervals are fixed-size: no copy needed */
    return pct_add(ec, call->args[0]->type, state, &args[0], f);
}

lm_status agg_percentile_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const pct_state *o = other;
    for (int64_t i = 0; i < o->vals.n; i++) {
        lm_status st = pct_add(ec, call->args[0]->type, state, &o->vals.v[i], o->freq[i]);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

typedef struct pct_pair {
    lm_value v;
    int64_t f;
} pct_pair;

static _Thread_local const lm_type *g_pct_type;
static _Thread_local bool g_pct_reverse;

static int cmp_pair(const void *x, const void *y)
{
    const pct_pair *a = x, *b = y;
    int c = lm_value_compare(g_pct_type, &a->v, &b->v);
    return g_pct_reverse ? -c : c;
}

static double to_double(const lm_type *t, const lm_value *v)
{
    if (t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL)
        return (double)v->u.i64;
    return fn_to_double(t, v);
}

/* Index of the first accumulated count >= target (Arrays.binarySearch's
   insertion point; counts are strictly increasing). */
static int64_t search_count(const int64_t *acc, int64_t n, int64_t target)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (acc[mid] < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? lo : n - 1;
}

static double one_percentile(const lm_type *t, const pct_pair *keys, const int64_t *acc, int64_t n,
                             double p, bool discrete, bool legacy_disc)
{
    if (discrete && !legacy_disc) {
        double position = (double)acc[n - 1] * p;
        int64_t higher = (int64_t)ceil(position);
        return to_double(t, &keys[search_count(acc, n, higher)].v);
    }
    double position = (double)(acc[n - 1] - 1) * p;
    int64_t lower = (int64_t)floor(position), higher = (int64_t)ceil(position);
    int64_t li = search_count(acc, n, lower + 1), hi = search_count(acc, n, higher + 1);
    double lv = to_double(t, &keys[li].v);
    if (higher == lower || li == hi || discrete)
        return lv;
    double hv = to_double(t, &keys[hi].v);
    return ((double)higher - position) * lv + (position - (double)lower) * hv;
}

static lm_value result_value(const lm_type *t, double d)
{
    if (t->id == LM_TYPE_YM_INTERVAL)
        return lm_value_i64((int32_t)d);
    if (t->id == LM_TYPE_DT_INTERVAL)
        return lm_value_i64((int64_t)d);
    return lm_value_f64(d);
}

lm_status agg_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    pct_state *s = state;
    const pct_spec *ps = call->aux;
    const lm_type *t = call->args[0]->type;
    *out = lm_value_null();
    if (s->vals.n == 0)
        return LM_OK;
    int64_t n = s->vals.n;
    pct_pair *pairs = fn_alloc(ec, sizeof *pairs * (size_t)n);
    int64_t *acc = fn_alloc(ec, sizeof *acc * (size_t)n);
    if (pairs == NULL || acc == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++) {
        pairs[i].v = s->vals.v[i];
        pairs[i].f = s->freq[i];
    }
    const lm_type *saved_t = g_pct_type;
    bool saved_r = g_pct_reverse;
    g_pct_type = t;
    g_pct_reverse = ps->reverse;
    qsort(pairs, (size_t)n, sizeof *pairs, cmp_pair);
    g_pct_type = saved_t;
    g_pct_reverse = saved_r;
    /* equal values share one key, as in Spark's counts map */
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        if (m > 0 && lm_value_compare(t, &pairs[m - 1].v, &pairs[i].v) == 0) {
            pairs[m - 1].f += pairs[i].f;
            continue;
        }
        pairs[m++] = pairs[i];
    }
    for (int64_t i = 0; i < m; i++)
        acc[i] = pairs[i].f + (i ? acc[i - 1] : 0);
    bool legacy =
        ec->session &&
        session_conf_bool(ec->session, "spark.sql.legacy.percentileDiscCalculation", false);
    const lm_type *et = ps->array ? call->type->elem : call->type;
    if (!ps->array) {
        *out = result_value(et, one_percentile(t, pairs, acc, m, ps->p[0], ps->discrete, legacy));
        return LM_OK;
    }
    lm_value *elems = fn_values(ec, (size_t)ps->n);
    if (elems == NULL)
        return LM_ENOMEM;
    for (int k = 0; k < ps->n; k++)
        elems[k] =
            result_value(et, one_percentile(t, pairs, acc, m, ps->p[k], ps->discrete, legacy));
    return fn_out_array(ec, out, elems, ps->n);
}

void agg_percentile_free(const lm_expr *call, void *state)
{
    pct_state *s = state;
    agg_vals_free(&s->vals);
    free(s->freq);
    s->freq = NULL;
    s->fcap = 0;
}

/* ------------------------------------------------ percentile_approx */

enum { GK_HEAD_SIZE = 50000, GK_COMPRESS_THRESHOLD = 10000 };

typedef agg_gk_stat gk_stat;
typedef agg_gk_state gk_state;

static const char k_approx_types[] =
    "(\"NUMERIC\" or \"DATE\" or \"TIMESTAMP\" or \"TIMESTAMP_NTZ\" or \"INTERVAL YEAR TO MONTH\" "
    "or \"INTERVAL DAY TO SECOND\")";

lm_status agg_resolve_approx_percentile(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
    } else if (!lm_type_is_numeric(t) && !is_ansi_interval(t) && t->id != LM_TYPE_DATE &&
               t->id != LM_TYPE_TIMESTAMP && t->id != LM_TYPE_TIMESTAMP_NTZ) {
        return lm_coerce_unexpected_input(rc, call, 0, k_approx_types, err);
    }
    if (call->nargs == 2 &&
        append_arg(rc, call, literal(rc, lm_type_int(), lm_value_i64(10000)), err) != LM_OK)
        return LM_ERROR;
    pct_spec *ps = read_percentages(rc, call, 1, err);
    if (ps == NULL)
        return LM_ERROR;
    if (!lm_type_is_integral(call->args[2]->type) &&
        fn_expect(rc, call, 2, lm_type_int(), "\"INTEGRAL\"", err) != LM_OK)
        return LM_ERROR;
    lm_value acc;
    if (!fn_const_value(rc, call->args[2], &acc)) {
        const char *tq = fn_type_q(rc, call->args[2]->type);
        char *ex = lm_coerce_quote_sql(rc, call->args[2]);
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input `accuracy` should be a foldable %s expression; however, "
                           "got %s.",
                           tq, ex ? ex : "");
        lm_error_param_add(err, "inputName", "`accuracy`");
        lm_error_param_add(err, "inputType", tq);
        lm_error_param_add(err, "inputExpr", ex);
        return LM_ERROR;
    }
    if (acc.is_null || acc.u.i64 <= 0 || acc.u.i64 > INT32_MAX) {
        char cur[32];
        snprintf(cur, sizeof cur, "%lld", acc.is_null ? 0LL : (long long)acc.u.i64);
        lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                           "The accuracy must be between (0, 2147483647] (current value = %s).",
                           cur);
        lm_error_param_add(err, "exprName", "accuracy");
        lm_error_param_add(err, "valueRange", "(0, 2147483647]");
        lm_error_param_add(err, "currentValue", cur);
        return LM_ERROR;
    }
    ps->accuracy = (double)acc.u.i64;
    call->aux = ps;
    const lm_type *ct = call->args[0]->type;
    lm_type *rt = ps->array ? lm_type_array((lm_type *)ct, false) : fn_tref(ct);
    return fn_set_result(rc, call, rt, true, err);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    /* Scala's Double ordering: NaN after everything */
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

/* withHeadBufferInserted: merges the sorted head buffer into sampled. */
static bool gk_insert_head(gk_state *s, double rel_err)
{
    if (s->nhead == 0)
        return true;
    qsort(s->head, (size_t)s->nhead, sizeof *s->head, cmp_double);
    gk_stat *out = malloc(sizeof *out * (size_t)(s->nsampled + s->nhead));
    if (out == NULL)
        return false;
    int64_t n = 0, si = 0, count = s->count;
    for (int64_t oi = 0; oi < s->nhead; oi++) {
        double cur = s->head[oi];
        while (si < s->nsampled && s->sampled[si].value <= cur)
            out[n++] = s->sampled[si++];
        count++;
        int64_t delta = (n == 0 || (si == s->nsampled && oi == s->nhead - 1))
                            ? 0
                            : (int64_t)floor(2 * rel_err * (double)count);
        out[n].value = cur;
        out[n].g = 1;
        out[n].delta = delta;
        n++;
    }
    while (si < s->nsampled)
        out[n++] = s->sampled[si++];
    free(s->sampled);
    s->sampled = out;
    s->nsampled = n;
    s->count = count;
    s->nhead = 0;
    return true;
}

/* compressImmut: merges samples from the end whose combined span stays
   under 2 * relativeError * count; the first and last samples stay. */
static bool gk_compress(gk_state *s, double rel_err)
{
    if (!gk_insert_head(s, rel_err))
        return false;
    if (s->nsampled == 0)
        return true;
    double threshold = 2 * rel_err * (double)s->count;
    gk_stat *res = malloc(sizeof *res * (size_t)(s->nsampled + 1));
    if (res == NULL)
        return false;
    /* built back to front */
    int64_t cap = s->nsampled + 1, at = cap;
    gk_stat head = s->sampled[s->nsampled - 1];
    for (int64_t i = s->nsampled - 2; i >= 1; i--) {
        const gk_stat *x = &s->sampled[i];
        if ((double)(x->g + head.g + head.delta) < threshold) {
            head.g += x->g;
        } else {
            res[--at] = head;
            head = *x;
        }
    }
    res[--at] = head;
    if (s->sampled[0].value <= head.value && s->nsampled > 1)
        res[--at] = s->sampled[0];
    int64_t n = cap - at;
    memmove(res, res + at, sizeof *res * (size_t)n);
    free(s->sampled);
    s->sampled = res;
    s->nsampled = n;
    return true;
}

lm_status agg_approx_percentile_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                       const lm_value *args)
{
    gk_state *s = state;
    const pct_spec *ps = call->aux;
    if (args[0].is_null)
        return LM_OK;
    const lm_type *t = call->args[0]->type;
    double d;
    switch (t->id) {
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        d = (double)args[0].u.i64;
        break;
    default:
        d = fn_to_double(t, &args[0]);
        break;
    }
    if (s->nhead == s->headcap) {
        int64_t nc = s->headcap ? s->headcap * 2 : 64;
        double *nh = realloc(s->head, sizeof *nh * (size_t)nc);
        if (nh == NULL)
            return lm_error_oom(ec->err);
        s->head = nh;
        s->headcap = nc;
    }
    s->head[s->nhead++] = d;
    if (s->nhead >= GK_HEAD_SIZE) {
        double rel = 1.0 / ps->accuracy;
        if (!gk_insert_head(s, rel))
            return lm_error_oom(ec->err);
        if (s->nsampled >= GK_COMPRESS_THRESHOLD && !gk_compress(s, rel))
            return lm_error_oom(ec->err);
    }
    return LM_OK;
}

/* query(percentiles): percentiles visited in ascending order, each resumed
   from where the previous one stopped. */
static void gk_query(const gk_state *s, double rel_err, const double *p, int n, double *out)
{
    int64_t max = INT64_MIN;
    for (int64_t i = 0; i < s->nsampled; i++)
        if (s->sampled[i].delta + s->sampled[i].g > max)
            max = s->sampled[i].delta + s->sampled[i].g;
    double target_error = (double)(max / 2);
    int *order = malloc(sizeof *order * (size_t)(n ? n : 1));
    for (int k = 0; order && k < n; k++)
        order[k] = k;
    /* stable insertion sort by percentage (Scala's sortBy is stable) */
    for (int a = 1; order && a < n; a++)
        for (int b = a; b > 0 && p[order[b - 1]] > p[order[b]]; b--) {
            int tmp = order[b];
            order[b] = order[b - 1];
            order[b - 1] = tmp;
        }
    int64_t index = 0, min_rank = s->sampled[0].g;
    for (int k = 0; k < n; k++) {
        int pos = order ? order[k] : k;
        double pc = p[pos];
        if (pc <= rel_err) {
            out[pos] = s->sampled[0].value;
            continue;
        }
        if (pc >= 1 - rel_err) {
            out[pos] = s->sampled[s->nsampled - 1].value;
            continue;
        }
        int64_t rank = (int64_t)ceil(pc * (double)s->count);
        int64_t i = index, mr = min_rank;
        const gk_stat *cur = &s->sampled[i];
        bool found = false;
        while (i < s->nsampled - 1) {
            double max_rank = (double)(mr + cur->delta);
            if (max_rank - target_error <= (double)rank &&
                (double)rank <= (double)mr + target_error) {
                found = true;
                break;
            }
            i++;
            cur = &s->sampled[i];
            mr += cur->g;
        }
        if (found) {
            index = i;
            min_rank = mr;
            out[pos] = cur->value;
        } else {
            index = s->nsampled - 1;
            min_rank = 0;
            out[pos] = s->sampled[s->nsampled - 1].value;
        }
    }
    free(order);
}

/* A double answer back in the input's type, as ApproximatePercentile.eval
   truncates it. */
static lm_value approx_value(const lm_type *t, double d)
{
    switch (t->id) {
    case LM_TYPE_BYTE:
        return lm_value_i64((int8_t)(int32_t)d);
    case LM_TYPE_SHORT:
        return lm_value_i64((int16_t)(int32_t)d);
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        return lm_value_i64((int32_t)d);
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        return lm_value_i64((int64_t)d);
    case LM_TYPE_FLOAT:
        return lm_value_f32((float)d);
    case LM_TYPE_DECIMAL: {
        lm_int128 u;
        if (!fn_dec_from_double(d, t->precision, t->scale, &u))
            return lm_value_null();
        return lm_value_dec(u);
    }
    default:
        return lm_value_f64(d);
    }
}

lm_status agg_approx_percentile_final(lm_eval_ctx *ec, const lm_expr *call, void *state,
                                      lm_value *out)
{
    gk_state *s = state;
    const pct_spec *ps = call->aux;
    double rel = 1.0 / ps->accuracy;
    *out = lm_value_null();
    /* compress a copy: the state keeps accepting rows (window frames) */
    gk_state c = *s;
    c.sampled = malloc(sizeof *c.sampled * (size_t)(s->nsampled + 1));
    c.head = malloc(sizeof *c.head * (size_t)(s->nhead + 1));
    if (c.sampled == NULL || c.head == NULL) {
        free(c.sampled);
        free(c.head);
        return lm_error_oom(ec->err);
    }
    if (s->nsampled)
        memcpy(c.sampled, s->sampled, sizeof *c.sampled * (size_t)s->nsampled);
    if (s->nhead)
        memcpy(c.head, s->head, sizeof *c.head * (size_t)s->nhead);
    c.headcap = s->nhead + 1;
    lm_status st = LM_OK;
    if (!gk_compress(&c, rel))
        st = lm_error_oom(ec->err);
    if (st == LM_OK && c.count > 0 && c.nsampled > 0) {
        double *res = fn_alloc(ec, sizeof *res * (size_t)ps->n);
        if (res == NULL) {
            st = LM_ENOMEM;
        } else {
            gk_query(&c, rel, ps->p, ps->n, res);
            const lm_type *t = call->args[0]->type;
            if (!ps->array) {
                *out = approx_value(t, res[0]);
            } else {
                lm_value *elems = fn_values(ec, (size_t)ps->n);
                if (elems == NULL) {
                    st = LM_ENOMEM;
                } else {
                    for (int k = 0; k < ps->n; k++)
                        elems[k] = approx_value(t, res[k]);
                    st = fn_out_array(ec, out, elems, ps->n);
                }
            }
        }
    }
    free(c.sampled);
    free(c.head);
    return st;
}

void agg_approx_percentile_free(const lm_expr *call, void *state)
{
    gk_state *s = state;
    free(s->sampled);
    free(s->head);
    memset(s, 0, sizeof *s);
}
