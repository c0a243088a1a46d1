/**
 * Whether a person can answer questions: stdin is a terminal and no CI variable says otherwise.
 * `CI=false` and `CI=0` are read as "not CI", as most CI tools write them that way to opt out.
 */
export function isInteractive(
  stdin: { isTTY?: boolean } = process.stdin,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const ci = env.CI;
  const underCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return stdin.isTTY === true && !underCi;
}
