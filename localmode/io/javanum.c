/*
 * Number text as the JVM parses and prints it in the data sources. Spark's
 * CSV reader converts with Scala's `toInt`, `toDouble` and `new
 * BigDecimal(s)`, which are stricter than SQL casts (no surrounding spaces
 * for integers, no "inf" spellings), and its writers print decimals with
 * BigDecimal.toString. These helpers check the exact Java grammar and then
 * reuse the engine's converters for the value.
 */
#include "io.h"

#include <string.h>

#include "types/decimal.h"
#include "types/numfmt.h"

bool io_java_parse_long(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n == 0)
        return false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (n == 1)
            return false;
    }
    /* accumulate negatively so that INT64_MIN fits */
    int64_t acc = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int d = s[i] - '0';
        if (acc < (INT64_MIN + d) / 10)
            return false;
        acc = acc * 10 - d;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return false;
        acc = -acc;
    }
    if (acc < lo || acc > hi)
        return false;
    *out = acc;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* FloatingDecimal.readJavaFormatString's grammar, after String.trim. */
static bool java_float_syntax(const char *s, size_t n, int *special)
{
    size_t a = 0, b = n;
    while (a < b && (unsigned char)s[a] <= ' ')
        a++;
    while (b > a && (unsigned char)s[b - 1] <= ' ')
        b--;
    *special = 0;
    if (a == b)
        return false;
    size_t i = a;
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (b - i == 3 && memcmp(s + i, "NaN", 3) == 0) {
        *special = 1;
        return true;
    }
    if (b - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
        *special = s[a] == '-' ? 3 : 2;
        return true;
    }
    if (i + 1 < b && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        i += 2;
        size_t d = 0;
        while (i < b && is_hex(s[i])) {
            i++;
            d++;
        }
        if (i < b && s[i] == '.') {
            i++;
            while (i < b && is_hex(s[i])) {
                i++;
                d++;
            }
        }
        if (d == 0 || i >= b || (s[i] != 'p' && s[i] != 'P'))
            return false;
        i++;
        if (i < b && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < b && is_digit(s[i])) {
            i++;
            e++;
        }
        if (e == 0)
            return false;
    } else {
        size_t d = 0;
        while (i < b && is_digit(s[i])) {
            i++;
            d++;
        }
        if (i < b && s[i] == '.') {
            i++;
            while (i < b && is_digit(s[i])) {
                i++;
                d++;
            }
        }
        if (d == 0)
            return false;
        if (i < b && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < b && (s[i] == '+' || s[i] == '-'))
                i++;
            size_t e = 0;
            while (i < b && is_digit(s[i])) {
                i++;
                e++;
            }
            if (e == 0)
                return false;
        }
    }
    if (i < b && (s[i] == 'f' || s[i] == 'F' || s[i] == 'd' || s[i] == 'D'))
        i++;
    return i == b;
}

bool io_java_parse_double(const char *s, size_t n, double *out)
{
    int special;
    if (!java_float_syntax(s, n, &special))
        return false;
    if (special == 1) {
        *out = __builtin_nan("");
        return true;
    }
    if (special) {
        *out = special == 2 ? __builtin_inf() : -__builtin_inf();
        return true;
    }
    return lm_parse_double(s, n, out);
}

bool io_java_parse_float(const char *s, size_t n, float *out)
{
    int special;
    if (!java_float_syntax(s, n, &special))
        return false;
    if (special == 1) {
        *out = __builtin_nanf("");
        return true;
    }
    if (special) {
        *out = special == 2 ? __builtin_inff() : -__builtin_inff();
        return true;
    }
    return lm_parse_float(s, n, out);
}

bool io_java_bigdecimal(const char *s, size_t n, int *precision, int *scale)
{
    size_t i = 0;
    if (n == 0)
        return false;
    if (s[0] == '+' || s[0] == '-')
        i++;
    size_t digits = 0, frac = 0, sig = 0;
    bool seen_nonzero = false, dot = false;
    for (; i < n; i++) {
        char c = s[i];
        if (is_digit(c)) {
            digits++;
            if (dot)
                frac++;
            if (c != '0')
                seen_nonzero = true;
            if (seen_nonzero)
                sig++;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (digits == 0)
        return false;
    int64_t exp = 0;
    if (i < n) {
        if (s[i] != 'e' && s[i] != 'E')
            return false;
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i >= n)
            return false;
        for (; i < n; i++) {
            if (!is_digit(s[i]))
                return false;
            exp = exp * 10 + (s[i] - '0');
            if (exp > 1000000000)
                return false;
        }
        if (eneg)
            exp = -exp;
    }
    *precision = sig ? (int)(sig > 1000000 ? 1000000 : sig) : 1;
    int64_t sc = (int64_t)frac - exp;
    if (sc > 1000000000 || sc < -1000000000)
        return false;
    *scale = (int)sc;
    return true;
}

void io_java_decimal_string(lm_strbuf *sb, lm_int128 unscaled, int scale)
{
    char digits[48];
    int nd = 0;
    bool neg = unscaled < 0;
    unsigned __int128 u = neg ? (unsigned __int128)(-(unscaled + 1)) + 1 : (unsigned __int128)unscaled;
    char rev[48];
    do {
        rev[nd++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    for (int k = 0; k < nd; k++)
        digits[k] = rev[nd - 1 - k];
    digits[nd] = '\0';
    int adjusted = -scale + (nd - 1);
    if (neg)
        lm_strbuf_putc(sb, '-');
    if (scale >= 0 && adjusted >= -6) {
        if (scale == 0) {
            lm_strbuf_append(sb, digits, (size_t)nd);
        } else if (nd > scale) {
            lm_strbuf_append(sb, digits, (size_t)(nd - scale));
            lm_strbuf_putc(sb, '.');
            lm_strbuf_append(sb, digits + nd - scale, (size_t)scale);
        } else {
            lm_strbuf_puts(sb, "0.");
            lm_strbuf_repeat(sb, '0', (size_t)(scale - nd));
            lm_strbuf_append(sb, digits, (size_t)nd);
        }
        return;
    }
    lm_strbuf_putc(sb, digits[0]);
    if (nd > 1) {
        lm_strbuf_putc(sb, '.');
        lm_strbuf_append(sb, digits + 1, (size_t)(nd - 1));
    }
    lm_strbuf_printf(sb, "E%s%d", adjusted >= 0 ? "+" : "", adjusted);
}
