/*
 * A JSON parser with Jackson's rules as Spark configures them: standard
 * JSON plus single-quoted strings and NaN/Infinity by default, and optional
 * comments, unquoted field names, leading zeros, backslash-escaping of any
 * character and raw control characters. Invalid UTF-8 inside strings is an
 * error, as in Jackson's byte parser. Nesting deeper than 1000 levels fails
 * (Jackson 2.15's StreamReadConstraints), which also bounds our recursion.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 1000

typedef struct jp {
    const json_popts *o;
    lm_arena *a;
    const char *s;
    size_t n, i;
    char *msg;
    size_t msgcap;
    bool nomem;
    lm_strbuf tmp;
} jp;

static bool fail(jp *p, const char *fmt, const char *detail)
{
    if (p->msg && p->msgcap) {
        if (detail)
            snprintf(p->msg, p->msgcap, fmt, detail);
        else
            snprintf(p->msg, p->msgcap, "%s", fmt);
    }
    return false;
}

static bool oom(jp *p)
{
    p->nomem = true;
    return false;
}

/* Skips whitespace and, when allowed, comments. False on a bad comment. */
static bool skip_ws(jp *p)
{
    for (;;) {
        while (p->i < p->n) {
            char c = p->s[p->i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                p->i++;
            else
                break;
        }
        if (p->i + 1 < p->n && p->s[p->i] == '/' &&
            (p->s[p->i + 1] == '*' || p->s[p->i + 1] == '/')) {
            if (!p->o->allow_comments)
                return fail(p,
                            "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? "
                            "(not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for "
                            "parser)",
                            NULL);
            if (p->s[p->i + 1] == '/') {
                while (p->i < p->n && p->s[p->i] != '\n' && p->s[p->i] != '\r')
                    p->i++;
            } else {
                size_t k = p->i + 2;
                while (k + 1 < p->n && !(p->s[k] == '*' && p->s[k + 1] == '/'))
                    k++;
                if (k + 1 >= p->n)
                    return fail(p, "Unexpected end-of-input in a comment", NULL);
                p->i = k + 2;
            }
            continue;
        }
        return true;
    }
}

static void put_utf8(lm_strbuf *sb, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        b[0] = (char)cp;
        lm_strbuf_append(sb, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 4);
    }
}

