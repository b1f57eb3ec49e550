/*
 * Plan execution driver: runs children first, then the node's operator.
 * Also runs subquery expressions for the evaluator.
 */
#include "exec.h"

#include <string.h>

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

static lm_status exec_node(lm_exec *x, const lm_plan *p, lm_table **out)
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
        *out = lm_table_ref(p->table);
        return LM_OK;
    case LM_PLAN_ONE_ROW:
        st = one_row(p, out);
        return st == LM_OK ? st : lm_error_oom(x->err);
    case LM_PLAN_VALUES:
        return lm_op_values(x, p, out);
    case LM_PLAN_TVF:
        return lm_op_range(x, p, out);
    default:
        break;
    }
    if (p->child && (st = lm_exec_plan(x, p->child, &in)) != LM_OK)
        return st;
    if (p->right && (st = lm_exec_plan(x, p->right, &right)) != LM_OK) {
        lm_table_unref(in);
        return st;
    }
    switch (p->kind) {
    case LM_PLAN_SUBQUERY_ALIAS:
        return passthrough(in, out);
    case LM_PLAN_PROJECT:
        st = lm_op_project(x, p, in, out);
        break;
    case LM_PLAN_FILTER:
        st = lm_op_filter(x, p, in, out);
        break;
    case LM_PLAN_AGGREGATE:
        st = lm_op_aggregate(x, p, in, out);
        break;
    case LM_PLAN_SORT:
        st = lm_op_sort(x, p, in, out);
        break;
    case LM_PLAN_EXPAND:
        st = lm_op_expand(x, p, in, out);
        break;
    case LM_PLAN_WINDOW:
        st = lm_op_window(x, p, in, out);
        break;
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
        st = lm_op_limit(x, p, in, out);
        break;
    case LM_PLAN_JOIN:
        st = lm_op_join(x, p, in, right, out);
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
lm_status lm_exec_plan(lm_exec *x, const lm_plan *p, lm_table **out)
{
    const lm_exec_hook *h = x->session->exec_hook;
    if (h == NULL)
        return exec_node(x, p, out);
    h->enter(h->ctx, p);
    lm_status st = exec_node(x, p, out);
    h->leave(h->ctx, p, st == LM_OK ? *out : NULL);
    return st;
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
    lm_status st = lm_exec_plan(&sub, e->subquery, &t);
    if (st != LM_OK)
        return st;
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
