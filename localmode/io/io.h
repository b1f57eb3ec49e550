/*
 * The file data sources (CSV, JSON, text): what the files of the io/ folder
 * share. Spark splits the work the same way: DataSource resolves paths and
 * partitions (source.c, partition.c), a FileFormat infers a schema and reads
 * rows (csv_*.c, json_*.c, text.c), a FailureSafeParser applies the parse
 * modes (rowsink.c), and the write path goes through a commit protocol that
 * stages files under <path>/_temporary (commit.c, write.c).
 *
 * Everything here works on UTF-8 text held in memory: a file is read whole,
 * decompressed by its extension and decoded from the `encoding` option, and
 * the parsers then walk the bytes. Local files are small enough for this,
 * and it keeps every parser a plain loop over a byte range.
 *
 * Errors go to the lm_error passed in (normally the session's), with the
 * exception, error class and message Spark gives.
 */
#ifndef LM_IO_IO_H
#define LM_IO_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "localmode.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/xorshift.h"
#include "types/datetime_format.h"
#include "types/timezone.h"

struct lm_session;

#define IO_EXC_SPARK "org.apache.spark.SparkException"
#define IO_EXC_ILLEGAL_ARG "java.lang.IllegalArgumentException"
#define IO_EXC_CHARSET "java.nio.charset.UnsupportedCharsetException"

/* ------------------------------------------------------------ options */

/* Reader/writer options: keys compared case-insensitively, as Spark's
   CaseInsensitiveMap; a later set of the same key replaces the value. */
struct lm_options {
    int n, cap;
    char **keys;
    char **values; /* a NULL value means "set to null" (Spark: the default) */
};

/* The value of key, or NULL when unset (or set to null). */
const char *io_opt(const lm_options *o, const char *key);
/* The value of the first key of a NULL-terminated alias list that is set. */
const char *io_opt_any(const lm_options *o, const char *const *keys);
/* Spark's getBool: "true"/"false" in any case, anything else fails with
   "<key> flag can be true or false". */
lm_status io_opt_bool(lm_error *err, const lm_options *o, const char *key, bool dflt, bool *out);
/* Spark's getInt (Integer.parseInt); fails with "<key> should be an integer.
   Found <value>". */
lm_status io_opt_int(lm_error *err, const lm_options *o, const char *key, int dflt, int *out);

/* A character option (quote, escape, comment) as UTF-8 bytes; len 0 means
   disabled ('\u0000' in Spark). */
typedef struct io_sym {
    char b[8];
    int len;
} io_sym;

/* Spark's getChar: unset or null -> dflt (a single ASCII char, or 0 for
   none), "" -> disabled, one character -> it, longer -> error
   "<key> cannot be more than one character". */
lm_status io_opt_sym(lm_error *err, const lm_options *o, const char *key, char dflt, io_sym *out);

typedef enum io_mode { IO_PERMISSIVE, IO_DROPMALFORMED, IO_FAILFAST } io_mode;
/* ParseMode.fromString: case-insensitive, unknown values mean PERMISSIVE. */
io_mode io_opt_mode(const lm_options *o);

/* The zone of the `timeZone` option, else the session's. */
lm_status io_opt_zone(lm_error *err, const lm_options *o, const struct lm_session *s,
                      const lm_tz **out);
/* The corrupt-record column: option, else spark.sql.columnNameOfCorruptRecord,
   else "_corrupt_record". */
const char *io_corrupt_column(const lm_options *o, const struct lm_session *s);

/* samplingRatio: default 1.0; <= 0 fails with Spark's message. */
lm_status io_opt_sampling(lm_error *err, const lm_options *o, double *out);

/* --------------------------------------------------------- file bytes */

/* A malloc'ed byte buffer. */
typedef struct io_buf {
    char *data;
    size_t len, cap;
} io_buf;

void io_buf_free(io_buf *b);
bool io_buf_append(io_buf *b, const void *p, size_t n);

