/*
 * Loading a job file: YAML (libyaml's document API, which keeps mapping
 * order and every node's position) into the job model of job.h, checked
 * as it is read, so that a job that loads has the shape the runner needs:
 * known keys only (with a suggestion for a misspelt one), the right kind
 * of node under each key, known formats, modes and join types, names that
 * are identifiers and unique, variables that are defined.
 *
 * What cannot be known without a session (a view a SQL step creates, a
 * column, a file) is left to the run, which reports it at the same kind of
 * position. Every message starts "file:line:col: " and, inside a source,
 * step or sink, names it ("step \"clean\": ").
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "job/job_int.h"

typedef struct ld {
    job *j;
    const char *text; /* the file, for block indentation */
    size_t len;
    int nlines;
    size_t *line_start; /* byte offset of each line */
    yaml_document_t doc;
    char *err;       /* the first error, malloc'ed */
    char where[160]; /* "step \"clean\": " or "" */
} ld;

static void ld_fail(ld *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void ld_fail(ld *L, int line, int col, const char *fmt, ...)
{
    if (L->err)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, L->j->file);
    if (line > 0)
        lm_strbuf_printf(&sb, ":%d:%d", line, col);
    lm_strbuf_printf(&sb, ": %s%s", L->where, msg);
    L->err = lm_strbuf_detach(&sb);
    if (L->err == NULL)
        L->err = strdup("out of memory");
}

#define NLINE(n) ((int)(n)->start_mark.line + 1)
#define NCOL(n) ((int)(n)->start_mark.column + 1)

static void oom(ld *L)
{
    ld_fail(L, 0, 0, "out of memory");
}

static yaml_node_t *node(ld *L, int id)
{
    return yaml_document_get_node(&L->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

static const char *key_text(const yaml_node_t *k)
{
    return k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
}

/* YAML's null: plain null / Null / NULL / ~ or an empty plain scalar. */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)n->data.scalar.value;
    return *s == '\0' || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0 || strcmp(s, "~") == 0;
}

/* ---------------------------------------------------------- suggestions */

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    int d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = c < del ? (c < ins ? c : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* "unknown key `stpes` (did you mean `steps`?)", listing the keys when
   none is close. */
static void unknown_key(ld *L, const yaml_node_t *k, const char *what, const char *const *keys)
{
    const char *best = NULL;
    int bd = 3;
    for (int i = 0; keys[i]; i++) {
        int d = edit_distance(key_text(k), keys[i]);
        if (d < bd) {
            bd = d;
            best = keys[i];
        }
    }
    if (best) {
        ld_fail(L, NLINE(k), NCOL(k), "unknown key `%s` in %s (did you mean `%s`?)", key_text(k),
                what, best);
        return;
    }
    char list[512] = "";
    for (int i = 0; keys[i]; i++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s`%s`", i ? ", " : "", keys[i]);
    }
    ld_fail(L, NLINE(k), NCOL(k), "unknown key `%s` in %s (expected %s)", key_text(k), what, list);
}

static bool key_is_one_of(const char *k, const char *const *keys)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(k, keys[i]) == 0)
            return true;
    return false;
}

/* Fails on a key written twice in one mapping (YAML allows it, silently
   keeping one; in a job it is always a mistake). */
static bool check_duplicates(ld *L, const yaml_node_t *map)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++)
            if (strcmp(key_text(node(L, p->key)), key_text(node(L, q->key))) == 0) {
                yaml_node_t *k = node(L, p->key);
                ld_fail(L, NLINE(k), NCOL(k), "key `%s` given twice (first at line %d)",
                        key_text(k), NLINE(node(L, q->key)));
                return false;
            }
    return true;
}

/* ---------------------------------------------------------------- texts */

/* Where a block scalar's content starts: its indentation, found on the
   first non-blank line after the indicator line. */
static int block_indent(ld *L, int indicator_line0)
{
    for (int l = indicator_line0 + 1; l < L->nlines; l++) {
        const char *p = L->text + L->line_start[l];
        int n = 0;
        while (p[n] == ' ')
            n++;
        if (p[n] != '\n' && p[n] != '\r' && p[n] != '\0')
            return n;
    }
    return 0;
}

static int utf8_len(const char *s)
{
    int c = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            c++;
    return c;
}

