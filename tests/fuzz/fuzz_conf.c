/*
 * libFuzzer harness: configuration text — master URLs, Java properties
 * files (spark-defaults.conf), PYSPARK_SUBMIT_ARGS and typed conf values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/master.h"
#include "conf/properties.h"
#include "conf/submit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    lm_error err;
    lm_error_init(&err);

    lm_master m;
    lm_master_parse(s, NULL, &m, &err);
    lm_master_clear(&m);
    lm_error_clear(&err);

    lm_conf *props = lm_conf_new();
    lm_properties_parse(s, size, props, &err);
    lm_conf_free(props);
    lm_error_clear(&err);

    char **argv = NULL;
    int argc = 0;
    if (lm_split_args(s, LM_SPLIT_SHLEX, &argv, &argc, &err) == LM_OK) {
        lm_submit_args args;
        memset(&args, 0, sizeof args);
        lm_submit_args_parse(argc, argv, &args, &err);
        lm_submit_args_free(&args);
        lm_args_free(argv, argc);
    }
    lm_error_clear(&err);

    int64_t bytes;
    lm_conf_parse_bytes(s, LM_BYTE_MIB, &bytes, &err);
    lm_error_clear(&err);
    free(s);
    return 0;
}
