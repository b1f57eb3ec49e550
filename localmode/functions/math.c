/*
 * Math functions. Unary and binary double functions carry Spark's
 * upper-case names (SQRT(x), LOG10(x), POWER(a, b)) except where Spark
 * registers an alias that keeps the name as called (ceiling, sign, pow,
 * ln). Rounding works on the decimal text of a double, as Spark's
 * BigDecimal(d).setScale does; rand/randn reproduce XORShiftRandom.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xorshift.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "types/numfmt.h"

lm_status fn_resolve_arith_op(lm_resolve_ctx *rc, lm_expr *call, int op, lm_error *err);
lm_status fn_eval_arith_op(lm_eval_ctx *ec, const lm_expr *call, int op, const lm_value *args,
                           lm_value *out);
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_IDIV, OP_PMOD };

/* ------------------------------------------------------ double functions */

static lm_status resolve_double_args(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < call->nargs; i++)
        if (fn_expect(rc, call, i, lm_type_double(), NULL, err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_double(), true, err);
}

typedef double (*d1fn)(double);

static double f_cot(double x) { return 1.0 / tan(x); }
static double f_sec(double x) { return 1.0 / cos(x); }
static double f_csc(double x) { return 1.0 / sin(x); }
static double f_degrees(double x) { return x * 57.29577951308232; }
static double f_radians(double x) { return x / 180.0 * M_PI; }
static double f_signum(double x) { return isnan(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
static double f_acosh(double x) { return log(x + sqrt(x * x - 1.0)); }
static double f_asinh(double x)
{
    return isinf(x) ? x : log(x + sqrt(x * x + 1.0));
}
static double f_atanh(double x) { return 0.5 * log((1.0 + x) / (1.0 - x)); }

static const struct {
    const char *name;
    d1fn f;
    double asymptote; /* NaN: none; else x <= asymptote gives NULL */
} k_unary[] = {
    {"sqrt", sqrt, NAN},     {"cbrt", cbrt, NAN},       {"exp", exp, NAN},
    {"expm1", expm1, NAN},   {"ln", log, 0.0},          {"log10", log10, 0.0},
    {"log2", log2, 0.0},     {"log1p", log1p, -1.0},    {"sin", sin, NAN},
    {"cos", cos, NAN},       {"tan", tan, NAN},         {"asin", asin, NAN},
    {"acos", acos, NAN},     {"atan", atan, NAN},       {"sinh", sinh, NAN},
    {"cosh", cosh, NAN},     {"tanh", tanh, NAN},       {"asinh", f_asinh, NAN},
    {"acosh", f_acosh, NAN}, {"atanh", f_atanh, NAN},   {"cot", f_cot, NAN},
    {"sec", f_sec, NAN},     {"csc", f_csc, NAN},       {"degrees", f_degrees, NAN},
    {"radians", f_radians, NAN}, {"signum", f_signum, NAN}, {"sign", f_signum, NAN},
    {"rint", rint, NAN},
};

static lm_status eval_unary_double(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                   lm_value *out)
{
    double x = args[0].u.f64;
    for (size_t i = 0; i < sizeof k_unary / sizeof k_unary[0]; i++) {
        if (strcmp(k_unary[i].name, call->fn->name) != 0)
            continue;
        if (!isnan(k_unary[i].asymptote) && x <= k_unary[i].asymptote) {
            *out = lm_value_null();
            return LM_OK;
        }
        *out = lm_value_f64(k_unary[i].f(x));
        return LM_OK;
    }
    *out = lm_value_null();
    return LM_OK;
}

static lm_status eval_binary_double(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                                    lm_value *out)
{
    double a = args[0].u.f64, b = args[1].u.f64;
    const char *n = call->fn->name;
    if (strcmp(n, "atan2") == 0)
        *out = lm_value_f64(atan2(a + 0.0, b + 0.0));
    else if (strcmp(n, "hypot") == 0)
        *out = lm_value_f64(hypot(a, b));
    else if (strcmp(n, "log") == 0) {
        if (a <= 0.0 || b <= 0.0)
            *out = lm_value_null();
        else
            *out = lm_value_f64(log(b) / log(a));
    } else
        *out = lm_value_f64(pow(a, b));
    return LM_OK;
}

/* log(x) is Logarithm(E(), x): it prints LOG(E(), x). */
static lm_status resolve_log(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 1) {
        const lm_func_def *e = lm_func_lookup("e");
        lm_expr *ecall = lm_arena_calloc(rc->a, 1, sizeof *ecall);
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
        if (ecall == NULL || args == NULL || e == NULL)
            return fn_oom(err);
        ecall->kind = LM_EXPR_CALL;
        ecall->start = ecall->stop = -1;
        ecall->name = "e";
        ecall->fn = e;
        ecall->resolved = true;
        ecall->type = lm_type_double();
        ecall->args = args + 1;
        args[0] = ecall;
        args[1] = call->args[0];
        call->args = args;
        call->nargs = 2;
    }
    return resolve_double_args(rc, call, err);
}

static lm_status resolve_const(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_double(), false, err);
}

