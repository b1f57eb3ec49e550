/*
 * UNPIVOT, rewritten the way Spark expands it:
 *
 *   child UNPIVOT [INCLUDE | EXCLUDE NULLS]
 *         ((v1, v2) FOR name IN ((a1, a2) [AS n1], (b1, b2) [AS n2], ...))
 *
 * turns every input row into one row per IN item: the child's other
 * columns (the ids), the item's name (its alias, else its column names
 * joined by "_") and its columns as v1, v2 (each value column at the wider
 * type of its inputs, without string promotion). EXCLUDE NULLS, the
 * default, drops rows whose value columns are all NULL. The expansion is a
 * GENERATE of stack(n, name1, a1, a2, name2, b1, b2, ...) over the child,
 * then a projection of ids, name and values, then the NULL filter.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/analyzer_int.h"

static lm_expr *call_of(lm_analyzer *an, const char *name, int flags, lm_expr **args, int n)
{
    lm_expr *c = an_new_expr(an, LM_EXPR_CALL);
    if (c == NULL)
        return NULL;
    c->name = (char *)name;
    c->flags = flags;
    c->args = args;
    c->nargs = n;
    return c;
}

static lm_status size_mismatch(lm_analyzer *an, const lm_plan *u)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < u->nnames; i++)
        lm_strbuf_printf(&sb, "%s`%s`", i ? ", " : "", u->names[i]);
    an_error(an, u->start, u->stop, "UNPIVOT_VALUE_SIZE_MISMATCH", "428C4",
             "All unpivot value columns must have the same size as there are value column names "
             "(%d).",
             u->nnames);
    char n[16];
    snprintf(n, sizeof n, "%d", u->nnames);
    lm_error_param_add(an->err, "names", n);
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

static lm_status type_mismatch(lm_analyzer *an, const lm_plan *u, lm_expr ***cols, int nitems,
                               int j)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '[');
    for (int i = 0; i < nitems; i++) {
        lm_strbuf_puts(&sb, i ? ", \"" : "\"");
        lm_type_sql_string(&sb, cols[i][j]->type);
        lm_strbuf_putc(&sb, '"');
    }
    lm_strbuf_putc(&sb, ']');
    an_error(an, u->start, u->stop, "UNPIVOT_VALUE_DATA_TYPE_MISMATCH", "42K09",
             "Unpivot value columns must share a least common type, some types do not: %s.",
             lm_strbuf_cstr(&sb));
    lm_error_param_add(an->err, "types", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

lm_plan *an_resolve_unpivot(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *child = an_analyze_plan(an, u->child, outer);
    if (child == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, child, outer);
    int nchild = lm_plan_ncols(child);
    int nitems = u->npivot_values, nv = u->nnames;
    lm_expr ***cols = an_alloc(an, sizeof(lm_expr **) * (size_t)(nitems + 1));
    const char **item_name = an_alloc(an, sizeof(char *) * (size_t)(nitems + 1));
    bool *is_value = an_alloc(an, sizeof(bool) * (size_t)(nchild + 1));
    if (sc == NULL || cols == NULL || item_name == NULL || is_value == NULL)
        return NULL;

    /* the IN items: resolved columns, and the names they unpivot to */
    for (int i = 0; i < nitems; i++) {
        lm_expr *it = u->pivot_values[i];
        lm_expr *inner = it->kind == LM_EXPR_ALIAS ? it->args[0] : it;
        int n = inner->kind == LM_EXPR_CALL ? inner->nargs : 1;
        lm_expr **src = inner->kind == LM_EXPR_CALL ? inner->args : &inner;
        if (n != nv) {
            size_mismatch(an, u);
            return NULL;
        }
        cols[i] = an_alloc(an, sizeof(lm_expr *) * (size_t)(n + 1));
        if (cols[i] == NULL)
            return NULL;
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        for (int j = 0; j < n; j++) {
            if ((cols[i][j] = an_resolve_expr(an, sc, src[j])) == NULL) {
                lm_strbuf_free(&sb);
                return NULL;
            }
            if (cols[i][j]->kind == LM_EXPR_BOUND && cols[i][j]->depth == 0)
                is_value[cols[i][j]->ordinal] = true;
            lm_strbuf_printf(&sb, "%s%s", j ? "_" : "", an_output_name(an, cols[i][j]));
        }
        item_name[i] = it->kind == LM_EXPR_ALIAS ? it->name : an_strdup(an, lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
    }

    /* each value column at the wider type of its inputs */
    lm_expr **column = an_alloc(an, sizeof(lm_expr *) * (size_t)(nitems + 1));
    if (column == NULL)
        return NULL;
    for (int j = 0; j < nv; j++) {
        for (int i = 0; i < nitems; i++)
            column[i] = cols[i][j];
        lm_type *t = lm_coerce_wider_all(column, nitems, false);
        if (t == NULL) {
            type_mismatch(an, u, cols, nitems, j);
            return NULL;
        }
        lm_arena_keep_type(an->a, t);
        for (int i = 0; i < nitems; i++)
            if ((cols[i][j] = lm_coerce_to(&an->rc, cols[i][j], t)) == NULL)
                return NULL;
    }

    /* stack(n, name1, a1, a2, name2, b1, b2, ...) kept beside the child */
    int nargs = 1 + nitems * (1 + nv);
    lm_expr **args = an_alloc(an, sizeof(lm_expr *) * (size_t)nargs);
    if (args == NULL || (args[0] = an_literal(an, lm_type_int(), lm_value_i64(nitems))) == NULL)
        return NULL;
    for (int i = 0; i < nitems; i++) {
        lm_expr **slot = args + 1 + i * (1 + nv);
        const char *nm = item_name[i];
        slot[0] = an_literal(an, lm_type_string(), lm_value_str(nm, (int32_t)strlen(nm)));
        if (slot[0] == NULL)
            return NULL;
        for (int j = 0; j < nv; j++)
            slot[1 + j] = cols[i][j];
    }
    lm_expr *stack = call_of(an, "stack", 0, args, nargs);
    lm_expr *gen = stack ? an_resolve_expr(an, sc, stack) : NULL;
    char **gen_names = an_alloc(an, sizeof(char *) * (size_t)(nv + 1));
    if (gen == NULL || gen_names == NULL)
        return NULL;
    gen_names[0] = u->name;
    for (int j = 0; j < nv; j++)
        gen_names[1 + j] = u->names[j];
    lm_plan *g = an_make_generate(an, child, gen, true, false, NULL, nv + 1, gen_names, u->start,
                                  u->stop);
    if (g == NULL)
        return NULL;

    /* ids, then the name and value columns */
    int nids = 0;
    for (int c = 0; c < nchild; c++)
        nids += !is_value[c];
    int w = nids + 1 + nv;
    lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
    lm_expr **ex = an_alloc(an, sizeof(lm_expr *) * (size_t)(w + 1));
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(w + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(w + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(w + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(w + 1));
    if (p == NULL || ex == NULL || nm == NULL || ty == NULL || nl == NULL || qs == NULL)
        return NULL;
    int k = 0;
    for (int c = 0; c < nchild + 1 + nv; c++) {
        if (c < nchild && is_value[c])
            continue;
        const lm_field *f = &g->schema->fields[c];
        bool name_col = c == nchild;
        if ((ex[k] = an_bound(an, c, f->name, f->type, f->nullable)) == NULL)
            return NULL;
        nm[k] = f->name;
        ty[k] = f->type;
        nl[k] = name_col ? false : f->nullable;
        qs[k] = c < nchild && child->qualifiers ? child->qualifiers[c] : NULL;
        k++;
    }
    p->child = g;
    p->exprs = ex;
    p->nexprs = w;
    if (!an_set_output(an, p, w, nm, ty, nl, qs))
        return NULL;
    if (u->outer)
        return p;

    /* EXCLUDE NULLS: keep rows with a non-NULL value */
    lm_expr *cond = NULL;
    for (int j = 0; j < nv; j++) {
        const lm_field *f = &p->schema->fields[nids + 1 + j];
        lm_expr **a1 = an_alloc(an, sizeof *a1);
        if (a1 == NULL || (a1[0] = an_bound(an, nids + 1 + j, f->name, f->type, f->nullable)) == NULL)
            return NULL;
        lm_expr *nn = call_of(an, "isnotnull", LM_CALL_OPERATOR, a1, 1);
        if (nn == NULL)
            return NULL;
        if (cond == NULL) {
            cond = nn;
        } else {
            lm_expr **a2 = an_alloc(an, sizeof *a2 * 2);
            if (a2 == NULL)
                return NULL;
            a2[0] = cond;
            a2[1] = nn;
            if ((cond = call_of(an, "or", LM_CALL_OPERATOR, a2, 2)) == NULL)
                return NULL;
        }
    }
    an_scope *psc = an_scope_of(an, p, outer);
    lm_expr *rc = psc ? an_resolve_expr(an, psc, cond) : NULL;
    lm_plan *f = an_new_plan(an, LM_PLAN_FILTER);
    if (rc == NULL || f == NULL)
        return NULL;
    f->child = p;
    f->cond = rc;
    f->schema = p->schema;
    f->qualifiers = p->qualifiers;
    return f;
}
