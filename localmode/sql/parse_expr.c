/*
 * Expressions, literals and data types of the Spark SQL grammar, with
 * AstBuilder's rewrites (see parser.h for the representation). Precedence,
 * loosest first, as in SqlBaseParser: OR, AND, NOT, predicates (BETWEEN, IN,
 * LIKE, IS ...), comparison, |, ^, &, shifts, + - ||, * / % DIV, unary
 * - + ~, then postfix [i], .field and ::type on primaries.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/parse_internal.h"
#include "sql/parse_types.h"

static lm_expr *primary(sqlp *p);
static lm_expr *value_expr(sqlp *p, int min_bp);

/* ================================================================ helpers */

static lm_expr *call_new(sqlp *p, const char *name, int nargs, int start, int stop)
{
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_CALL, start, stop);
    e->name = sqlp_strdup(p, name);
    e->nargs = nargs;
    e->args = sqlp_alloc(p, sizeof(lm_expr *) * (size_t)(nargs ? nargs : 1));
    return e;
}

static lm_expr *op1(sqlp *p, const char *name, lm_expr *a, int start, int stop)
{
    lm_expr *e = call_new(p, name, 1, start, stop);
    e->flags |= LM_CALL_OPERATOR;
    e->args[0] = a;
    return e;
}

static lm_expr *op2(sqlp *p, const char *name, lm_expr *a, lm_expr *b, int start, int stop)
{
    lm_expr *e = call_new(p, name, 2, start, stop);
    e->flags |= LM_CALL_OPERATOR;
    e->args[0] = a;
    e->args[1] = b;
    return e;
}







static bool is_number_tok(lm_tok_kind k)
{
    return k >= LM_TOK_INTEGER && k <= LM_TOK_BIGDECIMAL;
}

/* Backtracking: runs fn; on a syntax failure restores the position and
   returns NULL. Semantic errors (literal ranges ...) propagate. */
typedef lm_expr *(*expr_fn)(sqlp *p, void *arg);

static lm_expr *try_parse(sqlp *p, expr_fn fn, void *arg)
{
    jmp_buf *outer = p->jb;
    int pos = p->pos, depth = p->depth;
    if (sqlp_memo_failed(p, (const void *)fn, pos))
        return NULL;
    jmp_buf jb;
    p->jb = &jb;
    lm_expr *volatile r = NULL;
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

/* ================================================================ windows */

static bool frame_value_foldable(const lm_expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case LM_EXPR_LITERAL:
        return true;
    case LM_EXPR_CAST:
        return frame_value_foldable(e->args[0]);
    case LM_EXPR_CALL:
        if (!(e->flags & LM_CALL_OPERATOR))
            return false;
        for (int i = 0; i < e->nargs; i++)
            if (!frame_value_foldable(e->args[i]))
                return false;
        return true;
    default:
        return false;
    }
}

static lm_frame_bound frame_bound(sqlp *p)
{
    lm_frame_bound b = {0};
    if (sqlp_is_kw(p, 0, "UNBOUNDED") &&
        (sqlp_is_kw(p, 1, "PRECEDING") || sqlp_is_kw(p, 1, "FOLLOWING"))) {
        b.kind = sqlp_is_kw(p, 1, "PRECEDING") ? LM_BOUND_UNBOUNDED_PRECEDING
                                               : LM_BOUND_UNBOUNDED_FOLLOWING;
        p->pos += 2;
        return b;
    }
    if (sqlp_is_kw(p, 0, "CURRENT") && sqlp_is_kw(p, 1, "ROW")) {
        b.kind = LM_BOUND_CURRENT_ROW;
        p->pos += 2;
        return b;
    }
    int start = sqlp_cur_start(p);
    b.offset = sqlp_expression(p);
    if (sqlp_accept_kw(p, "PRECEDING"))
        b.kind = LM_BOUND_PRECEDING;
    else if (sqlp_accept_kw(p, "FOLLOWING"))
        b.kind = LM_BOUND_FOLLOWING;
    else
        sqlp_syntax_error(p, "");
    if (!frame_value_foldable(b.offset))
        sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0064", NULL, start, sqlp_prev_stop(p),
                  "Frame bound value must be a literal.", "msg",
                  "Frame bound value must be a literal.", NULL);
    return b;
}

