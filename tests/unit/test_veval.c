/*
 * The batch evaluator (expr/veval.h) against the row interpreter: the same
 * resolved expression evaluated both ways over the same batches must give
 * bit-identical vectors (NULLs in the same rows, the same bytes for every
 * value: -0.0 is not 0.0 here; NaN must be NaN, whatever its payload). Expressions are
 * generated at random from a fixed seed over a table with NULLs, integer
 * extremes, NaN and signed zeros, in non-ANSI and ANSI mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* random expression texts are built into fixed buffers; a truncated one is
   still a valid test input */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "api/df.h"
#include "expr/veval.h"
#include "exec/exec.h"
#include "session/session.h"
#include "sql/parser.h"
#include "unit/sql_fixture.h"

/* ------------------------------------------------------------ data */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33) % n;
}

static const char *const k_ints[] = {"0", "1", "-1", "7", "2147483647", "-2147483648", "100",
                                      "NULL", "3", "-5"};
static const char *const k_longs[] = {"0L", "1L", "-1L", "9223372036854775807L",
                                      "-9223372036854775808L", "42L", "NULL", "-7L"};
static const char *const k_doubles[] = {"0.0D", "-0.0D", "1.5D", "-2.25D", "CAST('NaN' AS DOUBLE)",
                                        "1e300D", "NULL", "3.0D", "CAST('Infinity' AS DOUBLE)"};
static const char *const k_floats[] = {"CAST(0.5 AS FLOAT)", "CAST(-0.0 AS FLOAT)",
                                       "CAST('NaN' AS FLOAT)", "NULL", "CAST(3.25 AS FLOAT)"};
static const char *const k_strings[] = {"'id001'", "'id050'", "''", "'abc'", "'abcd'", "NULL",
                                        "'x%y'", "'ID050'"};
static const char *const k_bools[] = {"true", "false", "NULL"};
static const char *const k_shorts[] = {"CAST(1 AS SMALLINT)", "CAST(-32768 AS SMALLINT)",
                                       "CAST(32767 AS SMALLINT)", "NULL", "CAST(0 AS SMALLINT)"};

#define PICK(a) a[rnd(sizeof a / sizeof a[0])]

static void make_table(lm_session *s)
{
    char *sql = malloc(64 * 1024);
    size_t n = (size_t)snprintf(sql, 64 * 1024, "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT * FROM VALUES ");
    for (int r = 0; r < 400; r++)
        n += (size_t)snprintf(sql + n, 64 * 1024 - n, "%s(%s, %s, %s, %s, %s, %s, %s)",
                              r ? ", " : "", PICK(k_ints), PICK(k_longs), PICK(k_doubles),
                              PICK(k_floats), PICK(k_strings), PICK(k_bools), PICK(k_shorts));
    snprintf(sql + n, 64 * 1024 - n, " AS v(i, l, d, f, s, b, h)");
    exec_ok(s, sql);
    free(sql);
}

/* ------------------------------------------------------------ expressions */

typedef enum { T_INT, T_LONG, T_DOUBLE, T_FLOAT, T_SHORT, T_STRING, T_BOOL } gtype;

static void gen(char *out, size_t cap, gtype t, int depth);

static void leaf(char *out, size_t cap, gtype t)
{
    bool col = rnd(3) != 0;
    switch (t) {
    case T_INT: snprintf(out, cap, "%s", col ? "i" : PICK(k_ints)); break;
    case T_LONG: snprintf(out, cap, "%s", col ? "l" : PICK(k_longs)); break;
    case T_DOUBLE: snprintf(out, cap, "%s", col ? "d" : PICK(k_doubles)); break;
    case T_FLOAT: snprintf(out, cap, "%s", col ? "f" : PICK(k_floats)); break;
    case T_SHORT: snprintf(out, cap, "%s", col ? "h" : PICK(k_shorts)); break;
    case T_STRING: snprintf(out, cap, "%s", col ? "s" : PICK(k_strings)); break;
    default: snprintf(out, cap, "%s", col ? "b" : PICK(k_bools)); break;
    }
}

static gtype numeric(void)
{
    static const gtype k[] = {T_INT, T_LONG, T_DOUBLE, T_FLOAT, T_SHORT};
    return k[rnd(5)];
}

