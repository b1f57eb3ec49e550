/*
 * YAML fixtures: tables declared in a file (schema as a Spark DDL string,
 * rows as lists or maps) and registered as temp views, so a test reads
 * its input the way the job under test reads a table.
 *
 * Scalars are converted by the engine's own ANSI CAST from string: a
 * fixture's "2024-02-30" fails exactly where Spark would fail to read it,
 * and dates, timestamps (session time zone), decimals and NaN / Infinity
 * need no syntax of our own. ANSI rather than the default cast because a
 * typo must stop the test, not become a NULL. Plain `null`, `~` and empty
 * scalars are NULL; quoted scalars are always text.
 *
 * Every error names the file, line and column of the offending node
 * (libyaml's marks, 1-based as editors show them) and where it sits in the
 * tables: "people.yaml:7:12: table `people`, row 2, column `id`: ...".
 * Loading is all or nothing: views are registered only once every table
 * has been read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "tk.h"

#include "catalog/catalog.h"
#include "expr/cast.h"
#include "expr/eval.h"
#include "session/session.h"

typedef struct fx_table {
    char *name;
    lm_table *table;
} fx_table;

struct lmt_fixture {
    lm_session *session;
    int ntables;
    fx_table *tables;
};

#define TAG_NULL "tag:yaml.org,2002:null"
#define TAG_BINARY "tag:yaml.org,2002:binary"

/* State of one load: the document, where we are (for messages), scratch
   memory for values until they are copied into tables. */
typedef struct fx_loader {
    lm_session *s;
    const char *name; /* file name for messages */
    yaml_document_t doc;
    lm_arena arena;
    lm_error err;
    char *msg;         /* the first error, malloc'ed */
    const char *table; /* table being read */
    int64_t row;       /* 1-based row being read, 0 outside rows */
} fx_loader;

static void fx_error(fx_loader *L, const yaml_node_t *at, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fx_error(fx_loader *L, const yaml_node_t *at, const char *path, const char *fmt, ...)
{
    if (L->msg)
        return;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, L->name);
    if (at)
        lm_strbuf_printf(&sb, ":%zu:%zu", at->start_mark.line + 1, at->start_mark.column + 1);
    lm_strbuf_puts(&sb, ": ");
    if (L->table)
        lm_strbuf_printf(&sb, "table `%s`, ", L->table);
    if (L->row > 0)
        lm_strbuf_printf(&sb, "row %lld, ", (long long)L->row);
    if (path && *path)
        lm_strbuf_printf(&sb, "column `%s`, ", path);
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lm_strbuf_puts(&sb, buf);
    L->msg = lm_strbuf_detach(&sb);
    if (L->msg == NULL)
        L->msg = strdup("out of memory");
}

static yaml_node_t *node(fx_loader *L, int id)
{
    return yaml_document_get_node(&L->doc, id);
}

static bool scalar_is(const yaml_node_t *n, const char *text)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(text) &&
           memcmp(n->data.scalar.value, text, n->data.scalar.length) == 0;
}

static const char *scalar_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* YAML's null: a plain null / Null / NULL / ~ / empty scalar, or !!null. */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE)
        return false;
    if (n->tag && strcmp((const char *)n->tag, TAG_NULL) == 0)
        return true;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    return n->data.scalar.length == 0 || scalar_is(n, "null") || scalar_is(n, "Null") ||
           scalar_is(n, "NULL") || scalar_is(n, "~");
}

static const char *node_kind(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE     ? "a scalar"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a mapping";
}

static char *type_string(const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, t);
    return lm_strbuf_detach(&sb);
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes base64 (blanks and line breaks ignored, as YAML folds them). */
static bool b64_decode(fx_loader *L, const char *s, size_t n, lm_value *out)
{
    char *buf = lm_arena_alloc(&L->arena, n + 1);
    if (buf == NULL)
        return false;
    int32_t len = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=')
            break;
        int d = b64_digit(c);
        if (d < 0)
            return false;
        acc = (acc << 6) | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[len++] = (char)((acc >> bits) & 0xff);
        }
    }
    *out = lm_value_str(buf, len);
    return true;
}

