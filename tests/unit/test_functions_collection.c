/*
 * Collections, date/time, misc, window and generator functions, with
 * expected values from Spark's function documentation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "functions_fixture.h"

#define F fx *f = *state
#define S(x) fx_str(f, x)
#define I(x) fx_int(f, x)
#define C(...) fx_call(f, __VA_ARGS__, NULL)
#define SHOW(...) fx_show(f, fx_call(f, __VA_ARGS__, NULL))

static void test_constructors(void **state)
{
    F;
    lm_expr *a = C("array", I(1), fx_long(f, 2), fx_null(f));
    assert_string_equal(fx_type(f, a), "array<bigint>");
    assert_string_equal(fx_show(f, a), "[1, 2, null]");
    lm_expr *m = C("map", I(1), S("a"), I(2), S("b"));
    assert_string_equal(fx_type(f, m), "map<int,string>");
    assert_string_equal(fx_show(f, m), "{1 -> a, 2 -> b}");
    assert_string_equal(SHOW("map", I(1), S("a"), I(1), S("b")), "ERROR:DUPLICATED_MAP_KEY");
    lm_expr *ns = C("named_struct", S("a"), I(1), S("b"), S("x"));
    assert_string_equal(fx_type(f, ns), "struct<a:int,b:string>");
    assert_string_equal(fx_show(f, ns), "{1, x}");
    lm_expr *st = C("struct", fx_col(f, "k", lm_type_int(), 0), I(2));
    assert_string_equal(fx_type(f, st), "struct<k:int,col2:int>");
}

static void test_array_functions(void **state)
{
    F;
    lm_expr *a = C("array", I(1), I(2), I(3), I(2));
    assert_string_equal(SHOW("size", a), "4");
    assert_string_equal(SHOW("size", fx_null_of(f, lm_arena_keep_type(&f->a, lm_type_array(lm_type_int(), true)))), "-1");
    assert_string_equal(SHOW("array_contains", a, I(2)), "true");
    assert_string_equal(SHOW("array_contains", C("array", I(1), fx_null(f)), I(2)), "NULL");
    assert_string_equal(SHOW("array_position", a, I(3)), "3");
    assert_string_equal(SHOW("element_at", a, I(-1)), "2");
    assert_string_equal(SHOW("element_at", a, I(9)), "NULL");
    assert_string_equal(SHOW("element_at", a, I(0)), "ERROR:INVALID_INDEX_OF_ZERO");
    assert_string_equal(SHOW("array_distinct", a), "[1, 2, 3]");
    assert_string_equal(SHOW("array_union", a, C("array", I(5))), "[1, 2, 3, 5]");
    assert_string_equal(SHOW("array_intersect", a, C("array", I(3), I(2))), "[2, 3]");
    assert_string_equal(SHOW("array_except", a, C("array", I(2))), "[1, 3]");
    assert_string_equal(SHOW("array_remove", a, I(2)), "[1, 3]");
    assert_string_equal(SHOW("array_max", a), "3");
    assert_string_equal(SHOW("sort_array", C("array", I(2), fx_null(f), I(1))), "[null, 1, 2]");
    assert_string_equal(SHOW("sort_array", C("array", I(2), fx_null(f), I(1)), fx_bool(f, false)),
                        "[2, 1, null]");
    assert_string_equal(SHOW("array_sort", C("array", I(2), fx_null(f), I(1))), "[1, 2, null]");
    assert_string_equal(SHOW("slice", a, I(2), I(2)), "[2, 3]");
    assert_string_equal(SHOW("slice", a, I(-2), I(5)), "[3, 2]");
    assert_string_equal(SHOW("flatten", C("array", C("array", I(1)), C("array", I(2), I(3)))),
                        "[1, 2, 3]");
    assert_string_equal(SHOW("sequence", I(1), I(5)), "[1, 2, 3, 4, 5]");
    assert_string_equal(SHOW("sequence", I(5), I(1)), "[5, 4, 3, 2, 1]");
    assert_string_equal(SHOW("array_join", C("array", S("a"), fx_null(f), S("b")), S(",")), "a,b");
    assert_string_equal(SHOW("array_join", C("array", S("a"), fx_null(f), S("b")), S(","), S("?")),
                        "a,?,b");
    assert_string_equal(SHOW("array_repeat", S("x"), I(2)), "[x, x]");
    assert_string_equal(SHOW("arrays_overlap", a, C("array", I(9))), "false");
    assert_string_equal(SHOW("array_insert", C("array", I(5), I(3), I(2), I(1)), I(-4), I(4)),
                        "[5, 4, 3, 2, 1]");
    assert_string_equal(SHOW("array_insert", C("array", I(1), I(2)), I(5), I(9)),
                        "[1, 2, null, null, 9]");
    assert_string_equal(SHOW("array_append", C("array", I(1)), I(2)), "[1, 2]");
    assert_string_equal(SHOW("concat", C("array", I(1)), C("array", I(2))), "[1, 2]");
    assert_string_equal(SHOW("reverse", a), "[2, 3, 2, 1]");
    assert_string_equal(SHOW("arrays_zip", C("array", I(1), I(2)), C("array", S("a"))),
                        "[{1, a}, {2, null}]");
}

static void test_map_functions(void **state)
{
    F;
    lm_expr *m = C("map", I(1), S("a"), I(2), S("b"));
    assert_string_equal(SHOW("map_keys", m), "[1, 2]");
    assert_string_equal(SHOW("map_values", m), "[a, b]");
    assert_string_equal(SHOW("map_entries", m), "[{1, a}, {2, b}]");
    assert_string_equal(SHOW("element_at", m, I(2)), "b");
    assert_string_equal(SHOW("map_contains_key", m, I(3)), "false");
    assert_string_equal(SHOW("map_from_arrays", C("array", I(1)), C("array", S("x"))), "{1 -> x}");
    assert_string_equal(SHOW("map_concat", m, C("map", I(3), S("c"))), "{1 -> a, 2 -> b, 3 -> c}");
}

static void test_datetime_functions(void **state)
{
    F;
    lm_expr *d = fx_cast(f, S("2016-07-30"), lm_type_date());
    assert_string_equal(SHOW("date_add", S("2016-07-30"), I(1)), "2016-07-31");
    assert_string_equal(SHOW("datediff", S("2009-07-31"), S("2009-07-30")), "1");
    assert_string_equal(SHOW("add_months", S("2016-08-31"), I(1)), "2016-09-30");
    assert_string_equal(SHOW("last_day", S("2009-01-12")), "2009-01-31");
    assert_string_equal(SHOW("next_day", S("2015-01-14"), S("TU")), "2015-01-20");
    assert_string_equal(SHOW("year", d), "2016");
    assert_string_equal(SHOW("dayofweek", S("2009-07-30")), "5");
    assert_string_equal(SHOW("weekofyear", S("2008-02-20")), "8");
    assert_string_equal(SHOW("hour", S("2009-07-30 12:58:59")), "12");
    assert_string_equal(SHOW("months_between", S("1997-02-28 10:30:00"), S("1996-10-30")),
                        "3.94959677");
    assert_string_equal(SHOW("date_format", S("2016-04-08"), S("y")), "2016");
    assert_string_equal(SHOW("to_date", S("2016-12-31"), S("yyyy-MM-dd")), "2016-12-31");
    assert_string_equal(SHOW("to_timestamp", S("2016-12-31 00:12:00")), "2016-12-31 00:12:00");
    assert_string_equal(SHOW("trunc", S("2019-08-04"), S("MM")), "2019-08-01");
    assert_string_equal(SHOW("date_trunc", S("HOUR"), S("2015-03-05T09:32:05.359")),
                        "2015-03-05 09:00:00");
    assert_string_equal(SHOW("from_unixtime", I(0), S("yyyy-MM-dd HH:mm:ss")), "1970-01-01 00:00:00");
    assert_string_equal(SHOW("unix_timestamp", S("2016-04-08"), S("yyyy-MM-dd")), "1460073600");
    assert_string_equal(SHOW("make_date", I(2013), I(7), I(15)), "2013-07-15");
    assert_string_equal(SHOW("timestamp_seconds", I(1230219000)), "2008-12-25 15:30:00");
    lm_expr *ex = C("extract", S("YEAR"), d);
    assert_string_equal(fx_show(f, ex), "2016");
    assert_string_equal(fx_name(f, ex), "extract(YEAR FROM CAST(2016-07-30 AS DATE))");
    lm_expr *sec = C("date_part", S("seconds"), fx_cast(f, S("2019-10-01 00:00:01.000001"), lm_type_timestamp()));
    assert_string_equal(fx_type(f, sec), "decimal(8,6)");
    assert_string_equal(fx_show(f, sec), "1.000001");
    assert_null(C("extract", S("not_supported"), d));
    assert_string_equal(f->err.error_class, "INVALID_EXTRACT_FIELD");
}

static void test_misc_functions(void **state)
{
    F;
    assert_string_equal(SHOW("hash", S("Spark"), C("array", I(123)), I(2)), "-1321691492");
    assert_string_equal(SHOW("xxhash64", S("Spark"), C("array", I(123)), I(2)), "5602566077635097486");
    assert_string_equal(SHOW("md5", S("Spark")), "8cde774d6f7333752ed72cacddb05126");
    assert_string_equal(SHOW("sha2", S("Spark"), I(256)),
                        "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
    assert_string_equal(SHOW("crc32", S("Spark")), "1557323817");
    assert_string_equal(fx_type(f, C("uuid")), "string");
}

static void test_window_kernels(void **state)
{
    F;
    /* partition ordered by a key with a tie: keys 10, 20, 20, 30 */
    int64_t ps[4] = {0, 1, 1, 3}, pe[4] = {1, 3, 3, 4};
    lm_value out[4];
    lm_window_input in = {4, ps, pe, 0, NULL, NULL, NULL};
    lm_expr *rk = C("rank");
    assert_int_equal(lm_window_eval(&f->ec, rk, &in, out), LM_OK);
    assert_int_equal(out[2].u.i64, 2);
    assert_int_equal(out[3].u.i64, 4);
    assert_string_equal(fx_name(f, rk), "RANK()");
    assert_int_equal(lm_window_eval(&f->ec, C("dense_rank"), &in, out), LM_OK);
    assert_int_equal(out[3].u.i64, 3);
    assert_int_equal(lm_window_eval(&f->ec, C("cume_dist"), &in, out), LM_OK);
    assert_true(out[1].u.f64 == 0.75);
    lm_value nargs[4] = {lm_value_i64(3), lm_value_i64(3), lm_value_i64(3), lm_value_i64(3)};
    lm_window_input nin = {4, ps, pe, 1, nargs, NULL, NULL};
    assert_int_equal(lm_window_eval(&f->ec, C("ntile", I(3)), &nin, out), LM_OK);
    assert_int_equal(out[0].u.i64, 1);
    assert_int_equal(out[1].u.i64, 1);
    assert_int_equal(out[2].u.i64, 2);
    assert_int_equal(out[3].u.i64, 3);
    lm_expr *lag = C("lag", fx_col(f, "v", lm_type_int(), 0));
    assert_string_equal(fx_name(f, lag), "lag(v, 1, NULL)");
    lm_value largs[12];
    for (int i = 0; i < 4; i++) {
        largs[3 * i] = lm_value_i64(10 * (i + 1));
        largs[3 * i + 1] = lm_value_i64(1);
        largs[3 * i + 2] = lm_value_null();
    }
    lm_window_input lin = {4, ps, pe, 3, largs, NULL, NULL};
    assert_int_equal(lm_window_eval(&f->ec, lag, &lin, out), LM_OK);
    assert_true(out[0].is_null);
    assert_int_equal(out[1].u.i64, 10);
}

