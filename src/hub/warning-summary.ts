/** Warnings a topic's source.lastError names at most; the rest are counted. */
export const MAX_WARNINGS_SHOWN = 5;

/** A poll's warnings as source.lastError shows them: the first few, then how many more. Pure. */
export function warningSummary(warnings: readonly string[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const shown = warnings.slice(0, MAX_WARNINGS_SHOWN).join('; ');
  return warnings.length > MAX_WARNINGS_SHOWN ? `${shown}; and ${warnings.length - MAX_WARNINGS_SHOWN} more` : shown;
}
