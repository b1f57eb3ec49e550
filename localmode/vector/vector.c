/*
 * Columnar vectors and batches (layout in vector.h).
 *
 * Invariants every function keeps, so that a failed append can always be
 * undone by lm_vector_truncate:
 *   - offsets-based vectors (string, binary, array, map) always own
 *     capacity + 1 offsets with offsets[0] == 0, even at capacity 0;
 *   - string and binary vectors always own a non-NULL heap, so a value's
 *     pointer is never computed from NULL;
 *   - a struct's children have exactly the struct's length (a null struct
 *     row appends a null to every child), so field i of row r is row r of
 *     child i, as in Arrow;
 *   - capacity only changes after every buffer has been grown, so a failed
 *     reserve leaves a consistent, merely over-allocated, vector.
 */
#include "vector.h"

#include "vector/strdict.h"

#include <stdlib.h>
#include <string.h>

#define MIN_GROW_ROWS 16
#define MIN_HEAP_BYTES 256

static inline int32_t *offsets_of(const lm_vector *v)
{
    return (int32_t *)v->data;
}

static bool has_offsets(lm_type_id id)
{
    return id == LM_TYPE_STRING || id == LM_TYPE_BINARY || id == LM_TYPE_ARRAY ||
           id == LM_TYPE_MAP;
}

static size_t bitmap_bytes(int32_t capacity)
{
    return ((size_t)capacity + 7) / 8;
}

static inline void set_valid(lm_vector *v, int32_t i, bool valid)
{
    uint8_t bit = (uint8_t)(1u << (i & 7));
    if (valid)
        v->validity[i >> 3] |= bit;
    else
        v->validity[i >> 3] &= (uint8_t)~bit;
}

/* ---------------------------------------------------------------------------
 * Lifetime
 * ------------------------------------------------------------------------- */

lm_vector *lm_vector_ref(lm_vector *v)
{
    if (v)
        atomic_fetch_add_explicit(&v->refcount, 1, memory_order_relaxed);
    return v;
}

bool lm_vector_is_shared(const lm_vector *v)
{
    return atomic_load_explicit(&((lm_vector *)v)->refcount, memory_order_acquire) > 1;
}

void lm_vector_free(lm_vector *v)
{
    if (v == NULL)
        return;
    if (atomic_fetch_sub_explicit(&v->refcount, 1, memory_order_acq_rel) > 1)
        return;
    for (int c = 0; c < v->nchildren; c++)
        lm_vector_free(v->children[c]);
    free(v->children);
    free(v->validity);
    free(v->data);
    free(v->heap);
    lm_vector_drop_codes(v);
    lm_type_unref(v->type);
    free(v);
}

lm_status lm_vector_reserve(lm_vector *v, int32_t capacity)
{
    if (capacity <= v->capacity)
        return LM_OK;
    lm_type_id id = v->type->id;

    size_t old_bytes = bitmap_bytes(v->capacity), new_bytes = bitmap_bytes(capacity);
    if (new_bytes > old_bytes || v->validity == NULL) {
        uint8_t *bits = realloc(v->validity, new_bytes);
        if (bits == NULL)
            return LM_ENOMEM;
        memset(bits + old_bytes, 0, new_bytes - old_bytes);
        v->validity = bits;
    }

    int width = lm_type_fixed_width(v->type);
    size_t data_bytes = 0;
    if (width > 0)
        data_bytes = (size_t)capacity * (size_t)width;
    else if (has_offsets(id))
        data_bytes = ((size_t)capacity + 1) * sizeof(int32_t);
    if (data_bytes > 0) {
        void *p = realloc(v->data, data_bytes);
        if (p == NULL)
            return LM_ENOMEM;
        v->data = p;
    }

    /* struct children always have the parent's length, so they need the
       parent's capacity; array and map children grow on their own */
    if (id == LM_TYPE_STRUCT) {
        for (int c = 0; c < v->nchildren; c++) {
            lm_status st = lm_vector_reserve(v->children[c], capacity);
            if (st != LM_OK)
                return st;
        }
    }
    v->capacity = capacity;
    return LM_OK;
}

