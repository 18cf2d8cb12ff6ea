// Types of scripts/check-pack.mjs (plain JavaScript: CI runs it without a TypeScript loader).
export function checkPack(pack: { files: { path: string }[] }): { extra: string[]; missing: string[] };
