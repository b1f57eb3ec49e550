/*
 * `localmode sql`: Spark SQL on the embedded engine, from -e, -f, standard
 * input or an interactive shell with line editing and history (libedit),
 * statements ending with `;` as in spark-sql.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <editline/readline.h>
#include <valgrind/callgrind.h>

#include "cli/cli.h"
#include "cli/metrics.h"

char *cli_read_all(FILE *f)
{
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    return buf;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one statement and, when print is set, prints its result; returns
   CLI_OK or CLI_FAILED. */
static int run_statement(lm_session *s, const char *sql, const cli_opts *o, bool print,
                         double *seconds)
{
    double t0 = now_seconds();
    lm_df *df = NULL;
    if (o->observer) {
        /* the job's name in the summary: the statement, on one line */
        char label[64];
        size_t n = 0;
        for (const char *p = sql + strspn(sql, " \t\r\n"); *p && n < 50; p++)
            label[n++] = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p;
        label[n] = '\0';
        cli_metrics_label(o->observer, "%s%s", label, strlen(sql) > 50 ? "..." : "");
    }
    /* under `localmode profile`, count instructions of the statement's
       analysis and execution only */
    if (o->profile_collect)
        CALLGRIND_TOGGLE_COLLECT;
    lm_status st = lm_sql(s, sql, &df);
    int64_t n;
    /* compute before printing so the timing covers execution only */
    if (st == LM_OK)
        st = lm_df_count(df, &n);
    if (o->profile_collect)
        CALLGRIND_TOGGLE_COLLECT;
    *seconds = now_seconds() - t0;
    if (df == NULL) {
        fprintf(stderr, "Error: %s\n", lm_errmsg(s));
        return CLI_FAILED;
    }
    if (st == LM_OK && print && lm_df_num_columns(df) > 0)
        st = cli_print(df, o, stdout);
    if (st != LM_OK)
        fprintf(stderr, "Error: %s\n", lm_errmsg(s));
    lm_df_free(df);
    return st == LM_OK ? CLI_OK : CLI_FAILED;
}

/*
 * Splits at `;` outside quotes, backquotes and comments (-- and nested
 * bracketed comments), so a `;` inside a string does not end a statement.
 * Returns the length of the next statement's text from p, and sets *next
 * past its terminator; *complete is false when the text ran out first.
 */
size_t cli_next_statement(const char *p, const char **next, bool *complete)
{
    size_t i = 0;
    char quote = 0;
    int block = 0;
    while (p[i]) {
        char c = p[i];
        if (block) {
            if (c == '*' && p[i + 1] == '/') {
                block--;
                i += 2;
                continue;
            }
            if (c == '/' && p[i + 1] == '*') {
                block++;
                i += 2;
                continue;
            }
            i++;
            continue;
        }
        if (quote) {
            if (c == '\\' && quote != '`' && p[i + 1]) {
                i += 2;
                continue;
            }
            if (c == quote)
                quote = 0;
            i++;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
        } else if (c == '-' && p[i + 1] == '-') {
            while (p[i] && p[i] != '\n')
                i++;
            continue;
        } else if (c == '/' && p[i + 1] == '*') {
            block = 1;
            i += 2;
            continue;
        } else if (c == ';') {
            *next = p + i + 1;
            *complete = true;
            return i;
        }
        i++;
    }
    *next = p + i;
    *complete = false;
    return i;
}

bool cli_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    }
    return true;
}

