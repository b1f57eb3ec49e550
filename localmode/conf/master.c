/*
 * Master URL parsing. Spark matches the URL against a few anchored regular
 * expressions in a fixed order; we walk the same alternatives by hand so
 * the accepted language (digits only, blanks only around the commas, no
 * trailing text) is exactly Spark's, with no regex engine involved.
 */
#include "conf/master.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *master_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void lm_master_clear(lm_master *m)
{
    if (m == NULL)
        return;
    for (int i = m->nurls; i > 0; i--)
        free(m->urls[i - 1]);
    free(m->urls);
    free(m->url);
    memset(m, 0, sizeof *m);
}

bool lm_master_is_local(const lm_master *m)
{
    return m->kind == LM_MASTER_LOCAL || m->kind == LM_MASTER_LOCAL_CLUSTER;
}

const char *lm_master_kind_name(lm_master_kind kind)
{
    switch (kind) {
    case LM_MASTER_LOCAL:
        return "local";
    case LM_MASTER_LOCAL_CLUSTER:
        return "local-cluster";
    case LM_MASTER_STANDALONE:
        return "standalone";
    case LM_MASTER_K8S:
        return "k8s";
    case LM_MASTER_YARN:
        return "yarn";
    case LM_MASTER_MESOS:
        return "mesos";
    }
    return "unknown";
}

/* A cursor over the URL for the bracketed forms. */
typedef struct cursor {
    const char *p;
} cursor;

static bool eat(cursor *c, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(c->p, lit, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* Java's \s: space, \t, \n, \x0B, \f, \r. */
static void skip_blanks(cursor *c)
{
    while (*c->p == ' ' || (*c->p >= '\t' && *c->p <= '\r'))
        c->p++;
}

/* [0-9]+ ; returns the span. */
static bool digits(cursor *c, const char **start, size_t *len)
{
    const char *s = c->p;
    while (*c->p >= '0' && *c->p <= '9')
        c->p++;
    *start = s;
    *len = (size_t)(c->p - s);
    return *len > 0;
}

/* [0-9]+ or '*' */
static bool threads_spec(cursor *c, const char **start, size_t *len)
{
    if (*c->p == '*') {
        *start = c->p++;
        *len = 1;
        return true;
    }
    return digits(c, start, len);
}

/* String.toInt: overflow is a NumberFormatException in Spark. */
static lm_status to_int(const char *s, size_t n, int *out, lm_error *err)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > INT32_MAX)
            return lm_error_set(err, LM_ERROR, "java.lang.NumberFormatException", NULL, NULL,
                                "For input string: \"%.*s\"", (int)n, s);
    }
    *out = (int)v;
    return LM_OK;
}

static int machine_cores(const lm_master_opts *o)
{
    if (o && o->ncores > 0)
        return o->ncores;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < INT32_MAX ? (int)n : 1;
}

/* SparkContext.checkResourcesPerTask -> validateTaskCpusLargeEnough. */
static lm_status check_task_cpus(int executor_cores, const lm_master_opts *o, lm_error *err)
{
    int task_cpus = o && o->task_cpus > 0 ? o->task_cpus : 1;
    if (executor_cores < task_cpus)
        return lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                            "The number of cores per executor (=%d) has to be >= the number "
                            "of cpus per task = %d.",
                            executor_cores, task_cpus);
    return LM_OK;
}

/* local[N] / local[N,F]: returns 1 when it matched, 0 when not, -1 on error. */
static int parse_local_brackets(const char *url, const lm_master_opts *o, lm_master *m,
                                lm_error *err)
{
    cursor c = {url};
    const char *t, *f;
    size_t tn, fn;
    if (!eat(&c, "local[") || !threads_spec(&c, &t, &tn))
        return 0;
    bool with_failures = false;
    if (*c.p == ']') {
        c.p++;
    } else {
        skip_blanks(&c);
        if (!eat(&c, ","))
            return 0;
        skip_blanks(&c);
        if (!digits(&c, &f, &fn) || !eat(&c, "]"))
            return 0;
        with_failures = true;
    }
    if (*c.p != '\0')
        return 0;

    m->kind = LM_MASTER_LOCAL;
    m->all_cores = *t == '*';
    if (m->all_cores)
        m->threads = machine_cores(o);
    else if (to_int(t, tn, &m->threads, err) != LM_OK)
        return -1;
    if (with_failures) {
        /* Spark checks no thread count here, only the cores per task. */
        if (to_int(f, fn, &m->max_failures, err) != LM_OK)
            return -1;
    } else {
        if (m->threads <= 0) {
            lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                         "Asked to run locally with %d threads", m->threads);
            return -1;
        }
        m->max_failures = 1; /* local mode does not retry failed tasks */
    }
    if (check_task_cpus(m->threads, o, err) != LM_OK)
        return -1;
    return 1;
}