lm_vector *lm_vector_new(const lm_type *t, int32_t capacity)
{
    if (t == NULL)
        return NULL;
    if (capacity < 0)
        capacity = 0;
    lm_vector *v = calloc(1, sizeof *v);
    if (v == NULL)
        return NULL;
    /* types are immutable; the const only says we do not change it */
    v->type = lm_type_ref((lm_type *)t);
    atomic_init(&v->refcount, 1);

    int nchildren = 0;
    if (t->id == LM_TYPE_ARRAY)
        nchildren = 1;
    else if (t->id == LM_TYPE_MAP)
        nchildren = 2;
    else if (t->id == LM_TYPE_STRUCT)
        nchildren = t->nfields;
    if (nchildren > 0) {
        v->children = calloc((size_t)nchildren, sizeof *v->children);
        if (v->children == NULL)
            goto fail;
        for (int c = 0; c < nchildren; c++) {
            const lm_type *ct = t->id == LM_TYPE_ARRAY ? t->elem
                                : t->id == LM_TYPE_MAP ? (c == 0 ? t->key : t->value)
                                                       : t->fields[c].type;
            v->children[c] = lm_vector_new(ct, capacity);
            if (v->children[c] == NULL)
                goto fail;
            v->nchildren++;
        }
    }

    if (has_offsets(t->id)) {
        v->data = calloc(1, sizeof(int32_t)); /* offsets[0] = 0 */
        if (v->data == NULL)
            goto fail;
    }
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_BINARY) {
        v->heap_cap = MIN_HEAP_BYTES;
        v->heap = malloc((size_t)v->heap_cap);
        if (v->heap == NULL)
            goto fail;
    }
    if (lm_vector_reserve(v, capacity) != LM_OK)
        goto fail;
    return v;

fail:
    lm_vector_free(v);
    return NULL;
}

void lm_vector_reset(lm_vector *v)
{
    lm_vector_drop_codes(v);
    v->length = 0;
    v->heap_len = 0;
    for (int c = 0; c < v->nchildren; c++)
        lm_vector_reset(v->children[c]);
}

void lm_vector_truncate(lm_vector *v, int32_t length)
{
    if (length < 0)
        length = 0;
    if (length >= v->length)
        return;
    lm_vector_drop_codes(v);
    switch (v->type->id) {
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        v->heap_len = offsets_of(v)[length];
        break;
    case LM_TYPE_ARRAY:
    case LM_TYPE_MAP:
        for (int c = 0; c < v->nchildren; c++)
            lm_vector_truncate(v->children[c], offsets_of(v)[length]);
        break;
    case LM_TYPE_STRUCT:
        for (int c = 0; c < v->nchildren; c++)
            lm_vector_truncate(v->children[c], length);
        break;
    default:
        break;
    }
    v->length = length;
}

/* ---------------------------------------------------------------------------
 * Growth
 * ------------------------------------------------------------------------- */

/* Room for one more row: doubling keeps appends amortised O(1). */
static lm_status ensure_one(lm_vector *v)
{
    if (v->length < v->capacity)
        return LM_OK;
    if (v->capacity == INT32_MAX)
        return LM_ENOMEM;
    int32_t cap = v->capacity < MIN_GROW_ROWS / 2 ? MIN_GROW_ROWS
                  : v->capacity > INT32_MAX / 2  ? INT32_MAX
                                                 : v->capacity * 2;
    return lm_vector_reserve(v, cap);
}

/* Room for n more heap bytes. Offsets are int32, as Arrow's non-large
   string layout, so a vector's heap stops at 2 GiB. */
