/*
 * Prediction columns: a model reads each row's features vector and
 * appends its outputs (prediction, rawPrediction, probability, ...).
 * NULL features give NULL outputs.
 */
#include <stdlib.h>

#include "ml/ml.h"
#include "session/session.h"

lm_df *ml_predict_columns(lm_ml_stage *st, lm_df *df, int n, const char *const *names,
                          lm_type *const *types, ml_predict_fn fn)
{
    lm_session *s = st->s;
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return NULL;
    lm_df *res = NULL;
    int fc = ml_frame_col_vector(&f, ml_str(st, "featuresCol"));
    lm_value *vals = calloc((size_t)n + 1, sizeof *vals);
    ml_out o;
    if (fc < 0 || vals == NULL) {
        if (vals == NULL)
            lm_error_oom(&s->error);
        goto done;
    }
    if (ml_out_begin(&o, &f, n, names, types) != LM_OK)
        goto done;
    for (int64_t r = 0; r < f.n; r++) {
        const lm_value *fv = ml_frame_cell(&f, r, fc);
        ml_vec v;
        lm_status rc = LM_OK;
        if (fv->is_null) {
            for (int i = 0; i < n; i++)
                vals[i] = lm_value_null();
        } else if (!ml_vec_decode(&o.scratch, fv, &v)) {
            rc = lm_error_oom(&s->error);
        } else {
            rc = fn(st, &v, &o.scratch, vals);
            if (rc != LM_OK && s->error.status == LM_OK)
                lm_error_oom(&s->error);
        }
        if (rc != LM_OK || ml_out_row(&o, &f, r, vals) != LM_OK) {
            ml_out_abort(&o);
            goto done;
        }
    }
    res = ml_out_finish(&o);
done:
    free(vals);
    ml_frame_free(&f);
    return res;
}
