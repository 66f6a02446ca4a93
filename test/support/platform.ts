import type { CreatedPublication, PublicationRequest } from "@vergewis/sdk";
import { bearer, coPerformerAddress, publicationRequest } from "./fixtures.ts";
import { invitationIn } from "./mail.ts";
import { ReviewServer } from "./review-server.ts";
import type { TestServer } from "./server.ts";

/** A platform talking to the API over HTTP with its key. */
export class TestPlatform {
  constructor(
    readonly server: TestServer,
    readonly id: string,
    readonly apiKey: string,
  ) {}

  /** Where content is served for review: set, publish() serves a new picture unless told what content. */
  reviewServer: ReviewServer | undefined;

  static async create(server: TestServer, name = "Test platform"): Promise<TestPlatform> {
    const platform = await server.createPlatform(name);
    return new TestPlatform(server, platform.id, platform.apiKey);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers: { ...bearer(this.apiKey), ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /**
   * Requests consent, then reads each co-performer's invitation from their mail as the person
   * would: the answer's `invitations` holds one per slot, in slot order (the API's holds the
   * uploader's alone).
   */
  async publish(overrides: Partial<PublicationRequest> = {}): Promise<CreatedPublication> {
    const served =
      this.reviewServer && !overrides.contentFingerprints && ReviewServer.content([this.reviewServer.addPicture()]);
    const given = publicationRequest({ ...served, ...overrides });
    // A co-performer needs an address for their mail: one of their own where the test gave none.
    const request = {
      ...given,
      slots: given.slots.map((slot) =>
        slot.role === "co-performer" && slot.contact === undefined ? { ...slot, contact: coPerformerAddress() } : slot,
      ),
    };
    const res = await this.request<CreatedPublication>("POST", "/v1/publications", request);
    if (res.status !== 201) throw new Error(`publication request failed: ${res.status} ${JSON.stringify(res.body)}`);
    const invitations = await this.invitations(res.body, request);
    await this.server.mailSettled(res.body.id);
    return { ...res.body, invitations };
  }

  /** Every slot's invitation: the uploader's from the answer, the others from the mail catcher. */
  async invitations(
    created: CreatedPublication,
    request: PublicationRequest,
  ): Promise<CreatedPublication["invitations"]> {
    return Promise.all(
      created.slots.map(async (slot) => {
        const answered = created.invitations.find((i) => i.slotId === slot.id);
        if (answered) return answered;
        const mail = await this.server.mail.waitForMail(request.slots[slot.position]!.contact!);
        return { slotId: slot.id, position: slot.position, expiresAt: slot.expiresAt, ...invitationIn(mail) };
      }),
    );
  }
}
