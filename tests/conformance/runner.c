/*
 * conformance_runner: runs Spark's SQL golden files through the engine and
 * reports, per file, how many statements give Spark's exact output
 * (shared/conformance/README.md, section 4).
 *
 * Each golden file runs in a fresh session opened with the corpus defaults
 * plus the file's --SET directives, after the built-in tables have been
 * created. Each file runs in a child process (unless --no-fork), so that a
 * crash or a hang in the engine costs that file's remaining statements, not
 * the whole run; the child reports one byte per statement through a pipe.
 *
 * Exit status: 0 no file below its baseline; 1 a regression or a statement
 * splitting disagreement; 2 usage or I/O error; 77 corpus missing (CTest
 * reports a skip).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "compare.h"
#include "golden.h"
#include "localmode.h"
#include "report.h"

#ifndef LM_DEFAULT_CORPUS
#define LM_DEFAULT_CORPUS "../shared/conformance/spark-sql"
#endif
#ifndef LM_DEFAULT_SKIPS
#define LM_DEFAULT_SKIPS "tests/conformance/skips.txt"
#endif
#ifndef LM_DEFAULT_BASELINE
#define LM_DEFAULT_BASELINE "tests/conformance/baseline.txt"
#endif

typedef struct options {
    const char *corpus;
    const char *filter;
    const char *baseline;
    const char *skips;
    bool update_baseline;
    bool verbose;
    bool fork;
    bool report_builtins; /* say when the built-in tables cannot be made */
    unsigned timeout;     /* seconds per statement; 0 = none */
} options;

/* Session defaults the golden files were made with (README section 5). */
static const char *const session_defaults[][2] = {
    {"spark.sql.session.timeZone", "America/Los_Angeles"},
    {"spark.sql.shuffle.partitions", "4"},
    {"spark.sql.ansi.enabled", "false"},
};

/* ------------------------------------------------------ built-in tables */

/*
 * Spark's runner registers these before any file (README section 5). They
 * are made with plain SQL so they need nothing beyond what the files use:
 * integer and string literals give int and string columns, array() and map()
 * of them give array<int>, array<array<int>> and map<int,string>.
 */
static char *builtin_testdata_sql(void)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "CREATE TEMPORARY VIEW testdata AS SELECT * FROM VALUES ");
    for (int i = 1; i <= 100; i++)
        lm_strbuf_printf(&sb, "%s(%d, '%d')", i > 1 ? ", " : "", i, i);
    lm_strbuf_puts(&sb, " AS testdata(key, value)");
    return lm_strbuf_detach(&sb);
}

static const char builtin_arraydata_sql[] =
    "CREATE TEMPORARY VIEW arraydata AS SELECT * FROM VALUES "
    "(array(1, 2, 3), array(array(1, 2, 3))), "
    "(array(2, 3, 4), array(array(2, 3, 4))) "
    "AS arraydata(arraycol, nestedarraycol)";

static const char builtin_mapdata_sql[] = "CREATE TEMPORARY VIEW mapdata AS SELECT * FROM VALUES "
                                          "(map(1, 'a1', 2, 'b1', 3, 'c1', 4, 'd1', 5, 'e1')), "
                                          "(map(1, 'a2', 2, 'b2', 3, 'c2', 4, 'd2')), "
                                          "(map(1, 'a3', 2, 'b3', 3, 'c3')), "
                                          "(map(1, 'a4', 2, 'b4')), "
                                          "(map(1, 'a5')) "
                                          "AS mapdata(mapcol)";

/* Creates the built-in tables. A failure is not fatal (statements that need
   the table fail) and is reported on stderr when report is set: for the
   first file of a run, or for every file with --verbose. */
static void create_builtins(lm_session *s, const char *file, bool report)
{
    char *testdata = builtin_testdata_sql();
    const char *stmts[] = {testdata, builtin_arraydata_sql, builtin_mapdata_sql};
    const char *names[] = {"testdata", "arraydata", "mapdata"};
    for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++) {
        lm_df *df = NULL;
        if ((stmts[i] == NULL || lm_sql(s, stmts[i], &df) != LM_OK) && report)
            fprintf(stderr, "%s: cannot create built-in table %s: %s\n", file, names[i],
                    stmts[i] ? lm_errmsg(s) : "out of memory");
        lm_df_free(df);
    }
    free(testdata);
}

/* ---------------------------------------------------------- statements */

