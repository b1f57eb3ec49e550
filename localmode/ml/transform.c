/*
 * The shape most feature transformers share: one or more input columns,
 * each mapped cell by cell to a new output column (inputCol -> outputCol,
 * or inputCols -> outputCols). A cell function may ask for its row to be
 * dropped (handleInvalid = "skip").
 */
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"
#include "session/session.h"

lm_status ml_io_cols(lm_ml_stage *st, ml_io *io)
{
    memset(io, 0, sizeof *io);
    char **ins, **outs;
    int ni = ml_param_index(st->kind, "inputCols") >= 0 ? ml_strs(st, "inputCols", &ins) : 0;
    int no = ml_param_index(st->kind, "outputCols") >= 0 ? ml_strs(st, "outputCols", &outs) : 0;
    const char *in = ml_param_index(st->kind, "inputCol") >= 0 ? ml_str(st, "inputCol") : NULL;
    const char *out = ml_param_index(st->kind, "outputCol") >= 0 ? ml_str(st, "outputCol") : NULL;
    if (in && ni > 0)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: %s has both inputCol and inputCols set.",
                       st->kind->name);
    if (in) {
        io->n = 1;
        io->in[0] = in;
        io->out[0] = out;
        if (out == NULL) {
            /* Spark's default outputCol is uid + "__output" */
            snprintf(io->dflt, sizeof io->dflt, "%s__output", st->uid);
            io->out[0] = io->dflt;
        }
        return LM_OK;
    }
    if (ni == 0)
        return ml_fail(st->s, ML_EXC_IAE, "requirement failed: %s needs inputCol or inputCols.",
                       st->kind->name);
    if (ni > ML_IO_MAX)
        return ml_fail(st->s, ML_EXC_IAE, "too many input columns (%d)", ni);
    if (no != ni)
        return ml_fail(st->s, ML_EXC_IAE,
                       "requirement failed: The number of input columns %d must be the same as "
                       "the number of output columns %d.",
                       ni, no);
    io->n = ni;
    io->multi = true;
    for (int i = 0; i < ni; i++) {
        io->in[i] = ins[i];
        io->out[i] = outs[i];
    }
    return LM_OK;
}

void ml_io_free_metadata(ml_io *io)
{
    for (int i = 0; i < io->n; i++) {
        free(io->md[i]);
        io->md[i] = NULL;
    }
}

lm_df *ml_map_columns(lm_ml_stage *st, lm_df *df, const ml_io *io, lm_type *const *types,
                      ml_cell_fn fn, void *ctx)
{
    lm_session *s = st->s;
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return NULL;
    lm_df *res = NULL;
    int cols[ML_IO_MAX];
    lm_value nv[ML_IO_MAX];
    ml_out o;
    for (int i = 0; i < io->n; i++)
        if ((cols[i] = ml_frame_col(&f, io->in[i])) < 0)
            goto done;
    if (ml_out_begin(&o, &f, io->n, io->out, types) != LM_OK)
        goto done;
    for (int i = 0; i < io->n; i++)
        if (io->md[i] != NULL && ml_out_set_metadata(&o, o.nin + i, io->md[i]) != LM_OK) {
            ml_out_abort(&o);
            goto done;
        }
    for (int64_t r = 0; r < f.n; r++) {
        bool skip = false;
        for (int i = 0; i < io->n && !skip; i++) {
            lm_status rc = fn(ctx, i, ml_frame_type(&f, cols[i]), ml_frame_cell(&f, r, cols[i]),
                              &o.scratch, &nv[i], &skip);
            if (rc != LM_OK) {
                if (s->error.status == LM_OK)
                    lm_error_oom(&s->error);
                ml_out_abort(&o);
                goto done;
            }
        }
        if (skip) {
            lm_arena_free(&o.scratch);
            continue;
        }
        if (ml_out_row(&o, &f, r, nv) != LM_OK) {
            ml_out_abort(&o);
            goto done;
        }
    }
    res = ml_out_finish(&o);
done:
    ml_frame_free(&f);
    return res;
}
