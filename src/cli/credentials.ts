/**
 * The CLI's words for credentials AWS did not accept: a terminal user configures them with the AWS CLI and
 * AWS_PROFILE, not with a workflow step, and a profile that does not exist is named as such. The profile names are
 * read from the shared config and credentials files (section headers only; no value is read or printed).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CredentialsError } from '../core/errors.js';

/** Profile names in a shared config file (`[profile x]`, `[default]`) or credentials file (`[x]`). PURE. */
export function profileNames(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*\[([^\]\r\n]+)\]\s*$/gm)) {
    const header = m[1]!.trim();
    if (kind === 'credentials') names.push(header);
    else if (header === 'default') names.push(header);
    else if (/^profile\s+/.test(header)) names.push(header.replace(/^profile\s+/, '').trim());
  }
  return names;
}

/** Where the SDK reads the shared files: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/. */
export async function knownProfiles(env: NodeJS.ProcessEnv = process.env): Promise<Set<string>> {
  const read = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '');
  const [config, credentials] = await Promise.all([
    read(env['AWS_CONFIG_FILE'] ?? join(homedir(), '.aws', 'config')),
    read(env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(homedir(), '.aws', 'credentials')),
  ]);
  return new Set([...profileNames(config, 'config'), ...profileNames(credentials, 'credentials')]);
}

/** At most this many profile names are listed as the ones that exist. */
const LISTED = 8;

/** The message for the terminal. `profile`: AWS_PROFILE when set; `known`: the profiles the shared files define. PURE. */
export function cliCredentialsMessage(
  e: Pick<CredentialsError, 'reason' | 'detail'>,
  profile: string | undefined,
  known: Set<string>,
): string {
  if (profile !== undefined && !known.has(profile)) {
    const others = [...known].sort().slice(0, LISTED);
    return (
      `the AWS profile "${profile}" (AWS_PROFILE) is in neither ~/.aws/config nor ~/.aws/credentials: create it with ` +
      `\`aws configure --profile ${profile}\`${others.length > 0 ? `, or set AWS_PROFILE to one that exists (${others.join(', ')})` : ''}`
    );
  }
  const from = profile === undefined ? '' : ` from the AWS profile "${profile}" (AWS_PROFILE)`;
  if (e.reason === 'rejected') {
    return (
      `AWS rejected the credentials${from} (${e.detail}): they are expired or invalid — refresh them ` +
      `(\`aws sso login${profile === undefined ? '' : ` --profile ${profile}`}\` for an SSO profile, or new access keys) and run again`
    );
  }
  if (profile !== undefined) {
    return `no AWS credentials${from} (${e.detail}): check it with \`aws sts get-caller-identity --profile ${profile}\` (an SSO profile needs \`aws sso login --profile ${profile}\`)`;
  }
  return (
    `no AWS credentials found (${e.detail}): configure them with \`aws configure\` (or \`aws configure --profile NAME\` ` +
    'and AWS_PROFILE=NAME), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
  );
}
