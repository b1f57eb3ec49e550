/*
 * A hash table of rows (arrays of values with known types), used by
 * aggregation, DISTINCT and set operations. Keys are copied into the
 * table's arena; each key gets a dense index in insertion order, so
 * results built from it are deterministic.
 */
#ifndef LM_EXEC_ROWSET_H
#define LM_EXEC_ROWSET_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "types/value.h"

typedef struct lm_rowset {
    int width;
    lm_type *const *types;
    lm_arena arena;
    int64_t count;
    int64_t cap;          /* slots, power of two */
    int64_t *slots;       /* index + 1, 0 = empty */
    uint64_t *hashes;     /* per index */
    lm_value **rows;      /* per index */
    int64_t rows_cap;
} lm_rowset;

void lm_rowset_init(lm_rowset *s, int width, lm_type *const *types);
void lm_rowset_free(lm_rowset *s);
/* Finds or inserts key; *index receives its dense index, *inserted whether
   it is new. Returns false on allocation failure. */
bool lm_rowset_upsert(lm_rowset *s, const lm_value *key, int64_t *index, bool *inserted);
/* -1 when absent. */
int64_t lm_rowset_find(const lm_rowset *s, const lm_value *key);

#endif
