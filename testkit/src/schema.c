/*
 * Schema comparison, field by field. pyspark's assertSchemaEqual prints
 * the two schemas as a text diff; for a nested schema that leaves the
 * reader to find the one field that changed. Here every difference is a
 * line naming its path and the two sides, actual first:
 *
 *     address.zip: int vs string
 *     tags.element: nullable vs not null
 *     amount: decimal(10,2) vs decimal(12,2)
 *     email: missing column (string)
 *     column order: id, name vs name, id
 *
 * Paths use Spark's names for the parts of nested types (`element` of an
 * array, `key` and `value` of a map). The same walk yields the column
 * mapping the row comparison uses.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tk.h"

/* Appends a path part, quoted with backticks as Spark quotes identifiers
   when the name is not a plain word. */
static void path_part(lm_strbuf *sb, const char *prefix, const char *name)
{
    if (prefix && *prefix) {
        lm_strbuf_puts(sb, prefix);
        lm_strbuf_putc(sb, '.');
    }
    bool plain = *name != '\0';
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            plain = false;
    if (plain) {
        lm_strbuf_puts(sb, name);
        return;
    }
    lm_strbuf_putc(sb, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            lm_strbuf_putc(sb, '`');
        lm_strbuf_putc(sb, *p);
    }
    lm_strbuf_putc(sb, '`');
}

static char *join_path(const char *prefix, const char *name)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    path_part(&sb, prefix, name);
    return lm_strbuf_detach(&sb);
}

static void type_text(lm_strbuf *sb, const lm_type *t)
{
    lm_type_catalog_string(sb, t);
}

static int type_diff(lm_strbuf *sb, const char *path, const lm_type *a, const lm_type *e,
                     const tk_schema_opts *o);

static int null_diff(lm_strbuf *sb, const char *path, bool a, bool e, const tk_schema_opts *o)
{
    if (o->ignore_nullable || a == e)
        return 0;
    lm_strbuf_printf(sb, "  %s: %s vs %s\n", path, a ? "nullable" : "not null",
                     e ? "nullable" : "not null");
    return 1;
}

static int comment_diff(lm_strbuf *sb, const char *path, const char *a, const char *e,
                        const tk_schema_opts *o)
{
    if (o->ignore_metadata || (a == NULL && e == NULL) || (a && e && strcmp(a, e) == 0))
        return 0;
    lm_strbuf_printf(sb, "  %s: comment ", path);
    if (a)
        lm_strbuf_printf(sb, "'%s'", a);
    else
        lm_strbuf_puts(sb, "none");
    lm_strbuf_puts(sb, " vs ");
    if (e)
        lm_strbuf_printf(sb, "'%s'", e);
    else
        lm_strbuf_puts(sb, "none");
    lm_strbuf_putc(sb, '\n');
    return 1;
}

/* Compares one pair of matched fields: type, nullability, comment. */
static int field_diff(lm_strbuf *sb, const char *path, const lm_field *a, const lm_field *e,
                      const tk_schema_opts *o)
{
    int n = type_diff(sb, path, a->type, e->type, o);
    if (!o->ignore_column_types)
        n += null_diff(sb, path, a->nullable, e->nullable, o);
    n += comment_diff(sb, path, a->comment, e->comment, o);
    return n;
}

static bool name_ignored(const char *name, const tk_schema_opts *o, bool top)
{
    if (!top || o->ignore_columns == NULL)
        return false;
    for (const char *const *p = o->ignore_columns; *p; p++)
        if (strcasecmp(*p, name) == 0)
            return true;
    return false;
}

/*
 * Fields of two structs matched by name (top-level columns with the
 * ignore options). For the top level, fills the column mapping when every
 * column found its partner.
 */