typedef struct rendered {
    char *schema;
    char **rows;
    size_t nrows;
    int ncols;
    bool sorted;
} rendered;

static void rendered_free(rendered *r)
{
    free(r->schema);
    for (size_t i = 0; i < r->nrows; i++)
        free(r->rows[i]);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* Runs one statement and renders its rows as Spark's runner prints them
   (HiveResult): cells joined by TAB. Returns false when the engine failed. */
static bool run_statement(lm_session *s, const char *sql, rendered *out)
{
    memset(out, 0, sizeof *out);
    lm_df *df = NULL;
    lm_rows *rows = NULL;
    bool ok = lm_sql(s, sql, &df) == LM_OK && df != NULL;
    if (ok) {
        out->schema = lm_df_schema_string(df);
        out->ncols = lm_df_num_columns(df);
        out->sorted = lm_df_is_sorted(df);
        ok = out->schema != NULL && lm_df_collect(df, &rows) == LM_OK && rows != NULL;
    }
    if (ok) {
        int64_t n = lm_rows_count(rows);
        int ncols = lm_rows_num_columns(rows);
        out->rows = calloc(n > 0 ? (size_t)n : 1, sizeof *out->rows);
        ok = out->rows != NULL;
        for (int64_t r = 0; ok && r < n; r++) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int c = 0; c < ncols && ok; c++) {
                char *cell = lm_rows_render(rows, r, c, LM_RENDER_HIVE);
                if (cell == NULL) {
                    ok = false;
                    break;
                }
                if (c > 0)
                    lm_strbuf_putc(&sb, '\t');
                lm_strbuf_puts(&sb, cell);
                free(cell);
            }
            out->rows[out->nrows] = lm_strbuf_detach(&sb);
            if (out->rows[out->nrows] == NULL)
                ok = false;
            else
                out->nrows++;
        }
    }
    lm_rows_free(rows);
    lm_df_free(df);
    return ok;
}

