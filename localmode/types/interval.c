/*
 * Interval text: CalendarInterval.toString, the HIVE and ANSI styles of
 * year-month and day-time intervals, Spark's multi-unit interval parser
 * (IntervalUtils.stringToInterval, a byte-level state machine reproduced
 * state for state so that its error messages match), the fixed-form casts
 * castStringToYMInterval / castStringToDTInterval (Spark matches them with
 * regular expressions; here each expression is a small shape matcher), and
 * the interval-literal rules of AstBuilder in Spark 3.5.
 */
#include "interval.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"

#define EXC_IAE "java.lang.IllegalArgumentException"

static const char *const ym_names[] = {"year", "month"};
static const char *const dt_names[] = {"day", "hour", "minute", "second"};

/* ------------------------------------------------------------------ */
/* formatting                                                           */

/* BigDecimal.valueOf(v, 6).stripTrailingZeros().toPlainString() for v >= 0 */
static void append_seconds_plain(lm_strbuf *sb, int64_t v)
{
    lm_strbuf_printf(sb, "%" PRId64, v / LM_MICROS_PER_SECOND);
    int64_t frac = v % LM_MICROS_PER_SECOND;
    if (frac != 0) {
        int digits = 6;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        lm_strbuf_printf(sb, ".%0*" PRId64, digits, frac);
    }
}

/* Same for any sign (CalendarInterval seconds can be negative). */
static void append_signed_seconds_plain(lm_strbuf *sb, int64_t v)
{
    if (v < 0) {
        lm_strbuf_putc(sb, '-');
        append_seconds_plain(sb, -v); /* |v| < 60 s here, no overflow */
    } else {
        append_seconds_plain(sb, v);
    }
}

static void append_unit(lm_strbuf *sb, int64_t value, const char *unit)
{
    if (value != 0)
        lm_strbuf_printf(sb, "%" PRId64 " %s ", value, unit);
}

void lm_interval_format(lm_strbuf *sb, const lm_interval *iv)
{
    if (iv->months == 0 && iv->days == 0 && iv->micros == 0) {
        lm_strbuf_puts(sb, "0 seconds");
        return;
    }
    size_t start = sb->len;
    if (iv->months != 0) {
        append_unit(sb, iv->months / 12, "years");
        append_unit(sb, iv->months % 12, "months");
    }
    append_unit(sb, iv->days, "days");
    if (iv->micros != 0) {
        int64_t rest = iv->micros;
        append_unit(sb, rest / LM_MICROS_PER_HOUR, "hours");
        rest %= LM_MICROS_PER_HOUR;
        append_unit(sb, rest / LM_MICROS_PER_MINUTE, "minutes");
        rest %= LM_MICROS_PER_MINUTE;
        if (rest != 0) {
            append_signed_seconds_plain(sb, rest);
            lm_strbuf_puts(sb, " seconds ");
        }
    }
    /* drop the trailing blank */
    if (lm_strbuf_ok(sb) && sb->len > start) {
        sb->len--;
        sb->data[sb->len] = '\0';
    }
}

void lm_interval_ym_type_name(char *buf, int start, int end)
{
    if (start == end)
        sprintf(buf, "interval %s", ym_names[start]);
    else
        sprintf(buf, "interval %s to %s", ym_names[start], ym_names[end]);
}

void lm_interval_dt_type_name(char *buf, int start, int end)
{
    if (start == end)
        sprintf(buf, "interval %s", dt_names[start]);
    else
        sprintf(buf, "interval %s to %s", dt_names[start], dt_names[end]);
}

static void append_upper(lm_strbuf *sb, const char *s)
{
    for (; *s; s++)
        lm_strbuf_putc(sb, (char)toupper((unsigned char)*s));
}

void lm_interval_ym_format(lm_strbuf *sb, int32_t months, lm_interval_style style, int start,
                           int end)
{
    int64_t abs_months = months;
    const char *sign = "";
    if (months < 0) {
        sign = "-";
        abs_months = -abs_months;
    }
    if (style == LM_INTERVAL_HIVE) {
        lm_strbuf_printf(sb, "%s%" PRId64 "-%" PRId64, sign, abs_months / 12, abs_months % 12);
        return;
    }
    lm_strbuf_puts(sb, "INTERVAL '");
    if (start == end && start == LM_YM_YEAR)
        lm_strbuf_printf(sb, "%s%" PRId64 "' YEAR", sign, abs_months / 12);
    else if (start == end)
        lm_strbuf_printf(sb, "%" PRId32 "' MONTH", months);
    else
        lm_strbuf_printf(sb, "%s%" PRId64 "-%" PRId64 "' YEAR TO MONTH", sign, abs_months / 12,
                         abs_months % 12);
}

static void append_dt_postfix(lm_strbuf *sb, int start, int end)
{
    lm_strbuf_puts(sb, "' ");
    append_upper(sb, dt_names[start]);
    if (start != end) {
        lm_strbuf_puts(sb, " TO ");
        append_upper(sb, dt_names[end]);
    }
}

#define MAX_DAY (INT64_MAX / LM_MICROS_PER_DAY)
#define MAX_HOUR (INT64_MAX / LM_MICROS_PER_HOUR)
#define MAX_MINUTE (INT64_MAX / LM_MICROS_PER_MINUTE)
#define MAX_SECOND (INT64_MAX / LM_MICROS_PER_SECOND)
#define MIN_SECOND (INT64_MIN / LM_MICROS_PER_SECOND)

