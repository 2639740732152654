/**
 * Small descriptive statistics on Float64Array / number arrays. Every function returns null
 * instead of NaN when the statistic is undefined (empty input, n < 2, ...).
 */

export function mean(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); null for n < 2. */
export function sampleSd(xs: ArrayLike<number>): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const m = mean(xs) as number;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] as number) - m;
    s += d * d;
  }
  return Math.sqrt(s / (n - 1));
}

/** √(mean x²). */
export function rms(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] as number) * (xs[i] as number);
  return Math.sqrt(s / xs.length);
}

/** Quantile of sorted data, linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/** Median (average of the two middle values for even n). Does not modify `xs`. */
export function median(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  return quantileSorted(Float64Array.from(xs).sort(), 0.5);
}

/** ln Γ(x), x > 0 (Lanczos, g = 7, 9 terms; relative error about 1e-15). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student-t CDF with ν degrees of freedom: F(t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, nu: number): number {
  const tail = 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of the Student-t distribution (p in (0, 1), ν > 0), by bisection on the CDF. */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu > 0)) throw new RangeError(`studentTQuantile: p=${p}, nu=${nu}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, nu) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Two-sided t interval for the mean: mean ± t_{(1+level)/2, n−1} · sd/√n; null for n < 2. */
export function meanConfidenceInterval(xs: ArrayLike<number>, level: number): [number, number] | null {
  const n = xs.length;
  const sd = sampleSd(xs);
  if (sd === null) return null;
  const m = mean(xs) as number;
  const half = studentTQuantile((1 + level) / 2, n - 1) * (sd / Math.sqrt(n));
  return [m - half, m + half];
}

/**
 * Wilson score interval of a proportion from k successes in n trials (0/1 samples): stays inside
 * [0, 1] and keeps its coverage near 0 and 1, where the t interval of the mean does not.
 */
export function wilsonInterval(k: number, n: number, level: number): [number, number] | null {
  if (n === 0) return null;
  const z = studentTQuantile((1 + level) / 2, 1e9); // the normal quantile (t with ν → ∞)
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/**
 * Percentile interval [q_tail, q_{1−tail}] of bootstrap replicates (tail = (1 − level)/2 for the
 * plain percentile interval); null when there are no replicates.
 */
export function percentileInterval(replicates: number[], tail: number): [number, number] | null {
  if (replicates.length === 0) return null;
  const s = Float64Array.from(replicates).sort();
  return [quantileSorted(s, tail) as number, quantileSorted(s, 1 - tail) as number];
}

/** Complementary error function (Chebyshev fit, Numerical Recipes erfcc; relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Tail probability for the "expanded percentile" bootstrap interval (Hesterberg 2015, "What
 * teachers should know about the bootstrap", §4.2): α'/2 = Φ(−√(n/(n−1)) · t_{(1+level)/2, n−1}),
 * which undoes the bootstrap's narrowness bias (it uses the plug-in variance) for small n.
 * Returns (1 − level)/2 unchanged for n < 2.
 */
export function expandedTail(level: number, n: number): number {
  if (n < 2) return (1 - level) / 2;
  return normalCdf(-Math.sqrt(n / (n - 1)) * studentTQuantile((1 + level) / 2, n - 1));
}

/**
 * Interval for the mean of positive data from the log-normal model (Cox's method, Olsson 2005):
 * with y = ln x, exp(ȳ + s²/2 ± t_{(1+level)/2, n−1} · √(s²/n + s⁴/(2(n−1)))). Always positive;
 * null for n < 2 or any x ≤ 0.
 */
export function logNormalMeanInterval(xs: ArrayLike<number>, level: number): [number, number] | null {
  const n = xs.length;
  if (n < 2) return null;
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    if (!(x > 0)) return null;
    ys[i] = Math.log(x);
  }
  const m = mean(ys) as number;
  const s2 = (sampleSd(ys) as number) ** 2;
  const se = Math.sqrt(s2 / n + (s2 * s2) / (2 * (n - 1)));
  const t = studentTQuantile((1 + level) / 2, n - 1);
  return [Math.exp(m + s2 / 2 - t * se), Math.exp(m + s2 / 2 + t * se)];
}

/**
 * Bootstrap interval of the mean (resampling the values with replacement, `replicates` times, draws
 * from `next(n)` = an integer in [0, n)), Hesterberg's expanded percentile (expandedTail). It stays
 * inside [min x, max x], so it never crosses zero for non-negative data. null for n < 2.
 */
export function bootstrapMeanInterval(
  xs: ArrayLike<number>,
  level: number,
  replicates: number,
  next: (n: number) => number,
): [number, number] | null {
  const n = xs.length;
  if (n < 2 || replicates < 1) return null;
  const reps: number[] = [];
  for (let b = 0; b < replicates; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[next(n)] as number;
    reps.push(s / n);
  }
  return percentileInterval(reps, expandedTail(level, n));
}
