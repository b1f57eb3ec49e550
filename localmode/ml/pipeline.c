/*
 * Pipeline / PipelineModel. Fitting runs the stages in order: a
 * transformer is kept and transforms the data for the next stage, an
 * estimator is fitted on the current data and its model takes its place
 * (and transforms the data, unless it is the last estimator: Spark stops
 * transforming after the last one). The PipelineModel transforms with
 * every fitted stage in turn.
 */
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "ml/params.h"

static const ml_param_def k_params[] = {
    P_STAGES("stages"),
};

typedef struct pl_data {
    int n;
    lm_ml_stage **stages;
} pl_data;

static void pl_free(void *p)
{
    pl_data *d = p;
    if (d == NULL)
        return;
    for (int i = 0; i < d->n; i++)
        lm_ml_free(d->stages[i]);
    free(d->stages);
    free(d);
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    const ml_param_val *v = &est->vals[0];
    int n = v->set ? v->n : 0;
    int last_est = -1;
    for (int i = 0; i < n; i++) {
        if (v->stages[i]->kind->fit)
            last_est = i;
        else if (v->stages[i]->kind->transform == NULL)
            return ml_fail(s, ML_EXC_IAE, "Cannot recognize a pipeline stage of type %s.",
                           v->stages[i]->kind->name);
    }
    pl_data *d = calloc(1, sizeof *d);
    if (d == NULL || (d->stages = calloc((size_t)n + 1, sizeof *d->stages)) == NULL) {
        free(d);
        return lm_error_oom(&s->error);
    }
    lm_df *cur = df;
    cur->refcount++;
    lm_status rc = LM_OK;
    for (int i = 0; i < n; i++) {
        lm_ml_stage *st = v->stages[i];
        lm_ml_stage *t = st->kind->fit ? lm_ml_fit(st, cur) : ml_stage_ref(st);
        if (t == NULL) {
            rc = LM_ERROR;
            break;
        }
        d->stages[d->n++] = t;
        if (i < last_est) {
            lm_df *next = lm_ml_transform(t, cur);
            lm_df_free(cur);
            cur = next;
            if (cur == NULL) {
                rc = LM_ERROR;
                break;
            }
        }
    }
    lm_df_free(cur);
    if (rc != LM_OK) {
        pl_free(d);
        return rc;
    }
    model->data = d;
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    const pl_data *d = st->data;
    lm_df *cur = df;
    cur->refcount++;
    for (int i = 0; i < d->n && cur; i++) {
        lm_df *next = lm_ml_transform(d->stages[i], cur);
        lm_df_free(cur);
        cur = next;
    }
    return cur;
}

/* PipelineModel.stages[i] as a new handle. */
lm_ml_stage *lm_ml_pipeline_stage(lm_ml_stage *model, int i)
{
    if (model == NULL || model->data == NULL || strcmp(model->kind->name, "PipelineModel") != 0)
        return NULL;
    const pl_data *d = model->data;
    return i >= 0 && i < d->n ? ml_stage_ref(d->stages[i]) : NULL;
}

int ml_pipeline_model_stages(const lm_ml_stage *model, lm_ml_stage ***out)
{
    const pl_data *d = model->data;
    *out = d->stages;
    return d->n;
}

lm_status ml_pipeline_model_set(lm_ml_stage *model, int n, lm_ml_stage **stages)
{
    pl_data *d = calloc(1, sizeof *d);
    if (d == NULL)
        return lm_error_oom(&model->s->error);
    d->n = n;
    d->stages = stages;
    model->data = d;
    return LM_OK;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const pl_data *d = st->data;
    if (strcmp(name, "numStages") == 0) {
        out->type = ML_A_INT;
        out->i = d->n;
        return true;
    }
    return false;
}

const ml_kind ml_kind_pipeline = {
    .name = "Pipeline",
    .java_class = "org.apache.spark.ml.Pipeline",
    .uid_prefix = "pipeline",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "PipelineModel",
    .fit = fit,
};

const ml_kind ml_kind_pipeline_model = {
    .name = "PipelineModel",
    .java_class = "org.apache.spark.ml.PipelineModel",
    .uid_prefix = "pipeline",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = pl_free,
    .attr = attr,
};
