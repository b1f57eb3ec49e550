/*
 * PIVOT, rewritten into aggregation as Spark's ResolvePivot does.
 *
 *   child PIVOT (agg1 [AS a1], ... FOR col | (c1, c2) IN (v1 [AS n1], ...))
 *
 * groups by the child's columns that neither the pivot columns nor the
 * aggregates reference, and yields one column per (value, aggregate) pair,
 * value-major, named "v" (one aggregate) or "v_agg". When every aggregate
 * has a type Spark's PivotFirst handles (numbers and booleans) Spark
 * aggregates twice: first by the group columns plus the pivot column, then
 * picks each value's row (a missing combination is NULL, even for count);
 * otherwise it aggregates once with every aggregate's inputs masked by
 * IF(pivot <=> value, input, NULL). Both plans are built here as
 * unresolved AGGREGATE nodes over the resolved child and handed to the
 * query-block analyzer, so aggregate extraction and its errors are shared.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "expr/cast.h"
#include "expr/eval.h"
#include "render/render.h"

/* ------------------------------------------------------------ builders */

static lm_expr *call_node(lm_analyzer *an, const char *name, int flags, int nargs, ...)
{
    lm_expr *c = an_new_expr(an, LM_EXPR_CALL);
    lm_expr **args = an_alloc(an, sizeof *args * (size_t)(nargs ? nargs : 1));
    if (c == NULL || args == NULL)
        return NULL;
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, lm_expr *);
    va_end(ap);
    c->name = (char *)name;
    c->flags = flags;
    c->nargs = nargs;
    c->args = args;
    return c;
}

static lm_expr *alias_node(lm_analyzer *an, lm_expr *e, const char *name)
{
    lm_expr *a = an_new_expr(an, LM_EXPR_ALIAS);
    lm_expr **args = an_alloc(an, sizeof *args);
    if (a == NULL || args == NULL || e == NULL)
        return NULL;
    args[0] = e;
    a->args = args;
    a->nargs = 1;
    a->name = (char *)name;
    return a;
}

static lm_expr *null_literal(lm_analyzer *an)
{
    lm_expr *n = an_new_expr(an, LM_EXPR_LITERAL);
    if (n)
        n->type = lm_type_null();
    return n;
}

/* IF(pivot <=> value, e, NULL) */
static lm_expr *mask(lm_analyzer *an, lm_expr *pivot, lm_expr *value, lm_expr *e)
{
    lm_expr *eq = call_node(an, "<=>", LM_CALL_OPERATOR, 2, pivot, value);
    return eq ? call_node(an, "if", 0, 3, eq, e, null_literal(an)) : NULL;
}

/* ---------------------------------------------------------- inspection */

static bool is_aggregate_call(const lm_expr *e)
{
    if (e->kind != LM_EXPR_CALL || e->window)
        return false;
    const lm_func_def *fn = e->fn ? e->fn : lm_func_lookup(e->name);
    return fn && fn->kind == LM_FN_AGGREGATE;
}

/* Marks the child columns a resolved expression reads. */
static void mark_refs(const lm_expr *e, bool *used, int n)
{
    if (e == NULL)
        return;
    if (e->kind == LM_EXPR_BOUND && e->ordinal < n)
        used[e->ordinal] = true;
    for (int i = 0; i < e->nargs; i++)
        mark_refs(e->args[i], used, n);
    mark_refs(e->filter, used, n);
}

/* A child column read outside any aggregate function (Spark's
   checkValidAggregateExpression); NULL when there is none. */
static const lm_expr *bare_column(const lm_expr *e)
{
    if (is_aggregate_call(e))
        return NULL;
    if (e->kind == LM_EXPR_BOUND)
        return e;
    for (int i = 0; i < e->nargs; i++) {
        const lm_expr *b = bare_column(e->args[i]);
        if (b)
            return b;
    }
    return NULL;
}

/* Spark's Attribute.sql: qualifier.name (the qualifier as the catalog
   stores it, lower case for temporary views). */
