import type { ScreenText } from '../../hal/contract';

/** The text model as a few console lines: title and status, body (focus marked >), soft keys. */
export function formatScreen(screen: ScreenText): string {
  const head = `── screen ${screen.id}${screen.title ? ` · ${screen.title}` : ''}${screen.status ? ` · ${screen.status}` : ''} ──`;
  const body = screen.lines.map((l, i) => `${i === screen.focus ? '>' : ' '} ${l}`);
  const soft = screen.softKeys.some(Boolean) ? [`  ${screen.softKeys.map((s) => `[${s}]`).join(' ')}`] : [];
  return [head, ...body, ...soft].join('\n');
}
