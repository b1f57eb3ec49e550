/*
 * lm_sql: parses one statement and runs it. Queries become lazy
 * DataFrames; commands (views, tables, SET, ...) run at once and return
 * their result rows, as spark.sql() does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "api/df.h"
#include "api/dfapi.h"
#include "exec/exec.h"
#include "io/io.h"
#include "session/session.h"
#include "sql/parser.h"

static lm_df *new_df(lm_session *s)
{
    lm_df *df = calloc(1, sizeof *df);
    if (df == NULL)
        return NULL;
    df->session = s;
    df->refcount = 1;
    lm_arena_init(&df->arena, 16 * 1024);
    return df;
}

/* A result table of string columns, for command output. */
static lm_table *string_table(int n, const char *const *names)
{
    lm_field fs[4] = {{0}};
    for (int i = 0; i < n; i++) {
        fs[i].name = (char *)names[i];
        fs[i].type = lm_type_string();
        fs[i].nullable = true;
        fs[i].comment = NULL;
    }
    lm_type *st = lm_type_struct(fs, n);
    if (st == NULL)
        return NULL;
    lm_table *t = lm_table_new(st);
    lm_type_unref(st);
    return t;
}

static lm_status add_strings(lm_table *t, int n, const char *const *vals)
{
    lm_value row[4];
    for (int i = 0; i < n; i++)
        row[i] = vals[i] ? lm_value_str(vals[i], (int32_t)strlen(vals[i])) : lm_value_null();
    return lm_table_append_row(t, row);
}

static lm_status empty_result(lm_session *s, lm_df **out)
{
    lm_table *t = string_table(0, NULL);
    if (t == NULL || (*out = lm_df_from_table(s, t)) == NULL)
        return lm_error_oom(&s->error);
    return LM_OK;
}

