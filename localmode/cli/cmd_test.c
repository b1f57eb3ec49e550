/*
 * `localmode test FILE.yaml...`: declarative tests, no C needed. Each
 * case runs in a fresh session with the testkit's configuration (UTC,
 * local[2], 4 shuffle partitions: the same results on every machine),
 * loads the file's fixtures (the testkit's YAML format; fixture tables
 * replace a job's sources of the same name), runs its SQL or job file and
 * checks the result with the testkit's comparisons (lmt_df_equal and
 * friends, options as lmt_df_opts). Results are reported as TAP on
 * standard output, and as JUnit XML with --junit FILE; the exit status is
 * 1 when any test failed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/df.h"
#include "common/strbuf.h"
#include "cli/cli.h"
#include "cli/test_file.h"
#include "job/job.h"
#include "localmode_testkit.h"

typedef enum tr_outcome { TR_PASS, TR_FAIL, TR_ERROR, TR_SKIP } tr_outcome;

/* The result of one case (or of a file that could not be loaded). */
typedef struct tr {
    const tf_file *file;
    const tf_case *c; /* NULL: the file's load error */
    tr_outcome outcome;
    const char *type; /* what went wrong: DIFFERENT_ROWS, UNEXPECTED_ERROR ... */
    char *message;    /* one line */
    char *report;     /* details, or NULL */
    double seconds;
} tr;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return strdup(buf);
}

static void set(tr *r, tr_outcome o, const char *type, char *message, char *report)
{
    r->outcome = o;
    r->type = type;
    free(r->message);
    free(r->report);
    r->message = message;
    r->report = report;
}

/* What the case ran into: engine errors keep their class for `expect.error`. */
typedef struct failure {
    char *message;
    const char *error_class; /* session memory, or NULL */
} failure;

static void fail_with(failure *f, lm_session *s, const char *message)
{
    if (f->message)
        return;
    f->message = strdup(message ? message : lm_errmsg(s));
    f->error_class = lm_errclass(s);
}

/* Runs the case's statements; the last one's DataFrame is the result. */
static lm_df *run_sql(lm_session *s, const char *text, failure *f)
{
    lm_df *last = NULL;
    const char *p = text;
    while (*p && f->message == NULL) {
        const char *next;
        bool complete;
        size_t n = cli_next_statement(p, &next, &complete);
        if (!cli_blank(p, n)) {
            char *sql = strndup(p, n);
            lm_df *df = NULL;
            if (sql == NULL || lm_sql(s, sql, &df) != LM_OK) {
                fail_with(f, s, sql ? NULL : "out of memory");
                lm_df_free(df);
            } else {
                lm_df_free(last);
                last = df;
            }
            free(sql);
        }
        p = next;
    }
    if (f->message) {
        lm_df_free(last);
        return NULL;
    }
    if (last == NULL)
        fail_with(f, s, "the test's `sql` holds no statement");
    return last;
}

/* ${tmpdir} in a test's vars and SQL: the run's scratch folder
   (lmt_tmpdir), removed at exit, so tests that write leave nothing. */
static char *with_tmpdir(const char *s)
{
    const char *dir = lmt_tmpdir();
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (const char *p = s; *p;) {
        if (strncmp(p, "${tmpdir}", 9) == 0 && dir) {
            lm_strbuf_puts(&sb, dir);
            p += 9;
        } else {
            lm_strbuf_putc(&sb, *p++);
        }
    }
    return lm_strbuf_detach(&sb);
}

