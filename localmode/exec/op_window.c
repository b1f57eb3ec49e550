/*
 * WINDOW: evaluates the window calls of one specification (partition,
 * order, frame) and appends their results to every input row, as Spark's
 * WindowExec does. The output holds the input rows sorted stably by the
 * partition keys (ascending, NULLs first), then the ORDER BY keys, ties in
 * input order.
 *
 * This is the column path; it works on vectors and row references:
 *
 *   1. partition and ORDER BY keys are evaluated per batch as vectors
 *      (exec_eval_column) and compared by type (exec/key_kind.h), with the
 *      same order as lm_value_compare;
 *   2. rows are grouped into partitions by hashing their partition keys
 *      (a hash table of groups compared with that same order, so equal
 *      keys, -0.0 and 0.0, NaNs, share a group); the groups are sorted by
 *      their keys and the rows scattered to them in input order (a
 *      counting sort, stable). Keys without a typed form (arrays,
 *      structs, decimals) sort the rows with a comparison merge sort;
 *   3. each partition is sorted stably by its ORDER BY keys: a single
 *      integral or floating key as order-preserving 64-bit integers,
 *      several keys with the comparison merge sort;
 *   4. ranking functions (row_number, rank, dense_rank, percent_rank,
 *      cume_dist, ntile) are typed loops over each partition's peer groups
 *      (lm_window_rank_fill); the other functions (lag, lead, nth_value,
 *      aggregates over frames) get their arguments as values read from
 *      vectors and run on values partition by partition (window_frame.c);
 *   5. the output is gathered column by column from the sorted row
 *      references, only for the columns the parent reads.
 *
 * Window group limit (Spark 3.5's WindowGroupLimit): when the filter
 * directly above (through projections) starts with `rn <= k` (or `< k`,
 * `= k`) on a row_number, rank or dense_rank column of this operator, the
 * rows failing it are not output at all; the filter would drop them, and
 * it still runs, so results are unchanged. Partitions are still computed
 * whole.
 *
 * When an argument or key holds a nondeterministic call or a subquery the
 * row path (window_rows.c) runs instead: it evaluates them in the order
 * they always were.
 */
#include "exec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "exec/exec_batch.h"
#include "exec/key_kind.h"
#include "exec/window_int.h"
#include "expr/veval.h"
#include "functions/families.h"
#include "session/session.h"
#include "vector/strdict.h"

typedef struct win_key {
    exec_key_kind kind;
    const lm_type *type;
    bool desc, nulls_first;
    lm_vector **vecs; /* per input batch */
    uint8_t *dense;   /* per input batch: no NULL in it */
    lm_value *vals;   /* EXEC_KEY_VAL: every row's value, by global position */
} win_key;

typedef struct win_col {
    lm_exec *x;
    const lm_plan *p;
    const lm_window_info *info;
    const lm_table *in;
    int64_t n;
    int64_t *base; /* first global row of each batch */
    int np, no;
    win_key *keys; /* np partition keys, then no ORDER BY keys */
    lm_arena vals; /* key and argument values */
    exec_rowref *perm;   /* the rows in window order */
    exec_rowref *tmp;    /* merge sort scratch */
    int64_t *pstart;     /* partition i is perm[pstart[i], pstart[i + 1]) */
    int64_t npart;
    /* a single integral or floating ORDER BY key, as sort keys: okey_in
       and onull_in in input order, okey and onull in perm order (moved
       along with the rows when they are partitioned, so that sorting
       reads them in order instead of fetching each row's value) */
    uint64_t *okey_in, *okey;
    uint8_t *onull_in, *onull;
} win_col;

/* ------------------------------------------------------ comparing keys */


static inline int64_t row_pos(const win_col *c, exec_rowref r)
{
    return c->base[r.batch] + r.row;
}

/* Whether row r's value of key k is NULL; batches without a NULL are
   known from the start. */
static inline bool key_null(const win_key *k, exec_rowref r)
{
    return !k->dense[r.batch] && lm_vector_is_null(k->vecs[r.batch], r.row);
}

/* Order of two rows on one key, as lm_value_compare_nulls with the key's
   direction (the direction does not move NULLs). */
static int key_cmp(const win_col *c, const win_key *k, exec_rowref a, exec_rowref b)
{
    const lm_vector *va = k->vecs[a.batch], *vb = k->vecs[b.batch];
    bool na = key_null(k, a), nb = key_null(k, b);
    if (na || nb) {
        if (na && nb)
            return 0;
        return na == k->nulls_first ? -1 : 1;
    }
    int r;
    switch (k->kind) {
    case EXEC_KEY_I64:
    case EXEC_KEY_F64:
    case EXEC_KEY_STR:
        r = exec_key_cmp(k->kind, va, a.row, vb, b.row);
        break;
    default:
        r = lm_value_compare(k->type, &k->vals[row_pos(c, a)], &k->vals[row_pos(c, b)]);
        break;
    }
    return k->desc ? -r : r;
}

/* Order of two rows on keys [from, to). */
static int keys_cmp(const win_col *c, int from, int to, exec_rowref a, exec_rowref b)
{
    for (int k = from; k < to; k++) {
        int r = key_cmp(c, &c->keys[k], a, b);
        if (r != 0)
            return r;
    }
    return 0;
}

/* Stable bottom-up merge sort of v[0..n) on keys [from, to). */
static void merge_sort(const win_col *c, int from, int to, exec_rowref *v, exec_rowref *tmp,
                       int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = keys_cmp(c, from, to, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, sizeof *v * (size_t)n);
    }
}

/* ------------------------------------------------------ partitions */

/* A hash of the row's partition keys that equal keys (key_cmp == 0)
   share: -0.0 hashes as 0.0 and every NaN alike. */