static lm_status eval_pi(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_f64(M_PI);
    return LM_OK;
}

static lm_status eval_e(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    *out = lm_value_f64(M_E);
    return LM_OK;
}

/* ------------------------------------------------------------ abs */

static lm_status resolve_abs(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    }
    if (!lm_type_is_numeric(t) && t->id != LM_TYPE_YM_INTERVAL && t->id != LM_TYPE_DT_INTERVAL)
        return lm_coerce_unexpected_input(
            rc, call, 0, "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\")",
            err);
    return fn_set_result(rc, call, fn_tref(t), call->args[0]->nullable, err);
}

static lm_status eval_abs(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    const lm_type *t = call->type;
    switch (t->id) {
    case LM_TYPE_FLOAT: *out = lm_value_f32(fabsf(a[0].u.f32)); return LM_OK;
    case LM_TYPE_DOUBLE: *out = lm_value_f64(fabs(a[0].u.f64)); return LM_OK;
    case LM_TYPE_DECIMAL: *out = lm_value_dec(a[0].u.dec < 0 ? -a[0].u.dec : a[0].u.dec); return LM_OK;
    default: {
        int64_t x = a[0].u.i64;
        int64_t min = t->id == LM_TYPE_BYTE ? INT8_MIN : t->id == LM_TYPE_SHORT ? INT16_MIN
                      : t->id == LM_TYPE_INT || t->id == LM_TYPE_YM_INTERVAL ? INT32_MIN : INT64_MIN;
        if (x == min) {
            if (ec->ansi)
                return fn_overflow_error(ec, t->id == LM_TYPE_LONG ? "long overflow" : "integer overflow", NULL);
            *out = lm_value_i64(x); /* Java's Math.abs(MIN_VALUE) */
            return LM_OK;
        }
        *out = lm_value_i64(x < 0 ? -x : x);
        return LM_OK;
    }
    }
}

/* ------------------------------------------------------ ceil / floor */

static lm_status resolve_ceil_floor(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_DECIMAL) {
        int p = t->precision, s = t->scale;
        lm_type *r = s == 0 ? fn_tref(t) : lm_type_decimal(p - s + 1 > 38 ? 38 : p - s + 1, 0);
        return fn_set_result(rc, call, r, call->args[0]->nullable, err);
    }
    if (lm_type_is_integral(t)) {
        if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
    } else if (fn_expect(rc, call, 0, lm_type_double(),
                         "(\"DOUBLE\" or \"DECIMAL\" or \"BIGINT\")", err) != LM_OK) {
        return LM_ERROR;
    }
    return fn_set_result(rc, call, lm_type_long(), call->args[0]->nullable, err);
}

static int64_t d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static lm_status eval_ceil_floor(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    bool ceil_ = call->fn->name[0] == 'c';
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_DECIMAL) {
        lm_int128 r;
        if (!fn_dec_rescale(a[0].u.dec, t->scale, 0, ceil_ ? FN_ROUND_CEILING : FN_ROUND_FLOOR, &r)) {
            *out = lm_value_null();
            return LM_OK;
        }
        *out = lm_value_dec(r);
        return LM_OK;
    }
    if (t->id == LM_TYPE_LONG) {
        *out = a[0];
        return LM_OK;
    }
    double d = a[0].u.f64;
    *out = lm_value_i64(d2l(ceil_ ? ceil(d) : floor(d)));
    return LM_OK;
}

/* ------------------------------------------------------------ round */

