/**
 * The one rule for the AWS region of a run, shared by the action's steps and the CLI's commands, checked before any
 * AWS call: the product's own setting (`aws-region`, `--region`), else AWS_REGION, else AWS_DEFAULT_REGION, else the
 * profile's (resolved by the SDK). A malformed one is a ConfigError naming where it came from; none at all says, in the
 * product's words, how to give one.
 */
import { ConfigError } from '../core/errors.js';

/** An AWS region name: two letters, words, a number (eu-west-1, us-gov-west-1, ap-southeast-7). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface RegionSetting {
  /** The setting as the product names it in messages: `aws-region` (the action) or `--region` (the CLI). */
  name: string;
  /** Its value; '' = not given. */
  value: string;
  /** What to say when no region is found anywhere. */
  missing: string;
}

export const ACTION_REGION = {
  name: 'aws-region',
  missing:
    'aws-region: no region given and neither AWS_REGION nor AWS_DEFAULT_REGION is set; set the input, or configure credentials with aws-actions/configure-aws-credentials (it sets AWS_REGION)',
} as const;

export const CLI_REGION = {
  name: '--region',
  missing: 'no AWS region: pass --region REGION, or set AWS_REGION (or a region in the AWS_PROFILE’s config)',
} as const;

export async function resolveRegion(setting: RegionSetting, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given: [string, string | undefined][] = [
    [setting.name, setting.value || undefined],
    ['AWS_REGION', env['AWS_REGION'] || undefined],
    ['AWS_DEFAULT_REGION', env['AWS_DEFAULT_REGION'] || undefined],
  ];
  for (const [source, value] of given) {
    if (value === undefined) continue;
    if (!REGION.test(value)) throw new ConfigError([`${source}: "${value}" is not an AWS region; use a name such as eu-west-1`]);
    return value;
  }
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const client = new LambdaClient({});
  try {
    return await client.config.region();
  } catch (e) {
    throw new ConfigError([setting.missing], { cause: e });
  } finally {
    client.destroy();
  }
}