/* Reads a whole file, decompressing by extension (.gz, .deflate, .zst) as
   Hadoop's codec factory does. Bytes come through common/fileio, with the
   fault plan (may be NULL) of the read or write in progress. */
lm_status io_read_file(lm_error *err, lm_fio_plan *faults, const char *path, io_buf *out);
/* The session's test fault plan (spark.localmode.test.ioFaults), parsed
   for one read or write; *out NULL when unset. */
lm_status io_fault_plan(struct lm_session *s, lm_error *err, lm_fio_plan **out);

/* Whether iconv knows the charset (Java's Charset.forName); fails with
   java.nio.charset.UnsupportedCharsetException otherwise. */
lm_status io_charset_check(lm_error *err, const char *charset);
/* True for UTF-8 under any of Java's spellings. */
bool io_charset_is_utf8(const char *charset);
/*
 * Decodes buf from charset into UTF-8 in place. A leading UTF-8 BOM is
 * dropped (Hadoop's line reader does so); UTF-16/UTF-32 without an endian
 * suffix honour a BOM and default to big endian, as Java does. Invalid input
 * becomes U+FFFD, as Java's decoders replace it.
 */
lm_status io_decode(lm_error *err, const char *charset, io_buf *buf);
/* Replaces ill-formed UTF-8 with U+FFFD (one per maximal bad subpart, as
   java.lang.String's decoder) and drops a leading BOM. */
lm_status io_utf8_clean(lm_error *err, io_buf *buf);
/* True when the bytes are well-formed UTF-8. */
bool io_utf8_valid(const char *p, size_t n);
/* Jackson's encoding detection from the first bytes (BOM or zero-byte
   pattern): "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE" or "UTF-32LE". */
const char *io_detect_json_charset(const char *p, size_t n);
/* Encodes UTF-8 text into charset for writers; Java's "UTF-16" writes a
   big-endian BOM first, "UTF-32" big endian without one. */
lm_status io_encode(lm_error *err, const char *charset, io_buf *buf);

/* Line iteration as Hadoop's LineRecordReader: with sep NULL a line ends at
   \n, \r or \r\n; otherwise at the exact separator bytes. A trailing
   separator does not start an extra (empty) line. */
typedef struct io_lines {
    const char *p;
    size_t n, pos;
    const char *sep;
    size_t seplen;
} io_lines;

void io_lines_init(io_lines *it, const char *p, size_t n, const char *sep);
bool io_lines_next(io_lines *it, const char **line, size_t *len);

/* Compression of written files: NULL codec = none. */
typedef struct io_codec {
    const char *name;      /* "gzip", "deflate", "zstd" or NULL */
    const char *extension; /* ".gz", ".deflate", ".zst" or "" */
} io_codec;

/* The `compression` (alias `codec`) option as Spark's CompressionCodecs. */
lm_status io_opt_codec(lm_error *err, const lm_options *o, io_codec *out);
/* Writes data to path (created or truncated), compressed with codec. */
lm_status io_write_file(lm_error *err, lm_fio_plan *faults, const char *path, const char *data,
                        size_t len, const io_codec *codec);

/* ---------------------------------------------------- paths and files */

typedef struct io_file {
    char *path;     /* absolute */
    int64_t size;
    int part;       /* index of its partition directory in io_source, -1 none */
} io_file;

/*
 * The files a read covers and their partition values, as Spark's
 * InMemoryFileIndex and PartitioningUtils find them: files in the order
 * Spark's scan puts them (largest first, ties by path), partition columns
 * typed as PartitioningUtils infers them.
 */
typedef struct io_source {
    lm_arena arena;
    int nfiles;
    io_file *files;
    lm_type *part_schema;   /* STRUCT; 0 fields when not partitioned */
    int nparts;
    lm_value **part_values; /* per partition directory, one value per column */
} io_source;

