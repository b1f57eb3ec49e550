/*
 * Decimal arithmetic for Spark's DecimalType on 128-bit unscaled values.
 * Wide intermediates use a 512-bit little-endian magnitude (16 x 32-bit
 * limbs): enough for a 38-digit value times 10^76, the widest product a
 * decimal division ever needs.
 */
#include "functions/decimal_ops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/numfmt.h"

typedef unsigned __int128 u128;

#define NL 16
typedef struct big {
    uint32_t w[NL];
} big;

static const lm_int128 k_max38 = (lm_int128)10000000000000000000ULL * (lm_int128)10000000000000000000ULL;

lm_int128 fn_dec_pow10(int n)
{
    lm_int128 r = 1;
    for (int i = 0; i < n; i++)
        r *= 10;
    return r;
}

static u128 uabs(lm_int128 v)
{
    return v < 0 ? (u128)0 - (u128)v : (u128)v;
}

int fn_dec_digits(lm_int128 v)
{
    u128 u = uabs(v);
    int d = 1;
    while (u >= 10) {
        u /= 10;
        d++;
    }
    return d;
}

bool fn_dec_fits(lm_int128 v, int precision)
{
    if (precision >= 38)
        return uabs(v) < (u128)k_max38 * 1; /* < 10^38 */
    return uabs(v) < (u128)fn_dec_pow10(precision);
}

static void big_from(big *b, u128 v)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < 4; i++) {
        b->w[i] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_mul_small(big *b, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < NL; i++) {
        uint64_t x = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)x;
        carry = x >> 32;
    }
}

static void big_mul_pow10(big *b, int n)
{
    while (n >= 9) {
        big_mul_small(b, 1000000000u);
        n -= 9;
    }
    while (n-- > 0)
        big_mul_small(b, 10);
}

static void big_mul(big *r, const big *a, const big *b)
{
    uint32_t t[2 * NL] = {0};
    for (int i = 0; i < NL; i++) {
        uint64_t carry = 0;
        if (a->w[i] == 0)
            continue;
        for (int j = 0; j < NL; j++) {
            uint64_t x = (uint64_t)a->w[i] * b->w[j] + t[i + j] + carry;
            t[i + j] = (uint32_t)x;
            carry = x >> 32;
        }
        for (int k = i + NL; carry && k < 2 * NL; k++) {
            uint64_t x = (uint64_t)t[k] + carry;
            t[k] = (uint32_t)x;
            carry = x >> 32;
        }
    }
    memcpy(r->w, t, sizeof r->w);
}

/* b / (big) d, with remainder as big; simple shift-subtract. */
static int big_cmp(const big *a, const big *b)
{
    for (int i = NL - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static void big_sub(big *a, const big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < NL; i++) {
        int64_t x = (int64_t)a->w[i] - b->w[i] - borrow;
        borrow = x < 0;
        a->w[i] = (uint32_t)(x + (borrow ? ((int64_t)1 << 32) : 0));
    }
}

static void big_shl1(big *a, uint32_t bit)
{
    for (int i = NL - 1; i > 0; i--)
        a->w[i] = (a->w[i] << 1) | (a->w[i - 1] >> 31);
    a->w[0] = (a->w[0] << 1) | bit;
}

static bool big_fits128(const big *b)
{
    for (int i = 4; i < NL; i++)
        if (b->w[i])
            return false;
    return true;
}

static void big_divmod_big(big *q, big *r, const big *n, const big *d)
{
    /* decimals of up to 38 digits (nearly every operation) fit in 128
       bits: the compiler's division is hundreds of times faster than the
       bit-by-bit loop below, which stays for wider intermediates */
    if (big_fits128(n) && big_fits128(d)) {
        u128 a = 0, b = 0;
        for (int i = 3; i >= 0; i--) {
            a = (a << 32) | n->w[i];
            b = (b << 32) | d->w[i];
        }
        if (b != 0) {
            big_from(q, a / b);
            big_from(r, a % b);
            return;
        }
    }
    big out, rem;
    memset(&out, 0, sizeof out);
    memset(&rem, 0, sizeof rem);
    for (int i = NL * 32 - 1; i >= 0; i--) {
        big_shl1(&rem, (n->w[i / 32] >> (i % 32)) & 1u);
        if (big_cmp(&rem, d) >= 0) {
            big_sub(&rem, d);
            out.w[i / 32] |= 1u << (i % 32);
        }
    }
    *q = out;
    *r = rem;
}

static bool big_is_zero(const big *b)
{
    for (int i = 0; i < NL; i++)
        if (b->w[i])
            return false;
    return true;
}

static bool big_to_u128(const big *b, u128 *out)
{
    for (int i = 4; i < NL; i++)
        if (b->w[i])
            return false;
    u128 v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 32) | b->w[i];
    *out = v;
    return true;
}

