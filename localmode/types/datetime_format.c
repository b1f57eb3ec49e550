/*
 * Datetime patterns: a compiler from Spark/java.time pattern text to a token
 * list, a formatter over local date-time fields, and a strict parser that
 * follows java.time's DateTimeFormatter in STRICT resolver mode with the
 * defaults Spark applies to missing fields (DateTimeFormatterHelper).
 *
 * Adjacent value parsing: as java.time does for "yyyyMMdd", a variable-width
 * number directly followed by fixed-width numbers leaves their digits to them.
 */
#include "datetime_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"

enum { T_LIT, T_FIELD, T_OPT_START, T_OPT_END };

typedef struct tok {
    int kind;
    char letter;
    int count;
    char *text;   /* T_LIT */
    int min, max; /* numeric widths */
    bool numeric;
    int reserve;  /* digits reserved for following fixed-width numbers */
} tok;

struct lm_dtf {
    int n;
    tok *t;
    bool parsing;
};

static const char *const month_long[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
/* Monday first, as java.time's DayOfWeek */
static const char *const dow_long[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
static const char *const dow_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const quarter_long[] = {"1st quarter", "2nd quarter", "3rd quarter",
                                           "4th quarter"};

void lm_dtf_free(lm_dtf *f)
{
    if (f == NULL)
        return;
    for (int i = 0; i < f->n; i++)
        free(f->t[i].text);
    free(f->t);
    free(f);
}

/* ------------------------------------------------------------------ */
/* compile                                                              */

static bool legacy_letter(char c)
{
    return strchr("GyYMLwWDdFEuaHkKhmsSzZX", c) != NULL;
}

/* Would Spark 2's SimpleDateFormat accept the pattern? */
static bool legacy_accepts(const char *p)
{
    bool q = false;
    for (const char *c = p; *c; c++) {
        if (*c == '\'') {
            q = !q;
            continue;
        }
        if (q || !isalpha((unsigned char)*c))
            continue;
        if (!legacy_letter(*c))
            return false;
        if (*c == 'X') {
            int n = 0;
            while (c[n] == 'X')
                n++;
            if (n > 3)
                return false;
            c += n - 1;
        }
    }
    return !q;
}

static lm_dtf *pattern_error(lm_error *err, const char *pattern, const char *fmt, char c)
{
    if (legacy_accepts(pattern)) {
        lm_error_set(err, LM_ERROR, "org.apache.spark.SparkUpgradeException",
                     "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION", NULL,
                     "You may get a different result due to the upgrading to Spark >= 3.0: "
                     "Fail to recognize '%s' pattern in the DateTimeFormatter.",
                     pattern);
        lm_error_param_add(err, "config", "\"spark.sql.legacy.timeParserPolicy\"");
        lm_error_param_add(err, "docroot", "https://spark.apache.org/docs/latest");
        char buf[512];
        snprintf(buf, sizeof buf, "'%s'", pattern);
        lm_error_param_add(err, "pattern", buf);
    } else {
        lm_error_set(err, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL, fmt, c);
    }
    return NULL;
}

static bool push(lm_dtf *f, int *cap, tok t)
{
    if (f->n == *cap) {
        int nc = *cap ? *cap * 2 : 16;
        tok *nt = realloc(f->t, sizeof(tok) * (size_t)nc);
        if (nt == NULL)
            return false;
        f->t = nt;
        *cap = nc;
    }
    f->t[f->n++] = t;
    return true;
}

/* numeric width of a field token, java.time's appendPattern rules */
static const char *field_setup(tok *t, bool parsing)
{
    int c = t->count;
    t->numeric = false;
    switch (t->letter) {
    case 'y':
        t->numeric = true;
        if (c == 2) {
            t->min = t->max = 2;
        } else {
            t->min = c;
            t->max = 19;
        }
        return NULL;
    case 'M':
    case 'L':
    case 'Q':
    case 'q':
        if (c >= 5)
            return "Too many pattern letters: %c";
        if (c <= 2) {
            t->numeric = true;
            t->min = c;
            t->max = c == 1 ? 19 : 2;
        }
        return NULL;
    case 'd':
    case 'H':
    case 'h':
    case 'k':
    case 'K':
    case 'm':
    case 's':
        if (c > 2)
            return "Too many pattern letters: %c";
        t->numeric = true;
        t->min = c;
        t->max = c == 1 ? 19 : 2;
        return NULL;
    case 'D':
        if (c > 3)
            return "Too many pattern letters: %c";
        t->numeric = true;
        t->min = c;
        t->max = c == 1 ? 19 : 3;
        return NULL;
    case 'S':
        t->numeric = true;
        t->min = parsing ? 1 : c;
        t->max = c;
        if (c > 9)
            return "Too many pattern letters: %c";
        return NULL;
    case 'E':
        if (c >= 5)
            return "Too many pattern letters: %c";
        return NULL;
    case 'G':
        if (c >= 5)
            return "Too many pattern letters: %c";
        return NULL;
    case 'a':
        if (c > 1)
            return "Too many pattern letters: %c";
        return NULL;
    case 'V':
        if (c != 2)
            return "Pattern letter count must be 2: %c";
        return NULL;
    case 'z':
        if (c > 4)
            return "Too many pattern letters: %c";
        return NULL;
    case 'O':
        if (c != 1 && c != 4)
            return "Pattern letter count must be 1 or 4: %c";
        return NULL;
    case 'X':
    case 'x':
    case 'Z':
        if (c > 5)
            return "Too many pattern letters: %c";
        return NULL;
    default:
        return "Unknown pattern letter: %c";
    }
}

lm_dtf *lm_dtf_compile(const char *pattern, bool parsing, lm_error *err)
{
    lm_dtf *f = calloc(1, sizeof *f);
    if (f == NULL) {
        lm_error_oom(err);
        return NULL;
    }
    f->parsing = parsing;
    int cap = 0, depth = 0;
    const char *p = pattern;
    const char *bad = NULL;
    char badc = 0;
    while (*p) {
        char c = *p;
        if (c == '\'') {
            const char *q = p + 1;
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            if (*q == '\'') {
                lm_strbuf_putc(&sb, '\'');
                q++;
            } else {
                for (;;) {
                    if (*q == '\0') {
                        lm_strbuf_free(&sb);
                        bad = "Pattern ends with an incomplete string literal: %c";
                        badc = '\'';
                        goto fail;
                    }
                    if (*q == '\'') {
                        if (q[1] == '\'') {
                            lm_strbuf_putc(&sb, '\'');
                            q += 2;
                            continue;
                        }
                        q++;
                        break;
                    }
                    lm_strbuf_putc(&sb, *q++);
                }
            }
            char *text = lm_strbuf_detach(&sb);
            if (text == NULL)
                text = calloc(1, 1);
            if (text == NULL || !push(f, &cap, (tok){.kind = T_LIT, .text = text})) {
                free(text);
                goto oom;
            }
            p = q;
            continue;
        }
        if (c == '[') {
            depth++;
            if (!push(f, &cap, (tok){.kind = T_OPT_START}))
                goto oom;
            p++;
            continue;
        }
        if (c == ']') {
            if (depth == 0) {
                bad = "Pattern invalid as it contains ] without previous [%c";
                badc = ' ';
                goto fail;
            }
            depth--;
            if (!push(f, &cap, (tok){.kind = T_OPT_END}))
                goto oom;
            p++;
            continue;
        }
        if (c == '{' || c == '}' || c == '#') {
            bad = "Pattern includes reserved character: '%c'";
            badc = c;
            goto fail;
        }
        if (isalpha((unsigned char)c)) {
            int n = 0;
            while (p[n] == c)
                n++;
            if (strchr("YWwuec", c) != NULL) {
                bad = "All week-based patterns are unsupported since Spark 3.0, detected: %c, "
                      "Please use the SQL function EXTRACT instead";
                badc = c;
                goto fail;
            }
            if (strchr("AnNpF", c) != NULL || (parsing && strchr("EFqQ", c) != NULL)) {
                bad = "Illegal pattern character: %c";
                badc = c;
                goto fail;
            }
            if (c == 'y' && n > 10) {
                bad = "Too many pattern letters: %c";
                badc = c;
                goto fail;
            }
            tok t = {.kind = T_FIELD, .letter = c == 'u' ? 'y' : c, .count = n};
            const char *e = field_setup(&t, parsing);
            if (e != NULL) {
                bad = e;
                badc = c;
                goto fail;
            }
            if (!push(f, &cap, t))
                goto oom;
            p += n;
            continue;
        }
        char lit[2] = {c, 0};
        char *text = strdup(lit);
        if (text == NULL || !push(f, &cap, (tok){.kind = T_LIT, .text = text})) {
            free(text);
            goto oom;
        }
        p++;
    }
    /* adjacent value parsing reservations */
    for (int i = 0; i < f->n; i++) {
        tok *t = &f->t[i];
        if (t->kind != T_FIELD || !t->numeric || t->min == t->max)
            continue;
        int r = 0;
        for (int j = i + 1; j < f->n; j++) {
            tok *u = &f->t[j];
            if (u->kind != T_FIELD || !u->numeric || u->min != u->max)
                break;
            r += u->min;
        }
        t->reserve = r;
    }
    return f;
oom:
    lm_dtf_free(f);
    lm_error_oom(err);
    return NULL;
fail:
    lm_dtf_free(f);
    return pattern_error(err, pattern, bad, badc);
}

/* ------------------------------------------------------------------ */
/* format                                                               */

typedef struct fmt_ctx {
    lm_datetime_fields f;
    const lm_tz *tz;
    bool ntz;
} fmt_ctx;

static void put_num(lm_strbuf *sb, int64_t v, int min_width, bool exceeds_pad)
{
    if (v < 0) {
        lm_strbuf_printf(sb, "-%0*lld", min_width, -(long long)v);
        return;
    }
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%0*lld", min_width, (long long)v);
    if (exceeds_pad && n > min_width)
        lm_strbuf_putc(sb, '+');
    lm_strbuf_puts(sb, buf);
}

/* OffsetIdPrinterParser with the pattern index 0..8:
   +HH +HHmm +HH:mm +HHMM +HH:MM +HHMMss +HH:MM:ss +HHMMSS +HH:MM:SS */
static void put_offset(lm_strbuf *sb, int64_t off, int style, const char *zero)
{
    if (off == 0) {
        lm_strbuf_puts(sb, zero);
        return;
    }
    int64_t a = off < 0 ? -off : off;
    int h = (int)(a / 3600), m = (int)(a / 60 % 60), s = (int)(a % 60);
    bool colon = style == 2 || style == 4 || style == 6 || style == 8;
    lm_strbuf_printf(sb, "%c%02d", off < 0 ? '-' : '+', h);
    bool want_min = style >= 3 || ((style == 1 || style == 2) && (m != 0 || s != 0));
    if (style == 0)
        want_min = false;
    if (want_min) {
        lm_strbuf_printf(sb, colon ? ":%02d" : "%02d", m);
        bool want_sec = style >= 7 || ((style == 5 || style == 6) && s != 0);
        if (want_sec)
            lm_strbuf_printf(sb, colon ? ":%02d" : "%02d", s);
    }
}

static void put_localized_offset(lm_strbuf *sb, int64_t off, bool full)
{
    lm_strbuf_puts(sb, "GMT");
    if (off == 0)
        return;
    int64_t a = off < 0 ? -off : off;
    int h = (int)(a / 3600), m = (int)(a / 60 % 60), s = (int)(a % 60);
    lm_strbuf_putc(sb, off < 0 ? '-' : '+');
    if (full) {
        lm_strbuf_printf(sb, "%02d:%02d", h, m);
        if (s)
            lm_strbuf_printf(sb, ":%02d", s);
    } else {
        lm_strbuf_printf(sb, "%d", h);
        if (m || s)
            lm_strbuf_printf(sb, ":%02d", m);
        if (s)
            lm_strbuf_printf(sb, ":%02d", s);
    }
}

static void format_field(lm_strbuf *sb, const tok *t, const fmt_ctx *c)
{
    const lm_datetime_fields *f = &c->f;
    int n = t->count;
    int64_t off = f->offset;
    switch (t->letter) {
    case 'G':
        if (n == 4)
            lm_strbuf_puts(sb, f->year > 0 ? "Anno Domini" : "Before Christ");
        else
            lm_strbuf_puts(sb, f->year > 0 ? "AD" : "BC");
        break;
    case 'y':
        if (n == 2)
            put_num(sb, lm_floor_mod(f->year, 100), 2, false);
        else
            put_num(sb, f->year, n, n >= 4);
        break;
    case 'M':
    case 'L':
        if (n <= 2)
            put_num(sb, f->month, n, false);
        else
            lm_strbuf_puts(sb, (n == 3 ? month_short : month_long)[f->month - 1]);
        break;
    case 'Q':
    case 'q': {
        int q = (f->month - 1) / 3 + 1;
        if (n <= 2)
            put_num(sb, q, n, false);
        else if (n == 3)
            lm_strbuf_printf(sb, "Q%d", q);
        else
            lm_strbuf_puts(sb, quarter_long[q - 1]);
        break;
    }
    case 'd':
        put_num(sb, f->day, n, false);
        break;
    case 'D':
        put_num(sb, f->days - lm_date_from_civil(f->year, 1, 1) + 1, n, false);
        break;
    case 'E':
        lm_strbuf_puts(sb, (n == 4 ? dow_long : dow_short)[lm_date_weekday(f->days)]);
        break;
    case 'a':
        lm_strbuf_puts(sb, f->hour < 12 ? "AM" : "PM");
        break;
    case 'H':
        put_num(sb, f->hour, n, false);
        break;
    case 'k':
        put_num(sb, f->hour == 0 ? 24 : f->hour, n, false);
        break;
    case 'K':
        put_num(sb, f->hour % 12, n, false);
        break;
    case 'h':
        put_num(sb, f->hour % 12 == 0 ? 12 : f->hour % 12, n, false);
        break;
    case 'm':
        put_num(sb, f->minute, n, false);
        break;
    case 's':
        put_num(sb, f->second, n, false);
        break;
    case 'S': {
        char buf[16];
        snprintf(buf, sizeof buf, "%06d000", f->micros);
        lm_strbuf_append(sb, buf, (size_t)n);
        break;
    }
    case 'V':
        lm_strbuf_puts(sb, c->ntz ? "UTC" : lm_tz_id(c->tz));
        break;
    case 'z':
        lm_strbuf_puts(sb, c->ntz ? "UTC" : lm_tz_id(c->tz));
        break;
    case 'O':
        put_localized_offset(sb, off, n == 4);
        break;
    case 'X':
    case 'x': {
        static const int styles[] = {1, 3, 4, 5, 6};
        static const char *const xzero[] = {"+00", "+0000", "+00:00", "+0000", "+00:00"};
        put_offset(sb, off, styles[n - 1], t->letter == 'X' ? "Z" : xzero[n - 1]);
        break;
    }
    case 'Z':
        if (n <= 3)
            put_offset(sb, off, 3, "+0000");
        else if (n == 4)
            put_localized_offset(sb, off, true);
        else
            put_offset(sb, off, 6, "Z");
        break;
    default:
        break;
    }
}

static void format_all(const lm_dtf *f, lm_strbuf *sb, const fmt_ctx *c)
{
    for (int i = 0; i < f->n; i++) {
        const tok *t = &f->t[i];
        if (t->kind == T_LIT)
            lm_strbuf_puts(sb, t->text);
        else if (t->kind == T_FIELD)
            format_field(sb, t, c);
    }
}

void lm_dtf_format_ts(const lm_dtf *f, lm_strbuf *sb, int64_t micros, const lm_tz *tz)
{
    fmt_ctx c = {.tz = tz, .ntz = false};
    lm_ts_fields(micros, tz, &c.f);
    format_all(f, sb, &c);
}

void lm_dtf_format_ntz(const lm_dtf *f, lm_strbuf *sb, int64_t micros)
{
    fmt_ctx c = {.tz = lm_tz_utc(), .ntz = true};
    lm_ts_ntz_fields(micros, &c.f);
    format_all(f, sb, &c);
}

/* ------------------------------------------------------------------ */
/* parse                                                                */

#define UNSET INT64_MIN

typedef struct pstate {
    int64_t year, month, day, doy;
    int64_t hour, clock_hour, hour_ampm, clock_hour_ampm, ampm;
    int64_t minute, second, nanos;
    int64_t offset;
    const lm_tz *zone;
    bool lenient; /* Spark 2 style retry: numbers of any width */
} pstate;

static bool set_field(int64_t *slot, int64_t v)
{
    if (*slot != UNSET && *slot != v)
        return false; /* java.time: conflicting values */
    *slot = v;
    return true;
}

static size_t match_text_ci(const char *s, size_t len, size_t pos, const char *const *names,
                            int count, int *which)
{
    size_t best = 0;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (pos + n <= len && strncasecmp(s + pos, names[i], n) == 0 && n > best) {
            best = n;
            *which = i;
        }
    }
    return best;
}

/* parses a number for token t at *pos; returns false on mismatch */
static bool parse_number(const tok *t, const char *s, size_t len, size_t *pos, int64_t *out,
                         bool lenient)
{
    size_t i = *pos;
    bool neg = false;
    if (t->letter == 'y' && t->min != 2 && i < len && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '+' && t->min < 4 && !lenient)
            return false; /* SignStyle.NORMAL: no '+' in strict mode */
        neg = s[i] == '-';
        i++;
    }
    size_t avail = 0;
    while (i + avail < len && isdigit((unsigned char)s[i + avail]))
        avail++;
    int min = lenient ? 1 : t->min;
    int max = lenient ? 19 : t->max;
    size_t take = avail;
    if (take > (size_t)max + (size_t)t->reserve)
        take = (size_t)max + (size_t)t->reserve;
    if (t->reserve > 0)
        take = take > (size_t)t->reserve + (size_t)min ? take - (size_t)t->reserve : (size_t)min;
    if (take > (size_t)max)
        take = (size_t)max;
    if (take > avail || take < (size_t)min || take == 0)
        return false;
    if (t->letter == 'y' && t->min >= 4 && !lenient) {
        /* EXCEEDS_PAD, strict: more digits than the width need a '+' */
        bool plus = i > *pos && s[*pos] == '+';
        if (!neg && !plus && take > (size_t)t->min)
            return false;
        if (plus && take <= (size_t)t->min)
            return false;
    }
    int64_t v = 0;
    for (size_t k = 0; k < take; k++) {
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (s[i + k] - '0');
    }
    if (t->letter == 'S') {
        for (size_t k = take; k < 9; k++)
            v *= 10;
    }
    *out = neg ? -v : v;
    *pos = i + take;
    return true;
}

