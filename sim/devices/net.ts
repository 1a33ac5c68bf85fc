/** The simulator's network is the Linux board's (hal/linux/host-net.ts): real HTTP(S) through Node, plus `serveFolder` for `sim://prov/`. */
export { HostNet } from '../../hal/linux/host-net';
