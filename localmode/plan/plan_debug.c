/*
 * Debug printing of plans, expressions, statements and types; see
 * plan_debug.h for the format.
 */
#include "plan/plan_debug.h"

#include <stdio.h>
#include <string.h>

static void plan_compact(lm_strbuf *sb, const lm_plan *p);

/* ---------------------------------------------------------------- types */

void lm_type_debug_append(lm_strbuf *sb, const lm_type *t)
{
    static const char *const dt_names[] = {"day", "hour", "minute", "second"};
    static const char *const ym_names[] = {"year", "month"};
    if (t == NULL) {
        lm_strbuf_puts(sb, "?");
        return;
    }
    switch (t->id) {
    case LM_TYPE_NULL: lm_strbuf_puts(sb, "void"); break;
    case LM_TYPE_BOOLEAN: lm_strbuf_puts(sb, "boolean"); break;
    case LM_TYPE_BYTE: lm_strbuf_puts(sb, "tinyint"); break;
    case LM_TYPE_SHORT: lm_strbuf_puts(sb, "smallint"); break;
    case LM_TYPE_INT: lm_strbuf_puts(sb, "int"); break;
    case LM_TYPE_LONG: lm_strbuf_puts(sb, "bigint"); break;
    case LM_TYPE_FLOAT: lm_strbuf_puts(sb, "float"); break;
    case LM_TYPE_DOUBLE: lm_strbuf_puts(sb, "double"); break;
    case LM_TYPE_DECIMAL: lm_strbuf_printf(sb, "decimal(%d,%d)", t->precision, t->scale); break;
    case LM_TYPE_STRING: lm_strbuf_puts(sb, "string"); break;
    case LM_TYPE_BINARY: lm_strbuf_puts(sb, "binary"); break;
    case LM_TYPE_DATE: lm_strbuf_puts(sb, "date"); break;
    case LM_TYPE_TIMESTAMP: lm_strbuf_puts(sb, "timestamp"); break;
    case LM_TYPE_TIMESTAMP_NTZ: lm_strbuf_puts(sb, "timestamp_ntz"); break;
    case LM_TYPE_INTERVAL: lm_strbuf_puts(sb, "interval"); break;
    case LM_TYPE_YM_INTERVAL:
        lm_strbuf_printf(sb, "interval %s", ym_names[t->start_field & 1]);
        if (t->end_field != t->start_field)
            lm_strbuf_printf(sb, " to %s", ym_names[t->end_field & 1]);
        break;
    case LM_TYPE_DT_INTERVAL:
        lm_strbuf_printf(sb, "interval %s", dt_names[t->start_field & 3]);
        if (t->end_field != t->start_field)
            lm_strbuf_printf(sb, " to %s", dt_names[t->end_field & 3]);
        break;
    case LM_TYPE_ARRAY:
        lm_strbuf_puts(sb, "array<");
        lm_type_debug_append(sb, t->elem);
        lm_strbuf_puts(sb, ">");
        break;
    case LM_TYPE_MAP:
        lm_strbuf_puts(sb, "map<");
        lm_type_debug_append(sb, t->key);
        lm_strbuf_puts(sb, ",");
        lm_type_debug_append(sb, t->value);
        lm_strbuf_puts(sb, ">");
        break;
    case LM_TYPE_STRUCT:
        lm_strbuf_puts(sb, "struct<");
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_puts(sb, ",");
            lm_strbuf_printf(sb, "%s:", t->fields[i].name);
            lm_type_debug_append(sb, t->fields[i].type);
            if (!t->fields[i].nullable)
                lm_strbuf_puts(sb, " not null");
            if (t->fields[i].comment)
                lm_strbuf_printf(sb, " comment '%s'", t->fields[i].comment);
        }
        lm_strbuf_puts(sb, ">");
        break;
    default: lm_strbuf_puts(sb, "?"); break;
    }
}

/* ---------------------------------------------------------------- exprs */

static void parts(lm_strbuf *sb, char **ps, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_putc(sb, '.');
        lm_strbuf_puts(sb, ps[i] ? ps[i] : "?");
    }
}

static void expr_list(lm_strbuf *sb, lm_expr *const *es, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            lm_strbuf_puts(sb, ", ");
        lm_expr_debug_append(sb, es[i]);
    }
}

