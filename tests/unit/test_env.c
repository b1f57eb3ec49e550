/*
 * Specification of environment resolution (localmode/conf/env.h): which
 * source wins for each setting, what each failure says, and the text
 * `localmode env` prints. Environments are injected; SPARK_HOME trees are
 * built under mkdtemp folders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/env.h"

static const char GATEWAY[] =
    "[JAVA_GATEWAY_EXITED] Java gateway process exited before sending its port number.";

/* ------------------------------------------------------------- fixture */

typedef struct fixture {
    char root[64];           /* mkdtemp folder */
    const char *vars[64];    /* name, value pairs; NULL-terminated */
    int nvars;
    lm_env_input in;
    lm_resolved_env out;
    lm_error err;
} fixture;

static const char *fake_getenv(void *ctx, const char *name)
{
    fixture *f = ctx;
    for (int i = 0; i < f->nvars; i += 2)
        if (strcmp(f->vars[i], name) == 0)
            return f->vars[i + 1];
    return NULL;
}

static void setenv_fake(fixture *f, const char *name, const char *value)
{
    for (int i = 0; i < f->nvars; i += 2)
        if (strcmp(f->vars[i], name) == 0) {
            f->vars[i + 1] = value;
            return;
        }
    f->vars[f->nvars++] = name;
    f->vars[f->nvars++] = value;
}

static const char *const NO_CANDIDATES[] = {NULL};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->root, "/tmp/lm_env_XXXXXX");
    if (mkdtemp(f->root) == NULL)
        return -1;
    f->in.getenv_fn = fake_getenv;
    f->in.getenv_ctx = f;
    f->in.spark_home_candidates = NO_CANDIDATES;
    f->in.localtime_path = "/nonexistent/localtime";
    f->in.ncores = 4;
    setenv_fake(f, "TZ", "America/Los_Angeles");
    lm_error_init(&f->err);
    *state = f;
    return 0;
}

/* rm -rf path (no symlink is followed). */
static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[1024];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        if (d != NULL)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int teardown(void **state)
{
    fixture *f = *state;
    lm_resolved_env_free(&f->out);
    lm_error_clear(&f->err);
    remove_tree(f->root);
    free(f);
    return 0;
}