/* YAML spells the special floats .nan / .inf; Spark's cast reads NaN and
   Infinity. */
static const char *float_alias(const yaml_node_t *n)
{
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return NULL;
    if (scalar_is(n, ".nan") || scalar_is(n, ".NaN") || scalar_is(n, ".NAN"))
        return "NaN";
    if (scalar_is(n, ".inf") || scalar_is(n, ".Inf") || scalar_is(n, ".INF") ||
        scalar_is(n, "+.inf") || scalar_is(n, "+.Inf") || scalar_is(n, "+.INF"))
        return "Infinity";
    if (scalar_is(n, "-.inf") || scalar_is(n, "-.Inf") || scalar_is(n, "-.INF"))
        return "-Infinity";
    return NULL;
}

static bool read_value(fx_loader *L, const yaml_node_t *n, const lm_type *t, bool nullable,
                       const char *path, lm_value *out);

static bool read_scalar(fx_loader *L, const yaml_node_t *n, const lm_type *t, const char *path,
                        lm_value *out)
{
    const char *text = scalar_text(n);
    size_t len = n->data.scalar.length;
    if (t->id == LM_TYPE_STRING) {
        char *p = lm_arena_strndup(&L->arena, text, len);
        if (p == NULL)
            return false;
        *out = lm_value_str(p, (int32_t)len);
        return true;
    }
    if (t->id == LM_TYPE_BINARY) {
        if (n->tag && strcmp((const char *)n->tag, TAG_BINARY) == 0) {
            if (!b64_decode(L, text, len, out)) {
                fx_error(L, n, path, "invalid base64 in a !!binary value");
                return false;
            }
            return true;
        }
        char *p = lm_arena_strndup(&L->arena, text, len);
        if (p == NULL)
            return false;
        *out = lm_value_str(p, (int32_t)len);
        return true;
    }
    if (lm_type_is_complex(t)) {
        char *ts = type_string(t);
        fx_error(L, n, path, "expected %s for %s, found a scalar",
                 t->id == LM_TYPE_ARRAY ? "a list" : "a mapping", ts ? ts : "?");
        free(ts);
        return false;
    }
    const char *alias = float_alias(n);
    if (alias && (t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE)) {
        text = alias;
        len = strlen(alias);
    }
    lm_eval_ctx ec;
    memset(&ec, 0, sizeof ec);
    ec.session = L->s;
    ec.arena = &L->arena;
    ec.err = &L->err;
    ec.tz = L->s->tz;
    ec.ansi = true;
    lm_value in = lm_value_str(text, (int32_t)len);
    lm_error_clear(&L->err);
    if (lm_cast_value(&ec, lm_type_string(), t, &in, out, 2) != LM_OK || out->is_null) {
        char *ts = type_string(t);
        fx_error(L, n, path, "'%.*s' cannot be read as %s%s%s%s", (int)len, text, ts ? ts : "?",
                 L->err.error_class ? " (" : "", L->err.error_class ? L->err.error_class : "",
                 L->err.error_class ? ")" : "");
        free(ts);
        return false;
    }
    return true;
}

static char *sub_path(fx_loader *L, const char *path, const char *part)
{
    return lm_arena_printf(&L->arena, "%s%s%s", path, *path ? "." : "", part);
}

