/*
 * DataFrame API: creation, projections, filters and column builders, with
 * the rows, schemas and generated names Spark gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/df_fixture.h"

static void test_create_dataframe_with_ddl_schema(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *df = people(s);
    assert_df_schema(df, "struct<name:string,age:int,dept:string>");
    assert_df_rows(s, df,
                   "Alice\t34\teng\nBob\t45\tops\nCarol\t29\teng\nDan\tNULL\tops\nEve\t29\thr");
    lm_session_close(s);
}

static void test_create_dataframe_infers_types_and_tuple_names(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_column *cells[] = {lm_lit_long(1),    lm_lit_double(1.5), lm_lit_string("x"),
                          lm_lit_bool(true), lm_lit_int(2),      lm_lit_null(),
                          lm_lit_null(),     lm_lit_bool(false)};
    lm_df *df = lm_create_dataframe(s, NULL, 2, 4, cells);
    assert_df_schema(df, "struct<_1:bigint,_2:double,_3:string,_4:boolean>");
    char *tree = lm_df_tree_string(df);
    assert_string_equal(tree, "root\n"
                              " |-- _1: long (nullable = true)\n"
                              " |-- _2: double (nullable = true)\n"
                              " |-- _3: string (nullable = true)\n"
                              " |-- _4: boolean (nullable = true)\n");
    free(tree);
    assert_df_rows(s, df, "1\t1.5\tx\ttrue\n2\tNULL\tNULL\tfalse");
    lm_session_close(s);
}

static void test_create_dataframe_with_column_names(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_column *cells[] = {lm_lit_int(1), lm_lit_string("a")};
    lm_df *df = lm_create_dataframe(s, "id, v", 1, 2, cells);
    assert_df_schema(df, "struct<id:int,v:string>");
    lm_df_free(df);
    lm_session_close(s);
}

static void test_select_by_name_and_expression_names_columns_as_spark(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *df = lm_df_select(p, lm_col("name"), lm_add(lm_col("age"), lm_lit_int(1)),
                             lm_alias(lm_mul(lm_col("age"), lm_lit_int(2)), "twice"), NULL);
    assert_df_schema(df, "struct<name:string,(age + 1):int,twice:int>");
    assert_df_rows(s, df,
                   "Alice\t35\t68\nBob\t46\t90\nCarol\t30\t58\nDan\tNULL\tNULL\nEve\t30\t58");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_select_star_and_qualified_star(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *a = lm_df_alias(p, "p");
    lm_df *df = lm_df_select(a, lm_col("p.*"), NULL);
    assert_df_schema(df, "struct<name:string,age:int,dept:string>");
    lm_df_free(df);
    df = lm_df_select(a, lm_col("p.name"), lm_col("*"), NULL);
    assert_df_schema(df, "struct<name:string,name:string,age:int,dept:string>");
    lm_df_free(df);
    lm_df_free(a);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_select_expr_parses_sql(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *df = lm_df_select_expr(p, "name", "age * 10 AS a10", "age IS NULL", NULL);
    assert_df_schema(df, "struct<name:string,a10:int,(age IS NULL):boolean>");
    assert_df_rows(s, df,
                   "Alice\t340\tfalse\nBob\t450\tfalse\nCarol\t290\tfalse\nDan\tNULL\ttrue\n"
                   "Eve\t290\tfalse");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_unknown_column_fails_at_definition_with_suggestion(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    expect_error(s, lm_df_select(p, lm_col("agee"), NULL), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert_string_equal(lm_errmsg(s),
                        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function "
                        "parameter with name `agee` cannot be resolved. Did you mean one of the "
                        "following? [`age`, `name`, `dept`].");
    expect_error(s, lm_df_filter_expr(p, "salary > 3"), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_parse_error_is_reported_by_the_consuming_call(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    expect_error(s, lm_df_select(p, lm_add(lm_expr_parse("age +"), lm_lit_int(1)), NULL),
                 "PARSE_SYNTAX_ERROR");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_filter_with_column_and_with_sql_string(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *f = lm_df_filter(p, lm_and(lm_gt(lm_col("age"), lm_lit_int(28)),
                                      lm_eq(lm_col("dept"), lm_lit_string("eng"))));
    assert_df_rows(s, f, "Alice\t34\teng\nCarol\t29\teng");
    f = lm_df_where(p, lm_ne(lm_col("dept"), lm_lit_string("eng")));
    assert_df_rows(s, f, "Bob\t45\tops\nDan\tNULL\tops\nEve\t29\thr");
    f = lm_df_filter_expr(p, "age < 30 OR age IS NULL");
    assert_df_rows(s, f, "Carol\t29\teng\nDan\tNULL\tops\nEve\t29\thr");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_filter_on_non_boolean_fails(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    expect_error(s, lm_df_filter(p, lm_col("age")), "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_with_column_appends_or_replaces(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *a = lm_df_with_column(p, "next", lm_add(lm_col("age"), lm_lit_int(1)));
    assert_df_schema(a, "struct<name:string,age:int,dept:string,next:int>");
    lm_df *b = lm_df_with_column(a, "AGE", lm_cast(lm_col("age"), "bigint"));
    assert_df_schema(b, "struct<name:string,AGE:bigint,dept:string,next:int>");
    lm_df *c = lm_df_limit(b, 1);
    assert_df_rows(s, c, "Alice\t34\teng\t35");
    lm_df_free(a);
    lm_df_free(b);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_with_column_renamed_and_drop(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *r = lm_df_with_column_renamed(p, "dept", "department");
    assert_df_schema(r, "struct<name:string,age:int,department:string>");
    lm_df *same = lm_df_with_column_renamed(p, "nope", "x");
    assert_df_schema(same, "struct<name:string,age:int,dept:string>");
    lm_df *d = lm_df_drop(r, "age", "missing", NULL);
    assert_df_schema(d, "struct<name:string,department:string>");
    lm_df_free(d);
    lm_df_free(same);
    lm_df_free(r);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_functions_cast_and_case_when(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_column *band = lm_otherwise(
        lm_when(lm_when(NULL, lm_lt(lm_col("age"), lm_lit_int(30)), lm_lit_string("young")),
                lm_lt(lm_col("age"), lm_lit_int(40)), lm_lit_string("mid")),
        lm_lit_string("senior"));
    lm_df *df = lm_df_select(p, lm_fn("upper", lm_col("name"), NULL), band,
                             lm_cast(lm_col("age"), "string"), NULL);
    /* a cast directly over a column keeps the column's name (Spark's
       Column.named / ResolveAliases) */
    assert_df_schema(df, "struct<upper(name):string,CASE WHEN (age < 30) THEN young WHEN (age < "
                         "40) THEN mid ELSE senior END:string,age:string>");
    assert_df_rows(s, df,
                   "ALICE\tmid\t34\nBOB\tsenior\t45\nCAROL\tyoung\t29\nDAN\tsenior\tNULL\n"
                   "EVE\tyoung\t29");
    lm_df_free(p);
    lm_session_close(s);
}

