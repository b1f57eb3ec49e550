/*
 * Value equality for assertions: Spark SQL's equality (as a GROUP BY or a
 * join sees it: NULL-safe, NaN = NaN, -0.0 = 0.0) widened in two ways that
 * tests need and SQL does not have:
 *  - tolerance on finite floating and decimal values, at any nesting depth,
 *    as pyspark's assertDataFrameEqual (|a - e| <= atol + rtol * |e|);
 *  - maps equal whatever the order of their entries (Spark keeps insertion
 *    order, which a test should not depend on).
 * Values of different types (ignore_column_types, literal rows) compare by
 * number, by structure or by their text, in that order of preference.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "render/render.h"
#include "types/decimal.h"

static bool is_integral_id(lm_type_id id)
{
    return id == LM_TYPE_BYTE || id == LM_TYPE_SHORT || id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

static bool is_numeric_id(lm_type_id id)
{
    return is_integral_id(id) || id == LM_TYPE_FLOAT || id == LM_TYPE_DOUBLE ||
           id == LM_TYPE_DECIMAL;
}

/* Floating equality: NaN equals NaN, an infinity only itself, finite
   values within the tolerance (zero tolerance: exactly, with -0.0 = 0.0). */
static bool double_equal(const tk_cmp *c, double a, double e)
{
    if (isnan(a) || isnan(e))
        return isnan(a) && isnan(e);
    if (isinf(a) || isinf(e))
        return a == e;
    if (a == e)
        return true;
    return fabs(a - e) <= c->atol + c->rtol * fabs(e);
}

static double as_double(const lm_type *t, const lm_value *v)
{
    switch (t->id) {
    case LM_TYPE_FLOAT:
        return (double)v->u.f32;
    case LM_TYPE_DOUBLE:
        return v->u.f64;
    case LM_TYPE_DECIMAL:
        return lm_decimal_to_double(v->u.dec, t->scale);
    default:
        return (double)v->u.i64;
    }
}

/* Two numbers of any numeric types. Exact when neither is floating (ints
   and decimals compare as decimals, so 1 = 1.00); tolerance applies to
   floating and decimal values only, as pyspark applies it to floats. */
static bool number_equal(const tk_cmp *c, const lm_type *ta, const lm_value *a, const lm_type *te,
                         const lm_value *e)
{
    bool af = ta->id == LM_TYPE_FLOAT || ta->id == LM_TYPE_DOUBLE;
    bool ef = te->id == LM_TYPE_FLOAT || te->id == LM_TYPE_DOUBLE;
    if (af || ef)
        return double_equal(c, as_double(ta, a), as_double(te, e));
    if (is_integral_id(ta->id) && is_integral_id(te->id))
        return a->u.i64 == e->u.i64;
    lm_int128 ua = ta->id == LM_TYPE_DECIMAL ? a->u.dec : (lm_int128)a->u.i64;
    lm_int128 ue = te->id == LM_TYPE_DECIMAL ? e->u.dec : (lm_int128)e->u.i64;
    int sa = ta->id == LM_TYPE_DECIMAL ? ta->scale : 0;
    int se = te->id == LM_TYPE_DECIMAL ? te->scale : 0;
    if (lm_decimal_compare(ua, sa, ue, se) == 0)
        return true;
    if (c->rtol == 0 && c->atol == 0)
        return false;
    return double_equal(c, lm_decimal_to_double(ua, sa), lm_decimal_to_double(ue, se));
}

static bool text_equal(const tk_cmp *c, const lm_type *ta, const lm_value *a, const lm_type *te,
                       const lm_value *e)
{
    lm_strbuf sa, se;
    lm_strbuf_init(&sa);
    lm_strbuf_init(&se);
    lm_render(&sa, ta, a, LM_STYLE_CAST, c->tz);
    lm_render(&se, te, e, LM_STYLE_CAST, c->tz);
    bool eq = sa.len == se.len && memcmp(lm_strbuf_cstr(&sa), lm_strbuf_cstr(&se), sa.len) == 0;
    lm_strbuf_free(&sa);
    lm_strbuf_free(&se);
    return eq;
}

