/*
 * Data types of the Spark SQL grammar (CAST targets, DDL column lists,
 * schema strings): primitive names and their aliases, DECIMAL(p, s),
 * CHAR/VARCHAR (read as STRING, as Spark does for casts), ARRAY<>, MAP<,>,
 * STRUCT<name: type NOT NULL COMMENT '..'>, and the interval types.
 */
#include <stdio.h>
#include <string.h>

#include "sql/parse_internal.h"
#include "sql/parse_types.h"

/* ================================================================ data types */

static bool type_is(sqlp *p, const char *name)
{
    return sqlp_is_kw(p, 0, name);
}

static int int_param(sqlp *p)
{
    if (sqlp_kind(p, 0) != LM_TOK_INTEGER)
        sqlp_syntax_error(p, "");
    const lm_token *t = sqlp_tok(p, 0);
    long v = 0;
    for (int i = t->start; i <= t->stop && v < 100000; i++)
        v = v * 10 + (p->src[i] - '0');
    p->pos++;
    return (int)v;
}

static _Noreturn void unsupported_type(sqlp *p, int start)
{
    char *t = sqlp_upper_copy(p, sqlp_span_text(p, start, sqlp_prev_stop(p)));
    char *q = lm_arena_printf(p->a, "\"%s\"", t);
    char *msg = lm_arena_printf(p->a, "[UNSUPPORTED_DATATYPE] Unsupported data type %s.", q);
    if (q == NULL || msg == NULL)
        sqlp_oom(p);
    sqlp_fail(p, LM_EXC_PARSE, "UNSUPPORTED_DATATYPE", "0A000", start, sqlp_prev_stop(p), msg,
              "typeName", q, NULL);
}

static void expect_gt(sqlp *p)
{
    sqlp_expect(p, LM_TOK_GT);
}

static lm_type *struct_fields(sqlp *p, bool colon_allowed, bool table_columns)
{
    sqlp_vec fields = {0};
    do {
        lm_field *f = sqlp_alloc(p, sizeof *f);
        f->name = sqlp_identifier(p);
        if (colon_allowed)
            sqlp_accept(p, LM_TOK_COLON);
        f->type = sqlp_data_type(p);
        f->nullable = true;
        for (;;) {
            if (sqlp_is_kw(p, 0, "NOT") && sqlp_is_kw(p, 1, "NULL")) {
                p->pos += 2;
                f->nullable = false;
            } else if (sqlp_accept_kw(p, "COMMENT")) {
                f->comment = sqlp_string_lit(p, NULL);
            } else if (table_columns && sqlp_accept_kw(p, "DEFAULT")) {
                (void)sqlp_expression(p);
            } else if (table_columns && sqlp_is_kw(p, 0, "GENERATED")) {
                p->pos++;
                sqlp_expect_kw(p, "ALWAYS");
                sqlp_expect_kw(p, "AS");
                sqlp_expect(p, LM_TOK_LPAREN);
                (void)sqlp_expression(p);
                sqlp_expect(p, LM_TOK_RPAREN);
            } else {
                break;
            }
        }
        sqlp_vec_push(p, &fields, f);
    } while (sqlp_accept(p, LM_TOK_COMMA));
    lm_field *arr = sqlp_alloc(p, sizeof *arr * (size_t)fields.n);
    for (int i = 0; i < fields.n; i++)
        arr[i] = *(lm_field *)fields.items[i];
    lm_type *t = sqlp_type_struct(p->a, arr, fields.n);
    if (t == NULL)
        sqlp_oom(p);
    return t;
}

lm_type *sqlp_col_type_list(sqlp *p, bool table_columns)
{
    return struct_fields(p, false, table_columns);
}

