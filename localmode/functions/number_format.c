/*
 * Number format patterns: to_number, try_to_number (string -> decimal) and
 * to_char / to_varchar on numbers (decimal -> string), as Spark's
 * ToNumberParser reads and writes them.
 *
 * A format, upper-cased, is a sequence of
 *   0 9     digits: a run starting with 0 before the decimal point must be
 *           matched by exactly as many input digits, any other run by at
 *           most as many
 *   . D     the decimal point          , G   a thousands separator
 *   $       a dollar sign              S     an optional '+' or '-'
 *   MI      an optional '-'            PR    '<' ... '>' around a negative
 * in the order [PR<] [MI|S] [$] digits [.] digits [$] [MI|S|PR>]. Runs of
 * digits and separators form one digit group; the result of to_number is a
 * DECIMAL whose precision is the number of format digits and whose scale
 * is the number of digits after the decimal point.
 *
 * The format must be foldable; it is compiled once at analysis and the
 * compiled form hangs off the call (call->aux, in the resolve arena). An
 * invalid format is an INVALID_FORMAT.* analysis error; an input that does
 * not match is INVALID_FORMAT.MISMATCH_INPUT at run time (NULL for
 * try_to_number). to_char on a DATE/TIMESTAMP is date_format and on a
 * BINARY is base64 / hex / decode, as Spark's ToCharacterBuilder picks.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"

/* ------------------------------------------------------------ format */

enum nf_kind {
    NF_EXACT,  /* a 0-run before the decimal point: exactly n digits */
    NF_ATMOST, /* any other run: at most n digits */
    NF_POINT,  /* . or D */
    NF_SEP,    /* , or G */
    NF_DOLLAR, /* $ */
    NF_SIGN,   /* S */
    NF_MINUS,  /* MI */
    NF_OPEN,   /* the '<' of PR (placed first) */
    NF_CLOSE,  /* the '>' of PR */
    NF_BAD,    /* any other character */
    NF_GROUP   /* consecutive digit runs and separators */
};

typedef struct nf_tok {
    enum nf_kind kind;
    int n;        /* EXACT / ATMOST: digit count */
    uint32_t ch;  /* BAD: the character */
    int from, to; /* GROUP: its runs and separators, raw[from..to) */
} nf_tok;

typedef struct nf_format {
    const char *text; /* the format upper-cased, as Spark reports it */
    nf_tok *raw;
    int nraw;
    nf_tok *tok;      /* raw tokens with digit groups folded */
    int ntok;
    int precision, scale;
    int digits_before, digits_after; /* format digits around the point */
} nf_format;

static bool is_digit_kind(enum nf_kind k)
{
    return k == NF_EXACT || k == NF_ATMOST;
}

/* Upper-cases ASCII letters (Spark upper-cases the whole format with
   Locale.ROOT; only ASCII letters are meaningful in it). */
static char *nf_upper(lm_arena *a, const char *s, int32_t n)
{
    char *u = lm_arena_alloc(a, (size_t)n + 1);
    if (u == NULL)
        return NULL;
    for (int32_t i = 0; i < n; i++)
        u[i] = (char)toupper((unsigned char)s[i]);
    u[n] = '\0';
    return u;
}

/* Splits an upper-cased format into tokens and folds the digit groups.
   Returns false on OOM only; validity is nf_check's business. */
