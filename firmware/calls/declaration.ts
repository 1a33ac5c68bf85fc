/**
 * Call lists (spec: "Call Lists", "Call List Parameters"). The spec gives the
 * per-list enables a default of 0 but also says "All call lists are enabled by
 * default": we choose 1 (enabled) — see docs/parameters.md.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const callsDeclaration: ModuleDeclaration = {
  name: 'calls',
  parameters: [
    { name: 'callLists.collapseDuplicates', type: 'boolean', default: { generic: true, skype: false }, description: 'Collapse consecutive incomplete calls to/from the same party and direction into one record.' },
    { name: 'callLists.logConsultationCalls', type: 'boolean', default: { generic: true, skype: true }, description: 'List each consultation call individually (0: consultation calls not joined into a conference are not listed).' },
    { name: 'feature.callList.enabled', type: 'boolean', default: true, description: 'Enable the missed, placed and received call lists (0: disables all call lists; nothing is written).' },
    { name: 'feature.callListMissed.enabled', type: 'boolean', default: true, description: 'Enable the missed call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.callListPlaced.enabled', type: 'boolean', default: true, description: 'Enable the placed call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.callListReceived.enabled', type: 'boolean', default: true, description: 'Enable the received call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.exchangeCallLog.enabled', type: 'boolean', default: { generic: false, skype: true }, description: 'Synchronize the call history with the Exchange server (needs feature.callList.enabled).' },
  ],
  dataClasses: [
    { storageClass: 'callLists', description: 'Missed, received and placed call lists (<MAC>-calls.xml / <user>-calls.xml)', personal: true, perUser: true, removedBy: ['resetUserData', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'feature.uploadDir.enabled' } },
  ],
  screens: [],
};
