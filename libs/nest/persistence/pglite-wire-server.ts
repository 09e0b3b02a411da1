import type { PGlite } from '@electric-sql/pglite';
import { createServer, Server, Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Messages that end a client's unit of work: Sync, simple Query. */
const UNIT_END = new Set(['S', 'Q']);
const TERMINATE = 'X';

interface Unit {
  conn: Connection;
  messages: Buffer[];
  done: (err?: unknown) => void;
}

/**
 * The PostgreSQL wire protocol in front of one PGlite session.
 *
 * Why not @electric-sql/pglite-socket's server: it queues every protocol
 * message on its own, so two connections' extended queries interleave
 * (A.Parse, B.Parse, A.Bind...) and the unnamed statement of one is bound with
 * the other's parameters ("bind message supplies 4 parameters, but prepared
 * statement requires 2"). Here a connection's messages up to its Sync (or a
 * simple Query) run as ONE unit, and while a connection has a transaction open
 * only its units run: PGlite has a single session, so everyone else waits.
 */
export class PgliteWireServer {
  private server?: Server;
  private readonly pending: Unit[] = [];
  private owner: Connection | null = null; // holds an open transaction
  private running = false;
  private readonly connections = new Set<Connection>();

  constructor(private readonly db: PGlite) {}

  listen(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server = createServer((socket) => this.connections.add(new Connection(socket, this)));
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  submit(conn: Connection, messages: Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ conn, messages, done: (err) => (err ? reject(err) : resolve()) });
      void this.pump();
    });
  }

  /** A connection went away: drop its queued work and roll back its transaction. */
  async release(conn: Connection): Promise<void> {
    this.connections.delete(conn);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].conn === conn) this.pending.splice(i, 1)[0].done(new Error('connection closed'));
    }
    if (this.owner === conn) {
      await this.db.exec('ROLLBACK').catch(() => undefined);
      this.owner = null;
      void this.pump();
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner ? this.pending.findIndex((u) => u.conn === this.owner) : 0;
        if (index < 0 || !this.pending.length) return; // wait for the transaction owner's next unit
        const [unit] = this.pending.splice(index, 1);
        try {
          await this.db.runExclusive(async () => {
            for (const message of unit.messages) {
              await this.db.execProtocolRawStream(new Uint8Array(message), { onRawData: (data) => unit.conn.write(data) });
            }
          });
          this.owner = this.db.isInTransaction() ? unit.conn : null;
          unit.done();
        } catch (err) {
          this.owner = this.db.isInTransaction() ? unit.conn : null;
          unit.done(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

class Connection {
  private buffer = Buffer.alloc(0);
  private batch: Buffer[] = [];
  private started = false;
  private chain = Promise.resolve();

  constructor(
    readonly socket: Socket,
    private readonly server: PgliteWireServer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => this.onData(data));
    const gone = () => void this.server.release(this);
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
  }

  write(data: Uint8Array): void {
    if (data.length && !this.socket.destroyed) this.socket.write(data);
  }

  private onData(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < length) return;
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) continue; // no backend to signal
        if (code === PROTOCOL_3) this.started = true;
        this.enqueue([Buffer.from(message)]);
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return;
      const message = Buffer.from(this.buffer.subarray(0, length));
      this.buffer = this.buffer.subarray(length);
      const type = String.fromCharCode(message[0]);
      if (type === TERMINATE) {
        this.socket.end();
        return;
      }
      this.batch.push(message);
      if (UNIT_END.has(type)) {
        this.enqueue(this.batch);
        this.batch = [];
      }
    }
  }

  /** Units of one connection run in order. */
  private enqueue(messages: Buffer[]): void {
    this.chain = this.chain
      .then(() => this.server.submit(this, messages))
      .catch(() => {
        this.socket.destroy();
      });
  }
}