static bool nf_compile(lm_arena *a, const char *fmt, int32_t n, nf_format *f)
{
    memset(f, 0, sizeof *f);
    f->text = nf_upper(a, fmt, n);
    f->raw = lm_arena_alloc(a, sizeof *f->raw * (size_t)(n + 2));
    f->tok = lm_arena_alloc(a, sizeof *f->tok * (size_t)(n + 2));
    if (f->text == NULL || f->raw == NULL || f->tok == NULL)
        return false;
    const char *u = f->text;
    bool after_point = false;
    int32_t i = 0;
    while (i < n) {
        nf_tok t = {0};
        char c = u[i];
        if (c == '0' || c == '9') {
            int32_t start = i;
            do
                i++;
            while (i < n && (u[i] == '0' || u[i] == '9'));
            t.kind = (c == '0' && !after_point) ? NF_EXACT : NF_ATMOST;
            t.n = (int)(i - start);
        } else if (c == '.' || c == 'D') {
            t.kind = NF_POINT;
            after_point = true;
            i++;
        } else if (c == ',' || c == 'G') {
            t.kind = NF_SEP;
            i++;
        } else if (c == '$') {
            t.kind = NF_DOLLAR;
            i++;
        } else if (c == 'S') {
            t.kind = NF_SIGN;
            i++;
        } else if (c == 'M' && i + 1 < n && u[i + 1] == 'I') {
            t.kind = NF_MINUS;
            i += 2;
        } else if (c == 'P' && i + 1 < n && u[i + 1] == 'R') {
            /* PR: '<' expected before everything, '>' here */
            memmove(f->raw + 1, f->raw, sizeof *f->raw * (size_t)f->nraw);
            f->raw[0] = (nf_tok){.kind = NF_OPEN};
            f->nraw++;
            t.kind = NF_CLOSE;
            i += 2;
        } else {
            uint32_t cp;
            int len = fn_utf8_decode(u + i, n - i, &cp);
            t.kind = NF_BAD;
            t.ch = cp;
            i += len > 0 ? len : 1;
        }
        f->raw[f->nraw++] = t;
    }
    /* fold runs of digits and separators into groups */
    for (int k = 0; k < f->nraw;) {
        if (is_digit_kind(f->raw[k].kind) || f->raw[k].kind == NF_SEP) {
            int from = k;
            while (k < f->nraw && (is_digit_kind(f->raw[k].kind) || f->raw[k].kind == NF_SEP))
                k++;
            f->tok[f->ntok++] = (nf_tok){.kind = NF_GROUP, .from = from, .to = k};
        } else {
            f->tok[f->ntok++] = f->raw[k++];
        }
    }
    /* precision and scale: every digit, and those after the first point */
    bool seen_point = false;
    for (int k = 0; k < f->ntok; k++) {
        if (f->tok[k].kind == NF_POINT)
            seen_point = true;
        if (f->tok[k].kind != NF_GROUP)
            continue;
        for (int r = f->tok[k].from; r < f->tok[k].to; r++) {
            if (!is_digit_kind(f->raw[r].kind))
                continue;
            f->precision += f->raw[r].n;
            if (seen_point)
                f->digits_after += f->raw[r].n;
            else
                f->digits_before += f->raw[r].n;
        }
    }
    f->scale = f->digits_after;
    return true;
}

static int nf_find(const nf_format *f, enum nf_kind k)
{
    for (int i = 0; i < f->ntok; i++)
        if (f->tok[i].kind == k)
            return i;
    return -1;
}

/* How Spark names a token in format errors. */
static const char *nf_token_name(lm_arena *a, const nf_tok *t)
{
    switch (t->kind) {
    case NF_EXACT:
    case NF_ATMOST:
    case NF_GROUP: return "digit sequence";
    case NF_POINT: return ". or D";
    case NF_SEP: return ", or G";
    case NF_DOLLAR: return "$";
    case NF_SIGN: return "S";
    case NF_MINUS: return "MI";
    case NF_OPEN:
    case NF_CLOSE: return "PR";
    default: {
        char b[8];
        int k = fn_utf8_encode(t->ch, b);
        b[k] = '\0';
        /* (sic) Spark's InvalidUnrecognizedCharacter prints two quotes */
        char *s = lm_arena_printf(a, "character '%s''", b);
        return s ? s : "character";
    }
    }
}

/* Which groups sit in the slots of the allowed order
   [<] [MI|S] [$] group [.] group [$] [MI|S|>]. */
static bool nf_slot_accepts(int slot, enum nf_kind k)
{
    switch (slot) {
    case 0: return k == NF_OPEN;
    case 1: return k == NF_MINUS || k == NF_SIGN;
    case 2: return k == NF_DOLLAR;
    case 3: return k == NF_GROUP;
    case 4: return k == NF_POINT;
    case 5: return k == NF_GROUP;
    case 6: return k == NF_DOLLAR;
    case 7: return k == NF_MINUS || k == NF_SIGN || k == NF_CLOSE;
    default: return false;
    }
}

