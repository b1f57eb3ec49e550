/*
 * Test fixture for the function-library suites: builds resolved call
 * trees from literals and bound columns, resolves them through the
 * registry entry's resolve hook (as the analyzer does) and evaluates
 * them with an lm_eval_ctx. Included by tests/unit/test_functions_*.c
 * after cmocka.h.
 */
#ifndef TESTS_FUNCTIONS_FIXTURE_H
#define TESTS_FUNCTIONS_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/coerce.h"
#include "expr/cast.h"
#include "expr/eval.h"
#include "expr/func.h"
#include "render/render.h"
#include "types/datetime.h"
#include "types/numfmt.h"
#include "functions/families.h"

/* The suites link only the pieces they use; these hooks belong to the
   executor and renderer, which the function tests do not exercise. */
__attribute__((weak)) lm_status lm_exec_subquery(lm_eval_ctx *ec, const lm_expr *e,
                                                 const lm_value *row, lm_value *out)
{
    (void)e;
    (void)row;
    *out = lm_value_null();
    return lm_error_set(ec->err, LM_ERROR, NULL, NULL, NULL, "no subqueries in unit tests");
}

/* Literals print as CAST(v AS STRING) would, strings bare: enough for the
   generated names the suites check (pretty style). */
__attribute__((weak)) void lm_render(lm_strbuf *sb, const lm_type *t, const lm_value *v,
                                     lm_render_style style, const struct lm_tz *tz)
{
    (void)style;
    if (v->is_null) {
        lm_strbuf_puts(sb, "NULL");
        return;
    }
    lm_error err;
    lm_error_init(&err);
    lm_arena a;
    lm_arena_init(&a, 0);
    lm_eval_ctx ec;
    memset(&ec, 0, sizeof ec);
    ec.arena = &a;
    ec.err = &err;
    ec.tz = tz;
    lm_value s;
    if (lm_cast_to_string(&ec, t, v, &s) == LM_OK && !s.is_null)
        lm_strbuf_append(sb, s.u.str.ptr, (size_t)s.u.str.len);
    lm_arena_free(&a);
    lm_error_clear(&err);
}

typedef struct fx {
    lm_arena a;
    lm_error err;
    lm_eval_ctx ec;
    lm_resolve_ctx rc;
} fx;

static __attribute__((unused)) int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    lm_arena_init(&f->a, 0);
    lm_error_init(&f->err);
    f->ec.arena = &f->a;
    f->ec.err = &f->err;
    f->ec.tz = lm_tz_utc();
    f->rc.a = &f->a;
    *state = f;
    return 0;
}

static __attribute__((unused)) int fx_teardown(void **state)
{
    fx *f = *state;
    lm_arena_free(&f->a);
    lm_error_clear(&f->err);
    free(f);
    return 0;
}

static __attribute__((unused)) lm_expr *fx_new(fx *f, lm_expr_kind kind)
{
    lm_expr *e = lm_arena_calloc(&f->a, 1, sizeof *e);
    e->kind = kind;
    e->start = e->stop = -1;
    e->resolved = true;
    return e;
}

static __attribute__((unused)) lm_expr *fx_lit(fx *f, lm_type *t, lm_value v)
{
    lm_expr *e = fx_new(f, LM_EXPR_LITERAL);
    e->type = lm_arena_keep_type(&f->a, lm_type_ref(t));
    e->value = v;
    e->nullable = v.is_null;
    return e;
}

static __attribute__((unused)) lm_expr *fx_int(fx *f, int64_t x) { return fx_lit(f, lm_type_int(), lm_value_i64(x)); }
static __attribute__((unused)) lm_expr *fx_long(fx *f, int64_t x) { return fx_lit(f, lm_type_long(), lm_value_i64(x)); }
static __attribute__((unused)) lm_expr *fx_dbl(fx *f, double x) { return fx_lit(f, lm_type_double(), lm_value_f64(x)); }
static __attribute__((unused)) lm_expr *fx_bool(fx *f, bool x) { return fx_lit(f, lm_type_boolean(), lm_value_bool(x)); }
static __attribute__((unused)) lm_expr *fx_null(fx *f) { return fx_lit(f, lm_type_null(), lm_value_null()); }
static __attribute__((unused)) lm_expr *fx_null_of(fx *f, lm_type *t) { return fx_lit(f, t, lm_value_null()); }

static __attribute__((unused)) lm_expr *fx_str(fx *f, const char *s)
{
    return fx_lit(f, lm_type_string(), lm_value_str(lm_arena_strdup(&f->a, s), (int32_t)strlen(s)));
}