/* offset text for X/x/Z styles; pattern index as put_offset. The signed
   form is tried first, then the text for a zero offset ("Z", "+00"). */
static bool parse_offset(const char *s, size_t len, size_t *pos, int style, const char *zero,
                         int64_t *out)
{
    size_t i = *pos;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        size_t j = i + 1;
        bool colon = style == 2 || style == 4 || style == 6 || style == 8;
        int parts[3] = {0, 0, 0};
        int np = 0;
        int maxp = style == 0 ? 1 : style < 5 ? 2 : 3;
        for (int k = 0; k < maxp; k++) {
            size_t q = j;
            if (k > 0 && colon) {
                if (q < len && s[q] == ':')
                    q++;
                else
                    break;
            }
            if (q + 2 > len || !isdigit((unsigned char)s[q]) || !isdigit((unsigned char)s[q + 1]))
                break;
            parts[k] = (s[q] - '0') * 10 + (s[q + 1] - '0');
            j = q + 2;
            np++;
        }
        bool ok = np > 0 && !(style >= 3 && np < 2) && !(style >= 7 && np < 3) &&
                  parts[0] <= 18 && parts[1] <= 59 && parts[2] <= 59;
        if (ok) {
            *out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
            *pos = j;
            return true;
        }
    }
    size_t zl = strlen(zero);
    if (i + zl <= len && strncasecmp(s + i, zero, zl) == 0) {
        *pos = i + zl;
        *out = 0;
        return true;
    }
    return false;
}

