/*
 * MLlib steps of job files: what a PySpark program does with pyspark.ml
 * between reading and writing, declared in YAML.
 *
 *   - random_split: {weights: [0.8, 0.2], seed: 42, into: [train, test]}
 *   - name: price_model                 # a PipelineModel, not a view
 *     from: train
 *     fit:                              # Pipeline(stages=[...]).fit(train)
 *       - StringIndexer: {inputCol: city, outputCol: city_idx}
 *       - VectorAssembler: {inputCols: [sqft, city_idx], outputCol: features}
 *       - LinearRegression: {labelCol: price, regParam: 0.1}
 *   - name: predictions
 *     from: test
 *     transform: price_model            # model.transform(test); or a list of
 *                                       # stages: Pipeline(...).fit(df).transform(df)
 *   - name: metrics                     # a view (metric STRING, value DOUBLE)
 *     evaluate:
 *       - RegressionEvaluator: {labelCol: price, metricName: rmse}
 *
 * Stages are pyspark.ml classes by name with their Params by Spark's names;
 * both are checked against the MLlib registry (ml/registry.c) while the
 * file loads, so a misspelt class or Param fails before anything runs, at
 * its line and column, with a suggestion. A Param value is checked against
 * the Param's type there too (a number for regParam, a list for
 * inputCols); its range is checked when the stage is built, as Spark's
 * validators do it, and reported at the value.
 *
 * Running goes through the public MLlib API (lm_ml_new, lm_ml_set_*,
 * lm_ml_fit, lm_ml_transform, lm_ml_evaluate, lm_df_random_split): a job
 * runs what a C program would. Fitted models live for the run of the job,
 * one slot per step.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "job/job_int.h"
#include "ml/ml.h"
#include "session/session.h"

const char *const job_ml_keys[] = {"random_split", "randomSplit", "fit",
                                   "transform",    "evaluate",    NULL};

static const char *const split_keys[] = {"weights", "seed", "into", NULL};

#define NLINE(n) ((int)(n)->start_mark.line + 1)
#define NCOL(n) ((int)(n)->start_mark.column + 1)

static const char *scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

static int seq_len(const yaml_node_t *n)
{
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static int map_len(const yaml_node_t *n)
{
    return (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

/* ------------------------------------------------------------- numbers */

/* A YAML or Java spelling of a double: 0.8, 1e-6, .nan, NaN, .inf,
   -Infinity. */
static bool parse_double(const char *s, double *out)
{
    if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, "NaN") == 0) {
        *out = NAN;
        return true;
    }
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 || strcmp(p, "Infinity") == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || isnan(d) || isinf(d))
        return false;
    *out = d;
    return true;
}

static bool parse_long(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno)
        return false;
    *out = v;
    return true;
}

/* YAML 1.1's spellings, as the rest of the job file reads booleans */
static bool is_true(const char *s)
{
    return strcmp(s, "true") == 0 || strcmp(s, "yes") == 0;
}

/* -------------------------------------------------------------- reading */

static const char *const role_names[] = {"a transformer", "an estimator", "a model",
                                         "an evaluator"};

/* The registry's class names usable in this place, for suggestions. */
static const char **class_names(job_loader *L, bool evaluators)
{
    int n = 0;
    while (ml_kind_at(n))
        n++;
    const char **v = lm_arena_calloc(&job_ld_job(L)->arena, (size_t)n + 1, sizeof *v);
    int k = 0;
    for (int i = 0; v && i < n; i++) {
        const ml_kind *kd = ml_kind_at(i);
        bool ev = kd->role == ML_EVALUATOR;
        if (kd->role != ML_MODEL && ev == evaluators && strcmp(kd->name, "Pipeline") != 0)
            v[k++] = kd->name;
    }
    return v;
}

static const char **param_names(job_loader *L, const ml_kind *kd)
{
    const char **v = lm_arena_calloc(&job_ld_job(L)->arena, (size_t)kd->nparams + 1, sizeof *v);
    for (int i = 0; v && i < kd->nparams; i++)
        v[i] = kd->params[i].name;
    return v;
}