/* Writes root/rel (creating folders) with the given text; returns the path. */
static char *write_file(fixture *f, const char *rel, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    for (char *p = path + strlen(f->root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* root/<rel> as a fake Spark install (bin/spark-submit); returns its path. */
static const char *make_spark_home(fixture *f, const char *rel)
{
    char file[256];
    snprintf(file, sizeof file, "%s/bin/spark-submit", rel);
    write_file(f, file, "#!/bin/sh\n");
    static char home[4][512];
    static int next;
    char *h = home[next++ % 4];
    snprintf(h, 512, "%s/%s", f->root, rel);
    return h;
}

static lm_status resolve(fixture *f)
{
    lm_resolved_env_free(&f->out);
    lm_error_clear(&f->err);
    return lm_env_resolve(&f->in, &f->out, &f->err);
}

static void resolve_ok(fixture *f)
{
    if (resolve(f) != LM_OK)
        fail_msg("resolve failed: %s", f->err.message);
}

static void assert_setting(fixture *f, const char *key, const char *value, const char *origin)
{
    const char *v = lm_conf_get(f->out.conf, key);
    if (v == NULL)
        fail_msg("%s is not set", key);
    assert_string_equal(v, value);
    assert_string_equal(lm_env_origin(&f->out, key), origin);
}

/* A spark-submit failure as PySpark reports it: spark-submit's line, then PySpark's. */
static void assert_gateway_error(fixture *f, const char *line)
{
    assert_int_equal(resolve(f), LM_ERROR);
    char expected[1024];
    if (line)
        snprintf(expected, sizeof expected, "%s\n%s", line, GATEWAY);
    else
        snprintf(expected, sizeof expected, "%s", GATEWAY);
    assert_string_equal(f->err.message, expected);
    assert_string_equal(f->err.error_class, "JAVA_GATEWAY_EXITED");
    assert_string_equal(f->err.exception, "pyspark.errors.exceptions.base.PySparkRuntimeError");
}

/* ------------------------------------------------------------ defaults */

static void test_empty_environment_gives_local_star_and_defaults(void **state)
{
    fixture *f = *state;
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[*]", "default");
    assert_setting(f, "spark.app.name", "localmode", "default");
    assert_setting(f, "spark.sql.session.timeZone", "America/Los_Angeles", "default: env TZ");
    assert_int_equal(f->out.master.kind, LM_MASTER_LOCAL);
    assert_int_equal(f->out.master.threads, 4);
    assert_int_equal(f->out.master.max_failures, 1);
    assert_null(f->out.spark_home);
    assert_null(f->out.conf_dir);
    assert_null(f->out.properties_file);
    assert_false(f->out.testing);
    assert_int_equal(f->out.nwarnings, 0);
    assert_int_equal(lm_conf_size(f->out.conf), 3);
}

static void test_null_input_uses_the_process_environment(void **state)
{
    (void)state;
    lm_resolved_env out;
    lm_error err;
    lm_error_init(&err);
    /* Whatever this machine has, resolution must not crash or leak. */
    lm_env_resolve(NULL, &out, &err);
    lm_resolved_env_free(&out);
    lm_error_clear(&err);
}

/* ---------------------------------------------------- master precedence */

static void test_explicit_master_beats_every_other_source(void **state)
{
    fixture *f = *state;
    f->in.master = "local[2]";
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master local[3] pyspark-shell");
    setenv_fake(f, "MASTER", "local[5]");
    setenv_fake(f, "SPARK_MASTER", "local[6]");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[2]", "code");
    assert_int_equal(f->out.master.threads, 2);
}

static void test_explicit_origin_can_be_named(void **state)
{
    fixture *f = *state;
    f->in.master = "local";
    f->in.explicit_origin = "command line";
    resolve_ok(f);
    assert_setting(f, "spark.master", "local", "command line");
}

static void test_code_conf_master_beats_submit_args(void **state)
{
    fixture *f = *state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[2]");
    lm_conf_set(c, "my.own.key", "kept");
    f->in.conf = c;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master local[3] pyspark-shell");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[2]", "code");
    assert_setting(f, "my.own.key", "kept", "code");
    lm_conf_free(c);
}

static void test_submit_master_option_beats_submit_conf(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS",
                "--conf spark.master=local[2] --master local[3] pyspark-shell");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[3]", "PYSPARK_SUBMIT_ARGS");
}

static void test_submit_conf_master_beats_spark_defaults(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.master local[7]\n");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--conf spark.master=local[2] pyspark-shell");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[2]", "PYSPARK_SUBMIT_ARGS");
}

static void test_spark_defaults_master_beats_env_master(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    char *path = write_file(f, "spark/conf/spark-defaults.conf", "spark.master local[7]\n");
    char origin[600];
    snprintf(origin, sizeof origin, "spark-defaults.conf (%s)", path);
    setenv_fake(f, "MASTER", "local[5]");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[7]", origin);
    assert_int_equal(f->out.master.threads, 7);
}

static void test_env_master_beats_spark_master(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "MASTER", "local[5]");
    setenv_fake(f, "SPARK_MASTER", "local[6]");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[5]", "env MASTER");
}

static void test_spark_master_beats_the_default(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_MASTER", "local[6]");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[6]", "env SPARK_MASTER");
}

static void test_master_failures_come_from_the_url(void **state)
{
    fixture *f = *state;
    f->in.master = "local[3, 2]";
    resolve_ok(f);
    assert_int_equal(f->out.master.threads, 3);
    assert_int_equal(f->out.master.max_failures, 2);
}

/* -------------------------------------------------- spark-defaults.conf */

