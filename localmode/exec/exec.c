/*
 * Plan execution driver: runs children first, then the node's operator.
 * Also runs subquery expressions for the evaluator.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

#include "exec/subq_cache.h"
#include "expr/veval.h"
#include "functions/families.h"

#include "analysis/analyzer.h"
#include "session/session.h"

void lm_exec_eval_ctx(lm_exec *x, lm_eval_ctx *ec, lm_arena *scratch)
{
    memset(ec, 0, sizeof *ec);
    ec->session = x->session;
    ec->arena = scratch;
    ec->err = x->err;
    ec->tz = x->session->tz;
    ec->ansi = x->session->ansi;
    ec->exec = x;
    ec->nouter = x->nouter;
    for (int i = 0; i < x->nouter; i++)
        ec->outer[i] = x->outer[i];
}

static lm_status passthrough(lm_table *in, lm_table **out)
{
    *out = in;
    return LM_OK;
}

static lm_status one_row(const lm_plan *p, lm_table **out)
{
    lm_table *t = lm_table_new(p->schema);
    if (t == NULL)
        return LM_ENOMEM;
    lm_batch *b = lm_batch_new(t->schema, 1);
    if (b == NULL || lm_table_append_batch(t, b) != LM_OK) {
        lm_batch_free(b);
        lm_table_unref(t);
        return LM_ENOMEM;
    }
    b->nrows = 1;
    t->nrows = 1;
    *out = t;
    return LM_OK;
}

/*
 * Column pruning. Each node is run with a mask of the output columns its
 * parent reads (NULL: all); the node works out which of its child's
 * columns it needs in turn. Operators that copy data (filter, project,
 * join) skip the columns nobody reads and put placeholders there
 * (exec_batch.h). A subquery in an expression may read any column of the
 * row as an outer reference, so it makes the whole child needed; node
 * kinds this file does not know ask for every child column.
 */
static bool *need_alloc(int n)
{
    return calloc((size_t)n + 1, sizeof(bool));
}

static bool need_expr(bool *need, int n, const lm_expr *e)
{
    return lm_expr_columns(e, need, n);
}

/* Child column mask for unary nodes; NULL when every column is needed. */
static bool *child_need(const lm_plan *p, const bool *need)
{
    const lm_plan *c = p->child;
    int n = c && c->schema ? c->schema->nfields : 0;
    bool *cn = NULL;
    bool ok = true;
    switch (p->kind) {
    case LM_PLAN_PROJECT:
        if ((cn = need_alloc(n)) == NULL)
            return NULL;
        for (int i = 0; i < p->nexprs && ok; i++)
            if (need == NULL || need[i])
                ok = need_expr(cn, n, p->exprs[i]);
        break;
    case LM_PLAN_FILTER:
    case LM_PLAN_SORT:
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
    case LM_PLAN_SUBQUERY_ALIAS:
        if (need == NULL || n != p->schema->nfields || (cn = need_alloc(n)) == NULL)
            return NULL;
        for (int i = 0; i < n; i++)
            cn[i] = need[i];
        if (p->kind == LM_PLAN_FILTER)
            ok = need_expr(cn, n, p->cond);
        if (p->kind == LM_PLAN_SORT)
            for (int i = 0; i < p->nexprs && ok; i++)
                ok = need_expr(cn, n, p->exprs[i]);
        break;
    case LM_PLAN_WINDOW: {
        /* the input columns read above, and those the window reads */
        const lm_window_info *info = p->aux;
        const lm_window_spec *w = info->spec;
        if (need == NULL || (cn = need_alloc(n)) == NULL)
            return NULL;
        for (int i = 0; i < n; i++)
            cn[i] = need[i];
        for (int i = 0; i < w->npartition && ok; i++)
            ok = need_expr(cn, n, w->partition[i]);
        for (int i = 0; i < w->norder && ok; i++)
            ok = need_expr(cn, n, w->order[i]);
        for (int i = 0; i < info->nfuncs && ok; i++)
            ok = need_expr(cn, n, info->funcs[i]);
        break;
    }
    case LM_PLAN_AGGREGATE: {
        const lm_agg_info *info = p->aux;
        if (info && info->has_grouping_id)
            return NULL;
        if ((cn = need_alloc(n)) == NULL)
            return NULL;
        for (int i = 0; i < p->ngroup && ok; i++)
            ok = need_expr(cn, n, p->group_by[i]);
        for (int i = 0; info && i < info->naggs && ok; i++)
            ok = need_expr(cn, n, info->aggs[i]);
        break;
    }
    default:
        return NULL;
    }
    if (!ok) {
        free(cn);
        return NULL;
    }
    return cn;
}