static int hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Length of a valid UTF-8 sequence at s[i], 0 if invalid. */
static size_t utf8_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c == 0xE0) {
        len = 3;
        lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        len = 3;
    else if (c == 0xED) {
        len = 3;
        hi = 0x9F;
    } else if (c == 0xF0) {
        len = 4;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3)
        len = 4;
    else if (c == 0xF4) {
        len = 4;
        hi = 0x8F;
    } else
        return 0;
    if (i + len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        unsigned char d = (unsigned char)s[i + k];
        if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* A quoted string (quote char q at p->i) into the arena. */
static bool parse_string(jp *p, char q, const char **out, int32_t *outlen)
{
    p->i++;
    lm_strbuf_reset(&p->tmp);
    for (;;) {
        if (p->i >= p->n)
            return fail(p, "Unexpected end-of-input: was expecting closing quote for a string value",
                        NULL);
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == (unsigned char)q) {
            p->i++;
            break;
        }
        if (c == '\\') {
            if (p->i + 1 >= p->n)
                return fail(p, "Unexpected end-of-input in character escape sequence", NULL);
            char e = p->s[p->i + 1];
            p->i += 2;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                lm_strbuf_putc(&p->tmp, e);
                break;
            case 'b':
                lm_strbuf_putc(&p->tmp, '\b');
                break;
            case 'f':
                lm_strbuf_putc(&p->tmp, '\f');
                break;
            case 'n':
                lm_strbuf_putc(&p->tmp, '\n');
                break;
            case 'r':
                lm_strbuf_putc(&p->tmp, '\r');
                break;
            case 't':
                lm_strbuf_putc(&p->tmp, '\t');
                break;
            case 'u': {
                if (p->i + 4 > p->n || hex4(p->s + p->i) < 0)
                    return fail(p, "Unexpected character in character escape sequence: expected "
                                   "a hex-digit for character escape sequence",
                                NULL);
                uint32_t cp = (uint32_t)hex4(p->s + p->i);
                p->i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && p->i + 6 <= p->n && p->s[p->i] == '\\' &&
                    p->s[p->i + 1] == 'u' && hex4(p->s + p->i + 2) >= 0xDC00 &&
                    hex4(p->s + p->i + 2) <= 0xDFFF) {
                    uint32_t lo = (uint32_t)hex4(p->s + p->i + 2);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p->i += 6;
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    /* a lone surrogate: Java's UTF-8 encoder writes '?' */
                    cp = '?';
                }
                put_utf8(&p->tmp, cp);
                break;
            }
            default:
                if (e == '\'' && p->o->allow_single_quotes) {
                    lm_strbuf_putc(&p->tmp, e);
                    break;
                }
                if (p->o->allow_backslash_any) {
                    p->i--;
                    size_t l = utf8_at(p->s, p->n, p->i);
                    if (l == 0)
                        return fail(p, "Invalid UTF-8 start byte", NULL);
                    lm_strbuf_append(&p->tmp, p->s + p->i, l);
                    p->i += l;
                    break;
                }
                {
                    char d[8];
                    snprintf(d, sizeof d, "%c", e);
                    return fail(p, "Unrecognized character escape '%s'", d);
                }
            }
            continue;
        }
        if (c < 0x20) {
            if (!p->o->allow_unquoted_ctrl)
                return fail(p,
                            "Illegal unquoted character ((CTRL-CHAR)): has to be escaped using "
                            "backslash to be included in string value",
                            NULL);
            lm_strbuf_putc(&p->tmp, (char)c);
            p->i++;
            continue;
        }
        /* copy a run of ordinary bytes, checking UTF-8 */
        size_t start = p->i;
        while (p->i < p->n) {
            unsigned char d = (unsigned char)p->s[p->i];
            if (d == (unsigned char)q || d == '\\' || d < 0x20)
                break;
            if (d < 0x80) {
                p->i++;
                continue;
            }
            size_t l = utf8_at(p->s, p->n, p->i);
            if (l == 0)
                return fail(p, "Invalid UTF-8 middle byte", NULL);
            p->i += l;
        }
        lm_strbuf_append(&p->tmp, p->s + start, p->i - start);
    }
    if (!lm_strbuf_ok(&p->tmp))
        return oom(p);
    size_t len = p->tmp.len;
    char *m = lm_arena_alloc(p->a, len + 1);
    if (m == NULL)
        return oom(p);
    if (len)
        memcpy(m, p->tmp.data, len);
    m[len] = '\0';
    *out = m;
    *outlen = (int32_t)len;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

static bool match_word(jp *p, const char *w)
{
    size_t l = strlen(w);
    if (p->i + l > p->n || memcmp(p->s + p->i, w, l) != 0)
        return false;
    if (p->i + l < p->n && ident_char((unsigned char)p->s[p->i + l]))
        return false;
    p->i += l;
    return true;
}

static bool unrecognized(jp *p)
{
    size_t e = p->i;
    while (e < p->n && e - p->i < 256 && ident_char((unsigned char)p->s[e]))
        e++;
    char tok[300];
    if (e == p->i) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c >= 0x20 && c < 0x7F)
            snprintf(tok, sizeof tok, "'%c' (code %d)", c, c);
        else
            snprintf(tok, sizeof tok, "(code %d)", c);
        return fail(p, "Unexpected character (%s): expected a valid value (JSON String, Number, "
                       "Array, Object or token 'null', 'true' or 'false')",
                    tok);
    }
    snprintf(tok, sizeof tok, "%.*s", (int)(e - p->i), p->s + p->i);
    return fail(p, "Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or "
                   "token 'null', 'true' or 'false')",
                tok);
}

