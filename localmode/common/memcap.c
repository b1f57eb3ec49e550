/*
 * Engine memory accounting (see memcap.h): an atomic reservation counter
 * under a cap, and per-operator shares that reserve in chunks.
 */
#include "memcap.h"

#include <stddef.h>

/* A share reserves at least this much at a time. */
#define MEMRES_CHUNK (INT64_C(64) * 1024)

void lm_memcap_init(lm_memcap *m, int64_t limit)
{
    m->limit = limit;
    atomic_init(&m->used, 0);
    atomic_init(&m->peak, 0);
    atomic_init(&m->spills, 0);
    atomic_init(&m->spilled_bytes, 0);
}

static void note_peak(lm_memcap *m, long long now)
{
    long long p = atomic_load(&m->peak);
    while (now > p && !atomic_compare_exchange_weak(&m->peak, &p, now)) {
    }
}

bool lm_memcap_try_reserve(lm_memcap *m, int64_t n)
{
    if (n <= 0)
        return true;
    long long cur = atomic_load(&m->used);
    for (;;) {
        if (m->limit > 0 && cur + n > m->limit)
            return false;
        if (atomic_compare_exchange_weak(&m->used, &cur, cur + n)) {
            note_peak(m, cur + n);
            return true;
        }
    }
}

void lm_memcap_force(lm_memcap *m, int64_t n)
{
    if (n <= 0)
        return;
    note_peak(m, atomic_fetch_add(&m->used, n) + n);
}

void lm_memcap_release(lm_memcap *m, int64_t n)
{
    if (n > 0)
        atomic_fetch_sub(&m->used, n);
}

void lm_memcap_note_spill(lm_memcap *m, int64_t bytes)
{
    atomic_fetch_add(&m->spills, 1);
    atomic_fetch_add(&m->spilled_bytes, bytes);
}

int64_t lm_memcap_used(lm_memcap *m)
{
    return (int64_t)atomic_load(&m->used);
}

int64_t lm_memcap_peak(lm_memcap *m)
{
    return (int64_t)atomic_load(&m->peak);
}

int64_t lm_memcap_spills(lm_memcap *m)
{
    return (int64_t)atomic_load(&m->spills);
}

void lm_memres_init(lm_memres *r, lm_memcap *cap)
{
    r->cap = cap;
    r->held = 0;
    r->used = 0;
}

bool lm_memres_grow(lm_memres *r, int64_t n)
{
    if (r->cap == NULL || r->used + n <= r->held) {
        r->used += n;
        return true;
    }
    int64_t need = r->used + n - r->held;
    int64_t ask = need > MEMRES_CHUNK ? need : MEMRES_CHUNK;
    /* a chunk may not fit where the row does: then ask for the row only */
    if (!lm_memcap_try_reserve(r->cap, ask) &&
        (ask == need || !lm_memcap_try_reserve(r->cap, (ask = need))))
        return false;
    r->held += ask;
    r->used += n;
    return true;
}

void lm_memres_force(lm_memres *r, int64_t n)
{
    if (r->cap != NULL && r->used + n > r->held) {
        int64_t need = r->used + n - r->held;
        lm_memcap_force(r->cap, need);
        r->held += need;
    }
    r->used += n;
}

void lm_memres_release(lm_memres *r)
{
    if (r->cap != NULL)
        lm_memcap_release(r->cap, r->held);
    r->held = 0;
    r->used = 0;
}