static void gen(char *out, size_t cap, gtype t, int depth)
{
    char a[1024], b[1024];
    if (depth <= 0 || rnd(4) == 0) {
        leaf(out, cap, t);
        return;
    }
    if (t == T_BOOL) {
        switch (rnd(7)) {
        case 0:
        case 1: {
            gtype x = rnd(4) == 0 ? T_STRING : numeric();
            static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">=", "<=>", "!="};
            gen(a, sizeof a, x, depth - 1);
            gen(b, sizeof b, x, depth - 1);
            snprintf(out, cap, "(%s %s %s)", a, PICK(ops), b);
            return;
        }
        case 2:
            gen(a, sizeof a, T_BOOL, depth - 1);
            gen(b, sizeof b, T_BOOL, depth - 1);
            snprintf(out, cap, "(%s %s %s)", a, rnd(2) ? "AND" : "OR", b);
            return;
        case 3:
            gen(a, sizeof a, T_BOOL, depth - 1);
            snprintf(out, cap, "(NOT %s)", a);
            return;
        case 4:
            gen(a, sizeof a, rnd(2) ? T_STRING : numeric(), depth - 1);
            snprintf(out, cap, "(%s IS %sNULL)", a, rnd(2) ? "NOT " : "");
            return;
        case 5: {
            static const char *const pats[] = {"'id%'", "'%50'", "'%d0%'", "'abc'", "'%'",
                                               "'a_c'", "'%b%c'"};
            gen(a, sizeof a, T_STRING, depth - 1);
            snprintf(out, cap, "(%s LIKE %s)", a, PICK(pats));
            return;
        }
        default: {
            gtype x = numeric();
            gen(a, sizeof a, x, depth - 1);
            snprintf(out, cap, "(%s BETWEEN %s AND %s)", a, PICK(k_ints), PICK(k_ints));
            return;
        }
        }
    }
    if (t == T_STRING) {
        leaf(out, cap, t);
        return;
    }
    switch (rnd(4)) {
    case 0: {
        /* a cast from another numeric type */
        gtype x = numeric();
        static const char *const names[] = {"INT", "BIGINT", "DOUBLE", "FLOAT", "SMALLINT"};
        gen(a, sizeof a, x, depth - 1);
        snprintf(out, cap, "CAST(%s AS %s)", a, names[t]);
        return;
    }
    default: {
        static const char *const ops[] = {"+", "-", "*", "/", "%"};
        gen(a, sizeof a, t, depth - 1);
        gen(b, sizeof b, t, depth - 1);
        snprintf(out, cap, "(%s %s %s)", a, PICK(ops), b);
        return;
    }
    }
}

/* ------------------------------------------------------------ comparison */

static bool same_value(const lm_vector *x, const lm_vector *y, int32_t i)
{
    bool nx = lm_vector_is_null(x, i), ny = lm_vector_is_null(y, i);
    if (nx || ny)
        return nx == ny;
    if (x->type->id != y->type->id)
        return false;
    /* NaN payloads are not part of Spark's semantics (every NaN prints,
       compares and hashes alike) and the compiler may swap the operands of
       a commutative operation, which picks the other NaN's payload */
    if (x->type->id == LM_TYPE_DOUBLE && isnan(((const double *)x->data)[i]))
        return isnan(((const double *)y->data)[i]);
    if (x->type->id == LM_TYPE_FLOAT && isnan(((const float *)x->data)[i]))
        return isnan(((const float *)y->data)[i]);
    int w = lm_type_fixed_width(x->type);
    if (w > 0)
        return memcmp((const char *)x->data + (size_t)i * (size_t)w,
                      (const char *)y->data + (size_t)i * (size_t)w, (size_t)w) == 0;
    lm_value a, b;
    lm_vector_get(x, i, &a, NULL);
    lm_vector_get(y, i, &b, NULL);
    return a.u.str.len == b.u.str.len && memcmp(a.u.str.ptr, b.u.str.ptr, (size_t)a.u.str.len) == 0;
}

typedef struct stats {
    int compared, native, vec_failed, analysis_failed;
} stats;

