/*
 * Aggregate functions driven as the executor drives them: init, update
 * per row (two partial states merged), final.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "functions_fixture.h"

#define F fx *f = *state

/* Runs agg over rows (one column each, split into two partitions and
   merged) and shows the result. */
static const char *run_agg_cols(fx *f, lm_expr *call, const lm_value *rows, int n, int ncols)
{
    if (call == NULL)
        return fx_show(f, NULL);
    const lm_func_def *d = call->fn;
    void *s1 = calloc(1, d->state_size), *s2 = calloc(1, d->state_size);
    if (d->agg_init) {
        d->agg_init(&f->ec, call, s1);
        d->agg_init(&f->ec, call, s2);
    }
    for (int i = 0; i < n; i++) {
        lm_value args[4];
        for (int k = 0; k < call->nargs; k++)
            assert_int_equal(lm_eval_expr(&f->ec, call->args[k], &rows[i * ncols], &args[k]), LM_OK);
        assert_int_equal(d->agg_update(&f->ec, call, i < n / 2 ? s1 : s2, args), LM_OK);
    }
    assert_int_equal(d->agg_merge(&f->ec, call, s1, s2), LM_OK);
    lm_value out;
    const char *r;
    if (d->agg_final(&f->ec, call, s1, &out) != LM_OK)
        r = lm_arena_printf(&f->a, "ERROR:%s", f->err.error_class ? f->err.error_class : "?");
    else if (out.is_null)
        r = "NULL";
    else {
        lm_value sv;
        lm_cast_to_string(&f->ec, call->type, &out, &sv);
        r = lm_arena_strndup(&f->a, sv.u.str.ptr, (size_t)sv.u.str.len);
    }
    if (d->agg_free) {
        d->agg_free(call, s1);
        d->agg_free(call, s2);
    }
    free(s1);
    free(s2);
    return r;
}

static const char *run_agg(fx *f, lm_expr *call, const lm_value *rows, int n)
{
    return run_agg_cols(f, call, rows, n, 1);
}

static lm_value iv(int64_t x) { return lm_value_i64(x); }
static lm_value dv(double x) { return lm_value_f64(x); }

static void test_count_and_sum(void **state)
{
    F;
    lm_expr *col = fx_col(f, "x", lm_type_int(), 0);
    lm_value rows[] = {iv(1), iv(2), lm_value_null(), iv(4)};
    lm_expr *c = fx_call(f, "count", col, NULL);
    assert_string_equal(fx_type(f, c), "bigint");
    assert_string_equal(run_agg(f, c, rows, 4), "3");
    lm_expr *s = fx_call(f, "sum", col, NULL);
    assert_string_equal(fx_type(f, s), "bigint");
    assert_string_equal(run_agg(f, s, rows, 4), "7");
    assert_string_equal(run_agg(f, s, rows, 0), "NULL");
    lm_expr *a = fx_call(f, "avg", col, NULL);
    assert_string_equal(fx_type(f, a), "double");
    assert_string_equal(run_agg(f, a, rows, 4), "2.3333333333333335");
}

static void test_decimal_sum_and_avg_types(void **state)
{
    F;
    lm_type *d = lm_type_decimal(5, 2);
    lm_expr *col = fx_col(f, "x", d, 0);
    lm_value rows[] = {lm_value_dec(150), lm_value_dec(250), lm_value_dec(101)};
    lm_expr *s = fx_call(f, "sum", col, NULL);
    assert_string_equal(fx_type(f, s), "decimal(15,2)");
    assert_string_equal(run_agg(f, s, rows, 3), "5.01");
    lm_expr *a = fx_call(f, "avg", col, NULL);
    assert_string_equal(fx_type(f, a), "decimal(9,6)");
    assert_string_equal(run_agg(f, a, rows, 3), "1.670000");
    lm_type_unref(d);
}