static uint64_t part_hash(const win_col *c, exec_rowref r)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < c->np; k++) {
        const win_key *key = &c->keys[k];
        const lm_vector *v = key->vecs[r.batch];
        uint64_t x;
        if (key_null(key, r)) {
            x = 0x5bd1e995ULL;
        } else if (key->kind == EXEC_KEY_I64) {
            x = (uint64_t)exec_vector_i64(v, r.row);
        } else if (key->kind == EXEC_KEY_F64) {
            double d = exec_vector_f64(v, r.row);
            if (d == 0.0)
                d = 0.0;
            if (isnan(d))
                d = NAN;
            memcpy(&x, &d, sizeof x);
        } else {
            const int32_t *o = v->data;
            x = lm_bytes_hash(v->heap + o[r.row], o[r.row + 1] - o[r.row]);
        }
        h = lm_mix64(h ^ x) + (uint64_t)k;
    }
    return h;
}

/* Whether two rows have equal partition keys (NULLs equal), without
   ordering them. */
static bool part_same(const win_col *c, exec_rowref a, exec_rowref b)
{
    for (int k = 0; k < c->np; k++) {
        const win_key *key = &c->keys[k];
        const lm_vector *va = key->vecs[a.batch], *vb = key->vecs[b.batch];
        bool na = key_null(key, a), nb = key_null(key, b);
        if (na || nb) {
            if (na != nb)
                return false;
            continue;
        }
        bool eq;
        if (key->kind == EXEC_KEY_STR) {
            const int32_t *oa = va->data, *ob = vb->data;
            int32_t la = oa[a.row + 1] - oa[a.row];
            eq = la == ob[b.row + 1] - ob[b.row] &&
                 lm_bytes_eq(va->heap + oa[a.row], vb->heap + ob[b.row], la);
        } else if (key->kind == EXEC_KEY_I64) {
            eq = exec_vector_i64(va, a.row) == exec_vector_i64(vb, b.row);
        } else {
            eq = key_cmp(c, key, a, b) == 0;
        }
        if (!eq)
            return false;
    }
    return true;
}

typedef struct part_group {
    exec_rowref rep; /* first row of the group */
    uint64_t hash;
    int64_t count;
} part_group;

/* The dictionary of a single string partition key whose every batch is
   coded in it (a cached column, strdict.h); else NULL. */
static const lm_strdict *coded_partition(const win_col *c)
{
    if (c->np != 1 || c->keys[0].kind != EXEC_KEY_STR)
        return NULL;
    const lm_strdict *d = NULL;
    for (int b = 0; b < c->in->nbatches; b++)
        if (!lm_strdict_same(c->keys[0].vecs[b], c->in->batches[b]->nrows, &d))
            return NULL;
    return d;
}

/* The groups of a coded key, numbered in first-row order as the hash
   table numbers them: a code's group is looked up in an array. */
static lm_status number_by_codes(win_col *c, const lm_strdict *d, part_group **groups,
                                 int64_t *ng, int32_t *gid)
{
    int32_t *of_code = malloc(sizeof *of_code * ((size_t)d->size + 1));
    part_group *g = realloc(*groups, sizeof *g * ((size_t)d->size + 1));
    if (of_code == NULL || g == NULL) {
        free(of_code);
        if (g != NULL)
            *groups = g;
        return LM_ENOMEM;
    }
    *groups = g;
    memset(of_code, 0xff, sizeof *of_code * ((size_t)d->size + 1));
    int64_t pos = 0, n = 0;
    for (int b = 0; b < c->in->nbatches; b++) {
        const int32_t *codes = c->keys[0].vecs[b]->codes;
        for (int32_t r = 0; r < c->in->batches[b]->nrows; r++, pos++) {
            int32_t k = of_code[codes[r]];
            if (k < 0) {
                k = of_code[codes[r]] = (int32_t)n++;
                g[k] = (part_group){{b, r}, 0, 0};
            }
            g[k].count++;
            gid[pos] = k;
        }
    }
    *ng = n;
    free(of_code);
    return LM_OK;
}

/* Groups by hash table (or by dictionary codes), sorted by key, rows
   scattered in input order. */