void lm_interval_dt_format(lm_strbuf *sb, int64_t micros, lm_interval_style style, int start,
                           int end)
{
    const char *sign = "";
    int64_t rest = micros;
    if (micros == INT64_MIN) {
        /* -micros overflows; Spark spells the value out */
        static const char base[] = "-106751991 04:00:54.775808000";
        if (style == LM_INTERVAL_HIVE) {
            lm_strbuf_puts(sb, base);
            return;
        }
        lm_strbuf_puts(sb, "INTERVAL '");
        switch (start) {
        case LM_DT_DAY:
            lm_strbuf_printf(sb, "-%lld", (long long)MAX_DAY);
            break;
        case LM_DT_HOUR:
            lm_strbuf_printf(sb, "-%lld", (long long)MAX_HOUR);
            break;
        case LM_DT_MINUTE:
            lm_strbuf_printf(sb, "-%lld", (long long)MAX_MINUTE);
            break;
        default:
            lm_strbuf_printf(sb, "-%lld.775808", (long long)MAX_SECOND);
            break;
        }
        if (start != end) {
            static const int from_pos[] = {10, 13, 16, 26};
            static const int to_pos[] = {0, 13, 16, 26};
            int a = from_pos[start], b = to_pos[end];
            lm_strbuf_append(sb, base + a, (size_t)(b - a));
        }
        append_dt_postfix(sb, start, end);
        return;
    }
    if (micros < 0) {
        sign = "-";
        rest = -micros;
    }
    if (style == LM_INTERVAL_HIVE) {
        int64_t secs_frac = rest % LM_MICROS_PER_MINUTE;
        rest /= LM_MICROS_PER_MINUTE;
        int64_t minutes = rest % 60;
        rest /= 60;
        int64_t hours = rest % 24;
        int64_t days = rest / 24;
        lm_strbuf_printf(sb, "%s%" PRId64 " %02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%09" PRId64,
                         sign, days, hours, minutes, secs_frac / LM_MICROS_PER_SECOND,
                         (secs_frac % LM_MICROS_PER_SECOND) * 1000);
        return;
    }
    lm_strbuf_puts(sb, "INTERVAL '");
    lm_strbuf_puts(sb, sign);
    switch (start) {
    case LM_DT_DAY:
        lm_strbuf_printf(sb, "%" PRId64, rest / LM_MICROS_PER_DAY);
        rest %= LM_MICROS_PER_DAY;
        break;
    case LM_DT_HOUR:
        lm_strbuf_printf(sb, "%02" PRId64, rest / LM_MICROS_PER_HOUR);
        rest %= LM_MICROS_PER_HOUR;
        break;
    case LM_DT_MINUTE:
        lm_strbuf_printf(sb, "%02" PRId64, rest / LM_MICROS_PER_MINUTE);
        rest %= LM_MICROS_PER_MINUTE;
        break;
    default:
        if (rest < 10 * LM_MICROS_PER_SECOND)
            lm_strbuf_putc(sb, '0');
        append_seconds_plain(sb, rest);
        break;
    }
    if (start < LM_DT_HOUR && LM_DT_HOUR <= end) {
        lm_strbuf_printf(sb, " %02" PRId64, rest / LM_MICROS_PER_HOUR);
        rest %= LM_MICROS_PER_HOUR;
    }
    if (start < LM_DT_MINUTE && LM_DT_MINUTE <= end) {
        lm_strbuf_printf(sb, ":%02" PRId64, rest / LM_MICROS_PER_MINUTE);
        rest %= LM_MICROS_PER_MINUTE;
    }
    if (start < LM_DT_SECOND && LM_DT_SECOND <= end) {
        lm_strbuf_putc(sb, ':');
        if (rest < 10 * LM_MICROS_PER_SECOND)
            lm_strbuf_putc(sb, '0');
        append_seconds_plain(sb, rest);
    }
    append_dt_postfix(sb, start, end);
}

bool lm_interval_duration_micros(const lm_interval *iv, int64_t *out)
{
    int64_t months, days, r;
    if (__builtin_mul_overflow((int64_t)31 * LM_MICROS_PER_DAY, (int64_t)iv->months, &months) ||
        __builtin_mul_overflow(LM_MICROS_PER_DAY, (int64_t)iv->days, &days) ||
        __builtin_add_overflow(days, months, &r) || __builtin_add_overflow(iv->micros, r, &r))
        return false;
    *out = r;
    return true;
}

/* ------------------------------------------------------------------ */
/* stringToInterval                                                     */

/* Character.isWhitespace on an ASCII byte */
static bool java_ws(unsigned char b)
{
    return b == ' ' || (b >= 9 && b <= 13) || (b >= 0x1c && b <= 0x1f);
}

static bool trim_all_byte(unsigned char b)
{
    return java_ws(b) || b < 0x20 || b == 0x7f;
}

typedef enum {
    ST_PREFIX,
    ST_TRIM_BEFORE_SIGN,
    ST_SIGN,
    ST_TRIM_BEFORE_VALUE,
    ST_VALUE,
    ST_VALUE_FRACTIONAL_PART,
    ST_TRIM_BEFORE_UNIT,
    ST_UNIT_BEGIN,
    ST_UNIT_SUFFIX,
    ST_UNIT_END
} parse_state;

/*
 * Spark's currentWord: the words of s split on whitespace, indexed from the
 * right by the number of words (Java split semantics) left at i.
 */
static void current_word(const char *s, size_t n, size_t i, const char **w, size_t *wl)
{
    /* words of the whole string (s is trimmed, no leading empty word) */
    size_t total = 0;
    for (size_t k = 0; k < n;) {
        while (k < n && java_ws((unsigned char)s[k]))
            k++;
        if (k < n)
            total++;
        while (k < n && !java_ws((unsigned char)s[k]))
            k++;
    }
    size_t right = 0;
    if (i >= n) {
        right = 1; /* "".split gives one empty string */
    } else {
        if (java_ws((unsigned char)s[i]))
            right++; /* leading empty string */
        for (size_t k = i; k < n;) {
            while (k < n && java_ws((unsigned char)s[k]))
                k++;
            if (k < n)
                right++;
            while (k < n && !java_ws((unsigned char)s[k]))
                k++;
        }
    }
    size_t idx = total >= right ? total - right : 0;
    size_t seen = 0;
    for (size_t k = 0; k < n;) {
        while (k < n && java_ws((unsigned char)s[k]))
            k++;
        size_t b = k;
        while (k < n && !java_ws((unsigned char)s[k]))
            k++;
        if (k > b) {
            if (seen == idx) {
                *w = s + b;
                *wl = k - b;
                return;
            }
            seen++;
        }
    }
    *w = s;
    *wl = 0;
}

typedef struct iparse {
    const char *input; /* original text for messages */
    size_t input_len;
    const char *s; /* trimmed, lower-cased */
    size_t n;
    lm_error *err;
} iparse;

static bool iae(iparse *p, const char *fmt, const char *word, size_t wl)
{
    if (p->err != NULL) {
        char msg[256];
        snprintf(msg, sizeof msg, fmt, (int)wl, word);
        lm_error_set(p->err, LM_ERROR, EXC_IAE, NULL, NULL, "Error parsing '%.*s' to interval, %s",
                     (int)p->input_len, p->input ? p->input : "", msg);
    }
    return false;
}

