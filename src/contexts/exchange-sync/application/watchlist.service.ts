import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, newId, RequestMeta, UnitOfWork } from '@kernel';
import { WatchlistRepository } from '../domain/exchange-sync.ports';
import { normalizeSymbol, SYMBOL_RULE, WATCHLIST_MAX_ITEMS, WatchlistItem } from '../domain/watchlist';

const badSymbol = (field: string, raw: string) =>
  DomainError.invalidField(field, `${field} ${SYMBOL_RULE} (got "${raw.slice(0, 40)}")`, { summary: SYMBOL_RULE });

/** Per-user watchlist of symbols, normalised to BTC_USDT. */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly repo: WatchlistRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  list(userId: string): Promise<WatchlistItem[]> {
    return this.repo.list(userId);
  }

  async add(userId: string, raw: string, meta: RequestMeta): Promise<WatchlistItem> {
    const symbol = normalizeSymbol(raw);
    if (!symbol) throw badSymbol('symbol', raw);
    return this.uow.run(async () => {
      if ((await this.repo.count(userId)) >= WATCHLIST_MAX_ITEMS) {
        throw DomainError.conflict('watchlist_full', `The watchlist holds at most ${WATCHLIST_MAX_ITEMS} symbols; remove one first`);
      }
      const item: WatchlistItem = { id: newId(), userId, symbol, createdAt: this.clock.now() };
      if (!(await this.repo.add(item))) throw DomainError.conflict('watchlist_duplicate', `${symbol} is already in the watchlist`);
      await this.audit.record({ eventType: 'watchlist.add', outcome: 'success', userId, payload: { symbol } }, meta);
      return item;
    });
  }

  async replace(userId: string, raws: string[], meta: RequestMeta): Promise<WatchlistItem[]> {
    if (raws.length > WATCHLIST_MAX_ITEMS) {
      throw DomainError.invalidField('symbols', `symbols must contain no more than ${WATCHLIST_MAX_ITEMS} elements`, {
        summary: `at most ${WATCHLIST_MAX_ITEMS} items`,
      });
    }
    const symbols: string[] = [];
    raws.forEach((raw, i) => {
      const s = normalizeSymbol(raw);
      if (!s) throw badSymbol(`symbols.${i}`, raw);
      if (!symbols.includes(s)) symbols.push(s);
    });
    const now = this.clock.now();
    const items = symbols.map((symbol, i) => ({ id: newId(), userId, symbol, createdAt: new Date(now.getTime() + i) }));
    await this.uow.run(async () => {
      await this.repo.replace(userId, items);
      await this.audit.record({ eventType: 'watchlist.replace', outcome: 'success', userId, payload: { symbols } }, meta);
    });
    return items;
  }

  async remove(userId: string, raw: string, meta: RequestMeta): Promise<void> {
    const symbol = normalizeSymbol(raw);
    if (!symbol) throw badSymbol('symbol', raw);
    await this.uow.run(async () => {
      if (!(await this.repo.remove(userId, symbol)))
        throw DomainError.notFound('watchlist_item_not_found', `${symbol} is not in the watchlist`);
      await this.audit.record({ eventType: 'watchlist.remove', outcome: 'success', userId, payload: { symbol } }, meta);
    });
  }
}
