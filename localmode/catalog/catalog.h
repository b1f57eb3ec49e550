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
#include "common/error.h"
#include "common/status.h"
#include "plan/plan.h"
#include "vector/vector.h"

/* Rows of a table or a materialised result: a schema and batches. */
/*
 * A scan's request: the columns its consumer reads (need[i] for column i of
 * the table's schema; NULL = all) and filters it will apply anyway, ANDed.
 * A source may use them to read less (skip columns, files, row groups); the
 * rows it returns must still hold every row that passes the filters, with
 * NULL in the columns not needed.
 */
typedef enum lm_scan_op {
    LM_SCAN_EQ,
    LM_SCAN_LT,
    LM_SCAN_LE,
    LM_SCAN_GT,
    LM_SCAN_GE,
    LM_SCAN_IS_NULL,
    LM_SCAN_IS_NOT_NULL
} lm_scan_op;

typedef struct lm_scan_filter {
    int column;         /* of the table's schema */
    lm_scan_op op;
    lm_value literal;   /* of the column's type; unused for IS [NOT] NULL */
} lm_scan_filter;

typedef struct lm_scan_request {
    const bool *need;
    const lm_scan_filter *filters;
    int nfilters;
    /* out: what the source could skip */
    int64_t files_read, files_skipped;
    int64_t row_groups_read, row_groups_skipped;
} lm_scan_request;

/*
 * Rows still in files: Spark resolves a file relation's schema when it is
 * defined and reads the rows when a query runs, with the filters and
 * columns the query pushes down. Reference counted; shared by the tables
 * that detach from one read.
 */
typedef struct lm_table_source lm_table_source;
struct lm_table_source {
    int refcount;
    const char *format;  /* "Parquet" */
    lm_status (*scan)(lm_table_source *src, lm_scan_request *req, lm_table **out, lm_error *err);
    void (*destroy)(lm_table_source *src);
};

struct lm_table {
    lm_type *schema;   /* STRUCT, owned reference */
    int nbatches;
    int cap;
    lm_batch **batches;
    int64_t nrows;
    int refcount;
    lm_table_source *source; /* non-NULL: no batches; rows come from source->scan */
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
/* Gives the string columns of a materialised table dictionary codes
   (vector/strdict.h) where their values repeat enough to pay, as Spark's
   columnar cache encodes them. Codes only speed queries up: a column
   stays plain when memory runs out. */
void lm_table_encode_strings(lm_table *t);
/* A table of the schema whose rows source reads (takes the reference). */
lm_table *lm_table_new_deferred(const lm_type *schema, lm_table_source *source);

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
    /* a file view (USING parquet) while CACHE TABLE holds its rows in
       table: the file relation UNCACHE puts back */
    lm_table *file_table;
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
