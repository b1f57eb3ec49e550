/*
 * Collecting aggregates: collect_list / array_agg (every non-NULL input,
 * in input order), collect_set (each distinct non-NULL input once, in order
 * of first appearance, where Spark's hash-set order is unspecified) and
 * mode (the most frequent non-NULL input). Their states hold malloc'ed
 * arrays released by agg_collect_free; the values themselves are copied
 * into the state arena (agg_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "exec/rowset.h"
#include "functions/agg_internal.h"

typedef agg_collect_state collect_state;

static bool is_list(const lm_expr *call)
{
    return strcmp(call->fn->name, "collect_list") == 0 || strcmp(call->fn->name, "array_agg") == 0;
}

/* collect_list / collect_set: array<T> of non-NULL elements, never NULL. */
lm_status agg_resolve_collect(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (!is_list(call) && t->id == LM_TYPE_MAP) {
        const char *tq = fn_type_q(rc, t);
        lm_coerce_mismatch(rc, call, err, "UNSUPPORTED_INPUT_TYPE",
                           "The input of `collect_set` can't be %s type data.", tq);
        lm_error_param_add(err, "functionName", "`collect_set`");
        lm_error_param_add(err, "dataType", tq);
        return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_array(call->args[0]->type, false), false, err);
}

lm_status agg_resolve_mode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), true, err);
}

/* Adds v to the distinct index; *idx is its position, *fresh whether new. */
static lm_status distinct_add(lm_eval_ctx *ec, const lm_expr *call, collect_state *s,
                              const lm_value *v, int64_t *idx, bool *fresh)
{
    if (s->seen == NULL) {
        if ((s->seen = calloc(1, sizeof *s->seen)) == NULL)
            return lm_error_oom(ec->err);
        lm_rowset_init(s->seen, 1, (lm_type *const *)&call->args[0]->type);
    }
    if (!lm_rowset_upsert(s->seen, v, idx, fresh))
        return lm_error_oom(ec->err);
    return LM_OK;
}

static lm_status add_value(lm_eval_ctx *ec, const lm_expr *call, collect_state *s,
                           const lm_value *v, int64_t times)
{
    if (v->is_null)
        return LM_OK;
    bool list = is_list(call), mode = strcmp(call->fn->name, "mode") == 0;
    if (!list) {
        int64_t idx;
        bool fresh;
        lm_status st = distinct_add(ec, call, s, v, &idx, &fresh);
        if (st != LM_OK)
            return st;
        if (mode) {
            if (idx >= s->ncounts) {
                int64_t nc = s->ncounts ? s->ncounts * 2 : 16;
                while (nc <= idx)
                    nc *= 2;
                int64_t *c = realloc(s->counts, sizeof *c * (size_t)nc);
                if (c == NULL)
                    return lm_error_oom(ec->err);
                memset(c + s->ncounts, 0, sizeof *c * (size_t)(nc - s->ncounts));
                s->counts = c;
                s->ncounts = nc;
            }
            s->counts[idx] += times;
        }
        if (!fresh)
            return LM_OK;
    }
    lm_value copy;
    if (!lm_value_copy(ec->arena, call->args[0]->type, v, &copy) || !agg_vals_push(&s->vals, &copy))
        return lm_error_oom(ec->err);
    return LM_OK;
}

lm_status agg_collect_update(lm_eval_ctx *ec, const lm_expr *call, void *state,
                             const lm_value *args)
{
    return add_value(ec, call, state, &args[0], 1);
}

lm_status agg_collect_merge(lm_eval_ctx *ec, const lm_expr *call, void *state, const void *other)
{
    const collect_state *o = other;
    bool mode = strcmp(call->fn->name, "mode") == 0;
    for (int64_t i = 0; i < o->vals.n; i++) {
        lm_status st = add_value(ec, call, state, &o->vals.v[i], mode ? o->counts[i] : 1);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_status out_array(lm_eval_ctx *ec, const collect_state *s, lm_value *out)
{
    lm_value *elems = fn_values(ec, (size_t)s->vals.n);
    if (elems == NULL)
        return LM_ENOMEM;
    if (s->vals.n)
        memcpy(elems, s->vals.v, sizeof *elems * (size_t)s->vals.n);
    return fn_out_array(ec, out, elems, (int32_t)s->vals.n);
}

lm_status agg_collect_list_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    return out_array(ec, state, out);
}

lm_status agg_collect_set_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    return out_array(ec, state, out);
}

/* The most frequent value; among equally frequent ones the smallest, so
   the result does not depend on input order (Spark leaves ties to its
   hash map's iteration order). */
lm_status agg_mode_final(lm_eval_ctx *ec, const lm_expr *call, void *state, lm_value *out)
{
    collect_state *s = state;
    const lm_type *t = call->args[0]->type;
    int64_t best = -1;
    for (int64_t i = 0; i < s->vals.n; i++) {
        if (best < 0 || s->counts[i] > s->counts[best] ||
            (s->counts[i] == s->counts[best] &&
             lm_value_compare(t, &s->vals.v[i], &s->vals.v[best]) < 0))
            best = i;
    }
    *out = best < 0 ? lm_value_null() : s->vals.v[best];
    return LM_OK;
}

void agg_collect_free(const lm_expr *call, void *state)
{
    collect_state *s = state;
    agg_vals_free(&s->vals);
    if (s->seen) {
        lm_rowset_free(s->seen);
        free(s->seen);
        s->seen = NULL;
    }
    free(s->counts);
    s->counts = NULL;
    s->ncounts = 0;
}
