/*
 * Query blocks: SELECT lists (star expansion, aliases), GROUP BY with
 * aggregate extraction, HAVING, window functions, ORDER BY (including
 * references to columns the SELECT list dropped), DISTINCT, and joins.
 *
 * An aggregate block resolves to
 *   PROJECT(select) <- [WINDOW] <- [FILTER having] <- AGGREGATE(keys ++ aggs) <- child
 * where the select, having and window expressions read the AGGREGATE's
 * output row: group keys first, then aggregate results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "expr/eval.h"

struct expr_list {
    int n, cap;
    lm_expr **v;
};
typedef struct expr_list expr_list;

static bool list_push(lm_analyzer *an, expr_list *l, lm_expr *e)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        lm_expr **nv = lm_arena_alloc(an->a, sizeof *nv * (size_t)cap);
        if (nv == NULL) {
            lm_error_oom(an->err);
            return false;
        }
        if (l->n)
            memcpy(nv, l->v, sizeof *nv * (size_t)l->n);
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = e;
    return true;
}

/* Expands `*` and `t.*` over the child's columns. */
static bool expand_select(lm_analyzer *an, an_scope *sc, lm_expr **in, int nin, expr_list *out)
{
    for (int i = 0; i < nin; i++) {
        lm_expr *e = in[i];
        if (e->kind != LM_EXPR_STAR) {
            if (!list_push(an, out, e))
                return false;
            continue;
        }
        int matched = 0;
        /* t.* over a USING join expands t's own columns, which are the
           hidden ones when t's key was merged into the visible key */
        bool want_hidden = false;
        for (int c = 0; e->nparts && c < sc->ncols; c++) {
            const an_col *col = &sc->cols[c];
            int ql = 0;
            while (col->qual && col->qual[ql])
                ql++;
            if (!col->hidden || e->nparts > ql)
                continue;
            bool ok = true;
            for (int k = 0; k < e->nparts; k++)
                if (strcasecmp(col->qual[ql - e->nparts + k], e->parts[k]) != 0)
                    ok = false;
            want_hidden |= ok;
        }
        for (int c = 0; c < sc->ncols; c++) {
            const an_col *col = &sc->cols[c];
            if (col->hidden != want_hidden)
                continue;
            if (e->nparts) {
                int ql = 0;
                while (col->qual && col->qual[ql])
                    ql++;
                if (e->nparts > ql)
                    continue;
                bool ok = true;
                for (int k = 0; k < e->nparts; k++)
                    if (strcasecmp(col->qual[ql - e->nparts + k], e->parts[k]) != 0)
                        ok = false;
                if (!ok)
                    continue;
            }
            lm_expr *b = an_bound(an, c, col->name, col->type, col->nullable);
            if (b == NULL || !list_push(an, out, b))
                return false;
            matched++;
        }
        if (e->nparts && matched == 0) {
            /* t.* where t names a struct column expands its fields */
            lm_expr col = *e;
            col.kind = LM_EXPR_COLUMN;
            lm_expr *base = an_resolve_expr(an, sc, &col);
            if (base == NULL || base->type->id != LM_TYPE_STRUCT) {
                lm_error_clear(an->err);
                lm_strbuf sb;
                lm_strbuf_init(&sb);
                for (int k = 0; k < e->nparts; k++)
                    lm_strbuf_printf(&sb, "%s`%s`", k ? "." : "", e->parts[k]);
                an_error(an, e->start, e->stop, "CANNOT_RESOLVE_STAR_EXPAND", "42704",
                         "Cannot resolve %s.* given input columns %s.", lm_strbuf_cstr(&sb), "");
                lm_error_param_add(an->err, "targetString", lm_strbuf_cstr(&sb));
                lm_strbuf_free(&sb);
                return false;
            }
            for (int f = 0; f < base->type->nfields; f++) {
                lm_expr *fe = an_new_expr(an, LM_EXPR_FIELD);
                lm_expr **args = an_alloc(an, sizeof *args);
                if (fe == NULL || args == NULL)
                    return false;
                args[0] = base;
                fe->args = args;
                fe->nargs = 1;
                fe->ordinal = f;
                fe->name = base->type->fields[f].name;
                fe->type = base->type->fields[f].type;
                fe->nullable = true;
                fe->resolved = true;
                if (!list_push(an, out, fe))
                    return false;
            }
        }
    }
    return true;
}

/* Star expansion for function arguments (struct(*), struct(t.*)), as
   Spark's ResolveReferences expands stars inside function calls. */
bool an_expand_stars(lm_analyzer *an, an_scope *sc, lm_expr **in, int nin, lm_expr ***out,
                     int *nout)
{
    expr_list l = {0};
    if (!expand_select(an, sc, in, nin, &l))
        return false;
    *out = l.v;
    *nout = l.n;
    return true;
}

/* ------------------------------------------------ aggregate rewriting */

typedef struct agg_ctx {
    lm_analyzer *an;
    int nkeys;
    lm_expr **keys;
    expr_list aggs;
    expr_list wins;      /* window calls, when building the window input */
    int base_cols;       /* columns before the window results */
    bool in_window_pass;
    bool has_grouping_id;
    int nagg_keys;       /* group columns of the aggregate row (keys, then the
                            grouping id and set position under grouping sets) */
    int gid_ordinal;     /* the grouping id's column, -1 without grouping sets */
    bool *key_nullable;  /* grouping sets: keys a set leaves out become nullable */
    /* rewriting HAVING or ORDER BY: their input columns were resolved
       only tentatively (Spark's TempResolvedColumn), and one that is
       neither grouped nor aggregated is an unresolved name */
    bool tentative;
    int child_width;     /* columns of the aggregate's input row */
    lm_expr *cur_item;   /* the select item being rewritten, for error texts */
    int nsel;            /* the select list, for HAVING's suggestions */
    lm_expr **sel;
} agg_ctx;

static lm_expr *clone(lm_analyzer *an, const lm_expr *e)
{
    lm_expr *c = an_alloc(an, sizeof *c);
    if (c)
        *c = *e;
    return c;
}

static lm_status missing_agg(lm_analyzer *an, const lm_expr *e)
{
    char *s = lm_coerce_quote_sql(&an->rc, e);
    an_error(an, e->start, e->stop, "MISSING_AGGREGATION", "42803",
             "The non-aggregating expression %s is based on columns which are not participating "
             "in the GROUP BY clause.",
             s ? s : "");
    lm_error_param_add(an->err, "expression", s);
    lm_error_param_add(an->err, "expressionAnyValue", "");
    return LM_ERROR;
}

static lm_expr *agg_rewrite(agg_ctx *ac, lm_expr *e);

