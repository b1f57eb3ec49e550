/*
 * Parquet value and level encodings. Decoders turn page bytes into
 * physical values (pq_pv) or levels; encoders do the reverse for the
 * writer. Decoders are bounds-checked against the page and report failure
 * instead of reading past it, whatever the bytes say.
 *
 *   RLE/bit-packed hybrid   levels, dictionary indices, v2 booleans
 *   BIT_PACKED (legacy)     levels of very old files
 *   PLAIN                   every physical type
 *   DELTA_BINARY_PACKED     INT32 / INT64
 *   DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY   BYTE_ARRAY (and FLBA)
 *   BYTE_STREAM_SPLIT       FLOAT / DOUBLE / INT32 / INT64 / FLBA
 */
#ifndef LM_IO_PARQUET_ENCODING_H
#define LM_IO_PARQUET_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strbuf.h"

/* One physical value. Byte arrays (and INT96, FLBA) point into the page
   buffer or an arena. */
typedef struct pq_pv {
    union {
        bool b;
        int32_t i32;
        int64_t i64;
        float f;
        double d;
        struct {
            const uint8_t *p;
            int32_t len;
        } bin;
    } u;
} pq_pv;

/* Bit width needed for values 0..max. */
int pq_bit_width(uint64_t max);

/* Decodes n values of the RLE/bit-packed hybrid (no length prefix). */
bool pq_rle_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out, int64_t n);
/* Decodes n values of the legacy BIT_PACKED level encoding (MSB first). */
bool pq_bitpacked_legacy_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out,
                                int64_t n);

/*
 * Decodes n values of the given encoding and physical type. type_length is
 * the FIXED_LEN_BYTE_ARRAY width. *used receives the bytes consumed where
 * the encoding knows it. DELTA_BYTE_ARRAY values are rebuilt in arena a.
 */
bool pq_decode_values(int encoding, int ptype, int32_t type_length, const uint8_t *p,
                      size_t len, int64_t n, pq_pv *out, lm_arena *a);

/* Encoders append to out. */
void pq_rle_encode(lm_strbuf *out, const uint32_t *v, int64_t n, int bit_width);
void pq_plain_encode(lm_strbuf *out, int ptype, int32_t type_length, const pq_pv *v, int64_t n);

#endif
