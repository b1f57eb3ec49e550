/*
 * Evaluators: RegressionEvaluator, BinaryClassificationEvaluator and
 * MulticlassClassificationEvaluator, computing what Spark's
 * RegressionMetrics, BinaryClassificationMetrics and MulticlassMetrics
 * compute:
 *  - regression: rmse (default), mse, r2, mae, var, weighted;
 *  - binary: areaUnderROC (default) and areaUnderPR by the trapezoidal
 *    rule over the curves Spark builds: scores (rawPrediction[1], or the
 *    column itself when numeric) sorted descending, equal scores merged,
 *    distinct scores grouped into numBins bins when there are at least
 *    2 * numBins of them (each bin keeps its last score); ROC runs from
 *    (0, 0) to (1, 1), PR starts at (0, precision of the first point);
 *    precision with no predicted positives is 1;
 *  - multiclass: f1 (default, weighted F-measure), accuracy,
 *    weightedPrecision, weightedRecall, weightedTruePositiveRate,
 *    weightedFalsePositiveRate, weightedFMeasure (beta), hammingLoss,
 *    weighted by label frequency over the labels present in the label
 *    column; a class never predicted has precision 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

/* Reads (score/prediction, label, weight) columns into arrays. */
typedef struct triples {
    int64_t n;
    double *p, *y, *w;
} triples;

static void triples_free(triples *t)
{
    free(t->p);
    free(t->y);
    free(t->w);
}

static lm_status load_triples(lm_ml_stage *ev, lm_df *df, const char *pcol, bool raw, triples *t)
{
    lm_session *s = ev->s;
    memset(t, 0, sizeof *t);
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return LM_ERROR;
    const char *wname = ml_is_set(ev, "weightCol") ? ml_str(ev, "weightCol") : NULL;
    int pc = ml_frame_col(&f, pcol);
    int lc = pc >= 0 ? ml_frame_col_numeric(&f, ml_str(ev, "labelCol")) : -1;
    int wc = lc >= 0 && wname ? ml_frame_col_numeric(&f, wname) : -1;
    lm_status rc = pc < 0 || lc < 0 || (wname && wc < 0) ? LM_ERROR : LM_OK;
    if (rc == LM_OK && !lm_type_is_numeric(ml_frame_type(&f, pc)) &&
        !(raw && ml_is_vector_type(ml_frame_type(&f, pc))))
        rc = ml_fail(s, ML_EXC_IAE, "requirement failed: Column %s must be of type numeric%s.",
                     pcol, raw ? " or vector" : "");
    t->p = malloc(sizeof(double) * ((size_t)f.n + 1));
    t->y = malloc(sizeof(double) * ((size_t)f.n + 1));
    t->w = malloc(sizeof(double) * ((size_t)f.n + 1));
    if (rc == LM_OK && (!t->p || !t->y || !t->w))
        rc = lm_error_oom(&s->error);
    lm_arena a;
    lm_arena_init(&a, 1024);
    for (int64_t r = 0; rc == LM_OK && r < f.n; r++) {
        double p, y, w = 1.0;
        const lm_value *pv = ml_frame_cell(&f, r, pc);
        if (ml_is_vector_type(ml_frame_type(&f, pc))) {
            ml_vec v;
            if (pv->is_null)
                continue;
            if (!ml_vec_decode(&a, pv, &v)) {
                rc = lm_error_oom(&s->error);
                break;
            }
            double x[2] = {0, 0};
            if (v.size != 2) {
                rc = ml_fail(s, ML_EXC_IAE,
                             "BinaryClassificationEvaluator: rawPrediction vectors must have "
                             "size 2, got %d",
                             v.size);
                break;
            }
            ml_vec_to_dense(&v, x);
            p = x[1];
            lm_arena_free(&a);
        } else if (!ml_cell_double(ml_frame_type(&f, pc), pv, &p)) {
            continue;
        }
        if (!ml_cell_double(ml_frame_type(&f, lc), ml_frame_cell(&f, r, lc), &y))
            continue;
        if (wc >= 0 && !ml_cell_double(ml_frame_type(&f, wc), ml_frame_cell(&f, r, wc), &w))
            continue;
        t->p[t->n] = p;
        t->y[t->n] = y;
        t->w[t->n++] = w;
    }
    lm_arena_free(&a);
    ml_frame_free(&f);
    if (rc != LM_OK)
        triples_free(t);
    return rc;
}

