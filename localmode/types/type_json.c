/*
 * Spark's schema JSON (DataType.json), the form in which field metadata is
 * visible: `df.schema.json()` prints every field as
 * {"name":..,"type":..,"nullable":..,"metadata":{..}}, and ML stages read
 * their attributes (StringIndexer labels, VectorAssembler attribute groups)
 * from that metadata. Compact, in json4s's compact rendering.
 */
#include <string.h>

#include "types/type.h"

void lm_json_string(lm_strbuf *sb, const char *s)
{
    lm_strbuf_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':
            lm_strbuf_puts(sb, "\\\"");
            break;
        case '\\':
            lm_strbuf_puts(sb, "\\\\");
            break;
        case '\b':
            lm_strbuf_puts(sb, "\\b");
            break;
        case '\f':
            lm_strbuf_puts(sb, "\\f");
            break;
        case '\n':
            lm_strbuf_puts(sb, "\\n");
            break;
        case '\r':
            lm_strbuf_puts(sb, "\\r");
            break;
        case '\t':
            lm_strbuf_puts(sb, "\\t");
            break;
        default:
            if (c < 0x20)
                lm_strbuf_printf(sb, "\\u%04x", c);
            else
                lm_strbuf_putc(sb, (char)c);
        }
    }
    lm_strbuf_putc(sb, '"');
}

void lm_field_metadata_json(lm_strbuf *sb, const lm_field *f)
{
    /* the comment is metadata key "comment"; the rest is kept as JSON */
    lm_strbuf_putc(sb, '{');
    bool any = false;
    if (f->comment != NULL) {
        lm_strbuf_puts(sb, "\"comment\":");
        lm_json_string(sb, f->comment);
        any = true;
    }
    if (f->metadata != NULL) {
        size_t n = strlen(f->metadata);
        if (n > 2) { /* the members between the braces */
            if (any)
                lm_strbuf_putc(sb, ',');
            lm_strbuf_append(sb, f->metadata + 1, n - 2);
        }
    }
    lm_strbuf_putc(sb, '}');
}

static void json_struct_fields(lm_strbuf *sb, const lm_type *t)
{
    lm_strbuf_puts(sb, "{\"type\":\"struct\",\"fields\":[");
    for (int i = 0; i < t->nfields; i++) {
        const lm_field *f = &t->fields[i];
        if (i)
            lm_strbuf_putc(sb, ',');
        lm_strbuf_puts(sb, "{\"name\":");
        lm_json_string(sb, f->name);
        lm_strbuf_puts(sb, ",\"type\":");
        lm_type_json(sb, f->type);
        lm_strbuf_printf(sb, ",\"nullable\":%s,\"metadata\":", f->nullable ? "true" : "false");
        lm_field_metadata_json(sb, f);
        lm_strbuf_putc(sb, '}');
    }
    lm_strbuf_puts(sb, "]}");
}

void lm_type_json(lm_strbuf *sb, const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_STRUCT:
        if (t->udt != NULL) {
            /* UserDefinedType.jsonValue; Spark's own UDTs name their
               Python class after the JVM one (pyspark.ml.linalg.VectorUDT) */
            const char *cls = t->udt->class_name;
            static const char jvm[] = "org.apache.spark.";
            lm_strbuf_puts(sb, "{\"type\":\"udt\",\"class\":");
            lm_json_string(sb, cls);
            if (strncmp(cls, jvm, sizeof jvm - 1) == 0) {
                lm_strbuf_puts(sb, ",\"pyClass\":\"pyspark.");
                lm_strbuf_puts(sb, cls + sizeof jvm - 1);
                lm_strbuf_putc(sb, '"');
            }
            lm_strbuf_puts(sb, ",\"sqlType\":");
            json_struct_fields(sb, t);
            lm_strbuf_putc(sb, '}');
            return;
        }
        json_struct_fields(sb, t);
        return;
    case LM_TYPE_ARRAY:
        lm_strbuf_puts(sb, "{\"type\":\"array\",\"elementType\":");
        lm_type_json(sb, t->elem);
        lm_strbuf_printf(sb, ",\"containsNull\":%s}", t->contains_null ? "true" : "false");
        return;
    case LM_TYPE_MAP:
        lm_strbuf_puts(sb, "{\"type\":\"map\",\"keyType\":");
        lm_type_json(sb, t->key);
        lm_strbuf_puts(sb, ",\"valueType\":");
        lm_type_json(sb, t->value);
        lm_strbuf_printf(sb, ",\"valueContainsNull\":%s}",
                         t->value_contains_null ? "true" : "false");
        return;
    default: {
        /* atomic types print their typeName as a JSON string */
        lm_strbuf name;
        lm_strbuf_init(&name);
        if (t->id == LM_TYPE_NULL)
            lm_strbuf_puts(&name, "void");
        else
            lm_type_type_name(&name, t);
        lm_json_string(sb, lm_strbuf_cstr(&name));
        lm_strbuf_free(&name);
    }
    }
}
