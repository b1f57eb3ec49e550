/*
 * The SQL parser's driver: entry points, token helpers, error reporting in
 * Spark's ParseException shapes, identifiers and string literals, and the
 * non-query statements (DDL, SET, SHOW, DESCRIBE, EXPLAIN, ...). Queries
 * are in parse_query.c, expressions, literals and types in parse_expr.c.
 */
#include "sql/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/parse_internal.h"
#include "sql/parse_types.h"

/* ================================================================ memory */

void *sqlp_alloc(sqlp *p, size_t size)
{
    void *m = lm_arena_calloc(p->a, 1, size ? size : 1);
    if (m == NULL)
        sqlp_oom(p);
    return m;
}

char *sqlp_strndup(sqlp *p, const char *s, size_t n)
{
    char *d = lm_arena_strndup(p->a, s, n);
    if (d == NULL)
        sqlp_oom(p);
    return d;
}

char *sqlp_strdup(sqlp *p, const char *s)
{
    return sqlp_strndup(p, s, strlen(s));
}

void sqlp_vec_push(sqlp *p, sqlp_vec *v, void *item)
{
    if (v->n == v->cap) {
        int ncap = v->cap ? v->cap * 2 : 8;
        void **ni = sqlp_alloc(p, sizeof *ni * (size_t)ncap);
        if (v->n)
            memcpy(ni, v->items, sizeof *ni * (size_t)v->n);
        v->items = ni;
        v->cap = ncap;
    }
    v->items[v->n++] = item;
}

lm_expr **sqlp_vec_exprs(sqlp *p, sqlp_vec *v)
{
    (void)p;
    return (lm_expr **)v->items;
}

lm_expr *sqlp_expr_new(sqlp *p, lm_expr_kind kind, int start, int stop)
{
    lm_expr *e = sqlp_alloc(p, sizeof *e);
    e->kind = kind;
    e->start = start;
    e->stop = stop;
    e->value = lm_value_null();
    return e;
}

lm_plan *sqlp_plan_new(sqlp *p, lm_plan_kind kind, int start, int stop)
{
    lm_plan *pl = sqlp_alloc(p, sizeof *pl);
    pl->kind = kind;
    pl->start = start;
    pl->stop = stop;
    return pl;
}

/* ================================================================ tokens */

const lm_token *sqlp_tok(const sqlp *p, int ahead)
{
    int i = p->pos + ahead;
    if (i >= p->ntoks)
        i = p->ntoks - 1;
    if (i < 0)
        i = 0;
    return &p->toks[i];
}

lm_tok_kind sqlp_kind(const sqlp *p, int ahead)
{
    return sqlp_tok(p, ahead)->kind;
}

bool sqlp_is_kw(const sqlp *p, int ahead, const char *kw)
{
    const lm_token *t = sqlp_tok(p, ahead);
    if (t->kind != LM_TOK_IDENT)
        return false;
    size_t n = (size_t)(t->stop - t->start + 1);
    return strlen(kw) == n && strncasecmp(p->src + t->start, kw, n) == 0;
}

bool sqlp_accept_kw(sqlp *p, const char *kw)
{
    if (sqlp_is_kw(p, 0, kw)) {
        p->pos++;
        return true;
    }
    return false;
}

static const char *tok_kind_text(lm_tok_kind k)
{
    switch (k) {
    case LM_TOK_LPAREN: return "'('";
    case LM_TOK_RPAREN: return "')'";
    case LM_TOK_COMMA: return "','";
    case LM_TOK_DOT: return "'.'";
    case LM_TOK_LBRACKET: return "'['";
    case LM_TOK_RBRACKET: return "']'";
    case LM_TOK_EQ: return "'='";
    case LM_TOK_GT: return "'>'";
    case LM_TOK_LT: return "'<'";
    case LM_TOK_ARROW: return "'->'";
    case LM_TOK_HINT_END: return "'*/'";
    default: return NULL;
    }
}

/*
 * ANTLR's single-token recovery decides the hint Spark shows: when the token
 * after the offending one is the expected one, the offending token is
 * "extra input"; when the offending token is the end of input, the expected
 * token is "missing".
 */
static _Noreturn void expected_error(sqlp *p, lm_tok_kind k, const char *kw)
{
    char hint[64];
    if ((k != LM_TOK_EOF && sqlp_kind(p, 1) == k && kw == NULL) ||
        (kw != NULL && sqlp_is_kw(p, 1, kw))) {
        const lm_token *t = sqlp_tok(p, 0);
        snprintf(hint, sizeof hint, ": extra input '%.*s'", t->stop - t->start + 1 > 40 ? 40 : t->stop - t->start + 1,
                 p->src + t->start);
        sqlp_syntax_error(p, hint);
    }
    if (sqlp_kind(p, 0) == LM_TOK_EOF) {
        const char *kt = kw ? NULL : tok_kind_text(k);
        if (kt != NULL) {
            snprintf(hint, sizeof hint, ": missing %s", kt);
            sqlp_syntax_error(p, hint);
        }
        if (kw != NULL) {
            snprintf(hint, sizeof hint, ": missing '%s'", kw);
            sqlp_syntax_error(p, hint);
        }
    }
    sqlp_syntax_error(p, "");
}

void sqlp_expect_kw(sqlp *p, const char *kw)
{
    if (!sqlp_accept_kw(p, kw))
        expected_error(p, LM_TOK_IDENT, kw);
}

bool sqlp_accept(sqlp *p, lm_tok_kind k)
{
    if (sqlp_kind(p, 0) == k) {
        p->pos++;
        return true;
    }
    return false;
}

void sqlp_expect(sqlp *p, lm_tok_kind k)
{
    if (!sqlp_accept(p, k))
        expected_error(p, k, NULL);
}

char *sqlp_span_text(sqlp *p, int start, int stop)
{
    if (stop < start)
        return sqlp_strdup(p, "");
    return sqlp_strndup(p, p->src + start, (size_t)(stop - start + 1));
}

char *sqlp_tok_text(sqlp *p, int i)
{
    const lm_token *t = &p->toks[i];
    return sqlp_span_text(p, t->start, t->stop);
}

