import { DomainEvent } from '@kernel';

/** Published inside the registration transaction (DomainEventBus): subscribers' writes commit with the new user. */
export interface UserRegistered extends DomainEvent {
  readonly name: 'identity.user_registered';
  readonly userId: string;
  readonly email: string;
}
