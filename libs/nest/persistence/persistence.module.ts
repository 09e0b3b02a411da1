import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DocumentStore, Outbox, UnitOfWork } from '@kernel';
import { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../../../migrations';
import { TypeormUnitOfWork } from './typeorm-unit-of-work';
import { AdvisoryLocks } from './advisory-lock';
import { TransactionHost } from './transaction-host';
import { TypeormDocumentStore } from '../documents/typeorm-document-store';
import { MongoDocumentStore } from '../documents/mongo-document-store';
import { TypeormOutbox } from '../documents/typeorm-outbox';
import { OutboxRelay, RAW_DOCUMENT_STORE } from '../documents/outbox-relay.service';
import { SettledDocumentStore } from '../documents/settled-document-store';
import { DocumentCollections } from '../documents/document-collections';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      // databaseUrl is set: the embedded server, when used, was started before Nest (database-server.ts).
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.databaseUrl,
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
    // Each context registers the collections it owns from its module's constructor.
    { provide: DocumentCollections, useFactory: () => new DocumentCollections() },
    {
      provide: RAW_DOCUMENT_STORE,
      inject: [AppConfig, DataSource, DocumentCollections],
      useFactory: (config: AppConfig, ds: DataSource, collections: DocumentCollections) =>
        config.mongoUrl ? new MongoDocumentStore(config.mongoUrl, config.mongoDb, collections) : new TypeormDocumentStore(ds, collections),
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
  exports: [DocumentStore, DocumentCollections, Outbox, UnitOfWork, OutboxRelay, AdvisoryLocks, TransactionHost],
})
export class PersistenceModule {}
