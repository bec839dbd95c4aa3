import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { jsonSchemas } from './json-schemas.js';

const docs = fileURLToPath(new URL('../../../../docs/', import.meta.url));
for (const [name, schema] of Object.entries(jsonSchemas())) {
  await writeFile(`${docs}${name}`, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/${name}`);
}
