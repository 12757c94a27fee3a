/**
 * The unbiased pass@k estimator of Chen et al. 2021 (Codex paper, eq. 1): with n samples of
 * which c pass, pass@k = 1 - C(n-c, k) / C(n, k), computed as a product to stay stable
 * (numpy form in human-eval's `estimate_pass_at_k`).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1) {
    throw new RangeError(`pass@k needs integers n >= 1, 0 <= c <= n, k >= 1 (got n=${n}, c=${c}, k=${k})`);
  }
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples (got ${n})`);
  if (n - c < k) return 1;
  // Exact for k = 1 (the product form gives 0.4999999999999999 for 3 of 6, as upstream prints).
  if (k === 1) return c / n;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/** Mean pass@k over problems, given each problem's sample count and pass count. */
export function meanPassAtK(counts: ReadonlyArray<{ n: number; c: number }>, k: number): number {
  if (counts.length === 0) return 0;
  return counts.reduce((a, { n, c }) => a + passAtK(n, c, k), 0) / counts.length;
}
