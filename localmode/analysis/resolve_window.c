/*
 * Window functions in the analyzer, as Spark's WindowsSubstitution,
 * ResolveWindowFrame, ResolveWindowOrder, WindowFrameCoercion,
 * ExtractWindowExpressions and the frame checks of CheckAnalysis do it:
 *
 *   - `OVER w` takes the named window of the query's WINDOW clause
 *     (an_substitute_windows, before resolution);
 *   - every window call gets its frame, so its generated column name shows
 *     it: a ranking function's required frame, lag/lead's one-row offset
 *     frame, else RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW with an
 *     ORDER BY and ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
 *     without (an_resolve_window_call, after the call resolved);
 *   - frames are validated with Spark's DATATYPE_MISMATCH.* classes, RANGE
 *     offsets cast to the ORDER BY key's type;
 *   - the calls of a query block become WINDOW nodes, one per distinct
 *     (partition, order, frame), each appending its results to its input
 *     row (an_build_window).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "expr/cast.h"
#include "expr/eval.h"

/* --------------------------------------------------- named windows */

static lm_status window_not_defined(lm_analyzer *an, const char *name)
{
    lm_error_set(an->err, LM_ERROR, LM_EXC_EXT_ANALYSIS, "_LEGACY_ERROR_TEMP_1004", NULL,
                 "Window specification %s is not defined in the WINDOW clause.", name);
    lm_error_param_add(an->err, "windowName", name);
    return LM_ERROR;
}

static const lm_window_spec *find_window(const lm_plan *node, const char *name)
{
    for (int i = 0; node && i < node->nwindows; i++)
        if (strcasecmp(node->windows[i].name, name) == 0)
            return node->windows[i].spec;
    return NULL;
}

lm_expr *an_substitute_windows(lm_analyzer *an, const lm_plan *node, lm_expr *e)
{
    if (e == NULL || e->resolved || e->kind == LM_EXPR_LAMBDA)
        return e;
    lm_expr *c = NULL;
    if (e->kind == LM_EXPR_CALL && e->window && e->window->ref_name) {
        const lm_window_spec *w = e->window;
        /* a named window may itself name another one */
        for (int depth = 0; w->ref_name && depth < 16; depth++) {
            const lm_window_spec *d = find_window(node, w->ref_name);
            if (d == NULL) {
                window_not_defined(an, w->ref_name);
                return NULL;
            }
            w = d;
        }
        if ((c = an_alloc(an, sizeof *c)) == NULL)
            return NULL;
        *c = *e;
        c->window = (lm_window_spec *)w;
    }
    if (e->nargs) {
        lm_expr **args = an_alloc(an, sizeof(lm_expr *) * (size_t)e->nargs);
        if (args == NULL)
            return NULL;
        bool changed = false;
        for (int i = 0; i < e->nargs; i++) {
            if ((args[i] = an_substitute_windows(an, node, e->args[i])) == NULL)
                return NULL;
            changed |= args[i] != e->args[i];
        }
        if (changed) {
            if (c == NULL && (c = an_alloc(an, sizeof *c)) != NULL)
                *c = *e;
            if (c == NULL)
                return NULL;
            c->args = args;
        }
    }
    return c ? c : e;
}

/* --------------------------------------------------------- frames */

static bool is_fn(const lm_expr *c, const char *name)
{
    return strcmp(c->fn->name, name) == 0;
}

static void bound_sql(lm_strbuf *sb, const lm_frame_bound *b)
{
    switch (b->kind) {
    case LM_BOUND_UNBOUNDED_PRECEDING:
        lm_strbuf_puts(sb, "UNBOUNDED PRECEDING");
        break;
    case LM_BOUND_UNBOUNDED_FOLLOWING:
        lm_strbuf_puts(sb, "UNBOUNDED FOLLOWING");
        break;
    case LM_BOUND_CURRENT_ROW:
        lm_strbuf_puts(sb, "CURRENT ROW");
        break;
    case LM_BOUND_PRECEDING:
        lm_expr_pretty(sb, b->offset);
        lm_strbuf_puts(sb, " PRECEDING");
        break;
    case LM_BOUND_FOLLOWING:
        lm_expr_pretty(sb, b->offset);
        lm_strbuf_puts(sb, " FOLLOWING");
        break;
    }
}

/* specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$()) is
   how Spark's toString shows a frame in legacy messages. */
static void frame_string(lm_strbuf *sb, lm_frame_type type, const lm_frame_bound *lo,
                         const lm_frame_bound *hi)
{
    lm_strbuf_puts(sb, type == LM_FRAME_ROWS ? "ROWS BETWEEN " : "RANGE BETWEEN ");
    bound_sql(sb, lo);
    lm_strbuf_puts(sb, " AND ");
    bound_sql(sb, hi);
}

static char *frame_sql_q(lm_analyzer *an, const lm_window_spec *w)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '"');
    frame_string(&sb, w->frame_type, &w->frame_start, &w->frame_end);
    lm_strbuf_putc(&sb, '"');
    char *s = lm_strbuf_ok(&sb) ? an_strdup(an, lm_strbuf_cstr(&sb)) : NULL;
    lm_strbuf_free(&sb);
    return s;
}

/* A spec-level DATATYPE_MISMATCH, thrown by CheckAnalysis as an
   ExtendedAnalysisException. */
static lm_status ext_error(lm_analyzer *an, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static lm_status ext_error(lm_analyzer *an, const char *cls, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lm_error_set(an->err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42K09", "[%s] %s", cls, msg);
}

static lm_status frame_mismatch(lm_analyzer *an, const lm_window_spec *w, const char *sub,
                                const char *detail)
{
    char cls[96];
    snprintf(cls, sizeof cls, "DATATYPE_MISMATCH.%s", sub);
    char *q = frame_sql_q(an, w);
    lm_error_set(an->err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42K09",
                 "[%s] Cannot resolve %s due to data type mismatch: %s", cls, q ? q : "", detail);
    lm_error_param_add(an->err, "sqlExpr", q);
    return LM_ERROR;
}

static char *quote_type(lm_analyzer *an, const lm_type *t)
{
    char *s = lm_coerce_quote_type(&an->rc, t);
    return s ? s : "";
}

/* The signed value of a frame offset (PRECEDING negative), when it is an
   integral or fractional constant; false otherwise. */
static bool bound_value(lm_analyzer *an, const lm_frame_bound *b, double *out)
{
    lm_value v;
    lm_eval_ctx ec;
    memset(&ec, 0, sizeof ec);
    ec.arena = an->a;
    ec.err = an->err;
    if (lm_eval_constant(&ec, b->offset, &v) != LM_OK) {
        lm_error_clear(an->err);
        return false;
    }
    const lm_type *t = b->offset->type;
    if (v.is_null || !lm_type_is_numeric(t))
        return false;
    double d;
    switch (t->id) {
    case LM_TYPE_FLOAT:
        d = v.u.f32;
        break;
    case LM_TYPE_DOUBLE:
        d = v.u.f64;
        break;
    case LM_TYPE_DECIMAL: {
        lm_int128 u = v.u.dec;
        d = (double)u;
        for (int i = 0; i < t->scale; i++)
            d /= 10.0;
        break;
    }
    default:
        d = (double)v.u.i64;
        break;
    }
    *out = b->kind == LM_BOUND_PRECEDING ? -d : d;
    return true;
}

static bool is_value_bound(const lm_frame_bound *b)
{
    return b->kind == LM_BOUND_PRECEDING || b->kind == LM_BOUND_FOLLOWING;
}

static bool range_type_ok(const lm_type *order, const lm_type *bound)
{
    switch (order->id) {
    case LM_TYPE_DATE:
        return bound->id == LM_TYPE_INT || bound->id == LM_TYPE_YM_INTERVAL;
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
        return bound->id == LM_TYPE_INTERVAL || bound->id == LM_TYPE_YM_INTERVAL ||
               bound->id == LM_TYPE_DT_INTERVAL;
    default:
        return lm_type_same_ignoring_nullable(order, bound);
    }
}

/* WindowFrameCoercion: a RANGE offset is cast to the (single) ORDER BY
   key's type, except for date and timestamp keys. */
static lm_status coerce_range_bound(lm_analyzer *an, const lm_window_spec *w, lm_frame_bound *b)
{
    if (!is_value_bound(b) || w->norder != 1)
        return LM_OK;
    const lm_type *ot = w->order[0]->type;
    if (ot->id == LM_TYPE_DATE || ot->id == LM_TYPE_TIMESTAMP)
        return LM_OK;
    if (lm_type_same_ignoring_nullable(b->offset->type, ot))
        return LM_OK;
    if (!lm_cast_can(b->offset->type, ot))
        return LM_OK;
    lm_expr *c = lm_coerce_to(&an->rc, b->offset, ot);
    if (c == NULL)
        return lm_error_oom(an->err);
    b->offset = c;
    return LM_OK;
}

static lm_status check_bound_type(lm_analyzer *an, const lm_window_spec *w, const lm_frame_bound *b,
                                  const char *location)
{
    if (!is_value_bound(b))
        return LM_OK;
    const lm_type *t = b->offset->type;
    bool ok;
    const char *expected;
    if (w->frame_type == LM_FRAME_ROWS) {
        ok = t->id == LM_TYPE_INT;
        expected = "\"INT\"";
    } else {
        ok = lm_type_is_numeric(t) || t->id == LM_TYPE_INTERVAL || t->id == LM_TYPE_YM_INTERVAL ||
             t->id == LM_TYPE_DT_INTERVAL;
        expected = "(\"NUMERIC\" or \"INTERVAL\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL "
                   "YEAR TO MONTH\")";
    }
    if (ok)
        return LM_OK;
    char *tq = quote_type(an, t);
    char detail[512];
    snprintf(detail, sizeof detail,
             "The data type of the %s bound %s does not match the expected data type %s.", location,
             tq, expected);
    frame_mismatch(an, w, "SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE", detail);
    lm_error_param_add(an->err, "location", location);
    lm_error_param_add(an->err, "exprType", tq);
    lm_error_param_add(an->err, "expectedType", expected);
    return LM_ERROR;
}

static char *bound_q(lm_analyzer *an, const lm_frame_bound *b)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_putc(&sb, '"');
    if (is_value_bound(b)) {
        if (b->kind == LM_BOUND_PRECEDING)
            lm_strbuf_puts(&sb, "(- ");
        lm_expr_sql(&sb, b->offset);
        if (b->kind == LM_BOUND_PRECEDING)
            lm_strbuf_putc(&sb, ')');
    } else {
        bound_sql(&sb, b);
    }
    lm_strbuf_putc(&sb, '"');
    char *s = lm_strbuf_ok(&sb) ? an_strdup(an, lm_strbuf_cstr(&sb)) : NULL;
    lm_strbuf_free(&sb);
    return s;
}

/* SpecifiedWindowFrame.checkInputDataTypes, then
   WindowSpecDefinition.checkInputDataTypes. */
static lm_status check_frame(lm_analyzer *an, lm_window_spec *w)
{
    lm_frame_bound *lo = &w->frame_start, *hi = &w->frame_end;
    if (w->frame_type == LM_FRAME_RANGE &&
        (coerce_range_bound(an, w, lo) != LM_OK || coerce_range_bound(an, w, hi) != LM_OK))
        return LM_ERROR;
    if (check_bound_type(an, w, lo, "lower") != LM_OK ||
        check_bound_type(an, w, hi, "upper") != LM_OK)
        return LM_ERROR;
    if (lo->kind == LM_BOUND_UNBOUNDED_FOLLOWING || hi->kind == LM_BOUND_UNBOUNDED_PRECEDING) {
        char *l = bound_q(an, lo), *u = bound_q(an, hi);
        char detail[512];
        snprintf(detail, sizeof detail,
                 "Window frame upper bound %s does not follow the lower bound %s.", u ? u : "",
                 l ? l : "");
        frame_mismatch(an, w, "SPECIFIED_WINDOW_FRAME_INVALID_BOUND", detail);
        lm_error_param_add(an->err, "lower", l);
        lm_error_param_add(an->err, "upper", u);
        return LM_ERROR;
    }
    if (is_value_bound(lo) && is_value_bound(hi)) {
        if (!lm_type_same_ignoring_nullable(lo->offset->type, hi->offset->type)) {
            char *l = bound_q(an, lo), *u = bound_q(an, hi);
            char *lt = quote_type(an, lo->offset->type), *ut = quote_type(an, hi->offset->type);
            char detail[512];
            snprintf(detail, sizeof detail,
                     "Window frame bounds %s and %s do not have the same type: %s <> %s.",
                     l ? l : "", u ? u : "", lt, ut);
            frame_mismatch(an, w, "SPECIFIED_WINDOW_FRAME_DIFF_TYPES", detail);
            lm_error_param_add(an->err, "lower", l);
            lm_error_param_add(an->err, "upper", u);
            lm_error_param_add(an->err, "lowerType", lt);
            lm_error_param_add(an->err, "upperType", ut);
            return LM_ERROR;
        }
        double a, b;
        if (bound_value(an, lo, &a) && bound_value(an, hi, &b) && a > b) {
            frame_mismatch(an, w, "SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
                           "The lower bound of a window frame must be less than or equal to the "
                           "upper bound.");
            lm_error_param_add(an->err, "comparison", "less than or equal");
            return LM_ERROR;
        }
    }
    if (w->frame_type != LM_FRAME_RANGE)
        return LM_OK;
    bool unbounded =
        lo->kind == LM_BOUND_UNBOUNDED_PRECEDING && hi->kind == LM_BOUND_UNBOUNDED_FOLLOWING;
    bool value = is_value_bound(lo) || is_value_bound(hi);
    char *spec_q = NULL;
    if (!unbounded && w->norder == 0) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_putc(&sb, '"');
        lm_strbuf_putc(&sb, '(');
        for (int i = 0; i < w->npartition; i++) {
            lm_strbuf_puts(&sb, i ? ", " : "PARTITION BY ");
            lm_expr_sql(&sb, w->partition[i]);
        }
        if (w->npartition)
            lm_strbuf_putc(&sb, ' ');
        frame_string(&sb, w->frame_type, lo, hi);
        lm_strbuf_puts(&sb, ")\"");
        spec_q = lm_strbuf_ok(&sb) ? an_strdup(an, lm_strbuf_cstr(&sb)) : NULL;
        lm_strbuf_free(&sb);
        ext_error(an, "DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER",
                  "Cannot resolve %s due to data type mismatch: A range window frame cannot be "
                  "used in an unordered window specification.",
                  spec_q ? spec_q : "");
        lm_error_param_add(an->err, "sqlExpr", spec_q);
        return LM_ERROR;
    }
    if (value && w->norder > 1) {
        ext_error(an, "DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER",
                  "A range window frame with value boundaries cannot be used in a window "
                  "specification with multiple order by expressions.");
        return LM_ERROR;
    }
    if (value) {
        const lm_frame_bound *vb = is_value_bound(lo) ? lo : hi;
        const lm_type *ot = w->order[0]->type;
        if (!range_type_ok(ot, vb->offset->type)) {
            char *otq = quote_type(an, ot), *vtq = quote_type(an, vb->offset->type);
            ext_error(an, "DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
                      "The data type %s used in the order specification does not match the "
                      "data type %s which is used in the range frame.",
                      otq, vtq);
            lm_error_param_add(an->err, "orderSpecType", otq);
            lm_error_param_add(an->err, "valueBoundaryType", vtq);
            return LM_ERROR;
        }
    }
    return LM_OK;
}

