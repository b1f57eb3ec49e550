/*
 * explain(): plan text in Spark's format (QueryExecution's
 * "== Parsed Logical Plan ==" ... "== Physical Plan ==" sections, TreeNode's
 * ":- " / "+- " indentation, expressions in Catalyst's toString form such
 * as `(age#1 + 1) AS next#3`, `sum(v#2)`, `cast(a#0 as bigint)`).
 *
 * Expression ids. Spark numbers attributes from a JVM-wide counter in the
 * order they are created, so the same program prints the same ids in a
 * fresh session. We number them per explain call, deterministically: a
 * post-order walk of the analysed plan (children left to right, then the
 * node) gives every attribute a node *creates* the next id, starting at 0;
 * attributes passed through (column references, filters, sorts, joins,
 * aliases of whole relations) keep their child's id. Leaves come first, as
 * in a program that builds its DataFrames bottom-up, so simple programs
 * print the ids a fresh Spark session prints.
 *
 * Scope. The analysed plan is printed node for node. The optimised plan
 * applies the rewrites that change the shape of simple plans most visibly
 * (EliminateSubqueryAliases, removal of identity projections,
 * ConvertToLocalRelation); the physical plan maps the optimised nodes to
 * Spark's operators with whole-stage-codegen markers, Exchanges for sorts
 * and aggregates and the AdaptiveSparkPlan root Spark 3.5 shows when a plan
 * has an exchange. Join strategies print as SortMergeJoin; plan_ids are
 * numbered in print order.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer.h"
#include "api/dfapi.h"
#include "expr/func.h"
#include "render/render.h"
#include "types/numfmt.h"
#include "session/session.h"

/* ----------------------------------------------------------- numbering */

typedef struct node_ids {
    const lm_plan *p;
    int *ids;
} node_ids;

typedef struct ids_map {
    int n, cap;
    node_ids *v;
    int next;
    /* aggregate results: the AGGREGATE node's ids for its aggs */
} ids_map;

static int *ids_find(const ids_map *m, const lm_plan *p)
{
    for (int i = 0; i < m->n; i++)
        if (m->v[i].p == p)
            return m->v[i].ids;
    return NULL;
}

static int *ids_add(ids_map *m, const lm_plan *p, int n)
{
    if (m->n == m->cap) {
        int cap = m->cap ? m->cap * 2 : 16;
        node_ids *v = realloc(m->v, sizeof *v * (size_t)cap);
        if (v == NULL)
            return NULL;
        m->v = v;
        m->cap = cap;
    }
    int *ids = calloc((size_t)n + 1, sizeof *ids);
    if (ids == NULL)
        return NULL;
    m->v[m->n].p = p;
    m->v[m->n++].ids = ids;
    return ids;
}

static void ids_free(ids_map *m)
{
    for (int i = 0; i < m->n; i++)
        free(m->v[i].ids);
    free(m->v);
}

/* Assigns ids to p's output columns (see the file comment). */
static const int *number(ids_map *m, const lm_plan *p)
{
    const int *have = ids_find(m, p);
    if (have)
        return have;
    const int *l = p->child ? number(m, p->child) : NULL;
    const int *r = p->right ? number(m, p->right) : NULL;
    int n = lm_plan_ncols(p);
    int *ids = ids_add(m, p, n);
    if (ids == NULL || (p->child && l == NULL) || (p->right && r == NULL))
        return NULL;
    switch (p->kind) {
    case LM_PLAN_PROJECT:
        for (int i = 0; i < n; i++) {
            const lm_expr *e = p->exprs[i];
            const lm_expr *b = e->kind == LM_EXPR_ALIAS ? e->args[0] : e;
            bool same = b->kind == LM_EXPR_BOUND &&
                        (e == b || strcmp(e->name, p->child->schema->fields[b->ordinal].name) == 0);
            ids[i] = same ? l[b->ordinal] : m->next++;
        }
        break;
    case LM_PLAN_AGGREGATE:
        for (int i = 0; i < n; i++) {
            const lm_expr *e = i < p->ngroup ? p->group_by[i] : NULL;
            ids[i] = e && e->kind == LM_EXPR_BOUND ? l[e->ordinal] : m->next++;
        }
        break;
    case LM_PLAN_JOIN: {
        int nl = lm_plan_ncols(p->child);
        for (int i = 0; i < n; i++)
            ids[i] = i < nl ? l[i] : r[i - nl];
        break;
    }
    case LM_PLAN_FILTER:
    case LM_PLAN_SORT:
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
    case LM_PLAN_SUBQUERY_ALIAS:
    case LM_PLAN_SAMPLE:
    case LM_PLAN_SETOP:
        for (int i = 0; i < n; i++)
            ids[i] = l[i];
        break;
    default:
        for (int i = 0; i < n; i++)
            ids[i] = l && i < lm_plan_ncols(p->child) ? l[i] : m->next++;
        break;
    }
    return ids;
}

/* ---------------------------------------------------------- expressions */

typedef struct ex_ctx {
    ids_map *m;
    const lm_plan *in;  /* the input row's plan (NULL for none) */
    const lm_plan *in2; /* joins: right input, after `in` */
    bool unresolved;    /* printing a parsed plan */
} ex_ctx;

