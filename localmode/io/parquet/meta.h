/*
 * Parquet's footer and page headers as C structs, decoded from and encoded
 * to Thrift compact bytes (parquet.thrift's field numbers). Only the fields
 * localmode reads or writes are kept; the rest are skipped on read.
 *
 * Decoded metadata lives in an arena: strings and statistics bytes are
 * copied there, so the file buffer may be released afterwards.
 */
#ifndef LM_IO_PARQUET_META_H
#define LM_IO_PARQUET_META_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strbuf.h"

/* Physical types */
enum { PQ_BOOLEAN = 0, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE, PQ_BYTE_ARRAY,
       PQ_FIXED_LEN_BYTE_ARRAY };
/* Repetition */
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };
/* ConvertedType (legacy annotations) */
enum { PQ_CT_UTF8 = 0, PQ_CT_MAP, PQ_CT_MAP_KEY_VALUE, PQ_CT_LIST, PQ_CT_ENUM, PQ_CT_DECIMAL,
       PQ_CT_DATE, PQ_CT_TIME_MILLIS, PQ_CT_TIME_MICROS, PQ_CT_TIMESTAMP_MILLIS,
       PQ_CT_TIMESTAMP_MICROS, PQ_CT_UINT_8, PQ_CT_UINT_16, PQ_CT_UINT_32, PQ_CT_UINT_64,
       PQ_CT_INT_8, PQ_CT_INT_16, PQ_CT_INT_32, PQ_CT_INT_64, PQ_CT_JSON, PQ_CT_BSON,
       PQ_CT_INTERVAL };
/* LogicalType union members (the thrift field ids) */
enum { PQ_LT_NONE = 0, PQ_LT_STRING = 1, PQ_LT_MAP = 2, PQ_LT_LIST = 3, PQ_LT_ENUM = 4,
       PQ_LT_DECIMAL = 5, PQ_LT_DATE = 6, PQ_LT_TIME = 7, PQ_LT_TIMESTAMP = 8,
       PQ_LT_INTEGER = 10, PQ_LT_UNKNOWN = 11, PQ_LT_JSON = 12, PQ_LT_BSON = 13,
       PQ_LT_UUID = 14, PQ_LT_FLOAT16 = 15 };
enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };
/* Encodings */
enum { PQ_ENC_PLAIN = 0, PQ_ENC_PLAIN_DICTIONARY = 2, PQ_ENC_RLE = 3, PQ_ENC_BIT_PACKED = 4,
       PQ_ENC_DELTA_BINARY_PACKED = 5, PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
       PQ_ENC_DELTA_BYTE_ARRAY = 7, PQ_ENC_RLE_DICTIONARY = 8, PQ_ENC_BYTE_STREAM_SPLIT = 9 };
/* Codecs */
enum { PQ_CODEC_UNCOMPRESSED = 0, PQ_CODEC_SNAPPY = 1, PQ_CODEC_GZIP = 2, PQ_CODEC_LZO = 3,
       PQ_CODEC_BROTLI = 4, PQ_CODEC_LZ4 = 5, PQ_CODEC_ZSTD = 6, PQ_CODEC_LZ4_RAW = 7 };
/* Page types */
enum { PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICTIONARY = 2, PQ_PAGE_DATA_V2 = 3 };

typedef struct pq_schema_elem {
    char *name;
    int type;            /* physical type, -1 for a group */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY */
    int repetition;      /* -1 when absent (the root) */
    int32_t num_children;
    int converted;       /* -1 when absent */
    int32_t scale, precision;
    bool has_field_id;
    int32_t field_id;
    int logical;         /* PQ_LT_*, PQ_LT_NONE when absent */
    int lt_unit;         /* TIME / TIMESTAMP */
    bool lt_utc;         /* TIME / TIMESTAMP isAdjustedToUTC */
    int lt_bit_width;    /* INTEGER */
    bool lt_signed;      /* INTEGER */
    int32_t lt_scale, lt_precision; /* DECIMAL */
} pq_schema_elem;

typedef struct pq_stats {
    bool has_min, has_max, has_null_count;
    bool legacy;          /* min/max came from the deprecated min/max fields */
    const uint8_t *min, *max;
    int32_t min_len, max_len;
    int64_t null_count;
} pq_stats;

typedef struct pq_column_meta {
    int type;
    int codec;
    int npath;
    char **path;
    int64_t num_values;
    int64_t total_uncompressed_size, total_compressed_size;
    int64_t data_page_offset;
    bool has_dictionary_page_offset;
    int64_t dictionary_page_offset;
    int nencodings;
    int32_t *encodings;
    pq_stats stats;
} pq_column_meta;

typedef struct pq_column_chunk {
    char *file_path; /* NULL: this file */
    int64_t file_offset;
    bool has_meta;
    pq_column_meta meta;
} pq_column_chunk;

typedef struct pq_row_group {
    int ncolumns;
    pq_column_chunk *columns;
    int64_t total_byte_size;
    int64_t num_rows;
} pq_row_group;

typedef struct pq_kv {
    char *key;
    char *value; /* may be NULL */
} pq_kv;

typedef struct pq_file_meta {
    int32_t version;
    int nschema;
    pq_schema_elem *schema; /* depth-first, schema[0] is the root */
    int64_t num_rows;
    int nrow_groups;
    pq_row_group *row_groups;
    int nkv;
    pq_kv *kv;
    char *created_by; /* may be NULL */
} pq_file_meta;

typedef struct pq_data_page_header {
    int32_t num_values;
    int encoding;
    int def_encoding, rep_encoding;
} pq_data_page_header;

typedef struct pq_dict_page_header {
    int32_t num_values;
    int encoding;
} pq_dict_page_header;

typedef struct pq_data_page_v2_header {
    int32_t num_values, num_nulls, num_rows;
    int encoding;
    int32_t def_len, rep_len;
    bool is_compressed;
} pq_data_page_v2_header;

typedef struct pq_page_header {
    int type;
    int32_t uncompressed_size, compressed_size;
    bool has_data, has_dict, has_v2;
    pq_data_page_header data;
    pq_dict_page_header dict;
    pq_data_page_v2_header v2;
} pq_page_header;

/* Decodes a FileMetaData. Returns false on malformed input. */
bool pq_decode_file_meta(const uint8_t *p, size_t n, lm_arena *a, pq_file_meta *out);
/* Decodes a PageHeader at p; *used receives its length in bytes. */
bool pq_decode_page_header(const uint8_t *p, size_t n, pq_page_header *out, size_t *used);

/* Looks up a key of the key/value metadata; NULL when absent. */
const pq_kv *pq_meta_find_kv(const pq_file_meta *m, const char *key);

/* Encoders append to out (check lm_strbuf_ok afterwards). */
void pq_encode_file_meta(lm_strbuf *out, const pq_file_meta *m);
/* stats may be NULL. A data page v1 header when dict is false. */
void pq_encode_page_header(lm_strbuf *out, const pq_page_header *h, const pq_stats *stats);

#endif