typedef struct ordinal_set {
    int n;
    int ord[64];
    lm_type *type[64];
    const char *name[64];
} ordinal_set;

static void outer_ordinals_plan(const lm_plan *p, int depth, ordinal_set *o);

static void outer_ordinals_expr(const lm_expr *e, int depth, ordinal_set *o)
{
    if (e == NULL)
        return;
    if (e->kind == LM_EXPR_OUTER && e->depth == depth) {
        for (int i = 0; i < o->n; i++)
            if (o->ord[i] == e->ordinal)
                return;
        if (o->n < 64) {
            o->ord[o->n] = e->ordinal;
            o->type[o->n] = e->type;
            o->name[o->n] = e->name;
            o->n++;
        }
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        outer_ordinals_expr(e->args[i], depth, o);
    outer_ordinals_expr(e->filter, depth, o);
    if (e->subquery)
        outer_ordinals_plan(e->subquery, depth + 1, o);
}

static void outer_ordinals_plan(const lm_plan *p, int depth, ordinal_set *o)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nexprs; i++)
        outer_ordinals_expr(p->exprs[i], depth, o);
    outer_ordinals_expr(p->cond, depth, o);
    for (int i = 0; i < p->ngroup; i++)
        outer_ordinals_expr(p->group_by[i], depth, o);
    if (p->kind == LM_PLAN_AGGREGATE && p->aux) {
        const lm_agg_info *ai = p->aux;
        for (int i = 0; i < ai->naggs; i++)
            outer_ordinals_expr(ai->aggs[i], depth, o);
    }
    for (int r = 0; r < p->nrows; r++)
        for (int c = 0; c < p->ncols; c++)
            outer_ordinals_expr(p->rows[r][c], depth, o);
    outer_ordinals_plan(p->child, depth, o);
    outer_ordinals_plan(p->right, depth, o);
}

/* Outer aggregates found in a subquery (min(outer.x) in its WHERE): each
   is computed by the enclosing aggregate and read back as an outer
   column past the input row's width. */
typedef struct hoisted {
    int n;
    lm_expr *node[16];
} hoisted;

static void find_outer_aggs_plan(const lm_plan *p, hoisted *h);