static void attr(lm_strbuf *sb, const char *name, const lm_type *t, int id)
{
    lm_strbuf_printf(sb, "%s#%d%s", name, id, t && t->id == LM_TYPE_LONG ? "L" : "");
}

static void print_ex(lm_strbuf *sb, const ex_ctx *c, const lm_expr *e);

static void print_list(lm_strbuf *sb, const ex_ctx *c, lm_expr *const *v, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_puts(sb, sep);
        print_ex(sb, c, v[i]);
    }
}

static void print_bound(lm_strbuf *sb, const ex_ctx *c, const lm_expr *e)
{
    const lm_plan *p = c->in;
    int k = e->ordinal;
    if (p && c->in2 && k >= lm_plan_ncols(p)) {
        k -= lm_plan_ncols(p);
        p = c->in2;
    }
    const int *ids = p ? ids_find(c->m, p) : NULL;
    attr(sb, e->name ? e->name : "?", e->type, ids && k < lm_plan_ncols(p) ? ids[k] : -1);
}

/* Literal.toString: strings raw, NULL as null, other values as Spark
   renders them for casts to string. */
static void print_literal(lm_strbuf *sb, const lm_expr *e)
{
    if (e->value.is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    if (!e->resolved && e->text && e->type && e->type->id != LM_TYPE_STRING) {
        lm_strbuf_puts(sb, e->text);
        return;
    }
    lm_render(sb, e->type, &e->value, LM_STYLE_CAST, NULL);
}

static void print_call(lm_strbuf *sb, const ex_ctx *c, const lm_expr *e)
{
    const lm_func_def *fn = e->fn;
    const char *lname = fn ? fn->name : e->name;
    /* unresolved functions print quoted ('upper('a)); operators are
       their own expression classes in Spark and print bare */
    if (c->unresolved && fn == NULL && !(e->flags & LM_CALL_OPERATOR))
        lm_strbuf_putc(sb, '\'');
    if (fn && (strcmp(lname, "not") == 0 || strcmp(lname, "!") == 0)) {
        lm_strbuf_puts(sb, "NOT ");
        print_ex(sb, c, e->args[0]);
        return;
    }
    if (fn && strcmp(lname, "negative") == 0) {
        lm_strbuf_putc(sb, '-');
        print_ex(sb, c, e->args[0]);
        return;
    }
    /* "+" and "-" print themselves (LM_STYLE_CUSTOM) because they are also
       unary; with two operands they are infix like the others */
    bool infix = fn ? (fn->style == LM_STYLE_INFIX ||
                       (fn->style == LM_STYLE_CUSTOM && e->nargs == 2 &&
                        (strcmp(fn->name, "+") == 0 || strcmp(fn->name, "-") == 0)))
                    : (e->flags & LM_CALL_OPERATOR) && e->nargs == 2;
    if (infix && e->nargs == 2) {
        const char *sym = fn && fn->symbol ? fn->symbol : e->name;
        if (strcmp(sym, "and") == 0)
            sym = "AND";
        else if (strcmp(sym, "or") == 0)
            sym = "OR";
        lm_strbuf_putc(sb, '(');
        print_ex(sb, c, e->args[0]);
        lm_strbuf_printf(sb, " %s ", sym);
        print_ex(sb, c, e->args[1]);
        lm_strbuf_putc(sb, ')');
        return;
    }
    if (fn && strcmp(lname, "like") == 0 && e->nargs >= 2) {
        print_ex(sb, c, e->args[0]);
        lm_strbuf_puts(sb, " LIKE ");
        print_ex(sb, c, e->args[1]);
        return;
    }
    const char *name = fn && fn->pretty ? fn->pretty : (fn ? fn->name : e->name);
    lm_strbuf_puts(sb, name);
    lm_strbuf_putc(sb, '(');
    if (e->distinct)
        lm_strbuf_puts(sb, "distinct ");
    print_list(sb, c, e->args, e->nargs, ", ");
    lm_strbuf_putc(sb, ')');
}

static void print_ex(lm_strbuf *sb, const ex_ctx *c, const lm_expr *e)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        print_literal(sb, e);
        return;
    case LM_EXPR_COLUMN:
        lm_strbuf_putc(sb, '\'');
        for (int i = 0; i < e->nparts; i++)
            lm_strbuf_printf(sb, "%s%s", i ? "." : "", e->parts[i]);
        return;
    case LM_EXPR_STAR:
        for (int i = 0; i < e->nparts; i++)
            lm_strbuf_printf(sb, "%s.", e->parts[i]);
        lm_strbuf_putc(sb, '*');
        return;
    case LM_EXPR_BOUND:
        print_bound(sb, c, e);
        return;
    case LM_EXPR_OUTER:
        lm_strbuf_printf(sb, "outer(%s)", e->name ? e->name : "?");
        return;
    case LM_EXPR_ALIAS:
        print_ex(sb, c, e->args[0]);
        lm_strbuf_printf(sb, " AS %s", e->name);
        return;
    case LM_EXPR_CALL:
        print_call(sb, c, e);
        return;
    case LM_EXPR_CAST: {
        lm_strbuf_puts(sb, (e->flags & LM_CAST_TRY) ? "try_cast(" : "cast(");
        print_ex(sb, c, e->args[0]);
        lm_strbuf_puts(sb, " as ");
        lm_type_catalog_string(sb, e->type);
        lm_strbuf_putc(sb, ')');
        return;
    }
    case LM_EXPR_CASE: {
        bool has_else = (e->flags & LM_CASE_HAS_ELSE) != 0;
        int i = (e->flags & LM_CASE_HAS_OPERAND) ? 1 : 0;
        int n = e->nargs - (has_else ? 1 : 0);
        lm_strbuf_puts(sb, "CASE");
        if (i) {
            lm_strbuf_putc(sb, ' ');
            print_ex(sb, c, e->args[0]);
        }
        for (; i + 1 < n + (i ? 0 : 0); i += 2) {
            lm_strbuf_puts(sb, " WHEN ");
            print_ex(sb, c, e->args[i]);
            lm_strbuf_puts(sb, " THEN ");
            print_ex(sb, c, e->args[i + 1]);
        }
        if (has_else) {
            lm_strbuf_puts(sb, " ELSE ");
            print_ex(sb, c, e->args[e->nargs - 1]);
        }
        lm_strbuf_puts(sb, " END");
        return;
    }
    case LM_EXPR_IN:
        if (e->flags & LM_IN_NOT)
            lm_strbuf_puts(sb, "NOT ");
        print_ex(sb, c, e->args[0]);
        lm_strbuf_puts(sb, " IN (");
        print_list(sb, c, e->args + 1, e->nargs - 1, ",");
        lm_strbuf_putc(sb, ')');
        return;
    case LM_EXPR_FIELD:
        print_ex(sb, c, e->args[0]);
        lm_strbuf_printf(sb, ".%s", e->name);
        return;
    case LM_EXPR_SUBSCRIPT:
        print_ex(sb, c, e->args[0]);
        lm_strbuf_putc(sb, '[');
        print_ex(sb, c, e->args[1]);
        lm_strbuf_putc(sb, ']');
        return;
    case LM_EXPR_SORT:
        print_ex(sb, c, e->args[0]);
        lm_strbuf_puts(sb, (e->flags & LM_SORT_DESC) ? " DESC" : " ASC");
        lm_strbuf_puts(sb, (e->flags & LM_SORT_NULLS_FIRST) ? " NULLS FIRST" : " NULLS LAST");
        return;
    case LM_EXPR_SCALAR_SUBQUERY:
        lm_strbuf_puts(sb, "scalar-subquery");
        return;
    case LM_EXPR_EXISTS:
        lm_strbuf_puts(sb, "exists");
        return;
    default:
        lm_strbuf_puts(sb, "?");
        return;
    }
}

