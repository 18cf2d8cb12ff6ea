/**
 * Lambda runtime versions as INIT_START and RuntimeVersionConfig show them: a name such as `nodejs:20.v32`,
 * `python:3.11.v48` or `provided:al2023.v99`, and an ARN `arn:aws:lambda:<region>::runtime:<64 hex>`. Lambda patches
 * managed runtimes without a deploy, so the version of a function can change between two runs.
 */
import { createHash } from 'node:crypto';

/** `<family>:<release>.v<n>` as INIT_START prints it (e.g. nodejs20.x → nodejs:20.v3, provided.al2 → provided:al2.v3). */
export function runtimeVersionName(runtime: string, n: number): string {
  const r = runtime.replace(/\.x$/, '');
  const m = /^(nodejs|python|java|dotnet|ruby|provided)\.?(.*)$/.exec(r);
  return m ? `${m[1]}:${m[2] || 'latest'}.v${n}` : `${r}.v${n}`;
}

/** A stable ARN per region, runtime and version: the same version of a runtime has one ARN, as in Lambda. */
export function runtimeVersionArn(region: string, runtime: string, n: number): string {
  const hash = createHash('sha256').update(`${region}\n${runtime}\n${n}`).digest('hex');
  return `arn:aws:lambda:${region}::runtime:${hash}`;
}

/** A plausible current version number for a runtime (Lambda's are in the tens), stable for a runtime name. */
export function defaultRuntimeVersion(runtime: string): number {
  let h = 0;
  for (let i = 0; i < runtime.length; i++) h = (h * 31 + runtime.charCodeAt(i)) >>> 0;
  return 20 + (h % 40);
}
