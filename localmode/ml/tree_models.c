/*
 * DecisionTreeClassifier, DecisionTreeRegressor and RandomForestClassifier
 * with their models, over the learner of tree.c.
 *  - classifiers: rawPrediction is the leaf's weighted class counts (a
 *    forest sums each tree's normalised counts), probability their
 *    normalisation, prediction the most probable class (first on ties,
 *    scaled by thresholds when set);
 *  - the regressor predicts the leaf's weighted mean label;
 *  - featureSubsetStrategy "auto" is "all" for one tree and "sqrt" for a
 *    classification forest, as Spark's; "sqrt", "log2", "onethird", "all",
 *    an integer count or a fraction in (0, 1] are accepted.
 * Default seeds are Spark's (the class name's hashCode).
 * Categorical features come from the features column's ML attributes
 * (MetadataUtils.getCategoricalFeatures): nominal attributes with their
 * number of values, binary ones with 2; tree.c splits them by category.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"
#include "ml/tree.h"

#define TREE_PARAMS                                                                                \
    P_STR("featuresCol", "features"), P_STR("labelCol", "label"),                                  \
        P_STR("predictionCol", "prediction"), P_INT("maxDepth", 5, ML_R_GE | ML_R_LE, 0, 30),      \
        P_INT("maxBins", 32, ML_R_GE, 2, 0), P_INT("minInstancesPerNode", 1, ML_R_GE, 1, 0),       \
        P_DBL("minWeightFractionPerNode", 0.0, ML_R_GE | ML_R_LT, 0, 0.5),                         \
        P_DBL("minInfoGain", 0.0, ML_R_GE, 0, 0), P_INT("maxMemoryInMB", 256, ML_R_GT, 0, 0),      \
        P_BOOL("cacheNodeIds", 0), P_INT("checkpointInterval", 10, ML_R_GE, -1, 0),                \
        P_STR_NODEF("weightCol"), P_STR("leafCol", "")

static const ml_param_def k_dtc_params[] = {
    TREE_PARAMS,
    P_STR("probabilityCol", "probability"),
    P_STR("rawPredictionCol", "rawPrediction"),
    P_CHOICE("impurity", "gini", "gini|entropy"),
    P_INT("seed", 159147643, ML_R_NONE, 0, 0),
    P_DBLS_R("thresholds", ML_R_GE, 0, 0),
};

static const ml_param_def k_dtr_params[] = {
    TREE_PARAMS,
    P_CHOICE("impurity", "variance", "variance"),
    P_INT("seed", 926680331, ML_R_NONE, 0, 0),
    P_STR_NODEF("varianceCol"),
};

static const ml_param_def k_rfc_params[] = {
    TREE_PARAMS,
    P_STR("probabilityCol", "probability"),
    P_STR("rawPredictionCol", "rawPrediction"),
    P_CHOICE("impurity", "gini", "gini|entropy"),
    P_INT("seed", 207336481, ML_R_NONE, 0, 0),
    P_DBLS_R("thresholds", ML_R_GE, 0, 0),
    P_INT("numTrees", 20, ML_R_GE, 1, 0),
    P_STR("featureSubsetStrategy", "auto"),
    P_DBL("subsamplingRate", 1.0, ML_R_GT | ML_R_LE, 0, 1),
    P_BOOL("bootstrap", 1),
};

typedef struct forest {
    int ntrees, d, k; /* k: classes, 0 for regression */
    ml_tree **trees;
    double *importances;
} forest;

static void forest_free(void *p)
{
    forest *f = p;
    if (f == NULL)
        return;
    for (int t = 0; t < f->ntrees; t++)
        ml_tree_free(f->trees[t]);
    free(f->trees);
    free(f->importances);
    free(f);
}

/* Features per node for a strategy, or -1 when invalid. */
static int features_per_node(const char *strategy, int d, int ntrees, bool classification)
{
    if (strcmp(strategy, "auto") == 0)
        strategy = ntrees == 1 ? "all" : classification ? "sqrt" : "onethird";
    if (strcmp(strategy, "all") == 0)
        return d;
    if (strcmp(strategy, "sqrt") == 0)
        return (int)ceil(sqrt((double)d));
    if (strcmp(strategy, "log2") == 0) {
        int v = (int)ceil(log((double)d) / log(2.0));
        return v > 1 ? v : 1;
    }
    if (strcmp(strategy, "onethird") == 0)
        return (int)ceil(d / 3.0);
    char *end;
    double v = strtod(strategy, &end);
    if (*end != '\0' || !(v > 0))
        return -1;
    if (strchr(strategy, '.') != NULL) {
        if (v > 1.0)
            return -1;
        return (int)ceil(v * d);
    }
    return v > d ? d : (int)v;
}

