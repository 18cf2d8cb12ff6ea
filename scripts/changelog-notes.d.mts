// Types of scripts/changelog-notes.mjs (plain JavaScript: the release workflow runs it without a TypeScript loader).
export function releaseNotes(changelog: string, version: string): string;
