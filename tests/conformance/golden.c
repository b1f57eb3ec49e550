/*
 * Golden files and input scripts, read the way Spark's SQLQueryTestSuite
 * reads them. The rules are in shared/conformance/README.md (sections 2 and
 * 3); where Java string functions are involved we reproduce their exact
 * behaviour (String.trim strips every char <= ' ', String.split drops
 * trailing empty pieces, `\s` is [ \t\n\x0B\f\r]) because the statement
 * texts must come out byte-identical to the golden ones.
 */
#include "golden.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strbuf.h"

/* ------------------------------------------------------------ helpers */

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(char **err, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    *err = strdup(tmp);
    return -1;
}

/* A growable array of owned strings. */
typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void strvec_free(strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

/* Takes ownership of s (which may be NULL after a failed allocation). */
static int strvec_push_owned(strvec *sv, char *s)
{
    if (s == NULL)
        return -1;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (v == NULL) {
            free(s);
            return -1;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return 0;
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Java's String.trim: strips every char <= ' ' at both ends. */
static char *dup_java_trim(const char *s, size_t n)
{
    size_t b = 0, e = n;
    while (b < e && (unsigned char)s[b] <= ' ')
        b++;
    while (e > b && (unsigned char)s[e - 1] <= ' ')
        e--;
    return dup_range(s + b, e - b);
}

static bool is_java_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

/* Java's s.replaceAll("\\s+$", ""). */
static char *dup_rtrim_space(const char *s, size_t n)
{
    while (n > 0 && is_java_space(s[n - 1]))
        n--;
    return dup_range(s, n);
}

static bool trimmed_starts_with(const char *line, const char *prefix)
{
    while (*line != '\0' && (unsigned char)*line <= ' ')
        line++;
    return strncmp(line, prefix, strlen(prefix)) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Java's text.split("\n"): trailing empty lines are dropped. */
static int split_lines(const char *text, strvec *out)
{
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (strvec_push_owned(out, dup_range(p, n)) != 0)
            return -1;
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    while (out->n > 0 && out->v[out->n - 1][0] == '\0')
        free(out->v[--out->n]);
    return 0;
}

/* ------------------------------------------------------- golden files */

/*
 * Spark splits the golden text at every match of `-- !query.*\n`: the marker
 * may start anywhere and runs to the end of its line. Like Java's split,
 * trailing empty pieces are dropped.
 */
static int split_markers(const char *text, strvec *out)
{
    const char *p = text;
    for (;;) {
        /* `.*` cannot cross a newline, so a marker with no newline after it
           (nor any later one) does not match. */
        const char *m = strstr(p, "-- !query");
        const char *nl = m ? strchr(m, '\n') : NULL;
        if (nl == NULL) {
            if (strvec_push_owned(out, strdup(p)) != 0)
                return -1;
            break;
        }
        if (strvec_push_owned(out, dup_range(p, (size_t)(m - p))) != 0)
            return -1;
        p = nl + 1;
    }
    while (out->n > 0 && out->v[out->n - 1][0] == '\0')
        free(out->v[--out->n]);
    return 0;
}

int golden_parse(const char *text, golden_file *out, char **err)
{
    memset(out, 0, sizeof *out);
    strvec pieces = {0};
    if (split_markers(text, &pieces) != 0) {
        strvec_free(&pieces);
        return fail(err, "out of memory");
    }
    if (pieces.n == 0 || (pieces.n - 1) % 3 != 0) {
        size_t n = pieces.n;
        strvec_free(&pieces);
        return fail(err, "golden file has %zu pieces; expected 3 x statements + 1", n);
    }
    size_t nb = (pieces.n - 1) / 3;
    out->blocks = calloc(nb ? nb : 1, sizeof *out->blocks);
    if (out->blocks == NULL) {
        strvec_free(&pieces);
        return fail(err, "out of memory");
    }
    out->nblocks = nb;
    for (size_t i = 0; i < nb; i++) {
        const char *sql = pieces.v[i * 3 + 1];
        const char *schema = pieces.v[i * 3 + 2];
        const char *output = pieces.v[i * 3 + 3];
        golden_block *b = &out->blocks[i];
        b->sql = dup_java_trim(sql, strlen(sql));
        b->schema = dup_java_trim(schema, strlen(schema));
        b->output = dup_rtrim_space(output, strlen(output));
        if (b->sql == NULL || b->schema == NULL || b->output == NULL) {
            strvec_free(&pieces);
            golden_file_free(out);
            return fail(err, "out of memory");
        }
    }
    strvec_free(&pieces);
    return 0;
}

void golden_file_free(golden_file *g)
{
    for (size_t i = 0; i < g->nblocks; i++) {
        free(g->blocks[i].sql);
        free(g->blocks[i].schema);
        free(g->blocks[i].output);
    }
    free(g->blocks);
    g->blocks = NULL;
    g->nblocks = 0;
}

bool golden_block_is_error(const golden_block *b)
{
    return strcmp(b->schema, "struct<>") == 0 && b->output[0] != '\0';
}

char *golden_error_exception(const golden_block *b)
{
    const char *nl = strchr(b->output, '\n');
    size_t n = nl ? (size_t)(nl - b->output) : strlen(b->output);
    return dup_java_trim(b->output, n);
}

/* The JSON form is printed by Spark with `"key" : value`; errorClass is the
   first key of the top-level object, so the first occurrence is the one. */
char *golden_error_class(const golden_block *b)
{
    const char *nl = strchr(b->output, '\n');
    if (nl == NULL || nl[1] != '{')
        return NULL;
    const char *key = "\"errorClass\" : \"";
    const char *p = strstr(nl, key);
    if (p == NULL)
        return NULL;
    p += strlen(key);
    const char *q = strchr(p, '"');
    if (q == NULL)
        return NULL;
    return dup_range(p, (size_t)(q - p));
}

/* ------------------------------------------------------ input scripts */

/* A comment line, as Spark partitions them: trimmed, it starts with `--`,
   but the QUERY-DELIMITER markers count as code. */
static bool is_comment_line(const char *line)
{
    return trimmed_starts_with(line, "--") && !trimmed_starts_with(line, "--QUERY-DELIMITER");
}

/* `--SET k=v,k2=v2`: split on ',', each item at its first '='; trim both. */
static int parse_set(const char *spec, golden_script *out, char **err)
{
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq == NULL)
            return fail(err, "--SET item without '=': %.*s", (int)n, p);
        golden_conf *c = realloc(out->confs, (out->nconfs + 1) * sizeof *c);
        if (c == NULL)
            return fail(err, "out of memory");
        out->confs = c;
        c = &out->confs[out->nconfs];
        c->key = dup_java_trim(p, (size_t)(eq - p));
        c->value = dup_java_trim(eq + 1, n - (size_t)(eq + 1 - p));
        out->nconfs++;
        if (c->key == NULL || c->value == NULL)
            return fail(err, "out of memory");
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return 0;
}

/*
 * Spark's splitWithSemicolon: join with '\n', split at every ';' whose
 * preceding character exists and is not a backslash. The ';' goes away.
 */
static int split_semicolons(const char *const *lines, size_t n, strvec *out)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            lm_strbuf_putc(&sb, '\n');
        lm_strbuf_puts(&sb, lines[i]);
    }
    if (!lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return -1;
    }
    const char *t = lm_strbuf_cstr(&sb);
    size_t len = sb.len, start = 0;
    int rc = 0;
    for (size_t i = 1; i < len && rc == 0; i++) {
        if (t[i] == ';' && t[i - 1] != '\\') {
            rc = strvec_push_owned(out, dup_range(t + start, i - start));
            start = i + 1;
        }
    }
    if (rc == 0)
        rc = strvec_push_owned(out, dup_range(t + start, len - start));
    lm_strbuf_free(&sb);
    return rc;
}

/* Appends the code lines of an imported script. Like Spark, every line whose
   trimmed text starts with `--` is dropped, QUERY-DELIMITER markers too. */
static int add_import(const char *name, golden_read_fn read_import, void *ctx, strvec *code,
                      char **err)
{
    char *text = read_import ? read_import(ctx, name) : NULL;
    if (text == NULL)
        return fail(err, "cannot read imported file %s", name);
    strvec lines = {0};
    int rc = split_lines(text, &lines);
    free(text);
    for (size_t i = 0; rc == 0 && i < lines.n; i++) {
        if (trimmed_starts_with(lines.v[i], "--"))
            continue;
        rc = strvec_push_owned(code, strdup(lines.v[i]));
    }
    strvec_free(&lines);
    return rc == 0 ? 0 : fail(err, "out of memory");
}

/* Splits code lines, honouring QUERY-DELIMITER blocks (each block is one
   statement, minus one trailing ';'). A START without END is dropped, as
   Spark drops it. */
static int split_code(char *const *code, size_t n, strvec *pieces)
{
    bool delimited = false;
    for (size_t i = 0; i < n && !delimited; i++)
        delimited = trimmed_starts_with(code[i], "--QUERY-DELIMITER");
    if (!delimited)
        return split_semicolons((const char *const *)code, n, pieces);

    /* Code outside blocks, borrowed from code[]; split at each START. */
    const char **other = malloc((n ? n : 1) * sizeof *other);
    if (other == NULL)
        return -1;
    size_t other_n = 0;
    bool in_block = false;
    lm_strbuf block;
    lm_strbuf_init(&block);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (trimmed_starts_with(code[i], "--QUERY-DELIMITER-START")) {
            in_block = true;
            rc = split_semicolons(other, other_n, pieces);
            other_n = 0;
        } else if (trimmed_starts_with(code[i], "--QUERY-DELIMITER-END")) {
            in_block = false;
            size_t len = block.len;
            const char *t = lm_strbuf_cstr(&block);
            if (len > 0 && t[len - 1] == ';')
                len--;
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_strbuf_putc(&sb, '\n');
            lm_strbuf_append(&sb, t, len);
            rc = strvec_push_owned(pieces, lm_strbuf_detach(&sb));
            lm_strbuf_reset(&block);
        } else if (in_block) {
            lm_strbuf_putc(&block, '\n');
            lm_strbuf_puts(&block, code[i]);
        } else {
            other[other_n++] = code[i];
        }
    }
    if (rc == 0 && !lm_strbuf_ok(&block))
        rc = -1;
    if (rc == 0 && other_n > 0)
        rc = split_semicolons(other, other_n, pieces);
    lm_strbuf_free(&block);
    free(other);
    return rc;
}

