/**
 * Causes beside effects: what ran (runtime version from INIT_START, package and layers from GetFunction) and what
 * differs between a baseline and this run, in words — in the report's "What ran" table and under the baseline table.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/markdown.js';
import { whatRanTable } from '../../src/report/causes.js';
import { bytesText, causesOf, changeText, diffCauses, diffRuns, type Causes } from '../../src/results/causes.js';
import { compareRuns } from '../../src/results/compare.js';
import type { FunctionInfo, Sample } from '../../src/results/model.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const ARN_41 = 'arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9';
const ARN_42 = 'arn:aws:lambda:eu-west-1::runtime:65146f0fbf5cb9d34934e5b4ab5f3cab46f46064159f046fd14cb06e649a6f60';
const LAYER = 'arn:aws:lambda:eu-west-1:123456789012:layer:deps:3';
const MB = 1024 * 1024;

const base: Causes = {
  function: 'api',
  runtime: 'python3.12',
  architecture: 'x86_64',
  runtimeVersions: ['python:3.12.v41'],
  runtimeVersionArn: ARN_41,
  codeSize: 3.1 * MB,
  layers: [{ arn: LAYER, codeSize: MB }],
  layersSize: MB,
};

describe('diffCauses', () => {
  it('names a runtime version change by INIT_START’s names, and a package growth as "+1.8 MB package"', () => {
    const head: Causes = { ...base, runtimeVersions: ['python:3.12.v42'], runtimeVersionArn: ARN_42, codeSize: 4.9 * MB };
    const changes = diffCauses(base, head);
    expect(changes.map(changeText)).toEqual(['runtime version python:3.12.v41 → python:3.12.v42', '+1.8 MB package (3.1 MB → 4.9 MB)']);
  });

  it('falls back to the ARNs (shortened) when a run read no INIT_START; equal versions are no change', () => {
    const tailOnly: Causes = { ...base, runtimeVersions: [], runtimeVersionArn: ARN_42 };
    expect(diffCauses(base, tailOnly).map(changeText)).toEqual(['runtime version runtime:0cdcfbde… → runtime:65146f0f…']);
    expect(diffCauses(base, { ...base, runtimeVersions: [], runtimeVersionArn: ARN_41 })).toEqual([]);
  });

  it('a version patched during the run names every new one; a rebuild’s few bytes are no change', () => {
    expect(diffCauses(base, { ...base, runtimeVersions: ['python:3.12.v41', 'python:3.12.v42'] }).map(changeText)).toEqual([
      'runtime version python:3.12.v41 → python:3.12.v42',
    ]);
    expect(diffCauses(base, { ...base, codeSize: base.codeSize! + 2048 })).toEqual([]);
    expect(diffCauses(base, { ...base, codeSize: base.codeSize! - 0.5 * MB }).map(changeText)).toEqual([
      '−512.0 KB package (3.1 MB → 2.6 MB)',
    ]);
  });

  it('layers: a new layer version is named with its size change; runtime and architecture too; what a run does not know is no change', () => {
    const head: Causes = {
      ...base,
      architecture: 'arm64',
      layers: [{ arn: LAYER.replace(':3', ':4'), codeSize: 1.4 * MB }],
      layersSize: 1.4 * MB,
    };
    expect(diffCauses(base, head).map(changeText)).toEqual([
      'architecture x86_64 → arm64',
      'layers +409.6 KB (1.0 MB → 1.4 MB; +deps:4, −deps:3)',
    ]);
    expect(diffCauses(base, { function: 'api', runtimeVersions: [] })).toEqual([]);
  });

  it('bytes as people read them', () => {
    expect([bytesText(312), bytesText(48.2 * 1024), bytesText(5.26 * MB)]).toEqual(['312 B', '48.2 KB', '5.3 MB']);
  });
});

describe('causes of a run, in the report', () => {
  const info = (extra: Partial<FunctionInfo> = {}) =>
    fnInfo('api', {
      runtime: 'python3.12',
      codeSize: 3.1 * MB,
      layers: [{ arn: LAYER, codeSize: MB }],
      runtimeVersionArn: ARN_41,
      ...extra,
    });
  const samples = (version: string, inits: number[]): Sample[] =>
    coldSamples('api', 128, inits).map((s) => ({
      ...s,
      runtimeVersion: version,
      runtimeVersionArn: version.endsWith('41') ? ARN_41 : ARN_42,
    }));

  it('What ran: the runtime version its samples saw, package and layers', () => {
    const r = makeResults(
      [info(), fnInfo('old')],
      [...samples('python:3.12.v41', [120, 125, 130]), ...coldSamples('old', 128, [50, 51, 52])],
    );
    expect(causesOf(r)[0]).toMatchObject({ runtimeVersions: ['python:3.12.v41'], runtimeVersionArn: ARN_41, layersSize: MB });
    expect(whatRanTable(r)!.rows).toEqual([
      ['api', 'python3.12', 'python:3.12.v41', 'x86_64', '3.1 MB', '1 (1.0 MB)'],
      ['old', 'nodejs20.x', '', 'x86_64', '', ''],
    ]);
    expect(renderReport(r)).toContain('### What ran');
    // results from before: nothing of it known, no section
    expect(renderReport(makeResults([fnInfo('old')], coldSamples('old', 128, [50, 51, 52])))).not.toContain('### What ran');
  });

  it('a baseline comparison lists what else changed, escaped', () => {
    const before = makeResults([info()], samples('python:3.12.v41', [120, 125, 130, 122, 128, 126]));
    const after = makeResults([info({ codeSize: 4.9 * MB })], samples('python:3.12.v42', [150, 155, 160, 152, 158, 156]));
    const diffs = diffRuns(before, after);
    expect(diffs).toEqual([
      {
        function: 'api',
        changes: [
          { kind: 'runtime-version', from: 'python:3.12.v41', to: 'python:3.12.v42' },
          { kind: 'package-size', fromBytes: 3.1 * MB, toBytes: 4.9 * MB },
        ],
      },
    ]);
    const md = renderReport(after, { baseline: compareRuns(before, after), baselineCauses: diffs });
    expect(md).toContain(
      'What else changed since the baseline:\n- api: runtime version python:3.12.v41 → python:3.12.v42; +1.8 MB package (3.1 MB → 4.9 MB)',
    );
    expect(renderReport(after, { baseline: compareRuns(after, after), baselineCauses: diffRuns(after, after) })).not.toContain(
      'What else changed',
    );
  });
});
