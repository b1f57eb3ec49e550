/*
 * Seeded random DataFrames for a schema, for property-based tests
 * (spark-testing-base's DataframeGenerator, Hypothesis' strategies).
 *
 * Uniform random values almost never hit the inputs that break data jobs,
 * so a share of the values (edge_rate) is drawn from a list of edge cases
 * per type: zero, -1, the type's extremes, NaN, -0.0 and the infinities,
 * the empty string, strings with blanks and multi-byte characters, the
 * first and last dates Spark accepts (0001-01-01, 9999-12-31), the epoch,
 * the Gregorian cut-over and leap days. Nullable slots are NULL with
 * probability null_rate, nested ones included.
 *
 * The generator is xoshiro256** (Blackman and Vigna), seeded by
 * splitmix64: the same seed gives the same rows on every platform.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "catalog/catalog.h"
#include "types/decimal.h"

uint64_t tk_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void tk_rng_seed(tk_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        x = tk_mix64(x);
        r->s[i] = x;
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t tk_rng_next(tk_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n). */
static uint64_t below(tk_rng *r, uint64_t n)
{
    return n ? tk_rng_next(r) % n : 0;
}

static double unit(tk_rng *r)
{
    return (double)(tk_rng_next(r) >> 11) * 0x1.0p-53;
}

static bool chance(tk_rng *r, double p)
{
    return p > 0 && unit(r) < p;
}

lmt_gen_opts lmt_gen_opts_default(void)
{
    lmt_gen_opts o;
    o.min_rows = 0;
    o.max_rows = 20;
    o.null_rate = 0.1;
    o.edge_rate = 0.3;
    o.max_elems = 4;
    o.max_string = 12;
    return o;
}

static int64_t integral_max(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE:
        return INT8_MAX;
    case LM_TYPE_SHORT:
        return INT16_MAX;
    case LM_TYPE_INT:
        return INT32_MAX;
    default:
        return INT64_MAX;
    }
}

static int64_t gen_integral(lm_type_id id, tk_rng *r, const lmt_gen_opts *o)
{
    int64_t max = integral_max(id), min = -max - 1;
    if (chance(r, o->edge_rate)) {
        const int64_t edges[] = {0, 1, -1, max, min};
        return edges[below(r, 5)];
    }
    /* mostly small numbers (they collide, so joins and groups get work),
       sometimes anything in range */
    if (chance(r, 0.8))
        return (int64_t)below(r, 201) - 100;
    uint64_t span = (uint64_t)max - (uint64_t)min;
    return (int64_t)((uint64_t)min + (span == UINT64_MAX ? tk_rng_next(r) : below(r, span + 1)));
}

static double gen_double(tk_rng *r, const lmt_gen_opts *o, bool is_float)
{
    if (chance(r, o->edge_rate)) {
        const double edges[] = {0.0,
                                -0.0,
                                NAN,
                                INFINITY,
                                -INFINITY,
                                1.0,
                                -1.0,
                                is_float ? 3.4028234663852886e38 : 1.7976931348623157e308,
                                is_float ? 1.1754943508222875e-38 : 2.2250738585072014e-308,
                                is_float ? 1.401298464324817e-45 : 4.9e-324};
        return edges[below(r, sizeof edges / sizeof edges[0])];
    }
    /* two decimal places, so values print and compare readably */
    double v = ((double)below(r, 2000001) - 1000000.0) / 100.0;
    return is_float ? (double)(float)v : v;
}

