/*
 * Operators and CAST, checked against Spark 3.5's documented results and
 * golden files (operators.sql.out, cast.sql.out, the typeCoercion suites).
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

static void test_int_addition_stays_int(void **state)
{
    F;
    lm_expr *e = fx_call(f, "+", fx_int(f, 1), fx_int(f, 2), NULL);
    assert_string_equal(fx_type(f, e), "int");
    assert_string_equal(fx_show(f, e), "3");
    assert_string_equal(fx_name(f, e), "(1 + 2)");
}

static void test_int_overflow_wraps_in_legacy_mode(void **state)
{
    F;
    lm_expr *e = fx_call(f, "+", fx_int(f, 2147483647), fx_int(f, 1), NULL);
    assert_string_equal(fx_show(f, e), "-2147483648");
    f->ec.ansi = true;
    assert_string_equal(fx_show(f, e), "ERROR:ARITHMETIC_OVERFLOW");
}

static void test_division_is_double_and_null_on_zero(void **state)
{
    F;
    lm_expr *e = fx_call(f, "/", fx_int(f, 5), fx_int(f, 2), NULL);
    assert_string_equal(fx_type(f, e), "double");
    assert_string_equal(fx_show(f, e), "2.5");
    lm_expr *z = fx_call(f, "/", fx_int(f, 5), fx_int(f, 0), NULL);
    assert_string_equal(fx_show(f, z), "NULL");
    f->ec.ansi = true;
    assert_string_equal(fx_show(f, z), "ERROR:DIVIDE_BY_ZERO");
}

static void test_null_division_is_double(void **state)
{
    F;
    lm_expr *e = fx_call(f, "/", fx_int(f, 5), fx_null(f), NULL);
    assert_string_equal(fx_type(f, e), "double");
    assert_string_equal(fx_show(f, e), "NULL");
    assert_string_equal(fx_name(f, e), "(5 / NULL)");
}

static void test_div_is_bigint(void **state)
{
    F;
    lm_expr *e = fx_call(f, "div", fx_int(f, 5), fx_int(f, 2), NULL);
    assert_string_equal(fx_type(f, e), "bigint");
    assert_string_equal(fx_show(f, e), "2");
    assert_string_equal(fx_name(f, e), "(5 div 2)");
    lm_expr *d = fx_call(f, "div", fx_dec(f, 10, 0, "51"), fx_dec(f, 2, 0, "2"), NULL);
    assert_string_equal(fx_type(f, d), "bigint");
    assert_string_equal(fx_show(f, d), "25");
}

static void test_remainder_follows_java(void **state)
{
    F;
    assert_string_equal(fx_show(f, fx_call(f, "%", fx_int(f, -7), fx_int(f, 3), NULL)), "-1");
    assert_string_equal(fx_show(f, fx_call(f, "%", fx_int(f, 7), fx_int(f, 0), NULL)), "NULL");
    assert_string_equal(fx_show(f, fx_call(f, "%", fx_dbl(f, 5.5), fx_int(f, 2), NULL)), "1.5");
}

static void test_string_operands_become_double(void **state)
{
    F;
    lm_expr *e = fx_call(f, "*", fx_str(f, "1"), fx_lit(f, lm_type_byte(), lm_value_i64(1)), NULL);
    assert_string_equal(fx_type(f, e), "double");
    assert_string_equal(fx_show(f, e), "1.0");
    assert_string_equal(fx_name(f, e), "(1 * 1)");
}

static void test_decimal_addition_result_type(void **state)
{
    F;
    lm_expr *e = fx_call(f, "-", fx_cast(f, fx_int(f, 1), lm_type_long()),
                         fx_dec(f, 10, 0, "1"), NULL);
    assert_string_equal(fx_type(f, e), "decimal(21,0)");
    assert_string_equal(fx_show(f, e), "0");
    lm_expr *m = fx_call(f, "*", fx_dec(f, 3, 1, "1.5"), fx_int(f, 2), NULL);
    /* the literal 2 is DECIMAL(1,0): (3+1+1, 1+0) */
    assert_string_equal(fx_type(f, m), "decimal(5,1)");
    assert_string_equal(fx_show(f, m), "3.0");
}

static void test_decimal_division_scale(void **state)
{
    F;
    lm_expr *e = fx_call(f, "/", fx_dec(f, 2, 1, "1.0"), fx_dec(f, 1, 0, "3"), NULL);
    /* s = max(6, 1 + 1 + 1) = 6, p = 2 - 1 + 0 + 6 = 7 */
    assert_string_equal(fx_type(f, e), "decimal(7,6)");
    assert_string_equal(fx_show(f, e), "0.333333");
}

