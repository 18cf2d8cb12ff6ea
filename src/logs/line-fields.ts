/**
 * What every Lambda platform line parser needs: the `Key: value` fields of a text line (tab- or space-separated, old
 * lines with a space before the tab, a trailing tab) and the `record` of a JSON platform event
 * (`{"time":…,"type":"platform.…","record":{…}}`). PURE.
 */

const keyPatterns = new WeakMap<readonly string[], RegExp>();

/** Every key and its value in `body`. `keys` longest first, so `Billed Duration` never reads as `Duration`. */
export function textFields(body: string, keys: readonly string[]): Map<string, string> {
  let re = keyPatterns.get(keys);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(${keys.map(escapeRegExp).join('|')}):`, 'g');
    keyPatterns.set(keys, re);
  }
  const fields = new Map<string, string>();
  const matches = [...body.matchAll(re)];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const valueStart = (m.index ?? 0) + m[0].length;
    const next = matches[i + 1];
    const valueEnd = next ? (next.index ?? body.length) : body.length;
    if (!fields.has(m[1]!)) fields.set(m[1]!, body.slice(valueStart, valueEnd).trim());
  }
  return fields;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The number a value starts with (`166.76 ms` → 166.76); undefined for none. */
export function leadingNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)/.exec(v.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

/** The first word of a value (`timeout` of `timeout\t`, the id of `abc Version: $LATEST`). */
export function firstWord(v: string | undefined): string | undefined {
  const w = v?.trim().split(/\s/)[0];
  return w ? w : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `record` of a JSON platform event of this `type` on this line, or undefined (other types, broken JSON, text). */
export function platformRecord(line: string, type: string): Record<string, unknown> | undefined {
  const brace = line.indexOf('{');
  if (brace < 0 || !line.includes(type)) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(line.slice(brace).trim());
  } catch {
    return undefined;
  }
  if (!isRecord(obj) || obj['type'] !== type || !isRecord(obj['record'])) return undefined;
  return obj['record'];
}

/** A non-empty string field of a record, else undefined. */
export function stringField(rec: Record<string, unknown>, key: string): string | undefined {
  const v = rec[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A finite number field of a record, else undefined. */
export function numberField(rec: Record<string, unknown>, key: string): number | undefined {
  const v = rec[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
