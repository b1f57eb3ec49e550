/*
 * Specification of argument splitting and spark-submit option parsing
 * (localmode/conf/submit.h): Python's shlex.split, the launcher's
 * parseOptionString, and the launcher's option parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "conf/submit.h"

/* Splits s and checks the tokens; expected is NULL-terminated. */
static void assert_split(const char *s, lm_split_mode mode, const char *const *expected)
{
    char **argv;
    int argc;
    lm_error err;
    lm_error_init(&err);
    if (lm_split_args(s, mode, &argv, &argc, &err) != LM_OK)
        fail_msg("split '%s': %s", s, err.message);
    int n = 0;
    while (expected[n] != NULL)
        n++;
    assert_int_equal(argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(argv[i], expected[i]);
    assert_null(argv[argc]);
    lm_args_free(argv, argc);
}

static void assert_split_error(const char *s, lm_split_mode mode, const char *exception,
                               const char *message)
{
    char **argv = (char **)1;
    int argc = -1;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_split_args(s, mode, &argv, &argc, &err), LM_ERROR);
    assert_null(argv);
    assert_int_equal(argc, 0);
    assert_string_equal(err.exception, exception);
    assert_string_equal(err.message, message);
    lm_error_clear(&err);
}

/* Splits with shlex and parses; returns the status, error in *err. */
static lm_status parse_args(const char *s, lm_submit_args *a, lm_error *err)
{
    char **argv;
    int argc;
    assert_int_equal(lm_split_args(s, LM_SPLIT_SHLEX, &argv, &argc, NULL), LM_OK);
    lm_status st = lm_submit_args_parse(argc, argv, a, err);
    lm_args_free(argv, argc);
    return st;
}

static void assert_parse_error(const char *s, const char *message)
{
    lm_submit_args a;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(parse_args(s, &a, &err), LM_ERROR);
    assert_string_equal(err.message, message);
    lm_error_clear(&err);
    lm_submit_args_free(&a);
}

/* --------------------------------------------------------------- shlex */

static void test_shlex_splits_on_whitespace(void **state)
{
    (void)state;
    assert_split("--master local[2]  pyspark-shell",
                 LM_SPLIT_SHLEX, (const char *[]){"--master", "local[2]", "pyspark-shell", NULL});
    assert_split(" \t\n a\r\nb ", LM_SPLIT_SHLEX, (const char *[]){"a", "b", NULL});
    assert_split("", LM_SPLIT_SHLEX, (const char *[]){NULL});
    assert_split("   ", LM_SPLIT_SHLEX, (const char *[]){NULL});
}

static void test_shlex_quotes_group_and_join(void **state)
{
    (void)state;
    assert_split("--conf \"spark.x=a b\" pyspark-shell", LM_SPLIT_SHLEX,
                 (const char *[]){"--conf", "spark.x=a b", "pyspark-shell", NULL});
    assert_split("'a b'c\"d e\"", LM_SPLIT_SHLEX, (const char *[]){"a bcd e", NULL});
    assert_split("'' \"\"", LM_SPLIT_SHLEX, (const char *[]){"", "", NULL});
    assert_split("'a\\b'", LM_SPLIT_SHLEX, (const char *[]){"a\\b", NULL});
    assert_split("'#x'", LM_SPLIT_SHLEX, (const char *[]){"#x", NULL});
    assert_split("a#b", LM_SPLIT_SHLEX, (const char *[]){"a#b", NULL});
}

static void test_shlex_backslash_rules(void **state)
{
    (void)state;
    assert_split("a\\ b", LM_SPLIT_SHLEX, (const char *[]){"a b", NULL});
    assert_split("\\'x", LM_SPLIT_SHLEX, (const char *[]){"'x", NULL});
    assert_split("\"a\\\"b\"", LM_SPLIT_SHLEX, (const char *[]){"a\"b", NULL});
    assert_split("\"a\\\\b\"", LM_SPLIT_SHLEX, (const char *[]){"a\\b", NULL});
    assert_split("\"a\\nb\"", LM_SPLIT_SHLEX, (const char *[]){"a\\nb", NULL});
}

