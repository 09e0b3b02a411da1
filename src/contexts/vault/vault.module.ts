import { Module } from '@nestjs/common';

/** The vault context (being built: see its issue). */
@Module({})
export class VaultModule {}