static void print_indented(const char *label, const char *text)
{
    printf("  %s:\n", label);
    const char *p = text;
    if (*p == '\0') {
        printf("    (empty)\n");
        return;
    }
    for (;;) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        printf("    %.*s\n", n, p);
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

static void print_failure(const char *file, size_t index1, const golden_block *b,
                          compare_result res, lm_session *s, bool failed, const rendered *r)
{
    printf("FAIL %s #%zu [%s]\n", file, index1, compare_result_name(res));
    print_indented("statement", b->sql);
    print_indented("expected schema", b->schema);
    print_indented("expected output", b->output);
    if (failed) {
        const char *cls = lm_errclass(s), *exc = lm_errexception(s);
        printf("  actual error:\n    %s%s%s\n    %s\n", exc ? exc : "(no exception kind)",
               cls ? " " : "", cls ? cls : "", lm_errmsg(s));
    } else {
        print_indented("actual schema", r->schema ? r->schema : "");
        char *out = compare_render_output((const char *const *)r->rows, r->nrows, r->sorted);
        print_indented(r->sorted ? "actual output (engine order)" : "actual output (sorted)",
                       out ? out : "(out of memory)");
        free(out);
    }
    fflush(stdout);
}

/* ------------------------------------------------------------ one file */

/* Where results go: a pipe to the parent, or straight into an array. */
typedef struct sink {
    int fd;
    unsigned char *results;
} sink;

static void emit(sink *k, size_t i, compare_result r)
{
    if (k->results != NULL) {
        k->results[i] = (unsigned char)r;
        return;
    }
    unsigned char b = (unsigned char)r;
    while (write(k->fd, &b, 1) < 0 && errno == EINTR) {
    }
}

static void run_file(const options *o, const char *name, const golden_file *g,
                     const golden_script *script, const report_skips *skips, sink *k)
{
    lm_conf *conf = lm_conf_new();
    bool conf_ok = conf != NULL;
    for (size_t i = 0; conf_ok && i < sizeof session_defaults / sizeof *session_defaults; i++)
        conf_ok = lm_conf_set(conf, session_defaults[i][0], session_defaults[i][1]) == LM_OK;
    for (size_t i = 0; conf_ok && i < script->nconfs; i++)
        conf_ok = lm_conf_set(conf, script->confs[i].key, script->confs[i].value) == LM_OK;
    char *err = NULL;
    lm_session *s = conf_ok ? lm_session_open(conf, &err) : NULL;
    lm_conf_free(conf);
    if (s == NULL) {
        fprintf(stderr, "%s: cannot open a session: %s\n", name, err ? err : "out of memory");
        free(err);
        for (size_t i = 0; i < g->nblocks; i++)
            emit(k, i, COMPARE_UNEXPECTED_ERROR);
        return;
    }
    create_builtins(s, name, o->report_builtins || o->verbose);

    for (size_t i = 0; i < g->nblocks; i++) {
        const golden_block *b = &g->blocks[i];
        const char *reason = report_skip_reason(skips, name, i + 1, b->sql);
        if (reason != NULL) {
            if (o->verbose)
                printf("SKIP %s #%zu: %s\n", name, i + 1, reason);
            emit(k, i, COMPARE_SKIPPED);
            continue;
        }
        if (o->fork && o->timeout)
            alarm(o->timeout);
        rendered r;
        bool ok = run_statement(s, b->sql, &r);
        if (o->fork && o->timeout)
            alarm(0);
        compare_actual a = {
            .failed = !ok,
            .error_class = ok ? NULL : lm_errclass(s),
            .exception = ok ? NULL : lm_errexception(s),
            .schema = r.schema,
            .ncols = r.ncols,
            .rows = (const char *const *)r.rows,
            .nrows = r.nrows,
            .sorted = r.sorted,
        };
        compare_result res = compare_statement(b, &a);
        if (o->verbose && res != COMPARE_PASS)
            print_failure(name, i + 1, b, res, s, !ok, &r);
        rendered_free(&r);
        emit(k, i, res);
    }
    lm_session_close(s);
}

/*
 * Runs one file in a child process and fills results[]. Statements the
 * child did not report (it crashed or timed out) are COMPARE_CRASHED.
 */
static void run_file_isolated(const options *o, const char *name, const golden_file *g,
                              const golden_script *script, const report_skips *skips,
                              unsigned char *results)
{
    for (size_t i = 0; i < g->nblocks; i++)
        results[i] = COMPARE_CRASHED;
    if (!o->fork) {
        sink k = {.fd = -1, .results = results};
        run_file(o, name, g, script, skips, &k);
        return;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "%s: pipe: %s\n", name, strerror(errno));
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", name, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        sink k = {.fd = fds[1], .results = NULL};
        run_file(o, name, g, script, skips, &k);
        fflush(stdout);
        fflush(stderr);
        close(fds[1]);
#ifdef LM_COVERAGE
        /* _exit skips the atexit hook that writes gcov counters: write them
           here, or a coverage build would not count the corpus. */
        extern void __gcov_dump(void);
        __gcov_dump();
#endif
        _exit(0);
    }
    close(fds[1]);
    size_t got = 0;
    unsigned char buf[256];
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t j = 0; j < n && got < g->nblocks; j++)
            results[got++] = buf[j] < COMPARE__COUNT ? buf[j] : COMPARE_CRASHED;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (got < g->nblocks) {
        const char *why = "exited early";
        char sig[64];
        if (WIFSIGNALED(status)) {
            int signo = WTERMSIG(status);
            if (signo == SIGALRM) {
                why = "timed out";
            } else {
                snprintf(sig, sizeof sig, "died of signal %d (%s)", signo, strsignal(signo));
                why = sig;
            }
        }
        fprintf(stderr, "%s: statement #%zu %s; %zu statements not run\n", name, got + 1, why,
                g->nblocks - got);
        if (o->verbose) {
            printf("CRASH %s #%zu: %s\n", name, got + 1, why);
            print_indented("statement", g->blocks[got].sql);
        }
    }
}