int sqlp_cur_start(const sqlp *p)
{
    return sqlp_tok(p, 0)->start;
}

int sqlp_prev_stop(const sqlp *p)
{
    return p->pos > 0 ? p->toks[p->pos - 1].stop : 0;
}

/* ================================================================ errors */

_Noreturn void sqlp_oom(sqlp *p)
{
    lm_error_oom(p->err);
    longjmp(*p->jb, 1);
}

_Noreturn void sqlp_syntax_error(sqlp *p, const char *hint)
{
    const lm_token *t = sqlp_tok(p, 0);
    char display[160];
    if (t->kind == LM_TOK_EOF) {
        snprintf(display, sizeof display, "end of input");
    } else {
        /* ANTLR's token display: quoted, with \n \r \t escaped */
        size_t o = 0;
        display[o++] = '\'';
        for (int i = t->start; i <= t->stop && o < sizeof display - 8; i++) {
            char c = p->src[i];
            if (c == '\n' || c == '\r' || c == '\t') {
                display[o++] = '\\';
                display[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            } else {
                display[o++] = c;
            }
        }
        display[o++] = '\'';
        display[o] = 0;
    }
    int line = 1, col = 0;
    for (int i = 0; i < t->start && i < p->len; i++) {
        if (p->src[i] == '\n') {
            line++;
            col = 0;
        } else {
            col++;
        }
    }
    lm_error_set(p->err, LM_ERROR, LM_EXC_PARSE, "PARSE_SYNTAX_ERROR", "42601",
                 "[PARSE_SYNTAX_ERROR] Syntax error at or near %s%s.(line %d, pos %d)", display,
                 hint, line, col);
    lm_error_param_add(p->err, "error", display);
    lm_error_param_add(p->err, "hint", hint);
    p->fail_pos = p->pos;
    longjmp(*p->jb, 1);
}

_Noreturn void sqlp_fail(sqlp *p, const char *exception, const char *error_class,
                         const char *sqlstate, int ctx_start, int ctx_stop, const char *message,
                         ...)
{
    lm_error_set(p->err, LM_ERROR, exception, error_class, sqlstate, "%s", message);
    va_list ap;
    va_start(ap, message);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (name == NULL)
            break;
        const char *value = va_arg(ap, const char *);
        lm_error_param_add(p->err, name, value);
    }
    va_end(ap);
    lm_error_set_context(p->err, ctx_start, ctx_stop);
    p->fail_pos = p->ntoks; /* semantic errors win over syntax retries */
    longjmp(*p->jb, 1);
}

void sqlp_enter(sqlp *p)
{
    if (++p->depth > SQLP_MAX_DEPTH)
        sqlp_fail(p, LM_EXC_PARSE, "PARSE_SYNTAX_ERROR", "42601", -1, -1,
                  "[PARSE_SYNTAX_ERROR] Statement nests too deeply.", "error",
                  "'('", "hint", ": nesting too deep", NULL);
}

void sqlp_leave(sqlp *p)
{
    p->depth--;
}

/* An open-addressing set of (rule, position) keys in the parse arena. */
typedef struct sqlp_memo {
    uintptr_t *keys; /* 0: empty */
    size_t cap, n;
} sqlp_memo;

static uintptr_t memo_key(const void *rule, int pos)
{
    /* rules are function addresses; mixing in the position keeps keys of
       one rule apart, and | 1 keeps every key non-zero */
    return ((uintptr_t)rule * 31u + (uintptr_t)(unsigned)pos * 0x9e3779b1u) | 1u;
}

bool sqlp_memo_failed(const sqlp *p, const void *rule, int pos)
{
    const sqlp_memo *m = p->memo;
    if (m == NULL)
        return false;
    uintptr_t k = memo_key(rule, pos);
    for (size_t i = (k >> 1) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == 0)
            return false;
        if (m->keys[i] == k)
            return true;
    }
}

