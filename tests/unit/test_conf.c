/*
 * Specification of the configuration store, Spark's value parsers and the
 * known-key table (localmode/conf/conf.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "localmode.h"

static const char BYTE_ERROR[] =
    "Size must be specified as bytes (b), kibibytes (k), mebibytes (m), gibibytes (g), "
    "tebibytes (t), or pebibytes(p). E.g. 50b, 100k, or 250m.\n";
static const char TIME_ERROR[] =
    "Time must be specified as seconds (s), milliseconds (ms), microseconds (us), "
    "minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.\n";

static void assert_error(lm_error *err, const char *exception, const char *message)
{
    assert_int_equal(err->status, LM_ERROR);
    assert_non_null(err->message);
    assert_string_equal(err->message, message);
    if (exception != NULL)
        assert_string_equal(err->exception, exception);
    lm_error_clear(err);
}

/* Error message of a byte/time failure: the fixed help text, a newline, detail. */
static char *with_prefix(const char *prefix, const char *detail)
{
    size_t n = strlen(prefix) + strlen(detail) + 1;
    char *s = malloc(n);
    strcpy(s, prefix);
    strcat(s, detail);
    return s;
}

static void assert_bytes_error(const char *input, lm_byte_unit unit, const char *detail)
{
    lm_error err;
    lm_error_init(&err);
    int64_t v = 0;
    assert_int_equal(lm_conf_parse_bytes(input, unit, &v, &err), LM_ERROR);
    char *expected = with_prefix(BYTE_ERROR, detail);
    assert_error(&err, LM_EXC_JAVA_NUMBER_FORMAT, expected);
    free(expected);
}

static void assert_time_error(const char *input, lm_time_unit unit, const char *detail)
{
    lm_error err;
    lm_error_init(&err);
    int64_t v = 0;
    assert_int_equal(lm_conf_parse_time(input, unit, &v, &err), LM_ERROR);
    char *expected = with_prefix(TIME_ERROR, detail);
    assert_error(&err, LM_EXC_JAVA_NUMBER_FORMAT, expected);
    free(expected);
}

static int64_t bytes_of(const char *input, lm_byte_unit unit)
{
    int64_t v = -12345;
    assert_int_equal(lm_conf_parse_bytes(input, unit, &v, NULL), LM_OK);
    return v;
}

static int64_t time_of(const char *input, lm_time_unit unit)
{
    int64_t v = -12345;
    assert_int_equal(lm_conf_parse_time(input, unit, &v, NULL), LM_OK);
    return v;
}

/* ------------------------------------------------------------ the store */

static void test_new_conf_is_empty(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    assert_int_equal(lm_conf_size(c), 0);
    assert_null(lm_conf_get(c, "spark.master"));
    assert_false(lm_conf_contains(c, "spark.master"));
    assert_false(lm_conf_at(c, 0, NULL, NULL));
    lm_conf_free(c);
}

static void test_set_then_get_returns_a_copy(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    char key[] = "spark.app.name", value[] = "etl";
    assert_int_equal(lm_conf_set(c, key, value), LM_OK);
    key[0] = 'X';
    value[0] = 'X';
    assert_string_equal(lm_conf_get(c, "spark.app.name"), "etl");
    lm_conf_free(c);
}

static void test_set_existing_key_replaces_value_and_keeps_position(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "a", "1");
    lm_conf_set(c, "b", "2");
    lm_conf_set(c, "a", "3");
    const char *k, *v;
    assert_int_equal(lm_conf_size(c), 2);
    assert_true(lm_conf_at(c, 0, &k, &v));
    assert_string_equal(k, "a");
    assert_string_equal(v, "3");
    assert_true(lm_conf_at(c, 1, &k, &v));
    assert_string_equal(k, "b");
    lm_conf_free(c);
}

static void test_keys_iterate_in_insertion_order(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    const char *keys[] = {"z", "spark.b", "a", "spark.a"};
    for (int i = 0; i < 4; i++)
        lm_conf_set(c, keys[i], "v");
    const char *k;
    for (size_t i = 0; i < 4; i++) {
        assert_true(lm_conf_at(c, i, &k, NULL));
        assert_string_equal(k, keys[i]);
    }
    assert_false(lm_conf_at(c, 4, &k, NULL));
    lm_conf_free(c);
}

