/**
 * A small, strict subset of the CloudWatch Logs Insights query language.
 * Pure: no I/O. Anything outside the subset throws QuerySyntaxError (→ MalformedQueryException), never a silent wrong answer.
 *
 * Supported: stages separated by `|`:
 *   fields f[, f as alias ...]   display f[, ...]   filter <bool>   sort f [asc|desc][, ...]   limit n
 *   parse f "glob * pattern" as a, b      parse f /regex with (?<named>groups)/
 * Boolean expressions: and, or, not, parentheses; comparisons =, !=, <, <=, >, >=, =~ /re/, like "substring", like /re/,
 * not like, in [..], not in [..], ispresent(f).
 */

export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

type Tok =
  | { k: 'id'; v: string; pos: number }
  | { k: 'str'; v: string; pos: number }
  | { k: 'num'; v: number; pos: number }
  | { k: 're'; v: RegExp; pos: number }
  | { k: 'op'; v: string; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const e = src[i + 1] as string;
          s += e === 't' ? '\t' : e === 'n' ? '\n' : e;
          i += 2;
        } else {
          s += src[i];
          i++;
        }
      }
      if (i >= src.length) throw new QuerySyntaxError(`unterminated string at ${start}`);
      i++;
      out.push({ k: 'str', v: s, pos: start });
      continue;
    }
    if (c === '/') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src.slice(i, i + 2);
          i += 2;
        } else {
          s += src[i];
          i++;
        }
      }
      if (i >= src.length) throw new QuerySyntaxError(`unterminated regular expression at ${start}`);
      i++;
      let flags = '';
      while (i < src.length && /[a-z]/.test(src[i] as string)) flags += src[i++];
      if (!/^i?$/.test(flags)) throw new QuerySyntaxError(`unsupported regular expression flags "${flags}"`);
      try {
        out.push({ k: 're', v: new RegExp(s, flags), pos: start });
      } catch {
        throw new QuerySyntaxError(`invalid regular expression /${s}/`);
      }
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new QuerySyntaxError(`unterminated field name at ${start}`);
      out.push({ k: 'id', v: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      out.push({ k: 'num', v: Number(text), pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_@]/.test(c)) {
      const m = /^[A-Za-z_@][A-Za-z0-9_.@$-]*/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      out.push({ k: 'id', v: text, pos: start });
      i += text.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '=~') {
      out.push({ k: 'op', v: two, pos: start });
      i += 2;
      continue;
    }
    if ('|,()[]=<>'.includes(c)) {
      out.push({ k: 'op', v: c, pos: start });
      i++;
      continue;
    }
    throw new QuerySyntaxError(`unexpected character "${c}" at ${start}`);
  }
  return out;
}

export type Value = string | number;
export type Row = Map<string, Value>;

type Expr =
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'not'; e: Expr }
  | { t: 'cmp'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Value }
  | { t: 'like'; field: string; pattern: string | RegExp }
  | { t: 'in'; field: string; values: Value[] }
  | { t: 'present'; field: string };

type Stage =
  | { t: 'fields'; items: { field: string; alias: string }[]; display: boolean }
  | { t: 'filter'; e: Expr }
  | { t: 'sort'; keys: { field: string; desc: boolean }[] }
  | { t: 'limit'; n: number }
  | { t: 'parse'; field: string; re: RegExp; names: string[] };

