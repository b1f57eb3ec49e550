/*
 * String, regular-expression and math functions, with expected values
 * from Spark's function documentation and string-functions.sql.out.
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
#define S(x) fx_str(f, x)
#define I(x) fx_int(f, x)
#define SHOW(...) fx_show(f, fx_call(f, __VA_ARGS__, NULL))
#define NAME(...) fx_name(f, fx_call(f, __VA_ARGS__, NULL))

static void test_substring_rules(void **state)
{
    F;
    assert_string_equal(SHOW("substr", S("Spark SQL"), I(5)), "k SQL");
    assert_string_equal(SHOW("substr", S("Spark SQL"), I(-3)), "SQL");
    assert_string_equal(SHOW("substr", S("Spark SQL"), I(5), I(1)), "k");
    assert_string_equal(SHOW("substring", S("Spark SQL"), I(0), I(2)), "Sp");
    assert_string_equal(NAME("substr", S("Spark SQL"), I(5)), "substr(Spark SQL, 5, 2147483647)");
    assert_string_equal(SHOW("substring", S("héllo"), I(2), I(2)), "él");
}

static void test_left_right(void **state)
{
    F;
    assert_string_equal(SHOW("left", S("abcd"), I(2)), "ab");
    assert_string_equal(SHOW("left", S("abcd"), I(5)), "abcd");
    assert_string_equal(SHOW("left", S("abcd"), I(-2)), "");
    assert_string_equal(SHOW("right", S("abcd"), I(2)), "cd");
    assert_string_equal(SHOW("right", S("abcd"), I(0)), "");
    assert_string_equal(SHOW("left", S("abcd"), S("2")), "ab");
}

static void test_trim_forms(void **state)
{
    F;
    assert_string_equal(SHOW("trim", S(" xyz ")), "xyz");
    assert_string_equal(SHOW("ltrim", S(" xyz ")), "xyz ");
    assert_string_equal(SHOW("rtrim", S(" xyz ")), " xyz");
    assert_string_equal(SHOW("trim", S("xyz"), S("yxTomxx")), "Tom");
    assert_string_equal(NAME("trim", S("xyz"), S("yxTomxx")), "TRIM(BOTH xyz FROM yxTomxx)");
    assert_string_equal(SHOW("ltrim", S("xyz"), S("zzzytest")), "test");
    assert_string_equal(SHOW("rtrim", S("xy"), S("TURNERyxXxy")), "TURNERyxX");
    assert_string_equal(SHOW("btrim", S("xyxtrimyyx"), S("xy")), "trim");
}

static void test_pad_and_repeat(void **state)
{
    F;
    assert_string_equal(SHOW("lpad", S("hi"), I(5), S("??")), "???hi");
    assert_string_equal(SHOW("lpad", S("hi"), I(1), S("??")), "h");
    assert_string_equal(SHOW("rpad", S("hi"), I(5)), "hi   ");
    assert_string_equal(SHOW("repeat", S("123"), I(2)), "123123");
    assert_string_equal(SHOW("lpad", S("hi"), S("invalid_length")), "NULL");
}

static void test_case_and_length(void **state)
{
    F;
    assert_string_equal(SHOW("upper", S("SparkSql")), "SPARKSQL");
    assert_string_equal(SHOW("lower", S("SparkSql")), "sparksql");
    assert_string_equal(SHOW("initcap", S("sPark sql")), "Spark Sql");
    assert_string_equal(SHOW("length", S("Spark SQL ")), "10");
    assert_string_equal(SHOW("char_length", S("héllo")), "5");
    assert_string_equal(SHOW("octet_length", S("héllo")), "6");
    assert_string_equal(SHOW("bit_length", S("abc")), "24");
}

static void test_concat_family(void **state)
{
    F;
    assert_string_equal(SHOW("concat", S("Spark"), S("SQL")), "SparkSQL");
    assert_string_equal(SHOW("concat", S("a"), fx_null_of(f, lm_type_string())), "NULL");
    assert_string_equal(SHOW("concat", S("a"), I(1)), "a1");
    assert_string_equal(SHOW("concat_ws", S(" "), S("Spark"), fx_null_of(f, lm_type_string()), S("SQL")),
                        "Spark SQL");
}

static void test_search(void **state)
{
    F;
    assert_string_equal(SHOW("instr", S("SparkSQL"), S("SQL")), "6");
    assert_string_equal(SHOW("locate", S("bar"), S("foobarbar")), "4");
    assert_string_equal(SHOW("locate", S("bar"), S("foobarbar"), I(5)), "7");
    assert_string_equal(NAME("locate", S("bar"), S("foobarbar")), "locate(bar, foobarbar, 1)");
    assert_string_equal(SHOW("replace", S("ABCabc"), S("abc"), S("DEF")), "ABCDEF");
    assert_string_equal(NAME("replace", S("abc"), S("b")), "replace(abc, b, )");
    assert_string_equal(SHOW("translate", S("AaBbCc"), S("abc"), S("123")), "A1B2C3");
    assert_string_equal(SHOW("split_part", S("11.12.13"), S("."), I(-1)), "13");
    assert_string_equal(SHOW("split_part", S("11.12.13"), S("."), I(4)), "");
    assert_string_equal(SHOW("split_part", S("11.12.13"), S("."), I(0)), "ERROR:INVALID_INDEX_OF_ZERO");
    assert_string_equal(SHOW("substring_index", S("www.apache.org"), S("."), I(2)), "www.apache");
    assert_string_equal(SHOW("substring_index", S("www.apache.org"), S("."), I(-2)), "apache.org");
    assert_string_equal(SHOW("find_in_set", S("ab"), S("abc,b,ab,c,def")), "3");
    assert_string_equal(SHOW("contains", S("Spark SQL"), S("SPARK")), "false");
    assert_string_equal(SHOW("startswith", S("Spark SQL"), S("Spa")), "true");
    assert_string_equal(SHOW("endswith", S("Spark SQL"), S("QL")), "true");
}

static void test_misc_string(void **state)
{
    F;
    assert_string_equal(SHOW("ascii", S("222")), "50");
    assert_string_equal(SHOW("chr", I(65)), "A");
    assert_string_equal(SHOW("base64", fx_cast(f, S("Spark SQL"), lm_type_binary())), "U3BhcmsgU1FM");
    assert_string_equal(SHOW("unbase64", S("U3BhcmsgU1FM")), "Spark SQL");
    assert_string_equal(SHOW("soundex", S("Miller")), "M460");
    assert_string_equal(SHOW("levenshtein", S("kitten"), S("sitting")), "3");
    assert_string_equal(SHOW("overlay", S("Spark SQL"), S("_"), I(6)), "Spark_SQL");
    assert_string_equal(SHOW("overlay", S("Spark SQL"), S("CORE"), I(7)), "Spark CORE");
    assert_string_equal(SHOW("elt", I(1), S("scala"), S("java")), "scala");
    assert_string_equal(SHOW("reverse", S("Spark SQL")), "LQS krapS");
    assert_string_equal(SHOW("luhn_check", S("79927398713")), "true");
    assert_string_equal(SHOW("mask", S("AbCD123-@$#")), "XxXXnnn-@$#");
    assert_string_equal(SHOW("format_number", fx_dbl(f, 12332.123456), I(4)), "12,332.1235");
    assert_string_equal(SHOW("format_string", S("Hello World %d %s"), I(100), S("days")),
                        "Hello World 100 days");
    assert_string_equal(SHOW("decode", I(2), I(1), S("Southlake"), I(2), S("San Francisco")),
                        "San Francisco");
    assert_string_equal(SHOW("url_encode", S("https://spark.apache.org")),
                        "https%3A%2F%2Fspark.apache.org");
    assert_string_equal(SHOW("parse_url", S("http://spark.apache.org/path?query=1"), S("HOST")),
                        "spark.apache.org");
    assert_string_equal(SHOW("parse_url", S("http://spark.apache.org/path?query=1"), S("QUERY"),
                             S("query")),
                        "1");
    assert_string_equal(SHOW("to_binary", S("abc"), S("utf-8")), "abc");
    assert_string_equal(SHOW("try_to_binary", S("a?"), S("base64")), "NULL");
}

static void test_like_and_regex(void **state)
{
    F;
    assert_string_equal(SHOW("like", S("Spark"), S("_park")), "true");
    assert_string_equal(SHOW("like", S("a%b"), S("a\\%b")), "true");
    assert_string_equal(SHOW("like", S("axb"), S("a\\%b")), "false");
    assert_string_equal(NAME("like", fx_col(f, "s", lm_type_string(), 0), S("%a")), "s LIKE %a");
    assert_string_equal(SHOW("ilike", S("Spark"), S("_PARK")), "true");
    assert_string_equal(SHOW("rlike", S("1a 2b 14m"), S("\\d+b")), "true");
    assert_string_equal(NAME("rlike", S("x"), S("y")), "RLIKE(x, y)");
    assert_string_equal(SHOW("regexp_extract", S("100-200"), S("(\\d+)-(\\d+)"), I(1)), "100");
    assert_string_equal(SHOW("regexp_extract", S("1a 2b 14m"), S("\\d+")),
                        "ERROR:INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX");
    assert_string_equal(SHOW("regexp_extract_all", S("100-200, 300-400"), S("(\\d+)-(\\d+)"), I(1)),
                        "[100, 300]");
    assert_string_equal(SHOW("regexp_replace", S("100-200"), S("(\\d+)"), S("num")), "num-num");
    assert_string_equal(SHOW("regexp_replace", S("abc"), S("(b)"), S("[$1]")), "a[b]c");
    assert_string_equal(SHOW("regexp_count", S("Steven Jones and Stephen Smith are the best players"),
                             S("Ste(v|ph)en")),
                        "2");
    assert_string_equal(SHOW("regexp_instr", S("user@spark.apache.org"), S("@[^.]*")), "5");
    assert_string_equal(SHOW("regexp_substr", S("1a 2b 14m"), S("\\d+")), "1");
    assert_string_equal(SHOW("split", S("oneAtwoBthreeC"), S("[ABC]")), "[one, two, three, ]");
    assert_string_equal(SHOW("split", S("oneAtwoBthreeC"), S("[ABC]"), I(2)), "[one, twoBthreeC]");
    assert_string_equal(SHOW("split", S("hello"), S("")), "[h, e, l, l, o]");
    assert_string_equal(SHOW("regexp_extract", S("x"), S("(?l)")), "ERROR:INVALID_PARAMETER_VALUE.PATTERN");
}

static void test_math_names_and_values(void **state)
{
    F;
    assert_string_equal(NAME("sqrt", I(4)), "SQRT(4)");
    assert_string_equal(SHOW("sqrt", I(4)), "2.0");
    assert_string_equal(NAME("ceiling", I(0)), "ceiling(0)");
    assert_string_equal(NAME("ceil", I(0)), "CEIL(0)");
    lm_expr *c = fx_call(f, "ceil", fx_dec(f, 3, 2, "0.01"), NULL);
    assert_string_equal(fx_type(f, c), "decimal(2,0)");
    assert_string_equal(fx_show(f, c), "1");
    lm_expr *fl = fx_call(f, "floor", fx_dec(f, 3, 2, "-0.10"), NULL);
    assert_string_equal(fx_show(f, fl), "-1");
    assert_string_equal(SHOW("ln", I(1)), "0.0");
    assert_string_equal(SHOW("ln", I(0)), "NULL");
    assert_string_equal(SHOW("log", I(10), I(100)), "2.0");
    assert_string_equal(SHOW("pow", I(2), I(3)), "8.0");
    assert_string_equal(SHOW("pmod", I(-7), I(3)), "2");
    assert_string_equal(SHOW("mod", I(7), I(0)), "NULL");
    assert_string_equal(NAME("mod", I(7), I(2)), "mod(7, 2)");
    assert_string_equal(SHOW("abs", I(-1)), "1");
    assert_string_equal(SHOW("hex", I(17)), "11");
    assert_string_equal(SHOW("hex", S("Spark SQL")), "537061726B2053514C");
    assert_string_equal(SHOW("conv", S("100"), I(2), I(10)), "4");
    assert_string_equal(SHOW("conv", I(-10), I(16), I(-10)), "-16");
    assert_string_equal(SHOW("bin", I(13)), "1101");
    assert_string_equal(SHOW("factorial", I(5)), "120");
    assert_string_equal(SHOW("width_bucket", fx_dbl(f, 5.3), fx_dbl(f, 0.2), fx_dbl(f, 10.6), I(5)), "3");
    assert_string_equal(SHOW("try_add", I(2147483647), I(1)), "NULL");
    assert_string_equal(SHOW("try_divide", I(3), I(2)), "1.5");
    assert_string_equal(SHOW("signum", fx_dbl(f, -3)), "-1.0");
}

static void test_round(void **state)
{
    F;
    assert_string_equal(SHOW("round", fx_dbl(f, 2.5)), "3.0");
    assert_string_equal(SHOW("bround", fx_dbl(f, 2.5)), "2.0");
    assert_string_equal(SHOW("round", fx_dbl(f, 2.675), I(2)), "2.68");
    assert_string_equal(SHOW("round", I(125), I(-1)), "130");
    assert_string_equal(SHOW("bround", I(25), I(-1)), "20");
    lm_expr *d = fx_call(f, "round", fx_dec(f, 3, 1, "2.5"), NULL);
    assert_string_equal(fx_type(f, d), "decimal(3,0)");
    assert_string_equal(fx_show(f, d), "3");
    assert_string_equal(fx_name(f, d), "round(2.5, 0)");
}

static void test_rand_is_seeded(void **state)
{
    F;
    lm_expr *r = fx_call(f, "rand", I(0), NULL);
    lm_func_partition_begin(0);
    double a = fx_eval(f, r).u.f64;
    lm_func_partition_begin(0);
    double b = fx_eval(f, r).u.f64;
    assert_true(a == b);
    assert_true(a >= 0 && a < 1);
}

static void test_conditional(void **state)
{
    F;
    assert_string_equal(SHOW("coalesce", fx_null(f), I(1), I(2)), "1");
    lm_expr *c = fx_call(f, "coalesce", fx_null(f), fx_long(f, 1), NULL);
    assert_string_equal(fx_type(f, c), "bigint");
    assert_string_equal(SHOW("nvl", fx_null(f), S("x")), "x");
    assert_string_equal(SHOW("nvl2", fx_null(f), I(2), I(1)), "1");
    assert_string_equal(SHOW("nullif", I(2), I(2)), "NULL");
    assert_string_equal(SHOW("nullif", I(2), I(3)), "2");
    assert_string_equal(SHOW("if", fx_bool(f, true), I(1), S("x")), "1");
    assert_string_equal(NAME("if", fx_bool(f, true), I(1), I(2)), "(IF(true, 1, 2))");
    assert_string_equal(SHOW("greatest", I(10), I(9), fx_null_of(f, lm_type_int())), "10");
    assert_string_equal(SHOW("least", I(10), I(9), I(2)), "2");
    assert_string_equal(SHOW("typeof", fx_dec(f, 3, 1, "1.0")), "decimal(3,1)");
    /* Spark 3.5: a plain java.lang.RuntimeException with the message, no error class */
    assert_string_equal(SHOW("assert_true", fx_call(f, ">", I(0), I(1), NULL)), "ERROR:?");
    assert_string_equal(f->err.exception, "java.lang.RuntimeException");
    assert_string_equal(SHOW("raise_error", S("boom")), "ERROR:?");
    assert_string_equal(f->err.message, "boom");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_substring_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_left_right, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_trim_forms, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pad_and_repeat, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_and_length, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_concat_family, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_search, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_misc_string, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_like_and_regex, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_math_names_and_values, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_round, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rand_is_seeded, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_conditional, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
