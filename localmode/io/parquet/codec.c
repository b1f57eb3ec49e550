/*
 * Codec glue over zlib, snappy-c and zstd (see codec.h). Every decoder
 * must produce exactly the page's declared uncompressed size; anything
 * else is a corrupt page.
 */
#include "codec.h"

#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

#include "meta.h"

int pq_codec_from_name(const char *name)
{
    if (name == NULL)
        return PQ_CODEC_SNAPPY;
    if (strcasecmp(name, "none") == 0 || strcasecmp(name, "uncompressed") == 0)
        return PQ_CODEC_UNCOMPRESSED;
    if (strcasecmp(name, "snappy") == 0)
        return PQ_CODEC_SNAPPY;
    if (strcasecmp(name, "gzip") == 0)
        return PQ_CODEC_GZIP;
    if (strcasecmp(name, "zstd") == 0)
        return PQ_CODEC_ZSTD;
    if (strcasecmp(name, "lzo") == 0)
        return PQ_CODEC_LZO;
    if (strcasecmp(name, "brotli") == 0)
        return PQ_CODEC_BROTLI;
    if (strcasecmp(name, "lz4") == 0)
        return PQ_CODEC_LZ4;
    if (strcasecmp(name, "lz4_raw") == 0)
        return PQ_CODEC_LZ4_RAW;
    return -1;
}

const char *pq_codec_extension(int codec)
{
    switch (codec) {
    case PQ_CODEC_SNAPPY: return "snappy";
    case PQ_CODEC_GZIP: return "gz";
    case PQ_CODEC_ZSTD: return "zstd";
    default: return "";
    }
}

const char *pq_codec_name(int codec)
{
    static const char *names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4",
                                  "ZSTD", "LZ4_RAW"};
    return codec >= 0 && codec <= 7 ? names[codec] : "UNKNOWN";
}

static lm_status corrupt(lm_error *err, int codec)
{
    return lm_error_set(err, LM_ERROR, "org.apache.spark.SparkException", NULL, NULL,
                        "Corrupt Parquet page: %s data does not decompress to the declared size",
                        pq_codec_name(codec));
}

static lm_status gunzip(const uint8_t *src, size_t n, uint8_t *dst, size_t dst_len,
                        lm_error *err)
{
    z_stream z = {0};
    /* 32 + MAX_WBITS accepts gzip and zlib framing alike. */
    if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK)
        return lm_error_oom(err);
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)dst_len;
    int rc;
    /* Some writers concatenate gzip members; keep inflating until the
       output is full or the input runs out. */
    for (;;) {
        rc = inflate(&z, Z_FINISH);
        if (rc == Z_STREAM_END && z.avail_in > 0 && z.avail_out > 0) {
            inflateReset(&z);
            continue;
        }
        break;
    }
    size_t produced = dst_len - z.avail_out;
    inflateEnd(&z);
    if ((rc != Z_STREAM_END && rc != Z_BUF_ERROR && rc != Z_OK) || produced != dst_len)
        return corrupt(err, PQ_CODEC_GZIP);
    return LM_OK;
}

lm_status pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, lm_error *err)
{
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        if (src_len != dst_len)
            return corrupt(err, codec);
        if (dst_len)
            memcpy(dst, src, dst_len);
        return LM_OK;
    case PQ_CODEC_SNAPPY: {
        size_t ulen;
        if (snappy_uncompressed_length((const char *)src, src_len, &ulen) != SNAPPY_OK ||
            ulen != dst_len)
            return corrupt(err, codec);
        size_t out = dst_len;
        if (snappy_uncompress((const char *)src, src_len, (char *)dst, &out) != SNAPPY_OK ||
            out != dst_len)
            return corrupt(err, codec);
        return LM_OK;
    }
    case PQ_CODEC_GZIP:
        return gunzip(src, src_len, dst, dst_len, err);
    case PQ_CODEC_ZSTD: {
        size_t r = ZSTD_decompress(dst, dst_len, src, src_len);
        if (ZSTD_isError(r) || r != dst_len)
            return corrupt(err, codec);
        return LM_OK;
    }
    default:
        return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED, NULL, NULL,
                            "Parquet compression codec %s is not supported", pq_codec_name(codec));
    }
}

lm_status pq_compress(int codec, const uint8_t *src, size_t src_len, lm_strbuf *out,
                      lm_error *err)
{
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        lm_strbuf_append(out, (const char *)src, src_len);
        break;
    case PQ_CODEC_SNAPPY: {
        size_t cap = snappy_max_compressed_length(src_len);
        char *buf = malloc(cap ? cap : 1);
        if (buf == NULL)
            return lm_error_oom(err);
        size_t n = cap;
        if (snappy_compress((const char *)src, src_len, buf, &n) != SNAPPY_OK) {
            free(buf);
            return lm_error_oom(err);
        }
        lm_strbuf_append(out, buf, n);
        free(buf);
        break;
    }
    case PQ_CODEC_GZIP: {
        z_stream z = {0};
        /* 16 + MAX_WBITS: gzip framing, which parquet's GZIP means. */
        if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return lm_error_oom(err);
        uLong cap = deflateBound(&z, (uLong)src_len) + 32;
        uint8_t *buf = malloc(cap);
        if (buf == NULL) {
            deflateEnd(&z);
            return lm_error_oom(err);
        }
        z.next_in = (Bytef *)src;
        z.avail_in = (uInt)src_len;
        z.next_out = buf;
        z.avail_out = (uInt)cap;
        int rc = deflate(&z, Z_FINISH);
        size_t n = cap - z.avail_out;
        deflateEnd(&z);
        if (rc != Z_STREAM_END) {
            free(buf);
            return lm_error_oom(err);
        }
        lm_strbuf_append(out, (const char *)buf, n);
        free(buf);
        break;
    }
    case PQ_CODEC_ZSTD: {
        size_t cap = ZSTD_compressBound(src_len);
        void *buf = malloc(cap ? cap : 1);
        if (buf == NULL)
            return lm_error_oom(err);
        /* Level 3 is parquet-mr's default zstd level. */
        size_t n = ZSTD_compress(buf, cap, src, src_len, 3);
        if (ZSTD_isError(n)) {
            free(buf);
            return lm_error_oom(err);
        }
        lm_strbuf_append(out, buf, n);
        free(buf);
        break;
    }
    default:
        return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED, NULL, NULL,
                            "Parquet compression codec %s is not supported for writing",
                            pq_codec_name(codec));
    }
    if (!lm_strbuf_ok(out))
        return lm_error_oom(err);
    return LM_OK;
}
