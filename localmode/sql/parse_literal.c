/*
 * Literals of the Spark SQL grammar: numbers with Spark's typing rules
 * (int, bigint, decimal by size; Y/S/L/D/F/BD suffixes; exponents as double)
 * and range errors, strings, booleans, NULL, typed literals (DATE, TIMESTAMP,
 * X'..') and every INTERVAL form. Decimal values and types are computed as
 * Java's BigDecimal would; datetime and interval values are left for the
 * analyzer (LM_LIT_UNPARSED), see parser.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parse_internal.h"
#include "sql/parse_types.h"

/* ================================================================ helpers */

lm_expr *sqlp_lit_new(sqlp *p, lm_type_id id, int start, int stop)
{
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_LITERAL, start, stop);
    e->type = sqlp_type_primitive(p->a, id);
    if (e->type == NULL)
        sqlp_oom(p);
    return e;
}

lm_expr *sqlp_lit_string(sqlp *p, const char *s, int len, int start, int stop)
{
    lm_expr *e = sqlp_lit_new(p, LM_TYPE_STRING, start, stop);
    char *c = sqlp_strndup(p, s, (size_t)len);
    e->value = lm_value_str(c, len);
    e->text = c;
    return e;
}

lm_expr *sqlp_lit_int(sqlp *p, int64_t v, int start, int stop)
{
    lm_expr *e = sqlp_lit_new(p, LM_TYPE_INT, start, stop);
    e->value = lm_value_i64(v);
    e->text = lm_arena_printf(p->a, "%lld", (long long)v);
    if (e->text == NULL)
        sqlp_oom(p);
    return e;
}

lm_expr *sqlp_lit_bool(sqlp *p, bool b, int start, int stop)
{
    lm_expr *e = sqlp_lit_new(p, LM_TYPE_BOOLEAN, start, stop);
    e->value = lm_value_bool(b);
    e->text = sqlp_strdup(p, b ? "true" : "false");
    return e;
}

char *sqlp_lower_copy(sqlp *p, const char *s)
{
    char *d = sqlp_strdup(p, s);
    for (char *c = d; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    return d;
}

char *sqlp_upper_copy(sqlp *p, const char *s)
{
    char *d = sqlp_strdup(p, s);
    for (char *c = d; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 32);
    return d;
}

/* ================================================================ numbers */

typedef struct bigdec {
    bool neg;
    lm_int128 unscaled;
    int precision;
    int scale;
    bool too_big; /* more than 38 significant digits */
} bigdec;

/* Parses digits[.digits][E[+-]digits] as Java's BigDecimal(String) does. */
static void parse_bigdec(const char *s, int n, bigdec *d)
{
    memset(d, 0, sizeof *d);
    int i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        d->neg = s[i] == '-';
        i++;
    }
    int ndigits = 0, frac = 0;
    bool in_frac = false, seen_nonzero = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            in_frac = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        if (in_frac)
            frac++;
        if (c != '0')
            seen_nonzero = true;
        if (seen_nonzero) {
            if (ndigits < 38) /* 38 digits always fit in 128 bits */
                d->unscaled = d->unscaled * 10 + (c - '0');
            ndigits++;
        }
    }
    long exp = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
        if (eneg)
            exp = -exp;
    }
    d->precision = ndigits == 0 ? 1 : ndigits;
    d->too_big = ndigits > 38;
    long scale = frac - exp;
    if (scale > 100000)
        scale = 100000;
    if (scale < -100000)
        scale = -100000;
    d->scale = (int)scale;
    if (d->neg)
        d->unscaled = -d->unscaled;
}

/* Spark's Decimal.set(BigDecimal): precision >= scale; negative scale
   folded into the unscaled value. Returns false if precision > 38. */
static bool bigdec_normalize(bigdec *d)
{
    if (d->too_big)
        return false;
    if (d->precision < d->scale) {
        d->precision = d->scale;
    } else if (d->scale < 0) {
        d->precision -= d->scale;
        if (d->precision > 38)
            return false;
        for (int k = 0; k < -d->scale; k++)
            d->unscaled *= 10;
        d->scale = 0;
    }
    return d->precision <= 38;
}

