/*
 * Page compression codecs: UNCOMPRESSED, SNAPPY (raw snappy blocks, as
 * parquet-mr writes them), GZIP (gzip framing, RFC 1952) and ZSTD. The
 * libraries are Debian's zlib, libsnappy and libzstd (snappy compression is
 * our own, see codec.c); LZO, BROTLI and LZ4 are reported as unsupported.
 */
#ifndef LM_IO_PARQUET_CODEC_H
#define LM_IO_PARQUET_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strbuf.h"

/* Spark's `compression` option value to a codec id ("none" and
   "uncompressed" are the same); -1 when unknown. Case-insensitive. */
int pq_codec_from_name(const char *name);
/* The file-name infix Spark uses ("snappy", "gz", "zstd"; "" for none). */
const char *pq_codec_extension(int codec);
const char *pq_codec_name(int codec);

/* Decompresses exactly dst_len bytes into dst. */
lm_status pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, lm_error *err);
/* Appends the compressed form of src to out. */
lm_status pq_compress(int codec, const uint8_t *src, size_t src_len, lm_strbuf *out,
                      lm_error *err);

#endif