/* categoricalFeaturesInfo of the features column into ncat[0..d), with
   Spark's checks (a nominal attribute needs its number of values; no
   feature may have more categories than min(maxBins, rows)). *any tells
   whether some feature is categorical. */
static lm_status categorical_info(lm_ml_stage *est, lm_df *df, const ml_instances *in, int *ncat,
                                  bool *any)
{
    *any = false;
    memset(ncat, 0, sizeof *ncat * (size_t)in->d);
    const lm_type *sch = ml_df_schema(df);
    const char *col = ml_str(est, "featuresCol");
    int c = -1;
    for (int i = 0; i < sch->nfields && c < 0; i++)
        if (strcmp(sch->fields[i].name, col) == 0)
            c = i;
    if (c < 0)
        return LM_OK;
    lm_arena a;
    lm_arena_init(&a, 4096);
    ml_attribute *at;
    int n = ml_attr_group_from_field(&a, &sch->fields[c], &at);
    int max_cat = 0, max_f = -1;
    for (int i = 0; at != NULL && i < n && i < in->d; i++) {
        int k = ml_attr_num_values(&at[i]);
        if (k < 0) {
            lm_arena_free(&a);
            return ml_fail(est->s, ML_EXC_IAE,
                           "Feature %d is marked as Nominal (categorical), but it does not have "
                           "the number of values specified.",
                           i);
        }
        if (at[i].kind == ML_AT_NOMINAL || at[i].kind == ML_AT_BINARY) {
            ncat[i] = k > 0 ? k : 1;
            *any = true;
            if (ncat[i] > max_cat) {
                max_cat = ncat[i];
                max_f = i;
            }
        }
    }
    lm_arena_free(&a);
    int64_t mb = ml_int(est, "maxBins");
    int64_t max_possible = mb < in->n ? mb : in->n;
    if (*any && max_cat > max_possible)
        return ml_fail(est->s, ML_EXC_IAE,
                       "requirement failed: DecisionTree requires maxBins (= %lld) to be at least "
                       "as large as the number of values in each categorical feature, but "
                       "categorical feature %d has %d values. Considering remove this and other "
                       "categorical features with a large number of values, or add more training "
                       "examples.",
                       (long long)max_possible, max_f, max_cat);
    return LM_OK;
}

