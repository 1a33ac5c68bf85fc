/**
 * What real provisioning folders hold, on a QuickJS phone: a master file that
 * writes CONFIG_FILES on a model child without the model suffix (ignored,
 * with a warning naming it), parameters this phone does not have (counted in
 * one log line per file), and a contacts folder holding only the directory
 * template (the notice docs/directory.md promises).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootPhone } from '../helpers/sim';
import { cycleLines, cycles } from '../provisioning/provisioning-fixture';

test('a folder as fleets write it: misplaced CONFIG_FILES warned about, unknown parameters counted per file, the directory template noticed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-files-'));
  fs.mkdirSync(path.join(dir, 'contacts'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), `<?xml version="1.0" standalone="yes"?>
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg" CONTACTS_DIRECTORY="contacts">
  <APPLICATION_SPIP300 APP_FILE_PATH_SPIP300="sip_212.ld" CONFIG_FILES_SPIP300="phone1_212.cfg"/>
  <APPLICATION_DESK500 CONFIG_FILES="desk500.cfg"/>
</APPLICATION>
`);
  fs.writeFileSync(path.join(dir, 'site.cfg'), '<polycomConfig><ALL dir.search.field="1" voice.volume.persist.handset="1" bg.color.selection="2,1" up.unheard.of="x"/></polycomConfig>\n');
  fs.writeFileSync(path.join(dir, 'desk500.cfg'), '<polycomConfig dir.search.field="0"/>\n');
  fs.writeFileSync(path.join(dir, 'contacts', '000000000000-directory~.xml'), '<directory><item_list><item><fn>Template</fn><ct>1</ct></item></item_list></directory>\n');
  const phone = await bootPhone({ engine: 'quickjs', provisioningDir: dir });
  try {
    await cycles(phone, 1);
    const log = phone.log();
    assert.ok(log.some((l) => /\|cfg\|3\|\d+\|000000000000\.cfg: CONFIG_FILES on <APPLICATION_DESK500> ignored: the phone reads these fields as attributes of <APPLICATION>, or as <FIELD>_DESK500 on <APPLICATION_DESK500>$/.test(l)), log.filter((l) => /\|cfg\|/.test(l)).join('\n'));
    assert.ok(log.some((l) => /\|cfg\|1\|\d+\|site\.cfg: 3 unknown parameters ignored \(voice\.volume\.persist\.handset, bg\.color\.selection, up\.unheard\.of\)$/.test(l)));
    assert.ok(log.some((l) => /\|prov\|2\|\d+\|directory: 000000000000-directory~\.xml is on the server but is the template: not merged \(remove the ~/.test(l)), log.filter((l) => /directory/.test(l)).join('\n'));
    assert.ok(log.some((l) => /dir\.search\.field="1" from files \(site\.cfg\)|dir\.search\.field: "0" -> "1" \(site\.cfg\)/.test(l)), 'site.cfg is read, desk500.cfg is not');
    assert.not.ok(log.some((l) => /desk500\.cfg: /.test(l) && !/CONFIG_FILES on/.test(l)));
    assert.is(cycleLines(phone).length >= 1, true);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