static bool parse_localized_offset(const char *s, size_t len, size_t *pos, bool full,
                                   int64_t *out)
{
    size_t i = *pos;
    if (i + 3 > len || strncasecmp(s + i, "GMT", 3) != 0)
        return false;
    i += 3;
    if (i >= len || (s[i] != '+' && s[i] != '-')) {
        *out = 0;
        *pos = i;
        return true;
    }
    int sign = s[i] == '-' ? -1 : 1;
    i++;
    int h = 0, m = 0, sec = 0, nd = 0;
    while (i < len && isdigit((unsigned char)s[i]) && nd < 2) {
        h = h * 10 + (s[i++] - '0');
        nd++;
    }
    if (nd == 0 || (full && nd != 2))
        return false;
    if (i + 2 < len && s[i] == ':' && isdigit((unsigned char)s[i + 1]) &&
        isdigit((unsigned char)s[i + 2])) {
        m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        i += 3;
        if (i + 2 < len && s[i] == ':' && isdigit((unsigned char)s[i + 1]) &&
            isdigit((unsigned char)s[i + 2])) {
            sec = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
            i += 3;
        }
    } else if (full) {
        return false;
    }
    if (h > 18 || m > 59 || sec > 59)
        return false;
    *out = sign * (h * 3600 + m * 60 + sec);
    *pos = i;
    return true;
}

