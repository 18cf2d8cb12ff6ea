/**
 * The CLI's command line and terminal output, in process: a TTY of fixed width and a pipe (no width: 100 columns).
 * No AWS here: `measure` is only run up to its usage errors (the e2e tests run it against the emulator).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliCredentialsMessage, profileNames } from '../../src/cli/credentials.js';
import { closest, main } from '../../src/cli/main.js';
import { progressLogger } from '../../src/cli/progress.js';
import { fileLabels } from '../../src/cli/report.js';

const SEED = join(import.meta.dirname, '../fixtures/seed-data');

async function run(args: string[], columns?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l), columns });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const longest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('report in a terminal and in a pipe', () => {
  it('a TTY 72 columns wide: plain aligned tables that fit, the headline, no markdown', async () => {
    const r = await run(['report', join(SEED, 'speed-x86-128.csv')], 72);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(longest(r.stdout)).toBeLessThanOrEqual(72);
    expect(r.stdout).not.toMatch(/\*\*|\\_|\\\[|^\|.*\|$|```/m);
    expect(r.stdout.split('\n\n')[0]!.replace(/\n/g, ' ')).toBe(
      'hello-runtime-al2 cold-starts fastest at 128 MB (median init 50.1 ms). Compared with it, median init is 1.67× (95% CI ' +
        '1.58–1.75) for hello-runtime-go, 2.28× (1.82–2.84) for hello-py311 and 3.29× (3.20–3.38) for hello-node.',
    );
    const table = r.stdout.split('\n\n')[1]!.split('\n');
    expect(table.slice(0, 7)).toEqual([
      '128 MB',
      'Function            n  Init p50 (ms)  Init p90 (ms)  vs fastest',
      '─────────────────  ──  ─────────────  ─────────────  ─────────────────',
      'hello-runtime-al2  10           50.1           52.8  fastest',
      'hello-runtime-go   10           83.4           90.6  1.67× (1.58–1.75)',
      'hello-py311        10          114.1          154.7  2.28× (1.82–2.84)',
      'hello-node         10          164.6          167.9  3.29× (3.20–3.38)',
    ]);
    expect(table.slice(7).join(' ')).toBe('(left out at this width: Billed p50 (ms), Cold p50 (ms), Init min–max (ms))');
  });

  it('a pipe: 100 columns, so more of the table; the study’s three files labelled by file name (same folder)', async () => {
    const files = ['speed-x86-128.csv', 'speed-x86-1024.csv', 'speed-arm-1024.csv'].map((f) => join(SEED, f));
    const r = await run(['report', ...files]);
    expect(r.code).toBe(0);
    expect(longest(r.stdout)).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/^Function +n +Init p50 \(ms\) +Init p90 \(ms\) +vs fastest$/m);
    expect(r.stdout).toContain('hello-node [speed-x86-1024]');
    expect(r.stderr).toMatch(/^Merged 3 runs: speed-x86-128 = .*speed-x86-128\.csv, speed-x86-1024 = /);
  });

  it('--markdown prints report.md itself', async () => {
    const r = await run(['report', join(SEED, 'speed-x86-128.csv'), '--markdown'], 72);
    expect(r.stdout).toMatch(/^## Lambda cold starts\n\n\*\*hello-runtime-al2\*\* cold-starts fastest/);
    expect(r.stdout).toContain('```mermaid');
  });
});

describe('report a/results.json b/results.json', () => {
  it('labels each file by its folder and says that a function measured in both runs is shown per run, not pooled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-cli-'));
    for (const d of ['main', 'pr-12']) {
      mkdirSync(join(dir, d));
      copyFileSync(join(SEED, 'speed-x86-128.csv'), join(dir, d, 'speed.csv'));
    }
    const r = await run(['report', join(dir, 'main', 'speed.csv'), join(dir, 'pr-12', 'speed.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `Merged 2 runs: main = ${join(dir, 'main', 'speed.csv')}, pr-12 = ${join(dir, 'pr-12', 'speed.csv')}. ` +
        'Functions measured in more than one run at the same memory size are shown per run, not pooled: hello-node, hello-py311, hello-runtime-al2, hello-runtime-go.',
    );
    expect(r.stdout).toMatch(/^hello-node \[main\] +10 /m);
    expect(r.stdout).toMatch(/^hello-node \[pr-12\] +10 /m);
  });

  it('fileLabels: folders, else file names, else the paths', () => {
    expect(fileLabels(['a/results.json', 'b/results.json'])).toEqual(['a', 'b']);
    expect(fileLabels(['d/x.csv', 'd/y.json'])).toEqual(['x', 'y']);
    expect(fileLabels(['d/x.csv', 'd/x.csv'])).toEqual(['d/x.csv', 'd/x.csv (2)']);
  });
});

describe('compare in a terminal', () => {
  it('an aligned table (no markdown) that names the baseline file; --markdown keeps the markdown table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-cmp-'));
    const csv = (name: string, mean: number) => {
      const rows = ['Name;Memory;Init;Cold;Billed', ...Array.from({ length: 10 }, (_, i) => `svc;128;${(mean + i).toFixed(2)};2.5;3`)];
      writeFileSync(join(dir, name), rows.join('\n') + '\n');
      return join(dir, name);
    };
    const [base, head] = [csv('base.csv', 100), csv('head.csv', 140)];
    const r = await run(['compare', base, head], 120);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const table = lines.findIndex((l) => l.startsWith('Function'));
    // which kind of comparison, and the allowance it used (wrapped to the width)
    expect(lines.slice(0, table).join(' ')).toBe(
      `Compared with the file ${base}. Against a run from an unknown date; day-to-day allowance ±5 % (default: no history).`,
    );
    expect(lines.slice(table)).toEqual([
      expect.stringMatching(/^Function +Memory \(MB\) +Base init p50 \(ms\) +Head init p50 \(ms\) +Change +95% CI +p +Verdict$/),
      expect.stringMatching(/^─+( +─+){7}$/),
      expect.stringMatching(/^svc +128 +104\.5 +144\.5 +▲ \+38\.3% +\+\d+\.\d% to \+\d+\.\d% +< 0\.001 +slower$/),
    ]);
    // narrower: the interval column goes first, and the table says so
    const narrow = await run(['compare', base, head], 90);
    expect(narrow.stdout.split('\n').slice(-1)).toEqual(['(left out at this width: 95% CI)']);
    expect(longest(narrow.stdout.split('\n').slice(1).join('\n'))).toBeLessThanOrEqual(90);
    const md = await run(['compare', base, head, '--markdown']);
    expect(md.stdout).toMatch(/^\| svc +\| +128 \|.*\| \*\*slower\*\* \|$/m);
    expect(md.stdout.split('\n')[0]).toContain(base); // the markdown names what it compares with, as the terminal does
  });
});

describe('usage errors: exit 2, one line that helps', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('an unknown flag or command gets "did you mean"', async () => {
    const flag = await run(['measure', '--functions', 'x', '--memroy', '128']);
    expect(flag).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: unknown option --memroy; did you mean --memory? (--help lists the options)',
    });
    const cmd = await run(['reprot', 'x.csv']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toBe(
      'error: unknown command "reprot"; did you mean report? (commands: measure, report, compare, dashboard, restore; --help for more)',
    );
    const far = await run(['measure', '--functions', 'x', '--colour']);
    expect(far.stderr).toBe('error: unknown option --colour (--help lists the options)');
    expect(closest('repetition', ['repetitions', 'region'])).toBe('repetitions');
    expect(closest('xyz', ['measure', 'report'])).toBeUndefined();
  });

  it('a repeated flag is an error naming it; list flags (--functions, --memory) add up instead', async () => {
    const twice = await run(['measure', '--functions', 'x', '--repetitions', '3', '--repetitions', '5']);
    expect(twice).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --repetitions was given 2 times (3, 5); give it once (--help lists the options)',
    });
    // both sizes reach the input's parser: each bad one is named (a dropped repeat would name only the last)
    const sizes = await run(['measure', '--functions', 'x', '--memory', '64', '--memory', '20000']);
    expect(sizes.code).toBe(2);
    expect(sizes.stderr.split('\n')).toEqual([
      'error: memory: "64" is not allowed; use a whole number from 128 to 10240 (MB)',
      'error: memory: "20000" is not allowed; use a whole number from 128 to 10240 (MB)',
    ]);
    const names = await run(['measure', '--functions', 'a', '--functions', 'a', '--region', 'us-east-1']);
    expect(names.stderr).toMatch(/^error: functions: "a" is listed twice/);
    expect((await run(['report', 'a.json', '--out', 'x', '--out', 'y'])).stderr).toMatch(/^error: --out was given 2 times \(x, y\)/);
  });

  it('--burst-size without --strategy burst (or compare) is an error naming the value', async () => {
    const r = await run(['measure', '--functions', 'x', '--burst-size', '5', '--region', 'us-east-1']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: burst-size: 5 is set, but strategy is sequential (one invoke per update); set strategy to burst or compare, or leave burst-size empty',
    });
  });

  it('a malformed region, from --region or AWS_REGION, is a usage error naming where it came from', async () => {
    const flag = await run(['measure', '--functions', 'x', '--region', 'eu-west']);
    expect(flag).toEqual({ code: 2, stdout: '', stderr: 'error: --region: "eu-west" is not an AWS region; use a name such as eu-west-1' });
    process.env['AWS_REGION'] = 'Frankfurt';
    const env = await run(['measure', '--functions', 'x']);
    expect(env.code).toBe(2);
    expect(env.stderr).toBe('error: AWS_REGION: "Frankfurt" is not an AWS region; use a name such as eu-west-1');
  });

  it('no region anywhere (flag, environment, profile): names --region and AWS_REGION', async () => {
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    delete process.env['AWS_PROFILE'];
    const dir = mkdtempSync(join(tmpdir(), 'lcs-noregion-'));
    writeFileSync(join(dir, 'config'), '[default]\noutput = json\n');
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
    const r = await run(['measure', '--functions', 'x']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: no AWS region: pass --region REGION, or set AWS_REGION (or a region in the AWS_PROFILE’s config)',
    });
  });
});

describe('per-sample lines', () => {
  const lines = ['cli-node · 128 MB · 1/3 · cold · init 161.2 ms', 'cli-node · 128 MB · 2/3 · cold · init 158.9 ms'];
  const logged = (isTTY: boolean, verbose: boolean): string[] => {
    const out: string[] = [];
    progressLogger({ isTTY, line: (t) => out.push(t) }, verbose).group(
      'cli-node: 3/3 cold samples, 0 warm retries, 0 errors, 4.2 s',
      lines,
    );
    return out;
  };
  it('on a terminal: only the function’s summary line, unless --verbose', () => {
    expect(logged(true, false)).toEqual(['── cli-node: 3/3 cold samples, 0 warm retries, 0 errors, 4.2 s']);
    expect(logged(true, true)[0]!.split('\n')).toHaveLength(3);
  });
  it('elsewhere (CI logs, pipes): every sample line', () => {
    expect(logged(false, false)).toEqual([
      '── cli-node: 3/3 cold samples, 0 warm retries, 0 errors, 4.2 s\n   cli-node · 128 MB · 1/3 · cold · init 161.2 ms\n   cli-node · 128 MB · 2/3 · cold · init 158.9 ms',
    ]);
  });
});

describe('credentials in a terminal: the AWS CLI’s words, the profile named, no GitHub Actions advice', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('a profile that does not exist is named, with the command that creates it and the profiles that exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-profile-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[sso-session corp]\n');
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIDEXAMPLE\n');
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[k];
    Object.assign(process.env, {
      AWS_PROFILE: 'nope',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const r = await run(['measure', '--functions', 'x', '--region', 'us-east-1']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: the AWS profile "nope" (AWS_PROFILE) is in neither ~/.aws/config nor ~/.aws/credentials: create it with ' +
        '`aws configure --profile nope`, or set AWS_PROFILE to one that exists (ci, default, dev)',
    });
  });

  it('no credentials, expired ones, and a profile without credentials each get their own advice', () => {
    const none = { reason: 'none' as const, detail: 'Could not load credentials from any providers' };
    expect(cliCredentialsMessage(none, undefined, new Set())).toBe(
      'no AWS credentials found (Could not load credentials from any providers): configure them with `aws configure` ' +
        '(or `aws configure --profile NAME` and AWS_PROFILE=NAME), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(cliCredentialsMessage(none, 'dev', new Set(['dev']))).toMatch(
      /^no AWS credentials from the AWS profile "dev" \(AWS_PROFILE\) .*aws sts get-caller-identity --profile dev/,
    );
    const expired = { reason: 'rejected' as const, detail: 'ExpiredTokenException: The security token included in the request is expired' };
    expect(cliCredentialsMessage(expired, 'dev', new Set(['dev']))).toBe(
      'AWS rejected the credentials from the AWS profile "dev" (AWS_PROFILE) (ExpiredTokenException: The security token included in the request is expired): ' +
        'they are expired or invalid — refresh them (`aws sso login --profile dev` for an SSO profile, or new access keys) and run again',
    );
    for (const m of [cliCredentialsMessage(none, undefined, new Set()), cliCredentialsMessage(expired, undefined, new Set())]) {
      expect(m).not.toMatch(/configure-aws-credentials|role-duration-seconds|workflow/);
    }
    expect(profileNames('[default]\n[profile a b]\n[ profile  c ]\n[sso-session s]\nx = [y]\n', 'config')).toEqual(['default', 'a b', 'c']);
  });
});