static int struct_diff(lm_strbuf *sb, const char *prefix, const lm_type *a, const lm_type *e,
                       const tk_schema_opts *o, bool top, int *acol, int *ecol, int *nmap)
{
    int na = a->nfields, ne = e->nfields;
    int *ai = malloc(sizeof *ai * (size_t)(na + 1)); /* compared fields of a */
    int *ei = malloc(sizeof *ei * (size_t)(ne + 1));
    int *partner = malloc(sizeof *partner * (size_t)(na + 1)); /* a slot -> e slot */
    bool *used = calloc((size_t)(ne + 1), sizeof *used);
    int diffs = 0;
    if (ai == NULL || ei == NULL || partner == NULL || used == NULL) {
        sb->failed = true;
        goto out;
    }
    int ca = 0, ce = 0;
    for (int i = 0; i < na; i++)
        if (!name_ignored(a->fields[i].name, o, top))
            ai[ca++] = i;
    for (int j = 0; j < ne; j++)
        if (!name_ignored(e->fields[j].name, o, top))
            ei[ce++] = j;

    if (top && o->ignore_column_names) {
        /* by position */
        if (ca != ce) {
            lm_strbuf_printf(sb, "  column count: %d vs %d\n", ca, ce);
            diffs++;
        }
        int m = ca < ce ? ca : ce;
        for (int k = 0; k < m; k++) {
            const lm_field *fa = &a->fields[ai[k]], *fe = &e->fields[ei[k]];
            lm_strbuf pb;
            lm_strbuf_init(&pb);
            path_part(&pb, NULL, fa->name);
            if (strcmp(fa->name, fe->name) != 0) {
                lm_strbuf_putc(&pb, '/');
                path_part(&pb, NULL, fe->name);
            }
            diffs += field_diff(sb, lm_strbuf_cstr(&pb), fa, fe, o);
            lm_strbuf_free(&pb);
            partner[k] = k;
        }
        if (diffs == 0 && acol) {
            for (int k = 0; k < m; k++) {
                acol[k] = ai[k];
                ecol[k] = ei[k];
            }
            *nmap = m;
        }
        goto out;
    }

    /* by name: exact first, the first unused partner for duplicates */
    for (int x = 0; x < ca; x++) {
        partner[x] = -1;
        for (int y = 0; y < ce && partner[x] < 0; y++)
            if (!used[y] && strcmp(a->fields[ai[x]].name, e->fields[ei[y]].name) == 0) {
                partner[x] = y;
                used[y] = true;
            }
    }
    for (int x = 0; x < ca; x++) {
        const lm_field *fa = &a->fields[ai[x]];
        char *path = join_path(prefix, fa->name);
        if (path == NULL) {
            sb->failed = true;
            goto out;
        }
        if (partner[x] < 0) {
            lm_strbuf_printf(sb, "  %s: unexpected %s (", path, top ? "column" : "field");
            type_text(sb, fa->type);
            lm_strbuf_puts(sb, ")\n");
            diffs++;
        } else {
            diffs += field_diff(sb, path, fa, &e->fields[ei[partner[x]]], o);
        }
        free(path);
    }
    for (int y = 0; y < ce; y++) {
        if (used[y])
            continue;
        const lm_field *fe = &e->fields[ei[y]];
        char *path = join_path(prefix, fe->name);
        if (path == NULL) {
            sb->failed = true;
            goto out;
        }
        lm_strbuf_printf(sb, "  %s: missing %s (", path, top ? "column" : "field");
        type_text(sb, fe->type);
        lm_strbuf_puts(sb, ")\n");
        free(path);
        diffs++;
    }
    bool all_matched = true;
    bool in_order = true;
    for (int x = 0; x < ca; x++) {
        all_matched &= partner[x] >= 0;
        in_order &= partner[x] == x;
    }
    all_matched &= ca == ce;
    if (all_matched && !in_order && !(top && o->ignore_column_order)) {
        lm_strbuf_puts(sb, "  ");
        if (!top)
            lm_strbuf_printf(sb, "%s: field order: ", prefix);
        else
            lm_strbuf_puts(sb, "column order: ");
        for (int x = 0; x < ca; x++) {
            if (x)
                lm_strbuf_puts(sb, ", ");
            path_part(sb, NULL, a->fields[ai[x]].name);
        }
        lm_strbuf_puts(sb, " vs ");
        for (int y = 0; y < ce; y++) {
            if (y)
                lm_strbuf_puts(sb, ", ");
            path_part(sb, NULL, e->fields[ei[y]].name);
        }
        lm_strbuf_putc(sb, '\n');
        diffs++;
    }
    if (diffs == 0 && acol) {
        for (int x = 0; x < ca; x++) {
            acol[x] = ai[x];
            ecol[x] = ei[partner[x]];
        }
        *nmap = ca;
    }
out:
    free(ai);
    free(ei);
    free(partner);
    free(used);
    return diffs;
}

static bool same_leaf(const lm_type *a, const lm_type *e)
{
    if (a->id != e->id)
        return false;
    if (a->id == LM_TYPE_DECIMAL)
        return a->precision == e->precision && a->scale == e->scale;
    if (a->id == LM_TYPE_YM_INTERVAL || a->id == LM_TYPE_DT_INTERVAL)
        return a->start_field == e->start_field && a->end_field == e->end_field;
    return true;
}

static int type_diff(lm_strbuf *sb, const char *path, const lm_type *a, const lm_type *e,
                     const tk_schema_opts *o)
{
    if (o->ignore_column_types)
        return 0;
    if (!same_leaf(a, e)) {
        lm_strbuf_printf(sb, "  %s: ", path);
        type_text(sb, a);
        lm_strbuf_puts(sb, " vs ");
        type_text(sb, e);
        lm_strbuf_putc(sb, '\n');
        return 1;
    }
    int n = 0;
    char *sub = NULL;
    switch (a->id) {
    case LM_TYPE_ARRAY:
        sub = join_path(path, "element");
        if (sub == NULL)
            break;
        n += type_diff(sb, sub, a->elem, e->elem, o);
        n += null_diff(sb, sub, a->contains_null, e->contains_null, o);
        break;
    case LM_TYPE_MAP:
        sub = join_path(path, "key");
        if (sub == NULL)
            break;
        n += type_diff(sb, sub, a->key, e->key, o);
        free(sub);
        sub = join_path(path, "value");
        if (sub == NULL)
            break;
        n += type_diff(sb, sub, a->value, e->value, o);
        n += null_diff(sb, sub, a->value_contains_null, e->value_contains_null, o);
        break;
    case LM_TYPE_STRUCT:
        n += struct_diff(sb, path, a, e, o, false, NULL, NULL, NULL);
        break;
    default:
        break;
    }
    if (a->id != LM_TYPE_STRUCT && (a->id == LM_TYPE_ARRAY || a->id == LM_TYPE_MAP) && sub == NULL)
        sb->failed = true;
    free(sub);
    return n;
}

int tk_schema_diff(lm_strbuf *sb, const lm_type *actual, const lm_type *expected,
                   const tk_schema_opts *o, int *acol, int *ecol, int *n)
{
    *n = 0;
    return struct_diff(sb, "", actual, expected, o, true, acol, ecol, n);
}