static lm_status partition_by_hash(win_col *c)
{
    int64_t cap = 64, ng = 0, gcap = 64;
    int32_t *slots = malloc(sizeof *slots * (size_t)cap);
    part_group *groups = malloc(sizeof *groups * (size_t)gcap);
    int32_t *gid = malloc(sizeof *gid * (size_t)(c->n + 1));
    if (slots == NULL || groups == NULL || gid == NULL)
        goto oom;
    memset(slots, 0xff, sizeof *slots * (size_t)cap);
    int64_t pos = 0;
    const lm_strdict *dict = coded_partition(c);
    if (dict != NULL) {
        free(slots);
        slots = NULL;
        if (number_by_codes(c, dict, &groups, &ng, gid) != LM_OK)
            goto oom;
    }
    for (int b = 0; dict == NULL && b < c->in->nbatches; b++) {
        for (int32_t r = 0; r < c->in->batches[b]->nrows; r++, pos++) {
            exec_rowref ref = {b, r};
            uint64_t h = part_hash(c, ref);
            int64_t s = (int64_t)(h & (uint64_t)(cap - 1));
            int32_t g;
            while ((g = slots[s]) >= 0 &&
                   (groups[g].hash != h || !part_same(c, groups[g].rep, ref)))
                s = (s + 1) & (cap - 1);
            if (g < 0) {
                if (ng == gcap) {
                    part_group *ng2 = realloc(groups, sizeof *groups * (size_t)(gcap *= 2));
                    if (ng2 == NULL)
                        goto oom;
                    groups = ng2;
                }
                g = (int32_t)ng++;
                groups[g] = (part_group){ref, h, 0};
                slots[s] = g;
                if (ng * 2 > cap) { /* grow: rehash every group */
                    int32_t *ns = malloc(sizeof *ns * (size_t)(cap * 2));
                    if (ns == NULL)
                        goto oom;
                    free(slots);
                    slots = ns;
                    cap *= 2;
                    memset(slots, 0xff, sizeof *slots * (size_t)cap);
                    for (int32_t i = 0; i < ng; i++) {
                        int64_t t = (int64_t)(groups[i].hash & (uint64_t)(cap - 1));
                        while (slots[t] >= 0)
                            t = (t + 1) & (cap - 1);
                        slots[t] = i;
                    }
                }
            }
            groups[g].count++;
            gid[pos] = g;
        }
    }
    /* the groups in key order: sort their first rows (all keys differ) */
    exec_rowref *reps = malloc(sizeof *reps * (size_t)(ng + 1));
    exec_rowref *rtmp = malloc(sizeof *rtmp * (size_t)(ng + 1));
    int64_t *start = malloc(sizeof *start * (size_t)(ng + 1));
    c->pstart = malloc(sizeof *c->pstart * (size_t)(ng + 1));
    if (reps == NULL || rtmp == NULL || start == NULL || c->pstart == NULL) {
        free(reps);
        free(rtmp);
        free(start);
        goto oom;
    }
    for (int64_t g = 0; g < ng; g++)
        reps[g] = groups[g].rep;
    merge_sort(c, 0, c->np, reps, rtmp, ng);
    /* start offset of each group, in key order (a first row's group is
       gid at its position) */
    int64_t acc = 0;
    for (int64_t i = 0; i < ng; i++) {
        int32_t g = gid[row_pos(c, reps[i])];
        start[g] = acc;
        c->pstart[i] = acc;
        acc += groups[g].count;
    }
    c->pstart[ng] = acc;
    c->npart = ng;
    if (c->okey_in != NULL) {
        c->okey = malloc(sizeof *c->okey * (size_t)(c->n + 1));
        c->onull = malloc((size_t)c->n + 1);
        if (c->okey == NULL || c->onull == NULL) {
            free(reps);
            free(rtmp);
            free(start);
            goto oom;
        }
    }
    pos = 0;
    for (int b = 0; b < c->in->nbatches; b++)
        for (int32_t r = 0; r < c->in->batches[b]->nrows; r++, pos++) {
            int64_t at = start[gid[pos]]++;
            c->perm[at] = (exec_rowref){b, r};
            if (c->okey) {
                c->okey[at] = c->okey_in[pos];
                c->onull[at] = c->onull_in[pos];
            }
        }
    free(reps);
    free(rtmp);
    free(start);
    free(slots);
    free(groups);
    free(gid);
    return LM_OK;
oom:
    free(slots);
    free(groups);
    free(gid);
    return lm_error_oom(c->x->err);
}

/* Finds the partitions: rows in input order, grouped by partition key. */
static lm_status partition_rows(win_col *c)
{
    int64_t pos = 0;
    for (int b = 0; b < c->in->nbatches; b++)
        for (int32_t r = 0; r < c->in->batches[b]->nrows; r++)
            c->perm[pos++] = (exec_rowref){b, r};
    if (c->np == 0 || c->n == 0) {
        c->okey = c->okey_in;
        c->onull = c->onull_in;
        c->okey_in = NULL;
        c->onull_in = NULL;
        c->npart = c->n > 0 ? 1 : 0;
        if ((c->pstart = malloc(sizeof *c->pstart * 2)) == NULL)
            return lm_error_oom(c->x->err);
        c->pstart[0] = 0;
        c->pstart[1] = c->n;
        return LM_OK;
    }
    bool hashable = true;
    for (int k = 0; k < c->np; k++)
        hashable = hashable && c->keys[k].kind != EXEC_KEY_VAL;
    if (hashable)
        return partition_by_hash(c);
    merge_sort(c, 0, c->np, c->perm, c->tmp, c->n);
    if ((c->pstart = malloc(sizeof *c->pstart * (size_t)(c->n + 1))) == NULL)
        return lm_error_oom(c->x->err);
    c->npart = 0;
    for (int64_t i = 0; i < c->n; i++)
        if (i == 0 || keys_cmp(c, 0, c->np, c->perm[i - 1], c->perm[i]) != 0)
            c->pstart[c->npart++] = i;
    c->pstart[c->npart] = c->n;
    return LM_OK;
}

/* ------------------------------------------------------ ORDER BY */

typedef struct okey {
    uint64_t k;
    exec_rowref r;
} okey;

/* Stable merge sort of v[0..n) on the 64-bit keys. */
static void okey_sort(okey *v, okey *tmp, int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = v[j].k < v[i].k ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, sizeof *v * (size_t)n);
    }
}

/* A non-null value of a single I64/F64 key as an unsigned integer of the
   same order (descending: reversed). Doubles: -0.0 as 0.0, every NaN as
   one NaN above +Infinity, as lm_double_compare orders them. */
static uint64_t okey_of(const win_key *k, exec_rowref r)
{
    const lm_vector *v = k->vecs[r.batch];
    uint64_t u;
    if (k->kind == EXEC_KEY_I64) {
        u = (uint64_t)exec_vector_i64(v, r.row) ^ 0x8000000000000000ULL;
    } else {
        double d = exec_key_double(exec_vector_f64(v, r.row));
        memcpy(&u, &d, sizeof u);
        u = (u & 0x8000000000000000ULL) ? ~u : u | 0x8000000000000000ULL;
    }
    return k->desc ? ~u : u;
}

/* (key, position in the partition): the stable window order. */
typedef struct okey_at {
    uint64_t k;
    int64_t at;
} okey_at;

static inline bool okey_after(okey_at a, okey_at b)
{
    return a.k > b.k || (a.k == b.k && a.at > b.at);
}

/*
 * The k-th row of a partition (no NULL keys) in window order, without
 * sorting it: a max-heap of the k first rows seen. Sets its key and
 * position; false when the heap cannot be allocated.
 */