static lm_status heap_reserve(lm_vector *v, int64_t n)
{
    int64_t need = v->heap_len + n;
    if (need <= v->heap_cap)
        return LM_OK;
    if (need > INT32_MAX)
        return LM_ENOMEM;
    int64_t cap = v->heap_cap * 2;
    if (cap < need)
        cap = need;
    if (cap < MIN_HEAP_BYTES)
        cap = MIN_HEAP_BYTES;
    if (cap > INT32_MAX)
        cap = INT32_MAX;
    char *p = realloc(v->heap, (size_t)cap);
    if (p == NULL)
        return LM_ENOMEM;
    v->heap = p;
    v->heap_cap = cap;
    return LM_OK;
}

/* ---------------------------------------------------------------------------
 * Append
 * ------------------------------------------------------------------------- */

lm_status lm_vector_append_null(lm_vector *v)
{
    lm_vector_drop_codes(v);
    lm_status st = ensure_one(v);
    if (st != LM_OK)
        return st;
    int32_t i = v->length;
    int width = lm_type_fixed_width(v->type);
    if (width > 0) {
        /* zeroed so kernels that compute over null slots read defined bytes */
        memset((char *)v->data + (size_t)i * (size_t)width, 0, (size_t)width);
    } else if (has_offsets(v->type->id)) {
        offsets_of(v)[i + 1] = offsets_of(v)[i];
    } else if (v->type->id == LM_TYPE_STRUCT) {
        for (int c = 0; c < v->nchildren; c++) {
            st = lm_vector_append_null(v->children[c]);
            if (st != LM_OK) {
                for (int k = 0; k < c; k++)
                    lm_vector_truncate(v->children[k], i);
                return st;
            }
        }
    }
    set_valid(v, i, false);
    v->length++;
    return LM_OK;
}

/* Appends n values to child; on failure the child is truncated back. */
static lm_status append_values(lm_vector *child, const lm_value *vals, int32_t n)
{
    int32_t old = child->length;
    for (int32_t j = 0; j < n; j++) {
        lm_status st = lm_vector_append(child, &vals[j]);
        if (st != LM_OK) {
            lm_vector_truncate(child, old);
            return st;
        }
    }
    return LM_OK;
}

lm_status lm_vector_append(lm_vector *v, const lm_value *val)
{
    lm_vector_drop_codes(v);
    if (val->is_null || v->type->id == LM_TYPE_NULL)
        return lm_vector_append_null(v);
    lm_status st = ensure_one(v);
    if (st != LM_OK)
        return st;
    int32_t i = v->length;
    void *d = v->data;

    switch (v->type->id) {
    case LM_TYPE_BOOLEAN:
        ((uint8_t *)d)[i] = val->u.b ? 1 : 0;
        break;
    case LM_TYPE_BYTE:
        ((int8_t *)d)[i] = (int8_t)val->u.i64;
        break;
    case LM_TYPE_SHORT:
        ((int16_t *)d)[i] = (int16_t)val->u.i64;
        break;
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        ((int32_t *)d)[i] = (int32_t)val->u.i64;
        break;
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        ((int64_t *)d)[i] = val->u.i64;
        break;
    case LM_TYPE_FLOAT:
        ((float *)d)[i] = val->u.f32;
        break;
    case LM_TYPE_DOUBLE:
        ((double *)d)[i] = val->u.f64;
        break;
    case LM_TYPE_DECIMAL:
        ((lm_int128 *)d)[i] = val->u.dec;
        break;
    case LM_TYPE_INTERVAL:
        ((lm_interval *)d)[i] = val->u.iv;
        break;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY: {
        int32_t len = val->u.str.len;
        st = heap_reserve(v, len);
        if (st != LM_OK)
            return st;
        if (len > 0)
            memcpy(v->heap + v->heap_len, val->u.str.ptr, (size_t)len);
        v->heap_len += len;
        offsets_of(v)[i + 1] = (int32_t)v->heap_len;
        break;
    }
    case LM_TYPE_ARRAY: {
        const lm_array_value *av = val->u.arr;
        st = append_values(v->children[0], av->elems, av->n);
        if (st != LM_OK)
            return st;
        offsets_of(v)[i + 1] = v->children[0]->length;
        break;
    }
    case LM_TYPE_MAP: {
        const lm_map_value *mv = val->u.map;
        st = append_values(v->children[0], mv->keys, mv->n);
        if (st != LM_OK)
            return st;
        st = append_values(v->children[1], mv->values, mv->n);
        if (st != LM_OK) {
            lm_vector_truncate(v->children[0], offsets_of(v)[i]);
            return st;
        }
        offsets_of(v)[i + 1] = v->children[0]->length;
        break;
    }
    case LM_TYPE_STRUCT: {
        const lm_struct_value *sv = val->u.st;
        lm_value missing = lm_value_null();
        for (int c = 0; c < v->nchildren; c++) {
            /* a struct value shorter than its type reads as trailing nulls */
            st = lm_vector_append(v->children[c], c < sv->n ? &sv->fields[c] : &missing);
            if (st != LM_OK) {
                for (int k = 0; k < c; k++)
                    lm_vector_truncate(v->children[k], i);
                return st;
            }
        }
        break;
    }
    default:
        break;
    }
    set_valid(v, i, true);
    v->length++;
    return LM_OK;
}