static bool parse_zone_id(const char *s, size_t len, size_t *pos, const lm_tz **out)
{
    size_t i = *pos, e = i;
    while (e < len && (isalnum((unsigned char)s[e]) || strchr("~/._+-:", s[e]) != NULL))
        e++;
    char buf[128];
    for (size_t n = e - i; n > 0; n--) {
        if (n >= sizeof buf)
            continue;
        memcpy(buf, s + i, n);
        buf[n] = '\0';
        const lm_tz *z = lm_tz_get(buf, NULL);
        if (z != NULL) {
            *out = z;
            *pos = i + n;
            return true;
        }
    }
    return false;
}

static bool parse_field(const tok *t, const char *s, size_t len, size_t *pos, pstate *p)
{
    int64_t v;
    int which = 0;
    size_t n;
    switch (t->letter) {
    case 'y':
        if (!parse_number(t, s, len, pos, &v, p->lenient))
            return false;
        if (t->min == 2 && t->max == 2 && !p->lenient)
            v += 2000;
        return set_field(&p->year, v);
    case 'M':
    case 'L':
        if (t->numeric) {
            if (!parse_number(t, s, len, pos, &v, p->lenient))
                return false;
            return set_field(&p->month, v);
        }
        n = match_text_ci(s, len, *pos, t->count == 3 ? month_short : month_long, 12, &which);
        if (n == 0)
            return false;
        *pos += n;
        return set_field(&p->month, which + 1);
    case 'd':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->day, v);
    case 'D':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->doy, v);
    case 'H':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->hour, v);
    case 'k':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->clock_hour, v);
    case 'K':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->hour_ampm, v);
    case 'h':
        return parse_number(t, s, len, pos, &v, p->lenient) &&
               set_field(&p->clock_hour_ampm, v);
    case 'm':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->minute, v);
    case 's':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->second, v);
    case 'S':
        return parse_number(t, s, len, pos, &v, p->lenient) && set_field(&p->nanos, v);
    case 'a': {
        static const char *const ampm[] = {"AM", "PM"};
        n = match_text_ci(s, len, *pos, ampm, 2, &which);
        if (n == 0)
            return false;
        *pos += n;
        return set_field(&p->ampm, which);
    }
    case 'G': {
        static const char *const eras[] = {"BC", "AD", "Before Christ", "Anno Domini"};
        n = match_text_ci(s, len, *pos, eras, 4, &which);
        if (n == 0 || which % 2 == 0)
            return false; /* only AD resolves with the default era */
        *pos += n;
        return true;
    }
    case 'V':
    case 'z':
        if (!parse_zone_id(s, len, pos, &p->zone))
            return false;
        return true;
    case 'O':
        return parse_localized_offset(s, len, pos, t->count == 4, &v) && set_field(&p->offset, v);
    case 'X':
    case 'x': {
        static const int styles[] = {1, 3, 4, 5, 6};
        static const char *const xzero[] = {"+00", "+0000", "+00:00", "+0000", "+00:00"};
        return parse_offset(s, len, pos, styles[t->count - 1],
                            t->letter == 'X' ? "Z" : xzero[t->count - 1], &v) &&
               set_field(&p->offset, v);
    }
    case 'Z':
        if (t->count <= 3)
            return parse_offset(s, len, pos, 3, "+0000", &v) && set_field(&p->offset, v);
        if (t->count == 4)
            return parse_localized_offset(s, len, pos, true, &v) && set_field(&p->offset, v);
        return parse_offset(s, len, pos, 6, "Z", &v) && set_field(&p->offset, v);
    default:
        return false;
    }
}

