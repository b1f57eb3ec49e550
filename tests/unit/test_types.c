/*
 * Specification of the type module: Spark's spellings of every type
 * (typeName, simpleString, catalogString, sql, printSchema), equality
 * variants, classification, and reference counting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/type.h"

/* ---- helpers: each renders into a fresh buffer and compares ---- */

typedef void (*render_fn)(lm_strbuf *, const lm_type *);

static void check_render(render_fn fn, const lm_type *t, const char *expected)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    fn(&sb, t);
    assert_true(lm_strbuf_ok(&sb));
    assert_string_equal(lm_strbuf_cstr(&sb), expected);
    lm_strbuf_free(&sb);
}

static void check_all(const lm_type *t, const char *type_name, const char *simple,
                      const char *catalog, const char *sql)
{
    check_render(lm_type_type_name, t, type_name);
    check_render(lm_type_simple_string, t, simple);
    check_render(lm_type_catalog_string, t, catalog);
    check_render(lm_type_sql_string, t, sql);
}

static lm_field field(const char *name, lm_type *t, bool nullable)
{
    lm_field f = { (char *)name, t, nullable, NULL, NULL };
    return f;
}

/* ---- strings of primitive types ---- */

static void test_primitive_type_strings(void **state)
{
    (void)state;
    check_all(lm_type_null(), "void", "void", "void", "VOID");
    check_all(lm_type_boolean(), "boolean", "boolean", "boolean", "BOOLEAN");
    check_all(lm_type_byte(), "byte", "tinyint", "tinyint", "TINYINT");
    check_all(lm_type_short(), "short", "smallint", "smallint", "SMALLINT");
    check_all(lm_type_int(), "integer", "int", "int", "INT");
    check_all(lm_type_long(), "long", "bigint", "bigint", "BIGINT");
    check_all(lm_type_float(), "float", "float", "float", "FLOAT");
    check_all(lm_type_double(), "double", "double", "double", "DOUBLE");
    check_all(lm_type_string(), "string", "string", "string", "STRING");
    check_all(lm_type_binary(), "binary", "binary", "binary", "BINARY");
    check_all(lm_type_date(), "date", "date", "date", "DATE");
    check_all(lm_type_timestamp(), "timestamp", "timestamp", "timestamp", "TIMESTAMP");
    check_all(lm_type_timestamp_ntz(), "timestamp_ntz", "timestamp_ntz", "timestamp_ntz",
              "TIMESTAMP_NTZ");
    check_all(lm_type_calendar_interval(), "interval", "interval", "interval", "INTERVAL");
}

static void test_decimal_type_strings(void **state)
{
    (void)state;
    lm_type *d = lm_type_decimal(10, 2);
    assert_non_null(d);
    check_all(d, "decimal(10,2)", "decimal(10,2)", "decimal(10,2)", "DECIMAL(10,2)");
    lm_type_unref(d);
    d = lm_type_decimal(38, 0);
    check_all(d, "decimal(38,0)", "decimal(38,0)", "decimal(38,0)", "DECIMAL(38,0)");
    lm_type_unref(d);
}

static void test_decimal_rejects_invalid_precision_and_scale(void **state)
{
    (void)state;
    assert_null(lm_type_decimal(0, 0));
    assert_null(lm_type_decimal(39, 0));
    assert_null(lm_type_decimal(5, 6));
    assert_null(lm_type_decimal(5, -1));
}

static void test_year_month_interval_strings(void **state)
{
    (void)state;
    check_all(lm_type_ym_interval(LM_YM_YEAR, LM_YM_YEAR), "interval year", "interval year",
              "interval year", "INTERVAL YEAR");
    check_all(lm_type_ym_interval(LM_YM_MONTH, LM_YM_MONTH), "interval month",
              "interval month", "interval month", "INTERVAL MONTH");
    check_all(lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH), "interval year to month",
              "interval year to month", "interval year to month", "INTERVAL YEAR TO MONTH");
    assert_null(lm_type_ym_interval(LM_YM_MONTH, LM_YM_YEAR));
}

