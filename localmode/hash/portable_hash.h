/*
 * PySpark's portable_hash, the default partitionFunc of RDD.partitionBy
 * (and so of reduceByKey, groupByKey, join... on pair RDDs). A key goes to
 * partition portable_hash(key) % n with Python's modulo (never negative for
 * n > 0): lm_portable_partition.
 *
 * portable_hash is Python's built-in hash() except for None (0) and tuples,
 * which PySpark hashes with its own CPython-2.7-style loop (not CPython 3's
 * xxHash-based tuple hash). What this module reproduces:
 *
 *   int, bool   CPython's integer hash: the value reduced modulo the
 *               Mersenne prime 2^61-1 keeping the sign, -1 mapped to -2.
 *   float       CPython's numeric hash of the exact rational value (so
 *               2.0 hashes as 2); +/-inf give +/-314159. NaN hashes by
 *               object identity since Python 3.10 and cannot be
 *               reproduced: we return 0 (the pre-3.10 value).
 *   str, bytes  CPython 3.11+ (siphash13) with PYTHONHASHSEED=0, which is
 *               what PySpark gives its workers unless the user sets
 *               another seed. str hashes its code points in CPython's
 *               compact form (1, 2 or 4 bytes per character, chosen by the
 *               largest code point). Python 3.10 and earlier used siphash24
 *               and give other values.
 *   None        0
 *   tuple       PySpark's loop over the element hashes (lm_portable_hash_tuple).
 */
#ifndef LM_HASH_PORTABLE_HASH_H
#define LM_HASH_PORTABLE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Python's hash(None) as portable_hash returns it. */
#define LM_PORTABLE_HASH_NONE INT64_C(0)

int64_t lm_portable_hash_i64(int64_t x);
int64_t lm_portable_hash_double(double x);
/*
 * hash(str) of UTF-8 text. Returns false (and leaves *out alone) when the
 * bytes are not valid UTF-8, which no Python str can hold.
 */
bool lm_portable_hash_str(const char *utf8, size_t len, int64_t *out);
/* hash(bytes). */
int64_t lm_portable_hash_bytes(const void *p, size_t len);
/* portable_hash of a tuple whose elements have the given portable hashes. */
int64_t lm_portable_hash_tuple(int n, const int64_t *elem_hashes);

/* Python's hash % num_partitions for num_partitions > 0: in [0, n). */
int lm_portable_partition(int64_t hash, int num_partitions);

#endif
