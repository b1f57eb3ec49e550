/*
 * Specification tests for the SQL parser (localmode/sql/parser.h): each
 * test parses one construct and compares the debug form of the tree
 * (plan/plan_debug.h) with the expected text, or checks the error record
 * against Spark's ParseException. A corpus test parses every statement of
 * the Spark golden files and ratchets the parse rate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan_debug.h"
#include "sql/parser.h"

/* The corpus parse rate reached; the corpus test fails below it. */
#define CORPUS_MIN_RATE 100.0

/* ---------------------------------------------------------------- helpers */

/* Parses one statement; returns its debug text (malloc'ed) or NULL. */
static char *stmt_text(const char *sql)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *s = NULL;
    char *out = NULL;
    if (lm_parse_statement(sql, &a, &s, &err) == LM_OK)
        out = lm_stmt_debug_string(s);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", sql, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

/* The query plan of a SELECT statement, as debug text. */
static char *plan_text(const char *sql)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *s = NULL;
    char *out = NULL;
    if (lm_parse_statement(sql, &a, &s, &err) == LM_OK && s->query)
        out = lm_plan_debug_string(s->query);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", sql, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

static char *expr_text(const char *text)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_expr *e = NULL;
    char *out = NULL;
    if (lm_parse_expression(text, &a, &e, &err) == LM_OK)
        out = lm_expr_debug_string(e);
    else
        fprintf(stderr, "unexpected error for [%s]: %s\n", text, err.message);
    lm_error_clear(&err);
    lm_arena_free(&a);
    return out;
}

