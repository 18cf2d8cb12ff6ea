/** Formatting shared by the report's renderers. PURE. */
import { ALPHA } from '../results/stats.js';

/** Markdown escaping lives with the other escapes of text from outside (core/escape.ts). */
export { escapeMarkdown } from '../core/escape.js';

/**
 * `v` rounded to `digits` decimals, half away from zero, on the decimal value as printed (209.35 → 209.4; a bare
 * `toFixed` gives 209.3 because the double is 209.34999…). The one rounding of every number a user reads: the report,
 * the terminal, the log lines and the step outputs.
 */
export function round(v: number, digits = 1): number {
  if (!Number.isFinite(v)) return v;
  const sign = v < 0 ? -1 : 1;
  const abs = Math.abs(v);
  const text = String(abs);
  const scaled = text.includes('e') ? abs * 10 ** digits : Number(`${text}e${digits}`);
  const r = Math.round(scaled);
  return sign * (text.includes('e') ? r / 10 ** digits : Number(`${r}e-${digits}`)) || 0;
}

/** A number with exactly `digits` decimals, rounded by `round`: 56.805 → "56.8" (digits 1). */
export function decimal(v: number, digits = 1): string {
  return round(v, digits).toFixed(digits);
}

/** Milliseconds with one decimal; '–' when there is no value. */
export function ms(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : decimal(v, 1);
}

/** A ratio of medians: "3.29×". */
export function ratioText(r: number): string {
  return Number.isFinite(r) ? `${decimal(r, 2)}×` : '–';
}

/** `v` scaled by 10^digits on its decimal digits (no 1.15 × 100 = 114.999…). */
function scaled(v: number, digits: number): number {
  const text = String(v);
  return text.includes('e') ? v * 10 ** digits : Number(`${text}e${digits}`);
}

/**
 * `v` rounded outward at `digits` decimals: down for a lower bound, up for an upper bound, so that the printed interval
 * always contains the computed one. "1.004" as a lower bound prints "1.00"; see boundText for the digits added near 1.
 */
export function outward(v: number, digits: number, direction: 'down' | 'up'): string {
  if (!Number.isFinite(v)) return String(v);
  const n = scaled(v, digits);
  // a tolerance far below the printed precision: (1.1 − 1) × 100 is 10.000000000000009, not above 10.0
  const r = direction === 'down' ? Math.floor(n + 1e-9) : Math.ceil(n - 1e-9);
  return (r / 10 ** digits).toFixed(digits);
}

/**
 * An interval bound rounded outward, with as many more decimals as it takes for the printed bound to lie on the same side
 * of `pivot` as the bound itself (at most 6): a lower bound of 1.004 beside "significant" prints "1.004", never "1.00".
 */
export function boundText(v: number, direction: 'down' | 'up', digits = 2, pivot = 1): string {
  for (let d = digits; d <= 6; d++) {
    const t = outward(v, d, direction);
    const printed = Number(t);
    if (Math.sign(printed - pivot) === Math.sign(v - pivot)) return t;
  }
  return outward(v, 6, direction);
}

/**
 * A confidence interval of a ratio, rounded outward: "3.13–3.34". An interval that excludes 1 never prints a bound of
 * 1.00 (digits are added instead), so the interval a verdict rests on never reads as touching 1.
 */
export function ciText(ci: readonly [number, number] | null): string {
  return ci ? `${boundText(ci[0], 'down')}–${boundText(ci[1], 'up')}` : '–';
}

/**
 * An interval of a ratio as signed changes, rounded outward at 0.1 %: [0.953, 1.128] → "−4.8% to +12.9%". An interval
 * that excludes 1 never prints "+0.0%" or "−0.0%" as a bound: decimals are added instead.
 */
export function ciPctText(ci: readonly [number, number] | null): string {
  if (!ci) return '–';
  const pctBound = (r: number, direction: 'down' | 'up') => {
    const t = boundText((r - 1) * 100, direction, 1, 0);
    return t.startsWith('-') ? `−${t.slice(1)}%` : `+${t}%`;
  };
  return `${pctBound(ci[0], 'down')} to ${pctBound(ci[1], 'up')}`;
}

/**
 * A p-value: "< 0.001" below 0.001; otherwise three decimals, or as many more as it takes for the printed value to lie on
 * the same side of ALPHA (0.05) as the p-value — the side the verdict rests on — and never to read 0.05 unless it is:
 * 0.0499 prints "0.0499", not "0.050" beside "significant".
 */
export function pText(p: number, alpha = ALPHA): string {
  if (!Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  for (let d = 3; d <= 12; d++) {
    const t = decimal(p, d);
    const printed = Number(t);
    if (printed < alpha === p < alpha && (printed !== alpha || p === alpha)) return t;
  }
  return String(p);
}

/** A p-value in a sentence: "p = 0.012", "p < 0.001". */
export function pClause(p: number): string {
  const t = pText(p);
  return t.startsWith('<') ? `p ${t}` : `p = ${t}`;
}

/** A ratio as a signed change: 1.42 → "+42.0%", 0.94 → "−6.0%" (a true minus sign). */
export function signedPct(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${decimal(Math.abs(pct), 1)}%`;
}
