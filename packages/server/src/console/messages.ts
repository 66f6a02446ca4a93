import { catalogue, type Locale } from "../web/i18n.ts";

const en = {
  area: "audit console",
  skip: "Skip to content",
  "nav.dashboard": "Dashboard",
  "nav.events": "Events",
  "nav.reports": "Reports",
  "nav.signOut": "Sign out",
  "scope.all": "Scope: all platforms",
  "scope.platform": "Scope: platform {id}",
  "login.title": "Auditor sign-in",
  "login.token": "Auditor token",
  "login.help": "The operator of Vergewis gives you a read-only token that starts with vgw_audit_.",
  "login.submit": "Sign in",
  "login.invalid": "This token is not valid, or it was revoked.",
  "dashboard.title": "Dashboard",
  "dashboard.period": "The last 30 days, computed from the first {size} log entries (the newest checkpoint).",
  "dashboard.takedowns": "Takedowns requested",
  "dashboard.median": "Median time to removal",
  "dashboard.p95": "95th percentile time to removal",
  "dashboard.compliance": "SLA compliance",
  "dashboard.consents": "Consents",
  "dashboard.revocations": "Revocations",
  "dashboard.reports": "Reports",
  "dashboard.latencyChart": "Time to removal per day ({unit})",
  "dashboard.slaChart": "SLA compliance per day (%)",
  "dashboard.overdue": "Overdue takedowns",
  "dashboard.noOverdue": "No takedown is overdue.",
  "table.index": "Entry",
  "table.time": "Time (UTC)",
  "table.type": "Type",
  "table.platform": "Platform",
  "table.publication": "Publication",
  "table.performer": "Performer pseudonym",
  "table.takedown": "Takedown",
  "table.reason": "Reason",
  "table.requested": "Requested",
  "table.due": "Due",
  "table.overdueBy": "Overdue by",
  "table.removed": "Removed",
  "table.latency": "Time to removal",
  "table.sla": "SLA",
  "table.sources": "Log entries",
  "checkpoint.title": "Signed checkpoint",
  "checkpoint.size": "Tree size",
  "checkpoint.root": "Root hash",
  "checkpoint.key": "Verifier key",
  "events.title": "Events",
  "events.from": "From (UTC)",
  "events.to": "Until (UTC)",
  "events.search": "Search",
  "events.none": "No events match.",
  "events.next": "Next page",
  "events.exportCsv": "Export CSV",
  "events.exportJsonl": "Export JSONL",
  "event.title": "Log entry {index}",
  "event.data": "Data",
  "event.entry": "Entry as hashed (RFC 8785 canonical JSON)",
  "event.leafHash": "Leaf hash",
  "event.proof": "Inclusion proof",
  "event.auditPath": "Audit path (RFC 9162)",
  "event.pending": "Verifying in your browser…",
  "event.verified": "Verified in your browser: this entry is in the log as signed in the checkpoint below.",
  "event.failed": "Verification failed:",
  "event.notFound": "There is no log entry with this number in your scope.",
  "reports.title": "Monthly compliance report",
  "reports.platform": "Platform",
  "reports.month": "Month",
  "reports.open": "Open report",
  "reports.csv": "Download CSV",
  "report.title": "Monthly compliance report",
  "report.generated": "Generated",
  "report.period": "Period",
  "report.figure": "Figure",
  "report.value": "Value",
  "report.takedowns": "Takedowns requested this month",
  "report.method":
    "Every figure is computed from entries of the Vergewis audit log. The log indexes after each figure name those entries; each can be checked with an inclusion proof against the signed checkpoint below. Times to removal run from the takedown request (for a revocation, the moment of revocation) to the removal time the platform reported; percentiles are nearest-rank, so each is the time of one real takedown. A takedown breaches the SLA when it was removed after its deadline, or is not removed after it.",
  "figure.publications": "Publication requests",
  "figure.consents": "Consents given",
  "figure.declines": "Consents declined",
  "figure.revocations": "Consents revoked",
  "figure.reports": "Reports received (notice and action)",
  "figure.takedownsRequested": "Takedowns requested",
  "figure.takedownsCompleted": "Takedowns completed",
  "figure.removalTimeMedian": "Median time from revocation or report to removal",
  "figure.removalTimeP95": "95th percentile time from revocation or report to removal",
  "figure.slaMet": "Removed within the SLA",
  "figure.slaBreached": "SLA breaches",
  "figure.slaPending": "Open, not yet due",
  "figure.slaCompliance": "SLA compliance",
  "sla.met": "met",
  "sla.breached": "breached",
  "sla.pending": "open",
  "error.title": "Something went wrong",
  "error.back": "Back to the dashboard",
  "error.generic": "Something went wrong on our side. It has been logged; please try again.",
  "error.notFound": "This page does not exist.",
  "error.invalid": "The request is not valid. Check the search fields and try again.",
  "error.crossOrigin": "This form must be sent from the console itself. Reload the page and try again.",
  "error.outOfScope": "Your auditor token does not cover this platform.",
  "error.rateLimited": "Too many sign-in attempts. Wait a minute and try again.",
  "error.tooLarge": "What was sent is too large. Go back and try again.",
  "error.unsupported": "The form was sent in a way the console cannot read. Go back and try again.",
  "error.unavailable": "The console cannot be used for a moment. Try again in a minute.",
};

