/*
 * Dictionary codes of string columns, as Spark's in-memory columnar cache
 * compresses a string column whose values repeat.
 *
 * A cached table's string column can carry, beside its ordinary layout
 * (offsets and heap, untouched), one code per row: the index of its
 * value in a dictionary shared by every batch of the column. Equal
 * strings have equal codes, so consumers that only need equality (the
 * grouping of an aggregation, a comparison with a constant) can work on
 * integers. Consumers that do not know about codes read the vector as
 * always. NULL rows have a code of their own (the dictionary's null_code).
 *
 * Codes describe a vector's content at the time they were attached; any
 * append, truncation or reset drops them (vector.c).
 */
#ifndef LM_VECTOR_STRDICT_H
#define LM_VECTOR_STRDICT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vector/vector.h"

typedef struct lm_strdict {
    _Atomic int refcount;
    int32_t size;      /* codes in use: the distinct values, NULL counted once */
    int32_t null_code; /* code of NULL rows; -1 when the column has none */
    int32_t *off;      /* per code: its value's bytes in heap (null_code: empty) */
    char *heap;
    uint32_t *slots;   /* open addressing: code + 1, 0 = empty */
    uint32_t mask;
} lm_strdict;

lm_strdict *lm_strdict_ref(lm_strdict *d);
void lm_strdict_unref(lm_strdict *d);

/* The code of the string s[0..n) in d, or -1 when no row has it. */
int32_t lm_strdict_find(const lm_strdict *d, const char *s, int32_t n);

/* One step of checking that a column's batches share a dictionary: true
   when v has codes for its first `rows` rows in *d, or in any dictionary
   when *d is NULL (*d is then set to it). */
bool lm_strdict_same(const lm_vector *v, int32_t rows, const lm_strdict **d);

/*
 * Gives the string vectors vecs[0..n) (one column's batches) codes in one
 * shared dictionary when the column has at most max_values distinct
 * values; otherwise, or when a vector already has codes, leaves them as
 * they are. False only when memory ran out (nothing is attached then).
 */
bool lm_strdict_encode(lm_vector **vecs, int n, int32_t max_values);

/* Drops v's codes (v's values are about to change). */
void lm_vector_drop_codes(lm_vector *v);

#endif
