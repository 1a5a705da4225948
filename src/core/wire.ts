/** Response header naming the log (epoch) a subscription reads; clients send it back as `?epoch=`. */
export const EPOCH_HEADER = 'im-bench-epoch';
/** Marks a poll answer cut (at about 1 MiB) before the end of the log, as a "has more" flag would: ask again at once. */
export const MORE_HEADER = 'im-bench-more';
