/*
 * DataFrame transformations (Spark's Dataset API): each builds one
 * unresolved plan node over the resolved plans of its parents and
 * analyses it at once, as Dataset.ofRows does, so errors surface when the
 * DataFrame is defined. The new DataFrame keeps its parents alive (see
 * df.h) because its plan shares their nodes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "api/dfapi.h"
#include "session/session.h"
#include "sql/parser.h"

/* ------------------------------------------------------------ helpers */

lm_df *dfapi_df_new(lm_session *s)
{
    lm_df *df = calloc(1, sizeof *df);
    if (df == NULL) {
        lm_error_oom(&s->error);
        return NULL;
    }
    df->session = s;
    df->refcount = 1;
    lm_arena_init(&df->arena, 8 * 1024);
    return df;
}

lm_status dfapi_df_add_parent(lm_df *child, lm_df *parent)
{
    if (child->nparents >= 2)
        return lm_error_set(&child->session->error, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR",
                            "XX000", "a DataFrame has at most two parents");
    child->parents[child->nparents++] = parent;
    parent->refcount++;
    return LM_OK;
}

lm_status dfapi_df_own(lm_df *df, int n, lm_column **cols)
{
    if (n == 0)
        return LM_OK;
    lm_column **o = realloc(df->owned, sizeof *o * (size_t)(df->nowned + n));
    if (o == NULL) {
        for (int i = 0; i < n; i++)
            lm_column_free(cols[i]);
        return lm_error_oom(&df->session->error);
    }
    df->owned = o;
    for (int i = 0; i < n; i++)
        df->owned[df->nowned++] = cols[i];
    return LM_OK;
}

lm_plan *dfapi_plan_new(lm_df *df, lm_plan_kind kind)
{
    lm_plan *p = lm_arena_calloc(&df->arena, 1, sizeof *p);
    if (p == NULL) {
        lm_error_oom(&df->session->error);
        return NULL;
    }
    p->kind = kind;
    p->start = p->stop = -1;
    return p;
}

lm_expr *dfapi_bound(lm_arena *a, const lm_plan *p, int i)
{
    lm_expr *e = dfapi_expr_new(a, LM_EXPR_BOUND);
    if (e == NULL)
        return NULL;
    const lm_field *f = &p->schema->fields[i];
    e->ordinal = i;
    e->name = f->name;
    e->type = f->type;
    e->nullable = f->nullable;
    e->resolved = true;
    return e;
}

int dfapi_find_column(const lm_df *df, const char *name)
{
    const lm_type *st = df->schema;
    bool cs = df->session->case_sensitive;
    for (int i = 0; st && i < st->nfields; i++)
        if (cs ? strcmp(st->fields[i].name, name) == 0 : strcasecmp(st->fields[i].name, name) == 0)
            return i;
    return -1;
}

/* Whether p keeps the columns of `target` at the same positions: target
   itself or reached through row-preserving unary nodes. */
static bool same_columns(const lm_plan *p, const lm_plan *target)
{
    while (p) {
        if (p == target)
            return true;
        switch (p->kind) {
        case LM_PLAN_FILTER:
        case LM_PLAN_SORT:
        case LM_PLAN_LIMIT:
        case LM_PLAN_OFFSET:
        case LM_PLAN_SUBQUERY_ALIAS:
        case LM_PLAN_SAMPLE:
            p = p->child;
            break;
        default:
            return false;
        }
    }
    return false;
}

lm_expr *dfapi_bind_df_columns(lm_arena *a, lm_expr *e, const lm_plan *left, const lm_plan *right)
{
    if (e == NULL)
        return NULL;
    if (e->kind == LM_EXPR_COLUMN && e->aux) {
        const lm_plan *target = e->aux;
        int base = -1;
        if (same_columns(left, target))
            base = 0;
        else if (right && same_columns(right, target))
            base = lm_plan_ncols(left);
        if (base < 0)
            return e; /* not from these inputs: resolve by name */
        const lm_plan *side = base == 0 ? left : right;
        lm_expr *b = dfapi_bound(a, side, e->ordinal);
        if (b)
            b->ordinal += base;
        return b;
    }
    for (int i = 0; i < e->nargs; i++)
        if ((e->args[i] = dfapi_bind_df_columns(a, e->args[i], left, right)) == NULL)
            return NULL;
    if (e->window) {
        for (int i = 0; i < e->window->npartition; i++)
            if ((e->window->partition[i] =
                     dfapi_bind_df_columns(a, e->window->partition[i], left, right)) == NULL)
                return NULL;
        for (int i = 0; i < e->window->norder; i++)
            if ((e->window->order[i] =
                     dfapi_bind_df_columns(a, e->window->order[i], left, right)) == NULL)
                return NULL;
    }
    return e;
}

