/*
 * Expression text as Spark prints it: `sql` (error messages, plans) and the
 * "pretty" form used for generated column names (toPrettySQL), which shows
 * attributes by bare name, string literals unquoted and hides the casts
 * that type coercion inserted.
 */
#include <string.h>
#include <strings.h>

#include "analysis/coerce.h"
#include "expr/func.h"
#include "render/render.h"

static void print_expr(lm_strbuf *sb, const lm_expr *e, bool pretty);

/* Timestamp literals print in the session time zone; the analyzer sets it
   for the statement it is resolving (one statement per thread at a time). */
static _Thread_local const struct lm_tz *pretty_tz;

const struct lm_tz *lm_expr_pretty_set_tz(const struct lm_tz *tz)
{
    const struct lm_tz *old = pretty_tz;
    pretty_tz = tz;
    return old;
}

/* Subquery expressions print the outer columns they reference, as Spark
   lists a subquery's outer attributes: scalarsubquery(c1, c2). The
   analyzer records their names in parts. */
static void print_subquery_call(lm_strbuf *sb, const char *name, const lm_expr *e)
{
    lm_strbuf_printf(sb, "%s(", name);
    for (int i = 0; i < e->nparts; i++)
        lm_strbuf_printf(sb, i ? ", %s" : "%s", e->parts[i]);
    lm_strbuf_putc(sb, ')');
}

static void print_args(lm_strbuf *sb, const lm_expr *e, int from, bool pretty)
{
    for (int i = from; i < e->nargs; i++) {
        if (i > from)
            lm_strbuf_puts(sb, ", ");
        print_expr(sb, e->args[i], pretty);
    }
}

static void print_sort(lm_strbuf *sb, const lm_expr *s, bool pretty)
{
    print_expr(sb, s->args[0], pretty);
    lm_strbuf_puts(sb, (s->flags & LM_SORT_DESC) ? " DESC" : " ASC");
    lm_strbuf_puts(sb, (s->flags & LM_SORT_NULLS_FIRST) ? " NULLS FIRST" : " NULLS LAST");
}

static void print_bound(lm_strbuf *sb, const lm_frame_bound *b, bool pretty)
{
    switch (b->kind) {
    case LM_BOUND_UNBOUNDED_PRECEDING: lm_strbuf_puts(sb, "UNBOUNDED PRECEDING"); break;
    case LM_BOUND_UNBOUNDED_FOLLOWING: lm_strbuf_puts(sb, "UNBOUNDED FOLLOWING"); break;
    case LM_BOUND_CURRENT_ROW: lm_strbuf_puts(sb, "CURRENT ROW"); break;
    case LM_BOUND_PRECEDING:
        print_expr(sb, b->offset, pretty);
        lm_strbuf_puts(sb, " PRECEDING");
        break;
    case LM_BOUND_FOLLOWING:
        print_expr(sb, b->offset, pretty);
        lm_strbuf_puts(sb, " FOLLOWING");
        break;
    }
}

static void print_window(lm_strbuf *sb, const lm_window_spec *w, bool pretty)
{
    lm_strbuf_putc(sb, '(');
    bool space = false;
    if (w->npartition) {
        lm_strbuf_puts(sb, "PARTITION BY ");
        for (int i = 0; i < w->npartition; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            print_expr(sb, w->partition[i], pretty);
        }
        space = true;
    }
    if (w->norder) {
        if (space)
            lm_strbuf_putc(sb, ' ');
        lm_strbuf_puts(sb, "ORDER BY ");
        for (int i = 0; i < w->norder; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            print_sort(sb, w->order[i], pretty);
        }
        space = true;
    }
    if (w->frame_type != LM_FRAME_NONE) {
        if (space)
            lm_strbuf_putc(sb, ' ');
        lm_strbuf_puts(sb, w->frame_type == LM_FRAME_ROWS ? "ROWS BETWEEN " : "RANGE BETWEEN ");
        print_bound(sb, &w->frame_start, pretty);
        lm_strbuf_puts(sb, " AND ");
        print_bound(sb, &w->frame_end, pretty);
    }
    lm_strbuf_putc(sb, ')');
}

