/*
 * GENERATE: runs a generator (explode, posexplode, inline, stack ...) on
 * every input row and emits one output row per generated row: the input
 * row's columns when the plan keeps them (LATERAL VIEW, a generator in a
 * SELECT list), then the generated columns. With OUTER, an input row that
 * generates nothing still appears once, with NULL generated columns, as
 * Spark's Generate(outer = true) does.
 */
#include "exec.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"

lm_status lm_op_generate(lm_exec *x, const lm_plan *p, lm_table *in, lm_table **out)
{
    const lm_generate_info *info = p->aux;
    lm_table *t = lm_table_new(p->schema);
    if (t == NULL)
        return lm_error_oom(x->err);
    int nin = in->schema->nfields;
    int nkeep = info->join ? nin : 0;
    int ngen = info->ngen;
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    lm_value *row = calloc((size_t)(nin + 1), sizeof *row);
    lm_value *res = calloc((size_t)(nkeep + ngen + 1), sizeof *res);
    lm_status st = (row && res) ? LM_OK : lm_error_oom(x->err);
    for (int b = 0; st == LM_OK && b < in->nbatches; b++) {
        const lm_batch *batch = in->batches[b];
        for (int32_t r = 0; st == LM_OK && r < batch->nrows; r++) {
            if (!lm_batch_get_row(batch, r, row, &scratch)) {
                st = lm_error_oom(x->err);
                break;
            }
            lm_value gen;
            st = lm_eval_expr(&ec, info->generator, row, &gen);
            if (st != LM_OK)
                break;
            if (nkeep)
                memcpy(res, row, sizeof *res * (size_t)nkeep);
            int32_t n = gen.is_null ? 0 : gen.u.arr->n;
            for (int32_t i = 0; st == LM_OK && i < n; i++) {
                const lm_value *g = &gen.u.arr->elems[i];
                for (int k = 0; k < ngen; k++)
                    res[nkeep + k] = g->is_null ? lm_value_null() : g->u.st->fields[k];
                if (lm_table_append_row(t, res) != LM_OK)
                    st = lm_error_oom(x->err);
            }
            if (st == LM_OK && n == 0 && info->outer) {
                for (int k = 0; k < ngen; k++)
                    res[nkeep + k] = lm_value_null();
                if (lm_table_append_row(t, res) != LM_OK)
                    st = lm_error_oom(x->err);
            }
        }
        lm_arena_free(&scratch);
    }
    free(row);
    free(res);
    lm_arena_free(&scratch);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
