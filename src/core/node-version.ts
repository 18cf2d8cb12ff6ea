/**
 * The Node.js versions the tool supports (package.json `engines`, a test keeps them equal) and the one line an older
 * Node gets instead of the AWS SDK's nine-line NodeVersionSupportWarning. PURE.
 */

/** The oldest Node.js major the CLI supports (package.json engines: ">=22"); the AWS SDK's 2027 releases need it too. */
export const MIN_NODE_MAJOR = 22;
/** The action's runtime (action.yml runs.using: node24) and the version to recommend. */
export const RECOMMENDED_NODE_MAJOR = 24;
/**
 * The AWS SDK's own switch for its NodeVersionSupportWarning (@aws-sdk/core emitWarningIfUnsupportedVersion): read when
 * a client is made, "true" skips the warning.
 */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** One line for a Node.js older than MIN_NODE_MAJOR (`version` as process.versions.node), else undefined. */
export function nodeVersionLine(version: string): string | undefined {
  const major = Number(version.split('.')[0]);
  if (!Number.isInteger(major) || major >= MIN_NODE_MAJOR) return undefined;
  return `lambda-coldstart needs Node.js ${MIN_NODE_MAJOR} or later (${RECOMMENDED_NODE_MAJOR} recommended); you are running ${version}`;
}
