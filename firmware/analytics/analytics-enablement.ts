/**
 * When device analytics is on and which services it sends (spec: "Device
 * Analytics Parameters"). `feature.da.enabled` (or its spelling in the spec's
 * examples, `feature.lens.enabled`) switches it on; `device.da.enabled`,
 * when `device.da.enabled.set=1`, can still switch it off (the spec's second
 * example: lens on, device.da.enabled=0 → nothing sent).
 */
export type ParameterReader = (name: string) => string | undefined;

export function analyticsEnabled(get: ParameterReader): boolean {
  const on = (n: string) => get(n) === '1';
  const feature = on('feature.da.enabled') || on('feature.lens.enabled');
  const device = on('device.da.enabled.set') ? on('device.da.enabled') : true;
  return feature && device;
}

/** The services `da.supported.services` lists (`all` = every one). */
export function enabledServices(get: ParameterReader): (service: string) => boolean {
  const listed = new Set((get('da.supported.services') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s));
  return (service) => listed.has('all') || listed.has(service);
}
