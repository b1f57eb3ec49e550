/*
 * Python's hash() for the key types PySpark pair RDDs commonly use, and
 * PySpark's portable_hash on top of it. The numeric hash follows the
 * definition in Python's documentation ("Hashing of numeric types"); the
 * string hash is SipHash-1-3 (Aumasson and Bernstein) with the all-zero
 * key that PYTHONHASHSEED=0 selects.
 */
#include "portable_hash.h"

#include <math.h>

/* sys.hash_info.modulus: the Mersenne prime 2^61 - 1. */
#define PY_HASH_BITS 61
#define PY_HASH_MODULUS ((UINT64_C(1) << PY_HASH_BITS) - 1)
#define PY_HASH_INF INT64_C(314159)

/* Python reserves -1 as an error marker, so a hash of -1 becomes -2. */
static int64_t py_fix_minus_one(int64_t h)
{
    return h == -1 ? -2 : h;
}

int64_t lm_portable_hash_i64(int64_t x)
{
    /* |x| as unsigned; well defined for INT64_MIN too. */
    uint64_t mag = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    int64_t h = (int64_t)(mag % PY_HASH_MODULUS);
    return py_fix_minus_one(x < 0 ? -h : h);
}

/* (a * b) mod 2^61-1 for a, b < 2^61-1. */
static uint64_t mulmod_p(uint64_t a, uint64_t b)
{
    unsigned __int128 prod = (unsigned __int128)a * b;
    /* 2^61 == 1 (mod P): fold the high bits onto the low ones. */
    uint64_t r = (uint64_t)(prod & PY_HASH_MODULUS) + (uint64_t)(prod >> PY_HASH_BITS);
    while (r >= PY_HASH_MODULUS)
        r -= PY_HASH_MODULUS;
    return r;
}

int64_t lm_portable_hash_double(double x)
{
    double m;
    int e;
    uint64_t mant, h;
    bool neg;

    if (isinf(x))
        return x > 0 ? PY_HASH_INF : -PY_HASH_INF;
    if (isnan(x))
        return 0;
    if (x == 0.0)
        return 0;
    neg = x < 0;
    /* x = mant * 2^(e - 53) exactly, with mant a 53-bit integer. */
    m = frexp(fabs(x), &e);
    mant = (uint64_t)ldexp(m, 53);
    e -= 53;
    /* hash = mant * 2^e mod P, where 2^e is taken mod P through
       2^61 == 1, so 2^e == 2^(e mod 61) for negative e as well. */
    e %= PY_HASH_BITS;
    if (e < 0)
        e += PY_HASH_BITS;
    h = mulmod_p(mant % PY_HASH_MODULUS, UINT64_C(1) << e);
    return py_fix_minus_one(neg ? -(int64_t)h : (int64_t)h);
}

/* ---- SipHash-1-3 with a zero key ---- */

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

typedef struct sip_state {
    uint64_t v0, v1, v2, v3;
} sip_state;

