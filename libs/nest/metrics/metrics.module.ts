import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { AppMetrics, METRIC_PROVIDERS } from './app-metrics';
import { MetricsController } from './metrics.controller';
import { ScrapeCollector } from './scrape-collector';

/**
 * Process metrics (CPU, memory, event loop, GC) once per process: the library would
 * register them again for each app the tests boot in one process, which throws.
 */
function collectProcessMetricsOnce(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

/** GET /metrics (Prometheus) and the AppMetrics hooks, injectable everywhere. */
@Global()
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: false } })],
  providers: [...METRIC_PROVIDERS, AppMetrics, ScrapeCollector, { provide: 'process-metrics', useFactory: collectProcessMetricsOnce }],
  exports: [AppMetrics, ScrapeCollector],
})
export class MetricsModule {}
