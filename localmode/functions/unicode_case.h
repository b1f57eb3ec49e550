/*
 * Unicode case mappings as Java applies them for Spark's UTF8String:
 * lower() and ILIKE (String.toLowerCase), upper() (String.toUpperCase,
 * with its multi-character mappings such as U+00DF -> "SS") and initcap()
 * (Character.toTitleCase). The tables are generated (ci/gen_unicode_case.py)
 * and compact; nothing here depends on the C library's locale.
 */
#ifndef LM_FUNCTIONS_UNICODE_CASE_H
#define LM_FUNCTIONS_UNICODE_CASE_H

#include <stdint.h>

#include "common/strbuf.h"

/* Simple (one code point) mappings; c itself when it has none. */
uint32_t fn_uc_lower(uint32_t c);
uint32_t fn_uc_upper(uint32_t c);
uint32_t fn_uc_title(uint32_t c);

/* Appends the lower-cased / upper-cased UTF-8 text s[0..n) to sb with the
   full mappings of String.toLowerCase / toUpperCase (Locale.ROOT): U+0130
   lower-cases to "i\u0307", a final capital sigma to U+03C2. Invalid UTF-8
   bytes are copied unchanged. */
void fn_uc_lower_str(lm_strbuf *sb, const char *s, int32_t n);
void fn_uc_upper_str(lm_strbuf *sb, const char *s, int32_t n);

#endif
