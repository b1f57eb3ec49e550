/*
 * Type coercion rules (Spark 3.5, non-ANSI TypeCoercion) and the
 * implicit casts they insert.
 */
#include "coerce.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void unref_type(void *t)
{
    lm_type_unref(t);
}

lm_type *lm_arena_keep_type(lm_arena *a, lm_type *t)
{
    if (t == NULL || t->refcount < 0)
        return t;
    if (!lm_arena_on_free(a, unref_type, t)) {
        lm_type_unref(t);
        return NULL;
    }
    return t;
}

lm_expr *lm_coerce_to(lm_resolve_ctx *rc, lm_expr *e, const lm_type *t)
{
    if (lm_type_equal(e->type, t))
        return e;
    lm_expr *c = lm_arena_calloc(rc->a, 1, sizeof *c);
    lm_expr **args = lm_arena_alloc(rc->a, sizeof *args);
    if (c == NULL || args == NULL)
        return NULL;
    c->kind = LM_EXPR_CAST;
    c->flags = LM_CAST_IMPLICIT;
    c->start = e->start;
    c->stop = e->stop;
    args[0] = e;
    c->args = args;
    c->nargs = 1;
    c->type = lm_arena_keep_type(rc->a, lm_type_ref((lm_type *)t));
    if (c->type == NULL)
        return NULL;
    c->resolved = true;
    c->nullable = e->nullable;
    return c;
}

static int numeric_rank(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE: return 1;
    case LM_TYPE_SHORT: return 2;
    case LM_TYPE_INT: return 3;
    case LM_TYPE_LONG: return 4;
    case LM_TYPE_FLOAT: return 5;
    case LM_TYPE_DOUBLE: return 6;
    default: return 0;
    }
}

lm_type *lm_decimal_for(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BYTE: return lm_type_decimal(3, 0);
    case LM_TYPE_SHORT: return lm_type_decimal(5, 0);
    case LM_TYPE_INT: return lm_type_decimal(10, 0);
    case LM_TYPE_LONG: return lm_type_decimal(20, 0);
    case LM_TYPE_FLOAT: return lm_type_decimal(14, 7);
    case LM_TYPE_DOUBLE: return lm_type_decimal(30, 15);
    case LM_TYPE_DECIMAL: return lm_type_ref((lm_type *)t);
    default: return NULL;
    }
}

/* DecimalType.isWiderThan for an integral type. */
static bool decimal_wider_than(const lm_type *d, const lm_type *integral)
{
    lm_type *o = lm_decimal_for(integral);
    if (o == NULL)
        return false;
    bool r = (d->precision - d->scale) >= (o->precision - o->scale) && d->scale >= o->scale;
    lm_type_unref(o);
    return r;
}

static lm_type *bounded_decimal(int p, int s)
{
    if (p > LM_DECIMAL_MAX_PRECISION)
        p = LM_DECIMAL_MAX_PRECISION;
    if (s > LM_DECIMAL_MAX_PRECISION)
        s = LM_DECIMAL_MAX_PRECISION;
    return lm_type_decimal(p, s);
}

static lm_type *wider_decimal(const lm_type *a, const lm_type *b)
{
    int s = a->scale > b->scale ? a->scale : b->scale;
    int ra = a->precision - a->scale, rb = b->precision - b->scale;
    int range = ra > rb ? ra : rb;
    return bounded_decimal(range + s, s);
}

typedef lm_type *(*widen_fn)(const lm_type *, const lm_type *);

/* Arrays, maps and structs widen element-wise (findTypeForComplex). */
static lm_type *complex_common(const lm_type *a, const lm_type *b, widen_fn f)
{
    if (a->id != b->id)
        return NULL;
    if (a->id == LM_TYPE_ARRAY) {
        lm_type *e = f(a->elem, b->elem);
        if (e == NULL)
            return NULL;
        lm_type *r = lm_type_array(e, a->contains_null || b->contains_null);
        lm_type_unref(e);
        return r;
    }
    if (a->id == LM_TYPE_MAP) {
        lm_type *k = f(a->key, b->key);
        lm_type *v = k ? f(a->value, b->value) : NULL;
        lm_type *r = (k && v) ? lm_type_map(k, v, a->value_contains_null || b->value_contains_null)
                              : NULL;
        lm_type_unref(k);
        lm_type_unref(v);
        return r;
    }
    if (a->id == LM_TYPE_STRUCT) {
        if (a->nfields != b->nfields)
            return NULL;
        lm_field *fs = calloc((size_t)(a->nfields ? a->nfields : 1), sizeof *fs);
        if (fs == NULL)
            return NULL;
        lm_type *r = NULL;
        int i;
        for (i = 0; i < a->nfields; i++) {
            if (strcasecmp(a->fields[i].name, b->fields[i].name) != 0)
                break;
            fs[i].name = a->fields[i].name;
            fs[i].nullable = a->fields[i].nullable || b->fields[i].nullable;
            fs[i].type = f(a->fields[i].type, b->fields[i].type);
            if (fs[i].type == NULL)
                break;
        }
        if (i == a->nfields)
            r = lm_type_struct(fs, a->nfields);
        for (int j = 0; j < a->nfields && j <= i; j++)
            if (j < a->nfields && fs[j].type)
                lm_type_unref(fs[j].type);
        free(fs);
        return r;
    }
    return NULL;
}

