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
#include "common/xorshift.h"
#include "session/session.h"

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
        lm_xorshift rng;
        lm_xorshift_init(&rng, si->seed + i);
        for (int64_t r = from; st == LM_OK && r < to; r++) {
            bool keep = false;
            if (si->ub - si->lb > 0.0) {
                double d = lm_xorshift_next_double(&rng);
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