static void sip_round(sip_state *s)
{
    s->v0 += s->v1;
    s->v1 = rotl64(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = rotl64(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = rotl64(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = rotl64(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = rotl64(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = rotl64(s->v2, 32);
}

static void sip_absorb(sip_state *s, uint64_t m)
{
    s->v3 ^= m;
    sip_round(s);
    s->v0 ^= m;
}

/*
 * Streaming SipHash-1-3 with a zero key: bytes are fed one at a time so a
 * str can be hashed in CPython's storage form without materialising it.
 * The total length must be known up front (it goes in the last word).
 */
typedef struct sip_stream {
    sip_state s;
    uint64_t word; /* bytes of the current 8-byte word, little-endian */
    int nbytes;    /* how many bytes `word` holds */
    size_t total;
} sip_stream;

static void sip_init(sip_stream *st, size_t total)
{
    /* The initial constants xor-ed with a zero key are the constants. */
    st->s.v0 = UINT64_C(0x736f6d6570736575);
    st->s.v1 = UINT64_C(0x646f72616e646f6d);
    st->s.v2 = UINT64_C(0x6c7967656e657261);
    st->s.v3 = UINT64_C(0x7465646279746573);
    st->word = 0;
    st->nbytes = 0;
    st->total = total;
}

static void sip_byte(sip_stream *st, uint8_t b)
{
    st->word |= (uint64_t)b << (8 * st->nbytes);
    if (++st->nbytes == 8) {
        sip_absorb(&st->s, st->word);
        st->word = 0;
        st->nbytes = 0;
    }
}

static uint64_t sip_finish(sip_stream *st)
{
    sip_absorb(&st->s, st->word | (uint64_t)st->total << 56);
    st->s.v2 ^= 0xff;
    for (int i = 0; i < 3; i++)
        sip_round(&st->s);
    return st->s.v0 ^ st->s.v1 ^ st->s.v2 ^ st->s.v3;
}

/* CPython's _Py_HashBytes result for a finished stream: empty input
   hashes to 0, -1 becomes -2. */
static int64_t py_hash_result(sip_stream *st)
{
    if (st->total == 0)
        return 0;
    return py_fix_minus_one((int64_t)sip_finish(st));
}

int64_t lm_portable_hash_bytes(const void *p, size_t len)
{
    const uint8_t *b = p;
    sip_stream st;
    sip_init(&st, len);
    for (size_t i = 0; i < len; i++)
        sip_byte(&st, b[i]);
    return py_hash_result(&st);
}

/*
 * Decodes one UTF-8 sequence at s[*i] (strictly: no overlongs, surrogates
 * or code points past U+10FFFF). Returns the code point or -1.
 */
static int32_t utf8_next(const uint8_t *s, size_t len, size_t *i)
{
    uint8_t c = s[*i];
    int32_t cp, min;
    int n;

    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if ((c & 0xe0) == 0xc0) {
        cp = c & 0x1f;
        n = 1;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        cp = c & 0x0f;
        n = 2;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        cp = c & 0x07;
        n = 3;
        min = 0x10000;
    } else {
        return -1;
    }
    if (len - *i <= (size_t)n)
        return -1;
    for (int k = 1; k <= n; k++) {
        uint8_t cc = s[*i + (size_t)k];
        if ((cc & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *i += (size_t)n + 1;
    return cp;
}

bool lm_portable_hash_str(const char *utf8, size_t len, int64_t *out)
{
    const uint8_t *s = (const uint8_t *)utf8;
    size_t nchars = 0, i = 0, kind = 1;
    sip_stream st;
    int32_t cp;

    /* First pass: validate, count, and find CPython's storage width
       (Latin-1, UCS-2 or UCS-4, by the largest code point). */
    while (i < len) {
        if ((cp = utf8_next(s, len, &i)) < 0)
            return false;
        nchars++;
        if (cp > 0xffff)
            kind = 4;
        else if (cp > 0xff && kind < 2)
            kind = 2;
    }
    /* Second pass: hash each code point as `kind` little-endian bytes. */
    sip_init(&st, nchars * kind);
    i = 0;
    while (i < len) {
        cp = utf8_next(s, len, &i);
        for (size_t k = 0; k < kind; k++)
            sip_byte(&st, (uint8_t)((uint32_t)cp >> (8 * k)));
    }
    *out = py_hash_result(&st);
    return true;
}

int64_t lm_portable_hash_tuple(int n, const int64_t *elem_hashes)
{
    /* PySpark: h = 0x345678; for each element h ^= hash; h *= 1000003;
       h &= sys.maxsize; finally h ^= len. Python integers do not wrap, but
       masking to 63 bits after each multiply keeps exactly the low 63 bits
       of the wrapped 64-bit product, so unsigned arithmetic reproduces it. */
    uint64_t h = 0x345678;
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)elem_hashes[i];
        h *= 1000003u;
        h &= UINT64_C(0x7fffffffffffffff);
    }
    h ^= (uint64_t)n;
    return py_fix_minus_one((int64_t)h);
}

int lm_portable_partition(int64_t hash, int num_partitions)
{
    int64_t r = hash % num_partitions;
    return (int)(r < 0 ? r + num_partitions : r);
}
