// The services of one platform while they run: started in waves in the order their `after` allows, looked up
// by key, and stopped together (then what must close after them, such as the platform's own edge).
import type { ServiceModule, Stoppable } from './service-contract';
import type { PlatformServices } from './service-modules';

/**
 * The services that run, by key, and how they stop. Started in waves: each wave is every module whose `after`
 * services already run, side by side; a failed start fails the whole start, and what did start is stopped by
 * the caller (stopAll).
 */
export class RunningServices {
  private readonly byKey = new Map<string, Stoppable>();
  private readonly inOrder: { module: ServiceModule<string, Stoppable>; running: Stoppable }[] = [];
  private readonly last: (() => Promise<void>)[] = [];

  async start(
    modules: readonly ServiceModule<string, Stoppable>[],
    start: (module: ServiceModule<string, Stoppable>) => Promise<Stoppable>,
  ): Promise<void> {
    const keys = new Set(modules.map((module) => module.key));
    let pending = [...modules];
    while (pending.length > 0) {
      const ready = pending.filter((module) =>
        (module.after ?? []).every((key) => this.byKey.has(key) || !keys.has(key)),
      );
      if (ready.length === 0) {
        throw new Error(
          `service modules wait on each other: ${pending.map((module) => module.key).join(', ')}`,
        );
      }
      pending = pending.filter((module) => !ready.includes(module));
      const settled = await Promise.allSettled(
        ready.map(async (module) => {
          const running = await start(module);
          this.byKey.set(module.key, running);
          this.inOrder.push({ module, running });
        }),
      );
      const failure = settled.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    }
    // The list's order, not the order starts finished in: what the summary and endpoints.json follow.
    this.inOrder.sort((a, b) => modules.indexOf(a.module) - modules.indexOf(b.module));
  }

  of(module: ServiceModule<string, Stoppable>): Stoppable {
    const running = this.byKey.get(module.key);
    if (!running) throw new Error(`the ${module.key} service is not running`);
    return running;
  }

  optional(module: ServiceModule<string, Stoppable>): Stoppable | undefined {
    return this.byKey.get(module.key);
  }

  withModules(): { module: ServiceModule<string, Stoppable>; running: Stoppable }[] {
    return [...this.inOrder];
  }

  services(): PlatformServices {
    return Object.fromEntries(this.byKey) as unknown as PlatformServices;
  }

  closeLast(close: () => Promise<void>): void {
    this.last.push(close);
  }

  /** Every service side by side, then what closes last (the platform's own edge). */
  async stopAll(): Promise<void> {
    const results = await Promise.allSettled(this.inOrder.map(({ running }) => running.stop()));
    await Promise.allSettled(this.last.map((close) => close()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
