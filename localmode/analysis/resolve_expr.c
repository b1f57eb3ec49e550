/*
 * Expression resolution: binds column names to input ordinals (or to
 * enclosing queries for correlated subqueries), looks functions up, and
 * applies the structural coercions (CASE, IN, casts) that are not owned by
 * a single function.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "expr/cast.h"
#include "expr/eval.h"

void *an_alloc(lm_analyzer *an, size_t size)
{
    void *p = lm_arena_calloc(an->a, 1, size);
    if (p == NULL)
        lm_error_oom(an->err);
    return p;
}

char *an_strdup(lm_analyzer *an, const char *s)
{
    char *d = lm_arena_strdup(an->a, s ? s : "");
    if (d == NULL)
        lm_error_oom(an->err);
    return d;
}

lm_expr *an_new_expr(lm_analyzer *an, lm_expr_kind kind)
{
    lm_expr *e = an_alloc(an, sizeof *e);
    if (e) {
        e->kind = kind;
        e->start = e->stop = -1;
        e->value = lm_value_null();
    }
    return e;
}

lm_plan *an_new_plan(lm_analyzer *an, lm_plan_kind kind)
{
    lm_plan *p = an_alloc(an, sizeof *p);
    if (p) {
        p->kind = kind;
        p->start = p->stop = -1;
        p->resolved = true;
    }
    return p;
}

lm_expr *an_bound(lm_analyzer *an, int ordinal, const char *name, lm_type *type, bool nullable)
{
    lm_expr *e = an_new_expr(an, LM_EXPR_BOUND);
    if (e == NULL)
        return NULL;
    e->ordinal = ordinal;
    e->name = (char *)name;
    e->type = type;
    e->nullable = nullable;
    e->resolved = true;
    return e;
}

lm_expr *an_literal(lm_analyzer *an, lm_type *type, lm_value v)
{
    lm_expr *e = an_new_expr(an, LM_EXPR_LITERAL);
    if (e == NULL)
        return NULL;
    e->type = lm_arena_keep_type(an->a, lm_type_ref(type));
    e->value = v;
    e->nullable = v.is_null;
    e->resolved = true;
    return e;
}

lm_status an_error(lm_analyzer *an, int start, int stop, const char *error_class,
                   const char *sqlstate, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lm_error_set(an->err, LM_ERROR, LM_EXC_ANALYSIS, error_class, sqlstate, "[%s] %s",
                 error_class, msg);
    lm_error_set_context(an->err, start, stop);
    return LM_ERROR;
}

/* ------------------------------------------------------------ scopes */

bool an_set_output(lm_analyzer *an, lm_plan *p, int n, const char *const *names,
                   lm_type *const *types, const bool *nullable, char ***quals)
{
    lm_field *fs = calloc((size_t)(n ? n : 1), sizeof *fs);
    if (fs == NULL) {
        lm_error_oom(an->err);
        return false;
    }
    for (int i = 0; i < n; i++) {
        fs[i].name = (char *)names[i];
        fs[i].type = types[i];
        fs[i].nullable = nullable[i];
    }
    p->schema = lm_arena_keep_type(an->a, lm_type_struct(fs, n));
    free(fs);
    if (p->schema == NULL) {
        lm_error_oom(an->err);
        return false;
    }
    p->qualifiers = an_alloc(an, sizeof(char **) * (size_t)(n ? n : 1));
    if (p->qualifiers == NULL)
        return false;
    for (int i = 0; i < n; i++)
        p->qualifiers[i] = quals ? quals[i] : NULL;
    return true;
}

int lm_plan_ncols(const lm_plan *p)
{
    return p->schema ? p->schema->nfields : 0;
}

const char *lm_plan_col_name(const lm_plan *p, int i)
{
    return p->schema->fields[i].name;
}

static void fill_cols(an_col *cols, const lm_plan *p)
{
    for (int i = 0; i < lm_plan_ncols(p); i++) {
        cols[i].name = p->schema->fields[i].name;
        cols[i].type = p->schema->fields[i].type;
        cols[i].nullable = p->schema->fields[i].nullable;
        cols[i].qual = p->qualifiers ? p->qualifiers[i] : NULL;
        cols[i].hidden = p->hidden ? p->hidden[i] : false;
    }
}

an_scope *an_scope_of(lm_analyzer *an, const lm_plan *p, an_scope *outer)
{
    an_scope *sc = an_alloc(an, sizeof *sc);
    if (sc == NULL)
        return NULL;
    sc->ncols = p ? lm_plan_ncols(p) : 0;
    sc->cols = an_alloc(an, sizeof(an_col) * (size_t)(sc->ncols + 1));
    if (sc->cols == NULL)
        return NULL;
    if (p)
        fill_cols(sc->cols, p);
    sc->outer = outer;
    return sc;
}

an_scope *an_scope_join(lm_analyzer *an, const lm_plan *l, const lm_plan *r, an_scope *outer)
{
    an_scope *sc = an_alloc(an, sizeof *sc);
    if (sc == NULL)
        return NULL;
    int nl = lm_plan_ncols(l), nr = lm_plan_ncols(r);
    sc->ncols = nl + nr;
    sc->cols = an_alloc(an, sizeof(an_col) * (size_t)(sc->ncols + 1));
    if (sc->cols == NULL)
        return NULL;
    fill_cols(sc->cols, l);
    fill_cols(sc->cols + nl, r);
    sc->outer = outer;
    return sc;
}

/* ----------------------------------------------------- name matching */

static bool name_eq(lm_analyzer *an, const char *a, const char *b)
{
    return an->s->case_sensitive ? strcmp(a, b) == 0 : strcasecmp(a, b) == 0;
}

static int qual_len(char **q)
{
    int n = 0;
    while (q && q[n])
        n++;
    return n;
}

/*
 * How many leading parts of `parts` name column c: qualifier parts must be a
 * suffix of c's qualifier followed by the column name. Returns 0 when c
 * does not match.
 */
static int match_col(lm_analyzer *an, const an_col *c, char **parts, int nparts, int nqual)
{
    int ql = qual_len(c->qual);
    if (nqual > ql || nqual >= nparts)
        return 0;
    for (int i = 0; i < nqual; i++)
        if (!name_eq(an, c->qual[ql - nqual + i], parts[i]))
            return 0;
    if (!name_eq(an, c->name, parts[nqual]))
        return 0;
    return nqual + 1;
}