/*
 * ToNumberParser.checkInputDataTypes: returns NULL when the format is
 * valid, else the INVALID_FORMAT sub-class; *token receives the token
 * name for WRONG_NUM_TOKEN and UNEXPECTED_TOKEN.
 */
static const char *nf_check(lm_arena *a, const nf_format *f, const char **token)
{
    *token = NULL;
    if (f->text[0] == '\0')
        return "EMPTY";
    int first_digit = nf_find(f, NF_GROUP);
    if (first_digit < 0)
        return "WRONG_NUM_DIGIT";
    int first_dollar = nf_find(f, NF_DOLLAR);
    if (first_digit < first_dollar)
        return "CUR_MUST_BEFORE_DIGIT";
    int first_point = nf_find(f, NF_POINT);
    if (first_point != -1 && first_point < first_dollar)
        return "CUR_MUST_BEFORE_DEC";
    for (int i = 0; i < f->ntok; i++) {
        const nf_tok *g = &f->tok[i];
        if (g->kind != NF_GROUP)
            continue;
        bool before = first_point == -1 || i < first_point;
        bool after = first_point != -1 && i > first_point;
        for (int r = g->from; r < g->to; r++) {
            if (f->raw[r].kind != NF_SEP)
                continue;
            /* a separator needs a digit run on both sides */
            if (before && (r == g->from || r == g->to - 1 || f->raw[r - 1].kind == NF_SEP ||
                           f->raw[r + 1].kind == NF_SEP))
                return "CONT_THOUSANDS_SEPS";
        }
        if (after)
            for (int r = g->from; r < g->to; r++)
                if (f->raw[r].kind == NF_SEP)
                    return "THOUSANDS_SEPS_MUST_BEFORE_DEC";
    }
    static const enum nf_kind once[] = {NF_POINT, NF_SIGN, NF_MINUS, NF_DOLLAR, NF_CLOSE};
    for (size_t k = 0; k < sizeof once / sizeof once[0]; k++) {
        int count = 0;
        for (int i = 0; i < f->ntok; i++)
            if (f->tok[i].kind == once[k])
                count++;
        if (count > 1) {
            nf_tok t = {.kind = once[k]};
            *token = nf_token_name(a, &t);
            return "WRONG_NUM_TOKEN";
        }
    }
    int at = 0;
    for (int slot = 0; slot < 8; slot++)
        if (at < f->ntok && nf_slot_accepts(slot, f->tok[at].kind))
            at++;
    if (at < f->ntok) {
        *token = nf_token_name(a, &f->tok[at]);
        return "UNEXPECTED_TOKEN";
    }
    return NULL;
}

/* ------------------------------------------------------------ parse */

/* Java's Character.isWhitespace: the Unicode space separators except the
   no-break ones, and the ASCII controls \t..\r and FS..US. */
static bool nf_java_space(uint32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        return true;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A))
        return true;
    return c == 0x2028 || c == 0x2029 || c == 0x205F || c == 0x3000;
}

typedef struct nf_parse_state {
    const char *s;
    int32_t n, at;
    char *before, *after; /* digits read before / after the input's point */
    int nbefore, nafter;
    bool point;           /* the input's decimal point was read */
} nf_parse_state;

/* Reads the digits of one format group: digits, ',' between them and
   whitespace, up to the first other character. The input's groups,
   counted from the right, must fit the format's runs from the right. */
