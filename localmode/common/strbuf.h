/*
 * Growable byte string used to build messages, rendered values and plan
 * text. After an allocation failure the buffer is marked failed and further
 * appends are ignored, so callers check once at the end (lm_strbuf_ok).
 */
#ifndef LM_COMMON_STRBUF_H
#define LM_COMMON_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lm_strbuf {
    char *data; /* always NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    bool failed;
} lm_strbuf;

void lm_strbuf_init(lm_strbuf *sb);
void lm_strbuf_free(lm_strbuf *sb);
void lm_strbuf_reset(lm_strbuf *sb); /* len = 0, keeps capacity */
void lm_strbuf_append(lm_strbuf *sb, const char *s, size_t n);
void lm_strbuf_puts(lm_strbuf *sb, const char *s);
void lm_strbuf_putc(lm_strbuf *sb, char c);
void lm_strbuf_printf(lm_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lm_strbuf_repeat(lm_strbuf *sb, char c, size_t n);
bool lm_strbuf_ok(const lm_strbuf *sb);
/* Returns the NUL-terminated contents ("" when empty); valid until the next append. */
const char *lm_strbuf_cstr(lm_strbuf *sb);
/* Hands the malloc'ed string to the caller (who frees it) and resets sb;
   NULL if the buffer failed. */
char *lm_strbuf_detach(lm_strbuf *sb);

#endif
