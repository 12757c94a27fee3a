"""Reference values for test/analysis/*.test.ts, from scipy / statsmodels / numpy.

Reads one JSON request {"op": ..., ...} per line of stdin, writes one JSON answer per line.
Run with Debian's /usr/bin/python3 (python3-scipy, python3-statsmodels, python3-numpy).
"""
import json
import math
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.optimize import curve_fit
import statsmodels.api as sm


def clean(v):
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.ndarray):
        return clean(v.tolist())
    return v


def op_dist(r):
    out = {}
    for x, a, b in r["beta"]:
        out.setdefault("beta", []).append(special.betainc(a, b, x))
    for a, x in r["gamma"]:
        out.setdefault("gammainc", []).append(special.gammainc(a, x))
        out.setdefault("gammaincc", []).append(special.gammaincc(a, x))
    out["lgamma"] = [special.gammaln(x) for x in r["lgamma"]]
    out["norm_cdf"] = [stats.norm.cdf(z) for z in r["norm"]]
    out["norm_sf"] = [stats.norm.sf(z) for z in r["norm"]]
    out["norm_ppf"] = [stats.norm.ppf(p) for p in r["probs"]]
    out["t_cdf"] = [stats.t.cdf(t, df) for t, df in r["t"]]
    out["t_ppf"] = [stats.t.ppf(p, df) for p, df in r["tq"]]
    out["chi2_sf"] = [stats.chi2.sf(x, k) for x, k in r["chi2"]]
    out["f_sf"] = [stats.f.sf(f, d1, d2) for f, d1, d2 in r["f"]]
    return out


def op_corr(r):
    x = np.array(r["x"], float)
    y = np.array(r["y"], float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    pr = stats.pearsonr(x, y)
    sr = stats.spearmanr(x, y)
    kr = stats.kendalltau(x, y)
    return {"n": int(ok.sum()), "pearson": [pr[0], pr[1]], "spearman": [sr[0], sr[1]], "kendall": [kr[0], kr[1]]}


def op_partial(r):
    x, y = (np.array(r[k], float) for k in ("x", "y"))
    z = np.array(r["z"], float)
    if z.ndim == 1:
        z = z[:, None]
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z).all(axis=1)
    x, y, z = x[ok], y[ok], z[ok]
    Z = sm.add_constant(z)
    rx = sm.OLS(x, Z).fit().resid
    ry = sm.OLS(y, Z).fit().resid
    rr = np.corrcoef(rx, ry)[0, 1]
    n = len(x)
    df = n - 2 - z.shape[1]
    t = rr * math.sqrt(df / (1 - rr * rr))
    return {"r": rr, "p": 2 * stats.t.sf(abs(t), df), "n": n}


def op_bca(r):
    """BCa as scipy.stats.bootstrap computes it, from given resampled and jackknife values."""
    theta_b = np.array(r["dist"], float)
    jack = np.array(r["jack"], float)
    est = r["estimate"]
    level = r["level"]
    alpha = (1 - level) / 2
    B = len(theta_b)
    pct = ((theta_b < est).sum() + (theta_b <= est).sum()) / (2 * B)
    z0 = special.ndtri(pct)
    jm = jack.mean()
    num = ((jm - jack) ** 3).sum()
    den = 6 * (((jm - jack) ** 2).sum()) ** 1.5
    a = num / den
    za, z1a = special.ndtri(alpha), special.ndtri(1 - alpha)
    a1 = special.ndtr(z0 + (z0 + za) / (1 - a * (z0 + za)))
    a2 = special.ndtr(z0 + (z0 + z1a) / (1 - a * (z0 + z1a)))
    return {
        "bca": [np.percentile(theta_b, a1 * 100), np.percentile(theta_b, a2 * 100)],
        "percentile": [np.percentile(theta_b, alpha * 100), np.percentile(theta_b, (1 - alpha) * 100)],
        "z0": z0,
        "a": a,
    }


def op_ols(r):
    x = np.array(r["x"], float)
    y = np.array(r["y"], float)
    if r.get("log"):
        x = np.log(x)
    X = sm.add_constant(x)
    fit = sm.OLS(y, X).fit()
    hc3 = sm.OLS(y, X).fit(cov_type="HC3")
    xs = np.array(r["xs"], float)
    Xs = sm.add_constant(np.log(xs) if r.get("log") else xs, has_constant="add")
    pred = fit.get_prediction(Xs)
    mean_ci = pred.conf_int(obs=False, alpha=0.05)
    obs_ci = pred.conf_int(obs=True, alpha=0.05)
    return {
        "params": fit.params, "bse": fit.bse, "hc3": hc3.bse, "r2": fit.rsquared,
        "aic": fit.aic, "bic": fit.bic, "llf": fit.llf, "resid": fit.resid,
        "mean_ci": mean_ci, "obs_ci": obs_ci, "leverage": fit.get_influence().hat_matrix_diag,
        "cooks": fit.get_influence().cooks_distance[0],
    }


