/**
 * Runs the same firmware image directly under Node over the same virtual
 * devices: the fast path for debugging, and the speed reference for
 * benchmarks. No memory or CPU budget is enforced here (QuickJS does that).
 */
import * as vm from 'vm';
import type { FirmwareImage, Hal, SocketConnectOptions } from '../../hal/contract';
import type { FirmwareEngine } from './firmware-engine';
import { FaultError, classifyFault } from './firmware-fault';

export class NodeEngine implements FirmwareEngine {
  readonly kind = 'node' as const;
  /** Node survives anything the firmware does (its errors are ordinary exceptions). */
  readonly crashed = false;
  private inFlight = 0;
  /** After a reboot or power-off the old firmware instance must hear nothing more. */
  private disposed = false;

  constructor(private readonly code: string, private readonly deliver: (label: string, fn: () => void) => void) {}

  boot(hal: Hal): void {
    // A fresh evaluation per boot: nothing of the previous boot's RAM survives a reboot.
    // The wrapper sits on its own line (lineOffset -1) so guest stack positions match the source map.
    const image = vm.runInThisContext(`(function(){\n${this.code}\n;return PhoneFirmware;})()`, { filename: 'firmware.js', lineOffset: -1 }) as FirmwareImage;
    this.enter(() => image.boot(this.trackAsync(hal)));
  }

  enter(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      const err = e as Error;
      const fault = classifyFault(err.name ?? 'Error', err.message ?? String(e), err.stack ?? '', false);
      throw new FaultError(fault.kind, fault.message, fault.stack);
    }
  }

  pendingHostCalls(): number {
    return this.inFlight;
  }

  memoryUsage(): number {
    return process.memoryUsage().heapUsed;
  }

  /** Node's heap is shared by every phone of the process: no per-phone peak. */
  memoryPeak(): number {
    return 0;
  }

  allocatorPeak(): number {
    return 0;
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Count the firmware's pending network and line calls, and deliver their answers through the gate as QuickJS does. */
  private trackAsync(hal: Hal): Hal {
    const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => (...a: A): Promise<R> => {
      this.inFlight++;
      return new Promise<R>((resolve, reject) => {
        f(...a).then(
          (v) => { this.inFlight--; if (!this.disposed) this.deliver('settle', () => resolve(v)); },
          (e) => { this.inFlight--; if (!this.disposed) this.deliver('settle', () => reject(e)); },
        );
      });
    };
    const line = hal.line;
    return {
      ...hal,
      // Node enforces no limit of its own here (QuickJS does the board's).
      runtime: { memoryUsage: () => ({ heapBytes: process.memoryUsage().heapUsed, limitBytes: 0 }) },
      net: { ...hal.net, request: wrap(hal.net.request.bind(hal.net)) },
      ...(hal.ldap ? { ldap: { search: wrap(hal.ldap.search.bind(hal.ldap)) } } : {}),
      ...(hal.udp ? { udp: { send: wrap(hal.udp.send.bind(hal.udp)), exchange: wrap(hal.udp.exchange.bind(hal.udp)) } } : {}),
      // As through the QuickJS bridge: connect and write are host calls whose answers come through the gate.
      ...(hal.httpServer ? { httpServer: { serve: wrap(hal.httpServer.serve.bind(hal.httpServer)), stop: hal.httpServer.stop.bind(hal.httpServer) } } : {}),
      ...(hal.socket ? { socket: { connect: (o: SocketConnectOptions) => wrap(hal.socket!.connect.bind(hal.socket))(o).then((c) => ({ ...c, write: wrap(c.write) })) } } : {}),
      line: {
        onEvent: line.onEvent.bind(line),
        register: wrap(line.register.bind(line)),
        unregister: wrap(line.unregister.bind(line)),
        dial: wrap(line.dial.bind(line)),
        answer: wrap(line.answer.bind(line)),
        reject: wrap(line.reject.bind(line)),
        hangup: wrap(line.hangup.bind(line)),
        hold: wrap(line.hold.bind(line)),
        transfer: wrap(line.transfer.bind(line)),
        attendedTransfer: wrap(line.attendedTransfer.bind(line)),
        forward: wrap(line.forward.bind(line)),
      },
    };
  }
}
