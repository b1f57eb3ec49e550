/*
 * Number text as the JVM writes and Spark reads it (see numfmt.h).
 *
 * Shortest round-trip digits are found with the C library rather than a
 * Ryu-style algorithm: glibc's printf("%.*e") rounds exactly and strtod/
 * strtof round correctly, so "the p-digit decimal nearest to x rounds back to
 * x" is a cheap, exact test. Whether some p-digit decimal rounds back is
 * monotone in p, so a binary search over p = 1..17 needs about five probes.
 * This is slower than Ryu but small and obviously right; revisit if
 * rendering doubles ever shows up in a profile.
 *
 * Text handed to strtod is always rebuilt as "<digits>e<exp>" (or the hex
 * equivalent) with no decimal point, so the C locale's radix character never
 * matters.
 */
#include "types/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Formatting                                                               */
/* ------------------------------------------------------------------------ */

/* True if the decimal m x 10^q rounds (to nearest) back to x. */
static bool numfmt_roundtrips(uint64_t m, int q, double x, bool is_float)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%llue%d", (unsigned long long)m, q);
    if (is_float)
        return strtof(buf, NULL) == (float)x;
    return strtod(buf, NULL) == x;
}

/*
 * Looks for a p-digit decimal that rounds back to x (x > 0, finite). The
 * nearest p-digit decimal is printf's; if it fails, the only other candidate
 * that can succeed is its neighbour on the other side of x (the interval of
 * values rounding to x is convex and contains x). When the nearest works it
 * is also the one Java picks: Java takes the closest among the shortest.
 */
static bool numfmt_digits_at(double x, bool is_float, int p, uint64_t *m, int *q)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.*e", p - 1, x);

    uint64_t mant = 0;
    const char *c = buf;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            mant = mant * 10 + (uint64_t)(*c - '0');
    int e = (*c == 'e') ? atoi(c + 1) : 0;
    int exp = e - (p - 1); /* value = mant x 10^exp */

    if (numfmt_roundtrips(mant, exp, x, is_float)) {
        *m = mant;
        *q = exp;
        return true;
    }

    uint64_t pow = 1;
    for (int i = 1; i < p; i++)
        pow *= 10;
    /* The p-digit decimal just below 10^(p-1) x 10^exp has one more digit
       of exponent: 99..9 x 10^(exp-1). */
    uint64_t lo = mant - 1;
    int qlo = exp;
    if (mant == pow) {
        lo = mant * 10 - 1;
        qlo = exp - 1;
    }
    if (numfmt_roundtrips(lo, qlo, x, is_float)) {
        *m = lo;
        *q = qlo;
        return true;
    }
    if (numfmt_roundtrips(mant + 1, exp, x, is_float)) {
        *m = mant + 1;
        *q = exp;
        return true;
    }
    return false;
}

/*
 * Java's choice of digits (JDK 19+ javadoc of Double.toString): among the
 * decimals that round to x take those of minimal length m; if m == 1, also
 * consider length 2; pick the one closest to x (ties: even last digit). The
 * m == 1 rule is why Double.MIN_VALUE prints 4.9E-324 rather than 5.0E-324.
 */
static int numfmt_shortest(double x, bool is_float, char *digits, int *exp10)
{
    if (x == 0) {
        digits[0] = '0';
        digits[1] = '\0';
        *exp10 = 0;
        return 1;
    }
    x = fabs(x);

    int lo = 1, hi = is_float ? 9 : 17;
    uint64_t m = 0;
    int q = 0;
    /* Fast path for integral values below 2^53 (2^24 for float): the ulp is
       at most 1, so no decimal with fewer significant digits than the
       integer itself rounds back, and the integer's digits are the answer.
       Columns of whole numbers are common enough to deserve it. */
    if (x < (is_float ? 16777216.0 : 9007199254740992.0) && x == floor(x)) {
        m = (uint64_t)x;
        goto strip;
    }
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (numfmt_digits_at(x, is_float, mid, &m, &q))
            hi = mid;
        else
            lo = mid + 1;
    }
    int p = lo == 1 ? 2 : lo;
    if (!numfmt_digits_at(x, is_float, p, &m, &q)) {
        /* Cannot happen: 17 (9) digits always round-trip. Fall back to the
           nearest 17-digit decimal rather than print garbage. */
        numfmt_digits_at(x, is_float, is_float ? 9 : 17, &m, &q);
    }
strip:
    while (m % 10 == 0 && m != 0) {
        m /= 10;
        q++;
    }
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)m);
    memcpy(digits, tmp, (size_t)n + 1);
    *exp10 = q + n - 1;
    return n;
}

