/*
 * Loading declarative test files (format in test_file.h and docs/cli.md).
 * Everything is checked while loading, so that a typo in a key or a
 * missing expectation is reported with its line and column instead of
 * passing silently: a test file that cannot be loaded counts as one
 * failing test.
 *
 * Rows written inline (a file's `tables:`, a case's expected `rows:`) are
 * read by the testkit's fixture loader, the same code that reads fixture
 * files, from a copy of the test file in which every other line is
 * blanked: YAML positions survive, so the testkit's messages name the
 * test file's own lines and columns.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cli/test_file.h"
#include "common/strbuf.h"

typedef struct tl {
    tf_file *f;
    yaml_document_t doc;
} tl;

#define NLINE(n) ((int)(n)->start_mark.line + 1)
#define NCOL(n) ((int)(n)->start_mark.column + 1)

static void tl_fail(tl *L, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void tl_fail(tl *L, const yaml_node_t *n, const char *fmt, ...)
{
    if (L->f->error)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, L->f->path);
    if (n)
        lm_strbuf_printf(&sb, ":%d:%d", NLINE(n), NCOL(n));
    lm_strbuf_printf(&sb, ": %s", msg);
    L->f->error = lm_strbuf_detach(&sb);
}

static yaml_node_t *node(tl *L, int id)
{
    return yaml_document_get_node(&L->doc, id);
}

static const char *text_of(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

static const char *kind_name(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE     ? "a scalar"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
           : n->type == YAML_MAPPING_NODE  ? "a mapping"
                                           : "nothing";
}

static bool bad_key(tl *L, const yaml_node_t *k, const char *where, const char *const *keys)
{
    char list[512] = "";
    for (int i = 0; keys[i]; i++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s`%s`", i ? ", " : "", keys[i]);
    }
    tl_fail(L, k, "unknown key `%s` in %s (expected %s)", text_of(k), where, list);
    return false;
}

static bool want(tl *L, const yaml_node_t *n, yaml_node_type_t t, const char *what)
{
    if (n->type == t)
        return true;
    tl_fail(L, n, "%s must be %s, found %s", what,
            t == YAML_SCALAR_NODE    ? "a scalar"
            : t == YAML_MAPPING_NODE ? "a mapping"
                                     : "a list",
            kind_name(n));
    return false;
}

static const char *scalar(tl *L, const yaml_node_t *n, const char *what)
{
    if (!want(L, n, YAML_SCALAR_NODE, what))
        return NULL;
    return lm_arena_strdup(&L->f->arena, text_of(n));
}

static bool boolean(tl *L, const yaml_node_t *n, const char *what, bool *out)
{
    const char *s = text_of(n);
    if (n->type == YAML_SCALAR_NODE && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        *out = s[0] == 't';
        return true;
    }
    tl_fail(L, n, "%s must be true or false", what);
    return false;
}

static bool number(tl *L, const yaml_node_t *n, const char *what, double *out)
{
    char *end;
    errno = 0;
    double v = n->type == YAML_SCALAR_NODE ? strtod(text_of(n), &end) : 0;
    if (n->type != YAML_SCALAR_NODE || *text_of(n) == '\0' || *end || errno) {
        tl_fail(L, n, "%s must be a number", what);
        return false;
    }
    *out = v;
    return true;
}

/* A path relative to the test file's folder. */
static const char *resolve(tl *L, const char *p)
{
    if (p[0] == '/')
        return p;
    const char *slash = strrchr(L->f->path, '/');
    if (slash == NULL)
        return p;
    return lm_arena_printf(&L->f->arena, "%.*s/%s", (int)(slash - L->f->path), L->f->path, p);
}

