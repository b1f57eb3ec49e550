/*
 * HashingTF: term-frequency vectors by the hashing trick. A term's index
 * is nonNegativeMod(murmur3(term), numFeatures) with Spark's
 * FeatureHasher.murmur3Hash (seed 42; strings hashed on their UTF-8 bytes
 * with Murmur3_x86_32.hashUnsafeBytes2, numbers and booleans as ints or
 * longs), so indices match Spark's. Counts are summed per index (1.0 per
 * occurrence, or 1.0 once with binary = true); the output is a sparse
 * vector of size numFeatures with sorted indices.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hash/murmur3.h"
#include "ml/transform.h"

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_INT("numFeatures", 262144, ML_R_GT, 0, 0),
    P_BOOL("binary", 0),
};

/* FeatureHasher.murmur3Hash(term) */
static uint32_t term_hash(const lm_type *t, const lm_value *v)
{
    if (v->is_null)
        return LM_MURMUR3_SEED;
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        return lm_murmur3_hash_int(v->u.b ? 1 : 0, LM_MURMUR3_SEED);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
        return lm_murmur3_hash_int((int32_t)v->u.i64, LM_MURMUR3_SEED);
    case LM_TYPE_LONG:
        return lm_murmur3_hash_long(v->u.i64, LM_MURMUR3_SEED);
    case LM_TYPE_FLOAT: {
        float f = v->u.f32;
        int32_t bits;
        memcpy(&bits, &f, sizeof bits);
        return lm_murmur3_hash_int(bits, LM_MURMUR3_SEED);
    }
    case LM_TYPE_DOUBLE: {
        int64_t bits;
        memcpy(&bits, &v->u.f64, sizeof bits);
        return lm_murmur3_hash_long(bits, LM_MURMUR3_SEED);
    }
    case LM_TYPE_STRING:
        return lm_murmur3_hash_bytes2(v->u.str.ptr, (size_t)v->u.str.len, LM_MURMUR3_SEED);
    default:
        return lm_murmur3_hash_value(t, v, LM_MURMUR3_SEED);
    }
}

int32_t ml_hashing_index(const lm_type *t, const lm_value *v, int32_t num_features)
{
    int32_t h = (int32_t)term_hash(t, v);
    int32_t r = h % num_features;
    return r < 0 ? r + num_features : r;
}

typedef struct tf_ctx {
    int32_t n;
    bool binary;
} tf_ctx;

typedef struct tf_entry {
    int32_t idx;
    double v;
} tf_entry;

static int by_idx(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    int32_t x = ((const tf_entry *)a)->idx, y = ((const tf_entry *)b)->idx;
    return x < y ? -1 : x > y;
}

static lm_status tf_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                         lm_value *out, bool *skip)
{
    tf_ctx *x = p;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *arr = in->u.arr;
    tf_entry *e = lm_arena_alloc(a, sizeof *e * ((size_t)arr->n + 1));
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t j = 0; j < arr->n; j++) {
        e[j].idx = ml_hashing_index(t->elem, &arr->elems[j], x->n);
        e[j].v = 1.0;
    }
    if (!ml_sort(e, (size_t)arr->n, sizeof *e, by_idx, NULL))
        return LM_ENOMEM;
    int32_t *idx = lm_arena_alloc(a, sizeof *idx * ((size_t)arr->n + 1));
    double *val = lm_arena_alloc(a, sizeof *val * ((size_t)arr->n + 1));
    if (idx == NULL || val == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int32_t j = 0; j < arr->n; j++) {
        if (k > 0 && idx[k - 1] == e[j].idx) {
            if (!x->binary)
                val[k - 1] += 1.0;
            continue;
        }
        idx[k] = e[j].idx;
        val[k++] = 1.0;
    }
    return ml_sparse_value(a, x->n, k, idx, val, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    int c = lm_type_field_index(ml_df_schema(df), io.in[0]);
    if (c >= 0 && ml_df_schema(df)->fields[c].type->id != LM_TYPE_ARRAY) {
        ml_fail(st->s, ML_EXC_IAE,
                "requirement failed: The input column must be ArrayType, but got %s.",
                ml_df_schema(df)->fields[c].type->id == LM_TYPE_STRING ? "StringType"
                                                                       : "another type");
        return NULL;
    }
    tf_ctx x = {(int32_t)ml_int(st, "numFeatures"), ml_bool(st, "binary")};
    lm_type *vt = ml_vector_type();
    lm_type *types[1] = {vt};
    lm_df *r = vt ? ml_map_columns(st, df, &io, types, tf_cell, &x) : NULL;
    lm_type_unref(vt);
    return r;
}

const ml_kind ml_kind_hashing_tf = {
    .name = "HashingTF",
    .java_class = "org.apache.spark.ml.feature.HashingTF",
    .uid_prefix = "hashingTF",
    .role = ML_TRANSFORMER,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
};
