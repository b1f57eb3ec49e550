/*
 * java.util.Properties.load, byte for byte. Every character with a meaning
 * in the syntax is ASCII, so after one pass that makes the input valid
 * UTF-8 we can scan bytes and leave multi-byte characters untouched.
 */
#include "conf/properties.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strbuf.h"

static void put_utf8(lm_strbuf *sb, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        b[0] = (char)cp;
        lm_strbuf_append(sb, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        lm_strbuf_append(sb, b, 4);
    }
}

#define REPLACEMENT 0xFFFDu

/*
 * Copies data as valid UTF-8, replacing each maximal ill-formed subpart
 * with U+FFFD (what Java's UTF-8 decoder does), and NUL bytes too.
 */
static void sanitize_utf8(const unsigned char *s, size_t n, lm_strbuf *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == 0) {
            put_utf8(out, REPLACEMENT);
            i++;
            continue;
        }
        if (c < 0x80) {
            lm_strbuf_append(out, (const char *)s + i, 1);
            i++;
            continue;
        }
        int need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            put_utf8(out, REPLACEMENT);
            i++;
            continue;
        }
        size_t j = i + 1;
        int got = 0;
        while (got < need && j < n) {
            unsigned char d = s[j];
            unsigned char l = got == 0 ? lo : 0x80, h = got == 0 ? hi : 0xBF;
            if (d < l || d > h)
                break;
            j++;
            got++;
        }
        if (got == need)
            lm_strbuf_append(out, (const char *)s + i, j - i);
        else
            put_utf8(out, REPLACEMENT);
        i = j;
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

/* Reads logical lines as Properties.LineReader does. */
typedef struct line_reader {
    const char *p, *end;
    bool skip_lf;
} line_reader;

/*
 * Puts the next logical line (continuations joined, comments and blank
 * lines skipped) into line. Returns false at end of input.
 */
