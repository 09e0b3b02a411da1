import { Module } from '@nestjs/common';

/** The execution context (being built: see its issue). */
@Module({})
export class ExecutionModule {}