/* Rounds quotient q (remainder r of divisor d, all magnitudes) by mode. */
static bool round_up(fn_round_mode mode, bool neg, u128 q, const big *r2, const big *d)
{
    /* r2 = 2 * remainder, compared with divisor d */
    if (big_is_zero(r2))
        return false;
    int c = big_cmp(r2, d);
    switch (mode) {
    case FN_ROUND_HALF_UP: return c >= 0;
    case FN_ROUND_HALF_EVEN: return c > 0 || (c == 0 && (q & 1));
    case FN_ROUND_FLOOR: return neg;
    case FN_ROUND_CEILING: return !neg;
    case FN_ROUND_DOWN: return false;
    }
    return false;
}

/* Divides magnitude n by d, rounding; result sign neg. */
static bool finish_div(const big *n, const big *d, bool neg, fn_round_mode mode, lm_int128 *out)
{
    big q, r;
    big_divmod_big(&q, &r, n, d);
    u128 uq;
    if (!big_to_u128(&q, &uq))
        return false;
    big r2 = r;
    big_shl1(&r2, 0);
    if (round_up(mode, neg, uq, &r2, d))
        uq++;
    if (uq >= (u128)k_max38)
        return false;
    *out = neg ? -(lm_int128)uq : (lm_int128)uq;
    return true;
}

bool fn_dec_rescale(lm_int128 v, int from, int to, fn_round_mode mode, lm_int128 *out)
{
    bool neg = v < 0;
    big n, d;
    big_from(&n, uabs(v));
    big_from(&d, 1);
    if (to >= from)
        big_mul_pow10(&n, to - from);
    else
        big_mul_pow10(&d, from - to);
    return finish_div(&n, &d, neg, mode, out);
}

bool fn_dec_change(lm_int128 v, int from_scale, int precision, int scale, fn_round_mode mode,
                   lm_int128 *out)
{
    lm_int128 r;
    if (!fn_dec_rescale(v, from_scale, scale, mode, &r) || !fn_dec_fits(r, precision))
        return false;
    *out = r;
    return true;
}

bool fn_dec_mul(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out)
{
    bool neg = (a < 0) != (b < 0);
    big x, y, n, d;
    big_from(&x, uabs(a));
    big_from(&y, uabs(b));
    big_mul(&n, &x, &y);
    big_from(&d, 1);
    int s = sa + sb;
    if (scale >= s)
        big_mul_pow10(&n, scale - s);
    else
        big_mul_pow10(&d, s - scale);
    return finish_div(&n, &d, neg, FN_ROUND_HALF_UP, out);
}

bool fn_dec_div(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out)
{
    /* a/10^sa / (b/10^sb) = a * 10^(sb + scale - sa) / b at `scale` */
    bool neg = (a < 0) != (b < 0);
    big n, d;
    big_from(&n, uabs(a));
    big_from(&d, uabs(b));
    int k = sb + scale - sa;
    if (k >= 0)
        big_mul_pow10(&n, k);
    else
        big_mul_pow10(&d, -k);
    if (a == 0) {
        *out = 0;
        return true;
    }
    return finish_div(&n, &d, neg, FN_ROUND_HALF_UP, out);
}

bool fn_dec_intdiv(lm_int128 a, int sa, lm_int128 b, int sb, lm_int128 *out)
{
    bool neg = (a < 0) != (b < 0);
    big n, d;
    big_from(&n, uabs(a));
    big_from(&d, uabs(b));
    if (sb >= sa)
        big_mul_pow10(&n, sb - sa);
    else
        big_mul_pow10(&d, sa - sb);
    return finish_div(&n, &d, neg, FN_ROUND_DOWN, out);
}

bool fn_dec_rem(lm_int128 a, int sa, lm_int128 b, int sb, int scale, lm_int128 *out)
{
    int s = sa > sb ? sa : sb;
    big n, d, q, r;
    big_from(&n, uabs(a));
    big_from(&d, uabs(b));
    big_mul_pow10(&n, s - sa);
    big_mul_pow10(&d, s - sb);
    big_divmod_big(&q, &r, &n, &d);
    u128 ur;
    if (!big_to_u128(&r, &ur))
        return false;
    lm_int128 v = a < 0 ? -(lm_int128)ur : (lm_int128)ur;
    return fn_dec_rescale(v, s, scale, FN_ROUND_HALF_UP, out);
}

static int u128_digits(char *buf, u128 u)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return n;
}

int fn_dec_format(char *buf, lm_int128 v, int scale)
{
    char d[48];
    int n = u128_digits(d, uabs(v));
    int p = 0;
    if (v < 0)
        buf[p++] = '-';
    if (scale <= 0) {
        memcpy(buf + p, d, (size_t)n);
        p += n;
        for (int i = 0; i < -scale && !(n == 1 && d[0] == '0'); i++)
            buf[p++] = '0';
    } else if (n <= scale) {
        buf[p++] = '0';
        buf[p++] = '.';
        for (int i = 0; i < scale - n; i++)
            buf[p++] = '0';
        memcpy(buf + p, d, (size_t)n);
        p += n;
    } else {
        memcpy(buf + p, d, (size_t)(n - scale));
        p += n - scale;
        buf[p++] = '.';
        memcpy(buf + p, d + n - scale, (size_t)scale);
        p += scale;
    }
    buf[p] = 0;
    return p;
}

