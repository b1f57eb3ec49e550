/*
 * Columnar vectors and batches, laid out so they export directly to the
 * Arrow C data interface: a validity bitmap (bit set = valid, LSB first),
 * a fixed-width value buffer, and for variable-size types offsets plus a
 * byte heap (strings, binary) or child vectors (arrays, maps, structs).
 *
 * Physical layout per type:
 *   BOOLEAN            uint8_t per value (0/1; not bit-packed, for fast kernels)
 *   BYTE/SHORT/INT     int8_t / int16_t / int32_t
 *   LONG               int64_t
 *   FLOAT / DOUBLE     float / double
 *   DECIMAL            lm_int128 (unscaled)
 *   DATE, YM_INTERVAL  int32_t
 *   TIMESTAMP[_NTZ], DT_INTERVAL  int64_t
 *   INTERVAL           lm_interval
 *   STRING / BINARY    int32_t offsets[length + 1] into heap
 *   ARRAY              int32_t offsets[length + 1] into children[0]
 *   MAP                int32_t offsets[length + 1] into children[0] (keys)
 *                      and children[1] (values)
 *   STRUCT             one child per field, each of the parent's length
 *   NULL               no buffers; every slot is null
 */
#ifndef LM_VECTOR_VECTOR_H
#define LM_VECTOR_VECTOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"
#include "types/type.h"
#include "types/value.h"

#define LM_BATCH_ROWS 2048

typedef struct lm_vector lm_vector;

struct lm_vector {
    lm_type *type; /* owned reference */
    /* Vectors are shared between batches (a projection hands its input
       column on instead of copying it): lm_vector_ref adds an owner and
       lm_vector_free drops one. A vector with more than one owner is
       read-only. Atomic because worker threads share input columns. */
    _Atomic int refcount;
    int32_t length;
    int32_t capacity;
    uint8_t *validity; /* capacity bits; never NULL once capacity > 0 */
    void *data;        /* fixed-width values, or int32_t offsets (capacity + 1) */
    char *heap;        /* STRING / BINARY bytes */
    int64_t heap_len, heap_cap;
    int nchildren;
    lm_vector **children;
    /* STRING only, optional: one dictionary code per row (strdict.h) */
    struct lm_strdict *dict;
    int32_t *codes;
};

/* Creates an empty vector able to hold capacity rows without growing
   (nested children start with room for capacity elements and grow on
   demand). Takes its own reference to t. NULL on allocation failure. */
lm_vector *lm_vector_new(const lm_type *t, int32_t capacity);
/* Drops one reference; frees the vector with the last one. */
void lm_vector_free(lm_vector *v);
/* Adds a reference (returns v); the vector must not be modified while shared. */
lm_vector *lm_vector_ref(lm_vector *v);
/* True when more than one owner holds v. */
bool lm_vector_is_shared(const lm_vector *v);
/* Empties the vector keeping its buffers (children too). */
void lm_vector_reset(lm_vector *v);
lm_status lm_vector_reserve(lm_vector *v, int32_t capacity);

static inline bool lm_vector_is_null(const lm_vector *v, int32_t i)
{
    return v->type->id == LM_TYPE_NULL || !((v->validity[i >> 3] >> (i & 7)) & 1);
}

/* True when no row of v is NULL (its bitmap read a byte at a time). */
bool lm_vector_no_nulls(const lm_vector *v);

/* Validity of rows [0, n) as one byte per row (1 = valid) into out;
   true when every row is valid. */
bool lm_vector_valid_bytes(const lm_vector *v, int32_t n, uint8_t *out);

/*
 * Appends one value (deep: nested payloads are copied into the vector).
 * All appends are all-or-nothing: on LM_ENOMEM the vector (children and
 * heap included) is left exactly as before the call.
 */
lm_status lm_vector_append(lm_vector *v, const lm_value *val);
lm_status lm_vector_append_null(lm_vector *v);
/* Appends row i of src, which must have the same type. */
lm_status lm_vector_append_from(lm_vector *v, const lm_vector *src, int32_t i);
/* Drops the rows from length on (length <= v->length), children and heap
   included, keeping the buffers. Used to undo a partly appended row. */
void lm_vector_truncate(lm_vector *v, int32_t length);

/*
 * Reads row i. Strings and binary point into the vector's heap (valid while
 * the vector lives and is not appended to). Arrays, maps and structs are
 * materialised into arena a.
 * Returns false only when the arena runs out of memory.
 */
bool lm_vector_get(const lm_vector *v, int32_t i, lm_value *out, lm_arena *a);

/* A batch: equal-length columns for one schema. */
typedef struct lm_batch {
    int ncols;
    int32_t nrows;
    lm_vector **cols;
} lm_batch;

/* schema must be a STRUCT type; one column per field. */
lm_batch *lm_batch_new(const lm_type *schema, int32_t capacity);
void lm_batch_free(lm_batch *b);
void lm_batch_reset(lm_batch *b);
/* Appends a row of ncols values. */
lm_status lm_batch_append_row(lm_batch *b, const lm_value *row);
/* Appends row i of src (same schema). */
lm_status lm_batch_append_from(lm_batch *b, const lm_batch *src, int32_t i);
/* Reads row i into row[0..ncols). */
bool lm_batch_get_row(const lm_batch *b, int32_t i, lm_value *row, lm_arena *a);

#endif