static lm_expr *field_chain(lm_analyzer *an, lm_expr *base, char **parts, int n, int start,
                            int stop);

typedef struct col_match {
    int index;
    int consumed;
} col_match;

static int find_matches_pass(lm_analyzer *an, an_scope *sc, char **parts, int nparts,
                             col_match *out, int max, bool hidden);

/* Finds the columns of sc that parts name, preferring the longest
   qualified match (Spark tries qualified names before plain ones). */
static int find_matches(lm_analyzer *an, an_scope *sc, char **parts, int nparts, col_match *out,
                        int max)
{
    /* hidden columns (USING-join keys) answer only qualified names, and
       only when no visible column does */
    for (int pass = 0; pass < 2; pass++) {
        int n = find_matches_pass(an, sc, parts, nparts, out, max, pass == 1);
        if (n)
            return n;
    }
    return 0;
}

static int find_matches_pass(lm_analyzer *an, an_scope *sc, char **parts, int nparts,
                             col_match *out, int max, bool hidden)
{
    for (int nqual = nparts - 1; nqual >= (hidden ? 1 : 0); nqual--) {
        int n = 0;
        for (int i = 0; i < sc->ncols && n < max; i++) {
            if (sc->cols[i].hidden != hidden)
                continue;
            int k = match_col(an, &sc->cols[i], parts, nparts, nqual);
            if (k) {
                out[n].index = i;
                out[n].consumed = k;
                n++;
            }
        }
        if (n)
            return n;
    }
    return 0;
}

static int levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    int d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = a[i - 1] == b[j - 1] ? 0 : 1;
            int m = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < m)
                m = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + c < m)
                m = d[i - 1][j - 1] + c;
            d[i][j] = m;
        }
    return d[la][lb];
}

static void quoted_name(lm_strbuf *sb, char **parts, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_putc(sb, '.');
        lm_strbuf_putc(sb, '`');
        lm_strbuf_puts(sb, parts[i]);
        lm_strbuf_putc(sb, '`');
    }
}

typedef struct suggestion {
    char *text;
    int dist;
} suggestion;

static int cmp_suggestion(const void *x, const void *y)
{
    const suggestion *a = x, *b = y;
    if (a->dist != b->dist)
        return a->dist - b->dist;
    return strcmp(a->text, b->text);
}

/* UNRESOLVED_COLUMN with Spark's suggestion list: the candidates closest
   by edit distance to the written name, qualified as Spark prints them. */
static lm_status unresolved_column(lm_analyzer *an, an_scope *sc, const lm_expr *e)
{
    lm_strbuf name;
    lm_strbuf_init(&name);
    quoted_name(&name, e->parts, e->nparts);
    int n = sc ? sc->ncols : 0;
    if (n == 0) {
        an_error(an, e->start, e->stop, "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703",
                 "A column, variable, or function parameter with name %s cannot be resolved.",
                 lm_strbuf_cstr(&name));
        lm_error_param_add(an->err, "objectName", lm_strbuf_cstr(&name));
        lm_strbuf_free(&name);
        return LM_ERROR;
    }
    suggestion *sg = calloc((size_t)n, sizeof *sg);
    char written[256] = "";
    for (int i = 0; i < e->nparts; i++) {
        if (i)
            strncat(written, ".", sizeof written - strlen(written) - 1);
        strncat(written, e->parts[i], sizeof written - strlen(written) - 1);
    }
    int m = 0;
    for (int i = 0; sg && i < n; i++) {
        if (sc->cols[i].hidden)
            continue;
        lm_strbuf q;
        lm_strbuf_init(&q);
        int ql = qual_len(sc->cols[i].qual);
        char plain[256] = "";
        for (int k = 0; k < ql; k++) {
            lm_strbuf_printf(&q, "`%s`.", sc->cols[i].qual[k]);
            strncat(plain, sc->cols[i].qual[k], sizeof plain - strlen(plain) - 1);
            strncat(plain, ".", sizeof plain - strlen(plain) - 1);
        }
        lm_strbuf_printf(&q, "`%s`", sc->cols[i].name);
        strncat(plain, sc->cols[i].name, sizeof plain - strlen(plain) - 1);
        sg[m].text = lm_strbuf_detach(&q);
        sg[m].dist = levenshtein(written, plain);
        if (sg[m].text)
            m++;
    }
    if (sg)
        qsort(sg, (size_t)m, sizeof *sg, cmp_suggestion);
    lm_strbuf prop;
    lm_strbuf_init(&prop);
    for (int i = 0; i < m && i < 5; i++) {
        if (i)
            lm_strbuf_puts(&prop, ", ");
        lm_strbuf_puts(&prop, sg[i].text);
    }
    an_error(an, e->start, e->stop, "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
             "A column, variable, or function parameter with name %s cannot be resolved. "
             "Did you mean one of the following? [%s].",
             lm_strbuf_cstr(&name), lm_strbuf_cstr(&prop));
    lm_error_param_add(an->err, "objectName", lm_strbuf_cstr(&name));
    lm_error_param_add(an->err, "proposal", lm_strbuf_cstr(&prop));
    for (int i = 0; i < m; i++)
        free(sg[i].text);
    free(sg);
    lm_strbuf_free(&prop);
    lm_strbuf_free(&name);
    return LM_ERROR;
}

static lm_expr *resolve_lambda_var(lm_analyzer *an, const lm_expr *e)
{
    if (e->nparts < 1)
        return NULL;
    for (an_lambda_frame *f = an->lambdas; f; f = f->up) {
        for (int i = 0; i < f->nparams; i++) {
            if (name_eq(an, f->params[i], e->parts[0])) {
                lm_expr *v = an_new_expr(an, LM_EXPR_LAMBDA_VAR);
                if (v == NULL)
                    return NULL;
                v->name = f->params[i];
                v->ordinal = f->first_slot + i;
                v->type = f->types[i];
                v->nullable = f->nullable ? f->nullable[i] : true;
                v->resolved = true;
                return field_chain(an, v, e->parts, e->nparts, 1, e->stop);
            }
        }
    }
    return NULL;
}

