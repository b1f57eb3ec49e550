/*
 * Results of uncorrelated subquery expressions (subq_cache.h).
 */
#include "exec/subq_cache.h"

#include <pthread.h>
#include <stdlib.h>

#include "analysis/analyzer.h"
#include "catalog/catalog.h"

struct exec_subq_cache {
    pthread_mutex_t lock; /* subqueries may run from worker threads */
    int n, cap;
    const lm_expr **keys;
    lm_table **tables;
};

exec_subq_cache *exec_subq_cache_new(void)
{
    exec_subq_cache *c = calloc(1, sizeof *c);
    if (c != NULL && pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void exec_subq_cache_free(exec_subq_cache *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < c->n; i++)
        lm_table_unref(c->tables[i]);
    free(c->keys);
    free(c->tables);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static bool plan_escapes(const lm_plan *p, int depth);

/* Whether e reads a row `depth` or more levels out. */
static bool expr_escapes(const lm_expr *e, int depth)
{
    if (e == NULL)
        return false;
    if (e->kind == LM_EXPR_OUTER && e->depth >= depth)
        return true;
    if (e->window != NULL) /* its partition and order expressions are not walked */
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (expr_escapes(e->args[i], depth))
            return true;
    for (int i = 0; i < e->nouter_map; i++)
        if (expr_escapes(e->outer_map[i], depth))
            return true;
    if (expr_escapes(e->filter, depth))
        return true;
    return e->subquery != NULL && plan_escapes(e->subquery, depth + 1);
}

static bool exprs_escape(lm_expr *const *v, int n, int depth)
{
    for (int i = 0; v != NULL && i < n; i++)
        if (expr_escapes(v[i], depth))
            return true;
    return false;
}

static bool plan_escapes(const lm_plan *p, int depth)
{
    if (p == NULL)
        return false;
    switch (p->kind) {
    case LM_PLAN_RELATION:
    case LM_PLAN_ONE_ROW:
    case LM_PLAN_TVF:
    case LM_PLAN_PROJECT:
    case LM_PLAN_FILTER:
    case LM_PLAN_SORT:
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
    case LM_PLAN_DISTINCT:
    case LM_PLAN_JOIN:
    case LM_PLAN_SETOP:
    case LM_PLAN_SUBQUERY_ALIAS:
        break;
    case LM_PLAN_VALUES:
        for (int r = 0; p->rows != NULL && r < p->nrows; r++)
            if (exprs_escape(p->rows[r], p->row_lens ? p->row_lens[r] : p->ncols, depth))
                return true;
        break;
    case LM_PLAN_AGGREGATE: {
        const lm_agg_info *ai = p->aux;
        if (ai != NULL)
            for (int i = 0; i < ai->naggs; i++)
                if (expr_escapes(ai->aggs[i], depth))
                    return true;
        break;
    }
    default:
        return true;
    }
    if (exprs_escape(p->exprs, p->nexprs, depth) || expr_escapes(p->cond, depth) ||
        exprs_escape(p->group_by, p->ngroup, depth))
        return true;
    return plan_escapes(p->child, depth) || plan_escapes(p->right, depth);
}

bool exec_subq_uncorrelated(const lm_expr *e)
{
    return e->subquery != NULL && e->nouter_map == 0 && !plan_escapes(e->subquery, 1);
}

lm_table *exec_subq_cache_get(exec_subq_cache *c, const lm_expr *e)
{
    lm_table *t = NULL;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->n && t == NULL; i++)
        if (c->keys[i] == e)
            t = lm_table_ref(c->tables[i]);
    pthread_mutex_unlock(&c->lock);
    return t;
}

bool exec_subq_cache_put(exec_subq_cache *c, const lm_expr *e, lm_table *t)
{
    bool ok = true;
    pthread_mutex_lock(&c->lock);
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 8;
        const lm_expr **k = realloc(c->keys, sizeof *k * (size_t)cap);
        if (k != NULL)
            c->keys = k;
        lm_table **v = k ? realloc(c->tables, sizeof *v * (size_t)cap) : NULL;
        if (v != NULL) {
            c->tables = v;
            c->cap = cap;
        }
        ok = k != NULL && v != NULL;
    }
    if (ok) {
        c->keys[c->n] = e;
        c->tables[c->n++] = lm_table_ref(t);
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}
