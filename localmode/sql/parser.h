/*
 * The Spark SQL parser: text -> unresolved statement / plan / expression
 * trees (plan/plan.h), as Spark 3.5's SqlBaseParser + AstBuilder produce
 * them in default (non-ANSI) mode. Hand-written recursive descent with
 * precedence climbing for expressions.
 *
 * Memory: every node, string and type of a result lives in the arena `a`
 * that the caller passes and later frees (lm_arena_free). On failure *out is
 * left NULL and err holds Spark's error (exception
 * org.apache.spark.sql.catalyst.parser.ParseException for syntax errors,
 * with error class, SQLSTATE, message parameters and query context).
 *
 * ---------------------------------------------------------------------
 * How constructs are represented (what the analyzer must know)
 * ---------------------------------------------------------------------
 * Operators are LM_EXPR_CALL with LM_CALL_OPERATOR set and `name` equal to
 * the Spark expression's pretty name, so generated column names can be
 * printed as Spark does:
 *   binary  "+" "-" "*" "/" "%" "div" "&" "|" "^" "=" "<=>" "<" "<=" ">" ">="
 *           "and" "or"                       -> printed (a op b)
 *           "<<" ">>" ">>>"                   shift operators (shiftleft ...)
 *   unary   "not" (NOT, !)  -> (NOT a)      "negative" (- a)   "positive" (+ a)
 *           "~" -> ~a
 *   predicates "isnull" / "isnotnull"        (a IS NULL) / (a IS NOT NULL)
 *           "like" (args a, pattern[, escape string literal]) a LIKE b
 *           "ilike" (same args), "rlike" (a RLIKE b; REGEXP too)
 *           "like_any" "like_all" "not_like_any" "not_like_all"
 *           "ilike_any" "ilike_all" "not_ilike_any" "not_ilike_all"
 *                   args = [value, pattern1, pattern2, ...]
 * Rewrites done here, as AstBuilder does:
 *   a <> b, a != b      -> not(=(a, b))
 *   a == b              -> =(a, b)
 *   a BETWEEN l AND h   -> and(>=(a, l), <=(a, h)); NOT BETWEEN -> not(and(...))
 *   a IS [NOT] DISTINCT FROM b -> [not](<=>(a, b)) (DISTINCT adds the not)
 *   a IS [NOT] TRUE/FALSE -> [not](<=>(a, true/false))
 *   a IS [NOT] UNKNOWN  -> isnull / isnotnull
 *   a NOT LIKE|ILIKE|RLIKE b -> not(like(a, b)) ...
 *   a NOT IN (...)      -> IN with LM_IN_NOT (printed as (NOT (a IN (...))))
 *   a || b              -> plain call "concat"(a, b) (no operator flag)
 *   x::t                -> CAST
 *   POSITION(a IN b)    -> call "locate"(a, b)
 *   SUBSTRING(s FROM x [FOR y]) -> call "substring"(s, x[, y])
 *   TRIM([BOTH|LEADING|TRAILING] [c] FROM s) -> call "trim"/"ltrim"/"rtrim"
 *                          with args (s) or (c, s), as the function form
 *                          trim(trimStr, str) takes them
 *   OVERLAY(a PLACING b FROM p [FOR l]) -> call "overlay"(a, b, p[, l])
 *   EXTRACT(f FROM x)   -> call "extract"(string literal f as written, x)
 *   TIMESTAMPADD/DATEADD/DATE_ADD(unit, n, ts) and TIMESTAMPDIFF/DATEDIFF/
 *   DATE_DIFF/TIMEDIFF(unit, a, b) with a unit keyword first -> call
 *   "timestampadd"/"timestampdiff" with args (string literal UNIT upper
 *   case, ...)
 *   count(*)            -> call "count"(literal 1) with LM_CALL_STAR_ARG
 *   f(*) otherwise      -> call f(STAR)
 *   (a, b)              -> call "struct"(a, b) (Spark's CreateStruct)
 *   first/last/any_value(x IGNORE NULLS) -> LM_CALL_IGNORE_NULLS
 *   CURRENT_DATE, CURRENT_TIMESTAMP, CURRENT_USER, USER, SESSION_USER
 *   without parentheses -> COLUMN with that one name part as written (Spark
 *   resolves such a column to the function when no column matches).
 * Function names are kept as written (case too) in `name` and, when
 * qualified (db.f), in parts.
 * Lambdas: LAMBDA with parts = parameter names, args[0] = body; inside the
 * body every column reference whose first part names a parameter became
 * LAMBDA_VAR(name) (with FIELD nodes for the remaining parts).
 * Window frames: offsets are stored as written with PRECEDING/FOLLOWING
 * (Spark negates a PRECEDING offset: UnaryMinus(value)).
 *
 * Literals:
 *   NULL (type void), TRUE/FALSE, strings (type string, value = unescaped
 *   bytes, text = value), integers (int, else bigint, else DECIMAL(p,0)),
 *   Y/S/L suffixes, D/F and exponent forms (double / float; text NULL, the
 *   analyzer prints the value), decimals 1.5 / 1.5BD (value = unscaled
 *   int128 and DECIMAL(p,s) computed here as Spark's Decimal.set(BigDecimal)
 *   does; text = Java's BigDecimal.toString, e.g. "1.230E-26"), X'..'
 *   (binary value decoded here, odd digit counts padded with a leading 0).
 *   Integer text is the value printed ("-0" -> "0").
 *   LM_LIT_UNPARSED literals (analyzer computes the value from `text`):
 *     DATE '..' (type date), TIMESTAMP/TIMESTAMP_LTZ '..' (timestamp),
 *     TIMESTAMP_NTZ '..' (timestamp_ntz), INTERVAL (below). An invalid value
 *     must raise Spark's INVALID_TYPED_LITERAL as a *ParseException*
 *     (sqlState 42604, params value "'<text>'", valueType "\"DATE\"" ...)
 *     with the literal's span as context, as AstBuilder does.
 *   INTERVAL literals:
 *     INTERVAL 'payload'                 type INTERVAL (calendar) as a kind
 *                                        marker, parts none, text payload;
 *                                        the analyzer derives Spark's type
 *                                        from the units in the payload
 *     INTERVAL v UNIT (one unit; v a number or string, sign applied)
 *                                        parts = {"unit"} singular lower case,
 *                                        text = v, type YM/DT interval(unit)
 *     INTERVAL v UNIT v UNIT ...         parts none, text = "v unit v unit"
 *                                        (units lower case as written), type
 *                                        YM or DT interval spanning the units
 *                                        (week -> day, milli/micro/nano ->
 *                                        second); mixing YM and DT units
 *                                        fails here (_LEGACY_ERROR_TEMP_0029)
 *     INTERVAL 'v' A TO B                parts = {"a", "b"}, text = v, type
 *                                        YM/DT interval(a, b)
 *
 * Source spans (start/stop on nodes, ctx_start/ctx_stop on errors) are
 * 0-based inclusive *byte* offsets into the UTF-8 text; Spark's JSON shows
 * 1-based UTF-16 indexes, so a reporter converts (the same for ASCII text).
 *
 * Other representations:
 *   named function arguments k => v: ALIAS(v) named k among the args.
 *   (a, b) row constructors: CALL "struct" with LM_CALL_ROW; VALUES rows
 *   and (a, b) IN (SELECT ...) unpack them.
 *   Ragged VALUES rows: row_lens set (Spark fails them in analysis).
 *   Hints (/ *+ ... * /) are parsed and dropped; DISTRIBUTE BY is dropped;
 *   CLUSTER BY becomes a local SORT ascending.
 *
 * Plans:
 *   SELECT: [LIMIT] <- [OFFSET] <- [SORT] <- [DISTINCT] <- [FILTER having]
 *     <- PROJECT or AGGREGATE <- [FILTER where] <- [GENERATE...] <- FROM.
 *     Named windows (WINDOW w AS ...) are on the PROJECT/AGGREGATE node.
 *     No FROM: ONE_ROW. Comma joins: JOIN INNER without condition.
 *     HAVING without GROUP BY: AGGREGATE with no keys (global aggregate).
 *   GROUP BY: grouping PLAIN with group_by keys; ALL for GROUP BY ALL (the
 *     single key COLUMN "all" is kept in group_by, in case a column named
 *     all exists); with ROLLUP / CUBE / GROUPING SETS (also mixed with plain
 *     keys) group_by = distinct keys in order and sets = the expanded
 *     grouping sets (cartesian product as Spark builds them); grouping =
 *     ROLLUP or CUBE when the clause is a single ROLLUP / CUBE (or WITH
 *     ROLLUP / WITH CUBE), else SETS.
 *   Subquery in FROM without alias: SUBQUERY_ALIAS
 *     "__auto_generated_subquery_name" as Spark does.
 *   VALUES ... AS t(a, b): SUBQUERY_ALIAS t over VALUES (names = a, b).
 *   TABLESAMPLE (n PERCENT): SAMPLE, cond = n as written (percent);
 *     BUCKET x OUT OF y: SAMPLE with cond = double literal 100*x/y;
 *     (n ROWS): LIMIT.
 *   CTEs: WITH plan, child = body.
 *   Set operations: SETOP left/right; INTERSECT binds tighter than UNION /
 *   EXCEPT / MINUS unless opts.legacy_setops_precedence.
 *   LATERAL VIEW [OUTER] f(args) t AS c1, c2: GENERATE (cond = call, name =
 *   t, names = column aliases, outer).
 */