static void test_decimal_with_double_is_double(void **state)
{
    F;
    lm_expr *e = fx_call(f, "+", fx_dec(f, 10, 0, "1"), fx_dbl(f, 1), NULL);
    assert_string_equal(fx_type(f, e), "double");
    assert_string_equal(fx_show(f, e), "2.0");
}

static void test_binary_op_diff_types(void **state)
{
    F;
    lm_expr *e = fx_call(f, "+", fx_str(f, "1"), fx_bool(f, true), NULL);
    assert_null(e);
    assert_string_equal(f->err.error_class, "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES");
}

static void test_unary_minus_prints_with_space(void **state)
{
    F;
    lm_expr *e = fx_call(f, "negative", fx_col(f, "key", lm_type_int(), 0), NULL);
    /* the parser marks `-key` as an operator; negative(key) keeps its name */
    assert_string_equal(fx_name(f, e), "negative(key)");
    e->flags |= LM_CALL_OPERATOR;
    assert_string_equal(fx_name(f, e), "(- key)");
    lm_value row[1] = {lm_value_i64(5)};
    assert_int_equal(fx_eval_row(f, e, row).u.i64, -5);
    lm_expr *p = fx_call(f, "positive", fx_int(f, 230), NULL);
    assert_string_equal(fx_name(f, p), "(+ 230)");
}

static void test_comparisons(void **state)
{
    F;
    lm_expr *e = fx_call(f, ">", fx_int(f, 2), fx_dec(f, 2, 1, "1.0"), NULL);
    assert_string_equal(fx_show(f, e), "true");
    assert_string_equal(fx_name(f, e), "(2 > 1.0)");
    lm_expr *n = fx_call(f, "!=", fx_int(f, 1), fx_int(f, 2), NULL);
    assert_string_equal(fx_name(f, n), "(NOT (1 = 2))");
    assert_string_equal(fx_show(f, n), "true");
    lm_expr *s = fx_call(f, "<=>", fx_null(f), fx_int(f, 1), NULL);
    assert_string_equal(fx_show(f, s), "false");
    assert_false(s->nullable);
    lm_expr *q = fx_call(f, "=", fx_int(f, 1), fx_null(f), NULL);
    assert_string_equal(fx_show(f, q), "NULL");
}

static void test_nan_equals_nan(void **state)
{
    F;
    lm_expr *e = fx_call(f, "=", fx_dbl(f, NAN), fx_dbl(f, NAN), NULL);
    assert_string_equal(fx_show(f, e), "true");
    lm_expr *g = fx_call(f, ">", fx_dbl(f, NAN), fx_dbl(f, 1e308), NULL);
    assert_string_equal(fx_show(f, g), "true");
}

static void test_string_compares_to_number_as_number(void **state)
{
    F;
    lm_expr *e = fx_call(f, "=", fx_str(f, "1"), fx_int(f, 1), NULL);
    assert_string_equal(fx_show(f, e), "true");
}

static void test_three_valued_logic(void **state)
{
    F;
    lm_expr *a = fx_call(f, "and", fx_null_of(f, lm_type_boolean()), fx_bool(f, false), NULL);
    assert_string_equal(fx_show(f, a), "false");
    assert_string_equal(fx_name(f, a), "(NULL AND false)");
    lm_expr *o = fx_call(f, "or", fx_null(f), fx_bool(f, false), NULL);
    assert_string_equal(fx_show(f, o), "NULL");
    lm_expr *n = fx_call(f, "not", fx_bool(f, true), NULL);
    assert_string_equal(fx_name(f, n), "(NOT true)");
    assert_string_equal(fx_show(f, n), "false");
}

static void test_is_null_postfix(void **state)
{
    F;
    lm_expr *e = fx_call(f, "isnull", fx_col(f, "a", lm_type_int(), 0), NULL);
    assert_string_equal(fx_name(f, e), "(a IS NULL)");
    lm_value row[1] = {lm_value_null()};
    assert_true(fx_eval_row(f, e, row).u.b);
    lm_expr *nn = fx_call(f, "isnotnull", fx_col(f, "a", lm_type_int(), 0), NULL);
    assert_string_equal(fx_name(f, nn), "(a IS NOT NULL)");
}

