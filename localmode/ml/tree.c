/*
 * Decision-tree learning as Spark's RandomForest.run does it, shared by
 * DecisionTreeClassifier/Regressor and RandomForestClassifier:
 *
 * Binning. Each continuous feature gets at most maxBins - 1 thresholds
 * (findSplitsForContinuousFeature): with few distinct values, the
 * midpoints between consecutive ones; otherwise the midpoints where the
 * cumulative weight best meets multiples of total / maxBins. Every value
 * is replaced by its bin (thresholds below it), and a split "x <= t" sends
 * bins 0..k left. (All rows are used: Spark samples only above
 * max(maxBins^2, 10000) rows.) A categorical feature (categoricalFeatures-
 * Info, read by the estimators from the features' ML attributes) is binned
 * by its value, the category; its splits send a set of categories left:
 *  - ordered (binary classification, regression, and multiclass features
 *    with many categories): categories sorted (stably) by a centroid of
 *    the node's rows — the weighted count of label 1, the mean label, or
 *    (multiclass) the category's impurity; categories absent from the node
 *    last — and the K - 1 prefixes tried;
 *  - unordered (multiclass, K <= floor(log2(maxBins / 2 + 1) + 1)): every
 *    subset 1 .. 2^(K-1) - 1, split s sending the categories of the bits
 *    of s left.
 * A feature with one category never splits.
 *
 * Growth. Nodes are taken from a stack (Spark's nodeStack: a popped group
 * is every waiting node, children pushed to the front); for each, the
 * per-bin statistics of its rows give every candidate split's gain
 *   impurity(parent) - wL/w impurity(L) - wR/w impurity(R)
 * (gini / entropy on weighted class counts, variance on weighted label
 * moments); the first best split wins (features, then thresholds, in
 * order); splits leaving fewer than minInstancesPerNode rows or less than
 * minWeightFractionPerNode of the weight on a side, or gaining less than
 * minInfoGain, are invalid. A node is a leaf when no split gains, at
 * maxDepth, or when pure. Finished trees merge sibling leaves with equal
 * predictions (Spark's prune).
 *
 * Forests. With bootstrap, each row gets Poisson(subsamplingRate) counts
 * per tree from commons-math's PoissonDistribution seeded seed + 1 (one
 * partition); each node draws its feature subset by reservoir sampling
 * with XORShiftRandom(rng.nextLong()), rng = java.util.Random(seed).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/tree.h"
#include "rdd/rdd_int.h"
#include "session/session.h"

void ml_tree_free(ml_tree *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < t->n; i++) {
        free(t->nodes[i].stats);
        free(t->nodes[i].left_cats);
    }
    free(t->nodes);
    free(t);
}

/* ------------------------------------------------------------ impurity */

static double impurity(const ml_tree_opts *o, const double *st)
{
    if (o->impurity == ML_IMP_VARIANCE) {
        if (st[0] == 0)
            return 0;
        double m = st[1] / st[0];
        return st[2] / st[0] - m * m;
    }
    double tot = 0;
    for (int c = 0; c < o->nclasses; c++)
        tot += st[c];
    if (tot == 0)
        return 0;
    double r = o->impurity == ML_IMP_GINI ? 1.0 : 0.0;
    for (int c = 0; c < o->nclasses; c++) {
        double p = st[c] / tot;
        if (o->impurity == ML_IMP_GINI)
            r -= p * p;
        else if (p != 0)
            r -= p * log(p) / log(2.0);
    }
    return r;
}

static double weight_of(const ml_tree_opts *o, const double *st)
{
    if (o->impurity == ML_IMP_VARIANCE)
        return st[0];
    double tot = 0;
    for (int c = 0; c < o->nclasses; c++)
        tot += st[c];
    return tot;
}

static double predict_of(const ml_tree_opts *o, const double *st)
{
    if (o->impurity == ML_IMP_VARIANCE)
        return st[0] != 0 ? st[1] / st[0] : 0;
    int best = 0;
    for (int c = 1; c < o->nclasses; c++)
        if (st[c] > st[best])
            best = c;
    return best;
}