static void literal(lm_strbuf *sb, const lm_expr *e)
{
    const lm_type *t = e->type;
    if (e->flags & LM_LIT_UNPARSED) {
        const char *kind = "LITERAL";
        if (t != NULL) {
            switch (t->id) {
            case LM_TYPE_DATE: kind = "DATE"; break;
            case LM_TYPE_TIMESTAMP: kind = "TIMESTAMP"; break;
            case LM_TYPE_TIMESTAMP_NTZ: kind = "TIMESTAMP_NTZ"; break;
            case LM_TYPE_BINARY: kind = "X"; break;
            case LM_TYPE_DECIMAL: kind = "DECIMAL"; break;
            default: kind = "INTERVAL"; break;
            }
        }
        lm_strbuf_printf(sb, "%s '%s'", kind, e->text ? e->text : "");
        if (e->nparts) {
            lm_strbuf_puts(sb, " (");
            for (int i = 0; i < e->nparts; i++)
                lm_strbuf_printf(sb, "%s%s", i ? " to " : "", e->parts[i]);
            lm_strbuf_puts(sb, ")");
        }
        lm_strbuf_puts(sb, ":");
        lm_type_debug_append(sb, t);
        return;
    }
    if (t == NULL || e->value.is_null) {
        lm_strbuf_puts(sb, "NULL:");
        lm_type_debug_append(sb, t);
        return;
    }
    switch (t->id) {
    case LM_TYPE_BOOLEAN: lm_strbuf_puts(sb, e->value.u.b ? "true" : "false"); break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: lm_strbuf_printf(sb, "%lld", (long long)e->value.u.i64); break;
    case LM_TYPE_FLOAT: lm_strbuf_printf(sb, "%.9g", (double)e->value.u.f32); break;
    case LM_TYPE_DOUBLE: lm_strbuf_printf(sb, "%.17g", e->value.u.f64); break;
    case LM_TYPE_DECIMAL: lm_strbuf_puts(sb, e->text ? e->text : "?"); break;
    case LM_TYPE_STRING:
        lm_strbuf_putc(sb, '\'');
        lm_strbuf_append(sb, e->value.u.str.ptr, (size_t)e->value.u.str.len);
        lm_strbuf_putc(sb, '\'');
        break;
    case LM_TYPE_BINARY:
        lm_strbuf_puts(sb, "X'");
        for (int i = 0; i < e->value.u.str.len; i++)
            lm_strbuf_printf(sb, "%02X", (unsigned char)e->value.u.str.ptr[i]);
        lm_strbuf_puts(sb, "'");
        break;
    default: lm_strbuf_puts(sb, e->text ? e->text : "?"); break;
    }
    lm_strbuf_puts(sb, ":");
    lm_type_debug_append(sb, t);
}

static void frame_bound(lm_strbuf *sb, const lm_frame_bound *b)
{
    switch (b->kind) {
    case LM_BOUND_UNBOUNDED_PRECEDING: lm_strbuf_puts(sb, "UNBOUNDED PRECEDING"); break;
    case LM_BOUND_UNBOUNDED_FOLLOWING: lm_strbuf_puts(sb, "UNBOUNDED FOLLOWING"); break;
    case LM_BOUND_CURRENT_ROW: lm_strbuf_puts(sb, "CURRENT ROW"); break;
    case LM_BOUND_PRECEDING:
        lm_expr_debug_append(sb, b->offset);
        lm_strbuf_puts(sb, " PRECEDING");
        break;
    case LM_BOUND_FOLLOWING:
        lm_expr_debug_append(sb, b->offset);
        lm_strbuf_puts(sb, " FOLLOWING");
        break;
    }
}

static void window_spec(lm_strbuf *sb, const lm_window_spec *w)
{
    if (w->ref_name && w->npartition == 0 && w->norder == 0 && w->frame_type == LM_FRAME_NONE) {
        lm_strbuf_puts(sb, w->ref_name);
        return;
    }
    lm_strbuf_puts(sb, "(");
    const char *sep = "";
    if (w->ref_name) {
        lm_strbuf_puts(sb, w->ref_name);
        sep = " ";
    }
    if (w->npartition) {
        lm_strbuf_printf(sb, "%sPARTITION BY ", sep);
        expr_list(sb, w->partition, w->npartition);
        sep = " ";
    }
    if (w->norder) {
        lm_strbuf_printf(sb, "%sORDER BY ", sep);
        expr_list(sb, w->order, w->norder);
        sep = " ";
    }
    if (w->frame_type != LM_FRAME_NONE) {
        lm_strbuf_printf(sb, "%s%s BETWEEN ", sep, w->frame_type == LM_FRAME_ROWS ? "ROWS" : "RANGE");
        frame_bound(sb, &w->frame_start);
        lm_strbuf_puts(sb, " AND ");
        frame_bound(sb, &w->frame_end);
    }
    lm_strbuf_puts(sb, ")");
}