/* Java's BigDecimal.toString, what Spark prints for decimal literals. */
static char *bigdec_string(sqlp *p, const bigdec *d)
{
    char digits[64];
    lm_int128 u = d->unscaled < 0 ? -d->unscaled : d->unscaled;
    int nd = 0;
    char tmp[64];
    do {
        tmp[nd++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u > 0);
    for (int k = 0; k < nd; k++)
        digits[k] = tmp[nd - 1 - k];
    digits[nd] = 0;
    char out[160];
    int o = 0;
    if (d->unscaled < 0)
        out[o++] = '-';
    long adjusted = -(long)d->scale + (nd - 1);
    if (d->scale == 0) {
        memcpy(out + o, digits, (size_t)nd);
        o += nd;
    } else if (d->scale > 0 && adjusted >= -6) {
        if (nd > d->scale) {
            memcpy(out + o, digits, (size_t)(nd - d->scale));
            o += nd - d->scale;
            out[o++] = '.';
            memcpy(out + o, digits + nd - d->scale, (size_t)d->scale);
            o += d->scale;
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (int k = 0; k < d->scale - nd; k++)
                out[o++] = '0';
            memcpy(out + o, digits, (size_t)nd);
            o += nd;
        }
    } else {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            memcpy(out + o, digits + 1, (size_t)(nd - 1));
            o += nd - 1;
        }
        o += snprintf(out + o, sizeof out - (size_t)o, "E%s%ld", adjusted >= 0 ? "+" : "",
                      adjusted);
    }
    out[o] = 0;
    return sqlp_strdup(p, out);
}

static _Noreturn void precision_error(sqlp *p, int precision)
{
    char prec[16];
    snprintf(prec, sizeof prec, "%d", precision);
    sqlp_fail(p, LM_EXC_ARITH, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", "22003", -1, -1,
              "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision exceeds max "
              "precision 38.",
              "maxPrecision", "38", "precision", prec, NULL);
}

static lm_expr *decimal_literal(sqlp *p, const char *s, int n, bool bd, int start, int stop)
{
    bigdec d;
    parse_bigdec(s, n, &d);
    if (!bigdec_normalize(&d)) {
        /* the precision Spark reports: digits (or scale) of the BigDecimal */
        int prec = d.precision;
        if (d.too_big) {
            int nd = 0;
            bool nz = false;
            for (int i = 0; i < n; i++) {
                if (s[i] == 'e' || s[i] == 'E')
                    break;
                if (s[i] >= '1' && s[i] <= '9')
                    nz = true;
                if (nz && s[i] >= '0' && s[i] <= '9')
                    nd++;
            }
            prec = nd > d.scale ? nd : d.scale;
        }
        if (!bd)
            precision_error(p, prec);
        char *msg = lm_arena_printf(p->a,
                                    "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision "
                                    "%d exceeds max precision 38.",
                                    prec);
        if (msg == NULL)
            sqlp_oom(p);
        sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0061", NULL, start, stop, msg, "msg", msg,
                  NULL);
    }
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_LITERAL, start, stop);
    e->type = sqlp_type_decimal(p->a, d.precision, d.scale);
    if (e->type == NULL)
        sqlp_oom(p);
    e->value = lm_value_dec(d.unscaled);
    e->text = bigdec_string(p, &d);
    return e;
}

static _Noreturn void range_error(sqlp *p, const char *raw, const char *min, const char *max,
                                  const char *type, int start, int stop)
{
    char *msg = lm_arena_printf(p->a,
                                "[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal %s is outside "
                                "the valid range for %s with minimum value of %s and maximum "
                                "value of %s. Please adjust the value accordingly.",
                                raw, type, min, max);
    if (msg == NULL)
        sqlp_oom(p);
    sqlp_fail(p, LM_EXC_PARSE, "INVALID_NUMERIC_LITERAL_RANGE", NULL, start, stop, msg,
              "maxValue", max, "minValue", min, "rawStrippedQualifier", raw, "typeName", type,
              NULL);
}

