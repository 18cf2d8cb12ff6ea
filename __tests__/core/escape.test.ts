/** The escapes of text from outside, one per target (src/core/escape.ts). */
import { describe, expect, it } from 'vitest';
import {
  commandFree,
  escapeMarkdown,
  escapeXml,
  logText,
  markdownCode,
  markdownLink,
  mermaidLabel,
  oneLine,
  safeUrl,
  stripControls,
} from '../../src/core/escape.js';
import { runnerCommands } from '../helpers/workflow-commands.js';

/** What a function's error, an undo record or a file can hold, each one a workflow command if printed raw. */
const SMUGGLED: [string, string][] = [
  ['a line break, then ::error::', 'Unhandled: Boom\n::error title=CI::all tests failed'],
  ['a carriage return (the runner splits there too)', 'run-1\r::add-mask::ghp_token'],
  ['CRLF and leading spaces', 'x\r\n    ::set-output name=fastest::evil'],
  ['stop-commands: ours would be ignored after it', 'r\n::stop-commands::pwn\n'],
  ['a tab before ::', 'x\n\t::warning::fake'],
  ['NEL (white space to .NET, a line break nowhere)', 'x\n\u0085::error::nel'],
  ['U+2028 first (white space to .NET and JavaScript alike)', 'x\n\u2028::error::ls'],
  ['a BOM and a no-break space first', '\ufeff\u00a0::notice::bom'],
  ['the legacy ##[ anywhere in a line', 'name ##[add-mask]s3cret'],
  ['the legacy form after a line break', 'a\n##[set-env name=NODE_OPTIONS;]--require=/tmp/x'],
  ['::echo::on', '\n::echo::on'],
  ['at the very start', '::error::first'],
];

