/**
 * The browser UI's inspector: what the phone holds, seen from the host.
 * Configuration values with the layer and file that set them (the firmware's
 * own ConfigService, booted in this process from a copy of the phone's flash
 * and keys, as `phone config explain --flash` does), the calls, the LEDs,
 * and the store's files and data classes (the `phone inspect` code on a
 * flash dump: no keys needed, nothing decrypted).
 */
import { inspectImage } from '../cli/commands/inspect';
import { bootInProcess } from '../host/in-process-firmware';
import type { Phone } from '../phone';
import type { FarEndCall } from '../phone-api';
import { phoneLeds, type PhoneSnapshot } from './phone-snapshot';

export interface ConfigRow {
  name: string;
  /** The value, or `(secret, N characters)`. */
  value: string;
  layer: string;
  source: string;
  module: string;
  /** Other layers that also have a value (overridden by this one). */
  overridden: string[];
}

export interface StoreFile {
  partition: string;
  path: string;
  dataClass: string;
  user: string;
  bytes: number;
}

export interface PhoneInspection {
  config: ConfigRow[];
  configError?: string;
  calls: FarEndCall[];
  leds: PhoneSnapshot['leds'];
  store: {
    partitions: { name: string; store: boolean; liveFiles: number | null; wear: { min: number; max: number; mean: number } | null; classes: Record<string, { liveRecords: number; liveBytes: number; staleRecords: number; staleBytes: number }> }[];
    files: StoreFile[];
  };
}

export function inspectPhone(phone: Phone): PhoneInspection {
  const dump = phone.dumpFlash();
  const report = inspectImage(dump, phone.profile);
  const files = new Map<string, StoreFile>();
  for (const p of report.partitions) {
    for (const r of p.records) {
      if (r.live !== true || !r.path) continue;
      const key = `${p.name}/${r.path}`;
      const f = files.get(key) ?? { partition: p.name, path: r.path, dataClass: r.cls, user: r.user, bytes: 0 };
      f.bytes += r.end - r.start;
      files.set(key, f);
    }
  }
  let config: ConfigRow[] = [];
  let configError: string | undefined;
  try {
    config = configValues(phone);
  } catch (e) {
    configError = `configuration not readable: ${(e as Error).message}`;
  }
  return {
    config, ...(configError ? { configError } : {}),
    calls: phone.farEnd.calls(),
    leds: phoneLeds(phone),
    store: {
      partitions: report.partitions.map((p) => ({ name: p.name, store: p.store, liveFiles: p.liveFiles, wear: p.wear, classes: p.classes })),
      files: [...files.values()].sort((a, b) => a.partition.localeCompare(b.partition) || a.path.localeCompare(b.path)),
    },
  };
}

/** Every parameter not at its default, with the layer and file that set it; secrets by length only. */
function configValues(phone: Phone): ConfigRow[] {
  // A copy in memory: the phone's keys never go to a file.
  const copy = bootInProcess({ board: phone.board, copyOf: { flash: phone.dumpFlash(), keys: phone.devices.crypto.keystore }, mac: phone.mac });
  const { config, kernel } = copy.booted;
  const rows: ConfigRow[] = [];
  for (const p of kernel.modules.parameters()) {
    const e = config.explain(p.name);
    if (!e.known || !e.layer || e.layer === 'default') continue;
    const value = e.secret ? `(secret, ${(e.value ?? '').length} characters)` : e.value ?? '';
    const overridden = e.candidates.filter((c) => c.layer !== 'default' && (c.layer !== e.layer || c.source !== e.source)).map((c) => `${c.layer} (${c.source})`);
    rows.push({ name: p.name, value, layer: e.layer, source: e.source ?? '', module: p.module, overridden });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
