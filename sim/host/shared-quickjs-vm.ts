/**
 * Shared code for fleets: one QuickJS runtime in which up to
 * PHONES_PER_SHARED_VM phones of one board each have their own context
 * (own globals, intrinsics and heap objects) and all run one copy of the
 * image's compiled code (quickjs-bytecode-module.ts, readSharedScript). An
 * idle phone then costs its own state only: the image's functions, constants
 * and names (about 1.2 MiB per phone when each has its own runtime) exist
 * once per runtime.
 *
 * What a phone gives up against its own runtime (sim/phone-api.ts,
 * `sharedCode`), and how the rest is kept:
 * - CPU budget: unchanged. Entries never overlap, so the runtime's interrupt
 *   handler asks the phone whose entry is running.
 * - Memory budget: the runtime counts real bytes (O(1)); each phone is
 *   charged what the runtime grew by during its entries. Cycles are
 *   collected only between entries (collectIfGrown); the bytes a collection
 *   frees are credited to the phones that grew since the last one, in
 *   proportion. So a phone's figure is an estimate, not a walk of its own
 *   objects; a runaway allocation inside one entry is still caught at once.
 * - Crash isolation: a firmware fault, budget trip or restart touches one
 *   phone. Only Node's own stack running out inside QuickJS leaves the
 *   runtime unusable: then every phone in it faults and restarts (as each
 *   would alone), in a fresh runtime.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import type { BoardProfile } from '../../hal/boards';
import { mallocBytes, newCountedRuntime, readSharedScript, runGc, type SharedScript } from './quickjs-bytecode-module';

/** Phones per runtime: bounds what one collection walks and what one lost runtime takes down. */
export const PHONES_PER_SHARED_VM = 128;
/** The runtime's own allocation limit: its phones' budgets together, within what a 32-bit WASM module can address. */
const MAX_RUNTIME_LIMIT_BYTES = 2 * 1024 * 1024 * 1024 - 1;
/** Collect cycles once the runtime has grown by this share of what it held after the last collection (and at least MIN_GC_GROWTH_BYTES). */
const GC_GROWTH_SHARE = 0.5;
const MIN_GC_GROWTH_BYTES = 4 * 1024 * 1024;

/** A phone's side of the shared runtime (QuickJsEngine): asked on every interrupt poll of its entries. */
export interface SharedVmTenant {
  onInterrupt(): boolean;
}

/** What the runtime charges one phone (see the header). */
class TenantAccount {
  /** Net bytes the runtime grew by during this phone's entries, less its share of collections. */
  bytes = 0;
  /** Growth since the last collection: the phone's claim on what the next one frees. */
  grownSinceGc = 0;
}

export class SharedQuickJsVm {
  readonly runtime: QuickJSRuntime;
  /** Holds the read code; never runs anything. */
  private readonly owner: QuickJSContext;
  private readonly script: SharedScript;
  private readonly accounts = new Map<SharedVmTenant, TenantAccount>();
  /** Tenants whose entries are running, innermost last (a host call may deliver to another phone). */
  private readonly running: { tenant: SharedVmTenant; startBytes: number }[] = [];
  private bytesAfterGc: number;
  /** Bytes charged to phones that left since the last collection: theirs to free, not credited to the others. */
  private departedBytes = 0;
  /** Node's stack ran out inside this runtime: it is never entered again nor freed. */
  broken = false;
  /** A tenant was interrupted or failed its boot: the runtime may hold objects QuickJS cannot free (freeing it would abort the module). */
  private mayLeak = false;

  private constructor(readonly module: QuickJSWASMModule, readonly profile: BoardProfile, readonly code: string, bytecode: Uint8Array) {
    this.runtime = newCountedRuntime(module);
    this.runtime.setMemoryLimit(Math.min(profile.memoryBudgetBytes * PHONES_PER_SHARED_VM, MAX_RUNTIME_LIMIT_BYTES));
    this.runtime.setMaxStackSize(profile.stackBudgetBytes);
    this.runtime.setInterruptHandler(() => {
      const top = this.running[this.running.length - 1];
      return top ? top.tenant.onInterrupt() : false;
    });
    this.owner = this.runtime.newContext();
    this.script = readSharedScript(module, this.owner, bytecode);
    this.bytesAfterGc = this.bytes();
  }

