/**
 * Costs wired into a run's results, recomputed here by hand from REPORT lines and the first-tier prices of the design
 * notes (eu-central-1: x86_64 $0.0000166667 and arm64 $0.0000133334 per GB-s, $0.20 per million requests): statistics[].cost,
 * the run's own cost (warm retries included), the estimate, the `cost` output, merging, reading back, and the report.
 */
import { describe, expect, it } from 'vitest';
import { costOutput } from '../../src/github/outputs.js';
import { parseReportLine } from '../../src/logs/report-parser.js';
import { estimateCostLine, runCostLine, usd } from '../../src/report/cost.js';
import { renderReport } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { readResultsJson, toResultsJson, mergeRuns } from '../../src/results/json.js';
import type { Sample } from '../../src/results/model.js';
import { PRICES } from '../../src/results/prices.js';
import { estimateCost, plannedInvokes } from '../../src/run/cost-estimate.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidResults } from '../helpers/validate-results.js';

const X86 = 0.0000166667;
const ARM = 0.0000133334;
const REQUEST = 0.2 / 1e6;
const AS_OF = PRICES.publicationDate ?? PRICES.retrievedOn;
const FC = 'arn:aws:lambda:eu-central-1:123456789012:function:';

/** A cold sample from a real REPORT line (its Init Duration, Duration, Billed Duration and Memory Size). */
function fromReport(fn: string, line: string, seq: number, extra: Partial<Sample> = {}): Sample {
  const r = parseReportLine(line)!;
  return {
    function: fn,
    memory: r.memorySizeMb,
    sequence: seq,
    attempt: 1,
    requestId: r.requestId,
    kind: r.initDurationMs === undefined ? 'warm' : 'cold',
    init: r.initDurationMs ?? null,
    restore: null,
    duration: r.durationMs,
    billed: r.billedDurationMs,
    maxMemory: r.maxMemoryUsedMb,
    source: 'insights',
    timestamp: '2026-11-02T10:00:00.000Z',
    strategy: 'sequential',
    ...extra,
  };
}
const line = (id: string, mem: number, duration: number, billed: number, init?: number): string =>
  `REPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${mem} MB\tMax Memory Used: 64 MB\t${init === undefined ? '' : `Init Duration: ${init} ms\t`}`;

