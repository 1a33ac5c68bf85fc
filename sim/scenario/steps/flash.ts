/** Steps about the raw flash: dump it to a file, scan the dump for strings that must (not) be there. */
import * as path from 'path';
import { findRawStrings } from '../../forensics/scan';
import { asString, asStringList, fields } from '../argument';
import type { StepKind } from '../scenario';

export const dumpFlash: StepKind<string> = {
  name: 'dumpFlash',
  help: 'write the raw flash (all partitions, board order) to a file in the artifacts folder, for `phone inspect`',
  example: 'after-reset.img',
  parse: (a) => asString(a, 'dumpFlash'),
  run: async (ctx, file) => {
    const out = ctx.artifact(file);
    ctx.phone.saveFlash(out);
    ctx.note(`flash dump ${path.relative(process.cwd(), out)} (${ctx.phone.dumpFlash().length} bytes)`);
  },
};

export interface ScanArgs { absent: string[]; present: string[] }

export const scanFlash: StepKind<ScanArgs> = {
  name: 'scanFlash',
  help: 'forensic scan of the raw flash dump (UTF-8 and UTF-16): `absent` strings must not occur anywhere, `present` ones must',
  example: { absent: ['Alice Example', '+4930123456'] },
  parse: (a) => {
    const o = fields(a, ['absent', 'present'], 'scanFlash');
    const args = {
      absent: o.absent === undefined ? [] : asStringList(o.absent, 'scanFlash.absent'),
      present: o.present === undefined ? [] : asStringList(o.present, 'scanFlash.present'),
    };
    if (args.absent.length + args.present.length === 0) throw new Error('scanFlash: give `absent` and/or `present` strings');
    return args;
  },
  label: (a) => `scan flash: ${a.absent.length} absent, ${a.present.length} present`,
  run: async (ctx, a) => {
    const { phone } = ctx;
    const hits = findRawStrings(phone.dumpFlash(), [...a.absent, ...a.present], phone.profile.flash);
    const found = (s: string) => hits.filter((h) => h.needle === s);
    const problems: string[] = [];
    for (const s of a.absent) {
      const h = found(s);
      if (h.length > 0) problems.push(`"${s}" found ${h.length}× (${h.slice(0, 3).map((x) => `${x.encoding} at ${x.partition}+0x${x.partitionOffset.toString(16)} block ${x.block}`).join(', ')})`);
    }
    for (const s of a.present) if (found(s).length === 0) problems.push(`"${s}" not found`);
    ctx.note(`scanned ${phone.dumpFlash().length} bytes: ${hits.length} hits`);
    if (problems.length > 0) throw new Error(problems.join('; '));
  },
};

export const flashSteps: StepKind[] = [dumpFlash, scanFlash];