void sqlp_memo_record(sqlp *p, const void *rule, int pos)
{
    sqlp_memo *m = p->memo;
    if (m == NULL || (m->n + 1) * 2 > m->cap) {
        /* grow (or create): rehash into twice the room; on allocation
           failure just do without the memo, which only costs time */
        size_t cap = m ? m->cap * 2 : 64;
        sqlp_memo *nm = lm_arena_alloc(p->a, sizeof *nm);
        uintptr_t *keys = lm_arena_calloc(p->a, cap, sizeof *keys);
        if (nm == NULL || keys == NULL)
            return;
        nm->keys = keys;
        nm->cap = cap;
        nm->n = 0;
        for (size_t i = 0; m && i < m->cap; i++) {
            if (m->keys[i] == 0)
                continue;
            size_t j = (m->keys[i] >> 1) & (cap - 1);
            while (keys[j] != 0)
                j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            nm->n++;
        }
        p->memo = m = nm;
    }
    uintptr_t k = memo_key(rule, pos);
    size_t i = (k >> 1) & (m->cap - 1);
    while (m->keys[i] != 0) {
        if (m->keys[i] == k)
            return;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = k;
    m->n++;
}

/* ================================================================ names */

bool sqlp_is_ident_tok(const sqlp *p, int ahead)
{
    lm_tok_kind k = sqlp_kind(p, ahead);
    return k == LM_TOK_IDENT || k == LM_TOK_BACKQUOTED;
}

char *sqlp_identifier(sqlp *p)
{
    const lm_token *t = sqlp_tok(p, 0);
    if (t->kind == LM_TOK_IDENT) {
        p->pos++;
        return sqlp_span_text(p, t->start, t->stop);
    }
    if (t->kind == LM_TOK_BACKQUOTED) {
        p->pos++;
        /* strip the quotes, `` -> ` */
        int n = t->stop - t->start - 1;
        char *d = sqlp_alloc(p, (size_t)n + 1);
        int o = 0;
        for (int i = t->start + 1; i < t->stop; i++) {
            d[o++] = p->src[i];
            if (p->src[i] == '`' && i + 1 < t->stop && p->src[i + 1] == '`')
                i++;
        }
        d[o] = 0;
        return d;
    }
    sqlp_syntax_error(p, "");
}

int sqlp_multipart(sqlp *p, char ***parts)
{
    sqlp_vec v = {0};
    sqlp_vec_push(p, &v, sqlp_identifier(p));
    while (sqlp_kind(p, 0) == LM_TOK_DOT && sqlp_is_ident_tok(p, 1)) {
        p->pos++;
        sqlp_vec_push(p, &v, sqlp_identifier(p));
    }
    *parts = (char **)v.items;
    return v.n;
}

int sqlp_identifier_list(sqlp *p, char ***names)
{
    sqlp_expect(p, LM_TOK_LPAREN);
    sqlp_vec v = {0};
    do {
        sqlp_vec_push(p, &v, sqlp_identifier(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    *names = (char **)v.items;
    return v.n;
}

static const char *const clause_keywords[] = {
    "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "SORT", "CLUSTER", "DISTRIBUTE", "LIMIT",
    "OFFSET", "WINDOW", "UNION", "EXCEPT", "MINUS", "INTERSECT", "JOIN", "INNER", "CROSS",
    "LEFT", "RIGHT", "FULL", "NATURAL", "SEMI", "ANTI", "ON", "USING", "LATERAL", "PIVOT",
    "UNPIVOT", "TABLESAMPLE", "AS", "FOR", "INTO", "SELECT", "WITH", "REPEATABLE", NULL};

bool sqlp_is_clause_keyword(const sqlp *p, int ahead)
{
    for (int i = 0; clause_keywords[i] != NULL; i++)
        if (sqlp_is_kw(p, ahead, clause_keywords[i]))
            return true;
    return false;
}

/* ================================================================ strings */

bool sqlp_is_string_tok(const sqlp *p, int ahead)
{
    lm_tok_kind k = sqlp_kind(p, ahead);
    return k == LM_TOK_STRING || k == LM_TOK_DQSTRING;
}

static void put_utf8(char *d, int *o, unsigned cp)
{
    if (cp < 0x80) {
        d[(*o)++] = (char)cp;
    } else if (cp < 0x800) {
        d[(*o)++] = (char)(0xC0 | (cp >> 6));
        d[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        d[(*o)++] = (char)(0xE0 | (cp >> 12));
        d[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[(*o)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        d[(*o)++] = (char)(0xF0 | (cp >> 18));
        d[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        d[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[(*o)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_u4(const char *s, int n, int i, unsigned *cp)
{
    if (i + 4 > n)
        return false;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[i + k]);
        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    *cp = v;
    return true;
}

/*
 * Spark's unescapeSQLString: \uXXXX (UTF-16, surrogate pairs combined),
 * octal \ooo, the usual \n \t \r \b \0 \Z, \% and \_ kept with their
 * backslash (for LIKE patterns), any other \c -> c.
 */
char *sqlp_string_value(sqlp *p, int ti, int *out_len)
{
    const lm_token *t = &p->toks[ti];
    const char *s = p->src + t->start;
    int n = t->stop - t->start + 1;
    bool raw = s[0] == 'R' || s[0] == 'r';
    if (raw) {
        s++;
        n--;
    }
    /* strip quotes */
    s++;
    n -= 2;
    if (n < 0)
        n = 0;
    char *d = sqlp_alloc(p, (size_t)n * 2 + 4);
    int o = 0;
    if (raw || p->opts.escaped_string_literals) {
        memcpy(d, s, (size_t)n);
        o = n;
    } else {
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c != '\\' || i + 1 >= n) {
                d[o++] = c;
                continue;
            }
            char e = s[i + 1];
            unsigned cp;
            if (e == 'u' && read_u4(s, n, i + 2, &cp)) {
                i += 5;
                if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < n + 0 && s[i + 1] == '\\' &&
                    s[i + 2] == 'u') {
                    unsigned lo;
                    if (read_u4(s, n, i + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                put_utf8(d, &o, cp);
                continue;
            }
            if (i + 3 < n + 0 && e >= '0' && e <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                s[i + 3] >= '0' && s[i + 3] <= '7') {
                cp = (unsigned)((e - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
                put_utf8(d, &o, cp);
                i += 3;
                continue;
            }
            i++;
            switch (e) {
            case '0': d[o++] = 0; break;
            case 'b': d[o++] = '\b'; break;
            case 'n': d[o++] = '\n'; break;
            case 'r': d[o++] = '\r'; break;
            case 't': d[o++] = '\t'; break;
            case 'Z': d[o++] = 0x1A; break;
            case '%': d[o++] = '\\'; d[o++] = '%'; break;
            case '_': d[o++] = '\\'; d[o++] = '_'; break;
            default: d[o++] = e; break;
            }
        }
    }
    d[o] = 0;
    if (out_len)
        *out_len = o;
    return d;
}

char *sqlp_string_lit(sqlp *p, int *out_len)
{
    if (!sqlp_is_string_tok(p, 0))
        sqlp_syntax_error(p, "");
    int len;
    char *s = sqlp_string_value(p, p->pos++, &len);
    while (sqlp_is_string_tok(p, 0)) {
        int l2;
        char *s2 = sqlp_string_value(p, p->pos++, &l2);
        char *c = sqlp_alloc(p, (size_t)len + (size_t)l2 + 1);
        memcpy(c, s, (size_t)len);
        memcpy(c + len, s2, (size_t)l2);
        s = c;
        len += l2;
    }
    if (out_len)
        *out_len = len;
    return s;
}

/* ================================================================ statements */

static lm_stmt *stmt_new(sqlp *p, lm_stmt_kind kind)
{
    lm_stmt *s = sqlp_alloc(p, sizeof *s);
    s->kind = kind;
    s->start = sqlp_cur_start(p);
    s->text = p->src;
    return s;
}

static _Noreturn void unsupported(sqlp *p, const char *what)
{
    lm_error_set(p->err, LM_EUNSUPPORTED, LM_EXC_PARSE, "UNSUPPORTED_FEATURE", "0A000",
                 "[UNSUPPORTED_FEATURE] The feature is not supported: %s.", what);
    p->fail_pos = p->ntoks;
    longjmp(*p->jb, 1);
}

static void if_not_exists(sqlp *p, lm_stmt *s)
{
    if (sqlp_is_kw(p, 0, "IF") && sqlp_is_kw(p, 1, "NOT") && sqlp_is_kw(p, 2, "EXISTS")) {
        p->pos += 3;
        s->if_not_exists = true;
    }
}

static void if_exists(sqlp *p, lm_stmt *s)
{
    if (sqlp_is_kw(p, 0, "IF") && sqlp_is_kw(p, 1, "EXISTS")) {
        p->pos += 2;
        s->if_exists = true;
    }
}

/* propertyKey: a.b.c or 'string' */
static char *property_key(sqlp *p)
{
    if (sqlp_is_string_tok(p, 0))
        return sqlp_string_lit(p, NULL);
    int start = sqlp_cur_start(p);
    char **parts;
    int n = sqlp_multipart(p, &parts);
    (void)n;
    (void)parts;
    return sqlp_span_text(p, start, sqlp_prev_stop(p));
}

/* propertyValue: integer, decimal, boolean (lower-cased) or string */
static char *property_value(sqlp *p)
{
    lm_tok_kind k = sqlp_kind(p, 0);
    if (sqlp_is_string_tok(p, 0))
        return sqlp_string_lit(p, NULL);
    if (k == LM_TOK_INTEGER || k == LM_TOK_DECIMAL || k == LM_TOK_EXPONENT) {
        return sqlp_tok_text(p, p->pos++);
    }
    if (sqlp_is_kw(p, 0, "TRUE") || sqlp_is_kw(p, 0, "FALSE")) {
        char *t = sqlp_tok_text(p, p->pos++);
        for (char *c = t; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        return t;
    }
    return NULL;
}

static void property_list(sqlp *p, lm_stmt *s)
{
    sqlp_expect(p, LM_TOK_LPAREN);
    sqlp_vec keys = {0}, values = {0};
    do {
        char *k = property_key(p);
        sqlp_accept(p, LM_TOK_EQ);
        char *v = property_value(p);
        sqlp_vec_push(p, &keys, k);
        sqlp_vec_push(p, &values, v);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_option *opts = sqlp_alloc(p, sizeof *opts * (size_t)(s->noptions + keys.n));
    if (s->noptions)
        memcpy(opts, s->options, sizeof *opts * (size_t)s->noptions);
    for (int i = 0; i < keys.n; i++) {
        opts[s->noptions + i].key = keys.items[i];
        opts[s->noptions + i].value = values.items[i];
    }
    s->options = opts;
    s->noptions += keys.n;
}

static void add_option(sqlp *p, lm_stmt *s, const char *key, char *value)
{
    lm_option *opts = sqlp_alloc(p, sizeof *opts * (size_t)(s->noptions + 1));
    if (s->noptions)
        memcpy(opts, s->options, sizeof *opts * (size_t)s->noptions);
    opts[s->noptions].key = sqlp_strdup(p, key);
    opts[s->noptions].value = value;
    s->options = opts;
    s->noptions++;
}

static void table_provider(sqlp *p, lm_stmt *s)
{
    int start = sqlp_cur_start(p);
    char **parts;
    sqlp_multipart(p, &parts);
    s->provider = sqlp_span_text(p, start, sqlp_prev_stop(p));
}

static bool is_query_start(const sqlp *p)
{
    return sqlp_looks_like_query(p, 0);
}

/* CREATE [OR REPLACE] [GLOBAL] TEMPORARY VIEW ... / VIEW ... */
static lm_stmt *create_view(sqlp *p, lm_stmt *s)
{
    if_not_exists(p, s);
    s->nparts = sqlp_multipart(p, &s->parts);
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        /* either (col [COMMENT 'c'], ...) or a typed column list for USING */
        int save = p->pos;
        p->pos++;
        bool typed = sqlp_is_ident_tok(p, 0) && !(sqlp_kind(p, 1) == LM_TOK_COMMA ||
                                                  sqlp_kind(p, 1) == LM_TOK_RPAREN ||
                                                  sqlp_is_kw(p, 1, "COMMENT"));
        p->pos = save;
        if (typed) {
            p->pos++;
            s->columns = sqlp_col_type_list(p, true);
            sqlp_expect(p, LM_TOK_RPAREN);
        } else {
            sqlp_expect(p, LM_TOK_LPAREN);
            sqlp_vec v = {0};
            do {
                sqlp_vec_push(p, &v, sqlp_identifier(p));
                if (sqlp_accept_kw(p, "COMMENT"))
                    sqlp_string_lit(p, NULL);
            } while (sqlp_accept(p, LM_TOK_COMMA));
            sqlp_expect(p, LM_TOK_RPAREN);
            s->col_names = (char **)v.items;
            s->ncols = v.n;
        }
    }
    if (sqlp_accept_kw(p, "USING")) {
        table_provider(p, s);
        if (sqlp_accept_kw(p, "OPTIONS"))
            property_list(p, s);
        return s;
    }
    for (;;) {
        if (sqlp_accept_kw(p, "COMMENT")) {
            add_option(p, s, "comment", sqlp_string_lit(p, NULL));
        } else if (sqlp_accept_kw(p, "TBLPROPERTIES")) {
            property_list(p, s);
        } else if (sqlp_is_kw(p, 0, "PARTITIONED") && sqlp_is_kw(p, 1, "ON")) {
            unsupported(p, "CREATE VIEW ... PARTITIONED ON");
        } else {
            break;
        }
    }
    sqlp_expect_kw(p, "AS");
    s->query = sqlp_query(p);
    return s;
}

/* CREATE TABLE name [(cols)] [USING p] [clauses] [[AS] query] */
static lm_stmt *create_table(sqlp *p, lm_stmt *s)
{
    if_not_exists(p, s);
    s->nparts = sqlp_multipart(p, &s->parts);
    if (sqlp_is_kw(p, 0, "LIKE"))
        unsupported(p, "CREATE TABLE ... LIKE");
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN && !sqlp_looks_like_query(p, 0)) {
        p->pos++;
        s->columns = sqlp_col_type_list(p, true);
        sqlp_expect(p, LM_TOK_RPAREN);
    }
    if (sqlp_accept_kw(p, "USING"))
        table_provider(p, s);
    for (;;) {
        if (sqlp_accept_kw(p, "OPTIONS")) {
            property_list(p, s);
        } else if (sqlp_is_kw(p, 0, "PARTITIONED") && sqlp_is_kw(p, 1, "BY")) {
            p->pos += 2;
            sqlp_expect(p, LM_TOK_LPAREN);
            sqlp_vec v = {0};
            do {
                /* a column name, or a column definition "name type" */
                char *name = sqlp_identifier(p);
                if (sqlp_kind(p, 0) == LM_TOK_LPAREN)
                    unsupported(p, "partition transforms");
                if (sqlp_is_ident_tok(p, 0))
                    (void)sqlp_data_type(p);
                sqlp_vec_push(p, &v, name);
            } while (sqlp_accept(p, LM_TOK_COMMA));
            sqlp_expect(p, LM_TOK_RPAREN);
            s->partition_by = (char **)v.items;
            s->npartition_by = v.n;
        } else if (sqlp_accept_kw(p, "LOCATION")) {
            s->location = sqlp_string_lit(p, NULL);
        } else if (sqlp_accept_kw(p, "COMMENT")) {
            s->comment = sqlp_string_lit(p, NULL);
        } else if (sqlp_accept_kw(p, "TBLPROPERTIES")) {
            property_list(p, s);
        } else if (sqlp_is_kw(p, 0, "STORED") && sqlp_is_kw(p, 1, "AS") &&
                   sqlp_is_ident_tok(p, 2)) {
            p->pos += 2;
            if (s->provider == NULL)
                s->provider = sqlp_identifier(p);
            else
                (void)sqlp_identifier(p);
        } else if (sqlp_is_kw(p, 0, "CLUSTERED") || sqlp_is_kw(p, 0, "SKEWED") ||
                   sqlp_is_kw(p, 0, "ROW") || sqlp_is_kw(p, 0, "STORED") ||
                   (sqlp_is_kw(p, 0, "CLUSTER") && sqlp_is_kw(p, 1, "BY"))) {
            unsupported(p, "Hive table clauses");
        } else {
            break;
        }
    }
    if (sqlp_accept_kw(p, "AS") || is_query_start(p))
        s->query = sqlp_query(p);
    return s;
}

static lm_stmt *create_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_CREATE_VIEW);
    sqlp_expect_kw(p, "CREATE");
    if (sqlp_is_kw(p, 0, "OR") && sqlp_is_kw(p, 1, "REPLACE")) {
        p->pos += 2;
        s->replace = true;
    }
    if (sqlp_accept_kw(p, "GLOBAL"))
        s->global = true;
    if (sqlp_accept_kw(p, "TEMPORARY") || sqlp_accept_kw(p, "TEMP"))
        s->temporary = true;
    if (sqlp_accept_kw(p, "VIEW")) {
        s->kind = LM_STMT_CREATE_VIEW;
        return create_view(p, s);
    }
    if (s->global)
        sqlp_syntax_error(p, "");
    sqlp_accept_kw(p, "EXTERNAL");
    if (sqlp_accept_kw(p, "TABLE")) {
        s->kind = LM_STMT_CREATE_TABLE;
        return create_table(p, s);
    }
    if (!s->replace && !s->temporary &&
        (sqlp_accept_kw(p, "DATABASE") || sqlp_accept_kw(p, "SCHEMA") ||
         sqlp_accept_kw(p, "NAMESPACE"))) {
        s->kind = LM_STMT_CREATE_DATABASE;
        if_not_exists(p, s);
        s->nparts = sqlp_multipart(p, &s->parts);
        for (;;) {
            if (sqlp_accept_kw(p, "COMMENT")) {
                s->comment = sqlp_string_lit(p, NULL);
            } else if (sqlp_accept_kw(p, "LOCATION")) {
                s->location = sqlp_string_lit(p, NULL);
            } else if (sqlp_is_kw(p, 0, "WITH") &&
                       (sqlp_is_kw(p, 1, "DBPROPERTIES") || sqlp_is_kw(p, 1, "PROPERTIES"))) {
                p->pos += 2;
                property_list(p, s);
            } else {
                break;
            }
        }
        return s;
    }
    if (sqlp_is_kw(p, 0, "FUNCTION"))
        unsupported(p, "CREATE FUNCTION");
    sqlp_syntax_error(p, "");
}

static lm_stmt *drop_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_DROP_TABLE);
    sqlp_expect_kw(p, "DROP");
    if (sqlp_accept_kw(p, "TABLE")) {
        s->kind = LM_STMT_DROP_TABLE;
        if_exists(p, s);
        s->nparts = sqlp_multipart(p, &s->parts);
        sqlp_accept_kw(p, "PURGE");
    } else if (sqlp_accept_kw(p, "VIEW")) {
        s->kind = LM_STMT_DROP_VIEW;
        if_exists(p, s);
        s->nparts = sqlp_multipart(p, &s->parts);
    } else if (sqlp_accept_kw(p, "DATABASE") || sqlp_accept_kw(p, "SCHEMA") ||
               sqlp_accept_kw(p, "NAMESPACE")) {
        s->kind = LM_STMT_DROP_DATABASE;
        if_exists(p, s);
        s->nparts = sqlp_multipart(p, &s->parts);
        if (sqlp_accept_kw(p, "CASCADE"))
            s->cascade = true;
        else
            sqlp_accept_kw(p, "RESTRICT");
    } else if (sqlp_is_kw(p, 0, "FUNCTION") || sqlp_is_kw(p, 0, "TEMPORARY")) {
        unsupported(p, "DROP FUNCTION");
    } else {
        sqlp_syntax_error(p, "");
    }
    return s;
}

static lm_stmt *insert_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_INSERT);
    sqlp_expect_kw(p, "INSERT");
    if (sqlp_accept_kw(p, "OVERWRITE")) {
        s->overwrite = true;
        if (sqlp_is_kw(p, 0, "LOCAL") || sqlp_is_kw(p, 0, "DIRECTORY"))
            unsupported(p, "INSERT OVERWRITE DIRECTORY");
    } else {
        sqlp_expect_kw(p, "INTO");
    }
    sqlp_accept_kw(p, "TABLE");
    s->nparts = sqlp_multipart(p, &s->parts);
    if (sqlp_is_kw(p, 0, "PARTITION"))
        unsupported(p, "INSERT with a PARTITION clause");
    if (sqlp_is_kw(p, 0, "IF") && sqlp_is_kw(p, 1, "NOT")) {
        p->pos += 3;
        s->if_not_exists = true;
    }
    if (sqlp_is_kw(p, 0, "BY") && sqlp_is_kw(p, 1, "NAME")) {
        p->pos += 2;
        s->by_name = true;
    } else if (sqlp_kind(p, 0) == LM_TOK_LPAREN && !sqlp_looks_like_query(p, 0)) {
        s->ncols = sqlp_identifier_list(p, &s->col_names);
    }
    s->query = sqlp_query(p);
    return s;
}

/* The statement text after token index ti, trimmed, without trailing ';'. */
static char *remainder_text(sqlp *p, int ti)
{
    int from = p->toks[ti].stop + 1;
    int to = p->len;
    while (to > from && (p->src[to - 1] == ';' || p->src[to - 1] == ' ' || p->src[to - 1] == '\t' ||
                         p->src[to - 1] == '\n' || p->src[to - 1] == '\r'))
        to--;
    while (from < to && (p->src[from] == ' ' || p->src[from] == '\t' || p->src[from] == '\n' ||
                         p->src[from] == '\r'))
        from++;
    return sqlp_strndup(p, p->src + from, (size_t)(to - from));
}

static bool is_config_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == ':' || c == '\\';
}

static char *trim_copy(sqlp *p, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return sqlp_strndup(p, s, n);
}

/*
 * SET as SparkSqlAstBuilder reads it: from the raw text after SET,
 * "key = value" (key of [A-Za-z0-9_.:\\], value everything up to ';',
 * trimmed), "key", "-v" or nothing; `key` = `value` in back quotes too.
 */
static lm_stmt *set_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_SET);
    int set_tok = p->pos;
    sqlp_expect_kw(p, "SET");
    if (sqlp_is_kw(p, 0, "TIME") && sqlp_is_kw(p, 1, "ZONE")) {
        p->pos += 2;
        s->key = sqlp_strdup(p, "spark.sql.session.timeZone");
        if (sqlp_accept_kw(p, "LOCAL"))
            s->value = sqlp_strdup(p, "LOCAL");
        else if (sqlp_is_string_tok(p, 0))
            s->value = sqlp_string_lit(p, NULL);
        else
            unsupported(p, "SET TIME ZONE with an interval");
        return s;
    }
    if (sqlp_kind(p, 0) == LM_TOK_BACKQUOTED) {
        s->key = sqlp_identifier(p);
        if (sqlp_accept(p, LM_TOK_EQ)) {
            if (sqlp_kind(p, 0) == LM_TOK_BACKQUOTED)
                s->value = sqlp_identifier(p);
            else
                s->value = remainder_text(p, p->pos - 1);
        }
        p->pos = p->ntoks - 1;
        return s;
    }
    char *rest = remainder_text(p, set_tok);
    size_t n = strlen(rest);
    size_t k = 0;
    while (k < n && is_config_key_char(rest[k]))
        k++;
    size_t j = k;
    while (j < n && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '\n' || rest[j] == '\r'))
        j++;
    if (k > 0 && j < n && rest[j] == '=') {
        s->key = sqlp_strndup(p, rest, k);
        const char *v = rest + j + 1;
        size_t vn = strcspn(v, ";");
        s->value = trim_copy(p, v, vn);
    } else if (k > 0 && k == n) {
        s->key = sqlp_strndup(p, rest, k);
    } else if (strcmp(rest, "-v") == 0) {
        s->key = sqlp_strdup(p, "-v");
    } else if (n == 0) {
        /* SET: list everything */
    } else {
        lm_error_set(p->err, LM_ERROR, LM_EXC_PARSE, "INVALID_SET_SYNTAX", "42000",
                     "[INVALID_SET_SYNTAX] Expected format is 'SET', 'SET key', or "
                     "'SET key=value'. If you want to include special characters in key, or "
                     "include semicolon in value, please use backquotes, e.g., "
                     "SET `key`=`value`.");
        lm_error_set_context(p->err, s->start, p->len - 1);
        p->fail_pos = p->ntoks;
        longjmp(*p->jb, 1);
    }
    p->pos = p->ntoks - 1; /* the raw text was consumed */
    return s;
}

static lm_stmt *reset_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_RESET);
    int tok = p->pos;
    sqlp_expect_kw(p, "RESET");
    if (sqlp_kind(p, 0) == LM_TOK_BACKQUOTED) {
        s->key = sqlp_identifier(p);
        return s;
    }
    char *rest = remainder_text(p, tok);
    if (*rest)
        s->key = rest;
    p->pos = p->ntoks - 1;
    return s;
}

static lm_stmt *show_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_SHOW_TABLES);
    sqlp_expect_kw(p, "SHOW");
    if (sqlp_accept_kw(p, "TABLES")) {
        if (sqlp_accept_kw(p, "FROM") || sqlp_accept_kw(p, "IN"))
            s->nparts = sqlp_multipart(p, &s->parts);
        sqlp_accept_kw(p, "LIKE");
        if (sqlp_is_string_tok(p, 0))
            s->value = sqlp_string_lit(p, NULL);
        return s;
    }
    if (sqlp_accept_kw(p, "COLUMNS")) {
        s->kind = LM_STMT_SHOW_COLUMNS;
        if (!sqlp_accept_kw(p, "FROM"))
            sqlp_expect_kw(p, "IN");
        s->nparts = sqlp_multipart(p, &s->parts);
        if (sqlp_accept_kw(p, "FROM") || sqlp_accept_kw(p, "IN")) {
            char **db;
            int nd = sqlp_multipart(p, &db);
            char **all = sqlp_alloc(p, sizeof *all * (size_t)(nd + s->nparts));
            memcpy(all, db, sizeof *all * (size_t)nd);
            memcpy(all + nd, s->parts, sizeof *all * (size_t)s->nparts);
            s->parts = all;
            s->nparts += nd;
        }
        return s;
    }
    if (sqlp_is_kw(p, 0, "FUNCTIONS") || sqlp_is_kw(p, 1, "FUNCTIONS")) {
        s->kind = LM_STMT_SHOW_FUNCTIONS;
        if (!sqlp_is_kw(p, 0, "FUNCTIONS"))
            s->key = sqlp_identifier(p); /* USER / SYSTEM / ALL */
        sqlp_expect_kw(p, "FUNCTIONS");
        if (sqlp_accept_kw(p, "FROM") || sqlp_accept_kw(p, "IN"))
            s->nparts = sqlp_multipart(p, &s->parts);
        sqlp_accept_kw(p, "LIKE");
        if (sqlp_is_string_tok(p, 0)) {
            s->value = sqlp_string_lit(p, NULL);
        } else if (sqlp_is_ident_tok(p, 0)) {
            int start = sqlp_cur_start(p);
            char **parts;
            sqlp_multipart(p, &parts);
            s->value = sqlp_span_text(p, start, sqlp_prev_stop(p));
        }
        return s;
    }
    unsupported(p, "this SHOW statement");
}

