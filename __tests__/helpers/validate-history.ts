/** Validate a history.json value against schema/history.schema.json (draft 2020-12) with ajv. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

const schemaPath = fileURLToPath(new URL('../../schema/history.schema.json', import.meta.url));
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

export function historySchemaErrors(obj: unknown): string {
  if (validate(JSON.parse(JSON.stringify(obj)))) return '';
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

export function expectValidHistory(obj: unknown): void {
  expect(historySchemaErrors(obj)).toBe('');
}
