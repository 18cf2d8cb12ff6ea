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

/** Milliseconds with one decimal; '–' when there is no value. */
export function ms(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1);
}

/** A ratio of medians: "3.29×". */
export function ratioText(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

/** A confidence interval: "3.13–3.34". */
export function ciText(ci: readonly [number, number] | null): string {
  return ci ? `${ci[0].toFixed(2)}–${ci[1].toFixed(2)}` : '–';
}

/** A p-value: three decimals, "< 0.001" below that. */
export function pText(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A ratio as a signed change: 1.42 → "+42.0%", 0.94 → "−6.0%" (a true minus sign). */
export function signedPct(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}