static void check_one(lm_session *s, lm_df *df, const char *text, stats *st)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_expr *e = NULL, *r = NULL;
    if (lm_parse_expression(text, &a, &e, &s->error) != LM_OK ||
        lm_analyze_expr(s, &a, df->plan, e, &r, &s->error) != LM_OK) {
        st->analysis_failed++;
        lm_error_clear(&s->error);
        lm_arena_free(&a);
        return;
    }
    lm_exec x = {0};
    x.session = s;
    x.err = &s->error;
    x.arena = &a;
    lm_eval_ctx ec;
    lm_exec_eval_ctx(&x, &ec, &a);
    lm_vexpr *prog = lm_vexpr_compile(&ec, r);
    assert_non_null(prog);
    st->native += lm_vexpr_is_native(prog);
    const lm_table *t = df->result;
    for (int bi = 0; bi < t->nbatches; bi++) {
        const lm_batch *b = t->batches[bi];
        lm_vector *vv = NULL, *rv = NULL;
        lm_status vs = lm_vexpr_eval(&ec, prog, b, &vv);
        if (vs != LM_OK) {
            /* the operator contract: redo the batch on the row path */
            lm_error_clear(&s->error);
            st->vec_failed++;
            vs = lm_eval_batch(&ec, r, b, &vv);
            char *cls = s->error.error_class ? strdup(s->error.error_class) : NULL;
            lm_error_clear(&s->error);
            lm_status rs = lm_eval_batch_rows(&ec, r, b, &rv);
            if (vs != rs)
                fail_msg("%s: status %d vs row path %d", text, vs, rs);
            if (rs != LM_OK) {
                assert_string_equal(cls ? cls : "", s->error.error_class ? s->error.error_class : "");
                free(cls);
                lm_error_clear(&s->error);
                st->compared++;
                continue;
            }
            free(cls);
        } else {
            lm_status rs = lm_eval_batch_rows(&ec, r, b, &rv);
            if (rs != LM_OK)
                fail_msg("%s: row path failed (%s) where batches did not", text, lm_errmsg(s));
        }
        assert_int_equal(vv->length, b->nrows);
        assert_int_equal(rv->length, b->nrows);
        for (int32_t i = 0; i < b->nrows; i++)
            if (!same_value(vv, rv, i))
                fail_msg("%s: row %d differs", text, i);
        if (r->type->id == LM_TYPE_BOOLEAN) {
            /* the selection of a predicate: rows where the row path is TRUE */
            int32_t *sel = malloc(sizeof *sel * ((size_t)b->nrows + 1)), ns = 0, k = 0;
            if (lm_vexpr_select(&ec, prog, b, sel, &ns) == LM_OK) {
                for (int32_t i = 0; i < b->nrows; i++)
                    if (!lm_vector_is_null(rv, i) && ((const uint8_t *)rv->data)[i]) {
                        if (k >= ns || sel[k] != i)
                            fail_msg("%s: selection differs at row %d", text, i);
                        k++;
                    }
                assert_int_equal(k, ns);
            } else {
                lm_error_clear(&s->error);
            }
            free(sel);
        }
        st->compared++;
        lm_vector_free(vv);
        lm_vector_free(rv);
    }
    lm_vexpr_free(prog);
    lm_arena_free(&a);
}

