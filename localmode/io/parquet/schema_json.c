/*
 * Spark's schema JSON (DataType.json), which Spark stores in every Parquet
 * footer under `org.apache.spark.sql.parquet.row.metadata` and prefers to
 * the Parquet schema on read (it keeps byte/short, intervals, timestamp
 * kinds and field order exactly). Field metadata is written with the
 * type (types/type_json.c) and read back (comment and the rest, as Spark
 * keeps them). The parser is a small recursive-descent JSON reader limited
 * to what the schema form uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "parquet.h"

/* ----------------------------------------------------------- writing */

char *lm_parquet_schema_to_json(const lm_type *schema)
{
    /* DataType.json, field metadata included (ML attributes survive a
       round trip through Parquet as they do in Spark) */
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_json(&sb, schema);
    return lm_strbuf_detach(&sb);
}

/* ----------------------------------------------------------- parsing */

/* A parsed JSON value: only the shapes the schema form needs. */
typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_kind;

typedef struct jv {
    jv_kind kind;
    bool b;
    char *s;              /* JV_STR (malloc'ed) */
    int n;                /* JV_ARR / JV_OBJ element count */
    char **keys;          /* JV_OBJ */
    struct jv **items;    /* JV_ARR / JV_OBJ */
    const char *start, *end; /* the value's text in the input */
} jv;

static void jv_free(jv *v)
{
    if (v == NULL)
        return;
    free(v->s);
    for (int i = 0; i < v->n; i++) {
        if (v->keys)
            free(v->keys[i]);
        jv_free(v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v);
}

typedef struct jp {
    const char *p;
    int depth;
    bool oom; /* an allocation failed (as opposed to bad text) */
} jp;

static void jp_ws(jp *j)
{
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
        j->p++;
}

static char *jp_string(jp *j)
{
    if (*j->p != '"')
        return NULL;
    j->p++;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    while (*j->p && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            c = *j->p++;
            switch (c) {
            case 'n': lm_strbuf_putc(&sb, '\n'); break;
            case 't': lm_strbuf_putc(&sb, '\t'); break;
            case 'r': lm_strbuf_putc(&sb, '\r'); break;
            case 'b': lm_strbuf_putc(&sb, '\b'); break;
            case 'f': lm_strbuf_putc(&sb, '\f'); break;
            case 'u': {
                unsigned cp = 0;
                for (int k = 0; k < 4; k++) {
                    char h = *j->p;
                    if (!h) {
                        lm_strbuf_free(&sb);
                        return NULL;
                    }
                    j->p++;
                    cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
                }
                if (cp < 0x80)
                    lm_strbuf_putc(&sb, (char)cp);
                else if (cp < 0x800) {
                    lm_strbuf_putc(&sb, (char)(0xc0 | (cp >> 6)));
                    lm_strbuf_putc(&sb, (char)(0x80 | (cp & 0x3f)));
                } else {
                    lm_strbuf_putc(&sb, (char)(0xe0 | (cp >> 12)));
                    lm_strbuf_putc(&sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
                    lm_strbuf_putc(&sb, (char)(0x80 | (cp & 0x3f)));
                }
                break;
            }
            case '\0':
                lm_strbuf_free(&sb);
                return NULL;
            default: lm_strbuf_putc(&sb, c);
            }
        } else
            lm_strbuf_putc(&sb, c);
    }
    if (*j->p != '"') {
        lm_strbuf_free(&sb);
        return NULL;
    }
    j->p++;
    lm_strbuf_putc(&sb, '\0'); /* ensure an allocation for "" */
    char *out = lm_strbuf_detach(&sb);
    if (out == NULL)
        j->oom = true;
    return out;
}

static jv *jp_value(jp *j);

static bool jv_push(jv *v, char *key, jv *item)
{
    char **nk = v->kind == JV_OBJ ? realloc(v->keys, sizeof(char *) * (size_t)(v->n + 1)) : NULL;
    if (v->kind == JV_OBJ) {
        if (nk == NULL)
            return false;
        v->keys = nk;
    }
    jv **ni = realloc(v->items, sizeof(jv *) * (size_t)(v->n + 1));
    if (ni == NULL)
        return false;
    v->items = ni;
    if (v->kind == JV_OBJ)
        v->keys[v->n] = key;
    v->items[v->n++] = item;
    return true;
}

static jv *jp_value(jp *j)
{
    jp_ws(j);
    if (++j->depth > 200)
        return NULL;
    jv *v = calloc(1, sizeof *v);
    if (v == NULL) {
        j->oom = true;
        return NULL;
    }
    v->start = j->p;
    char c = *j->p;
    if (c == '{' || c == '[') {
        v->kind = c == '{' ? JV_OBJ : JV_ARR;
        char close = c == '{' ? '}' : ']';
        j->p++;
        jp_ws(j);
        if (*j->p == close)
            j->p++;
        else
            for (;;) {
                char *key = NULL;
                if (v->kind == JV_OBJ) {
                    jp_ws(j);
                    key = jp_string(j);
                    jp_ws(j);
                    if (key == NULL || *j->p != ':') {
                        free(key);
                        goto bad;
                    }
                    j->p++;
                }
                jv *item = jp_value(j);
                bool pushed = item != NULL && jv_push(v, key, item);
                if (item != NULL && !pushed)
                    j->oom = true;
                if (!pushed) {
                    free(key);
                    jv_free(item);
                    goto bad;
                }
                jp_ws(j);
                if (*j->p == ',') {
                    j->p++;
                    continue;
                }
                if (*j->p == close) {
                    j->p++;
                    break;
                }
                goto bad;
            }
    } else if (c == '"') {
        v->kind = JV_STR;
        v->s = jp_string(j);
        if (v->s == NULL)
            goto bad;
    } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "false", 5) == 0) {
        v->kind = JV_BOOL;
        v->b = c == 't';
        j->p += v->b ? 4 : 5;
    } else if (strncmp(j->p, "null", 4) == 0) {
        v->kind = JV_NULL;
        j->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v->kind = JV_NUM;
        while (*j->p && strchr("+-0123456789.eE", *j->p))
            j->p++;
    } else
        goto bad;
    v->end = j->p;
    j->depth--;
    return v;