/* Appends src rows [from, to) to child; on failure the child is truncated back. */
static lm_status append_range(lm_vector *child, const lm_vector *src, int32_t from, int32_t to)
{
    int32_t old = child->length;
    for (int32_t k = from; k < to; k++) {
        lm_status st = lm_vector_append_from(child, src, k);
        if (st != LM_OK) {
            lm_vector_truncate(child, old);
            return st;
        }
    }
    return LM_OK;
}

/*
 * Copies a row without going through lm_value, so no arena is needed and
 * fixed-width rows are one memcpy. v may be src itself: indices stay valid
 * and every source pointer is re-read after any reallocation.
 */
lm_status lm_vector_append_from(lm_vector *v, const lm_vector *src, int32_t i)
{
    lm_vector_drop_codes(v);
    if (lm_vector_is_null(src, i))
        return lm_vector_append_null(v);
    lm_status st = ensure_one(v);
    if (st != LM_OK)
        return st;
    int32_t j = v->length;
    int width = lm_type_fixed_width(v->type);

    if (width > 0) {
        memcpy((char *)v->data + (size_t)j * (size_t)width,
               (const char *)src->data + (size_t)i * (size_t)width, (size_t)width);
    } else {
        switch (v->type->id) {
        case LM_TYPE_STRING:
        case LM_TYPE_BINARY: {
            int32_t start = offsets_of(src)[i], len = offsets_of(src)[i + 1] - start;
            st = heap_reserve(v, len);
            if (st != LM_OK)
                return st;
            if (len > 0)
                memcpy(v->heap + v->heap_len, src->heap + start, (size_t)len);
            v->heap_len += len;
            offsets_of(v)[j + 1] = (int32_t)v->heap_len;
            break;
        }
        case LM_TYPE_ARRAY:
        case LM_TYPE_MAP: {
            int32_t from = offsets_of(src)[i], to = offsets_of(src)[i + 1];
            for (int c = 0; c < v->nchildren; c++) {
                st = append_range(v->children[c], src->children[c], from, to);
                if (st != LM_OK) {
                    for (int k = 0; k < c; k++)
                        lm_vector_truncate(v->children[k], offsets_of(v)[j]);
                    return st;
                }
            }
            offsets_of(v)[j + 1] = v->children[0]->length;
            break;
        }
        case LM_TYPE_STRUCT:
            for (int c = 0; c < v->nchildren; c++) {
                st = lm_vector_append_from(v->children[c], src->children[c], i);
                if (st != LM_OK) {
                    for (int k = 0; k < c; k++)
                        lm_vector_truncate(v->children[k], j);
                    return st;
                }
            }
            break;
        default:
            break;
        }
    }
    set_valid(v, j, true);
    v->length++;
    return LM_OK;
}

