/** The release workflow's notes come from CHANGELOG.md: a tag of package.json's version must find a section there. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { releaseNotes } from '../../scripts/changelog-notes.mjs';

const changelog = `# Changelog

## [Unreleased]

## [1.1.0] - 2027-01-02

### Fixed

- a thing

## [1.0.0] - 2026-11-30

- first

[1.1.0]: https://example.com/v1.1.0
`;

describe('releaseNotes', () => {
  it('is the body of the version section, up to the next section', () => {
    expect(releaseNotes(changelog, '1.1.0')).toBe('### Fixed\n\n- a thing\n');
  });

  it('stops at the link references after the last section', () => {
    expect(releaseNotes(changelog, '1.0.0')).toBe('- first\n');
  });

  it('refuses a version without a section, and an empty section', () => {
    expect(() => releaseNotes(changelog, '2.0.0')).toThrow('no "## [2.0.0]" section');
    expect(() => releaseNotes(changelog, 'Unreleased')).toThrow('is empty');
  });

  it('CHANGELOG.md has notes for the version in package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(releaseNotes(readFileSync('CHANGELOG.md', 'utf8'), version)).toContain('### Added');
  });
});
