/*
 * Type-directed hashing of lm_value, matching Spark's
 * InterpretedHashFunction.hash (sql/catalyst expressions/hash.scala).
 *
 * Per type, the value is reduced to one of three primitives:
 *   boolean            int 1 / 0
 *   byte, short, int,
 *   date, year-month   int
 *   long, timestamp,
 *   timestamp_ntz,
 *   day-time interval  long
 *   float              int of Float.floatToIntBits, with -0.0 as 0 and every
 *                      NaN as the canonical 0x7fc00000
 *   double             long of Double.doubleToLongBits, -0.0 as 0, NaN as
 *                      0x7ff8000000000000
 *   decimal p <= 18    long of the unscaled value
 *   decimal p > 18     bytes of BigInteger.toByteArray of the unscaled value
 *   string, binary     the bytes
 *   calendar interval  long micros, then int days, then int months, each
 *                      result seeding the next (interpreted path; see below)
 * and complex values fold their children left to right, each child's result
 * seeding the next; maps fold key then value per entry.
 *
 * Calendar intervals: Spark's generated code (whole-stage codegen) hashes
 * only micros and months, skipping days, while the interpreted path (used
 * for constant folding and by the documented semantics) includes days. We
 * follow the interpreted path; the two agree whenever days == 0.
 */
#include "hash_walk.h"

#include <string.h>

static uint64_t hash_float(const hash_ops *ops, float f, uint64_t seed)
{
    uint32_t bits;
    if (f == 0.0f) /* true for -0.0f too */
        return ops->hash_int(0, seed);
    if (f != f) /* floatToIntBits collapses every NaN to one pattern */
        return ops->hash_int(0x7fc00000, seed);
    memcpy(&bits, &f, sizeof bits);
    return ops->hash_int((int32_t)bits, seed);
}

static uint64_t hash_double(const hash_ops *ops, double d, uint64_t seed)
{
    uint64_t bits;
    if (d == 0.0)
        return ops->hash_long(0, seed);
    if (d != d)
        return ops->hash_long((int64_t)UINT64_C(0x7ff8000000000000), seed);
    memcpy(&bits, &d, sizeof bits);
    return ops->hash_long((int64_t)bits, seed);
}

size_t hash_decimal_bytes(lm_int128 unscaled, uint8_t out[16])
{
    uint8_t be[16];
    unsigned __int128 u = (unsigned __int128)unscaled;
    size_t start = 0, n;
    for (int i = 15; i >= 0; i--) {
        be[i] = (uint8_t)(u & 0xff);
        u >>= 8;
    }
    /* Drop a leading byte while it only repeats the sign of the next one. */
    while (start < 15 && ((be[start] == 0x00 && !(be[start + 1] & 0x80)) ||
                          (be[start] == 0xff && (be[start + 1] & 0x80))))
        start++;
    n = 16 - start;
    memcpy(out, be + start, n);
    return n;
}

static uint64_t hash_decimal(const hash_ops *ops, const lm_type *t, lm_int128 unscaled,
                             uint64_t seed)
{
    uint8_t bytes[16];
    size_t n;
    /* Decimal.MAX_LONG_DIGITS: such values always fit in a long. */
    if (t->precision <= 18)
        return ops->hash_long((int64_t)unscaled, seed);
    n = hash_decimal_bytes(unscaled, bytes);
    return ops->hash_bytes(bytes, n, seed);
}

uint64_t hash_walk_value(const hash_ops *ops, const lm_type *t, const lm_value *v,
                         uint64_t seed)
{
    if (v->is_null)
        return seed;
    switch (t->id) {
    case LM_TYPE_NULL:
        return seed;
    case LM_TYPE_BOOLEAN:
        return ops->hash_int(v->u.b ? 1 : 0, seed);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        return ops->hash_int((int32_t)v->u.i64, seed);
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        return ops->hash_long(v->u.i64, seed);
    case LM_TYPE_FLOAT:
        return hash_float(ops, v->u.f32, seed);
    case LM_TYPE_DOUBLE:
        return hash_double(ops, v->u.f64, seed);
    case LM_TYPE_DECIMAL:
        return hash_decimal(ops, t, v->u.dec, seed);
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return ops->hash_bytes((const uint8_t *)v->u.str.ptr,
                               v->u.str.len > 0 ? (size_t)v->u.str.len : 0, seed);
    case LM_TYPE_INTERVAL:
        seed = ops->hash_long(v->u.iv.micros, seed);
        seed = ops->hash_int(v->u.iv.days, seed);
        return ops->hash_int(v->u.iv.months, seed);
    case LM_TYPE_ARRAY:
        for (int32_t i = 0; i < v->u.arr->n; i++)
            seed = hash_walk_value(ops, t->elem, &v->u.arr->elems[i], seed);
        return seed;
    case LM_TYPE_MAP:
        for (int32_t i = 0; i < v->u.map->n; i++) {
            seed = hash_walk_value(ops, t->key, &v->u.map->keys[i], seed);
            seed = hash_walk_value(ops, t->value, &v->u.map->values[i], seed);
        }
        return seed;
    case LM_TYPE_STRUCT: {
        int32_t n = v->u.st->n < t->nfields ? v->u.st->n : t->nfields;
        for (int32_t i = 0; i < n; i++)
            seed = hash_walk_value(ops, t->fields[i].type, &v->u.st->fields[i], seed);
        return seed;
    }
    case LM_TYPE__COUNT:
        break;
    }
    return seed;
}