static void run_random(bool ansi, uint64_t seed, int count)
{
    lm_session *s = fixture_session();
    rng_state = seed;
    if (ansi)
        exec_ok(s, "SET spark.sql.ansi.enabled=true");
    make_table(s);
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM v", &df), LM_OK);
    assert_int_equal(lm_df_compute(df), LM_OK);
    stats st = {0};
    char text[1024];
    static const gtype k_all[] = {T_INT, T_LONG, T_DOUBLE, T_FLOAT, T_SHORT, T_BOOL};
    for (int k = 0; k < count; k++) {
        gen(text, sizeof text, k_all[rnd(6)], 4);
        check_one(s, df, text, &st);
    }
    /* the generator must mostly hit the fast kernels, not the fallback */
    assert_true(st.compared > count / 2);
    assert_true(st.native > count / 4);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_random_expressions_match_row_path(void **state)
{
    run_random(false, 12345, 2000);
}

static void test_random_expressions_match_row_path_under_ansi(void **state)
{
    run_random(true, 987, 1000);
}

/* ------------------------------------------------------------ specifics */

/* Filters whose conjuncts compare a column with a constant (ANDed into the
   selection without a boolean vector) select what the row path selects:
   NULLs, NaN above every number, -0.0 = 0.0, the constant on either side. */
static void test_column_constant_conjuncts_select_as_the_row_path(void **state)
{
    static const char *const preds[] = {
        "(i > 0 AND d < 1.5D)",
        "(d > 0.0D AND d >= -2.25D AND 1.5D <> d)",
        "(d = 0.0D AND i <> 7)",
        "(d <= 1.5D AND l >= 0L AND l < 9223372036854775807L)",
        "(s = 'id050' AND i >= -2147483648)",
        "(s <> 'id001' AND 100 > i AND 0L <= l)",
        "(s <> '' AND d <> CAST('NaN' AS DOUBLE))",
        "(7 = i AND 1.5D < d)",
        "(i BETWEEN 0 AND 100 AND s <> 'abc' AND d < 2.0D)",
        "(h > CAST(-32768 AS SMALLINT) AND d > -0.0D)",
        "(NOT (d < 1.5D) AND NOT (i = 7))",
        "(NOT (s = 'id050') AND NOT (0.0D >= d))",
    };
    lm_session *s = fixture_session();
    rng_state = 4242;
    make_table(s);
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM v", &df), LM_OK);
    assert_int_equal(lm_df_compute(df), LM_OK);
    stats st = {0};
    for (size_t k = 0; k < sizeof preds / sizeof preds[0]; k++)
        check_one(s, df, preds[k], &st);
    assert_int_equal(st.compared, (int)(sizeof preds / sizeof preds[0]));
    lm_df_free(df);
    lm_session_close(s);
}

static lm_vector *eval_text(lm_session *s, lm_df *df, const char *text, lm_arena *a, bool *native)
{
    lm_expr *e = NULL, *r = NULL;
    assert_int_equal(lm_parse_expression(text, a, &e, &s->error), LM_OK);
    assert_int_equal(lm_analyze_expr(s, a, df->plan, e, &r, &s->error), LM_OK);
    lm_exec x = {0};
    x.session = s;
    x.err = &s->error;
    lm_eval_ctx ec;
    lm_exec_eval_ctx(&x, &ec, a);
    lm_vexpr *prog = lm_vexpr_compile(&ec, r);
    *native = lm_vexpr_is_native(prog);
    lm_vector *v = NULL;
    assert_int_equal(lm_vexpr_eval(&ec, prog, df->result->batches[0], &v), LM_OK);
    lm_vexpr_free(prog);
    return v;
}

static void test_column_reference_shares_the_input_vector(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW w AS SELECT * FROM VALUES (1, 'a'), (2, 'b') AS w(x, y)");
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM w", &df), LM_OK);
    assert_int_equal(lm_df_compute(df), LM_OK);
    lm_arena a;
    lm_arena_init(&a, 1024);
    bool native;
    lm_vector *v = eval_text(s, df, "y", &a, &native);
    assert_true(native);
    assert_ptr_equal(v, df->result->batches[0]->cols[1]);
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_int_addition_wraps_and_division_by_zero_is_null(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW w AS SELECT * FROM VALUES (2147483647, 0), (5, 2) AS w(x, z)");
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM w", &df), LM_OK);
    assert_int_equal(lm_df_compute(df), LM_OK);
    lm_arena a;
    lm_arena_init(&a, 1024);
    bool native;
    lm_vector *v = eval_text(s, df, "x + 1", &a, &native);
    assert_true(native);
    assert_int_equal(((int32_t *)v->data)[0], INT32_MIN);
    assert_int_equal(((int32_t *)v->data)[1], 6);
    lm_vector_free(v);
    v = eval_text(s, df, "x % z", &a, &native);
    assert_true(native);
    assert_true(lm_vector_is_null(v, 0));
    assert_int_equal(((int32_t *)v->data)[1], 1);
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_three_valued_and_or(void **state)
{
    lm_session *s = fixture_session();
    exec_ok(s, "CREATE TEMPORARY VIEW w AS SELECT * FROM VALUES (true, CAST(NULL AS BOOLEAN)), "
               "(false, CAST(NULL AS BOOLEAN)), (true, true) AS w(p, q)");
    lm_df *df = NULL;
    assert_int_equal(lm_sql(s, "SELECT * FROM w", &df), LM_OK);
    assert_int_equal(lm_df_compute(df), LM_OK);
    lm_arena a;
    lm_arena_init(&a, 1024);
    bool native;
    lm_vector *v = eval_text(s, df, "p AND q", &a, &native);
    assert_true(native);
    assert_true(lm_vector_is_null(v, 0));                 /* true AND NULL */
    assert_false(lm_vector_is_null(v, 1));                /* false AND NULL = false */
    assert_int_equal(((uint8_t *)v->data)[1], 0);
    assert_int_equal(((uint8_t *)v->data)[2], 1);
    lm_vector_free(v);
    v = eval_text(s, df, "p OR q", &a, &native);
    assert_false(lm_vector_is_null(v, 0));                /* true OR NULL = true */
    assert_int_equal(((uint8_t *)v->data)[0], 1);
    assert_true(lm_vector_is_null(v, 1));                 /* false OR NULL */
    lm_vector_free(v);
    lm_arena_free(&a);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_column_constant_conjuncts_select_as_the_row_path),
        cmocka_unit_test(test_column_reference_shares_the_input_vector),
        cmocka_unit_test(test_int_addition_wraps_and_division_by_zero_is_null),
        cmocka_unit_test(test_three_valued_and_or),
        cmocka_unit_test(test_random_expressions_match_row_path),
        cmocka_unit_test(test_random_expressions_match_row_path_under_ansi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