static void test_day_time_interval_strings(void **state)
{
    (void)state;
    static const struct {
        int s, e;
        const char *name;
        const char *sql;
    } cases[] = {
        { LM_DT_DAY, LM_DT_DAY, "interval day", "INTERVAL DAY" },
        { LM_DT_DAY, LM_DT_HOUR, "interval day to hour", "INTERVAL DAY TO HOUR" },
        { LM_DT_DAY, LM_DT_MINUTE, "interval day to minute", "INTERVAL DAY TO MINUTE" },
        { LM_DT_DAY, LM_DT_SECOND, "interval day to second", "INTERVAL DAY TO SECOND" },
        { LM_DT_HOUR, LM_DT_HOUR, "interval hour", "INTERVAL HOUR" },
        { LM_DT_HOUR, LM_DT_MINUTE, "interval hour to minute", "INTERVAL HOUR TO MINUTE" },
        { LM_DT_HOUR, LM_DT_SECOND, "interval hour to second", "INTERVAL HOUR TO SECOND" },
        { LM_DT_MINUTE, LM_DT_MINUTE, "interval minute", "INTERVAL MINUTE" },
        { LM_DT_MINUTE, LM_DT_SECOND, "interval minute to second",
          "INTERVAL MINUTE TO SECOND" },
        { LM_DT_SECOND, LM_DT_SECOND, "interval second", "INTERVAL SECOND" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lm_type *t = lm_type_dt_interval(cases[i].s, cases[i].e);
        assert_non_null(t);
        check_all(t, cases[i].name, cases[i].name, cases[i].name, cases[i].sql);
        lm_type_unref(t);
    }
    assert_null(lm_type_dt_interval(LM_DT_SECOND, LM_DT_DAY));
    assert_null(lm_type_dt_interval(LM_DT_DAY, 4));
}

/* ---- nested types ---- */

static void test_array_and_map_strings(void **state)
{
    (void)state;
    lm_type *arr = lm_type_array(lm_type_int(), true);
    check_all(arr, "array", "array<int>", "array<int>", "ARRAY<INT>");
    lm_type *map = lm_type_map(lm_type_string(), lm_type_int(), true);
    check_all(map, "map", "map<string,int>", "map<string,int>", "MAP<STRING, INT>");
    lm_type *nested = lm_type_map(lm_type_string(), arr, false);
    check_all(nested, "map", "map<string,array<int>>", "map<string,array<int>>",
              "MAP<STRING, ARRAY<INT>>");
    lm_type_unref(nested);
    lm_type_unref(map);
    lm_type_unref(arr);
}

static void test_struct_strings(void **state)
{
    (void)state;
    lm_type *arr = lm_type_array(lm_type_string(), true);
    lm_field fs[] = { field("a", lm_type_int(), false), field("b", arr, true) };
    lm_type *st = lm_type_struct(fs, 2);
    lm_type_unref(arr); /* the struct holds its own reference */
    check_all(st, "struct", "struct<a:int,b:array<string>>", "struct<a:int,b:array<string>>",
              "STRUCT<a: INT, b: ARRAY<STRING>>");
    lm_type_unref(st);
}

/* Spark 3.5 prints nested field names with quoteIfNeeded in sql (golden
   file literals.sql.out: "STRUCT<a: INT, b: STRING>") and never quotes
   them in catalog/simple strings. */
static void test_struct_sql_quotes_only_unusual_names(void **state)
{
    (void)state;
    lm_field fs[] = { field("_x1", lm_type_int(), true), field("a b", lm_type_int(), true),
                      field("c`d", lm_type_int(), true), field("1a", lm_type_int(), true) };
    lm_type *st = lm_type_struct(fs, 4);
    check_render(lm_type_sql_string, st, "STRUCT<_x1: INT, `a b`: INT, `c``d`: INT, `1a`: INT>");
    check_render(lm_type_catalog_string, st, "struct<_x1:int,a b:int,c`d:int,1a:int>");
    lm_type_unref(st);
}

static void test_struct_sql_shows_comment(void **state)
{
    (void)state;
    lm_field f = field("a", lm_type_int(), true);
    f.comment = "it's";
    lm_type *st = lm_type_struct(&f, 1);
    check_render(lm_type_sql_string, st, "STRUCT<a: INT COMMENT 'it\\'s'>");
    check_render(lm_type_catalog_string, st, "struct<a:int>");
    lm_type_unref(st);
}

static void test_empty_struct_strings(void **state)
{
    (void)state;
    lm_type *st = lm_type_struct(NULL, 0);
    assert_non_null(st);
    check_all(st, "struct", "struct<>", "struct<>", "STRUCT<>");
    lm_type_unref(st);
}

/* Builds struct<f0:int,...,f{n-1}:int>. */
static lm_type *wide_struct(int n)
{
    lm_field *fs = calloc((size_t)n, sizeof *fs);
    char(*names)[16] = calloc((size_t)n, sizeof *names);
    for (int i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        fs[i] = field(names[i], lm_type_int(), true);
    }
    lm_type *st = lm_type_struct(fs, n);
    free(names);
    free(fs);
    return st;
}

static void test_simple_string_keeps_25_fields(void **state)
{
    (void)state;
    lm_type *st = wide_struct(25);
    lm_strbuf a, b;
    lm_strbuf_init(&a);
    lm_strbuf_init(&b);
    lm_type_simple_string(&a, st);
    lm_type_catalog_string(&b, st);
    assert_string_equal(lm_strbuf_cstr(&a), lm_strbuf_cstr(&b));
    assert_non_null(strstr(lm_strbuf_cstr(&a), ",f24:int>"));
    lm_strbuf_free(&a);
    lm_strbuf_free(&b);
    lm_type_unref(st);
}

/* truncatedString with maxFields 25: 24 fields then ",... N more fields". */
static void test_simple_string_truncates_wide_struct(void **state)
{
    (void)state;
    lm_type *st = wide_struct(30);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_simple_string(&sb, st);
    const char *s = lm_strbuf_cstr(&sb);
    assert_true(strncmp(s, "struct<f0:int,f1:int,", 21) == 0);
    const char *tail = ",f22:int,f23:int,... 6 more fields>";
    assert_true(strlen(s) > strlen(tail));
    assert_string_equal(s + strlen(s) - strlen(tail), tail);
    assert_null(strstr(s, "f24:int"));
    lm_strbuf_reset(&sb);
    lm_type_catalog_string(&sb, st);
    assert_non_null(strstr(lm_strbuf_cstr(&sb), ",f28:int,f29:int>"));
    lm_strbuf_free(&sb);

    /* nested inside an array, simpleString still truncates */
    lm_type *arr = lm_type_array(st, true);
    lm_strbuf_init(&sb);
    lm_type_simple_string(&sb, arr);
    assert_non_null(strstr(lm_strbuf_cstr(&sb), ",... 6 more fields>>"));
    lm_strbuf_free(&sb);
    lm_type_unref(arr);
    lm_type_unref(st);
}

/* ---- printSchema ---- */

static void test_tree_string_of_nested_schema(void **state)
{
    (void)state;
    lm_field inner[] = { field("c", lm_type_string(), true) };
    lm_type *s = lm_type_struct(inner, 1);
    lm_type *arr = lm_type_array(lm_type_int(), true);
    lm_type *m = lm_type_map(lm_type_string(), lm_type_int(), true);
    lm_field top[] = { field("a", lm_type_int(), false), field("s", s, true),
                       field("arr", arr, true), field("m", m, true) };
    lm_type *root = lm_type_struct(top, 4);
    check_render(lm_type_tree_string, root,
                 "root\n"
                 " |-- a: integer (nullable = false)\n"
                 " |-- s: struct (nullable = true)\n"
                 " |    |-- c: string (nullable = true)\n"
                 " |-- arr: array (nullable = true)\n"
                 " |    |-- element: integer (containsNull = true)\n"
                 " |-- m: map (nullable = true)\n"
                 " |    |-- key: string\n"
                 " |    |-- value: integer (valueContainsNull = true)\n");
    lm_type_unref(root);
    lm_type_unref(m);
    lm_type_unref(arr);
    lm_type_unref(s);
}

static void test_tree_string_of_array_of_struct_and_map_of_struct_keys(void **state)
{
    (void)state;
    lm_type *dec = lm_type_decimal(10, 2);
    lm_field inner[] = { field("x", lm_type_long(), false), field("y", dec, true) };
    lm_type *s = lm_type_struct(inner, 2);
    lm_type *arr = lm_type_array(s, false);
    lm_type *m = lm_type_map(s, arr, false);
    lm_type *ym = lm_type_ym_interval(LM_YM_YEAR, LM_YM_MONTH);
    lm_field top[] = { field("arr", arr, true), field("m", m, false),
                       field("v", lm_type_null(), true), field("i", ym, true),
                       field("b", lm_type_byte(), true), field("t", lm_type_timestamp_ntz(), true) };
    lm_type *root = lm_type_struct(top, 6);
    check_render(lm_type_tree_string, root,
                 "root\n"
                 " |-- arr: array (nullable = true)\n"
                 " |    |-- element: struct (containsNull = false)\n"
                 " |    |    |-- x: long (nullable = false)\n"
                 " |    |    |-- y: decimal(10,2) (nullable = true)\n"
                 " |-- m: map (nullable = false)\n"
                 " |    |-- key: struct\n"
                 " |    |    |-- x: long (nullable = false)\n"
                 " |    |    |-- y: decimal(10,2) (nullable = true)\n"
                 " |    |-- value: array (valueContainsNull = false)\n"
                 " |    |    |-- element: struct (containsNull = false)\n"
                 " |    |    |    |-- x: long (nullable = false)\n"
                 " |    |    |    |-- y: decimal(10,2) (nullable = true)\n"
                 " |-- v: void (nullable = true)\n"
                 " |-- i: interval year to month (nullable = true)\n"
                 " |-- b: byte (nullable = true)\n"
                 " |-- t: timestamp_ntz (nullable = true)\n");
    lm_type_unref(root);
    lm_type_unref(m);
    lm_type_unref(arr);
    lm_type_unref(s);
    lm_type_unref(dec);
}

static void test_tree_string_escapes_control_characters_in_names(void **state)
{
    (void)state;
    lm_field top[] = { field("a\nb\tc", lm_type_int(), true) };
    lm_type *root = lm_type_struct(top, 1);
    check_render(lm_type_tree_string, root, "root\n |-- a\\nb\\tc: integer (nullable = true)\n");
    lm_type_unref(root);
}

static void test_tree_string_of_empty_schema(void **state)
{
    (void)state;
    lm_type *root = lm_type_struct(NULL, 0);
    check_render(lm_type_tree_string, root, "root\n");
    lm_type_unref(root);
}

/* ---- equality ---- */

static void test_equal_compares_everything(void **state)
{
    (void)state;
    lm_type *d1 = lm_type_decimal(10, 2), *d2 = lm_type_decimal(10, 2), *d3 = lm_type_decimal(10, 3);
    assert_true(lm_type_equal(d1, d2));
    assert_false(lm_type_equal(d1, d3));
    assert_false(lm_type_equal(lm_type_int(), lm_type_long()));
    assert_true(lm_type_equal(lm_type_dt_interval(0, 3), lm_type_dt_interval(0, 3)));
    assert_false(lm_type_equal(lm_type_dt_interval(0, 3), lm_type_dt_interval(1, 3)));

    lm_type *a1 = lm_type_array(d1, true), *a2 = lm_type_array(d2, false);
    assert_false(lm_type_equal(a1, a2));
    assert_true(lm_type_same_ignoring_nullable(a1, a2));

    lm_type *m1 = lm_type_map(lm_type_int(), a1, true), *m2 = lm_type_map(lm_type_int(), a2, false);
    assert_false(lm_type_equal(m1, m2));
    assert_true(lm_type_same_ignoring_nullable(m1, m2));
    assert_true(lm_type_equal_ignore_case_and_nullable(m1, m2));

    lm_type_unref(m1);
    lm_type_unref(m2);
    lm_type_unref(a1);
    lm_type_unref(a2);
    lm_type_unref(d1);
    lm_type_unref(d2);
    lm_type_unref(d3);
}

static void test_struct_equality_variants(void **state)
{
    (void)state;
    lm_field f1[] = { field("Abc", lm_type_int(), true), field("x", lm_type_string(), true) };
    lm_field f2[] = { field("Abc", lm_type_int(), false), field("x", lm_type_string(), true) };
    lm_field f3[] = { field("aBC", lm_type_int(), false), field("X", lm_type_string(), true) };
    lm_field f4[] = { field("abc", lm_type_int(), true) };
    lm_type *s1 = lm_type_struct(f1, 2), *s2 = lm_type_struct(f2, 2), *s3 = lm_type_struct(f3, 2),
            *s4 = lm_type_struct(f4, 1);

    assert_true(lm_type_equal(s1, s1));
    assert_false(lm_type_equal(s1, s2));                  /* nullable differs */
    assert_true(lm_type_same_ignoring_nullable(s1, s2));
    assert_false(lm_type_same_ignoring_nullable(s1, s3)); /* names differ in case */
    assert_true(lm_type_equal_ignore_case_and_nullable(s1, s3));
    assert_false(lm_type_equal_ignore_case_and_nullable(s1, s4)); /* field count */

    lm_field c1 = field("a", lm_type_int(), true), c2 = c1;
    c2.comment = "note";
    lm_type *sc1 = lm_type_struct(&c1, 1), *sc2 = lm_type_struct(&c2, 1);
    assert_false(lm_type_equal(sc1, sc2)); /* Spark compares metadata */
    assert_true(lm_type_same_ignoring_nullable(sc1, sc2));

    lm_type_unref(sc1);
    lm_type_unref(sc2);
    lm_type_unref(s1);
    lm_type_unref(s2);
    lm_type_unref(s3);
    lm_type_unref(s4);
}

/* ---- classification, lookup, widths ---- */

static void test_classification(void **state)
{
    (void)state;
    lm_type *dec = lm_type_decimal(5, 1);
    lm_type *arr = lm_type_array(lm_type_int(), true);
    lm_type *map = lm_type_map(lm_type_int(), lm_type_int(), true);
    lm_type *arr_map = lm_type_array(map, true);

    assert_true(lm_type_is_numeric(lm_type_byte()));
    assert_true(lm_type_is_numeric(dec));
    assert_false(lm_type_is_numeric(lm_type_string()));
    assert_true(lm_type_is_integral(lm_type_long()));
    assert_false(lm_type_is_integral(lm_type_float()));
    assert_true(lm_type_is_fractional(lm_type_double()));
    assert_false(lm_type_is_fractional(dec));
    assert_true(lm_type_is_datetime(lm_type_timestamp_ntz()));
    assert_false(lm_type_is_datetime(lm_type_long()));
    assert_true(lm_type_is_interval(lm_type_calendar_interval()));
    assert_true(lm_type_is_interval(lm_type_ym_interval(0, 0)));
    assert_true(lm_type_is_complex(arr));
    assert_false(lm_type_is_complex(lm_type_binary()));
    assert_true(lm_type_is_atomic_orderable(lm_type_binary()));
    assert_false(lm_type_is_atomic_orderable(lm_type_calendar_interval()));
    assert_false(lm_type_is_atomic_orderable(arr));
    assert_true(lm_type_is_orderable(arr));
    assert_false(lm_type_is_orderable(map));
    assert_false(lm_type_is_orderable(arr_map));

    lm_type_unref(arr_map);
    lm_type_unref(map);
    lm_type_unref(arr);
    lm_type_unref(dec);
}

static void test_field_index_is_case_insensitive(void **state)
{
    (void)state;
    lm_field fs[] = { field("Name", lm_type_string(), true), field("age", lm_type_int(), true) };
    lm_type *st = lm_type_struct(fs, 2);
    assert_int_equal(lm_type_field_index(st, "name"), 0);
    assert_int_equal(lm_type_field_index(st, "AGE"), 1);
    assert_int_equal(lm_type_field_index(st, "ag"), -1);
    assert_int_equal(lm_type_field_index(lm_type_int(), "x"), -1);
    lm_type_unref(st);
}

static void test_fixed_widths(void **state)
{
    (void)state;
    lm_type *dec = lm_type_decimal(38, 10);
    lm_type *arr = lm_type_array(lm_type_int(), true);
    assert_int_equal(lm_type_fixed_width(lm_type_boolean()), 1);
    assert_int_equal(lm_type_fixed_width(lm_type_byte()), 1);
    assert_int_equal(lm_type_fixed_width(lm_type_short()), 2);
    assert_int_equal(lm_type_fixed_width(lm_type_int()), 4);
    assert_int_equal(lm_type_fixed_width(lm_type_date()), 4);
    assert_int_equal(lm_type_fixed_width(lm_type_ym_interval(0, 1)), 4);
    assert_int_equal(lm_type_fixed_width(lm_type_long()), 8);
    assert_int_equal(lm_type_fixed_width(lm_type_timestamp()), 8);
    assert_int_equal(lm_type_fixed_width(lm_type_dt_interval(0, 3)), 8);
    assert_int_equal(lm_type_fixed_width(lm_type_float()), 4);
    assert_int_equal(lm_type_fixed_width(lm_type_double()), 8);
    assert_int_equal(lm_type_fixed_width(dec), 16);
    assert_int_equal(lm_type_fixed_width(lm_type_calendar_interval()), 16);
    assert_int_equal(lm_type_fixed_width(lm_type_string()), 0);
    assert_int_equal(lm_type_fixed_width(arr), 0);
    assert_int_equal(lm_type_fixed_width(lm_type_null()), 0);
    lm_type_unref(arr);
    lm_type_unref(dec);
}

/* ---- reference counting ---- */

static void test_primitive_lookup_returns_singletons(void **state)
{
    (void)state;
    assert_ptr_equal(lm_type_primitive(LM_TYPE_INT), lm_type_int());
    assert_ptr_equal(lm_type_primitive(LM_TYPE_NULL), lm_type_null());
    assert_ptr_equal(lm_type_primitive(LM_TYPE_INTERVAL), lm_type_calendar_interval());
    assert_null(lm_type_primitive(LM_TYPE_DECIMAL));
    assert_null(lm_type_primitive(LM_TYPE_ARRAY));
    assert_null(lm_type_primitive(LM_TYPE_DT_INTERVAL));
    /* ref/unref on singletons are no-ops */
    assert_ptr_equal(lm_type_ref(lm_type_int()), lm_type_int());
    lm_type_unref(lm_type_int());
    lm_type_unref(NULL);
    assert_int_equal(lm_type_int()->refcount, -1);
}

/* Under valgrind this also proves that shared children are freed exactly
   once: the inner array is referenced by two parents. */
static void test_refcount_shares_and_frees(void **state)
{
    (void)state;
    lm_type *arr = lm_type_array(lm_type_string(), true);
    assert_int_equal(arr->refcount, 1);
    lm_type *m = lm_type_map(lm_type_int(), arr, true);
    assert_int_equal(arr->refcount, 2);
    lm_field f = field("x", arr, true);
    lm_type *st = lm_type_struct(&f, 1);
    assert_int_equal(arr->refcount, 3);
    assert_ptr_equal(lm_type_ref(st), st);
    assert_int_equal(st->refcount, 2);
    lm_type_unref(st);
    lm_type_unref(arr);
    lm_type_unref(m);
    assert_int_equal(arr->refcount, 1);
    lm_type_unref(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primitive_type_strings),
        cmocka_unit_test(test_decimal_type_strings),
        cmocka_unit_test(test_decimal_rejects_invalid_precision_and_scale),
        cmocka_unit_test(test_year_month_interval_strings),
        cmocka_unit_test(test_day_time_interval_strings),
        cmocka_unit_test(test_array_and_map_strings),
        cmocka_unit_test(test_struct_strings),
        cmocka_unit_test(test_struct_sql_quotes_only_unusual_names),
        cmocka_unit_test(test_struct_sql_shows_comment),
        cmocka_unit_test(test_empty_struct_strings),
        cmocka_unit_test(test_simple_string_keeps_25_fields),
        cmocka_unit_test(test_simple_string_truncates_wide_struct),
        cmocka_unit_test(test_tree_string_of_nested_schema),
        cmocka_unit_test(test_tree_string_of_array_of_struct_and_map_of_struct_keys),
        cmocka_unit_test(test_tree_string_escapes_control_characters_in_names),
        cmocka_unit_test(test_tree_string_of_empty_schema),
        cmocka_unit_test(test_equal_compares_everything),
        cmocka_unit_test(test_struct_equality_variants),
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_field_index_is_case_insensitive),
        cmocka_unit_test(test_fixed_widths),
        cmocka_unit_test(test_primitive_lookup_returns_singletons),
        cmocka_unit_test(test_refcount_shares_and_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