/* ------------------------------------------------------------ regression */

static const ml_param_def k_reg_params[] = {
    P_CHOICE("metricName", "rmse", "rmse|mse|r2|mae|var"),
    P_STR("labelCol", "label"),
    P_STR("predictionCol", "prediction"),
    P_STR_NODEF("weightCol"),
    P_BOOL("throughOrigin", 0),
};

static lm_status reg_eval(lm_ml_stage *ev, lm_df *df, double *out)
{
    triples t;
    if (load_triples(ev, df, ml_str(ev, "predictionCol"), false, &t) != LM_OK)
        return LM_ERROR;
    ml_reg_metrics m;
    ml_regression_metrics(t.n, t.p, t.y, t.w, ml_bool(ev, "throughOrigin"), &m);
    triples_free(&t);
    const char *name = ml_str(ev, "metricName");
    *out = strcmp(name, "mse") == 0   ? m.mse
           : strcmp(name, "r2") == 0  ? m.r2
           : strcmp(name, "mae") == 0 ? m.mae
           : strcmp(name, "var") == 0 ? m.var
                                      : m.rmse;
    return LM_OK;
}

static bool reg_larger(const lm_ml_stage *ev)
{
    const char *name = ml_str(ev, "metricName");
    return strcmp(name, "r2") == 0 || strcmp(name, "var") == 0;
}

const ml_kind ml_kind_regression_evaluator = {
    .name = "RegressionEvaluator",
    .java_class = "org.apache.spark.ml.evaluation.RegressionEvaluator",
    .uid_prefix = "regEval",
    .role = ML_EVALUATOR,
    .params = k_reg_params,
    .nparams = NPARAMS(k_reg_params),
    .evaluate = reg_eval,
    .larger_better = reg_larger,
};

/* ------------------------------------------------------------ binary */

static const ml_param_def k_bin_params[] = {
    P_CHOICE("metricName", "areaUnderROC", "areaUnderROC|areaUnderPR"),
    P_STR("labelCol", "label"),
    P_STR("rawPredictionCol", "rawPrediction"),
    P_STR_NODEF("weightCol"),
    P_INT("numBins", 1000, ML_R_GE, 0, 0),
};

typedef struct scored {
    double score, pos, neg;
} scored;

static int by_score_desc(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    double x = ((const scored *)a)->score, y = ((const scored *)b)->score;
    return x > y ? -1 : x < y;
}

