/*
 * Bytes in and out of files: whole-file reads with the decompression
 * Hadoop's CompressionCodecFactory picks by extension, charset decoding to
 * UTF-8 (and encoding back for writers) with glibc's iconv, UTF-8
 * validation with Java's replacement rules, and line splitting as Hadoop's
 * LineRecordReader does it.
 */
#include "io.h"

#include "conf/conf.h"
#include "session/session.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

void io_buf_free(io_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static bool buf_reserve(io_buf *b, size_t need)
{
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (d == NULL)
        return false;
    b->data = d;
    b->cap = cap;
    return true;
}

bool io_buf_append(io_buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, b->len + n + 1))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The file's bytes through common/fileio (size-checked: a file that ends
   early is an error, not short data). */
static lm_status read_raw(lm_error *err, lm_fio_plan *faults, const char *path, io_buf *out)
{
    memset(out, 0, sizeof *out);
    char *data = NULL;
    size_t len = 0;
    lm_status rc = lm_fio_read_all(faults, path, &data, &len, err);
    if (rc != LM_OK) {
        if (err->exception && strcmp(err->exception, "java.io.FileNotFoundException") == 0)
            return lm_error_set(err, LM_EIO, "java.io.FileNotFoundException", NULL, NULL,
                                "File file:%s does not exist", path);
        return rc;
    }
    /* lm_fio_read_all NUL-terminates, as io_buf keeps its data */
    out->data = data;
    out->len = len;
    out->cap = len + 1;
    return LM_OK;
}

/* The session's fault plan for one read or write. */
lm_status io_fault_plan(struct lm_session *s, lm_error *err, lm_fio_plan **out)
{
    return lm_fio_plan_parse(lm_conf_get(s->conf, LM_FIO_FAULTS_KEY), out, err);
}

static lm_status eof_error(lm_error *err, const char *path)
{
    return lm_error_set(err, LM_EIO, IO_EXC_SPARK, NULL, NULL,
                        "Encountered error while reading file file:%s. Details: "
                        "java.io.EOFException: Unexpected end of input stream",
                        path);
}

/* gzip (possibly several members, as `cat a.gz b.gz`) or zlib streams. */
static lm_status inflate_all(lm_error *err, const char *path, const io_buf *in, io_buf *out)
{
    memset(out, 0, sizeof *out);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return lm_error_oom(err);
    z.next_in = (Bytef *)in->data;
    z.avail_in = (uInt)in->len;
    char tmp[65536];
    int rc = Z_OK;
    for (;;) {
        z.next_out = (Bytef *)tmp;
        z.avail_out = sizeof tmp;
        rc = inflate(&z, Z_NO_FLUSH);
        size_t got = sizeof tmp - z.avail_out;
        if (got && !io_buf_append(out, tmp, got)) {
            inflateEnd(&z);
            io_buf_free(out);
            return lm_error_oom(err);
        }
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0)
                break;
            /* another gzip member follows */
            if (inflateReset(&z) != Z_OK)
                break;
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            inflateEnd(&z);
            io_buf_free(out);
            return eof_error(err, path);
        }
        if (rc != Z_OK) {
            inflateEnd(&z);
            io_buf_free(out);
            return lm_error_set(err, LM_EIO, IO_EXC_SPARK, NULL, NULL,
                                "Encountered error while reading file file:%s. Details: "
                                "java.util.zip.ZipException: %s",
                                path, z.msg ? z.msg : "invalid compressed data");
        }
    }
    inflateEnd(&z);
    if (out->data == NULL && !io_buf_append(out, "", 0))
        return lm_error_oom(err);
    return LM_OK;
}

static lm_status unzstd_all(lm_error *err, const char *path, const io_buf *in, io_buf *out)
{
    memset(out, 0, sizeof *out);
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (ds == NULL)
        return lm_error_oom(err);
    ZSTD_initDStream(ds);
    ZSTD_inBuffer ib = {in->data, in->len, 0};
    char tmp[65536];
    bool done = in->len == 0; /* the last frame ended and was flushed */
    for (;;) {
        ZSTD_outBuffer ob = {tmp, sizeof tmp, 0};
        size_t r = ZSTD_decompressStream(ds, &ob, &ib);
        if (ZSTD_isError(r)) {
            ZSTD_freeDStream(ds);
            io_buf_free(out);
            return lm_error_set(err, LM_EIO, IO_EXC_SPARK, NULL, NULL,
                                "Encountered error while reading file file:%s. Details: %s", path,
                                ZSTD_getErrorName(r));
        }
        if (ob.pos && !io_buf_append(out, tmp, ob.pos)) {
            ZSTD_freeDStream(ds);
            io_buf_free(out);
            return lm_error_oom(err);
        }
        done = r == 0;
        /* stop when all input is used and the decoder has nothing more */
        if (ib.pos == ib.size && ob.pos < ob.size)
            break;
    }
    ZSTD_freeDStream(ds);
    if (!done) {
        io_buf_free(out);
        return eof_error(err, path);
    }
    if (out->data == NULL && !io_buf_append(out, "", 0))
        return lm_error_oom(err);
    return LM_OK;
}

