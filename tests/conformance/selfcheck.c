/*
 * conformance_selfcheck: checks the engine-free half of the conformance
 * runner against the real corpus. Every golden file must parse into
 * 3 x statements + 1 pieces, and splitting every input script must give
 * exactly the golden statement texts (Spark's own runner asserts the same),
 * so a bug in golden.c shows up here before any engine exists.
 *
 * Usage: conformance_selfcheck [--corpus DIR]   (DIR holds inputs/ and results/)
 * Exit status: 0 all agree, 1 a disagreement, 2 usage or I/O error,
 * 77 corpus missing (CTest reports the test as skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden.h"
#include "report.h"

#ifndef LM_DEFAULT_CORPUS
#define LM_DEFAULT_CORPUS "../shared/conformance/spark-sql"
#endif

int main(int argc, char **argv)
{
    const char *corpus = LM_DEFAULT_CORPUS;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) {
            corpus = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--corpus DIR]\n", argv[0]);
            return 2;
        }
    }
    char results[4096];
    snprintf(results, sizeof results, "%s/results", corpus);
    struct stat st;
    if (stat(results, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("conformance corpus not found at %s: skipping\n", corpus);
        return 77;
    }
    char **names = NULL;
    size_t n = 0;
    char *err = NULL;
    if (golden_list_corpus(results, &names, &n, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return 2;
    }
    size_t good = 0, statements = 0, errors = 0, classed = 0;
    for (size_t i = 0; i < n; i++) {
        golden_file g;
        golden_script s;
        bool has_input;
        if (golden_load_case(corpus, names[i], &g, &s, &has_input, &err) != 0) {
            printf("split-check: %s: %s\n", names[i], err);
            free(err);
            err = NULL;
            continue;
        }
        statements += g.nblocks;
        for (size_t k = 0; k < g.nblocks; k++) {
            if (!golden_block_is_error(&g.blocks[k]))
                continue;
            char *cls = golden_error_class(&g.blocks[k]);
            errors++;
            classed += cls != NULL;
            free(cls);
        }
        if (!has_input)
            printf("split-check: %s: no input file\n", names[i]);
        else if (report_split_check(stdout, names[i], &s, &g))
            good++;
        golden_file_free(&g);
        golden_script_free(&s);
    }
    printf("selfcheck: %zu statements, %zu expect an error (%zu with an error class)\n", statements,
           errors, classed);
    printf("selfcheck: %zu/%zu files split into their golden statements\n", good, n);
    golden_names_free(names, n);
    return good == n && n > 0 ? 0 : 1;
}
