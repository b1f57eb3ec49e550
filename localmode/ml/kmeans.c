/*
 * KMeans / KMeansModel (euclidean), following Spark's MLlib KMeans:
 *  - initMode "k-means||" (default): the first center is
 *    takeSample(false, 1, XORShiftRandom(seed).nextInt()); then initSteps
 *    rounds each keep every point with probability 2 k cost / sumCost
 *    (XORShiftRandom(seed ^ (step << 16) ^ partition)); when more than k
 *    distinct candidates remain they are weighted by the points closest to
 *    them and reduced by LocalKMeans.kMeansPlusPlus (java.util.Random(0),
 *    30 Lloyd rounds);
 *  - initMode "random": takeSample(false, k, XORShiftRandom(seed).nextInt()),
 *    deduplicated;
 *  - Lloyd iterations until every center moves less than tol, or maxIter;
 *    ties go to the lowest center index. trainingCost is the weighted sum
 *    of squared distances. The data is one partition.
 * The default seed is Spark's: the class name's Java hashCode.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/params.h"

static const ml_param_def k_params[] = {
    P_STR("featuresCol", "features"),
    P_STR("predictionCol", "prediction"),
    P_INT("k", 2, ML_R_GT, 1, 0),
    P_INT("maxIter", 20, ML_R_GE, 0, 0),
    P_DBL("tol", 1e-4, ML_R_GE, 0, 0),
    P_CHOICE("initMode", "k-means||", "random|k-means||"),
    P_INT("initSteps", 2, ML_R_GT, 0, 0),
    P_INT("seed", -1689246527, ML_R_NONE, 0, 0), /* "...clustering.KMeans".hashCode */
    P_CHOICE("distanceMeasure", "euclidean", "euclidean"),
    P_STR_NODEF("weightCol"),
    P_CHOICE("solver", "auto", "auto|row|block"),
    P_DBL("maxBlockSizeInMB", 0.0, ML_R_GE, 0, 0),
};

typedef struct km_data {
    int k, d;
    double *centers; /* k x d */
    double cost;
    int iterations;
} km_data;

static void km_free(void *p)
{
    km_data *m = p;
    if (m) {
        free(m->centers);
        free(m);
    }
}