static lm_status run_set(lm_session *s, lm_stmt *st, lm_df **out)
{
    static const char *names[2] = {"key", "value"};
    lm_table *t = string_table(2, names);
    if (t == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = LM_OK;
    if (st->key && st->value) {
        rc = lm_session_conf_set(s, st->key, st->value);
        const char *kv[2] = {st->key, st->value};
        if (rc == LM_OK)
            rc = add_strings(t, 2, kv);
    } else if (st->key) {
        const char *v = lm_conf_get(s->conf, st->key);
        const char *kv[2] = {st->key, v ? v : "<undefined>"};
        rc = add_strings(t, 2, kv);
    }
    if (rc != LM_OK) {
        lm_table_unref(t);
        return rc;
    }
    if ((*out = lm_df_from_table(s, t)) == NULL)
        return lm_error_oom(&s->error);
    return LM_OK;
}

static lm_status not_found(lm_session *s, lm_stmt *st)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < st->nparts; i++) {
        if (i)
            lm_strbuf_putc(&sb, '.');
        lm_strbuf_printf(&sb, "`%s`", st->parts[i]);
    }
    lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "TABLE_OR_VIEW_NOT_FOUND", "42P01",
                 "[TABLE_OR_VIEW_NOT_FOUND] The table or view %s cannot be found. Verify the "
                 "spelling and correctness of the schema and catalog.",
                 lm_strbuf_cstr(&sb));
    lm_error_param_add(&s->error, "relationName", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

static const char *obj_db(lm_stmt *st)
{
    return st->nparts >= 2 ? st->parts[st->nparts - 2] : NULL;
}

static const char *obj_name(lm_stmt *st)
{
    return st->parts[st->nparts - 1];
}

static lm_status analyze_into(lm_session *s, lm_df *df, lm_plan *q, const char *sql)
{
    return lm_analyze(s, &df->arena, sql, q, &df->plan, &s->error);
}

/* CREATE TEMPORARY VIEW v [(cols)] USING fmt OPTIONS (path '...', ...): the
   files are read now and the view is backed by their rows. */
static lm_status run_create_view_using(lm_session *s, lm_stmt *st)
{
    const char *db = st->global ? "global_temp" : NULL;
    lm_catalog_entry *old = lm_catalog_find(&s->catalog, db, obj_name(st));
    if (old && (db == NULL || strcasecmp(old->db ? old->db : "", db) == 0) && !st->replace) {
        if (st->if_not_exists)
            return LM_OK;
        lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                     "42P07",
                     "[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `%s` "
                     "because it already exists.",
                     obj_name(st));
        return LM_ERROR;
    }
    lm_options *o = lm_options_new();
    if (o == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = LM_OK;
    for (int i = 0; i < st->noptions && rc == LM_OK; i++)
        if (lm_options_set(o, st->options[i].key, st->options[i].value) != LM_OK)
            rc = lm_error_oom(&s->error);
    lm_table *t = NULL;
    if (rc == LM_OK)
        rc = io_read_table(s, &s->error, st->provider, NULL, 0, o, st->columns, &t);
    lm_options_free(o);
    if (rc != LM_OK)
        return rc;
    lm_catalog_entry *e = lm_catalog_entry_new(db, obj_name(st), LM_CAT_VIEW);
    if (e == NULL) {
        lm_table_unref(t);
        return lm_error_oom(&s->error);
    }
    e->temporary = true;
    e->table = t;
    e->provider = strdup(st->provider);
    lm_catalog_put(&s->catalog, e);
    return LM_OK;
}

/*
 * CACHE TABLE name: Spark's cache is eager, so the rows are computed now
 * and later queries read them instead of re-running the view's plan.
 */
static lm_status run_cache(lm_session *s, lm_stmt *st, const char *sql)
{
    lm_catalog_entry *e = lm_catalog_find(&s->catalog, obj_db(st), obj_name(st));
    if (e == NULL)
        return not_found(s, st);
    if (st->lazy)
        return LM_OK;
    if (e->table != NULL && e->table->source == NULL) {
        /* already in memory (a view over a CSV file is read when created):
           caching only encodes it */
        lm_table_encode_strings(e->table);
        return LM_OK;
    }
    lm_df *df = NULL;
    char *q = NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "SELECT * FROM ");
    for (int i = 0; i < st->nparts; i++)
        lm_strbuf_printf(&sb, "%s`%s`", i ? "." : "", st->parts[i]);
    q = strdup(lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    if (q == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = lm_sql(s, q, &df);
    if (rc == LM_OK)
        rc = lm_df_compute(df);
    lm_table *rows = rc == LM_OK ? lm_table_detach(df->result) : NULL;
    if (rc == LM_OK && rows == NULL)
        rc = lm_error_oom(&s->error);
    /* the result's vectors are the table's alone once df is freed; codes
       are metadata, so attaching them while df still shares them is safe */
    if (rows)
        lm_table_encode_strings(rows);
    if (rows) {
        /* a file view keeps its relation for UNCACHE TABLE */
        if (e->table)
            e->file_table = e->table;
        e->table = rows;
    }
    lm_df_free(df);
    free(q);
    (void)sql;
    return rc;
}

static lm_status run_create_view(lm_session *s, lm_stmt *st, const char *sql)
{
    if (st->provider && st->query == NULL)
        return run_create_view_using(s, st);
    const char *db = st->global ? "global_temp" : (st->temporary ? NULL : obj_db(st));
    if (!st->temporary && !st->global && db == NULL)
        db = "default";
    lm_catalog_entry *old = lm_catalog_find(&s->catalog, db, obj_name(st));
    if (old && (db == NULL || strcasecmp(old->db ? old->db : "", db) == 0)) {
        if (st->if_not_exists)
            return LM_OK;
        if (!st->replace && db != NULL && !st->global) {
            /* a persistent view: CreateViewCommand's viewAlreadyExistsError */
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "TABLE_OR_VIEW_ALREADY_EXISTS",
                         "42P07",
                         "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view "
                         "`spark_catalog`.`%s`.`%s` because it already exists.",
                         db, obj_name(st));
            return LM_ERROR;
        }
        if (!st->replace) {
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                         "42P07",
                         "[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `%s` "
                         "because it already exists.",
                         obj_name(st));
            return LM_ERROR;
        }
    }
    /* analyse now so a bad view fails at CREATE, as in Spark */
    lm_df *probe = new_df(s);
    if (probe == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = analyze_into(s, probe, st->query, sql);
    int ncols = rc == LM_OK ? lm_plan_ncols(probe->plan) : 0;
    lm_df_free(probe);
    if (rc != LM_OK)
        return rc;
    if (st->ncols && st->ncols != ncols) {
        lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS,
                     st->ncols > ncols ? "CREATE_VIEW_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS"
                                       : "CREATE_VIEW_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS",
                     "21S01", "Cannot create view, the number of columns does not match.");
        return LM_ERROR;
    }
    lm_catalog_entry *e = lm_catalog_entry_new(db, obj_name(st), LM_CAT_VIEW);
    if (e == NULL)
        return lm_error_oom(&s->error);
    e->temporary = st->temporary || st->global;
    int qs = st->query->start >= 0 ? st->query->start : 0;
    int qe = st->query->stop >= 0 ? st->query->stop : (int)strlen(sql) - 1;
    e->sql_text = strndup(sql + qs, (size_t)(qe - qs + 1));
    e->ncols = st->ncols;
    e->col_names = st->ncols ? calloc((size_t)st->ncols, sizeof(char *)) : NULL;
    for (int i = 0; i < st->ncols && e->col_names; i++)
        e->col_names[i] = strdup(st->col_names[i]);
    if (e->sql_text == NULL || (st->ncols && e->col_names == NULL)) {
        lm_catalog_entry_free(e);
        return lm_error_oom(&s->error);
    }
    lm_catalog_put(&s->catalog, e);
    return LM_OK;
}