lm_status io_read_file(lm_error *err, lm_fio_plan *faults, const char *path, io_buf *out)
{
    io_buf raw;
    lm_status rc = read_raw(err, faults, path, &raw);
    if (rc != LM_OK)
        return rc;
    if (ends_with(path, ".gz") || ends_with(path, ".deflate")) {
        rc = inflate_all(err, path, &raw, out);
        io_buf_free(&raw);
        return rc;
    }
    if (ends_with(path, ".zst")) {
        rc = unzstd_all(err, path, &raw, out);
        io_buf_free(&raw);
        return rc;
    }
    if (ends_with(path, ".bz2") || ends_with(path, ".lz4") || ends_with(path, ".snappy")) {
        io_buf_free(&raw);
        return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                            "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                            "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not read %s files "
                            "(supported codecs: gzip, deflate, zstd).",
                            strrchr(path, '.'));
    }
    *out = raw;
    return LM_OK;
}

/* ------------------------------------------------------------ charsets */

bool io_charset_is_utf8(const char *cs)
{
    return cs == NULL || strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0;
}

lm_status io_charset_check(lm_error *err, const char *charset)
{
    if (io_charset_is_utf8(charset))
        return LM_OK;
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return lm_error_set(err, LM_ERROR, IO_EXC_CHARSET, NULL, NULL, "%s", charset);
    iconv_close(cd);
    return LM_OK;
}

/* Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), or 0
   when ill-formed; *bad receives the length of the maximal ill-formed
   subpart to replace. */
static int utf8_seq(const unsigned char *p, size_t n, int *bad)
{
    unsigned char c = p[0];
    *bad = 1;
    if (c < 0x80)
        return 1;
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c == 0xE0) {
        len = 3;
        lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        len = 3;
    else if (c == 0xED) {
        len = 3;
        hi = 0x9F;
    } else if (c == 0xF0) {
        len = 4;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3)
        len = 4;
    else if (c == 0xF4) {
        len = 4;
        hi = 0x8F;
    } else
        return 0;
    for (int k = 1; k < len; k++) {
        if ((size_t)k >= n)
            return 0;
        unsigned char lim_lo = k == 1 ? lo : 0x80, lim_hi = k == 1 ? hi : 0xBF;
        if (p[k] < lim_lo || p[k] > lim_hi)
            return 0;
        *bad = k + 1;
    }
    return len;
}

bool io_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        int bad;
        int l = utf8_seq(p + i, n - i, &bad);
        if (l == 0)
            return false;
        i += (size_t)l;
    }
    return true;
}

lm_status io_utf8_clean(lm_error *err, io_buf *b)
{
    size_t start = 0;
    if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    if (start == 0 && io_utf8_valid(b->data, b->len))
        return LM_OK;
    io_buf o = {0};
    const unsigned char *p = (const unsigned char *)b->data;
    size_t i = start;
    while (i < b->len) {
        int bad;
        int l = utf8_seq(p + i, b->len - i, &bad);
        bool ok;
        if (l > 0) {
            ok = io_buf_append(&o, p + i, (size_t)l);
            i += (size_t)l;
        } else {
            /* one U+FFFD for the maximal ill-formed subpart (the lead byte
               and the continuation bytes that were still valid) */
            ok = io_buf_append(&o, "\xEF\xBF\xBD", 3);
            i += (size_t)(bad >= 1 ? bad : 1);
        }
        if (!ok) {
            io_buf_free(&o);
            return lm_error_oom(err);
        }
    }
    if (o.data == NULL && !io_buf_append(&o, "", 0))
        return lm_error_oom(err);
    io_buf_free(b);
    *b = o;
    return LM_OK;
}

static int unit_of(const char *cs)
{
    if (strncasecmp(cs, "UTF-16", 6) == 0 || strncasecmp(cs, "UTF16", 5) == 0)
        return 2;
    if (strncasecmp(cs, "UTF-32", 6) == 0 || strncasecmp(cs, "UTF32", 5) == 0)
        return 4;
    return 1;
}

