/*
 * Operators: arithmetic (+ - * / % div, unary - and +), comparisons,
 * boolean logic, NULL tests and bitwise operators.
 *
 * Coercion follows Spark 3.5's non-ANSI rules for BinaryArithmetic:
 * strings become DOUBLE (PromoteStrings), decimals follow DecimalPrecision
 * (integral literals take their minimal precision), other numbers meet at
 * their tightest common type; `/` is always DOUBLE or DECIMAL and `div`
 * BIGINT. Date and timestamp arithmetic (date + int, date - date,
 * timestamp - timestamp, +/- intervals) resolves as Spark's
 * ResolveBinaryArithmetic rewrites it, while the column name keeps the
 * operator form as written. Integral overflow wraps in non-ANSI mode and
 * raises ARITHMETIC_OVERFLOW under ANSI; division by zero gives NULL or
 * DIVIDE_BY_ZERO.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "expr/cast.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "types/datetime.h"

/* ------------------------------------------------------------ helpers */

enum arith_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_IDIV, OP_PMOD };

static enum arith_op op_of(const lm_expr *call)
{
    const char *n = call->fn->name;
    switch (n[0]) {
    case '+': return OP_ADD;
    case '-': return OP_SUB;
    case '*': return OP_MUL;
    case '/': return OP_DIV;
    case '%': return OP_REM;
    case 'd': return OP_IDIV;
    case 'm': return OP_REM; /* mod */
    case 'p': return OP_PMOD;
    default: return OP_ADD;
    }
}

static const char *try_hint(enum arith_op op)
{
    switch (op) {
    case OP_ADD: return "Use 'try_add' to tolerate overflow and return NULL instead.";
    case OP_SUB: return "Use 'try_subtract' to tolerate overflow and return NULL instead.";
    case OP_MUL: return "Use 'try_multiply' to tolerate overflow and return NULL instead.";
    case OP_DIV:
    case OP_IDIV: return "Use 'try_divide' to tolerate overflow and return NULL instead.";
    default: return NULL;
    }
}

static bool is_ansi_interval(const lm_type *t)
{
    return t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL;
}

static bool is_any_interval(const lm_type *t)
{
    return is_ansi_interval(t) || t->id == LM_TYPE_INTERVAL;
}

/* DecimalType.fromLiteral for an integral literal, forType otherwise. */
static lm_type *decimal_for_operand(lm_resolve_ctx *rc, const lm_expr *e)
{
    lm_value v;
    if (lm_type_is_integral(e->type) && e->kind == LM_EXPR_LITERAL && fn_const_value(rc, e, &v) &&
        !v.is_null) {
        return lm_type_decimal(fn_dec_digits(v.u.i64), 0);
    }
    return lm_decimal_for(e->type);
}

static lm_status binop_diff_types(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *l = fn_type_q(rc, call->args[0]->type);
    const char *r = fn_type_q(rc, call->args[1]->type);
    lm_coerce_mismatch(rc, call, err, "BINARY_OP_DIFF_TYPES",
                       "the left and right operands of the binary operator have incompatible "
                       "types (%s and %s).",
                       l, r);
    lm_error_param_add(err, "left", l);
    lm_error_param_add(err, "right", r);
    return LM_ERROR;
}

static lm_status binop_wrong_type(lm_resolve_ctx *rc, lm_expr *call, const char *input_type,
                                  lm_error *err)
{
    const char *a = fn_type_q(rc, call->args[0]->type);
    lm_coerce_mismatch(rc, call, err, "BINARY_OP_WRONG_TYPE",
                       "the binary operator requires the input type %s, not %s.", input_type, a);
    lm_error_param_add(err, "inputType", input_type);
    lm_error_param_add(err, "actualDataType", a);
    return LM_ERROR;
}

/* ------------------------------------------------ arithmetic: resolve */

/* Spark's ResolveBinaryArithmetic for datetime and interval operands
   (functions/datetime_arith.c). */
int fn_resolve_datetime_arith(lm_resolve_ctx *rc, lm_expr *call, char op, lm_error *err);