static bool kvs(tl *L, const yaml_node_t *n, const char *what, tf_kv **out, int *count)
{
    if (!want(L, n, YAML_MAPPING_NODE, what))
        return false;
    int k = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    *out = lm_arena_calloc(&L->f->arena, (size_t)k + 1, sizeof **out);
    *count = k;
    for (int i = 0; i < k; i++) {
        yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
        (*out)[i].key = scalar(L, node(L, p->key), what);
        (*out)[i].value = scalar(L, node(L, p->value), what);
        if ((*out)[i].key == NULL || (*out)[i].value == NULL)
            return false;
    }
    return true;
}

static const char *const option_keys[] = {"check_row_order",
                                          "ignore_column_order",
                                          "ignore_nullable",
                                          "ignore_metadata",
                                          "ignore_column_names",
                                          "ignore_column_types",
                                          "ignore_columns",
                                          "rtol",
                                          "atol",
                                          "max_errors",
                                          "show_only_diff",
                                          NULL};

/* Comparison options, named as lmt_df_opts' fields. */
static bool read_options(tl *L, const yaml_node_t *n, lmt_df_opts *o)
{
    if (!want(L, n, YAML_MAPPING_NODE, "`options`"))
        return false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = text_of(k);
        bool ok = true;
        double d = 0;
        if (strcmp(key, "check_row_order") == 0)
            ok = boolean(L, v, key, &o->check_row_order);
        else if (strcmp(key, "ignore_column_order") == 0)
            ok = boolean(L, v, key, &o->ignore_column_order);
        else if (strcmp(key, "ignore_nullable") == 0)
            ok = boolean(L, v, key, &o->ignore_nullable);
        else if (strcmp(key, "ignore_metadata") == 0)
            ok = boolean(L, v, key, &o->ignore_metadata);
        else if (strcmp(key, "ignore_column_names") == 0)
            ok = boolean(L, v, key, &o->ignore_column_names);
        else if (strcmp(key, "ignore_column_types") == 0)
            ok = boolean(L, v, key, &o->ignore_column_types);
        else if (strcmp(key, "show_only_diff") == 0)
            ok = boolean(L, v, key, &o->show_only_diff);
        else if (strcmp(key, "rtol") == 0)
            ok = number(L, v, key, &o->rtol);
        else if (strcmp(key, "atol") == 0)
            ok = number(L, v, key, &o->atol);
        else if (strcmp(key, "max_errors") == 0) {
            ok = number(L, v, key, &d);
            o->max_errors = (int)d;
        } else if (strcmp(key, "ignore_columns") == 0) {
            int m = v->type == YAML_SEQUENCE_NODE
                        ? (int)(v->data.sequence.items.top - v->data.sequence.items.start)
                        : 1;
            const char **cols = lm_arena_calloc(&L->f->arena, (size_t)m + 1, sizeof *cols);
            for (int i = 0; i < m && ok; i++) {
                const yaml_node_t *c =
                    v->type == YAML_SEQUENCE_NODE ? node(L, v->data.sequence.items.start[i]) : v;
                ok = (cols[i] = scalar(L, c, "`ignore_columns`")) != NULL;
            }
            o->ignore_columns = (const char *const *)cols;
        } else
            return bad_key(L, k, "`options`", option_keys);
        if (!ok)
            return false;
    }
    return true;
}

static const char *const expect_keys[] = {"error", "message", "schema", "rows", "values",
                                          "table", "sql",     "count",  NULL};

