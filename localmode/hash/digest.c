/*
 * MD5 (RFC 1321), SHA-1 and SHA-2 (FIPS 180-4), written from the
 * specifications. Each algorithm is one-shot: the message is processed in
 * whole blocks straight from the caller's buffer and only the padded tail
 * (one or two blocks) is copied, so nothing is allocated.
 */
#include "digest.h"

#include <string.h>

#include <zlib.h>

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t rotr32(uint32_t x, int r)
{
    return (x >> r) | (x << (32 - r));
}

static uint64_t rotr64(uint64_t x, int r)
{
    return (x >> r) | (x << (64 - r));
}

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static uint64_t load_be64(const uint8_t *p)
{
    return (uint64_t)load_be32(p) << 32 | load_be32(p + 4);
}

static void store_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void store_be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void store_be64(uint8_t *p, uint64_t v)
{
    store_be32(p, (uint32_t)(v >> 32));
    store_be32(p + 4, (uint32_t)v);
}

/*
 * Runs `compress` over the message padded as both RFC 1321 and FIPS 180-4
 * prescribe: a 1 bit, zeros, then the bit length in a `lenbytes`-wide
 * field (little-endian for MD5, big-endian for SHA) ending the last block.
 * Message lengths beyond 2^61 bytes are not representable in size_t here,
 * so the length field's high part is always zero.
 */
static void run_padded(const uint8_t *msg, size_t len, size_t block, size_t lenbytes,
                       bool little_endian, void *state,
                       void (*compress)(void *state, const uint8_t *blk))
{
    uint8_t tail[256];
    size_t full = len - len % block, rest = len - full, tail_len;
    uint64_t bits = (uint64_t)len * 8;

    for (size_t off = 0; off < full; off += block)
        compress(state, msg + off);

    memset(tail, 0, sizeof tail);
    if (rest)
        memcpy(tail, msg + full, rest);
    tail[rest] = 0x80;
    tail_len = (rest + 1 + lenbytes <= block) ? block : 2 * block;
    for (size_t i = 0; i < 8; i++) {
        uint8_t byte = (uint8_t)(bits >> (8 * i));
        if (little_endian)
            tail[tail_len - lenbytes + i] = byte;
        else
            tail[tail_len - 1 - i] = byte;
    }
    for (size_t off = 0; off < tail_len; off += block)
        compress(state, tail + off);
}

/* ---- MD5, RFC 1321 ---- */

/* T[i] = floor(2^32 * |sin(i + 1)|), section 3.4 */
static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391};