static void test_conf_dir_beats_spark_home_conf(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.app.name from-home\n");
    char *path = write_file(f, "confdir/spark-defaults.conf", "spark.app.name from-conf-dir\n");
    char dir[512], origin[600];
    snprintf(origin, sizeof origin, "spark-defaults.conf (%s)", path);
    snprintf(dir, sizeof dir, "%s/confdir", f->root);
    setenv_fake(f, "SPARK_CONF_DIR", dir);
    resolve_ok(f);
    assert_setting(f, "spark.app.name", "from-conf-dir", origin);
    assert_string_equal(f->out.conf_dir, dir);
    assert_string_equal(f->out.conf_dir_origin, "env SPARK_CONF_DIR");
}

static void test_conf_dir_without_defaults_file_does_not_fall_back(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.app.name from-home\n");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/empty", f->root);
    mkdir(dir, 0755);
    setenv_fake(f, "SPARK_CONF_DIR", dir);
    resolve_ok(f);
    assert_setting(f, "spark.app.name", "localmode", "default");
    assert_null(f->out.properties_file);
}

static void test_defaults_file_drops_non_spark_keys_with_warning(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf",
               "# cluster defaults\nspark.sql.shuffle.partitions 8\nfoo.bar 1\n");
    resolve_ok(f);
    assert_string_equal(lm_conf_get(f->out.conf, "spark.sql.shuffle.partitions"), "8");
    assert_null(lm_conf_get(f->out.conf, "foo.bar"));
    assert_int_equal(f->out.nwarnings, 1);
    assert_string_equal(f->out.warnings[0], "Ignoring non-Spark config property: foo.bar");
}

static void test_properties_file_option_replaces_spark_defaults(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.app.name from-home\nspark.x 1\n");
    char *path = write_file(f, "mine.conf", "spark.app.name mine\n");
    char args[600], origin[600];
    snprintf(args, sizeof args, "--properties-file %s pyspark-shell", path);
    snprintf(origin, sizeof origin, "--properties-file (%s)", path);
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", args);
    resolve_ok(f);
    assert_setting(f, "spark.app.name", "mine", origin);
    assert_null(lm_conf_get(f->out.conf, "spark.x"));
}

static void test_missing_properties_file_stops_spark_submit(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--properties-file /nonexistent.conf pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" java.lang.IllegalArgumentException: "
                            "requirement failed: Properties file /nonexistent.conf does not exist");
}

static void test_malformed_defaults_file_stops_spark_submit(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.x \\u12\n");
    assert_gateway_error(f, "Exception in thread \"main\" java.lang.IllegalArgumentException: "
                            "Malformed \\uxxxx encoding.");
}

static void test_invalid_known_value_fails_with_spark_message(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.sql.shuffle.partitions abc\n");
    assert_int_equal(resolve(f), LM_ERROR);
    assert_string_equal(f->err.message, "spark.sql.shuffle.partitions should be int, but was abc");
}

/* ------------------------------------------------ PYSPARK_SUBMIT_ARGS */

static void test_submit_args_must_name_pyspark_shell(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master local[2]");
    assert_gateway_error(f, "Error: Missing application resource.");
}

static void test_empty_submit_args_miss_the_resource_too(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "");
    assert_gateway_error(f, "Error: Missing application resource.");
}

static void test_submit_args_with_another_resource_never_start_the_gateway(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master local[2] app.py");
    assert_gateway_error(f, NULL);
    assert_int_equal(f->err.nparams, 1);
    assert_string_equal(f->err.params[0].value, "app.py");
}

static void test_submit_args_help_never_starts_the_gateway(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--help");
    assert_gateway_error(f, NULL);
}

static void test_submit_args_conf_needs_key_equals_value(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--conf spark.x 1 pyspark-shell");
    assert_gateway_error(f, "Error: Invalid argument to --conf: spark.x");
}

static void test_submit_args_unknown_option(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--bogus pyspark-shell");
    assert_gateway_error(f, "Error: Unrecognized option: --bogus");
}

static void test_submit_args_unterminated_quote_is_pythons_error(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--conf \"spark.x=1 pyspark-shell");
    assert_int_equal(resolve(f), LM_ERROR);
    assert_string_equal(f->err.message, "No closing quotation");
    assert_string_equal(f->err.exception, "ValueError");
}

