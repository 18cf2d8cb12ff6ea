/** Formatting shared by the report's renderers. PURE. */

/**
 * Escape text for GitHub markdown AND HTML: markdown punctuation is backslash-escaped (including `|`, so tables
 * hold), `< > & "` become entities (no HTML injection), `@` becomes `&#64;` (no mentions), line breaks become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/@/g, '&#64;');
}

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

/** A confidence interval: "3.13–3.34". */
export function ciText(ci: readonly [number, number] | null): string {
  return ci ? `${decimal(ci[0], 2)}–${decimal(ci[1], 2)}` : '–';
}

/** A p-value: three decimals, "< 0.001" below that. */
export function pText(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : decimal(p, 3);
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
