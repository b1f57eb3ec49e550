/*
 * Operations on single values: deep copy, Spark's ordering, grouping
 * equality and a hash consistent with that equality.
 *
 * The ordering is the one Spark's sort and comparison operators use
 * (SQLOrderingUtil for floating point, unsigned bytes for strings, element-
 * wise for arrays and structs with nested nulls first). Equality for
 * grouping and joins is "compare == 0": Spark normalises NaN and -0.0
 * before grouping (NormalizeFloatingNumbers), which gives the same classes.
 */
#include "value.h"

#include <math.h>
#include <string.h>

#include "common/bytes.h"

/* ---------------------------------------------------------------------------
 * Copy
 * ------------------------------------------------------------------------- */

static bool copy_values(lm_arena *a, const lm_type *t, const lm_value *src, lm_value *dst,
                        int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (!lm_value_copy(a, t, &src[i], &dst[i]))
            return false;
    return true;
}

bool lm_value_copy(lm_arena *a, const lm_type *t, const lm_value *src, lm_value *dst)
{
    /* built in a local so that dst may alias src */
    lm_value v = *src;
    if (v.is_null) {
        *dst = v;
        return true;
    }
    switch (t->id) {
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY: {
        int32_t len = src->u.str.len;
        char *p = lm_arena_alloc(a, len > 0 ? (size_t)len : 1);
        if (p == NULL)
            return false;
        if (len > 0)
            memcpy(p, src->u.str.ptr, (size_t)len);
        v.u.str.ptr = p;
        break;
    }
    case LM_TYPE_ARRAY: {
        const lm_array_value *s = src->u.arr;
        lm_array_value *d = lm_arena_alloc(a, sizeof *d);
        if (d == NULL)
            return false;
        d->n = s->n;
        d->elems = lm_arena_alloc(a, (size_t)s->n * sizeof *d->elems);
        if (d->elems == NULL || !copy_values(a, t->elem, s->elems, d->elems, s->n))
            return false;
        v.u.arr = d;
        break;
    }
    case LM_TYPE_MAP: {
        const lm_map_value *s = src->u.map;
        lm_map_value *d = lm_arena_alloc(a, sizeof *d);
        if (d == NULL)
            return false;
        d->n = s->n;
        d->keys = lm_arena_alloc(a, (size_t)s->n * sizeof *d->keys);
        d->values = lm_arena_alloc(a, (size_t)s->n * sizeof *d->values);
        if (d->keys == NULL || d->values == NULL ||
            !copy_values(a, t->key, s->keys, d->keys, s->n) ||
            !copy_values(a, t->value, s->values, d->values, s->n))
            return false;
        v.u.map = d;
        break;
    }
    case LM_TYPE_STRUCT: {
        const lm_struct_value *s = src->u.st;
        lm_struct_value *d = lm_arena_alloc(a, sizeof *d);
        if (d == NULL)
            return false;
        d->n = s->n;
        d->fields = lm_arena_alloc(a, (size_t)s->n * sizeof *d->fields);
        if (d->fields == NULL)
            return false;
        for (int32_t i = 0; i < s->n; i++)
            if (!lm_value_copy(a, t->fields[i].type, &s->fields[i], &d->fields[i]))
                return false;
        v.u.st = d;
        break;
    }
    default:
        break; /* the payload is in the union */
    }
    *dst = v;
    return true;
}

/* ---------------------------------------------------------------------------
 * Ordering
 * ------------------------------------------------------------------------- */

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

/* SQLOrderingUtil.compareDoubles: NaN equals NaN and is above everything,
   and -0.0 == 0.0 falls out of the IEEE compare. */
/* UTF8String.compareTo and ByteArray.compareBinary: unsigned bytes, then
   length. Byte order of UTF-8 is code point order. */
