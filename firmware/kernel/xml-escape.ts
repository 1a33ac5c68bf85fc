/** Text and attribute values written into the XML files the phone produces (call lists, directory). */
const NEEDS_ESCAPE = /[&<>"]/;

export function escapeXml(text: string): string {
  // Most values have nothing to escape: one scan instead of four replaces.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
