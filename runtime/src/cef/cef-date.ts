const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The record's date in local time as the legacy library wrote it (`%b %d %H:%M:%S`): English
 * month, day padded with a zero, 24-hour clock, for example `Jan 05 13:45:07`. Always 15
 * characters, which is how `parseCef` finds the end of it.
 */
export function formatCefDate(date: Date): string {
  const day = pad(date.getDate());
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()].map(pad).join(':');
  return `${MONTHS[date.getMonth()]} ${day} ${time}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
