/*
 * Spark's Murmur3_x86_32 and the SQL hash() function.
 *
 * The block mixing is Austin Appleby's MurmurHash3_x86_32. Spark reads
 * 4-byte blocks in the platform's byte order, which is little-endian on
 * every machine Spark runs on; we assemble them little-endian explicitly so
 * results do not depend on the host.
 */
#include "murmur3.h"

#include "hash_walk.h"

#define MM_C1 0xcc9e2d51u
#define MM_C2 0x1b873593u

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t mix_k1(uint32_t k1)
{
    k1 *= MM_C1;
    k1 = rotl32(k1, 15);
    return k1 * MM_C2;
}

static uint32_t mix_h1(uint32_t h1, uint32_t k1)
{
    h1 ^= k1;
    h1 = rotl32(h1, 13);
    return h1 * 5 + 0xe6546b64u;
}

/* Final avalanche; `length` is the input length in bytes, as an int. */
static uint32_t fmix32(uint32_t h1, uint32_t length)
{
    h1 ^= length;
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    h1 ^= h1 >> 16;
    return h1;
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

uint32_t lm_murmur3_hash_int(int32_t x, uint32_t seed)
{
    return fmix32(mix_h1(seed, mix_k1((uint32_t)x)), 4);
}

uint32_t lm_murmur3_hash_long(int64_t x, uint32_t seed)
{
    uint64_t u = (uint64_t)x;
    uint32_t h1 = mix_h1(seed, mix_k1((uint32_t)u));
    h1 = mix_h1(h1, mix_k1((uint32_t)(u >> 32)));
    return fmix32(h1, 8);
}

static uint32_t hash_blocks(const uint8_t *p, size_t aligned, uint32_t seed)
{
    uint32_t h1 = seed;
    for (size_t i = 0; i < aligned; i += 4)
        h1 = mix_h1(h1, mix_k1(load_le32(p + i)));
    return h1;
}

uint32_t lm_murmur3_hash_bytes(const void *p, size_t len, uint32_t seed)
{
    const uint8_t *b = p;
    size_t aligned = len - len % 4;
    uint32_t h1 = hash_blocks(b, aligned, seed);
    for (size_t i = aligned; i < len; i++) {
        /* Java bytes are signed: the byte is sign-extended to an int. */
        int32_t half_word = (int8_t)b[i];
        h1 = mix_h1(h1, mix_k1((uint32_t)half_word));
    }
    return fmix32(h1, (uint32_t)len);
}

uint32_t lm_murmur3_hash_bytes2(const void *p, size_t len, uint32_t seed)
{
    const uint8_t *b = p;
    size_t aligned = len - len % 4;
    uint32_t h1 = hash_blocks(b, aligned, seed);
    uint32_t k1 = 0;
    for (size_t i = aligned, shift = 0; i < len; i++, shift += 8)
        k1 ^= (uint32_t)b[i] << shift;
    /* Spark mixes the (possibly empty) tail unconditionally. */
    h1 ^= mix_k1(k1);
    return fmix32(h1, (uint32_t)len);
}

/* Adapters to the 64-bit running seed of the shared walk (Spark keeps the
   seed in a long and truncates it to an int for Murmur3). */
static uint64_t walk_int(int32_t x, uint64_t seed)
{
    return lm_murmur3_hash_int(x, (uint32_t)seed);
}

static uint64_t walk_long(int64_t x, uint64_t seed)
{
    return lm_murmur3_hash_long(x, (uint32_t)seed);
}

static uint64_t walk_bytes(const uint8_t *p, size_t len, uint64_t seed)
{
    return lm_murmur3_hash_bytes(p, len, (uint32_t)seed);
}

static const hash_ops murmur3_ops = {walk_int, walk_long, walk_bytes};

uint32_t lm_murmur3_hash_value(const lm_type *t, const lm_value *v, uint32_t seed)
{
    return (uint32_t)hash_walk_value(&murmur3_ops, t, v, seed);
}

int32_t lm_spark_hash(int n, const lm_type *const *types, const lm_value *values)
{
    uint32_t h = LM_MURMUR3_SEED;
    for (int i = 0; i < n; i++)
        h = lm_murmur3_hash_value(types[i], &values[i], h);
    return (int32_t)h;
}

int lm_hash_partition(int32_t hash, int num_partitions)
{
    int r = hash % num_partitions;
    return r < 0 ? r + num_partitions : r;
}
