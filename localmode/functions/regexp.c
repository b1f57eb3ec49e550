/*
 * Pattern matching: LIKE / ILIKE (a native wildcard matcher over code
 * points, with Spark's escape rules) and the Java-regex functions (rlike,
 * regexp_extract[_all], regexp_replace, regexp_count, regexp_instr,
 * regexp_substr, split) on PCRE2 in UTF mode. Match iteration follows
 * java.util.regex.Matcher.find: after an empty match the next search
 * starts one character later. A literal pattern is compiled once at
 * resolve time and kept in call->aux (freed with the plan's arena).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"
#include "functions/unicode_case.h"

#define NI LM_FN_NULL_INTOLERANT
#define SP(v) ((v).u.str.ptr)
#define SL(v) ((v).u.str.len)

/* ------------------------------------------------------------ LIKE */

/* Matches s against a LIKE pattern (case-sensitively; ILIKE lower-cases
   both sides first). */
static bool like_match(const char *s, int32_t sn, const char *p, int32_t pn, uint32_t esc)
{
    int32_t si = 0, pi = 0, star_p = -1, star_s = 0;
    while (si < sn) {
        if (pi < pn) {
            uint32_t pc, sc;
            int pk = fn_utf8_decode(p + pi, pn - pi, &pc);
            int sk = fn_utf8_decode(s + si, sn - si, &sc);
            if (pc == '%') {
                star_p = pi + pk;
                star_s = si;
                pi += pk;
                continue;
            }
            bool literal = false;
            if (pc == esc && pi + pk < pn) {
                pi += pk;
                pk = fn_utf8_decode(p + pi, pn - pi, &pc);
                literal = true;
            }
            if (!literal && pc == '_') {
                pi += pk;
                si += sk;
                continue;
            }
            if (pc == sc) {
                pi += pk;
                si += sk;
                continue;
            }
        }
        if (star_p >= 0) {
            pi = star_p;
            star_s += fn_utf8_char_len((unsigned char)s[star_s]);
            si = star_s;
            continue;
        }
        return false;
    }
    while (pi < pn && p[pi] == '%')
        pi++;
    return pi == pn;
}

/* Spark's ILike is Like(Lower(str), Lower(pattern)): both sides lower-cased
   with Java's full mappings, into ec's arena. */
static lm_status lower_value(lm_eval_ctx *ec, const lm_value *in, lm_value *out)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    fn_uc_lower_str(&sb, SP(*in), SL(*in));
    if (!lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return lm_error_oom(ec->err);
    }
    return fn_out_sb(ec, out, &sb);
}

/* Spark rejects an escape character followed by anything but _, % or itself. */
static bool like_pattern_ok(const char *p, int32_t pn, uint32_t esc)
{
    for (int32_t i = 0; i < pn;) {
        uint32_t c;
        i += fn_utf8_decode(p + i, pn - i, &c);
        if (c == esc) {
            if (i >= pn)
                return false;
            uint32_t d;
            i += fn_utf8_decode(p + i, pn - i, &d);
            if (d != '_' && d != '%' && d != esc)
                return false;
        }
    }
    return true;
}

static lm_status resolve_like(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id != LM_TYPE_STRING &&
            fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err) != LM_OK)
            return LM_ERROR;
    if (call->nargs == 3) {
        lm_value e;
        if (!fn_const_value(rc, call->args[2], &e) || e.is_null || fn_utf8_len(SP(e), SL(e)) != 1) {
            lm_coerce_mismatch(rc, call, err, "INVALID_ESCAPE_CHAR",
                               "the escape character must be a string literal of length one.");
            return LM_ERROR;
        }
    }
    return fn_set_result(rc, call, lm_type_boolean(), fn_args_nullable(call), err);
}

static lm_status eval_like(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    uint32_t esc = '\\';
    if (call->nargs == 3)
        fn_utf8_decode(SP(a[2]), SL(a[2]), &esc);
    if (!like_pattern_ok(SP(a[1]), SL(a[1]), esc)) {
        char *p = lm_arena_strndup(ec->arena, SP(a[1]), (size_t)SL(a[1]));
        lm_eval_error(ec, LM_EXC_ANALYSIS, "INVALID_FORMAT.ESC_IN_THE_MIDDLE", "42601",
                      "[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: '%s'. The "
                      "escape character is not allowed to precede a character other than _, %% "
                      "or itself.",
                      p ? p : "");
        return LM_ERROR;
    }
    bool ci = call->fn->name[0] == 'i';
    if (ci) {
        lm_value s, p;
        lm_status st = lower_value(ec, &a[0], &s);
        if (st == LM_OK)
            st = lower_value(ec, &a[1], &p);
        if (st != LM_OK)
            return st;
        *out = lm_value_bool(like_match(SP(s), SL(s), SP(p), SL(p), esc));
        return LM_OK;
    }
    *out = lm_value_bool(like_match(SP(a[0]), SL(a[0]), SP(a[1]), SL(a[1]), esc));
    return LM_OK;
}