lm_status io_decode(lm_error *err, const char *charset, io_buf *b)
{
    if (io_charset_is_utf8(charset))
        return io_utf8_clean(err, b);
    const char *from = charset;
    size_t skip = 0;
    const unsigned char *u = (const unsigned char *)b->data;
    /* Java's UTF-16 / UTF-32 decoders: a BOM picks the order, else big endian */
    if (strcasecmp(charset, "UTF-16") == 0 || strcasecmp(charset, "UTF16") == 0) {
        from = "UTF-16BE";
        if (b->len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
            from = "UTF-16LE";
            skip = 2;
        } else if (b->len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
            skip = 2;
        }
    } else if (strcasecmp(charset, "UTF-32") == 0 || strcasecmp(charset, "UTF32") == 0) {
        from = "UTF-32BE";
        if (b->len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) {
            from = "UTF-32LE";
            skip = 4;
        } else if (b->len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) {
            skip = 4;
        }
    }
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return lm_error_set(err, LM_ERROR, IO_EXC_CHARSET, NULL, NULL, "%s", charset);
    int unit = unit_of(from);
    io_buf o = {0};
    char *in = b->data + skip;
    size_t inleft = b->len - skip;
    char tmp[16384];
    while (inleft > 0) {
        char *outp = tmp;
        size_t outleft = sizeof tmp;
        size_t r = iconv(cd, &in, &inleft, &outp, &outleft);
        int e = errno;
        if (!io_buf_append(&o, tmp, sizeof tmp - outleft)) {
            iconv_close(cd);
            io_buf_free(&o);
            return lm_error_oom(err);
        }
        if (r == (size_t)-1) {
            if (e == E2BIG)
                continue;
            /* invalid or truncated input: one replacement character per unit */
            if (!io_buf_append(&o, "\xEF\xBF\xBD", 3)) {
                iconv_close(cd);
                io_buf_free(&o);
                return lm_error_oom(err);
            }
            size_t adv = (size_t)unit < inleft ? (size_t)unit : inleft;
            in += adv;
            inleft -= adv;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    if (o.data == NULL && !io_buf_append(&o, "", 0)) {
        return lm_error_oom(err);
    }
    io_buf_free(b);
    *b = o;
    /* drop a BOM the explicit-endian decoders kept as U+FEFF */
    if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(b->data, b->data + 3, b->len - 3 + 1);
        b->len -= 3;
    }
    return LM_OK;
}

const char *io_detect_json_charset(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)
        return "UTF-32BE";
    if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)
        return "UTF-32LE";
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return "UTF-16BE";
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return "UTF-16LE";
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return "UTF-8";
    if (n >= 4) {
        if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] != 0)
            return "UTF-32BE";
        if (p[0] != 0 && p[1] == 0 && p[2] == 0 && p[3] == 0)
            return "UTF-32LE";
    }
    if (n >= 2) {
        if (p[0] == 0 && p[1] != 0)
            return "UTF-16BE";
        if (p[0] != 0 && p[1] == 0)
            return "UTF-16LE";
    }
    return "UTF-8";
}

lm_status io_encode(lm_error *err, const char *charset, io_buf *b)
{
    if (io_charset_is_utf8(charset))
        return LM_OK;
    const char *to = charset;
    const char *bom = NULL;
    size_t bomlen = 0;
    if (strcasecmp(charset, "UTF-16") == 0 || strcasecmp(charset, "UTF16") == 0) {
        to = "UTF-16BE";
        bom = "\xFE\xFF";
        bomlen = 2;
    } else if (strcasecmp(charset, "UTF-32") == 0 || strcasecmp(charset, "UTF32") == 0) {
        to = "UTF-32BE";
    }
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1)
        return lm_error_set(err, LM_ERROR, IO_EXC_CHARSET, NULL, NULL, "%s", charset);
    io_buf o = {0};
    if (bom && !io_buf_append(&o, bom, bomlen)) {
        iconv_close(cd);
        return lm_error_oom(err);
    }
    char *in = b->data;
    size_t inleft = b->len;
    char tmp[16384];
    while (inleft > 0) {
        char *outp = tmp;
        size_t outleft = sizeof tmp;
        size_t r = iconv(cd, &in, &inleft, &outp, &outleft);
        int e = errno;
        if (!io_buf_append(&o, tmp, sizeof tmp - outleft)) {
            iconv_close(cd);
            io_buf_free(&o);
            return lm_error_oom(err);
        }
        if (r == (size_t)-1 && e != E2BIG) {
            /* unmappable character: Java's encoders write '?' */
            char q = '?';
            char *qp = &q;
            size_t ql = 1;
            outp = tmp;
            outleft = sizeof tmp;
            iconv(cd, &qp, &ql, &outp, &outleft);
            if (!io_buf_append(&o, tmp, sizeof tmp - outleft)) {
                iconv_close(cd);
                io_buf_free(&o);
                return lm_error_oom(err);
            }
            /* skip one UTF-8 character */
            size_t adv = 1;
            while (adv < inleft && ((unsigned char)in[adv] & 0xC0) == 0x80)
                adv++;
            in += adv;
            inleft -= adv;
        }
    }
    iconv_close(cd);
    if (o.data == NULL && !io_buf_append(&o, "", 0))
        return lm_error_oom(err);
    io_buf_free(b);
    *b = o;
    return LM_OK;
}

