/*
 * Specification tests for the SQL parser (localmode/sql/parser.h): each
 * test parses one construct and compares the debug form of the tree
 * (plan/plan_debug.h) with the expected text, or checks the error record
 * against Spark's ParseException. A corpus test parses every statement of
 * the Spark golden files and ratchets the parse rate.
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

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan_debug.h"
#include "sql/parser.h"

/* The corpus parse rate reached; the corpus test fails below it. */
#define CORPUS_MIN_RATE 99.9

/* ---------------------------------------------------------------- helpers */

/* Parses one statement; returns its debug text (malloc'ed) or NULL. */
static char *stmt_text(const char *sql)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *s = NULL;
    char *out = NULL;
    if (lm_parse_statement(sql, &a, &s, &err) == LM_OK)
        out = lm_stmt_debug_string(s);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", sql, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

/* The query plan of a SELECT statement, as debug text. */
static char *plan_text(const char *sql)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *s = NULL;
    char *out = NULL;
    if (lm_parse_statement(sql, &a, &s, &err) == LM_OK && s->query)
        out = lm_plan_debug_string(s->query);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", sql, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

static char *expr_text(const char *text)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_expr *e = NULL;
    char *out = NULL;
    if (lm_parse_expression(text, &a, &e, &err) == LM_OK)
        out = lm_expr_debug_string(e);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", text, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