static lm_df *run_job(lm_session *s, const tf_case *c, failure *f)
{
    char *err = NULL;
    /* the job's own ${tmpdir}, unless the test sets it */
    char **vars = calloc((size_t)c->nvars + 2, sizeof *vars);
    int nvars = 0;
    bool has_tmpdir = false;
    for (int i = 0; vars && i < c->nvars; i++) {
        vars[nvars++] = with_tmpdir(c->vars[i]);
        has_tmpdir |= strncmp(c->vars[i], "tmpdir=", 7) == 0;
    }
    if (vars && !has_tmpdir && lmt_tmpdir())
        vars[nvars++] = with_tmpdir("tmpdir=${tmpdir}");
    job *j = vars ? job_load_file(c->job, (const char *const *)vars, nvars, &err) : NULL;
    for (int i = 0; i < nvars; i++)
        free(vars[i]);
    free(vars);
    if (j == NULL && err == NULL)
        err = strdup("out of memory");
    if (j == NULL) {
        f->message = err;
        return NULL;
    }
    job_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.keep_existing_views = true;
    ro.skip_sinks = !c->sinks;
    ro.console = stderr; /* TAP owns standard output */
    lm_df *df = NULL;
    if (job_run(s, j, &ro, &err) != LM_OK) {
        f->message = err ? err : strdup(lm_errmsg(s));
        f->error_class = lm_errclass(s);
    } else {
        free(err);
        const char *view = c->view       ? c->view
                           : j->nsteps   ? j->steps[j->nsteps - 1].view
                           : j->nsources ? j->sources[0].name.s
                                         : NULL;
        df = view ? lm_read_table(s, view) : NULL;
        if (df == NULL)
            fail_with(f, s, view ? NULL : "the job defines no view to check");
    }
    job_free(j);
    return df;
}

/* Spark's error class matches when equal, or when the expectation names
   its main class ("UNRESOLVED_COLUMN" for UNRESOLVED_COLUMN.WITH_SUGGESTION). */
static bool class_matches(const char *want, const char *got)
{
    if (got == NULL)
        return false;
    size_t n = strlen(want);
    return strcmp(want, got) == 0 || (strncmp(want, got, n) == 0 && got[n] == '.');
}

static const char *outcome_type(lmt_outcome o)
{
    switch (o) {
    case LMT_DIFFERENT_SCHEMA:
        return "DIFFERENT_SCHEMA";
    case LMT_DIFFERENT_ROWS:
        return "DIFFERENT_ROWS";
    case LMT_DIFFERENT_COLUMNS:
        return "DIFFERENT_COLUMNS";
    case LMT_PROPERTY_FAILED:
        return "PROPERTY_FAILED";
    default:
        return "ERROR";
    }
}

/* Takes an lmt_result: true when equal, else fills r from its report. */
static bool check(tr *r, lmt_result res, const char *what)
{
    if (res.outcome == LMT_EQUAL) {
        lmt_result_free(&res);
        return true;
    }
    const char *rep = res.report ? res.report : "";
    const char *nl = strchr(rep, '\n');
    set(r, res.outcome == LMT_ERROR ? TR_ERROR : TR_FAIL, outcome_type(res.outcome),
        fmt("%s: %.*s", what, nl ? (int)(nl - rep) : (int)strlen(rep), rep), strdup(rep));
    lmt_result_free(&res);
    return false;
}

static char *schema_ddl(const lm_df *df)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < df->schema->nfields; i++) {
        lm_strbuf_printf(&sb, "%s`", i ? ", " : "");
        for (const char *p = df->schema->fields[i].name; *p; p++) {
            if (*p == '`')
                lm_strbuf_putc(&sb, '`');
            lm_strbuf_putc(&sb, *p);
        }
        lm_strbuf_puts(&sb, "` ");
        lm_type_sql_string(&sb, df->schema->fields[i].type);
    }
    return lm_strbuf_detach(&sb);
}

/* The expected rows written in the case: a fixture table of their own. */
static lm_df *expected_rows(lm_session *s, const tf_file *file, const tf_case *c, lm_df *actual,
                            tr *r)
{
    char *ddl = c->schema ? strdup(c->schema) : schema_ddl(actual);
    char *text = ddl ? tf_rows_text(file, c, ddl) : NULL;
    free(ddl);
    char *err = NULL;
    lmt_fixture *fx = text ? lmt_fixture_load_string(s, text, file->path, &err) : NULL;
    free(text);
    if (fx == NULL) {
        char *fixed = err ? tf_fix_lines(err, file->path) : strdup("out of memory");
        set(r, TR_ERROR, "BAD_EXPECTED_ROWS", fixed, NULL);
        free(err);
        return NULL;
    }
    lm_df *e = lmt_fixture_df(fx, "__expected__");
    lmt_fixture_free(fx);
    return e;
}

