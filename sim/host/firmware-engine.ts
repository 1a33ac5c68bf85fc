/** What the phone needs of an engine that runs the firmware image. */
import type { Hal } from '../../hal/contract';
import type { EngineKind } from '../phone-api';

export interface FirmwareEngine {
  readonly kind: EngineKind;
  /** Evaluate the image and call its boot(hal). Throws FaultError. */
  boot(hal: Hal): void;
  /** Run one host→guest entry (key, timer, event, settlement). Throws FaultError. */
  enter(fn: () => void): void;
  /** Host calls started by the firmware and not yet answered (network, line). */
  pendingHostCalls(): number;
  memoryUsage(): number;
  /** Highest memoryUsage() sampled since boot or the last reset (0 when the engine does not sample). */
  memoryPeak(reset?: boolean): number;
  /** Most bytes the engine's allocator held at once since boot or the last reset, exactly (0 when not kept). */
  allocatorPeak(reset?: boolean): number;
  /** The engine can run no more firmware (QuickJS left unusable): the phone restarts it, as a watchdog would. */
  readonly crashed: boolean;
  dispose(): void;
}
