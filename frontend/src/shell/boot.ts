/** The page's boot data: what the server put in <script id="boot" type="application/json">. */

export interface Boot {
  tenant: { slug: string; title: string };
  kind: string;
  name: string;
  locale: "zh_CN" | "en";
  csrf_token: string;
  user: { username: string; roles: string[]; can_write: boolean };
  api: string;
  login_url?: string;
}

export function readBoot(): Boot {
  const element = document.getElementById("boot");
  if (!element?.textContent) throw new Error("the page has no boot data (script#boot)");
  return JSON.parse(element.textContent) as Boot;
}