/* Step 4 of the README: trim, drop empties, drop lines starting with `--`,
   trim again, drop empties. */
static int finish_piece(const char *piece, strvec *stmts)
{
    char *t = dup_java_trim(piece, strlen(piece));
    if (t == NULL)
        return -1;
    if (t[0] == '\0') {
        free(t);
        return 0;
    }
    strvec lines = {0};
    int rc = split_lines(t, &lines);
    free(t);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    bool first = true;
    for (size_t i = 0; rc == 0 && i < lines.n; i++) {
        if (starts_with(lines.v[i], "--"))
            continue;
        if (!first)
            lm_strbuf_putc(&sb, '\n');
        lm_strbuf_puts(&sb, lines.v[i]);
        first = false;
    }
    strvec_free(&lines);
    if (rc != 0 || !lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return -1;
    }
    char *s = dup_java_trim(lm_strbuf_cstr(&sb), sb.len);
    lm_strbuf_free(&sb);
    if (s == NULL)
        return -1;
    if (s[0] == '\0') {
        free(s);
        return 0;
    }
    return strvec_push_owned(stmts, s);
}

int golden_split(const char *text, golden_read_fn read_import, void *ctx, golden_script *out,
                 char **err)
{
    memset(out, 0, sizeof *out);
    strvec lines = {0}, imported = {0}, code = {0}, pieces = {0}, stmts = {0};
    int rc = split_lines(text, &lines) == 0 ? 0 : fail(err, "out of memory");

    /* Directives are comment lines that start at column 0. */
    for (size_t i = 0; rc == 0 && i < lines.n; i++) {
        const char *l = lines.v[i];
        if (!is_comment_line(l)) {
            rc = strvec_push_owned(&code, strdup(l)) == 0 ? 0 : fail(err, "out of memory");
        } else if (starts_with(l, "--SET ")) {
            rc = parse_set(l + 6, out, err);
        } else if (starts_with(l, "--IMPORT ")) {
            char *name = dup_java_trim(l + 9, strlen(l + 9));
            rc = name ? add_import(name, read_import, ctx, &imported, err)
                      : fail(err, "out of memory");
            free(name);
        }
    }
    /* Imported code goes before this file's own code. */
    for (size_t i = 0; rc == 0 && i < code.n; i++) {
        rc = strvec_push_owned(&imported, code.v[i]) == 0 ? 0 : fail(err, "out of memory");
        code.v[i] = NULL;
    }
    if (rc == 0 && split_code(imported.v, imported.n, &pieces) != 0)
        rc = fail(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < pieces.n; i++)
        if (finish_piece(pieces.v[i], &stmts) != 0)
            rc = fail(err, "out of memory");

    strvec_free(&lines);
    strvec_free(&imported);
    strvec_free(&code);
    strvec_free(&pieces);
    if (rc != 0) {
        strvec_free(&stmts);
        golden_script_free(out);
        return -1;
    }
    out->stmts = stmts.v;
    out->nstmts = stmts.n;
    return 0;
}