static void test_unset_removes_key_and_keeps_order_of_others(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "a", "1");
    lm_conf_set(c, "b", "2");
    lm_conf_set(c, "c", "3");
    lm_conf_unset(c, "b");
    lm_conf_unset(c, "absent");
    const char *k;
    assert_int_equal(lm_conf_size(c), 2);
    lm_conf_at(c, 0, &k, NULL);
    assert_string_equal(k, "a");
    lm_conf_at(c, 1, &k, NULL);
    assert_string_equal(k, "c");
    assert_null(lm_conf_get(c, "b"));
    lm_conf_free(c);
}

static void test_set_refuses_null_key_or_value(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    assert_int_equal(lm_conf_set(c, NULL, "v"), LM_ERROR);
    assert_int_equal(lm_conf_set(c, "k", NULL), LM_ERROR);
    assert_int_equal(lm_conf_set(NULL, "k", "v"), LM_ERROR);
    assert_int_equal(lm_conf_size(c), 0);
    lm_conf_free(c);
}

static void test_empty_value_is_stored(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.key", "");
    assert_string_equal(lm_conf_get(c, "spark.sql.key"), "");
    assert_true(lm_conf_contains(c, "spark.sql.key"));
    lm_conf_free(c);
}

static void test_set_if_missing_keeps_existing_value(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[2]");
    lm_conf_set_if_missing(c, "spark.master", "local[*]");
    lm_conf_set_if_missing(c, "spark.app.name", "x");
    assert_string_equal(lm_conf_get(c, "spark.master"), "local[2]");
    assert_string_equal(lm_conf_get(c, "spark.app.name"), "x");
    lm_conf_free(c);
}

static void test_copy_is_independent(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "a", "1");
    lm_conf *d = lm_conf_copy(c);
    lm_conf_set(c, "a", "2");
    lm_conf_set(d, "b", "3");
    assert_string_equal(lm_conf_get(d, "a"), "1");
    assert_null(lm_conf_get(c, "b"));
    lm_conf_free(c);
    lm_conf_free(d);
    lm_conf *e = lm_conf_copy(NULL);
    assert_int_equal(lm_conf_size(e), 0);
    lm_conf_free(e);
}

static void test_merge_keeps_existing_unless_overwrite(void **state)
{
    (void)state;
    lm_conf *dst = lm_conf_new(), *src = lm_conf_new();
    lm_conf_set(dst, "a", "dst");
    lm_conf_set(src, "a", "src");
    lm_conf_set(src, "b", "src");
    assert_int_equal(lm_conf_merge(dst, src, false), LM_OK);
    assert_string_equal(lm_conf_get(dst, "a"), "dst");
    assert_string_equal(lm_conf_get(dst, "b"), "src");
    assert_int_equal(lm_conf_merge(dst, src, true), LM_OK);
    assert_string_equal(lm_conf_get(dst, "a"), "src");
    assert_int_equal(lm_conf_merge(dst, NULL, true), LM_OK);
    assert_int_equal(lm_conf_size(dst), 2);
    lm_conf_free(dst);
    lm_conf_free(src);
}

static void test_store_holds_many_keys_and_long_values(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "spark.k%d", i);
        assert_int_equal(lm_conf_set(c, key, key), LM_OK);
    }
    assert_int_equal(lm_conf_size(c), 1000);
    assert_string_equal(lm_conf_get(c, "spark.k999"), "spark.k999");
    size_t n = 100000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    assert_int_equal(lm_conf_set(c, big, big), LM_OK);
    assert_int_equal(strlen(lm_conf_get(c, big)), n);
    free(big);
    lm_conf_free(c);
}

/* -------------------------------------------------------------- parsing */

static void test_bool_accepts_true_false_in_any_case_with_blanks(void **state)
{
    (void)state;
    bool b = false;
    assert_int_equal(lm_conf_parse_bool("k", "true", &b, NULL), LM_OK);
    assert_true(b);
    assert_int_equal(lm_conf_parse_bool("k", " FALSE ", &b, NULL), LM_OK);
    assert_false(b);
    assert_int_equal(lm_conf_parse_bool("k", "TrUe", &b, NULL), LM_OK);
    assert_true(b);
}

