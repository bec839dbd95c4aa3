import { InvalidArgumentError } from 'commander';

/** A commander option parser for integers ≥ `min` (and ≤ `max`), with an error that names the option. */
export const parseInteger =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} takes a whole number ≥ ${min}, got "${value}"`
          : `${name} takes a whole number from ${min} to ${max}, got "${value}"`,
      );
    return Number(value);
  };

export const parseChoice =
  <T extends string>(name: string, choices: readonly T[]) =>
  (value: string): T => {
    if (!choices.includes(value as T)) throw new InvalidArgumentError(`${name} is one of ${choices.join(', ')}; got "${value}"`);
    return value as T;
  };