/* Rounds d to `scale` decimal places as BigDecimal(d).setScale does. */
static double round_double(double d, int scale, fn_round_mode mode)
{
    if (isnan(d) || isinf(d) || d == 0)
        return d;
    char digits[32];
    int exp10;
    int n = lm_double_shortest_digits(d, digits, &exp10);
    /* value = D * 10^(exp10 - n + 1) */
    int vscale = n - 1 - exp10; /* scale of D */
    __int128 v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (digits[i] - '0');
    if (d < 0)
        v = -v;
    if (vscale <= scale)
        return d;
    if (vscale - scale > 38)
        return 0.0 * d;
    lm_int128 r;
    if (scale >= 0) {
        if (!fn_dec_rescale(v, vscale, scale, mode, &r))
            return d;
        return fn_dec_to_double(r, scale);
    }
    /* negative scale: round at 10^-scale */
    if (!fn_dec_rescale(v, vscale, 0, FN_ROUND_DOWN, &r))
        return d;
    lm_int128 q;
    if (-scale > 38 || !fn_dec_rescale(v, vscale, scale < -38 ? 0 : 0, mode, &q))
        return d;
    /* emulate setScale(negative): divide by 10^-scale with rounding */
    lm_int128 p = fn_dec_pow10(-scale > 38 ? 38 : -scale);
    lm_int128 t;
    if (!fn_dec_rescale(v, vscale + (-scale), 0, mode, &t))
        return d;
    return (double)t * (double)p;
}

static lm_status resolve_round(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 1) {
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
        lm_expr *zero = lm_arena_calloc(rc->a, 1, sizeof *zero);
        if (args == NULL || zero == NULL)
            return fn_oom(err);
        zero->kind = LM_EXPR_LITERAL;
        zero->start = zero->stop = -1;
        zero->type = lm_type_int();
        zero->value = lm_value_i64(0);
        zero->resolved = true;
        args[0] = call->args[0];
        args[1] = zero;
        call->args = args;
        call->nargs = 2;
    }
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_double(), err) != LM_OK)
            return LM_ERROR;
        t = call->args[0]->type;
    }
    if (!lm_type_is_numeric(t))
        return lm_coerce_unexpected_input(rc, call, 0, "\"NUMERIC\"", err);
    if (fn_expect(rc, call, 1, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    lm_value sv;
    if (!fn_const_value(rc, call->args[1], &sv)) {
        lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                           "the input scale should be a foldable \"INT\" expression; however, "
                           "got %s.",
                           lm_coerce_quote_sql(rc, call->args[1]));
        return LM_ERROR;
    }
    int scale = sv.is_null ? 0 : (int)sv.u.i64;
    lm_type *r;
    if (t->id == LM_TYPE_DECIMAL && scale >= 0) {
        /* Spark 3.3+ (SPARK-39226): one more integral digit for the carry,
           only the digits the new scale keeps: decimal(p - s + 1 + s', s') */
        int ns = scale > t->scale ? t->scale : scale;
        int np = t->precision - t->scale + 1 + ns;
        r = lm_type_decimal(np > 38 ? 38 : np, ns);
    } else
        r = fn_tref(t);
    return fn_set_result(rc, call, r, true, err);
}

