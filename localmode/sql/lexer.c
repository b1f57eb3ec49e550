/*
 * Spark SQL tokenizer; see lexer.h for the rules it reproduces.
 */
#include "sql/lexer.h"

#include <string.h>

typedef struct lexer {
    const char *s;
    int n;
    lm_token *toks;
    int ntok, cap;
    lm_arena *a;
    bool in_hint;
} lexer;

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static bool is_ident_char(int c)
{
    /* ASCII letters, digits, '_'; bytes of multi-byte UTF-8 sequences are
       accepted too, so non-ASCII names lex as identifiers. */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
           (unsigned char)c >= 0x80;
}

static int upper(int c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

static bool push(lexer *lx, lm_tok_kind k, int start, int stop)
{
    if (lx->ntok == lx->cap) {
        int ncap = lx->cap ? lx->cap * 2 : 64;
        lm_token *nt = lm_arena_alloc(lx->a, sizeof *nt * (size_t)ncap);
        if (nt == NULL)
            return false;
        if (lx->ntok)
            memcpy(nt, lx->toks, sizeof *nt * (size_t)lx->ntok);
        lx->toks = nt;
        lx->cap = ncap;
    }
    lx->toks[lx->ntok].kind = k;
    lx->toks[lx->ntok].start = start;
    lx->toks[lx->ntok].stop = stop;
    lx->ntok++;
    return true;
}

/* Spark's isValidDecimal: a token containing '.' must not be followed by a
   letter, digit or '_' (the lexer upper-cases before checking). */
static bool valid_decimal_end(const lexer *lx, int end)
{
    if (end >= lx->n)
        return true;
    int c = upper((unsigned char)lx->s[end]);
    return !((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_');
}

/* Length of an exponent 'E' [+-]? DIGIT+ at i, or 0. */
static int exponent_len(const lexer *lx, int i)
{
    if (i >= lx->n || upper((unsigned char)lx->s[i]) != 'E')
        return 0;
    int j = i + 1;
    if (j < lx->n && (lx->s[j] == '+' || lx->s[j] == '-'))
        j++;
    int d = j;
    while (j < lx->n && is_digit((unsigned char)lx->s[j]))
        j++;
    return j > d ? j - i : 0;
}

/* F / D / BD suffix at i: returns its length and the token kind. */
static int float_suffix(const lexer *lx, int i, lm_tok_kind *k)
{
    if (i >= lx->n)
        return 0;
    int c = upper((unsigned char)lx->s[i]);
    if (c == 'F') {
        *k = LM_TOK_FLOAT;
        return 1;
    }
    if (c == 'D') {
        *k = LM_TOK_DOUBLE;
        return 1;
    }
    if (c == 'B' && i + 1 < lx->n && upper((unsigned char)lx->s[i + 1]) == 'D') {
        *k = LM_TOK_BIGDECIMAL;
        return 2;
    }
    return 0;
}

/*
 * Numbers, simulating ANTLR: every numeric rule and IDENTIFIER are tried,
 * the longest match wins and on a tie the rule listed first (numbers before
 * identifiers). Returns the token length and kind.
 */
static int lex_number(const lexer *lx, int i, lm_tok_kind *kind)
{
    int best = 0;
    lm_tok_kind bk = LM_TOK_UNRECOGNIZED;
#define CANDIDATE(len, k)                 \
    do {                                  \
        if ((len) > best) {               \
            best = (len);                 \
            bk = (k);                     \
        }                                 \
    } while (0)
    int nd = 0;
    while (i + nd < lx->n && is_digit((unsigned char)lx->s[i + nd]))
        nd++;
    if (nd > 0) {
        int c = i + nd < lx->n ? upper((unsigned char)lx->s[i + nd]) : 0;
        if (c == 'L')
            CANDIDATE(nd + 1, LM_TOK_BIGINT);
        else if (c == 'S')
            CANDIDATE(nd + 1, LM_TOK_SMALLINT);
        else if (c == 'Y')
            CANDIDATE(nd + 1, LM_TOK_TINYINT);
        CANDIDATE(nd, LM_TOK_INTEGER);
        int e = exponent_len(lx, i + nd);
        if (e)
            CANDIDATE(nd + e, LM_TOK_EXPONENT);
        lm_tok_kind sk;
        int sl = float_suffix(lx, i + nd + e, &sk);
        if (sl)
            CANDIDATE(nd + e + sl, sk);
    }
    if (i + nd < lx->n && lx->s[i + nd] == '.') {
        int nf = 0;
        while (i + nd + 1 + nf < lx->n && is_digit((unsigned char)lx->s[i + nd + 1 + nf]))
            nf++;
        if (nd > 0 || nf > 0) {
            int dd = nd + 1 + nf;
            if (valid_decimal_end(lx, i + dd))
                CANDIDATE(dd, LM_TOK_DECIMAL);
            int e = exponent_len(lx, i + dd);
            if (e && valid_decimal_end(lx, i + dd + e))
                CANDIDATE(dd + e, LM_TOK_EXPONENT);
            lm_tok_kind sk;
            int sl = float_suffix(lx, i + dd + e, &sk);
            if (sl && valid_decimal_end(lx, i + dd + e + sl))
                CANDIDATE(dd + e + sl, sk);
            if (e) { /* suffix directly after the digits, without exponent */
                sl = float_suffix(lx, i + dd, &sk);
                if (sl && valid_decimal_end(lx, i + dd + sl))
                    CANDIDATE(dd + sl, sk);
            }
        }
    }
    if (nd > 0) {
        int il = 0;
        while (i + il < lx->n && is_ident_char((unsigned char)lx->s[i + il]))
            il++;
        CANDIDATE(il, LM_TOK_IDENT);
    }
#undef CANDIDATE
    *kind = bk;
    return best;
}

/* Skips a bracketed comment starting at i ("/ *"), nested ones included.
   Returns the index after it, or -1 if it never closes. */
static int skip_bracketed_comment(const lexer *lx, int i)
{
    int depth = 0;
    while (i < lx->n) {
        if (lx->s[i] == '/' && i + 1 < lx->n && lx->s[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (lx->s[i] == '*' && i + 1 < lx->n && lx->s[i + 1] == '/') {
            depth--;
            i += 2;
            if (depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return -1;
}

/* Quoted token (string or backquoted name) starting at i with quote q.
   Backslash escapes apply to strings, doubled quotes to backquotes.
   Returns the index after the closing quote, or -1. */
static int skip_quoted(const lexer *lx, int i, char q, bool backslash)
{
    i++;
    while (i < lx->n) {
        char c = lx->s[i];
        if (backslash && c == '\\' && i + 1 < lx->n) {
            i += 2;
            continue;
        }
        if (c == q) {
            if (!backslash && i + 1 < lx->n && lx->s[i + 1] == q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return -1;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

lm_status lm_lex(const char *sql, lm_arena *a, lm_token **out, int *ntok, lm_error *err)
{
    lexer lx = {.s = sql, .n = (int)strlen(sql), .a = a};
    int i = 0;
    while (i < lx.n) {
        unsigned char c = (unsigned char)lx.s[i];
        unsigned char c1 = i + 1 < lx.n ? (unsigned char)lx.s[i + 1] : 0;
        unsigned char c2 = i + 2 < lx.n ? (unsigned char)lx.s[i + 2] : 0;
        if (is_space(c)) {
            i++;
            continue;
        }
        /* U+00A0 and the other Unicode spaces Spark skips, as UTF-8 */
        if (c == 0xC2 && c1 == 0xA0) {
            i += 2;
            continue;
        }
        if (c == '-' && c1 == '-') {
            while (i < lx.n && lx.s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && c1 == '*') {
            if (c2 == '+' && !lx.in_hint) {
                if (!push(&lx, LM_TOK_HINT_START, i, i + 2))
                    return lm_error_oom(err);
                lx.in_hint = true;
                i += 3;
                continue;
            }
            int e = skip_bracketed_comment(&lx, i);
            if (e < 0) {
                lm_error_set(err, LM_ERROR, LM_EXC_PARSE, "UNCLOSED_BRACKETED_COMMENT", "42601",
                             "[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. "
                             "Please, append */ at the end of the comment.");
                return LM_ERROR;
            }
            i = e;
            continue;
        }
        if (lx.in_hint && c == '*' && c1 == '/') {
            if (!push(&lx, LM_TOK_HINT_END, i, i + 1))
                return lm_error_oom(err);
            lx.in_hint = false;
            i += 2;
            continue;
        }
        int start = i;
        lm_tok_kind k = LM_TOK_UNRECOGNIZED;
        int len = 1;
        const char *rq = NULL;
        if ((c == 'R' || c == 'r') && (c1 == '\'' || c1 == '"'))
            rq = memchr(lx.s + i + 2, (char)c1, (size_t)(lx.n - i - 2));
        if (rq != NULL) {
            /* raw string R'...': no escapes at all */
            k = c1 == '\'' ? LM_TOK_STRING : LM_TOK_DQSTRING;
            len = (int)(rq - lx.s) + 1 - i;
        } else if (c == '\'' || c == '"') {
            int e = skip_quoted(&lx, i, (char)c, true);
            if (e > 0) {
                k = c == '\'' ? LM_TOK_STRING : LM_TOK_DQSTRING;
                len = e - i;
            }
        } else if (c == '`') {
            int e = skip_quoted(&lx, i, '`', false);
            if (e > 0) {
                k = LM_TOK_BACKQUOTED;
                len = e - i;
            }
        } else if (is_digit(c) || (c == '.' && is_digit(c1))) {
            len = lex_number(&lx, i, &k);
            if (len == 0) { /* ".5x": not a valid decimal, a lone dot */
                k = LM_TOK_DOT;
                len = 1;
            }
        } else if (is_ident_char(c)) {
            while (i + len < lx.n && is_ident_char((unsigned char)lx.s[i + len]))
                len++;
            k = LM_TOK_IDENT;
        } else {
            switch (c) {
            case '(': k = LM_TOK_LPAREN; break;
            case ')': k = LM_TOK_RPAREN; break;
            case ',': k = LM_TOK_COMMA; break;
            case '.': k = LM_TOK_DOT; break;
            case '[': k = LM_TOK_LBRACKET; break;
            case ']': k = LM_TOK_RBRACKET; break;
            case ';': k = LM_TOK_SEMI; break;
            case '?': k = LM_TOK_QUESTION; break;
            case '+': k = LM_TOK_PLUS; break;
            case '*': k = LM_TOK_STAR; break;
            case '/': k = LM_TOK_SLASH; break;
            case '%': k = LM_TOK_PERCENT; break;
            case '~': k = LM_TOK_TILDE; break;
            case '&': k = LM_TOK_AMP; break;
            case '^': k = LM_TOK_HAT; break;
            case '-':
                if (c1 == '>') { k = LM_TOK_ARROW; len = 2; }
                else k = LM_TOK_MINUS;
                break;
            case '|':
                if (c1 == '|') { k = LM_TOK_CONCAT; len = 2; }
                else k = LM_TOK_PIPE;
                break;
            case ':':
                if (c1 == ':') { k = LM_TOK_DCOLON; len = 2; }
                else k = LM_TOK_COLON;
                break;
            case '=':
                if (c1 == '=') { k = LM_TOK_EQ; len = 2; }
                else if (c1 == '>') { k = LM_TOK_FAT_ARROW; len = 2; }
                else k = LM_TOK_EQ;
                break;
            case '!':
                if (c1 == '=') { k = LM_TOK_NEQJ; len = 2; }
                else if (c1 == '>') { k = LM_TOK_LTE; len = 2; }
                else if (c1 == '<') { k = LM_TOK_GTE; len = 2; }
                else k = LM_TOK_BANG;
                break;
            case '<':
                if (c1 == '=' && c2 == '>') { k = LM_TOK_NSEQ; len = 3; }
                else if (c1 == '=') { k = LM_TOK_LTE; len = 2; }
                else if (c1 == '>') { k = LM_TOK_NEQ; len = 2; }
                else if (c1 == '<') { k = LM_TOK_SHIFT_LEFT; len = 2; }
                else k = LM_TOK_LT;
                break;
            case '>':
                if (c1 == '=') { k = LM_TOK_GTE; len = 2; }
                else k = LM_TOK_GT;
                break;
            default:
                k = LM_TOK_UNRECOGNIZED;
                break;
            }
        }
        if (!push(&lx, k, start, start + len - 1))
            return lm_error_oom(err);
        i = start + len;
    }
    if (!push(&lx, LM_TOK_EOF, lx.n, lx.n))
        return lm_error_oom(err);
    *out = lx.toks;
    *ntok = lx.ntok;
    return LM_OK;
}
