/**
 * Call lists (spec: "Call Lists", "Call List Parameters"). The spec gives the
 * per-list enables a default of 0 but also says "All call lists are enabled by
 * default": we choose 1 (enabled) — see docs/parameters.md.
 *
 * Bounds: MAX_ENTRIES_PER_LIST (30) entries per list, oldest dropped
 * (call-list-store.ts); MAX_CDR_RECORDS (100) CDR records, oldest
 * overwritten (cdr-store.ts).
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const callsDeclaration: ModuleDeclaration = {
  name: 'calls',
  // Before login: a restored session's user:changed selects that user's call lists.
  dependsOn: ['config', 'provisioning', 'ui'],
  parameters: [
    { name: 'callLists.collapseDuplicates', type: 'boolean', default: { generic: true, skype: false }, description: 'Collapse consecutive incomplete calls to/from the same party and direction into one record.' },
    { name: 'callLists.logConsultationCalls', type: 'boolean', default: { generic: true, skype: true }, description: 'List each consultation call individually (0: consultation calls not joined into a conference are not listed).' },
    { name: 'callLists.eraseAtLogout', type: 'boolean', default: true, description: 'Erase a user\'s call lists from the phone when the user logs out (0: keep them on the phone, sealed under the user\'s key). Not in the spec: project parameter.' },
    { name: 'dialplan.routing.emergency.location', type: 'string', default: '', maxLength: 256, description: 'Location the administrator assigns to this phone (building, floor, room): sent with emergency calls and kept in their CDR. Not in the spec: project parameter.' },
    { name: 'feature.callList.enabled', type: 'boolean', default: true, description: 'Enable the missed, placed and received call lists (0: disables all call lists; nothing is written).' },
    { name: 'feature.callListMissed.enabled', type: 'boolean', default: true, description: 'Enable the missed call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.callListPlaced.enabled', type: 'boolean', default: true, description: 'Enable the placed call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.callListReceived.enabled', type: 'boolean', default: true, description: 'Enable the received call list (needs feature.callList.enabled; spec default 0 contradicts "all enabled": 1 chosen).' },
    { name: 'feature.exchangeCallLog.enabled', type: 'boolean', default: { generic: false, skype: true }, description: 'Synchronize the call history with the Exchange server (needs feature.callList.enabled). Accepted; no Exchange client: lists stay local.' },
  ],
  dataClasses: [
    { storageClass: 'callLists', description: 'Missed, received and placed call lists (<MAC>-calls.xml / <user>-calls.xml); a user\'s lists are erased by the calls module at logout unless callLists.eraseAtLogout=0', personal: true, partition: 'fs', perUser: true, removedBy: ['resetUserData', 'clearPersonalInfo', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'feature.uploadDir.enabled' } },
  ],
  screens: [],
};
