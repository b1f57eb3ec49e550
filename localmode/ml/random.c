/*
 * The random number generators ML needs bit for bit, so seeded results
 * follow Spark's: java.util.Random (scala.util.Random, used for tree
 * feature subsets and fold seeds) and XORShiftRandom (k-means, sampling).
 * The generators themselves live with the RDD samplers (rdd/random.c);
 * this file adapts them and adds Random.nextGaussian.
 */
#include <math.h>

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

/* java.util.Random.nextGaussian: the polar method, keeping the second
   value of each pair for the next call. */
double ml_jrandom_next_gaussian(ml_jrandom *r, bool *have, double *saved)
{
    if (*have) {
        *have = false;
        return *saved;
    }
    double v1, v2, s;
    do {
        v1 = 2 * ml_jrandom_next_double(r) - 1;
        v2 = 2 * ml_jrandom_next_double(r) - 1;
        s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double mul = sqrt(-2 * log(s) / s);
    *saved = v2 * mul;
    *have = true;
    return v1 * mul;
}