void golden_script_free(golden_script *s)
{
    for (size_t i = 0; i < s->nstmts; i++)
        free(s->stmts[i]);
    free(s->stmts);
    for (size_t i = 0; i < s->nconfs; i++) {
        free(s->confs[i].key);
        free(s->confs[i].value);
    }
    free(s->confs);
    memset(s, 0, sizeof *s);
}

bool golden_split_agrees(const golden_script *s, const golden_file *g, size_t *first_diff)
{
    size_t n = s->nstmts < g->nblocks ? s->nstmts : g->nblocks;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s->stmts[i], g->blocks[i].sql) != 0) {
            if (first_diff)
                *first_diff = i;
            return false;
        }
    }
    if (s->nstmts != g->nblocks) {
        if (first_diff)
            *first_diff = n;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------- files */

char *golden_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        lm_strbuf_append(&sb, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        lm_strbuf_free(&sb);
        errno = EIO;
        return NULL;
    }
    char *s = lm_strbuf_detach(&sb);
    if (s == NULL)
        errno = ENOMEM;
    return s;
}

static char *path_join3(const char *a, const char *b, const char *c)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%s%s%s", a, b, c);
    return lm_strbuf_detach(&sb);
}

static char *read_input(void *ctx, const char *name)
{
    char *path = path_join3((const char *)ctx, "/", name);
    char *text = path ? golden_read_file(path) : NULL;
    free(path);
    return text;
}

