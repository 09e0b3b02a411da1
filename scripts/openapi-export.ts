import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderOpenApi } from './openapi-render';

/** `npm run openapi:export`: writes openapi.json (the contract a spec keeps in step with the code). */
renderOpenApi()
  .then((text) => {
    const file = resolve(__dirname, '..', 'openapi.json');
    writeFileSync(file, text);
    const doc = JSON.parse(text) as { paths: Record<string, object> };
    const ops = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    console.log(`openapi.json written: ${ops} operations`);
  })
  .catch((e: unknown) => {
    console.error((e as Error).stack ?? String(e));
    process.exit(1);
  });
