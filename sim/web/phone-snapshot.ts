/** What the browser UI shows of a phone, as JSON: board, power state, screen text model, far-end calls. */
import type { KeyName, ScreenText } from '../../hal/contract';
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
  };
}