const byHand = (billed: number, mem: number, gbs: number): number => (billed / 1000) * (mem / 1024) * gbs + REQUEST;
const medianOf = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('statistics[].cost and the run cost', () => {
  // api (x86_64) at 128 and 1024 MB, ten cold starts at 128 MB; arm (arm64) at 512 MB with a warm retry and two errors
  const billed128 = [170, 168, 181, 175, 190, 166, 172, 169, 200, 171];
  const api128 = billed128.map((b, i) => fromReport('api', line(`a-128-${i}`, 128, 3.1, b, b - 4.2), i + 1));
  const api1024 = [80, 84].map((b, i) => fromReport('api', line(`a-1024-${i}`, 1024, 1.5, b, b - 2.1), i + 1));
  const arm = [
    fromReport('arm', line('r-1', 512, 2.2, 112, 109.4), 1),
    fromReport('arm', line('r-2w', 512, 2.0, 2), 2), // warm: retried, billed all the same
    fromReport('arm', line('r-2', 512, 2.4, 118, 115.3), 2, { attempt: 2 }),
    fromReport('arm', line('r-3', 512, 9.9, 10), 3, { kind: 'error', init: null, error: 'Unhandled: Boom' }),
    // a throttled invoke: no request id, never reached the function, not billed
    {
      ...fromReport('arm', line('x', 512, 1, 1), 3, { kind: 'error', attempt: 2 }),
      requestId: '',
      billed: null,
      duration: null,
      init: null,
    },
    // an invoke whose tail held no REPORT: billed, but by how much is unknown
    { ...fromReport('arm', line('r-4', 512, 1, 1), 4, { kind: 'error' }), billed: null, duration: null, init: null },
  ];
  const results = makeResults(
    [
      fnInfo('api', { arn: `${FC}api`, region: 'eu-central-1' }),
      fnInfo('arm', { arn: `${FC}arm`, region: 'eu-central-1', architecture: 'arm64' }),
    ],
    [...api128, ...api1024, ...arm],
  );
  const stat = (fn: string, mem: number) => results.statistics.find((s) => s.function === fn && s.memory === mem)!;

  it('prices each cold start from its own REPORT: median, p90 and a million, at the architecture’s price', () => {
    const costs = billed128.map((b) => byHand(b, 128, X86));
    const sorted = [...costs].sort((a, b) => a - b);
    expect(stat('api', 128).cost).toEqual({
      n: 10,
      medianUsd: expect.closeTo(medianOf(costs), 15),
      p90Usd: expect.closeTo(sorted[8]! + 0.1 * (sorted[9]! - sorted[8]!), 15), // type 7 at n = 10
      usdPerMillion: expect.closeTo((costs.reduce((a, b) => a + b, 0) / costs.length) * 1e6, 9),
      usdPerGbSecond: X86,
      usdPerMillionRequests: 0.2,
    });
    expect(stat('api', 1024).cost).toMatchObject({
      n: 2,
      medianUsd: expect.closeTo(medianOf([80, 84].map((b) => byHand(b, 1024, X86))), 15),
      p90Usd: null,
    });
    expect(stat('arm', 512).cost).toMatchObject({
      n: 2,
      medianUsd: expect.closeTo(medianOf([112, 118].map((b) => byHand(b, 512, ARM))), 15),
    });
    expectValidResults(results);
  });

  it('the run cost: every invoke with a REPORT (warm retries and errors too); one without a REPORT is said, a throttled call is not billed', () => {
    const billedInvokes = [
      ...billed128.map((b) => byHand(b, 128, X86)),
      ...[80, 84].map((b) => byHand(b, 1024, X86)),
      ...[112, 2, 118, 10].map((b) => byHand(b, 512, ARM)),
    ];
    expect(results.cost).toEqual({
      prices: { tier: 'first', currency: 'USD', asOf: AS_OF },
      noPrice: [],
      run: {
        usd: expect.closeTo(
          billedInvokes.reduce((a, b) => a + b, 0),
          15,
        ),
        invokes: 16,
        unpriced: [{ function: 'arm', invokes: 1, reason: 'no REPORT line (billed duration unknown)' }],
      },
    });
    expect(runCostLine(results.cost!)).toMatch(
      new RegExp(
        `^This run cost \\$0\\.0000\\d\\d for 16 billed invokes, warm retries and failures included\\. Not priced: arm \\(1 invoke\\): no REPORT line \\(billed duration unknown\\)\\. First-tier prices of ${AS_OF}\\.$`,
      ),
    );
  });

  it('the `cost` output: the median per function × memory size, 4 significant digits', () => {
    const out = JSON.parse(costOutput(results)) as { function: string; memory: number; usdPerColdStart: number | null }[];
    expect(out).toEqual([
      {
        function: 'api',
        memory: 128,
        architecture: 'x86_64',
        region: 'eu-central-1',
        usdPerColdStart: Number(stat('api', 128).cost!.medianUsd.toPrecision(4)),
      },
      {
        function: 'arm',
        memory: 512,
        architecture: 'arm64',
        region: 'eu-central-1',
        usdPerColdStart: Number(stat('arm', 512).cost!.medianUsd.toPrecision(4)),
      },
      {
        function: 'api',
        memory: 1024,
        architecture: 'x86_64',
        region: 'eu-central-1',
        usdPerColdStart: Number(stat('api', 1024).cost!.medianUsd.toPrecision(4)),
      },
    ]);
  });

  it('the report: a column, the sweep’s lowest init per dollar, the run cost, first-tier prices with the table’s date; the terminal too', () => {
    const md = renderReport(results);
    expect(md).toContain('| Per 1M cold starts |');
    expect(md).toContain('### Cost');
    // 1024 MB: 8× the price per ms, init about half: 128 MB has the smaller init × cost product
    expect(md).toContain('api: 128 MB gives the lowest init per dollar of the 2 sizes measured (median init');
    expect(md).toContain(`\\${usd(stat('api', 128).cost!.medianUsd)} per cold start`); // `$` escaped: no math in GitHub markdown
    expect(md).toContain(`_Lambda on-demand prices of the first usage tier (USD) as of ${AS_OF}`);
    expect(md).toMatch(/This run cost \\\$0\.0000\d\d for 16 billed invokes/);
    const term = renderTerminal(results, { width: 160 });
    expect(term).toContain('Cost (USD)');
    expect(term).toContain('api: 128 MB gives the lowest init per dollar');
    expect(term).toContain(`First-tier prices of ${AS_OF}.`);
  });

  it('reads back from results.json; an invalid cost field is named; a file without costs still reads', () => {
    const back = readResultsJson(toResultsJson(results));
    expect(back.cost).toEqual(results.cost);
    expect(back.statistics.map((s) => s.cost)).toEqual(results.statistics.map((s) => s.cost));
    const bad = JSON.parse(toResultsJson(results)) as { statistics: { cost: { medianUsd: unknown } }[] };
    bad.statistics[0]!.cost.medianUsd = 'cheap';
    expect(() => readResultsJson(JSON.stringify(bad))).toThrow('statistics[0].cost.medianUsd must be a number');
    const old = JSON.parse(toResultsJson(results)) as { cost?: unknown; statistics: Record<string, unknown>[] };
    delete old.cost;
    for (const st of old.statistics) delete st['cost'];
    const read = readResultsJson(JSON.stringify(old));
    expect(read.cost).toBeUndefined();
    expect(renderReport(read)).not.toContain('### Cost');
  });

  it('merged shards: the run costs add up; with a shard written before costs, no cost is made up', () => {
    const merged = mergeRuns([
      { shard: 'a', results },
      {
        shard: 'b',
        results: makeResults(
          [fnInfo('api', { arn: `${FC}api`, region: 'eu-central-1' })],
          api1024.map((s) => ({ ...s, memory: 2048 })),
        ),
      },
    ]);
    expect(merged.cost!.run.invokes).toBe(16 + 2);
    const { cost: _c, ...old } = results;
    expect(
      mergeRuns([
        { shard: 'a', results: old },
        { shard: 'b', results },
      ]).cost,
    ).toBeUndefined();
  });
});

