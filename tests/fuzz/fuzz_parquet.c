/*
 * libFuzzer harness: Parquet files through lm_read (io/parquet/): footer,
 * Thrift metadata, page headers, encodings, codecs and record assembly.
 * The first byte picks mergeSchema and a user schema; the rest is the file
 * (seeded with the Parquet fixtures, which libFuzzer mutates).
 */
#include "reader_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rf_flag flags[] = {
        {"mergeSchema", "true", NULL},
        {"datetimeRebaseMode", "CORRECTED", NULL},
        {"int96RebaseMode", "LEGACY", NULL},
    };
    return rf_read(data, size, 65536, "parquet", ".parquet", flags, 3,
                   "id BIGINT, s STRING, d DECIMAL(10,2), t TIMESTAMP, a ARRAY<INT>");
}