/* Reads a scalar into t: raw text, position, substitution. */
static bool read_text(ld *L, const yaml_node_t *n, job_text *t, const char *what)
{
    memset(t, 0, sizeof *t);
    if (n->type != YAML_SCALAR_NODE) {
        ld_fail(L, NLINE(n), NCOL(n), "%s must be a scalar, found %s", what, kind_name(n));
        return false;
    }
    t->raw =
        lm_arena_strndup(&L->j->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
    if (t->raw == NULL) {
        oom(L);
        return false;
    }
    t->line = NLINE(n);
    t->col = NCOL(n);
    yaml_scalar_style_t style = n->data.scalar.style;
    if (style == YAML_LITERAL_SCALAR_STYLE) {
        t->block_indent = block_indent(L, (int)n->start_mark.line);
    } else if (n->start_mark.line == n->end_mark.line) {
        int quoted = style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1;
        int span = (int)(n->end_mark.column - n->start_mark.column) - 2 * quoted;
        if (span == utf8_len(t->raw))
            t->flat_col = t->col + quoted;
    }
    int bad;
    const char *name;
    if (!job_text_subst(&L->j->arena, t, L->j->vars, L->j->nvars, &bad, &name)) {
        if (bad < 0) {
            oom(L);
            return false;
        }
        int line, col;
        job_raw_locate(t, bad, &line, &col);
        if (*name)
            ld_fail(L, line, col,
                    "undefined variable ${%s}: give it with --var %s=VALUE or under `vars:`", name,
                    name);
        else
            ld_fail(L, line, col,
                    "malformed variable reference: write ${name} (or $${ for a "
                    "literal ${)");
        return false;
    }
    return true;
}

/* A scalar that must not be null or empty. */
static bool read_nonempty(ld *L, const yaml_node_t *n, job_text *t, const char *what)
{
    if (is_null(n)) {
        ld_fail(L, NLINE(n), NCOL(n), "%s must not be empty", what);
        return false;
    }
    if (!read_text(L, n, t, what))
        return false;
    if (t->s[strspn(t->s, " \t\r\n")] == '\0') {
        ld_fail(L, NLINE(n), NCOL(n), "%s must not be empty", what);
        return false;
    }
    return true;
}

/* A scalar or a list of scalars. */
static bool read_list(ld *L, const yaml_node_t *n, job_text **out, int *count, const char *what,
                      bool allow_empty)
{
    *out = NULL;
    *count = 0;
    if (n->type == YAML_SCALAR_NODE) {
        if (is_null(n) && allow_empty)
            return true;
        job_text *v = lm_arena_alloc(&L->j->arena, sizeof *v);
        if (v == NULL) {
            oom(L);
            return false;
        }
        if (!read_nonempty(L, n, v, what))
            return false;
        *out = v;
        *count = 1;
        return true;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        ld_fail(L, NLINE(n), NCOL(n), "%s must be a scalar or a list of scalars, found %s", what,
                kind_name(n));
        return false;
    }
    int k = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (k == 0 && !allow_empty) {
        ld_fail(L, NLINE(n), NCOL(n), "%s must not be an empty list", what);
        return false;
    }
    job_text *v = lm_arena_calloc(&L->j->arena, (size_t)k + 1, sizeof *v);
    if (v == NULL) {
        oom(L);
        return false;
    }
    for (int i = 0; i < k; i++)
        if (!read_nonempty(L, node(L, n->data.sequence.items.start[i]), &v[i], what))
            return false;
    *out = v;
    *count = k;
    return true;
}

/* A mapping of scalars to scalars (options, conf). */
static bool read_kvs(ld *L, const yaml_node_t *n, job_kv **out, int *count, const char *what)
{
    *out = NULL;
    *count = 0;
    if (is_null(n))
        return true;
    if (n->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(n), NCOL(n), "%s must be a mapping of names to values, found %s", what,
                kind_name(n));
        return false;
    }
    if (!check_duplicates(L, n))
        return false;
    int k = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    job_kv *v = lm_arena_calloc(&L->j->arena, (size_t)k + 1, sizeof *v);
    if (v == NULL) {
        oom(L);
        return false;
    }
    for (int i = 0; i < k; i++) {
        yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
        yaml_node_t *key = node(L, p->key), *val = node(L, p->value);
        if (key->type != YAML_SCALAR_NODE || key->data.scalar.length == 0) {
            ld_fail(L, NLINE(key), NCOL(key), "%s: a key must be a non-empty scalar", what);
            return false;
        }
        v[i].key = lm_arena_strdup(&L->j->arena, key_text(key));
        char w[200];
        snprintf(w, sizeof w, "%s `%s`", what, key_text(key));
        if (v[i].key == NULL || !read_text(L, val, &v[i].value, w))
            return v[i].key ? false : (oom(L), false);
        if (is_null(val))
            v[i].value.s = NULL; /* Spark's null option value: unset */
    }
    *out = v;
    *count = k;
    return true;
}

