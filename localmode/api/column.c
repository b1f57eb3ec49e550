/*
 * Column builders of the DataFrame API (Spark's Column and functions):
 * each builds the same unresolved expression tree the SQL parser would
 * build for the equivalent SQL text (plan.h, sql/parser.h), so generated
 * column names, coercions and errors come out as for SQL.
 *
 * Memory: a handle owns a small arena with its own nodes and adopts the
 * handles it was built from (see struct lm_column in dfapi.h). Builders
 * consume their arguments, also when they fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dfapi.h"
#include "session/session.h"
#include "sql/parser.h"

lm_expr *dfapi_expr_new(lm_arena *a, lm_expr_kind kind)
{
    lm_expr *e = lm_arena_calloc(a, 1, sizeof *e);
    if (e) {
        e->kind = kind;
        e->start = e->stop = -1;
        e->value = lm_value_null();
    }
    return e;
}

lm_column *dfapi_column_new(void)
{
    lm_column *c = calloc(1, sizeof *c);
    if (c)
        lm_arena_init(&c->arena, 512);
    return c;
}

void lm_column_free(lm_column *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < c->nkids; i++)
        lm_column_free(c->kids[i]);
    if (c->err) {
        lm_error_clear(c->err);
        free(c->err);
    }
    lm_arena_free(&c->arena);
    free(c);
}

lm_status dfapi_column_check(lm_session *s, lm_column *c)
{
    if (c == NULL)
        return lm_error_oom(&s->error);
    if (c->err) {
        lm_error_move(&s->error, c->err);
        free(c->err);
        c->err = NULL;
        return s->error.status ? s->error.status : LM_ERROR;
    }
    return LM_OK;
}

/*
 * A new handle adopting `n` argument handles. When any argument is NULL
 * (allocation failure upstream) everything is freed and NULL returned. The
 * first deferred error among the arguments moves to the new handle.
 */
static lm_column *adopt(int n, lm_column **args)
{
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok &= args[i] != NULL;
    lm_column *c = ok ? dfapi_column_new() : NULL;
    if (c && n)
        c->kids = lm_arena_alloc(&c->arena, sizeof *c->kids * (size_t)n);
    if (c == NULL || (n && c->kids == NULL)) {
        for (int i = 0; i < n; i++)
            lm_column_free(args[i]);
        lm_column_free(c);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        c->kids[c->nkids++] = args[i];
        if (args[i]->err && c->err == NULL) {
            c->err = args[i]->err;
            args[i]->err = NULL;
        }
    }
    return c;
}

/* Splits a column name on dots; a backtick-quoted part may hold dots and
   doubled backticks, as Spark's UnresolvedAttribute.parseAttributeName. */
lm_expr *dfapi_column_ref(lm_arena *a, const char *name)
{
    size_t len = strlen(name);
    char **parts = lm_arena_alloc(a, sizeof(char *) * (len + 2));
    char *buf = lm_arena_alloc(a, len + 1);
    if (parts == NULL || buf == NULL)
        return NULL;
    int np = 0;
    size_t o = 0, i = 0;
    char *start = buf;
    bool star = false;
    while (i <= len) {
        char ch = name[i];
        if (ch == '`') {
            for (i++; i < len; i++) {
                if (name[i] == '`' && name[i + 1] == '`') {
                    buf[o++] = '`';
                    i++;
                } else if (name[i] == '`') {
                    break;
                } else {
                    buf[o++] = name[i];
                }
            }
            i++;
            continue;
        }
        if (ch == '.' || ch == '\0') {
            buf[o++] = '\0';
            parts[np++] = start;
            start = buf + o;
            i++;
            continue;
        }
        buf[o++] = ch;
        i++;
    }
    if (np > 0 && strcmp(parts[np - 1], "*") == 0) {
        star = true;
        np--;
    }
    lm_expr *e = dfapi_expr_new(a, star ? LM_EXPR_STAR : LM_EXPR_COLUMN);
    if (e == NULL)
        return NULL;
    e->parts = parts;
    e->nparts = np;
    return e;
}

