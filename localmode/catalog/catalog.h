/*
 * The in-memory catalog: temporary views (session scoped), global temporary
 * views (the `global_temp` database) and tables created with CREATE TABLE.
 * A view keeps its analysed plan; a table keeps its rows as batches.
 */
#ifndef LM_CATALOG_CATALOG_H
#define LM_CATALOG_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"
#include "plan/plan.h"
#include "vector/vector.h"

/* Rows of a table or a materialised result: a schema and batches. */
struct lm_table {
    lm_type *schema;   /* STRUCT, owned reference */
    int nbatches;
    int cap;
    lm_batch **batches;
    int64_t nrows;
    int refcount;
};

lm_table *lm_table_new(const lm_type *schema);
lm_table *lm_table_ref(lm_table *t);
void lm_table_unref(lm_table *t);
/* Appends a row (values copied). */
lm_status lm_table_append_row(lm_table *t, const lm_value *row);
/* Takes ownership of b. */
lm_status lm_table_append_batch(lm_table *t, lm_batch *b);
/* A table sharing src's column vectors whose schema and vector types are
   heap copies, so it outlives the plan arena src's types may live in. */
lm_table *lm_table_detach(const lm_table *src);

typedef enum lm_catalog_kind { LM_CAT_VIEW, LM_CAT_TABLE } lm_catalog_kind;

typedef struct lm_catalog_entry {
    char *db;        /* NULL for temp views; "global_temp"; "default" */
    char *name;
    lm_catalog_kind kind;
    bool temporary;
    /* VIEW: the unresolved plan (re-analysed on use, so later views shadow
       as Spark does for temp views) and the arena that owns it */
    lm_arena arena;
    lm_plan *plan;
    char *sql_text;
    int ncols;
    char **col_names;  /* view column aliases */
    /* TABLE (and cached views): data */
    lm_table *table;
    char *provider;
    struct lm_catalog_entry *next;
} lm_catalog_entry;

typedef struct lm_catalog {
    lm_catalog_entry *entries;
    char *current_db;
} lm_catalog;

void lm_catalog_init(lm_catalog *c);
void lm_catalog_free(lm_catalog *c);
/* Finds by case-insensitive name; db NULL means temp view first, then the
   current database. */
lm_catalog_entry *lm_catalog_find(lm_catalog *c, const char *db, const char *name);
/* Inserts a new entry (replacing an existing one of the same db/name). The
   catalog takes ownership of e. */
void lm_catalog_put(lm_catalog *c, lm_catalog_entry *e);
bool lm_catalog_drop(lm_catalog *c, const char *db, const char *name);
lm_catalog_entry *lm_catalog_entry_new(const char *db, const char *name, lm_catalog_kind kind);
void lm_catalog_entry_free(lm_catalog_entry *e);

#endif
