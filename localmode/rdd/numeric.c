/*
 * DoubleRDDFunctions for RDDs of any numeric type: sum (fold from 0.0),
 * stats (Spark's StatCounter: Welford per partition, Chan's merge across
 * partitions in partition order), mean, and histogram with Spark's bucket
 * rules (evenly spaced buckets from min and max; explicit buckets open to
 * the right except the last).
 */
#include "rdd_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/strbuf.h"
#include "session/session.h"
#include "types/numfmt.h"

bool rdd_as_double(const lm_type *t, const lm_value *v, double *out)
{
    switch (t->id) {
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        *out = (double)v->u.i64;
        return true;
    case LM_TYPE_FLOAT:
        *out = (double)v->u.f32;
        return true;
    case LM_TYPE_DOUBLE:
        *out = v->u.f64;
        return true;
    case LM_TYPE_DECIMAL: {
        double d = (double)v->u.dec;
        for (int i = 0; i < t->scale; i++)
            d /= 10.0;
        *out = d;
        return true;
    }
    default:
        return false;
    }
}

static lm_status require_numeric(lm_rdd *r, const char *method)
{
    if (lm_type_is_numeric(r->type))
        return LM_OK;
    return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "%s needs a numeric RDD", method);
}

/* Next element as a double; nulls fail the task (Scala can't unbox them). */
static lm_status next_double(rdd_iter *it, lm_task *t, const lm_type *type, double *d,
                             bool *has)
{
    lm_value v;
    lm_status st = it->next(it, t, &v, has);
    if (st != LM_OK || !*has)
        return st;
    if (v.is_null)
        return rdd_task_error(t, LM_ERROR, "null in a numeric RDD");
    rdd_as_double(type, &v, d);
    return LM_OK;
}

static void stat_merge_value(lm_stat_counter *s, double x)
{
    double delta = x - s->mean;
    s->count++;
    s->mean += delta / (double)s->count;
    s->m2 += delta * (x - s->mean);
    /* Java's Math.max/min: NaN wins */
    s->max = isnan(s->max) || isnan(x) ? NAN : fmax(s->max, x);
    s->min = isnan(s->min) || isnan(x) ? NAN : fmin(s->min, x);
}

static void stat_merge(lm_stat_counter *a, const lm_stat_counter *b)
{
    if (a->count == 0) {
        *a = *b;
        return;
    }
    if (b->count == 0)
        return;
    double delta = b->mean - a->mean;
    double n = (double)a->count, m = (double)b->count;
    if (b->count * 10 < a->count)
        a->mean = a->mean + (delta * m) / (n + m);
    else if (a->count * 10 < b->count)
        a->mean = b->mean - (delta * n) / (n + m);
    else
        a->mean = (a->mean * n + b->mean * m) / (n + m);
    a->m2 += b->m2 + (delta * delta * n * m) / (n + m);
    a->count += b->count;
    a->max = isnan(a->max) || isnan(b->max) ? NAN : fmax(a->max, b->max);
    a->min = isnan(a->min) || isnan(b->min) ? NAN : fmin(a->min, b->min);
}

static void stat_init(lm_stat_counter *s)
{
    s->count = 0;
    s->mean = s->m2 = 0;
    s->max = -INFINITY;
    s->min = INFINITY;
}

typedef struct num_job {
    const lm_type *type;
} num_job;

static lm_status stats_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    num_job *j = ud;
    lm_stat_counter s;
    stat_init(&s);
    for (;;) {
        double d;
        bool has;
        lm_status st = next_double(it, t, j->type, &d, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        stat_merge_value(&s, d);
    }
    *(lm_stat_counter *)slot = s;
    return LM_OK;
}

lm_status lm_rdd_stats(lm_rdd *r, lm_stat_counter *out)
{
    if (r == NULL || require_numeric(r, "stats"))
        return LM_ERROR;
    lm_stat_counter *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    num_job j = {r->type};
    lm_status st = rdd_run_job(r, NULL, 0, stats_task, &j, slots, sizeof *slots);
    stat_init(out);
    if (st == LM_OK && r->nparts == 0)
        st = rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_UNSUPPORTED, "empty collection");
    for (int i = 0; st == LM_OK && i < r->nparts; i++)
        stat_merge(out, &slots[i]);
    free(slots);
    return st;
}

