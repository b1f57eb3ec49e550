/*
 * count_min_sketch(col, eps, confidence, seed): Spark's CountMinSketchAgg,
 * the sketch serialised as Spark's CountMinSketchImpl writes it, so the
 * bytes (and hex() of them) are Spark's.
 *
 * The table has width ceil(2 / eps) and depth ceil(-log(1 - confidence) /
 * log(2)); row i hashes with a multiplier drawn by java.util.Random(seed)
 * (nextInt(Integer.MAX_VALUE), one per row). Integral values go through
 * that multiplier (modulo the Mersenne prime 2^31 - 1); strings and
 * binary through Spark's Murmur3 hashUnsafeBytes twice (seed 0, then the
 * first hash), bucket |(h1 + i * h2) % width|. NULLs are skipped; an
 * empty input gives an empty sketch, not NULL.
 *
 * Serialised, big-endian: version 1 (int), total count (long), depth
 * (int), width (int), the depth multipliers (longs), then the table row
 * by row (longs).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/coerce.h"
#include "common/jrandom.h"
#include "functions/agg_internal.h"
#include "hash/murmur3.h"
#include "types/numfmt.h"

typedef struct cms_params {
    int32_t depth, width, seed;
} cms_params;

/* Argument i must be a foldable, non-NULL value; *v receives it. */
static lm_status constant_arg(lm_resolve_ctx *rc, lm_expr *call, int i, const char *name,
                              const char *type, lm_value *v, lm_error *err)
{
    if (!fn_const_value(rc, call->args[i], v))
        return lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                                  "the input `%s` should be a foldable %s expression.", name,
                                  type);
    if (v->is_null)
        return lm_coerce_mismatch(rc, call, err, "UNEXPECTED_NULL",
                                  "the input `%s` must not be NULL.", name);
    return LM_OK;
}

/* DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE, the value as a DOUBLE literal. */
static lm_status out_of_range(lm_resolve_ctx *rc, lm_expr *call, const char *name,
                              const char *range, double v, lm_error *err)
{
    char num[64];
    lm_format_double(num, v);
    return lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                              "The `%s` must be between %s (current value = %sD).", name, range,
                              num);
}