/* a LIKE b [ESCAPE 'c'] */
static void sql_like(lm_strbuf *sb, const lm_expr *call)
{
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, " LIKE ");
    lm_expr_pretty(sb, call->args[1]);
    if (call->nargs == 3 && call->args[2]->kind == LM_EXPR_LITERAL &&
        !call->args[2]->value.is_null) {
        const lm_value *v = &call->args[2]->value;
        if (!(SL(*v) == 1 && SP(*v)[0] == '\\'))
            lm_strbuf_printf(sb, " ESCAPE '%.*s'", SL(*v), SP(*v));
    }
}

/* ilike(a, b): Spark prints ILike without its escape character */
static void sql_ilike(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_puts(sb, "ilike(");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, ", ");
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_putc(sb, ')');
}

/* ------------------------------------------------ LIKE ANY / LIKE ALL */

/* x [NOT] [I]LIKE ANY|ALL (p1, p2, ...): the parser's like_any, like_all,
   not_like_any, not_like_all and the ilike_* forms. */
static lm_status resolve_multi_like(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id != LM_TYPE_STRING &&
            fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), true, err);
}

/*
 * Spark's MultiLikeBase: ANY is true on the first match, ALL false on the
 * first miss (NOT variants negate each match); a NULL pattern that could
 * have changed the answer makes it NULL.
 */
static lm_status eval_multi_like(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    const char *n = call->fn->name;
    bool negate = strncmp(n, "not_", 4) == 0;
    if (negate)
        n += 4;
    bool ci = n[0] == 'i';
    bool all = strstr(n, "_all") != NULL;
    if (a[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    bool saw_null = false;
    for (int i = 1; i < call->nargs; i++) {
        if (a[i].is_null) {
            saw_null = true;
            continue;
        }
        bool m;
        if (ci) {
            lm_value s, p;
            lm_status st = lower_value(ec, &a[0], &s);
            if (st == LM_OK)
                st = lower_value(ec, &a[i], &p);
            if (st != LM_OK)
                return st;
            m = like_match(SP(s), SL(s), SP(p), SL(p), '\\');
        } else {
            m = like_match(SP(a[0]), SL(a[0]), SP(a[i]), SL(a[i]), '\\');
        }
        if (negate)
            m = !m;
        if (all && !m) {
            *out = lm_value_bool(false);
            return LM_OK;
        }
        if (!all && m) {
            *out = lm_value_bool(true);
            return LM_OK;
        }
    }
    *out = saw_null ? lm_value_null() : lm_value_bool(all);
    return LM_OK;
}

/* ------------------------------------------------------------ regex core */

static void free_code(void *p)
{
    pcre2_code_free(p);
}

static lm_status pattern_error(lm_eval_ctx *ec, lm_error *err, const char *fname,
                               const char *pat, int32_t pn)
{
    char q[512];
    snprintf(q, sizeof q, "'%.*s'", pn > 500 ? 500 : pn, pat);
    char f[64];
    snprintf(f, sizeof f, "`%s`", fname);
    lm_error *e = ec ? ec->err : err;
    lm_error_set(e, LM_ERROR, LM_EXC_RUNTIME, "INVALID_PARAMETER_VALUE.PATTERN", "22023",
                 "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` in %s is "
                 "invalid: %s.",
                 f, q);
    lm_error_param_add(e, "parameter", "`regexp`");
    lm_error_param_add(e, "functionName", f);
    lm_error_param_add(e, "value", q);
    return LM_ERROR;
}

static pcre2_code *compile(const char *p, int32_t n)
{
    int ec;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)p, (PCRE2_SIZE)n, PCRE2_UTF | PCRE2_NO_UTF_CHECK, &ec, &off,
                         NULL);
}

/* The regex argument index per function (1 everywhere). Literal patterns
   compile at resolve time. */
