/** The AWS region of a CLI command, checked before any AWS call. */
import { UsageError } from './command.js';

/** An AWS region name: two letters, words, a number (eu-west-1, us-gov-west-1, ap-southeast-7). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The region to use: --region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's (resolved by the SDK). A malformed
 * one is a usage error naming where it came from; none at all says how to give one.
 */
export async function resolveRegion(flag: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given: [string, string | undefined][] = [
    ['--region', flag || undefined],
    ['AWS_REGION', env['AWS_REGION'] || undefined],
    ['AWS_DEFAULT_REGION', env['AWS_DEFAULT_REGION'] || undefined],
  ];
  for (const [source, value] of given) {
    if (value === undefined) continue;
    if (!REGION.test(value)) throw new UsageError(`${source}: "${value}" is not an AWS region; use a name such as eu-west-1`);
    return value;
  }
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const client = new LambdaClient({});
  try {
    return await client.config.region();
  } catch (e) {
    throw new UsageError('no AWS region: pass --region REGION, or set AWS_REGION (or a region in the AWS_PROFILE’s config)', { cause: e });
  } finally {
    client.destroy();
  }
}