lm_window_spec *sqlp_window_spec(sqlp *p)
{
    lm_window_spec *w = sqlp_alloc(p, sizeof *w);
    if (sqlp_is_ident_tok(p, 0)) {
        w->ref_name = sqlp_identifier(p);
        return w;
    }
    sqlp_expect(p, LM_TOK_LPAREN);
    if (sqlp_is_ident_tok(p, 0) && sqlp_kind(p, 1) == LM_TOK_RPAREN) {
        w->ref_name = sqlp_identifier(p);
        p->pos++;
        return w;
    }
    sqlp_vec part = {0}, order = {0};
    if ((sqlp_is_kw(p, 0, "PARTITION") || sqlp_is_kw(p, 0, "DISTRIBUTE") ||
         sqlp_is_kw(p, 0, "CLUSTER")) &&
        sqlp_is_kw(p, 1, "BY")) {
        bool cluster = sqlp_is_kw(p, 0, "CLUSTER");
        p->pos += 2;
        do {
            sqlp_vec_push(p, &part, sqlp_expression(p));
        } while (sqlp_accept(p, LM_TOK_COMMA));
        if (cluster)
            goto frame;
    }
    if ((sqlp_is_kw(p, 0, "ORDER") || sqlp_is_kw(p, 0, "SORT")) && sqlp_is_kw(p, 1, "BY")) {
        p->pos += 2;
        do {
            sqlp_vec_push(p, &order, sqlp_sort_item(p));
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
frame:
    w->npartition = part.n;
    w->partition = sqlp_vec_exprs(p, &part);
    w->norder = order.n;
    w->order = sqlp_vec_exprs(p, &order);
    if (sqlp_is_kw(p, 0, "ROWS") || sqlp_is_kw(p, 0, "RANGE")) {
        w->frame_type = sqlp_is_kw(p, 0, "ROWS") ? LM_FRAME_ROWS : LM_FRAME_RANGE;
        p->pos++;
        if (sqlp_accept_kw(p, "BETWEEN")) {
            w->frame_start = frame_bound(p);
            sqlp_expect_kw(p, "AND");
            w->frame_end = frame_bound(p);
        } else {
            w->frame_start = frame_bound(p);
            w->frame_end.kind = LM_BOUND_CURRENT_ROW;
        }
    }
    sqlp_expect(p, LM_TOK_RPAREN);
    return w;
}

lm_expr *sqlp_sort_item(sqlp *p)
{
    int start = sqlp_cur_start(p);
    lm_expr *x = sqlp_expression(p);
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_SORT, start, start);
    e->nargs = 1;
    e->args = sqlp_alloc(p, sizeof(lm_expr *));
    e->args[0] = x;
    if (sqlp_accept_kw(p, "DESC"))
        e->flags |= LM_SORT_DESC;
    else
        sqlp_accept_kw(p, "ASC");
    if (sqlp_is_kw(p, 0, "NULLS") && (sqlp_is_kw(p, 1, "FIRST") || sqlp_is_kw(p, 1, "LAST"))) {
        if (sqlp_is_kw(p, 1, "FIRST"))
            e->flags |= LM_SORT_NULLS_FIRST;
        e->flags |= LM_SORT_NULLS_EXPLICIT;
        p->pos += 2;
    } else if (!(e->flags & LM_SORT_DESC)) {
        /* Spark: ASC defaults to NULLS FIRST, DESC to NULLS LAST */
        e->flags |= LM_SORT_NULLS_FIRST;
    }
    e->stop = sqlp_prev_stop(p);
    return e;
}

/* ================================================================ lambdas */

static void bind_lambda_vars(sqlp *p, lm_expr *e, char **params, int nparams)
{
    if (e == NULL)
        return;
    if (e->kind == LM_EXPR_COLUMN && e->nparts > 0) {
        for (int i = 0; i < nparams; i++) {
            if (strcasecmp(e->parts[0], params[i]) != 0)
                continue;
            lm_expr *v = sqlp_expr_new(p, LM_EXPR_LAMBDA_VAR, e->start, e->stop);
            v->name = e->parts[0];
            lm_expr *cur = v;
            int nparts = e->nparts;
            char **parts = e->parts;
            for (int k = 1; k < nparts - 1; k++) {
                lm_expr *f = sqlp_expr_new(p, LM_EXPR_FIELD, e->start, e->stop);
                f->name = parts[k];
                f->nargs = 1;
                f->args = sqlp_alloc(p, sizeof(lm_expr *));
                f->args[0] = cur;
                cur = f;
            }
            if (nparts == 1) {
                *e = *v;
            } else {
                e->kind = LM_EXPR_FIELD;
                e->name = parts[nparts - 1];
                e->nparts = 0;
                e->parts = NULL;
                e->nargs = 1;
                e->args = sqlp_alloc(p, sizeof(lm_expr *));
                e->args[0] = cur;
            }
            return;
        }
        return;
    }
    for (int i = 0; i < e->nargs; i++)
        bind_lambda_vars(p, e->args[i], params, nparams);
    bind_lambda_vars(p, e->filter, params, nparams);
    for (int i = 0; i < e->norder; i++)
        bind_lambda_vars(p, e->order[i], params, nparams);
    if (e->window) {
        for (int i = 0; i < e->window->npartition; i++)
            bind_lambda_vars(p, e->window->partition[i], params, nparams);
        for (int i = 0; i < e->window->norder; i++)
            bind_lambda_vars(p, e->window->order[i], params, nparams);
    }
}

static lm_expr *lambda(sqlp *p, int start, char **params, int nparams)
{
    sqlp_expect(p, LM_TOK_ARROW);
    lm_expr *body = sqlp_expression(p);
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_LAMBDA, start, sqlp_prev_stop(p));
    e->nparts = nparams;
    e->parts = params;
    e->nargs = 1;
    e->args = sqlp_alloc(p, sizeof(lm_expr *));
    e->args[0] = body;
    bind_lambda_vars(p, body, params, nparams);
    return e;
}

/* ================================================================ function calls */

static const char *const datetime_units[] = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY",
                                             "DAYOFYEAR", "HOUR", "MINUTE", "SECOND",
                                             "MILLISECOND", "MICROSECOND", NULL};

static bool is_datetime_unit(sqlp *p, int ahead)
{
    for (int i = 0; datetime_units[i]; i++)
        if (sqlp_is_kw(p, ahead, datetime_units[i]))
            return true;
    return false;
}

/* functionName ( [DISTINCT|ALL] args ) [WITHIN GROUP (...)] [FILTER (...)]
   [IGNORE|RESPECT NULLS] [OVER window] */
