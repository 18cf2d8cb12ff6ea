// Types of scripts/licenses.mjs (plain JavaScript so that scripts/build.mjs runs without a TypeScript loader).
export interface BundledPackage {
  name: string;
  version: string;
  /** As package.json declares it (`license`, or the old `licenses` array); 'UNKNOWN' when it declares none. */
  license: string;
  author: string | undefined;
  /** The contents of each LICENSE / LICENCE / COPYING / NOTICE file in the package folder. */
  texts: string[];
}
export function bundledFiles(stats: unknown): string[];
export function packageDirOf(file: string): string | undefined;
export function collectPackages(files: string[], root: string): BundledPackage[];
export function renderLicenses(packages: BundledPackage[]): string;