static void test_bool_rejects_other_words_with_spark_message(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    bool b;
    assert_int_equal(lm_conf_parse_bool("spark.sql.caseSensitive", "10", &b, &err), LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "spark.sql.caseSensitive should be boolean, but was 10");
    assert_int_equal(lm_conf_parse_bool("spark.sql.ansi.enabled", "yes", &b, &err), LM_ERROR);
    assert_error(&err, NULL, "spark.sql.ansi.enabled should be boolean, but was yes");
    assert_int_equal(lm_conf_parse_bool("k", "", &b, &err), LM_ERROR);
    assert_error(&err, NULL, "k should be boolean, but was ");
}

static void test_int_parses_java_integers(void **state)
{
    (void)state;
    int32_t v = 0;
    assert_int_equal(lm_conf_parse_int("k", "200", &v, NULL), LM_OK);
    assert_int_equal(v, 200);
    assert_int_equal(lm_conf_parse_int("k", " 42\t", &v, NULL), LM_OK);
    assert_int_equal(v, 42);
    assert_int_equal(lm_conf_parse_int("k", "+5", &v, NULL), LM_OK);
    assert_int_equal(v, 5);
    assert_int_equal(lm_conf_parse_int("k", "-2147483648", &v, NULL), LM_OK);
    assert_int_equal(v, INT32_MIN);
}

static void test_int_rejects_overflow_and_text_with_spark_message(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    int32_t v;
    assert_int_equal(lm_conf_parse_int("spark.sql.shuffle.partitions", "2147483648", &v, &err),
                     LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "spark.sql.shuffle.partitions should be int, but was 2147483648");
    assert_int_equal(lm_conf_parse_int("k", "1.0", &v, &err), LM_ERROR);
    assert_error(&err, NULL, "k should be int, but was 1.0");
    assert_int_equal(lm_conf_parse_int("k", "-", &v, &err), LM_ERROR);
    assert_error(&err, NULL, "k should be int, but was -");
}

static void test_long_covers_64_bits(void **state)
{
    (void)state;
    int64_t v;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_conf_parse_long("k", "9223372036854775807", &v, NULL), LM_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(lm_conf_parse_long("k", "-9223372036854775808", &v, NULL), LM_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(lm_conf_parse_long("k", "9223372036854775808", &v, &err), LM_ERROR);
    assert_error(&err, NULL, "k should be long, but was 9223372036854775808");
}

static void test_double_follows_java_grammar(void **state)
{
    (void)state;
    double d;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_conf_parse_double("k", "1.5", &d, NULL), LM_OK);
    assert_true(d == 1.5);
    assert_int_equal(lm_conf_parse_double("k", "1e3", &d, NULL), LM_OK);
    assert_true(d == 1000.0);
    assert_int_equal(lm_conf_parse_double("k", ".5", &d, NULL), LM_OK);
    assert_true(d == 0.5);
    assert_int_equal(lm_conf_parse_double("k", "2d", &d, NULL), LM_OK);
    assert_true(d == 2.0);
    assert_int_equal(lm_conf_parse_double("k", "0x1p3", &d, NULL), LM_OK);
    assert_true(d == 8.0);
    assert_int_equal(lm_conf_parse_double("k", "-Infinity", &d, NULL), LM_OK);
    assert_true(isinf(d) && d < 0);
    assert_int_equal(lm_conf_parse_double("k", "NaN", &d, NULL), LM_OK);
    assert_true(isnan(d));
    const char *bad[] = {"inf", "nan", "1e", ".", "", "1.5x", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(lm_conf_parse_double("k", bad[i], &d, &err), LM_ERROR);
        lm_error_clear(&err);
    }
    assert_int_equal(lm_conf_parse_double("k", "inf", &d, &err), LM_ERROR);
    assert_error(&err, NULL, "k should be double, but was inf");
}

static void test_bytes_use_suffix_or_default_unit(void **state)
{
    (void)state;
    assert_int_equal(bytes_of("512m", LM_BYTE_MIB), 512);
    assert_int_equal(bytes_of("2g", LM_BYTE_MIB), 2048);
    assert_int_equal(bytes_of("1k", LM_BYTE_B), 1024);
    assert_int_equal(bytes_of("10MB", LM_BYTE_B), 10485760);
    assert_int_equal(bytes_of("100", LM_BYTE_MIB), 100);
    assert_int_equal(bytes_of(" 4G ", LM_BYTE_GIB), 4);
    assert_int_equal(bytes_of("1p", LM_BYTE_TIB), 1024);
    assert_int_equal(bytes_of("0b", LM_BYTE_B), 0);
}

