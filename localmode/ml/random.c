/*
 * The java.util.Random ML needs bit for bit (scala.util.Random, used for
 * tree feature subsets and fold seeds), so seeded results follow Spark's.
 * The generator lives with the RDD samplers (rdd/random.c); this file
 * adapts it. XORShiftRandom (k-means, sampling) is common/xorshift.c.
 */

#include "ml/ml.h"
#include "rdd/rdd_int.h"

void ml_jrandom_init(ml_jrandom *r, int64_t seed)
{
    rdd_jrandom j;
    rdd_jrandom_init(&j, seed);
    r->seed = j.seed;
}

int32_t ml_jrandom_next_int(ml_jrandom *r, int32_t bound)
{
    rdd_jrandom j = {r->seed};
    int32_t v = bound > 0 ? rdd_jrandom_next_int_bound(&j, bound) : rdd_jrandom_next_int(&j);
    r->seed = j.seed;
    return v;
}

int64_t ml_jrandom_next_long(ml_jrandom *r)
{
    rdd_jrandom j = {r->seed};
    int64_t v = rdd_jrandom_next_long(&j);
    r->seed = j.seed;
    return v;
}

double ml_jrandom_next_double(ml_jrandom *r)
{
    rdd_jrandom j = {r->seed};
    double v = rdd_jrandom_next_double(&j);
    r->seed = j.seed;
    return v;
}