lm_df *dfapi_df_finish_resolved(lm_df *df, lm_plan *logical, lm_plan *resolved)
{
    df->plan = resolved;
    df->logical = logical;
    df->schema = lm_type_ref(resolved->schema);
    return df;
}

lm_df *dfapi_df_finish(lm_df *df, lm_plan *u)
{
    lm_session *s = df->session;
    lm_error_clear(&s->error);
    lm_plan *r = NULL;
    if (lm_analyze(s, &df->arena, NULL, u, &r, &s->error) != LM_OK) {
        lm_df_free(df);
        return NULL;
    }
    return dfapi_df_finish_resolved(df, u, r);
}

/* A new DataFrame derived from parent (and other, for binary operators).
   NULL when a parent is NULL or memory runs out. */
static lm_df *derive(lm_df *parent, lm_df *other)
{
    if (parent == NULL)
        return NULL;
    lm_df *df = dfapi_df_new(parent->session);
    if (df == NULL)
        return NULL;
    if (dfapi_df_add_parent(df, parent) != LM_OK ||
        (other && dfapi_df_add_parent(df, other) != LM_OK)) {
        lm_df_free(df);
        return NULL;
    }
    return df;
}

/* A DataFrame that must have a plan (not command output). */
static bool has_plan(lm_df *df)
{
    if (df && df->plan == NULL) {
        lm_error_set(&df->session->error, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                     "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                     "[UNSUPPORTED_FEATURE.LOCALMODE] this DataFrame holds command output and "
                     "cannot be transformed.");
        return false;
    }
    return df != NULL;
}

/*
 * Moves n column handles into df and checks them: a deferred error is
 * reported, df-bound references are bound against left/right. Fills
 * exprs[i]. On failure df is freed.
 */
static bool take_columns(lm_df *df, int n, lm_column **cols, lm_expr **exprs, const lm_plan *left,
                         const lm_plan *right)
{
    lm_session *s = df->session;
    lm_status st = LM_OK;
    for (int i = 0; i < n; i++)
        if (st == LM_OK)
            st = dfapi_column_check(s, cols[i]);
    if (st != LM_OK) {
        for (int i = 0; i < n; i++)
            lm_column_free(cols[i]);
        lm_df_free(df);
        return false;
    }
    if (dfapi_df_own(df, n, cols) != LM_OK) {
        lm_df_free(df);
        return false;
    }
    for (int i = 0; i < n; i++) {
        exprs[i] = dfapi_bind_df_columns(&df->arena, cols[i]->expr, left, right);
        if (exprs[i] == NULL) {
            lm_error_oom(&s->error);
            lm_df_free(df);
            return false;
        }
    }
    return true;
}

static void free_columns(int n, lm_column **cols)
{
    for (int i = 0; i < n; i++)
        lm_column_free(cols[i]);
}

#define MAX_ARGS 256

/* Marks a column drop() removes, in project_replacing's replacement list. */
static lm_expr dropped_marker;
#define DROPPED (&dropped_marker)

static int collect_columns(va_list ap, lm_column **out)
{
    int n = 0;
    lm_column *c;
    while ((c = va_arg(ap, lm_column *)) != NULL) {
        if (n < MAX_ARGS)
            out[n++] = c;
        else
            lm_column_free(c);
    }
    return n;
}

static int collect_strings(va_list ap, const char **out)
{
    int n = 0;
    const char *c;
    while ((c = va_arg(ap, const char *)) != NULL)
        if (n < MAX_ARGS)
            out[n++] = c;
    return n;
}

