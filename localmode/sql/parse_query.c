/*
 * Queries: WITH, set operations (INTERSECT binding tighter than UNION /
 * EXCEPT / MINUS, as Spark's default), SELECT with every clause, VALUES,
 * TABLE t, FROM-first queries, and relations (joins, subqueries,
 * table-valued functions, LATERAL VIEW, PIVOT, TABLESAMPLE). The plan
 * shapes follow AstBuilder; parser.h lists them.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plan/plan_debug.h"
#include "sql/parse_internal.h"
#include "sql/parse_types.h"

static lm_plan *query_term(sqlp *p);
static lm_plan *relation(sqlp *p);

/* ================================================================ helpers */

bool sqlp_looks_like_query(const sqlp *p, int ahead)
{
    while (sqlp_kind(p, ahead) == LM_TOK_LPAREN)
        ahead++;
    return sqlp_is_kw(p, ahead, "SELECT") || sqlp_is_kw(p, ahead, "WITH") ||
           sqlp_is_kw(p, ahead, "VALUES") || sqlp_is_kw(p, ahead, "FROM") ||
           (sqlp_is_kw(p, ahead, "TABLE") && sqlp_is_ident_tok(p, ahead + 1));
}

typedef lm_plan *(*plan_fn)(sqlp *p, void *arg);

/* Backtracking for plans: NULL (position restored) on a syntax failure. */
static lm_plan *try_plan(sqlp *p, plan_fn fn, void *arg)
{
    jmp_buf *outer = p->jb;
    int pos = p->pos, depth = p->depth;
    if (sqlp_memo_failed(p, (const void *)fn, pos))
        return NULL;
    jmp_buf jb;
    p->jb = &jb;
    lm_plan *volatile r = NULL;
    if (setjmp(jb) == 0) {
        r = fn(p, arg);
        p->jb = outer;
        return r;
    }
    p->jb = outer;
    if (p->fail_pos >= p->ntoks || p->err->status == LM_ENOMEM)
        longjmp(*outer, 1);
    lm_error_clear(p->err);
    p->pos = pos;
    p->depth = depth;
    sqlp_memo_record(p, (const void *)fn, pos);
    return NULL;
}

static lm_plan *unary_plan(sqlp *p, lm_plan_kind kind, lm_plan *child, int start)
{
    lm_plan *pl = sqlp_plan_new(p, kind, start, sqlp_prev_stop(p));
    pl->child = child;
    return pl;
}

static lm_plan *alias_plan(sqlp *p, lm_plan *child, char *alias, char **cols, int ncols,
                           int start)
{
    lm_plan *a = unary_plan(p, LM_PLAN_SUBQUERY_ALIAS, child, start);
    a->nparts = 1;
    a->parts = sqlp_alloc(p, sizeof(char *));
    a->parts[0] = alias;
    a->names = cols;
    a->nnames = ncols;
    return a;
}

/* Keywords that cannot be a table alias without AS (Spark's
   strictNonReserved, plus clause starts). */
static bool can_be_table_alias(sqlp *p)
{
    if (!sqlp_is_ident_tok(p, 0))
        return false;
    if (sqlp_kind(p, 0) == LM_TOK_BACKQUOTED)
        return true;
    return !sqlp_is_clause_keyword(p, 0);
}

/* tableAlias: [AS] name [(cols)] */
static bool table_alias(sqlp *p, char **alias, char ***cols, int *ncols)
{
    *alias = NULL;
    *cols = NULL;
    *ncols = 0;
    if (sqlp_is_kw(p, 0, "AS") && sqlp_is_ident_tok(p, 1)) {
        p->pos++;
    } else if (!can_be_table_alias(p)) {
        return false;
    }
    *alias = sqlp_identifier(p);
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN && sqlp_is_ident_tok(p, 1))
        *ncols = sqlp_identifier_list(p, cols);
    return true;
}

static lm_plan *with_alias(sqlp *p, lm_plan *child, int start)
{
    char *alias;
    char **cols;
    int ncols;
    if (table_alias(p, &alias, &cols, &ncols))
        return alias_plan(p, child, alias, cols, ncols, start);
    return child;
}

/* TABLESAMPLE ( n PERCENT | n ROWS | BUCKET x OUT OF y ) [REPEATABLE (seed)] */
static lm_plan *sample(sqlp *p, lm_plan *child, int start)
{
    if (!sqlp_is_kw(p, 0, "TABLESAMPLE"))
        return child;
    p->pos++;
    sqlp_expect(p, LM_TOK_LPAREN);
    lm_plan *s;
    if (sqlp_is_kw(p, 0, "BUCKET")) {
        p->pos++;
        lm_expr *num = sqlp_constant(p);
        sqlp_expect_kw(p, "OUT");
        sqlp_expect_kw(p, "OF");
        lm_expr *den = sqlp_constant(p);
        if (sqlp_accept_kw(p, "ON"))
            p->pos++;
        sqlp_expect(p, LM_TOK_RPAREN);
        s = unary_plan(p, LM_PLAN_SAMPLE, child, start);
        lm_expr *pct = sqlp_expr_new(p, LM_EXPR_LITERAL, num->start, den->stop);
        pct->type = sqlp_type_primitive(p->a, LM_TYPE_DOUBLE);
        if (pct->type == NULL)
            sqlp_oom(p);
        double d = den->value.u.i64 ? (double)den->value.u.i64 : 1.0;
        pct->value = lm_value_f64(100.0 * (double)num->value.u.i64 / d);
        s->cond = pct;
    } else {
        lm_expr *e = sqlp_expression(p);
        if (sqlp_accept_kw(p, "PERCENT")) {
            sqlp_expect(p, LM_TOK_RPAREN);
            s = unary_plan(p, LM_PLAN_SAMPLE, child, start);
            s->cond = e;
        } else if (sqlp_accept_kw(p, "ROWS")) {
            sqlp_expect(p, LM_TOK_RPAREN);
            s = unary_plan(p, LM_PLAN_LIMIT, child, start);
            s->cond = e;
        } else {
            sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0015", NULL, start, sqlp_prev_stop(p),
                      "TABLESAMPLE(byteLengthLiteral) is not supported.", "msg",
                      "byteLengthLiteral", NULL);
        }
    }
    if (sqlp_accept_kw(p, "REPEATABLE")) {
        sqlp_expect(p, LM_TOK_LPAREN);
        lm_expr *seed = sqlp_constant(p);
        sqlp_expect(p, LM_TOK_RPAREN);
        if (s->kind == LM_PLAN_SAMPLE) {
            s->has_seed = true;
            s->seed = seed->value.u.i64;
        }
    }
    s->stop = sqlp_prev_stop(p);
    return s;
}

/* ================================================================ VALUES */

