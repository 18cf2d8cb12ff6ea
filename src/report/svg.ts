/** What the SVG and HTML the report writes share: escaping of text from outside, and numbers as coordinates. PURE. */

/** Text (a function name, a label) safe inside an element or a quoted attribute of SVG or HTML. */
export { escapeXml } from '../core/escape.js';

/** A coordinate with at most one decimal: short files, stable output. */
export function coord(v: number): string {
  return String(Math.round(v * 10) / 10);
}
