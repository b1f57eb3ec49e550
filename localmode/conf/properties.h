/*
 * Java properties files (spark-defaults.conf), read as Spark reads them:
 * java.util.Properties.load over a UTF-8 reader, then each value trimmed of
 * blanks except escaped line breaks (Utils.getPropertiesFromFile).
 *
 * The syntax, as Properties.load defines it:
 *  - a logical line is one or more natural lines joined where a line ends
 *    with an odd number of backslashes; the continuation's leading blanks
 *    (space, \t, \f) are dropped;
 *  - blank lines, and lines whose first non-blank char is '#' or '!', are
 *    skipped (a comment never continues);
 *  - the key ends at the first unescaped '=', ':' or blank; blanks, then
 *    one optional '=' or ':', then blanks separate it from the value
 *    ("k v", "k=v", "k : v" and "k" alone, with an empty value);
 *  - escapes: \t \n \r \f, \uXXXX, and \x for any other x (x itself);
 *    a malformed \u is an error ("Malformed \uxxxx encoding.").
 * Invalid UTF-8 reads as U+FFFD, as Java's decoder replaces it; \u escapes
 * that do not form a valid code point (lone surrogates, \u0000) also become
 * U+FFFD since our strings are NUL-terminated UTF-8.
 */
#ifndef LM_CONF_PROPERTIES_H
#define LM_CONF_PROPERTIES_H

#include <stddef.h>

#include "common/error.h"
#include "conf/conf.h"

/*
 * Parses data[0..len) and sets every property into out (a later duplicate
 * replaces the value and keeps the first position). Values are trimmed as
 * Spark's trimExceptCRLF does. On failure out may hold the properties read
 * before the bad line.
 */
lm_status lm_properties_parse(const char *data, size_t len, lm_conf *out, lm_error *err);

/*
 * Reads the file at path into out. Errors, in Spark's words:
 *   requirement failed: Properties file <path> does not exist
 *   requirement failed: Properties file <path> is not a normal file
 *   Failed when loading Spark properties from <path>
 */
lm_status lm_properties_load(const char *path, lm_conf *out, lm_error *err);

#endif
