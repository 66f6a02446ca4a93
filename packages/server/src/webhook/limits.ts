/**
 * The most webhook endpoints a platform may have: enough for a primary, a fallback and a few
 * per-environment receivers. Endpoint management enforces it; the outbox makes one delivery id per
 * endpoint up to it. Its own file, so that the outbox, which every domain writes to, does not
 * import endpoint management (URL checks, secrets, dead letters).
 */
export const MAX_ENDPOINTS = 10;
