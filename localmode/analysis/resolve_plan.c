/*
 * Plan resolution: relations (CTEs, views, tables), inline tables, joins,
 * set operations and the simple unary nodes. Query blocks (SELECT with
 * aggregation, HAVING, windows and ORDER BY) live in resolve_block.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "io/io.h"
#include "session/session.h"
#include "expr/eval.h"
#include "sql/parser.h"

static char **make_qual(lm_analyzer *an, int n, char *const *parts)
{
    char **q = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    if (q == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        q[i] = parts[i];
    q[n] = NULL;
    return q;
}

/* Re-labels a resolved plan's columns with a new qualifier (and optionally
   new names), as SubqueryAlias does. */
static lm_plan *alias_plan(lm_analyzer *an, lm_plan *child, int nqual, char *const *qual,
                           int nnames, char *const *names, int start, int stop)
{
    int n = lm_plan_ncols(child);
    if (nnames > 0 && nnames != n) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", nnames);
        snprintf(b, sizeof b, "%d", n);
        an_error(an, start, stop, "_LEGACY_ERROR_TEMP_1028", NULL,
                 "Number of column aliases does not match number of columns. Number of column "
                 "aliases: %d; number of columns: %d.",
                 nnames, n);
        lm_error_param_add(an->err, "columnSize", a);
        lm_error_param_add(an->err, "outputSize", b);
        return NULL;
    }
    lm_plan *p = an_new_plan(an, LM_PLAN_SUBQUERY_ALIAS);
    if (p == NULL)
        return NULL;
    p->child = child;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(n + 1));
    char **q = nqual ? make_qual(an, nqual, qual) : NULL;
    if (nm == NULL || ty == NULL || nl == NULL || qs == NULL || (nqual && q == NULL))
        return NULL;
    for (int i = 0; i < n; i++) {
        nm[i] = nnames ? names[i] : child->schema->fields[i].name;
        ty[i] = child->schema->fields[i].type;
        nl[i] = child->schema->fields[i].nullable;
        qs[i] = nqual ? q : (child->qualifiers ? child->qualifiers[i] : NULL);
    }
    return an_set_output(an, p, n, nm, ty, nl, qs) ? p : NULL;
}

static lm_plan *relation_of_table(lm_analyzer *an, lm_table *t, int nqual, char *const *qual)
{
    lm_plan *p = an_new_plan(an, LM_PLAN_RELATION);
    if (p == NULL)
        return NULL;
    p->table = lm_table_ref(t);
    if (!lm_arena_on_free(an->a, (void (*)(void *))lm_table_unref, t)) {
        lm_table_unref(t);
        lm_error_oom(an->err);
        return NULL;
    }
    int n = t->schema->nfields;
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(n + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(n + 1));
    char **q = make_qual(an, nqual, qual);
    if (nm == NULL || ty == NULL || nl == NULL || qs == NULL || q == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        nm[i] = t->schema->fields[i].name;
        ty[i] = t->schema->fields[i].type;
        nl[i] = t->schema->fields[i].nullable;
        qs[i] = q;
    }
    if (!an_set_output(an, p, n, nm, ty, nl, qs))
        return NULL;
    /* the table's own schema keeps the column comments DESCRIBE shows */
    p->schema = lm_arena_keep_type(an->a, lm_type_ref(t->schema));
    return p;
}