static lm_status eval_round(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    fn_round_mode mode = call->fn->name[0] == 'b' ? FN_ROUND_HALF_EVEN : FN_ROUND_HALF_UP;
    int scale = (int)a[1].u.i64;
    const lm_type *t = call->args[0]->type;
    switch (t->id) {
    case LM_TYPE_DECIMAL: {
        lm_int128 r;
        int rs = call->type->scale;
        if (scale < 0) {
            /* round at 10^-scale keeping the type's scale */
            lm_int128 q;
            if (-scale + t->scale > 38 ||
                !fn_dec_rescale(a[0].u.dec, t->scale + (-scale), 0, mode, &q)) {
                *out = lm_value_dec(0);
                return LM_OK;
            }
            lm_int128 m = fn_dec_pow10(t->scale + (-scale) > 38 ? 38 : t->scale + (-scale));
            r = q * m;
            if (!fn_dec_fits(r, t->precision)) {
                *out = lm_value_null();
                return LM_OK;
            }
            *out = lm_value_dec(r);
            return LM_OK;
        }
        if (!fn_dec_change(a[0].u.dec, t->scale, call->type->precision, rs, mode, &r))
            *out = lm_value_null();
        else
            *out = lm_value_dec(r);
        return LM_OK;
    }
    case LM_TYPE_FLOAT:
        *out = lm_value_f32((float)round_double((double)a[0].u.f32, scale, mode));
        return LM_OK;
    case LM_TYPE_DOUBLE:
        *out = lm_value_f64(round_double(a[0].u.f64, scale, mode));
        return LM_OK;
    default: {
        int64_t x = a[0].u.i64;
        if (scale >= 0) {
            *out = a[0];
            return LM_OK;
        }
        if (-scale > 18) {
            *out = lm_value_i64(0);
            return LM_OK;
        }
        lm_int128 r;
        if (!fn_dec_rescale(x, -scale, 0, mode, &r)) {
            *out = lm_value_i64(0);
            return LM_OK;
        }
        lm_int128 v = r * fn_dec_pow10(-scale);
        /* narrowing as BigDecimal.intValue() etc. */
        int64_t w = (int64_t)(uint64_t)(unsigned __int128)v;
        switch (t->id) {
        case LM_TYPE_BYTE: w = (int8_t)(uint8_t)(uint64_t)w; break;
        case LM_TYPE_SHORT: w = (int16_t)(uint16_t)(uint64_t)w; break;
        case LM_TYPE_INT: w = (int32_t)(uint32_t)(uint64_t)w; break;
        default: break;
        }
        *out = lm_value_i64(w);
        return LM_OK;
    }
    }
}

/* ------------------------------------------------------ pmod, mod, try_* */

static lm_status resolve_pmod(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_resolve_arith_op(rc, call, OP_PMOD, err);
}

static lm_status eval_pmod(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                           lm_value *out)
{
    return fn_eval_arith_op(ec, call, OP_PMOD, a, out);
}

static lm_status resolve_mod(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_resolve_arith_op(rc, call, OP_REM, err);
}

static lm_status eval_mod(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    return fn_eval_arith_op(ec, call, OP_REM, a, out);
}

static int try_op(const lm_expr *call)
{
    const char *n = call->fn->name + 4;
    if (strcmp(n, "add") == 0)
        return OP_ADD;
    if (strcmp(n, "subtract") == 0)
        return OP_SUB;
    if (strcmp(n, "multiply") == 0)
        return OP_MUL;
    if (strcmp(n, "divide") == 0)
        return OP_DIV;
    return OP_REM;
}

/*
 * try_add / try_subtract / try_multiply / try_divide. Spark builds the
 * operator (a + b ...) as a replacement and names the call after the
 * arguments as written: on two numbers the operator in TRY mode (ANSI
 * semantics, NULL instead of an overflow or a division by zero); on
 * anything else TryEval of the operator, which goes through the datetime
 * and interval rewrites (date + 1 is date_add, interval * 2 an INTERVAL
 * YEAR TO MONTH ...) and turns any error of the evaluation into NULL.
 * call->aux holds the replacement (a try_repl).
 */
typedef struct try_repl {
    lm_expr *op;
    bool numeric;
} try_repl;

static lm_status resolve_try(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    static const char *const sym[] = {"+", "-", "*", "/"};
    int op = try_op(call);
    try_repl *t = lm_arena_calloc(rc->a, 1, sizeof *t);
    lm_expr *e = lm_arena_calloc(rc->a, 1, sizeof *e);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 2);
    if (t == NULL || e == NULL || args == NULL)
        return fn_oom(err);
    args[0] = call->args[0];
    args[1] = call->args[1];
    e->kind = LM_EXPR_CALL;
    e->start = call->start;
    e->stop = call->stop;
    e->name = (char *)sym[op];
    e->fn = lm_func_lookup(sym[op]);
    e->flags = LM_CALL_OPERATOR;
    e->args = args;
    e->nargs = 2;
    e->resolved = true;
    if (e->fn == NULL)
        return fn_oom(err);
    t->numeric = lm_type_is_numeric(args[0]->type) && lm_type_is_numeric(args[1]->type);
    if (fn_resolve_arith_op(rc, e, op, err) != LM_OK)
        return LM_ERROR;
    t->op = e;
    call->aux = t;
    return fn_set_result(rc, call, lm_type_ref(e->type), true, err);
}

