import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Invitation } from "@vergewis/sdk";

/**
 * One depicted person's invitation: the uploader's as Vergewis returned it (link and code), a
 * co-performer's as the address Vergewis mailed it to (the platform never sees their code).
 */
export type SentInvitation = Omit<Invitation, "url" | "code"> &
  Partial<Pick<Invitation, "url" | "code">> & {
    contact?: string;
  };

/** An upload as the platform records it; the consent status itself lives in Vergewis. */
export interface Upload {
  /** The platform's id for the content: also its `externalId` in Vergewis. */
  id: string;
  title: string;
  /** The name the uploader's browser sent; shown back to them, never used as a path. */
  fileName: string;
  mediaType: string;
  bytes: number;
  /** SHA-256 of the file, lower-case hex. */
  sha256: string;
  publicationId: string;
  /** One per slot: the uploader's own invitation, and where the others' went. Shown to the owner only. */
  invitations: SentInvitation[];
  /** SHA-256 (hex) of the uploader's session token (session.ts): who may see the invitations. */
  owner: string | null;
  createdAt: Date;
  /** Set once the file was deleted because Vergewis asked for a takedown: served as 410 from then on. */
  takenDownAt: Date | null;
  /** The takedown that removed it. */
  takedownId: string | null;
}

interface Row {
  id: string;
  title: string;
  file_name: string;
  media_type: string;
  bytes: number;
  sha256: string;
  publication_id: string;
  invitations: SentInvitation[];
  owner: string | null;
  created_at: Date;
  taken_down_at: Date | null;
  takedown_id: string | null;
}

/** Each entry moves the schema one version on; applied in order, in one transaction each. */
const MIGRATIONS = [
  `CREATE TABLE uploads (
     id             uuid PRIMARY KEY,
     title          text NOT NULL,
     file_name      text NOT NULL,
     media_type     text NOT NULL,
     bytes          bigint NOT NULL CHECK (bytes >= 0),
     sha256         text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
     publication_id uuid NOT NULL UNIQUE,
     invitations    jsonb NOT NULL,
     created_at     timestamptz NOT NULL DEFAULT now()
   )`,
  `ALTER TABLE uploads ADD COLUMN taken_down_at timestamptz, ADD COLUMN takedown_id uuid;
   -- Webhooks already handled, by webhook-id: a redelivery is answered without acting twice.
   CREATE TABLE webhook_events (
     id          uuid PRIMARY KEY,
     type        text NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now()
   );
   -- The webhook endpoint this platform registered, and its signing secret.
   CREATE TABLE webhook_endpoint (
     url    text PRIMARY KEY,
     id     uuid NOT NULL,
     secret text NOT NULL
   );
   -- Consent receipts (JWS): the evidence of each consent, verifiable offline.
   CREATE TABLE receipts (
     consent_id uuid PRIMARY KEY,
     upload_id  uuid NOT NULL REFERENCES uploads (id),
     receipt    text NOT NULL
   );
   CREATE INDEX receipts_upload ON receipts (upload_id);
   -- Vergewis's key set, as last fetched: to verify receipts while Vergewis cannot be reached.
   CREATE TABLE key_set (
     id         boolean PRIMARY KEY DEFAULT true CHECK (id),
     jwks       jsonb NOT NULL,
     fetched_at timestamptz NOT NULL DEFAULT now()
   )`,
  // Whose upload it is: the hash of the uploader's session token. Earlier uploads have none.
  `ALTER TABLE uploads ADD COLUMN owner text`,
];

const fromRow = (row: Row): Upload => ({
  id: row.id,
  title: row.title,
  fileName: row.file_name,
  mediaType: row.media_type,
  bytes: Number(row.bytes),
  sha256: row.sha256,
  publicationId: row.publication_id,
  invitations: row.invitations,
  owner: row.owner,
  createdAt: row.created_at,
  takenDownAt: row.taken_down_at,
  takedownId: row.takedown_id,
});

/**
 * The example platform's own database of uploads: PGlite in-process, persisted in `dir` (in
 * memory without one). Only one process may open a directory; a second one is refused.
 */
export class UploadStore {
  readonly #db: PGlite;
  readonly #release: () => void;

  private constructor(db: PGlite, release: () => void) {
    this.#db = db;
    this.#release = release;
  }

  static async open(dir?: string): Promise<UploadStore> {
    const release = dir ? lock(dir) : () => {};
    try {
      const db = await PGlite.create(dir);
      if (dir) ownerOnly(dir);
      await migrate(db);
      return new UploadStore(db, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Records a registered upload; false when the same file (by SHA-256) is already recorded. */
  async add(upload: Omit<Upload, "createdAt" | "takenDownAt" | "takedownId">): Promise<boolean> {
    const result = await this.#db.query(
      `INSERT INTO uploads (id, title, file_name, media_type, bytes, sha256, publication_id, invitations, owner)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (sha256) DO NOTHING`,
      [
        upload.id,
        upload.title,
        upload.fileName,
        upload.mediaType,
        upload.bytes,
        upload.sha256,
        upload.publicationId,
        JSON.stringify(upload.invitations),
        upload.owner,
      ],
    );
    return result.affectedRows === 1;
  }

  async get(id: string): Promise<Upload | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.#db.query<Row>("SELECT * FROM uploads WHERE id = $1", [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async findBySha256(sha256: string): Promise<Upload | undefined> {
    const { rows } = await this.#db.query<Row>("SELECT * FROM uploads WHERE sha256 = $1", [sha256]);
    return rows[0] && fromRow(rows[0]);
  }

  async findByPublicationId(publicationId: string): Promise<Upload | undefined> {
    if (!UUID.test(publicationId)) return undefined;
    const { rows } = await this.#db.query<Row>("SELECT * FROM uploads WHERE publication_id = $1", [publicationId]);
    return rows[0] && fromRow(rows[0]);
  }

  /** Records that the upload was taken down; the first takedown's time and id stay. */
  async markTakenDown(id: string, takedownId: string, at: Date): Promise<Upload | undefined> {
    const { rows } = await this.#db.query<Row>(
      `UPDATE uploads SET taken_down_at = coalesce(taken_down_at, $2), takedown_id = coalesce(takedown_id, $3)
       WHERE id = $1 RETURNING *`,
      [id, at, takedownId],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Records a handled webhook by its id (`webhook-id`, the same on every redelivery). */
  async recordWebhook(id: string, type: string): Promise<void> {
    await this.#db.query("INSERT INTO webhook_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [
      id,
      type,
    ]);
  }

