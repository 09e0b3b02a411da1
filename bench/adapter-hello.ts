/**
 * Why Fastify: the same Nest "hello" controller on each adapter, plus bare
 * node:http as the ceiling, each in its own process, measured in one run.
 *   npx ts-node --transpile-only bench/adapter-hello.ts
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:http';
import { freePort, load, median, startProcess, table } from './lib';

@Controller()
class HelloController {
  @Get('healthz') hello() {
    return { hello: 'world' };
  }
}
@Module({ controllers: [HelloController] })
class HelloModule {}

async function serve(kind: string, port: number): Promise<void> {
  if (kind === 'node') {
    createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ hello: 'world' }));
    }).listen(port, '127.0.0.1');
    return;
  }
  if (kind === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    const app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
    await app.listen(port, '127.0.0.1');
    return;
  }
  const app = await NestFactory.create(HelloModule, { logger: false }); // Express (platform-express)
  await app.listen(port, '127.0.0.1');
}

async function main(): Promise<void> {
  const kind = process.env.BENCH_SERVE;
  if (kind) return serve(kind, Number(process.env.PORT));
  const rows = [];
  for (const k of ['node', 'fastify', 'express']) {
    const port = await freePort();
    const proc = await startProcess('bench/adapter-hello.ts', { BENCH_SERVE: k }, port);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await load({ url: `http://127.0.0.1:${port}/healthz`, connections: 50, duration: 5 }));
    proc.kill('SIGTERM');
    rows.push({ server: k, 'req/s (median of 3)': Math.round(median(runs.map((r) => r.rps))), 'p99 ms': median(runs.map((r) => r.p99)) });
  }
  const node = rows[0]['req/s (median of 3)'] as number;
  table(rows.map((r) => ({ ...r, 'vs node:http': ((r['req/s (median of 3)'] as number) / node).toFixed(2) })));
}

void main();