static const char *lower(ld *L, const char *s)
{
    char *c = lm_arena_strdup(&L->j->arena, s);
    for (char *p = c; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

/* ---------------------------------------------------------------- names */

/* Sources and steps share one namespace: each becomes a temp view. */
static bool claim_name(ld *L, const job_text *name, const char *kind)
{
    if (!job_is_identifier(name->s)) {
        ld_fail(L, name->line, name->col,
                "%s name `%s` must be an identifier (letters, digits and _, not starting with a "
                "digit): it becomes a view name",
                kind, name->s);
        return false;
    }
    job *j = L->j;
    for (int i = 0; i < j->nsources; i++)
        if (j->sources[i].name.s && &j->sources[i].name != name &&
            strcasecmp(j->sources[i].name.s, name->s) == 0) {
            ld_fail(L, name->line, name->col, "name `%s` is already used by the source at line %d",
                    name->s, j->sources[i].name.line);
            return false;
        }
    for (int i = 0; i < j->nsteps; i++)
        if (j->steps[i].name.s && &j->steps[i].name != name &&
            strcasecmp(j->steps[i].name.s, name->s) == 0) {
            ld_fail(L, name->line, name->col, "name `%s` is already used by the step at line %d",
                    name->s, j->steps[i].name.line);
            return false;
        }
    /* the views of random_split steps (`into:`), the current step's too */
    for (int i = 0; j->steps && i <= j->nsteps; i++) {
        const job_step *st = &j->steps[i];
        for (int k = 0; st->ml && k < st->ml->ninto; k++)
            if (st->ml->into[k].s && &st->ml->into[k] != name &&
                strcasecmp(st->ml->into[k].s, name->s) == 0) {
                ld_fail(L, name->line, name->col,
                        "name `%s` is already used by the random_split at line %d", name->s,
                        st->ml->line);
                return false;
            }
    }
    return true;
}

/* ------------------------------------------- helpers lent to job_ml.c */

void job_ld_fail(job_loader *L, int line, int col, const char *fmt, ...)
{
    if (L->err)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ld_fail(L, line, col, "%s", msg);
}

job *job_ld_job(job_loader *L)
{
    return L->j;
}

yaml_node_t *job_ld_node(job_loader *L, int id)
{
    return node(L, id);
}

const char *job_ld_kind_name(const yaml_node_t *n)
{
    return kind_name(n);
}

bool job_ld_is_null(const yaml_node_t *n)
{
    return is_null(n);
}

bool job_ld_text(job_loader *L, const yaml_node_t *n, job_text *t, const char *what)
{
    return read_nonempty(L, n, t, what);
}

bool job_ld_check_duplicates(job_loader *L, const yaml_node_t *map)
{
    return check_duplicates(L, map);
}

void job_ld_unknown(job_loader *L, const yaml_node_t *k, const char *noun, const char *what,
                    const char *const *names)
{
    const char *best = NULL;
    int bd = 3;
    for (int i = 0; names[i]; i++) {
        int d = edit_distance(key_text(k), names[i]);
        if (d < bd) {
            bd = d;
            best = names[i];
        }
    }
    if (best) {
        ld_fail(L, NLINE(k), NCOL(k), "unknown %s `%s` in %s (did you mean `%s`?)", noun,
                key_text(k), what, best);
        return;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; names[i]; i++)
        lm_strbuf_printf(&sb, "%s`%s`", i ? ", " : "", names[i]);
    ld_fail(L, NLINE(k), NCOL(k), "unknown %s `%s` in %s (expected %s)", noun, key_text(k), what,
            lm_strbuf_ok(&sb) ? lm_strbuf_cstr(&sb) : "");
    lm_strbuf_free(&sb);
}

bool job_ld_claim_name(job_loader *L, const job_text *name, const char *kind)
{
    return claim_name(L, name, kind);
}

/* -------------------------------------------------------------- sources */

static const char *const source_keys[] = {"name",   "format",      "path", "options",
                                          "schema", "description", NULL};
static const char *const source_formats[] = {"csv", "json", "text", "parquet", NULL};

static bool read_source(ld *L, const yaml_node_t *n, job_source *src, int index)
{
    snprintf(L->where, sizeof L->where, "source %d: ", index);
    if (n->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(n), NCOL(n),
                "a source must be a mapping (name, format, path, options, schema), found %s",
                kind_name(n));
        return false;
    }
    if (!check_duplicates(L, n))
        return false;
    src->line = NLINE(n);
    src->col = NCOL(n);
    const yaml_node_t *name = NULL, *format = NULL, *path = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        if (strcmp(key_text(node(L, p->key)), "name") == 0)
            name = node(L, p->value);
    if (name == NULL) {
        ld_fail(L, src->line, src->col, "a source needs a `name` (the view it becomes)");
        return false;
    }
    if (!read_nonempty(L, name, &src->name, "`name`") || !claim_name(L, &src->name, "source"))
        return false;
    snprintf(L->where, sizeof L->where, "source \"%s\": ", src->name.s);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = key_text(k);
        if (strcmp(key, "format") == 0) {
            format = v;
            if (!read_nonempty(L, v, &src->format, "`format`"))
                return false;
            src->format.s = (char *)lower(L, src->format.s);
            if (!key_is_one_of(src->format.s, source_formats)) {
                ld_fail(L, NLINE(v), NCOL(v),
                        "unsupported format `%s` (localmode reads csv, json, text and parquet)",
                        src->format.s);
                return false;
            }
        } else if (strcmp(key, "path") == 0) {
            path = v;
            if (!read_list(L, v, &src->paths, &src->npaths, "`path`", false))
                return false;
        } else if (strcmp(key, "options") == 0) {
            if (!read_kvs(L, v, &src->options, &src->noptions, "option"))
                return false;
        } else if (strcmp(key, "schema") == 0) {
            if (!read_nonempty(L, v, &src->schema, "`schema`"))
                return false;
        } else if (!key_is_one_of(key, source_keys)) {
            unknown_key(L, k, "a source", source_keys);
            return false;
        }
    }
    if (format == NULL) {
        ld_fail(L, src->line, src->col, "a source needs a `format` (csv, json, text or parquet)");
        return false;
    }
    bool option_path = false;
    for (int i = 0; i < src->noptions; i++)
        option_path |= strcasecmp(src->options[i].key, "path") == 0;
    if (path == NULL && !option_path) {
        ld_fail(L, src->line, src->col, "a source needs a `path` (a file, a folder or a glob)");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- steps */

static const char *const step_keys[] = {
    "name",      "from",     "sql",          "cache",       "description", "filter", "where",
    "select",    "dedupe",   "join",         "aggregate",   "order_by",    "limit",  "fit",
    "transform", "evaluate", "random_split", "randomSplit", NULL};
static const char *const join_keys[] = {"with", "on", "using", "how", "as", NULL};
static const char *const agg_keys[] = {"group_by", "agg", NULL};

static bool read_join(ld *L, const yaml_node_t *v, job_op *op)
{
    if (v->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(v), NCOL(v),
                "`join` must be a mapping {with: VIEW, on: CONDITION | using: [COLUMNS], how: "
                "TYPE}, found %s",
                kind_name(v));
        return false;
    }
    if (!check_duplicates(L, v))
        return false;
    const yaml_node_t *with = NULL, *how = NULL, *on = NULL, *using = NULL;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *x = node(L, p->value);
        const char *key = key_text(k);
        bool ok = true;
        if (strcmp(key, "with") == 0)
            ok = read_nonempty(L, (with = x), &op->with, "`join.with`");
        else if (strcmp(key, "on") == 0)
            ok = read_nonempty(L, (on = x), &op->on, "`join.on`");
        else if (strcmp(key, "using") == 0)
            ok = read_list(L, (using = x), &op->using_cols, &op->nusing, "`join.using`", false);
        else if (strcmp(key, "how") == 0)
            ok = read_nonempty(L, (how = x), &op->how, "`join.how`");
        else if (strcmp(key, "as") == 0)
            ok = read_nonempty(L, x, &op->alias, "`join.as`");
        else {
            unknown_key(L, k, "a join", join_keys);
            return false;
        }
        if (!ok)
            return false;
    }
    if (with == NULL) {
        ld_fail(L, NLINE(v), NCOL(v), "a join needs `with` (the view to join)");
        return false;
    }
    if (how && job_join_sql(op->how.s) == NULL) {
        ld_fail(L, NLINE(how), NCOL(how),
                "Unsupported join type '%s'. Supported join types include: 'inner', 'outer', "
                "'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', "
                "'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', "
                "'leftanti', 'left_anti', 'anti', 'cross'.",
                op->how.s);
        return false;
    }
    bool cross = how && strcmp(job_join_sql(op->how.s), "CROSS") == 0;
    if (on && using) {
        ld_fail(L, NLINE(using), NCOL(using), "a join has `on` or `using`, not both");
        return false;
    }
    if (!on && !using && !cross) {
        ld_fail(L, NLINE(v), NCOL(v),
                "a join needs `on` (a condition) or `using` (column names), or `how: cross`");
        return false;
    }
    if (cross && (on || using)) {
        ld_fail(L, NLINE(how), NCOL(how), "a cross join takes no `on` or `using`");
        return false;
    }
    for (int i = 0; i < op->nusing; i++)
        if (!job_is_identifier(op->using_cols[i].s)) {
            ld_fail(L, op->using_cols[i].line, op->using_cols[i].col,
                    "`using` takes column names, got `%s`", op->using_cols[i].s);
            return false;
        }
    return true;
}

