/**
 * A phone seeded for `phone reset-matrix`: a unique canary in every declared
 * data class (the phone's own records and, for per-user classes, a user's),
 * and in every secret the phone keeps (provisioning password, config
 * encryption key, admin password hash, LDAP and SIP passwords in cached
 * configuration and overrides, certificate key). The classes come from the
 * declarations, so a class another module adds is seeded without a change
 * here. Written with the firmware's own store (host side) onto blank flash.
 */
import * as nodeCrypto from 'crypto';
import type { BoardProfile } from '../../hal/boards';
import type { DataClassDeclaration } from '../../firmware/kernel/declaration';
import { mergeClasses } from '../../firmware/reset/reset-plan';
import { ADMIN_PASSWORD_SETTING } from '../../firmware/reset/reset-variants';
import { classKeyName, type DataClassId } from '../../firmware/storage/data-classes';
import { FileStore } from '../../firmware/storage/file-store';
import { ConfigCache } from '../../firmware/config/config-cache';
import { writeSession } from '../../firmware/login/login-session';
import { Keystore, NodeCryptoEngine } from '../devices/crypto';
import { VirtualFlash } from '../devices/flash';

/** The user whose data the per-user classes hold besides the phone's own. */
export const CANARY_USER = 'alice.canary';

export interface Canary {
  /** Unique text searched for. */
  text: string;
  cls: string;
  partition: string;
  /** '' = the phone's own; else the user. */
  owner: string;
  /** 'record': data in a file; 'key': the crypto-device key of the class (text = key name). */
  kind: 'record' | 'key';
  /** What it stands for (report). */
  what: string;
  /** A device setting a variant may keep although its class goes (ADMIN_PASSWORD_SETTING). */
  setting?: string;
}

export interface SeededPhone {
  profile: BoardProfile;
  image: Uint8Array;
  keystore: Keystore;
  canaries: Canary[];
}

const MASTER = '<?xml version="1.0" encoding="UTF-8"?>\n<APPLICATION APP_FILE_PATH="" CONFIG_FILES="site.cfg" OVERRIDES_DIRECTORY="overrides" CONTACTS_DIRECTORY="contacts" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n';
/** Where the config service keeps each override layer (firmware/config/config-service.ts). */
const OVERRIDE_PATHS: Record<string, string> = { localOverrides: 'cfg/local.cfg', webOverrides: 'cfg/web.cfg', cloudOverrides: 'cfg/cloud.cfg' };

const token = (label: string) => `CANARY-${label}-${nodeCrypto.randomBytes(6).toString('hex')}`;
const utf8 = (s: string) => new TextEncoder().encode(s);

export function seedCanaries(profile: BoardProfile, declared: readonly DataClassDeclaration[]): SeededPhone {
  const flash = new VirtualFlash(profile.flash);
  const keystore = new Keystore();
  const crypto = new NodeCryptoEngine(keystore);
  const stores: Record<string, FileStore> = {};
  const store = (p: string) => (stores[p] ??= FileStore.mount(flash.open(p), crypto));
  const canaries: Canary[] = [];
  const add = (c: Omit<Canary, 'kind'>) => { canaries.push({ ...c, kind: 'record' }); return c.text; };

  for (const c of mergeClasses(declared)) {
    const cls = c.storageClass as DataClassId;
    // The journal holds only a reset's own intent (never personal data); a record in it would be a reset request.
    if (cls === 'resetJournal') continue;
    const owners = c.perUser ? ['', CANARY_USER] : [''];
    for (const owner of owners) {
      if (cls === 'deviceSettings' && owner === '') {
        seedDeviceSettings(store(c.partition), add, c.partition);
        continue;
      }
      const text = add({ text: token(`${cls}${owner ? '-user' : ''}`), cls, partition: c.partition, owner, what: `${c.storageClass} record${owner ? ` of ${owner}` : ''}` });
      const secret = () => add({ text: token(`${cls}-sip-password`), cls, partition: c.partition, owner, what: `SIP password in ${cls}` });
      const target = store(c.partition);
      if (cls === 'config') {
        // The real configuration cache: login enabled and persistent, so the seeded user is logged in at every boot.
        const cache = new ConfigCache(target, () => {});
        cache.saveMaster('000000000000.cfg', MASTER);
        cache.saveFile('site.cfg', `<polycomConfig prov.login.enabled="1" prov.login.persistent="1" dir.corp.password="${text}" reg.1.auth.password="${secret()}"/>`);
      } else if (OVERRIDE_PATHS[cls]) {
        target.write(OVERRIDE_PATHS[cls], utf8(`<PHONE_CONFIG><OVERRIDES dir.corp.password="${text}" reg.1.auth.password="${secret()}"/></PHONE_CONFIG>`), { cls });
      } else {
        const body = cls === 'certificates' ? `-----BEGIN PRIVATE KEY-----\n${text}\n-----END PRIVATE KEY-----\n` : `${c.storageClass} ${text}`;
        target.write(`canary/${cls}${owner ? `/${owner}` : ''}`, utf8(body), owner ? { cls, user: owner } : { cls });
      }
      if (cls === 'userProfile' && owner) writeSession(target, { user: owner, method: 'phone', since: Date.UTC(2026, 0, 1), isDefault: false });
      if (c.personal) canaries.push({ text: classKeyName(cls, owner || undefined), cls, partition: c.partition, owner, kind: 'key', what: `key of ${cls}${owner ? ` of ${owner}` : ''}` });
    }
  }
  return { profile, image: flash.image(), keystore, canaries };
}

/** The real device-settings file, with secrets in it: what Reset Device Settings and the factory resets must take away. */
function seedDeviceSettings(nvram: FileStore, add: (c: Omit<Canary, 'kind'>) => string, partition: string): void {
  const base = { cls: 'deviceSettings', partition, owner: '' };
  const salt = nodeCrypto.randomBytes(16);
  const adminHash = nodeCrypto.pbkdf2Sync('4567', salt, 10000, 32, 'sha256').toString('hex');
  const keyHex = nodeCrypto.randomBytes(16).toString('hex');
  const settings: Record<string, string> = {
    'device.prov.serverName': 'http://prov.example.invalid/',
    'device.prov.user': 'phone',
    'device.prov.password': add({ ...base, text: token('prov-password'), what: 'provisioning server password' }),
    'device.sec.configEncryption.key': `Crypt=1;KeyDesc=canary;Key=${add({ ...base, text: keyHex, what: 'config encryption key' })};`,
    [ADMIN_PASSWORD_SETTING]: `pbkdf2-sha256$10000$${salt.toString('hex')}$${add({ ...base, text: adminHash, what: 'admin password hash', setting: ADMIN_PASSWORD_SETTING })}`,
    'oob.state': 'done',
  };
  nvram.write('device-settings.json', utf8(JSON.stringify(settings)), { cls: 'deviceSettings' });
}