export interface ParsedQuery {
  stages: Stage[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in', 'as', 'asc', 'desc']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new QuerySyntaxError('unexpected end of query');
    return t;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.k === 'op' && t.v === v;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t?.k === 'id' && t.v.toLowerCase() === v;
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.k !== 'op' || t.v !== v) throw new QuerySyntaxError(`expected "${v}" at ${t.pos}`);
  }
  private field(): string {
    const t = this.next();
    if (t.k !== 'id' || KEYWORDS.has(t.v.toLowerCase())) throw new QuerySyntaxError(`expected a field name at ${t.pos}`);
    return t.v;
  }
  private stageEnd(): boolean {
    return this.peek() === undefined || this.isOp('|');
  }

  parse(): ParsedQuery {
    const stages: Stage[] = [];
    if (this.toks.length === 0) throw new QuerySyntaxError('empty query');
    for (;;) {
      stages.push(this.stage());
      if (this.peek() === undefined) break;
      this.expectOp('|');
    }
    return { stages };
  }

  private stage(): Stage {
    const t = this.next();
    if (t.k !== 'id') throw new QuerySyntaxError(`expected a command at ${t.pos}`);
    const cmd = t.v.toLowerCase();
    let st: Stage;
    switch (cmd) {
      case 'fields':
      case 'display': {
        const items: { field: string; alias: string }[] = [];
        do {
          const f = this.field();
          if (this.isOp('(')) throw new QuerySyntaxError(`functions in ${cmd} are not supported`);
          let alias = f;
          if (this.isKw('as')) {
            this.next();
            alias = this.field();
          }
          items.push({ field: f, alias });
        } while (this.isOp(',') && this.next());
        st = { t: 'fields', items, display: cmd === 'display' };
        break;
      }
      case 'filter':
        st = { t: 'filter', e: this.orExpr() };
        break;
      case 'sort': {
        const keys: { field: string; desc: boolean }[] = [];
        do {
          const f = this.field();
          let desc = false;
          if (this.isKw('asc')) this.next();
          else if (this.isKw('desc')) {
            this.next();
            desc = true;
          }
          keys.push({ field: f, desc });
        } while (this.isOp(',') && this.next());
        st = { t: 'sort', keys };
        break;
      }
      case 'limit': {
        const n = this.next();
        if (n.k !== 'num' || !Number.isInteger(n.v) || n.v < 1 || n.v > 10000)
          throw new QuerySyntaxError(`limit must be an integer between 1 and 10000 at ${n.pos}`);
        st = { t: 'limit', n: n.v };
        break;
      }
      case 'parse': {
        const f = this.field();
        const p = this.next();
        if (p.k === 'str') {
          if (!this.isKw('as')) throw new QuerySyntaxError('parse with a glob pattern needs "as"');
          this.next();
          const names: string[] = [];
          do names.push(this.field());
          while (this.isOp(',') && this.next());
          const parts = p.v.split('*');
          if (parts.length - 1 !== names.length)
            throw new QuerySyntaxError(`parse pattern has ${parts.length - 1} wildcards but ${names.length} names`);
          st = { t: 'parse', field: f, re: globRegex(parts), names };
        } else if (p.k === 're') {
          const names = [...p.v.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string);
          if (names.length === 0) throw new QuerySyntaxError('parse with a regular expression needs named groups');
          if (this.isKw('as')) throw new QuerySyntaxError('parse with a regular expression takes no "as"');
          st = { t: 'parse', field: f, re: p.v, names };
        } else throw new QuerySyntaxError(`parse needs a pattern at ${p.pos}`);
        break;
      }
      default:
        throw new QuerySyntaxError(`unsupported command "${t.v}" at ${t.pos}`);
    }
    if (!this.stageEnd()) throw new QuerySyntaxError(`unexpected token at ${this.peek()?.pos ?? -1}`);
    return st;
  }

  private orExpr(): Expr {
    let a = this.andExpr();
    while (this.isKw('or')) {
      this.next();
      a = { t: 'or', a, b: this.andExpr() };
    }
    return a;
  }
  private andExpr(): Expr {
    let a = this.notExpr();
    while (this.isKw('and')) {
      this.next();
      a = { t: 'and', a, b: this.notExpr() };
    }
    return a;
  }
  private notExpr(): Expr {
    if (this.isKw('not')) {
      this.next();
      return { t: 'not', e: this.notExpr() };
    }
    return this.primary();
  }
  private literal(): Value {
    const t = this.next();
    if (t.k === 'str' || t.k === 'num') return t.v;
    throw new QuerySyntaxError(`expected a literal at ${t.pos}`);
  }
  private primary(): Expr {
    if (this.isOp('(')) {
      this.next();
      const e = this.orExpr();
      this.expectOp(')');
      return e;
    }
    const t = this.peek();
    if (t?.k === 'id' && t.v.toLowerCase() === 'ispresent') {
      this.next();
      this.expectOp('(');
      const f = this.field();
      this.expectOp(')');
      return { t: 'present', field: f };
    }
    const field = this.field();
    if (this.isOp('(')) throw new QuerySyntaxError(`unsupported function "${field}"`);
    let negate = false;
    if (this.isKw('not')) {
      this.next();
      negate = true;
      if (!this.isKw('like') && !this.isKw('in')) throw new QuerySyntaxError('expected "like" or "in" after "not"');
    }
    let e: Expr;
    const op = this.next();
    if (op.k === 'id' && op.v.toLowerCase() === 'like') {
      const p = this.next();
      if (p.k === 'str' || p.k === 're') e = { t: 'like', field, pattern: p.v };
      else throw new QuerySyntaxError(`like needs a string or /regex/ at ${p.pos}`);
    } else if (op.k === 'id' && op.v.toLowerCase() === 'in') {
      this.expectOp('[');
      const values: Value[] = [];
      if (!this.isOp(']')) {
        do values.push(this.literal());
        while (this.isOp(',') && this.next());
      }
      this.expectOp(']');
      e = { t: 'in', field, values };
    } else if (op.k === 'op' && op.v === '=~') {
      const p = this.next();
      if (p.k !== 're') throw new QuerySyntaxError(`=~ needs a /regex/ at ${p.pos}`);
      e = { t: 'like', field, pattern: p.v };
    } else if (op.k === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      e = { t: 'cmp', field, op: op.v as '=', value: this.literal() };
    } else throw new QuerySyntaxError(`unsupported operator at ${op.pos}`);
    return negate ? { t: 'not', e } : e;
  }
}

