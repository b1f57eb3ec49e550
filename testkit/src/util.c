/*
 * Small bridges between the testkit and the engine's internals: turning a
 * parsed DDL schema into a refcounted type, wrapping rows as a DataFrame and
 * registering them as a temp view (what createOrReplaceTempView does for a
 * DataFrame built from local rows).
 */
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "catalog/catalog.h"
#include "session/session.h"
#include "sql/parser.h"

lm_type *tk_type_clone(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_DECIMAL:
        return lm_type_decimal(t->precision, t->scale);
    case LM_TYPE_YM_INTERVAL:
        return lm_type_ym_interval(t->start_field, t->end_field);
    case LM_TYPE_DT_INTERVAL:
        return lm_type_dt_interval(t->start_field, t->end_field);
    case LM_TYPE_ARRAY: {
        lm_type *e = tk_type_clone(t->elem);
        lm_type *r = e ? lm_type_array(e, t->contains_null) : NULL;
        lm_type_unref(e);
        return r;
    }
    case LM_TYPE_MAP: {
        lm_type *k = tk_type_clone(t->key);
        lm_type *v = tk_type_clone(t->value);
        lm_type *r = k && v ? lm_type_map(k, v, t->value_contains_null) : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return r;
    }
    case LM_TYPE_STRUCT: {
        lm_field *fs = calloc((size_t)(t->nfields ? t->nfields : 1), sizeof *fs);
        if (fs == NULL)
            return NULL;
        bool ok = true;
        for (int i = 0; i < t->nfields; i++) {
            fs[i] = t->fields[i];
            fs[i].type = tk_type_clone(t->fields[i].type);
            if (fs[i].type == NULL)
                ok = false;
        }
        lm_type *r = ok ? lm_type_struct(fs, t->nfields) : NULL;
        for (int i = 0; i < t->nfields; i++)
            lm_type_unref(fs[i].type);
        free(fs);
        return r;
    }
    default:
        return lm_type_primitive(t->id);
    }
}

lm_type *tk_parse_schema(const char *ddl, char **err)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error e;
    lm_error_init(&e);
    lm_type *parsed = NULL;
    lm_type *t = NULL;
    if (lm_parse_table_schema(ddl, &a, &parsed, &e) == LM_OK) {
        t = tk_type_clone(parsed);
        if (t == NULL && err)
            *err = strdup("out of memory");
    } else if (err) {
        *err = strdup(e.message ? e.message : "invalid schema");
    }
    lm_error_clear(&e);
    lm_arena_free(&a);
    return t;
}

lm_df *tk_df_from_table(lm_session *s, lm_table *t)
{
    return lm_df_from_table(s, t);
}

lm_status tk_register_view(lm_session *s, const char *name, lm_table *t)
{
    lm_catalog_entry *e = lm_catalog_entry_new(NULL, name, LM_CAT_VIEW);
    if (e == NULL)
        return lm_error_oom(&s->error);
    /* a temp view that carries rows and no SQL text resolves to its rows */
    e->temporary = true;
    e->table = lm_table_ref(t);
    lm_catalog_put(&s->catalog, e);
    return LM_OK;
}