/* Output attributes of a resolved plan: [a#0, b#1L]. */
static void print_output(lm_strbuf *sb, ids_map *m, const lm_plan *p)
{
    const int *ids = number(m, p);
    lm_strbuf_putc(sb, '[');
    for (int i = 0; i < lm_plan_ncols(p); i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        attr(sb, p->schema->fields[i].name, p->schema->fields[i].type, ids ? ids[i] : -1);
    }
    lm_strbuf_putc(sb, ']');
}

/* A named expression of a node that creates attribute `id`. */
static void print_named(lm_strbuf *sb, const ex_ctx *c, const lm_expr *e, const char *name, int id)
{
    if (e->kind == LM_EXPR_BOUND) {
        print_ex(sb, c, e);
        return;
    }
    const lm_expr *inner = e->kind == LM_EXPR_ALIAS ? e->args[0] : e;
    print_ex(sb, c, inner);
    lm_strbuf_puts(sb, " AS ");
    attr(sb, name, e->type, id);
}

/* ---------------------------------------------------------- plan trees */

typedef struct tree {
    lm_strbuf *sb;
    ids_map *m;
    bool last[64]; /* per depth: was the ancestor the last child */
    /* parsed plans: the analysed node of the parsed root, whose ids the
       root's aliases carry (Spark gives an Alias its id when it is built) */
    const lm_plan *match;
} tree;

static const char *join_name(lm_join_type t)
{
    switch (t) {
    case LM_JOIN_INNER:
        return "Inner";
    case LM_JOIN_LEFT:
        return "LeftOuter";
    case LM_JOIN_RIGHT:
        return "RightOuter";
    case LM_JOIN_FULL:
        return "FullOuter";
    case LM_JOIN_LEFT_SEMI:
        return "LeftSemi";
    case LM_JOIN_LEFT_ANTI:
        return "LeftAnti";
    default:
        return "Cross";
    }
}

static void prefix(tree *t, int depth)
{
    for (int i = 1; i < depth; i++)
        lm_strbuf_puts(t->sb, t->last[i] ? "   " : ":  ");
    if (depth > 0)
        lm_strbuf_puts(t->sb, t->last[depth] ? "+- " : ":- ");
}

