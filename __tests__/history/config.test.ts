import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, type InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';

const parse = (inputs: Partial<Record<InputName, string>>) =>
  parseConfig((name) => inputs[name] ?? (name === 'functions' ? 'fn' : INPUT_DEFAULTS[name]));

describe('history inputs', () => {
  it('default: no history, the branch root, 500 runs, no alert', () => {
    expect(parse({}).config).toMatchObject({ history: '', historyPath: '', historyLimit: 500, alert: '' });
  });

  it('takes a branch, a folder (normalised) and a limit', () => {
    expect(
      parse({ history: 'lambda-coldstart-history', 'history-path': './svc/a/', 'history-limit': '30', alert: 'issue' }).config,
    ).toMatchObject({
      history: 'lambda-coldstart-history',
      historyPath: 'svc/a',
      historyLimit: 30,
      alert: 'issue',
    });
  });

  it('refuses what cannot work, naming the value and what is allowed', () => {
    expect(parse({ history: 'bad branch', 'history-path': '../up', 'history-limit': '0', alert: 'email' }).problems).toEqual([
      'history: "bad branch" is not a valid branch name; use letters, digits, - _ . and /, such as "lambda-coldstart-history" (empty = no history)',
      'history-path: "../up" is not allowed; use a relative folder inside the history branch without ".." (default "." = its root)',
      'history-limit: "0" is not allowed; use a whole number from 1 to 10000 (runs)',
      'alert: "email" is not allowed; use one of "issue"',
    ]);
    expect(parse({ history: 'x.lock' }).problems).toHaveLength(1);
    expect(parse({ alert: 'issue' }).problems).toEqual([
      'alert: "issue" needs a `history` branch (drift is judged against the history); set `history`, or leave `alert` empty',
    ]);
    expect(parse({ 'history-path': '/abs' }).problems).toHaveLength(1);
  });
});
