/*
 * In-memory catalog and table storage.
 */
#include "catalog.h"

#include "vector/strdict.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

lm_table *lm_table_new(const lm_type *schema)
{
    lm_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    /* a table can outlive the statement whose arena built its schema (the
       parser makes arena types): it keeps a heap copy of its own */
    t->schema = lm_type_clone(schema);
    if (t->schema == NULL) {
        free(t);
        return NULL;
    }
    t->refcount = 1;
    return t;
}

lm_table *lm_table_ref(lm_table *t)
{
    if (t)
        t->refcount++;
    return t;
}

void lm_table_unref(lm_table *t)
{
    if (t == NULL || --t->refcount > 0)
        return;
    for (int i = 0; i < t->nbatches; i++)
        lm_batch_free(t->batches[i]);
    free(t->batches);
    lm_type_unref(t->schema);
    if (t->source && --t->source->refcount == 0)
        t->source->destroy(t->source);
    free(t);
}

lm_table *lm_table_new_deferred(const lm_type *schema, lm_table_source *source)
{
    lm_table *t = lm_table_new(schema);
    if (t == NULL) {
        if (--source->refcount == 0)
            source->destroy(source);
        return NULL;
    }
    t->source = source;
    return t;
}

static lm_status push_batch(lm_table *t, lm_batch *b)
{
    if (t->nbatches == t->cap) {
        int cap = t->cap ? t->cap * 2 : 4;
        lm_batch **nb = realloc(t->batches, sizeof *nb * (size_t)cap);
        if (nb == NULL)
            return LM_ENOMEM;
        t->batches = nb;
        t->cap = cap;
    }
    t->batches[t->nbatches++] = b;
    return LM_OK;
}

lm_status lm_table_append_batch(lm_table *t, lm_batch *b)
{
    lm_status st = push_batch(t, b);
    if (st == LM_OK)
        t->nrows += b->nrows;
    return st;
}

/* Points v (and its children) at type t, an equal type that outlives the
   plan arena. Safe on shared vectors: the type is the same, only where it
   lives changes. */
static void retype(lm_vector *v, lm_type *t)
{
    if (v->type->id == LM_TYPE_NULL || v->type->id != t->id)
        return;
    lm_type *old = v->type;
    v->type = lm_type_ref(t);
    lm_type_unref(old);
    for (int c = 0; c < v->nchildren; c++) {
        lm_type *ct = t->id == LM_TYPE_ARRAY ? t->elem
                      : t->id == LM_TYPE_MAP ? (c == 0 ? t->key : t->value)
                      : c < t->nfields      ? t->fields[c].type
                                            : NULL;
        if (ct)
            retype(v->children[c], ct);
    }
}

/* A table over the same column vectors (shared, not copied) whose schema
   and vector types are heap copies: a query result's types may point into
   the plan arena of the DataFrame that computed it. */
lm_table *lm_table_detach(const lm_table *src)
{
    lm_type *schema = lm_type_clone(src->schema);
    lm_table *t = schema ? lm_table_new(schema) : NULL;
    lm_type_unref(schema);
    if (t && src->source) {
        t->source = src->source;
        t->source->refcount++;
    }
    for (int b = 0; t && b < src->nbatches; b++) {
        const lm_batch *sb = src->batches[b];
        lm_batch *nb = calloc(1, sizeof *nb);
        lm_vector **cols = calloc((size_t)sb->ncols + 1, sizeof *cols);
        if (nb == NULL || cols == NULL || lm_table_append_batch(t, nb) != LM_OK) {
            free(nb);
            free(cols);
            lm_table_unref(t);
            return NULL;
        }
        nb->cols = cols;
        nb->ncols = sb->ncols;
        nb->nrows = sb->nrows;
        /* appended while empty, so the table's count is added here */
        t->nrows += sb->nrows;
        for (int c = 0; c < sb->ncols; c++) {
            cols[c] = lm_vector_ref(sb->cols[c]);
            if (c < t->schema->nfields)
                retype(cols[c], t->schema->fields[c].type);
        }
    }
    return t;
}

/* A column is encoded when it has at most this many distinct values and
   they are at most half its rows: past that, codes rarely pay for the
   pass that builds them. */
#define DICT_VALUES_MAX 65536

