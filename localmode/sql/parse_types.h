/*
 * Minimal construction of lm_type values for the parser (CAST targets,
 * CREATE TABLE columns, literal types). Types built here live in the plan
 * arena with refcount -1, so lm_type_ref/unref treat them as static and
 * nobody frees them: they live exactly as long as the tree that holds
 * them. This keeps the parser independent of the shared type registry.
 * Every function returns NULL only when the arena is out of memory.
 */
#ifndef LM_SQL_PARSE_TYPES_H
#define LM_SQL_PARSE_TYPES_H

#include <stdbool.h>

#include "common/arena.h"
#include "types/type.h"

lm_type *sqlp_type_primitive(lm_arena *a, lm_type_id id);
lm_type *sqlp_type_decimal(lm_arena *a, int precision, int scale);
lm_type *sqlp_type_ym_interval(lm_arena *a, int start_field, int end_field);
lm_type *sqlp_type_dt_interval(lm_arena *a, int start_field, int end_field);
lm_type *sqlp_type_array(lm_arena *a, lm_type *elem, bool contains_null);
lm_type *sqlp_type_map(lm_arena *a, lm_type *key, lm_type *value, bool value_contains_null);
/* fields (names, comments, types) are referenced, not copied; the array is copied. */
lm_type *sqlp_type_struct(lm_arena *a, const lm_field *fields, int nfields);

#endif
