/*
 * Engine memory accounting: a cap (spark.driver.memory) that operators
 * holding large working sets (sort buffers, aggregation and grouping
 * tables) reserve against, and spill to local disk (exec/spill.h) when a
 * reservation is refused, instead of growing until the process dies.
 *
 * Why reservations and not a counting allocator: only the operators that
 * can spill need to stop growing, and they know what their rows cost; the
 * many small allocations elsewhere (plans, expressions, results handed to
 * the caller) are bounded by the query, not by the data. Spark's unified
 * memory manager makes the same split (execution memory is what spills).
 *
 * Sharing. One lm_memcap per session, shared by all its tasks: the counters
 * are atomic, so tasks on worker threads reserve concurrently. A task that
 * is refused spills its own buffer and releases its own reservation; no
 * task is asked to spill for another (Spark's local mode behaves alike
 * for a single task per core).
 *
 * Sizes are estimates (exec/spill.h, spill_value_bytes): what a value
 * costs in memory, payloads included, not malloc's exact usage.
 */
#ifndef LM_COMMON_MEMCAP_H
#define LM_COMMON_MEMCAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct lm_memcap {
    int64_t limit;              /* bytes; <= 0 means no cap */
    atomic_llong used;          /* reserved now */
    atomic_llong peak;          /* most ever reserved at once */
    atomic_llong spills;        /* spill files written */
    atomic_llong spilled_bytes; /* bytes written to them */
} lm_memcap;

/* limit in bytes; <= 0: no cap (reservations always succeed). */
void lm_memcap_init(lm_memcap *m, int64_t limit);

/* Reserves n bytes if they fit under the cap; false (nothing reserved)
   otherwise. */
bool lm_memcap_try_reserve(lm_memcap *m, int64_t n);
/* Reserves n bytes whatever the cap: memory a caller must hold anyway
   (the one row that does not fit in an empty buffer). */
void lm_memcap_force(lm_memcap *m, int64_t n);
void lm_memcap_release(lm_memcap *m, int64_t n);
/* Records a spill of `bytes` bytes (for metrics and tests). */
void lm_memcap_note_spill(lm_memcap *m, int64_t bytes);

int64_t lm_memcap_used(lm_memcap *m);
int64_t lm_memcap_peak(lm_memcap *m);
int64_t lm_memcap_spills(lm_memcap *m);

/*
 * One operator's share: it adds the estimated size of each row it keeps
 * and reserves from the cap in chunks (so not every row costs an atomic
 * operation). When lm_memres_grow returns false the operator spills its
 * buffer and calls lm_memres_release, then goes on.
 */
typedef struct lm_memres {
    lm_memcap *cap; /* may be NULL: no accounting */
    int64_t held;   /* reserved from cap */
    int64_t used;   /* estimated bytes of the rows held */
} lm_memres;

void lm_memres_init(lm_memres *r, lm_memcap *cap);
/* Accounts n more bytes; false when the cap refuses them (nothing
   accounted: the caller spills, releases, and grows again). */
bool lm_memres_grow(lm_memres *r, int64_t n);
/* Accounts n bytes without asking (the first row after a spill). */
void lm_memres_force(lm_memres *r, int64_t n);
/* Gives everything back (after a spill, or at the end). */
void lm_memres_release(lm_memres *r);

#endif