static lm_status fit_forest(lm_ml_stage *est, lm_df *df, lm_ml_stage *model, bool classification,
                            int ntrees, const char *strategy)
{
    lm_session *s = est->s;
    ml_instances in;
    if (ml_instances_load(est, df, ml_str(est, "labelCol"),
                          ml_is_set(est, "weightCol") ? ml_str(est, "weightCol") : NULL,
                          ml_str(est, "featuresCol"), &in) != LM_OK)
        return LM_ERROR;
    int k = 0;
    for (int64_t r = 0; classification && r < in.n; r++) {
        if (in.y[r] < 0 || in.y[r] != floor(in.y[r])) {
            ml_instances_free(&in);
            return ml_fail(s, ML_EXC_IAE,
                           "requirement failed: Classifier found an invalid label %g: labels "
                           "must be integers in range [0, numClasses).",
                           in.y[r]);
        }
        if ((int)in.y[r] + 1 > k)
            k = (int)in.y[r] + 1;
    }
    if (classification && k < 2)
        k = 2;
    int fpn = features_per_node(strategy, in.d, ntrees, classification);
    if (fpn < 0) {
        ml_instances_free(&in);
        return ml_fail(s, ML_EXC_IAE, "%s parameter featureSubsetStrategy given invalid value %s.",
                       est->uid, strategy);
    }
    const char *imp = ml_str(est, "impurity");
    ml_tree_opts o = {
        .impurity = !classification               ? ML_IMP_VARIANCE
                    : strcmp(imp, "entropy") == 0 ? ML_IMP_ENTROPY
                                                  : ML_IMP_GINI,
        .nclasses = k,
        .max_depth = (int)ml_int(est, "maxDepth"),
        .max_bins = (int)ml_int(est, "maxBins"),
        .min_instances = (int)ml_int(est, "minInstancesPerNode"),
        .min_weight_fraction = ml_num(est, "minWeightFractionPerNode"),
        .min_info_gain = ml_num(est, "minInfoGain"),
        .features_per_node = fpn,
        .bootstrap =
            ml_param_index(est->kind, "bootstrap") >= 0 ? ml_bool(est, "bootstrap") : false,
        .subsampling_rate = ml_param_index(est->kind, "subsamplingRate") >= 0
                                ? ml_num(est, "subsamplingRate")
                                : 1.0,
        .seed = ml_int(est, "seed"),
    };
    int *ncat = calloc((size_t)in.d + 1, sizeof *ncat);
    bool any = false;
    if (ncat == NULL) {
        ml_instances_free(&in);
        return lm_error_oom(&s->error);
    }
    if (categorical_info(est, df, &in, ncat, &any) != LM_OK) {
        free(ncat);
        ml_instances_free(&in);
        return LM_ERROR;
    }
    o.ncat = any ? ncat : NULL;
    forest *f = calloc(1, sizeof *f);
    lm_status rc = f ? LM_OK : lm_error_oom(&s->error);
    if (rc == LM_OK)
        rc = ml_forest_train(s, &in, &o, ntrees, &f->trees);
    free(ncat);
    if (rc == LM_OK) {
        f->ntrees = ntrees;
        f->d = in.d;
        f->k = classification ? k : 0;
        f->importances = calloc((size_t)in.d + 1, sizeof *f->importances);
        if (f->importances == NULL)
            rc = lm_error_oom(&s->error);
        else
            ml_forest_importances(f->trees, ntrees, in.d, f->importances);
    }
    ml_instances_free(&in);
    if (rc != LM_OK) {
        forest_free(f);
        return rc;
    }
    model->data = f;
    return LM_OK;
}

static lm_status dtc_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    return fit_forest(est, df, model, true, 1, "all");
}

static lm_status dtr_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    return fit_forest(est, df, model, false, 1, "all");
}

static lm_status rfc_fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    return fit_forest(est, df, model, true, (int)ml_int(est, "numTrees"),
                      ml_str(est, "featureSubsetStrategy"));
}

static double *dense_of(const forest *f, const ml_vec *x, lm_arena *a)
{
    double *xd = lm_arena_alloc(a, sizeof *xd * ((size_t)f->d + 1));
    if (xd)
        ml_vec_to_dense(x, xd);
    return xd;
}

static lm_status classify(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const forest *f = st->data;
    if (x->size != f->d)
        return ml_fail(st->s, ML_EXC_IAE, "the model has %d features, the vector %d", f->d,
                       x->size);
    double *xd = dense_of(f, x, a);
    double *raw = lm_arena_calloc(a, (size_t)f->k + 1, sizeof *raw);
    double *prob = lm_arena_alloc(a, sizeof *prob * ((size_t)f->k + 1));
    if (!xd || !raw || !prob)
        return LM_ENOMEM;
    for (int t = 0; t < f->ntrees; t++) {
        const ml_tree_node *leaf = &f->trees[t]->nodes[ml_tree_leaf(f->trees[t], xd)];
        double tot = 0;
        for (int c = 0; c < f->k; c++)
            tot += leaf->stats[c];
        for (int c = 0; c < f->k; c++)
            raw[c] += f->ntrees == 1 ? leaf->stats[c] : (tot > 0 ? leaf->stats[c] / tot : 0);
    }
    double sum = 0;
    for (int c = 0; c < f->k; c++)
        sum += raw[c];
    for (int c = 0; c < f->k; c++)
        prob[c] = sum > 0 ? raw[c] / sum : 0;
    double *thr;
    int nthr = ml_nums(st, "thresholds", &thr);
    int best = 0;
    for (int c = 1; c < f->k; c++) {
        double sc = nthr == f->k ? prob[c] / thr[c] : prob[c];
        double sb = nthr == f->k ? prob[best] / thr[best] : prob[best];
        if (sc > sb)
            best = c;
    }
    if (!ml_dense_value(a, f->k, raw, &out[0]) || !ml_dense_value(a, f->k, prob, &out[1]))
        return LM_ENOMEM;
    out[2] = lm_value_f64(best);
    return LM_OK;
}

