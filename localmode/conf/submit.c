/*
 * Argument splitting and spark-submit option parsing. The option table is
 * data: one row per option, with the conf key spark-submit stores it
 * under, so supporting an option is adding a row.
 */
#include "conf/submit.h"

#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

/* ------------------------------------------------------------ splitting */

typedef struct argv_builder {
    char **argv;
    int argc;
    int cap;
    bool failed;
} argv_builder;

static void argv_push(argv_builder *b, lm_strbuf *tok)
{
    if (b->failed)
        return;
    if (!lm_strbuf_ok(tok)) {
        b->failed = true;
        return;
    }
    if (b->argc + 1 >= b->cap) {
        int cap = b->cap ? b->cap * 2 : 8;
        char **a = realloc(b->argv, (size_t)cap * sizeof *a);
        if (a == NULL) {
            b->failed = true;
            return;
        }
        b->argv = a;
        b->cap = cap;
    }
    const char *s = lm_strbuf_cstr(tok);
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d == NULL) {
        b->failed = true;
        return;
    }
    memcpy(d, s, n);
    b->argv[b->argc++] = d;
    b->argv[b->argc] = NULL;
    lm_strbuf_reset(tok);
}

void lm_args_free(char **argv, int argc)
{
    if (argv == NULL)
        return;
    for (int i = argc; i > 0; i--)
        free(argv[i - 1]);
    free(argv);
}

/* shlex's POSIX whitespace. */
static bool shlex_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Java's Character.isWhitespace for ASCII. */
static bool java_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
}

/*
 * shlex.split: outside quotes a backslash takes the next char literally;
 * inside '...' nothing is special; inside "..." a backslash escapes only
 * '"' and '\' (otherwise it stays). Quoted parts join adjacent text, and
 * an empty pair of quotes is an empty argument.
 */
static lm_status split_shlex(const char *s, argv_builder *b, lm_strbuf *tok, lm_error *err)
{
    bool in_token = false;
    char quote = 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                lm_strbuf_putc(tok, c);
        } else if (quote == '"') {
            if (c == '"') {
                quote = 0;
            } else if (c == '\\') {
                if (p[1] == '\0')
                    return lm_error_set(err, LM_ERROR, "ValueError", NULL, NULL,
                                        "No escaped character");
                p++;
                if (*p != '"' && *p != '\\')
                    lm_strbuf_putc(tok, '\\');
                lm_strbuf_putc(tok, *p);
            } else {
                lm_strbuf_putc(tok, c);
            }
        } else if (shlex_space(c)) {
            if (in_token)
                argv_push(b, tok);
            in_token = false;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_token = true;
        } else if (c == '\\') {
            if (p[1] == '\0')
                return lm_error_set(err, LM_ERROR, "ValueError", NULL, NULL,
                                    "No escaped character");
            lm_strbuf_putc(tok, *++p);
            in_token = true;
        } else {
            lm_strbuf_putc(tok, c);
            in_token = true;
        }
    }
    if (quote)
        return lm_error_set(err, LM_ERROR, "ValueError", NULL, NULL, "No closing quotation");
    if (in_token)
        argv_push(b, tok);
    return LM_OK;
}

/* CommandBuilderUtils.parseOptionString: a backslash escapes anything
   outside single quotes. */
static lm_status split_java(const char *s, argv_builder *b, lm_strbuf *tok, lm_error *err)
{
    bool in_opt = false, in_single = false, in_double = false, escape_next = false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (escape_next) {
            lm_strbuf_putc(tok, c);
            escape_next = false;
        } else if (in_opt) {
            if (c == '\\' && !in_single)
                escape_next = true;
            else if (c == '\'' && !in_double)
                in_single = !in_single;
            else if (c == '"' && !in_single)
                in_double = !in_double;
            else if (!java_space(c) || in_single || in_double)
                lm_strbuf_putc(tok, c);
            else {
                argv_push(b, tok);
                in_opt = false;
            }
        } else if (c == '\'') {
            in_single = in_opt = true;
        } else if (c == '"') {
            in_double = in_opt = true;
        } else if (c == '\\') {
            escape_next = in_opt = true;
        } else if (!java_space(c)) {
            in_opt = true;
            lm_strbuf_putc(tok, c);
        }
    }
    if (in_single || in_double || escape_next)
        return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                            "Invalid option string: %s", s);
    if (in_opt)
        argv_push(b, tok);
    return LM_OK;
}

