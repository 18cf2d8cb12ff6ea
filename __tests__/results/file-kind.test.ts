/**
 * A file given to the wrong command is named for what it is: the project's own files (README.md, examples/report.md,
 * boxplot.svg, a results.json, a history.json, the dashboard, speed.csv) through the real readers and commands.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { toHistoryJson } from '../../src/history/json.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { toSpeedCsv } from '../../src/results/csv.js';
import { detectFileKind } from '../../src/results/file-kind.js';
import { readResultsFile, toResultsJson } from '../../src/results/json.js';
import { generatedHistory } from '../helpers/history-fixtures.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const repo = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('every file of ours is recognised by its content', () => {
  const results = makeResults([fnInfo('f')], coldSamples('f', 128, [10, 11, 12]));
  const history = generatedHistory(3);
  it.each([
    ['README.md', repo('README.md'), 'markdown'],
    ['examples/report.md', repo('examples/report.md'), 'markdown'],
    ['examples/boxplot.svg', repo('examples/boxplot.svg'), 'svg'],
    ['index.html', renderDashboard(history), 'html'],
    ['results.json', toResultsJson(results), 'results.json'],
    ['history.json', toHistoryJson(history), 'history.json'],
    ['speed.csv', toSpeedCsv(results), 'speed.csv'],
    ['the study’s file', repo('__tests__/fixtures/seed-data/speed-x86-128.csv'), 'speed.csv'],
    ['package.json', repo('package.json'), 'json'],
    ['a secrets file', 'DB_PASSWORD="x"\n', 'text'],
    ['nothing', '\uFEFF \n', 'empty'],
  ])('%s', (_, text, kind) => {
    expect(detectFileKind(text)).toBe(kind);
  });
});

describe('report / compare / baseline read a run’s results: other files are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lcs-kinds-'));
  const put = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it.each([
    [
      'report.md',
      repo('examples/report.md'),
      'report.md is a markdown file (such as report.md), not the results of a run: give a results.json or speed.csv (the run wrote them beside it)',
    ],
    [
      'history.json',
      toHistoryJson(generatedHistory(2)),
      'history.json is a history.json (the history of many runs), not the results of a run: give a results.json or speed.csv (the dashboard command draws a history)',
    ],
    [
      'boxplot.svg',
      repo('examples/boxplot.svg'),
      'boxplot.svg is an SVG image (such as boxplot.svg), not the results of a run: give a results.json or speed.csv (the run wrote them beside it)',
    ],
    ['empty.csv', '', 'empty.csv is empty: give the results.json or speed.csv of a run'],
    [
      'notes.txt',
      'a "quoted" line, and more\nline 2\n',
      'notes.txt: not a results file: its first line is no speed.csv header (no "Name" column); expected Name;Memory;Init;Cold;Billed;MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp',
    ],
  ])('%s', async (name, text, message) => {
    await expect(readResultsFile(put(name, text))).rejects.toThrow(message);
  });

  it('a missing file, a folder: said in words, as the path was given', async () => {
    await expect(readResultsFile(join(dir, 'nope', 'results.json'))).rejects.toThrow(`no such file: ${join(dir, 'nope', 'results.json')}`);
    await expect(readResultsFile(dir)).rejects.toThrow(`cannot read ${dir}: a folder, not a regular file`);
  });

  it('the commands: report of a markdown file, compare of a history, dashboard of a results.json — exit 2, one line', async () => {
    const results = put('results.json', toResultsJson(makeResults([fnInfo('f')], coldSamples('f', 128, [10, 11, 12]))));
    const md = put('README.md', repo('README.md'));
    const runs: [string[], string][] = [
      [
        ['report', md],
        'error: README.md is a markdown file (such as report.md), not the results of a run: give a results.json or speed.csv (the run wrote them beside it)',
      ],
      [
        ['dashboard', results],
        `error: ${results} is a results.json (the results of one run); dashboard needs a history.json, the file the action keeps in its history branch (input history)`,
      ],
      [['report', 'nope/results.json'], 'error: no such file: nope/results.json'],
    ];
    for (const [args, line] of runs) {
      const errors: string[] = [];
      expect(await main(args, { log: () => undefined, error: (l) => errors.push(l) })).toBe(2);
      expect(errors).toEqual([line]);
    }
  });
});
