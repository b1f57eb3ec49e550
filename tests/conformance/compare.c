/*
 * Statement comparison for the conformance runner. Spark's own criterion is
 * plain string equality of schema and output; everything here beyond that
 * exists to say *why* a statement failed (types vs names vs rows vs order)
 * and to forgive the one documented JDK artefact, long double text.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

#define NPOS ((size_t)-1)

static const char *const result_names[COMPARE__COUNT] = {
    [COMPARE_PASS] = "pass",
    [COMPARE_FAIL_ROWS] = "fail-rows",
    [COMPARE_FAIL_SCHEMA_TYPES] = "fail-schema-types",
    [COMPARE_FAIL_SCHEMA_NAMES] = "fail-schema-names",
    [COMPARE_ORDER_ONLY] = "order-only",
    [COMPARE_EXPECTED_ERROR] = "expected-error-but-succeeded",
    [COMPARE_UNEXPECTED_ERROR] = "unexpected-error",
    [COMPARE_WRONG_ERROR_CLASS] = "wrong-error-class",
    [COMPARE_SKIPPED] = "skipped",
    [COMPARE_CRASHED] = "crashed",
};

const char *compare_result_name(compare_result r)
{
    if ((int)r < 0 || r >= COMPARE__COUNT)
        return "?";
    return result_names[r];
}

/* ----------------------------------------------------- UTF-16 ordering */

/*
 * Next UTF-16 code unit of a UTF-8 string. *pending carries the low
 * surrogate of a supplementary character. Malformed bytes read as U+FFFD;
 * callers break the resulting ties bytewise.
 */
static unsigned next_unit(const unsigned char **p, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    const unsigned char *s = *p;
    unsigned c = s[0], cp;
    int len;
    if (c < 0x80) {
        cp = c;
        len = 1;
    } else if ((c & 0xE0) == 0xC0) {
        cp = c & 0x1F;
        len = 2;
    } else if ((c & 0xF0) == 0xE0) {
        cp = c & 0x0F;
        len = 3;
    } else if ((c & 0xF8) == 0xF0) {
        cp = c & 0x07;
        len = 4;
    } else {
        *p = s + 1;
        return 0xFFFD;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p = s + len;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = 0xDC00 + (cp & 0x3FF);
        return 0xD800 + (cp >> 10);
    }
    return cp;
}

int compare_utf16(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    unsigned pa = 0, pb = 0;
    while ((*p || pa) && (*q || pb)) {
        unsigned ua = next_unit(&p, &pa), ub = next_unit(&q, &pb);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    bool a_more = *p || pa, b_more = *q || pb;
    if (a_more != b_more)
        return a_more ? 1 : -1;
    return strcmp(a, b);
}

static int cmp_rows_utf16(const void *x, const void *y)
{
    return compare_utf16(*(const char *const *)x, *(const char *const *)y);
}

static bool is_java_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

char *compare_render_output(const char *const *rows, size_t nrows, bool sorted)
{
    const char **order = malloc((nrows ? nrows : 1) * sizeof *order);
    if (order == NULL)
        return NULL;
    for (size_t i = 0; i < nrows; i++)
        order[i] = rows[i];
    if (!sorted && nrows > 1)
        qsort(order, nrows, sizeof *order, cmp_rows_utf16);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (size_t i = 0; i < nrows; i++) {
        if (i > 0)
            lm_strbuf_putc(&sb, '\n');
        lm_strbuf_puts(&sb, order[i]);
    }
    free(order);
    char *s = lm_strbuf_detach(&sb);
    if (s != NULL) {
        size_t n = strlen(s);
        while (n > 0 && is_java_space(s[n - 1]))
            s[--n] = '\0';
    }
    return s;
}

/* ----------------------------------------------------- double tolerance */

/* Characters that separate values in rendered rows and collections. */
static bool is_separator(char c)
{
    return c == '\t' || c == '\n' || c == ' ' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == ',' || c == ':' || c == '"' || c == '(' || c == ')';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* `-?D+.D+(E-?D+)?`: the shape of Double.toString for finite values. A
   decimal column never prints an exponent and keeps trailing zeros, which
   Double.toString drops, so "30.90" is not double text. */
static bool is_double_text(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t d0 = i;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == d0 || i >= n || s[i] != '.')
        return false;
    size_t f0 = ++i;
    while (i < n && is_digit(s[i]))
        i++;
    size_t f1 = i;
    if (f1 == f0)
        return false;
    if (f1 - f0 > 1 && s[f1 - 1] == '0')
        return false;
    if (i < n && s[i] == 'E') {
        i++;
        if (i < n && s[i] == '-')
            i++;
        size_t e0 = i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == e0)
            return false;
    }
    return i == n;
}

