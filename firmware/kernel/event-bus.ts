/** Typed publish/subscribe between modules; a failing subscriber does not stop the others. */
import type { Guard } from './guard';

export class EventBus<Events extends Record<string, unknown>> {
  private handlers = new Map<keyof Events, ((payload: any) => void)[]>();

  constructor(private readonly guard: Guard) {}

  on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void {
    const wrapped = this.guard(`event ${String(event)}`, handler);
    const list = this.handlers.get(event) ?? [];
    list.push(wrapped);
    this.handlers.set(event, list);
    return () => this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== wrapped));
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const h of [...(this.handlers.get(event) ?? [])]) h(payload);
  }
}