/* Runs a query and returns its rows cast to the target schema by position. */
static lm_status compute(lm_session *s, lm_plan *q, const char *sql, lm_table **out)
{
    lm_df *df = new_df(s);
    if (df == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = analyze_into(s, df, q, sql);
    if (rc == LM_OK)
        rc = lm_df_compute(df);
    if (rc == LM_OK && (*out = lm_table_detach(df->result)) == NULL)
        rc = lm_error_oom(&s->error);
    lm_df_free(df);
    return rc;
}

static lm_status run_create_table(lm_session *s, lm_stmt *st, const char *sql)
{
    const char *db = obj_db(st) ? obj_db(st) : "default";
    lm_catalog_entry *old = lm_catalog_find(&s->catalog, db, obj_name(st));
    if (old && old->db) {
        if (st->if_not_exists)
            return LM_OK;
        if (!st->replace) {
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "TABLE_OR_VIEW_ALREADY_EXISTS",
                         "42P07",
                         "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view "
                         "`spark_catalog`.`%s`.`%s` because it already exists.",
                         db, obj_name(st));
            return LM_ERROR;
        }
    }
    lm_table *t = NULL;
    if (st->query) {
        lm_status rc = compute(s, st->query, sql, &t);
        if (rc != LM_OK)
            return rc;
    } else {
        if (st->columns == NULL)
            return lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "UNSUPPORTED_FEATURE", "0A000",
                                "CREATE TABLE without columns or a query is not supported.");
        /* the parsed type lives in the statement arena: keep a heap copy */
        lm_type *schema = lm_type_clone(st->columns);
        t = schema ? lm_table_new(schema) : NULL;
        lm_type_unref(schema);
        if (t == NULL)
            return lm_error_oom(&s->error);
    }
    lm_catalog_entry *e = lm_catalog_entry_new(db, obj_name(st), LM_CAT_TABLE);
    if (e == NULL) {
        lm_table_unref(t);
        return lm_error_oom(&s->error);
    }
    e->table = t;
    e->provider = st->provider ? strdup(st->provider) : NULL;
    lm_catalog_put(&s->catalog, e);
    return LM_OK;
}

/*
 * Maps table columns to query columns for INSERT (ResolveUserSpecifiedColumns
 * and the arity checks): with a column list, each listed name must be a
 * table column, named once, and the query must give one value per name;
 * without one, the query gives every column by position.
 */