static lm_status prepare_regex(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    lm_value v;
    if (!fn_const_value(rc, call->args[i], &v) || v.is_null)
        return LM_OK;
    pcre2_code *code = compile(SP(v), SL(v));
    if (code == NULL)
        return LM_OK; /* reported at run time, as Spark does for each row */
    if (!lm_arena_on_free(rc->a, free_code, code)) {
        pcre2_code_free(code);
        return fn_oom(err);
    }
    call->aux = code;
    return LM_OK;
}

typedef struct rx {
    pcre2_code *code;
    bool owned;
    pcre2_match_data *md;
    lm_eval_ctx *ec;
    int failure; /* a pcre2_match error other than "no match" */
} rx;

static lm_status rx_open(lm_eval_ctx *ec, const lm_expr *call, const lm_value *pat, rx *r)
{
    r->owned = false;
    r->ec = ec;
    r->failure = 0;
    r->code = call->aux;
    if (r->code == NULL) {
        r->code = compile(SP(*pat), SL(*pat));
        if (r->code == NULL)
            return pattern_error(ec, NULL, call->fn->name, SP(*pat), SL(*pat));
        r->owned = true;
    }
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    if (r->md == NULL) {
        if (r->owned)
            pcre2_code_free(r->code);
        return lm_error_oom(ec->err);
    }
    return LM_OK;
}

/* Releases the matcher; returns the error status a failed match left. */
static lm_status rx_close(rx *r)
{
    pcre2_match_data_free(r->md);
    if (r->owned)
        pcre2_code_free(r->code);
    return r->failure == 0 ? LM_OK : r->failure == PCRE2_ERROR_NOMEMORY ? LM_ENOMEM : LM_ERROR;
}

/* Next match at or after *pos; on success sets the ovector and advances
   *pos as Matcher.find does. */
static bool rx_find(rx *r, const char *s, int32_t n, int32_t *pos, PCRE2_SIZE **ov)
{
    if (*pos > n)
        return false;
    int rcode = pcre2_match(r->code, (PCRE2_SPTR)s, (PCRE2_SIZE)n, (PCRE2_SIZE)*pos,
                            PCRE2_NO_UTF_CHECK, r->md, NULL);
    if (rcode < 0) {
        /* out of memory or a resource limit is not "no match": the
           result would be wrong, so the caller fails instead */
        if (rcode != PCRE2_ERROR_NOMATCH && r->failure == 0) {
            r->failure = rcode;
            if (rcode == PCRE2_ERROR_NOMEMORY)
                lm_error_oom(r->ec->err);
            else
                lm_error_set(r->ec->err, LM_ERROR, LM_EXC_RUNTIME, "INTERNAL_ERROR", "XX000",
                             "[INTERNAL_ERROR] Regular expression matching failed (PCRE2 error "
                             "%d).", rcode);
        }
        return false;
    }
    *ov = pcre2_get_ovector_pointer(r->md);
    int32_t b = (int32_t)(*ov)[0], e = (int32_t)(*ov)[1];
    if (e == b)
        *pos = e < n ? e + fn_utf8_char_len((unsigned char)s[e]) : n + 1;
    else
        *pos = e;
    return true;
}

static int rx_groups(const rx *r)
{
    uint32_t c = 0;
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &c);
    return (int)c;
}

/* ------------------------------------------------------------ rlike */

static lm_status resolve_regex_args(lm_resolve_ctx *rc, lm_expr *call, int nstr, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++) {
        const lm_type *want = i < nstr ? lm_type_string() : lm_type_int();
        if (call->args[i]->type->id != want->id &&
            fn_expect(rc, call, i, want, want->id == LM_TYPE_STRING ? "\"STRING\"" : "\"INT\"", err) !=
                LM_OK)
            return LM_ERROR;
    }
    return prepare_regex(rc, call, 1, err);
}

static lm_status resolve_rlike(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), fn_args_nullable(call), err);
}

static lm_status eval_rlike(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int32_t pos = 0;
    PCRE2_SIZE *ov;
    *out = lm_value_bool(rx_find(&r, SP(a[0]), SL(a[0]), &pos, &ov));
    return rx_close(&r);
}

/* ------------------------------------------------------------ extract */

static lm_expr *int_lit(lm_resolve_ctx *rc, int64_t v)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = lm_type_int();
    e->value = lm_value_i64(v);
    e->resolved = true;
    return e;
}