/* Whether a resolved AGGREGATE is the Distinct of an_resolve_distinct. */
static bool is_distinct(const lm_plan *p)
{
    const lm_agg_info *info = p->aux;
    if (info == NULL || info->naggs || p->ngroup != lm_plan_ncols(p->child))
        return false;
    for (int i = 0; i < p->ngroup; i++)
        if (p->group_by[i]->kind != LM_EXPR_BOUND || p->group_by[i]->ordinal != i)
            return false;
    return true;
}

static void print_node(tree *t, const lm_plan *p, int depth);
static bool identity_project(const lm_plan *p);

static void children(tree *t, const lm_plan *p, int depth)
{
    if (depth + 1 >= 64)
        return;
    if (p->child) {
        t->last[depth + 1] = p->right == NULL;
        print_node(t, p->child, depth + 1);
    }
    if (p->right) {
        t->last[depth + 1] = true;
        print_node(t, p->right, depth + 1);
    }
}

/* One logical node, resolved or not, in Catalyst's simpleString form. */
static void print_node(tree *t, const lm_plan *p, int depth)
{
    lm_strbuf *sb = t->sb;
    /* the select list of an aggregate block is the Aggregate's own list in
       Spark; our block adds an identity Project over it */
    if (p->resolved && identity_project(p) && p->child->kind == LM_PLAN_AGGREGATE) {
        print_node(t, p->child, depth);
        return;
    }
    prefix(t, depth);
    bool u = !p->resolved;
    ex_ctx c = {t->m, p->child, NULL, u};
    if (!u)
        number(t->m, p);
    if (u)
        lm_strbuf_putc(sb, '\'');
    switch (p->kind) {
    case LM_PLAN_RELATION:
        if (p->name && strncmp(p->name, "Range", 5) == 0) {
            lm_strbuf_puts(sb, p->name);
        } else if (p->table && p->table->source) {
            /* Spark's LogicalRelation of a file source */
            lm_strbuf_puts(sb, "Relation ");
            print_output(sb, t->m, p);
            lm_strbuf_putc(sb, ' ');
            for (const char *f = p->table->source->format; *f; f++)
                lm_strbuf_putc(sb, (char)(*f >= 'A' && *f <= 'Z' ? *f - 'A' + 'a' : *f));
        } else {
            lm_strbuf_puts(sb, "LocalRelation ");
            if (p->table && p->table->nrows == 0)
                lm_strbuf_puts(sb, "<empty>, ");
            print_output(sb, t->m, p);
        }
        break;
    case LM_PLAN_UNRESOLVED_RELATION:
        lm_strbuf_puts(sb, "UnresolvedRelation [");
        for (int i = 0; i < p->nparts; i++)
            lm_strbuf_printf(sb, "%s%s", i ? ", " : "", p->parts[i]);
        lm_strbuf_puts(sb, "], [], false");
        break;
    case LM_PLAN_ONE_ROW:
        lm_strbuf_puts(sb, "OneRowRelation");
        break;
    case LM_PLAN_VALUES:
        if (u) {
            lm_strbuf_puts(sb, "UnresolvedInlineTable");
        } else {
            lm_strbuf_puts(sb, "LocalRelation ");
            print_output(sb, t->m, p);
        }
        break;
    case LM_PLAN_PROJECT: {
        lm_strbuf_puts(sb, "Project [");
        const int *ids = u ? NULL : number(t->m, p);
        const int *mids = u && depth == 0 && t->match && t->match->kind == LM_PLAN_PROJECT &&
                                  t->match->nexprs == p->nexprs
                              ? number(t->m, t->match)
                              : NULL;
        for (int i = 0; i < p->nexprs; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            const lm_expr *e = p->exprs[i];
            if (u && mids && e->kind == LM_EXPR_ALIAS && !e->resolved) {
                print_ex(sb, &c, e->args[0]);
                lm_strbuf_puts(sb, " AS ");
                attr(sb, e->name, t->match->schema->fields[i].type, mids[i]);
            } else if (u) {
                if (e->kind == LM_EXPR_ALIAS || e->kind == LM_EXPR_COLUMN ||
                    e->kind == LM_EXPR_STAR || e->resolved) {
                    print_ex(sb, &c, e);
                } else {
                    lm_strbuf_puts(sb, "unresolvedalias(");
                    print_ex(sb, &c, e);
                    lm_strbuf_puts(sb, ", None)");
                }
            } else {
                print_named(sb, &c, e, p->schema->fields[i].name, ids ? ids[i] : -1);
            }
        }
        lm_strbuf_putc(sb, ']');
        break;
    }
    case LM_PLAN_FILTER:
        lm_strbuf_puts(sb, "Filter ");
        print_ex(sb, &c, p->cond);
        break;
    case LM_PLAN_SORT:
        lm_strbuf_puts(sb, "Sort [");
        print_list(sb, &c, p->exprs, p->nexprs, ", ");
        lm_strbuf_printf(sb, "], %s", p->global ? "true" : "false");
        break;
    case LM_PLAN_LIMIT: {
        /* Limit prints as GlobalLimit over LocalLimit */
        lm_strbuf_puts(sb, "GlobalLimit ");
        print_ex(sb, &c, p->cond);
        lm_strbuf_putc(sb, '\n');
        t->last[depth + 1] = true;
        prefix(t, depth + 1);
        lm_strbuf_puts(sb, u ? "'LocalLimit " : "LocalLimit ");
        print_ex(sb, &c, p->cond);
        lm_strbuf_putc(sb, '\n');
        if (p->child && depth + 2 < 64) {
            t->last[depth + 2] = true;
            print_node(t, p->child, depth + 2);
        }
        return;
    }
    case LM_PLAN_OFFSET:
        lm_strbuf_puts(sb, "Offset ");
        print_ex(sb, &c, p->cond);
        break;
    case LM_PLAN_DISTINCT:
        lm_strbuf_puts(sb, "Distinct");
        break;
    case LM_PLAN_AGGREGATE: {
        if (!u && is_distinct(p)) {
            lm_strbuf_puts(sb, "Distinct");
            break;
        }
        lm_strbuf_puts(sb, "Aggregate [");
        print_list(sb, &c, p->group_by, p->ngroup, ", ");
        lm_strbuf_puts(sb, "], [");
        if (u) {
            for (int i = 0; i < p->nexprs; i++) {
                if (i)
                    lm_strbuf_puts(sb, ", ");
                const lm_expr *e = p->exprs[i];
                bool named = e->kind == LM_EXPR_ALIAS || e->kind == LM_EXPR_COLUMN || e->resolved;
                if (!named)
                    lm_strbuf_puts(sb, "unresolvedalias(");
                print_ex(sb, &c, e);
                if (!named)
                    lm_strbuf_puts(sb, ", None)");
            }
        } else {
            const lm_agg_info *info = p->aux;
            const int *ids = number(t->m, p);
            for (int i = 0; i < p->ngroup; i++) {
                if (i)
                    lm_strbuf_puts(sb, ", ");
                print_named(sb, &c, p->group_by[i], p->schema->fields[i].name, ids[i]);
            }
            for (int i = 0; info && i < info->naggs; i++) {
                if (i || p->ngroup)
                    lm_strbuf_puts(sb, ", ");
                print_named(sb, &c, info->aggs[i], p->schema->fields[p->ngroup + i].name,
                            ids[p->ngroup + i]);
            }
        }
        lm_strbuf_putc(sb, ']');
        break;
    }
    case LM_PLAN_JOIN:
        c.in2 = p->right;
        lm_strbuf_printf(sb, "Join %s", join_name(p->join_type));
        if (u && p->nnames) {
            lm_strbuf_printf(sb, "UsingJoin(%s, [", join_name(p->join_type));
            for (int i = 0; i < p->nnames; i++)
                lm_strbuf_printf(sb, "%s%s", i ? ", " : "", p->names[i]);
            lm_strbuf_puts(sb, "])");
        }
        if (p->cond) {
            lm_strbuf_puts(sb, ", ");
            print_ex(sb, &c, p->cond);
        }
        break;
    case LM_PLAN_SETOP:
        if (p->setop == LM_SETOP_UNION)
            lm_strbuf_printf(sb, "Union %s, %s", p->by_name ? "true" : "false",
                             p->allow_missing ? "true" : "false");
        else
            lm_strbuf_printf(sb, "%s %s", p->setop == LM_SETOP_INTERSECT ? "Intersect" : "Except",
                             p->all ? "true" : "false");
        if (!p->all && p->setop == LM_SETOP_UNION) {
            /* UNION DISTINCT is Distinct over Union */
        }
        break;
    case LM_PLAN_SUBQUERY_ALIAS:
        lm_strbuf_puts(sb, "SubqueryAlias ");
        if (p->nparts == 0 && p->qualifiers && lm_plan_ncols(p) && p->qualifiers[0]) {
            /* resolved aliases keep the name as the columns' qualifier */
            char **q = p->qualifiers[0];
            for (int i = 0; q[i]; i++)
                lm_strbuf_printf(sb, "%s%s", i ? "." : "", q[i]);
        }
        for (int i = 0; i < p->nparts; i++)
            lm_strbuf_printf(sb, "%s%s", i ? "." : "", p->parts[i]);
        break;
    case LM_PLAN_SAMPLE: {
        const lm_sample_info *si = p->aux;
        if (si) {
            char lb[32], ub[32];
            lm_format_double(lb, si->lb);
            lm_format_double(ub, si->ub);
            lm_strbuf_printf(sb, "Sample %s, %s, %s, %lld", lb, ub,
                             si->with_replacement ? "true" : "false", (long long)si->seed);
        } else
            lm_strbuf_puts(sb, "Sample");
        break;
    }
    case LM_PLAN_WITH:
        lm_strbuf_puts(sb, "WithCTE");
        break;
    default:
        lm_strbuf_printf(sb, "Node %d", (int)p->kind);
        break;
    }
    lm_strbuf_putc(sb, '\n');
    children(t, p, depth);
}

