/*
 * The CSV writer, as Spark's UnivocityGenerator with CSVOptions' write
 * defaults: values trimmed of surrounding blanks (ignoreLeading/Trailing
 * WhiteSpace default to true when writing), a value quoted when it holds
 * the delimiter, a quote or a line break or starts with the quote, quotes
 * inside escaped with the escape character, nulls written as nullValue
 * (nothing) and empty strings as emptyValue ("" by default), one header
 * line first when header=true.
 */
#include "io.h"

#include <stdlib.h>
#include <string.h>

#include "valtext.h"

typedef struct csv_wopts {
    io_buf delim;
    io_sym quote, escape, escape_escape;
    bool header, quote_all, escape_quotes, trim_lead, trim_trail;
    const char *null_value, *empty_value, *line_sep;
    io_datetime_out dt;
} csv_wopts;

static void wopts_free(csv_wopts *o)
{
    io_buf_free(&o->delim);
    io_datetime_out_free(&o->dt);
}

static lm_status parse_delim(lm_error *err, const char *v, io_buf *out)
{
    /* the reader's rules (CSVExprUtils.toDelimiterStr) apply to writing too */
    size_t n = strlen(v);
    if (n == 0)
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "Delimiter cannot be empty string");
    for (size_t i = 0; i < n;) {
        if (v[i] == '\\') {
            if (i + 1 >= n)
                return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                                    "Single backslash is prohibited. It has special meaning as "
                                    "beginning of an escape sequence. To get the backslash "
                                    "character, pass a string with two backslashes as the "
                                    "delimiter.");
            char c;
            switch (v[i + 1]) {
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
            case '\'':
            case '\\':
                c = v[i + 1];
                break;
            default:
                return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                                    "Unsupported special character for delimiter: %s", v);
            }
            if (!io_buf_append(out, &c, 1))
                return lm_error_oom(err);
            i += 2;
        } else {
            if (!io_buf_append(out, v + i, 1))
                return lm_error_oom(err);
            i++;
        }
    }
    return LM_OK;
}

static lm_status wopts_init(csv_wopts *o, io_write *w)
{
    memset(o, 0, sizeof *o);
    lm_error *err = w->err;
    static const char *const sep_keys[] = {"sep", "delimiter", NULL};
    const char *sep = io_opt_any(w->opts, sep_keys);
    lm_status rc = parse_delim(err, sep ? sep : ",", &o->delim);
    if (rc == LM_OK)
        rc = io_opt_sym(err, w->opts, "quote", '"', &o->quote);
    if (rc == LM_OK)
        rc = io_opt_sym(err, w->opts, "escape", '\\', &o->escape);
    if (rc == LM_OK && io_opt(w->opts, "charToEscapeQuoteEscaping"))
        rc = io_opt_sym(err, w->opts, "charToEscapeQuoteEscaping", 0, &o->escape_escape);
    else if (rc == LM_OK && !(o->escape.len == o->quote.len &&
                              memcmp(o->escape.b, o->quote.b, (size_t)o->quote.len) == 0))
        o->escape_escape = o->escape;
    if (rc == LM_OK)
        rc = io_opt_bool(err, w->opts, "header", false, &o->header);
    if (rc == LM_OK)
        rc = io_opt_bool(err, w->opts, "quoteAll", false, &o->quote_all);
    if (rc == LM_OK)
        rc = io_opt_bool(err, w->opts, "escapeQuotes", true, &o->escape_quotes);
    if (rc == LM_OK)
        rc = io_opt_bool(err, w->opts, "ignoreLeadingWhiteSpace", true, &o->trim_lead);
    if (rc == LM_OK)
        rc = io_opt_bool(err, w->opts, "ignoreTrailingWhiteSpace", true, &o->trim_trail);
    if (rc != LM_OK) {
        wopts_free(o);
        return rc;
    }
    o->null_value = io_opt(w->opts, "nullValue") ? io_opt(w->opts, "nullValue") : "";
    o->empty_value = io_opt(w->opts, "emptyValue") ? io_opt(w->opts, "emptyValue") : "\"\"";
    o->line_sep = io_opt(w->opts, "lineSep") ? io_opt(w->opts, "lineSep") : "\n";
    rc = io_datetime_out_init(&o->dt, err, w->opts, w->tz);
    if (rc != LM_OK)
        wopts_free(o);
    return rc;
}

static bool has(const char *s, size_t n, const char *pat, size_t pl)
{
    if (pl == 0 || pl > n)
        return false;
    for (size_t i = 0; i + pl <= n; i++)
        if (s[i] == pat[0] && memcmp(s + i, pat, pl) == 0)
            return true;
    return false;
}

static bool at(const char *s, size_t n, size_t i, const io_sym *y)
{
    return y->len && i + (size_t)y->len <= n && memcmp(s + i, y->b, (size_t)y->len) == 0;
}

