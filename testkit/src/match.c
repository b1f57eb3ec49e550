/*
 * Unordered row comparison as a multiset match. pyspark sorts both sides
 * and zips them; chispa sorts too. Sorting breaks on types Spark cannot
 * order (maps), makes a single missing row shift every later pair into a
 * "difference", and with a tolerance two nearly equal values can sort on
 * opposite sides of a third. Matching rows instead gives each row of one
 * side at most one partner on the other, counts duplicates, and leaves
 * exactly the rows that have no partner.
 *
 * Pass 1 pairs rows that are exactly equal, by hash (linear time for the
 * common case of equal frames). Pass 2 handles tolerance, which is not
 * transitive, so greedy pairing can miss a perfect match (a~b, b~c, a!~c):
 * rows are bucketed by a hash of their exact parts and, inside a bucket,
 * the unmatched rows are matched by augmenting paths (Kuhn's algorithm),
 * which may re-pair rows of pass 1. A bucket too large for that (many rows
 * differing only in floating values) is matched greedily within a sorted
 * window of one floating column, which is exact unless the tolerance chains
 * values together.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "types/decimal.h"

/* Augmenting paths cost up to bucket^2 comparisons in all: a few
   milliseconds at this size; larger buckets use the sorted window. */
#define TK_KUHN_MAX_BUCKET 512

bool tk_rows_equal(const tk_cmp *c, const tk_col *cols, int ncols, const lm_value *a,
                   const lm_value *e)
{
    for (int k = 0; k < ncols; k++)
        if (!tk_value_equal(c, cols[k].atype, &a[cols[k].acol], cols[k].etype, &e[cols[k].ecol]))
            return false;
    return true;
}

/* Hash of a row over the columns; columns whose two sides have different
   types are left out, because equal values of different types do not hash
   alike. */
static uint64_t row_hash(const tk_col *cols, int ncols, const lm_value *row, bool actual,
                         bool approx)
{
    uint64_t h = 0x726f77ULL;
    for (int k = 0; k < ncols; k++) {
        if (!lm_type_same_ignoring_nullable(cols[k].atype, cols[k].etype))
            continue;
        const lm_type *t = actual ? cols[k].atype : cols[k].etype;
        const lm_value *v = &row[actual ? cols[k].acol : cols[k].ecol];
        h = h * 1000003ULL ^ tk_value_hash(t, v, approx);
    }
    return h;
}

/* Open-addressing index from hash to the chain of expected rows having it. */
typedef struct hindex {
    int64_t cap;      /* power of two */
    uint64_t *hashes; /* per slot */
    int64_t *head;    /* per slot: first expected row, -1 if empty */
    int64_t *next;    /* per expected row: next row with the same hash */
} hindex;

static bool hindex_build(hindex *ix, const uint64_t *eh, int64_t ne)
{
    ix->cap = 16;
    while (ix->cap < ne * 2)
        ix->cap *= 2;
    ix->hashes = calloc((size_t)ix->cap, sizeof *ix->hashes);
    ix->head = malloc(sizeof *ix->head * (size_t)ix->cap);
    ix->next = malloc(sizeof *ix->next * (size_t)(ne ? ne : 1));
    if (ix->hashes == NULL || ix->head == NULL || ix->next == NULL)
        return false;
    for (int64_t i = 0; i < ix->cap; i++)
        ix->head[i] = -1;
    /* insert in reverse so each chain lists rows in their order */
    for (int64_t j = ne - 1; j >= 0; j--) {
        int64_t s = (int64_t)(eh[j] & (uint64_t)(ix->cap - 1));
        while (ix->head[s] >= 0 && ix->hashes[s] != eh[j])
            s = (s + 1) & (ix->cap - 1);
        ix->hashes[s] = eh[j];
        ix->next[j] = ix->head[s];
        ix->head[s] = j;
    }
    return true;
}

static int64_t hindex_find(const hindex *ix, uint64_t h)
{
    int64_t s = (int64_t)(h & (uint64_t)(ix->cap - 1));
    while (ix->head[s] >= 0) {
        if (ix->hashes[s] == h)
            return ix->head[s];
        s = (s + 1) & (ix->cap - 1);
    }
    return -1;
}

static void hindex_free(hindex *ix)
{
    free(ix->hashes);
    free(ix->head);
    free(ix->next);
}

typedef struct kuhn {
    const tk_cmp *c;
    const tk_col *cols;
    int ncols;
    lm_value *const *arows;
    lm_value *const *erows;
    int64_t *ma, *me;
    const int64_t *bucket_e; /* expected rows of the bucket */
    int64_t nb;
    int64_t *seen; /* per bucket slot: stamp of the last visit */
    int64_t stamp;
} kuhn;

/* Tries to give actual row i a partner, moving earlier partners along an
   alternating path when that frees one. */