static lm_status sum_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    num_job *j = ud;
    double acc = 0.0;
    for (;;) {
        double d;
        bool has;
        lm_status st = next_double(it, t, j->type, &d, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            break;
        acc += d;
    }
    *(double *)slot = acc;
    return LM_OK;
}

lm_status lm_rdd_sum(lm_rdd *r, double *out)
{
    if (r == NULL || require_numeric(r, "sum"))
        return LM_ERROR;
    double *slots = calloc((size_t)r->nparts + 1, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(&r->ctx->s->error);
    num_job j = {r->type};
    lm_status st = rdd_run_job(r, NULL, 0, sum_task, &j, slots, sizeof *slots);
    double acc = 0.0;
    for (int i = 0; st == LM_OK && i < r->nparts; i++)
        acc += slots[i];
    *out = acc;
    free(slots);
    return st;
}

lm_status lm_rdd_mean(lm_rdd *r, double *out)
{
    lm_stat_counter s;
    lm_status st = lm_rdd_stats(r, &s);
    if (st == LM_OK)
        *out = s.count == 0 ? NAN : s.mean;
    return st;
}

double lm_stats_variance(const lm_stat_counter *s)
{
    return s->count == 0 ? NAN : s->m2 / (double)s->count;
}

double lm_stats_stdev(const lm_stat_counter *s)
{
    return sqrt(lm_stats_variance(s));
}

double lm_stats_sample_variance(const lm_stat_counter *s)
{
    return s->count <= 1 ? NAN : s->m2 / (double)(s->count - 1);
}

double lm_stats_sample_stdev(const lm_stat_counter *s)
{
    return sqrt(lm_stats_sample_variance(s));
}

/* Java's "%f": six decimals, NaN and Infinity spelled as Java does. */
static void java_f(lm_strbuf *sb, double d)
{
    if (isnan(d))
        lm_strbuf_puts(sb, "NaN");
    else if (isinf(d))
        lm_strbuf_puts(sb, d > 0 ? "Infinity" : "-Infinity");
    else
        lm_strbuf_printf(sb, "%f", d);
}

char *lm_stats_string(const lm_stat_counter *s)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "(count: %lld, mean: ", (long long)s->count);
    java_f(&sb, s->mean);
    lm_strbuf_puts(&sb, ", stdev: ");
    java_f(&sb, lm_stats_stdev(s));
    lm_strbuf_puts(&sb, ", max: ");
    java_f(&sb, s->max);
    lm_strbuf_puts(&sb, ", min: ");
    java_f(&sb, s->min);
    lm_strbuf_putc(&sb, ')');
    return lm_strbuf_detach(&sb);
}

/* ------------------------------------------------------------ histogram */
typedef struct hist_job {
    const lm_type *type;
    const double *b;
    int n; /* edges */
    bool even;
} hist_job;

/* java.util.Arrays.binarySearch over doubles (Double.compare order). */
static int jcompare(double a, double b)
{
    if (a < b)
        return -1;
    if (a > b)
        return 1;
    if (isnan(a) || isnan(b))
        return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
    return signbit(a) == signbit(b) ? 0 : (signbit(a) ? -1 : 1);
}

static int bucket_of(const hist_job *j, double e)
{
    int nb = j->n - 1;
    if (j->even) {
        double min = j->b[0], max = j->b[j->n - 1];
        if (isnan(e) || e < min || e > max)
            return -1;
        double x = ((e - min) / (max - min)) * nb;
        int k = isnan(x) ? 0 : (int)x; /* Java's NaN.toInt is 0 */
        return k < nb - 1 ? k : nb - 1;
    }
    int lo = 0, hi = j->n - 1, loc = -1;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        int c = jcompare(j->b[mid], e);
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid - 1;
        else {
            loc = mid;
            break;
        }
    }
    if (loc < 0) {
        int ins = lo;
        return ins > 0 && ins < j->n ? ins - 1 : -1;
    }
    return loc < j->n - 1 ? loc : loc - 1;
}