static lm_expr **expr_array(lm_df *df, int n)
{
    lm_expr **a = lm_arena_calloc(&df->arena, (size_t)n + 1, sizeof *a);
    if (a == NULL)
        lm_error_oom(&df->session->error);
    return a;
}

/* ------------------------------------------------------ projections */

lm_df *lm_df_selectv(lm_df *df, int n, lm_column **cols)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_expr **ex = d ? expr_array(d, n) : NULL;
    lm_plan *u = ex ? dfapi_plan_new(d, LM_PLAN_PROJECT) : NULL;
    if (u == NULL) {
        free_columns(n, cols);
        lm_df_free(d);
        return NULL;
    }
    if (!take_columns(d, n, cols, ex, df->plan, NULL))
        return NULL;
    u->child = df->plan;
    u->exprs = ex;
    u->nexprs = n;
    return dfapi_df_finish(d, u);
}

lm_df *lm_df_select(lm_df *df, ...)
{
    lm_column *cols[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, cols);
    va_end(ap);
    return lm_df_selectv(df, n, cols);
}

lm_df *lm_df_select_expr(lm_df *df, ...)
{
    const char *texts[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_strings(ap, texts);
    va_end(ap);
    lm_column *cols[MAX_ARGS];
    for (int i = 0; i < n; i++)
        cols[i] = lm_expr_parse(texts[i]);
    return lm_df_selectv(df, n, cols);
}

lm_df *lm_df_filter(lm_df *df, lm_column *cond)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_FILTER) : NULL;
    if (u == NULL) {
        lm_column_free(cond);
        lm_df_free(d);
        return NULL;
    }
    lm_expr *c;
    if (!take_columns(d, 1, &cond, &c, df->plan, NULL))
        return NULL;
    u->child = df->plan;
    u->cond = c;
    return dfapi_df_finish(d, u);
}

lm_df *lm_df_filter_expr(lm_df *df, const char *cond)
{
    return lm_df_filter(df, lm_expr_parse(cond));
}

/* A PROJECT of the parent's columns, by reference, with `repl[i]` (when
   not NULL) in place of column i and `extra` appended. */
static lm_df *project_replacing(lm_df *d, lm_df *df, lm_expr **repl, lm_expr *extra)
{
    int n = lm_df_num_columns(df);
    lm_expr **ex = expr_array(d, n + 1);
    lm_plan *u = ex ? dfapi_plan_new(d, LM_PLAN_PROJECT) : NULL;
    if (u == NULL) {
        lm_df_free(d);
        return NULL;
    }
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (repl && repl[i] == DROPPED)
            continue; /* dropped */
        ex[o] = repl && repl[i] ? repl[i] : dfapi_bound(&d->arena, df->plan, i);
        if (ex[o++] == NULL) {
            lm_error_oom(&d->session->error);
            lm_df_free(d);
            return NULL;
        }
    }
    if (extra)
        ex[o++] = extra;
    u->child = df->plan;
    u->exprs = ex;
    u->nexprs = o;
    return dfapi_df_finish(d, u);
}

static lm_expr *alias_expr(lm_arena *a, lm_expr *e, const char *name)
{
    lm_expr *al = dfapi_expr_new(a, LM_EXPR_ALIAS);
    lm_expr **xs = lm_arena_alloc(a, sizeof *xs);
    char *nm = lm_arena_strdup(a, name);
    if (al == NULL || xs == NULL || nm == NULL)
        return NULL;
    xs[0] = e;
    al->args = xs;
    al->nargs = 1;
    al->name = nm;
    return al;
}

static bool name_matches(const lm_df *df, const char *a, const char *b)
{
    return df->session->case_sensitive ? strcmp(a, b) == 0 : strcasecmp(a, b) == 0;
}

/* withColumn: replaces every column of that name in place, else appends. */
lm_df *lm_df_with_column(lm_df *df, const char *name, lm_column *c)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    int n = d ? lm_df_num_columns(df) : 0;
    lm_expr **repl = d ? expr_array(d, n) : NULL;
    if (repl == NULL) {
        lm_column_free(c);
        lm_df_free(d);
        return NULL;
    }
    lm_expr *e;
    if (!take_columns(d, 1, &c, &e, df->plan, NULL))
        return NULL;
    lm_expr *al = alias_expr(&d->arena, e, name);
    if (al == NULL) {
        lm_error_oom(&d->session->error);
        lm_df_free(d);
        return NULL;
    }
    bool found = false;
    for (int i = 0; i < n; i++)
        if (name_matches(df, df->schema->fields[i].name, name)) {
            repl[i] = al;
            found = true;
        }
    return project_replacing(d, df, repl, found ? NULL : al);
}

