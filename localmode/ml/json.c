/*
 * A small JSON reader and writer for ML persistence: the metadata file
 * Spark writes for every saved stage (class, uid, paramMap, ...) and the
 * model data, which we keep as JSON lines until Parquet is available.
 * Parsed values live in an arena; numbers are doubles (every number we
 * store is a double or an integer well inside 2^53).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "types/type.h"

#include "ml/ml.h"
#include "session/session.h"

typedef struct jp {
    lm_arena *a;
    const char *p;
} jp;

static void ws(jp *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static bool parse_value(jp *j, ml_json *out, int depth);

static void put_utf8(char *buf, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        buf[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | (cp >> 6));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*n)++] = (char)(0xE0 | (cp >> 12));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xF0 | (cp >> 18));
        buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static bool parse_string(jp *j, char **out)
{
    if (*j->p != '"')
        return false;
    const char *s = ++j->p;
    size_t cap = 0;
    while (s[cap] && s[cap] != '"') {
        if (s[cap] == '\\' && s[cap + 1])
            cap++;
        cap++;
    }
    char *buf = lm_arena_alloc(j->a, cap * 2 + 8);
    if (buf == NULL)
        return false;
    size_t n = 0;
    while (*j->p && *j->p != '"') {
        char c = *j->p++;
        if (c != '\\') {
            buf[n++] = c;
            continue;
        }
        c = *j->p++;
        switch (c) {
        case 'n':
            buf[n++] = '\n';
            break;
        case 't':
            buf[n++] = '\t';
            break;
        case 'r':
            buf[n++] = '\r';
            break;
        case 'b':
            buf[n++] = '\b';
            break;
        case 'f':
            buf[n++] = '\f';
            break;
        case 'u': {
            int cp = hex4(j->p);
            if (cp < 0)
                return false;
            j->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && j->p[0] == '\\' && j->p[1] == 'u') {
                int lo = hex4(j->p + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    j->p += 6;
                }
            }
            put_utf8(buf, &n, (unsigned)cp);
            break;
        }
        case '\0':
            return false;
        default:
            buf[n++] = c;
            break;
        }
    }
    if (*j->p != '"')
        return false;
    j->p++;
    buf[n] = '\0';
    *out = buf;
    return true;
}

/* Collects comma-separated items up to `close`. */
static bool parse_items(jp *j, ml_json *out, char close, bool obj, int depth)
{
    int cap = 8, n = 0;
    ml_json *items = lm_arena_alloc(j->a, sizeof *items * (size_t)cap);
    char **keys = obj ? lm_arena_alloc(j->a, sizeof *keys * (size_t)cap) : NULL;
    if (items == NULL || (obj && keys == NULL))
        return false;
    ws(j);
    if (*j->p == close) {
        j->p++;
    } else {
        for (;;) {
            if (n == cap) {
                ml_json *ni = lm_arena_alloc(j->a, sizeof *ni * (size_t)cap * 2);
                char **nk = obj ? lm_arena_alloc(j->a, sizeof *nk * (size_t)cap * 2) : NULL;
                if (ni == NULL || (obj && nk == NULL))
                    return false;
                memcpy(ni, items, sizeof *ni * (size_t)n);
                if (obj)
                    memcpy(nk, keys, sizeof *nk * (size_t)n);
                items = ni;
                keys = nk;
                cap *= 2;
            }
            ws(j);
            if (obj) {
                if (!parse_string(j, &keys[n]))
                    return false;
                ws(j);
                if (*j->p++ != ':')
                    return false;
            }
            if (!parse_value(j, &items[n], depth + 1))
                return false;
            n++;
            ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p != close)
                return false;
            j->p++;
            break;
        }
    }
    out->type = obj ? ML_J_OBJ : ML_J_ARR;
    out->n = n;
    out->items = items;
    out->keys = keys;
    return true;
}

