/*
 * Parquet encodings (see encoding.h). All multi-byte values are little
 * endian, as the format specifies; the module assumes a little-endian host.
 */
#include "encoding.h"

#include <string.h>

#include "meta.h"

int pq_bit_width(uint64_t max)
{
    int w = 0;
    while (max) {
        w++;
        max >>= 1;
    }
    return w;
}

static bool rd_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end)
            return false;
        uint8_t b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *pp = p;
            *out = v;
            return true;
        }
    }
    return false;
}

static bool rd_zigzag(const uint8_t **pp, const uint8_t *end, int64_t *out)
{
    uint64_t u;
    if (!rd_varint(pp, end, &u))
        return false;
    *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return true;
}

/* Reads bw (0..64) bits at bit offset pos of a little-endian, LSB-first
   packed buffer of nbytes bytes; bits past the end read as zero. */
static uint64_t unpack_bits(const uint8_t *p, size_t nbytes, uint64_t pos, int bw)
{
    if (bw == 0)
        return 0;
    size_t byte = (size_t)(pos >> 3);
    int shift = (int)(pos & 7);
    unsigned __int128 w = 0;
    int need = (shift + bw + 7) / 8;
    for (int i = 0; i < need; i++)
        if (byte + (size_t)i < nbytes)
            w |= (unsigned __int128)p[byte + (size_t)i] << (8 * i);
    w >>= shift;
    if (bw == 64)
        return (uint64_t)w;
    return (uint64_t)w & ((UINT64_C(1) << bw) - 1);
}

bool pq_rle_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out, int64_t n)
{
    if (bit_width < 0 || bit_width > 32)
        return false;
    const uint8_t *end = p + len;
    int vbytes = (bit_width + 7) / 8;
    int64_t i = 0;
    while (i < n) {
        uint64_t h;
        if (!rd_varint(&p, end, &h))
            return false;
        if (h & 1) {
            uint64_t groups = h >> 1;
            if (groups == 0 || groups > (uint64_t)INT32_MAX)
                return false;
            uint64_t nbytes = groups * (uint64_t)bit_width;
            /* A final bit-packed run may be cut short by writers that
               stop at the last value; take what is there. */
            size_t avail = (size_t)(end - p);
            size_t have = nbytes < avail ? (size_t)nbytes : avail;
            uint64_t cnt = groups * 8;
            int64_t take = (int64_t)cnt < n - i ? (int64_t)cnt : n - i;
            if ((uint64_t)take * (uint64_t)bit_width > (uint64_t)have * 8)
                return false;
            for (int64_t k = 0; k < take; k++)
                out[i + k] = (uint32_t)unpack_bits(p, have, (uint64_t)k * (uint64_t)bit_width,
                                                   bit_width);
            i += take;
            p += have;
        } else {
            uint64_t cnt = h >> 1;
            if (cnt == 0 || end - p < vbytes)
                return false;
            uint32_t v = 0;
            for (int k = 0; k < vbytes; k++)
                v |= (uint32_t)p[k] << (8 * k);
            p += vbytes;
            int64_t take = (int64_t)(cnt < (uint64_t)(n - i) ? cnt : (uint64_t)(n - i));
            for (int64_t k = 0; k < take; k++)
                out[i + k] = v;
            i += take;
        }
    }
    return true;
}

bool pq_bitpacked_legacy_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out,
                                int64_t n)
{
    if (bit_width < 0 || bit_width > 32 || (uint64_t)n * (uint64_t)bit_width > (uint64_t)len * 8)
        return false;
    uint64_t bit = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t v = 0;
        for (int b = 0; b < bit_width; b++, bit++)
            v = (v << 1) | ((p[bit >> 3] >> (7 - (bit & 7))) & 1);
        out[i] = v;
    }
    return true;
}

/*
 * DELTA_BINARY_PACKED: a header (block size, miniblocks per block, value
 * count, first value) then blocks of (min delta, bit widths, miniblocks).
 * Decodes exactly n values (the header must announce at least n) into out;
 * *pp is left after the last miniblock read.
 */
