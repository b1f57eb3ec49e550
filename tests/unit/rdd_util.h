/*
 * Helpers shared by the RDD test suites: a session on a given master,
 * values from C arrays, and results rendered as text so expectations read
 * like Spark's output ("[1, 2, 3]", "[(a,1), (b,2)]").
 */
#ifndef TESTS_UNIT_RDD_UTIL_H
#define TESTS_UNIT_RDD_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "localmode.h"
#include "rdd/rdd_int.h"
#include "types/value.h"

static inline lm_session *rt_open(const char *master)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", master);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

static inline lm_rdd *rt_ints(lm_session *s, int from, int to, int slices)
{
    int n = to - from + 1;
    lm_value *v = calloc((size_t)n + 1, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = lm_value_i64(from + i);
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_int(), v, n, slices);
    free(v);
    return r;
}

static inline lm_rdd *rt_strings(lm_session *s, const char *const *str, int n, int slices)
{
    lm_value *v = calloc((size_t)n + 1, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = lm_value_str(str[i], (int32_t)strlen(str[i]));
    lm_rdd *r = lm_rdd_parallelize(s, lm_type_string(), v, n, slices);
    free(v);
    return r;
}

/* (key, value) pairs with string keys and int values */
static inline lm_rdd *rt_pairs(lm_session *s, const char *const *k, const int *v, int n,
                               int slices)
{
    lm_type *pt = rdd_pair_type(lm_type_string(), lm_type_int());
    lm_value *vals = calloc((size_t)n + 1, sizeof *vals);
    lm_struct_value *st = calloc((size_t)n + 1, sizeof *st);
    lm_value *f = calloc((size_t)(2 * n) + 1, sizeof *f);
    for (int i = 0; i < n; i++) {
        f[2 * i] = lm_value_str(k[i], (int32_t)strlen(k[i]));
        f[2 * i + 1] = lm_value_i64(v[i]);
        st[i].n = 2;
        st[i].fields = &f[2 * i];
        vals[i] = lm_value_null();
        vals[i].is_null = false;
        vals[i].u.st = &st[i];
    }
    lm_rdd *r = lm_rdd_parallelize(s, pt, vals, n, slices);
    lm_type_unref(pt);
    free(vals);
    free(st);
    free(f);
    return r;
}

/* "[a, b, c]" of a result list, elements as saveAsTextFile writes them. */
static inline char *rt_list_text(lm_session *s, const lm_value_list *l)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '[');
    for (int64_t i = 0; i < lm_value_list_count(l); i++) {
        if (i)
            lm_strbuf_puts(&sb, ", ");
        rdd_value_text(&sb, lm_value_list_type(l), lm_value_list_at(l, i), s);
    }
    lm_strbuf_putc(&sb, ']');
    return lm_strbuf_detach(&sb);
}

/* collect() as text; asserts success. */
static inline char *rt_collect(lm_session *s, lm_rdd *r)
{
    lm_value_list *l = NULL;
    if (lm_rdd_collect(r, &l) != LM_OK)
        return strdup(lm_errmsg(s));
    char *t = rt_list_text(s, l);
    lm_value_list_free(l);
    return t;
}

/* glom().collect() as text: the partition contents. */
static inline char *rt_glom(lm_session *s, lm_rdd *r)
{
    lm_rdd *g = lm_rdd_glom(r);
    char *t = rt_collect(s, g);
    lm_rdd_free(g);
    return t;
}

#define assert_text(expr, expected)                                                           \
    do {                                                                                      \
        char *got_ = (expr);                                                                  \
        assert_non_null(got_);                                                                \
        assert_string_equal(got_, expected);                                                  \
        free(got_);                                                                           \
    } while (0)

#endif
