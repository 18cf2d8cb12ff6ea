/**
 * The standard normal distribution to double precision. Pure.
 *
 * Every interval and approximate p-value of the reports goes through these functions, so they must be exact where a
 * report prints digits: simple-statistics' `probit` returns 1.9572 for 0.975 (the true quantile is 1.959964), which
 * widened every interval by 0.1 %.
 */

/** c[0] + c[1]·x + c[2]·x² + … */
function poly(c: readonly number[], x: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i]!;
  return s;
}

// AS 241 (PPND16) coefficients, lowest degree first, as published and as R's qnorm.c has them (with more digits than a
// double holds: kept as printed, so they can be checked against the paper).
/* eslint-disable no-loss-of-precision */
const CENTRAL_NUM = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
  33430.575583588128105, 2509.0809287301226727,
];
const CENTRAL_DEN = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
  5226.495278852545925,
];
const TAIL_NUM = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const TAIL_DEN = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966,
  5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const FAR_NUM = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const FAR_DEN = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5,
  1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/* eslint-enable no-loss-of-precision */

/**
 * The normal quantile Φ⁻¹(p): Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988), the one R's `qnorm` uses,
 * relative error about 1e-16 over (0, 1). −Infinity at 0, +Infinity at 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(CENTRAL_NUM, r)) / poly(CENTRAL_DEN, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const v = r <= 5 ? poly(TAIL_NUM, r - 1.6) / poly(TAIL_DEN, r - 1.6) : poly(FAR_NUM, r - 5) / poly(FAR_DEN, r - 5);
  return q < 0 ? -v : v;
}

// Hart's algorithm 5666 (1968) coefficients, lowest degree first.
const HART_NUM = [
  220.206867912376, 221.213596169931, 112.079291497871, 33.912866078383, 6.37396220353165, 0.700383064443688, 0.0352624965998911,
];
const HART_DEN = [
  440.413735824752, 793.826512519948, 637.333633378831, 296.564248779674, 86.7807322029461, 16.064177579207, 1.75566716318264,
  0.0883883476483184,
];

/**
 * The normal distribution function Φ(z): Hart's algorithm 5666 as given by West ("Better approximations to cumulative
 * normal functions", Wilmott 2005), absolute error below 1e-14 everywhere. It computes the smaller tail directly, so a
 * tail probability far out is not lost to cancellation: use `normalCdf(−z)` for 1 − Φ(z).
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = Math.abs(z);
  let tail = 0;
  if (x <= 37) {
    const e = Math.exp((-x * x) / 2);
    tail =
      x < 7.07106781186547
        ? (e * poly(HART_NUM, x)) / poly(HART_DEN, x)
        : e / (x + 1 / (x + 2 / (x + 3 / (x + 4 / (x + 0.65))))) / 2.506628274631;
  }
  return z > 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}
