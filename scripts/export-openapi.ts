/** Writes docs/openapi.json (part of `npm run schemas`); a test keeps it equal to the generated one. */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../functions/openapi/document.ts';

const file = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