static bool parse_value(jp *j, ml_json *out, int depth)
{
    memset(out, 0, sizeof *out);
    if (depth > 64)
        return false;
    ws(j);
    char c = *j->p;
    if (c == '{') {
        j->p++;
        return parse_items(j, out, '}', true, depth);
    }
    if (c == '[') {
        j->p++;
        return parse_items(j, out, ']', false, depth);
    }
    if (c == '"') {
        out->type = ML_J_STR;
        return parse_string(j, &out->str);
    }
    if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "false", 5) == 0) {
        out->type = ML_J_BOOL;
        out->b = c == 't';
        j->p += out->b ? 4 : 5;
        return true;
    }
    if (strncmp(j->p, "null", 4) == 0) {
        j->p += 4;
        return true;
    }
    if (strncmp(j->p, "\"NaN\"", 5) == 0 || strncmp(j->p, "NaN", 3) == 0) {
        out->type = ML_J_NUM;
        out->num = NAN;
        j->p += 3;
        return true;
    }
    char *end;
    out->num = strtod(j->p, &end);
    if (end == j->p)
        return false;
    out->type = ML_J_NUM;
    j->p = end;
    return true;
}

ml_json *ml_json_parse(lm_arena *a, const char *text, bool lines)
{
    jp j = {a, text};
    ml_json *root = lm_arena_calloc(a, 1, sizeof *root);
    if (root == NULL)
        return NULL;
    if (!lines) {
        if (!parse_value(&j, root, 0))
            return NULL;
        ws(&j);
        return *j.p ? NULL : root;
    }
    int cap = 16, n = 0;
    ml_json *items = lm_arena_alloc(a, sizeof *items * (size_t)cap);
    if (items == NULL)
        return NULL;
    for (;;) {
        ws(&j);
        if (*j.p == '\0')
            break;
        if (n == cap) {
            ml_json *ni = lm_arena_alloc(a, sizeof *ni * (size_t)cap * 2);
            if (ni == NULL)
                return NULL;
            memcpy(ni, items, sizeof *ni * (size_t)n);
            items = ni;
            cap *= 2;
        }
        if (!parse_value(&j, &items[n++], 0))
            return NULL;
    }
    root->type = ML_J_ARR;
    root->n = n;
    root->items = items;
    return root;
}

const ml_json *ml_json_get(const ml_json *obj, const char *key)
{
    if (obj == NULL || obj->type != ML_J_OBJ)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

double ml_json_num(const ml_json *obj, const char *key, double dflt)
{
    const ml_json *v = ml_json_get(obj, key);
    if (v && v->type == ML_J_NUM)
        return v->num;
    if (v && v->type == ML_J_BOOL)
        return v->b;
    return dflt;
}

const char *ml_json_str(const ml_json *obj, const char *key)
{
    const ml_json *v = ml_json_get(obj, key);
    return v && v->type == ML_J_STR ? v->str : NULL;
}

int ml_json_read_doubles(const ml_json *arr, double **out)
{
    *out = NULL;
    if (arr == NULL || arr->type != ML_J_ARR)
        return -1;
    double *v = malloc(sizeof *v * ((size_t)arr->n + 1));
    if (v == NULL)
        return -1;
    for (int i = 0; i < arr->n; i++) {
        if (arr->items[i].type != ML_J_NUM) {
            free(v);
            return -1;
        }
        v[i] = arr->items[i].num;
    }
    *out = v;
    return arr->n;
}

void ml_json_string(lm_strbuf *sb, const char *s)
{
    /* json4s's escaping, shared with the schema JSON */
    lm_json_string(sb, s);
}

/* Doubles round-trip exactly (17 significant digits); non-finite values
   are written as json4s writes them for Spark's params ("NaN" etc.). */
void ml_json_double(lm_strbuf *sb, double d)
{
    if (isnan(d))
        lm_strbuf_puts(sb, "NaN");
    else if (isinf(d))
        lm_strbuf_puts(sb, d > 0 ? "1e999" : "-1e999");
    else
        ml_put_double(sb, d);
}

void ml_json_doubles(lm_strbuf *sb, int n, const double *v)
{
    lm_strbuf_putc(sb, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_putc(sb, ',');
        ml_json_double(sb, v[i]);
    }
    lm_strbuf_putc(sb, ']');
}
