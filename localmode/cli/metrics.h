/*
 * Per-job metrics (--metrics) and the console progress bar, observed
 * through the executor's hook (metrics.c).
 */
#ifndef LM_CLI_METRICS_H
#define LM_CLI_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "localmode.h"

typedef struct cli_metrics cli_metrics;

/* Starts observing s (sets its exec hook); with progress, draws Spark's
   progress bar on stderr for jobs over half a second. NULL on OOM. */
cli_metrics *cli_metrics_new(lm_session *s, bool progress);
/* Names the next job(s) in the summary ("sink \"daily\"", "statement 2"). */
void cli_metrics_label(cli_metrics *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The summary of every job so far. */
void cli_metrics_print(cli_metrics *m, FILE *f);
/* Stops observing and frees; call before closing the session. */
void cli_metrics_free(cli_metrics *m);

/* One bar as Spark draws it: "[Stage 1:====>   (3 + 1) / 8]", width
   characters wide (when it fits). */
void cli_progress_render(char *buf, size_t size, int stage_id, int done, int active, int total,
                         int width);

/* Whether the progress bar should be drawn: stderr is a terminal and the
   session has not set spark.ui.showConsoleProgress=false. */
bool cli_progress_wanted(lm_session *s);

#endif
