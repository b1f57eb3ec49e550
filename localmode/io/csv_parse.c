/*
 * CSV options and the record tokenizer.
 *
 * Spark reads CSV through the univocity parser configured by CSVOptions;
 * this tokenizer reproduces the behaviour users see from that setup:
 *  - a value is quoted only when the quote character is its first character
 *    (after leading blanks when ignoreLeadingWhiteSpace); quotes elsewhere
 *    are literal ("ab,cc\"c" keeps its quote);
 *  - inside quotes the escape character (default '\') escapes the quote,
 *    charToEscapeQuoteEscaping (default: the escape character) escapes the
 *    escape, and with escape = quote a doubled quote is a quote;
 *  - a quote followed by anything but a delimiter or line end is an
 *    "unescaped quote": with the default STOP_AT_DELIMITER handling the
 *    whole value, its quotes included, is taken literally up to the next
 *    delimiter ("\"a\"b" stays "\"a\"b"); STOP_AT_CLOSING_QUOTE keeps the
 *    quote as content and goes on to the closing quote;
 *  - an unquoted empty field is the nullValue string and a quoted empty one
 *    the emptyValue string, which Spark then compares against nullValue;
 *  - outside quotes the escape character means nothing;
 *  - a line ending with a delimiter has a trailing empty field.
 */
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"

/* ------------------------------------------------------------- options */

/* CSVExprUtils.toChar for one (possibly escaped) delimiter piece. */
static lm_status delim_piece(lm_error *err, const char *p, size_t n, const char *whole,
                             io_buf *out)
{
    if (n == 1 && p[0] == '\\')
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Single backslash is prohibited. It has special meaning as beginning "
                            "of an escape sequence. To get the backslash character, pass a string "
                            "with two backslashes as the delimiter.");
    if (p[0] == '\\' && n == 2) {
        char c;
        switch (p[1]) {
        case 't':
            c = '\t';
            break;
        case 'r':
            c = '\r';
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case '"':
            c = '"';
            break;
        case '\'':
            c = '\'';
            break;
        case '\\':
            c = '\\';
            break;
        case 'u':
        default:
            return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                                "Unsupported special character for delimiter: %s", whole);
        }
        return io_buf_append(out, &c, 1) ? LM_OK : lm_error_oom(err);
    }
    return io_buf_append(out, p, n) ? LM_OK : lm_error_oom(err);
}

static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
}

/* CSVExprUtils.toDelimiterStr: "\t" -> tab, "_/-\\_" -> "_/-\_" ... */
static lm_status parse_delimiter(lm_error *err, const char *v, io_buf *out)
{
    size_t n = strlen(v);
    if (n == 0)
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Delimiter cannot be empty string");
    for (size_t i = 0; i < n;) {
        size_t step = v[i] == '\\' ? (i + 1 < n ? 2 : 1) : u8len((unsigned char)v[i]);
        if (i + step > n)
            step = n - i;
        lm_status rc = delim_piece(err, v + i, step, v, out);
        if (rc != LM_OK)
            return rc;
        i += step;
    }
    return LM_OK;
}

