import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOLDERS } from './requests';
import { Step } from './steps';

export const COLLECTION = join(__dirname, '..', '..', 'postman', 'fintech-ops.postman_collection.json');
export const ENVIRONMENT = join(__dirname, '..', '..', 'postman', 'local.postman_environment.json');

function item(step: Step) {
  const headers = [{ key: 'Idempotency-Key', value: '{{$guid}}' }]; // fresh for every request
  if (step.auth) headers.push({ key: 'Authorization', value: `Bearer {{${step.auth}}}` });
  let body: unknown;
  if (step.form) {
    body = { mode: 'urlencoded', urlencoded: Object.entries(step.form).map(([key, value]) => ({ key, value })) };
  } else if (step.body !== undefined) {
    headers.push({ key: 'Content-Type', value: 'application/json' });
    body = { mode: 'raw', raw: JSON.stringify(step.body, null, 2) };
  }
  const exec = [
    `pm.test('${step.name.replace(/'/g, "\\'")}: ${step.status}', function () {`,
    `  pm.response.to.have.status(${step.status});`,
    '});',
    "const isJson = (pm.response.headers.get('Content-Type') || '').includes('json');",
    'const b = isJson ? pm.response.json() : pm.response.text();',
    step.status >= 400
      ? "pm.test('error body names the request', function () { pm.expect(b).to.have.property('request_id'); pm.expect(b.statusCode).to.eql(pm.response.code); });"
      : '',
    ...(step.checks?.length
      ? [`pm.test('${step.name.replace(/'/g, "\\'")}: fields', function () {`, ...step.checks.map((c) => `  ${c}`), '});']
      : []),
  ].filter(Boolean);
  const event: object[] = [{ listen: 'test', script: { type: 'text/javascript', exec } }];
  if (step.pre) event.unshift({ listen: 'prerequest', script: { type: 'text/javascript', exec: step.pre } });
  return {
    name: step.name,
    event,
    request: { method: step.method, header: headers, url: `{{baseUrl}}${step.path}`, ...(body ? { body } : {}) },
  };
}

/** Writes postman/ (collection + environment) from requests.ts; returns the counts. */
export function buildCollection(): { requests: number; assertions: number } {
  const collection = {
    info: {
      name: 'Fintech operations backend',
      description:
        'Every flow of the five seeds and the routes added since. Run it with `npm run test:postman` (newman, fresh database, exchange fakes).',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: FOLDERS.map((f) => ({ name: f.name, item: f.steps.map(item) })),
  };
  writeFileSync(COLLECTION, JSON.stringify(collection, null, 2) + '\n');
  const environment = {
    name: 'local',
    values: [
      { key: 'baseUrl', value: 'http://127.0.0.1:8000', enabled: true },
      { key: 'email', value: 'operador@example.com', enabled: true },
      { key: 'password', value: 'Trader123!', enabled: true },
      // The key the server encrypts with now (ENCRYPTION_KEY; `npm start` keeps its development one in .data/dev-keys.json).
      { key: 'encryptionKey', value: '', enabled: true },
      ...[
        'token',
        'refreshToken',
        'adminToken',
        'clientToken',
        'fundsToken',
        'userId',
        'orderId',
        'txId',
        'loanId',
        'totpSecret',
        'otp',
        'newKey',
        'otherKey',
      ].map((key) => ({
        key,
        value: '',
        enabled: true,
      })),
    ],
  };
  writeFileSync(ENVIRONMENT, JSON.stringify(environment, null, 2) + '\n');
  const steps = FOLDERS.flatMap((f) => f.steps);
  return {
    requests: steps.length,
    assertions: steps.reduce((n, s) => n + 1 + (s.status >= 400 ? 1 : 0) + (s.checks?.length ? 1 : 0), 0),
  };
}