static int opt_end(const lm_dtf *f, int i)
{
    int depth = 0;
    for (int j = i; j < f->n; j++) {
        if (f->t[j].kind == T_OPT_START)
            depth++;
        else if (f->t[j].kind == T_OPT_END && --depth == 0)
            return j;
    }
    return f->n;
}

/* parses tokens [from, to) at *pos */
static bool parse_seq(const lm_dtf *f, int from, int to, const char *s, size_t len, size_t *pos,
                      pstate *p)
{
    for (int i = from; i < to; i++) {
        const tok *t = &f->t[i];
        if (t->kind == T_LIT) {
            size_t n = strlen(t->text);
            if (*pos + n > len || strncasecmp(s + *pos, t->text, n) != 0)
                return false;
            *pos += n;
        } else if (t->kind == T_FIELD) {
            if (!parse_field(t, s, len, pos, p))
                return false;
        } else if (t->kind == T_OPT_START) {
            int end = opt_end(f, i);
            pstate save = *p;
            size_t spos = *pos;
            if (!parse_seq(f, i + 1, end, s, len, pos, p)) {
                *p = save;
                *pos = spos;
            }
            i = end;
        }
    }
    return true;
}

typedef struct resolved {
    int64_t days;       /* local date */
    int64_t sod;        /* second of day */
    int64_t nanos;
    bool has_offset;
    int64_t offset;
    const lm_tz *zone;
} resolved;