/* ---------------------------------------------------------------------------
 * Read
 * ------------------------------------------------------------------------- */

/* Reads n consecutive child rows into a fresh arena array. */
static lm_value *get_range(const lm_vector *child, int32_t from, int32_t n, lm_arena *a)
{
    lm_value *vals = lm_arena_alloc(a, (size_t)n * sizeof *vals);
    if (vals == NULL)
        return NULL;
    for (int32_t k = 0; k < n; k++)
        if (!lm_vector_get(child, from + k, &vals[k], a))
            return NULL;
    return vals;
}

bool lm_vector_get(const lm_vector *v, int32_t i, lm_value *out, lm_arena *a)
{
    lm_value r = lm_value_null();
    if (lm_vector_is_null(v, i)) {
        *out = r;
        return true;
    }
    r.is_null = false;
    const void *d = v->data;
    /* primitives first: this is the hot path of row conversion */
    switch (v->type->id) {
    case LM_TYPE_BOOLEAN:
        r.u.b = ((const uint8_t *)d)[i] != 0;
        break;
    case LM_TYPE_BYTE:
        r.u.i64 = ((const int8_t *)d)[i];
        break;
    case LM_TYPE_SHORT:
        r.u.i64 = ((const int16_t *)d)[i];
        break;
    case LM_TYPE_INT:
    case LM_TYPE_DATE:
    case LM_TYPE_YM_INTERVAL:
        r.u.i64 = ((const int32_t *)d)[i];
        break;
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_DT_INTERVAL:
        r.u.i64 = ((const int64_t *)d)[i];
        break;
    case LM_TYPE_FLOAT:
        r.u.f32 = ((const float *)d)[i];
        break;
    case LM_TYPE_DOUBLE:
        r.u.f64 = ((const double *)d)[i];
        break;
    case LM_TYPE_DECIMAL:
        r.u.dec = ((const lm_int128 *)d)[i];
        break;
    case LM_TYPE_INTERVAL:
        r.u.iv = ((const lm_interval *)d)[i];
        break;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY: {
        int32_t start = offsets_of(v)[i];
        r.u.str.ptr = v->heap + start;
        r.u.str.len = offsets_of(v)[i + 1] - start;
        break;
    }
    case LM_TYPE_ARRAY: {
        int32_t from = offsets_of(v)[i], n = offsets_of(v)[i + 1] - from;
        lm_array_value *av = lm_arena_alloc(a, sizeof *av);
        if (av == NULL)
            return false;
        av->n = n;
        av->elems = get_range(v->children[0], from, n, a);
        if (av->elems == NULL)
            return false;
        r.u.arr = av;
        break;
    }
    case LM_TYPE_MAP: {
        int32_t from = offsets_of(v)[i], n = offsets_of(v)[i + 1] - from;
        lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
        if (mv == NULL)
            return false;
        mv->n = n;
        mv->keys = get_range(v->children[0], from, n, a);
        mv->values = mv->keys ? get_range(v->children[1], from, n, a) : NULL;
        if (mv->values == NULL)
            return false;
        r.u.map = mv;
        break;
    }
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
        if (sv == NULL)
            return false;
        sv->n = v->nchildren;
        sv->fields = lm_arena_alloc(a, (size_t)v->nchildren * sizeof *sv->fields);
        if (sv->fields == NULL)
            return false;
        for (int c = 0; c < v->nchildren; c++)
            if (!lm_vector_get(v->children[c], i, &sv->fields[c], a))
                return false;
        r.u.st = sv;
        break;
    }
    default:
        break;
    }
    *out = r;
    return true;
}

/* ---------------------------------------------------------------------------
 * Batches
 * ------------------------------------------------------------------------- */