describe('logText: nothing from outside becomes a workflow command', () => {
  it.each(SMUGGLED)('%s', (_what, text) => {
    expect(runnerCommands(text).length, 'the raw text IS a command (the parser is no rubber stamp)').toBeGreaterThan(0);
    const safe = logText(text);
    expect(runnerCommands(safe)).toEqual([]);
    // shown, not dropped: the text reads the same without the zero-width separators and controls
    expect(safe.replace(/\u200b/g, '')).toBe(stripControls(text.replace(/\r\n|[\r\u2028]/g, '\n')));
  });

  it('leaves our own messages exactly as they are, lines and all', () => {
    const own = 'api-node: restored to 256 MB (was 2048 MB)\n- preflight: 2 problems\nlink: https://github.com/o/r/actions/runs/1#a::b';
    expect(logText(own)).toBe(own);
  });

  it('Azure Pipelines: ##vso[ anywhere is split too, in any case', () => {
    expect(logText('x ##vso[task.setvariable variable=a]b ##VSO[x]')).not.toMatch(/##vso\[/i);
  });

  it('commandFree splits only the markers: "::" at the start (after white space), "##[" anywhere', () => {
    expect(commandFree('  ::error::x')).toBe('  :\u200b:error::x');
    expect(commandFree('a ::error::x')).toBe('a ::error::x');
    expect(commandFree('a ##[error]b ##[x')).toBe('a #\u200b#[error]b #\u200b#[x');
  });

  it('removes terminal control sequences whole: colours, cursor moves, titles, hyperlinks, C1 forms, bidi overrides', () => {
    expect(logText('\u001b[31mred\u001b[0m \u001b[2K\u001b[1Aup')).toBe('red up');
    expect(logText('\u001b]0;pwned title\u0007name')).toBe('name');
    expect(logText('\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\')).toBe('click');
    expect(logText('\u009b31mx\u009d0;t\u009cy')).toBe('xy');
    expect(logText('abc\u202edcba\u2066')).toBe('abcdcba');
    expect(logText('nul\u0000bell\u0007del\u007f')).toBe('nulbelldel');
    expect(logText('tab\tkept')).toBe('tab\tkept');
  });
});

describe('markdown', () => {
  it('escapeMarkdown keeps text on one line and out of markup: links, HTML, mentions, tables, controls', () => {
    expect(escapeMarkdown('a\n\n# heading\r\n| x')).toBe('a # heading \\| x');
    expect(escapeMarkdown('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeMarkdown('<img src=x onerror="a()">@team')).toBe('&lt;img src=x onerror=&quot;a()&quot;&gt;&#64;team');
    expect(escapeMarkdown('\u001b[31mred\u0000')).toBe('red');
  });

  it('markdownCode: one line, no backtick to close it, never empty', () => {
    expect(markdownCode('base/results.json')).toBe('`base/results.json`');
    expect(markdownCode('a`b\n\n# c')).toBe("`a'b # c`");
    expect(markdownCode('')).toBe('` `');
  });

  it('markdownLink links http(s) only; anything else is the text alone', () => {
    expect(markdownLink('run', 'https://github.com/o/r/actions/runs/1')).toBe('[run](https://github.com/o/r/actions/runs/1)');
    expect(markdownLink('run', 'javascript:alert(1)')).toBe('run');
    expect(markdownLink('run', 'data:text/html,<script>alert(1)</script>')).toBe('run');
    expect(markdownLink('run', undefined)).toBe('run');
    // a ")" would end the destination and start markdown of the URL's choosing
    expect(markdownLink('run', 'https://x.example/a)[b](javascript:alert(1)')).toBe(
      '[run](https://x.example/a%29[b]%28javascript:alert%281%29)',
    );
    expect(markdownLink('run', 'https://x.example/a b<c>"d"')).toBe('[run](https://x.example/a%20b%3Cc%3E%22d%22)');
  });
});

describe('safeUrl: absolute http(s) URLs only', () => {
  it.each([
    ['https://github.com/o/r/actions/runs/1', 'https://github.com/o/r/actions/runs/1'],
    ['HTTP://Example.com/a?b=c#d', 'http://example.com/a?b=c#d'],
    ['  https://github.com/o/r  ', 'https://github.com/o/r'],
    ['javascript:alert(1)', undefined],
    ['JavaScript:alert(1)', undefined],
    [' javascript:alert(1)', undefined],
    ['java\tscript:alert(1)', undefined],
    ['\u0001javascript:alert(1)', undefined],
    ['data:text/html;base64,PHNjcmlwdD4=', undefined],
    ['vbscript:msgbox(1)', undefined],
    ['file:///etc/passwd', undefined],
    ['//evil.example/x', undefined],
    ['/o/r/actions/runs/1', undefined],
    ['https:evil.example', undefined],
    ['https://user:pass@evil.example/', undefined],
    ['https://', undefined],
    ['', undefined],
  ])('%j → %j', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it('takes only strings', () => {
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
    expect(safeUrl(42 as unknown as string)).toBeUndefined();
  });
});

describe('mermaidLabel', () => {
  it('breaks a %%{…}%% directive (mermaid reads it anywhere in a diagram), and keeps the label on one line', () => {
    const label = mermaidLabel('%%{init: {"theme":"forest"}}%%', 100);
    expect(label).not.toMatch(/%%|[{}"]/);
    expect(label).toBe("% %(init: ('theme':'forest'))% %");
    expect(mermaidLabel('a\r\nb\tc')).toBe('a b c');
    expect(mermaidLabel('`x` <b>#quot;')).toBe("'x' ‹b› quot");
  });

  it('cuts long labels with an ellipsis', () => {
    expect(mermaidLabel('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('escapeXml', () => {
  it('escapes what would end a text node or either kind of quoted attribute, and drops controls XML forbids', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>\u0000\u001b[1m`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

it('oneLine folds each run of line breaks and tabs into one space', () => {
  expect(oneLine('a\r\n\r\nb\t\tc\u2029d')).toBe('a b c d');
});
