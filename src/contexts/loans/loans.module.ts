import { Module } from '@nestjs/common';

/** The loans context (being built: see its issue). */
@Module({})
export class LoansModule {}