lm_status lm_split_args(const char *s, lm_split_mode mode, char ***argv, int *argc,
                        lm_error *err)
{
    argv_builder b = {NULL, 0, 0, false};
    lm_strbuf tok;
    lm_strbuf_init(&tok);
    lm_status st = mode == LM_SPLIT_SHLEX ? split_shlex(s ? s : "", &b, &tok, err)
                                          : split_java(s ? s : "", &b, &tok, err);
    lm_strbuf_free(&tok);
    if (st == LM_OK && b.failed)
        st = lm_error_oom(err);
    if (st == LM_OK && b.argv == NULL) {
        b.argv = calloc(1, sizeof *b.argv);
        if (b.argv == NULL)
            st = lm_error_oom(err);
    }
    if (st != LM_OK) {
        lm_args_free(b.argv, b.argc);
        *argv = NULL;
        *argc = 0;
        return st;
    }
    *argv = b.argv;
    *argc = b.argc;
    return LM_OK;
}

/* --------------------------------------------------------- the options */

typedef enum opt_action {
    OPT_CONF_KEY,   /* stored under conf_key */
    OPT_CONF,       /* --conf k=v */
    OPT_PROPERTIES, /* --properties-file */
    OPT_SPECIAL,    /* --kill, --status: no application runs */
    OPT_IGNORED     /* --class, --proxy-user: no conf key */
} opt_action;

typedef struct submit_opt {
    const char *name;
    const char *alias;
    opt_action action;
    const char *conf_key;
} submit_opt;

/* Options that take a value (SparkSubmitOptionParser.opts, Spark 3.5). */
static const submit_opt value_opts[] = {
    {"--archives", NULL, OPT_CONF_KEY, "spark.archives"},
    {"--class", NULL, OPT_IGNORED, NULL},
    {"--conf", "-c", OPT_CONF, NULL},
    {"--deploy-mode", NULL, OPT_CONF_KEY, "spark.submit.deployMode"},
    {"--driver-class-path", NULL, OPT_CONF_KEY, "spark.driver.extraClassPath"},
    {"--driver-cores", NULL, OPT_CONF_KEY, "spark.driver.cores"},
    {"--driver-java-options", NULL, OPT_CONF_KEY, "spark.driver.extraJavaOptions"},
    {"--driver-library-path", NULL, OPT_CONF_KEY, "spark.driver.extraLibraryPath"},
    {"--driver-memory", NULL, OPT_CONF_KEY, "spark.driver.memory"},
    {"--executor-cores", NULL, OPT_CONF_KEY, "spark.executor.cores"},
    {"--executor-memory", NULL, OPT_CONF_KEY, "spark.executor.memory"},
    {"--files", NULL, OPT_CONF_KEY, "spark.files"},
    {"--jars", NULL, OPT_CONF_KEY, "spark.jars"},
    {"--keytab", NULL, OPT_CONF_KEY, "spark.kerberos.keytab"},
    {"--kill", NULL, OPT_SPECIAL, NULL},
    {"--master", NULL, OPT_CONF_KEY, "spark.master"},
    {"--name", NULL, OPT_CONF_KEY, "spark.app.name"},
    {"--num-executors", NULL, OPT_CONF_KEY, "spark.executor.instances"},
    {"--packages", NULL, OPT_CONF_KEY, "spark.jars.packages"},
    {"--exclude-packages", NULL, OPT_CONF_KEY, "spark.jars.excludes"},
    {"--principal", NULL, OPT_CONF_KEY, "spark.kerberos.principal"},
    {"--properties-file", NULL, OPT_PROPERTIES, NULL},
    {"--proxy-user", NULL, OPT_IGNORED, NULL},
    {"--py-files", NULL, OPT_CONF_KEY, "spark.submit.pyFiles"},
    {"--queue", NULL, OPT_CONF_KEY, "spark.yarn.queue"},
    {"--remote", NULL, OPT_CONF_KEY, "spark.remote"},
    {"--repositories", NULL, OPT_CONF_KEY, "spark.jars.repositories"},
    {"--status", NULL, OPT_SPECIAL, NULL},
    {"--total-executor-cores", NULL, OPT_CONF_KEY, "spark.cores.max"},
};

/* Switches (no value). */
static const submit_opt switch_opts[] = {
    {"--help", "-h", OPT_SPECIAL, NULL},
    {"--supervise", NULL, OPT_CONF_KEY, "spark.driver.supervise"},
    {"--usage-error", NULL, OPT_SPECIAL, NULL},
    {"--verbose", "-v", OPT_IGNORED, NULL},
    {"--version", NULL, OPT_SPECIAL, NULL},
};

