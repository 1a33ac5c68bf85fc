/**
 * `phone crypt`: for admins preparing files for the provisioning server —
 * make a `device.sec.configEncryption.key` value, encrypt config / directory /
 * override files with it, decrypt files the phones uploaded. Same codec as
 * the firmware (firmware/provisioning/config-encryption.ts); format in
 * docs/config-encryption.md.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import {
  decryptConfigFile, encryptConfigFile, formatEncryptionKey, generateEncryptionKey, isEncryptedFile, parseEncryptionKey,
  type ConfigEncryptionKey,
} from '../../../firmware/provisioning/config-encryption';
import { NodeCryptoEngine } from '../../devices/crypto';

/** The key from --key (the string itself) or --key-file (a file holding it, e.g. written by keygen). */
function loadKey(opts: { key?: string; keyFile?: string }): ConfigEncryptionKey {
  const text = opts.key ?? (opts.keyFile ? fs.readFileSync(opts.keyFile, 'utf8') : undefined);
  if (!text) throw new Error('give the key with --key "Crypt=1;KeyDesc=<name>;Key=<32 hex>;" or --key-file <file>');
  return parseEncryptionKey(text);
}

/** Owner-only, also when the file already existed (writeFileSync's mode applies only to a new file). */
function writeSecretFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function output(bytes: Uint8Array, out: string | undefined): void {
  if (out) fs.writeFileSync(out, bytes);
  else process.stdout.write(bytes);
}

export function cryptCommand(): Command {
  const crypt = new Command('crypt').description('encrypt and decrypt provisioning files with a device.sec.configEncryption.key (AES-128-CBC)');

  crypt.command('keygen')
    .description('print a new random key as "Crypt=1;KeyDesc=<name>;Key=<32 hex>;" (--cfg: also write a .cfg that installs it)')
    .requiredOption('-n, --name <KeyDesc>', 'name of the key (written into every file it encrypts; name each key uniquely)')
    .option('-o, --out <file>', 'also write the key string to this file (mode 0600)')
    .option('--cfg <file>', 'write a .cfg file that sets the key on phones (device.sec.configEncryption.key with .set="1")')
    .action((opts: { name: string; out?: string; cfg?: string }) => {
      const key = generateEncryptionKey(new NodeCryptoEngine(), opts.name);
      const text = formatEncryptionKey(key);
      if (opts.out) writeSecretFile(opts.out, text + '\n');
      if (opts.cfg) writeSecretFile(opts.cfg, keyCfg(text));
      console.log(text);
    });

  crypt.command('encrypt')
    .description('encrypt a config, directory or override file for the provisioning server')
    .argument('<file>', 'plain file to encrypt')
    .option('-k, --key <key>', 'key string "Crypt=1;KeyDesc=<name>;Key=<32 hex>;"')
    .option('-f, --key-file <file>', 'file holding the key string')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action((file: string, opts: { key?: string; keyFile?: string; out?: string }) => {
      const plain = fs.readFileSync(file);
      if (isEncryptedFile(plain)) throw new Error(`${file} is already encrypted`);
      output(encryptConfigFile(new NodeCryptoEngine(), loadKey(opts), plain), opts.out);
    });

  crypt.command('decrypt')
    .description('decrypt a file encrypted by a phone or by "phone crypt encrypt"; checks its Digest')
    .argument('<file>', 'encrypted file')
    .option('-k, --key <key>', 'key string "Crypt=1;KeyDesc=<name>;Key=<32 hex>;"')
    .option('-f, --key-file <file>', 'file holding the key string')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action((file: string, opts: { key?: string; keyFile?: string; out?: string }) => {
      const bytes = fs.readFileSync(file);
      if (!isEncryptedFile(bytes)) throw new Error(`${file} is not encrypted (no Crypt= header)`);
      output(decryptConfigFile(new NodeCryptoEngine(), loadKey(opts), bytes), opts.out);
    });

  return crypt;
}

/** A config file that installs the key (step 2 of the spec's key change procedure); serve it over HTTPS. */
export function keyCfg(keyText: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig device.set="1" device.sec.configEncryption.key="${keyText}" device.sec.configEncryption.key.set="1"/>\n`;
}
