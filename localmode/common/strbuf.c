/*
 * Growable byte string with sticky failure.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_strbuf_init(lm_strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void lm_strbuf_free(lm_strbuf *sb)
{
    free(sb->data);
    lm_strbuf_init(sb);
}

void lm_strbuf_reset(lm_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

static bool reserve(lm_strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *d = realloc(sb->data, cap);
    if (d == NULL) {
        sb->failed = true;
        return false;
    }
    sb->data = d;
    sb->cap = cap;
    return true;
}

void lm_strbuf_append(lm_strbuf *sb, const char *s, size_t n)
{
    if (!reserve(sb, n))
        return;
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void lm_strbuf_puts(lm_strbuf *sb, const char *s)
{
    lm_strbuf_append(sb, s, strlen(s));
}

void lm_strbuf_putc(lm_strbuf *sb, char c)
{
    lm_strbuf_append(sb, &c, 1);
}

void lm_strbuf_repeat(lm_strbuf *sb, char c, size_t n)
{
    if (!reserve(sb, n))
        return;
    memset(sb->data + sb->len, c, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void lm_strbuf_printf(lm_strbuf *sb, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0 && reserve(sb, (size_t)n)) {
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
}

bool lm_strbuf_ok(const lm_strbuf *sb)
{
    return !sb->failed;
}

const char *lm_strbuf_cstr(lm_strbuf *sb)
{
    if (sb->data == NULL)
        return "";
    return sb->data;
}

char *lm_strbuf_detach(lm_strbuf *sb)
{
    if (sb->failed) {
        lm_strbuf_free(sb);
        return NULL;
    }
    char *d = sb->data;
    if (d == NULL) {
        d = malloc(1);
        if (d)
            d[0] = '\0';
    }
    lm_strbuf_init(sb);
    return d;
}
