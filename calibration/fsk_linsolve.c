/*
 * fsk_linsolve.c — Gaussian elimination with partial pivoting.
 */
#include "fsk_linsolve.h"

#include <math.h>

bool fsk_solve(int n, double *a, double *b)
{
    double scale = 0;
    for (int i = 0; i < n * n; i++)
        scale = fmax(scale, fabs(a[i]));
    if (!(scale > 0))
        return false;
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(a[r * n + col]) > fabs(a[piv * n + col]))
                piv = r;
        if (!(fabs(a[piv * n + col]) > 1e-14 * scale))
            return false;
        if (piv != col) {
            for (int k = 0; k < n; k++) {
                double t = a[col * n + k];
                a[col * n + k] = a[piv * n + k];
                a[piv * n + k] = t;
            }
            double t = b[col];
            b[col] = b[piv];
            b[piv] = t;
        }
        for (int r = col + 1; r < n; r++) {
            double f = a[r * n + col] / a[col * n + col];
            if (f == 0)
                continue;
            for (int k = col; k < n; k++)
                a[r * n + k] -= f * a[col * n + k];
            b[r] -= f * b[col];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < n; k++)
            s -= a[r * n + k] * b[k];
        b[r] = s / a[r * n + r];
    }
    return true;
}