static lm_status resolve_arith_common(lm_resolve_ctx *rc, lm_expr *call, enum arith_op op,
                                      lm_error *err)
{
    char sym = op == OP_ADD ? '+' : op == OP_SUB ? '-' : op == OP_MUL ? '*' : op == OP_DIV ? '/' : 0;
    int dt = sym ? fn_resolve_datetime_arith(rc, call, sym, err) : 0;
    if (dt < 0)
        return LM_ERROR;
    if (dt > 0)
        return LM_OK;

    /* PromoteStrings: a string operand becomes DOUBLE */
    for (int i = 0; i < 2; i++)
        if (call->args[i]->type->id == LM_TYPE_STRING &&
            fn_cast_arg(rc, call, i, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
    lm_type *L = call->args[0]->type, *R = call->args[1]->type;
    if (L->id == LM_TYPE_NULL && R->id == LM_TYPE_NULL) {
        lm_type *t = op == OP_IDIV ? lm_type_long() : lm_type_double();
        if (fn_cast_arg(rc, call, 0, t, err) != LM_OK || fn_cast_arg(rc, call, 1, t, err) != LM_OK)
            return LM_ERROR;
    } else if (L->id == LM_TYPE_DECIMAL || R->id == LM_TYPE_DECIMAL) {
        /* DecimalPrecision: integral and NULL operands become decimals,
           fractional ones turn the decimal into DOUBLE */
        for (int i = 0; i < 2; i++) {
            lm_expr *e = call->args[i];
            lm_expr *o = call->args[1 - i];
            if (e->type->id == LM_TYPE_DECIMAL)
                continue;
            lm_type *t = NULL;
            if (lm_type_is_integral(e->type))
                t = decimal_for_operand(rc, e);
            else if (e->type->id == LM_TYPE_NULL)
                t = lm_type_ref(o->type);
            else if (lm_type_is_fractional(e->type))
                t = lm_type_double();
            if (t == NULL)
                continue;
            lm_arena_keep_type(rc->a, t);
            if (t->id == LM_TYPE_DOUBLE) {
                if (fn_cast_arg(rc, call, 0, t, err) != LM_OK ||
                    fn_cast_arg(rc, call, 1, t, err) != LM_OK)
                    return LM_ERROR;
                break;
            }
            if (fn_cast_arg(rc, call, i, t, err) != LM_OK)
                return LM_ERROR;
        }
    } else if (!lm_type_same_ignoring_nullable(L, R)) {
        lm_type *w = lm_coerce_tightest(L, R);
        if (w != NULL && (lm_type_is_numeric(w) || is_any_interval(w))) {
            lm_arena_keep_type(rc->a, w);
            if (fn_cast_arg(rc, call, 0, w, err) != LM_OK || fn_cast_arg(rc, call, 1, w, err) != LM_OK)
                return LM_ERROR;
        } else {
            lm_type_unref(w);
        }
    }
    L = call->args[0]->type;
    R = call->args[1]->type;
    /* Divide works on DOUBLE or DECIMAL; IntegralDivide on BIGINT or DECIMAL */
    if (op == OP_DIV && L->id != LM_TYPE_DECIMAL && lm_type_is_numeric(L) &&
        lm_type_same_ignoring_nullable(L, R)) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK ||
            fn_cast_arg(rc, call, 1, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
    }
    if (op == OP_IDIV && lm_type_is_integral(L) && lm_type_same_ignoring_nullable(L, R)) {
        if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK ||
            fn_cast_arg(rc, call, 1, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
    }
    L = call->args[0]->type;
    R = call->args[1]->type;
    if (!lm_type_same_ignoring_nullable(L, R) &&
        !(L->id == LM_TYPE_DECIMAL && R->id == LM_TYPE_DECIMAL))
        return binop_diff_types(rc, call, err);
    bool ok = lm_type_is_numeric(L);
    if (op == OP_IDIV)
        ok = L->id == LM_TYPE_LONG || L->id == LM_TYPE_DECIMAL;
    if (op == OP_DIV)
        ok = L->id == LM_TYPE_DOUBLE || L->id == LM_TYPE_DECIMAL;
    if (!ok) {
        const char *want = "\"NUMERIC\"";
        if (op == OP_ADD || op == OP_SUB)
            want = "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or "
                   "\"INTERVAL\")";
        else if (op == OP_DIV)
            want = "(\"DOUBLE\" or \"DECIMAL\")";
        else if (op == OP_IDIV)
            want = "(\"BIGINT\" or \"DECIMAL\")";
        return binop_wrong_type(rc, call, want, err);
    }
    lm_type *t;
    if (op == OP_IDIV) {
        t = lm_type_long();
    } else if (L->id == LM_TYPE_DECIMAL) {
        int p1 = L->precision, s1 = L->scale, p2 = R->precision, s2 = R->scale, p, s;
        switch (op) {
        case OP_ADD:
        case OP_SUB:
            s = s1 > s2 ? s1 : s2;
            p = ((p1 - s1) > (p2 - s2) ? (p1 - s1) : (p2 - s2)) + s + 1;
            break;
        case OP_MUL:
            p = p1 + p2 + 1;
            s = s1 + s2;
            break;
        case OP_DIV:
            s = s1 + p2 + 1 > 6 ? s1 + p2 + 1 : 6;
            p = p1 - s1 + s2 + s;
            break;
        default: /* REM, PMOD */
            s = s1 > s2 ? s1 : s2;
            p = ((p1 - s1) < (p2 - s2) ? (p1 - s1) : (p2 - s2)) + s;
            break;
        }
        fn_dec_adjust(&p, &s);
        t = lm_type_decimal(p, s);
    } else {
        t = fn_tref(L);
    }
    bool nullable = fn_args_nullable(call) || op == OP_DIV || op == OP_REM || op == OP_IDIV ||
                    op == OP_PMOD || L->id == LM_TYPE_DECIMAL;
    return fn_set_result(rc, call, t, nullable, err);
}

static lm_status resolve_unary_numeric(lm_resolve_ctx *rc, lm_expr *call, lm_error *err);

static lm_status resolve_arith(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 1)
        return resolve_unary_numeric(rc, call, err); /* "-"(x), "+"(x) */
    return resolve_arith_common(rc, call, op_of(call), err);
}

/* ------------------------------------------------- arithmetic: kernels */

static lm_status int_overflow(lm_eval_ctx *ec, const lm_type *t, enum arith_op op)
{
    const char *what = t->id == LM_TYPE_LONG ? "long overflow" : "integer overflow";
    return fn_overflow_error(ec, what, try_hint(op));
}

static int64_t wrap(lm_type_id id, int64_t x)
{
    switch (id) {
    case LM_TYPE_BYTE: return (int8_t)(uint8_t)(uint64_t)x;
    case LM_TYPE_SHORT: return (int16_t)(uint16_t)(uint64_t)x;
    case LM_TYPE_INT: return (int32_t)(uint32_t)(uint64_t)x;
    default: return x;
    }
}

static bool fits(lm_type_id id, int64_t x)
{
    return wrap(id, x) == x;
}

/* Java's a % b on longs (sign of the dividend, MIN % -1 == 0). */
static int64_t jrem(int64_t a, int64_t b)
{
    if (b == -1)
        return 0;
    return a % b;
}

static lm_status eval_integral(lm_eval_ctx *ec, const lm_type *t, enum arith_op op, int64_t a,
                               int64_t b, lm_value *out)
{
    int64_t r = 0;
    bool ovf = false;
    switch (op) {
    case OP_ADD: ovf = __builtin_add_overflow(a, b, &r); break;
    case OP_SUB: ovf = __builtin_sub_overflow(a, b, &r); break;
    case OP_MUL: ovf = __builtin_mul_overflow(a, b, &r); break;
    case OP_REM:
    case OP_PMOD:
        if (b == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        r = jrem(a, b);
        if (op == OP_PMOD && r < 0)
            r = jrem(r + b, b);
        break;
    case OP_IDIV:
        if (b == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        if (a == INT64_MIN && b == -1) {
            if (ec->ansi)
                return int_overflow(ec, lm_type_long(), op);
            r = INT64_MIN;
        } else {
            r = a / b;
        }
        break;
    default:
        break;
    }
    if (t->id == LM_TYPE_LONG && ovf) {
        if (ec->ansi)
            return int_overflow(ec, t, op);
        /* Java long arithmetic wraps */
        uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
        r = (int64_t)(op == OP_ADD ? ua + ub : op == OP_SUB ? ua - ub : ua * ub);
    } else if (!fits(t->id, r)) {
        if (ec->ansi)
            return int_overflow(ec, t, op);
        r = wrap(t->id, r);
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status eval_fractional(lm_eval_ctx *ec, const lm_type *t, enum arith_op op, double a,
                                 double b, lm_value *out)
{
    double r = 0;
    switch (op) {
    case OP_ADD: r = a + b; break;
    case OP_SUB: r = a - b; break;
    case OP_MUL: r = a * b; break;
    case OP_DIV:
    case OP_REM:
    case OP_PMOD:
        if (b == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        if (op == OP_DIV)
            r = a / b;
        else {
            r = fmod(a, b);
            if (op == OP_PMOD && r < 0)
                r = fmod(r + b, b);
        }
        break;
    default:
        break;
    }
    if (t->id == LM_TYPE_FLOAT)
        *out = lm_value_f32((float)r);
    else
        *out = lm_value_f64(r);
    return LM_OK;
}

static lm_status dec_overflow(lm_eval_ctx *ec, const lm_type *rt, lm_int128 approx, int scale,
                              lm_value *out)
{
    *out = lm_value_null();
    if (!ec->ansi)
        return LM_OK;
    char b[FN_DEC_BUF];
    fn_dec_format(b, approx, scale);
    return fn_decimal_out_of_range(ec, b, rt->precision, rt->scale);
}

static lm_status eval_decimal(lm_eval_ctx *ec, const lm_expr *call, enum arith_op op,
                              const lm_value *a, const lm_value *b, lm_value *out)
{
    const lm_type *ta = call->args[0]->type, *tb = call->args[1]->type, *rt = call->type;
    lm_int128 x = a->u.dec, y = b->u.dec, r;
    int sa = ta->scale, sb = tb->scale;
    if (op == OP_IDIV) {
        if (y == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        if (!fn_dec_intdiv(x, sa, y, sb, &r) || r > INT64_MAX || r < INT64_MIN) {
            if (ec->ansi)
                return int_overflow(ec, lm_type_long(), op);
            *out = lm_value_i64((int64_t)(uint64_t)(unsigned __int128)r);
            return LM_OK;
        }
        *out = lm_value_i64((int64_t)r);
        return LM_OK;
    }
    bool ok;
    switch (op) {
    case OP_ADD:
    case OP_SUB: {
        int s = sa > sb ? sa : sb;
        lm_int128 xs, ys, sum;
        ok = fn_dec_rescale(x, sa, s, FN_ROUND_HALF_UP, &xs) &&
             fn_dec_rescale(y, sb, s, FN_ROUND_HALF_UP, &ys);
        if (ok)
            ok = op == OP_ADD ? !__builtin_add_overflow(xs, ys, &sum)
                              : !__builtin_sub_overflow(xs, ys, &sum);
        if (ok)
            ok = fn_dec_rescale(sum, s, rt->scale, FN_ROUND_HALF_UP, &r);
        break;
    }
    case OP_MUL:
        ok = fn_dec_mul(x, sa, y, sb, rt->scale, &r);
        break;
    case OP_DIV:
        if (y == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        ok = fn_dec_div(x, sa, y, sb, rt->scale, &r);
        break;
    default: /* REM, PMOD */
        if (y == 0) {
            if (ec->ansi)
                return fn_divide_by_zero(ec);
            *out = lm_value_null();
            return LM_OK;
        }
        ok = fn_dec_rem(x, sa, y, sb, rt->scale, &r);
        if (ok && op == OP_PMOD && r < 0) {
            lm_int128 ys;
            ok = fn_dec_rescale(y, sb, rt->scale, FN_ROUND_HALF_UP, &ys);
            if (ok)
                ok = fn_dec_rem(r + ys, rt->scale, ys, rt->scale, rt->scale, &r);
        }
        break;
    }
    if (!ok || !fn_dec_fits(r, rt->precision))
        return dec_overflow(ec, rt, ok ? r : 0, rt->scale, out);
    *out = lm_value_dec(r);
    return LM_OK;
}

static lm_status eval_negative(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out);

static lm_status eval_arith(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    if (call->nargs == 1) {
        if (call->fn->name[0] == '-')
            return eval_negative(ec, call, args, out);
        *out = args[0];
        return LM_OK;
    }
    enum arith_op op = op_of(call);
    const lm_type *L = call->args[0]->type;
    const lm_type *R = call->args[1]->type;
    if (L->id == LM_TYPE_DECIMAL)
        return eval_decimal(ec, call, op, &args[0], &args[1], out);
    if (lm_type_is_integral(L))
        return eval_integral(ec, call->type, op, args[0].u.i64, args[1].u.i64, out);
    return eval_fractional(ec, call->type, op, fn_to_double(L, &args[0]),
                           fn_to_double(R, &args[1]), out);
}

/* ------------------------------------------------------------ unary */

static lm_status resolve_unary_numeric(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    }
    if (!lm_type_is_numeric(t) && !is_any_interval(t))
        return lm_coerce_unexpected_input(
            rc, call, 0,
            "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or "
            "\"INTERVAL\")",
            err);
    return fn_set_result(rc, call, fn_tref(t), call->args[0]->nullable, err);
}

static lm_status eval_negative(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    const lm_type *t = call->type;
    switch (t->id) {
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: {
        int64_t x = args[0].u.i64;
        if (x == INT64_MIN || !fits(t->id, -x)) {
            if (ec->ansi)
                return int_overflow(ec, t, OP_SUB);
            *out = lm_value_i64(t->id == LM_TYPE_LONG ? x : wrap(t->id, -x));
            return LM_OK;
        }
        *out = lm_value_i64(-x);
        return LM_OK;
    }
    case LM_TYPE_FLOAT: *out = lm_value_f32(-args[0].u.f32); return LM_OK;
    case LM_TYPE_DOUBLE: *out = lm_value_f64(-args[0].u.f64); return LM_OK;
    case LM_TYPE_DECIMAL: *out = lm_value_dec(-args[0].u.dec); return LM_OK;
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        if (args[0].u.i64 == INT64_MIN || (t->id == LM_TYPE_YM_INTERVAL && args[0].u.i64 == INT32_MIN))
            return fn_overflow_error(ec, t->id == LM_TYPE_YM_INTERVAL ? "integer overflow" : "long overflow", NULL);
        *out = lm_value_i64(-args[0].u.i64);
        return LM_OK;
    case LM_TYPE_INTERVAL:
        *out = args[0];
        out->u.iv.months = -out->u.iv.months;
        out->u.iv.days = -out->u.iv.days;
        out->u.iv.micros = -out->u.iv.micros;
        return LM_OK;
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static lm_status eval_positive(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                               lm_value *out)
{
    *out = args[0];
    return LM_OK;
}

/* ------------------------------------------------------------ comparisons */

static bool orderable(const lm_type *t)
{
    if (t->id == LM_TYPE_MAP)
        return false;
    if (t->id == LM_TYPE_ARRAY)
        return orderable(t->elem);
    if (t->id == LM_TYPE_STRUCT) {
        for (int i = 0; i < t->nfields; i++)
            if (!orderable(t->fields[i].type))
                return false;
    }
    return true;
}

static lm_status resolve_compare(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *L = call->args[0]->type, *R = call->args[1]->type;
    const char *nm = call->fn->name;
    bool eq = nm[0] == '=' || strcmp(nm, "<=>") == 0 || strcmp(nm, "!=") == 0 ||
              strcmp(nm, "<>") == 0;
    if (!lm_type_same_ignoring_nullable(L, R)) {
        lm_type *t = NULL;
        /* BooleanEquality / boolean vs numeric: the boolean becomes the number */
        if (eq && L->id == LM_TYPE_BOOLEAN && lm_type_is_numeric(R))
            t = fn_tref(R);
        else if (eq && R->id == LM_TYPE_BOOLEAN && lm_type_is_numeric(L))
            t = fn_tref(L);
        else
            t = lm_coerce_comparison(L, R);
        if (t == NULL)
            return binop_diff_types(rc, call, err);
        lm_arena_keep_type(rc->a, t);
        if (fn_cast_arg(rc, call, 0, t, err) != LM_OK || fn_cast_arg(rc, call, 1, t, err) != LM_OK)
            return LM_ERROR;
    }
    const lm_type *T = call->args[0]->type;
    if (!lm_type_same_ignoring_nullable(T, call->args[1]->type))
        return binop_diff_types(rc, call, err);
    if (!orderable(T) && !eq) {
        const char *a = fn_type_q(rc, T);
        lm_coerce_mismatch(rc, call, err, "INVALID_ORDERING_TYPE",
                           "The `%s` does not support ordering on type %s.", call->fn->name, a);
        lm_error_param_add(err, "functionName", call->fn->name);
        lm_error_param_add(err, "dataType", a);
        return LM_ERROR;
    }
    bool nullsafe = strcmp(call->fn->name, "<=>") == 0;
    return fn_set_result(rc, call, lm_type_boolean(), nullsafe ? false : fn_args_nullable(call),
                         err);
}

static int cmp_args(const lm_expr *call, const lm_value *args)
{
    return lm_value_compare(call->args[0]->type, &args[0], &args[1]);
}

static lm_status eval_eq(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) == 0);
    return LM_OK;
}

static lm_status eval_ne(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) != 0);
    return LM_OK;
}

static lm_status eval_lt(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) < 0);
    return LM_OK;
}

static lm_status eval_le(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) <= 0);
    return LM_OK;
}

static lm_status eval_gt(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) > 0);
    return LM_OK;
}

