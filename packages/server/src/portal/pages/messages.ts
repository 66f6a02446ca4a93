import { catalogue, type Locale } from "../../web/i18n.ts";

// Every text of the performer portal, in English and Dutch. Plain, calm words: the reader decides
// about intimate images of themselves. The Dutch uses "je", as the refusal pages do.

export const en = {
  area: "portal",
  skip: "Skip to content",
  "nav.label": "Portal",
  "nav.dashboard": "Your consents",
  "nav.data": "Your data",
  "nav.account": "Account",
  "nav.logout": "Log out",
  noscript:
    "Passkeys need JavaScript. Turn it on in your browser to use your passkey; everything else on this page works without it.",
  working: "Waiting for your passkey…",
  justNow: "just now",

  "status.pending": "Waiting for your answer",
  "status.active": "Active",
  "status.revoked": "Withdrawn",
  "status.expired": "Expired",
  "status.declined": "Declined",
  "status.closed": "Closed",
  "role.uploader": "You appear in it and you upload it",
  "role.co-performer": "You appear in it",

  "login.title": "Log in",
  "login.intro":
    "Here you decide whether a platform may publish images or videos of you. You can see what you agreed to, and withdraw your consent at any time.",
  "login.button": "Log in with your passkey",
  "login.passkeyHint":
    "A passkey is the fingerprint, face or screen lock of your phone or computer. Nobody else can use it, and you need no password.",
  "login.newTitle": "New here?",
  "login.newBody": "Show that you are 18 or older, then create your passkey. It takes about two minutes.",
  "login.newButton": "Get started",
  "login.noPasskeyHere":
    "Have an account, but no passkey on this device? Get started as well: verifying your age again takes you back to your account, where you can add a passkey.",
  "login.invitation": "You opened an invitation from {platform}. Log in, or get started if you are new, to answer it.",

  "code.title": "Have an invitation code?",
  "code.label": "Invitation code",
  "code.hint": "The platform gave you a code of 26 letters and digits, such as ABCD-EFGH-JKMN-PQRS-TVWX-YZ.",
  "code.submit": "Open the invitation",
  "code.invalid":
    "This code does not work. It may be mistyped, expired or already used. Check it, or ask the platform for a new invitation.",

  "onboarding.title": "Create your account",
  "onboarding.step": "Step {n} of 2",
  "onboarding.verifyTitle": "Show that you are 18 or older",
  "onboarding.verifyBody":
    "You will go to an identity provider to confirm your age, and then come back here. Vergewis keeps only that you are an adult, how strongly this was checked, and when.",
  "onboarding.verifySealed":
    "Your name and date of birth are locked away so that only an independent auditor can open them, in a dispute. Vergewis and the platforms cannot read them.",
  "onboarding.verifyButton": "Verify my age",
  "onboarding.passkeyTitle": "Create your passkey",
  "onboarding.passkeyBody":
    "Your age is confirmed. Now create a passkey on this phone or computer. You use it to log in, and to give or withdraw a consent: nobody can do that in your name.",
  "onboarding.passkeyButton": "Create my passkey",
  "onboarding.passkeyDone": "Your passkey is ready.",

  "returning.title": "Welcome back",
  "returning.intro":
    "You verified your identity again, and you already have an account. To give or withdraw a consent you need a passkey that this device can use.",
  "returning.createTitle": "Create a passkey on this device",
  "returning.createBody":
    "Choose this if your passkey is on another phone or computer, or if you lost it. Your other passkeys keep working.",
  "returning.createButton": "Create a passkey on this device",
  "returning.useTitle": "Use a passkey you have",
  "returning.useBody":
    "Choose this if this device already has your passkey (for example synced with your password manager), or if you use a security key or your phone nearby. You will be asked for it when you answer.",
  "returning.useButton": "Continue with my passkey",

  "invitation.enterTitle": "Open an invitation",
  "invitation.enterIntro": "Type the code that the platform gave you.",
  "invitation.title": "{platform} asks for your consent",
  "invitation.summary": "{platform} wants to publish “{title}” and asks whether you agree, because you appear in it.",
  "invitation.who":
    "Before you see the details and answer, show that it is you: log in with your passkey or, if you are new or your passkey is on another device, verify your age.",
  "invitation.answerBy": "Answer before {date}.",
  "invitation.continue": "Continue",
  "invitation.continueHint": "The request is then linked to your account: only you can answer it.",

  "request.preview": "Preview",
  "request.previewAlt": "Preview image of “{title}”, sent by {platform}",
  "request.noPreview": "The platform sent no preview image.",
  "request.platformWords":
    "The title and the preview are {platform}’s own words and picture, not Vergewis’s. What you consent to is the content shown under “The content”.",
  "request.previewCaption": "Preview chosen by {platform}",
  "request.title": "Title (by {platform})",
  "review.title": "The content",
  "review.body":
    "This is exactly what you consent to: every file of this request. Your browser downloads each file from {platform} and checks that it is the file named by its fingerprint. You can give consent only when every file is shown and checked. Vergewis does not keep the files.",
  "review.item": "File {n} of {count}",
  "review.loading": "Downloading and checking this file…",
  "review.verified": "Checked: this is the file named in the request.",
  "review.mismatch":
    "This file is not the file named in the request: what {platform} sent does not match its fingerprint. You cannot give consent to this request. Decline it, or ask {platform} to send the right file.",
  "review.failed":
    "This file could not be downloaded from {platform}. Reload the page to try again; the link may have expired. You cannot give consent until every file is shown and checked.",
  "review.unsupported":
    "This file is not a picture or video that your browser can show. You cannot give consent to what you cannot see.",
  "review.waiting": "The consent button works once every file above is shown and checked.",
  "review.none":
    "{platform} made this request before files were shown in the portal; only their fingerprints are known.",
  "request.role": "Your part",
  "request.answerBy": "Answer before",
  "request.sign": "Give consent with my passkey",
  "request.signHint": "Your passkey signs exactly what is shown on this page. You get a receipt.",
  "request.decline": "Decline",
  "request.declineHint": "If you decline, {platform} may not publish it. You do not have to give a reason.",
  "request.consented": "You gave your consent on {date}.",
  "request.viewConsent": "See your consent",
  "request.declined": "You declined on {date}. {platform} may not publish it.",
  "request.closed": "This request can no longer be answered: it expired, or another person in it declined.",
  "request.renew":
    "Your age check has expired. Verify your age again before you give a new consent; it takes a minute.",
  "request.renewButton": "Verify my age again",
  "request.producedAt": "Made on (according to the platform)",
  "request.productionAge":
    "This content was made on {date}. You can consent only if you were 18 or older that day: confirm your age on that day with your identity provider first.",
  "request.productionAgeButton": "Confirm my age on that day",
  "request.under18":
    "You were under 18 on {date}, the day this content was made according to {platform}. You cannot consent to it, and nobody can consent for you. Decline the request; if the content is published anyway, report it.",

  "scope.title": "What you agree to",
  "scope.titleGiven": "What you agreed to",
  "scope.where": "Where",
  "scope.whereValue": "Only in {countries}.",
  "scope.countries": "{n} countries",
  "scope.forWhat": "For what",
  "scope.purpose.publish": "Show it on {platform}.",
  "scope.purpose.promote": "Use it in advertising and previews of {platform}.",
  "scope.purpose.syndicate": "Pass it on to partner websites of {platform}.",
  "scope.purpose.download": "Let viewers of {platform} download a copy.",
  "scope.until": "Until when",
  "scope.untilValue": "Until {date}. After that, {platform} must stop showing it.",
  "files.title": "Which file",
  "files.body":
    "Your consent covers only the exact file with this fingerprint. Another file, or a changed version, needs a new consent.",
  "revokeInfo.title": "If you change your mind",
  "revokeInfo.body":
    "You can withdraw your consent at any time, here, with your passkey, in one step. {platform} is told at once and must take it down within {sla}. Withdrawing is final: to publish it again, {platform} would need a new consent from you.",

  "dashboard.title": "Your consents",
  "dashboard.empty": "Nothing here yet. When a platform invites you, open its link or enter its code.",
  "dashboard.renew": "Your age check has expired. Verify your age again before you give a new consent.",
  "dashboard.signed": "Signed {date}",
  "dashboard.validUntil": "valid until {date}",
  "dashboard.answerBy": "Answer before {date}",
  "dashboard.revokedAgo": "Withdrawn {ago}",
  "dashboard.declined": "Declined {date}",
  "dashboard.review": "Review and answer",
  "dashboard.details": "Details",
  "dashboard.revoke": "Withdraw",
  "dashboard.enterCode": "Enter an invitation code",
  "dashboard.itemsOf": "Consents for {platform}",

  "takedown.requested": "Takedown requested: {platform} must remove it by {due}.",
  "takedown.overdue":
    "{platform} has not confirmed the removal, and the deadline ({due}) has passed. The auditors see this.",
  "takedown.removed": "Removed: {platform} confirmed on {date}.",
  "takedown.not_published": "It was never published, because not everyone had agreed yet. The request is closed.",
  "takedown.already_offline": "It was already offline when you withdrew.",

  "consent.platform": "Platform",
  "consent.status": "Status",
  "consent.signedOn": "Consent given",
  "consent.withdrawnOn": "Withdrawn",
  "consent.revoke": "Withdraw my consent",
  "consent.progressTitle": "What happens now",
  "consent.stepRevoked": "You withdrew your consent",
  "consent.stepTold": "{platform} was told to take it down",
  "consent.stepDue": "Deadline for removal: {date}",
  "consent.stepRemoved": "{platform} confirmed the removal",
  "consent.stepWaiting": "Waiting for {platform} to confirm the removal",
  "consent.stepOverdue": "Late: the deadline has passed. The auditors see this.",
  "consent.recordTitle": "Your signed record",
  "consent.recordBody":
    "The signed document, your passkey's signature and the receipt. Anyone can check them with the Vergewis SDK, without asking us.",
  "consent.documentHash": "Document fingerprint",
  "consent.receipt": "Receipt",
  "consent.download": "Download all your data",
  "consent.refresh": "Check again",

  "revoke.title": "Withdraw your consent",
  "revoke.intro": "You are about to withdraw your consent for “{title}” on {platform}.",
  "revoke.whatTitle": "What happens",
  "revoke.step1": "{platform} is told at once and must take it down within {sla}.",
  "revoke.step2":
    "Your receipt is marked as withdrawn. Platforms that check with Vergewis refuse uploads of the same file.",
  "revoke.step3":
    "This is final. {platform} cannot ask anyone for a new consent to this file, unless you allow it again later on the consent's page.",
  "revoke.step4": "On the next page you can follow the takedown.",
  "revoke.confirm": "Withdraw with my passkey",
  "revoke.cancel": "Keep my consent",
  "revoke.notActive": "This consent is no longer active, so there is nothing to withdraw.",
  "revoke.everywhere": "Withdraw everywhere",
  "revoke.everywhereHint":
    "Also withdraw every other consent of yours whose content is the same picture or video (also a re-encoded or resized copy) on any platform, and report copies on platforms where you never consented: they are blocked at once. Your passkey signs this choice.",

  "report.title": "Report a picture of you",
  "report.intro":
    "Found a picture of yourself online that you did not agree to? Choose it here. Your device computes two fingerprints of it; the picture itself is never uploaded.",
  "report.privacy": "Only these hashes leave your device: a SHA-256 and a PDQ fingerprint. The picture stays with you.",
  "report.file": "The picture (on your device)",
  "report.category": "Why",
  "report.category.no_consent": "I appear in it and never agreed",
  "report.category.consent_withdrawn": "I agreed once and withdrew",
  "report.category.underage": "Someone in it is under 18",
  "report.category.synthetic": "It is a fake of a real person",
  "report.category.other": "Something else",
  "report.description": "Explain briefly (at least 10 characters)",
  "report.contact": "How we can reach you (optional; never passed to the platform)",
  "report.submit": "Compute the hashes and report",
  "report.asPerson":
    "You are logged in and your age is verified: you report as a person in the picture, and matching copies are blocked at once.",
  "report.asAnonymous":
    "You report anonymously: matching copies are put under review by their platform. Log in to report as the person in the picture and have copies blocked at once.",
  "report.hashes": "These hashes were sent:",
  "report.hashing": "Computing the fingerprints on your device…",
  "report.sentBlocked":
    "Thank you. Your report was received; copies of this picture are blocked while the platforms review it.",
  "report.sentReview":
    "Thank you. Your report was received; the platforms that have copies of this picture will review it.",
  "report.noFile": "Choose a picture first.",
  "report.unreadable": "This file could not be read as a picture. Choose a JPEG, PNG, WebP or GIF image.",
  "report.noscript":
    "Computing the fingerprints on your device needs JavaScript. Turn it on in your browser to report a picture.",
  "error.invalid_request":
    "Something in the form is not right. Check the explanation (at least 10 characters) and try again.",

  "consent.blockTitle": "This content is blocked",
  "consent.blockBody":
    "Because you withdrew your consent, {platform} cannot ask anyone for a new consent to this file, and Vergewis tells {platform} not to show it.",
  "consent.allow": "Allow this content again",
  "consent.allowedOn":
    "You allowed this content again on {date}. {platform} may ask for a new consent to it; nothing is shown without one.",
  "consent.stillBlocked":
    "It is still blocked because someone else in it withdrew their consent too, or a report about it was upheld.",

  "allow.title": "Allow this content again",
  "allow.intro":
    "You withdrew your consent for “{title}” on {platform}. Since then {platform} cannot request this content again.",
  "allow.whatTitle": "What this means",
  "allow.step1":
    "{platform} may send a new consent request for this file. Nothing is published until you, and everyone else in it, give a new consent.",
  "allow.step2":
    "Your withdrawal stays. Your old consent does not come back, and a takedown already asked for goes on.",
  "allow.step3":
    "If someone else in it withdrew their consent too, or a report about it was upheld, the file stays blocked.",
  "allow.step4":
    "You confirm this with your passkey, and it is recorded in the audit log. You cannot undo it: to say no again, decline the new request.",
  "allow.confirm": "Allow again with my passkey",
  "allow.cancel": "Keep it blocked",
  "allow.notBlocked": "Your withdrawal does not block this content (any more), so there is nothing to allow.",

  "data.title": "Your data",
  "data.pseudonym": "Your pseudonym is {pseudonym}. Platforms and auditors see only this, never your name.",
  "data.intro": "Download everything Vergewis keeps about you as one JSON file:",
  "data.itemVerification":
    "your age checks: only the outcome, the level and the date, and your name and date of birth in sealed form;",
  "data.itemPasskeys": "your passkeys: their public keys (the secret part never leaves your device);",
  "data.itemRequests": "the invitations you received;",
  "data.itemConsents": "your consents: the signed documents, your signatures, the receipts and any withdrawal;",
  "data.itemLog": "the audit log entries that name your pseudonym.",
  "data.rights":
    "This is your right of access and to data portability (GDPR articles 15 and 20). You can check the file without us: signatures with the Vergewis SDK, log entries against the public checkpoint.",
  "data.download": "Download my data (JSON)",

  "account.title": "Account",
  "account.ageTitle": "Age check",
  "account.ageVerified": "Verified on {date}, at eIDAS level {level}.",
  "account.ageValid": "Valid for new consents until {date}.",
  "account.ageExpired": "Expired on {date}: verify again before you give a new consent.",
  "account.ageAgain": "Verify my age again",
  "account.passkeysTitle": "Passkeys",
  "account.passkeysBody": "Add a passkey on another device, so that you can still log in if you lose this one.",
  "account.passkeyItem": "Added {created}, last used {used}",
  "account.passkeyNever": "never",
  "account.passkeySynced": "synced between your devices",
  "account.passkeyDevice": "on one device",
  "account.passkeyAdd": "Add a passkey",
  "account.passkeyAdded": "Passkey added.",
  "account.deleteTitle": "Delete your account",
  "account.deleteBody": "This withdraws all your consents and erases your personal data.",
  "account.deleteLink": "Delete my account",
  "level.high": "high",
  "level.substantial": "substantial",
  "level.low": "low",

  "delete.title": "Delete your account",
  "delete.intro": "Deleting your account cannot be undone. In one step, with your passkey:",
  "delete.revokes": "your active consents are withdrawn, and the platforms must take the content down:",
  "delete.revokesNone": "you have no active consents, so nothing needs to be taken down;",
  "delete.declines": "open invitations you accepted are declined: {titles};",
  "delete.erased":
    "your personal data is erased: the link to your identity, your sealed name and date of birth, your passkeys, your sessions and the contact details that platforms gave for you.",
  "delete.keptTitle": "What is kept",
  "delete.keptBody":
    "The signed consent records, the receipts and the audit log entries stay, under your pseudonym only. They prove that each publication was allowed while it was, and that you withdrew. Without your identity, which is erased, nobody can link them to you.",
  "delete.export": "Download your data first if you want a copy.",
  "delete.confirm": "I understand that this withdraws all my consents and deletes my account for good.",
  "delete.button": "Delete my account with my passkey",
  "delete.needConfirm": "Tick the box first to confirm.",

  "goodbye.title": "Your account is deleted",
  "goodbye.body":
    "Your consents are withdrawn and your personal data is erased. The platforms have been told to take the content down. You can close this page.",
  "goodbye.again": "If you want to use Vergewis again later, you can create a new account.",

  "error.title": "Something went wrong",
  "error.notFoundTitle": "Not found",
  "error.notFound": "This page does not exist, or it is not yours to see.",
  "error.formTitle": "Please try again",
  "error.back": "Back to the portal",
  "error.generic": "Something went wrong. Nothing was changed. Try again.",
  "error.network": "No connection. Check your internet connection and try again.",
  "error.cancelled":
    "The passkey request was cancelled or took too long. Nothing was changed. Try again when you are ready.",
  "error.login_failed": "Your passkey could not be checked. Try again, or use another passkey.",
  "error.login_required": "You were logged out because you were away for a while. Log in again.",
  "error.challenge_invalid": "This took too long. Try again.",
  "error.rate_limited": "Too many attempts. Wait a minute and try again.",
  "error.signature_invalid": "The passkey signature could not be checked. Nothing was changed. Try again.",
  "error.document_mismatch":
    "Something changed since you opened this page. Reload it, review the details again, and then confirm.",
  "error.age_verification_required": "Verify your age first.",
  "error.age_verification_expired": "Your age check has expired. Verify your age again before you give a new consent.",
  "error.under_18_at_production":
    "You were under 18 on the day this content was made: you cannot consent to it, and nobody can consent for you.",
  "error.age_at_production_unverified":
    "Your age check does not show your age on the day this content was made. Confirm your age on that day first.",
  "error.passkey_registration_failed": "The passkey could not be created. Try again.",
  "error.reverification_required":
    "To add a passkey, first verify your age again (or log in with a passkey you have), then add it right away.",
  "error.csrf": "This page was open too long. Reload it and try again.",
  "error.invitation_invalid":
    "This invitation does not work any more. It may have expired or been used. Ask the platform for a new one.",
  "error.already_in_publication": "You already answered another invitation for this publication.",
  "error.invitation_taken":
    "Someone else took this invitation at the same moment. If it was meant for you, ask the platform for a new one.",
  "error.closed": "This request can no longer be answered.",
  "error.consent_not_active": "This consent is no longer active.",
  "error.too_large": "What was sent is too large. Nothing was changed. Go back and try again.",
  "error.unsupported_media_type":
    "Your browser sent the form in a way the portal cannot read. Nothing was changed. Go back and try again.",
  "error.unavailable": "The portal cannot be used for a moment. Nothing was changed. Try again in a minute.",
  "error.content_withdrawn":
    "This content was withdrawn or taken down after a report, so it cannot be consented to now. Nothing was changed.",
  "error.block_not_active": "Your withdrawal does not block this content (any more). Nothing was changed.",
};

