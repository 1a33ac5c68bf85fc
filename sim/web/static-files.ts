/**
 * The browser UI's static files (sim/web/public). A request path is served
 * only when it names a file listed in that folder (exact match, no
 * sub-folders), so no path can reach outside it. Files are read at each
 * request: edit app.js, reload the page.
 */
import * as fs from 'fs';
import * as path from 'path';

export const PUBLIC_DIR = path.join(__dirname, 'public');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticFile { body: Buffer; contentType: string }

/** The file for a URL path ('/' is index.html), or null. */
export function lookupStaticFile(urlPath: string, dir = PUBLIC_DIR): StaticFile | null {
  const name = urlPath === '/' ? 'index.html' : urlPath.slice(1);
  const type = CONTENT_TYPES[path.extname(name)];
  if (!type || !fs.readdirSync(dir).includes(name)) return null;
  return { body: fs.readFileSync(path.join(dir, name)), contentType: type };
}