/* Map entries matched by key (keys compare exactly: a map's keys are
   distinct, so each key of a has at most one partner in e). */
static bool map_equal(const tk_cmp *c, const lm_type *ta, const lm_map_value *a, const lm_type *te,
                      const lm_map_value *e)
{
    if (a->n != e->n)
        return false;
    tk_cmp exact = *c;
    exact.rtol = exact.atol = 0;
    for (int32_t i = 0; i < a->n; i++) {
        int32_t j = 0;
        while (j < e->n && !tk_value_equal(&exact, ta->key, &a->keys[i], te->key, &e->keys[j]))
            j++;
        if (j == e->n)
            return false;
        if (!tk_value_equal(c, ta->value, &a->values[i], te->value, &e->values[j]))
            return false;
    }
    return true;
}

bool tk_value_equal(const tk_cmp *c, const lm_type *ta, const lm_value *a, const lm_type *te,
                    const lm_value *e)
{
    if (a->is_null || e->is_null)
        return a->is_null && e->is_null;
    if (is_numeric_id(ta->id) && is_numeric_id(te->id))
        return number_equal(c, ta, a, te, e);
    if (ta->id != te->id)
        return text_equal(c, ta, a, te, e);
    switch (ta->id) {
    case LM_TYPE_ARRAY:
        if (a->u.arr->n != e->u.arr->n)
            return false;
        for (int32_t i = 0; i < a->u.arr->n; i++)
            if (!tk_value_equal(c, ta->elem, &a->u.arr->elems[i], te->elem, &e->u.arr->elems[i]))
                return false;
        return true;
    case LM_TYPE_MAP:
        return map_equal(c, ta, a->u.map, te, e->u.map);
    case LM_TYPE_STRUCT:
        if (ta->nfields != te->nfields)
            return text_equal(c, ta, a, te, e);
        for (int i = 0; i < ta->nfields; i++)
            if (!tk_value_equal(c, ta->fields[i].type, &a->u.st->fields[i], te->fields[i].type,
                                &e->u.st->fields[i]))
                return false;
        return true;
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return a->u.i64 == e->u.i64;
    default:
        return lm_value_equal(ta, a, e);
    }
}

/* splitmix64's finaliser: spreads the bits of a combined hash. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t tk_value_hash(const lm_type *t, const lm_value *v, bool approx)
{
    if (v->is_null)
        return 0x6e756c6cULL;
    switch (t->id) {
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        if (approx)
            return 0x617070ULL;
        double d = t->id == LM_TYPE_FLOAT ? (double)v->u.f32 : v->u.f64;
        if (isnan(d))
            return 0x4e614eULL;
        if (d == 0)
            d = 0; /* -0.0 hashes as 0.0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix(bits);
    }
    case LM_TYPE_DECIMAL:
        if (approx)
            return 0x617070ULL;
        return mix((uint64_t)v->u.dec ^ mix((uint64_t)(v->u.dec >> 64)));
    case LM_TYPE_ARRAY: {
        uint64_t h = mix((uint64_t)v->u.arr->n + 0x61727261ULL);
        for (int32_t i = 0; i < v->u.arr->n; i++)
            h = mix(h * 31 + tk_value_hash(t->elem, &v->u.arr->elems[i], approx));
        return h;
    }
    case LM_TYPE_MAP: {
        /* a sum is blind to entry order, as map equality is */
        uint64_t h = mix((uint64_t)v->u.map->n + 0x6d6170ULL);
        for (int32_t i = 0; i < v->u.map->n; i++)
            h += mix(tk_value_hash(t->key, &v->u.map->keys[i], approx) * 31 +
                     tk_value_hash(t->value, &v->u.map->values[i], approx));
        return h;
    }
    case LM_TYPE_STRUCT: {
        uint64_t h = 0x73747275ULL;
        for (int i = 0; i < t->nfields; i++)
            h = mix(h * 31 + tk_value_hash(t->fields[i].type, &v->u.st->fields[i], approx));
        return h;
    }
    default:
        return lm_value_hash(t, v, 0x746b);
    }
}