static lm_status insert_column_map(lm_session *s, lm_stmt *st, const lm_type *target,
                                   int nquery, int *src)
{
    int want = st->ncols > 0 ? st->ncols : target->nfields;
    if (nquery != want) {
        bool many = nquery > want;
        return lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS,
                            many ? "INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS"
                                 : "INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS",
                            "21S01",
                            "[INSERT_COLUMN_ARITY_MISMATCH.%s] Cannot write to `%s`, the reason is "
                            "%s data columns.",
                            many ? "TOO_MANY_DATA_COLUMNS" : "NOT_ENOUGH_DATA_COLUMNS",
                            obj_name(st), many ? "too many" : "not enough");
    }
    for (int i = 0; i < target->nfields; i++)
        src[i] = st->ncols > 0 ? -1 : i;
    for (int c = 0; c < st->ncols; c++) {
        int f = -1;
        for (int i = 0; i < target->nfields && f < 0; i++)
            if (strcasecmp(target->fields[i].name, st->col_names[c]) == 0)
                f = i;
        if (f < 0) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int i = 0; i < target->nfields; i++)
                lm_strbuf_printf(&sb, "%s`%s`", i ? ", " : "", target->fields[i].name);
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "UNRESOLVED_COLUMN.WITH_SUGGESTION",
                         "42703",
                         "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with "
                         "name `%s` cannot be resolved. Did you mean one of the following? [%s].",
                         st->col_names[c], lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return LM_ERROR;
        }
        if (src[f] >= 0)
            return lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "COLUMN_ALREADY_EXISTS",
                                "42711", "[COLUMN_ALREADY_EXISTS] The column `%s` already exists. "
                                "Consider to choose another name or rename the existing column.",
                                st->col_names[c]);
        src[f] = c;
    }
    return LM_OK;
}

static lm_status run_insert(lm_session *s, lm_stmt *st, const char *sql)
{
    lm_catalog_entry *e = lm_catalog_find(&s->catalog, obj_db(st), obj_name(st));
    if (e == NULL || e->kind != LM_CAT_TABLE)
        return not_found(s, st);
    lm_df *df = new_df(s);
    if (df == NULL)
        return lm_error_oom(&s->error);
    lm_status rc = analyze_into(s, df, st->query, sql);
    const lm_type *target = e->table->schema;
    /* from[i]: the query column that feeds table column i, -1 for none */
    int *from = lm_arena_calloc(&df->arena, (size_t)target->nfields + 1, sizeof *from);
    if (rc == LM_OK && from == NULL)
        rc = lm_error_oom(&s->error);
    if (rc == LM_OK)
        rc = insert_column_map(s, st, target, lm_plan_ncols(df->plan), from);
    if (rc == LM_OK) {
        /* cast each column to the table's type (store assignment); columns
           the list leaves out get NULL, as Spark 3.4+ fills missing
           columns with their (NULL) defaults */
        lm_resolve_ctx rc2 = {.s = s, .a = &df->arena, .sql = sql, .ansi = s->ansi};
        lm_plan *p = lm_arena_calloc(&df->arena, 1, sizeof *p);
        lm_expr **ex = lm_arena_calloc(&df->arena, (size_t)target->nfields + 1, sizeof *ex);
        if (p == NULL || ex == NULL) {
            rc = lm_error_oom(&s->error);
        } else {
            for (int i = 0; i < target->nfields && rc == LM_OK; i++) {
                lm_expr *b = lm_arena_calloc(&df->arena, 1, sizeof *b);
                if (b == NULL) {
                    rc = lm_error_oom(&s->error);
                    break;
                }
                b->resolved = true;
                b->nullable = true;
                if (from[i] < 0) {
                    b->kind = LM_EXPR_LITERAL;
                    b->start = b->stop = -1;
                    b->type = lm_type_null();
                    b->value = lm_value_null();
                } else {
                    b->kind = LM_EXPR_BOUND;
                    b->ordinal = from[i];
                    b->type = df->plan->schema->fields[from[i]].type;
                    b->name = df->plan->schema->fields[from[i]].name;
                }
                ex[i] = lm_coerce_to(&rc2, b, target->fields[i].type);
                if (ex[i] == NULL)
                    rc = lm_error_oom(&s->error);
            }
            p->kind = LM_PLAN_PROJECT;
            p->resolved = true;
            p->child = df->plan;
            p->exprs = ex;
            p->nexprs = target->nfields;
            p->schema = (lm_type *)target;
            df->plan = p;
        }
    }
    if (rc == LM_OK)
        rc = lm_df_compute(df);
    if (rc == LM_OK) {
        if (st->overwrite) {
            lm_table *fresh = lm_table_new(target);
            if (fresh == NULL)
                rc = lm_error_oom(&s->error);
            else {
                lm_table_unref(e->table);
                e->table = fresh;
            }
        }
        lm_table *src = df->result;
        for (int b = 0; rc == LM_OK && b < src->nbatches; b++) {
            lm_batch *nb = lm_batch_new(e->table->schema, src->batches[b]->nrows);
            for (int32_t r = 0; nb && r < src->batches[b]->nrows; r++)
                if (lm_batch_append_from(nb, src->batches[b], r) != LM_OK) {
                    lm_batch_free(nb);
                    nb = NULL;
                }
            if (nb == NULL || lm_table_append_batch(e->table, nb) != LM_OK) {
                lm_batch_free(nb);
                rc = lm_error_oom(&s->error);
            }
        }
    }
    lm_df_free(df);
    return rc;
}

