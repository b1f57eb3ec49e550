/*
 * Internals shared by the Parquet reader, writer and schema mapping: the
 * Parquet schema as a tree with the definition/repetition levels of every
 * node, the Spark type conversion, calendar rebasing and error helpers.
 */
#ifndef LM_IO_PARQUET_PQ_INT_H
#define LM_IO_PARQUET_PQ_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "meta.h"
#include "parquet.h"
#include "types/type.h"

/* Key/value metadata keys Spark writes and reads. */
#define PQ_SPARK_ROW_METADATA "org.apache.spark.sql.parquet.row.metadata"
#define PQ_SPARK_VERSION_KEY "org.apache.spark.version"
#define PQ_SPARK_LEGACY_DATETIME "org.apache.spark.legacyDateTime"
#define PQ_SPARK_LEGACY_INT96 "org.apache.spark.legacyINT96"
#define PQ_SPARK_TIMEZONE_KEY "org.apache.spark.timeZone"

/* One node of the Parquet schema tree. */
typedef struct pq_node {
    const pq_schema_elem *e;
    struct pq_node *parent;
    int nchildren;
    struct pq_node **children;
    int def;        /* max definition level at this node (inclusive) */
    int rep;        /* max repetition level at this node (inclusive) */
    int leaf;       /* leaf column index, -1 for groups */
    char *dotted;   /* path for messages ("a.list.element") */
} pq_node;

typedef struct pq_schema {
    pq_node *root;
    int nleaves;
    pq_node **leaves; /* by column index */
} pq_schema;

/* Builds the tree from the flat schema list (arena-owned). */
lm_status pq_schema_build(const pq_file_meta *m, lm_arena *a, pq_schema *out, lm_error *err);

typedef struct pq_convert_opts {
    bool binary_as_string, int96_as_timestamp, infer_timestamp_ntz, nanos_as_long;
} pq_convert_opts;

/* Spark type of a node (ParquetToSparkSchemaConverter), new reference. For
   the root: a struct of the top-level fields. */
lm_type *pq_node_to_type(const pq_node *n, const pq_convert_opts *o, lm_error *err);
/* The node's field nullability as Spark derives it. */
bool pq_node_nullable(const pq_node *n);

/*
 * How an array/map is laid out in Parquet, following Spark's rules:
 * `repeated` is the repeated node; `elem` is the node holding the element
 * (the repeated node itself for 2-level and bare repeated layouts).
 */
bool pq_list_shape(const pq_node *n, const pq_node **repeated, const pq_node **elem);
bool pq_map_shape(const pq_node *n, const pq_node **kv, const pq_node **key,
                  const pq_node **value);
bool pq_is_list(const pq_node *n);
bool pq_is_map(const pq_node *n);

/* Calendar rebasing (RebaseDateTime): hybrid Julian days/micros to
   proleptic Gregorian and back. */
int32_t pq_rebase_julian_to_gregorian_days(int32_t days);
int32_t pq_rebase_gregorian_to_julian_days(int32_t days);
int64_t pq_rebase_julian_to_gregorian_micros(int64_t micros, const char *tz);
int64_t pq_rebase_gregorian_to_julian_micros(int64_t micros, const char *tz);
/* 1582-10-15 as days; 1900-01-01T00:00:00Z as micros: the thresholds below
   which Spark's EXCEPTION mode refuses to read or write. */
#define PQ_LAST_SWITCH_JULIAN_DAY (-141427)
#define PQ_LAST_SWITCH_JULIAN_TS INT64_C(-2208988800000000)

/* One file's Spark schema without reading rows (new reference), and a
   read of one file into an existing table of the target schema. */
lm_type *pq_read_file_schema(const char *path, const lm_parquet_read_opts *o, lm_error *err);
lm_status pq_read_file_into(const char *path, lm_parquet_read_opts *o, const lm_type *target,
                            lm_table *t, lm_error *err);

/* Checks that a schema can be written (no NULL/calendar interval types,
   no empty structs), with Spark's errors, before any file is created. */
lm_status pq_check_schema(const lm_type *schema, lm_error *err);

/* Errors with Spark's classes. */
lm_status pq_err_corrupt(lm_error *err, const char *path, const char *what);
lm_status pq_err_rebase_read(lm_error *err, bool int96);
lm_status pq_err_rebase_write(lm_error *err, bool int96);

#endif
