/*
 * Spark's XORShiftRandom (xorshift.h).
 */
#include "common/xorshift.h"

#include <math.h>

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t mix_last(uint32_t h, uint32_t k)
{
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    return h ^ k;
}

/* scala.util.hashing.MurmurHash3.bytesHash */
static uint32_t scala_bytes_hash(const uint8_t *d, int len, uint32_t seed)
{
    uint32_t h = seed;
    int i = 0, rem = len;
    for (; rem >= 4; i += 4, rem -= 4) {
        uint32_t k = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                     (uint32_t)d[i + 3] << 24;
        h = rotl32(mix_last(h, k), 13) * 5 + 0xe6546b64u;
    }
    uint32_t k = 0;
    if (rem == 3)
        k ^= (uint32_t)d[i + 2] << 16;
    if (rem >= 2)
        k ^= (uint32_t)d[i + 1] << 8;
    if (rem >= 1) {
        k ^= d[i];
        h = mix_last(h, k);
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

void lm_xorshift_init(lm_xorshift *r, int64_t seed)
{
    /* hashSeed: the seed as ByteBuffer.putLong writes it, hashed twice */
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)seed >> (56 - 8 * i));
    uint32_t lo = scala_bytes_hash(b, 8, 0x3c074a61u);
    uint32_t hi = scala_bytes_hash(b, 8, lo);
    r->seed = (uint64_t)hi << 32 | lo;
    r->have_gaussian = false;
    r->next_gaussian = 0;
}

int32_t lm_xorshift_next(lm_xorshift *r, int bits)
{
    uint64_t s = r->seed;
    s ^= s << 21;
    s ^= s >> 35;
    s ^= s << 4;
    r->seed = s;
    return (int32_t)(s & ((UINT64_C(1) << bits) - 1));
}

double lm_xorshift_next_double(lm_xorshift *r)
{
    int64_t a = lm_xorshift_next(r, 26), b = lm_xorshift_next(r, 27);
    return (double)((a << 27) + b) * 0x1.0p-53;
}

int32_t lm_xorshift_next_int(lm_xorshift *r, int32_t bound)
{
    int32_t v = lm_xorshift_next(r, 31);
    int32_t m = bound - 1;
    if ((bound & m) == 0)
        return (int32_t)(((int64_t)bound * (int64_t)v) >> 31);
    /* Java's rejection loop; its int overflow is the test, so unsigned */
    for (int32_t u = v; (int32_t)((uint32_t)u - (uint32_t)(v = u % bound) + (uint32_t)m) < 0;
         u = lm_xorshift_next(r, 31))
        ;
    return v;
}

double lm_xorshift_next_gaussian(lm_xorshift *r)
{
    if (r->have_gaussian) {
        r->have_gaussian = false;
        return r->next_gaussian;
    }
    double v1, v2, s;
    do {
        v1 = 2 * lm_xorshift_next_double(r) - 1;
        v2 = 2 * lm_xorshift_next_double(r) - 1;
        s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    /* java.util.Random uses StrictMath.sqrt/log */
    double m = sqrt(-2 * log(s) / s);
    r->next_gaussian = v2 * m;
    r->have_gaussian = true;
    return v1 * m;
}
