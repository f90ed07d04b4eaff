/** Node's options in the order Node reads them: NODE_OPTIONS first, then the command line (the heap limit and the V8 pool size read them). */
export function nodeArgs(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...(nodeOptions ?? '').split(/\s+/), ...execArgv];
}