/* What follows an aggregate or window call: FILTER (WHERE ...) and OVER (...). */
static void print_call_suffix(lm_strbuf *sb, const lm_expr *e, bool pretty)
{
    if (e->filter) {
        lm_strbuf_puts(sb, " FILTER (WHERE ");
        print_expr(sb, e->filter, pretty);
        lm_strbuf_putc(sb, ')');
    }
    if (e->window) {
        lm_strbuf_puts(sb, " OVER ");
        print_window(sb, e->window, pretty);
    }
}

static void print_call(lm_strbuf *sb, const lm_expr *e, bool pretty)
{
    const lm_func_def *fn = e->fn;
    lm_fn_style style = fn ? fn->style : LM_STYLE_CALL;
    /* negative(x) written as a function keeps that form (Spark's FUNC_ALIAS) */
    if (style == LM_STYLE_PREFIX && !(e->flags & LM_CALL_OPERATOR) &&
        strcasecmp(e->name, "negative") == 0)
        style = LM_STYLE_CALL;
    const char *sym = fn && fn->symbol ? fn->symbol : e->name;
    if (fn && style == LM_STYLE_CUSTOM && fn->sql) {
        /* the function prints itself; FILTER and OVER still follow */
        fn->sql(sb, e);
        print_call_suffix(sb, e, pretty);
        return;
    }
    switch (style) {
    case LM_STYLE_INFIX:
        lm_strbuf_putc(sb, '(');
        for (int i = 0; i < e->nargs; i++) {
            if (i)
                lm_strbuf_printf(sb, " %s ", sym);
            print_expr(sb, e->args[i], pretty);
        }
        lm_strbuf_putc(sb, ')');
        return;
    case LM_STYLE_PREFIX:
        lm_strbuf_printf(sb, "(%s ", sym);
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_putc(sb, ')');
        return;
    case LM_STYLE_PREFIX_BARE:
        lm_strbuf_puts(sb, sym);
        print_expr(sb, e->args[0], pretty);
        return;
    case LM_STYLE_POSTFIX:
        lm_strbuf_putc(sb, '(');
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_printf(sb, " %s)", sym);
        return;
    default:
        break;
    }
    const char *name = fn && fn->pretty ? fn->pretty : e->name;
    lm_strbuf_puts(sb, name);
    lm_strbuf_putc(sb, '(');
    if (e->distinct)
        lm_strbuf_puts(sb, "DISTINCT ");
    print_args(sb, e, 0, pretty);
    lm_strbuf_putc(sb, ')');
    if (e->flags & LM_CALL_IGNORE_NULLS)
        lm_strbuf_puts(sb, " IGNORE NULLS");
    print_call_suffix(sb, e, pretty);
}

static void print_parts(lm_strbuf *sb, const lm_expr *e)
{
    for (int i = 0; i < e->nparts; i++) {
        if (i)
            lm_strbuf_putc(sb, '.');
        lm_strbuf_puts(sb, e->parts[i]);
    }
}