static bool kth_row(const okey *ov, int64_t n, int64_t k, uint64_t *key, int64_t *pos)
{
    okey_at *h = malloc(sizeof *h * (size_t)k);
    if (h == NULL)
        return false;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        okey_at x = {ov[i].k, i};
        int64_t j;
        if (m < k) {
            /* sift up */
            for (j = m++; j > 0 && okey_after(x, h[(j - 1) / 2]); j = (j - 1) / 2)
                h[j] = h[(j - 1) / 2];
        } else if (x.k < h[0].k) {
            /* replace the top, sift down (later rows never win ties) */
            for (j = 0;;) {
                int64_t l = 2 * j + 1, r = l + 1, big = l;
                if (l >= m)
                    break;
                if (r < m && okey_after(h[r], h[l]))
                    big = r;
                if (!okey_after(h[big], x))
                    break;
                h[j] = h[big];
                j = big;
            }
        } else {
            continue;
        }
        h[j] = x;
    }
    *key = h[0].k;
    *pos = h[0].at;
    free(h);
    return true;
}

/* The sort keys of a single integral or floating ORDER BY key, read in
   input order (see win_col). */
static lm_status order_keys_in(win_col *c)
{
    if (c->no != 1 || c->keys[c->np].kind == EXEC_KEY_STR || c->keys[c->np].kind == EXEC_KEY_VAL)
        return LM_OK;
    const win_key *k = &c->keys[c->np];
    c->okey_in = malloc(sizeof *c->okey_in * (size_t)(c->n + 1));
    c->onull_in = malloc((size_t)c->n + 1);
    if (c->okey_in == NULL || c->onull_in == NULL)
        return lm_error_oom(c->x->err);
    int64_t pos = 0;
    for (int b = 0; b < c->in->nbatches; b++)
        for (int32_t r = 0; r < c->in->batches[b]->nrows; r++, pos++) {
            exec_rowref ref = {b, r};
            c->onull_in[pos] = key_null(k, ref);
            c->okey_in[pos] = c->onull_in[pos] ? 0 : okey_of(k, ref);
        }
    return LM_OK;
}

/* Sorts perm[lo, hi) (one partition, in input order) by a single typed
   ORDER BY key: NULLs moved to their end stably, the others by okey.
   With a group limit k (> 0; every function row_number or rank) only the
   rows that can rank within k are sorted, to the front: the k first
   (ties: and every row tied with the k-th, for rank); the others follow
   in input order and rank past k wherever they stand. */
static void sort_single_key(win_col *c, okey *ov, okey *otmp, int64_t lo, int64_t hi,
                            int64_t k_limit, bool ties)
{
    const win_key *k = &c->keys[c->np];
    exec_rowref *p = c->perm + lo;
    int64_t n = hi - lo, nn = 0, nv = 0;
    exec_rowref *nulls = c->tmp; /* scratch: at most n rows */
    for (int64_t i = 0; i < n; i++) {
        bool null = c->okey ? c->onull[lo + i] : key_null(k, p[i]);
        if (null)
            nulls[nn++] = p[i];
        else
            ov[nv++] = (okey){c->okey ? c->okey[lo + i] : okey_of(k, p[i]), p[i]};
    }
    uint64_t bound;
    int64_t last;
    if (k_limit > 0 && nn == 0 && nv > 4 * k_limit && kth_row(ov, nv, k_limit, &bound, &last)) {
        exec_rowref *rest = c->tmp;
        int64_t kept = 0, nrest = 0;
        for (int64_t i = 0; i < nv; i++) {
            if (ov[i].k < bound || (ov[i].k == bound && (ties || i <= last)))
                ov[kept++] = ov[i];
            else
                rest[nrest++] = ov[i].r;
        }
        okey_sort(ov, otmp, kept);
        for (int64_t i = 0; i < kept; i++)
            p[i] = ov[i].r;
        memcpy(p + kept, rest, sizeof *rest * (size_t)nrest);
        return;
    }
    okey_sort(ov, otmp, nv);
    int64_t at = 0;
    if (k->nulls_first)
        for (int64_t i = 0; i < nn; i++)
            p[at++] = nulls[i];
    for (int64_t i = 0; i < nv; i++)
        p[at++] = ov[i].r;
    if (!k->nulls_first)
        for (int64_t i = 0; i < nn; i++)
            p[at++] = nulls[i];
}

static lm_status sort_partitions(win_col *c, int64_t k_limit, bool ties)
{
    if (c->no == 0)
        return LM_OK;
    bool single = c->no == 1 && c->keys[c->np].kind != EXEC_KEY_STR &&
                  c->keys[c->np].kind != EXEC_KEY_VAL;
    okey *ov = NULL, *otmp = NULL;
    if (single) {
        int64_t most = 0;
        for (int64_t i = 0; i < c->npart; i++)
            if (c->pstart[i + 1] - c->pstart[i] > most)
                most = c->pstart[i + 1] - c->pstart[i];
        ov = malloc(sizeof *ov * (size_t)(most + 1));
        otmp = malloc(sizeof *otmp * (size_t)(most + 1));
        if (ov == NULL || otmp == NULL) {
            free(ov);
            free(otmp);
            return lm_error_oom(c->x->err);
        }
    }
    for (int64_t i = 0; i < c->npart; i++) {
        int64_t lo = c->pstart[i], hi = c->pstart[i + 1];
        if (single)
            sort_single_key(c, ov, otmp, lo, hi, k_limit, ties);
        else
            merge_sort(c, c->np, c->np + c->no, c->perm + lo, c->tmp, hi - lo);
    }
    free(ov);
    free(otmp);
    return LM_OK;
}

/* ------------------------------------------------------ functions */

/* Results of the functions in window order, for the rows output. */
typedef struct win_out {
    lm_window_rank *rank; /* per function; NONE: computed on values */
    int32_t **ints;       /* per ranking function: n values */
    double **dbls;
    lm_vector ***chunks;  /* per value function: one vector per output batch */
    int64_t nchunks;
    int64_t *keep;        /* positions in perm of the rows output */
    int64_t nkeep;
} win_out;