/* ------------------------------------------------------------ optimizer */

static bool identity_project(const lm_plan *p)
{
    if (p->kind != LM_PLAN_PROJECT || p->nexprs != lm_plan_ncols(p->child))
        return false;
    for (int i = 0; i < p->nexprs; i++) {
        const lm_expr *e = p->exprs[i];
        if (e->kind == LM_EXPR_ALIAS)
            e = e->args[0];
        if (e->kind != LM_EXPR_BOUND || e->ordinal != i ||
            strcmp(p->schema->fields[i].name, p->child->schema->fields[i].name) != 0)
            return false;
    }
    return true;
}

static bool local_relation(const lm_plan *p)
{
    return (p->kind == LM_PLAN_RELATION && !(p->name && strncmp(p->name, "Range", 5) == 0)) ||
           p->kind == LM_PLAN_VALUES;
}

static bool deterministic(const lm_expr *e)
{
    if (e == NULL)
        return true;
    if (e->kind == LM_EXPR_CALL && e->fn &&
        ((e->fn->flags & LM_FN_NONDETERMINISTIC) || e->fn->kind != LM_FN_SCALAR || e->window))
        return false;
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY || e->kind == LM_EXPR_EXISTS ||
        e->kind == LM_EXPR_IN_SUBQUERY)
        return false;
    for (int i = 0; i < e->nargs; i++)
        if (!deterministic(e->args[i]))
            return false;
    return true;
}