lm_status csv_opts_init(csv_opts *o, lm_session *s, lm_error *err, const lm_options *opts)
{
    memset(o, 0, sizeof *o);
    static const char *const sep_keys[] = {"sep", "delimiter", NULL};
    static const char *const cs_keys[] = {"encoding", "charset", NULL};
    const char *sep = io_opt_any(opts, sep_keys);
    io_buf d = {0};
    lm_status rc = parse_delimiter(err, sep ? sep : ",", &d);
    if (rc != LM_OK) {
        io_buf_free(&d);
        return rc;
    }
    o->delim = d.data;
    o->delim_len = d.len;
    if ((rc = io_opt_sym(err, opts, "quote", '"', &o->quote)) != LM_OK ||
        (rc = io_opt_sym(err, opts, "escape", '\\', &o->escape)) != LM_OK ||
        (rc = io_opt_sym(err, opts, "comment", 0, &o->comment)) != LM_OK)
        goto fail;
    if (io_opt(opts, "charToEscapeQuoteEscaping")) {
        if ((rc = io_opt_sym(err, opts, "charToEscapeQuoteEscaping", 0, &o->escape_escape)) !=
            LM_OK)
            goto fail;
    } else if (!(o->escape.len == o->quote.len &&
                 memcmp(o->escape.b, o->quote.b, (size_t)o->quote.len) == 0)) {
        /* univocity's default: the escape character, unless it is the quote */
        o->escape_escape = o->escape;
    }
    if ((rc = io_opt_bool(err, opts, "header", false, &o->header)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "inferSchema", false, &o->infer_schema)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "ignoreLeadingWhiteSpace", false, &o->ignore_lead)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "ignoreTrailingWhiteSpace", false, &o->ignore_trail)) !=
            LM_OK ||
        (rc = io_opt_bool(err, opts, "multiLine", false, &o->multiline)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "enforceSchema", true, &o->enforce_schema)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "preferDate", true, &o->prefer_date)) != LM_OK ||
        (rc = io_opt_int(err, opts, "maxColumns", 20480, &o->max_columns)) != LM_OK)
        goto fail;
    o->null_value = io_opt(opts, "nullValue") ? io_opt(opts, "nullValue") : "";
    o->empty_value = io_opt(opts, "emptyValue") ? io_opt(opts, "emptyValue") : "";
    o->nan_value = io_opt(opts, "nanValue") ? io_opt(opts, "nanValue") : "NaN";
    o->pos_inf = io_opt(opts, "positiveInf") ? io_opt(opts, "positiveInf") : "Inf";
    o->neg_inf = io_opt(opts, "negativeInf") ? io_opt(opts, "negativeInf") : "-Inf";
    const char *ls = io_opt(opts, "lineSep");
    if (ls) {
        if (ls[0] == '\0') {
            rc = lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                              "requirement failed: 'lineSep' cannot be an empty string");
            goto fail;
        }
        size_t chars = 0;
        for (size_t i = 0; ls[i]; i += u8len((unsigned char)ls[i]))
            chars++;
        if (chars > 2) {
            rc = lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                              "requirement failed: 'lineSep' can contain only 1 character.");
            goto fail;
        }
        o->line_sep = ls;
    }
    o->date_pattern = io_opt(opts, "dateFormat");
    o->charset = io_opt_any(opts, cs_keys);
    if (o->charset == NULL)
        o->charset = "UTF-8";
    if ((rc = io_charset_check(err, o->charset)) != LM_OK)
        goto fail;
    o->mode = io_opt_mode(opts);
    o->corrupt_col = io_corrupt_column(opts, s);
    if ((rc = io_opt_sampling(err, opts, &o->sampling_ratio)) != LM_OK)
        goto fail;
    const char *uq = io_opt(opts, "unescapedQuoteHandling");
    o->stop_at_closing_quote = uq && strcasecmp(uq, "STOP_AT_CLOSING_QUOTE") == 0;
    const lm_tz *tz;
    if ((rc = io_opt_zone(err, opts, s, &tz)) != LM_OK)
        goto fail;
    if ((rc = io_datetime_init(&o->dt, err, opts, tz)) != LM_OK)
        goto fail;
    o->case_sensitive = s->case_sensitive;
    return LM_OK;
fail:
    free(o->delim);
    o->delim = NULL;
    return rc;
}

void csv_opts_free(csv_opts *o)
{
    free(o->delim);
    io_datetime_free(&o->dt);
    memset(o, 0, sizeof *o);
}

bool csv_skip_line(const csv_opts *o, const char *line, size_t len)
{
    bool blank = true;
    for (size_t i = 0; i < len && blank; i++)
        blank = (unsigned char)line[i] <= ' ';
    if (blank)
        return true;
    return o->comment.len && len >= (size_t)o->comment.len &&
           memcmp(line, o->comment.b, (size_t)o->comment.len) == 0;
}