const nl: typeof en = {
  area: "auditconsole",
  skip: "Naar de inhoud",
  "nav.dashboard": "Overzicht",
  "nav.events": "Gebeurtenissen",
  "nav.reports": "Rapporten",
  "nav.signOut": "Afmelden",
  "scope.all": "Bereik: alle platforms",
  "scope.platform": "Bereik: platform {id}",
  "login.title": "Aanmelden als auditor",
  "login.token": "Auditortoken",
  "login.help": "De beheerder van Vergewis geeft u een alleen-lezen token dat begint met vgw_audit_.",
  "login.submit": "Aanmelden",
  "login.invalid": "Dit token is niet geldig, of het is ingetrokken.",
  "dashboard.title": "Overzicht",
  "dashboard.period": "De laatste 30 dagen, berekend uit de eerste {size} logregels (het nieuwste checkpoint).",
  "dashboard.takedowns": "Verwijderverzoeken",
  "dashboard.median": "Mediane tijd tot verwijdering",
  "dashboard.p95": "95e percentiel tijd tot verwijdering",
  "dashboard.compliance": "Binnen de SLA",
  "dashboard.consents": "Toestemmingen",
  "dashboard.revocations": "Intrekkingen",
  "dashboard.reports": "Meldingen",
  "dashboard.latencyChart": "Tijd tot verwijdering per dag ({unit})",
  "dashboard.slaChart": "Binnen de SLA per dag (%)",
  "dashboard.overdue": "Te late verwijderingen",
  "dashboard.noOverdue": "Er is geen verwijdering te laat.",
  "table.index": "Regel",
  "table.time": "Tijd (UTC)",
  "table.type": "Soort",
  "table.platform": "Platform",
  "table.publication": "Publicatie",
  "table.performer": "Pseudoniem performer",
  "table.takedown": "Verwijderverzoek",
  "table.reason": "Reden",
  "table.requested": "Gevraagd",
  "table.due": "Uiterlijk",
  "table.overdueBy": "Te laat met",
  "table.removed": "Verwijderd",
  "table.latency": "Tijd tot verwijdering",
  "table.sla": "SLA",
  "table.sources": "Logregels",
  "checkpoint.title": "Ondertekend checkpoint",
  "checkpoint.size": "Boomgrootte",
  "checkpoint.root": "Wortelhash",
  "checkpoint.key": "Verificatiesleutel",
  "events.title": "Gebeurtenissen",
  "events.from": "Vanaf (UTC)",
  "events.to": "Tot (UTC)",
  "events.search": "Zoeken",
  "events.none": "Geen gebeurtenissen gevonden.",
  "events.next": "Volgende pagina",
  "events.exportCsv": "Exporteer CSV",
  "events.exportJsonl": "Exporteer JSONL",
  "event.title": "Logregel {index}",
  "event.data": "Gegevens",
  "event.entry": "Regel zoals gehasht (canonieke JSON, RFC 8785)",
  "event.leafHash": "Bladhash",
  "event.proof": "Bewijs van opname",
  "event.auditPath": "Auditpad (RFC 9162)",
  "event.pending": "Wordt in uw browser gecontroleerd…",
  "event.verified":
    "In uw browser gecontroleerd: deze regel staat in het logboek zoals ondertekend in het checkpoint hieronder.",
  "event.failed": "Controle mislukt:",
  "event.notFound": "Er is geen logregel met dit nummer binnen uw bereik.",
  "reports.title": "Maandelijks nalevingsrapport",
  "reports.platform": "Platform",
  "reports.month": "Maand",
  "reports.open": "Rapport openen",
  "reports.csv": "CSV downloaden",
  "report.title": "Maandelijks nalevingsrapport",
  "report.generated": "Gemaakt",
  "report.period": "Periode",
  "report.figure": "Cijfer",
  "report.value": "Waarde",
  "report.takedowns": "Verwijderverzoeken deze maand",
  "report.method":
    "Elk cijfer is berekend uit regels van het Vergewis-auditlogboek. De lognummers bij elk cijfer noemen die regels; elke regel is te controleren met een bewijs van opname tegen het ondertekende checkpoint hieronder. De tijd tot verwijdering loopt van het verwijderverzoek (bij een intrekking: het moment van intrekken) tot het verwijdertijdstip dat het platform opgaf; percentielen zijn nearest-rank, dus elk is de tijd van één echt verwijderverzoek. Een verwijdering schendt de SLA als zij na de termijn plaatsvond, of na de termijn nog niet heeft plaatsgevonden.",
  "figure.publications": "Publicatieverzoeken",
  "figure.consents": "Gegeven toestemmingen",
  "figure.declines": "Geweigerde toestemmingen",
  "figure.revocations": "Ingetrokken toestemmingen",
  "figure.reports": "Ontvangen meldingen (notice and action)",
  "figure.takedownsRequested": "Verwijderverzoeken",
  "figure.takedownsCompleted": "Uitgevoerde verwijderingen",
  "figure.removalTimeMedian": "Mediane tijd van intrekking of melding tot verwijdering",
  "figure.removalTimeP95": "95e percentiel tijd van intrekking of melding tot verwijdering",
  "figure.slaMet": "Binnen de SLA verwijderd",
  "figure.slaBreached": "SLA-schendingen",
  "figure.slaPending": "Open, termijn nog niet verstreken",
  "figure.slaCompliance": "Binnen de SLA",
  "sla.met": "gehaald",
  "sla.breached": "geschonden",
  "sla.pending": "open",
  "error.title": "Er ging iets mis",
  "error.back": "Terug naar het overzicht",
  "error.generic": "Er ging bij ons iets mis. Dit is vastgelegd; probeer het opnieuw.",
  "error.notFound": "Deze pagina bestaat niet.",
  "error.invalid": "Het verzoek is niet geldig. Controleer de zoekvelden en probeer het opnieuw.",
  "error.crossOrigin":
    "Dit formulier moet vanuit de console zelf worden verstuurd. Laad de pagina opnieuw en probeer het nog eens.",
  "error.outOfScope": "Uw auditortoken geldt niet voor dit platform.",
  "error.rateLimited": "Te veel aanmeldpogingen. Wacht een minuut en probeer het opnieuw.",
  "error.tooLarge": "Wat er is verstuurd is te groot. Ga terug en probeer het opnieuw.",
  "error.unsupported":
    "Het formulier is verstuurd op een manier die de console niet kan lezen. Ga terug en probeer het opnieuw.",
  "error.unavailable": "De console is even niet te gebruiken. Probeer het over een minuut opnieuw.",
};

