import { describe, expect, test } from "vitest";
import { isPrivateAddress, TargetPolicy } from "./targets.js";

describe("webhook target policy", () => {
  test("private, loopback, link-local and mapped addresses are private; public ones are not", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  test("refuses loopback and private targets unless allowlisted; plain http only where allowed", async () => {
    const strict = new TargetPolicy({ allowedHosts: [], allowPrivate: false });
    await expect(strict.checkUrl("https://127.0.0.1/hook")).rejects.toThrow(/private or loopback/);
    await expect(strict.checkUrl("https://[::1]/hook")).rejects.toThrow(/private or loopback/);
    await expect(strict.checkUrl("https://169.254.169.254/latest")).rejects.toThrow(/private/);
    await expect(strict.checkUrl("https://localhost/hook")).rejects.toThrow();
    await expect(strict.checkUrl("http://93.184.216.34/hook")).rejects.toThrow(/https/);
    await expect(strict.checkUrl("ftp://93.184.216.34/x")).rejects.toThrow(/https/);
    await expect(strict.checkUrl("https://user:pw@93.184.216.34/x")).rejects.toThrow(/credentials/);
    await expect(strict.checkUrl("https://93.184.216.34/hook")).resolves.toBeInstanceOf(URL);

    const allow = new TargetPolicy({ allowedHosts: ["127.0.0.1"], allowPrivate: false });
    await expect(allow.checkUrl("http://127.0.0.1:9999/hook")).resolves.toBeInstanceOf(URL);
    await expect(allow.checkUrl("http://10.0.0.1/hook")).rejects.toThrow();
    const dev = new TargetPolicy({ allowedHosts: [], allowPrivate: true });
    await expect(dev.checkUrl("http://10.0.0.1/hook")).resolves.toBeInstanceOf(URL);
  });
});