/* ----------------------------------------------------------- tokenizer */

enum { K_TEXT = 0, K_NULL = 1, K_EMPTY = 2 };

void csv_tok_free(csv_tok *t)
{
    free(t->off);
    free(t->len);
    free(t->kind);
    free(t->ptr);
    io_buf_free(&t->buf);
    memset(t, 0, sizeof *t);
}

static bool tok_grow(csv_tok *t)
{
    if (t->n < t->cap)
        return true;
    int cap = t->cap ? t->cap * 2 : 32;
    size_t *no = realloc(t->off, sizeof *no * (size_t)cap);
    if (no == NULL)
        return false;
    t->off = no;
    int32_t *nl = realloc(t->len, sizeof *nl * (size_t)cap);
    if (nl == NULL)
        return false;
    t->len = nl;
    uint8_t *nk = realloc(t->kind, sizeof *nk * (size_t)cap);
    if (nk == NULL)
        return false;
    t->kind = nk;
    const char **np = realloc(t->ptr, sizeof *np * (size_t)cap);
    if (np == NULL)
        return false;
    t->ptr = np;
    t->cap = cap;
    return true;
}

static bool tok_add(csv_tok *t, int kind, size_t off, size_t len)
{
    if (!tok_grow(t))
        return false;
    t->kind[t->n] = (uint8_t)kind;
    t->off[t->n] = off;
    t->len[t->n] = (int32_t)len;
    t->n++;
    return true;
}

/* Appends bytes to the token buffer and adds them as a text token. */
static bool tok_text(csv_tok *t, const char *p, size_t n)
{
    size_t off = t->buf.len;
    if (!io_buf_append(&t->buf, p, n))
        return false;
    return tok_add(t, K_TEXT, off, n);
}

typedef struct scan {
    const csv_opts *o;
    const char *s;
    size_t n;
} scan;

static bool at(const scan *c, size_t i, const char *pat, size_t plen)
{
    return plen && i + plen <= c->n && memcmp(c->s + i, pat, plen) == 0;
}

static bool at_delim(const scan *c, size_t i)
{
    return at(c, i, c->o->delim, c->o->delim_len);
}

/* A record terminator at i (multi-line mode only); its length or 0. */
static size_t nl_at(const scan *c, size_t i)
{
    if (!c->o->multiline || i >= c->n)
        return 0;
    if (c->o->line_sep)
        return at(c, i, c->o->line_sep, strlen(c->o->line_sep)) ? strlen(c->o->line_sep) : 0;
    if (c->s[i] == '\n')
        return 1;
    if (c->s[i] == '\r')
        return i + 1 < c->n && c->s[i + 1] == '\n' ? 2 : 1;
    return 0;
}

static bool field_end(const scan *c, size_t i)
{
    return i >= c->n || at_delim(c, i) || nl_at(c, i) > 0;
}

static bool is_blank(const scan *c, size_t i)
{
    return i < c->n && (unsigned char)c->s[i] <= ' ' && !at_delim(c, i) && nl_at(c, i) == 0;
}

/* Unquoted text from i to the end of the field; advances *pi. */
static bool unquoted(const scan *c, csv_tok *t, size_t *pi)
{
    size_t i = *pi, j = i;
    while (!field_end(c, j))
        j++;
    size_t e = j;
    if (c->o->ignore_trail)
        while (e > i && (unsigned char)c->s[e - 1] <= ' ')
            e--;
    *pi = j;
    if (e == i)
        return tok_add(t, K_NULL, 0, 0);
    return tok_text(t, c->s + i, e - i);
}

/*
 * A quoted value; s[*pi] is the opening quote. The state machine follows
 * univocity's parseQuotedValue: `prev` remembers whether the previous
 * character was a quote, an escape and/or the escape's escape.
 */