static lm_status eval_ge(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_bool(cmp_args(call, a) >= 0);
    return LM_OK;
}

static lm_status eval_eq_nullsafe(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                  lm_value *out)
{
    if (a[0].is_null || a[1].is_null)
        *out = lm_value_bool(a[0].is_null && a[1].is_null);
    else
        *out = lm_value_bool(cmp_args(call, a) == 0);
    return LM_OK;
}

/* "-" and "+" with one argument are unary minus / plus: (- a). */
static void sql_plus_minus(lm_strbuf *sb, const lm_expr *call)
{
    if (call->nargs == 1) {
        lm_strbuf_printf(sb, "(%s ", call->fn->name);
        lm_expr_pretty(sb, call->args[0]);
        lm_strbuf_putc(sb, ')');
        return;
    }
    lm_strbuf_putc(sb, '(');
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_printf(sb, " %s ", call->fn->name);
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_putc(sb, ')');
}

/* a != b is Not(EqualTo(a, b)) in Spark and prints so. */
static void sql_not_equal(lm_strbuf *sb, const lm_expr *call)
{
    lm_strbuf_puts(sb, "(NOT (");
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, " = ");
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_puts(sb, "))");
}

/* ------------------------------------------------------------ logic */

static lm_status resolve_logic(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++) {
        const lm_type *t = call->args[i]->type;
        if (t->id == LM_TYPE_NULL) {
            if (fn_cast_arg(rc, call, i, lm_type_boolean(), err) != LM_OK)
                return LM_ERROR;
        } else if (t->id != LM_TYPE_BOOLEAN) {
            if (call->nargs == 1)
                return lm_coerce_unexpected_input(rc, call, i, "\"BOOLEAN\"", err);
            if (call->args[1 - i]->type->id == LM_TYPE_BOOLEAN ||
                call->args[1 - i]->type->id == LM_TYPE_NULL)
                return binop_diff_types(rc, call, err);
            return binop_wrong_type(rc, call, "\"BOOLEAN\"", err);
        }
    }
    return fn_set_result(rc, call, lm_type_boolean(), fn_args_nullable(call), err);
}