/*
 * A number token, with the minus sign written in front of it when neg (the
 * grammar's `number: MINUS? INTEGER_VALUE ...`, so "-1" is the literal -1
 * and Spark names the column "-1").
 */
lm_expr *sqlp_number_literal(sqlp *p, bool neg, int start)
{
    const lm_token *t = sqlp_tok(p, 0);
    lm_tok_kind k = t->kind;
    p->pos++;
    int stop = t->stop;
    int suffix = (k == LM_TOK_BIGINT || k == LM_TOK_SMALLINT || k == LM_TOK_TINYINT ||
                  k == LM_TOK_DOUBLE || k == LM_TOK_FLOAT)
                     ? 1
                 : k == LM_TOK_BIGDECIMAL ? 2
                                          : 0;
    int n = t->stop - t->start + 1 - suffix;
    char *raw = sqlp_alloc(p, (size_t)n + 2);
    int o = 0;
    if (neg)
        raw[o++] = '-';
    memcpy(raw + o, p->src + t->start, (size_t)n);
    o += n;
    raw[o] = 0;
    switch (k) {
    case LM_TOK_INTEGER:
    case LM_TOK_BIGINT:
    case LM_TOK_SMALLINT:
    case LM_TOK_TINYINT: {
        bigdec d;
        parse_bigdec(raw, o, &d);
        lm_int128 v = d.unscaled;
        if (k == LM_TOK_TINYINT && (d.too_big || v < -128 || v > 127))
            range_error(p, raw, "-128", "127", "tinyint", start, stop);
        if (k == LM_TOK_SMALLINT && (d.too_big || v < -32768 || v > 32767))
            range_error(p, raw, "-32768", "32767", "smallint", start, stop);
        if (k == LM_TOK_BIGINT && (d.too_big || v < (lm_int128)INT64_MIN || v > (lm_int128)INT64_MAX))
            range_error(p, raw, "-9223372036854775808", "9223372036854775807", "bigint", start,
                        stop);
        lm_type_id id = k == LM_TOK_TINYINT    ? LM_TYPE_BYTE
                        : k == LM_TOK_SMALLINT ? LM_TYPE_SHORT
                        : k == LM_TOK_BIGINT   ? LM_TYPE_LONG
                                               : LM_TYPE_INT;
        if (k == LM_TOK_INTEGER) {
            if (d.too_big || v < (lm_int128)INT64_MIN || v > (lm_int128)INT64_MAX)
                return decimal_literal(p, raw, o, false, start, stop);
            if (v < INT32_MIN || v > INT32_MAX)
                id = LM_TYPE_LONG;
        }
        lm_expr *e = sqlp_lit_new(p, id, start, stop);
        e->start = start;
        e->value = lm_value_i64((int64_t)v);
        e->text = lm_arena_printf(p->a, "%lld", (long long)v);
        if (e->text == NULL)
            sqlp_oom(p);
        return e;
    }
    case LM_TOK_DECIMAL:
    case LM_TOK_BIGDECIMAL:
        return decimal_literal(p, raw, o, k == LM_TOK_BIGDECIMAL, start, stop);
    case LM_TOK_EXPONENT:
        if (p->opts.exponent_literal_as_decimal)
            return decimal_literal(p, raw, o, false, start, stop);
        /* fall through */
    case LM_TOK_DOUBLE: {
        double v = strtod(raw, NULL);
        if (isinf(v))
            range_error(p, raw, "-1.7976931348623157E+308", "1.7976931348623157E+308", "double",
                        start, stop);
        lm_expr *e = sqlp_lit_new(p, LM_TYPE_DOUBLE, start, stop);
        e->value = lm_value_f64(v);
        return e;
    }
    case LM_TOK_FLOAT: {
        double v = strtod(raw, NULL);
        if (isinf(v) || fabs(v) > 3.4028234663852886E+38)
            range_error(p, raw, "-3.4028234663852886E+38", "3.4028234663852886E+38", "float",
                        start, stop);
        lm_expr *e = sqlp_lit_new(p, LM_TYPE_FLOAT, start, stop);
        e->value = lm_value_f32((float)v);
        return e;
    }
    default:
        p->pos--;
        sqlp_syntax_error(p, "");
    }
}