static bool quoted(const scan *c, csv_tok *t, size_t *pi)
{
    const csv_opts *o = c->o;
    size_t ql = (size_t)o->quote.len, el = (size_t)o->escape.len, eel = (size_t)o->escape_escape.len;
    bool esc_is_quote = el == ql && memcmp(o->escape.b, o->quote.b, ql) == 0;
    bool ee_is_esc = eel && eel == el && memcmp(o->escape_escape.b, o->escape.b, el) == 0;
    size_t i = *pi + ql;
    size_t start = t->buf.len;
    bool pq = false, pe = false, pee = false; /* previous char was quote / escape / ee */
    for (;;) {
        if (pq && (field_end(c, i) || is_blank(c, i))) {
            size_t k = i;
            while (is_blank(c, k))
                k++;
            if (field_end(c, k)) {
                *pi = k;
                break;
            }
            /* something follows the closing quote: an unescaped quote */
        } else if (i >= c->n) {
            /* end of input inside quotes: univocity keeps what it read */
            if (pe && !esc_is_quote && !io_buf_append(&t->buf, o->escape.b, el))
                return false;
            *pi = i;
            break;
        }
        bool is_q = at(c, i, o->quote.b, ql);
        bool is_e = !esc_is_quote && at(c, i, o->escape.b, el);
        bool is_ee = !is_q && !is_e && !ee_is_esc && at(c, i, o->escape_escape.b, eel);
        if (!is_q && !is_e && pq) {
            if (o->stop_at_closing_quote) {
                /* the lone quote is content; go on to the closing quote */
                if (!io_buf_append(&t->buf, o->quote.b, ql))
                    return false;
                pq = false;
            } else {
                /* STOP_AT_DELIMITER: the value, quotes and all, up to the delimiter */
                io_buf v = {0};
                /* the buffer may still be unallocated (nothing read yet) */
                bool ok = io_buf_append(&v, o->quote.b, ql) &&
                          (t->buf.len <= start ||
                           io_buf_append(&v, t->buf.data + start, t->buf.len - start)) &&
                          io_buf_append(&v, o->quote.b, ql);
                size_t j = i;
                while (!field_end(c, j))
                    j++;
                size_t e = j;
                if (o->ignore_trail)
                    while (e > i && (unsigned char)c->s[e - 1] <= ' ')
                        e--;
                ok = ok && io_buf_append(&v, c->s + i, e - i);
                t->buf.len = start;
                ok = ok && tok_text(t, v.data, v.len);
                io_buf_free(&v);
                *pi = j;
                return ok;
            }
        }
        if (is_ee) {
            if (pee && !io_buf_append(&t->buf, o->escape_escape.b, eel))
                return false;
            if (pe && !io_buf_append(&t->buf, o->escape.b, el))
                return false;
            pq = pe = false;
            pee = true;
            i += eel;
            continue;
        }
        if (!is_q && !is_e) {
            if (pe && !io_buf_append(&t->buf, o->escape.b, el))
                return false;
            if (pee && !ee_is_esc && !io_buf_append(&t->buf, o->escape_escape.b, eel))
                return false;
            pq = pe = pee = false;
            /* copy a run of ordinary characters */
            size_t j = i + 1;
            while (j < c->n && !at(c, j, o->quote.b, ql) && !(el && at(c, j, o->escape.b, el)) &&
                   !(eel && at(c, j, o->escape_escape.b, eel)))
                j++;
            const char *p = c->s + i;
            size_t len = j - i;
            if (o->multiline && o->line_sep == NULL) {
                /* univocity normalises \r\n inside quoted values to \n */
                for (size_t k = 0; k < len; k++) {
                    if (p[k] == '\r' && k + 1 < len && p[k + 1] == '\n')
                        continue;
                    if (!io_buf_append(&t->buf, p + k, 1))
                        return false;
                }
            } else if (!io_buf_append(&t->buf, p, len)) {
                return false;
            }
            i = j;
            continue;
        }
        /* a quote and/or escape character: processQuoteEscape */
        bool ch_q = is_q, ch_e = is_e || (is_q && esc_is_quote);
        size_t adv = is_q ? ql : el;
        if (ch_e && pee && !esc_is_quote) {
            if (!io_buf_append(&t->buf, o->escape.b, el))
                return false;
            pq = pe = pee = false;
        } else if (pe) {
            if (ch_q) {
                if (!io_buf_append(&t->buf, o->quote.b, ql))
                    return false;
                pq = pe = pee = false;
            } else {
                if (!io_buf_append(&t->buf, o->escape.b, el))
                    return false;
                pq = ch_q;
                pe = ch_e;
                pee = ch_e && ee_is_esc;
            }
        } else if (ch_q && pq) {
            if (!io_buf_append(&t->buf, o->quote.b, ql))
                return false;
            pq = true;
            pe = false;
            pee = false;
        } else {
            pq = ch_q;
            pe = ch_e;
            pee = ch_e && ee_is_esc;
        }
        i += adv;
    }
    size_t len = t->buf.len - start;
    if (len == 0)
        return tok_add(t, K_EMPTY, 0, 0);
    return tok_add(t, K_TEXT, start, len);
}

