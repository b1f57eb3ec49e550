/*
 * Environment resolution. The order of the layers is the contract (see
 * env.h); each layer only fills keys the layers above left unset, so the
 * code reads top to bottom in precedence order and the origin of a key is
 * simply the layer that set it first.
 */
#include "conf/env.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "conf/properties.h"
#include "conf/submit.h"

static const char gateway_exited[] =
    "[JAVA_GATEWAY_EXITED] Java gateway process exited before sending its port number.";

static const char findspark_error[] =
    "Couldn't find Spark, make sure SPARK_HOME env is set or Spark is in an expected "
    "location (e.g. from homebrew installation).";

/*
 * findspark.find()'s folders (Homebrew, EMR, the two common Linux ones),
 * then where pip puts pyspark, whose package folder is a SPARK_HOME too.
 */
static const char *const default_candidates[] = {
    "/usr/local/opt/apache-spark/libexec",
    "/usr/lib/spark",
    "/usr/local/spark",
    "/opt/spark",
    "${VIRTUAL_ENV}/lib/python3*/site-packages/pyspark",
    "${CONDA_PREFIX}/lib/python3*/site-packages/pyspark",
    "${HOME}/.local/lib/python3*/site-packages/pyspark",
    "/usr/local/lib/python3*/dist-packages/pyspark",
    "/usr/local/lib/python3*/site-packages/pyspark",
    "/usr/lib/python3/dist-packages/pyspark",
    NULL,
};

static const char *env_get(const lm_env_input *in, const char *name)
{
    return in->getenv_fn ? in->getenv_fn(in->getenv_ctx, name) : getenv(name);
}

static const char *env_get_nonempty(const lm_env_input *in, const char *name)
{
    const char *v = env_get(in, name);
    return v != NULL && *v != '\0' ? v : NULL;
}

static char *env_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* ------------------------------------------------------------ SPARK_HOME */

static bool has_spark_submit(const char *dir)
{
    lm_strbuf path;
    lm_strbuf_init(&path);
    lm_strbuf_printf(&path, "%s/bin/spark-submit", dir);
    struct stat sb;
    bool ok = lm_strbuf_ok(&path) && stat(lm_strbuf_cstr(&path), &sb) == 0 &&
              S_ISREG(sb.st_mode);
    lm_strbuf_free(&path);
    return ok;
}

/* Expands a leading ${VAR}; NULL when VAR is unset (the candidate is skipped). */
static char *expand_candidate(const lm_env_input *in, const char *pattern)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    const char *rest = pattern;
    if (strncmp(pattern, "${", 2) == 0) {
        const char *close = strchr(pattern, '}');
        if (close == NULL)
            return NULL;
        char name[128];
        size_t n = (size_t)(close - pattern - 2);
        if (n >= sizeof name)
            return NULL;
        memcpy(name, pattern + 2, n);
        name[n] = '\0';
        const char *v = env_get_nonempty(in, name);
        if (v == NULL)
            return NULL;
        lm_strbuf_puts(&sb, v);
        rest = close + 1;
    }
    lm_strbuf_puts(&sb, rest);
    return lm_strbuf_detach(&sb);
}

lm_status lm_env_find_spark_home(const lm_env_input *in, char **home, const char **origin,
                                 lm_error *err)
{
    *home = NULL;
    *origin = NULL;
    const char *v = env_get_nonempty(in, "SPARK_HOME");
    if (v != NULL) {
        *home = env_strdup(v);
        *origin = "env SPARK_HOME";
        return *home ? LM_OK : lm_error_oom(err);
    }
    const char *const *cands = in->spark_home_candidates ? in->spark_home_candidates
                                                         : default_candidates;
    for (; *cands != NULL; cands++) {
        char *pattern = expand_candidate(in, *cands);
        if (pattern == NULL)
            continue;
        glob_t g;
        memset(&g, 0, sizeof g);
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc && *home == NULL; i++) {
                if (!has_spark_submit(g.gl_pathv[i]))
                    continue;
                *home = env_strdup(g.gl_pathv[i]);
                if (*home == NULL) {
                    globfree(&g);
                    free(pattern);
                    return lm_error_oom(err);
                }
                size_t n = strlen(*home);
                while (n > 1 && (*home)[n - 1] == '/')
                    (*home)[--n] = '\0';
                *origin = "found by findspark's search";
            }
        }
        globfree(&g);
        free(pattern);
        if (*home != NULL)
            return LM_OK;
    }
    return lm_error_set(err, LM_ERROR, "ValueError", NULL, NULL, "%s", findspark_error);
}

