/**
 * Causes in the history: each entry records what a function ran on; the runs where its runtime version, package or
 * layers changed are marked on the dashboard and named in the drift issue. Older entries (without these fields) still read.
 */
import { describe, expect, it } from 'vitest';
import { entryFromResults } from '../../src/history/build.js';
import { parseHistory, toHistoryJson } from '../../src/history/json.js';
import { causeMarkers, markerText, recentChanges } from '../../src/history/markers.js';
import type { History, HistoryEntry } from '../../src/history/model.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { renderDriftIssue } from '../../src/report/trend.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { expectValidHistory } from '../helpers/validate-history.js';

const MB = 1024 * 1024;
const ARN = (h: string) => `arn:aws:lambda:eu-central-1::runtime:${h.repeat(64 / h.length)}`;

/** Night `i` of api-node (and py, unchanged) with these causes. */
function night(i: number, api: Partial<HistoryEntry['functions'][string]>): HistoryEntry {
  const e = entry(i, [row('api-node', 128, 100 + i), row('py', 128, 80)]);
  return {
    ...e,
    functions: {
      'api-node': { runtime: 'nodejs20.x', architecture: 'x86_64', ...api },
      py: { runtime: 'python3.12', architecture: 'x86_64', runtimeVersion: 'python:3.12.v20', codeSize: MB },
    },
  };
}

describe('history entries record what ran', () => {
  it('entryFromResults: the run’s last runtime version (name and ARN), package and layers size; schema-valid', () => {
    const info = fnInfo('api-node', {
      codeSize: 2 * MB,
      layers: [{ arn: 'arn:aws:lambda:eu-west-1:1:layer:x:1', codeSize: MB / 2 }],
      runtimeVersionArn: ARN('aa'),
    });
    const samples = coldSamples('api-node', 128, [100, 101, 102]).map((s, i) => ({
      ...s,
      runtimeVersion: i < 2 ? 'nodejs:20.v41' : 'nodejs:20.v42',
      runtimeVersionArn: i < 2 ? ARN('aa') : ARN('bb'),
    }));
    const e = entryFromResults(makeResults([info], samples), { commit: 'c', branch: 'main', event: 'schedule' });
    expect(e.functions['api-node']).toEqual({
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      runtimeVersion: 'nodejs:20.v42',
      runtimeVersionArn: ARN('bb'),
      codeSize: 2 * MB,
      layersSize: MB / 2,
    });
    const h: History = { schemaVersion: 1, name: 'n', entries: [e] };
    expectValidHistory(h);
    expect(parseHistory(toHistoryJson(h))).toEqual(h);
  });
});

describe('causeMarkers', () => {
  const entries = [
    night(0, {}), // an entry from before: knows nothing, marks nothing
    night(1, { runtimeVersion: 'nodejs:20.v41', runtimeVersionArn: ARN('aa'), codeSize: 3.1 * MB }),
    night(2, { runtimeVersionArn: ARN('aa'), codeSize: 3.1 * MB }), // a tail-only run: the ARN alone, same version
    night(3, { runtimeVersion: 'nodejs:20.v42', runtimeVersionArn: ARN('bb'), codeSize: 3.1 * MB }),
    night(4, { runtimeVersion: 'nodejs:20.v42', runtimeVersionArn: ARN('bb'), codeSize: 4.9 * MB }),
  ];

  it('marks the run where the runtime version changed, and the one where the package grew; nothing else', () => {
    const markers = causeMarkers(entries);
    expect(markers.map((m) => [m.function, m.index, markerText(m)])).toEqual([
      ['api-node', 3, 'runtime version nodejs:20.v41 → nodejs:20.v42'],
      ['api-node', 4, '+1.8 MB package (3.1 MB → 4.9 MB)'],
    ]);
  });

  it('the drift issue names them with their day, within the runs compared only', () => {
    const current = entries.at(-1)!;
    expect(recentChanges(entries.slice(0, -1), current, 'api-node', 10)).toEqual([
      'the runtime version changed on 10-04 (nodejs:20.v41 → nodejs:20.v42)',
      'the package grew by 1.8 MB on 10-05 (3.1 MB → 4.9 MB)',
    ]);
    // a window of one earlier run: the version changed before it, only the package change is within
    expect(recentChanges(entries.slice(0, -1), current, 'api-node', 1)).toEqual(['the package grew by 1.8 MB on 10-05 (3.1 MB → 4.9 MB)']);
    expect(recentChanges(entries.slice(0, -1), current, 'py', 10)).toEqual([]);
    const body = renderDriftIssue('bench', [], {
      threshold: 0.1,
      causes: [{ function: 'api-node', changes: recentChanges(entries.slice(0, -1), current, 'api-node', 10) }],
    });
    expect(body).toContain(
      'Changed besides the code in the runs compared:\n- api-node: the runtime version changed on 10-04 (nodejs:20.v41 → nodejs:20.v42); the package grew by 1.8 MB on 10-05 (3.1 MB → 4.9 MB)',
    );
  });

  it('the dashboard carries the markers for the series; a history without any carries an empty list', () => {
    const html = renderDashboard({ schemaVersion: 1, name: 'bench', entries });
    const json = /<script type="application\/json" id="history-markers">(.*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual([
      { function: 'api-node', index: 3, text: 'runtime version nodejs:20.v41 → nodejs:20.v42' },
      { function: 'api-node', index: 4, text: '+1.8 MB package (3.1 MB → 4.9 MB)' },
    ]);
    expect(renderDashboard({ schemaVersion: 1, name: 'b', entries: [night(0, {})] })).toContain(
      '<script type="application/json" id="history-markers">[]</script>',
    );
  });
});
