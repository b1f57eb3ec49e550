/*
 * The Parquet data source: read and write Parquet files as Spark 3.5 does,
 * with our own Thrift footer codec (no Parquet library).
 *
 * Reading maps Parquet's physical/logical types to Spark's types with
 * Spark's rules (ParquetToSparkSchemaConverter), prefers the Spark schema
 * a Spark writer stored in the footer (`org.apache.spark.sql.parquet.row.
 * metadata`), assembles nested values from repetition/definition levels,
 * rebases pre-Gregorian dates and timestamps per Spark's rebase modes and
 * skips row groups whose statistics rule out pushed predicates.
 *
 * Writing follows Spark's ParquetWriteSupport with writeLegacyFormat=false:
 * 3-level lists, decimals in INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision,
 * timestamps as spark.sql.parquet.outputTimestampType says (INT96 by
 * default in 3.5), PLAIN and dictionary encodings in v1 data pages,
 * min/max/null_count statistics, the Spark schema JSON and version in the
 * footer's key/value metadata.
 *
 * Ownership: tables returned are new references the caller unrefs
 * (lm_table_unref). Errors go to the lm_error passed in.
 */
#ifndef LM_IO_PARQUET_PARQUET_H
#define LM_IO_PARQUET_PARQUET_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "common/error.h"
#include "common/fileio.h"
#include "types/type.h"
#include "types/value.h"

/* Spark's LegacyBehaviorPolicy for calendar rebasing. */
typedef enum lm_parquet_rebase {
    LM_PQ_REBASE_EXCEPTION = 0, /* Spark 3.5's default */
    LM_PQ_REBASE_CORRECTED,
    LM_PQ_REBASE_LEGACY
} lm_parquet_rebase;

/* A pushed filter: column <op> literal, on a top-level column. The literal
   is of the column's Spark type (ignored for IS [NOT] NULL). Predicates
   of one read are ANDed. */
typedef enum lm_parquet_op {
    LM_PQ_EQ,
    LM_PQ_LT,
    LM_PQ_LE,
    LM_PQ_GT,
    LM_PQ_GE,
    LM_PQ_IS_NULL,
    LM_PQ_IS_NOT_NULL
} lm_parquet_op;

typedef struct lm_parquet_pred {
    const char *column;
    lm_parquet_op op;
    lm_value literal;
} lm_parquet_pred;

typedef struct lm_parquet_read_opts {
    bool binary_as_string;    /* spark.sql.parquet.binaryAsString (false) */
    bool int96_as_timestamp;  /* spark.sql.parquet.int96AsTimestamp (true) */
    bool infer_timestamp_ntz; /* spark.sql.parquet.inferTimestampNTZ.enabled (true) */
    bool nanos_as_long;       /* spark.sql.legacy.parquet.nanosAsLong (false) */
    bool merge_schema;        /* mergeSchema option / spark.sql.parquet.mergeSchema (false) */
    bool case_sensitive;      /* spark.sql.caseSensitive (false) */
    lm_parquet_rebase datetime_rebase; /* spark.sql.parquet.datetimeRebaseModeInRead */
    lm_parquet_rebase int96_rebase;    /* spark.sql.parquet.int96RebaseModeInRead */
    const char *session_tz;   /* zone for LEGACY timestamp rebasing; NULL = UTC */
    const lm_type *schema;    /* user-specified schema (borrowed), NULL to infer */
    const lm_parquet_pred *preds;
    int npreds;
    /* per top-level field of the target schema: false reads the column as
       NULL without decoding it (projection pushdown); NULL = every column */
    const bool *columns_wanted;
    lm_fio_plan *fio;         /* I/O fault plan for tests (borrowed), NULL for none */
    /* out: statistics of the last read */
    int64_t row_groups_read, row_groups_skipped;
} lm_parquet_read_opts;

typedef enum lm_parquet_ts_type {
    LM_PQ_TS_INT96 = 0, /* Spark 3.5's default outputTimestampType */
    LM_PQ_TS_MICROS,
    LM_PQ_TS_MILLIS
} lm_parquet_ts_type;

typedef struct lm_parquet_write_opts {
    const char *compression;  /* none/uncompressed, snappy (default), gzip, zstd */
    lm_parquet_ts_type timestamp_type;
    lm_parquet_rebase datetime_rebase; /* spark.sql.parquet.datetimeRebaseModeInWrite */
    lm_parquet_rebase int96_rebase;    /* spark.sql.parquet.int96RebaseModeInWrite */
    bool dictionary;          /* parquet.enable.dictionary (true) */
    int64_t page_size;        /* parquet.page.size (1 MiB) */
    int64_t row_group_size;   /* parquet.block.size (128 MiB) */
    lm_fio_plan *fio;         /* I/O fault plan for tests (borrowed), NULL for none */
} lm_parquet_write_opts;

void lm_parquet_read_opts_init(lm_parquet_read_opts *o);
void lm_parquet_write_opts_init(lm_parquet_write_opts *o);

/*
 * Reads one file into a new table. The schema is the file's (Spark's
 * stored schema when present, else converted from the Parquet schema),
 * or opts->schema when given (columns missing from the file read as NULL).
 */
lm_status lm_parquet_read_file(const char *path, lm_parquet_read_opts *opts,
                               lm_table **out, lm_error *err);
/*
 * Reads several files or directories (a directory contributes its
 * non-hidden *.parquet files, sorted by name) into one table. The schema
 * is the first file's, the union of all files' with merge_schema, or the
 * user's. opts may be NULL.
 */
lm_status lm_parquet_read_paths(const char *const *paths, int npaths,
                                lm_parquet_read_opts *opts, lm_table **out, lm_error *err);
/* The schema a read of these paths would produce (new reference). */
lm_status lm_parquet_infer_schema(const char *const *paths, int npaths,
                                  const lm_parquet_read_opts *opts, lm_type **out, lm_error *err);

/* Writes the table to one Parquet file. codec NULL means snappy. */
lm_status lm_parquet_write_file(const lm_table *t, const char *path, const char *codec,
                                lm_error *err);
lm_status lm_parquet_write_file_opts(const lm_table *t, const char *path,
                                     const lm_parquet_write_opts *opts, lm_error *err);
/*
 * Writes the table as Spark lays out a job's output: dir/part-00000-<uuid>-
 * c000.<codec>.parquet plus _SUCCESS. The file is written under
 * dir/_temporary and renamed on success, so a failure leaves no part file.
 * dir is created when missing. *file_out (optional) receives the malloc'ed
 * path of the part file.
 */
lm_status lm_parquet_write_dir(const lm_table *t, const char *dir,
                               const lm_parquet_write_opts *opts, char **file_out,
                               lm_error *err);

/* Spark's StructType.json of a schema, malloc'ed; and its parser (NULL
   with err when the text is not a Spark schema). */
char *lm_parquet_schema_to_json(const lm_type *schema);
lm_type *lm_parquet_schema_from_json(const char *json, lm_error *err);

#endif
