/*
 * Word count, the classic RDD program: textFile -> flatMap(words) ->
 * map((w, 1)) -> reduceByKey(+) -> sortByKey, printed as "(word,count)"
 * lines, then the lineage. Usage: rdd_wordcount FILE [MASTER]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmode.h"
#include "types/type.h"
#include "types/value.h"

static lm_status split_words(lm_task *t, const lm_value *line, void *ud)
{
    (void)ud;
    const char *p = line->u.str.ptr, *end = p + line->u.str.len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        if (p > w) {
            lm_value v = lm_value_str(w, (int32_t)(p - w));
            lm_status st = lm_task_emit(t, &v);
            if (st != LM_OK)
                return st;
        }
    }
    return LM_OK;
}

static lm_status with_one(lm_task *t, const lm_value *w, lm_value *out, void *ud)
{
    (void)ud;
    lm_value one = lm_value_i64(1);
    return lm_task_make_pair(t, w, &one, out);
}

static lm_status add(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out, void *ud)
{
    (void)t;
    (void)ud;
    *out = lm_value_i64(a->u.i64 + b->u.i64);
    return LM_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [MASTER]\n", argv[0]);
        return 2;
    }
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", argc > 2 ? argv[2] : "local[2]");
    char *err = NULL;
    lm_session *s = lm_session_open(c, &err);
    lm_conf_free(c);
    if (s == NULL) {
        fprintf(stderr, "wordcount: %s\n", err ? err : "cannot open a session");
        free(err);
        return 1;
    }
    lm_rdd_set_call_site(s, "wordcount.c");
    lm_field f[2] = {{"_1", lm_type_string(), true, NULL, NULL}, {"_2", lm_type_long(), true, NULL, NULL}};
    lm_type *pair = lm_type_struct(f, 2);
    lm_rdd *lines = lm_rdd_text_file(s, argv[1], 0);
    lm_rdd *words = lines ? lm_rdd_flat_map(lines, lm_type_string(), split_words, NULL) : NULL;
    lm_rdd *ones = words ? lm_rdd_map(words, pair, with_one, NULL) : NULL;
    lm_rdd *counts = ones ? lm_rdd_reduce_by_key(ones, add, NULL, 0) : NULL;
    lm_rdd *sorted = counts ? lm_rdd_sort_by_key(counts, true, 0) : NULL;
    lm_value_list *out = NULL;
    int rc = 1;
    if (sorted && lm_rdd_collect(sorted, &out) == LM_OK) {
        for (int64_t i = 0; i < lm_value_list_count(out); i++) {
            const lm_value *v = lm_value_list_at(out, i);
            const lm_value *w = &v->u.st->fields[0], *n = &v->u.st->fields[1];
            printf("(%.*s,%lld)\n", (int)w->u.str.len, w->u.str.ptr, (long long)n->u.i64);
        }
        char *dbg = lm_rdd_to_debug_string(sorted);
        printf("%s\n", dbg);
        free(dbg);
        rc = 0;
    } else {
        fprintf(stderr, "error: %s\n", lm_errmsg(s));
    }
    lm_value_list_free(out);
    lm_rdd_free(sorted);
    lm_rdd_free(counts);
    lm_rdd_free(ones);
    lm_rdd_free(words);
    lm_rdd_free(lines);
    lm_type_unref(pair);
    lm_session_close(s);
    return rc;
}