/* The function a bare name stands for when no column has that name
   (Spark's LiteralFunctionResolution: current_date without braces is
   current_date()); NULL for other names. */
static const char *literal_function(const char *name)
{
    if (strcasecmp(name, "current_date") == 0)
        return "current_date";
    if (strcasecmp(name, "current_timestamp") == 0)
        return "current_timestamp";
    if (strcasecmp(name, "current_user") == 0 || strcasecmp(name, "user") == 0 ||
        strcasecmp(name, "session_user") == 0)
        return "current_user";
    return NULL;
}

/* Spark's virtual column grouping__id: grouping_id() named grouping__id
   (an error unless the query groups by grouping sets). */
static lm_expr *grouping_id_column(lm_analyzer *an, const lm_expr *e)
{
    lm_expr *call = an_new_expr(an, LM_EXPR_CALL);
    lm_expr *al = an_new_expr(an, LM_EXPR_ALIAS);
    lm_expr **args = an_alloc(an, sizeof *args);
    if (call == NULL || al == NULL || args == NULL)
        return NULL;
    call->name = "grouping_id";
    call->fn = lm_func_lookup("grouping_id");
    call->start = e->start;
    call->stop = e->stop;
    call->type = lm_type_long();
    call->resolved = true;
    args[0] = call;
    al->name = e->parts[0];
    al->args = args;
    al->nargs = 1;
    al->type = call->type;
    al->start = e->start;
    al->stop = e->stop;
    al->resolved = true;
    return al;
}

static lm_expr *resolve_column(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr *lv = resolve_lambda_var(an, e);
    if (lv)
        return lv;
    int depth = 0;
    for (an_scope *s = sc; s; s = s->outer, depth++) {
        col_match m[8];
        int n = find_matches(an, s, e->parts, e->nparts, m, 8);
        if (n > 1) {
            lm_strbuf name, cands;
            lm_strbuf_init(&name);
            lm_strbuf_init(&cands);
            quoted_name(&name, e->parts, m[0].consumed);
            for (int i = 0; i < n; i++) {
                const an_col *c = &s->cols[m[i].index];
                if (i)
                    lm_strbuf_puts(&cands, ", ");
                for (int k = 0; k < qual_len(c->qual); k++)
                    lm_strbuf_printf(&cands, "`%s`.", c->qual[k]);
                lm_strbuf_printf(&cands, "`%s`", c->name);
            }
            an_error(an, e->start, e->stop, "AMBIGUOUS_REFERENCE", "42704",
                     "Reference %s is ambiguous, could be: [%s].", lm_strbuf_cstr(&name),
                     lm_strbuf_cstr(&cands));
            lm_error_param_add(an->err, "name", lm_strbuf_cstr(&name));
            lm_error_param_add(an->err, "referenceNames", lm_strbuf_cstr(&cands));
            lm_strbuf_free(&name);
            lm_strbuf_free(&cands);
            return NULL;
        }
        if (n == 1) {
            const an_col *c = &s->cols[m[0].index];
            lm_expr *b = an_new_expr(an, depth ? LM_EXPR_OUTER : LM_EXPR_BOUND);
            if (b == NULL)
                return NULL;
            b->ordinal = m[0].index;
            b->depth = depth;
            /* a column keeps the spelling the query used (SELECT COL1 from a
               table of col1 names the output COL1), as Spark's resolver does */
            b->name = m[0].consumed == e->nparts ? e->parts[e->nparts - 1] : (char *)c->name;
            b->type = c->type;
            b->nullable = c->nullable;
            b->resolved = true;
            b->start = e->start;
            b->stop = e->stop;
            return field_chain(an, b, e->parts, e->nparts, m[0].consumed, e->stop);
        }
    }
    if (e->nparts == 1 && strcasecmp(e->parts[0], "grouping__id") == 0)
        return grouping_id_column(an, e);
    const char *fn = e->nparts == 1 ? literal_function(e->parts[0]) : NULL;
    if (fn != NULL) {
        lm_expr *call = an_new_expr(an, LM_EXPR_CALL);
        if (call == NULL)
            return NULL;
        call->name = (char *)fn;
        call->start = e->start;
        call->stop = e->stop;
        return an_resolve_expr(an, sc, call);
    }
    unresolved_column(an, sc, e);
    return NULL;
}

/* Resolves base.name for a struct (field by name) or a map with string keys. */
static lm_expr *resolve_field(lm_analyzer *an, lm_expr *base, const char *name, int start,
                              int stop)
{
    const lm_type *t = base->type;
    if (t->id == LM_TYPE_STRUCT) {
        for (int i = 0; i < t->nfields; i++) {
            if (name_eq(an, t->fields[i].name, name)) {
                lm_expr *f = an_new_expr(an, LM_EXPR_FIELD);
                lm_expr **args = an_alloc(an, sizeof *args);
                if (f == NULL || args == NULL)
                    return NULL;
                args[0] = base;
                f->args = args;
                f->nargs = 1;
                f->name = t->fields[i].name;
                f->ordinal = i;
                f->type = t->fields[i].type;
                f->nullable = base->nullable || t->fields[i].nullable;
                f->resolved = true;
                f->start = base->start >= 0 ? base->start : start;
                f->stop = stop;
                return f;
            }
        }
        an_error(an, start, stop, "FIELD_NOT_FOUND", "42704",
                 "No such struct field `%s` in %s.", name, "the struct");
        lm_error_param_add(an->err, "fieldName", name);
        return NULL;
    }
    if (t->id == LM_TYPE_MAP && t->key->id == LM_TYPE_STRING) {
        lm_expr *s = an_new_expr(an, LM_EXPR_SUBSCRIPT);
        lm_expr **args = an_alloc(an, 2 * sizeof *args);
        if (s == NULL || args == NULL)
            return NULL;
        size_t len = strlen(name);
        args[0] = base;
        args[1] = an_literal(an, lm_type_string(), lm_value_str(an_strdup(an, name), (int32_t)len));
        s->args = args;
        s->nargs = 2;
        s->type = t->value;
        s->nullable = true;
        s->resolved = true;
        return s;
    }
    an_error(an, start, stop, "INVALID_EXTRACT_BASE_FIELD_TYPE", "42000",
             "Can't extract a value from %s. Need a complex type [STRUCT, ARRAY, MAP] but got the "
             "type.", base->name ? base->name : "the expression");
    return NULL;
}