static lm_status try_null(lm_eval_ctx *ec, lm_status st, lm_value *out)
{
    if (st == LM_ERROR) {
        lm_error_clear(ec->err);
        *out = lm_value_null();
        return LM_OK;
    }
    return st;
}

static lm_status eval_try(lm_eval_ctx *ec, const lm_expr *call, const lm_value *row,
                          lm_value *out)
{
    const try_repl *t = call->aux;
    if (!t->numeric)
        return try_null(ec, lm_eval_expr(ec, t->op, row, out), out);
    /* the operator alone runs with ANSI semantics: its arguments keep the
       session's (try_add(1, 2147483647 + 1) adds 1 to the wrapped sum) */
    lm_value a[2];
    for (int i = 0; i < 2; i++) {
        lm_status st = lm_eval_expr(ec, t->op->args[i], row, &a[i]);
        if (st != LM_OK)
            return st;
        if (a[i].is_null) {
            *out = lm_value_null();
            return LM_OK;
        }
    }
    bool saved = ec->ansi;
    ec->ansi = true;
    lm_status st = fn_eval_arith_op(ec, t->op, try_op(call), a, out);
    ec->ansi = saved;
    return try_null(ec, st, out);
}

/* ------------------------------------------------------------ hex & co */

static lm_status resolve_hex(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (lm_type_is_integral(t) || t->id == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
            return LM_ERROR;
    } else if (t->id != LM_TYPE_STRING && t->id != LM_TYPE_BINARY) {
        if (lm_type_is_numeric(t)) {
            if (fn_cast_arg(rc, call, 0, lm_type_long(), err) != LM_OK)
                return LM_ERROR;
        } else
            return lm_coerce_unexpected_input(rc, call, 0,
                                              "(\"BIGINT\" or \"BINARY\" or \"STRING\")", err);
    }
    return fn_set_result(rc, call, lm_type_string(), call->args[0]->nullable, err);
}

static lm_status eval_hex(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    static const char H[] = "0123456789ABCDEF";
    if (call->args[0]->type->id == LM_TYPE_LONG) {
        char b[24];
        snprintf(b, sizeof b, "%llX", (unsigned long long)a[0].u.i64);
        return fn_out_str(ec, out, b, strlen(b));
    }
    int32_t n = a[0].u.str.len;
    char *d = fn_alloc(ec, (size_t)n * 2 + 1);
    if (d == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[0].u.str.ptr[i];
        d[2 * i] = H[c >> 4];
        d[2 * i + 1] = H[c & 15];
    }
    *out = lm_value_str(d, n * 2);
    return LM_OK;
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

static lm_status resolve_unhex(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 0, lm_type_string(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_binary(), true, err);
}

/* Hex.unhex: an odd length gets a leading 0; any bad digit gives NULL. */
static lm_status eval_unhex(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    const char *s = a[0].u.str.ptr;
    int32_t n = a[0].u.str.len;
    int32_t m = (n + 1) / 2;
    char *d = fn_alloc(ec, (size_t)m + 1);
    if (d == NULL)
        return LM_ENOMEM;
    int32_t i = 0, j = 0;
    if (n & 1) {
        int v = hexval(s[0]);
        if (v < 0) {
            *out = lm_value_null();
            return LM_OK;
        }
        d[j++] = (char)v;
        i = 1;
    }
    for (; i < n; i += 2) {
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0) {
            *out = lm_value_null();
            return LM_OK;
        }
        d[j++] = (char)(hi * 16 + lo);
    }
    *out = lm_value_str(d, j);
    return LM_OK;
}

static lm_status resolve_bin(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 0, lm_type_long(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), call->args[0]->nullable, err);
}

static lm_status eval_bin(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    uint64_t x = (uint64_t)a[0].u.i64;
    char b[65];
    int n = 0;
    do {
        b[n++] = (char)('0' + (x & 1));
        x >>= 1;
    } while (x);
    for (int i = 0; i < n / 2; i++) {
        char t = b[i];
        b[i] = b[n - 1 - i];
        b[n - 1 - i] = t;
    }
    return fn_out_str(ec, out, b, (size_t)n);
}