static lm_status add_default(lm_resolve_ctx *rc, lm_expr *call, int want, int64_t v, lm_error *err)
{
    if (call->nargs >= want)
        return LM_OK;
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * (size_t)want);
    lm_expr *lit = int_lit(rc, v);
    if (args == NULL || lit == NULL)
        return fn_oom(err);
    memcpy(args, call->args, sizeof *args * (size_t)call->nargs);
    args[call->nargs] = lit;
    call->args = args;
    call->nargs = want;
    return LM_OK;
}

static lm_status resolve_extract(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool all = strcmp(call->fn->name, "regexp_extract_all") == 0;
    if (add_default(rc, call, 3, 1, err) != LM_OK || resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    lm_type *t = all ? lm_type_array(lm_type_string(), false) : lm_type_string();
    return fn_set_result(rc, call, t, fn_args_nullable(call), err);
}

static lm_status group_index_error(lm_eval_ctx *ec, const char *fname, int groups, int64_t idx)
{
    char f[64], g[16], i[32];
    snprintf(f, sizeof f, "`%s`", fname);
    snprintf(g, sizeof g, "%d", groups);
    snprintf(i, sizeof i, "%lld", (long long)idx);
    lm_eval_error(ec, LM_EXC_RUNTIME, "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX", "22023",
                  "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` "
                  "in %s is invalid: Expects group index between 0 and %d, but got %lld.",
                  f, groups, (long long)idx);
    lm_error_param_add(ec->err, "parameter", "`idx`");
    lm_error_param_add(ec->err, "functionName", f);
    lm_error_param_add(ec->err, "groupCount", g);
    lm_error_param_add(ec->err, "groupIndex", i);
    return LM_ERROR;
}

static lm_status eval_extract(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    bool all = strcmp(call->fn->name, "regexp_extract_all") == 0;
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int64_t idx = a[2].u.i64;
    int groups = rx_groups(&r);
    if (idx < 0 || idx > groups) {
        rx_close(&r);
        return group_index_error(ec, call->fn->name, groups, idx);
    }
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]), pos = 0;
    PCRE2_SIZE *ov;
    if (!all) {
        if (!rx_find(&r, s, n, &pos, &ov)) {
            if (rx_close(&r) != LM_OK)
                return ec->err->status;
            return fn_out_str(ec, out, "", 0);
        }
        PCRE2_SIZE b = ov[2 * idx], e = ov[2 * idx + 1];
        if (rx_close(&r) != LM_OK)
            return ec->err->status;
        if (b == PCRE2_UNSET)
            return fn_out_str(ec, out, "", 0);
        return fn_out_str(ec, out, s + b, e - b);
    }
    int32_t cap = 8, cnt = 0;
    lm_value *e = fn_values(ec, (size_t)cap);
    while (e && rx_find(&r, s, n, &pos, &ov)) {
        if (cnt == cap) {
            lm_value *ne = fn_values(ec, (size_t)cap * 2);
            if (ne == NULL) {
                e = NULL;
                break;
            }
            memcpy(ne, e, sizeof *e * (size_t)cnt);
            e = ne;
            cap *= 2;
        }
        PCRE2_SIZE b = ov[2 * idx], en = ov[2 * idx + 1];
        if (b == PCRE2_UNSET)
            e[cnt++] = lm_value_str("", 0);
        else
            e[cnt++] = lm_value_str(s + b, (int32_t)(en - b));
    }
    if (rx_close(&r) != LM_OK)
        return ec->err->status;
    if (e == NULL)
        return LM_ENOMEM;
    return fn_out_array(ec, out, e, cnt);
}

/* ------------------------------------------------------------ replace */

static lm_status resolve_replace(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (add_default(rc, call, 4, 1, err) != LM_OK || resolve_regex_args(rc, call, 3, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), fn_args_nullable(call), err);
}