/* One Param: its value checked against the Param's type. */
static bool read_param(job_loader *L, const ml_kind *kd, const yaml_node_t *k, const yaml_node_t *v,
                       job_ml_param *p)
{
    job *j = job_ld_job(L);
    char what[200];
    snprintf(what, sizeof what, "%s `%s`", kd->name, scalar(k));
    int idx = ml_param_index(kd, scalar(k));
    if (idx < 0) {
        const char **names = param_names(L, kd);
        if (names == NULL)
            return job_ld_fail(L, 0, 0, "out of memory"), false;
        job_ld_unknown(L, k, "param", kd->name, names);
        return false;
    }
    const ml_param_def *def = &kd->params[idx];
    if (!job_ld_text(L, k, &p->name, "a param name"))
        return false;
    p->line = NLINE(v);
    p->col = NCOL(v);
    bool list = def->type == ML_P_STRINGS || def->type == ML_P_DOUBLES;
    if (def->type == ML_P_STAGE || def->type == ML_P_STAGES || def->type == ML_P_GRID) {
        job_ld_fail(L, NLINE(k), NCOL(k),
                    "%s takes stages, which job files do not nest: list the stages under `fit:`",
                    what);
        return false;
    }
    if (list != (v->type == YAML_SEQUENCE_NODE)) {
        job_ld_fail(L, NLINE(v), NCOL(v), "%s must be %s, found %s", what,
                    list ? "a list ([a, b])" : "a scalar", job_ld_kind_name(v));
        return false;
    }
    p->is_list = list;
    p->nvalues = list ? seq_len(v) : 1;
    p->values = lm_arena_calloc(&j->arena, (size_t)p->nvalues + 1, sizeof *p->values);
    if (p->values == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    for (int i = 0; i < p->nvalues; i++) {
        const yaml_node_t *e = list ? job_ld_node(L, v->data.sequence.items.start[i]) : v;
        if (!job_ld_text(L, e, &p->values[i], what))
            return false;
        const char *s = p->values[i].s;
        double d;
        int64_t l;
        bool ok = true;
        const char *want = "";
        switch (def->type) {
        case ML_P_BOOL:
            ok = is_true(s) || strcmp(s, "false") == 0 || strcmp(s, "no") == 0;
            want = "true or false";
            break;
        case ML_P_INT:
            ok = parse_long(s, &l);
            want = "an integer";
            break;
        case ML_P_DOUBLE:
        case ML_P_DOUBLES:
            ok = parse_double(s, &d);
            want = "a number";
            break;
        default:
            break;
        }
        if (!ok) {
            job_ld_fail(L, p->values[i].line, p->values[i].col, "%s must be %s, got `%s`", what,
                        want, s);
            return false;
        }
    }
    return true;
}

/* One stage: `ClassName` or `ClassName: {param: value, ...}`. */
static bool read_stage(job_loader *L, const yaml_node_t *n, job_ml_stage *out, bool evaluator,
                       const char *where)
{
    job *j = job_ld_job(L);
    const yaml_node_t *cls = n, *params = NULL;
    if (n->type == YAML_MAPPING_NODE) {
        if (map_len(n) != 1) {
            job_ld_fail(L, NLINE(n), NCOL(n),
                        "a stage is one class and its params, `- LinearRegression: {maxIter: "
                        "10}`; found %d keys",
                        map_len(n));
            return false;
        }
        cls = job_ld_node(L, n->data.mapping.pairs.start[0].key);
        params = job_ld_node(L, n->data.mapping.pairs.start[0].value);
    } else if (n->type != YAML_SCALAR_NODE) {
        job_ld_fail(L, NLINE(n), NCOL(n),
                    "a stage is a class name with its params, `- StringIndexer: {inputCol: a, "
                    "outputCol: b}`; found %s",
                    job_ld_kind_name(n));
        return false;
    }
    if (!job_ld_text(L, cls, &out->cls, "a stage's class"))
        return false;
    const ml_kind *kd = ml_kind_find(out->cls.s);
    if (kd == NULL) {
        const char **names = class_names(L, evaluator);
        if (names == NULL)
            return job_ld_fail(L, 0, 0, "out of memory"), false;
        char what[100];
        snprintf(what, sizeof what, "`%s`", where);
        job_ld_unknown(L, cls, evaluator ? "evaluator" : "stage", what, names);
        return false;
    }
    if ((kd->role == ML_EVALUATOR) != evaluator || kd->role == ML_MODEL ||
        strcmp(kd->name, "Pipeline") == 0) {
        const char *hint = kd->role == ML_MODEL ? ": name its estimator, and fit it"
                           : strcmp(kd->name, "Pipeline") == 0
                               ? ": the list under `fit:` is the pipeline's stages"
                           : evaluator ? ": `evaluate` takes evaluators"
                                       : ": evaluators go under `evaluate`";
        job_ld_fail(L, out->cls.line, out->cls.col, "`%s` is %s, not allowed in `%s`%s", kd->name,
                    role_names[kd->role], where, hint);
        return false;
    }
    if (params == NULL || job_ld_is_null(params))
        return true;
    if (params->type != YAML_MAPPING_NODE) {
        job_ld_fail(L, NLINE(params), NCOL(params),
                    "the params of %s must be a mapping ({name: value, ...}), found %s", kd->name,
                    job_ld_kind_name(params));
        return false;
    }
    if (!job_ld_check_duplicates(L, params))
        return false;
    out->nparams = map_len(params);
    out->params = lm_arena_calloc(&j->arena, (size_t)out->nparams + 1, sizeof *out->params);
    if (out->params == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    for (int i = 0; i < out->nparams; i++) {
        yaml_node_pair_t *p = &params->data.mapping.pairs.start[i];
        if (!read_param(L, kd, job_ld_node(L, p->key), job_ld_node(L, p->value), &out->params[i]))
            return false;
    }
    return true;
}

/* A list of stages, or one stage written as a mapping. */
static bool read_stages(job_loader *L, const yaml_node_t *v, job_ml_step *ml, bool evaluator)
{
    job *j = job_ld_job(L);
    bool one = v->type == YAML_MAPPING_NODE;
    if (!one && v->type != YAML_SEQUENCE_NODE) {
        job_ld_fail(L, NLINE(v), NCOL(v), "`%s` takes a list of %s (`- %s: {...}`), found %s",
                    ml->key, evaluator ? "evaluators" : "stages",
                    evaluator ? "RegressionEvaluator" : "StringIndexer", job_ld_kind_name(v));
        return false;
    }
    ml->nstages = one ? 1 : seq_len(v);
    if (ml->nstages == 0) {
        job_ld_fail(L, NLINE(v), NCOL(v), "`%s` must not be an empty list", ml->key);
        return false;
    }
    ml->stages = lm_arena_calloc(&j->arena, (size_t)ml->nstages + 1, sizeof *ml->stages);
    if (ml->stages == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    for (int i = 0; i < ml->nstages; i++) {
        const yaml_node_t *e = one ? v : job_ld_node(L, v->data.sequence.items.start[i]);
        if (!read_stage(L, e, &ml->stages[i], evaluator, ml->key))
            return false;
    }
    return true;
}

static bool read_split(job_loader *L, const yaml_node_t *v, job_ml_step *ml)
{
    job *j = job_ld_job(L);
    if (v->type != YAML_MAPPING_NODE) {
        job_ld_fail(L, NLINE(v), NCOL(v),
                    "`%s` takes {weights: [0.8, 0.2], seed: 42, into: [train, test]}, found %s",
                    ml->key, job_ld_kind_name(v));
        return false;
    }
    if (!job_ld_check_duplicates(L, v))
        return false;
    const yaml_node_t *weights = NULL, *seed = NULL, *into = NULL;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = job_ld_node(L, p->key), *val = job_ld_node(L, p->value);
        if (strcmp(scalar(k), "weights") == 0)
            weights = val;
        else if (strcmp(scalar(k), "seed") == 0)
            seed = val;
        else if (strcmp(scalar(k), "into") == 0)
            into = val;
        else {
            job_ld_unknown(L, k, "key", "`random_split`", split_keys);
            return false;
        }
    }
    if (weights == NULL || seed == NULL || into == NULL) {
        job_ld_fail(L, ml->line, ml->col,
                    "`%s` needs `%s` (as in {weights: [0.8, 0.2], seed: 42, into: [train, "
                    "test]}%s)",
                    ml->key,
                    weights == NULL ? "weights"
                    : seed == NULL  ? "seed"
                                    : "into",
                    seed == NULL ? "; the seed keeps the split reproducible" : "");
        return false;
    }
    if (weights->type != YAML_SEQUENCE_NODE || seq_len(weights) == 0) {
        job_ld_fail(L, NLINE(weights), NCOL(weights), "`weights` must be a list of numbers");
        return false;
    }
    ml->nweights = seq_len(weights);
    ml->weights = lm_arena_calloc(&j->arena, (size_t)ml->nweights + 1, sizeof *ml->weights);
    if (ml->weights == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    for (int i = 0; i < ml->nweights; i++) {
        job_text t;
        const yaml_node_t *e = job_ld_node(L, weights->data.sequence.items.start[i]);
        if (!job_ld_text(L, e, &t, "a weight"))
            return false;
        if (!parse_double(t.s, &ml->weights[i]) || !(ml->weights[i] >= 0)) {
            job_ld_fail(L, t.line, t.col, "a weight must be a number >= 0, got `%s`", t.s);
            return false;
        }
    }
    job_text st;
    if (!job_ld_text(L, seed, &st, "`seed`"))
        return false;
    if (!parse_long(st.s, &ml->seed)) {
        job_ld_fail(L, st.line, st.col, "`seed` must be an integer (a Long), got `%s`", st.s);
        return false;
    }
    if (into->type != YAML_SEQUENCE_NODE || seq_len(into) != ml->nweights) {
        job_ld_fail(L, NLINE(into), NCOL(into),
                    "`into` must list a view name per weight (%d), as [train, test]", ml->nweights);
        return false;
    }
    ml->ninto = ml->nweights;
    ml->into = lm_arena_calloc(&j->arena, (size_t)ml->ninto + 1, sizeof *ml->into);
    if (ml->into == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    for (int i = 0; i < ml->ninto; i++) {
        const yaml_node_t *e = job_ld_node(L, into->data.sequence.items.start[i]);
        if (!job_ld_text(L, e, &ml->into[i], "a view name") ||
            !job_ld_claim_name(L, &ml->into[i], "view"))
            return false;
    }
    return true;
}

bool job_ml_read(job_loader *L, const yaml_node_t *k, const yaml_node_t *v, job_step *st)
{
    job *j = job_ld_job(L);
    job_ml_step *ml = lm_arena_calloc(&j->arena, 1, sizeof *ml);
    if (ml == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    st->ml = ml;
    ml->key = lm_arena_strdup(&j->arena, scalar(k));
    ml->line = NLINE(k);
    ml->col = NCOL(k);
    ml->model_step = -1;
    if (ml->key == NULL)
        return job_ld_fail(L, 0, 0, "out of memory"), false;
    if (strcmp(ml->key, "fit") == 0) {
        ml->kind = JOB_ML_FIT;
        return read_stages(L, v, ml, false);
    }
    if (strcmp(ml->key, "evaluate") == 0) {
        ml->kind = JOB_ML_EVALUATE;
        return read_stages(L, v, ml, true);
    }
    if (strcmp(ml->key, "transform") == 0) {
        ml->kind = JOB_ML_TRANSFORM;
        if (v->type == YAML_SCALAR_NODE)
            return job_ld_text(L, v, &ml->model, "`transform` (a fitted model's name)");
        return read_stages(L, v, ml, false);
    }
    ml->kind = JOB_ML_SPLIT;
    return read_split(L, v, ml);
}

bool job_step_has_view(const job_step *st)
{
    return st->ml == NULL || (st->ml->kind != JOB_ML_FIT && st->ml->kind != JOB_ML_SPLIT);
}

bool job_ml_check(job_loader *L, job_step *st)
{
    job *j = job_ld_job(L);
    job_ml_step *ml = st->ml;
    if (st->cache && !job_step_has_view(st)) {
        job_ld_fail(L, st->line, st->col, "a `%s` step has no view to cache", ml->key);
        return false;
    }
    switch (ml->kind) {
    case JOB_ML_SPLIT:
        if (st->name.s) {
            job_ld_fail(L, st->name.line, st->name.col,
                        "a `%s` step names its views with `into:`, not `name:`", ml->key);
            return false;
        }
        st->view = ml->into[0].s;
        return true;
    case JOB_ML_FIT:
        if (st->name.s == NULL) {
            job_ld_fail(L, st->line, st->col,
                        "a `fit` step needs a `name`: the model's, for `transform:` steps");
            return false;
        }
        return true;
    case JOB_ML_TRANSFORM:
        if (ml->model.s == NULL)
            return true;
        /* the model: a fit step before this one (steps[0 .. index-2]) */
        for (int i = st->index - 2; i >= 0; i--) {
            const job_step *p = &j->steps[i];
            if (p->ml && p->ml->kind == JOB_ML_FIT && strcasecmp(p->name.s, ml->model.s) == 0) {
                ml->model_step = i;
                return true;
            }
        }
        job_ld_fail(L, ml->model.line, ml->model.col,
                    "no model `%s`: `transform` names a `fit` step before it (or lists stages)",
                    ml->model.s);
        return false;
    case JOB_ML_EVALUATE:
        return true;
    }
    return true;
}

/* -------------------------------------------------------------- running */

typedef struct mlrun {
    lm_session *s;
    const job *j;
    const job_step *st;
    char where[200];
    char **err;
} mlrun;

static lm_status mfail(mlrun *R, int line, int col, const char *prefix, const char *msg)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, R->j->file);
    if (line > 0)
        lm_strbuf_printf(&sb, ":%d:%d", line, col);
    lm_strbuf_printf(&sb, ": %s: %s%s", R->where, prefix ? prefix : "",
                     msg && *msg ? msg : "failed");
    *R->err = lm_strbuf_detach(&sb);
    return LM_ERROR;
}

static lm_status engine_fail(mlrun *R, int line, int col, const char *prefix)
{
    return mfail(R, line, col, prefix, lm_errmsg(R->s));
}

/* A stage of the file, built with its Params; NULL after a message. */
static lm_ml_stage *build_stage(mlrun *R, const job_ml_stage *js)
{
    lm_ml_stage *stage = lm_ml_new(R->s, js->cls.s);
    if (stage == NULL) {
        engine_fail(R, js->cls.line, js->cls.col, NULL);
        return NULL;
    }
    for (int i = 0; i < js->nparams; i++) {
        const job_ml_param *p = &js->params[i];
        const ml_param_def *def = &stage->kind->params[ml_param_index(stage->kind, p->name.s)];
        lm_status rc = LM_OK;
        const char **strs = NULL;
        double *nums = NULL;
        switch (def->type) {
        case ML_P_BOOL:
            rc = lm_ml_set_bool(stage, p->name.s, is_true(p->values[0].s));
            break;
        case ML_P_INT: {
            int64_t l = 0;
            parse_long(p->values[0].s, &l);
            rc = lm_ml_set_int(stage, p->name.s, l);
            break;
        }
        case ML_P_DOUBLE: {
            double d = 0;
            parse_double(p->values[0].s, &d);
            rc = lm_ml_set_double(stage, p->name.s, d);
            break;
        }
        case ML_P_STRING:
            rc = lm_ml_set_string(stage, p->name.s, p->values[0].s);
            break;
        case ML_P_STRINGS:
            strs = calloc((size_t)p->nvalues + 1, sizeof *strs);
            for (int k = 0; strs && k < p->nvalues; k++)
                strs[k] = p->values[k].s;
            rc = strs ? lm_ml_set_strings(stage, p->name.s, p->nvalues, strs)
                      : lm_error_oom(&R->s->error);
            break;
        case ML_P_DOUBLES:
            nums = calloc((size_t)p->nvalues + 1, sizeof *nums);
            for (int k = 0; nums && k < p->nvalues; k++)
                parse_double(p->values[k].s, &nums[k]);
            rc = nums ? lm_ml_set_doubles(stage, p->name.s, p->nvalues, nums)
                      : lm_error_oom(&R->s->error);
            break;
        default:
            break;
        }
        free(strs);
        free(nums);
        if (rc != LM_OK) {
            engine_fail(R, p->line, p->col, NULL);
            lm_ml_free(stage);
            return NULL;
        }
    }
    return stage;
}

/* Pipeline(stages=[...]) of the step's stages; NULL after a message. */
static lm_ml_stage *build_pipeline(mlrun *R)
{
    const job_ml_step *ml = R->st->ml;
    lm_ml_stage **stages = calloc((size_t)ml->nstages + 1, sizeof *stages);
    lm_ml_stage *pipe = NULL;
    if (stages == NULL) {
        lm_error_oom(&R->s->error);
        engine_fail(R, ml->line, ml->col, NULL);
        return NULL;
    }
    int n = 0;
    for (; n < ml->nstages; n++)
        if ((stages[n] = build_stage(R, &ml->stages[n])) == NULL)
            break;
    if (n == ml->nstages) {
        pipe = lm_ml_new(R->s, "Pipeline");
        if (pipe == NULL || lm_ml_set_stages(pipe, "stages", n, stages) != LM_OK) {
            engine_fail(R, ml->line, ml->col, NULL);
            lm_ml_free(pipe);
            pipe = NULL;
        }
    }
    for (int i = 0; i < n; i++)
        lm_ml_free(stages[i]);
    free(stages);
    return pipe;
}

static lm_df *input_df(mlrun *R)
{
    lm_df *df = lm_read_table(R->s, R->st->input);
    if (df == NULL) {
        int line = R->st->from.s ? R->st->from.line : R->st->line;
        int col = R->st->from.s ? R->st->from.col : R->st->col;
        engine_fail(R, line, col, NULL);
    }
    return df;
}

static lm_status define_view(mlrun *R, lm_df *df, const char *name, int line, int col)
{
    if (lm_df_create_or_replace_temp_view(df, name) != LM_OK)
        return engine_fail(R, line, col, NULL);
    if (R->st->cache) {
        char sql[300];
        snprintf(sql, sizeof sql, "CACHE TABLE %s", name);
        lm_df *c = NULL;
        lm_status rc = lm_sql(R->s, sql, &c);
        lm_df_free(c);
        if (rc != LM_OK)
            return engine_fail(R, R->st->line, R->st->col, NULL);
    }
    return LM_OK;
}

static lm_status run_split(mlrun *R, lm_df *df)
{
    const job_ml_step *ml = R->st->ml;
    lm_df **parts = calloc((size_t)ml->nweights + 1, sizeof *parts);
    if (parts == NULL) {
        lm_error_oom(&R->s->error);
        return engine_fail(R, ml->line, ml->col, NULL);
    }
    lm_status rc = lm_df_random_split(df, ml->nweights, ml->weights, ml->seed, parts);
    if (rc != LM_OK)
        engine_fail(R, ml->line, ml->col, NULL);
    for (int i = 0; rc == LM_OK && i < ml->ninto; i++)
        rc = define_view(R, parts[i], ml->into[i].s, ml->into[i].line, ml->into[i].col);
    for (int i = 0; i < ml->nweights; i++)
        lm_df_free(parts[i]);
    free(parts);
    return rc;
}

static lm_status run_fit(mlrun *R, lm_df *df, lm_ml_stage **model)
{
    const job_ml_step *ml = R->st->ml;
    lm_ml_stage *pipe = build_pipeline(R);
    if (pipe == NULL)
        return LM_ERROR;
    *model = lm_ml_fit(pipe, df);
    lm_ml_free(pipe);
    return *model ? LM_OK : engine_fail(R, ml->line, ml->col, "fit: ");
}

static lm_status run_transform(mlrun *R, lm_df *df, lm_ml_stage **models)
{
    const job_ml_step *ml = R->st->ml;
    lm_ml_stage *model = NULL;
    if (ml->model.s) {
        model = models[ml->model_step];
        if (model == NULL)
            return mfail(R, ml->model.line, ml->model.col, NULL, "the model was not fitted");
        model = ml_stage_ref(model);
    } else if (run_fit(R, df, &model) != LM_OK) {
        return LM_ERROR;
    }
    lm_df *out = lm_ml_transform(model, df);
    lm_ml_free(model);
    if (out == NULL)
        return engine_fail(R, ml->line, ml->col, "transform: ");
    lm_status rc = define_view(R, out, R->st->view, R->st->line, R->st->col);
    lm_df_free(out);
    return rc;
}

/* The metrics as a view (metric STRING, value DOUBLE), a row per
   evaluator, in the order written. */
static lm_status run_evaluate(mlrun *R, lm_df *df)
{
    const job_ml_step *ml = R->st->ml;
    lm_ml_cell *cells = calloc((size_t)ml->nstages * 2 + 1, sizeof *cells);
    char **names = calloc((size_t)ml->nstages + 1, sizeof *names);
    lm_status rc = LM_OK;
    if (cells == NULL || names == NULL) {
        lm_error_oom(&R->s->error);
        rc = engine_fail(R, ml->line, ml->col, NULL);
    }
    for (int i = 0; rc == LM_OK && i < ml->nstages; i++) {
        lm_ml_stage *ev = build_stage(R, &ml->stages[i]);
        if (ev == NULL) {
            rc = LM_ERROR;
            break;
        }
        double v = 0;
        const char *metric = lm_ml_get_string(ev, "metricName");
        names[i] = strdup(metric ? metric : ml->stages[i].cls.s);
        if (names[i] == NULL)
            rc = engine_fail(R, ml->line, ml->col, NULL);
        else if (lm_ml_evaluate(ev, df, &v) != LM_OK)
            rc = engine_fail(R, ml->stages[i].cls.line, ml->stages[i].cls.col, NULL);
        lm_ml_free(ev);
        cells[2 * i].kind = LM_ML_STRING;
        cells[2 * i].s = names[i];
        cells[2 * i + 1].kind = LM_ML_DOUBLE;
        cells[2 * i + 1].d = v;
    }
    if (rc == LM_OK) {
        lm_df *out = lm_ml_create_dataframe(R->s, "metric, value", ml->nstages, 2, cells);
        rc = out ? define_view(R, out, R->st->view, R->st->line, R->st->col)
                 : engine_fail(R, ml->line, ml->col, NULL);
        lm_df_free(out);
    }
    for (int i = 0; names && i < ml->nstages; i++)
        free(names[i]);
    free(names);
    free(cells);
    return rc;
}

lm_status job_ml_run_step(lm_session *s, const job *j, int i, lm_ml_stage **models, char **err)
{
    mlrun R = {s, j, &j->steps[i], "", err};
    const job_step *st = &j->steps[i];
    if (st->name.s)
        snprintf(R.where, sizeof R.where, "step \"%s\"", st->name.s);
    else
        snprintf(R.where, sizeof R.where, "step %d", st->index);
    lm_df *df = input_df(&R);
    if (df == NULL)
        return LM_ERROR;
    lm_status rc = LM_OK;
    switch (st->ml->kind) {
    case JOB_ML_SPLIT:
        rc = run_split(&R, df);
        break;
    case JOB_ML_FIT:
        rc = run_fit(&R, df, &models[i]);
        break;
    case JOB_ML_TRANSFORM:
        rc = run_transform(&R, df, models);
        break;
    case JOB_ML_EVALUATE:
        rc = run_evaluate(&R, df);
        break;
    }
    lm_df_free(df);
    return rc;
}

void job_ml_free_models(const job *j, lm_ml_stage **models)
{
    for (int i = 0; models && i < j->nsteps; i++)
        lm_ml_free(models[i]);
}

/* -------------------------------------------------------------- PySpark */

/* The pyspark module of a class: org.apache.spark.ml.feature.X ->
   pyspark.ml.feature. */
static void py_module(lm_strbuf *sb, const ml_kind *kd)
{
    const char *jc = kd->java_class;
    const char *prefix = "org.apache.spark.ml";
    const char *dot = strrchr(jc, '.');
    lm_strbuf_puts(sb, "pyspark.ml");
    if (strncmp(jc, prefix, strlen(prefix)) == 0 && dot)
        lm_strbuf_append(sb, jc + strlen(prefix), (size_t)(dot - jc) - strlen(prefix));
}

static void py_value(lm_strbuf *sb, ml_ptype type, const char *v)
{
    double d;
    switch (type) {
    case ML_P_BOOL:
        lm_strbuf_puts(sb, is_true(v) ? "True" : "False");
        return;
    case ML_P_INT:
        lm_strbuf_puts(sb, v);
        return;
    case ML_P_DOUBLE:
    case ML_P_DOUBLES:
        parse_double(v, &d);
        if (isnan(d))
            lm_strbuf_puts(sb, "float(\"nan\")");
        else if (isinf(d))
            lm_strbuf_puts(sb, d > 0 ? "float(\"inf\")" : "float(\"-inf\")");
        else
            lm_strbuf_puts(sb, v);
        return;
    default:
        job_py_str(sb, v);
        return;
    }
}

static void py_stage(lm_strbuf *sb, const job_ml_stage *js)
{
    const ml_kind *kd = ml_kind_find(js->cls.s);
    lm_strbuf_printf(sb, "%s(", js->cls.s);
    for (int i = 0; kd && i < js->nparams; i++) {
        const job_ml_param *p = &js->params[i];
        ml_ptype type = kd->params[ml_param_index(kd, p->name.s)].type;
        lm_strbuf_printf(sb, "%s%s=", i ? ", " : "", p->name.s);
        if (p->is_list)
            lm_strbuf_putc(sb, '[');
        for (int k = 0; k < p->nvalues; k++) {
            if (k)
                lm_strbuf_puts(sb, ", ");
            py_value(sb, type, p->values[k].s);
        }
        if (p->is_list)
            lm_strbuf_putc(sb, ']');
    }
    lm_strbuf_putc(sb, ')');
}

static void py_pipeline(lm_strbuf *sb, const job_ml_step *ml)
{
    lm_strbuf_puts(sb, "Pipeline(stages=[");
    for (int i = 0; i < ml->nstages; i++) {
        lm_strbuf_puts(sb, "\n    ");
        py_stage(sb, &ml->stages[i]);
        lm_strbuf_putc(sb, ',');
    }
    lm_strbuf_puts(sb, "\n])");
}

void job_ml_pyspark_imports(const job *j, lm_strbuf *sb)
{
    bool any = false, pipeline = false;
    const char *seen[128];
    int nseen = 0;
    for (int i = 0; i < j->nsteps; i++) {
        const job_ml_step *ml = j->steps[i].ml;
        if (ml == NULL)
            continue;
        any = true;
        pipeline |= ml->kind == JOB_ML_FIT || (ml->kind == JOB_ML_TRANSFORM && !ml->model.s);
        for (int k = 0; k < ml->nstages; k++) {
            const char *c = ml->stages[k].cls.s;
            bool dup = false;
            for (int s = 0; s < nseen && !dup; s++)
                dup = strcmp(seen[s], c) == 0;
            if (dup || nseen == 128)
                continue;
            seen[nseen++] = c;
        }
    }
    if (!any)
        return;
    if (pipeline)
        lm_strbuf_puts(sb, "from pyspark.ml import Pipeline\n");
    for (int s = 0; s < nseen; s++) {
        const ml_kind *kd = ml_kind_find(seen[s]);
        if (kd == NULL)
            continue;
        lm_strbuf_puts(sb, "from ");
        py_module(sb, kd);
        lm_strbuf_printf(sb, " import %s\n", kd->name);
    }
}

void job_ml_to_pyspark(const job *j, int i, lm_strbuf *sb)
{
    const job_step *st = &j->steps[i];
    const job_ml_step *ml = st->ml;
    if (st->name.s)
        lm_strbuf_printf(sb, "\n# step \"%s\": %s over %s\n", st->name.s, ml->key, st->input);
    else
        lm_strbuf_printf(sb, "\n# step %d: %s over %s\n", st->index, ml->key, st->input);
    bool first_model = true;
    for (int k = 0; k < i; k++)
        if (j->steps[k].ml && j->steps[k].ml->kind == JOB_ML_FIT)
            first_model = false;
    switch (ml->kind) {
    case JOB_ML_SPLIT:
        lm_strbuf_puts(sb, "_parts = spark.table(");
        job_py_str(sb, st->input);
        lm_strbuf_puts(sb, ").randomSplit([");
        for (int k = 0; k < ml->nweights; k++) {
            /* the shortest text that reads back as the weight, as Python prints it */
            char w[40];
            for (int prec = 1; prec <= 17; prec++) {
                snprintf(w, sizeof w, "%.*g", prec, ml->weights[k]);
                if (strtod(w, NULL) == ml->weights[k])
                    break;
            }
            lm_strbuf_printf(sb, "%s%s%s", k ? ", " : "", w, strpbrk(w, ".en") ? "" : ".0");
        }
        lm_strbuf_printf(sb, "], seed=%lld)\n", (long long)ml->seed);
        for (int k = 0; k < ml->ninto; k++) {
            lm_strbuf_printf(sb, "_parts[%d].createOrReplaceTempView(", k);
            job_py_str(sb, ml->into[k].s);
            lm_strbuf_puts(sb, ")\n");
        }
        break;
    case JOB_ML_FIT:
        if (first_model)
            lm_strbuf_puts(sb, "models = {}\n");
        lm_strbuf_puts(sb, "models[");
        job_py_str(sb, st->name.s);
        lm_strbuf_puts(sb, "] = ");
        py_pipeline(sb, ml);
        lm_strbuf_puts(sb, ".fit(spark.table(");
        job_py_str(sb, st->input);
        lm_strbuf_puts(sb, "))\n");
        break;
    case JOB_ML_TRANSFORM:
        if (ml->model.s) {
            lm_strbuf_puts(sb, "models[");
            job_py_str(sb, j->steps[ml->model_step].name.s);
            lm_strbuf_puts(sb, "]");
        } else {
            py_pipeline(sb, ml);
            lm_strbuf_puts(sb, ".fit(spark.table(");
            job_py_str(sb, st->input);
            lm_strbuf_puts(sb, "))");
        }
        lm_strbuf_puts(sb, ".transform(spark.table(");
        job_py_str(sb, st->input);
        lm_strbuf_puts(sb, ")).createOrReplaceTempView(");
        job_py_str(sb, st->view);
        lm_strbuf_puts(sb, ")\n");
        break;
    case JOB_ML_EVALUATE:
        lm_strbuf_puts(sb, "_df = spark.table(");
        job_py_str(sb, st->input);
        lm_strbuf_puts(sb, ")\n_evaluators = [");
        for (int k = 0; k < ml->nstages; k++) {
            lm_strbuf_puts(sb, "\n    ");
            py_stage(sb, &ml->stages[k]);
            lm_strbuf_putc(sb, ',');
        }
        lm_strbuf_puts(sb,
                       "\n]\nspark.createDataFrame([(e.getMetricName(), float(e.evaluate(_df))) "
                       "for e in _evaluators],\n                      \"metric STRING, value "
                       "DOUBLE\").createOrReplaceTempView(");
        job_py_str(sb, st->view);
        lm_strbuf_puts(sb, ")\n");
        break;
    }
}