static lm_expr *field_chain(lm_analyzer *an, lm_expr *base, char **parts, int n, int start,
                            int stop)
{
    for (int i = start; i < n && base; i++)
        base = resolve_field(an, base, parts[i], base->start, stop);
    return base;
}

/* ------------------------------------------------------- expressions */

bool an_is_foldable(const lm_expr *e)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        return true;
    case LM_EXPR_BOUND:
    case LM_EXPR_OUTER:
    case LM_EXPR_LAMBDA_VAR:
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
    case LM_EXPR_GROUPING_ID:
        return false;
    case LM_EXPR_CALL:
        if (e->fn == NULL || e->fn->kind != LM_FN_SCALAR ||
            (e->fn->flags & LM_FN_NONDETERMINISTIC) || e->window)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!an_is_foldable(e->args[i]))
            return false;
    return true;
}

bool an_contains_agg(const lm_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_AGGREGATE && e->window == NULL)
        return true;
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY || e->kind == LM_EXPR_EXISTS)
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (an_contains_agg(e->args[i]))
            return true;
    return false;
}

static bool refs_outer_only(const lm_expr *e, bool *outer)
{
    if (e == NULL)
        return true;
    if (e->kind == LM_EXPR_BOUND)
        return false;
    if (e->kind == LM_EXPR_OUTER) {
        *outer = true;
        return true;
    }
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY || e->kind == LM_EXPR_EXISTS ||
        e->kind == LM_EXPR_IN_SUBQUERY)
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (!refs_outer_only(e->args[i], outer))
            return false;
    return refs_outer_only(e->filter, outer);
}

bool an_is_outer_agg(const lm_expr *e)
{
    if (e->kind != LM_EXPR_CALL || e->fn == NULL || e->fn->kind != LM_FN_AGGREGATE || e->window)
        return false;
    bool outer = false;
    for (int i = 0; i < e->nargs; i++)
        if (!refs_outer_only(e->args[i], &outer))
            return false;
    return outer;
}

bool an_contains_local_agg(const lm_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_AGGREGATE && e->window == NULL)
        return !an_is_outer_agg(e);
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY || e->kind == LM_EXPR_EXISTS)
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (an_contains_local_agg(e->args[i]))
            return true;
    return false;
}

bool an_contains_window(const lm_expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == LM_EXPR_CALL && e->window)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (an_contains_window(e->args[i]))
            return true;
    return false;
}

bool an_expr_equal(const lm_expr *a, const lm_expr *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL)
        return false;
    /* aliases are transparent for matching GROUP BY keys */
    if (a->kind == LM_EXPR_ALIAS)
        return an_expr_equal(a->args[0], b);
    if (b->kind == LM_EXPR_ALIAS)
        return an_expr_equal(a, b->args[0]);
    if (a->kind != b->kind || a->nargs != b->nargs || a->flags != b->flags)
        return false;
    switch (a->kind) {
    case LM_EXPR_LITERAL:
        if (!lm_type_equal(a->type, b->type) || a->value.is_null != b->value.is_null)
            return false;
        if (!a->value.is_null && !lm_value_equal(a->type, &a->value, &b->value))
            return false;
        break;
    case LM_EXPR_BOUND:
    case LM_EXPR_LAMBDA_VAR:
        return a->ordinal == b->ordinal;
    case LM_EXPR_OUTER:
        return a->ordinal == b->ordinal && a->depth == b->depth;
    case LM_EXPR_CALL:
        if (a->fn != b->fn || a->distinct != b->distinct || a->window || b->window)
            return false;
        if (!an_expr_equal(a->filter, b->filter))
            return false;
        break;
    case LM_EXPR_CAST:
        if (!lm_type_equal(a->type, b->type))
            return false;
        break;
    case LM_EXPR_FIELD:
        if (a->ordinal != b->ordinal)
            return false;
        break;
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
        return false;
    default:
        break;
    }
    for (int i = 0; i < a->nargs; i++)
        if (!an_expr_equal(a->args[i], b->args[i]))
            return false;
    return true;
}

const char *an_output_name(lm_analyzer *an, const lm_expr *e)
{
    if (e->kind == LM_EXPR_ALIAS)
        return e->name;
    if (e->kind == LM_EXPR_BOUND || e->kind == LM_EXPR_OUTER)
        return e->name;
    /* Spark's ResolveAliases names a cast written directly over a column
       after the column: SELECT CAST(a AS STRING) FROM t gives column `a`
       (try_cast too, being a Cast in another eval mode) */
    if (e->kind == LM_EXPR_CAST && !(e->flags & LM_CAST_IMPLICIT) &&
        (e->args[0]->kind == LM_EXPR_BOUND || e->args[0]->kind == LM_EXPR_OUTER) &&
        e->args[0]->name != NULL)
        return e->args[0]->name;
    if (e->kind == LM_EXPR_FIELD) {
        /* a.b.c resolved from a column path is named c (Spark aliases the
           extraction); a field of any other expression prints in full */
        const lm_expr *b = e;
        while (b->kind == LM_EXPR_FIELD)
            b = b->args[0];
        if (b->kind == LM_EXPR_BOUND || b->kind == LM_EXPR_OUTER || b->kind == LM_EXPR_LAMBDA_VAR)
            return e->name;
    }
    char *n = lm_expr_pretty_arena(an->a, e);
    return n ? n : "?";
}

static void non_higher_order_class(lm_analyzer *an, const lm_expr *e, const char *cls);

/* Spark's class of an expression that is not a function call, as the
   lambda error names it. */
static const char *node_class(lm_expr_kind k)
{
    switch (k) {
    case LM_EXPR_ALIAS: return "org.apache.spark.sql.catalyst.expressions.Alias";
    case LM_EXPR_CAST: return "org.apache.spark.sql.catalyst.expressions.Cast";
    case LM_EXPR_CASE: return "org.apache.spark.sql.catalyst.expressions.CaseWhen";
    case LM_EXPR_IN: return "org.apache.spark.sql.catalyst.expressions.In";
    case LM_EXPR_SORT: return "org.apache.spark.sql.catalyst.expressions.SortOrder";
    default: return "org.apache.spark.sql.catalyst.expressions.UnresolvedExtractValue";
    }
}

