/**
 * A fetch-driven browser for tests that need redirects and cookies across hosts (the portal and
 * the identity provider): one cookie jar per host, manual redirects, nothing hidden.
 */
export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

export class TestBrowser {
  /** host → cookie name → value. */
  readonly cookies = new Map<string, Map<string, string>>();

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const target = new URL(url);
    const jar = this.cookies.get(target.host) ?? new Map<string, string>();
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(target.host, jar);
    return { url: target.href, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** Requests `url` and follows redirects (303/302/301/307 → GET) until a page or `stop(url)`. */
  async navigate(url: string, init: RequestInit = {}, stop: (url: string) => boolean = () => false): Promise<Page> {
    let page = await this.request(url, init);
    for (let hops = 0; ; hops++) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`);
      if (page.status >= 300 && page.status < 400) {
        const next = new URL(page.headers.get("location")!, page.url).href;
        if (stop(next)) return { ...page, url: next };
        page = await this.request(next);
        continue;
      }
      const form = autoSubmitForm(page);
      if (!form) return page;
      // A page that a browser with scripts would submit by itself (OAuth form_post, logout
      // confirmation): without scripts a person presses its Continue button.
      page = await this.request(form.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.fields.toString(),
      });
    }
  }

  /** Submits a form on `page` (its action is the page's own URL). */
  submit(page: Page, fields: Record<string, string>): Promise<Page> {
    return this.navigate(page.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function autoSubmitForm(page: Page): { action: string; fields: URLSearchParams } | undefined {
  if (page.status !== 200 || !page.body.includes("document.forms[0].submit()")) return undefined;
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
  if (!action) return undefined;
  const fields = new URLSearchParams();
  for (const [, name, value] of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) {
    fields.append(name!, value!);
  }
  return { action: new URL(action, page.url).href, fields };
}
