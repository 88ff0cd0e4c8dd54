/** The instruction count (Ir) recorded in a callgrind dump file. */

function numbers(line: string): string[] {
  return line.trim().split(/\s+/);
}

/**
 * Total `Ir` of a callgrind dump: the `totals:` line (written last, so its presence also proves the
 * file is complete), else the `summary:` line, in the column that `events:` names `Ir`.
 *
 * @example
 * ```ts
 * irFromDump("events: Ir\nsummary: 787412326\n...\ntotals: 787412326\n"); // 787412326
 * ```
 */
export function irFromDump(text: string): number {
  const events = /^events:(.*)$/m.exec(text)?.[1];
  if (events === undefined) throw new Error("not a callgrind dump: no events: line");
  const column = numbers(events).indexOf("Ir");
  if (column < 0) throw new Error(`the callgrind dump counts no Ir (events:${events})`);
  const total = /^totals:(.*)$/m.exec(text)?.[1] ?? /^summary:(.*)$/m.exec(text)?.[1];
  if (total === undefined) throw new Error("the callgrind dump has no totals: or summary: line");
  const value = Number(numbers(total)[column]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`the callgrind dump's total is not a count: ${total.trim()}`);
  return value;
}

/**
 * True once callgrind has finished writing the dump (the `totals:` line comes last).
 *
 * @example
 * ```ts
 * dumpComplete(readFileSync(file, "utf8")); // false while callgrind is still writing it
 * ```
 */
export function dumpComplete(text: string): boolean {
  return /^totals:/m.test(text);
}