static lm_status run(lm_exec *x, const lm_plan *p, const bool *need, lm_table **out);
static lm_status exec_node(lm_exec *x, const lm_plan *p, const bool *need, lm_table **out);

/* JOIN: the output is left columns then right columns; the condition
   reads both. */
static lm_status run_join_inputs(lm_exec *x, const lm_plan *p, const bool *need, lm_table **l,
                                 lm_table **r)
{
    int nl = p->child->schema->nfields, nr = p->right->schema->nfields;
    bool *all = need_alloc(nl + nr);
    bool *ln = NULL, *rn = NULL;
    if (all && need && nl + nr == p->schema->nfields) {
        for (int i = 0; i < nl + nr; i++)
            all[i] = need[i];
        if (p->cond == NULL || need_expr(all, nl + nr, p->cond)) {
            ln = need_alloc(nl);
            rn = need_alloc(nr);
            for (int i = 0; ln && i < nl; i++)
                ln[i] = all[i];
            for (int i = 0; rn && i < nr; i++)
                rn[i] = all[nl + i];
        }
    }
    free(all);
    /* when the allocation failed or the mask is unknown, run with every column */
    if (ln == NULL || rn == NULL) {
        free(ln);
        free(rn);
        ln = rn = NULL;
    }
    lm_status st = run(x, p->child, ln, l);
    if (st == LM_OK && (st = run(x, p->right, rn, r)) != LM_OK) {
        lm_table_unref(*l);
        *l = NULL;
    }
    free(ln);
    free(rn);
    return st;
}

/* A relation read from files, under nothing but aliases (which pass its
   columns through in order): a filter above can offer it its condition. */
static bool reaches_file_relation(const lm_plan *p)
{
    while (p && p->kind == LM_PLAN_SUBQUERY_ALIAS)
        p = p->child;
    return p && p->kind == LM_PLAN_RELATION && p->table && p->table->source;
}