int lm_double_shortest_digits(double d, char *digits, int *exp10)
{
    return numfmt_shortest(d, false, digits, exp10);
}

int lm_float_shortest_digits(float f, char *digits, int *exp10)
{
    return numfmt_shortest((double)f, true, digits, exp10);
}

/* Lays out digits/exponent as Java does: plain for 1e-3 <= |x| < 1e7, else
   d.dddE<exp>. Always at least one digit after the point. */
static int numfmt_render(char *buf, bool neg, const char *dg, int n, int e)
{
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (e >= -3 && e < 7) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                *p++ = i < n ? dg[i] : '0';
            *p++ = '.';
            if (n > e + 1) {
                for (int i = e + 1; i < n; i++)
                    *p++ = dg[i];
            } else {
                *p++ = '0';
            }
        } else {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -e - 1; i++)
                *p++ = '0';
            for (int i = 0; i < n; i++)
                *p++ = dg[i];
        }
    } else {
        *p++ = dg[0];
        *p++ = '.';
        if (n > 1) {
            for (int i = 1; i < n; i++)
                *p++ = dg[i];
        } else {
            *p++ = '0';
        }
        p += sprintf(p, "E%d", e);
    }
    *p = '\0';
    return (int)(p - buf);
}

static int numfmt_format(char *buf, double x, bool is_float)
{
    if (isnan(x))
        return sprintf(buf, "NaN");
    if (isinf(x))
        return sprintf(buf, x > 0 ? "Infinity" : "-Infinity");
    char dg[24];
    int e;
    int n = numfmt_shortest(x, is_float, dg, &e);
    return numfmt_render(buf, signbit(x) != 0, dg, n, e);
}

int lm_format_double(char *buf, double d)
{
    return numfmt_format(buf, d, false);
}

int lm_format_float(char *buf, float f)
{
    return numfmt_format(buf, (double)f, true);
}

/* ------------------------------------------------------------------------ */
/* Integral parsing (UTF8String.toLong / toInt)                             */
/* ------------------------------------------------------------------------ */

/* UTF8String.isWhitespaceOrISOControl on a byte: Character.isWhitespace or
   isISOControl of a signed byte, i.e. 0x00-0x20 and 0x7F. Bytes >= 0x80 are
   negative in Java and never trimmed. */
