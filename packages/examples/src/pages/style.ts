/** The one stylesheet, served from /style.css (no inline styles or scripts anywhere). */
export const STYLESHEET = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { max-width: 48rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
header { display: flex; align-items: baseline; gap: 1rem; border-bottom: 1px solid #8884; margin-bottom: 1.5rem; }
header a { font-weight: 700; text-decoration: none; color: inherit; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input[type=text], textarea { width: 100%; box-sizing: border-box; padding: .4rem; font: inherit; }
label.inline { font-weight: 400; }
.hint { font-weight: 400; font-size: .9em; opacity: .8; }
.error { color: #c0392b; font-weight: 600; }
button { margin-top: 1.5rem; padding: .5rem 1.25rem; font: inherit; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #8883; vertical-align: top; }
code { word-break: break-all; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .5rem; background: #8882; }
`;

/** The site icon, at /favicon.svg (linked) and /favicon.ico (which browsers ask for by themselves). */
export const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#7c2d92"/>' +
  '<path d="M12 9v14l11-7z" fill="#fff"/></svg>';

/** Shows every <time datetime> in the reader's time zone and language; without it they read UTC. */
export const LOCAL_TIME_SCRIPT = `for (const time of document.querySelectorAll("time[datetime]")) {
  const moment = new Date(time.dateTime);
  if (Number.isNaN(moment.getTime())) continue;
  time.title = time.textContent;
  time.textContent = moment.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
}
`;