static void test_isin_like_and_null_predicates(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *df =
        lm_df_filter(p, lm_isin(lm_col("dept"), lm_lit_string("hr"), lm_lit_string("ops"), NULL));
    assert_df_rows(s, df, "Bob\t45\tops\nDan\tNULL\tops\nEve\t29\thr");
    df = lm_df_filter(p, lm_like(lm_col("name"), "%a%"));
    assert_df_rows(s, df, "Carol\t29\teng\nDan\tNULL\tops");
    df = lm_df_filter(p, lm_is_null(lm_col("age")));
    assert_df_rows(s, df, "Dan\tNULL\tops");
    df = lm_df_select(p, lm_eq_null_safe(lm_col("age"), lm_lit_null()), NULL);
    assert_df_schema(df, "struct<(age <=> NULL):boolean>");
    lm_df_free(df);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_columns_and_dtypes(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *df = lm_df_select(p, lm_col("name"), lm_cast(lm_col("age"), "bigint"),
                             lm_fn("array", lm_col("age"), NULL), NULL);
    assert_int_equal(lm_df_num_columns(df), 3);
    assert_string_equal(lm_df_column_name(df, 1), "age");
    char *t = lm_df_column_type(df, 2);
    assert_string_equal(t, "array<int>");
    free(t);
    char *d = lm_df_dtypes_string(df);
    assert_string_equal(d, "name:string, age:bigint, array(age):array<int>");
    free(d);
    lm_df_free(df);
    lm_df_free(p);
    lm_session_close(s);
}

static void test_freeing_parents_before_children_is_safe(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *a = lm_df_filter_expr(p, "age > 30");
    lm_df *b = lm_df_select(a, lm_col("name"), NULL);
    lm_df_free(p);
    lm_df_free(a);
    assert_df_rows(s, b, "Alice\nBob");
    lm_session_close(s);
}

static void test_null_dataframe_propagates_through_chain(void **state)
{
    (void)state;
    lm_session *s = fixture_session();
    lm_df *p = people(s);
    lm_df *bad = lm_df_select(p, lm_col("zzz"), NULL);
    assert_null(bad);
    assert_null(lm_df_limit(lm_df_filter(bad, lm_col("a")), 3));
    assert_string_equal(lm_errclass(s), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    lm_df_free(p);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_dataframe_with_ddl_schema),
        cmocka_unit_test(test_create_dataframe_infers_types_and_tuple_names),
        cmocka_unit_test(test_create_dataframe_with_column_names),
        cmocka_unit_test(test_select_by_name_and_expression_names_columns_as_spark),
        cmocka_unit_test(test_select_star_and_qualified_star),
        cmocka_unit_test(test_select_expr_parses_sql),
        cmocka_unit_test(test_unknown_column_fails_at_definition_with_suggestion),
        cmocka_unit_test(test_parse_error_is_reported_by_the_consuming_call),
        cmocka_unit_test(test_filter_with_column_and_with_sql_string),
        cmocka_unit_test(test_filter_on_non_boolean_fails),
        cmocka_unit_test(test_with_column_appends_or_replaces),
        cmocka_unit_test(test_with_column_renamed_and_drop),
        cmocka_unit_test(test_functions_cast_and_case_when),
        cmocka_unit_test(test_isin_like_and_null_predicates),
        cmocka_unit_test(test_columns_and_dtypes),
        cmocka_unit_test(test_freeing_parents_before_children_is_safe),
        cmocka_unit_test(test_null_dataframe_propagates_through_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
