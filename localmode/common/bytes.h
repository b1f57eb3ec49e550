/*
 * Short byte strings as keys: a word-at-a-time hash and an equality test
 * that does short keys (the usual ids and codes) without a call.
 */
#ifndef LM_COMMON_BYTES_H
#define LM_COMMON_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* murmur3's 64-bit finaliser: spreads every input bit over the word */
static inline uint64_t lm_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* A hash of n bytes, a word at a time. */
static inline uint64_t lm_bytes_hash(const char *p, int32_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = lm_mix64(h ^ w) * 0x87c37b91114253d5ULL;
    }
    /* the 0-7 bytes left: two overlapping loads, or three single bytes */
    uint64_t t = 0;
    int32_t r = n - i;
    if (r >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p + i, 4);
        memcpy(&hi, p + n - 4, 4);
        t = (uint64_t)lo << 32 | hi;
    } else if (r > 0) {
        const unsigned char *q = (const unsigned char *)p + i;
        t = (uint64_t)q[0] << 16 | (uint64_t)q[r / 2] << 8 | q[r - 1];
    }
    return lm_mix64(h ^ t);
}

/* Equality of n bytes; short keys (the usual ids and codes) without a
   call. */
static inline bool lm_bytes_eq(const char *a, const char *b, int32_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t x, y, u, v;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&u, a + n - 8, 8);
        memcpy(&v, b + n - 8, 8);
        return x == y && u == v;
    }
    if (n >= 4 && n < 8) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    if (n < 4) {
        for (int32_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    return memcmp(a, b, (size_t)n) == 0;
}

#endif