static bool parse_number(jp *p, json_node *nd, bool root)
{
    size_t st = p->i, i = p->i;
    bool neg = false;
    if (i < p->n && (p->s[i] == '-' || p->s[i] == '+')) {
        neg = p->s[i] == '-';
        bool plus = p->s[i] == '+';
        i++;
        if (p->o->allow_non_numeric && i < p->n && p->s[i] == 'I') {
            p->i = i;
            if (match_word(p, "Infinity") || match_word(p, "INF")) {
                nd->kind = JN_FLOAT;
                nd->num = neg ? JNUM_NEG_INF : JNUM_POS_INF;
                nd->text = p->s + st;
                nd->n = (int32_t)(p->i - st);
                return true;
            }
            p->i = st;
        }
        if (plus)
            return fail(p, "Unexpected character ('+' (code 43)) in numeric value: JSON spec does "
                           "not allow numbers to have plus signs: enable "
                           "`JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow",
                        NULL);
    }
    size_t ds = i;
    while (i < p->n && is_digit(p->s[i]))
        i++;
    size_t nd_int = i - ds;
    if (nd_int == 0)
        return fail(p, "Unexpected character in numeric value: expected digit (0-9) to follow "
                       "minus sign, for valid numeric value",
                    NULL);
    if (nd_int > 1 && p->s[ds] == '0' && !p->o->allow_leading_zeros)
        return fail(p, "Invalid numeric value: Leading zeroes not allowed", NULL);
    bool is_float = false;
    if (i < p->n && p->s[i] == '.') {
        i++;
        size_t fs = i;
        while (i < p->n && is_digit(p->s[i]))
            i++;
        if (i == fs)
            return fail(p, "Unexpected character in numeric value: Decimal point not followed by "
                           "a digit",
                        NULL);
        is_float = true;
    }
    if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->n && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        size_t es = i;
        while (i < p->n && is_digit(p->s[i]))
            i++;
        if (i == es)
            return fail(p, "Unexpected character in numeric value: Exponent indicator not "
                           "followed by a digit",
                        NULL);
        is_float = true;
    }
    if (i - st > 1000)
        return fail(p, "Number value length exceeds the maximum allowed (1000)", NULL);
    if (root && i < p->n) {
        char c = p->s[i];
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            return fail(p, "Unexpected character: Expected space separating root-level values",
                        NULL);
    }
    nd->text = p->s + st;
    nd->n = (int32_t)(i - st);
    if (is_float) {
        nd->kind = JN_FLOAT;
        nd->num = JNUM_DOUBLE;
    } else {
        nd->kind = JN_INT;
        int64_t v;
        if (io_java_parse_long(nd->text, (size_t)nd->n, INT32_MIN, INT32_MAX, &v))
            nd->num = JNUM_INT;
        else if (io_java_parse_long(nd->text, (size_t)nd->n, INT64_MIN, INT64_MAX, &v))
            nd->num = JNUM_LONG;
        else
            nd->num = JNUM_BIG;
    }
    p->i = i;
    return true;
}

static bool parse_value(jp *p, json_node *nd, int depth);

/* Children collected on the heap, then copied into the arena. */
typedef struct kids {
    int n, cap;
    json_node *v;
    const char **k;
    int32_t *kl;
} kids;

static bool kids_push(kids *k, bool keyed)
{
    if (k->n < k->cap)
        return true;
    int cap = k->cap ? k->cap * 2 : 8;
    json_node *nv = realloc(k->v, sizeof *nv * (size_t)cap);
    if (nv == NULL)
        return false;
    k->v = nv;
    if (keyed) {
        const char **nk = realloc(k->k, sizeof *nk * (size_t)cap);
        if (nk == NULL)
            return false;
        k->k = nk;
        int32_t *nl = realloc(k->kl, sizeof *nl * (size_t)cap);
        if (nl == NULL)
            return false;
        k->kl = nl;
    }
    k->cap = cap;
    return true;
}

