/*
 * 128-bit decimals with Spark's rounding and overflow rules (see decimal.h).
 *
 * Values are handled as sign + magnitude. Most operations stay in
 * unsigned __int128; when an exact intermediate needs more (a 38 x 38 digit
 * product has 76 digits, a quotient's numerator up to 115), a small
 * fixed-size bignum of 32-bit limbs takes over. It only needs multiply by a
 * small factor, multiply of two 128-bit values, division by a small factor
 * and division by a value below 2^127, so it is written out here rather than
 * pulled in from a library.
 */
#include "types/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/numfmt.h"

typedef unsigned __int128 dec_u128;

#define DEC_MAXP 38

/* 10^0 .. 10^38; 10^38 < 2^127 so every entry fits. Written as two
   64-bit halves because C has no 128-bit integer literals. */
#define P(hi, lo) (((dec_u128)(hi) << 64) | (dec_u128)(lo))
static const dec_u128 dec_p10[DEC_MAXP + 1] = {
    P(0x0000000000000000ull, 0x0000000000000001ull), /* 1e0 */
    P(0x0000000000000000ull, 0x000000000000000aull), /* 1e1 */
    P(0x0000000000000000ull, 0x0000000000000064ull), /* 1e2 */
    P(0x0000000000000000ull, 0x00000000000003e8ull), /* 1e3 */
    P(0x0000000000000000ull, 0x0000000000002710ull), /* 1e4 */
    P(0x0000000000000000ull, 0x00000000000186a0ull), /* 1e5 */
    P(0x0000000000000000ull, 0x00000000000f4240ull), /* 1e6 */
    P(0x0000000000000000ull, 0x0000000000989680ull), /* 1e7 */
    P(0x0000000000000000ull, 0x0000000005f5e100ull), /* 1e8 */
    P(0x0000000000000000ull, 0x000000003b9aca00ull), /* 1e9 */
    P(0x0000000000000000ull, 0x00000002540be400ull), /* 1e10 */
    P(0x0000000000000000ull, 0x000000174876e800ull), /* 1e11 */
    P(0x0000000000000000ull, 0x000000e8d4a51000ull), /* 1e12 */
    P(0x0000000000000000ull, 0x000009184e72a000ull), /* 1e13 */
    P(0x0000000000000000ull, 0x00005af3107a4000ull), /* 1e14 */
    P(0x0000000000000000ull, 0x00038d7ea4c68000ull), /* 1e15 */
    P(0x0000000000000000ull, 0x002386f26fc10000ull), /* 1e16 */
    P(0x0000000000000000ull, 0x016345785d8a0000ull), /* 1e17 */
    P(0x0000000000000000ull, 0x0de0b6b3a7640000ull), /* 1e18 */
    P(0x0000000000000000ull, 0x8ac7230489e80000ull), /* 1e19 */
    P(0x0000000000000005ull, 0x6bc75e2d63100000ull), /* 1e20 */
    P(0x0000000000000036ull, 0x35c9adc5dea00000ull), /* 1e21 */
    P(0x000000000000021eull, 0x19e0c9bab2400000ull), /* 1e22 */
    P(0x000000000000152dull, 0x02c7e14af6800000ull), /* 1e23 */
    P(0x000000000000d3c2ull, 0x1bcecceda1000000ull), /* 1e24 */
    P(0x0000000000084595ull, 0x161401484a000000ull), /* 1e25 */
    P(0x000000000052b7d2ull, 0xdcc80cd2e4000000ull), /* 1e26 */
    P(0x00000000033b2e3cull, 0x9fd0803ce8000000ull), /* 1e27 */
    P(0x00000000204fce5eull, 0x3e25026110000000ull), /* 1e28 */
    P(0x00000001431e0faeull, 0x6d7217caa0000000ull), /* 1e29 */
    P(0x0000000c9f2c9cd0ull, 0x4674edea40000000ull), /* 1e30 */
    P(0x0000007e37be2022ull, 0xc0914b2680000000ull), /* 1e31 */
    P(0x000004ee2d6d415bull, 0x85acef8100000000ull), /* 1e32 */
    P(0x0000314dc6448d93ull, 0x38c15b0a00000000ull), /* 1e33 */
    P(0x0001ed09bead87c0ull, 0x378d8e6400000000ull), /* 1e34 */
    P(0x0013426172c74d82ull, 0x2b878fe800000000ull), /* 1e35 */
    P(0x00c097ce7bc90715ull, 0xb34b9f1000000000ull), /* 1e36 */
    P(0x0785ee10d5da46d9ull, 0x00f436a000000000ull), /* 1e37 */
    P(0x4b3b4ca85a86c47aull, 0x098a224000000000ull), /* 1e38 */
};
#undef P