static bool read_aggregate(ld *L, const yaml_node_t *v, job_op *op)
{
    if (v->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(v), NCOL(v),
                "`aggregate` must be a mapping {group_by: [EXPRESSIONS], agg: [AGGREGATES]}, "
                "found %s",
                kind_name(v));
        return false;
    }
    if (!check_duplicates(L, v))
        return false;
    bool has_agg = false;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *x = node(L, p->value);
        const char *key = key_text(k);
        if (strcmp(key, "group_by") == 0) {
            if (!read_list(L, x, &op->keys, &op->nkeys, "`aggregate.group_by`", true))
                return false;
        } else if (strcmp(key, "agg") == 0) {
            has_agg = true;
            if (!read_list(L, x, &op->items, &op->nitems, "`aggregate.agg`", false))
                return false;
        } else {
            unknown_key(L, k, "an aggregate", agg_keys);
            return false;
        }
    }
    if (!has_agg) {
        ld_fail(L, NLINE(v), NCOL(v), "an aggregate needs `agg` (aggregate expressions)");
        return false;
    }
    return true;
}

static bool read_op(ld *L, const yaml_node_t *k, const yaml_node_t *v, job_op *op)
{
    const char *key = key_text(k);
    op->key = lm_arena_strdup(&L->j->arena, key);
    op->line = NLINE(k);
    op->col = NCOL(k);
    char what[64];
    snprintf(what, sizeof what, "`%s`", key);
    if (strcmp(key, "filter") == 0 || strcmp(key, "where") == 0) {
        op->kind = JOB_OP_FILTER;
        op->items = lm_arena_calloc(&L->j->arena, 1, sizeof *op->items);
        op->nitems = 1;
        return op->items ? read_nonempty(L, v, op->items, what) : (oom(L), false);
    }
    if (strcmp(key, "select") == 0) {
        op->kind = JOB_OP_SELECT;
        return read_list(L, v, &op->items, &op->nitems, what, false);
    }
    if (strcmp(key, "order_by") == 0) {
        op->kind = JOB_OP_ORDER_BY;
        return read_list(L, v, &op->items, &op->nitems, what, false);
    }
    if (strcmp(key, "dedupe") == 0) {
        op->kind = JOB_OP_DEDUPE;
        /* `dedupe: true` (or []) compares whole rows */
        if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            strcmp((const char *)v->data.scalar.value, "true") == 0)
            return true;
        return read_list(L, v, &op->items, &op->nitems, what, true);
    }
    if (strcmp(key, "join") == 0) {
        op->kind = JOB_OP_JOIN;
        return read_join(L, v, op);
    }
    if (strcmp(key, "aggregate") == 0) {
        op->kind = JOB_OP_AGGREGATE;
        return read_aggregate(L, v, op);
    }
    /* limit */
    op->kind = JOB_OP_LIMIT;
    job_text t;
    if (!read_nonempty(L, v, &t, what))
        return false;
    char *end;
    errno = 0;
    long long n = strtoll(t.s, &end, 10);
    if (*end != '\0' || errno || n < 0 || n > INT32_MAX) {
        ld_fail(L, t.line, t.col, "`limit` must be a number of rows (0 to 2147483647), got `%s`",
                t.s);
        return false;
    }
    op->limit = n;
    return true;
}