static lm_status run_drop(lm_session *s, lm_stmt *st)
{
    const char *db = obj_db(st);
    lm_catalog_entry *e = lm_catalog_find(&s->catalog, db, obj_name(st));
    if (e == NULL) {
        if (st->if_exists)
            return LM_OK;
        return not_found(s, st);
    }
    lm_catalog_drop(&s->catalog, e->db, e->name);
    return LM_OK;
}

/* DESCRIBE [TABLE] name / DESCRIBE QUERY q: one row per column with its
   catalogString type and comment, as Spark's DescribeTableCommand. */
static lm_status run_describe(lm_session *s, lm_stmt *st, const char *sql, lm_df **out)
{
    lm_df *df = new_df(s);
    if (df == NULL)
        return lm_error_oom(&s->error);
    lm_plan *q = st->query;
    if (q == NULL) {
        q = lm_arena_calloc(&df->arena, 1, sizeof *q);
        if (q == NULL) {
            lm_df_free(df);
            return lm_error_oom(&s->error);
        }
        q->kind = LM_PLAN_UNRESOLVED_RELATION;
        q->start = st->start;
        q->stop = st->stop;
        q->parts = st->parts;
        q->nparts = st->nparts;
    }
    lm_status rc = analyze_into(s, df, q, sql);
    if (rc != LM_OK) {
        lm_df_free(df);
        return rc;
    }
    static const char *names[3] = {"col_name", "data_type", "comment"};
    lm_table *t = string_table(3, names);
    const lm_type *schema = df->plan->schema;
    for (int i = 0; t && i < schema->nfields; i++) {
        lm_strbuf ty;
        lm_strbuf_init(&ty);
        lm_type_catalog_string(&ty, schema->fields[i].type);
        const char *v[3] = {schema->fields[i].name, lm_strbuf_cstr(&ty), schema->fields[i].comment};
        if (!lm_strbuf_ok(&ty) || add_strings(t, 3, v) != LM_OK) {
            lm_table_unref(t);
            t = NULL;
        }
        lm_strbuf_free(&ty);
    }
    lm_df_free(df);
    if (t == NULL || (*out = lm_df_from_table(s, t)) == NULL)
        return lm_error_oom(&s->error);
    return LM_OK;
}

/*
 * StringUtils.filterPattern: the pattern is a case-insensitive regular
 * expression matched against the whole name, in which '*' stands for
 * ".*" and '|' separates alternatives. A malformed alternative matches
 * nothing, as Spark ignores its PatternSyntaxException.
 */
static bool show_pattern_matches(const char *pattern, const char *name)
{
    if (pattern == NULL)
        return true;
    bool hit = false;
    const char *p = pattern;
    while (!hit) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        lm_strbuf re;
        lm_strbuf_init(&re);
        lm_strbuf_puts(&re, "(?:");
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '*')
                lm_strbuf_puts(&re, ".*");
            else
                lm_strbuf_putc(&re, p[i]);
        }
        lm_strbuf_puts(&re, ")");
        int ec;
        PCRE2_SIZE off;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)lm_strbuf_cstr(&re), PCRE2_ZERO_TERMINATED,
                                         PCRE2_CASELESS | PCRE2_ANCHORED | PCRE2_ENDANCHORED |
                                             PCRE2_UTF,
                                         &ec, &off, NULL);
        lm_strbuf_free(&re);
        if (code != NULL) {
            pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
            if (md != NULL)
                hit = pcre2_match(code, (PCRE2_SPTR)name, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0;
            pcre2_match_data_free(md);
            pcre2_code_free(code);
        }
        if (bar == NULL)
            break;
        p = bar + 1;
    }
    return hit;
}

