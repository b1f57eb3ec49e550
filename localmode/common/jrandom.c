/*
 * java.util.Random (jrandom.h).
 */
#include "common/jrandom.h"

#define JR_MULT INT64_C(0x5DEECE66D)
#define JR_MASK ((INT64_C(1) << 48) - 1)

void lm_jrandom_init(lm_jrandom *r, int64_t seed)
{
    r->seed = (seed ^ JR_MULT) & JR_MASK;
}

static int32_t jr_next(lm_jrandom *r, int bits)
{
    r->seed = (int64_t)(((uint64_t)r->seed * (uint64_t)JR_MULT + 0xB) & (uint64_t)JR_MASK);
    return (int32_t)(r->seed >> (48 - bits));
}

int32_t lm_jrandom_next_int(lm_jrandom *r)
{
    return jr_next(r, 32);
}

int32_t lm_jrandom_next_int_bound(lm_jrandom *r, int32_t bound)
{
    int32_t rr = jr_next(r, 31);
    int32_t m = bound - 1;
    if ((bound & m) == 0)
        return (int32_t)(((int64_t)bound * (int64_t)rr) >> 31);
    for (int32_t u = rr; (int32_t)((uint32_t)u - (uint32_t)(rr = u % bound) + (uint32_t)m) < 0;
         u = jr_next(r, 31))
        ;
    return rr;
}

int64_t lm_jrandom_next_long(lm_jrandom *r)
{
    int64_t hi = jr_next(r, 32);
    int64_t lo = jr_next(r, 32);
    return (int64_t)((uint64_t)hi << 32) + lo;
}

double lm_jrandom_next_double(lm_jrandom *r)
{
    int64_t a = jr_next(r, 26), b = jr_next(r, 27);
    return (double)((a << 27) + b) * 0x1.0p-53;
}
