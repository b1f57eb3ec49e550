/*
 * Decision-tree learning shared by the tree and forest estimators
 * (tree.c); see there for the algorithm and how it follows Spark's.
 */
#ifndef LM_ML_TREE_H
#define LM_ML_TREE_H

#include "ml/ml.h"

#define ML_TREE_MAX_STATS 256

enum { ML_IMP_GINI, ML_IMP_ENTROPY, ML_IMP_VARIANCE };

typedef struct ml_tree_opts {
    int impurity;
    int nclasses; /* classification */
    int max_depth;
    int max_bins;
    int min_instances;
    double min_weight_fraction;
    double min_info_gain;
    int features_per_node; /* 0: all */
    bool bootstrap;
    double subsampling_rate;
    int64_t seed;
    /* categoricalFeaturesInfo: ncat[f] = number of categories of feature
       f, 0 for continuous features; NULL when all are continuous */
    const int *ncat;
} ml_tree_opts;

typedef struct ml_tree_node {
    int feature; /* -1 for leaves */
    double threshold;
    /* categorical split (num_categories > 0): the categories that go
       left, ascending (Spark's CategoricalSplit.leftCategories) */
    int num_categories; /* -1: continuous split */
    int nleft;
    double *left_cats;
    int left, right;
    double prediction, impurity, gain, weight;
    int64_t count;
    double *stats; /* class weights, or [w, sum wy, sum wy^2] */
} ml_tree_node;

typedef struct ml_tree {
    int n, cap;
    ml_tree_node *nodes; /* root at 0 */
} ml_tree;

/* Trains ntrees trees (an array the caller frees with ml_tree_free). */
lm_status ml_forest_train(lm_session *s, const ml_instances *in, const ml_tree_opts *o, int ntrees,
                          ml_tree ***out);
void ml_tree_free(ml_tree *t);
/* Index of the leaf x (dense) falls in: x <= threshold, or x one of the
   left categories, goes left. */
int ml_tree_leaf(const ml_tree *t, const double *x);
int ml_tree_depth(const ml_tree *t, int i);
int ml_tree_num_nodes(const ml_tree *t, int i);
void ml_forest_importances(ml_tree *const *trees, int ntrees, int d, double *out);

#endif