/* VALUES expr, expr ... [AS] t(a, b) */
static lm_plan *inline_table(sqlp *p)
{
    int start = sqlp_cur_start(p);
    sqlp_expect_kw(p, "VALUES");
    sqlp_vec rows = {0};
    sqlp_vec lens = {0};
    bool ragged = false;
    int ncols = -1;
    do {
        lm_expr *e = sqlp_expression(p);
        lm_expr **row;
        int n;
        if (e->kind == LM_EXPR_CALL && (e->flags & LM_CALL_ROW)) {
            row = e->args;
            n = e->nargs;
        } else {
            row = sqlp_alloc(p, sizeof(lm_expr *));
            row[0] = e;
            n = 1;
        }
        if (ncols < 0)
            ncols = n;
        else if (n != ncols)
            ragged = true;
        sqlp_vec_push(p, &rows, row);
        sqlp_vec_push(p, &lens, (void *)(intptr_t)n);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    lm_plan *v = sqlp_plan_new(p, LM_PLAN_VALUES, start, sqlp_prev_stop(p));
    v->nrows = rows.n;
    v->ncols = ncols;
    v->rows = (lm_expr ***)rows.items;
    if (ragged) {
        v->row_lens = sqlp_alloc(p, sizeof(int) * (size_t)rows.n);
        for (int i = 0; i < rows.n; i++)
            v->row_lens[i] = (int)(intptr_t)lens.items[i];
    }
    char *alias;
    char **cols;
    int nc;
    if (table_alias(p, &alias, &cols, &nc)) {
        v->names = cols;
        v->nnames = nc;
        return alias_plan(p, v, alias, NULL, 0, start);
    }
    return v;
}

/* ================================================================ relations */

static lm_plan *paren_query_relation(sqlp *p, void *arg)
{
    (void)arg;
    int start = sqlp_cur_start(p);
    sqlp_expect(p, LM_TOK_LPAREN);
    lm_plan *q = sqlp_query(p);
    sqlp_expect(p, LM_TOK_RPAREN);
    q = sample(p, q, start);
    char *alias;
    char **cols;
    int ncols;
    if (table_alias(p, &alias, &cols, &ncols))
        return alias_plan(p, q, alias, cols, ncols, start);
    /* Spark names un-aliased subqueries so that only unqualified names
       reach their columns */
    return alias_plan(p, q, sqlp_strdup(p, "__auto_generated_subquery_name"), NULL, 0, start);
}

static lm_plan *relation_primary(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_plan *r;
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        r = NULL;
        if (sqlp_looks_like_query(p, 1))
            r = try_plan(p, paren_query_relation, NULL);
        if (r == NULL) {
            p->pos++;
            lm_plan *inner = relation(p);
            sqlp_expect(p, LM_TOK_RPAREN);
            inner = sample(p, inner, start);
            r = with_alias(p, inner, start);
        }
    } else if (sqlp_is_kw(p, 0, "VALUES")) {
        r = inline_table(p);
    } else if (sqlp_is_ident_tok(p, 0)) {
        char **parts;
        int n = sqlp_multipart(p, &parts);
        if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
            /* table-valued function */
            p->pos++;
            sqlp_vec args = {0};
            if (sqlp_kind(p, 0) != LM_TOK_RPAREN) {
                do {
                    if (sqlp_is_kw(p, 0, "TABLE") &&
                        (sqlp_kind(p, 1) == LM_TOK_LPAREN || sqlp_is_ident_tok(p, 1)))
                        sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE", "0A000", -1, -1,
                                  "[UNSUPPORTED_FEATURE] TABLE arguments are not supported.",
                                  NULL);
                    sqlp_vec_push(p, &args, sqlp_expression(p));
                } while (sqlp_accept(p, LM_TOK_COMMA));
            }
            sqlp_expect(p, LM_TOK_RPAREN);
            lm_plan *t = sqlp_plan_new(p, LM_PLAN_TVF, start, sqlp_prev_stop(p));
            t->name = parts[n - 1];
            t->nparts = n;
            t->parts = parts;
            t->nexprs = args.n;
            t->exprs = sqlp_vec_exprs(p, &args);
            r = with_alias(p, t, start);
        } else {
            lm_plan *t = sqlp_plan_new(p, LM_PLAN_UNRESOLVED_RELATION, start, sqlp_prev_stop(p));
            t->nparts = n;
            t->parts = parts;
            if ((sqlp_is_kw(p, 0, "FOR") || sqlp_is_kw(p, 0, "VERSION") ||
                 sqlp_is_kw(p, 0, "TIMESTAMP") || sqlp_is_kw(p, 0, "SYSTEM_VERSION") ||
                 sqlp_is_kw(p, 0, "SYSTEM_TIME")) &&
                (sqlp_is_kw(p, 1, "AS") || sqlp_is_kw(p, 2, "AS")))
                sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE.TIME_TRAVEL", "0A000", -1, -1,
                          "[UNSUPPORTED_FEATURE.TIME_TRAVEL] Time travel is not supported.",
                          NULL);
            lm_plan *s = sample(p, t, start);
            r = with_alias(p, s, start);
        }
    } else {
        sqlp_syntax_error(p, "");
    }
    sqlp_leave(p);
    return r;
}