static void test_bitwise(void **state)
{
    F;
    assert_string_equal(fx_show(f, fx_call(f, "&", fx_int(f, 3), fx_int(f, 5), NULL)), "1");
    assert_string_equal(fx_show(f, fx_call(f, "|", fx_int(f, 3), fx_int(f, 5), NULL)), "7");
    assert_string_equal(fx_show(f, fx_call(f, "^", fx_int(f, 3), fx_int(f, 5), NULL)), "6");
    lm_expr *n = fx_call(f, "~", fx_int(f, 0), NULL);
    assert_string_equal(fx_show(f, n), "-1");
    assert_string_equal(fx_name(f, n), "~0");
    assert_string_equal(fx_show(f, fx_call(f, "shiftleft", fx_int(f, 2), fx_int(f, 1), NULL)), "4");
    assert_string_equal(fx_show(f, fx_call(f, "shiftrightunsigned", fx_int(f, -1), fx_int(f, 28), NULL)), "15");
    assert_string_equal(fx_show(f, fx_call(f, "bit_count", fx_int(f, 0), NULL)), "0");
    assert_string_equal(fx_show(f, fx_call(f, "bit_count", fx_long(f, -1), NULL)), "64");
    assert_string_equal(fx_show(f, fx_call(f, "bit_get", fx_int(f, 11), fx_int(f, 0), NULL)), "1");
    assert_string_equal(fx_show(f, fx_call(f, "getbit", fx_int(f, 11), fx_int(f, 2), NULL)), "0");
}

static void test_date_arithmetic(void **state)
{
    F;
    lm_expr *d = fx_cast(f, fx_str(f, "2017-12-11"), lm_type_date());
    lm_expr *e = fx_call(f, "+", d, fx_int(f, 1), NULL);
    assert_string_equal(fx_type(f, e), "date");
    assert_string_equal(fx_show(f, e), "2017-12-12");
    lm_expr *s = fx_call(f, "-", fx_str(f, "2017-12-21"), d, NULL);
    assert_string_equal(fx_type(f, s), "interval day");
    assert_string_equal(fx_show(f, s), "INTERVAL '10' DAY");
}

/* ------------------------------------------------------------ CAST */

static const char *cast_str(fx *f, const char *s, lm_type *to)
{
    return fx_show(f, fx_cast(f, fx_str(f, s), to));
}

static void test_cast_string_to_int(void **state)
{
    F;
    assert_string_equal(cast_str(f, "1.23", lm_type_int()), "1");
    assert_string_equal(cast_str(f, "-4.56", lm_type_int()), "-4");
    assert_string_equal(cast_str(f, "abc", lm_type_int()), "NULL");
    assert_string_equal(cast_str(f, "2147483648", lm_type_int()), "NULL");
    assert_string_equal(cast_str(f, " 1\t", lm_type_byte()), "1");
    f->ec.ansi = true;
    assert_string_equal(cast_str(f, "abc", lm_type_int()), "ERROR:CAST_INVALID_INPUT");
}

static void test_cast_numeric_narrowing(void **state)
{
    F;
    assert_string_equal(fx_show(f, fx_cast(f, fx_int(f, 300), lm_type_byte())), "44");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, 1e20), lm_type_int())), "2147483647");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, NAN), lm_type_long())), "0");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, -1.9), lm_type_int())), "-1");
    f->ec.ansi = true;
    assert_string_equal(fx_show(f, fx_cast(f, fx_int(f, 300), lm_type_byte())), "ERROR:CAST_OVERFLOW");
    lm_expr *t = fx_cast(f, fx_int(f, 300), lm_type_byte());
    t->flags |= LM_CAST_TRY;
    assert_string_equal(fx_show(f, t), "NULL");
}

static void test_cast_to_decimal_rounds_half_up(void **state)
{
    F;
    lm_type *d42 = lm_type_decimal(4, 2);
    assert_string_equal(cast_str(f, "23.45", d42), "23.45");
    assert_string_equal(cast_str(f, "123.45", d42), "NULL");
    assert_string_equal(cast_str(f, "1.005", d42), "1.01");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, 0.125), d42)), "0.13");
    f->ec.ansi = true;
    assert_string_equal(cast_str(f, "123.45", d42), "ERROR:NUMERIC_VALUE_OUT_OF_RANGE");
    lm_type_unref(d42);
}

static void test_cast_to_string_forms(void **state)
{
    F;
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, 1e7), lm_type_string())), "1.0E7");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dbl(f, 0.1), lm_type_string())), "0.1");
    assert_string_equal(fx_show(f, fx_cast(f, fx_bool(f, true), lm_type_string())), "true");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dec(f, 10, 2, "-1.5"), lm_type_string())), "-1.50");
    assert_string_equal(fx_show(f, fx_cast(f, fx_dec(f, 38, 18, "0.0000000001"), lm_type_string())),
                        "1.00000000E-10");
}

static void test_cast_boolean(void **state)
{
    F;
    assert_string_equal(cast_str(f, "\t\t true \n\r ", lm_type_boolean()), "true");
    assert_string_equal(cast_str(f, "xyz", lm_type_boolean()), "NULL");
    assert_string_equal(fx_show(f, fx_cast(f, fx_int(f, 2), lm_type_boolean())), "true");
}

