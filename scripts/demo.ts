/**
 * `npm run demo` — a newcomer's first run, no AWS account needed: the bundled action (dist/index.js, then the post
 * step) runs exactly as a GitHub runner would run it, against the local Lambda + CloudWatch Logs emulator with three
 * real-process functions (Node.js, Python 3 and a `provided` custom runtime), memory 128,1024, 5 repetitions. Then a
 * few nightly runs, simulated (demo-history.ts), give the history dashboard a scheduled workflow keeps:
 * coldstart/history.json and coldstart/index.html.
 */
import { join, relative } from 'node:path';
import { EXAMPLE_FUNCTIONS, detectRuntimes, startEmulator } from '../emulator/index.js';
import type { FunctionSpec } from '../emulator/types.js';
import { AWS_TEST_ENV, ROOT, createJob, startStep } from './local-runner.js';
import { readResultsFile } from '../src/results/json.js';
import { DEFAULT_WIDTH, renderTerminal } from '../src/report/terminal.js';
import { nightlyHistory } from './demo-history.js';

/** Simulated nightly runs before the demo's own (the dashboard's history). */
const NIGHTS = 3;
const MEMORY = '128,1024';

const FUNCTIONS: (FunctionSpec & { needs: 'node' | 'python' | 'cc' })[] = [
  { name: 'hello-node', runtime: 'nodejs20.x', needs: 'node', process: { dir: EXAMPLE_FUNCTIONS.node } },
  { name: 'hello-py', runtime: 'python3.11', needs: 'python', process: { dir: EXAMPLE_FUNCTIONS.python } },
  { name: 'hello-provided', runtime: 'provided.al2023', needs: 'cc', process: { dir: EXAMPLE_FUNCTIONS.provided } },
];

/** Workflow commands, as a person reads them in the Actions log. */
function pretty(line: string): string | undefined {
  if (line.startsWith('::endgroup::')) return undefined;
  const group = /^::group::(.*)$/.exec(line);
  if (group) return `▸ ${group[1]}`;
  const command = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
  if (command) return `${command[1]}: ${command[2]}`;
  if (line.startsWith('::')) return undefined;
  return line;
}

async function main(): Promise<void> {
  const available = detectRuntimes();
  const functions = FUNCTIONS.filter((f) => {
    if (available[f.needs]) return true;
    console.log(`notice: ${f.name} left out: ${f.needs === 'cc' ? 'a C compiler (cc)' : f.needs} is not installed on this machine`);
    return false;
  });
  const emulator = await startEmulator({
    latency: { updateMs: 400, invokeOverheadMs: 5, ingestionMs: 800, queryMs: 300 },
    functions: functions.map(({ needs: _needs, ...spec }) => ({ ...spec, memory: 128, environment: { GREETING: 'hello' } })),
  });
  console.log(`Local Lambda + CloudWatch Logs emulator: ${emulator.url}`);
  console.log('Its functions are real processes on this machine: the numbers show the method, not Lambda’s timings.\n');

  try {
    const job = createJob({
      inputs: {
        functions: functions.map((f) => f.name).join(','),
        memory: MEMORY,
        repetitions: '5',
        'artifact-name': '',
        comment: 'false',
      },
      // Not a workflow run: no repository or run id, so the report links no (invented) run.
      env: { AWS_ENDPOINT_URL: emulator.url, GITHUB_WORKSPACE: ROOT, GITHUB_REPOSITORY: '', GITHUB_RUN_ID: '' },
    });
    job.env['GITHUB_WORKSPACE'] = ROOT;
    const started = Date.now();
    const main = startStep(job);
    let buffered = '';
    main.child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const shown = pretty(line);
        if (shown !== undefined) console.log(shown);
      }
    });
    const result = await main.done;
    const post = await startStep(job, 'dist/post/index.js').done;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.code !== 0) {
      console.error(`\nThe action failed (exit ${result.code}).\n${result.stderr}`);
      process.exitCode = 1;
      return;
    }
    // what the terminal should show: the headline and aligned tables (report.md is for GitHub)
    const results = await readResultsFile(result.outputs['json'] ?? '');
    const summary = renderTerminal(results, { width: process.stdout.isTTY ? process.stdout.columns : DEFAULT_WIDTH });
    const rel = (p: string | undefined): string => relative(process.cwd(), p ?? '');
    console.log(`\nDone in ${seconds} s (post step: ${post.stdout.includes('nothing to undo') ? 'nothing left to undo' : 'restored'}).`);
    console.log(`\n${summary}\n`);
    console.log(`  speed.csv    ${rel(result.outputs['csv'])}`);
    console.log(`  results.json ${rel(result.outputs['json'])}`);
    console.log(`  report.md    ${rel(result.outputs['report'])}   (the job summary / PR comment)`);
    console.log(`  boxplot.svg  ${rel(join(ROOT, 'coldstart', 'boxplot.svg'))}`);
    console.log(`\nRe-render it any time: node dist/cli/index.js report ${rel(result.outputs['json'])}`);

    // The nightly runs measure in this process (the engine of `lambda-coldstart measure`): the SDK talks to the emulator
    // with the runner's test credentials (and, on a Node older than supported, without the SDK's warning).
    Object.assign(process.env, { ...AWS_TEST_ENV, AWS_ENDPOINT_URL: emulator.url });
    emulator.control.setLatency({ updateMs: 60 });
    const nightsStarted = Date.now();
    const dash = await nightlyHistory({
      functions: functions.map((f) => f.name),
      memory: MEMORY,
      nights: NIGHTS,
      tonight: results,
      dir: join(ROOT, 'coldstart'),
      region: AWS_TEST_ENV['AWS_REGION'] ?? 'us-east-1',
    });
    const took = ((Date.now() - nightsStarted) / 1000).toFixed(1);
    console.log(
      `\nThe dashboard of a nightly schedule (${NIGHTS} earlier nights simulated in ${took} s, then this run), as a workflow with \`history:\` keeps it:`,
    );
    console.log(`  history.json ${rel(dash.history)}   (${dash.runs} runs)`);
    console.log(`  index.html   ${rel(dash.dashboard)}     (open it in a browser)`);
  } finally {
    await emulator.close();
  }
}

await main();