static bool iae_word(iparse *p, const char *fmt, size_t i)
{
    const char *w;
    size_t wl;
    current_word(p->s, p->n, i, &w, &wl);
    return iae(p, fmt, w, wl);
}

static bool match_at(const char *s, size_t n, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    return i + l <= n && memcmp(s + i, lit, l) == 0;
}

bool lm_interval_parse(const char *input, size_t len, lm_interval *out, lm_error *err)
{
    iparse P = {input, len, NULL, 0, err};
    iparse *p = &P;
    if (input == NULL)
        return iae(p, "interval string cannot be null%.*s", "", 0);
    size_t a = 0, e = len;
    while (a < e && trim_all_byte((unsigned char)input[a]))
        a++;
    while (e > a && trim_all_byte((unsigned char)input[e - 1]))
        e--;
    if (a == e)
        return iae(p, "interval string cannot be empty%.*s", "", 0);
    char stackbuf[256];
    char *s = e - a < sizeof stackbuf ? stackbuf : malloc(e - a + 1);
    if (s == NULL) {
        lm_error_oom(err);
        return false;
    }
    for (size_t k = a; k < e; k++)
        s[k - a] = (char)tolower((unsigned char)input[k]);
    s[e - a] = '\0';
    P.s = s;
    P.n = e - a;
    size_t n = P.n;
    bool ok = false;

    parse_state state = ST_PREFIX;
    size_t i = 0;
    int64_t cur = 0;
    bool neg = false;
    int32_t months = 0, days = 0;
    int64_t micros = 0;
    int32_t fraction_scale = 0, fraction = 0;
    const int32_t initial_scale = 100000000;
    bool point_prefixed = false;

    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        switch (state) {
        case ST_PREFIX:
            if (match_at(s, n, 0, "interval")) {
                if (n == 8) {
                    iae(p, "interval string cannot be empty%.*s", "", 0);
                    goto done;
                } else if (!java_ws((unsigned char)s[8])) {
                    iae_word(p, "invalid interval prefix %.*s", i);
                    goto done;
                } else {
                    i += 9;
                }
            }
            state = ST_TRIM_BEFORE_SIGN;
            break;
        case ST_TRIM_BEFORE_SIGN:
            if (java_ws(b))
                i++;
            else
                state = ST_SIGN;
            break;
        case ST_SIGN:
            cur = 0;
            fraction = 0;
            state = ST_TRIM_BEFORE_VALUE;
            fraction_scale = -1;
            point_prefixed = false;
            if (b == '-') {
                neg = true;
                i++;
            } else if (b == '+') {
                neg = false;
                i++;
            } else if (b >= '0' && b <= '9') {
                neg = false;
            } else if (b == '.') {
                neg = false;
                fraction_scale = initial_scale;
                point_prefixed = true;
                i++;
                state = ST_VALUE_FRACTIONAL_PART;
            } else {
                iae_word(p, "unrecognized number '%.*s'", i);
                goto done;
            }
            break;
        case ST_TRIM_BEFORE_VALUE:
            if (java_ws(b))
                i++;
            else
                state = ST_VALUE;
            break;
        case ST_VALUE:
            if (b >= '0' && b <= '9') {
                if (__builtin_mul_overflow(cur, 10, &cur) ||
                    __builtin_add_overflow(cur, (int64_t)(b - '0'), &cur)) {
                    iae(p, "long overflow%.*s", "", 0);
                    goto done;
                }
            } else if (java_ws(b)) {
                state = ST_TRIM_BEFORE_UNIT;
            } else if (b == '.') {
                fraction_scale = initial_scale;
                state = ST_VALUE_FRACTIONAL_PART;
            } else {
                iae_word(p, "invalid value '%.*s'", i);
                goto done;
            }
            i++;
            break;
        case ST_VALUE_FRACTIONAL_PART:
            if (b >= '0' && b <= '9' && fraction_scale > 0) {
                fraction += (b - '0') * fraction_scale;
                fraction_scale /= 10;
            } else if (java_ws(b) && (!point_prefixed || fraction_scale < initial_scale)) {
                fraction /= 1000;
                state = ST_TRIM_BEFORE_UNIT;
            } else if (b >= '0' && b <= '9') {
                iae_word(p, "interval can only support nanosecond precision, '%.*s' is out of range",
                         i);
                goto done;
            } else {
                iae_word(p, "invalid value '%.*s'", i);
                goto done;
            }
            i++;
            break;
        case ST_TRIM_BEFORE_UNIT:
            if (java_ws(b))
                i++;
            else
                state = ST_UNIT_BEGIN;
            break;
        case ST_UNIT_BEGIN: {
            if (b != 's' && fraction_scale >= 0) {
                iae_word(p, "'%.*s' cannot have fractional part", i);
                goto done;
            }
            if (neg) {
                cur = -cur;
                fraction = -fraction;
            }
            int64_t t;
            bool ovf = false;
            const char *ovf_msg = "long overflow";
            if (b == 'y' && match_at(s, n, i, "year")) {
                ovf_msg = "integer overflow";
                ovf = __builtin_mul_overflow(cur, (int64_t)12, &t) ||
                      __builtin_add_overflow(t, (int64_t)months, &t) || t < INT32_MIN ||
                      t > INT32_MAX;
                if (!ovf)
                    months = (int32_t)t;
                if (ovf && __builtin_mul_overflow(cur, (int64_t)12, &t))
                    ovf_msg = "long overflow";
                i += 4;
            } else if (b == 'w' && match_at(s, n, i, "week")) {
                ovf_msg = "integer overflow";
                ovf = __builtin_mul_overflow(cur, (int64_t)7, &t) ||
                      __builtin_add_overflow(t, (int64_t)days, &t) || t < INT32_MIN ||
                      t > INT32_MAX;
                if (ovf && __builtin_mul_overflow(cur, (int64_t)7, &t))
                    ovf_msg = "long overflow";
                if (!ovf)
                    days = (int32_t)t;
                i += 4;
            } else if (b == 'd' && match_at(s, n, i, "day")) {
                int32_t d32;
                ovf_msg = "integer overflow";
                ovf = cur < INT32_MIN || cur > INT32_MAX ||
                      __builtin_add_overflow(days, (int32_t)cur, &d32);
                if (!ovf)
                    days = d32;
                i += 3;
            } else if (b == 'h' && match_at(s, n, i, "hour")) {
                ovf = __builtin_mul_overflow(cur, LM_MICROS_PER_HOUR, &t) ||
                      __builtin_add_overflow(micros, t, &micros);
                i += 4;
            } else if (b == 's' && match_at(s, n, i, "second")) {
                ovf = __builtin_mul_overflow(cur, LM_MICROS_PER_SECOND, &t) ||
                      __builtin_add_overflow(micros, t, &micros) ||
                      __builtin_add_overflow(micros, (int64_t)fraction, &micros);
                i += 6;
            } else if (b == 'm' && match_at(s, n, i, "month")) {
                int32_t m32;
                ovf_msg = "integer overflow";
                ovf = cur < INT32_MIN || cur > INT32_MAX ||
                      __builtin_add_overflow(months, (int32_t)cur, &m32);
                if (!ovf)
                    months = m32;
                i += 5;
            } else if (b == 'm' && match_at(s, n, i, "minute")) {
                ovf = __builtin_mul_overflow(cur, LM_MICROS_PER_MINUTE, &t) ||
                      __builtin_add_overflow(micros, t, &micros);
                i += 6;
            } else if (b == 'm' && match_at(s, n, i, "millisecond")) {
                ovf = __builtin_mul_overflow(cur, LM_MICROS_PER_MILLI, &t) ||
                      __builtin_add_overflow(micros, t, &micros);
                i += 11;
            } else if (b == 'm' && match_at(s, n, i, "microsecond")) {
                ovf = __builtin_add_overflow(micros, cur, &micros);
                i += 11;
            } else {
                iae_word(p, "invalid unit '%.*s'", i);
                goto done;
            }
            if (ovf) {
                iae(p, "%.*s", ovf_msg, strlen(ovf_msg));
                goto done;
            }
            state = ST_UNIT_SUFFIX;
            break;
        }
        case ST_UNIT_SUFFIX:
            if (b == 's') {
                state = ST_UNIT_END;
            } else if (java_ws(b)) {
                state = ST_TRIM_BEFORE_SIGN;
            } else {
                iae_word(p, "invalid unit '%.*s'", i);
                goto done;
            }
            i++;
            break;
        case ST_UNIT_END:
            if (java_ws(b)) {
                i++;
                state = ST_TRIM_BEFORE_SIGN;
            } else {
                iae_word(p, "invalid unit '%.*s'", i);
                goto done;
            }
            break;
        }
    }
    switch (state) {
    case ST_UNIT_SUFFIX:
    case ST_UNIT_END:
    case ST_TRIM_BEFORE_SIGN:
        out->months = months;
        out->days = days;
        out->micros = micros;
        ok = true;
        break;
    case ST_TRIM_BEFORE_VALUE:
        iae_word(p, "expect a number after '%.*s' but hit EOL", i);
        break;
    case ST_VALUE:
    case ST_VALUE_FRACTIONAL_PART:
        iae_word(p, "expect a unit name after '%.*s' but hit EOL", i);
        break;
    default:
        iae_word(p, "unknown error when parsing '%.*s'", i);
        break;
    }