static bool resolve(const pstate *p, resolved *r)
{
    /* date: DateTimeFormatterHelper.toLocalDate */
    int64_t year = p->year != UNSET ? p->year : 1970;
    if (year < -999999999 || year > 999999999)
        return false;
    if (p->month != UNSET && (p->month < 1 || p->month > 12))
        return false;
    if (p->day != UNSET && (p->day < 1 || p->day > 31))
        return false;
    if (p->doy != UNSET) {
        int ylen = lm_date_is_leap_year(year) ? 366 : 365;
        if (p->doy < 1 || p->doy > ylen)
            return false;
        int64_t days = lm_date_from_civil(year, 1, 1) + p->doy - 1;
        int64_t y;
        int m, d;
        lm_date_to_civil(days, &y, &m, &d);
        if ((p->month != UNSET && p->month != m) || (p->day != UNSET && p->day != d))
            return false;
        r->days = days;
    } else {
        int m = p->month != UNSET ? (int)p->month : 1;
        int d = p->day != UNSET ? (int)p->day : 1;
        if (d > lm_date_days_in_month(year, m))
            return false;
        r->days = lm_date_from_civil(year, m, d);
    }
    /* time: toLocalTime with java.time's STRICT field resolution */
    int64_t hour = UNSET;
    if (p->clock_hour != UNSET) {
        if (p->clock_hour < 1 || p->clock_hour > 24)
            return false;
        hour = p->clock_hour == 24 ? 0 : p->clock_hour;
    }
    if (p->hour != UNSET) {
        if (p->hour < 0 || p->hour > 23 || (hour != UNSET && hour != p->hour))
            return false;
        hour = p->hour;
    }
    int64_t hampm = UNSET;
    if (p->clock_hour_ampm != UNSET) {
        if (p->clock_hour_ampm < 1 || p->clock_hour_ampm > 12)
            return false;
        hampm = p->clock_hour_ampm == 12 ? 0 : p->clock_hour_ampm;
    }
    if (p->hour_ampm != UNSET) {
        if (p->hour_ampm < 0 || p->hour_ampm > 11 || (hampm != UNSET && hampm != p->hour_ampm))
            return false;
        hampm = p->hour_ampm;
    }
    if (hour != UNSET) {
        if (hampm != UNSET && hampm != hour % 12)
            return false;
        if (p->ampm != UNSET && p->ampm != hour / 12)
            return false;
    } else if (hampm != UNSET) {
        hour = p->ampm != UNSET ? p->ampm * 12 + hampm : hampm;
    } else if (p->ampm == 1) {
        hour = 12;
    } else {
        hour = 0;
    }
    int64_t minute = p->minute != UNSET ? p->minute : 0;
    int64_t second = p->second != UNSET ? p->second : 0;
    if (minute < 0 || minute > 59 || second < 0 || second > 59)
        return false;
    r->sod = hour * 3600 + minute * 60 + second;
    r->nanos = p->nanos != UNSET ? p->nanos : 0;
    r->has_offset = p->offset != UNSET;
    r->offset = p->offset;
    r->zone = p->zone;
    return true;
}

