import { InvalidTransitionError } from "./errors.ts";

export interface StateMachine<S extends string> {
  readonly name: string;
  /** Every state and the states it may move to. */
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  can(from: S, to: S): boolean;
  /** Returns `to`, or throws InvalidTransitionError. */
  assert(from: S, to: S): S;
}

/** Each lifecycle (publication, slot, consent, delivery) is one table of legal moves. */
export function defineStateMachine<S extends string>(
  name: string,
  transitions: Record<S, readonly S[]>,
): StateMachine<S> {
  const can = (from: S, to: S) => transitions[from].includes(to);
  return {
    name,
    transitions,
    can,
    assert(from, to) {
      if (!can(from, to)) throw new InvalidTransitionError(name, from, to);
      return to;
    },
  };
}