static int cmp_seconds(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The last statement under --timing-runs R: R runs in this process, the
   result printed once (the last run's); *seconds is the median, the way
   in-process benchmark runners time warm repeated queries. */
static int run_repeated(lm_session *s, const char *sql, const cli_opts *o, double *seconds)
{
    int runs = o->timing_runs;
    double *t = malloc(sizeof *t * (size_t)runs);
    if (t == NULL)
        return CLI_FAILED;
    int rc = CLI_OK;
    for (int r = 0; rc == CLI_OK && r < runs; r++)
        rc = run_statement(s, sql, o, r == runs - 1, &t[r]);
    if (rc == CLI_OK) {
        fprintf(stderr, "query_first_s=%.6f\n", t[0]);
        qsort(t, (size_t)runs, sizeof *t, cmp_seconds);
        *seconds = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
    free(t);
    return rc;
}

int cli_run_script(lm_session *s, const char *text, const cli_opts *o)
{
    const char *p = text;
    double last = 0;
    int rc = CLI_OK;
    while (*p && rc == CLI_OK) {
        const char *next;
        bool complete;
        size_t n = cli_next_statement(p, &next, &complete);
        if (!cli_blank(p, n)) {
            char *sql = strndup(p, n);
            if (sql == NULL)
                return CLI_FAILED;
            if (o->timing_runs > 1 && cli_blank(next, strlen(next)))
                rc = run_repeated(s, sql, o, &last);
            else
                rc = run_statement(s, sql, o, true, &last);
            free(sql);
        }
        p = next;
    }
    if (rc == CLI_OK && o->timing)
        fprintf(stderr, "query_time_s=%.6f\n", last);
    return rc;
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (home == NULL || *home == '\0')
        return NULL;
    size_t n = strlen(home) + 32;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.localmode_history", home);
    return p;
}

/* The interactive shell: statements may span lines and end with `;`. */
static int shell(lm_session *s, const cli_opts *o)
{
    char *hist = history_path();
    using_history();
    if (hist)
        read_history(hist);
    size_t cap = 0, len = 0;
    char *buf = NULL;
    for (;;) {
        char *line = readline(len ? "         > " : "spark-sql> ");
        if (line == NULL)
            break;
        size_t ln = strlen(line);
        if (len + ln + 2 > cap) {
            size_t ncap = (len + ln + 2) * 2;
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(line);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        memcpy(buf + len, line, ln);
        len += ln;
        buf[len++] = '\n';
        buf[len] = '\0';
        free(line);
        const char *next;
        bool complete;
        const char *p = buf;
        /* run every complete statement typed so far */
        for (;;) {
            size_t n = cli_next_statement(p, &next, &complete);
            if (!complete)
                break;
            if (!cli_blank(p, n)) {
                char *sql = strndup(p, n);
                if (sql) {
                    add_history(sql);
                    double t;
                    run_statement(s, sql, o, true, &t);
                    free(sql);
                }
            }
            p = next;
        }
        size_t rest = strlen(p);
        memmove(buf, p, rest + 1);
        len = cli_blank(buf, rest) ? 0 : rest;
        if (len == 0)
            buf[0] = '\0';
    }
    if (hist) {
        write_history(hist);
        free(hist);
    }
    free(buf);
    fputc('\n', stdout);
    return CLI_OK;
}

static int usage(FILE *f)
{
    fputs("usage: localmode sql [options] [-e \"STATEMENTS\" | -f FILE]\n"
          "Runs Spark SQL on the embedded engine. Without -e or -f, reads statements from\n"
          "standard input, or starts an interactive shell when it is a terminal.\n"
          "\n"
          "  -e STATEMENTS        run these `;`-separated statements\n"
          "  -f FILE              run the statements in FILE\n"
          "  --master URL         master URL (local, local[N], local[*] ...)\n"
          "  --conf KEY=VALUE     a Spark configuration setting (repeatable)\n"
          "  --output FORMAT      table (as show(), default), tsv (as spark-sql -S), csv, json\n"
          "  --truncate N         table cells longer than N characters are cut (default 20, 0: never)\n"
          "  --timing             print query_time_s=SECONDS for the last statement on stderr\n"
          "  --timing-runs R      run the last statement R times in this process and print\n"
          "                       the median as query_time_s (the first run as query_first_s)\n"
          "  --metrics            print each job's operators, rows and time on stderr\n"
          "  --help               this text\n"
          "Exit status: 0 success, 1 a statement failed, 2 usage error.\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

int cli_cmd_sql(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o);
    const char *expr = NULL, *file = NULL;
    int rc = CLI_OK;
    for (int i = 0; i < argc;) {
        int used = cli_common_option(&o, argc, argv, i);
        if (used < 0) {
            cli_opts_free(&o);
            return CLI_USAGE;
        }
        if (used > 0) {
            i += used;
            continue;
        }
        if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            expr = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            file = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--metrics") == 0) {
            o.metrics = true;
            i++;
        } else if (strcmp(argv[i], "--profile-collect") == 0) {
            o.profile_collect = true;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_opts_free(&o);
            return usage(stdout);
        } else {
            fprintf(stderr, "localmode sql: unknown argument '%s'\n", argv[i]);
            cli_opts_free(&o);
            return usage(stderr);
        }
    }
    if (expr && file) {
        fprintf(stderr, "localmode sql: -e and -f cannot be used together\n");
        cli_opts_free(&o);
        return CLI_USAGE;
    }
    char *text = NULL;
    if (file) {
        FILE *f = fopen(file, "rb");
        if (f == NULL) {
            fprintf(stderr, "localmode: cannot read %s: %s\n", file, strerror(errno));
            cli_opts_free(&o);
            return CLI_FAILED;
        }
        text = cli_read_all(f);
        fclose(f);
    } else if (expr == NULL && !isatty(STDIN_FILENO)) {
        text = cli_read_all(stdin);
    }
    lm_session *s = cli_open_session(&o);
    if (s == NULL) {
        free(text);
        cli_opts_free(&o);
        return CLI_FAILED;
    }
    bool progress = !o.profile_collect && cli_progress_wanted(s);
    if (o.metrics || progress)
        o.observer = cli_metrics_new(s, progress);
    if (expr)
        rc = cli_run_script(s, expr, &o);
    else if (text)
        rc = cli_run_script(s, text, &o);
    else if (file == NULL)
        rc = shell(s, &o);
    else
        rc = CLI_FAILED;
    free(text);
    fflush(stdout);
    if (o.metrics)
        cli_metrics_print(o.observer, stderr);
    cli_metrics_free(o.observer);
    lm_session_close(s);
    cli_opts_free(&o);
    return rc;
}
