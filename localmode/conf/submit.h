/*
 * spark-submit's command line, as PySpark hands it over: the
 * PYSPARK_SUBMIT_ARGS string split the way Python's shlex.split does, then
 * parsed with the option list and error texts of Spark 3.5's launcher
 * (SparkSubmitOptionParser / SparkSubmitCommandBuilder). SPARK_SUBMIT_OPTS
 * (JVM options, where -Dspark.x=y sets a conf) is split as the launcher's
 * parseOptionString does.
 *
 * Facts this follows:
 *  - "--opt value" and "--opt=value" both work; "--conf k v" does not:
 *    "--conf k" fails with "Invalid argument to --conf: k";
 *  - the first argument that is not an option is the application resource
 *    and ends option parsing: what follows goes to the application (for
 *    PySpark's "pyspark-shell", to the gateway, which ignores it);
 *  - with no application resource the launcher stops with
 *    "Missing application resource." (why PYSPARK_SUBMIT_ARGS must end with
 *    "pyspark-shell").
 */
#ifndef LM_CONF_SUBMIT_H
#define LM_CONF_SUBMIT_H

#include <stdbool.h>

#include "common/error.h"
#include "conf/conf.h"

typedef enum lm_split_mode {
    LM_SPLIT_SHLEX,      /* Python shlex.split (POSIX mode) */
    LM_SPLIT_JAVA_OPTS   /* the launcher's CommandBuilderUtils.parseOptionString */
} lm_split_mode;

/*
 * Splits s into a malloc'ed argv (caller frees with lm_args_free). Errors:
 * shlex: "No closing quotation", "No escaped character" (Python ValueError);
 * java: "Invalid option string: <s>".
 */
lm_status lm_split_args(const char *s, lm_split_mode mode, char ***argv, int *argc,
                        lm_error *err);
void lm_args_free(char **argv, int argc);

typedef struct lm_submit_args {
    lm_conf *options;      /* from dedicated options, by conf key: --master -> spark.master */
    lm_conf *confs;        /* --conf / -c pairs, in order (a later duplicate wins) */
    char *properties_file; /* --properties-file, or NULL */
    char *app_resource;    /* first non-option argument, or NULL */
    char **app_args;       /* arguments after the resource */
    int napp_args;
    bool special;          /* --help, --version, --usage-error, --kill, --status */
} lm_submit_args;

/*
 * Parses argv as spark-submit's launcher does. On failure the message is
 * the launcher's (spark-submit prints it after "Error: "):
 *   Missing argument for option '--master'.
 *   Invalid argument to --conf: foo
 *   Unrecognized option: --foo
 *   Missing application resource.
 * *out is initialised here; free it with lm_submit_args_free, also after a
 * failure.
 */
lm_status lm_submit_args_parse(int argc, char **argv, lm_submit_args *out, lm_error *err);
void lm_submit_args_free(lm_submit_args *a);

#endif