export type MessageKey = keyof typeof en;

/** The console's words in Dutch and English: `translate(locale)(key, params)`. */
export const translate = catalogue({ en, nl });
export type Translate = ReturnType<typeof translate>;

const LOCALE_TAGS: Record<Locale, string> = { en: "en-GB", nl: "nl-NL" };

export const formatNumber = (locale: Locale, value: number) => new Intl.NumberFormat(LOCALE_TAGS[locale]).format(value);

export const formatPercent = (locale: Locale, ratio: number | null) =>
  ratio === null
    ? "–"
    : new Intl.NumberFormat(LOCALE_TAGS[locale], { style: "percent", maximumFractionDigits: 1 }).format(ratio);

const UNITS: Array<[string, number]> = [
  ["d", 86_400],
  ["h", 3_600],
  ["min", 60],
  ["s", 1],
];

/** A duration in its largest unit and the next one: "2 h 5 min", "3 d", "45 s"; under a second in ms. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "–";
  // A receiver that takes content down by itself does it within a second: "250 ms", not "0 s".
  const ms = Math.round(Math.abs(seconds) * 1000);
  if (ms < 1000) return `${seconds < 0 && ms > 0 ? "−" : ""}${ms} ms`;
  const total = Math.round(Math.abs(seconds));
  const found = UNITS.findIndex(([, size]) => total >= size);
  const i = found < 0 ? UNITS.length - 1 : found;
  const [unit, size] = UNITS[i]!;
  let text = `${Math.floor(total / size)} ${unit}`;
  const next = UNITS[i + 1];
  if (next && Math.floor((total % size) / next[1]) > 0) text += ` ${Math.floor((total % size) / next[1])} ${next[0]}`;
  return (seconds < 0 ? "−" : "") + text;
}

/**
 * The daily latency series for the chart, in the largest unit in which the longest latency is at
 * least 1: the scale follows the data, so sub-second takedowns are drawn in ms, not flat at 0 h.
 */
export function latencySeries(
  daily: ReadonlyArray<{ latencyP50Seconds: number | null; latencyP95Seconds: number | null }>,
): { unit: string; p50: Array<number | null>; p95: Array<number | null> } {
  const units: Array<[string, number]> = [...UNITS, ["ms", 0.001]];
  const longest = Math.max(
    0,
    ...daily.flatMap((d) => [d.latencyP50Seconds ?? 0, d.latencyP95Seconds ?? 0]).map((v) => Math.abs(v)),
  );
  const [unit, size] = units.find(([, size]) => longest >= size) ?? units.at(-1)!;
  const scale = (v: number | null) => (v === null ? null : Math.round((v / size) * 1000) / 1000);
  return { unit, p50: daily.map((d) => scale(d.latencyP50Seconds)), p95: daily.map((d) => scale(d.latencyP95Seconds)) };
}

/** Times in UTC, as the log records them: "2026-11-25 14:03 UTC". */
export const formatTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