static lm_status regress(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const forest *f = st->data;
    if (x->size != f->d)
        return ml_fail(st->s, ML_EXC_IAE, "the model has %d features, the vector %d", f->d,
                       x->size);
    double *xd = dense_of(f, x, a);
    if (xd == NULL)
        return LM_ENOMEM;
    double p = 0;
    for (int t = 0; t < f->ntrees; t++)
        p += f->trees[t]->nodes[ml_tree_leaf(f->trees[t], xd)].prediction;
    out[0] = lm_value_f64(p / f->ntrees);
    return LM_OK;
}

static lm_df *classifier_transform(lm_ml_stage *st, lm_df *df)
{
    const char *names[3] = {ml_str(st, "rawPredictionCol"), ml_str(st, "probabilityCol"),
                            ml_str(st, "predictionCol")};
    lm_type *vt = ml_vector_type();
    lm_type *types[3] = {vt, vt, lm_type_double()};
    lm_df *r = vt ? ml_predict_columns(st, df, 3, names, types, classify) : NULL;
    lm_type_unref(vt);
    return r;
}

static lm_df *regressor_transform(lm_ml_stage *st, lm_df *df)
{
    const char *names[1] = {ml_str(st, "predictionCol")};
    lm_type *types[1] = {lm_type_double()};
    return ml_predict_columns(st, df, 1, names, types, regress);
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const forest *f = st->data;
    if (strcmp(name, "featureImportances") == 0)
        return ml_attr_doubles(out, f->d, f->importances);
    out->type = ML_A_INT;
    if (strcmp(name, "numNodes") == 0 || strcmp(name, "totalNumNodes") == 0) {
        out->i = 0;
        for (int t = 0; t < f->ntrees; t++)
            out->i += ml_tree_num_nodes(f->trees[t], 0);
        return true;
    }
    if (strcmp(name, "depth") == 0) {
        out->i = ml_tree_depth(f->trees[0], 0);
        return true;
    }
    if (strcmp(name, "numTrees") == 0 || strcmp(name, "getNumTrees") == 0) {
        out->i = f->ntrees;
        return true;
    }
    if (strcmp(name, "numClasses") == 0 && f->k > 0) {
        out->i = f->k;
        return true;
    }
    if (strcmp(name, "numFeatures") == 0) {
        out->i = f->d;
        return true;
    }
    return false;
}

static bool is_forest(const lm_ml_stage *st)
{
    return strncmp(st->kind->name, "RandomForest", 12) == 0;
}

/* Data: one line per node, Spark's NodeData (a decision tree) or
   EnsembleNodeData {treeID, nodeData} (a forest), plus the node's weight
   (derived from impurityStats when absent, as Spark derives it). */