/* 10^p, the bound |unscaled| must stay below for precision p. Callers pass
   1..38; out-of-range values are clamped so that a bad type cannot index
   past the table. */
static dec_u128 dec_limit(int p)
{
    return dec_p10[p < 0 ? 0 : p > DEC_MAXP ? DEC_MAXP : p];
}

static dec_u128 dec_abs(lm_int128 v)
{
    return v < 0 ? (dec_u128)0 - (dec_u128)v : (dec_u128)v;
}

static lm_int128 dec_signed(bool neg, dec_u128 mag)
{
    return neg ? (lm_int128)((dec_u128)0 - mag) : (lm_int128)mag;
}

/* ------------------------------------------------------------------------ */
/* A 512-bit unsigned integer, little-endian 32-bit limbs                   */
/* ------------------------------------------------------------------------ */

#define DEC_LIMBS 16

typedef struct dec_big {
    uint32_t w[DEC_LIMBS];
} dec_big;

static void big_from_u128(dec_big *b, dec_u128 v)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < 4; i++) {
        b->w[i] = (uint32_t)v;
        v >>= 32;
    }
}

/* False if the value needs more than 128 bits. */
static bool big_to_u128(const dec_big *b, dec_u128 *out)
{
    for (int i = 4; i < DEC_LIMBS; i++)
        if (b->w[i])
            return false;
    dec_u128 v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 32) | b->w[i];
    *out = v;
    return true;
}

/* b = b * m + add; false on overflow past 512 bits. */
static bool big_mul_small(dec_big *b, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < DEC_LIMBS; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    return carry == 0;
}

static bool big_mul_pow10(dec_big *b, int k)
{
    while (k >= 9) {
        if (!big_mul_small(b, 1000000000u, 0))
            return false;
        k -= 9;
    }
    static const uint32_t small[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                     100000000};
    return k == 0 || big_mul_small(b, small[k], 0);
}

