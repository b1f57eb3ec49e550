/*
 * Joins: ON conditions over the concatenated row, USING and NATURAL joins
 * with Spark's output columns (the join keys first, coalesced for full
 * outer joins, then the remaining left and right columns).
 */
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

static lm_expr *eq_call(lm_analyzer *an, an_scope *sc, int l, int r)
{
    lm_expr *a = an_new_expr(an, LM_EXPR_COLUMN);
    lm_expr *b = an_new_expr(an, LM_EXPR_COLUMN);
    lm_expr *eq = an_new_expr(an, LM_EXPR_CALL);
    lm_expr **args = an_alloc(an, 2 * sizeof *args);
    if (a == NULL || b == NULL || eq == NULL || args == NULL)
        return NULL;
    /* build resolved references directly: names could be ambiguous */
    a = an_bound(an, l, sc->cols[l].name, sc->cols[l].type, sc->cols[l].nullable);
    b = an_bound(an, r, sc->cols[r].name, sc->cols[r].type, sc->cols[r].nullable);
    if (a == NULL || b == NULL)
        return NULL;
    args[0] = a;
    args[1] = b;
    eq->name = "=";
    eq->flags = LM_CALL_OPERATOR;
    eq->args = args;
    eq->nargs = 2;
    eq->fn = lm_func_lookup("=");
    if (eq->fn == NULL) {
        an_error(an, -1, -1, "INTERNAL_ERROR", "XX000", "equality operator is not registered");
        return NULL;
    }
    eq->resolved = true;
    return eq->fn->resolve(&an->rc, eq, an->err) == LM_OK ? eq : NULL;
}

static lm_expr *and_call(lm_analyzer *an, lm_expr *x, lm_expr *y)
{
    if (x == NULL)
        return y;
    lm_expr *e = an_new_expr(an, LM_EXPR_CALL);
    lm_expr **args = an_alloc(an, 2 * sizeof *args);
    if (e == NULL || args == NULL)
        return NULL;
    args[0] = x;
    args[1] = y;
    e->name = "and";
    e->flags = LM_CALL_OPERATOR;
    e->args = args;
    e->nargs = 2;
    e->fn = lm_func_lookup("and");
    e->resolved = true;
    if (e->fn == NULL || e->fn->resolve(&an->rc, e, an->err) != LM_OK)
        return NULL;
    return e;
}

static lm_plan *join_node(lm_analyzer *an, lm_plan *l, lm_plan *r, lm_join_type jt, lm_expr *cond)
{
    lm_plan *p = an_new_plan(an, LM_PLAN_JOIN);
    if (p == NULL)
        return NULL;
    p->child = l;
    p->right = r;
    p->join_type = jt;
    p->cond = cond;
    int nl = lm_plan_ncols(l), nr = lm_plan_ncols(r);
    bool semi = jt == LM_JOIN_LEFT_SEMI || jt == LM_JOIN_LEFT_ANTI;
    int n = semi ? nl : nl + nr;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
    bool *nu = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(n + 1));
    if (nm == NULL || ty == NULL || nu == NULL || qs == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        const lm_plan *side = i < nl ? l : r;
        int k = i < nl ? i : i - nl;
        nm[i] = side->schema->fields[k].name;
        ty[i] = side->schema->fields[k].type;
        nu[i] = side->schema->fields[k].nullable;
        if (i < nl && (jt == LM_JOIN_RIGHT || jt == LM_JOIN_FULL))
            nu[i] = true;
        if (i >= nl && (jt == LM_JOIN_LEFT || jt == LM_JOIN_FULL))
            nu[i] = true;
        qs[i] = side->qualifiers ? side->qualifiers[k] : NULL;
    }
    if (!an_set_output(an, p, n, nm, ty, nu, qs))
        return NULL;
    if (l->hidden || (!semi && r->hidden)) {
        p->hidden = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
        if (p->hidden == NULL)
            return NULL;
        for (int i = 0; i < n; i++) {
            const bool *h = i < nl ? l->hidden : r->hidden;
            p->hidden[i] = h ? h[i < nl ? i : i - nl] : false;
        }
    }
    return p;
}

