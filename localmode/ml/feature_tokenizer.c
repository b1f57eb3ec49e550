/*
 * Tokenizer and RegexTokenizer: strings to arrays of tokens.
 *
 * Tokenizer lower-cases and splits on single whitespace characters, as
 * Spark's str.toLowerCase.split("\\s"): consecutive blanks give empty
 * tokens, a leading blank gives a leading empty token, trailing empty
 * tokens are dropped (java.lang.String.split).
 *
 * RegexTokenizer (pattern "\\s+", gaps true, minTokenLength 1,
 * toLowercase true) splits on the pattern (gaps) or collects its matches
 * (no gaps), then keeps tokens of at least minTokenLength UTF-16 units.
 * Patterns are Java regular expressions run on PCRE2, as the SQL regexp
 * functions do.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "ml/transform.h"

/* Appends token [b, e) of s to the list. */
typedef struct toks {
    lm_arena *a;
    int n, cap;
    lm_value *v;
} toks;

static bool push(toks *t, const char *s, size_t len)
{
    if (t->n == t->cap) {
        int nc = t->cap ? t->cap * 2 : 8;
        lm_value *nv = lm_arena_alloc(t->a, sizeof *nv * (size_t)nc);
        if (nv == NULL)
            return false;
        if (t->n)
            memcpy(nv, t->v, sizeof *nv * (size_t)t->n);
        t->v = nv;
        t->cap = nc;
    }
    t->v[t->n++] = lm_value_str(s, (int32_t)len);
    return true;
}

static bool finish(toks *t, lm_value *out)
{
    lm_array_value *arr = lm_arena_alloc(t->a, sizeof *arr);
    if (arr == NULL)
        return false;
    arr->n = t->n;
    arr->elems = t->v;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = arr;
    return true;
}

static bool is_java_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* String.split semantics: drop trailing empty strings (but "" -> [""]). */
static void drop_trailing_empty(toks *t)
{
    if (t->n == 1 && t->v[0].u.str.len == 0)
        return;
    while (t->n > 0 && t->v[t->n - 1].u.str.len == 0)
        t->n--;
}

static lm_status tokenize(void *p, int i, const lm_type *type, const lm_value *in, lm_arena *a,
                          lm_value *out, bool *skip)
{
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    char *s = ml_lower_utf8(a, in->u.str.ptr, in->u.str.len);
    if (s == NULL)
        return LM_ENOMEM;
    size_t n = strlen(s);
    toks t = {a, 0, 0, NULL};
    size_t b = 0;
    for (size_t k = 0; k <= n; k++)
        if (k == n || is_java_space(s[k])) {
            if (!push(&t, s + b, k - b))
                return LM_ENOMEM;
            b = k + 1;
        }
    if (n == 0)
        t.n = 1;
    drop_trailing_empty(&t);
    return finish(&t, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *run(lm_ml_stage *st, lm_df *df, ml_cell_fn fn, void *ctx)
{
    ml_io io;
    if (ml_io_cols(st, &io) != LM_OK)
        return NULL;
    lm_type *at = lm_type_array(lm_type_string(), true);
    lm_type *types[1] = {at};
    lm_df *r = at ? ml_map_columns(st, df, &io, types, fn, ctx) : NULL;
    if (at == NULL)
        lm_error_oom(&((lm_session *)st->s)->error);
    lm_type_unref(at);
    return r;
}

static lm_df *tok_transform(lm_ml_stage *st, lm_df *df)
{
    return run(st, df, tokenize, st);
}

static const ml_param_def k_tok_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
};

const ml_kind ml_kind_tokenizer = {
    .name = "Tokenizer",
    .java_class = "org.apache.spark.ml.feature.Tokenizer",
    .uid_prefix = "tok",
    .role = ML_TRANSFORMER,
    .params = k_tok_params,
    .nparams = NPARAMS(k_tok_params),
    .transform = tok_transform,
};

/* ------------------------------------------------------------ RegexTokenizer */

static const ml_param_def k_rx_params[] = {
    P_STR_NODEF("inputCol"),
    P_STR_NODEF("outputCol"),
    P_STR("pattern", "\\s+"),
    P_BOOL("gaps", 1),
    P_INT("minTokenLength", 1, ML_R_GE, 0, 0),
    P_BOOL("toLowercase", 1),
};

typedef struct rx_ctx {
    lm_ml_stage *st;
    pcre2_code *re;
    pcre2_match_data *md;
    bool gaps, lower;
    int64_t min_len;
} rx_ctx;

static lm_status rx_cell(void *p, int i, const lm_type *type, const lm_value *in, lm_arena *a,
                         lm_value *out, bool *skip)
{
    rx_ctx *x = p;
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const char *s = in->u.str.ptr;
    size_t n = (size_t)in->u.str.len;
    if (x->lower) {
        char *l = ml_lower_utf8(a, s, in->u.str.len);
        if (l == NULL)
            return LM_ENOMEM;
        s = l;
        n = strlen(l);
    }
    toks t = {a, 0, 0, NULL};
    size_t pos = 0, last = 0;
    while (pos <= n) {
        int rc = pcre2_match(x->re, (PCRE2_SPTR)s, n, pos, 0, x->md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        size_t ms = ov[0], me = ov[1];
        if (x->gaps) {
            /* Java's split never yields a leading empty string for a
               zero-width match at 0 */
            if (!(me == 0 && ms == 0) && !push(&t, s + last, ms - last))
                return LM_ENOMEM;
            if (!(me == 0 && ms == 0))
                last = me;
        } else if (!push(&t, s + ms, me - ms)) {
            return LM_ENOMEM;
        }
        pos = me > ms ? me : me + 1;
        while (pos < n && (s[pos] & 0xC0) == 0x80)
            pos++;
    }
    if (x->gaps) {
        if (!push(&t, s + last, n - last))
            return LM_ENOMEM;
        drop_trailing_empty(&t);
    }
    int k = 0;
    for (int j = 0; j < t.n; j++)
        if (ml_utf16_len(t.v[j].u.str.ptr, t.v[j].u.str.len) >= x->min_len)
            t.v[k++] = t.v[j];
    t.n = k;
    return finish(&t, out) ? LM_OK : LM_ENOMEM;
}

static lm_df *rx_transform(lm_ml_stage *st, lm_df *df)
{
    const char *pat = ml_str(st, "pattern");
    int err;
    PCRE2_SIZE off;
    rx_ctx x = {st,
                NULL,
                NULL,
                ml_bool(st, "gaps"),
                ml_bool(st, "toLowercase"),
                ml_int(st, "minTokenLength")};
    x.re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (x.re == NULL) {
        ml_fail(st->s, "java.util.regex.PatternSyntaxException", "invalid pattern %s", pat);
        return NULL;
    }
    x.md = pcre2_match_data_create_from_pattern(x.re, NULL);
    lm_df *r = x.md ? run(st, df, rx_cell, &x) : NULL;
    pcre2_match_data_free(x.md);
    pcre2_code_free(x.re);
    return r;
}

const ml_kind ml_kind_regex_tokenizer = {
    .name = "RegexTokenizer",
    .java_class = "org.apache.spark.ml.feature.RegexTokenizer",
    .uid_prefix = "regexTok",
    .role = ML_TRANSFORMER,
    .params = k_rx_params,
    .nparams = NPARAMS(k_rx_params),
    .transform = rx_transform,
};
