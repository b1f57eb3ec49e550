/*
 * Partitioners: where a key goes in a shuffle.
 *
 *  - hash: PySpark's default partitionFunc, portable_hash(key) % n with
 *    Python's modulo. Keys are converted as PySpark sees them: integers,
 *    floats and decimals hash as Python numbers (so 2, 2.0 and 2.00 agree),
 *    strings and bytes with CPython's siphash13 under PYTHONHASHSEED=0,
 *    structs as tuples, dates and timestamps as datetime.date/datetime
 *    (timestamps taken in UTC). Arrays and maps are not hashable in Python
 *    (lists, dicts): partitioning by them fails the task, as Spark's
 *    HashPartitioner refuses array keys.
 *  - custom: the user's function's hash % n.
 *  - range: Spark's RangePartitioner bounds (built in sort.c).
 * Spark's defaultPartitioner rule picks among them for pair operations.
 */
#include "rdd_int.h"

#include <stdlib.h>

#include "hash/portable_hash.h"
#include "session/session.h"
#include "types/datetime.h"

static rdd_partitioner *part_new(rdd_part_kind kind, int n)
{
    rdd_partitioner *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->refcount = 1;
    p->kind = kind;
    p->n = n;
    rdd_block_init(&p->bounds);
    return p;
}

rdd_partitioner *rdd_partitioner_hash(int n)
{
    return part_new(RDD_PART_HASH, n);
}

rdd_partitioner *rdd_partitioner_ref(rdd_partitioner *p)
{
    if (p)
        p->refcount++;
    return p;
}

void rdd_partitioner_unref(rdd_partitioner *p)
{
    if (p == NULL || --p->refcount > 0)
        return;
    rdd_block_free(&p->bounds);
    lm_type_unref(p->key_type);
    free(p);
}

bool rdd_partitioner_equal(const rdd_partitioner *a, const rdd_partitioner *b)
{
    if (a == NULL || b == NULL)
        return false;
    if (a == b)
        return true;
    if (a->kind != b->kind || a->n != b->n)
        return false;
    switch (a->kind) {
    case RDD_PART_HASH:
        return true;
    case RDD_PART_CUSTOM:
        return a->fn == b->fn && a->ud == b->ud;
    case RDD_PART_RANGE:
        if (a->ascending != b->ascending || a->bounds.n != b->bounds.n ||
            !lm_type_equal(a->key_type, b->key_type))
            return false;
        for (int64_t i = 0; i < a->bounds.n; i++)
            if (!lm_value_equal(a->key_type, &a->bounds.v[i], &b->bounds.v[i]))
                return false;
        return true;
    }
    return false;
}

/* ------------------------------------------------------- portable_hash */
#define PY_MOD ((UINT64_C(1) << 61) - 1)

static uint64_t mulmod(uint64_t a, uint64_t b)
{
    unsigned __int128 x = (unsigned __int128)a * b;
    return (uint64_t)(x % PY_MOD);
}

static uint64_t powmod(uint64_t b, uint64_t e)
{
    uint64_t r = 1;
    b %= PY_MOD;
    while (e) {
        if (e & 1)
            r = mulmod(r, b);
        b = mulmod(b, b);
        e >>= 1;
    }
    return r;
}

/* Python's Decimal.__hash__: |unscaled| * 10^-scale mod 2^61-1, signed. */
static int64_t decimal_hash(lm_int128 unscaled, int scale)
{
    bool neg = unscaled < 0;
    unsigned __int128 mag = neg ? (unsigned __int128)(-unscaled) : (unsigned __int128)unscaled;
    uint64_t m = (uint64_t)(mag % PY_MOD);
    uint64_t inv10 = powmod(10, PY_MOD - 2);
    uint64_t h = mulmod(m, powmod(inv10, (uint64_t)scale));
    int64_t ans = neg ? -(int64_t)h : (int64_t)h;
    return ans == -1 ? -2 : ans;
}