static lm_int128 pow10_128(int n)
{
    lm_int128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static lm_int128 gen_decimal(const lm_type *t, tk_rng *r, const lmt_gen_opts *o)
{
    lm_int128 max = pow10_128(t->precision) - 1;
    if (chance(r, o->edge_rate)) {
        const lm_int128 edges[] = {0, 1, -1, max, -max};
        return edges[below(r, 5)];
    }
    int digits = 1 + (int)below(r, (uint64_t)t->precision);
    lm_int128 v = 0;
    for (int i = 0; i < digits; i++)
        v = v * 10 + (lm_int128)below(r, 10);
    return chance(r, 0.5) ? -v : v;
}

static const char *const string_edges[] = {
    "",          " ",           "  padded  ",
    "NULL",      "null",        "a",
    "é",         "日本語",      "\xF0\x9F\x98\x80",
    "tab\there", "line\nbreak", "O'Brien",
    "%_\\",      "0",           "-1",
    "NaN",
};

static bool gen_string(const lm_type *t, tk_rng *r, const lmt_gen_opts *o, lm_arena *a,
                       lm_value *out)
{
    if (chance(r, o->edge_rate) && t->id == LM_TYPE_STRING) {
        const char *e = string_edges[below(r, sizeof string_edges / sizeof string_edges[0])];
        *out = lm_value_str(e, (int32_t)strlen(e));
        return true;
    }
    int32_t len = (int32_t)below(r, (uint64_t)(o->max_string > 0 ? o->max_string : 0) + 1);
    char *p = lm_arena_alloc(a, (size_t)len + 1);
    if (p == NULL)
        return false;
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABC0123456789 _-";
    for (int32_t i = 0; i < len; i++)
        p[i] =
            t->id == LM_TYPE_BINARY ? (char)below(r, 256) : alphabet[below(r, sizeof alphabet - 1)];
    p[len] = '\0';
    *out = lm_value_str(p, len);
    return true;
}

/* Days since the epoch. */
#define TK_DAY_0001_01_01 (-719162)
#define TK_DAY_9999_12_31 2932896
#define TK_DAY_1900_01_01 (-25567)
#define TK_DAY_2100_01_01 47482
#define TK_MICROS_PER_DAY 86400000000LL

static int64_t gen_date(tk_rng *r, const lmt_gen_opts *o)
{
    if (chance(r, o->edge_rate)) {
        /* 1582-10-15 is the Gregorian cut-over, 2000-02-29 and 2024-02-29 leap days */
        const int64_t edges[] = {
            TK_DAY_0001_01_01, TK_DAY_9999_12_31, 0, -1, -141427, 11016, 19782};
        return edges[below(r, sizeof edges / sizeof edges[0])];
    }
    return TK_DAY_1900_01_01 + (int64_t)below(r, TK_DAY_2100_01_01 - TK_DAY_1900_01_01);
}

static int64_t gen_timestamp(tk_rng *r, const lmt_gen_opts *o)
{
    if (chance(r, o->edge_rate)) {
        const int64_t edges[] = {0, -1, TK_DAY_0001_01_01 * TK_MICROS_PER_DAY,
                                 (TK_DAY_9999_12_31 + 1) * TK_MICROS_PER_DAY - 1,
                                 11016 * TK_MICROS_PER_DAY + 1};
        return edges[below(r, sizeof edges / sizeof edges[0])];
    }
    int64_t day = TK_DAY_1900_01_01 + (int64_t)below(r, TK_DAY_2100_01_01 - TK_DAY_1900_01_01);
    /* whole seconds most of the time, microseconds sometimes */
    int64_t micros = (int64_t)below(r, 86400) * 1000000;
    if (chance(r, 0.3))
        micros += (int64_t)below(r, 1000000);
    return day * TK_MICROS_PER_DAY + micros;
}

static bool gen_slot(const lm_type *t, bool nullable, tk_rng *r, const lmt_gen_opts *o, lm_arena *a,
                     lm_value *out)
{
    if (nullable && chance(r, o->null_rate)) {
        *out = lm_value_null();
        return true;
    }
    return tk_gen_value(t, r, o, a, out);
}

bool tk_gen_value(const lm_type *t, tk_rng *r, const lmt_gen_opts *o, lm_arena *a, lm_value *out)
{
    *out = lm_value_null();
    out->is_null = false;
    switch (t->id) {
    case LM_TYPE_NULL:
        out->is_null = true;
        return true;
    case LM_TYPE_BOOLEAN:
        out->u.b = below(r, 2) == 1;
        return true;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        out->u.i64 = gen_integral(t->id, r, o);
        return true;
    case LM_TYPE_FLOAT:
        out->u.f32 = (float)gen_double(r, o, true);
        return true;
    case LM_TYPE_DOUBLE:
        out->u.f64 = gen_double(r, o, false);
        return true;
    case LM_TYPE_DECIMAL:
        out->u.dec = gen_decimal(t, r, o);
        return true;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        return gen_string(t, r, o, a, out);
    case LM_TYPE_DATE:
        out->u.i64 = gen_date(r, o);
        return true;
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
        out->u.i64 = gen_timestamp(r, o);
        return true;
    case LM_TYPE_YM_INTERVAL:
        out->u.i64 = (int64_t)below(r, 2401) - 1200;
        return true;
    case LM_TYPE_DT_INTERVAL:
        out->u.i64 = ((int64_t)below(r, 200001) - 100000) * 1000000;
        return true;
    case LM_TYPE_INTERVAL:
        out->u.iv.months = (int32_t)below(r, 25) - 12;
        out->u.iv.days = (int32_t)below(r, 61) - 30;
        out->u.iv.micros = ((int64_t)below(r, 7201) - 3600) * 1000000;
        return true;
    case LM_TYPE_ARRAY: {
        int32_t n = (int32_t)below(r, (uint64_t)(o->max_elems > 0 ? o->max_elems : 0) + 1);
        lm_array_value *av = lm_arena_alloc(a, sizeof *av);
        lm_value *elems = lm_arena_calloc(a, (size_t)(n ? n : 1), sizeof *elems);
        if (av == NULL || elems == NULL)
            return false;
        for (int32_t i = 0; i < n; i++)
            if (!gen_slot(t->elem, t->contains_null, r, o, a, &elems[i]))
                return false;
        av->n = n;
        av->elems = elems;
        out->u.arr = av;
        return true;
    }
    case LM_TYPE_MAP: {
        int32_t want = (int32_t)below(r, (uint64_t)(o->max_elems > 0 ? o->max_elems : 0) + 1);
        lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
        lm_value *keys = lm_arena_calloc(a, (size_t)(want ? want : 1), sizeof *keys);
        lm_value *vals = lm_arena_calloc(a, (size_t)(want ? want : 1), sizeof *vals);
        if (mv == NULL || keys == NULL || vals == NULL)
            return false;
        int32_t n = 0;
        /* keys are distinct and never NULL, as in Spark's maps; a draw
           that repeats a key is dropped */
        for (int32_t i = 0; i < want; i++) {
            if (!tk_gen_value(t->key, r, o, a, &keys[n]))
                return false;
            bool dup = keys[n].is_null;
            for (int32_t j = 0; j < n && !dup; j++)
                dup = lm_value_equal(t->key, &keys[j], &keys[n]);
            if (dup)
                continue;
            if (!gen_slot(t->value, t->value_contains_null, r, o, a, &vals[n]))
                return false;
            n++;
        }
        mv->n = n;
        mv->keys = keys;
        mv->values = vals;
        out->u.map = mv;
        return true;
    }
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
        lm_value *fs = lm_arena_calloc(a, (size_t)(t->nfields ? t->nfields : 1), sizeof *fs);
        if (sv == NULL || fs == NULL)
            return false;
        for (int i = 0; i < t->nfields; i++)
            if (!gen_slot(t->fields[i].type, t->fields[i].nullable, r, o, a, &fs[i]))
                return false;
        sv->n = t->nfields;
        sv->fields = fs;
        out->u.st = sv;
        return true;
    }
    default:
        out->is_null = true;
        return true;
    }
}