static bool doubles_match(const char *a, size_t an, const char *b, size_t bn)
{
    if (!is_double_text(a, an) || !is_double_text(b, bn))
        return false;
    char ba[64], bb[64];
    if (an >= sizeof ba || bn >= sizeof bb)
        return false;
    memcpy(ba, a, an);
    ba[an] = '\0';
    memcpy(bb, b, bn);
    bb[bn] = '\0';
    double x = strtod(ba, NULL), y = strtod(bb, NULL);
    if (x == y)
        return true;
    /* A few ulps: old JDKs printed long but not always correctly rounded. */
    return fabs(x - y) <= 1e-15 * fmax(fabs(x), fabs(y));
}

bool compare_output_equal(const char *expected, const char *actual)
{
    if (strcmp(expected, actual) == 0)
        return true;
    const char *p = expected, *q = actual;
    while (*p && *q) {
        if (is_separator(*p) || is_separator(*q)) {
            if (*p != *q)
                return false;
            p++;
            q++;
            continue;
        }
        size_t pn = 0, qn = 0;
        while (p[pn] && !is_separator(p[pn]))
            pn++;
        while (q[qn] && !is_separator(q[qn]))
            qn++;
        if (!(pn == qn && memcmp(p, q, pn) == 0) && !doubles_match(p, pn, q, qn))
            return false;
        p += pn;
        q += qn;
    }
    return *p == '\0' && *q == '\0';
}

/* ------------------------------------------------------------- lines */

/* Cuts a mutable copy into lines in place; returns them sorted (pointers
   into text; free only the array). */
static char **split_lines_sorted(char *text, size_t *count)
{
    size_t n = 1;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    char **lines = malloc(n * sizeof *lines);
    if (lines == NULL)
        return NULL;
    size_t i = 0;
    char *p = text;
    for (;;) {
        lines[i++] = p;
        char *nl = strchr(p, '\n');
        if (nl == NULL)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    qsort(lines, i, sizeof *lines, cmp_rows_utf16);
    *count = i;
    return lines;
}

bool compare_same_lines(const char *a, const char *b)
{
    char *ca = strdup(a), *cb = strdup(b);
    size_t na = 0, nb = 0;
    char **la = ca ? split_lines_sorted(ca, &na) : NULL;
    char **lb = cb ? split_lines_sorted(cb, &nb) : NULL;
    bool same = la != NULL && lb != NULL && na == nb;
    for (size_t i = 0; same && i < na; i++)
        same = compare_output_equal(la[i], lb[i]);
    free(la);
    free(lb);
    free(ca);
    free(cb);
    return same;
}

/* ------------------------------------------------------------ schemas */

static size_t parse_type(const char *s, size_t p, size_t end);

static bool match_word(const char *s, size_t p, size_t end, const char *w)
{
    size_t n = strlen(w);
    return p + n <= end && memcmp(s + p, w, n) == 0;
}

static size_t parse_digits(const char *s, size_t p, size_t end)
{
    size_t q = p;
    while (q < end && is_digit(s[q]))
        q++;
    return q > p ? q : NPOS;
}

/* `(n)` or `(p,s)` after char/varchar/decimal. */
static size_t parse_params(const char *s, size_t p, size_t end, int count)
{
    if (p >= end || s[p] != '(')
        return NPOS;
    p++;
    for (int i = 0; i < count; i++) {
        if (i > 0) {
            if (p >= end || s[p] != ',')
                return NPOS;
            p++;
        }
        p = parse_digits(s, p, end);
        if (p == NPOS)
            return NPOS;
    }
    return p < end && s[p] == ')' ? p + 1 : NPOS;
}

/* Day-time and year-month interval units: `interval day to second`. */
static size_t parse_interval_units(const char *s, size_t p, size_t end)
{
    static const char *const units[] = {" year", " month", " day", " hour", " minute", " second"};
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (!match_word(s, p, end, " to"))
                break;
            p += 3;
        }
        bool found = false;
        for (size_t i = 0; i < sizeof units / sizeof *units && !found; i++) {
            size_t n = strlen(units[i]);
            if (match_word(s, p, end, units[i]) &&
                (p + n == end || !(s[p + n] >= 'a' && s[p + n] <= 'z'))) {
                p += n;
                found = true;
            }
        }
        if (!found)
            return pass == 0 ? p : NPOS;
    }
    return p;
}

