/*
 * Environment resolution: where each setting of a session comes from, as a
 * PySpark program launched through spark-submit would see it, and with
 * localmode's fallbacks (DESIGN.md section 7). Highest precedence first:
 *
 *   1. code: the explicit master and conf given by the caller ("code");
 *   2. PYSPARK_SUBMIT_ARGS: dedicated options (--master, --name,
 *      --driver-memory, ...) over --conf pairs; keys not starting with
 *      "spark." are dropped with Spark's warning;
 *      SPARK_TESTING (non-empty) adds spark.ui.enabled=false here, as PySpark does;
 *   3. the properties file: --properties-file, else spark-defaults.conf in
 *      $SPARK_CONF_DIR, else in $SPARK_HOME/conf (non-spark keys dropped);
 *   4. environment variables spark-submit reads: MASTER (spark.master),
 *      SPARK_DRIVER_MEMORY, SPARK_EXECUTOR_MEMORY, DEPLOY_MODE;
 *   5. SPARK_SUBMIT_OPTS: -Dspark.key=value JVM options (never spark.master,
 *      which spark-submit always sets);
 *   6. env SPARK_MASTER (a common convention, not read by Spark itself);
 *   7. defaults: spark.master local[*], spark.app.name, and
 *      spark.sql.session.timeZone from the machine (TZ, else the target of
 *      /etc/localtime).
 * SPARK_LOCAL_DIRS, when set, replaces spark.local.dir whatever its source,
 * as Spark's Utils.getConfiguredLocalDirs does.
 *
 * Failures reproduce what the user would see. spark-submit's own errors
 * are printed by spark-submit, after which PySpark raises
 * JAVA_GATEWAY_EXITED; the message holds both lines, e.g.
 *   Error: Missing application resource.
 *   [JAVA_GATEWAY_EXITED] Java gateway process exited before sending its port number.
 * with error class JAVA_GATEWAY_EXITED. Bad master URLs and conf values
 * fail with SparkContext's / SQLConf's messages (see master.h, conf.h).
 */
#ifndef LM_CONF_ENV_H
#define LM_CONF_ENV_H

#include <stdbool.h>

#include "common/error.h"
#include "conf/conf.h"
#include "conf/master.h"

#define LM_EXC_PYSPARK_RUNTIME "pyspark.errors.exceptions.base.PySparkRuntimeError"

/* Returns the variable's value or NULL when unset. */
typedef const char *(*lm_getenv_fn)(void *ctx, const char *name);

typedef struct lm_env_input {
    const char *master;          /* explicit master (builder.master, CLI --master), or NULL */
    const lm_conf *conf;         /* explicit settings, or NULL */
    const char *explicit_origin; /* origin shown for the two above; NULL: "code" */
    lm_getenv_fn getenv_fn;      /* NULL: the process environment */
    void *getenv_ctx;
    /* Folders tried for SPARK_HOME when the variable is unset; NULL-terminated;
       entries may start with ${VAR} and contain glob patterns. NULL: findspark's
       list (see env.c) and the usual pyspark package folders. */
    const char *const *spark_home_candidates;
    const char *localtime_path; /* NULL: /etc/localtime */
    int ncores;                 /* cores for local[*]; 0: sysconf */
} lm_env_input;

typedef struct lm_resolved_env {
    lm_conf *conf;           /* every resolved setting */
    lm_conf *origins;        /* key -> where the setting came from */
    lm_master master;        /* spark.master, parsed */
    char *spark_home;        /* NULL when neither set nor found */
    char *spark_home_origin; /* "env SPARK_HOME" or "found by findspark's search" */
    char *conf_dir;          /* $SPARK_CONF_DIR, else $SPARK_HOME/conf; may be NULL */
    char *conf_dir_origin;
    char *properties_file;   /* the properties file read, or NULL */
    bool testing;            /* SPARK_TESTING is set (Spark's Utils.isTesting) */
    char **warnings;         /* what Spark would log as warnings, in order */
    int nwarnings;
} lm_resolved_env;

/*
 * Resolves the environment into *out (initialised here; release with
 * lm_resolved_env_free, also after a failure).
 */
lm_status lm_env_resolve(const lm_env_input *in, lm_resolved_env *out, lm_error *err);
void lm_resolved_env_free(lm_resolved_env *r);

/* Where key's value came from, or NULL when key is not set. */
const char *lm_env_origin(const lm_resolved_env *r, const char *key);

/*
 * The text `localmode env` prints, one line per item:
 *   SPARK_HOME = /opt/spark  (env SPARK_HOME)
 *   SPARK_CONF_DIR = /opt/spark/conf  (SPARK_HOME/conf)
 *   properties file = /opt/spark/conf/spark-defaults.conf
 *   SPARK_TESTING = set                        (only when set)
 *   spark.app.name = localmode  (default)      (settings sorted by key)
 *   warning: Ignoring non-Spark config property: foo
 * "(none)" stands for an unset SPARK_HOME / SPARK_CONF_DIR / file; line
 * breaks and tabs inside values are shown as \n, \r, \t. Malloc'ed; caller
 * frees; NULL on allocation failure.
 */
char *lm_env_describe(const lm_resolved_env *r);

/*
 * SPARK_HOME as findspark finds it: the variable when set, else the first
 * candidate folder holding bin/spark-submit. *home is malloc'ed. When
 * nothing is found: LM_ERROR with findspark's message "Couldn't find Spark,
 * make sure SPARK_HOME env is set or Spark is in an expected location (e.g.
 * from homebrew installation)." (for `localmode submit`, which needs it).
 */
lm_status lm_env_find_spark_home(const lm_env_input *in, char **home, const char **origin,
                                 lm_error *err);

/*
 * The machine's time zone as the JVM picks its default: TZ (a leading ':'
 * dropped, ".../zoneinfo/" prefixes removed), else the zone name in the
 * target of /etc/localtime, else "UTC". *zone is malloc'ed; *how says which.
 */
lm_status lm_env_machine_timezone(const lm_env_input *in, char **zone, const char **how,
                                  lm_error *err);

#endif