static bool numfmt_is_trim_all(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

static void numfmt_trim_all(const char **s, size_t *n)
{
    const unsigned char *b = (const unsigned char *)*s;
    size_t i = 0, j = *n;
    while (i < j && numfmt_is_trim_all(b[i]))
        i++;
    while (j > i && numfmt_is_trim_all(b[j - 1]))
        j--;
    *s += i;
    *n = j - i;
}

/*
 * Spark accumulates negatively so that the minimum value parses; we do the
 * same with an unsigned magnitude bounded by limit (|MIN|) and check the
 * sign at the end.
 */
static bool numfmt_parse_integral(const char *s, size_t n, uint64_t limit, bool *neg,
                                  uint64_t *mag)
{
    numfmt_trim_all(&s, &n);
    if (n == 0)
        return false;
    size_t i = 0;
    *neg = s[0] == '-';
    if (s[0] == '-' || s[0] == '+') {
        if (n == 1)
            return false;
        i = 1;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            i++;
            break;
        }
        if (c < '0' || c > '9')
            return false;
        unsigned d = (unsigned)(c - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    /* The fractional part is validated but does not change the value. */
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    if (!*neg && v > limit - 1)
        return false;
    *mag = v;
    return true;
}

bool lm_parse_long(const char *s, size_t n, int64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!numfmt_parse_integral(s, n, (uint64_t)INT64_MAX + 1, &neg, &mag))
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

bool lm_parse_int(const char *s, size_t n, int32_t *out)
{
    bool neg;
    uint64_t mag;
    if (!numfmt_parse_integral(s, n, (uint64_t)INT32_MAX + 1, &neg, &mag))
        return false;
    *out = neg ? (int32_t)(0 - (int64_t)mag) : (int32_t)mag;
    return true;
}

bool lm_parse_short(const char *s, size_t n, int16_t *out)
{
    int32_t v;
    if (!lm_parse_int(s, n, &v) || v < INT16_MIN || v > INT16_MAX)
        return false;
    *out = (int16_t)v;
    return true;
}

bool lm_parse_byte(const char *s, size_t n, int8_t *out)
{
    int32_t v;
    if (!lm_parse_int(s, n, &v) || v < INT8_MIN || v > INT8_MAX)
        return false;
    *out = (int8_t)v;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Floating-point parsing (Double.parseDouble + Spark's special literals)   */
/* ------------------------------------------------------------------------ */

/* Java's String.trim: code units <= ' ' (0x7F is not trimmed). */
static void numfmt_java_trim(const char **s, size_t *n)
{
    const unsigned char *b = (const unsigned char *)*s;
    size_t i = 0, j = *n;
    while (i < j && b[i] <= 0x20)
        i++;
    while (j > i && b[j - 1] <= 0x20)
        j--;
    *s += i;
    *n = j - i;
}

static bool numfmt_match(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool numfmt_imatch(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return false;
    }
    return true;
}

static int numfmt_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads [+-]digits into a saturating exponent; false without a digit. */
static bool numfmt_read_exp(const char *s, size_t n, size_t *i, long long *exp)
{
    bool eneg = false;
    if (*i < n && (s[*i] == '+' || s[*i] == '-')) {
        eneg = s[*i] == '-';
        (*i)++;
    }
    size_t start = *i;
    long long e = 0;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
        if (e < 1000000000LL)
            e = e * 10 + (s[*i] - '0');
        (*i)++;
    }
    if (*i == start)
        return false;
    *exp = eneg ? -e : e;
    return true;
}

/* Accepts an optional single f/F/d/D suffix at the very end. */
static bool numfmt_at_end(const char *s, size_t n, size_t i)
{
    if (i == n)
        return true;
    return i == n - 1 && (s[i] == 'f' || s[i] == 'F' || s[i] == 'd' || s[i] == 'D');
}

/*
 * At most this many significant digits are passed on to strtod; the rest
 * collapse into one nonzero "sticky" digit. Halfway points between doubles
 * have fewer than 770 significant digits, so the truncated text rounds the
 * same way as the full one, and no allocation is ever needed.
 */
#define NUMFMT_MAXDIG 800

/*
 * Converts significant digits (no leading zeros, count nd) times 10^exp, or
 * hex digits times 2^exp, with strtod/strtof. Exponents far outside the
 * format's range are decided here so that the text we build stays short.
 */
static void numfmt_convert(bool neg, const char *dg, size_t nd, long long exp, bool hex,
                           bool is_float, double *dout, float *fout)
{
    double v;
    float f;
    /* The value lies in [base^(order-1), base^order) for decimal digits. */
    long long order = hex ? exp + 4 * (long long)nd : exp + (long long)nd;
    if (nd == 0 || order < (hex ? -1200 : -400)) {
        v = 0.0;
        f = 0.0f;
    } else if (order > (hex ? 1100 : 400)) {
        v = INFINITY;
        f = INFINITY;
    } else if (!hex && !is_float && nd <= 15 && exp >= -22 && exp <= 22) {
        /* Clinger's fast path: the digits and the power of ten are both
           exact doubles, so one IEEE multiply or divide is the correctly
           rounded value strtod would give */
        static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        int64_t m = 0;
        for (size_t k = 0; k < nd; k++)
            m = m * 10 + (dg[k] - '0');
        v = exp < 0 ? (double)m / pow10[-exp] : (double)m * pow10[exp];
        f = (float)v;
    } else {
        char buf[NUMFMT_MAXDIG + 40];
        size_t k = 0;
        if (hex) {
            buf[k++] = '0';
            buf[k++] = 'x';
        }
        memcpy(buf + k, dg, nd);
        k += nd;
        /* the exponent by hand: snprintf cost more than the digits */
        buf[k++] = hex ? 'p' : 'e';
        unsigned long long ue = exp < 0 ? 0ULL - (unsigned long long)exp : (unsigned long long)exp;
        if (exp < 0)
            buf[k++] = '-';
        char rev[24];
        int nr = 0;
        do {
            rev[nr++] = (char)('0' + ue % 10);
            ue /= 10;
        } while (ue);
        while (nr)
            buf[k++] = rev[--nr];
        buf[k] = '\0';
        /* A float is rounded once from the text, never via a double. */
        if (is_float) {
            f = strtof(buf, NULL);
            v = f;
        } else {
            v = strtod(buf, NULL);
            f = (float)v;
        }
    }
    *dout = neg ? -v : v;
    *fout = neg ? -f : f;
}

/*
 * Java's FloatingDecimal.readJavaFormatString grammar on an already trimmed
 * string. On success stores the value (double, and float rounded directly
 * from the text when is_float).
 */
static bool numfmt_java_parse(const char *s, size_t n, bool is_float, double *dout, float *fout)
{
    size_t i = 0;
    bool neg = false;
    if (n == 0)
        return false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    if (i < n && s[i] == 'N') {
        if (!numfmt_match(s + i, n - i, "NaN"))
            return false;
        *dout = NAN;
        *fout = NAN;
        return true;
    }
    if (i < n && s[i] == 'I') {
        if (!numfmt_match(s + i, n - i, "Infinity"))
            return false;
        *dout = neg ? -INFINITY : INFINITY;
        *fout = neg ? -INFINITY : INFINITY;
        return true;
    }

    bool hex = i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
    if (hex)
        i += 2;

    /* Mantissa: digits [. digits], at least one digit overall. Collect the
       significant digits (leading zeros dropped) and count those after the
       point to fold them into the exponent. */
    size_t first_sig = (size_t)-1, nfrac = 0, ndig = 0;
    bool seen_point = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (seen_point)
                break;
            seen_point = true;
            continue;
        }
        bool isdig = hex ? numfmt_hexval(c) >= 0 : (c >= '0' && c <= '9');
        if (!isdig)
            break;
        ndig++;
        if (seen_point)
            nfrac++;
        if (first_sig == (size_t)-1 && c != '0')
            first_sig = i;
    }
    if (ndig == 0)
        return false;
    size_t mant_end = i;

    long long exp = 0;
    if (hex) {
        /* Java requires the binary exponent in hex floats. */
        if (i >= n || (s[i] != 'p' && s[i] != 'P'))
            return false;
        i++;
        if (!numfmt_read_exp(s, n, &i, &exp))
            return false;
    } else if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (!numfmt_read_exp(s, n, &i, &exp))
            return false;
    }
    if (!numfmt_at_end(s, n, i))
        return false;

    /* Gather significant digits without the point; value = digits x
       base^e where each hex digit is 4 binary places. */
    char dg[NUMFMT_MAXDIG + 1];
    size_t nd = 0;
    long long dropped = 0;
    bool sticky = false;
    if (first_sig != (size_t)-1) {
        for (size_t k = first_sig; k < mant_end; k++) {
            if (s[k] == '.')
                continue;
            if (nd < NUMFMT_MAXDIG) {
                dg[nd++] = s[k];
            } else {
                dropped++;
                sticky |= s[k] != '0';
            }
        }
    }
    int unit = hex ? 4 : 1;
    long long e = exp - unit * ((long long)nfrac - dropped);
    if (sticky) {
        dg[nd++] = '1';
        e -= unit;
    }
    numfmt_convert(neg, dg, nd, e, hex, is_float, dout, fout);
    return true;
}

