/*
 * Dense linear algebra for the normal equations: Cholesky factorisation
 * of a symmetric positive definite matrix in LAPACK's packed upper
 * storage (element (i, j), i <= j, at i + j(j+1)/2, the layout Spark's
 * BLAS.spr accumulates and dppsv/dpptri read), the triangular solves, and
 * the inverse Spark uses for coefficient standard errors. Cholesky is the
 * stable choice here: the matrix is a covariance (plus a ridge), and no
 * explicit inverse is formed to solve.
 */
#include <math.h>
#include <stdlib.h>

#include "ml/ml.h"

#define AP(i, j) ((i) + (size_t)(j) * ((size_t)(j) + 1) / 2)

bool ml_cholesky_solve_packed(int n, double *a, double *b)
{
    /* A = U^T U, column by column (dpptrf, UPLO = 'U') */
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < j; i++) {
            double s = a[AP(i, j)];
            for (int k = 0; k < i; k++)
                s -= a[AP(k, i)] * a[AP(k, j)];
            a[AP(i, j)] = s / a[AP(i, i)];
        }
        double d = a[AP(j, j)];
        for (int k = 0; k < j; k++)
            d -= a[AP(k, j)] * a[AP(k, j)];
        /* LAPACK reports a non-positive pivot as "not positive definite";
           Spark turns that into SingularMatrixException */
        if (!(d > 0.0))
            return false;
        a[AP(j, j)] = sqrt(d);
    }
    /* U^T y = b */
    for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++)
            s -= a[AP(k, i)] * b[k];
        b[i] = s / a[AP(i, i)];
    }
    /* U x = y */
    for (int i = n - 1; i >= 0; i--) {
        double s = b[i];
        for (int k = i + 1; k < n; k++)
            s -= a[AP(i, k)] * b[k];
        b[i] = s / a[AP(i, i)];
    }
    return true;
}

void ml_cholesky_inverse_packed(int n, const double *u, double *inv)
{
    /* inv(A) = inv(U) inv(U)^T, with inv(U) upper triangular (dpptri) */
    double *w = calloc((size_t)n * (size_t)n + 1, sizeof *w);
    if (w == NULL)
        return;
    for (int j = 0; j < n; j++) {
        w[(size_t)j * n + j] = 1.0 / u[AP(j, j)];
        for (int i = j - 1; i >= 0; i--) {
            double s = 0.0;
            for (int k = i + 1; k <= j; k++)
                s += u[AP(i, k)] * w[(size_t)k * n + j];
            w[(size_t)i * n + j] = -s / u[AP(i, i)];
        }
    }
    for (int j = 0; j < n; j++)
        for (int i = 0; i <= j; i++) {
            double s = 0.0;
            for (int k = j; k < n; k++)
                s += w[(size_t)i * n + k] * w[(size_t)j * n + k];
            inv[AP(i, j)] = s;
        }
    free(w);
}