int golden_load_case(const char *corpus, const char *name, golden_file *g, golden_script *s,
                     bool *has_input, char **err)
{
    memset(g, 0, sizeof *g);
    memset(s, 0, sizeof *s);
    *has_input = false;
    char *results = path_join3(corpus, "/results/", name);
    char *golden_path = results ? path_join3(results, ".out", "") : NULL;
    char *inputs = path_join3(corpus, "/inputs", "");
    char *input_path = inputs ? path_join3(inputs, "/", name) : NULL;
    int rc = 0;
    if (golden_path == NULL || input_path == NULL)
        rc = fail(err, "out of memory");
    char *text = rc == 0 ? golden_read_file(golden_path) : NULL;
    if (rc == 0 && text == NULL)
        rc = fail(err, "cannot read %s: %s", golden_path, strerror(errno));
    if (rc == 0) {
        char *perr = NULL;
        if (golden_parse(text, g, &perr) != 0) {
            rc = fail(err, "%s: %s", golden_path, perr ? perr : "parse error");
            free(perr);
        }
    }
    free(text);
    text = NULL;
    if (rc == 0) {
        text = golden_read_file(input_path);
        if (text == NULL && errno != ENOENT)
            rc = fail(err, "cannot read %s: %s", input_path, strerror(errno));
    }
    if (rc == 0 && text != NULL) {
        *has_input = true;
        char *serr = NULL;
        if (golden_split(text, read_input, inputs, s, &serr) != 0) {
            rc = fail(err, "%s: %s", input_path, serr ? serr : "split error");
            free(serr);
        }
    }
    free(text);
    free(results);
    free(golden_path);
    free(inputs);
    free(input_path);
    if (rc != 0) {
        golden_file_free(g);
        golden_script_free(s);
    }
    return rc;
}

static int list_dir(const char *root, const char *rel, strvec *out, char **err)
{
    lm_strbuf path;
    lm_strbuf_init(&path);
    lm_strbuf_printf(&path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(lm_strbuf_cstr(&path));
    if (d == NULL) {
        int rc = fail(err, "cannot open %s: %s", lm_strbuf_cstr(&path), strerror(errno));
        lm_strbuf_free(&path);
        return rc;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        lm_strbuf child;
        lm_strbuf_init(&child);
        lm_strbuf_printf(&child, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        lm_strbuf full;
        lm_strbuf_init(&full);
        lm_strbuf_printf(&full, "%s/%s", root, lm_strbuf_cstr(&child));
        struct stat st;
        if (!lm_strbuf_ok(&child) || !lm_strbuf_ok(&full)) {
            rc = fail(err, "out of memory");
        } else if (stat(lm_strbuf_cstr(&full), &st) != 0) {
            rc = fail(err, "cannot stat %s: %s", lm_strbuf_cstr(&full), strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = list_dir(root, lm_strbuf_cstr(&child), out, err);
        } else {
            size_t n = child.len;
            const char *c = lm_strbuf_cstr(&child);
            if (n > 8 && strcmp(c + n - 8, ".sql.out") == 0)
                rc = strvec_push_owned(out, dup_range(c, n - 4)) == 0 ? 0
                                                                      : fail(err, "out of memory");
        }
        lm_strbuf_free(&child);
        lm_strbuf_free(&full);
    }
    closedir(d);
    lm_strbuf_free(&path);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int golden_list_corpus(const char *results_dir, char ***names, size_t *count, char **err)
{
    strvec sv = {0};
    if (list_dir(results_dir, "", &sv, err) != 0) {
        strvec_free(&sv);
        return -1;
    }
    if (sv.n > 1)
        qsort(sv.v, sv.n, sizeof *sv.v, cmp_names);
    *names = sv.v;
    *count = sv.n;
    return 0;
}

void golden_names_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
