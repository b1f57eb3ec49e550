/*
 * approx_count_distinct(col[, relativeSD]): Spark's HyperLogLog++
 * (HyperLogLogPlusPlusHelper). p = ceil(2 log2(1.106 / relativeSD))
 * index bits (9 for the default 0.05), each value hashed with Spark's
 * XxHash64 (seed 42) so registers fill exactly as Spark's do, and the
 * estimate read with linear counting while it stays under Spark's
 * threshold for p.
 *
 * Above that threshold Spark corrects the raw estimate with empirical bias
 * tables; we use the raw HLL estimate alpha m^2 / sum 2^-M, so very large
 * cardinalities may differ from Spark in the last digits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "functions/agg_internal.h"
#include "hash/xxhash64.h"

typedef agg_hll_state hll_state;

/* Spark's linear-counting thresholds for p = 4 .. 18. */
static const double k_thresholds[] = {10,   20,   40,    80,    220,   400,    900,   1800,
                                      3100, 6500, 11500, 20000, 50000, 120000, 350000};

static int precision_for(double rsd)
{
    return (int)ceil(2.0 * log(1.106 / rsd) / log(2.0));
}

lm_status agg_resolve_approx_count_distinct(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    double rsd = 0.05;
    if (call->nargs == 2) {
        lm_value v;
        if (agg_expect_double(rc, call, 1, err) != LM_OK)
            return LM_ERROR;
        if (!fn_const_value(rc, call->args[1], &v) || v.is_null) {
            lm_coerce_mismatch(
                rc, call, err, "NON_FOLDABLE_INPUT",
                "the input `relativeSD` should be a foldable \"DOUBLE\" expression.");
            return LM_ERROR;
        }
        rsd = v.u.f64;
        call->nargs = 1; /* Spark keeps relativeSD out of the printed name */
    }
    int p = precision_for(rsd);
    if (p < 4) {
        lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                           "HLL++ requires at least 4 bits for addressing. Use a lower error, at "
                           "most 39%%.");
        return LM_ERROR;
    }
    if (p > 18)
        p = 18;
    call->aux = (void *)(intptr_t)p;
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

lm_status agg_hll_init(lm_eval_ctx *ec, const lm_expr *call, void *state)
{
    hll_state *s = state;
    s->p = (int)(intptr_t)call->aux;
    if (s->p < 4)
        s->p = 9;
    s->reg = calloc((size_t)1 << s->p, 1);
    return s->reg ? LM_OK : lm_error_oom(ec->err);
}

lm_status agg_hll_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    hll_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    uint64_t x = lm_xxhash64_hash_value(call->args[0]->type, &args[0], 42);
    uint64_t idx = x >> (64 - s->p);
    uint64_t w = (x << s->p) | ((uint64_t)1 << (s->p - 1));
    uint8_t pw = (uint8_t)(__builtin_clzll(w) + 1);
    if (pw > s->reg[idx])
        s->reg[idx] = pw;
    return LM_OK;
}

lm_status agg_hll_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    hll_state *s = state;
    const hll_state *o = other;
    size_t m = (size_t)1 << s->p;
    for (size_t i = 0; i < m; i++)
        if (o->reg[i] > s->reg[i])
            s->reg[i] = o->reg[i];
    return LM_OK;
}

lm_status agg_hll_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    hll_state *s = state;
    double m = (double)((uint64_t)1 << s->p);
    double z_inverse = 0.0, zeros = 0.0;
    for (size_t i = 0; i < (size_t)m; i++) {
        z_inverse += 1.0 / (double)((uint64_t)1 << s->reg[i]);
        if (s->reg[i] == 0)
            zeros += 1.0;
    }
    double alpha;
    switch (s->p) {
    case 4:
        alpha = 0.673;
        break;
    case 5:
        alpha = 0.697;
        break;
    case 6:
        alpha = 0.709;
        break;
    default:
        alpha = 0.7213 / (1.0 + 1.079 / m);
        break;
    }
    double e = alpha * m * m / z_inverse;
    double estimate = e;
    if (zeros > 0) {
        double h = m * log(m / zeros);
        if (h <= k_thresholds[s->p - 4])
            estimate = h;
    }
    *out = lm_value_i64((int64_t)llround(estimate));
    return LM_OK;
}

void agg_hll_free(const lm_expr *call, void *state)
{
    hll_state *s = state;
    free(s->reg);
    s->reg = NULL;
}