static bool nf_parse_group(const nf_format *f, const nf_tok *g, nf_parse_state *p)
{
    int sizes[64], nsizes = 0, cur = 0;
    bool overflow = false;
    for (;;) {
        if (p->at >= p->n) {
            if (nsizes < 64)
                sizes[nsizes++] = cur;
            else
                overflow = true;
            break;
        }
        uint32_t c;
        int len = fn_utf8_decode(p->s + p->at, p->n - p->at, &c);
        if (len <= 0)
            len = 1;
        if (nf_java_space(c)) {
            p->at += len;
        } else if (c >= '0' && c <= '9') {
            cur++;
            if (p->point)
                p->after[p->nafter++] = (char)c;
            else
                p->before[p->nbefore++] = (char)c;
            p->at += len;
        } else if (c == ',') {
            if (nsizes < 64)
                sizes[nsizes++] = cur;
            else
                overflow = true;
            cur = 0;
            p->at += len;
        } else {
            if (nsizes < 64)
                sizes[nsizes++] = cur;
            else
                overflow = true;
            break;
        }
    }
    int nruns = 0;
    for (int r = g->from; r < g->to; r++)
        if (is_digit_kind(f->raw[r].kind))
            nruns++;
    if (overflow || nsizes > nruns)
        return false; /* more separators than the format has */
    /* the i-th run from the right meets the i-th input group from the right */
    int i = 0;
    for (int r = g->to - 1; r >= g->from; r--) {
        const nf_tok *t = &f->raw[r];
        if (!is_digit_kind(t->kind))
            continue;
        int got = i < nsizes ? sizes[nsizes - 1 - i] : 0;
        if (t->kind == NF_EXACT ? got != t->n : got > t->n)
            return false;
        i++;
    }
    return true;
}

/* Parses s against the format; false when it does not match. */
static bool nf_parse(lm_arena *a, const nf_format *f, const char *s, int32_t n, lm_int128 *out)
{
    nf_parse_state p = {.s = s, .n = n};
    p.before = lm_arena_alloc(a, (size_t)n + 1);
    p.after = lm_arena_alloc(a, (size_t)n + 1);
    if (p.before == NULL || p.after == NULL)
        return false;
    bool open = false, close = false, negate = false;
    for (int k = 0; k < f->ntok; k++) {
        const nf_tok *t = &f->tok[k];
        bool have = p.at < p.n;
        char c = have ? s[p.at] : '\0';
        switch (t->kind) {
        case NF_GROUP:
            if (!nf_parse_group(f, t, &p))
                return false;
            break;
        case NF_POINT:
            if (have && c == '.') {
                p.point = true;
                p.at++;
            }
            break;
        case NF_DOLLAR:
            /* an expected '$' may only be missing at the end of the input */
            if (have) {
                if (c != '$')
                    return false;
                p.at++;
            }
            break;
        case NF_SIGN:
            if (have && (c == '+' || c == '-')) {
                if (c == '-')
                    negate = !negate;
                p.at++;
            }
            break;
        case NF_MINUS:
            if (have && c == '-') {
                negate = !negate;
                p.at++;
            }
            break;
        case NF_OPEN:
            if (have && c == '<') {
                if (open)
                    return false;
                open = true;
                p.at++;
            }
            break;
        case NF_CLOSE:
            if (have && c == '>') {
                if (!open)
                    return false;
                close = true;
                negate = !negate;
                p.at++;
            }
            break;
        default:
            break;
        }
    }
    if (p.at < p.n || open != close)
        return false;
    /* Spark builds "[-]before.after" padded to the scale and reads it with
       BigDecimal: with neither digits nor a scale there is no number */
    if (p.nbefore == 0 && p.nafter == 0 && f->scale == 0)
        return false;
    lm_int128 v = 0;
    for (int i = 0; i < p.nbefore; i++)
        v = v * 10 + (p.before[i] - '0');
    for (int i = 0; i < f->scale; i++)
        v = v * 10 + (i < p.nafter ? p.after[i] - '0' : 0);
    *out = negate ? -v : v;
    return true;
}

/* ------------------------------------------------------------ format */

static void nf_swap_back(lm_strbuf *sb, char c)
{
    /* appends c, then moves it left over the spaces before it, so a sign
       stays next to the digits ("  -12" rather than "-  12") */
    lm_strbuf_putc(sb, c);
    if (!lm_strbuf_ok(sb))
        return;
    char *r = sb->data;
    for (size_t i = sb->len - 1; i >= 1 && r[i - 1] == ' ' && r[i] == c; i--) {
        r[i] = ' ';
        r[i - 1] = c;
    }
}

static void nf_space(lm_strbuf *sb)
{
    /* appends a space, then moves it left of a sign or '<' before it */
    lm_strbuf_putc(sb, ' ');
    if (!lm_strbuf_ok(sb))
        return;
    char *r = sb->data;
    for (size_t i = sb->len - 1;
         i >= 1 && (r[i - 1] == '+' || r[i - 1] == '-' || r[i - 1] == '<') && r[i] == ' '; i--) {
        r[i] = r[i - 1];
        r[i - 1] = ' ';
    }
}

