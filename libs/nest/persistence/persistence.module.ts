import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DocumentStore, Outbox, UnitOfWork } from '@kernel';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../../../migrations';
import { EmbeddedPostgres } from './embedded-postgres';
import { TypeormUnitOfWork } from './unit-of-work.typeorm';
import { AdvisoryLocks } from './advisory-lock';
import { TransactionHost } from './transaction-host';
import { PostgresDocumentStore } from '../documents/postgres-document-store';
import { MongoDocumentStore } from '../documents/mongo-document-store';
import { TypeormOutbox } from '../documents/typeorm-outbox';
import { OutboxRelay, RAW_DOCUMENT_STORE } from '../documents/outbox-relay.service';
import { SettledDocumentStore } from '../documents/settled-document-store';

/**
 * Started before TypeORM when DATABASE_URL is unset. Stopped by `closeApp`
 * after Nest's own shutdown hooks (the relay's last flush needs the database).
 */
export class DatabaseServer {
  constructor(readonly embedded?: EmbeddedPostgres) {}
  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, DatabaseServer],
      useFactory: (config: AppConfig, server: DatabaseServer) => ({
        type: 'postgres' as const,
        url: server.embedded ? server.embedded.url : config.databaseUrl,
        autoLoadEntities: true,
        synchronize: false, // migrations only
        migrations: MIGRATIONS,
        migrationsRun: config.migrationsRun,
        migrationsTransactionMode: 'each' as const,
        extra: { max: config.databasePoolSize },
        logging: false,
      }),
    }),
  ],
  providers: [
    {
      provide: RAW_DOCUMENT_STORE,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, ds: DataSource) =>
        config.mongoUrl ? new MongoDocumentStore(config.mongoUrl, config.mongoDb) : new PostgresDocumentStore(ds),
    },
    {
      provide: DocumentStore,
      inject: [RAW_DOCUMENT_STORE, OutboxRelay],
      useFactory: (raw: DocumentStore, relay: OutboxRelay) => new SettledDocumentStore(raw, relay),
    },
    { provide: Outbox, useClass: TypeormOutbox },
    { provide: UnitOfWork, useClass: TypeormUnitOfWork },
    OutboxRelay,
    AdvisoryLocks,
    TransactionHost,
  ],
  exports: [DocumentStore, Outbox, UnitOfWork, OutboxRelay, AdvisoryLocks, TransactionHost],
})
export class PersistenceModule {}

/** Provided by CoreModule (global) so it exists before TypeORM's factory runs. */
export const databaseServerProvider = {
  provide: DatabaseServer,
  inject: [AppConfig],
  useFactory: async (config: AppConfig) => {
    if (config.databaseUrl) return new DatabaseServer();
    const embedded = new EmbeddedPostgres(config.embeddedInMemory ? undefined : config.dataDir);
    const started = Date.now();
    await embedded.start();
    new Logger('Database').log(
      `embedded PostgreSQL (PGlite) ${config.embeddedInMemory ? 'in memory' : `in ${config.dataDir}`} ready in ${Date.now() - started} ms`,
    );
    return new DatabaseServer(embedded);
  },
};