static lm_status eval_and(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                          lm_value *out)
{
    lm_value a, b;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &a);
    if (st != LM_OK)
        return st;
    if (!a.is_null && !a.u.b) {
        *out = lm_value_bool(false);
        return LM_OK;
    }
    if ((st = lm_eval_expr(ec, call->args[1], row, &b)) != LM_OK)
        return st;
    if (!b.is_null && !b.u.b)
        *out = lm_value_bool(false);
    else if (a.is_null || b.is_null)
        *out = lm_value_null();
    else
        *out = lm_value_bool(true);
    return LM_OK;
}

static lm_status eval_or(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row, lm_value *out)
{
    lm_value a, b;
    lm_status st = lm_eval_expr(ec, call->args[0], row, &a);
    if (st != LM_OK)
        return st;
    if (!a.is_null && a.u.b) {
        *out = lm_value_bool(true);
        return LM_OK;
    }
    if ((st = lm_eval_expr(ec, call->args[1], row, &b)) != LM_OK)
        return st;
    if (!b.is_null && b.u.b)
        *out = lm_value_bool(true);
    else if (a.is_null || b.is_null)
        *out = lm_value_null();
    else
        *out = lm_value_bool(false);
    return LM_OK;
}

static lm_status eval_not(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                          lm_value *out)
{
    *out = lm_value_bool(!args[0].u.b);
    return LM_OK;
}