static lm_status bin_eval(lm_ml_stage *ev, lm_df *df, double *out)
{
    lm_session *s = ev->s;
    triples t;
    if (load_triples(ev, df, ml_str(ev, "rawPredictionCol"), true, &t) != LM_OK)
        return LM_ERROR;
    scored *sc = malloc(sizeof *sc * ((size_t)t.n + 1));
    if (sc == NULL) {
        triples_free(&t);
        return lm_error_oom(&s->error);
    }
    for (int64_t i = 0; i < t.n; i++) {
        sc[i].score = t.p[i];
        sc[i].pos = t.y[i] > 0.5 ? t.w[i] : 0.0;
        sc[i].neg = t.y[i] > 0.5 ? 0.0 : t.w[i];
    }
    ml_sort(sc, (size_t)t.n, sizeof *sc, by_score_desc, NULL);
    /* merge equal scores */
    int64_t u = 0;
    for (int64_t i = 0; i < t.n; i++) {
        if (u > 0 && sc[u - 1].score == sc[i].score) {
            sc[u - 1].pos += sc[i].pos;
            sc[u - 1].neg += sc[i].neg;
        } else {
            sc[u++] = sc[i];
        }
    }
    /* numBins down-sampling */
    int64_t bins = ml_int(ev, "numBins");
    int64_t grouping = bins > 0 ? u / bins : 0;
    if (grouping >= 2) {
        int64_t k = 0;
        for (int64_t i = 0; i < u; i += grouping) {
            scored g = {0, 0, 0};
            for (int64_t j = i; j < u && j < i + grouping; j++) {
                g.score = sc[j].score;
                g.pos += sc[j].pos;
                g.neg += sc[j].neg;
            }
            sc[k++] = g;
        }
        u = k;
    }
    double P = 0, N = 0;
    for (int64_t i = 0; i < u; i++) {
        P += sc[i].pos;
        N += sc[i].neg;
    }
    bool roc = strcmp(ml_str(ev, "metricName"), "areaUnderROC") == 0;
    double area = 0, tp = 0, fp = 0;
    double px, py;
    if (roc) {
        px = 0;
        py = 0;
    } else {
        px = 0;
        py = u > 0 && sc[0].pos + sc[0].neg > 0 ? sc[0].pos / (sc[0].pos + sc[0].neg) : 1.0;
    }
    for (int64_t i = 0; i < u; i++) {
        tp += sc[i].pos;
        fp += sc[i].neg;
        double x, y;
        if (roc) {
            x = N > 0 ? fp / N : 0.0;
            y = P > 0 ? tp / P : 0.0;
        } else {
            x = P > 0 ? tp / P : 0.0;
            y = tp + fp > 0 ? tp / (tp + fp) : 1.0;
        }
        area += (x - px) * (y + py) / 2.0;
        px = x;
        py = y;
    }
    if (roc)
        area += (1.0 - px) * (1.0 + py) / 2.0;
    free(sc);
    triples_free(&t);
    *out = area;
    return LM_OK;
}

static bool always_larger(const lm_ml_stage *ev)
{
    return true;
}

const ml_kind ml_kind_binary_classification_evaluator = {
    .name = "BinaryClassificationEvaluator",
    .java_class = "org.apache.spark.ml.evaluation.BinaryClassificationEvaluator",
    .uid_prefix = "binEval",
    .role = ML_EVALUATOR,
    .params = k_bin_params,
    .nparams = NPARAMS(k_bin_params),
    .evaluate = bin_eval,
    .larger_better = always_larger,
};

/* ------------------------------------------------------------ multiclass */

static const ml_param_def k_mc_params[] = {
    P_CHOICE("metricName", "f1",
             "f1|accuracy|weightedPrecision|weightedRecall|weightedTruePositiveRate|"
             "weightedFalsePositiveRate|weightedFMeasure|truePositiveRateByLabel|"
             "falsePositiveRateByLabel|precisionByLabel|recallByLabel|fMeasureByLabel|"
             "hammingLoss"),
    P_STR("labelCol", "label"),
    P_STR("predictionCol", "prediction"),
    P_STR_NODEF("weightCol"),
    P_DBL("metricLabel", 0.0, ML_R_GE, 0, 0),
    P_DBL("beta", 1.0, ML_R_GT, 0, 0),
};

typedef struct cls {
    double label, count, tp, fp;
} cls;

static int by_label(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    double x = ((const cls *)a)->label, y = ((const cls *)b)->label;
    return x < y ? -1 : x > y;
}