static void kids_free(kids *k)
{
    free(k->v);
    free(k->k);
    free(k->kl);
}

static bool kids_finish(jp *p, kids *k, json_node *nd, bool keyed)
{
    nd->n = k->n;
    if (k->n == 0)
        return true;
    nd->kids = lm_arena_alloc(p->a, sizeof *nd->kids * (size_t)k->n);
    if (nd->kids == NULL)
        return oom(p);
    memcpy(nd->kids, k->v, sizeof *nd->kids * (size_t)k->n);
    if (keyed) {
        nd->keys = lm_arena_alloc(p->a, sizeof *nd->keys * (size_t)k->n);
        nd->klens = lm_arena_alloc(p->a, sizeof *nd->klens * (size_t)k->n);
        if (nd->keys == NULL || nd->klens == NULL)
            return oom(p);
        memcpy(nd->keys, k->k, sizeof *nd->keys * (size_t)k->n);
        memcpy(nd->klens, k->kl, sizeof *nd->klens * (size_t)k->n);
    }
    return true;
}

static bool parse_name(jp *p, const char **name, int32_t *len)
{
    char c = p->s[p->i];
    if (c == '"')
        return parse_string(p, '"', name, len);
    if (c == '\'' && p->o->allow_single_quotes)
        return parse_string(p, '\'', name, len);
    if (p->o->allow_unquoted_names && ident_char((unsigned char)c) && !is_digit(c)) {
        size_t st = p->i;
        while (p->i < p->n && ident_char((unsigned char)p->s[p->i]))
            p->i++;
        char *m = lm_arena_strndup(p->a, p->s + st, p->i - st);
        if (m == NULL)
            return oom(p);
        *name = m;
        *len = (int32_t)(p->i - st);
        return true;
    }
    char d[40];
    snprintf(d, sizeof d, "'%c' (code %d)", c >= 0x20 && c < 0x7F ? c : '?', (unsigned char)c);
    return fail(p, "Unexpected character (%s): was expecting double-quote to start field name", d);
}

static bool parse_object(jp *p, json_node *nd, int depth)
{
    p->i++;
    nd->kind = JN_OBJECT;
    kids k = {0};
    bool ok = skip_ws(p);
    if (ok && p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        kids_free(&k);
        return true;
    }
    while (ok) {
        if (p->i >= p->n) {
            ok = fail(p, "Unexpected end-of-input: expected close marker for Object", NULL);
            break;
        }
        if (!kids_push(&k, true)) {
            ok = oom(p);
            break;
        }
        memset(&k.v[k.n], 0, sizeof k.v[k.n]);
        if (!parse_name(p, &k.k[k.n], &k.kl[k.n])) {
            ok = false;
            break;
        }
        if (!skip_ws(p)) {
            ok = false;
            break;
        }
        if (p->i >= p->n || p->s[p->i] != ':') {
            ok = fail(p, "Unexpected character: was expecting a colon to separate field name and "
                         "value",
                      NULL);
            break;
        }
        p->i++;
        if (!skip_ws(p) || !parse_value(p, &k.v[k.n], depth + 1)) {
            ok = false;
            break;
        }
        k.n++;
        if (!skip_ws(p)) {
            ok = false;
            break;
        }
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            ok = skip_ws(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            ok = kids_finish(p, &k, nd, true);
            break;
        }
        ok = fail(p, p->i >= p->n ? "Unexpected end-of-input: expected close marker for Object"
                                  : "Unexpected character: was expecting comma to separate Object "
                                    "entries",
                  NULL);
        break;
    }
    kids_free(&k);
    return ok;
}

