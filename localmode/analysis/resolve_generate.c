/*
 * Generators in plans: LATERAL VIEW [OUTER] (the parser's GENERATE nodes),
 * a generator in a SELECT list (Spark's ExtractGenerator rule:
 * `SELECT a, explode(arr) AS x FROM t` becomes a Project over a Generate
 * that keeps the child's columns), and generator table-valued functions
 * (`FROM explode(...)`, see resolve_tvf.c). Every form resolves to one
 * GENERATE node whose output is the child's columns (when kept) followed by
 * the generated ones, with the lm_generate_info the executor reads.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

static bool is_generator(const lm_expr *e)
{
    return e->kind == LM_EXPR_CALL && e->fn && e->fn->kind == LM_FN_GENERATOR;
}

/* The generator call inside e, if any (not descending into subqueries). */
static const lm_expr *find_generator(const lm_expr *e)
{
    if (e == NULL)
        return NULL;
    if (is_generator(e))
        return e;
    for (int i = 0; i < e->nargs; i++) {
        const lm_expr *g = find_generator(e->args[i]);
        if (g)
            return g;
    }
    return NULL;
}

/* _LEGACY_ERROR_TEMP_1029: the AS clause names a different number of
   columns than the generator produces. */
static lm_status alias_count_mismatch(lm_analyzer *an, int start, int stop, int expected,
                                      int nnames, char *const *names)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < nnames; i++)
        lm_strbuf_printf(&sb, "%s%s", i ? ", " : "", names[i]);
    char n[16];
    snprintf(n, sizeof n, "%d", expected);
    an_error(an, start, stop, "_LEGACY_ERROR_TEMP_1029", NULL,
             "The number of aliases supplied in the AS clause does not match the number of "
             "columns output by the UDTF expected %d aliases but got %s ",
             expected, lm_strbuf_cstr(&sb));
    lm_error_param_add(an->err, "aliasesSize", n);
    lm_error_param_add(an->err, "aliasesNames", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

lm_plan *an_make_generate(lm_analyzer *an, lm_plan *child, lm_expr *gen, bool join, bool outer,
                          const char *qualifier, int nnames, char *const *names, int start,
                          int stop)
{
    const lm_type *gt = gen->type;
    int ngen = gt->nfields;
    if (nnames > 0 && nnames != ngen) {
        alias_count_mismatch(an, start, stop, ngen, nnames, names);
        return NULL;
    }
    int nchild = join ? lm_plan_ncols(child) : 0;
    int w = nchild + ngen;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(w + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(w + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(w + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(w + 1));
    lm_plan *p = an_new_plan(an, LM_PLAN_GENERATE);
    lm_generate_info *info = an_alloc(an, sizeof *info);
    if (nm == NULL || ty == NULL || nl == NULL || qs == NULL || p == NULL || info == NULL)
        return NULL;
    char **q = NULL;
    if (qualifier) {
        q = an_alloc(an, sizeof(char *) * 2);
        if (q == NULL)
            return NULL;
        q[0] = (char *)qualifier;
    }
    for (int i = 0; i < nchild; i++) {
        nm[i] = child->schema->fields[i].name;
        ty[i] = child->schema->fields[i].type;
        nl[i] = child->schema->fields[i].nullable;
        qs[i] = child->qualifiers ? child->qualifiers[i] : NULL;
    }
    for (int i = 0; i < ngen; i++) {
        nm[nchild + i] = nnames ? names[i] : gt->fields[i].name;
        ty[nchild + i] = gt->fields[i].type;
        /* an outer generate pads with NULLs, so its columns are nullable */
        nl[nchild + i] = gt->fields[i].nullable || outer;
        qs[nchild + i] = q;
    }
    info->generator = gen;
    info->join = join;
    info->outer = outer;
    info->ngen = ngen;
    p->child = child;
    p->cond = gen;
    p->outer = outer;
    p->aux = info;
    p->start = start;
    p->stop = stop;
    return an_set_output(an, p, w, nm, ty, nl, qs) ? p : NULL;
}

/* UNSUPPORTED_GENERATOR.NOT_GENERATOR for LATERAL VIEW f(...) where f is
   an ordinary function. */
static lm_status not_generator(lm_analyzer *an, const lm_expr *u)
{
    char fq[160];
    snprintf(fq, sizeof fq, "`%s`", u->name ? u->name : "");
    an_error(an, u->start, u->stop, "UNSUPPORTED_GENERATOR.NOT_GENERATOR", "42K0E",
             "The generator is not supported: %s is expected to be a generator. However, its "
             "class is %s, which is not a generator.",
             fq, "a scalar function");
    lm_error_param_add(an->err, "functionName", fq);
    lm_error_param_add(an->err, "classCanonicalName", "a scalar function");
    return LM_ERROR;
}

lm_plan *an_resolve_generate(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *child = an_analyze_plan(an, u->child, outer);
    if (child == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, child, outer);
    if (sc == NULL)
        return NULL;
    lm_expr *gen = an_resolve_expr(an, sc, u->cond);
    if (gen == NULL)
        return NULL;
    if (!is_generator(gen)) {
        not_generator(an, u->cond);
        return NULL;
    }
    return an_make_generate(an, child, gen, true, u->outer, u->name, u->nnames, u->names,
                            u->cond->start, u->stop);
}

/* UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS */
static lm_status nested_generator(lm_analyzer *an, const lm_expr *item)
{
    const lm_expr *e = item->kind == LM_EXPR_ALIAS ? item->args[0] : item;
    char *q = lm_coerce_quote_sql(&an->rc, e);
    an_error(an, item->start, item->stop, "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS", "42K0E",
             "The generator is not supported: nested in expressions %s.", q ? q : "");
    lm_error_param_add(an->err, "expression", q ? q : "");
    return LM_ERROR;
}

/* UNSUPPORTED_GENERATOR.MULTI_GENERATOR */
static lm_status multi_generator(lm_analyzer *an, lm_expr **items, int n)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    int count = 0;
    for (int i = 0; i < n; i++) {
        const lm_expr *g = find_generator(items[i]);
        if (g == NULL)
            continue;
        char *q = lm_coerce_quote_sql(&an->rc, g);
        lm_strbuf_printf(&sb, "%s%s", count ? ", " : "", q ? q : "");
        count++;
    }
    char num[16];
    snprintf(num, sizeof num, "%d", count);
    an_error(an, -1, -1, "UNSUPPORTED_GENERATOR.MULTI_GENERATOR", "42K0E",
             "The generator is not supported: only one generator allowed per SELECT clause but "
             "found %d: %s.",
             count, lm_strbuf_cstr(&sb));
    lm_error_param_add(an->err, "clause", "SELECT");
    lm_error_param_add(an->err, "num", num);
    lm_error_param_add(an->err, "generators", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

int an_generator_field(lm_analyzer *an, lm_expr **items, int n, const char *name, int *item)
{
    for (int i = 0; i < n; i++) {
        const lm_expr *x = items[i];
        const lm_expr *g = x->kind == LM_EXPR_ALIAS ? x->args[0] : x;
        if (!is_generator(g))
            continue;
        const lm_type *t = g->type;
        for (int j = 0; j < t->nfields; j++) {
            const char *nm = t->fields[j].name;
            if (x->kind == LM_EXPR_ALIAS)
                nm = x->nparts ? (j < x->nparts ? x->parts[j] : NULL) : x->name;
            if (nm && (an->s->case_sensitive ? strcmp(nm, name) : strcasecmp(nm, name)) == 0) {
                *item = i;
                return j;
            }
        }
    }
    return -1;
}

bool an_no_generator(lm_analyzer *an, const lm_expr *e, const char *clause)
{
    const lm_expr *g = find_generator(e);
    if (g == NULL)
        return true;
    char *q = lm_coerce_quote_sql(&an->rc, g);
    an_error(an, g->start, g->stop, "UNSUPPORTED_GENERATOR.OUTSIDE_SELECT", "42K0E",
             "The generator is not supported: outside the SELECT clause, found: %s %s.", clause,
             q ? q : "");
    lm_error_param_add(an->err, "plan", clause);
    return false;
}

bool an_extract_generator(lm_analyzer *an, lm_plan **cur, lm_expr ***items, int *n, int *gen_at,
                          int *gen_count)
{
    *gen_at = -1;
    *gen_count = 0;
    int at = -1, found = 0;
    for (int i = 0; i < *n; i++) {
        const lm_expr *x = (*items)[i];
        const lm_expr *g = find_generator(x);
        if (g == NULL)
            continue;
        found++;
        const lm_expr *top = x->kind == LM_EXPR_ALIAS ? x->args[0] : x;
        if (top != g) {
            nested_generator(an, x);
            return false;
        }
        at = i;
    }
    if (found == 0)
        return true;
    if (found > 1) {
        multi_generator(an, *items, *n);
        return false;
    }
    lm_expr *item = (*items)[at];
    lm_expr *gen = item->kind == LM_EXPR_ALIAS ? item->args[0] : item;
    int nnames = 0;
    char *single[1];
    char **names = NULL;
    if (item->kind == LM_EXPR_ALIAS) {
        if (item->nparts > 0) {
            nnames = item->nparts;
            names = item->parts;
        } else {
            single[0] = item->name;
            nnames = 1;
            names = single;
        }
    }
    bool outer = false;
    lm_plan *g = an_make_generate(an, *cur, gen, true, outer, NULL, nnames, names, item->start,
                                  item->stop);
    if (g == NULL)
        return false;
    int base = lm_plan_ncols(*cur);
    int ngen = gen->type->nfields;
    int total = *n - 1 + ngen;
    lm_expr **v = an_alloc(an, sizeof(lm_expr *) * (size_t)(total + 1));
    if (v == NULL)
        return false;
    int k = 0;
    for (int i = 0; i < *n; i++) {
        if (i != at) {
            v[k++] = (*items)[i];
            continue;
        }
        for (int j = 0; j < ngen; j++) {
            const lm_field *f = &g->schema->fields[base + j];
            if ((v[k++] = an_bound(an, base + j, f->name, f->type, f->nullable)) == NULL)
                return false;
        }
    }
    *items = v;
    *n = total;
    *cur = g;
    *gen_at = at;
    *gen_count = ngen;
    return true;
}