static bool read_bool(ld *L, const yaml_node_t *v, bool *out, const char *what)
{
    const char *s = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
        *out = false;
        return true;
    }
    ld_fail(L, NLINE(v), NCOL(v), "%s must be true or false", what);
    return false;
}

static bool read_step(ld *L, const yaml_node_t *n, job_step *st, int index)
{
    snprintf(L->where, sizeof L->where, "step %d: ", index);
    st->index = index;
    if (n->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(n), NCOL(n),
                "a step must be a mapping (name, from, and sql or ops such as filter, select, "
                "join), found %s",
                kind_name(n));
        return false;
    }
    if (!check_duplicates(L, n))
        return false;
    st->line = NLINE(n);
    st->col = NCOL(n);
    job *j = L->j;
    /* the name first, so that every later message names the step */
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        if (strcmp(key_text(node(L, p->key)), "name") == 0) {
            if (!read_nonempty(L, node(L, p->value), &st->name, "`name`") ||
                !claim_name(L, &st->name, "step"))
                return false;
            snprintf(L->where, sizeof L->where, "step \"%s\": ", st->name.s);
        }
    int total = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    st->ops = lm_arena_calloc(&j->arena, (size_t)total + 1, sizeof *st->ops);
    if (st->ops == NULL) {
        oom(L);
        return false;
    }
    const yaml_node_t *sql_key = NULL, *first_op = NULL, *ml_key = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = key_text(k);
        bool ok = true;
        if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0)
            continue;
        if (strcmp(key, "from") == 0)
            ok = read_nonempty(L, v, &st->from, "`from`");
        else if (strcmp(key, "sql") == 0) {
            sql_key = k;
            ok = read_nonempty(L, v, &st->sql, "`sql`");
        } else if (strcmp(key, "cache") == 0)
            ok = read_bool(L, v, &st->cache, "`cache`");
        else if (key_is_one_of(key, job_ml_keys)) {
            if (ml_key) {
                ld_fail(L, NLINE(k), NCOL(k),
                        "a step has one MLlib key (`%s` is already given): split it in two steps",
                        key_text(ml_key));
                return false;
            }
            ml_key = k;
            ok = job_ml_read(L, k, v, st);
        } else if (key_is_one_of(key, step_keys)) {
            if (first_op == NULL)
                first_op = k;
            ok = read_op(L, k, v, &st->ops[st->nops++]);
        } else {
            unknown_key(L, k, "a step", step_keys);
            return false;
        }
        if (!ok)
            return false;
    }
    if (sql_key && first_op) {
        ld_fail(L, NLINE(first_op), NCOL(first_op),
                "a step has `sql` or DataFrame ops (`%s` ...), not both: split it in two steps",
                key_text(first_op));
        return false;
    }
    if (sql_key && st->from.s) {
        ld_fail(L, st->from.line, st->from.col,
                "a `sql` step names its tables in the SQL; `from` is for DataFrame ops");
        return false;
    }
    if (ml_key && (sql_key || first_op)) {
        const yaml_node_t *other = sql_key ? sql_key : first_op;
        ld_fail(L, NLINE(other), NCOL(other),
                "a step has `%s` or `%s`, not both: split it in two steps", key_text(ml_key),
                key_text(other));
        return false;
    }
    if (!sql_key && !first_op && !ml_key) {
        ld_fail(L, st->line, st->col,
                "a step needs `sql`, at least one op (filter, select, dedupe, join, aggregate, "
                "order_by, limit) or an MLlib key (random_split, fit, transform, evaluate)");
        return false;
    }
    if (st->name.s)
        st->view = st->name.s;
    else
        st->view = lm_arena_printf(&j->arena, "step%d", index);
    /* the rows an op step starts from */
    if (st->sql.s == NULL) {
        if (st->from.s)
            st->input = st->from.s;
        else if (index > 1 && !job_step_has_view(&j->steps[index - 2])) {
            ld_fail(L, st->line, st->col,
                    "the step before is a `%s` step (%s): say which view to read with `from:`",
                    j->steps[index - 2].ml->key,
                    j->steps[index - 2].ml->kind == JOB_ML_FIT ? "a model, not a view"
                                                               : "several views");
            return false;
        } else if (index > 1)
            st->input = j->steps[index - 2].view;
        else if (j->nsources == 1)
            st->input = j->sources[0].name.s;
        else {
            ld_fail(L, st->line, st->col,
                    "the first step reads no previous step and the job has %d sources: say "
                    "which with `from:`",
                    j->nsources);
            return false;
        }
    }
    if (st->view == NULL)
        return oom(L), false;
    return st->ml == NULL || job_ml_check(L, st);
}