/* A handle sharing the parent's plan (Spark returns the Dataset itself). */
static lm_df *same_plan(lm_df *df)
{
    lm_df *d = derive(df, NULL);
    return d ? dfapi_df_finish_resolved(d, df->logical, df->plan) : NULL;
}

lm_df *lm_df_with_column_renamed(lm_df *df, const char *existing, const char *name)
{
    if (!has_plan(df))
        return NULL;
    if (dfapi_find_column(df, existing) < 0)
        return same_plan(df); /* Spark: a no-op when the column is absent */
    lm_df *d = derive(df, NULL);
    int n = lm_df_num_columns(df);
    lm_expr **repl = d ? expr_array(d, n) : NULL;
    if (repl == NULL) {
        lm_df_free(d);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (!name_matches(df, df->schema->fields[i].name, existing))
            continue;
        lm_expr *b = dfapi_bound(&d->arena, df->plan, i);
        if (b == NULL || (repl[i] = alias_expr(&d->arena, b, name)) == NULL) {
            lm_error_oom(&d->session->error);
            lm_df_free(d);
            return NULL;
        }
    }
    return project_replacing(d, df, repl, NULL);
}

lm_df *lm_df_drop(lm_df *df, ...)
{
    const char *names[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int k = collect_strings(ap, names);
    va_end(ap);
    if (!has_plan(df))
        return NULL;
    lm_df *d = derive(df, NULL);
    int n = lm_df_num_columns(df);
    lm_expr **repl = d ? expr_array(d, n) : NULL;
    if (repl == NULL) {
        lm_df_free(d);
        return NULL;
    }
    bool any = false;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++)
            if (name_matches(df, df->schema->fields[i].name, names[j])) {
                repl[i] = DROPPED;
                any = true;
            }
    if (!any) {
        /* Spark ignores names that are not columns */
        lm_df_free(d);
        return same_plan(df);
    }
    return project_replacing(d, df, repl, NULL);
}

lm_df *lm_df_alias(lm_df *df, const char *alias)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_SUBQUERY_ALIAS) : NULL;
    char **parts = u ? lm_arena_alloc(&d->arena, sizeof *parts) : NULL;
    if (parts == NULL || (parts[0] = lm_arena_strdup(&d->arena, alias ? alias : "")) == NULL) {
        if (d)
            lm_error_oom(&d->session->error);
        lm_df_free(d);
        return NULL;
    }
    u->child = df->plan;
    u->parts = parts;
    u->nparts = 1;
    return dfapi_df_finish(d, u);
}

/* ------------------------------------------------------------ sorting */

/*
 * orderBy resolves its keys against the parent's output, as Spark's Sort
 * over an analysed child does. A key naming a column the parent projected
 * away is found below a plain projection (Spark's
 * ResolveMissingReferences): the analyzer's query-block path re-plans the
 * projection with the hidden key.
 */
