import type { AuditEvent, AuditEventList } from "@vergewis/sdk";
import { html } from "../web/html.ts";
import type { Locale } from "../web/i18n.ts";
import type { Auditor } from "../audit/auditor-token.ts";
import { formatTime, type Translate } from "./messages.ts";
import { jsonData } from "../web/html.ts";
import { consolePage } from "./shell.ts";

const FIELDS = ["platform", "publication", "performer", "type", "from", "to"] as const;

/** The search form's fields as typed, so that the form shows what was asked. */
export type SearchFields = Partial<Record<(typeof FIELDS)[number], string>>;

export const searchFields = (query: Record<string, unknown>): SearchFields =>
  Object.fromEntries(FIELDS.flatMap((f) => (typeof query[f] === "string" ? [[f, query[f]]] : [])));

const query = (fields: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v) params.set(k, v);
  return params.toString();
};

export function eventsPage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor,
  fields: SearchFields,
  list: AuditEventList,
): string {
  const input = (name: keyof SearchFields, label: string) =>
    html`<div><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="text" value="${fields[name] ?? ""}"></div>`;
  const exportHref = (format: string) => `/audit/export?${query({ ...fields, format })}`;
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: t("events.title"),
    body: html`
      <form method="get" action="/audit/events" class="card search">
        ${auditor.scope.kind === "all" ? input("platform", t("table.platform")) : ""}
        ${input("publication", t("table.publication"))} ${input("performer", t("table.performer"))}
        ${input("type", t("table.type"))} ${input("from", t("events.from"))} ${input("to", t("events.to"))}
        <input type="hidden" name="order" value="desc">
        <div class="actions"><button type="submit">${t("events.search")}</button></div>
      </form>
      <p class="actions"><a class="button secondary" href="${exportHref("csv")}">${t("events.exportCsv")}</a>
        <a class="button secondary" href="${exportHref("jsonl")}">${t("events.exportJsonl")}</a></p>
      ${
        list.items.length === 0
          ? html`<p class="muted">${t("events.none")}</p>`
          : html`<div class="table-scroll"><table id="events"><thead><tr><th>${t("table.index")}</th><th>${t("table.time")}</th>
            <th>${t("table.type")}</th><th>${t("table.platform")}</th><th>${t("table.publication")}</th></tr></thead>
            <tbody>${list.items.map(
              (e) => html`<tr><td><a href="/audit/events/${e.index}">${e.index}</a></td><td>${formatTime(e.time)}</td>
                <td>${e.type}</td><td class="mono">${e.platformId ?? "–"}</td><td class="mono">${e.publicationId ?? "–"}</td></tr>`,
            )}</tbody></table></div>`
      }
      ${
        list.nextCursor
          ? html`<p><a href="/audit/events?${query({ ...fields, order: "desc", cursor: list.nextCursor })}">${t("events.next")}</a></p>`
          : ""
      }`,
  });
}

export interface ProofView {
  treeSize: number;
  proof: string[];
  checkpoint: string;
  verifierKey: string;
}

/** One entry with its inclusion proof; the console script verifies the proof in the browser. */
export function eventPage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor,
  event: AuditEvent,
  proof: ProofView,
): string {
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: t("event.title", { index: event.index }),
    script: true,
    body: html`
      <section class="card">
        <dl class="facts">
          <dt>${t("table.type")}</dt><dd>${event.type}</dd>
          <dt>${t("table.time")}</dt><dd>${formatTime(event.time)}</dd>
          <dt>${t("table.platform")}</dt><dd class="mono">${event.platformId ?? "–"}</dd>
          <dt>${t("table.publication")}</dt><dd class="mono">${event.publicationId ?? "–"}</dd>
          <dt>${t("table.performer")}</dt><dd class="mono">${event.performerPseudonym ?? "–"}</dd>
          <dt>${t("event.leafHash")}</dt><dd class="mono">${event.leafHash}</dd>
        </dl>
        <h2>${t("event.data")}</h2><pre>${JSON.stringify(event.data, null, 2)}</pre>
        <h2>${t("event.entry")}</h2><pre class="entry">${event.entry}</pre>
      </section>
      <h2>${t("event.proof")}</h2>
      <section class="card">
        <p id="proof-status" class="notice" role="status" data-state="pending" data-verified="${t("event.verified")}"
          data-failed="${t("event.failed")}">${t("event.pending")}</p>
        <h3>${t("checkpoint.title")}</h3><pre class="note">${proof.checkpoint}</pre>
        <p class="muted">${t("checkpoint.key")}: <span class="mono">${proof.verifierKey}</span></p>
        <h3>${t("event.auditPath")}</h3>
        <ol class="mono path">${proof.proof.map((h) => html`<li>${h}</li>`)}</ol>
      </section>
      ${jsonData("proof-data", { index: event.index, entry: event.entry, leafHash: event.leafHash, ...proof })}`,
  });
}

export function messagePage(
  locale: Locale,
  t: Translate,
  path: string,
  auditor: Auditor | undefined,
  text: string,
): string {
  return consolePage({
    locale,
    t,
    path,
    auditor,
    title: t("error.title"),
    body: html`<p class="notice bad">${text}</p><p><a href="/audit">${t("error.back")}</a></p>`,
  });
}
