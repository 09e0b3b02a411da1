import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorBody } from '../http/error-body';

/** Where the operator console (console/, React + Vite) is served. */
export const CONSOLE_PREFIX = '/console';

/**
 * The console's CSP: its own scripts, styles, images and API calls only. Stricter than
 * the API's (no inline styles: Swagger UI needs them, the console does not).
 */
export const CONSOLE_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null, // plain http on a LAN host must keep working
};

export const isConsolePath = (url: string): boolean =>
  url === CONSOLE_PREFIX || url.startsWith(`${CONSOLE_PREFIX}/`) || url.startsWith(`${CONSOLE_PREFIX}?`);

/** console/dist from the sources (ts-node: libs/nest/console) or from the compiled server (dist/libs/nest/console). */
export function consoleDistDir(): string {
  const candidates = [resolve(__dirname, '../../../console/dist'), resolve(__dirname, '../../../../console/dist')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0];
}

async function sendIndex(dist: string, reply: FastifyReply, requestId: string): Promise<void> {
  let html: Buffer;
  try {
    html = await readFile(join(dist, 'index.html'));
  } catch {
    // Built at `npm install` (prepare) or by `npm start` when missing; a bare checkout may not have it yet.
    await reply
      .status(503)
      .header('cache-control', 'no-store')
      .send(
        errorBody(503, 'The console is not built: run `npm run build:console` (or `npm install`)', requestId, {
          code: 'console_not_built',
        }),
      );
    return;
  }
  await reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/**
 * Serves console/dist under /console: hashed assets with a year-long immutable cache,
 * index.html with no-cache for /console and every deep link (the app routes in the browser).
 * Register after @fastify/compress so these routes are compressed too.
 */
export async function registerConsole(fastify: FastifyInstance, dist = consoleDistDir()): Promise<void> {
  await fastify.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: `${CONSOLE_PREFIX}/assets/`,
    decorateReply: false, // Swagger's registration owns reply.sendFile
    index: false,
    list: false,
    immutable: true,
    maxAge: '365d',
  });
  const index = async (req: { id: string }, reply: FastifyReply) => sendIndex(dist, reply, req.id);
  fastify.get(CONSOLE_PREFIX, index);
  fastify.get(`${CONSOLE_PREFIX}/*`, index);
}