static lm_expr **resolve_args(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr **args = an_alloc(an, sizeof *args * (size_t)(e->nargs + 1));
    if (args == NULL)
        return NULL;
    for (int i = 0; i < e->nargs; i++) {
        if (e->args[i]->kind == LM_EXPR_LAMBDA) {
            /* a function's lambda is resolved by the higher-order function
               (or refused by resolve_call); no other expression takes one */
            if (e->kind != LM_EXPR_CALL) {
                non_higher_order_class(an, e, node_class(e->kind));
                return NULL;
            }
            args[i] = e->args[i];
            continue;
        }
        args[i] = an_resolve_expr(an, sc, e->args[i]);
        if (args[i] == NULL)
            return NULL;
    }
    return args;
}

static lm_expr *copy_node(lm_analyzer *an, const lm_expr *e)
{
    lm_expr *c = an_alloc(an, sizeof *c);
    if (c)
        *c = *e;
    return c;
}

static lm_window_spec *resolve_window(lm_analyzer *an, an_scope *sc, const lm_window_spec *w)
{
    lm_window_spec *r = an_alloc(an, sizeof *r);
    if (r == NULL)
        return NULL;
    *r = *w;
    r->partition = an_alloc(an, sizeof(lm_expr *) * (size_t)(w->npartition + 1));
    r->order = an_alloc(an, sizeof(lm_expr *) * (size_t)(w->norder + 1));
    if (r->partition == NULL || r->order == NULL)
        return NULL;
    for (int i = 0; i < w->npartition; i++)
        if ((r->partition[i] = an_resolve_expr(an, sc, w->partition[i])) == NULL)
            return NULL;
    for (int i = 0; i < w->norder; i++)
        if ((r->order[i] = an_resolve_expr(an, sc, w->order[i])) == NULL)
            return NULL;
    for (int k = 0; k < 2; k++) {
        lm_frame_bound *b = k ? &r->frame_end : &r->frame_start;
        if (b->offset && (b->offset = an_resolve_expr(an, sc, b->offset)) == NULL)
            return NULL;
    }
    return r;
}

/* A lambda under an expression that takes none, of Spark class cls. */
static void non_higher_order_class(lm_analyzer *an, const lm_expr *e, const char *cls)
{
    an_error(an, e->start, e->stop, "INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION",
             "42K0D", "Invalid lambda function call. A lambda function should only be used in a "
             "higher order function. However, its class is %s, which is not a higher order "
             "function.", cls);
    lm_error_param_add(an->err, "class", cls);
}

/* A lambda passed to a function that takes none: Spark names the
   expression class; we derive the CamelCase name from the function's. */
static void non_higher_order(lm_analyzer *an, const lm_expr *e)
{
    char cls[160] = "org.apache.spark.sql.catalyst.expressions.";
    size_t n = strlen(cls);
    bool up = true;
    for (const char *p = e->name; *p && n + 1 < sizeof cls; p++) {
        if (*p == '_') {
            up = true;
            continue;
        }
        cls[n++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        up = false;
    }
    cls[n] = 0;
    non_higher_order_class(an, e, cls);
}

/* Spark registers each atomic type name as a one-argument cast function
   (FunctionRegistry's castAlias): int(x) is a user-written CAST(x AS INT). */
static lm_type *cast_alias_type(const char *name)
{
    static const struct {
        const char *name;
        lm_type_id id;
    } aliases[] = {
        {"boolean", LM_TYPE_BOOLEAN}, {"tinyint", LM_TYPE_BYTE},  {"smallint", LM_TYPE_SHORT},
        {"int", LM_TYPE_INT},         {"bigint", LM_TYPE_LONG},   {"float", LM_TYPE_FLOAT},
        {"double", LM_TYPE_DOUBLE},   {"binary", LM_TYPE_BINARY}, {"string", LM_TYPE_STRING},
        {"date", LM_TYPE_DATE},       {"timestamp", LM_TYPE_TIMESTAMP},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].name) == 0)
            return lm_type_primitive(aliases[i].id);
    if (strcasecmp(name, "decimal") == 0)
        return lm_type_decimal(10, 0);
    return NULL;
}

static lm_expr *resolve_cast(lm_analyzer *an, an_scope *sc, lm_expr *e);

/*
 * count(t.*) is refused unless
 * spark.sql.legacy.allowStarWithSingleTableIdentifierInCount; other star
 * arguments are expanded by resolve_call. Returns e, or NULL on error.
 */
static lm_expr *expand_star_args(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    int nstar = 0;
    for (int i = 0; i < e->nargs; i++)
        nstar += e->args[i]->kind == LM_EXPR_STAR;
    if (nstar == 0 || sc == NULL)
        return e;
    if (strcasecmp(e->name, "count") == 0 && e->nargs == 1 && e->args[0]->nparts > 0 &&
        !session_conf_bool(an->s, "spark.sql.legacy.allowStarWithSingleTableIdentifierInCount",
                           false)) {
        const lm_expr *st = e->args[0];
        lm_error_set(an->err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1021", NULL,
                     "count(%s.*) is not allowed. Please use count(*) or expand the columns "
                     "manually, e.g. count(col1, col2).",
                     st->parts[st->nparts - 1]);
        lm_error_param_add(an->err, "targetString", st->parts[st->nparts - 1]);
        return NULL;
    }
    /* the stars themselves are expanded with the other arguments
       (an_expand_stars), which also knows struct.* */
    return e;
}