static void find_outer_aggs_expr(lm_expr *e, hoisted *h)
{
    if (e == NULL)
        return;
    if (an_is_outer_agg(e)) {
        bool depth1 = true;
        for (int i = 0; i < e->nargs; i++)
            if (e->args[i]->kind == LM_EXPR_OUTER && e->args[i]->depth != 1)
                depth1 = false;
        if (depth1 && h->n < 16)
            h->node[h->n++] = e;
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        find_outer_aggs_expr(e->args[i], h);
}

static void find_outer_aggs_plan(const lm_plan *p, hoisted *h)
{
    if (p == NULL)
        return;
    if (p->kind == LM_PLAN_FILTER && !p->having)
        find_outer_aggs_expr(p->cond, h);
    find_outer_aggs_plan(p->child, h);
    find_outer_aggs_plan(p->right, h);
}

/* The same expression with the subquery's outer references turned into
   references to the enclosing query's input row. */
static lm_expr *outer_to_bound(lm_analyzer *an, const lm_expr *e)
{
    lm_expr *c = clone(an, e);
    if (c == NULL)
        return NULL;
    if (e->kind == LM_EXPR_OUTER) {
        c->kind = LM_EXPR_BOUND;
        c->depth = 0;
        return c;
    }
    if (e->nargs) {
        c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
        if (c->args == NULL)
            return NULL;
        for (int i = 0; i < e->nargs; i++)
            if ((c->args[i] = outer_to_bound(an, e->args[i])) == NULL)
                return NULL;
    }
    return c;
}

/* A subquery inside an aggregate's select list or HAVING reads the outer
   columns of the aggregate's input; after the rewrite it is evaluated over
   the aggregate's output, so record how to rebuild each outer column from
   it (a group key, usually). */
static lm_expr *agg_rewrite_subquery(agg_ctx *ac, lm_expr *e)
{
    lm_analyzer *an = ac->an;
    /* outer aggregates first: each becomes an extra outer column, so the
       columns it aggregates are not needed as outer values */
    hoisted h;
    h.n = 0;
    find_outer_aggs_plan(e->subquery, &h);
    lm_expr *hoist_map[16];
    for (int i = 0; i < h.n; i++) {
        lm_expr *agg = outer_to_bound(an, h.node[i]);
        if (agg == NULL || (hoist_map[i] = agg_rewrite(ac, agg)) == NULL)
            return NULL;
        /* the subquery's call now reads the enclosing aggregate's result */
        lm_expr *x = h.node[i];
        char *name = (char *)an_output_name(an, x);
        lm_type *t = x->type;
        bool nullable = x->nullable;
        memset(x, 0, sizeof *x);
        x->kind = LM_EXPR_OUTER;
        x->start = x->stop = -1;
        x->depth = 1;
        x->ordinal = ac->child_width + i;
        x->name = name;
        x->type = t;
        x->nullable = nullable;
        x->resolved = true;
    }
    ordinal_set o;
    o.n = 0;
    outer_ordinals_plan(e->subquery, 1, &o);
    for (int i = 0; i < e->nargs; i++)
        outer_ordinals_expr(e->args[i], 0, &o);
    lm_expr *c = clone(an, e);
    if (c == NULL)
        return NULL;
    if (e->nargs) {
        /* IN (subquery): the left-hand values are plain expressions */
        c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
        if (c->args == NULL)
            return NULL;
        for (int i = 0; i < e->nargs; i++)
            if ((c->args[i] = agg_rewrite(ac, e->args[i])) == NULL)
                return NULL;
    }
    if (o.n == 0)
        return c;
    c->outer_ordinals = an_alloc(an, sizeof(int) * (size_t)o.n);
    c->outer_map = an_alloc(an, sizeof(lm_expr *) * (size_t)o.n);
    if (c->outer_ordinals == NULL || c->outer_map == NULL)
        return NULL;
    int width = 0;
    for (int i = 0; i < o.n; i++) {
        int ord = o.ord[i];
        if (ord >= ac->child_width) {
            c->outer_map[i] = hoist_map[ord - ac->child_width];
        } else {
            lm_expr *b = an_bound(an, ord, o.name[i], o.type[i], true);
            if (b == NULL || (c->outer_map[i] = agg_rewrite(ac, b)) == NULL)
                return NULL;
        }
        c->outer_ordinals[i] = ord;
        if (ord + 1 > width)
            width = ord + 1;
    }
    c->nouter_map = o.n;
    c->outer_width = width;
    return c;
}

/*
 * Rewrites e (resolved over the aggregate's child) to read the aggregate's
 * output row: group-key subtrees become key references, aggregate calls
 * become references to their results.
 */
static lm_expr *agg_rewrite(agg_ctx *ac, lm_expr *e)
{
    lm_analyzer *an = ac->an;
    for (int k = 0; k < ac->nkeys; k++)
        if (an_expr_equal(e, ac->keys[k]))
            return an_bound(an, k, an_output_name(an, ac->keys[k]), e->type,
                            ac->key_nullable ? ac->key_nullable[k] : e->nullable);
    if (an_is_grouping_call(e))
        return an_rewrite_grouping(an, e, ac->keys, ac->nkeys, ac->gid_ordinal);
    if (e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_AGGREGATE && !e->window) {
        if (an_is_outer_agg(e)) {
            /* an aggregate over the enclosing query's columns only, in a
               subquery's own aggregation: Spark refuses it */
            char *x = lm_coerce_quote_sql(&an->rc, ac->cur_item ? ac->cur_item : e);
            an_error(an, e->start, e->stop,
                     "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE", "0A000",
                     "Unsupported subquery expression: Expressions referencing the outer query "
                     "are not supported outside of WHERE/HAVING clauses: %s.", x ? x : "");
            lm_error_param_add(an->err, "sqlExprs", x);
            return NULL;
        }
        for (int i = 0; i < e->nargs; i++)
            if (an_contains_window(e->args[i])) {
                an_error(an, e->start, e->stop, "_LEGACY_ERROR_TEMP_1031", NULL,
                         "It is not allowed to use a window function inside an aggregate "
                         "function. Please use the inner window function in a sub-query.");
                return NULL;
            }
        for (int i = 0; i < e->nargs; i++)
            if (an_contains_agg(e->args[i])) {
                an_error(an, e->start, e->stop, "NESTED_AGGREGATE_FUNCTION", "42607",
                         "It is not allowed to use an aggregate function in the argument of "
                         "another aggregate function. Please use the inner aggregate function in "
                         "a sub-query.");
                return NULL;
            }
        int j;
        for (j = 0; j < ac->aggs.n; j++)
            if (an_expr_equal(e, ac->aggs.v[j]))
                break;
        if (j == ac->aggs.n && !list_push(an, &ac->aggs, e))
            return NULL;
        return an_bound(an, ac->nagg_keys + j, an_output_name(an, e), e->type, e->nullable);
    }
    switch (e->kind) {
    case LM_EXPR_BOUND:
        if (ac->tentative) {
            /* Spark resolves a HAVING or ORDER BY name against the
               aggregate's output and only keeps input columns that are
               grouped or aggregated */
            lm_strbuf name, prop;
            lm_strbuf_init(&name);
            lm_strbuf_init(&prop);
            lm_strbuf_printf(&name, "`%s`", e->name ? e->name : "?");
            for (int i = 0; i < ac->nsel && i < 5; i++)
                lm_strbuf_printf(&prop, "%s`%s`", i ? ", " : "", an_output_name(an, ac->sel[i]));
            an_error(an, e->start, e->stop, "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
                     "A column, variable, or function parameter with name %s cannot be resolved. "
                     "Did you mean one of the following? [%s].",
                     lm_strbuf_cstr(&name), lm_strbuf_cstr(&prop));
            lm_error_param_add(an->err, "objectName", lm_strbuf_cstr(&name));
            lm_error_param_add(an->err, "proposal", lm_strbuf_cstr(&prop));
            lm_strbuf_free(&name);
            lm_strbuf_free(&prop);
            return NULL;
        }
        if (ac->nkeys == 0) {
            /* Spark's CheckAnalysis: a column in an aggregate without any
               grouping expression */
            an_error(an, e->start, e->stop, "MISSING_GROUP_BY", "42803",
                     "The query does not include a GROUP BY clause. Add GROUP BY or turn it "
                     "into the window functions using OVER clauses.");
            return NULL;
        }
        missing_agg(an, e);
        return NULL;
    case LM_EXPR_LITERAL:
    case LM_EXPR_OUTER:
    case LM_EXPR_LAMBDA_VAR:
        return e;
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
        return agg_rewrite_subquery(ac, e);
    default:
        break;
    }
    lm_expr *c = clone(an, e);
    if (c == NULL)
        return NULL;
    if (e->nargs) {
        c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
        if (c->args == NULL)
            return NULL;
        for (int i = 0; i < e->nargs; i++)
            if ((c->args[i] = agg_rewrite(ac, e->args[i])) == NULL)
                return NULL;
    }
    if (e->window) {
        lm_window_spec *w = an_alloc(an, sizeof *w);
        if (w == NULL)
            return NULL;
        *w = *e->window;
        w->partition = an_alloc(an, sizeof(lm_expr *) * (size_t)(w->npartition + 1));
        w->order = an_alloc(an, sizeof(lm_expr *) * (size_t)(w->norder + 1));
        if (w->partition == NULL || w->order == NULL)
            return NULL;
        for (int i = 0; i < w->npartition; i++)
            if ((w->partition[i] = agg_rewrite(ac, e->window->partition[i])) == NULL)
                return NULL;
        for (int i = 0; i < w->norder; i++)
            if ((w->order[i] = agg_rewrite(ac, e->window->order[i])) == NULL)
                return NULL;
        c->window = w;
    }
    return c;
}

/* Replaces window calls by references to the WINDOW node's outputs. */
static lm_expr *window_rewrite(agg_ctx *ac, lm_expr *e)
{
    lm_analyzer *an = ac->an;
    if (e->kind == LM_EXPR_CALL && e->window) {
        int j;
        for (j = 0; j < ac->wins.n; j++)
            if (ac->wins.v[j] == e)
                break;
        if (j == ac->wins.n && !list_push(an, &ac->wins, e))
            return NULL;
        return an_bound(an, ac->base_cols + j, an_output_name(an, e), e->type, e->nullable);
    }
    if (e->nargs == 0)
        return e;
    lm_expr *c = clone(an, e);
    if (c == NULL)
        return NULL;
    c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
    if (c->args == NULL)
        return NULL;
    for (int i = 0; i < e->nargs; i++)
        if ((c->args[i] = window_rewrite(ac, e->args[i])) == NULL)
            return NULL;
    return c;
}


/* A column reference keeps its field's metadata (Spark's AttributeReference
   carries it, and an Alias of a column inherits it), so ML attributes
   survive select("idx") and col("idx").alias("x"). p->schema is the
   project's own new type, not yet shared. */
static bool keep_column_metadata(lm_analyzer *an, lm_plan *p, const lm_plan *child)
{
    const lm_type *in = child ? child->schema : NULL;
    for (int i = 0; in != NULL && i < p->nexprs; i++) {
        const lm_expr *e = p->exprs[i];
        if (e->kind == LM_EXPR_ALIAS && e->nargs > 0)
            e = e->args[0];
        if (e->kind != LM_EXPR_BOUND || e->ordinal < 0 || e->ordinal >= in->nfields ||
            in->fields[e->ordinal].metadata == NULL)
            continue;
        char *md = strdup(in->fields[e->ordinal].metadata);
        if (md == NULL) {
            lm_error_oom(an->err);
            return false;
        }
        p->schema->fields[i].metadata = md;
    }
    return true;
}

static lm_plan *make_project(lm_analyzer *an, lm_plan *child, lm_expr **exprs, int n,
                             char ***quals)
{
    lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
    if (p == NULL)
        return NULL;
    p->child = child;
    p->exprs = exprs;
    p->nexprs = n;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    if (nm == NULL || ty == NULL || nl == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        nm[i] = an_output_name(an, exprs[i]);
        ty[i] = exprs[i]->type;
        nl[i] = exprs[i]->nullable;
    }
    if (!an_set_output(an, p, n, nm, ty, nl, quals))
        return NULL;
    return keep_column_metadata(an, p, child) ? p : NULL;
}

/* Resolves an ORDER BY / GROUP BY item that may be an ordinal or a select
   alias before falling back to the input scope. */
static lm_expr *resolve_with_aliases(lm_analyzer *an, an_scope *sc, lm_expr *e, expr_list *sel,
                                     bool aliases_first)
{
    if (e->kind == LM_EXPR_COLUMN && e->nparts == 1 && aliases_first) {
        for (int i = 0; i < sel->n; i++)
            if (sel->v[i]->kind == LM_EXPR_ALIAS && strcasecmp(sel->v[i]->name, e->parts[0]) == 0)
                return sel->v[i]->args[0];
    }
    lm_expr *r = an_resolve_expr(an, sc, e);
    if (r == NULL && e->kind == LM_EXPR_COLUMN && e->nparts == 1 && !aliases_first &&
        an->err->error_class && strncmp(an->err->error_class, "UNRESOLVED_COLUMN", 17) == 0) {
        for (int i = 0; i < sel->n; i++)
            if (sel->v[i]->kind == LM_EXPR_ALIAS && strcasecmp(sel->v[i]->name, e->parts[0]) == 0) {
                lm_error_clear(an->err);
                return sel->v[i]->args[0];
            }
    }
    return r;
}

/*
 * HAVING resolves names against the aggregate's input first and then
 * against the select list's aliases (HAVING cnt > 1 where cnt is
 * count(id)): returns a copy of the unresolved tree e where single-part
 * names the input lacks are replaced by the (resolved) aliased select
 * expressions.
 */
static lm_expr *subst_aliases(lm_analyzer *an, an_scope *sc, lm_expr *e, expr_list *sel)
{
    if (e == NULL || e->resolved)
        return e;
    if (e->kind == LM_EXPR_COLUMN && e->nparts == 1) {
        if (an_resolve_expr(an, sc, e) != NULL)
            return e;
        bool unresolved = an->err->error_class &&
                          strncmp(an->err->error_class, "UNRESOLVED_COLUMN", 17) == 0;
        for (int i = 0; unresolved && i < sel->n; i++)
            if (sel->v[i]->kind == LM_EXPR_ALIAS &&
                strcasecmp(sel->v[i]->name, e->parts[0]) == 0) {
                lm_error_clear(an->err);
                return sel->v[i]->args[0];
            }
        lm_error_clear(an->err);
        return e;
    }
    if (e->nargs == 0 || e->kind == LM_EXPR_LAMBDA)
        return e;
    lm_expr **args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
    lm_expr *c = clone(an, e);
    if (args == NULL || c == NULL)
        return NULL;
    for (int i = 0; i < e->nargs; i++)
        if ((args[i] = subst_aliases(an, sc, e->args[i], sel)) == NULL)
            return NULL;
    c->args = args;
    return c;
}

static bool ordinal_of(const lm_expr *e, int64_t *out)
{
    if (e->kind == LM_EXPR_LITERAL && !(e->flags & LM_LIT_UNPARSED) && e->type &&
        (e->type->id == LM_TYPE_INT) && !e->value.is_null) {
        *out = e->value.u.i64;
        return true;
    }
    return false;
}

static bool conf_on(lm_analyzer *an, const char *key)
{
    return session_conf_bool(an->s, key, true);
}

static bool grouping_sets(const lm_plan *node)
{
    return node->grouping == LM_GROUPING_ROLLUP || node->grouping == LM_GROUPING_CUBE ||
           node->grouping == LM_GROUPING_SETS;
}

static int key_index(const expr_list *keys, const lm_expr *e)
{
    for (int i = 0; i < keys->n; i++)
        if (an_expr_equal(keys->v[i], e))
            return i;
    return -1;
}

/* GROUP BY ALL, unless the input has a column named `all` (Spark resolves
   columns first). */
static bool group_by_all(lm_analyzer *an, an_scope *sc, const lm_plan *node)
{
    if (node->grouping != LM_GROUPING_ALL)
        return false;
    lm_expr *r = an_resolve_expr(an, sc, node->group_by[0]);
    if (r != NULL)
        return false;
    lm_error_clear(an->err);
    return true;
}

/* ORDER BY ALL: a global sort on a single bare `all` that names no select
   alias (sel, when given) and no column of this block's input sorts by
   every output column, each with the item's direction and NULL order.
   Spark tries it before outer references, so the input is searched
   without the outer scopes. */
static bool order_by_all(lm_analyzer *an, an_scope *sc, const lm_plan *sort, const expr_list *sel)
{
    if (sort == NULL || !sort->global || sort->nexprs != 1)
        return false;
    const lm_expr *s = sort->exprs[0];
    lm_expr *x = s->kind == LM_EXPR_SORT ? s->args[0] : (lm_expr *)s;
    if (x->kind != LM_EXPR_COLUMN || x->nparts != 1 || strcasecmp(x->parts[0], "all") != 0)
        return false;
    for (int k = 0; sel && k < sel->n; k++)
        if (sel->v[k]->kind == LM_EXPR_ALIAS && sel->v[k]->name &&
            strcasecmp(sel->v[k]->name, "all") == 0)
            return false;
    an_scope local = *sc;
    local.outer = NULL;
    if (an_resolve_expr(an, &local, x) != NULL)
        return false;
    lm_error_clear(an->err);
    return true;
}

/* Whether e reads an input column outside any aggregate call (Spark's
   containsAttribute in ResolveGroupByAll). */
static bool refs_outside_agg(const lm_expr *e)
{
    if (e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_AGGREGATE && !e->window)
        return false;
    if (e->kind == LM_EXPR_BOUND)
        return true;
    /* a subquery counts when correlated; assume it is */
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY || e->kind == LM_EXPR_EXISTS ||
        e->kind == LM_EXPR_IN_SUBQUERY)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (refs_outside_agg(e->args[i]))
            return true;
    return false;
}

