/*
 * Hash aggregation: one entry per distinct group key (in order of first
 * appearance), one state per aggregate call. DISTINCT aggregates see each
 * distinct argument tuple of a group once; FILTER (WHERE ...) clauses
 * decide per row whether an aggregate sees it. A global aggregate (no
 * keys) returns one row even for empty input, as SQL requires. Rows are
 * read through exec_row_cursor, in the order chaos (exec/chaos.h) gives.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "exec/chaos.h"
#include "exec/rowset.h"
#include "expr/func.h"

typedef struct agg_run {
    lm_exec *x;
    const lm_plan *p;
    const lm_agg_info *info;
    size_t *offsets;      /* state offset of each aggregate in a group block */
    size_t block;         /* bytes of state per group */
    char **groups;        /* state block per group */
    int64_t ngroups, cap;
    lm_arena states;
    lm_rowset keys;
    lm_rowset *distinct;  /* per aggregate, NULL unless DISTINCT */
} agg_run;

static lm_status new_group(agg_run *ar, lm_eval_ctx *ec)
{
    if (ar->ngroups == ar->cap) {
        int64_t nc = ar->cap ? ar->cap * 2 : 64;
        char **ng = realloc(ar->groups, sizeof *ng * (size_t)nc);
        if (ng == NULL)
            return lm_error_oom(ar->x->err);
        ar->groups = ng;
        ar->cap = nc;
    }
    char *blk = lm_arena_calloc(&ar->states, 1, ar->block ? ar->block : 1);
    if (blk == NULL)
        return lm_error_oom(ar->x->err);
    ar->groups[ar->ngroups++] = blk;
    /* states must outlive the per-batch scratch arena */
    lm_arena *saved = ec->arena;
    ec->arena = &ar->states;
    lm_status st = LM_OK;
    for (int i = 0; st == LM_OK && i < ar->info->naggs; i++) {
        const lm_expr *call = ar->info->aggs[i];
        if (call->fn->agg_init)
            st = call->fn->agg_init(ec, call, blk + ar->offsets[i]);
    }
    ec->arena = saved;
    return st;
}