static lm_plan *resolve_view_text(lm_analyzer *an, lm_catalog_entry *e, int nqual,
                                  char *const *qual, int start, int stop)
{
    if (an->view_depth > 32) {
        an_error(an, start, stop, "VIEW_EXCEED_MAX_NESTED_DEPTH", "54K00",
                 "The depth of view %s exceeds the maximum view resolution depth (100).",
                 e->name);
        return NULL;
    }
    lm_stmt *st = NULL;
    /* the view's text is parsed into this statement's arena so the
       resolved plan never points into catalog memory */
    lm_parse_options po = session_parse_options(an->s);
    if (lm_parse_statement_opts(e->sql_text, &po, an->a, &st, an->err) != LM_OK)
        return NULL;
    if (st->kind != LM_STMT_QUERY) {
        an_error(an, start, stop, "INTERNAL_ERROR", "XX000", "view text is not a query");
        return NULL;
    }
    an_cte_frame *saved = an->ctes;
    const char *saved_sql = an->sql;
    an->ctes = NULL;
    an->sql = e->sql_text;
    an->view_depth++;
    lm_plan *p = an_analyze_plan(an, st->query, NULL);
    an->view_depth--;
    an->ctes = saved;
    an->sql = saved_sql;
    if (p == NULL)
        return NULL;
    return alias_plan(an, p, nqual, qual, e->ncols, e->col_names, start, stop);
}