/* conv(num, from, to): Spark's NumberConverter on unsigned 64-bit values. */
static lm_status resolve_conv(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 0, lm_type_string(), NULL, err) != LM_OK ||
        fn_expect(rc, call, 1, lm_type_int(), NULL, err) != LM_OK ||
        fn_expect(rc, call, 2, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), true, err);
}

static int digit_of(char c, int radix)
{
    int v;
    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'z')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
        v = c - 'A' + 10;
    else
        return -1;
    return v < radix ? v : -1;
}

static lm_status eval_conv(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    int from = (int)a[1].u.i64, to = (int)a[2].u.i64;
    const char *s = a[0].u.str.ptr;
    int32_t n = a[0].u.str.len;
    while (n > 0 && s[0] == ' ') {
        s++;
        n--;
    }
    while (n > 0 && s[n - 1] == ' ')
        n--;
    *out = lm_value_null();
    if (from < 2 || from > 36 || abs(to) < 2 || abs(to) > 36 || n == 0)
        return LM_OK;
    bool neg = s[0] == '-';
    int32_t i = neg ? 1 : 0;
    /* decode as unsigned with overflow clamping to -1 (all ones), as
       NumberConverter.encode does */
    uint64_t v = 0;
    bool any = false;
    for (; i < n; i++) {
        int d = digit_of(s[i], from);
        if (d < 0)
            break;
        any = true;
        unsigned __int128 w = (unsigned __int128)v * (unsigned)from + (unsigned)d;
        if (w > UINT64_MAX) {
            v = UINT64_MAX;
            /* keep consuming digits; value saturates */
            for (; i < n && digit_of(s[i], from) >= 0; i++)
                ;
            break;
        }
        v = (uint64_t)w;
    }
    if (!any) {
        return fn_out_str(ec, out, "0", 1);
    }
    /* NumberConverter negates a negative input only when the magnitude
       fits a signed long; a larger one (or the all-ones overflow marker)
       becomes -1, i.e. 2^64 - 1 unsigned */
    if (neg && to > 0)
        v = (int64_t)v < 0 ? UINT64_MAX : (uint64_t)0 - v;
    char b[80];
    int k = 0;
    bool oneg = false;
    if (to < 0 && (int64_t)v < 0) {
        oneg = true;
        v = (uint64_t)0 - v;
    } else if (to < 0 && neg) {
        oneg = true;
    }
    int radix = abs(to);
    do {
        int d = (int)(v % (uint64_t)radix);
        b[k++] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
        v /= (uint64_t)radix;
    } while (v);
    if (oneg)
        b[k++] = '-';
    for (int x = 0; x < k / 2; x++) {
        char t = b[x];
        b[x] = b[k - 1 - x];
        b[k - 1 - x] = t;
    }
    return fn_out_str(ec, out, b, (size_t)k);
}