lm_df *lm_df_order_byv(lm_df *df, int n, lm_column **cols)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_expr **ex = d ? expr_array(d, n) : NULL;
    lm_plan *u = ex ? dfapi_plan_new(d, LM_PLAN_SORT) : NULL;
    if (u == NULL) {
        free_columns(n, cols);
        lm_df_free(d);
        return NULL;
    }
    if (!take_columns(d, n, cols, ex, df->plan, NULL))
        return NULL;
    lm_session *s = d->session;
    lm_plan *sp = dfapi_plan_new(d, LM_PLAN_SORT);
    lm_expr **rex = expr_array(d, n);
    if (sp == NULL || rex == NULL) {
        lm_df_free(d);
        return NULL;
    }
    bool fallback = false;
    for (int i = 0; i < n && !fallback; i++) {
        lm_expr *k = ex[i];
        int flags = LM_SORT_NULLS_FIRST;
        if (k->kind == LM_EXPR_SORT) {
            flags = k->flags;
            k = k->args[0];
        } else {
            /* keep the unresolved form a SORT node, as the parser does */
            lm_expr *so = dfapi_expr_new(&d->arena, LM_EXPR_SORT);
            lm_expr **xs = lm_arena_alloc(&d->arena, sizeof *xs);
            if (so == NULL || xs == NULL) {
                lm_error_oom(&s->error);
                lm_df_free(d);
                return NULL;
            }
            xs[0] = k;
            so->args = xs;
            so->nargs = 1;
            so->flags = flags;
            ex[i] = so;
        }
        lm_expr *r = NULL;
        lm_error_clear(&s->error);
        if (lm_analyze_expr(s, &d->arena, df->plan, k, &r, &s->error) != LM_OK) {
            const char *ec = s->error.error_class;
            if (ec && strncmp(ec, "UNRESOLVED_COLUMN", 17) == 0 &&
                df->plan->kind == LM_PLAN_PROJECT) {
                fallback = true;
                break;
            }
            lm_df_free(d);
            return NULL;
        }
        lm_expr *so = dfapi_expr_new(&d->arena, LM_EXPR_SORT);
        lm_expr **xs = lm_arena_alloc(&d->arena, sizeof *xs);
        if (so == NULL || xs == NULL) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
        xs[0] = r;
        so->args = xs;
        so->nargs = 1;
        so->flags = flags;
        so->type = r->type;
        so->nullable = r->nullable;
        so->resolved = true;
        rex[i] = so;
    }
    u->child = df->plan;
    u->exprs = ex;
    u->nexprs = n;
    u->global = true;
    if (fallback)
        return dfapi_df_finish(d, u);
    lm_error_clear(&s->error);
    sp->resolved = true;
    sp->child = df->plan;
    sp->exprs = rex;
    sp->nexprs = n;
    sp->global = true;
    sp->schema = df->plan->schema;
    sp->qualifiers = df->plan->qualifiers;
    return dfapi_df_finish_resolved(d, u, sp);
}

lm_df *lm_df_order_by(lm_df *df, ...)
{
    lm_column *cols[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, cols);
    va_end(ap);
    return lm_df_order_byv(df, n, cols);
}

/* ------------------------------------------------- limit, offset, distinct */

static lm_df *limit_like(lm_df *df, lm_plan_kind kind, int32_t n)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_plan *u = d ? dfapi_plan_new(d, kind) : NULL;
    lm_expr *lit = u ? dfapi_expr_new(&d->arena, LM_EXPR_LITERAL) : NULL;
    if (lit == NULL) {
        lm_df_free(d);
        return NULL;
    }
    lit->type = lm_type_int();
    lit->value = lm_value_i64(n);
    lit->text = lm_arena_printf(&d->arena, "%d", n);
    u->child = df->plan;
    u->cond = lit;
    return dfapi_df_finish(d, u);
}

lm_df *lm_df_limit(lm_df *df, int32_t n)
{
    return limit_like(df, LM_PLAN_LIMIT, n);
}

lm_df *lm_df_offset(lm_df *df, int32_t n)
{
    return limit_like(df, LM_PLAN_OFFSET, n);
}

lm_df *lm_df_distinct(lm_df *df)
{
    lm_df *d = has_plan(df) ? derive(df, NULL) : NULL;
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_DISTINCT) : NULL;
    if (u == NULL) {
        lm_df_free(d);
        return NULL;
    }
    u->child = df->plan;
    return dfapi_df_finish(d, u);
}

