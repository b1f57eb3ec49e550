/*
 * Thrift's compact protocol, the encoding of every Parquet footer and page
 * header. Only what Parquet uses is here: structs, lists, binary, integers,
 * booleans and doubles (maps and sets are skipped when met). Written from
 * the protocol description, not from any Thrift library.
 *
 * The reader never trusts the input: every read is bounds-checked, list
 * sizes are checked against the bytes left and nesting is limited, so a
 * malformed footer yields an error flag, never a crash or a huge
 * allocation. After the first failure every read returns zero and `failed`
 * stays set; callers check it once at the end.
 */
#ifndef LM_IO_PARQUET_THRIFT_H
#define LM_IO_PARQUET_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

/* Compact protocol type codes (field headers and collection headers). */
enum {
    TH_STOP = 0,
    TH_TRUE = 1,
    TH_FALSE = 2,
    TH_BYTE = 3,
    TH_I16 = 4,
    TH_I32 = 5,
    TH_I64 = 6,
    TH_DOUBLE = 7,
    TH_BINARY = 8,
    TH_LIST = 9,
    TH_SET = 10,
    TH_MAP = 11,
    TH_STRUCT = 12
};

typedef struct th_reader {
    const uint8_t *p, *end;
    bool failed;
    int depth;
} th_reader;

void th_reader_init(th_reader *r, const uint8_t *p, size_t n);
/* Reads the next field header of the current struct. last_id is the id of
   the previous field of that struct (0 at its start) and is updated. Returns
   false at the struct's STOP (or on failure). For booleans the value is in
   the type: *type is TH_TRUE or TH_FALSE. */
bool th_field(th_reader *r, int16_t *last_id, int *type, int16_t *id);
int64_t th_varint(th_reader *r);        /* unsigned LEB128 */
int64_t th_zigzag(th_reader *r);        /* i16/i32/i64 */
int32_t th_i32(th_reader *r);
/* A binary/string: pointer into the buffer, length in *len. */
const uint8_t *th_binary(th_reader *r, int32_t *len);
/* A list header; element count checked against the bytes left. */
int32_t th_list(th_reader *r, int *elem_type);
/* A boolean list element. */
bool th_list_bool(th_reader *r);
double th_double(th_reader *r);
/* Skips a value of the given type (for unknown fields). */
void th_skip(th_reader *r, int type);
/* Struct nesting guard: call on entering/leaving a nested struct. */
bool th_enter(th_reader *r);
void th_leave(th_reader *r);

/* The writer appends to a strbuf; failure shows as !lm_strbuf_ok. */
typedef struct th_writer {
    lm_strbuf *out;
    int16_t last[32]; /* last field id per open struct */
    int depth;
} th_writer;

void th_writer_init(th_writer *w, lm_strbuf *out);
void th_w_struct_begin(th_writer *w); /* a nested struct value follows */
void th_w_struct_end(th_writer *w);   /* writes STOP */
void th_w_field(th_writer *w, int16_t id, int type);
void th_w_i32(th_writer *w, int16_t id, int32_t v);
void th_w_i64(th_writer *w, int16_t id, int64_t v);
void th_w_bool(th_writer *w, int16_t id, bool v);
void th_w_binary(th_writer *w, int16_t id, const void *p, size_t n);
void th_w_string(th_writer *w, int16_t id, const char *s);
/* A list field header; elements follow with th_w_elem_* or structs. */
void th_w_list(th_writer *w, int16_t id, int elem_type, int32_t n);
void th_w_elem_i32(th_writer *w, int32_t v);
void th_w_elem_binary(th_writer *w, const void *p, size_t n);
/* Field header of a struct-typed field, followed by its fields and end. */
void th_w_struct_field(th_writer *w, int16_t id);

#endif