/* A generator's value is an array of its row struct. */
static const char *gen_rows(fx *f, lm_expr *call)
{
    lm_value v = fx_eval(f, call), sv;
    lm_type *t = lm_type_array(call->type, false);
    lm_cast_to_string(&f->ec, t, &v, &sv);
    lm_type_unref(t);
    return lm_arena_strndup(&f->a, sv.u.str.ptr, (size_t)sv.u.str.len);
}

static void test_generators(void **state)
{
    F;
    lm_expr *e = C("posexplode", C("array", I(10), I(20)));
    assert_string_equal(fx_type(f, e), "struct<pos:int,col:int>");
    assert_string_equal(gen_rows(f, e), "[{0, 10}, {1, 20}]");
    lm_expr *m = C("explode_outer", C("map", I(1), S("a")));
    assert_string_equal(fx_type(f, m), "struct<key:int,value:string>");
    lm_expr *eo = C("explode_outer", fx_null_of(f, lm_arena_keep_type(&f->a, lm_type_array(lm_type_int(), true))));
    assert_string_equal(gen_rows(f, eo), "[{null}]");
    lm_expr *s = C("stack", I(2), I(1), I(2), I(3));
    assert_string_equal(fx_type(f, s), "struct<col0:int,col1:int>");
    assert_string_equal(gen_rows(f, s), "[{1, 2}, {3, null}]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_constructors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_array_functions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_map_functions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_datetime_functions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_misc_functions, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_window_kernels, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_generators, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
