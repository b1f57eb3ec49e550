/*
 * Helpers shared by the collection, array, higher-order and generator
 * families: building array/map/struct results in the evaluation arena,
 * Spark's map-key rules (NULL_MAP_KEY, spark.sql.mapKeyDedupPolicy), a hash
 * set of values for the distinct-based array functions, a stable sort with a
 * fallible comparator, and the argument checks these families repeat.
 * Internal to functions/.
 */
#ifndef LM_FUNCTIONS_COLL_UTIL_H
#define LM_FUNCTIONS_COLL_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "functions/fn_util.h"

/* ---------------------------------------------------------------- results */

lm_status cu_out_map(lm_eval_ctx *ec, lm_value *out, lm_value *keys, lm_value *vals, int32_t n);
lm_status cu_out_struct(lm_eval_ctx *ec, lm_value *out, lm_value *fields, int32_t n);
/* An empty (non-NULL) array. */
lm_status cu_out_empty_array(lm_eval_ctx *ec, lm_value *out);

/* ------------------------------------------------------------ value sets */

/* Open-addressing set of non-NULL values of one type, kept in ec->arena.
   Equality is lm_value_equal (NaN = NaN, -0.0 = 0.0), as Spark's
   array_distinct/array_union and map keys compare. */
typedef struct cu_vset {
    lm_eval_ctx *ec;
    const lm_type *type;
    int32_t n, cap;      /* cap: power of two */
    int32_t *slots;      /* index + 1 into vals, 0 = empty */
    lm_value *vals;
    int32_t vcap;
} cu_vset;

void cu_vset_init(cu_vset *s, lm_eval_ctx *ec, const lm_type *type);
/* Index of v in the set, or -1. */
int32_t cu_vset_find(const cu_vset *s, const lm_value *v);
/* Adds v if absent; *index receives its position (insertion order) and
   *added whether it is new. LM_ENOMEM on allocation failure. */
lm_status cu_vset_add(cu_vset *s, const lm_value *v, int32_t *index, bool *added);

/* ----------------------------------------------------------- map builder */

/*
 * Builds a map value the way Spark's ArrayBasedMapBuilder does: a NULL key
 * raises NULL_MAP_KEY; a repeated key raises DUPLICATED_MAP_KEY unless
 * spark.sql.mapKeyDedupPolicy is LAST_WIN, in which case the later value
 * replaces the earlier one in the earlier key's position.
 */
typedef struct cu_map_builder {
    lm_eval_ctx *ec;
    const lm_type *key_type;
    bool last_win;
    cu_vset keys;
    lm_value *values;
    int32_t vcap;
} cu_map_builder;

void cu_mb_init(cu_map_builder *b, lm_eval_ctx *ec, const lm_type *key_type);
lm_status cu_mb_put(cu_map_builder *b, const lm_value *k, const lm_value *v);
lm_status cu_mb_finish(cu_map_builder *b, lm_value *out);

/* NULL_MAP_KEY, raised at run time. */
lm_status cu_null_map_key(lm_eval_ctx *ec);

/* ------------------------------------------------------------------ sort */

/* Comparator: returns <0, 0, >0; may fail by setting *st (lambda errors). */
typedef int (*cu_cmp_fn)(void *ctx, const lm_value *a, const lm_value *b, lm_status *st);

/* Stable merge sort (Spark sorts arrays with Java's stable TimSort). */
lm_status cu_sort(lm_eval_ctx *ec, lm_value *v, int32_t n, cu_cmp_fn cmp, void *ctx);

/* ------------------------------------------------------------- resolving */

bool cu_is_array(const lm_expr *e);
bool cu_is_map(const lm_expr *e);
/* Keeps t alive in the resolve arena and returns it (NULL stays NULL). */
lm_type *cu_keep(lm_resolve_ctx *rc, lm_type *t);
/* Argument i must be an array; an untyped NULL becomes ARRAY<VOID> as
   Spark's implicit cast does. Otherwise UNEXPECTED_INPUT_TYPE "ARRAY". */
lm_status cu_need_array(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err);
/* Same for maps ("MAP"). */
lm_status cu_need_map(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err);
/* Argument i cast implicitly to INT ("INT" when impossible). */
lm_status cu_need_int(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err);
/* ARRAY<elem> with containsNull, kept in rc's arena. */
lm_type *cu_array_of(lm_resolve_ctx *rc, const lm_type *elem, bool contains_null);
/* The error parameter spelling `name` of a function, e.g. "`array_union`". */
const char *cu_fname(lm_resolve_ctx *rc, const lm_expr *call);
/* Spark's DATA_DIFF_TYPES: "Input to `f` should all be the same type". */
lm_status cu_data_diff_types(lm_resolve_ctx *rc, lm_expr *call, int from, int step,
                             lm_error *err);

/* Reads spark.sql.* boolean / string confs of the evaluating session. */
bool cu_conf_bool(const lm_eval_ctx *ec, const char *key, bool dflt);

#endif
