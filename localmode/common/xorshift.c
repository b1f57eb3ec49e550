/*
 * Spark's XORShiftRandom (xorshift.h).
 */
#include "common/xorshift.h"

#include <math.h>

#include "hash/murmur3.h"

void lm_xorshift_init(lm_xorshift *r, int64_t seed)
{
    /* hashSeed: the seed as ByteBuffer.putLong writes it, hashed twice
       with Scala's MurmurHash3.bytesHash, which is standard Murmur3_x86_32
       (Spark's hashUnsafeBytes2) */
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)seed >> (56 - 8 * i));
    uint32_t lo = lm_murmur3_hash_bytes2(b, 8, 0x3c074a61u);
    uint32_t hi = lm_murmur3_hash_bytes2(b, 8, lo);
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
