/*
 * Bucketizer: continuous values to bucket indices by split points
 * (strictly increasing, at least 3; -Infinity/Infinity allowed). A value
 * equal to the last split falls in the last bucket, as Spark's
 * binarySearchForBuckets does. Out-of-range values fail; NaN follows
 * handleInvalid ("error" fails, "skip" drops the row, "keep" puts NaN in
 * an extra bucket numBuckets); NULL inputs give NULL, except that "skip"
 * drops them (Spark's na.drop before bucketing).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"), P_STR_NODEF("outputCol"),
    P_STRS("inputCols"),     P_STRS("outputCols"),
    P_DBLS("splits"),        P_CHOICE("handleInvalid", "error", HANDLE_INVALID_3),
};

typedef struct bk_ctx {
    lm_ml_stage *st;
    int n;
    const double *splits;
    int handle; /* 0 error 1 skip 2 keep */
} bk_ctx;

static lm_status bucket(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                        lm_value *out, bool *skip)
{
    bk_ctx *x = p;
    double v;
    if (!ml_cell_double(t, in, &v)) {
        if (x->handle == 1)
            *skip = true;
        *out = lm_value_null();
        return LM_OK;
    }
    if (isnan(v)) {
        if (x->handle == 1) {
            *skip = true;
            return LM_OK;
        }
        if (x->handle == 2) {
            *out = lm_value_f64((double)(x->n - 1));
            return LM_OK;
        }
        return ml_fail(x->st->s, ML_EXC_SPARK,
                       "Bucketizer encountered NaN value. To handle or skip NaNs, try setting "
                       "Bucketizer.handleInvalid.");
    }
    const double *sp = x->splits;
    int n = x->n;
    if (v == sp[n - 1]) {
        *out = lm_value_f64((double)(n - 2));
        return LM_OK;
    }
    if (v < sp[0] || v > sp[n - 1]) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        ml_put_double(&sb, v);
        lm_strbuf_puts(&sb, " out of Bucketizer bounds [");
        ml_put_double(&sb, sp[0]);
        lm_strbuf_puts(&sb, ", ");
        ml_put_double(&sb, sp[n - 1]);
        lm_status r = ml_fail(x->st->s, ML_EXC_SPARK,
                              "Feature value %s]. Check your features, or loosen the lower/upper "
                              "bound constraints.",
                              lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return r;
    }
    int lo = 0, hi = n - 1; /* sp[lo] <= v < sp[hi] */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (v < sp[mid])
            hi = mid;
        else
            lo = mid;
    }
    *out = lm_value_f64((double)lo);
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    double *splits;
    int n = ml_nums(st, "splits", &splits);
    bool ok = n >= 3;
    for (int i = 1; ok && i < n; i++)
        ok = splits[i - 1] < splits[i];
    if (!ok) {
        ml_fail(st->s, ML_EXC_IAE,
                "%s parameter splits given invalid value: splits must have at least 3 strictly "
                "increasing split points.",
                st->uid);
        return NULL;
    }
    const char *h = ml_str(st, "handleInvalid");
    bk_ctx x = {st, n, splits, strcmp(h, "skip") == 0 ? 1 : strcmp(h, "keep") == 0 ? 2 : 0};
    lm_type *types[ML_IO_MAX];
    for (int i = 0; i < io.n; i++)
        types[i] = lm_type_double();
    return ml_map_columns(st, df, &io, types, bucket, &x);
}

const ml_kind ml_kind_bucketizer = {
    .name = "Bucketizer",
    .java_class = "org.apache.spark.ml.feature.Bucketizer",
    .uid_prefix = "bucketizer",
    .role = ML_TRANSFORMER,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
};