/* ------------------------------------------------------------ null tests */

static lm_status resolve_isnull(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_boolean(), false, err);
}

static lm_status eval_isnull(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                             lm_value *out)
{
    *out = lm_value_bool(args[0].is_null);
    return LM_OK;
}

static lm_status eval_isnotnull(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                lm_value *out)
{
    *out = lm_value_bool(!args[0].is_null);
    return LM_OK;
}

static lm_status resolve_isnan(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_FLOAT && t->id != LM_TYPE_DOUBLE &&
        fn_expect(rc, call, 0, lm_type_double(), "(\"DOUBLE\" or \"FLOAT\")", err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_boolean(), false, err);
}

static lm_status eval_isnan(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                            lm_value *out)
{
    if (args[0].is_null)
        *out = lm_value_bool(false);
    else
        *out = lm_value_bool(isnan(fn_to_double(call->args[0]->type, &args[0])));
    return LM_OK;
}

/* ------------------------------------------------------------ bitwise */

static lm_status resolve_bitwise(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        const lm_type *L = call->args[0]->type, *R = call->args[1]->type;
        if (!lm_type_same_ignoring_nullable(L, R)) {
            lm_type *w = lm_coerce_tightest(L, R);
            if (w == NULL || !lm_type_is_integral(w)) {
                lm_type_unref(w);
                if (lm_type_is_integral(L) == lm_type_is_integral(R) || L->id == LM_TYPE_NULL ||
                    R->id == LM_TYPE_NULL)
                    return binop_diff_types(rc, call, err);
                return binop_diff_types(rc, call, err);
            }
            lm_arena_keep_type(rc->a, w);
            if (fn_cast_arg(rc, call, 0, w, err) != LM_OK || fn_cast_arg(rc, call, 1, w, err) != LM_OK)
                return LM_ERROR;
        }
        if (call->args[0]->type->id == LM_TYPE_NULL) {
            if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK ||
                fn_cast_arg(rc, call, 1, lm_type_long(), err) != LM_OK)
                return LM_ERROR;
        }
        if (!lm_type_is_integral(call->args[0]->type))
            return binop_wrong_type(rc, call, "\"INTEGRAL\"", err);
    } else {
        if (call->args[0]->type->id == LM_TYPE_NULL &&
            fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
        if (!lm_type_is_integral(call->args[0]->type))
            return lm_coerce_unexpected_input(rc, call, 0, "\"INTEGRAL\"", err);
    }
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_bitand(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    *out = lm_value_i64(a[0].u.i64 & a[1].u.i64);
    return LM_OK;
}

static lm_status eval_bitor(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    *out = lm_value_i64(a[0].u.i64 | a[1].u.i64);
    return LM_OK;
}

static lm_status eval_bitxor(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    *out = lm_value_i64(a[0].u.i64 ^ a[1].u.i64);
    return LM_OK;
}

static lm_status eval_bitnot(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    *out = lm_value_i64(wrap(call->type->id, ~a[0].u.i64));
    return LM_OK;
}

/* shiftleft(x, n): x is INT or BIGINT (smaller integrals widen to INT). */
static lm_status resolve_shift(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id != LM_TYPE_LONG && t->id != LM_TYPE_INT) {
        if (!fn_implicit_ok(t, lm_type_int()) || t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE ||
            t->id == LM_TYPE_DECIMAL) {
            if (!(t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL || lm_type_is_numeric(t)))
                return lm_coerce_unexpected_input(rc, call, 0, "(\"INT\" or \"BIGINT\")", err);
        }
        const lm_type *to = (t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE ||
                             t->id == LM_TYPE_DECIMAL)
                                ? lm_type_long()
                                : lm_type_int();
        if (t->id == LM_TYPE_STRING)
            to = lm_type_int();
        if (fn_cast_arg(rc, call, 0, to, err) != LM_OK)
            return LM_ERROR;
    }
    if (fn_expect(rc, call, 1, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, fn_tref(call->args[0]->type), fn_args_nullable(call), err);
}

static lm_status eval_shift(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    bool is_long = call->type->id == LM_TYPE_LONG;
    int64_t n = a[1].u.i64 & (is_long ? 63 : 31);
    const char *name = call->fn->name;
    if (is_long) {
        uint64_t x = (uint64_t)a[0].u.i64;
        if (strcmp(name, "shiftleft") == 0)
            *out = lm_value_i64((int64_t)(x << n));
        else if (strcmp(name, "shiftright") == 0)
            *out = lm_value_i64(a[0].u.i64 >> n);
        else
            *out = lm_value_i64((int64_t)(x >> n));
    } else {
        uint32_t x = (uint32_t)a[0].u.i64;
        if (strcmp(name, "shiftleft") == 0)
            *out = lm_value_i64((int32_t)(x << n));
        else if (strcmp(name, "shiftright") == 0)
            *out = lm_value_i64((int32_t)x >> n);
        else
            *out = lm_value_i64((int32_t)(x >> n));
    }
    return LM_OK;
}

static lm_status resolve_bit_count(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
    } else if (!lm_type_is_integral(t) && t->id != LM_TYPE_BOOLEAN) {
        return lm_coerce_unexpected_input(rc, call, 0, "(\"INTEGRAL\" or \"BOOLEAN\")", err);
    }
    return fn_set_result(rc, call, lm_type_int(), call->args[0]->nullable, err);
}

