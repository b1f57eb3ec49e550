/*
 * RDD equality (spark-testing-base's assertRDDEquals and
 * assertRDDEqualsWithOrder): both RDDs are collected and compared as
 * multisets or element by element.
 *
 *   [DIFFERENT_ROWS] RDDs do not match: (b,2): expected 1 time, actual 2 times
 *   compared in any order; actual 4 elements, expected 3 elements;
 *   2 distinct elements with different counts
 *
 * Why the first differing element and its two counts, rather than a table:
 * RDD elements are often many and unordered, and the count of one element
 * is what tells a lost element (0 vs 1), a duplicate from a retried
 * non-idempotent task (2 vs 1) and a wrong value apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "rdd/rdd_int.h"

/* Collects r; false with an [ERROR] result on failure. */
static bool collect_rdd(lm_rdd *r, const char *which, lm_value_list **out, lmt_result *err)
{
    if (lm_rdd_collect(r, out) == LM_OK)
        return true;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[ERROR] cannot collect the %s RDD: %s", which,
                     lm_errmsg(r->ctx->s));
    *err = tk_result_text(LMT_ERROR, lm_strbuf_cstr(&sb), 0, 0);
    lm_strbuf_free(&sb);
    return false;
}

static const char *times(int64_t n)
{
    return n == 1 ? "time" : "times";
}

static const char *elements(int64_t n)
{
    return n == 1 ? "element" : "elements";
}

/* One side of the comparison. */
typedef struct side {
    const lm_type *type;
    const lm_value_list *l;
    int64_t n;
} side;

static const lm_value *at(const side *s, int64_t i)
{
    return lm_value_list_at(s->l, i);
}

/*
 * Equivalence classes of the elements of both sides under exact
 * tk_value_equal: cls[i] for the i-th element of the concatenation (actual
 * then expected). Hashed when both sides have the same element type, else
 * compared pairwise (values of different types hash differently).
 */
static bool classify(const side *a, const side *e, int64_t *cls, int64_t *nclasses)
{
    const tk_cmp exact = {0, 0, NULL};
    int64_t n = a->n + e->n;
    bool hashed = lm_type_same_ignoring_nullable(a->type, e->type);
    int64_t nb = 1;
    while (nb < n * 2)
        nb *= 2;
    int64_t *head = malloc(sizeof *head * (size_t)nb);
    int64_t *next = malloc(sizeof *next * (size_t)(n + 1)); /* next rep in bucket */
    int64_t *rep = malloc(sizeof *rep * (size_t)(n + 1));   /* element of class c */
    if (head == NULL || next == NULL || rep == NULL) {
        free(head);
        free(next);
        free(rep);
        return false;
    }
    for (int64_t b = 0; b < nb; b++)
        head[b] = -1;
    int64_t nc = 0;
    for (int64_t i = 0; i < n; i++) {
        const side *si = i < a->n ? a : e;
        const lm_value *v = at(si, i < a->n ? i : i - a->n);
        int64_t b = hashed ? (int64_t)(tk_value_hash(si->type, v, false) & (uint64_t)(nb - 1)) : 0;
        int64_t c = -1;
        for (int64_t k = head[b]; k >= 0; k = next[k]) {
            int64_t j = rep[k];
            const side *sj = j < a->n ? a : e;
            if (tk_value_equal(&exact, si->type, v, sj->type, at(sj, j < a->n ? j : j - a->n))) {
                c = k;
                break;
            }
        }
        if (c < 0) {
            c = nc++;
            rep[c] = i;
            next[c] = head[b];
            head[b] = c;
        }
        cls[i] = c;
    }
    *nclasses = nc;
    free(head);
    free(next);
    free(rep);
    return true;
}

static void element_text(lm_strbuf *sb, const side *s, int64_t i, lm_session *ses)
{
    rdd_value_text(sb, s->type, at(s, i), ses);
}