static bool same_bound(const lm_frame_bound *a, const lm_frame_bound *b)
{
    if (a->kind != b->kind)
        return false;
    if (!is_value_bound(a))
        return true;
    return an_expr_equal(a->offset, b->offset);
}

static lm_status legacy_error(lm_analyzer *an, const lm_expr *c, const char *cls, const char *msg)
{
    an_error(an, c->start, c->stop, cls, NULL, "%s", msg);
    return LM_ERROR;
}

static lm_expr *int_literal(lm_analyzer *an, int64_t v)
{
    return an_literal(an, lm_type_int(), lm_value_i64(v));
}

lm_status an_resolve_window_call(lm_analyzer *an, lm_expr *c)
{
    lm_window_spec *w = c->window;
    const lm_func_def *fn = c->fn;
    if (fn->kind != LM_FN_AGGREGATE && fn->kind != LM_FN_WINDOW) {
        char *s = lm_coerce_quote_sql(&an->rc, c);
        an_error(an, c->start, c->stop, "UNSUPPORTED_EXPR_FOR_WINDOW", "42P20",
                 "Expression %s not supported within a window function.", s ? s : "");
        lm_error_param_add(an->err, "sqlExpr", s);
        return LM_ERROR;
    }
    for (int i = 0; i < c->nargs; i++)
        if (an_contains_window(c->args[i]))
            return legacy_error(an, c, "_LEGACY_ERROR_TEMP_1031",
                                "It is not allowed to use a window function inside an aggregate "
                                "function. Please use the inner window function in a sub-query.");
    if (c->filter)
        return legacy_error(an, c, "_LEGACY_ERROR_TEMP_1030",
                            "Window aggregate function with filter predicate is not supported "
                            "yet.");
    if (c->distinct) {
        char *s = lm_coerce_quote_sql(&an->rc, c);
        an_error(an, c->start, c->stop, "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED", "0A000",
                 "Distinct window functions are not supported: %s.", s ? s : "");
        lm_error_param_add(an->err, "windowExpr", s);
        return LM_ERROR;
    }
    bool specified = w->frame_type != LM_FRAME_NONE;
    lm_frame_type rt = LM_FRAME_NONE;
    lm_frame_bound rlo = {0}, rhi = {0};
    bool offset_fn = fn->kind == LM_FN_WINDOW && (is_fn(c, "lag") || is_fn(c, "lead"));
    if (offset_fn) {
        /* lead(x, k) runs in ROWS BETWEEN k FOLLOWING AND k FOLLOWING,
           lag(x, k) in -k FOLLOWING; Spark folds the offset into a literal */
        lm_value v;
        lm_eval_ctx ec;
        memset(&ec, 0, sizeof ec);
        ec.arena = an->a;
        ec.err = an->err;
        if (lm_eval_constant(&ec, c->args[1], &v) != LM_OK)
            return LM_ERROR;
        int64_t k = v.is_null ? 0 : v.u.i64;
        if (is_fn(c, "lag"))
            k = -k;
        rt = LM_FRAME_ROWS;
        rlo.kind = rhi.kind = LM_BOUND_FOLLOWING;
        if ((rlo.offset = int_literal(an, k)) == NULL)
            return LM_ERROR;
        rhi.offset = rlo.offset;
    } else if (fn->kind == LM_FN_WINDOW && !is_fn(c, "nth_value")) {
        rt = is_fn(c, "cume_dist") ? LM_FRAME_RANGE : LM_FRAME_ROWS;
        rlo.kind = LM_BOUND_UNBOUNDED_PRECEDING;
        rhi.kind = LM_BOUND_CURRENT_ROW;
    }
    if (rt != LM_FRAME_NONE) {
        if (specified && (w->frame_type != rt || !same_bound(&w->frame_start, &rlo) ||
                          !same_bound(&w->frame_end, &rhi))) {
            if (offset_fn) {
                an_error(an, c->start, c->stop, "_LEGACY_ERROR_TEMP_1035", NULL,
                         "Cannot specify window frame for %s function.", fn->name);
                lm_error_param_add(an->err, "prettyName", fn->name);
                return LM_ERROR;
            }
            lm_strbuf a, b;
            lm_strbuf_init(&a);
            lm_strbuf_init(&b);
            frame_string(&a, w->frame_type, &w->frame_start, &w->frame_end);
            frame_string(&b, rt, &rlo, &rhi);
            an_error(an, c->start, c->stop, "_LEGACY_ERROR_TEMP_1036", NULL,
                     "Window Frame %s must match the required frame %s.", lm_strbuf_cstr(&a),
                     lm_strbuf_cstr(&b));
            lm_error_param_add(an->err, "wf", lm_strbuf_cstr(&a));
            lm_error_param_add(an->err, "required", lm_strbuf_cstr(&b));
            lm_strbuf_free(&a);
            lm_strbuf_free(&b);
            return LM_ERROR;
        }
        w->frame_type = rt;
        w->frame_start = rlo;
        w->frame_end = rhi;
        specified = false;
    } else if (!specified) {
        w->frame_type = w->norder ? LM_FRAME_RANGE : LM_FRAME_ROWS;
        w->frame_start.kind = LM_BOUND_UNBOUNDED_PRECEDING;
        w->frame_start.offset = NULL;
        w->frame_end.kind = w->norder ? LM_BOUND_CURRENT_ROW : LM_BOUND_UNBOUNDED_FOLLOWING;
        w->frame_end.offset = NULL;
    }
    if ((is_fn(c, "percentile_cont") || is_fn(c, "percentile_disc") || is_fn(c, "median")) &&
        (w->norder > 0 || w->frame_type != LM_FRAME_ROWS ||
         w->frame_start.kind != LM_BOUND_UNBOUNDED_PRECEDING ||
         w->frame_end.kind != LM_BOUND_UNBOUNDED_FOLLOWING)) {
        /* inverse distribution functions only run over whole partitions */
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "\"%s(", fn->name);
        for (int i = 0; i < c->nargs; i++) {
            if (i)
                lm_strbuf_puts(&sb, ", ");
            lm_expr_sql(&sb, c->args[i]);
        }
        lm_strbuf_puts(&sb, ")\"");
        lm_error_set(an->err, LM_ERROR, LM_EXC_EXT_ANALYSIS,
                     "INVALID_WINDOW_SPEC_FOR_AGGREGATION_FUNC", NULL,
                     "[INVALID_WINDOW_SPEC_FOR_AGGREGATION_FUNC] Cannot specify ORDER BY or a "
                     "window frame for %s.",
                     lm_strbuf_cstr(&sb));
        lm_error_param_add(an->err, "aggFunc", lm_strbuf_cstr(&sb));
        lm_error_set_context(an->err, c->start, c->stop);
        lm_strbuf_free(&sb);
        return LM_ERROR;
    }
    if (fn->kind == LM_FN_WINDOW && w->norder == 0) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_expr saved = *c;
        saved.window = NULL;
        lm_expr_pretty(&sb, &saved);
        an_error(an, c->start, c->stop, "_LEGACY_ERROR_TEMP_1037", NULL,
                 "Window function %s requires window to be ordered, please add ORDER BY clause. "
                 "For example SELECT %s(value_expr) OVER (PARTITION BY window_partition ORDER "
                 "BY window_ordering) from table.",
                 lm_strbuf_cstr(&sb), fn->name);
        lm_error_param_add(an->err, "wf", lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return LM_ERROR;
    }
    if (specified && check_frame(an, w) != LM_OK) {
        if (an->err->ctx_start < 0)
            lm_error_set_context(an->err, c->start, c->stop);
        return LM_ERROR;
    }
    for (int i = 0; i < w->norder; i++) {
        const lm_type *t = w->order[i]->type;
        if (!lm_type_is_orderable(t) && t->id != LM_TYPE_NULL) {
            char *s = lm_coerce_quote_sql(&an->rc, w->order[i]);
            an_error(an, c->start, c->stop, "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE", "42K09",
                     "Cannot resolve %s due to data type mismatch: The `sortorder` does not "
                     "support ordering on type %s.",
                     s ? s : "", quote_type(an, t));
            return LM_ERROR;
        }
    }
    return LM_OK;
}

