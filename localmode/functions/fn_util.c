/*
 * Shared helpers of the function families (see fn_util.h).
 */
#include "functions/fn_util.h"

#include <stdio.h>
#include <string.h>

#include "functions/decimal_ops.h"
#include "session/session.h"

lm_status fn_oom(lm_error *err)
{
    return lm_error_oom(err);
}

lm_status fn_set_result(lm_resolve_ctx *rc, lm_expr *call, lm_type *t, bool nullable,
                        lm_error *err)
{
    if (t == NULL)
        return fn_oom(err);
    call->type = lm_arena_keep_type(rc->a, t);
    if (call->type == NULL)
        return fn_oom(err);
    call->nullable = nullable;
    return LM_OK;
}

bool fn_args_nullable(const lm_expr *call)
{
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->nullable)
            return true;
    return false;
}

static bool is_datetime_id(lm_type_id id)
{
    return id == LM_TYPE_DATE || id == LM_TYPE_TIMESTAMP || id == LM_TYPE_TIMESTAMP_NTZ;
}

bool fn_implicit_ok(const lm_type *from, const lm_type *to)
{
    if (lm_type_same_ignoring_nullable(from, to))
        return true;
    if (from->id == LM_TYPE_NULL)
        return true;
    bool from_atomic = !lm_type_is_complex(from);
    if (lm_type_is_numeric(from) && lm_type_is_numeric(to))
        return true;
    if (from->id == LM_TYPE_STRING) {
        if (lm_type_is_numeric(to) || is_datetime_id(to->id) || to->id == LM_TYPE_BINARY)
            return true;
        if (to->id == LM_TYPE_INTERVAL || to->id == LM_TYPE_DT_INTERVAL ||
            to->id == LM_TYPE_YM_INTERVAL)
            return false;
    }
    if (from->id == LM_TYPE_DATE && (to->id == LM_TYPE_TIMESTAMP || to->id == LM_TYPE_TIMESTAMP_NTZ))
        return true;
    if ((from->id == LM_TYPE_TIMESTAMP || from->id == LM_TYPE_TIMESTAMP_NTZ) &&
        (to->id == LM_TYPE_DATE || to->id == LM_TYPE_TIMESTAMP || to->id == LM_TYPE_TIMESTAMP_NTZ))
        return true;
    if (to->id == LM_TYPE_STRING && from_atomic && from->id != LM_TYPE_STRING)
        return true;
    /* arrays cast element-wise when the elements can */
    if (from->id == LM_TYPE_ARRAY && to->id == LM_TYPE_ARRAY)
        return fn_implicit_ok(from->elem, to->elem);
    return false;
}

const char *fn_type_q(lm_resolve_ctx *rc, const lm_type *t)
{
    char *s = lm_coerce_quote_type(rc, t);
    return s ? s : "";
}

lm_status fn_cast_arg(lm_resolve_ctx *rc, lm_expr *call, int i, const lm_type *to, lm_error *err)
{
    lm_expr *c = lm_coerce_to(rc, call->args[i], to);
    if (c == NULL)
        return fn_oom(err);
    call->args[i] = c;
    return LM_OK;
}

lm_status fn_expect(lm_resolve_ctx *rc, lm_expr *call, int i, const lm_type *to,
                    const char *required, lm_error *err)
{
    if (!fn_implicit_ok(call->args[i]->type, to))
        return lm_coerce_unexpected_input(rc, call, i, required ? required : fn_type_q(rc, to),
                                          err);
    return fn_cast_arg(rc, call, i, to, err);
}

bool fn_is_literal(const lm_expr *e)
{
    while (e->kind == LM_EXPR_CAST || e->kind == LM_EXPR_ALIAS)
        e = e->args[0];
    return e->kind == LM_EXPR_LITERAL;
}

/* Spark's Expression.foldable: built from literals by deterministic scalar
   functions, reading no column, outer reference, lambda variable or
   subquery. `concat('utf', '-8')` is foldable; `rand()` is not. */
bool fn_is_foldable(const lm_expr *e)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        return true;
    case LM_EXPR_BOUND:
    case LM_EXPR_OUTER:
    case LM_EXPR_COLUMN:
    case LM_EXPR_STAR:
    case LM_EXPR_LAMBDA:
    case LM_EXPR_LAMBDA_VAR:
    case LM_EXPR_SCALAR_SUBQUERY:
    case LM_EXPR_EXISTS:
    case LM_EXPR_IN_SUBQUERY:
    case LM_EXPR_GROUPING_ID:
        return false;
    case LM_EXPR_CALL:
        if (e->fn == NULL || e->fn->kind != LM_FN_SCALAR ||
            (e->fn->flags & (LM_FN_NONDETERMINISTIC | LM_FN_HIGHER_ORDER)) || e->window)
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < e->nargs; i++)
        if (!fn_is_foldable(e->args[i]))
            return false;
    return true;
}

