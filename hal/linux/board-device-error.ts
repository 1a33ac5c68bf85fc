/**
 * What every Linux board driver throws when its device is missing or not the
 * device the board profile describes: one clear, user-facing message naming
 * the device path and what is wrong, so a board brought up with the wrong
 * kernel options or board file says why instead of crash-looping.
 */
export class BoardDeviceError extends Error {
  constructor(readonly device: string, problem: string) {
    super(`${device}: ${problem}`);
    this.name = 'BoardDeviceError';
  }
}
