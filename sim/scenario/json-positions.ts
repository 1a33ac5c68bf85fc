/**
 * Where each value of a JSON text starts, by path ("steps/3", "steps/3/press"):
 * lets the scenario loader report an error at the line and column of the step
 * or field it is about. For an object member the position is its key's.
 * Invalid JSON throws JsonSyntaxError with the offset of the first problem
 * (Node's JSON.parse does not always say where).
 */

export class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

export interface TextPosition { line: number; column: number }

export function jsonPositions(text: string): Map<string, TextPosition> {
  const positions = new Map<string, TextPosition>();
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);

  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i, i >= text.length ? `unexpected end of JSON, expected ${what}` : `unexpected ${JSON.stringify(text[i])}, expected ${what}`);
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[i] !== ch) fail(`"${ch}"`);
    i++;
  };
  const stringEnd = (from: number) => {
    let k = from + 1;
    while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
    if (k >= text.length) throw new JsonSyntaxError(from, 'unterminated string');
    return k + 1;
  };
  const value = (path: string, at: number | null) => {
    skipSpace();
    if (!positions.has(path)) positions.set(path, positionAt(lineStarts, at ?? i));
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail('a quoted member name');
        const keyAt = i;
        const end = stringEnd(i);
        const key = JSON.parse(text.slice(i, end)) as string;
        i = end;
        expect(':');
        value(path === '' ? key : `${path}/${key}`, keyAt);
        skipSpace();
        if (text[i] === '}') break;
        if (text[i] !== ',') fail('"," or "}"');
        i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(path === '' ? String(n) : `${path}/${n}`, null);
        skipSpace();
        if (text[i] === ']') break;
        if (text[i] !== ',') fail('"," or "]"');
        i++;
      }
      i++;
    } else if (c === '"') {
      i = stringEnd(i);
    } else {
      const start = i;
      while (i < text.length && /[^\s,\]}:]/.test(text[i])) i++;
      if (!/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(text.slice(start, i))) {
        i = start;
        fail('a value');
      }
    }
  };
  value('', null);
  skipSpace();
  if (i < text.length) fail('the end of the text');
  return positions;
}

/** 1-based line and column of a character offset. */
export function positionAt(lineStarts: number[] | string, offset: number): TextPosition {
  const starts = typeof lineStarts === 'string' ? [0, ...[...lineStarts].flatMap((ch, k) => (ch === '\n' ? [k + 1] : []))] : lineStarts;
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line: line + 1, column: offset - starts[line] + 1 };
}
