/** The set of virtual devices one simulated phone is made of. */
import type { BoardProfile } from '../../hal/boards';
import { VirtualClock } from '../devices/clock';
import { NodeCryptoEngine, Keystore } from '../devices/crypto';
import { VirtualDisplay } from '../devices/display';
import { VirtualFlash } from '../devices/flash';
import { VirtualKeys } from '../devices/keys';
import { VirtualLeds } from '../devices/leds';
import { VirtualLine } from '../devices/line';
import { HostLdap } from '../devices/ldap';
import { HostNet } from '../devices/net';
import { HostUdp } from '../devices/udp';
import { VirtualPower } from '../devices/power';
import { VirtualSerial } from '../devices/serial';
import { HostSocket } from '../devices/socket';
import { FolderUsb } from '../devices/usb';
import { SimHttpServer } from '../devices/http-server';

export interface VirtualDevices {
  flash: VirtualFlash;
  crypto: NodeCryptoEngine;
  clock: VirtualClock;
  display: VirtualDisplay;
  keys: VirtualKeys;
  leds: VirtualLeds;
  line: VirtualLine;
  net: HostNet;
  ldap: HostLdap;
  udp: HostUdp;
  usb: FolderUsb;
  power: VirtualPower;
  serial: VirtualSerial;
  socket: HostSocket;
  httpServer: SimHttpServer;
}

export interface DeviceOptions {
  flash: VirtualFlash;
  keystore: Keystore;
  power: VirtualPower;
  startTime: number;
  usbDir: string | null;
  mac: string;
}

export function createVirtualDevices(profile: BoardProfile, o: DeviceOptions): VirtualDevices {
  const clock = new VirtualClock(o.startTime);
  const net = new HostNet();
  const ldap = new HostLdap();
  ldap.followLink(() => net.linkUp());
  const udp = new HostUdp();
  udp.followLink(() => net.linkUp());
  const crypto = new NodeCryptoEngine(o.keystore);
  const serial = new VirtualSerial();
  return {
    flash: o.flash,
    crypto,
    clock,
    display: new VirtualDisplay(profile.display.width, profile.display.height, profile.display.format),
    keys: new VirtualKeys(profile.keys),
    leds: new VirtualLeds(),
    line: new VirtualLine(clock, `sip:${o.mac}@pbx.local`),
    net,
    ldap,
    udp,
    usb: new FolderUsb(o.usbDir),
    power: o.power,
    serial,
    socket: new HostSocket(() => net.linkUp()),
    httpServer: new SimHttpServer(crypto, (line) => serial.write(`[sim] ${line}`)),
  };
}
