import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock, Decimal, DomainError, JobQueue, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { crosses } from '../domain/paper';
import { PaperBook } from '../domain/paper.ports';
import { PaperBrokerService } from './paper-broker.service';
import { PaperLedger } from './paper-ledger';

export const PAPER_FILLS_JOB = 'execution.paper-fills';

export interface PaperFillsReport {
  symbols: number;
  filled: number;
  failed: { symbol: string; error: string }[];
}

/**
 * Every PAPER_LIMIT_CHECK_SECONDS: for each symbol with open paper orders, one public
 * price; every open LIMIT, take-profit or stop the price has crossed fills at its own
 * price (one transaction per order, under its account's lock). A symbol whose price
 * cannot be read is reported and the others go on.
 */
@Injectable()
export class PaperFillsJob implements OnModuleInit {
  private readonly logger = new Logger('PaperFills');

  constructor(
    private readonly book: PaperBook,
    private readonly ledger: PaperLedger,
    private readonly paper: PaperBrokerService,
    private readonly jobs: JobQueue,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: PAPER_FILLS_JOB, retryLimit: 2, retryDelaySeconds: 5, timeoutSeconds: 120 },
      { every: this.config.paperLimitCheckSeconds },
      async () => {
        const r = await this.run();
        return { symbols: r.symbols, filled: r.filled, failed: r.failed.length };
      },
    );
  }

  async run(): Promise<PaperFillsReport> {
    const symbols = await this.book.openSymbols();
    const report: PaperFillsReport = { symbols: symbols.length, filled: 0, failed: [] };
    for (const symbol of symbols) {
      let last: { price: Decimal; latencyMs: number };
      try {
        last = await this.paper.lastPrice(symbol);
      } catch (e) {
        report.failed.push({ symbol, error: e instanceof DomainError ? e.message : 'unexpected error' });
        continue;
      }
      for (const o of await this.book.openOrders(symbol)) {
        const order = { ...o, price: new Decimal(o.price!), stopPrice: o.stopPrice ? new Decimal(o.stopPrice) : null };
        if (!crosses(order, last.price)) continue;
        const done = await this.uow.run(async () => {
          await this.book.lockAccount(o.userId, this.config.paperStartUsdt, this.clock.now());
          const now = await this.book.find(o.userId, o.symbol, o.orderId);
          if (now?.status !== 'NEW') return false; // cancelled, or its OCO sibling filled first
          const filled = await this.ledger.fill(now, order.price, last.latencyMs, true);
          if (filled.role === 'ENTRY') await this.ledger.protect(filled);
          return true;
        });
        if (done) report.filled++;
      }
    }
    if (report.symbols) this.logger.log({ message: 'paper fills checked', ...report, failed: report.failed.length });
    return report;
  }
}