  async webhookHandled(id: string): Promise<boolean> {
    const { rows } = await this.#db.query("SELECT 1 FROM webhook_events WHERE id = $1", [id]);
    return rows.length > 0;
  }

  /** Keeps an upload's consent receipts (from `publication.cleared`, or fetched when it was missed). */
  async addReceipts(uploadId: string, receipts: Array<{ consentId: string; receipt: string }>): Promise<void> {
    for (const { consentId, receipt } of receipts) {
      await this.#db.query(
        "INSERT INTO receipts (consent_id, upload_id, receipt) VALUES ($1, $2, $3) ON CONFLICT (consent_id) DO NOTHING",
        [consentId, uploadId, receipt],
      );
    }
  }

  async receiptsOfUpload(uploadId: string): Promise<string[]> {
    const { rows } = await this.#db.query<{ receipt: string }>(
      "SELECT receipt FROM receipts WHERE upload_id = $1 ORDER BY consent_id",
      [uploadId],
    );
    return rows.map((row) => row.receipt);
  }

  async receiptsBySha256(sha256: string): Promise<string[]> {
    const { rows } = await this.#db.query<{ receipt: string }>(
      "SELECT r.receipt FROM receipts r JOIN uploads u ON u.id = r.upload_id WHERE u.sha256 = $1 ORDER BY r.consent_id",
      [sha256],
    );
    return rows.map((row) => row.receipt);
  }

  async keySet(): Promise<{ keys: unknown[] } | undefined> {
    const { rows } = await this.#db.query<{ jwks: { keys: unknown[] } }>("SELECT jwks FROM key_set");
    return rows[0]?.jwks;
  }

  async saveKeySet(jwks: { keys: unknown[] }): Promise<void> {
    await this.#db.query(
      `INSERT INTO key_set (id, jwks) VALUES (true, $1)
       ON CONFLICT (id) DO UPDATE SET jwks = excluded.jwks, fetched_at = now()`,
      [JSON.stringify(jwks)],
    );
  }

  async webhookEndpoint(url: string): Promise<{ id: string; secret: string } | undefined> {
    const { rows } = await this.#db.query<{ id: string; secret: string }>(
      "SELECT id, secret FROM webhook_endpoint WHERE url = $1",
      [url],
    );
    return rows[0];
  }

  async saveWebhookEndpoint(url: string, endpoint: { id: string; secret: string }): Promise<void> {
    await this.#db.query(
      `INSERT INTO webhook_endpoint (url, id, secret) VALUES ($1, $2, $3)
       ON CONFLICT (url) DO UPDATE SET id = excluded.id, secret = excluded.secret`,
      [url, endpoint.id, endpoint.secret],
    );
  }

  /** Newest first. */
  async list(limit = 100): Promise<Upload[]> {
    const { rows } = await this.#db.query<Row>("SELECT * FROM uploads ORDER BY created_at DESC, id LIMIT $1", [limit]);
    return rows.map(fromRow);
  }

  async close(): Promise<void> {
    try {
      await this.#db.close();
    } finally {
      this.#release();
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function migrate(db: PGlite): Promise<void> {
  await db.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
  const { rows } = await db.query<{ version: number }>("SELECT max(version) AS version FROM schema_version");
  for (let version = rows[0]?.version ?? 0; version < MIGRATIONS.length; version++) {
    await db.transaction(async (tx) => {
      await tx.exec(MIGRATIONS[version]!);
      await tx.query("INSERT INTO schema_version (version) VALUES ($1)", [version + 1]);
    });
  }
}

/**
 * PGlite gives its files mode 0666 (less the umask for files it adds as it runs): readable by every
 * user of the machine. Once it has opened the directory, all of it is narrowed to the owner, and
 * files this process adds from then on are the owner's only.
 */
function ownerOnly(dir: string): void {
  process.umask(0o077);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory() || entry.isFile())
      fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
  }
}

/** PGlite does not lock its directory, and two processes on one directory corrupt it. */
function lock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "example-platform.lock");
  try {
    fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const pid = Number(fs.readFileSync(file, "utf8"));
    if (isAlive(pid)) throw new Error(`The upload database in ${dir} is in use by process ${pid}.`);
    fs.writeFileSync(file, String(process.pid), { mode: 0o600 });
  }
  return () => fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