static bool run_parse(const lm_dtf *f, const char *s, size_t len, bool lenient, resolved *r)
{
    pstate p;
    p.year = p.month = p.day = p.doy = UNSET;
    p.hour = p.clock_hour = p.hour_ampm = p.clock_hour_ampm = p.ampm = UNSET;
    p.minute = p.second = p.nanos = p.offset = UNSET;
    p.zone = NULL;
    p.lenient = lenient;
    size_t pos = 0;
    if (!parse_seq(f, 0, f->n, s, len, &pos, &p) || pos != len)
        return false;
    return resolve(&p, r);
}

static lm_dtf_result do_parse(const lm_dtf *f, const char *s, size_t len, resolved *r)
{
    if (run_parse(f, s, len, false, r))
        return LM_DTF_OK;
    resolved tmp;
    if (run_parse(f, s, len, true, &tmp))
        return LM_DTF_UPGRADE;
    return LM_DTF_FAIL;
}

static bool to_micros(int64_t secs, int64_t nanos, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(secs, LM_MICROS_PER_SECOND, &r) ||
        __builtin_add_overflow(r, nanos / 1000, &r))
        return false;
    *out = r;
    return true;
}

lm_dtf_result lm_dtf_parse_ts(const lm_dtf *f, const char *s, size_t len, const lm_tz *tz,
                              int64_t *micros)
{
    resolved r;
    lm_dtf_result res = do_parse(f, s, len, &r);
    if (res != LM_DTF_OK)
        return res;
    int64_t local = r.days * LM_SECONDS_PER_DAY + r.sod;
    int64_t utc;
    if (r.zone != NULL)
        utc = lm_tz_local_to_utc_seconds(r.zone, local, LM_TZ_NO_PREFERRED);
    else if (r.has_offset)
        utc = local - r.offset;
    else
        utc = lm_tz_local_to_utc_seconds(tz, local, LM_TZ_NO_PREFERRED);
    return to_micros(utc, r.nanos, micros) ? LM_DTF_OK : LM_DTF_FAIL;
}

