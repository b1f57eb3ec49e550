/*
 * The localmode command line. `sql` runs Spark SQL on the embedded engine
 * and prints results as Dataset.show() does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"

static int usage(FILE *f)
{
    fputs("usage: localmode sql [--conf key=value]... (-e \"STATEMENTS\" | -f FILE)\n"
          "       localmode --version\n",
          f);
    return f == stderr ? 2 : 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Runs each `;`-separated statement; quotes and comments are respected so
   a `;` inside a string does not split. */
static int run_script(lm_session *s, const char *text)
{
    size_t len = strlen(text);
    char *stmt = malloc(len + 1);
    if (stmt == NULL)
        return 1;
    size_t i = 0;
    int rc = 0;
    while (i < len && rc == 0) {
        size_t n = 0;
        char quote = 0;
        while (i < len) {
            char c = text[i];
            if (quote) {
                stmt[n++] = c;
                if (c == '\\' && i + 1 < len) {
                    stmt[n++] = text[++i];
                } else if (c == quote) {
                    quote = 0;
                }
                i++;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '-' && i + 1 < len && text[i + 1] == '-') {
                while (i < len && text[i] != '\n')
                    i++;
                continue;
            } else if (c == ';') {
                i++;
                break;
            }
            stmt[n++] = c;
            i++;
        }
        stmt[n] = '\0';
        const char *p = stmt;
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (*p == '\0')
            continue;
        lm_df *df = NULL;
        if (lm_sql(s, p, &df) != LM_OK) {
            fprintf(stderr, "Error: %s\n", lm_errmsg(s));
            rc = 1;
            break;
        }
        if (lm_df_num_columns(df) > 0 && lm_df_show(df, 20, 20, false) != LM_OK) {
            fprintf(stderr, "Error: %s\n", lm_errmsg(s));
            rc = 1;
        }
        lm_df_free(df);
    }
    free(stmt);
    return rc;
}

static int cmd_sql(int argc, char **argv)
{
    lm_conf *conf = lm_conf_new();
    const char *expr = NULL, *file = NULL;
    if (conf == NULL)
        return 1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            expr = argv[++i];
        } else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            file = argv[++i];
        } else if (strcmp(argv[i], "--conf") == 0 && i + 1 < argc) {
            char *kv = argv[++i];
            char *eq = strchr(kv, '=');
            if (eq == NULL) {
                fprintf(stderr, "localmode: --conf expects key=value, got '%s'\n", kv);
                lm_conf_free(conf);
                return 2;
            }
            *eq = '\0';
            lm_conf_set(conf, kv, eq + 1);
            *eq = '=';
        } else if (strcmp(argv[i], "--help") == 0) {
            lm_conf_free(conf);
            return usage(stdout);
        } else {
            fprintf(stderr, "localmode sql: unknown argument '%s'\n", argv[i]);
            lm_conf_free(conf);
            return usage(stderr);
        }
    }
    if ((expr == NULL) == (file == NULL)) {
        lm_conf_free(conf);
        return usage(stderr);
    }
    char *err = NULL;
    lm_session *s = lm_session_open(conf, &err);
    lm_conf_free(conf);
    if (s == NULL) {
        fprintf(stderr, "localmode: %s\n", err ? err : "cannot open a session");
        free(err);
        return 1;
    }
    char *text = file ? read_file(file) : NULL;
    if (file && text == NULL) {
        fprintf(stderr, "localmode: cannot read %s\n", file);
        lm_session_close(s);
        return 1;
    }
    int rc = run_script(s, file ? text : expr);
    free(text);
    lm_session_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--version") == 0) {
        printf("localmode %s (Spark %s semantics)\n", LM_VERSION, LM_SPARK_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0)
        return usage(stdout);
    if (strcmp(argv[1], "sql") == 0)
        return cmd_sql(argc - 2, argv + 2);
    fprintf(stderr, "localmode: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
