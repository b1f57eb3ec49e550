/*
 * Dictionary codes of string columns (strdict.h).
 */
#include "vector/strdict.h"

#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"

lm_strdict *lm_strdict_ref(lm_strdict *d)
{
    if (d)
        atomic_fetch_add_explicit(&d->refcount, 1, memory_order_relaxed);
    return d;
}

void lm_strdict_unref(lm_strdict *d)
{
    if (d == NULL || atomic_fetch_sub_explicit(&d->refcount, 1, memory_order_acq_rel) > 1)
        return;
    free(d->off);
    free(d->heap);
    free(d->slots);
    free(d);
}

void lm_vector_drop_codes(lm_vector *v)
{
    if (v->codes == NULL)
        return;
    free(v->codes);
    v->codes = NULL;
    lm_strdict_unref(v->dict);
    v->dict = NULL;
}

static inline const char *value_of(const lm_strdict *d, int32_t code, int32_t *len)
{
    *len = d->off[code + 1] - d->off[code];
    return d->heap + d->off[code];
}

/* The code of s[0..n) in d, or -1; *slot is where the search stopped (the
   empty slot a new value would take). The NULL code is never in a slot. */
static int32_t probe(const lm_strdict *d, const char *s, int32_t n, uint32_t *slot)
{
    for (uint32_t i = (uint32_t)lm_bytes_hash(s, n) & d->mask;; i = (i + 1) & d->mask) {
        uint32_t e = d->slots[i];
        if (e == 0) {
            *slot = i;
            return -1;
        }
        int32_t len;
        const char *p = value_of(d, (int32_t)e - 1, &len);
        if (len == n && lm_bytes_eq(p, s, n))
            return (int32_t)e - 1;
    }
}

int32_t lm_strdict_find(const lm_strdict *d, const char *s, int32_t n)
{
    uint32_t slot;
    return probe(d, s, n, &slot);
}

bool lm_strdict_same(const lm_vector *v, int32_t rows, const lm_strdict **d)
{
    if (v->codes == NULL || v->length < rows || (*d != NULL && v->dict != *d))
        return false;
    *d = v->dict;
    return true;
}

/* A dictionary under construction: room for `cap` values before the
   arrays grow; the slot table stays at most half full. */
typedef struct builder {
    lm_strdict *d;
    int32_t cap;
    int64_t heap_cap;
} builder;

static bool grow_slots(lm_strdict *d)
{
    uint32_t nslots = (d->mask + 1) * 2;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return false;
    for (int32_t c = 0; c < d->size; c++) {
        if (c == d->null_code)
            continue;
        int32_t len;
        const char *p = value_of(d, c, &len);
        uint32_t i = (uint32_t)lm_bytes_hash(p, len) & (nslots - 1);
        while (slots[i] != 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)c + 1;
    }
    free(d->slots);
    d->slots = slots;
    d->mask = nslots - 1;
    return true;
}

/* Appends a value (s NULL: the NULL code) as the next code. */
static bool add_value(builder *b, const char *s, int32_t n)
{
    lm_strdict *d = b->d;
    if (d->size + 1 >= b->cap) {
        int32_t cap = b->cap * 2;
        int32_t *off = realloc(d->off, sizeof *off * ((size_t)cap + 1));
        if (off == NULL)
            return false;
        d->off = off;
        b->cap = cap;
    }
    int32_t at = d->off[d->size];
    if (at + (int64_t)n > b->heap_cap) {
        int64_t cap = b->heap_cap * 2 > at + (int64_t)n ? b->heap_cap * 2 : at + (int64_t)n;
        if (cap > INT32_MAX)
            return false;
        char *heap = realloc(d->heap, (size_t)cap);
        if (heap == NULL)
            return false;
        d->heap = heap;
        b->heap_cap = cap;
    }
    if (n > 0)
        memcpy(d->heap + at, s, (size_t)n);
    d->off[d->size + 1] = at + n;
    d->size++;
    return true;
}

/* The code of row i of v, added when new; -1 when memory ran out. */
static int32_t code_of(builder *b, const lm_vector *v, int32_t i)
{
    lm_strdict *d = b->d;
    if (lm_vector_is_null(v, i)) {
        if (d->null_code < 0) {
            if (!add_value(b, NULL, 0))
                return -1;
            d->null_code = d->size - 1;
        }
        return d->null_code;
    }
    const int32_t *off = v->data;
    const char *s = v->heap + off[i];
    int32_t n = off[i + 1] - off[i];
    uint32_t slot;
    int32_t code = probe(d, s, n, &slot);
    if (code >= 0)
        return code;
    if (!add_value(b, s, n))
        return -1;
    d->slots[slot] = (uint32_t)d->size;
    if ((uint32_t)d->size * 2 > d->mask && !grow_slots(d))
        return -1;
    return d->size - 1;
}

bool lm_strdict_encode(lm_vector **vecs, int n, int32_t max_values)
{
    for (int k = 0; k < n; k++)
        if (vecs[k]->type->id != LM_TYPE_STRING || vecs[k]->codes != NULL)
            return true;
    builder b = {.cap = 64, .heap_cap = 1024};
    int32_t **codes = calloc((size_t)n + 1, sizeof *codes);
    lm_strdict *d = calloc(1, sizeof *d);
    bool ok = codes && d;
    if (ok) {
        b.d = d;
        atomic_init(&d->refcount, 1);
        d->null_code = -1;
        d->mask = 63;
        d->off = calloc((size_t)b.cap + 1, sizeof *d->off);
        d->heap = malloc((size_t)b.heap_cap);
        d->slots = calloc((size_t)d->mask + 1, sizeof *d->slots);
        ok = d->off && d->heap && d->slots;
    }
    bool fits = true;
    for (int k = 0; ok && fits && k < n; k++) {
        const lm_vector *v = vecs[k];
        if ((codes[k] = malloc(sizeof **codes * ((size_t)v->length + 1))) == NULL) {
            ok = false;
            break;
        }
        for (int32_t i = 0; i < v->length; i++) {
            int32_t c = code_of(&b, v, i);
            if (c < 0) {
                ok = false;
                break;
            }
            codes[k][i] = c;
            if (d->size > max_values) {
                fits = false;
                break;
            }
        }
    }
    for (int k = 0; ok && fits && k < n; k++) {
        vecs[k]->codes = codes[k];
        vecs[k]->dict = lm_strdict_ref(d);
        codes[k] = NULL;
    }
    for (int k = 0; codes && k < n; k++)
        free(codes[k]);
    free(codes);
    lm_strdict_unref(d);
    return ok;
}