static lm_stmt *describe_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_DESCRIBE);
    p->pos++; /* DESC / DESCRIBE */
    if (sqlp_accept_kw(p, "FUNCTION")) {
        s->kind = LM_STMT_DESCRIBE_FUNCTION;
        if (sqlp_is_kw(p, 0, "EXTENDED") && sqlp_kind(p, 1) != LM_TOK_EOF &&
            sqlp_kind(p, 1) != LM_TOK_SEMI) {
            p->pos++;
            s->extended = true;
        }
        if (sqlp_is_string_tok(p, 0)) {
            s->parts = sqlp_alloc(p, sizeof(char *));
            s->parts[0] = sqlp_string_lit(p, NULL);
            s->nparts = 1;
        } else if (sqlp_is_ident_tok(p, 0)) {
            s->nparts = sqlp_multipart(p, &s->parts);
        } else if (sqlp_kind(p, 0) != LM_TOK_EOF && sqlp_kind(p, 0) != LM_TOK_SEMI) {
            /* an operator: DESC FUNCTION + */
            s->parts = sqlp_alloc(p, sizeof(char *));
            s->parts[0] = sqlp_tok_text(p, p->pos++);
            s->nparts = 1;
        } else {
            sqlp_syntax_error(p, "");
        }
        return s;
    }
    if (sqlp_is_kw(p, 0, "DATABASE") || sqlp_is_kw(p, 0, "SCHEMA") ||
        sqlp_is_kw(p, 0, "NAMESPACE"))
        unsupported(p, "DESCRIBE DATABASE");
    if (sqlp_accept_kw(p, "QUERY") || (sqlp_looks_like_query(p, 0) && !sqlp_is_kw(p, 0, "TABLE"))) {
        s->query = sqlp_query(p);
        return s;
    }
    sqlp_accept_kw(p, "TABLE");
    if ((sqlp_is_kw(p, 0, "EXTENDED") || sqlp_is_kw(p, 0, "FORMATTED")) && sqlp_is_ident_tok(p, 1)) {
        p->pos++;
        s->extended = true;
    }
    s->nparts = sqlp_multipart(p, &s->parts);
    if (sqlp_is_kw(p, 0, "PARTITION"))
        unsupported(p, "DESCRIBE with a PARTITION clause");
    if (sqlp_is_ident_tok(p, 0)) {
        /* DESCRIBE t col: the column's name parts */
        s->ncols = sqlp_multipart(p, &s->col_names);
    }
    return s;
}

