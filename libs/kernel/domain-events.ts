/**
 * In-process, synchronous domain events. Handlers run inside the publisher's
 * transaction (same async context), so a subscriber's writes commit with the
 * publisher's change or not at all. Used where one context must react to another
 * without importing it (e.g. funds opens an account when identity registers a user).
 */
export interface DomainEvent {
  readonly name: string;
}

type Handler<E extends DomainEvent> = (event: E) => Promise<void>;

export class DomainEventBus {
  private readonly handlers = new Map<string, Handler<DomainEvent>[]>();

  subscribe<E extends DomainEvent>(name: E['name'], handler: Handler<E>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<DomainEvent>);
    this.handlers.set(name, list);
  }

  async publish<E extends DomainEvent>(event: E): Promise<void> {
    for (const handler of this.handlers.get(event.name) ?? []) await handler(event);
  }
}
