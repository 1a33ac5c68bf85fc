/** Bus event the calls module emits with each CDR it writes (payload: the record without its sequence number). */
export const CDR_EVENT = 'calls:cdr';