static lm_status eval_bit_count(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_BOOLEAN) {
        *out = lm_value_i64(a[0].u.b ? 1 : 0);
        return LM_OK;
    }
    uint64_t x = (uint64_t)a[0].u.i64;
    switch (t->id) {
    case LM_TYPE_BYTE: x &= 0xFF; break;
    case LM_TYPE_SHORT: x &= 0xFFFF; break;
    case LM_TYPE_INT: x &= 0xFFFFFFFFu; break;
    default: break;
    }
    *out = lm_value_i64(__builtin_popcountll(x));
    return LM_OK;
}

static lm_status resolve_bit_get(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
    } else if (!lm_type_is_integral(t)) {
        return lm_coerce_unexpected_input(rc, call, 0, "\"INTEGRAL\"", err);
    }
    if (fn_expect(rc, call, 1, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_byte(), fn_args_nullable(call), err);
}

static int bit_size(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE: return 8;
    case LM_TYPE_SHORT: return 16;
    case LM_TYPE_INT: return 32;
    default: return 64;
    }
}

static lm_status eval_bit_get(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    int size = bit_size(call->args[0]->type->id);
    int64_t pos = a[1].u.i64;
    /* Spark 3.5's BitwiseGetUtil.checkPosition throws a plain
       IllegalArgumentException here, without an error class. */
    if (pos < 0)
        return lm_eval_error(ec, "java.lang.IllegalArgumentException", NULL, NULL,
                             "Invalid bit position: %lld is less than zero", (long long)pos);
    if (pos >= size)
        return lm_eval_error(ec, "java.lang.IllegalArgumentException", NULL, NULL,
                             "Invalid bit position: %lld exceeds the bit upper limit",
                             (long long)pos);
    *out = lm_value_i64(((uint64_t)a[0].u.i64 >> pos) & 1);
    return LM_OK;
}

