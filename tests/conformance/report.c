/*
 * Skip list, baseline and report of the conformance runner. The skip list is
 * kept explicit and small on purpose (README section 4): every entry names
 * the file, the statement and why. The baseline records, per golden file,
 * how many statements passed when it was last updated, so a change that
 * makes any file worse fails CI even when the total goes up.
 */
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(char **err, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    *err = strdup(tmp);
    return -1;
}

static char *dup_trim(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Calls fn for every line that is neither blank nor a '#' comment. */
typedef int (*line_fn)(void *ctx, const char *line, size_t n, size_t lineno, char **err);

static int for_each_line(const char *text, line_fn fn, void *ctx, char **err)
{
    size_t lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
            i++;
        if (i < n && p[i] != '#') {
            int rc = fn(ctx, p, n, lineno, err);
            if (rc != 0)
                return rc;
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return 0;
}

/* --------------------------------------------------------------- skips */

static bool parse_count(const char *s, size_t *out)
{
    if (*s == '\0')
        return false;
    size_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return true;
}

/* A statement selector `12` or `#12` (1-based). */
static bool parse_index(const char *s, size_t *out)
{
    return parse_count(*s == '#' ? s + 1 : s, out) && *out > 0;
}

static int skip_line(void *ctx, const char *line, size_t n, size_t lineno, char **err)
{
    report_skips *s = ctx;
    const char *bar1 = memchr(line, '|', n);
    const char *bar2 = bar1 ? memchr(bar1 + 1, '|', n - (size_t)(bar1 + 1 - line)) : NULL;
    if (bar2 == NULL)
        return fail(err, "skips line %zu: expected `file | statement | reason`", lineno);
    report_skip *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (v == NULL)
        return fail(err, "out of memory");
    s->v = v;
    report_skip *k = &s->v[s->n++];
    memset(k, 0, sizeof *k);
    k->file = dup_trim(line, (size_t)(bar1 - line));
    char *sel = dup_trim(bar1 + 1, (size_t)(bar2 - bar1 - 1));
    k->reason = dup_trim(bar2 + 1, n - (size_t)(bar2 + 1 - line));
    if (k->file == NULL || sel == NULL || k->reason == NULL) {
        free(sel);
        return fail(err, "out of memory");
    }
    if (k->file[0] == '\0' || sel[0] == '\0' || k->reason[0] == '\0') {
        free(sel);
        return fail(err, "skips line %zu: file, statement and reason are all required", lineno);
    }
    if (parse_index(sel, &k->index))
        free(sel);
    else
        k->prefix = sel;
    return 0;
}

int report_skips_parse(const char *text, report_skips *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (for_each_line(text, skip_line, out, err) != 0) {
        report_skips_free(out);
        return -1;
    }
    return 0;
}

int report_skips_load(const char *path, report_skips *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *text = golden_read_file(path);
    if (text == NULL)
        return errno == ENOENT ? 0 : fail(err, "cannot read %s: %s", path, strerror(errno));
    int rc = report_skips_parse(text, out, err);
    free(text);
    return rc;
}

void report_skips_free(report_skips *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].file);
        free(s->v[i].prefix);
        free(s->v[i].reason);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

const char *report_skip_reason(const report_skips *s, const char *file, size_t index1,
                               const char *sql)
{
    for (size_t i = 0; i < s->n; i++) {
        const report_skip *k = &s->v[i];
        if (strcmp(k->file, file) != 0 && strcmp(k->file, "*") != 0)
            continue;
        if (k->prefix ? strncmp(sql, k->prefix, strlen(k->prefix)) == 0 : k->index == index1)
            return k->reason;
    }
    return NULL;
}

/* ------------------------------------------------------------ baseline */

static int baseline_line(void *ctx, const char *line, size_t n, size_t lineno, char **err)
{
    report_baseline *b = ctx;
    char *copy = dup_trim(line, n);
    if (copy == NULL)
        return fail(err, "out of memory");
    char *sp = strrchr(copy, ' ');
    char *tab = strrchr(copy, '\t');
    if (tab && (!sp || tab > sp))
        sp = tab;
    size_t passed = 0;
    if (sp == NULL || !parse_count(sp + 1, &passed)) {
        free(copy);
        return fail(err, "baseline line %zu: expected `file passed`", lineno);
    }
    char *name = dup_trim(copy, (size_t)(sp - copy));
    free(copy);
    if (name == NULL)
        return fail(err, "out of memory");
    int rc = report_baseline_set(b, name, passed);
    free(name);
    return rc == 0 ? 0 : fail(err, "out of memory");
}

int report_baseline_parse(const char *text, report_baseline *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (for_each_line(text, baseline_line, out, err) != 0) {
        report_baseline_free(out);
        return -1;
    }
    return 0;
}

int report_baseline_load(const char *path, report_baseline *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *text = golden_read_file(path);
    if (text == NULL)
        return errno == ENOENT ? 0 : fail(err, "cannot read %s: %s", path, strerror(errno));
    int rc = report_baseline_parse(text, out, err);
    free(text);
    return rc;
}

void report_baseline_free(report_baseline *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].file);
    free(b->v);
    memset(b, 0, sizeof *b);
}