  /** A runtime of this module, board and image (`bytecode`: the image compiled) with room for one more phone (a new one when none has). */
  static join(module: QuickJSWASMModule, profile: BoardProfile, code: string, bytecode: Uint8Array, tenant: SharedVmTenant): SharedQuickJsVm {
    let vm = pool.find((v) => v.module === module && v.profile.profile === profile.profile && v.code === code && !v.broken && v.accounts.size < PHONES_PER_SHARED_VM);
    if (!vm) {
      vm = new SharedQuickJsVm(module, profile, code, bytecode);
      pool.push(vm);
    }
    vm.accounts.set(tenant, new TenantAccount());
    return vm;
  }

  newContext(): QuickJSContext {
    return this.runtime.newContext();
  }

  /** Runs the image as a global script of a tenant's context. */
  evalImage(vm: QuickJSContext): { value?: QuickJSHandle; error?: QuickJSHandle } {
    return this.script.evalIn(vm);
  }

  /** Bytes the whole runtime holds (real bytes, O(1)). */
  bytes(): number {
    return mallocBytes(this.module, this.runtime);
  }

  /** Runs a tenant's entry: its interrupt polls go to it, and what the runtime grows by is charged to it. */
  enter<T>(tenant: SharedVmTenant, run: () => T): T {
    this.running.push({ tenant, startBytes: this.bytes() });
    let completed = false;
    try {
      const result = run();
      completed = true;
      return result;
    } finally {
      const { startBytes } = this.running.pop()!;
      if (!this.broken) {
        const grown = this.bytes() - startBytes;
        // An outer entry's growth includes this inner one's: keep it out of the outer's.
        for (const outer of this.running) outer.startBytes += grown;
        const account = this.accounts.get(tenant);
        if (account) {
          account.bytes += grown;
          if (grown > 0) account.grownSinceGc += grown;
        }
        // Not after a throw: it may be Node's stack running out inside the runtime, which is then unusable.
        if (completed && this.running.length === 0) this.collectIfGrown();
      }
    }
  }

  /** Bytes charged to a tenant so far, including the entry it is running now. */
  bytesOf(tenant: SharedVmTenant): number {
    const account = this.accounts.get(tenant);
    if (!account) return 0;
    const current = this.running.find((r) => r.tenant === tenant);
    const inEntry = current ? this.bytes() - current.startBytes : 0;
    return Math.max(0, account.bytes + inEntry);
  }

  /** Cycles are collected between entries only, once the runtime has grown enough since the last collection. */
  private collectIfGrown(): void {
    const grown = this.bytes() - this.bytesAfterGc >= Math.max(MIN_GC_GROWTH_BYTES, this.bytesAfterGc * GC_GROWTH_SHARE);
    if (grown || this.departedBytes > 0) this.collect();
  }

  /**
   * One collection. What it frees beyond the departed phones' bytes (their
   * cycles, freed first) is credited to the phones that grew since the last
   * one, in proportion (see the header).
   */
  private collect(): void {
    const before = this.bytes();
    runGc(this.module, this.runtime);
    const after = this.bytes();
    const freed = Math.max(0, before - after - this.departedBytes);
    this.departedBytes = 0;
    let claims = 0;
    for (const a of this.accounts.values()) claims += a.grownSinceGc;
    for (const a of this.accounts.values()) {
      if (claims > 0) a.bytes -= Math.min(a.grownSinceGc, freed * (a.grownSinceGc / claims));
      a.grownSinceGc = 0;
    }
    this.bytesAfterGc = after;
  }

  /** Node's stack ran out inside the runtime: every tenant faults at its next entry. */
  markBroken(): void {
    this.broken = true;
  }

  markMayLeak(): void {
    this.mayLeak = true;
  }

  /**
   * A tenant leaves: `disposeContext` frees its context (null: abandoned,
   * after a crash). The last one out frees the runtime, unless it is known to
   * hold what QuickJS cannot free; an unknown leak still aborts the module
   * here (the caller taints it).
   */
  leave(tenant: SharedVmTenant, disposeContext: (() => void) | null): void {
    const before = this.bytes();
    disposeContext?.();
    // What disposing its context did not free is its cycles: collected after the next entry of any phone
    // (not here: disposing a whole fleet would walk the runtime once per phone), and not credited to the others.
    const charged = this.accounts.get(tenant)?.bytes ?? 0;
    this.departedBytes += Math.max(0, charged - (before - this.bytes()));
    this.accounts.delete(tenant);
    if (this.accounts.size > 0) return;
    const at = pool.indexOf(this);
    if (at >= 0) pool.splice(at, 1);
    if (this.broken || this.mayLeak) return;
    this.script.dispose();
    this.owner.dispose();
    this.runtime.dispose();
  }
}

const pool: SharedQuickJsVm[] = [];