static lm_status update(agg_run *ar, lm_eval_ctx *ec, int64_t g, const lm_value *row)
{
    lm_value stack[8];
    for (int i = 0; i < ar->info->naggs; i++) {
        const lm_expr *call = ar->info->aggs[i];
        if (call->filter) {
            bool keep;
            lm_status st = lm_eval_predicate(ec, call->filter, row, &keep);
            if (st != LM_OK)
                return st;
            if (!keep)
                continue;
        }
        lm_value *args = call->nargs <= 8 ? stack
                                          : lm_arena_alloc(ec->arena, sizeof *args * (size_t)call->nargs);
        if (args == NULL)
            return lm_error_oom(ar->x->err);
        for (int k = 0; k < call->nargs; k++) {
            lm_status st = lm_eval_expr(ec, call->args[k], row, &args[k]);
            if (st != LM_OK)
                return st;
        }
        if (ar->distinct[i].width) {
            /* key: group index then the arguments */
            lm_value *key = lm_arena_alloc(ec->arena, sizeof *key * (size_t)(call->nargs + 1));
            if (key == NULL)
                return lm_error_oom(ar->x->err);
            key[0] = lm_value_i64(g);
            memcpy(key + 1, args, sizeof *args * (size_t)call->nargs);
            int64_t idx;
            bool inserted;
            if (!lm_rowset_upsert(&ar->distinct[i], key, &idx, &inserted))
                return lm_error_oom(ar->x->err);
            if (!inserted)
                continue;
        }
        lm_arena *saved = ec->arena;
        ec->arena = &ar->states;
        lm_status st = call->fn->agg_update(ec, call, ar->groups[g] + ar->offsets[i], args);
        ec->arena = saved;
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static void agg_run_free(agg_run *ar)
{
    for (int64_t g = 0; g < ar->ngroups; g++)
        for (int i = 0; i < ar->info->naggs; i++) {
            const lm_expr *call = ar->info->aggs[i];
            if (call->fn->agg_free)
                call->fn->agg_free(call, ar->groups[g] + ar->offsets[i]);
        }
    if (ar->distinct) {
        for (int i = 0; i < ar->info->naggs; i++) {
            free((void *)ar->distinct[i].types);
            if (ar->distinct[i].width)
                lm_rowset_free(&ar->distinct[i]);
        }
    }
    free(ar->distinct);
    free(ar->groups);
    free(ar->offsets);
    lm_rowset_free(&ar->keys);
    lm_arena_free(&ar->states);
}

lm_status lm_op_aggregate(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    static const lm_agg_info none = {0, NULL, false};
    agg_run ar = {0};
    ar.x = x;
    ar.p = p;
    ar.info = p->aux ? (const lm_agg_info *)p->aux : &none;
    int nk = p->ngroup, na = ar.info->naggs;
    lm_type **ktypes = calloc((size_t)(nk + 1), sizeof *ktypes);
    ar.offsets = calloc((size_t)(na + 1), sizeof *ar.offsets);
    ar.distinct = calloc((size_t)(na + 1), sizeof *ar.distinct);
    lm_arena_init(&ar.states, 64 * 1024);
    if (ktypes == NULL || ar.offsets == NULL || ar.distinct == NULL) {
        free(ktypes);
        free(ar.offsets);
        free(ar.distinct);
        lm_arena_free(&ar.states);
        return lm_error_oom(x->err);
    }
    for (int k = 0; k < nk; k++)
        ktypes[k] = p->group_by[k]->type;
    lm_rowset_init(&ar.keys, nk, ktypes);
    lm_status st = LM_OK;
    for (int i = 0; i < na; i++) {
        const lm_expr *call = ar.info->aggs[i];
        ar.offsets[i] = ar.block;
        ar.block += (call->fn->state_size + 15) & ~(size_t)15;
        if (call->distinct) {
            lm_type **dt = calloc((size_t)(call->nargs + 1), sizeof *dt);
            if (dt == NULL) {
                st = lm_error_oom(x->err);
                break;
            }
            dt[0] = lm_type_long();
            for (int k = 0; k < call->nargs; k++)
                dt[k + 1] = call->args[k]->type;
            lm_rowset_init(&ar.distinct[i], call->nargs + 1, dt);
        }
    }
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    int nin = in->schema->nfields;
    lm_value *row = calloc((size_t)(nin + 1), sizeof *row);
    lm_value *key = calloc((size_t)(nk + 1), sizeof *key);
    if (st == LM_OK && (row == NULL || key == NULL))
        st = lm_error_oom(x->err);
    if (st == LM_OK && nk == 0)
        st = new_group(&ar, &ec);
    /* rows in input order, or as an exchange would deliver them under
       chaos (exec/chaos.h) */
    exec_row_cursor cur;
    if (st == LM_OK)
        st = exec_row_cursor_open(x, in, EXEC_CHAOS_AGG_INPUT, &cur);
    else
        memset(&cur, 0, sizeof cur);
    const lm_batch *batch;
    int32_t r;
    for (int64_t seen = 1; st == LM_OK && exec_row_cursor_next(&cur, &batch, &r); seen++) {
        if (!lm_batch_get_row(batch, r, row, &scratch)) {
            st = lm_error_oom(x->err);
            break;
        }
        int64_t g = 0;
        if (nk) {
            for (int k = 0; st == LM_OK && k < nk; k++)
                st = lm_eval_expr(&ec, p->group_by[k], row, &key[k]);
            if (st != LM_OK)
                break;
            bool inserted;
            if (!lm_rowset_upsert(&ar.keys, key, &g, &inserted)) {
                st = lm_error_oom(x->err);
                break;
            }
            if (inserted && (st = new_group(&ar, &ec)) != LM_OK)
                break;
        }
        st = update(&ar, &ec, g, row);
        if (seen % LM_BATCH_ROWS == 0)
            lm_arena_free(&scratch);
    }
    exec_row_cursor_close(&cur);
    lm_arena_free(&scratch);
    lm_table *t = st == LM_OK ? lm_table_new(p->schema) : NULL;
    if (st == LM_OK && t == NULL)
        st = lm_error_oom(x->err);
    lm_value *res = calloc((size_t)(nk + na + 1), sizeof *res);
    if (st == LM_OK && res == NULL)
        st = lm_error_oom(x->err);
    for (int64_t g = 0; st == LM_OK && g < ar.ngroups; g++) {
        for (int k = 0; k < nk; k++)
            res[k] = ar.keys.rows[g][k];
        for (int i = 0; st == LM_OK && i < na; i++) {
            const lm_expr *call = ar.info->aggs[i];
            st = call->fn->agg_final(&ec, call, ar.groups[g] + ar.offsets[i], &res[nk + i]);
        }
        if (st == LM_OK && lm_table_append_row(t, res) != LM_OK)
            st = lm_error_oom(x->err);
        if ((g & 1023) == 1023)
            lm_arena_free(&scratch);
    }
    free(res);
    free(row);
    free(key);
    lm_arena_free(&scratch);
    agg_run_free(&ar);
    free(ktypes);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