describe('no price: never a guess', () => {
  it('a region the table does not know: no cost, the reason, null in the output, said in the report', () => {
    const r = makeResults(
      [fnInfo('moon', { arn: 'arn:aws:lambda:xx-moon-1:1:function:moon', region: 'xx-moon-1' })],
      coldSamples('moon', 128, [50, 52, 51]),
    );
    expect(r.statistics[0]!.cost).toBeUndefined();
    expect(r.cost!.noPrice).toEqual([
      { function: 'moon', reason: `no price for xx-moon-1 in the bundled price table (first-tier prices of ${AS_OF})` },
    ]);
    expect(r.cost!.run).toEqual({
      usd: 0,
      invokes: 0,
      unpriced: [{ function: 'moon', invokes: 3, reason: expect.stringMatching(/^no price for xx-moon-1/) }],
    });
    expect(JSON.parse(costOutput(r))).toEqual([
      { function: 'moon', memory: 128, architecture: 'x86_64', region: 'xx-moon-1', usdPerColdStart: null },
    ]);
    const md = renderReport(r);
    expect(md).toContain('No cost for moon: no price for xx-moon-1 in the bundled price table');
    expect(md).not.toContain('| Per 1M cold starts |');
  });
});

describe('the estimate before a run', () => {
  const targets = [
    { info: fnInfo('a', { region: 'eu-central-1', originalMemory: 256 }) },
    { info: fnInfo('b', { region: 'eu-central-1', architecture: 'arm64' }) },
  ];

  it('plans every invoke: memory sizes × repetitions, twice for compare; the function’s own memory without a sweep', () => {
    expect(
      plannedInvokes({ memory: [], repetitions: 5, strategy: 'sequential' }, targets, 'us-east-1').map((p) => [
        p.function,
        p.memoryMb,
        p.invokes,
      ]),
    ).toEqual([
      ['a', 256, 5],
      ['b', 128, 5],
    ]);
    expect(plannedInvokes({ memory: [128, 1024], repetitions: 3, strategy: 'compare' }, targets, 'us-east-1')).toHaveLength(4);
    expect(plannedInvokes({ memory: [128], repetitions: 3, strategy: 'compare' }, targets, 'us-east-1')[0]).toMatchObject({
      invokes: 6,
      region: 'eu-central-1',
    });
  });

  it('prices each as a 1000 ms cold start and says so; an unknown region is named, not priced', () => {
    const e = estimateCost({ memory: [1024], repetitions: 10, strategy: 'sequential' }, targets, 'us-east-1');
    expect(e.usd).toBeCloseTo(10 * byHand(1000, 1024, X86) + 10 * byHand(1000, 1024, ARM), 15);
    expect(estimateCostLine(e)).toBe(
      'Estimated cost: about $0.00030 for 20 invokes (each billed as a 1000 ms cold start at first-tier prices; warm retries not counted)',
    );
    const moon = estimateCost(
      { memory: [128], repetitions: 2, strategy: 'sequential' },
      [{ info: fnInfo('m', { region: 'xx-moon-1' }) }],
      'xx-moon-1',
    );
    expect(estimateCostLine(moon)).toMatch(
      /^Estimated cost: unknown; not priced: m \(2 invokes\): no price for xx-moon-1 in the bundled price table/,
    );
  });
});

describe('usd', () => {
  it.each([
    [0.0000020833, '$0.00000208'],
    [0.00031, '$0.000310'],
    [0.4156, '$0.416'],
    [2.005, '$2.01'],
    [0, '$0'],
  ])('%s → %s', (v, text) => {
    expect(usd(v)).toBe(text);
  });
});