/* ------------------------------------------------------------ time zone */

/* ".../zoneinfo/Europe/Paris" -> "Europe/Paris" (also drops posix/, right/). */
static const char *zone_from_path(const char *p)
{
    const char *z = strstr(p, "zoneinfo/");
    if (z == NULL)
        return NULL;
    z += strlen("zoneinfo/");
    if (strncmp(z, "posix/", 6) == 0)
        z += 6;
    else if (strncmp(z, "right/", 6) == 0)
        z += 6;
    return *z ? z : NULL;
}

lm_status lm_env_machine_timezone(const lm_env_input *in, char **zone, const char **how,
                                  lm_error *err)
{
    const char *tz = env_get_nonempty(in, "TZ");
    const char *name = NULL;
    if (tz != NULL) {
        if (*tz == ':')
            tz++;
        const char *z = zone_from_path(tz);
        name = z ? z : (*tz && *tz != '/' ? tz : NULL);
        if (name != NULL)
            *how = "env TZ";
    }
    char buf[PATH_MAX];
    if (name == NULL) {
        const char *path = in->localtime_path ? in->localtime_path : "/etc/localtime";
        ssize_t n = readlink(path, buf, sizeof buf - 1);
        if (n > 0) {
            buf[n] = '\0';
            name = zone_from_path(buf);
            if (name != NULL)
                *how = "link /etc/localtime";
        }
    }
    if (name == NULL) {
        name = "UTC";
        *how = "no zone found";
    }
    *zone = env_strdup(name);
    return *zone ? LM_OK : lm_error_oom(err);
}

/* ------------------------------------------------------------ resolution */

static lm_status add_warning(lm_resolved_env *r, const char *fmt, const char *arg,
                             lm_error *err)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, fmt, arg);
    char *w = lm_strbuf_detach(&sb);
    char **ws = w ? realloc(r->warnings, (size_t)(r->nwarnings + 1) * sizeof *ws) : NULL;
    if (ws == NULL) {
        free(w);
        return lm_error_oom(err);
    }
    r->warnings = ws;
    r->warnings[r->nwarnings++] = w;
    return LM_OK;
}

/* Sets key from a layer: only when unset unless overwrite. */
static lm_status put(lm_resolved_env *r, const char *key, const char *value, const char *origin,
                     bool overwrite, lm_error *err)
{
    if (!overwrite && lm_conf_contains(r->conf, key))
        return LM_OK;
    if (lm_conf_set(r->conf, key, value) != LM_OK || lm_conf_set(r->origins, key, origin) != LM_OK)
        return lm_error_oom(err);
    return LM_OK;
}

/* What the user sees when spark-submit exits: its own line, then PySpark's. */
static lm_status gateway_error(lm_error *err, const char *prefix, const lm_error *cause)
{
    if (cause == NULL || cause->message == NULL)
        return lm_error_set(err, LM_ERROR, LM_EXC_PYSPARK_RUNTIME, "JAVA_GATEWAY_EXITED", NULL,
                            "%s", gateway_exited);
    return lm_error_set(err, LM_ERROR, LM_EXC_PYSPARK_RUNTIME, "JAVA_GATEWAY_EXITED", NULL,
                        "%s%s\n%s", prefix, cause->message, gateway_exited);
}

/* The launcher (Java) prints "Error: msg"; SparkSubmit (Scala) throws. */
#define LAUNCHER_PREFIX "Error: "
#define SUBMIT_EXC_PREFIX "Exception in thread \"main\" org.apache.spark.SparkException: "
#define SUBMIT_ILLEGAL_ARG_PREFIX "Exception in thread \"main\" java.lang.IllegalArgumentException: "