lm_dtf_result lm_dtf_parse_ntz(const lm_dtf *f, const char *s, size_t len, bool allow_time_zone,
                               int64_t *micros)
{
    resolved r;
    lm_dtf_result res = do_parse(f, s, len, &r);
    if (res != LM_DTF_OK)
        return res;
    if (!allow_time_zone && (r.zone != NULL || r.has_offset))
        return LM_DTF_FAIL;
    return to_micros(r.days * LM_SECONDS_PER_DAY + r.sod, r.nanos, micros) ? LM_DTF_OK
                                                                           : LM_DTF_FAIL;
}

lm_dtf_result lm_dtf_parse_date(const lm_dtf *f, const char *s, size_t len, int32_t *days)
{
    resolved r;
    lm_dtf_result res = do_parse(f, s, len, &r);
    if (res != LM_DTF_OK)
        return res;
    if (r.days < INT32_MIN || r.days > INT32_MAX)
        return LM_DTF_FAIL;
    *days = (int32_t)r.days;
    return LM_DTF_OK;
}

lm_status lm_dtf_upgrade_error(lm_error *err, const char *s, size_t len)
{
    lm_error_set(err, LM_ERROR, "org.apache.spark.SparkUpgradeException",
                 "INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER", NULL,
                 "You may get a different result due to the upgrading to Spark >= 3.0: Fail to "
                 "parse '%.*s' in the new parser.",
                 (int)len, s);
    lm_error_param_add(err, "config", "\"spark.sql.legacy.timeParserPolicy\"");
    char buf[512];
    snprintf(buf, sizeof buf, "'%.*s'", (int)(len > 500 ? 500 : len), s);
    lm_error_param_add(err, "datetime", buf);
    return LM_ERROR;
}
