import { Module } from '@nestjs/common';

/** The funds context (being built: see its issue). */
@Module({})
export class FundsModule {}
