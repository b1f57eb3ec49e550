/*
 * libFuzzer harness: CSV files through lm_read (io/csv_*.c): the first
 * byte picks options (header, inferSchema, multiLine, parse mode, quote
 * and escape characters, enforceSchema, a user schema), the rest is the
 * file.
 */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rf_flag flags[] = {
        {"header", "true", NULL},
        {"inferSchema", "true", NULL},
        {"multiLine", "true", NULL},
        {"mode", "DROPMALFORMED", "PERMISSIVE"},
        {"quote", "'", NULL},
        {"escape", "\\", NULL},
        {"enforceSchema", "false", NULL},
    };
    return rf_read(data, size, 16384, "csv", ".csv", flags, 7,
                   "a INT, b STRING, c DOUBLE, d DATE, e TIMESTAMP, _corrupt_record STRING");
}