static bool is_infix(const char *name)
{
    static const char *const ops[] = {"+", "-", "*", "/", "%", "div", "&", "|", "^", "=",
                                      "<=>", "<", "<=", ">", ">=", "and", "or", "like", "ilike",
                                      "rlike", "<<", ">>", ">>>", NULL};
    for (int i = 0; ops[i]; i++)
        if (strcmp(name, ops[i]) == 0)
            return true;
    return false;
}

void lm_expr_debug_append(lm_strbuf *sb, const lm_expr *e)
{
    if (e == NULL) {
        lm_strbuf_puts(sb, "<null>");
        return;
    }
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        literal(sb, e);
        break;
    case LM_EXPR_COLUMN:
        parts(sb, e->parts, e->nparts);
        break;
    case LM_EXPR_STAR:
        if (e->nparts) {
            parts(sb, e->parts, e->nparts);
            lm_strbuf_puts(sb, ".");
        }
        lm_strbuf_puts(sb, "*");
        break;
    case LM_EXPR_ALIAS:
        lm_strbuf_puts(sb, "(");
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        if (e->name) {
            lm_strbuf_printf(sb, " AS %s)", e->name);
        } else {
            lm_strbuf_puts(sb, " AS (");
            for (int i = 0; i < e->nparts; i++)
                lm_strbuf_printf(sb, "%s%s", i ? ", " : "", e->parts[i]);
            lm_strbuf_puts(sb, "))");
        }
        break;
    case LM_EXPR_CALL:
        if ((e->flags & LM_CALL_OPERATOR) && e->nargs == 2 && is_infix(e->name)) {
            lm_strbuf_puts(sb, "(");
            lm_expr_debug_append(sb, e->args[0]);
            lm_strbuf_printf(sb, " %s ", e->name);
            lm_expr_debug_append(sb, e->args[1]);
            lm_strbuf_puts(sb, ")");
            break;
        }
        if ((e->flags & LM_CALL_OPERATOR) && e->nargs == 1) {
            const char *n = e->name;
            if (strcmp(n, "negative") == 0)
                n = "-";
            else if (strcmp(n, "positive") == 0)
                n = "+";
            else if (strcmp(n, "not") == 0)
                n = "NOT";
            lm_strbuf_printf(sb, "(%s ", n);
            lm_expr_debug_append(sb, e->args[0]);
            lm_strbuf_puts(sb, ")");
            break;
        }
        if (e->nparts > 1)
            parts(sb, e->parts, e->nparts);
        else
            lm_strbuf_puts(sb, e->name ? e->name : "?");
        lm_strbuf_puts(sb, "(");
        if (e->distinct)
            lm_strbuf_puts(sb, "DISTINCT ");
        expr_list(sb, e->args, e->nargs);
        lm_strbuf_puts(sb, ")");
        if (e->flags & LM_CALL_STAR_ARG)
            lm_strbuf_puts(sb, "[*]");
        if (e->norder) {
            lm_strbuf_puts(sb, " WITHIN GROUP (ORDER BY ");
            expr_list(sb, e->order, e->norder);
            lm_strbuf_puts(sb, ")");
        }
        if (e->filter) {
            lm_strbuf_puts(sb, " FILTER (WHERE ");
            lm_expr_debug_append(sb, e->filter);
            lm_strbuf_puts(sb, ")");
        }
        if (e->flags & LM_CALL_IGNORE_NULLS)
            lm_strbuf_puts(sb, " IGNORE NULLS");
        if (e->flags & LM_CALL_RESPECT_NULLS)
            lm_strbuf_puts(sb, " RESPECT NULLS");
        if (e->window) {
            lm_strbuf_puts(sb, " OVER ");
            window_spec(sb, e->window);
        }
        break;
    case LM_EXPR_CAST:
        lm_strbuf_puts(sb, (e->flags & LM_CAST_TRY) ? "TRY_CAST(" : "CAST(");
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        lm_strbuf_puts(sb, " AS ");
        lm_type_debug_append(sb, e->type);
        lm_strbuf_puts(sb, ")");
        break;
    case LM_EXPR_CASE: {
        lm_strbuf_puts(sb, "CASE");
        int i = 0;
        if (e->flags & LM_CASE_HAS_OPERAND) {
            lm_strbuf_puts(sb, " ");
            lm_expr_debug_append(sb, e->args[i++]);
        }
        int end = e->nargs - ((e->flags & LM_CASE_HAS_ELSE) ? 1 : 0);
        for (; i + 1 < end + 1 && i < end; i += 2) {
            lm_strbuf_puts(sb, " WHEN ");
            lm_expr_debug_append(sb, e->args[i]);
            lm_strbuf_puts(sb, " THEN ");
            lm_expr_debug_append(sb, i + 1 < e->nargs ? e->args[i + 1] : NULL);
        }
        if (e->flags & LM_CASE_HAS_ELSE) {
            lm_strbuf_puts(sb, " ELSE ");
            lm_expr_debug_append(sb, e->args[e->nargs - 1]);
        }
        lm_strbuf_puts(sb, " END");
        break;
    }
    case LM_EXPR_IN:
        lm_strbuf_puts(sb, "(");
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        lm_strbuf_puts(sb, (e->flags & LM_IN_NOT) ? " NOT IN (" : " IN (");
        if (e->nargs > 1)
            expr_list(sb, e->args + 1, e->nargs - 1);
        lm_strbuf_puts(sb, "))");
        break;
    case LM_EXPR_IN_SUBQUERY:
        lm_strbuf_puts(sb, "(");
        if (e->nargs > 1)
            lm_strbuf_puts(sb, "(");
        expr_list(sb, e->args, e->nargs);
        if (e->nargs > 1)
            lm_strbuf_puts(sb, ")");
        lm_strbuf_puts(sb, (e->flags & LM_IN_NOT) ? " NOT IN " : " IN ");
        plan_compact(sb, e->subquery);
        lm_strbuf_puts(sb, ")");
        break;
    case LM_EXPR_EXISTS:
        lm_strbuf_puts(sb, "EXISTS ");
        plan_compact(sb, e->subquery);
        break;
    case LM_EXPR_SCALAR_SUBQUERY:
        lm_strbuf_puts(sb, "SUBQUERY ");
        plan_compact(sb, e->subquery);
        break;
    case LM_EXPR_LAMBDA:
        lm_strbuf_puts(sb, "(");
        for (int i = 0; i < e->nparts; i++)
            lm_strbuf_printf(sb, "%s%s", i ? ", " : "", e->parts[i]);
        lm_strbuf_puts(sb, ") -> ");
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        break;
    case LM_EXPR_LAMBDA_VAR:
        lm_strbuf_printf(sb, "lambda %s", e->name ? e->name : "?");
        break;
    case LM_EXPR_FIELD:
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        lm_strbuf_printf(sb, ".%s", e->name ? e->name : "?");
        break;
    case LM_EXPR_SUBSCRIPT:
        lm_expr_debug_append(sb, e->nargs > 0 ? e->args[0] : NULL);
        lm_strbuf_puts(sb, "[");
        lm_expr_debug_append(sb, e->nargs > 1 ? e->args[1] : NULL);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_EXPR_SORT:
        lm_expr_debug_append(sb, e->nargs ? e->args[0] : NULL);
        lm_strbuf_puts(sb, (e->flags & LM_SORT_DESC) ? " DESC" : " ASC");
        lm_strbuf_puts(sb, (e->flags & LM_SORT_NULLS_FIRST) ? " NULLS FIRST" : " NULLS LAST");
        break;
    case LM_EXPR_BOUND:
        lm_strbuf_printf(sb, "#%d", e->ordinal);
        break;
    case LM_EXPR_OUTER:
        lm_strbuf_printf(sb, "outer(%d,#%d)", e->depth, e->ordinal);
        break;
    case LM_EXPR_GROUPING_ID:
        lm_strbuf_puts(sb, "spark_grouping_id");
        break;
    default:
        lm_strbuf_printf(sb, "<expr %d>", (int)e->kind);
        break;
    }
}

