/**
 * The performer who acts, as domain functions see them: their id, and the portal session that
 * their passkey ceremony's challenge is bound to (so a challenge issued to one browser cannot be
 * answered from another).
 */
export interface Performer {
  performerId: string;
  sessionId: string;
}