static lm_status mc_eval(lm_ml_stage *ev, lm_df *df, double *out)
{
    lm_session *s = ev->s;
    triples t;
    if (load_triples(ev, df, ml_str(ev, "predictionCol"), false, &t) != LM_OK)
        return LM_ERROR;
    cls *c = calloc((size_t)t.n + 1, sizeof *c);
    if (c == NULL) {
        triples_free(&t);
        return lm_error_oom(&s->error);
    }
    int nc = 0;
    double total = 0, correct = 0;
    for (int64_t i = 0; i < t.n; i++) {
        int k = 0;
        while (k < nc && c[k].label != t.y[i])
            k++;
        if (k == nc)
            c[nc++].label = t.y[i];
        c[k].count += t.w[i];
        total += t.w[i];
        if (t.p[i] == t.y[i]) {
            c[k].tp += t.w[i];
            correct += t.w[i];
        }
    }
    for (int64_t i = 0; i < t.n; i++)
        if (t.p[i] != t.y[i])
            for (int k = 0; k < nc; k++)
                if (c[k].label == t.p[i])
                    c[k].fp += t.w[i];
    ml_sort(c, (size_t)nc, sizeof *c, by_label, NULL);
    const char *name = ml_str(ev, "metricName");
    double beta = ml_num(ev, "beta"), b2 = beta * beta;
    double wp = 0, wr = 0, wf = 0, wfpr = 0;
    double metric_label = ml_num(ev, "metricLabel");
    double by_label_v[5] = {0, 0, 0, 0, 0}; /* tpr, fpr, precision, recall, f */
    for (int k = 0; k < nc; k++) {
        double p = c[k].tp + c[k].fp > 0 ? c[k].tp / (c[k].tp + c[k].fp) : 0.0;
        double r = c[k].count > 0 ? c[k].tp / c[k].count : 0.0;
        double f = p + r > 0 ? (1 + b2) * p * r / (b2 * p + r) : 0.0;
        double fpr = total - c[k].count > 0 ? c[k].fp / (total - c[k].count) : 0.0;
        double share = c[k].count / total;
        wp += p * share;
        wr += r * share;
        wf += f * share;
        wfpr += fpr * share;
        if (c[k].label == metric_label) {
            by_label_v[0] = r;
            by_label_v[1] = fpr;
            by_label_v[2] = p;
            by_label_v[3] = r;
            by_label_v[4] = f;
        }
    }
    if (strcmp(name, "accuracy") == 0)
        *out = correct / total;
    else if (strcmp(name, "hammingLoss") == 0)
        *out = 1.0 - correct / total;
    else if (strcmp(name, "weightedPrecision") == 0)
        *out = wp;
    else if (strcmp(name, "weightedRecall") == 0 || strcmp(name, "weightedTruePositiveRate") == 0)
        *out = wr;
    else if (strcmp(name, "weightedFalsePositiveRate") == 0)
        *out = wfpr;
    else if (strcmp(name, "truePositiveRateByLabel") == 0)
        *out = by_label_v[0];
    else if (strcmp(name, "falsePositiveRateByLabel") == 0)
        *out = by_label_v[1];
    else if (strcmp(name, "precisionByLabel") == 0)
        *out = by_label_v[2];
    else if (strcmp(name, "recallByLabel") == 0)
        *out = by_label_v[3];
    else if (strcmp(name, "fMeasureByLabel") == 0)
        *out = by_label_v[4];
    else
        *out = wf;
    free(c);
    triples_free(&t);
    return LM_OK;
}

static bool mc_larger(const lm_ml_stage *ev)
{
    const char *name = ml_str(ev, "metricName");
    return strcmp(name, "weightedFalsePositiveRate") != 0 &&
           strcmp(name, "falsePositiveRateByLabel") != 0 && strcmp(name, "hammingLoss") != 0;
}

const ml_kind ml_kind_multiclass_classification_evaluator = {
    .name = "MulticlassClassificationEvaluator",
    .java_class = "org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator",
    .uid_prefix = "mcEval",
    .role = ML_EVALUATOR,
    .params = k_mc_params,
    .nparams = NPARAMS(k_mc_params),
    .evaluate = mc_eval,
    .larger_better = mc_larger,
};