static void assert_expr(const char *text, const char *expected)
{
    char *got = expr_text(text);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "expr  [%s]\n  got      %s\n  expected %s\n", text, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

static void assert_plan(const char *sql, const char *expected)
{
    char *got = plan_text(sql);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "plan  [%s]\n--- got\n%s--- expected\n%s", sql, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

static void assert_stmt(const char *sql, const char *expected)
{
    char *got = stmt_text(sql);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "stmt  [%s]\n--- got\n%s--- expected\n%s", sql, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

/* Expects a failure with the given error class; returns the error for more
   checks (caller clears it). */
static void expect_error(const char *sql, const char *error_class, lm_error *err)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error_init(err);
    lm_stmt *s = NULL;
    lm_status st = lm_parse_statement(sql, &a, &s, err);
    if (st == LM_OK)
        fprintf(stderr, "expected %s for [%s] but it parsed\n", error_class, sql);
    assert_int_not_equal(st, LM_OK);
    assert_null(s);
    assert_non_null(err->error_class);
    if (strcmp(err->error_class, error_class) != 0)
        fprintf(stderr, "[%s]: got %s (%s)\n", sql, err->error_class, err->message);
    assert_string_equal(err->error_class, error_class);
    lm_arena_free(&a);
}

static const char *param(const lm_error *err, const char *name)
{
    for (int i = 0; i < err->nparams; i++)
        if (strcmp(err->params[i].name, name) == 0)
            return err->params[i].value;
    return NULL;
}

/* ---------------------------------------------------------------- expressions */

static void test_arithmetic_precedence(void **state)
{
    (void)state;
    assert_expr("1 + 2 * 3", "(1:int + (2:int * 3:int))");
    assert_expr("a - b - c", "((a - b) - c)");
    assert_expr("a | b ^ c & d", "(a | (b ^ (c & d)))");
    assert_expr("a + b = c * d", "((a + b) = (c * d))");
    assert_expr("a div b % c", "((a div b) % c)");
}

static void test_not_equal_becomes_not_equal_to(void **state)
{
    (void)state;
    assert_expr("a <> b", "(NOT (a = b))");
    assert_expr("a != b", "(NOT (a = b))");
    assert_expr("a == b", "(a = b)");
}

static void test_error_details(void **state)
{
    (void)state;
    lm_error err;
    expect_error("select 128Y", "INVALID_NUMERIC_LITERAL_RANGE", &err);
    assert_string_equal(param(&err, "rawStrippedQualifier"), "128");
    lm_error_clear(&err);
}

static void test_statement_and_plan(void **state)
{
    (void)state;
    assert_plan("SELECT a FROM t", "Project [a]\n  Relation t\n");
    assert_stmt("DROP VIEW IF EXISTS v", "DropView v if-exists\n");
}

/* ---------------------------------------------------------------- corpus */

typedef struct corpus_stmt {
    char *file;
    char *sql;
    char *expected_exception; /* first output line when it names an exception */
    char *expected_class;     /* "errorClass" of the expected error, if any */
} corpus_stmt;

typedef struct corpus {
    corpus_stmt *items;
    int n, cap;
} corpus;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    return buf;
}

static char *trim_dup(const char *s, size_t n, bool left)
{
    while (left && n > 0 && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* Splits a golden file at "-- !query...\n" marker lines (README section 3). */
static void corpus_add_file(corpus *c, const char *path)
{
    char *text = read_file(path);
    if (text == NULL)
        return;
    const char *pieces[20000];
    size_t lens[20000];
    int np = 0;
    const char *cur = text;
    const char *p = text;
    while (*p && np < 19999) {
        if ((p == text || p[-1] == '\n') && strncmp(p, "-- !query", 9) == 0) {
            const char *eol = strchr(p, '\n');
            if (eol == NULL)
                break;
            pieces[np] = cur;
            lens[np] = (size_t)(p - cur);
            np++;
            cur = eol + 1;
            p = eol + 1;
            continue;
        }
        p++;
    }
    pieces[np] = cur;
    lens[np] = strlen(cur);
    np++;
    for (int i = 1; i + 2 < np; i += 3) {
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 1024;
            c->items = realloc(c->items, sizeof *c->items * (size_t)c->cap);
        }
        corpus_stmt *s = &c->items[c->n++];
        s->file = strdup(path);
        s->sql = trim_dup(pieces[i], lens[i], true);
        char *out = trim_dup(pieces[i + 2], lens[i + 2], false);
        s->expected_exception = NULL;
        s->expected_class = NULL;
        if (strncmp(out, "org.apache.spark", 16) == 0 || strncmp(out, "java.", 5) == 0) {
            size_t l = strcspn(out, "\n");
            s->expected_exception = trim_dup(out, l, false);
            const char *ec = strstr(out, "\"errorClass\" : \"");
            if (ec != NULL) {
                ec += 16;
                s->expected_class = trim_dup(ec, strcspn(ec, "\""), false);
            }
        }
        free(out);
    }
    free(text);
}

static void corpus_walk(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char path[4096];
    char *names[512];
    int nn = 0;
    while ((de = readdir(d)) != NULL && nn < 512) {
        if (de->d_name[0] == '.')
            continue;
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    /* sorted, so the walk (and the fuzz seeds) are reproducible */
    for (int i = 0; i < nn; i++)
        for (int j = i + 1; j < nn; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    for (int i = 0; i < nn; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            corpus_walk(c, path);
        else if (strlen(names[i]) > 8 && strcmp(names[i] + strlen(names[i]) - 8, ".sql.out") == 0)
            corpus_add_file(c, path);
        free(names[i]);
    }
}

static void corpus_free(corpus *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->items[i].file);
        free(c->items[i].sql);
        free(c->items[i].expected_exception);
        free(c->items[i].expected_class);
    }
    free(c->items);
}

static bool corpus_load(corpus *c)
{
    memset(c, 0, sizeof *c);
    corpus_walk(c, LM_SOURCE_DIR "/../shared/conformance/spark-sql/results");
    return c->n > 0;
}

/*
 * ParseExceptions Spark raises while building literals whose value the
 * analyzer computes here (LM_LIT_UNPARSED): the parser accepts them and the
 * analyzer must raise the error.
 */
static const char *const parse_error_left_to_analyzer[] = {
    "select date 'mar 11 2016'",
    "select timestamp '2016-33-11 20:54:00.000'",
    NULL,
};

static bool left_to_analyzer(const char *sql)
{
    for (int i = 0; parse_error_left_to_analyzer[i]; i++)
        if (strcmp(sql, parse_error_left_to_analyzer[i]) == 0)
            return true;
    return false;
}

/* Exceptions that Spark throws while parsing (so we must, too). */
static bool thrown_by_parser(const corpus_stmt *s)
{
    if (s->expected_exception == NULL)
        return false;
    if (strcmp(s->expected_exception, "org.apache.spark.sql.catalyst.parser.ParseException") == 0)
        return true;
    /* integer / decimal literals beyond 38 digits fail in AstBuilder */
    return s->expected_class != NULL &&
           strcmp(s->expected_class, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION") == 0 &&
           strncmp(s->sql, "select 1234567890123456789012345678901234567890", 47) == 0;
}

static void test_corpus_parses(void **state)
{
    (void)state;
    corpus c;
    if (!corpus_load(&c)) {
        fprintf(stderr, "conformance corpus not found; corpus test skipped\n");
        corpus_free(&c);
        skip();
        return;
    }
    int ok = 0, total = 0, wrongly_ok = 0;
    for (int i = 0; i < c.n; i++) {
        corpus_stmt *s = &c.items[i];
        lm_arena a;
        lm_arena_init(&a, 8192);
        lm_error err;
        lm_error_init(&err);
        lm_stmt *st = NULL;
        lm_status rc = lm_parse_statement(s->sql, &a, &st, &err);
        total++;
        bool want_error = thrown_by_parser(s) && !left_to_analyzer(s->sql);
        if (want_error) {
            if (rc == LM_OK) {
                wrongly_ok++;
                fprintf(stderr, "PARSED BUT SPARK FAILS (%s): %s\n", s->expected_class, s->sql);
            } else if (s->expected_class && err.error_class &&
                       strcmp(s->expected_class, err.error_class) == 0) {
                ok++;
            } else {
                fprintf(stderr, "WRONG ERROR %s (want %s): %s\n",
                        err.error_class ? err.error_class : "?",
                        s->expected_class ? s->expected_class : "?", s->sql);
            }
        } else if (rc == LM_OK) {
            ok++;
        } else {
            fprintf(stderr, "FAIL %s: %s\n    %s\n", s->file + strlen(LM_SOURCE_DIR) + 40,
                    s->sql, err.message ? err.message : "?");
        }
        lm_error_clear(&err);
        lm_arena_free(&a);
    }
    double rate = 100.0 * ok / total;
    fprintf(stderr, "corpus: %d of %d statements parse as Spark does (%.2f%%)\n", ok, total, rate);
    corpus_free(&c);
    assert_int_equal(wrongly_ok, 0);
    assert_true(rate >= CORPUS_MIN_RATE);
}

/* Random truncations and splices of corpus statements must never crash. */
static void test_fuzz_truncated_corpus_statements(void **state)
{
    (void)state;
    corpus c;
    if (!corpus_load(&c)) {
        fprintf(stderr, "conformance corpus not found; fuzz test skipped\n");
        corpus_free(&c);
        skip();
        return;
    }
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int runs = 0;
    for (int i = 0; i < c.n; i += 1) {
        const char *sql = c.items[i].sql;
        size_t n = strlen(sql);
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t cut = n ? (size_t)(seed >> 33) % (n + 1) : 0;
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const char *other = c.items[(size_t)(seed >> 33) % (size_t)c.n].sql;
            size_t on = strlen(other);
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t ocut = on ? (size_t)(seed >> 33) % (on + 1) : 0;
            char *buf = malloc(cut + (on - ocut) + 1);
            memcpy(buf, sql, cut);
            if (k == 2) {
                memcpy(buf + cut, other + ocut, on - ocut);
                buf[cut + on - ocut] = 0;
            } else {
                buf[cut] = 0;
            }
            lm_arena a;
            lm_arena_init(&a, 4096);
            lm_error err;
            lm_error_init(&err);
            lm_stmt *st = NULL;
            lm_status rc = lm_parse_statement(buf, &a, &st, &err);
            if (rc != LM_OK) {
                assert_non_null(err.message);
                assert_null(st);
            } else {
                char *dbg = lm_stmt_debug_string(st);
                assert_non_null(dbg);
                free(dbg);
            }
            lm_error_clear(&err);
            lm_arena_free(&a);
            free(buf);
            runs++;
        }
    }
    corpus_free(&c);
    assert_true(runs > 0);
}

/* ---------------------------------------------------------------- main */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_precedence),
        cmocka_unit_test(test_not_equal_becomes_not_equal_to),
        cmocka_unit_test(test_error_details),
        cmocka_unit_test(test_statement_and_plan),
        cmocka_unit_test(test_corpus_parses),
        cmocka_unit_test(test_fuzz_truncated_corpus_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