/* ------------------------------------------------------------ table */

#define NI LM_FN_NULL_INTOLERANT
#define INFIX(nm, sym, res, ev) \
    { .name = nm, .min_args = 2, .max_args = 2, .flags = NI, .style = LM_STYLE_INFIX, \
      .symbol = sym, .resolve = res, .eval = ev }

static const lm_func_def k_defs[] = {
    {.name = "+", .min_args = 1, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_arith, .eval = eval_arith, .sql = sql_plus_minus},
    {.name = "-", .min_args = 1, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_arith, .eval = eval_arith, .sql = sql_plus_minus},
    INFIX("*", "*", resolve_arith, eval_arith),
    INFIX("/", "/", resolve_arith, eval_arith),
    INFIX("%", "%", resolve_arith, eval_arith),
    INFIX("div", "div", resolve_arith, eval_arith),
    INFIX("=", "=", resolve_compare, eval_eq),
    INFIX("==", "=", resolve_compare, eval_eq),
    INFIX("<", "<", resolve_compare, eval_lt),
    INFIX("<=", "<=", resolve_compare, eval_le),
    INFIX(">", ">", resolve_compare, eval_gt),
    INFIX(">=", ">=", resolve_compare, eval_ge),
    {.name = "<=>", .min_args = 2, .max_args = 2, .style = LM_STYLE_INFIX, .symbol = "<=>",
     .resolve = resolve_compare, .eval = eval_eq_nullsafe},
    {.name = "!=", .min_args = 2, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_compare, .eval = eval_ne, .sql = sql_not_equal},
    {.name = "<>", .min_args = 2, .max_args = 2, .flags = NI, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_compare, .eval = eval_ne, .sql = sql_not_equal},
    {.name = "and", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY, .style = LM_STYLE_INFIX,
     .symbol = "AND", .resolve = resolve_logic, .eval_lazy = eval_and},
    {.name = "or", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY, .style = LM_STYLE_INFIX,
     .symbol = "OR", .resolve = resolve_logic, .eval_lazy = eval_or},
    {.name = "not", .min_args = 1, .max_args = 1, .flags = NI, .style = LM_STYLE_PREFIX,
     .symbol = "NOT", .resolve = resolve_logic, .eval = eval_not},
    {.name = "!", .min_args = 1, .max_args = 1, .flags = NI, .style = LM_STYLE_PREFIX,
     .symbol = "NOT", .resolve = resolve_logic, .eval = eval_not},
    {.name = "negative", .min_args = 1, .max_args = 1, .flags = NI, .style = LM_STYLE_PREFIX,
     .symbol = "-", .resolve = resolve_unary_numeric, .eval = eval_negative},
    {.name = "positive", .min_args = 1, .max_args = 1, .flags = NI, .style = LM_STYLE_PREFIX,
     .symbol = "+", .resolve = resolve_unary_numeric, .eval = eval_positive},
    {.name = "isnull", .min_args = 1, .max_args = 1, .style = LM_STYLE_POSTFIX,
     .symbol = "IS NULL", .resolve = resolve_isnull, .eval = eval_isnull},
    {.name = "isnotnull", .min_args = 1, .max_args = 1, .style = LM_STYLE_POSTFIX,
     .symbol = "IS NOT NULL", .resolve = resolve_isnull, .eval = eval_isnotnull},
    {.name = "isnan", .min_args = 1, .max_args = 1, .resolve = resolve_isnan,
     .eval = eval_isnan, .pretty = "isnan"},
    INFIX("&", "&", resolve_bitwise, eval_bitand),
    INFIX("|", "|", resolve_bitwise, eval_bitor),
    INFIX("^", "^", resolve_bitwise, eval_bitxor),
    {.name = "~", .min_args = 1, .max_args = 1, .flags = NI, .style = LM_STYLE_PREFIX_BARE,
     .symbol = "~", .resolve = resolve_bitwise, .eval = eval_bitnot},
    {.name = "shiftleft", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_shift,
     .eval = eval_shift, .pretty = "shiftleft"},
    {.name = "shiftright", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_shift,
     .eval = eval_shift, .pretty = "shiftright"},
    {.name = "shiftrightunsigned", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_shift, .eval = eval_shift, .pretty = "shiftrightunsigned"},
    {.name = "bit_count", .min_args = 1, .max_args = 1, .flags = NI,
     .resolve = resolve_bit_count, .eval = eval_bit_count, .pretty = "bit_count"},
    {.name = "bit_get", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_bit_get,
     .eval = eval_bit_get, .pretty = "bit_get"},
    {.name = "getbit", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_bit_get,
     .eval = eval_bit_get, .pretty = "getbit"},
};

