/**
 * Board files for the guest: the shipped boards/<id>.json with the state and keystore where the test wants them,
 * and without the devices the guest has not got (LEDs, USB, watchdog, serial port); reboots restart the firmware
 * in the process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BOARD_FILES_DIR, type BoardFile } from '../../hal/linux/board-file';

export function writeTestBoardFile(file: string, board: string, o: { stateDir: string; writeThrough: boolean }): BoardFile {
  const shipped = JSON.parse(fs.readFileSync(path.join(BOARD_FILES_DIR, `${board}.json`), 'utf8')) as BoardFile;
  const { usb: _usb, watchdog: _watchdog, serial: _serial, ...rest } = shipped;
  const boardFile: BoardFile = {
    ...rest,
    stateDir: o.stateDir,
    keystore: { dir: path.join(o.stateDir, 'keys') },
    flash: { ...shipped.flash, writeThrough: o.writeThrough },
    leds: {},
    power: { rebootCommand: [] },
  };
  fs.writeFileSync(file, JSON.stringify(boardFile, null, 2));
  return boardFile;
}