static bool read_expect(tl *L, const yaml_node_t *n, tf_case *c)
{
    if (!want(L, n, YAML_MAPPING_NODE, "`expect`"))
        return false;
    int got = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = text_of(k);
        bool ok = true;
        got++;
        if (strcmp(key, "error") == 0)
            ok = (c->error = scalar(L, v, "`expect.error`")) != NULL;
        else if (strcmp(key, "message") == 0)
            ok = (c->message = scalar(L, v, "`expect.message`")) != NULL;
        else if (strcmp(key, "schema") == 0)
            ok = (c->schema = scalar(L, v, "`expect.schema`")) != NULL;
        else if (strcmp(key, "values") == 0)
            ok = (c->values = scalar(L, v, "`expect.values`")) != NULL;
        else if (strcmp(key, "table") == 0)
            ok = (c->table = scalar(L, v, "`expect.table`")) != NULL;
        else if (strcmp(key, "sql") == 0)
            ok = (c->expect_sql = scalar(L, v, "`expect.sql`")) != NULL;
        else if (strcmp(key, "count") == 0) {
            double d = 0;
            ok = number(L, v, "`expect.count`", &d);
            c->count = (int64_t)d;
        } else if (strcmp(key, "rows") == 0) {
            if (v->type != YAML_SEQUENCE_NODE) {
                tl_fail(L, v, "`expect.rows` must be a list of rows, found %s", kind_name(v));
                return false;
            }
            c->has_rows = true;
            c->rows_key_line = (int)k->start_mark.line;
            c->rows_key_col = (int)k->start_mark.column;
            c->rows_end_line = (int)v->end_mark.line;
            c->rows_end_col = (int)v->end_mark.column;
        } else
            return bad_key(L, k, "`expect`", expect_keys);
        if (!ok)
            return false;
    }
    if (c->message && !c->error) {
        tl_fail(L, n, "`expect.message` goes with `expect.error`");
        return false;
    }
    if (c->error && got > (c->message ? 2 : 1)) {
        tl_fail(L, n, "a test expecting an error expects nothing else");
        return false;
    }
    int sources = c->has_rows + (c->values != NULL) + (c->table != NULL) + (c->expect_sql != NULL);
    if (sources > 1) {
        tl_fail(L, n, "give the expected rows one way: `rows`, `values`, `table` or `sql`");
        return false;
    }
    if (got == 0) {
        tl_fail(L, n, "`expect` is empty");
        return false;
    }
    return true;
}

static const char *const case_keys[] = {"name",  "description", "sql",    "job",     "vars", "view",
                                        "sinks", "conf",        "expect", "options", "skip", NULL};

static bool read_case(tl *L, const yaml_node_t *n, tf_case *c, int index)
{
    c->index = index;
    c->count = -1;
    c->opts = lmt_df_opts_default();
    c->opts.color = LMT_COLOR_NEVER;
    c->opts.format = LMT_FORMAT_FULL;
    if (!want(L, n, YAML_MAPPING_NODE, "a test"))
        return false;
    c->line = NLINE(n);
    c->col = NCOL(n);
    const yaml_node_t *expect = NULL, *vars = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = text_of(k);
        bool ok = true;
        if (strcmp(key, "name") == 0)
            ok = (c->name = scalar(L, v, "`name`")) != NULL;
        else if (strcmp(key, "description") == 0)
            continue;
        else if (strcmp(key, "sql") == 0)
            ok = (c->sql = scalar(L, v, "`sql`")) != NULL;
        else if (strcmp(key, "job") == 0)
            ok = (c->job = scalar(L, v, "`job`")) != NULL && (c->job = resolve(L, c->job));
        else if (strcmp(key, "view") == 0)
            ok = (c->view = scalar(L, v, "`view`")) != NULL;
        else if (strcmp(key, "sinks") == 0)
            ok = boolean(L, v, "`sinks`", &c->sinks);
        else if (strcmp(key, "skip") == 0) {
            /* skip: REASON -- reported as skipped, not run */
            const char *why = scalar(L, v, "`skip`");
            ok = why != NULL;
            if (ok && strcmp(why, "false") != 0)
                c->skip = why;
        } else if (strcmp(key, "vars") == 0) {
            tf_kv *kv;
            ok = kvs(L, (vars = v), "`vars`", &kv, &c->nvars);
            if (ok) {
                c->vars = lm_arena_calloc(&L->f->arena, (size_t)c->nvars + 1, sizeof *c->vars);
                for (int i = 0; i < c->nvars; i++)
                    c->vars[i] = lm_arena_printf(&L->f->arena, "%s=%s", kv[i].key, kv[i].value);
            }
        } else if (strcmp(key, "conf") == 0)
            ok = kvs(L, v, "`conf`", &c->conf, &c->nconf);
        else if (strcmp(key, "expect") == 0)
            expect = v;
        else if (strcmp(key, "options") == 0)
            ok = read_options(L, v, &c->opts);
        else
            return bad_key(L, k, "a test", case_keys);
        if (!ok)
            return false;
    }
    if (c->name == NULL)
        c->name = lm_arena_printf(&L->f->arena, "test %d", index);
    if (c->skip)
        return true; /* skipped: nothing else is needed */
    if (c->sql == NULL && c->job == NULL) {
        tl_fail(L, n,
                "test \"%s\": give `sql` (a query), `job` (a job file), or both (the "
                "job runs first)",
                c->name);
        return false;
    }
    if (c->sql && c->view) {
        tl_fail(L, n,
                "test \"%s\": `view` names what a job test checks; with `sql`, the "
                "query's result is checked",
                c->name);
        return false;
    }
    if (!c->job && (vars || c->view || c->sinks)) {
        tl_fail(L, n, "test \"%s\": `vars`, `view` and `sinks` are for `job` tests", c->name);
        return false;
    }
    if (expect == NULL) {
        tl_fail(L, n,
                "test \"%s\" needs `expect` (rows, values, table, sql, schema, count or "
                "error)",
                c->name);
        return false;
    }
    return read_expect(L, expect, c);
}