static lm_expr *resolve_call(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_type *alias = e->nparts <= 1 && !e->window && !e->distinct ? cast_alias_type(e->name) : NULL;
    if (alias != NULL) {
        lm_arena_keep_type(an->a, alias);
        if (e->nargs != 1) {
            an_error(an, e->start, e->stop, "_LEGACY_ERROR_TEMP_1210", NULL,
                     "Function %s accepts only one argument", e->name);
            return NULL;
        }
        lm_expr *c = an_new_expr(an, LM_EXPR_CAST);
        if (c == NULL)
            return NULL;
        /* Spark does not tag these casts as user-written, so generated
           names show only the argument: length(date('2020-01-01')) is
           named length(2020-01-01) */
        c->flags = LM_CAST_IMPLICIT;
        c->args = e->args;
        c->nargs = 1;
        c->type = alias;
        c->start = e->start;
        c->stop = e->stop;
        return resolve_cast(an, sc, c);
    }
    const lm_func_def *fn = lm_func_lookup(e->name);
    if (fn == NULL) {
        an_error(an, e->start, e->stop, "UNRESOLVED_ROUTINE", "42883",
                 "Cannot resolve function `%s` on search path [`system`.`builtin`, "
                 "`system`.`session`, `spark_catalog`.`default`].",
                 e->name);
        lm_error_param_add(an->err, "routineName", e->name);
        return NULL;
    }
    if ((e = expand_star_args(an, sc, e)) == NULL)
        return NULL;
    lm_expr *c = copy_node(an, e);
    if (c == NULL)
        return NULL;
    c->fn = fn;
    if ((e->flags & LM_CALL_STAR_ARG) && e->nargs == 0) {
        /* count(*) is count(1) in Spark, and prints so */
        lm_expr *one = an_literal(an, lm_type_int(), lm_value_i64(1));
        lm_expr **args = an_alloc(an, sizeof *args);
        if (one == NULL || args == NULL)
            return NULL;
        args[0] = one;
        c->args = args;
        c->nargs = 1;
    } else {
        lm_expr src = *e;
        for (int i = 0; i < e->nargs; i++)
            if (e->args[i]->kind == LM_EXPR_STAR) {
                if (!an_expand_stars(an, sc, e->args, e->nargs, &src.args, &src.nargs))
                    return NULL;
                c->nargs = src.nargs;
                break;
            }
        c->args = resolve_args(an, sc, &src);
        if (c->args == NULL)
            return NULL;
    }
    if (c->nargs < fn->min_args || (fn->max_args >= 0 && c->nargs > fn->max_args)) {
        char expected[64];
        if (fn->max_args < 0)
            snprintf(expected, sizeof expected, "> %d", fn->min_args - 1);
        else if (fn->min_args == fn->max_args)
            snprintf(expected, sizeof expected, "%d", fn->min_args);
        else
            snprintf(expected, sizeof expected, "[%d, %d]", fn->min_args, fn->max_args);
        char actual[16];
        snprintf(actual, sizeof actual, "%d", c->nargs);
        an_error(an, e->start, e->stop, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "42605",
                 "The `%s` requires %s parameters but the actual number is %d. Please, refer to "
                 "'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
                 e->name, expected, c->nargs);
        lm_error_param_add(an->err, "functionName", e->name);
        lm_error_param_add(an->err, "expectedNum", expected);
        lm_error_param_add(an->err, "actualNum", actual);
        return NULL;
    }
    if (e->filter && (c->filter = an_resolve_expr(an, sc, e->filter)) == NULL)
        return NULL;
    if (e->norder) {
        /* WITHIN GROUP (ORDER BY ...) of inverse distribution functions */
        c->order = an_alloc(an, sizeof(lm_expr *) * (size_t)e->norder);
        if (c->order == NULL)
            return NULL;
        for (int i = 0; i < e->norder; i++)
            if ((c->order[i] = an_resolve_expr(an, sc, e->order[i])) == NULL)
                return NULL;
    }
    if (e->window && (c->window = resolve_window(an, sc, e->window)) == NULL)
        return NULL;
    /* a generator is only allowed as a whole select item (or LATERAL VIEW) */
    for (int i = 0; i < c->nargs; i++) {
        const lm_expr *a = c->args[i];
        if (a->kind == LM_EXPR_CALL && a->fn && a->fn->kind == LM_FN_GENERATOR) {
            char *q = lm_coerce_quote_sql(&an->rc, c);
            an_error(an, e->start, e->stop, "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS",
                     "42K0E", "The generator is not supported: nested in expressions %s.",
                     q ? q : "");
            lm_error_param_add(an->err, "expression", q ? q : "");
            return NULL;
        }
    }
    if (!(fn->flags & LM_FN_HIGHER_ORDER)) {
        for (int i = 0; i < c->nargs; i++)
            if (c->args[i]->kind == LM_EXPR_LAMBDA && !c->args[i]->resolved) {
                non_higher_order(an, e);
                return NULL;
            }
    }
    c->resolved = true;
    an_scope *saved_scope = an->cur_scope;
    an->cur_scope = sc;
    lm_status st = fn->resolve(&an->rc, c, an->err);
    an->cur_scope = saved_scope;
    if (st != LM_OK) {
        if (an->err->ctx_start < 0)
            lm_error_set_context(an->err, e->start, e->stop);
        return NULL;
    }
    if (c->window && an_resolve_window_call(an, c) != LM_OK)
        return NULL;
    return c;
}

/*
 * Cast.checkInputDataTypes: a cast the evaluation mode does not allow is
 * DATATYPE_MISMATCH. A plain CAST in an ANSI session follows canAnsiCast
 * and says how to get the conversion anyway (typeCheckFailureMessage): a
 * function for numbers and dates, or the ANSI conf when a non-ANSI cast
 * would do. Otherwise the legacy rules apply, with no suggestion.
 */