static int cmp_bytes(const lm_value *a, const lm_value *b)
{
    int32_t la = a->u.str.len, lb = b->u.str.len;
    int32_t n = la < lb ? la : lb;
    int c = n > 0 ? memcmp(a->u.str.ptr, b->u.str.ptr, (size_t)n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return CMP(la, lb);
}

/* Nested values: a null element sorts before any non-null one, whatever
   the outer sort direction (Spark's ArrayData and row orderings). */
static int cmp_nested(const lm_type *t, const lm_value *a, const lm_value *b)
{
    return lm_value_compare_nulls(t, a, b, true);
}

int lm_value_compare(const lm_type *t, const lm_value *a, const lm_value *b)
{
    switch (t->id) {
    case LM_TYPE_NULL:
        return 0;
    case LM_TYPE_BOOLEAN:
        return CMP(a->u.b, b->u.b);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return CMP(a->u.i64, b->u.i64);
    case LM_TYPE_FLOAT:
        return lm_double_compare(a->u.f32, b->u.f32);
    case LM_TYPE_DOUBLE:
        return lm_double_compare(a->u.f64, b->u.f64);
    case LM_TYPE_DECIMAL:
        return CMP(a->u.dec, b->u.dec);
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return cmp_bytes(a, b);
    case LM_TYPE_INTERVAL: {
        int c = CMP(a->u.iv.months, b->u.iv.months);
        if (c == 0)
            c = CMP(a->u.iv.days, b->u.iv.days);
        if (c == 0)
            c = CMP(a->u.iv.micros, b->u.iv.micros);
        return c;
    }
    case LM_TYPE_ARRAY: {
        const lm_array_value *x = a->u.arr, *y = b->u.arr;
        int32_t n = x->n < y->n ? x->n : y->n;
        for (int32_t i = 0; i < n; i++) {
            int c = cmp_nested(t->elem, &x->elems[i], &y->elems[i]);
            if (c != 0)
                return c;
        }
        return CMP(x->n, y->n);
    }
    case LM_TYPE_MAP: {
        /* not orderable in Spark; entry by entry (key, then value) gives a
           total order for grouping and sorting internally */
        const lm_map_value *x = a->u.map, *y = b->u.map;
        int32_t n = x->n < y->n ? x->n : y->n;
        for (int32_t i = 0; i < n; i++) {
            int c = cmp_nested(t->key, &x->keys[i], &y->keys[i]);
            if (c == 0)
                c = cmp_nested(t->value, &x->values[i], &y->values[i]);
            if (c != 0)
                return c;
        }
        return CMP(x->n, y->n);
    }
    case LM_TYPE_STRUCT: {
        const lm_struct_value *x = a->u.st, *y = b->u.st;
        for (int i = 0; i < t->nfields; i++) {
            int c = cmp_nested(t->fields[i].type, &x->fields[i], &y->fields[i]);
            if (c != 0)
                return c;
        }
        return 0;
    }
    default:
        return 0;
    }
}

int lm_value_compare_nulls(const lm_type *t, const lm_value *a, const lm_value *b,
                           bool nulls_first)
{
    if (a->is_null || b->is_null) {
        if (a->is_null && b->is_null)
            return 0;
        return (a->is_null == nulls_first) ? -1 : 1;
    }
    return lm_value_compare(t, a, b);
}

bool lm_value_equal(const lm_type *t, const lm_value *a, const lm_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null && b->is_null;
    switch (t->id) {
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        /* length first: most unequal strings differ there */
        return a->u.str.len == b->u.str.len &&
               (a->u.str.len == 0 || memcmp(a->u.str.ptr, b->u.str.ptr, (size_t)a->u.str.len) == 0);
    default:
        return lm_value_compare(t, a, b) == 0;
    }
}

/* ---------------------------------------------------------------------------
 * Hash
 * ------------------------------------------------------------------------- */

static uint64_t hash_u64(uint64_t h, uint64_t x)
{
    return lm_mix64(h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

/* Word at a time, then the tail; the length is folded in so that prefixes
   of zero bytes do not collide. */
static uint64_t hash_bytes(uint64_t h, const unsigned char *p, int32_t len)
{
    int32_t i = 0;
    h = hash_u64(h, (uint64_t)(uint32_t)len);
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = lm_mix64(h ^ (w * 0x87c37b91114253d5ULL)) + 0x52dce729;
    }
    uint64_t tail = 0;
    for (int32_t k = 0; i + k < len; k++)
        tail |= (uint64_t)p[i + k] << (8 * k);
    return hash_u64(h, tail);
}

/* Equal doubles must hash alike: -0.0 goes to 0.0 and every NaN to one NaN. */
static uint64_t hash_double(uint64_t h, double d)
{
    uint64_t bits;
    if (isnan(d))
        d = NAN;
    else if (d == 0.0)
        d = 0.0;
    memcpy(&bits, &d, sizeof bits);
    return hash_u64(h, bits);
}

#define NULL_HASH 0x6a09e667f3bcc909ULL

uint64_t lm_value_hash(const lm_type *t, const lm_value *v, uint64_t seed)
{
    if (v->is_null)
        return hash_u64(seed, NULL_HASH);
    switch (t->id) {
    case LM_TYPE_NULL:
        return hash_u64(seed, NULL_HASH);
    case LM_TYPE_BOOLEAN:
        return hash_u64(seed, v->u.b ? 1 : 0);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return hash_u64(seed, (uint64_t)v->u.i64);
    case LM_TYPE_FLOAT:
        return hash_double(seed, (double)v->u.f32);
    case LM_TYPE_DOUBLE:
        return hash_double(seed, v->u.f64);
    case LM_TYPE_DECIMAL: {
        unsigned __int128 u = (unsigned __int128)v->u.dec;
        return hash_u64(hash_u64(seed, (uint64_t)u), (uint64_t)(u >> 64));
    }
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return hash_bytes(seed, (const unsigned char *)v->u.str.ptr, v->u.str.len);
    case LM_TYPE_INTERVAL: {
        uint64_t h = hash_u64(seed, (uint64_t)(uint32_t)v->u.iv.months);
        h = hash_u64(h, (uint64_t)(uint32_t)v->u.iv.days);
        return hash_u64(h, (uint64_t)v->u.iv.micros);
    }
    case LM_TYPE_ARRAY: {
        uint64_t h = hash_u64(seed, (uint64_t)v->u.arr->n);
        for (int32_t i = 0; i < v->u.arr->n; i++)
            h = lm_value_hash(t->elem, &v->u.arr->elems[i], h);
        return h;
    }
    case LM_TYPE_MAP: {
        uint64_t h = hash_u64(seed, (uint64_t)v->u.map->n);
        for (int32_t i = 0; i < v->u.map->n; i++) {
            h = lm_value_hash(t->key, &v->u.map->keys[i], h);
            h = lm_value_hash(t->value, &v->u.map->values[i], h);
        }
        return h;
    }
    case LM_TYPE_STRUCT: {
        uint64_t h = hash_u64(seed, (uint64_t)t->nfields);
        for (int i = 0; i < t->nfields; i++)
            h = lm_value_hash(t->fields[i].type, &v->u.st->fields[i], h);
        return h;
    }
    default:
        return seed;
    }
}
