/*
 * StopWordsRemover: drops stop words from arrays of strings. The default
 * list is Spark's English list (StopWordsRemover.loadDefaultStopWords
 * ("english")); matching is case-insensitive unless caseSensitive, by
 * lower-casing both sides as Spark does with the locale's rules.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

/* Spark's stopwords/english.txt, in its order (getStopWords returns it). */
static const char *const k_english[] = {
    "i",       "me",      "my",      "myself",   "we",         "our",    "ours",    "ourselves",
    "you",     "your",    "yours",   "yourself", "yourselves", "he",     "him",     "his",
    "himself", "she",     "her",     "hers",     "herself",    "it",     "its",     "itself",
    "they",    "them",    "their",   "theirs",   "themselves", "what",   "which",   "who",
    "whom",    "this",    "that",    "these",    "those",      "am",     "is",      "are",
    "was",     "were",    "be",      "been",     "being",      "have",   "has",     "had",
    "having",  "do",      "does",    "did",      "doing",      "a",      "an",      "the",
    "and",     "but",     "if",      "or",       "because",    "as",     "until",   "while",
    "of",      "at",      "by",      "for",      "with",       "about",  "against", "between",
    "into",    "through", "during",  "before",   "after",      "above",  "below",   "to",
    "from",    "up",      "down",    "in",       "out",        "on",     "off",     "over",
    "under",   "again",   "further", "then",     "once",       "here",   "there",   "when",
    "where",   "why",     "how",     "all",      "any",        "both",   "each",    "few",
    "more",    "most",    "other",   "some",     "such",       "no",     "nor",     "not",
    "only",    "own",     "same",    "so",       "than",       "too",    "very",    "s",
    "t",       "can",     "will",    "just",     "don",        "should", "now",     "d",
    "ll",      "m",       "o",       "re",       "ve",         "y",      "ain",     "aren",
    "couldn",  "didn",    "doesn",   "hadn",     "hasn",       "haven",  "isn",     "ma",
    "mightn",  "mustn",   "needn",   "shan",     "shouldn",    "wasn",   "weren",   "won",
    "wouldn",
};

static const ml_param_def k_params[] = {
    P_STR_NODEF("inputCol"),  P_STR_NODEF("outputCol"), P_STRS("inputCols"),
    P_STRS("outputCols"),     P_STRS("stopWords"),      P_BOOL("caseSensitive", 0),
    P_STR("locale", "en_US"),
};

typedef struct sw_ctx {
    int n;
    const char **words; /* lower-cased unless case sensitive */
    bool cs;
} sw_ctx;

static bool is_stop(const sw_ctx *x, const char *w)
{
    for (int i = 0; i < x->n; i++)
        if (strcmp(x->words[i], w) == 0)
            return true;
    return false;
}

static lm_status remove_cell(void *p, int i, const lm_type *t, const lm_value *in, lm_arena *a,
                             lm_value *out, bool *skip)
{
    sw_ctx *x = p;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const lm_array_value *arr = in->u.arr;
    lm_array_value *res = lm_arena_alloc(a, sizeof *res);
    lm_value *el = lm_arena_alloc(a, sizeof *el * ((size_t)arr->n + 1));
    if (res == NULL || el == NULL)
        return LM_ENOMEM;
    int k = 0;
    for (int32_t j = 0; j < arr->n; j++) {
        const lm_value *w = &arr->elems[j];
        if (w->is_null) {
            el[k++] = *w;
            continue;
        }
        char *text = x->cs ? lm_arena_strndup(a, w->u.str.ptr, (size_t)w->u.str.len)
                           : ml_lower_utf8(a, w->u.str.ptr, w->u.str.len);
        if (text == NULL)
            return LM_ENOMEM;
        if (!is_stop(x, text))
            el[k++] = *w;
    }
    res->n = k;
    res->elems = el;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = res;
    return LM_OK;
}

static lm_df *transform(lm_ml_stage *st, lm_df *df)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    char **user;
    int nu = ml_strs(st, "stopWords", &user);
    bool cs = ml_bool(st, "caseSensitive");
    int n = user ? nu : (int)(sizeof k_english / sizeof k_english[0]);
    lm_arena a;
    lm_arena_init(&a, 4096);
    sw_ctx x = {n, lm_arena_alloc(&a, sizeof(char *) * ((size_t)n + 1)), cs};
    bool ok = x.words != NULL;
    for (int i = 0; ok && i < n; i++) {
        const char *w = user ? user[i] : k_english[i];
        x.words[i] = cs ? w : ml_lower_utf8(&a, w, (int32_t)strlen(w));
        ok = x.words[i] != NULL;
    }
    lm_type *at = lm_type_array(lm_type_string(), true);
    lm_type *types[ML_IO_MAX];
    for (int i = 0; i < io.n; i++)
        types[i] = at;
    lm_df *r = ok && at ? ml_map_columns(st, df, &io, types, remove_cell, &x) : NULL;
    if (!ok || at == NULL)
        lm_error_oom(&st->s->error);
    lm_type_unref(at);
    lm_arena_free(&a);
    return r;
}

static bool attr(const lm_ml_stage *st, const char *name, ml_attr *out)
{
    return false;
}

const ml_kind ml_kind_stop_words_remover = {
    .name = "StopWordsRemover",
    .java_class = "org.apache.spark.ml.feature.StopWordsRemover",
    .uid_prefix = "stopWords",
    .role = ML_TRANSFORMER,
    .params = k_params,
    .nparams = NPARAMS(k_params),
    .transform = transform,
    .attr = attr,
};

int ml_default_stop_words(const char *const **out)
{
    *out = k_english;
    return (int)(sizeof k_english / sizeof k_english[0]);
}