bad:
    jv_free(v);
    return NULL;
}

static const jv *jv_get(const jv *o, const char *key)
{
    if (o == NULL || o->kind != JV_OBJ)
        return NULL;
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->items[i];
    return NULL;
}

static bool jv_bool(const jv *o, const char *key, bool dflt)
{
    const jv *v = jv_get(o, key);
    return v && v->kind == JV_BOOL ? v->b : dflt;
}

static lm_type *type_from_name(const char *s, bool *oom)
{
    static const struct {
        const char *name;
        lm_type *(*fn)(void);
    } prims[] = {
        {"boolean", lm_type_boolean}, {"byte", lm_type_byte},     {"short", lm_type_short},
        {"integer", lm_type_int},     {"long", lm_type_long},     {"float", lm_type_float},
        {"double", lm_type_double},   {"string", lm_type_string}, {"binary", lm_type_binary},
        {"date", lm_type_date},       {"timestamp", lm_type_timestamp},
        {"timestamp_ntz", lm_type_timestamp_ntz}, {"null", lm_type_null}, {"void", lm_type_null},
        {"interval", lm_type_calendar_interval},
    };
    for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
        if (strcmp(s, prims[i].name) == 0)
            return prims[i].fn();
    int p, sc;
    if (strcmp(s, "decimal") == 0) {
        p = 10;
        sc = 0;
    } else if (sscanf(s, "decimal(%d,%d)", &p, &sc) != 2 &&
               sscanf(s, "decimal(%d, %d)", &p, &sc) != 2)
        p = -1;
    if (p >= 0) {
        lm_type *d = lm_type_decimal(p, sc);
        /* a valid precision and scale only fail for want of memory */
        if (d == NULL && p >= 1 && p <= LM_DECIMAL_MAX_PRECISION && sc >= 0 && sc <= p)
            *oom = true;
        return d;
    }
    if (strncmp(s, "char(", 5) == 0 || strncmp(s, "varchar(", 8) == 0)
        return lm_type_string();
    static const char *ym[] = {"year", "month"};
    static const char *dt[] = {"day", "hour", "minute", "second"};
    if (strncmp(s, "interval ", 9) == 0) {
        const char *rest = s + 9;
        for (int a = 0; a < 2; a++)
            for (int b = a; b < 2; b++) {
                char buf[64];
                if (a == b)
                    snprintf(buf, sizeof buf, "%s", ym[a]);
                else
                    snprintf(buf, sizeof buf, "%s to %s", ym[a], ym[b]);
                if (strcmp(rest, buf) == 0)
                    return lm_type_ym_interval(a, b);
            }
        for (int a = 0; a < 4; a++)
            for (int b = a; b < 4; b++) {
                char buf[64];
                if (a == b)
                    snprintf(buf, sizeof buf, "%s", dt[a]);
                else
                    snprintf(buf, sizeof buf, "%s to %s", dt[a], dt[b]);
                if (strcmp(rest, buf) == 0)
                    return lm_type_dt_interval(a, b);
            }
    }
    return NULL;
}

