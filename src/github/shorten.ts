/**
 * Shortens markdown to a size limit without leaving it broken: cuts at a line boundary, closes an open code
 * fence (a cut mermaid block would not render), and ends with a note. Pure.
 */
export interface ShortenOptions {
  /** The limit, in UTF-8 bytes (job summary: 1 MiB) or UTF-16 characters (PR comment: 65,536). */
  max: number;
  unit: 'bytes' | 'chars';
  /** The note appended when shortened (markdown). */
  note: string;
}

export function shortenMarkdown(markdown: string, opts: ShortenOptions): { text: string; shortened: boolean } {
  const size = (s: string) => (opts.unit === 'bytes' ? Buffer.byteLength(s, 'utf8') : s.length);
  if (size(markdown) <= opts.max) return { text: markdown, shortened: false };
  const note = `\n\n${opts.note}\n`;
  const closeFence = '\n```';
  const budget = opts.max - size(note) - size(closeFence);
  if (budget <= 0) throw new Error(`the limit ${opts.max} leaves no room for the note`);
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = size(line) + 1;
    if (used + cost > budget) break;
    kept.push(line);
    used += cost;
  }
  if (kept.length === 0) {
    // A single gigantic first line: cut it by characters.
    let cut = markdown.slice(0, Math.max(0, budget));
    while (size(cut) > budget) cut = cut.slice(0, -1);
    kept.push(cut);
  }
  let text = kept.join('\n');
  const fences = kept.filter((l) => /^\s*(```|~~~)/.test(l)).length;
  if (fences % 2 === 1) text += closeFence;
  return { text: text + note, shortened: true };
}