static lm_plan *resolve_relation(lm_analyzer *an, lm_plan *u)
{
    const char *name = u->parts[u->nparts - 1];
    /* CTE names shadow catalog objects; innermost WITH first */
    const char *policy = lm_conf_get(an->s->conf, "spark.sql.legacy.ctePrecedencePolicy");
    bool legacy = policy != NULL && strcasecmp(policy, "LEGACY") == 0;
    if (u->nparts == 1 && legacy) {
        /* Spark 2 semantics: the outermost definition of a name wins */
        an_cte_frame *outermost = NULL;
        int at = -1;
        for (an_cte_frame *f = an->ctes; f; f = f->up)
            for (int i = f->nctes - 1; i >= 0; i--)
                if (strcasecmp(f->ctes[i].name, name) == 0) {
                    outermost = f;
                    at = i;
                    break;
                }
        if (outermost) {
            lm_cte *c = &outermost->ctes[at];
            an_cte_frame *saved = an->ctes;
            an_cte_frame sub = {at, outermost->ctes, outermost->up, outermost->outer};
            an->ctes = &sub;
            lm_plan *p = an_analyze_plan(an, c->plan, outermost->outer);
            an->ctes = saved;
            if (p == NULL)
                return NULL;
            char *q[1] = {c->name};
            return alias_plan(an, p, 1, q, c->ncols, c->cols, u->start, u->stop);
        }
    }
    if (u->nparts == 1) {
        for (an_cte_frame *f = an->ctes; f; f = f->up) {
            for (int i = f->nctes - 1; i >= 0; i--) {
                lm_cte *c = &f->ctes[i];
                if (strcasecmp(c->name, name) != 0)
                    continue;
                /* a CTE body sees only the CTEs defined before it */
                an_cte_frame *saved = an->ctes;
                an_cte_frame sub = {i, f->ctes, f->up, f->outer};
                an->ctes = &sub;
                lm_plan *p = an_analyze_plan(an, c->plan, f->outer);
                an->ctes = saved;
                if (p == NULL)
                    return NULL;
                char *q[1] = {c->name};
                return alias_plan(an, p, 1, q, c->ncols, c->cols, u->start, u->stop);
            }
        }
    }
    const char *db = u->nparts >= 2 ? u->parts[u->nparts - 2] : NULL;
    lm_catalog_entry *e = lm_catalog_find(&an->s->catalog, db, name);
    /* SELECT ... FROM csv.`/path`: Spark's ResolveSQLOnFile, for names the
       catalog does not know */
    if (e == NULL && u->nparts == 2 && io_is_file_format(u->parts[0]) && u->parts[1][0] != '\0' &&
        session_conf_bool(an->s, "spark.sql.runSQLOnFiles", true)) {
        const char *path = u->parts[1];
        lm_table *t = NULL;
        if (io_read_table(an->s, an->err, u->parts[0], &path, 1, NULL, NULL, &t) != LM_OK) {
            if (an->err->ctx_start < 0)
                lm_error_set_context(an->err, u->start, u->stop);
            return NULL;
        }
        lm_plan *p = relation_of_table(an, t, 0, NULL);
        lm_table_unref(t);
        return p;
    }
    if (e == NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        for (int i = 0; i < u->nparts; i++) {
            if (i)
                lm_strbuf_putc(&sb, '.');
            lm_strbuf_printf(&sb, "`%s`", u->parts[i]);
        }
        an_error(an, u->start, u->stop, "TABLE_OR_VIEW_NOT_FOUND", "42P01",
                 "The table or view %s cannot be found. Verify the spelling and correctness of "
                 "the schema and catalog.",
                 lm_strbuf_cstr(&sb));
        lm_error_param_add(an->err, "relationName", lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return NULL;
    }
    /* Spark qualifies temp views by their name, tables by catalog.db.name */
    char *qual[3];
    int nq = 0;
    if (e->db && e->kind == LM_CAT_TABLE) {
        qual[nq++] = "spark_catalog";
        qual[nq++] = e->db;
    } else if (e->db) {
        qual[nq++] = e->db;
    }
    qual[nq++] = e->name;
    /* tables, and views whose rows are cached (CACHE TABLE) or were read
       from files, scan their stored rows */
    if (e->kind == LM_CAT_TABLE || e->table)
        return relation_of_table(an, e->table, nq, qual);
    return resolve_view_text(an, e, nq, qual, u->start, u->stop);
}

static lm_plan *resolve_values(lm_analyzer *an, lm_plan *u)
{
    int ncols = u->ncols;
    if (u->row_lens) {
        an_error(an, u->start, u->stop, "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH", "42000",
                 "Invalid inline table. Inline table expected %d columns but found a row with a "
                 "different number of columns.", ncols);
        return NULL;
    }
    if (u->nnames && u->nnames != ncols) {
        an_error(an, u->start, u->stop, "ASSIGNMENT_ARITY_MISMATCH", "42802",
                 "The number of columns or variables assigned or aliased: %d does not match the "
                 "number of source tuples: %d.", u->nnames, ncols);
        return NULL;
    }
    lm_plan *p = an_new_plan(an, LM_PLAN_VALUES);
    if (p == NULL)
        return NULL;
    p->nrows = u->nrows;
    p->ncols = ncols;
    p->rows = an_alloc(an, sizeof(lm_expr **) * (size_t)(u->nrows + 1));
    if (p->rows == NULL)
        return NULL;
    an_scope *empty = an_scope_of(an, NULL, NULL);
    if (empty == NULL)
        return NULL;
    for (int r = 0; r < u->nrows; r++) {
        p->rows[r] = an_alloc(an, sizeof(lm_expr *) * (size_t)(ncols + 1));
        if (p->rows[r] == NULL)
            return NULL;
        for (int c = 0; c < ncols; c++) {
            lm_expr *e = an_resolve_expr(an, empty, u->rows[r][c]);
            if (e == NULL)
                return NULL;
            if (!an_is_foldable(e)) {
                an_error(an, e->start, e->stop, "INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE",
                         "42000", "Cannot evaluate the expression in inline table definition.");
                return NULL;
            }
            p->rows[r][c] = e;
        }
    }
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(ncols + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(ncols + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(ncols + 1));
    lm_expr **col = an_alloc(an, sizeof(lm_expr *) * (size_t)(u->nrows + 1));
    if (nm == NULL || ty == NULL || nl == NULL || col == NULL)
        return NULL;
    for (int c = 0; c < ncols; c++) {
        for (int r = 0; r < u->nrows; r++)
            col[r] = p->rows[r][c];
        lm_type *t = lm_coerce_wider_all(col, u->nrows, true);
        if (t == NULL) {
            an_error(an, u->start, u->stop, "INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE",
                     "42000", "Found incompatible types in the column `col%d` for inline table.",
                     c + 1);
            return NULL;
        }
        ty[c] = lm_arena_keep_type(an->a, t);
        nl[c] = false;
        for (int r = 0; r < u->nrows; r++) {
            if ((p->rows[r][c] = lm_coerce_to(&an->rc, p->rows[r][c], t)) == NULL)
                return NULL;
            nl[c] |= p->rows[r][c]->nullable;
        }
        char buf[32];
        snprintf(buf, sizeof buf, "col%d", c + 1);
        nm[c] = u->nnames == ncols ? u->names[c] : an_strdup(an, buf);
    }
    if (!an_set_output(an, p, ncols, nm, ty, nl, NULL))
        return NULL;
    return p;
}

/* A PROJECT that casts each column of child to the given types (set
   operation widening); returns child when nothing changes. */
static lm_plan *cast_columns(lm_analyzer *an, lm_plan *child, lm_type **types, bool *nullable)
{
    int n = lm_plan_ncols(child);
    bool change = false;
    for (int i = 0; i < n; i++)
        if (!lm_type_equal(child->schema->fields[i].type, types[i]))
            change = true;
    if (!change)
        return child;
    lm_plan *p = an_new_plan(an, LM_PLAN_PROJECT);
    if (p == NULL)
        return NULL;
    p->child = child;
    p->nexprs = n;
    p->exprs = an_alloc(an, sizeof(lm_expr *) * (size_t)(n + 1));
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(n + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(n + 1));
    if (p->exprs == NULL || nm == NULL || nl == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        const lm_field *f = &child->schema->fields[i];
        lm_expr *b = an_bound(an, i, f->name, f->type, f->nullable);
        if (b == NULL || (p->exprs[i] = lm_coerce_to(&an->rc, b, types[i])) == NULL)
            return NULL;
        nm[i] = f->name;
        nl[i] = nullable ? nullable[i] : f->nullable;
    }
    return an_set_output(an, p, n, nm, types, nl, child->qualifiers) ? p : NULL;
}

static const char *setop_name(const lm_plan *u)
{
    switch (u->setop) {
    case LM_SETOP_UNION: return "UNION";
    case LM_SETOP_INTERSECT: return u->all ? "INTERSECT ALL" : "INTERSECT";
    default: return u->all ? "EXCEPT ALL" : "EXCEPT";
    }
}

static lm_plan *resolve_setop(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *l = an_analyze_plan(an, u->child, outer);
    lm_plan *r = l ? an_analyze_plan(an, u->right, outer) : NULL;
    if (r == NULL)
        return NULL;
    int nl = lm_plan_ncols(l), nr = lm_plan_ncols(r);
    if (nl != nr) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", nl);
        snprintf(b, sizeof b, "%d", nr);
        an_error(an, u->start, u->stop, "NUM_COLUMNS_MISMATCH", "42826",
                 "%s can only be performed on inputs with the same number of columns, but the "
                 "first input has %d columns and the second input has %d columns.",
                 setop_name(u), nl, nr);
        lm_error_param_add(an->err, "operator", setop_name(u));
        lm_error_param_add(an->err, "firstNumColumns", a);
        lm_error_param_add(an->err, "invalidOrdinalNum", "second");
        lm_error_param_add(an->err, "invalidNumColumns", b);
        return NULL;
    }
    lm_type **types = an_alloc(an, sizeof(lm_type *) * (size_t)(nl + 1));
    bool *nullable = an_alloc(an, sizeof(bool) * (size_t)(nl + 1));
    const char **names = an_alloc(an, sizeof(char *) * (size_t)(nl + 1));
    if (types == NULL || nullable == NULL || names == NULL)
        return NULL;
    for (int i = 0; i < nl; i++) {
        const lm_field *fl = &l->schema->fields[i], *fr = &r->schema->fields[i];
        lm_type *t = lm_coerce_wider(fl->type, fr->type);
        if (t == NULL) {
            lm_strbuf a, b;
            lm_strbuf_init(&a);
            lm_strbuf_init(&b);
            lm_type_sql_string(&a, fr->type);
            lm_type_sql_string(&b, fl->type);
            an_error(an, u->start, u->stop, "INCOMPATIBLE_COLUMN_TYPE", "42825",
                     "%s can only be performed on tables with compatible column types. The %d "
                     "column of the second table is \"%s\" type which is not compatible with "
                     "\"%s\" at the same column of the first table.",
                     setop_name(u), i + 1, lm_strbuf_cstr(&a), lm_strbuf_cstr(&b));
            lm_strbuf_free(&a);
            lm_strbuf_free(&b);
            return NULL;
        }
        types[i] = lm_arena_keep_type(an->a, t);
        /* INTERSECT keeps a column nullable only when both sides are */
        nullable[i] = u->setop == LM_SETOP_INTERSECT ? (fl->nullable && fr->nullable)
                      : u->setop == LM_SETOP_EXCEPT ? fl->nullable
                                                    : (fl->nullable || fr->nullable);
        names[i] = fl->name;
    }
    l = cast_columns(an, l, types, NULL);
    r = l ? cast_columns(an, r, types, NULL) : NULL;
    if (r == NULL)
        return NULL;
    lm_plan *p = an_new_plan(an, LM_PLAN_SETOP);
    if (p == NULL)
        return NULL;
    p->child = l;
    p->right = r;
    p->setop = u->setop;
    p->all = u->all;
    return an_set_output(an, p, nl, names, types, nullable, l->qualifiers) ? p : NULL;
}

static lm_plan *resolve_filter(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *child = an_analyze_plan(an, u->child, outer);
    if (child == NULL)
        return NULL;
    an_scope *sc = an_scope_of(an, child, outer);
    lm_expr *cond = sc ? an_resolve_expr(an, sc, u->cond) : NULL;
    if (cond == NULL)
        return NULL;
    if (an_contains_window(cond)) {
        an_error(an, u->cond->start, u->cond->stop, "_LEGACY_ERROR_TEMP_1034", NULL,
                 "It is not allowed to use window functions inside WHERE clause.");
        lm_error_param_add(an->err, "clauseName", "WHERE");
        return NULL;
    }
    if (an_contains_local_agg(cond)) {
        an_error(an, u->cond->start, u->cond->stop, "INVALID_WHERE_CONDITION", "42903",
                 "The WHERE condition %s contains invalid expressions: aggregate functions.",
                 "the condition");
        return NULL;
    }
    if (cond->type->id != LM_TYPE_BOOLEAN) {
        if (cond->type->id == LM_TYPE_NULL) {
            cond = lm_coerce_to(&an->rc, cond, lm_type_boolean());
        } else {
            char *sqlx = lm_coerce_quote_sql(&an->rc, cond);
            an_error(an, u->cond->start, u->cond->stop, "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                     "42K09",
                     "Cannot resolve %s due to data type mismatch: Filter expression %s of type "
                     "%s is not a boolean.",
                     sqlx, sqlx, lm_coerce_quote_type(&an->rc, cond->type));
            return NULL;
        }
    }
    lm_plan *p = an_new_plan(an, LM_PLAN_FILTER);
    if (p == NULL)
        return NULL;
    p->child = child;
    p->cond = cond;
    p->schema = child->schema;
    p->qualifiers = child->qualifiers;
    p->hidden = child->hidden;
    return p;
}

static lm_plan *resolve_limit(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_plan *child = an_analyze_plan(an, u->child, outer);
    if (child == NULL)
        return NULL;
    /* resolved against the child's columns, as Spark does, so that a
       column reference is reported as not foldable rather than unknown */
    an_scope *sc = an_scope_of(an, child, outer);
    lm_expr *n = sc ? an_resolve_expr(an, sc, u->cond) : NULL;
    if (n == NULL)
        return NULL;
    const char *what = u->kind == LM_PLAN_LIMIT ? "limit" : "offset";
    if (!an_is_foldable(n)) {
        char *sqlx = lm_coerce_quote_sql(&an->rc, n);
        an_error(an, u->cond->start, u->cond->stop, "INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE",
                 "42K0E", "The %s like expression %s is invalid. The %s expression must "
                 "evaluate to a constant value.", what, sqlx ? sqlx : "", what);
        lm_error_param_add(an->err, "expr", sqlx ? sqlx : "");
        lm_error_param_add(an->err, "name", what);
        return NULL;
    }
    if (n->type->id != LM_TYPE_INT && n->type->id != LM_TYPE_SHORT && n->type->id != LM_TYPE_BYTE) {
        an_error(an, u->cond->start, u->cond->stop, "INVALID_LIMIT_LIKE_EXPRESSION.DATA_TYPE",
                 "42K0E", "The %s like expression is invalid. The %s expression must be integer "
                 "type.", what, what);
        return NULL;
    }
    lm_eval_ctx ec = {0};
    ec.arena = an->a;
    ec.err = an->err;
    ec.session = an->s;
    lm_value v;
    if (lm_eval_constant(&ec, n, &v) != LM_OK)
        return NULL;
    if (v.is_null) {
        an_error(an, u->cond->start, u->cond->stop, "INVALID_LIMIT_LIKE_EXPRESSION.IS_NULL",
                 "42K0E", "The %s like expression is invalid. The evaluated %s expression must "
                 "not be null.", what, what);
        return NULL;
    }
    if (v.u.i64 < 0) {
        an_error(an, u->cond->start, u->cond->stop, "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
                 "42K0E", "The %s like expression is invalid. The %s expression must be equal to "
                 "or greater than 0, but got %lld.", what, what, (long long)v.u.i64);
        return NULL;
    }
    lm_plan *p = an_new_plan(an, u->kind);
    if (p == NULL)
        return NULL;
    p->child = child;
    p->cond = an_literal(an, lm_type_long(), lm_value_i64(v.u.i64));
    p->schema = child->schema;
    p->qualifiers = child->qualifiers;
    return p->cond ? p : NULL;
}


lm_plan *an_analyze_plan(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    if (u->resolved)
        return u;
    switch (u->kind) {
    case LM_PLAN_UNRESOLVED_RELATION:
        return resolve_relation(an, u);
    case LM_PLAN_ONE_ROW: {
        lm_plan *p = an_new_plan(an, LM_PLAN_ONE_ROW);
        return p && an_set_output(an, p, 0, NULL, NULL, NULL, NULL) ? p : NULL;
    }
    case LM_PLAN_VALUES:
        return resolve_values(an, u);
    case LM_PLAN_SUBQUERY_ALIAS: {
        lm_plan *c = an_analyze_plan(an, u->child, outer);
        return c ? alias_plan(an, c, u->nparts, u->parts, u->nnames, u->names, u->start, u->stop)
                 : NULL;
    }
    case LM_PLAN_WITH: {
        an_cte_frame f = {u->nctes, u->ctes, an->ctes, outer};
        an->ctes = &f;
        lm_plan *p = an_analyze_plan(an, u->child, outer);
        an->ctes = f.up;
        return p;
    }
    case LM_PLAN_FILTER:
        if (u->having)
            return an_analyze_block(an, u, NULL, outer);
        return resolve_filter(an, u, outer);
    case LM_PLAN_PROJECT:
    case LM_PLAN_AGGREGATE:
        return an_analyze_block(an, u, NULL, outer);
    case LM_PLAN_SORT:
        return an_resolve_sort(an, u, outer);
    case LM_PLAN_LIMIT:
    case LM_PLAN_OFFSET:
        return resolve_limit(an, u, outer);
    case LM_PLAN_DISTINCT: {
        lm_plan *c = an_analyze_plan(an, u->child, outer);
        return c ? an_resolve_distinct(an, c) : NULL;
    }
    case LM_PLAN_JOIN:
        return an_resolve_join(an, u, outer);
    case LM_PLAN_SETOP:
        return resolve_setop(an, u, outer);
    case LM_PLAN_TVF:
        return an_resolve_tvf(an, u, outer);
    case LM_PLAN_GENERATE:
        return an_resolve_generate(an, u, outer);
    case LM_PLAN_PIVOT:
        return an_resolve_pivot(an, u, outer);
    case LM_PLAN_UNPIVOT:
        return an_resolve_unpivot(an, u, outer);
    default:
        an_error(an, u->start, u->stop, "UNSUPPORTED_FEATURE", "0A000",
                 "localmode does not support this query construct yet (plan kind %d).",
                 (int)u->kind);
        return NULL;
    }
}

/* A query's result never shows the hidden USING-join key copies. */
static lm_plan *drop_hidden(lm_analyzer *an, lm_plan *p)
{
    int n = lm_plan_ncols(p), nv = 0;
    for (int i = 0; i < n; i++)
        nv += !p->hidden[i];
    if (nv == n)
        return p;
    lm_plan *proj = an_new_plan(an, LM_PLAN_PROJECT);
    lm_expr **ex = an_alloc(an, sizeof(lm_expr *) * (size_t)(nv + 1));
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)(nv + 1));
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)(nv + 1));
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)(nv + 1));
    char ***qs = an_alloc(an, sizeof(char **) * (size_t)(nv + 1));
    if (proj == NULL || ex == NULL || nm == NULL || ty == NULL || nl == NULL || qs == NULL)
        return NULL;
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (p->hidden[i])
            continue;
        const lm_field *f = &p->schema->fields[i];
        if ((ex[o] = an_bound(an, i, f->name, f->type, f->nullable)) == NULL)
            return NULL;
        nm[o] = f->name;
        ty[o] = f->type;
        nl[o] = f->nullable;
        qs[o] = p->qualifiers ? p->qualifiers[i] : NULL;
        o++;
    }
    proj->child = p;
    proj->exprs = ex;
    proj->nexprs = nv;
    return an_set_output(an, proj, nv, nm, ty, nl, qs) ? proj : NULL;
}

