import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import request from 'supertest';
import { startTestApp, TestApp } from '@testing/test-app';
import { registerConsole } from '@platform/console/console-static';
import { ensureConsoleBuilt } from '../browser/console-browser';

/** How the backend serves console/dist at /console: caching, CSP, deep links (issue 15). */
describe('console static serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves index.html with no-cache at /console, /console/ and every deep link; the same page each time', async () => {
    const first = await t.http.get('/console/');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.text).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js">/);
    for (const path of ['/console', '/console/funds', '/console/loans/deep/link?x=1', '/console/audit']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe(first.text);
    }
  });

  it('hashed assets: a year-long immutable cache, compressed; an unknown asset is a JSON 404, not index.html', async () => {
    const index = await t.http.get('/console/');
    const js = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    const res = await t.http.get(js).set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    const missing = await t.http.get('/console/assets/nope-123.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
  });

  it('the console gets its own strict CSP (no inline styles, no other origins); the API keeps its own', async () => {
    const page = await t.http.get('/console/funds');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const api = await t.http.get('/healthz');
    expect(api.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'"); // Swagger UI's, unchanged
    expect(api.headers['content-security-policy']).not.toContain("frame-ancestors 'none'");
  });

  it('without a build: a 503 naming the command, never a blank page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'a.js'), 'x');
    const app = Fastify();
    try {
      await registerConsole(app, join(dir, 'missing'));
      await app.ready();
      const res = await request(app.server).get('/console/dashboard');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'console_not_built' });
      expect(res.body.message).toContain('npm run build:console');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