/*
 * The optimised view of a resolved plan: subquery aliases and identity
 * projections vanish, and projections, filters and limits over a local
 * relation fold into it (ConvertToLocalRelation). Nodes are copied into
 * arena a; the ids of folded projections stay theirs.
 */
static lm_plan *optimize(lm_arena *a, ids_map *m, const lm_plan *p)
{
    if (p->kind == LM_PLAN_SUBQUERY_ALIAS)
        return optimize(a, m, p->child);
    lm_plan *c = p->child ? optimize(a, m, p->child) : NULL;
    lm_plan *r = p->right ? optimize(a, m, p->right) : NULL;
    if ((p->child && c == NULL) || (p->right && r == NULL))
        return NULL;
    if (identity_project(p))
        return c;
    const int *ids = number(m, p);
    lm_plan *q = lm_arena_alloc(a, sizeof *q);
    if (q == NULL || ids == NULL)
        return NULL;
    *q = *p;
    q->child = c;
    q->right = r;
    bool fold = c && local_relation(c) &&
                ((p->kind == LM_PLAN_PROJECT && !p->aux) || p->kind == LM_PLAN_FILTER ||
                 p->kind == LM_PLAN_LIMIT);
    for (int i = 0; fold && p->kind == LM_PLAN_PROJECT && i < p->nexprs; i++)
        fold = deterministic(p->exprs[i]);
    if (fold && p->kind == LM_PLAN_FILTER)
        fold = deterministic(p->cond);
    if (fold) {
        /* a LocalRelation with p's output (rows are not printed) */
        q->kind = LM_PLAN_RELATION;
        q->child = NULL;
        q->name = NULL;
        q->table = c->table;
        if (p->kind != LM_PLAN_PROJECT && c->table && c->table->nrows == 0)
            q->table = c->table;
    }
    /* the copy prints with the original's ids */
    int *nids = ids_add(m, q, lm_plan_ncols(q));
    if (nids == NULL)
        return NULL;
    memcpy(nids, ids, sizeof *ids * (size_t)lm_plan_ncols(q));
    if (c && !fold) {
        /* expressions of q still read p->child's row: keep that numbering */
        const int *cids = ids_find(m, p->child);
        int *ccopy = cids ? ids_add(m, c, lm_plan_ncols(c)) : NULL;
        if (ccopy && ids_find(m, c) == ccopy)
            memcpy(ccopy, cids, sizeof *cids * (size_t)lm_plan_ncols(c));
    }
    return q;
}

/* ------------------------------------------------------------- physical */

typedef struct phys {
    lm_strbuf *sb;
    ids_map *m;
    bool last[64];
    int stage; /* whole-stage codegen id */
    int plan_id;
} phys;

static void pprefix(phys *t, int depth)
{
    for (int i = 1; i < depth; i++)
        lm_strbuf_puts(t->sb, t->last[i] ? "   " : ":  ");
    if (depth > 0)
        lm_strbuf_puts(t->sb, t->last[depth] ? "+- " : ":- ");
}

static bool has_exchange(const lm_plan *p)
{
    if (p == NULL)
        return false;
    if (p->kind == LM_PLAN_SORT || p->kind == LM_PLAN_AGGREGATE || p->kind == LM_PLAN_JOIN ||
        p->kind == LM_PLAN_SETOP || p->kind == LM_PLAN_LIMIT)
        return p->kind != LM_PLAN_LIMIT || has_exchange(p->child);
    return has_exchange(p->child) || has_exchange(p->right);
}

static void phys_node(phys *t, const lm_plan *p, int depth, int stage);

static void pline_start(phys *t, int depth, int stage)
{
    pprefix(t, depth);
    if (stage > 0)
        lm_strbuf_printf(t->sb, "*(%d) ", stage);
}

static void keys_list(lm_strbuf *sb, const ex_ctx *c, lm_expr *const *v, int n)
{
    lm_strbuf_putc(sb, '[');
    print_list(sb, c, v, n, ", ");
    lm_strbuf_putc(sb, ']');
}

