/*
 * Literals the parser left as text (typed literals, decimals, binary and
 * intervals), turned into values with the engine's own parsing rules, and
 * the remaining resolution entry points for windows and subqueries.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/analyzer_int.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/timezone.h"

static lm_status invalid_typed_literal(lm_analyzer *an, const lm_expr *e, const char *type_sql)
{
    char val[300];
    snprintf(val, sizeof val, "'%s'", e->text ? e->text : "");
    lm_error_set(an->err, LM_ERROR, LM_EXC_PARSE, "INVALID_TYPED_LITERAL", "42604",
                 "[INVALID_TYPED_LITERAL] The value of the typed literal \"%s\" is invalid: %s.",
                 type_sql, val);
    lm_error_param_add(an->err, "valueType", type_sql);
    lm_error_param_add(an->err, "value", val);
    lm_error_set_context(an->err, e->start, e->stop);
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

lm_expr *an_resolve_literal(lm_analyzer *an, lm_expr *e)
{
    lm_expr *c = an_alloc(an, sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *e;
    c->resolved = true;
    if (!(e->flags & LM_LIT_UNPARSED)) {
        if (c->type == NULL)
            c->type = lm_type_null();
        c->nullable = c->value.is_null;
        return c;
    }
    const char *text = e->text ? e->text : "";
    size_t len = strlen(text);
    c->flags &= ~LM_LIT_UNPARSED;
    c->value = lm_value_null();
    c->value.is_null = false;
    switch (e->type->id) {
    case LM_TYPE_DATE: {
        int32_t d;
        if (!lm_date_parse(text, len, &d)) {
            invalid_typed_literal(an, e, "DATE");
            return NULL;
        }
        c->value.u.i64 = d;
        c->type = lm_type_date();
        break;
    }
    case LM_TYPE_TIMESTAMP: {
        int64_t us;
        if (!lm_ts_parse(text, len, an->s->tz, &us)) {
            invalid_typed_literal(an, e, "TIMESTAMP");
            return NULL;
        }
        c->value.u.i64 = us;
        c->type = lm_type_timestamp();
        break;
    }
    case LM_TYPE_TIMESTAMP_NTZ: {
        int64_t us;
        if (!lm_ts_ntz_parse(text, len, false, &us)) {
            invalid_typed_literal(an, e, "TIMESTAMP_NTZ");
            return NULL;
        }
        c->value.u.i64 = us;
        c->type = lm_type_timestamp_ntz();
        break;
    }
    case LM_TYPE_BINARY: {
        if (len % 2) {
            invalid_typed_literal(an, e, "X");
            return NULL;
        }
        char *bytes = lm_arena_alloc(an->a, len / 2 + 1);
        if (bytes == NULL) {
            lm_error_oom(an->err);
            return NULL;
        }
        for (size_t i = 0; i < len; i += 2) {
            int h = hexval(text[i]), l = hexval(text[i + 1]);
            if (h < 0 || l < 0) {
                invalid_typed_literal(an, e, "X");
                return NULL;
            }
            bytes[i / 2] = (char)(h * 16 + l);
        }
        c->value = lm_value_str(bytes, (int32_t)(len / 2));
        c->type = lm_type_binary();
        break;
    }
    case LM_TYPE_DECIMAL: {
        lm_int128 v;
        int p, s;
        if (!lm_decimal_parse(text, len, &v, &p, &s)) {
            lm_error_set(an->err, LM_ERROR, LM_EXC_PARSE, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                         "22003",
                         "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision exceeds max "
                         "precision 38.");
            lm_error_set_context(an->err, e->start, e->stop);
            return NULL;
        }
        c->value = lm_value_dec(v);
        c->type = lm_arena_keep_type(an->a, lm_type_decimal(p, s));
        break;
    }
    case LM_TYPE_INTERVAL:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL: {
        lm_type_id kind;
        int sf = 0, ef = 0;
        bool legacy = session_conf_bool(an->s, "spark.sql.legacy.interval.enabled", false);
        const char *src = an->sql ? an->sql : text;
        if (lm_interval_literal(text, e->nparts, (const char *const *)e->parts, true, legacy, src,
                                &kind, &sf, &ef, &c->value, an->err) != LM_OK) {
            if (an->err->ctx_start < 0)
                lm_error_set_context(an->err, e->start, e->stop);
            return NULL;
        }
        if (kind == LM_TYPE_YM_INTERVAL)
            c->type = lm_type_ym_interval(sf, ef);
        else if (kind == LM_TYPE_DT_INTERVAL)
            c->type = lm_type_dt_interval(sf, ef);
        else
            c->type = lm_type_calendar_interval();
        break;
    }
    default:
        an_error(an, e->start, e->stop, "UNSUPPORTED_TYPED_LITERAL", "0A000",
                 "Literals of the type %s are not supported.", "this type");
        return NULL;
    }
    c->nullable = false;
    return c;
}

typedef struct outer_names {
    int n, cap;
    char **v;
} outer_names;

static void collect_outer_plan(lm_analyzer *an, const lm_plan *p, int depth, outer_names *o);

static void collect_outer_expr(lm_analyzer *an, const lm_expr *e, int depth, outer_names *o)
{
    if (e == NULL)
        return;
    if (e->kind == LM_EXPR_OUTER && e->depth == depth) {
        if (o->n == o->cap) {
            int cap = o->cap ? o->cap * 2 : 4;
            char **nv = lm_arena_alloc(an->a, sizeof *nv * (size_t)cap);
            if (nv == NULL)
                return;
            if (o->n)
                memcpy(nv, o->v, sizeof *nv * (size_t)o->n);
            o->v = nv;
            o->cap = cap;
        }
        o->v[o->n++] = e->name;
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        collect_outer_expr(an, e->args[i], depth, o);
    collect_outer_expr(an, e->filter, depth, o);
    if (e->subquery)
        collect_outer_plan(an, e->subquery, depth + 1, o);
}

/* Outer references of a subquery in plan order, top down (duplicates
   kept, as Spark lists them in the expression's name). */