lm_column *lm_col(const char *name)
{
    lm_column *c = dfapi_column_new();
    if (c == NULL)
        return NULL;
    if ((c->expr = dfapi_column_ref(&c->arena, name ? name : "")) == NULL) {
        lm_column_free(c);
        return NULL;
    }
    return c;
}

lm_column *lm_df_col(lm_df *df, const char *name)
{
    lm_column *c = lm_col(name);
    if (c == NULL || df == NULL)
        return c;
    /* remember which output column of which plan it names; joins bind it
       before analysis (dfapi_bind_df_columns) */
    int i = dfapi_find_column(df, name);
    if (i >= 0 && c->expr->kind == LM_EXPR_COLUMN) {
        c->expr->aux = df->plan;
        c->expr->ordinal = i;
    }
    return c;
}

static lm_column *literal(lm_type *t, lm_value v, const char *text)
{
    lm_column *c = dfapi_column_new();
    if (c == NULL)
        return NULL;
    lm_expr *e = dfapi_expr_new(&c->arena, LM_EXPR_LITERAL);
    if (e == NULL) {
        lm_column_free(c);
        return NULL;
    }
    e->type = t;
    e->value = v;
    if (text && (e->text = lm_arena_strdup(&c->arena, text)) == NULL) {
        lm_column_free(c);
        return NULL;
    }
    c->expr = e;
    return c;
}

lm_column *lm_lit_int(int32_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%d", v);
    return literal(lm_type_int(), lm_value_i64(v), buf);
}

lm_column *lm_lit_long(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return literal(lm_type_long(), lm_value_i64(v), buf);
}

lm_column *lm_lit_double(double v)
{
    return literal(lm_type_double(), lm_value_f64(v), NULL);
}

lm_column *lm_lit_bool(bool v)
{
    return literal(lm_type_boolean(), lm_value_bool(v), v ? "true" : "false");
}

lm_column *lm_lit_null(void)
{
    return literal(lm_type_null(), lm_value_null(), "NULL");
}

lm_column *lm_lit_string(const char *v)
{
    if (v == NULL)
        return literal(lm_type_string(), lm_value_null(), "NULL");
    lm_column *c = literal(lm_type_string(), lm_value_null(), v);
    if (c == NULL)
        return NULL;
    c->expr->value = lm_value_str(c->expr->text, (int32_t)strlen(v));
    return c;
}

lm_column *lm_expr_parse(const char *text)
{
    lm_column *c = dfapi_column_new();
    if (c == NULL)
        return NULL;
    lm_error err;
    lm_error_init(&err);
    if (lm_parse_expression(text ? text : "", &c->arena, &c->expr, &err) != LM_OK) {
        c->err = malloc(sizeof *c->err);
        if (c->err == NULL) {
            lm_error_clear(&err);
            lm_column_free(c);
            return NULL;
        }
        lm_error_init(c->err);
        lm_error_move(c->err, &err);
        c->expr = NULL;
    }
    return c;
}

