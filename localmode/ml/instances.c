/*
 * Training instances: (label, weight, features) rows read from a
 * DataFrame into dense arrays, as Spark's extractInstances builds
 * Instance(label, weight, features). Features are expanded to dense
 * row-major storage: local data is small enough, and every kernel then
 * reads one contiguous row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"
#include "session/session.h"

void ml_instances_free(ml_instances *in)
{
    free(in->y);
    free(in->w);
    free(in->x);
    memset(in, 0, sizeof *in);
}

lm_status ml_instances_load(lm_ml_stage *st, lm_df *df, const char *label, const char *weight,
                            const char *features, ml_instances *out)
{
    lm_session *s = st->s;
    memset(out, 0, sizeof *out);
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    int fc = ml_frame_col_vector(&f, features);
    int lc = fc >= 0 && label ? ml_frame_col_numeric(&f, label) : -1;
    int wc = fc >= 0 && weight && *weight ? ml_frame_col_numeric(&f, weight) : -1;
    lm_status rc = LM_OK;
    if (fc < 0 || (label && lc < 0) || (weight && *weight && wc < 0))
        rc = LM_ERROR;
    lm_arena a;
    lm_arena_init(&a, 4096);
    out->y = calloc((size_t)f.n + 1, sizeof *out->y);
    out->w = calloc((size_t)f.n + 1, sizeof *out->w);
    if (rc == LM_OK && (out->y == NULL || out->w == NULL))
        rc = lm_error_oom(&s->error);
    int64_t k = 0;
    for (int64_t r = 0; rc == LM_OK && r < f.n; r++) {
        const lm_value *fv = ml_frame_cell(&f, r, fc);
        ml_vec v;
        if (fv->is_null)
            continue; /* Spark filters rows without features (na.drop in extract) */
        if (!ml_vec_decode(&a, fv, &v)) {
            rc = lm_error_oom(&s->error);
            break;
        }
        if (out->x == NULL) {
            out->d = v.size;
            out->x = calloc((size_t)f.n * (size_t)(out->d ? out->d : 1) + 1, sizeof *out->x);
            if (out->x == NULL) {
                rc = lm_error_oom(&s->error);
                break;
            }
        } else if (v.size != out->d) {
            rc = ml_fail(s, ML_EXC_IAE,
                         "requirement failed: Dimensions mismatch when adding new sample. "
                         "Expecting %d but got %d.",
                         out->d, v.size);
            break;
        }
        double y = 0.0, w = 1.0;
        if (label && !ml_cell_double(ml_frame_type(&f, lc), ml_frame_cell(&f, r, lc), &y)) {
            rc = ml_fail(s, ML_EXC_SPARK, "Labels MUST NOT be Null or NaN, but got null");
            break;
        }
        if (label && isnan(y)) {
            rc = ml_fail(s, ML_EXC_SPARK, "Labels MUST NOT be Null or NaN, but got NaN");
            break;
        }
        if (wc >= 0 && !ml_cell_double(ml_frame_type(&f, wc), ml_frame_cell(&f, r, wc), &w))
            w = 0.0;
        if (wc >= 0 && !(w >= 0.0)) {
            rc = ml_fail(s, ML_EXC_SPARK, "Weights MUST NOT be Negative or NaN");
            break;
        }
        out->y[k] = y;
        out->w[k] = w;
        ml_vec_to_dense(&v, out->x + (size_t)k * (size_t)out->d);
        k++;
        lm_arena_free(&a);
    }
    out->n = k;
    lm_arena_free(&a);
    ml_frame_free(&f);
    if (rc == LM_OK && k == 0)
        rc = ml_fail(s, ML_EXC_IAE, "requirement failed: Training dataset is empty.");
    if (rc != LM_OK)
        ml_instances_free(out);
    return rc;
}