bool report_baseline_get(const report_baseline *b, const char *file, size_t *passed)
{
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->v[i].file, file) == 0) {
            *passed = b->v[i].passed;
            return true;
        }
    }
    return false;
}

int report_baseline_set(report_baseline *b, const char *file, size_t passed)
{
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->v[i].file, file) == 0) {
            b->v[i].passed = passed;
            return 0;
        }
    }
    report_baseline_entry *v = realloc(b->v, (b->n + 1) * sizeof *v);
    if (v == NULL)
        return -1;
    b->v = v;
    char *name = strdup(file);
    if (name == NULL)
        return -1;
    b->v[b->n].file = name;
    b->v[b->n].passed = passed;
    b->n++;
    return 0;
}

static int cmp_entries(const void *x, const void *y)
{
    return strcmp(((const report_baseline_entry *)x)->file,
                  ((const report_baseline_entry *)y)->file);
}

int report_baseline_write(const report_baseline *b, const char *path, char **err)
{
    report_baseline_entry *sorted = malloc((b->n ? b->n : 1) * sizeof *sorted);
    if (sorted == NULL)
        return fail(err, "out of memory");
    if (b->n)
        memcpy(sorted, b->v, b->n * sizeof *sorted);
    qsort(sorted, b->n, sizeof *sorted, cmp_entries);

    /* Write a sibling file and rename it, so an interrupted update never
       leaves a truncated baseline behind. */
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (tmp == NULL) {
        free(sorted);
        return fail(err, "out of memory");
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    if (f == NULL) {
        rc = fail(err, "cannot write %s: %s", tmp, strerror(errno));
    } else {
        fputs("# Conformance baseline: statements of each golden file that passed when it was\n"
              "# last updated (conformance_runner --update-baseline). The runner fails when a\n"
              "# file passes fewer statements than listed here.\n",
              f);
        for (size_t i = 0; i < b->n; i++)
            fprintf(f, "%s %zu\n", sorted[i].file, sorted[i].passed);
        if (fclose(f) != 0)
            rc = fail(err, "cannot write %s: %s", tmp, strerror(errno));
        else if (rename(tmp, path) != 0)
            rc = fail(err, "cannot rename %s: %s", tmp, strerror(errno));
    }
    free(tmp);
    free(sorted);
    return rc;
}

/* -------------------------------------------------------------- report */

/* Statement text on one line, shortened, for messages. */
static void print_short(FILE *f, const char *sql)
{
    fputc('"', f);
    for (int i = 0; sql[i] && i < 120; i++)
        fputc(sql[i] == '\n' ? ' ' : sql[i], f);
    if (strlen(sql) > 120)
        fputs("...", f);
    fputc('"', f);
}

bool report_split_check(FILE *f, const char *name, const golden_script *s, const golden_file *g)
{
    size_t at = 0;
    if (golden_split_agrees(s, g, &at))
        return true;
    fprintf(f, "split-check: %s: the input splits into %zu statements, the golden file has %zu",
            name, s->nstmts, g->nblocks);
    if (at < s->nstmts && at < g->nblocks) {
        fprintf(f, "; #%zu differs:\n  input:  ", at + 1);
        print_short(f, s->stmts[at]);
        fputs("\n  golden: ", f);
        print_short(f, g->blocks[at].sql);
    }
    fputc('\n', f);
    return false;
}

void report_print_file(FILE *f, const report_file *rf)
{
    fprintf(f, "%s: %zu/%zu\n", rf->name, rf->counts[COMPARE_PASS], rf->total);
}

void report_print_file_categories(FILE *f, const report_file *rf)
{
    fprintf(f, "  %s:", rf->name);
    for (int c = 0; c < COMPARE__COUNT; c++)
        if (rf->counts[c])
            fprintf(f, " %s=%zu", compare_result_name((compare_result)c), rf->counts[c]);
    fputc('\n', f);
}

void report_print_summary(FILE *f, const report_file *files, size_t n)
{
    size_t counts[COMPARE__COUNT] = {0};
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += files[i].total;
        for (int c = 0; c < COMPARE__COUNT; c++)
            counts[c] += files[i].counts[c];
    }
    fputs("categories:", f);
    for (int c = 0; c < COMPARE__COUNT; c++)
        fprintf(f, " %s=%zu", compare_result_name((compare_result)c), counts[c]);
    fputc('\n', f);
    double pct = total ? 100.0 * (double)counts[COMPARE_PASS] / (double)total : 0.0;
    fprintf(f, "conformance: %zu/%zu statements passed (%.1f%%)\n", counts[COMPARE_PASS], total,
            pct);
}

size_t report_check_baseline(FILE *f, const report_baseline *b, const report_file *files, size_t n)
{
    size_t regressions = 0;
    for (size_t i = 0; i < n; i++) {
        size_t want;
        if (!report_baseline_get(b, files[i].name, &want))
            continue;
        if (files[i].counts[COMPARE_PASS] < want) {
            fprintf(f, "regression: %s passed %zu, baseline %zu\n", files[i].name,
                    files[i].counts[COMPARE_PASS], want);
            regressions++;
        }
    }
    return regressions;
}