/* The window group limit: rows whose ranking value lies outside [lo, hi]
   are dropped (see the header comment). */
typedef struct win_limit {
    int func; /* -1: none */
    int64_t lo, hi;
} win_limit;

/* Peer groups [ps, pe) of each row of the partition perm[lo, hi). */
static void peer_groups(const win_col *c, int64_t lo, int64_t hi, int64_t *ps, int64_t *pe)
{
    int64_t n = hi - lo;
    for (int64_t i = 0; i < n; i++)
        ps[i] = (i > 0 && keys_cmp(c, c->np, c->np + c->no, c->perm[lo + i - 1],
                                   c->perm[lo + i]) == 0)
                    ? ps[i - 1]
                    : i;
    for (int64_t i = n - 1; i >= 0; i--)
        pe[i] = (i + 1 < n && ps[i + 1] == ps[i]) ? pe[i + 1] : i + 1;
}

/* Appends v (of type t) to the chunk vectors of one function. */
static lm_status chunk_append(win_out *o, int k, const lm_type *t, int64_t at, const lm_value *v)
{
    int64_t ci = at / LM_BATCH_ROWS;
    lm_vector **ch = o->chunks[k];
    if (ch[ci] == NULL) {
        int64_t left = o->nkeep - ci * LM_BATCH_ROWS;
        int32_t m = (int32_t)(left < LM_BATCH_ROWS ? left : LM_BATCH_ROWS);
        if ((ch[ci] = lm_vector_new(t, m)) == NULL)
            return LM_ENOMEM;
    }
    return lm_vector_append(ch[ci], v);
}

/*
 * Computes every function partition by partition and decides which rows
 * are output. Value functions get their arguments as values read from
 * argument vectors (argvecs[k][a][batch]).
 */
