/*
 * Quasi-Newton minimisers as Spark runs them through Breeze: L-BFGS with a
 * strong Wolfe line search for smooth objectives, and OWL-QN (orthant-wise
 * L-BFGS with a backtracking line search and orthant projection) when
 * some coordinates carry an L1 penalty. The state machine, line searches
 * and convergence checks follow Breeze's FirstOrderMinimizer so that
 * iteration counts and objective histories come out as Spark reports
 * them:
 *  - converged when the iteration limit is reached, when the norm of the
 *    (adjusted) gradient is <= max(tol * f, 1e-8), when the last 20
 *    objective values moved less than tol * |f0|, or when the line search
 *    fails twice (the first failure resets the history);
 *  - the history holds the adjusted objective of every state, the
 *    starting point included.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"
#include "session/session.h"

typedef struct qn {
    int n, m;
    ml_objective f;
    void *ud;
    const double *l1;
    /* memory, newest first: s[k], y[k] */
    int hlen;
    double **s, **y;
    double *tmp, *tmp2, *alphas;
} qn;

static double dot(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double norm2(int n, const double *a)
{
    return sqrt(dot(n, a, a));
}

/* Breeze's ApproximateInverseHessian * grad, negated: the two-loop
   recursion with the initial scaling s'y / y'y of the newest pair. */
static void descent_dir(qn *q, const double *grad, double *dir)
{
    int n = q->n;
    memcpy(dir, grad, sizeof *dir * (size_t)n);
    double diag = 1.0;
    if (q->hlen > 0) {
        double sy = dot(n, q->s[0], q->y[0]), yy = dot(n, q->y[0], q->y[0]);
        diag = sy / yy;
    }
    for (int i = 0; i < q->hlen; i++) {
        double rho = dot(n, q->s[i], q->y[i]);
        q->alphas[i] = dot(n, q->s[i], dir) / rho;
        for (int k = 0; k < n; k++)
            dir[k] -= q->alphas[i] * q->y[i][k];
    }
    for (int k = 0; k < n; k++)
        dir[k] *= diag;
    for (int i = q->hlen - 1; i >= 0; i--) {
        double rho = dot(n, q->s[i], q->y[i]);
        double beta = dot(n, q->y[i], dir) / rho;
        for (int k = 0; k < n; k++)
            dir[k] += (q->alphas[i] - beta) * q->s[i][k];
    }
    for (int k = 0; k < n; k++)
        dir[k] = -dir[k];
}

static void push_history(qn *q, const double *s, const double *y)
{
    double *os = q->s[q->m - 1], *oy = q->y[q->m - 1];
    memmove(q->s + 1, q->s, sizeof *q->s * (size_t)(q->m - 1));
    memmove(q->y + 1, q->y, sizeof *q->y * (size_t)(q->m - 1));
    q->s[0] = os;
    q->y[0] = oy;
    memcpy(os, s, sizeof *os * (size_t)q->n);
    memcpy(oy, y, sizeof *oy * (size_t)q->n);
    if (q->hlen < q->m)
        q->hlen++;
}

/* OWLQN.adjust: value plus the L1 term, and the pseudo-gradient. */
static double adjust(const qn *q, const double *x, const double *g, double v, double *ag)
{
    for (int i = 0; i < q->n; i++) {
        double r = q->l1 ? q->l1[i] : 0.0;
        if (r == 0.0) {
            ag[i] = g[i];
            continue;
        }
        v += fabs(r * x[i]);
        if (x[i] == 0.0) {
            double dp = g[i] + r, dm = g[i] - r;
            ag[i] = dm > 0 ? dm : dp < 0 ? dp : 0.0;
        } else {
            ag[i] = g[i] + (x[i] > 0 ? r : -r);
        }
    }
    return v;
}

static double signum(double v)
{
    return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0;
}

/* x + alpha dir, projected onto the orthant of x (OWLQN.takeStep) when
   L1 is in play. */
static void take_step(const qn *q, const double *x, const double *ag, const double *dir,
                      double alpha, double *out)
{
    for (int i = 0; i < q->n; i++) {
        out[i] = x[i] + dir[i] * alpha;
        if (q->l1) {
            double orth = x[i] != 0.0 ? signum(x[i]) : signum(-ag[i]);
            if (signum(out[i]) != orth)
                out[i] = 0.0;
        }
    }
}

/* phi(alpha) for the line searches: the (adjusted) value at x + alpha dir
   and its directional derivative. */
typedef struct ls {
    qn *q;
    const double *x, *ag, *dir;
    double *xt, *gt, *agt;
    double fv, dd;
} ls;

static void phi(ls *l, double alpha)
{
    qn *q = l->q;
    take_step(q, l->x, l->ag, l->dir, alpha, l->xt);
    double v = q->f(q->ud, l->xt, l->gt);
    l->fv = adjust(q, l->xt, l->gt, v, l->agt);
    l->dd = dot(q->n, l->agt, l->dir);
}

typedef struct bracket {
    double t, dd, fv;
} bracket;

static double interp(bracket l, bracket r)
{
    double d1 = l.dd + r.dd - 3 * (l.fv - r.fv) / (l.t - r.t);
    double d2 = sqrt(d1 * d1 - l.dd * r.dd);
    double mult = r.t - l.t;
    double t = r.t - mult * (r.dd + d2 - d1) / (r.dd - l.dd + 2 * d2);
    double lb = l.t + 0.1 * mult, rb = l.t + 0.9 * mult;
    if (t < lb)
        return lb;
    if (t > rb)
        return rb;
    return t;
}

/* Breeze's StrongWolfeLineSearch(maxZoomIter = 10, maxLineSearchIter = 10),
   c1 = 1e-4, c2 = 0.9. Returns false on failure. */
static bool strong_wolfe(ls *l, double init, double *out)
{
    const double c1 = 1e-4, c2 = 0.9;
    phi(l, 0.0);
    bracket low = {0.0, l->dd, l->fv};
    double fval = low.fv, dd = low.dd;
    if (dd > 0)
        return false;
    double t = init;
    for (int i = 0; i < 10; i++) {
        phi(l, t);
        bracket c = {t, l->dd, l->fv};
        if (isinf(c.fv) || isnan(c.fv)) {
            t /= 2.0;
            continue;
        }
        bracket zl, zh;
        bool zoom = false;
        if (c.fv > fval + c1 * t * dd || (c.fv >= low.fv && i > 0)) {
            zl = low;
            zh = c;
            zoom = true;
        } else if (fabs(c.dd) <= c2 * fabs(dd)) {
            *out = c.t;
            return true;
        } else if (c.dd >= 0) {
            zl = c;
            zh = low;
            zoom = true;
        }
        if (zoom) {
            for (int k = 0; k < 10; k++) {
                double tz = zl.t > zh.t ? interp(zh, zl) : interp(zl, zh);
                phi(l, tz);
                bracket cz = {tz, l->dd, l->fv};
                if (cz.fv > fval + c1 * cz.t * dd || cz.fv >= zl.fv) {
                    zh = cz;
                } else {
                    if (fabs(cz.dd) <= c2 * fabs(dd)) {
                        *out = cz.t;
                        return true;
                    }
                    if (cz.dd * (zh.t - zl.t) >= 0)
                        zh = zl;
                    zl = cz;
                }
            }
            return false;
        }
        low = c;
        t *= 1.5;
    }
    return false;
}

/* The backtracking line search of OWL-QN (Andrew & Gao; Breeze's
   BacktrackingLineSearch as OWLQN drives it): shrink until the Armijo
   condition (c = 1e-4) holds for the L1-adjusted objective, at most 20
   evaluations, alpha >= 1e-10. */
static bool backtracking(ls *l, double initfval, double shrink, double init, double *out)
{
    phi(l, 0.0);
    double initdd = l->dd;
    double alpha = init;
    phi(l, alpha);
    for (int i = 0; i < 20; i++) {
        if (!(l->fv > initfval + alpha * initdd * 1e-4)) {
            *out = alpha;
            return true;
        }
        alpha *= shrink;
        if (alpha < 1e-10)
            return false;
        phi(l, alpha);
    }
    *out = alpha;
    return true;
}

lm_status ml_minimize(lm_session *s, int n, double *x, ml_objective f, void *ud,
                      const ml_optim_opts *o, ml_optim_result *res)
{
    memset(res, 0, sizeof *res);
    qn q = {0};
    q.n = n;
    q.m = o->m > 0 ? o->m : 10;
    q.f = f;
    q.ud = ud;
    q.l1 = o->l1;
    size_t nv = (size_t)n + 1;
    int cap = o->max_iter + 2;
    double *buf = calloc(nv * (size_t)(12 + 2 * q.m) + (size_t)q.m + 1, sizeof *buf);
    q.s = calloc((size_t)q.m, sizeof *q.s);
    q.y = calloc((size_t)q.m, sizeof *q.y);
    res->history = malloc(sizeof *res->history * (size_t)cap);
    if (buf == NULL || q.s == NULL || q.y == NULL || res->history == NULL) {
        free(buf);
        free(q.s);
        free(q.y);
        free(res->history);
        res->history = NULL;
        return lm_error_oom(&s->error);
    }
    double *g = buf, *ag = g + nv, *dir = ag + nv, *xt = dir + nv, *gt = xt + nv, *agt = gt + nv;
    double *xn = agt + nv, *gn = xn + nv, *agn = gn + nv, *ds = agn + nv, *dy = ds + nv;
    double *p = dy + nv;
    for (int i = 0; i < q.m; i++) {
        q.s[i] = p;
        q.y[i] = p + nv;
        p += 2 * nv;
    }
    q.alphas = p;

    double value = f(ud, x, g);
    double adj = adjust(&q, x, g, value, ag);
    double init_adj = adj;
    /* FunctionValuesConverged's memory starts as [+Inf] */
    double fvals[21];
    int nf = 0;
    fvals[nf++] = INFINITY;
    res->history[res->nhistory++] = adj;
    int iter = 0;
    bool failed_once = false;
    for (;;) {
        /* convergence of the current state */
        if (iter >= o->max_iter)
            break;
        double mx = fvals[0];
        for (int i = 1; i < nf; i++)
            mx = fvals[i] > mx ? fvals[i] : mx;
        if (nf >= 2 && fabs(adj - mx) <= o->tol * fabs(init_adj))
            break;
        double gtol = o->tol * adj;
        if (norm2(n, ag) <= (gtol > 1e-8 ? gtol : 1e-8))
            break;

        descent_dir(&q, q.l1 ? ag : g, dir);
        if (q.l1)
            for (int i = 0; i < n; i++)
                if (dir[i] * ag[i] >= 0)
                    dir[i] = 0.0;
        ls l = {&q, x, ag, dir, xt, gt, agt, 0, 0};
        double alpha = 0.0;
        bool ok;
        if (q.l1) {
            double init = iter < 1 ? 0.5 / norm2(n, g) : 1.0;
            ok = backtracking(&l, adj, iter < 1 ? 0.1 : 0.5, init, &alpha);
        } else {
            double nd = norm2(n, dir);
            ok = strong_wolfe(&l, iter == 0 ? 1.0 / nd : 1.0, &alpha);
            if (ok && alpha * norm2(n, g) < 1e-10)
                ok = false;
        }
        if (!ok) {
            if (failed_once)
                break; /* searchFailed */
            failed_once = true;
            q.hlen = 0;
            continue;
        }
        take_step(&q, x, ag, dir, alpha, xn);
        double vn = f(ud, xn, gn);
        double adjn = adjust(&q, xn, gn, vn, agn);
        for (int i = 0; i < n; i++) {
            ds[i] = xn[i] - x[i];
            dy[i] = gn[i] - g[i];
        }
        push_history(&q, ds, dy);
        memcpy(x, xn, sizeof *x * (size_t)n);
        memcpy(g, gn, sizeof *g * (size_t)n);
        memcpy(ag, agn, sizeof *ag * (size_t)n);
        value = vn;
        adj = adjn;
        iter++;
        if (nf == 20) {
            memmove(fvals, fvals + 1, sizeof *fvals * 19);
            nf--;
        }
        fvals[nf++] = adjn;
        if (res->nhistory < cap)
            res->history[res->nhistory++] = adjn;
    }
    res->iterations = iter;
    free(buf);
    free(q.s);
    free(q.y);
    return LM_OK;
}
