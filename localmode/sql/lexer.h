/*
 * Tokenizer for Spark SQL, following the token rules of Spark 3.5's
 * SqlBaseLexer: case-insensitive keywords (every keyword is lexed as an
 * identifier and recognised by the parser, because in Spark's default
 * non-ANSI mode almost every keyword is also a valid identifier), ANTLR's
 * longest-match choice between numbers and identifiers ("1e3" is a number,
 * "1ab" an identifier), the "is a valid decimal" check ("1.5x" is not a
 * decimal), nested bracketed comments, and hints opened by "/ *+".
 *
 * The token array lives in the caller's arena. Offsets are byte offsets into
 * the text, stop inclusive, like Spark's query context.
 */
#ifndef LM_SQL_LEXER_H
#define LM_SQL_LEXER_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/error.h"

typedef enum lm_tok_kind {
    LM_TOK_EOF = 0,
    LM_TOK_IDENT,       /* identifier or keyword */
    LM_TOK_BACKQUOTED,  /* `name` */
    LM_TOK_STRING,      /* '...' or R'...' */
    LM_TOK_DQSTRING,    /* "..." or R"..." (a string literal in default mode) */
    LM_TOK_INTEGER,     /* 12 */
    LM_TOK_BIGINT,      /* 12L */
    LM_TOK_SMALLINT,    /* 12S */
    LM_TOK_TINYINT,     /* 12Y */
    LM_TOK_DECIMAL,     /* 1.5, .5, 1. */
    LM_TOK_EXPONENT,    /* 1e3, 1.5E-2 */
    LM_TOK_DOUBLE,      /* 1D, 1.5e3D */
    LM_TOK_FLOAT,       /* 1F */
    LM_TOK_BIGDECIMAL,  /* 1BD */
    LM_TOK_LPAREN, LM_TOK_RPAREN, LM_TOK_COMMA, LM_TOK_DOT,
    LM_TOK_LBRACKET, LM_TOK_RBRACKET, LM_TOK_SEMI, LM_TOK_BANG,
    LM_TOK_EQ,          /* = or == */
    LM_TOK_NSEQ,        /* <=> */
    LM_TOK_NEQ,         /* <> */
    LM_TOK_NEQJ,        /* != */
    LM_TOK_LT,
    LM_TOK_LTE,         /* <= or !> */
    LM_TOK_GT,          /* > (">>" is two GT tokens; the parser checks adjacency) */
    LM_TOK_GTE,         /* >= or !< */
    LM_TOK_SHIFT_LEFT,  /* << */
    LM_TOK_PLUS, LM_TOK_MINUS, LM_TOK_STAR, LM_TOK_SLASH, LM_TOK_PERCENT,
    LM_TOK_TILDE, LM_TOK_AMP, LM_TOK_PIPE, LM_TOK_CONCAT, LM_TOK_HAT,
    LM_TOK_COLON, LM_TOK_DCOLON, LM_TOK_ARROW, LM_TOK_FAT_ARROW,
    LM_TOK_HINT_START,  /* / *+ */
    LM_TOK_HINT_END,    /* the * / closing a hint */
    LM_TOK_QUESTION,
    LM_TOK_UNRECOGNIZED
} lm_tok_kind;

typedef struct lm_token {
    lm_tok_kind kind;
    int start, stop; /* inclusive byte offsets; for EOF start = stop = length */
} lm_token;

/*
 * Splits sql into tokens (comments and white space dropped), ending with one
 * LM_TOK_EOF. On an unclosed bracketed comment fails with Spark's
 * UNCLOSED_BRACKETED_COMMENT ParseException.
 */
lm_status lm_lex(const char *sql, lm_arena *a, lm_token **out, int *ntok, lm_error *err);

#endif
