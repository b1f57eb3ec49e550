/*
 * Model selection: CrossValidator and TrainValidationSplit.
 *
 * CrossValidator splits the data with Spark's MLUtils.kFold: each fold
 * samples the rows with a BernoulliCellSampler whose XORShiftRandom is
 * seeded, per partition, by new java.util.Random(seed).nextLong(); fold i
 * validates on the rows whose draw falls in [i/k, (i+1)/k) and trains on
 * the others (the complement sampler over the same draws), both in input
 * order. The data is one partition (a local DataFrame's rows with
 * spark.default.parallelism unset). Every ParamMap of
 * estimatorParamMaps is fitted on each training fold and evaluated on its
 * validation fold; avgMetrics are the means over folds, the best map is
 * chosen by the evaluator's isLargerBetter (first best wins), and the
 * best model is refitted on the whole data.
 *
 * TrainValidationSplit does the same with one split of trainRatio
 * (randomSplit([trainRatio, 1 - trainRatio], seed)).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

static const ml_param_def k_cv_params[] = {
    P_STAGE("estimator"),
    P_GRID("estimatorParamMaps"),
    P_STAGE("evaluator"),
    P_INT("numFolds", 3, ML_R_GE, 2, 0),
    P_INT("seed", -1191137437, ML_R_NONE, 0, 0), /* "...CrossValidator".hashCode */
    P_INT("parallelism", 1, ML_R_GE, 1, 0),
    P_STR_NODEF("foldCol"),
    P_BOOL("collectSubModels", 0),
};

static const ml_param_def k_tvs_params[] = {
    P_STAGE("estimator"),
    P_GRID("estimatorParamMaps"),
    P_STAGE("evaluator"),
    P_DBL("trainRatio", 0.75, ML_R_GE | ML_R_LE, 0, 1),
    P_INT("seed", -1772833110, ML_R_NONE, 0, 0), /* "...TrainValidationSplit".hashCode */
    P_INT("parallelism", 1, ML_R_GE, 1, 0),
    P_BOOL("collectSubModels", 0),
};

typedef struct tune_data {
    lm_ml_stage *best;
    int nmaps;
    double *avg, *std;
    int best_index;
} tune_data;

static void tune_free(void *p)
{
    tune_data *d = p;
    if (d) {
        lm_ml_free(d->best);
        free(d->avg);
        free(d->std);
        free(d);
    }
}

static lm_ml_stage *stage_param(const lm_ml_stage *st, const char *name)
{
    int i = ml_param_index(st->kind, name);
    return i >= 0 && st->vals[i].set && st->vals[i].n == 1 ? st->vals[i].stages[0] : NULL;
}

static const ml_grid *grid_param(const lm_ml_stage *st)
{
    int i = ml_param_index(st->kind, "estimatorParamMaps");
    return st->vals[i].set ? st->vals[i].grid : NULL;
}

/* Fits est with map m on train, evaluates on valid. */
static lm_status fit_eval(lm_ml_stage *est, const ml_param_map *m, lm_ml_stage *ev, lm_df *train,
                          lm_df *valid, double *metric)
{
    lm_ml_stage *e = m ? ml_apply_param_map(est, m) : ml_stage_ref(est);
    lm_ml_stage *model = e ? lm_ml_fit(e, train) : NULL;
    lm_df *pred = model ? lm_ml_transform(model, valid) : NULL;
    lm_status rc = pred ? lm_ml_evaluate(ev, pred, metric) : LM_ERROR;
    lm_df_free(pred);
    lm_ml_free(model);
    lm_ml_free(e);
    return rc;
}

