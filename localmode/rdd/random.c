/*
 * The random number generators Spark's sampling uses, bit for bit, so that
 * a seeded sample picks what Spark picks: java.util.Random (partition
 * seeds, takeSample's shuffle, repartition's starting position) and
 * XORShiftRandom are in common/; here is commons-math3's Well19937c behind
 * PoissonDistribution (sampling with replacement above the gap-sampling
 * threshold).
 * And the samplers of RandomSampler.scala: Bernoulli (gap sampling at
 * fractions <= 0.4), Poisson (gap sampling with replacement <= 0.4), and the
 * BernoulliCellSampler of randomSplit.
 */
#include "rdd_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int32_t rdd_byteswap32(int32_t v)
{
    uint32_t hc = (uint32_t)v * 0x9e3779b9u;
    hc = __builtin_bswap32(hc);
    return (int32_t)(hc * 0x9e3779b9u);
}

/* -------------------------------------------------------------- Well19937c */
#define WELL_R 624

typedef struct well {
    int32_t v[WELL_R];
    int index;
} well;

static void well_seed(well *w, int64_t seed)
{
    int32_t s[2] = {(int32_t)((uint64_t)seed >> 32), (int32_t)(seed & 0xffffffff)};
    w->v[0] = s[0];
    w->v[1] = s[1];
    for (int i = 2; i < WELL_R; i++) {
        int64_t l = w->v[i - 2];
        w->v[i] = (int32_t)((INT64_C(1812433253) * (l ^ (l >> 30)) + i) & 0xffffffff);
    }
    w->index = 0;
}

static uint32_t well_next(well *w, int bits)
{
    int idx = w->index;
    int rm1 = (idx + WELL_R - 1) % WELL_R, rm2 = (idx + WELL_R - 2) % WELL_R;
    uint32_t v0 = (uint32_t)w->v[idx];
    uint32_t vm1 = (uint32_t)w->v[(idx + 70) % WELL_R];
    uint32_t vm2 = (uint32_t)w->v[(idx + 179) % WELL_R];
    uint32_t vm3 = (uint32_t)w->v[(idx + 449) % WELL_R];
    uint32_t z0 = (0x80000000u & (uint32_t)w->v[rm1]) ^ (0x7FFFFFFFu & (uint32_t)w->v[rm2]);
    uint32_t z1 = (v0 ^ (v0 << 25)) ^ (vm1 ^ (vm1 >> 27));
    uint32_t z2 = (vm2 >> 9) ^ (vm3 ^ (vm3 >> 1));
    uint32_t z3 = z1 ^ z2;
    uint32_t z4 = z0 ^ (z1 ^ (z1 << 9)) ^ (z2 ^ (z2 << 21)) ^ (z3 ^ (z3 >> 21));
    w->v[idx] = (int32_t)z3;
    w->v[rm1] = (int32_t)z4;
    w->v[rm2] = (int32_t)((uint32_t)w->v[rm2] & 0x80000000u);
    w->index = rm1;
    z4 ^= (z4 << 7) & 0xe46e1700u;
    z4 ^= (z4 << 15) & 0x9b868000u;
    return z4 >> (32 - bits);
}

static double well_next_double(well *w)
{
    uint64_t hi = (uint64_t)well_next(w, 26) << 26;
    uint64_t lo = well_next(w, 26);
    return (double)(hi | lo) * 0x1.0p-52;
}

/* PoissonDistribution.sample for means below 40 (products of uniforms);
   larger means use the same method here, not Devroye's. */
