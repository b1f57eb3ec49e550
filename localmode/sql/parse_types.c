/*
 * Arena-held lm_type construction for the SQL parser; see parse_types.h.
 */
#include "sql/parse_types.h"

#include <string.h>

static lm_type *new_type(lm_arena *a, lm_type_id id)
{
    lm_type *t = lm_arena_calloc(a, 1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->id = id;
    t->refcount = -1; /* arena-owned: ref/unref are no-ops */
    return t;
}

lm_type *sqlp_type_primitive(lm_arena *a, lm_type_id id)
{
    return new_type(a, id);
}

lm_type *sqlp_type_decimal(lm_arena *a, int precision, int scale)
{
    lm_type *t = new_type(a, LM_TYPE_DECIMAL);
    if (t != NULL) {
        t->precision = (uint8_t)precision;
        t->scale = (uint8_t)scale;
    }
    return t;
}

lm_type *sqlp_type_ym_interval(lm_arena *a, int start_field, int end_field)
{
    lm_type *t = new_type(a, LM_TYPE_YM_INTERVAL);
    if (t != NULL) {
        t->start_field = (uint8_t)start_field;
        t->end_field = (uint8_t)end_field;
    }
    return t;
}

lm_type *sqlp_type_dt_interval(lm_arena *a, int start_field, int end_field)
{
    lm_type *t = new_type(a, LM_TYPE_DT_INTERVAL);
    if (t != NULL) {
        t->start_field = (uint8_t)start_field;
        t->end_field = (uint8_t)end_field;
    }
    return t;
}

lm_type *sqlp_type_array(lm_arena *a, lm_type *elem, bool contains_null)
{
    lm_type *t = new_type(a, LM_TYPE_ARRAY);
    if (t != NULL) {
        t->elem = elem;
        t->contains_null = contains_null;
    }
    return t;
}

lm_type *sqlp_type_map(lm_arena *a, lm_type *key, lm_type *value, bool value_contains_null)
{
    lm_type *t = new_type(a, LM_TYPE_MAP);
    if (t != NULL) {
        t->key = key;
        t->value = value;
        t->value_contains_null = value_contains_null;
    }
    return t;
}

lm_type *sqlp_type_struct(lm_arena *a, const lm_field *fields, int nfields)
{
    lm_type *t = new_type(a, LM_TYPE_STRUCT);
    if (t == NULL)
        return NULL;
    t->nfields = nfields;
    if (nfields > 0) {
        t->fields = lm_arena_alloc(a, sizeof *fields * (size_t)nfields);
        if (t->fields == NULL)
            return NULL;
        memcpy(t->fields, fields, sizeof *fields * (size_t)nfields);
    }
    return t;
}
