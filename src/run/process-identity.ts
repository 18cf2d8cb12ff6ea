/**
 * Which process on which machine writes a run's records, and whether a process named in a record is still running —
 * so that a run outside GitHub Actions killed with SIGKILL leaves a record the next run on the same machine can tell is
 * over at once (run/writer-check.ts).
 *
 * The machine: on Linux its boot id with the process's pid namespace (two containers on one kernel share the boot id,
 * not the pids they see) and the host name; elsewhere the host name with the boot time to the minute. Equal keys mean
 * "this machine since its last boot, seeing the same pids". A key that differs only makes a reader fall back to the
 * guessed window, never take a running process for ended.
 *
 * The process: its pid and, on Linux, its start time in clock ticks after boot (/proc/<pid>/stat, field 22), so a
 * reused pid is not taken for the writer. Elsewhere the pid alone (a reused pid then looks running: a wait, no harm).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, platform, uptime } from 'node:os';
import type { WriterProcess } from '../lambda/undo/record.js';

/** Files a Linux process reads about itself and others; injected for tests. */
export interface ProcFs {
  read(path: string): string;
  link(path: string): string;
}

const realProc: ProcFs = { read: (p) => readFileSync(p, 'utf8'), link: (p) => readlinkSync(p) };

/** Field 22 (starttime) and field 3 (state) of a /proc/<pid>/stat line; the command name may hold spaces and ')'. PURE. */
export function parseProcStat(line: string): { state: string; start: string } | undefined {
  const end = line.lastIndexOf(')');
  if (end < 0) return undefined;
  const fields = line
    .slice(end + 2)
    .trim()
    .split(/\s+/); // fields[0] is field 3 (state)
  const start = fields[19];
  return fields[0] !== undefined && start !== undefined && /^\d{1,20}$/.test(start) ? { state: fields[0], start } : undefined;
}

const key = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

/** This machine's key (16 hex digits). */
export function machineKey(o: { os?: string; proc?: ProcFs; host?: string; bootMs?: number } = {}): string {
  const os = o.os ?? platform();
  const host = o.host ?? hostname();
  if (os === 'linux') {
    const proc = o.proc ?? realProc;
    try {
      return key('linux', proc.read('/proc/sys/kernel/random/boot_id').trim(), proc.link('/proc/self/ns/pid'), host);
    } catch {
      /* no /proc (a sandbox): as elsewhere */
    }
  }
  const bootMs = o.bootMs ?? Date.now() - uptime() * 1000;
  return key(os, host, String(Math.round(bootMs / 60_000)));
}

/** This process, as a record names it. */
export function thisProcess(o: { os?: string; proc?: ProcFs; pid?: number } = {}): WriterProcess {
  const os = o.os ?? platform();
  const pid = o.pid ?? process.pid;
  const proc = o.proc ?? realProc;
  let start: string | undefined;
  if (os === 'linux') {
    try {
      start = parseProcStat(proc.read('/proc/self/stat'))?.start;
    } catch {
      /* no /proc */
    }
  }
  return { host: machineKey({ os, proc }), pid, ...(start === undefined ? {} : { start }) };
}

/** Whether the process a record names runs on this machine now (call only when its host is this machine's key). */
export function processRunning(p: WriterProcess, o: { os?: string; proc?: ProcFs; kill?: (pid: number) => void } = {}): boolean {
  const os = o.os ?? platform();
  if (os === 'linux' && p.start !== undefined) {
    let stat: ReturnType<typeof parseProcStat>;
    try {
      stat = parseProcStat((o.proc ?? realProc).read(`/proc/${p.pid}/stat`));
    } catch {
      return false; // no such process
    }
    // A zombie (Z) or dead (X) process has ended; another start time is another process under a reused pid.
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.start === p.start;
  }
  try {
    (o.kill ?? ((pid: number) => process.kill(pid, 0)))(p.pid);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM'; // it exists, owned by someone else
  }
}