/* Matcher.appendReplacement: $n / ${name} group references, \ escapes. */
static void append_replacement(lm_strbuf *sb, const char *rep, int32_t rn, const char *s,
                               const PCRE2_SIZE *ov, int groups)
{
    for (int32_t i = 0; i < rn; i++) {
        char c = rep[i];
        if (c == '\\' && i + 1 < rn) {
            lm_strbuf_putc(sb, rep[++i]);
        } else if (c == '$' && i + 1 < rn && rep[i + 1] >= '0' && rep[i + 1] <= '9') {
            int g = rep[++i] - '0';
            while (i + 1 < rn && rep[i + 1] >= '0' && rep[i + 1] <= '9' &&
                   g * 10 + (rep[i + 1] - '0') <= groups)
                g = g * 10 + (rep[++i] - '0');
            if (g <= groups && ov[2 * g] != PCRE2_UNSET)
                lm_strbuf_append(sb, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
        } else {
            lm_strbuf_putc(sb, c);
        }
    }
}

static lm_status eval_replace(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    int64_t position = a[3].u.i64;
    if (position <= 0) {
        char p[32];
        snprintf(p, sizeof p, "%lld", (long long)position);
        lm_eval_error(ec, LM_EXC_ANALYSIS, "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "42K09",
                      "The `position` must be between 1 and 2147483647 (current value = %s)", p);
        return LM_ERROR;
    }
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]);
    int32_t start = fn_utf8_offset(s, n, (int32_t)(position - 1 > INT32_MAX ? INT32_MAX : position - 1));
    if (position - 1 > fn_utf8_len(s, n)) {
        *out = a[0];
        return LM_OK;
    }
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int groups = rx_groups(&r);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    lm_strbuf_append(&sb, s, (size_t)start);
    int32_t pos = start, last = start;
    PCRE2_SIZE *ov;
    while (rx_find(&r, s, n, &pos, &ov)) {
        lm_strbuf_append(&sb, s + last, ov[0] - (size_t)last);
        append_replacement(&sb, SP(a[2]), SL(a[2]), s, ov, groups);
        last = (int32_t)ov[1];
    }
    lm_strbuf_append(&sb, s + last, (size_t)(n - last));
    if (rx_close(&r) != LM_OK) {
        lm_strbuf_free(&sb);
        return ec->err->status;
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------ count, substr, instr */

static lm_status resolve_count(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_int(), fn_args_nullable(call), err);
}

static lm_status eval_count(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int32_t pos = 0, cnt = 0;
    PCRE2_SIZE *ov;
    while (rx_find(&r, SP(a[0]), SL(a[0]), &pos, &ov))
        cnt++;
    if (rx_close(&r) != LM_OK)
        return ec->err->status;
    *out = lm_value_i64(cnt);
    return LM_OK;
}

static lm_status resolve_substr(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), true, err);
}

static lm_status eval_substr(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int32_t pos = 0;
    PCRE2_SIZE *ov;
    /* Spark replaces regexp_substr by nullif(regexp_extract(s, r, 0), ''):
       an empty match is NULL as well as no match */
    if (rx_find(&r, SP(a[0]), SL(a[0]), &pos, &ov) && ov[1] > ov[0])
        st = fn_out_str(ec, out, SP(a[0]) + ov[0], ov[1] - ov[0]);
    else
        *out = lm_value_null();
    lm_status cst = rx_close(&r);
    return st != LM_OK ? st : cst;
}

static lm_status resolve_instr(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (add_default(rc, call, 3, 0, err) != LM_OK || resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_int(), fn_args_nullable(call), err);
}

static lm_status eval_instr(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int64_t idx = a[2].u.i64;
    int groups = rx_groups(&r);
    if (idx < 0 || idx > groups) {
        rx_close(&r);
        return group_index_error(ec, call->fn->name, groups, idx);
    }
    int32_t pos = 0;
    PCRE2_SIZE *ov;
    if (rx_find(&r, SP(a[0]), SL(a[0]), &pos, &ov) && ov[2 * idx] != PCRE2_UNSET)
        *out = lm_value_i64(fn_utf8_len(SP(a[0]), (int32_t)ov[2 * idx]) + 1);
    else
        *out = lm_value_i64(0);
    return rx_close(&r);
}

/* ------------------------------------------------------------ split */