static void add_stat(const ml_tree_opts *o, double *st, double y, double w)
{
    if (o->impurity == ML_IMP_VARIANCE) {
        st[0] += w;
        st[1] += w * y;
        st[2] += w * y * y;
    } else {
        st[(int)y] += w;
    }
}

/* ------------------------------------------------------------ binning */

typedef struct vw {
    double v, w;
} vw;

static int by_value(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
    return x < y ? -1 : x > y;
}

/* Thresholds of one feature into thr (at most max_bins - 1); count. */
static int find_splits(vw *vals, int64_t n, int num_splits, double *thr)
{
    if (n == 0 || num_splits <= 0)
        return 0;
    ml_sort(vals, (size_t)n, sizeof *vals, by_value, NULL);
    int64_t u = 0;
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        total += vals[i].w;
        if (u > 0 && vals[u - 1].v == vals[i].v)
            vals[u - 1].w += vals[i].w;
        else
            vals[u++] = vals[i];
    }
    int64_t possible = u - 1;
    int k = 0;
    if (possible <= 0)
        return 0;
    if (possible <= num_splits) {
        for (int64_t i = 1; i <= possible; i++)
            thr[k++] = (vals[i - 1].v + vals[i].v) / 2.0;
        return k;
    }
    double stride = total / (num_splits + 1);
    double cur = vals[0].w, target = stride;
    for (int64_t i = 1; i < u; i++) {
        double prev = cur;
        cur += vals[i].w;
        if (fabs(prev - target) < fabs(cur - target)) {
            thr[k++] = (vals[i - 1].v + vals[i].v) / 2.0;
            target += stride;
        }
    }
    return k;
}