lm_type *lm_coerce_tightest(const lm_type *a, const lm_type *b)
{
    if (lm_type_equal(a, b))
        return lm_type_ref((lm_type *)a);
    if (a->id == LM_TYPE_NULL)
        return lm_type_ref((lm_type *)b);
    if (b->id == LM_TYPE_NULL)
        return lm_type_ref((lm_type *)a);
    if (lm_type_is_integral(a) && b->id == LM_TYPE_DECIMAL && decimal_wider_than(b, a))
        return lm_type_ref((lm_type *)b);
    if (a->id == LM_TYPE_DECIMAL && lm_type_is_integral(b) && decimal_wider_than(a, b))
        return lm_type_ref((lm_type *)a);
    int ra = numeric_rank(a->id), rb = numeric_rank(b->id);
    if (ra && rb)
        return lm_type_ref(ra > rb ? (lm_type *)a : (lm_type *)b);
    if ((a->id == LM_TYPE_TIMESTAMP || a->id == LM_TYPE_TIMESTAMP_NTZ || a->id == LM_TYPE_DATE) &&
        (b->id == LM_TYPE_TIMESTAMP || b->id == LM_TYPE_TIMESTAMP_NTZ || b->id == LM_TYPE_DATE)) {
        if (a->id == LM_TYPE_TIMESTAMP || b->id == LM_TYPE_TIMESTAMP)
            return lm_type_timestamp();
        return lm_type_timestamp_ntz();
    }
    if (a->id == LM_TYPE_DT_INTERVAL && b->id == LM_TYPE_DT_INTERVAL)
        return lm_type_dt_interval(a->start_field < b->start_field ? a->start_field : b->start_field,
                                   a->end_field > b->end_field ? a->end_field : b->end_field);
    if (a->id == LM_TYPE_YM_INTERVAL && b->id == LM_TYPE_YM_INTERVAL)
        return lm_type_ym_interval(a->start_field < b->start_field ? a->start_field : b->start_field,
                                   a->end_field > b->end_field ? a->end_field : b->end_field);
    if (lm_type_same_ignoring_nullable(a, b) || lm_type_is_complex(a))
        return complex_common(a, b, lm_coerce_tightest);
    return NULL;
}

static lm_type *wider_decimal_pair(const lm_type *a, const lm_type *b)
{
    if (a->id == LM_TYPE_DECIMAL && b->id == LM_TYPE_DECIMAL)
        return wider_decimal(a, b);
    if (a->id == LM_TYPE_DECIMAL && lm_type_is_integral(b)) {
        lm_type *d = lm_decimal_for(b);
        lm_type *r = wider_decimal(d, a);
        lm_type_unref(d);
        return r;
    }
    if (b->id == LM_TYPE_DECIMAL && lm_type_is_integral(a))
        return wider_decimal_pair(b, a);
    if ((a->id == LM_TYPE_DECIMAL && lm_type_is_fractional(b)) ||
        (b->id == LM_TYPE_DECIMAL && lm_type_is_fractional(a)))
        return lm_type_double();
    return NULL;
}

static bool atomic(const lm_type *t)
{
    return !lm_type_is_complex(t) && t->id != LM_TYPE_NULL;
}

static lm_type *string_promotion(const lm_type *a, const lm_type *b)
{
    if (a->id == LM_TYPE_STRING && atomic(b) && b->id != LM_TYPE_BINARY && b->id != LM_TYPE_BOOLEAN)
        return lm_type_string();
    if (b->id == LM_TYPE_STRING && atomic(a) && a->id != LM_TYPE_BINARY && a->id != LM_TYPE_BOOLEAN)
        return lm_type_string();
    return NULL;
}

lm_type *lm_coerce_wider(const lm_type *a, const lm_type *b)
{
    lm_type *r = lm_coerce_tightest(a, b);
    if (r == NULL)
        r = wider_decimal_pair(a, b);
    if (r == NULL)
        r = string_promotion(a, b);
    if (r == NULL && lm_type_is_complex(a))
        r = complex_common(a, b, lm_coerce_wider);
    return r;
}