done:
    if (s != stackbuf)
        free(s);
    return ok;
}

/* ------------------------------------------------------------------ */
/* fixed forms: castStringToYMInterval / castStringToDTInterval         */

typedef struct span {
    const char *p;
    size_t n;
} span;

/* Java's [+|-] (yes, '|' is in the class) */
static bool sign_char(char c)
{
    return c == '+' || c == '-' || c == '|';
}

/*
 * Matches the whole of s against a shape: 'S' optional sign, '+' one or more
 * digits, '2' '9' 'A' 'C' 'D' 1..2, 1..9, 1..10, 1..12, 1..13 digits,
 * 'F' an optional fraction "\.\d{1,9}"; other characters match themselves.
 * Digit groups are captured in order, the fraction (with its dot) apart.
 */
static bool match_shape(const char *s, size_t n, const char *shape, char *sign, span *caps,
                        int *ncaps, span *frac)
{
    size_t i = 0;
    *ncaps = 0;
    *sign = 0;
    frac->p = NULL;
    frac->n = 0;
    for (const char *c = shape; *c; c++) {
        size_t max = 0;
        switch (*c) {
        case 'S':
            if (i < n && sign_char(s[i]))
                *sign = s[i++];
            continue;
        case 'F':
            if (i < n && s[i] == '.') {
                size_t b = i++;
                while (i < n && isdigit((unsigned char)s[i]))
                    i++;
                if (i - b - 1 < 1 || i - b - 1 > 9)
                    return false;
                frac->p = s + b;
                frac->n = i - b;
            }
            continue;
        case '+':
            max = (size_t)-1;
            break;
        case '2':
            max = 2;
            break;
        case '9':
            max = 9;
            break;
        case 'A':
            max = 10;
            break;
        case 'C':
            max = 12;
            break;
        case 'D':
            max = 13;
            break;
        default:
            if (i >= n || s[i] != *c)
                return false;
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == b || i - b > max)
            return false;
        caps[*ncaps].p = s + b;
        caps[*ncaps].n = i - b;
        (*ncaps)++;
    }
    return i == n;
}

static bool regex_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\x0b' || c == '\f' || c == '\r';
}

