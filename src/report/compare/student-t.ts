/*
 * Student's t distribution, for the t-tests `compare` runs over repetitions. Written here rather
 * than taken from npm: the one well-kept implementation (stdlib's) brings about 220 packages
 * with it, for two functions. Checked against published tables in test/unit/compare-statistics.test.ts.
 */

const LANCZOS = [
  76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
  -0.5395239384953e-5,
];

/** ln Γ(x) for x > 0 (Lanczos, good to about 1e-10 relative). */
function logGamma(x: number): number {
  let denominator = x;
  let series = 1.000000000190015;
  for (const coefficient of LANCZOS) series += coefficient / ++denominator;
  const shifted = x + 5.5;
  return Math.log((2.5066282746310007 * series) / x) - shifted + (x + 0.5) * Math.log(shifted);
}

const TINY = 1e-300;
const EPSILON = 3e-16;

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < TINY ? TINY : d);
  let fraction = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    for (const numerator of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < TINY) c = TINY;
      fraction *= d * c;
    }
    if (Math.abs(d * c - 1) < EPSILON) break;
  }
  return fraction;
}

/** The regularized incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for T with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function upperTail(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const half = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? half : 1 - half;
}

/** The t with P(T > t) = p, for 0 < p < 1 (bisection: a few dozen steps, called rarely). */
export function upperQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a tail probability must be in (0, 1), not ${p}`);
  let low = -1;
  let high = 1;
  while (upperTail(high, df) > p) high *= 2;
  while (upperTail(low, df) < p) low *= 2;
  for (let step = 0; step < 200 && high - low > 1e-12 * Math.max(1, Math.abs(high)); step++) {
    const middle = (low + high) / 2;
    if (upperTail(middle, df) > p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
