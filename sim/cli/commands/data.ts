/**
 * `phone data export --flash IMG`: "My Data" for admins (data-subject access
 * and portability): what a flash image holds about one user (or the phone's
 * owner), made by the firmware's own exporter (firmware/reset/data-export.ts)
 * from the data-class declarations. Needs the image's `.keys.json`.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { boardProfile } from '../../../hal/boards';
import { exportPersonalData, type PersonalDataExport } from '../../../firmware/reset/data-export';
import { FileStore } from '../../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../devices/crypto';
import { VirtualFlash } from '../../devices/flash';
import { declaredClasses } from '../../reset/reset-matrix';

export function exportFromImage(o: { flash: string; board: string; user?: string }): PersonalDataExport {
  const profile = boardProfile(o.board);
  const keysFile = o.flash + '.keys.json';
  if (!fs.existsSync(keysFile)) throw new Error(`no keystore ${keysFile}: personal data is encrypted under keys kept beside the image`);
  let image: Buffer;
  try {
    image = fs.readFileSync(o.flash);
  } catch (e) {
    throw new Error(`cannot read flash image ${o.flash}: ${(e as Error).message}`);
  }
  // A copy: mounting may finish an interrupted erase, and the image file stays as it was.
  const flash = VirtualFlash.fromImage(profile.flash, image);
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(Keystore.load(keysFile)));
  return exportPersonalData(store, declaredClasses(), { user: o.user ?? null, mac: profile.mac, at: new Date().toISOString() }, (m) => console.error(m));
}

export function dataCommand(): Command {
  const data = new Command('data').description('data-subject rights on a flash image: export everything the phone holds about a user');
  data.command('export')
    .description('write <owner>-mydata.json (every personal data class, from the declarations) and <owner>-calls.xml / <owner>-directory.xml (Polycom formats)')
    .requiredOption('--flash <image>', 'raw flash image (its keystore is <image>.keys.json)')
    .option('--board <id>', 'board profile of the image', 'desk-500')
    .option('--user <id>', 'the user (default: the phone\'s own data, nobody logged in)')
    .option('-o, --out <dir>', 'where to write the files', '.')
    .action((o: { flash: string; board: string; user?: string; out: string }) => {
      const result = exportFromImage(o);
      fs.mkdirSync(o.out, { recursive: true });
      for (const f of result.files) fs.writeFileSync(path.join(o.out, f.name), f.text);
      console.log(`wrote ${result.files.map((f) => path.join(o.out, f.name)).join(', ')} (classes: ${result.classes.join(', ')})`);
    });
  return data;
}
