/** The simulator's LDAP client is the Linux board's (hal/linux/host-ldap.ts). */
export { HostLdap } from '../../hal/linux/host-ldap';