static int find_bin(const double *thr, int n, double x)
{
    int lo = 0, hi = n; /* first threshold >= x */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (thr[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ------------------------------------------------------------ growth */

typedef struct grower {
    const ml_instances *in;
    const ml_tree_opts *o;
    int d, ns;   /* features, stats per node */
    int *nthr;   /* thresholds per feature */
    double *thr; /* d x (max_bins) */
    int *bins;   /* n x d */
    double *wts; /* n x ntrees: instance weight x bag count */
    int *counts; /* n x ntrees: bag counts */
    int ntrees;
    double min_weight;
    double *agg;  /* d x max_bins x ns scratch */
    double *aggc; /* d x max_bins raw counts */
    int max_unordered; /* multiclass: most categories of an unordered feature */
    int *cat_order;         /* max_bins: categories by centroid */
    double *centroid;       /* max_bins */
    unsigned char *cur_set; /* max_bins: a candidate's left categories */
    unsigned char *best_set;
} grower;

typedef struct pending {
    int tree, node;
    int *rows;
    int64_t nrows;
    int depth;
} pending;

static int new_node(ml_tree *t, int ns)
{
    if (t->n == t->cap) {
        int nc = t->cap ? t->cap * 2 : 16;
        ml_tree_node *nn = realloc(t->nodes, sizeof *nn * (size_t)nc);
        if (nn == NULL)
            return -1;
        t->nodes = nn;
        t->cap = nc;
    }
    ml_tree_node *nd = &t->nodes[t->n];
    memset(nd, 0, sizeof *nd);
    nd->feature = -1;
    nd->num_categories = -1;
    nd->left = nd->right = -1;
    nd->stats = calloc((size_t)ns + 1, sizeof *nd->stats);
    if (nd->stats == NULL)
        return -1;
    return t->n++;
}

/* reservoirSampleAndCount(0 until d, k, seed) */
static void feature_subset(int d, int k, int64_t seed, int *out)
{
    int i = 0;
    for (; i < k && i < d; i++)
        out[i] = i;
    lm_xorshift r;
    lm_xorshift_init(&r, seed);
    for (int64_t l = i; i < d; i++) {
        l++;
        int64_t rep = (int64_t)(lm_xorshift_next_double(&r) * (double)l);
        if (rep < k)
            out[rep] = i;
    }
}

static int cmp_int(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return *(const int *)a - *(const int *)b;
}

/* A candidate split's gain, or -inf when it leaves too few rows or too
   little weight on a side or gains less than minInfoGain (Spark's invalid
   split). */
static double split_gain(const grower *g, const ml_tree_node *nd, const double *left,
                         const double *right, double lc, double rc)
{
    const ml_tree_opts *o = g->o;
    double wl = weight_of(o, left), wr = weight_of(o, right);
    if (lc < o->min_instances || rc < o->min_instances || wl < g->min_weight ||
        wr < g->min_weight)
        return -INFINITY;
    double wt = wl + wr;
    double gain = nd->impurity - wl / wt * impurity(o, left) - wr / wt * impurity(o, right);
    return gain < o->min_info_gain ? -INFINITY : gain;
}

/* Sums the statistics of the categories in set into st and *count. */
static void sum_set(const grower *g, int f, int K, const unsigned char *set, double *st,
                    double *count)
{
    int ns = g->ns, mb = g->o->max_bins;
    memset(st, 0, sizeof *st * (size_t)ns);
    *count = 0;
    for (int c = 0; c < K; c++) {
        if (!set[c])
            continue;
        const double *bs = g->agg + ((size_t)f * mb + c) * ns;
        for (int j = 0; j < ns; j++)
            st[j] += bs[j];
        *count += g->aggc[(size_t)f * mb + c];
    }
}

static int by_centroid(const void *a, const void *b, void *ctx)
{
    const double *cen = ctx;
    double x = cen[*(const int *)a], y = cen[*(const int *)b];
    return x < y ? -1 : x > y;
}

/* The best split of categorical feature f (RandomForest.binsToBestSplit's
   ordered and unordered cases); true, with g->best_set, when it beats
   *best_gain. */
static bool categorical_best(grower *g, const ml_tree_node *nd, int f, int64_t raw,
                             double *best_gain)
{
    const ml_tree_opts *o = g->o;
    int K = o->ncat[f], ns = g->ns, mb = o->max_bins;
    double left[ML_TREE_MAX_STATS], right[ML_TREE_MAX_STATS], lc;
    bool found = false;
    if (K <= 1)
        return false;
    bool multiclass = o->impurity != ML_IMP_VARIANCE && o->nclasses > 2;
    if (multiclass && K <= g->max_unordered) {
        for (int64_t s = 1; s < ((int64_t)1 << (K - 1)); s++) {
            for (int c = 0; c < K; c++)
                g->cur_set[c] = (unsigned char)((s >> c) & 1);
            sum_set(g, f, K, g->cur_set, left, &lc);
            for (int j = 0; j < ns; j++)
                right[j] = nd->stats[j] - left[j];
            double gain = split_gain(g, nd, left, right, lc, (double)raw - lc);
            if (gain > *best_gain) {
                *best_gain = gain;
                memcpy(g->best_set, g->cur_set, (size_t)K);
                found = true;
            }
        }
        return found;
    }
    for (int c = 0; c < K; c++) {
        const double *bs = g->agg + ((size_t)f * mb + c) * ns;
        g->cat_order[c] = c;
        if (g->aggc[(size_t)f * mb + c] == 0)
            g->centroid[c] = 1.7976931348623157e308; /* Double.MaxValue: absent last */
        else if (multiclass)
            g->centroid[c] = impurity(o, bs);
        else if (o->impurity != ML_IMP_VARIANCE)
            g->centroid[c] = bs[1]; /* weighted count of label 1 */
        else
            g->centroid[c] = bs[0] != 0 ? bs[1] / bs[0] : 0; /* mean label */
    }
    ml_sort(g->cat_order, (size_t)K, sizeof *g->cat_order, by_centroid, g->centroid);
    memset(g->cur_set, 0, (size_t)K);
    for (int s = 0; s < K - 1; s++) {
        g->cur_set[g->cat_order[s]] = 1;
        sum_set(g, f, K, g->cur_set, left, &lc);
        for (int j = 0; j < ns; j++)
            right[j] = nd->stats[j] - left[j];
        double gain = split_gain(g, nd, left, right, lc, (double)raw - lc);
        if (gain > *best_gain) {
            *best_gain = gain;
            memcpy(g->best_set, g->cur_set, (size_t)K);
            found = true;
        }
    }
    return found;
}

/* Finds the best split of node p and creates its children; *split tells
   whether it split. */
static lm_status split_node(grower *g, ml_tree *t, pending *p, const int *feats, int nf,
                            pending *kids, int *nkids)
{
    const ml_tree_opts *o = g->o;
    int ns = g->ns, mb = o->max_bins;
    ml_tree_node *nd = &t->nodes[p->node];
    int64_t raw = 0;
    memset(nd->stats, 0, sizeof *nd->stats * (size_t)ns);
    for (int64_t i = 0; i < p->nrows; i++) {
        int r = p->rows[i];
        add_stat(o, nd->stats, g->in->y[r], g->wts[(size_t)r * g->ntrees + p->tree]);
        raw += g->counts[(size_t)r * g->ntrees + p->tree];
    }
    nd->count = raw;
    nd->impurity = impurity(o, nd->stats);
    nd->prediction = predict_of(o, nd->stats);
    nd->weight = weight_of(o, nd->stats);
    *nkids = 0;
    if (p->depth >= o->max_depth)
        return LM_OK;
    /* per-bin aggregates of the candidate features */
    for (int fi = 0; fi < nf; fi++) {
        int f = feats[fi];
        memset(g->agg + (size_t)f * mb * ns, 0, sizeof *g->agg * (size_t)mb * ns);
        memset(g->aggc + (size_t)f * mb, 0, sizeof *g->aggc * (size_t)mb);
    }
    for (int64_t i = 0; i < p->nrows; i++) {
        int r = p->rows[i];
        double w = g->wts[(size_t)r * g->ntrees + p->tree];
        int c = g->counts[(size_t)r * g->ntrees + p->tree];
        for (int fi = 0; fi < nf; fi++) {
            int f = feats[fi], b = g->bins[(size_t)r * g->d + f];
            add_stat(o, g->agg + ((size_t)f * mb + b) * ns, g->in->y[r], w);
            g->aggc[(size_t)f * mb + b] += c;
        }
    }
    double best_gain = -INFINITY;
    int best_f = -1, best_k = -1;
    double left[ML_TREE_MAX_STATS], right[ML_TREE_MAX_STATS];
    for (int fi = 0; fi < nf; fi++) {
        int f = feats[fi];
        if (o->ncat != NULL && o->ncat[f] > 0) {
            if (categorical_best(g, nd, f, raw, &best_gain)) {
                best_f = f;
                best_k = -1;
            }
            continue;
        }
        memset(left, 0, sizeof left);
        double lc = 0;
        for (int k = 0; k < g->nthr[f]; k++) {
            const double *bs = g->agg + ((size_t)f * mb + k) * ns;
            for (int j = 0; j < ns; j++)
                left[j] += bs[j];
            lc += g->aggc[(size_t)f * mb + k];
            for (int j = 0; j < ns; j++)
                right[j] = nd->stats[j] - left[j];
            double gain = split_gain(g, nd, left, right, lc, (double)raw - lc);
            if (gain > best_gain) {
                best_gain = gain;
                best_f = f;
                best_k = k;
            }
        }
    }
    if (best_f < 0 || !(best_gain > 0))
        return LM_OK;
    nd->feature = best_f;
    nd->gain = best_gain;
    if (best_k >= 0) {
        nd->threshold = g->thr[(size_t)best_f * mb + best_k];
    } else {
        int K = o->ncat[best_f], nl = 0;
        double *cats = malloc(sizeof *cats * ((size_t)K + 1));
        if (cats == NULL)
            return LM_ENOMEM;
        for (int c = 0; c < K; c++)
            if (g->best_set[c])
                cats[nl++] = c;
        nd->num_categories = K;
        nd->nleft = nl;
        nd->left_cats = cats;
    }
    int *lrows = malloc(sizeof *lrows * ((size_t)p->nrows + 1));
    int *rrows = malloc(sizeof *rrows * ((size_t)p->nrows + 1));
    int li = new_node(t, ns);
    int ri = li >= 0 ? new_node(t, ns) : -1;
    if (lrows == NULL || rrows == NULL || ri < 0) {
        free(lrows);
        free(rrows);
        return LM_ENOMEM;
    }
    nd = &t->nodes[p->node]; /* nodes may have moved */
    nd->left = li;
    nd->right = ri;
    int64_t nl = 0, nr = 0;
    for (int64_t i = 0; i < p->nrows; i++) {
        int r = p->rows[i];
        int b = g->bins[(size_t)r * g->d + best_f];
        if (best_k >= 0 ? b <= best_k : g->best_set[b] != 0)
            lrows[nl++] = r;
        else
            rrows[nr++] = r;
    }
    kids[0] = (pending){p->tree, li, lrows, nl, p->depth + 1};
    kids[1] = (pending){p->tree, ri, rrows, nr, p->depth + 1};
    *nkids = 2;
    return LM_OK;
}

/* Fills a leaf's statistics (children found pure or at maxDepth are not
   split further, but still describe their rows). */
static void leaf_stats(grower *g, ml_tree *t, const pending *p)
{
    const ml_tree_opts *o = g->o;
    ml_tree_node *nd = &t->nodes[p->node];
    int64_t raw = 0;
    memset(nd->stats, 0, sizeof *nd->stats * (size_t)g->ns);
    for (int64_t i = 0; i < p->nrows; i++) {
        int r = p->rows[i];
        add_stat(o, nd->stats, g->in->y[r], g->wts[(size_t)r * g->ntrees + p->tree]);
        raw += g->counts[(size_t)r * g->ntrees + p->tree];
    }
    nd->count = raw;
    nd->impurity = impurity(o, nd->stats);
    nd->prediction = predict_of(o, nd->stats);
    nd->weight = weight_of(o, nd->stats);
}

/* LearningNode.toNode(prune = true): sibling leaves with the same
   prediction collapse into their parent. */
static bool prune(ml_tree *t, int i)
{
    ml_tree_node *nd = &t->nodes[i];
    if (nd->left < 0)
        return true;
    bool l = prune(t, nd->left), r = prune(t, nd->right);
    nd = &t->nodes[i];
    if (l && r && t->nodes[nd->left].prediction == t->nodes[nd->right].prediction) {
        nd->left = nd->right = -1;
        nd->feature = -1;
        nd->num_categories = -1;
        nd->nleft = 0;
        free(nd->left_cats);
        nd->left_cats = NULL;
        return true;
    }
    return false;
}

lm_status ml_forest_train(lm_session *s, const ml_instances *in, const ml_tree_opts *o, int ntrees,
                          ml_tree ***out)
{
    int d = in->d, mb = o->max_bins;
    int64_t n = in->n;
    grower g = {0};
    g.in = in;
    g.o = o;
    g.d = d;
    g.ns = o->impurity == ML_IMP_VARIANCE ? 3 : o->nclasses;
    g.ntrees = ntrees;
    if (g.ns > ML_TREE_MAX_STATS)
        return ml_fail(s, ML_EXC_IAE, "too many classes (%d) for a tree", o->nclasses);
    ml_tree **trees = calloc((size_t)ntrees + 1, sizeof *trees);
    g.nthr = calloc((size_t)d + 1, sizeof *g.nthr);
    g.thr = calloc((size_t)d * mb + 1, sizeof *g.thr);
    g.bins = calloc((size_t)n * d + 1, sizeof *g.bins);
    g.wts = calloc((size_t)n * ntrees + 1, sizeof *g.wts);
    g.counts = calloc((size_t)n * ntrees + 1, sizeof *g.counts);
    g.agg = calloc((size_t)d * mb * g.ns + 1, sizeof *g.agg);
    g.aggc = calloc((size_t)d * mb + 1, sizeof *g.aggc);
    vw *vals = calloc((size_t)n + 1, sizeof *vals);
    g.cat_order = calloc((size_t)mb + 1, sizeof *g.cat_order);
    g.centroid = calloc((size_t)mb + 1, sizeof *g.centroid);
    g.cur_set = calloc((size_t)mb + 1, 1);
    g.best_set = calloc((size_t)mb + 1, 1);
    pending *stack = NULL, *group = NULL;
    int nstack = 0, capstack = 0;
    lm_status rc = LM_OK;
    if (!trees || !g.nthr || !g.thr || !g.bins || !g.wts || !g.counts || !g.agg || !g.aggc ||
        !vals || !g.cat_order || !g.centroid || !g.cur_set || !g.best_set) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    /* bins: numBins = min(maxBins, numExamples) */
    int max_bins = (int64_t)mb < n ? mb : (int)n;
    g.max_unordered = (int)floor(log((double)(max_bins / 2 + 1)) / log(2.0) + 1);
    for (int f = 0; f < d; f++) {
        if (o->ncat != NULL && o->ncat[f] > 0) {
            /* TreePoint: a categorical value is its own bin */
            for (int64_t r = 0; r < n; r++) {
                double v = in->x[(size_t)r * d + f];
                if (!(v >= 0 && v < o->ncat[f])) {
                    lm_strbuf sb;
                    lm_strbuf_init(&sb);
                    ml_put_double(&sb, v);
                    rc = ml_fail(s, ML_EXC_IAE,
                                 "requirement failed: DecisionTree given invalid data: Feature %d "
                                 "is categorical with values in {0,...,%d, but a data point "
                                 "gives it value %s.",
                                 f, o->ncat[f] - 1, lm_strbuf_cstr(&sb));
                    lm_strbuf_free(&sb);
                    goto out;
                }
                g.bins[(size_t)r * d + f] = (int)v;
            }
            continue;
        }
        for (int64_t r = 0; r < n; r++) {
            vals[r].v = in->x[(size_t)r * d + f];
            vals[r].w = in->w[r];
        }
        g.nthr[f] = find_splits(vals, n, max_bins - 1, g.thr + (size_t)f * mb);
        for (int64_t r = 0; r < n; r++)
            g.bins[(size_t)r * d + f] =
                find_bin(g.thr + (size_t)f * mb, g.nthr[f], in->x[(size_t)r * d + f]);
    }
    /* bagging */
    double wtotal = 0;
    bool bag = o->bootstrap && ntrees > 1;
    rdd_poisson *pois = bag ? rdd_poisson_new(o->subsampling_rate, o->seed + 1) : NULL;
    if (bag && pois == NULL) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    lm_xorshift sub;
    lm_xorshift_init(&sub, o->seed + 1);
    for (int64_t r = 0; r < n; r++) {
        wtotal += in->w[r];
        for (int t = 0; t < ntrees; t++) {
            int c = 1;
            if (bag)
                c = rdd_poisson_sample(pois);
            else if (o->subsampling_rate < 1.0)
                c = lm_xorshift_next_double(&sub) < o->subsampling_rate;
            g.counts[(size_t)r * ntrees + t] = c;
            g.wts[(size_t)r * ntrees + t] = c * in->w[r];
        }
    }
    rdd_poisson_free(pois);
    g.min_weight = o->min_weight_fraction * wtotal;
    /* roots */
    lm_jrandom rng;
    lm_jrandom_init(&rng, o->seed);
    capstack = 2 * ntrees + 16;
    stack = calloc((size_t)capstack, sizeof *stack);
    group = calloc((size_t)capstack, sizeof *group);
    if (stack == NULL || group == NULL) {
        rc = lm_error_oom(&s->error);
        goto out;
    }
    for (int t = 0; t < ntrees; t++) {
        trees[t] = calloc(1, sizeof *trees[t]);
        int *rows = malloc(sizeof *rows * ((size_t)n + 1));
        if (trees[t] == NULL || rows == NULL || new_node(trees[t], g.ns) != 0) {
            free(rows);
            rc = lm_error_oom(&s->error);
            goto out;
        }
        int64_t k = 0;
        for (int64_t r = 0; r < n; r++)
            if (g.counts[(size_t)r * ntrees + t] > 0)
                rows[k++] = (int)r;
        /* Spark prepends the roots in tree order: the last tree is first */
        stack[ntrees - 1 - t] = (pending){t, 0, rows, k, 0};
        nstack++;
    }
    int k_feats = o->features_per_node > 0 && o->features_per_node < d ? o->features_per_node : d;
    while (rc == LM_OK && nstack > 0) {
        /* the group: every waiting node, front first */
        int ng = nstack;
        memcpy(group, stack, sizeof *group * (size_t)ng);
        nstack = 0;
        /* children of the group, pushed to the front as Spark prepends */
        pending *born = calloc((size_t)ng * 2 + 1, sizeof *born);
        int nborn = 0;
        if (born == NULL) {
            rc = lm_error_oom(&s->error);
            for (int i = 0; i < ng; i++)
                free(group[i].rows);
            break;
        }
        /* feature subsets are drawn as nodes are taken (selectNodesToSplit),
           then the group is processed tree by tree in the order the trees
           were first seen (nodesForGroup) */
        int *subsets = calloc((size_t)ng * (size_t)k_feats + 1, sizeof *subsets);
        int *order = calloc((size_t)ng + 1, sizeof *order);
        if (subsets == NULL || order == NULL) {
            free(subsets);
            free(order);
            free(born);
            for (int i = 0; i < ng; i++)
                free(group[i].rows);
            rc = lm_error_oom(&s->error);
            break;
        }
        for (int i = 0; i < ng; i++) {
            int *fs = subsets + (size_t)i * k_feats;
            if (k_feats < d) {
                feature_subset(d, k_feats, lm_jrandom_next_long(&rng), fs);
                ml_sort(fs, (size_t)k_feats, sizeof *fs, cmp_int, NULL);
            } else {
                for (int f = 0; f < d; f++)
                    fs[f] = f;
            }
        }
        int no = 0;
        for (int i = 0; i < ng; i++) {
            bool seen = false;
            for (int j = 0; j < i && !seen; j++)
                seen = group[j].tree == group[i].tree;
            if (seen)
                continue;
            for (int j = i; j < ng; j++)
                if (group[j].tree == group[i].tree)
                    order[no++] = j;
        }
        for (int oi = 0; oi < ng && rc == LM_OK; oi++) {
            pending *p = &group[order[oi]];
            const int *fs = subsets + (size_t)order[oi] * k_feats;
            pending kids[2];
            int nk = 0;
            if (split_node(&g, trees[p->tree], p, fs, k_feats, kids, &nk) != LM_OK) {
                rc = lm_error_oom(&s->error);
                break;
            }
            for (int c = 0; c < nk; c++) {
                /* a child at maxDepth or pure is a leaf */
                leaf_stats(&g, trees[p->tree], &kids[c]);
                const ml_tree_node *cn = &trees[p->tree]->nodes[kids[c].node];
                if (kids[c].depth >= o->max_depth || fabs(cn->impurity) < 2.220446049250313e-16)
                    free(kids[c].rows);
                else
                    born[nborn++] = kids[c];
            }
        }
        free(subsets);
        free(order);
        for (int i = 0; i < ng; i++)
            free(group[i].rows);
        /* prepend: the last pushed is first */
        if (nborn + nstack > capstack) {
            capstack = (nborn + nstack) * 2;
            pending *ns2 = realloc(stack, sizeof *ns2 * (size_t)capstack);
            pending *ng2 = ns2 ? realloc(group, sizeof *ng2 * (size_t)capstack) : NULL;
            if (ns2)
                stack = ns2;
            if (ng2)
                group = ng2;
            if (!ns2 || !ng2) {
                for (int i = 0; i < nborn; i++)
                    free(born[i].rows);
                free(born);
                rc = lm_error_oom(&s->error);
                break;
            }
        }
        for (int i = nborn - 1; i >= 0; i--)
            stack[nstack++] = born[i];
        free(born);
    }
    for (int i = 0; i < nstack; i++)
        free(stack[i].rows);
    for (int t = 0; rc == LM_OK && t < ntrees; t++)
        prune(trees[t], 0);
out:
    if (rc != LM_OK) {
        for (int t = 0; trees && t < ntrees; t++)
            ml_tree_free(trees[t]);
        free(trees);
        trees = NULL;
    }
    *out = trees;
    free(g.nthr);
    free(g.thr);
    free(g.bins);
    free(g.wts);
    free(g.counts);
    free(g.agg);
    free(g.aggc);
    free(g.cat_order);
    free(g.centroid);
    free(g.cur_set);
    free(g.best_set);
    free(vals);
    free(stack);
    free(group);
    return rc;
}

int ml_tree_leaf(const ml_tree *t, const double *x)
{
    int i = 0;
    while (t->nodes[i].left >= 0) {
        const ml_tree_node *nd = &t->nodes[i];
        double v = x[nd->feature];
        bool left;
        if (nd->num_categories > 0) {
            left = false;
            for (int k = 0; k < nd->nleft && !left; k++)
                left = nd->left_cats[k] == v;
        } else {
            left = v <= nd->threshold;
        }
        i = left ? nd->left : nd->right;
    }
    return i;
}

int ml_tree_depth(const ml_tree *t, int i)
{
    if (t->nodes[i].left < 0)
        return 0;
    int l = ml_tree_depth(t, t->nodes[i].left), r = ml_tree_depth(t, t->nodes[i].right);
    return 1 + (l > r ? l : r);
}

int ml_tree_num_nodes(const ml_tree *t, int i)
{
    if (t->nodes[i].left < 0)
        return 1;
    return 1 + ml_tree_num_nodes(t, t->nodes[i].left) + ml_tree_num_nodes(t, t->nodes[i].right);
}

/* TreeEnsembleModel.featureImportances: per tree, gain x weight summed
   per feature and normalised; trees summed and normalised again. */
static void tree_importance(const ml_tree *t, int i, double *imp)
{
    const ml_tree_node *nd = &t->nodes[i];
    if (nd->left < 0)
        return;
    imp[nd->feature] += nd->gain * nd->weight;
    tree_importance(t, nd->left, imp);
    tree_importance(t, nd->right, imp);
}

void ml_forest_importances(ml_tree *const *trees, int ntrees, int d, double *out)
{
    double *tmp = calloc((size_t)d + 1, sizeof *tmp);
    memset(out, 0, sizeof *out * (size_t)d);
    if (tmp == NULL)
        return;
    for (int t = 0; t < ntrees; t++) {
        memset(tmp, 0, sizeof *tmp * (size_t)d);
        tree_importance(trees[t], 0, tmp);
        double sum = 0;
        for (int j = 0; j < d; j++)
            sum += tmp[j];
        for (int j = 0; sum > 0 && j < d; j++)
            out[j] += tmp[j] / sum;
    }
    double sum = 0;
    for (int j = 0; j < d; j++)
        sum += out[j];
    for (int j = 0; sum > 0 && j < d; j++)
        out[j] /= sum;
    free(tmp);
}
