/** What the dashboard page embeds from history.json (a branch anyone with push rights can edit). */
import { describe, expect, it } from 'vitest';
import { pageHistory, renderDashboard } from '../../src/report/dashboard.js';
import type { History } from '../../src/history/model.js';
import { entry, row } from '../helpers/history-fixtures.js';

describe('pageHistory', () => {
  const h: History = {
    schemaVersion: 1,
    name: '<b>x</b>',
    repository: 'https://github.com/o/r/',
    entries: [
      entry(0, [row('a', 128, 10)], { runUrl: 'https://github.com/o/r/actions/runs/1' }),
      entry(1, [row('a', 128, 11)], { runUrl: 'javascript:alert(1)', commit: '../../evil' }),
      entry(2, [row('a', 128, 12)], { runUrl: 'data:text/html,x' }),
    ],
  };

  it('keeps http(s) links and hex commits, drops the rest; names and numbers are untouched', () => {
    const p = pageHistory(h);
    expect(p.repository).toBe('https://github.com/o/r');
    expect(p.entries.map((e) => e.runUrl)).toEqual(['https://github.com/o/r/actions/runs/1', undefined, undefined]);
    expect(p.entries.map((e) => e.commit)).toEqual([h.entries[0]!.commit, '', h.entries[2]!.commit]);
    expect(p.name).toBe('<b>x</b>');
    expect(p.entries.map((e) => e.rows)).toEqual(h.entries.map((e) => e.rows));
    expect('runUrl' in p.entries[1]!).toBe(false);
  });

  it('a repository that is not http(s) leaves the page without a repository link', () => {
    const page = renderDashboard({ ...h, repository: 'javascript:alert(1)' });
    expect(page).not.toContain('javascript:');
    expect(page).not.toMatch(/<a href=/);
    expect(page).toContain('<title>Cold starts · &lt;b&gt;x&lt;/b&gt;</title>');
  });
});