/* Shared driver: nsplits (train, valid) pairs already made. */
static lm_status select_best(lm_ml_stage *tuner, lm_df *df, int nsplits, lm_df **train,
                             lm_df **valid, lm_ml_stage *model)
{
    lm_session *s = tuner->s;
    lm_ml_stage *est = stage_param(tuner, "estimator");
    lm_ml_stage *ev = stage_param(tuner, "evaluator");
    const ml_grid *g = grid_param(tuner);
    if (est == NULL || ev == NULL)
        return ml_fail(s, ML_EXC_IAE, "%s needs an estimator and an evaluator", tuner->kind->name);
    int nmaps = g ? g->nmaps : 1;
    tune_data *d = calloc(1, sizeof *d);
    double *all = calloc((size_t)nmaps * (size_t)nsplits + 1, sizeof *all);
    if (d == NULL || all == NULL || (d->avg = calloc((size_t)nmaps + 1, sizeof *d->avg)) == NULL ||
        (d->std = calloc((size_t)nmaps + 1, sizeof *d->std)) == NULL) {
        tune_free(d);
        free(all);
        return lm_error_oom(&s->error);
    }
    d->nmaps = nmaps;
    for (int f = 0; f < nsplits; f++)
        for (int m = 0; m < nmaps; m++)
            if (fit_eval(est, g ? &g->maps[m] : NULL, ev, train[f], valid[f],
                         &all[(size_t)m * nsplits + f]) != LM_OK) {
                tune_free(d);
                free(all);
                return LM_ERROR;
            }
    for (int m = 0; m < nmaps; m++) {
        double sum = 0, sq = 0;
        for (int f = 0; f < nsplits; f++)
            sum += all[(size_t)m * nsplits + f];
        d->avg[m] = sum / nsplits;
        for (int f = 0; f < nsplits; f++) {
            double e = all[(size_t)m * nsplits + f] - d->avg[m];
            sq += e * e;
        }
        /* Spark's stdMetrics: population std over folds */
        d->std[m] = sqrt(sq / nsplits);
    }
    free(all);
    bool larger = lm_ml_is_larger_better(ev);
    int best = 0;
    for (int m = 1; m < nmaps; m++)
        if (larger ? d->avg[m] > d->avg[best] : d->avg[m] < d->avg[best])
            best = m;
    d->best_index = best;
    lm_ml_stage *e = g ? ml_apply_param_map(est, &g->maps[best]) : ml_stage_ref(est);
    d->best = e ? lm_ml_fit(e, df) : NULL;
    lm_ml_free(e);
    if (d->best == NULL) {
        tune_free(d);
        return LM_ERROR;
    }
    model->data = d;
    return LM_OK;
}

/* A DataFrame over the rows of f with keep[r] == want. */
static lm_df *subset(const ml_frame *f, const bool *keep, bool want)
{
    ml_out o;
    if (ml_out_begin(&o, f, 0, NULL, NULL) != LM_OK)
        return NULL;
    for (int64_t r = 0; r < f->n; r++)
        if (keep[r] == want && ml_out_row(&o, f, r, NULL) != LM_OK) {
            ml_out_abort(&o);
            return NULL;
        }
    return ml_out_finish(&o);
}

static lm_status cv_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    int k = (int)ml_int(est, "numFolds");
    if (ml_is_set(est, "foldCol"))
        return ml_fail(est->s, ML_EXC_IAE, "CrossValidator foldCol is not supported yet");
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    double *draw = malloc(sizeof *draw * ((size_t)f.n + 1));
    bool *in = malloc(sizeof *in * ((size_t)f.n + 1));
    lm_df **train = calloc((size_t)k, sizeof *train);
    lm_df **valid = calloc((size_t)k, sizeof *valid);
    lm_status rc = draw && in && train && valid ? LM_OK : lm_error_oom(&est->s->error);
    if (rc == LM_OK) {
        /* PartitionwiseSampledRDD: partition p's sampler is seeded with the
           p-th nextLong of java.util.Random(seed) */
        lm_jrandom jr;
        lm_jrandom_init(&jr, ml_int(est, "seed"));
        lm_xorshift xs;
        lm_xorshift_init(&xs, lm_jrandom_next_long(&jr));
        for (int64_t r = 0; r < f.n; r++)
            draw[r] = lm_xorshift_next_double(&xs);
    }
    for (int i = 0; rc == LM_OK && i < k; i++) {
        double lb = (double)i / k, ub = (double)(i + 1) / k;
        for (int64_t r = 0; r < f.n; r++)
            in[r] = draw[r] >= lb && draw[r] < ub;
        valid[i] = subset(&f, in, true);
        train[i] = valid[i] ? subset(&f, in, false) : NULL;
        if (train[i] == NULL)
            rc = LM_ERROR;
    }
    if (rc == LM_OK)
        rc = select_best(est, df, k, train, valid, model);
    for (int i = 0; train && valid && i < k; i++) {
        lm_df_free(train[i]);
        lm_df_free(valid[i]);
    }
    ml_frame_free(&f);
    free(draw);
    free(in);
    free(train);
    free(valid);
    return rc;
}