/* ---------------------------------------------------------------- sinks */

static const char *const sink_keys[] = {
    "name",         "from",        "format",  "path",        "mode",
    "partition_by", "partitionBy", "options", "description", NULL};
static const char *const sink_formats[] = {"csv", "json", "text", "parquet", "console", NULL};
static const char *const sink_modes[] = {"error",  "errorifexists", "overwrite", "append",
                                         "ignore", "default",       NULL};

static bool read_sink(ld *L, const yaml_node_t *n, job_sink *k, int index)
{
    job *j = L->j;
    snprintf(L->where, sizeof L->where, "sink %d: ", index);
    k->label = lm_arena_printf(&j->arena, "%d", index);
    if (n->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(n), NCOL(n),
                "a sink must be a mapping (from, format, path, mode, partition_by, options), "
                "found %s",
                kind_name(n));
        return false;
    }
    if (!check_duplicates(L, n))
        return false;
    k->line = NLINE(n);
    k->col = NCOL(n);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        if (strcmp(key_text(node(L, p->key)), "name") == 0) {
            job_text t;
            if (!read_nonempty(L, node(L, p->value), &t, "`name`"))
                return false;
            k->label = t.s;
            snprintf(L->where, sizeof L->where, "sink \"%s\": ", t.s);
        }
    const yaml_node_t *format = NULL, *path = NULL, *pby = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node(L, p->key), *v = node(L, p->value);
        const char *s = key_text(key);
        bool ok = true;
        if (strcmp(s, "name") == 0 || strcmp(s, "description") == 0)
            continue;
        if (strcmp(s, "from") == 0) {
            ok = read_nonempty(L, v, &k->from, "`from`");
        } else if (strcmp(s, "format") == 0) {
            format = v;
            if ((ok = read_nonempty(L, v, &k->format, "`format`"))) {
                k->format.s = (char *)lower(L, k->format.s);
                if (!key_is_one_of(k->format.s, sink_formats)) {
                    ld_fail(L, NLINE(v), NCOL(v),
                            "unsupported format `%s` (localmode writes csv, json, text and "
                            "parquet, and console prints)",
                            k->format.s);
                    return false;
                }
            }
        } else if (strcmp(s, "path") == 0) {
            path = v;
            ok = read_nonempty(L, v, &k->path, "`path`");
        } else if (strcmp(s, "mode") == 0) {
            if ((ok = read_nonempty(L, v, &k->mode, "`mode`"))) {
                k->mode.s = (char *)lower(L, k->mode.s);
                if (!key_is_one_of(k->mode.s, sink_modes)) {
                    ld_fail(L, NLINE(v), NCOL(v),
                            "Unknown save mode: %s. Accepted save modes are 'overwrite', "
                            "'append', 'ignore', 'error', 'errorifexists', 'default'.",
                            k->mode.s);
                    return false;
                }
            }
        } else if (strcmp(s, "partition_by") == 0 || strcmp(s, "partitionBy") == 0) {
            if (pby) {
                ld_fail(L, NLINE(key), NCOL(key), "give `partition_by` once");
                return false;
            }
            pby = v;
            ok = read_list(L, v, &k->partition_by, &k->npartition_by, "`partition_by`", true);
        } else if (strcmp(s, "options") == 0) {
            ok = read_kvs(L, v, &k->options, &k->noptions, "option");
        } else {
            unknown_key(L, key, "a sink", sink_keys);
            return false;
        }
        if (!ok)
            return false;
    }
    if (format == NULL) {
        ld_fail(L, k->line, k->col,
                "a sink needs a `format` (csv, json, text, parquet, or console to print)");
        return false;
    }
    bool console = strcmp(k->format.s, "console") == 0;
    if (path == NULL && !console) {
        ld_fail(L, k->line, k->col, "a sink needs a `path` (the folder to write)");
        return false;
    }
    if (console && (path || pby)) {
        const yaml_node_t *at = path ? path : pby;
        ld_fail(L, NLINE(at), NCOL(at), "a console sink prints; it takes no %s",
                path ? "`path`" : "`partition_by`");
        return false;
    }
    if (k->from.s)
        k->input = k->from.s;
    else if (j->nsteps > 0 && !job_step_has_view(&j->steps[j->nsteps - 1])) {
        ld_fail(L, k->line, k->col,
                "the last step is a `%s` step (%s): say which view the sink writes with `from:`",
                j->steps[j->nsteps - 1].ml->key,
                j->steps[j->nsteps - 1].ml->kind == JOB_ML_FIT ? "a model, not a view"
                                                               : "several views");
        return false;
    } else if (j->nsteps > 0)
        k->input = j->steps[j->nsteps - 1].view;
    else if (j->nsources == 1)
        k->input = j->sources[0].name.s;
    else {
        ld_fail(L, k->line, k->col, "say which view the sink writes with `from:`");
        return false;
    }
    return true;
}