export type MessageKey = keyof typeof en;

export const nl: typeof en = {
  area: "portaal",
  skip: "Naar de inhoud",
  "nav.label": "Portaal",
  "nav.dashboard": "Je toestemmingen",
  "nav.data": "Je gegevens",
  "nav.account": "Account",
  "nav.logout": "Uitloggen",
  noscript:
    "Voor passkeys is JavaScript nodig. Zet het aan in je browser om je passkey te gebruiken; de rest van deze pagina werkt ook zonder.",
  working: "Wachten op je passkey…",
  justNow: "zojuist",

  "status.pending": "Wacht op je antwoord",
  "status.active": "Geldig",
  "status.revoked": "Ingetrokken",
  "status.expired": "Verlopen",
  "status.declined": "Geweigerd",
  "status.closed": "Gesloten",
  "role.uploader": "Je bent te zien en je uploadt het zelf",
  "role.co-performer": "Je bent erin te zien",

  "login.title": "Inloggen",
  "login.intro":
    "Hier beslis je of een platform beelden of video's van jou mag publiceren. Je ziet waarmee je hebt ingestemd en je kunt je toestemming altijd intrekken.",
  "login.button": "Inloggen met je passkey",
  "login.passkeyHint":
    "Een passkey is de vingerafdruk, gezichtsherkenning of schermvergrendeling van je telefoon of computer. Niemand anders kan hem gebruiken en je hebt geen wachtwoord nodig.",
  "login.newTitle": "Nieuw hier?",
  "login.newBody": "Laat zien dat je 18 jaar of ouder bent en maak daarna je passkey. Dat duurt ongeveer twee minuten.",
  "login.newButton": "Beginnen",
  "login.noPasskeyHere":
    "Heb je al een account, maar geen passkey op dit apparaat? Kies dan ook Beginnen: als je je leeftijd opnieuw bevestigt, kom je terug in je account en kun je een passkey toevoegen.",
  "login.invitation":
    "Je hebt een uitnodiging van {platform} geopend. Log in, of begin als je nieuw bent, om erop te antwoorden.",

  "code.title": "Heb je een uitnodigingscode?",
  "code.label": "Uitnodigingscode",
  "code.hint": "Het platform gaf je een code van 26 letters en cijfers, zoals ABCD-EFGH-JKMN-PQRS-TVWX-YZ.",
  "code.submit": "Uitnodiging openen",
  "code.invalid":
    "Deze code werkt niet. Misschien is hij verkeerd getypt, verlopen of al gebruikt. Controleer hem, of vraag het platform om een nieuwe uitnodiging.",

  "onboarding.title": "Je account aanmaken",
  "onboarding.step": "Stap {n} van 2",
  "onboarding.verifyTitle": "Laat zien dat je 18 jaar of ouder bent",
  "onboarding.verifyBody":
    "Je gaat naar een identiteitsaanbieder om je leeftijd te bevestigen en komt daarna hier terug. Vergewis bewaart alleen dat je volwassen bent, hoe sterk dat is gecontroleerd en wanneer.",
  "onboarding.verifySealed":
    "Je naam en geboortedatum worden zo opgeborgen dat alleen een onafhankelijke auditor ze kan openen, bij een geschil. Vergewis en de platforms kunnen ze niet lezen.",
  "onboarding.verifyButton": "Mijn leeftijd bevestigen",
  "onboarding.passkeyTitle": "Maak je passkey",
  "onboarding.passkeyBody":
    "Je leeftijd is bevestigd. Maak nu een passkey op deze telefoon of computer. Daarmee log je in en geef of trek je een toestemming in: niemand kan dat uit jouw naam doen.",
  "onboarding.passkeyButton": "Mijn passkey maken",
  "onboarding.passkeyDone": "Je passkey is klaar.",

  "returning.title": "Welkom terug",
  "returning.intro":
    "Je hebt je identiteit opnieuw bevestigd en je hebt al een account. Om een toestemming te geven of in te trekken heb je een passkey nodig die dit apparaat kan gebruiken.",
  "returning.createTitle": "Maak een passkey op dit apparaat",
  "returning.createBody":
    "Kies dit als je passkey op een andere telefoon of computer staat, of als je hem kwijt bent. Je andere passkeys blijven werken.",
  "returning.createButton": "Passkey maken op dit apparaat",
  "returning.useTitle": "Een passkey gebruiken die je al hebt",
  "returning.useBody":
    "Kies dit als dit apparaat je passkey al heeft (bijvoorbeeld gesynchroniseerd met je wachtwoordbeheerder), of als je een beveiligingssleutel of je telefoon in de buurt gebruikt. Je wordt erom gevraagd wanneer je antwoordt.",
  "returning.useButton": "Doorgaan met mijn passkey",

  "invitation.enterTitle": "Een uitnodiging openen",
  "invitation.enterIntro": "Typ de code die je van het platform hebt gekregen.",
  "invitation.title": "{platform} vraagt om je toestemming",
  "invitation.summary":
    "{platform} wil “{title}” publiceren en vraagt of je daarmee instemt, omdat je erin te zien bent.",
  "invitation.who":
    "Laat eerst zien dat jij het bent, voordat je de details ziet en antwoordt: log in met je passkey of, als je nieuw bent of je passkey op een ander apparaat staat, bevestig je leeftijd.",
  "invitation.answerBy": "Antwoord vóór {date}.",
  "invitation.continue": "Doorgaan",
  "invitation.continueHint": "Het verzoek wordt dan aan je account gekoppeld: alleen jij kunt erop antwoorden.",

  "request.preview": "Voorbeeld",
  "request.previewAlt": "Voorbeeldafbeelding van “{title}”, gestuurd door {platform}",
  "request.noPreview": "Het platform heeft geen voorbeeldafbeelding gestuurd.",
  "request.platformWords":
    "De titel en het voorbeeld zijn de woorden en het beeld van {platform}, niet van Vergewis. Waar je toestemming voor geeft, is de inhoud onder “De inhoud”.",
  "request.previewCaption": "Voorbeeld gekozen door {platform}",
  "request.title": "Titel (van {platform})",
  "review.title": "De inhoud",
  "review.body":
    "Dit is precies waar je toestemming voor geeft: elk bestand van dit verzoek. Je browser downloadt elk bestand bij {platform} en controleert dat het het bestand is dat de vingerafdruk noemt. Je kunt pas toestemming geven als elk bestand getoond en gecontroleerd is. Vergewis bewaart de bestanden niet.",
  "review.item": "Bestand {n} van {count}",
  "review.loading": "Dit bestand wordt gedownload en gecontroleerd…",
  "review.verified": "Gecontroleerd: dit is het bestand uit het verzoek.",
  "review.mismatch":
    "Dit bestand is niet het bestand uit het verzoek: wat {platform} stuurde, klopt niet met de vingerafdruk. Je kunt voor dit verzoek geen toestemming geven. Weiger het, of vraag {platform} het juiste bestand te sturen.",
  "review.failed":
    "Dit bestand kon niet bij {platform} worden gedownload. Laad de pagina opnieuw om het nog eens te proberen; de link is misschien verlopen. Je kunt pas toestemming geven als elk bestand getoond en gecontroleerd is.",
  "review.unsupported":
    "Dit bestand is geen afbeelding of video die je browser kan tonen. Je kunt geen toestemming geven voor iets wat je niet kunt zien.",
  "review.waiting": "De toestemmingsknop werkt zodra elk bestand hierboven getoond en gecontroleerd is.",
  "review.none":
    "{platform} deed dit verzoek voordat bestanden in het portaal werden getoond; alleen hun vingerafdrukken zijn bekend.",
  "request.role": "Jouw rol",
  "request.answerBy": "Antwoord vóór",
  "request.sign": "Toestemming geven met mijn passkey",
  "request.signHint": "Je passkey ondertekent precies wat op deze pagina staat. Je krijgt een bewijs.",
  "request.decline": "Weigeren",
  "request.declineHint": "Als je weigert, mag {platform} het niet publiceren. Je hoeft geen reden te geven.",
  "request.consented": "Je hebt op {date} toestemming gegeven.",
  "request.viewConsent": "Bekijk je toestemming",
  "request.declined": "Je hebt op {date} geweigerd. {platform} mag het niet publiceren.",
  "request.closed":
    "Op dit verzoek kun je niet meer antwoorden: het is verlopen, of iemand anders die erin te zien is heeft geweigerd.",
  "request.renew":
    "Je leeftijdscontrole is verlopen. Bevestig je leeftijd opnieuw voordat je een nieuwe toestemming geeft; dat duurt een minuut.",
  "request.renewButton": "Mijn leeftijd opnieuw bevestigen",
  "request.producedAt": "Gemaakt op (volgens het platform)",
  "request.productionAge":
    "Dit materiaal is gemaakt op {date}. Je kunt alleen toestemming geven als je die dag 18 jaar of ouder was: bevestig eerst je leeftijd op die dag bij je identiteitsaanbieder.",
  "request.productionAgeButton": "Mijn leeftijd op die dag bevestigen",
  "request.under18":
    "Je was jonger dan 18 op {date}, de dag waarop dit materiaal volgens {platform} is gemaakt. Je kunt er geen toestemming voor geven, en niemand kan dat voor jou doen. Weiger het verzoek; wordt het materiaal toch gepubliceerd, meld het dan.",

  "scope.title": "Waarmee je instemt",
  "scope.titleGiven": "Waarmee je hebt ingestemd",
  "scope.where": "Waar",
  "scope.whereValue": "Alleen in {countries}.",
  "scope.countries": "{n} landen",
  "scope.forWhat": "Waarvoor",
  "scope.purpose.publish": "Het tonen op {platform}.",
  "scope.purpose.promote": "Het gebruiken in reclame en voorvertoningen van {platform}.",
  "scope.purpose.syndicate": "Het doorgeven aan partnerwebsites van {platform}.",
  "scope.purpose.download": "Kijkers van {platform} een kopie laten downloaden.",
  "scope.until": "Tot wanneer",
  "scope.untilValue": "Tot {date}. Daarna moet {platform} stoppen met het tonen.",
  "files.title": "Welk bestand",
  "files.body":
    "Je toestemming geldt alleen voor precies het bestand met deze vingerafdruk. Voor een ander bestand, of een gewijzigde versie, is een nieuwe toestemming nodig.",
  "revokeInfo.title": "Als je van gedachten verandert",
  "revokeInfo.body":
    "Je kunt je toestemming altijd intrekken, hier, met je passkey, in één stap. {platform} hoort het meteen en moet het binnen {sla} verwijderen. Intrekken is definitief: om het opnieuw te publiceren heeft {platform} een nieuwe toestemming van je nodig.",

  "dashboard.title": "Je toestemmingen",
  "dashboard.empty": "Hier staat nog niets. Als een platform je uitnodigt, open dan de link of voer de code in.",
  "dashboard.renew":
    "Je leeftijdscontrole is verlopen. Bevestig je leeftijd opnieuw voordat je een nieuwe toestemming geeft.",
  "dashboard.signed": "Gegeven op {date}",
  "dashboard.validUntil": "geldig tot {date}",
  "dashboard.answerBy": "Antwoord vóór {date}",
  "dashboard.revokedAgo": "Ingetrokken {ago}",
  "dashboard.declined": "Geweigerd op {date}",
  "dashboard.review": "Bekijken en antwoorden",
  "dashboard.details": "Details",
  "dashboard.revoke": "Intrekken",
  "dashboard.enterCode": "Een uitnodigingscode invoeren",
  "dashboard.itemsOf": "Toestemmingen voor {platform}",

  "takedown.requested": "Verwijdering gevraagd: {platform} moet het uiterlijk {due} verwijderen.",
  "takedown.overdue":
    "{platform} heeft de verwijdering niet bevestigd en de termijn ({due}) is voorbij. De auditors zien dit.",
  "takedown.removed": "Verwijderd: {platform} heeft het op {date} bevestigd.",
  "takedown.not_published":
    "Het is nooit gepubliceerd, omdat nog niet iedereen had ingestemd. Het verzoek is gesloten.",
  "takedown.already_offline": "Het was al offline toen je je toestemming introk.",

  "consent.platform": "Platform",
  "consent.status": "Status",
  "consent.signedOn": "Toestemming gegeven",
  "consent.withdrawnOn": "Ingetrokken",
  "consent.revoke": "Mijn toestemming intrekken",
  "consent.progressTitle": "Wat er nu gebeurt",
  "consent.stepRevoked": "Je hebt je toestemming ingetrokken",
  "consent.stepTold": "{platform} is gevraagd het te verwijderen",
  "consent.stepDue": "Uiterlijk verwijderd op: {date}",
  "consent.stepRemoved": "{platform} heeft de verwijdering bevestigd",
  "consent.stepWaiting": "Wachten tot {platform} de verwijdering bevestigt",
  "consent.stepOverdue": "Te laat: de termijn is voorbij. De auditors zien dit.",
  "consent.recordTitle": "Je ondertekende vastlegging",
  "consent.recordBody":
    "Het ondertekende document, de handtekening van je passkey en het bewijs. Iedereen kan ze met de Vergewis-SDK controleren, zonder het ons te vragen.",
  "consent.documentHash": "Vingerafdruk van het document",
  "consent.receipt": "Bewijs",
  "consent.download": "Al je gegevens downloaden",
  "consent.refresh": "Opnieuw bekijken",

  "revoke.title": "Je toestemming intrekken",
  "revoke.intro": "Je staat op het punt je toestemming voor “{title}” op {platform} in te trekken.",
  "revoke.whatTitle": "Wat er gebeurt",
  "revoke.step1": "{platform} hoort het meteen en moet het binnen {sla} verwijderen.",
  "revoke.step2":
    "Je bewijs wordt gemarkeerd als ingetrokken. Platforms die bij Vergewis controleren, weigeren uploads van hetzelfde bestand.",
  "revoke.step3":
    "Dit is definitief. {platform} kan niemand om een nieuwe toestemming voor dit bestand vragen, tenzij je het later op de pagina van de toestemming weer toestaat.",
  "revoke.step4": "Op de volgende pagina kun je de verwijdering volgen.",
  "revoke.confirm": "Intrekken met mijn passkey",
  "revoke.cancel": "Mijn toestemming houden",
  "revoke.notActive": "Deze toestemming geldt niet meer, dus er is niets in te trekken.",
  "revoke.everywhere": "Overal intrekken",
  "revoke.everywhereHint":
    "Trek ook al je andere toestemmingen in voor dezelfde foto of video (ook een opnieuw gecomprimeerde of verkleinde kopie) op elk platform, en meld kopieën op platforms waar je nooit toestemming gaf: die worden meteen geblokkeerd. Je passkey ondertekent deze keuze.",

  "report.title": "Een foto van jou melden",
  "report.intro":
    "Heb je online een foto van jezelf gevonden waar je niet mee instemde? Kies hem hier. Je apparaat berekent er twee vingerafdrukken van; de foto zelf wordt nooit geüpload.",
  "report.privacy":
    "Alleen deze hashes verlaten je apparaat: een SHA-256 en een PDQ-vingerafdruk. De foto blijft bij jou.",
  "report.file": "De foto (op je apparaat)",
  "report.category": "Waarom",
  "report.category.no_consent": "Ik sta erop en heb nooit ingestemd",
  "report.category.consent_withdrawn": "Ik stemde ooit in en heb dat ingetrokken",
  "report.category.underage": "Iemand erop is jonger dan 18",
  "report.category.synthetic": "Het is een namaak van een echt persoon",
  "report.category.other": "Iets anders",
  "report.description": "Leg kort uit (minstens 10 tekens)",
  "report.contact": "Hoe we je kunnen bereiken (niet verplicht; nooit doorgegeven aan het platform)",
  "report.submit": "Bereken de hashes en meld",
  "report.asPerson":
    "Je bent ingelogd en je leeftijd is gecontroleerd: je meldt als iemand die op de foto staat, en kopieën worden meteen geblokkeerd.",
  "report.asAnonymous":
    "Je meldt anoniem: het platform van elke kopie gaat je melding beoordelen. Log in om te melden als iemand die op de foto staat; dan worden kopieën meteen geblokkeerd.",
  "report.hashes": "Deze hashes zijn verstuurd:",
  "report.hashing": "De vingerafdrukken worden op je apparaat berekend…",
  "report.sentBlocked":
    "Dank je. Je melding is ontvangen; kopieën van deze foto zijn geblokkeerd terwijl de platforms haar beoordelen.",
  "report.sentReview":
    "Dank je. Je melding is ontvangen; de platforms met een kopie van deze foto gaan haar beoordelen.",
  "report.noFile": "Kies eerst een foto.",
  "report.unreadable": "Dit bestand kon niet als foto worden gelezen. Kies een JPEG-, PNG-, WebP- of GIF-afbeelding.",
  "report.noscript":
    "Voor het berekenen van de vingerafdrukken op je apparaat is JavaScript nodig. Zet het aan in je browser om een foto te melden.",
  "error.invalid_request":
    "Er klopt iets niet in het formulier. Controleer de uitleg (minstens 10 tekens) en probeer het opnieuw.",

  "consent.blockTitle": "Deze inhoud is geblokkeerd",
  "consent.blockBody":
    "Omdat je je toestemming hebt ingetrokken, kan {platform} niemand om een nieuwe toestemming voor dit bestand vragen, en zegt Vergewis tegen {platform} dat het niet getoond mag worden.",
  "consent.allow": "Deze inhoud weer toestaan",
  "consent.allowedOn":
    "Je hebt deze inhoud op {date} weer toegestaan. {platform} mag om een nieuwe toestemming vragen; zonder die toestemming wordt niets getoond.",
  "consent.stillBlocked":
    "Het blijft geblokkeerd, omdat iemand anders die erin staat ook de toestemming heeft ingetrokken, of omdat een melding erover is toegewezen.",

  "allow.title": "Deze inhoud weer toestaan",
  "allow.intro":
    "Je hebt je toestemming voor “{title}” op {platform} ingetrokken. Sindsdien kan {platform} deze inhoud niet opnieuw aanvragen.",
  "allow.whatTitle": "Wat dit betekent",
  "allow.step1":
    "{platform} mag een nieuw toestemmingsverzoek voor dit bestand sturen. Er wordt niets gepubliceerd totdat jij, en iedereen die erin staat, opnieuw toestemming geeft.",
  "allow.step2":
    "Je intrekking blijft staan. Je oude toestemming komt niet terug, en een verwijdering waar al om is gevraagd gaat door.",
  "allow.step3":
    "Als iemand anders die erin staat ook de toestemming heeft ingetrokken, of een melding erover is toegewezen, blijft het bestand geblokkeerd.",
  "allow.step4":
    "Je bevestigt dit met je passkey, en het wordt vastgelegd in het auditlog. Je kunt het niet terugdraaien: wil je weer nee zeggen, weiger dan het nieuwe verzoek.",
  "allow.confirm": "Weer toestaan met mijn passkey",
  "allow.cancel": "Geblokkeerd laten",
  "allow.notBlocked": "Je intrekking blokkeert deze inhoud niet (meer), dus er is niets toe te staan.",

  "data.title": "Je gegevens",
  "data.pseudonym": "Je pseudoniem is {pseudonym}. Platforms en auditors zien alleen dit, nooit je naam.",
  "data.intro": "Download alles wat Vergewis over je bewaart, als één JSON-bestand:",
  "data.itemVerification":
    "je leeftijdscontroles: alleen de uitkomst, het niveau en de datum, en je naam en geboortedatum in verzegelde vorm;",
  "data.itemPasskeys": "je passkeys: hun publieke sleutels (het geheime deel verlaat je apparaat nooit);",
  "data.itemRequests": "de uitnodigingen die je hebt gekregen;",
  "data.itemConsents":
    "je toestemmingen: de ondertekende documenten, je handtekeningen, de bewijzen en eventuele intrekkingen;",
  "data.itemLog": "de regels in het auditlogboek die je pseudoniem noemen.",
  "data.rights":
    "Dit is je recht op inzage en op overdraagbaarheid van gegevens (AVG artikelen 15 en 20). Je kunt het bestand zonder ons controleren: handtekeningen met de Vergewis-SDK, logregels tegen het openbare checkpoint.",
  "data.download": "Mijn gegevens downloaden (JSON)",

  "account.title": "Account",
  "account.ageTitle": "Leeftijdscontrole",
  "account.ageVerified": "Bevestigd op {date}, op eIDAS-niveau {level}.",
  "account.ageValid": "Geldig voor nieuwe toestemmingen tot {date}.",
  "account.ageExpired": "Verlopen op {date}: bevestig je leeftijd opnieuw voordat je een nieuwe toestemming geeft.",
  "account.ageAgain": "Mijn leeftijd opnieuw bevestigen",
  "account.passkeysTitle": "Passkeys",
  "account.passkeysBody":
    "Voeg een passkey toe op een ander apparaat, zodat je nog kunt inloggen als je dit apparaat kwijtraakt.",
  "account.passkeyItem": "Toegevoegd {created}, laatst gebruikt {used}",
  "account.passkeyNever": "nooit",
  "account.passkeySynced": "gesynchroniseerd tussen je apparaten",
  "account.passkeyDevice": "op één apparaat",
  "account.passkeyAdd": "Een passkey toevoegen",
  "account.passkeyAdded": "Passkey toegevoegd.",
  "account.deleteTitle": "Je account verwijderen",
  "account.deleteBody": "Hiermee trek je al je toestemmingen in en worden je persoonsgegevens gewist.",
  "account.deleteLink": "Mijn account verwijderen",
  "level.high": "hoog",
  "level.substantial": "substantieel",
  "level.low": "laag",

  "delete.title": "Je account verwijderen",
  "delete.intro": "Je account verwijderen kan niet ongedaan worden gemaakt. In één stap, met je passkey:",
  "delete.revokes": "worden je geldige toestemmingen ingetrokken en moeten de platforms de beelden verwijderen:",
  "delete.revokesNone": "je hebt geen geldige toestemmingen, dus er hoeft niets te worden verwijderd;",
  "delete.declines": "worden open uitnodigingen die je hebt aangenomen geweigerd: {titles};",
  "delete.erased":
    "worden je persoonsgegevens gewist: de koppeling met je identiteit, je verzegelde naam en geboortedatum, je passkeys, je sessies en de contactgegevens die platforms voor je opgaven.",
  "delete.keptTitle": "Wat bewaard blijft",
  "delete.keptBody":
    "De ondertekende toestemmingen, de bewijzen en de regels in het auditlogboek blijven bestaan, alleen onder je pseudoniem. Ze bewijzen dat elke publicatie was toegestaan zolang dat zo was, en dat je je toestemming hebt ingetrokken. Zonder je identiteit, die wordt gewist, kan niemand ze aan jou koppelen.",
  "delete.export": "Download eerst je gegevens als je een kopie wilt.",
  "delete.confirm":
    "Ik begrijp dat hiermee al mijn toestemmingen worden ingetrokken en mijn account voorgoed verdwijnt.",
  "delete.button": "Mijn account verwijderen met mijn passkey",
  "delete.needConfirm": "Vink eerst het vakje aan om te bevestigen.",

  "goodbye.title": "Je account is verwijderd",
  "goodbye.body":
    "Je toestemmingen zijn ingetrokken en je persoonsgegevens zijn gewist. De platforms is gevraagd de beelden te verwijderen. Je kunt deze pagina sluiten.",
  "goodbye.again": "Wil je Vergewis later weer gebruiken, dan kun je een nieuw account aanmaken.",

  "error.title": "Er ging iets mis",
  "error.notFoundTitle": "Niet gevonden",
  "error.notFound": "Deze pagina bestaat niet, of is niet voor jou.",
  "error.formTitle": "Probeer het opnieuw",
  "error.back": "Terug naar het portaal",
  "error.generic": "Er ging iets mis. Er is niets veranderd. Probeer het opnieuw.",
  "error.network": "Geen verbinding. Controleer je internetverbinding en probeer het opnieuw.",
  "error.cancelled":
    "Het passkeyverzoek is geannuleerd of duurde te lang. Er is niets veranderd. Probeer het opnieuw als je er klaar voor bent.",
  "error.login_failed": "Je passkey kon niet worden gecontroleerd. Probeer het opnieuw, of gebruik een andere passkey.",
  "error.login_required": "Je bent uitgelogd omdat je een tijdje weg was. Log opnieuw in.",
  "error.challenge_invalid": "Dit duurde te lang. Probeer het opnieuw.",
  "error.rate_limited": "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
  "error.signature_invalid":
    "De handtekening van je passkey kon niet worden gecontroleerd. Er is niets veranderd. Probeer het opnieuw.",
  "error.document_mismatch":
    "Er is iets veranderd sinds je deze pagina opende. Laad hem opnieuw, bekijk de gegevens nog eens en bevestig dan.",
  "error.age_verification_required": "Bevestig eerst je leeftijd.",
  "error.age_verification_expired":
    "Je leeftijdscontrole is verlopen. Bevestig je leeftijd opnieuw voordat je een nieuwe toestemming geeft.",
  "error.under_18_at_production":
    "Je was jonger dan 18 op de dag waarop dit materiaal is gemaakt: je kunt er geen toestemming voor geven, en niemand kan dat voor jou doen.",
  "error.age_at_production_unverified":
    "Je leeftijdscontrole laat niet zien hoe oud je was op de dag waarop dit materiaal is gemaakt. Bevestig eerst je leeftijd op die dag.",
  "error.passkey_registration_failed": "De passkey kon niet worden gemaakt. Probeer het opnieuw.",
  "error.reverification_required":
    "Om een passkey toe te voegen bevestig je eerst opnieuw je leeftijd (of log je in met een passkey die je hebt); voeg hem daarna meteen toe.",
  "error.csrf": "Deze pagina stond te lang open. Laad hem opnieuw en probeer het nog eens.",
  "error.invitation_invalid":
    "Deze uitnodiging werkt niet meer. Misschien is ze verlopen of al gebruikt. Vraag het platform om een nieuwe.",
  "error.already_in_publication": "Je hebt al op een andere uitnodiging voor deze publicatie geantwoord.",
  "error.invitation_taken":
    "Net op hetzelfde moment heeft iemand anders deze uitnodiging aangenomen. Was ze voor jou bedoeld? Vraag het platform dan om een nieuwe.",
  "error.closed": "Op dit verzoek kun je niet meer antwoorden.",
  "error.consent_not_active": "Deze toestemming geldt niet meer.",
  "error.too_large": "Wat er is verstuurd is te groot. Er is niets veranderd. Ga terug en probeer het opnieuw.",
  "error.unsupported_media_type":
    "Je browser heeft het formulier verstuurd op een manier die het portaal niet kan lezen. Er is niets veranderd. Ga terug en probeer het opnieuw.",
  "error.unavailable":
    "Het portaal is even niet te gebruiken. Er is niets veranderd. Probeer het over een minuut opnieuw.",
  "error.content_withdrawn":
    "Deze inhoud is ingetrokken of na een melding verwijderd, dus je kunt er nu geen toestemming voor geven. Er is niets veranderd.",
  "error.block_not_active": "Je intrekking blokkeert deze inhoud niet (meer). Er is niets veranderd.",
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const translate: (locale: Locale) => Translate = catalogue<MessageKey>({ en, nl });