static lm_status resolve_factorial(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (fn_expect(rc, call, 0, lm_type_int(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_long(), true, err);
}

static lm_status eval_factorial(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    int64_t n = a[0].u.i64;
    if (n < 0 || n > 20) {
        *out = lm_value_null();
        return LM_OK;
    }
    int64_t r = 1;
    for (int64_t i = 2; i <= n; i++)
        r *= i;
    *out = lm_value_i64(r);
    return LM_OK;
}

/* width_bucket(v, min, max, n) */
static lm_status resolve_width_bucket(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < 3; i++)
        if (fn_expect(rc, call, i, lm_type_double(), NULL, err) != LM_OK)
            return LM_ERROR;
    if (fn_expect(rc, call, 3, lm_type_long(), NULL, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_long(), true, err);
}

static lm_status eval_width_bucket(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    double v = a[0].u.f64, lo = a[1].u.f64, hi = a[2].u.f64;
    int64_t n = a[3].u.i64;
    *out = lm_value_null();
    if (n <= 0 || n == INT64_MAX || isnan(v) || lo == hi || isnan(lo) || isinf(lo) ||
        isnan(hi) || isinf(hi))
        return LM_OK;
    if (lo < hi) {
        if (v < lo)
            *out = lm_value_i64(0);
        else if (v >= hi)
            *out = lm_value_i64(n + 1);
        else
            *out = lm_value_i64((int64_t)((double)n * (v - lo) / (hi - lo)) + 1);
    } else {
        if (v > lo)
            *out = lm_value_i64(0);
        else if (v <= hi)
            *out = lm_value_i64(n + 1);
        else
            *out = lm_value_i64((int64_t)((double)n * (lo - v) / (lo - hi)) + 1);
    }
    return LM_OK;
}

/* ------------------------------------------------------------ rand */

/*
 * Generator state is per call and per partition, as Spark seeds each
 * partition with seed + partitionIndex. It lives in a thread-local table
 * the executor resets with lm_func_partition_begin (families.h).
 */
#define MAX_STATES 32
static _Thread_local struct {
    int partition;
    int n;
    const lm_expr *calls[MAX_STATES];
    lm_xorshift gens[MAX_STATES];
} t_rand;

void fn_misc_partition_reset(void);

void lm_func_partition_begin(int partition_index)
{
    t_rand.partition = partition_index;
    t_rand.n = 0;
    fn_misc_partition_reset();
}

int lm_func_partition_index(void)
{
    return t_rand.partition;
}

int lm_func_state_mark(void)
{
    return t_rand.n;
}

void lm_func_state_release(int mark)
{
    if (mark >= 0 && mark < t_rand.n)
        t_rand.n = mark;
}

static lm_xorshift *rand_state(const lm_expr *call, int64_t seed)
{
    for (int i = 0; i < t_rand.n; i++)
        if (t_rand.calls[i] == call)
            return &t_rand.gens[i];
    int i = t_rand.n < MAX_STATES ? t_rand.n++ : MAX_STATES - 1;
    t_rand.calls[i] = call;
    lm_xorshift_init(&t_rand.gens[i], seed + t_rand.partition);
    return &t_rand.gens[i];
}

static lm_status resolve_rand(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 0) {
        /* Spark draws a random seed and prints it in the name */
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
        lm_expr *seed = lm_arena_calloc(rc->a, 1, sizeof *seed);
        if (args == NULL || seed == NULL)
            return fn_oom(err);
        seed->kind = LM_EXPR_LITERAL;
        seed->start = seed->stop = -1;
        seed->type = lm_type_long();
        seed->value = lm_value_i64((int64_t)(((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)rand()));
        seed->resolved = true;
        seed->text = lm_arena_printf(rc->a, "%lldL", (long long)seed->value.u.i64);
        args[0] = seed;
        call->args = args;
        call->nargs = 1;
    } else {
        const lm_type *t = call->args[0]->type;
        if (t->id != LM_TYPE_INT && t->id != LM_TYPE_LONG && t->id != LM_TYPE_NULL)
            return lm_coerce_unexpected_input(rc, call, 0, "(\"INT\" or \"BIGINT\")", err);
        if (!fn_is_foldable(call->args[0])) {
            lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                               "the input seed should be a foldable \"INT\" or \"BIGINT\" "
                               "expression; however, got %s.",
                               lm_coerce_quote_sql(rc, call->args[0]));
            return LM_ERROR;
        }
    }
    return fn_set_result(rc, call, lm_type_double(), false, err);
}

static lm_status eval_rand(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                           lm_value *out)
{
    int64_t seed = a[0].is_null ? 0 : a[0].u.i64;
    lm_xorshift *x = rand_state(call, seed);
    bool gauss = strcmp(call->fn->name, "randn") == 0;
    *out = lm_value_f64(gauss ? lm_xorshift_next_gaussian(x) : lm_xorshift_next_double(x));
    return LM_OK;
}

/* ------------------------------------------------------------ table */

#define NI LM_FN_NULL_INTOLERANT
#define UD(nm, pn) \
    {.name = nm, .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_double_args, \
     .eval = eval_unary_double, .pretty = pn}
#define BD(nm, pn) \
    {.name = nm, .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_double_args, \
     .eval = eval_binary_double, .pretty = pn}

static const lm_func_def k_defs[] = {
    UD("sqrt", "SQRT"), UD("cbrt", "CBRT"), UD("exp", "EXP"), UD("expm1", "EXPM1"),
    UD("ln", "ln"), UD("log10", "LOG10"), UD("log2", "LOG2"), UD("log1p", "LOG1P"),
    UD("sin", "SIN"), UD("cos", "COS"), UD("tan", "TAN"), UD("asin", "ASIN"),
    UD("acos", "ACOS"), UD("atan", "ATAN"), UD("sinh", "SINH"), UD("cosh", "COSH"),
    UD("tanh", "TANH"), UD("asinh", "ASINH"), UD("acosh", "ACOSH"), UD("atanh", "ATANH"),
    UD("cot", "COT"), UD("sec", "SEC"), UD("csc", "CSC"), UD("degrees", "DEGREES"),
    UD("radians", "RADIANS"), UD("signum", "SIGNUM"), UD("sign", "sign"), UD("rint", "rint"),
    BD("atan2", "ATAN2"), BD("hypot", "HYPOT"), BD("pow", "pow"), BD("power", "POWER"),
    {.name = "log", .min_args = 1, .max_args = 2, .flags = NI, .resolve = resolve_log,
     .eval = eval_binary_double, .pretty = "LOG"},
    {.name = "pi", .min_args = 0, .max_args = 0, .resolve = resolve_const, .eval = eval_pi,
     .pretty = "PI"},
    {.name = "e", .min_args = 0, .max_args = 0, .resolve = resolve_const, .eval = eval_e,
     .pretty = "E"},
    {.name = "abs", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_abs,
     .eval = eval_abs, .pretty = "abs"},
    {.name = "ceil", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_ceil_floor,
     .eval = eval_ceil_floor, .pretty = "CEIL"},
    {.name = "ceiling", .min_args = 1, .max_args = 1, .flags = NI,
     .resolve = resolve_ceil_floor, .eval = eval_ceil_floor, .pretty = "ceiling"},
    {.name = "floor", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_ceil_floor,
     .eval = eval_ceil_floor, .pretty = "FLOOR"},
    {.name = "round", .min_args = 1, .max_args = 2, .flags = NI, .resolve = resolve_round,
     .eval = eval_round, .pretty = "round"},
    {.name = "bround", .min_args = 1, .max_args = 2, .flags = NI, .resolve = resolve_round,
     .eval = eval_round, .pretty = "bround"},
    {.name = "pmod", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_pmod,
     .eval = eval_pmod, .pretty = "pmod"},
    {.name = "mod", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_mod,
     .eval = eval_mod, .pretty = "mod"},
    {.name = "try_add", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_try, .eval_lazy = eval_try, .pretty = "try_add"},
    {.name = "try_subtract", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_try, .eval_lazy = eval_try, .pretty = "try_subtract"},
    {.name = "try_multiply", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_try, .eval_lazy = eval_try, .pretty = "try_multiply"},
    {.name = "try_divide", .min_args = 2, .max_args = 2, .flags = LM_FN_LAZY,
     .resolve = resolve_try, .eval_lazy = eval_try, .pretty = "try_divide"},
    {.name = "hex", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_hex,
     .eval = eval_hex, .pretty = "hex"},
    {.name = "unhex", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_unhex,
     .eval = eval_unhex, .pretty = "unhex"},
    {.name = "bin", .min_args = 1, .max_args = 1, .flags = NI, .resolve = resolve_bin,
     .eval = eval_bin, .pretty = "bin"},
    {.name = "conv", .min_args = 3, .max_args = 3, .flags = NI, .resolve = resolve_conv,
     .eval = eval_conv, .pretty = "conv"},
    {.name = "factorial", .min_args = 1, .max_args = 1, .flags = NI,
     .resolve = resolve_factorial, .eval = eval_factorial, .pretty = "factorial"},
    {.name = "width_bucket", .min_args = 4, .max_args = 4, .flags = NI,
     .resolve = resolve_width_bucket, .eval = eval_width_bucket, .pretty = "width_bucket"},
    {.name = "rand", .min_args = 0, .max_args = 1, .flags = LM_FN_NONDETERMINISTIC,
     .resolve = resolve_rand, .eval = eval_rand, .pretty = "rand"},
    {.name = "random", .min_args = 0, .max_args = 1, .flags = LM_FN_NONDETERMINISTIC,
     .resolve = resolve_rand, .eval = eval_rand, .pretty = "random"},
    {.name = "randn", .min_args = 0, .max_args = 1, .flags = LM_FN_NONDETERMINISTIC,
     .resolve = resolve_rand, .eval = eval_rand, .pretty = "randn"},
};

const lm_func_table lm_funcs_math = {k_defs, sizeof k_defs / sizeof k_defs[0]};