/* A field's metadata object: "comment" becomes the field's comment, the
   other keys its metadata text, each value as the file wrote it (Spark
   writes compact JSON). False on OOM. */
static bool field_metadata(const jv *m, lm_field *f, bool *oom)
{
    if (m == NULL || m->kind != JV_OBJ || m->n == 0)
        return true;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    int kept = 0;
    for (int i = 0; i < m->n; i++) {
        const jv *v = m->items[i];
        if (strcmp(m->keys[i], "comment") == 0 && v->kind == JV_STR) {
            free(f->comment);
            if ((f->comment = strdup(v->s)) == NULL)
                goto nomem;
            continue;
        }
        lm_strbuf_putc(&sb, kept++ ? ',' : '{');
        lm_json_string(&sb, m->keys[i]);
        lm_strbuf_putc(&sb, ':');
        lm_strbuf_append(&sb, v->start, (size_t)(v->end - v->start));
    }
    if (kept) {
        lm_strbuf_putc(&sb, '}');
        if (!lm_strbuf_ok(&sb) || (f->metadata = lm_strbuf_detach(&sb)) == NULL)
            goto nomem;
    } else {
        lm_strbuf_free(&sb);
    }
    return true;
nomem:
    lm_strbuf_free(&sb);
    *oom = true;
    return false;
}

static lm_type *jv_type(const jv *v, bool *oom)
{
    if (v == NULL)
        return NULL;
    if (v->kind == JV_STR)
        return type_from_name(v->s, oom);
    const jv *kind = jv_get(v, "type");
    if (kind == NULL || kind->kind != JV_STR)
        return NULL;
    if (strcmp(kind->s, "struct") == 0) {
        const jv *fields = jv_get(v, "fields");
        if (fields == NULL || fields->kind != JV_ARR)
            return NULL;
        lm_field *fs = calloc((size_t)(fields->n ? fields->n : 1), sizeof *fs);
        if (fs == NULL) {
            *oom = true;
            return NULL;
        }
        lm_type *res = NULL;
        int i;
        for (i = 0; i < fields->n; i++) {
            const jv *f = fields->items[i];
            const jv *name = jv_get(f, "name");
            if (name == NULL || name->kind != JV_STR)
                break;
            fs[i].name = name->s;
            fs[i].type = jv_type(jv_get(f, "type"), oom);
            fs[i].nullable = jv_bool(f, "nullable", true);
            if (fs[i].type == NULL)
                break;
            if (!field_metadata(jv_get(f, "metadata"), &fs[i], oom))
                break;
        }
        if (i == fields->n && (res = lm_type_struct(fs, fields->n)) == NULL)
            *oom = true;
        for (int k = 0; k < fields->n; k++) {
            if (k <= i && k < fields->n)
                lm_type_unref(fs[k].type);
            free(fs[k].comment);
            free(fs[k].metadata);
        }
        free(fs);
        return res;
    }
    if (strcmp(kind->s, "array") == 0) {
        lm_type *e = jv_type(jv_get(v, "elementType"), oom);
        if (e == NULL)
            return NULL;
        lm_type *res = lm_type_array(e, jv_bool(v, "containsNull", true));
        if (res == NULL)
            *oom = true;
        lm_type_unref(e);
        return res;
    }
    if (strcmp(kind->s, "map") == 0) {
        lm_type *k = jv_type(jv_get(v, "keyType"), oom);
        lm_type *val = k ? jv_type(jv_get(v, "valueType"), oom) : NULL;
        lm_type *res = val ? lm_type_map(k, val, jv_bool(v, "valueContainsNull", true)) : NULL;
        if (val && res == NULL)
            *oom = true;
        lm_type_unref(k);
        lm_type_unref(val);
        return res;
    }
    if (strcmp(kind->s, "udt") == 0)
        return jv_type(jv_get(v, "sqlType"), oom);
    return NULL;
}

lm_type *lm_parquet_schema_from_json(const char *json, lm_error *err)
{
    jp j = {json, 0, false};
    jv *v = jp_value(&j);
    bool oom = j.oom;
    lm_type *t = v ? jv_type(v, &oom) : NULL;
    jv_free(v);
    if (oom) {
        lm_type_unref(t);
        lm_error_oom(err);
        return NULL;
    }
    if (t == NULL || t->id != LM_TYPE_STRUCT) {
        lm_type_unref(t);
        lm_error_set(err, LM_ERROR, NULL, NULL, NULL, "Not a Spark schema JSON");
        return NULL;
    }
    return t;
}