static bool dbp_decode(const uint8_t **pp, const uint8_t *end, int64_t n, int64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t block, mini, total;
    int64_t first;
    if (!rd_varint(&p, end, &block) || !rd_varint(&p, end, &mini) ||
        !rd_varint(&p, end, &total) || !rd_zigzag(&p, end, &first))
        return false;
    if (block == 0 || block % 128 || mini == 0 || mini > block || block % mini ||
        (block / mini) % 32 || total < (uint64_t)n)
        return false;
    uint64_t per_mini = block / mini;
    int64_t count = 0;
    uint64_t last = (uint64_t)first;
    if (n > 0)
        out[count++] = first;
    while (count < n) {
        int64_t min_delta;
        if (!rd_zigzag(&p, end, &min_delta))
            return false;
        if ((uint64_t)(end - p) < mini)
            return false;
        const uint8_t *widths = p;
        p += mini;
        for (uint64_t m = 0; m < mini && count < n; m++) {
            int bw = widths[m];
            if (bw > 64)
                return false;
            uint64_t nbytes = per_mini * (uint64_t)bw / 8;
            size_t avail = (size_t)(end - p);
            /* The last miniblock may be truncated by some writers. */
            size_t have = nbytes < avail ? (size_t)nbytes : avail;
            uint64_t want = (uint64_t)(n - count) < per_mini ? (uint64_t)(n - count) : per_mini;
            if (want * (uint64_t)bw > (uint64_t)have * 8)
                return false;
            for (uint64_t j = 0; j < want; j++) {
                uint64_t d = unpack_bits(p, have, j * (uint64_t)bw, bw);
                last = last + (uint64_t)min_delta + d;
                out[count++] = (int64_t)last;
            }
            p += have;
        }
    }
    *pp = p;
    return true;
}

/* Decodes a DBP stream of lengths into a temporary arena array. */
static int64_t *dbp_lengths(const uint8_t **pp, const uint8_t *end, int64_t n, lm_arena *a)
{
    int64_t *lens = lm_arena_alloc(a, sizeof(int64_t) * (size_t)(n ? n : 1));
    if (lens == NULL || !dbp_decode(pp, end, n, lens))
        return NULL;
    return lens;
}

static bool plain_decode(int ptype, int32_t type_length, const uint8_t *p, size_t len,
                         int64_t n, pq_pv *out)
{
    const uint8_t *end = p + len;
    switch (ptype) {
    case PQ_BOOLEAN:
        if ((uint64_t)len * 8 < (uint64_t)n)
            return false;
        for (int64_t i = 0; i < n; i++)
            out[i].u.b = (p[i >> 3] >> (i & 7)) & 1;
        return true;
    case PQ_INT32:
    case PQ_FLOAT:
        if ((uint64_t)len < (uint64_t)n * 4)
            return false;
        for (int64_t i = 0; i < n; i++)
            memcpy(&out[i].u.i32, p + 4 * i, 4);
        return true;
    case PQ_INT64:
    case PQ_DOUBLE:
        if ((uint64_t)len < (uint64_t)n * 8)
            return false;
        for (int64_t i = 0; i < n; i++)
            memcpy(&out[i].u.i64, p + 8 * i, 8);
        return true;
    case PQ_INT96:
        type_length = 12;
        /* fall through */
    case PQ_FIXED_LEN_BYTE_ARRAY:
        if (type_length < 0 || (uint64_t)len < (uint64_t)n * (uint64_t)type_length)
            return false;
        for (int64_t i = 0; i < n; i++) {
            out[i].u.bin.p = p + (size_t)i * (size_t)type_length;
            out[i].u.bin.len = type_length;
        }
        return true;
    case PQ_BYTE_ARRAY:
        for (int64_t i = 0; i < n; i++) {
            if (end - p < 4)
                return false;
            uint32_t l;
            memcpy(&l, p, 4);
            p += 4;
            if (l > (uint64_t)(end - p))
                return false;
            out[i].u.bin.p = p;
            out[i].u.bin.len = (int32_t)l;
            p += l;
        }
        return true;
    default:
        return false;
    }
}