static bool has_star(const lm_plan *node)
{
    for (int i = 0; i < node->nexprs; i++)
        if (node->exprs[i]->kind == LM_EXPR_STAR)
            return true;
    return false;
}

/* One GROUP BY item: a select-list position (spark.sql.groupByOrdinal), a
   select alias, or an expression over the input. */
static lm_expr *resolve_group_item(lm_analyzer *an, an_scope *sc, const lm_plan *node,
                                   lm_expr *g, expr_list *sel)
{
    int64_t ord;
    if (ordinal_of(g, &ord) && conf_on(an, "spark.sql.groupByOrdinal")) {
        if (has_star(node)) {
            an_error(an, g->start, g->stop, "STAR_GROUP_BY_POS", "0A000",
                     "Star (*) is not allowed in a select list when GROUP BY an ordinal position "
                     "is used.");
            return NULL;
        }
        if (ord < 1 || ord > sel->n) {
            char pos[32], size[32];
            snprintf(pos, sizeof pos, "%lld", (long long)ord);
            snprintf(size, sizeof size, "%d", sel->n);
            an_error(an, g->start, g->stop, "GROUP_BY_POS_OUT_OF_RANGE", "42805",
                     "GROUP BY position %lld is not in select list (valid range is [1, %d]).",
                     (long long)ord, sel->n);
            lm_error_param_add(an->err, "index", pos);
            lm_error_param_add(an->err, "size", size);
            return NULL;
        }
        lm_expr *k = sel->v[ord - 1];
        if (k->kind == LM_EXPR_ALIAS)
            k = k->args[0];
        if (an_contains_agg(k)) {
            char *s = lm_coerce_quote_sql(&an->rc, k);
            an_error(an, g->start, g->stop, "GROUP_BY_POS_AGGREGATE", "42903",
                     "GROUP BY %lld refers to an expression %s that contains an aggregate "
                     "function. Aggregate functions are not allowed in GROUP BY.",
                     (long long)ord, s ? s : "");
            return NULL;
        }
        return k;
    }
    lm_expr *k = resolve_with_aliases(an, sc, g, sel, false);
    if (k == NULL || !an_no_generator(an, k, "GROUP BY"))
        return NULL;
    if (an_contains_agg(k)) {
        char *s = lm_coerce_quote_sql(&an->rc, k);
        an_error(an, g->start, g->stop, "GROUP_BY_AGGREGATE", "42903",
                 "Aggregate functions are not allowed in GROUP BY, but found %s.", s ? s : "");
        return NULL;
    }
    return k;
}

