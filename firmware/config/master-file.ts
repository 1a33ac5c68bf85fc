/**
 * The master (primary) configuration file, `<MAC>.cfg` or `000000000000.cfg`:
 * an `APPLICATION` element whose attributes name the files and directories
 * of the provisioning server, with optional model children
 * `<APPLICATION_<MODEL> CONFIG_FILES_<MODEL>="..."/>` whose values win for
 * that model. `[PHONE_MAC_ADDRESS]` and `[PHONE_MODEL]` are substituted.
 *
 * Like Polycom phones, only those two places are read: a field written
 * anywhere else (an unsuffixed `CONFIG_FILES` on `<APPLICATION_VVX500>`, a
 * `<CONFIG_FILES>` element) is ignored, and named in `ignored` so the config
 * service warns about it: a file list silently not read is a fleet-wide
 * mystery otherwise.
 */
import { parseCfg, type CfgElement } from './cfg-xml';

/** APPLICATION attributes the phone understands. */
export const MASTER_FIELDS = [
  'APP_FILE_PATH', 'CONFIG_FILES', 'MISC_FILES', 'LOG_FILE_DIRECTORY', 'OVERRIDES_DIRECTORY', 'CONTACTS_DIRECTORY',
  'LICENSE_DIRECTORY', 'USER_PROFILES_DIRECTORY', 'CALL_LISTS_DIRECTORY', 'COREFILE_DIRECTORY',
] as const;
export type MasterField = (typeof MASTER_FIELDS)[number];

export interface MasterConfig {
  /** Every APPLICATION field after model selection and substitution ('' when absent). */
  fields: Record<MasterField, string>;
  /** CONFIG_FILES split on commas, in order (entries may be URLs). */
  configFiles: string[];
  /** Which fields came from the model child. */
  modelSpecific: MasterField[];
  /** Fields written where the phone does not read them, e.g. `CONFIG_FILES on <APPLICATION_VVX500>`. */
  ignored: string[];
}

export type MasterParseResult = { ok: true; master: MasterConfig } | { ok: false; error: string };

export interface PhoneIdentity {
  /** 12 lower-case hex digits. */
  mac: string;
  model: string;
}

function findElement(elements: CfgElement[], name: string): CfgElement | undefined {
  for (const e of elements) {
    if (e.name === name) return e;
    const inner = findElement(e.children, name);
    if (inner) return inner;
  }
  return undefined;
}

export function substitute(value: string, phone: PhoneIdentity): string {
  return value.replace(/\[PHONE_MAC_ADDRESS\]/g, phone.mac).replace(/\[PHONE_MODEL\]/g, phone.model);
}

export function parseMaster(text: string, phone: PhoneIdentity): MasterParseResult {
  const parsed = parseCfg(text);
  if (!parsed.ok) return parsed;
  const app = findElement(parsed.root, 'APPLICATION');
  if (!app) return { ok: false, error: 'no APPLICATION element: not a master configuration file' };
  // The model child may sit inside APPLICATION (usual) or beside it.
  const modelElement = findElement(app.children, `APPLICATION_${phone.model}`) ?? findElement(parsed.root, `APPLICATION_${phone.model}`);
  const fields = {} as Record<MasterField, string>;
  const modelSpecific: MasterField[] = [];
  for (const f of MASTER_FIELDS) {
    const modelValue = modelElement?.attributes[`${f}_${phone.model}`];
    if (modelValue !== undefined) modelSpecific.push(f);
    fields[f] = substitute(modelValue ?? app.attributes[f] ?? '', phone).trim();
  }
  const configFiles = fields.CONFIG_FILES.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { ok: true, master: { fields, configFiles, modelSpecific, ignored: misplacedFields(parsed.root, app) } };
}

/** Master fields outside APPLICATION's own attributes and the `<FIELD>_<MODEL>` attributes of model children. */
function misplacedFields(elements: CfgElement[], app: CfgElement): string[] {
  const out: string[] = [];
  const isField = (name: string): boolean => (MASTER_FIELDS as readonly string[]).includes(name);
  const walk = (list: CfgElement[]) => {
    for (const e of list) {
      if (e !== app) {
        if (isField(e.name)) out.push(`<${e.name}> element`);
        for (const a of Object.keys(e.attributes)) if (isField(a)) out.push(`${a} on <${e.name}>`);
      }
      walk(e.children);
    }
  };
  walk(elements);
  return out;
}
