/**
 * `phone sim --watch`: rebuild the firmware image when a source under the
 * watched folders changes and hand the new image over (the CLI reboots the
 * phone on it, keeping its flash). A burst of saves (an editor writing a
 * temp file, then renaming) makes one build; a save during a build makes one
 * more build after it. A build that fails is reported and the phone keeps
 * running the last good image.
 */
import * as fs from 'fs';
import type { LoadedImage } from './firmware-image-cache';

export interface FirmwareReloaderOptions {
  /** Folders watched recursively (firmware/, and hal/ for the contract). */
  folders: string[];
  /** Build the image and load it; throws with the build's errors. */
  rebuild: () => Promise<LoadedImage>;
  /** A new image is ready; `changedAt` is when the first change of the burst was seen (performance.now()). */
  onImage: (image: LoadedImage, timing: { changedAt: number; builtAt: number }) => Promise<void> | void;
  onError: (error: Error) => void;
  /** Quiet time after the last change before building (default 80 ms). */
  debounceMs?: number;
}

export class FirmwareReloader {
  private readonly watchers: fs.FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private building = false;
  private again = false;
  private changedAt = 0;
  private closed = false;

  constructor(private readonly options: FirmwareReloaderOptions) {
    for (const folder of options.folders) {
      this.watchers.push(fs.watch(folder, { recursive: true }, (_event, file) => {
        // Editor droppings (swap files, backups) are not sources.
        if (file && /(^|\/)(\.#|#)|~$|\.sw[px]$/.test(String(file))) return;
        this.changed();
      }));
    }
  }

  /** Stop watching; a build under way finishes but its image is dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }

  private changed(): void {
    if (this.closed) return;
    if (!this.changedAt) this.changedAt = performance.now();
    if (this.building) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.build(), this.options.debounceMs ?? 80);
  }

  private async build(): Promise<void> {
    this.timer = null;
    this.building = true;
    const changedAt = this.changedAt;
    this.changedAt = 0;
    try {
      const image = await this.options.rebuild();
      if (!this.closed) await this.options.onImage(image, { changedAt, builtAt: performance.now() });
    } catch (e) {
      if (!this.closed) this.options.onError(e as Error);
    } finally {
      this.building = false;
    }
    if (this.again) {
      this.again = false;
      if (!this.changedAt) this.changedAt = performance.now();
      this.changed();
    }
  }
}
