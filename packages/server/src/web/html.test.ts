import { describe, expect, test } from "vitest";
import { escapeHtml, html, jsonData, trusted } from "./html.ts";

describe("html", () => {
  test("escapes every interpolated value", () => {
    const title = `<script>alert("x")</script> & 'quotes'`;
    expect(html`<h1 title="${title}">${title}</h1>`.value).toBe(
      `<h1 title="${escapeHtml(title)}">&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;quotes&#39;</h1>`,
    );
  });

  test("nests safe fragments, arrays and nothing-values", () => {
    const items = ["a<", "b"].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe("<ul><li>a&#60;</li><li>b</li></ul>0");
  });

  test("trusted markup is inserted as is", () => {
    expect(html`<p>${trusted("<b>x</b>")}</p>`.value).toBe("<p><b>x</b></p>");
  });

  test("an object that merely looks safe is escaped", () => {
    expect(html`${{ value: "<b>", toString: () => "<b>" }}`.value).toBe("&#60;b&#62;");
  });
});

describe("jsonData", () => {
  test("cannot be closed by a value", () => {
    const out = jsonData("x", { entry: "</script><script>alert(1)</script>" }).value;
    expect(out).not.toContain("</script><script>");
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(/>(.*)<\/script>$/.exec(out)![1]!)).toEqual({ entry: "</script><script>alert(1)</script>" });
  });
});
