/**
 * (a) authenticated GET /api/v1/funds on our server vs the floor: a bare Fastify + pg
 *     server (bench/baseline-server.ts) that verifies the same HS256 token and runs the
 *     catalogue query on every request;
 * (d) /healthz p99 during a 50-way bcrypt login storm vs quiet.
 * Run by bench/run.ts, which alternates ours and the floor (A B A B) in one run.
 */
import { load, LoadResult } from './lib';

export interface Pair {
  ours: LoadResult;
  floor: LoadResult;
}

/** One A B pair: the floor, then ours, each 32 connections for `seconds`. */
export async function catalogueRound(appBase: string, floorBase: string, token: string, seconds: number): Promise<Pair> {
  const headers = { authorization: `Bearer ${token}` };
  const floor = await load({ url: `${floorBase}/api/v1/funds`, connections: 32, duration: seconds, headers });
  const ours = await load({ url: `${appBase}/api/v1/funds`, connections: 32, duration: seconds, headers });
  return { ours, floor };
}

/** One A B pair: /healthz quiet, then /healthz while 50 connections log in (bcrypt) without pause. */
export async function healthzRound(
  base: string,
  login: { email: string; password: string },
  seconds: number,
): Promise<Pair & { storm: LoadResult }> {
  const floor = await load({ url: `${base}/healthz`, connections: 4, duration: seconds });
  const [storm, ours] = await Promise.all([
    load({
      url: `${base}/auth/login`,
      method: 'POST',
      connections: 50,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    }),
    load({ url: `${base}/healthz`, connections: 4, duration: seconds }),
  ]);
  return { ours, floor, storm };
}