static const char *const top_keys[] = {"name", "description", "fixtures", "tables",
                                       "conf", "tests",       NULL};

static void read_file_doc(tl *L)
{
    tf_file *f = L->f;
    yaml_node_t *root = yaml_document_get_root_node(&L->doc);
    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        tl_fail(L, root,
                "a test file is a mapping with `tests` (and `fixtures`, `tables`, "
                "`conf`)");
        return;
    }
    const yaml_node_t *tests = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = text_of(k);
        if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0)
            continue;
        if (strcmp(key, "fixtures") == 0) {
            int m = v->type == YAML_SEQUENCE_NODE
                        ? (int)(v->data.sequence.items.top - v->data.sequence.items.start)
                        : 1;
            f->fixtures = lm_arena_calloc(&f->arena, (size_t)m + 1, sizeof *f->fixtures);
            for (int i = 0; i < m; i++) {
                const yaml_node_t *c =
                    v->type == YAML_SEQUENCE_NODE ? node(L, v->data.sequence.items.start[i]) : v;
                const char *path = scalar(L, c, "`fixtures`");
                if (path == NULL)
                    return;
                f->fixtures[f->nfixtures++] = resolve(L, path);
            }
        } else if (strcmp(key, "tables") == 0) {
            f->has_tables = true;
            f->tables_line = (int)k->start_mark.line;
            f->tables_end_line = (int)v->end_mark.line;
            f->tables_end_col = (int)v->end_mark.column;
        } else if (strcmp(key, "conf") == 0) {
            if (!kvs(L, v, "`conf`", &f->conf, &f->nconf))
                return;
        } else if (strcmp(key, "tests") == 0) {
            tests = v;
        } else {
            bad_key(L, k, "a test file", top_keys);
            return;
        }
    }
    if (tests == NULL || tests->type != YAML_SEQUENCE_NODE) {
        tl_fail(L, tests ? tests : root,
                "`tests` must be a list of tests (- name: ..., sql: ..., "
                "expect: ...)");
        return;
    }
    int n = (int)(tests->data.sequence.items.top - tests->data.sequence.items.start);
    f->cases = lm_arena_calloc(&f->arena, (size_t)n + 1, sizeof *f->cases);
    for (int i = 0; i < n; i++) {
        if (!read_case(L, node(L, tests->data.sequence.items.start[i]), &f->cases[i], i + 1))
            return;
        f->ncases++;
    }
}

