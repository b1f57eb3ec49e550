/*
 * Master URLs, parsed with the grammar and error texts of Spark 3.5's
 * SparkContext.createTaskScheduler (SparkMasterRegex) and, for URLs that
 * go through spark-submit, SparkSubmit's own check.
 *
 *   local                 1 thread, 1 task attempt
 *   local[N] / local[*]   N threads (or the machine's cores), 1 task attempt
 *   local[N,F] / local[*,F]  as above, F task attempts (blanks allowed around ',')
 *   local-cluster[W,C,M]  W workers of C cores and M MiB each (runs locally here)
 *   spark://h1:p1,h2:p2   standalone masters
 *   k8s://..., yarn, mesos://...   cluster managers: delegated to spark-submit
 *
 * Anything else is "Could not parse Master URL: '<url>'".
 */
#ifndef LM_CONF_MASTER_H
#define LM_CONF_MASTER_H

#include <stdbool.h>

#include "common/error.h"

#define LM_EXC_SPARK "org.apache.spark.SparkException"

typedef enum lm_master_kind {
    LM_MASTER_LOCAL,         /* local, local[N], local[N,F] */
    LM_MASTER_LOCAL_CLUSTER, /* local-cluster[W,C,M] */
    LM_MASTER_STANDALONE,    /* spark:// */
    LM_MASTER_K8S,           /* k8s... */
    LM_MASTER_YARN,          /* yarn */
    LM_MASTER_MESOS          /* mesos... */
} lm_master_kind;

typedef struct lm_master {
    lm_master_kind kind;
    char *url;          /* the URL as given; owned */
    int threads;        /* LOCAL: worker threads; LOCAL_CLUSTER: W*C; else 0 */
    bool all_cores;     /* '*' was given */
    int max_failures;   /* task attempts before the job fails */
    int workers;        /* LOCAL_CLUSTER only */
    int cores_per_worker;
    int memory_per_worker_mb;
    int nurls;          /* STANDALONE: the master URLs, each "spark://host:port" */
    char **urls;
} lm_master;

/* What the parse needs from the machine and the conf; zero means default. */
typedef struct lm_master_opts {
    int ncores;             /* cores for '*'; 0: sysconf(_SC_NPROCESSORS_ONLN) */
    int task_cpus;          /* spark.task.cpus; 0: 1 */
    int task_max_failures;  /* spark.task.maxFailures for non-local masters; 0: 4 */
    int executor_memory_mb; /* spark.executor.memory in MiB; 0: 1024 */
} lm_master_opts;

/*
 * Parses url into *out (initialised here; release with lm_master_clear,
 * also after a failure). opts may be NULL. Errors carry Spark's texts:
 *   Could not parse Master URL: 'foo'
 *   Asked to run locally with 0 threads
 *   The number of cores per executor (=0) has to be >= the number of cpus per task = 1.
 *   Asked to launch cluster with 512 MiB/worker but requested 1024 MiB/executor
 *   For input string: "99999999999"       (java.lang.NumberFormatException)
 */
lm_status lm_master_parse(const char *url, const lm_master_opts *opts, lm_master *out,
                          lm_error *err);
void lm_master_clear(lm_master *m);

/* True for masters this engine runs itself (local and local-cluster). */
bool lm_master_is_local(const lm_master *m);

/* "local", "local-cluster", "standalone", "k8s", "yarn", "mesos" */
const char *lm_master_kind_name(lm_master_kind kind);

/*
 * SparkSubmit's check on the master it launches with (before any
 * SparkContext exists): "yarn", or a prefix of spark, mesos, k8s or local;
 * else "Master must either be yarn or start with spark, mesos, k8s, or local".
 */
lm_status lm_master_check_submit(const char *url, lm_error *err);

#endif