static lm_status submit_failure(lm_error *err, const char *msg)
{
    lm_error cause;
    lm_error_init(&cause);
    lm_error_set(&cause, LM_ERROR, NULL, NULL, NULL, "%s", msg);
    lm_status st = gateway_error(err, SUBMIT_EXC_PREFIX, &cause);
    lm_error_clear(&cause);
    return st;
}

/* SparkSubmitArguments: a size must parse (byteStringAsBytes) and be > 0. */
static bool positive_bytes(const char *v)
{
    int64_t n;
    lm_error e;
    lm_error_init(&e);
    /* byteStringAsBytes has no sign handling: "-1g" does not parse. */
    bool ok = v[0] != '-' && lm_conf_parse_bytes(v, LM_BYTE_B, &n, &e) == LM_OK && n > 0;
    lm_error_clear(&e);
    return ok;
}

static bool positive_int(const char *v)
{
    int32_t n;
    lm_error e;
    lm_error_init(&e);
    /* String.toInt does not trim. */
    bool ok = v[0] > ' ' && lm_conf_parse_int("", v, &n, &e) == LM_OK && n > 0;
    lm_error_clear(&e);
    return ok;
}

/* First non-NULL of a spark-submit option, its spark property, an env variable. */
static const char *submit_value(const lm_submit_args *a, const lm_conf *props, const char *key,
                                const char *env_value)
{
    const char *v = lm_conf_get(a->options, key);
    if (v == NULL)
        v = lm_conf_get(props, key);
    return v ? v : env_value;
}

/*
 * The checks SparkSubmit makes before it starts the PySpark gateway, in
 * its order: sizes and core counts, the master's form, the deploy mode.
 */
static lm_status check_submit(const lm_env_input *in, const lm_submit_args *a,
                              const lm_conf *props, lm_error *err)
{
    static const struct {
        const char *key, *env, *msg;
        bool bytes;
    } checks[] = {
        {"spark.driver.memory", "SPARK_DRIVER_MEMORY", "Driver memory must be a positive number",
         true},
        {"spark.executor.memory", "SPARK_EXECUTOR_MEMORY",
         "Executor memory must be a positive number", true},
        {"spark.driver.cores", NULL, "Driver cores must be a positive number", false},
        {"spark.executor.cores", NULL, "Executor cores must be a positive number", false},
        {"spark.cores.max", NULL, "Total executor cores must be a positive number", false},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const char *v = submit_value(a, props, checks[i].key,
                                     checks[i].env ? env_get(in, checks[i].env) : NULL);
        if (v != NULL && !(checks[i].bytes ? positive_bytes(v) : positive_int(v)))
            return submit_failure(err, checks[i].msg);
    }
    const char *master = submit_value(a, props, "spark.master", env_get(in, "MASTER"));
    if (master == NULL)
        master = "local[*]";
    lm_error cause;
    lm_error_init(&cause);
    if (lm_master_check_submit(master, &cause) != LM_OK) {
        lm_status st = gateway_error(err, SUBMIT_EXC_PREFIX, &cause);
        lm_error_clear(&cause);
        return st;
    }
    const char *mode = submit_value(a, props, "spark.submit.deployMode", env_get(in, "DEPLOY_MODE"));
    if (mode == NULL || strcmp(mode, "client") == 0)
        return LM_OK;
    if (strcmp(mode, "cluster") != 0)
        return submit_failure(err, "Deploy mode must be either client or cluster");
    if (strncmp(master, "spark", 5) == 0)
        return submit_failure(err, "Cluster deploy mode is currently not supported for python "
                                   "applications on standalone clusters.");
    if (strncmp(master, "local", 5) == 0)
        return submit_failure(err, "Cluster deploy mode is not compatible with master \"local\"");
    return submit_failure(err, "Cluster deploy mode is not applicable to Spark shells.");
}

