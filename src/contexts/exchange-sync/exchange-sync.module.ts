import { Module } from '@nestjs/common';

/** The exchange-sync context (being built: see its issue). */
@Module({})
export class ExchangeSyncModule {}