static lm_status exec_node(lm_exec *x, const lm_plan *p, const bool *need, lm_table **out)
{
    lm_table *in = NULL, *right = NULL;
    lm_status st = LM_OK;
    *out = NULL;
    if (x->cached) {
        lm_table *hit = NULL;
        if ((st = x->cached(x->cached_ctx, p, &hit)) != LM_OK)
            return st;
        if (hit) {
            *out = lm_table_ref(hit);
            return LM_OK;
        }
    }
    switch (p->kind) {
    case LM_PLAN_RELATION:
        if (p->table->source) {
            const lm_expr *cond = x->scan_cond;
            x->scan_cond = NULL;
            return lm_op_scan(x, p, need, cond, out);
        }
        *out = lm_table_ref(p->table);
        return LM_OK;
    case LM_PLAN_ONE_ROW:
        st = one_row(p, out);
        return st == LM_OK ? st : lm_error_oom(x->err);
    case LM_PLAN_VALUES:
        return lm_op_values(x, p, out);
    case LM_PLAN_LIMIT:
        /* ORDER BY + LIMIT: top-N instead of a full sort */
        if (p->child && p->child->kind == LM_PLAN_SORT && p->child->global &&
            p->cond->value.u.i64 >= 0) {
            bool *cn = child_need(p, need);
            bool *gn = cn ? child_need(p->child, cn) : NULL;
            st = run(x, p->child->child, gn, &in);
            free(cn);
            free(gn);
            if (st != LM_OK)
                return st;
            /* the SORT node is run here: observers still see it */
            const lm_exec_hook *h = x->session ? x->session->exec_hook : NULL;
            if (h)
                h->enter(h->ctx, p->child);
            st = lm_op_sort_topn(x, p->child, in, p->cond->value.u.i64, out);
            if (h)
                h->leave(h->ctx, p->child, st == LM_OK ? *out : NULL);
            lm_table_unref(in);
            return st;
        }
        break;
    case LM_PLAN_JOIN:
        if ((st = run_join_inputs(x, p, need, &in, &right)) != LM_OK)
            return st;
        st = lm_op_join_cols(x, p, in, right, need, out);
        lm_table_unref(in);
        lm_table_unref(right);
        return st;
    case LM_PLAN_TVF:
        return lm_op_range(x, p, out);
    default:
        break;
    }
    bool *cn = p->child ? child_need(p, need) : NULL;
    if (p->kind == LM_PLAN_FILTER && reaches_file_relation(p->child))
        x->scan_cond = p->cond;
    const lm_plan *win_limit = x->win_limit_node;
    if (p->kind == LM_PLAN_FILTER)
        lm_window_group_limit(x, p, &x->win_limit_node, &x->win_limit_func, &x->win_limit_lo,
                              &x->win_limit_hi);
    st = p->child ? run(x, p->child, cn, &in) : LM_OK;
    x->scan_cond = NULL;
    x->win_limit_node = win_limit;
    free(cn);
    if (st != LM_OK)
        return st;
    if (p->right && (st = lm_exec_plan(x, p->right, &right)) != LM_OK) {
        lm_table_unref(in);
        return st;
    }
    switch (p->kind) {
    case LM_PLAN_SUBQUERY_ALIAS:
        return passthrough(in, out);
    case LM_PLAN_PROJECT:
        st = lm_op_project_cols(x, p, in, need, out);
        break;
    case LM_PLAN_FILTER:
        st = lm_op_filter_cols(x, p, in, need, out);
        break;
    case LM_PLAN_AGGREGATE:
        st = lm_op_aggregate(x, p, in, need, out);
        break;
    case LM_PLAN_SORT:
        st = lm_op_sort(x, p, in, out);
        break;
    case LM_PLAN_EXPAND:
        st = lm_op_expand(x, p, in, out);
        break;
    case LM_PLAN_WINDOW:
        if (x->win_limit_node == p)
            st = lm_op_window_cols(x, p, in, need, x->win_limit_func, x->win_limit_lo,
                                   x->win_limit_hi, out);
        else
            st = lm_op_window_cols(x, p, in, need, -1, 0, 0, out);
        break;
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
        st = lm_op_limit(x, p, in, out);
        break;
    case LM_PLAN_SETOP:
        st = lm_op_setop(x, p, in, right, out);
        break;
    case LM_PLAN_SAMPLE:
        st = lm_op_sample(x, p, in, out);
        break;
    case LM_PLAN_GENERATE:
        st = lm_op_generate(x, p, in, out);
        break;
    default:
        st = lm_error_set(x->err, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                          "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                          "localmode cannot execute plan kind %d yet.", (int)p->kind);
        break;
    }
    lm_table_unref(in);
    lm_table_unref(right);
    return st;
}

/* Every node passes here, so an observer sees each one (exec.h). */
static lm_status run(lm_exec *x, const lm_plan *p, const bool *need, lm_table **out)
{
    const lm_exec_hook *h = x->session ? x->session->exec_hook : NULL;
    if (h == NULL)
        return exec_node(x, p, need, out);
    h->enter(h->ctx, p);
    lm_status st = exec_node(x, p, need, out);
    h->leave(h->ctx, p, st == LM_OK ? *out : NULL);
    return st;
}

lm_status lm_exec_plan(lm_exec *x, const lm_plan *p, lm_table **out)
{
    return run(x, p, NULL, out);
}

/* Runs a subquery with the current row as the innermost outer row. */
lm_status lm_exec_subquery(lm_eval_ctx *ec, const lm_expr *e, const lm_value *row, lm_value *out)
{
    lm_exec *x = ec->exec;
    if (x == NULL || ec->nouter >= 15)
        return lm_error_set(ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                            "subquery evaluated without an executor");
    lm_exec sub = *x;
    sub.nouter = ec->nouter;
    for (int i = 0; i < ec->nouter; i++)
        sub.outer[i] = ec->outer[i];
    if (e->nouter_map > 0) {
        /* rebuild the row the subquery was resolved against */
        lm_value *orow = lm_arena_calloc(ec->arena, (size_t)e->outer_width, sizeof *orow);
        if (orow == NULL)
            return lm_error_oom(ec->err);
        for (int i = 0; i < e->outer_width; i++)
            orow[i] = lm_value_null();
        for (int i = 0; i < e->nouter_map; i++) {
            lm_status st = lm_eval_expr(ec, e->outer_map[i], row, &orow[e->outer_ordinals[i]]);
            if (st != LM_OK)
                return st;
        }
        sub.outer[sub.nouter++] = orow;
    } else {
        sub.outer[sub.nouter++] = row;
    }
    lm_table *t = NULL;
    lm_status st = LM_OK;
    bool once = x->subq != NULL && exec_subq_uncorrelated(e);
    if (once)
        t = exec_subq_cache_get(x->subq, e);
    if (t == NULL) {
        int mark = lm_func_state_mark();
        st = lm_exec_plan(&sub, e->subquery, &t);
        lm_func_state_release(mark);
        if (st != LM_OK)
            return st;
        if (once)
            exec_subq_cache_put(x->subq, e, t);
    }
    *out = lm_value_null();
    int ncols = t->schema->nfields;
    lm_value *r = lm_arena_alloc(ec->arena, sizeof *r * (size_t)(ncols ? ncols : 1));
    if (r == NULL) {
        lm_table_unref(t);
        return lm_error_oom(ec->err);
    }
    if (e->kind == LM_EXPR_EXISTS) {
        *out = lm_value_bool(t->nrows > 0);
    } else if (e->kind == LM_EXPR_SCALAR_SUBQUERY) {
        if (t->nrows > 1) {
            lm_table_unref(t);
            return lm_error_set(ec->err, LM_ERROR, "org.apache.spark.SparkException",
                                "SCALAR_SUBQUERY_TOO_MANY_ROWS", "21000",
                                "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a "
                                "subquery used as an expression.");
        }
        if (t->nrows == 1) {
            for (int b = 0; b < t->nbatches; b++)
                if (t->batches[b]->nrows) {
                    lm_value v;
                    if (!lm_vector_get(t->batches[b]->cols[0], 0, &v, ec->arena) ||
                        !lm_value_copy(ec->arena, e->type, &v, out)) {
                        lm_table_unref(t);
                        return lm_error_oom(ec->err);
                    }
                    break;
                }
        }
    } else {
        /* IN (subquery): true on a match, NULL if no match but a NULL was seen */
        lm_value *key = lm_arena_alloc(ec->arena, sizeof *key * (size_t)e->nargs);
        if (key == NULL) {
            lm_table_unref(t);
            return lm_error_oom(ec->err);
        }
        bool key_null = false;
        for (int i = 0; i < e->nargs; i++) {
            if ((st = lm_eval_expr(ec, e->args[i], row, &key[i])) != LM_OK) {
                lm_table_unref(t);
                return st;
            }
            key_null |= key[i].is_null;
        }
        /* NULL IN (empty subquery) is false in Spark 3.5 unless
           spark.sql.legacy.nullInEmptyListBehavior keeps the old NULL */
        bool legacy_null = session_conf_bool(x->session, "spark.sql.legacy.nullInEmptyListBehavior",
                                             false);
        bool found = false, saw_null = key_null && (t->nrows > 0 || legacy_null);
        for (int b = 0; b < t->nbatches && !found; b++) {
            for (int32_t k = 0; k < t->batches[b]->nrows && !found; k++) {
                if (!lm_batch_get_row(t->batches[b], k, r, ec->arena)) {
                    lm_table_unref(t);
                    return lm_error_oom(ec->err);
                }
                bool all = true, rnull = false;
                for (int i = 0; i < e->nargs; i++) {
                    if (r[i].is_null || key[i].is_null) {
                        rnull = true;
                        all = false;
                    } else if (!lm_value_equal(e->args[i]->type, &key[i], &r[i])) {
                        all = false;
                        rnull = false;
                        break;
                    }
                }
                if (all)
                    found = true;
                else if (rnull)
                    saw_null = true;
            }
        }
        if (found)
            *out = lm_value_bool(!(e->flags & LM_IN_NOT));
        else if (saw_null)
            *out = lm_value_null();
        else
            *out = lm_value_bool((e->flags & LM_IN_NOT) != 0);
    }
    lm_table_unref(t);
    return LM_OK;
}