static lm_expr *function_call(sqlp *p, int start, char **parts, int nparts)
{
    const char *name = parts[nparts - 1];
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_CALL, start, start);
    e->name = (char *)name;
    if (nparts > 1) {
        e->nparts = nparts;
        e->parts = parts;
    }
    sqlp_expect(p, LM_TOK_LPAREN);
    sqlp_vec args = {0};
    static const char *const ts_add[] = {"TIMESTAMPADD", "DATEADD", "DATE_ADD", NULL};
    static const char *const ts_diff[] = {"TIMESTAMPDIFF", "DATEDIFF", "DATE_DIFF", "TIMEDIFF",
                                          NULL};
    if (nparts == 1 && is_datetime_unit(p, 0) && sqlp_kind(p, 1) == LM_TOK_COMMA) {
        const char *canon = NULL;
        for (int i = 0; ts_add[i]; i++)
            if (strcasecmp(name, ts_add[i]) == 0)
                canon = "timestampadd";
        for (int i = 0; ts_diff[i]; i++)
            if (strcasecmp(name, ts_diff[i]) == 0)
                canon = "timestampdiff";
        if (canon != NULL) {
            const lm_token *t = sqlp_tok(p, 0);
            char *u = sqlp_upper_copy(p, sqlp_tok_text(p, p->pos));
            sqlp_vec_push(p, &args, sqlp_lit_string(p, u, (int)strlen(u), t->start, t->stop));
            p->pos += 2;
            sqlp_vec_push(p, &args, value_expr(p, 0));
            sqlp_expect(p, LM_TOK_COMMA);
            sqlp_vec_push(p, &args, value_expr(p, 0));
            sqlp_expect(p, LM_TOK_RPAREN);
            e->name = sqlp_strdup(p, canon);
            e->nargs = args.n;
            e->args = sqlp_vec_exprs(p, &args);
            e->stop = sqlp_prev_stop(p);
            return e;
        }
    }
    bool struct_call = nparts == 1 && strcasecmp(name, "struct") == 0;
    bool nulls_inside = nparts == 1 && (strcasecmp(name, "first") == 0 ||
                                        strcasecmp(name, "last") == 0 ||
                                        strcasecmp(name, "any_value") == 0);
    if (sqlp_kind(p, 0) != LM_TOK_RPAREN) {
        if (sqlp_is_kw(p, 0, "DISTINCT") && sqlp_kind(p, 1) != LM_TOK_RPAREN &&
            sqlp_kind(p, 1) != LM_TOK_COMMA) {
            p->pos++;
            e->distinct = true;
        } else if (sqlp_is_kw(p, 0, "ALL") && sqlp_kind(p, 1) != LM_TOK_RPAREN &&
                   sqlp_kind(p, 1) != LM_TOK_COMMA) {
            p->pos++;
        }
        do {
            lm_expr *a;
            if (sqlp_is_ident_tok(p, 0) && sqlp_kind(p, 1) == LM_TOK_FAT_ARROW) {
                /* named argument k => v: kept as an alias of v named k */
                int as = sqlp_cur_start(p);
                char *k = sqlp_identifier(p);
                p->pos++;
                lm_expr *v = sqlp_expression(p);
                a = sqlp_expr_new(p, LM_EXPR_ALIAS, as, sqlp_prev_stop(p));
                a->name = k;
                a->nargs = 1;
                a->args = sqlp_alloc(p, sizeof(lm_expr *));
                a->args[0] = v;
            } else {
                a = struct_call ? sqlp_named_expression(p) : sqlp_expression(p);
            }
            sqlp_vec_push(p, &args, a);
            if (nulls_inside && sqlp_is_kw(p, 0, "IGNORE") && sqlp_is_kw(p, 1, "NULLS")) {
                p->pos += 2;
                e->flags |= LM_CALL_IGNORE_NULLS;
            }
        } while (sqlp_accept(p, LM_TOK_COMMA));
    }
    sqlp_expect(p, LM_TOK_RPAREN);
    e->nargs = args.n;
    e->args = sqlp_vec_exprs(p, &args);
    /* COUNT(*) -> count(1), as AstBuilder does */
    if (nparts == 1 && strcasecmp(name, "count") == 0 && !e->distinct && e->nargs == 1 &&
        e->args[0]->kind == LM_EXPR_STAR && e->args[0]->nparts == 0) {
        lm_expr *star = e->args[0];
        e->args[0] = sqlp_lit_int(p, 1, star->start, star->stop);
        e->flags |= LM_CALL_STAR_ARG;
    }
    if (sqlp_is_kw(p, 0, "WITHIN") && sqlp_is_kw(p, 1, "GROUP")) {
        p->pos += 2;
        sqlp_expect(p, LM_TOK_LPAREN);
        sqlp_expect_kw(p, "ORDER");
        sqlp_expect_kw(p, "BY");
        sqlp_vec order = {0};
        do {
            sqlp_vec_push(p, &order, sqlp_sort_item(p));
        } while (sqlp_accept(p, LM_TOK_COMMA));
        sqlp_expect(p, LM_TOK_RPAREN);
        e->norder = order.n;
        e->order = sqlp_vec_exprs(p, &order);
    }
    if (sqlp_is_kw(p, 0, "FILTER") && sqlp_kind(p, 1) == LM_TOK_LPAREN &&
        sqlp_is_kw(p, 2, "WHERE")) {
        p->pos += 3;
        e->filter = sqlp_expression(p);
        sqlp_expect(p, LM_TOK_RPAREN);
    }
    if ((sqlp_is_kw(p, 0, "IGNORE") || sqlp_is_kw(p, 0, "RESPECT")) && sqlp_is_kw(p, 1, "NULLS")) {
        e->flags |= sqlp_is_kw(p, 0, "IGNORE") ? LM_CALL_IGNORE_NULLS : LM_CALL_RESPECT_NULLS;
        p->pos += 2;
    }
    if (sqlp_is_kw(p, 0, "OVER") &&
        (sqlp_kind(p, 1) == LM_TOK_LPAREN || sqlp_is_ident_tok(p, 1))) {
        p->pos++;
        e->window = sqlp_window_spec(p);
    }
    e->stop = sqlp_prev_stop(p);
    return e;
}

/* ================================================================ special forms */

static lm_expr *position_form(sqlp *p, void *arg)
{
    int start = *(int *)arg;
    p->pos += 2;
    lm_expr *sub = value_expr(p, 0);
    sqlp_expect_kw(p, "IN");
    lm_expr *str = value_expr(p, 0);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = call_new(p, "locate", 2, start, sqlp_prev_stop(p));
    e->args[0] = sub;
    e->args[1] = str;
    return e;
}