/* Exchange line, then the subtree below it in a new codegen stage. */
static void exchange(phys *t, const char *part, const lm_plan *child, int depth)
{
    t->last[depth] = true;
    pprefix(t, depth);
    lm_strbuf_printf(t->sb, "%s, ENSURE_REQUIREMENTS, [plan_id=%d]\n", part, ++t->plan_id);
    if (depth + 1 < 64) {
        t->last[depth + 1] = true;
        phys_node(t, child, depth + 1, ++t->stage);
    }
}

static void phys_node(phys *t, const lm_plan *p, int depth, int stage)
{
    lm_strbuf *sb = t->sb;
    ex_ctx c = {t->m, p->child, NULL, false};
    switch (p->kind) {
    case LM_PLAN_VALUES:
    case LM_PLAN_RELATION:
        pprefix(t, depth);
        if (p->name && strncmp(p->name, "Range", 5) == 0) {
            lm_strbuf_printf(sb, "*(%d) ", stage > 0 ? stage : ++t->stage);
            lm_strbuf_puts(sb, p->name);
        } else if (p->table && p->table->source) {
            lm_strbuf_puts(sb, "FileScan ");
            for (const char *f = p->table->source->format; *f; f++)
                lm_strbuf_putc(sb, (char)(*f >= 'A' && *f <= 'Z' ? *f - 'A' + 'a' : *f));
            lm_strbuf_putc(sb, ' ');
            print_output(sb, t->m, p);
            lm_strbuf_printf(sb, " Format: %s", p->table->source->format);
        } else {
            lm_strbuf_puts(sb, "LocalTableScan ");
            if (p->table && p->table->nrows == 0)
                lm_strbuf_puts(sb, "<empty>, ");
            print_output(sb, t->m, p);
        }
        lm_strbuf_putc(sb, '\n');
        return;
    case LM_PLAN_PROJECT: {
        pline_start(t, depth, stage);
        const int *ids = number(t->m, p);
        lm_strbuf_puts(sb, "Project [");
        for (int i = 0; i < p->nexprs; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            print_named(sb, &c, p->exprs[i], p->schema->fields[i].name, ids ? ids[i] : -1);
        }
        lm_strbuf_puts(sb, "]\n");
        break;
    }
    case LM_PLAN_FILTER:
        pline_start(t, depth, stage);
        lm_strbuf_puts(sb, "Filter ");
        print_ex(sb, &c, p->cond);
        lm_strbuf_putc(sb, '\n');
        break;
    case LM_PLAN_SORT: {
        pline_start(t, depth, stage);
        lm_strbuf_puts(sb, "Sort ");
        keys_list(sb, &c, p->exprs, p->nexprs);
        lm_strbuf_printf(sb, ", %s, 0\n", p->global ? "true" : "false");
        if (p->global) {
            lm_strbuf part;
            lm_strbuf_init(&part);
            lm_strbuf_puts(&part, "Exchange rangepartitioning(");
            print_list(&part, &c, p->exprs, p->nexprs, ", ");
            lm_strbuf_printf(&part, ", %d)", t->m ? 200 : 200);
            exchange(t, depth + 1 < 64 ? lm_strbuf_cstr(&part) : "", p->child, depth + 1);
            lm_strbuf_free(&part);
            return;
        }
        break;
    }
    case LM_PLAN_AGGREGATE: {
        const lm_agg_info *info = p->aux;
        for (int phase = 0; phase < 2; phase++) {
            if (phase == 1) {
                lm_strbuf part;
                lm_strbuf_init(&part);
                if (p->ngroup) {
                    lm_strbuf_puts(&part, "Exchange hashpartitioning(");
                    print_list(&part, &c, p->group_by, p->ngroup, ", ");
                    lm_strbuf_puts(&part, ", 200)");
                } else {
                    lm_strbuf_puts(&part, "Exchange SinglePartition");
                }
                t->last[depth + 1] = true;
                pprefix(t, depth + 1);
                lm_strbuf_printf(sb, "%s, ENSURE_REQUIREMENTS, [plan_id=%d]\n",
                                 lm_strbuf_cstr(&part), ++t->plan_id);
                lm_strbuf_free(&part);
                depth += 2;
                stage = ++t->stage;
                t->last[depth] = true;
            }
            pline_start(t, depth, stage);
            lm_strbuf_puts(sb, "HashAggregate(keys=");
            keys_list(sb, &c, p->group_by, p->ngroup);
            lm_strbuf_puts(sb, ", functions=[");
            for (int i = 0; info && i < info->naggs; i++) {
                if (i)
                    lm_strbuf_puts(sb, ", ");
                if (phase == 1)
                    lm_strbuf_puts(sb, "partial_");
                print_ex(sb, &c, info->aggs[i]);
            }
            lm_strbuf_puts(sb, "])\n");
        }
        break;
    }
    case LM_PLAN_LIMIT:
        pprefix(t, depth);
        lm_strbuf_puts(sb, "CollectLimit ");
        print_ex(sb, &c, p->cond);
        lm_strbuf_putc(sb, '\n');
        if (depth + 1 < 64) {
            t->last[depth + 1] = true;
            phys_node(t, p->child, depth + 1, ++t->stage);
        }
        return;
    case LM_PLAN_JOIN: {
        c.in2 = p->right;
        pline_start(t, depth, stage);
        lm_strbuf_printf(sb, "SortMergeJoin %s", join_name(p->join_type));
        if (p->cond) {
            lm_strbuf_puts(sb, ", ");
            print_ex(sb, &c, p->cond);
        }
        lm_strbuf_putc(sb, '\n');
        if (depth + 1 < 64) {
            t->last[depth + 1] = false;
            phys_node(t, p->child, depth + 1, ++t->stage);
            t->last[depth + 1] = true;
            phys_node(t, p->right, depth + 1, ++t->stage);
        }
        return;
    }
    case LM_PLAN_SETOP:
        pprefix(t, depth);
        lm_strbuf_puts(sb, p->setop == LM_SETOP_UNION       ? "Union\n"
                           : p->setop == LM_SETOP_INTERSECT ? "Intersect\n"
                                                            : "Except\n");
        if (depth + 1 < 64) {
            t->last[depth + 1] = false;
            phys_node(t, p->child, depth + 1, ++t->stage);
            t->last[depth + 1] = true;
            phys_node(t, p->right, depth + 1, ++t->stage);
        }
        return;
    default:
        pline_start(t, depth, stage);
        {
            tree tt = {sb, t->m, {0}, NULL};
            /* logical form for nodes without a physical mapping */
            lm_strbuf tmp;
            lm_strbuf_init(&tmp);
            tt.sb = &tmp;
            print_node(&tt, p, 0);
            const char *txt = lm_strbuf_cstr(&tmp);
            const char *nl = strchr(txt, '\n');
            lm_strbuf_append(sb, txt, nl ? (size_t)(nl - txt) + 1 : strlen(txt));
            lm_strbuf_free(&tmp);
        }
        break;
    }
    if (p->child && depth + 1 < 64) {
        t->last[depth + 1] = p->right == NULL;
        phys_node(t, p->child, depth + 1, stage);
    }
    if (p->right && depth + 1 < 64) {
        t->last[depth + 1] = true;
        phys_node(t, p->right, depth + 1, stage);
    }
}