/* Lists paths (files, folders, globs). user_schema (may be NULL) gives the
   types of partition columns it names. */
lm_status io_source_list(struct lm_session *s, lm_error *err, char *const *paths, int npaths,
                         const lm_options *o, const lm_type *user_schema, io_source *out);
void io_source_free(io_source *src);

/* Spark's InMemoryFileIndex.shouldFilterOutPathName. */
bool io_is_hidden_name(const char *name);

/* PartitioningUtils: "a=1" -> column and raw value (unescaped). Internal to
   source listing but exported for tests. */
lm_status io_partition_discover(struct lm_session *s, lm_error *err, io_source *src,
                                char **base_paths, int nbase, const lm_type *user_schema);

/* ExternalCatalogUtils.escapePathName / unescapePathName. */
void io_escape_path_name(lm_strbuf *sb, const char *s, size_t n);
char *io_unescape_path_name(lm_arena *a, const char *s, size_t n);

#define IO_DEFAULT_PARTITION "__HIVE_DEFAULT_PARTITION__"

/* ------------------------------------------------------ row assembly */

/*
 * Collects rows into a table, in batches of LM_BATCH_ROWS, and applies
 * Spark's FailureSafeParser rules to malformed records. A reader hands over
 * the data columns of one record; the sink adds the partition values of the
 * file and the corrupt-record text.
 */
typedef struct io_sink {
    lm_error *err;
    lm_table *table;       /* full schema: data columns then partition columns */
    lm_batch *cur;
    int ndata;             /* data columns the reader converts (corrupt column excluded) */
    int *data_to_full;     /* full column of each data column */
    int nfull;
    int corrupt_full;      /* full column of the corrupt-record text, -1 none */
    int npart;
    int *part_to_full;     /* full column of each partition column, -1 when shadowed */
    int *overlap_part;     /* per data column: partition column that overrides it, -1 */
    const io_source *src;
    io_mode mode;
    lm_value *row;         /* scratch, nfull */
    lm_arena scratch;
} io_sink;

/*
 * Builds the output schema from the data schema (which may contain the
 * corrupt-record column) and the partition schema of src, as
 * HadoopFsRelation does: data columns first, a partition column with a data
 * column's name replaces it in place, other partition columns follow.
 * *out_data receives the data schema without the corrupt column (what the
 * parser fills).
 */
lm_status io_sink_init(io_sink *k, lm_error *err, const lm_type *data_schema,
                       const char *corrupt_col, const io_source *src, io_mode mode,
                       lm_type **out_data);
/* A well-formed record of file f: vals holds ndata values. */
lm_status io_sink_row(io_sink *k, int file, const lm_value *vals);
/*
 * A malformed record: vals is the partial result (NULL for none, meaning all
 * nulls), text the raw record. PERMISSIVE keeps it with the corrupt column
 * set, DROPMALFORMED drops it, FAILFAST fails with
 * MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION. cause (may be NULL) is a
 * short text of why, kept in the message for FAILFAST.
 */
lm_status io_sink_bad(io_sink *k, int file, const lm_value *vals, const char *text, size_t len,
                      const char *cause);
/* Hands the table over (the sink is then empty). */
lm_table *io_sink_finish(io_sink *k);
void io_sink_free(io_sink *k);

/* The data schema's field for column i of the sink's data columns. */
const lm_type *io_sink_data_type(const io_sink *k, int i);

/* UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE for column col of type t. */
lm_status io_unsupported_type_error(lm_error *err, const char *format, const char *col,
                                    const lm_type *t);
/* The corrupt-record column exists but is not a string. */
lm_status io_corrupt_type_error(lm_error *err);
/* COLUMN_ALREADY_EXISTS when two columns (at any struct level) share a
   name, case-insensitively unless case_sensitive. */
lm_status io_check_duplicate_columns(lm_error *err, const lm_type *t, bool case_sensitive);