static lm_expr *substring_form(sqlp *p, void *arg)
{
    int start = *(int *)arg;
    p->pos += 2;
    lm_expr *s = value_expr(p, 0);
    sqlp_expect_kw(p, "FROM");
    lm_expr *pos = value_expr(p, 0);
    lm_expr *len = NULL;
    if (sqlp_accept_kw(p, "FOR") || sqlp_accept(p, LM_TOK_COMMA))
        len = value_expr(p, 0);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = call_new(p, "substring", len ? 3 : 2, start, sqlp_prev_stop(p));
    e->args[0] = s;
    e->args[1] = pos;
    if (len)
        e->args[2] = len;
    return e;
}

static lm_expr *trim_form(sqlp *p, void *arg)
{
    int start = *(int *)arg;
    p->pos += 2;
    const char *fn = "trim";
    if (sqlp_accept_kw(p, "BOTH"))
        fn = "trim";
    else if (sqlp_accept_kw(p, "LEADING"))
        fn = "ltrim";
    else if (sqlp_accept_kw(p, "TRAILING"))
        fn = "rtrim";
    lm_expr *trim_str = NULL;
    if (!sqlp_is_kw(p, 0, "FROM"))
        trim_str = value_expr(p, 0);
    sqlp_expect_kw(p, "FROM");
    lm_expr *src = value_expr(p, 0);
    sqlp_expect(p, LM_TOK_RPAREN);
    /* the same call as the function form trim(trimStr, str) */
    lm_expr *e = call_new(p, fn, trim_str ? 2 : 1, start, sqlp_prev_stop(p));
    e->args[0] = trim_str ? trim_str : src;
    if (trim_str)
        e->args[1] = src;
    return e;
}

static lm_expr *overlay_form(sqlp *p, void *arg)
{
    int start = *(int *)arg;
    p->pos += 2;
    lm_expr *in = value_expr(p, 0);
    sqlp_expect_kw(p, "PLACING");
    lm_expr *rep = value_expr(p, 0);
    sqlp_expect_kw(p, "FROM");
    lm_expr *pos = value_expr(p, 0);
    lm_expr *len = NULL;
    if (sqlp_accept_kw(p, "FOR"))
        len = value_expr(p, 0);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = call_new(p, "overlay", len ? 4 : 3, start, sqlp_prev_stop(p));
    e->args[0] = in;
    e->args[1] = rep;
    e->args[2] = pos;
    if (len)
        e->args[3] = len;
    return e;
}

static lm_expr *extract_form(sqlp *p, void *arg)
{
    int start = *(int *)arg;
    p->pos += 2;
    const lm_token *ft = sqlp_tok(p, 0);
    char *field = sqlp_identifier(p);
    sqlp_expect_kw(p, "FROM");
    lm_expr *src = value_expr(p, 0);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = call_new(p, "extract", 2, start, sqlp_prev_stop(p));
    e->args[0] = sqlp_lit_string(p, field, (int)strlen(field), ft->start, ft->stop);
    e->args[1] = src;
    return e;
}

static lm_expr *cast_expr(sqlp *p)
{
    int start = sqlp_cur_start(p);
    bool try_cast = sqlp_is_kw(p, 0, "TRY_CAST");
    p->pos += 2;
    lm_expr *x = sqlp_expression(p);
    sqlp_expect_kw(p, "AS");
    lm_type *t = sqlp_data_type(p);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_CAST, start, sqlp_prev_stop(p));
    e->nargs = 1;
    e->args = sqlp_alloc(p, sizeof(lm_expr *));
    e->args[0] = x;
    e->type = t;
    if (try_cast)
        e->flags |= LM_CAST_TRY;
    return e;
}

static lm_expr *case_expr(sqlp *p)
{
    int start = sqlp_cur_start(p);
    p->pos++;
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_CASE, start, start);
    sqlp_vec args = {0};
    if (!sqlp_is_kw(p, 0, "WHEN")) {
        e->flags |= LM_CASE_HAS_OPERAND;
        sqlp_vec_push(p, &args, sqlp_expression(p));
    }
    if (!sqlp_is_kw(p, 0, "WHEN"))
        sqlp_syntax_error(p, "");
    while (sqlp_accept_kw(p, "WHEN")) {
        sqlp_vec_push(p, &args, sqlp_expression(p));
        sqlp_expect_kw(p, "THEN");
        sqlp_vec_push(p, &args, sqlp_expression(p));
    }
    if (sqlp_accept_kw(p, "ELSE")) {
        e->flags |= LM_CASE_HAS_ELSE;
        sqlp_vec_push(p, &args, sqlp_expression(p));
    }
    sqlp_expect_kw(p, "END");
    e->nargs = args.n;
    e->args = sqlp_vec_exprs(p, &args);
    e->stop = sqlp_prev_stop(p);
    return e;
}

static lm_expr *subquery_expr(sqlp *p, lm_expr_kind kind, int start)
{
    sqlp_expect(p, LM_TOK_LPAREN);
    lm_plan *q = sqlp_query(p);
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *e = sqlp_expr_new(p, kind, start, sqlp_prev_stop(p));
    e->subquery = q;
    return e;
}

static lm_expr *scalar_subquery_form(sqlp *p, void *arg)
{
    return subquery_expr(p, LM_EXPR_SCALAR_SUBQUERY, *(int *)arg);
}