/* --------------------------------------------------------------- entry */

static void schema_line(lm_strbuf *sb, const lm_type *st)
{
    for (int i = 0; i < st->nfields; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        lm_strbuf_printf(sb, "%s: ", st->fields[i].name);
        lm_type_simple_string(sb, st->fields[i].type);
    }
    lm_strbuf_putc(sb, '\n');
}

lm_status dfapi_explain(lm_session *s, const lm_plan *parsed, const lm_plan *analyzed,
                        const char *mode, lm_strbuf *sb)
{
    bool extended = mode && strcasecmp(mode, "extended") == 0;
    if (mode && !extended && strcasecmp(mode, "simple") != 0)
        return lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                            "Unknown explain mode: %s. Accepted explain modes are 'simple', "
                            "'extended', 'codegen', 'cost', 'formatted'.",
                            mode);
    ids_map m = {0};
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_status st = LM_OK;
    if (number(&m, analyzed) == NULL) {
        st = lm_error_oom(&s->error);
        goto out;
    }
    if (extended) {
        tree t = {sb, &m, {0}, analyzed};
        lm_strbuf_puts(sb, "== Parsed Logical Plan ==\n");
        print_node(&t, parsed ? parsed : analyzed, 0);
        t.match = NULL;
        lm_strbuf_puts(sb, "\n== Analyzed Logical Plan ==\n");
        schema_line(sb, analyzed->schema);
        print_node(&t, analyzed, 0);
    }
    lm_plan *opt = optimize(&a, &m, analyzed);
    if (opt == NULL) {
        st = lm_error_oom(&s->error);
        goto out;
    }
    if (extended) {
        tree t = {sb, &m, {0}, NULL};
        lm_strbuf_puts(sb, "\n== Optimized Logical Plan ==\n");
        print_node(&t, opt, 0);
        lm_strbuf_puts(sb, "\n");
    }
    lm_strbuf_puts(sb, "== Physical Plan ==\n");
    phys ph = {sb, &m, {0}, 0, 0};
    if (has_exchange(opt)) {
        lm_strbuf_puts(sb, "AdaptiveSparkPlan isFinalPlan=false\n");
        ph.last[1] = true;
        phys_node(&ph, opt, 1, opt->kind == LM_PLAN_RELATION ? 0 : ++ph.stage);
    } else {
        phys_node(&ph, opt, 0, opt->kind == LM_PLAN_RELATION ? 0 : ++ph.stage);
    }
    if (!lm_strbuf_ok(sb))
        st = lm_error_oom(&s->error);
out:
    ids_free(&m);
    lm_arena_free(&a);
    return st;
}

char *lm_df_explain_string(lm_df *df, const char *mode)
{
    if (df == NULL)
        return NULL;
    lm_session *s = df->session;
    if (df->plan == NULL) {
        lm_error_set(&s->error, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                     "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                     "[UNSUPPORTED_FEATURE.LOCALMODE] command output has no plan to explain.");
        return NULL;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (dfapi_explain(s, df->logical, df->plan, mode ? mode : "simple", &sb) != LM_OK) {
        lm_strbuf_free(&sb);
        return NULL;
    }
    return lm_strbuf_detach(&sb);
}
