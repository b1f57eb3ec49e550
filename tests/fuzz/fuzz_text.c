/*
 * libFuzzer harness: text files through lm_read (io/text_*.c): the first
 * byte picks options (wholetext, a custom lineSep, a one-byte lineSep), the
 * rest is the file. A line reader sees every byte of the input, so it is
 * the cheapest place to find a broken line-splitting or UTF-8 edge.
 */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rf_flag flags[] = {
        {"wholetext", "true", NULL},
        {"lineSep", "||", NULL},
        {"lineSep", ",", NULL},
    };
    return rf_read(data, size, 16384, "text", ".txt", flags, 3, NULL);
}