/* ----------------------------------------------------------------- vars */

/*
 * Variables: built-ins (job_dir, job_file), then the job's `vars:`
 * defaults, then the --var overrides. Lookups search from the end, so an
 * override wins, and a default may use the built-ins, the overrides and
 * the defaults above it.
 */
static bool read_vars(ld *L, const yaml_node_t *map, const char *const *over, int nover)
{
    job *j = L->j;
    int ndef = map ? (int)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) : 0;
    int cap = 2 + ndef + nover;
    j->vars = lm_arena_calloc(&j->arena, (size_t)cap + 1, sizeof *j->vars);
    if (j->vars == NULL) {
        oom(L);
        return false;
    }
    j->vars[0].key = "job_dir";
    j->vars[0].value.s = (char *)j->dir;
    j->vars[1].key = "job_file";
    j->vars[1].value.s = (char *)j->file;
    /* overrides go at the end of the array right away */
    for (int i = 0; i < nover; i++) {
        const char *eq = strchr(over[i], '=');
        job_kv *kv = &j->vars[2 + ndef + i];
        kv->key = lm_arena_strndup(&j->arena, over[i], eq ? (size_t)(eq - over[i]) : 0);
        kv->value.s = lm_arena_strdup(&j->arena, eq ? eq + 1 : "");
        if (kv->key == NULL || kv->value.s == NULL) {
            oom(L);
            return false;
        }
    }
    j->nvars = cap;
    if (map == NULL)
        return true;
    if (map->type != YAML_MAPPING_NODE && !is_null(map)) {
        ld_fail(L, NLINE(map), NCOL(map), "`vars` must be a mapping of names to values, found %s",
                kind_name(map));
        return false;
    }
    if (!check_duplicates(L, map))
        return false;
    for (int i = 0; i < ndef; i++) {
        yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        job_kv *kv = &j->vars[2 + i];
        kv->key = lm_arena_strdup(&j->arena, key_text(k));
        if (kv->key == NULL) {
            oom(L);
            return false;
        }
        bool overridden = false;
        for (int o = 0; o < nover; o++)
            overridden |= strcmp(j->vars[2 + ndef + o].key, kv->key) == 0;
        if (overridden)
            continue;
        if (is_null(v)) {
            ld_fail(L, NLINE(v), NCOL(v), "variable `%s` has no value: give one, or --var %s=VALUE",
                    kv->key, kv->key);
            return false;
        }
        char what[160];
        snprintf(what, sizeof what, "variable `%s`", kv->key);
        if (!read_text(L, v, &kv->value, what))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- entry */

static const char *const top_keys[] = {"name",    "description", "vars",  "conf",
                                       "sources", "steps",       "sinks", NULL};

static bool index_lines(ld *L)
{
    int n = 1;
    for (size_t i = 0; i < L->len; i++)
        n += L->text[i] == '\n';
    L->line_start = malloc(sizeof *L->line_start * (size_t)(n + 1));
    if (L->line_start == NULL)
        return false;
    L->nlines = 0;
    L->line_start[L->nlines++] = 0;
    for (size_t i = 0; i < L->len; i++)
        if (L->text[i] == '\n')
            L->line_start[L->nlines++] = i + 1;
    return true;
}

static const yaml_node_t *top_get(ld *L, const yaml_node_t *root, const char *key)
{
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++)
        if (strcmp(key_text(node(L, p->key)), key) == 0)
            return node(L, p->value);
    return NULL;
}