/* DECIMAL(p, s) literal from its text ("1.50"). */
static __attribute__((unused)) lm_expr *fx_dec(fx *f, int p, int s, const char *text)
{
    lm_type *t = lm_type_decimal(p, s);
    lm_expr *e = fx_lit(f, t, lm_value_null());
    lm_type_unref(t);
    lm_eval_ctx *ec = &f->ec;
    lm_value in = lm_value_str(text, (int32_t)strlen(text)), out;
    lm_cast_value(ec, lm_type_string(), e->type, &in, &out, 0);
    e->value = out;
    e->nullable = false;
    return e;
}

/* A bound column `name` of type t; reads row[ordinal]. */
static __attribute__((unused)) lm_expr *fx_col(fx *f, const char *name, lm_type *t, int ordinal)
{
    lm_expr *e = fx_new(f, LM_EXPR_BOUND);
    e->name = lm_arena_strdup(&f->a, name);
    e->type = lm_arena_keep_type(&f->a, lm_type_ref(t));
    e->ordinal = ordinal;
    e->nullable = true;
    return e;
}

static __attribute__((unused)) lm_expr *fx_cast(fx *f, lm_expr *arg, lm_type *to)
{
    lm_expr *e = fx_new(f, LM_EXPR_CAST);
    e->args = lm_arena_alloc(&f->a, sizeof(lm_expr *));
    e->args[0] = arg;
    e->nargs = 1;
    e->type = lm_arena_keep_type(&f->a, lm_type_ref(to));
    e->nullable = true;
    return e;
}

/* Resolves name(args...) through the registry; NULL with f->err set on an
   analysis error. Pass the args terminated by NULL. */
static __attribute__((unused)) lm_expr *fx_callv(fx *f, const char *name, lm_expr **argv, int n)
{
    const lm_func_def *def = lm_func_lookup(name);
    if (def == NULL) {
        lm_error_set(&f->err, LM_ERROR, NULL, "UNRESOLVED_ROUTINE", NULL, "no function %s", name);
        return NULL;
    }
    lm_expr *e = fx_new(f, LM_EXPR_CALL);
    e->name = lm_arena_strdup(&f->a, name);
    e->fn = def;
    e->nargs = n;
    e->args = lm_arena_alloc(&f->a, sizeof(lm_expr *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        e->args[i] = argv[i];
    if (def->resolve(&f->rc, e, &f->err) != LM_OK)
        return NULL;
    return e;
}

static __attribute__((unused)) lm_expr *fx_call(fx *f, const char *name, ...)
{
    lm_expr *argv[16];
    int n = 0;
    va_list ap;
    va_start(ap, name);
    lm_expr *a;
    while (n < 16 && (a = va_arg(ap, lm_expr *)) != NULL)
        argv[n++] = a;
    va_end(ap);
    return fx_callv(f, name, argv, n);
}

static __attribute__((unused)) lm_value fx_eval_row(fx *f, const lm_expr *e, const lm_value *row)
{
    lm_value v = lm_value_null();
    lm_error_clear(&f->err);
    if (lm_eval_expr(&f->ec, e, row, &v) != LM_OK)
        v.is_null = true;
    return v;
}

static __attribute__((unused)) lm_value fx_eval(fx *f, const lm_expr *e)
{
    return fx_eval_row(f, e, NULL);
}

/* CAST(value AS STRING) of e's result, "NULL" for NULL, "ERROR:<class>" on errors. */
static __attribute__((unused)) const char *fx_show(fx *f, const lm_expr *e)
{
    if (e == NULL)
        return f->err.error_class ? lm_arena_printf(&f->a, "ANALYSIS:%s", f->err.error_class)
                                  : "ANALYSIS";
    lm_value v = lm_value_null();
    lm_error_clear(&f->err);
    if (lm_eval_expr(&f->ec, e, NULL, &v) != LM_OK)
        return lm_arena_printf(&f->a, "ERROR:%s", f->err.error_class ? f->err.error_class : "?");
    if (v.is_null)
        return "NULL";
    lm_value s;
    if (lm_cast_to_string(&f->ec, e->type, &v, &s) != LM_OK)
        return "?";
    return lm_arena_strndup(&f->a, s.u.str.ptr, (size_t)s.u.str.len);
}

static __attribute__((unused)) const char *fx_type(fx *f, const lm_expr *e)
{
    if (e == NULL)
        return "<unresolved>";
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, e->type);
    char *r = lm_arena_strdup(&f->a, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

static __attribute__((unused)) const char *fx_name(fx *f, const lm_expr *e)
{
    return e ? lm_expr_pretty_arena(&f->a, e) : "<unresolved>";
}

#endif