static bool read_array(fx_loader *L, const yaml_node_t *n, const lm_type *t, const char *path,
                       lm_value *out)
{
    int32_t cnt = (int32_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    lm_array_value *av = lm_arena_alloc(&L->arena, sizeof *av);
    lm_value *elems = lm_arena_calloc(&L->arena, (size_t)(cnt ? cnt : 1), sizeof *elems);
    char *ep = sub_path(L, path, "element");
    if (av == NULL || elems == NULL || ep == NULL)
        return false;
    for (int32_t i = 0; i < cnt; i++)
        if (!read_value(L, node(L, n->data.sequence.items.start[i]), t->elem, t->contains_null, ep,
                        &elems[i]))
            return false;
    av->n = cnt;
    av->elems = elems;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = av;
    return true;
}

static bool read_map(fx_loader *L, const yaml_node_t *n, const lm_type *t, const char *path,
                     lm_value *out)
{
    int32_t cnt = (int32_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    lm_map_value *mv = lm_arena_alloc(&L->arena, sizeof *mv);
    lm_value *keys = lm_arena_calloc(&L->arena, (size_t)(cnt ? cnt : 1), sizeof *keys);
    lm_value *vals = lm_arena_calloc(&L->arena, (size_t)(cnt ? cnt : 1), sizeof *vals);
    char *kp = sub_path(L, path, "key"), *vp = sub_path(L, path, "value");
    if (mv == NULL || keys == NULL || vals == NULL || kp == NULL || vp == NULL)
        return false;
    for (int32_t i = 0; i < cnt; i++) {
        const yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
        const yaml_node_t *kn = node(L, p->key);
        if (!read_value(L, kn, t->key, false, kp, &keys[i]) ||
            !read_value(L, node(L, p->value), t->value, t->value_contains_null, vp, &vals[i]))
            return false;
        for (int32_t j = 0; j < i; j++)
            if (lm_value_equal(t->key, &keys[j], &keys[i])) {
                fx_error(L, kn, path, "duplicate map key");
                return false;
            }
    }
    mv->n = cnt;
    mv->keys = keys;
    mv->values = vals;
    *out = lm_value_null();
    out->is_null = false;
    out->u.map = mv;
    return true;
}

/* A struct (or a row: the top-level schema) from a mapping by field name
   or a list by position; fields left out of a mapping are NULL. */
static bool read_fields(fx_loader *L, const yaml_node_t *n, const lm_type *t, const char *path,
                        lm_value *fields)
{
    int nf = t->nfields;
    bool *seen = lm_arena_calloc(&L->arena, (size_t)(nf ? nf : 1), sizeof *seen);
    char **paths = lm_arena_calloc(&L->arena, (size_t)(nf ? nf : 1), sizeof *paths);
    if (seen == NULL || paths == NULL)
        return false;
    for (int f = 0; f < nf; f++)
        if ((paths[f] = sub_path(L, path, t->fields[f].name)) == NULL)
            return false;
    if (n->type == YAML_SEQUENCE_NODE) {
        int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
        if (cnt != nf) {
            fx_error(L, n, path, "%d value%s for %d %s%s", cnt, cnt == 1 ? "" : "s", nf,
                     *path ? "field" : "column", nf == 1 ? "" : "s");
            return false;
        }
        for (int f = 0; f < nf; f++)
            if (!read_value(L, node(L, n->data.sequence.items.start[f]), t->fields[f].type,
                            t->fields[f].nullable, paths[f], &fields[f]))
                return false;
        return true;
    }
    if (n->type != YAML_MAPPING_NODE) {
        fx_error(L, n, path, "expected a list or a mapping of %s, found a scalar",
                 *path ? "fields" : "columns");
        return false;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *kn = node(L, p->key);
        if (kn->type != YAML_SCALAR_NODE) {
            fx_error(L, kn, path, "a %s name must be a scalar", *path ? "field" : "column");
            return false;
        }
        int f = lm_type_field_index(t, scalar_text(kn));
        if (f < 0) {
            char *name = sub_path(L, path, scalar_text(kn));
            fx_error(L, kn, NULL, "unknown %s `%s`", *path ? "field" : "column",
                     name ? name : scalar_text(kn));
            return false;
        }
        if (seen[f]) {
            fx_error(L, kn, paths[f], "given twice");
            return false;
        }
        seen[f] = true;
        if (!read_value(L, node(L, p->value), t->fields[f].type, t->fields[f].nullable, paths[f],
                        &fields[f]))
            return false;
    }
    for (int f = 0; f < nf; f++) {
        if (seen[f])
            continue;
        if (!t->fields[f].nullable) {
            fx_error(L, n, paths[f], "no value for a NOT NULL %s", *path ? "field" : "column");
            return false;
        }
        fields[f] = lm_value_null();
    }
    return true;
}

static bool read_value(fx_loader *L, const yaml_node_t *n, const lm_type *t, bool nullable,
                       const char *path, lm_value *out)
{
    if (n == NULL) {
        fx_error(L, NULL, path, "broken document");
        return false;
    }
    if (is_null(n) && t->id != LM_TYPE_STRING) {
        if (!nullable) {
            fx_error(L, n, path, "null in a NOT NULL %s", strchr(path, '.') ? "field" : "column");
            return false;
        }
        *out = lm_value_null();
        return true;
    }
    if (is_null(n) && t->id == LM_TYPE_STRING) {
        /* a plain null is NULL for strings too; write 'null' for the text */
        if (!nullable) {
            fx_error(L, n, path, "null in a NOT NULL %s", strchr(path, '.') ? "field" : "column");
            return false;
        }
        *out = lm_value_null();
        return true;
    }
    switch (t->id) {
    case LM_TYPE_ARRAY:
        if (n->type != YAML_SEQUENCE_NODE)
            break;
        return read_array(L, n, t, path, out);
    case LM_TYPE_MAP:
        if (n->type != YAML_MAPPING_NODE)
            break;
        return read_map(L, n, t, path, out);
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(&L->arena, sizeof *sv);
        lm_value *fields =
            lm_arena_calloc(&L->arena, (size_t)(t->nfields ? t->nfields : 1), sizeof *fields);
        if (sv == NULL || fields == NULL)
            return false;
        if (!read_fields(L, n, t, path, fields))
            return false;
        sv->n = t->nfields;
        sv->fields = fields;
        *out = lm_value_null();
        out->is_null = false;
        out->u.st = sv;
        return true;
    }
    default:
        if (n->type == YAML_SCALAR_NODE)
            return read_scalar(L, n, t, path, out);
        break;
    }
    char *ts = type_string(t);
    fx_error(L, n, path, "expected %s for %s, found %s",
             t->id == LM_TYPE_ARRAY                            ? "a list"
             : t->id == LM_TYPE_MAP || t->id == LM_TYPE_STRUCT ? "a mapping"
                                                               : "a scalar",
             ts ? ts : "?", node_kind(n));
    free(ts);
    return false;
}

/* Reads one table: {schema: "DDL", rows: [...]}. */
static lm_table *read_table(fx_loader *L, const yaml_node_t *spec)
{
    if (spec->type != YAML_MAPPING_NODE) {
        fx_error(L, spec, NULL, "expected a mapping with `schema` and `rows`, found %s",
                 node_kind(spec));
        return NULL;
    }
    const yaml_node_t *schema = NULL, *rows = NULL;
    for (yaml_node_pair_t *p = spec->data.mapping.pairs.start; p < spec->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node(L, p->key);
        if (scalar_is(k, "schema"))
            schema = node(L, p->value);
        else if (scalar_is(k, "rows"))
            rows = node(L, p->value);
        else {
            fx_error(L, k, NULL, "unknown key `%s` (a table has `schema` and `rows`)",
                     k->type == YAML_SCALAR_NODE ? scalar_text(k) : "?");
            return NULL;
        }
    }
    if (schema == NULL || schema->type != YAML_SCALAR_NODE) {
        fx_error(L, schema ? schema : spec, NULL,
                 "`schema` must be a DDL string such as "
                 "\"id INT, name STRING\"");
        return NULL;
    }
    char *perr = NULL;
    lm_type *st = tk_parse_schema(scalar_text(schema), &perr);
    if (st == NULL) {
        fx_error(L, schema, NULL, "bad schema: %s", perr ? perr : "out of memory");
        free(perr);
        return NULL;
    }
    lm_table *t = lm_table_new(st);
    lm_type_unref(st);
    if (t == NULL)
        return NULL;
    if (rows != NULL && !is_null(rows) && rows->type != YAML_SEQUENCE_NODE) {
        fx_error(L, rows, NULL, "`rows` must be a list");
        lm_table_unref(t);
        return NULL;
    }
    lm_value *vals = lm_arena_calloc(&L->arena, (size_t)(t->schema->nfields + 1), sizeof *vals);
    if (vals == NULL) {
        lm_table_unref(t);
        return NULL;
    }
    if (rows != NULL && rows->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = rows->data.sequence.items.start;
             it < rows->data.sequence.items.top; it++) {
            L->row++;
            if (!read_fields(L, node(L, *it), t->schema, "", vals) ||
                lm_table_append_row(t, vals) != LM_OK) {
                if (L->msg == NULL)
                    fx_error(L, node(L, *it), NULL, "out of memory");
                lm_table_unref(t);
                return NULL;
            }
        }
    }
    L->row = 0;
    return t;
}