static const int md5_s[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static void md5_compress(void *state, const uint8_t *blk)
{
    uint32_t *h = state, x[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];

    for (int i = 0; i < 16; i++)
        x[i] = load_le32(blk + 4 * i);
    for (int i = 0; i < 64; i++) {
        int round = i / 16, k;
        uint32_t f, tmp;
        switch (round) {
        case 0:
            f = (b & c) | (~b & d);
            k = i;
            break;
        case 1:
            f = (b & d) | (c & ~d);
            k = (5 * i + 1) % 16;
            break;
        case 2:
            f = b ^ c ^ d;
            k = (3 * i + 5) % 16;
            break;
        default:
            f = c ^ (b | ~d);
            k = (7 * i) % 16;
            break;
        }
        tmp = d;
        d = c;
        c = b;
        b = b + rotl32(a + f + x[k] + md5_t[i], md5_s[round][i % 4]);
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void lm_md5(const void *data, size_t len, uint8_t out[LM_MD5_LEN])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    run_padded(data, len, 64, 8, true, h, md5_compress);
    for (int i = 0; i < 4; i++)
        store_le32(out + 4 * i, h[i]);
}

/* ---- SHA-1, FIPS 180-4 section 6.1 ---- */

static void sha1_compress(void *state, const uint8_t *blk)
{
    uint32_t *h = state, w[80];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

    for (int t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4 * t);
    for (int t = 16; t < 80; t++)
        w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    for (int t = 0; t < 80; t++) {
        uint32_t f, k, tmp;
        if (t < 20) {
            f = (b & c) ^ (~b & d);
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) ^ (b & d) ^ (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        tmp = rotl32(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl32(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void lm_sha1(const void *data, size_t len, uint8_t out[LM_SHA1_LEN])
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    run_padded(data, len, 64, 8, false, h, sha1_compress);
    for (int i = 0; i < 5; i++)
        store_be32(out + 4 * i, h[i]);
}

/* ---- SHA-224 / SHA-256, FIPS 180-4 sections 6.2 and 6.3 ---- */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static void sha256_compress(void *state, const uint8_t *blk)
{
    uint32_t *h = state, w[64], v[8];

    for (int t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4 * t);
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr32(w[t - 15], 7) ^ rotr32(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr32(w[t - 2], 17) ^ rotr32(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = s1 + w[t - 7] + s0 + w[t - 16];
    }
    memcpy(v, h, sizeof v);
    for (int t = 0; t < 64; t++) {
        uint32_t e = v[4], a = v[0];
        uint32_t big_s1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
        uint32_t ch = (e & v[5]) ^ (~e & v[6]);
        uint32_t t1 = v[7] + big_s1 + ch + sha256_k[t] + w[t];
        uint32_t big_s0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
        uint32_t maj = (a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]);
        uint32_t t2 = big_s0 + maj;
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

static void sha256_family(const void *data, size_t len, const uint32_t init[8], uint8_t *out,
                          int out_words)
{
    uint32_t h[8];
    memcpy(h, init, sizeof h);
    run_padded(data, len, 64, 8, false, h, sha256_compress);
    for (int i = 0; i < out_words; i++)
        store_be32(out + 4 * i, h[i]);
}

void lm_sha224(const void *data, size_t len, uint8_t out[LM_SHA224_LEN])
{
    static const uint32_t init[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                     0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
    sha256_family(data, len, init, out, 7);
}

void lm_sha256(const void *data, size_t len, uint8_t out[LM_SHA256_LEN])
{
    static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    sha256_family(data, len, init, out, 8);
}

/* ---- SHA-384 / SHA-512, FIPS 180-4 sections 6.4 and 6.5 ---- */

static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

static void sha512_compress(void *state, const uint8_t *blk)
{
    uint64_t *h = state, w[80], v[8];

    for (int t = 0; t < 16; t++)
        w[t] = load_be64(blk + 8 * t);
    for (int t = 16; t < 80; t++) {
        uint64_t s0 = rotr64(w[t - 15], 1) ^ rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7);
        uint64_t s1 = rotr64(w[t - 2], 19) ^ rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = s1 + w[t - 7] + s0 + w[t - 16];
    }
    memcpy(v, h, sizeof v);
    for (int t = 0; t < 80; t++) {
        uint64_t e = v[4], a = v[0];
        uint64_t big_s1 = rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41);
        uint64_t ch = (e & v[5]) ^ (~e & v[6]);
        uint64_t t1 = v[7] + big_s1 + ch + sha512_k[t] + w[t];
        uint64_t big_s0 = rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39);
        uint64_t maj = (a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]);
        uint64_t t2 = big_s0 + maj;
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

static void sha512_family(const void *data, size_t len, const uint64_t init[8], uint8_t *out,
                          int out_words)
{
    uint64_t h[8];
    memcpy(h, init, sizeof h);
    /* 128-bit length field; run_padded fills its low 8 bytes. */
    run_padded(data, len, 128, 16, false, h, sha512_compress);
    for (int i = 0; i < out_words; i++)
        store_be64(out + 8 * i, h[i]);
}

void lm_sha384(const void *data, size_t len, uint8_t out[LM_SHA384_LEN])
{
    static const uint64_t init[8] = {0xcbbb9d5dc1059ed8, 0x629a292a367cd507,
                                     0x9159015a3070dd17, 0x152fecd8f70e5939,
                                     0x67332667ffc00b31, 0x8eb44a8768581511,
                                     0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4};
    sha512_family(data, len, init, out, 6);
}

void lm_sha512(const void *data, size_t len, uint8_t out[LM_SHA512_LEN])
{
    static const uint64_t init[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b,
                                     0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                                     0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                     0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
    sha512_family(data, len, init, out, 8);
}

/* ---- hex and the SQL-facing wrappers ---- */

void lm_hex_lower(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

void lm_md5_hex(const void *data, size_t len, char out[2 * LM_MD5_LEN + 1])
{
    uint8_t d[LM_MD5_LEN];
    lm_md5(data, len, d);
    lm_hex_lower(d, sizeof d, out);
}

void lm_sha1_hex(const void *data, size_t len, char out[2 * LM_SHA1_LEN + 1])
{
    uint8_t d[LM_SHA1_LEN];
    lm_sha1(data, len, d);
    lm_hex_lower(d, sizeof d, out);
}

bool lm_sha2_hex(const void *data, size_t len, int32_t bits, char out[2 * LM_SHA512_LEN + 1])
{
    uint8_t d[LM_SHA512_LEN];
    switch (bits) {
    case 224:
        lm_sha224(data, len, d);
        lm_hex_lower(d, LM_SHA224_LEN, out);
        return true;
    case 0: /* Spark: a bit length of 0 means SHA-256 */
    case 256:
        lm_sha256(data, len, d);
        lm_hex_lower(d, LM_SHA256_LEN, out);
        return true;
    case 384:
        lm_sha384(data, len, d);
        lm_hex_lower(d, LM_SHA384_LEN, out);
        return true;
    case 512:
        lm_sha512(data, len, d);
        lm_hex_lower(d, LM_SHA512_LEN, out);
        return true;
    default:
        return false;
    }
}

int64_t lm_crc32(const void *data, size_t len)
{
    const Bytef *p = data;
    uLong crc = crc32(0L, Z_NULL, 0);
    /* zlib takes a uInt length; feed large inputs in pieces. */
    while (len > 0) {
        uInt chunk = len > 0x40000000u ? 0x40000000u : (uInt)len;
        crc = crc32(crc, p, chunk);
        p += chunk;
        len -= chunk;
    }
    return (int64_t)(crc & 0xffffffffu);
}