static bool byte_stream_split_decode(int ptype, int32_t type_length, const uint8_t *p,
                                     size_t len, int64_t n, pq_pv *out, lm_arena *a)
{
    int k = ptype == PQ_FLOAT || ptype == PQ_INT32   ? 4
            : ptype == PQ_DOUBLE || ptype == PQ_INT64 ? 8
            : ptype == PQ_FIXED_LEN_BYTE_ARRAY        ? type_length
                                                       : -1;
    if (k <= 0 || (uint64_t)len < (uint64_t)n * (uint64_t)k)
        return false;
    if (k == 4 || k == 8) {
        for (int64_t i = 0; i < n; i++) {
            uint8_t b[8];
            for (int j = 0; j < k; j++)
                b[j] = p[(size_t)j * (size_t)n + (size_t)i];
            memcpy(&out[i].u.i64, b, (size_t)k);
        }
        return true;
    }
    uint8_t *buf = lm_arena_alloc(a, (size_t)n * (size_t)k + 1);
    if (buf == NULL)
        return false;
    for (int64_t i = 0; i < n; i++) {
        for (int j = 0; j < k; j++)
            buf[i * k + j] = p[(size_t)j * (size_t)n + (size_t)i];
        out[i].u.bin.p = buf + i * k;
        out[i].u.bin.len = k;
    }
    return true;
}

bool pq_decode_values(int encoding, int ptype, int32_t type_length, const uint8_t *p,
                      size_t len, int64_t n, pq_pv *out, lm_arena *a)
{
    const uint8_t *end = p + len;
    switch (encoding) {
    case PQ_ENC_PLAIN:
        return plain_decode(ptype, type_length, p, len, n, out);
    case PQ_ENC_RLE: {
        /* Booleans in v2 pages: a 4-byte length then the hybrid runs. */
        if (ptype != PQ_BOOLEAN || len < 4)
            return false;
        uint32_t l;
        memcpy(&l, p, 4);
        if (l > len - 4)
            return false;
        uint32_t *tmp = lm_arena_alloc(a, sizeof(uint32_t) * (size_t)(n ? n : 1));
        if (tmp == NULL || !pq_rle_decode(p + 4, l, 1, tmp, n))
            return false;
        for (int64_t i = 0; i < n; i++)
            out[i].u.b = tmp[i] != 0;
        return true;
    }
    case PQ_ENC_DELTA_BINARY_PACKED: {
        if (ptype != PQ_INT32 && ptype != PQ_INT64)
            return false;
        int64_t *tmp = lm_arena_alloc(a, sizeof(int64_t) * (size_t)(n ? n : 1));
        if (tmp == NULL || !dbp_decode(&p, end, n, tmp))
            return false;
        for (int64_t i = 0; i < n; i++) {
            if (ptype == PQ_INT32)
                out[i].u.i32 = (int32_t)(uint32_t)(uint64_t)tmp[i];
            else
                out[i].u.i64 = tmp[i];
        }
        return true;
    }
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY: {
        if (ptype != PQ_BYTE_ARRAY)
            return false;
        int64_t *lens = dbp_lengths(&p, end, n, a);
        if (lens == NULL)
            return false;
        for (int64_t i = 0; i < n; i++) {
            if (lens[i] < 0 || lens[i] > end - p)
                return false;
            out[i].u.bin.p = p;
            out[i].u.bin.len = (int32_t)lens[i];
            p += lens[i];
        }
        return true;
    }
    case PQ_ENC_DELTA_BYTE_ARRAY: {
        if (ptype != PQ_BYTE_ARRAY && ptype != PQ_FIXED_LEN_BYTE_ARRAY)
            return false;
        int64_t *pre = dbp_lengths(&p, end, n, a);
        int64_t *suf = pre ? dbp_lengths(&p, end, n, a) : NULL;
        if (suf == NULL)
            return false;
        const uint8_t *prev = NULL;
        int64_t prev_len = 0;
        for (int64_t i = 0; i < n; i++) {
            if (pre[i] < 0 || pre[i] > prev_len || suf[i] < 0 || suf[i] > end - p ||
                pre[i] + suf[i] > INT32_MAX)
                return false;
            int64_t l = pre[i] + suf[i];
            uint8_t *v = lm_arena_alloc(a, (size_t)l + 1);
            if (v == NULL)
                return false;
            if (pre[i])
                memcpy(v, prev, (size_t)pre[i]);
            if (suf[i])
                memcpy(v + pre[i], p, (size_t)suf[i]);
            p += suf[i];
            out[i].u.bin.p = v;
            out[i].u.bin.len = (int32_t)l;
            prev = v;
            prev_len = l;
        }
        return true;
    }
    case PQ_ENC_BYTE_STREAM_SPLIT:
        return byte_stream_split_decode(ptype, type_length, p, len, n, out, a);
    default:
        return false;
    }
}