/* --------------------------------------------------------------- lines */

void io_lines_init(io_lines *it, const char *p, size_t n, const char *sep)
{
    it->p = p;
    it->n = n;
    it->pos = 0;
    it->sep = sep;
    it->seplen = sep ? strlen(sep) : 0;
}

bool io_lines_next(io_lines *it, const char **line, size_t *len)
{
    if (it->pos >= it->n)
        return false;
    const char *p = it->p;
    size_t i = it->pos;
    if (it->seplen) {
        const char *hit = NULL;
        for (size_t k = i; k + it->seplen <= it->n; k++) {
            if (p[k] == it->sep[0] && memcmp(p + k, it->sep, it->seplen) == 0) {
                hit = p + k;
                break;
            }
        }
        *line = p + i;
        if (hit == NULL) {
            *len = it->n - i;
            it->pos = it->n;
        } else {
            *len = (size_t)(hit - (p + i));
            it->pos = (size_t)(hit - p) + it->seplen;
        }
        return true;
    }
    size_t k = i;
    while (k < it->n && p[k] != '\n' && p[k] != '\r')
        k++;
    *line = p + i;
    *len = k - i;
    if (k < it->n) {
        if (p[k] == '\r' && k + 1 < it->n && p[k + 1] == '\n')
            k += 2;
        else
            k++;
    }
    it->pos = k;
    return true;
}

/* ------------------------------------------------------------- writing */

lm_status io_opt_codec(lm_error *err, const lm_options *o, io_codec *out)
{
    static const char *const keys[] = {"compression", "codec", NULL};
    const char *v = io_opt_any(o, keys);
    out->name = NULL;
    out->extension = "";
    if (v == NULL || strcasecmp(v, "none") == 0 || strcasecmp(v, "uncompressed") == 0)
        return LM_OK;
    if (strcasecmp(v, "gzip") == 0) {
        out->name = "gzip";
        out->extension = ".gz";
        return LM_OK;
    }
    if (strcasecmp(v, "deflate") == 0) {
        out->name = "deflate";
        out->extension = ".deflate";
        return LM_OK;
    }
    if (strcasecmp(v, "zstd") == 0) {
        out->name = "zstd";
        out->extension = ".zst";
        return LM_OK;
    }
    if (strcasecmp(v, "bzip2") == 0 || strcasecmp(v, "lz4") == 0 || strcasecmp(v, "snappy") == 0)
        return lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                            "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                            "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not write %s "
                            "(supported codecs: none, gzip, deflate, zstd).",
                            v);
    return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                        "Codec [%s] is not available. Known codecs are bzip2, deflate, "
                        "uncompressed, lz4, gzip, snappy, zstd, none.",
                        v);
}

static lm_status compress_buf(lm_error *err, const io_codec *codec, const char *data, size_t len,
                          io_buf *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(codec->name, "zstd") == 0) {
        size_t bound = ZSTD_compressBound(len);
        if (!buf_reserve(out, bound + 1))
            return lm_error_oom(err);
        size_t r = ZSTD_compress(out->data, bound, data, len, 3);
        if (ZSTD_isError(r)) {
            io_buf_free(out);
            return lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL, "zstd: %s",
                                ZSTD_getErrorName(r));
        }
        out->len = r;
        return LM_OK;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    int wbits = strcmp(codec->name, "gzip") == 0 ? 15 + 16 : 15;
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return lm_error_oom(err);
    size_t bound = deflateBound(&z, (uLong)len) + 32;
    if (!buf_reserve(out, bound)) {
        deflateEnd(&z);
        return lm_error_oom(err);
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    out->len = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        io_buf_free(out);
        return lm_error_set(err, LM_EIO, "java.io.IOException", NULL, NULL, "deflate failed");
    }
    return LM_OK;
}

lm_status io_write_file(lm_error *err, lm_fio_plan *faults, const char *path, const char *data,
                        size_t len, const io_codec *codec)
{
    io_buf z = {0};
    if (codec && codec->name) {
        lm_status rc = compress_buf(err, codec, data, len, &z);
        if (rc != LM_OK)
            return rc;
        data = z.data;
        len = z.len;
    }
    /* through common/fileio: writes loop over short writes, close reports
       deferred errors, and a fault plan reaches every call */
    lm_file *f = lm_fio_create(faults, path, err);
    lm_status rc = f ? lm_fio_write(f, data, len, err) : LM_EIO;
    if (f && rc == LM_OK)
        rc = lm_fio_close(f, err);
    else
        lm_fio_discard(f);
    io_buf_free(&z);
    return rc;
}
