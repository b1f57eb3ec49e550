/*
 * Spark's RegressionMetrics (the weighted summary statistics behind
 * LinearRegressionSummary and RegressionEvaluator):
 *   mse = sum w (y - p)^2 / sum w, rmse = sqrt(mse),
 *   mae = sum w |y - p| / sum w, var (explainedVariance) = sum w (p - ybar)^2 / sum w,
 *   r2  = 1 - SSerr / SStot, SStot = sum w (y - ybar)^2, or sum w y^2 when
 *         the model goes through the origin.
 */
#include <math.h>

#include "ml/ml.h"

void ml_regression_metrics(int64_t n, const double *pred, const double *label, const double *weight,
                           bool through_origin, ml_reg_metrics *out)
{
    double ws = 0, ybar = 0;
    for (int64_t i = 0; i < n; i++) {
        double w = weight ? weight[i] : 1.0;
        ws += w;
        ybar += w * label[i];
    }
    ybar = ws > 0 ? ybar / ws : 0;
    double sserr = 0, sstot = 0, ssy = 0, sreg = 0, sabs = 0;
    for (int64_t i = 0; i < n; i++) {
        double w = weight ? weight[i] : 1.0;
        double e = label[i] - pred[i];
        sserr += w * e * e;
        sabs += w * fabs(e);
        sstot += w * (label[i] - ybar) * (label[i] - ybar);
        ssy += w * label[i] * label[i];
        sreg += w * (pred[i] - ybar) * (pred[i] - ybar);
    }
    out->count = n;
    out->wsum = ws;
    out->mse = sserr / ws;
    out->rmse = sqrt(out->mse);
    out->mae = sabs / ws;
    out->var = sreg / ws;
    out->r2 = 1 - sserr / (through_origin ? ssy : sstot);
}