static void test_arguments_after_pyspark_shell_are_ignored_with_warning(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "pyspark-shell --master local[2]");
    resolve_ok(f);
    assert_setting(f, "spark.master", "local[*]", "default");
    assert_int_equal(f->out.nwarnings, 1);
    assert_string_equal(f->out.warnings[0],
                        "PYSPARK_SUBMIT_ARGS: arguments after pyspark-shell are ignored: "
                        "--master local[2]");
}

static void test_dedicated_options_beat_conf_pairs(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS",
                "--conf spark.driver.memory=1g --driver-memory 2g --name etl "
                "--packages org.x:y:1 --conf spark.sql.ansi.enabled=true --conf other=1 "
                "pyspark-shell");
    resolve_ok(f);
    assert_setting(f, "spark.driver.memory", "2g", "PYSPARK_SUBMIT_ARGS");
    assert_setting(f, "spark.app.name", "etl", "PYSPARK_SUBMIT_ARGS");
    assert_setting(f, "spark.jars.packages", "org.x:y:1", "PYSPARK_SUBMIT_ARGS");
    assert_setting(f, "spark.sql.ansi.enabled", "true", "PYSPARK_SUBMIT_ARGS");
    assert_null(lm_conf_get(f->out.conf, "other"));
    assert_string_equal(f->out.warnings[0], "Ignoring non-Spark config property: other");
}

static void test_memory_from_environment_variables(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_DRIVER_MEMORY", "3g");
    setenv_fake(f, "SPARK_EXECUTOR_MEMORY", "512m");
    resolve_ok(f);
    assert_setting(f, "spark.driver.memory", "3g", "env SPARK_DRIVER_MEMORY");
    assert_setting(f, "spark.executor.memory", "512m", "env SPARK_EXECUTOR_MEMORY");
}

static void test_non_positive_driver_memory_stops_spark_submit(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--driver-memory 0 pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Driver memory must be a positive number");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--executor-memory lots pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Executor memory must be a positive number");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--driver-cores 0 pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Driver cores must be a positive number");
}

static void test_bad_env_master_stops_spark_submit_even_with_code_master(void **state)
{
    fixture *f = *state;
    f->in.master = "local[2]";
    setenv_fake(f, "MASTER", "foo");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Master must either be yarn or start with spark, mesos, k8s, or local");
}

static void test_bad_code_master_fails_in_spark_context(void **state)
{
    fixture *f = *state;
    f->in.master = "foo";
    assert_int_equal(resolve(f), LM_ERROR);
    assert_string_equal(f->err.message, "Could not parse Master URL: 'foo'");
    assert_string_equal(f->err.exception, "org.apache.spark.SparkException");
}

static void test_bad_spark_master_fails_in_spark_context(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_MASTER", "local[0]");
    assert_int_equal(resolve(f), LM_ERROR);
    assert_string_equal(f->err.message, "Asked to run locally with 0 threads");
}

static void test_cluster_deploy_mode_is_refused_for_the_shell(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--deploy-mode cluster pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Cluster deploy mode is not compatible with master \"local\"");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master yarn --deploy-mode cluster pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Cluster deploy mode is not applicable to Spark shells.");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--deploy-mode server pyspark-shell");
    assert_gateway_error(f, "Exception in thread \"main\" org.apache.spark.SparkException: "
                            "Deploy mode must be either client or cluster");
}

static void test_task_cpus_is_checked_against_the_master(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--conf spark.task.cpus=2 pyspark-shell");
    f->in.master = "local";
    assert_int_equal(resolve(f), LM_ERROR);
    assert_string_equal(f->err.message, "The number of cores per executor (=1) has to be >= the "
                                        "number of cpus per task = 2.");
}

/* -------------------------------------------- other environment inputs */

static void test_spark_testing_disables_the_ui(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_TESTING", "1");
    resolve_ok(f);
    assert_true(f->out.testing);
    assert_setting(f, "spark.ui.enabled", "false", "SPARK_TESTING");
}