static bool parse_array(jp *p, json_node *nd, int depth)
{
    p->i++;
    nd->kind = JN_ARRAY;
    kids k = {0};
    bool ok = skip_ws(p);
    if (ok && p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        kids_free(&k);
        return true;
    }
    while (ok) {
        if (!kids_push(&k, false)) {
            ok = oom(p);
            break;
        }
        memset(&k.v[k.n], 0, sizeof k.v[k.n]);
        if (!parse_value(p, &k.v[k.n], depth + 1)) {
            ok = false;
            break;
        }
        k.n++;
        if (!skip_ws(p)) {
            ok = false;
            break;
        }
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            ok = skip_ws(p);
            continue;
        }
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
            ok = kids_finish(p, &k, nd, false);
            break;
        }
        ok = fail(p, p->i >= p->n ? "Unexpected end-of-input: expected close marker for Array"
                                  : "Unexpected character: was expecting comma to separate Array "
                                    "entries",
                  NULL);
        break;
    }
    kids_free(&k);
    return ok;
}

static bool parse_value(jp *p, json_node *nd, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return fail(p, "Document nesting depth (1001) exceeds the maximum allowed (1000, from "
                       "`StreamReadConstraints.getMaxNestingDepth()`)",
                    NULL);
    if (p->i >= p->n)
        return fail(p, "Unexpected end-of-input: expected a value", NULL);
    char c = p->s[p->i];
    switch (c) {
    case '{':
        return parse_object(p, nd, depth);
    case '[':
        return parse_array(p, nd, depth);
    case '"':
        nd->kind = JN_STRING;
        return parse_string(p, '"', &nd->text, &nd->n);
    case '\'':
        if (p->o->allow_single_quotes) {
            nd->kind = JN_STRING;
            return parse_string(p, '\'', &nd->text, &nd->n);
        }
        return unrecognized(p);
    case 't':
        if (match_word(p, "true")) {
            nd->kind = JN_TRUE;
            return true;
        }
        return unrecognized(p);
    case 'f':
        if (match_word(p, "false")) {
            nd->kind = JN_FALSE;
            return true;
        }
        return unrecognized(p);
    case 'n':
        if (match_word(p, "null")) {
            nd->kind = JN_NULL;
            return true;
        }
        return unrecognized(p);
    case 'N':
        if (p->o->allow_non_numeric && match_word(p, "NaN")) {
            nd->kind = JN_FLOAT;
            nd->num = JNUM_NAN;
            nd->text = "NaN";
            nd->n = 3;
            return true;
        }
        return unrecognized(p);
    case 'I':
        if (p->o->allow_non_numeric && match_word(p, "Infinity")) {
            nd->kind = JN_FLOAT;
            nd->num = JNUM_POS_INF;
            nd->text = "Infinity";
            nd->n = 8;
            return true;
        }
        return unrecognized(p);
    default:
        if (c == '-' || c == '+' || is_digit(c))
            return parse_number(p, nd, depth == 0);
        return unrecognized(p);
    }
}

json_parse_status json_parse(const json_popts *o, lm_arena *a, const char *s, size_t n,
                             json_node **out, char *msg, size_t msgcap)
{
    jp p = {o, a, s, n, 0, msg, msgcap, false, {0}};
    lm_strbuf_init(&p.tmp);
    if (msg && msgcap)
        msg[0] = '\0';
    *out = NULL;
    if (!skip_ws(&p)) {
        lm_strbuf_free(&p.tmp);
        return JP_SYNTAX;
    }
    if (p.i >= p.n) {
        lm_strbuf_free(&p.tmp);
        return JP_EMPTY;
    }
    json_node *nd = lm_arena_calloc(a, 1, sizeof *nd);
    if (nd == NULL) {
        lm_strbuf_free(&p.tmp);
        return JP_NOMEM;
    }
    bool ok = parse_value(&p, nd, 0);
    lm_strbuf_free(&p.tmp);
    if (!ok)
        return p.nomem ? JP_NOMEM : JP_SYNTAX;
    *out = nd;
    return JP_OK;
}