/* ---------------------------------------------------------------- plans */

static const char *join_name(lm_join_type t)
{
    switch (t) {
    case LM_JOIN_INNER: return "inner";
    case LM_JOIN_LEFT: return "left";
    case LM_JOIN_RIGHT: return "right";
    case LM_JOIN_FULL: return "full";
    case LM_JOIN_LEFT_SEMI: return "leftsemi";
    case LM_JOIN_LEFT_ANTI: return "leftanti";
    case LM_JOIN_CROSS: return "cross";
    }
    return "?";
}

static void names_list(lm_strbuf *sb, char **names, int n)
{
    lm_strbuf_puts(sb, "(");
    for (int i = 0; i < n; i++)
        lm_strbuf_printf(sb, "%s%s", i ? ", " : "", names[i]);
    lm_strbuf_puts(sb, ")");
}

static void node_header(lm_strbuf *sb, const lm_plan *p)
{
    static const char *const grouping[] = {"", " rollup", " cube", " sets", " all"};
    switch (p->kind) {
    case LM_PLAN_UNRESOLVED_RELATION:
        lm_strbuf_puts(sb, "Relation ");
        parts(sb, p->parts, p->nparts);
        break;
    case LM_PLAN_RELATION:
        lm_strbuf_puts(sb, "Relation (resolved)");
        break;
    case LM_PLAN_ONE_ROW:
        lm_strbuf_puts(sb, "OneRow");
        break;
    case LM_PLAN_VALUES:
        lm_strbuf_puts(sb, "Values [");
        for (int r = 0; r < p->nrows; r++) {
            int n = p->row_lens ? p->row_lens[r] : p->ncols;
            lm_strbuf_printf(sb, "%s[", r ? ", " : "");
            expr_list(sb, p->rows[r], n);
            lm_strbuf_puts(sb, "]");
        }
        lm_strbuf_puts(sb, "]");
        if (p->nnames) {
            lm_strbuf_puts(sb, " ");
            names_list(sb, p->names, p->nnames);
        }
        break;
    case LM_PLAN_TVF:
        lm_strbuf_printf(sb, "TVF %s(", p->name ? p->name : "?");
        expr_list(sb, p->exprs, p->nexprs);
        lm_strbuf_puts(sb, ")");
        break;
    case LM_PLAN_PROJECT:
        lm_strbuf_puts(sb, "Project [");
        expr_list(sb, p->exprs, p->nexprs);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_FILTER:
        lm_strbuf_puts(sb, p->having ? "Having " : "Filter ");
        lm_expr_debug_append(sb, p->cond);
        break;
    case LM_PLAN_AGGREGATE:
        lm_strbuf_printf(sb, "Aggregate%s [", grouping[p->grouping % 5]);
        expr_list(sb, p->group_by, p->ngroup);
        lm_strbuf_puts(sb, "]");
        if (p->nsets) {
            lm_strbuf_puts(sb, " sets [");
            for (int i = 0; i < p->nsets; i++) {
                lm_strbuf_printf(sb, "%s(", i ? ", " : "");
                expr_list(sb, p->sets[i], p->set_sizes[i]);
                lm_strbuf_puts(sb, ")");
            }
            lm_strbuf_puts(sb, "]");
        }
        lm_strbuf_puts(sb, " [");
        expr_list(sb, p->exprs, p->nexprs);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_SORT:
        lm_strbuf_printf(sb, "Sort%s [", p->global ? "" : " local");
        expr_list(sb, p->exprs, p->nexprs);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_LIMIT:
        lm_strbuf_puts(sb, "Limit ");
        lm_expr_debug_append(sb, p->cond);
        break;
    case LM_PLAN_OFFSET:
        lm_strbuf_puts(sb, "Offset ");
        lm_expr_debug_append(sb, p->cond);
        break;
    case LM_PLAN_DISTINCT:
        lm_strbuf_puts(sb, "Distinct");
        break;
    case LM_PLAN_JOIN:
        lm_strbuf_printf(sb, "Join %s%s", p->natural ? "natural " : "", join_name(p->join_type));
        if (p->cond) {
            lm_strbuf_puts(sb, " on ");
            lm_expr_debug_append(sb, p->cond);
        }
        if (p->nnames) {
            lm_strbuf_puts(sb, " using ");
            names_list(sb, p->names, p->nnames);
        }
        break;
    case LM_PLAN_SETOP: {
        static const char *const ops[] = {"Union", "Intersect", "Except"};
        lm_strbuf_printf(sb, "%s%s%s", ops[p->setop % 3], p->all ? " all" : "",
                         p->by_name ? " by name" : "");
        break;
    }
    case LM_PLAN_SUBQUERY_ALIAS:
        lm_strbuf_puts(sb, "SubqueryAlias ");
        parts(sb, p->parts, p->nparts);
        if (p->nnames)
            names_list(sb, p->names, p->nnames);
        break;
    case LM_PLAN_WITH:
        lm_strbuf_puts(sb, "With [");
        for (int i = 0; i < p->nctes; i++) {
            lm_strbuf_printf(sb, "%s%s", i ? ", " : "", p->ctes[i].name);
            if (p->ctes[i].ncols)
                names_list(sb, p->ctes[i].cols, p->ctes[i].ncols);
            lm_strbuf_puts(sb, " AS ");
            plan_compact(sb, p->ctes[i].plan);
        }
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_GENERATE:
        lm_strbuf_printf(sb, "Generate%s ", p->outer ? " outer" : "");
        lm_expr_debug_append(sb, p->cond);
        lm_strbuf_printf(sb, " %s", p->name ? p->name : "");
        if (p->nnames)
            names_list(sb, p->names, p->nnames);
        break;
    case LM_PLAN_PIVOT:
        lm_strbuf_puts(sb, "Pivot [");
        expr_list(sb, p->exprs, p->nexprs);
        lm_strbuf_puts(sb, "] for [");
        expr_list(sb, p->pivot_cols, p->npivot_cols);
        lm_strbuf_puts(sb, "] in [");
        expr_list(sb, p->pivot_values, p->npivot_values);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_UNPIVOT:
        lm_strbuf_printf(sb, "Unpivot%s ", p->outer ? " include nulls" : "");
        names_list(sb, p->names, p->nnames);
        lm_strbuf_printf(sb, " for %s in [", p->name ? p->name : "");
        expr_list(sb, p->pivot_values, p->npivot_values);
        lm_strbuf_puts(sb, "]");
        break;
    case LM_PLAN_SAMPLE:
        lm_strbuf_puts(sb, "Sample ");
        lm_expr_debug_append(sb, p->cond);
        lm_strbuf_puts(sb, p->sample_rows ? " rows" : " percent");
        if (p->has_seed)
            lm_strbuf_printf(sb, " seed %lld", (long long)p->seed);
        break;
    default:
        lm_strbuf_printf(sb, "<plan %d>", (int)p->kind);
        break;
    }
    if (p->nwindows) {
        lm_strbuf_puts(sb, " windows [");
        for (int i = 0; i < p->nwindows; i++) {
            lm_strbuf_printf(sb, "%s%s AS ", i ? ", " : "", p->windows[i].name);
            window_spec(sb, p->windows[i].spec);
        }
        lm_strbuf_puts(sb, "]");
    }
}

