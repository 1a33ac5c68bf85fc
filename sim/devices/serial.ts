/** The board's UART debug console: keeps the last lines and tells listeners. */
import { KeptSerialLines } from '../../hal/linux/kept-serial-lines';

export class VirtualSerial extends KeptSerialLines {}
