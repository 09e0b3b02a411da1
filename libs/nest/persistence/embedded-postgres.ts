import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgliteWireServer } from './pglite-wire-server';
import { freePort } from '../net/free-port';

/**
 * PostgreSQL in-process (PGlite, WASM) served on 127.0.0.1 through the wire
 * protocol, so TypeORM and `pg` talk to it exactly as to a server: same
 * migrations, same SQL. One process owns the data directory at a time.
 */
export class EmbeddedPostgres {
  private db?: PGlite;
  private server?: PgliteWireServer;
  private lockFile?: string;
  url = '';

  constructor(
    private readonly dataDir: string | undefined, // undefined => in memory
  ) {}

  async start(): Promise<string> {
    if (this.dataDir) {
      const dir = join(this.dataDir, 'pgdata');
      mkdirSync(dir, { recursive: true });
      this.takeLock();
      this.db = await PGlite.create({ dataDir: dir });
    } else {
      this.db = await PGlite.create();
    }
    const port = await freePort();
    this.server = new PgliteWireServer(this.db);
    await this.server.listen(port);
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.close().catch(() => undefined);
    await this.db?.close().catch(() => undefined);
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.server = undefined;
    this.db = undefined;
  }

  /** A second process opening the same directory would corrupt it: refuse clearly. */
  private takeLock(): void {
    this.lockFile = join(this.dataDir!, 'embedded-postgres.pid');
    if (existsSync(this.lockFile)) {
      const pid = Number(readFileSync(this.lockFile, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        this.lockFile = undefined;
        throw new Error(
          `The embedded database in ${this.dataDir} is in use by process ${pid} (the running server). ` +
            'Stop it first, or point DATABASE_URL at a PostgreSQL server.',
        );
      }
    }
    writeFileSync(this.lockFile, String(process.pid));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
