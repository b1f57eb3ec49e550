/*
 * How the hash aggregate, hash join and sort read a key column: as int64
 * (every integral, date, timestamp and interval type), as double, as bytes,
 * or through lm_value for everything else. One classification, so that the
 * three operators agree on which keys take the fast paths.
 */
#ifndef LM_EXEC_KEY_KIND_H
#define LM_EXEC_KEY_KIND_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/bytes.h"
#include "types/type.h"
#include "vector/vector.h"

typedef enum exec_key_kind { EXEC_KEY_I64, EXEC_KEY_F64, EXEC_KEY_STR, EXEC_KEY_VAL } exec_key_kind;

static inline exec_key_kind exec_key_kind_of(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return EXEC_KEY_I64;
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
        return EXEC_KEY_F64;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return EXEC_KEY_STR;
    default:
        return EXEC_KEY_VAL;
    }
}

/* Row i of an EXEC_KEY_I64 column, widened. */
static inline int64_t exec_vector_i64(const lm_vector *v, int32_t i)
{
    /* the common widths first, without a call into type.c */
    switch (v->type->id) {
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
        return ((const int32_t *)v->data)[i];
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
        return ((const int64_t *)v->data)[i];
    default:
        break;
    }
    switch (lm_type_fixed_width(v->type)) {
    case 1: return v->type->id == LM_TYPE_BOOLEAN ? ((const uint8_t *)v->data)[i]
                                                  : ((const int8_t *)v->data)[i];
    case 2: return ((const int16_t *)v->data)[i];
    case 4: return ((const int32_t *)v->data)[i];
    default: return ((const int64_t *)v->data)[i];
    }
}

/* Row i of an EXEC_KEY_F64 column, as stored (no NaN or -0.0 folding). */
static inline double exec_vector_f64(const lm_vector *v, int32_t i)
{
    return v->type->id == LM_TYPE_FLOAT ? (double)((const float *)v->data)[i]
                                        : ((const double *)v->data)[i];
}

/* A double key as Spark groups and joins it: -0.0 is 0.0 and every NaN
   is one NaN, so equal keys have equal bits. */
static inline double exec_key_double(double d)
{
    if (d != d)
        return NAN;
    return d == 0.0 ? 0.0 : d;
}

/* Ascending order of two non-null slots of key columns of a typed kind
   (I64, F64, STR: strings as unsigned bytes, then by length). */
static inline int exec_key_cmp(exec_key_kind kind, const lm_vector *va, int32_t ra,
                               const lm_vector *vb, int32_t rb)
{
    switch (kind) {
    case EXEC_KEY_I64: {
        int64_t x = exec_vector_i64(va, ra), y = exec_vector_i64(vb, rb);
        return (x > y) - (x < y);
    }
    case EXEC_KEY_F64:
        return lm_double_compare(exec_vector_f64(va, ra), exec_vector_f64(vb, rb));
    default: {
        const int32_t *oa = va->data, *ob = vb->data;
        int32_t la = oa[ra + 1] - oa[ra], lb = ob[rb + 1] - ob[rb];
        int32_t m = la < lb ? la : lb;
        int x = m > 0 ? memcmp(va->heap + oa[ra], vb->heap + ob[rb], (size_t)m) : 0;
        return x != 0 ? (x < 0 ? -1 : 1) : (la > lb) - (la < lb);
    }
    }
}

#endif
