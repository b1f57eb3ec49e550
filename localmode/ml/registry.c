/*
 * The registry of ML classes: every kind we support, looked up by its
 * pyspark.ml name (lm_ml_new, ParamGridBuilder, loading) or by its JVM
 * class (the "class" field of saved metadata). A table, not a switch:
 * adding a class is adding its kind here.
 */
#include <string.h>

#include "ml/ml.h"

#define KINDS(X)                                                                                   \
    X(vector_assembler)                                                                            \
    X(string_indexer) X(string_indexer_model) X(index_to_string) X(one_hot_encoder)                \
        X(one_hot_encoder_model) X(standard_scaler) X(standard_scaler_model) X(min_max_scaler)     \
            X(min_max_scaler_model) X(bucketizer) X(imputer) X(imputer_model) X(tokenizer)         \
                X(regex_tokenizer) X(stop_words_remover) X(hashing_tf) X(idf) X(idf_model)         \
                    X(polynomial_expansion) X(linear_regression) X(linear_regression_model)        \
                        X(regression_evaluator) X(binary_classification_evaluator)                 \
                            X(multiclass_classification_evaluator) X(logistic_regression)          \
                                X(logistic_regression_model) X(pipeline) X(pipeline_model)         \
                                    X(cross_validator) X(cross_validator_model)                    \
                                        X(train_validation_split) X(train_validation_split_model)  \
                                            X(naive_bayes) X(naive_bayes_model) X(kmeans)          \
                                                X(kmeans_model) X(decision_tree_classifier)        \
                                                    X(decision_tree_classification_model) X(       \
                                                        decision_tree_regressor)                   \
                                                        X(decision_tree_regression_model) X(       \
                                                            random_forest_classifier)              \
                                                            X(random_forest_classification_model)

#define DECLARE(k) extern const ml_kind ml_kind_##k;
KINDS(DECLARE)
#undef DECLARE

#define ENTRY(k) &ml_kind_##k,
static const ml_kind *const k_kinds[] = {KINDS(ENTRY)};
#undef ENTRY

const ml_kind *ml_kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof k_kinds / sizeof k_kinds[0]; i++)
        if (strcmp(k_kinds[i]->name, name) == 0)
            return k_kinds[i];
    return NULL;
}

const ml_kind *ml_kind_find_java(const char *java_class)
{
    for (size_t i = 0; i < sizeof k_kinds / sizeof k_kinds[0]; i++)
        if (strcmp(k_kinds[i]->java_class, java_class) == 0)
            return k_kinds[i];
    return NULL;
}

const ml_kind *ml_kind_at(int i)
{
    return i >= 0 && (size_t)i < sizeof k_kinds / sizeof k_kinds[0] ? k_kinds[i] : NULL;
}