function globRegex(parts: string[]): RegExp {
  const esc = parts.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let src = '';
  esc.forEach((p, idx) => {
    src += p;
    if (idx < esc.length - 1) src += idx === esc.length - 2 && parts[parts.length - 1] === '' ? '(.*)' : '(.*?)';
  });
  return new RegExp(src);
}

export function parseQuery(query: string): ParsedQuery {
  return new Parser(tokenize(query)).parse();
}

function num(v: Value | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && !(typeof v === 'string' && v.trim() === '') ? n : undefined;
}

function evalExpr(e: Expr, row: Row): boolean {
  switch (e.t) {
    case 'and':
      return evalExpr(e.a, row) && evalExpr(e.b, row);
    case 'or':
      return evalExpr(e.a, row) || evalExpr(e.b, row);
    case 'not':
      return !evalExpr(e.e, row);
    case 'present':
      return row.has(e.field);
    case 'like': {
      const v = row.get(e.field);
      if (v === undefined) return false;
      const s = String(v);
      return typeof e.pattern === 'string' ? s.includes(e.pattern) : e.pattern.test(s);
    }
    case 'in':
      return e.values.some((lit) => equals(row.get(e.field), lit));
    case 'cmp': {
      const v = row.get(e.field);
      if (v === undefined) return false;
      if (e.op === '=') return equals(v, e.value);
      if (e.op === '!=') return !equals(v, e.value);
      const a = num(v);
      const b = num(e.value);
      if (a === undefined || b === undefined) {
        const sa = String(v);
        const sb = String(e.value);
        return e.op === '<' ? sa < sb : e.op === '<=' ? sa <= sb : e.op === '>' ? sa > sb : sa >= sb;
      }
      return e.op === '<' ? a < b : e.op === '<=' ? a <= b : e.op === '>' ? a > b : a >= b;
    }
  }
}

function equals(v: Value | undefined, lit: Value): boolean {
  if (v === undefined) return false;
  if (typeof lit === 'number') return num(v) === lit;
  return String(v) === lit;
}