bool rdd_portable_hash(const lm_type *t, const lm_value *v, int64_t *out)
{
    if (v->is_null || t->id == LM_TYPE_NULL) {
        *out = LM_PORTABLE_HASH_NONE;
        return true;
    }
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        *out = lm_portable_hash_i64(v->u.b ? 1 : 0);
        return true;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        *out = lm_portable_hash_i64(v->u.i64);
        return true;
    case LM_TYPE_FLOAT:
        *out = lm_portable_hash_double((double)v->u.f32);
        return true;
    case LM_TYPE_DOUBLE:
        *out = lm_portable_hash_double(v->u.f64);
        return true;
    case LM_TYPE_DECIMAL:
        *out = decimal_hash(v->u.dec, t->scale);
        return true;
    case LM_TYPE_STRING:
        return lm_portable_hash_str(v->u.str.ptr, (size_t)v->u.str.len, out);
    case LM_TYPE_BINARY:
        *out = lm_portable_hash_bytes(v->u.str.ptr, (size_t)v->u.str.len);
        return true;
    case LM_TYPE_DATE: {
        /* datetime.date hashes its 4-byte state: year (big endian), month, day */
        int64_t y;
        int m, d;
        lm_date_to_civil(v->u.i64, &y, &m, &d);
        uint8_t b[4] = {(uint8_t)(y >> 8), (uint8_t)y, (uint8_t)m, (uint8_t)d};
        *out = lm_portable_hash_bytes(b, 4);
        return true;
    }
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ: {
        /* naive datetime: its 10-byte state */
        int64_t us = v->u.i64;
        int64_t days = us >= 0 ? us / 86400000000LL : -((-us + 86399999999LL) / 86400000000LL);
        int64_t rem = us - days * 86400000000LL;
        int64_t y;
        int m, d;
        lm_date_to_civil(days, &y, &m, &d);
        int64_t secs = rem / 1000000, micro = rem % 1000000;
        uint8_t b[10] = {(uint8_t)(y >> 8),        (uint8_t)y,
                         (uint8_t)m,               (uint8_t)d,
                         (uint8_t)(secs / 3600),   (uint8_t)(secs / 60 % 60),
                         (uint8_t)(secs % 60),     (uint8_t)(micro >> 16),
                         (uint8_t)(micro >> 8),    (uint8_t)micro};
        *out = lm_portable_hash_bytes(b, 10);
        return true;
    }
    case LM_TYPE_STRUCT: {
        int n = t->nfields;
        int64_t small[16];
        int64_t *h = n <= 16 ? small : malloc(sizeof *h * (size_t)n);
        if (h == NULL)
            return false;
        bool ok = true;
        for (int i = 0; i < n && ok; i++)
            ok = rdd_portable_hash(t->fields[i].type, &v->u.st->fields[i], &h[i]);
        if (ok)
            *out = lm_portable_hash_tuple(n, h);
        if (h != small)
            free(h);
        return ok;
    }
    default:
        return false;
    }
}

/* Spark's RangePartitioner.getPartition: linear scan over the bounds (or
   a binary search past 128), mirrored for descending order. */
static int range_partition(const rdd_partitioner *p, const lm_value *key)
{
    int64_t nb = p->bounds.n;
    int64_t part = 0;
    if (nb <= 128) {
        while (part < nb &&
               lm_value_compare_nulls(p->key_type, key, &p->bounds.v[part], true) > 0)
            part++;
    } else {
        int64_t lo = 0, hi = nb - 1;
        part = nb;
        while (lo <= hi) {
            int64_t mid = (lo + hi) / 2;
            int c = lm_value_compare_nulls(p->key_type, key, &p->bounds.v[mid], true);
            if (c == 0) {
                part = mid;
                break;
            }
            if (c < 0) {
                part = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
    }
    return (int)(p->ascending ? part : nb - part);
}

lm_status rdd_partition_of(const rdd_partitioner *p, const lm_type *key_type,
                           const lm_value *key, lm_task *t, int *out)
{
    int64_t h;
    switch (p->kind) {
    case RDD_PART_HASH:
        if (!rdd_portable_hash(key_type, key, &h)) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_type_catalog_string(&sb, key_type);
            lm_status st = rdd_task_error(t, LM_ERROR,
                                          "HashPartitioner cannot partition keys of type %s",
                                          lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return st;
        }
        *out = lm_portable_partition(h, p->n);
        return LM_OK;
    case RDD_PART_CUSTOM:
        *out = lm_portable_partition(p->fn(key, p->ud), p->n);
        return LM_OK;
    case RDD_PART_RANGE:
        *out = range_partition(p, key);
        return LM_OK;
    }
    return LM_ERROR;
}

/*
 * Spark 3's Partitioner.defaultPartitioner: the partitioner of the input
 * with the most partitions among those that have one, if it is eligible
 * (within 10x of the largest input) or not smaller than the default count;
 * else a hash partitioner over spark.default.parallelism when set, or the
 * largest input's partition count.
 */
rdd_partitioner *rdd_default_partitioner(lm_rdd *const *rdds, int n)
{
    rdd_ctx *ctx = rdds[0]->ctx;
    int maxparts = 0;
    const lm_rdd *best = NULL;
    for (int i = 0; i < n; i++) {
        if (rdds[i]->nparts > maxparts)
            maxparts = rdds[i]->nparts;
        if (rdds[i]->partitioner && rdds[i]->partitioner->n > 0 &&
            (best == NULL || rdds[i]->nparts > best->nparts))
            best = rdds[i];
    }
    bool has_default = lm_conf_get(ctx->s->conf, "spark.default.parallelism") != NULL;
    int dflt = has_default ? ctx->default_parallelism : maxparts;
    if (best) {
        bool eligible = (double)maxparts / (double)best->nparts < 10.0;
        if (eligible || dflt <= best->nparts)
            return rdd_partitioner_ref(best->partitioner);
    }
    return rdd_partitioner_hash(dflt > 0 ? dflt : 1);
}