/*
 * The grouping sets of node as bitmasks over the (deduplicated) keys.
 * Set items are usually the very GROUP BY expressions the parser listed
 * (gres holds their resolutions); items written separately, as in
 * GROUP BY a, b GROUPING SETS ((a), (b)), are resolved here and must
 * match a key.
 */
static uint64_t *set_masks(lm_analyzer *an, an_scope *sc, const lm_plan *node, lm_expr **gres,
                           expr_list *keys, expr_list *sel)
{
    uint64_t *masks = an_alloc(an, sizeof(uint64_t) * (size_t)(node->nsets + 1));
    if (masks == NULL)
        return NULL;
    for (int s = 0; s < node->nsets; s++) {
        int *idx = an_alloc(an, sizeof(int) * (size_t)(node->set_sizes[s] + 1));
        if (idx == NULL)
            return NULL;
        for (int j = 0; j < node->set_sizes[s]; j++) {
            lm_expr *item = node->sets[s][j], *r = NULL;
            for (int i = 0; i < node->ngroup && r == NULL; i++)
                if (node->group_by[i] == item)
                    r = gres[i];
            if (r == NULL && (r = resolve_group_item(an, sc, node, item, sel)) == NULL)
                return NULL;
            if ((idx[j] = key_index(keys, r)) < 0) {
                char *x = lm_coerce_quote_sql(&an->rc, r);
                an_error(an, item->start, item->stop, "_LEGACY_ERROR_TEMP_1005", NULL,
                         "%s doesn't show up in the GROUP BY list.", x ? x : "");
                lm_error_param_add(an->err, "expr", x);
                return NULL;
            }
        }
        if (keys->n > 64) {
            an_error(an, -1, -1, "GROUPING_SIZE_LIMIT_EXCEEDED", "54000",
                     "Grouping sets size cannot be greater than 64.");
            lm_error_param_add(an->err, "maxSize", "64");
            return NULL;
        }
        masks[s] = an_grouping_mask(idx, node->set_sizes[s], keys->n);
    }
    return masks;
}