static void test_empty_spark_testing_still_means_testing(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_TESTING", "");
    resolve_ok(f);
    assert_true(f->out.testing);
    assert_null(lm_conf_get(f->out.conf, "spark.ui.enabled"));
}

static void test_submit_conf_beats_spark_testing(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_TESTING", "1");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--conf spark.ui.enabled=true pyspark-shell");
    resolve_ok(f);
    assert_setting(f, "spark.ui.enabled", "true", "PYSPARK_SUBMIT_ARGS");
}

static void test_submit_opts_system_properties_rank_below_defaults_file(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_HOME", make_spark_home(f, "spark"));
    write_file(f, "spark/conf/spark-defaults.conf", "spark.sql.ansi.enabled true\n");
    setenv_fake(f, "SPARK_SUBMIT_OPTS",
                "-Xmx1g -Dspark.sql.shuffle.partitions=7 -Dspark.sql.ansi.enabled=false "
                "-Dspark.master=local[9] -Dfoo=bar -Dspark.flag");
    resolve_ok(f);
    assert_setting(f, "spark.sql.shuffle.partitions", "7", "SPARK_SUBMIT_OPTS");
    assert_string_equal(lm_conf_get(f->out.conf, "spark.sql.ansi.enabled"), "true");
    assert_setting(f, "spark.flag", "", "SPARK_SUBMIT_OPTS");
    assert_setting(f, "spark.master", "local[*]", "default");
    assert_null(lm_conf_get(f->out.conf, "foo"));
    assert_int_equal(f->out.nwarnings, 1);
    assert_string_equal(f->out.warnings[0], "SPARK_SUBMIT_OPTS: -Dspark.master=local[9] is "
                                            "overridden by the master spark-submit sets");
}

static void test_malformed_submit_opts_stop_the_launcher(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "SPARK_SUBMIT_OPTS", "-Dspark.a='x");
    assert_gateway_error(f, "Error: Invalid option string: -Dspark.a='x");
}

static void test_spark_local_dirs_overrides_every_source(void **state)
{
    fixture *f = *state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.local.dir", "/code/dir");
    f->in.conf = c;
    setenv_fake(f, "SPARK_LOCAL_DIRS", "/fast1,/fast2");
    resolve_ok(f);
    assert_setting(f, "spark.local.dir", "/fast1,/fast2", "env SPARK_LOCAL_DIRS");
    lm_conf_free(c);
}

/* ---------------------------------------------------------- SPARK_HOME */

static void test_spark_home_is_found_in_candidate_folders(void **state)
{
    fixture *f = *state;
    char empty[512], pattern[512], missing[512];
    snprintf(empty, sizeof empty, "%s/not-spark", f->root);
    mkdir(empty, 0755);
    snprintf(missing, sizeof missing, "${UNSET_VAR}/spark");
    snprintf(pattern, sizeof pattern, "${ROOT}/venv/lib/python3*/site-packages/pyspark");
    setenv_fake(f, "ROOT", f->root);
    const char *home = make_spark_home(f, "venv/lib/python3.11/site-packages/pyspark");
    const char *cands[] = {empty, missing, pattern, NULL};
    f->in.spark_home_candidates = cands;
    resolve_ok(f);
    assert_string_equal(f->out.spark_home, home);
    assert_string_equal(f->out.spark_home_origin, "found by findspark's search");
    char conf_dir[600];
    snprintf(conf_dir, sizeof conf_dir, "%s/conf", home);
    assert_string_equal(f->out.conf_dir, conf_dir);
    assert_string_equal(f->out.conf_dir_origin, "SPARK_HOME/conf");
}

static void test_spark_home_variable_beats_the_search(void **state)
{
    fixture *f = *state;
    const char *found = make_spark_home(f, "found");
    const char *cands[] = {found, NULL};
    f->in.spark_home_candidates = cands;
    setenv_fake(f, "SPARK_HOME", "/explicit/spark");
    resolve_ok(f);
    assert_string_equal(f->out.spark_home, "/explicit/spark");
    assert_string_equal(f->out.spark_home_origin, "env SPARK_HOME");
}

