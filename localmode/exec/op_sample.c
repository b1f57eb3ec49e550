/*
 * SAMPLE: Spark's SampleExec without replacement. Each input partition i
 * runs a BernoulliCellSampler(lb, ub) seeded with seed + i: one
 * XORShiftRandom draw per row, the row kept when lb <= x < ub. With the
 * same partitions as Spark the same rows are kept.
 *
 * Partitions: the input is cut into P slices as Spark's
 * ParallelCollectionRDD slices a local collection (slice i holds rows
 * [i*n/P, (i+1)*n/P)), P = min(rows, spark.default.parallelism), 1 when
 * that conf is unset; set it to the N of the local[N] Spark run being
 * matched. randomSplit's samples first sort each slice by every orderable
 * column (lm_sample_info.local_sort), as Dataset.randomSplit does.
 */
#include "exec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "common/arena.h"
#include "session/session.h"

/* ------------------------------------------------------ XORShiftRandom */

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t mm_mix(uint32_t h, uint32_t k)
{
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    h ^= k;
    h = rotl32(h, 13);
    return h * 5 + 0xe6546b64u;
}

/* Scala's MurmurHash3.bytesHash over 8 bytes (no tail). */
static uint32_t scala_bytes_hash(const uint8_t *d, uint32_t seed)
{
    uint32_t h = seed;
    for (int i = 0; i < 8; i += 4) {
        uint32_t k = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                     (uint32_t)d[i + 3] << 24;
        h = mm_mix(h, k);
    }
    h ^= 8;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* XORShiftRandom.hashSeed: the seed's big-endian bytes hashed twice. */
static uint64_t xorshift_seed(int64_t seed)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)seed >> (56 - 8 * i));
    uint32_t lo = scala_bytes_hash(b, 0x3c074a61u);
    uint32_t hi = scala_bytes_hash(b, lo);
    return (uint64_t)hi << 32 | lo;
}

static uint32_t xorshift_next(uint64_t *s, int bits)
{
    uint64_t x = *s;
    x ^= x << 21;
    x ^= x >> 35;
    x ^= x << 4;
    *s = x;
    return (uint32_t)(x & ((UINT64_C(1) << bits) - 1));
}

/* java.util.Random.nextDouble over XORShiftRandom.next. */
static double xorshift_double(uint64_t *s)
{
    uint64_t hi = xorshift_next(s, 26), lo = xorshift_next(s, 27);
    return (double)((hi << 27) + lo) * 0x1.0p-53;
}

/* ------------------------------------------------------------- sorting */

typedef struct row_order {
    const lm_type *schema;
} row_order;

static int cmp_rows(const row_order *o, const lm_value *a, const lm_value *b)
{
    for (int c = 0; c < o->schema->nfields; c++) {
        const lm_type *t = o->schema->fields[c].type;
        if (!lm_type_is_orderable(t))
            continue;
        int r = lm_value_compare_nulls(t, &a[c], &b[c], true);
        if (r)
            return r;
    }
    return 0;
}

/* Stable merge sort of row pointers (ascending, NULLs first). */
static void sort_rows(const row_order *o, lm_value **v, lm_value **tmp, int64_t n)
{
    if (n < 2)
        return;
    int64_t m = n / 2;
    sort_rows(o, v, tmp, m);
    sort_rows(o, v + m, tmp, n - m);
    int64_t i = 0, j = m, k = 0;
    while (i < m && j < n)
        tmp[k++] = cmp_rows(o, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < m)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof *v * (size_t)n);
}

static int64_t partitions(const lm_exec *x, int64_t nrows)
{
    const char *v = lm_conf_get(x->session->conf, "spark.default.parallelism");
    int64_t p = v ? atoll(v) : 1;
    if (p < 1)
        p = 1;
    return nrows < p ? (nrows > 0 ? nrows : 1) : p;
}

lm_status lm_op_sample(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    const lm_sample_info *si = p->aux;
    lm_table *t = lm_table_new(in->schema);
    int64_t n = in->nrows;
    lm_value **rows = calloc((size_t)n + 1, sizeof *rows);
    lm_value **tmp = calloc((size_t)n + 1, sizeof *tmp);
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    lm_status st = t && rows && tmp ? LM_OK : lm_error_oom(x->err);
    int ncols = in->schema->nfields;
    int64_t k = 0;
    for (int b = 0; st == LM_OK && b < in->nbatches; b++)
        for (int32_t r = 0; st == LM_OK && r < in->batches[b]->nrows; r++) {
            rows[k] = lm_arena_alloc(&a, sizeof(lm_value) * (size_t)(ncols + 1));
            if (rows[k] == NULL || !lm_batch_get_row(in->batches[b], r, rows[k], &a))
                st = lm_error_oom(x->err);
            k++;
        }
    int64_t np = partitions(x, n);
    row_order ord = {in->schema};
    for (int64_t i = 0; st == LM_OK && i < np; i++) {
        int64_t from = i * n / np, to = (i + 1) * n / np;
        if (si->local_sort)
            sort_rows(&ord, rows + from, tmp, to - from);
        uint64_t rng = xorshift_seed(si->seed + i);
        for (int64_t r = from; st == LM_OK && r < to; r++) {
            bool keep = false;
            if (si->ub - si->lb > 0.0) {
                double d = xorshift_double(&rng);
                keep = d >= si->lb && d < si->ub;
            }
            if (keep && lm_table_append_row(t, rows[r]) != LM_OK)
                st = lm_error_oom(x->err);
        }
    }
    free(rows);
    free(tmp);
    lm_arena_free(&a);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