static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const forest *f = st->data;
    int ns = f->k > 0 ? f->k : 3;
    bool ens = is_forest(st);
    for (int t = 0; t < f->ntrees; t++) {
        const ml_tree *tr = f->trees[t];
        for (int i = 0; i < tr->n; i++) {
            const ml_tree_node *nd = &tr->nodes[i];
            if (ens)
                lm_strbuf_printf(sb, "{\"treeID\":%d,\"nodeData\":", t);
            lm_strbuf_printf(sb, "{\"id\":%d,\"prediction\":", i);
            ml_json_double(sb, nd->prediction);
            lm_strbuf_puts(sb, ",\"impurity\":");
            ml_json_double(sb, nd->impurity);
            lm_strbuf_puts(sb, ",\"impurityStats\":");
            ml_json_doubles(sb, ns, nd->stats);
            lm_strbuf_printf(sb, ",\"rawCount\":%lld,\"gain\":", (long long)nd->count);
            ml_json_double(sb, nd->left >= 0 ? nd->gain : -1.0);
            lm_strbuf_printf(sb, ",\"weight\":");
            ml_json_double(sb, nd->weight);
            lm_strbuf_printf(sb,
                             ",\"leftChild\":%d,\"rightChild\":%d,\"split\":{\"featureIndex\":%d,"
                             "\"leftCategoriesOrThreshold\":[",
                             nd->left, nd->right, nd->feature);
            bool cat = nd->left >= 0 && nd->num_categories > 0;
            for (int k = 0; cat && k < nd->nleft; k++) {
                if (k)
                    lm_strbuf_putc(sb, ',');
                ml_json_double(sb, nd->left_cats[k]);
            }
            if (nd->left >= 0 && !cat)
                ml_json_double(sb, nd->threshold);
            lm_strbuf_printf(sb, "],\"numCategories\":%d}}%s\n",
                             cat ? nd->num_categories : -1, ens ? "}" : "");
        }
    }
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    lm_session *s = st->s;
    forest *f = calloc(1, sizeof *f);
    if (f == NULL)
        return lm_error_oom(&s->error);
    f->d = (int)ml_json_num(rows->n ? &rows->items[0] : NULL, "numFeatures", 0);
    int ntrees = 0;
    bool regression = strcmp(st->kind->name, "DecisionTreeRegressionModel") == 0;
    for (int i = 0; i < rows->n; i++) {
        int t = (int)ml_json_num(&rows->items[i], "treeID", 0);
        if (t < 0)
            return ml_fail(s, ML_EXC_IAE, "%s data is incomplete", st->kind->name);
        if (t + 1 > ntrees)
            ntrees = t + 1;
    }
    f->trees = calloc((size_t)ntrees + 1, sizeof *f->trees);
    f->ntrees = ntrees;
    bool ok = f->trees != NULL;
    for (int t = 0; ok && t < ntrees; t++)
        ok = (f->trees[t] = calloc(1, sizeof *f->trees[t])) != NULL;
    int maxfeat = -1;
    for (int i = 0; ok && i < rows->n; i++) {
        const ml_json *r = &rows->items[i];
        ml_tree *tr = f->trees[(int)ml_json_num(r, "treeID", 0)];
        if (ml_json_get(r, "nodeData") != NULL)
            r = ml_json_get(r, "nodeData");
        int id = (int)ml_json_num(r, "id", -1);
        if (id < 0) {
            ok = false;
            break;
        }
        if (id >= tr->cap) {
            int nc = id * 2 + 8;
            ml_tree_node *nn = realloc(tr->nodes, sizeof *nn * (size_t)nc);
            if (nn == NULL) {
                ok = false;
                break;
            }
            memset(nn + tr->cap, 0, sizeof *nn * (size_t)(nc - tr->cap));
            tr->nodes = nn;
            tr->cap = nc;
        }
        if (id + 1 > tr->n)
            tr->n = id + 1;
        ml_tree_node *nd = &tr->nodes[id];
        nd->prediction = ml_json_num(r, "prediction", 0);
        nd->impurity = ml_json_num(r, "impurity", 0);
        nd->gain = ml_json_num(r, "gain", 0);
        nd->weight = ml_json_num(r, "weight", NAN);
        nd->count = (int64_t)ml_json_num(r, "rawCount", 0);
        nd->left = (int)ml_json_num(r, "leftChild", -1);
        nd->right = (int)ml_json_num(r, "rightChild", -1);
        const ml_json *sp = ml_json_get(r, "split");
        nd->feature = (int)ml_json_num(sp, "featureIndex", -1);
        const ml_json *th = ml_json_get(sp, "leftCategoriesOrThreshold");
        nd->threshold = th && th->type == ML_J_ARR && th->n > 0 ? th->items[0].num : 0;
        nd->num_categories = (int)ml_json_num(sp, "numCategories", -1);
        if (nd->num_categories > 0 && th && th->type == ML_J_ARR) {
            nd->nleft = ml_json_read_doubles(th, &nd->left_cats);
            if (nd->nleft < 0) {
                nd->nleft = 0;
                ok = false;
            }
        }
        if (nd->feature > maxfeat)
            maxfeat = nd->feature;
        int ns = ml_json_read_doubles(ml_json_get(r, "impurityStats"), &nd->stats);
        if (ns < 0)
            ok = false;
        else if (!regression)
            f->k = ns;
        if (ok && isnan(nd->weight)) {
            /* Spark keeps no weight: it is the stats' count (variance:
               stats[0]; classes: the sum of the class weights) */
            nd->weight = 0;
            for (int c = 0; c < (regression ? (ns > 0) : ns); c++)
                nd->weight += nd->stats[c];
        }
    }
    /* the feature count is not in the node data: read it from the metadata
       numFeatures Param when present, else the largest split feature + 1 */
    if (f->d == 0)
        f->d = maxfeat + 1;
    if (ok)
        ok = (f->importances = calloc((size_t)f->d + 1, sizeof *f->importances)) != NULL;
    if (ok)
        ml_forest_importances(f->trees, f->ntrees, f->d, f->importances);
    if (!ok) {
        forest_free(f);
        return ml_fail(s, ML_EXC_IAE, "%s data is incomplete", st->kind->name);
    }
    st->data = f;
    return LM_OK;
}