lm_type *sqlp_data_type(sqlp *p)
{
    sqlp_enter(p);
    int start = sqlp_cur_start(p);
    lm_type *t = NULL;
    if (!sqlp_is_ident_tok(p, 0))
        sqlp_syntax_error(p, "");
    if (type_is(p, "ARRAY") && sqlp_kind(p, 1) == LM_TOK_LT) {
        p->pos += 2;
        lm_type *el = sqlp_data_type(p);
        expect_gt(p);
        t = sqlp_type_array(p->a, el, true);
    } else if (type_is(p, "MAP") && sqlp_kind(p, 1) == LM_TOK_LT) {
        p->pos += 2;
        lm_type *k = sqlp_data_type(p);
        sqlp_expect(p, LM_TOK_COMMA);
        lm_type *v = sqlp_data_type(p);
        expect_gt(p);
        t = sqlp_type_map(p->a, k, v, true);
    } else if (type_is(p, "STRUCT") && sqlp_kind(p, 1) == LM_TOK_NEQ) {
        p->pos += 2;
        t = sqlp_type_struct(p->a, NULL, 0);
    } else if (type_is(p, "STRUCT") && sqlp_kind(p, 1) == LM_TOK_LT) {
        p->pos += 2;
        if (sqlp_kind(p, 0) == LM_TOK_GT) {
            p->pos++;
            t = sqlp_type_struct(p->a, NULL, 0);
        } else {
            t = struct_fields(p, true, false);
            expect_gt(p);
        }
    } else if (type_is(p, "INTERVAL")) {
        p->pos++;
        static const char *const ym[] = {"YEAR", "MONTH"};
        static const char *const dt[] = {"DAY", "HOUR", "MINUTE", "SECOND"};
        int f = -1;
        for (int i = 0; i < 2; i++)
            if (sqlp_is_kw(p, 0, ym[i]))
                f = i;
        if (f >= 0) {
            p->pos++;
            int e = f;
            if (sqlp_is_kw(p, 0, "TO") && sqlp_is_kw(p, 1, "MONTH")) {
                p->pos += 2;
                e = LM_YM_MONTH;
            }
            if (e < f)
                unsupported_type(p, start);
            t = sqlp_type_ym_interval(p->a, f, e);
        } else {
            for (int i = 0; i < 4; i++)
                if (sqlp_is_kw(p, 0, dt[i]))
                    f = i;
            if (f >= 0) {
                p->pos++;
                int e = f;
                if (sqlp_is_kw(p, 0, "TO")) {
                    int to = -1;
                    for (int i = 1; i < 4; i++)
                        if (sqlp_is_kw(p, 1, dt[i]))
                            to = i;
                    if (to < 0)
                        sqlp_syntax_error(p, "");
                    p->pos += 2;
                    e = to;
                    if (e <= f)
                        unsupported_type(p, start);
                }
                t = sqlp_type_dt_interval(p->a, f, e);
            } else {
                t = sqlp_type_primitive(p->a, LM_TYPE_INTERVAL);
            }
        }
    } else {
        static const struct {
            const char *name;
            lm_type_id id;
        } prims[] = {
            {"BOOLEAN", LM_TYPE_BOOLEAN}, {"TINYINT", LM_TYPE_BYTE},
            {"BYTE", LM_TYPE_BYTE},       {"SMALLINT", LM_TYPE_SHORT},
            {"SHORT", LM_TYPE_SHORT},     {"INT", LM_TYPE_INT},
            {"INTEGER", LM_TYPE_INT},     {"BIGINT", LM_TYPE_LONG},
            {"LONG", LM_TYPE_LONG},       {"FLOAT", LM_TYPE_FLOAT},
            {"REAL", LM_TYPE_FLOAT},      {"DOUBLE", LM_TYPE_DOUBLE},
            {"DATE", LM_TYPE_DATE},       {"TIMESTAMP", LM_TYPE_TIMESTAMP},
            {"TIMESTAMP_LTZ", LM_TYPE_TIMESTAMP}, {"TIMESTAMP_NTZ", LM_TYPE_TIMESTAMP_NTZ},
            {"STRING", LM_TYPE_STRING},   {"BINARY", LM_TYPE_BINARY},
            {"VOID", LM_TYPE_NULL},
        };
        bool found = false;
        for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++) {
            if (type_is(p, prims[i].name)) {
                p->pos++;
                t = sqlp_type_primitive(p->a, prims[i].id);
                found = true;
                break;
            }
        }
        if (found) {
            if (sqlp_kind(p, 0) == LM_TOK_LPAREN) {
                /* INT(10) and the like: Spark rejects parameters here */
                p->pos++;
                int_param(p);
                while (sqlp_accept(p, LM_TOK_COMMA))
                    int_param(p);
                sqlp_expect(p, LM_TOK_RPAREN);
                unsupported_type(p, start);
            }
        } else if (type_is(p, "DECIMAL") || type_is(p, "DEC") || type_is(p, "NUMERIC")) {
            p->pos++;
            int prec = 10, scale = 0;
            if (sqlp_accept(p, LM_TOK_LPAREN)) {
                prec = int_param(p);
                if (sqlp_accept(p, LM_TOK_COMMA))
                    scale = int_param(p);
                sqlp_expect(p, LM_TOK_RPAREN);
            }
            if (prec > 38) {
                char ps[16];
                snprintf(ps, sizeof ps, "%d", prec);
                sqlp_fail(p, LM_EXC_PARSE, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", "22003",
                          start, sqlp_prev_stop(p),
                          "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision exceeds "
                          "max precision 38.",
                          "maxPrecision", "38", "precision", ps, NULL);
            }
            if (scale > prec) {
                char ps[16], ss[16];
                snprintf(ps, sizeof ps, "%d", prec);
                snprintf(ss, sizeof ss, "%d", scale);
                sqlp_fail(p, LM_EXC_PARSE, "_LEGACY_ERROR_TEMP_1228", NULL, start,
                          sqlp_prev_stop(p),
                          "Decimal scale cannot be greater than precision.", "scale", ss,
                          "precision", ps, NULL);
            }
            t = sqlp_type_decimal(p->a, prec, scale);
        } else if (type_is(p, "CHAR") || type_is(p, "CHARACTER") || type_is(p, "VARCHAR")) {
            /* CHAR(n) / VARCHAR(n) are read as STRING (what Spark casts to) */
            p->pos++;
            sqlp_expect(p, LM_TOK_LPAREN);
            int_param(p);
            sqlp_expect(p, LM_TOK_RPAREN);
            t = sqlp_type_primitive(p->a, LM_TYPE_STRING);
        } else {
            p->pos++;
            if (sqlp_accept(p, LM_TOK_LPAREN)) {
                int_param(p);
                while (sqlp_accept(p, LM_TOK_COMMA))
                    int_param(p);
                sqlp_expect(p, LM_TOK_RPAREN);
            }
            unsupported_type(p, start);
        }
    }
    if (t == NULL)
        sqlp_oom(p);
    sqlp_leave(p);
    return t;
}
