import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SUMMARY_BYTES, SUMMARY_SHORTENED_NOTE, writeSummary } from '../../src/github/summary.js';
import { shortenMarkdown } from '../../src/github/shorten.js';
import { recordingLog, tempDir } from './helpers.js';

afterEach(() => {
  delete process.env['GITHUB_STEP_SUMMARY'];
});

// core.summary caches the file path on first use: one file for the whole test file, emptied per test.
const file = join(tempDir(), 'step_summary');
function summaryFile(): string {
  writeFileSync(file, '');
  process.env['GITHUB_STEP_SUMMARY'] = file;
  return file;
}

describe('writeSummary', () => {
  it('appends the markdown to $GITHUB_STEP_SUMMARY', async () => {
    const file = summaryFile();
    await writeSummary('# Cold starts\n\n| a | b |\n|---|---|\n| 1 | 2 |', recordingLog());
    expect(readFileSync(file, 'utf8')).toBe('# Cold starts\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    await writeSummary('second', recordingLog());
    expect(readFileSync(file, 'utf8')).toMatch(/\| 1 \| 2 \|\nsecond\n$/);
  });

  it('keeps the summary under 1 MiB, cut at a line, with the note and a closed code fence', async () => {
    const file = summaryFile();
    const line = `| fn | ${'9'.repeat(90)} |`;
    const markdown = ['# Report', '```mermaid', ...Array.from({ length: 20_000 }, () => line), '```', 'tail'].join('\n');
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(MAX_SUMMARY_BYTES);
    const log = recordingLog();
    await writeSummary(markdown, log);
    const written = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(written)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(Buffer.byteLength(written)).toBeGreaterThan(MAX_SUMMARY_BYTES - 1000);
    expect(written).toContain(SUMMARY_SHORTENED_NOTE);
    expect(
      written.split('\n').filter((l) => l === line || l.startsWith('# ') || l.startsWith('```') || l === '' || l.startsWith('>')),
    ).toHaveLength(written.split('\n').length);
    expect(written.match(/^```/gm)).toHaveLength(2);
    expect(log.lines.some((l) => l.message.includes('shortened'))).toBe(true);
  });

  it('does not throw where there is no job summary', async () => {
    const log = recordingLog();
    await expect(writeSummary('x', log)).resolves.toBeUndefined();
    expect(log.lines.some((l) => l.message.startsWith('No job summary written'))).toBe(true);
  });
});

describe('shortenMarkdown', () => {
  it('leaves text within the limit alone', () => {
    expect(shortenMarkdown('abc\ndef', { max: 7, unit: 'chars', note: 'n' })).toEqual({ text: 'abc\ndef', shortened: false });
  });
  it('counts UTF-8 bytes or characters as asked', () => {
    const text = 'é'.repeat(10); // 10 chars, 20 bytes
    expect(shortenMarkdown(text, { max: 10, unit: 'chars', note: 'n' }).shortened).toBe(false);
    const cut = shortenMarkdown(text, { max: 15, unit: 'bytes', note: 'n' });
    expect(cut.shortened).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(15);
    expect(cut.text.endsWith('\n\nn\n')).toBe(true);
  });
  it('fits a comment limit by characters', () => {
    const md = Array.from({ length: 2000 }, (_, i) => `| row ${i} | ${'x'.repeat(40)} |`).join('\n');
    const { text, shortened } = shortenMarkdown(md, { max: 65_536, unit: 'chars', note: '_shortened_' });
    expect(shortened).toBe(true);
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toMatch(/\| row \d+ \| x+ \|\n\n_shortened_\n$/);
  });
});
