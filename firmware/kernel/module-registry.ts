/**
 * The module registry: every firmware module registers its declaration
 * (parameters, personal-data classes, screens) and its start hook here. The
 * parameter registry, reset matrix, erasure checks and data export are
 * derived from what is registered, never kept by hand.
 */
import type { DataClassDeclaration, DeviceSettingDeclaration, ModuleDeclaration, ParameterDeclaration, ScreenDeclaration } from './declaration';
import type { Kernel } from './kernel';
import type { Screen } from '../ui/screen';

export interface FirmwareModule {
  declaration: ModuleDeclaration;
  /** Screens this module implements, by the ids its declaration names. */
  screens?: Record<string, (kernel: Kernel) => Screen>;
  /** Called once at boot, in registration order, after storage is mounted. */
  start?(kernel: Kernel): void;
}

export class ModuleRegistry {
  private readonly modules: FirmwareModule[] = [];

  register(module: FirmwareModule): void {
    const name = module.declaration.name;
    if (this.modules.some((m) => m.declaration.name === name)) throw new Error(`module "${name}" registered twice`);
    const known = new Map(this.parameters().map((p) => [p.name, p]));
    for (const p of module.declaration.parameters) {
      if (known.has(p.name)) throw new Error(`parameter ${p.name} declared by two modules`);
    }
    for (const s of module.declaration.screens) {
      if (s.screen && !module.screens?.[s.screen]) throw new Error(`module "${name}" declares screen "${s.screen}" but does not implement it`);
    }
    this.modules.push(module);
  }

  all(): readonly FirmwareModule[] {
    return this.modules;
  }

  parameters(): (ParameterDeclaration & { module: string })[] {
    return this.modules.flatMap((m) => m.declaration.parameters.map((p) => ({ ...p, module: m.declaration.name })));
  }

  dataClasses(): (DataClassDeclaration & { module: string })[] {
    return this.modules.flatMap((m) => m.declaration.dataClasses.map((d) => ({ ...d, module: m.declaration.name })));
  }

  deviceSettings(): (DeviceSettingDeclaration & { module: string })[] {
    return this.modules.flatMap((m) => (m.declaration.deviceSettings ?? []).map((d) => ({ ...d, module: m.declaration.name })));
  }

  screens(): (ScreenDeclaration & { module: string })[] {
    return this.modules.flatMap((m) => m.declaration.screens.map((s) => ({ ...s, module: m.declaration.name })));
  }

  /**
   * Modules in the order they start: each after the modules its declaration
   * `dependsOn`, otherwise in registration order. An unknown dependency or a
   * cycle is a build mistake: it throws.
   */
  startOrder(): FirmwareModule[] {
    const byName = new Map(this.modules.map((m) => [m.declaration.name, m]));
    for (const m of this.modules) {
      for (const d of m.declaration.dependsOn ?? []) if (!byName.has(d)) throw new Error(`module "${m.declaration.name}" depends on unknown module "${d}"`);
    }
    const started = new Set<string>();
    const order: FirmwareModule[] = [];
    while (order.length < this.modules.length) {
      const next = this.modules.find((m) => !started.has(m.declaration.name) && (m.declaration.dependsOn ?? []).every((d) => started.has(d)));
      if (!next) throw new Error(`module dependency cycle among ${this.modules.filter((m) => !started.has(m.declaration.name)).map((m) => m.declaration.name).join(', ')}`);
      started.add(next.declaration.name);
      order.push(next);
    }
    return order;
  }

  screenFactory(id: string): ((kernel: Kernel) => Screen) | undefined {
    for (const m of this.modules) if (m.screens?.[id]) return m.screens[id];
    return undefined;
  }
}
