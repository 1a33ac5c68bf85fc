/** Steps about the device logs: make the log package ("Download Logs") and check what it holds. */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'fflate';
import { logPackageFromFlash } from '../../logs/log-package-from-flash';
import { asString, asStringList, fields } from '../argument';
import type { StepKind } from '../scenario';

export interface LogPackageArgs { file: string; present: string[]; absent: string[] }

export const logPackage: StepKind<LogPackageArgs> = {
  name: 'logPackage',
  help: 'write the log package (.tgz: app and boot logs, CDR) to a file in the artifacts folder; `present` strings must be in it, `absent` ones must not (e.g. a call-list entry)',
  example: { file: 'logs.tgz', present: ['boot: firmware'], absent: ['Alice Example'] },
  parse: (a) => {
    const o = fields(a, ['file', 'present', 'absent'], 'logPackage');
    return {
      file: o.file === undefined ? 'logs.tgz' : asString(o.file, 'logPackage.file'),
      present: o.present === undefined ? [] : asStringList(o.present, 'logPackage.present'),
      absent: o.absent === undefined ? [] : asStringList(o.absent, 'logPackage.absent'),
    };
  },
  label: (a) => `log package ${a.file}: ${a.present.length} present, ${a.absent.length} absent`,
  run: async (ctx, a) => {
    const { phone } = ctx;
    const bytes = await logPackageFromFlash({ image: phone.dumpFlash(), profile: phone.profile, crypto: phone.devices.crypto, mac: phone.profile.mac });
    const out = ctx.artifact(a.file);
    fs.writeFileSync(out, bytes);
    ctx.note(`log package ${path.relative(process.cwd(), out)} (${bytes.length} bytes)`);
    const text = Buffer.from(gunzipSync(bytes)).toString('utf8');
    const problems = [
      ...a.present.filter((s) => !text.includes(s)).map((s) => `"${s}" not in the package`),
      ...a.absent.filter((s) => text.includes(s)).map((s) => `"${s}" is in the package`),
    ];
    if (problems.length > 0) throw new Error(problems.join('; '));
  },
};

export const logsSteps: StepKind[] = [logPackage];