static lm_stmt *statement(sqlp *p);

static lm_stmt *explain_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_EXPLAIN);
    sqlp_expect_kw(p, "EXPLAIN");
    s->explain_mode = sqlp_strdup(p, "simple");
    static const char *const modes[] = {"LOGICAL", "FORMATTED", "EXTENDED", "CODEGEN", "COST",
                                        NULL};
    for (int i = 0; modes[i]; i++) {
        if (sqlp_is_kw(p, 0, modes[i])) {
            char *m = sqlp_tok_text(p, p->pos++);
            for (char *c = m; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c + 32);
            s->explain_mode = m;
            break;
        }
    }
    lm_stmt *inner = statement(p);
    if (inner->kind == LM_STMT_QUERY)
        s->query = inner->query;
    else
        s->inner = inner;
    return s;
}

static lm_stmt *cache_stmt(sqlp *p)
{
    lm_stmt *s = stmt_new(p, LM_STMT_CACHE);
    sqlp_expect_kw(p, "CACHE");
    if (sqlp_accept_kw(p, "LAZY"))
        s->lazy = true;
    sqlp_expect_kw(p, "TABLE");
    s->nparts = sqlp_multipart(p, &s->parts);
    if (sqlp_accept_kw(p, "OPTIONS"))
        property_list(p, s);
    if (sqlp_accept_kw(p, "AS") || is_query_start(p))
        s->query = sqlp_query(p);
    return s;
}