/* b /= d; returns the remainder. */
static uint32_t big_div_small(dec_big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = DEC_LIMBS - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | b->w[i];
        b->w[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    return (uint32_t)rem;
}

static void big_add_small(dec_big *b, uint32_t v)
{
    uint64_t carry = v;
    for (int i = 0; i < DEC_LIMBS && carry; i++) {
        uint64_t t = (uint64_t)b->w[i] + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
}

static void big_mul_u128(dec_big *out, dec_u128 a, dec_u128 b)
{
    uint32_t x[4], y[4];
    for (int i = 0; i < 4; i++) {
        x[i] = (uint32_t)(a >> (32 * i));
        y[i] = (uint32_t)(b >> (32 * i));
    }
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            uint64_t t = (uint64_t)x[i] * y[j] + out->w[i + j] + carry;
            out->w[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        out->w[i + 4] = (uint32_t)carry;
    }
}

static int big_cmp(const dec_big *a, const dec_big *b)
{
    for (int i = DEC_LIMBS - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b, requires a >= b. */
static void big_sub(dec_big *a, const dec_big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < DEC_LIMBS; i++) {
        int64_t t = (int64_t)a->w[i] - b->w[i] - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
    }
}

static void big_add(dec_big *a, const dec_big *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < DEC_LIMBS; i++) {
        uint64_t t = (uint64_t)a->w[i] + b->w[i] + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
}

/*
 * n /= d, *rem = n mod d, for 0 < d < 2^127. Plain shift-and-subtract: the
 * partial remainder stays below d, so doubling it cannot overflow 128 bits.
 * Only reached when operands are too wide for native division.
 */
static void big_divmod_u128(dec_big *n, dec_u128 d, dec_u128 *rem)
{
    dec_u128 r = 0;
    for (int i = DEC_LIMBS - 1; i >= 0; i--) {
        uint32_t limb = n->w[i], q = 0;
        if (limb == 0 && r == 0) {
            n->w[i] = 0;
            continue;
        }
        for (int bit = 31; bit >= 0; bit--) {
            r = (r << 1) | ((limb >> bit) & 1);
            if (r >= d) {
                r -= d;
                q |= (uint32_t)1 << bit;
            }
        }
        n->w[i] = q;
    }
    *rem = r;
}

/* Whether rounding away the dropped part moves the magnitude up by one. */
static bool dec_round_up(lm_round_mode mode, bool neg, unsigned first_dropped, bool sticky,
                         bool odd)
{
    bool inexact = first_dropped != 0 || sticky;
    switch (mode) {
    case LM_ROUND_HALF_UP:
        return first_dropped >= 5;
    case LM_ROUND_HALF_EVEN:
        return first_dropped > 5 || (first_dropped == 5 && (sticky || odd));
    case LM_ROUND_FLOOR:
        return neg && inexact;
    case LM_ROUND_CEILING:
        return !neg && inexact;
    case LM_ROUND_DOWN:
        break;
    }
    return false;
}

/* m = round(m / 10^k) with mode, the value's sign being neg. */
static void big_round_div_pow10(dec_big *m, int k, lm_round_mode mode, bool neg)
{
    if (k <= 0)
        return;
    bool sticky = false;
    int rest = k - 1;
    while (rest > 0) {
        int step = rest > 9 ? 9 : rest;
        static const uint32_t p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                       100000000, 1000000000};
        if (big_div_small(m, p10[step]))
            sticky = true;
        rest -= step;
    }
    unsigned digit = big_div_small(m, 10);
    if (dec_round_up(mode, neg, digit, sticky, m->w[0] & 1))
        big_add_small(m, 1);
}

/* u = round(u / 10^k), 0 <= k <= 38, native. */
static dec_u128 dec_round_div_u128(dec_u128 u, int k, lm_round_mode mode, bool neg)
{
    if (k <= 0)
        return u;
    const dec_u128 *p10 = dec_p10;
    dec_u128 q = u / p10[k];
    dec_u128 r = u % p10[k];
    unsigned first = (unsigned)(r / p10[k - 1]);
    bool sticky = (r % p10[k - 1]) != 0;
    if (dec_round_up(mode, neg, first, sticky, (unsigned)q & 1))
        q++;
    return q;
}

/*
 * Fits an exact magnitude at scale s to (rp, rs): rounds with mode when
 * rs < s, scales up when rs > s, then checks |result| < 10^rp.
 */
static lm_dec_result dec_fit_big(bool neg, dec_big *m, int s, int rp, int rs, lm_round_mode mode,
                                 lm_int128 *out)
{
    if (rs < s) {
        big_round_div_pow10(m, s - rs, mode, neg);
    } else if (rs > s) {
        dec_u128 probe;
        if (!big_to_u128(m, &probe) || (probe != 0 && rs - s > DEC_MAXP))
            return LM_DEC_OVERFLOW;
        if (!big_mul_pow10(m, rs - s))
            return LM_DEC_OVERFLOW;
    }
    dec_u128 u;
    if (!big_to_u128(m, &u) || u >= dec_limit(rp))
        return LM_DEC_OVERFLOW;
    *out = dec_signed(neg, u);
    return LM_DEC_OK;
}

static lm_dec_result dec_fit_u128(bool neg, dec_u128 u, int s, int rp, int rs, lm_round_mode mode,
                                  lm_int128 *out)
{
    if (rs < s && s - rs <= DEC_MAXP) {
        u = dec_round_div_u128(u, s - rs, mode, neg);
    } else if (rs != s) {
        dec_big m;
        big_from_u128(&m, u);
        return dec_fit_big(neg, &m, s, rp, rs, mode, out);
    }
    if (u >= dec_limit(rp))
        return LM_DEC_OVERFLOW;
    *out = dec_signed(neg, u);
    return LM_DEC_OK;
}

/* ------------------------------------------------------------------------ */
/* Precision helpers                                                        */
/* ------------------------------------------------------------------------ */

int lm_decimal_digits(lm_int128 v)
{
    dec_u128 u = dec_abs(v);
    const dec_u128 *p10 = dec_p10;
    int d = 1;
    while (d <= DEC_MAXP && u >= p10[d])
        d++;
    return d;
}

bool lm_decimal_fits(lm_int128 v, int precision)
{
    return dec_abs(v) < dec_limit(precision);
}

bool lm_decimal_rescale_mode(lm_int128 v, int from_scale, int to_precision, int to_scale,
                             lm_round_mode mode, lm_int128 *out)
{
    return dec_fit_u128(v < 0, dec_abs(v), from_scale, to_precision, to_scale, mode, out) ==
           LM_DEC_OK;
}

bool lm_decimal_rescale(lm_int128 v, int from_scale, int to_precision, int to_scale,
                        lm_int128 *out)
{
    return lm_decimal_rescale_mode(v, from_scale, to_precision, to_scale, LM_ROUND_HALF_UP, out);
}

bool lm_decimal_round(lm_int128 v, int scale, int new_scale, lm_round_mode mode, lm_int128 *out)
{
    if (new_scale >= scale) {
        *out = v;
        return true;
    }
    /* Units of 10^40 or more: any 38-digit value rounds to 0 or to one unit,
       and one unit no longer fits, so -40 stands for everything below. */
    if (new_scale < -(DEC_MAXP + 2))
        new_scale = -(DEC_MAXP + 2);
    bool neg = v < 0;
    dec_big m;
    big_from_u128(&m, dec_abs(v));
    /* Round to units of 10^-new_scale, then express at scale max(new_scale,0). */
    big_round_div_pow10(&m, scale - new_scale, mode, neg);
    if (new_scale < 0 && !big_mul_pow10(&m, -new_scale))
        return false;
    dec_u128 u;
    if (!big_to_u128(&m, &u) || u >= dec_p10[DEC_MAXP])
        return false;
    *out = dec_signed(neg, u);
    return true;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */
/* ------------------------------------------------------------------------ */

int lm_decimal_to_string(char *buf, lm_int128 unscaled, int scale)
{
    char digits[48];
    int n = 0;
    dec_u128 u = dec_abs(unscaled);
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    /* digits[] is least significant first */
    char *p = buf;
    if (unscaled < 0)
        *p++ = '-';
    if (scale <= 0) {
        for (int i = n - 1; i >= 0; i--)
            *p++ = digits[i];
    } else if (n > scale) {
        for (int i = n - 1; i >= scale; i--)
            *p++ = digits[i];
        *p++ = '.';
        for (int i = scale - 1; i >= 0; i--)
            *p++ = digits[i];
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int i = scale; i > n; i--)
            *p++ = '0';
        for (int i = n - 1; i >= 0; i--)
            *p++ = digits[i];
    }
    *p = '\0';
    return (int)(p - buf);
}

/*
 * Digits of a decimal number as parsed from text: the first nbuf (at most
 * DEC_DIGBUF) significant digits in buf, ntotal significant digits in all
 * (no leading zeros; 0 means the value is zero), value = D x 10^exp10.
 */
#define DEC_DIGBUF 80

typedef struct dec_text {
    bool neg;
    char buf[DEC_DIGBUF];
    int nbuf;
    long long ntotal;
    long long exp10;
    long long nfrac; /* digits written after the point, leading zeros too */
    long long exp;   /* the e/E exponent as written */
} dec_text;

/*
 * D x 10^exp10 rounded with mode to scale, as an unscaled value with at most
 * precision digits. Digits past nbuf are never needed: if they would be
 * kept, the result has more than DEC_DIGBUF digits and overflows anyway, and
 * HALF_UP looks only at the first dropped digit. (The other modes are only
 * used on values with few digits.)
 */
static bool dec_from_digits(const dec_text *t, int precision, int scale, lm_round_mode mode,
                            lm_int128 *out)
{
    if (t->ntotal == 0) {
        *out = 0;
        return true;
    }
    if (precision > DEC_MAXP)
        precision = DEC_MAXP; /* nothing wider fits in 128 bits anyway */
    long long k = t->exp10 + scale; /* unscaled = D x 10^k */
    long long keep = t->ntotal + (k < 0 ? k : 0);
    if (keep + (k > 0 ? k : 0) > precision)
        return false;
    dec_u128 u = 0;
    for (long long i = 0; i < keep; i++)
        u = u * 10 + (dec_u128)(t->buf[i] - '0');
    if (k > 0) {
        u *= dec_p10[k];
    } else if (k < 0) {
        unsigned first = (keep >= 0 && keep < t->nbuf) ? (unsigned)(t->buf[keep] - '0') : 0;
        bool sticky = false;
        for (long long i = (keep < 0 ? 0 : keep + 1); i < t->nbuf; i++)
            sticky |= t->buf[i] != '0';
        sticky |= t->ntotal > t->nbuf;
        if (dec_round_up(mode, t->neg, first, sticky, (unsigned)u & 1))
            u++;
    }
    if (u >= dec_limit(precision))
        return false;
    *out = dec_signed(t->neg, u);
    return true;
}

/* Java BigDecimal(String) syntax after String.trim(). */
static bool dec_scan(const char *s, size_t n, dec_text *t)
{
    const unsigned char *b = (const unsigned char *)s;
    size_t i = 0, j = n;
    while (i < j && b[i] <= 0x20)
        i++;
    while (j > i && b[j - 1] <= 0x20)
        j--;
    memset(t, 0, sizeof *t);
    if (i < j && (s[i] == '+' || s[i] == '-')) {
        t->neg = s[i] == '-';
        i++;
    }
    bool point = false;
    long long ndig = 0;
    for (; i < j; i++) {
        char c = s[i];
        if (c == '.') {
            if (point)
                return false;
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        ndig++;
        if (point)
            t->nfrac++;
        if (t->ntotal == 0 && c == '0')
            continue; /* leading zero */
        if (t->nbuf < DEC_DIGBUF)
            t->buf[t->nbuf++] = c;
        t->ntotal++;
    }
    if (ndig == 0)
        return false;
    if (i < j && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < j && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        size_t start = i;
        long long e = 0;
        for (; i < j && s[i] >= '0' && s[i] <= '9'; i++) {
            e = e * 10 + (s[i] - '0');
            if (e > INT32_MAX + 1LL)
                return false; /* BigDecimal: exponent overflow */
        }
        if (i == start)
            return false;
        t->exp = eneg ? -e : e;
    }
    if (i != j)
        return false;
    /* BigDecimal's scale (nfrac - exp) must be an int. */
    long long scale = t->nfrac - t->exp;
    if (scale > INT32_MAX || scale < INT32_MIN)
        return false;
    t->exp10 = -scale;
    return true;
}

bool lm_decimal_parse(const char *s, size_t n, lm_int128 *unscaled, int *precision, int *scale)
{
    dec_text t;
    if (!dec_scan(s, n, &t))
        return false;
    long long bd_scale = -t.exp10;
    long long bd_prec = t.ntotal == 0 ? 1 : t.ntotal;
    long long p, sc;
    if (bd_prec - bd_scale > DEC_MAXP)
        return false;
    if (bd_prec < bd_scale) {
        p = bd_scale;
        sc = bd_scale;
    } else if (bd_scale < 0) {
        p = bd_prec - bd_scale;
        sc = 0;
    } else {
        p = bd_prec;
        sc = bd_scale;
    }
    if (p > DEC_MAXP)
        return false;
    if (!dec_from_digits(&t, (int)p, (int)sc, LM_ROUND_HALF_UP, unscaled))
        return false;
    *precision = (int)p;
    *scale = (int)sc;
    return true;
}

bool lm_decimal_parse_to(const char *s, size_t n, int precision, int scale, lm_int128 *out)
{
    dec_text t;
    if (!dec_scan(s, n, &t))
        return false;
    /* Decimal.fromString fails fast on more than 38 integral digits, even
       for a zero such as "0e50" (BigDecimal precision 1, scale -50). */
    long long bd_prec = t.ntotal == 0 ? 1 : t.ntotal;
    if (bd_prec + t.exp10 > DEC_MAXP)
        return false;
    return dec_from_digits(&t, precision, scale, LM_ROUND_HALF_UP, out);
}

/* ------------------------------------------------------------------------ */
/* Arithmetic                                                               */
/* ------------------------------------------------------------------------ */

/* v x 10^k if it fits in int128. */
static bool dec_scale_up(lm_int128 v, int k, lm_int128 *out)
{
    if (k < 0)
        return false; /* scales are 0..38; never scale down here */
    if (k > DEC_MAXP)
        return v == 0 ? (*out = 0, true) : false;
    return !__builtin_mul_overflow(v, (lm_int128)dec_p10[k], out);
}

static lm_dec_result dec_fit_signed(lm_int128 v, int s, int rp, int rs, lm_int128 *out)
{
    return dec_fit_u128(v < 0, dec_abs(v), s, rp, rs, LM_ROUND_HALF_UP, out);
}

/* Exact a + b, or a - b when negate_b, at scale max(sa, sb), then fitted.
   Native when both operands align within int128; else in 512 bits. */
static lm_dec_result dec_addsub(lm_int128 a, int sa, lm_int128 b, bool negate_b, int sb, int rp,
                                int rs, lm_int128 *out)
{
    int s = sa > sb ? sa : sb;
    lm_int128 x, y, r;
    bool bneg = negate_b ? b > 0 : b < 0; /* sign of the term added */
    if (dec_scale_up(a, s - sa, &x) && dec_scale_up(b, s - sb, &y)) {
        bool ovf = negate_b ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
        if (!ovf)
            return dec_fit_signed(r, s, rp, rs, out);
    }
    /* Wide path: magnitudes up to 10^76. */
    dec_big ma, mb;
    big_from_u128(&ma, dec_abs(a));
    big_from_u128(&mb, dec_abs(b));
    big_mul_pow10(&ma, s - sa);
    big_mul_pow10(&mb, s - sb);
    bool aneg = a < 0;
    if (aneg == bneg) {
        big_add(&ma, &mb);
        return dec_fit_big(aneg, &ma, s, rp, rs, LM_ROUND_HALF_UP, out);
    }
    if (big_cmp(&ma, &mb) >= 0) {
        big_sub(&ma, &mb);
        return dec_fit_big(aneg, &ma, s, rp, rs, LM_ROUND_HALF_UP, out);
    }
    big_sub(&mb, &ma);
    return dec_fit_big(bneg, &mb, s, rp, rs, LM_ROUND_HALF_UP, out);
}

lm_dec_result lm_decimal_add(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out)
{
    return dec_addsub(a, sa, b, false, sb, rp, rs, out);
}

lm_dec_result lm_decimal_sub(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out)
{
    return dec_addsub(a, sa, b, true, sb, rp, rs, out);
}

lm_dec_result lm_decimal_mul(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out)
{
    lm_int128 r;
    if (!__builtin_mul_overflow(a, b, &r))
        return dec_fit_signed(r, sa + sb, rp, rs, out);
    dec_big m;
    big_mul_u128(&m, dec_abs(a), dec_abs(b));
    return dec_fit_big((a < 0) != (b < 0), &m, sa + sb, rp, rs, LM_ROUND_HALF_UP, out);
}

/*
 * The quotient at scale rs is a x 10^(rs + sb - sa) / b. HALF_UP depends
 * only on the first dropped digit, so we compute T = floor(10 x that) and
 * round on T's last digit; no remainder comparison is needed.
 */
lm_dec_result lm_decimal_div(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out)
{
    if (b == 0)
        return LM_DEC_DIV_ZERO;
    bool neg = (a < 0) != (b < 0);
    dec_u128 ua = dec_abs(a), ub = dec_abs(b);
    const dec_u128 *p10 = dec_p10;
    int k = rs + sb - sa + 1;
    dec_u128 t;
    if (k < 0) {
        t = ua / ub;
        t = -k > DEC_MAXP ? 0 : t / p10[-k];
    } else if (k <= DEC_MAXP && ua <= ((dec_u128)-1) / p10[k]) {
        t = ua * p10[k] / ub;
    } else {
        dec_big m;
        dec_u128 rem;
        big_from_u128(&m, ua);
        big_mul_pow10(&m, k);
        big_divmod_u128(&m, ub, &rem);
        unsigned digit = big_div_small(&m, 10);
        if (digit >= 5)
            big_add_small(&m, 1);
        return dec_fit_big(neg, &m, rs, rp, rs, LM_ROUND_HALF_UP, out);
    }
    dec_u128 q = t / 10 + (t % 10 >= 5);
    return dec_fit_u128(neg, q, rs, rp, rs, LM_ROUND_HALF_UP, out);
}

/*
 * |a| mod |b| at scale s = max(sa, sb), as a magnitude below 10^38: the
 * remainder is smaller than both the (scaled) divisor and the dividend, and
 * one of those is unscaled.
 */
static dec_u128 dec_rem_mag(dec_u128 ua, int sa, dec_u128 ub, int sb)
{
    const dec_u128 *p10 = dec_p10;
    if (sa >= sb) {
        int k = sa - sb;
        if (k > DEC_MAXP || ub > ua / p10[k])
            return ua; /* scaled divisor exceeds the dividend */
        return ua % (ub * p10[k]);
    }
    int k = sb - sa;
    if (k <= DEC_MAXP && ua <= ((dec_u128)-1) / p10[k])
        return (ua * p10[k]) % ub;
    dec_big m;
    dec_u128 rem;
    big_from_u128(&m, ua);
    big_mul_pow10(&m, k);
    big_divmod_u128(&m, ub, &rem);
    return rem;
}

lm_dec_result lm_decimal_rem(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                             lm_int128 *out)
{
    if (b == 0)
        return LM_DEC_DIV_ZERO;
    int s = sa > sb ? sa : sb;
    dec_u128 r = dec_rem_mag(dec_abs(a), sa, dec_abs(b), sb);
    return dec_fit_u128(a < 0, r, s, rp, rs, LM_ROUND_HALF_UP, out);
}

/*
 * With r = a % b (sign of a, |r| < |b|): for r >= 0 the result is r. For
 * r < 0, (r + b) % b is r + b when b > 0 (0 < r + b < b), and r when b < 0
 * (r + b lies between 2b and b, so one b comes off again).
 */
lm_dec_result lm_decimal_pmod(lm_int128 a, int sa, lm_int128 b, int sb, int rp, int rs,
                              lm_int128 *out)
{
    if (b == 0)
        return LM_DEC_DIV_ZERO;
    int s = sa > sb ? sa : sb;
    dec_u128 r = dec_rem_mag(dec_abs(a), sa, dec_abs(b), sb);
    if (a >= 0 || r == 0 || b < 0)
        return dec_fit_u128(a < 0 && r != 0, r, s, rp, rs, LM_ROUND_HALF_UP, out);
    /* b' - |r| where b' = b x 10^(s - sb) may exceed 128 bits */
    dec_big mb, mr;
    big_from_u128(&mb, (dec_u128)b);
    big_mul_pow10(&mb, s - sb);
    big_from_u128(&mr, r);
    big_sub(&mb, &mr);
    return dec_fit_big(false, &mb, s, rp, rs, LM_ROUND_HALF_UP, out);
}

int lm_decimal_compare(lm_int128 a, int sa, lm_int128 b, int sb)
{
    if (sa == sb)
        return a < b ? -1 : a > b;
    if ((a < 0) != (b < 0) || a == 0 || b == 0)
        return a < b ? -1 : a > b; /* sign decides */
    dec_big ma, mb;
    big_from_u128(&ma, dec_abs(a));
    big_from_u128(&mb, dec_abs(b));
    if (sa < sb)
        big_mul_pow10(&ma, sb - sa);
    else
        big_mul_pow10(&mb, sa - sb);
    int c = big_cmp(&ma, &mb);
    return a < 0 ? -c : c;
}

/* ------------------------------------------------------------------------ */
/* Conversions                                                              */
/* ------------------------------------------------------------------------ */

bool lm_decimal_from_int64(int64_t v, int precision, int scale, lm_int128 *out)
{
    lm_int128 r;
    if (!dec_scale_up((lm_int128)v, scale, &r) || !lm_decimal_fits(r, precision))
        return false;
    *out = r;
    return true;
}

bool lm_decimal_to_int64(lm_int128 v, int scale, int64_t *out)
{
    /* C division truncates toward zero, as BigDecimal.longValue does; a
       38-digit value has no integral part at scale 39 and beyond. */
    lm_int128 q = scale <= 0 ? v : scale > DEC_MAXP ? 0 : v / (lm_int128)dec_p10[scale];
    *out = (int64_t)(uint64_t)(dec_u128)q;
    return q >= INT64_MIN && q <= INT64_MAX;
}

/* "<digits>e<-scale>": no decimal point, so strtod's locale never matters. */
static void dec_sci_text(char *buf, lm_int128 v, int scale)
{
    int n = lm_decimal_to_string(buf, v, 0);
    sprintf(buf + n, "e%d", -scale);
}

double lm_decimal_to_double(lm_int128 v, int scale)
{
    char buf[LM_DECIMAL_BUFSZ + 16];
    dec_sci_text(buf, v, scale);
    return strtod(buf, NULL);
}

float lm_decimal_to_float(lm_int128 v, int scale)
{
    char buf[LM_DECIMAL_BUFSZ + 16];
    dec_sci_text(buf, v, scale);
    return strtof(buf, NULL);
}

bool lm_decimal_from_double(double d, int precision, int scale, lm_int128 *out)
{
    if (!isfinite(d))
        return false; /* NaN, infinities: BigDecimal rejects them */
    dec_text t;
    memset(&t, 0, sizeof t);
    int e;
    int n = lm_double_shortest_digits(d, t.buf, &e);
    t.neg = d < 0;
    if (n == 1 && t.buf[0] == '0') {
        t.ntotal = 0;
    } else {
        t.nbuf = n;
        t.ntotal = n;
        t.exp10 = e - (n - 1); /* d1.d2..dn x 10^e = D x 10^(e-n+1) */
    }
    return dec_from_digits(&t, precision, scale, LM_ROUND_HALF_UP, out);
}

/* ------------------------------------------------------------------------ */
/* Result types                                                             */
/* ------------------------------------------------------------------------ */

static int dec_min(int a, int b)
{
    return a < b ? a : b;
}

static int dec_max(int a, int b)
{
    return a > b ? a : b;
}

/* DecimalType.MINIMUM_ADJUSTED_SCALE */
#define DEC_MIN_ADJUSTED_SCALE 6

void lm_decimal_bounded(int p, int s, int *rp, int *rs)
{
    *rp = dec_min(p, DEC_MAXP);
    *rs = dec_min(s, DEC_MAXP);
}

/*
 * Spark's adjustPrecisionScale: within 38 digits nothing changes. Beyond,
 * precision becomes 38 and the scale gives way to keep the integral digits,
 * but never below min(scale, 6).
 */
void lm_decimal_adjust_precision_scale(int p, int s, int *rp, int *rs)
{
    if (p <= DEC_MAXP) {
        *rp = p;
        *rs = s;
    } else if (s < 0) {
        *rp = DEC_MAXP;
        *rs = s;
    } else {
        int int_digits = p - s;
        int min_scale = dec_min(s, DEC_MIN_ADJUSTED_SCALE);
        *rp = DEC_MAXP;
        *rs = dec_max(DEC_MAXP - int_digits, min_scale);
    }
}

void lm_decimal_result_add(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = dec_max(s1, s2);
    lm_decimal_adjust_precision_scale(dec_max(p1 - s1, p2 - s2) + scale + 1, scale, p, s);
}

void lm_decimal_result_sub(int p1, int s1, int p2, int s2, int *p, int *s)
{
    lm_decimal_result_add(p1, s1, p2, s2, p, s);
}

void lm_decimal_result_mul(int p1, int s1, int p2, int s2, int *p, int *s)
{
    lm_decimal_adjust_precision_scale(p1 + p2 + 1, s1 + s2, p, s);
}

void lm_decimal_result_div(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int int_digits = p1 - s1 + s2;
    int scale = dec_max(DEC_MIN_ADJUSTED_SCALE, s1 + p2 + 1);
    lm_decimal_adjust_precision_scale(int_digits + scale, scale, p, s);
}

void lm_decimal_result_rem(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = dec_max(s1, s2);
    lm_decimal_adjust_precision_scale(dec_min(p1 - s1, p2 - s2) + scale, scale, p, s);
}

void lm_decimal_result_pmod(int p1, int s1, int p2, int s2, int *p, int *s)
{
    lm_decimal_result_rem(p1, s1, p2, s2, p, s);
}

void lm_decimal_result_wider(int p1, int s1, int p2, int s2, int *p, int *s)
{
    int scale = dec_max(s1, s2);
    lm_decimal_bounded(dec_max(p1 - s1, p2 - s2) + scale, scale, p, s);
}

bool lm_decimal_type_for_integral(lm_type_id id, int *precision, int *scale)
{
    switch (id) {
    case LM_TYPE_BYTE:
        *precision = 3, *scale = 0;
        return true;
    case LM_TYPE_SHORT:
        *precision = 5, *scale = 0;
        return true;
    case LM_TYPE_INT:
        *precision = 10, *scale = 0;
        return true;
    case LM_TYPE_LONG:
        *precision = 20, *scale = 0;
        return true;
    case LM_TYPE_FLOAT:
        *precision = 14, *scale = 7;
        return true;
    case LM_TYPE_DOUBLE:
        *precision = 30, *scale = 15;
        return true;
    default:
        return false;
    }
}

void lm_decimal_type_for_literal(int64_t v, int *precision, int *scale)
{
    *precision = lm_decimal_digits((lm_int128)v);
    *scale = 0;
}