/* Fields of a nested struct type up to its closing '>' (position returned);
   field names are taken as short as a valid reading allows. */
static size_t parse_struct_body(const char *s, size_t p, size_t end)
{
    if (p < end && s[p] == '>')
        return p;
    for (size_t c = p; c < end; c++) {
        if (s[c] != ':')
            continue;
        size_t t = parse_type(s, c + 1, end);
        if (t == NPOS || t >= end)
            continue;
        if (s[t] == '>')
            return t;
        if (s[t] == ',') {
            size_t r = parse_struct_body(s, t + 1, end);
            if (r != NPOS && r > t + 1)
                return r;
        }
    }
    return NPOS;
}

/* One type starting at p; returns the position after it, or NPOS. */
static size_t parse_type(const char *s, size_t p, size_t end)
{
    size_t q = p;
    while (q < end && ((s[q] >= 'a' && s[q] <= 'z') || s[q] == '_'))
        q++;
    size_t n = q - p;
    const char *w = s + p;
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)
    if (IS("boolean") || IS("tinyint") || IS("smallint") || IS("int") || IS("bigint") ||
        IS("float") || IS("double") || IS("string") || IS("binary") || IS("date") ||
        IS("timestamp") || IS("timestamp_ntz") || IS("void"))
        return q;
    if (IS("interval"))
        return parse_interval_units(s, q, end);
    if (IS("decimal"))
        return parse_params(s, q, end, 2);
    if (IS("char") || IS("varchar"))
        return parse_params(s, q, end, 1);
    if (IS("array") || IS("map")) {
        int args = IS("array") ? 1 : 2;
        if (q >= end || s[q] != '<')
            return NPOS;
        q++;
        for (int i = 0; i < args; i++) {
            if (i > 0) {
                if (q >= end || s[q] != ',')
                    return NPOS;
                q++;
            }
            q = parse_type(s, q, end);
            if (q == NPOS)
                return NPOS;
        }
        return q < end && s[q] == '>' ? q + 1 : NPOS;
    }
    if (IS("struct")) {
        if (q >= end || s[q] != '<')
            return NPOS;
        size_t r = parse_struct_body(s, q + 1, end);
        return r == NPOS ? NPOS : r + 1;
    }
#undef IS
    return NPOS;
}

/* Top-level columns: exactly `want` of them from p to end (exclusive).
   Records each type's [start, stop) in spans. */
static bool parse_columns(const char *s, size_t p, size_t end, int want, size_t *spans)
{
    if (want == 0)
        return p == end;
    for (size_t c = p; c < end; c++) {
        if (s[c] != ':')
            continue;
        size_t t = parse_type(s, c + 1, end);
        if (t == NPOS)
            continue;
        bool last = want == 1;
        if (last ? t != end : (t >= end || s[t] != ','))
            continue;
        if (last || parse_columns(s, t + 1, end, want - 1, spans + 2)) {
            spans[0] = c + 1;
            spans[1] = t;
            return true;
        }
    }
    return false;
}

