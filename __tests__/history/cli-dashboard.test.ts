/** `lambda-coldstart dashboard history.json --out DIR` (in-process main(); the e2e suite runs the bundle the same way). */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { toHistoryJson } from '../../src/history/json.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { generatedHistory } from '../helpers/history-fixtures.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) }, lines, errors };
}

describe('lambda-coldstart dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lcs-cli-dashboard-'));
  const file = join(dir, 'history.json');
  const history = generatedHistory(5);
  writeFileSync(file, toHistoryJson(history));

  it('writes the same index.html the action writes, into --out', async () => {
    const c = capture();
    const out = join(dir, 'site');
    expect(await main(['dashboard', file, '--out', out], c.out)).toBe(EXIT.ok);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(renderDashboard(history));
    expect(c.lines).toEqual([`dashboard: ${join(out, 'index.html')} (5 run(s))`]);
  });

  it('without --out, beside history.json', async () => {
    expect(await main(['dashboard', file], capture().out)).toBe(EXIT.ok);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
  });

  it('bad input is a usage error (exit 2) in one line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion":9}');
    for (const [args, message] of [
      [['dashboard'], 'error: dashboard needs exactly one history.json file'],
      [['dashboard', join(dir, 'nope.json')], `error: no such file: ${join(dir, 'nope.json')}`],
      [['dashboard', dir], `error: cannot read ${dir}: a folder, not a regular file`],
      [
        ['dashboard', bad],
        `error: ${bad}: not a history.json: schemaVersion is not 1 (got a number; written by another version of lambda-coldstart?)`,
      ],
    ] as const) {
      const c = capture();
      expect(await main([...args], c.out)).toBe(EXIT.usage);
      expect(c.errors).toEqual([message]);
    }
  });
});