/* Appends GenericInternalRow.toString of a row, as Spark's FAILFAST message
   shows the bad record ("[2015,Chevy,Volt,null,null]"). */
void io_row_string(lm_strbuf *sb, const lm_type *schema, const lm_value *row);

/* ----------------------------------------------------- shared parsing */

/* Java's Integer/Long.parseLong (strict: optional sign, ASCII digits). */
bool io_java_parse_long(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out);
/* Java's Double.parseDouble / Float.parseFloat grammar (trims <= ' ',
   NaN/Infinity, hex, f/d suffix). */
bool io_java_parse_double(const char *s, size_t n, double *out);
bool io_java_parse_float(const char *s, size_t n, float *out);
/* java.math.BigDecimal(String) grammar; on success the (precision, scale) of
   the BigDecimal (scale may be negative). */
bool io_java_bigdecimal(const char *s, size_t n, int *precision, int *scale);
/* BigDecimal.toString of unscaled x 10^-scale (scientific when the adjusted
   exponent is below -6), as Spark's writers print decimals. */
void io_java_decimal_string(lm_strbuf *sb, lm_int128 unscaled, int scale);

/* Datetime parsing shared by CSV and JSON. */
typedef struct io_datetime {
    const lm_tz *tz;
    lm_dtf *date_fmt;  /* dateFormat, NULL when not given */
    lm_dtf *ts_fmt;    /* timestampFormat */
    lm_dtf *ntz_fmt;   /* timestampNTZFormat */
    lm_dtf *date_default; /* "yyyy-MM-dd", for inference */
} io_datetime;

/* Compiles the read patterns from the options (dateFormat, timestampFormat,
   timestampNTZFormat) for parsing. */
lm_status io_datetime_init(io_datetime *d, lm_error *err, const lm_options *o, const lm_tz *tz);
void io_datetime_free(io_datetime *d);

typedef enum io_parse_result { IO_PARSE_OK = 0, IO_PARSE_FAIL, IO_PARSE_UPGRADE } io_parse_result;

/* Spark 3.5's readers: the pattern when given (no fallback), else the
   lenient cast parser (after removing "GMT", Spark's legacy clean-up). */
io_parse_result io_parse_date(const io_datetime *d, const char *s, size_t n, int32_t *out);
io_parse_result io_parse_timestamp(const io_datetime *d, const char *s, size_t n, int64_t *out);
io_parse_result io_parse_timestamp_ntz(const io_datetime *d, const char *s, size_t n,
                                       int64_t *out);

/* Write-side patterns: dateFormat (default yyyy-MM-dd), timestampFormat
   (yyyy-MM-dd'T'HH:mm:ss.SSSXXX), timestampNTZFormat
   (yyyy-MM-dd'T'HH:mm:ss[.SSS]). */
typedef struct io_datetime_out {
    const lm_tz *tz;
    lm_dtf *date_fmt, *ts_fmt, *ntz_fmt;
    bool ntz_has_zone; /* the NTZ pattern asks for an offset or zone */
} io_datetime_out;

lm_status io_datetime_out_init(io_datetime_out *d, lm_error *err, const lm_options *o,
                               const lm_tz *tz);
void io_datetime_out_free(io_datetime_out *d);

/* Spark's row-order sampler for samplingRatio (BernoulliCellSampler over
   XORShiftRandom seeded like Dataset.sample(false, ratio, 1), one partition). */
typedef struct io_sampler {
    double ratio;
    lm_xorshift rng;
} io_sampler;

void io_sampler_init(io_sampler *sm, double ratio);
/* True when the next item is kept. Always true when ratio > 0.99. */
bool io_sampler_keep(io_sampler *sm);

/* ---------------------------------------------------------- formats */

