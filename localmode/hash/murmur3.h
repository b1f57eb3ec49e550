/*
 * Spark's 32-bit Murmur3 (org.apache.spark.unsafe.hash.Murmur3_x86_32) and
 * the SQL hash(...) function built on it. hash() is also what decides the
 * partition of a row under HashPartitioning (Pmod(hash(keys), n)), so rows
 * land in the partitions where Spark puts them.
 *
 * Hashes are returned as uint32_t (the bit pattern of Spark's int); cast to
 * int32_t for the value Spark shows.
 */
#ifndef LM_HASH_MURMUR3_H
#define LM_HASH_MURMUR3_H

#include <stddef.h>
#include <stdint.h>

#include "types/type.h"
#include "types/value.h"

/* Spark's seed for hash(...) and for HashPartitioning. */
#define LM_MURMUR3_SEED 42u

uint32_t lm_murmur3_hash_int(int32_t x, uint32_t seed);
uint32_t lm_murmur3_hash_long(int64_t x, uint32_t seed);
/*
 * Spark's hashUnsafeBytes, the variant hash() uses for strings, binary and
 * large decimals. Not standard Murmur3: each of the 0-3 trailing bytes is
 * sign-extended and mixed in as its own 4-byte block.
 */
uint32_t lm_murmur3_hash_bytes(const void *p, size_t len, uint32_t seed);
/* Spark's hashUnsafeBytes2: standard Murmur3_x86_32 tail handling. */
uint32_t lm_murmur3_hash_bytes2(const void *p, size_t len, uint32_t seed);

/*
 * Folds one value of type t into seed, as Spark's Murmur3HashFunction.hash.
 * Returns seed unchanged for NULL. Both pointers are borrowed.
 */
uint32_t lm_murmur3_hash_value(const lm_type *t, const lm_value *v, uint32_t seed);

/*
 * SQL hash(v0, ..., vn-1): the running hash starts at 42 and each argument's
 * hash seeds the next; NULL arguments are skipped. Never NULL itself.
 * Type checks are the caller's: Spark's analyzer rejects zero arguments
 * (WRONG_NUM_ARGS) and any argument containing a map
 * (DATATYPE_MISMATCH.HASH_MAP_TYPE) unless
 * spark.sql.legacy.allowHashOnMapType is true; maps hash here regardless.
 */
int32_t lm_spark_hash(int n, const lm_type *const *types, const lm_value *values);

/*
 * Partition id of a row whose key hash is `hash`, as HashPartitioning's
 * Pmod(hash, num_partitions): always in [0, num_partitions).
 * num_partitions must be positive.
 */
int lm_hash_partition(int32_t hash, int num_partitions);

#endif
