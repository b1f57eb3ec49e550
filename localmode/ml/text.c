/*
 * Text helpers of the feature transformers: Java's String.toLowerCase for
 * the scripts that case-map one code point to one (Latin, Greek,
 * Cyrillic, Armenian; the special cases of Turkish dotted I and final
 * sigma are not reproduced), on UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"

static uint32_t lower_cp(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        /* Latin Extended-A alternates upper/lower, with a shift at 0x139 */
        bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (odd_upper)
            return (c & 1) ? c + 1 : c;
        if (c == 0x178)
            return 0xFF;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x531 && c <= 0x556)
        return c + 48;
    return c;
}

static int decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && n >= 4) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = s[0];
    return 1;
}

static int encode(uint32_t c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

char *ml_lower_utf8(lm_arena *a, const char *s, int32_t n)
{
    char *out = lm_arena_alloc(a, (size_t)n * 2 + 1);
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (int32_t i = 0; i < n;) {
        uint32_t cp;
        int len = decode((const unsigned char *)s + i, (size_t)(n - i), &cp);
        k += (size_t)encode(lower_cp(cp), out + k);
        i += len;
    }
    out[k] = '\0';
    return out;
}

int32_t ml_utf16_len(const char *s, int32_t n)
{
    int32_t len = 0;
    for (int32_t i = 0; i < n;) {
        uint32_t cp;
        i += decode((const unsigned char *)s + i, (size_t)(n - i), &cp);
        len += cp >= 0x10000 ? 2 : 1;
    }
    return len;
}
