import { usageError } from "../errors.js";
import { DEPP_LEVELS, type DeppLevel } from "./apis/inserjeunes-api.js";

/** Parsers of the fetch flags (pure): each error names the flag, the value and what is expected. */

/** `2023,2024` or `2022_2023` → end years [2023, 2024]. */
export function parseMillesimes(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const years = new Set<number>();
  for (const item of value.split(",").map((s) => s.trim())) {
    const single = /^(\d{4})$/.exec(item);
    const cumul = /^(\d{4})[_-](\d{4})$/.exec(item);
    if (single) years.add(Number(single[1]));
    else if (cumul && Number(cumul[2]) === Number(cumul[1]) + 1) years.add(Number(cumul[2]));
    else
      throw usageError(`--millesimes ${value}: "${item}" is not a millésime`, {
        hint: "give years separated by commas (2023,2024); 2022_2023 is read as 2023",
      });
  }
  return [...years].sort((a, b) => a - b);
}

export function parseLevels(value: string | undefined): DeppLevel[] | undefined {
  if (value === undefined) return undefined;
  const levels = value.split(",").map((s) => s.trim());
  for (const level of levels)
    if (!(DEPP_LEVELS as readonly string[]).includes(level))
      throw usageError(`--levels ${value}: "${level}" is not a level`, {
        hint: `expected ${DEPP_LEVELS.join(", ")}`,
      });
  return levels as DeppLevel[];
}

/** A positive number (decimals allowed), e.g. --rate 0.5. */
export function parsePositive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0))
    throw usageError(`${flag} ${value}: expected a positive number`);
  return n;
}