tf_file *tf_load(const char *path)
{
    tf_file *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    lm_arena_init(&f->arena, 8192);
    f->path = lm_arena_strdup(&f->arena, path);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s: cannot read the test file: %s", path, strerror(errno));
        f->error = lm_strbuf_detach(&sb);
        return f;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        lm_strbuf_append(&sb, buf, got);
    fclose(fp);
    f->text = lm_arena_strdup(&f->arena, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    tl L;
    memset(&L, 0, sizeof L);
    L.f = f;
    yaml_parser_t parser;
    if (f->text == NULL || !yaml_parser_initialize(&parser)) {
        f->error = strdup("out of memory");
        return f;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, strlen(f->text));
    if (!yaml_parser_load(&parser, &L.doc)) {
        lm_strbuf e;
        lm_strbuf_init(&e);
        lm_strbuf_printf(&e, "%s:%zu:%zu: YAML error: %s", path, parser.problem_mark.line + 1,
                         parser.problem_mark.column + 1,
                         parser.problem ? parser.problem : "unreadable");
        f->error = lm_strbuf_detach(&e);
        yaml_parser_delete(&parser);
        return f;
    }
    yaml_parser_delete(&parser);
    read_file_doc(&L);
    yaml_document_delete(&L.doc);
    return f;
}

void tf_free(tf_file *f)
{
    if (f == NULL)
        return;
    free(f->error);
    lm_arena_free(&f->arena);
    free(f);
}

/* ------------------------------------------------------ inline fixtures */

/*
 * The test file with only lines [from_line, to_line] kept (0-based), the
 * first from from_col on (earlier columns blanked) and the last up to
 * to_col: the YAML node keeps its line and column.
 */
static void blanked(lm_strbuf *sb, const char *text, int from_line, int from_col, int to_line,
                    int to_col)
{
    int line = 0, col = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            lm_strbuf_putc(sb, '\n');
            line++;
            col = 0;
            continue;
        }
        bool keep = line >= from_line && line <= to_line &&
                    !(line == from_line && col < from_col) && !(line == to_line && col >= to_col);
        /* columns count characters: a multi-byte character is one blank */
        if (keep)
            lm_strbuf_putc(sb, *p);
        else if (((unsigned char)*p & 0xC0) != 0x80)
            lm_strbuf_putc(sb, ' ');
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    }
    lm_strbuf_putc(sb, '\n');
}

char *tf_tables_text(const tf_file *f)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    blanked(&sb, f->text, f->tables_line, 0, f->tables_end_line, f->tables_end_col);
    return lm_strbuf_detach(&sb);
}

char *tf_rows_text(const tf_file *f, const tf_case *c, const char *schema_ddl)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    /* two header lines; rows keep their column, one deeper than the table */
    lm_strbuf_puts(&sb, "tables:\n __expected__:\n");
    blanked(&sb, f->text, c->rows_key_line, c->rows_key_col, c->rows_end_line, c->rows_end_col);
    lm_strbuf_repeat(&sb, ' ', (size_t)c->rows_key_col);
    lm_strbuf_puts(&sb, "schema: '");
    for (const char *p = schema_ddl; *p; p++) {
        if (*p == '\'')
            lm_strbuf_putc(&sb, '\'');
        lm_strbuf_putc(&sb, *p);
    }
    lm_strbuf_puts(&sb, "'\n");
    return lm_strbuf_detach(&sb);
}

char *tf_fix_lines(const char *msg, const char *path)
{
    size_t n = strlen(path);
    char *end;
    if (strncmp(msg, path, n) == 0 && msg[n] == ':' && isdigit((unsigned char)msg[n + 1])) {
        long line = strtol(msg + n + 1, &end, 10);
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s:%ld%s", path, line > 2 ? line - 2 : line, end);
        return lm_strbuf_detach(&sb);
    }
    return strdup(msg);
}