/* The last character written, '\0' when none. */
static char nf_last(const lm_strbuf *sb)
{
    return sb->len > 0 && sb->data != NULL ? sb->data[sb->len - 1] : '\0';
}

static void nf_strip_lone_point(lm_strbuf *sb)
{
    /* a decimal point with no digit after it becomes a space */
    if (sb->len == 0 || sb->data == NULL)
        return;
    char *dot = memchr(sb->data, '.', sb->len);
    if (dot != NULL && (dot + 1 == sb->data + sb->len || dot[1] == ' '))
        *dot = ' ';
}

/*
 * ToNumberParser.format: writes the decimal v (scale `scale`) in the
 * format. Digits that do not fit turn every format digit into '#'.
 */
static bool nf_format_value(lm_arena *a, const nf_format *f, lm_int128 v, int scale,
                            lm_strbuf *sb)
{
    char plain[FN_DEC_BUF];
    fn_dec_format(plain, v, scale);
    /* digits before and after the point, without sign, leading zeros
       before and trailing zeros after */
    char *p = plain;
    while (*p == '-' || *p == '0')
        p++;
    char *dot = strchr(p, '.');
    int nb = dot ? (int)(dot - p) : (int)strlen(p);
    const char *frac = dot ? dot + 1 : "";
    int na = (int)strlen(frac);
    while (na > 0 && frac[na - 1] == '0')
        na--;
    int fb = f->digits_before, fa = f->digits_after;
    char *before = lm_arena_alloc(a, (size_t)fb + 1);
    char *after = lm_arena_alloc(a, (size_t)fa + 1);
    if (before == NULL || after == NULL)
        return false;
    if (nb > fb || na > fa) {
        memset(before, '#', (size_t)fb);
        memset(after, '#', (size_t)fa);
    } else {
        memset(before, ' ', (size_t)(fb - nb));
        memcpy(before + (fb - nb), p, (size_t)nb);
        memcpy(after, frac, (size_t)na);
        memset(after + na, '0', (size_t)(fa - na));
    }
    bool neg = v < 0;
    int bi = 0, ai = 0;
    bool point = false;
    for (int k = 0; k < f->ntok; k++) {
        const nf_tok *t = &f->tok[k];
        switch (t->kind) {
        case NF_GROUP:
            for (int r = t->from; r < t->to; r++) {
                const nf_tok *d = &f->raw[r];
                if (d->kind == NF_SEP) {
                    if (isdigit((unsigned char)nf_last(sb)))
                        lm_strbuf_putc(sb, ',');
                    else
                        nf_space(sb);
                    continue;
                }
                for (int j = 0; j < d->n; j++) {
                    if (point) {
                        lm_strbuf_putc(sb, after[ai++]);
                        continue;
                    }
                    char c = before[bi++];
                    if (c == ' ' && d->kind == NF_EXACT)
                        lm_strbuf_putc(sb, '0');
                    else if (c == ' ')
                        nf_space(sb);
                    else
                        lm_strbuf_putc(sb, c);
                }
            }
            break;
        case NF_POINT: {
            /* no integer digit printed: the last space becomes 0 */
            if (nf_last(sb) == ' ')
                sb->data[sb->len - 1] = '0';
            lm_strbuf_putc(sb, '.');
            point = true;
            break;
        }
        case NF_DOLLAR:
            lm_strbuf_putc(sb, '$');
            break;
        case NF_SIGN:
            nf_strip_lone_point(sb);
            nf_swap_back(sb, neg ? '-' : '+');
            break;
        case NF_MINUS:
            if (neg) {
                nf_strip_lone_point(sb);
                nf_swap_back(sb, '-');
            } else {
                lm_strbuf_putc(sb, ' ');
            }
            break;
        case NF_OPEN:
            if (neg)
                lm_strbuf_putc(sb, '<');
            break;
        case NF_CLOSE:
            nf_strip_lone_point(sb);
            if (neg)
                nf_swap_back(sb, '>');
            else
                lm_strbuf_puts(sb, "  ");
            break;
        default:
            break;
        }
    }
    nf_strip_lone_point(sb);
    const char *r = lm_strbuf_cstr(sb);
    if (r[0] == '\0' || strcmp(r, "+") == 0 || strcmp(r, "-") == 0) {
        lm_strbuf_reset(sb);
        lm_strbuf_putc(sb, '0');
    }
    return lm_strbuf_ok(sb);
}