lm_status lm_analyze(lm_session *s, lm_arena *a, const char *sql, lm_plan *query, lm_plan **out,
                     lm_error *err)
{
    lm_analyzer an = {0};
    an.s = s;
    an.a = a;
    an.err = err;
    an.sql = sql;
    an.rc.s = s;
    an.rc.an = &an;
    an.rc.a = a;
    an.rc.sql = sql;
    an.rc.ansi = s->ansi;
    const struct lm_tz *old_tz = lm_expr_pretty_set_tz(s->tz);
    *out = an_check_cte_policy(&an, query) == LM_OK ? an_analyze_plan(&an, query, NULL) : NULL;
    if (*out != NULL && (*out)->hidden != NULL)
        *out = drop_hidden(&an, *out);
    lm_expr_pretty_set_tz(old_tz);
    if (*out == NULL) {
        if (err->status == LM_OK)
            lm_error_oom(err);
        return err->status;
    }
    return LM_OK;
}

lm_status lm_analyze_expr(lm_session *s, lm_arena *a, const lm_plan *input, lm_expr *e,
                          lm_expr **out, lm_error *err)
{
    lm_analyzer an = {0};
    an.s = s;
    an.a = a;
    an.err = err;
    an.rc.s = s;
    an.rc.an = &an;
    an.rc.a = a;
    an.rc.ansi = s->ansi;
    an_scope *sc = an_scope_of(&an, input, NULL);
    const struct lm_tz *old_tz = lm_expr_pretty_set_tz(s->tz);
    *out = sc ? an_resolve_expr(&an, sc, e) : NULL;
    lm_expr_pretty_set_tz(old_tz);
    return *out ? LM_OK : (err->status ? err->status : LM_ENOMEM);
}

bool lm_plan_is_sorted(const lm_plan *p)
{
    switch (p->kind) {
    case LM_PLAN_SORT:
        return p->global;
    case LM_PLAN_JOIN:
    case LM_PLAN_AGGREGATE:
    case LM_PLAN_GENERATE:
    case LM_PLAN_SAMPLE:
    case LM_PLAN_DISTINCT:
    case LM_PLAN_RELATION:
    case LM_PLAN_VALUES:
    case LM_PLAN_ONE_ROW:
    case LM_PLAN_EXPAND:
        return false;
    default:
        break;
    }
    if (p->child && lm_plan_is_sorted(p->child))
        return true;
    if (p->right && lm_plan_is_sorted(p->right))
        return true;
    return false;
}