static void compare(lm_session *s, const tf_file *file, const tf_case *c, lm_df *actual, tr *r)
{
    int64_t n = 0;
    if (lm_df_count(actual, &n) != LM_OK) {
        set(r, TR_ERROR, "UNEXPECTED_ERROR", strdup(lm_errmsg(s)), NULL);
        return;
    }
    if (c->schema && !check(r, lmt_schema_equal_ddl(actual, c->schema, &c->opts), "schema"))
        return;
    if (c->count >= 0 && n != c->count) {
        set(r, TR_FAIL, "DIFFERENT_COUNT",
            fmt("expected %lld rows, got %lld", (long long)c->count, (long long)n), NULL);
        return;
    }
    lm_df *expected = NULL;
    if (c->has_rows) {
        if ((expected = expected_rows(s, file, c, actual, r)) == NULL)
            return;
    } else if (c->table) {
        if ((expected = lm_read_table(s, c->table)) == NULL) {
            set(r, TR_ERROR, "BAD_EXPECTED_TABLE", fmt("expect.table: %s", lm_errmsg(s)), NULL);
            return;
        }
    } else if (c->expect_sql) {
        if (lm_sql(s, c->expect_sql, &expected) != LM_OK) {
            set(r, TR_ERROR, "BAD_EXPECTED_SQL", fmt("expect.sql: %s", lm_errmsg(s)), NULL);
            lm_df_free(expected);
            return;
        }
    } else if (c->values) {
        check(r, lmt_rows_equal(actual, c->values, &c->opts), "rows");
        return;
    }
    if (expected) {
        check(r, lmt_df_equal(actual, expected, &c->opts), "rows");
        lm_df_free(expected);
    }
}

static lm_status apply_conf(lm_session *s, const tf_kv *kv, int n)
{
    for (int i = 0; i < n; i++)
        if (lm_session_conf_set(s, kv[i].key, kv[i].value) != LM_OK)
            return LM_ERROR;
    return LM_OK;
}

static void run_case(const tf_file *file, const tf_case *c, tr *r)
{
    double t0 = now_s();
    r->outcome = TR_PASS;
    lm_session *s = lmt_session_new();
    if (s == NULL) {
        set(r, TR_ERROR, "NO_SESSION", strdup("cannot open a session"), NULL);
        return;
    }
    failure f = {NULL, NULL};
    lmt_fixture **fx = calloc((size_t)file->nfixtures + 2, sizeof *fx);
    int nfx = 0;
    if (apply_conf(s, file->conf, file->nconf) != LM_OK ||
        apply_conf(s, c->conf, c->nconf) != LM_OK) {
        set(r, TR_ERROR, "BAD_CONF", fmt("conf: %s", lm_errmsg(s)), NULL);
        goto out;
    }
    for (int i = 0; i < file->nfixtures; i++) {
        char *err = NULL;
        if ((fx[nfx] = lmt_fixture_load(s, file->fixtures[i], &err)) == NULL) {
            set(r, TR_ERROR, "BAD_FIXTURE", err ? err : strdup("out of memory"), NULL);
            goto out;
        }
        nfx++;
    }
    if (file->has_tables) {
        char *text = tf_tables_text(file), *err = NULL;
        fx[nfx] = text ? lmt_fixture_load_string(s, text, file->path, &err) : NULL;
        free(text);
        if (fx[nfx] == NULL) {
            set(r, TR_ERROR, "BAD_FIXTURE", err ? err : strdup("out of memory"), NULL);
            goto out;
        }
        nfx++;
    }
    /* a job runs first; then the case's SQL, if any, gives the result */
    lm_df *actual = c->job ? run_job(s, c, &f) : NULL;
    if (c->sql && f.message == NULL) {
        lm_df_free(actual);
        char *sql = with_tmpdir(c->sql);
        actual = sql ? run_sql(s, sql, &f) : NULL;
        free(sql);
    }
    /* an error at execution (ANSI casts, overflow) is the query's too */
    int64_t n;
    if (actual && f.message == NULL && lm_df_count(actual, &n) != LM_OK)
        fail_with(&f, s, NULL);
    if (c->error) {
        if (f.message == NULL)
            set(r, TR_FAIL, "NO_ERROR", fmt("expected error %s, but it succeeded", c->error), NULL);
        else if (!class_matches(c->error, f.error_class))
            set(r, TR_FAIL, "DIFFERENT_ERROR",
                fmt("expected error %s, got %s", c->error,
                    f.error_class ? f.error_class : "an error without a class"),
                strdup(f.message));
        else if (c->message && strstr(f.message, c->message) == NULL)
            set(r, TR_FAIL, "DIFFERENT_ERROR",
                fmt("the error message does not contain \"%s\"", c->message), strdup(f.message));
    } else if (f.message) {
        set(r, TR_ERROR, "UNEXPECTED_ERROR", strdup(f.message), NULL);
    } else {
        compare(s, file, c, actual, r);
    }
    lm_df_free(actual);
out:
    free(f.message);
    for (int i = 0; i < nfx; i++)
        lmt_fixture_free(fx[i]);
    free(fx);
    lm_session_close(s);
    r->seconds = now_s() - t0;
}