static int show_entry_cmp(const void *a, const void *b)
{
    const lm_catalog_entry *x = *(const lm_catalog_entry *const *)a;
    const lm_catalog_entry *y = *(const lm_catalog_entry *const *)b;
    /* the database's tables first, then the temporary views; each by name */
    if ((x->db == NULL) != (y->db == NULL))
        return x->db == NULL ? 1 : -1;
    return strcmp(x->name, y->name);
}

/*
 * SHOW TABLES [LIKE pattern]: ShowTablesCommand lists the current
 * database's tables and then the temporary views, each filtered by the
 * pattern and sorted by name (SessionCatalog.listTables).
 */
static lm_status run_show_tables(lm_session *s, lm_stmt *st, lm_df **out)
{
    static const char *names[3] = {"namespace", "tableName", "isTemporary"};
    lm_table *t = string_table(3, names);
    if (t == NULL)
        return lm_error_oom(&s->error);
    size_t n = 0;
    for (lm_catalog_entry *e = s->catalog.entries; e; e = e->next)
        n++;
    lm_catalog_entry **v = calloc(n + 1, sizeof *v);
    if (v == NULL) {
        lm_table_unref(t);
        return lm_error_oom(&s->error);
    }
    size_t k = 0;
    const char *pattern = st->value;
    char *trimmed = NULL;
    if (pattern != NULL) {
        while (*pattern == ' ')
            pattern++;
        trimmed = strdup(pattern);
        if (trimmed != NULL)
            for (size_t m = strlen(trimmed); m > 0 && trimmed[m - 1] == ' '; m--)
                trimmed[m - 1] = '\0';
        pattern = trimmed;
    }
    for (lm_catalog_entry *e = s->catalog.entries; e; e = e->next) {
        if (e->db && strcasecmp(e->db, "default") != 0)
            continue;
        if (show_pattern_matches(pattern, e->name))
            v[k++] = e;
    }
    free(trimmed);
    qsort(v, k, sizeof *v, show_entry_cmp);
    lm_status rc = LM_OK;
    for (size_t i = 0; i < k && rc == LM_OK; i++) {
        const char *row[3] = {v[i]->db ? v[i]->db : "", v[i]->name, v[i]->db ? "false" : "true"};
        rc = add_strings(t, 3, row);
    }
    free(v);
    if (rc != LM_OK) {
        lm_table_unref(t);
        return lm_error_oom(&s->error);
    }
    if ((*out = lm_df_from_table(s, t)) == NULL)
        return lm_error_oom(&s->error);
    return LM_OK;
}

/*
 * EXPLAIN [EXTENDED] query: one row, one string column `plan` holding the
 * text Dataset.explain prints (api/explain.c). EXPLAIN of a command is not
 * run.
 */