/* ================================================================ typed literals */

static const char *const supported_typed =
    "\"DATE\", \"TIMESTAMP_NTZ\", \"TIMESTAMP_LTZ\", \"TIMESTAMP\", \"INTERVAL\", \"X\"";

static lm_expr *binary_literal(sqlp *p, const char *v, int len, int start, int stop)
{
    for (int i = 0; i < len; i++) {
        char c = v[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex) {
            char *val = lm_arena_printf(p->a, "'%s'", v);
            char *msg = lm_arena_printf(p->a,
                                        "[INVALID_TYPED_LITERAL] The value of the typed literal "
                                        "\"X\" is invalid: %s.",
                                        val ? val : "");
            if (val == NULL || msg == NULL)
                sqlp_oom(p);
            sqlp_fail(p, LM_EXC_PARSE, "INVALID_TYPED_LITERAL", "42604", start, stop, msg,
                      "value", val, "valueType", "\"X\"", NULL);
        }
    }
    /* an odd number of digits is padded with a leading 0 */
    int nbytes = (len + 1) / 2;
    char *bytes = sqlp_alloc(p, (size_t)nbytes + 1);
    int di = 0;
    int i = 0;
    if (len % 2) {
        char c = v[0];
        bytes[di++] = (char)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        i = 1;
    }
    for (; i + 1 < len + 1 && i < len; i += 2) {
        int hi = v[i] <= '9' ? v[i] - '0' : (v[i] | 0x20) - 'a' + 10;
        int lo = v[i + 1] <= '9' ? v[i + 1] - '0' : (v[i + 1] | 0x20) - 'a' + 10;
        bytes[di++] = (char)(hi * 16 + lo);
    }
    lm_expr *e = sqlp_lit_new(p, LM_TYPE_BINARY, start, stop);
    e->value = lm_value_str(bytes, nbytes);
    return e;
}

/* Interval units: returns 0 for year-month units, 1 for day-time, -1 if
   not a unit. field receives Spark's field code. */
static int interval_unit(const char *u, int *field)
{
    static const struct {
        const char *name;
        int ym;
        int field;
    } units[] = {
        {"YEAR", 0, LM_YM_YEAR},          {"YEARS", 0, LM_YM_YEAR},
        {"MONTH", 0, LM_YM_MONTH},        {"MONTHS", 0, LM_YM_MONTH},
        {"WEEK", 1, LM_DT_DAY},           {"WEEKS", 1, LM_DT_DAY},
        {"DAY", 1, LM_DT_DAY},            {"DAYS", 1, LM_DT_DAY},
        {"HOUR", 1, LM_DT_HOUR},          {"HOURS", 1, LM_DT_HOUR},
        {"MINUTE", 1, LM_DT_MINUTE},      {"MINUTES", 1, LM_DT_MINUTE},
        {"SECOND", 1, LM_DT_SECOND},      {"SECONDS", 1, LM_DT_SECOND},
        {"MILLISECOND", 1, LM_DT_SECOND}, {"MILLISECONDS", 1, LM_DT_SECOND},
        {"MICROSECOND", 1, LM_DT_SECOND}, {"MICROSECONDS", 1, LM_DT_SECOND},
        {"NANOSECOND", 1, LM_DT_SECOND},  {"NANOSECONDS", 1, LM_DT_SECOND},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(u, units[i].name) == 0) {
            *field = units[i].field;
            return units[i].ym;
        }
    }
    return -1;
}

static bool is_unit_tok(sqlp *p, int ahead)
{
    if (sqlp_kind(p, ahead) != LM_TOK_IDENT)
        return false;
    const lm_token *t = sqlp_tok(p, ahead);
    char buf[16];
    int n = t->stop - t->start + 1;
    if (n >= (int)sizeof buf)
        return false;
    memcpy(buf, p->src + t->start, (size_t)n);
    buf[n] = 0;
    int f;
    return interval_unit(buf, &f) >= 0;
}

