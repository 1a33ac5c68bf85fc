/**
 * `phone config`: the parameter registry and where a value comes from.
 *   phone config explain NAME [--flash IMAGE] [--prov-dir DIR] [--board B]
 *   phone config unknown --prov-dir DIR [--board B] [--all] [--json]
 *   phone config params [--module M] [--json]
 *   phone config docs [--check]
 * `explain` boots the firmware in this process (sim/host/in-process-firmware.ts)
 * from a flash image and/or reads a local provisioning folder the way a
 * provisioning cycle would (master file, CONFIG_FILES, override files), then
 * asks the phone's own config service.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { PARAMETER_DOCS, declaredParameters, renderParameterDocs } from '../../../build/generate-parameter-docs';
import { parseCfg } from '../../../firmware/config/cfg-xml';
import type { ConfigService, Explanation } from '../../../firmware/config/config-service';
import { bootInProcess } from '../../host/in-process-firmware';

/** Apply a folder laid out like a provisioning server's root. Returns what was read, for the report. */
export function provisionFromFolder(config: ConfigService, dir: string, mac: string): string[] {
  const read: string[] = [];
  const file = (name: string): string | null => {
    const p = path.join(dir, name);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
  };
  const masterName = [`${mac}.cfg`, '000000000000.cfg'].find((n) => file(n) !== null);
  if (!masterName) throw new Error(`${dir}: no ${mac}.cfg or 000000000000.cfg`);
  const m = config.applyMaster(file(masterName)!, masterName);
  read.push(`${masterName}${m.ok ? '' : ` (rejected: ${m.error})`}`);
  const master = config.masterConfig();
  for (const name of master?.configFiles ?? []) {
    const text = /^[a-z]+:\/\//i.test(name) ? null : file(name);
    if (text === null) {
      read.push(`${name} (not in the folder)`);
      continue;
    }
    const r = config.applyConfigFile(name, text);
    read.push(`${name}${r.ok ? '' : ` (rejected: ${r.error})`}${r.rejected.length ? ` (${r.rejected.length} values rejected)` : ''}`);
  }
  const overridesDir = master?.fields.OVERRIDES_DIRECTORY ?? '';
  for (const [layer, name] of [['local', `${mac}-phone.cfg`], ['web', `${mac}-web.cfg`]] as const) {
    const rel = path.join(overridesDir, name);
    const text = file(rel);
    if (text === null) continue;
    const r = config.applyOverrideFile(layer, text);
    read.push(`${rel}${r.ok ? '' : ` (rejected: ${r.error})`}`);
  }
  return read;
}

export interface UnknownParameter {
  file: string;
  name: string;
  /** Characters of the value: the value itself may be a secret of a parameter this phone does not know. */
  valueLength: number;
}

/**
 * Every parameter of a provisioning folder this phone does not have, file by
 * file: the files the phone reads (the master's CONFIG_FILES and the override
 * files), or with `all` every `.cfg` below the folder but the master files.
 */
export function unknownParameters(config: ConfigService, dir: string, mac: string, all = false): { files: string[]; unknown: UnknownParameter[]; errors: string[] } {
  let files: string[];
  if (all) {
    const walk = (rel: string): string[] => fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : e.name.endsWith('.cfg') ? [path.join(rel, e.name)] : []));
    files = walk('').filter((f) => f !== `${mac}.cfg` && f !== '000000000000.cfg').sort();
  } else {
    provisionFromFolder(config, dir, mac); // reads the master the way the phone does (model child, substitution)
    const master = config.masterConfig();
    const overrides = master?.fields.OVERRIDES_DIRECTORY ?? '';
    files = [...(master?.configFiles ?? []), path.join(overrides, `${mac}-phone.cfg`), path.join(overrides, `${mac}-web.cfg`)]
      .filter((f) => !/^[a-z]+:\/\//i.test(f) && fs.existsSync(path.join(dir, f)));
  }
  const unknown: UnknownParameter[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const parsed = parseCfg(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!parsed.ok) {
      errors.push(`${file}: not read (${parsed.error})`);
      continue;
    }
    for (const a of parsed.attributes) {
      if (!config.registry.lookup(a.name)) unknown.push({ file, name: a.name, valueLength: [...a.value].length });
    }
  }
  return { files, unknown, errors };
}

export function formatExplanation(e: Explanation): string {
  if (!e.known) return `${e.name}: not a parameter of this phone`;
  // A secret (password, key) is shown by length: explanations end up in tickets and terminals.
  const shown = (v: string | undefined) => (e.secret && v ? `<${[...v].length} characters hidden>` : v);
  const lines = [`${e.name} = "${shown(e.value)}"`, `  set by: ${e.layer} (${e.source})${e.reboot ? '; a change needs a reboot' : ''}; module ${e.module}`];
  if (e.candidates.length > 1) {
    lines.push('  layers, first applied wins:');
    for (const c of e.candidates) lines.push(`    ${c.applied ? ' ' : 'x'} ${c.layer.padEnd(8)} ${c.source.padEnd(28)} "${shown(c.value)}"${c.note ? `  (${c.note})` : ''}`);
  }
  return lines.join('\n');
}

interface ExplainOptions { board: string; flash?: string; provDir?: string; save?: boolean; user?: string; log?: boolean }

