/*
 * Internals shared by the parser's files (parser.c: driver, errors, tokens,
 * names, statements; parse_expr.c: expressions, literals, data types;
 * parse_query.c: queries and relations). Not a public interface.
 *
 * Error handling: every parse routine reports a failure through
 * sqlp_fail/sqlp_syntax_error, which record the error and longjmp back to
 * the entry point. All allocations come from the caller's arena, so
 * abandoning a half-built tree leaks nothing.
 */
#ifndef LM_SQL_PARSE_INTERNAL_H
#define LM_SQL_PARSE_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/error.h"
#include "plan/plan.h"
#include "sql/lexer.h"
#include "sql/parser.h"

/* Nesting limit: keeps hostile input from exhausting the C stack. */
#define SQLP_MAX_DEPTH 400

typedef struct sqlp {
    const char *src;
    int len;
    lm_token *toks;
    int ntoks;
    int pos;
    lm_arena *a;
    lm_error *err;
    jmp_buf *jb;
    int depth;
    lm_parse_options opts;
    /* token index of the last syntax failure; ntoks for semantic errors,
       which backtracking must not swallow */
    int fail_pos;
    /* alternatives (rule, token position) that failed under backtracking;
       see sqlp_memo_failed */
    struct sqlp_memo *memo;
} sqlp;

/* A growable array of pointers in the arena. */
typedef struct sqlp_vec {
    void **items;
    int n, cap;
} sqlp_vec;

void sqlp_vec_push(sqlp *p, sqlp_vec *v, void *item);

/* ------------------------------------------------------------ tokens */
const lm_token *sqlp_tok(const sqlp *p, int ahead);
lm_tok_kind sqlp_kind(const sqlp *p, int ahead);
/* Is token `ahead` the (case-insensitive) keyword kw? kw is upper case. */
bool sqlp_is_kw(const sqlp *p, int ahead, const char *kw);
bool sqlp_accept_kw(sqlp *p, const char *kw);
void sqlp_expect_kw(sqlp *p, const char *kw);
bool sqlp_accept(sqlp *p, lm_tok_kind k);
void sqlp_expect(sqlp *p, lm_tok_kind k);
/* Text of token i (absolute index) copied into the arena. */
char *sqlp_tok_text(sqlp *p, int i);
char *sqlp_span_text(sqlp *p, int start, int stop);
/* The start offset of the current token and the stop offset of the previous one. */
int sqlp_cur_start(const sqlp *p);
int sqlp_prev_stop(const sqlp *p);

/* ------------------------------------------------------------ errors */
_Noreturn void sqlp_syntax_error(sqlp *p, const char *hint);
_Noreturn void sqlp_oom(sqlp *p);
/*
 * Records an error with class, sqlstate (may be NULL), query context span
 * (start/stop offsets, -1 for none) and a NULL-terminated list of
 * name, value parameter pairs, then unwinds.
 */
_Noreturn void sqlp_fail(sqlp *p, const char *exception, const char *error_class,
                         const char *sqlstate, int ctx_start, int ctx_stop, const char *message,
                         ...);
void sqlp_enter(sqlp *p);
void sqlp_leave(sqlp *p);
/*
 * Backtracking memo (packrat parsing's, for failures only). An alternative
 * tried and failed at a token position fails again there: what a rule
 * parses depends on the position alone (the depth limit and semantic
 * errors are not syntax failures and are never recorded). Without it,
 * nested ambiguous parentheses ("((((SELECT f(((SELECT ...") re-try every
 * inner alternative once per outer one: exponential in the nesting depth.
 */
bool sqlp_memo_failed(const sqlp *p, const void *rule, int pos);
void sqlp_memo_record(sqlp *p, const void *rule, int pos);

/* ------------------------------------------------------------ memory */
void *sqlp_alloc(sqlp *p, size_t size);
char *sqlp_strdup(sqlp *p, const char *s);
char *sqlp_strndup(sqlp *p, const char *s, size_t n);
lm_expr *sqlp_expr_new(sqlp *p, lm_expr_kind kind, int start, int stop);
lm_plan *sqlp_plan_new(sqlp *p, lm_plan_kind kind, int start, int stop);
lm_expr **sqlp_vec_exprs(sqlp *p, sqlp_vec *v);

/* ------------------------------------------------------------ names */
/* Can token `ahead` start an identifier (any keyword included)? */
bool sqlp_is_ident_tok(const sqlp *p, int ahead);
/* Parses an identifier (unquoted, or backquoted with `` unescaped). */
char *sqlp_identifier(sqlp *p);
/* a.b.c -> parts; returns count. */
int sqlp_multipart(sqlp *p, char ***parts);
/* ( a, b, c ) */
int sqlp_identifier_list(sqlp *p, char ***names);
/* True when token `ahead` is a keyword that ends a clause and therefore
   cannot be taken as an alias written without AS. */
bool sqlp_is_clause_keyword(const sqlp *p, int ahead);

/* ------------------------------------------------------------ strings */
/* Unescaped value of a string token (Spark's unescapeSQLString). */
char *sqlp_string_value(sqlp *p, int tok_index, int *out_len);
/* stringLit+ : adjacent literals concatenated. */
char *sqlp_string_lit(sqlp *p, int *out_len);
bool sqlp_is_string_tok(const sqlp *p, int ahead);

/* ------------------------------------------------------------ expressions (parse_expr.c,
   data types in parse_datatype.c) */
lm_expr *sqlp_expression(sqlp *p);
lm_expr *sqlp_named_expression(sqlp *p);
lm_expr *sqlp_value_expression(sqlp *p);
lm_expr *sqlp_sort_item(sqlp *p);
lm_window_spec *sqlp_window_spec(sqlp *p);
lm_type *sqlp_data_type(sqlp *p);
lm_type *sqlp_col_type_list(sqlp *p, bool table_columns);
lm_expr *sqlp_constant(sqlp *p);

/* ------------------------------------------------------------ literals (parse_literal.c) */
lm_expr *sqlp_lit_new(sqlp *p, lm_type_id id, int start, int stop);
lm_expr *sqlp_lit_string(sqlp *p, const char *s, int len, int start, int stop);
lm_expr *sqlp_lit_int(sqlp *p, int64_t v, int start, int stop);
lm_expr *sqlp_lit_bool(sqlp *p, bool b, int start, int stop);
/* The number token at the cursor; neg when a '-' was written before it. */
lm_expr *sqlp_number_literal(sqlp *p, bool neg, int start);
/* literalType stringLit (DATE '..', X'..', INTERVAL '..', unknown types fail) */
lm_expr *sqlp_typed_literal(sqlp *p);
bool sqlp_at_interval_literal(sqlp *p);
lm_expr *sqlp_interval_literal(sqlp *p);
char *sqlp_lower_copy(sqlp *p, const char *s);
char *sqlp_upper_copy(sqlp *p, const char *s);

/* ------------------------------------------------------------ queries */
/* Does the token at `ahead` (after any opening parentheses) start a query? */
bool sqlp_looks_like_query(const sqlp *p, int ahead);
lm_plan *sqlp_query(sqlp *p);

#endif