/* ------------------------------------------------------------ resolve */

static lm_status nf_non_foldable(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    char *q = lm_coerce_quote_sql(rc, call->args[1]);
    lm_coerce_mismatch(rc, call, err, "NON_FOLDABLE_INPUT",
                       "the input format should be a foldable \"STRING\" expression; however, "
                       "got %s.",
                       q ? q : "");
    lm_error_param_add(err, "inputName", "`format`");
    lm_error_param_add(err, "inputType", "\"STRING\"");
    lm_error_param_add(err, "inputExpr", q);
    return LM_ERROR;
}

static const char *nf_message(const char *sub)
{
    if (strcmp(sub, "EMPTY") == 0)
        return "The number format string cannot be empty.";
    if (strcmp(sub, "WRONG_NUM_DIGIT") == 0)
        return "The format string requires at least one number digit.";
    if (strcmp(sub, "CUR_MUST_BEFORE_DIGIT") == 0)
        return "Currency characters must appear before digits in the number format.";
    if (strcmp(sub, "CUR_MUST_BEFORE_DEC") == 0)
        return "Currency characters must appear before any decimal point in the number format.";
    if (strcmp(sub, "CONT_THOUSANDS_SEPS") == 0)
        return "Thousands separators (, or G) must have digits in between them in the number "
               "format.";
    if (strcmp(sub, "THOUSANDS_SEPS_MUST_BEFORE_DEC") == 0)
        return "Thousands separators (, or G) may not appear after the decimal point in the "
               "number format.";
    return "";
}

/*
 * Compiles the foldable format argument 1 of call into *out (NULL when the
 * format is NULL, which makes every result NULL). Raises Spark's analysis
 * errors for a non-foldable or invalid format.
 */
static lm_status nf_prepare(lm_resolve_ctx *rc, lm_expr *call, nf_format **out, lm_error *err)
{
    *out = NULL;
    lm_value fv;
    if (!fn_const_value(rc, call->args[1], &fv))
        return nf_non_foldable(rc, call, err);
    if (fv.is_null)
        return LM_OK;
    nf_format *f = lm_arena_alloc(rc->a, sizeof *f);
    if (f == NULL || !nf_compile(rc->a, fv.u.str.ptr, fv.u.str.len, f))
        return fn_oom(err);
    const char *token;
    const char *sub = nf_check(rc->a, f, &token);
    if (sub != NULL) {
        char cls[64];
        snprintf(cls, sizeof cls, "INVALID_FORMAT.%s", sub);
        char *q = lm_arena_printf(rc->a, "'%s'", f->text);
        if (strcmp(sub, "WRONG_NUM_TOKEN") == 0)
            lm_error_set(err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42601",
                         "[%s] The format is invalid: %s. At most one %s is allowed in the "
                         "number format.",
                         cls, q ? q : "", token);
        else if (strcmp(sub, "UNEXPECTED_TOKEN") == 0)
            lm_error_set(err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42601",
                         "[%s] The format is invalid: %s. Found the unexpected %s in the format "
                         "string; the structure of the format string must match: `[MI|S]` `[$]` "
                         "`[0|9|G|,]*` `[.|D]` `[0|9]*` `[$]` `[PR|MI|S]`.",
                         cls, q ? q : "", token);
        else
            lm_error_set(err, LM_ERROR, LM_EXC_EXT_ANALYSIS, cls, "42601",
                         "[%s] The format is invalid: %s. %s", cls, q ? q : "", nf_message(sub));
        lm_error_param_add(err, "format", q);
        if (token != NULL)
            lm_error_param_add(err, "token", token);
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    if (f->precision > 38) {
        char p[16];
        snprintf(p, sizeof p, "%d", f->precision);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                     "22003",
                     "[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision %s exceeds "
                     "max precision 38.",
                     p);
        lm_error_param_add(err, "precision", p);
        lm_error_param_add(err, "maxPrecision", "38");
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    *out = f;
    return LM_OK;
}

static lm_status nf_expect_str(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_STRING)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_string(), "\"STRING\"", err);
}

