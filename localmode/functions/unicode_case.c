/*
 * Unicode case mappings (see unicode_case.h). A mapping table is a sorted
 * list of runs {first, last, delta, stride}: every stride-th code point
 * from first to last maps to itself plus delta (A..Z is one run, the
 * alternating upper/lower pairs of Latin Extended-A another). Lookups are
 * binary searches over a few hundred runs.
 */
#include "functions/unicode_case.h"

#include <stdbool.h>
#include <stddef.h>

#include "functions/fn_util.h"

typedef struct uc_run {
    uint32_t first, last;
    int32_t delta;
    uint8_t stride;
} uc_run;

#include "functions/unicode_case_data.h"

static uint32_t uc_map(const uc_run *runs, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (runs[mid].last < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && runs[lo].first <= c && (c - runs[lo].first) % runs[lo].stride == 0)
        return (uint32_t)((int64_t)c + runs[lo].delta);
    return c;
}

#define NRUNS(t) (sizeof(t) / sizeof((t)[0]))

uint32_t fn_uc_lower(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return uc_map(k_uc_lower, NRUNS(k_uc_lower), c);
}

uint32_t fn_uc_upper(uint32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    return uc_map(k_uc_upper, NRUNS(k_uc_upper), c);
}

uint32_t fn_uc_title(uint32_t c)
{
    for (size_t i = 0; i < NRUNS(k_uc_title); i++)
        if (k_uc_title[i][0] == c)
            return k_uc_title[i][1];
    return fn_uc_upper(c);
}

/* A letter with case (Unicode's Cased, approximated by having a mapping). */
static bool uc_cased(uint32_t c)
{
    return fn_uc_lower(c) != c || fn_uc_upper(c) != c;
}

/* Case-ignorable characters Final_Sigma looks through: combining marks,
   apostrophes and the middle dot. */
static bool uc_ignorable(uint32_t c)
{
    return (c >= 0x300 && c <= 0x36F) || c == 0x27 || c == 0xB7 || c == 0x2019 ||
           (c >= 0x483 && c <= 0x489) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* Unicode's Final_Sigma: a cased letter before (through case-ignorables)
   and none after. at is the byte offset of the sigma, len its length. */
static bool uc_final_sigma(const char *s, int32_t n, int32_t at, int len)
{
    bool before = false;
    for (int32_t i = at; i > 0;) {
        int32_t j = i - 1;
        while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--;
        uint32_t c;
        fn_utf8_decode(s + j, i - j, &c);
        if (uc_ignorable(c)) {
            i = j;
            continue;
        }
        before = uc_cased(c);
        break;
    }
    if (!before)
        return false;
    for (int32_t i = at + len; i < n;) {
        uint32_t c;
        int k = fn_utf8_decode(s + i, n - i, &c);
        if (k <= 0)
            break;
        if (uc_ignorable(c)) {
            i += k;
            continue;
        }
        return !uc_cased(c);
    }
    return true;
}

static void put_cp(lm_strbuf *sb, uint32_t c)
{
    char b[4];
    int k = fn_utf8_encode(c, b);
    lm_strbuf_append(sb, b, (size_t)k);
}

void fn_uc_lower_str(lm_strbuf *sb, const char *s, int32_t n)
{
    for (int32_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            lm_strbuf_putc(sb, (char)(b >= 'A' && b <= 'Z' ? b + 32 : b));
            i++;
            continue;
        }
        uint32_t c;
        int k = fn_utf8_decode(s + i, n - i, &c);
        if (k <= 0) {
            lm_strbuf_putc(sb, (char)b);
            i++;
            continue;
        }
        if (c == 0x130) {
            /* capital I with dot above: "i" and a combining dot above */
            put_cp(sb, 'i');
            put_cp(sb, 0x307);
        } else if (c == 0x3A3) {
            put_cp(sb, uc_final_sigma(s, n, i, k) ? 0x3C2 : 0x3C3);
        } else {
            uint32_t m = fn_uc_lower(c);
            if (m == c)
                lm_strbuf_append(sb, s + i, (size_t)k);
            else
                put_cp(sb, m);
        }
        i += k;
    }
}

void fn_uc_upper_str(lm_strbuf *sb, const char *s, int32_t n)
{
    for (int32_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            lm_strbuf_putc(sb, (char)(b >= 'a' && b <= 'z' ? b - 32 : b));
            i++;
            continue;
        }
        uint32_t c;
        int k = fn_utf8_decode(s + i, n - i, &c);
        if (k <= 0) {
            lm_strbuf_putc(sb, (char)b);
            i++;
            continue;
        }
        size_t lo = 0, hi = NRUNS(k_uc_upper_full);
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (k_uc_upper_full[mid][0] < c)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < NRUNS(k_uc_upper_full) && k_uc_upper_full[lo][0] == c) {
            for (int j = 1; j < 4 && k_uc_upper_full[lo][j] != 0; j++)
                put_cp(sb, k_uc_upper_full[lo][j]);
        } else {
            uint32_t m = fn_uc_upper(c);
            if (m == c)
                lm_strbuf_append(sb, s + i, (size_t)k);
            else
                put_cp(sb, m);
        }
        i += k;
    }
}