static lm_status cast_type_check(lm_analyzer *an, lm_expr *c, const lm_type *from,
                                 const lm_type *to, bool ansi)
{
    if (ansi ? lm_cast_can_ansi(from, to) : lm_cast_can(from, to))
        return LM_OK;
    char *sf = lm_coerce_quote_type(&an->rc, from);
    char *st = lm_coerce_quote_type(&an->rc, to);
    const char *fn = NULL;
    if (ansi && lm_type_is_numeric(from) && to->id == LM_TYPE_DATE)
        fn = "`DATE_FROM_UNIX_DATE`";
    else if (ansi && from->id == LM_TYPE_DATE && lm_type_is_numeric(to))
        fn = "`UNIX_DATE`";
    if (fn != NULL) {
        lm_coerce_mismatch(&an->rc, c, an->err, "CAST_WITH_FUNC_SUGGESTION",
                           "cannot cast %s to %s. To convert values from %s to %s, you can use "
                           "the functions %s instead.",
                           sf, st, sf, st, fn);
        lm_error_param_add(an->err, "srcType", sf);
        lm_error_param_add(an->err, "targetType", st);
        lm_error_param_add(an->err, "functionNames", fn);
    } else if (ansi && lm_cast_can(from, to)) {
        lm_coerce_mismatch(&an->rc, c, an->err, "CAST_WITH_CONF_SUGGESTION",
                           "cannot cast %s to %s with ANSI mode on. If you have to cast %s to %s, "
                           "you can set \"spark.sql.ansi.enabled\" as 'false'.",
                           sf, st, sf, st);
        lm_error_param_add(an->err, "srcType", sf);
        lm_error_param_add(an->err, "targetType", st);
        lm_error_param_add(an->err, "config", "\"spark.sql.ansi.enabled\"");
        lm_error_param_add(an->err, "configVal", "'false'");
    } else {
        lm_coerce_mismatch(&an->rc, c, an->err, "CAST_WITHOUT_SUGGESTION", "cannot cast %s to %s.",
                           sf, st);
        lm_error_param_add(an->err, "srcType", sf);
        lm_error_param_add(an->err, "targetType", st);
    }
    return LM_ERROR;
}

static lm_expr *resolve_cast(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr *c = copy_node(an, e);
    if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
        return NULL;
    /* try_cast keeps the legacy check; CAST is ANSI when the session is */
    bool ansi = (e->flags & LM_CAST_ANSI) || (an->rc.ansi && !(e->flags & LM_CAST_TRY));
    if (cast_type_check(an, c, c->args[0]->type, e->type, ansi) != LM_OK)
        return NULL;
    c->resolved = true;
    c->nullable = true;
    return c;
}

static lm_expr *resolve_case(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr *c = copy_node(an, e);
    if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
        return NULL;
    bool has_op = (e->flags & LM_CASE_HAS_OPERAND) != 0;
    bool has_else = (e->flags & LM_CASE_HAS_ELSE) != 0;
    int first = has_op ? 1 : 0;
    int end = c->nargs - (has_else ? 1 : 0);
    /* branch values, then else */
    int nvals = 0;
    lm_expr *vals[256];
    for (int i = first + 1; i < end && nvals < 255; i += 2)
        vals[nvals++] = c->args[i];
    if (has_else)
        vals[nvals++] = c->args[c->nargs - 1];
    lm_type *t = lm_coerce_wider_all(vals, nvals, true);
    if (t == NULL) {
        lm_strbuf ts;
        lm_strbuf_init(&ts);
        for (int i = 0; i < nvals; i++) {
            if (i)
                lm_strbuf_puts(&ts, ", ");
            lm_strbuf_putc(&ts, '"');
            lm_type_sql_string(&ts, vals[i]->type);
            lm_strbuf_putc(&ts, '"');
        }
        lm_coerce_mismatch(&an->rc, c, an->err, "DATA_DIFF_TYPES",
                           "Input to `casewhen` should all be the same type, but it's [%s].",
                           lm_strbuf_cstr(&ts));
        lm_error_param_add(an->err, "functionName", "`casewhen`");
        lm_error_param_add(an->err, "dataType", lm_strbuf_cstr(&ts));
        lm_strbuf_free(&ts);
        return NULL;
    }
    lm_arena_keep_type(an->a, t);
    bool nullable = !has_else;
    for (int i = first + 1; i < end; i += 2) {
        if ((c->args[i] = lm_coerce_to(&an->rc, c->args[i], t)) == NULL)
            return NULL;
        nullable |= c->args[i]->nullable;
    }
    if (has_else) {
        if ((c->args[c->nargs - 1] = lm_coerce_to(&an->rc, c->args[c->nargs - 1], t)) == NULL)
            return NULL;
        nullable |= c->args[c->nargs - 1]->nullable;
    }
    if (has_op) {
        /* CASE x WHEN v: x and every v meet at their comparison type */
        lm_expr *ops[256];
        int nops = 0;
        ops[nops++] = c->args[0];
        for (int i = first; i < end && nops < 255; i += 2)
            ops[nops++] = c->args[i];
        lm_type *ot = lm_coerce_wider_all(ops, nops, true);
        if (ot == NULL) {
            lm_coerce_mismatch(&an->rc, c, an->err, "DATA_DIFF_TYPES",
                               "Input to `casewhen` should all be the same type.");
            return NULL;
        }
        lm_arena_keep_type(an->a, ot);
        if ((c->args[0] = lm_coerce_to(&an->rc, c->args[0], ot)) == NULL)
            return NULL;
        for (int i = first; i < end; i += 2)
            if ((c->args[i] = lm_coerce_to(&an->rc, c->args[i], ot)) == NULL)
                return NULL;
    } else {
        for (int i = 0; i < end; i += 2) {
            lm_expr *w = c->args[i];
            if (w->type->id == LM_TYPE_NULL) {
                if ((c->args[i] = lm_coerce_to(&an->rc, w, lm_type_boolean())) == NULL)
                    return NULL;
            } else if (w->type->id != LM_TYPE_BOOLEAN) {
                char *got = lm_coerce_quote_type(&an->rc, w->type);
                lm_coerce_mismatch(&an->rc, c, an->err, "UNEXPECTED_INPUT_TYPE",
                                   "Parameter %d requires the \"BOOLEAN\" type, however %s has "
                                   "the type %s.",
                                   i + 1, lm_coerce_quote_sql(&an->rc, w), got);
                return NULL;
            }
        }
    }
    c->type = t;
    c->nullable = nullable;
    c->resolved = true;
    return c;
}

/*
 * (a, b) IN ((1, 2.0), ...): the row constructors on the right name their
 * fields col1, col2 while the left names them a, b; Spark compares such
 * structs by position, so widen field by field under the left's names.
 */
