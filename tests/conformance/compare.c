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

/*
 * Reading a catalog string back into column types. Names are free text, so
 * the reader tries every ':' as the end of a name and keeps the first
 * reading whose types are well formed. Both searches are memoised by
 * position, which keeps a schema with many columns (or a failing column
 * count) polynomial instead of exponential.
 */
typedef struct schema_reader {
    const char *s;
    size_t end;        /* position of the closing '>' of the outer struct */
    size_t *body;      /* per position: parse_struct_body result, or NPOS - 1 when unknown */
    int want;          /* columns asked for */
    signed char *memo; /* per (position, columns left): 0 unknown, 1 no, 2 yes */
    size_t *choice;    /* per (position, columns left): the type's [start, stop) */
} schema_reader;

#define UNKNOWN (NPOS - 1)

static size_t parse_type(schema_reader *r, size_t p);

static bool match_word(const schema_reader *r, size_t p, const char *w)
{
    size_t n = strlen(w);
    return p + n <= r->end && memcmp(r->s + p, w, n) == 0;
}

static size_t parse_digits(const schema_reader *r, size_t p)
{
    size_t q = p;
    while (q < r->end && is_digit(r->s[q]))
        q++;
    return q > p ? q : NPOS;
}

static bool at(const schema_reader *r, size_t p, char c)
{
    return p < r->end && r->s[p] == c;
}

/* `(n)` or `(p,s)` after char/varchar/decimal. */
static size_t parse_params(const schema_reader *r, size_t p, int count)
{
    if (!at(r, p, '('))
        return NPOS;
    p++;
    for (int i = 0; i < count; i++) {
        if (i > 0) {
            if (!at(r, p, ','))
                return NPOS;
            p++;
        }
        p = parse_digits(r, p);
        if (p == NPOS)
            return NPOS;
    }
    return at(r, p, ')') ? p + 1 : NPOS;
}

/* The units of ANSI interval types: `interval day`, `interval day to second`. */
static size_t parse_interval_units(const schema_reader *r, size_t p)
{
    static const char *const units[] = {" year", " month", " day", " hour", " minute", " second"};
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            if (!match_word(r, p, " to"))
                break;
            p += 3;
        }
        bool found = false;
        for (size_t i = 0; i < sizeof units / sizeof *units && !found; i++) {
            size_t n = strlen(units[i]);
            if (match_word(r, p, units[i]) &&
                (p + n == r->end || !(r->s[p + n] >= 'a' && r->s[p + n] <= 'z'))) {
                p += n;
                found = true;
            }
        }
        if (!found)
            return pass == 0 ? p : NPOS;
    }
    return p;
}

/* Fields of a nested struct type from p up to its closing '>' (whose
   position is returned), or NPOS. */
static size_t parse_struct_body(schema_reader *r, size_t p)
{
    if (p >= r->end)
        return NPOS;
    if (r->body[p] != UNKNOWN)
        return r->body[p];
    size_t result = NPOS;
    if (r->s[p] == '>')
        result = p;
    for (size_t c = p; c < r->end && result == NPOS; c++) {
        if (r->s[c] != ':')
            continue;
        size_t t = parse_type(r, c + 1);
        if (t == NPOS || t >= r->end)
            continue;
        if (r->s[t] == '>') {
            result = t;
        } else if (r->s[t] == ',' && t + 1 < r->end && r->s[t + 1] != '>') {
            result = parse_struct_body(r, t + 1);
        }
    }
    r->body[p] = result;
    return result;
}

/* One type starting at p; returns the position after it, or NPOS. */
static size_t parse_type(schema_reader *r, size_t p)
{
    const char *s = r->s;
    size_t q = p;
    while (q < r->end && ((s[q] >= 'a' && s[q] <= 'z') || s[q] == '_'))
        q++;
    size_t n = q - p;
    const char *w = s + p;
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)
    if (IS("boolean") || IS("tinyint") || IS("smallint") || IS("int") || IS("bigint") ||
        IS("float") || IS("double") || IS("string") || IS("binary") || IS("date") ||
        IS("timestamp") || IS("timestamp_ntz") || IS("void"))
        return q;
    if (IS("interval"))
        return parse_interval_units(r, q);
    if (IS("decimal"))
        return parse_params(r, q, 2);
    if (IS("char") || IS("varchar"))
        return parse_params(r, q, 1);
    if (IS("array") || IS("map")) {
        int args = IS("array") ? 1 : 2;
        if (!at(r, q, '<'))
            return NPOS;
        q++;
        for (int i = 0; i < args; i++) {
            if (i > 0) {
                if (!at(r, q, ','))
                    return NPOS;
                q++;
            }
            q = parse_type(r, q);
            if (q == NPOS)
                return NPOS;
        }
        return at(r, q, '>') ? q + 1 : NPOS;
    }
    if (IS("struct")) {
        if (!at(r, q, '<'))
            return NPOS;
        size_t b = parse_struct_body(r, q + 1);
        return b == NPOS ? NPOS : b + 1;
    }
