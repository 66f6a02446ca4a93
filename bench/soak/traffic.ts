// The soak's operations against a running server, over HTTP as platforms, performers (software
// passkeys, test/support/authenticator.ts) and auditors make them. Every request is timed and its
// status recorded per kind; an operation never throws, it records.
import { randomBytes } from "node:crypto";
import type { CreatedPublication } from "@vergewis/sdk";
import { bearer, publicationRequest } from "../../test/support/fixtures.ts";
import { TestPerformer } from "../../test/support/performer.ts";
import { freshIdentity } from "../../test/support/portal.ts";
import type { Operation } from "./schedule.ts";
import { KindRecord } from "./summary.ts";

export interface SoakServerInfo {
  url: string;
  platformId: string;
  apiKey: string;
  /** A second platform's key: its reads of the first platform's publications must answer 404. */
  otherApiKey: string;
  auditorToken: string;
}

interface Fingerprint {
  alg: "sha-256";
  value: string;
}

interface Performer {
  performer: TestPerformer;
  /** A performer's flows run one after another: the session holds the invitation being opened. */
  chain: Promise<void>;
}

/** How many fingerprints the checks choose from (the newest); a tenth of checks ask for unknown ones. */
const FINGERPRINT_POOL = 5000;

export class Traffic {
  readonly kinds = new Map<string, KindRecord>();
  readonly skipped: Partial<Record<Operation, number>> = {};
  readonly inFlight = new Set<Promise<void>>();
  started = 0;
  #performers: Performer[] = [];
  #next = 0;
  #invitations: Array<{ url: string; slotId: string }> = [];
  #consents: Array<{ performer: Performer; consentId: string }> = [];
  #fingerprints: Fingerprint[] = [];
  #published: string[] = [];
  #sequence = 0;

  constructor(
    readonly server: SoakServerInfo,
    rates: Record<string, number>,
  ) {
    for (const [kind, rate] of Object.entries(rates)) this.kinds.set(kind, new KindRecord(kind, rate));
  }

  /** Performers onboarded (age verified at the local provider, a passkey registered) and a stock of work. */
  async setup(performers: number, seed: number) {
    for (let i = 0; i < performers; i++) {
      const performer = await new TestPerformer(this.server.url).onboard(freshIdentity("adult"));
      this.#performers.push({ performer, chain: Promise.resolve() });
    }
    for (let i = 0; i < 2 * seed; i++) await this.#publish();
    for (let i = 0; i < seed; i++) await this.#consent(this.#performers[i % performers]!);
    const failed = [...this.kinds.values()].filter((k) => k.unexpected);
    if (failed.length) throw new Error(`setup failed: ${failed.map((k) => `${k.kind} ${JSON.stringify(k.statuses)}`)}`);
    for (const [kind, record] of this.kinds) this.kinds.set(kind, new KindRecord(kind, record.rate));
    this.started = 0;
  }

