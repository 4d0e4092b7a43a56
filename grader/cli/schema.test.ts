import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { labJsonSchema } from './schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('lab.schema.json', () => {
  const schema = JSON.parse(labJsonSchema());
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  it('accepts the fixture lab and rejects a misspelt field, like the loader', () => {
    const good = YAML.parse(readFileSync(path.join(root, 'grader/cli/fixtures/90-fixture-web/lab.yaml'), 'utf8'));
    expect(validate(good)).toBe(true);
    const bad = YAML.parse(readFileSync(path.join(root, 'grader/cli/fixtures/bad-field-lab/lab.yaml'), 'utf8'));
    expect(validate(bad)).toBe(false);
  });
  it('is the published docs/lab.schema.json (run `npm run schema` after changing grader/lab/schema.ts)', () => {
    expect(readFileSync(path.join(root, 'docs/lab.schema.json'), 'utf8')).toBe(labJsonSchema());
  });
});