def op_logistic(r):
    x = np.array(r["x"], float)
    y = np.array(r["y"], float)
    if r.get("floor") == "fit":
        lo, hi = r["bounds"]

        def f(x, b, w, c):
            return b + (1 - b) / (1 + np.exp(-(w * x + c)))

        p0 = r["p0"]
        popt, pcov = curve_fit(f, x, y, p0=p0, bounds=([lo, -np.inf, -np.inf], [hi, np.inf, np.inf]),
                               ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=100000)
        names = ["floor", "w", "c"]
    else:
        b = r["floor"]

        def f(x, w, c):
            return b + (1 - b) / (1 + np.exp(-(w * x + c)))

        popt, pcov = curve_fit(f, x, y, p0=r["p0"], ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)
        names = ["w", "c"]
    resid = y - f(x, *popt)
    out = {"names": names, "params": popt, "se": np.sqrt(np.diag(pcov)), "rss": float((resid ** 2).sum())}
    if "xs" in r:
        # Delta-method band (OLMo-ladder style): numerical gradient of the curve in the parameters.
        xs = np.array(r["xs"], float)
        G = np.zeros((len(xs), len(popt)))
        for j in range(len(popt)):
            h = 1e-6 * max(1.0, abs(popt[j]))
            up, dn = popt.copy(), popt.copy()
            up[j] += h
            dn[j] -= h
            G[:, j] = (f(xs, *up) - f(xs, *dn)) / (2 * h)
        se_mean = np.sqrt(np.einsum("ij,jk,ik->i", G, pcov, G))
        dof = len(x) - len(popt)
        tq = stats.t.ppf(0.975, dof)
        sigma2 = (resid ** 2).sum() / dof
        fit = f(xs, *popt)
        out["band"] = np.column_stack([fit - tq * se_mean, fit + tq * se_mean])
        out["pred_band"] = np.column_stack([fit - tq * np.sqrt(se_mean ** 2 + sigma2), fit + tq * np.sqrt(se_mean ** 2 + sigma2)])
    return out


def op_padjust(r):
    from statsmodels.stats.multitest import multipletests
    p = np.array(r["p"], float)
    return {"holm": multipletests(p, method="holm")[1], "bh": multipletests(p, method="fdr_bh")[1]}


def op_pca(r):
    M = np.array(r["m"], float)
    M = M[np.isfinite(M).all(axis=1)]
    Z = (M - M.mean(axis=0)) / M.std(axis=0, ddof=1)
    C = np.corrcoef(Z, rowvar=False)
    vals, vecs = np.linalg.eigh(C)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    for k in range(vecs.shape[1]):
        if vecs[:, k].sum() < 0:
            vecs[:, k] = -vecs[:, k]
    return {"values": vals, "ratio": vals / vals.sum(), "vectors": vecs, "scores": Z @ vecs}


def op_samplesize(r):
    # Brute force over n: the smallest n whose normal interval with the finite-population
    # correction is at most h; S^2 with divisor N - 1, or the proportional-allocation
    # within-stratum variance; and statsmodels' n0 for a proportion (no correction).
    from scipy.stats import norm
    from statsmodels.stats.proportion import samplesize_confint_proportion
    strata = [np.asarray(s, dtype=float) for s in r["strata"]]
    N = sum(len(s) for s in strata)
    s2 = sum(len(s) * s.var(ddof=1) for s in strata if len(s) > 1) / N
    z = norm.ppf(1 - r["alpha"] / 2)
    n = next((k for k in range(1, N + 1) if z * np.sqrt(s2 * (1 - k / N) / k) <= r["h"] * (1 + 1e-12)), N)
    return {"variance": s2, "n": n, "n0_proportion": samplesize_confint_proportion(r["p"], r["h"], alpha=r["alpha"], method="normal")}


OPS = {k[3:]: v for k, v in globals().items() if k.startswith("op_")}

for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    sys.stdout.write(json.dumps(clean(OPS[req["op"]](req)), allow_nan=False) + "\n")
    sys.stdout.flush()