static double dist2(const double *a, const double *b, int d)
{
    double s = 0;
    for (int j = 0; j < d; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

static int closest(const double *c, int k, const double *x, int d, double *best)
{
    int bi = 0;
    double bd = INFINITY;
    for (int i = 0; i < k; i++) {
        double v = dist2(c + (size_t)i * d, x, d);
        if (v < bd) {
            bd = v;
            bi = i;
        }
    }
    if (best)
        *best = bd;
    return bi;
}

/* XORShiftRandom.nextInt(): next(32). */
static int32_t xs_next_int(lm_xorshift *r)
{
    uint64_t s = (uint64_t)r->seed;
    s ^= s << 21;
    s ^= s >> 35;
    s ^= s << 4;
    r->seed = (int64_t)s;
    return (int32_t)(uint32_t)(s & 0xFFFFFFFFu);
}

/* RDD.takeSample(false, n, seed) over the row indices (one partition). */
static lm_status take_sample(lm_session *s, int64_t nrows, int n, int64_t seed, int64_t *out,
                             int *got)
{
    lm_value *idx = malloc(sizeof *idx * ((size_t)nrows + 1));
    if (idx == NULL)
        return lm_error_oom(&s->error);
    for (int64_t i = 0; i < nrows; i++)
        idx[i] = lm_value_i64(i);
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_long(), idx, nrows, 1);
    free(idx);
    lm_value_list *l = NULL;
    lm_status rc = r ? lm_rdd_take_sample(r, false, n, seed, &l) : LM_ERROR;
    lm_rdd_free(r);
    if (rc != LM_OK)
        return rc;
    *got = (int)lm_value_list_count(l);
    for (int i = 0; i < *got; i++)
        out[i] = lm_value_list_at(l, i)->u.i64;
    lm_value_list_free(l);
    return LM_OK;
}

/* Appends x to cs (n x d) unless already present; returns the new n. */
static int add_distinct(double *cs, int n, const double *x, int d)
{
    for (int i = 0; i < n; i++)
        if (memcmp(cs + (size_t)i * d, x, sizeof *x * (size_t)d) == 0)
            return n;
    memcpy(cs + (size_t)n * d, x, sizeof *x * (size_t)d);
    return n + 1;
}

/* LocalKMeans.kMeansPlusPlus(0, points, weights, k, 30) */
static void local_kmeans_pp(const double *pts, const double *w, int n, int d, int k,
                            double *centers, double *cost, double *sums, double *cnt, int *old)
{
    lm_jrandom rand;
    lm_jrandom_init(&rand, 0);
    double wsum = 0;
    for (int i = 0; i < n; i++)
        wsum += w[i];
    double r = lm_jrandom_next_double(&rand) * wsum, cur = 0;
    int i = 0;
    while (i < n && cur < r)
        cur += w[i++];
    memcpy(centers, pts + (size_t)(i > 0 ? i - 1 : 0) * d, sizeof *centers * (size_t)d);
    for (int p = 0; p < n; p++)
        cost[p] = dist2(pts + (size_t)p * d, centers, d);
    for (int c = 1; c < k; c++) {
        double sum = 0;
        for (int p = 0; p < n; p++)
            sum += cost[p] * w[p];
        double rr = lm_jrandom_next_double(&rand) * sum, cum = 0;
        int j = 0;
        while (j < n && cum < rr) {
            cum += w[j] * cost[j];
            j++;
        }
        memcpy(centers + (size_t)c * d, pts + (size_t)(j > 0 ? j - 1 : 0) * d,
               sizeof *centers * (size_t)d);
        for (int p = 0; p < n; p++) {
            double v = dist2(pts + (size_t)p * d, centers + (size_t)c * d, d);
            if (v < cost[p])
                cost[p] = v;
        }
    }
    for (int p = 0; p < n; p++)
        old[p] = -1;
    bool moved = true;
    for (int it = 0; moved && it < 30; it++) {
        moved = false;
        memset(sums, 0, sizeof *sums * (size_t)k * d);
        memset(cnt, 0, sizeof *cnt * (size_t)k);
        for (int p = 0; p < n; p++) {
            int c = closest(centers, k, pts + (size_t)p * d, d, NULL);
            for (int j = 0; j < d; j++)
                sums[(size_t)c * d + j] += w[p] * pts[(size_t)p * d + j];
            cnt[c] += w[p];
            if (c != old[p]) {
                moved = true;
                old[p] = c;
            }
        }
        for (int c = 0; c < k; c++) {
            if (cnt[c] == 0.0) {
                int q = lm_jrandom_next_int_bound(&rand, n);
                memcpy(centers + (size_t)c * d, pts + (size_t)q * d, sizeof *centers * (size_t)d);
            } else {
                for (int j = 0; j < d; j++)
                    centers[(size_t)c * d + j] = sums[(size_t)c * d + j] / cnt[c];
            }
        }
    }
}

static lm_status fit(lm_ml_stage *est, lm_df *df, lm_ml_stage *model)
{
    lm_session *s = est->s;
    ml_instances in;
    if (ml_instances_load(est, df, NULL,
                          ml_is_set(est, "weightCol") ? ml_str(est, "weightCol") : NULL,
                          ml_str(est, "featuresCol"), &in) != LM_OK)
        return LM_ERROR;
    int k = (int)ml_int(est, "k"), d = in.d;
    int64_t n = in.n;
    int64_t seed = ml_int(est, "seed");
    int cap = k * (2 * (int)ml_int(est, "initSteps") + 2) + (int)n + 1;
    double *cand = calloc((size_t)cap * d + 1, sizeof *cand);
    double *costs = calloc((size_t)n + 1, sizeof *costs);
    double *centers = calloc((size_t)k * d + 1, sizeof *centers);
    double *sums = calloc((size_t)(cap > k ? cap : k) * d + 1, sizeof *sums);
    double *cnt = calloc((size_t)(cap > k ? cap : k) + 1, sizeof *cnt);
    int64_t *pick = calloc((size_t)k + 1, sizeof *pick);
    int *old = calloc((size_t)cap + 1, sizeof *old);
    lm_status rc =
        cand && costs && centers && sums && cnt && pick && old ? LM_OK : lm_error_oom(&s->error);
    int nc = 0;
    lm_xorshift xr;
    lm_xorshift_init(&xr, seed);
    int32_t sample_seed = xs_next_int(&xr);
    if (rc == LM_OK && strcmp(ml_str(est, "initMode"), "random") == 0) {
        int got = 0;
        rc = take_sample(s, n, k, sample_seed, pick, &got);
        for (int i = 0; rc == LM_OK && i < got; i++)
            nc = add_distinct(cand, nc, in.x + (size_t)pick[i] * d, d);
        memcpy(centers, cand, sizeof *centers * (size_t)nc * d);
    } else if (rc == LM_OK) {
        int got = 0;
        rc = take_sample(s, n, 1, sample_seed, pick, &got);
        int nall = 0, first_new = 0;
        if (rc == LM_OK && got == 1) {
            memcpy(cand, in.x + (size_t)pick[0] * d, sizeof *cand * (size_t)d);
            nall = 1;
        }
        for (int64_t p = 0; p < n; p++)
            costs[p] = INFINITY;
        for (int step = 0; rc == LM_OK && step < (int)ml_int(est, "initSteps"); step++) {
            double sum = 0;
            for (int64_t p = 0; p < n; p++) {
                for (int c = first_new; c < nall; c++) {
                    double v = dist2(in.x + (size_t)p * d, cand + (size_t)c * d, d);
                    if (v < costs[p])
                        costs[p] = v;
                }
                sum += costs[p];
            }
            first_new = nall;
            lm_xorshift r;
            lm_xorshift_init(&r, seed ^ ((int64_t)step << 16) ^ 0);
            for (int64_t p = 0; p < n; p++)
                if (lm_xorshift_next_double(&r) < 2.0 * costs[p] * k / sum && nall < cap)
                    memcpy(cand + (size_t)nall++ * d, in.x + (size_t)p * d,
                           sizeof *cand * (size_t)d);
        }
        /* distinct candidates, in order */
        for (int c = 0; c < nall; c++)
            nc = add_distinct(cand, nc, cand + (size_t)c * d, d);
        if (nc <= k) {
            memcpy(centers, cand, sizeof *centers * (size_t)nc * d);
        } else {
            double *w = calloc((size_t)nc + 1, sizeof *w);
            double *cc = calloc((size_t)nc + 1, sizeof *cc);
            if (w == NULL || cc == NULL) {
                rc = lm_error_oom(&s->error);
            } else {
                for (int64_t p = 0; p < n; p++)
                    w[closest(cand, nc, in.x + (size_t)p * d, d, NULL)] += 1.0;
                local_kmeans_pp(cand, w, nc, d, k, centers, cc, sums, cnt, old);
                nc = k;
            }
            free(w);
            free(cc);
        }
    }
    int iter = 0;
    double cost = 0;
    double tol2 = ml_num(est, "tol") * ml_num(est, "tol");
    bool converged = false;
    while (rc == LM_OK && !converged && iter < (int)ml_int(est, "maxIter")) {
        memset(sums, 0, sizeof *sums * (size_t)nc * d);
        memset(cnt, 0, sizeof *cnt * (size_t)nc);
        cost = 0;
        for (int64_t p = 0; p < n; p++) {
            double bd;
            int c = closest(centers, nc, in.x + (size_t)p * d, d, &bd);
            cost += in.w[p] * bd;
            cnt[c] += in.w[p];
            for (int j = 0; j < d; j++)
                sums[(size_t)c * d + j] += in.w[p] * in.x[(size_t)p * d + j];
        }
        converged = true;
        for (int c = 0; c < nc; c++) {
            if (cnt[c] == 0.0)
                continue;
            double moved = 0;
            for (int j = 0; j < d; j++) {
                double v = sums[(size_t)c * d + j] / cnt[c];
                double e = v - centers[(size_t)c * d + j];
                moved += e * e;
                centers[(size_t)c * d + j] = v;
            }
            if (moved > tol2)
                converged = false;
        }
        iter++;
    }
    /* Spark reports the cost of the last assignment (before its centers
       moved); without iterations, that of the initial centers */
    if (rc == LM_OK && iter == 0) {
        cost = 0;
        for (int64_t p = 0; p < n; p++) {
            double bd;
            closest(centers, nc, in.x + (size_t)p * d, d, &bd);
            cost += in.w[p] * bd;
        }
    }
    if (rc == LM_OK) {
        km_data *m = calloc(1, sizeof *m);
        if (m == NULL) {
            rc = lm_error_oom(&s->error);
        } else {
            m->k = nc;
            m->d = d;
            m->centers = centers;
            m->cost = cost;
            m->iterations = iter;
            centers = NULL;
            model->data = m;
        }
    }
    free(cand);
    free(costs);
    free(centers);
    free(sums);
    free(cnt);
    free(pick);
    free(old);
    ml_instances_free(&in);
    return rc;
}

static lm_status predict(const lm_ml_stage *st, const ml_vec *x, lm_arena *a, lm_value *out)
{
    const km_data *m = st->data;
    if (x->size != m->d)
        return ml_fail(st->s, ML_EXC_IAE, "KMeans: vector size %d, model has %d", x->size, m->d);
    double *xd = lm_arena_alloc(a, sizeof *xd * ((size_t)m->d + 1));
    if (xd == NULL)
        return LM_ENOMEM;
    ml_vec_to_dense(x, xd);
    out[0] = lm_value_i64(closest(m->centers, m->k, xd, m->d, NULL));
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    const char *names[1] = {ml_str(st, "predictionCol")};
    lm_type *types[1] = {lm_type_int()};
    return ml_predict_columns(st, df, 1, names, types, predict);
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    const km_data *m = st->data;
    if (strcmp(name, "clusterCenters") == 0)
        return ml_attr_doubles(out, m->k * m->d, m->centers);
    if (strcmp(name, "trainingCost") == 0 || strcmp(name, "summary.trainingCost") == 0)
        return ml_attr_double(out, m->cost);
    if (strcmp(name, "summary.numIter") == 0 || strcmp(name, "numClusters") == 0) {
        out->type = ML_A_INT;
        out->i = name[0] == 's' ? m->iterations : m->k;
        return true;
    }
    return false;
}

static lm_status save_data(const lm_ml_stage *st, lm_strbuf *sb)
{
    const km_data *m = st->data;
    for (int c = 0; c < m->k; c++) {
        lm_strbuf_printf(sb, "{\"clusterIdx\":%d,\"clusterCenter\":", c);
        ml_json_doubles(sb, m->d, m->centers + (size_t)c * m->d);
        lm_strbuf_puts(sb, "}\n");
    }
    return LM_OK;
}

static lm_status load_data(lm_ml_stage *st, const ml_json *rows)
{
    km_data *m = calloc(1, sizeof *m);
    if (m == NULL)
        return lm_error_oom(&st->s->error);
    m->k = rows->n;
    for (int c = 0; c < rows->n; c++) {
        double *v;
        int d = ml_json_read_doubles(ml_json_get(&rows->items[c], "clusterCenter"), &v);
        int idx = (int)ml_json_num(&rows->items[c], "clusterIdx", c);
        if (d < 0 || (c > 0 && d != m->d) || idx < 0 || idx >= rows->n) {
            free(v);
            km_free(m);
            return ml_fail(st->s, ML_EXC_IAE, "KMeansModel data is incomplete");
        }
        if (m->centers == NULL) {
            m->d = d;
            m->centers = calloc((size_t)rows->n * d + 1, sizeof *m->centers);
            if (m->centers == NULL) {
                free(v);
                km_free(m);
                return lm_error_oom(&st->s->error);
            }
        }
        memcpy(m->centers + (size_t)idx * d, v, sizeof *v * (size_t)d);
        free(v);
    }
    st->data = m;
    return LM_OK;
}

const ml_kind ml_kind_kmeans = {
    .name = "KMeans",
    .java_class = "org.apache.spark.ml.clustering.KMeans",
    .uid_prefix = "kmeans",
    .role = ML_ESTIMATOR,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .model_kind = "KMeansModel",
    .fit = fit,
};

const ml_kind ml_kind_kmeans_model = {
    .name = "KMeansModel",
    .java_class = "org.apache.spark.ml.clustering.KMeansModel",
    .uid_prefix = "kmeans",
    .role = ML_MODEL,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .free_data = km_free,
    .attr = attr,
    .save_data = save_data,
    .load_data = load_data,
    .data_schema = "clusterIdx int, clusterCenter vector",
};
