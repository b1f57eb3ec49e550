/*
 * Open-addressing hash table of rows with linear probing.
 */
#include "rowset.h"

#include <stdlib.h>
#include <string.h>

void lm_rowset_init(lm_rowset *s, int width, lm_type *const *types)
{
    memset(s, 0, sizeof *s);
    s->width = width;
    s->types = types;
    lm_arena_init(&s->arena, 64 * 1024);
}

void lm_rowset_free(lm_rowset *s)
{
    free(s->slots);
    free(s->hashes);
    free(s->rows);
    lm_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

static uint64_t row_hash(const lm_rowset *s, const lm_value *key)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < s->width; i++)
        h = lm_value_hash(s->types[i], &key[i], h) * 0xff51afd7ed558ccdULL + (uint64_t)i;
    return h;
}

static bool row_eq(const lm_rowset *s, const lm_value *a, const lm_value *b)
{
    for (int i = 0; i < s->width; i++)
        if (!lm_value_equal(s->types[i], &a[i], &b[i]))
            return false;
    return true;
}

static int64_t probe(const lm_rowset *s, const lm_value *key, uint64_t h, int64_t *slot)
{
    int64_t mask = s->cap - 1;
    int64_t i = (int64_t)(h & (uint64_t)mask);
    for (;;) {
        int64_t v = s->slots[i];
        if (v == 0) {
            *slot = i;
            return -1;
        }
        if (s->hashes[v - 1] == h && row_eq(s, s->rows[v - 1], key)) {
            *slot = i;
            return v - 1;
        }
        i = (i + 1) & mask;
    }
}

static bool grow(lm_rowset *s)
{
    int64_t ncap = s->cap ? s->cap * 2 : 64;
    int64_t *ns = calloc((size_t)ncap, sizeof *ns);
    if (ns == NULL)
        return false;
    free(s->slots);
    s->slots = ns;
    s->cap = ncap;
    for (int64_t k = 0; k < s->count; k++) {
        int64_t i = (int64_t)(s->hashes[k] & (uint64_t)(ncap - 1));
        while (s->slots[i])
            i = (i + 1) & (ncap - 1);
        s->slots[i] = k + 1;
    }
    return true;
}

int64_t lm_rowset_find(const lm_rowset *s, const lm_value *key)
{
    if (s->cap == 0)
        return -1;
    int64_t slot;
    return probe(s, key, row_hash(s, key), &slot);
}

bool lm_rowset_upsert(lm_rowset *s, const lm_value *key, int64_t *index, bool *inserted)
{
    if ((s->count + 1) * 2 > s->cap && !grow(s))
        return false;
    uint64_t h = row_hash(s, key);
    int64_t slot;
    int64_t found = probe(s, key, h, &slot);
    if (found >= 0) {
        *index = found;
        *inserted = false;
        return true;
    }
    if (s->count == s->rows_cap) {
        int64_t nc = s->rows_cap ? s->rows_cap * 2 : 64;
        lm_value **nr = realloc(s->rows, sizeof *nr * (size_t)nc);
        if (nr == NULL)
            return false;
        s->rows = nr;
        uint64_t *nh = realloc(s->hashes, sizeof *nh * (size_t)nc);
        if (nh == NULL)
            return false;
        s->hashes = nh;
        s->rows_cap = nc;
    }
    lm_value *copy = lm_arena_alloc(&s->arena, sizeof *copy * (size_t)(s->width ? s->width : 1));
    if (copy == NULL)
        return false;
    for (int i = 0; i < s->width; i++)
        if (!lm_value_copy(&s->arena, s->types[i], &key[i], &copy[i]))
            return false;
    s->rows[s->count] = copy;
    s->hashes[s->count] = h;
    s->slots[slot] = s->count + 1;
    *index = s->count++;
    *inserted = true;
    return true;
}
