/*
 * Spark's XORShiftRandom (org.apache.spark.util.random): a 64-bit
 * xorshift generator whose seed is first scrambled by Scala's
 * MurmurHash3.bytesHash of its big-endian bytes, read through
 * java.util.Random's methods. Every seeded draw of Spark's that localmode
 * reproduces (sample, randomSplit, rand, randn, shuffle, the RDD samplers
 * and partitioners, the readers' sampling) goes through it, so one copy
 * keeps them in step.
 */
#ifndef LM_COMMON_XORSHIFT_H
#define LM_COMMON_XORSHIFT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct lm_xorshift {
    uint64_t seed;
    bool have_gaussian; /* nextGaussian computes two values at a time */
    double next_gaussian;
} lm_xorshift;

/* new XORShiftRandom(seed) */
void lm_xorshift_init(lm_xorshift *r, int64_t seed);
/* next(bits): the low `bits` bits of the next state */
int32_t lm_xorshift_next(lm_xorshift *r, int bits);
/* nextDouble, in [0, 1) */
double lm_xorshift_next_double(lm_xorshift *r);
/* nextInt(bound), in [0, bound); bound > 0 */
int32_t lm_xorshift_next_int(lm_xorshift *r, int32_t bound);
/* nextGaussian (Marsaglia's polar method, as java.util.Random) */
double lm_xorshift_next_gaussian(lm_xorshift *r);

#endif