static bool is_hidden(const lm_plan *p, int i)
{
    return p->hidden && p->hidden[i];
}

lm_plan *an_resolve_join(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *l = an_analyze_plan(an, u->child, outer);
    lm_plan *r = l ? an_analyze_plan(an, u->right, outer) : NULL;
    if (r == NULL)
        return NULL;
    an_scope *sc = an_scope_join(an, l, r, outer);
    if (sc == NULL)
        return NULL;
    int nl = lm_plan_ncols(l), nr = lm_plan_ncols(r);
    int nusing = u->nnames;
    char **using = u->names;
    if (u->natural) {
        using = an_alloc(an, sizeof(char *) * (size_t)(nl + 1));
        if (using == NULL)
            return NULL;
        nusing = 0;
        for (int i = 0; i < nl; i++)
            for (int j = 0; j < nr; j++)
                if (!is_hidden(l, i) && !is_hidden(r, j) &&
                    strcasecmp(l->schema->fields[i].name, r->schema->fields[j].name) == 0) {
                    using[nusing++] = l->schema->fields[i].name;
                    break;
                }
    }
    if (!u->natural && nusing == 0) {
        lm_expr *cond = NULL;
        if (u->cond) {
            cond = an_resolve_expr(an, sc, u->cond);
            if (cond == NULL)
                return NULL;
            if (cond->type->id != LM_TYPE_BOOLEAN && cond->type->id != LM_TYPE_NULL) {
                char *sx = lm_coerce_quote_sql(&an->rc, cond);
                an_error(an, u->cond->start, u->cond->stop, "DATATYPE_MISMATCH.JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE",
                         "42K09", "Cannot resolve %s due to data type mismatch: The join "
                         "condition %s has the invalid type, expected \"BOOLEAN\".", sx, sx);
                return NULL;
            }
        }
        return join_node(an, l, r, u->join_type, cond);
    }
    /* USING / NATURAL */
    int *li = an_alloc(an, sizeof(int) * (size_t)(nusing + 1));
    int *ri = an_alloc(an, sizeof(int) * (size_t)(nusing + 1));
    if (li == NULL || ri == NULL)
        return NULL;
    lm_expr *cond = NULL;
    for (int k = 0; k < nusing; k++) {
        li[k] = ri[k] = -1;
        for (int i = 0; i < nl && li[k] < 0; i++)
            if (!is_hidden(l, i) && strcasecmp(l->schema->fields[i].name, using[k]) == 0)
                li[k] = i;
        for (int j = 0; j < nr && ri[k] < 0; j++)
            if (!is_hidden(r, j) && strcasecmp(r->schema->fields[j].name, using[k]) == 0)
                ri[k] = j;
        if (li[k] < 0 || ri[k] < 0) {
            const char *side = li[k] < 0 ? "left" : "right";
            an_error(an, u->start, u->stop, "UNRESOLVED_USING_COLUMN_FOR_JOIN", "42703",
                     "USING column `%s` cannot be resolved on the %s side of the join.", using[k],
                     side);
            lm_error_param_add(an->err, "colName", using[k]);
            lm_error_param_add(an->err, "side", side);
            return NULL;
        }
        lm_expr *eq = eq_call(an, sc, li[k], nl + ri[k]);
        if (eq == NULL || (cond = and_call(an, cond, eq)) == NULL)
            return NULL;
    }
    lm_join_type jt = u->join_type == LM_JOIN_CROSS ? LM_JOIN_INNER : u->join_type;
    lm_plan *j = join_node(an, l, r, jt, cond);
    if (j == NULL)
        return NULL;
    if (jt == LM_JOIN_LEFT_SEMI || jt == LM_JOIN_LEFT_ANTI)
        return j;
    /* project: keys, then the other left columns, then the other right
       ones; then every visible column of both sides again, hidden, so that
       t.k and t.* still reach each side's own key as in Spark */
    int vl = 0, vr = 0;
    for (int i = 0; i < nl; i++)
        vl += !is_hidden(l, i);
    for (int i = 0; i < nr; i++)
        vr += !is_hidden(r, i);
    int nvis = nusing + (vl - nusing) + (vr - nusing);
    int n = nvis + (l->hidden ? nl - vl : vl) + (r->hidden ? nr - vr : vr);
    lm_expr **ex = an_alloc(an, sizeof(lm_expr *) * (size_t)(n + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(n + 1));
    if (ex == NULL || qs == NULL)
        return NULL;
    int o = 0;
    for (int k = 0; k < nusing; k++) {
        int src = jt == LM_JOIN_RIGHT ? nl + ri[k] : li[k];
        const an_col *c = &sc->cols[src];
        lm_expr *b = an_bound(an, src, c->name, j->schema->fields[src].type,
                              j->schema->fields[src].nullable);
        if (b == NULL)
            return NULL;
        if (jt == LM_JOIN_FULL) {
            /* coalesce(l.k, r.k), named after the key */
            lm_expr *rb = an_bound(an, nl + ri[k], sc->cols[nl + ri[k]].name,
                                   j->schema->fields[nl + ri[k]].type, true);
            lm_expr *co = an_new_expr(an, LM_EXPR_CALL);
            lm_expr **args = an_alloc(an, 2 * sizeof *args);
            lm_expr *al = an_new_expr(an, LM_EXPR_ALIAS);
            lm_expr **aargs = an_alloc(an, sizeof *aargs);
            if (rb == NULL || co == NULL || args == NULL || al == NULL || aargs == NULL)
                return NULL;
            args[0] = b;
            args[1] = rb;
            co->name = "coalesce";
            co->args = args;
            co->nargs = 2;
            co->fn = lm_func_lookup("coalesce");
            co->resolved = true;
            if (co->fn == NULL || co->fn->resolve(&an->rc, co, an->err) != LM_OK)
                return NULL;
            aargs[0] = co;
            al->args = aargs;
            al->nargs = 1;
            al->name = (char *)c->name;
            al->type = co->type;
            al->nullable = co->nullable;
            al->resolved = true;
            b = al;
        }
        qs[o] = jt == LM_JOIN_FULL ? NULL : j->qualifiers[src];
        ex[o++] = b;
    }
    for (int i = 0; i < nl; i++) {
        bool key = is_hidden(l, i);
        for (int k = 0; k < nusing; k++)
            key |= li[k] == i;
        if (key)
            continue;
        qs[o] = j->qualifiers[i];
        if ((ex[o++] = an_bound(an, i, j->schema->fields[i].name, j->schema->fields[i].type,
                                j->schema->fields[i].nullable)) == NULL)
            return NULL;
    }
    for (int i = 0; i < nr; i++) {
        bool key = is_hidden(r, i);
        for (int k = 0; k < nusing; k++)
            key |= ri[k] == i;
        if (key)
            continue;
        qs[o] = j->qualifiers[nl + i];
        if ((ex[o++] = an_bound(an, nl + i, j->schema->fields[nl + i].name,
                                j->schema->fields[nl + i].type,
                                j->schema->fields[nl + i].nullable)) == NULL)
            return NULL;
    }
    /* a side that is itself a USING join already carries its base
       relations' columns hidden; any other side contributes its visible
       columns */
    for (int i = 0; i < nl + nr; i++) {
        const lm_plan *side = i < nl ? l : r;
        bool h = i < nl ? is_hidden(l, i) : is_hidden(r, i - nl);
        if (side->hidden != NULL ? !h : h)
            continue;
        qs[o] = j->qualifiers[i];
        if ((ex[o++] = an_bound(an, i, j->schema->fields[i].name, j->schema->fields[i].type,
                                j->schema->fields[i].nullable)) == NULL)
            return NULL;
    }
    lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
    if (p == NULL)
        return NULL;
    p->child = j;
    p->exprs = ex;
    p->nexprs = n;
    p->hidden = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    if (p->hidden == NULL)
        return NULL;
    for (int i = nvis; i < n; i++)
        p->hidden[i] = true;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
    bool *nu = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    if (nm == NULL || ty == NULL || nu == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        nm[i] = an_output_name(an, ex[i]);
        ty[i] = ex[i]->type;
        nu[i] = ex[i]->nullable;
    }
    return an_set_output(an, p, n, nm, ty, nu, qs) ? p : NULL;
}