char **compare_schema_types(const char *schema, int ncols)
{
    size_t len = strlen(schema);
    if (ncols < 0 || len < 8 || strncmp(schema, "struct<", 7) != 0 || schema[len - 1] != '>')
        return NULL;
    size_t *spans = malloc(((size_t)ncols * 2 + 1) * sizeof *spans);
    char **types = calloc((size_t)ncols + 1, sizeof *types);
    if (spans == NULL || types == NULL ||
        !parse_columns(schema, 7, len - 1, ncols, spans)) {
        free(spans);
        free(types);
        return NULL;
    }
    for (int i = 0; i < ncols; i++) {
        size_t n = spans[2 * i + 1] - spans[2 * i];
        types[i] = malloc(n + 1);
        if (types[i] == NULL) {
            compare_types_free(types, ncols);
            free(spans);
            return NULL;
        }
        memcpy(types[i], schema + spans[2 * i], n);
        types[i][n] = '\0';
    }
    free(spans);
    return types;
}

void compare_types_free(char **types, int ncols)
{
    if (types == NULL)
        return;
    for (int i = 0; i < ncols; i++)
        free(types[i]);
    free(types);
}

compare_schema_diff compare_schemas(const char *expected, const char *actual, int ncols)
{
    if (strcmp(expected, actual) == 0)
        return COMPARE_SCHEMA_EQUAL;
    char **et = compare_schema_types(expected, ncols);
    char **at = compare_schema_types(actual, ncols);
    compare_schema_diff d = COMPARE_SCHEMA_NAMES;
    if (et == NULL || at == NULL) {
        d = COMPARE_SCHEMA_TYPES;
    } else {
        for (int i = 0; i < ncols && d == COMPARE_SCHEMA_NAMES; i++)
            if (strcmp(et[i], at[i]) != 0)
                d = COMPARE_SCHEMA_TYPES;
    }
    compare_types_free(et, ncols);
    compare_types_free(at, ncols);
    return d;
}

/* ---------------------------------------------------------- statements */

static compare_result compare_error(const golden_block *expected, const compare_actual *actual)
{
    if (!actual->failed)
        return COMPARE_EXPECTED_ERROR;
    /* Strictness level 2 of the README: same errorClass, or the same
       exception kind when Spark printed a plain message. */
    char *cls = golden_error_class(expected);
    bool ok;
    if (cls != NULL) {
        ok = actual->error_class != NULL && strcmp(cls, actual->error_class) == 0;
    } else {
        char *exc = golden_error_exception(expected);
        ok = exc != NULL && actual->exception != NULL && strcmp(exc, actual->exception) == 0;
        free(exc);
    }
    free(cls);
    return ok ? COMPARE_PASS : COMPARE_WRONG_ERROR_CLASS;
}

compare_result compare_statement(const golden_block *expected, const compare_actual *actual)
{
    if (golden_block_is_error(expected))
        return compare_error(expected, actual);
    if (actual->failed)
        return COMPARE_UNEXPECTED_ERROR;

    compare_schema_diff sd = compare_schemas(expected->schema, actual->schema ? actual->schema : "",
                                             actual->ncols);
    if (sd == COMPARE_SCHEMA_TYPES)
        return COMPARE_FAIL_SCHEMA_TYPES;
    char *out = compare_render_output(actual->rows, actual->nrows, actual->sorted);
    if (out == NULL)
        return COMPARE_CRASHED;
    compare_result r = COMPARE_PASS;
    if (!compare_output_equal(expected->output, out))
        r = compare_same_lines(expected->output, out) ? COMPARE_ORDER_ONLY : COMPARE_FAIL_ROWS;
    else if (sd == COMPARE_SCHEMA_NAMES)
        r = COMPARE_FAIL_SCHEMA_NAMES;
    free(out);
    return r;
}