static void test_bytes_truncate_when_converting_to_a_larger_unit(void **state)
{
    (void)state;
    assert_int_equal(bytes_of("1500k", LM_BYTE_MIB), 1);
    assert_int_equal(bytes_of("1023b", LM_BYTE_KIB), 0);
}

static void test_bytes_accept_a_leading_minus(void **state)
{
    (void)state;
    assert_int_equal(bytes_of("-1", LM_BYTE_B), -1);
    assert_int_equal(bytes_of("-2k", LM_BYTE_B), -2048);
}

static void test_bytes_errors_carry_spark_texts(void **state)
{
    (void)state;
    assert_bytes_error("1.5g", LM_BYTE_B, "Fractional values are not supported. Input was: 1.5");
    assert_bytes_error("5x", LM_BYTE_B, "Invalid suffix: \"x\"");
    assert_bytes_error("abc", LM_BYTE_B, "Failed to parse byte string: abc");
    assert_bytes_error(" 5 G", LM_BYTE_B, "Failed to parse byte string:  5 G");
    assert_bytes_error("", LM_BYTE_B, "Failed to parse byte string: ");
    assert_bytes_error("99999999999999999999", LM_BYTE_B,
                       "For input string: \"99999999999999999999\"");
}

static void test_bytes_overflow_names_the_unit(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    int64_t v;
    assert_int_equal(lm_conf_parse_bytes("8589934592g", LM_BYTE_B, &v, &err), LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "Conversion of 8589934592 exceeded Long.MAX_VALUE in GiB. Try a larger unit "
                 "(e.g. MiB instead of KiB)");
}

static void test_time_uses_suffix_or_default_unit(void **state)
{
    (void)state;
    assert_int_equal(time_of("10s", LM_TIME_MS), 10000);
    assert_int_equal(time_of("100ms", LM_TIME_MS), 100);
    assert_int_equal(time_of("100ms", LM_TIME_S), 0);
    assert_int_equal(time_of("5min", LM_TIME_S), 300);
    assert_int_equal(time_of("5m", LM_TIME_S), 300);
    assert_int_equal(time_of("2h", LM_TIME_MIN), 120);
    assert_int_equal(time_of("1d", LM_TIME_H), 24);
    assert_int_equal(time_of("250us", LM_TIME_NS), 250000);
    assert_int_equal(time_of("30", LM_TIME_S), 30);
    assert_int_equal(time_of("-5s", LM_TIME_MS), -5000);
    assert_int_equal(time_of(" 7S ", LM_TIME_S), 7);
}

static void test_time_saturates_on_overflow(void **state)
{
    (void)state;
    assert_true(time_of("9223372036854775807d", LM_TIME_MS) == INT64_MAX);
    assert_true(time_of("-9223372036854775807d", LM_TIME_MS) == INT64_MIN);
}

static void test_time_errors_carry_spark_texts(void **state)
{
    (void)state;
    assert_time_error("10 s", LM_TIME_MS, "Failed to parse time string: 10 s");
    assert_time_error("10sec", LM_TIME_MS, "Invalid suffix: \"sec\"");
    assert_time_error("10ns", LM_TIME_MS, "Invalid suffix: \"ns\"");
    assert_time_error("1.5s", LM_TIME_MS, "Failed to parse time string: 1.5s");
    assert_time_error("99999999999999999999s", LM_TIME_MS,
                      "For input string: \"99999999999999999999\"");
}

/* ----------------------------------------------------------- known keys */

static void test_known_table_is_sorted_unique_and_documented(void **state)
{
    (void)state;
    assert_true(lm_conf_known_count() > 40);
    for (size_t i = 0; i < lm_conf_known_count(); i++) {
        const lm_conf_entry *e = lm_conf_known_at(i);
        assert_non_null(e->doc);
        assert_true(strlen(e->doc) > 0);
        if (i > 0)
            assert_true(strcmp(lm_conf_known_at(i - 1)->key, e->key) < 0);
        if (e->default_value != NULL)
            assert_int_equal(lm_conf_validate(e->key, e->default_value, NULL), LM_OK);
        if (e->type == LM_CONF_ENUM)
            assert_non_null(e->values);
    }
    assert_null(lm_conf_known_at(lm_conf_known_count()));
}