static void test_shlex_errors_are_pythons(void **state)
{
    (void)state;
    assert_split_error("--conf \"spark.x=1", LM_SPLIT_SHLEX, "ValueError", "No closing quotation");
    assert_split_error("'abc", LM_SPLIT_SHLEX, "ValueError", "No closing quotation");
    assert_split_error("abc\\", LM_SPLIT_SHLEX, "ValueError", "No escaped character");
    assert_split_error("\"abc\\", LM_SPLIT_SHLEX, "ValueError", "No escaped character");
}

/* ---------------------------------------------------------- java opts */

static void test_java_opts_split_like_the_launcher(void **state)
{
    (void)state;
    assert_split("-Dspark.a=1   -Xmx1g", LM_SPLIT_JAVA_OPTS,
                 (const char *[]){"-Dspark.a=1", "-Xmx1g", NULL});
    assert_split("-Dspark.b=\"x y\" 'it''s'", LM_SPLIT_JAVA_OPTS,
                 (const char *[]){"-Dspark.b=x y", "its", NULL});
    assert_split("\"a\\\"b\" \"c\\d\"", LM_SPLIT_JAVA_OPTS, (const char *[]){"a\"b", "cd", NULL});
    assert_split("'a\\b'", LM_SPLIT_JAVA_OPTS, (const char *[]){"a\\b", NULL});
    assert_split("\\ x", LM_SPLIT_JAVA_OPTS, (const char *[]){" x", NULL});
}

static void test_java_opts_errors_name_the_string(void **state)
{
    (void)state;
    assert_split_error("-Da='x", LM_SPLIT_JAVA_OPTS, "java.lang.IllegalArgumentException",
                       "Invalid option string: -Da='x");
    assert_split_error("-Da=x\\", LM_SPLIT_JAVA_OPTS, "java.lang.IllegalArgumentException",
                       "Invalid option string: -Da=x\\");
}

/* -------------------------------------------------------- submit args */

static void test_options_map_to_conf_keys(void **state)
{
    (void)state;
    lm_submit_args a;
    assert_int_equal(parse_args("--master local[2] --name etl --driver-memory 2g "
                                "--executor-memory 3g --packages g:a:1 --jars a.jar "
                                "--py-files x.py --deploy-mode client pyspark-shell",
                                &a, NULL),
                     LM_OK);
    assert_string_equal(lm_conf_get(a.options, "spark.master"), "local[2]");
    assert_string_equal(lm_conf_get(a.options, "spark.app.name"), "etl");
    assert_string_equal(lm_conf_get(a.options, "spark.driver.memory"), "2g");
    assert_string_equal(lm_conf_get(a.options, "spark.executor.memory"), "3g");
    assert_string_equal(lm_conf_get(a.options, "spark.jars.packages"), "g:a:1");
    assert_string_equal(lm_conf_get(a.options, "spark.jars"), "a.jar");
    assert_string_equal(lm_conf_get(a.options, "spark.submit.pyFiles"), "x.py");
    assert_string_equal(lm_conf_get(a.options, "spark.submit.deployMode"), "client");
    assert_string_equal(a.app_resource, "pyspark-shell");
    assert_int_equal(a.napp_args, 0);
    assert_false(a.special);
    lm_submit_args_free(&a);
}

static void test_conf_pairs_split_at_the_first_equals(void **state)
{
    (void)state;
    lm_submit_args a;
    assert_int_equal(parse_args("--conf spark.a=1 -c spark.b=x=y --conf=spark.c=2 "
                                "--conf spark.a=3 --conf spark.e= pyspark-shell",
                                &a, NULL),
                     LM_OK);
    assert_string_equal(lm_conf_get(a.confs, "spark.a"), "3");
    assert_string_equal(lm_conf_get(a.confs, "spark.b"), "x=y");
    assert_string_equal(lm_conf_get(a.confs, "spark.c"), "2");
    assert_string_equal(lm_conf_get(a.confs, "spark.e"), "");
    lm_submit_args_free(&a);
}