static int poisson_sample(well *w, double mean)
{
    double p = exp(-mean);
    int64_t n = 0;
    double r = 1.0;
    while ((double)n < 1000.0 * mean) {
        r *= well_next_double(w);
        if (r >= p)
            n++;
        else
            return (int)n;
    }
    return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* ---------------------------------------------------------------- samplers */
typedef enum { S_BERNOULLI, S_POISSON, S_CELL } sampler_kind;

struct rdd_sampler {
    sampler_kind kind;
    double fraction, lb, ub;
    lm_xorshift rng;
    well *w;              /* Poisson above the gap threshold */
    bool gap;             /* gap sampling (lazily started) */
    bool gap_started;
    int count_for_dropping;
    double lnq, q;
};

#define GAP_MAX_FRACTION 0.4
#define RNG_EPSILON 5e-11

static rdd_sampler *sampler_new(lm_task *t, sampler_kind kind, int64_t seed)
{
    rdd_sampler *s = lm_arena_calloc(&t->arena, 1, sizeof *s);
    if (s == NULL) {
        rdd_task_error(t, LM_ENOMEM, "out of memory");
        return NULL;
    }
    s->kind = kind;
    lm_xorshift_init(&s->rng, seed);
    return s;
}

rdd_sampler *rdd_sampler_bernoulli(lm_task *t, double fraction, int64_t seed)
{
    rdd_sampler *s = sampler_new(t, S_BERNOULLI, seed);
    if (s) {
        s->fraction = fraction;
        s->gap = fraction > 0.0 && fraction < 1.0 && fraction <= GAP_MAX_FRACTION;
        s->lnq = log1p(-fraction);
    }
    return s;
}

rdd_sampler *rdd_sampler_poisson(lm_task *t, double fraction, int64_t seed)
{
    rdd_sampler *s = sampler_new(t, S_POISSON, seed);
    if (s == NULL)
        return NULL;
    s->fraction = fraction;
    s->gap = fraction > 0.0 && fraction <= GAP_MAX_FRACTION;
    s->q = exp(-fraction);
    if (!s->gap && fraction > 0.0) {
        s->w = lm_arena_alloc(&t->arena, sizeof *s->w);
        if (s->w == NULL) {
            rdd_task_error(t, LM_ENOMEM, "out of memory");
            return NULL;
        }
        well_seed(s->w, seed);
    }
    return s;
}

rdd_sampler *rdd_sampler_cell(lm_task *t, double lb, double ub, int64_t seed)
{
    rdd_sampler *s = sampler_new(t, S_CELL, seed);
    if (s) {
        s->lb = lb;
        s->ub = ub;
    }
    return s;
}

/* GapSampling.advance: how many items to skip, geometric. */
static void gap_advance(rdd_sampler *s)
{
    double u = lm_xorshift_next_double(&s->rng);
    if (u < RNG_EPSILON)
        u = RNG_EPSILON;
    double d = s->kind == S_BERNOULLI ? log(u) / s->lnq : log(u) / (-s->fraction);
    s->count_for_dropping = (int)d;
}

/* GapSamplingReplacement.poissonGE1 */
static int poisson_ge1(rdd_sampler *s)
{
    double pp = s->q + (1.0 - s->q) * lm_xorshift_next_double(&s->rng);
    int r = 1;
    pp *= lm_xorshift_next_double(&s->rng);
    while (pp > s->q) {
        r++;
        pp *= lm_xorshift_next_double(&s->rng);
    }
    return r;
}

int rdd_sampler_next(rdd_sampler *s)
{
    switch (s->kind) {
    case S_CELL: {
        if (s->ub - s->lb <= 0.0)
            return 0;
        double x = lm_xorshift_next_double(&s->rng);
        return x >= s->lb && x < s->ub;
    }
    case S_BERNOULLI:
        if (s->fraction <= 0.0)
            return 0;
        if (s->fraction >= 1.0)
            return 1;
        if (!s->gap)
            return lm_xorshift_next_double(&s->rng) <= s->fraction;
        if (!s->gap_started) {
            s->gap_started = true;
            gap_advance(s);
        }
        if (s->count_for_dropping > 0) {
            s->count_for_dropping--;
            return 0;
        }
        gap_advance(s);
        return 1;
    case S_POISSON:
        if (s->fraction <= 0.0)
            return 0;
        if (!s->gap)
            return poisson_sample(s->w, s->fraction);
        if (!s->gap_started) {
            s->gap_started = true;
            gap_advance(s);
        }
        if (s->count_for_dropping > 0) {
            s->count_for_dropping--;
            return 0;
        }
        int r = poisson_ge1(s);
        gap_advance(s);
        return r;
    }
    return 0;
}

/* SamplingUtils.computeFractionForSampleSize with PoissonBounds and
   BinomialBounds (delta 1e-4). */
double rdd_fraction_for_sample_size(int n, int64_t total, bool with_replacement)
{
    if (with_replacement) {
        double s = n;
        double numstd = s < 6.0 ? 12.0 : s < 16.0 ? 9.0 : 6.0;
        double ub = s + numstd * sqrt(s);
        if (ub < 1e-10)
            ub = 1e-10;
        return ub / (double)total;
    }
    double fraction = (double)n / (double)total;
    double gamma = -log(1e-4) / (double)total;
    double f = fraction + gamma + sqrt(gamma * gamma + 2 * gamma * fraction);
    if (f < 1e-10)
        f = 1e-10;
    return f < 1.0 ? f : 1.0;
}

/* ------------------------------------------------- PoissonDistribution */
/* commons-math3's PoissonDistribution(mean) after reseedRandomGenerator
   (seed), for callers outside the samplers (ML's bagging). */
struct rdd_poisson {
    well w;
    double mean;
};

rdd_poisson *rdd_poisson_new(double mean, int64_t seed)
{
    rdd_poisson *p = malloc(sizeof *p);
    if (p) {
        well_seed(&p->w, seed);
        p->mean = mean;
    }
    return p;
}

int rdd_poisson_sample(rdd_poisson *p)
{
    return poisson_sample(&p->w, p->mean);
}

void rdd_poisson_free(rdd_poisson *p)
{
    free(p);
}