static bool read_line(line_reader *lr, lm_strbuf *line)
{
    lm_strbuf_reset(line);
    bool skip_ws = true, appended_line_begin = false, preceding_backslash = false;
    while (true) {
        if (lr->p >= lr->end) {
            if (line->len == 0)
                return false;
            if (preceding_backslash)
                line->len--; /* a backslash before end of input is dropped */
            return true;
        }
        char c = *lr->p++;
        if (lr->skip_lf) {
            lr->skip_lf = false;
            if (c == '\n')
                continue;
        }
        if (skip_ws) {
            if (is_blank(c))
                continue;
            if (!appended_line_begin && (c == '\r' || c == '\n'))
                continue;
            skip_ws = false;
            appended_line_begin = false;
        }
        if (line->len == 0 && (c == '#' || c == '!')) {
            while (lr->p < lr->end && *lr->p != '\n' && *lr->p != '\r')
                lr->p++;
            if (lr->p < lr->end) {
                if (*lr->p == '\r')
                    lr->skip_lf = true;
                lr->p++;
            }
            skip_ws = true;
            continue;
        }
        if (c != '\n' && c != '\r') {
            lm_strbuf_putc(line, c);
            preceding_backslash = c == '\\' ? !preceding_backslash : false;
            continue;
        }
        if (c == '\r')
            lr->skip_lf = true;
        if (line->len == 0) {
            skip_ws = true;
            continue;
        }
        if (!preceding_backslash)
            return true;
        line->len--; /* the continuation backslash is not part of the line */
        skip_ws = true;
        appended_line_begin = true;
        preceding_backslash = false;
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Properties.loadConvert: resolves escapes of s[0..n) into out. */
static lm_status load_convert(const char *s, size_t n, lm_strbuf *out, lm_error *err)
{
    lm_strbuf_reset(out);
    uint32_t pending_high = 0; /* a high surrogate waiting for its pair */
    size_t i = 0;
    while (i < n) {
        char c = s[i++];
        if (c == '\\' && i < n) {
            c = s[i++];
            if (c == 'u') {
                if (i + 4 > n)
                    goto malformed;
                uint32_t v = 0;
                for (int k = 0; k < 4; k++) {
                    int h = hex_value(s[i++]);
                    if (h < 0)
                        goto malformed;
                    v = (v << 4) | (uint32_t)h;
                }
                if (pending_high && v >= 0xDC00 && v <= 0xDFFF) {
                    put_utf8(out, 0x10000 + ((pending_high - 0xD800) << 10) + (v - 0xDC00));
                    pending_high = 0;
                    continue;
                }
                if (pending_high)
                    put_utf8(out, REPLACEMENT);
                pending_high = 0;
                if (v >= 0xD800 && v <= 0xDBFF)
                    pending_high = v;
                else if ((v >= 0xDC00 && v <= 0xDFFF) || v == 0)
                    put_utf8(out, REPLACEMENT);
                else
                    put_utf8(out, v);
                continue;
            }
            if (c == 't')
                c = '\t';
            else if (c == 'r')
                c = '\r';
            else if (c == 'n')
                c = '\n';
            else if (c == 'f')
                c = '\f';
        }
        if (pending_high) {
            put_utf8(out, REPLACEMENT);
            pending_high = 0;
        }
        lm_strbuf_putc(out, c);
    }
    if (pending_high)
        put_utf8(out, REPLACEMENT);
    if (!lm_strbuf_ok(out))
        return lm_error_oom(err);
    return LM_OK;
malformed:
    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                        "Malformed \\uxxxx encoding.");
}

/* Utils.trimExceptCRLF: trims chars <= ' ' other than \r and \n. */
static void trim_except_crlf(lm_strbuf *sb)
{
    const char *d = lm_strbuf_cstr(sb);
    size_t b = 0, e = sb->len;
#define TRIMMABLE(ch) ((unsigned char)(ch) <= ' ' && (ch) != '\r' && (ch) != '\n')
    while (b < e && TRIMMABLE(d[b]))
        b++;
    while (e > b && TRIMMABLE(d[e - 1]))
        e--;
#undef TRIMMABLE
    if (b > 0)
        memmove(sb->data, sb->data + b, e - b);
    sb->len = e - b;
    if (sb->data)
        sb->data[sb->len] = '\0';
}

lm_status lm_properties_parse(const char *data, size_t len, lm_conf *out, lm_error *err)
{
    lm_strbuf text, line, key, value;
    lm_strbuf_init(&text);
    lm_strbuf_init(&line);
    lm_strbuf_init(&key);
    lm_strbuf_init(&value);
    sanitize_utf8((const unsigned char *)data, len, &text);
    lm_status st = lm_strbuf_ok(&text) ? LM_OK : lm_error_oom(err);

    line_reader lr = {lm_strbuf_cstr(&text), lm_strbuf_cstr(&text) + text.len, false};
    while (st == LM_OK && read_line(&lr, &line)) {
        if (!lm_strbuf_ok(&line)) {
            st = lm_error_oom(err);
            break;
        }
        const char *l = line.data;
        size_t limit = line.len, key_len = 0, value_start = limit;
        bool has_sep = false, preceding_backslash = false;
        while (key_len < limit) {
            char c = l[key_len];
            if ((c == '=' || c == ':') && !preceding_backslash) {
                value_start = key_len + 1;
                has_sep = true;
                break;
            }
            if (is_blank(c) && !preceding_backslash) {
                value_start = key_len + 1;
                break;
            }
            preceding_backslash = c == '\\' ? !preceding_backslash : false;
            key_len++;
        }
        while (value_start < limit) {
            char c = l[value_start];
            if (!is_blank(c)) {
                if (!has_sep && (c == '=' || c == ':'))
                    has_sep = true;
                else
                    break;
            }
            value_start++;
        }
        st = load_convert(l, key_len, &key, err);
        if (st == LM_OK)
            st = load_convert(l + value_start, limit - value_start, &value, err);
        if (st != LM_OK)
            break;
        trim_except_crlf(&value);
        st = lm_conf_set(out, lm_strbuf_cstr(&key), lm_strbuf_cstr(&value));
        if (st == LM_ENOMEM)
            lm_error_oom(err);
    }
    lm_strbuf_free(&value);
    lm_strbuf_free(&key);
    lm_strbuf_free(&line);
    lm_strbuf_free(&text);
    return st;
}

lm_status lm_properties_load(const char *path, lm_conf *out, lm_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                            "requirement failed: Properties file %s does not exist", path);
    if (!S_ISREG(sb.st_mode))
        return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                            "requirement failed: Properties file %s is not a normal file",
                            path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return lm_error_set(err, LM_EIO, "org.apache.spark.SparkException", NULL, NULL,
                            "Failed when loading Spark properties from %s", path);
    lm_strbuf data;
    lm_strbuf_init(&data);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        lm_strbuf_append(&data, buf, n);
    bool read_failed = ferror(f) != 0;
    fclose(f);
    lm_status st;
    if (read_failed)
        st = lm_error_set(err, LM_EIO, "org.apache.spark.SparkException", NULL, NULL,
                          "Failed when loading Spark properties from %s", path);
    else if (!lm_strbuf_ok(&data))
        st = lm_error_oom(err);
    else
        st = lm_properties_parse(data.data ? data.data : "", data.len, out, err);
    lm_strbuf_free(&data);
    return st;
}