static lmt_result unordered(const side *a, const side *e, lm_session *ses, const tk_style *st)
{
    int64_t n = a->n + e->n, nc = 0;
    int64_t *cls = malloc(sizeof *cls * (size_t)(n + 1));
    if (cls == NULL || !classify(a, e, cls, &nc)) {
        free(cls);
        return tk_result_text(LMT_ERROR, "[ERROR] out of memory", 0, 0);
    }
    int64_t *ca = calloc((size_t)(nc + 1), sizeof *ca);
    int64_t *ce = calloc((size_t)(nc + 1), sizeof *ce);
    if (ca == NULL || ce == NULL) {
        free(cls);
        free(ca);
        free(ce);
        return tk_result_text(LMT_ERROR, "[ERROR] out of memory", 0, 0);
    }
    for (int64_t i = 0; i < n; i++)
        (i < a->n ? ca : ce)[cls[i]]++;
    int64_t differing = 0;
    for (int64_t c = 0; c < nc; c++)
        differing += ca[c] != ce[c];
    lmt_result r = {LMT_EQUAL, NULL, 0, nc};
    if (differing > 0) {
        /* the first differing element in expected's order, then actual's */
        int64_t first = -1;
        for (int64_t i = a->n; i < n && first < 0; i++)
            if (ca[cls[i]] != ce[cls[i]])
                first = i;
        for (int64_t i = 0; i < a->n && first < 0; i++)
            if (ca[cls[i]] != ce[cls[i]])
                first = i;
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_puts(&sb, "[DIFFERENT_ROWS] RDDs do not match: ");
        if (first < a->n)
            element_text(&sb, a, first, ses);
        else
            element_text(&sb, e, first - a->n, ses);
        int64_t c = cls[first];
        lm_strbuf_printf(&sb, ": expected %lld %s, actual %lld %s%s", (long long)ce[c],
                         times(ce[c]), (long long)ca[c], times(ca[c]), st->compact ? "; " : "\n");
        lm_strbuf_printf(&sb, "compared in any order; actual %lld %s, expected %lld %s; %lld "
                         "distinct %s with different counts",
                         (long long)a->n, elements(a->n), (long long)e->n, elements(e->n),
                         (long long)differing, elements(differing));
        r = tk_result_text(LMT_DIFFERENT_ROWS, lm_strbuf_cstr(&sb), differing, nc);
        lm_strbuf_free(&sb);
    }
    free(cls);
    free(ca);
    free(ce);
    return r;
}

static lmt_result ordered(const side *a, const side *e, lm_session *ses, const tk_style *st)
{
    const tk_cmp exact = {0, 0, NULL};
    int64_t n = a->n > e->n ? a->n : e->n, first = -1, differing = 0;
    for (int64_t i = 0; i < n; i++) {
        bool same = i < a->n && i < e->n &&
                    tk_value_equal(&exact, a->type, at(a, i), e->type, at(e, i));
        if (!same) {
            differing++;
            if (first < 0)
                first = i;
        }
    }
    if (first < 0) {
        lmt_result r = {LMT_EQUAL, NULL, 0, n};
        return r;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[DIFFERENT_ROWS] RDDs do not match at element %lld: expected ",
                     (long long)first);
    if (first < e->n)
        element_text(&sb, e, first, ses);
    else
        lm_strbuf_puts(&sb, "none");
    lm_strbuf_puts(&sb, ", actual ");
    if (first < a->n)
        element_text(&sb, a, first, ses);
    else
        lm_strbuf_puts(&sb, "none");
    lm_strbuf_printf(&sb, "%scompared in order; actual %lld %s, expected %lld %s; %lld %s",
                     st->compact ? "; " : "\n", (long long)a->n, elements(a->n),
                     (long long)e->n, elements(e->n), (long long)differing,
                     differing == 1 ? "position differs" : "positions differ");
    lmt_result r = tk_result_text(LMT_DIFFERENT_ROWS, lm_strbuf_cstr(&sb), differing, n);
    lm_strbuf_free(&sb);
    return r;
}

static lmt_result rdd_equal(lm_rdd *actual, lm_rdd *expected, bool in_order, bool terminal)
{
    if (actual == NULL || expected == NULL)
        return tk_result_text(LMT_ERROR,
                              actual == NULL ? "[ERROR] the actual RDD is NULL"
                                             : "[ERROR] the expected RDD is NULL",
                              0, 0);
    tk_style st = tk_style_resolve(LMT_COLOR_NEVER, LMT_FORMAT_AUTO, 0, false, terminal);
    lm_value_list *la = NULL, *le = NULL;
    lmt_result r;
    if (!collect_rdd(actual, "actual", &la, &r))
        return r;
    if (!collect_rdd(expected, "expected", &le, &r)) {
        lm_value_list_free(la);
        return r;
    }
    side a = {lm_value_list_type(la), la, lm_value_list_count(la)};
    side e = {lm_value_list_type(le), le, lm_value_list_count(le)};
    lm_session *ses = actual->ctx->s;
    r = in_order ? ordered(&a, &e, ses, &st) : unordered(&a, &e, ses, &st);
    lm_value_list_free(la);
    lm_value_list_free(le);
    return r;
}

lmt_result lmt_rdd_equal(lm_rdd *actual, lm_rdd *expected, bool ordered_)
{
    return rdd_equal(actual, expected, ordered_, false);
}

void lmt_assert_rdd_equal_at(lm_rdd *actual, lm_rdd *expected, bool ordered_, const char *file,
                             int line)
{
    lmt_check_at(rdd_equal(actual, expected, ordered_, true), file, line);
}
