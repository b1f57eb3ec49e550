/*
 * lm_sql: parses one statement and runs it. Queries become lazy
 * DataFrames; commands (views, tables, SET, ...) run at once and return
 * their result rows, as spark.sql() does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    if (rc == LM_OK)
        *out = lm_table_ref(df->result);
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
    if (rc == LM_OK && lm_plan_ncols(df->plan) != target->nfields) {
        rc = lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS,
                          "INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS", "21S01",
                          "[INSERT_COLUMN_ARITY_MISMATCH] Cannot write to `%s`: the number of "
                          "columns does not match.", obj_name(st));
    }
    if (rc == LM_OK) {
        /* cast each column to the table's type, by position (store assignment) */
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
                b->kind = LM_EXPR_BOUND;
                b->ordinal = i;
                b->type = df->plan->schema->fields[i].type;
                b->resolved = true;
                b->nullable = true;
                b->name = df->plan->schema->fields[i].name;
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

static lm_status run_show_tables(lm_session *s, lm_df **out)
{
    static const char *names[3] = {"namespace", "tableName", "isTemporary"};
    lm_table *t = string_table(3, names);
    if (t == NULL)
        return lm_error_oom(&s->error);
    for (lm_catalog_entry *e = s->catalog.entries; e; e = e->next) {
        if (e->db && strcasecmp(e->db, "default") != 0)
            continue;
        const char *v[3] = {e->db ? e->db : "", e->name, e->db ? "false" : "true"};
        if (add_strings(t, 3, v) != LM_OK) {
            lm_table_unref(t);
            return lm_error_oom(&s->error);
        }
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
        lm_df_free(df);
        return run_show_tables(s, out);
    case LM_STMT_DESCRIBE:
        rc = run_describe(s, st, sql, out);
        if (rc != LM_OK) {
            lm_df_free(df);
            return rc;
        }
        /* the statement tree lives in df's arena, no longer needed */
        lm_df_free(df);
        return LM_OK;
    case LM_STMT_CACHE:
    case LM_STMT_UNCACHE:
        /* data already lives in memory; CACHE TABLE t AS q defines t */
        if (st->kind == LM_STMT_CACHE && st->query) {
            st->temporary = true;
            st->replace = true;
            rc = run_create_view(s, st, sql);
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
