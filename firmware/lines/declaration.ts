/**
 * SIP lines (Polycom UC Software `reg.x.*` and `voIpProt.server.x.*`).
 * Declared for lines 1..MAX_LINES (the largest board); a board registers only
 * its own `BoardInfo.lineCount` lines and logs values for lines it lacks.
 *
 * Defaults and ranges are Polycom's (UC Software administrator guide), with
 * these differences, documented in docs/lines.md:
 * - transport `DNSnaptr` (the default) is taken as UDP: the phone does no
 *   NAPTR/SRV look-up (Polycom also uses UDP when the address is an IP
 *   address or a port is given); `TCPpreferred` is taken as TCP (no UDP
 *   fallback).
 * - server y = 2 is accepted but not yet used for fail-over.
 * - string lengths are capped at 255 characters.
 */
import type { ModuleDeclaration, ParameterDeclaration } from '../kernel/declaration';

/** Lines of the largest board (desk-500). */
export const MAX_LINES = 4;
/** Servers per line / default servers declared (Polycom: y and x from 1). */
export const MAX_SERVERS = 2;
export const TRANSPORTS = ['DNSnaptr', 'TCPpreferred', 'UDPOnly', 'TLS', 'TCPOnly'];

function serverParameters(prefix: string, what: string, fallback: string): ParameterDeclaration[] {
  return [
    { name: `${prefix}.address`, type: 'string', default: '', maxLength: 255, description: `${what}: host name or IP address of the SIP registrar${fallback}.` },
    { name: `${prefix}.port`, type: 'integer', default: 0, min: 0, max: 65535, description: `${what}: port of the registrar (0: 5060, or 5061 for TLS)${fallback}.` },
    { name: `${prefix}.transport`, type: 'enum', default: 'DNSnaptr', values: TRANSPORTS, description: `${what}: transport to the registrar (DNSnaptr is taken as UDP: no NAPTR/SRV look-up; TCPpreferred as TCP)${fallback}.` },
    { name: `${prefix}.expires`, type: 'integer', default: 3600, min: 10, max: 2147483647, description: `${what}: registration period requested, seconds${fallback}.` },
  ];
}

function lineParameters(x: number): ParameterDeclaration[] {
  const params: ParameterDeclaration[] = [
    { name: `reg.${x}.address`, type: 'string', default: '', maxLength: 255, description: `Line ${x}: user part (1001) or user@host of the address of record (empty: line ${x} unused).` },
    { name: `reg.${x}.displayName`, type: 'string', default: '', maxLength: 255, description: `Line ${x}: display name sent in the From header.` },
    { name: `reg.${x}.label`, type: 'string', default: '', maxLength: 255, description: `Line ${x}: text beside the line key and on the idle screen (empty: the user part of reg.${x}.address).` },
    { name: `reg.${x}.auth.userId`, type: 'string', default: '', maxLength: 255, description: `Line ${x}: digest authentication user id (empty: the user part of reg.${x}.address).` },
    { name: `reg.${x}.auth.password`, type: 'string', default: '', maxLength: 255, secret: true, description: `Line ${x}: digest authentication password.` },
  ];
  for (let y = 1; y <= MAX_SERVERS; y++) {
    params.push(...serverParameters(`reg.${x}.server.${y}`, `Line ${x} server ${y}`, y === 1 ? ` (empty or 0: voIpProt.server.1.*)` : ' (accepted; fail-over to server 2 is not implemented)'));
  }
  return params;
}

const parameters: ParameterDeclaration[] = [];
for (let x = 1; x <= MAX_LINES; x++) parameters.push(...lineParameters(x));
for (let x = 1; x <= MAX_SERVERS; x++) {
  parameters.push(...serverParameters(`voIpProt.server.${x}`, `Default server ${x}`, x === 1 ? ' for lines that set none' : ' (accepted; fail-over to server 2 is not implemented)'));
}

export const linesDeclaration: ModuleDeclaration = {
  name: 'lines',
  parameters,
  dataClasses: [],
  screens: [],
};