static void print_expr(lm_strbuf *sb, const lm_expr *e, bool pretty)
{
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        if (!e->resolved && e->text) {
            lm_strbuf_puts(sb, e->text);
            return;
        }
        lm_render(sb, e->type, &e->value, pretty ? LM_STYLE_PRETTY : LM_STYLE_SQL, pretty_tz);
        return;
    case LM_EXPR_COLUMN:
        print_parts(sb, e);
        return;
    case LM_EXPR_STAR:
        print_parts(sb, e);
        lm_strbuf_puts(sb, e->nparts ? ".*" : "*");
        return;
    case LM_EXPR_BOUND:
    case LM_EXPR_OUTER:
        lm_strbuf_puts(sb, e->name ? e->name : "?");
        return;
    case LM_EXPR_LAMBDA_VAR:
        /* a bound NamedLambdaVariable prints without its name in Spark */
        lm_strbuf_puts(sb, e->resolved ? "namedlambdavariable()" : e->name ? e->name : "?");
        return;
    case LM_EXPR_ALIAS:
        if (pretty) {
            print_expr(sb, e->args[0], pretty);
            return;
        }
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_printf(sb, " AS %s", e->name);
        return;
    case LM_EXPR_CALL:
        print_call(sb, e, pretty);
        return;
    case LM_EXPR_CAST:
        if (pretty && (e->flags & LM_CAST_IMPLICIT)) {
            print_expr(sb, e->args[0], pretty);
            return;
        }
        lm_strbuf_puts(sb, (e->flags & LM_CAST_TRY) ? "TRY_CAST(" : "CAST(");
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_puts(sb, " AS ");
        lm_type_sql_string(sb, e->type);
        lm_strbuf_putc(sb, ')');
        return;
    case LM_EXPR_CASE: {
        int i = 0, n = e->nargs;
        bool has_else = (e->flags & LM_CASE_HAS_ELSE) != 0;
        if (has_else)
            n--;
        const lm_expr *operand = NULL;
        if (e->flags & LM_CASE_HAS_OPERAND) {
            operand = e->args[0];
            i = 1;
        }
        lm_strbuf_puts(sb, "CASE");
        for (; i + 1 < n; i += 2) {
            lm_strbuf_puts(sb, " WHEN ");
            if (operand) {
                /* Spark rewrites CASE x WHEN v into CASE WHEN (x = v) */
                lm_strbuf_putc(sb, '(');
                print_expr(sb, operand, pretty);
                lm_strbuf_puts(sb, " = ");
                print_expr(sb, e->args[i], pretty);
                lm_strbuf_putc(sb, ')');
            } else {
                print_expr(sb, e->args[i], pretty);
            }
            lm_strbuf_puts(sb, " THEN ");
            print_expr(sb, e->args[i + 1], pretty);
        }
        if (has_else) {
            lm_strbuf_puts(sb, " ELSE ");
            print_expr(sb, e->args[e->nargs - 1], pretty);
        }
        lm_strbuf_puts(sb, " END");
        return;
    }
    case LM_EXPR_IN:
        /* NOT IN is Not(In(...)) in Spark, printed (NOT (a IN (...))) */
        if (e->flags & LM_IN_NOT)
            lm_strbuf_puts(sb, "(NOT ");
        lm_strbuf_putc(sb, '(');
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_puts(sb, " IN (");
        print_args(sb, e, 1, pretty);
        lm_strbuf_puts(sb, "))");
        if (e->flags & LM_IN_NOT)
            lm_strbuf_putc(sb, ')');
        return;
    case LM_EXPR_IN_SUBQUERY:
        if (e->flags & LM_IN_NOT)
            lm_strbuf_puts(sb, "(NOT ");
        lm_strbuf_putc(sb, '(');
        if (e->nargs > 1)
            lm_strbuf_putc(sb, '(');
        print_args(sb, e, 0, pretty);
        if (e->nargs > 1)
            lm_strbuf_putc(sb, ')');
        lm_strbuf_puts(sb, " IN (");
        print_subquery_call(sb, "listquery", e);
        lm_strbuf_puts(sb, "))");
        if (e->flags & LM_IN_NOT)
            lm_strbuf_putc(sb, ')');
        return;
    case LM_EXPR_EXISTS:
        print_subquery_call(sb, "exists", e);
        return;
    case LM_EXPR_SCALAR_SUBQUERY:
        print_subquery_call(sb, "scalarsubquery", e);
        return;
    case LM_EXPR_LAMBDA:
        lm_strbuf_puts(sb, "lambdafunction(");
        print_expr(sb, e->args[0], pretty);
        for (int i = 0; i < e->nparts; i++)
            lm_strbuf_printf(sb, ", %s", e->resolved ? "namedlambdavariable()" : e->parts[i]);
        lm_strbuf_putc(sb, ')');
        return;
    case LM_EXPR_FIELD:
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_printf(sb, ".%s", e->name);
        return;
    case LM_EXPR_SUBSCRIPT:
        print_expr(sb, e->args[0], pretty);
        lm_strbuf_putc(sb, '[');
        print_expr(sb, e->args[1], pretty);
        lm_strbuf_putc(sb, ']');
        return;
    case LM_EXPR_SORT:
        print_sort(sb, e, pretty);
        return;
    case LM_EXPR_GROUPING_ID:
        lm_strbuf_puts(sb, "spark_grouping_id");
        return;
    default:
        lm_strbuf_puts(sb, "?");
        return;
    }
}

void lm_expr_pretty(lm_strbuf *sb, const lm_expr *e)
{
    print_expr(sb, e, true);
}

void lm_expr_sql(lm_strbuf *sb, const lm_expr *e)
{
    print_expr(sb, e, false);
}

char *lm_expr_pretty_arena(lm_arena *a, const lm_expr *e)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_expr_pretty(&sb, e);
    char *r = lm_strbuf_ok(&sb) ? lm_arena_strdup(a, lm_strbuf_cstr(&sb)) : NULL;
    lm_strbuf_free(&sb);
    return r;
}
