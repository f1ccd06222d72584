/*
 * fsk_linsolve.h — small dense linear systems (least-squares normal
 * equations of the flat field and the model fit).
 */
#ifndef FSK_LINSOLVE_H
#define FSK_LINSOLVE_H

#include <stdbool.h>

/*
 * Solves a x = b for x by Gaussian elimination with partial pivoting; a is
 * n x n row-major and is destroyed, b is replaced by x. False when a is
 * singular to working precision (b is then unspecified).
 */
bool fsk_solve(int n, double *a, double *b);

#endif