#undef IS
    return NPOS;
}

/* Can [p, end) be read as exactly `left` columns? Records the choice. */
static bool parse_columns(schema_reader *r, size_t p, int left)
{
    if (left == 0)
        return p == r->end;
    size_t slot = p * (size_t)(r->want + 1) + (size_t)left;
    if (r->memo[slot])
        return r->memo[slot] == 2;
    bool ok = false;
    for (size_t c = p; c < r->end && !ok; c++) {
        if (r->s[c] != ':')
            continue;
        size_t t = parse_type(r, c + 1);
        if (t == NPOS)
            continue;
        if (left == 1 ? t == r->end
                      : (t < r->end && r->s[t] == ',' && parse_columns(r, t + 1, left - 1))) {
            r->choice[2 * slot] = c + 1;
            r->choice[2 * slot + 1] = t;
            ok = true;
        }
    }
    r->memo[slot] = ok ? 2 : 1;
    return ok;
}

char **compare_schema_types(const char *schema, int ncols)
{
    size_t len = strlen(schema);
    if (ncols < 0 || len < 8 || strncmp(schema, "struct<", 7) != 0 || schema[len - 1] != '>')
        return NULL;
    schema_reader r = {.s = schema, .end = len - 1, .want = ncols};
    size_t slots = len * (size_t)(ncols + 1);
    r.body = malloc(len * sizeof *r.body);
    r.memo = calloc(slots, 1);
    r.choice = malloc(2 * slots * sizeof *r.choice);
    char **types = calloc((size_t)ncols + 1, sizeof *types);
    bool ok = r.body && r.memo && r.choice && types;
    if (ok) {
        for (size_t i = 0; i < len; i++)
            r.body[i] = UNKNOWN;
        ok = parse_columns(&r, 7, ncols);
    }
    size_t p = 7;
    for (int i = 0; ok && i < ncols; i++) {
        size_t slot = p * (size_t)(ncols + 1) + (size_t)(ncols - i);
        size_t start = r.choice[2 * slot], stop = r.choice[2 * slot + 1];
        types[i] = malloc(stop - start + 1);
        if (types[i] == NULL) {
            ok = false;
            break;
        }
        memcpy(types[i], schema + start, stop - start);
        types[i][stop - start] = '\0';
        p = stop + 1;
    }
    free(r.body);
    free(r.memo);
    free(r.choice);
    if (!ok) {
        compare_types_free(types, ncols);
        return NULL;
    }
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

/*
 * Whether the catalog string also reads as more than ncols columns. A name
 * with ":type," inside it is rarer than a missing column, so the reading
 * with the most columns is taken as the one Spark meant.
 */
static bool has_more_columns(const char *schema, int ncols)
{
    int colons = 0;
    for (const char *p = schema; *p; p++)
        colons += *p == ':';
    for (int k = ncols + 1; k <= colons; k++) {
        char **t = compare_schema_types(schema, k);
        if (t != NULL) {
            compare_types_free(t, k);
            return true;
        }
    }
    return false;
}

compare_schema_diff compare_schemas(const char *expected, const char *actual, int ncols)
{
    if (strcmp(expected, actual) == 0)
        return COMPARE_SCHEMA_EQUAL;
    char **et = compare_schema_types(expected, ncols);
    char **at = compare_schema_types(actual, ncols);
    compare_schema_diff d = COMPARE_SCHEMA_NAMES;
    if (et == NULL || at == NULL || has_more_columns(expected, ncols)) {
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

    compare_schema_diff sd =
        compare_schemas(expected->schema, actual->schema ? actual->schema : "", actual->ncols);
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