/* PIVOT ( aggs FOR col | (cols) IN ( value [[AS] alias], ... ) ) */
static lm_plan *pivot(sqlp *p, lm_plan *child, int start)
{
    p->pos++;
    sqlp_expect(p, LM_TOK_LPAREN);
    sqlp_vec aggs = {0}, cols = {0}, vals = {0};
    do {
        sqlp_vec_push(p, &aggs, sqlp_named_expression(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect_kw(p, "FOR");
    if (sqlp_accept(p, LM_TOK_LPAREN)) {
        do {
            int cs = sqlp_cur_start(p);
            char *name = sqlp_identifier(p);
            lm_expr *c = sqlp_expr_new(p, LM_EXPR_COLUMN, cs, sqlp_prev_stop(p));
            c->nparts = 1;
            c->parts = sqlp_alloc(p, sizeof(char *));
            c->parts[0] = name;
            sqlp_vec_push(p, &cols, c);
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
    } else {
        int cs = sqlp_cur_start(p);
        char *name = sqlp_identifier(p);
        lm_expr *c = sqlp_expr_new(p, LM_EXPR_COLUMN, cs, sqlp_prev_stop(p));
        c->nparts = 1;
        c->parts = sqlp_alloc(p, sizeof(char *));
        c->parts[0] = name;
        sqlp_vec_push(p, &cols, c);
    }
    sqlp_expect_kw(p, "IN");
    sqlp_expect(p, LM_TOK_LPAREN);
    do {
        int vs = sqlp_cur_start(p);
        lm_expr *v = sqlp_expression(p);
        if (sqlp_accept_kw(p, "AS") || (sqlp_is_ident_tok(p, 0) && !sqlp_is_clause_keyword(p, 0))) {
            lm_expr *a = sqlp_expr_new(p, LM_EXPR_ALIAS, vs, vs);
            a->name = sqlp_identifier(p);
            a->stop = sqlp_prev_stop(p);
            a->nargs = 1;
            a->args = sqlp_alloc(p, sizeof(lm_expr *));
            a->args[0] = v;
            v = a;
        }
        sqlp_vec_push(p, &vals, v);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_plan *pv = unary_plan(p, LM_PLAN_PIVOT, child, start);
    pv->nexprs = aggs.n;
    pv->exprs = sqlp_vec_exprs(p, &aggs);
    pv->npivot_cols = cols.n;
    pv->pivot_cols = sqlp_vec_exprs(p, &cols);
    pv->npivot_values = vals.n;
    pv->pivot_values = sqlp_vec_exprs(p, &vals);
    return pv;
}

/* UNPIVOT [INCLUDE | EXCLUDE NULLS] ( values FOR name IN ( cols [[AS] alias], ... ) )
   [[AS] alias]; values and each IN item are one column or a (parenthesised) list */
static lm_expr *unpivot_item(sqlp *p)
{
    int cs = sqlp_cur_start(p);
    lm_expr *item;
    if (sqlp_accept(p, LM_TOK_LPAREN)) {
        sqlp_vec cols = {0};
        do {
            int s = sqlp_cur_start(p);
            lm_expr *c = sqlp_expr_new(p, LM_EXPR_COLUMN, s, s);
            c->nparts = sqlp_multipart(p, &c->parts);
            c->stop = sqlp_prev_stop(p);
            sqlp_vec_push(p, &cols, c);
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
        item = sqlp_expr_new(p, LM_EXPR_CALL, cs, sqlp_prev_stop(p));
        item->name = "struct";
        item->flags = LM_CALL_ROW;
        item->nargs = cols.n;
        item->args = sqlp_vec_exprs(p, &cols);
    } else {
        item = sqlp_expr_new(p, LM_EXPR_COLUMN, cs, cs);
        item->nparts = sqlp_multipart(p, &item->parts);
        item->stop = sqlp_prev_stop(p);
    }
    if (sqlp_accept_kw(p, "AS") || (sqlp_is_ident_tok(p, 0) && !sqlp_is_clause_keyword(p, 0))) {
        lm_expr *a = sqlp_expr_new(p, LM_EXPR_ALIAS, cs, cs);
        a->name = sqlp_identifier(p);
        a->stop = sqlp_prev_stop(p);
        a->nargs = 1;
        a->args = sqlp_alloc(p, sizeof(lm_expr *));
        a->args[0] = item;
        item = a;
    }
    return item;
}

static lm_plan *unpivot(sqlp *p, lm_plan *child, int start)
{
    p->pos++;
    bool include = false;
    if (sqlp_accept_kw(p, "INCLUDE")) {
        sqlp_expect_kw(p, "NULLS");
        include = true;
    } else if (sqlp_accept_kw(p, "EXCLUDE")) {
        sqlp_expect_kw(p, "NULLS");
    }
    sqlp_expect(p, LM_TOK_LPAREN);
    char **values;
    int nvalues;
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        nvalues = sqlp_identifier_list(p, &values);
    } else {
        values = sqlp_alloc(p, sizeof(char *));
        values[0] = sqlp_identifier(p);
        nvalues = 1;
    }
    sqlp_expect_kw(p, "FOR");
    char *name = sqlp_identifier(p);
    sqlp_expect_kw(p, "IN");
    sqlp_expect(p, LM_TOK_LPAREN);
    sqlp_vec items = {0};
    do {
        sqlp_vec_push(p, &items, unpivot_item(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_plan *u = unary_plan(p, LM_PLAN_UNPIVOT, child, start);
    u->names = values;
    u->nnames = nvalues;
    u->name = name;
    u->npivot_values = items.n;
    u->pivot_values = sqlp_vec_exprs(p, &items);
    u->outer = include;
    return with_alias(p, u, start);
}

static bool join_type(sqlp *p, lm_join_type *jt, int *ntok)
{
    /* returns true when the tokens at the cursor form "<type> JOIN" */
    int i = 0;
    *jt = LM_JOIN_INNER;
    if (sqlp_is_kw(p, 0, "INNER")) {
        i = 1;
    } else if (sqlp_is_kw(p, 0, "CROSS")) {
        *jt = LM_JOIN_CROSS;
        i = 1;
    } else if (sqlp_is_kw(p, 0, "LEFT")) {
        i = 1;
        *jt = LM_JOIN_LEFT;
        if (sqlp_is_kw(p, 1, "OUTER")) {
            i = 2;
        } else if (sqlp_is_kw(p, 1, "SEMI")) {
            *jt = LM_JOIN_LEFT_SEMI;
            i = 2;
        } else if (sqlp_is_kw(p, 1, "ANTI")) {
            *jt = LM_JOIN_LEFT_ANTI;
            i = 2;
        }
    } else if (sqlp_is_kw(p, 0, "SEMI")) {
        *jt = LM_JOIN_LEFT_SEMI;
        i = 1;
    } else if (sqlp_is_kw(p, 0, "ANTI")) {
        *jt = LM_JOIN_LEFT_ANTI;
        i = 1;
    } else if (sqlp_is_kw(p, 0, "RIGHT")) {
        *jt = LM_JOIN_RIGHT;
        i = sqlp_is_kw(p, 1, "OUTER") ? 2 : 1;
    } else if (sqlp_is_kw(p, 0, "FULL")) {
        *jt = LM_JOIN_FULL;
        i = sqlp_is_kw(p, 1, "OUTER") ? 2 : 1;
    }
    if (!sqlp_is_kw(p, i, "JOIN"))
        return false;
    *ntok = i + 1;
    return true;
}

/* relation: [LATERAL] relationPrimary (join | pivot)* */
static lm_plan *relation(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    if (sqlp_is_kw(p, 0, "LATERAL") && sqlp_kind(p, 1) == LM_TOK_LPAREN)
        sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE", "0A000", -1, -1,
                  "[UNSUPPORTED_FEATURE] LATERAL subqueries are not supported.", NULL);
    lm_plan *left = relation_primary(p);
    for (;;) {
        bool natural = false;
        int off = 0;
        if (sqlp_is_kw(p, 0, "NATURAL")) {
            natural = true;
            off = 1;
        }
        lm_join_type jt;
        int ntok;
        p->pos += off;
        bool is_join = join_type(p, &jt, &ntok);
        if (!is_join) {
            p->pos -= off;
            if (sqlp_is_kw(p, 0, "PIVOT") && sqlp_kind(p, 1) == LM_TOK_LPAREN) {
                left = pivot(p, left, start);
                continue;
            }
            if (sqlp_is_kw(p, 0, "UNPIVOT") &&
                (sqlp_kind(p, 1) == LM_TOK_LPAREN || sqlp_is_kw(p, 1, "INCLUDE") ||
                 sqlp_is_kw(p, 1, "EXCLUDE"))) {
                left = unpivot(p, left, start);
                continue;
            }
            if (natural)
                sqlp_syntax_error(p, "");
            break;
        }
        if (natural && jt == LM_JOIN_CROSS)
            sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE.NATURAL_CROSS_JOIN", "0A000", start,
                      sqlp_tok(p, ntok - 1)->stop,
                      "[UNSUPPORTED_FEATURE.NATURAL_CROSS_JOIN] The feature is not supported: "
                      "NATURAL CROSS JOIN.",
                      NULL);
        p->pos += ntok;
        if (sqlp_is_kw(p, 0, "LATERAL") && sqlp_kind(p, 1) == LM_TOK_LPAREN)
            sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE", "0A000", -1, -1,
                      "[UNSUPPORTED_FEATURE] LATERAL subqueries are not supported.", NULL);
        lm_plan *right = relation_primary(p);
        lm_plan *j = sqlp_plan_new(p, LM_PLAN_JOIN, start, start);
        j->child = left;
        j->right = right;
        j->join_type = jt;
        j->natural = natural;
        if (!natural) {
            if (sqlp_accept_kw(p, "ON")) {
                j->cond = sqlp_expression(p);
            } else if (sqlp_is_kw(p, 0, "USING") && sqlp_kind(p, 1) == LM_TOK_LPAREN) {
                p->pos++;
                j->nnames = sqlp_identifier_list(p, &j->names);
            }
        }
        j->stop = sqlp_prev_stop(p);
        left = j;
    }
    sqlp_leave(p);
    return left;
}

/* LATERAL VIEW [OUTER] f(args) t [AS] c1, c2 */
static lm_plan *lateral_views(sqlp *p, lm_plan *child, int start)
{
    while (sqlp_is_kw(p, 0, "LATERAL") && sqlp_is_kw(p, 1, "VIEW")) {
        p->pos += 2;
        lm_plan *g = sqlp_plan_new(p, LM_PLAN_GENERATE, start, start);
        g->child = child;
        if (sqlp_is_kw(p, 0, "OUTER") && sqlp_is_ident_tok(p, 1) &&
            sqlp_kind(p, 1) != LM_TOK_LPAREN) {
            /* OUTER is the flag unless it is the generator's own name */
            if (sqlp_kind(p, 1) == LM_TOK_IDENT || sqlp_kind(p, 1) == LM_TOK_BACKQUOTED) {
                p->pos++;
                g->outer = true;
            }
        }
        int fs = sqlp_cur_start(p);
        char **parts;
        int n = sqlp_multipart(p, &parts);
        sqlp_expect(p, LM_TOK_LPAREN);
        sqlp_vec args = {0};
        if (sqlp_kind(p, 0) != LM_TOK_RPAREN) {
            do {
                sqlp_vec_push(p, &args, sqlp_expression(p));
            } while (sqlp_accept(p, LM_TOK_COMMA));
        }
        sqlp_expect(p, LM_TOK_RPAREN);
        lm_expr *call = sqlp_expr_new(p, LM_EXPR_CALL, fs, sqlp_prev_stop(p));
        call->name = parts[n - 1];
        if (n > 1) {
            call->nparts = n;
            call->parts = parts;
        }
        call->nargs = args.n;
        call->args = sqlp_vec_exprs(p, &args);
        g->cond = call;
        g->name = sqlp_identifier(p);
        if (sqlp_accept_kw(p, "AS") ||
            (sqlp_is_ident_tok(p, 0) && !sqlp_is_clause_keyword(p, 0))) {
            sqlp_vec cols = {0};
            do {
                sqlp_vec_push(p, &cols, sqlp_identifier(p));
            } while (sqlp_accept(p, LM_TOK_COMMA));
            g->names = (char **)cols.items;
            g->nnames = cols.n;
        }
        g->stop = sqlp_prev_stop(p);
        child = g;
    }
    return child;
}

/* FROM relation, relation ... [LATERAL VIEW ...] [PIVOT ...] */
static lm_plan *from_clause(sqlp *p)
{
    int start = sqlp_cur_start(p);
    sqlp_expect_kw(p, "FROM");
    lm_plan *r = relation(p);
    while (sqlp_accept(p, LM_TOK_COMMA)) {
        lm_plan *right = relation(p);
        lm_plan *j = sqlp_plan_new(p, LM_PLAN_JOIN, start, sqlp_prev_stop(p));
        j->child = r;
        j->right = right;
        j->join_type = LM_JOIN_INNER;
        r = j;
    }
    r = lateral_views(p, r, start);
    if (sqlp_is_kw(p, 0, "PIVOT") && sqlp_kind(p, 1) == LM_TOK_LPAREN)
        r = pivot(p, r, start);
    if (sqlp_is_kw(p, 0, "UNPIVOT"))
        r = unpivot(p, r, start);
    return r;
}

/* ================================================================ GROUP BY */

typedef struct gsets {
    int nsets;
    sqlp_vec *sets; /* each a vector of lm_expr* */
} gsets;

static gsets gsets_new(sqlp *p, int n)
{
    gsets g;
    g.nsets = n;
    g.sets = sqlp_alloc(p, sizeof(sqlp_vec) * (size_t)(n ? n : 1));
    return g;
}

static void vec_concat(sqlp *p, sqlp_vec *dst, const sqlp_vec *src)
{
    for (int i = 0; i < src->n; i++)
        sqlp_vec_push(p, dst, src->items[i]);
}

/* groupingSet: ( [e, ...] ) | e */
static sqlp_vec grouping_set(sqlp *p, bool *empty_seen)
{
    sqlp_vec v = {0};
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        /* ( a, b ) is a set; (a + b) * 2 is an expression */
        int save = p->pos;
        p->pos++;
        if (sqlp_accept(p, LM_TOK_RPAREN)) {
            *empty_seen = true;
            return v;
        }
        lm_expr *first = sqlp_expression(p);
        if (sqlp_kind(p, 0) == LM_TOK_COMMA || sqlp_kind(p, 0) == LM_TOK_RPAREN) {
            bool is_set = true;
            sqlp_vec_push(p, &v, first);
            while (sqlp_accept(p, LM_TOK_COMMA))
                sqlp_vec_push(p, &v, sqlp_expression(p));
            sqlp_expect(p, LM_TOK_RPAREN);
            lm_tok_kind k = sqlp_kind(p, 0);
            if (v.n == 1 && k != LM_TOK_COMMA && k != LM_TOK_RPAREN)
                is_set = false; /* (a) + 1 */
            if (is_set)
                return v;
        }
        p->pos = save;
        v.n = 0;
    }
    sqlp_vec_push(p, &v, sqlp_expression(p));
    return v;
}

/* all subsets as Spark's cubeExprs orders them */
static void cube_sets(sqlp *p, sqlp_vec *items, int from, int n, gsets *out, int *k)
{
    if (from == n) {
        out->sets[(*k)++] = (sqlp_vec){0};
        return;
    }
    int first = *k;
    cube_sets(p, items, from + 1, n, out, k);
    int cnt = *k - first;
    /* x ++ each initial, then the initial ones: shift to make room */
    sqlp_vec *tmp = sqlp_alloc(p, sizeof(sqlp_vec) * (size_t)cnt);
    memcpy(tmp, out->sets + first, sizeof(sqlp_vec) * (size_t)cnt);
    for (int i = 0; i < cnt; i++) {
        sqlp_vec s = {0};
        vec_concat(p, &s, &items[from]);
        vec_concat(p, &s, &tmp[i]);
        out->sets[first + i] = s;
    }
    for (int i = 0; i < cnt; i++)
        out->sets[first + cnt + i] = tmp[i];
    *k = first + 2 * cnt;
}

static gsets grouping_analytics(sqlp *p, const char **kind, bool *empty_in_rollup,
                                const char **empty_kind);

/* ROLLUP (...) | CUBE (...) | GROUPING SETS (...) at the cursor? */
static bool at_grouping_analytics(sqlp *p)
{
    if ((sqlp_is_kw(p, 0, "ROLLUP") || sqlp_is_kw(p, 0, "CUBE")) &&
        sqlp_kind(p, 1) == LM_TOK_LPAREN)
        return true;
    return sqlp_is_kw(p, 0, "GROUPING") && sqlp_is_kw(p, 1, "SETS") &&
           sqlp_kind(p, 2) == LM_TOK_LPAREN;
}

static gsets grouping_analytics(sqlp *p, const char **kind, bool *empty_bad,
                                const char **empty_kind)
{
    sqlp_enter(p);
    gsets out;
    if (sqlp_is_kw(p, 0, "ROLLUP") || sqlp_is_kw(p, 0, "CUBE")) {
        bool rollup = sqlp_is_kw(p, 0, "ROLLUP");
        *kind = rollup ? "ROLLUP" : "CUBE";
        p->pos += 2;
        sqlp_vec items = {0};
        do {
            bool empty = false;
            sqlp_vec s = grouping_set(p, &empty);
            if (empty && !*empty_bad) {
                *empty_bad = true;
                *empty_kind = *kind;
            }
            sqlp_vec *sp = sqlp_alloc(p, sizeof *sp);
            *sp = s;
            sqlp_vec_push(p, &items, sp);
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
        int n = items.n;
        sqlp_vec *arr = sqlp_alloc(p, sizeof(sqlp_vec) * (size_t)n);
        for (int i = 0; i < n; i++)
            arr[i] = *(sqlp_vec *)items.items[i];
        if (rollup) {
            out = gsets_new(p, n + 1);
            for (int i = n; i >= 0; i--) {
                sqlp_vec s = {0};
                for (int j = 0; j < i; j++)
                    vec_concat(p, &s, &arr[j]);
                out.sets[n - i] = s;
            }
        } else {
            if (n > 20)
                sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0052", NULL, -1, -1,
                          "Too many grouping sets in CUBE.", NULL);
            out = gsets_new(p, 1 << n);
            int k = 0;
            cube_sets(p, arr, 0, n, &out, &k);
        }
    } else {
        *kind = "SETS";
        p->pos += 3;
        sqlp_vec all = {0};
        do {
            if (at_grouping_analytics(p)) {
                const char *k2;
                gsets inner = grouping_analytics(p, &k2, empty_bad, empty_kind);
                for (int i = 0; i < inner.nsets; i++) {
                    sqlp_vec *sp = sqlp_alloc(p, sizeof *sp);
                    *sp = inner.sets[i];
                    sqlp_vec_push(p, &all, sp);
                }
            } else {
                bool empty = false;
                sqlp_vec s = grouping_set(p, &empty);
                sqlp_vec *sp = sqlp_alloc(p, sizeof *sp);
                *sp = s;
                sqlp_vec_push(p, &all, sp);
            }
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
        out = gsets_new(p, all.n);
        for (int i = 0; i < all.n; i++)
            out.sets[i] = *(sqlp_vec *)all.items[i];
    }
    sqlp_leave(p);
    return out;
}

/* Structural equality of unresolved expressions (Spark dedups grouping
   keys with semantic equality; for unresolved trees that is equal text). */
static bool expr_same(sqlp *p, const lm_expr *a, const lm_expr *b)
{
    if (a == b)
        return true;
    lm_strbuf sa, sb;
    lm_strbuf_init(&sa);
    lm_strbuf_init(&sb);
    lm_expr_debug_append(&sa, a);
    lm_expr_debug_append(&sb, b);
    bool ok = lm_strbuf_ok(&sa) && lm_strbuf_ok(&sb);
    bool same = ok && strcmp(lm_strbuf_cstr(&sa), lm_strbuf_cstr(&sb)) == 0;
    lm_strbuf_free(&sa);
    lm_strbuf_free(&sb);
    if (!ok)
        sqlp_oom(p);
    return same;
}

static void add_distinct_key(sqlp *p, sqlp_vec *keys, lm_expr *e)
{
    for (int i = 0; i < keys->n; i++)
        if (expr_same(p, keys->items[i], e))
            return;
    sqlp_vec_push(p, keys, e);
}

static void set_sets(sqlp *p, lm_plan *agg, gsets *g)
{
    agg->nsets = g->nsets;
    agg->set_sizes = sqlp_alloc(p, sizeof(int) * (size_t)(g->nsets ? g->nsets : 1));
    agg->sets = sqlp_alloc(p, sizeof(lm_expr **) * (size_t)(g->nsets ? g->nsets : 1));
    for (int i = 0; i < g->nsets; i++) {
        agg->set_sizes[i] = g->sets[i].n;
        agg->sets[i] = (lm_expr **)g->sets[i].items;
    }
}

/* GROUP BY ...: fills the grouping fields of the AGGREGATE node */
static void group_by(sqlp *p, lm_plan *agg)
{
    int start = sqlp_cur_start(p);
    p->pos += 2; /* GROUP BY */
    bool empty_bad = false;
    const char *empty_kind = NULL;
    /* elements: each with its list of sets */
    sqlp_vec elems = {0}; /* gsets* */
    sqlp_vec keys = {0};
    sqlp_vec plain = {0};
    bool analytics = false;
    const char *single_kind = NULL;
    int nelems = 0;
    do {
        nelems++;
        gsets *g = sqlp_alloc(p, sizeof *g);
        if (at_grouping_analytics(p)) {
            const char *kind;
            *g = grouping_analytics(p, &kind, &empty_bad, &empty_kind);
            single_kind = kind;
            analytics = true;
            for (int i = 0; i < g->nsets; i++)
                for (int j = 0; j < g->sets[i].n; j++)
                    add_distinct_key(p, &keys, g->sets[i].items[j]);
        } else {
            lm_expr *e = sqlp_expression(p);
            *g = gsets_new(p, 1);
            sqlp_vec_push(p, &g->sets[0], e);
            sqlp_vec_push(p, &keys, e);
            sqlp_vec_push(p, &plain, e);
        }
        sqlp_vec_push(p, &elems, g);
    } while (sqlp_accept(p, LM_TOK_COMMA));

    if (!analytics && sqlp_is_kw(p, 0, "WITH") &&
        (sqlp_is_kw(p, 1, "ROLLUP") || sqlp_is_kw(p, 1, "CUBE"))) {
        /* GROUP BY a, b WITH ROLLUP: ROLLUP over single-key sets */
        bool rollup = sqlp_is_kw(p, 1, "ROLLUP");
        p->pos += 2;
        int n = plain.n;
        gsets out;
        sqlp_vec *arr = sqlp_alloc(p, sizeof(sqlp_vec) * (size_t)(n ? n : 1));
        for (int i = 0; i < n; i++) {
            arr[i] = (sqlp_vec){0};
            sqlp_vec_push(p, &arr[i], plain.items[i]);
        }
        if (rollup) {
            out = gsets_new(p, n + 1);
            for (int i = n; i >= 0; i--) {
                sqlp_vec s = {0};
                for (int j = 0; j < i; j++)
                    vec_concat(p, &s, &arr[j]);
                out.sets[n - i] = s;
            }
        } else {
            out = gsets_new(p, 1 << (n > 20 ? 20 : n));
            int k = 0;
            cube_sets(p, arr, 0, n > 20 ? 20 : n, &out, &k);
        }
        agg->grouping = rollup ? LM_GROUPING_ROLLUP : LM_GROUPING_CUBE;
        agg->ngroup = keys.n;
        agg->group_by = sqlp_vec_exprs(p, &keys);
        set_sets(p, agg, &out);
        return;
    }
    if (!analytics && sqlp_is_kw(p, 0, "GROUPING") && sqlp_is_kw(p, 1, "SETS")) {
        /* GROUP BY a, b GROUPING SETS ((a), (b)): keys as written */
        p->pos += 2;
        sqlp_expect(p, LM_TOK_LPAREN);
        sqlp_vec all = {0};
        do {
            bool empty = false;
            sqlp_vec s = grouping_set(p, &empty);
            sqlp_vec *sp = sqlp_alloc(p, sizeof *sp);
            *sp = s;
            sqlp_vec_push(p, &all, sp);
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
        gsets out = gsets_new(p, all.n);
        for (int i = 0; i < all.n; i++)
            out.sets[i] = *(sqlp_vec *)all.items[i];
        agg->grouping = LM_GROUPING_SETS;
        agg->ngroup = keys.n;
        agg->group_by = sqlp_vec_exprs(p, &keys);
        set_sets(p, agg, &out);
        return;
    }
    if (empty_bad) {
        char *msg = lm_arena_printf(p->a, "Empty set in %s grouping sets is not supported.",
                                    empty_kind);
        if (msg == NULL)
            sqlp_oom(p);
        sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0051", NULL, start, sqlp_prev_stop(p), msg,
                  "element", empty_kind, NULL);
    }
    agg->ngroup = keys.n;
    agg->group_by = sqlp_vec_exprs(p, &keys);
    if (!analytics) {
        agg->grouping = LM_GROUPING_PLAIN;
        if (keys.n == 1) {
            lm_expr *k = keys.items[0];
            if (k->kind == LM_EXPR_COLUMN && k->nparts == 1 && strcasecmp(k->parts[0], "all") == 0)
                agg->grouping = LM_GROUPING_ALL;
        }
        return;
    }
    /* cartesian product of the elements' sets, first element slowest */
    int total = 1;
    for (int i = 0; i < elems.n; i++) {
        total *= ((gsets *)elems.items[i])->nsets;
        if (total > 4096)
            sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0052", NULL, start, sqlp_prev_stop(p),
                      "Too many grouping sets.", NULL);
    }
    gsets out = gsets_new(p, total);
    for (int idx = 0; idx < total; idx++) {
        int rem = idx;
        sqlp_vec s = {0};
        /* decode idx with the last element varying fastest */
        int *choice = sqlp_alloc(p, sizeof(int) * (size_t)elems.n);
        for (int i = elems.n - 1; i >= 0; i--) {
            gsets *g = elems.items[i];
            choice[i] = rem % g->nsets;
            rem /= g->nsets;
        }
        for (int i = 0; i < elems.n; i++)
            vec_concat(p, &s, &((gsets *)elems.items[i])->sets[choice[i]]);
        out.sets[idx] = s;
    }
    if (nelems == 1 && strcmp(single_kind, "ROLLUP") == 0)
        agg->grouping = LM_GROUPING_ROLLUP;
    else if (nelems == 1 && strcmp(single_kind, "CUBE") == 0)
        agg->grouping = LM_GROUPING_CUBE;
    else
        agg->grouping = LM_GROUPING_SETS;
    set_sets(p, agg, &out);
}

/* ================================================================ WINDOW clause */

static void window_clause(sqlp *p, sqlp_vec *wins)
{
    int start = sqlp_cur_start(p);
    p->pos++; /* WINDOW */
    int first = wins->n;
    do {
        lm_named_window *w = sqlp_alloc(p, sizeof *w);
        w->name = sqlp_identifier(p);
        sqlp_expect_kw(p, "AS");
        w->spec = sqlp_window_spec(p);
        sqlp_vec_push(p, wins, w);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    for (int i = first; i < wins->n; i++) {
        for (int j = first; j < i; j++) {
            const char *a = ((lm_named_window *)wins->items[i])->name;
            const char *b = ((lm_named_window *)wins->items[j])->name;
            if (strcmp(a, b) == 0) {
                char *q = lm_arena_printf(p->a, "`%s`", a);
                char *msg = lm_arena_printf(p->a,
                                            "[INVALID_SQL_SYNTAX.REPETITIVE_WINDOW_DEFINITION] "
                                            "Invalid SQL syntax: The definition of window %s is "
                                            "repetitive.",
                                            q ? q : "");
                if (q == NULL || msg == NULL)
                    sqlp_oom(p);
                sqlp_fail(p, LM_EXC_PARSE, "INVALID_SQL_SYNTAX.REPETITIVE_WINDOW_DEFINITION",
                          "42000", start, sqlp_prev_stop(p), msg, "windowName", q, NULL);
            }
        }
    }
}

static void attach_windows(sqlp *p, lm_plan *target, sqlp_vec *wins)
{
    if (wins->n == 0 || target == NULL)
        return;
    int n = target->nwindows + wins->n;
    lm_named_window *arr = sqlp_alloc(p, sizeof *arr * (size_t)n);
    if (target->nwindows)
        memcpy(arr, target->windows, sizeof *arr * (size_t)target->nwindows);
    for (int i = 0; i < wins->n; i++)
        arr[target->nwindows + i] = *(lm_named_window *)wins->items[i];
    target->windows = arr;
    target->nwindows = n;
}

/* ================================================================ SELECT */

/* The PROJECT / AGGREGATE node a select produced (under DISTINCT / HAVING). */
static lm_plan *select_core(lm_plan *pl)
{
    while (pl != NULL && (pl->kind == LM_PLAN_DISTINCT ||
                          (pl->kind == LM_PLAN_FILTER && pl->having)))
        pl = pl->child;
    if (pl != NULL && (pl->kind == LM_PLAN_PROJECT || pl->kind == LM_PLAN_AGGREGATE))
        return pl;
    return NULL;
}

/* SELECT ... [FROM ...] [WHERE] [GROUP BY] [HAVING] [WINDOW]; from may be
   given already (FROM-first queries). */
static lm_plan *select_body(sqlp *p, lm_plan *from, int start)
{
    sqlp_expect_kw(p, "SELECT");
    if (sqlp_kind(p, 0) == LM_TOK_HINT_START) {
        /* hints are parsed and dropped */
        while (sqlp_kind(p, 0) != LM_TOK_HINT_END && sqlp_kind(p, 0) != LM_TOK_EOF)
            p->pos++;
        sqlp_expect(p, LM_TOK_HINT_END);
    }
    bool distinct = false;
    if (sqlp_is_kw(p, 0, "DISTINCT") && !sqlp_is_clause_keyword(p, 1) &&
        sqlp_kind(p, 1) != LM_TOK_COMMA) {
        p->pos++;
        distinct = true;
    } else if (sqlp_is_kw(p, 0, "ALL") && !sqlp_is_clause_keyword(p, 1) &&
               sqlp_kind(p, 1) != LM_TOK_COMMA && sqlp_kind(p, 1) != LM_TOK_EOF) {
        p->pos++;
    }
    sqlp_vec items = {0};
    do {
        sqlp_vec_push(p, &items, sqlp_named_expression(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    lm_plan *child = from;
    if (child == NULL && sqlp_is_kw(p, 0, "FROM"))
        child = from_clause(p);
    if (child == NULL)
        child = sqlp_plan_new(p, LM_PLAN_ONE_ROW, -1, -1);
    child = lateral_views(p, child, start);
    if (sqlp_accept_kw(p, "WHERE")) {
        lm_expr *c = sqlp_expression(p);
        lm_plan *f = unary_plan(p, LM_PLAN_FILTER, child, start);
        f->cond = c;
        child = f;
    }
    lm_plan *core;
    lm_plan *top;
    bool has_group = sqlp_is_kw(p, 0, "GROUP") && sqlp_is_kw(p, 1, "BY");
    if (has_group) {
        core = sqlp_plan_new(p, LM_PLAN_AGGREGATE, start, start);
        core->child = child;
        group_by(p, core);
    } else if (sqlp_is_kw(p, 0, "HAVING")) {
        /* HAVING without GROUP BY: a global aggregate */
        core = sqlp_plan_new(p, LM_PLAN_AGGREGATE, start, start);
        core->child = child;
    } else {
        core = sqlp_plan_new(p, LM_PLAN_PROJECT, start, start);
        core->child = child;
    }
    core->nexprs = items.n;
    core->exprs = sqlp_vec_exprs(p, &items);
    core->stop = sqlp_prev_stop(p);
    top = core;
    if (sqlp_accept_kw(p, "HAVING")) {
        lm_expr *c = sqlp_expression(p);
        lm_plan *f = unary_plan(p, LM_PLAN_FILTER, top, start);
        f->cond = c;
        f->having = true;
        top = f;
    }
    if (distinct)
        top = unary_plan(p, LM_PLAN_DISTINCT, top, start);
    if (sqlp_is_kw(p, 0, "WINDOW") && sqlp_is_ident_tok(p, 1) && sqlp_is_kw(p, 2, "AS")) {
        sqlp_vec wins = {0};
        window_clause(p, &wins);
        attach_windows(p, core, &wins);
    }
    top->stop = sqlp_prev_stop(p);
    return top;
}

/* ================================================================ query terms */

static lm_plan *query_primary(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_plan *r;
    if (sqlp_is_kw(p, 0, "SELECT")) {
        r = select_body(p, NULL, start);
    } else if (sqlp_is_kw(p, 0, "FROM")) {
        lm_plan *from = from_clause(p);
        if (!sqlp_is_kw(p, 0, "SELECT"))
            sqlp_syntax_error(p, "");
        r = select_body(p, from, start);
        while (sqlp_is_kw(p, 0, "SELECT")) {
            lm_plan *more = select_body(p, from, start);
            lm_plan *u = sqlp_plan_new(p, LM_PLAN_SETOP, start, sqlp_prev_stop(p));
            u->setop = LM_SETOP_UNION;
            u->all = true;
            u->child = r;
            u->right = more;
            r = u;
        }
    } else if (sqlp_is_kw(p, 0, "TABLE") && sqlp_is_ident_tok(p, 1)) {
        p->pos++;
        r = sqlp_plan_new(p, LM_PLAN_UNRESOLVED_RELATION, start, start);
        r->nparts = sqlp_multipart(p, &r->parts);
        r->stop = sqlp_prev_stop(p);
    } else if (sqlp_is_kw(p, 0, "VALUES")) {
        r = inline_table(p);
    } else if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        p->pos++;
        r = sqlp_query(p);
        sqlp_expect(p, LM_TOK_RPAREN);
    } else {
        sqlp_syntax_error(p, "");
    }
    sqlp_leave(p);
    return r;
}

static bool setop_at(sqlp *p, bool intersect_level, lm_setop_kind *kind)
{
    if (sqlp_is_kw(p, 0, "INTERSECT")) {
        *kind = LM_SETOP_INTERSECT;
        return intersect_level || p->opts.legacy_setops_precedence;
    }
    if (intersect_level && !p->opts.legacy_setops_precedence)
        return false;
    if (sqlp_is_kw(p, 0, "UNION")) {
        *kind = LM_SETOP_UNION;
        return true;
    }
    if (sqlp_is_kw(p, 0, "EXCEPT") || sqlp_is_kw(p, 0, "MINUS")) {
        *kind = LM_SETOP_EXCEPT;
        return true;
    }
    return false;
}

static lm_plan *setop_level(sqlp *p, bool intersect_level)
{
    int start = sqlp_cur_start(p);
    lm_plan *left = (intersect_level || p->opts.legacy_setops_precedence)
                        ? query_primary(p)
                        : setop_level(p, true);
    lm_setop_kind kind;
    while (setop_at(p, intersect_level, &kind)) {
        p->pos++;
        bool all = false;
        if (sqlp_accept_kw(p, "ALL"))
            all = true;
        else
            sqlp_accept_kw(p, "DISTINCT");
        lm_plan *right = (intersect_level || p->opts.legacy_setops_precedence)
                             ? query_primary(p)
                             : setop_level(p, true);
        lm_plan *s = sqlp_plan_new(p, LM_PLAN_SETOP, start, sqlp_prev_stop(p));
        s->setop = kind;
        s->all = all;
        s->child = left;
        s->right = right;
        left = s;
    }
    return left;
}

static lm_plan *query_term(sqlp *p)
{
    return setop_level(p, p->opts.legacy_setops_precedence);
}

/* ORDER BY / SORT BY / CLUSTER BY / DISTRIBUTE BY, WINDOW, LIMIT, OFFSET */
static lm_plan *query_organization(sqlp *p, lm_plan *q, int start)
{
    sqlp_vec order = {0}, sort = {0}, cluster = {0};
    bool distribute = false;
    if (sqlp_is_kw(p, 0, "ORDER") && sqlp_is_kw(p, 1, "BY")) {
        p->pos += 2;
        do {
            sqlp_vec_push(p, &order, sqlp_sort_item(p));
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
    if (sqlp_is_kw(p, 0, "CLUSTER") && sqlp_is_kw(p, 1, "BY")) {
        p->pos += 2;
        do {
            int es = sqlp_cur_start(p);
            lm_expr *x = sqlp_expression(p);
            lm_expr *s = sqlp_expr_new(p, LM_EXPR_SORT, es, sqlp_prev_stop(p));
            s->nargs = 1;
            s->args = sqlp_alloc(p, sizeof(lm_expr *));
            s->args[0] = x;
            s->flags |= LM_SORT_NULLS_FIRST;
            sqlp_vec_push(p, &cluster, s);
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
    if (sqlp_is_kw(p, 0, "DISTRIBUTE") && sqlp_is_kw(p, 1, "BY")) {
        /* repartitioning does not change results; parsed and dropped */
        p->pos += 2;
        distribute = true;
        do {
            (void)sqlp_expression(p);
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
    if (sqlp_is_kw(p, 0, "SORT") && sqlp_is_kw(p, 1, "BY")) {
        p->pos += 2;
        do {
            sqlp_vec_push(p, &sort, sqlp_sort_item(p));
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
    int nclauses = (order.n > 0) + (sort.n > 0) + (cluster.n > 0) + distribute;
    if (nclauses > 1 && !(sort.n > 0 && distribute && order.n == 0 && cluster.n == 0))
        sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES", "0A000",
                  start, sqlp_prev_stop(p),
                  "[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES] The feature is not "
                  "supported: Combination of ORDER BY/SORT BY/DISTRIBUTE BY/CLUSTER BY.",
                  NULL);
    sqlp_vec *sv = order.n ? &order : sort.n ? &sort : cluster.n ? &cluster : NULL;
    if (sv != NULL) {
        lm_plan *s = unary_plan(p, LM_PLAN_SORT, q, start);
        s->nexprs = sv->n;
        s->exprs = sqlp_vec_exprs(p, sv);
        s->global = order.n > 0;
        q = s;
    }
    if (sqlp_is_kw(p, 0, "WINDOW") && sqlp_is_ident_tok(p, 1) && sqlp_is_kw(p, 2, "AS")) {
        sqlp_vec wins = {0};
        window_clause(p, &wins);
        lm_plan *target = q;
        while (target != NULL && target->kind == LM_PLAN_SORT)
            target = target->child;
        lm_plan *core = select_core(target);
        attach_windows(p, core ? core : q, &wins);
    }
    lm_expr *limit = NULL, *offset = NULL;
    if (sqlp_accept_kw(p, "LIMIT")) {
        if (!sqlp_accept_kw(p, "ALL"))
            limit = sqlp_expression(p);
    }
    if (sqlp_accept_kw(p, "OFFSET"))
        offset = sqlp_expression(p);
    if (offset != NULL) {
        lm_plan *o = unary_plan(p, LM_PLAN_OFFSET, q, start);
        o->cond = offset;
        q = o;
    }
    if (limit != NULL) {
        lm_plan *l = unary_plan(p, LM_PLAN_LIMIT, q, start);
        l->cond = limit;
        q = l;
    }
    return q;
}

/* WITH name [(cols)] [AS] (query), ... */
static lm_plan *with_ctes(sqlp *p, int start)
{
    p->pos++; /* WITH */
    sqlp_vec ctes = {0};
    do {
        lm_cte *c = sqlp_alloc(p, sizeof *c);
        c->name = sqlp_identifier(p);
        if (sqlp_kind(p, 0) == LM_TOK_LPAREN && sqlp_is_ident_tok(p, 1) &&
            !sqlp_looks_like_query(p, 0))
            c->ncols = sqlp_identifier_list(p, &c->cols);
        sqlp_accept_kw(p, "AS");
        sqlp_expect(p, LM_TOK_LPAREN);
        c->plan = sqlp_query(p);
        sqlp_expect(p, LM_TOK_RPAREN);
        for (int i = 0; i < ctes.n; i++) {
            if (strcmp(((lm_cte *)ctes.items[i])->name, c->name) == 0) {
                char *q = lm_arena_printf(p->a, "'%s'", c->name);
                char *msg = lm_arena_printf(p->a,
                                            "CTE definition can't have duplicate names: %s.",
                                            q ? q : "");
                if (q == NULL || msg == NULL)
                    sqlp_oom(p);
                sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0038", NULL, start,
                          sqlp_prev_stop(p), msg, "duplicateNames", q, NULL);
            }
        }
        sqlp_vec_push(p, &ctes, c);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    lm_plan *w = sqlp_plan_new(p, LM_PLAN_WITH, start, start);
    w->nctes = ctes.n;
    w->ctes = sqlp_alloc(p, sizeof(lm_cte) * (size_t)ctes.n);
    for (int i = 0; i < ctes.n; i++)
        w->ctes[i] = *(lm_cte *)ctes.items[i];
    return w;
}

lm_plan *sqlp_query(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_plan *with = NULL;
    if (sqlp_is_kw(p, 0, "WITH") && sqlp_is_ident_tok(p, 1))
        with = with_ctes(p, start);
    lm_plan *q = query_term(p);
    q = query_organization(p, q, start);
    if (with != NULL) {
        with->child = q;
        with->stop = sqlp_prev_stop(p);
        q = with;
    }
    sqlp_leave(p);
    return q;
}