static void test_known_defaults_are_spark_35s(void **state)
{
    (void)state;
    static const struct {
        const char *key, *dflt;
    } expected[] = {
        {"spark.master", "local[*]"},
        {"spark.sql.shuffle.partitions", "200"},
        {"spark.sql.ansi.enabled", "false"},
        {"spark.sql.caseSensitive", "false"},
        {"spark.task.maxFailures", "4"},
        {"spark.task.cpus", "1"},
        {"spark.driver.memory", "1g"},
        {"spark.local.dir", "/tmp"},
        {"spark.sql.autoBroadcastJoinThreshold", "10MB"},
        {"spark.sql.legacy.ctePrecedencePolicy", "EXCEPTION"},
        {"spark.sql.legacy.nullInEmptyListBehavior", "true"},
        {"spark.sql.legacy.setopsPrecedence.enabled", "false"},
        {"spark.sql.codegen.factoryMode", "FALLBACK"},
        {"spark.sql.optimizer.windowGroupLimitThreshold", "1000"},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const lm_conf_entry *e = lm_conf_known(expected[i].key);
        assert_non_null(e);
        assert_string_equal(e->default_value, expected[i].dflt);
    }
    /* Computed at startup or optional: no static default. */
    assert_null(lm_conf_known("spark.sql.session.timeZone")->default_value);
    assert_null(lm_conf_known("spark.default.parallelism")->default_value);
    assert_null(lm_conf_known("spark.localmode.chaos.seed")->default_value);
    assert_null(lm_conf_known("spark.sql.leafNodeDefaultParallelism")->default_value);
    assert_null(lm_conf_known("spark.unknown.key"));
}

static void test_known_table_covers_conformance_corpus_keys(void **state)
{
    (void)state;
    /* Every key the SQL corpus sets (grep "set spark." and --CONFIG_DIM). */
    const char *keys[] = {
        "spark.sql.codegen.wholeStage",
        "spark.sql.optimizeNullAwareAntiJoin",
        "spark.sql.codegen.factoryMode",
        "spark.sql.autoBroadcastJoinThreshold",
        "spark.sql.legacy.nullInEmptyListBehavior",
        "spark.sql.join.preferSortMergeJoin",
        "spark.sql.join.forceApplyShuffledHashJoin",
        "spark.sql.optimizer.windowGroupLimitThreshold",
        "spark.sql.optimizer.optimizeOneRowRelationSubquery.alwaysInline",
        "spark.sql.legacy.setopsPrecedence.enabled",
        "spark.sql.legacy.percentileDiscCalculation",
        "spark.sql.legacy.allowStarWithSingleTableIdentifierInCount",
        "spark.sql.legacy.allowParameterlessCount",
        "spark.sql.function.eltOutputAsString",
        "spark.sql.function.concatBinaryAsString",
        "spark.sql.orderByOrdinal",
        "spark.sql.legacy.ctePrecedencePolicy",
        "spark.sql.leafNodeDefaultParallelism",
        "spark.sql.groupByOrdinal",
        "spark.localmode.chaos.seed",
        "spark.localmode.chaos.failTasks",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_non_null(lm_conf_known(keys[i]));
}

static void test_validate_checks_type_of_known_keys(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_conf_validate("spark.sql.caseSensitive", "10", &err), LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "spark.sql.caseSensitive should be boolean, but was 10");
    assert_int_equal(lm_conf_validate("spark.sql.shuffle.partitions", "many", &err), LM_ERROR);
    assert_error(&err, NULL, "spark.sql.shuffle.partitions should be int, but was many");
    assert_int_equal(lm_conf_validate("spark.localmode.chaos.seed", "x", &err), LM_ERROR);
    assert_error(&err, NULL, "spark.localmode.chaos.seed should be long, but was x");
    assert_int_equal(lm_conf_validate("spark.driver.memory", "2x", &err), LM_ERROR);
    assert_non_null(strstr(err.message, "Invalid suffix: \"x\""));
    lm_error_clear(&err);
    assert_int_equal(lm_conf_validate("spark.sql.shuffle.partitions", " 8 ", NULL), LM_OK);
}

