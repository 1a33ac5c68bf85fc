/** What the browser UI shows of a phone, as JSON: board, power state, screen text model, far-end calls, LEDs. */
import type { KeyName, LedName, LedState, ScreenText } from '../../hal/contract';
import type { FirmwareBuildInfo } from '../host/firmware-build-info';
import type { Phone } from '../phone';
import type { FarEndCall, PhoneState } from '../phone-api';

export interface PhoneSnapshot {
  board: { id: string; model: string; description: string; display: { width: number; height: number; format: string }; keys: KeyName[] };
  engine: string;
  state: PhoneState;
  bootReason: string;
  bootCount: number;
  /** Virtual wall clock, ms since epoch. */
  virtualTime: number;
  screen: ScreenText;
  calls: FarEndCall[];
  /** The board's LEDs the firmware drives, in panel order, with their state (`off` until set). */
  leds: { led: LedName; state: LedState }[];
  /** Which build runs: version, code hash, build time (null for an image made in memory). */
  build: FirmwareBuildInfo | null;
  /** The phone's own web interface (Web Configuration Utility): HTTPS URL, else HTTP, else null (off). */
  webUrl: string | null;
}

/** LEDs the browser shows: message waiting, the board's line keys, mute (speaker and headset LEDs are not driven). */
export function phoneLeds(phone: Phone): PhoneSnapshot['leds'] {
  const names: LedName[] = ['messageWaiting', ...(['line1', 'line2', 'line3', 'line4', 'mute'] as const).filter((k) => phone.profile.keys.includes(k))];
  return names.map((led) => ({ led, state: phone.devices.leds.state[led] ?? 'off' }));
}

export function phoneSnapshot(phone: Phone): PhoneSnapshot {
  const p = phone.profile;
  return {
    board: { id: p.profile, model: p.model, description: p.description, display: { ...p.display }, keys: [...p.keys] },
    engine: phone.engine,
    state: phone.state,
    bootReason: phone.lastBootReason(),
    bootCount: phone.devices.power.bootCount(),
    virtualTime: phone.devices.clock.now(),
    screen: phone.screen(),
    calls: phone.farEnd.calls(),
    leds: phoneLeds(phone),
    build: phone.build,
    webUrl: phone.webUrls().https ?? phone.webUrls().http,
  };
}
