/**
 * Glob matching for artifact names (pure): `*` any run of characters, `?` one character, `[abc]` / `[!abc]`
 * a class, `{a,b}` alternatives, `\x` a literal x. Whole-name, case-sensitive (like download-artifact's
 * minimatch for names, which hold no `/`).
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      re += escape(pattern[++i] ?? '');
    } else if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else {
      re += escape(c);
    }
  }
  re += ')'.repeat(braces);
  return new RegExp(`^${re}$`);
}

export function globMatch(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
