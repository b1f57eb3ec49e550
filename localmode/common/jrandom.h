/*
 * java.util.Random, the 48-bit linear congruential generator, bit for bit:
 * Spark seeds partitions, shuffles takeSample's picks, starts
 * repartition's round robin and draws its sketch and tree seeds with it.
 */
#ifndef LM_COMMON_JRANDOM_H
#define LM_COMMON_JRANDOM_H

#include <stdint.h>

typedef struct lm_jrandom {
    int64_t seed;
} lm_jrandom;

/* new Random(seed) */
void lm_jrandom_init(lm_jrandom *r, int64_t seed);
/* nextInt() */
int32_t lm_jrandom_next_int(lm_jrandom *r);
/* nextInt(bound), in [0, bound); bound > 0 */
int32_t lm_jrandom_next_int_bound(lm_jrandom *r, int32_t bound);
/* nextLong() */
int64_t lm_jrandom_next_long(lm_jrandom *r);
/* nextDouble(), in [0, 1) */
double lm_jrandom_next_double(lm_jrandom *r);

#endif
