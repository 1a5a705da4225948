// `npm run schemas`: writes the technique enums of the committed JSON Schemas from the registry.
import { writeSchemas } from '../dist/report/schemas.js';

const changed = await writeSchemas();
process.stdout.write(
  changed.length === 0
    ? 'schemas: up to date\n'
    : `schemas: wrote ${changed.map((file) => `schema/${file}`).join(', ')}\n`,
);