/* intervalValue: [+|-] (INTEGER | DECIMAL | string) at `ahead`; its length in tokens or 0 */
static int interval_value_len(sqlp *p, int ahead)
{
    int n = 0;
    if (sqlp_kind(p, ahead) == LM_TOK_PLUS || sqlp_kind(p, ahead) == LM_TOK_MINUS)
        n = 1;
    lm_tok_kind k = sqlp_kind(p, ahead + n);
    if (k == LM_TOK_INTEGER || k == LM_TOK_DECIMAL || k == LM_TOK_STRING || k == LM_TOK_DQSTRING)
        return n + 1;
    return 0;
}

static char *interval_value(sqlp *p)
{
    bool neg = false;
    if (sqlp_accept(p, LM_TOK_MINUS))
        neg = true;
    else
        sqlp_accept(p, LM_TOK_PLUS);
    char *v;
    if (sqlp_is_string_tok(p, 0))
        v = sqlp_string_value(p, p->pos++, NULL);
    else
        v = sqlp_tok_text(p, p->pos++);
    if (neg) {
        v = lm_arena_printf(p->a, "-%s", v);
        if (v == NULL)
            sqlp_oom(p);
    }
    return v;
}

/* INTERVAL value unit [value unit ...] | INTERVAL value unit TO unit */
lm_expr *sqlp_interval_literal(sqlp *p)
{
    int start = sqlp_cur_start(p);
    p->pos++; /* INTERVAL */
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_LITERAL, start, start);
    e->flags |= LM_LIT_UNPARSED;
    sqlp_vec vals = {0}, units = {0};
    int ym_min = 9, ym_max = -1, dt_min = 9, dt_max = -1;
    while (interval_value_len(p, 0) > 0 && is_unit_tok(p, interval_value_len(p, 0))) {
        sqlp_vec_push(p, &vals, interval_value(p));
        char *u = sqlp_tok_text(p, p->pos++);
        int field = 0;
        int ym = interval_unit(u, &field);
        if (ym == 0) {
            ym_min = field < ym_min ? field : ym_min;
            ym_max = field > ym_max ? field : ym_max;
        } else {
            dt_min = field < dt_min ? field : dt_min;
            dt_max = field > dt_max ? field : dt_max;
        }
        sqlp_vec_push(p, &units, sqlp_lower_copy(p, u));
        if (sqlp_is_kw(p, 0, "TO"))
            break;
    }
    if (sqlp_accept_kw(p, "TO")) {
        if (vals.n != 1)
            sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0024", NULL, start,
                      sqlp_tok(p, 0)->stop,
                      "Can only have a single from-to unit in the interval literal syntax.",
                      NULL);
        char *from = units.items[0];
        if (!sqlp_is_ident_tok(p, 0))
            sqlp_syntax_error(p, "");
        char *to = sqlp_lower_copy(p, sqlp_tok_text(p, p->pos++));
        static const char *const dt_names[] = {"day", "hour", "minute", "second"};
        int f = -1, t = -1;
        for (int i = 0; i < 4; i++) {
            if (strcmp(from, dt_names[i]) == 0)
                f = i;
            if (strcmp(to, dt_names[i]) == 0)
                t = i;
        }
        if (strcmp(from, "year") == 0 && strcmp(to, "month") == 0) {
            e->type = sqlp_type_ym_interval(p->a, LM_YM_YEAR, LM_YM_MONTH);
        } else if (f >= 0 && t > f) {
            e->type = sqlp_type_dt_interval(p->a, f, t);
        } else {
            char *msg = lm_arena_printf(p->a, "Intervals FROM %s TO %s are not supported.",
                                        from, to);
            if (msg == NULL)
                sqlp_oom(p);
            sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0028", NULL, start, sqlp_prev_stop(p),
                      msg, "from", from, "to", to, NULL);
        }
        if (e->type == NULL)
            sqlp_oom(p);
        e->text = vals.items[0];
        e->nparts = 2;
        e->parts = sqlp_alloc(p, sizeof(char *) * 2);
        e->parts[0] = from;
        e->parts[1] = to;
        e->stop = sqlp_prev_stop(p);
        return e;
    }
    e->stop = sqlp_prev_stop(p);
    if (ym_max >= 0 && dt_max >= 0) {
        char *src = sqlp_span_text(p, start, e->stop);
        char *msg = lm_arena_printf(p->a, "Cannot mix year-month and day-time fields: %s.", src);
        if (msg == NULL)
            sqlp_oom(p);
        sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0029", NULL, start, e->stop, msg,
                  "literal", src, NULL);
    }
    e->type = ym_max >= 0 ? sqlp_type_ym_interval(p->a, ym_min, ym_max)
                          : sqlp_type_dt_interval(p->a, dt_min, dt_max);
    if (e->type == NULL)
        sqlp_oom(p);
    if (vals.n == 1) {
        e->text = vals.items[0];
        e->nparts = 1;
        e->parts = sqlp_alloc(p, sizeof(char *));
        /* plural units mean the same as singular ones */
        char *u = units.items[0];
        size_t ul = strlen(u);
        if (ul > 1 && u[ul - 1] == 's')
            u[ul - 1] = 0;
        e->parts[0] = u;
        return e;
    }
    char *text = sqlp_strdup(p, "");
    for (int i = 0; i < vals.n; i++) {
        text = lm_arena_printf(p->a, "%s%s%s %s", text, i ? " " : "", (char *)vals.items[i],
                               (char *)units.items[i]);
        if (text == NULL)
            sqlp_oom(p);
    }
    e->text = text;
    return e;
}

