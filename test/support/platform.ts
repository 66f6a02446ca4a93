import type { CreatedPublication, PublicationRequest } from "@vergewis/sdk";
import { bearer, publicationRequest } from "./fixtures.ts";
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

  async publish(overrides: Partial<PublicationRequest> = {}): Promise<CreatedPublication> {
    const served =
      this.reviewServer && !overrides.contentFingerprints && ReviewServer.content([this.reviewServer.addPicture()]);
    const res = await this.request<CreatedPublication>(
      "POST",
      "/v1/publications",
      publicationRequest({ ...served, ...overrides }),
    );
    if (res.status !== 201) throw new Error(`publication request failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