static lm_status hist_task(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    (void)part;
    hist_job *j = ud;
    int64_t *counts = *(int64_t **)slot;
    for (;;) {
        double d;
        bool has;
        lm_status st = next_double(it, t, j->type, &d, &has);
        if (st != LM_OK)
            return st;
        if (!has)
            return LM_OK;
        int k = bucket_of(j, d);
        if (k >= 0)
            counts[k]++;
    }
}

/* Partial counts are per task; a retried task starts again from zero. */
static lm_status hist_task_fresh(lm_task *t, rdd_iter *it, int part, void *ud, void *slot)
{
    hist_job *j = ud;
    int64_t *counts = *(int64_t **)slot;
    for (int i = 0; i < j->n - 1; i++)
        counts[i] = 0;
    return hist_task(t, it, part, ud, slot);
}

lm_status lm_rdd_histogram_buckets(lm_rdd *r, const double *buckets, int n, bool even,
                                   int64_t *counts)
{
    if (r == NULL || require_numeric(r, "histogram"))
        return LM_ERROR;
    if (n < 2)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "buckets array must have at least two elements");
    for (int i = 0; i < n - 1; i++)
        counts[i] = 0;
    if (r->nparts == 0)
        return LM_OK;
    int64_t **slots = calloc((size_t)r->nparts, sizeof *slots);
    int64_t *mem = calloc((size_t)r->nparts * (size_t)(n - 1), sizeof *mem);
    if (slots == NULL || mem == NULL) {
        free(slots);
        free(mem);
        return lm_error_oom(&r->ctx->s->error);
    }
    for (int p = 0; p < r->nparts; p++)
        slots[p] = mem + (size_t)p * (size_t)(n - 1);
    hist_job j = {r->type, buckets, n, even};
    lm_status st = rdd_run_job(r, NULL, 0, hist_task_fresh, &j, slots, sizeof *slots);
    for (int p = 0; st == LM_OK && p < r->nparts; p++)
        for (int i = 0; i < n - 1; i++)
            counts[i] += slots[p][i];
    free(slots);
    free(mem);
    return st;
}

lm_status lm_rdd_histogram(lm_rdd *r, int bucket_count, double **buckets, int64_t **counts,
                           int *nbuckets)
{
    *buckets = NULL;
    *counts = NULL;
    if (r == NULL || require_numeric(r, "histogram"))
        return LM_ERROR;
    if (bucket_count < 1)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                        "requirement failed: bucketCount must be at least 1");
    lm_stat_counter s;
    lm_status st = lm_rdd_stats(r, &s);
    if (st != LM_OK)
        return st;
    double min = s.min, max = s.max;
    if (isnan(min) || isnan(max) || isinf(max) || isinf(min))
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_UNSUPPORTED,
                        "Histogram on either an empty RDD or RDD containing +/-infinity or NaN");
    int ne = min != max ? bucket_count + 1 : 2;
    double *b = malloc(sizeof *b * (size_t)ne);
    int64_t *c = malloc(sizeof *c * (size_t)ne);
    if (b == NULL || c == NULL) {
        free(b);
        free(c);
        return lm_error_oom(&r->ctx->s->error);
    }
    if (min != max) {
        /* customRange: min + (s * span) / steps, then max exactly */
        double span = max - min;
        for (int i = 0; i < bucket_count; i++)
            b[i] = min + ((double)i * span) / bucket_count;
        b[bucket_count] = max;
    } else {
        b[0] = b[1] = min;
    }
    st = lm_rdd_histogram_buckets(r, b, ne, true, c);
    if (st != LM_OK) {
        free(b);
        free(c);
        return st;
    }
    *buckets = b;
    *counts = c;
    *nbuckets = ne - 1;
    return LM_OK;
}
