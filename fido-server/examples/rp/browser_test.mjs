// Drives the example relying party in headless Chromium with the DevTools virtual
// authenticator (CTAP2, user verification): register, then sign in; both must be
// verified by fido-server (the page shows the server's answer).
// Usage: node browser_test.mjs http://localhost:PORT   (CHROMIUM: the browser binary)
import { chromium } from "playwright-core";

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let failed = false;
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "usb",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(url);
  for (const [button, expected] of [["#register", "registered"], ["#login", "authenticated"]]) {
    await page.click(button);
    await page.waitForFunction(() => {
      const t = document.getElementById("status").textContent;
      return t.startsWith("{") || t.startsWith("error");
    }, null, { timeout: 20000 });
    const text = await page.textContent("#status");
    const ok = text.startsWith("{") && JSON.parse(text).status === expected;
    console.log(`${ok ? "ok" : "FAIL"} ${button}: ${text}`);
    if (!ok) failed = true;
  }
} finally {
  await browser.close();
}
console.log(failed ? "0 passed, 1 failed" : "1 passed, 0 failed");
process.exit(failed ? 1 : 0);