int csv_next_record(const csv_opts *o, csv_tok *t, const char *s, size_t n, size_t *pos,
                    lm_error *err)
{
    scan c = {o, s, n};
    size_t i = *pos;
    if (o->multiline) {
        for (;;) {
            if (i >= n)
                return 0;
            size_t l = nl_at(&c, i);
            if (l) {
                i += l;
                continue;
            }
            if (o->comment.len && at(&c, i, o->comment.b, (size_t)o->comment.len)) {
                while (i < n && nl_at(&c, i) == 0)
                    i++;
                continue;
            }
            break;
        }
    } else if (i >= n) {
        return 0;
    }
    t->n = 0;
    t->buf.len = 0;
    t->rec_start = i;
    bool ok = true;
    for (;;) {
        if (o->ignore_lead)
            while (is_blank(&c, i))
                i++;
        if (i >= n || nl_at(&c, i)) {
            ok = tok_add(t, K_NULL, 0, 0);
            break;
        }
        if (at_delim(&c, i)) {
            ok = tok_add(t, K_NULL, 0, 0);
            i += o->delim_len;
        } else {
            if (o->quote.len && at(&c, i, o->quote.b, (size_t)o->quote.len))
                ok = quoted(&c, t, &i);
            else
                ok = unquoted(&c, t, &i);
            if (!ok)
                break;
            if (i >= n || nl_at(&c, i))
                break;
            if (at_delim(&c, i))
                i += o->delim_len;
        }
        if (!ok)
            break;
        if (t->n > o->max_columns) {
            lm_error_set(err, LM_ERROR, "com.univocity.parsers.common.TextParsingException", NULL,
                         NULL,
                         "java.lang.ArrayIndexOutOfBoundsException - %d\nHint: Number of columns "
                         "processed may have exceeded limit of %d columns. Use "
                         "settings.setMaxColumns(int) to define the maximum number of columns "
                         "your input can have",
                         o->max_columns, o->max_columns);
            return -1;
        }
        if (i >= n || nl_at(&c, i)) {
            ok = tok_add(t, K_NULL, 0, 0);
            break;
        }
    }
    if (!ok) {
        lm_error_oom(err);
        return -1;
    }
    t->rec_end = i;
    if (o->multiline && i < n)
        i += nl_at(&c, i);
    *pos = i;
    size_t nv = strlen(o->null_value), ev = strlen(o->empty_value);
    for (int k = 0; k < t->n; k++) {
        if (t->kind[k] == K_NULL) {
            t->ptr[k] = o->null_value;
            t->len[k] = (int32_t)nv;
        } else if (t->kind[k] == K_EMPTY) {
            t->ptr[k] = o->empty_value;
            t->len[k] = (int32_t)ev;
        } else {
            t->ptr[k] = t->buf.data + t->off[k];
        }
    }
    return 1;
}