static void fixture_free_tables(lmt_fixture *f)
{
    for (int i = 0; i < f->ntables; i++) {
        free(f->tables[i].name);
        lm_table_unref(f->tables[i].table);
    }
    free(f->tables);
}

void lmt_fixture_free(lmt_fixture *f)
{
    if (f == NULL)
        return;
    fixture_free_tables(f);
    free(f);
}

static bool read_tables(fx_loader *L, lmt_fixture *f)
{
    yaml_node_t *root = yaml_document_get_root_node(&L->doc);
    if (root == NULL) {
        fx_error(L, NULL, NULL, "empty document (expected `tables:`)");
        return false;
    }
    if (root->type != YAML_MAPPING_NODE) {
        fx_error(L, root, NULL, "expected a mapping with `tables`, found %s", node_kind(root));
        return false;
    }
    const yaml_node_t *tables = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = node(L, p->key);
        if (!scalar_is(k, "tables")) {
            fx_error(L, k, NULL, "unknown key `%s` (expected `tables`)",
                     k->type == YAML_SCALAR_NODE ? scalar_text(k) : "?");
            return false;
        }
        tables = node(L, p->value);
    }
    if (tables == NULL || tables->type != YAML_MAPPING_NODE) {
        fx_error(L, tables ? tables : root, NULL, "`tables` must map table names to tables");
        return false;
    }
    int n = (int)(tables->data.mapping.pairs.top - tables->data.mapping.pairs.start);
    f->tables = calloc((size_t)(n ? n : 1), sizeof *f->tables);
    if (f->tables == NULL)
        return false;
    for (int i = 0; i < n; i++) {
        const yaml_node_pair_t *p = &tables->data.mapping.pairs.start[i];
        const yaml_node_t *k = node(L, p->key);
        if (k->type != YAML_SCALAR_NODE || k->data.scalar.length == 0) {
            fx_error(L, k, NULL, "a table name must be a non-empty scalar");
            return false;
        }
        for (int j = 0; j < f->ntables; j++)
            if (strcasecmp(f->tables[j].name, scalar_text(k)) == 0) {
                fx_error(L, k, NULL, "table `%s` declared twice", scalar_text(k));
                return false;
            }
        L->table = scalar_text(k);
        lm_table *t = read_table(L, node(L, p->value));
        if (t == NULL) {
            if (L->msg == NULL)
                fx_error(L, k, NULL, "out of memory");
            return false;
        }
        f->tables[f->ntables].name = strdup(scalar_text(k));
        f->tables[f->ntables].table = t;
        f->ntables++;
        if (f->tables[f->ntables - 1].name == NULL)
            return false;
        L->table = NULL;
    }
    return true;
}