function compare(a: Value | undefined, b: Value | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * Runs a parsed query over rows (each row: field → value; must contain @timestamp as epoch ms and @ptr).
 * Returns the output rows as ordered field/value lists (values rendered as strings; @timestamp as Insights prints it).
 */
export function runQuery(q: ParsedQuery, input: Row[], defaultLimit = 10000): { field: string; value: string }[][] {
  let rows = input.map((r) => new Map(r));
  const shown: string[] = [];
  let display: string[] | undefined;
  let sorted = false;
  let limit = defaultLimit;
  for (const st of q.stages) {
    switch (st.t) {
      case 'fields':
        for (const it of st.items) {
          if (it.alias !== it.field)
            for (const r of rows) {
              const v = r.get(it.field);
              if (v !== undefined) r.set(it.alias, v);
            }
          if (st.display) (display ??= []).push(it.alias);
          else if (!shown.includes(it.alias)) shown.push(it.alias);
        }
        break;
      case 'filter':
        rows = rows.filter((r) => evalExpr(st.e, r));
        break;
      case 'parse':
        for (const r of rows) {
          const v = r.get(st.field);
          if (v === undefined) continue;
          const m = st.re.exec(String(v));
          if (!m) continue;
          st.names.forEach((name, idx) => {
            const val = m.groups?.[name] ?? m[idx + 1];
            if (val !== undefined) r.set(name, val);
          });
        }
        for (const n of st.names) if (!shown.includes(n)) shown.push(n);
        break;
      case 'sort':
        rows.sort((a, b) => {
          for (const k of st.keys) {
            const c = compare(a.get(k.field), b.get(k.field));
            if (c !== 0) return k.desc ? -c : c;
          }
          return 0;
        });
        sorted = true;
        break;
      case 'limit':
        rows = rows.slice(0, st.n);
        limit = Math.min(limit, st.n);
        break;
    }
  }
  if (!sorted) rows.sort((a, b) => compare(b.get('@timestamp'), a.get('@timestamp')));
  rows = rows.slice(0, limit);
  const cols = display ?? (shown.length ? shown : ['@timestamp', '@message']);
  return rows.map((r) => {
    const out: { field: string; value: string }[] = [];
    for (const c of cols) {
      const v = r.get(c);
      if (v === undefined) continue;
      out.push({ field: c, value: c === '@timestamp' && typeof v === 'number' ? formatTimestamp(v) : String(v) });
    }
    out.push({ field: '@ptr', value: String(r.get('@ptr') ?? '') });
    return out;
  });
}

/** Insights prints @timestamp as `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The fields Insights discovers for one Lambda log event: @type/@requestId for text START/END/REPORT lines and the
 * REPORT metrics (@memorySize and @maxMemoryUsed in bytes, MB × 1,000,000). JSON events get their keys flattened
 * (`type`, `record.requestId`, `record.metrics.initDurationMs`) and none of the @-fields.
 */
export function discoverFields(message: string): Map<string, Value> {
  const f = new Map<string, Value>();
  const trimmed = message.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const obj: unknown = JSON.parse(trimmed);
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) flatten(obj as Record<string, unknown>, '', f);
    } catch {
      /* not JSON */
    }
    return f;
  }
  const m = /^(START|END|REPORT) RequestId: ([0-9a-f-]+)/.exec(message);
  if (!m) return f;
  f.set('@type', m[1] as string);
  f.set('@requestId', m[2] as string);
  if (m[1] !== 'REPORT') return f;
  const grab = (label: string): number | undefined => {
    const r = new RegExp(`${label}: ([0-9.]+) (ms|MB)`).exec(message);
    return r ? Number(r[1]) : undefined;
  };
  const set = (k: string, v: number | undefined): void => {
    if (v !== undefined) f.set(k, v);
  };
  set('@duration', grab('\\tDuration'));
  set('@billedDuration', grab('Billed Duration'));
  const mem = grab('Memory Size');
  set('@memorySize', mem === undefined ? undefined : mem * 1_000_000);
  const used = grab('Max Memory Used');
  set('@maxMemoryUsed', used === undefined ? undefined : used * 1_000_000);
  set('@initDuration', grab('Init Duration'));
  return f;
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, Value>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${key}.`, out);
    else if (typeof v === 'number' || typeof v === 'string') out.set(key, v);
    else if (typeof v === 'boolean') out.set(key, String(v));
  }
}
