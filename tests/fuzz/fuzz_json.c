/*
 * libFuzzer harness: JSON files through lm_read (io/json_*.c): the first
 * byte picks options (multiLine, parse mode, primitivesAsString,
 * allowComments, allowSingleQuotes, prefersDecimal, a user schema), the
 * rest is the file.
 */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rf_flag flags[] = {
        {"multiLine", "true", NULL},
        {"mode", "DROPMALFORMED", "PERMISSIVE"},
        {"primitivesAsString", "true", NULL},
        {"allowComments", "true", NULL},
        {"allowSingleQuotes", "false", NULL},
        {"prefersDecimal", "true", NULL},
        {"allowNonNumericNumbers", "false", NULL},
    };
    return rf_read(data, size, 16384, "json", ".json", flags, 7,
                   "a INT, b STRING, c ARRAY<DOUBLE>, d STRUCT<x: DATE, y: MAP<STRING, "
                   "BIGINT>>, _corrupt_record STRING");
}