/* One field: trimmed, then quoted and escaped as needed. */
static void put_field(const csv_wopts *o, io_buf *out, const char *s, size_t n, bool *ok)
{
    if (o->trim_lead)
        while (n && (unsigned char)*s <= ' ') {
            s++;
            n--;
        }
    if (o->trim_trail)
        while (n && (unsigned char)s[n - 1] <= ' ')
            n--;
    size_t ql = (size_t)o->quote.len;
    bool has_quote = ql && has(s, n, o->quote.b, ql);
    bool quote = ql && (o->quote_all || has(s, n, o->delim.data, o->delim.len) ||
                        memchr(s, '\n', n) || memchr(s, '\r', n) ||
                        (has_quote && o->escape_quotes) || at(s, n, 0, &o->quote));
    if (!quote) {
        *ok = *ok && io_buf_append(out, s, n);
        return;
    }
    bool esc_is_quote = o->escape.len == o->quote.len && memcmp(o->escape.b, o->quote.b, ql) == 0;
    *ok = *ok && io_buf_append(out, o->quote.b, ql);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        bool is_q = at(s, n, i, &o->quote);
        /* an escape character right before a quote or at the end would
           escape the quote when read back: escape it */
        bool is_e = !esc_is_quote && o->escape.len && at(s, n, i, &o->escape) &&
                    o->escape_escape.len &&
                    (i + (size_t)o->escape.len >= n || at(s, n, i + (size_t)o->escape.len, &o->quote));
        if (!is_q && !is_e) {
            run++;
            continue;
        }
        *ok = *ok && io_buf_append(out, s + i - run, run);
        run = 0;
        if (is_q) {
            *ok = *ok && io_buf_append(out, o->escape.len ? o->escape.b : o->quote.b,
                                       o->escape.len ? (size_t)o->escape.len : ql);
            *ok = *ok && io_buf_append(out, o->quote.b, ql);
            i += ql - 1;
        } else {
            *ok = *ok && io_buf_append(out, o->escape_escape.b, (size_t)o->escape_escape.len);
            *ok = *ok && io_buf_append(out, o->escape.b, (size_t)o->escape.len);
            i += (size_t)o->escape.len - 1;
        }
    }
    *ok = *ok && io_buf_append(out, s + n - run, run);
    *ok = *ok && io_buf_append(out, o->quote.b, ql);
}

static bool csv_supported(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
    case LM_TYPE_DECIMAL:
    case LM_TYPE_STRING:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
    case LM_TYPE_NULL:
        return true;
    default:
        return false;
    }
}

lm_status io_csv_write_check(io_write *w)
{
    for (int i = 0; i < w->schema->nfields; i++)
        if (!csv_supported(w->schema->fields[i].type))
            return io_unsupported_type_error(w->err, "CSV", w->schema->fields[i].name,
                                             w->schema->fields[i].type);
    csv_wopts o;
    lm_status rc = wopts_init(&o, w);
    if (rc == LM_OK)
        wopts_free(&o);
    return rc;
}

lm_status io_csv_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out)
{
    csv_wopts o;
    lm_status rc = wopts_init(&o, w);
    if (rc != LM_OK)
        return rc;
    bool ok = true;
    const lm_type *st = w->schema;
    size_t dl = o.delim.len, ll = strlen(o.line_sep);
    if (o.header) {
        for (int i = 0; i < st->nfields; i++) {
            if (i)
                ok = ok && io_buf_append(out, o.delim.data, dl);
            put_field(&o, out, st->fields[i].name, strlen(st->fields[i].name), &ok);
        }
        ok = ok && io_buf_append(out, o.line_sep, ll);
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int64_t r = 0; r < nrows && ok && rc == LM_OK; r++) {
        for (int i = 0; i < st->nfields && rc == LM_OK; i++) {
            if (i)
                ok = ok && io_buf_append(out, o.delim.data, dl);
            const lm_value *v = &rows[r][i];
            if (v->is_null) {
                ok = ok && io_buf_append(out, o.null_value, strlen(o.null_value));
                continue;
            }
            lm_strbuf_reset(&sb);
            rc = io_value_text(w->err, &o.dt, &sb, st->fields[i].type, v);
            if (rc != LM_OK)
                break;
            if (sb.len == 0) {
                ok = ok && io_buf_append(out, o.empty_value, strlen(o.empty_value));
                continue;
            }
            put_field(&o, out, lm_strbuf_cstr(&sb), sb.len, &ok);
        }
        ok = ok && io_buf_append(out, o.line_sep, ll);
    }
    if (!lm_strbuf_ok(&sb))
        ok = false;
    lm_strbuf_free(&sb);
    wopts_free(&o);
    if (rc != LM_OK)
        return rc;
    return ok ? LM_OK : lm_error_oom(w->err);
}