static lm_status resolve_split(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (add_default(rc, call, 3, -1, err) != LM_OK || resolve_regex_args(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_array(lm_type_string(), false), fn_args_nullable(call),
                         err);
}

static lm_status push(lm_eval_ctx *ec, lm_value **e, int32_t *cnt, int32_t *cap, lm_value v)
{
    if (*cnt == *cap) {
        lm_value *ne = fn_values(ec, (size_t)*cap * 2);
        if (ne == NULL)
            return LM_ENOMEM;
        memcpy(ne, *e, sizeof **e * (size_t)*cnt);
        *e = ne;
        *cap *= 2;
    }
    (*e)[(*cnt)++] = v;
    return LM_OK;
}

/* UTF8String.split: Java's String.split with limit 0 meaning -1, and an
   empty pattern splitting into characters. */
static lm_status eval_split(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]);
    int64_t limit = a[2].u.i64;
    if (limit == 0)
        limit = -1;
    int32_t cap = 8, cnt = 0;
    lm_value *e = fn_values(ec, (size_t)cap);
    if (e == NULL)
        return LM_ENOMEM;
    if (n != 0 && SL(a[1]) == 0) {
        int32_t chars = fn_utf8_len(s, n);
        int64_t lim = (limit > chars || limit <= 0) ? chars : limit;
        int32_t b = 0;
        for (int64_t i = 0; i < lim - 1; i++) {
            int k = fn_utf8_char_len((unsigned char)s[b]);
            if (push(ec, &e, &cnt, &cap, lm_value_str(s + b, k)) != LM_OK)
                return LM_ENOMEM;
            b += k;
        }
        if (push(ec, &e, &cnt, &cap, lm_value_str(s + b, n - b)) != LM_OK)
            return LM_ENOMEM;
        return fn_out_array(ec, out, e, cnt);
    }
    rx r;
    lm_status st = rx_open(ec, call, &a[1], &r);
    if (st != LM_OK)
        return st;
    int32_t index = 0, pos = 0;
    PCRE2_SIZE *ov;
    bool limited = limit > 0;
    while (rx_find(&r, s, n, &pos, &ov)) {
        if (!limited || cnt < limit - 1) {
            if (index == 0 && ov[0] == 0 && ov[0] == ov[1])
                continue;
            if (push(ec, &e, &cnt, &cap, lm_value_str(s + index, (int32_t)ov[0] - index)) != LM_OK) {
                rx_close(&r);
                return LM_ENOMEM;
            }
            index = (int32_t)ov[1];
        } else {
            break;
        }
    }
    if (rx_close(&r) != LM_OK)
        return ec->err->status;
    if (index == 0 && cnt == 0) {
        e[0] = a[0];
        return fn_out_array(ec, out, e, 1);
    }
    if (push(ec, &e, &cnt, &cap, lm_value_str(s + index, n - index)) != LM_OK)
        return LM_ENOMEM;
    return fn_out_array(ec, out, e, cnt);
}

/* ------------------------------------------------------------ table */

static const lm_func_def k_defs[] = {
    {.name = "like", .min_args = 2, .max_args = 3, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_like, .eval = eval_like, .sql = sql_like},
    {.name = "ilike", .min_args = 2, .max_args = 3, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_like, .eval = eval_like, .sql = sql_ilike},
    {.name = "like_any", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "like_all", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "not_like_any", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "not_like_all", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "ilike_any", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "ilike_all", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "not_ilike_any", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "not_ilike_all", .min_args = 2, .max_args = -1, .resolve = resolve_multi_like,
     .eval = eval_multi_like},
    {.name = "rlike", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_rlike,
     .eval = eval_rlike, .pretty = "RLIKE"},
    {.name = "regexp", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_rlike,
     .eval = eval_rlike, .pretty = "REGEXP"},
    {.name = "regexp_like", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_rlike,
     .eval = eval_rlike, .pretty = "REGEXP_LIKE"},
    {.name = "regexp_extract", .min_args = 2, .max_args = 3, .flags = NI,
     .resolve = resolve_extract, .eval = eval_extract, .pretty = "regexp_extract"},
    {.name = "regexp_extract_all", .min_args = 2, .max_args = 3, .flags = NI,
     .resolve = resolve_extract, .eval = eval_extract, .pretty = "regexp_extract_all"},
    {.name = "regexp_replace", .min_args = 3, .max_args = 4, .flags = NI,
     .resolve = resolve_replace, .eval = eval_replace, .pretty = "regexp_replace"},
    {.name = "regexp_count", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_count, .eval = eval_count, .pretty = "regexp_count"},
    {.name = "regexp_substr", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_substr, .eval = eval_substr, .pretty = "regexp_substr"},
    {.name = "regexp_instr", .min_args = 2, .max_args = 3, .flags = NI,
     .resolve = resolve_instr, .eval = eval_instr, .pretty = "regexp_instr"},
    {.name = "split", .min_args = 2, .max_args = 3, .flags = NI, .resolve = resolve_split,
     .eval = eval_split, .pretty = "split"},
};

const lm_func_table lm_funcs_regexp = {k_defs, sizeof k_defs / sizeof k_defs[0]};