/* Spark's Cast.processFloatingPointSpecialLiterals, on the trimmed text. */
static bool numfmt_special(const char *s, size_t n, double *out)
{
    if (numfmt_imatch(s, n, "inf") || numfmt_imatch(s, n, "+inf") ||
        numfmt_imatch(s, n, "infinity") || numfmt_imatch(s, n, "+infinity")) {
        *out = INFINITY;
        return true;
    }
    if (numfmt_imatch(s, n, "-inf") || numfmt_imatch(s, n, "-infinity")) {
        *out = -INFINITY;
        return true;
    }
    if (numfmt_imatch(s, n, "nan")) {
        *out = NAN;
        return true;
    }
    return false;
}

bool lm_parse_double(const char *s, size_t n, double *out)
{
    double d;
    float f;
    numfmt_java_trim(&s, &n);
    if (numfmt_java_parse(s, n, false, &d, &f) || numfmt_special(s, n, &d)) {
        *out = d;
        return true;
    }
    return false;
}

bool lm_parse_float(const char *s, size_t n, float *out)
{
    double d;
    float f;
    numfmt_java_trim(&s, &n);
    if (numfmt_java_parse(s, n, true, &d, &f)) {
        *out = f;
        return true;
    }
    if (numfmt_special(s, n, &d)) {
        *out = (float)d;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------ */
/* Boolean parsing                                                          */
/* ------------------------------------------------------------------------ */

bool lm_parse_bool(const char *s, size_t n, bool *out)
{
    static const char *const truths[] = {"t", "true", "y", "yes", "1"};
    static const char *const falsehoods[] = {"f", "false", "n", "no", "0"};
    numfmt_trim_all(&s, &n);
    for (size_t i = 0; i < sizeof truths / sizeof truths[0]; i++) {
        if (numfmt_imatch(s, n, truths[i])) {
            *out = true;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof falsehoods / sizeof falsehoods[0]; i++) {
        if (numfmt_imatch(s, n, falsehoods[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}