bool tk_gen_rows(const lm_type *schema, tk_rng *r, const lmt_gen_opts *o, int64_t nrows,
                 lm_arena *a, lm_value ***rows)
{
    lm_value **rs = lm_arena_calloc(a, (size_t)(nrows ? nrows : 1), sizeof *rs);
    if (rs == NULL)
        return false;
    for (int64_t i = 0; i < nrows; i++) {
        rs[i] = lm_arena_calloc(a, (size_t)(schema->nfields ? schema->nfields : 1), sizeof *rs[i]);
        if (rs[i] == NULL)
            return false;
        for (int c = 0; c < schema->nfields; c++)
            if (!gen_slot(schema->fields[c].type, schema->fields[c].nullable, r, o, a, &rs[i][c]))
                return false;
    }
    *rows = rs;
    return true;
}

lm_table *tk_table_of_rows(const lm_type *schema, lm_value *const *rows, int64_t n)
{
    lm_table *t = lm_table_new(schema);
    if (t == NULL)
        return NULL;
    for (int64_t i = 0; i < n; i++)
        if (lm_table_append_row(t, rows[i]) != LM_OK) {
            lm_table_unref(t);
            return NULL;
        }
    return t;
}

lm_df *lmt_gen_df(lm_session *s, const char *schema_ddl, uint64_t seed, const lmt_gen_opts *opts,
                  char **err)
{
    if (err)
        *err = NULL;
    if (s == NULL || schema_ddl == NULL) {
        if (err)
            *err = strdup("lmt_gen_df: NULL argument");
        return NULL;
    }
    lmt_gen_opts o = opts ? *opts : lmt_gen_opts_default();
    lm_type *schema = tk_parse_schema(schema_ddl, err);
    if (schema == NULL)
        return NULL;
    tk_rng r;
    tk_rng_seed(&r, seed);
    int64_t lo = o.min_rows > 0 ? o.min_rows : 0;
    int64_t hi = o.max_rows > lo ? o.max_rows : lo;
    int64_t n = lo + (int64_t)below(&r, (uint64_t)(hi - lo + 1));
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    lm_value **rows = NULL;
    lm_table *t = NULL;
    if (tk_gen_rows(schema, &r, &o, n, &a, &rows))
        t = tk_table_of_rows(schema, rows, n);
    lm_arena_free(&a);
    lm_type_unref(schema);
    lm_df *df = t ? tk_df_from_table(s, t) : NULL;
    if (df == NULL && err)
        *err = strdup("out of memory");
    return df;
}