static int seq_len(const yaml_node_t *n)
{
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* A list under a top-level key; false (after a message) when it is not. */
static bool top_list(ld *L, const yaml_node_t *n, const char *key, const char *example)
{
    if (n->type == YAML_SEQUENCE_NODE)
        return true;
    ld_fail(L, NLINE(n), NCOL(n), "`%s` must be a list (%s), found %s", key, example, kind_name(n));
    return false;
}

static bool read_job(ld *L, const char *const *over, int nover)
{
    job *j = L->j;
    yaml_node_t *root = yaml_document_get_root_node(&L->doc);
    if (root == NULL || is_null(root)) {
        ld_fail(L, 0, 0, "the job file is empty (a job has sources, steps and sinks)");
        return false;
    }
    if (root->type != YAML_MAPPING_NODE) {
        ld_fail(L, NLINE(root), NCOL(root),
                "a job is a mapping with `sources`, `steps` and `sinks`, found %s",
                kind_name(root));
        return false;
    }
    if (!check_duplicates(L, root))
        return false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++)
        if (!key_is_one_of(key_text(node(L, p->key)), top_keys)) {
            unknown_key(L, node(L, p->key), "a job", top_keys);
            return false;
        }
    if (!read_vars(L, top_get(L, root, "vars"), over, nover))
        return false;
    const yaml_node_t *n;
    if ((n = top_get(L, root, "name")) != NULL) {
        job_text t;
        if (!read_nonempty(L, n, &t, "`name`"))
            return false;
        j->name = t.s;
    }
    if ((n = top_get(L, root, "conf")) != NULL && !read_kvs(L, n, &j->conf, &j->nconf, "conf"))
        return false;
    const yaml_node_t *sources = top_get(L, root, "sources");
    const yaml_node_t *steps = top_get(L, root, "steps");
    const yaml_node_t *sinks = top_get(L, root, "sinks");
    if (sources && !is_null(sources)) {
        if (!top_list(L, sources, "sources", "- {name: orders, format: csv, path: orders.csv}"))
            return false;
        j->sources = lm_arena_calloc(&j->arena, (size_t)seq_len(sources) + 1, sizeof *j->sources);
        if (j->sources == NULL)
            return oom(L), false;
        for (int i = 0; i < seq_len(sources); i++) {
            if (!read_source(L, node(L, sources->data.sequence.items.start[i]),
                             &j->sources[j->nsources], i + 1))
                return false;
            j->nsources++;
        }
    }
    if (steps && !is_null(steps)) {
        if (!top_list(L, steps, "steps", "- {name: clean, sql: SELECT ...}"))
            return false;
        j->steps = lm_arena_calloc(&j->arena, (size_t)seq_len(steps) + 1, sizeof *j->steps);
        if (j->steps == NULL)
            return oom(L), false;
        for (int i = 0; i < seq_len(steps); i++) {
            if (!read_step(L, node(L, steps->data.sequence.items.start[i]), &j->steps[j->nsteps],
                           i + 1))
                return false;
            j->nsteps++;
        }
    }
    if (sinks && !is_null(sinks)) {
        if (!top_list(L, sinks, "sinks", "- {from: clean, format: parquet, path: out}"))
            return false;
        j->sinks = lm_arena_calloc(&j->arena, (size_t)seq_len(sinks) + 1, sizeof *j->sinks);
        if (j->sinks == NULL)
            return oom(L), false;
        for (int i = 0; i < seq_len(sinks); i++) {
            if (!read_sink(L, node(L, sinks->data.sequence.items.start[i]), &j->sinks[j->nsinks],
                           i + 1))
                return false;
            j->nsinks++;
        }
    }
    L->where[0] = '\0';
    if (j->nsources + j->nsteps == 0) {
        ld_fail(L, NLINE(root), NCOL(root), "the job has no sources and no steps: nothing to run");
        return false;
    }
    return true;
}

static bool valid_override(const char *kv, char **err)
{
    const char *eq = strchr(kv, '=');
    bool ok = eq && eq > kv;
    for (const char *p = kv; ok && p < eq; p++)
        ok = isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '-';
    if (!ok) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "--var expects NAME=VALUE (NAME of letters, digits, _ . -), got '%s'",
                         kv);
        *err = lm_strbuf_detach(&sb);
    }
    return ok;
}

static char *dir_of(lm_arena *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    if (slash == NULL)
        return lm_arena_strdup(a, ".");
    if (slash == file)
        return lm_arena_strdup(a, "/");
    return lm_arena_strndup(a, file, (size_t)(slash - file));
}

static char *base_name(lm_arena *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    const char *b = slash ? slash + 1 : file;
    const char *dot = strrchr(b, '.');
    return lm_arena_strndup(a, b, dot && dot > b ? (size_t)(dot - b) : strlen(b));
}

job *job_load_string(const char *text, const char *file, const char *const *vars, int nvars,
                     char **err)
{
    *err = NULL;
    for (int i = 0; i < nvars; i++)
        if (!valid_override(vars[i], err))
            return NULL;
    job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        *err = strdup("out of memory");
        return NULL;
    }
    lm_arena_init(&j->arena, 16 * 1024);
    j->file = lm_arena_strdup(&j->arena, file ? file : "<job>");
    j->dir = j->file ? dir_of(&j->arena, j->file) : NULL;
    j->name = j->file ? base_name(&j->arena, j->file) : NULL;
    ld L;
    memset(&L, 0, sizeof L);
    L.j = j;
    L.text = text;
    L.len = strlen(text);
    if (j->dir == NULL || j->name == NULL || !index_lines(&L)) {
        *err = strdup("out of memory");
        job_free(j);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(L.line_start);
        *err = strdup("out of memory");
        job_free(j);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, L.len);
    if (!yaml_parser_load(&parser, &L.doc)) {
        ld_fail(&L, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
                "YAML error: %s%s%s", parser.problem ? parser.problem : "unreadable",
                parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
    } else {
        yaml_parser_delete(&parser);
        read_job(&L, vars, nvars);
        yaml_document_delete(&L.doc);
    }
    free(L.line_start);
    if (L.err) {
        *err = L.err;
        job_free(j);
        return NULL;
    }
    return j;
}

job *job_load_file(const char *path, const char *const *vars, int nvars, char **err)
{
    *err = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s: cannot read the job file: %s", path, strerror(errno));
        *err = lm_strbuf_detach(&sb);
        return NULL;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        lm_strbuf_append(&sb, buf, got);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || !lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s: cannot read the job file", path);
        *err = lm_strbuf_detach(&sb);
        return NULL;
    }
    job *j = job_load_string(lm_strbuf_cstr(&sb), path, vars, nvars, err);
    lm_strbuf_free(&sb);
    return j;
}

void job_free(job *j)
{
    if (j == NULL)
        return;
    lm_arena_free(&j->arena);
    free(j);
}