static bool word_ieq(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/*
 * `(?i)^INTERVAL\s+([+|-])?'<inner>'\s+<tail>$`: the inner text, the sign
 * before the quote and the tail units (1 unit, or 2 for "A TO B").
 */
static bool match_literal_wrapper(const char *s, size_t n, char *outer_sign, span *inner,
                                  span *u1, span *u2)
{
    size_t i = 0;
    if (n < 8 || strncasecmp(s, "INTERVAL", 8) != 0)
        return false;
    i = 8;
    if (i >= n || !regex_ws(s[i]))
        return false;
    while (i < n && regex_ws(s[i]))
        i++;
    *outer_sign = 0;
    if (i < n && sign_char(s[i]))
        *outer_sign = s[i++];
    if (i >= n || s[i] != '\'')
        return false;
    size_t b = ++i;
    while (i < n && s[i] != '\'')
        i++;
    if (i >= n)
        return false;
    inner->p = s + b;
    inner->n = i - b;
    i++;
    if (i >= n || !regex_ws(s[i]))
        return false;
    span words[3];
    int nw = 0;
    while (i < n) {
        while (i < n && regex_ws(s[i]))
            i++;
        if (i >= n)
            return false; /* trailing blanks are not in the pattern */
        size_t wb = i;
        while (i < n && !regex_ws(s[i]))
            i++;
        if (nw == 3)
            return false;
        words[nw].p = s + wb;
        words[nw].n = i - wb;
        nw++;
    }
    if (nw == 1) {
        *u1 = words[0];
        u2->p = NULL;
        u2->n = 0;
        return true;
    }
    if (nw == 3 && word_ieq(words[1].p, words[1].n, "TO")) {
        *u1 = words[0];
        *u2 = words[2];
        return true;
    }
    return false;
}

static int final_sign(char first, char second)
{
    if (first == '-' && second == '-')
        return 1;
    if (first == '-' || second == '-')
        return -1;
    return 1;
}

/* Long.parseLong on a digit span (with optional leading '-'). */
static bool parse_long(span d, int64_t *out, char *msg, size_t cap)
{
    int64_t v = 0;
    size_t i = 0;
    bool neg = false;
    if (d.n > 0 && (d.p[0] == '-' || d.p[0] == '+')) {
        neg = d.p[0] == '-';
        i = 1;
    }
    if (i >= d.n)
        goto bad;
    for (; i < d.n; i++) {
        if (!isdigit((unsigned char)d.p[i]))
            goto bad;
        int dig = d.p[i] - '0';
        if (__builtin_mul_overflow(v, 10, &v) ||
            (neg ? __builtin_sub_overflow(v, dig, &v) : __builtin_add_overflow(v, dig, &v)))
            goto bad;
    }
    *out = v;
    return true;
bad:
    snprintf(msg, cap, "For input string: \"%.*s\"", (int)d.n, d.p);
    return false;
}

/* toLongWithRange: Scala's require prefixes "requirement failed: ". */
static bool long_in_range(const char *field, span d, int64_t lo, int64_t hi, int64_t *out,
                          char *msg, size_t cap)
{
    int64_t v = 0;
    if (d.p != NULL && !parse_long(d, &v, msg, cap))
        return false;
    if (v < lo || v > hi) {
        snprintf(msg, cap, "requirement failed: %s %" PRId64 " outside range [%" PRId64 ", %" PRId64 "]",
                 field, v, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static void ym_supported(char *buf, size_t cap, int start, int end)
{
    if (start == LM_YM_YEAR && end == LM_YM_MONTH)
        snprintf(buf, cap, "`[+|-]y-m`, `INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH`");
    else if (start == LM_YM_YEAR)
        snprintf(buf, cap, "`[+|-]y`, `INTERVAL [+|-]'[+|-]y' YEAR`");
    else
        snprintf(buf, cap, "`[+|-]m`, `INTERVAL [+|-]'[+|-]m' MONTH`");
}

static void dt_supported(char *buf, size_t cap, int start, int end)
{
    static const char *const shapes[4][4] = {
        {"d", "d h", "d h:m", "d h:m:s.n"},
        {NULL, "h", "h:m", "h:m:s.n"},
        {NULL, NULL, "m", "m:s.n"},
        {NULL, NULL, NULL, "s.n"},
    };
    static const char *const up[] = {"DAY", "HOUR", "MINUTE", "SECOND"};
    const char *sh = shapes[start][end];
    if (sh == NULL)
        sh = "?";
    if (start == end)
        snprintf(buf, cap, "`[+|-]%s`, `INTERVAL [+|-]'[+|-]%s' %s`", sh, sh, up[start]);
    else
        snprintf(buf, cap, "`[+|-]%s`, `INTERVAL [+|-]'[+|-]%s' %s TO %s`", sh, sh, up[start],
                 up[end]);
}

static const char fallback_notice[] =
    "set spark.sql.legacy.fromDayTimeString.enabled to true to restore the behavior before "
    "Spark 3.0.";

static lm_status format_error(lm_error *err, bool ym, int start, int end, const char *input,
                              size_t len, const char *wrap)
{
    char fmts[160], tname[48];
    if (ym) {
        ym_supported(fmts, sizeof fmts, start, end);
        lm_interval_ym_type_name(tname, start, end);
    } else {
        dt_supported(fmts, sizeof fmts, start, end);
        lm_interval_dt_type_name(tname, start, end);
    }
    return lm_error_set(err, LM_ERROR, EXC_IAE, NULL, NULL,
                        "%sInterval string does not match %s format of %s when cast to %s: %.*s%s%s",
                        wrap ? wrap : "", ym ? "year-month" : "day-time", fmts, tname, (int)len,
                        input, ym ? "" : ", ", ym ? "" : fallback_notice);
}

static lm_status wrapped(lm_error *err, const char *kind, const char *msg)
{
    return lm_error_set(err, LM_ERROR, EXC_IAE, NULL, NULL, "Error parsing interval %s string: %s",
                        kind, msg);
}

static void trim_all(const char *s, size_t len, size_t *a, size_t *e)
{
    *a = 0;
    *e = len;
    while (*a < *e && trim_all_byte((unsigned char)s[*a]))
        (*a)++;
    while (*e > *a && trim_all_byte((unsigned char)s[*e - 1]))
        (*e)--;
}

static lm_status to_ym(span year, span month, int sign, int32_t *out, lm_error *err)
{
    char msg[160];
    int64_t y, m;
    if (!long_in_range("year", year, 0, INT32_MAX / 12, &y, msg, sizeof msg) ||
        !long_in_range("month", month, 0, 11, &m, msg, sizeof msg))
        return wrapped(err, "year-month", msg);
    *out = (int32_t)(sign * (y * 12 + m));
    return LM_OK;
}

/* value.toLong * 12 (unchecked, as in Spark) then toIntExact */
static lm_status ym_single(span value, int sign, bool years, int32_t *out, lm_error *err)
{
    char msg[160];
    int64_t v;
    if (!parse_long(value, &v, msg, sizeof msg))
        return wrapped(err, "year-month", msg);
    int64_t r = years ? (int64_t)((uint64_t)v * 12u) * sign : sign * v;
    if (r < INT32_MIN || r > INT32_MAX)
        return wrapped(err, "year-month", "integer overflow");
    *out = (int32_t)r;
    return LM_OK;
}

lm_status lm_interval_parse_ym(const char *input, size_t len, int start, int end,
                               int32_t *out, lm_error *err)
{
    size_t a, e;
    trim_all(input, len, &a, &e);
    const char *s = input + a;
    size_t n = e - a;
    char sign, osign;
    span caps[6], frac, inner, u1, u2;
    int nc;
    bool target_ym = start == LM_YM_YEAR && end == LM_YM_MONTH;
    if (target_ym && match_shape(s, n, "S+-+", &sign, caps, &nc, &frac))
        return to_ym(caps[0], caps[1], final_sign(sign, 0), out, err);
    bool lit = match_literal_wrapper(s, n, &osign, &inner, &u1, &u2);
    if (lit && target_ym && u2.p != NULL && word_ieq(u1.p, u1.n, "YEAR") &&
        word_ieq(u2.p, u2.n, "MONTH") &&
        match_shape(inner.p, inner.n, "S+-+", &sign, caps, &nc, &frac))
        return to_ym(caps[0], caps[1], final_sign(osign, sign), out, err);
    if (match_shape(s, n, "S+", &sign, caps, &nc, &frac)) {
        int sg = final_sign(sign, 0);
        if (end == LM_YM_YEAR)
            return ym_single(caps[0], sg, true, out, err);
        if (start == LM_YM_MONTH)
            return ym_single(caps[0], sg, false, out, err);
        return format_error(err, true, start, end, input, len,
                            "Error parsing interval year-month string: ");
    }
    if (lit && u2.p == NULL &&
        (word_ieq(u1.p, u1.n, "YEAR") || word_ieq(u1.p, u1.n, "MONTH")) &&
        match_shape(inner.p, inner.n, "S+", &sign, caps, &nc, &frac)) {
        int sg = final_sign(osign, sign);
        if (word_ieq(u1.p, u1.n, "YEAR") && start == LM_YM_YEAR && end == LM_YM_YEAR)
            return ym_single(caps[0], sg, true, out, err);
        if (word_ieq(u1.p, u1.n, "MONTH") && start == LM_YM_MONTH && end == LM_YM_MONTH)
            return ym_single(caps[0], sg, false, out, err);
        return format_error(err, true, start, end, input, len,
                            "Error parsing interval year-month string: ");
    }
    return format_error(err, true, start, end, input, len, NULL);
}

/* parseNanos: pad to 9 digits, truncate to micros */
static bool parse_nanos(span d, bool negative, int64_t *out, char *msg, size_t cap)
{
    char buf[16];
    if (d.n < 9) {
        memcpy(buf, d.p, d.n);
        memset(buf + d.n, '0', 9 - d.n);
        d.p = buf;
        d.n = 9;
    }
    int64_t v;
    if (!long_in_range("nanosecond", d, 0, 999999999, &v, msg, cap))
        return false;
    *out = negative ? -(v / 1000) : v / 1000;
    return true;
}

/* parseSecondNano on "ss", "ss.nnn", ".nnn" (optionally signed seconds) */
static bool parse_second_nano(const char *s, size_t n, int64_t *out, char *msg, size_t cap)
{
    const char *dot = memchr(s, '.', n);
    int64_t secs = 0, nanos = 0;
    if (dot == NULL) {
        if (!long_in_range("second", (span){s, n}, MIN_SECOND, MAX_SECOND, &secs, msg, cap))
            return false;
        *out = secs * LM_MICROS_PER_SECOND;
        return true;
    }
    span sp = {s, (size_t)(dot - s)};
    span np = {dot + 1, n - sp.n - 1};
    if (memchr(np.p, '.', np.n) != NULL || np.n == 0) {
        snprintf(msg, cap, "Interval string does not match second-nano format of ss.nnnnnnnnn");
        return false;
    }
    if (sp.n == 0) {
        if (!parse_nanos(np, false, &nanos, msg, cap))
            return false;
        *out = nanos;
        return true;
    }
    if (!long_in_range("second", sp, MIN_SECOND, MAX_SECOND, &secs, msg, cap) ||
        !parse_nanos(np, secs < 0, &nanos, msg, cap))
        return false;
    *out = secs * LM_MICROS_PER_SECOND + nanos;
    return true;
}

/* second text = digits + optional fraction, as Spark concatenates them */
static bool second_text(span sec, span frac, char *buf, size_t cap)
{
    if (sec.n + frac.n + 1 > cap)
        return false;
    if (sec.n)
        memcpy(buf, sec.p, sec.n);
    if (frac.n)
        memcpy(buf + sec.n, frac.p, frac.n);
    buf[sec.n + frac.n] = '\0';
    return true;
}

/* toDTInterval variants; errors unwrapped as in Spark */
static lm_status to_dt(const span *f, int nf, span frac, int first_field, int sign,
                       int64_t *out, lm_error *err)
{
    static const int64_t unit[] = {LM_MICROS_PER_DAY, LM_MICROS_PER_HOUR, LM_MICROS_PER_MINUTE};
    static const int64_t first_max[] = {MAX_DAY, MAX_HOUR, MAX_MINUTE};
    static const int64_t next_max[] = {0, 23, 59};
    char msg[200];
    int64_t micros = 0;
    /* all fields before the seconds */
    int field = first_field;
    int k = 0;
    for (; k < nf && field < LM_DT_SECOND; k++, field++) {
        int64_t v;
        int64_t hi = k == 0 ? first_max[field] : next_max[field];
        if (!long_in_range(dt_names[field], f[k], 0, hi, &v, msg, sizeof msg))
            return lm_error_set(err, LM_ERROR, EXC_IAE, NULL, NULL, "%s", msg);
        if (__builtin_add_overflow(micros, sign * v * unit[field], &micros))
            return lm_error_set(err, LM_ERROR, "java.lang.ArithmeticException", NULL, NULL,
                                "long overflow");
    }
    int64_t secs = 0;
    if (k < nf) {
        char buf[40];
        if (!second_text(f[k], frac, buf, sizeof buf) ||
            !parse_second_nano(buf, strlen(buf), &secs, msg, sizeof msg))
            return lm_error_set(err, LM_ERROR, EXC_IAE, NULL, NULL, "%s", msg);
    }
    if (__builtin_add_overflow(micros, sign * secs, &micros))
        return lm_error_set(err, LM_ERROR, "java.lang.ArithmeticException", NULL, NULL,
                            "long overflow");
    *out = micros;
    return LM_OK;
}

static int dt_field_of(span u)
{
    for (int i = 0; i < 4; i++)
        if (word_ieq(u.p, u.n, dt_names[i]))
            return i;
    return -1;
}

/* dayTimeIndividual forms: one number for a single-field type */
static lm_status dt_single(span value, span frac, int sign, int start, int end,
                           bool literal_unit_ok, const char *input, size_t len, int64_t *out,
                           lm_error *err)
{
    static const int64_t unit[] = {LM_MICROS_PER_DAY, LM_MICROS_PER_HOUR, LM_MICROS_PER_MINUTE};
    static const size_t maxlen[] = {9, 10, 12, 13};
    char msg[200];
    if (literal_unit_ok && start == end && value.n <= maxlen[start] &&
        (frac.p == NULL || start == LM_DT_SECOND)) {
        if (start < LM_DT_SECOND) {
            int64_t v;
            if (!parse_long(value, &v, msg, sizeof msg))
                return wrapped(err, "day-time", msg);
            *out = sign * v * unit[start]; /* bounded by the digit limits */
            return LM_OK;
        }
        char buf[40];
        buf[0] = '-';
        size_t off = sign < 0 ? 1 : 0;
        second_text(value, frac, buf + off, sizeof buf - 1);
        int64_t r;
        if (!parse_second_nano(buf, strlen(buf), &r, msg, sizeof msg))
            return wrapped(err, "day-time", msg);
        *out = r;
        return LM_OK;
    }
    return format_error(err, false, start, end, input, len,
                        "Error parsing interval day-time string: ");
}

lm_status lm_interval_parse_dt(const char *input, size_t len, int start, int end,
                               int64_t *out, lm_error *err)
{
    static const char *const shapes[4][4] = {
        {NULL, "S9 2", "S9 2:2", "S9 2:2:2F"},
        {NULL, NULL, "SA:2", "SA:2:2F"},
        {NULL, NULL, NULL, "SC:2F"},
        {NULL, NULL, NULL, NULL},
    };
    size_t a, e;
    trim_all(input, len, &a, &e);
    const char *s = input + a;
    size_t n = e - a;
    char sign, osign;
    span caps[6], frac, inner, u1, u2;
    int nc;
    const char *shape = (start >= 0 && start < 4 && end >= 0 && end < 4) ? shapes[start][end]
                                                                         : NULL;
    if (shape != NULL && match_shape(s, n, shape, &sign, caps, &nc, &frac))
        return to_dt(caps, nc, frac, start, final_sign(sign, 0), out, err);
    bool lit = match_literal_wrapper(s, n, &osign, &inner, &u1, &u2);
    if (shape != NULL && lit && u2.p != NULL && dt_field_of(u1) == start &&
        dt_field_of(u2) == end && match_shape(inner.p, inner.n, shape, &sign, caps, &nc, &frac))
        return to_dt(caps, nc, frac, start, final_sign(osign, sign), out, err);
    if (match_shape(s, n, "SDF", &sign, caps, &nc, &frac))
        return dt_single(caps[0], frac, final_sign(sign, 0), start, end, true, input, len, out,
                         err);
    if (lit && u2.p != NULL)
        lit = false;
    if (lit && dt_field_of(u1) >= 0 && match_shape(inner.p, inner.n, "SDF", &sign, caps, &nc, &frac)) {
        int f = dt_field_of(u1);
        return dt_single(caps[0], frac, final_sign(osign, sign), start, end,
                         f == start && f == end, input, len, out, err);
    }
    return format_error(err, false, start, end, input, len, NULL);
}

/* ------------------------------------------------------------------ */
/* literals                                                             */

static lm_status parse_error(lm_error *err, const char *error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static lm_status parse_error(lm_error *err, const char *error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lm_status st = lm_error_vset(err, LM_ERROR, LM_EXC_PARSE, error_class, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* _LEGACY_ERROR_TEMP_0063: a ParseException carrying the IAE's message */
static lm_status legacy_0063(lm_error *err)
{
    char *msg = err != NULL && err->message != NULL ? strdup(err->message) : NULL;
    if (err == NULL)
        return LM_ERROR;
    parse_error(err, "_LEGACY_ERROR_TEMP_0063", "%s", msg ? msg : "");
    lm_error_param_add(err, "msg", msg ? msg : "");
    free(msg);
    return LM_ERROR;
}

/* unit word -> 0..9 code: year month week day hour minute second milli micro */
enum { U_YEAR, U_MONTH, U_WEEK, U_DAY, U_HOUR, U_MINUTE, U_SECOND, U_MILLI, U_MICRO, U_BAD };

static int unit_code(const char *w, size_t n)
{
    static const char *const names[] = {"year", "month", "week", "day", "hour",
                                        "minute", "second", "millisecond", "microsecond"};
    char low[16];
    if (n == 0 || n >= sizeof low)
        return U_BAD;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    if (low[n - 1] == 's')
        n--; /* stripSuffix("s") */
    low[n] = '\0';
    for (int i = 0; i < U_BAD; i++)
        if (strcmp(low, names[i]) == 0)
            return i;
    return U_BAD;
}

/* constructMultiUnitsIntervalLiteral */
static lm_status construct_multi(const lm_interval *iv, const int *codes, int ncodes,
                                 const char *text, const char *source, lm_type_id *kind,
                                 int *start_field, int *end_field, lm_value *out, lm_error *err)
{
    int ym_min = 9, ym_max = -1, dt_min = 9, dt_max = -1;
    for (int i = 0; i < ncodes; i++) {
        int f;
        switch (codes[i]) {
        case U_YEAR:
            f = LM_YM_YEAR;
            break;
        case U_MONTH:
            f = LM_YM_MONTH;
            break;
        default:
            f = -1;
            break;
        }
        if (f >= 0) {
            ym_min = f < ym_min ? f : ym_min;
            ym_max = f > ym_max ? f : ym_max;
            continue;
        }
        switch (codes[i]) {
        case U_WEEK:
        case U_DAY:
            f = LM_DT_DAY;
            break;
        case U_HOUR:
            f = LM_DT_HOUR;
            break;
        case U_MINUTE:
            f = LM_DT_MINUTE;
            break;
        default:
            f = LM_DT_SECOND;
            break;
        }
        dt_min = f < dt_min ? f : dt_min;
        dt_max = f > dt_max ? f : dt_max;
    }
    memset(out, 0, sizeof *out);
    out->is_null = false;
    if (ym_max >= 0) {
        if (dt_max >= 0) {
            char buf[256];
            if (source == NULL) {
                snprintf(buf, sizeof buf, "INTERVAL %s", text);
                source = buf;
            }
            parse_error(err, "_LEGACY_ERROR_TEMP_0029",
                        "Cannot mix year-month and day-time fields: %s.", source);
            lm_error_param_add(err, "literal", source);
            return LM_ERROR;
        }
        *kind = LM_TYPE_YM_INTERVAL;
        *start_field = ym_min;
        *end_field = ym_max;
        out->u.i64 = iv->months;
        return LM_OK;
    }
    int64_t micros;
    if (!lm_interval_duration_micros(iv, &micros))
        return lm_error_set(err, LM_ERROR, "java.lang.ArithmeticException", NULL, NULL,
                            "long overflow");
    *kind = LM_TYPE_DT_INTERVAL;
    *start_field = dt_max >= 0 ? dt_min : LM_DT_DAY;
    *end_field = dt_max >= 0 ? dt_max : LM_DT_SECOND;
    out->u.i64 = micros;
    return LM_OK;
}

static lm_status literal_unit_to_unit(const char *text, const char *from_w, const char *to_w,
                                      bool legacy, lm_type_id *kind, int *start_field,
                                      int *end_field, lm_value *out, lm_error *err)
{
    char from[16], to[16];
    snprintf(from, sizeof from, "%s", from_w);
    snprintf(to, sizeof to, "%s", to_w);
    for (char *c = from; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (char *c = to; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    /* a '-' written before the quote: Spark drops a '-' the value starts with,
       else prefixes one */
    const char *value = text;
    if (text[0] == '-' && text[1] == '-')
        value = text + 2;
    size_t vlen = strlen(value);
    memset(out, 0, sizeof *out);
    out->is_null = false;
    if (strcmp(from, "year") == 0 && strcmp(to, "month") == 0) {
        int32_t months;
        if (lm_interval_parse_ym(value, vlen, LM_YM_YEAR, LM_YM_MONTH, &months, err) != LM_OK)
            return legacy_0063(err);
        if (legacy) {
            *kind = LM_TYPE_INTERVAL;
            *start_field = *end_field = -1;
            out->u.iv = (lm_interval){months, 0, 0};
        } else {
            *kind = LM_TYPE_YM_INTERVAL;
            *start_field = LM_YM_YEAR;
            *end_field = LM_YM_MONTH;
            out->u.i64 = months;
        }
        return LM_OK;
    }
    int f = -1, t = -1;
    for (int i = 0; i < 4; i++) {
        if (strcmp(from, dt_names[i]) == 0)
            f = i;
        if (strcmp(to, dt_names[i]) == 0)
            t = i;
    }
    if (f < 0 || t < 0 || f >= t || f == LM_DT_SECOND) {
        parse_error(err, "_LEGACY_ERROR_TEMP_0028", "Intervals FROM %s TO %s are not supported.",
                    from, to);
        lm_error_param_add(err, "from", from);
        lm_error_param_add(err, "to", to);
        return LM_ERROR;
    }
    int64_t micros;
    if (lm_interval_parse_dt(value, vlen, f, t, &micros, err) != LM_OK)
        return legacy_0063(err);
    if (legacy) {
        *kind = LM_TYPE_INTERVAL;
        *start_field = *end_field = -1;
        out->u.iv = (lm_interval){0, (int32_t)(micros / LM_MICROS_PER_DAY),
                                  micros % LM_MICROS_PER_DAY};
    } else {
        *kind = LM_TYPE_DT_INTERVAL;
        *start_field = f;
        *end_field = t;
        out->u.i64 = micros;
    }
    return LM_OK;
}

lm_status lm_interval_from_units(const char *value_text, const char *unit, lm_interval *out,
                                 lm_error *err)
{
    for (const char *c = value_text; *c; c++)
        if (isalpha((unsigned char)*c)) {
            parse_error(err, "_LEGACY_ERROR_TEMP_0026", "Cannot parse the INTERVAL value: %s.",
                        value_text);
            lm_error_param_add(err, "value", value_text);
            return LM_ERROR;
        }
    size_t n = strlen(value_text) + strlen(unit) + 3;
    char *s = malloc(n);
    if (s == NULL)
        return lm_error_oom(err);
    snprintf(s, n, " %s %s", value_text, unit);
    bool ok = lm_interval_parse(s, strlen(s), out, err);
    free(s);
    return ok ? LM_OK : legacy_0063(err);
}

lm_status lm_interval_literal(const char *text, int nunits, const char *const *units,
                              bool from_string, bool legacy, const char *source,
                              lm_type_id *kind, int *start_field, int *end_field,
                              lm_value *out, lm_error *err)
{
    if (nunits == 2)
        return literal_unit_to_unit(text, units[0], units[1], legacy, kind, start_field,
                                    end_field, out, err);
    lm_interval iv;
    int codes[64];
    int ncodes = 0;
    if (nunits == 1) {
        lm_status st = lm_interval_from_units(text, units[0], &iv, err);
        if (st != LM_OK)
            return st;
        codes[ncodes++] = unit_code(units[0], strlen(units[0]));
    } else {
        if (!lm_interval_parse(text, strlen(text), &iv, err)) {
            if (!from_string)
                return legacy_0063(err);
            char *quoted = malloc(strlen(text) + 3);
            if (quoted == NULL)
                return lm_error_oom(err);
            sprintf(quoted, "'%s'", text);
            lm_error_set(err, LM_ERROR, LM_EXC_PARSE, "INVALID_TYPED_LITERAL", "42604",
                         "The value of the typed literal \"INTERVAL\" is invalid: %s.", quoted);
            lm_error_param_add(err, "value", quoted);
            lm_error_param_add(err, "valueType", "\"INTERVAL\"");
            free(quoted);
            return LM_ERROR;
        }
        /* units: whitespace-separated words of [a-z]+ after stripSuffix("s"),
           except "interval" */
        for (const char *p = text; *p && ncodes < 64;) {
            while (*p && java_ws((unsigned char)*p))
                p++;
            const char *b = p;
            while (*p && !java_ws((unsigned char)*p))
                p++;
            size_t n = (size_t)(p - b);
            bool letters = n > 0;
            for (size_t k = 0; k < n; k++)
                if (!isalpha((unsigned char)b[k]))
                    letters = false;
            if (!letters)
                continue;
            int c = unit_code(b, n);
            if (c != U_BAD)
                codes[ncodes++] = c;
        }
    }
    if (legacy) {
        memset(out, 0, sizeof *out);
        out->is_null = false;
        out->u.iv = iv;
        *kind = LM_TYPE_INTERVAL;
        *start_field = *end_field = -1;
        return LM_OK;
    }
    return construct_multi(&iv, codes, ncodes, text, source, kind, start_field, end_field, out,
                           err);
}