static void test_option_value_may_be_glued_with_equals(void **state)
{
    (void)state;
    lm_submit_args a;
    assert_int_equal(parse_args("--master=local[4] --properties-file=/x.conf pyspark-shell", &a,
                                NULL),
                     LM_OK);
    assert_string_equal(lm_conf_get(a.options, "spark.master"), "local[4]");
    assert_string_equal(a.properties_file, "/x.conf");
    lm_submit_args_free(&a);
}

static void test_conf_key_and_value_as_two_arguments_is_refused(void **state)
{
    (void)state;
    assert_parse_error("--conf spark.x 1 pyspark-shell", "Invalid argument to --conf: spark.x");
}

static void test_option_without_value_is_refused(void **state)
{
    (void)state;
    assert_parse_error("--name", "Missing argument for option '--name'.");
    assert_parse_error("--conf spark.a=1 --driver-memory",
                       "Missing argument for option '--driver-memory'.");
    /* "--opt=" has no value to glue, so it is not an option at all. */
    assert_parse_error("--driver-memory= pyspark-shell", "Unrecognized option: --driver-memory=");
}

static void test_unknown_option_is_refused(void **state)
{
    (void)state;
    assert_parse_error("--foo bar pyspark-shell", "Unrecognized option: --foo");
    assert_parse_error("--foo=bar pyspark-shell", "Unrecognized option: --foo");
    assert_parse_error("--conf= pyspark-shell", "Unrecognized option: --conf=");
}

static void test_missing_resource_is_refused(void **state)
{
    (void)state;
    assert_parse_error("--master local[2]", "Missing application resource.");
    assert_parse_error("", "Missing application resource.");
    assert_parse_error("--master", "Missing argument for option '--master'.");
    assert_parse_error("--conf", "Missing argument for option '--conf'.");
}

static void test_arguments_after_the_resource_belong_to_the_application(void **state)
{
    (void)state;
    lm_submit_args a;
    assert_int_equal(parse_args("--master local pyspark-shell --master local[8] x", &a, NULL),
                     LM_OK);
    assert_string_equal(lm_conf_get(a.options, "spark.master"), "local");
    assert_int_equal(a.napp_args, 3);
    assert_string_equal(a.app_args[0], "--master");
    assert_string_equal(a.app_args[1], "local[8]");
    assert_string_equal(a.app_args[2], "x");
    lm_submit_args_free(&a);
}

static void test_help_and_version_need_no_resource(void **state)
{
    (void)state;
    const char *cases[] = {"--help", "-h", "--version", "--usage-error", "--status id",
                           "--kill id"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lm_submit_args a;
        assert_int_equal(parse_args(cases[i], &a, NULL), LM_OK);
        assert_true(a.special);
        lm_submit_args_free(&a);
    }
}

static void test_switches_take_no_value(void **state)
{
    (void)state;
    lm_submit_args a;
    assert_int_equal(parse_args("--verbose -v --supervise pyspark-shell", &a, NULL), LM_OK);
    assert_string_equal(lm_conf_get(a.options, "spark.driver.supervise"), "true");
    assert_string_equal(a.app_resource, "pyspark-shell");
    lm_submit_args_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shlex_splits_on_whitespace),
        cmocka_unit_test(test_shlex_quotes_group_and_join),
        cmocka_unit_test(test_shlex_backslash_rules),
        cmocka_unit_test(test_shlex_errors_are_pythons),
        cmocka_unit_test(test_java_opts_split_like_the_launcher),
        cmocka_unit_test(test_java_opts_errors_name_the_string),
        cmocka_unit_test(test_options_map_to_conf_keys),
        cmocka_unit_test(test_conf_pairs_split_at_the_first_equals),
        cmocka_unit_test(test_option_value_may_be_glued_with_equals),
        cmocka_unit_test(test_conf_key_and_value_as_two_arguments_is_refused),
        cmocka_unit_test(test_option_without_value_is_refused),
        cmocka_unit_test(test_unknown_option_is_refused),
        cmocka_unit_test(test_missing_resource_is_refused),
        cmocka_unit_test(test_arguments_after_the_resource_belong_to_the_application),
        cmocka_unit_test(test_help_and_version_need_no_resource),
        cmocka_unit_test(test_switches_take_no_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