static const submit_opt *find_opt(const submit_opt *tab, size_t n, const char *name,
                                  size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(tab[i].name) == len && strncmp(tab[i].name, name, len) == 0)
            return &tab[i];
        if (tab[i].alias && strlen(tab[i].alias) == len && strncmp(tab[i].alias, name, len) == 0)
            return &tab[i];
    }
    return NULL;
}

static char *submit_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void lm_submit_args_free(lm_submit_args *a)
{
    if (a == NULL)
        return;
    lm_args_free(a->app_args, a->napp_args);
    free(a->app_resource);
    free(a->properties_file);
    lm_conf_free(a->confs);
    lm_conf_free(a->options);
    memset(a, 0, sizeof *a);
}

static lm_status handle_value(const submit_opt *o, const char *value, lm_submit_args *out,
                              lm_error *err)
{
    lm_status st = LM_OK;
    switch (o->action) {
    case OPT_CONF_KEY:
        st = lm_conf_set(out->options, o->conf_key, value);
        break;
    case OPT_CONF: {
        const char *eq = strchr(value, '=');
        if (eq == NULL)
            return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                                "Invalid argument to --conf: %s", value);
        size_t klen = (size_t)(eq - value);
        char *k = malloc(klen + 1);
        if (k == NULL)
            return lm_error_oom(err);
        memcpy(k, value, klen);
        k[klen] = '\0';
        st = lm_conf_set(out->confs, k, eq + 1);
        free(k);
        break;
    }
    case OPT_PROPERTIES:
        free(out->properties_file);
        out->properties_file = submit_strdup(value);
        if (out->properties_file == NULL)
            st = LM_ENOMEM;
        break;
    case OPT_SPECIAL:
        out->special = true;
        break;
    case OPT_IGNORED:
        break;
    }
    return st == LM_ENOMEM ? lm_error_oom(err) : st;
}

lm_status lm_submit_args_parse(int argc, char **argv, lm_submit_args *out, lm_error *err)
{
    memset(out, 0, sizeof *out);
    out->options = lm_conf_new();
    out->confs = lm_conf_new();
    if (out->options == NULL || out->confs == NULL)
        return lm_error_oom(err);

    int idx = 0;
    for (; idx < argc; idx++) {
        const char *arg = argv[idx];
        size_t name_len = strlen(arg);
        const char *value = NULL;
        /* "(--[^=]+)=(.+)": an option and its value in one argument. */
        const char *eq = strchr(arg, '=');
        if (strncmp(arg, "--", 2) == 0 && eq != NULL && eq > arg + 2 && eq[1] != '\0') {
            name_len = (size_t)(eq - arg);
            value = eq + 1;
        }
        const submit_opt *o =
            find_opt(value_opts, sizeof value_opts / sizeof value_opts[0], arg, name_len);
        if (o != NULL) {
            if (value == NULL) {
                if (idx == argc - 1)
                    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                                        "Missing argument for option '%.*s'.", (int)name_len,
                                        arg);
                value = argv[++idx];
            }
            lm_status st = handle_value(o, value, out, err);
            if (st != LM_OK)
                return st;
            continue;
        }
        o = find_opt(switch_opts, sizeof switch_opts / sizeof switch_opts[0], arg, name_len);
        if (o != NULL) { /* a value glued to a switch is dropped, as Spark does */
            lm_status st = handle_value(o, "true", out, err);
            if (st != LM_OK)
                return st;
            continue;
        }
        /* The first unknown argument is the resource; options must precede it. */
        if (arg[0] == '-')
            return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                                "Unrecognized option: %.*s", (int)name_len, arg);
        out->app_resource = submit_strdup(arg);
        if (out->app_resource == NULL)
            return lm_error_oom(err);
        idx++;
        break;
    }
    out->napp_args = argc - idx;
    out->app_args = calloc((size_t)out->napp_args + 1, sizeof *out->app_args);
    if (out->app_args == NULL)
        return lm_error_oom(err);
    for (int i = 0; i < out->napp_args; i++) {
        out->app_args[i] = submit_strdup(argv[idx + i]);
        if (out->app_args[i] == NULL) {
            out->napp_args = i;
            return lm_error_oom(err);
        }
    }
    if (!out->special && out->app_resource == NULL)
        return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                            "Missing application resource.");
    return LM_OK;
}