static bool kuhn_augment(kuhn *k, int64_t i)
{
    for (int64_t b = 0; b < k->nb; b++) {
        int64_t j = k->bucket_e[b];
        if (k->seen[b] == k->stamp)
            continue;
        if (!tk_rows_equal(k->c, k->cols, k->ncols, k->arows[i], k->erows[j]))
            continue;
        k->seen[b] = k->stamp;
        if (k->me[j] < 0 || kuhn_augment(k, k->me[j])) {
            k->ma[i] = j;
            k->me[j] = i;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------ large tolerant buckets */

/* The numeric key of a windowed search: a top-level floating or decimal
   column. NULL sorts first, then numbers, then NaN; an infinity is a number
   that only its equal can match. */
typedef struct wkey {
    int cls; /* 0 NULL, 1 number, 2 NaN */
    double v;
    int64_t row;
} wkey;

static wkey key_of(const lm_type *t, const lm_value *v, int64_t row)
{
    wkey k = {0, 0, row};
    if (v->is_null)
        return k;
    double d = t->id == LM_TYPE_FLOAT    ? (double)v->u.f32
               : t->id == LM_TYPE_DOUBLE ? v->u.f64
                                         : lm_decimal_to_double(v->u.dec, t->scale);
    k.cls = isnan(d) ? 2 : 1;
    k.v = isnan(d) ? 0 : d;
    return k;
}

static int wkey_cmp(const void *x, const void *y)
{
    const wkey *a = x, *b = y;
    if (a->cls != b->cls)
        return a->cls - b->cls;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static bool is_approx_leaf(const lm_type *t)
{
    return t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE || t->id == LM_TYPE_DECIMAL;
}

/*
 * Greedy matching of a bucket too large for augmenting paths, without
 * comparing every pair: expected rows are sorted on one floating column and
 * each actual row looks only at the window where that column can be within
 * the tolerance. From |a - e| <= atol + rtol * |e| and |e| <= |a| + |a - e|
 * follows |a - e| <= (atol + rtol * |a|) / (1 - rtol); the window is that
 * wide (a little wider for rounding) and the full row test decides.
 * Returns false when no column fits or rtol >= 1 (the caller then scans).
 */
static bool match_windowed(const tk_cmp *c, const tk_col *cols, int ncols, lm_value *const *arows,
                           lm_value *const *erows, int64_t *ma, int64_t *me, const int64_t *ba,
                           int64_t nba, const int64_t *be, int64_t nbe, bool *oom)
{
    int k = 0;
    while (k < ncols && !(is_approx_leaf(cols[k].atype) && is_approx_leaf(cols[k].etype)))
        k++;
    if (k == ncols || c->rtol >= 1)
        return false;
    wkey *ek = malloc(sizeof *ek * (size_t)(nbe ? nbe : 1));
    if (ek == NULL) {
        *oom = true;
        return true;
    }
    for (int64_t y = 0; y < nbe; y++)
        ek[y] = key_of(cols[k].etype, &erows[be[y]][cols[k].ecol], be[y]);
    qsort(ek, (size_t)nbe, sizeof *ek, wkey_cmp);
    for (int64_t x = 0; x < nba; x++) {
        int64_t i = ba[x];
        if (ma[i] >= 0)
            continue;
        wkey a = key_of(cols[k].atype, &arows[i][cols[k].acol], i);
        wkey lo = a;
        double width = 0;
        if (a.cls == 1 && isfinite(a.v))
            width = (c->atol + c->rtol * fabs(a.v)) / (1 - c->rtol) * (1 + 1e-9) + 1e-300;
        lo.v = a.v - width;
        lo.row = INT64_MIN;
        /* first expected key >= lo */
        int64_t first = 0, last = nbe;
        while (first < last) {
            int64_t mid = first + (last - first) / 2;
            if (wkey_cmp(&ek[mid], &lo) < 0)
                first = mid + 1;
            else
                last = mid;
        }
        for (int64_t y = first; y < nbe; y++) {
            if (ek[y].cls != a.cls || (a.cls == 1 && ek[y].v > a.v + width))
                break;
            int64_t j = ek[y].row;
            if (me[j] < 0 && tk_rows_equal(c, cols, ncols, arows[i], erows[j])) {
                ma[i] = j;
                me[j] = i;
                break;
            }
        }
    }
    free(ek);
    return true;
}

/* Pass 2 for one bucket: actual rows `ba` and expected rows `be` agree on
   their exact parts. */
static bool match_bucket(const tk_cmp *c, const tk_col *cols, int ncols, lm_value *const *arows,
                         lm_value *const *erows, int64_t *ma, int64_t *me, const int64_t *ba,
                         int64_t nba, const int64_t *be, int64_t nbe)
{
    if (nbe > TK_KUHN_MAX_BUCKET || nba > TK_KUHN_MAX_BUCKET) {
        bool oom = false;
        if (match_windowed(c, cols, ncols, arows, erows, ma, me, ba, nba, be, nbe, &oom))
            return !oom;
        for (int64_t x = 0; x < nba; x++) {
            int64_t i = ba[x];
            if (ma[i] >= 0)
                continue;
            for (int64_t y = 0; y < nbe; y++) {
                int64_t j = be[y];
                if (me[j] < 0 && tk_rows_equal(c, cols, ncols, arows[i], erows[j])) {
                    ma[i] = j;
                    me[j] = i;
                    break;
                }
            }
        }
        return true;
    }
    kuhn k = {c, cols, ncols, arows, erows, ma, me, be, nbe, NULL, 0};
    k.seen = calloc((size_t)(nbe ? nbe : 1), sizeof *k.seen);
    if (k.seen == NULL)
        return false;
    for (int64_t x = 0; x < nba; x++) {
        if (ma[ba[x]] >= 0)
            continue;
        k.stamp++;
        kuhn_augment(&k, ba[x]);
    }
    free(k.seen);
    return true;
}

/* A row index with its bucket hash, sorted to bring buckets together. */
typedef struct keyed {
    uint64_t h;
    int64_t i;
} keyed;

static int keyed_cmp(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static keyed *bucket_keys(const tk_col *cols, int ncols, lm_value *const *rows, int64_t n,
                          bool actual)
{
    keyed *k = malloc(sizeof *k * (size_t)(n ? n : 1));
    if (k == NULL)
        return NULL;
    for (int64_t i = 0; i < n; i++) {
        k[i].h = row_hash(cols, ncols, rows[i], actual, true);
        k[i].i = i;
    }
    qsort(k, (size_t)n, sizeof *k, keyed_cmp);
    return k;
}

static bool tolerant_pass(const tk_cmp *c, const tk_col *cols, int ncols, lm_value *const *arows,
                          int64_t na, lm_value *const *erows, int64_t ne, int64_t *ma, int64_t *me)
{
    keyed *ak = bucket_keys(cols, ncols, arows, na, true);
    keyed *ek = bucket_keys(cols, ncols, erows, ne, false);
    int64_t *ai = malloc(sizeof *ai * (size_t)(na ? na : 1));
    int64_t *ei = malloc(sizeof *ei * (size_t)(ne ? ne : 1));
    bool ok = ak && ek && ai && ei;
    for (int64_t x = 0; ok && x < na; x++)
        ai[x] = ak[x].i;
    for (int64_t y = 0; ok && y < ne; y++)
        ei[y] = ek[y].i;
    /* walk both sorted lists bucket by bucket; a bucket with an unmatched
       row on both sides is worth matching */
    int64_t x = 0, y = 0;
    while (ok && x < na && y < ne) {
        uint64_t hx = ak[x].h, hy = ek[y].h;
        if (hx < hy) {
            x++;
            continue;
        }
        if (hy < hx) {
            y++;
            continue;
        }
        int64_t x2 = x, y2 = y;
        bool open_a = false, open_e = false;
        while (x2 < na && ak[x2].h == hx)
            open_a |= ma[ak[x2++].i] < 0;
        while (y2 < ne && ek[y2].h == hx)
            open_e |= me[ek[y2++].i] < 0;
        if (open_a && open_e)
            ok = match_bucket(c, cols, ncols, arows, erows, ma, me, ai + x, x2 - x, ei + y, y2 - y);
        x = x2;
        y = y2;
    }
    free(ak);
    free(ek);
    free(ai);
    free(ei);
    return ok;
}

bool tk_match_rows(const tk_cmp *c, const tk_col *cols, int ncols, lm_value *const *arows,
                   int64_t na, lm_value *const *erows, int64_t ne, int64_t *ma, int64_t *me)
{
    for (int64_t i = 0; i < na; i++)
        ma[i] = -1;
    for (int64_t j = 0; j < ne; j++)
        me[j] = -1;
    tk_cmp exact = *c;
    exact.rtol = exact.atol = 0;

    uint64_t *eh = malloc(sizeof *eh * (size_t)(ne ? ne : 1));
    if (eh == NULL)
        return false;
    for (int64_t j = 0; j < ne; j++)
        eh[j] = row_hash(cols, ncols, erows[j], false, false);
    hindex ix = {0};
    bool ok = hindex_build(&ix, eh, ne);
    /* pass 1: exact partners, the first unused one in expected's order */
    for (int64_t i = 0; ok && i < na; i++) {
        uint64_t h = row_hash(cols, ncols, arows[i], true, false);
        for (int64_t j = hindex_find(&ix, h); j >= 0; j = ix.next[j]) {
            if (me[j] < 0 && tk_rows_equal(&exact, cols, ncols, arows[i], erows[j])) {
                ma[i] = j;
                me[j] = i;
                break;
            }
        }
    }
    hindex_free(&ix);
    free(eh);
    if (!ok)
        return false;

    bool open_a = false, open_e = false;
    for (int64_t i = 0; i < na && !open_a; i++)
        open_a = ma[i] < 0;
    for (int64_t j = 0; j < ne && !open_e; j++)
        open_e = me[j] < 0;
    if (!open_a || !open_e || (c->rtol == 0 && c->atol == 0))
        return true;
    /* pass 2, for tolerance; without one, exact equality is an
       equivalence and pass 1's greedy pairing is already maximal */
    return tolerant_pass(c, cols, ncols, arows, na, erows, ne, ma, me);
}
