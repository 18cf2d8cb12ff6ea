/**
 * Workflow commands in a step's output, read as actions/runner reads them (src/Runner.Common/ActionCommand.cs,
 * src/Runner.Worker/ActionCommandManager.cs): the output is split into lines at CR, LF and CRLF (StreamReader.ReadLine);
 * a line is a command when, after its leading white space, it is `::name props::data` (TryParseV2) or, failing that, when
 * `##[name props]data` appears ANYWHERE in it (the legacy TryParse); only registered names count. `::stop-commands::T`
 * ignores every command until `::T::`. Test helper, no project code.
 */

/** The commands the runner registers (ActionCommandManager's extensions), plus `echo`, `stop-commands` and the groups. */
const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'internal-set-repo-path',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];

export interface RunnerCommand {
  command: string;
  /** The data, unescaped as the runner does (%25 %0D %0A for `::`, the same for the legacy form). */
  data: string;
  line: string;
}

const unescapeData = (s: string) => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');

/** .NET's TrimStart skips char.IsWhiteSpace; JavaScript's \s plus NEL and U+180E covers it (and a little more). */
const LEAD = /^[\s\u0085\u180e]*/;

function parseV2(line: string, registered: Set<string>): RunnerCommand | undefined {
  const message = line.replace(LEAD, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const name = info.split(' ')[0]!;
  if (!registered.has(name)) return undefined;
  return { command: name, data: unescapeData(message.slice(end + 2)), line };
}

function parseV1(line: string, registered: Set<string>): RunnerCommand | undefined {
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const rb = line.indexOf(']', at);
  if (rb < 0) return undefined;
  const name = line.slice(at + 3, rb).split(' ')[0]!;
  if (!registered.has(name)) return undefined;
  return { command: name, data: unescapeData(line.slice(rb + 1)), line };
}

/** Every command the runner would act on in `output` (stdout or stderr of a step), in order. */
export function runnerCommands(output: string): RunnerCommand[] {
  const registered = new Set(REGISTERED);
  const found: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of output.split(/\r\n|\r|\n/)) {
    const cmd = parseV2(line, registered) ?? parseV1(line, registered);
    if (cmd === undefined) continue;
    if (stopToken !== undefined) {
      if (cmd.command === stopToken) {
        registered.delete(stopToken);
        stopToken = undefined;
      }
      continue;
    }
    found.push(cmd);
    if (cmd.command === 'stop-commands' && cmd.data !== '') {
      stopToken = cmd.data;
      registered.add(stopToken);
    }
  }
  return found;
}