const lm_func_table lm_funcs_operators = {k_defs, sizeof k_defs / sizeof k_defs[0]};

/* Shared with math.c (mod, pmod, try_* functions). */
lm_status fn_resolve_arith_op(lm_resolve_ctx *rc, lm_expr *call, int op, lm_error *err);
lm_status fn_eval_arith_op(lm_eval_ctx *ec, const lm_expr *call, int op, const lm_value *args,
                           lm_value *out);

lm_status fn_resolve_arith_op(lm_resolve_ctx *rc, lm_expr *call, int op, lm_error *err)
{
    return resolve_arith_common(rc, call, (enum arith_op)op, err);
}

lm_status fn_eval_arith_op(lm_eval_ctx *ec, const lm_expr *call, int op, const lm_value *args,
                           lm_value *out)
{
    enum arith_op o = (enum arith_op)op;
    const lm_type *L = call->args[0]->type;
    const lm_type *R = call->args[1]->type;
    if (L->id == LM_TYPE_DECIMAL)
        return eval_decimal(ec, call, o, &args[0], &args[1], out);
    if (lm_type_is_integral(L))
        return eval_integral(ec, call->type, o, args[0].u.i64, args[1].u.i64, out);
    return eval_fractional(ec, call->type, o, fn_to_double(L, &args[0]),
                           fn_to_double(R, &args[1]), out);
}