static void test_cast_dates(void **state)
{
    F;
    assert_string_equal(cast_str(f, "2022-01-01", lm_type_date()), "2022-01-01");
    assert_string_equal(cast_str(f, "a", lm_type_date()), "NULL");
    assert_string_equal(cast_str(f, "2022-01-01 00:00:00", lm_type_timestamp()),
                        "2022-01-01 00:00:00");
    lm_expr *ts = fx_cast(f, fx_str(f, "1970-01-01 00:00:01.5"), lm_type_timestamp());
    assert_string_equal(fx_show(f, fx_cast(f, ts, lm_type_double())), "1.5");
    assert_string_equal(fx_show(f, fx_cast(f, ts, lm_type_long())), "1");
}

static void test_cast_int_to_binary(void **state)
{
    F;
    lm_value v = fx_eval(f, fx_cast(f, fx_int(f, 123), lm_type_binary()));
    assert_int_equal(v.u.str.len, 4);
    assert_memory_equal(v.u.str.ptr, "\x00\x00\x00\x7b", 4);
}

static void test_cast_rules(void **state)
{
    (void)state;
    assert_true(lm_cast_can(lm_type_date(), lm_type_int()));
    assert_false(lm_cast_can_ansi(lm_type_date(), lm_type_int()));
    assert_true(lm_cast_can(lm_type_int(), lm_type_binary()));
    assert_false(lm_cast_can(lm_type_date(), lm_type_binary()));
    assert_false(lm_cast_can(lm_type_binary(), lm_type_int()));
}

static void test_unary_minus_via_operator_name(void **state)
{
    F;
    lm_expr *e = fx_call(f, "-", fx_col(f, "key", lm_type_int(), 0), NULL);
    assert_string_equal(fx_name(f, e), "(- key)");
    lm_value row[1] = {lm_value_i64(3)};
    assert_int_equal(fx_eval_row(f, e, row).u.i64, -3);
    lm_expr *b = fx_call(f, "-", fx_int(f, 1), fx_int(f, 2), NULL);
    assert_string_equal(fx_name(f, b), "(1 - 2)");
}

static void test_cast_alias_functions(void **state)
{
    F;
    lm_expr *e = fx_call(f, "int", fx_str(f, "12"), NULL);
    assert_string_equal(fx_name(f, e), "CAST(12 AS INT)");
    assert_string_equal(fx_show(f, e), "12");
    assert_string_equal(fx_type(f, e), "int");
}

/* Spark 3.5's BitwiseGetUtil.checkPosition: a plain IllegalArgumentException */
static void test_getbit_position_out_of_range_is_illegal_argument(void **state)
{
    F;
    lm_expr *ok = fx_call(f, "getbit", fx_long(f, 11), fx_int(f, 3), NULL);
    assert_string_equal(fx_show(f, ok), "1");
    lm_expr *neg = fx_call(f, "getbit", fx_long(f, 11), fx_int(f, -1), NULL);
    assert_string_equal(fx_show(f, neg), "ERROR:?");
    assert_string_equal(f->err.exception, "java.lang.IllegalArgumentException");
    assert_string_equal(f->err.message, "Invalid bit position: -1 is less than zero");
    lm_expr *big = fx_call(f, "getbit", fx_long(f, 11), fx_int(f, 64), NULL);
    assert_string_equal(fx_show(f, big), "ERROR:?");
    assert_string_equal(f->err.message, "Invalid bit position: 64 exceeds the bit upper limit");
    lm_expr *i32 = fx_call(f, "getbit", fx_int(f, 11), fx_int(f, 32), NULL);
    assert_string_equal(fx_show(f, i32), "ERROR:?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_int_addition_stays_int, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_int_overflow_wraps_in_legacy_mode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_division_is_double_and_null_on_zero, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_null_division_is_double, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_div_is_bigint, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_remainder_follows_java, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_string_operands_become_double, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_decimal_addition_result_type, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_decimal_division_scale, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_decimal_with_double_is_double, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_binary_op_diff_types, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unary_minus_prints_with_space, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_comparisons, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_nan_equals_nan, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_string_compares_to_number_as_number, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_three_valued_logic, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_is_null_postfix, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bitwise, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_date_arithmetic, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_string_to_int, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_numeric_narrowing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_to_decimal_rounds_half_up, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_to_string_forms, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_boolean, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_dates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_int_to_binary, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_rules, NULL, NULL),
        cmocka_unit_test_setup_teardown(test_unary_minus_via_operator_name, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cast_alias_functions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_getbit_position_out_of_range_is_illegal_argument,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