lmt_fixture *lmt_fixture_load_string(lm_session *s, const char *yaml, const char *name, char **err)
{
    if (err)
        *err = NULL;
    if (s == NULL || yaml == NULL) {
        if (err)
            *err = strdup("lmt_fixture_load: NULL argument");
        return NULL;
    }
    fx_loader L;
    memset(&L, 0, sizeof L);
    L.s = s;
    L.name = name ? name : "<fixture>";
    lm_arena_init(&L.arena, 16 * 1024);
    lm_error_init(&L.err);
    lmt_fixture *f = calloc(1, sizeof *f);
    yaml_parser_t parser;
    bool parsed = false;
    if (f == NULL || !yaml_parser_initialize(&parser)) {
        free(f);
        f = NULL;
        if (err)
            *err = strdup("out of memory");
        goto done;
    }
    f->session = s;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, strlen(yaml));
    if (!yaml_parser_load(&parser, &L.doc)) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s:%zu:%zu: YAML error: %s", L.name, parser.problem_mark.line + 1,
                         parser.problem_mark.column + 1,
                         parser.problem ? parser.problem : "unreadable");
        if (parser.context)
            lm_strbuf_printf(&sb, " %s (line %zu)", parser.context, parser.context_mark.line + 1);
        L.msg = lm_strbuf_detach(&sb);
        yaml_parser_delete(&parser);
        goto fail;
    }
    yaml_parser_delete(&parser);
    parsed = true;
    if (!read_tables(&L, f))
        goto fail;
    for (int i = 0; i < f->ntables; i++)
        if (tk_register_view(s, f->tables[i].name, f->tables[i].table) != LM_OK) {
            L.msg = strdup(lm_errmsg(s));
            goto fail;
        }
    goto done;