static lm_expr *call_expr(lm_arena *a, const char *name, int n, lm_expr **args)
{
    lm_expr *e = dfapi_expr_new(a, LM_EXPR_CALL);
    lm_expr **xs = lm_arena_alloc(a, sizeof *xs * (size_t)(n + 1));
    char *nm = lm_arena_strdup(a, name);
    if (e == NULL || xs == NULL || nm == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        xs[i] = args[i];
    e->name = nm;
    e->args = xs;
    e->nargs = n;
    return e;
}

/*
 * dropDuplicates(subset): Spark's Deduplicate, which its optimizer turns
 * into an Aggregate grouping by the subset with first() of every other
 * column, in the child's column order (ReplaceDeduplicateWithAggregate).
 * We plan that aggregate directly.
 */
lm_df *lm_df_drop_duplicates(lm_df *df, ...)
{
    const char *names[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int k = collect_strings(ap, names);
    va_end(ap);
    if (!has_plan(df))
        return NULL;
    if (k == 0)
        return lm_df_distinct(df);
    lm_df *d = derive(df, NULL);
    int n = lm_df_num_columns(df);
    lm_expr **keys = d ? expr_array(d, k) : NULL;
    lm_expr **out = keys ? expr_array(d, n) : NULL;
    bool *is_key = out ? lm_arena_calloc(&d->arena, (size_t)n + 1, sizeof *is_key) : NULL;
    lm_plan *u = is_key ? dfapi_plan_new(d, LM_PLAN_AGGREGATE) : NULL;
    if (u == NULL) {
        lm_df_free(d);
        return NULL;
    }
    lm_session *s = d->session;
    int nk = 0;
    for (int j = 0; j < k; j++) {
        int i = dfapi_find_column(df, names[j]);
        if (i < 0) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int c = 0; c < n; c++)
                lm_strbuf_printf(&sb, "%s%s", c ? ", " : "", df->schema->fields[c].name);
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1201", NULL,
                         "Cannot resolve column name \"%s\" among (%s).", names[j],
                         lm_strbuf_cstr(&sb));
            lm_error_param_add(&s->error, "colName", names[j]);
            lm_error_param_add(&s->error, "fieldNames", lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            lm_df_free(d);
            return NULL;
        }
        if (is_key[i])
            continue;
        is_key[i] = true;
        if ((keys[nk++] = dfapi_bound(&d->arena, df->plan, i)) == NULL) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
    }
    for (int i = 0; i < n; i++) {
        lm_expr *b = dfapi_bound(&d->arena, df->plan, i);
        if (b && !is_key[i]) {
            lm_expr *f = call_expr(&d->arena, "first", 1, &b);
            b = f ? alias_expr(&d->arena, f, df->schema->fields[i].name) : NULL;
        }
        if ((out[i] = b) == NULL) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
    }
    u->child = df->plan;
    u->grouping = LM_GROUPING_PLAIN;
    u->group_by = keys;
    u->ngroup = nk;
    u->exprs = out;
    u->nexprs = n;
    return dfapi_df_finish(d, u);
}

/* ------------------------------------------------------ set operations */

static lm_df *setop(lm_df *df, lm_df *other, lm_setop_kind kind, bool all)
{
    if (other == NULL || !has_plan(other))
        return NULL;
    lm_df *d = has_plan(df) ? derive(df, other) : NULL;
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_SETOP) : NULL;
    if (u == NULL) {
        lm_df_free(d);
        return NULL;
    }
    u->child = df->plan;
    u->right = other->plan;
    u->setop = kind;
    u->all = all;
    return dfapi_df_finish(d, u);
}

/* Dataset.union is UNION ALL: it keeps duplicates, columns by position. */
lm_df *lm_df_union(lm_df *df, lm_df *other)
{
    return setop(df, other, LM_SETOP_UNION, true);
}

lm_df *lm_df_intersect(lm_df *df, lm_df *other)
{
    return setop(df, other, LM_SETOP_INTERSECT, false);
}

lm_df *lm_df_intersect_all(lm_df *df, lm_df *other)
{
    return setop(df, other, LM_SETOP_INTERSECT, true);
}

lm_df *lm_df_except_all(lm_df *df, lm_df *other)
{
    return setop(df, other, LM_SETOP_EXCEPT, true);
}

lm_df *lm_df_subtract(lm_df *df, lm_df *other)
{
    return setop(df, other, LM_SETOP_EXCEPT, false);
}

/* NULL typed as t, named name: the filler unionByName adds for a column
   one side lacks (Spark's Alias(Literal(null, dataType), name)). */