static lm_stmt *statement(sqlp *p)
{
    sqlp_enter(p);
    lm_stmt *s;
    if (is_query_start(p)) {
        s = stmt_new(p, LM_STMT_QUERY);
        s->query = sqlp_query(p);
    } else if (sqlp_is_kw(p, 0, "CREATE")) {
        s = create_stmt(p);
    } else if (sqlp_is_kw(p, 0, "INSERT")) {
        s = insert_stmt(p);
    } else if (sqlp_is_kw(p, 0, "DROP")) {
        s = drop_stmt(p);
    } else if (sqlp_is_kw(p, 0, "SET")) {
        s = set_stmt(p);
    } else if (sqlp_is_kw(p, 0, "RESET")) {
        s = reset_stmt(p);
    } else if (sqlp_is_kw(p, 0, "SHOW")) {
        s = show_stmt(p);
    } else if (sqlp_is_kw(p, 0, "DESC") || sqlp_is_kw(p, 0, "DESCRIBE")) {
        s = describe_stmt(p);
    } else if (sqlp_is_kw(p, 0, "EXPLAIN")) {
        s = explain_stmt(p);
    } else if (sqlp_is_kw(p, 0, "CACHE")) {
        s = cache_stmt(p);
    } else if (sqlp_is_kw(p, 0, "UNCACHE")) {
        s = stmt_new(p, LM_STMT_UNCACHE);
        p->pos++;
        sqlp_expect_kw(p, "TABLE");
        if_exists(p, s);
        s->nparts = sqlp_multipart(p, &s->parts);
    } else if (sqlp_is_kw(p, 0, "CLEAR") && sqlp_is_kw(p, 1, "CACHE")) {
        s = stmt_new(p, LM_STMT_CLEAR_CACHE);
        p->pos += 2;
    } else if (sqlp_is_kw(p, 0, "USE")) {
        s = stmt_new(p, LM_STMT_USE);
        p->pos++;
        if ((sqlp_is_kw(p, 0, "NAMESPACE") || sqlp_is_kw(p, 0, "DATABASE") ||
             sqlp_is_kw(p, 0, "SCHEMA")) &&
            sqlp_is_ident_tok(p, 1))
            p->pos++;
        s->nparts = sqlp_multipart(p, &s->parts);
    } else {
        sqlp_syntax_error(p, "");
    }
    s->stop = sqlp_prev_stop(p);
    sqlp_leave(p);
    return s;
}