  /** Starts one operation now, without waiting for it. */
  start(operation: Operation) {
    const running = this.#run(operation).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  async #run(operation: Operation): Promise<void> {
    switch (operation) {
      case "check":
        return void (await this.#check());
      case "publication":
        return void (await this.#publish());
      case "audit":
        return void (await this.#audit());
      case "invalid":
        return void (await this.#invalid());
      case "consent": {
        const performer = this.#performers[this.#next++ % this.#performers.length]!;
        return this.#serially(performer, () => this.#consent(performer), operation);
      }
      case "revocation": {
        const consent = this.#consents.shift();
        if (!consent) return this.#skip(operation);
        return this.#serially(consent.performer, () => this.#revoke(consent.performer, consent.consentId), operation);
      }
    }
  }

  #serially(performer: Performer, flow: () => Promise<void>, operation: Operation): Promise<void> {
    const run = performer.chain.then(flow, flow);
    performer.chain = run.catch(() => this.#skip(operation));
    return performer.chain;
  }

  #skip(operation: Operation) {
    this.skipped[operation] = (this.skipped[operation] ?? 0) + 1;
  }

  /** Times one request and records its status; `undefined` when it got no answer at all. */
  async #timed<T extends { status: number }>(
    kind: string,
    expected: number[],
    request: () => Promise<T>,
  ): Promise<T | undefined> {
    const record = this.kinds.get(kind)!;
    this.started++;
    const begin = performance.now();
    try {
      const res = await request();
      record.add(res.status, performance.now() - begin, expected.includes(res.status));
      return expected.includes(res.status) ? res : undefined;
    } catch {
      record.add("error", performance.now() - begin, false);
      return undefined;
    }
  }

  async #platform(method: string, path: string, body?: unknown, key = this.server.apiKey) {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: { ...bearer(key), ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async #check() {
    const known = this.#fingerprints.length && this.#sequence++ % 10 !== 0;
    const fingerprint: Fingerprint = known
      ? this.#fingerprints[Math.floor(Math.random() * this.#fingerprints.length)]!
      : { alg: "sha-256", value: randomBytes(32).toString("hex") };
    await this.#timed("check", [200], () => this.#platform("POST", "/v1/check", { fingerprint }));
  }

  async #publish() {
    const res = await this.#timed("publication", [201], () =>
      this.#platform("POST", "/v1/publications", publicationRequest({ slots: [{ role: "uploader" }] })),
    );
    if (!res) return;
    const publication = res.body as CreatedPublication;
    this.#remember(publication.contentFingerprints[0] as Fingerprint);
    this.#published.push(publication.id);
    if (this.#published.length > FINGERPRINT_POOL) this.#published.shift();
    this.#invitations.push({ url: publication.invitations[0]!.url, slotId: publication.slots[0]!.id });
  }

  #remember(fingerprint: Fingerprint) {
    this.#fingerprints.push(fingerprint);
    if (this.#fingerprints.length > FINGERPRINT_POOL) this.#fingerprints.shift();
  }

  /** Link, claim, consent options, signature: as the portal's invitation page does it. */
  async #consent(entry: Performer) {
    const invitation = this.#invitations.shift();
    if (!invitation) return this.#skip("consent");
    const { performer } = entry;
    if (!(await this.#timed("invitation link", [303], () => performer.browser.request(invitation.url)))) return;
    if (!(await this.#timed("invitation claim", [200], () => performer.api("POST", "/invitations/claim", {})))) return;
    const options = await this.#timed("consent options", [200], () =>
      performer.api("POST", `/requests/${invitation.slotId}/consent/options`),
    );
    if (!options) return;
    const response = performer.authenticator.authenticate(options.body.options);
    const signed = await this.#timed("consent", [201], () =>
      performer.api("POST", `/requests/${invitation.slotId}/consent`, { document: options.body.document, response }),
    );
    if (signed) this.#consents.push({ performer: entry, consentId: signed.body.consentId });
  }

  async #revoke(entry: Performer, consentId: string) {
    const { performer } = entry;
    const options = await this.#timed("revocation options", [200], () =>
      performer.api("POST", `/consents/${consentId}/revocation/options`),
    );
    if (!options) return;
    const response = performer.authenticator.authenticate(options.body.options);
    await this.#timed("revocation", [200], () =>
      performer.api("POST", `/consents/${consentId}/revocation`, { document: options.body.document, response }),
    );
  }

  /** The newest events, as an auditor's console lists them; every tenth query asks for the metrics. */
  async #audit() {
    const path = this.#sequence++ % 10 === 0 ? "/v1/audit/metrics" : "/v1/audit/events?order=desc&limit=50";
    await this.#timed("audit query", [200], async () => {
      const res = await fetch(`${this.server.url}${path}`, { headers: bearer(this.server.auditorToken) });
      await res.arrayBuffer();
      return res;
    });
  }

  /** Intended 4xx: a malformed fingerprint (400), and another platform's publication (404). */
  async #invalid() {
    if (this.#sequence++ % 2 === 0 || !this.#published.length) {
      await this.#timed("invalid input", [400], () =>
        this.#platform("POST", "/v1/check", { fingerprint: { alg: "sha-256", value: "not-hex" } }),
      );
    } else {
      const id = this.#published[Math.floor(Math.random() * this.#published.length)]!;
      await this.#timed("invalid input", [404], () =>
        this.#platform("GET", `/v1/publications/${id}`, undefined, this.server.otherApiKey),
      );
    }
  }
}