/* ( ... ): a lambda's parameters, a subquery, a row or a parenthesized expression */
static lm_expr *paren_primary(sqlp *p)
{
    int start = sqlp_cur_start(p);
    /* (x, y) -> body */
    int i = 1;
    if (sqlp_is_ident_tok(p, i)) {
        while (sqlp_is_ident_tok(p, i) && sqlp_kind(p, i + 1) == LM_TOK_COMMA)
            i += 2;
        if (sqlp_is_ident_tok(p, i) && sqlp_kind(p, i + 1) == LM_TOK_RPAREN &&
            sqlp_kind(p, i + 2) == LM_TOK_ARROW && i > 1) {
            p->pos++;
            sqlp_vec names = {0};
            do {
                sqlp_vec_push(p, &names, sqlp_identifier(p));
            } while (sqlp_accept(p, LM_TOK_COMMA));
            sqlp_expect(p, LM_TOK_RPAREN);
            return lambda(p, start, (char **)names.items, names.n);
        }
    }
    if (sqlp_looks_like_query(p, 1)) {
        lm_expr *q = try_parse(p, scalar_subquery_form, &start);
        if (q != NULL)
            return q;
    }
    p->pos++;
    lm_expr *first = sqlp_named_expression(p);
    if (sqlp_kind(p, 0) == LM_TOK_COMMA) {
        sqlp_vec items = {0};
        sqlp_vec_push(p, &items, first);
        while (sqlp_accept(p, LM_TOK_COMMA))
            sqlp_vec_push(p, &items, sqlp_named_expression(p));
        sqlp_expect(p, LM_TOK_RPAREN);
        lm_expr *e = call_new(p, "struct", items.n, start, sqlp_prev_stop(p));
        e->flags |= LM_CALL_ROW;
        memcpy(e->args, items.items, sizeof(lm_expr *) * (size_t)items.n);
        return e;
    }
    if (first->kind == LM_EXPR_ALIAS)
        sqlp_syntax_error(p, "");
    sqlp_expect(p, LM_TOK_RPAREN);
    return first;
}

/* Column reference, star, function call or single-parameter lambda. */
static lm_expr *name_primary(sqlp *p)
{
    int start = sqlp_cur_start(p);
    if (sqlp_kind(p, 1) == LM_TOK_ARROW) {
        char **names = sqlp_alloc(p, sizeof(char *));
        names[0] = sqlp_identifier(p);
        return lambda(p, start, names, 1);
    }
    sqlp_vec parts = {0};
    sqlp_vec_push(p, &parts, sqlp_identifier(p));
    for (;;) {
        if (sqlp_kind(p, 0) == LM_TOK_DOT && sqlp_kind(p, 1) == LM_TOK_STAR) {
            p->pos += 2;
            lm_expr *e = sqlp_expr_new(p, LM_EXPR_STAR, start, sqlp_prev_stop(p));
            e->nparts = parts.n;
            e->parts = (char **)parts.items;
            return e;
        }
        if (sqlp_kind(p, 0) == LM_TOK_DOT && sqlp_is_ident_tok(p, 1)) {
            p->pos++;
            sqlp_vec_push(p, &parts, sqlp_identifier(p));
            continue;
        }
        break;
    }
    if (sqlp_kind(p, 0) == LM_TOK_LPAREN)
        return function_call(p, start, (char **)parts.items, parts.n);
    lm_expr *e = sqlp_expr_new(p, LM_EXPR_COLUMN, start, sqlp_prev_stop(p));
    e->nparts = parts.n;
    e->parts = (char **)parts.items;
    return e;
}

static lm_expr *primary_base(sqlp *p)
{
    const lm_token *t = sqlp_tok(p, 0);
    int start = t->start;
    lm_tok_kind k = t->kind;
    if (is_number_tok(k))
        return sqlp_number_literal(p, false, start);
    if (k == LM_TOK_STRING || k == LM_TOK_DQSTRING) {
        int len;
        char *s = sqlp_string_lit(p, &len);
        return sqlp_lit_string(p, s, len, start, sqlp_prev_stop(p));
    }
    if (k == LM_TOK_LPAREN)
        return paren_primary(p);
    if (k == LM_TOK_STAR) {
        p->pos++;
        return sqlp_expr_new(p, LM_EXPR_STAR, start, t->stop);
    }
    if (k == LM_TOK_BACKQUOTED)
        return name_primary(p);
    if (k != LM_TOK_IDENT)
        sqlp_syntax_error(p, "");
    lm_tok_kind next = sqlp_kind(p, 1);
    if (sqlp_is_kw(p, 0, "NULL")) {
        p->pos++;
        lm_expr *e = sqlp_lit_new(p, LM_TYPE_NULL, start, t->stop);
        e->text = sqlp_strdup(p, "NULL");
        return e;
    }
    if (sqlp_is_kw(p, 0, "TRUE") || sqlp_is_kw(p, 0, "FALSE")) {
        bool b = sqlp_is_kw(p, 0, "TRUE");
        p->pos++;
        return sqlp_lit_bool(p, b, start, t->stop);
    }
    if (sqlp_at_interval_literal(p))
        return sqlp_interval_literal(p);
    if (next == LM_TOK_STRING || next == LM_TOK_DQSTRING) {
        /* literalType stringLit; an unknown type name is Spark's
           UNSUPPORTED_TYPED_LITERAL */
        return sqlp_typed_literal(p);
    }
    if (sqlp_is_kw(p, 0, "CASE"))
        return case_expr(p);
    if (next == LM_TOK_LPAREN) {
        if (sqlp_is_kw(p, 0, "CAST") || sqlp_is_kw(p, 0, "TRY_CAST"))
            return cast_expr(p);
        if (sqlp_is_kw(p, 0, "EXISTS") && sqlp_looks_like_query(p, 2)) {
            p->pos++;
            return subquery_expr(p, LM_EXPR_EXISTS, start);
        }
        expr_fn special = NULL;
        if (sqlp_is_kw(p, 0, "POSITION"))
            special = position_form;
        else if (sqlp_is_kw(p, 0, "SUBSTRING") || sqlp_is_kw(p, 0, "SUBSTR"))
            special = substring_form;
        else if (sqlp_is_kw(p, 0, "TRIM"))
            special = trim_form;
        else if (sqlp_is_kw(p, 0, "OVERLAY"))
            special = overlay_form;
        else if (sqlp_is_kw(p, 0, "EXTRACT"))
            special = extract_form;
        if (special != NULL) {
            lm_expr *e = try_parse(p, special, &start);
            if (e != NULL)
                return e;
        }
    }
    return name_primary(p);
}

