/*
 * Thrift compact protocol reader and writer (see thrift.h). Integers are
 * zigzag LEB128 varints; a field header packs the id delta (1..15) with the
 * type in one byte, or carries the full id as a zigzag i16 after it.
 */
#include "thrift.h"

#include <string.h>

#define TH_MAX_DEPTH 64

void th_reader_init(th_reader *r, const uint8_t *p, size_t n)
{
    r->p = p;
    r->end = p + n;
    r->failed = false;
    r->depth = 0;
}

static void th_fail(th_reader *r)
{
    r->failed = true;
    r->p = r->end;
}

static int th_byte(th_reader *r)
{
    if (r->p >= r->end) {
        th_fail(r);
        return 0;
    }
    return *r->p++;
}

int64_t th_varint(th_reader *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (r->p >= r->end) {
            th_fail(r);
            return 0;
        }
        uint8_t b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return (int64_t)v;
    }
    th_fail(r);
    return 0;
}

int64_t th_zigzag(th_reader *r)
{
    uint64_t u = (uint64_t)th_varint(r);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

int32_t th_i32(th_reader *r)
{
    int64_t v = th_zigzag(r);
    if (v < INT32_MIN || v > INT32_MAX) {
        th_fail(r);
        return 0;
    }
    return (int32_t)v;
}

bool th_field(th_reader *r, int16_t *last_id, int *type, int16_t *id)
{
    if (r->failed)
        return false;
    int b = th_byte(r);
    if (r->failed || b == TH_STOP)
        return false;
    *type = b & 0x0f;
    int delta = b >> 4;
    if (delta)
        *id = (int16_t)(*last_id + delta);
    else {
        int64_t v = th_zigzag(r);
        if (v < INT16_MIN || v > INT16_MAX) {
            th_fail(r);
            return false;
        }
        *id = (int16_t)v;
    }
    *last_id = *id;
    return !r->failed;
}

const uint8_t *th_binary(th_reader *r, int32_t *len)
{
    int64_t n = th_varint(r);
    if (r->failed || n < 0 || n > r->end - r->p) {
        th_fail(r);
        *len = 0;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    *len = (int32_t)n;
    return p;
}

int32_t th_list(th_reader *r, int *elem_type)
{
    int b = th_byte(r);
    int64_t n = (b >> 4) & 0x0f;
    *elem_type = b & 0x0f;
    if (n == 15)
        n = th_varint(r);
    /* Every element takes at least one byte, except booleans in a list
       of booleans, which also take one; so n can't exceed what is left. */
    if (r->failed || n < 0 || n > r->end - r->p) {
        th_fail(r);
        return 0;
    }
    return (int32_t)n;
}

bool th_list_bool(th_reader *r)
{
    return th_byte(r) == 1;
}

double th_double(th_reader *r)
{
    double d = 0;
    if (r->end - r->p < 8) {
        th_fail(r);
        return 0;
    }
    memcpy(&d, r->p, 8); /* little-endian hosts only, as the rest of the module */
    r->p += 8;
    return d;
}

bool th_enter(th_reader *r)
{
    if (++r->depth > TH_MAX_DEPTH) {
        th_fail(r);
        return false;
    }
    return true;
}

void th_leave(th_reader *r)
{
    r->depth--;
}

void th_skip(th_reader *r, int type)
{
    if (r->failed)
        return;
    switch (type) {
    case TH_TRUE:
    case TH_FALSE:
        break;
    case TH_BYTE:
        th_byte(r);
        break;
    case TH_I16:
    case TH_I32:
    case TH_I64:
        th_varint(r);
        break;
    case TH_DOUBLE:
        th_double(r);
        break;
    case TH_BINARY: {
        int32_t n;
        th_binary(r, &n);
        break;
    }
    case TH_LIST:
    case TH_SET: {
        int et;
        int32_t n = th_list(r, &et);
        if (!th_enter(r))
            return;
        for (int32_t i = 0; i < n && !r->failed; i++) {
            if (et == TH_TRUE || et == TH_FALSE)
                th_byte(r); /* booleans in collections take a byte */
            else
                th_skip(r, et);
        }
        th_leave(r);
        break;
    }
    case TH_MAP: {
        int64_t n = th_varint(r);
        if (n < 0 || n > r->end - r->p) {
            th_fail(r);
            return;
        }
        if (n == 0)
            break;
        int kv = th_byte(r);
        if (!th_enter(r))
            return;
        for (int64_t i = 0; i < n && !r->failed; i++) {
            int kt = kv >> 4, vt = kv & 0x0f;
            if (kt == TH_TRUE || kt == TH_FALSE)
                th_byte(r);
            else
                th_skip(r, kt);
            if (vt == TH_TRUE || vt == TH_FALSE)
                th_byte(r);
            else
                th_skip(r, vt);
        }
        th_leave(r);
        break;
    }
    case TH_STRUCT: {
        if (!th_enter(r))
            return;
        int16_t last = 0, id;
        int t;
        while (th_field(r, &last, &t, &id))
            th_skip(r, t);
        th_leave(r);
        break;
    }
    default:
        th_fail(r);
    }
}

/* ------------------------------------------------------------- writer */

void th_writer_init(th_writer *w, lm_strbuf *out)
{
    w->out = out;
    w->depth = 0;
    w->last[0] = 0;
}

static void th_w_byte(th_writer *w, uint8_t b)
{
    lm_strbuf_putc(w->out, (char)b);
}

static void th_w_varint(th_writer *w, uint64_t v)
{
    while (v >= 0x80) {
        th_w_byte(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    th_w_byte(w, (uint8_t)v);
}

static void th_w_zigzag(th_writer *w, int64_t v)
{
    th_w_varint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void th_w_field(th_writer *w, int16_t id, int type)
{
    int16_t delta = (int16_t)(id - w->last[w->depth]);
    if (delta > 0 && delta <= 15)
        th_w_byte(w, (uint8_t)((delta << 4) | type));
    else {
        th_w_byte(w, (uint8_t)type);
        th_w_zigzag(w, id);
    }
    w->last[w->depth] = id;
}

void th_w_struct_begin(th_writer *w)
{
    if (w->depth < 31)
        w->last[++w->depth] = 0;
}

void th_w_struct_end(th_writer *w)
{
    th_w_byte(w, TH_STOP);
    if (w->depth > 0)
        w->depth--;
}

void th_w_struct_field(th_writer *w, int16_t id)
{
    th_w_field(w, id, TH_STRUCT);
    th_w_struct_begin(w);
}

void th_w_i32(th_writer *w, int16_t id, int32_t v)
{
    th_w_field(w, id, TH_I32);
    th_w_zigzag(w, v);
}

void th_w_i64(th_writer *w, int16_t id, int64_t v)
{
    th_w_field(w, id, TH_I64);
    th_w_zigzag(w, v);
}

void th_w_bool(th_writer *w, int16_t id, bool v)
{
    th_w_field(w, id, v ? TH_TRUE : TH_FALSE);
}

void th_w_binary(th_writer *w, int16_t id, const void *p, size_t n)
{
    th_w_field(w, id, TH_BINARY);
    th_w_elem_binary(w, p, n);
}

void th_w_string(th_writer *w, int16_t id, const char *s)
{
    th_w_binary(w, id, s, strlen(s));
}

void th_w_list(th_writer *w, int16_t id, int elem_type, int32_t n)
{
    th_w_field(w, id, TH_LIST);
    if (n < 15)
        th_w_byte(w, (uint8_t)((n << 4) | elem_type));
    else {
        th_w_byte(w, (uint8_t)(0xf0 | elem_type));
        th_w_varint(w, (uint64_t)n);
    }
}

void th_w_elem_i32(th_writer *w, int32_t v)
{
    th_w_zigzag(w, v);
}

void th_w_elem_binary(th_writer *w, const void *p, size_t n)
{
    th_w_varint(w, n);
    lm_strbuf_append(w->out, (const char *)p, n);
}
