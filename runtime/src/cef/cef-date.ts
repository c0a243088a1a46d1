import { MONTH_NAMES, twoDigits } from '../log/date-parts.js';

/**
 * The record's date in local time as the legacy library wrote it (`%b %d %H:%M:%S`): English
 * month, day padded with a zero, 24-hour clock, for example `Jan 05 13:45:07`. Always 15
 * characters, which is how `parseCef` finds the end of it.
 */
export function formatCefDate(date: Date): string {
  const day = twoDigits(date.getDate());
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()].map(twoDigits).join(':');
  return `${MONTH_NAMES[date.getMonth()]} ${day} ${time}`;
}