static lm_expr *typed_null(lm_arena *a, lm_type *t, const char *name)
{
    lm_expr *lit = dfapi_expr_new(a, LM_EXPR_LITERAL);
    if (lit == NULL)
        return NULL;
    lit->type = lm_arena_keep_type(a, lm_type_ref(t));
    lit->value = lm_value_null();
    lit->text = "NULL";
    return lit->type ? alias_expr(a, lit, name) : NULL;
}

/*
 * unionByName: the right side is re-projected to the left side's column
 * names (Spark's ResolveUnion); with allowMissingColumns, columns missing
 * on a side become NULLs and right-only columns are appended on the left.
 */
lm_df *lm_df_union_by_name(lm_df *df, lm_df *other, bool allow_missing)
{
    if (other == NULL || !has_plan(other))
        return NULL;
    lm_df *d = has_plan(df) ? derive(df, other) : NULL;
    if (d == NULL)
        return NULL;
    lm_session *s = d->session;
    lm_arena *a = &d->arena;
    int nl = lm_df_num_columns(df), nr = lm_df_num_columns(other);
    lm_expr **lex = expr_array(d, nl + nr);
    lm_expr **rex = lex ? expr_array(d, nl + nr) : NULL;
    lm_plan *lp = rex ? dfapi_plan_new(d, LM_PLAN_PROJECT) : NULL;
    lm_plan *rp = lp ? dfapi_plan_new(d, LM_PLAN_PROJECT) : NULL;
    lm_plan *u = rp ? dfapi_plan_new(d, LM_PLAN_SETOP) : NULL;
    if (u == NULL) {
        lm_df_free(d);
        return NULL;
    }
    int no = 0;
    for (int i = 0; i < nl; i++) {
        const char *name = df->schema->fields[i].name;
        int j = dfapi_find_column(other, name);
        lex[no] = dfapi_bound(a, df->plan, i);
        if (j >= 0) {
            rex[no] = dfapi_bound(a, other->plan, j);
        } else if (allow_missing) {
            rex[no] = typed_null(a, df->schema->fields[i].type, name);
        } else {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int c = 0; c < nr; c++)
                lm_strbuf_printf(&sb, "%s%s", c ? ", " : "", other->schema->fields[c].name);
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1201", NULL,
                         "Cannot resolve column name \"%s\" among (%s).", name,
                         lm_strbuf_cstr(&sb));
            lm_error_param_add(&s->error, "colName", name);
            lm_error_param_add(&s->error, "fieldNames", lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            lm_df_free(d);
            return NULL;
        }
        if (lex[no] == NULL || rex[no] == NULL) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
        no++;
    }
    {
        for (int j = 0; j < nr; j++) {
            const char *name = other->schema->fields[j].name;
            if (dfapi_find_column(df, name) >= 0)
                continue;
            if (!allow_missing) {
                char a1[16], a2[16];
                snprintf(a1, sizeof a1, "%d", nl);
                snprintf(a2, sizeof a2, "%d", nr);
                lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "NUM_COLUMNS_MISMATCH", "42826",
                             "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with "
                             "the same number of columns, but the first input has %d columns and "
                             "the second input has %d columns.",
                             nl, nr);
                lm_error_param_add(&s->error, "operator", "UNION");
                lm_error_param_add(&s->error, "firstNumColumns", a1);
                lm_error_param_add(&s->error, "invalidOrdinalNum", "second");
                lm_error_param_add(&s->error, "invalidNumColumns", a2);
                lm_df_free(d);
                return NULL;
            }
            lex[no] = typed_null(a, other->schema->fields[j].type, name);
            rex[no] = dfapi_bound(a, other->plan, j);
            if (lex[no] == NULL || rex[no] == NULL) {
                lm_error_oom(&s->error);
                lm_df_free(d);
                return NULL;
            }
            no++;
        }
    }
    lp->child = df->plan;
    lp->exprs = lex;
    lp->nexprs = no;
    rp->child = other->plan;
    rp->exprs = rex;
    rp->nexprs = no;
    u->child = lp;
    u->right = rp;
    u->setop = LM_SETOP_UNION;
    u->all = true;
    u->by_name = true;
    u->allow_missing = allow_missing;
    return dfapi_df_finish(d, u);
}

/* --------------------------------------------------------------- joins */