static void assert_expr(const char *text, const char *expected)
{
    char *got = expr_text(text);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "expr  [%s]\n  got      %s\n  expected %s\n", text, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

static void assert_plan(const char *sql, const char *expected)
{
    char *got = plan_text(sql);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "plan  [%s]\n--- got\n%s--- expected\n%s", sql, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

static void assert_stmt(const char *sql, const char *expected)
{
    char *got = stmt_text(sql);
    assert_non_null(got);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "stmt  [%s]\n--- got\n%s--- expected\n%s", sql, got, expected);
    assert_string_equal(got, expected);
    free(got);
}

/* Expects a failure with the given error class; returns the error for more
   checks (caller clears it). */
static void expect_error(const char *sql, const char *error_class, lm_error *err)
{
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error_init(err);
    lm_stmt *s = NULL;
    lm_status st = lm_parse_statement(sql, &a, &s, err);
    if (st == LM_OK)
        fprintf(stderr, "expected %s for [%s] but it parsed\n", error_class, sql);
    assert_int_not_equal(st, LM_OK);
    assert_null(s);
    assert_non_null(err->error_class);
    if (strcmp(err->error_class, error_class) != 0)
        fprintf(stderr, "[%s]: got %s (%s)\n", sql, err->error_class, err->message);
    assert_string_equal(err->error_class, error_class);
    lm_arena_free(&a);
}

static const char *param(const lm_error *err, const char *name)
{
    for (int i = 0; i < err->nparams; i++)
        if (strcmp(err->params[i].name, name) == 0)
            return err->params[i].value;
    return NULL;
}

/* ---------------------------------------------------------------- expressions */

static void test_arithmetic_precedence(void **state)
{
    (void)state;
    assert_expr("1 + 2 * 3", "(1:int + (2:int * 3:int))");
    assert_expr("a - b - c", "((a - b) - c)");
    assert_expr("a | b ^ c & d", "(a | (b ^ (c & d)))");
    assert_expr("a + b = c * d", "((a + b) = (c * d))");
    assert_expr("a div b % c", "((a div b) % c)");
    assert_expr("a & b + c", "(a & (b + c))");
}

static void test_boolean_precedence(void **state)
{
    (void)state;
    assert_expr("a OR b AND c", "(a or (b and c))");
    assert_expr("NOT a AND b", "((NOT a) and b)");
    assert_expr("NOT a = b", "(NOT (a = b))");
    assert_expr("!a", "(NOT a)");
    assert_expr("a = 1 IS NULL", "(isnull (a = 1:int))");
}

static void test_not_equal_becomes_not_equal_to(void **state)
{
    (void)state;
    assert_expr("a <> b", "(NOT (a = b))");
    assert_expr("a != b", "(NOT (a = b))");
    assert_expr("a == b", "(a = b)");
    assert_expr("a <=> b", "(a <=> b)");
}

static void test_unary_minus_on_number_is_a_literal(void **state)
{
    (void)state;
    assert_expr("-1", "-1:int");
    assert_expr("- 1", "-1:int");
    assert_expr("-a", "(- a)");
    assert_expr("+a", "(+ a)");
    assert_expr("~a", "(~ a)");
    assert_expr("- (-10)", "(- -10:int)");
    assert_expr("1 -1", "(1:int - 1:int)");
    assert_expr("-a * b", "((- a) * b)");
}

static void test_between_is_two_comparisons(void **state)
{
    (void)state;
    assert_expr("a BETWEEN 1 AND 2", "((a >= 1:int) and (a <= 2:int))");
    assert_expr("a NOT BETWEEN 1 AND 2", "(NOT ((a >= 1:int) and (a <= 2:int)))");
    assert_expr("a BETWEEN 1 AND 2 AND b", "(((a >= 1:int) and (a <= 2:int)) and b)");
}

static void test_is_predicates(void **state)
{
    (void)state;
    assert_expr("a IS NULL", "(isnull a)");
    assert_expr("a IS NOT NULL", "(isnotnull a)");
    assert_expr("a IS UNKNOWN", "(isnull a)");
    assert_expr("a IS TRUE", "(a <=> true:boolean)");
    assert_expr("a IS NOT FALSE", "(NOT (a <=> false:boolean))");
    assert_expr("a IS DISTINCT FROM b", "(NOT (a <=> b))");
    assert_expr("a IS NOT DISTINCT FROM b", "(a <=> b)");
}

static void test_like_family(void **state)
{
    (void)state;
    assert_expr("a LIKE 'x%'", "(a like 'x%':string)");
    assert_expr("a NOT ILIKE 'x%'", "(NOT (a ilike 'x%':string))");
    assert_expr("a RLIKE '^x'", "(a rlike '^x':string)");
    assert_expr("a REGEXP '^x'", "(a rlike '^x':string)");
    assert_expr("a LIKE 'x#%' ESCAPE '#'", "like(a, 'x#%':string, '#':string)");
    assert_expr("a LIKE ANY ('x', 'y')", "like_any(a, 'x':string, 'y':string)");
    assert_expr("a NOT ILIKE ALL ('x')", "not_ilike_all(a, 'x':string)");
    assert_expr("a LIKE SOME ('x')", "like_any(a, 'x':string)");
}

static void test_in_lists_and_subqueries(void **state)
{
    (void)state;
    assert_expr("a IN (1, 2)", "(a IN (1:int, 2:int))");
    assert_expr("a NOT IN (1)", "(a NOT IN (1:int))");
    assert_expr("a IN (SELECT b FROM t)", "(a IN {Project [b] <- Relation t})");
    assert_expr("(a, b) IN (SELECT c, d FROM t)", "((a, b) IN {Project [c, d] <- Relation t})");
    assert_expr("EXISTS (SELECT 1)", "EXISTS {Project [1:int] <- OneRow}");
    assert_expr("NOT EXISTS (SELECT 1)", "(NOT EXISTS {Project [1:int] <- OneRow})");
    assert_expr("(SELECT max(a) FROM t) + 1",
                "(SUBQUERY {Project [max(a)] <- Relation t} + 1:int)");
    assert_expr("((SELECT 1) + 1)", "(SUBQUERY {Project [1:int] <- OneRow} + 1:int)");
}

static void test_case_forms(void **state)
{
    (void)state;
    assert_expr("CASE WHEN a THEN 1 ELSE 2 END", "CASE WHEN a THEN 1:int ELSE 2:int END");
    assert_expr("CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' END",
                "CASE a WHEN 1:int THEN 'x':string WHEN 2:int THEN 'y':string END");
}

static void test_casts(void **state)
{
    (void)state;
    assert_expr("CAST(a AS INT)", "CAST(a AS int)");
    assert_expr("TRY_CAST(a AS decimal(10, 2))", "TRY_CAST(a AS decimal(10,2))");
    assert_expr("a::bigint", "CAST(a AS bigint)");
    assert_expr("cast(a as array<struct<x: int, y: string>>)",
                "CAST(a AS array<struct<x:int,y:string>>)");
    assert_expr("cast(a as map<string, array<int>>)", "CAST(a AS map<string,array<int>>)");
    assert_expr("cast(a as varchar(10))", "CAST(a AS string)");
    assert_expr("cast(a as interval day to second)", "CAST(a AS interval day to second)");
    assert_expr("cast(a as interval year)", "CAST(a AS interval year)");
    assert_expr("cast(a as decimal)", "CAST(a AS decimal(10,0))");
}

static void test_special_function_syntax(void **state)
{
    (void)state;
    assert_expr("EXTRACT(year FROM d)", "extract('year':string, d)");
    assert_expr("POSITION('a' IN s)", "locate('a':string, s)");
    assert_expr("position('a', s)", "position('a':string, s)");
    assert_expr("SUBSTRING(s FROM 2 FOR 3)", "substring(s, 2:int, 3:int)");
    assert_expr("substring(s, 2)", "substring(s, 2:int)");
    assert_expr("TRIM(BOTH 'x' FROM s)", "trim('x':string, s)");
    assert_expr("TRIM(LEADING FROM s)", "ltrim(s)");
    assert_expr("trim(TRAILING 'x' FROM s)", "rtrim('x':string, s)");
    assert_expr("trim(s)", "trim(s)");
    assert_expr("OVERLAY(s PLACING 'x' FROM 2 FOR 1)", "overlay(s, 'x':string, 2:int, 1:int)");
    assert_expr("timestampadd(HOUR, 1, ts)", "timestampadd('HOUR':string, 1:int, ts)");
    assert_expr("datediff(day, a, b)", "timestampdiff('DAY':string, a, b)");
    assert_expr("datediff(a, b)", "datediff(a, b)");
    assert_expr("a || b || c", "concat(concat(a, b), c)");
}

static void test_current_date_without_parentheses_is_a_column(void **state)
{
    (void)state;
    assert_expr("current_date", "current_date");
    assert_expr("CURRENT_TIMESTAMP()", "CURRENT_TIMESTAMP()");
}

static void test_function_call_decorations(void **state)
{
    (void)state;
    assert_expr("count(*)", "count(1:int)[*]");
    assert_expr("count(DISTINCT a, b)", "count(DISTINCT a, b)");
    assert_expr("sum(a) FILTER (WHERE b > 1)", "sum(a) FILTER (WHERE (b > 1:int))");
    assert_expr("first(a IGNORE NULLS)", "first(a) IGNORE NULLS");
    assert_expr("lag(a) IGNORE NULLS OVER w", "lag(a) IGNORE NULLS OVER w");
    assert_expr("percentile_cont(0.5) WITHIN GROUP (ORDER BY a DESC)",
                "percentile_cont(0.5:decimal(1,1)) WITHIN GROUP (ORDER BY a DESC NULLS LAST)");
    assert_expr("db.f(a)", "db.f(a)");
    assert_expr("struct(a AS x, b)", "struct((a AS x), b)");
    assert_expr("(a, b)", "struct(a, b)");
}

static void test_window_specs(void **state)
{
    (void)state;
    assert_expr("sum(a) OVER (PARTITION BY b ORDER BY c ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
                "sum(a) OVER (PARTITION BY b ORDER BY c ASC NULLS FIRST ROWS BETWEEN 2:int "
                "PRECEDING AND CURRENT ROW)");
    assert_expr("rank() OVER (ORDER BY c DESC RANGE UNBOUNDED PRECEDING)",
                "rank() OVER (ORDER BY c DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND "
                "CURRENT ROW)");
    assert_expr("sum(a) OVER ()", "sum(a) OVER ()");
    assert_expr("sum(a) OVER (w)", "sum(a) OVER w");
    assert_expr("sum(a) OVER (DISTRIBUTE BY b SORT BY c NULLS LAST)",
                "sum(a) OVER (PARTITION BY b ORDER BY c ASC NULLS LAST)");
}

static void test_lambdas_bind_their_parameters(void **state)
{
    (void)state;
    assert_expr("transform(xs, x -> x + 1)", "transform(xs, (x) -> (lambda x + 1:int))");
    assert_expr("aggregate(xs, 0, (acc, x) -> acc + x + y)",
                "aggregate(xs, 0:int, (acc, x) -> ((lambda acc + lambda x) + y))");
    assert_expr("transform(xs, x -> x.f)", "transform(xs, (x) -> lambda x.f)");
    assert_expr("transform(xs, x -> transform(x, y -> x + y))",
                "transform(xs, (x) -> transform(lambda x, (y) -> (lambda x + lambda y)))");
}

static void test_field_access_and_subscripts(void **state)
{
    (void)state;
    assert_expr("a.b.c", "a.b.c");
    assert_expr("a[0].b", "a[0:int].b");
    assert_expr("m['k']", "m['k':string]");
    assert_expr("f(x).y", "f(x).y");
    assert_expr("t.*", "t.*");
    assert_expr("`a.b`.`c``d`", "a.b.c`d");
}

static void test_named_expressions(void **state)
{
    (void)state;
    assert_expr("a + 1 AS b", "((a + 1:int) AS b)");
    assert_expr("a b", "(a AS b)");
    assert_expr("explode(m) AS (k, v)", "(explode(m) AS (k, v))");
}

/* ---------------------------------------------------------------- literals */

static void test_integer_literal_types(void **state)
{
    (void)state;
    assert_expr("2147483647", "2147483647:int");
    assert_expr("2147483648", "2147483648:bigint");
    assert_expr("-2147483648", "-2147483648:int");
    assert_expr("9223372036854775808", "9223372036854775808:decimal(19,0)");
    assert_expr("1Y", "1:tinyint");
    assert_expr("-128Y", "-128:tinyint");
    assert_expr("32767S", "32767:smallint");
    assert_expr("10L", "10:bigint");
    assert_expr("-0", "0:int");
}

static void test_fractional_literal_types(void **state)
{
    (void)state;
    assert_expr("1.5", "1.5:decimal(2,1)");
    assert_expr(".5", "0.5:decimal(1,1)");
    assert_expr("-0.0", "0.0:decimal(1,1)");
    assert_expr("0.1111", "0.1111:decimal(4,4)");
    assert_expr("123.0E-28BD", "1.230E-26:decimal(29,29)");
    assert_expr("90912830918230182310293801923652346786BD",
                "90912830918230182310293801923652346786:decimal(38,0)");
    assert_expr("1e3", "1000:double");
    assert_expr("1.5E2", "150:double");
    assert_expr("9.e+1", "90:double");
    assert_expr("1D", "1:double");
    assert_expr("1.2F", "1.20000005:float");
    assert_expr("1e2BD", "100:decimal(3,0)");
}

static void test_string_literals(void **state)
{
    (void)state;
    assert_expr("'hello' 'world'", "'helloworld':string");
    assert_expr("\"it's\"", "'it's':string");
    assert_expr("'it\\'s'", "'it's':string");
    assert_expr("'a\\tb'", "'a\tb':string");
    assert_expr("'\\110\\145\\154\\154\\157'", "'Hello':string");
    assert_expr("'\\u0057\\u006F'", "'Wo':string");
    assert_expr("'pattern\\%'", "'pattern\\%':string");
    assert_expr("r'\\n'", "'\\n':string");
}

static void test_typed_literals_are_left_for_the_analyzer(void **state)
{
    (void)state;
    assert_expr("DATE '2016-03-12'", "DATE '2016-03-12':date");
    assert_expr("timestamp '2016-03-11 20:54:00.000'",
                "TIMESTAMP '2016-03-11 20:54:00.000':timestamp");
    assert_expr("TIMESTAMP_NTZ '2021-01-01'", "TIMESTAMP_NTZ '2021-01-01':timestamp_ntz");
    assert_expr("TIMESTAMP_LTZ '2021-01-01'", "TIMESTAMP '2021-01-01':timestamp");
    assert_expr("date \"2003-01-01\"", "DATE '2003-01-01':date");
    assert_expr("x'2379ACFe'", "X'2379ACFE':binary");
    assert_expr("X'1'", "X'01':binary");
    assert_expr("NULL", "NULL:void");
    assert_expr("tRue", "true:boolean");
}

static void test_interval_literals(void **state)
{
    (void)state;
    assert_expr("interval '1 day'", "INTERVAL '1 day':interval");
    assert_expr("interval 3 days", "INTERVAL '3' (day):interval day");
    assert_expr("INTERVAL '3' DAY", "INTERVAL '3' (day):interval day");
    assert_expr("interval 23 days 4 hours", "INTERVAL '23 days 4 hours':interval day to hour");
    assert_expr("interval -1 year 2 months",
                "INTERVAL '-1 year 2 months':interval year to month");
    assert_expr("INTERVAL '1-2' YEAR TO MONTH",
                "INTERVAL '1-2' (year to month):interval year to month");
    assert_expr("INTERVAL '1 02:03' DAY TO MINUTE",
                "INTERVAL '1 02:03' (day to minute):interval day to minute");
    assert_expr("interval 1 week 2 milliseconds",
                "INTERVAL '1 week 2 milliseconds':interval day to second");
}

/* ---------------------------------------------------------------- data types */

static void test_data_type_and_table_schema_strings(void **state)
{
    (void)state;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_type *t = NULL;
    assert_int_equal(
        lm_parse_data_type("array<map<string, struct<a: int not null>>>", &a, &t, &err), LM_OK);
    char *s = lm_type_debug_string(t);
    assert_string_equal(s, "array<map<string,struct<a:int not null>>>");
    free(s);
    assert_int_equal(lm_parse_table_schema("a INT, b ARRAY<STRING> NOT NULL, c STRUCT<x: INT> "
                                           "COMMENT 'hi', d struct<>",
                                           &a, &t, &err),
                     LM_OK);
    s = lm_type_debug_string(t);
    assert_string_equal(s, "struct<a:int,b:array<string> not null,c:struct<x:int> comment 'hi',"
                           "d:struct<>>");
    free(s);
    assert_int_not_equal(lm_parse_data_type("foo", &a, &t, &err), LM_OK);
    assert_string_equal(err.error_class, "UNSUPPORTED_DATATYPE");
    assert_string_equal(param(&err, "typeName"), "\"FOO\"");
    lm_error_clear(&err);
    lm_arena_free(&a);
}

/* ---------------------------------------------------------------- queries */

static void test_select_clause_order(void **state)
{
    (void)state;
    assert_plan("SELECT DISTINCT a, count(*) c FROM t WHERE b > 1 GROUP BY a HAVING c > 2 "
                "ORDER BY a DESC NULLS FIRST LIMIT 10 OFFSET 5",
                "Limit 10:int\n"
                "  Offset 5:int\n"
                "    Sort [a DESC NULLS FIRST]\n"
                "      Distinct\n"
                "        Having (c > 2:int)\n"
                "          Aggregate [a] [a, (count(1:int)[*] AS c)]\n"
                "            Filter (b > 1:int)\n"
                "              Relation t\n");
}

static void test_select_without_from_having_alone_and_sort_by(void **state)
{
    (void)state;
    assert_plan("SELECT 1 LIMIT ALL", "Project [1:int]\n  OneRow\n");
    assert_plan("SELECT sum(a) FROM t HAVING sum(a) > 1",
                "Having (sum(a) > 1:int)\n  Aggregate [] [sum(a)]\n    Relation t\n");
    assert_plan("SELECT a FROM t SORT BY a",
                "Sort local [a ASC NULLS FIRST]\n  Project [a]\n    Relation t\n");
}

static void test_joins(void **state)
{
    (void)state;
    assert_plan("SELECT * FROM a, b JOIN c ON b.x = c.x NATURAL LEFT JOIN d",
                "Project [*]\n"
                "  Join inner\n"
                "    Relation a\n"
                "    Join natural left\n"
                "      Join inner on (b.x = c.x)\n"
                "        Relation b\n"
                "        Relation c\n"
                "      Relation d\n");
    assert_plan("SELECT * FROM a LEFT SEMI JOIN b USING (k) ANTI JOIN c CROSS JOIN d "
                "FULL OUTER JOIN e ON true RIGHT JOIN f ON true",
                "Project [*]\n"
                "  Join right on true:boolean\n"
                "    Join full on true:boolean\n"
                "      Join cross\n"
                "        Join leftanti\n"
                "          Join leftsemi using (k)\n"
                "            Relation a\n"
                "            Relation b\n"
                "          Relation c\n"
                "        Relation d\n"
                "      Relation e\n"
                "    Relation f\n");
}

static void test_relation_aliases_and_subqueries(void **state)
{
    (void)state;
    assert_plan("SELECT * FROM t AS x(a, b), (SELECT 1) y, (SELECT 2)",
                "Project [*]\n"
                "  Join inner\n"
                "    Join inner\n"
                "      SubqueryAlias x(a, b)\n"
                "        Relation t\n"
                "      SubqueryAlias y\n"
                "        Project [1:int]\n"
                "          OneRow\n"
                "    SubqueryAlias __auto_generated_subquery_name\n"
                "      Project [2:int]\n"
                "        OneRow\n");
    assert_plan("SELECT * FROM (a JOIN b ON a.k = b.k) j(x, y)",
                "Project [*]\n"
                "  SubqueryAlias j(x, y)\n"
                "    Join inner on (a.k = b.k)\n"
                "      Relation a\n"
                "      Relation b\n");
    assert_plan("SELECT * FROM ((SELECT 1) t JOIN u ON true)",
                "Project [*]\n"
                "  Join inner on true:boolean\n"
                "    SubqueryAlias t\n"
                "      Project [1:int]\n"
                "        OneRow\n"
                "    Relation u\n");
}

static void test_values_table_valued_functions_and_table(void **state)
{
    (void)state;
    assert_plan("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)",
                "Project [*]\n"
                "  SubqueryAlias t\n"
                "    Values [[1:int, 'a':string], [2:int, 'b':string]] (x, y)\n");
    assert_plan("VALUES 1, 2", "Values [[1:int], [2:int]]\n");
    assert_plan("VALUES (1, 2), (3)", "Values [[1:int, 2:int], [3:int]]\n");
    assert_plan("SELECT * FROM range(10) r(id)",
                "Project [*]\n  SubqueryAlias r(id)\n    TVF range(10:int)\n");
    assert_plan("TABLE db.t", "Relation db.t\n");
}

static void test_set_operation_precedence(void **state)
{
    (void)state;
    assert_plan("SELECT 1 UNION SELECT 2 INTERSECT ALL SELECT 3 EXCEPT SELECT 4 MINUS SELECT 5",
                "Except\n"
                "  Except\n"
                "    Union\n"
                "      Project [1:int]\n"
                "        OneRow\n"
                "      Intersect all\n"
                "        Project [2:int]\n"
                "          OneRow\n"
                "        Project [3:int]\n"
                "          OneRow\n"
                "    Project [4:int]\n"
                "      OneRow\n"
                "  Project [5:int]\n"
                "    OneRow\n");
    assert_plan("(SELECT a FROM t) UNION ALL (SELECT b FROM u) ORDER BY 1",
                "Sort [1:int ASC NULLS FIRST]\n"
                "  Union all\n"
                "    Project [a]\n"
                "      Relation t\n"
                "    Project [b]\n"
                "      Relation u\n");
}

static void test_legacy_set_operation_precedence_option(void **state)
{
    (void)state;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_parse_options o = {.legacy_setops_precedence = true};
    lm_stmt *s = NULL;
    assert_int_equal(
        lm_parse_statement_opts("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3", &o, &a, &s, &err),
        LM_OK);
    char *d = lm_plan_debug_string(s->query);
    assert_string_equal(d, "Intersect\n"
                           "  Union\n"
                           "    Project [1:int]\n"
                           "      OneRow\n"
                           "    Project [2:int]\n"
                           "      OneRow\n"
                           "  Project [3:int]\n"
                           "    OneRow\n");
    free(d);
    lm_error_clear(&err);
    lm_arena_free(&a);
}

static void test_escaped_string_literals_option(void **state)
{
    (void)state;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_parse_options o = {.escaped_string_literals = true};
    lm_stmt *s = NULL;
    assert_int_equal(lm_parse_statement_opts("SELECT '\\n'", &o, &a, &s, &err), LM_OK);
    char *d = lm_plan_debug_string(s->query);
    assert_string_equal(d, "Project ['\\n':string]\n  OneRow\n");
    free(d);
    lm_error_clear(&err);
    lm_arena_free(&a);
}

static void test_ctes(void **state)
{
    (void)state;
    assert_plan("WITH a AS (SELECT 1), b(x, y) AS (SELECT 1, 2) SELECT * FROM a, b",
                "With [a AS {Project [1:int] <- OneRow}, b(x, y) AS {Project [1:int, 2:int] <- "
                "OneRow}]\n"
                "  Project [*]\n"
                "    Join inner\n"
                "      Relation a\n"
                "      Relation b\n");
    lm_error err;
    expect_error("WITH t AS (SELECT 1), t AS (SELECT 2) SELECT * FROM t", "_LEGACY_ERROR_TEMP_0038",
                 &err);
    lm_error_clear(&err);
}

static void test_grouping_analytics(void **state)
{
    (void)state;
    assert_plan("SELECT a, b FROM t GROUP BY a, b WITH ROLLUP",
                "Aggregate rollup [a, b] sets [(a, b), (a), ()] [a, b]\n  Relation t\n");
    assert_plan("SELECT a, b FROM t GROUP BY CUBE(a, b)",
                "Aggregate cube [a, b] sets [(a, b), (a), (b), ()] [a, b]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY GROUPING SETS ((a, b), a, ())",
                "Aggregate sets [a, b] sets [(a, b), (a), ()] [a]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY a, ROLLUP(b, c)",
                "Aggregate sets [a, b, c] sets [(a, b, c), (a, b), (a)] [a]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY ROLLUP(a, (a, b))",
                "Aggregate rollup [a, b] sets [(a, a, b), (a), ()] [a]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY a, b GROUPING SETS ((a), ())",
                "Aggregate sets [a, b] sets [(a), ()] [a]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY ALL", "Aggregate all [ALL] [a]\n  Relation t\n");
    assert_plan("SELECT a FROM t GROUP BY 1, (a + 1) * 2",
                "Aggregate [1:int, ((a + 1:int) * 2:int)] [a]\n  Relation t\n");
}

static void test_lateral_view_pivot_and_sample(void **state)
{
    (void)state;
    assert_plan("SELECT * FROM t LATERAL VIEW OUTER explode(xs) e AS x LATERAL VIEW "
                "posexplode(ys) p pos, y",
                "Project [*]\n"
                "  Generate posexplode(ys) p(pos, y)\n"
                "    Generate outer explode(xs) e(x)\n"
                "      Relation t\n");
    assert_plan("SELECT * FROM t PIVOT (sum(e) AS s FOR c IN ('a' AS x, 'b'))",
                "Project [*]\n"
                "  Pivot [(sum(e) AS s)] for [c] in [('a':string AS x), 'b':string]\n"
                "    Relation t\n");
    assert_plan("SELECT * FROM t PIVOT (sum(e) FOR (c, d) IN ((1, 2) AS x))",
                "Project [*]\n"
                "  Pivot [sum(e)] for [c, d] in [(struct(1:int, 2:int) AS x)]\n"
                "    Relation t\n");
    assert_plan("SELECT * FROM t TABLESAMPLE (10 PERCENT) REPEATABLE (3) s",
                "Project [*]\n  SubqueryAlias s\n    Sample 10:int percent seed 3\n"
                "      Relation t\n");
    assert_plan("SELECT * FROM t TABLESAMPLE (5 ROWS)", "Project [*]\n  Limit 5:int\n    Relation t\n");
}

static void test_named_windows_and_hints(void **state)
{
    (void)state;
    assert_plan("SELECT /*+ BROADCAST(t) */ sum(a) OVER w FROM t WINDOW w AS (PARTITION BY b)",
                "Project [sum(a) OVER w] windows [w AS (PARTITION BY b)]\n  Relation t\n");
    assert_plan("SELECT sum(a) OVER w FROM t ORDER BY 1 WINDOW w AS (ORDER BY b)",
                "Sort [1:int ASC NULLS FIRST]\n"
                "  Project [sum(a) OVER w] windows [w AS (ORDER BY b ASC NULLS FIRST)]\n"
                "    Relation t\n");
    lm_error err;
    expect_error("SELECT 1 FROM t WINDOW w AS (ORDER BY a), w AS (ORDER BY b)",
                 "INVALID_SQL_SYNTAX.REPETITIVE_WINDOW_DEFINITION", &err);
    assert_string_equal(param(&err, "windowName"), "`w`");
    assert_int_equal(err.ctx_start, 16);
    lm_error_clear(&err);
}

static void test_comments_are_skipped(void **state)
{
    (void)state;
    assert_plan("/* a /* nested */ comment */ SELECT 1 -- trailing\n AS x",
                "Project [(1:int AS x)]\n  OneRow\n");
}

/* ---------------------------------------------------------------- statements */

static void test_create_view_statements(void **state)
{
    (void)state;
    assert_stmt("CREATE OR REPLACE GLOBAL TEMPORARY VIEW v (a, b) AS SELECT 1, 2",
                "CreateView v replace global temporary cols(a, b)\n"
                "  Project [1:int, 2:int]\n"
                "    OneRow\n");
    assert_stmt("CREATE TEMP VIEW v USING csv OPTIONS (path '/d.csv', header 'true')",
                "CreateView v temporary using csv options(path=/d.csv, header=true)\n");
    assert_stmt("CREATE VIEW db.v AS VALUES 1", "CreateView db.v\n  Values [[1:int]]\n");
}

static void test_create_table_and_insert(void **state)
{
    (void)state;
    assert_stmt("CREATE TABLE IF NOT EXISTS t (a INT NOT NULL, b STRING COMMENT 'x') USING "
                "parquet PARTITIONED BY (a) OPTIONS ('k' = 1)",
                "CreateTable t if-not-exists schema struct<a:int not null,b:string comment 'x'> "
                "using parquet options(k=1) partitioned(a)\n");
    assert_stmt("CREATE TABLE t AS SELECT 1", "CreateTable t\n  Project [1:int]\n    OneRow\n");
    assert_stmt("INSERT INTO TABLE t (a) VALUES (1), (2)",
                "Insert t cols(a)\n  Values [[1:int], [2:int]]\n");
    assert_stmt("INSERT OVERWRITE t SELECT * FROM u",
                "Insert t overwrite\n  Project [*]\n    Relation u\n");
}

static void test_set_and_reset_keep_raw_text(void **state)
{
    (void)state;
    assert_stmt("SET", "Set\n");
    assert_stmt("SET -v", "Set key=[-v]\n");
    assert_stmt("SET spark.sql.x", "Set key=[spark.sql.x]\n");
    assert_stmt("set spark.sql.legacy.x = some value = 2 ;",
                "Set key=[spark.sql.legacy.x] value=[some value = 2]\n");
    assert_stmt("SET `a b` = `c d`", "Set key=[a b] value=[c d]\n");
    assert_stmt("RESET", "Reset\n");
    assert_stmt("reset spark.sql.x", "Reset key=[spark.sql.x]\n");
}

static void test_catalog_statements(void **state)
{
    (void)state;
    assert_stmt("DROP TABLE IF EXISTS db.t", "DropTable db.t if-exists\n");
    assert_stmt("DROP VIEW v", "DropView v\n");
    assert_stmt("SHOW TABLES IN db LIKE 't*'", "ShowTables db value=[t*]\n");
    assert_stmt("DESC EXTENDED t", "Describe t extended\n");
    assert_stmt("DESCRIBE QUERY SELECT 1", "Describe\n  Project [1:int]\n    OneRow\n");
    assert_stmt("DESC FUNCTION EXTENDED boolean", "DescribeFunction boolean extended\n");
    assert_stmt("EXPLAIN CODEGEN SELECT 1", "Explain mode=codegen\n  Project [1:int]\n    OneRow\n");
    assert_stmt("CACHE LAZY TABLE c AS SELECT 1", "Cache c lazy\n  Project [1:int]\n    OneRow\n");
    assert_stmt("UNCACHE TABLE IF EXISTS c", "Uncache c if-exists\n");
    assert_stmt("USE db", "Use db\n");
    assert_stmt("CREATE DATABASE IF NOT EXISTS d COMMENT 'x'",
                "CreateDatabase d if-not-exists comment 'x'\n");
    assert_stmt("DROP SCHEMA d CASCADE", "DropDatabase d cascade\n");
}

/* ---------------------------------------------------------------- errors */

static void test_syntax_errors_name_the_offending_token(void **state)
{
    (void)state;
    lm_error err;
    expect_error("select .e3", "PARSE_SYNTAX_ERROR", &err);
    assert_string_equal(err.exception, "org.apache.spark.sql.catalyst.parser.ParseException");
    assert_string_equal(err.sqlstate, "42601");
    assert_string_equal(param(&err, "error"), "'.'");
    assert_string_equal(param(&err, "hint"), "");
    lm_error_clear(&err);
    expect_error("SELECT (1", "PARSE_SYNTAX_ERROR", &err);
    assert_string_equal(param(&err, "error"), "end of input");
    assert_string_equal(param(&err, "hint"), ": missing ')'");
    lm_error_clear(&err);
    expect_error("SELECT 1 2", "PARSE_SYNTAX_ERROR", &err);
    assert_string_equal(param(&err, "error"), "'2'");
    assert_string_equal(param(&err, "hint"), ": extra input '2'");
    lm_error_clear(&err);
    expect_error("FOO bar", "PARSE_SYNTAX_ERROR", &err);
    assert_string_equal(param(&err, "error"), "'FOO'");
    lm_error_clear(&err);
}

static void test_empty_statement_and_unclosed_comment(void **state)
{
    (void)state;
    lm_error err;
    expect_error("  -- nothing\n ;", "PARSE_EMPTY_STATEMENT", &err);
    lm_error_clear(&err);
    expect_error("select 1 /* never closed", "UNCLOSED_BRACKETED_COMMENT", &err);
    assert_string_equal(err.sqlstate, "42601");
    lm_error_clear(&err);
}

static void test_literal_range_errors(void **state)
{
    (void)state;
    lm_error err;
    expect_error("select 128Y", "INVALID_NUMERIC_LITERAL_RANGE", &err);
    assert_string_equal(param(&err, "rawStrippedQualifier"), "128");
    assert_string_equal(param(&err, "typeName"), "tinyint");
    assert_int_equal(err.ctx_start, 7);
    assert_int_equal(err.ctx_stop, 10);
    lm_error_clear(&err);
    expect_error("select -3.4028235E39f", "INVALID_NUMERIC_LITERAL_RANGE", &err);
    assert_string_equal(param(&err, "rawStrippedQualifier"), "-3.4028235E39");
    assert_string_equal(param(&err, "maxValue"), "3.4028234663852886E+38");
    lm_error_clear(&err);
    expect_error("select 1E309", "INVALID_NUMERIC_LITERAL_RANGE", &err);
    assert_string_equal(param(&err, "typeName"), "double");
    lm_error_clear(&err);
    expect_error("select 1234567890123456789012345678901234567890",
                 "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", &err);
    assert_string_equal(err.exception, "org.apache.spark.SparkArithmeticException");
    assert_string_equal(param(&err, "precision"), "40");
    lm_error_clear(&err);
    expect_error("select 1.20E-38BD", "_LEGACY_ERROR_TEMP_0061", &err);
    assert_string_equal(param(&err, "msg"), "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal "
                                            "precision 40 exceeds max precision 38.");
    lm_error_clear(&err);
}

static void test_typed_literal_errors(void **state)
{
    (void)state;
    lm_error err;
    expect_error("select GEO '(10,-6)'", "UNSUPPORTED_TYPED_LITERAL", &err);
    assert_string_equal(param(&err, "unsupportedType"), "\"GEO\"");
    assert_int_equal(err.ctx_start, 7);
    assert_int_equal(err.ctx_stop, 19);
    lm_error_clear(&err);
    expect_error("select X'XuZ'", "INVALID_TYPED_LITERAL", &err);
    assert_string_equal(param(&err, "value"), "'XuZ'");
    assert_string_equal(param(&err, "valueType"), "\"X\"");
    lm_error_clear(&err);
    expect_error("SELECT CAST(interval 3 month 1 hour AS string)", "_LEGACY_ERROR_TEMP_0029",
                 &err);
    assert_string_equal(param(&err, "literal"), "interval 3 month 1 hour");
    assert_int_equal(err.ctx_start, 12);
    assert_int_equal(err.ctx_stop, 34);
    lm_error_clear(&err);
}

static void test_grammar_rule_errors(void **state)
{
    (void)state;
    lm_error err;
    expect_error("SELECT a FROM t GROUP BY ROLLUP(a, ())", "_LEGACY_ERROR_TEMP_0051", &err);
    assert_string_equal(param(&err, "element"), "ROLLUP");
    assert_int_equal(err.ctx_start, 16);
    assert_int_equal(err.ctx_stop, 37);
    lm_error_clear(&err);
    expect_error("SELECT a FROM t WHERE a ILIKE ALL ()", "_LEGACY_ERROR_TEMP_0064", &err);
    assert_string_equal(param(&err, "msg"), "Expected something between '(' and ')'.");
    assert_int_equal(err.ctx_start, 24);
    lm_error_clear(&err);
    expect_error("SELECT count(a) OVER (ORDER BY a RANGE BETWEEN CURRENT ROW AND current_date "
                 "PRECEDING) FROM t",
                 "_LEGACY_ERROR_TEMP_0064", &err);
    assert_string_equal(param(&err, "msg"), "Frame bound value must be a literal.");
    assert_int_equal(err.ctx_start, 63);
    assert_int_equal(err.ctx_stop, 84);
    lm_error_clear(&err);
}

static void test_deep_nesting_fails_cleanly(void **state)
{
    (void)state;
    size_t n = 20000;
    char *sql = malloc(n * 2 + 16);
    strcpy(sql, "SELECT ");
    size_t o = 7;
    for (size_t i = 0; i < n; i++)
        sql[o++] = '(';
    sql[o++] = '1';
    for (size_t i = 0; i < n; i++)
        sql[o++] = ')';
    sql[o] = 0;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_error err;
    lm_error_init(&err);
    lm_stmt *s = NULL;
    assert_int_not_equal(lm_parse_statement(sql, &a, &s, &err), LM_OK);
    assert_null(s);
    lm_error_clear(&err);
    lm_arena_free(&a);
    free(sql);
}

/* ---------------------------------------------------------------- corpus */

typedef struct corpus_stmt {
    char *file;
    char *sql;
    char *expected_exception; /* first output line when it names an exception */
    char *expected_class;     /* "errorClass" of the expected error, if any */
    char *expected_output;    /* the whole expected output block */
} corpus_stmt;

typedef struct corpus {
    corpus_stmt *items;
    int n, cap;
} corpus;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    return buf;
}