bool fn_const_value(lm_resolve_ctx *rc, const lm_expr *e, lm_value *out)
{
    if (!fn_is_foldable(e))
        return false;
    lm_error err;
    lm_error_init(&err);
    lm_eval_ctx ec;
    memset(&ec, 0, sizeof ec);
    ec.arena = rc->a;
    ec.err = &err;
    ec.ansi = rc->ansi;
    /* a folded cast of a timestamp to a string reads the session zone */
    ec.session = rc->s;
    ec.tz = rc->s ? rc->s->tz : NULL;
    lm_value v;
    lm_status st = lm_eval_constant(&ec, e, &v);
    lm_error_clear(&err);
    if (st != LM_OK)
        return false;
    if (out)
        *out = v;
    return true;
}

void *fn_alloc(lm_eval_ctx *ec, size_t n)
{
    void *p = lm_arena_alloc(ec->arena, n ? n : 1);
    if (p == NULL)
        lm_error_oom(ec->err);
    return p;
}

lm_value *fn_values(lm_eval_ctx *ec, size_t n)
{
    return fn_alloc(ec, sizeof(lm_value) * (n ? n : 1));
}

lm_status fn_out_str(lm_eval_ctx *ec, lm_value *out, const char *p, size_t n)
{
    char *d = fn_alloc(ec, n + 1);
    if (d == NULL)
        return LM_ENOMEM;
    if (n)
        memcpy(d, p, n);
    d[n] = 0;
    *out = lm_value_str(d, (int32_t)n);
    return LM_OK;
}

lm_status fn_out_sb(lm_eval_ctx *ec, lm_value *out, lm_strbuf *sb)
{
    if (!lm_strbuf_ok(sb)) {
        lm_strbuf_free(sb);
        return lm_error_oom(ec->err);
    }
    lm_status st = fn_out_str(ec, out, sb->data ? sb->data : "", sb->len);
    lm_strbuf_free(sb);
    return st;
}

lm_status fn_out_array(lm_eval_ctx *ec, lm_value *out, lm_value *elems, int32_t n)
{
    lm_array_value *a = fn_alloc(ec, sizeof *a);
    if (a == NULL)
        return LM_ENOMEM;
    a->n = n;
    a->elems = elems;
    *out = lm_value_null();
    out->is_null = false;
    out->u.arr = a;
    return LM_OK;
}

lm_status fn_overflow_error(lm_eval_ctx *ec, const char *message, const char *hint)
{
    lm_eval_error(ec, LM_EXC_ARITH, "ARITHMETIC_OVERFLOW", "22003",
                  "[ARITHMETIC_OVERFLOW] %s.%s%s If necessary set \"spark.sql.ansi.enabled\" to "
                  "\"false\" to bypass this error.",
                  message, hint ? " " : "", hint ? hint : "");
    lm_error_param_add(ec->err, "message", message);
    lm_error_param_add(ec->err, "alternative", hint ? hint : "");
    lm_error_param_add(ec->err, "config", "\"spark.sql.ansi.enabled\"");
    return LM_ERROR;
}

lm_status fn_divide_by_zero(lm_eval_ctx *ec)
{
    lm_eval_error(ec, LM_EXC_ARITH, "DIVIDE_BY_ZERO", "22012",
                  "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 "
                  "and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to "
                  "\"false\" to bypass this error.");
    lm_error_param_add(ec->err, "config", "\"spark.sql.ansi.enabled\"");
    return LM_ERROR;
}




double fn_to_double(const lm_type *t, const lm_value *v)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN: return v->u.b ? 1.0 : 0.0;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: return (double)v->u.i64;
    case LM_TYPE_FLOAT: return (double)v->u.f32;
    case LM_TYPE_DOUBLE: return v->u.f64;
    case LM_TYPE_DECIMAL: return fn_dec_to_double(v->u.dec, t->scale);
    default: return 0.0;
    }
}

int fn_utf8_char_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

int32_t fn_utf8_len(const char *s, int32_t n)
{
    int32_t count = 0;
    for (int32_t i = 0; i < n; i += fn_utf8_char_len((unsigned char)s[i]))
        count++;
    return count;
}

int32_t fn_utf8_offset(const char *s, int32_t n, int32_t cp)
{
    int32_t i = 0;
    while (cp > 0 && i < n) {
        i += fn_utf8_char_len((unsigned char)s[i]);
        cp--;
    }
    return i > n ? n : i;
}

int fn_utf8_decode(const char *s, int32_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int len = fn_utf8_char_len(u[0]);
    if (len > n)
        len = n;
    uint32_t c;
    switch (len) {
    case 1: c = u[0]; break;
    case 2: c = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F); break;
    case 3: c = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F); break;
    default:
        c = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
            ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
        break;
    }
    *cp = c;
    return len;
}

int fn_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