static void test_find_spark_home_reports_findsparks_error(void **state)
{
    fixture *f = *state;
    char *home = (char *)1;
    const char *origin = "x";
    assert_int_equal(lm_env_find_spark_home(&f->in, &home, &origin, &f->err), LM_ERROR);
    assert_null(home);
    assert_string_equal(f->err.message,
                        "Couldn't find Spark, make sure SPARK_HOME env is set or Spark is in an "
                        "expected location (e.g. from homebrew installation).");
    assert_string_equal(f->err.exception, "ValueError");
}

/* ------------------------------------------------------------ time zone */

static void test_time_zone_from_tz_forms(void **state)
{
    fixture *f = *state;
    const char *cases[][2] = {
        {":Europe/Paris", "Europe/Paris"},
        {"/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"},
        {"UTC", "UTC"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv_fake(f, "TZ", cases[i][0]);
        char *zone;
        const char *how;
        assert_int_equal(lm_env_machine_timezone(&f->in, &zone, &how, NULL), LM_OK);
        assert_string_equal(zone, cases[i][1]);
        assert_string_equal(how, "env TZ");
        free(zone);
    }
}

static void test_time_zone_from_localtime_link(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "TZ", "");
    char link[512];
    snprintf(link, sizeof link, "%s/localtime", f->root);
    assert_int_equal(symlink("/usr/share/zoneinfo/America/New_York", link), 0);
    f->in.localtime_path = link;
    resolve_ok(f);
    assert_setting(f, "spark.sql.session.timeZone", "America/New_York",
                   "default: link /etc/localtime");
}

static void test_time_zone_falls_back_to_utc(void **state)
{
    fixture *f = *state;
    setenv_fake(f, "TZ", "");
    resolve_ok(f);
    assert_setting(f, "spark.sql.session.timeZone", "UTC", "default: no zone found");
}

static void test_code_time_zone_beats_the_machine(void **state)
{
    fixture *f = *state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", "Asia/Kolkata");
    f->in.conf = c;
    resolve_ok(f);
    assert_setting(f, "spark.sql.session.timeZone", "Asia/Kolkata", "code");
    lm_conf_free(c);
}

/* ------------------------------------------------------------- describe */

static void test_describe_prints_one_line_per_setting(void **state)
{
    fixture *f = *state;
    const char *home = make_spark_home(f, "spark");
    setenv_fake(f, "SPARK_HOME", home);
    char *path = write_file(f, "spark/conf/spark-defaults.conf",
                            "spark.sql.shuffle.partitions 8\nspark.note a\\tb\\nc\nx 1\n");
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "--master local[2] pyspark-shell");
    setenv_fake(f, "SPARK_TESTING", "1");
    resolve_ok(f);
    char *text = lm_env_describe(&f->out);
    char expected[4096];
    snprintf(expected, sizeof expected,
             "SPARK_HOME = %s  (env SPARK_HOME)\n"
             "SPARK_CONF_DIR = %s/conf  (SPARK_HOME/conf)\n"
             "properties file = %s\n"
             "SPARK_TESTING = set\n"
             "spark.app.name = localmode  (default)\n"
             "spark.master = local[2]  (PYSPARK_SUBMIT_ARGS)\n"
             "spark.note = a\\tb\\nc  (spark-defaults.conf (%s))\n"
             "spark.sql.session.timeZone = America/Los_Angeles  (default: env TZ)\n"
             "spark.sql.shuffle.partitions = 8  (spark-defaults.conf (%s))\n"
             "spark.ui.enabled = false  (SPARK_TESTING)\n"
             "warning: Ignoring non-Spark config property: x\n",
             home, home, path, path, path);
    assert_string_equal(text, expected);
    free(text);
}

static void test_describe_without_spark_home(void **state)
{
    fixture *f = *state;
    resolve_ok(f);
    char *text = lm_env_describe(&f->out);
    assert_string_equal(text, "SPARK_HOME = (none)\n"
                              "SPARK_CONF_DIR = (none)\n"
                              "properties file = (none)\n"
                              "spark.app.name = localmode  (default)\n"
                              "spark.master = local[*]  (default)\n"
                              "spark.sql.session.timeZone = America/Los_Angeles  (default: env TZ)\n");
    free(text);
}