static char *trim_dup(const char *s, size_t n, bool left)
{
    while (left && n > 0 && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* Splits a golden file at "-- !query...\n" marker lines (README section 3). */
static void corpus_add_file(corpus *c, const char *path)
{
    char *text = read_file(path);
    if (text == NULL)
        return;
    const char *pieces[20000];
    size_t lens[20000];
    int np = 0;
    const char *cur = text;
    const char *p = text;
    while (*p && np < 19999) {
        if ((p == text || p[-1] == '\n') && strncmp(p, "-- !query", 9) == 0) {
            const char *eol = strchr(p, '\n');
            if (eol == NULL)
                break;
            pieces[np] = cur;
            lens[np] = (size_t)(p - cur);
            np++;
            cur = eol + 1;
            p = eol + 1;
            continue;
        }
        p++;
    }
    pieces[np] = cur;
    lens[np] = strlen(cur);
    np++;
    for (int i = 1; i + 2 < np; i += 3) {
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 1024;
            c->items = realloc(c->items, sizeof *c->items * (size_t)c->cap);
        }
        corpus_stmt *s = &c->items[c->n++];
        s->file = strdup(path);
        s->sql = trim_dup(pieces[i], lens[i], true);
        char *out = trim_dup(pieces[i + 2], lens[i + 2], false);
        s->expected_exception = NULL;
        s->expected_class = NULL;
        if (strncmp(out, "org.apache.spark", 16) == 0 || strncmp(out, "java.", 5) == 0) {
            size_t l = strcspn(out, "\n");
            s->expected_exception = trim_dup(out, l, false);
            const char *ec = strstr(out, "\"errorClass\" : \"");
            if (ec != NULL) {
                ec += 16;
                s->expected_class = trim_dup(ec, strcspn(ec, "\""), false);
            }
        }
        s->expected_output = out;
    }
    free(text);
}

static void corpus_walk(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char path[4096];
    char *names[512];
    int nn = 0;
    while ((de = readdir(d)) != NULL && nn < 512) {
        if (de->d_name[0] == '.')
            continue;
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    /* sorted, so the walk (and the fuzz seeds) are reproducible */
    for (int i = 0; i < nn; i++)
        for (int j = i + 1; j < nn; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    for (int i = 0; i < nn; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            corpus_walk(c, path);
        else if (strlen(names[i]) > 8 && strcmp(names[i] + strlen(names[i]) - 8, ".sql.out") == 0)
            corpus_add_file(c, path);
        free(names[i]);
    }
}

static void corpus_free(corpus *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->items[i].file);
        free(c->items[i].sql);
        free(c->items[i].expected_exception);
        free(c->items[i].expected_class);
        free(c->items[i].expected_output);
    }
    free(c->items);
}

static bool corpus_load(corpus *c)
{
    memset(c, 0, sizeof *c);
    corpus_walk(c, LM_SOURCE_DIR "/../shared/conformance/spark-sql/results");
    return c->n > 0;
}

/*
 * ParseExceptions Spark raises while building literals whose value the
 * analyzer computes here (LM_LIT_UNPARSED): the parser accepts them and the
 * analyzer must raise the error.
 */
static const char *const parse_error_left_to_analyzer[] = {
    "select date 'mar 11 2016'",
    "select timestamp '2016-33-11 20:54:00.000'",
    NULL,
};

static bool left_to_analyzer(const char *sql)
{
    for (int i = 0; parse_error_left_to_analyzer[i]; i++)
        if (strcmp(sql, parse_error_left_to_analyzer[i]) == 0)
            return true;
    return false;
}

/* Exceptions that Spark throws while parsing (so we must, too). */
static bool thrown_by_parser(const corpus_stmt *s)
{
    if (s->expected_exception == NULL)
        return false;
    if (strcmp(s->expected_exception, "org.apache.spark.sql.catalyst.parser.ParseException") == 0)
        return true;
    /* integer / decimal literals beyond 38 digits fail in AstBuilder */
    return s->expected_class != NULL &&
           strcmp(s->expected_class, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION") == 0 &&
           strncmp(s->sql, "select 1234567890123456789012345678901234567890", 47) == 0;
}

/* Value of JSON string field `key` after `from` in a golden error block,
   unescaped; NULL if absent. Caller frees. */
static char *json_field(const char *from, const char *key)
{
    char pat[160];
    if (strlen(key) > 120)
        return NULL;
    snprintf(pat, sizeof pat, "\"%s\" : \"", key);
    const char *p = strstr(from, pat);
    if (p == NULL)
        return NULL;
    p += strlen(pat);
    char *d = malloc(strlen(p) + 1);
    size_t o = 0;
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            d[o++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else {
            d[o++] = *p;
        }
    }
    d[o] = 0;
    return d;
}

static long json_int(const char *from, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\" : ", key);
    const char *p = strstr(from, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Level-3 comparison: every golden message parameter and the query context
   (1-based in the JSON, 0-based in lm_error). Returns true when they match. */
static bool same_error_details(const corpus_stmt *s, const lm_error *err)
{
    const char *mp = strstr(s->expected_output, "\"messageParameters\" : {");
    if (mp != NULL) {
        const char *end = strchr(mp, '}');
        const char *line = strchr(mp, '\n');
        while (line != NULL && line < end) {
            line++;
            const char *q = strchr(line, '"');
            if (q == NULL || q > end)
                break;
            const char *q2 = strchr(q + 1, '"');
            char key[128];
            size_t kl = (size_t)(q2 - q - 1) < sizeof key - 1 ? (size_t)(q2 - q - 1) : sizeof key - 1;
            memcpy(key, q + 1, kl);
            key[kl] = 0;
            char *want = json_field(line, key);
            const char *got = param(err, key);
            bool same = want != NULL && got != NULL && strcmp(want, got) == 0;
            if (!same)
                fprintf(stderr, "PARAM %s: got [%s] want [%s]: %s\n", key, got ? got : "(none)",
                        want ? want : "?", s->sql);
            free(want);
            if (!same)
                return false;
            line = strchr(line, '\n');
        }
    }
    long start = json_int(s->expected_output, "startIndex");
    long stop = json_int(s->expected_output, "stopIndex");
    if (start >= 0 && (err->ctx_start + 1 != start || err->ctx_stop + 1 != stop)) {
        fprintf(stderr, "CONTEXT got %d..%d want %ld..%ld: %s\n", err->ctx_start + 1,
                err->ctx_stop + 1, start, stop, s->sql);
        return false;
    }
    return true;
}

static void test_corpus_parses(void **state)
{
    (void)state;
    corpus c;
    if (!corpus_load(&c)) {
        fprintf(stderr, "conformance corpus not found; corpus test skipped\n");
        corpus_free(&c);
        skip();
        return;
    }
    int ok = 0, total = 0, wrongly_ok = 0;
    for (int i = 0; i < c.n; i++) {
        corpus_stmt *s = &c.items[i];
        lm_arena a;
        lm_arena_init(&a, 8192);
        lm_error err;
        lm_error_init(&err);
        lm_stmt *st = NULL;
        lm_status rc = lm_parse_statement(s->sql, &a, &st, &err);
        total++;
        bool want_error = thrown_by_parser(s) && !left_to_analyzer(s->sql);
        if (want_error) {
            if (rc == LM_OK) {
                wrongly_ok++;
                fprintf(stderr, "PARSED BUT SPARK FAILS (%s): %s\n", s->expected_class, s->sql);
            } else if (s->expected_class && err.error_class &&
                       strcmp(s->expected_class, err.error_class) == 0 &&
                       strcmp(s->expected_exception, err.exception ? err.exception : "") == 0 &&
                       same_error_details(s, &err)) {
                ok++;
            } else {
                fprintf(stderr, "WRONG ERROR %s (want %s): %s\n",
                        err.error_class ? err.error_class : "?",
                        s->expected_class ? s->expected_class : "?", s->sql);
            }
        } else if (rc == LM_OK) {
            ok++;
        } else {
            fprintf(stderr, "FAIL %s: %s\n    %s\n", s->file + strlen(LM_SOURCE_DIR) + 40,
                    s->sql, err.message ? err.message : "?");
        }
        lm_error_clear(&err);
        lm_arena_free(&a);
    }
    double rate = 100.0 * ok / total;
    fprintf(stderr, "corpus: %d of %d statements parse as Spark does (%.2f%%)\n", ok, total, rate);
    corpus_free(&c);
    assert_int_equal(wrongly_ok, 0);
    assert_true(rate >= CORPUS_MIN_RATE);
}

/* Random truncations and splices of corpus statements must never crash. */
static void test_fuzz_truncated_corpus_statements(void **state)
{
    (void)state;
    corpus c;
    if (!corpus_load(&c)) {
        fprintf(stderr, "conformance corpus not found; fuzz test skipped\n");
        corpus_free(&c);
        skip();
        return;
    }
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int runs = 0;
    for (int i = 0; i < c.n; i += 1) {
        const char *sql = c.items[i].sql;
        size_t n = strlen(sql);
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t cut = n ? (size_t)(seed >> 33) % (n + 1) : 0;
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            const char *other = c.items[(size_t)(seed >> 33) % (size_t)c.n].sql;
            size_t on = strlen(other);
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t ocut = on ? (size_t)(seed >> 33) % (on + 1) : 0;
            char *buf = malloc(cut + (on - ocut) + 1);
            memcpy(buf, sql, cut);
            if (k == 2) {
                memcpy(buf + cut, other + ocut, on - ocut);
                buf[cut + on - ocut] = 0;
            } else {
                buf[cut] = 0;
            }
            lm_arena a;
            lm_arena_init(&a, 4096);
            lm_error err;
            lm_error_init(&err);
            lm_stmt *st = NULL;
            lm_status rc = lm_parse_statement(buf, &a, &st, &err);
            if (rc != LM_OK) {
                assert_non_null(err.message);
                assert_null(st);
            } else {
                char *dbg = lm_stmt_debug_string(st);
                assert_non_null(dbg);
                free(dbg);
            }
            lm_error_clear(&err);
            lm_arena_free(&a);
            free(buf);
            runs++;
        }
    }
    corpus_free(&c);
    assert_true(runs > 0);
}

/* ---------------------------------------------------------------- main */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_precedence),
        cmocka_unit_test(test_boolean_precedence),
        cmocka_unit_test(test_not_equal_becomes_not_equal_to),
        cmocka_unit_test(test_unary_minus_on_number_is_a_literal),
        cmocka_unit_test(test_between_is_two_comparisons),
        cmocka_unit_test(test_is_predicates),
        cmocka_unit_test(test_like_family),
        cmocka_unit_test(test_in_lists_and_subqueries),
        cmocka_unit_test(test_case_forms),
        cmocka_unit_test(test_casts),
        cmocka_unit_test(test_special_function_syntax),
        cmocka_unit_test(test_current_date_without_parentheses_is_a_column),
        cmocka_unit_test(test_function_call_decorations),
        cmocka_unit_test(test_window_specs),
        cmocka_unit_test(test_lambdas_bind_their_parameters),
        cmocka_unit_test(test_field_access_and_subscripts),
        cmocka_unit_test(test_named_expressions),
        cmocka_unit_test(test_integer_literal_types),
        cmocka_unit_test(test_fractional_literal_types),
        cmocka_unit_test(test_string_literals),
        cmocka_unit_test(test_typed_literals_are_left_for_the_analyzer),
        cmocka_unit_test(test_interval_literals),
        cmocka_unit_test(test_data_type_and_table_schema_strings),
        cmocka_unit_test(test_select_clause_order),
        cmocka_unit_test(test_select_without_from_having_alone_and_sort_by),
        cmocka_unit_test(test_joins),
        cmocka_unit_test(test_relation_aliases_and_subqueries),
        cmocka_unit_test(test_values_table_valued_functions_and_table),
        cmocka_unit_test(test_set_operation_precedence),
        cmocka_unit_test(test_legacy_set_operation_precedence_option),
        cmocka_unit_test(test_escaped_string_literals_option),
        cmocka_unit_test(test_ctes),
        cmocka_unit_test(test_grouping_analytics),
        cmocka_unit_test(test_lateral_view_pivot_and_sample),
        cmocka_unit_test(test_named_windows_and_hints),
        cmocka_unit_test(test_comments_are_skipped),
        cmocka_unit_test(test_create_view_statements),
        cmocka_unit_test(test_create_table_and_insert),
        cmocka_unit_test(test_set_and_reset_keep_raw_text),
        cmocka_unit_test(test_catalog_statements),
        cmocka_unit_test(test_syntax_errors_name_the_offending_token),
        cmocka_unit_test(test_empty_statement_and_unclosed_comment),
        cmocka_unit_test(test_literal_range_errors),
        cmocka_unit_test(test_typed_literal_errors),
        cmocka_unit_test(test_grammar_rule_errors),
        cmocka_unit_test(test_deep_nesting_fails_cleanly),
        cmocka_unit_test(test_corpus_parses),
        cmocka_unit_test(test_fuzz_truncated_corpus_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