/* Reads the properties file spark-submit would read; *path_out NULL when none. */
static lm_status load_properties(lm_resolved_env *r, const lm_submit_args *a, lm_conf *props,
                                 const char **origin_fmt, lm_error *err)
{
    char *path = NULL;
    if (a->properties_file != NULL) {
        path = env_strdup(a->properties_file);
        *origin_fmt = "--properties-file (%s)";
    } else if (r->conf_dir != NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s/spark-defaults.conf", r->conf_dir);
        path = lm_strbuf_detach(&sb);
        struct stat st;
        if (path != NULL && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            free(path);
            return LM_OK; /* Utils.getDefaultPropertiesFile: only an existing file */
        }
        *origin_fmt = "spark-defaults.conf (%s)";
    } else {
        return LM_OK;
    }
    if (path == NULL)
        return lm_error_oom(err);
    r->properties_file = path;
    lm_error cause;
    lm_error_init(&cause);
    lm_status st = lm_properties_load(path, props, &cause);
    if (st == LM_ENOMEM)
        st = lm_error_oom(err);
    else if (st != LM_OK)
        st = gateway_error(err,
                           cause.exception && strcmp(cause.exception, LM_EXC_JAVA_ILLEGAL_ARG) == 0
                               ? SUBMIT_ILLEGAL_ARG_PREFIX
                               : SUBMIT_EXC_PREFIX,
                           &cause);
    lm_error_clear(&cause);
    return st;
}

/* Parses PYSPARK_SUBMIT_ARGS as pyspark.java_gateway.launch_gateway does. */
static lm_status parse_submit_args(const lm_env_input *in, lm_resolved_env *r,
                                   lm_submit_args *a, lm_error *err)
{
    const char *s = env_get(in, "PYSPARK_SUBMIT_ARGS");
    if (s == NULL)
        s = "pyspark-shell";
    char **argv = NULL;
    int argc = 0;
    /* shlex errors are Python's ValueError, raised before spark-submit runs. */
    lm_status st = lm_split_args(s, LM_SPLIT_SHLEX, &argv, &argc, err);
    if (st != LM_OK)
        return st;
    lm_error cause;
    lm_error_init(&cause);
    st = lm_submit_args_parse(argc, argv, a, &cause);
    lm_args_free(argv, argc);
    if (st == LM_ENOMEM)
        st = lm_error_oom(err);
    else if (st != LM_OK)
        st = gateway_error(err, LAUNCHER_PREFIX, &cause);
    else if (a->special)
        st = gateway_error(err, "", NULL); /* spark-submit prints help and exits */
    else if (strcmp(a->app_resource, "pyspark-shell") != 0) {
        /* spark-submit runs that resource instead of PySpark's gateway. */
        st = gateway_error(err, "", NULL);
        lm_error_param_add(err, "appResource", a->app_resource);
    } else if (a->napp_args > 0) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        for (int i = 0; i < a->napp_args; i++)
            lm_strbuf_printf(&sb, "%s%s", i ? " " : "", a->app_args[i]);
        st = lm_strbuf_ok(&sb)
                 ? add_warning(r,
                               "PYSPARK_SUBMIT_ARGS: arguments after pyspark-shell are ignored: "
                               "%s",
                               lm_strbuf_cstr(&sb), err)
                 : lm_error_oom(err);
        lm_strbuf_free(&sb);
    }
    lm_error_clear(&cause);
    return st;
}

/* Copies the spark.* entries of src into r; warns about the others, as
   SparkSubmitArguments.ignoreNonSparkProperties does. */