/* ------------------------------------------------------------------ main */

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--corpus DIR] [--filter SUBSTR] [--baseline FILE] [--update-baseline]\n"
            "          [--skips FILE] [--timeout SECONDS] [--no-fork] [--verbose]\n"
            "  --corpus DIR       folder holding inputs/ and results/ (default %s)\n"
            "  --filter SUBSTR    only golden files whose name contains SUBSTR\n"
            "  --baseline FILE    per-file pass counts; a file below its count fails the run\n"
            "  --update-baseline  rewrite the baseline with this run's counts\n"
            "  --skips FILE       skip list (default %s)\n"
            "  --timeout SECONDS  per statement, 0 for none (default 10)\n"
            "  --no-fork          run in this process (for debuggers and valgrind)\n"
            "  --verbose          print every failing statement, expected vs actual\n",
            argv0, LM_DEFAULT_CORPUS, LM_DEFAULT_SKIPS);
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.corpus = LM_DEFAULT_CORPUS,
                   .skips = LM_DEFAULT_SKIPS,
                   .baseline = NULL,
                   .fork = true,
                   .timeout = 10};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--corpus") == 0 && has_value) {
            o->corpus = argv[++i];
        } else if (strcmp(a, "--filter") == 0 && has_value) {
            o->filter = argv[++i];
        } else if (strcmp(a, "--baseline") == 0 && has_value) {
            o->baseline = argv[++i];
        } else if (strcmp(a, "--skips") == 0 && has_value) {
            o->skips = argv[++i];
        } else if (strcmp(a, "--timeout") == 0 && has_value) {
            char *end;
            unsigned long t = strtoul(argv[++i], &end, 10);
            if (*end != '\0' || t > 86400)
                return -1;
            o->timeout = (unsigned)t;
        } else if (strcmp(a, "--update-baseline") == 0) {
            o->update_baseline = true;
        } else if (strcmp(a, "--no-fork") == 0) {
            o->fork = false;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            o->verbose = true;
        } else {
            return -1;
        }
    }
    if (o->update_baseline && o->baseline == NULL)
        o->baseline = LM_DEFAULT_BASELINE;
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_args(argc, argv, &o) != 0) {
        usage(argv[0]);
        return 2;
    }
    /* Output of parent and children interleaves in order only line by line. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    char results_dir[4096];
    snprintf(results_dir, sizeof results_dir, "%s/results", o.corpus);
    struct stat st;
    if (stat(results_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("conformance corpus not found at %s: skipping\n", o.corpus);
        return 77;
    }

    char *err = NULL;
    report_skips skips;
    report_baseline baseline = {0};
    if (report_skips_load(o.skips, &skips, &err) != 0 ||
        (o.baseline && report_baseline_load(o.baseline, &baseline, &err) != 0)) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 2;
    }
    char **names = NULL;
    size_t nnames = 0;
    if (golden_list_corpus(results_dir, &names, &nnames, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        report_skips_free(&skips);
        report_baseline_free(&baseline);
        return 2;
    }

    report_file *files = calloc(nnames ? nnames : 1, sizeof *files);
    size_t nfiles = 0, split_bad = 0;
    int rc = files ? 0 : 2;
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        if (o.filter && strstr(names[i], o.filter) == NULL)
            continue;
        golden_file g;
        golden_script script;
        bool has_input;
        if (golden_load_case(o.corpus, names[i], &g, &script, &has_input, &err) != 0) {
            fprintf(stderr, "%s\n", err);
            free(err);
            err = NULL;
            rc = 2;
            break;
        }
        if (!has_input)
            printf("split-check: %s: no input file; running without --SET directives\n", names[i]);
        else if (!report_split_check(stdout, names[i], &script, &g))
            split_bad++;

        unsigned char *res = malloc(g.nblocks ? g.nblocks : 1);
        report_file *rf = &files[nfiles++];
        rf->name = names[i];
        rf->total = g.nblocks;
        if (res == NULL) {
            rc = 2;
        } else {
            o.report_builtins = nfiles == 1;
            run_file_isolated(&o, names[i], &g, &script, &skips, res);
            for (size_t k = 0; k < g.nblocks; k++)
                rf->counts[res[k]]++;
        }
        free(res);
        report_print_file(stdout, rf);
        if (o.verbose)
            report_print_file_categories(stdout, rf);
        golden_file_free(&g);
        golden_script_free(&script);
    }

    if (rc == 0) {
        if (split_bad)
            printf("split-check: %zu files split differently from their golden statements\n",
                   split_bad);
        size_t regressions = report_check_baseline(stdout, &baseline, files, nfiles);
        if (o.update_baseline) {
            for (size_t i = 0; i < nfiles; i++)
                if (report_baseline_set(&baseline, files[i].name, files[i].counts[COMPARE_PASS]))
                    rc = 2;
            if (rc == 0 && report_baseline_write(&baseline, o.baseline, &err) != 0) {
                fprintf(stderr, "%s\n", err);
                free(err);
                rc = 2;
            } else if (rc == 0) {
                printf("baseline: wrote %s\n", o.baseline);
                regressions = 0;
            }
        }
        if (rc == 0 && (regressions || split_bad))
            rc = 1;
        report_print_summary(stdout, files, nfiles);
    }
    free(files);
    golden_names_free(names, nnames);
    report_skips_free(&skips);
    report_baseline_free(&baseline);
    return rc;
}
