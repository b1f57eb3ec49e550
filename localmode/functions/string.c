/*
 * String functions. Positions and lengths count characters (UTF-8 code
 * points) as Spark's UTF8String does; functions that also accept BINARY
 * (length, substring, lpad/rpad, concat, contains ...) work on bytes then.
 * Regular-expression functions live in regexp.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/cast.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "functions/unicode_case.h"
#include "session/session.h"
#include "types/numfmt.h"

#define NI LM_FN_NULL_INTOLERANT

/* ------------------------------------------------------------ helpers */

static bool is_strlike(const lm_type *t)
{
    return t->id == LM_TYPE_STRING || t->id == LM_TYPE_BINARY;
}

static lm_expr *int_literal(lm_resolve_ctx *rc, int64_t v)
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

static lm_expr *str_literal(lm_resolve_ctx *rc, const char *s)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = lm_type_string();
    e->value = lm_value_str(s, (int32_t)strlen(s));
    e->resolved = true;
    return e;
}

/* A BINARY literal of n bytes (copied). */
static lm_expr *bin_literal(lm_resolve_ctx *rc, const char *bytes, int32_t n)
{
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    char *p = lm_arena_alloc(rc->a, (size_t)n + 1);
    if (e == NULL || p == NULL)
        return NULL;
    memcpy(p, bytes, (size_t)n);
    e->kind = LM_EXPR_LITERAL;
    e->start = e->stop = -1;
    e->type = lm_type_binary();
    e->value = lm_value_str(p, n);
    e->resolved = true;
    return e;
}

/* Appends a default argument (Spark's constructors fill them in and print
   them in the column name). */
static lm_status add_arg(lm_resolve_ctx *rc, lm_expr *call, lm_expr *arg, lm_error *err)
{
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * (size_t)(call->nargs + 2));
    if (args == NULL || arg == NULL)
        return fn_oom(err);
    memcpy(args, call->args, sizeof *args * (size_t)call->nargs);
    args[call->nargs] = arg;
    call->args = args;
    call->nargs++;
    return LM_OK;
}

static lm_status expect_str(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_STRING)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err);
}

static lm_status expect_int(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_INT)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_int(), "\"INT\"", err);
}

/* A boolean session conf (false without a session, as in unit tests). */
static bool conf_on(const lm_resolve_ctx *rc, const char *key)
{
    return rc->s != NULL && session_conf_bool(rc->s, key, false);
}

/* Arguments i..n: BINARY when `allow_binary` and every one of them is
   BINARY (a NULL argument is not), else STRING with the others cast, as
   Spark's ConcatCoercion and EltCoercion decide. Returns the common type. */
static const lm_type *str_or_binary(lm_resolve_ctx *rc, lm_expr *call, int from, int to,
                                    bool allow_binary, lm_error *err)
{
    bool all_bin = allow_binary && to > from;
    for (int i = from; i < to; i++)
        if (call->args[i]->type->id != LM_TYPE_BINARY)
            all_bin = false;
    const lm_type *t = all_bin ? lm_type_binary() : lm_type_string();
    for (int i = from; i < to; i++) {
        if (call->args[i]->type->id == t->id)
            continue;
        if (fn_expect(rc, call, i, t, t->id == LM_TYPE_BINARY ? "\"BINARY\"" : "\"STRING\"",
                      err) != LM_OK)
            return NULL;
    }
    return t;
}

static lm_status result(lm_resolve_ctx *rc, lm_expr *call, const lm_type *t, lm_error *err)
{
    return fn_set_result(rc, call, fn_tref(t), fn_args_nullable(call), err);
}

#define SP(v) ((v).u.str.ptr)
#define SL(v) ((v).u.str.len)

/* ------------------------------------------------------------ concat */

lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out);

static lm_status resolve_concat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool arrays = call->nargs > 0;
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id != LM_TYPE_ARRAY && call->args[i]->type->id != LM_TYPE_NULL)
            arrays = false;
    bool any_array = false;
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id == LM_TYPE_ARRAY)
            any_array = true;
    if (arrays && any_array) {
        /* arrays meet at findWiderCommonType, string promotion included
           (array<string> || array<date> is array<string>) */
        lm_type *t = lm_coerce_wider_all(call->args, call->nargs, true);
        if (t == NULL) {
            lm_strbuf ts;
            lm_strbuf_init(&ts);
            for (int i = 0; i < call->nargs; i++) {
                if (i)
                    lm_strbuf_puts(&ts, ", ");
                lm_strbuf_puts(&ts, fn_type_q(rc, call->args[i]->type));
            }
            lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                               "Input to `concat` should all be the same type, but it's [%s].",
                               lm_strbuf_cstr(&ts));
            lm_error_param_add(err, "functionName", "`concat`");
            lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
            lm_strbuf_free(&ts);
            return LM_ERROR;
        }
        lm_arena_keep_type(rc->a, t);
        for (int i = 0; i < call->nargs; i++)
            if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
                return LM_ERROR;
        call->aux = (void *)1; /* array mode */
        return result(rc, call, t, err);
    }
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id == LM_TYPE_ARRAY || call->args[i]->type->id == LM_TYPE_MAP ||
            call->args[i]->type->id == LM_TYPE_STRUCT)
            return lm_coerce_unexpected_input(rc, call, i, "(\"STRING\" or \"BINARY\" or \"ARRAY\")",
                                              err);
    /* spark.sql.function.concatBinaryAsString: binary inputs give a string */
    const lm_type *t =
        str_or_binary(rc, call, 0, call->nargs,
                      !conf_on(rc, "spark.sql.function.concatBinaryAsString"), err);
    if (t == NULL)
        return LM_ERROR;
    return result(rc, call, t, err);
}

static lm_status eval_concat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                             lm_value *out)
{
    if (call->aux)
        return fn_concat_arrays(ec, call, args, out);
    size_t n = 0;
    for (int i = 0; i < call->nargs; i++)
        n += (size_t)SL(args[i]);
    char *d = fn_alloc(ec, n + 1);
    if (d == NULL)
        return LM_ENOMEM;
    size_t p = 0;
    for (int i = 0; i < call->nargs; i++) {
        memcpy(d + p, SP(args[i]), (size_t)SL(args[i]));
        p += (size_t)SL(args[i]);
    }
    *out = lm_value_str(d, (int32_t)n);
    return LM_OK;
}

/* concat_ws(sep, str | array<str>, ...): NULLs are skipped. */
static lm_status resolve_concat_ws(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++) {
        const lm_type *t = call->args[i]->type;
        if (i > 0 && t->id == LM_TYPE_ARRAY) {
            if (t->elem->id != LM_TYPE_STRING) {
                lm_type *at = lm_type_array(lm_type_string(), true);
                lm_arena_keep_type(rc->a, at);
                if (fn_expect(rc, call, i, at, "(\"ARRAY<STRING>\" or \"STRING\")", err) != LM_OK)
                    return LM_ERROR;
            }
            continue;
        }
        if (t->id != LM_TYPE_STRING &&
            fn_expect(rc, call, i, lm_type_string(), "(\"ARRAY<STRING>\" or \"STRING\")", err) !=
                LM_OK)
            return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_string(), call->args[0]->nullable, err);
}