int fn_dec_format_java(char *buf, lm_int128 v, int scale)
{
    char d[48];
    int n = u128_digits(d, uabs(v));
    long adjusted = -(long)scale + (n - 1);
    if (scale >= 0 && adjusted >= -6)
        return fn_dec_format(buf, v, scale);
    int p = 0;
    if (v < 0)
        buf[p++] = '-';
    buf[p++] = d[0];
    if (n > 1) {
        buf[p++] = '.';
        memcpy(buf + p, d + 1, (size_t)(n - 1));
        p += n - 1;
    }
    p += snprintf(buf + p, 24, "E%s%ld", adjusted >= 0 ? "+" : "", adjusted);
    return p;
}

bool fn_dec_parse(const char *s, size_t n, lm_int128 *v, int *scale)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    u128 acc = 0;
    int ndig = 0, frac = 0;
    bool any = false, dot = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (acc == 0 && c == '0') {
                if (dot)
                    frac++;
                continue;
            }
            if (ndig >= 39)
                return false;
            acc = acc * 10 + (u128)(c - '0');
            ndig++;
            if (dot)
                frac++;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any)
        return false;
    long exp = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i >= n)
            return false;
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
        }
        if (eneg)
            exp = -exp;
    }
    if (i != n)
        return false;
    long sc = frac - exp;
    if (sc < 0) {
        if (acc != 0) {
            if (ndig - sc > 38)
                return false;
            for (long k = 0; k < -sc; k++)
                acc *= 10;
        }
        sc = 0;
    }
    if (acc >= (u128)k_max38)
        return false;
    if (sc > 38) {
        /* more fractional digits than any decimal type holds: round away */
        lm_int128 r;
        if (!fn_dec_rescale((lm_int128)acc, (int)(sc > 76 ? 76 : sc), 38, FN_ROUND_HALF_UP, &r))
            return false;
        acc = (u128)r;
        sc = 38;
    }
    *v = neg ? -(lm_int128)acc : (lm_int128)acc;
    *scale = (int)sc;
    return true;
}

double fn_dec_to_double(lm_int128 v, int scale)
{
    char buf[FN_DEC_BUF + 16];
    char d[48];
    int n = u128_digits(d, uabs(v));
    snprintf(buf, sizeof buf, "%s%se-%d", v < 0 ? "-" : "", d, scale);
    (void)n;
    return strtod(buf, NULL);
}

static bool from_digits(bool neg, const char *digits, int ndig, int exp10, int precision,
                        int scale, lm_int128 *out)
{
    /* value = 0.d1d2..dn * 10^(exp10+1) = d1..dn * 10^(exp10 + 1 - n) */
    u128 acc = 0;
    for (int i = 0; i < ndig; i++)
        acc = acc * 10 + (u128)(digits[i] - '0');
    int e = exp10 + 1 - ndig; /* value = acc * 10^e */
    lm_int128 sv = neg ? -(lm_int128)acc : (lm_int128)acc;
    if (e >= 0) {
        if (e > 38)
            return false;
        big n;
        big_from(&n, acc);
        big_mul_pow10(&n, e + scale);
        u128 u;
        if (!big_to_u128(&n, &u) || u >= (u128)k_max38)
            return false;
        lm_int128 r = neg ? -(lm_int128)u : (lm_int128)u;
        if (!fn_dec_fits(r, precision))
            return false;
        *out = r;
        return true;
    }
    if (-e > 76 + 38) {
        *out = 0;
        return true;
    }
    if (-e > 76) {
        /* far below the scale: rounds to zero */
        *out = 0;
        return fn_dec_fits(0, precision);
    }
    return fn_dec_change(sv, -e, precision, scale, FN_ROUND_HALF_UP, out);
}

bool fn_dec_from_double(double d, int precision, int scale, lm_int128 *out)
{
    if (isnan(d) || isinf(d))
        return false;
    if (d == 0) {
        *out = 0;
        return true;
    }
    char digits[32];
    int exp10;
    int n = lm_double_shortest_digits(d, digits, &exp10);
    /* digits d1.d2..dn x 10^exp10 */
    return from_digits(d < 0, digits, n, exp10, precision, scale, out);
}

bool fn_dec_from_float(float f, int precision, int scale, lm_int128 *out)
{
    return fn_dec_from_double((double)f, precision, scale, out);
}

void fn_dec_adjust(int *p, int *s)
{
    if (*p <= 38)
        return;
    int int_digits = *p - *s;
    int min_scale = *s < 6 ? *s : 6;
    int adj = 38 - int_digits;
    if (adj < min_scale)
        adj = min_scale;
    *p = 38;
    *s = adj;
}