/* to_number(str, fmt) / try_to_number: DECIMAL(digits, digits after the
   point); DECIMAL(10,0) NULLs for a NULL format. */
static lm_status resolve_to_number(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (nf_expect_str(rc, call, 0, err) != LM_OK || nf_expect_str(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    nf_format *f;
    if (nf_prepare(rc, call, &f, err) != LM_OK)
        return LM_ERROR;
    call->aux = f;
    bool try_ = call->fn->name[0] == 't' && call->fn->name[1] == 'r';
    lm_type *t = f ? lm_type_decimal(f->precision, f->scale) : lm_type_decimal(10, 0);
    return fn_set_result(rc, call, t, try_ || f == NULL || fn_args_nullable(call), err);
}

static lm_status eval_to_number(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    const nf_format *f = call->aux;
    *out = lm_value_null();
    if (f == NULL)
        return LM_OK;
    lm_int128 v;
    if (nf_parse(ec->arena, f, a[0].u.str.ptr, a[0].u.str.len, &v)) {
        *out = lm_value_dec(v);
        return LM_OK;
    }
    if (call->fn->name[0] == 't' && call->fn->name[1] == 'r')
        return LM_OK; /* try_to_number */
    char *in = lm_arena_strndup(ec->arena, a[0].u.str.ptr, (size_t)a[0].u.str.len);
    lm_eval_error(ec, LM_EXC_ILLEGAL_ARG, "INVALID_FORMAT.MISMATCH_INPUT", "42601",
                  "[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: %s. The input \"STRING\" "
                  "%s does not match the format.",
                  f->text, in ? in : "");
    lm_error_param_add(ec->err, "inputType", "\"STRING\"");
    lm_error_param_add(ec->err, "input", in);
    lm_error_param_add(ec->err, "format", f->text);
    return LM_ERROR;
}

/* Turns the call into another registered function (Spark's builder returns
   a different expression, which also names the column). */
static lm_status nf_become(lm_resolve_ctx *rc, lm_expr *call, const char *name, int nargs,
                           lm_error *err)
{
    const lm_func_def *def = lm_func_lookup(name);
    if (def == NULL)
        return lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "INTERNAL_ERROR", "XX000",
                            "[INTERNAL_ERROR] function %s is not registered", name);
    call->fn = def;
    call->name = lm_arena_strdup(rc->a, name);
    call->nargs = nargs;
    if (call->name == NULL)
        return fn_oom(err);
    return def->resolve(rc, call, err);
}

/* to_char / to_varchar on BINARY: the format names the encoding. */
static lm_status resolve_to_char_binary(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    lm_value fv;
    if (call->args[1]->type->id != LM_TYPE_STRING || !fn_const_value(rc, call->args[1], &fv)) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "NON_FOLDABLE_ARGUMENT", "42K08",
                     "[NON_FOLDABLE_ARGUMENT] The function `%s` requires the parameter `format` "
                     "to be a foldable expression of the type \"STRING\", but the actual "
                     "argument is a non-foldable.",
                     call->fn->name);
        lm_error_param_add(err, "funcName", lm_arena_printf(rc->a, "`%s`", call->fn->name));
        lm_error_param_add(err, "paramName", "`format`");
        lm_error_param_add(err, "paramType", "\"STRING\"");
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    if (fv.is_null) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "INVALID_PARAMETER_VALUE.NULL", "22023",
                     "[INVALID_PARAMETER_VALUE.NULL] The value of parameter(s) `format` in `%s` "
                     "is invalid: expects a non-NULL value.",
                     call->fn->name);
        lm_error_param_add(err, "parameter", "`format`");
        lm_error_param_add(err, "functionName", lm_arena_printf(rc->a, "`%s`", call->fn->name));
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    /* lower-cased and trimmed of characters <= ' ' (String.trim) */
    const char *s = fv.u.str.ptr;
    int32_t n = fv.u.str.len;
    while (n > 0 && (unsigned char)s[0] <= ' ') {
        s++;
        n--;
    }
    while (n > 0 && (unsigned char)s[n - 1] <= ' ')
        n--;
    char *low = lm_arena_strndup(rc->a, s, (size_t)n);
    if (low == NULL)
        return fn_oom(err);
    for (char *c = low; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (strcmp(low, "base64") == 0)
        return nf_become(rc, call, "base64", 1, err);
    if (strcmp(low, "hex") == 0)
        return nf_become(rc, call, "hex", 1, err);
    if (strcmp(low, "utf-8") == 0)
        return nf_become(rc, call, "decode", 2, err);
    char *q = lm_arena_printf(rc->a, "'%s'", low);
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "INVALID_PARAMETER_VALUE.BINARY_FORMAT", "22023",
                 "[INVALID_PARAMETER_VALUE.BINARY_FORMAT] The value of parameter(s) `format` in "
                 "`%s` is invalid: expects one of binary formats 'base64', 'hex', 'utf-8', but "
                 "got %s.",
                 call->fn->name, q ? q : "");
    lm_error_param_add(err, "parameter", "`format`");
    lm_error_param_add(err, "functionName", lm_arena_printf(rc->a, "`%s`", call->fn->name));
    lm_error_param_add(err, "invalidFormat", q);
    lm_error_set_context(err, call->start, call->stop);
    return LM_ERROR;
}

