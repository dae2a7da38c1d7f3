/**
 * A constant lookup table: an immutable set of values fixed at load time (kinds, reasons, option
 * names). Module-level mutable containers are banned in src-core (per-store state lives on the
 * store); this is how a module keeps a constant one, typed so nothing can add to it.
 */
export function lookupSet<T>(values: Iterable<T>): ReadonlySet<T> {
  return new Set(values);
}
