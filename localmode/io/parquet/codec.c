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

/* ------------------------------------------------------ snappy encoder */

/*
 * Snappy compression written out here rather than called: libsnappy is C++
 * and its compressor allocates with operator new, so when memory runs out
 * std::bad_alloc crosses the C API and aborts the process. The format is
 * small: a varint length, then literals and back-references (copies) of
 * 4..64 bytes at offsets below 64 KiB. Like the reference encoder we work
 * on 64 KiB blocks with a hash table of 4-byte sequences; decompression
 * stays with libsnappy, which does not allocate.
 */
#define SNAPPY_BLOCK 65536
#define SNAPPY_HASH_BITS 14

static void snappy_varint(lm_strbuf *out, uint64_t v)
{
    while (v >= 0x80) {
        lm_strbuf_putc(out, (char)(v | 0x80));
        v >>= 7;
    }
    lm_strbuf_putc(out, (char)v);
}

static void snappy_literal(lm_strbuf *out, const uint8_t *p, size_t len)
{
    if (len == 0)
        return;
    size_t n = len - 1;
    if (n < 60)
        lm_strbuf_putc(out, (char)(n << 2));
    else {
        int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
        lm_strbuf_putc(out, (char)((59 + bytes) << 2));
        for (int i = 0; i < bytes; i++)
            lm_strbuf_putc(out, (char)(n >> (8 * i)));
    }
    lm_strbuf_append(out, (const char *)p, len);
}

static void snappy_copy_chunk(lm_strbuf *out, size_t offset, size_t len)
{
    if (len >= 4 && len <= 11 && offset < 2048) {
        lm_strbuf_putc(out, (char)(((offset >> 8) << 5) | ((len - 4) << 2) | 1));
        lm_strbuf_putc(out, (char)(offset & 0xff));
    } else {
        lm_strbuf_putc(out, (char)(((len - 1) << 2) | 2));
        lm_strbuf_putc(out, (char)(offset & 0xff));
        lm_strbuf_putc(out, (char)(offset >> 8));
    }
}

static void snappy_copy(lm_strbuf *out, size_t offset, size_t len)
{
    /* copies carry at most 64 bytes; keep every piece at 4 or more */
    while (len >= 68) {
        snappy_copy_chunk(out, offset, 64);
        len -= 64;
    }
    if (len > 64) {
        snappy_copy_chunk(out, offset, 60);
        len -= 60;
    }
    snappy_copy_chunk(out, offset, len);
}

static uint32_t snappy_load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static lm_status snappy_encode(const uint8_t *src, size_t n, lm_strbuf *out)
{
    snappy_varint(out, n);
    uint16_t *table = malloc(sizeof(uint16_t) << SNAPPY_HASH_BITS);
    if (table == NULL)
        return LM_ENOMEM;
    for (size_t base = 0; base < n; base += SNAPPY_BLOCK) {
        const uint8_t *b = src + base;
        size_t len = n - base < SNAPPY_BLOCK ? n - base : SNAPPY_BLOCK;
        size_t emit = 0;
        if (len >= 16) {
            memset(table, 0, sizeof(uint16_t) << SNAPPY_HASH_BITS);
            size_t limit = len - 4;
            for (size_t ip = 1; ip < limit;) {
                uint32_t cur = snappy_load32(b + ip);
                uint32_t h = (cur * 0x1e35a7bdu) >> (32 - SNAPPY_HASH_BITS);
                size_t cand = table[h];
                table[h] = (uint16_t)ip;
                if (cand >= ip || snappy_load32(b + cand) != cur) {
                    ip++;
                    continue;
                }
                size_t m = 4;
                while (ip + m < len && b[cand + m] == b[ip + m])
                    m++;
                snappy_literal(out, b + emit, ip - emit);
                snappy_copy(out, ip - cand, m);
                ip += m;
                emit = ip;
            }
        }
        snappy_literal(out, b + emit, len - emit);
    }
    free(table);
    return lm_strbuf_ok(out) ? LM_OK : LM_ENOMEM;
}

lm_status pq_compress(int codec, const uint8_t *src, size_t src_len, lm_strbuf *out,
                      lm_error *err)
{
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        lm_strbuf_append(out, (const char *)src, src_len);
        break;
    case PQ_CODEC_SNAPPY:
        if (snappy_encode(src, src_len, out) != LM_OK)
            return lm_error_oom(err);
        break;
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