static lm_status eval_concat_ws(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                lm_value *out)
{
    if (args[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    bool first = true;
    for (int i = 1; i < call->nargs; i++) {
        if (args[i].is_null)
            continue;
        if (call->args[i]->type->id == LM_TYPE_ARRAY) {
            const lm_array_value *a = args[i].u.arr;
            for (int32_t k = 0; k < a->n; k++) {
                if (a->elems[k].is_null)
                    continue;
                if (!first)
                    lm_strbuf_append(&sb, SP(args[0]), (size_t)SL(args[0]));
                lm_strbuf_append(&sb, SP(a->elems[k]), (size_t)SL(a->elems[k]));
                first = false;
            }
            continue;
        }
        if (!first)
            lm_strbuf_append(&sb, SP(args[0]), (size_t)SL(args[0]));
        lm_strbuf_append(&sb, SP(args[i]), (size_t)SL(args[i]));
        first = false;
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------------ lengths */

static lm_status resolve_length(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (!is_strlike(call->args[0]->type) &&
        fn_expect(rc, call, 0, lm_type_string(), "(\"STRING\" or \"BINARY\")", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_int(), call->args[0]->nullable, err);
}

static lm_status eval_length(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    const char *n = call->fn->name;
    int32_t bytes = SL(a[0]);
    if (strcmp(n, "octet_length") == 0)
        *out = lm_value_i64(bytes);
    else if (strcmp(n, "bit_length") == 0)
        *out = lm_value_i64((int64_t)bytes * 8);
    else if (call->args[0]->type->id == LM_TYPE_BINARY)
        *out = lm_value_i64(bytes);
    else
        *out = lm_value_i64(fn_utf8_len(SP(a[0]), bytes));
    return LM_OK;
}

/* ------------------------------------------------------------ case */

/*
 * lower / upper / initcap with Java's mappings (functions/unicode_case.c):
 * UTF8String calls String.toLowerCase / toUpperCase for non-ASCII text, and
 * initcap lower-cases first, then title-cases the first character of every
 * word (after a space) with Character.toTitleCase.
 */
static lm_status map_case(lm_eval_ctx *ec, const lm_value *in, lm_value *out, int mode)
{
    /* mode 0 lower, 1 upper, 2 initcap */
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    if (mode == 1)
        fn_uc_upper_str(&sb, SP(*in), SL(*in));
    else
        fn_uc_lower_str(&sb, SP(*in), SL(*in));
    if (mode == 2 && lm_strbuf_ok(&sb)) {
        lm_strbuf t;
        lm_strbuf_init(&t);
        lm_strbuf_puts(&t, "");
        const char *s = sb.data;
        int32_t n = (int32_t)sb.len;
        for (int32_t i = 0; i < n;) {
            uint32_t c;
            int k = fn_utf8_decode(s + i, n - i, &c);
            if (i == 0 || s[i - 1] == ' ') {
                char b[4];
                lm_strbuf_append(&t, b, (size_t)fn_utf8_encode(fn_uc_title(c), b));
            } else {
                lm_strbuf_append(&t, s + i, (size_t)k);
            }
            i += k;
        }
        lm_strbuf_free(&sb);
        sb = t;
    }
    if (!lm_strbuf_ok(&sb)) {
        lm_strbuf_free(&sb);
        return lm_error_oom(ec->err);
    }
    return fn_out_sb(ec, out, &sb);
}

static lm_status resolve_str1(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_lower(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    return map_case(ec, &a[0], out, 0);
}

static lm_status eval_upper(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    return map_case(ec, &a[0], out, 1);
}

static lm_status eval_initcap(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    return map_case(ec, &a[0], out, 2);
}

/* ------------------------------------------------------------ trim */

static bool in_set(const char *set, int32_t n, uint32_t c)
{
    for (int32_t i = 0; i < n;) {
        uint32_t x;
        i += fn_utf8_decode(set + i, n - i, &x);
        if (x == c)
            return true;
    }
    return false;
}

/* which: 0 both, 1 leading, 2 trailing */
static void do_trim(const char *s, int32_t n, const char *set, int32_t sn, bool bytes, int which,
                    int32_t *from, int32_t *to)
{
    int32_t b = 0, e = n;
    if (which != 2) {
        while (b < e) {
            uint32_t c;
            int k = bytes ? 1 : fn_utf8_decode(s + b, e - b, &c);
            if (bytes)
                c = (unsigned char)s[b];
            bool hit = set ? (bytes ? memchr(set, (int)c, (size_t)sn) != NULL : in_set(set, sn, c))
                           : c == ' ';
            if (!hit)
                break;
            b += k;
        }
    }
    if (which != 1) {
        while (e > b) {
            int32_t p = e - 1;
            if (!bytes)
                while (p > b && ((unsigned char)s[p] & 0xC0) == 0x80)
                    p--;
            uint32_t c;
            if (bytes)
                c = (unsigned char)s[p];
            else
                fn_utf8_decode(s + p, e - p, &c);
            bool hit = set ? (bytes ? memchr(set, (int)c, (size_t)sn) != NULL : in_set(set, sn, c))
                           : c == ' ';
            if (!hit)
                break;
            e = p;
        }
    }
    *from = b;
    *to = e;
}

static int trim_which(const lm_expr *call)
{
    const char *n = call->fn->name;
    return n[0] == 'l' ? 1 : n[0] == 'r' ? 2 : 0;
}

/* trim(str) / trim(trimStr, str): Spark's function form puts the trim
   characters first; TRIM(BOTH t FROM s) is trim(t, s). */
static lm_status resolve_trim(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_trim(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    const lm_value *src = call->nargs == 2 ? &a[1] : &a[0];
    const lm_value *set = call->nargs == 2 ? &a[0] : NULL;
    int32_t b, e;
    do_trim(SP(*src), SL(*src), set ? SP(*set) : NULL, set ? SL(*set) : 0, false, trim_which(call),
            &b, &e);
    *out = lm_value_str(SP(*src) + b, e - b);
    return LM_OK;
}

static void sql_trim(lm_strbuf *sb, const lm_expr *call)
{
    if (call->nargs == 1) {
        lm_strbuf_puts(sb, call->fn->name);
        lm_strbuf_putc(sb, '(');
        lm_expr_pretty(sb, call->args[0]);
        lm_strbuf_putc(sb, ')');
        return;
    }
    static const char *kw[] = {"BOTH", "LEADING", "TRAILING"};
    lm_strbuf_printf(sb, "TRIM(%s ", kw[trim_which(call)]);
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, " FROM ");
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_putc(sb, ')');
}

/* btrim(str[, trimStr]): Spark's StringTrimBoth takes strings only, so
   binary arguments are cast to STRING (the result is a string too). */
static lm_status resolve_btrim(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_btrim(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    bool bytes = call->type->id == LM_TYPE_BINARY;
    int32_t b, e;
    do_trim(SP(a[0]), SL(a[0]), call->nargs == 2 ? SP(a[1]) : NULL,
            call->nargs == 2 ? SL(a[1]) : 0, bytes, 0, &b, &e);
    *out = lm_value_str(SP(a[0]) + b, e - b);
    return LM_OK;
}

/* ------------------------------------------------------------ pad */

/*
 * lpad/rpad(str, len[, pad]). Spark's builders pick the binary form when
 * str is BINARY and pad is BINARY or absent (the default pad is the byte
 * 0x00, printed X'00' in names), else the string form with pad ' ' and
 * binary arguments cast to STRING.
 */
static lm_status resolve_pad(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        bool bin = call->args[0]->type->id == LM_TYPE_BINARY;
        lm_expr *pad = bin ? bin_literal(rc, "", 1) : str_literal(rc, " ");
        if (add_arg(rc, call, pad, err) != LM_OK)
            return LM_ERROR;
    }
    if (expect_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    bool bin = call->args[0]->type->id == LM_TYPE_BINARY &&
               (call->nargs == 2 || call->args[2]->type->id == LM_TYPE_BINARY);
    if (bin)
        return result(rc, call, lm_type_binary(), err);
    if (expect_str(rc, call, 0, err) != LM_OK ||
        (call->nargs == 3 && expect_str(rc, call, 2, err) != LM_OK))
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_pad(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    bool left = call->fn->name[0] == 'l';
    bool bytes = call->type->id == LM_TYPE_BINARY;
    int64_t len = a[1].u.i64;
    const char *s = SP(a[0]);
    int32_t sn = SL(a[0]);
    const char *pad = call->nargs == 3 ? SP(a[2]) : "\0";
    int32_t pn = call->nargs == 3 ? SL(a[2]) : 1;
    if (len <= 0)
        return fn_out_str(ec, out, "", 0);
    int32_t chars = bytes ? sn : fn_utf8_len(s, sn);
    if (chars >= len || pn == 0) {
        int32_t cut = bytes ? (int32_t)(len < sn ? len : sn) : fn_utf8_offset(s, sn, (int32_t)len);
        *out = lm_value_str(s, cut);
        return LM_OK;
    }
    int64_t need = len - chars;
    int32_t pchars = bytes ? pn : fn_utf8_len(pad, pn);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    if (!left)
        lm_strbuf_append(&sb, s, (size_t)sn);
    int64_t full = need / pchars, rest = need % pchars;
    for (int64_t i = 0; i < full; i++)
        lm_strbuf_append(&sb, pad, (size_t)pn);
    int32_t cut = bytes ? (int32_t)rest : fn_utf8_offset(pad, pn, (int32_t)rest);
    lm_strbuf_append(&sb, pad, (size_t)cut);
    if (left)
        lm_strbuf_append(&sb, s, (size_t)sn);
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------------ repeat etc */

static lm_status resolve_repeat(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_repeat(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    int64_t n = a[1].u.i64;
    if (n <= 0)
        return fn_out_str(ec, out, "", 0);
    size_t len = (size_t)SL(a[0]) * (size_t)n;
    char *d = fn_alloc(ec, len + 1);
    if (d == NULL)
        return LM_ENOMEM;
    for (int64_t i = 0; i < n; i++)
        memcpy(d + (size_t)i * (size_t)SL(a[0]), SP(a[0]), (size_t)SL(a[0]));
    *out = lm_value_str(d, (int32_t)len);
    return LM_OK;
}

static lm_status resolve_space(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_int(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_space(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    int64_t n = a[0].u.i64 < 0 ? 0 : a[0].u.i64;
    char *d = fn_alloc(ec, (size_t)n + 1);
    if (d == NULL)
        return LM_ENOMEM;
    memset(d, ' ', (size_t)n);
    *out = lm_value_str(d, (int32_t)n);
    return LM_OK;
}

lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out);

static lm_status resolve_reverse(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id == LM_TYPE_ARRAY)
        return result(rc, call, call->args[0]->type, err);
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_reverse(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    if (call->type->id == LM_TYPE_ARRAY)
        return fn_reverse_array(ec, &a[0], out);
    int32_t n = SL(a[0]);
    const char *s = SP(a[0]);
    char *d = fn_alloc(ec, (size_t)n + 1);
    if (d == NULL)
        return LM_ENOMEM;
    int32_t j = n;
    for (int32_t i = 0; i < n;) {
        int k = fn_utf8_char_len((unsigned char)s[i]);
        if (i + k > n)
            k = n - i;
        j -= k;
        memcpy(d + j, s + i, (size_t)k);
        i += k;
    }
    *out = lm_value_str(d, n);
    return LM_OK;
}

/* ------------------------------------------------------------ substring */

static lm_status resolve_substring(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2 && add_arg(rc, call, int_literal(rc, 2147483647), err) != LM_OK)
        return LM_ERROR;
    const lm_type *t = call->args[0]->type->id == LM_TYPE_BINARY ? lm_type_binary() : lm_type_string();
    if (t->id == LM_TYPE_STRING && expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (expect_int(rc, call, 1, err) != LM_OK || expect_int(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, t, err);
}

/* UTF8String.substringSQL: 1-based, negative positions count from the end. */
static void substring_sql(int32_t count, int64_t pos, int64_t length, int32_t *from, int32_t *to)
{
    int64_t start = pos > 0 ? pos - 1 : pos < 0 ? count + pos : 0;
    int64_t end = start + length;
    if (end > INT32_MAX)
        end = INT32_MAX;
    if (end < INT32_MIN)
        end = INT32_MIN;
    if (start < 0)
        start = 0;
    if (start >= end) {
        *from = *to = 0;
        return;
    }
    if (start > count)
        start = count;
    if (end > count)
        end = count;
    *from = (int32_t)start;
    *to = (int32_t)end;
}

static lm_status substr_value(lm_eval_ctx *ec, bool bytes, const lm_value *s, int64_t pos,
                              int64_t len, lm_value *out)
{
    int32_t n = SL(*s);
    int32_t count = bytes ? n : fn_utf8_len(SP(*s), n);
    int32_t f, t;
    substring_sql(count, pos, len, &f, &t);
    if (f >= t) {
        *out = lm_value_str("", 0);
        return LM_OK;
    }
    int32_t bf = bytes ? f : fn_utf8_offset(SP(*s), n, f);
    int32_t bt = bytes ? t : fn_utf8_offset(SP(*s), n, t);
    *out = lm_value_str(SP(*s) + bf, bt - bf);
    return LM_OK;
}

static lm_status eval_substring(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    return substr_value(ec, call->type->id == LM_TYPE_BINARY, &a[0], a[1].u.i64, a[2].u.i64, out);
}

static lm_status resolve_left_right(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type->id == LM_TYPE_BINARY ? lm_type_binary() : lm_type_string();
    if (t->id == LM_TYPE_STRING && expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    if (expect_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, t, err);
}

static lm_status eval_left(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    return substr_value(ec, call->type->id == LM_TYPE_BINARY, &a[0], 1, a[1].u.i64, out);
}

static lm_status eval_right(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    if (a[1].u.i64 <= 0)
        return fn_out_str(ec, out, "", 0);
    return substr_value(ec, call->type->id == LM_TYPE_BINARY, &a[0], -a[1].u.i64, INT32_MAX, out);
}

/* ------------------------------------------------------------ search */

/* Character index (0-based) of needle in hay at or after char `from`, -1 if absent. */
static int32_t char_index_of(const char *h, int32_t hn, const char *nd, int32_t nn, int32_t from)
{
    int32_t b = fn_utf8_offset(h, hn, from);
    if (from > 0 && b >= hn && !(nn == 0 && b == hn))
        return nn == 0 && b <= hn ? from : -1;
    for (int32_t i = b; i + nn <= hn;) {
        if (memcmp(h + i, nd, (size_t)nn) == 0)
            return fn_utf8_len(h, i);
        i += fn_utf8_char_len((unsigned char)h[i]);
    }
    return -1;
}

static lm_status resolve_instr(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_int(), err);
}

static lm_status eval_instr(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    *out = lm_value_i64(char_index_of(SP(a[0]), SL(a[0]), SP(a[1]), SL(a[1]), 0) + 1);
    return LM_OK;
}

/* locate(substr, str[, pos]) */
static lm_status resolve_locate(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2 && add_arg(rc, call, int_literal(rc, 1), err) != LM_OK)
        return LM_ERROR;
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK ||
        expect_int(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_int(), true, err);
}

static lm_status eval_locate(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    if (a[2].is_null) {
        *out = lm_value_i64(0);
        return LM_OK;
    }
    if (a[0].is_null || a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int64_t pos = a[2].u.i64;
    if (pos < 1) {
        *out = lm_value_i64(0);
        return LM_OK;
    }
    int32_t r = char_index_of(SP(a[1]), SL(a[1]), SP(a[0]), SL(a[0]), (int32_t)(pos - 1));
    *out = lm_value_i64(r + 1);
    return LM_OK;
}

static lm_status resolve_replace(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2 && add_arg(rc, call, str_literal(rc, ""), err) != LM_OK)
        return LM_ERROR;
    for (int i = 0; i < 3; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_replace(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const char *s = SP(a[0]), *f = SP(a[1]), *r = SP(a[2]);
    int32_t n = SL(a[0]), fn = SL(a[1]), rn = SL(a[2]);
    if (fn == 0) {
        *out = a[0];
        return LM_OK;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    for (int32_t i = 0; i < n;) {
        if (i + fn <= n && memcmp(s + i, f, (size_t)fn) == 0) {
            lm_strbuf_append(&sb, r, (size_t)rn);
            i += fn;
        } else {
            lm_strbuf_putc(&sb, s[i]);
            i++;
        }
    }
    return fn_out_sb(ec, out, &sb);
}

static lm_status resolve_translate(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < 3; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_translate(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    /* map: first occurrence of each char of `from` wins */
    uint32_t from[256], to[256];
    int nf = 0, nt = 0;
    for (int32_t i = 0; i < SL(a[1]) && nf < 256;)
        i += fn_utf8_decode(SP(a[1]) + i, SL(a[1]) - i, &from[nf++]);
    for (int32_t i = 0; i < SL(a[2]) && nt < 256;)
        i += fn_utf8_decode(SP(a[2]) + i, SL(a[2]) - i, &to[nt++]);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    for (int32_t i = 0; i < SL(a[0]);) {
        uint32_t c;
        int k = fn_utf8_decode(SP(a[0]) + i, SL(a[0]) - i, &c);
        int hit = -1;
        for (int j = 0; j < nf; j++)
            if (from[j] == c) {
                hit = j;
                break;
            }
        if (hit < 0)
            lm_strbuf_append(&sb, SP(a[0]) + i, (size_t)k);
        else if (hit < nt) {
            char b[4];
            lm_strbuf_append(&sb, b, (size_t)fn_utf8_encode(to[hit], b));
        }
        i += k;
    }
    return fn_out_sb(ec, out, &sb);
}

/* split_part(str, delim, partNum) */
static lm_status resolve_split_part(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK ||
        expect_int(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_split_part(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    int64_t part = a[2].u.i64;
    if (part == 0) {
        lm_eval_error(ec, "org.apache.spark.SparkRuntimeException", "INVALID_INDEX_OF_ZERO",
                      "22003",
                      "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < "
                      "0 or > 0 (the first element has index 1).");
        return LM_ERROR;
    }
    const char *s = SP(a[0]), *d = SP(a[1]);
    int32_t n = SL(a[0]), dn = SL(a[1]);
    /* collect parts */
    int32_t starts[1024], ends[1024];
    int np = 0;
    if (dn == 0) {
        starts[0] = 0;
        ends[0] = n;
        np = 1;
    } else {
        int32_t b = 0;
        for (int32_t i = 0; i + dn <= n && np < 1023;) {
            if (memcmp(s + i, d, (size_t)dn) == 0) {
                starts[np] = b;
                ends[np++] = i;
                i += dn;
                b = i;
            } else
                i++;
        }
        starts[np] = b;
        ends[np++] = n;
    }
    int64_t idx = part > 0 ? part - 1 : np + part;
    if (idx < 0 || idx >= np)
        return fn_out_str(ec, out, "", 0);
    *out = lm_value_str(s + starts[idx], ends[idx] - starts[idx]);
    return LM_OK;
}

/* substring_index(str, delim, count) */
static lm_status eval_substring_index(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                      lm_value *out)
{
    const char *s = SP(a[0]), *d = SP(a[1]);
    int32_t n = SL(a[0]), dn = SL(a[1]);
    int64_t count = a[2].u.i64;
    if (dn == 0 || count == 0)
        return fn_out_str(ec, out, "", 0);
    if (count > 0) {
        int32_t i = 0;
        int64_t seen = 0;
        for (; i + dn <= n; i++) {
            if (memcmp(s + i, d, (size_t)dn) == 0 && ++seen == count) {
                *out = lm_value_str(s, i);
                return LM_OK;
            }
        }
        *out = a[0];
        return LM_OK;
    }
    int64_t seen = 0;
    for (int32_t i = n - dn; i >= 0; i--) {
        if (memcmp(s + i, d, (size_t)dn) == 0 && ++seen == -count) {
            *out = lm_value_str(s + i + dn, n - i - dn);
            return LM_OK;
        }
    }
    *out = a[0];
    return LM_OK;
}

/* ------------------------------------------------------ predicates */

static lm_status resolve_contains(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = str_or_binary(rc, call, 0, 2, true, err);
    if (t == NULL)
        return LM_ERROR;
    return result(rc, call, lm_type_boolean(), err);
}

static lm_status eval_contains(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    const char *h = SP(a[0]), *nd = SP(a[1]);
    int32_t hn = SL(a[0]), nn = SL(a[1]);
    bool r = false;
    const char *n = call->fn->name;
    if (n[0] == 's')
        r = nn <= hn && memcmp(h, nd, (size_t)nn) == 0;
    else if (n[0] == 'e')
        r = nn <= hn && memcmp(h + hn - nn, nd, (size_t)nn) == 0;
    else {
        if (nn == 0)
            r = true;
        for (int32_t i = 0; !r && i + nn <= hn; i++)
            r = memcmp(h + i, nd, (size_t)nn) == 0;
    }
    *out = lm_value_bool(r);
    return LM_OK;
}

/* ------------------------------------------------------------ misc */

static lm_status resolve_ascii(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_int(), err);
}

static lm_status eval_ascii(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    uint32_t c = 0;
    if (SL(a[0]) > 0)
        fn_utf8_decode(SP(a[0]), SL(a[0]), &c);
    *out = lm_value_i64(c);
    return LM_OK;
}

static lm_status resolve_chr(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 0, lm_type_long(), "\"BIGINT\"", err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_chr(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    int64_t x = a[0].u.i64;
    if (x < 0)
        return fn_out_str(ec, out, "", 0);
    char b[4];
    int k = fn_utf8_encode((uint32_t)(x & 0xFF), b);
    return fn_out_str(ec, out, b, (size_t)k);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static lm_status resolve_base64(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_BINARY &&
        fn_expect(rc, call, 0, lm_type_binary(), "\"BINARY\"", err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

static lm_status eval_base64(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    const unsigned char *s = (const unsigned char *)SP(a[0]);
    int32_t n = SL(a[0]);
    char *d = fn_alloc(ec, (size_t)(n + 2) / 3 * 4 + 1);
    if (d == NULL)
        return LM_ENOMEM;
    int32_t j = 0;
    for (int32_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        d[j++] = B64[(v >> 18) & 63];
        d[j++] = B64[(v >> 12) & 63];
        d[j++] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        d[j++] = i + 2 < n ? B64[v & 63] : '=';
    }
    *out = lm_value_str(d, j);
    return LM_OK;
}

static int b64val(char c)
{
    const char *p = c ? strchr(B64, c) : NULL;
    return p ? (int)(p - B64) : -1;
}

static bool java_space(char c)
{
    /* \s of java.util.regex */
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * Spark's UnBase64.isValidBase64, the check to_binary(s, 'base64') makes
 * before decoding: RFC 4648 alphabet characters in groups of four, the last
 * group possibly two characters and "==" or three and "=", whitespace
 * allowed between characters and around, but not between the two '='.
 */
static bool b64_valid(const char *s, int32_t n)
{
    int32_t i = 0, count = 0;
    for (; i < n; i++) {
        if (java_space(s[i]))
            continue;
        if (s[i] == '=' || b64val(s[i]) < 0)
            break;
        count++;
    }
    if (i < n && s[i] == '=') {
        int rem = count % 4;
        if (rem == 2) {
            if (i + 1 >= n || s[i + 1] != '=')
                return false;
            i += 2;
        } else if (rem == 3) {
            i += 1;
        } else {
            return false;
        }
    } else if (count % 4 != 0) {
        return false;
    }
    for (; i < n; i++)
        if (!java_space(s[i]))
            return false;
    return true;
}

/* MIME decoding (java.util.Base64.getMimeDecoder): characters outside the
   alphabet are skipped; `strict` first applies b64_valid. */
static bool b64_decode(lm_eval_ctx *ec, const char *s, int32_t n, bool strict, lm_value *out)
{
    if (strict && !b64_valid(s, n))
        return false;
    char *d = fn_alloc(ec, (size_t)n * 3 / 4 + 4);
    if (d == NULL)
        return false;
    uint32_t acc = 0;
    int bits = 0, j = 0;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '=')
            continue;
        int v = b64val(s[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            d[j++] = (char)((acc >> bits) & 0xFF);
        }
    }
    *out = lm_value_str(d, j);
    return true;
}

static lm_status resolve_unbase64(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_binary(), err);
}

static lm_status eval_unbase64(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    if (!b64_decode(ec, SP(a[0]), SL(a[0]), false, out))
        *out = lm_value_null();
    return LM_OK;
}

/* encode(str, charset) / decode(bin, charset) */
static int charset_of(const lm_value *v)
{
    char b[32];
    int n = SL(*v) < 31 ? SL(*v) : 31;
    for (int i = 0; i < n; i++)
        b[i] = (char)toupper((unsigned char)SP(*v)[i]);
    b[n] = 0;
    if (strcmp(b, "UTF-8") == 0 || strcmp(b, "UTF8") == 0)
        return 0;
    if (strcmp(b, "US-ASCII") == 0)
        return 1;
    if (strcmp(b, "ISO-8859-1") == 0)
        return 2;
    if (strcmp(b, "UTF-16BE") == 0)
        return 3;
    if (strcmp(b, "UTF-16LE") == 0)
        return 4;
    if (strcmp(b, "UTF-16") == 0)
        return 5;
    return -1;
}

static lm_status bad_charset(lm_eval_ctx *ec, const char *fname, const lm_value *cs)
{
    char *c = lm_arena_strndup(ec->arena, SP(*cs), (size_t)SL(*cs));
    lm_eval_error(ec, "org.apache.spark.SparkIllegalArgumentException", "INVALID_PARAMETER_VALUE.CHARSET",
                  "22023",
                  "[INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) `charset` in `%s` "
                  "is invalid: expects one of the charsets 'US-ASCII', 'ISO-8859-1', 'UTF-8', "
                  "'UTF-16BE', 'UTF-16LE', 'UTF-16', but got %s.",
                  fname, c ? c : "");
    return LM_ERROR;
}

static lm_status resolve_encode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_binary(), err);
}

static lm_status eval_encode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    int cs = charset_of(&a[1]);
    if (cs < 0)
        return bad_charset(ec, "encode", &a[1]);
    if (cs == 0)
        return fn_out_str(ec, out, SP(a[0]), (size_t)SL(a[0]));
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    if (cs == 5) {
        lm_strbuf_putc(&sb, (char)0xFE);
        lm_strbuf_putc(&sb, (char)0xFF);
    }
    for (int32_t i = 0; i < SL(a[0]);) {
        uint32_t c;
        i += fn_utf8_decode(SP(a[0]) + i, SL(a[0]) - i, &c);
        if (cs == 1 || cs == 2) {
            lm_strbuf_putc(&sb, (char)((cs == 1 ? c < 128 : c < 256) ? c : '?'));
            continue;
        }
        uint16_t u[2];
        int nu = 1;
        if (c >= 0x10000) {
            c -= 0x10000;
            u[0] = (uint16_t)(0xD800 + (c >> 10));
            u[1] = (uint16_t)(0xDC00 + (c & 0x3FF));
            nu = 2;
        } else
            u[0] = (uint16_t)c;
        for (int k = 0; k < nu; k++) {
            if (cs == 4) {
                lm_strbuf_putc(&sb, (char)(u[k] & 0xFF));
                lm_strbuf_putc(&sb, (char)(u[k] >> 8));
            } else {
                lm_strbuf_putc(&sb, (char)(u[k] >> 8));
                lm_strbuf_putc(&sb, (char)(u[k] & 0xFF));
            }
        }
    }
    return fn_out_sb(ec, out, &sb);
}

/* decode(bin, charset), or decode(expr, search, result, ..., [default]),
   Oracle's CASE shorthand, when called with more than two arguments. */
static lm_status resolve_decode(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        if (call->args[0]->type->id != LM_TYPE_BINARY &&
            fn_expect(rc, call, 0, lm_type_binary(), "\"BINARY\"", err) != LM_OK)
            return LM_ERROR;
        if (expect_str(rc, call, 1, err) != LM_OK)
            return LM_ERROR;
        return result(rc, call, lm_type_string(), err);
    }
    if (call->nargs < 2) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "42605",
                     "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `decode` requires 2 parameters but "
                     "the actual number is %d.",
                     call->nargs);
        return LM_ERROR;
    }
    /* search values meet the expression's type, results a common type */
    int nres = 0;
    lm_expr *res[128], *keys[129];
    int nkeys = 0;
    keys[nkeys++] = call->args[0];
    for (int i = 1; i + 1 < call->nargs && nres < 127; i += 2) {
        keys[nkeys++] = call->args[i];
        res[nres++] = call->args[i + 1];
    }
    if ((call->nargs - 1) % 2 == 1)
        res[nres++] = call->args[call->nargs - 1];
    lm_type *kt = lm_coerce_wider_all(keys, nkeys, true);
    lm_type *rt = lm_coerce_wider_all(res, nres, true);
    if (kt == NULL || rt == NULL) {
        lm_type_unref(kt);
        lm_type_unref(rt);
        lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                           "Input to `decode` should all be the same type.");
        return LM_ERROR;
    }
    lm_arena_keep_type(rc->a, kt);
    lm_arena_keep_type(rc->a, rt);
    if (fn_cast_arg(rc, call, 0, kt, err) != LM_OK)
        return LM_ERROR;
    for (int i = 1; i + 1 < call->nargs; i += 2)
        if (fn_cast_arg(rc, call, i, kt, err) != LM_OK ||
            fn_cast_arg(rc, call, i + 1, rt, err) != LM_OK)
            return LM_ERROR;
    if ((call->nargs - 1) % 2 == 1 && fn_cast_arg(rc, call, call->nargs - 1, rt, err) != LM_OK)
        return LM_ERROR;
    call->aux = (void *)1;
    return fn_set_result(rc, call, rt, true, err);
}

static lm_status eval_decode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    if (call->aux) {
        /* null-safe equality: decode(NULL, ..., NULL, r) matches */
        for (int i = 1; i + 1 < call->nargs; i += 2) {
            bool hit = (a[0].is_null && a[i].is_null) ||
                       (!a[0].is_null && !a[i].is_null &&
                        lm_value_compare(call->args[0]->type, &a[0], &a[i]) == 0);
            if (hit) {
                *out = a[i + 1];
                return LM_OK;
            }
        }
        *out = (call->nargs - 1) % 2 == 1 ? a[call->nargs - 1] : lm_value_null();
        return LM_OK;
    }
    if (a[0].is_null || a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int cs = charset_of(&a[1]);
    if (cs < 0)
        return bad_charset(ec, "decode", &a[1]);
    const unsigned char *s = (const unsigned char *)SP(a[0]);
    int32_t n = SL(a[0]);
    if (cs == 0)
        return fn_out_str(ec, out, SP(a[0]), (size_t)n);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    char b[4];
    if (cs == 1 || cs == 2) {
        for (int32_t i = 0; i < n; i++) {
            uint32_t c = s[i];
            if (cs == 1 && c >= 128)
                c = 0xFFFD;
            lm_strbuf_append(&sb, b, (size_t)fn_utf8_encode(c, b));
        }
        return fn_out_sb(ec, out, &sb);
    }
    bool le = cs == 4;
    int32_t i = 0;
    if (cs == 5 && n >= 2) {
        if (s[0] == 0xFF && s[1] == 0xFE) {
            le = true;
            i = 2;
        } else if (s[0] == 0xFE && s[1] == 0xFF)
            i = 2;
    }
    for (; i + 1 < n; i += 2) {
        uint32_t u = le ? (uint32_t)(s[i] | (s[i + 1] << 8)) : (uint32_t)((s[i] << 8) | s[i + 1]);
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            uint32_t l = le ? (uint32_t)(s[i + 2] | (s[i + 3] << 8))
                            : (uint32_t)((s[i + 2] << 8) | s[i + 3]);
            u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
            i += 2;
        }
        lm_strbuf_append(&sb, b, (size_t)fn_utf8_encode(u, b));
    }
    return fn_out_sb(ec, out, &sb);
}

/*
 * to_binary(str[, fmt]) / try_to_binary. Spark's ToBinary prints only the
 * arguments written (to_binary(FF)), defaults the format to hex, and needs
 * a foldable format: concat('utf', '-8') is folded at analysis, a column is
 * NON_FOLDABLE_INPUT. The folded format, lower-cased, picks the decoder; a
 * NULL format makes the result NULL, an unknown one INVALID_ARG_VALUE
 * (NULL for try_to_binary). call->aux holds the decoder (enum b2_fmt + 1).
 */
enum b2_fmt { B2_NULL, B2_HEX, B2_UTF8, B2_BASE64, B2_INVALID };

static lm_status resolve_to_binary(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool try_ = strncmp(call->fn->name, "try_", 4) == 0;
    enum b2_fmt kind = B2_HEX;
    if (call->nargs == 2) {
        lm_value f;
        if (!fn_const_value(rc, call->args[1], &f)) {
            char *q = lm_coerce_quote_sql(rc, call->args[1]);
            lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                               "the input fmt should be a foldable \"STRING\" expression; "
                               "however, got %s.",
                               q ? q : "");
            lm_error_param_add(err, "inputName", "fmt");
            lm_error_param_add(err, "inputType", fn_type_q(rc, call->args[1]->type));
            lm_error_param_add(err, "inputExpr", q);
            return LM_ERROR;
        }
        if (f.is_null) {
            kind = B2_NULL;
        } else {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            fn_append_as_string(&sb, call->args[1]->type, &f, NULL, false);
            char *low = lm_arena_strdup(rc->a, lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            if (low == NULL)
                return fn_oom(err);
            for (char *c = low; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            if (strcmp(low, "hex") == 0)
                kind = B2_HEX;
            else if (strcmp(low, "utf-8") == 0 || strcmp(low, "utf8") == 0)
                kind = B2_UTF8;
            else if (strcmp(low, "base64") == 0)
                kind = B2_BASE64;
            else if (try_)
                kind = B2_INVALID;
            else {
                char *v = lm_arena_printf(rc->a, "'%s'", low);
                lm_coerce_mismatch(rc, call, err, "INVALID_ARG_VALUE",
                                   "The fmt value must be a case-insensitive \"STRING\" literal of "
                                   "'hex', 'utf-8', 'utf8', or 'base64', but got %s.",
                                   v ? v : "");
                lm_error_param_add(err, "inputName", "fmt");
                lm_error_param_add(err, "requireType", "case-insensitive \"STRING\"");
                lm_error_param_add(err, "validValues", "'hex', 'utf-8', 'utf8', or 'base64'");
                lm_error_param_add(err, "inputValue", v);
                return LM_ERROR;
            }
        }
    }
    for (int i = 0; i < call->nargs; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    call->aux = (void *)(intptr_t)(kind + 1);
    return fn_set_result(rc, call, lm_type_binary(),
                         try_ || kind != B2_UTF8 || fn_args_nullable(call), err);
}

static lm_status conversion_error(lm_eval_ctx *ec, const lm_value *s, const char *fmt)
{
    char *v = lm_arena_strndup(ec->arena, SP(*s), (size_t)SL(*s));
    lm_eval_error(ec, "org.apache.spark.SparkIllegalArgumentException", "CONVERSION_INVALID_INPUT",
                  "22018",
                  "[CONVERSION_INVALID_INPUT] The value '%s' (\"STRING\") cannot be converted to "
                  "\"BINARY\" because it is malformed. Correct the value as per the syntax, or "
                  "change its format. Use `try_to_binary` to tolerate malformed input and return "
                  "NULL instead.",
                  v ? v : "");
    char *q = lm_arena_printf(ec->arena, "'%s'", v ? v : "");
    lm_error_param_add(ec->err, "str", q ? q : "");
    lm_error_param_add(ec->err, "fmt", fmt);
    lm_error_param_add(ec->err, "targetType", "\"BINARY\"");
    lm_error_param_add(ec->err, "suggestion", "`try_to_binary`");
    return LM_ERROR;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Spark's Hex.unhex: an odd number of digits takes a leading zero nibble;
   any non-hex character fails the whole string. */
static bool unhex_bytes(lm_eval_ctx *ec, const char *s, int32_t n, lm_value *out)
{
    char *d = fn_alloc(ec, (size_t)n / 2 + 2);
    if (d == NULL)
        return false;
    int32_t i = 0, j = 0;
    if (n & 1) {
        int v = hexval(s[0]);
        if (v < 0)
            return false;
        d[j++] = (char)v;
        i = 1;
    }
    for (; i < n; i += 2) {
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        d[j++] = (char)(hi * 16 + lo);
    }
    *out = lm_value_str(d, j);
    return true;
}

static lm_status eval_to_binary(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    bool try_ = strncmp(call->fn->name, "try_", 4) == 0;
    enum b2_fmt kind = (enum b2_fmt)((intptr_t)call->aux - 1);
    *out = lm_value_null();
    if (a[0].is_null || kind == B2_NULL || kind == B2_INVALID)
        return LM_OK;
    switch (kind) {
    case B2_UTF8:
        return fn_out_str(ec, out, SP(a[0]), (size_t)SL(a[0]));
    case B2_HEX:
        if (unhex_bytes(ec, SP(a[0]), SL(a[0]), out))
            return LM_OK;
        *out = lm_value_null();
        if (ec->err->status == LM_ENOMEM)
            return LM_ENOMEM;
        return try_ ? LM_OK : conversion_error(ec, &a[0], "'HEX'");
    case B2_BASE64:
        if (b64_decode(ec, SP(a[0]), SL(a[0]), true, out))
            return LM_OK;
        *out = lm_value_null();
        if (ec->err->status == LM_ENOMEM)
            return LM_ENOMEM;
        return try_ ? LM_OK : conversion_error(ec, &a[0], "'BASE64'");
    default:
        return LM_OK;
    }
}

/* ------------------------------------------------------ soundex etc */

static lm_status eval_soundex(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    static const char codes[] = "01230120022455012623010202";
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]);
    if (n == 0 || !isalpha((unsigned char)s[0])) {
        *out = a[0];
        return LM_OK;
    }
    char r[4] = {(char)toupper((unsigned char)s[0]), '0', '0', '0'};
    int k = 1;
    char last = codes[toupper((unsigned char)s[0]) - 'A'];
    for (int32_t i = 1; i < n && k < 4; i++) {
        unsigned char c = (unsigned char)toupper((unsigned char)s[i]);
        if (c < 'A' || c > 'Z') {
            last = '0';
            continue;
        }
        char code = codes[c - 'A'];
        if (c == 'H' || c == 'W')
            continue;
        if (code != '0' && code != last)
            r[k++] = code;
        last = code;
    }
    return fn_out_str(ec, out, r, 4);
}

static lm_status resolve_levenshtein(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK ||
        (call->nargs == 3 && expect_int(rc, call, 2, err) != LM_OK))
        return LM_ERROR;
    return result(rc, call, lm_type_int(), err);
}

static lm_status eval_levenshtein(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                  lm_value *out)
{
    uint32_t *x = fn_alloc(ec, sizeof(uint32_t) * ((size_t)SL(a[0]) + 1));
    uint32_t *y = fn_alloc(ec, sizeof(uint32_t) * ((size_t)SL(a[1]) + 1));
    if (x == NULL || y == NULL)
        return LM_ENOMEM;
    int nx = 0, ny = 0;
    for (int32_t i = 0; i < SL(a[0]);)
        i += fn_utf8_decode(SP(a[0]) + i, SL(a[0]) - i, &x[nx++]);
    for (int32_t i = 0; i < SL(a[1]);)
        i += fn_utf8_decode(SP(a[1]) + i, SL(a[1]) - i, &y[ny++]);
    int *prev = fn_alloc(ec, sizeof(int) * (size_t)(ny + 1));
    int *cur = fn_alloc(ec, sizeof(int) * (size_t)(ny + 1));
    if (prev == NULL || cur == NULL)
        return LM_ENOMEM;
    for (int j = 0; j <= ny; j++)
        prev[j] = j;
    for (int i = 1; i <= nx; i++) {
        cur[0] = i;
        for (int j = 1; j <= ny; j++) {
            int c = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            if (prev[j] + 1 < c)
                c = prev[j] + 1;
            if (cur[j - 1] + 1 < c)
                c = cur[j - 1] + 1;
            cur[j] = c;
        }
        int *t = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[ny];
    if (call->nargs == 3 && d > a[2].u.i64)
        d = -1;
    *out = lm_value_i64(d);
    return LM_OK;
}

/* overlay(input PLACING replace FROM pos [FOR len]) */
static lm_status resolve_overlay(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 3 && add_arg(rc, call, int_literal(rc, -1), err) != LM_OK)
        return LM_ERROR;
    const lm_type *t = str_or_binary(rc, call, 0, 2, true, err);
    if (t == NULL || expect_int(rc, call, 2, err) != LM_OK || expect_int(rc, call, 3, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, t, err);
}

static lm_status eval_overlay(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    bool bytes = call->type->id == LM_TYPE_BINARY;
    int64_t pos = a[2].u.i64, len = a[3].u.i64;
    int32_t rlen = bytes ? SL(a[1]) : fn_utf8_len(SP(a[1]), SL(a[1]));
    if (len < 0)
        len = rlen;
    lm_value head, tail;
    substr_value(ec, bytes, &a[0], 1, pos - 1, &head);
    substr_value(ec, bytes, &a[0], pos + len, INT32_MAX, &tail);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    lm_strbuf_append(&sb, SP(head), (size_t)SL(head));
    lm_strbuf_append(&sb, SP(a[1]), (size_t)SL(a[1]));
    lm_strbuf_append(&sb, SP(tail), (size_t)SL(tail));
    return fn_out_sb(ec, out, &sb);
}

/* elt(n, a, b, ...) */
static lm_status resolve_elt(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_int(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    /* spark.sql.function.eltOutputAsString: binary inputs give a string */
    const lm_type *t = str_or_binary(rc, call, 1, call->nargs,
                                     !conf_on(rc, "spark.sql.function.eltOutputAsString"), err);
    if (t == NULL)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(t), true, err);
}

static lm_status eval_elt(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    if (a[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    int64_t i = a[0].u.i64;
    if (i < 1 || i >= call->nargs) {
        if (ec->ansi) {
            lm_eval_error(ec, "org.apache.spark.SparkArrayIndexOutOfBoundsException",
                          "INVALID_ARRAY_INDEX", "22003",
                          "[INVALID_ARRAY_INDEX] The index %lld is out of bounds. The array has "
                          "%d elements.",
                          (long long)i, call->nargs - 1);
            return LM_ERROR;
        }
        *out = lm_value_null();
        return LM_OK;
    }
    *out = a[i];
    return LM_OK;
}

static lm_status eval_find_in_set(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                  lm_value *out)
{
    const char *s = SP(a[0]), *l = SP(a[1]);
    int32_t n = SL(a[0]), ln = SL(a[1]);
    if (memchr(s, ',', (size_t)n)) {
        *out = lm_value_i64(0);
        return LM_OK;
    }
    int idx = 1;
    int32_t b = 0;
    for (int32_t i = 0; i <= ln; i++) {
        if (i == ln || l[i] == ',') {
            if (i - b == n && memcmp(l + b, s, (size_t)n) == 0) {
                *out = lm_value_i64(idx);
                return LM_OK;
            }
            idx++;
            b = i + 1;
        }
    }
    *out = lm_value_i64(0);
    return LM_OK;
}

static lm_status resolve_str2_int(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_int(), err);
}

static lm_status resolve_substring_index(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK || expect_str(rc, call, 1, err) != LM_OK ||
        expect_int(rc, call, 2, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_string(), err);
}

/* luhn_check(str) */
static lm_status resolve_luhn(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return result(rc, call, lm_type_boolean(), err);
}

static lm_status eval_luhn(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]);
    if (n == 0) {
        *out = lm_value_bool(false);
        return LM_OK;
    }
    int sum = 0;
    bool dbl = false;
    for (int32_t i = n - 1; i >= 0; i--) {
        if (s[i] < '0' || s[i] > '9') {
            *out = lm_value_bool(false);
            return LM_OK;
        }
        int d = s[i] - '0';
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    *out = lm_value_bool(sum % 10 == 0);
    return LM_OK;
}

/* mask(str[, upper, lower, digit, other]) */
static lm_status resolve_mask(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    static const char *defaults[] = {"X", "x", "n"};
    while (call->nargs < 4)
        if (add_arg(rc, call, str_literal(rc, defaults[call->nargs - 1]), err) != LM_OK)
            return LM_ERROR;
    if (call->nargs < 5) {
        lm_expr *n = lm_arena_calloc(rc->a, 1, sizeof *n);
        if (n == NULL)
            return fn_oom(err);
        n->kind = LM_EXPR_LITERAL;
        n->start = n->stop = -1;
        n->type = lm_type_string();
        n->value = lm_value_null();
        n->resolved = true;
        n->nullable = true;
        if (add_arg(rc, call, n, err) != LM_OK)
            return LM_ERROR;
    }
    for (int i = 0; i < 5; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), call->args[0]->nullable, err);
}

static lm_status eval_mask(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    if (a[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    for (int32_t i = 0; i < SL(a[0]);) {
        uint32_t c;
        int k = fn_utf8_decode(SP(a[0]) + i, SL(a[0]) - i, &c);
        const lm_value *rep = NULL;
        if (c >= 'A' && c <= 'Z')
            rep = &a[1];
        else if (c >= 'a' && c <= 'z')
            rep = &a[2];
        else if (c >= '0' && c <= '9')
            rep = &a[3];
        else
            rep = &a[4];
        if (rep->is_null)
            lm_strbuf_append(&sb, SP(a[0]) + i, (size_t)k);
        else {
            int32_t rk = SL(*rep) > 0 ? fn_utf8_char_len((unsigned char)SP(*rep)[0]) : 0;
            lm_strbuf_append(&sb, SP(*rep), (size_t)rk);
        }
        i += k;
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------ format_number */

static lm_status resolve_format_number(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (!lm_type_is_numeric(call->args[0]->type) &&
        fn_expect(rc, call, 0, lm_type_double(), "\"NUMERIC\"", err) != LM_OK)
        return LM_ERROR;
    if (call->args[1]->type->id != LM_TYPE_STRING && expect_int(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), true, err);
}

static lm_status eval_format_number(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                    lm_value *out)
{
    if (call->args[1]->type->id == LM_TYPE_STRING) {
        *out = lm_value_null(); /* custom DecimalFormat patterns are not supported */
        return LM_OK;
    }
    int64_t d = a[1].u.i64;
    if (d < 0) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (d > 30)
        d = 30;
    const lm_type *t = call->args[0]->type;
    /* DecimalFormat rounds HALF_EVEN on the exact decimal value */
    char digits[FN_DEC_BUF];
    lm_int128 v;
    int scale;
    if (t->id == LM_TYPE_DECIMAL) {
        v = a[0].u.dec;
        scale = t->scale;
    } else if (lm_type_is_integral(t)) {
        v = a[0].u.i64;
        scale = 0;
    } else {
        double x = fn_to_double(t, &a[0]);
        if (isnan(x) || isinf(x)) {
            const char *s = isnan(x) ? "NaN" : x > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";
            return fn_out_str(ec, out, s, strlen(s));
        }
        char b[LM_NUMFMT_BUFSZ];
        lm_format_double(b, x);
        /* plain digits of the double */
        if (!fn_dec_parse(b, strlen(b), &v, &scale)) {
            *out = lm_value_null();
            return LM_OK;
        }
    }
    lm_int128 r;
    if (!fn_dec_rescale(v, scale, (int)d, FN_ROUND_HALF_EVEN, &r)) {
        *out = lm_value_null();
        return LM_OK;
    }
    fn_dec_format(digits, r < 0 ? -r : r, (int)d);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (r < 0)
        lm_strbuf_putc(&sb, '-');
    const char *dot = strchr(digits, '.');
    int ilen = dot ? (int)(dot - digits) : (int)strlen(digits);
    for (int i = 0; i < ilen; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            lm_strbuf_putc(&sb, ',');
        lm_strbuf_putc(&sb, digits[i]);
    }
    if (dot)
        lm_strbuf_puts(&sb, dot);
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------ format_string */

static lm_status resolve_format_string(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_str(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), call->args[0]->nullable, err);
}

static void put_padded(lm_strbuf *sb, const char *s, int width, bool left, char pad)
{
    int n = (int)strlen(s);
    if (!left && pad == '0' && (s[0] == '-' || s[0] == '+') && width > n) {
        lm_strbuf_putc(sb, s[0]);
        lm_strbuf_repeat(sb, '0', (size_t)(width - n));
        lm_strbuf_puts(sb, s + 1);
        return;
    }
    if (!left && width > n)
        lm_strbuf_repeat(sb, pad, (size_t)(width - n));
    lm_strbuf_puts(sb, s);
    if (left && width > n)
        lm_strbuf_repeat(sb, ' ', (size_t)(width - n));
}

static void group_thousands(char *buf)
{
    char tmp[128];
    char *p = buf;
    if (*p == '-' || *p == '+')
        p++;
    char *dot = strchr(p, '.');
    int ilen = dot ? (int)(dot - p) : (int)strlen(p);
    int j = 0;
    for (int i = 0; i < ilen; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            tmp[j++] = ',';
        tmp[j++] = p[i];
    }
    tmp[j] = 0;
    if (dot)
        strncat(tmp, dot, sizeof tmp - strlen(tmp) - 1);
    memcpy(p, tmp, strlen(tmp) + 1);
}

/* A Java Formatter subset: %[index$][flags][width][.precision]conversion
   for s S d x X o f e E c b B h % n. */
static lm_status eval_format_string(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                    lm_value *out)
{
    if (a[0].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    const char *f = SP(a[0]);
    int32_t n = SL(a[0]);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    int next = 1;
    for (int32_t i = 0; i < n; i++) {
        if (f[i] != '%') {
            lm_strbuf_putc(&sb, f[i]);
            continue;
        }
        int32_t j = i + 1;
        int index = 0;
        int32_t k = j;
        while (k < n && isdigit((unsigned char)f[k]))
            k++;
        if (k < n && f[k] == '$' && k > j) {
            index = atoi(f + j);
            j = k + 1;
        }
        bool left = false, plus = false, zero = false, comma = false, space = false;
        for (; j < n && strchr("-+0, #(", f[j]); j++) {
            if (f[j] == '-')
                left = true;
            else if (f[j] == '+')
                plus = true;
            else if (f[j] == '0')
                zero = true;
            else if (f[j] == ',')
                comma = true;
            else if (f[j] == ' ')
                space = true;
        }
        int width = 0, prec = -1;
        while (j < n && isdigit((unsigned char)f[j]))
            width = width * 10 + (f[j++] - '0');
        if (j < n && f[j] == '.') {
            prec = 0;
            j++;
            while (j < n && isdigit((unsigned char)f[j]))
                prec = prec * 10 + (f[j++] - '0');
        }
        if (j >= n)
            break;
        char conv = f[j];
        i = j;
        if (conv == '%') {
            lm_strbuf_putc(&sb, '%');
            continue;
        }
        if (conv == 'n') {
            lm_strbuf_putc(&sb, '\n');
            continue;
        }
        int ai = index ? index : next++;
        const lm_value *v = ai < call->nargs ? &a[ai] : NULL;
        const lm_type *t = ai < call->nargs ? call->args[ai]->type : lm_type_null();
        char buf[512];
        buf[0] = 0;
        bool upper = isupper((unsigned char)conv) != 0;
        switch (tolower((unsigned char)conv)) {
        case 's':
        case 'b': {
            lm_strbuf tmp;
            lm_strbuf_init(&tmp);
            if (v == NULL || v->is_null)
                lm_strbuf_puts(&tmp, tolower((unsigned char)conv) == 'b' ? "false" : "null");
            else if (tolower((unsigned char)conv) == 'b')
                lm_strbuf_puts(&tmp, t->id == LM_TYPE_BOOLEAN ? (v->u.b ? "true" : "false") : "true");
            else
                fn_append_as_string(&tmp, t, v, ec->tz, false);
            snprintf(buf, sizeof buf, "%s", lm_strbuf_cstr(&tmp));
            lm_strbuf_free(&tmp);
            if (prec >= 0 && (int)strlen(buf) > prec)
                buf[prec] = 0;
            break;
        }
        case 'd':
        case 'x':
        case 'o': {
            if (v == NULL || v->is_null) {
                snprintf(buf, sizeof buf, "null");
                break;
            }
            long long x = lm_type_is_integral(t) ? (long long)v->u.i64 : (long long)fn_to_double(t, v);
            char c = (char)tolower((unsigned char)conv);
            if (c == 'd') {
                snprintf(buf, sizeof buf, plus ? "%+lld" : space ? "% lld" : "%lld", x);
                if (comma)
                    group_thousands(buf);
            } else {
                unsigned long long ux = (unsigned long long)x;
                if (x < 0 && t->id == LM_TYPE_INT)
                    ux &= 0xFFFFFFFFull;
                snprintf(buf, sizeof buf, c == 'x' ? (upper ? "%llX" : "%llx") : "%llo", ux);
            }
            break;
        }
        case 'f':
        case 'e': {
            if (v == NULL || v->is_null) {
                snprintf(buf, sizeof buf, "null");
                break;
            }
            double x = fn_to_double(t, v);
            char fmtb[16];
            snprintf(fmtb, sizeof fmtb, "%%%s.%d%c", plus ? "+" : space ? " " : "",
                     prec < 0 ? 6 : prec, tolower((unsigned char)conv) == 'f' ? 'f' : (upper ? 'E' : 'e'));
            snprintf(buf, sizeof buf, fmtb, x);
            if (comma)
                group_thousands(buf);
            break;
        }
        case 'c': {
            if (v == NULL || v->is_null) {
                snprintf(buf, sizeof buf, "null");
                break;
            }
            if (t->id == LM_TYPE_STRING)
                snprintf(buf, sizeof buf, "%.*s", SL(*v) > 4 ? 4 : SL(*v), SP(*v));
            else {
                int k2 = fn_utf8_encode((uint32_t)v->u.i64, buf);
                buf[k2] = 0;
            }
            break;
        }
        default:
            snprintf(buf, sizeof buf, "%%%c", conv);
            break;
        }
        if (upper && conv != 'X' && conv != 'E')
            for (char *p = buf; *p; p++)
                *p = (char)toupper((unsigned char)*p);
        put_padded(&sb, buf, width, left, zero ? '0' : ' ');
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------------ URLs */

static lm_status resolve_url(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (expect_str(rc, call, i, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), true, err);
}

static lm_status eval_url_encode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    static const char H[] = "0123456789ABCDEF";
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    for (int32_t i = 0; i < SL(a[0]); i++) {
        unsigned char c = (unsigned char)SP(a[0])[i];
        if (isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_')
            lm_strbuf_putc(&sb, (char)c);
        else if (c == ' ')
            lm_strbuf_putc(&sb, '+');
        else {
            lm_strbuf_putc(&sb, '%');
            lm_strbuf_putc(&sb, H[c >> 4]);
            lm_strbuf_putc(&sb, H[c & 15]);
        }
    }
    return fn_out_sb(ec, out, &sb);
}

static lm_status eval_url_decode(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    const char *s = SP(a[0]);
    int32_t n = SL(a[0]);
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '+')
            lm_strbuf_putc(&sb, ' ');
        else if (s[i] == '%') {
            if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2])) {
                lm_strbuf_free(&sb);
                char *v = lm_arena_strndup(ec->arena, s, (size_t)n);
                lm_eval_error(ec, "org.apache.spark.SparkIllegalArgumentException",
                              "CANNOT_DECODE_URL", "22546",
                              "[CANNOT_DECODE_URL] The provided URL cannot be decoded: %s. Please "
                              "ensure that the URL is properly formatted and try again.",
                              v ? v : "");
                lm_error_param_add(ec->err, "url", v ? v : "");
                return LM_ERROR;
            }
            char hx[3] = {s[i + 1], s[i + 2], 0};
            lm_strbuf_putc(&sb, (char)strtol(hx, NULL, 16));
            i += 2;
        } else
            lm_strbuf_putc(&sb, s[i]);
    }
    return fn_out_sb(ec, out, &sb);
}

/* parse_url(url, part[, key]) with java.net.URI's split of the parts. */
static lm_status eval_parse_url(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    *out = lm_value_null();
    for (int i = 0; i < call->nargs; i++)
        if (a[i].is_null)
            return LM_OK;
    const char *u = SP(a[0]);
    int32_t n = SL(a[0]);
    char part[16];
    int pl = SL(a[1]) < 15 ? SL(a[1]) : 15;
    memcpy(part, SP(a[1]), (size_t)pl);
    part[pl] = 0;
    /* reject spaces and other illegal characters as URI does */
    for (int32_t i = 0; i < n; i++)
        if (u[i] == ' ' || u[i] == '"' || u[i] == '<' || u[i] == '>' || u[i] == '\\' || u[i] == '^' ||
            u[i] == '`' || u[i] == '{' || u[i] == '|' || u[i] == '}') {
            if (ec->ansi) {
                char *v = lm_arena_strndup(ec->arena, u, (size_t)n);
                lm_eval_error(ec, "org.apache.spark.SparkIllegalArgumentException", "INVALID_URL",
                              "22P02",
                              "[INVALID_URL] The url is invalid: %s. If necessary set "
                              "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                              v ? v : "");
                return LM_ERROR;
            }
            return LM_OK;
        }
    int32_t i = 0, scheme_end = -1;
    for (; i < n && u[i] != ':' && u[i] != '/' && u[i] != '?' && u[i] != '#'; i++)
        ;
    if (i < n && u[i] == ':' && i > 0)
        scheme_end = i;
    int32_t p = scheme_end >= 0 ? scheme_end + 1 : 0;
    int32_t frag = -1, query = -1;
    for (int32_t k = p; k < n; k++)
        if (u[k] == '#') {
            frag = k;
            break;
        }
    int32_t end = frag >= 0 ? frag : n;
    for (int32_t k = p; k < end; k++)
        if (u[k] == '?') {
            query = k;
            break;
        }
    int32_t path_end = query >= 0 ? query : end;
    int32_t auth_b = -1, auth_e = -1, path_b = p;
    if (p + 1 < n && u[p] == '/' && u[p + 1] == '/') {
        auth_b = p + 2;
        auth_e = auth_b;
        while (auth_e < path_end && u[auth_e] != '/')
            auth_e++;
        path_b = auth_e;
    }
    const char *r = NULL;
    int32_t rl = 0;
    if (strcmp(part, "PROTOCOL") == 0 && scheme_end >= 0) {
        r = u;
        rl = scheme_end;
    } else if (strcmp(part, "HOST") == 0 && auth_b >= 0) {
        int32_t hb = auth_b, he = auth_e;
        for (int32_t k = auth_b; k < auth_e; k++)
            if (u[k] == '@')
                hb = k + 1;
        for (int32_t k = hb; k < he; k++)
            if (u[k] == ':') {
                he = k;
                break;
            }
        r = u + hb;
        rl = he - hb;
    } else if (strcmp(part, "PATH") == 0) {
        r = u + path_b;
        rl = path_end - path_b;
    } else if (strcmp(part, "QUERY") == 0 && query >= 0) {
        r = u + query + 1;
        rl = end - query - 1;
        if (call->nargs == 3) {
            const char *key = SP(a[2]);
            int32_t kl = SL(a[2]);
            int32_t b = 0;
            for (int32_t k = 0; k <= rl; k++) {
                if (k == rl || r[k] == '&') {
                    if (k - b > kl && memcmp(r + b, key, (size_t)kl) == 0 && r[b + kl] == '=')
                        return fn_out_str(ec, out, r + b + kl + 1, (size_t)(k - b - kl - 1));
                    b = k + 1;
                }
            }
            return LM_OK;
        }
    } else if (strcmp(part, "REF") == 0 && frag >= 0) {
        r = u + frag + 1;
        rl = n - frag - 1;
    } else if (strcmp(part, "FILE") == 0) {
        r = u + path_b;
        rl = end - path_b;
    } else if (strcmp(part, "AUTHORITY") == 0 && auth_b >= 0) {
        r = u + auth_b;
        rl = auth_e - auth_b;
    } else if (strcmp(part, "USERINFO") == 0 && auth_b >= 0) {
        for (int32_t k = auth_b; k < auth_e; k++)
            if (u[k] == '@') {
                r = u + auth_b;
                rl = k - auth_b;
            }
    }
    if (r == NULL || (call->nargs == 3))
        return LM_OK;
    if (rl == 0 && strcmp(part, "PATH") != 0 && strcmp(part, "FILE") != 0)
        return LM_OK;
    return fn_out_str(ec, out, r, (size_t)rl);
}

/* ------------------------------------------------------------ table */

#define FN(nm, mn, mx, fl, res, ev) \
    {.name = nm, .min_args = mn, .max_args = mx, .flags = fl, .resolve = res, .eval = ev, \
     .pretty = nm}

static const lm_func_def k_defs[] = {
    FN("concat", 0, -1, NI, resolve_concat, eval_concat),
    {.name = "||", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_concat,
     .eval = eval_concat, .pretty = "concat"},
    {.name = "concat_ws", .min_args = 1, .max_args = -1, .resolve = resolve_concat_ws,
     .eval = eval_concat_ws, .pretty = "concat_ws"},
    FN("length", 1, 1, NI, resolve_length, eval_length),
    FN("char_length", 1, 1, NI, resolve_length, eval_length),
    FN("character_length", 1, 1, NI, resolve_length, eval_length),
    FN("len", 1, 1, NI, resolve_length, eval_length),
    FN("octet_length", 1, 1, NI, resolve_length, eval_length),
    FN("bit_length", 1, 1, NI, resolve_length, eval_length),
    FN("lower", 1, 1, NI, resolve_str1, eval_lower),
    FN("lcase", 1, 1, NI, resolve_str1, eval_lower),
    FN("upper", 1, 1, NI, resolve_str1, eval_upper),
    FN("ucase", 1, 1, NI, resolve_str1, eval_upper),
    FN("initcap", 1, 1, NI, resolve_str1, eval_initcap),
    {.name = "trim", .min_args = 1, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_trim, .eval = eval_trim, .sql = sql_trim},
    {.name = "ltrim", .min_args = 1, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_trim, .eval = eval_trim, .sql = sql_trim},
    {.name = "rtrim", .min_args = 1, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_trim, .eval = eval_trim, .sql = sql_trim},
    FN("btrim", 1, 2, NI, resolve_btrim, eval_btrim),
    FN("lpad", 2, 3, NI, resolve_pad, eval_pad),
    FN("rpad", 2, 3, NI, resolve_pad, eval_pad),
    FN("repeat", 2, 2, NI, resolve_repeat, eval_repeat),
    FN("space", 1, 1, NI, resolve_space, eval_space),
    FN("reverse", 1, 1, NI, resolve_reverse, eval_reverse),
    FN("substring", 2, 3, NI, resolve_substring, eval_substring),
    FN("substr", 2, 3, NI, resolve_substring, eval_substring),
    FN("left", 2, 2, NI, resolve_left_right, eval_left),
    FN("right", 2, 2, NI, resolve_left_right, eval_right),
    FN("instr", 2, 2, NI, resolve_instr, eval_instr),
    FN("locate", 2, 3, 0, resolve_locate, eval_locate),
    FN("position", 2, 3, 0, resolve_locate, eval_locate),
    FN("replace", 2, 3, NI, resolve_replace, eval_replace),
    FN("translate", 3, 3, NI, resolve_translate, eval_translate),
    FN("split_part", 3, 3, NI, resolve_split_part, eval_split_part),
    FN("substring_index", 3, 3, NI, resolve_substring_index, eval_substring_index),
    FN("contains", 2, 2, NI, resolve_contains, eval_contains),
    FN("startswith", 2, 2, NI, resolve_contains, eval_contains),
    FN("endswith", 2, 2, NI, resolve_contains, eval_contains),
    FN("ascii", 1, 1, NI, resolve_ascii, eval_ascii),
    FN("chr", 1, 1, NI, resolve_chr, eval_chr),
    FN("char", 1, 1, NI, resolve_chr, eval_chr),
    FN("base64", 1, 1, NI, resolve_base64, eval_base64),
    FN("unbase64", 1, 1, NI, resolve_unbase64, eval_unbase64),
    FN("encode", 2, 2, NI, resolve_encode, eval_encode),
    FN("decode", 2, -1, 0, resolve_decode, eval_decode),
    FN("to_binary", 1, 2, 0, resolve_to_binary, eval_to_binary),
    FN("try_to_binary", 1, 2, 0, resolve_to_binary, eval_to_binary),
    FN("soundex", 1, 1, NI, resolve_str1, eval_soundex),
    FN("levenshtein", 2, 3, NI, resolve_levenshtein, eval_levenshtein),
    FN("overlay", 3, 4, NI, resolve_overlay, eval_overlay),
    FN("elt", 2, -1, 0, resolve_elt, eval_elt),
    FN("find_in_set", 2, 2, NI, resolve_str2_int, eval_find_in_set),
    FN("luhn_check", 1, 1, NI, resolve_luhn, eval_luhn),
    FN("mask", 1, 5, 0, resolve_mask, eval_mask),
    FN("format_number", 2, 2, NI, resolve_format_number, eval_format_number),
    FN("format_string", 1, -1, 0, resolve_format_string, eval_format_string),
    FN("printf", 1, -1, 0, resolve_format_string, eval_format_string),
    FN("url_encode", 1, 1, NI, resolve_url, eval_url_encode),
    FN("url_decode", 1, 1, NI, resolve_url, eval_url_decode),
    FN("parse_url", 2, 3, 0, resolve_url, eval_parse_url),
};

const lm_func_table lm_funcs_string = {k_defs, sizeof k_defs / sizeof k_defs[0]};