void json_escape(lm_strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char u[8];
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c < 0x20) {
            switch (c) {
            case '\b':
                rep = "\\b";
                break;
            case '\t':
                rep = "\\t";
                break;
            case '\n':
                rep = "\\n";
                break;
            case '\f':
                rep = "\\f";
                break;
            case '\r':
                rep = "\\r";
                break;
            default:
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hex[c >> 4];
                u[5] = hex[c & 15];
                u[6] = '\0';
                rep = u;
                break;
            }
        }
        if (rep == NULL) {
            run++;
            continue;
        }
        if (run)
            lm_strbuf_append(sb, s + i - run, run);
        run = 0;
        lm_strbuf_puts(sb, rep);
    }
    if (run)
        lm_strbuf_append(sb, s + n - run, run);
}

void json_serialize(lm_strbuf *sb, const json_node *nd)
{
    switch (nd->kind) {
    case JN_NULL:
        lm_strbuf_puts(sb, "null");
        break;
    case JN_TRUE:
        lm_strbuf_puts(sb, "true");
        break;
    case JN_FALSE:
        lm_strbuf_puts(sb, "false");
        break;
    case JN_INT:
    case JN_FLOAT:
        if (nd->num == JNUM_NAN)
            lm_strbuf_puts(sb, "\"NaN\"");
        else if (nd->num == JNUM_POS_INF)
            lm_strbuf_puts(sb, "\"Infinity\"");
        else if (nd->num == JNUM_NEG_INF)
            lm_strbuf_puts(sb, "\"-Infinity\"");
        else
            lm_strbuf_append(sb, nd->text, (size_t)nd->n);
        break;
    case JN_STRING:
        lm_strbuf_putc(sb, '"');
        json_escape(sb, nd->text, (size_t)nd->n);
        lm_strbuf_putc(sb, '"');
        break;
    case JN_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < nd->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            json_serialize(sb, &nd->kids[i]);
        }
        lm_strbuf_putc(sb, ']');
        break;
    case JN_OBJECT:
        lm_strbuf_putc(sb, '{');
        for (int i = 0; i < nd->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            lm_strbuf_putc(sb, '"');
            json_escape(sb, nd->keys[i], (size_t)nd->klens[i]);
            lm_strbuf_puts(sb, "\":");
            json_serialize(sb, &nd->kids[i]);
        }
        lm_strbuf_putc(sb, '}');
        break;
    default:
        break;
    }
}

/* Next UTF-16 code unit sequence value for ordering: code points below
   0x10000 compare as themselves, others as their high surrogate first. */
static uint32_t next_unit(const char *s, size_t n, size_t *i, uint32_t *pending)
{
    if (*pending) {
        uint32_t u = *pending;
        *pending = 0;
        return u;
    }
    unsigned char c = (unsigned char)s[*i];
    uint32_t cp;
    size_t l = utf8_at(s, n, *i);
    if (l <= 1) {
        cp = c;
        l = 1;
    } else if (l == 2) {
        cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)s[*i + 1] & 0x3F);
    } else if (l == 3) {
        cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)((unsigned char)s[*i + 1] & 0x3F) << 6) |
             ((unsigned char)s[*i + 2] & 0x3F);
    } else {
        cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)((unsigned char)s[*i + 1] & 0x3F) << 12) |
             ((uint32_t)((unsigned char)s[*i + 2] & 0x3F) << 6) | ((unsigned char)s[*i + 3] & 0x3F);
    }
    *i += l;
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = 0xDC00 + (cp & 0x3FF);
        return 0xD800 + (cp >> 10);
    }
    return cp;
}

int json_name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    uint32_t pa = 0, pb = 0;
    while ((i < an || pa) && (j < bn || pb)) {
        uint32_t x = next_unit(a, an, &i, &pa);
        uint32_t y = next_unit(b, bn, &j, &pb);
        if (x != y)
            return x < y ? -1 : 1;
    }
    bool ra = i < an || pa, rb = j < bn || pb;
    return ra == rb ? 0 : ra ? 1 : -1;
}
