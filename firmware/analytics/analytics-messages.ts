/**
 * The payloads (schema in docs/analytics.md): one JSON envelope per message
 * with an id for de-duplication, the service that gates it and its data.
 * Only what the spec lists, and nothing that names a person: the CDR's user
 * and remote party go as keyed-hash pseudonyms (the party in clear only when
 * an admin asks), never a name from the directory or a call list.
 */
import type { BoardInfo, Runtime } from '../../hal/contract';
import type { StoreStats } from '../storage/file-store';
import type { CdrRecord } from '../calls/cdr-store';

export interface Envelope {
  id: string;
  service: string;
  mac: string;
  /** ISO-8601 UTC when the phone queued it. */
  time: string;
  /** Boot count (the restart counter) when queued. */
  boot: number;
  /** Messages dropped from the full queue since the previous message that went in. */
  droppedBefore?: number;
  data: Record<string, unknown>;
}

export interface AssetFacts {
  board: BoardInfo;
  firmwareVersion: string;
  bootReason: string;
  note: string;
  /** Minutes east of UTC of the phone's clock (it keeps GMT: 0). */
  offsetGmtMinutes: number;
}

/** The spec's 18 primary-device fields, as far as this phone knows them (null: not applicable). */
export function assetDetails(f: AssetFacts, uploadTime: string): Record<string, unknown> {
  return {
    manufacturer: 'Desk Phone Project',
    productFamily: 'desk',
    powerSource: 'PoE',
    macAddress: f.board.mac,
    pcsNumber: null,
    pcsAccountCode: null,
    regionCode: null,
    versionInformation: { application: f.firmwareVersion },
    hardwareModel: f.board.model,
    hardwareRevision: f.board.hardwareRevision,
    hardwarePartNumber: f.board.profile,
    serialNumber: f.board.serial,
    obiNumber: null,
    offsetGmt: f.offsetGmtMinutes,
    rebootType: f.bootReason,
    softwareRelease: f.firmwareVersion,
    uploadTime,
    updaterVersion: f.firmwareVersion,
    note: f.note,
  };
}

/**
 * Hardware health: the board's memory budget, the engine's heap (QuickJS in
 * the simulator; absent where the host cannot tell) and flash free space and
 * wear per partition.
 */
export function hardwareData(memoryBudgetBytes: number, runtime: Runtime | undefined, flash: { partition: string; stats: StoreStats }[]): Record<string, unknown> {
  const heap = runtime?.memoryUsage();
  return {
    memoryBudgetBytes,
    ...(heap ? { heapBytes: heap.heapBytes, heapLimitBytes: heap.limitBytes } : {}),
    flash: flash.map(({ partition, stats: s }) => ({
      partition, blocks: s.blocks, freeBlocks: s.freeBlocks, maxEraseCount: Math.max(0, ...s.eraseCounts), totalErases: s.eraseCounts.reduce((a, b) => a + b, 0),
    })),
  };
}

/** The spec's CDR fields; `pseudonym` hashes an identifier with the phone's analytics key. */
export function cdrData(r: Omit<CdrRecord, 'seq'>, pseudonym: (id: string) => string, partyInClear: boolean): Record<string, unknown> {
  return {
    user: r.user ? pseudonym(`user:${r.user}`) : '',
    remoteParty: partyInClear ? r.remoteParty.address : pseudonym(`party:${r.remoteParty.address}`),
    remotePartyPseudonymised: !partyInClear,
    direction: r.direction,
    disconnect: r.disconnect,
    startTime: r.startTime,
    durationSeconds: r.durationSeconds,
    protocol: r.protocol,
    callRate: r.callRate,
    callId: r.callId,
    remoteTag: r.remoteTag,
    localTag: r.localTag,
    obiNumber: null,
    // An emergency call's location goes with that call's CDR only.
    ...(r.emergency ? { emergency: { location: r.emergency.location } } : {}),
  };
}

/** A token of the log's own redaction (firmware/logs/log-redaction.ts): already safe, and kept whole so lines still correlate. */
const LOG_TOKEN = /(\[(?:num|user|name):[0-9a-f]{8}\])/;

/**
 * Error lines go out with anything that looks like a party removed, on top
 * of the log's own redaction: numbers of 4+ digits, SIP/tel URIs, e-mail
 * addresses and quoted text. The log's tokens pass as they are (their hex
 * would otherwise be cut into "[number]" fragments).
 */
export function redactLogText(text: string): string {
  return text.split(LOG_TOKEN).map((part, i) => (i % 2 === 1 ? part : redactFreeText(part))).join('');
}

function redactFreeText(text: string): string {
  return text
    .replace(/\b(?:sips?|tel):[^\s,;>]+/gi, '[uri]')
    .replace(/[^\s@<>"]+@[^\s@<>",;]+/g, '[address]')
    .replace(/"[^"]*"/g, '"[text]"')
    .replace(/\+?\d[\d\s().-]{2,}\d/g, (m) => (m.replace(/\D/g, '').length >= 4 ? '[number]' : m));
}
