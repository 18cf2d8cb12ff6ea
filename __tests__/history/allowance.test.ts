import { describe, expect, it } from 'vitest';
import { historyAllowance } from '../../src/history/allowance.js';
import { entry, row } from '../helpers/history-fixtures.js';

describe("historyAllowance: a series' day-to-day allowance from its own history", () => {
  // api at 256 MB: 10 sequential runs, 5 burst runs; `new`: 8 runs
  const history = [100, 108, 95, 103, 99, 110, 92, 101, 104, 97].map((p, i) =>
    entry(i, [
      row('api', 256, p),
      ...(i >= 5 ? [row('api', 256, p * 0.5, { strategy: 'burst' })] : []),
      ...(i < 8 ? [row('new', 128, 50)] : []),
    ]),
  );

  it("uses the spread of the series' last runs (its strategy apart), and nothing below 3 runs", () => {
    const of = historyAllowance(history);
    expect(of({ function: 'api', memory: 256, strategy: 'sequential' })).toMatchObject({ source: 'history', runs: 10 });
    expect(of({ function: 'api', memory: 256, strategy: 'burst' })).toMatchObject({ source: 'history', runs: 5 });
    expect(of({ function: 'new', memory: 128, strategy: 'sequential' })).toMatchObject({ source: 'history', runs: 8 });
    expect(of({ function: 'api', memory: 512, strategy: 'sequential' })).toBeUndefined();
    expect(historyAllowance(history.slice(0, 2))({ function: 'api', memory: 256, strategy: 'sequential' })).toBeUndefined();
  });
});
