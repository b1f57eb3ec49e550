/*
 * A single SQL value, as rows and the RDD API carry them. The value does not
 * carry its type: code that holds a value always knows its lm_type (from a
 * schema or a resolved expression), as Spark's InternalRow does. Variable
 * size payloads (strings, binary, arrays, maps, structs) point into memory
 * owned elsewhere, normally an lm_arena or a vector's heap.
 *
 * Payload by type:
 *   BOOLEAN                          b
 *   BYTE, SHORT, INT, LONG           i64 (sign-extended)
 *   DATE                             i64 (days since epoch)
 *   TIMESTAMP, TIMESTAMP_NTZ         i64 (microseconds)
 *   YM_INTERVAL                      i64 (months)
 *   DT_INTERVAL                      i64 (microseconds)
 *   FLOAT                            f32
 *   DOUBLE                           f64
 *   DECIMAL                          dec (unscaled; precision/scale from the type)
 *   STRING, BINARY                   str (bytes, not NUL-terminated)
 *   INTERVAL                         iv
 *   ARRAY                            arr
 *   MAP                              map (entries in insertion order)
 *   STRUCT                           st
 */
#ifndef LM_TYPES_VALUE_H
#define LM_TYPES_VALUE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "type.h"

typedef __int128 lm_int128;

typedef struct lm_interval {
    int32_t months;
    int32_t days;
    int64_t micros;
} lm_interval;

typedef struct lm_value lm_value;

typedef struct lm_array_value {
    int32_t n;
    lm_value *elems;
} lm_array_value;

typedef struct lm_map_value {
    int32_t n;
    lm_value *keys;
    lm_value *values;
} lm_map_value;

typedef struct lm_struct_value {
    int32_t n;
    lm_value *fields;
} lm_struct_value;

struct lm_value {
    bool is_null;
    union {
        bool b;
        int64_t i64;
        float f32;
        double f64;
        lm_int128 dec;
        struct {
            const char *ptr;
            int32_t len;
        } str;
        lm_interval iv;
        lm_array_value *arr;
        lm_map_value *map;
        lm_struct_value *st;
    } u;
};

static inline lm_value lm_value_null(void)
{
    lm_value v;
    v.is_null = true;
    v.u.dec = 0;
    return v;
}

static inline lm_value lm_value_bool(bool b)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.b = b;
    return v;
}

static inline lm_value lm_value_i64(int64_t x)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.i64 = x;
    return v;
}

static inline lm_value lm_value_f64(double x)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.f64 = x;
    return v;
}

static inline lm_value lm_value_f32(float x)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.f32 = x;
    return v;
}

static inline lm_value lm_value_dec(lm_int128 x)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.dec = x;
    return v;
}

static inline lm_value lm_value_str(const char *p, int32_t len)
{
    lm_value v = lm_value_null();
    v.is_null = false;
    v.u.str.ptr = p;
    v.u.str.len = len;
    return v;
}

/* Deep copy of src (of type t) into arena memory. Returns false on OOM. */
bool lm_value_copy(lm_arena *a, const lm_type *t, const lm_value *src, lm_value *dst);

/*
 * Total order of Spark's ordering for non-null values of type t
 * (<0, 0, >0). NaN is greater than every other number and equal to itself;
 * -0.0 equals 0.0; strings and binary compare as unsigned bytes; arrays
 * element by element then by length; structs field by field; nulls nested
 * inside complex values sort first. Maps are not orderable in Spark, but
 * for grouping we order them by entries.
 */
int lm_value_compare(const lm_type *t, const lm_value *a, const lm_value *b);

/* Spark's order of doubles (SQLOrderingUtil.compareDoubles): -0.0 equals
   0.0, NaN is above every number and equal to itself. Inline: the typed
   kernels of sort, window, aggregation and comparison call it per row. */
static inline int lm_double_compare(double x, double y)
{
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    if (x == y)
        return 0;
    return (isnan(x) != 0) - (isnan(y) != 0);
}

/* Null-safe compare: nulls_first decides where NULL goes. */
int lm_value_compare_nulls(const lm_type *t, const lm_value *a, const lm_value *b,
                           bool nulls_first);

/* Equality with Spark's semantics for grouping/joins (NaN = NaN, -0.0 = 0.0).
   Two NULLs are equal here (null-safe), callers handle SQL three-valued logic. */
bool lm_value_equal(const lm_type *t, const lm_value *a, const lm_value *b);

/* A hash consistent with lm_value_equal, for hash tables (not Spark's hash()). */
uint64_t lm_value_hash(const lm_type *t, const lm_value *v, uint64_t seed);

#endif