lm_batch *lm_batch_new(const lm_type *schema, int32_t capacity)
{
    if (schema == NULL || schema->id != LM_TYPE_STRUCT)
        return NULL;
    lm_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->cols = calloc(schema->nfields > 0 ? (size_t)schema->nfields : 1, sizeof *b->cols);
    if (b->cols == NULL) {
        free(b);
        return NULL;
    }
    for (int c = 0; c < schema->nfields; c++) {
        b->cols[c] = lm_vector_new(schema->fields[c].type, capacity);
        if (b->cols[c] == NULL) {
            lm_batch_free(b);
            return NULL;
        }
        b->ncols++;
    }
    return b;
}

void lm_batch_free(lm_batch *b)
{
    if (b == NULL)
        return;
    for (int c = 0; c < b->ncols; c++)
        lm_vector_free(b->cols[c]);
    free(b->cols);
    free(b);
}

void lm_batch_reset(lm_batch *b)
{
    for (int c = 0; c < b->ncols; c++)
        lm_vector_reset(b->cols[c]);
    b->nrows = 0;
}

/* Undoes the columns [0, ncols) of a partly appended row. */
static void batch_undo(lm_batch *b, int ncols)
{
    for (int c = 0; c < ncols; c++)
        lm_vector_truncate(b->cols[c], b->nrows);
}

lm_status lm_batch_append_row(lm_batch *b, const lm_value *row)
{
    for (int c = 0; c < b->ncols; c++) {
        lm_status st = lm_vector_append(b->cols[c], &row[c]);
        if (st != LM_OK) {
            batch_undo(b, c);
            return st;
        }
    }
    b->nrows++;
    return LM_OK;
}

lm_status lm_batch_append_from(lm_batch *b, const lm_batch *src, int32_t i)
{
    for (int c = 0; c < b->ncols; c++) {
        lm_status st = lm_vector_append_from(b->cols[c], src->cols[c], i);
        if (st != LM_OK) {
            batch_undo(b, c);
            return st;
        }
    }
    b->nrows++;
    return LM_OK;
}

bool lm_batch_get_row(const lm_batch *b, int32_t i, lm_value *row, lm_arena *a)
{
    for (int c = 0; c < b->ncols; c++)
        if (!lm_vector_get(b->cols[c], i, &row[c], a))
            return false;
    return true;
}

bool lm_vector_valid_bytes(const lm_vector *v, int32_t n, uint8_t *out)
{
    if (v->type->id == LM_TYPE_NULL) {
        memset(out, 0, (size_t)n);
        return n == 0;
    }
    const uint8_t *bits = v->validity;
    uint8_t all = 0xFF;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint8_t byte = bits[i >> 3];
        all &= byte;
        /* bit k of the byte to byte k of a word, as 0 or 1 */
        uint64_t w = (uint64_t)byte * 0x0101010101010101ULL & 0x8040201008040201ULL;
        w = ((w + 0x7F7F7F7F7F7F7F7FULL) >> 7) & 0x0101010101010101ULL;
        memcpy(out + i, &w, 8);
    }
    bool every = all == 0xFF;
    for (; i < n; i++) {
        out[i] = (bits[i >> 3] >> (i & 7)) & 1;
        every &= out[i];
    }
    return every;
}

bool lm_vector_no_nulls(const lm_vector *v)
{
    if (v->type->id == LM_TYPE_NULL)
        return v->length == 0;
    int32_t n = v->length, i = 0;
    for (; i + 64 <= n; i += 64) {
        uint64_t w;
        memcpy(&w, v->validity + (i >> 3), 8);
        if (w != UINT64_MAX)
            return false;
    }
    for (; i + 8 <= n; i += 8)
        if (v->validity[i >> 3] != 0xFF)
            return false;
    for (; i < n; i++)
        if (!((v->validity[i >> 3] >> (i & 7)) & 1))
            return false;
    return true;
}