/* literalType stringLit: DATE '...', TIMESTAMP '...', X'..', INTERVAL '...' */
lm_expr *sqlp_typed_literal(sqlp *p)
{
    int start = sqlp_cur_start(p);
    char *tname = sqlp_upper_copy(p, sqlp_tok_text(p, p->pos++));
    int len;
    char *v = sqlp_string_lit(p, &len);
    int stop = sqlp_prev_stop(p);
    lm_type_id id;
    if (strcmp(tname, "DATE") == 0) {
        id = LM_TYPE_DATE;
    } else if (strcmp(tname, "TIMESTAMP") == 0 || strcmp(tname, "TIMESTAMP_LTZ") == 0) {
        id = LM_TYPE_TIMESTAMP;
    } else if (strcmp(tname, "TIMESTAMP_NTZ") == 0) {
        id = LM_TYPE_TIMESTAMP_NTZ;
    } else if (strcmp(tname, "INTERVAL") == 0) {
        id = LM_TYPE_INTERVAL;
    } else if (strcmp(tname, "X") == 0) {
        return binary_literal(p, v, len, start, stop);
    } else {
        char *ut = lm_arena_printf(p->a, "\"%s\"", tname);
        char *msg = lm_arena_printf(p->a,
                                    "[UNSUPPORTED_TYPED_LITERAL] Literals of the type %s are not "
                                    "supported. Supported types are %s.",
                                    ut ? ut : "", supported_typed);
        if (ut == NULL || msg == NULL)
            sqlp_oom(p);
        sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_TYPED_LITERAL", "0A000", start, stop, msg,
                  "supportedTypes", supported_typed, "unsupportedType", ut, NULL);
    }
    lm_expr *e = sqlp_lit_new(p, id, start, stop);
    e->flags |= LM_LIT_UNPARSED;
    e->text = v;
    return e;
}

/* INTERVAL followed by a value and a unit (not INTERVAL 'string' alone)? */
bool sqlp_at_interval_literal(sqlp *p)
{
    if (!sqlp_is_kw(p, 0, "INTERVAL"))
        return false;
    int vl = interval_value_len(p, 1);
    return vl > 0 && is_unit_tok(p, 1 + vl);
}