const ml_kind ml_kind_decision_tree_classifier = {
    .name = "DecisionTreeClassifier",
    .java_class = "org.apache.spark.ml.classification.DecisionTreeClassifier",
    .uid_prefix = "dtc",
    .role = ML_ESTIMATOR,
    .params = k_dtc_params,
    .nparams = NPARAMS(k_dtc_params),
    .model_kind = "DecisionTreeClassificationModel",
    .fit = dtc_fit,
};

/* Spark's extraMetadata of tree models: numFeatures, numClasses
   (classifiers), numTrees (forests). */
static void save_meta(const lm_ml_stage *st, lm_strbuf *sb)
{
    const forest *f = st->data;
    lm_strbuf_printf(sb, ",\"numFeatures\":%d", f->d);
    if (f->k > 0)
        lm_strbuf_printf(sb, ",\"numClasses\":%d", f->k);
    if (is_forest(st))
        lm_strbuf_printf(sb, ",\"numTrees\":%d", f->ntrees);
}

#define NODE_DATA_SPEC                                                                   \
    "id int, prediction double, impurity double, impurityStats array<double>, "          \
    "rawCount bigint, gain double, leftChild int, rightChild int, "                      \
    "split struct<featureIndex int, leftCategoriesOrThreshold array<double>, numCategories int>"

const ml_kind ml_kind_decision_tree_classification_model = {
    .name = "DecisionTreeClassificationModel",
    .java_class = "org.apache.spark.ml.classification.DecisionTreeClassificationModel",
    .uid_prefix = "dtc",
    .role = ML_MODEL,
    .params = k_dtc_params,
    .nparams = NPARAMS(k_dtc_params),
    .transform = classifier_transform,
    .free_data = forest_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = NODE_DATA_SPEC,
    .save_meta = save_meta,
};

const ml_kind ml_kind_decision_tree_regressor = {
    .name = "DecisionTreeRegressor",
    .java_class = "org.apache.spark.ml.regression.DecisionTreeRegressor",
    .uid_prefix = "dtr",
    .role = ML_ESTIMATOR,
    .params = k_dtr_params,
    .nparams = NPARAMS(k_dtr_params),
    .model_kind = "DecisionTreeRegressionModel",
    .fit = dtr_fit,
};

const ml_kind ml_kind_decision_tree_regression_model = {
    .name = "DecisionTreeRegressionModel",
    .java_class = "org.apache.spark.ml.regression.DecisionTreeRegressionModel",
    .uid_prefix = "dtr",
    .role = ML_MODEL,
    .params = k_dtr_params,
    .nparams = NPARAMS(k_dtr_params),
    .transform = regressor_transform,
    .free_data = forest_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = NODE_DATA_SPEC,
    .save_meta = save_meta,
};

const ml_kind ml_kind_random_forest_classifier = {
    .name = "RandomForestClassifier",
    .java_class = "org.apache.spark.ml.classification.RandomForestClassifier",
    .uid_prefix = "rfc",
    .role = ML_ESTIMATOR,
    .params = k_rfc_params,
    .nparams = NPARAMS(k_rfc_params),
    .model_kind = "RandomForestClassificationModel",
    .fit = rfc_fit,
};

const ml_kind ml_kind_random_forest_classification_model = {
    .name = "RandomForestClassificationModel",
    .java_class = "org.apache.spark.ml.classification.RandomForestClassificationModel",
    .uid_prefix = "rfc",
    .role = ML_MODEL,
    .params = k_rfc_params,
    .nparams = NPARAMS(k_rfc_params),
    .transform = classifier_transform,
    .free_data = forest_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "treeID int, nodeData struct<" NODE_DATA_SPEC ">",
    .save_meta = save_meta,
};