static void test_validate_checks_ranges_with_spark_message(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_conf_validate("spark.sql.shuffle.partitions", "0", &err), LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "'0' in spark.sql.shuffle.partitions is invalid. The value of "
                 "spark.sql.shuffle.partitions must be positive");
    assert_int_equal(lm_conf_validate("spark.sql.leafNodeDefaultParallelism", "-2", &err),
                     LM_ERROR);
    assert_error(&err, NULL,
                 "'-2' in spark.sql.leafNodeDefaultParallelism is invalid. The value of "
                 "spark.sql.leafNodeDefaultParallelism must be positive.");
}

static void test_validate_checks_enum_values_after_case_folding(void **state)
{
    (void)state;
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_conf_validate("spark.sql.legacy.ctePrecedencePolicy", "corrected", NULL),
                     LM_OK);
    assert_int_equal(lm_conf_validate("spark.sql.legacy.ctePrecedencePolicy", "foo", &err),
                     LM_ERROR);
    assert_error(&err, "java.lang.IllegalArgumentException",
                 "The value of spark.sql.legacy.ctePrecedencePolicy should be one of EXCEPTION, "
                 "LEGACY, CORRECTED, but was FOO");
    assert_int_equal(lm_conf_validate("spark.sql.codegen.factoryMode", "no_codegen", NULL),
                     LM_OK);
}

static void test_validate_accepts_any_value_of_unknown_keys(void **state)
{
    (void)state;
    assert_int_equal(lm_conf_validate("spark.my.flag", "whatever", NULL), LM_OK);
    assert_int_equal(lm_conf_validate("not.spark", "\xff\xfe", NULL), LM_OK);
    assert_int_equal(lm_conf_validate("spark.app.name", "\xff", NULL), LM_OK);
}

static void test_get_or_default_prefers_set_value(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    assert_string_equal(lm_conf_get_or_default(c, "spark.sql.shuffle.partitions"), "200");
    assert_string_equal(lm_conf_get_or_default(NULL, "spark.sql.ansi.enabled"), "false");
    lm_conf_set(c, "spark.sql.shuffle.partitions", "4");
    assert_string_equal(lm_conf_get_or_default(c, "spark.sql.shuffle.partitions"), "4");
    assert_null(lm_conf_get_or_default(c, "spark.unknown"));
    lm_conf_free(c);
}

static void test_typed_getters_fall_back_to_known_default_then_caller_default(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    int32_t i = 0;
    bool b = true;
    int64_t l = 0;
    double d = 0;
    assert_int_equal(lm_conf_get_int(c, "spark.sql.shuffle.partitions", 7, &i, NULL), LM_OK);
    assert_int_equal(i, 200);
    assert_int_equal(lm_conf_get_int(c, "spark.default.parallelism", 3, &i, NULL), LM_OK);
    assert_int_equal(i, 3);
    assert_int_equal(lm_conf_get_bool(c, "spark.sql.ansi.enabled", true, &b, NULL), LM_OK);
    assert_false(b);
    assert_int_equal(lm_conf_get_long(c, "spark.localmode.chaos.seed", -1, &l, NULL), LM_OK);
    assert_int_equal(l, -1);
    assert_int_equal(lm_conf_get_double(c, "spark.my.ratio", 0.25, &d, NULL), LM_OK);
    assert_true(d == 0.25);
    lm_conf_set(c, "spark.sql.shuffle.partitions", "8");
    lm_conf_set(c, "spark.sql.ansi.enabled", "TRUE");
    lm_conf_set(c, "spark.my.ratio", "0.5");
    assert_int_equal(lm_conf_get_int(c, "spark.sql.shuffle.partitions", 7, &i, NULL), LM_OK);
    assert_int_equal(i, 8);
    assert_int_equal(lm_conf_get_bool(c, "spark.sql.ansi.enabled", false, &b, NULL), LM_OK);
    assert_true(b);
    assert_int_equal(lm_conf_get_double(c, "spark.my.ratio", 0.25, &d, NULL), LM_OK);
    assert_true(d == 0.5);
    lm_conf_free(c);
}