/*
 * to_char(expr, fmt) / to_varchar: Spark's ToCharacterBuilder dispatches on
 * the type of expr: datetimes are date_format, BINARY an encoding, anything
 * else ToCharacter on a DECIMAL (integral and fractional numbers are cast
 * with DecimalType.forType, strings to DECIMAL(38,18)).
 */
static lm_status resolve_to_char(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (t->id == LM_TYPE_DATE || t->id == LM_TYPE_TIMESTAMP || t->id == LM_TYPE_TIMESTAMP_NTZ)
        return nf_become(rc, call, "date_format", 2, err);
    if (t->id == LM_TYPE_BINARY)
        return resolve_to_char_binary(rc, call, err);
    if (t->id != LM_TYPE_DECIMAL) {
        lm_type *d = NULL;
        if (lm_type_is_numeric(t))
            d = lm_decimal_for(t);
        else if (t->id == LM_TYPE_STRING || t->id == LM_TYPE_NULL)
            d = lm_type_decimal(38, 18);
        if (d == NULL)
            return lm_coerce_unexpected_input(rc, call, 0, "\"DECIMAL\"", err);
        lm_arena_keep_type(rc->a, d);
        if (fn_cast_arg(rc, call, 0, d, err) != LM_OK)
            return LM_ERROR;
    }
    if (nf_expect_str(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    nf_format *f;
    if (nf_prepare(rc, call, &f, err) != LM_OK)
        return LM_ERROR;
    call->aux = f;
    return fn_set_result(rc, call, lm_type_string(), f == NULL || fn_args_nullable(call), err);
}

static lm_status eval_to_char(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const nf_format *f = call->aux;
    if (f == NULL) {
        *out = lm_value_null();
        return LM_OK;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (!nf_format_value(ec->arena, f, a[0].u.dec, call->args[0]->type->scale, &sb)) {
        lm_strbuf_free(&sb);
        return lm_error_oom(ec->err);
    }
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------------ table */

#define NI LM_FN_NULL_INTOLERANT

static const lm_func_def k_defs[] = {
    {.name = "to_number", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_to_number, .eval = eval_to_number},
    {.name = "try_to_number", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_to_number, .eval = eval_to_number},
    /* ToCharacter's prettyName is to_char whichever name called it */
    {.name = "to_char", .min_args = 2, .max_args = 2, .flags = NI, .resolve = resolve_to_char,
     .eval = eval_to_char, .pretty = "to_char"},
    {.name = "to_varchar", .min_args = 2, .max_args = 2, .flags = NI,
     .resolve = resolve_to_char, .eval = eval_to_char, .pretty = "to_char"},
};

const lm_func_table lm_funcs_number_format = {k_defs, sizeof k_defs / sizeof k_defs[0]};