/* ================================================================ entry points */

static lm_status begin(sqlp *p, const char *text, const lm_parse_options *opts, lm_arena *a,
                       lm_error *err)
{
    memset(p, 0, sizeof *p);
    p->src = text;
    p->len = (int)strlen(text);
    p->a = a;
    p->err = err;
    if (opts)
        p->opts = *opts;
    return lm_lex(text, a, &p->toks, &p->ntoks, err);
}

/* After the statement: SEMICOLON* EOF; anything else is ANTLR's error. */
static void expect_end(sqlp *p)
{
    while (sqlp_accept(p, LM_TOK_SEMI)) {
    }
    if (sqlp_kind(p, 0) == LM_TOK_EOF)
        return;
    lm_tok_kind next = sqlp_kind(p, 1);
    if (next == LM_TOK_EOF || next == LM_TOK_SEMI) {
        const lm_token *t = sqlp_tok(p, 0);
        char hint[96];
        snprintf(hint, sizeof hint, ": extra input '%.*s'",
                 t->stop - t->start + 1 > 60 ? 60 : t->stop - t->start + 1, p->src + t->start);
        sqlp_syntax_error(p, hint);
    }
    sqlp_syntax_error(p, "");
}

lm_status lm_parse_statement_opts(const char *sql, const lm_parse_options *opts, lm_arena *a,
                                  lm_stmt **out, lm_error *err)
{
    *out = NULL;
    sqlp p;
    lm_status st = begin(&p, sql, opts, a, err);
    if (st != LM_OK)
        return st;
    bool empty = true;
    for (int i = 0; i < p.ntoks; i++)
        if (p.toks[i].kind != LM_TOK_SEMI && p.toks[i].kind != LM_TOK_EOF)
            empty = false;
    if (empty)
        return lm_error_set(err, LM_ERROR, LM_EXC_PARSE, "PARSE_EMPTY_STATEMENT", "42617",
                            "[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement.");
    jmp_buf jb;
    p.jb = &jb;
    if (setjmp(jb) != 0)
        return err->status != LM_OK ? err->status : LM_ERROR;
    lm_stmt *s = statement(&p);
    expect_end(&p);
    *out = s;
    return LM_OK;
}