lm_status agg_resolve_count_min_sketch(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (!lm_type_is_integral(t) && t->id != LM_TYPE_STRING && t->id != LM_TYPE_BINARY &&
        t->id != LM_TYPE_NULL)
        return lm_coerce_unexpected_input(rc, call, 0,
                                          "(\"INTEGRAL\" or \"STRING\" or \"BINARY\")", err);
    if (agg_expect_double(rc, call, 1, err) != LM_OK || agg_expect_double(rc, call, 2, err) != LM_OK ||
        fn_expect(rc, call, 3, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    lm_value eps, conf, seed;
    if (constant_arg(rc, call, 1, "eps", "\"DOUBLE\"", &eps, err) != LM_OK ||
        constant_arg(rc, call, 2, "confidence", "\"DOUBLE\"", &conf, err) != LM_OK ||
        constant_arg(rc, call, 3, "seed", "\"INT\"", &seed, err) != LM_OK)
        return LM_ERROR;
    if (!(eps.u.f64 > 0.0))
        return out_of_range(rc, call, "eps", "(0.0, 1.7976931348623157E308]", eps.u.f64, err);
    if (!(conf.u.f64 > 0.0 && conf.u.f64 < 1.0))
        return out_of_range(rc, call, "confidence", "(0.0, 1.0)", conf.u.f64, err);
    cms_params *p = lm_arena_alloc(rc->a, sizeof *p);
    if (p == NULL)
        return fn_oom(err);
    double w = ceil(2.0 / eps.u.f64), d = ceil(-log(1.0 - conf.u.f64) / log(2.0));
    if (w > 1 << 24 || d > 1 << 10)
        return lm_coerce_mismatch(rc, call, err, "VALUE_OUT_OF_RANGE",
                                  "The sketch `eps` and `confidence` give a table too large for "
                                  "localmode.");
    p->width = (int32_t)w;
    p->depth = (int32_t)d;
    p->seed = (int32_t)seed.u.i64;
    call->aux = p;
    return fn_set_result(rc, call, lm_type_binary(), false, err);
}

lm_status agg_cms_init(lm_eval_ctx *ec, const lm_expr *call, void *state)
{
    agg_cms_state *s = state;
    const cms_params *p = call->aux;
    s->depth = p->depth;
    s->width = p->width;
    s->total = 0;
    s->mult = calloc((size_t)s->depth + 1, sizeof *s->mult);
    s->table = calloc((size_t)s->depth * (size_t)s->width + 1, sizeof *s->table);
    if (s->mult == NULL || s->table == NULL)
        return lm_error_oom(ec->err);
    lm_jrandom r;
    lm_jrandom_init(&r, p->seed);
    for (int32_t i = 0; i < s->depth; i++)
        s->mult[i] = lm_jrandom_next_int_bound(&r, INT32_MAX);
    return LM_OK;
}

/* The bucket of an integral value in row i. */
static int32_t long_bucket(const agg_cms_state *s, int32_t i, int64_t item)
{
    uint64_t h = (uint64_t)s->mult[i] * (uint64_t)item;
    h += (uint64_t)((int64_t)h >> 32);
    h &= (UINT64_C(1) << 31) - 1;
    return (int32_t)h % s->width;
}

lm_status agg_cms_update(lm_eval_ctx *ec, const lm_expr *call, void *state, const lm_value *args)
{
    agg_cms_state *s = state;
    if (args[0].is_null)
        return LM_OK;
    const lm_type *t = call->args[0]->type;
    if (lm_type_is_integral(t)) {
        for (int32_t i = 0; i < s->depth; i++)
            s->table[(size_t)i * (size_t)s->width + (size_t)long_bucket(s, i, args[0].u.i64)]++;
    } else {
        const char *p = args[0].u.str.ptr;
        size_t n = (size_t)args[0].u.str.len;
        int32_t h1 = (int32_t)lm_murmur3_hash_bytes(p, n, 0);
        int32_t h2 = (int32_t)lm_murmur3_hash_bytes(p, n, (uint32_t)h1);
        for (int32_t i = 0; i < s->depth; i++) {
            /* Java int arithmetic: wraps, then a signed remainder */
            int32_t c = (int32_t)((uint32_t)h1 + (uint32_t)i * (uint32_t)h2);
            int32_t b = c % s->width;
            s->table[(size_t)i * (size_t)s->width + (size_t)(b < 0 ? -b : b)]++;
        }
    }
    s->total++;
    return LM_OK;
}

lm_status agg_cms_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    agg_cms_state *s = state;
    const agg_cms_state *o = other;
    for (size_t k = 0; k < (size_t)s->depth * (size_t)s->width; k++)
        s->table[k] += o->table[k];
    s->total += o->total;
    return LM_OK;
}

static char *put32(char *p, uint32_t v)
{
    for (int k = 3; k >= 0; k--)
        *p++ = (char)(v >> (8 * k));
    return p;
}

static char *put64(char *p, uint64_t v)
{
    for (int k = 7; k >= 0; k--)
        *p++ = (char)(v >> (8 * k));
    return p;
}

lm_status agg_cms_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    agg_cms_state *s = state;
    size_t cells = (size_t)s->depth * (size_t)s->width;
    size_t n = 4 + 8 + 4 + 4 + 8 * (size_t)s->depth + 8 * cells;
    char *buf = fn_alloc(ec, n);
    if (buf == NULL)
        return LM_ENOMEM;
    char *p = put32(buf, 1);
    p = put64(p, (uint64_t)s->total);
    p = put32(p, (uint32_t)s->depth);
    p = put32(p, (uint32_t)s->width);
    for (int32_t i = 0; i < s->depth; i++)
        p = put64(p, (uint64_t)s->mult[i]);
    for (size_t k = 0; k < cells; k++)
        p = put64(p, (uint64_t)s->table[k]);
    *out = lm_value_str(buf, (int32_t)n);
    return LM_OK;
}

void agg_cms_free(const lm_expr *call, void *state)
{
    agg_cms_state *s = state;
    free(s->mult);
    free(s->table);
    s->mult = NULL;
    s->table = NULL;
}
