// Numeric codes from RFC 3164 section 4.1.1 (the same values as <syslog.h>).

export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  KERN: 0,
  USER: 1,
  MAIL: 2,
  DAEMON: 3,
  AUTH: 4,
  LPR: 6,
  NEWS: 7,
  UUCP: 8,
  CRON: 9,
  LOCAL0: 16,
  LOCAL1: 17,
  LOCAL2: 18,
  LOCAL3: 19,
  LOCAL4: 20,
  LOCAL5: 21,
  LOCAL6: 22,
  LOCAL7: 23,
};

export const SYSLOG_PRIORITIES: Readonly<Record<string, number>> = {
  EMERG: 0,
  ALERT: 1,
  CRIT: 2,
  ERR: 3,
  WARNING: 4,
  NOTICE: 5,
  INFO: 6,
  DEBUG: 7,
};

/** The openlog(3) options the legacy configuration accepted; only PID changes what is sent. */
export const SYSLOG_OPTIONS: ReadonlySet<string> = new Set([
  'PID',
  'CONS',
  'NDELAY',
  'NOWAIT',
  'PERROR',
]);
