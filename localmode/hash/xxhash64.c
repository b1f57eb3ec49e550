/*
 * XXH64 as specified by Yann Collet's xxHash, in the shape Spark uses:
 * fixed-width entry points for int and long plus a byte-string one.
 * Multi-byte reads are little-endian, as Spark's are on the platforms it
 * supports.
 */
#include "xxhash64.h"

#include "hash_walk.h"

#define P64_1 UINT64_C(0x9E3779B185EBCA87)
#define P64_2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P64_3 UINT64_C(0x165667B19E3779F9)
#define P64_4 UINT64_C(0x85EBCA77C2B2AE63)
#define P64_5 UINT64_C(0x27D4EB2F165667C5)

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= P64_2;
    h ^= h >> 29;
    h *= P64_3;
    h ^= h >> 32;
    return h;
}

static uint64_t round64(uint64_t acc, uint64_t lane)
{
    acc += lane * P64_2;
    acc = rotl64(acc, 31);
    return acc * P64_1;
}

static uint64_t merge_round(uint64_t h, uint64_t acc)
{
    h ^= round64(0, acc);
    return h * P64_1 + P64_4;
}

/* Folds one 8-byte lane of the tail. */
static uint64_t tail8(uint64_t h, uint64_t lane)
{
    h ^= round64(0, lane);
    return rotl64(h, 27) * P64_1 + P64_4;
}

/* Folds one 4-byte lane of the tail. */
static uint64_t tail4(uint64_t h, uint32_t lane)
{
    h ^= (uint64_t)lane * P64_1;
    return rotl64(h, 23) * P64_2 + P64_3;
}

uint64_t lm_xxhash64_hash_int(int32_t x, uint64_t seed)
{
    uint64_t h = seed + P64_5 + 4;
    return avalanche(tail4(h, (uint32_t)x));
}

uint64_t lm_xxhash64_hash_long(int64_t x, uint64_t seed)
{
    uint64_t h = seed + P64_5 + 8;
    return avalanche(tail8(h, (uint64_t)x));
}

uint64_t lm_xxhash64_hash_bytes(const void *p, size_t len, uint64_t seed)
{
    const uint8_t *b = p;
    size_t off = 0;
    uint64_t h;

    if (len >= 32) {
        uint64_t v1 = seed + P64_1 + P64_2;
        uint64_t v2 = seed + P64_2;
        uint64_t v3 = seed;
        uint64_t v4 = seed - P64_1;
        do {
            v1 = round64(v1, load_le64(b + off));
            v2 = round64(v2, load_le64(b + off + 8));
            v3 = round64(v3, load_le64(b + off + 16));
            v4 = round64(v4, load_le64(b + off + 24));
            off += 32;
        } while (off + 32 <= len);
        h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
        h = merge_round(h, v1);
        h = merge_round(h, v2);
        h = merge_round(h, v3);
        h = merge_round(h, v4);
    } else {
        h = seed + P64_5;
    }
    h += (uint64_t)len;

    for (; off + 8 <= len; off += 8)
        h = tail8(h, load_le64(b + off));
    if (off + 4 <= len) {
        h = tail4(h, load_le32(b + off));
        off += 4;
    }
    for (; off < len; off++) {
        h ^= (uint64_t)b[off] * P64_5;
        h = rotl64(h, 11) * P64_1;
    }
    return avalanche(h);
}

static uint64_t walk_bytes(const uint8_t *p, size_t len, uint64_t seed)
{
    return lm_xxhash64_hash_bytes(p, len, seed);
}

static const hash_ops xxhash64_ops = {lm_xxhash64_hash_int, lm_xxhash64_hash_long,
                                      walk_bytes};

uint64_t lm_xxhash64_hash_value(const lm_type *t, const lm_value *v, uint64_t seed)
{
    return hash_walk_value(&xxhash64_ops, t, v, seed);
}

int64_t lm_spark_xxhash64(int n, const lm_type *const *types, const lm_value *values)
{
    uint64_t h = LM_XXHASH64_SEED;
    for (int i = 0; i < n; i++)
        h = lm_xxhash64_hash_value(types[i], &values[i], h);
    return (int64_t)h;
}