static lm_status compute(win_col *c, win_out *o, const win_limit *lim, lm_vector ****argvecs,
                         int64_t buckets_of[])
{
    const lm_window_info *info = c->info;
    const lm_window_spec *w = info->spec;
    int nf = info->nfuncs, nin = c->in->schema->nfields;
    bool values = false, peers = false;
    for (int k = 0; k < nf; k++) {
        values = values || o->rank[k] == LM_WINDOW_RANK_NONE;
        peers = peers || (o->rank[k] != LM_WINDOW_ROW_NUMBER && o->rank[k] != LM_WINDOW_NTILE);
    }
    int64_t most = 0;
    for (int64_t i = 0; i < c->npart; i++)
        if (c->pstart[i + 1] - c->pstart[i] > most)
            most = c->pstart[i + 1] - c->pstart[i];
    int64_t *ps = malloc(sizeof *ps * (size_t)(most + 1));
    int64_t *pe = malloc(sizeof *pe * (size_t)(most + 1));
    int64_t *fs = values ? malloc(sizeof *fs * (size_t)(most + 1)) : NULL;
    int64_t *fe = values ? malloc(sizeof *fe * (size_t)(most + 1)) : NULL;
    lm_value **argv = calloc((size_t)nf + 1, sizeof *argv);
    lm_value **res = calloc((size_t)nf + 1, sizeof *res);
    bool *skip = calloc((size_t)nf + 1, sizeof *skip);
    lm_arena part;
    lm_arena_init(&part, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(c->x, &ec, &part);
    win_frame_ctx fc;
    lm_status st = (ps && pe && (!values || (fs && fe)) && argv && res && skip)
                       ? win_frame_init(&ec, w, &fc)
                       : lm_error_oom(c->x->err);
    for (int k = 0; k < nf; k++)
        skip[k] = o->rank[k] != LM_WINDOW_RANK_NONE;
    o->nkeep = 0;
    for (int64_t pi = 0; st == LM_OK && pi < c->npart; pi++) {
        int64_t lo = c->pstart[pi], hi = c->pstart[pi + 1], n = hi - lo;
        if (peers)
            peer_groups(c, lo, hi, ps, pe);
        for (int k = 0; k < nf; k++)
            if (o->rank[k] != LM_WINDOW_RANK_NONE)
                lm_window_rank_fill(o->rank[k], buckets_of[k], n, ps, pe,
                                    o->ints[k] ? o->ints[k] + lo : NULL,
                                    o->dbls[k] ? o->dbls[k] + lo : NULL);
        int64_t first_keep = o->nkeep;
        for (int64_t i = 0; i < n; i++) {
            if (lim->func >= 0) {
                int64_t v = o->ints[lim->func][lo + i];
                if (v < lim->lo || v > lim->hi)
                    continue;
            }
            o->keep[o->nkeep++] = lo + i;
        }
        if (!values || o->nkeep == first_keep)
            continue;
        /* functions on values: arguments read from their vectors */
        lm_value *okeys = NULL;
        if (win_frame_reads_keys(w)) {
            const win_key *k0 = &c->keys[c->np];
            okeys = lm_arena_alloc(&part, sizeof *okeys * (size_t)(n + 1));
            for (int64_t i = 0; okeys && i < n; i++) {
                exec_rowref r = c->perm[lo + i];
                if (k0->kind == EXEC_KEY_VAL)
                    okeys[i] = k0->vals[row_pos(c, r)];
                else if (!lm_vector_get(k0->vecs[r.batch], r.row, &okeys[i], &part))
                    okeys = NULL;
            }
            if (okeys == NULL)
                st = lm_error_oom(c->x->err);
        }
        for (int k = 0; st == LM_OK && k < nf; k++) {
            if (skip[k])
                continue;
            int na = info->funcs[k]->nargs;
            argv[k] = lm_arena_alloc(&part, sizeof(lm_value) * (size_t)(n * na + 1));
            res[k] = lm_arena_alloc(&part, sizeof(lm_value) * (size_t)(n + 1));
            if (argv[k] == NULL || res[k] == NULL) {
                st = lm_error_oom(c->x->err);
                break;
            }
            for (int64_t i = 0; i < n && st == LM_OK; i++) {
                exec_rowref r = c->perm[lo + i];
                for (int a = 0; a < na; a++)
                    if (!lm_vector_get(argvecs[k][a][r.batch], r.row, &argv[k][i * na + a], &part))
                        st = lm_error_oom(c->x->err);
            }
        }
        if (st == LM_OK)
            st = win_partition_eval(&ec, &fc, info, skip, n, ps, pe, okeys, argv, fs, fe, res);
        for (int64_t j = first_keep; st == LM_OK && j < o->nkeep; j++)
            for (int k = 0; st == LM_OK && k < nf; k++)
                if (!skip[k] && chunk_append(o, k, c->p->schema->fields[nin + k].type, j,
                                             &res[k][o->keep[j] - lo]) != LM_OK)
                    st = lm_error_oom(c->x->err);
        lm_arena_free(&part);
    }
    free(ps);
    free(pe);
    free(fs);
    free(fe);
    free(argv);
    free(res);
    free(skip);
    lm_arena_free(&part);
    return st;
}

/* ------------------------------------------------------ output */

/* A column of m typed ranking values at the kept positions. */
static lm_vector *rank_column(const lm_type *t, const win_out *o, int k, int64_t from, int32_t m)
{
    lm_vector *v = lm_vector_new(t, m > 0 ? m : 1);
    if (v == NULL)
        return NULL;
    bool dbl = o->dbls[k] != NULL;
    for (int32_t i = 0; i < m; i++) {
        int64_t at = o->keep[from + i];
        if (dbl)
            ((double *)v->data)[i] = o->dbls[k][at];
        else
            ((int32_t *)v->data)[i] = o->ints[k][at];
    }
    memset(v->validity, 0xff, ((size_t)m + 7) / 8);
    v->length = m;
    return v;
}

static lm_status emit(win_col *c, win_out *o, const bool *need, lm_table **out)
{
    const lm_plan *p = c->p;
    int nin = c->in->schema->nfields, nf = c->info->nfuncs, width = nin + nf;
    lm_table *t = lm_table_new(p->schema);
    exec_rowref *refs = malloc(sizeof *refs * (LM_BATCH_ROWS + 1));
    if (t == NULL || refs == NULL) {
        free(refs);
        lm_table_unref(t);
        return lm_error_oom(c->x->err);
    }
    for (int64_t lo = 0, ci = 0; lo < o->nkeep; lo += LM_BATCH_ROWS, ci++) {
        int32_t m = (int32_t)(o->nkeep - lo < LM_BATCH_ROWS ? o->nkeep - lo : LM_BATCH_ROWS);
        for (int32_t i = 0; i < m; i++)
            refs[i] = c->perm[o->keep[lo + i]];
        lm_batch *b = exec_batch_alloc(width, m);
        bool ok = b != NULL;
        for (int col = 0; ok && col < width; col++) {
            const lm_type *ty = p->schema->fields[col].type;
            int k = col - nin;
            if (!exec_needed(need, col))
                b->cols[col] = exec_placeholder(m);
            else if (col < nin)
                b->cols[col] = exec_gather_refs(c->in, col, ty, refs, m);
            else if (o->rank[k] != LM_WINDOW_RANK_NONE)
                b->cols[col] = rank_column(ty, o, k, lo, m);
            else if ((b->cols[col] = o->chunks[k][ci]) != NULL)
                o->chunks[k][ci] = NULL; /* the batch takes it */
            ok = b->cols[col] != NULL;
        }
        if (!ok || lm_table_append_batch(t, b) != LM_OK) {
            for (int col = 0; b && col < width; col++)
                if (b->cols[col] == NULL)
                    b->cols[col] = exec_placeholder(0);
            lm_batch_free(b);
            lm_table_unref(t);
            free(refs);
            return lm_error_oom(c->x->err);
        }
    }
    free(refs);
    *out = t;
    return LM_OK;
}

/* ------------------------------------------------------ the operator */

/* Whether every key and argument can be evaluated a column at a time. */
static bool column_path_ok(lm_exec *x, const lm_window_info *info)
{
    bool row_path = false;
    if (x->session &&
        lm_conf_get_bool(x->session->conf, "spark.localmode.test.windowRowPath", false, &row_path,
                         NULL) == LM_OK &&
        row_path)
        return false;
    const lm_window_spec *w = info->spec;
    for (int i = 0; i < w->npartition; i++)
        if (!lm_vexpr_supported(w->partition[i]))
            return false;
    for (int i = 0; i < w->norder; i++)
        if (!lm_vexpr_supported(w->order[i]->args[0]))
            return false;
    for (int k = 0; k < info->nfuncs; k++)
        for (int a = 0; a < info->funcs[k]->nargs; a++)
            if (!lm_vexpr_supported(info->funcs[k]->args[a]))
                return false;
    return true;
}

static lm_status eval_keys(win_col *c, lm_arena *scratch)
{
    const lm_window_spec *w = c->info->spec;
    int nb = c->in->nbatches;
    for (int k = 0; k < c->np + c->no; k++) {
        win_key *key = &c->keys[k];
        const lm_expr *e = k < c->np ? w->partition[k] : w->order[k - c->np]->args[0];
        int flags = k < c->np ? LM_SORT_NULLS_FIRST : w->order[k - c->np]->flags;
        key->type = e->type;
        key->kind = exec_key_kind_of(e->type);
        key->desc = (flags & LM_SORT_DESC) != 0;
        key->nulls_first = (flags & LM_SORT_NULLS_FIRST) != 0;
        if ((key->vecs = calloc((size_t)nb + 1, sizeof *key->vecs)) == NULL)
            return lm_error_oom(c->x->err);
        lm_status st = exec_eval_column(c->x, e, c->in, key->vecs, scratch);
        if (st != LM_OK)
            return st;
        if ((key->dense = calloc((size_t)nb + 1, 1)) == NULL)
            return lm_error_oom(c->x->err);
        for (int b = 0; b < nb; b++)
            key->dense[b] = lm_vector_no_nulls(key->vecs[b]);
        if (key->kind != EXEC_KEY_VAL)
            continue;
        if ((key->vals = lm_arena_alloc(&c->vals, sizeof *key->vals * (size_t)(c->n + 1))) == NULL)
            return lm_error_oom(c->x->err);
        for (int b = 0; b < nb; b++)
            for (int32_t r = 0; r < c->in->batches[b]->nrows; r++)
                if (!lm_vector_get(key->vecs[b], r, &key->vals[c->base[b] + r], &c->vals))
                    return lm_error_oom(c->x->err);
    }
    return LM_OK;
}

lm_status lm_op_window_cols(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                            int limit_func, int64_t limit_lo, int64_t limit_hi, lm_table **out)
{
    const lm_window_info *info = p->aux;
    if (!column_path_ok(x, info))
        return win_op_rows(x, p, in, out);
    int nf = info->nfuncs, nb = in->nbatches;
    win_col c;
    memset(&c, 0, sizeof c);
    c.x = x;
    c.p = p;
    c.info = info;
    c.in = in;
    c.np = info->spec->npartition;
    c.no = info->spec->norder;
    lm_arena_init(&c.vals, 64 * 1024);
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    win_out o;
    memset(&o, 0, sizeof o);
    lm_vector ****argvecs = calloc((size_t)nf + 1, sizeof *argvecs);
    int64_t *buckets = calloc((size_t)nf + 1, sizeof *buckets);
    c.base = calloc((size_t)nb + 1, sizeof *c.base);
    for (int b = 0; c.base && b < nb; b++)
        c.base[b + 1] = c.base[b] + in->batches[b]->nrows;
    c.n = c.base ? c.base[nb] : 0;
    c.keys = calloc((size_t)(c.np + c.no) + 1, sizeof *c.keys);
    c.perm = malloc(sizeof *c.perm * (size_t)(c.n + 1));
    c.tmp = malloc(sizeof *c.tmp * (size_t)(c.n + 1));
    o.rank = calloc((size_t)nf + 1, sizeof *o.rank);
    o.ints = calloc((size_t)nf + 1, sizeof *o.ints);
    o.dbls = calloc((size_t)nf + 1, sizeof *o.dbls);
    o.chunks = calloc((size_t)nf + 1, sizeof *o.chunks);
    o.keep = malloc(sizeof *o.keep * (size_t)(c.n + 1));
    o.nchunks = (c.n + LM_BATCH_ROWS - 1) / LM_BATCH_ROWS;
    lm_status st = (argvecs && buckets && c.base && c.keys && c.perm && c.tmp && o.rank &&
                    o.ints && o.dbls && o.chunks && o.keep)
                       ? LM_OK
                       : lm_error_oom(x->err);
    /* what each function needs: typed arrays, or argument vectors */
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    for (int k = 0; st == LM_OK && k < nf; k++) {
        const lm_expr *f = info->funcs[k];
        const lm_type *rt = p->schema->fields[in->schema->nfields + k].type;
        o.rank[k] = lm_window_rank_of(f);
        bool dbl = lm_window_rank_is_double(o.rank[k]);
        if (o.rank[k] != LM_WINDOW_RANK_NONE &&
            rt->id != (dbl ? LM_TYPE_DOUBLE : LM_TYPE_INT))
            o.rank[k] = LM_WINDOW_RANK_NONE; /* not the expected type: on values */
        if (o.rank[k] == LM_WINDOW_NTILE) {
            lm_value v;
            if ((st = lm_eval_constant(&ec, f->args[0], &v)) != LM_OK)
                break;
            buckets[k] = v.is_null ? 1 : v.u.i64;
        }
        if (o.rank[k] != LM_WINDOW_RANK_NONE) {
            if (dbl)
                o.dbls[k] = malloc(sizeof(double) * (size_t)(c.n + 1));
            else
                o.ints[k] = malloc(sizeof(int32_t) * (size_t)(c.n + 1));
            if (o.dbls[k] == NULL && o.ints[k] == NULL)
                st = lm_error_oom(x->err);
            continue;
        }
        o.chunks[k] = calloc((size_t)o.nchunks + 1, sizeof *o.chunks[k]);
        argvecs[k] = calloc((size_t)f->nargs + 1, sizeof *argvecs[k]);
        if (o.chunks[k] == NULL || argvecs[k] == NULL) {
            st = lm_error_oom(x->err);
            break;
        }
        for (int a = 0; st == LM_OK && a < f->nargs; a++) {
            if ((argvecs[k][a] = calloc((size_t)nb + 1, sizeof **argvecs[k])) == NULL)
                st = lm_error_oom(x->err);
            else
                st = exec_eval_column(x, f->args[a], in, argvecs[k][a], &scratch);
        }
    }
    lm_arena_free(&scratch);
    win_limit lim = {-1, 0, 0};
    if (limit_func >= 0 && limit_func < nf && o.ints && o.ints[limit_func] &&
        (o.rank[limit_func] == LM_WINDOW_ROW_NUMBER || o.rank[limit_func] == LM_WINDOW_RANK ||
         o.rank[limit_func] == LM_WINDOW_DENSE_RANK))
        lim = (win_limit){limit_func, limit_lo, limit_hi};
    if (st == LM_OK)
        st = eval_keys(&c, &scratch);
    if (st == LM_OK)
        st = order_keys_in(&c);
    if (st == LM_OK)
        st = partition_rows(&c);
    /* a limit on row_number or rank, when no function needs the rows past
       it: partitions are cut down to their top rows before sorting */
    int64_t k_limit = lim.func >= 0 && lim.hi >= 1 ? lim.hi : 0;
    for (int k = 0; k < nf; k++)
        if (o.rank[k] != LM_WINDOW_ROW_NUMBER && o.rank[k] != LM_WINDOW_RANK)
            k_limit = 0;
    bool ties = lim.func >= 0 && o.rank[lim.func] == LM_WINDOW_RANK;
    if (st == LM_OK)
        st = sort_partitions(&c, k_limit, ties);
    if (st == LM_OK)
        st = compute(&c, &o, &lim, argvecs, buckets);
    if (st == LM_OK)
        st = emit(&c, &o, need, out);
    for (int k = 0; k < nf; k++) {
        const lm_expr *f = info->funcs[k];
        for (int a = 0; argvecs && argvecs[k] && a < f->nargs; a++) {
            for (int b = 0; argvecs[k][a] && b < nb; b++)
                lm_vector_free(argvecs[k][a][b]);
            free(argvecs[k][a]);
        }
        if (argvecs)
            free(argvecs[k]);
        for (int64_t ch = 0; o.chunks && o.chunks[k] && ch < o.nchunks; ch++)
            lm_vector_free(o.chunks[k][ch]);
        if (o.chunks)
            free(o.chunks[k]);
        if (o.ints)
            free(o.ints[k]);
        if (o.dbls)
            free(o.dbls[k]);
    }
    for (int k = 0; c.keys && k < c.np + c.no; k++) {
        for (int b = 0; c.keys[k].vecs && b < nb; b++)
            lm_vector_free(c.keys[k].vecs[b]);
        free(c.keys[k].vecs);
        free(c.keys[k].dense);
    }
    free(c.okey_in);
    free(c.onull_in);
    free(c.okey);
    free(c.onull);
    free(argvecs);
    free(buckets);
    free(c.keys);
    free(c.base);
    free(c.perm);
    free(c.tmp);
    free(c.pstart);
    free(o.rank);
    free(o.ints);
    free(o.dbls);
    free(o.chunks);
    free(o.keep);
    lm_arena_free(&scratch);
    lm_arena_free(&c.vals);
    return st;
}

lm_status lm_op_window(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    return lm_op_window_cols(x, p, in, NULL, -1, 0, 0, out);
}

/* ------------------------------------------------------ group limit */

/* An integral constant (INT or LONG literal). */
static bool int_literal(const lm_expr *e, int64_t *v)
{
    if (e->kind != LM_EXPR_LITERAL || e->value.is_null ||
        (e->type->id != LM_TYPE_INT && e->type->id != LM_TYPE_LONG))
        return false;
    *v = e->value.u.i64;
    return true;
}

/* The input column an expression is, through aliases and widening casts
   of INT to LONG (which keep comparisons exact); -1 otherwise. */
static int column_of(const lm_expr *e)
{
    while (e->kind == LM_EXPR_ALIAS ||
           (e->kind == LM_EXPR_CAST && e->type->id == LM_TYPE_LONG &&
            e->args[0]->type->id == LM_TYPE_INT))
        e = e->args[0];
    return e->kind == LM_EXPR_BOUND ? e->ordinal : -1;
}

void lm_window_group_limit(lm_exec *x, const lm_plan *filter, const lm_plan **node, int *func,
                           int64_t *lo, int64_t *hi)
{
    *node = NULL;
    const lm_expr *c = filter->cond;
    while (c && c->kind == LM_EXPR_CALL && c->fn && strcmp(c->fn->name, "and") == 0)
        c = c->args[0]; /* the first conjunct: evaluated first, on every row */
    if (c == NULL || c->kind != LM_EXPR_CALL || c->fn == NULL || c->nargs != 2)
        return;
    const char *op = c->fn->name;
    int64_t k;
    int col;
    bool flip = false;
    if ((col = column_of(c->args[0])) >= 0 && int_literal(c->args[1], &k)) {
    } else if ((col = column_of(c->args[1])) >= 0 && int_literal(c->args[0], &k)) {
        flip = true;
    } else {
        return;
    }
    int64_t l = INT64_MIN, h = INT64_MAX;
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) {
        l = h = k;
    } else if (strcmp(op, flip ? ">=" : "<=") == 0) {
        h = k;
    } else if (strcmp(op, flip ? ">" : "<") == 0) {
        h = k == INT64_MIN ? k : k - 1;
        if (k == INT64_MIN)
            l = INT64_MAX; /* nothing passes */
    } else {
        return; /* lower bounds do not shorten a partition */
    }
    /* Spark uses the limit below a threshold only (default 1000) */
    int32_t threshold = 1000;
    if (x->session)
        lm_conf_get_int(x->session->conf, "spark.sql.optimizer.windowGroupLimitThreshold", 1000,
                        &threshold, NULL);
    if (h >= threshold)
        return;
    const lm_plan *p = filter->child;
    while (p && (p->kind == LM_PLAN_SUBQUERY_ALIAS || p->kind == LM_PLAN_PROJECT)) {
        if (p->kind == LM_PLAN_PROJECT) {
            if (col >= p->nexprs || (col = column_of(p->exprs[col])) < 0)
                return;
        }
        p = p->child;
    }
    if (p == NULL || p->kind != LM_PLAN_WINDOW || p->child == NULL)
        return;
    const lm_window_info *info = p->aux;
    int f = col - p->child->schema->nfields;
    if (f < 0 || f >= info->nfuncs)
        return;
    lm_window_rank r = lm_window_rank_of(info->funcs[f]);
    if (r != LM_WINDOW_ROW_NUMBER && r != LM_WINDOW_RANK && r != LM_WINDOW_DENSE_RANK)
        return;
    *node = p;
    *func = f;
    *lo = l;
    *hi = h;
}