void lm_table_encode_strings(lm_table *t)
{
    if (t->source != NULL || t->nbatches == 0 || t->schema->nfields == 0)
        return;
    lm_vector **col = malloc(sizeof *col * (size_t)t->nbatches);
    if (col == NULL)
        return;
    bool ok = true;
    int64_t half = t->nrows / 2 > 1 ? t->nrows / 2 : 1;
    int32_t max_values = half < DICT_VALUES_MAX ? (int32_t)half : DICT_VALUES_MAX;
    for (int c = 0; ok && c < t->schema->nfields; c++) {
        if (t->schema->fields[c].type->id != LM_TYPE_STRING)
            continue;
        int b = 0;
        for (; b < t->nbatches && c < t->batches[b]->ncols; b++)
            col[b] = t->batches[b]->cols[c];
        if (b == t->nbatches)
            ok = lm_strdict_encode(col, t->nbatches, max_values);
    }
    free(col);
}

lm_status lm_table_append_row(lm_table *t, const lm_value *row)
{
    lm_batch *last = t->nbatches ? t->batches[t->nbatches - 1] : NULL;
    /* a batch whose columns are shared with another table is read-only */
    bool shared = false;
    for (int c = 0; last && c < last->ncols && !shared; c++)
        shared = lm_vector_is_shared(last->cols[c]);
    if (last == NULL || last->nrows >= LM_BATCH_ROWS || shared) {
        last = lm_batch_new(t->schema, 64);
        if (last == NULL)
            return LM_ENOMEM;
        if (push_batch(t, last) != LM_OK) {
            lm_batch_free(last);
            return LM_ENOMEM;
        }
    }
    lm_status st = lm_batch_append_row(last, row);
    if (st == LM_OK)
        t->nrows++;
    return st;
}

void lm_catalog_init(lm_catalog *c)
{
    c->entries = NULL;
    c->current_db = NULL;
}

lm_catalog_entry *lm_catalog_entry_new(const char *db, const char *name, lm_catalog_kind kind)
{
    lm_catalog_entry *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    lm_arena_init(&e->arena, 8192);
    e->kind = kind;
    e->name = strdup(name);
    e->db = db ? strdup(db) : NULL;
    if (e->name == NULL || (db && e->db == NULL)) {
        lm_catalog_entry_free(e);
        return NULL;
    }
    return e;
}

void lm_catalog_entry_free(lm_catalog_entry *e)
{
    if (e == NULL)
        return;
    free(e->db);
    free(e->name);
    free(e->sql_text);
    free(e->provider);
    for (int i = 0; i < e->ncols; i++)
        free(e->col_names[i]);
    free(e->col_names);
    lm_table_unref(e->table);
    lm_table_unref(e->file_table);
    lm_arena_free(&e->arena);
    free(e);
}

void lm_catalog_free(lm_catalog *c)
{
    lm_catalog_entry *e = c->entries;
    while (e) {
        lm_catalog_entry *n = e->next;
        lm_catalog_entry_free(e);
        e = n;
    }
    free(c->current_db);
    lm_catalog_init(c);
}

static bool same_db(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcasecmp(a, b) == 0;
}

lm_catalog_entry *lm_catalog_find(lm_catalog *c, const char *db, const char *name)
{
    if (db == NULL) {
        for (lm_catalog_entry *e = c->entries; e; e = e->next)
            if (e->db == NULL && strcasecmp(e->name, name) == 0)
                return e;
        db = c->current_db ? c->current_db : "default";
    }
    for (lm_catalog_entry *e = c->entries; e; e = e->next)
        if (same_db(e->db, db) && strcasecmp(e->name, name) == 0)
            return e;
    return NULL;
}

void lm_catalog_put(lm_catalog *c, lm_catalog_entry *e)
{
    lm_catalog_drop(c, e->db ? e->db : NULL, e->name);
    e->next = c->entries;
    c->entries = e;
}

bool lm_catalog_drop(lm_catalog *c, const char *db, const char *name)
{
    for (lm_catalog_entry **p = &c->entries; *p; p = &(*p)->next) {
        lm_catalog_entry *e = *p;
        if (same_db(e->db, db) && strcasecmp(e->name, name) == 0) {
            *p = e->next;
            lm_catalog_entry_free(e);
            return true;
        }
    }
    return false;
}