/* ------------------------------------------------------------ encoders */

static void wr_varint(lm_strbuf *out, uint64_t v)
{
    while (v >= 0x80) {
        lm_strbuf_putc(out, (char)(v | 0x80));
        v >>= 7;
    }
    lm_strbuf_putc(out, (char)v);
}

static void rle_run(lm_strbuf *out, uint32_t v, int64_t count, int bit_width)
{
    wr_varint(out, (uint64_t)count << 1);
    for (int k = 0; k < (bit_width + 7) / 8; k++)
        lm_strbuf_putc(out, (char)(v >> (8 * k)));
}

/* One bit-packed run of v[0..n) padded with zeros to a multiple of 8. */
static void packed_run(lm_strbuf *out, const uint32_t *v, int64_t n, int bit_width)
{
    if (n == 0)
        return;
    int64_t groups = (n + 7) / 8;
    wr_varint(out, ((uint64_t)groups << 1) | 1);
    uint64_t acc = 0;
    int bits = 0;
    for (int64_t i = 0; i < groups * 8; i++) {
        uint64_t x = i < n ? v[i] : 0;
        acc |= x << bits;
        bits += bit_width;
        while (bits >= 8) {
            lm_strbuf_putc(out, (char)(acc & 0xff));
            acc >>= 8;
            bits -= 8;
        }
    }
    if (bits > 0)
        lm_strbuf_putc(out, (char)(acc & 0xff));
}

/*
 * Runs of 8 or more equal values become RLE runs; everything else is
 * gathered into bit-packed runs. A bit-packed run must hold a multiple of
 * 8 values unless it is the last, so a pending run is topped up from the
 * next long run before that run is emitted.
 */
void pq_rle_encode(lm_strbuf *out, const uint32_t *v, int64_t n, int bit_width)
{
    if (bit_width == 0) {
        if (n)
            rle_run(out, 0, n, 0);
        return;
    }
    int64_t pend = 0, pend_n = 0, i = 0;
    while (i < n) {
        int64_t r = 1;
        while (i + r < n && v[i + r] == v[i])
            r++;
        int64_t fill = pend_n % 8 ? 8 - pend_n % 8 : 0;
        if (r >= 8 + fill) {
            pend_n += fill;
            i += fill;
            r -= fill;
            packed_run(out, v + pend, pend_n, bit_width);
            rle_run(out, v[i], r, bit_width);
            i += r;
            pend = i;
            pend_n = 0;
        } else {
            pend_n += r;
            i += r;
        }
    }
    packed_run(out, v + pend, pend_n, bit_width);
}

void pq_plain_encode(lm_strbuf *out, int ptype, int32_t type_length, const pq_pv *v, int64_t n)
{
    switch (ptype) {
    case PQ_BOOLEAN: {
        uint8_t acc = 0;
        for (int64_t i = 0; i < n; i++) {
            if (v[i].u.b)
                acc |= (uint8_t)(1u << (i & 7));
            if ((i & 7) == 7) {
                lm_strbuf_putc(out, (char)acc);
                acc = 0;
            }
        }
        if (n & 7)
            lm_strbuf_putc(out, (char)acc);
        break;
    }
    case PQ_INT32:
    case PQ_FLOAT:
        for (int64_t i = 0; i < n; i++)
            lm_strbuf_append(out, (const char *)&v[i].u.i32, 4);
        break;
    case PQ_INT64:
    case PQ_DOUBLE:
        for (int64_t i = 0; i < n; i++)
            lm_strbuf_append(out, (const char *)&v[i].u.i64, 8);
        break;
    case PQ_INT96:
    case PQ_FIXED_LEN_BYTE_ARRAY:
        for (int64_t i = 0; i < n; i++)
            lm_strbuf_append(out, (const char *)v[i].u.bin.p, (size_t)v[i].u.bin.len);
        break;
    case PQ_BYTE_ARRAY:
        for (int64_t i = 0; i < n; i++) {
            uint32_t l = (uint32_t)v[i].u.bin.len;
            lm_strbuf_append(out, (const char *)&l, 4);
            lm_strbuf_append(out, (const char *)v[i].u.bin.p, l);
        }
        break;
    default:
        break;
    }
    (void)type_length;
}
