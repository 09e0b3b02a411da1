import { Global, Module } from '@nestjs/common';
import { JobQueue } from '@kernel';
import { JobClock } from './job-clock';
import { JobsController } from './jobs.controller';
import { PgBossJobQueue } from './pg-boss-job-queue';
import { PlatformRetentionJob } from './platform-retention.job';

/** The job port (JobQueue) on pg-boss, for every context; GET /ops/jobs/failed for admins; platform retention. */
@Global()
@Module({
  controllers: [JobsController],
  providers: [JobClock, PgBossJobQueue, { provide: JobQueue, useExisting: PgBossJobQueue }, PlatformRetentionJob],
  exports: [JobQueue, PgBossJobQueue, PlatformRetentionJob],
})
export class JobsModule {}