/* ------------------------------------------------------------- reports */

static void tap_comment(FILE *out, const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(out, "#%s%.*s\n", n ? indent : "", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

static void tap_result(FILE *out, int number, const tr *r)
{
    const char *name = r->c ? r->c->name : "(load)";
    if (r->outcome == TR_SKIP) {
        fprintf(out, "ok %d - %s: %s # SKIP %s\n", number, r->file->path, name, r->c->skip);
        return;
    }
    fprintf(out, "%s %d - %s: %s\n", r->outcome == TR_PASS ? "ok" : "not ok", number, r->file->path,
            name);
    if (r->outcome == TR_PASS)
        return;
    char *where =
        r->c ? fmt("%s:%d:%d: test \"%s\": ", r->file->path, r->c->line, r->c->col, r->c->name)
             : strdup("");
    char *line = fmt("%s%s", where, r->message ? r->message : "failed");
    tap_comment(out, line, " ");
    if (r->report)
        tap_comment(out, r->report, "   ");
    free(line);
    free(where);
}

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            /* XML 1.0 has no other control characters */
            fputc(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c, f);
        }
    }
}

static bool write_junit(const char *path, tr *rs, int n, double total)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (f == NULL)
        return false;
    int fails = 0, errors = 0, skips = 0;
    for (int i = 0; i < n; i++) {
        fails += rs[i].outcome == TR_FAIL;
        errors += rs[i].outcome == TR_ERROR;
        skips += rs[i].outcome == TR_SKIP;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"localmode\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
            "skipped=\"%d\" time=\"%.3f\">\n",
            n, fails, errors, skips, total);
    for (int i = 0; i < n;) {
        const tf_file *file = rs[i].file;
        int k = i, sf = 0, se = 0, ss = 0;
        double t = 0;
        for (; k < n && rs[k].file == file; k++) {
            sf += rs[k].outcome == TR_FAIL;
            se += rs[k].outcome == TR_ERROR;
            ss += rs[k].outcome == TR_SKIP;
            t += rs[k].seconds;
        }
        fputs("  <testsuite name=\"", f);
        xml_text(f, file->path);
        fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
                k - i, sf, se, ss, t);
        for (; i < k; i++) {
            const tr *r = &rs[i];
            fputs("    <testcase classname=\"", f);
            xml_text(f, file->path);
            fputs("\" name=\"", f);
            xml_text(f, r->c ? r->c->name : "(load)");
            fprintf(f, "\" file=\"");
            xml_text(f, file->path);
            fprintf(f, "\" line=\"%d\" time=\"%.3f\"", r->c ? r->c->line : 1, r->seconds);
            if (r->outcome == TR_PASS) {
                fputs("/>\n", f);
                continue;
            }
            fputs(">\n", f);
            if (r->outcome == TR_SKIP) {
                fputs("      <skipped message=\"", f);
                xml_text(f, r->c->skip);
                fputs("\"/>\n", f);
            } else {
                const char *tag = r->outcome == TR_FAIL ? "failure" : "error";
                fprintf(f, "      <%s message=\"", tag);
                xml_text(f, r->message);
                fprintf(f, "\" type=\"%s\">", r->type ? r->type : "ERROR");
                xml_text(f, r->report ? r->report : r->message);
                fprintf(f, "</%s>\n", tag);
            }
            fputs("    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    bool ok = !ferror(f);
    if (f != stdout)
        ok = fclose(f) == 0 && ok;
    return ok;
}

static int usage(FILE *f)
{
    fputs("usage: localmode test [options] FILE.yaml...\n"
          "Runs declarative tests (fixtures, a query or a job file, the expected result) and\n"
          "prints TAP on standard output. See docs/cli.md for the file format.\n"
          "\n"
          "  --junit FILE         also write the results as JUnit XML (- for standard output,\n"
          "                       which then replaces TAP)\n"
          "  --filter TEXT        run only the tests whose name contains TEXT\n"
          "  --master URL         master URL (default local[2], the testkit's)\n"
          "  --conf KEY=VALUE     a Spark setting for every test (repeatable)\n"
          "Exit status: 0 every test passed, 1 a test failed, 2 usage error.\n",
          f);
    return f == stderr ? CLI_USAGE : CLI_OK;
}

int cli_cmd_test(int argc, char **argv)
{
    const char *junit = NULL, *filter = NULL;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (files == NULL)
        return CLI_FAILED;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--junit") == 0 && has) {
            junit = argv[++i];
        } else if (strcmp(a, "--filter") == 0 && has) {
            filter = argv[++i];
        } else if ((strcmp(a, "--master") == 0 || strcmp(a, "--conf") == 0) && has) {
            /* the testkit's configuration, for every fresh session */
            const char *v = argv[++i];
            const char *eq = strchr(v, '=');
            if (a[2] == 'c' && (eq == NULL || eq == v)) {
                fprintf(stderr, "localmode: --conf expects key=value, got '%s'\n", v);
                free(files);
                return CLI_USAGE;
            }
            char *key = a[2] == 'c' ? strndup(v, (size_t)(eq - v)) : strdup("spark.master");
            lmt_session_conf(key, a[2] == 'c' ? eq + 1 : v);
            free(key);
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            free(files);
            return usage(stdout);
        } else if (a[0] != '-') {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "localmode test: unknown argument '%s'\n", a);
            free(files);
            return usage(stderr);
        }
    }
    if (nfiles == 0) {
        fprintf(stderr, "localmode test: give one or more test files\n");
        free(files);
        return usage(stderr);
    }
    tf_file **tfs = calloc((size_t)nfiles, sizeof *tfs);
    int total = 0;
    for (int i = 0; tfs && i < nfiles; i++) {
        tfs[i] = tf_load(files[i]);
        if (tfs[i] == NULL)
            continue;
        if (tfs[i]->error)
            total++;
        else
            for (int k = 0; k < tfs[i]->ncases; k++)
                total += filter == NULL || strstr(tfs[i]->cases[k].name, filter) != NULL;
    }
    tr *rs = calloc((size_t)total + 1, sizeof *rs);
    FILE *out = junit && strcmp(junit, "-") == 0 ? stderr : stdout;
    fprintf(out, "TAP version 13\n1..%d\n", total);
    fflush(out);
    int n = 0, failed = 0;
    double t0 = now_s();
    for (int i = 0; tfs && rs && i < nfiles; i++) {
        tf_file *f = tfs[i];
        if (f == NULL)
            continue;
        if (f->error) {
            tr *r = &rs[n++];
            r->file = f;
            set(r, TR_ERROR, "BAD_TEST_FILE", strdup(f->error), NULL);
            failed++;
            tap_result(out, n, r);
            continue;
        }
        for (int k = 0; k < f->ncases; k++) {
            const tf_case *c = &f->cases[k];
            if (filter && strstr(c->name, filter) == NULL)
                continue;
            tr *r = &rs[n++];
            r->file = f;
            r->c = c;
            if (c->skip)
                r->outcome = TR_SKIP;
            else
                run_case(f, c, r);
            failed += r->outcome == TR_FAIL || r->outcome == TR_ERROR;
            tap_result(out, n, r);
            fflush(out);
        }
    }
    double elapsed = now_s() - t0;
    fprintf(out, "# %d test%s, %d passed, %d failed (%.2f s)\n", n, n == 1 ? "" : "s", n - failed,
            failed, elapsed);
    int rc = failed ? CLI_FAILED : CLI_OK;
    if (junit && !write_junit(junit, rs, n, elapsed)) {
        fprintf(stderr, "localmode test: cannot write %s\n", junit);
        rc = CLI_FAILED;
    }
    for (int i = 0; i < n; i++) {
        free(rs[i].message);
        free(rs[i].report);
    }
    free(rs);
    for (int i = 0; tfs && i < nfiles; i++)
        tf_free(tfs[i]);
    free(tfs);
    free(files);
    return rc;
}