/* Spark's JoinType.apply names (case-insensitive, underscores ignored). */
static bool join_type(lm_session *s, const char *how, lm_join_type *out)
{
    char norm[32];
    size_t o = 0;
    for (const char *p = how ? how : "inner"; *p && o + 1 < sizeof norm; p++)
        if (*p != '_')
            norm[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    norm[o] = '\0';
    static const struct {
        const char *name;
        lm_join_type t;
    } names[] = {
        {"inner", LM_JOIN_INNER},        {"outer", LM_JOIN_FULL},
        {"full", LM_JOIN_FULL},          {"fullouter", LM_JOIN_FULL},
        {"leftouter", LM_JOIN_LEFT},     {"left", LM_JOIN_LEFT},
        {"rightouter", LM_JOIN_RIGHT},   {"right", LM_JOIN_RIGHT},
        {"leftsemi", LM_JOIN_LEFT_SEMI}, {"semi", LM_JOIN_LEFT_SEMI},
        {"leftanti", LM_JOIN_LEFT_ANTI}, {"anti", LM_JOIN_LEFT_ANTI},
        {"cross", LM_JOIN_CROSS},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(norm, names[i].name) == 0) {
            *out = names[i].t;
            return true;
        }
    lm_error_set(&s->error, LM_ERROR, "org.apache.spark.SparkIllegalArgumentException",
                 "UNSUPPORTED_JOIN_TYPE", NULL,
                 "[UNSUPPORTED_JOIN_TYPE] Unsupported join type '%s'. Supported join types "
                 "include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', "
                 "'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', "
                 "'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.",
                 how);
    lm_error_param_add(&s->error, "typ", how);
    return false;
}

lm_df *lm_df_join(lm_df *df, lm_df *other, lm_column *on, const char *how)
{
    lm_join_type jt;
    if (other == NULL || !has_plan(other) || !has_plan(df) || !join_type(df->session, how, &jt)) {
        lm_column_free(on);
        return NULL;
    }
    lm_df *d = derive(df, other);
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_JOIN) : NULL;
    if (u == NULL) {
        lm_column_free(on);
        lm_df_free(d);
        return NULL;
    }
    lm_expr *cond = NULL;
    if (on && !take_columns(d, 1, &on, &cond, df->plan, other->plan))
        return NULL;
    u->child = df->plan;
    u->right = other->plan;
    u->join_type = jt;
    u->cond = cond;
    return dfapi_df_finish(d, u);
}

lm_df *lm_df_join_using(lm_df *df, lm_df *other, int n, const char *const *names, const char *how)
{
    lm_join_type jt;
    if (other == NULL || !has_plan(other) || !has_plan(df) || !join_type(df->session, how, &jt))
        return NULL;
    lm_df *d = derive(df, other);
    lm_plan *u = d ? dfapi_plan_new(d, LM_PLAN_JOIN) : NULL;
    char **nm = u ? lm_arena_calloc(&d->arena, (size_t)n + 1, sizeof *nm) : NULL;
    if (nm == NULL) {
        lm_df_free(d);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if ((nm[i] = lm_arena_strdup(&d->arena, names[i])) == NULL) {
            lm_error_oom(&d->session->error);
            lm_df_free(d);
            return NULL;
        }
    u->child = df->plan;
    u->right = other->plan;
    u->join_type = jt == LM_JOIN_CROSS ? LM_JOIN_INNER : jt;
    u->names = nm;
    u->nnames = n;
    return dfapi_df_finish(d, u);
}

lm_df *lm_df_cross_join(lm_df *df, lm_df *other)
{
    return lm_df_join(df, other, NULL, "cross");
}

/* ------------------------------------------------------------- caching */

lm_df *lm_df_persist(lm_df *df)
{
    if (df)
        df->persisted = true;
    return df;
}

lm_df *lm_df_cache(lm_df *df)
{
    return lm_df_persist(df);
}

/* Forgets the cached rows so the next action recomputes them. */
lm_df *lm_df_unpersist(lm_df *df)
{
    if (df && df->persisted) {
        df->persisted = false;
        if (df->plan) {
            lm_table_unref(df->result);
            df->result = NULL;
        }
    }
    return df;
}

bool lm_df_is_cached(const lm_df *df)
{
    return df && df->persisted;
}