/* A CALL node over the adopted handles' expressions. */
static lm_column *call(const char *name, int flags, bool distinct, int n, lm_column **args)
{
    lm_column *c = adopt(n, args);
    if (c == NULL)
        return NULL;
    lm_expr *e = dfapi_expr_new(&c->arena, LM_EXPR_CALL);
    lm_expr **a = lm_arena_alloc(&c->arena, sizeof *a * (size_t)(n + 1));
    char *nm = lm_arena_strdup(&c->arena, name);
    if (e == NULL || a == NULL || nm == NULL) {
        lm_column_free(c);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        a[i] = c->kids[i]->expr;
    e->name = nm;
    e->flags = flags;
    e->distinct = distinct;
    e->args = a;
    e->nargs = n;
    c->expr = e;
    return c;
}

/* Collects a NULL-terminated list of handles (at most 64). */
static int collect(va_list ap, lm_column **out, int max, bool *overflow)
{
    int n = 0;
    lm_column *c;
    *overflow = false;
    while ((c = va_arg(ap, lm_column *)) != NULL) {
        if (n < max)
            out[n++] = c;
        else {
            lm_column_free(c);
            *overflow = true;
        }
    }
    return n;
}

lm_column *lm_fnv(const char *name, int n, lm_column **args)
{
    return call(name ? name : "", 0, false, n, args);
}

lm_column *lm_fn(const char *name, ...)
{
    lm_column *args[64];
    bool over;
    va_list ap;
    va_start(ap, name);
    int n = collect(ap, args, 64, &over);
    va_end(ap);
    return lm_fnv(name, n, args);
}

lm_column *lm_fn_distinct(const char *name, ...)
{
    lm_column *args[64];
    bool over;
    va_list ap;
    va_start(ap, name);
    int n = collect(ap, args, 64, &over);
    va_end(ap);
    return call(name ? name : "", 0, true, n, args);
}

lm_column *lm_count_star(void)
{
    lm_column *one = lm_lit_int(1);
    lm_column *c = call("count", LM_CALL_STAR_ARG, false, 1, &one);
    return c;
}

static lm_column *binop(const char *op, lm_column *a, lm_column *b)
{
    lm_column *args[2] = {a, b};
    return call(op, LM_CALL_OPERATOR, false, 2, args);
}

static lm_column *unop(const char *op, lm_column *a)
{
    return call(op, LM_CALL_OPERATOR, false, 1, &a);
}

lm_column *lm_add(lm_column *a, lm_column *b)
{
    return binop("+", a, b);
}
lm_column *lm_sub(lm_column *a, lm_column *b)
{
    return binop("-", a, b);
}
lm_column *lm_mul(lm_column *a, lm_column *b)
{
    return binop("*", a, b);
}
lm_column *lm_div(lm_column *a, lm_column *b)
{
    return binop("/", a, b);
}
lm_column *lm_mod(lm_column *a, lm_column *b)
{
    return binop("%", a, b);
}
lm_column *lm_eq(lm_column *a, lm_column *b)
{
    return binop("=", a, b);
}
lm_column *lm_lt(lm_column *a, lm_column *b)
{
    return binop("<", a, b);
}
lm_column *lm_le(lm_column *a, lm_column *b)
{
    return binop("<=", a, b);
}
lm_column *lm_gt(lm_column *a, lm_column *b)
{
    return binop(">", a, b);
}
lm_column *lm_ge(lm_column *a, lm_column *b)
{
    return binop(">=", a, b);
}
lm_column *lm_eq_null_safe(lm_column *a, lm_column *b)
{
    return binop("<=>", a, b);
}
lm_column *lm_and(lm_column *a, lm_column *b)
{
    return binop("and", a, b);
}
lm_column *lm_or(lm_column *a, lm_column *b)
{
    return binop("or", a, b);
}
lm_column *lm_not(lm_column *a)
{
    return unop("not", a);
}
lm_column *lm_neg(lm_column *a)
{
    return unop("negative", a);
}
lm_column *lm_is_null(lm_column *a)
{
    return unop("isnull", a);
}
lm_column *lm_is_not_null(lm_column *a)
{
    return unop("isnotnull", a);
}

/* Column.=!= is Not(EqualTo), printed (NOT (a = b)), as the parser's <>. */
lm_column *lm_ne(lm_column *a, lm_column *b)
{
    return lm_not(lm_eq(a, b));
}

lm_column *lm_like(lm_column *a, const char *pattern)
{
    return binop("like", a, lm_lit_string(pattern));
}

lm_column *lm_isin(lm_column *a, ...)
{
    lm_column *args[64];
    bool over;
    args[0] = a;
    va_list ap;
    va_start(ap, a);
    int n = 1 + collect(ap, args + 1, 63, &over);
    va_end(ap);
    lm_column *c = adopt(n, args);
    if (c == NULL)
        return NULL;
    lm_expr *e = dfapi_expr_new(&c->arena, LM_EXPR_IN);
    lm_expr **xs = lm_arena_alloc(&c->arena, sizeof *xs * (size_t)n);
    if (e == NULL || xs == NULL) {
        lm_column_free(c);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        xs[i] = c->kids[i]->expr;
    e->args = xs;
    e->nargs = n;
    c->expr = e;
    return c;
}

/* A node of `kind` with one argument, the adopted handle's expression. */
static lm_column *wrap(lm_expr_kind kind, lm_column *a)
{
    lm_column *c = adopt(1, &a);
    if (c == NULL)
        return NULL;
    lm_expr *e = dfapi_expr_new(&c->arena, kind);
    lm_expr **xs = lm_arena_alloc(&c->arena, sizeof *xs);
    if (e == NULL || xs == NULL) {
        lm_column_free(c);
        return NULL;
    }
    xs[0] = c->kids[0]->expr;
    e->args = xs;
    e->nargs = 1;
    c->expr = e;
    return c;
}

lm_column *lm_alias(lm_column *a, const char *name)
{
    lm_column *c = wrap(LM_EXPR_ALIAS, a);
    if (c && (c->expr->name = lm_arena_strdup(&c->arena, name ? name : "")) == NULL) {
        lm_column_free(c);
        return NULL;
    }
    return c;
}

lm_column *lm_cast(lm_column *a, const char *type)
{
    lm_column *c = wrap(LM_EXPR_CAST, a);
    if (c == NULL)
        return NULL;
    lm_error err;
    lm_error_init(&err);
    if (lm_parse_data_type(type ? type : "", &c->arena, &c->expr->type, &err) != LM_OK) {
        if (c->err == NULL && (c->err = malloc(sizeof *c->err)) != NULL) {
            lm_error_init(c->err);
            lm_error_move(c->err, &err);
        }
        lm_error_clear(&err);
        if (c->err == NULL) {
            lm_column_free(c);
            return NULL;
        }
    }
    return c;
}

static lm_column *sort_order(lm_column *a, bool desc, bool nulls_first, bool explicit_nulls)
{
    lm_column *c = wrap(LM_EXPR_SORT, a);
    if (c)
        c->expr->flags = (desc ? LM_SORT_DESC : 0) | (nulls_first ? LM_SORT_NULLS_FIRST : 0) |
                         (explicit_nulls ? LM_SORT_NULLS_EXPLICIT : 0);
    return c;
}

/* Spark's defaults: ascending sorts NULLs first, descending NULLs last. */
lm_column *lm_asc(lm_column *a)
{
    return sort_order(a, false, true, false);
}
lm_column *lm_desc(lm_column *a)
{
    return sort_order(a, true, false, false);
}
lm_column *lm_asc_nulls_first(lm_column *a)
{
    return sort_order(a, false, true, true);
}
lm_column *lm_asc_nulls_last(lm_column *a)
{
    return sort_order(a, false, false, true);
}
lm_column *lm_desc_nulls_first(lm_column *a)
{
    return sort_order(a, true, true, true);
}
lm_column *lm_desc_nulls_last(lm_column *a)
{
    return sort_order(a, true, false, true);
}

/*
 * CASE WHEN built incrementally: the base CASE's branches are copied into
 * a new node with one more pair. Spark's when() after otherwise() is an
 * error; here the branch is simply added before the ELSE.
 */
lm_column *lm_when(lm_column *base, lm_column *cond, lm_column *value)
{
    lm_column *args[3] = {cond, value, base};
    int n = base ? 3 : 2;
    lm_column *c = adopt(n, args);
    if (c == NULL)
        return NULL;
    const lm_expr *b = base ? c->kids[2]->expr : NULL;
    if (b && b->kind != LM_EXPR_CASE) {
        b = NULL; /* when() on a non-CASE column: start afresh */
    }
    int old = b ? b->nargs : 0;
    bool has_else = b && (b->flags & LM_CASE_HAS_ELSE);
    lm_expr *e = dfapi_expr_new(&c->arena, LM_EXPR_CASE);
    lm_expr **xs = lm_arena_alloc(&c->arena, sizeof *xs * (size_t)(old + 2));
    if (e == NULL || xs == NULL) {
        lm_column_free(c);
        return NULL;
    }
    int pairs = old - (has_else ? 1 : 0);
    int o = 0;
    for (int i = 0; i < pairs; i++)
        xs[o++] = b->args[i];
    xs[o++] = c->kids[0]->expr;
    xs[o++] = c->kids[1]->expr;
    if (has_else)
        xs[o++] = b->args[old - 1];
    e->args = xs;
    e->nargs = o;
    e->flags = has_else ? LM_CASE_HAS_ELSE : 0;
    c->expr = e;
    return c;
}

lm_column *lm_otherwise(lm_column *base, lm_column *value)
{
    lm_column *args[2] = {base, value};
    lm_column *c = adopt(2, args);
    if (c == NULL)
        return NULL;
    const lm_expr *b = c->kids[0]->expr;
    if (b == NULL || b->kind != LM_EXPR_CASE) {
        /* Spark: otherwise() can only be applied on a Column previously
           generated by when() */
        if (c->err == NULL && (c->err = malloc(sizeof *c->err)) != NULL) {
            lm_error_init(c->err);
            lm_error_set(c->err, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                         "otherwise() can only be applied on a Column previously generated by "
                         "when()");
        }
        return c;
    }
    int n = b->nargs - ((b->flags & LM_CASE_HAS_ELSE) ? 1 : 0);
    lm_expr *e = dfapi_expr_new(&c->arena, LM_EXPR_CASE);
    lm_expr **xs = lm_arena_alloc(&c->arena, sizeof *xs * (size_t)(n + 1));
    if (e == NULL || xs == NULL) {
        lm_column_free(c);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        xs[i] = b->args[i];
    xs[n] = c->kids[1]->expr;
    e->args = xs;
    e->nargs = n + 1;
    e->flags = LM_CASE_HAS_ELSE;
    c->expr = e;
    return c;
}

/* ------------------------------------------------------------- windows */

lm_window *lm_window_new(void)
{
    lm_window *w = calloc(1, sizeof *w);
    if (w)
        lm_arena_init(&w->arena, 512);
    return w;
}

void lm_window_free(lm_window *w)
{
    if (w == NULL)
        return;
    for (int i = 0; i < w->nkids; i++)
        lm_column_free(w->kids[i]);
    if (w->err) {
        lm_error_clear(w->err);
        free(w->err);
    }
    free(w->kids);
    lm_arena_free(&w->arena);
    free(w);
}

static bool window_adopt(lm_window *w, lm_column *c)
{
    lm_column **k = realloc(w->kids, sizeof *k * (size_t)(w->nkids + 1));
    if (k == NULL) {
        lm_column_free(c);
        return false;
    }
    w->kids = k;
    w->kids[w->nkids++] = c;
    if (c->err && w->err == NULL) {
        w->err = c->err;
        c->err = NULL;
    }
    return true;
}

/* Appends the handles of ap to list; on failure the window is freed. */
static lm_window *window_add(lm_window *w, va_list ap, bool order)
{
    lm_column *c;
    bool ok = w != NULL;
    while ((c = va_arg(ap, lm_column *)) != NULL) {
        if (!ok) {
            lm_column_free(c);
            continue;
        }
        if (!window_adopt(w, c)) {
            ok = false;
            continue;
        }
        lm_expr *e = c->expr;
        if (order && e && e->kind != LM_EXPR_SORT) {
            /* orderBy(col) sorts ascending, NULLs first */
            lm_expr *s = dfapi_expr_new(&w->arena, LM_EXPR_SORT);
            lm_expr **xs = lm_arena_alloc(&w->arena, sizeof *xs);
            if (s == NULL || xs == NULL) {
                ok = false;
                continue;
            }
            xs[0] = e;
            s->args = xs;
            s->nargs = 1;
            s->flags = LM_SORT_NULLS_FIRST;
            e = s;
        }
        int *n = order ? &w->spec.norder : &w->spec.npartition;
        lm_expr ***list = order ? &w->spec.order : &w->spec.partition;
        lm_expr **nl = lm_arena_alloc(&w->arena, sizeof *nl * (size_t)(*n + 1));
        if (nl == NULL) {
            ok = false;
            continue;
        }
        if (*n)
            memcpy(nl, *list, sizeof *nl * (size_t)*n);
        nl[(*n)++] = e;
        *list = nl;
    }
    if (!ok) {
        lm_window_free(w);
        return NULL;
    }
    return w;
}

lm_window *lm_window_partition_by(lm_window *w, ...)
{
    va_list ap;
    va_start(ap, w);
    w = window_add(w, ap, false);
    va_end(ap);
    return w;
}

lm_window *lm_window_order_by(lm_window *w, ...)
{
    va_list ap;
    va_start(ap, w);
    w = window_add(w, ap, true);
    va_end(ap);
    return w;
}

/* Window.rowsBetween/rangeBetween take Long.MinValue / 0 / Long.MaxValue
   for the unbounded and current-row boundaries. */
static bool frame_bound(lm_window *w, lm_frame_bound *b, int64_t v)
{
    if (v == LM_WINDOW_UNBOUNDED_PRECEDING) {
        b->kind = LM_BOUND_UNBOUNDED_PRECEDING;
    } else if (v == LM_WINDOW_UNBOUNDED_FOLLOWING) {
        b->kind = LM_BOUND_UNBOUNDED_FOLLOWING;
    } else if (v == 0) {
        b->kind = LM_BOUND_CURRENT_ROW;
    } else {
        /* offsets are stored as written, PRECEDING positive (parser.h) */
        b->kind = v < 0 ? LM_BOUND_PRECEDING : LM_BOUND_FOLLOWING;
        int64_t m = v < 0 ? -v : v;
        b->offset = dfapi_expr_new(&w->arena, LM_EXPR_LITERAL);
        if (b->offset == NULL)
            return false;
        bool small = m <= INT32_MAX;
        b->offset->type = small ? lm_type_int() : lm_type_long();
        b->offset->value = lm_value_i64(m);
        b->offset->text = lm_arena_printf(&w->arena, "%lld", (long long)m);
        if (b->offset->text == NULL)
            return false;
    }
    return true;
}

static lm_window *between(lm_window *w, lm_frame_type t, int64_t start, int64_t end)
{
    if (w == NULL)
        return NULL;
    w->spec.frame_type = t;
    if (!frame_bound(w, &w->spec.frame_start, start) || !frame_bound(w, &w->spec.frame_end, end)) {
        lm_window_free(w);
        return NULL;
    }
    return w;
}

lm_window *lm_window_rows_between(lm_window *w, int64_t start, int64_t end)
{
    return between(w, LM_FRAME_ROWS, start, end);
}

lm_window *lm_window_range_between(lm_window *w, int64_t start, int64_t end)
{
    return between(w, LM_FRAME_RANGE, start, end);
}

lm_column *lm_over(lm_column *f, lm_window *w)
{
    if (f == NULL || w == NULL) {
        lm_column_free(f);
        lm_window_free(w);
        return NULL;
    }
    /* the window's handles and arena move under a new column handle */
    lm_column *wc = dfapi_column_new();
    lm_column *args[2] = {f, wc};
    lm_column *c = adopt(2, args);
    if (c == NULL) {
        lm_window_free(w);
        return NULL;
    }
    wc = c->kids[1];
    lm_arena tmp = wc->arena;
    wc->arena = w->arena;
    lm_arena_init(&w->arena, 64);
    lm_arena_free(&tmp);
    lm_column **kids = lm_arena_alloc(&wc->arena, sizeof *kids * (size_t)(w->nkids + 1));
    if (kids == NULL) {
        lm_window_free(w);
        lm_column_free(c);
        return NULL;
    }
    for (int i = 0; i < w->nkids; i++)
        kids[i] = w->kids[i];
    wc->kids = kids;
    wc->nkids = w->nkids;
    w->nkids = 0;
    if (w->err && c->err == NULL) {
        c->err = w->err;
        w->err = NULL;
    }
    lm_window_spec *spec = lm_arena_alloc(&c->arena, sizeof *spec);
    lm_expr *e = lm_arena_alloc(&c->arena, sizeof *e);
    const lm_expr *fe = c->kids[0]->expr;
    if (fe == NULL) {
        lm_window_free(w); /* a deferred error: c carries it */
        return c;
    }
    if (spec == NULL || e == NULL) {
        lm_window_free(w);
        lm_column_free(c);
        return NULL;
    }
    *spec = w->spec;
    *e = *fe;
    e->window = spec;
    c->expr = e;
    lm_window_free(w);
    return c;
}