lm_plan *an_analyze_block(lm_analyzer *an, lm_plan *top, lm_plan *sort, an_scope *outer)
{
    lm_plan *node = top;
    lm_expr *having = NULL;
    if (node->kind == LM_PLAN_FILTER && node->having) {
        having = node->cond;
        node = node->child;
    }
    bool is_agg_node = node->kind == LM_PLAN_AGGREGATE;
    lm_plan *from = an_analyze_plan(an, node->child, outer);
    if (from == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, from, outer);
    if (sc == NULL)
        return NULL;

    expr_list raw = {0}, sel = {0};
    if (!expand_select(an, sc, node->exprs, node->nexprs, &raw))
        return NULL;
    for (int i = 0; i < raw.n; i++) {
        lm_expr *r = an_substitute_windows(an, node, raw.v[i]);
        if (r != NULL)
            r = an_resolve_expr(an, sc, r);
        if (r == NULL || !list_push(an, &sel, r))
            return NULL;
    }
    bool any_agg = false;
    for (int i = 0; i < sel.n; i++)
        any_agg |= an_contains_agg(sel.v[i]);
    bool is_agg = is_agg_node || any_agg || having != NULL;

    lm_plan *cur = from;
    agg_ctx ac = {0};
    ac.an = an;
    ac.child_width = lm_plan_ncols(from);
    expr_list out = {0};

    /* ORDER BY items, resolved against the SELECT list when they name an
       alias or position, else against the input; ORDER BY ALL names every
       output column once the select list is final */
    bool order_all = order_by_all(an, sc, sort, &sel);
    int nsort = sort && !order_all ? sort->nexprs : 0;
    lm_expr **sort_in = nsort ? an_alloc(an, sizeof(lm_expr *) * (size_t)nsort) : NULL;
    int *sort_sel = nsort ? an_alloc(an, sizeof(int) * (size_t)nsort) : NULL;
    /* field of the select list's generator a sort key names, else -1 */
    int *sort_gen = nsort ? an_alloc(an, sizeof(int) * (size_t)nsort) : NULL;
    for (int i = 0; i < nsort; i++) {
        lm_expr *s = sort->exprs[i];
        lm_expr *x = s->kind == LM_EXPR_SORT ? s->args[0] : s;
        sort_sel[i] = -1;
        sort_gen[i] = -1;
        int64_t ord;
        if (ordinal_of(x, &ord) && conf_on(an, "spark.sql.orderByOrdinal")) {
            if (ord < 1 || ord > sel.n) {
                char pos[32], size[32];
                snprintf(pos, sizeof pos, "%lld", (long long)ord);
                snprintf(size, sizeof size, "%d", sel.n);
                an_error(an, x->start, x->stop, "ORDER_BY_POS_OUT_OF_RANGE", "42805",
                         "ORDER BY position %lld is not in select list (valid range is [1, %d]).",
                         (long long)ord, sel.n);
                lm_error_param_add(an->err, "index", pos);
                lm_error_param_add(an->err, "size", size);
                return NULL;
            }
            sort_sel[i] = (int)ord - 1;
            continue;
        }
        if (x->kind == LM_EXPR_COLUMN && x->nparts == 1) {
            for (int k = 0; k < sel.n; k++) {
                if (sel.v[k]->kind == LM_EXPR_ALIAS && sel.v[k]->name &&
                    strcasecmp(sel.v[k]->name, x->parts[0]) == 0) {
                    sort_sel[i] = k;
                    break;
                }
            }
            if (sort_sel[i] < 0)
                sort_gen[i] = an_generator_field(an, sel.v, sel.n, x->parts[0], &sort_sel[i]);
            if (sort_sel[i] >= 0)
                continue;
        }
        sort_in[i] = an_substitute_windows(an, node, x);
        if (sort_in[i] != NULL)
            sort_in[i] = an_resolve_expr(an, sc, sort_in[i]);
        if (sort_in[i] == NULL || !an_no_generator(an, sort_in[i], "ORDER BY"))
            return NULL;
        /* a sort key equal to a select item sorts by that item */
        for (int k = 0; k < sel.n; k++)
            if (an_expr_equal(sel.v[k], sort_in[i])) {
                sort_sel[i] = k;
                break;
            }
    }

    if (is_agg) {
        expr_list keys = {0};
        int ngroup = node->ngroup;
        if (group_by_all(an, sc, node)) {
            /* GROUP BY ALL: every select item without an aggregate */
            for (int i = 0; i < sel.n; i++)
                if (!an_contains_agg(sel.v[i]) && !list_push(an, &keys, sel.v[i]))
                    return NULL;
            for (int i = 0; i < sel.n && keys.n == 0; i++)
                if (refs_outside_agg(sel.v[i])) {
                    an_error(an, node->start, node->stop, "UNRESOLVED_ALL_IN_GROUP_BY", "42803",
                             "Cannot infer grouping columns for GROUP BY ALL based on the select "
                             "clause. Please explicitly specify the grouping columns.");
                    return NULL;
                }
            ngroup = 0;
        }
        /* GROUP BY items, resolved once each (grouping sets share the pointers) */
        lm_expr **gres = an_alloc(an, sizeof(lm_expr *) * (size_t)(node->ngroup + 1));
        if (gres == NULL)
            return NULL;
        for (int i = 0; i < ngroup; i++) {
            if ((gres[i] = resolve_group_item(an, sc, node, node->group_by[i], &sel)) == NULL)
                return NULL;
            if (!grouping_sets(node) || key_index(&keys, gres[i]) < 0)
                if (!list_push(an, &keys, gres[i]))
                    return NULL;
        }
        uint64_t *masks = NULL;
        if (grouping_sets(node) &&
            (masks = set_masks(an, sc, node, gres, &keys, &sel)) == NULL)
            return NULL;
        ac.nkeys = keys.n;
        ac.keys = keys.v;
        if (masks) {
            /* the aggregate also groups by the grouping id (and the set
               position when a set repeats), which follow the keys */
            ac.gid_ordinal = keys.n;
            ac.nagg_keys = keys.n + 1 + (an_grouping_has_duplicates(masks, node->nsets) ? 1 : 0);
            ac.key_nullable = an_alloc(an, sizeof(bool) * (size_t)(keys.n + 1));
            if (ac.key_nullable == NULL)
                return NULL;
            for (int i = 0; i < keys.n; i++)
                ac.key_nullable[i] = keys.v[i]->nullable ||
                                     an_grouping_key_nullable(masks, node->nsets, keys.n, i);
        } else {
            ac.gid_ordinal = -1;
            ac.nagg_keys = keys.n;
        }
        /* rewrite select, having and sort keys onto the aggregate row */
        lm_expr **sel_rw = an_alloc(an, sizeof(lm_expr *) * (size_t)(sel.n + 1));
        if (sel_rw == NULL)
            return NULL;
        for (int i = 0; i < sel.n; i++) {
            lm_expr *x = sel.v[i];
            ac.cur_item = x;
            if (x->kind == LM_EXPR_ALIAS) {
                lm_expr *inner = agg_rewrite(&ac, x->args[0]);
                if (inner == NULL)
                    return NULL;
                lm_expr *a = clone(an, x);
                lm_expr **args = an_alloc(an, sizeof *args);
                if (a == NULL || args == NULL)
                    return NULL;
                args[0] = inner;
                a->args = args;
                sel_rw[i] = a;
            } else {
                lm_expr *r = agg_rewrite(&ac, x);
                if (r == NULL)
                    return NULL;
                if (r->kind == LM_EXPR_BOUND && x->kind != LM_EXPR_BOUND) {
                    /* keep the select item's own name */
                    lm_expr *a = an_new_expr(an, LM_EXPR_ALIAS);
                    lm_expr **args = an_alloc(an, sizeof *args);
                    if (a == NULL || args == NULL)
                        return NULL;
                    args[0] = r;
                    a->args = args;
                    a->nargs = 1;
                    a->name = (char *)an_output_name(an, x);
                    a->type = r->type;
                    a->nullable = r->nullable;
                    a->resolved = true;
                    r = a;
                }
                sel_rw[i] = r;
            }
        }
        lm_expr *having_rw = NULL;
        if (having) {
            lm_expr *h = subst_aliases(an, sc, having, &sel);
            if (h == NULL || (h = an_resolve_expr(an, sc, h)) == NULL)
                return NULL;
            if (an_contains_window(h)) {
                an_error(an, having->start, having->stop, "_LEGACY_ERROR_TEMP_1034", NULL,
                         "It is not allowed to use window functions inside HAVING clause.");
                lm_error_param_add(an->err, "clauseName", "HAVING");
                return NULL;
            }
            ac.tentative = true;
            ac.nsel = sel.n;
            ac.sel = sel.v;
            having_rw = agg_rewrite(&ac, h);
            ac.tentative = false;
            if (having_rw == NULL)
                return NULL;
            if (having_rw->type->id != LM_TYPE_BOOLEAN && having_rw->type->id != LM_TYPE_NULL) {
                char *sqlx = lm_coerce_quote_sql(&an->rc, h);
                an_error(an, having->start, having->stop, "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                         "42K09", "Cannot resolve %s due to data type mismatch: Filter "
                         "expression %s is not a boolean.", sqlx, sqlx);
                return NULL;
            }
        }
        lm_expr **sort_rw = nsort ? an_alloc(an, sizeof(lm_expr *) * (size_t)nsort) : NULL;
        ac.tentative = true;
        ac.nsel = sel.n;
        ac.sel = sel.v;
        for (int i = 0; i < nsort; i++)
            if (sort_sel[i] < 0 && (sort_rw[i] = agg_rewrite(&ac, sort_in[i])) == NULL)
                return NULL;
        ac.tentative = false;
        /* the aggregate node itself */
        lm_plan *agg = an_new_plan(an, LM_PLAN_AGGREGATE);
        lm_agg_info *info = an_alloc(an, sizeof *info);
        if (agg == NULL || info == NULL)
            return NULL;
        info->naggs = ac.aggs.n;
        info->aggs = ac.aggs.v;
        agg->aux = info;
        agg->child = cur;
        agg->ngroup = keys.n;
        agg->group_by = keys.v;
        int nk = ac.nagg_keys;
        if (masks) {
            /* group by the Expand's key columns, grouping id and position */
            lm_plan *ex = an_build_expand(an, cur, keys.v, keys.n, masks, node->nsets);
            lm_expr **gk = an_alloc(an, sizeof(lm_expr *) * (size_t)(nk + 1));
            if (ex == NULL || gk == NULL)
                return NULL;
            int base = lm_plan_ncols(cur);
            for (int i = 0; i < nk; i++) {
                const lm_field *f = &ex->schema->fields[base + i];
                if ((gk[i] = an_bound(an, base + i, f->name, f->type, f->nullable)) == NULL)
                    return NULL;
            }
            agg->child = ex;
            agg->ngroup = nk;
            agg->group_by = gk;
            info->has_grouping_id = true;
        }
        int w = nk + ac.aggs.n;
        const char **nm = an_alloc(an, sizeof(char *) * (size_t)(w + 1));
        lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(w + 1));
        bool *nl = an_alloc(an, sizeof(bool) * (size_t)(w + 1));
        if (nm == NULL || ty == NULL || nl == NULL)
            return NULL;
        for (int i = 0; i < nk; i++) {
            nm[i] = an_output_name(an, agg->group_by[i]);
            ty[i] = agg->group_by[i]->type;
            nl[i] = agg->group_by[i]->nullable;
        }
        for (int i = 0; i < keys.n; i++) {
            nm[i] = an_output_name(an, keys.v[i]);
            if (ac.key_nullable)
                nl[i] = ac.key_nullable[i];
        }
        for (int i = 0; i < ac.aggs.n; i++) {
            nm[nk + i] = an_output_name(an, ac.aggs.v[i]);
            ty[nk + i] = ac.aggs.v[i]->type;
            nl[nk + i] = ac.aggs.v[i]->nullable;
        }
        if (!an_set_output(an, agg, w, nm, ty, nl, NULL))
            return NULL;
        cur = agg;
        if (having_rw) {
            lm_plan *f = an_new_plan(an, LM_PLAN_FILTER);
            if (f == NULL)
                return NULL;
            f->child = cur;
            f->cond = having_rw;
            f->having = true;
            f->schema = cur->schema;
            f->qualifiers = cur->qualifiers;
            cur = f;
        }
        for (int i = 0; i < sel.n; i++)
            if (!list_push(an, &out, sel_rw[i]))
                return NULL;
        for (int i = 0; i < nsort; i++)
            if (sort_sel[i] < 0)
                sort_in[i] = sort_rw[i];
    } else {
        for (int i = 0; i < sel.n; i++)
            if (!list_push(an, &out, sel.v[i]))
                return NULL;
    }

    /* a generator in the select list runs in a GENERATE under the projection
       (Spark's ExtractGenerator); items after it shift by its extra columns */
    int gen_at, gen_count;
    if (!an_extract_generator(an, &cur, &out.v, &out.n, &gen_at, &gen_count))
        return NULL;
    if (gen_count) {
        out.cap = out.n;
        for (int i = 0; i < nsort; i++) {
            if (sort_gen[i] >= 0)
                sort_sel[i] = gen_at + sort_gen[i];
            else if (sort_sel[i] > gen_at)
                sort_sel[i] += gen_count - 1;
        }
    }

    /* window functions over the (possibly aggregated) row */
    bool any_window = false;
    for (int i = 0; i < out.n; i++)
        any_window |= an_contains_window(out.v[i]);
    for (int i = 0; i < nsort; i++)
        if (sort_sel[i] < 0)
            any_window |= an_contains_window(sort_in[i]);
    if (any_window) {
        ac.base_cols = lm_plan_ncols(cur);
        for (int i = 0; i < out.n; i++)
            if ((out.v[i] = window_rewrite(&ac, out.v[i])) == NULL)
                return NULL;
        for (int i = 0; i < nsort; i++)
            if (sort_sel[i] < 0 && (sort_in[i] = window_rewrite(&ac, sort_in[i])) == NULL)
                return NULL;
        if ((cur = an_build_window(an, cur, &ac.wins)) == NULL)
            return NULL;
    }

    /* project the select list, plus hidden sort keys it does not contain */
    int nvisible = out.n;
    if (order_all)
        nsort = out.n;
    int *sort_col = nsort ? an_alloc(an, sizeof(int) * (size_t)nsort) : NULL;
    for (int i = 0; i < nsort; i++) {
        if (order_all) {
            sort_col[i] = i;
            continue;
        }
        if (sort_sel[i] >= 0) {
            sort_col[i] = sort_sel[i];
            continue;
        }
        sort_col[i] = out.n;
        if (!list_push(an, &out, sort_in[i]))
            return NULL;
    }
    char ***quals = an_alloc(an, sizeof(char **) * (size_t)(out.n + 1));
    if (quals == NULL)
        return NULL;
    for (int i = 0; i < out.n; i++) {
        const lm_expr *x = out.v[i];
        quals[i] = (!is_agg && x->kind == LM_EXPR_BOUND && cur == from && from->qualifiers)
                       ? from->qualifiers[x->ordinal]
                       : NULL;
    }
    lm_plan *proj = make_project(an, cur, out.v, out.n, quals);
    if (proj == NULL)
        return NULL;
    if (nsort == 0)
        return proj;

    lm_plan *sp = an_new_plan(an, LM_PLAN_SORT);
    if (sp == NULL)
        return NULL;
    sp->child = proj;
    sp->global = sort->global;
    sp->nexprs = nsort;
    sp->exprs = an_alloc(an, sizeof(lm_expr *) * (size_t)nsort);
    if (sp->exprs == NULL)
        return NULL;
    for (int i = 0; i < nsort; i++) {
        const lm_expr *s = sort->exprs[order_all ? 0 : i];
        const lm_field *f = &proj->schema->fields[sort_col[i]];
        lm_expr *k = an_new_expr(an, LM_EXPR_SORT);
        lm_expr **args = an_alloc(an, sizeof *args);
        lm_expr *b = an_bound(an, sort_col[i], f->name, f->type, f->nullable);
        if (k == NULL || args == NULL || b == NULL)
            return NULL;
        args[0] = b;
        k->args = args;
        k->nargs = 1;
        k->flags = s->kind == LM_EXPR_SORT ? s->flags : LM_SORT_NULLS_FIRST;
        k->type = f->type;
        k->resolved = true;
        if (!lm_type_is_atomic_orderable(f->type) && f->type->id == LM_TYPE_MAP) {
            char *sx = lm_coerce_quote_sql(&an->rc, b);
            an_error(an, s->start, s->stop, "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE", "42K09",
                     "Cannot resolve %s due to data type mismatch: The `sortorder` does not "
                     "support ordering on type \"MAP\".", sx ? sx : "");
            return NULL;
        }
        sp->exprs[i] = k;
    }
    sp->schema = proj->schema;
    sp->qualifiers = proj->qualifiers;
    if (out.n == nvisible)
        return sp;
    /* drop the hidden sort keys again */
    lm_expr **vis = an_alloc(an, sizeof(lm_expr *) * (size_t)(nvisible + 1));
    if (vis == NULL)
        return NULL;
    for (int i = 0; i < nvisible; i++) {
        const lm_field *f = &proj->schema->fields[i];
        if ((vis[i] = an_bound(an, i, f->name, f->type, f->nullable)) == NULL)
            return NULL;
    }
    return make_project(an, sp, vis, nvisible, proj->qualifiers);
}

