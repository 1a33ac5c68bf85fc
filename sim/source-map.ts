/**
 * Maps guest stack frames of the firmware bundle (`firmware.js:LINE[:COL]`)
 * back to the TypeScript sources through the bundle's source map.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SourceMapConsumer } from 'source-map-js';

export class BundleSourceMap {
  private consumer: SourceMapConsumer | null = null;

  constructor(private readonly mapFile: string, private readonly bundleName = 'firmware.js') {}

  private load(): SourceMapConsumer | null {
    if (!this.consumer && fs.existsSync(this.mapFile)) {
      this.consumer = new SourceMapConsumer(JSON.parse(fs.readFileSync(this.mapFile, 'utf8')));
    }
    return this.consumer;
  }

  /** Rewrite every `firmware.js:L[:C]` in a stack to `firmware/x.ts:L:C`. */
  mapStack(stack: string): string {
    const consumer = this.load();
    if (!consumer) return stack;
    const pattern = new RegExp(`${this.bundleName.replace('.', '\\.')}:(\\d+)(?::(\\d+))?`, 'g');
    return stack.replace(pattern, (whole, l: string, c?: string) => {
      const pos = consumer.originalPositionFor({
        line: Number(l),
        column: c ? Number(c) - 1 : 0,
        bias: c ? SourceMapConsumer.GREATEST_LOWER_BOUND : SourceMapConsumer.LEAST_UPPER_BOUND,
      });
      if (!pos.source) return whole;
      const source = path.relative(process.cwd(), path.resolve(path.dirname(this.mapFile), pos.source));
      return `${source}:${pos.line}:${(pos.column ?? 0) + 1}`;
    });
  }
}

/**
 * Keep a guest stack readable: runs of identical frames (deep recursion, as in
 * a stack-budget fault) collapse into one line with a count, and at most
 * `maxLines` lines are kept.
 */
export function condenseStack(stack: string, maxLines = 40): string {
  const out: string[] = [];
  let previous: string | null = null;
  let repeats = 0;
  const flush = () => {
    if (repeats > 0) out.push(`${previous} [repeated ${repeats} more times]`);
    repeats = 0;
  };
  for (const line of stack.split('\n')) {
    if (line === previous && line.trim() !== '') {
      repeats++;
      continue;
    }
    flush();
    out.push(line);
    previous = line;
  }
  flush();
  if (out.length <= maxLines) return out.join('\n');
  return [...out.slice(0, maxLines), `    … ${out.length - maxLines} more lines`].join('\n');
}
