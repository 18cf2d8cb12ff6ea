/**
 * A table as data: the report renders it as markdown, the terminal as aligned columns (terminal.ts). PURE.
 * Cells hold plain text; a cell may carry its own markdown (bold, links) — otherwise the text is escaped.
 */
import { markdownTable } from 'markdown-table';
import { escapeMarkdown } from './format.js';

export type Align = 'l' | 'r';

export interface Column {
  header: string;
  align: Align;
  /**
   * Where the terminal has too little width, columns with the lowest `drop` go first (1 first); columns without it
   * are always shown.
   */
  drop?: number;
}

/** Plain text, or plain text with the markdown to show in the report instead (e.g. `**3.29×**`). */
export type Cell = string | { text: string; md: string };

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

/** A cell of our own formatting (numbers, "< 0.001"): shown as is in markdown too, never escaped. */
export const verbatim = (s: string): Cell => ({ text: s, md: s });

export const cellText = (c: Cell): string => (typeof c === 'string' ? c : c.text);
export const cellMarkdown = (c: Cell): string => (typeof c === 'string' ? escapeMarkdown(c) : c.md);

/** The table as GitHub markdown (aligned source, so report.md also reads well as text). */
export function markdownOf(t: Table, opts: { alignDelimiters?: boolean } = {}): string {
  return markdownTable([t.columns.map((c) => escapeMarkdown(c.header)), ...t.rows.map((r) => r.map(cellMarkdown))], {
    align: t.columns.map((c) => c.align),
    ...(opts.alignDelimiters === false ? { alignDelimiters: false } : {}),
  });
}