/* local-cluster[W,C,M]: returns 1 when it matched, 0 when not, -1 on error. */
static int parse_local_cluster(const char *url, const lm_master_opts *o, lm_master *m,
                               lm_error *err)
{
    cursor c = {url};
    const char *part[3];
    size_t len[3];
    if (!eat(&c, "local-cluster["))
        return 0;
    for (int i = 0; i < 3; i++) {
        skip_blanks(&c);
        if (!digits(&c, &part[i], &len[i]))
            return 0;
        skip_blanks(&c);
        if (!eat(&c, i < 2 ? "," : "]"))
            return 0;
    }
    if (*c.p != '\0')
        return 0;
    m->kind = LM_MASTER_LOCAL_CLUSTER;
    if (to_int(part[0], len[0], &m->workers, err) != LM_OK ||
        to_int(part[1], len[1], &m->cores_per_worker, err) != LM_OK ||
        to_int(part[2], len[2], &m->memory_per_worker_mb, err) != LM_OK)
        return -1;
    if (check_task_cpus(m->cores_per_worker, o, err) != LM_OK)
        return -1;
    int executor_mb = o && o->executor_memory_mb > 0 ? o->executor_memory_mb : 1024;
    if (executor_mb > m->memory_per_worker_mb) {
        lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                     "Asked to launch cluster with %d MiB/worker but requested %d MiB/executor",
                     m->memory_per_worker_mb, executor_mb);
        return -1;
    }
    int64_t total = (int64_t)m->workers * m->cores_per_worker;
    m->threads = total > INT32_MAX ? INT32_MAX : (int)total;
    return 1;
}

/* spark://a,b -> spark://a and spark://b, as StandaloneSchedulerBackend gets them. */
static lm_status split_standalone(const char *rest, lm_master *m, lm_error *err)
{
    int n = 1;
    for (const char *p = rest; *p; p++)
        n += *p == ',';
    m->urls = calloc((size_t)n, sizeof *m->urls);
    if (m->urls == NULL)
        return lm_error_oom(err);
    const char *p = rest;
    for (int i = 0; i < n; i++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *u = malloc(len + sizeof "spark://");
        if (u == NULL)
            return lm_error_oom(err);
        memcpy(u, "spark://", 8);
        memcpy(u + 8, p, len);
        u[8 + len] = '\0';
        m->urls[m->nurls++] = u;
        p = e ? e + 1 : p + len;
    }
    return LM_OK;
}

lm_status lm_master_parse(const char *url, const lm_master_opts *opts, lm_master *out,
                          lm_error *err)
{
    memset(out, 0, sizeof *out);
    if (url == NULL)
        return lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                            "A master URL must be set in your configuration");
    out->url = master_strndup(url, strlen(url));
    if (out->url == NULL)
        return lm_error_oom(err);
    int task_max_failures = opts && opts->task_max_failures > 0 ? opts->task_max_failures : 4;

    if (strcmp(url, "local") == 0) {
        out->kind = LM_MASTER_LOCAL;
        out->threads = 1;
        out->max_failures = 1;
        return check_task_cpus(1, opts, err);
    }
    int r = parse_local_brackets(url, opts, out, err);
    if (r != 0)
        return r > 0 ? LM_OK : LM_ERROR;
    /* Scala's "spark://(.*)" does not let '.' match line breaks. */
    if (strncmp(url, "spark://", 8) == 0 && strpbrk(url, "\n\r") == NULL) {
        out->kind = LM_MASTER_STANDALONE;
        out->max_failures = task_max_failures;
        return split_standalone(url + 8, out, err);
    }
    r = parse_local_cluster(url, opts, out, err);
    if (r != 0) {
        out->max_failures = task_max_failures;
        return r > 0 ? LM_OK : LM_ERROR;
    }
    /* The external cluster managers' canCreate tests. */
    if (strcmp(url, "yarn") == 0)
        out->kind = LM_MASTER_YARN;
    else if (strncmp(url, "k8s", 3) == 0)
        out->kind = LM_MASTER_K8S;
    else if (strncmp(url, "mesos", 5) == 0)
        out->kind = LM_MASTER_MESOS;
    else
        return lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                            "Could not parse Master URL: '%s'", url);
    out->max_failures = task_max_failures;
    return LM_OK;
}

lm_status lm_master_check_submit(const char *url, lm_error *err)
{
    static const char *const prefixes[] = {"spark", "mesos", "k8s", "local"};
    if (url != NULL) {
        if (strcmp(url, "yarn") == 0)
            return LM_OK;
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
            if (strncmp(url, prefixes[i], strlen(prefixes[i])) == 0)
                return LM_OK;
    }
    return lm_error_set(err, LM_ERROR, LM_EXC_SPARK, NULL, NULL,
                        "Master must either be yarn or start with spark, mesos, k8s, or local");
}
