/** Writes the OpenAPI document the service serves to openapi/openapi.json (npm run openapi). */
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }));
await app.ready();
const target = new URL('../openapi/openapi.json', import.meta.url);
await writeFile(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
console.log(`wrote ${target.pathname}`);
