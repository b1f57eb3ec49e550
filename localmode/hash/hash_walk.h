/*
 * The type-directed walk shared by Spark's hash() and xxhash64(). Spark
 * computes both through one interpreted function parameterised by three
 * primitives (hash an int, hash a long, hash a byte string) and a 64-bit
 * running seed; we do the same so the two SQL functions cannot drift apart
 * in how they treat nulls, floats, decimals, intervals and nested values.
 * Internal to localmode/hash.
 */
#ifndef LM_HASH_HASH_WALK_H
#define LM_HASH_HASH_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "types/type.h"
#include "types/value.h"

typedef struct hash_ops {
    uint64_t (*hash_int)(int32_t x, uint64_t seed);
    uint64_t (*hash_long)(int64_t x, uint64_t seed);
    uint64_t (*hash_bytes)(const uint8_t *p, size_t len, uint64_t seed);
} hash_ops;

/*
 * Folds one value of type t into seed and returns the new running hash.
 * A NULL value (or a value of the NULL type) leaves the seed unchanged,
 * as do NULL elements, map values and struct fields at any depth.
 */
uint64_t hash_walk_value(const hash_ops *ops, const lm_type *t, const lm_value *v,
                         uint64_t seed);

/*
 * Writes the unscaled value of a decimal as java.math.BigInteger.toByteArray
 * does: big-endian two's complement with the fewest bytes that keep the sign
 * (at least one). out must hold 16 bytes; returns the length.
 */
size_t hash_decimal_bytes(lm_int128 unscaled, uint8_t out[16]);

#endif