static char *attr_sql(lm_analyzer *an, const lm_plan *child, int ordinal)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    char **q = child->qualifiers ? child->qualifiers[ordinal] : NULL;
    for (int i = 0; q && q[i]; i++) {
        for (const char *p = q[i]; *p; p++)
            lm_strbuf_putc(&sb, (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p);
        lm_strbuf_putc(&sb, '.');
    }
    lm_strbuf_puts(&sb, child->schema->fields[ordinal].name);
    char *r = an_strdup(an, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

/* Spark's toSQLId: split on dots, back-quote each part. */
static char *sql_id(lm_analyzer *an, const char *s)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '`');
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            lm_strbuf_puts(&sb, "`.`");
        else
            lm_strbuf_putc(&sb, *p);
    }
    lm_strbuf_putc(&sb, '`');
    char *r = an_strdup(an, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

/* The PIVOT keyword's offset: the parser's node starts at the relation
   it pivots, Spark's error context at the PIVOT clause. */
static int pivot_keyword_start(const lm_analyzer *an, const lm_plan *u)
{
    int from = u->nexprs && u->exprs[0]->start >= 0 ? u->exprs[0]->start : -1;
    if (an->sql == NULL || from < 5)
        return u->start;
    for (int i = from - 5; i >= 0 && i >= u->start; i--)
        if (strncasecmp(an->sql + i, "PIVOT", 5) == 0)
            return i;
    return u->start;
}

/*
 * Copy of the (unresolved) aggregate expression e in which every aggregate
 * function reads IF(pivot <=> value, input, NULL) instead of each input;
 * first/last then skip NULLs, as Spark's ResolvePivot rewrites them.
 */
static lm_status mask_aggregates(lm_analyzer *an, const lm_expr *e, lm_expr *pivot,
                                 lm_expr *value, lm_expr **out)
{
    lm_expr *c = an_alloc(an, sizeof *c);
    if (c == NULL)
        return LM_ENOMEM;
    *c = *e;
    if (is_aggregate_call(e)) {
        int n = e->nargs;
        bool star = (e->flags & LM_CALL_STAR_ARG) && n == 0;
        lm_expr **args = an_alloc(an, sizeof *args * (size_t)(star ? 1 : n ? n : 1));
        if (args == NULL)
            return LM_ENOMEM;
        if (star) {
            /* count(*) counts the rows of this value: count(IF(..., 1, NULL)) */
            lm_expr *one = an_literal(an, lm_type_int(), lm_value_i64(1));
            if ((args[0] = one ? mask(an, pivot, value, one) : NULL) == NULL)
                return LM_ENOMEM;
            n = 1;
            c->flags &= ~LM_CALL_STAR_ARG;
        } else {
            for (int i = 0; i < n; i++)
                if ((args[i] = mask(an, pivot, value, e->args[i])) == NULL)
                    return LM_ENOMEM;
        }
        const lm_func_def *fn = e->fn ? e->fn : lm_func_lookup(e->name);
        if (fn && (strcasecmp(fn->name, "first") == 0 || strcasecmp(fn->name, "last") == 0 ||
                   strcasecmp(fn->name, "first_value") == 0 ||
                   strcasecmp(fn->name, "last_value") == 0)) {
            c->flags |= LM_CALL_IGNORE_NULLS;
            c->flags &= ~LM_CALL_RESPECT_NULLS;
        }
        c->args = args;
        c->nargs = n;
        c->resolved = false;
        *out = c;
        return LM_OK;
    }
    if (e->nargs) {
        c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
        if (c->args == NULL)
            return LM_ENOMEM;
        for (int i = 0; i < e->nargs; i++)
            if (mask_aggregates(an, e->args[i], pivot, value, &c->args[i]) != LM_OK)
                return LM_ENOMEM;
    }
    *out = c;
    return LM_OK;
}

/* ------------------------------------------------------------ the rule */

lm_plan *an_resolve_pivot(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *child = an_analyze_plan(an, u->child, outer);
    if (child == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, child, outer);
    if (sc == NULL)
        return NULL;
    int nchild = lm_plan_ncols(child);
    int kw = pivot_keyword_start(an, u);

    /* the pivot column: one column, or a struct of several */
    lm_expr **pcols = an_alloc(an, sizeof(lm_expr *) * (size_t)(u->npivot_cols + 1));
    if (pcols == NULL)
        return NULL;
    for (int i = 0; i < u->npivot_cols; i++) {
        pcols[i] = an_resolve_expr(an, sc, u->pivot_cols[i]);
        if (pcols[i] == NULL) {
            lm_error_set_context(an->err, kw, u->stop);
            return NULL;
        }
    }
    lm_expr *pivot;
    if (u->npivot_cols == 1) {
        pivot = pcols[0];
    } else {
        lm_expr *row = an_new_expr(an, LM_EXPR_CALL);
        if (row == NULL)
            return NULL;
        row->name = "struct";
        row->flags = LM_CALL_ROW;
        row->nargs = u->npivot_cols;
        row->args = pcols;
        if ((pivot = an_resolve_expr(an, sc, row)) == NULL)
            return NULL;
    }
    const lm_type *pt = pivot->type;
    if (!lm_type_is_orderable(pt)) {
        char *id;
        if (u->npivot_cols == 1) {
            id = sql_id(an, pcols[0]->name);
        } else {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_strbuf_puts(&sb, "named_struct(");
            for (int i = 0; i < u->npivot_cols; i++)
                lm_strbuf_printf(&sb, "%s'%s', %s", i ? ", " : "", pcols[i]->name,
                                 pcols[i]->kind == LM_EXPR_BOUND
                                     ? attr_sql(an, child, pcols[i]->ordinal)
                                     : pcols[i]->name);
            lm_strbuf_putc(&sb, ')');
            id = sql_id(an, lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
        }
        an_error(an, -1, -1, "INCOMPARABLE_PIVOT_COLUMN", "42818",
                 "Invalid pivot column %s. Pivot columns must be comparable.", id ? id : "");
        lm_error_param_add(an->err, "columnName", id);
        return NULL;
    }

    /* aggregates: resolved once to check them and learn their types */
    int nagg = u->nexprs;
    bool *used = an_alloc(an, sizeof(bool) * (size_t)(nchild + 1));
    lm_expr **agg_u = an_alloc(an, sizeof(lm_expr *) * (size_t)(nagg + 1));
    const char **agg_name = an_alloc(an, sizeof(char *) * (size_t)(nagg + 1));
    bool first_strategy = true;
    if (used == NULL || agg_u == NULL || agg_name == NULL)
        return NULL;
    for (int i = 0; i < u->npivot_cols; i++)
        mark_refs(pcols[i], used, nchild);
    for (int j = 0; j < nagg; j++) {
        lm_expr *a = u->exprs[j];
        agg_u[j] = a->kind == LM_EXPR_ALIAS ? a->args[0] : a;
        lm_expr *r = an_resolve_expr(an, sc, agg_u[j]);
        if (r == NULL)
            return NULL;
        const lm_expr *bare = bare_column(r);
        if (bare) {
            char *s = attr_sql(an, child, bare->ordinal);
            an_error(an, -1, -1, "_LEGACY_ERROR_TEMP_1006", NULL,
                     "Aggregate expression required for pivot, but '%s' did not appear in any "
                     "aggregate function.",
                     s ? s : "");
            lm_error_param_add(an->err, "sql", s);
            return NULL;
        }
        mark_refs(r, used, nchild);
        agg_name[j] = a->kind == LM_EXPR_ALIAS ? a->name : lm_expr_pretty_arena(an->a, r);
        if (agg_name[j] == NULL)
            return NULL;
        lm_type_id id = r->type->id;
        if (!(lm_type_is_numeric(r->type) || id == LM_TYPE_BOOLEAN))
            first_strategy = false;
    }

    /* values: constants cast to the pivot column's type */
    int nval = u->npivot_values;
    lm_expr **vals = an_alloc(an, sizeof(lm_expr *) * (size_t)(nval + 1));
    const char **val_name = an_alloc(an, sizeof(char *) * (size_t)(nval + 1));
    if (vals == NULL || val_name == NULL)
        return NULL;
    lm_eval_ctx ec = {0};
    ec.arena = an->a;
    ec.err = an->err;
    ec.session = an->s;
    ec.tz = an->s->tz;
    ec.ansi = an->rc.ansi;
    for (int i = 0; i < nval; i++) {
        lm_expr *v = u->pivot_values[i];
        lm_expr *inner = v->kind == LM_EXPR_ALIAS ? v->args[0] : v;
        lm_expr *r = an_resolve_expr(an, sc, inner);
        if (r == NULL)
            return NULL;
        if (!an_is_foldable(r)) {
            char *q = lm_coerce_quote_sql(&an->rc, r);
            an_error(an, -1, -1, "NON_LITERAL_PIVOT_VALUES", "42K08",
                     "Literal expressions required for pivot values, found %s.", q ? q : "");
            lm_error_param_add(an->err, "expression", q);
            return NULL;
        }
        lm_value cv;
        if (lm_eval_constant(&ec, r, &cv) != LM_OK)
            return NULL;
        if (!lm_cast_can(r->type, pt)) {
            lm_strbuf vs, vt, ps;
            lm_strbuf_init(&vs);
            lm_strbuf_init(&vt);
            lm_strbuf_init(&ps);
            lm_render(&vs, r->type, &cv, LM_STYLE_CAST, an->s->tz);
            lm_type_catalog_string(&vt, r->type);
            lm_type_catalog_string(&ps, pt);
            an_error(an, -1, -1, "PIVOT_VALUE_DATA_TYPE_MISMATCH", "42K09",
                     "Invalid pivot value '%s': value data type %s does not match pivot column "
                     "data type %s.",
                     lm_strbuf_cstr(&vs), lm_strbuf_cstr(&vt), lm_strbuf_cstr(&ps));
            lm_error_param_add(an->err, "value", lm_strbuf_cstr(&vs));
            lm_error_param_add(an->err, "valueType", lm_strbuf_cstr(&vt));
            lm_error_param_add(an->err, "pivotType", lm_strbuf_cstr(&ps));
            lm_strbuf_free(&vs);
            lm_strbuf_free(&vt);
            lm_strbuf_free(&ps);
            return NULL;
        }
        lm_value pv = cv;
        if (!cv.is_null && !lm_type_equal(r->type, pt) &&
            lm_cast_value(&ec, r->type, pt, &cv, &pv, 0) != LM_OK)
            return NULL;
        if ((vals[i] = an_literal(an, (lm_type *)pt, pv)) == NULL)
            return NULL;
        if (v->kind == LM_EXPR_ALIAS) {
            val_name[i] = v->name;
        } else if (pv.is_null) {
            val_name[i] = "null";
        } else {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_render(&sb, pt, &pv, LM_STYLE_CAST, an->s->tz);
            val_name[i] = an_strdup(an, lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
        }
    }

    /* group columns: the child's columns nothing above references */
    int ngroup = 0;
    lm_expr **keys = an_alloc(an, sizeof(lm_expr *) * (size_t)(nchild + 1));
    if (keys == NULL)
        return NULL;
    for (int c = 0; c < nchild; c++) {
        if (used[c])
            continue;
        const lm_field *f = &child->schema->fields[c];
        if ((keys[ngroup++] = an_bound(an, c, f->name, f->type, f->nullable)) == NULL)
            return NULL;
    }

    int nout = ngroup + nval * nagg;
    lm_expr **items = an_alloc(an, sizeof(lm_expr *) * (size_t)(nout + 1));
    if (items == NULL)
        return NULL;
    for (int g = 0; g < ngroup; g++)
        items[g] = keys[g];
    lm_plan *ag = an_alloc(an, sizeof *ag);
    if (ag == NULL)
        return NULL;
    ag->kind = LM_PLAN_AGGREGATE;
    ag->start = ag->stop = -1;
    ag->grouping = LM_GROUPING_PLAIN;

    if (first_strategy) {
        /* first aggregation: by the group columns and the pivot column */
        int w1 = ngroup + 1 + nagg;
        lm_expr **e1 = an_alloc(an, sizeof(lm_expr *) * (size_t)(w1 + 1));
        lm_expr **g1 = an_alloc(an, sizeof(lm_expr *) * (size_t)(ngroup + 2));
        lm_plan *a1 = an_alloc(an, sizeof *a1);
        if (e1 == NULL || g1 == NULL || a1 == NULL)
            return NULL;
        for (int g = 0; g < ngroup; g++)
            e1[g] = g1[g] = keys[g];
        g1[ngroup] = pivot;
        if ((e1[ngroup] = alias_node(an, pivot, "__pivot_col")) == NULL)
            return NULL;
        for (int j = 0; j < nagg; j++)
            if ((e1[ngroup + 1 + j] = alias_node(an, agg_u[j], agg_name[j])) == NULL)
                return NULL;
        a1->kind = LM_PLAN_AGGREGATE;
        a1->start = a1->stop = -1;
        a1->child = child;
        a1->grouping = LM_GROUPING_PLAIN;
        a1->ngroup = ngroup + 1;
        a1->group_by = g1;
        a1->nexprs = w1;
        a1->exprs = e1;
        lm_plan *first = an_analyze_block(an, a1, NULL, outer);
        if (first == NULL)
            return NULL;
        /* second: each value's row per group (at most one exists) */
        const lm_field *ff = first->schema->fields;
        lm_expr *pref = an_bound(an, ngroup, ff[ngroup].name, ff[ngroup].type, ff[ngroup].nullable);
        lm_expr **g2 = an_alloc(an, sizeof(lm_expr *) * (size_t)(ngroup + 1));
        if (pref == NULL || g2 == NULL)
            return NULL;
        for (int g = 0; g < ngroup; g++)
            if ((items[g] = g2[g] = an_bound(an, g, ff[g].name, ff[g].type, ff[g].nullable)) ==
                NULL)
                return NULL;
        for (int i = 0; i < nval; i++)
            for (int j = 0; j < nagg; j++) {
                const lm_field *af = &ff[ngroup + 1 + j];
                lm_expr *aref = an_bound(an, ngroup + 1 + j, af->name, af->type, af->nullable);
                lm_expr *pick = aref ? call_node(an, "max", 0, 1, mask(an, pref, vals[i], aref))
                                     : NULL;
                const char *nm = nagg == 1 ? val_name[i]
                                           : lm_arena_printf(an->a, "%s_%s", val_name[i], agg_name[j]);
                if ((items[ngroup + i * nagg + j] = alias_node(an, pick, nm)) == NULL)
                    return NULL;
            }
        ag->child = first;
        ag->ngroup = ngroup;
        ag->group_by = g2;
    } else {
        /* one aggregation, each aggregate's inputs masked per value */
        for (int i = 0; i < nval; i++)
            for (int j = 0; j < nagg; j++) {
                lm_expr *m = NULL;
                if (mask_aggregates(an, agg_u[j], pivot, vals[i], &m) != LM_OK)
                    return NULL;
                const char *nm = nagg == 1 ? val_name[i]
                                           : lm_arena_printf(an->a, "%s_%s", val_name[i], agg_name[j]);
                if ((items[ngroup + i * nagg + j] = alias_node(an, m, nm)) == NULL)
                    return NULL;
            }
        ag->child = child;
        ag->ngroup = ngroup;
        ag->group_by = keys;
    }
    ag->nexprs = nout;
    ag->exprs = items;
    return an_analyze_block(an, ag, NULL, outer);
}
