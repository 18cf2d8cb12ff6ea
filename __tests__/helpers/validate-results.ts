/**
 * Validate a results.json value against schema/results.schema.json (draft 2020-12) with ajv.
 * Any test that produces RunResults can call `expectValidResults(obj)`; it fails with the list of schema errors.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

const schemaPath = fileURLToPath(new URL('../../schema/results.schema.json', import.meta.url));
const schema: unknown = JSON.parse(readFileSync(schemaPath, 'utf8'));

// ajv-formats is CommonJS: its default export may arrive wrapped depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema as object);

/** Schema errors of `obj` as readable lines ('' when valid). `obj` goes through JSON first, as results.json does. */
export function resultsSchemaErrors(obj: unknown): string {
  const json: unknown = JSON.parse(JSON.stringify(obj));
  if (validate(json)) return '';
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

/** Assert that `obj` (RunResults) is a valid results.json. */
export function expectValidResults(obj: unknown): void {
  expect(resultsSchemaErrors(obj)).toBe('');
}