lm_status lm_parse_statement(const char *sql, lm_arena *a, lm_stmt **out, lm_error *err)
{
    return lm_parse_statement_opts(sql, NULL, a, out, err);
}

lm_status lm_parse_expression(const char *text, lm_arena *a, lm_expr **out, lm_error *err)
{
    *out = NULL;
    sqlp p;
    lm_status st = begin(&p, text, NULL, a, err);
    if (st != LM_OK)
        return st;
    jmp_buf jb;
    p.jb = &jb;
    if (setjmp(jb) != 0)
        return err->status != LM_OK ? err->status : LM_ERROR;
    lm_expr *e = sqlp_named_expression(&p);
    if (sqlp_kind(&p, 0) != LM_TOK_EOF)
        sqlp_syntax_error(&p, "");
    *out = e;
    return LM_OK;
}

lm_status lm_parse_data_type(const char *text, lm_arena *a, lm_type **out, lm_error *err)
{
    *out = NULL;
    sqlp p;
    lm_status st = begin(&p, text, NULL, a, err);
    if (st != LM_OK)
        return st;
    jmp_buf jb;
    p.jb = &jb;
    if (setjmp(jb) != 0)
        return err->status != LM_OK ? err->status : LM_ERROR;
    lm_type *t = sqlp_data_type(&p);
    if (sqlp_kind(&p, 0) != LM_TOK_EOF)
        sqlp_syntax_error(&p, "");
    *out = t;
    return LM_OK;
}

lm_status lm_parse_table_schema(const char *text, lm_arena *a, lm_type **out, lm_error *err)
{
    *out = NULL;
    sqlp p;
    lm_status st = begin(&p, text, NULL, a, err);
    if (st != LM_OK)
        return st;
    jmp_buf jb;
    p.jb = &jb;
    if (setjmp(jb) != 0)
        return err->status != LM_OK ? err->status : LM_ERROR;
    lm_type *t = sqlp_col_type_list(&p, false);
    if (sqlp_kind(&p, 0) != LM_TOK_EOF)
        sqlp_syntax_error(&p, "");
    *out = t;
    return LM_OK;
}