/* ----------------------------------------------------- WINDOW nodes */

static bool same_spec(const lm_window_spec *a, const lm_window_spec *b)
{
    if (a->npartition != b->npartition || a->norder != b->norder ||
        a->frame_type != b->frame_type || !same_bound(&a->frame_start, &b->frame_start) ||
        !same_bound(&a->frame_end, &b->frame_end))
        return false;
    for (int i = 0; i < a->npartition; i++)
        if (!an_expr_equal(a->partition[i], b->partition[i]))
            return false;
    for (int i = 0; i < a->norder; i++)
        if (!an_expr_equal(a->order[i], b->order[i]))
            return false;
    return true;
}

/*
 * wins->v[j] (calls over child's row) must end up as column base + j of
 * the result, base being child's width. Calls sharing a specification
 * share a WINDOW node; the nodes are stacked in order of first appearance
 * and a final projection restores the call order when the stacking
 * changed it.
 */
struct expr_list {
    int n, cap;
    lm_expr **v;
};

lm_plan *an_build_window(lm_analyzer *an, lm_plan *child, struct expr_list *wins)
{
    int n = wins->n, base = lm_plan_ncols(child);
    int *group = an_alloc(an, sizeof(int) * (size_t)(n + 1));
    int *pos = an_alloc(an, sizeof(int) * (size_t)(n + 1));
    if (group == NULL || pos == NULL)
        return NULL;
    int ngroups = 0;
    for (int j = 0; j < n; j++) {
        group[j] = -1;
        for (int k = 0; k < j && group[j] < 0; k++)
            if (same_spec(wins->v[k]->window, wins->v[j]->window))
                group[j] = group[k];
        if (group[j] < 0)
            group[j] = ngroups++;
    }
    lm_plan *cur = child;
    int next = base;
    for (int g = 0; g < ngroups; g++) {
        int cnt = 0;
        for (int j = 0; j < n; j++)
            cnt += group[j] == g;
        lm_plan *p = an_new_plan(an, LM_PLAN_WINDOW);
        lm_window_info *info = an_alloc(an, sizeof *info);
        lm_expr **funcs = an_alloc(an, sizeof(lm_expr *) * (size_t)cnt);
        int w = lm_plan_ncols(cur) + cnt;
        const char **nm = an_alloc(an, sizeof(char *) * (size_t)w);
        lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)w);
        bool *nl = an_alloc(an, sizeof(bool) * (size_t)w);
        if (p == NULL || info == NULL || funcs == NULL || nm == NULL || ty == NULL || nl == NULL)
            return NULL;
        int in = lm_plan_ncols(cur);
        for (int c = 0; c < in; c++) {
            nm[c] = cur->schema->fields[c].name;
            ty[c] = cur->schema->fields[c].type;
            nl[c] = cur->schema->fields[c].nullable;
        }
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (group[j] != g)
                continue;
            const lm_expr *f = wins->v[j];
            funcs[k] = wins->v[j];
            nm[in + k] = an_output_name(an, f);
            ty[in + k] = f->type;
            nl[in + k] = f->nullable;
            pos[j] = next++;
            k++;
        }
        info->nfuncs = cnt;
        info->funcs = funcs;
        info->spec = funcs[0]->window;
        p->aux = info;
        p->child = cur;
        if (!an_set_output(an, p, w, nm, ty, nl, NULL))
            return NULL;
        /* the input columns keep their qualifiers */
        for (int c = 0; c < in; c++)
            p->qualifiers[c] = cur->qualifiers ? cur->qualifiers[c] : NULL;
        cur = p;
    }
    bool in_order = true;
    for (int j = 0; j < n; j++)
        in_order &= pos[j] == base + j;
    if (in_order)
        return cur;
    int w = base + n;
    lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
    lm_expr **ex = an_alloc(an, sizeof(lm_expr *) * (size_t)w);
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)w);
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)w);
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)w);
    if (p == NULL || ex == NULL || nm == NULL || ty == NULL || nl == NULL)
        return NULL;
    for (int c = 0; c < w; c++) {
        int from = c < base ? c : pos[c - base];
        const lm_field *f = &cur->schema->fields[from];
        if ((ex[c] = an_bound(an, from, f->name, f->type, f->nullable)) == NULL)
            return NULL;
        nm[c] = f->name;
        ty[c] = f->type;
        nl[c] = f->nullable;
    }
    p->child = cur;
    p->exprs = ex;
    p->nexprs = w;
    if (!an_set_output(an, p, w, nm, ty, nl, NULL))
        return NULL;
    for (int c = 0; c < base; c++)
        p->qualifiers[c] = cur->qualifiers ? cur->qualifiers[c] : NULL;
    return p;
}