static void test_min_max_first_last(void **state)
{
    F;
    lm_expr *col = fx_col(f, "x", lm_type_string(), 0);
    lm_value rows[] = {lm_value_null(), lm_value_str("b", 1), lm_value_str("a", 1),
                       lm_value_str("c", 1)};
    assert_string_equal(run_agg(f, fx_call(f, "max", col, NULL), rows, 4), "c");
    assert_string_equal(run_agg(f, fx_call(f, "min", col, NULL), rows, 4), "a");
    assert_string_equal(run_agg(f, fx_call(f, "first", col, NULL), rows, 4), "NULL");
    lm_expr *fi = fx_call(f, "first", col, fx_bool(f, true), NULL);
    assert_string_equal(run_agg(f, fi, rows, 4), "b");
    assert_string_equal(fx_name(f, fi), "first(x) IGNORE NULLS");
    assert_string_equal(run_agg(f, fx_call(f, "last", col, NULL), rows, 4), "c");
}

static void test_statistics(void **state)
{
    F;
    lm_expr *col = fx_col(f, "x", lm_type_double(), 0);
    lm_value rows[] = {dv(1), dv(2), dv(3), dv(4)};
    assert_string_equal(run_agg(f, fx_call(f, "stddev_samp", col, NULL), rows, 4),
                        "1.2909944487358056");
    assert_string_equal(run_agg(f, fx_call(f, "var_pop", col, NULL), rows, 4), "1.25");
    assert_string_equal(run_agg(f, fx_call(f, "variance", col, NULL), rows, 1), "NULL");
    assert_string_equal(run_agg(f, fx_call(f, "skewness", col, NULL), rows, 4), "0.0");
    assert_string_equal(run_agg(f, fx_call(f, "kurtosis", col, NULL), rows, 4), "-1.36");
    lm_expr *y = fx_col(f, "y", lm_type_double(), 1);
    lm_value pairs[] = {dv(1), dv(2), dv(2), dv(4), dv(3), dv(6), dv(4), dv(8)};
    assert_string_equal(run_agg_cols(f, fx_call(f, "corr", col, y, NULL), pairs, 4, 2), "1.0");
    assert_string_equal(run_agg_cols(f, fx_call(f, "covar_pop", col, y, NULL), pairs, 4, 2), "2.5");
}

static void test_collect_and_percentiles(void **state)
{
    F;
    lm_expr *col = fx_col(f, "x", lm_type_int(), 0);
    lm_value rows[] = {iv(3), iv(1), iv(3), lm_value_null(), iv(2)};
    lm_expr *cl = fx_call(f, "collect_list", col, NULL);
    assert_string_equal(fx_type(f, cl), "array<int>");
    assert_string_equal(run_agg(f, cl, rows, 5), "[3, 1, 3, 2]");
    assert_string_equal(run_agg(f, fx_call(f, "collect_set", col, NULL), rows, 5), "[3, 1, 2]");
    lm_value p[] = {iv(0), iv(10)};
    assert_string_equal(run_agg(f, fx_call(f, "percentile", col, fx_dbl(f, 0.5), NULL), p, 2), "5.0");
    assert_string_equal(run_agg(f, fx_call(f, "median", col, NULL), p, 2), "5.0");
    lm_value q[] = {iv(1), iv(2), iv(3), iv(4), iv(5)};
    lm_expr *pa = fx_call(f, "percentile_approx", col, fx_dbl(f, 0.5), NULL);
    assert_string_equal(fx_type(f, pa), "int");
    assert_string_equal(run_agg(f, pa, q, 5), "3");
    assert_string_equal(run_agg(f, fx_call(f, "mode", col, NULL), rows, 5), "3");
    assert_string_equal(run_agg(f, fx_call(f, "approx_count_distinct", col, NULL), q, 5), "5");
    assert_string_equal(run_agg(f, fx_call(f, "count_if", fx_call(f, ">", col, fx_int(f, 2), NULL), NULL), q, 5), "3");
}

static void test_bool_aggs(void **state)
{
    F;
    lm_expr *col = fx_col(f, "b", lm_type_boolean(), 0);
    lm_value rows[] = {lm_value_bool(true), lm_value_null(), lm_value_bool(false)};
    assert_string_equal(run_agg(f, fx_call(f, "bool_and", col, NULL), rows, 3), "false");
    assert_string_equal(run_agg(f, fx_call(f, "some", col, NULL), rows, 3), "true");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_count_and_sum, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_decimal_sum_and_avg_types, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_min_max_first_last, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_statistics, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_collect_and_percentiles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bool_aggs, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