static void collect_outer_plan(lm_analyzer *an, const lm_plan *p, int depth, outer_names *o)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nexprs; i++)
        collect_outer_expr(an, p->exprs[i], depth, o);
    collect_outer_expr(an, p->cond, depth, o);
    for (int i = 0; i < p->ngroup; i++)
        collect_outer_expr(an, p->group_by[i], depth, o);
    if (p->kind == LM_PLAN_AGGREGATE && p->aux) {
        const lm_agg_info *ai = p->aux;
        for (int i = 0; i < ai->naggs; i++)
            collect_outer_expr(an, ai->aggs[i], depth, o);
    }
    collect_outer_plan(an, p->child, depth, o);
    collect_outer_plan(an, p->right, depth, o);
}

static bool expr_refs_outer(const lm_expr *e, int depth)
{
    if (e == NULL)
        return false;
    if (e->kind == LM_EXPR_OUTER && e->depth >= depth)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (expr_refs_outer(e->args[i], depth))
            return true;
    return expr_refs_outer(e->filter, depth);
}

/* The first node under p whose own expressions read the enclosing query. */
static const lm_plan *plan_refs_outer(const lm_plan *p)
{
    if (p == NULL)
        return NULL;
    bool refs = expr_refs_outer(p->cond, 1);
    for (int i = 0; !refs && i < p->nexprs; i++)
        refs = expr_refs_outer(p->exprs[i], 1);
    if (refs)
        return p;
    const lm_plan *c = plan_refs_outer(p->child);
    return c ? c : plan_refs_outer(p->right);
}

/* Spark refuses correlated references under a set operation inside a
   subquery: it cannot decorrelate them. */
static const lm_plan *outer_under_setop(const lm_plan *p)
{
    if (p == NULL)
        return NULL;
    if (p->kind == LM_PLAN_SETOP) {
        const lm_plan *r = plan_refs_outer(p);
        if (r)
            return r;
    }
    const lm_plan *c = outer_under_setop(p->child);
    return c ? c : outer_under_setop(p->right);
}