#ifndef LM_SQL_PARSER_H
#define LM_SQL_PARSER_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan.h"

typedef struct lm_parse_options {
    /* spark.sql.parser.escapedStringLiterals: no backslash unescaping */
    bool escaped_string_literals;
    /* spark.sql.legacy.setopsPrecedence.enabled: set operations left to right */
    bool legacy_setops_precedence;
    /* spark.sql.legacy.exponentLiteralAsDecimal.enabled */
    bool exponent_literal_as_decimal;
} lm_parse_options;

/* One statement; a trailing ';' (or several) is allowed. */
lm_status lm_parse_statement(const char *sql, lm_arena *a, lm_stmt **out, lm_error *err);
lm_status lm_parse_statement_opts(const char *sql, const lm_parse_options *opts, lm_arena *a,
                                  lm_stmt **out, lm_error *err);

/* A named expression (as df.selectExpr takes it: "a + 1 AS b"). */
lm_status lm_parse_expression(const char *text, lm_arena *a, lm_expr **out, lm_error *err);

/* "array<int>", "decimal(10,2)", "struct<a: int>" ... */
lm_status lm_parse_data_type(const char *text, lm_arena *a, lm_type **out, lm_error *err);

/* "a INT, b ARRAY<STRING> NOT NULL, c STRUCT<x: INT>" -> a STRUCT type. */
lm_status lm_parse_table_schema(const char *text, lm_arena *a, lm_type **out, lm_error *err);

#endif