/* ----------------------------------------------------- hostile input */

static void test_hostile_values_do_not_crash(void **state)
{
    fixture *f = *state;
    size_t n = 200000;
    char *big = malloc(n + 32);
    memset(big, 'a', n);
    strcpy(big + n, " pyspark-shell");
    const char *inputs[] = {big, "--conf \xff\xfe=\x80 pyspark-shell", "\\", "'", "--conf",
                            "--conf spark.x=\xc3 pyspark-shell", "pyspark-shell \"\""};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        setenv_fake(f, "PYSPARK_SUBMIT_ARGS", inputs[i]);
        resolve(f);
        char *text = f->err.status == LM_OK ? lm_env_describe(&f->out) : NULL;
        free(text);
    }
    setenv_fake(f, "PYSPARK_SUBMIT_ARGS", "pyspark-shell");
    setenv_fake(f, "SPARK_SUBMIT_OPTS", big);
    resolve_ok(f);
    setenv_fake(f, "TZ", big);
    resolve_ok(f);
    free(big);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_environment_gives_local_star_and_defaults),
        cmocka_unit_test(test_null_input_uses_the_process_environment),
        T(test_explicit_master_beats_every_other_source),
        T(test_explicit_origin_can_be_named),
        T(test_code_conf_master_beats_submit_args),
        T(test_submit_master_option_beats_submit_conf),
        T(test_submit_conf_master_beats_spark_defaults),
        T(test_spark_defaults_master_beats_env_master),
        T(test_env_master_beats_spark_master),
        T(test_spark_master_beats_the_default),
        T(test_master_failures_come_from_the_url),
        T(test_conf_dir_beats_spark_home_conf),
        T(test_conf_dir_without_defaults_file_does_not_fall_back),
        T(test_defaults_file_drops_non_spark_keys_with_warning),
        T(test_properties_file_option_replaces_spark_defaults),
        T(test_missing_properties_file_stops_spark_submit),
        T(test_malformed_defaults_file_stops_spark_submit),
        T(test_invalid_known_value_fails_with_spark_message),
        T(test_submit_args_must_name_pyspark_shell),
        T(test_empty_submit_args_miss_the_resource_too),
        T(test_submit_args_with_another_resource_never_start_the_gateway),
        T(test_submit_args_help_never_starts_the_gateway),
        T(test_submit_args_conf_needs_key_equals_value),
        T(test_submit_args_unknown_option),
        T(test_submit_args_unterminated_quote_is_pythons_error),
        T(test_arguments_after_pyspark_shell_are_ignored_with_warning),
        T(test_dedicated_options_beat_conf_pairs),
        T(test_memory_from_environment_variables),
        T(test_non_positive_driver_memory_stops_spark_submit),
        T(test_bad_env_master_stops_spark_submit_even_with_code_master),
        T(test_bad_code_master_fails_in_spark_context),
        T(test_bad_spark_master_fails_in_spark_context),
        T(test_cluster_deploy_mode_is_refused_for_the_shell),
        T(test_task_cpus_is_checked_against_the_master),
        T(test_spark_testing_disables_the_ui),
        T(test_empty_spark_testing_still_means_testing),
        T(test_submit_conf_beats_spark_testing),
        T(test_submit_opts_system_properties_rank_below_defaults_file),
        T(test_malformed_submit_opts_stop_the_launcher),
        T(test_spark_local_dirs_overrides_every_source),
        T(test_spark_home_is_found_in_candidate_folders),
        T(test_spark_home_variable_beats_the_search),
        T(test_find_spark_home_reports_findsparks_error),
        T(test_time_zone_from_tz_forms),
        T(test_time_zone_from_localtime_link),
        T(test_time_zone_falls_back_to_utc),
        T(test_code_time_zone_beats_the_machine),
        T(test_describe_prints_one_line_per_setting),
        T(test_describe_without_spark_home),
        T(test_hostile_values_do_not_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