static lm_type *in_struct_type(lm_expr **args, int n)
{
    const lm_type *v = args[0]->type;
    if (v->id != LM_TYPE_STRUCT)
        return NULL;
    for (int i = 1; i < n; i++)
        if (args[i]->type->id != LM_TYPE_STRUCT || args[i]->type->nfields != v->nfields)
            return NULL;
    lm_field *fs = calloc((size_t)(v->nfields ? v->nfields : 1), sizeof *fs);
    if (fs == NULL)
        return NULL;
    bool ok = true;
    int f;
    for (f = 0; f < v->nfields && ok; f++) {
        lm_type *acc = lm_type_ref(v->fields[f].type);
        bool nullable = v->fields[f].nullable;
        for (int i = 1; i < n && acc; i++) {
            lm_type *next = lm_coerce_wider(acc, args[i]->type->fields[f].type);
            lm_type_unref(acc);
            acc = next;
            nullable |= args[i]->type->fields[f].nullable;
        }
        fs[f].name = v->fields[f].name;
        fs[f].type = acc;
        fs[f].nullable = nullable;
        ok = acc != NULL;
    }
    lm_type *r = ok ? lm_type_struct(fs, v->nfields) : NULL;
    for (int k = 0; k < f; k++)
        lm_type_unref(fs[k].type);
    free(fs);
    return r;
}

static lm_expr *resolve_in(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr *c = copy_node(an, e);
    if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
        return NULL;
    lm_type *t = lm_coerce_wider_all(c->args, c->nargs, true);
    if (t == NULL)
        t = in_struct_type(c->args, c->nargs);
    if (t == NULL) {
        lm_strbuf ts;
        lm_strbuf_init(&ts);
        for (int i = 0; i < c->nargs; i++) {
            if (i)
                lm_strbuf_puts(&ts, ", ");
            lm_strbuf_putc(&ts, '"');
            lm_type_sql_string(&ts, c->args[i]->type);
            lm_strbuf_putc(&ts, '"');
        }
        lm_coerce_mismatch(&an->rc, c, an->err, "DATA_DIFF_TYPES",
                           "Input to `in` should all be the same type, but it's [%s].",
                           lm_strbuf_cstr(&ts));
        lm_error_param_add(an->err, "functionName", "`in`");
        lm_error_param_add(an->err, "dataType", lm_strbuf_cstr(&ts));
        lm_strbuf_free(&ts);
        return NULL;
    }
    lm_arena_keep_type(an->a, t);
    bool nullable = false;
    for (int i = 0; i < c->nargs; i++) {
        if ((c->args[i] = lm_coerce_to(&an->rc, c->args[i], t)) == NULL)
            return NULL;
        nullable |= c->args[i]->nullable;
    }
    c->type = lm_type_boolean();
    c->nullable = nullable;
    c->resolved = true;
    return c;
}

static lm_expr *resolve_subscript(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_expr *c = copy_node(an, e);
    if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
        return NULL;
    const lm_type *bt = c->args[0]->type;
    if (bt->id == LM_TYPE_ARRAY) {
        if (!lm_type_is_integral(c->args[1]->type) && c->args[1]->type->id != LM_TYPE_NULL) {
            lm_coerce_unexpected_input(&an->rc, c, 1, "\"INT\"", an->err);
            return NULL;
        }
        if ((c->args[1] = lm_coerce_to(&an->rc, c->args[1], lm_type_int())) == NULL)
            return NULL;
        c->type = bt->elem;
    } else if (bt->id == LM_TYPE_MAP) {
        if ((c->args[1] = lm_coerce_to(&an->rc, c->args[1], bt->key)) == NULL)
            return NULL;
        c->type = bt->value;
    } else if (bt->id == LM_TYPE_STRUCT && c->args[1]->kind == LM_EXPR_LITERAL &&
               c->args[1]->type->id == LM_TYPE_STRING && !c->args[1]->value.is_null) {
        char *name = lm_arena_strndup(an->a, c->args[1]->value.u.str.ptr,
                                      (size_t)c->args[1]->value.u.str.len);
        return name ? resolve_field(an, c->args[0], name, e->start, e->stop) : NULL;
    } else {
        an_error(an, e->start, e->stop, "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "42K09",
                 "The base of a subscript must be an array or a map.");
        return NULL;
    }
    c->nullable = true;
    c->resolved = true;
    return c;
}


lm_expr *an_resolve_expr(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    if (e->resolved)
        return e;
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        return an_resolve_literal(an, e);
    case LM_EXPR_COLUMN:
        return resolve_column(an, sc, e);
    case LM_EXPR_STAR:
        an_error(an, e->start, e->stop, "INVALID_USAGE_OF_STAR_OR_REGEX", "42000",
                 "Invalid usage of '*' in expression `%s`.", "select");
        return NULL;
    case LM_EXPR_ALIAS: {
        lm_expr *c = copy_node(an, e);
        if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
            return NULL;
        c->type = c->args[0]->type;
        c->nullable = c->args[0]->nullable;
        c->resolved = true;
        return c;
    }
    case LM_EXPR_CALL:
        return resolve_call(an, sc, e);
    case LM_EXPR_CAST:
        return resolve_cast(an, sc, e);
    case LM_EXPR_CASE:
        return resolve_case(an, sc, e);
    case LM_EXPR_IN:
        return resolve_in(an, sc, e);
    case LM_EXPR_FIELD: {
        lm_expr *base = an_resolve_expr(an, sc, e->args[0]);
        return base ? resolve_field(an, base, e->name, e->start, e->stop) : NULL;
    }
    case LM_EXPR_SUBSCRIPT:
        return resolve_subscript(an, sc, e);
    case LM_EXPR_SORT: {
        lm_expr *c = copy_node(an, e);
        if (c == NULL || (c->args = resolve_args(an, sc, e)) == NULL)
            return NULL;
        c->type = c->args[0]->type;
        c->nullable = c->args[0]->nullable;
        c->resolved = true;
        return c;
    }
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
        return an_resolve_subquery(an, sc, e);
    case LM_EXPR_LAMBDA_VAR: {
        lm_expr col = *e;
        col.kind = LM_EXPR_COLUMN;
        char *parts[1] = {e->name};
        col.parts = parts;
        col.nparts = 1;
        lm_expr *v = resolve_lambda_var(an, &col);
        if (v == NULL)
            unresolved_column(an, sc, &col);
        return v;
    }
    default:
        an_error(an, e->start, e->stop, "UNSUPPORTED_FEATURE", "0A000",
                 "The expression kind %d is not supported by localmode yet.", (int)e->kind);
        return NULL;
    }
}