static void test_bytes_getter_reads_bare_numbers_in_the_keys_unit(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    int64_t v = 0;
    assert_int_equal(lm_conf_get_bytes(c, "spark.driver.memory", LM_BYTE_B, 0, &v, NULL), LM_OK);
    assert_true(v == 1073741824LL);
    lm_conf_set(c, "spark.driver.memory", "512");
    assert_int_equal(lm_conf_get_bytes(c, "spark.driver.memory", LM_BYTE_B, 0, &v, NULL), LM_OK);
    assert_true(v == 536870912LL);
    assert_int_equal(lm_conf_get_bytes(c, "spark.driver.memory", LM_BYTE_GIB, 0, &v, NULL),
                     LM_OK);
    assert_int_equal(v, 0);
    lm_conf_set(c, "spark.sql.autoBroadcastJoinThreshold", "-1");
    assert_int_equal(
        lm_conf_get_bytes(c, "spark.sql.autoBroadcastJoinThreshold", LM_BYTE_B, 0, &v, NULL),
        LM_OK);
    assert_int_equal(v, -1);
    lm_conf_free(c);
}

static void test_time_getter_converts_to_requested_unit(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    int64_t v = 0;
    lm_conf_set(c, "spark.network.timeout", "2min");
    assert_int_equal(lm_conf_get_time(c, "spark.network.timeout", LM_TIME_MS, 0, &v, NULL),
                     LM_OK);
    assert_int_equal(v, 120000);
    assert_int_equal(lm_conf_get_time(c, "spark.absent", LM_TIME_MS, 5, &v, NULL), LM_OK);
    assert_int_equal(v, 5);
    lm_conf_free(c);
}

static void test_getters_report_malformed_values(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    lm_error err;
    lm_error_init(&err);
    int32_t i;
    lm_conf_set(c, "spark.sql.shuffle.partitions", "lots");
    assert_int_equal(lm_conf_get_int(c, "spark.sql.shuffle.partitions", 1, &i, &err), LM_ERROR);
    assert_error(&err, NULL, "spark.sql.shuffle.partitions should be int, but was lots");
    lm_conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_conf_is_empty),
        cmocka_unit_test(test_set_then_get_returns_a_copy),
        cmocka_unit_test(test_set_existing_key_replaces_value_and_keeps_position),
        cmocka_unit_test(test_keys_iterate_in_insertion_order),
        cmocka_unit_test(test_unset_removes_key_and_keeps_order_of_others),
        cmocka_unit_test(test_set_refuses_null_key_or_value),
        cmocka_unit_test(test_empty_value_is_stored),
        cmocka_unit_test(test_set_if_missing_keeps_existing_value),
        cmocka_unit_test(test_copy_is_independent),
        cmocka_unit_test(test_merge_keeps_existing_unless_overwrite),
        cmocka_unit_test(test_store_holds_many_keys_and_long_values),
        cmocka_unit_test(test_bool_accepts_true_false_in_any_case_with_blanks),
        cmocka_unit_test(test_bool_rejects_other_words_with_spark_message),
        cmocka_unit_test(test_int_parses_java_integers),
        cmocka_unit_test(test_int_rejects_overflow_and_text_with_spark_message),
        cmocka_unit_test(test_long_covers_64_bits),
        cmocka_unit_test(test_double_follows_java_grammar),
        cmocka_unit_test(test_bytes_use_suffix_or_default_unit),
        cmocka_unit_test(test_bytes_truncate_when_converting_to_a_larger_unit),
        cmocka_unit_test(test_bytes_accept_a_leading_minus),
        cmocka_unit_test(test_bytes_errors_carry_spark_texts),
        cmocka_unit_test(test_bytes_overflow_names_the_unit),
        cmocka_unit_test(test_time_uses_suffix_or_default_unit),
        cmocka_unit_test(test_time_saturates_on_overflow),
        cmocka_unit_test(test_time_errors_carry_spark_texts),
        cmocka_unit_test(test_known_table_is_sorted_unique_and_documented),
        cmocka_unit_test(test_known_defaults_are_spark_35s),
        cmocka_unit_test(test_known_table_covers_conformance_corpus_keys),
        cmocka_unit_test(test_validate_checks_type_of_known_keys),
        cmocka_unit_test(test_validate_checks_ranges_with_spark_message),
        cmocka_unit_test(test_validate_checks_enum_values_after_case_folding),
        cmocka_unit_test(test_validate_accepts_any_value_of_unknown_keys),
        cmocka_unit_test(test_get_or_default_prefers_set_value),
        cmocka_unit_test(test_typed_getters_fall_back_to_known_default_then_caller_default),
        cmocka_unit_test(test_bytes_getter_reads_bare_numbers_in_the_keys_unit),
        cmocka_unit_test(test_time_getter_converts_to_requested_unit),
        cmocka_unit_test(test_getters_report_malformed_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