static lm_status run_explain(lm_session *s, lm_df *df, lm_stmt *st, const char *sql, lm_df **out)
{
    static const char *names[1] = {"plan"};
    if (st->query == NULL)
        return lm_error_set(&s->error, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                            "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                            "[UNSUPPORTED_FEATURE.LOCALMODE] localmode explains queries only.");
    const char *mode = st->explain_mode ? st->explain_mode : (st->extended ? "extended" : "simple");
    lm_plan *analyzed = NULL;
    lm_status rc = analyze_into(s, df, st->query, sql);
    if (rc != LM_OK)
        return rc;
    analyzed = df->plan;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    rc = dfapi_explain(s, st->query, analyzed, mode, &sb);
    lm_table *t = rc == LM_OK ? string_table(1, names) : NULL;
    if (rc == LM_OK) {
        const char *v[1] = {lm_strbuf_cstr(&sb)};
        if (t == NULL || add_strings(t, 1, v) != LM_OK)
            rc = lm_error_oom(&s->error);
    }
    lm_strbuf_free(&sb);
    if (rc != LM_OK) {
        lm_table_unref(t);
        return rc;
    }
    if ((*out = lm_df_from_table(s, t)) == NULL)
        return lm_error_oom(&s->error);
    return LM_OK;
}

lm_status lm_sql(lm_session *s, const char *sql, lm_df **out)
{
    *out = NULL;
    lm_error_clear(&s->error);
    lm_df *df = new_df(s);
    if (df == NULL)
        return lm_error_oom(&s->error);
    lm_stmt *st = NULL;
    lm_parse_options po = session_parse_options(s);
    lm_status rc = lm_parse_statement_opts(sql, &po, &df->arena, &st, &s->error);
    if (rc != LM_OK) {
        lm_df_free(df);
        return rc;
    }
    switch (st->kind) {
    case LM_STMT_QUERY:
        rc = analyze_into(s, df, st->query, sql);
        if (rc == LM_OK) {
            df->logical = st->query;
            df->schema = lm_type_ref(df->plan->schema);
            *out = df;
            return LM_OK;
        }
        lm_df_free(df);
        return rc;
    case LM_STMT_EXPLAIN:
        rc = run_explain(s, df, st, sql, out);
        lm_df_free(df);
        return rc;
    case LM_STMT_SET:
        rc = run_set(s, st, out);
        lm_df_free(df);
        return rc;
    case LM_STMT_RESET:
        rc = lm_session_conf_reset(s, st->key);
        lm_df_free(df);
        if (rc != LM_OK)
            return rc;
        return empty_result(s, out);
    case LM_STMT_CREATE_VIEW:
        rc = run_create_view(s, st, sql);
        break;
    case LM_STMT_CREATE_TABLE:
        rc = run_create_table(s, st, sql);
        break;
    case LM_STMT_INSERT:
        rc = run_insert(s, st, sql);
        break;
    case LM_STMT_DROP_VIEW:
    case LM_STMT_DROP_TABLE:
        rc = run_drop(s, st);
        break;
    case LM_STMT_SHOW_TABLES:
        /* st (and its pattern) lives in df's arena: free df afterwards */
        rc = run_show_tables(s, st, out);
        lm_df_free(df);
        return rc;
    case LM_STMT_DESCRIBE:
        /* st lives in df's arena: free df afterwards */
        rc = run_describe(s, st, sql, out);
        lm_df_free(df);
        return rc;
    case LM_STMT_CACHE:
    case LM_STMT_UNCACHE:
        /* data already lives in memory; CACHE TABLE t AS q defines t */
        if (st->kind == LM_STMT_CACHE && st->query) {
            st->temporary = true;
            st->replace = true;
            rc = run_create_view(s, st, sql);
        } else if (!(st->kind == LM_STMT_UNCACHE && st->if_exists) &&
                   lm_catalog_find(&s->catalog, obj_db(st), obj_name(st)) == NULL) {
            /* the name is resolved as a relation: TABLE_OR_VIEW_NOT_FOUND
               unless UNCACHE TABLE IF EXISTS */
            rc = not_found(s, st);
        }
        if (rc == LM_OK && st->kind == LM_STMT_CACHE)
            rc = run_cache(s, st, sql);
        if (st->kind == LM_STMT_UNCACHE) {
            lm_catalog_entry *e = lm_catalog_find(&s->catalog, obj_db(st), obj_name(st));
            if (e && e->kind == LM_CAT_VIEW && e->sql_text && e->table) {
                lm_table_unref(e->table);
                e->table = NULL;
            } else if (e && e->file_table) {
                lm_table_unref(e->table);
                e->table = e->file_table;
                e->file_table = NULL;
            }
        }
        break;
    default:
        rc = lm_error_set(&s->error, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                          "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                          "[UNSUPPORTED_FEATURE.LOCALMODE] localmode does not run this statement "
                          "yet.");
        break;
    }
    lm_df_free(df);
    if (rc != LM_OK)
        return rc;
    return empty_result(s, out);
}
