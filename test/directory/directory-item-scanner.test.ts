/**
 * The item-by-item reader of directory files (no document tree): it takes
 * what the XML library took (entities, CDATA, comments, attributes, empty
 * fields), reports a field with child elements or given twice as not text,
 * and refuses a file that is not well-formed before visiting any item.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemAt, scanDirectoryItems } from '../../firmware/directory/directory-item-scanner';
import { parseDirectoryXml } from '../../firmware/directory/directory-xml';

function items(text: string): string[] {
  const out: string[] = [];
  const r = scanDirectoryItems(text, (at) => {
    const i = itemAt(text, at);
    out.push(i.contact ? JSON.stringify(i.contact) + (i.notes.length ? ` ${i.notes.join('; ')}` : '') : `dropped: ${i.reason}`);
  });
  assert.ok(r.ok, JSON.stringify(r));
  return out;
}

test('fields as the XML library gave them: entities, character references, CDATA, comments, attributes, trimmed text, empty fields', () => {
  const text = `<?xml version="1.0"?>
<!-- exported by the PBX -->
<directory><item_list>
 <item id="1"><fn> Ada &amp; Co </fn><ln><![CDATA[Love<lace>]]></ln><ct>&#49;00</ct><!-- note --><lb/></item>
 <item><fn>Zo&#xEB;</fn><ct>200</ct><sd>2</sd></item>
</item_list></directory>`;
  assert.equal(items(text), ['{"fn":"Ada & Co","ln":"Love<lace>","ct":"100"}', '{"fn":"Zoë","ct":"200","sd":"2"}']);
});

test('a field with child elements or given twice is not text; an empty item or one without ct is dropped', () => {
  const text = '<directory><item_list><item><fn><b>x</b></fn><ct>1</ct></item><item><ct>2</ct><ct>3</ct></item><item/><item><fn>No number</fn></item></item_list></directory>';
  assert.equal(items(text), ['{"ct":"1"} fn is not text: field dropped', 'dropped: ct is not text: dropped', 'dropped: empty item (no ct): dropped', 'dropped: no contact number (ct): dropped']);
});

test('items only under <directory><item_list>; other elements are skipped', () => {
  const text = '<directory><meta><item><ct>9</ct></item></meta><item_list><item><ct>1</ct></item></item_list></directory>';
  assert.equal(items(text), ['{"ct":"1"}']);
});

test('not well-formed or not a directory: refused whole, no item visited', () => {
  const cases: [string, RegExp][] = [
    ['<directory><item_list><item><ct>1</ct></item></item_list>', /malformed XML: <directory> not closed/],
    ['<directory><item_list><item><ct>1</item></item_list></directory>', /malformed XML: <\/item> where <\/ct> was expected/],
    ['<directory><item_list><item><fn>A & B</fn><ct>1</ct></item></item_list></directory>', /malformed XML: "&" that starts no entity/],
    ['<directory/><directory/>', /malformed XML: more than one root element/],
    ['junk<directory/>', /malformed XML: text outside the root element/],
    ['<directory><item_list><item><ct a=1>1</ct></item></item_list></directory>', /malformed XML: bad tag <ct>/],
    ['<contacts><item_list><item><ct>1</ct></item></item_list></contacts>', /^no <directory> root element$/],
  ];
  for (const [text, error] of cases) {
    let visited = 0;
    const r = scanDirectoryItems(text, () => { visited++; });
    assert.is(r.ok, false, text);
    assert.match((r as { error: string }).error, error);
    assert.is(visited, 0, text);
  }
});

test('10,000 items read in file order, the limit counted as before', () => {
  const body = Array.from({ length: 10001 }, (_, i) => `<item><ln>N${i}</ln><ct>${100000 + i}</ct></item>`).join('');
  const r = parseDirectoryXml(`<directory><item_list>${body}</item_list></directory>`, 10000);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.contacts.length, 10000);
  assert.is(r.contacts[9999].ct, '109999');
  assert.equal(r.problems, ['item 10001 over the limit of 10000 contacts: dropped']);
});

test.run();