fail:
    if (err)
        *err = L.msg ? L.msg : strdup("out of memory");
    else
        free(L.msg);
    L.msg = NULL;
    lmt_fixture_free(f);
    f = NULL;
done:
    if (parsed)
        yaml_document_delete(&L.doc);
    free(L.msg);
    lm_error_clear(&L.err);
    lm_arena_free(&L.arena);
    return f;
}

/* The text of a file, NUL-terminated; NULL with errno set on failure. */
static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        lm_strbuf_append(&sb, buf, n);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad) {
        lm_strbuf_free(&sb);
        return NULL;
    }
    lm_strbuf_cstr(&sb);
    return lm_strbuf_detach(&sb);
}

lmt_fixture *lmt_fixture_load(lm_session *s, const char *path, char **err)
{
    if (err)
        *err = NULL;
    if (path == NULL) {
        if (err)
            *err = strdup("lmt_fixture_load: NULL path");
        return NULL;
    }
    const char *dir = getenv("LMT_FIXTURE_DIR");
    char *full = NULL;
    if (path[0] != '/' && dir != NULL && *dir != '\0') {
        size_t n = strlen(dir) + strlen(path) + 2;
        full = malloc(n);
        if (full == NULL) {
            if (err)
                *err = strdup("out of memory");
            return NULL;
        }
        snprintf(full, n, "%s/%s", dir, path);
    }
    const char *p = full ? full : path;
    char *text = read_file(p);
    if (text == NULL) {
        if (err) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_strbuf_printf(&sb, "%s: cannot read the fixture file", p);
            *err = lm_strbuf_detach(&sb);
        }
        free(full);
        return NULL;
    }
    lmt_fixture *f = lmt_fixture_load_string(s, text, p, err);
    free(text);
    free(full);
    return f;
}

int lmt_fixture_num_tables(const lmt_fixture *f)
{
    return f ? f->ntables : 0;
}

const char *lmt_fixture_table_name(const lmt_fixture *f, int i)
{
    return f && i >= 0 && i < f->ntables ? f->tables[i].name : NULL;
}

lm_df *lmt_fixture_df(const lmt_fixture *f, const char *table)
{
    if (f == NULL || table == NULL)
        return NULL;
    for (int i = 0; i < f->ntables; i++)
        if (strcasecmp(f->tables[i].name, table) == 0)
            return tk_df_from_table(f->session, lm_table_ref(f->tables[i].table));
    return NULL;
}

lmt_fixture *lmt_load_fixture_at(lm_session *s, const char *path, const char *file, int line)
{
    char *err = NULL;
    lmt_fixture *f = lmt_fixture_load(s, path, &err);
    if (f == NULL) {
        char buf[2048];
        snprintf(buf, sizeof buf, "[FIXTURE_ERROR] %s", err ? err : "out of memory");
        free(err);
        tk_fail(buf, file, line);
        return NULL;
    }
    if (!tk_own(TK_OWN_FIXTURE, f, s)) {
        lmt_fixture_free(f);
        tk_fail("[FIXTURE_ERROR] out of memory", file, line);
    }
    return f;
}