static void plan_compact(lm_strbuf *sb, const lm_plan *p)
{
    lm_strbuf_puts(sb, "{");
    const char *sep = "";
    while (p != NULL) {
        lm_strbuf_puts(sb, sep);
        node_header(sb, p);
        if (p->right != NULL) {
            lm_strbuf_puts(sb, " <- (");
            plan_compact(sb, p->child);
            lm_strbuf_puts(sb, ", ");
            plan_compact(sb, p->right);
            lm_strbuf_puts(sb, ")");
            break;
        }
        sep = " <- ";
        p = p->child;
    }
    lm_strbuf_puts(sb, "}");
}

void lm_plan_debug_append(lm_strbuf *sb, const lm_plan *p, int indent)
{
    if (p == NULL)
        return;
    lm_strbuf_repeat(sb, ' ', (size_t)indent * 2);
    node_header(sb, p);
    lm_strbuf_putc(sb, '\n');
    lm_plan_debug_append(sb, p->child, indent + 1);
    lm_plan_debug_append(sb, p->right, indent + 1);
}

/* ---------------------------------------------------------------- statements */

static const char *stmt_name(lm_stmt_kind k)
{
    switch (k) {
    case LM_STMT_QUERY: return "Query";
    case LM_STMT_CREATE_VIEW: return "CreateView";
    case LM_STMT_CREATE_TABLE: return "CreateTable";
    case LM_STMT_INSERT: return "Insert";
    case LM_STMT_DROP_VIEW: return "DropView";
    case LM_STMT_DROP_TABLE: return "DropTable";
    case LM_STMT_SET: return "Set";
    case LM_STMT_RESET: return "Reset";
    case LM_STMT_SHOW_TABLES: return "ShowTables";
    case LM_STMT_SHOW_COLUMNS: return "ShowColumns";
    case LM_STMT_SHOW_FUNCTIONS: return "ShowFunctions";
    case LM_STMT_DESCRIBE: return "Describe";
    case LM_STMT_DESCRIBE_FUNCTION: return "DescribeFunction";
    case LM_STMT_EXPLAIN: return "Explain";
    case LM_STMT_CACHE: return "Cache";
    case LM_STMT_UNCACHE: return "Uncache";
    case LM_STMT_USE: return "Use";
    case LM_STMT_CREATE_DATABASE: return "CreateDatabase";
    case LM_STMT_DROP_DATABASE: return "DropDatabase";
    case LM_STMT_CLEAR_CACHE: return "ClearCache";
    }
    return "?";
}