/* What every format reader receives. */
typedef struct io_read {
    struct lm_session *s;
    lm_error *err;
    const lm_options *opts;
    io_source *src;
    const lm_type *user_schema; /* data schema given by the user, NULL = infer */
    io_buf *texts;              /* per file: decoded UTF-8 content, loaded by the reader */
    lm_fio_plan *faults;        /* test fault plan, or NULL */
} io_read;

lm_status io_csv_read(io_read *r, lm_table **out);
lm_status io_json_read(io_read *r, lm_table **out);
lm_status io_text_read(io_read *r, lm_table **out);
/* Parquet (io/parquet/source.c): reads the listed files itself. */
lm_status io_parquet_read(io_read *r, lm_table **out);

/* What every format writer receives: one output file's rows. */
typedef struct io_write {
    struct lm_session *s;
    lm_error *err;
    const lm_options *opts;
    const lm_type *schema;      /* data columns written */
    const lm_tz *tz;
    lm_fio_plan *faults;        /* test fault plan, or NULL */
} io_write;

/* Checks the options and the schema before any file is touched. */
lm_status io_csv_write_check(io_write *w);
lm_status io_json_write_check(io_write *w);
lm_status io_text_write_check(io_write *w);
/* Renders rows (each w->schema->nfields values) into out (UTF-8, before
   charset encoding and compression). header: the CSV header line. */
lm_status io_csv_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out);
lm_status io_json_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out);
lm_status io_text_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out);
/* Parquet writes a whole file itself (io/parquet/source.c); its name
   extension depends on the codec (".snappy.parquet"). */
lm_status io_parquet_write_check(io_write *w);
lm_status io_parquet_write_file(io_write *w, lm_value *const *rows, int64_t nrows,
                                const char *path);
const char *io_parquet_extension(io_write *w);

/* lm_read without the DataFrame: reads paths (or the "path" option) of a
   format into a new table (caller unrefs). user: the data schema or NULL.
   For SQL (CREATE TEMPORARY VIEW ... USING, SELECT FROM csv.`path`). */
lm_status io_read_table(struct lm_session *s, lm_error *err, const char *format,
                        const char *const *paths, int npaths, const lm_options *opts,
                        const lm_type *user, lm_table **out);

/* True for the names lm_read knows as file formats (csv, json, text,
   parquet, orc), as Spark's `format`.`path` queries need. */
bool io_is_file_format(const char *name);
/* The writer of a format name, NULL when there is none (write.c). */
const void *io_format_writer(const char *name);

/* ---------------------------------------------------- commit protocol */

/*
 * A write job: output staged under <dir>/_temporary/0/_temporary/<attempt>,
 * published into <dir> on commit, removed on abort. Overwrite moves the old
 * content aside first and restores it if publishing fails, so a failed job
 * leaves the target as it was.
 */
typedef struct io_job {
    lm_error *err;
    char *dir;          /* target folder */
    char *tmp_root;     /* <dir>/_temporary */
    char *attempt;      /* staging folder of the single task */
    char uuid[37];
    bool created_dir;   /* we created dir (removed again on abort) */
    bool overwrite;
    char *displaced;    /* overwrite: a file that stood at dir, moved aside */
    lm_fio_plan *faults; /* test fault plan (borrowed), or NULL */
} io_job;

/* faults (borrowed, may be NULL) reaches every mkdir, rename and create. */
lm_status io_job_begin(io_job *j, lm_error *err, const char *dir, bool overwrite,
                       lm_fio_plan *faults);
/* Path of a new file in the staging area: <attempt>/<subdir>/<name>; creates
   subdir. Malloc'ed. */
char *io_job_file(io_job *j, const char *subdir, const char *name);
lm_status io_job_commit(io_job *j);
void io_job_abort(io_job *j);
void io_job_free(io_job *j);

/* Removes a file or folder tree; true on success (or when absent). */
bool io_remove_tree(const char *path);
/* Absolute form of path (no symlink resolution); malloc'ed. */
char *io_abs_path(const char *path);

#endif