lm_type *lm_coerce_wider_no_string(const lm_type *a, const lm_type *b)
{
    lm_type *r = lm_coerce_tightest(a, b);
    if (r == NULL)
        r = wider_decimal_pair(a, b);
    if (r == NULL && lm_type_is_complex(a))
        r = complex_common(a, b, lm_coerce_wider_no_string);
    return r;
}

lm_type *lm_coerce_wider_all(lm_expr **es, int n, bool string_promotion_ok)
{
    if (n == 0)
        return lm_type_null();
    /* Spark folds over the types; with string promotion it first tries
       without it so that e.g. (int, string, long) still widens numerically
       where it can. */
    lm_type *acc = lm_type_ref(es[0]->type);
    for (int i = 1; i < n && acc; i++) {
        lm_type *next = string_promotion_ok ? lm_coerce_wider(acc, es[i]->type)
                                            : lm_coerce_wider_no_string(acc, es[i]->type);
        lm_type_unref(acc);
        acc = next;
    }
    return acc;
}

lm_type *lm_coerce_comparison(const lm_type *a, const lm_type *b)
{
    if (lm_type_equal(a, b))
        return lm_type_ref((lm_type *)a);
    lm_type_id x = a->id, y = b->id;
    if (x == LM_TYPE_STRING && y == LM_TYPE_DATE)
        return lm_type_date();
    if (x == LM_TYPE_DATE && y == LM_TYPE_STRING)
        return lm_type_date();
    if (x == LM_TYPE_STRING && (y == LM_TYPE_TIMESTAMP || y == LM_TYPE_TIMESTAMP_NTZ))
        return lm_type_ref((lm_type *)b);
    if ((x == LM_TYPE_TIMESTAMP || x == LM_TYPE_TIMESTAMP_NTZ) && y == LM_TYPE_STRING)
        return lm_type_ref((lm_type *)a);
    if ((x == LM_TYPE_STRING && y == LM_TYPE_NULL) || (x == LM_TYPE_NULL && y == LM_TYPE_STRING))
        return lm_type_string();
    if ((x == LM_TYPE_DECIMAL && y == LM_TYPE_STRING) || (x == LM_TYPE_STRING && y == LM_TYPE_DECIMAL))
        return lm_type_double();
    if (x == LM_TYPE_STRING && atomic(b))
        return lm_type_ref((lm_type *)b);
    if (y == LM_TYPE_STRING && atomic(a))
        return lm_type_ref((lm_type *)a);
    lm_type *r = wider_decimal_pair(a, b);
    if (r == NULL)
        r = lm_coerce_tightest(a, b);
    return r;
}

char *lm_coerce_quote_sql(lm_resolve_ctx *rc, const lm_expr *e)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    /* Spark quotes the pretty form of the expression (toSQLExpr) */
    lm_strbuf_putc(&sb, '"');
    lm_expr_pretty(&sb, e);
    lm_strbuf_putc(&sb, '"');
    char *r = lm_arena_strdup(rc->a, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

char *lm_coerce_quote_type(lm_resolve_ctx *rc, const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '"');
    lm_type_sql_string(&sb, t);
    lm_strbuf_putc(&sb, '"');
    char *r = lm_arena_strdup(rc->a, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

lm_status lm_coerce_mismatch(lm_resolve_ctx *rc, const lm_expr *call, lm_error *err,
                             const char *subclass, const char *fmt, ...)
{
    char cls[128];
    snprintf(cls, sizeof cls, "DATATYPE_MISMATCH.%s", subclass);
    char *sqlexpr = lm_coerce_quote_sql(rc, call);
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    lm_error_set(err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42K09",
                 "[%s] Cannot resolve %s due to data type mismatch: %s", cls,
                 sqlexpr ? sqlexpr : "", detail);
    lm_error_param_add(err, "sqlExpr", sqlexpr);
    lm_error_set_context(err, call->start, call->stop);
    return LM_ERROR;
}

lm_status lm_coerce_unexpected_input(lm_resolve_ctx *rc, const lm_expr *call, int i,
                                     const char *required_type, lm_error *err)
{
    char *got = lm_coerce_quote_type(rc, call->args[i]->type);
    char *sqlarg = lm_coerce_quote_sql(rc, call->args[i]);
    char pos[16];
    snprintf(pos, sizeof pos, "%d", i + 1);
    lm_coerce_mismatch(rc, call, err, "UNEXPECTED_INPUT_TYPE",
                       "Parameter %d requires the %s type, however %s has the type %s.", i + 1,
                       required_type, sqlarg ? sqlarg : "", got ? got : "");
    lm_error_param_add(err, "paramIndex", pos);
    lm_error_param_add(err, "requiredType", required_type);
    lm_error_param_add(err, "inputSql", sqlarg);
    lm_error_param_add(err, "inputType", got);
    return LM_ERROR;
}