static lm_status tvs_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    double r = ml_num(est, "trainRatio");
    double w[2] = {r, 1.0 - r};
    lm_df *parts[2] = {NULL, NULL};
    lm_status rc = lm_df_random_split(df, 2, w, ml_int(est, "seed"), parts);
    if (rc == LM_OK)
        rc = select_best(est, df, 1, &parts[0], &parts[1], model);
    lm_df_free(parts[0]);
    lm_df_free(parts[1]);
    return rc;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    const tune_data *d = st->data;
    return lm_ml_transform(d->best, df);
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const tune_data *d = st->data;
    if (strcmp(name, "avgMetrics") == 0 || strcmp(name, "validationMetrics") == 0)
        return ml_attr_doubles(out, d->nmaps, d->avg);
    if (strcmp(name, "stdMetrics") == 0)
        return ml_attr_doubles(out, d->nmaps, d->std);
    if (strcmp(name, "bestIndex") == 0) {
        out->type = ML_A_INT;
        out->i = d->best_index;
        return true;
    }
    /* bestModel.<attr> reads the best model */
    if (strncmp(name, "bestModel.", 10) == 0 && d->best->kind->attr)
        return d->best->kind->attr(d->best, name + 10, out);
    return false;
}

lm_ml_stage *lm_ml_best_model(lm_ml_stage *tuned)
{
    if (tuned == NULL || tuned->data == NULL ||
        (strcmp(tuned->kind->name, "CrossValidatorModel") != 0 &&
         strcmp(tuned->kind->name, "TrainValidationSplitModel") != 0))
        return NULL;
    return ml_stage_ref(((tune_data *)tuned->data)->best);
}

const ml_kind ml_kind_cross_validator = {
    .name = "CrossValidator",
    .java_class = "org.apache.spark.ml.tuning.CrossValidator",
    .uid_prefix = "cv",
    .role = ML_ESTIMATOR,
    .params = k_cv_params,
    .nparams = NPARAMS(k_cv_params),
    .model_kind = "CrossValidatorModel",
    .fit = cv_fit,
};

const ml_kind ml_kind_cross_validator_model = {
    .name = "CrossValidatorModel",
    .java_class = "org.apache.spark.ml.tuning.CrossValidatorModel",
    .uid_prefix = "cv",
    .role = ML_MODEL,
    .params = k_cv_params,
    .nparams = NPARAMS(k_cv_params),
    .transform = transform,
    .free_data = tune_free,
    .attr = attr,
};

const ml_kind ml_kind_train_validation_split = {
    .name = "TrainValidationSplit",
    .java_class = "org.apache.spark.ml.tuning.TrainValidationSplit",
    .uid_prefix = "tvs",
    .role = ML_ESTIMATOR,
    .params = k_tvs_params,
    .nparams = NPARAMS(k_tvs_params),
    .model_kind = "TrainValidationSplitModel",
    .fit = tvs_fit,
};

const ml_kind ml_kind_train_validation_split_model = {
    .name = "TrainValidationSplitModel",
    .java_class = "org.apache.spark.ml.tuning.TrainValidationSplitModel",
    .uid_prefix = "tvs",
    .role = ML_MODEL,
    .params = k_tvs_params,
    .nparams = NPARAMS(k_tvs_params),
    .transform = transform,
    .free_data = tune_free,
    .attr = attr,
};