static lm_status put_spark_properties(lm_resolved_env *r, const lm_conf *src, const char *origin,
                                      lm_error *err)
{
    const char *k, *v;
    for (size_t i = 0; lm_conf_at(src, i, &k, &v); i++) {
        lm_status st = strncmp(k, "spark.", 6) == 0
                           ? put(r, k, v, origin, false, err)
                           : add_warning(r, "Ignoring non-Spark config property: %s", k, err);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

/* -Dspark.key=value JVM options from SPARK_SUBMIT_OPTS. */
static lm_status put_submit_opts(const lm_env_input *in, lm_resolved_env *r, lm_error *err)
{
    const char *s = env_get(in, "SPARK_SUBMIT_OPTS");
    if (s == NULL)
        return LM_OK;
    char **argv = NULL;
    int argc = 0;
    lm_error cause;
    lm_error_init(&cause);
    lm_status st = lm_split_args(s, LM_SPLIT_JAVA_OPTS, &argv, &argc, &cause);
    if (st != LM_OK) {
        st = st == LM_ENOMEM ? lm_error_oom(err) : gateway_error(err, LAUNCHER_PREFIX, &cause);
        lm_error_clear(&cause);
        return st;
    }
    for (int i = 0; i < argc && st == LM_OK; i++) {
        if (strncmp(argv[i], "-Dspark.", 8) != 0)
            continue;
        char *kv = argv[i] + 2;
        char *eq = strchr(kv, '=');
        const char *value = "";
        if (eq != NULL) {
            *eq = '\0';
            value = eq + 1;
        }
        if (strcmp(kv, "spark.master") == 0)
            st = add_warning(r,
                             "SPARK_SUBMIT_OPTS: -Dspark.master=%s is overridden by the master "
                             "spark-submit sets",
                             value, err);
        else
            st = put(r, kv, value, "SPARK_SUBMIT_OPTS", false, err);
    }
    lm_args_free(argv, argc);
    return st;
}

static lm_status resolve_dirs(const lm_env_input *in, lm_resolved_env *r, lm_error *err)
{
    lm_error ignored;
    lm_error_init(&ignored);
    const char *origin = NULL;
    lm_status st = lm_env_find_spark_home(in, &r->spark_home, &origin, &ignored);
    lm_error_clear(&ignored);
    if (st == LM_ENOMEM)
        return lm_error_oom(err);
    if (r->spark_home != NULL && (r->spark_home_origin = env_strdup(origin)) == NULL)
        return lm_error_oom(err);

    const char *dir = env_get_nonempty(in, "SPARK_CONF_DIR");
    if (dir != NULL) {
        r->conf_dir = env_strdup(dir);
        r->conf_dir_origin = env_strdup("env SPARK_CONF_DIR");
    } else if (r->spark_home != NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "%s/conf", r->spark_home);
        r->conf_dir = lm_strbuf_detach(&sb);
        r->conf_dir_origin = env_strdup("SPARK_HOME/conf");
    } else {
        return LM_OK;
    }
    return r->conf_dir && r->conf_dir_origin ? LM_OK : lm_error_oom(err);
}

static lm_status put_defaults(const lm_env_input *in, lm_resolved_env *r, lm_error *err)
{
    const char *v = env_get_nonempty(in, "SPARK_MASTER");
    lm_status st = LM_OK;
    if (v != NULL)
        st = put(r, "spark.master", v, "env SPARK_MASTER", false, err);
    if (st == LM_OK)
        st = put(r, "spark.master", lm_conf_known("spark.master")->default_value, "default",
                 false, err);
    if (st == LM_OK)
        st = put(r, "spark.app.name", lm_conf_known("spark.app.name")->default_value, "default",
                 false, err);
    if (st == LM_OK && !lm_conf_contains(r->conf, "spark.sql.session.timeZone")) {
        char *zone = NULL;
        const char *how = NULL;
        st = lm_env_machine_timezone(in, &zone, &how, err);
        if (st == LM_OK) {
            lm_strbuf origin;
            lm_strbuf_init(&origin);
            lm_strbuf_printf(&origin, "default: %s", how);
            st = lm_strbuf_ok(&origin) ? put(r, "spark.sql.session.timeZone", zone,
                                             lm_strbuf_cstr(&origin), false, err)
                                       : lm_error_oom(err);
            lm_strbuf_free(&origin);
        }
        free(zone);
    }
    v = env_get_nonempty(in, "SPARK_LOCAL_DIRS");
    if (st == LM_OK && v != NULL)
        st = put(r, "spark.local.dir", v, "env SPARK_LOCAL_DIRS", true, err);
    return st;
}

static lm_status parse_master(const lm_env_input *in, lm_resolved_env *r, lm_error *err)
{
    lm_master_opts opts = {in->ncores, 1, 4, 1024};
    int64_t mem = 0;
    if (lm_conf_get_int(r->conf, "spark.task.cpus", 1, &opts.task_cpus, err) != LM_OK ||
        lm_conf_get_int(r->conf, "spark.task.maxFailures", 4, &opts.task_max_failures, err) !=
            LM_OK ||
        lm_conf_get_bytes(r->conf, "spark.executor.memory", LM_BYTE_MIB, 1024, &mem, err) !=
            LM_OK)
        return LM_ERROR;
    opts.executor_memory_mb = mem > 0 && mem < INT32_MAX ? (int)mem : 1024;
    return lm_master_parse(lm_conf_get(r->conf, "spark.master"), &opts, &r->master, err);
}

lm_status lm_env_resolve(const lm_env_input *in, lm_resolved_env *out, lm_error *err)
{
    memset(out, 0, sizeof *out);
    out->conf = lm_conf_new();
    out->origins = lm_conf_new();
    if (out->conf == NULL || out->origins == NULL)
        return lm_error_oom(err);
    lm_env_input dflt = {0};
    if (in == NULL)
        in = &dflt;

    lm_status st = resolve_dirs(in, out, err);
    if (st != LM_OK)
        return st;
    const char *testing = env_get(in, "SPARK_TESTING");
    out->testing = testing != NULL;

    lm_submit_args args;
    memset(&args, 0, sizeof args);
    lm_conf *props = lm_conf_new();
    if (props == NULL)
        return lm_error_oom(err);
    const char *props_origin_fmt = NULL;
    lm_strbuf props_origin;
    lm_strbuf_init(&props_origin);

    st = parse_submit_args(in, out, &args, err);
    if (st == LM_OK)
        st = load_properties(out, &args, props, &props_origin_fmt, err);
    if (st == LM_OK) {
        /* spark-submit's view: --conf over the properties file. */
        lm_conf *merged = lm_conf_copy(args.confs);
        st = merged && lm_conf_merge(merged, props, false) == LM_OK ? LM_OK : lm_error_oom(err);
        if (st == LM_OK)
            st = check_submit(in, &args, merged, err);
        lm_conf_free(merged);
    }

    /* 1. code */
    const char *explicit_origin = in->explicit_origin ? in->explicit_origin : "code";
    const char *k, *v;
    for (size_t i = 0; st == LM_OK && lm_conf_at(in->conf, i, &k, &v); i++)
        st = put(out, k, v, explicit_origin, true, err);
    if (st == LM_OK && in->master != NULL)
        st = put(out, "spark.master", in->master, explicit_origin, true, err);
    /* 2. PYSPARK_SUBMIT_ARGS, SPARK_TESTING */
    for (size_t i = 0; st == LM_OK && lm_conf_at(args.options, i, &k, &v); i++)
        st = put(out, k, v, "PYSPARK_SUBMIT_ARGS", false, err);
    if (st == LM_OK)
        st = put_spark_properties(out, args.confs, "PYSPARK_SUBMIT_ARGS", err);
    if (st == LM_OK && testing != NULL && *testing != '\0')
        st = put(out, "spark.ui.enabled", "false", "SPARK_TESTING", false, err);
    /* 3. properties file */
    if (st == LM_OK && out->properties_file != NULL) {
        lm_strbuf_printf(&props_origin, props_origin_fmt, out->properties_file);
        st = lm_strbuf_ok(&props_origin)
                 ? put_spark_properties(out, props, lm_strbuf_cstr(&props_origin), err)
                 : lm_error_oom(err);
    }
    /* 4. variables spark-submit reads */
    static const struct {
        const char *env, *key;
    } submit_env[] = {{"MASTER", "spark.master"},
                      {"SPARK_DRIVER_MEMORY", "spark.driver.memory"},
                      {"SPARK_EXECUTOR_MEMORY", "spark.executor.memory"},
                      {"DEPLOY_MODE", "spark.submit.deployMode"}};
    for (size_t i = 0; st == LM_OK && i < sizeof submit_env / sizeof submit_env[0]; i++) {
        const char *ev = env_get(in, submit_env[i].env);
        if (ev == NULL)
            continue;
        char origin[64];
        snprintf(origin, sizeof origin, "env %s", submit_env[i].env);
        st = put(out, submit_env[i].key, ev, origin, false, err);
    }
    /* 5. SPARK_SUBMIT_OPTS; 6-7. SPARK_MASTER and defaults */
    if (st == LM_OK)
        st = put_submit_opts(in, out, err);
    if (st == LM_OK)
        st = put_defaults(in, out, err);

    /* Known keys must hold values Spark would accept. */
    for (size_t i = 0; st == LM_OK && lm_conf_at(out->conf, i, &k, &v); i++)
        st = lm_conf_validate(k, v, err);
    if (st == LM_OK)
        st = parse_master(in, out, err);

    lm_strbuf_free(&props_origin);
    lm_conf_free(props);
    lm_submit_args_free(&args);
    return st;
}

void lm_resolved_env_free(lm_resolved_env *r)
{
    if (r == NULL)
        return;
    for (int i = r->nwarnings; i > 0; i--)
        free(r->warnings[i - 1]);
    free(r->warnings);
    free(r->properties_file);
    free(r->conf_dir_origin);
    free(r->conf_dir);
    free(r->spark_home_origin);
    free(r->spark_home);
    lm_master_clear(&r->master);
    lm_conf_free(r->origins);
    lm_conf_free(r->conf);
    memset(r, 0, sizeof *r);
}

const char *lm_env_origin(const lm_resolved_env *r, const char *key)
{
    return lm_conf_get(r->origins, key);
}

/* ------------------------------------------------------------- describe */

static void put_escaped(lm_strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            lm_strbuf_puts(sb, "\\n");
        else if (*s == '\r')
            lm_strbuf_puts(sb, "\\r");
        else if (*s == '\t')
            lm_strbuf_puts(sb, "\\t");
        else
            lm_strbuf_putc(sb, *s);
    }
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *lm_env_describe(const lm_resolved_env *r)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (r->spark_home)
        lm_strbuf_printf(&sb, "SPARK_HOME = %s  (%s)\n", r->spark_home, r->spark_home_origin);
    else
        lm_strbuf_puts(&sb, "SPARK_HOME = (none)\n");
    if (r->conf_dir)
        lm_strbuf_printf(&sb, "SPARK_CONF_DIR = %s  (%s)\n", r->conf_dir, r->conf_dir_origin);
    else
        lm_strbuf_puts(&sb, "SPARK_CONF_DIR = (none)\n");
    lm_strbuf_printf(&sb, "properties file = %s\n",
                     r->properties_file ? r->properties_file : "(none)");
    if (r->testing)
        lm_strbuf_puts(&sb, "SPARK_TESTING = set\n");

    size_t n = lm_conf_size(r->conf);
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (keys == NULL) {
        lm_strbuf_free(&sb);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        lm_conf_at(r->conf, i, &keys[i], NULL);
    qsort(keys, n, sizeof *keys, cmp_keys);
    for (size_t i = 0; i < n; i++) {
        put_escaped(&sb, keys[i]);
        lm_strbuf_puts(&sb, " = ");
        put_escaped(&sb, lm_conf_get(r->conf, keys[i]));
        lm_strbuf_puts(&sb, "  (");
        put_escaped(&sb, lm_env_origin(r, keys[i]));
        lm_strbuf_puts(&sb, ")\n");
    }
    free(keys);
    for (int i = 0; i < r->nwarnings; i++) {
        lm_strbuf_puts(&sb, "warning: ");
        put_escaped(&sb, r->warnings[i]);
        lm_strbuf_putc(&sb, '\n');
    }
    return lm_strbuf_detach(&sb);
}