static void stmt_append(lm_strbuf *sb, const lm_stmt *s, int indent)
{
    lm_strbuf_repeat(sb, ' ', (size_t)indent * 2);
    lm_strbuf_puts(sb, stmt_name(s->kind));
    if (s->nparts) {
        lm_strbuf_puts(sb, " ");
        parts(sb, s->parts, s->nparts);
    }
    if (s->replace) lm_strbuf_puts(sb, " replace");
    if (s->global) lm_strbuf_puts(sb, " global");
    if (s->temporary) lm_strbuf_puts(sb, " temporary");
    if (s->if_not_exists) lm_strbuf_puts(sb, " if-not-exists");
    if (s->if_exists) lm_strbuf_puts(sb, " if-exists");
    if (s->overwrite) lm_strbuf_puts(sb, " overwrite");
    if (s->lazy) lm_strbuf_puts(sb, " lazy");
    if (s->extended) lm_strbuf_puts(sb, " extended");
    if (s->cascade) lm_strbuf_puts(sb, " cascade");
    if (s->by_name) lm_strbuf_puts(sb, " by-name");
    if (s->ncols) {
        lm_strbuf_puts(sb, " cols");
        names_list(sb, s->col_names, s->ncols);
    }
    if (s->columns) {
        lm_strbuf_puts(sb, " schema ");
        lm_type_debug_append(sb, s->columns);
    }
    if (s->provider) lm_strbuf_printf(sb, " using %s", s->provider);
    if (s->noptions) {
        lm_strbuf_puts(sb, " options(");
        for (int i = 0; i < s->noptions; i++)
            lm_strbuf_printf(sb, "%s%s=%s", i ? ", " : "", s->options[i].key,
                             s->options[i].value ? s->options[i].value : "<none>");
        lm_strbuf_puts(sb, ")");
    }
    if (s->npartition_by) {
        lm_strbuf_puts(sb, " partitioned");
        names_list(sb, s->partition_by, s->npartition_by);
    }
    if (s->location) lm_strbuf_printf(sb, " location '%s'", s->location);
    if (s->comment) lm_strbuf_printf(sb, " comment '%s'", s->comment);
    if (s->key) lm_strbuf_printf(sb, " key=[%s]", s->key);
    if (s->value) lm_strbuf_printf(sb, " value=[%s]", s->value);
    if (s->kind == LM_STMT_EXPLAIN && s->explain_mode)
        lm_strbuf_printf(sb, " mode=%s", s->explain_mode);
    lm_strbuf_putc(sb, '\n');
    if (s->query)
        lm_plan_debug_append(sb, s->query, indent + 1);
    if (s->inner)
        stmt_append(sb, s->inner, indent + 1);
}

/* ---------------------------------------------------------------- strings */

static char *finish(lm_strbuf *sb)
{
    if (!lm_strbuf_ok(sb)) {
        lm_strbuf_free(sb);
        return NULL;
    }
    lm_strbuf_puts(sb, "");
    return lm_strbuf_detach(sb);
}

char *lm_expr_debug_string(const lm_expr *e)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_expr_debug_append(&sb, e);
    return finish(&sb);
}

char *lm_plan_debug_string(const lm_plan *p)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_plan_debug_append(&sb, p, 0);
    return finish(&sb);
}

char *lm_stmt_debug_string(const lm_stmt *s)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    stmt_append(&sb, s, 0);
    return finish(&sb);
}

char *lm_type_debug_string(const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_debug_append(&sb, t);
    return finish(&sb);
}
