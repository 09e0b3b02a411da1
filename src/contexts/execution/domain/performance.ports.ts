import { Fill, FillMode } from './performance';

export interface FillQuery {
  userId: string;
  /** Fills up to this instant (earlier ones build the FIFO lots). */
  to: Date;
  exchange?: string;
  modes: FillMode[];
}

/** One place that recorded fills: broker orders, synced exchange orders, paper fills. */
export abstract class FillSource {
  abstract fills(q: FillQuery): Promise<Fill[]>;
}

/** execution's own broker orders that are FILLED. */
export abstract class BrokerFills extends FillSource {}

/** Paper fills of the current paper epoch (mode=paper). */
export abstract class PaperFills extends FillSource {}