export function configCommand(): Command {
  const cmd = new Command('config').description('configuration parameters: explain where a value comes from, list the registry, generate docs/parameters.md');

  cmd.command('explain')
    .description('boot a phone (in this process) from a flash image and/or a local provisioning folder and print NAME\'s value and the layer/file that set it')
    .argument('<name...>', 'parameter name(s), e.g. callLists.collapseDuplicates')
    .option('-b, --board <id>', 'board profile (desk-500, desk-99)', 'desk-500')
    .option('-f, --flash <image>', 'flash image to boot from (its cached configuration and overrides apply)')
    .option('-p, --prov-dir <dir>', 'provisioning folder: <MAC>.cfg or 000000000000.cfg, its CONFIG_FILES, OVERRIDES_DIRECTORY/<MAC>-phone.cfg and -web.cfg')
    .option('-u, --user <id>', 'a logged-in user (their cached <user>.cfg and <user>-phone.cfg apply)')
    .option('--save', 'write the configuration read from --prov-dir back into the --flash image')
    .option('--log', 'print the phone\'s log lines of the cfg component')
    .action((names: string[], opts: ExplainOptions) => {
      if (opts.save && !opts.flash) throw new Error('--save needs --flash');
      const phone = bootInProcess({ board: opts.board, flashImage: opts.flash && fs.existsSync(opts.flash) ? opts.flash : undefined });
      const config = phone.booted.config;
      if (opts.user && !config.setUser(opts.user)) throw new Error(`invalid user id "${opts.user}"`);
      if (opts.provDir) {
        const read = provisionFromFolder(config, opts.provDir, phone.profile.mac);
        console.log(`provisioned from ${opts.provDir}: ${read.join(', ')}`);
      }
      if (opts.log) for (const l of phone.log().filter((x) => x.includes('|cfg|'))) console.log(l);
      for (const n of names) console.log(formatExplanation(config.explain(n)));
      if (opts.save) phone.save(opts.flash!);
      if (names.some((n) => !config.explain(n).known)) process.exitCode = 2;
    });

  cmd.command('unknown')
    .description('list every parameter of a provisioning folder this phone does not have: file, parameter, value length (values are not shown)')
    .requiredOption('-p, --prov-dir <dir>', 'provisioning folder: <MAC>.cfg or 000000000000.cfg and its CONFIG_FILES, OVERRIDES_DIRECTORY/<MAC>-phone.cfg and -web.cfg')
    .option('-b, --board <id>', 'board profile (desk-500, desk-99)', 'desk-500')
    .option('-a, --all', 'every .cfg below the folder (but the master files), not only those the phone reads')
    .option('--json', 'print JSON')
    .action((opts: { provDir: string; board: string; all?: boolean; json?: boolean }) => {
      const phone = bootInProcess({ board: opts.board });
      const r = unknownParameters(phone.booted.config, opts.provDir, phone.profile.mac, opts.all);
      if (opts.json) {
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      for (const e of r.errors) console.log(e);
      for (const file of r.files) {
        const mine = r.unknown.filter((u) => u.file === file);
        console.log(`${file}: ${mine.length} unknown parameters`);
        for (const u of mine) console.log(`  ${u.name.padEnd(56)} value ${u.valueLength} characters`);
      }
      console.log(`${r.unknown.length} unknown parameters in ${r.files.length} files`);
    });

  cmd.command('params')
    .description('list every declared parameter: name, type, default, range/length/values, reboot flag, module')
    .option('-m, --module <name>', 'only this module\'s parameters')
    .option('--json', 'print JSON')
    .action((opts: { module?: string; json?: boolean }) => {
      const params = declaredParameters().filter((p) => !opts.module || p.module === opts.module);
      if (opts.json) {
        console.log(JSON.stringify(params, null, 2));
        return;
      }
      for (const p of params) {
        const d = typeof p.default === 'object' ? `generic=${p.default.generic} skype=${p.default.skype}` : JSON.stringify(p.default);
        const limit = p.type === 'integer' ? ` ${p.min ?? ''}..${p.boardLimit ? p.boardLimit : p.max ?? ''}` : p.type === 'enum' ? ` {${p.values?.join('|')}}` : p.maxLength !== undefined ? ` ≤${p.maxLength}` : '';
        console.log(`${p.name.padEnd(56)} ${p.type}${limit} default ${d}${p.reboot ? ' [reboot]' : ''}  (${p.module})`);
      }
    });

  cmd.command('docs')
    .description('write docs/parameters.md from the module declarations (--check: fail when it is stale)')
    .option('--check', 'do not write; exit 1 when the committed file differs')
    .action((opts: { check?: boolean }) => {
      const text = renderParameterDocs(declaredParameters());
      const rel = path.relative(process.cwd(), PARAMETER_DOCS);
      if (opts.check) {
        const current = fs.existsSync(PARAMETER_DOCS) ? fs.readFileSync(PARAMETER_DOCS, 'utf8') : '';
        if (current !== text) throw new Error(`${rel} is stale: run phone config docs`);
        console.log(`${rel} is up to date`);
        return;
      }
      fs.mkdirSync(path.dirname(PARAMETER_DOCS), { recursive: true });
      fs.writeFileSync(PARAMETER_DOCS, text);
      console.log(`wrote ${rel}`);
    });
  return cmd;
}
