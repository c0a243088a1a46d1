/** English month abbreviations, as `strftime`'s `%b` writes them in the C locale. */
export const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** A day, hour, minute or second with a leading zero, as `%d`, `%H`, `%M` and `%S` write it. */
export function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}
