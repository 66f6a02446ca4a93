import { producedAtSchema, scopeRequestSchema, slotRequestSchema, type PublicationRequest } from "@vergewis/sdk";
import { z } from "zod";

/** The upload form as the browser sends it. */
export interface UploadForm {
  title: string;
  /** `"yes"` when the uploader appears in the content (checkbox). */
  uploaderDepicted?: string;
  /** Everyone else who appears: one e-mail address per line, where Vergewis mails their invitation. */
  coPerformers: string;
  /** ISO country codes, separated by commas or spaces. */
  territories: string;
  /** The day it was made (YYYY-MM-DD): everyone in it must have been 18 or older then. */
  producedAt: string;
}

/** An empty form; the production date starts at today, for the uploader to correct. */
export const emptyForm = (): UploadForm => ({
  title: "",
  uploaderDepicted: "yes",
  coPerformers: "",
  territories: "NL",
  producedAt: new Date().toISOString().slice(0, 10),
});

const VALID_DAYS = 365;

// The SDK's own schemas: the server would refuse what they refuse, so say so on the form.
const requestSchema = z.object({
  title: z.string(),
  slots: z
    .array(slotRequestSchema)
    .min(1, "Say who appears in it: you, someone else, or both.")
    .max(20, "At most 20 people."),
  scope: scopeRequestSchema,
  producedAt: producedAtSchema,
});

const formSchema = z
  .object({
    title: z.string().trim().min(1, "Give the upload a title.").max(300, "At most 300 characters."),
    uploaderDepicted: z.literal("yes").optional(),
    coPerformers: z.string().max(10_000).default(""),
    territories: z.string().max(1_000).default(""),
    producedAt: z.string().max(10).default(""),
  })
  .transform(
    ({ title, uploaderDepicted, coPerformers, territories, producedAt }): z.input<typeof requestSchema> => ({
      title,
      producedAt,
      slots: [
        ...(uploaderDepicted ? [{ role: "uploader" as const }] : []),
        ...coPerformers
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
          .map((contact) => ({ role: "co-performer" as const, contact })),
      ],
      scope: {
        purposes: ["publish"],
        territories: territories
          .toUpperCase()
          .split(/[\s,;]+/)
          .filter(Boolean),
        validUntil: new Date(Date.now() + VALID_DAYS * 86_400_000).toISOString(),
      },
    }),
  )
  .pipe(requestSchema);

export type FormErrors = Partial<Record<keyof UploadForm | "file", string>>;

const FIELD_OF: Record<string, keyof UploadForm> = {
  title: "title",
  slots: "coPerformers",
  scope: "territories",
  producedAt: "producedAt",
};

/** The publication request for a valid form (without fingerprint and id), or an error per field. */
export function readUploadForm(
  fields: Record<string, string>,
):
  | { ok: true; request: Omit<PublicationRequest, "externalId" | "contentFingerprints" | "reviewItems"> }
  | { ok: false; errors: FormErrors } {
  const result = formSchema.safeParse(fields);
  if (result.success) return { ok: true, request: result.data };
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const field = FIELD_OF[String(issue.path[0])];
    if (field)
      errors[field] ??=
        issue.path[0] === "slots" && issue.path.length > 1 ? `A contact: ${issue.message}` : issue.message;
  }
  return { ok: false, errors };
}

/** The form's fields as typed, to show them again next to the errors. */
export function formValues(fields: Record<string, string>): UploadForm {
  return {
    title: fields.title ?? "",
    ...(fields.uploaderDepicted !== undefined && { uploaderDepicted: fields.uploaderDepicted }),
    coPerformers: fields.coPerformers ?? "",
    territories: fields.territories ?? "",
    producedAt: fields.producedAt ?? "",
  };
}