/* primary with postfix subscripts, field access and :: casts */
static lm_expr *primary(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_expr *e = primary_base(p);
    for (;;) {
        if (sqlp_kind(p, 0) == LM_TOK_LBRACKET) {
            p->pos++;
            lm_expr *idx = value_expr(p, 0);
            sqlp_expect(p, LM_TOK_RBRACKET);
            lm_expr *s = sqlp_expr_new(p, LM_EXPR_SUBSCRIPT, start, sqlp_prev_stop(p));
            s->nargs = 2;
            s->args = sqlp_alloc(p, sizeof(lm_expr *) * 2);
            s->args[0] = e;
            s->args[1] = idx;
            e = s;
        } else if (sqlp_kind(p, 0) == LM_TOK_DOT && sqlp_is_ident_tok(p, 1)) {
            p->pos++;
            char *name = sqlp_identifier(p);
            if (e->kind == LM_EXPR_COLUMN) {
                /* a.b stays one multi-part name, as UnresolvedAttribute */
                char **np = sqlp_alloc(p, sizeof(char *) * (size_t)(e->nparts + 1));
                memcpy(np, e->parts, sizeof(char *) * (size_t)e->nparts);
                np[e->nparts] = name;
                lm_expr *c = sqlp_expr_new(p, LM_EXPR_COLUMN, e->start, sqlp_prev_stop(p));
                c->parts = np;
                c->nparts = e->nparts + 1;
                e = c;
            } else {
                lm_expr *f = sqlp_expr_new(p, LM_EXPR_FIELD, start, sqlp_prev_stop(p));
                f->name = name;
                f->nargs = 1;
                f->args = sqlp_alloc(p, sizeof(lm_expr *));
                f->args[0] = e;
                e = f;
            }
        } else if (sqlp_kind(p, 0) == LM_TOK_DCOLON) {
            p->pos++;
            lm_type *t = sqlp_data_type(p);
            lm_expr *c = sqlp_expr_new(p, LM_EXPR_CAST, start, sqlp_prev_stop(p));
            c->nargs = 1;
            c->args = sqlp_alloc(p, sizeof(lm_expr *));
            c->args[0] = e;
            c->type = t;
            e = c;
        } else {
            break;
        }
    }
    sqlp_leave(p);
    return e;
}

/* ================================================================ operators */

enum { BP_CMP = 10, BP_PIPE = 20, BP_HAT = 30, BP_AMP = 40, BP_SHIFT = 45, BP_ADD = 50,
       BP_MUL = 60, BP_UNARY = 70 };

/* Binary operator at the current token: its binding power, name and token
   count; 0 if none. */
static int binary_op(sqlp *p, const char **name, int *ntok)
{
    *ntok = 1;
    switch (sqlp_kind(p, 0)) {
    case LM_TOK_STAR: *name = "*"; return BP_MUL;
    case LM_TOK_SLASH: *name = "/"; return BP_MUL;
    case LM_TOK_PERCENT: *name = "%"; return BP_MUL;
    case LM_TOK_PLUS: *name = "+"; return BP_ADD;
    case LM_TOK_MINUS: *name = "-"; return BP_ADD;
    case LM_TOK_CONCAT: *name = "concat"; return BP_ADD;
    case LM_TOK_SHIFT_LEFT: *name = "<<"; return BP_SHIFT;
    case LM_TOK_AMP: *name = "&"; return BP_AMP;
    case LM_TOK_HAT: *name = "^"; return BP_HAT;
    case LM_TOK_PIPE: *name = "|"; return BP_PIPE;
    case LM_TOK_EQ: *name = "="; return BP_CMP;
    case LM_TOK_NSEQ: *name = "<=>"; return BP_CMP;
    case LM_TOK_NEQ:
    case LM_TOK_NEQJ: *name = "<>"; return BP_CMP;
    case LM_TOK_LT: *name = "<"; return BP_CMP;
    case LM_TOK_LTE: *name = "<="; return BP_CMP;
    case LM_TOK_GTE: *name = ">="; return BP_CMP;
    case LM_TOK_GT: {
        /* ">>" and ">>>" are adjacent '>' tokens (kept apart for ARRAY<ARRAY<INT>>) */
        const lm_token *a = sqlp_tok(p, 0), *b = sqlp_tok(p, 1), *c = sqlp_tok(p, 2);
        if (b->kind == LM_TOK_GT && b->start == a->stop + 1) {
            if (c->kind == LM_TOK_GT && c->start == b->stop + 1) {
                *name = ">>>";
                *ntok = 3;
            } else {
                *name = ">>";
                *ntok = 2;
            }
            return BP_SHIFT;
        }
        *name = ">";
        return BP_CMP;
    }
    case LM_TOK_IDENT:
        if (sqlp_is_kw(p, 0, "DIV")) {
            *name = "div";
            return BP_MUL;
        }
        return 0;
    default:
        return 0;
    }
}

static lm_expr *unary(sqlp *p)
{
    const lm_token *t = sqlp_tok(p, 0);
    int start = t->start;
    if (t->kind == LM_TOK_MINUS || t->kind == LM_TOK_PLUS || t->kind == LM_TOK_TILDE) {
        if (t->kind == LM_TOK_MINUS && is_number_tok(sqlp_kind(p, 1))) {
            /* number: MINUS? INTEGER_VALUE ... -- the sign belongs to the literal */
            p->pos++;
            lm_expr *n = sqlp_number_literal(p, true, start);
            /* postfix operators still apply: -1[0] is unusual but legal */
            return n;
        }
        p->pos++;
        sqlp_enter(p);
        lm_expr *x = value_expr(p, BP_UNARY);
        sqlp_leave(p);
        const char *name = t->kind == LM_TOK_MINUS ? "negative"
                           : t->kind == LM_TOK_PLUS ? "positive"
                                                    : "~";
        return op1(p, name, x, start, sqlp_prev_stop(p));
    }
    return primary(p);
}

