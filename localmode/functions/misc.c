/*
 * Miscellaneous functions: Spark's hash() and xxhash64(), digests (md5,
 * sha1, sha2, crc32) from hash/, uuid, partition-aware ids
 * (monotonically_increasing_id, spark_partition_id) and session facts
 * (version, current_database, current_user ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "functions/families.h"
#include "functions/fn_util.h"
#include "hash/digest.h"
#include "hash/murmur3.h"
#include "hash/xxhash64.h"

#define NI LM_FN_NULL_INTOLERANT

/* ------------------------------------------------------------ hashes */

static lm_status resolve_hash(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs < 1) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "42605",
                     "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `%s` requires > 0 parameters but "
                     "the actual number is 0.",
                     call->fn->name);
        return LM_ERROR;
    }
    for (int i = 0; i < call->nargs; i++)
        if (call->args[i]->type->id == LM_TYPE_MAP)
            return lm_coerce_unexpected_input(rc, call, i, "non-map type", err);
    bool xx = call->fn->name[0] == 'x';
    return fn_set_result(rc, call, xx ? lm_type_long() : lm_type_int(), false, err);
}

static lm_status eval_hash(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                           lm_value *out)
{
    const lm_type *types[64];
    int n = call->nargs < 64 ? call->nargs : 64;
    for (int i = 0; i < n; i++)
        types[i] = call->args[i]->type;
    if (call->fn->name[0] == 'x')
        *out = lm_value_i64(lm_spark_xxhash64(n, types, a));
    else
        *out = lm_value_i64(lm_spark_hash(n, types, a));
    return LM_OK;
}

static lm_status resolve_digest(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->args[0]->type->id != LM_TYPE_BINARY &&
        fn_expect(rc, call, 0, lm_type_binary(), "\"BINARY\"", err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 2 && call->args[1]->type->id != LM_TYPE_INT &&
        fn_expect(rc, call, 1, lm_type_int(), "\"INT\"", err) != LM_OK)
        return LM_ERROR;
    bool crc = strcmp(call->fn->name, "crc32") == 0;
    bool sha2 = strcmp(call->fn->name, "sha2") == 0;
    return fn_set_result(rc, call, crc ? lm_type_long() : lm_type_string(),
                         sha2 || fn_args_nullable(call), err);
}

static lm_status eval_digest(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                             lm_value *out)
{
    const char *n = call->fn->name;
    const void *p = a[0].u.str.ptr;
    size_t len = (size_t)a[0].u.str.len;
    char hex[2 * LM_SHA512_LEN + 1];
    if (strcmp(n, "crc32") == 0) {
        *out = lm_value_i64(lm_crc32(p, len));
        return LM_OK;
    }
    if (strcmp(n, "md5") == 0)
        lm_md5_hex(p, len, hex);
    else if (strcmp(n, "sha2") == 0) {
        if (!lm_sha2_hex(p, len, (int32_t)a[1].u.i64, hex)) {
            *out = lm_value_null();
            return LM_OK;
        }
    } else
        lm_sha1_hex(p, len, hex);
    return fn_out_str(ec, out, hex, strlen(hex));
}

/* ------------------------------------------------------------ ids */

static _Thread_local struct {
    int64_t row;
    uint64_t uuid_state;
} t_ids;

void fn_misc_partition_reset(void);
void fn_misc_partition_reset(void)
{
    t_ids.row = 0;
}

static lm_status resolve_long_nn(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_long(), false, err);
}

static lm_status eval_mono_id(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    *out = lm_value_i64(((int64_t)lm_func_partition_index() << 33) + t_ids.row++);
    return LM_OK;
}

static lm_status resolve_int_nn(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_int(), false, err);
}

static lm_status eval_partition_id(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    *out = lm_value_i64(lm_func_partition_index());
    return LM_OK;
}

static lm_status resolve_str_nn(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_string(), false, err);
}

static uint64_t next64(void)
{
    if (t_ids.uuid_state == 0)
        t_ids.uuid_state = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&t_ids;
    uint64_t x = t_ids.uuid_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    t_ids.uuid_state = x;
    return x;
}

/* uuid(): a version 4 UUID, laid out as Spark's RandomUUIDGenerator. */
static lm_status eval_uuid(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                           lm_value *out)
{
    uint64_t hi = (next64() & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    uint64_t lo = (next64() | 0x8000000000000000ull) & 0xBFFFFFFFFFFFFFFFull;
    char b[40];
    snprintf(b, sizeof b, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(hi >> 32),
             (unsigned)((hi >> 16) & 0xFFFF), (unsigned)(hi & 0xFFFF), (unsigned)(lo >> 48),
             (unsigned long long)(lo & 0xFFFFFFFFFFFFull));
    return fn_out_str(ec, out, b, strlen(b));
}

static lm_status eval_const_str(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    const char *n = call->fn->name;
    const char *v = "";
    if (strcmp(n, "version") == 0)
        v = "3.5.0 localmode";
    else if (strcmp(n, "current_database") == 0 || strcmp(n, "current_schema") == 0)
        v = "default";
    else if (strcmp(n, "current_catalog") == 0)
        v = "spark_catalog";
    else if (strcmp(n, "current_user") == 0 || strcmp(n, "user") == 0 ||
             strcmp(n, "session_user") == 0) {
        const char *u = getenv("USER");
        v = u ? u : "";
    }
    return fn_out_str(ec, out, v, strlen(v));
}

#define FN(nm, mn, mx, fl, rs, ev) \
    {.name = nm, .min_args = mn, .max_args = mx, .flags = fl, .resolve = rs, .eval = ev, \
     .pretty = nm}
#define ND LM_FN_NONDETERMINISTIC

static const lm_func_def k_defs[] = {
    FN("hash", 0, -1, 0, resolve_hash, eval_hash),
    FN("xxhash64", 0, -1, 0, resolve_hash, eval_hash),
    FN("md5", 1, 1, NI, resolve_digest, eval_digest),
    FN("sha1", 1, 1, NI, resolve_digest, eval_digest),
    FN("sha", 1, 1, NI, resolve_digest, eval_digest),
    FN("sha2", 2, 2, NI, resolve_digest, eval_digest),
    FN("crc32", 1, 1, NI, resolve_digest, eval_digest),
    FN("uuid", 0, 0, ND, resolve_str_nn, eval_uuid),
    FN("monotonically_increasing_id", 0, 0, ND, resolve_long_nn, eval_mono_id),
    FN("spark_partition_id", 0, 0, ND, resolve_int_nn, eval_partition_id),
    FN("input_file_name", 0, 0, ND, resolve_str_nn, eval_const_str),
    FN("version", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("current_database", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("current_schema", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("current_catalog", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("current_user", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("user", 0, 0, 0, resolve_str_nn, eval_const_str),
    FN("session_user", 0, 0, 0, resolve_str_nn, eval_const_str),
};

const lm_func_table lm_funcs_misc = {k_defs, sizeof k_defs / sizeof k_defs[0]};