lm_expr *an_resolve_subquery(lm_analyzer *an, an_scope *sc, lm_expr *e)
{
    lm_plan *sub = an_analyze_plan(an, e->subquery, sc);
    if (sub == NULL)
        return NULL;
    /* scalar subqueries over correlated set operations are decorrelated by
       Spark 3.5; predicate subqueries (EXISTS, IN) are not */
    const lm_plan *bad = e->kind == LM_EXPR_SCALAR_SUBQUERY ? NULL : outer_under_setop(sub);
    if (bad != NULL) {
        an_error(an, bad->start, bad->stop,
                 "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.ACCESSING_OUTER_QUERY_COLUMN_IS_NOT_"
                 "ALLOWED",
                 "0A000",
                 "Unsupported subquery expression: Accessing outer query column is not allowed "
                 "in this location.");
        return NULL;
    }
    lm_expr *c = an_alloc(an, sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *e;
    c->subquery = sub;
    c->resolved = true;
    outer_names on = {0, 0, NULL};
    collect_outer_plan(an, sub, 1, &on);
    c->nparts = on.n;
    c->parts = on.v;
    int n = lm_plan_ncols(sub);
    if (e->kind == LM_EXPR_SCALAR_SUBQUERY) {
        if (n != 1) {
            char num[16];
            snprintf(num, sizeof num, "%d", n);
            an_error(an, e->start, e->stop,
                     "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
                     "42823",
                     "Invalid subquery: Scalar subquery must return only one column, but got %d.",
                     n);
            lm_error_param_add(an->err, "number", num);
            return NULL;
        }
        c->type = sub->schema->fields[0].type;
        c->nullable = true;
        return c;
    }
    c->type = lm_type_boolean();
    if (e->kind == LM_EXPR_EXISTS) {
        c->nullable = false;
        return c;
    }
    /* (a, b) IN (SELECT x, y ...) */
    c->args = an_alloc(an, sizeof(lm_expr *) * (size_t)(e->nargs + 1));
    if (c->args == NULL)
        return NULL;
    if (e->nargs != n) {
        an_error(an, e->start, e->stop, "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH", "42K09",
                 "The number of columns in the left hand side of an IN subquery does not match "
                 "the number of columns in the output of subquery.");
        return NULL;
    }
    c->nullable = true;
    for (int i = 0; i < e->nargs; i++) {
        lm_expr *a = an_resolve_expr(an, sc, e->args[i]);
        if (a == NULL)
            return NULL;
        const lm_type *st = sub->schema->fields[i].type;
        lm_type *t = lm_coerce_wider(a->type, st);
        if (t == NULL) {
            an_error(an, e->start, e->stop, "DATATYPE_MISMATCH.IN_SUBQUERY_DATA_TYPE_MISMATCH",
                     "42K09",
                     "The data type of one or more elements in the left hand side of an IN "
                     "subquery is not compatible with the data type of the output of the "
                     "subquery.");
            return NULL;
        }
        lm_arena_keep_type(an->a, t);
        if ((c->args[i] = lm_coerce_to(&an->rc, a, t)) == NULL)
            return NULL;
        if (!lm_type_equal(t, st)) {
            /* cast the subquery side too, through a projection */
            lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
            if (p == NULL)
                return NULL;
            lm_expr **ex = an_alloc(an, sizeof(lm_expr *) * (size_t)(n + 1));
            const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
            lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
            bool *nl = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
            if (ex == NULL || nm == NULL || ty == NULL || nl == NULL)
                return NULL;
            for (int k = 0; k < n; k++) {
                const lm_field *f = &c->subquery->schema->fields[k];
                lm_expr *b = an_bound(an, k, f->name, f->type, f->nullable);
                if (b == NULL)
                    return NULL;
                ex[k] = k == i ? lm_coerce_to(&an->rc, b, t) : b;
                if (ex[k] == NULL)
                    return NULL;
                nm[k] = f->name;
                ty[k] = ex[k]->type;
                nl[k] = f->nullable;
            }
            p->child = c->subquery;
            p->exprs = ex;
            p->nexprs = n;
            if (!an_set_output(an, p, n, nm, ty, nl, NULL))
                return NULL;
            c->subquery = p;
        }
    }
    return c;
}
