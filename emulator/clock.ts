/**
 * The emulator's clock (Lambda's and CloudWatch Logs' clock, optionally offset from the host's) and SigV4's request-time
 * check, answered as AWS answers it: Lambda 403, CloudWatch Logs 400, both InvalidSignatureException "Signature expired:
 * … (… - 5 min.)" or "Signature not yet current: … (… + 5 min.)". Signatures themselves are never verified.
 */
import { MAX_CLOCK_SKEW_MS } from './defaults.js';

export type Service = 'lambda' | 'logs';

export interface SkewRejection {
  status: number;
  type: 'InvalidSignatureException';
  message: string;
  accessKeyId?: string;
}

/** 20240501T120000Z (SigV4's basic ISO 8601 form, as X-Amz-Date and AWS's messages write it). */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Epoch ms of an X-Amz-Date value, or undefined when it is not in SigV4's basic format. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** The access key id of a SigV4 Authorization header (`AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …`). */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  const m = /Credential=([^/,\s]+)\//.exec(authorization ?? '');
  return m?.[1];
}

/** The rejection AWS gives a request signed at `signedAt` when its clock reads `now`, or undefined within 5 minutes. */
export function skewRejection(service: Service, signedAt: number, now: number): SkewRejection | undefined {
  const status = service === 'lambda' ? 403 : 400;
  const minutes = MAX_CLOCK_SKEW_MS / 60_000;
  if (signedAt < now - MAX_CLOCK_SKEW_MS)
    return {
      status,
      type: 'InvalidSignatureException',
      message:
        `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} ` +
        `(${formatAmzDate(now)} - ${minutes} min.)`,
    };
  if (signedAt > now + MAX_CLOCK_SKEW_MS)
    return {
      status,
      type: 'InvalidSignatureException',
      message:
        `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} ` +
        `(${formatAmzDate(now)} + ${minutes} min.)`,
    };
  return undefined;
}

/**
 * The clock every server-side time follows (LastModified, the Date header, log events, ingestion, Insights ranges) and
 * the per-client clock errors the request-time check applies (README: "Clocks").
 */
export class EmulatorClock {
  private readonly clients = new Map<string, number>();
  /** `${accessKeyId} ${service}` pairs whose SDK has had one answer from the emulator and so knows its clock. */
  private readonly answered = new Set<string>();

  constructor(
    public offsetMs = 0,
    clients: Record<string, number> = {},
  ) {
    for (const [k, v] of Object.entries(clients)) this.setClient(k, v);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Sets (or, with undefined, removes) a client's clock error; its next request per service is checked with it again. */
  setClient(accessKeyId: string, offsetMs: number | undefined): void {
    if (offsetMs === undefined) this.clients.delete(accessKeyId);
    else {
      if (!Number.isFinite(offsetMs)) throw new Error(`client clock offset for ${accessKeyId} must be a finite number of ms`);
      this.clients.set(accessKeyId, offsetMs);
    }
    for (const key of [...this.answered]) if (key.startsWith(`${accessKeyId} `)) this.answered.delete(key);
  }

  /**
   * SigV4's request-time check for one request. An unsigned request (no X-Amz-Date) passes. A client with a clock error
   * has it added to its X-Amz-Date on its first request per service only: after one answer its SDK has the emulator's
   * time (from the Date header) and signs with a corrected clock, as the AWS SDKs do.
   */
  check(service: Service, headers: Record<string, string | string[] | undefined>): SkewRejection | undefined {
    const amzDate = headers['x-amz-date'];
    const signed = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
    if (signed === undefined) return undefined;
    const auth = headers.authorization;
    const accessKeyId = accessKeyIdOf(typeof auth === 'string' ? auth : undefined);
    let clientError = 0;
    if (accessKeyId !== undefined && this.clients.has(accessKeyId)) {
      const key = `${accessKeyId} ${service}`;
      if (!this.answered.has(key)) clientError = this.clients.get(accessKeyId) ?? 0;
      this.answered.add(key);
    }
    const rejection = skewRejection(service, signed + clientError, this.now());
    return rejection && accessKeyId !== undefined ? { ...rejection, accessKeyId } : rejection;
  }
}
