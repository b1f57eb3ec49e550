/*
 * The localmode command line. `sql` runs Spark SQL on the embedded engine
 * and prints results as Dataset.show() does, or as tab-separated text
 * (--output tsv: a header line of column names, then one line per row, as
 * the benchmark harness reads them). --timing prints
 * `query_time_s=<seconds>` on stderr for the last statement: its parse,
 * analysis and execution, not the printing and not earlier statements
 * (so the CSV load of a setup's CREATE VIEW / CACHE TABLE is excluded).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "localmode.h"

static int usage(FILE *f)
{
    fputs("usage: localmode sql [--conf key=value]... [--timing] [--output show|tsv]\n"
          "                     (-e \"STATEMENTS\" | -f FILE | --file FILE)\n"
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

typedef struct cli_opts {
    bool timing;
    bool tsv;
} cli_opts;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Header then rows, cells separated by tabs, rendered as Spark's SQL
   test runner prints values (NULL as NULL). */
static int print_tsv(lm_df *df, lm_rows *rows)
{
    int nc = lm_df_num_columns(df);
    for (int c = 0; c < nc; c++)
        printf("%s%s", c ? "\t" : "", lm_df_column_name(df, c));
    putchar('\n');
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        for (int c = 0; c < nc; c++) {
            char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
            if (cell == NULL)
                return 1;
            printf("%s%s", c ? "\t" : "", cell);
            free(cell);
        }
        putchar('\n');
    }
    return 0;
}

/* Runs one statement, timing it up to its collected result. */
static int run_statement(lm_session *s, const char *p, const cli_opts *o, double *secs)
{
    double t0 = now_s();
    lm_df *df = NULL;
    if (lm_sql(s, p, &df) != LM_OK) {
        fprintf(stderr, "Error: %s\n", lm_errmsg(s));
        return 1;
    }
    lm_rows *rows = NULL;
    int rc = 0;
    if (lm_df_num_columns(df) > 0 && lm_df_collect(df, &rows) != LM_OK) {
        fprintf(stderr, "Error: %s\n", lm_errmsg(s));
        lm_df_free(df);
        return 1;
    }
    *secs = now_s() - t0;
    if (lm_df_num_columns(df) > 0) {
        if (o->tsv) {
            rc = print_tsv(df, rows);
        } else if (lm_df_show(df, 20, 20, false) != LM_OK) {
            fprintf(stderr, "Error: %s\n", lm_errmsg(s));
            rc = 1;
        }
    }
    lm_rows_free(rows);
    lm_df_free(df);
    return rc;
}

/* Runs each `;`-separated statement; quotes and comments are respected so
   a `;` inside a string does not split. */
static int run_script(lm_session *s, const char *text, const cli_opts *o)
{
    double last = -1;
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
        rc = run_statement(s, p, o, &last);
    }
    free(stmt);
    if (rc == 0 && o->timing && last >= 0) {
        fflush(stdout);
        fprintf(stderr, "query_time_s=%.6f\n", last);
    }
    return rc;
}

static int cmd_sql(int argc, char **argv)
{
    lm_conf *conf = lm_conf_new();
    const char *expr = NULL, *file = NULL;
    cli_opts o = {false, false};
    if (conf == NULL)
        return 1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            expr = argv[++i];
        } else if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--file") == 0) && i + 1 < argc) {
            file = argv[++i];
        } else if (strcmp(argv[i], "--timing") == 0) {
            o.timing = true;
        } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "tsv") != 0 && strcmp(f, "show") != 0) {
                fprintf(stderr, "localmode sql: --output expects show or tsv, got '%s'\n", f);
                lm_conf_free(conf);
                return 2;
            }
            o.tsv = strcmp(f, "tsv") == 0;
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
    int rc = run_script(s, file ? text : expr, &o);
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
