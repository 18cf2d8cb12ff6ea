import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, type InputName } from '../../src/config/inputs.js';
import { ConfigError } from '../../src/core/errors.js';
import { loadConfig, parseConfig } from '../../src/config/parse.js';
import { parseFunctionId, splitList } from '../../src/config/values.js';

function inputs(overrides: Partial<Record<InputName, string>>): (name: InputName) => string {
  return (name) => overrides[name] ?? INPUT_DEFAULTS[name];
}

describe('splitList', () => {
  it('splits on commas and newlines and drops blanks', () => {
    expect(splitList(' a, b\nc\r\n\n,d ,')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitList('')).toEqual([]);
  });
});

describe('parseConfig: valid inputs', () => {
  it('applies the action.yml defaults', () => {
    const { config, problems } = parseConfig(inputs({ functions: 'hello-node' }));
    expect(problems).toEqual([]);
    expect(config).toEqual({
      functions: ['hello-node'],
      baselineFunctions: [],
      memory: [],
      repetitions: 10,
      payload: '{}',
      reportSource: 'insights',
      strategy: 'sequential',
      burstSize: null,
      concurrency: 4,
      apiRate: 10,
      updateTimeoutSec: 300,
      queryTimeoutSec: 120,
      outputDir: 'coldstart',
      artifactName: 'lambda-coldstart',
      comment: true,
      commentTag: 'default',
      githubToken: '',
      awsRegion: '',
      restore: true,
      baseline: '',
      failOnRegression: null,
      mode: 'measure',
      mergePattern: 'lambda-coldstart-*',
      history: '',
      historyPath: '',
      historyLimit: 500,
      alert: '',
    });
  });

  it.each([
    ['memory', '128,1024\n2048', { memory: [128, 1024, 2048] }],
    ['memory', '10240', { memory: [10240] }],
    ['repetitions', '1', { repetitions: 1 }],
    ['repetitions', '1000', { repetitions: 1000 }],
    ['payload', '{"a":[1,2]}', { payload: '{"a":[1,2]}' }],
    ['payload', '"text"', { payload: '"text"' }],
    ['report-source', 'tail', { reportSource: 'tail' }],
    ['strategy', 'burst', { strategy: 'burst' }],
    ['strategy', 'compare', { strategy: 'compare' }],
    ['concurrency', '50', { concurrency: 50 }],
    ['api-rate', '15', { apiRate: 15 }],
    ['update-timeout', '1', { updateTimeoutSec: 1 }],
    ['query-timeout', '3600', { queryTimeoutSec: 3600 }],
    ['comment', 'False', { comment: false }],
    ['restore', 'FALSE', { restore: false }],
    ['comment', 'TRUE', { comment: true }],
    ['fail-on-regression', '15%', { failOnRegression: 0.15 }],
    ['fail-on-regression', ' 2.5 % ', { failOnRegression: 0.025 }],
    ['mode', 'merge', { mode: 'merge' }],
    ['aws-region', ' eu-west-1 ', { awsRegion: 'eu-west-1' }],
  ] as const)('%s = %j', (name, value, expected) => {
    const { config, problems } = parseConfig(inputs({ functions: 'f', [name]: value }));
    expect(problems).toEqual([]);
    expect(config).toMatchObject(expected);
  });

  it.each([
    ['my-function_1', 'my-function_1'],
    ['123456789012:function:my-fn', '123456789012:function:my-fn'],
    ['arn:aws:lambda:eu-central-1:123456789012:function:my-fn', 'arn:aws:lambda:eu-central-1:123456789012:function:my-fn'],
    ['arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f', 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f'],
    ['my-fn:$LATEST', 'my-fn'],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:my-fn'],
  ])('accepts the function id %s', (raw, id) => {
    const parsed = parseFunctionId(raw);
    expect(parsed).toMatchObject({ id });
  });

  it('accepts an empty function list in merge mode', () => {
    const { config } = parseConfig(inputs({ mode: 'merge' }));
    expect(config?.functions).toEqual([]);
    expect(config?.mergePattern).toBe('lambda-coldstart-*');
  });
});

describe('parseConfig: invalid inputs name the value and what is allowed', () => {
  it.each([
    ['memory', '64', /memory: "64" is not allowed; use a whole number from 128 to 10240 \(MB\)/],
    ['memory', '10241', /"10241".*128 to 10240/],
    ['memory', '512.5', /"512\.5".*whole number/],
    ['memory', 'big', /"big".*128 to 10240/],
    ['memory', '128,128', /memory: "128" is listed twice/],
    ['repetitions', '0', /repetitions: "0".*1 to 1000/],
    ['repetitions', '1001', /repetitions: "1001".*1 to 1000/],
    ['repetitions', 'ten', /repetitions: "ten"/],
    ['payload', '{bad', /payload: "\{bad" is not valid JSON/],
    ['report-source', 'xray', /report-source: "xray".*"insights", "tail"/],
    ['strategy', 'parallel', /strategy: "parallel".*"sequential", "burst", "compare"/],
    ['burst-size', '51', /burst-size: "51".*1 to 50/],
    ['concurrency', '0', /concurrency: "0".*1 to 50/],
    ['concurrency', '51', /concurrency: "51"/],
    ['api-rate', '16', /api-rate: "16" is not allowed; use a whole number from 1 to 15 \(calls per second; the account's quota is 15\/s\)/],
    ['update-timeout', '-5', /update-timeout: "-5".*at least 1 \(seconds\)/],
    ['query-timeout', '1.5', /query-timeout: "1\.5"/],
    ['comment', 'yes', /comment: "yes" is not a boolean; use true or false/],
    ['restore', 'on', /restore: "on" is not a boolean/],
    ['fail-on-regression', 'lots', /fail-on-regression: "lots"/],
    ['fail-on-regression', '0%', /fail-on-regression: "0%"/],
    ['fail-on-regression', '5', /fail-on-regression: "5" is not allowed; use a percentage above 0 with its % sign/],
    ['mode', 'sum', /mode: "sum".*"measure", "merge"/],
    ['artifact-name', 'a/b', /artifact-name: "a\/b"/],
    ['comment-tag', 'x-->y', /comment-tag: "x-->y"/],
  ] as const)('%s = %j', (name, value, message) => {
    const { config, problems } = parseConfig(inputs({ functions: 'f', [name]: value }));
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['', /functions: no function given/],
    ['my fn', /functions: "my fn" is not a valid function name/],
    ['a'.repeat(65), /is not a valid function name/],
    ['my-fn:3', /functions: "my-fn:3" names the qualifier "3"; only the unpublished \$LATEST can be reconfigured.*"my-fn"/],
    ['my-fn:prod', /qualifier "prod"/],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-fn:7', /qualifier "7"/],
    ['arn:aws:s3:::bucket', /is not a valid function name/],
    ['a,b,a', /functions: "a" is listed twice/],
    ['my-fn,arn:aws:lambda:us-east-1:123456789012:function:my-fn', /listed twice \(also as "my-fn"\)/],
  ])('functions = %j', (value, message) => {
    const { problems } = parseConfig(inputs({ functions: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('baseline-functions pairs each function with its base, in order', () => {
    const { config, problems } = parseConfig(inputs({ functions: 'pr-a,pr-b', 'baseline-functions': 'main-a\nmain-b' }));
    expect(problems).toEqual([]);
    expect(config?.baselineFunctions).toEqual(['main-a', 'main-b']);
  });

  it.each([
    [
      'lists of different lengths, naming both',
      { functions: 'pr-a,pr-b,pr-c', 'baseline-functions': 'main-a,main-b' },
      'baseline-functions: 2 function(s) (main-a, main-b) for 3 in functions (pr-a, pr-b, pr-c); give one base function for each entry of functions, in the same order',
    ],
    [
      'a function paired with itself (a name and its ARN are one function)',
      { functions: 'pr-a,pr-b', 'baseline-functions': 'main-a,arn:aws:lambda:us-east-1:123456789012:function:pr-b' },
      'baseline-functions: "arn:aws:lambda:us-east-1:123456789012:function:pr-b" is paired with itself (entry 2 of functions is "pr-b"); give the function of the other deployment, e.g. the main branch\'s stack',
    ],
    [
      'a base that is also a head: a function in two pairs',
      { functions: 'pr-a,pr-b', 'baseline-functions': 'pr-b,main-b' },
      'baseline-functions: "pr-b" (the base of "pr-a") is also in functions (entry 2); a function can be in one pair only',
    ],
    [
      'a base listed twice: in two pairs',
      { functions: 'pr-a,pr-b', 'baseline-functions': 'main-a,main-a' },
      'baseline-functions: "main-a" is listed twice (also as "main-a"); list each function once',
    ],
  ])('baseline-functions: %s → one error', (_, given, message) => {
    const { config, problems } = parseConfig(inputs(given));
    expect(config).toBeUndefined();
    expect(problems).toEqual([message]);
  });

  it('reports every problem together', () => {
    const { problems } = parseConfig(inputs({ functions: 'ok,bad name', memory: '64,20000', repetitions: '0', payload: '{' }));
    expect(problems).toHaveLength(5);
  });

  it('loadConfig throws a ConfigError carrying the problems', () => {
    expect(() => loadConfig(inputs({ functions: 'f', memory: '64' }))).toThrow(ConfigError);
    try {
      loadConfig(inputs({ functions: 'f', memory: '64' }));
    } catch (e) {
      expect((e as ConfigError).problems).toEqual(['memory: "64" is not allowed; use a whole number from 128 to 10240 (MB)']);
    }
  });
});

describe('parseConfig: rules between inputs', () => {
  it('burst-size applies to the burst and compare strategies; with sequential it is an error naming the value', () => {
    for (const strategy of ['burst', 'compare']) {
      expect(parseConfig(inputs({ functions: 'f', strategy, 'burst-size': '50' })).config).toMatchObject({ burstSize: 50, strategy });
    }
    expect(parseConfig(inputs({ functions: 'f', 'burst-size': '5' })).problems).toEqual([
      'burst-size: 5 is set, but strategy is sequential (one invoke per update); set strategy to burst or compare, or leave burst-size empty',
    ]);
    expect(parseConfig(inputs({ functions: 'f', 'burst-size': '' })).problems).toEqual([]);
  });
});
