/*
 * Spark's 64-bit xxHash (org.apache.spark.sql.catalyst.expressions.XXH64)
 * and the SQL xxhash64(...) function built on it. Byte strings hash exactly
 * as the reference XXH64; hashing an int or a long equals hashing its 4 or
 * 8 little-endian bytes.
 */
#ifndef LM_HASH_XXHASH64_H
#define LM_HASH_XXHASH64_H

#include <stddef.h>
#include <stdint.h>

#include "types/type.h"
#include "types/value.h"

/* Spark's seed for xxhash64(...). */
#define LM_XXHASH64_SEED UINT64_C(42)

uint64_t lm_xxhash64_hash_int(int32_t x, uint64_t seed);
uint64_t lm_xxhash64_hash_long(int64_t x, uint64_t seed);
uint64_t lm_xxhash64_hash_bytes(const void *p, size_t len, uint64_t seed);

/*
 * Folds one value of type t into seed, as Spark's XxHash64Function.hash
 * (same per-type rules as lm_murmur3_hash_value). Returns seed unchanged
 * for NULL. Both pointers are borrowed.
 */
uint64_t lm_xxhash64_hash_value(const lm_type *t, const lm_value *v, uint64_t seed);

/*
 * SQL xxhash64(v0, ..., vn-1): starts at 42, each argument's hash seeds the
 * next, NULL arguments are skipped. Never NULL itself.
 */
int64_t lm_spark_xxhash64(int n, const lm_type *const *types, const lm_value *values);

#endif