static lm_expr *value_expr(sqlp *p, int min_bp)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_expr *lhs = unary(p);
    for (;;) {
        const char *name;
        int ntok;
        int bp = binary_op(p, &name, &ntok);
        if (bp == 0 || bp <= min_bp)
            break;
        p->pos += ntok;
        lm_expr *rhs = value_expr(p, bp);
        int stop = sqlp_prev_stop(p);
        if (strcmp(name, "<>") == 0) {
            lhs = op1(p, "not", op2(p, "=", lhs, rhs, start, stop), start, stop);
        } else if (strcmp(name, "concat") == 0) {
            lm_expr *c = call_new(p, "concat", 2, start, stop);
            c->args[0] = lhs;
            c->args[1] = rhs;
            lhs = c;
        } else {
            lhs = op2(p, name, lhs, rhs, start, stop);
        }
    }
    sqlp_leave(p);
    return lhs;
}

lm_expr *sqlp_value_expression(sqlp *p)
{
    return value_expr(p, 0);
}

/* ================================================================ predicates */

static bool is_not_tok(sqlp *p, int ahead)
{
    return sqlp_is_kw(p, ahead, "NOT") || sqlp_kind(p, ahead) == LM_TOK_BANG;
}

static lm_expr *like_quantified(sqlp *p, lm_expr *e, bool neg, bool ilike, int start,
                                int pred_start)
{
    const char *q = sqlp_is_kw(p, 0, "ALL") ? "all" : "any";
    p->pos++;
    sqlp_expect(p, LM_TOK_LPAREN);
    if (sqlp_kind(p, 0) == LM_TOK_RPAREN) {
        p->pos++;
        sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_0064", NULL, pred_start, sqlp_prev_stop(p),
                  "Expected something between '(' and ')'.", "msg",
                  "Expected something between '(' and ')'.", NULL);
    }
    sqlp_vec pats = {0};
    sqlp_vec_push(p, &pats, e);
    do {
        sqlp_vec_push(p, &pats, sqlp_expression(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    char name[32];
    snprintf(name, sizeof name, "%s%s_%s", neg ? "not_" : "", ilike ? "ilike" : "like", q);
    lm_expr *c = call_new(p, name, pats.n, start, sqlp_prev_stop(p));
    c->flags |= LM_CALL_OPERATOR;
    memcpy(c->args, pats.items, sizeof(lm_expr *) * (size_t)pats.n);
    return c;
}

static lm_expr *in_predicate(sqlp *p, lm_expr *e, bool neg, int start)
{
    sqlp_expect(p, LM_TOK_LPAREN);
    if (sqlp_looks_like_query(p, 0)) {
        lm_plan *q = sqlp_query(p);
        sqlp_expect(p, LM_TOK_RPAREN);
        lm_expr *r = sqlp_expr_new(p, LM_EXPR_IN_SUBQUERY, start, sqlp_prev_stop(p));
        /* (a, b) IN (SELECT ...) compares each value */
        if (e->kind == LM_EXPR_CALL && (e->flags & LM_CALL_ROW)) {
            r->nargs = e->nargs;
            r->args = e->args;
        } else {
            r->nargs = 1;
            r->args = sqlp_alloc(p, sizeof(lm_expr *));
            r->args[0] = e;
        }
        r->subquery = q;
        if (neg)
            r->flags |= LM_IN_NOT;
        return r;
    }
    sqlp_vec items = {0};
    sqlp_vec_push(p, &items, e);
    do {
        sqlp_vec_push(p, &items, sqlp_expression(p));
    } while (sqlp_accept(p, LM_TOK_COMMA));
    sqlp_expect(p, LM_TOK_RPAREN);
    lm_expr *r = sqlp_expr_new(p, LM_EXPR_IN, start, sqlp_prev_stop(p));
    r->nargs = items.n;
    r->args = sqlp_vec_exprs(p, &items);
    if (neg)
        r->flags |= LM_IN_NOT;
    return r;
}

static lm_expr *predicated(sqlp *p)
{
    int start = sqlp_cur_start(p);
    lm_expr *e = value_expr(p, 0);
    int pred_start = sqlp_cur_start(p);
    bool neg = false;
    int n = 0;
    if (is_not_tok(p, 0) &&
        (sqlp_is_kw(p, 1, "BETWEEN") || sqlp_is_kw(p, 1, "IN") || sqlp_is_kw(p, 1, "LIKE") ||
         sqlp_is_kw(p, 1, "ILIKE") || sqlp_is_kw(p, 1, "RLIKE") || sqlp_is_kw(p, 1, "REGEXP"))) {
        neg = true;
        n = 1;
    }
    if (sqlp_is_kw(p, n, "BETWEEN")) {
        p->pos += n + 1;
        lm_expr *lo = value_expr(p, 0);
        sqlp_expect_kw(p, "AND");
        lm_expr *hi = value_expr(p, 0);
        int stop = sqlp_prev_stop(p);
        lm_expr *r = op2(p, "and", op2(p, ">=", e, lo, start, stop), op2(p, "<=", e, hi, start, stop),
                         start, stop);
        return neg ? op1(p, "not", r, start, stop) : r;
    }
    if (sqlp_is_kw(p, n, "IN") && sqlp_kind(p, n + 1) == LM_TOK_LPAREN) {
        p->pos += n + 1;
        return in_predicate(p, e, neg, start);
    }
    if (sqlp_is_kw(p, n, "RLIKE") || sqlp_is_kw(p, n, "REGEXP")) {
        p->pos += n + 1;
        lm_expr *pat = value_expr(p, 0);
        int stop = sqlp_prev_stop(p);
        lm_expr *r = op2(p, "rlike", e, pat, start, stop);
        return neg ? op1(p, "not", r, start, stop) : r;
    }
    if (sqlp_is_kw(p, n, "LIKE") || sqlp_is_kw(p, n, "ILIKE")) {
        bool ilike = sqlp_is_kw(p, n, "ILIKE");
        p->pos += n + 1;
        if ((sqlp_is_kw(p, 0, "ANY") || sqlp_is_kw(p, 0, "SOME") || sqlp_is_kw(p, 0, "ALL")) &&
            sqlp_kind(p, 1) == LM_TOK_LPAREN)
            return like_quantified(p, e, neg, ilike, start, pred_start);
        lm_expr *pat = value_expr(p, 0);
        lm_expr *r;
        if (sqlp_accept_kw(p, "ESCAPE")) {
            const lm_token *et = sqlp_tok(p, 0);
            int len;
            char *esc = sqlp_string_lit(p, &len);
            if (len != 1) {
                char *msg = lm_arena_printf(p->a, "Invalid escape string. Escape string must "
                                                  "contain only one character.");
                if (msg == NULL)
                    sqlp_oom(p);
                sqlp_fail(p, LM_EXC_PARSE, "INVALID_ESC", NULL, et->start, sqlp_prev_stop(p), msg,
                          "invalidEscape", esc, NULL);
            }
            r = call_new(p, ilike ? "ilike" : "like", 3, start, sqlp_prev_stop(p));
            r->flags |= LM_CALL_OPERATOR;
            r->args[0] = e;
            r->args[1] = pat;
            r->args[2] = sqlp_lit_string(p, esc, len, et->start, sqlp_prev_stop(p));
        } else {
            r = op2(p, ilike ? "ilike" : "like", e, pat, start, sqlp_prev_stop(p));
        }
        return neg ? op1(p, "not", r, start, sqlp_prev_stop(p)) : r;
    }
    if (sqlp_is_kw(p, 0, "IS")) {
        int k = 1;
        bool isnot = false;
        if (is_not_tok(p, 1)) {
            isnot = true;
            k = 2;
        }
        if (sqlp_is_kw(p, k, "NULL") || sqlp_is_kw(p, k, "UNKNOWN")) {
            p->pos += k + 1;
            return op1(p, isnot ? "isnotnull" : "isnull", e, start, sqlp_prev_stop(p));
        }
        if (sqlp_is_kw(p, k, "TRUE") || sqlp_is_kw(p, k, "FALSE")) {
            bool b = sqlp_is_kw(p, k, "TRUE");
            const lm_token *bt = sqlp_tok(p, k);
            p->pos += k + 1;
            int stop = sqlp_prev_stop(p);
            lm_expr *r = op2(p, "<=>", e, sqlp_lit_bool(p, b, bt->start, bt->stop), start, stop);
            return isnot ? op1(p, "not", r, start, stop) : r;
        }
        if (sqlp_is_kw(p, k, "DISTINCT") && sqlp_is_kw(p, k + 1, "FROM")) {
            p->pos += k + 2;
            lm_expr *rhs = value_expr(p, 0);
            int stop = sqlp_prev_stop(p);
            lm_expr *r = op2(p, "<=>", e, rhs, start, stop);
            return isnot ? r : op1(p, "not", r, start, stop);
        }
        p->pos += k;
        sqlp_syntax_error(p, "");
    }
    return e;
}

/* ================================================================ boolean */

static lm_expr *not_expr(sqlp *p)
{
    int start = sqlp_cur_start(p);
    if (is_not_tok(p, 0)) {
        p->pos++;
        sqlp_enter(p);
        lm_expr *x = not_expr(p);
        sqlp_leave(p);
        return op1(p, "not", x, start, sqlp_prev_stop(p));
    }
    if (sqlp_is_kw(p, 0, "EXISTS") && sqlp_kind(p, 1) == LM_TOK_LPAREN &&
        sqlp_looks_like_query(p, 2)) {
        p->pos++;
        return subquery_expr(p, LM_EXPR_EXISTS, start);
    }
    return predicated(p);
}

static lm_expr *and_expr(sqlp *p)
{
    int start = sqlp_cur_start(p);
    lm_expr *l = not_expr(p);
    while (sqlp_is_kw(p, 0, "AND")) {
        p->pos++;
        lm_expr *r = not_expr(p);
        l = op2(p, "and", l, r, start, sqlp_prev_stop(p));
    }
    return l;
}

lm_expr *sqlp_expression(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_expr *l = and_expr(p);
    while (sqlp_is_kw(p, 0, "OR")) {
        p->pos++;
        lm_expr *r = and_expr(p);
        l = op2(p, "or", l, r, start, sqlp_prev_stop(p));
    }
    sqlp_leave(p);
    return l;
}

/* expression [AS] alias | expression AS (a, b) */
lm_expr *sqlp_named_expression(sqlp *p)
{
    int start = sqlp_cur_start(p);
    lm_expr *e = sqlp_expression(p);
    bool as = sqlp_accept_kw(p, "AS");
    if (as && sqlp_kind(p, 0) == LM_TOK_LPAREN) {
        char **names;
        int n = sqlp_identifier_list(p, &names);
        lm_expr *a = sqlp_expr_new(p, LM_EXPR_ALIAS, start, sqlp_prev_stop(p));
        a->nparts = n;
        a->parts = names;
        a->nargs = 1;
        a->args = sqlp_alloc(p, sizeof(lm_expr *));
        a->args[0] = e;
        return a;
    }
    if (as || (sqlp_is_ident_tok(p, 0) && !sqlp_is_clause_keyword(p, 0))) {
        char *name = sqlp_identifier(p);
        lm_expr *a = sqlp_expr_new(p, LM_EXPR_ALIAS, start, sqlp_prev_stop(p));
        a->name = name;
        a->nargs = 1;
        a->args = sqlp_alloc(p, sizeof(lm_expr *));
        a->args[0] = e;
        return a;
    }
    return e;
}

lm_expr *sqlp_constant(sqlp *p)
{
    return primary(p);
}
