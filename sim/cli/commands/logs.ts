/**
 * `phone logs`: the device logs kept in a flash image (written by `phone sim`
 * or a scenario, with its `.keys.json` keystore side file): the `.tgz` log
 * package the phone's web interface offers as "Download Logs", or one log
 * printed. Made by the firmware's own code (firmware/logs/log-package.ts).
 */
import { Command } from 'commander';
import * as fs from 'fs';
import { boardProfile } from '../../../hal/boards';
import { Keystore, NodeCryptoEngine } from '../../devices/crypto';
import { logPackageFromFlash, logTextFromFlash } from '../../logs/log-package-from-flash';

interface ImageOptions { flash: string; board: string }

function readImage(o: ImageOptions) {
  const profile = boardProfile(o.board);
  let image: Buffer;
  try {
    image = fs.readFileSync(o.flash);
  } catch (e) {
    throw new Error(`cannot read flash image ${o.flash}: ${(e as Error).message}`);
  }
  const keysFile = o.flash + '.keys.json';
  if (!fs.existsSync(keysFile)) throw new Error(`no keystore ${keysFile}: the logs are encrypted under keys kept beside the image`);
  return { profile, image, crypto: new NodeCryptoEngine(Keystore.load(keysFile)) };
}

export function logsCommand(): Command {
  const logs = new Command('logs').description('device logs in a flash image: the .tgz log package (app and boot logs, CDR), or one log printed');

  logs.command('package')
    .description('write the log package (.tgz: <MAC>-app.log, <MAC>-boot.log, <MAC>-cdr.jsonl, README.txt; GMT times; no call lists, directory or user profiles)')
    .requiredOption('--flash <image>', 'raw flash image (its keystore is <image>.keys.json)')
    .option('--board <id>', 'board profile of the image', 'desk-500')
    .option('--mac <mac>', 'MAC address used in the file names (default: the board profile\'s)')
    .option('-o, --out <file>', 'where to write the .tgz', 'logs.tgz')
    .action(async (o: ImageOptions & { mac?: string; out: string }) => {
      const { profile, image, crypto } = readImage(o);
      const bytes = await logPackageFromFlash({ image, profile, crypto, mac: o.mac ?? profile.mac });
      fs.writeFileSync(o.out, bytes);
      console.log(`wrote ${o.out} (${bytes.length} bytes)`);
    });

  logs.command('show')
    .description('print app.log or boot.log (every kept file, oldest first)')
    .requiredOption('--flash <image>', 'raw flash image (its keystore is <image>.keys.json)')
    .option('--board <id>', 'board profile of the image', 'desk-500')
    .option('--log <name>', 'app or boot', 'app')
    .action((o: ImageOptions & { log: string }) => {
      if (o.log !== 'app' && o.log !== 'boot') throw new Error(`--log is app or boot, not "${o.log}"`);
      const { profile, image, crypto } = readImage(o);
      process.stdout.write(logTextFromFlash({ image, profile, crypto }, o.log));
    });

  return logs;
}
