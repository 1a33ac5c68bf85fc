/**
 * Terminal mode of `phone sim --phones N` (no --web): the usual terminal
 * commands act on the current phone; `phone NAME` makes another one current,
 * `phones` lists them. Screens (on change), call changes and log lines are
 * printed with the phone's name in front (`B| …`), unless quiet.
 */
import * as readline from 'readline';
import type { ServedPhone } from '../web/server';
import { formatScreen } from './screen-text';
import { CallWatcher, runTerminalCommand } from './terminal';

export const NETWORK_TERMINAL_COMMANDS = `
With --phones N (terminal mode):
  phone NAME           the commands that follow act on phone NAME (A, B, …)
  phones               list the phones: name, extension, state, screen`;

export interface NetworkTerminalOptions {
  quiet: boolean;
  prompt: boolean;
  quit(): Promise<void>;
}

/** Start printing and reading commands; returns once stdin is being read. */
export function startNetworkTerminal(served: ServedPhone[], o: NetworkTerminalOptions): void {
  let current = served[0];
  const screens = new Map<string, string>();
  const watchers = new Map(served.map((s) => [s.name, new CallWatcher(s.phone, (line) => console.log(`${s.name}| ${line}`))]));
  const printScreen = (s: ServedPhone, force = false) => {
    if (s.phone.state !== 'running') return;
    const text = formatScreen(s.phone.screen());
    if (force || text !== screens.get(s.name)) console.log(text.split('\n').map((l) => `${s.name}| ${l}`).join('\n'));
    screens.set(s.name, text);
  };
  const lookAll = () => {
    for (const s of served) {
      printScreen(s);
      watchers.get(s.name)!.check();
    }
  };
  if (!o.quiet) {
    for (const s of served) s.phone.onLog((line) => console.log(`${s.name}| ${line}`));
    setInterval(lookAll, 200).unref();
    for (const s of served) printScreen(s, true);
  }
  console.log(`phone sim: phone ${current.name} is current; "phone B" switches, "help" lists the commands`);

  const rl = readline.createInterface({ input: process.stdin, output: o.prompt ? process.stdout : undefined, terminal: o.prompt && process.stdin.isTTY === true, prompt: `${current.name}> ` });
  let previous: Promise<void> = Promise.resolve();
  rl.on('line', (line) => {
    previous = previous.then(async () => {
      const [command, arg] = line.trim().split(/\s+/);
      try {
        if (command === 'phone') {
          const next = served.find((s) => s.name === arg);
          if (!next) throw new Error(`no phone "${arg ?? ''}" (phones: ${served.map((s) => s.name).join(', ')})`);
          current = next;
          rl.setPrompt(`${current.name}> `);
          console.log(`phone sim: phone ${current.name} (${current.extension}) is current`);
        } else if (command === 'phones') {
          for (const s of served) console.log(`${s.name === current.name ? '*' : ' '} ${s.name} ${s.extension} ${s.phone.state}${s.phone.state === 'running' ? ` [${s.phone.screen().id}]` : ''}`);
        } else if (command === 'help') {
          await runTerminalCommand('help', { phone: current.phone, pacer: current.pacer, quit: o.quit });
          console.log(NETWORK_TERMINAL_COMMANDS.trim());
        } else if (command === 'screen') {
          // With several phones, say whose screen it is.
          await current.pacer.run(() => console.log(formatScreen(current.phone.screen()).split('\n').map((l) => `${current.name}| ${l}`).join('\n')));
        } else {
          await runTerminalCommand(line, { phone: current.phone, pacer: current.pacer, quit: o.quit });
        }
      } catch (e) {
        console.error(`phone sim: ${(e as Error).message}`);
      }
      // What the command did reaches the other phones a host turn later.
      await new Promise((r) => setImmediate(r));
      if (!o.quiet) lookAll();
      if (o.prompt) rl.prompt();
    });
  });
  if (o.prompt) rl.prompt();
}
