export type SignalName = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

export type SignalHandlers = Partial<Record<SignalName, (signal: SignalName) => void>>;

/** Installs process signal handlers; the returned function removes exactly these. */
export function installSignalHandlers(handlers: SignalHandlers): () => void {
  const installed: Array<[SignalName, () => void]> = [];
  for (const [signal, handler] of Object.entries(handlers) as Array<
    [SignalName, (signal: SignalName) => void]
  >) {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    installed.push([signal, listener]);
  }
  return () => {
    for (const [signal, listener] of installed) process.off(signal, listener);
  };
}
