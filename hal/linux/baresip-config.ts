/**
 * The baresip configuration the Linux board runs (and the integration test
 * starts): headless, SIP and ctrl_tcp on loopback or the given address,
 * `answermode=manual` so incoming calls wait for the firmware's answer.
 * ctrl_tcp has no authentication: it must only ever listen on 127.0.0.1.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

export interface BaresipSetup {
  /** Directory for `config` and `accounts` (baresip -f). */
  dir: string;
  /** Address SIP binds to. */
  sipAddress: string;
  sipPort: number;
  ctrlPort: number;
  /** Account AOR, e.g. `sip:phone@127.0.0.1`; `;regint=0` when there is no registrar. '' : no account in the file (the firmware registers its lines with `uanew`). */
  account: string;
  registrar?: string;
}

export function writeBaresipConfig(s: BaresipSetup): void {
  mkdirSync(s.dir, { recursive: true });
  const config = [
    'poll_method epoll',
    `sip_listen ${s.sipAddress}:${s.sipPort}`,
    `net_interface ${s.sipAddress}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module ausine.so',
    'module aufile.so',
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${s.ctrlPort}`,
    // No sound hardware needed: a sine as microphone, received audio discarded.
    'audio_source ausine,440',
    'audio_player aufile,/dev/null',
    'audio_alert aufile,/dev/null',
    'ausrc_srate 48000',
    'ausrc_channels 2',
    'auplay_srate 48000',
    'auplay_channels 2',
  ].join('\n') + '\n';
  writeFileSync(join(s.dir, 'config'), config);
  const params = s.registrar ? `;outbound="${s.registrar}"` : ';regint=0';
  writeFileSync(join(s.dir, 'accounts'), s.account ? `<${s.account}>${params};answermode=manual\n` : '');
}