/* ORDER BY over something that is not a plain query block: sort by the
   child's own columns. */
lm_plan *an_resolve_sort(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *c = u->child;
    if (c->kind == LM_PLAN_PROJECT || c->kind == LM_PLAN_AGGREGATE ||
        (c->kind == LM_PLAN_FILTER && c->having))
        return an_analyze_block(an, c, u, outer);
    lm_plan *child = an_analyze_plan(an, c, outer);
    if (child == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, child, outer);
    lm_plan *sp = an_new_plan(an, LM_PLAN_SORT);
    if (sc == NULL || sp == NULL)
        return NULL;
    sp->child = child;
    sp->global = u->global;
    bool order_all = order_by_all(an, sc, u, NULL);
    sp->nexprs = order_all ? lm_plan_ncols(child) : u->nexprs;
    sp->exprs = an_alloc(an, sizeof(lm_expr *) * (size_t)(sp->nexprs + 1));
    if (sp->exprs == NULL)
        return NULL;
    for (int i = 0; i < sp->nexprs; i++) {
        lm_expr *s = u->exprs[order_all ? 0 : i];
        int64_t ord;
        lm_expr *x = s->kind == LM_EXPR_SORT ? s->args[0] : s;
        lm_expr *k;
        if (order_all) {
            const lm_field *f = &child->schema->fields[i];
            k = an_bound(an, i, f->name, f->type, f->nullable);
        } else if (ordinal_of(x, &ord) && conf_on(an, "spark.sql.orderByOrdinal")) {
            int n = lm_plan_ncols(child);
            if (ord < 1 || ord > n) {
                an_error(an, x->start, x->stop, "ORDER_BY_POS_OUT_OF_RANGE", "42805",
                         "ORDER BY position %lld is not in select list (valid range is [1, %d]).",
                         (long long)ord, n);
                return NULL;
            }
            const lm_field *f = &child->schema->fields[ord - 1];
            k = an_bound(an, (int)ord - 1, f->name, f->type, f->nullable);
        } else {
            k = an_resolve_expr(an, sc, x);
        }
        lm_expr *so = an_new_expr(an, LM_EXPR_SORT);
        lm_expr **args = an_alloc(an, sizeof *args);
        if (k == NULL || so == NULL || args == NULL)
            return NULL;
        args[0] = k;
        so->args = args;
        so->nargs = 1;
        so->flags = s->kind == LM_EXPR_SORT ? s->flags : LM_SORT_NULLS_FIRST;
        so->type = k->type;
        so->resolved = true;
        sp->exprs[i] = so;
    }
    sp->schema = child->schema;
    sp->qualifiers = child->qualifiers;
    sp->hidden = child->hidden;
    return sp;
}

/* DISTINCT is an aggregate grouping by every column. */
lm_plan *an_resolve_distinct(lm_analyzer *an, lm_plan *child)
{
    int n = lm_plan_ncols(child);
    lm_plan *agg = an_new_plan(an, LM_PLAN_AGGREGATE);
    lm_agg_info *info = an_alloc(an, sizeof *info);
    lm_expr **keys = an_alloc(an, sizeof(lm_expr *) * (size_t)(n + 1));
    if (agg == NULL || info == NULL || keys == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        const lm_field *f = &child->schema->fields[i];
        if ((keys[i] = an_bound(an, i, f->name, f->type, f->nullable)) == NULL)
            return NULL;
    }
    agg->child = child;
    agg->group_by = keys;
    agg->ngroup = n;
    agg->aux = info;
    agg->schema = child->schema;
    agg->qualifiers = child->qualifiers;
    return agg;
}
